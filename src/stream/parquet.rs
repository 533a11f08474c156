//! Parquet input (cargo feature `parquet`): a Parquet file, or a directory of them, read batch
//! by batch into [`Moments`] or into a [`Survey`], with the CSV loader's rules.
//!
//! - A directory is read as one data set: every `*.parquet` file under it (recursively, as
//!   Spark, DuckDB and DataFusion write partitioned data sets), in sorted path order; files
//!   and folders whose names start with `_` or `.` (`_SUCCESS`, `.crc`) are skipped.
//! - Numeric columns (integers, floats, decimals, booleans as 0/1) are read as numbers; a
//!   null or NaN is a missing cell, and so is a number equal to a declared numeric missing
//!   code. Text columns are read cell by cell exactly as CSV cells (missing spellings, codes,
//!   decimal commas when asked). Other types are read as their text.
//! - Rows are numbered as the lines of the same data written as CSV with a header: the first
//!   row of the data set is line 2. Errors name those lines, as for CSV.
//! - Every file must have the columns asked for; a file without one is [`Error::Parquet`]
//!   naming it.

use super::{take, Parsed, Stream, Track};
use crate::data::{classify_cell, Building, Cell, LoadOptions, Survey};
use crate::error::{Error, Result};
use crate::moments::Moments;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;
use std::path::{Path, PathBuf};

/// Rows per record batch.
const BATCH_ROWS: usize = 8192;

/// The Parquet files of a path: the file itself, or every `*.parquet` file under a directory
/// (sorted; names starting with `_` or `.` skipped).
///
/// # Errors
/// [`Error::Io`] for a path that cannot be read; [`Error::Parquet`] for a directory with no
/// Parquet file.
pub fn parquet_files(path: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
    let path = path.as_ref();
    let io = |p: &Path, e| Error::Io {
        path: p.display().to_string(),
        source: e,
    };
    let meta = std::fs::metadata(path).map_err(|e| io(path, e))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut todo = vec![path.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| io(&dir, e))? {
            let entry = entry.map_err(|e| io(&dir, e))?;
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('_') || name.starts_with('.') {
                continue;
            }
            let kind = entry.file_type().map_err(|e| io(&p, e))?;
            if kind.is_dir() {
                todo.push(p);
            } else if name.ends_with(".parquet") {
                out.push(p);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(Error::Parquet {
            path: path.display().to_string(),
            message: "no .parquet file in this directory".into(),
        });
    }
    Ok(out)
}

fn perr(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Parquet {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// The column names of a Parquet file.
fn schema_names(path: &Path) -> Result<Vec<String>> {
    let file = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    let b = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| perr(path, e))?;
    Ok(b.schema()
        .fields()
        .iter()
        .map(|f| f.name().trim().to_string())
        .collect())
}

/// Reads the named columns of one file batch by batch; `each` gets the batch's columns in
/// the order of `wanted`.
fn read_columns(
    path: &Path,
    wanted: &[&str],
    mut each: impl FnMut(&[ArrayRef], usize) -> Result<()>,
) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    let b = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| perr(path, e))?;
    let names: Vec<String> = b
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().trim().to_string())
        .collect();
    let mut roots = Vec::with_capacity(wanted.len());
    for w in wanted {
        match names.iter().position(|n| n == w) {
            Some(i) => roots.push(i),
            None => {
                return Err(perr(
                    path,
                    format!("no column '{w}' (the first file of the data set has it)"),
                ))
            }
        }
    }
    let mut sorted = roots.clone();
    sorted.sort_unstable();
    sorted.dedup();
    let mask = ProjectionMask::roots(b.parquet_schema(), sorted.iter().copied());
    let reader = b
        .with_projection(mask)
        .with_batch_size(BATCH_ROWS)
        .build()
        .map_err(|e| perr(path, e))?;
    for batch in reader {
        let batch: RecordBatch = batch.map_err(|e| perr(path, e))?;
        // The projected batch holds the columns in file order.
        let cols: Vec<ArrayRef> = roots
            .iter()
            .map(|r| {
                let k = sorted.iter().position(|s| s == r).unwrap_or(0);
                batch.column(k).clone()
            })
            .collect();
        each(&cols, batch.num_rows())?;
    }
    Ok(())
}

/// A column as numbers (for numeric types) or as text.
enum Values {
    Numbers(Float64Array),
    Text(StringArray),
}

fn values(path: &Path, a: &ArrayRef) -> Result<Values> {
    let numeric = a.data_type().is_numeric() || matches!(a.data_type(), DataType::Boolean);
    let cast = |to: &DataType| arrow_cast::cast(a, to).map_err(|e| perr(path, e));
    if numeric {
        let c = cast(&DataType::Float64)?;
        let f = c
            .as_any()
            .downcast_ref::<Float64Array>()
            .cloned()
            .ok_or_else(|| perr(path, "a numeric column could not be read as numbers"))?;
        Ok(Values::Numbers(f))
    } else {
        let c = cast(&DataType::Utf8)?;
        let s = c
            .as_any()
            .downcast_ref::<StringArray>()
            .cloned()
            .ok_or_else(|| perr(path, "a column could not be read as text"))?;
        Ok(Values::Text(s))
    }
}

