//! Bootstrap: the peers' statistics on common resamples, determinism across thread counts,
//! degenerate replicates.

mod common;
use common::*;
use csindex::{
    Bootstrap, Layout, LoadOptions, Model, OnDegenerate, Pls, Scheme, SignChange, StatKind, Survey,
};
use serde_json::Value;

fn check_common(c: &mut Cmp, boot: &csindex::BootResult, bc: &Value) {
    for (field, kind) in [
        ("paths", StatKind::Path),
        ("outer_weights", StatKind::Weight),
        ("loadings", StatKind::Loading),
    ] {
        let Some(obj) = bc[field].as_object() else {
            continue;
        };
        for (name, v) in obj {
            let st = boot.get(kind, name).unwrap();
            if let Some(m) = v["mean"].as_f64() {
                c.num(&format!("{field}.mean"), name, st.mean.unwrap(), m);
            }
            c.num(
                &format!("{field}.se"),
                name,
                st.se,
                v["se"].as_f64().unwrap(),
            );
            if let Some(q) = v["q025"].as_f64() {
                c.num(
                    &format!("{field}.q025"),
                    name,
                    st.ci_percentile.unwrap().lo,
                    q,
                );
                c.num(
                    &format!("{field}.q975"),
                    name,
                    st.ci_percentile.unwrap().hi,
                    v["q975"].as_f64().unwrap(),
                );
            }
        }
    }
}

/// seminr re-estimated (tight settings) on the same 200 resamples: 1e-9.
#[test]
fn common_resamples_match_seminr() {
    let mut n_files = 0;
    for path in reference_files() {
        let r = read_json(&path);
        let Some(bc) = r.get("bootstrap_common").filter(|v| v.is_object()) else {
            continue;
        };
        let label = path.file_stem().unwrap().to_string_lossy().to_string();
        let (_, _, fit) = fit_fixture(&r, &LoadOptions::new(), false);
        let file = fixture(&format!("reference/{}", bc["index_file"].as_str().unwrap()));
        let boot = Bootstrap::new(0)
            .resample_file(&file)
            .unwrap()
            .bca(false)
            .run(&fit)
            .unwrap();
        assert_eq!(boot.used, 200);
        let mut c = Cmp::new(&label, 1e-9);
        check_common(&mut c, &boot, bc);
        c.report();
        n_files += 1;
    }
    assert_eq!(n_files, 4);
}

/// The peers at their *default* settings on mobi's 500 common resamples. Each peer stops
/// ~1e-7 from the fixed point by its own rule, so the stopping rule is emulated
/// ([`csindex::Pls::like`]): then every replicate stops where the peer's did, and the summaries
/// agree to 1e-9 (seen: 3e-15). Without it they differ by up to 9e-6.
#[test]
fn peer_common_resamples() {
    let Some(shared) = shared() else { return };
    let idx = shared.join("peers/ref/boot_indices_mobi_500x250_seed20241123.csv");
    let files = peer_files(&shared, "__bootstrap_common.json");
    for path in &files {
        let r = read_json(path);
        let label = path.file_stem().unwrap().to_string_lossy().to_string();
        let (model, survey) = peer_case(&shared, r["model"].as_str().unwrap(), &LoadOptions::new());
        let scheme: Scheme = r["scheme"].as_str().unwrap().parse().unwrap();
        let peer = match r["peer"].as_str().unwrap() {
            "seminr_R" => csindex::Peer::Seminr,
            "cSEM_R" => csindex::Peer::Csem,
            _ => csindex::Peer::Plspm,
        };
        let fit = Pls::new()
            .scheme(scheme)
            .like(peer)
            .fit(&model, &survey)
            .unwrap();
        let boot = Bootstrap::new(0)
            .resample_file(&idx)
            .unwrap()
            .bca(false)
            .run(&fit)
            .unwrap();
        let mut c = Cmp::new(&label, 1e-9);
        let bc = &r["bootstrap_common"];
        for (field, kind) in [
            ("paths", StatKind::Path),
            ("weights", StatKind::Weight),
            ("loadings", StatKind::Loading),
        ] {
            for (stat, values) in bc[field].as_object().unwrap() {
                for (name, v) in values.as_object().unwrap() {
                    let st = boot.get(kind, name).unwrap();
                    let mine = match stat.as_str() {
                        "se" => st.se,
                        "mean" => st.mean.unwrap(),
                        "q025" => st.ci_percentile.unwrap().lo,
                        "q975" => st.ci_percentile.unwrap().hi,
                        _ => continue,
                    };
                    c.num(&format!("{field}.{stat}"), name, mine, v.as_f64().unwrap());
                }
            }
        }
        c.report();
    }
}

