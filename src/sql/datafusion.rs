//! The moments query run for real on Apache DataFusion (cargo feature `datafusion`) over a
//! Parquet file or a directory of Parquet files. DataFusion plans and runs it in parallel
//! over the files' row groups; Ballista (DataFusion's distributed runner) and Spark run the
//! same SQL across machines.

use super::{SqlDialect, SqlMoments};
use crate::error::{Error, Result};
use crate::moments::Moments;
use datafusion::arrow::array::{Array, Float64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use serde_json::{Map, Value};
use std::path::Path;

fn sql_error(e: impl std::fmt::Display) -> Error {
    Error::Sql {
        message: e.to_string(),
    }
}

/// The result rows of a query as JSON objects (every column read as a number, or null).
fn rows_of(batches: &[RecordBatch]) -> Result<Vec<Map<String, Value>>> {
    let mut out = Vec::new();
    for b in batches {
        let schema = b.schema();
        let mut cols = Vec::with_capacity(b.num_columns());
        for (k, f) in schema.fields().iter().enumerate() {
            let name = f.name().clone();
            if name == "grp" {
                let text = datafusion::arrow::compute::cast(b.column(k), &DataType::Utf8)
                    .map_err(sql_error)?;
                cols.push((name, None, Some(text)));
                continue;
            }
            let num = datafusion::arrow::compute::cast(b.column(k), &DataType::Float64)
                .map_err(sql_error)?;
            cols.push((name, Some(num), None));
        }
        for i in 0..b.num_rows() {
            let mut row = Map::new();
            for (name, num, text) in &cols {
                let v = if let Some(a) = num {
                    let a = a
                        .as_any()
                        .downcast_ref::<Float64Array>()
                        .ok_or_else(|| sql_error(format!("column {name} is not numeric")))?;
                    if a.is_null(i) {
                        Value::Null
                    } else {
                        serde_json::Number::from_f64(a.value(i))
                            .map(Value::Number)
                            .unwrap_or(Value::Null)
                    }
                } else if let Some(t) = text {
                    let t = t
                        .as_any()
                        .downcast_ref::<datafusion::arrow::array::StringArray>()
                        .ok_or_else(|| sql_error("the group column is not text"))?;
                    if t.is_null(i) {
                        Value::Null
                    } else {
                        Value::String(t.value(i).to_string())
                    }
                } else {
                    Value::Null
                };
                row.insert(name.clone(), v);
            }
            out.push(row);
        }
    }
    Ok(out)
}

fn run(path: &Path, query: impl Fn(&str) -> String) -> Result<Vec<Map<String, Value>>> {
    let mut location = path.display().to_string();
    if path.is_dir() && !location.ends_with('/') {
        location.push('/');
    }
    if !path.exists() {
        return Err(Error::Io {
            path: location,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
        });
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| Error::Io {
            path: location.clone(),
            source: e,
        })?;
    rt.block_on(async {
        let ctx = SessionContext::new();
        ctx.register_parquet("survey", &location, ParquetReadOptions::default())
            .await
            .map_err(|e| Error::Parquet {
                path: location.clone(),
                message: e.to_string(),
            })?;
        let df = ctx.sql(&query("survey")).await.map_err(sql_error)?;
        let batches = df.collect().await.map_err(sql_error)?;
        rows_of(&batches)
    })
}

impl SqlMoments {
    /// Runs [`SqlMoments::query`] on DataFusion over a Parquet file or directory and reads the
    /// moments back.
    ///
    /// # Errors
    /// [`Error::Io`] for a path that does not exist; [`Error::Parquet`] when DataFusion cannot
    /// register the files; [`Error::Sql`] for an error of the engine (a missing or text
    /// column); the errors of [`SqlMoments::read`].
    pub fn run_datafusion(&self, path: impl AsRef<Path>) -> Result<Moments> {
        let rows = run(path.as_ref(), |t| self.query(t, SqlDialect::Standard))?;
        match rows.as_slice() {
            [row] => self.read(row),
            _ => Err(sql_error(format!(
                "the query gave {} rows, not one (was it grouped?)",
                rows.len()
            ))),
        }
    }

    /// Runs the grouped query on DataFusion: the moments of each group.
    ///
    /// # Errors
    /// As [`SqlMoments::run_datafusion`].
    pub fn run_datafusion_groups(&self, path: impl AsRef<Path>) -> Result<Vec<(String, Moments)>> {
        let rows = run(path.as_ref(), |t| self.query(t, SqlDialect::Standard))?;
        self.read_groups(&rows)
    }
}
