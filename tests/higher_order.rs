//! Higher-order constructs against seminr 2.3.4 (tests/fixtures/wave2, copied from the shared
//! synthetic references): the disjoint two-stage approach and repeated indicators.

mod common;
use common::*;
use csindex::{HocMethod, LoadOptions, Model, Pls, Survey};

fn setup() -> (serde_json::Value, Model, Survey) {
    let r = read_json(&fixture("wave2/rater_csi_600__hoc__path.json"));
    let model =
        Model::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/models/csi_rater.txt")).unwrap();
    let s = Survey::from_csv_path(
        fixture("wave2/rater_csi_600.csv"),
        &LoadOptions::new().scale("*", 1.0, 7.0),
    )
    .unwrap();
    (r, model, s)
}

fn paths(c: &mut Cmp, want: &serde_json::Value, fit: &csindex::Fit) {
    c.map("paths", want, |k| {
        let (a, b) = k.split_once("->").unwrap();
        fit.path(a, b).unwrap()
    });
}

#[test]
fn disjoint_two_stage_matches_seminr() {
    let (r, model, survey) = setup();
    assert_eq!(model.higher_order(), ["SQ"]);
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let want = &r["disjoint_two_stage"];
    let mut c = Cmp::new("disjoint_two_stage", 1e-10);
    c.map("hoc_weights", &want["hoc_weights"], |k| {
        fit.weight(k).unwrap()
    });
    c.map("hoc_loadings", &want["hoc_loadings"], |k| {
        fit.loading(k).unwrap()
    });
    c.map("outer_weights", &want["outer_weights"], |k| {
        fit.weight(k).unwrap()
    });
    c.map("loadings", &want["loadings"], |k| fit.loading(k).unwrap());
    paths(&mut c, &want["paths"], &fit);
    c.map("r2", &want["r2"], |k| fit.r2(k).unwrap());
    let s1 = fit.first_stage().unwrap();
    let fs = &want["first_stage"];
    c.map("first_stage.outer_weights", &fs["outer_weights"], |k| {
        s1.weight(k).unwrap()
    });
    c.map("first_stage.loadings", &fs["loadings"], |k| {
        s1.loading(k).unwrap()
    });
    paths(&mut c, &fs["paths"], s1);
    c.report();
    assert!(fit
        .warnings()
        .iter()
        .any(|w| w.contains("disjoint two-stage")));
}

#[test]
fn repeated_indicators_match_seminr() {
    let (r, model, survey) = setup();
    let fit = Pls::new()
        .higher_order(HocMethod::RepeatedIndicators)
        .fit(&model, &survey)
        .unwrap();
    let want = &r["repeated_indicators"];
    let mut c = Cmp::new("repeated_indicators", 1e-10);
    c.map("outer_weights", &want["outer_weights"], |k| {
        fit.weight(k).unwrap()
    });
    c.map("loadings", &want["loadings"], |k| fit.loading(k).unwrap());
    paths(&mut c, &want["paths"], &fit);
    c.map("r2", &want["r2"], |k| fit.r2(k).unwrap());
    c.report();
}

#[test]
fn the_index_combines_the_dimensions_and_the_json_has_both_stages() {
    let (_, model, survey) = setup();
    let res = csindex::Analysis::new(Pls::new())
        .run(&model, &survey)
        .unwrap();
    let fit = res.fit();
    let s1 = fit.first_stage().unwrap();
    let ix = fit
        .construct_index("SQ", csindex::IndexMethod::Fornell)
        .unwrap();
    // Σ u_d · index_d with u_d the normalised unstandardised weights of SQ on its dimensions.
    let mut want = 0.0;
    for (d, u) in ix.weights.0.iter() {
        want += u * s1.index(d).unwrap();
    }
    assert!((ix.index - want).abs() < 1e-10, "{} vs {want}", ix.index);
    assert!(ix.index > 0.0 && ix.index < 100.0);
    let v = res.to_value().unwrap();
    assert!(v["first_stage"]["paths"]["EXPE->REL"].is_number());
    assert!(v["outer_weights"]["REL"].is_number());
    assert!(!res.to_text().contains("answer scales not declared"));
}

#[test]
fn ipma_of_a_higher_order_construct_uses_its_dimensions_scores() {
    let (_, model, survey) = setup();
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let s1 = fit.first_stage().unwrap();
    let m = fit.ipma("SAT").unwrap();
    // The dimensions' performances are their stage-one mean 0-100 scores (IPMA's own
    // rescaling: items to 0-100, weights w / sd); SQ's is their weighted mean.
    let s1_map = s1.ipma("SAT").unwrap();
    let sq = m.constructs.iter().find(|p| p.name == "SQ").unwrap();
    let dims: Vec<_> = m
        .indicators
        .iter()
        .filter(|p| p.construct == "SQ")
        .collect();
    assert_eq!(dims.len(), 5);
    let mut weighted = 0.0;
    let mut total = 0.0;
    for d in &dims {
        let own = s1_map.constructs.iter().find(|p| p.name == d.name).unwrap();
        assert!(
            (d.performance - own.performance).abs() < 1e-10,
            "{}",
            d.name
        );
        let w = fit.weight(&d.name).unwrap();
        weighted += w * d.performance;
        total += w;
    }
    assert!(sq.performance > 0.0 && sq.performance < 100.0 && sq.importance > 0.0);
    // With (nearly) equal dimension sds the 0-100 weights are close to the raw weights.
    assert!((sq.performance - weighted / total).abs() < 0.5);
}

