//! PLSpredict against leave-one-out computed by hand.
//!
//! Model X -> Y with single-item blocks: the PLS prediction of y from x on standardised
//! training data, back-transformed, is the OLS line with intercept; so PLS and the LM benchmark
//! coincide and both equal a regression refitted without each row.

use csindex::predict::{Antecedents, Predict};
use csindex::{Layout, LoadOptions, Model, Pls, Survey};

#[test]
fn leave_one_out_by_hand() {
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
    let y = [2.0, 1.0, 4.0, 3.0, 6.0, 4.0, 7.0, 9.0];
    let n = x.len();
    let (mut sse, mut sae, mut sso) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let xs: Vec<f64> = (0..n).filter(|&j| j != i).map(|j| x[j]).collect();
        let ys: Vec<f64> = (0..n).filter(|&j| j != i).map(|j| y[j]).collect();
        let m = xs.len() as f64;
        let (mx, my) = (xs.iter().sum::<f64>() / m, ys.iter().sum::<f64>() / m);
        let sxy: f64 = xs.iter().zip(&ys).map(|(a, b)| (a - mx) * (b - my)).sum();
        let sxx: f64 = xs.iter().map(|a| (a - mx).powi(2)).sum();
        let pred = my + sxy / sxx * (x[i] - mx);
        sse += (y[i] - pred).powi(2);
        sae += (y[i] - pred).abs();
        sso += (y[i] - my).powi(2);
    }
    let data: Vec<f64> = x.iter().zip(&y).flat_map(|(a, b)| [*a, *b]).collect();
    let survey = Survey::from_slice(&["x", "y"], &data, n, Layout::RowMajor).unwrap();
    let fit = Pls::new()
        .fit(&Model::parse("X =~ x\nY =~ y\nY ~ X").unwrap(), &survey)
        .unwrap();
    let p = Predict::new()
        .folds(n)
        .repetitions(3)
        .seed(5)
        .run(&fit)
        .unwrap();
    assert_eq!(p.items.len(), 1);
    let it = &p.items[0];
    let rmse = (sse / n as f64).sqrt();
    assert!(
        (it.pls_rmse - rmse).abs() < 1e-12,
        "{} vs {rmse}",
        it.pls_rmse
    );
    assert!((it.lm_rmse - rmse).abs() < 1e-12);
    assert!((it.pls_mae - sae / n as f64).abs() < 1e-12);
    assert!((it.q2_predict - (1.0 - sse / sso)).abs() < 1e-12);
}

#[test]
fn predict_on_the_acsi_sample() {
    let survey = Survey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_sample.csv"),
        &LoadOptions::new(),
    )
    .unwrap();
    let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
    let a = Predict::new()
        .folds(10)
        .repetitions(3)
        .seed(1)
        .run(&fit)
        .unwrap();
    // Every item of QUAL, VAL, SAT, COMP, LOY (11 items).
    assert_eq!(a.items.len(), 11);
    assert_eq!(a.failed_folds, 0);
    for it in &a.items {
        assert!(it.pls_rmse.is_finite() && it.lm_rmse.is_finite() && it.q2_predict < 1.0);
    }
    // Deterministic across thread counts.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| {
            Predict::new()
                .folds(10)
                .repetitions(3)
                .seed(1)
                .run(&fit)
                .unwrap()
        });
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&one).unwrap()
    );
    let ea = Predict::new()
        .antecedents(Antecedents::Earliest)
        .folds(5)
        .repetitions(1)
        .run(&fit)
        .unwrap();
    assert_eq!(ea.items.len(), 11);
    assert!(Predict::new().folds(1).run(&fit).is_err());
    assert!(Predict::new().folds(251).run(&fit).is_err());
}
