//! OrdPLS / OrdPLSc: polychoric correlations (polycor's two-step estimator, searched tightly)
//! and cSEM's ordinal estimates on them, from tests/fixtures/wave2 (copied from the shared
//! synthetic references).

mod common;
use common::*;
use csindex::{LoadOptions, Model, Pls, Survey};

fn setup() -> (serde_json::Value, Model, Survey) {
    let r = read_json(&fixture("wave2/ordinal_acsi_500__ordinal__path.json"));
    let model = Model::parse(
        "EXPE =~ EXPE1 + EXPE2 + EXPE3\nQUAL =~ QUAL1 + QUAL2 + QUAL3\nVAL =~ VAL1 + VAL2\n\
         SAT =~ SAT1 + SAT2 + SAT3\nLOY =~ LOY1 + LOY2\n\
         QUAL ~ EXPE\nVAL ~ EXPE + QUAL\nSAT ~ EXPE + QUAL + VAL\nLOY ~ SAT",
    )
    .unwrap();
    let s = Survey::from_csv_path(
        fixture("wave2/ordinal_acsi_500.csv"),
        &LoadOptions::new().scale("*", 1.0, 5.0),
    )
    .unwrap();
    (r, model, s)
}

#[test]
fn polychoric_matrix_and_ordpls_match_the_references() {
    let (r, model, survey) = setup();
    let items = model.indicators();
    for (key, plsc) in [("ordpls", false), ("ordplsc", true)] {
        let fit = Pls::new()
            .consistent(plsc)
            .fit_ordinal(&model, &survey, &items)
            .unwrap();
        let m = fit.indicator_correlations();
        let names = fit.indicator_names().to_vec();
        let want = &r["polychoric_tight"]["matrix"];
        let mut dmax: f64 = 0.0;
        for (a, na) in names.iter().enumerate() {
            for (b, nb) in names.iter().enumerate() {
                let w = want[na][nb].as_f64().unwrap();
                dmax = dmax.max((m[(a, b)] - w).abs());
            }
        }
        // The reference's search on L stops where L is flat to rounding (about 2e-8 from the
        // maximum); computing L as R does reproduces where (module docs of csindex's ordinal
        // correlations), to the rounding of the reference file.
        eprintln!("polychoric matrix: largest difference {dmax:.1e}");
        assert!(dmax < 1e-14, "{dmax:e}");
        let mut c = Cmp::new(key, 1e-7);
        let ref_ = &r[key];
        c.map("outer_weights", &ref_["outer_weights"], |k| {
            fit.weight(k).unwrap()
        });
        c.map("loadings", &ref_["loadings"], |k| fit.loading(k).unwrap());
        c.map("paths", &ref_["paths"], |k| {
            let (a, b) = k.split_once("->").unwrap();
            fit.path(a, b).unwrap()
        });
        c.map("r2", &ref_["r2"], |k| fit.r2(k).unwrap());
        c.report();
        assert!(fit.warnings().iter().any(|w| w.contains("polychoric")));
    }
}

#[test]
fn analysis_reports_the_correlations_and_bootstraps_them() {
    let (r, model, survey) = setup();
    let items = model.indicators();
    let res = csindex::Analysis::new(Pls::new())
        .ordinal(&items)
        .run(&model, &survey)
        .unwrap();
    let v = res.to_value().unwrap();
    assert_eq!(v["ordinal_items"].as_array().unwrap().len(), 13);
    let got = v["indicator_correlations"]["SAT1"]["LOY2"]
        .as_f64()
        .unwrap();
    let want = r["polychoric_tight"]["matrix"]["SAT1"]["LOY2"]
        .as_f64()
        .unwrap();
    assert!((got - want).abs() < 1e-14);
    assert!(res
        .to_text()
        .contains("polychoric between the 13 ordinal items"));
    let boot = csindex::Analysis::new(Pls::new())
        .ordinal(&items)
        .bootstrap(csindex::Bootstrap::new(10))
        .run(&model, &survey);
    let boot = boot.unwrap();
    assert!(boot.bootstrap().unwrap().path("SAT", "LOY").unwrap().se > 0.0);
    // Some items ordinal, the others continuous: polyserial pairs.
    let fit = Pls::new()
        .fit_ordinal(&model, &survey, &["SAT1", "SAT2"])
        .unwrap();
    assert!(fit
        .warnings()
        .iter()
        .any(|w| w.contains("polyserial with continuous items (22 pairs)")));
    assert!(Pls::new().fit_ordinal(&model, &survey, &["SAT9"]).is_err());
}
