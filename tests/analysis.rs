//! The result schema the library owns: `Analysis` → `AnalysisResult` → JSON (schema 2).

use csindex::{
    analysis::Analysis, predict::Predict, segments::Segments, Bootstrap, LoadOptions,
    MissingPolicy, Model, Moments, Pls, Survey,
};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// Walks JSON text and fails on a key that appears twice in one object (serde_json's `Value`
/// would keep only the last).
struct NoDuplicates;

impl<'de> Visitor<'de> for NoDuplicates {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(k) = map.next_key::<String>()? {
            assert!(seen.insert(k.clone()), "duplicate key '{k}'");
            map.next_value_seed(NoDuplicatesSeed)?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(NoDuplicatesSeed)?.is_some() {}
        Ok(())
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

struct NoDuplicatesSeed;
impl<'de> serde::de::DeserializeSeed<'de> for NoDuplicatesSeed {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(NoDuplicates)
    }
}

/// Every key starting with `ci` holds `{"lo", "hi"}` or null; no value is a bare pair.
fn intervals_are_objects(v: &Value, path: &str) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k.starts_with("ci") || k == "mean_ci" {
                    match x {
                        Value::Null => {}
                        Value::Object(c) => {
                            assert!(
                                c.len() == 2 && c["lo"].is_number() && c["hi"].is_number(),
                                "{path}.{k}"
                            )
                        }
                        other => panic!("{path}.{k} is {other}"),
                    }
                }
                intervals_are_objects(x, &format!("{path}.{k}"));
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                intervals_are_objects(x, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

fn survey() -> Survey {
    let opts = LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0);
    Survey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_missing_400.csv"),
        &opts,
    )
    .unwrap()
}

#[test]
fn schema_of_a_full_analysis() {
    let s = survey();
    let model = Model::acsi();
    let pls = Pls::new().missing(MissingPolicy::Listwise);
    let result = Analysis::new(pls)
        .bootstrap(Bootstrap::new(60).seed(2))
        .ipma("SAT")
        .blindfold(7)
        .levels(0.95)
        .segments(
            Segments::new("segment")
                .bootstrap(30)
                .permutations(29)
                .seed(3),
        )
        .predict(Predict::new().folds(5).repetitions(1).seed(4))
        .run(&model, &s)
        .unwrap();
    let text = result.to_json().unwrap();
    let mut de = serde_json::Deserializer::from_str(&text);
    de.deserialize_any(NoDuplicates).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema"], 2);
    for key in [
        "outer_weights",
        "loadings",
        "paths",
        "r2",
        "r2_adj",
        "total_effects",
        "indirect_effects",
        "specific_indirect_effects",
        "lv_correlations",
        "cross_loadings",
        "alpha",
        "rho_c",
        "rho_a",
        "ave",
        "htmt_seminr",
        "f2_seminr",
        "vif_inner",
        "srmr_csem",
        "d_uls",
        "d_g",
        "d_g_ln",
        "index",
        "ipma",
        "bootstrap",
        "q2",
        "levels",
        "segments",
        "predict",
    ] {
        assert!(v.get(key).is_some(), "missing top-level '{key}'");
    }
    // Option values as the flags write them.
    assert_eq!(v["scheme"], "path");
    assert_eq!(v["missing_policy"], "listwise");
    assert_eq!(v["bootstrap"]["sign_change"], "none");
    assert_eq!(v["predict"]["antecedents"], "direct");
    assert_eq!(v["index_method"], "fornell");
    // Construct tables keyed by construct in model order, with the index's parts.
    let lvs: Vec<String> = model.constructs().iter().map(|c| c.name.clone()).collect();
    let keys: Vec<&String> = v["index"].as_object().unwrap().keys().collect();
    let expected: Vec<&String> = lvs.iter().filter(|c| keys.contains(c)).collect();
    assert_eq!(keys, expected);
    let sat = &v["index"]["SAT"];
    for k in ["index", "weights", "item_means", "scale_min", "scale_max"] {
        assert!(sat.get(k).is_some(), "index.SAT.{k}");
    }
    let fit = result.fit();
    assert!((sat["index"].as_f64().unwrap() - fit.index("SAT").unwrap()).abs() < 1e-12);
    assert!(
        (v["paths"]["QUAL->SAT"].as_f64().unwrap() - fit.path("QUAL", "SAT").unwrap()).abs()
            < 1e-15
    );
    // Paths keyed "FROM->TO" everywhere.
    assert!(v["bootstrap"]["paths"]["QUAL->SAT"]["se"].as_f64().unwrap() > 0.0);
    let g = v["segments"]["groups"].as_object().unwrap();
    assert!(g.values().all(|x| x["paths"]["QUAL->SAT"].is_number()));
    let comp = &v["segments"]["comparisons"][0];
    assert!(comp["paths"]["QUAL->SAT"]["permutation_p"].is_number());
    assert!(comp["micom"]["SAT"]["compositional_c"].is_number());
    assert!(v["levels"]["SAT1"]["mean_ci"]["lo"].is_number());
    assert!(v["predict"]["items"]["SAT1"]["pls_rmse"].is_number());
    assert!(v["q2"]["SAT"]["redundancy"].is_number());
    intervals_are_objects(&v, "");
    // The text report comes from the same result.
    let t = result.to_text();
    assert!(t.contains("Satisfaction levels") && t.contains("Index by segment"));
}

#[test]
fn moments_give_the_moment_sections() {
    let s = survey();
    let model = Model::acsi();
    let pls = Pls::new().missing(MissingPolicy::Listwise);
    let a = Analysis::new(pls).ipma("SAT").run(&model, &s).unwrap();
    let m = Moments::from_survey(&s, &model.indicators(), MissingPolicy::Listwise).unwrap();
    let b = Analysis::new(pls)
        .ipma("SAT")
        .run_moments(&model, &m)
        .unwrap();
    let (va, vb) = (a.to_value().unwrap(), b.to_value().unwrap());
    for key in [
        "outer_weights",
        "paths",
        "r2",
        "alpha",
        "htmt_seminr",
        "srmr_csem",
        "index",
        "ipma",
    ] {
        assert_eq!(va[key], vb[key], "{key}");
    }
    assert!(matches!(
        Analysis::new(pls)
            .bootstrap(Bootstrap::new(10))
            .run_moments(&model, &m),
        Err(csindex::Error::NeedsRows { .. })
    ));
    assert!(matches!(
        Analysis::new(pls).ipma("SATT").run(&model, &s),
        Err(csindex::Error::UnknownConstruct {
            suggestion: Some(_),
            ..
        })
    ));
}
