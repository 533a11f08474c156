//! IPMA recomputed by hand from the raw answers, levels and Wilson intervals against known
//! values, segments' permutation tests.

use csindex::{levels, segments::Segments, LoadOptions, MissingPolicy, Model, Pls, Survey};

fn survey() -> Survey {
    let opts = LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0);
    Survey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_sample.csv"),
        &opts,
    )
    .unwrap()
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let m = v.iter().sum::<f64>() / v.len() as f64;
    (
        m,
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)).sqrt(),
    )
}

/// IPMA by hand: rescale every item to 0-100, weights w/sd normalised, 0-100 scores, their means,
/// and importance = standardised total effect × sd ratio.
#[test]
fn ipma_by_hand() {
    let s = survey();
    let model = Model::acsi();
    let fit = Pls::new().fit(&model, &s).unwrap();
    let map = fit.ipma("LOY").unwrap();
    let score = |lv: &str| -> Vec<f64> {
        let c = &model.constructs()[model.construct_index(lv).unwrap()];
        let (lo, hi) = if lv == "COMP" {
            (0.0, 1.0)
        } else {
            (1.0, 10.0)
        };
        let cols: Vec<Vec<f64>> = c
            .indicators
            .iter()
            .map(|i| {
                s.numeric(i)
                    .unwrap()
                    .iter()
                    .map(|x| (x - lo) / (hi - lo) * 100.0)
                    .collect()
            })
            .collect();
        let raw_w: Vec<f64> = c
            .indicators
            .iter()
            .zip(&cols)
            .map(|(i, col)| fit.weight(i).unwrap() / mean_sd(col).1)
            .collect();
        let tot: f64 = raw_w.iter().sum();
        (0..s.n_rows())
            .map(|r| {
                cols.iter()
                    .zip(&raw_w)
                    .map(|(col, w)| w / tot * col[r])
                    .sum()
            })
            .collect()
    };
    let (_, sd_t) = mean_sd(&score("LOY"));
    assert!((map.target_performance - mean_sd(&score("LOY")).0).abs() < 1e-12);
    assert_eq!(map.constructs.len(), 5);
    for p in &map.constructs {
        let y = score(&p.name);
        let (m, sd) = mean_sd(&y);
        assert!((p.performance - m).abs() < 1e-12, "{}", p.name);
        let te = fit.total_effect(&p.name, "LOY").unwrap();
        assert!((p.importance - te * sd_t / sd).abs() < 1e-12, "{}", p.name);
    }
    // Indicator importances of a block add up to the construct's importance.
    let sat: f64 = map
        .indicators
        .iter()
        .filter(|i| i.construct == "SAT")
        .map(|i| i.importance)
        .sum();
    let sat_c = map
        .constructs
        .iter()
        .find(|c| c.name == "SAT")
        .unwrap()
        .importance;
    assert!((sat - sat_c).abs() < 1e-12);
    assert!(fit.ipma("EXPE").is_err()); // nothing leads to EXPE
}

#[test]
fn levels_and_wilson() {
    // Wilson 95 % for 5 of 20: (0.1118611, 0.4687009) (Newcombe 1998, method 3).
    let csindex::Interval { lo, hi } = levels::wilson(5, 20, 0.95).unwrap();
    assert!(
        (lo - 0.111_861_1).abs() < 1e-6 && (hi - 0.468_700_9).abs() < 1e-6,
        "{lo} {hi}"
    );
    let s = survey();
    let d = levels::describe(&s, "SAT1", 0.95).unwrap();
    assert_eq!(d.n, 250);
    let total: usize = d.levels.iter().map(|l| l.count).sum();
    assert_eq!(total, 250);
    let top2 = (d.levels[8].count + d.levels[9].count) as f64 / 250.0;
    assert!((d.top2.unwrap() - top2).abs() < 1e-15);
    assert!(d.mean_ci.unwrap().contains(d.mean));
    // The t interval by hand: mean ± t(.975, 249) · sd / √250 (t from mpmath, 30 digits;
    // statrs is good to ~1e-11 in its tails, DESIGN.md).
    let v = s.numeric("SAT1").unwrap();
    let m = v.iter().sum::<f64>() / 250.0;
    let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 249.0).sqrt();
    let h = 1.969_536_867_640_351 * sd / 250f64.sqrt();
    assert!((d.mean_ci.unwrap().lo - (m - h)).abs() < 1e-9);
    let c = levels::describe(&s, "COMP1", 0.95).unwrap();
    assert!(c.top2.is_none());
    let k = s
        .numeric("COMP1")
        .unwrap()
        .iter()
        .filter(|x| **x == 1.0)
        .count();
    assert!((c.rate.unwrap().rate - k as f64 / 250.0).abs() < 1e-15);
    assert!(levels::describe(&s, "nope", 0.95).is_err());
}

