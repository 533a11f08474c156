//! Parquet input: the same moments, fits and errors as the CSV of the same data.
#![cfg(feature = "parquet")]

mod common;
use common::parquet::{sample, write, write_csv, Kind};
use csindex::stream::Stream;
use csindex::{Error, LoadOptions, MissingPolicy, Model, Pls, Survey};
use std::path::PathBuf;

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("csindex-parquet-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn opts() -> LoadOptions {
    LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0)
        .missing_code("99")
}

fn paths(fit: &csindex::Fit) -> Vec<f64> {
    let v = serde_json::to_value(fit.summary()).unwrap();
    ["outer_weights", "loadings", "paths", "r2"]
        .iter()
        .flat_map(|k| {
            v[*k]
                .as_object()
                .unwrap()
                .values()
                .map(|x| x.as_f64().unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn close(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

#[test]
fn same_results_as_the_csv_of_the_same_data() {
    let (names, mut rows) = sample();
    // Missing cells: empty (null in Parquet) and the declared code 99.
    rows[3][4] = String::new();
    rows[10][0] = "99".into();
    let d = dir("same");
    let csv = d.join("all.csv");
    write_csv(&csv, &names, &rows);
    // One file, and a directory of three parts of different column types and codecs, with a
    // marker file and a hidden file that are skipped.
    let one = d.join("all.parquet");
    write(&one, &names, &rows, Kind::Int, false);
    let parts = d.join("parts");
    std::fs::create_dir_all(parts.join("wave=2")).unwrap();
    write(
        &parts.join("a.parquet"),
        &names,
        &rows[..100],
        Kind::Float,
        true,
    );
    write(
        &parts.join("b.parquet"),
        &names,
        &rows[100..180],
        Kind::Text,
        false,
    );
    write(
        &parts.join("wave=2/c.parquet"),
        &names,
        &rows[180..],
        Kind::Int,
        true,
    );
    std::fs::write(parts.join("_SUCCESS"), "").unwrap();
    std::fs::write(parts.join(".a.parquet.crc"), "x").unwrap();
    let model = Model::acsi();
    let pls = Pls::new().missing(MissingPolicy::Listwise);
    let want = pls
        .fit(&model, &Survey::from_csv_path(&csv, &opts()).unwrap())
        .unwrap();
    let stream = Stream::new(opts()).missing(MissingPolicy::Listwise);
    let from_csv = stream.moments(&csv, want.indicator_names()).unwrap();
    for source in [&one, &parts] {
        let m = stream
            .moments_parquet(source, want.indicator_names())
            .unwrap();
        assert_eq!(m.n_rows(), 250);
        assert_eq!(m.missing_counts(), from_csv.missing_counts());
        let got = pls.fit_moments(&model, &m).unwrap();
        assert!(
            close(&paths(&got), &paths(&want)) < 1e-12,
            "{}",
            source.display()
        );
        let s = Survey::from_parquet(source, &opts()).unwrap();
        let fit = pls.fit(&model, &s).unwrap();
        assert!(
            close(&paths(&fit), &paths(&want)) < 1e-12,
            "{}",
            source.display()
        );
    }
}

#[test]
fn errors_name_the_line_and_the_file() {
    let (names, mut rows) = sample();
    rows[41][2] = "x".into();
    let d = dir("errors");
    let csv = d.join("bad.csv");
    write_csv(&csv, &names, &rows);
    let pq = d.join("bad.parquet");
    write(&pq, &names, &rows, Kind::Text, false);
    let stream = Stream::new(opts()).missing(MissingPolicy::Listwise);
    let cols = Model::acsi().indicators();
    let a = stream.moments(&csv, &cols).unwrap_err().to_string();
    let b = stream.moments_parquet(&pq, &cols).unwrap_err().to_string();
    assert_eq!(a, b);
    assert!(a.starts_with("line 43,"), "{a}");
    // A part without a column the first part has.
    let parts = d.join("parts");
    std::fs::create_dir_all(&parts).unwrap();
    write(
        &parts.join("1.parquet"),
        &names,
        &rows[..10],
        Kind::Int,
        false,
    );
    write(
        &parts.join("2.parquet"),
        &names[1..],
        &rows[10..20]
            .iter()
            .map(|r| r[1..].to_vec())
            .collect::<Vec<_>>(),
        Kind::Int,
        false,
    );
    match stream.moments_parquet(&parts, &cols) {
        Err(Error::Parquet { path, message }) => {
            assert!(
                path.ends_with("2.parquet") && message.contains("EXPE1"),
                "{path}: {message}"
            )
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        stream.moments_parquet(d.join("none"), &cols),
        Err(Error::Io { .. })
    ));
}
