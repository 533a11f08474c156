//! The 0-100 index against the reference values (tolerance 1e-10).

mod common;
use common::*;
use csindex::{IndexMethod, LoadOptions, Pls, Scheme, Survey};

const TOL: f64 = 1e-10;

#[test]
fn synthetic_index_fixtures() {
    let mut worst: f64 = 0.0;
    for path in reference_files() {
        let r = read_json(&path);
        let Some(ix) = r["acsi_index"].as_object() else {
            continue;
        };
        let label = path.file_stem().unwrap().to_string_lossy().to_string();
        let opts = if r["data"].as_str().unwrap().starts_with("ecsi") {
            LoadOptions::new().scale("*", 1.0, 10.0)
        } else {
            LoadOptions::new()
                .scale("*", 1.0, 10.0)
                .scale("COMP1", 0.0, 1.0)
        };
        let (_, _, fit) = fit_fixture(&r, &opts, false);
        assert!(fit.warnings().is_empty(), "{:?}", fit.warnings());
        let mut c = Cmp::new(&label, TOL);
        for (lv, v) in ix {
            if v["all_weights_positive"].as_bool() == Some(false) {
                assert!(
                    fit.index(lv).is_err(),
                    "{label}: {lv} must refuse non-positive weights"
                );
                continue;
            }
            let mine = fit.construct_index(lv, IndexMethod::Fornell).unwrap();
            c.num("index", lv, mine.index, v["index"].as_f64().unwrap());
            c.map("fornell_unstd_weights", &v["fornell_unstd_weights"], |k| {
                mine.weights.get(k).unwrap()
            });
            c.map("item_means", &v["item_means"], |k| {
                mine.item_means.get(k).unwrap()
            });
        }
        c.report();
        worst = worst.max(c.max());
    }
    eprintln!("index fixtures: max diff {worst:.1e}");
}

#[test]
fn peer_index_values() {
    let Some(shared) = shared() else { return };
    let models = read_json(&shared.join("peers/ref/models.json"));
    let all = read_json(&shared.join("peers/ref/acsi_index.json"));
    let mut c = Cmp::new("acsi_index.json", TOL);
    let mut runs = 0;
    for (key, res) in all["results"].as_object().unwrap() {
        let parts: Vec<&str> = key.split('/').collect();
        let m = &models[parts[0]];
        let model = model_from(&m["blocks"], None, &m["paths"], Some(&m["lvs"]));
        let survey = Survey::from_csv_path(
            shared.join("peers").join(m["data"].as_str().unwrap()),
            &LoadOptions::new().scale("*", 1.0, 10.0),
        )
        .unwrap();
        let scheme: Scheme = parts[1].parse().unwrap();
        let fit = Pls::new().scheme(scheme).fit(&model, &survey).unwrap();
        for (lv, v) in res.as_object().unwrap() {
            let f = fit.construct_index(lv, IndexMethod::Fornell).unwrap();
            c.num(
                "index_fornell",
                &format!("{key}/{lv}"),
                f.index,
                v["index_fornell"].as_f64().unwrap(),
            );
            c.map("fornell_unstd_weights", &v["fornell_unstd_weights"], |k| {
                f.weights.get(k).unwrap()
            });
            let p = fit.construct_index(lv, IndexMethod::PlspmRescale).unwrap();
            c.num(
                "index_plspm_rescale",
                &format!("{key}/{lv}"),
                p.index,
                v["index_plspm_rescale"].as_f64().unwrap(),
            );
        }
        runs += 1;
    }
    assert_eq!(runs, 26);
    // The headline values (mobi, ECSI, path scheme).
    let (model, survey) = {
        let m = &models["mobi_ecsi7"];
        (
            model_from(&m["blocks"], None, &m["paths"], Some(&m["lvs"])),
            Survey::from_csv_path(
                shared.join("peers").join(m["data"].as_str().unwrap()),
                &LoadOptions::new().scale("*", 1.0, 10.0),
            )
            .unwrap(),
        )
    };
    let fit = Pls::new().fit(&model, &survey).unwrap();
    for (lv, want) in [
        ("SAT", 72.4541),
        ("LOY", 70.9139),
        ("QUAL", 74.9766),
        ("VAL", 62.3468),
        ("EXPE", 72.4738),
        ("IMAG", 73.5280),
    ] {
        assert!((fit.index(lv).unwrap() - want).abs() < 5e-5, "{lv}");
    }
    c.report();
}
