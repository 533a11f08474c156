//! No panic on any input: arbitrary bytes for the loaders, arbitrary model texts, arbitrary
//! small data sets through the whole pipeline. Every outcome is Ok (with finite numbers) or a
//! typed error.

use csindex::kano::{KanoOptions, KanoSurvey};
use csindex::servqual::{Servqual, ServqualOptions};
use csindex::{Bootstrap, Layout, LoadOptions, MissingPolicy, Model, Pls, Scheme, Survey};
use proptest::prelude::*;

fn finite_fit(fit: &csindex::Fit) {
    let s = fit.summary();
    for (_, v) in s
        .outer_weights
        .iter()
        .chain(s.loadings.iter())
        .chain(s.paths.iter())
        .chain(s.r2.iter())
    {
        assert!(v.is_finite(), "{v}");
    }
    let json = fit.to_json().unwrap();
    assert!(!json.contains("NaN") && !json.contains("null"));
}

proptest! {
    // 200 cases by default; PROPTEST_CASES=N runs more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200),
        // A fixed seed keeps CI reproducible; PROPTEST_RNG_SEED=N explores other cases.
        rng_seed: proptest::test_runner::RngSeed::Fixed(
            std::env::var("PROPTEST_RNG_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(20261124),
        ),
        ..ProptestConfig::default()
    })]

    /// Models from JSON (any indices, names, modes, cycles) are validated like model text: an
    /// error or a model that fits and assesses, never a panic or a stack overflow.
    #[test]
    fn json_models_are_validated(
        blocks in proptest::collection::vec(
            (prop_oneof![Just("A"), Just("B"), Just("C"), Just("D"), Just("")],
             any::<bool>(),
             proptest::collection::vec(prop_oneof![Just("x1"), Just("x2"), Just("x3"), Just("x4"), Just("x5"), Just("x6")], 0..3)),
            0..5),
        paths in proptest::collection::vec((0usize..6, 0usize..6), 0..7),
        seed in 0u64..1000,
    ) {
        let constructs: Vec<serde_json::Value> = blocks
            .iter()
            .map(|(n, b, inds)| serde_json::json!({"name": n, "mode": if *b { "B" } else { "A" }, "indicators": inds}))
            .collect();
        let text = serde_json::json!({"constructs": constructs, "paths": paths}).to_string();
        if let Ok(model) = Model::from_json(&text) {
            // A valid model: every index in range and no cycle. Fit it on random data.
            for &(a, b) in model.paths() {
                prop_assert!(a < model.constructs().len() && b < model.constructs().len());
            }
            let names = ["x1", "x2", "x3", "x4", "x5", "x6"];
            let n = 40;
            let mut state = seed.wrapping_mul(2862933555777941757).wrapping_add(3037000493);
            let data: Vec<f64> = (0..n * 6)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((state >> 40) % 7) as f64 + 1.0
                })
                .collect();
            let survey = Survey::from_slice(&names, &data, n, Layout::RowMajor).unwrap();
            if let Ok(fit) = Pls::new().fit(&model, &survey) {
                let _ = fit.assess();
                let _ = csindex::report::Report::new(&fit).map(|r| r.to_text());
            }
            // Round trip.
            let back = Model::from_json(&serde_json::to_string(&model).unwrap()).unwrap();
            prop_assert_eq!(back, model);
        }
    }

    /// Moments of arbitrary rows (missing cells, infinities, odd weights), merged from any
    /// split, through JSON and into a fit: a value or a typed error, never a panic or NaN.
    #[test]
    fn moments_never_panic(
        cells in proptest::collection::vec(prop_oneof![
            Just(f64::NAN), Just(f64::INFINITY), Just(0.0), Just(1.0), Just(1e308), -5.0..5.0f64
        ], 0..60),
        weights in proptest::collection::vec(prop_oneof![Just(-1.0), Just(0.0), Just(f64::NAN), 0.0..3.0f64], 0..20),
        split in 0usize..20,
        mean in any::<bool>(),
    ) {
        let names = ["a1", "a2", "b1"];
        let policy = if mean { MissingPolicy::Mean } else { MissingPolicy::Listwise };
        let rows: Vec<&[f64]> = cells.chunks_exact(3).collect();
        let mut whole = csindex::Moments::new(&names, policy).unwrap();
        let mut left = whole.clone();
        let mut right = whole.clone();
        for (i, r) in rows.iter().enumerate() {
            let w = weights.get(i).copied().unwrap_or(1.0);
            let _ = whole.push_weighted(r, w);
            let part = if i < split { &mut left } else { &mut right };
            // A bad weight or an infinite cell fails the same way in any part; an overflow
            // may show in the whole or only when the parts are merged.
            let _ = part.push_weighted(r, w);
        }
        match left.merge(&right) {
            Ok(()) | Err(csindex::Error::NonFinite { .. }) => {}
            Err(e) => prop_assert!(false, "{e}"),
        }
        if let Ok(text) = left.to_json() {
            let back = csindex::Moments::from_json(&text).unwrap();
            let model = Model::parse("A =~ a1 + a2\nB =~ b1\nB ~ A").unwrap();
            if let Ok(fit) = Pls::new().fit_moments(&model, &back) {
                finite_fit(&fit);
                let _ = fit.assess();
                let _ = fit.index("A");
            }
        }
    }

    #[test]
    fn survey_loader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Survey::from_reader(bytes.as_slice(), &LoadOptions::new());
        let _ = Survey::from_reader(bytes.as_slice(), &LoadOptions::new().delimiter(b';').decimal_comma(true).missing_code("9"));
        let _ = KanoSurvey::from_reader(bytes.as_slice(), &KanoOptions::new().skip_invalid(true));
        let _ = Servqual::from_reader(bytes.as_slice(), &ServqualOptions::new());
    }

    #[test]
    fn csv_like_text_never_panics(text in "[a-c0-9,;. \"\\n-]{0,200}") {
        if let Ok(s) = Survey::from_reader(text.as_bytes(), &LoadOptions::new()) {
            for name in s.column_names() {
                let _ = s.numeric(name);
                let _ = s.scale(name);
                let _ = csindex::levels::describe(&s, name, 0.95);
            }
        }
    }

    /// Kano and SERVQUAL files with arbitrary cells, through analysis, report and figure.
    #[test]
    fn kano_and_servqual_never_panic(
        cells in proptest::collection::vec(prop_oneof![Just("1"), Just("5"), Just("like"), Just("x"), Just(""), Just("7"), Just("3")], 0..60),
        skip in any::<bool>(),
    ) {
        let mut kano = String::from("a_functional,a_dysfunctional,a_importance,b_functional,b_dysfunctional\n");
        for row in cells.chunks(5) {
            kano.push_str(&row.join(","));
            kano.push('\n');
        }
        if let Ok(k) = KanoSurvey::from_reader(kano.as_bytes(), &KanoOptions::new().skip_invalid(skip)) {
            let s = k.analyze().unwrap();
            let _ = csindex::kano::report(&s);
            let _ = csindex::kano::scatter(&s);
            for f in &s {
                let opt = [f.better, f.worse, f.functional_score, f.dysfunctional_score, f.importance];
                prop_assert!(f.total_strength.is_finite() && f.category_strength.is_finite() && f.fong.threshold.is_finite());
                prop_assert!(f.shares.iter().all(|x| x.is_finite()) && opt.iter().flatten().all(|x| x.is_finite()));
            }
        }
        let mut sq = String::new();
        for k in 1..=22 {
            sq.push_str(&format!("E{k},P{k},"));
        }
        sq.push_str("W_tangibles,W_reliability,W_responsiveness,W_assurance,W_empathy\n");
        for (r, row) in cells.chunks(7).enumerate() {
            let mut line: Vec<String> = (0..44).map(|i| row[i % row.len()].to_string()).collect();
            line.extend(["20", "20", "20", "20", if r % 2 == 0 { "20" } else { "x" }].iter().map(|x| x.to_string()));
            sq.push_str(&line.join(","));
            sq.push('\n');
        }
        if let Ok(s) = Servqual::from_reader(sq.as_bytes(), &ServqualOptions::new().skip_invalid(skip)) {
            let _ = s.report();
            prop_assert!(s.unweighted.mean.is_finite());
        }
    }

    #[test]
    fn model_parser_never_panics(text in "[A-Ca-c1-3 =<~+#;'\\n]{0,80}") {
        if let Ok(m) = Model::parse(&text) {
            let again = Model::parse(&m.to_syntax()).unwrap();
            prop_assert_eq!(again.constructs(), m.constructs());
        }
    }

    /// Random small data (with missing cells, constants, collinear columns) through fit,
    /// assessment, index, IPMA, blindfolding and a short bootstrap.
    #[test]
    fn pipeline_never_panics(
        n in 0usize..14,
        cells in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(1.0), Just(2.0), (0u8..6).prop_map(f64::from)], 0..80),
        scheme in 0u8..3,
        mode_b in any::<bool>(),
        policy in 0u8..3,
    ) {
        let p = 5;
        let mut data: Vec<f64> = cells.into_iter().cycle().take(n * p).collect();
        if data.len() < n * p { data.resize(n * p, 1.0); }
        let Ok(survey) = Survey::from_slice(&["a1", "a2", "b1", "b2", "c1"], &data, n, Layout::RowMajor) else { return Ok(()) };
        let text = if mode_b { "A <~ a1 + a2\nB =~ b1 + b2\nC =~ c1\nB ~ A\nC ~ A + B" } else { "A =~ a1 + a2\nB =~ b1 + b2\nC =~ c1\nB ~ A\nC ~ A + B" };
        let model = Model::parse(text).unwrap();
        let scheme = [Scheme::Centroid, Scheme::Factorial, Scheme::Path][scheme as usize];
        let policy = [MissingPolicy::Fail, MissingPolicy::Listwise, MissingPolicy::Mean][policy as usize];
        let Ok(fit) = Pls::new().scheme(scheme).missing(policy).max_iterations(200).fit(&model, &survey) else { return Ok(()) };
        finite_fit(&fit);
        if let Ok(a) = fit.assess() {
            // serde_json writes a non-finite number as null; the only optional field is d_g
            // (None when the implied matrix is not positive definite).
            let json = serde_json::to_string(&a).unwrap().replace("\"d_g\":null", "")
                .replace("\"d_g_ln\":null", "");
            prop_assert!(!json.contains("null"), "{}", json);
        }
        let _ = fit.index("B");
        let _ = fit.ipma("C");
        let _ = fit.blindfold(3);
        let _ = fit.report();
        let _ = csindex::svg::path_diagram(&fit, None);
        if let Ok(b) = Bootstrap::new(8).seed(1).run(&fit) {
            for s in &b.statistics {
                prop_assert!(s.se.is_finite() && s.estimate.is_finite());
            }
        }
    }

    /// Interaction and quadratic terms by every method on arbitrary small data (repeated and
    /// two-valued answers, missing cells, optional survey weights, every missing-data policy):
    /// finite estimates or a typed error, and the bootstrap of what fits.
    #[test]
    fn interactions_never_panic(
        n in 0usize..16,
        cells in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(1.0), Just(2.0), (0u8..6).prop_map(f64::from)], 0..96),
        method in 0u8..3,
        quadratic in any::<bool>(),
        weighted in any::<bool>(),
        policy in 0u8..3,
    ) {
        let Some(survey) = six_items(n, cells, weighted) else { return Ok(()) };
        let term = if quadratic { "A:A" } else { "A:B" };
        let model = Model::parse(&format!("A =~ a1 + a2\nB =~ b1 + b2\nC =~ c1 + c2\nC ~ A + B + {term}")).unwrap();
        let method = [
            csindex::InteractionMethod::TwoStage,
            csindex::InteractionMethod::ProductIndicator,
            csindex::InteractionMethod::Orthogonal,
        ][method as usize];
        let policy = [MissingPolicy::Fail, MissingPolicy::Listwise, MissingPolicy::Mean][policy as usize];
        let Ok(fit) = Pls::new().interaction(method).missing(policy).max_iterations(200).fit(&model, &survey) else { return Ok(()) };
        finite_fit(&fit);
        for s in fit.simple_slopes() {
            for (m, v) in s.at {
                prop_assert!(m.is_finite() && v.is_finite());
            }
        }
        let _ = fit.report();
        if let Ok(b) = Bootstrap::new(6).seed(3).run(&fit) {
            for s in &b.statistics {
                prop_assert!(s.se.is_finite() && s.estimate.is_finite());
            }
        }
    }

    /// A higher-order construct by every method (and PLSc where it is defined) on arbitrary
    /// small data, with missing cells, optional survey weights and every missing-data policy:
    /// finite estimates or a typed error, and the bootstrap of what fits.
    #[test]
    fn higher_order_constructs_never_panic(
        n in 0usize..16,
        cells in proptest::collection::vec(prop_oneof![Just(f64::NAN), Just(1.0), Just(2.0), (0u8..6).prop_map(f64::from)], 0..96),
        method in 0u8..4,
        formative in any::<bool>(),
        consistent in any::<bool>(),
        weighted in any::<bool>(),
        policy in 0u8..3,
    ) {
        let Some(survey) = six_items(n, cells, weighted) else { return Ok(()) };
        let op = if formative { "<~" } else { "=~" };
        let model = Model::parse(&format!("A =~ a1 + a2\nB =~ b1 + b2\nH {op} A + B\nC =~ c1 + c2\nC ~ H")).unwrap();
        let method = [
            csindex::HocMethod::DisjointTwoStage,
            csindex::HocMethod::CsemTwoStage,
            csindex::HocMethod::CsemMixed,
            csindex::HocMethod::RepeatedIndicators,
        ][method as usize];
        let policy = [MissingPolicy::Fail, MissingPolicy::Listwise, MissingPolicy::Mean][policy as usize];
        let pls = Pls::new().higher_order(method).consistent(consistent).missing(policy).max_iterations(200);
        let Ok(fit) = pls.fit(&model, &survey) else { return Ok(()) };
        finite_fit(&fit);
        let _ = fit.index("H");
        let _ = fit.ipma("C");
        let _ = fit.report();
        if let Ok(b) = Bootstrap::new(6).seed(5).run(&fit) {
            for s in &b.statistics {
                prop_assert!(s.se.is_finite() && s.estimate.is_finite());
            }
        }
    }
}

