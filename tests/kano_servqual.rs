//! Kano: METHOD.md §9.5 worked example (stp25kano README), the tables, parsing and invalid
//! answers. SERVQUAL: the §10.3 test case and invalid respondents.

use csindex::kano::{
    classify, parse_answer, AnswerScale, Category, FeatureSummary, KanoOptions, KanoSurvey,
};
use csindex::servqual::{Servqual, ServqualOptions};
use csindex::Error;

/// (feature, counts [A,O,M,I,R,Q], max, rule, TS %, CS %, Better, Worse, |a-b|, threshold, sig)
#[allow(clippy::type_complexity)]
const WORKED: [(
    &str,
    [usize; 6],
    Category,
    Category,
    f64,
    f64,
    f64,
    f64,
    usize,
    f64,
    bool,
); 5] = [
    (
        "Service app",
        [45, 123, 95, 33, 0, 0],
        Category::O,
        Category::O,
        88.9,
        9.5,
        0.568,
        -0.736,
        28,
        19.4,
        true,
    ),
    (
        "Excellent service",
        [54, 54, 101, 81, 3, 3],
        Category::M,
        Category::M,
        70.6,
        6.8,
        0.372,
        -0.534,
        20,
        18.5,
        true,
    ),
    (
        "Hotline",
        [121, 24, 15, 124, 6, 6],
        Category::I,
        Category::A,
        54.1,
        1.0,
        0.511,
        -0.137,
        3,
        19.8,
        false,
    ),
    (
        "Loan machine",
        [93, 87, 65, 51, 0, 0],
        Category::A,
        Category::O,
        82.8,
        2.0,
        0.608,
        -0.514,
        6,
        18.5,
        false,
    ),
    (
        "Ready-to-use return",
        [83, 18, 9, 177, 6, 3],
        Category::I,
        Category::I,
        37.2,
        31.8,
        0.352,
        -0.094,
        94,
        19.9,
        true,
    ),
];

#[test]
fn worked_example_every_printed_value() {
    for (name, counts, max, rule, ts, cs, better, worse, diff, thr, sig) in WORKED {
        let s = FeatureSummary::from_counts(name, counts, 0.05);
        assert_eq!(s.n, 296, "{name}");
        assert_eq!(s.dominant, max, "{name}");
        assert_eq!(s.category, rule, "{name}");
        assert!(
            ((s.total_strength * 100.0 * 10.0).round() / 10.0 - ts).abs() < 1e-9,
            "{name} TS {}",
            s.total_strength
        );
        assert!(
            ((s.category_strength * 100.0 * 10.0).round() / 10.0 - cs).abs() < 1e-9,
            "{name} CS {}",
            s.category_strength
        );
        assert!(
            ((s.better.unwrap() * 1000.0).round() / 1000.0 - better).abs() < 1e-9,
            "{name}"
        );
        assert!(
            ((s.worse.unwrap() * 1000.0).round() / 1000.0 - worse).abs() < 1e-9,
            "{name}"
        );
        assert_eq!(s.fong.difference, diff as f64, "{name}");
        assert!(
            ((s.fong.threshold * 10.0).round() / 10.0 - thr).abs() < 1e-9,
            "{name} {}",
            s.fong.threshold
        );
        assert_eq!(s.fong.significant, sig, "{name}");
    }
}

#[test]
fn evaluation_tables() {
    use Category::*;
    let expect5 = [
        [Q, A, A, A, O],
        [R, I, I, I, M],
        [R, I, I, I, M],
        [R, I, I, I, M],
        [R, R, R, R, Q],
    ];
    for f in 1..=5u8 {
        for d in 1..=5u8 {
            assert_eq!(
                classify(f, d, AnswerScale::Five),
                Some(expect5[f as usize - 1][d as usize - 1])
            );
        }
    }
    assert_eq!(classify(1, 3, AnswerScale::Three), Some(O));
    assert_eq!(classify(2, 3, AnswerScale::Three), Some(M));
    assert_eq!(classify(1, 1, AnswerScale::Three), Some(A));
    assert_eq!(classify(0, 3, AnswerScale::Five), None);
    assert_eq!(classify(6, 3, AnswerScale::Five), None);
    assert_eq!(parse_answer("I like it", AnswerScale::Five), Some(1));
    assert_eq!(parse_answer("Must-be", AnswerScale::Five), Some(2));
    assert_eq!(parse_answer(" live with ", AnswerScale::Five), Some(4));
    assert_eq!(parse_answer("DISLIKE", AnswerScale::Three), Some(3));
    assert_eq!(parse_answer("4", AnswerScale::Three), None);
    assert_eq!(parse_answer("2.5", AnswerScale::Five), None);
    assert_eq!(parse_answer("maybe", AnswerScale::Five), None);
}

