//! Blindfolding Q² against a case worked by hand (no open peer implements it).
//!
//! Model X -> Y with single-item blocks: weights are 1, scores are the standardised items, the
//! loading of y is 1 and the path is corr(x, y). So each round can be computed with a few lines
//! of arithmetic, independently of the estimator.

use csindex::{Layout, Model, Pls, Survey};

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}
fn sd(v: &[f64]) -> f64 {
    let m = mean(v);
    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)).sqrt()
}

#[test]
fn single_item_case_by_hand() {
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
    let y = [2.0, 1.0, 4.0, 3.0, 6.0, 4.0, 7.0];
    let d = 3;
    // By hand.
    let (mut sse, mut sso) = (0.0, 0.0);
    for round in 0..d {
        let kept: Vec<f64> = (0..7).filter(|i| i % d != round).map(|i| y[i]).collect();
        let m_kept = mean(&kept);
        let y2: Vec<f64> = (0..7)
            .map(|i| if i % d == round { m_kept } else { y[i] })
            .collect();
        let (mx, sx, my, sy) = (mean(&x), sd(&x), mean(&y2), sd(&y2));
        let r = (0..7)
            .map(|i| (x[i] - mx) / sx * (y2[i] - my) / sy)
            .sum::<f64>()
            / 6.0;
        for i in (0..7).filter(|i| i % d == round) {
            let pred = r * (x[i] - mx) / sx * sy + my;
            sse += (y[i] - pred).powi(2);
            sso += (y[i] - my).powi(2);
        }
    }
    let q2_hand = 1.0 - sse / sso;

    let mut data = Vec::new();
    for i in 0..7 {
        data.push(x[i]);
        data.push(y[i]);
    }
    let survey = Survey::from_slice(&["x", "y"], &data, 7, Layout::RowMajor).unwrap();
    let model = Model::parse("X =~ x\nY =~ y\nY ~ X").unwrap();
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let q = fit.blindfold(d).unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].construct, "Y");
    eprintln!(
        "Q2 redundancy {} (hand {q2_hand}), communality {}",
        q[0].redundancy, q[0].communality
    );
    assert!((q[0].redundancy - q2_hand).abs() < 1e-12);
    // A single item predicted from its own (mean-imputed) score is the imputed mean: Q² = 0.
    assert!(q[0].communality.abs() < 1e-12);
    // Pinned value of the hand computation, so a change in either side shows.
    assert!(
        (q2_hand - 0.412_539_784_411_06_f64).abs() < 1e-12,
        "{q2_hand}"
    );
}

#[test]
fn blindfold_rejects_bad_distance() {
    let survey = csindex::simulate::Simulation::new(&Model::acsi())
        .seed(3)
        .generate(50)
        .unwrap();
    let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
    assert!(fit.blindfold(1).is_err());
    assert!(fit.blindfold(50).is_err());
    let q = fit.blindfold(7).unwrap();
    assert_eq!(q.len(), 5);
    assert!(q
        .iter()
        .all(|x| x.redundancy.is_finite() && x.communality.is_finite()));
}