/// A survey of `n` rows of items a1, a2, b1, b2, c1, c2 from `cells` (repeated to fill it),
/// with a positive weight column `w` (the weights when `weighted`); `None` when it cannot be
/// built.
fn six_items(n: usize, cells: Vec<f64>, weighted: bool) -> Option<Survey> {
    let p = 7;
    let mut data: Vec<f64> = cells.into_iter().cycle().take(n * p).collect();
    if data.len() < n * p {
        data.resize(n * p, 1.0);
    }
    // The weight column: positive where the cell is a number.
    for r in 0..n {
        let w = &mut data[r * p + 6];
        *w = if w.is_nan() { 1.0 } else { *w + 0.5 };
    }
    let names = ["a1", "a2", "b1", "b2", "c1", "c2", "w"];
    let survey = Survey::from_slice(&names, &data, n, Layout::RowMajor).ok()?;
    if weighted {
        return survey.with_weights("w", csindex::WeightKind::Sampling).ok();
    }
    Some(survey)
}

fn acsi_sample() -> Survey {
    Survey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_sample.csv"),
        &LoadOptions::new(),
    )
    .unwrap()
}

#[test]
fn model_errors_name_the_problem() {
    let s = acsi_sample();
    let typo = Model::acsi()
        .rename_indicators(&[("SAT1", "SAT_1")])
        .unwrap();
    match Pls::new().fit(&typo, &s) {
        Err(csindex::Error::UnknownColumn {
            name, suggestion, ..
        }) => {
            assert_eq!(name, "SAT_1");
            assert_eq!(suggestion.as_deref(), Some("SAT1"));
        }
        other => panic!("{other:?}"),
    }
    let seg = Survey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_missing_400.csv"),
        &LoadOptions::new(),
    )
    .unwrap();
    let text_ind = Model::acsi()
        .rename_indicators(&[("EXPE1", "segment")])
        .unwrap();
    match Pls::new()
        .missing(MissingPolicy::Listwise)
        .fit(&text_ind, &seg)
    {
        Err(csindex::Error::TextColumn { column, .. }) => assert_eq!(column, "segment"),
        other => panic!("{other:?}"),
    }
    match Pls::new().fit(&Model::acsi(), &seg) {
        Err(csindex::Error::MissingData { columns }) => {
            assert_eq!(columns.len(), 14);
            assert!(columns.iter().all(|(_, k)| *k > 0));
        }
        other => panic!("{other:?}"),
    }
    match Pls::new().max_iterations(1).fit(&Model::acsi(), &s) {
        Err(csindex::Error::NotConverged {
            iterations,
            last_change,
        }) => {
            assert_eq!(iterations, 1);
            assert!(last_change > 0.0);
        }
        other => panic!("{other:?}"),
    }
    let flagged = Pls::new()
        .max_iterations(1)
        .accept_nonconverged(true)
        .fit(&Model::acsi(), &s)
        .unwrap();
    assert!(!flagged.converged() && !flagged.warnings().is_empty());
    assert!(Pls::new().tolerance(0.0).fit(&Model::acsi(), &s).is_err());
    let few = s.select_rows(&[0, 1, 2, 3]).unwrap();
    assert!(matches!(
        Pls::new().fit(&Model::acsi(), &few),
        Err(csindex::Error::TooFewRows { .. })
    ));
}