#[test]
fn bundled_kano_survey() {
    let k = KanoSurvey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/kano_300.csv"),
        &KanoOptions::new(),
    )
    .unwrap();
    assert_eq!(k.respondents, 300);
    assert_eq!(k.features.len(), 8);
    let s = k.analyze().unwrap();
    for f in &s {
        assert_eq!(f.n, 300);
        assert!(f.importance.is_some() && f.functional_score.is_some());
        let b = f.better.unwrap();
        assert!((0.0..=1.0).contains(&b));
    }
    // Continuous scores by hand for the first feature.
    let f0 = &k.features[0];
    let fs: f64 = f0
        .functional
        .iter()
        .map(|&c| [4.0, 2.0, 0.0, -1.0, -2.0][c as usize - 1])
        .sum::<f64>()
        / 300.0;
    assert!((s[0].functional_score.unwrap() - fs).abs() < 1e-12);
    let text = csindex::kano::report(&s);
    assert!(text.contains(&s[0].feature));
    assert!(csindex::kano::scatter(&s).starts_with("<svg"));
}

#[test]
fn invalid_answers_name_the_cell_or_are_skipped() {
    let csv = "id,x_functional,x_dysfunctional,y_functional,y_dysfunctional\n1,1,5,2,2\n2,6,5,like,dislike\n3,,3,3,3\n";
    match KanoSurvey::from_reader(csv.as_bytes(), &KanoOptions::new()) {
        Err(Error::InvalidAnswer {
            line,
            column,
            value,
            ..
        }) => {
            assert_eq!(
                (line, column.as_str(), value.as_str()),
                (3, "x_functional", "6")
            )
        }
        other => panic!("{other:?}"),
    }
    let k =
        KanoSurvey::from_reader(csv.as_bytes(), &KanoOptions::new().skip_invalid(true)).unwrap();
    assert_eq!(k.features[0].skipped, 2);
    assert_eq!(k.features[1].skipped, 0);
    let s = k.analyze().unwrap();
    assert_eq!(s[0].n, 1);
    assert_eq!(s[1].counts[1], 1); // like/dislike = O
    let missing_pair = "x_functional,z\n1,2\n";
    assert!(KanoSurvey::from_reader(missing_pair.as_bytes(), &KanoOptions::new()).is_err());
    assert!(KanoSurvey::from_reader("a,b\n1,2\n".as_bytes(), &KanoOptions::new()).is_err());
    let custom = "f_F,f_D\n1,5\n";
    let k = KanoSurvey::from_reader(
        custom.as_bytes(),
        &KanoOptions::new().suffixes("_F", "_D", "_I"),
    )
    .unwrap();
    assert_eq!(k.analyze().unwrap()[0].category, Category::O);
}

