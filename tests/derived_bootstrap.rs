//! The bootstrap of derived fits (higher-order constructs, interaction terms, OrdPLS): every
//! replicate re-runs every stage on its resampled rows.

mod common;
use common::*;
use csindex::bootstrap::{BootResult, StatKind};
use csindex::{Bootstrap, Fit, HocMethod, InteractionMethod, LoadOptions, Model, Pls, Survey};

fn rater() -> (Model, Survey) {
    let model =
        Model::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/models/csi_rater.txt")).unwrap();
    let s = Survey::from_csv_path(
        fixture("wave2/rater_csi_600.csv"),
        &LoadOptions::new().scale("*", 1.0, 7.0),
    )
    .unwrap();
    (model, s)
}

fn moderation() -> (Model, Survey) {
    let model = Model::parse(
        "QUAL =~ QUAL1 + QUAL2 + QUAL3\nVAL =~ VAL1 + VAL2\nSAT =~ SAT1 + SAT2 + SAT3\n\
         SW =~ SW1 + SW2 + SW3\nLOY =~ LOY1 + LOY2 + LOY3\n\
         VAL ~ QUAL\nSAT ~ QUAL + VAL\nLOY ~ SAT + SW + SAT:SW",
    )
    .unwrap();
    let s = Survey::from_csv_path(
        fixture("wave2/moderation_500.csv"),
        &LoadOptions::new().scale("*", 1.0, 7.0),
    )
    .unwrap();
    (model, s)
}

fn ordinal() -> (Model, Survey) {
    let model = Model::parse(
        "EXPE =~ EXPE1 + EXPE2 + EXPE3\nQUAL =~ QUAL1 + QUAL2 + QUAL3\nVAL =~ VAL1 + VAL2\n\
         SAT =~ SAT1 + SAT2 + SAT3\nLOY =~ LOY1 + LOY2\n\
         QUAL ~ EXPE\nVAL ~ EXPE + QUAL\nSAT ~ EXPE + QUAL + VAL\nLOY ~ SAT",
    )
    .unwrap();
    let s = Survey::from_csv_path(
        fixture("wave2/ordinal_acsi_500.csv"),
        &LoadOptions::new().scale("*", 1.0, 5.0),
    )
    .unwrap();
    (model, s)
}

/// Resamples that are the sample itself: every replicate must give the estimate.
fn identity(fit: &Fit, b: usize) -> Vec<Vec<usize>> {
    vec![(0..fit.n_used()).collect(); b]
}

fn assert_identity(fit: &Fit, label: &str) {
    let boot = Bootstrap::new(3)
        .resample_indices(identity(fit, 3))
        .bca(false)
        .run(fit)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    assert_eq!(boot.used, 3, "{label}");
    for s in &boot.statistics {
        let m = s.mean.unwrap();
        assert!(
            (m - s.estimate).abs() < 1e-12 && s.se < 1e-12,
            "{label}: {:?} {} mean {m} estimate {}",
            s.kind,
            s.name,
            s.estimate
        );
    }
    assert!(boot.path("SAT", "LOY").is_ok(), "{label}");
}

fn same(a: &BootResult, b: &BootResult) {
    assert_eq!(a.statistics.len(), b.statistics.len());
    for (x, y) in a.statistics.iter().zip(&b.statistics) {
        assert_eq!(x.se.to_bits(), y.se.to_bits(), "{}", x.name);
        assert_eq!(
            x.ci_percentile.map(|c| c.lo.to_bits()),
            y.ci_percentile.map(|c| c.lo.to_bits())
        );
    }
}