/// The ACSI model on the bundled sample, with its answer scales.
fn sample_fit() -> csindex::Fit {
    let opts = LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0);
    let survey = Survey::from_csv_path(fixture("../../data/acsi_sample.csv"), &opts).unwrap();
    Pls::new().fit(&Model::acsi(), &survey).unwrap()
}

#[test]
fn bit_identical_across_thread_counts() {
    let fit = sample_fit();
    let runs: Vec<String> = [1, 2, 3, 7]
        .iter()
        .map(|&t| {
            Bootstrap::new(300)
                .seed(11)
                .threads(t)
                .run(&fit)
                .unwrap()
                .to_json()
                .unwrap()
        })
        .collect();
    for r in &runs[1..] {
        assert_eq!(r, &runs[0]);
    }
    // A different seed gives different draws.
    let other = Bootstrap::new(300)
        .seed(12)
        .run(&fit)
        .unwrap()
        .to_json()
        .unwrap();
    assert_ne!(other, runs[0]);
}

#[test]
fn statistics_are_complete_and_consistent() {
    let fit = sample_fit();
    let boot = Bootstrap::new(500).seed(1).run(&fit).unwrap();
    let p = boot.path("QUAL", "SAT").unwrap();
    assert!((p.estimate - fit.path("QUAL", "SAT").unwrap()).abs() < 1e-15);
    assert!(p.ci_percentile.unwrap().lo < p.estimate && p.estimate < p.ci_percentile.unwrap().hi);
    let bca = p.ci_bca.unwrap();
    assert!(bca.lo < p.estimate && p.estimate < bca.hi);
    assert!(p.p.unwrap() < 0.001 && p.stars() == "***");
    let sat = boot.index("SAT").unwrap();
    assert!((sat.estimate - fit.index("SAT").unwrap()).abs() < 1e-12);
    assert!(sat.se > 0.1 && sat.se < 3.0, "{}", sat.se);
    assert!(boot
        .get(StatKind::IndirectEffect, "EXPE->QUAL->SAT")
        .is_ok());
    assert!(boot.get(StatKind::Htmt, "EXPE~QUAL").is_ok());
    assert!(boot.get(StatKind::TotalEffect, "EXPE->LOY").is_ok());
    // Single-item weight: constant 1, SE 0, no t or p.
    let w = boot.get(StatKind::Weight, "COMP1").unwrap();
    assert_eq!(w.se, 0.0);
    assert!(w.t.is_none() && w.p.is_none());
    // SmartPLS's divisor.
    let b2 = Bootstrap::new(500)
        .seed(1)
        .se_divisor(csindex::SeDivisor::B)
        .run(&fit)
        .unwrap();
    let ratio = b2.path("QUAL", "SAT").unwrap().se / p.se;
    assert!((ratio - (499.0f64 / 500.0).sqrt()).abs() < 1e-12);
    for sc in [SignChange::Individual, SignChange::ConstructLevel] {
        let b = Bootstrap::new(100)
            .seed(1)
            .sign_change(sc)
            .run(&fit)
            .unwrap();
        assert!(b.path("QUAL", "SAT").unwrap().se > 0.0);
    }
}

/// A rare binary item: many resamples have zero variance. They are counted and dropped, or
/// stop the run when asked; never a panic.
#[test]
fn degenerate_replicates_are_counted() {
    let n = 30;
    let mut data = Vec::new();
    for i in 0..n {
        let a = (i % 7) as f64;
        let b = ((i * 3) % 5) as f64 + a;
        let c = if i == 0 { 1.0 } else { 0.0 }; // one respondent complained
        data.extend_from_slice(&[a, b, (i % 4) as f64 + a, c]);
    }
    let survey = Survey::from_slice(&["a1", "a2", "b1", "c1"], &data, n, Layout::RowMajor).unwrap();
    let model = Model::parse("A =~ a1 + a2\nB =~ b1\nC =~ c1\nB ~ A\nC ~ B").unwrap();
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let boot = Bootstrap::new(200).seed(5).run(&fit).unwrap();
    assert!(boot.degenerate.zero_variance > 20, "{:?}", boot.degenerate);
    assert_eq!(boot.used + boot.degenerate.total(), 200);
    let err = Bootstrap::new(200)
        .seed(5)
        .on_degenerate(OnDegenerate::Fail)
        .run(&fit);
    assert!(matches!(err, Err(csindex::Error::Resampling { .. })));
}