/// METHOD.md §10.3: dimension gaps T −0.65, Rel −1.10, Resp −0.83, A −0.70, E −1.01 give the
/// unweighted SERVQUAL score −0.858. 100 respondents whose item gaps add up to those means.
#[test]
fn method_test_case() {
    let targets = [
        (4usize, -0.65f64),
        (5, -1.10),
        (4, -0.83),
        (4, -0.70),
        (5, -1.01),
    ];
    let n = 100;
    // Per dimension, the total gap over n × items cells, spread as evenly as integers allow.
    let mut cells: Vec<Vec<i64>> = vec![Vec::new(); n];
    for (items, g) in targets {
        let total = (g * (n * items) as f64).round() as i64; // negative
        let count = n * items;
        for c in 0..count {
            let base = total / count as i64;
            let extra = if (c as i64) < (total - base * count as i64).abs() {
                -1
            } else {
                0
            };
            cells[c / items].push(base + extra);
        }
    }
    let mut csv = String::from("id");
    for k in 1..=22 {
        csv.push_str(&format!(",E{k},P{k}"));
    }
    csv.push_str(",W_tangibles,W_reliability,W_responsiveness,W_assurance,W_empathy\n");
    for (i, row) in cells.iter().enumerate() {
        csv.push_str(&format!("r{i}"));
        for g in row {
            csv.push_str(&format!(",5,{}", 5 + g));
        }
        csv.push_str(",10,30,20,15,25\n");
    }
    let s = Servqual::from_reader(csv.as_bytes(), &ServqualOptions::new()).unwrap();
    assert!(
        (s.unweighted.mean - (-0.858)).abs() < 1e-12,
        "{}",
        s.unweighted.mean
    );
    let dim = |name: &str| {
        s.dimensions
            .iter()
            .find(|d| d.dimension == name)
            .unwrap()
            .gap
            .mean
    };
    assert!((dim("tangibles") + 0.65).abs() < 1e-12);
    assert!((dim("empathy") + 1.01).abs() < 1e-12);
    assert_eq!(s.dimensions[0].dimension, "reliability"); // largest negative gap first
                                                          // Weighted: Σ (points/100)·G_d averaged over respondents = Σ (points/100)·mean G_d here.
    let w = 0.10 * -0.65 + 0.30 * -1.10 + 0.20 * -0.83 + 0.15 * -0.70 + 0.25 * -1.01;
    assert!((s.weighted.unwrap().mean - w).abs() < 1e-12);
}

#[test]
fn servqual_bundled_and_invalid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/servqual_200.csv");
    let s = Servqual::from_csv_path(path, &ServqualOptions::new()).unwrap();
    assert_eq!(s.unweighted.n, 200);
    assert!(s
        .dimensions
        .windows(2)
        .all(|w| w[0].gap.mean <= w[1].gap.mean));
    let by_hand: f64 = s.respondents.iter().map(|r| r.unweighted).sum::<f64>() / 200.0;
    assert!((s.unweighted.mean - by_hand).abs() < 1e-12);
    assert!(s.report().contains("unweighted"));
    let bad = "E1,P1,E2,P2,E3,P3,E4,P4,E5,P5,E6,P6,E7,P7,E8,P8,E9,P9,E10,P10,E11,P11,E12,P12,E13,P13,E14,P14,E15,P15,E16,P16,E17,P17,E18,P18,E19,P19,E20,P20,E21,P21,E22,P22,W_tangibles,W_reliability,W_responsiveness,W_assurance,W_empathy\n"
        .to_string()
        + &"4,5,".repeat(22)
        + "20,20,20,20,30\n"
        + &"4,5,".repeat(22)
        + "20,20,20,20,20\n"
        + &"4,9,".repeat(22)
        + "20,20,20,20,20\n";
    match Servqual::from_reader(bad.as_bytes(), &ServqualOptions::new()) {
        Err(Error::InvalidAnswer { line, .. }) => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
    let s =
        Servqual::from_reader(bad.as_bytes(), &ServqualOptions::new().skip_invalid(true)).unwrap();
    assert_eq!(s.skipped.len(), 2);
    assert_eq!(s.unweighted.n, 1);
    assert!((s.unweighted.mean - 1.0).abs() < 1e-15);
}

#[test]
fn delimiters_are_detected() {
    let k = KanoSurvey::from_reader(
        "x_functional;x_dysfunctional\n1;5\n".as_bytes(),
        &KanoOptions::new(),
    )
    .unwrap();
    assert_eq!(k.analyze().unwrap()[0].category, Category::O);
    let k = KanoSurvey::from_reader(
        "x_functional\tx_dysfunctional\nlike\tdislike\n".as_bytes(),
        &KanoOptions::new(),
    )
    .unwrap();
    assert_eq!(k.respondents, 1);
    let mut csv = String::new();
    for k in 1..=22 {
        csv.push_str(&format!("E{k};P{k};"));
    }
    csv.pop();
    csv.push('\n');
    csv.push_str(&vec!["3;4"; 22].join(";"));
    csv.push('\n');
    let s = Servqual::from_reader(csv.as_bytes(), &ServqualOptions::new()).unwrap();
    assert!((s.unweighted.mean - 1.0).abs() < 1e-15);
}

