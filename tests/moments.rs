//! The sufficient-statistics core: `Moments` (stability, merging, mean replacement, JSON),
//! `Pls::fit_moments` against `Pls::fit` on every fixture, and survey weights.

mod common;
use common::*;
use csindex::{Error, LoadOptions, MissingPolicy, Model, Moments, Pls, Survey, WeightKind};
use serde_json::Value;

/// Largest absolute difference between two JSON values of the same shape (numbers compared,
/// everything else must be equal).
fn json_diff(a: &Value, b: &Value, path: &str) -> f64 {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let d = (x.as_f64().unwrap() - y.as_f64().unwrap()).abs();
            if d > 1e-12 {
                eprintln!("{path}: {x} vs {y}");
            }
            d
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}: lengths differ");
            x.iter()
                .zip(y)
                .enumerate()
                .map(|(i, (u, v))| json_diff(u, v, &format!("{path}[{i}]")))
                .fold(0.0, f64::max)
        }
        (Value::Object(x), Value::Object(y)) => {
            let kx: Vec<&String> = x.keys().collect();
            let ky: Vec<&String> = y.keys().collect();
            assert_eq!(kx, ky, "{path}: keys differ");
            x.iter()
                .map(|(k, u)| json_diff(u, &y[k], &format!("{path}.{k}")))
                .fold(0.0, f64::max)
        }
        _ => {
            assert_eq!(a, b, "{path}");
            0.0
        }
    }
}

/// Everything a fit gives without rows, as JSON: summary, assessment, indices, IPMA.
fn moment_results(fit: &csindex::Fit) -> Value {
    let mut v = serde_json::json!({
        "summary": serde_json::to_value(fit.summary()).unwrap(),
        "assess": serde_json::to_value(fit.assess().unwrap()).unwrap(),
        "indices": serde_json::to_value(fit.indices(csindex::IndexMethod::Fornell).0).unwrap(),
    });
    let targets: Vec<String> = fit
        .construct_names()
        .iter()
        .filter(|c| fit.r2(c).is_ok())
        .cloned()
        .collect();
    let ipma: Vec<Value> = targets
        .iter()
        .filter_map(|t| fit.ipma(t).ok())
        .map(|i| serde_json::to_value(i).unwrap())
        .collect();
    v["ipma"] = Value::Array(ipma);
    // Which warnings and rows a fit has differs by construction (none are numbers).
    v["summary"]["warnings"] = Value::Null;
    v
}

fn acsi_opts() -> LoadOptions {
    LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0)
}

#[test]
fn fit_moments_equals_fit_on_every_fixture() {
    let mut worst: f64 = 0.0;
    let files = reference_files();
    assert!(files.len() >= 19);
    for path in files {
        let r = read_json(&path);
        let plsc = r["variant"].as_str().unwrap().contains("plsc");
        let (model, survey, fit) = fit_fixture(&r, &LoadOptions::new(), plsc);
        let policy = fit.missing_policy();
        let names: Vec<&str> = survey
            .column_names()
            .into_iter()
            .filter(|n| !survey.is_text(n))
            .collect();
        let moments = Moments::from_survey(&survey, &model.indicators(), policy).unwrap();
        let from_m = Pls::new()
            .scheme(fit.scheme())
            .consistent(plsc)
            .fit_moments(&model, &moments)
            .unwrap();
        let d = json_diff(&moment_results(&fit), &moment_results(&from_m), "fit");
        assert!(d <= 1e-12, "{}: {d:e}", path.display());
        worst = worst.max(d);
        // Moments of every numeric column (more than the model uses) under mean replacement
        // give the same fit; under listwise deletion they may drop more rows, and say so.
        if policy == MissingPolicy::Mean {
            let all = Moments::from_survey(&survey, &names, policy).unwrap();
            let f2 = Pls::new()
                .scheme(fit.scheme())
                .consistent(plsc)
                .fit_moments(&model, &all)
                .unwrap();
            assert!(json_diff(&moment_results(&fit), &moment_results(&f2), "all") <= 1e-12);
        }
        // What needs rows says so.
        assert!(matches!(from_m.scores("SAT"), Err(Error::NeedsRows { .. })));
        assert!(matches!(
            csindex::Bootstrap::new(10).run(&from_m),
            Err(Error::NeedsRows { .. })
        ));
        assert!(matches!(from_m.blindfold(7), Err(Error::NeedsRows { .. })));
    }
    eprintln!("fit_moments vs fit, every fixture and quantity: max diff {worst:.1e}");
}

