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
    }
}

#[test]
fn simple_slopes_quadratic_terms_and_reports() {
    let survey = Survey::from_csv_path(
        fixture("wave2/moderation_500.csv"),
        &LoadOptions::new().scale("*", 1.0, 7.0),
    )
    .unwrap();
    let model = Model::parse(MODEL).unwrap();
    let res = csindex::Analysis::new(Pls::new())
        .run(&model, &survey)
        .unwrap();
    let fit = res.fit();
    // An interaction term has no answer scale: no 0-100 index, no place on the IPMA map.
    assert!(res
        .indices_skipped()
        .iter()
        .any(|(c, why)| c == "SAT:SW" && why.contains("interaction term")));
    assert!(fit.index("SAT:SW").is_err() && fit.ipma("SAT:SW").is_err());
    let map = fit.ipma("LOY").unwrap();
    assert!(map.constructs.iter().all(|p| p.name != "SAT:SW"));
    assert!(map.indicators.iter().all(|p| p.construct != "SAT:SW"));
    let s = &fit.simple_slopes()[0];
    let (b, bi) = (
        fit.path("SAT", "LOY").unwrap(),
        fit.path("SAT:SW", "LOY").unwrap(),
    );
    assert_eq!(
        (s.iv.as_str(), s.moderator.as_str(), s.target.as_str()),
        ("SAT", "SW", "LOY")
    );
    for (m, slope) in s.at {
        assert!((slope - (b + bi * m)).abs() < 1e-15);
    }
    let v = res.to_value().unwrap();
    assert!((v["paths"]["SAT:SW->LOY"].as_f64().unwrap() - bi).abs() < 1e-15);
    assert!(v["simple_slopes"]["SAT:SW->LOY"]["1"].is_number());
    assert!(res.to_text().contains("Simple slopes"));
    let svg = res.simple_slopes_svg();
    assert_eq!(svg.len(), 1);
    assert!(svg[0].1.matches("<polyline").count() == 3);
    // A quadratic term, by each method.
    let quad = Model::parse(&MODEL.replace("SAT:SW", "SAT:SAT")).unwrap();
    for method in [
        InteractionMethod::TwoStage,
        InteractionMethod::ProductIndicator,
        InteractionMethod::Orthogonal,
    ] {
        let f = Pls::new().interaction(method).fit(&quad, &survey).unwrap();
        let bq = f.path("SAT:SAT", "LOY").unwrap();
        let sl = &f.simple_slopes()[0];
        assert!((sl.at[2].1 - (f.path("SAT", "LOY").unwrap() + 2.0 * bq)).abs() < 1e-15);
    }
    // Interaction terms that cannot be.
    assert!(Model::parse(&MODEL.replace("SAT:SW", "SAT:XX")).is_err());
    assert!(Model::parse(&MODEL.replace("SAT:SW", "SAT:SW:QUAL")).is_err());
    assert!(
        Model::parse(&MODEL.replace("LOY ~ SAT + SW + SAT:SW", "LOY ~ SAT + SW\nSW ~ SAT:SW"))
            .is_err()
    );
}

#[test]
fn models_with_terms_round_trip_through_text_and_json() {
    for text in [
        MODEL.to_string(),
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/models/csi_rater.txt"))
            .unwrap(),
    ] {
        let m = Model::parse(&text).unwrap();
        assert_eq!(Model::parse(&m.to_syntax()).unwrap(), m);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(Model::from_json(&json).unwrap(), m);
    }
    // A block mixing constructs and items, a dimension with its own paths, a deep hierarchy.
    let bad = [
        "A =~ a1 + a2\nB =~ b1 + b2\nH =~ A + b3\nC =~ c1\nC ~ H",
        "A =~ a1 + a2\nB =~ b1 + b2\nH =~ A + B\nC =~ c1\nC ~ H + A",
        "A =~ a1 + a2\nB =~ b1 + b2\nH =~ A + B\nG =~ H + A\nC =~ c1\nC ~ G",
    ];
    for t in bad {
        assert!(Model::parse(t).is_err(), "{t}");
    }
}

