//! Streaming a large CSV into moments, against loading the same file into memory.
//!
//! The file has 24 Likert items (1..10) of six correlated constructs, about 50 bytes a row. It is
//! written once to `target/bench-data/`. Rows: `CSINDEX_BENCH_ROWS` (default 1,000,000; the
//! issue's goal is measured with 10,000,000, about 500 MB):
//!
//! ```text
//! CSINDEX_BENCH_ROWS=10000000 cargo bench --bench stream
//! ```

use criterion::{criterion_group, criterion_main, Criterion};
use csindex::stream::Stream;
use csindex::{LoadOptions, MissingPolicy, Moments, Survey};
use std::io::Write;
use std::path::PathBuf;

const ITEMS: usize = 24;

fn names() -> Vec<String> {
    ["EXPE", "QUAL", "VAL", "SAT", "COMP", "LOY"]
        .iter()
        .flat_map(|c| (1..=4).map(move |k| format!("{c}{k}")))
        .collect()
}

/// A survey of `rows` rows (written once, then reused).
fn data_file(rows: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join(format!("stream_{rows}.csv"));
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("bench data folder");
    let tmp = dir.join(format!("stream_{rows}.csv.part"));
    let file = std::fs::File::create(&tmp).expect("bench data file");
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    writeln!(out, "{}", names().join(",")).expect("write");
    let mut s = 0x2545_F491_4F6C_DD1Du64;
    let mut unif = move || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut line = String::with_capacity(128);
    for _ in 0..rows {
        line.clear();
        // A common factor plus a construct factor plus noise, on 1..10.
        let g = unif() + unif() + unif() - 1.5;
        for c in 0..6 {
            let f = g + 0.5 * (unif() + unif() - 1.0);
            for k in 0..4 {
                let x = 5.5 + 3.0 * f + 1.5 * (unif() - 0.5) + 0.1 * k as f64;
                let v = x.round().clamp(1.0, 10.0) as u32;
                if c + k > 0 {
                    line.push(',');
                }
                line.push_str(&v.to_string());
            }
        }
        line.push('\n');
        out.write_all(line.as_bytes()).expect("write");
    }
    out.flush().expect("flush");
    drop(out);
    std::fs::rename(&tmp, &path).expect("rename");
    path
}

fn bench(c: &mut Criterion) {
    let rows: usize = std::env::var("CSINDEX_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) {
            20_000
        } else {
            1_000_000
        });
    let path = data_file(rows);
    let names = names();
    assert_eq!(names.len(), ITEMS);
    let opts = || LoadOptions::new().scale("*", 1.0, 10.0);
    let mut g = c.benchmark_group("stream");
    g.sample_size(10);
    g.bench_function(format!("stream {rows}x24 csv -> moments"), |b| {
        b.iter(|| {
            Stream::new(opts())
                .missing(MissingPolicy::Listwise)
                .moments(&path, &names)
                .expect("stream")
        })
    });
    g.bench_function(format!("load {rows}x24 csv into memory -> moments"), |b| {
        b.iter(|| {
            let s = Survey::from_csv_path(&path, &opts()).expect("load");
            Moments::from_survey(&s, &names, MissingPolicy::Listwise).expect("moments")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
