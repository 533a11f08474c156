//! Interaction terms against seminr 2.3.4 (`interaction_term`, every method), from
//! tests/fixtures/wave2 (copied from the shared synthetic references).

mod common;
use common::*;
use csindex::{InteractionMethod, LoadOptions, Model, Pls, Survey};

const MODEL: &str =
    "QUAL =~ QUAL1 + QUAL2 + QUAL3\nVAL =~ VAL1 + VAL2\nSAT =~ SAT1 + SAT2 + SAT3\n\
                     SW =~ SW1 + SW2 + SW3\nLOY =~ LOY1 + LOY2 + LOY3\n\
                     VAL ~ QUAL\nSAT ~ QUAL + VAL\nLOY ~ SAT + SW + SAT:SW";

/// seminr's names (`SAT*SW`, `SAT1*SW1`) in csindex's (`SAT:SW`, `SAT1:SW1`).
fn ours(name: &str) -> String {
    name.replace('*', ":")
}

#[test]
fn every_interaction_method_matches_seminr() {
    let r = read_json(&fixture("wave2/moderation_500__interaction__path.json"));
    let survey = Survey::from_csv_path(
        fixture("wave2/moderation_500.csv"),
        &LoadOptions::new().scale("*", 1.0, 7.0),
    )
    .unwrap();
    let model = Model::parse(MODEL).unwrap();
    assert_eq!(model.interactions().len(), 1);
    assert!(model.to_syntax().contains("LOY ~ SAT + SW + SAT:SW"));
    for (key, method) in [
        ("two_stage", InteractionMethod::TwoStage),
        ("product_indicator", InteractionMethod::ProductIndicator),
        ("orthogonal", InteractionMethod::Orthogonal),
    ] {
        let fit = Pls::new().interaction(method).fit(&model, &survey).unwrap();
        let want = &r[key];
        let mut c = Cmp::new(key, 1e-10);
        c.map("outer_weights", &want["outer_weights"], |k| {
            let (_, ind) = k.split_once('|').unwrap();
            fit.weight(&ours(ind)).unwrap()
        });
        c.map("loadings", &want["loadings"], |k| {
            let (_, ind) = k.split_once('|').unwrap();
            fit.loading(&ours(ind)).unwrap()
        });
        c.map("paths", &want["paths"], |k| {
            let (a, b) = k.split_once("->").unwrap();
            fit.path(&ours(a), b).unwrap()
        });
        c.map("r2", &want["r2"], |k| fit.r2(k).unwrap());
        c.report();
        assert!(fit
            .warnings()
            .iter()
            .any(|w| w.contains("interaction SAT:SW")));
        assert!(csindex::Bootstrap::new(10).run(&fit).is_err());
    }
}