#[test]
fn segments_index_and_permutation_test() {
    let opts = LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0);
    let s = Survey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_missing_400.csv"),
        &opts,
    )
    .unwrap();
    let pls = Pls::new().missing(MissingPolicy::Listwise);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                Segments::new("segment")
                    .bootstrap(50)
                    .permutations(49)
                    .seed(3)
                    .run(&Model::acsi(), &s, &pls)
                    .unwrap()
            })
    };
    let r = run(1);
    assert_eq!(r.groups.len(), 2);
    let online = &r.groups[0];
    let fit = Pls::new()
        .missing(MissingPolicy::Listwise)
        .fit(
            &Model::acsi(),
            &s.select_rows(
                &(0..400)
                    .filter(|&i| {
                        s.text("segment").unwrap()[i].as_deref() == Some(online.group.as_str())
                    })
                    .collect::<Vec<_>>(),
            )
            .unwrap(),
        )
        .unwrap();
    let sat = online
        .indices
        .iter()
        .find(|g| g.construct == "SAT")
        .unwrap();
    assert!((sat.index - fit.index("SAT").unwrap()).abs() < 1e-12);
    let csindex::Interval { lo, hi } = sat.ci.unwrap();
    assert!(lo < sat.index && sat.index < hi);
    for d in &r.differences {
        assert!(d.p_value > 0.0 && d.p_value <= 1.0);
        assert!(d.p_value >= 1.0 / 50.0);
    }
    let r2 = run(3);
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        serde_json::to_string(&r2).unwrap()
    );
    assert!(Segments::new("nope").run(&Model::acsi(), &s, &pls).is_err());
}

/// MICOM step 2 by hand: composites of the pooled standardised data built with each group's
/// weights, and their correlation; step 3's mean difference from the pooled scores.
#[test]
fn micom_by_hand() {
    let s = survey();
    let labels: Vec<String> = (0..250)
        .map(|i| {
            if i % 3 == 0 {
                "a".to_string()
            } else {
                "b".to_string()
            }
        })
        .collect();
    let s = s.with_text_column("grp", labels.clone()).unwrap();
    let model = Model::acsi();
    let pls = Pls::new();
    let r = Segments::new("grp")
        .permutations(99)
        .seed(9)
        .run(&model, &s, &pls)
        .unwrap();
    assert_eq!(r.micom.len(), 6);
    let rows = |g: &str| -> Vec<usize> { (0..250).filter(|&i| labels[i] == g).collect() };
    let fa = pls
        .fit(&model, &s.select_rows(&rows("a")).unwrap())
        .unwrap();
    let fb = pls
        .fit(&model, &s.select_rows(&rows("b")).unwrap())
        .unwrap();
    let pooled = pls.fit(&model, &s).unwrap();
    for c in model.constructs() {
        let z: Vec<Vec<f64>> = c
            .indicators
            .iter()
            .map(|i| {
                let x = s.numeric(i).unwrap();
                let (m, sd) = mean_sd(x);
                x.iter().map(|v| (v - m) / sd).collect()
            })
            .collect();
        let comp = |f: &csindex::Fit| -> Vec<f64> {
            (0..250)
                .map(|r| {
                    c.indicators
                        .iter()
                        .zip(&z)
                        .map(|(i, col)| f.weight(i).unwrap() * col[r])
                        .sum()
                })
                .collect()
        };
        let (ya, yb) = (comp(&fa), comp(&fb));
        let (ma, sa) = mean_sd(&ya);
        let (mb, sb) = mean_sd(&yb);
        let corr = (0..250).map(|r| (ya[r] - ma) * (yb[r] - mb)).sum::<f64>() / 249.0 / (sa * sb);
        let m = r.micom.iter().find(|m| m.construct == c.name).unwrap();
        assert!(
            (m.compositional_c - corr).abs() < 1e-12,
            "{}: {} vs {corr}",
            c.name,
            m.compositional_c
        );
        assert!(m.compositional_p > 0.0 && m.compositional_p <= 1.0);
        let sc = pooled.scores(&c.name).unwrap();
        let (ga, gb): (Vec<f64>, Vec<f64>) = (
            rows("a").iter().map(|&i| sc[i]).collect(),
            rows("b").iter().map(|&i| sc[i]).collect(),
        );
        assert!((m.mean_difference - (mean_sd(&ga).0 - mean_sd(&gb).0)).abs() < 1e-12);
        let lv = (mean_sd(&ga).1.powi(2)).ln() - (mean_sd(&gb).1.powi(2)).ln();
        assert!((m.log_variance_ratio - lv).abs() < 1e-12);
    }
}