#[test]
fn bad_arguments_are_errors() {
    let survey =
        Survey::from_csv_path(fixture("../../data/acsi_sample.csv"), &LoadOptions::new()).unwrap();
    let fit = Pls::new().fit(&Model::acsi(), &survey).unwrap();
    assert!(Bootstrap::new(1).run(&fit).is_err());
    assert!(Bootstrap::new(10).level(1.5).run(&fit).is_err());
    assert!(Bootstrap::new(10).threads(0).run(&fit).is_err());
    assert!(Bootstrap::new(0)
        .resample_indices(vec![vec![0, 1, 999]; 3])
        .run(&fit)
        .is_err());
}

/// Quantile type 7 (R's default) of sorted values, written out here independently.
fn q7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Percentile, normal, t and BCa intervals and individual sign change, computed by hand from
/// refits of the resampled (and leave-one-out) surveys, against the engine's results on the same
/// resamples.
#[test]
fn intervals_and_sign_change_by_hand() {
    use statrs::distribution::{ContinuousCDF, Normal};
    let opts = LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0);
    let survey = Survey::from_csv_path(fixture("../../data/acsi_sample.csv"), &opts).unwrap();
    let model = Model::acsi();
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let n = survey.n_rows();
    // 40 resamples from a small LCG (not the crate's generator).
    let mut state: u64 = 12345;
    let resamples: Vec<Vec<usize>> = (0..40)
        .map(|_| {
            (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 33) % n as u64) as usize
                })
                .collect()
        })
        .collect();
    let refits: Vec<csindex::Fit> = resamples
        .iter()
        .map(|r| {
            Pls::new()
                .fit(&model, &survey.select_rows(r).unwrap())
                .unwrap()
        })
        .collect();
    let jack: Vec<csindex::Fit> = (0..n)
        .map(|i| {
            let rows: Vec<usize> = (0..n).filter(|&k| k != i).collect();
            Pls::new()
                .fit(&model, &survey.select_rows(&rows).unwrap())
                .unwrap()
        })
        .collect();
    let boot = Bootstrap::new(0)
        .resample_indices(resamples.clone())
        .run(&fit)
        .unwrap();
    let individual = Bootstrap::new(0)
        .resample_indices(resamples)
        .sign_change(SignChange::Individual)
        .bca(false)
        .run(&fit)
        .unwrap();
    let z = Normal::standard();
    let t975_249 = 1.969_536_867_640_351; // t(.975, 249), mpmath to 30 digits
    let mut worst: f64 = 0.0;
    let mut flips = 0;
    let mut close = |a: f64, b: f64, what: &str| {
        let d = (a - b).abs();
        assert!(d < 1e-10, "{what}: {a} vs {b}");
        worst = worst.max(d);
    };
    for (from, to) in [
        ("QUAL", "SAT"),
        ("EXPE", "SAT"),
        ("SAT", "COMP"),
        ("COMP", "LOY"),
    ] {
        let key = format!("{from}->{to}");
        let est = fit.path(from, to).unwrap();
        let mut draws: Vec<f64> = refits.iter().map(|f| f.path(from, to).unwrap()).collect();
        let b = draws.len() as f64;
        let mean = draws.iter().sum::<f64>() / b;
        let se = (draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (b - 1.0)).sqrt();
        let st = boot.path(from, to).unwrap();
        close(st.se, se, &format!("{key} se"));
        draws.sort_by(f64::total_cmp);
        let pc = st.ci_percentile.unwrap();
        close(pc.lo, q7(&draws, 0.025), &format!("{key} percentile lo"));
        close(pc.hi, q7(&draws, 0.975), &format!("{key} percentile hi"));
        let zq = z.inverse_cdf(0.975);
        close(
            st.ci_normal.unwrap().lo,
            est - zq * se,
            &format!("{key} normal"),
        );
        close(
            st.ci_t.unwrap().hi,
            est + t975_249 * se,
            &format!("{key} t"),
        );
        // BCa: z0 from the share of draws ≤ θ̂, acceleration from the jackknife about θ̂.
        let below = draws.iter().filter(|x| **x <= est).count() as f64;
        let z0 = z.inverse_cdf(below / b);
        let d: Vec<f64> = jack
            .iter()
            .map(|f| est - f.path(from, to).unwrap())
            .collect();
        let (s2, s3): (f64, f64) = d
            .iter()
            .fold((0.0, 0.0), |(a, c), x| (a + x * x, c + x * x * x));
        let acc = s3 / (6.0 * s2.powf(1.5));
        let adj = |p: f64| {
            let zp = z.inverse_cdf(p);
            z.cdf(z0 + (z0 + zp) / (1.0 - acc * (z0 + zp)))
        };
        let bca = st.ci_bca.unwrap();
        close(bca.lo, q7(&draws, adj(0.025)), &format!("{key} BCa lo"));
        close(bca.hi, q7(&draws, adj(0.975)), &format!("{key} BCa hi"));
        // Individual sign change: a draw of the other sign than the estimate is flipped.
        let mut flipped: Vec<f64> = refits
            .iter()
            .map(|f| {
                let x = f.path(from, to).unwrap();
                if x * est < 0.0 {
                    flips += 1;
                    -x
                } else {
                    x
                }
            })
            .collect();
        let fm = flipped.iter().sum::<f64>() / b;
        let fse = (flipped.iter().map(|x| (x - fm).powi(2)).sum::<f64>() / (b - 1.0)).sqrt();
        let si = individual.get(StatKind::Path, &key).unwrap();
        close(si.se, fse, &format!("{key} individual sign change se"));
        flipped.sort_by(f64::total_cmp);
        close(
            si.ci_percentile.unwrap().lo,
            q7(&flipped, 0.025),
            &format!("{key} individual lo"),
        );
    }
    assert!(
        flips > 0,
        "no draw changed sign: the sign-change check would test nothing"
    );
    eprintln!("intervals and sign change by hand: max diff {worst:.1e} ({flips} draws flipped)");
}