/// Respondent weights: integer weights give the shares, strengths, Better/Worse and category
/// of the rows repeated that many times; the margin set in `KanoOptions` is the one used.
#[test]
fn kano_weights_and_margin() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/kano_300.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut weighted = format!("{header},w\n");
    let mut repeated = format!("{header}\n");
    for (i, line) in lines.enumerate() {
        let w = 1 + i % 3;
        weighted.push_str(&format!("{line},{w}\n"));
        for _ in 0..w {
            repeated.push_str(&format!("{line}\n"));
        }
    }
    let a = KanoSurvey::from_reader(weighted.as_bytes(), &KanoOptions::new().weights("w"))
        .unwrap()
        .analyze()
        .unwrap();
    let b = KanoSurvey::from_reader(repeated.as_bytes(), &KanoOptions::new())
        .unwrap()
        .analyze()
        .unwrap();
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x.category, y.category, "{}", x.feature);
        for k in 0..6 {
            assert!((x.shares[k] - y.shares[k]).abs() < 1e-12);
        }
        assert!((x.category_strength - y.category_strength).abs() < 1e-12);
        assert!((x.better.unwrap() - y.better.unwrap()).abs() < 1e-12);
        assert!((x.worse.unwrap() - y.worse.unwrap()).abs() < 1e-12);
        assert!((x.functional_score.unwrap() - y.functional_score.unwrap()).abs() < 1e-12);
        assert!(x.weighted_counts.is_some() && y.weighted_counts.is_none());
    }
    // A weight that is not a number is a typed error naming the line and column.
    let bad = weighted.replacen(",1\n", ",x\n", 1);
    assert!(matches!(
        KanoSurvey::from_reader(bad.as_bytes(), &KanoOptions::new().weights("w")),
        Err(Error::BadWeight { row: 2, .. })
    ));
    // The margin decides: 40 A and 38 O of 100 (strength 2 points) is O with the 5-point
    // margin (O before A), A with a 1-point margin.
    let mut csv = String::from("f_functional,f_dysfunctional\n");
    for _ in 0..40 {
        csv.push_str("1,3\n"); // A
    }
    for _ in 0..38 {
        csv.push_str("1,5\n"); // O
    }
    for _ in 0..22 {
        csv.push_str("3,3\n"); // I
    }
    let wide = KanoSurvey::from_reader(csv.as_bytes(), &KanoOptions::new()).unwrap();
    assert_eq!(wide.analyze().unwrap()[0].category, Category::O);
    let narrow = KanoSurvey::from_reader(csv.as_bytes(), &KanoOptions::new().margin(0.01)).unwrap();
    assert_eq!(narrow.analyze().unwrap()[0].category, Category::A);
}

/// SERVQUAL reads the survey loader's dialect: decimal commas in `;` files.
#[test]
fn servqual_decimal_commas() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/servqual_200.csv"
    ))
    .unwrap();
    let comma = Servqual::from_reader(text.as_bytes(), &ServqualOptions::new()).unwrap();
    // The same file with ';' and the first answer written "5,0".
    let semi: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let l = l.replace(',', ";");
            if i == 1 {
                let mut cells: Vec<String> = l.split(';').map(|s| s.to_string()).collect();
                cells[1] = format!("{},0", cells[1]);
                cells.join(";") + "\n"
            } else {
                l + "\n"
            }
        })
        .collect();
    let s = Servqual::from_reader(semi.as_bytes(), &ServqualOptions::new()).unwrap();
    assert!((s.unweighted.mean - comma.unweighted.mean).abs() < 1e-12);
    assert_eq!(s.respondents.len(), comma.respondents.len());
}

#[test]
fn kano_and_servqual_readers_take_limits() {
    use csindex::data::Limits;
    let limits = Limits {
        max_columns: 2,
        ..Limits::default()
    };
    let text = b"a_functional,a_dysfunctional,b_functional\n1,2,3\n".as_slice();
    let e = csindex::kano::KanoSurvey::from_reader(
        text,
        &csindex::kano::KanoOptions::new().limits(limits),
    )
    .unwrap_err();
    assert!(
        matches!(e, csindex::Error::LimitExceeded { limit: 2, .. }),
        "{e}"
    );
    let e = csindex::servqual::Servqual::from_reader(
        text,
        &csindex::servqual::ServqualOptions::new().limits(limits),
    )
    .unwrap_err();
    assert!(
        matches!(e, csindex::Error::LimitExceeded { limit: 2, .. }),
        "{e}"
    );
}
