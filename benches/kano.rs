//! Kano speed: 1,000,000 respondents × 30 features classified and summarised (in memory).
use criterion::{criterion_group, criterion_main, Criterion};
use csindex::kano::{AnswerScale, FeatureAnswers, KanoSurvey};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let n = 1_000_000;
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 5) as u8 + 1
    };
    let features = (0..30)
        .map(|k| FeatureAnswers {
            name: format!("f{k}"),
            functional: (0..n).map(|_| next()).collect(),
            dysfunctional: (0..n).map(|_| next()).collect(),
            importance: Vec::new(),
            skipped: 0,
            weights: Vec::new(),
        })
        .collect();
    let survey = KanoSurvey {
        features,
        scale: AnswerScale::Five,
        respondents: n,
        margin: 0.05,
    };
    let mut g = c.benchmark_group("kano");
    g.sample_size(10);
    g.bench_function("classify+summarise 1000000x30", |b| {
        b.iter(|| black_box(&survey).analyze().unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