/// Construct-level sign change by hand: a block whose loadings have mixed signs comes out of
/// some resamples with the opposite orientation; the replicate is flipped when
/// |Σ(λ − λ*)| > |Σ(λ + λ*)| (Tenenhaus et al. 2005), which negates its loadings and the paths
/// with exactly one flipped end. Checked against refits of the same resamples.
#[test]
fn construct_level_sign_change_by_hand() {
    let n = 60;
    let mut state: u64 = 99;
    let mut unif = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    };
    let mut data = Vec::new();
    for _ in 0..n {
        let f = unif();
        let g = 0.3 * f + unif();
        // X: one item with f, one against f, one of noise; Y on g.
        data.extend_from_slice(&[
            f + 0.6 * unif(),
            -f + 0.6 * unif(),
            0.2 * f + unif(),
            g + 0.5 * unif(),
            g + 0.5 * unif(),
        ]);
    }
    let survey =
        Survey::from_slice(&["x1", "x2", "x3", "y1", "y2"], &data, n, Layout::RowMajor).unwrap();
    let model = Model::parse("X =~ x1 + x2 + x3\nY =~ y1 + y2\nY ~ X").unwrap();
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let mut resamples = Vec::new();
    for _ in 0..60 {
        resamples.push(
            (0..n)
                .map(|_| ((unif() + 0.5) * n as f64) as usize % n)
                .collect::<Vec<usize>>(),
        );
    }
    let boot = Bootstrap::new(0)
        .resample_indices(resamples.clone())
        .sign_change(SignChange::ConstructLevel)
        .bca(false)
        .run(&fit)
        .unwrap();
    let items = [("X", vec!["x1", "x2", "x3"]), ("Y", vec!["y1", "y2"])];
    let mut flips = 0;
    let mut paths = Vec::new();
    let mut loads = Vec::new();
    for r in &resamples {
        let f = Pls::new()
            .fit(&model, &survey.select_rows(r).unwrap())
            .unwrap();
        let mut sign = std::collections::HashMap::new();
        for (lv, inds) in &items {
            let diff: f64 = inds
                .iter()
                .map(|i| fit.loading(i).unwrap() - f.loading(i).unwrap())
                .sum();
            let summ: f64 = inds
                .iter()
                .map(|i| fit.loading(i).unwrap() + f.loading(i).unwrap())
                .sum();
            let s = if diff.abs() > summ.abs() { -1.0 } else { 1.0 };
            if s < 0.0 {
                flips += 1;
            }
            sign.insert(*lv, s);
        }
        paths.push(f.path("X", "Y").unwrap() * sign["X"] * sign["Y"]);
        loads.push(f.loading("x1").unwrap() * sign["X"]);
    }
    assert!(
        flips > 0,
        "no resample flipped: the check would test nothing"
    );
    let sd = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
    };
    let p = boot.path("X", "Y").unwrap();
    assert!(
        (p.se - sd(&paths)).abs() < 1e-10,
        "{} vs {}",
        p.se,
        sd(&paths)
    );
    let l = boot.get(StatKind::Loading, "x1").unwrap();
    assert!(
        (l.se - sd(&loads)).abs() < 1e-10,
        "{} vs {}",
        l.se,
        sd(&loads)
    );
    eprintln!("construct-level sign change by hand: {flips} construct flips in 60 resamples");
}