/// cSEM's `"2stage"` and `"mixed"`: stage one's weights and loadings, stage two's weights and
/// loadings of SQ on its dimensions, paths and R².
fn csem_matches(method: HocMethod, key: &str) {
    let (r, model, survey) = setup();
    let fit = Pls::new()
        .higher_order(method)
        .fit(&model, &survey)
        .unwrap();
    let want = &r[key];
    let mut c = Cmp::new(key, 1e-10);
    c.map("hoc_weights", &want["hoc_weights"], |k| {
        fit.weight(k).unwrap()
    });
    c.map("hoc_loadings", &want["hoc_loadings"], |k| {
        fit.loading(k).unwrap()
    });
    paths(&mut c, &want["paths"], &fit);
    c.map("r2", &want["r2"], |k| fit.r2(k).unwrap());
    let s1 = fit.first_stage().unwrap();
    let fs = &want["first_stage"];
    c.map("first_stage.outer_weights", &fs["outer_weights"], |k| {
        s1.weight(k).unwrap()
    });
    c.map("first_stage.loadings", &fs["loadings"], |k| {
        s1.loading(k).unwrap()
    });
    // The constructs outside the higher-order structure keep their stage-one weights.
    for k in ["EXPE1", "VAL2", "SAT3", "LOY1"] {
        assert!((fit.weight(k).unwrap() - s1.weight(k).unwrap()).abs() < 1e-12);
        assert!((fit.loading(k).unwrap() - s1.loading(k).unwrap()).abs() < 1e-12);
    }
    c.report();
    assert!(Pls::new()
        .higher_order(method)
        .consistent(true)
        .fit(&model, &survey)
        .is_err());
}

#[test]
fn csem_two_stage_matches_csem() {
    csem_matches(HocMethod::CsemTwoStage, "csem_2stage");
}

#[test]
fn csem_mixed_matches_csem() {
    csem_matches(HocMethod::CsemMixed, "csem_mixed");
}

/// Sarstedt et al. (2019): the dimensions from stage one, the higher-order construct on its
/// dimensions from stage two.
#[test]
fn higher_order_assessment_combines_both_stages() {
    let (_, model, survey) = setup();
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let a = fit.assess().unwrap();
    let s1 = fit.first_stage().unwrap().assess().unwrap();
    assert_eq!(a.higher_order.len(), 1);
    let h = &a.higher_order[0];
    assert_eq!(
        (h.construct.as_str(), h.measurement.as_str()),
        ("SQ", "reflective")
    );
    assert!((h.rho_c.unwrap() - a.rho_c.get("SQ").unwrap()).abs() < 1e-14);
    assert!((h.ave.unwrap() - a.ave.get("SQ").unwrap()).abs() < 1e-14);
    for d in &h.dimensions {
        assert!((d.ave.unwrap() - s1.ave.get(&d.name).unwrap()).abs() < 1e-14);
        assert!((d.loading - fit.loading(&d.name).unwrap()).abs() < 1e-14);
        assert!((d.vif.unwrap() - a.vif_outer.get(&d.name).unwrap()).abs() < 1e-10);
    }
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(
        v["higher_order_assessment"][0]["dimensions"][0]["name"],
        "REL"
    );
    // Repeated indicators: the paths to the dimensions are the loadings.
    let rep = Pls::new()
        .higher_order(HocMethod::RepeatedIndicators)
        .fit(&model, &survey)
        .unwrap();
    let h = &rep.assess().unwrap().higher_order[0];
    assert!((h.dimensions[0].loading - rep.path("SQ", "REL").unwrap()).abs() < 1e-14);
    assert!(h.alpha.is_none() && h.dimensions[0].weight.is_none());
    // A formative higher-order construct: collinearity of its dimensions, no reliability.
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/models/csi_rater.txt"))
            .unwrap()
            .replace("SQ =~ REL", "SQ <~ REL");
    let f = Pls::new()
        .fit(&Model::parse(&text).unwrap(), &survey)
        .unwrap();
    let h = &f.assess().unwrap().higher_order[0];
    assert_eq!(h.measurement, "formative");
    assert!(h.rho_c.is_none() && h.dimensions.iter().all(|d| d.vif.unwrap() < 3.0));
    // Plain fits have none, and no JSON key.
    let sample = Survey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_sample.csv"),
        &LoadOptions::new(),
    )
    .unwrap();
    let plain = Pls::new().fit(&Model::acsi(), &sample).unwrap();
    let pa = plain.assess().unwrap();
    assert!(pa.higher_order.is_empty());
    assert!(serde_json::to_value(&pa)
        .unwrap()
        .get("higher_order_assessment")
        .is_none());
}

