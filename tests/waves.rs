//! The index by survey wave: per-wave estimates, changes with permutation tests, the JSON
//! `waves` object and the trend figure.

mod common;
use csindex::{waves::Waves, Analysis, Model, Pls, Survey};

fn survey() -> Survey {
    let s = common::acsi_sample();
    // Waves in an order that is not sorted: file order must be kept.
    let q: Vec<String> = (0..s.n_rows())
        .map(|i| ["2026Q1", "2025Q3", "2025Q4"][i * 3 / s.n_rows()].to_string())
        .collect();
    s.with_text_column("quarter", q).unwrap()
}

#[test]
fn waves_are_estimated_compared_and_reported() {
    let s = survey();
    let model = Model::acsi();
    let w = Waves::new("quarter")
        .bootstrap(60)
        .permutations(99)
        .seed(4)
        .run(&model, &s, &Pls::new())
        .unwrap();
    let names: Vec<&str> = w.waves.iter().map(|x| x.wave.as_str()).collect();
    assert_eq!(names, ["2026Q1", "2025Q3", "2025Q4"]);
    // Each wave's index is the fit of its rows.
    let rows: Vec<usize> = (0..s.n_rows())
        .filter(|i| i * 3 / s.n_rows() == 1)
        .collect();
    let fit = Pls::new()
        .fit(&model, &s.select_rows(&rows).unwrap())
        .unwrap();
    let sat = w.waves[1]
        .indices
        .iter()
        .find(|i| i.construct == "SAT")
        .unwrap();
    assert!((sat.index - fit.index("SAT").unwrap()).abs() < 1e-12);
    assert!(sat.ci.unwrap().contains(sat.index));
    // Changes from the previous wave, with permutation p-values.
    assert!(w.waves[0].changes.is_empty());
    for k in 1..3 {
        for c in &w.waves[k].changes {
            let now = w.waves[k]
                .indices
                .iter()
                .find(|i| i.construct == c.construct)
                .unwrap();
            let before = w.waves[k - 1]
                .indices
                .iter()
                .find(|i| i.construct == c.construct)
                .unwrap();
            assert!((c.change - (now.index - before.index)).abs() < 1e-12);
            let p = c.p_value.unwrap();
            assert!(p > 0.0 && p <= 1.0 && c.permutations_used > 90);
            assert_eq!(c.from, w.waves[k - 1].wave);
        }
    }
    // Same seed, same numbers.
    let again = Waves::new("quarter")
        .bootstrap(60)
        .permutations(99)
        .seed(4)
        .run(&model, &s, &Pls::new())
        .unwrap();
    assert_eq!(
        serde_json::to_string(&w).unwrap(),
        serde_json::to_string(&again).unwrap()
    );
    // Through the analysis: JSON keyed by wave in file order, a table and a trend figure.
    let r = Analysis::new(Pls::new())
        .waves(Waves::new("quarter").bootstrap(30).permutations(49))
        .run(&model, &s)
        .unwrap();
    let v = r.to_value().unwrap();
    let keys: Vec<&String> = v["waves"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["2026Q1", "2025Q3", "2025Q4"]);
    let q3 = &v["waves"]["2025Q3"];
    assert!(q3["n_used"].as_u64().unwrap() > 80);
    assert!(q3["index"]["SAT"]["weights"]["SAT1"].is_number());
    assert!(q3["change"]["SAT"]["p_value"].is_number());
    assert_eq!(v["waves_info"]["column"], "quarter");
    assert!(r.to_text().contains("Index by wave 'quarter'"));
    let svg = r.trend_svg().unwrap();
    assert!(
        svg.contains("viewBox") && svg.contains("2025Q4") && svg.contains("bootstrap intervals")
    );
    // One wave only: an error.
    let one = s
        .clone()
        .with_text_column("quarter", vec!["x".into(); s.n_rows()])
        .unwrap();
    assert!(Waves::new("quarter")
        .run(&model, &one, &Pls::new())
        .is_err());
}