#[test]
fn shifted_data_keep_their_correlations() {
    let survey = Survey::from_csv_path(fixture_data("ecsi_1000.csv"), &LoadOptions::new()).unwrap();
    let names: Vec<&str> = survey.column_names();
    let cols: Vec<Vec<f64>> = names
        .iter()
        .map(|n| survey.numeric(n).unwrap().to_vec())
        .collect();
    let n = cols[0].len();
    let corr = |shift: f64| {
        let mut m = Moments::new(&names, MissingPolicy::Listwise).unwrap();
        // Row by row (Welford-style) for half, chunked for the rest.
        for i in 0..n / 2 {
            let row: Vec<f64> = cols.iter().map(|c| c[i] + shift).collect();
            m.push(&row).unwrap();
        }
        let rest: Vec<Vec<f64>> = cols
            .iter()
            .map(|c| c[n / 2..].iter().map(|x| x + shift).collect())
            .collect();
        let refs: Vec<&[f64]> = rest.iter().map(|c| c.as_slice()).collect();
        m.push_columns(&refs, None).unwrap();
        m.correlation().unwrap()
    };
    let d = (corr(0.0) - corr(1e6)).abs().max();
    eprintln!("correlations, data shifted by 1e6: max diff {d:.1e}");
    assert!(d <= 1e-10, "{d:e}");
}

#[test]
fn merging_is_order_independent() {
    let survey =
        Survey::from_csv_path(fixture_data("acsi_missing_400.csv"), &LoadOptions::new()).unwrap();
    let model = Model::acsi();
    let names = model.indicators();
    for policy in [MissingPolicy::Listwise, MissingPolicy::Mean] {
        let whole = Moments::from_survey(&survey, &names, policy).unwrap();
        let n = survey.n_rows();
        // Uneven splits, merged forwards and backwards.
        for cuts in [vec![1, 7, 150, 399], vec![200], vec![3, 4, 5, 390]] {
            let mut bounds = vec![0];
            bounds.extend(cuts);
            bounds.push(n);
            let parts: Vec<Moments> = bounds
                .windows(2)
                .map(|w| {
                    let rows: Vec<usize> = (w[0]..w[1]).collect();
                    Moments::from_survey(&survey.select_rows(&rows).unwrap(), &names, policy)
                        .unwrap()
                })
                .collect();
            let fold = |order: &mut dyn Iterator<Item = &Moments>| {
                let mut acc = order.next().unwrap().clone();
                for m in order {
                    acc.merge(m).unwrap();
                }
                acc
            };
            let fwd = fold(&mut parts.iter());
            let bwd = fold(&mut parts.iter().rev());
            for m in [&fwd, &bwd] {
                assert_eq!(m.n_used(), whole.n_used());
                let dc = (m.covariance().unwrap() - whole.covariance().unwrap())
                    .abs()
                    .max();
                let dm = m
                    .means()
                    .iter()
                    .zip(whole.means())
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                assert!(dc <= 1e-13 && dm <= 1e-13, "{policy:?}: {dc:e} {dm:e}");
            }
        }
    }
}

#[test]
fn mean_replacement_in_one_pass_equals_imputing_first() {
    let survey =
        Survey::from_csv_path(fixture_data("acsi_missing_400.csv"), &LoadOptions::new()).unwrap();
    let names = Model::acsi().indicators();
    let one_pass = Moments::from_survey(&survey, &names, MissingPolicy::Mean).unwrap();
    let mut imputed = Moments::new(&names, MissingPolicy::Listwise).unwrap();
    let cols: Vec<Vec<f64>> = names
        .iter()
        .map(|n| {
            let v = survey.numeric(n).unwrap();
            let obs: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
            let m = obs.iter().sum::<f64>() / obs.len() as f64;
            v.iter().map(|x| if x.is_nan() { m } else { *x }).collect()
        })
        .collect();
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    imputed.push_columns(&refs, None).unwrap();
    assert!(one_pass.missing_counts().iter().sum::<u64>() > 0);
    let d = (one_pass.covariance().unwrap() - imputed.covariance().unwrap())
        .abs()
        .max();
    eprintln!("mean replacement, one pass vs imputing first: max diff {d:.1e}");
    assert!(d <= 1e-12);
    assert_eq!(one_pass.n_used(), 400);
}

