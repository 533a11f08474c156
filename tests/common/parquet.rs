//! Writing Parquet files for the tests (the tests write their own).

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::path::Path;
use std::sync::Arc;

/// The sample survey as columns of text cells (header, rows).
pub fn sample() -> (Vec<String>, Vec<Vec<String>>) {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_sample.csv"))
            .unwrap();
    let mut lines = text.lines();
    let names: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (names, rows)
}

/// How a column is written.
#[derive(Clone, Copy)]
pub enum Kind {
    Int,
    Float,
    Text,
}

pub fn write(path: &Path, names: &[String], rows: &[Vec<String>], kind: Kind, zstd: bool) {
    let cols: Vec<(String, ArrayRef)> = names
        .iter()
        .enumerate()
        .map(|(j, n)| {
            let cells = rows.iter().map(|r| r[j].as_str());
            let a: ArrayRef = match kind {
                Kind::Int => Arc::new(Int64Array::from_iter(cells.map(|c| c.parse::<i64>().ok()))),
                Kind::Float => Arc::new(Float64Array::from_iter(
                    cells.map(|c| c.parse::<f64>().ok()),
                )),
                Kind::Text => Arc::new(StringArray::from_iter(
                    cells.map(|c| (!c.is_empty()).then_some(c)),
                )),
            };
            (n.clone(), a)
        })
        .collect();
    let batch = RecordBatch::try_from_iter(cols).unwrap();
    let props = WriterProperties::builder()
        .set_compression(if zstd {
            Compression::ZSTD(ZstdLevel::try_new(3).unwrap())
        } else {
            Compression::SNAPPY
        })
        .set_max_row_group_row_count(Some(64))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

/// The same rows as a CSV file with a header.
pub fn write_csv(path: &Path, names: &[String], rows: &[Vec<String>]) {
    let mut t = names.join(",") + "\n";
    for r in rows {
        t.push_str(&r.join(","));
        t.push('\n');
    }
    std::fs::write(path, t).unwrap();
}
