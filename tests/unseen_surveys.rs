//! The same survey spelled differently gives the same results: another delimiter, other column
//! names, another answer scale, other missing-value spellings, a formative block. What a user's
//! own file looks like must not change the numbers.

use csindex::{LoadOptions, MissingPolicy, Model, Pls, Scheme, Survey};

const ORIGINAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_missing_400.csv");

fn respelled() -> String {
    let text = std::fs::read_to_string(ORIGINAL).unwrap();
    let mut out = String::new();
    let spellings = ["-99", "n/a", "Don't know", " ", "NA"];
    let mut k = 0;
    for (i, line) in text.lines().enumerate() {
        let cells: Vec<String> = line
            .split(',')
            .enumerate()
            .map(|(j, c)| {
                if i == 0 {
                    return if j < 2 {
                        c.to_string()
                    } else {
                        format!("item {c}")
                    };
                }
                if j < 2 {
                    return c.to_string();
                }
                if c.is_empty() {
                    k += 1;
                    return spellings[k % spellings.len()].to_string();
                }
                let v: f64 = c.parse().unwrap();
                // Column 13 is COMP1 and stays 0/1; the 1..10 items move to 0..9.
                if j == 13 {
                    format!("{v}")
                } else {
                    format!("{}", v - 1.0)
                }
            })
            .collect();
        out.push_str(&cells.join(";"));
        out.push('\n');
    }
    out
}

#[test]
fn respelled_survey_gives_identical_results() {
    let text = "EXPE <~ EXPE1 + EXPE2 + EXPE3
QUAL =~ QUAL1 + QUAL2 + QUAL3
VAL =~ VAL1 + VAL2
SAT =~ SAT1 + SAT2 + SAT3
COMP =~ COMP1
LOY =~ LOY1 + LOY2
QUAL ~ EXPE
VAL ~ EXPE + QUAL
SAT ~ EXPE + QUAL + VAL
COMP ~ SAT
LOY ~ SAT + COMP";
    let model_a = Model::parse(text).unwrap();
    // The same model on the renamed columns, written out and read back: the names with spaces
    // go through the syntax's quoting.
    let names = model_a.indicators();
    let renamed: Vec<String> = names.iter().map(|n| format!("item {n}")).collect();
    let map: Vec<(&str, &str)> = names
        .iter()
        .map(|s| s.as_str())
        .zip(renamed.iter().map(|s| s.as_str()))
        .collect();
    let model_b =
        Model::parse(&model_a.clone().rename_indicators(&map).unwrap().to_syntax()).unwrap();
    assert!(model_b.to_syntax().contains("'item SAT1'"));
    let a = Survey::from_csv_path(
        ORIGINAL,
        &LoadOptions::new()
            .scale("*", 1.0, 10.0)
            .scale("COMP1", 0.0, 1.0),
    )
    .unwrap();
    let opts_b = LoadOptions::new()
        .delimiter(b';')
        .missing_code("-99")
        .missing_code("don't know")
        .scale("*", 0.0, 9.0)
        .scale("item COMP1", 0.0, 1.0);
    let b = Survey::from_reader(respelled().as_bytes(), &opts_b).unwrap();
    assert_eq!(
        a.missing_count("SAT2").unwrap(),
        b.missing_count("item SAT2").unwrap()
    );
    for policy in [MissingPolicy::Listwise, MissingPolicy::Mean] {
        for scheme in [Scheme::Centroid, Scheme::Factorial, Scheme::Path] {
            let pls = Pls::new().scheme(scheme).missing(policy);
            let fa = pls.fit(&model_a, &a).unwrap();
            let fb = pls.fit(&model_b, &b).unwrap();
            assert_eq!(fa.n_used(), fb.n_used());
            for (x, y) in fa.indicator_names().iter().zip(fb.indicator_names()) {
                assert!((fa.weight(x).unwrap() - fb.weight(y).unwrap()).abs() < 1e-12);
                assert!((fa.loading(x).unwrap() - fb.loading(y).unwrap()).abs() < 1e-12);
            }
            for lv in ["QUAL", "VAL", "SAT", "COMP", "LOY"] {
                assert!((fa.r2(lv).unwrap() - fb.r2(lv).unwrap()).abs() < 1e-12);
            }
            // Indices are relative to each item's scale: identical on 1..10 and 0..9.
            let (ia, _) = fa.indices(csindex::IndexMethod::Fornell);
            let (ib, _) = fb.indices(csindex::IndexMethod::Fornell);
            assert_eq!(ia.len(), ib.len());
            for (x, y) in ia.iter().zip(&ib) {
                assert!(
                    (x.index - y.index).abs() < 1e-10,
                    "{} {} {}",
                    x.construct,
                    x.index,
                    y.index
                );
            }
            let (ma, mb) = (fa.ipma("LOY").unwrap(), fb.ipma("LOY").unwrap());
            for (x, y) in ma.constructs.iter().zip(&mb.constructs) {
                assert!(
                    (x.importance - y.importance).abs() < 1e-10
                        && (x.performance - y.performance).abs() < 1e-10
                );
            }
        }
    }
}
