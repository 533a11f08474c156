//! PLS fit speed: mobi ECSI (250 × 24), 100,000 × 24 in memory, and 100,000 × 24 from CSV.
use criterion::{criterion_group, criterion_main, Criterion};
use csindex::{LoadOptions, Pls, Survey};
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

    let n = 100_000;
    let (model, big) = common::big(n);
    let mut g = c.benchmark_group("large");
    g.sample_size(10);
    g.bench_function("fit 100000x24 in memory", |b| {
        b.iter(|| Pls::new().fit(black_box(&model), black_box(&big)).unwrap())
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
}

criterion_group!(benches, bench);
criterion_main!(benches);
