//! The bad-input catalogue of the README, one case each: every bad input is a typed error
//! that names where the problem is (the line, the column, the construct or the file).

use csindex::data::Limits;
use csindex::{Error, LoadOptions, MissingPolicy, Model, Pls, Survey};

fn model() -> Model {
    Model::parse("A =~ a1 + a2\nB =~ b1 + b2\nB ~ A").unwrap()
}

/// Loads the text and fits the two-block model: the first error.
fn run(text: &[u8], opts: LoadOptions) -> Error {
    Survey::from_reader(text, &opts)
        .and_then(|s| {
            Pls::new()
                .missing(MissingPolicy::Listwise)
                .fit(&model(), &s)
        })
        .expect_err("a bad input must fail")
}

fn rows(n: usize) -> String {
    let mut t = String::from("a1,a2,b1,b2,w\n");
    for i in 0..n {
        let x = (i % 5) as f64 + 1.0;
        t.push_str(&format!(
            "{x},{},{},{},1\n",
            (i * 3 % 5) + 1,
            (i * 7 % 5) + 1,
            (i * 2 % 5) + 1
        ));
    }
    t
}

#[test]
fn the_catalogue() {
    let good = rows(30);
    let with = |line: usize, cell: usize, value: &str| -> String {
        let mut out = Vec::new();
        for (k, l) in good.lines().enumerate() {
            if k + 1 == line {
                let mut cells: Vec<&str> = l.split(',').collect();
                cells[cell] = value;
                out.push(cells.join(","));
            } else {
                out.push(l.to_string());
            }
        }
        out.join("\n") + "\n"
    };
    // Every data row's cell `cell` set to `value`.
    let column = |cell: usize, value: &str| -> String {
        let mut out = Vec::new();
        for (k, l) in good.lines().enumerate() {
            let mut cells: Vec<&str> = l.split(',').collect();
            if k > 0 {
                cells[cell] = value;
            }
            out.push(cells.join(","));
        }
        out.join("\n") + "\n"
    };
    let o = LoadOptions::new;
    // (case, error, text that must appear in the message)
    let cases: Vec<(&str, Error, &str)> = vec![
        ("empty", run(b"", o()), "empty"),
        ("header only", run(b"a1,a2,b1,b2\n", o()), "no data rows"),
        (
            "ragged",
            run(format!("{good}1,2,3\n").as_bytes(), o()),
            "line 32",
        ),
        (
            "non-numeric",
            run(with(5, 1, "abc").as_bytes(), o()),
            "line 5, column 'a2'",
        ),
        (
            "constant column",
            run(column(2, "3").as_bytes(), o()),
            "'b1'",
        ),
        (
            "unknown name",
            {
                let s = Survey::from_reader(good.as_bytes(), &o()).unwrap();
                let m = Model::parse("A =~ a1 + a3\nB =~ b1 + b2\nB ~ A").unwrap();
                Pls::new().fit(&m, &s).unwrap_err()
            },
            "'a3'",
        ),
        (
            "cyclic model",
            Model::parse("A =~ a1 + a2\nB =~ b1 + b2\nB ~ A\nA ~ B").unwrap_err(),
            "A",
        ),
        ("n < p", run(rows(2).as_bytes(), o()), "rows"),
        ("all missing", run(column(3, "").as_bytes(), o()), "'b2'"),
        (
            "bad weights",
            run(
                with(7, 4, "-2").as_bytes(),
                o().weights("w", csindex::WeightKind::Sampling),
            ),
            "row 7",
        ),
        (
            "bad encoding",
            run(b"a1,a2,b1,b2\n1,2,3,4\n1,\xff,3,4\n", o().encoding("utf-8")),
            "line 3",
        ),
        (
            "line too long",
            run(
                format!("{good}{}\n", "1".repeat(5000)).as_bytes(),
                o().limits(Limits {
                    max_record_bytes: 4096,
                    ..Limits::default()
                }),
            ),
            "line 32",
        ),
        (
            "too many columns",
            run(
                good.as_bytes(),
                o().limits(Limits {
                    max_columns: 3,
                    ..Limits::default()
                }),
            ),
            "5 columns",
        ),
        (
            "field too long",
            run(
                with(9, 0, &"7".repeat(300)).as_bytes(),
                o().limits(Limits {
                    max_field_bytes: 100,
                    ..Limits::default()
                }),
            ),
            "line 9, column 'a1'",
        ),
        (
            "answer beyond 1e100",
            run(with(6, 2, "-1.797e308").as_bytes(), o()),
            "line 6, column 'b1': '-1.797e308' is beyond ±1e100",
        ),
    ];
    for (case, e, needle) in &cases {
        let msg = e.to_string();
        println!("{case:18} {msg}");
        assert!(
            msg.contains(needle),
            "{case}: '{msg}' does not name '{needle}'"
        );
    }
    let kind = |i: usize| std::mem::discriminant(&cases[i].1);
    let expect = [
        Error::EmptyFile,
        Error::NoRows,
        Error::RaggedRow {
            line: 0,
            expected: 0,
            found: 0,
        },
    ];
    for (i, e) in expect.iter().enumerate() {
        assert_eq!(kind(i), std::mem::discriminant(e), "{}", cases[i].0);
    }
    assert!(matches!(cases[3].1, Error::NonNumeric { line: 5, .. }));
    assert!(matches!(cases[4].1, Error::ZeroVariance { .. }));
    assert!(matches!(cases[5].1, Error::UnknownColumn { .. }));
    assert!(matches!(cases[6].1, Error::Cycle { .. }));
    assert!(matches!(cases[7].1, Error::TooFewRows { .. }));
    assert!(matches!(cases[8].1, Error::AllMissing { .. }));
    assert!(matches!(cases[9].1, Error::BadWeight { .. }));
    assert!(matches!(cases[10].1, Error::Encoding { .. }));
    assert!(matches!(cases[11].1, Error::RecordTooLong { line: 32, .. }));
    assert!(matches!(cases[12].1, Error::LimitExceeded { .. }));
    assert!(matches!(cases[13].1, Error::LimitExceeded { .. }));
    assert!(matches!(cases[14].1, Error::NonNumeric { line: 6, .. }));
}

#[test]
fn a_ten_megabyte_line_is_refused_without_reading_the_rest() {
    // A reader that would yield 10 GB of one line: only the limit and a chunk are read.
    struct Endless(u64);
    impl std::io::Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(b'7');
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
    }
    let mut r = Endless(0);
    let opts = LoadOptions::new().limits(Limits {
        max_record_bytes: 1 << 20,
        ..Limits::default()
    });
    let e = Survey::from_reader(&mut r, &opts).unwrap_err();
    assert!(matches!(e, Error::RecordTooLong { line: 1, .. }), "{e}");
    assert!(r.0 < 2 << 20, "read {} bytes", r.0);
}