#[test]
fn singular_and_constant_data_are_typed_errors() {
    let n = 20;
    let mut data = Vec::new();
    for i in 0..n {
        let x = (i % 5) as f64;
        data.extend_from_slice(&[x, 2.0 * x, (i % 3) as f64, 4.0]);
    }
    let s = Survey::from_slice(&["a1", "a2", "b1", "k"], &data, n, Layout::RowMajor).unwrap();
    let collinear_b = Model::parse("A <~ a1 + a2\nB =~ b1\nB ~ A").unwrap();
    match Pls::new().fit(&collinear_b, &s) {
        Err(csindex::Error::Singular { construct, .. }) => assert_eq!(construct, "A"),
        other => panic!("{other:?}"),
    }
    let constant = Model::parse("A =~ a1\nK =~ k\nK ~ A").unwrap();
    match Pls::new().fit(&constant, &s) {
        Err(csindex::Error::ZeroVariance { column, .. }) => assert_eq!(column, "k"),
        other => panic!("{other:?}"),
    }
    // Two predictors that are the same construct: collinear paths.
    let two = Model::parse("A =~ a1\nA2 =~ a2\nB =~ b1\nB ~ A + A2").unwrap();
    assert!(matches!(
        Pls::new().fit(&two, &s),
        Err(csindex::Error::Singular { .. })
    ));
}