#[test]
fn every_higher_order_method_resamples_its_stages() {
    let (model, survey) = rater();
    for m in [
        HocMethod::DisjointTwoStage,
        HocMethod::CsemTwoStage,
        HocMethod::CsemMixed,
        HocMethod::RepeatedIndicators,
    ] {
        let fit = Pls::new().higher_order(m).fit(&model, &survey).unwrap();
        assert_identity(&fit, &format!("{m:?}"));
    }
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let one = Bootstrap::new(40)
        .seed(3)
        .threads(1)
        .bca(false)
        .run(&fit)
        .unwrap();
    let two = Bootstrap::new(40)
        .seed(3)
        .threads(2)
        .bca(false)
        .run(&fit)
        .unwrap();
    same(&one, &two);
    // The higher-order construct's weights on its dimensions, its paths and its index.
    for s in [
        one.get(StatKind::Weight, "REL").unwrap(),
        one.path("SQ", "SAT").unwrap(),
        one.index("SQ").unwrap(),
    ] {
        assert!(
            s.se > 0.0 && s.se < 0.2 * s.estimate.abs().max(1.0),
            "{} {}",
            s.name,
            s.se
        );
        let ci = s.ci_percentile.unwrap();
        assert!(ci.lo < s.estimate && s.estimate < ci.hi, "{}", s.name);
    }
    assert!((one.index("SQ").unwrap().estimate - fit.index("SQ").unwrap()).abs() < 1e-12);
    // BCa from the jackknife of every stage.
    let bca = Bootstrap::new(20).seed(3).run(&fit).unwrap();
    assert!(bca.path("SQ", "SAT").unwrap().ci_bca.is_some());
    // The construct-level sign correction cannot be applied to re-run stages.
    assert!(Bootstrap::new(10)
        .sign_change(csindex::bootstrap::SignChange::ConstructLevel)
        .run(&fit)
        .is_err());
}

#[test]
fn interaction_effects_and_simple_slopes_are_bootstrapped() {
    let (model, survey) = moderation();
    for m in [
        InteractionMethod::TwoStage,
        InteractionMethod::ProductIndicator,
        InteractionMethod::Orthogonal,
    ] {
        let fit = Pls::new().interaction(m).fit(&model, &survey).unwrap();
        assert_identity(&fit, &format!("{m:?}"));
        let boot = Bootstrap::new(30).seed(11).bca(false).run(&fit).unwrap();
        let term = boot.path("SAT:SW", "LOY").unwrap();
        assert!(term.se > 0.0 && term.se < 0.2);
        let slopes = &fit.simple_slopes()[0];
        for (level, name) in [(-1.0, "-1"), (0.0, "0"), (1.0, "+1")] {
            let s = boot
                .get(StatKind::SimpleSlope, &format!("SAT->LOY@SW={name}"))
                .unwrap();
            let want = slopes.at.iter().find(|a| a.0 == level).unwrap().1;
            assert!((s.estimate - want).abs() < 1e-14);
            assert!(s.se > 0.0);
        }
        // The slope at the moderator's mean is the predictor's path, draw for draw.
        let a = boot.draws(StatKind::SimpleSlope, "SAT->LOY@SW=0").unwrap();
        let b = boot.draws(StatKind::Path, "SAT->LOY").unwrap();
        assert_eq!(a, b);
        assert!(boot.get(StatKind::Index, "SAT:SW").is_err());
    }
}

#[test]
fn ordpls_resamples_its_polychoric_correlations() {
    let (model, survey) = ordinal();
    let items = model.indicators();
    let fit = Pls::new().fit_ordinal(&model, &survey, &items).unwrap();
    assert_identity(&fit, "ordpls");
    // With no item ordinal, the re-run replicates are the ordinary bootstrap's.
    let none: [&str; 0] = [];
    let pearson = Pls::new().fit_ordinal(&model, &survey, &none).unwrap();
    let plain = Pls::new().fit(&model, &survey).unwrap();
    let a = Bootstrap::new(25).seed(5).bca(false).run(&pearson).unwrap();
    let b = Bootstrap::new(25).seed(5).bca(false).run(&plain).unwrap();
    assert_eq!(a.statistics.len(), b.statistics.len());
    for (x, y) in a.statistics.iter().zip(&b.statistics) {
        assert_eq!((x.kind, &x.name), (y.kind, &y.name));
        assert!((x.se - y.se).abs() < 1e-10, "{} {} {}", x.name, x.se, y.se);
        assert!((x.mean.unwrap() - y.mean.unwrap()).abs() < 1e-10);
    }
}