#[test]
fn json_round_trip_and_bad_json() {
    let survey = Survey::from_csv_path(fixture_data("acsi_missing_400.csv"), &acsi_opts()).unwrap();
    let names = Model::acsi().indicators();
    for policy in [MissingPolicy::Listwise, MissingPolicy::Mean] {
        let m = Moments::from_survey(&survey, &names, policy).unwrap();
        let back = Moments::from_json(&m.to_json().unwrap()).unwrap();
        assert_eq!(back, m);
    }
    let m = Moments::from_survey(&survey, &names, MissingPolicy::Listwise).unwrap();
    let mut v: Value = serde_json::from_str(&m.to_json().unwrap()).unwrap();
    v["schema"] = Value::from(99);
    assert!(matches!(
        Moments::from_json(&v.to_string()),
        Err(Error::MomentsMismatch { .. })
    ));
    let mut v: Value = serde_json::from_str(&m.to_json().unwrap()).unwrap();
    v["missing"].as_array_mut().unwrap().pop();
    assert!(matches!(
        Moments::from_json(&v.to_string()),
        Err(Error::MomentsMismatch { .. })
    ));
    assert!(matches!(
        Moments::from_json("[1, 2"),
        Err(Error::Json { .. })
    ));
    // Parts that do not fit together are typed errors.
    let mut a = Moments::from_survey(&survey, &names, MissingPolicy::Listwise).unwrap();
    let b = Moments::from_survey(&survey, &names, MissingPolicy::Mean).unwrap();
    assert!(matches!(a.merge(&b), Err(Error::MomentsMismatch { .. })));
    let c = Moments::from_survey(&survey, &names[..3], MissingPolicy::Listwise).unwrap();
    assert!(matches!(a.merge(&c), Err(Error::MomentsMismatch { .. })));
}