/// Cell `i` of a column under the loader's rules, with its text (for errors and ids).
fn cell(
    v: &Values,
    i: usize,
    opts: &LoadOptions,
    codes: &[f64],
    decimal_comma: bool,
    forced_text: bool,
) -> (Cell, Vec<u8>) {
    match v {
        Values::Numbers(a) => {
            if a.is_null(i) || a.value(i).is_nan() {
                return (Cell::Missing, Vec::new());
            }
            let x = a.value(i);
            let text = x.to_string().into_bytes();
            if forced_text {
                (Cell::Text, text)
            } else {
                (crate::data::number_cell(x, codes), text)
            }
        }
        Values::Text(a) => {
            if a.is_null(i) {
                return (Cell::Missing, Vec::new());
            }
            let text = a.value(i).as_bytes().trim_ascii().to_vec();
            let c = if forced_text {
                if crate::data::is_missing_token(&String::from_utf8_lossy(&text)) {
                    Cell::Missing
                } else {
                    Cell::Text
                }
            } else {
                classify_cell(&text, opts, codes, decimal_comma)
            };
            (c, text)
        }
    }
}

impl Stream {
    /// The moments of the named columns of a Parquet file or directory (see the
    /// [module documentation](self)), with the same policies, weights, scales, Poisson
    /// bootstrap and errors as [`Stream::moments`] on the same data as CSV.
    ///
    /// # Errors
    /// As [`Stream::moments`]; [`Error::Parquet`] naming a file that cannot be read or lacks a
    /// column.
    pub fn moments_parquet<S: AsRef<str>>(
        &self,
        path: impl AsRef<Path>,
        columns: &[S],
    ) -> Result<Moments> {
        let files = parquet_files(path.as_ref())?;
        let names = schema_names(&files[0])?;
        crate::data::check_names(&names)?;
        let header = super::Header {
            names,
            delimiter: b',',
        };
        let setup = self.setup(&header, columns)?;
        let plan = &setup.plan;
        let ctx = setup.ctx(&self.opts, header.delimiter);
        let mut total = setup.total();
        let wanted: Vec<&str> = plan.slots.iter().map(|s| s.name.as_str()).collect();
        let mut line = 2u64;
        for f in &files {
            read_columns(f, &wanted, |cols, n| {
                let vals: Vec<Values> = cols.iter().map(|a| values(f, a)).collect::<Result<_>>()?;
                let mut tracks = vec![Track::default(); plan.slots.len()];
                let mut parsed = Parsed {
                    values: vec![Vec::with_capacity(n); plan.slots.len()],
                    lines: Vec::with_capacity(n),
                    keys: Vec::with_capacity(n),
                    ids: Vec::new(),
                };
                for i in 0..n {
                    let mut key = crate::resample::poisson::position_key(line);
                    for (s, slot) in plan.slots.iter().enumerate() {
                        let (c, text) = cell(
                            &vals[s],
                            i,
                            &self.opts,
                            &ctx.codes,
                            plan.decimal_comma,
                            slot.forced_text,
                        );
                        if let Some(k) =
                            take(plan, s, c, &text, line, &mut tracks[s], &mut parsed, false)
                        {
                            key = k;
                        }
                    }
                    parsed.lines.push(line);
                    parsed.keys.push(key);
                    line += 1;
                }
                let moments =
                    (!tracks.iter().any(Track::has_problem)).then(|| ctx.accumulate(&parsed));
                total.add(super::BlockOut {
                    structural: None,
                    tracks,
                    rows: n as u64,
                    moments,
                })?;
                Ok(())
            })?;
        }
        total.finish(plan)
    }
}

impl Survey {
    /// Reads every column of a Parquet file or directory into a survey (see the
    /// [stream module's Parquet notes](crate::stream::parquet)), with the same options as
    /// [`Survey::from_csv_path`].
    ///
    /// # Errors
    /// As [`Survey::from_csv_path`]; [`Error::Parquet`] naming a file that cannot be read.
    pub fn from_parquet(path: impl AsRef<Path>, opts: &LoadOptions) -> Result<Survey> {
        let files = parquet_files(path.as_ref())?;
        let names = schema_names(&files[0])?;
        crate::data::check_names(&names)?;
        let decimal_comma = opts.decimal_comma.unwrap_or(false);
        let codes: Vec<f64> = crate::data::code_values(opts, decimal_comma);
        let forced: Vec<bool> = names
            .iter()
            .map(|n| opts.text_columns.contains(n))
            .collect();
        let mut cols: Vec<Building> = forced.iter().map(|&f| Building::start(f)).collect();
        let wanted: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
        let mut lines: Vec<u64> = Vec::new();
        for f in &files {
            read_columns(f, &wanted, |arrays, n| {
                let vals: Vec<Values> =
                    arrays.iter().map(|a| values(f, a)).collect::<Result<_>>()?;
                let first = lines.len() as u64 + 2;
                for (k, col) in cols.iter_mut().enumerate() {
                    for i in 0..n {
                        let (c, text) = cell(&vals[k], i, opts, &codes, decimal_comma, forced[k]);
                        col.push(c, &text, first + i as u64);
                    }
                }
                lines.extend((0..n as u64).map(|i| first + i));
                Ok(())
            })?;
        }
        Survey::from_built(names, cols, lines, opts, decimal_comma)
    }
}