/// A survey simulated from a known population model: large-sample PLS estimates land near the
/// PLS estimates on the population correlation matrix, and near the true paths when items are
/// reliable.
#[test]
fn recovery_of_a_known_model() {
    let model = Model::acsi();
    let mut sim = csindex::simulate::Simulation::new(&model);
    for (f, t, b) in [
        ("EXPE", "QUAL", 0.55),
        ("EXPE", "VAL", 0.15),
        ("QUAL", "VAL", 0.55),
        ("EXPE", "SAT", 0.1),
        ("QUAL", "SAT", 0.45),
        ("VAL", "SAT", 0.35),
        ("SAT", "COMP", -0.45),
        ("SAT", "LOY", 0.55),
        ("COMP", "LOY", -0.15),
    ] {
        sim = sim.path(f, t, b).unwrap();
    }
    for ind in model.indicators() {
        sim = sim
            .loading(&ind, if ind == "COMP1" { 1.0 } else { 0.95 })
            .unwrap();
    }
    let survey = sim.clone().seed(42).generate(100_000).unwrap();
    let fit = Pls::new().fit(&model, &survey).unwrap();
    for (f, t, b) in [
        ("EXPE", "QUAL", 0.55),
        ("QUAL", "VAL", 0.55),
        ("QUAL", "SAT", 0.45),
        ("SAT", "LOY", 0.55),
        ("SAT", "COMP", -0.45),
    ] {
        let est = fit.path(f, t).unwrap();
        assert!((est - b).abs() < 0.05, "{f}->{t}: {est} vs {b}");
    }
    // Loadings near the truth (reliable items).
    assert!((fit.loading("QUAL1").unwrap() - 0.95).abs() < 0.02);
    // Likert-coded items still recover the direction and rough size.
    let likert = sim.likert(1.0, 10.0).seed(7).generate(20_000).unwrap();
    let f2 = Pls::new().fit(&model, &likert).unwrap();
    assert!((f2.path("SAT", "LOY").unwrap() - 0.55).abs() < 0.08);
}