/// Path comparisons between segments: Welch–Satterthwaite from the groups' bootstrap SEs and
/// PLS-MGA by brute force over all pairs of draws.
#[test]
fn path_differences_by_hand() {
    let s = survey();
    let labels: Vec<String> = (0..250)
        .map(|i| {
            if i % 2 == 0 {
                "even".to_string()
            } else {
                "odd".to_string()
            }
        })
        .collect();
    let s = s.with_text_column("grp", labels.clone()).unwrap();
    let model = Model::acsi();
    let pls = Pls::new();
    let r = Segments::new("grp")
        .bootstrap(200)
        .permutations(49)
        .seed(4)
        .run(&model, &s, &pls)
        .unwrap();
    assert_eq!(r.path_differences.len(), 9);
    let rows = |g: &str| -> Vec<usize> { (0..250).filter(|&i| labels[i] == g).collect() };
    let fa = pls
        .fit(&model, &s.select_rows(&rows("even")).unwrap())
        .unwrap();
    let fb = pls
        .fit(&model, &s.select_rows(&rows("odd")).unwrap())
        .unwrap();
    let ba = csindex::Bootstrap::new(200)
        .seed(4)
        .bca(false)
        .run(&fa)
        .unwrap();
    let bb = csindex::Bootstrap::new(200)
        .seed(4)
        .bca(false)
        .run(&fb)
        .unwrap();
    for d in &r.path_differences {
        let (x, y) = d.path.split_once("->").unwrap();
        assert!((d.difference - (fa.path(x, y).unwrap() - fb.path(x, y).unwrap())).abs() < 1e-12);
        let (da, db) = (
            ba.draws(csindex::StatKind::Path, &d.path).unwrap(),
            bb.draws(csindex::StatKind::Path, &d.path).unwrap(),
        );
        let (ma, sa) = mean_sd(&da);
        let (mb, sb) = mean_sd(&db);
        let (n1, n2) = (125.0f64, 125.0f64);
        let t = d.difference / ((n1 - 1.0) / n1 * sa * sa + (n2 - 1.0) / n2 * sb * sb).sqrt();
        assert!((d.welch_t.unwrap() - t).abs() < 1e-10, "{}", d.path);
        let mut count = 0usize;
        for a in &da {
            for b in &db {
                if (2.0 * ma - a) - (2.0 * mb - b) > 0.0 {
                    count += 1;
                }
            }
        }
        let p = 1.0 - count as f64 / (da.len() * db.len()) as f64;
        assert!((d.pls_mga_p.unwrap() - p).abs() < 1e-15, "{}", d.path);
        let pp = d.permutation_p.unwrap();
        assert!(pp > 0.0 && pp <= 1.0);
        assert!(d.welch_p.unwrap() > 0.0 && d.welch_df.unwrap() >= 1.0);
    }
}
