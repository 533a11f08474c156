//! Every input the fuzzers found a defect with (and the seed inputs that reach each target's
//! deeper paths) replayed through the same target code, so that each fix stays fixed. The
//! inputs are in `tests/fixtures/fuzz/<target>/`; the targets are `tests/fuzz/targets.rs`,
//! shared with the libFuzzer binaries in `fuzz/` (see `fuzz/README.md`).

#[path = "fuzz/targets.rs"]
mod targets;

use std::path::PathBuf;

#[test]
fn every_saved_input_passes_its_target() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut replayed = 0;
    for (name, target) in targets::TARGETS {
        let dir = root.join(name);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let data = std::fs::read(&f).unwrap();
            let r = std::panic::catch_unwind(|| target(&data));
            assert!(r.is_ok(), "{name}: {} fails", f.display());
            replayed += 1;
        }
    }
    println!("replayed {replayed} saved fuzz inputs");
}

/// Writes seed inputs for the JSON and workbook targets into `$CSINDEX_FUZZ_SEEDS/<target>/`
/// (run by `fuzz/seed.sh`; ignored otherwise).
#[test]
#[ignore = "writes fuzz seeds when fuzz/seed.sh asks"]
fn write_seeds() {
    use csindex::{LoadOptions, MissingPolicy, Model, Moments, Survey};
    let Ok(dir) = std::env::var("CSINDEX_FUZZ_SEEDS") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for (i, m) in [Model::acsi(), Model::ecsi()].iter().enumerate() {
        let p = dir.join("model_json").join(format!("model{i}.json"));
        std::fs::write(p, serde_json::to_string(m).unwrap()).unwrap();
    }
    let s = Survey::from_csv_path(root.join("data/acsi_sample.csv"), &LoadOptions::new()).unwrap();
    let names = Model::acsi().indicators();
    for (i, policy) in [MissingPolicy::Listwise, MissingPolicy::Mean]
        .iter()
        .enumerate()
    {
        let m = Moments::from_survey(&s, &names[..6], *policy).unwrap();
        let p = dir.join("moments_json").join(format!("moments{i}.json"));
        std::fs::write(p, m.to_json().unwrap()).unwrap();
    }
    let text = std::fs::read_to_string(root.join("data/acsi_sample.csv")).unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let sh = wb.add_worksheet();
    for (r, line) in text.lines().take(12).enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            match cell.parse::<f64>() {
                Ok(x) => sh.write_number(r as u32, c as u16, x).unwrap(),
                Err(_) => sh.write_string(r as u32, c as u16, cell).unwrap(),
            };
        }
    }
    wb.save(dir.join("excel").join("acsi.xlsx")).unwrap();
}
