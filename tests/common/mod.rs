//! Helpers shared by the reference tests.
#![allow(dead_code)]

#[cfg(feature = "parquet")]
pub mod parquet;

use csindex::{Mode, Model};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The bundled data/acsi_sample.csv with its scales declared (items 1..10, COMP1 0..1).
pub fn acsi_sample() -> csindex::Survey {
    let opts = csindex::LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0);
    csindex::Survey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_sample.csv"),
        &opts,
    )
    .expect("data/acsi_sample.csv")
}

/// tests/fixtures/<rel>
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// ../shared beside the project, if present (it holds the real peer data sets, which are never
/// copied into the project). Tests that need it print SKIPPED and pass when it is absent.
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.join("peers/ref").is_dir() {
        Some(p)
    } else {
        eprintln!("SKIPPED: ../shared/peers is absent; the peer-data tests did not run");
        None
    }
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The reference files' fixtures: every `<data>__<variant>__<scheme>.json`.
pub fn reference_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(fixture("reference"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            n.ends_with(".json") && n.contains("__")
        })
        .collect();
    v.sort();
    v
}

fn str_list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
        _ => panic!("not a list: {v}"),
    }
}

/// Builds the model from `blocks`, `modes` and `paths_spec` of a reference file (or models.json).
pub fn model_from(
    blocks: &Value,
    modes: Option<&Value>,
    paths: &Value,
    order: Option<&Value>,
) -> Model {
    let names: Vec<String> = match order {
        Some(o) => str_list(o),
        None => blocks.as_object().unwrap().keys().cloned().collect(),
    };
    let mut b = Model::builder();
    for n in &names {
        let inds = str_list(&blocks[n]);
        let refs: Vec<&str> = inds.iter().map(|s| s.as_str()).collect();
        let mode = match modes.and_then(|m| m.get(n)).and_then(|x| x.as_str()) {
            Some("B") => Mode::B,
            _ => Mode::A,
        };
        b = b.construct(n, mode, &refs);
    }
    for p in paths.as_array().unwrap() {
        match p {
            Value::String(s) => {
                let (f, t) = s.split_once("->").unwrap();
                b = b.path(f.trim(), t.trim());
            }
            Value::Array(a) => b = b.path(a[0].as_str().unwrap(), a[1].as_str().unwrap()),
            _ => panic!("bad path {p}"),
        }
    }
    b.build().unwrap()
}

/// Tracks the largest absolute difference per field and fails above the tolerance.
pub struct Cmp {
    pub tol: f64,
    pub label: String,
    pub worst: Vec<(String, f64)>,
    pub count: usize,
}

impl Cmp {
    pub fn new(label: &str, tol: f64) -> Cmp {
        Cmp {
            tol,
            label: label.to_string(),
            worst: Vec::new(),
            count: 0,
        }
    }
    pub fn num(&mut self, field: &str, key: &str, got: f64, want: f64) {
        let d = (got - want).abs();
        assert!(
            d <= self.tol,
            "{}: {field}[{key}] = {got}, reference {want} (diff {d:e} > {:e})",
            self.label,
            self.tol
        );
        self.count += 1;
        match self.worst.iter_mut().find(|(f, _)| f == field) {
            Some(x) => x.1 = x.1.max(d),
            None => self.worst.push((field.to_string(), d)),
        }
    }
    /// Compares every key of a JSON object of numbers with `get(key)`.
    pub fn map(&mut self, field: &str, want: &Value, mut get: impl FnMut(&str) -> f64) {
        let obj = want
            .as_object()
            .unwrap_or_else(|| panic!("{}: {field} is not an object", self.label));
        for (k, v) in obj {
            if let Some(w) = v.as_f64() {
                self.num(field, k, get(k), w);
            }
        }
    }
    pub fn max(&self) -> f64 {
        self.worst.iter().map(|x| x.1).fold(0.0, f64::max)
    }
    pub fn report(&self) {
        let parts: Vec<String> = self
            .worst
            .iter()
            .map(|(f, d)| format!("{f} {d:.1e}"))
            .collect();
        eprintln!(
            "{}: {} values, max diff {:.1e} ({})",
            self.label,
            self.count,
            self.max(),
            parts.join(", ")
        );
    }
}

/// The data file a reference fixture names (acsi_250.csv is bundled as data/acsi_sample.csv).
pub fn fixture_data(name: &str) -> PathBuf {
    let name = if name == "acsi_250.csv" {
        "acsi_sample.csv"
    } else {
        name
    };
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// Model, survey and fit for a synthetic reference fixture, with its missing-data policy and
/// scheme; `opts` sets scales, `consistent` PLSc.
pub fn fit_fixture(
    r: &Value,
    opts: &csindex::LoadOptions,
    consistent: bool,
) -> (Model, csindex::Survey, csindex::Fit) {
    let model = model_from(&r["blocks"], Some(&r["modes"]), &r["paths_spec"], None);
    let survey =
        csindex::Survey::from_csv_path(fixture_data(r["data"].as_str().unwrap()), opts).unwrap();
    let policy = match r["missing_policy"].as_str().unwrap() {
        "listwise" => csindex::MissingPolicy::Listwise,
        "mean" => csindex::MissingPolicy::Mean,
        _ => csindex::MissingPolicy::Fail,
    };
    let scheme: csindex::Scheme = r["scheme"].as_str().unwrap().parse().unwrap();
    let fit = csindex::Pls::new()
        .scheme(scheme)
        .missing(policy)
        .consistent(consistent)
        .fit(&model, &survey)
        .unwrap();
    (model, survey, fit)
}

/// The peer files in ../shared/peers/ref whose names end with `suffix`, sorted.
pub fn peer_files(shared: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("peers/ref"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    files
}

/// A peer model from models.json and its data set (read in place from ../shared/peers).
pub fn peer_case(
    shared: &Path,
    model_name: &str,
    opts: &csindex::LoadOptions,
) -> (Model, csindex::Survey) {
    let models = read_json(&shared.join("peers/ref/models.json"));
    let m = &models[model_name];
    let model = model_from(&m["blocks"], m.get("modes"), &m["paths"], Some(&m["lvs"]));
    let survey = csindex::Survey::from_csv_path(
        shared.join("peers").join(m["data"].as_str().unwrap()),
        opts,
    )
    .unwrap();
    (model, survey)
}

/// The largest absolute difference between two fits' estimates (outer weights, loadings,
/// paths, R²), which must name the same things in the same order.
pub fn largest_difference(a: &csindex::Fit, b: &csindex::Fit) -> f64 {
    let (sa, sb) = (a.summary(), b.summary());
    let mut worst = 0.0_f64;
    for (x, y) in [
        (&sa.outer_weights, &sb.outer_weights),
        (&sa.loadings, &sb.loadings),
        (&sa.paths, &sb.paths),
        (&sa.r2, &sb.r2),
    ] {
        assert_eq!(x.len(), y.len());
        for ((kx, vx), (ky, vy)) in x.iter().zip(y.iter()) {
            assert_eq!(kx, ky);
            worst = worst.max((vx - vy).abs());
        }
    }
    worst
}
