//! PLS fit speed: mobi ECSI (250 × 24; unweighted, with survey weights, and from moments),
//! 100,000 × 24 in memory (unweighted and weighted), and 100,000 × 24 from CSV.
use criterion::{criterion_group, criterion_main, Criterion};
use csindex::{LoadOptions, MissingPolicy, Moments, Pls, Survey};
use std::hint::black_box;
use std::io::Write;

#[path = "common.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let (model, survey, label) = common::mobi();
    c.bench_function(&format!("fit {label} ECSI path"), |b| {
        b.iter(|| {
            Pls::new()
                .fit(black_box(&model), black_box(&survey))
                .unwrap()
        })
    });

    let weighted = common::weighted(&survey);
    c.bench_function(&format!("fit {label} ECSI path, survey weights"), |b| {
        b.iter(|| {
            Pls::new()
                .fit(black_box(&model), black_box(&weighted))
                .unwrap()
        })
    });
    let names = model.indicators();
    let moments = Moments::from_survey(&survey, &names, MissingPolicy::Fail).unwrap();
    c.bench_function(&format!("fit_moments {label} ECSI path"), |b| {
        b.iter(|| {
            Pls::new()
                .fit_moments(black_box(&model), black_box(&moments))
                .unwrap()
        })
    });

    let n = 100_000;
    let (model, big) = common::big(n);
    let mut g = c.benchmark_group("large");
    g.sample_size(10);
    g.bench_function("fit 100000x24 in memory", |b| {
        b.iter(|| Pls::new().fit(black_box(&model), black_box(&big)).unwrap())
    });
    let big_w = common::weighted(&big);
    g.bench_function("fit 100000x24 in memory, survey weights", |b| {
        b.iter(|| {
            Pls::new()
                .fit(black_box(&model), black_box(&big_w))
                .unwrap()
        })
    });
    // The same data as a CSV file (written to the temp dir, not kept).
    let path = std::env::temp_dir().join(format!("csindex_bench_{}.csv", std::process::id()));
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let names = model.indicators();
        writeln!(f, "{}", names.join(",")).unwrap();
        let cols: Vec<&[f64]> = names.iter().map(|n| big.numeric(n).unwrap()).collect();
        for i in 0..n {
            let row: Vec<String> = cols.iter().map(|c| format!("{}", c[i])).collect();
            writeln!(f, "{}", row.join(",")).unwrap();
        }
    }
    g.bench_function("load CSV + fit 100000x24", |b| {
        b.iter(|| {
            let s = Survey::from_csv_path(&path, &LoadOptions::new()).unwrap();
            Pls::new().fit(&model, &s).unwrap()
        })
    });
    g.finish();
    let _ = std::fs::remove_file(&path);

    // OrdPLS: polychoric correlations of 24 five-point items on 10,000 rows (and the fits).
    let model = common::big(2).0;
    let five = csindex::simulate::Simulation::new(&model)
        .likert(1.0, 5.0)
        .seed(5)
        .generate(10_000)
        .unwrap();
    let items = model.indicators();
    let mut g = c.benchmark_group("ordinal");
    g.sample_size(20);
    g.bench_function("fit 10000x24 five-point items, Pearson", |b| {
        b.iter(|| Pls::new().fit(black_box(&model), black_box(&five)).unwrap())
    });
    g.finish();

    // Interaction terms (moderation_500: 5 constructs, 14 items, SAT:SW -> LOY).
    let survey = Survey::from_csv_path(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/wave2/moderation_500.csv"
        ),
        &LoadOptions::new().scale("*", 1.0, 7.0),
    )
    .unwrap();
    let text = "QUAL =~ QUAL1 + QUAL2 + QUAL3\nVAL =~ VAL1 + VAL2\nSAT =~ SAT1 + SAT2 + SAT3\n\
                SW =~ SW1 + SW2 + SW3\nLOY =~ LOY1 + LOY2 + LOY3\nVAL ~ QUAL\nSAT ~ QUAL + VAL\n";
    let plain = csindex::Model::parse(&format!("{text}LOY ~ SAT + SW")).unwrap();
    let moderated = csindex::Model::parse(&format!("{text}LOY ~ SAT + SW + SAT:SW")).unwrap();
    // The same number of columns as the product-indicator model (14 items and 9 products of
    // standardised items, taken as plain indicators of a construct SATxSW): a plain fit.
    let plain_items = plain.indicators();
    let mut names: Vec<String> = plain_items.clone();
    let mut cells: Vec<f64> = plain_items
        .iter()
        .flat_map(|c| survey.numeric(c).unwrap().to_vec())
        .collect();
    let z = |c: &str| {
        let v = survey.numeric(c).unwrap();
        let n = v.len() as f64;
        let m = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        v.iter().map(|x| (x - m) / sd).collect::<Vec<f64>>()
    };
    let mut products = Vec::new();
    for a in ["SAT1", "SAT2", "SAT3"] {
        for m in ["SW1", "SW2", "SW3"] {
            cells.extend(z(a).iter().zip(z(m)).map(|(x, y)| x * y));
            let name = format!("{a}x{m}");
            names.push(name.clone());
            products.push(name);
        }
    }
    let refs: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
    let mut wide =
        Survey::from_slice(&refs, &cells, survey.n_rows(), csindex::Layout::ColumnMajor).unwrap();
    for c in &plain_items {
        wide.set_scale(c, 1.0, 7.0).unwrap();
    }
    let wide_model = csindex::Model::parse(&format!(
        "{text}SATxSW =~ {}\nLOY ~ SAT + SW + SATxSW",
        products.join(" + ")
    ))
    .unwrap();
    let mut g = c.benchmark_group("interaction");
    g.bench_function("fit moderation_500 without the interaction", |b| {
        b.iter(|| {
            Pls::new()
                .fit(black_box(&plain), black_box(&survey))
                .unwrap()
        })
    });
    g.bench_function(
        "fit moderation_500 plain, 23 columns (products as items)",
        |b| {
            b.iter(|| {
                Pls::new()
                    .fit(black_box(&wide_model), black_box(&wide))
                    .unwrap()
            })
        },
    );
    for m in [
        csindex::InteractionMethod::TwoStage,
        csindex::InteractionMethod::ProductIndicator,
        csindex::InteractionMethod::Orthogonal,
    ] {
        g.bench_function(format!("fit moderation_500 SAT:SW {}", m.as_str()), |b| {
            b.iter(|| {
                Pls::new()
                    .interaction(m)
                    .fit(black_box(&moderated), black_box(&survey))
                    .unwrap()
            })
        });
    }
    g.finish();
    // Higher-order constructs: RATER (27 items), two-stage, against a plain fit of the same
    // items (the dimensions as first-order constructs in SQ's place: stage one alone).
    let root = env!("CARGO_MANIFEST_DIR");
    let rater = csindex::Model::from_path(format!("{root}/models/csi_rater.txt")).unwrap();
    let rdata = Survey::from_csv_path(
        format!("{root}/data/rater_csi.csv"),
        &LoadOptions::new().scale("*", 1.0, 7.0),
    )
    .unwrap();
    let first_order = csindex::Model::parse(
        "REL =~ REL1 + REL2 + REL3 + REL4\nASS =~ ASS1 + ASS2 + ASS3\nTAN =~ TAN1 + TAN2 + TAN3\n\
         EMP =~ EMP1 + EMP2 + EMP3\nRES =~ RES1 + RES2 + RES3\nEXPE =~ EXPE1 + EXPE2 + EXPE3\n\
         VAL =~ VAL1 + VAL2\nSAT =~ SAT1 + SAT2 + SAT3\nLOY =~ LOY1 + LOY2 + LOY3\n\
         REL + ASS + TAN + EMP + RES ~ EXPE\nVAL ~ REL + ASS + TAN + EMP + RES\n\
         SAT ~ EXPE + VAL + REL + ASS + TAN + EMP + RES\nLOY ~ SAT",
    )
    .unwrap();
    let mut g = c.benchmark_group("higher_order");
    g.bench_function("fit rater 600x27 plain (dimensions first-order)", |b| {
        b.iter(|| {
            Pls::new()
                .fit(black_box(&first_order), black_box(&rdata))
                .unwrap()
        })
    });
    for m in [
        csindex::HocMethod::DisjointTwoStage,
        csindex::HocMethod::CsemTwoStage,
        csindex::HocMethod::CsemMixed,
        csindex::HocMethod::RepeatedIndicators,
    ] {
        g.bench_function(format!("fit rater 600x27 SQ {}", m.as_str()), |b| {
            b.iter(|| {
                Pls::new()
                    .higher_order(m)
                    .fit(black_box(&rater), black_box(&rdata))
                    .unwrap()
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("ordinal");
    g.bench_function("fit_ordinal 10000x24 five-point items (polychoric)", |b| {
        b.iter(|| {
            Pls::new()
                .fit_ordinal(black_box(&model), black_box(&five), &items)
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