/// The ACSI sample with an integer weight column (1, 2 or 3) and the same rows repeated that
/// many times.
fn weighted_and_repeated() -> (Survey, Survey) {
    let text = std::fs::read_to_string(fixture_data("acsi_250.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let mut weighted = format!("{header},w\n");
    let mut repeated = format!("{header},w\n");
    for (i, line) in lines.enumerate() {
        let w = 1 + (i * 7 + i / 3) % 3;
        weighted.push_str(&format!("{line},{w}\n"));
        for _ in 0..w {
            repeated.push_str(&format!("{line},1\n"));
        }
    }
    let ws = Survey::from_reader(weighted.as_bytes(), &acsi_opts())
        .unwrap()
        .with_weights("w", WeightKind::Frequency)
        .unwrap();
    let rs = Survey::from_reader(repeated.as_bytes(), &acsi_opts()).unwrap();
    (ws, rs)
}

/// Weighted descriptive statistics: frequency weights give the statistics of the repeated
/// rows (items and construct scores, correlations included); sampling weights do not depend
/// on the weights' scale; unit weights give the unweighted statistics.
#[test]
fn weighted_descriptives_equal_those_of_repeated_rows() {
    let model = Model::acsi();
    let describe = |s: &Survey| Pls::new().fit(&model, s).unwrap().descriptives(s).unwrap();
    let (ws, rs) = weighted_and_repeated();
    let (a, b) = (describe(&ws), describe(&rs));
    assert_eq!(a.weights, Some(WeightKind::Frequency));
    assert_eq!(b.weights, None);
    let same = |x: &csindex::describe::Descriptive, y: &csindex::describe::Descriptive| {
        let pairs = [
            (x.mean, y.mean),
            (x.sd, y.sd),
            (x.median, y.median),
            (x.min, y.min),
            (x.max, y.max),
            (x.skewness, y.skewness),
            (x.kurtosis, y.kurtosis),
        ];
        for (k, (p, q)) in pairs.iter().enumerate() {
            assert!(
                (p - q).abs() < 1e-10,
                "{} statistic {k}: {p} vs {q}",
                x.name
            );
        }
    };
    for (x, y) in a.items.iter().zip(&b.items) {
        same(x, y);
        // n counts cells: 250 weighted rows, more repeated ones.
        assert_eq!(x.n, 250);
    }
    for (x, y) in a.constructs.iter().zip(&b.constructs) {
        same(x, y);
    }
    for (c, row) in &a.construct_correlations.0 {
        for (d, r) in &row.0 {
            let q = b.construct_correlations.get(c).unwrap().get(d).unwrap();
            assert!((r - q).abs() < 1e-10, "{c}, {d}");
        }
    }
    // The ACSI fixture with sampling weights w(i) in a column `w`.
    let sampled = |w: &dyn Fn(usize) -> f64| {
        let text = std::fs::read_to_string(fixture_data("acsi_250.csv")).unwrap();
        let mut lines = text.lines();
        let mut out = format!("{},w\n", lines.next().unwrap());
        for (i, line) in lines.enumerate() {
            out.push_str(&format!("{line},{}\n", w(i)));
        }
        let s = Survey::from_reader(out.as_bytes(), &acsi_opts())
            .unwrap()
            .with_weights("w", WeightKind::Sampling)
            .unwrap();
        describe(&s)
    };
    // Sampling weights: the same for w and 3w; unit weights: the unweighted statistics.
    let one = sampled(&|i| 0.5 + (i % 5) as f64 * 0.37);
    let three = sampled(&|i| 3.0 * (0.5 + (i % 5) as f64 * 0.37));
    assert_eq!(one.weights, Some(WeightKind::Sampling));
    for (x, y) in one.items.iter().zip(&three.items) {
        same(x, y);
    }
    let plain = Survey::from_csv_path(fixture_data("acsi_250.csv"), &acsi_opts()).unwrap();
    let unit = sampled(&|_| 1.0);
    for (x, y) in unit.items.iter().zip(&describe(&plain).items) {
        same(x, y);
        assert_eq!(x.median, y.median);
    }
}

#[test]
fn frequency_weights_equal_repeated_rows() {
    let (ws, rs) = weighted_and_repeated();
    let model = Model::acsi();
    for plsc in [false, true] {
        let pls = Pls::new().consistent(plsc);
        let a = pls.fit(&model, &ws).unwrap();
        let b = pls.fit(&model, &rs).unwrap();
        let mut ra = moment_results(&a);
        let mut rb = moment_results(&b);
        // Rows in the file and rows used differ by construction (the weights' total is n).
        for r in [&mut ra, &mut rb] {
            r["summary"]["n_file"] = Value::Null;
            r["summary"]["n_used"] = Value::Null;
        }
        let d = json_diff(&ra, &rb, "weighted");
        eprintln!("frequency weights vs repeated rows (plsc {plsc}): max diff {d:.1e}");
        assert!(d <= 1e-12, "{d:e}");
        assert!((a.n() - b.n()).abs() < 1e-12);
        // Blindfolding weighs each omitted cell by its row's weight... on repeated rows the
        // omission pattern differs, so only the scores are compared row for row.
        let sa = a.scores("SAT").unwrap();
        let sb = b.scores("SAT").unwrap();
        let mut k = 0;
        for (i, x) in sa.iter().enumerate() {
            let w = ws.weights().unwrap()[i] as usize;
            for _ in 0..w {
                assert!((x - sb[k]).abs() < 1e-12);
                k += 1;
            }
        }
    }
}

#[test]
fn constant_weights_give_the_unweighted_results() {
    let plain = Survey::from_csv_path(fixture_data("acsi_250.csv"), &acsi_opts()).unwrap();
    let n = plain.n_rows();
    let weighted = plain
        .clone()
        .with_text_column("dummy", vec!["x".into(); n])
        .unwrap();
    let text = std::fs::read_to_string(fixture_data("acsi_250.csv")).unwrap();
    let mut with_w = String::new();
    for (i, line) in text.lines().enumerate() {
        with_w.push_str(line);
        with_w.push_str(if i == 0 { ",w\n" } else { ",2.5\n" });
    }
    let model = Model::acsi();
    let base = Pls::new().fit(&model, &weighted).unwrap();
    let sampling = Survey::from_reader(with_w.as_bytes(), &acsi_opts())
        .unwrap()
        .with_weights("w", WeightKind::Sampling)
        .unwrap();
    let s = Pls::new().fit(&model, &sampling).unwrap();
    let d = json_diff(&moment_results(&base), &moment_results(&s), "sampling");
    assert!(d <= 1e-12, "{d:e}");
    assert!((s.kish_n() - n as f64).abs() < 1e-9);
    let bs = csindex::Bootstrap::new(50).seed(3).run(&s).unwrap();
    let bb = csindex::Bootstrap::new(50).seed(3).run(&base).unwrap();
    let qs = bs.path("QUAL", "SAT").unwrap();
    let qb = bb.path("QUAL", "SAT").unwrap();
    assert!((qs.se - qb.se).abs() < 1e-12);
}

#[test]
fn bad_weights_are_typed_errors() {
    let cases = [
        ("q,w\n1,1\n2,-1\n3,1\n", 3, "negative"),
        ("q,w\n1,1\n2,\n3,1\n", 3, "missing"),
        ("q,w\n1,0\n2,0\n3,0\n", 0, "all zero"),
        ("q,w\n1,1\n2,abc\n3,1\n", 3, "text"),
    ];
    for (csv, row, what) in cases {
        let s = Survey::from_reader(csv.as_bytes(), &LoadOptions::new()).unwrap();
        match s.with_weights("w", WeightKind::Sampling) {
            Err(Error::BadWeight { row: r, column, .. }) => {
                assert_eq!((r, column.as_str()), (row, "w"), "{what}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
    let s = Survey::from_reader("q,w\n1,1\n".as_bytes(), &LoadOptions::new()).unwrap();
    assert!(matches!(
        s.with_weights("ww", WeightKind::Sampling),
        Err(Error::UnknownColumn { .. })
    ));
    // Through the loader option too.
    assert!(matches!(
        Survey::from_reader(
            "q,w\n1,1\n2,-3\n".as_bytes(),
            &LoadOptions::new().weights("w", WeightKind::Frequency)
        ),
        Err(Error::BadWeight { row: 3, .. })
    ));
}