/// Under listwise deletion, a survey with missing cells gives the fit of its complete rows
/// alone, by every method: without missing cells the products come from the complete rows'
/// moments (orthogonalised through `Moments::orthogonalized`); with them, through the survey
/// (items standardised over the complete rows, a weighted regression over them). Holes in a
/// regressor item (SAT1) and in another item (LOY1); sampling weights; an interaction and a
/// quadratic term in one model.
#[test]
fn listwise_deletion_equals_the_fit_of_the_complete_rows_by_every_method() {
    let text = std::fs::read_to_string(fixture("wave2/moderation_500.csv")).unwrap();
    let (mut holed, mut dropped) = (String::new(), String::new());
    for (i, line) in text.lines().enumerate() {
        let weight = if i == 0 {
            "w".to_string()
        } else {
            format!("{}", 1 + i % 3)
        };
        let hole = match i {
            17 => Some(5),  // SAT1
            30 => Some(11), // LOY1
            _ => None,
        };
        let mut cells: Vec<&str> = line.split(',').collect();
        match hole {
            Some(k) => cells[k] = "",
            None => dropped.push_str(&format!("{line},{weight}\n")),
        }
        holed.push_str(&format!("{},{weight}\n", cells.join(",")));
    }
    let opts = LoadOptions::new().scale("*", 1.0, 7.0).scale("w", 1.0, 3.0);
    let load = |csv: &str| {
        Survey::from_reader(csv.as_bytes(), &opts)
            .unwrap()
            .with_weights("w", csindex::WeightKind::Sampling)
            .unwrap()
    };
    let (holed, dropped) = (load(&holed), load(&dropped));
    let model = Model::parse(&MODEL.replace("SAT:SW", "SAT:SW + SAT:SAT")).unwrap();
    for method in [
        InteractionMethod::TwoStage,
        InteractionMethod::ProductIndicator,
        InteractionMethod::Orthogonal,
    ] {
        let pls = Pls::new()
            .interaction(method)
            .missing(csindex::MissingPolicy::Listwise);
        let (a, b) = (
            pls.fit(&model, &holed).unwrap(),
            pls.fit(&model, &dropped).unwrap(),
        );
        let worst = largest_difference(&a, &b);
        let scores = a.score_matrix().unwrap() - b.score_matrix().unwrap();
        let scores = scores.amax();
        println!(
            "{}: estimates {worst:.1e}, scores {scores:.1e}",
            method.as_str()
        );
        assert!(worst < 1e-12 && scores < 1e-12);
        assert_eq!(a.score_matrix().unwrap().nrows(), 498);
    }
}

/// A quadratic term of two-valued items is, orthogonalised, nothing but rounding (x² = x): a
/// typed error naming the product, on the moments route and on the regression route (a
/// missing cell), never a residual of noise standardised to unit variance.
#[test]
fn orthogonalised_products_that_are_linear_in_the_items_are_an_error() {
    let text = std::fs::read_to_string(fixture("wave2/moderation_500.csv")).unwrap();
    let mut binary = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            binary.push_str(line);
        } else {
            // SAT1..SAT3 (columns 6-8) cut at their scale's middle: two values.
            let cells: Vec<String> = line
                .split(',')
                .enumerate()
                .map(|(k, c)| match k {
                    5..=7 => (if c.parse::<f64>().unwrap() > 4.0 {
                        "7"
                    } else {
                        "1"
                    })
                    .into(),
                    _ => c.to_string(),
                })
                .collect();
            binary.push_str(&cells.join(","));
        }
        binary.push('\n');
    }
    let opts = LoadOptions::new().scale("*", 1.0, 7.0);
    let complete = Survey::from_reader(binary.as_bytes(), &opts).unwrap();
    let model = Model::parse(&MODEL.replace("SAT:SW", "SAT:SAT")).unwrap();
    let pls = Pls::new().interaction(InteractionMethod::Orthogonal);
    let err = pls.fit(&model, &complete).unwrap_err().to_string();
    assert!(
        err.contains("SAT1:SAT1") && err.contains("linear function"),
        "{err}"
    );
    // The same with a missing cell (the regression over the rows).
    let mut holed = String::new();
    for (i, line) in binary.lines().enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        if i == 30 {
            cells[0] = "";
        }
        holed.push_str(&cells.join(","));
        holed.push('\n');
    }
    let holed = Survey::from_reader(holed.as_bytes(), &opts).unwrap();
    let err = pls
        .missing(csindex::MissingPolicy::Listwise)
        .fit(&model, &holed)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("SAT1:SAT1") && err.contains("linear function"),
        "{err}"
    );
    // Product indicators (not orthogonalised) of the same items are no error.
    assert!(Pls::new()
        .interaction(InteractionMethod::ProductIndicator)
        .fit(&model, &complete)
        .is_ok());
}
