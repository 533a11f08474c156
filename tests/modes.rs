//! How each block is meant: common factor (`=~`), composite with Mode B, Mode A or unit
//! weights (`<~`, `<~ mode_a(...)`, `<~ unit(...)`), and what PLSc corrects.

use csindex::{LoadOptions, Mode, Model, Pls, Survey};

fn sample() -> Survey {
    Survey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_sample.csv"),
        &LoadOptions::new()
            .scale("*", 1.0, 10.0)
            .scale("COMP1", 0.0, 1.0),
    )
    .unwrap()
}

fn acsi_with(sat: &str) -> Model {
    let text = Model::acsi().to_syntax();
    let line = text
        .lines()
        .find(|l| l.starts_with("SAT "))
        .unwrap()
        .to_string();
    Model::parse(&text.replace(&line, sat)).unwrap()
}

#[test]
fn composite_mode_a_is_mode_a_without_plsc_and_uncorrected_with_it() {
    let s = sample();
    let reflective = acsi_with("SAT =~ SAT1 + SAT2 + SAT3");
    let composite = acsi_with("SAT <~ mode_a(SAT1 + SAT2 + SAT3)");
    assert_eq!(
        composite.constructs()[composite.construct_index("SAT").unwrap()].mode,
        Mode::CompositeA
    );
    let a = Pls::new().fit(&reflective, &s).unwrap();
    let b = Pls::new().fit(&composite, &s).unwrap();
    for ind in a.indicator_names() {
        assert!((a.weight(ind).unwrap() - b.weight(ind).unwrap()).abs() < 1e-15);
        assert!((a.loading(ind).unwrap() - b.loading(ind).unwrap()).abs() < 1e-15);
    }
    // PLSc corrects the common factors only: SAT's loadings stay those of PLS.
    let ca = Pls::new().consistent(true).fit(&reflective, &s).unwrap();
    let cb = Pls::new().consistent(true).fit(&composite, &s).unwrap();
    for ind in ["SAT1", "SAT2", "SAT3"] {
        assert!((cb.loading(ind).unwrap() - b.loading(ind).unwrap()).abs() < 1e-15);
        assert!((ca.loading(ind).unwrap() - a.loading(ind).unwrap()).abs() > 1e-3);
    }
    assert!((cb.loading("QUAL1").unwrap() - ca.loading("QUAL1").unwrap()).abs() < 1e-2);
    assert!((cb.loading("QUAL1").unwrap() - b.loading("QUAL1").unwrap()).abs() > 1e-3);
    assert!((cb.path("QUAL", "SAT").unwrap() - ca.path("QUAL", "SAT").unwrap()).abs() > 1e-4);
}

#[test]
fn unit_weights_are_the_standardised_sum() {
    let s = sample();
    let m = acsi_with("SAT <~ unit(SAT1 + SAT2 + SAT3)");
    let fit = Pls::new().fit(&m, &s).unwrap();
    let r = fit.indicator_correlations();
    let names = fit.indicator_names().to_vec();
    let idx: Vec<usize> = ["SAT1", "SAT2", "SAT3"]
        .iter()
        .map(|n| names.iter().position(|x| x == n).unwrap())
        .collect();
    let total: f64 = idx
        .iter()
        .flat_map(|&a| idx.iter().map(move |&b| r[(a, b)]))
        .sum();
    for n in ["SAT1", "SAT2", "SAT3"] {
        assert!(
            (fit.weight(n).unwrap() - 1.0 / total.sqrt()).abs() < 1e-14,
            "{n}"
        );
    }
    let report = csindex::report::Report::new(&fit).unwrap().to_text();
    assert!(report.contains("unit"));
}

#[test]
fn the_text_says_how_each_block_is_meant() {
    let t = "A =~ a1 + a2\nB <~ b1 + b2\nC <~ mode_a(c1 + c2)\nD <~ unit(d1 +\n d2)\nD ~ A + B + C";
    let m = Model::parse(t).unwrap();
    let modes: Vec<Mode> = m.constructs().iter().map(|c| c.mode).collect();
    assert_eq!(modes, [Mode::A, Mode::B, Mode::CompositeA, Mode::Unit]);
    assert_eq!(Model::parse(&m.to_syntax()).unwrap(), m);
    assert!(m.to_syntax().contains("C <~ mode_a(c1 + c2)"));
    assert!(Model::parse("A =~ a1\nB <~ foo(b1 + b2)\nB ~ A").is_err());
    assert!(Model::parse("A =~ a1\nB <~ unit(b1 + b2\nB ~ A").is_err());
    assert_eq!(
        Model::parse("A =~ a1\nB <~ mode_b(b1 + b2)\nB ~ A")
            .unwrap()
            .constructs()[1]
            .mode,
        Mode::B
    );
}