#[test]
fn in_memory_inputs_agree_with_csv() {
    let csv = acsi_sample();
    let names = csv.column_names();
    let n = csv.n_rows();
    let cols: Vec<&[f64]> = names.iter().map(|c| csv.numeric(c).unwrap()).collect();
    let m = nalgebra::DMatrix::from_fn(n, names.len(), |i, j| cols[j][i]);
    let from_matrix = Survey::from_matrix(&names, &m).unwrap();
    let a = Pls::new().fit(&Model::acsi(), &csv).unwrap();
    let b = Pls::new().fit(&Model::acsi(), &from_matrix).unwrap();
    assert_eq!(a.to_json().unwrap(), b.to_json().unwrap());
    #[cfg(feature = "ndarray")]
    {
        let arr = ndarray::Array2::from_shape_fn((n, names.len()), |(i, j)| cols[j][i]);
        let c = Pls::new()
            .fit(&Model::acsi(), &Survey::from_ndarray(&names, &arr).unwrap())
            .unwrap();
        assert_eq!(a.to_json().unwrap(), c.to_json().unwrap());
    }
    assert!(Survey::from_matrix(&names[..3], &m).is_err());
}

/// The two JSON models that once panicked (an index out of range) and overflowed the stack (a
/// cycle) are typed errors; `Model::from_path` reads text and JSON alike.
#[test]
fn json_model_errors_are_typed() {
    let block = |n: &str, i: &str| serde_json::json!({"name": n, "mode": "A", "indicators": [i]});
    let out_of_range =
        serde_json::json!({"constructs": [block("A", "a"), block("B", "b")], "paths": [[0, 7]]});
    assert!(matches!(
        Model::from_json(&out_of_range.to_string()),
        Err(csindex::Error::InvalidModel { .. })
    ));
    let cyclic = serde_json::json!({
        "constructs": [block("A", "a"), block("B", "b"), block("C", "c")],
        "paths": [[0, 1], [1, 2], [2, 0]]
    });
    assert!(matches!(
        Model::from_json(&cyclic.to_string()),
        Err(csindex::Error::Cycle { .. })
    ));
    // serde itself validates too.
    assert!(serde_json::from_str::<Model>(&cyclic.to_string()).is_err());
    let dir = std::env::temp_dir().join(format!("csindex_model_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (t, j) = (dir.join("m.txt"), dir.join("m.json"));
    std::fs::write(&t, Model::acsi().to_syntax()).unwrap();
    std::fs::write(&j, serde_json::to_string(&Model::acsi()).unwrap()).unwrap();
    assert_eq!(Model::from_path(&t).unwrap(), Model::acsi());
    assert_eq!(Model::from_path(&j).unwrap(), Model::acsi());
    assert!(matches!(
        Model::from_path(dir.join("none.txt")),
        Err(csindex::Error::Io { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A dense 30-construct model (every construct on every later one: 2^28 routes from the first
/// to the last) fits, assesses and bootstraps: routes are counted, not walked.
#[test]
fn dense_model_does_not_explode() {
    let j = 30;
    let n = 120;
    let mut text = String::new();
    for c in 0..j {
        text.push_str(&format!("L{c} =~ x{c}\n"));
    }
    for b in 1..j {
        let preds: Vec<String> = (0..b).map(|a| format!("L{a}")).collect();
        text.push_str(&format!("L{b} ~ {}\n", preds.join(" + ")));
    }
    let model = Model::parse(&text).unwrap();
    let mut state = 7u64;
    let mut data = Vec::with_capacity(n * j);
    for _ in 0..n {
        let mut prev = 0.0;
        for _ in 0..j {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let e = ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5;
            prev = 0.5 * prev + e;
            data.push(prev);
        }
    }
    let names: Vec<String> = (0..j).map(|c| format!("x{c}")).collect();
    let refs: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    let survey = Survey::from_slice(&refs, &data, n, Layout::RowMajor).unwrap();
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let a = fit.assess().unwrap();
    assert!(a.indirect_effects.is_empty());
    assert!(a
        .notes
        .iter()
        .any(|n| n.contains("specific indirect effects omitted")));
    let boot = Bootstrap::new(20).seed(1).run(&fit).unwrap();
    assert!(boot.path("L0", "L29").is_ok());
}