#[test]
fn complete_rows_and_survey_paths_agree() {
    // Repeated indicators (alone, and as cSEM's "mixed" stage one) are fitted from the items'
    // moments on complete rows, the copies' moments being their items'; with a missing cell
    // (listwise deletion) through a survey with the copies added. Both give the fit of the
    // same rows. (Product indicators are not compared so: on the survey path their items are
    // standardised over every row where they are observed, by design.)
    let dir = std::env::temp_dir().join(format!("csindex-paths-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = std::fs::read_to_string(fixture("wave2/rater_csi_600.csv")).unwrap();
    let mut lines: Vec<&str> = csv.lines().collect();
    let first = lines[1].to_string();
    let blanked = first.replacen(first.split(',').next().unwrap(), "", 1);
    let opts = LoadOptions::new().scale("*", 1.0, 7.0);
    let (pa, pb) = (dir.join("a.csv"), dir.join("b.csv"));
    lines[1] = &blanked;
    std::fs::write(&pa, lines.join("\n")).unwrap();
    lines.remove(1);
    std::fs::write(&pb, lines.join("\n")).unwrap();
    let (a, b) = (
        Survey::from_csv_path(&pa, &opts).unwrap(),
        Survey::from_csv_path(&pb, &opts).unwrap(),
    );
    let model =
        Model::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/models/csi_rater.txt")).unwrap();
    let pls = Pls::new().missing(csindex::MissingPolicy::Listwise);
    for method in [HocMethod::RepeatedIndicators, HocMethod::CsemMixed] {
        let p = pls.higher_order(method);
        {
            let (fa, fb) = (p.fit(&model, &a).unwrap(), p.fit(&model, &b).unwrap());
            assert_eq!(fa.n_used(), fb.n_used());
            assert_eq!(fa.indicator_names(), fb.indicator_names());
            for f in fb.construct_names() {
                for t in fb.construct_names() {
                    if let (Ok(x), Ok(y)) = (fa.path(f, t), fb.path(f, t)) {
                        assert!((x - y).abs() < 1e-12, "{f}->{t}: {x} {y}");
                    }
                }
                if let (Ok(x), Ok(y)) = (fa.r2(f), fb.r2(f)) {
                    assert!((x - y).abs() < 1e-12, "R² {f}: {x} {y}");
                }
            }
            for k in fb.indicator_names() {
                let (x, y) = (fa.loading(k).unwrap(), fb.loading(k).unwrap());
                assert!((x - y).abs() < 1e-12, "{k}: {x} {y}");
                let (x, y) = (fa.weight(k).unwrap(), fb.weight(k).unwrap());
                assert!((x - y).abs() < 1e-12, "{k}: {x} {y}");
                assert_eq!(fa.scale(k).unwrap().0, fb.scale(k).unwrap().0, "{k}");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Under listwise deletion, a survey with missing cells (in a dimension's item and in another
/// construct's) gives the fit of its complete rows alone, by every method.
#[test]
fn listwise_deletion_equals_the_fit_of_the_complete_rows_by_every_method() {
    let root = env!("CARGO_MANIFEST_DIR");
    let text = std::fs::read_to_string(format!("{root}/data/rater_csi.csv")).unwrap();
    let (mut holed, mut dropped) = (String::new(), String::new());
    for (i, line) in text.lines().enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        match i {
            17 => cells[1] = "",  // REL2
            30 => cells[20] = "", // VAL2
            _ => {
                dropped.push_str(line);
                dropped.push('\n');
            }
        }
        holed.push_str(&cells.join(","));
        holed.push('\n');
    }
    let opts = LoadOptions::new().scale("*", 1.0, 7.0);
    let holed = Survey::from_reader(holed.as_bytes(), &opts).unwrap();
    let dropped = Survey::from_reader(dropped.as_bytes(), &opts).unwrap();
    let model = Model::from_path(format!("{root}/models/csi_rater.txt")).unwrap();
    for m in [
        HocMethod::DisjointTwoStage,
        HocMethod::CsemTwoStage,
        HocMethod::CsemMixed,
        HocMethod::RepeatedIndicators,
    ] {
        let pls = Pls::new()
            .higher_order(m)
            .missing(csindex::MissingPolicy::Listwise);
        let (a, b) = (
            pls.fit(&model, &holed).unwrap(),
            pls.fit(&model, &dropped).unwrap(),
        );
        let worst = largest_difference(&a, &b);
        println!("{m:?}: {worst:.1e}");
        assert!(worst < 1e-12);
    }
}
