//! Bootstrap speed: 5000 resamples of the mobi ECSI model (path scheme) on 1 and 2 threads,
//! with and without the BCa jackknife.
use criterion::{criterion_group, criterion_main, Criterion};
use csindex::{Bootstrap, Pls};
use std::hint::black_box;

#[path = "common.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let (model, survey, label) = common::mobi();
    let fit = Pls::new().fit(&model, &survey).unwrap();
    let mut g = c.benchmark_group(format!("bootstrap 5000 {label} ECSI"));
    g.sample_size(10);
    for threads in [1usize, 2] {
        g.bench_function(format!("{threads} thread(s), with BCa"), |b| {
            b.iter(|| {
                Bootstrap::new(5000)
                    .seed(1)
                    .threads(threads)
                    .run(black_box(&fit))
                    .unwrap()
            })
        });
        g.bench_function(format!("{threads} thread(s), no BCa"), |b| {
            b.iter(|| {
                Bootstrap::new(5000)
                    .seed(1)
                    .threads(threads)
                    .bca(false)
                    .run(black_box(&fit))
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
