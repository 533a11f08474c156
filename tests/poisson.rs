//! The one-pass Poisson bootstrap: identical bytes for any thread count, block size and
//! partition of the rows, and standard errors that agree with the ordinary bootstrap.

use csindex::simulate::Simulation;
use csindex::stream::Stream;
use csindex::{
    Analysis, BootMethod, Bootstrap, LoadOptions, MissingPolicy, Model, Moments, Pls, StatKind,
    Survey,
};
use std::path::PathBuf;

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("csindex-poisson-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A simulated ACSI survey of `n` rows as CSV text with an `id` column, split into `parts`
/// files of consecutive rows (plus the whole file).
fn write_survey(n: usize, seed: u64, parts: usize, tag: &str) -> (PathBuf, Vec<PathBuf>) {
    let model = Model::acsi();
    let s = Simulation::new(&model)
        .likert(1.0, 10.0)
        .seed(seed)
        .generate(n)
        .unwrap();
    let names = model.indicators();
    let cols: Vec<&[f64]> = names.iter().map(|c| s.numeric(c).unwrap()).collect();
    let header = format!("id,{}\n", names.join(","));
    let row = |i: usize| {
        let v: Vec<String> = cols.iter().map(|c| format!("{}", c[i])).collect();
        format!("R{:07},{}\n", (i * 7919) % 10_000_019, v.join(","))
    };
    let whole = dir().join(format!("{tag}_whole.csv"));
    let mut text = header.clone();
    (0..n).for_each(|i| text.push_str(&row(i)));
    std::fs::write(&whole, &text).unwrap();
    let mut files = Vec::new();
    for k in 0..parts {
        let (lo, hi) = (k * n / parts, (k + 1) * n / parts);
        let mut t = header.clone();
        (lo..hi).for_each(|i| t.push_str(&row(i)));
        let f = dir().join(format!("{tag}_part{k}.csv"));
        std::fs::write(&f, t).unwrap();
        files.push(f);
    }
    (whole, files)
}

fn opts() -> LoadOptions {
    LoadOptions::new().scale("*", 1.0, 10.0)
}

fn stream(b: usize, seed: u64) -> Stream {
    Stream::new(opts())
        .missing(MissingPolicy::Listwise)
        .id_column("id")
        .poisson_bootstrap(b, seed)
}

fn analysis_json(m: &Moments, b: usize, seed: u64) -> String {
    let pls = Pls::new().missing(MissingPolicy::Listwise);
    Analysis::new(pls)
        .bootstrap(Bootstrap::new(b).seed(seed))
        .run_moments(&Model::acsi(), m)
        .unwrap()
        .to_json()
        .unwrap()
}

#[test]
fn identical_bytes_for_threads_blocks_and_partitions() {
    let (whole, parts) = write_survey(6000, 11, 4, "ident");
    let names = Model::acsi().indicators();
    let (b, seed) = (64, 5);
    let base = stream(b, seed).threads(1).moments(&whole, &names).unwrap();
    assert_eq!(base.replicate_count(), b);
    assert_eq!(base.replicates_exact(), Some(true));
    let json = base.to_json().unwrap();
    for (threads, block) in [(2, 4096), (2, 1 << 20), (3, 10_000)] {
        let m = stream(b, seed)
            .threads(threads)
            .block_bytes(block)
            .moments(&whole, &names)
            .unwrap();
        assert!(
            m.to_json().unwrap() == json,
            "{threads} threads, block {block}"
        );
    }
    // Four partitions, saved and read back, merged in two orders.
    let saved: Vec<Moments> = parts
        .iter()
        .map(|p| {
            let m = stream(b, seed).moments(p, &names).unwrap();
            Moments::from_json(&m.to_json().unwrap()).unwrap()
        })
        .collect();
    let want = analysis_json(&base, b, seed);
    for order in [[0, 1, 2, 3], [2, 0, 3, 1]] {
        let mut m = saved[order[0]].clone();
        for &k in &order[1..] {
            m.merge(&saved[k]).unwrap();
        }
        assert!(m.to_json().unwrap() == json, "{order:?}");
        assert!(analysis_json(&m, b, seed) == want, "{order:?}");
    }
    // The report says which bootstrap ran.
    assert!(want.contains("\"method\": \"poisson\""));
}

#[test]
fn position_keyed_parts_and_other_seeds_do_not_merge() {
    let (_, parts) = write_survey(600, 3, 2, "keys");
    let names = Model::acsi().indicators();
    let by_line = Stream::new(opts())
        .missing(MissingPolicy::Listwise)
        .poisson_bootstrap(8, 1);
    let a = by_line.moments(&parts[0], &names).unwrap();
    let b = by_line.moments(&parts[1], &names).unwrap();
    let mut m = a.clone();
    let e = m.merge(&b).unwrap_err().to_string();
    assert!(e.contains("--id"), "{e}");
    let c = stream(8, 2).moments(&parts[1], &names).unwrap();
    let mut m = stream(8, 1).moments(&parts[0], &names).unwrap();
    assert!(m.merge(&c).is_err());
    // Mean replacement and BCa are refused with a reason.
    let mean = stream(8, 1)
        .missing(MissingPolicy::Mean)
        .moments(&parts[0], &names);
    assert!(mean.is_err());
    let fit = Pls::new()
        .missing(MissingPolicy::Listwise)
        .fit_moments(&Model::acsi(), &a)
        .unwrap();
    let r = Bootstrap::new(8).run_poisson(&fit).unwrap();
    assert!(r.statistics.iter().all(|s| s.ci_bca.is_none()));
    assert!(Bootstrap::new(9).run_poisson(&fit).is_err());
}

/// Standard errors of the one-pass bootstrap against the ordinary bootstrap on 100,000 rows.
///
/// The check: with B replicates, an estimated standard error has a relative sampling sd of
/// about 1/√(2B) (normal draws), so two independent estimates of the same SE differ by a
/// relative sd of about 1/√B (3.2% at B = 1000). Every path, weight and loading SE must agree
/// within 4 of those sds (12.6%), and their mean ratio within 3% (the statistics are
/// correlated, so not by much less).
#[test]
fn standard_errors_agree_with_the_ordinary_bootstrap() {
    let n = 100_000;
    let (whole, _) = write_survey(n, 29, 1, "se");
    let names = Model::acsi().indicators();
    let b = 1000;
    let m = stream(b, 17).moments(&whole, &names).unwrap();
    let pls = Pls::new().missing(MissingPolicy::Listwise);
    let model = Model::acsi();
    let fit_m = pls.fit_moments(&model, &m).unwrap();
    let poisson = Bootstrap::new(b).run_poisson(&fit_m).unwrap();
    assert_eq!(poisson.method, BootMethod::Poisson);
    let survey = Survey::from_csv_path(&whole, &opts()).unwrap();
    let fit = pls.fit(&model, &survey).unwrap();
    let ordinary = Bootstrap::new(b).seed(3).bca(false).run(&fit).unwrap();
    assert_eq!(ordinary.method, BootMethod::Ordinary);
    let limit = 4.0 / (b as f64).sqrt();
    let mut ratios = Vec::new();
    for s in &ordinary.statistics {
        // Single-indicator constructs have constant weights and loadings (SE 0 in both).
        if !matches!(
            s.kind,
            StatKind::Path | StatKind::Weight | StatKind::Loading
        ) || s.se == 0.0
        {
            continue;
        }
        let Ok(p) = poisson.get(s.kind, &s.name) else {
            panic!("{:?} {} missing from the Poisson bootstrap", s.kind, s.name)
        };
        // The estimates are the same fit (from moments and from rows).
        assert!((p.estimate - s.estimate).abs() < 1e-10, "{}", s.name);
        let r = p.se / s.se;
        assert!(
            (r - 1.0).abs() < limit,
            "{:?} {}: {} vs {}",
            s.kind,
            s.name,
            p.se,
            s.se
        );
        ratios.push(r);
    }
    let mean = ratios.iter().sum::<f64>() / ratios.len() as f64;
    eprintln!(
        "Poisson / ordinary bootstrap SE over {} statistics: mean ratio {mean:.4}, range {:.4}..{:.4}",
        ratios.len(),
        ratios.iter().copied().fold(f64::INFINITY, f64::min),
        ratios.iter().copied().fold(0.0, f64::max)
    );
    assert!((mean - 1.0).abs() < 0.03, "{mean}");
}
