//! Streaming a CSV file into moments: the same numbers and the same errors as loading it.

use csindex::stream::Stream;
use csindex::{Error, LoadOptions, MissingPolicy, Model, Moments, Pls, Survey};
use std::path::PathBuf;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/acsi_sample.csv")
}

fn opts() -> LoadOptions {
    LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0)
}

fn tmp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("csindex-stream-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn max_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// Every estimate the fit reports, flattened.
fn numbers(fit: &csindex::Fit) -> Vec<f64> {
    let s = fit.summary();
    let v = serde_json::to_value(&s).unwrap();
    let mut out = Vec::new();
    for key in [
        "outer_weights",
        "loadings",
        "paths",
        "r2",
        "r2_adj",
        "total_effects",
    ] {
        for (_, x) in v[key].as_object().unwrap() {
            out.push(x.as_f64().unwrap());
        }
    }
    out
}

#[test]
fn same_fit_as_in_memory_for_any_block_size_and_threads() {
    let model = Model::acsi();
    let pls = Pls::new();
    let survey = Survey::from_csv_path(sample(), &opts()).unwrap();
    let want = pls.fit(&model, &survey).unwrap();
    let names = want.indicator_names().to_vec();
    let mut first: Option<Moments> = None;
    for (block, threads) in [(4096, 1), (4096, 2), (10_000, 3), (1 << 20, 2)] {
        let m = Stream::new(opts())
            .block_bytes(block)
            .threads(threads)
            .moments(sample(), &names)
            .unwrap();
        assert_eq!(m.n_rows(), 250);
        let fit = pls.fit_moments(&model, &m).unwrap();
        let d = max_diff(&numbers(&fit), &numbers(&want));
        assert!(d < 1e-12, "block {block}, {threads} threads: {d:e}");
        let idx = csindex::Pls::new()
            .fit_moments(&model, &m)
            .unwrap()
            .indices(csindex::IndexMethod::Fornell);
        let idx0 = want.indices(csindex::IndexMethod::Fornell);
        for (a, b) in idx.0.iter().zip(&idx0.0) {
            assert!((a.index - b.index).abs() < 1e-10);
        }
        // Same block size: bit-identical for any thread count.
        if block == 4096 {
            match &first {
                None => first = Some(m),
                Some(f) => assert_eq!(f.to_json().unwrap(), m.to_json().unwrap()),
            }
        }
    }
}

#[test]
fn policies_and_weights_as_in_memory() {
    // Missing cells (empty, NA, a declared code), a weight column, quoted fields and CRLF.
    let mut text = String::from("id,w,a1,a2,a3,b1,b2,\"note, free\"\r\n");
    let mut state = 7u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for i in 0..900 {
        let base = next() % 5;
        let cell = |k: usize, r: usize| -> String {
            match r % 37 {
                0 => String::new(),
                1 => "NA".into(),
                2 => "99".into(),
                _ => (1 + (base + k + r % 2) % 5).to_string(),
            }
        };
        let row: Vec<String> = (0..5).map(|k| cell(k, next())).collect();
        text.push_str(&format!(
            "r{i},{}.5,{},\"x\ny{i}\"\r\n",
            1 + next() % 3,
            row.join(",")
        ));
    }
    let path = tmp("policies.csv", &text);
    let model = Model::parse("A =~ a1 + a2 + a3\nB =~ b1 + b2\nB ~ A").unwrap();
    for policy in [MissingPolicy::Listwise, MissingPolicy::Mean] {
        for weighted in [false, true] {
            let mut o = LoadOptions::new().missing_code("99").scale("*", 1.0, 5.0);
            if weighted {
                o = o.weights("w", csindex::WeightKind::Sampling);
            }
            let pls = Pls::new().missing(policy);
            let survey = Survey::from_csv_path(&path, &o).unwrap();
            let want = pls.fit(&model, &survey).unwrap();
            let m = Stream::new(o.clone())
                .missing(policy)
                .block_bytes(4096)
                .moments(&path, want.indicator_names())
                .unwrap();
            let got = pls.fit_moments(&model, &m).unwrap();
            let d = max_diff(&numbers(&got), &numbers(&want));
            assert!(d < 1e-12, "{policy:?} weighted {weighted}: {d:e}");
            assert_eq!(got.n_used(), want.n_used());
        }
    }
}

/// The error of loading and fitting in memory, and of streaming, as text.
fn both_errors(text: &str, o: LoadOptions, names: &[&str]) -> (String, String) {
    let path = tmp("bad.csv", text);
    let model = Model::parse("A =~ a1 + a2\nB =~ b1 + b2\nB ~ A").unwrap();
    let memory = Survey::from_csv_path(&path, &o)
        .and_then(|s| Pls::new().missing(MissingPolicy::Listwise).fit(&model, &s))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    let streamed = Stream::new(o)
        .missing(MissingPolicy::Listwise)
        .block_bytes(4096)
        .moments(&path, names)
        .and_then(|m| {
            Pls::new()
                .missing(MissingPolicy::Listwise)
                .fit_moments(&model, &m)
        })
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    (memory, streamed)
}

#[test]
fn same_errors_with_the_same_lines() {
    let names = ["a1", "a2", "b1", "b2"];
    let good = |i: usize| {
        format!(
            "{},{},{},{}\n",
            1 + i % 5,
            1 + (i + 1) % 5,
            1 + (i + 2) % 5,
            1 + (i * 3) % 5
        )
    };
    let body = |n: usize| (0..n).map(good).collect::<String>();
    let cases: Vec<(String, LoadOptions)> = vec![
        // A ragged row deep in the file (past several blocks).
        (
            format!("a1,a2,b1,b2\n{}1,2,3\n{}", body(3000), body(10)),
            LoadOptions::new(),
        ),
        // A text cell, after quoted multi-line fields shifted the line count.
        (
            format!(
                "a1,a2,b1,b2,t\n{}",
                (0..2000)
                    .map(|i| format!("{},2,3,4,\"a\nb\"\n", 1 + i % 5))
                    .collect::<String>()
            ) + "x,2,3,4,z\n",
            LoadOptions::new(),
        ),
        // An answer outside the declared scale (a model column).
        (
            format!("a1,a2,b1,b2\n{}1,2,3,9\n", body(2500)),
            LoadOptions::new().scale("*", 1.0, 5.0),
        ),
        // A bad weight.
        (
            format!(
                "a1,a2,b1,b2,w\n{}",
                (0..3000)
                    .map(|i| format!(
                        "1,{},3,4,{}\n",
                        1 + i % 4,
                        if i == 2222 { "-1" } else { "1" }
                    ))
                    .collect::<String>()
            ),
            LoadOptions::new().weights("w", csindex::WeightKind::Sampling),
        ),
        // An unknown column.
        ("a1,a2,b1,bb2\n1,2,3,4\n".to_string(), LoadOptions::new()),
        // A column that is all text.
        (
            "a1,a2,b1,b2\n1,2,3,x\n2,3,4,y\n".to_string(),
            LoadOptions::new(),
        ),
        // A column with no observed value.
        (
            "a1,a2,b1,b2\n1,2,3,NA\n2,3,4,\n".to_string(),
            LoadOptions::new(),
        ),
        // No data rows, an empty file.
        ("a1,a2,b1,b2\n".to_string(), LoadOptions::new()),
        (String::new(), LoadOptions::new()),
        // A truncated last line.
        (format!("a1,a2,b1,b2\n{}1,2", body(100)), LoadOptions::new()),
        // Unbalanced quotes.
        (
            format!("a1,a2,b1,b2\n{}1,\"2,3,4\n", body(100)),
            LoadOptions::new(),
        ),
        // CRLF line ends and a semicolon dialect with decimal commas, then a text cell.
        (
            format!(
                "a1;a2;b1;b2\r\n{}1,5;2;3;oops\r\n",
                (0..3000)
                    .map(|i| format!("{},5;2;3;{}\r\n", 1 + i % 4, 1 + i % 3))
                    .collect::<String>()
            ),
            LoadOptions::new(),
        ),
        // A reversed column without a scale.
        (
            "a1,a2,b1,b2\n1,2,3,4\n".to_string(),
            LoadOptions::new().reverse("a1"),
        ),
        // Numbers beyond ±1e100 (undeclared codes), in two columns and blocks: the first in
        // the file is named, in a quoted block too.
        (
            format!(
                "a1,a2,b1,b2\n{}1,2,3,-1.797e308\n{}\"1e200\",2,3,4\n",
                body(1500),
                body(1500)
            ),
            LoadOptions::new(),
        ),
        // A byte-order mark that is not at the start of the file: text, also where a quoted
        // block starts.
        (
            format!("a1,a2,b1,b2\n\u{feff}1,\"2\",3,4\n{}", body(3000)),
            LoadOptions::new(),
        ),
        // Blank lines before the header and inside the data.
        (
            format!("\n\na1,a2,b1,b2\n{}\n\n1,2,3,x9\n", body(10)),
            LoadOptions::new(),
        ),
    ];
    for (i, (text, o)) in cases.into_iter().enumerate() {
        let (memory, streamed) = both_errors(&text, o, &names);
        assert!(!memory.is_empty(), "case {i}: the in-memory load must fail");
        assert_eq!(memory, streamed, "case {i}");
    }
}

#[test]
fn long_records_are_refused_with_their_line() {
    let text = format!("a,b\n1,2\n3,{}\n", "4".repeat(100_000));
    let path = tmp("long.csv", &text);
    let err = Stream::new(LoadOptions::new())
        .block_bytes(4096)
        .max_record_bytes(50_000)
        .missing(MissingPolicy::Listwise)
        .moments(&path, &["a", "b"])
        .unwrap_err();
    match err {
        Error::RecordTooLong { line, limit, .. } => assert_eq!((line, limit), (3, 50_000)),
        other => panic!("{other}"),
    }
}

#[test]
fn partitions_merge_to_the_whole_in_any_order() {
    let text = std::fs::read_to_string(sample()).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let rows: Vec<&str> = lines.collect();
    let names: Vec<String> = header.split(',').map(String::from).collect();
    let stream = Stream::new(opts()).missing(MissingPolicy::Listwise);
    let whole = stream.moments(sample(), &names).unwrap();
    let cuts = [0, 17, 90, 91, 250];
    let parts: Vec<Moments> = cuts
        .windows(2)
        .enumerate()
        .map(|(k, w)| {
            let t = format!("{header}\n{}\n", rows[w[0]..w[1]].join("\n"));
            let p = tmp(&format!("part{k}.csv"), &t);
            let m = stream.moments(&p, &names).unwrap();
            Moments::from_json(&m.to_json().unwrap()).unwrap()
        })
        .collect();
    let model = Model::acsi();
    let want = numbers(&Pls::new().fit_moments(&model, &whole).unwrap());
    for order in [[0, 1, 2, 3], [3, 1, 0, 2], [2, 3, 1, 0]] {
        let mut m = parts[order[0]].clone();
        for &k in &order[1..] {
            m.merge(&parts[k]).unwrap();
        }
        let d = max_diff(
            &numbers(&Pls::new().fit_moments(&model, &m).unwrap()),
            &want,
        );
        assert!(d < 1e-12, "{order:?}: {d:e}");
        assert_eq!(m.n_rows(), 250);
    }
}

#[test]
fn scores_in_a_second_pass_equal_the_fit_scores() {
    let model = Model::acsi();
    let survey = Survey::from_csv_path(sample(), &opts()).unwrap();
    let want = Pls::new().fit(&model, &survey).unwrap();
    let stream = Stream::new(opts()).block_bytes(4096).threads(2);
    let m = stream.moments(sample(), want.indicator_names()).unwrap();
    let fit = Pls::new().fit_moments(&model, &m).unwrap();
    let out = std::env::temp_dir().join(format!("csindex-scores-{}.csv", std::process::id()));
    let n = stream.write_scores(sample(), &fit, &out).unwrap();
    assert_eq!(n, 250);
    let s = Survey::from_csv_path(&out, &LoadOptions::new()).unwrap();
    let scores = want.score_matrix().unwrap();
    for (j, lv) in want.construct_names().iter().enumerate() {
        let got = s.numeric(lv).unwrap();
        let col: Vec<f64> = scores.column(j).iter().copied().collect();
        assert!(max_diff(got, &col) < 1e-12, "{lv}");
    }
    assert_eq!(s.numeric("line").unwrap()[0], 2.0);
}

#[test]
fn lines_are_true_lines_with_crlf_quotes_and_blank_lines() {
    // The CSV reader's own count is one short after a CRLF or a blank line: both the loader
    // and the stream count line feeds instead.
    let names = ["a1", "a2", "b1", "b2"];
    let cases = [
        ("a1,a2,b1,b2\r\n1,2,3,4\r\nx,2,3,4\r\n", 3),
        ("a1,a2,b1,b2\n1,2,3,4\n\n\nx,2,3,4\n", 5),
        (
            "a1,a2,b1,b2,t\r\n1,2,3,4,\"a\r\nb\"\r\n\r\nx,2,3,4,c\r\n",
            5,
        ),
        ("\r\na1,a2,b1,b2\r\n1,2,3,4\r\nx,2,3,4\r\n", 4),
    ];
    for (text, line) in cases {
        let (memory, streamed) = both_errors(text, LoadOptions::new(), &names);
        assert!(memory.starts_with(&format!("line {line},")), "{memory}");
        assert_eq!(memory, streamed);
    }
    // CR-only line ends: the loader counts them; streaming (blocks cut at line feeds) says so.
    let (memory, streamed) = both_errors(
        "a1,a2,b1,b2\r1,2,3,4\r\rx,2,3,4\r",
        LoadOptions::new(),
        &names,
    );
    assert!(memory.starts_with("line 4,"), "{memory}");
    assert!(streamed.contains("carriage return"), "{streamed}");
}

#[test]
fn mixed_encodings_across_parts_are_errors_naming_the_file() {
    // The same header in UTF-8 and in Latin-1: the Latin-1 part is not UTF-8 (a CSV error in
    // its header line, an encoding error); the same part re-encoded twice (mojibake) reads, but its moments do
    // not merge with the others', and the error names its file.
    let utf8 = "a,zufriedenheit_\u{e4}\n1,2\n2,3\n3,3\n";
    let latin1: Vec<u8> = utf8.chars().map(|c| c as u32 as u8).collect();
    let mojibake = "a,zufriedenheit_\u{c3}\u{a4}\n1,2\n2,4\n3,3\n";
    let dir = std::env::temp_dir().join(format!("csindex-enc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (pa, pb, pc) = (dir.join("a.csv"), dir.join("b.csv"), dir.join("c.csv"));
    std::fs::write(&pa, utf8).unwrap();
    std::fs::write(&pb, latin1).unwrap();
    std::fs::write(&pc, mojibake).unwrap();
    let stream = Stream::new(LoadOptions::new()).missing(MissingPolicy::Listwise);
    let a = stream.moments(&pa, &["a", "zufriedenheit_\u{e4}"]).unwrap();
    match stream.moments(&pb, &["a", "zufriedenheit_\u{e4}"]) {
        Err(Error::Encoding { message }) if message.starts_with("line 1:") => {}
        other => panic!("{other:?}"),
    }
    let c = stream
        .moments(&pc, &["a", "zufriedenheit_\u{c3}\u{a4}"])
        .unwrap();
    let (ja, jc) = (dir.join("a.json"), dir.join("c.json"));
    std::fs::write(&ja, a.to_json().unwrap()).unwrap();
    std::fs::write(&jc, c.to_json().unwrap()).unwrap();
    match Moments::read_merged(&[&ja, &jc]) {
        Err(Error::MomentsMismatch { file, message }) => {
            assert!(
                file.ends_with("c.json") && message.contains("columns differ"),
                "{message}"
            )
        }
        other => panic!("{other:?}"),
    }
}
