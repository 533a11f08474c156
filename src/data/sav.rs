//! SPSS `.sav` / `.zsav` files through ambers (feature `spss`).
//!
//! Numeric variables are the answers (their codes); SPSS's system-missing value and every
//! user-missing value of a variable (discrete values and ranges, as declared in the file)
//! become missing cells, and a note counts them. String variables are read as a CSV file's
//! cells are (a string "4" is the number 4, other text is text), their user-missing strings
//! as missing cells; a string variable whose answers all have value labels, and are not
//! numbers, is read through its labels: each answer becomes its label, so that labels that
//! are Likert words (or words of [`LoadOptions::recode`]) give the codes, and a note names
//! the variables. Variable labels are kept as column labels ([`Survey::label`]) and value
//! labels as [`Survey::value_labels`] (a string variable's too when its values are numbers).
//! Dates and times are text columns (their ISO form). Declared
//! missing codes ([`LoadOptions::missing_code`]) apply as for a CSV file. Line numbers in
//! messages are case numbers + 1 (as if the file were a CSV file with a header).

use super::{check_names, Building, Cell, LoadOptions, Survey};
use crate::error::{Error, Result};
use arrow_array_57::{Array, Float64Array};
use std::path::Path;

impl Survey {
    /// Reads a survey from an SPSS `.sav` or `.zsav` file (see the module documentation).
    ///
    /// ```no_run
    /// use csindex::{LoadOptions, Survey};
    /// let s = Survey::from_sav("acsi_2026q3.sav", &LoadOptions::new())?;
    /// println!("{:?}", s.label("SAT1"));
    /// # Ok::<(), csindex::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Spss`] for a file ambers cannot read; then the checks of a CSV file (names,
    /// declared scales, weights).
    pub fn from_sav(path: impl AsRef<Path>, opts: &LoadOptions) -> Result<Survey> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let read = guarded(&name, || ambers::read_sav(path))?;
        from_read(read, &name, opts)
    }

    /// Reads a survey from an SPSS `.sav` or `.zsav` file held in memory, as
    /// [`Survey::from_sav`] reads a file.
    ///
    /// # Errors
    /// Those of [`Survey::from_sav`]; messages name the file `<spss>`.
    pub fn from_sav_bytes(bytes: &[u8], opts: &LoadOptions) -> Result<Survey> {
        let name = "<spss>";
        let read = guarded(name, || {
            ambers::read_sav_from_reader(std::io::Cursor::new(bytes))
        })?;
        from_read(read, name, opts)
    }
}

/// Runs ambers; its errors and panics become [`Error::Spss`] naming the file.
fn guarded<T, E: std::fmt::Display>(
    path: &str,
    step: impl FnOnce() -> std::result::Result<T, E>,
) -> Result<T> {
    super::guard_reader(step, "SPSS reader", |message| Error::Spss {
        path: path.to_string(),
        message,
    })
}

fn from_read(
    (batch, meta): (arrow_array_57::RecordBatch, ambers::SpssMetadata),
    path: &str,
    opts: &LoadOptions,
) -> Result<Survey> {
    let fail = |message: String| Error::Spss {
        path: path.to_string(),
        message,
    };
    let names: Vec<String> = meta.variable_names.clone();
    check_names(&names)?;
    opts.limits.check_columns(names.len())?;
    if batch.num_columns() != names.len() {
        return Err(fail(format!(
            "{} variables but {} data columns",
            names.len(),
            batch.num_columns()
        )));
    }
    let n = batch.num_rows();
    let codes: Vec<f64> = crate::data::code_values(opts, false);
    let mut cols = Vec::with_capacity(names.len());
    let mut user_missing = Vec::new();
    let mut through_labels = Vec::new();
    for (k, name) in names.iter().enumerate() {
        let arr = batch.column(k);
        let mut col = Building::start(opts.text_columns.contains(name));
        if let Some(v) = arr.as_any().downcast_ref::<Float64Array>() {
            let specs = meta.variable_missing_values.get(name);
            let is_user_missing = |x: f64| {
                specs.is_some_and(|s| {
                    s.iter().any(|m| match m {
                        ambers::MissingSpec::Value(c) => *c == x,
                        ambers::MissingSpec::Range { lo, hi } => *lo <= x && x <= *hi,
                        ambers::MissingSpec::StringValue(_) => false,
                    })
                })
            };
            let mut count = 0usize;
            for i in 0..n {
                let line = i as u64 + 2;
                if v.is_null(i) {
                    col.push(Cell::Missing, b"", line);
                    continue;
                }
                let x = v.value(i);
                if is_user_missing(x) {
                    count += 1;
                    col.push(Cell::Missing, b"", line);
                } else if !x.is_finite() {
                    col.push(Cell::Missing, b"", line);
                } else {
                    let text = format!("{x}");
                    col.push(super::number_cell(x, &codes), text.as_bytes(), line);
                }
            }
            if count > 0 {
                user_missing.push(format!("{name} ({count})"));
            }
        } else if is_string(arr.as_ref()) {
            let text = arrow_cast_text(arr.as_ref(), n).map_err(fail)?;
            let (c, read) = string_column(name, &text, &meta, opts, &codes);
            col = c;
            if read.user_missing > 0 {
                user_missing.push(format!("{name} ({})", read.user_missing));
            }
            if read.through_labels {
                through_labels.push(name.clone());
            }
        } else {
            // Dates and times: their text.
            let text = arrow_cast_text(arr.as_ref(), n).map_err(fail)?;
            col = Building::start(true);
            for (i, t) in text.into_iter().enumerate() {
                match t {
                    Some(t) => col.push(Cell::Text, t.as_bytes(), i as u64 + 2),
                    None => col.push(Cell::Missing, b"", i as u64 + 2),
                }
            }
        }
        cols.push(col);
    }
    let lines: Vec<u64> = (0..n as u64).map(|i| i + 2).collect();
    let mut s = Survey::from_built(names, cols, lines, opts, false)?;
    s.notes.push(format!(
        "read SPSS file {} ({} cases, {} variables)",
        path,
        n,
        s.columns.len()
    ));
    if !user_missing.is_empty() {
        s.notes.push(format!(
            "SPSS user-missing values read as missing cells: {}",
            user_missing.join(", ")
        ));
    }
    if !through_labels.is_empty() {
        s.notes.push(format!(
            "SPSS string variables read through their value labels: {}",
            through_labels.join(", ")
        ));
    }
    for w in &meta.warnings {
        s.notes.push(format!("SPSS file warning: {w}"));
    }
    s.labels = meta
        .variable_labels
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(c, l)| (c.clone(), l.clone()))
        .collect();
    s.value_labels = meta
        .variable_value_labels
        .iter()
        .map(|(c, m)| {
            let mut v: Vec<(f64, String)> = m
                .iter()
                .filter_map(|(k, l)| match k {
                    ambers::Value::Numeric(x) => Some((*x, l.clone())),
                    // A string variable's labels, when its values are numbers ("1" … "5").
                    ambers::Value::String(v) => {
                        let v = v.trim().parse::<f64>().ok()?;
                        v.is_finite().then(|| (v, l.clone()))
                    }
                })
                .collect();
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            (c.clone(), v)
        })
        .filter(|(_, v)| !v.is_empty())
        .collect();
    Ok(s)
}

/// Whether a column holds SPSS string values.
fn is_string(arr: &dyn Array) -> bool {
    use arrow_array_57::cast::AsArray;
    arr.as_string_view_opt().is_some() || arr.as_string_opt::<i32>().is_some()
}

/// What reading a string variable found.
struct StringRead {
    /// Cells that were a declared user-missing string.
    user_missing: usize,
    /// Whether the cells were replaced by their value labels.
    through_labels: bool,
}

/// A string variable's cells, read as a CSV file's cells are (numbers, declared missing codes
/// and spellings, text), after two SPSS steps:
/// - the variable's user-missing strings become missing cells;
/// - when the variable has value labels, every answer has one, and the answers are neither all
///   numbers nor all words of the user's `--recode` map, each answer is replaced by its label,
///   so that the labels' Likert words (or the `--recode` map) give the codes: a variable
///   storing "a" … "e" labelled "Very dissatisfied" … "Very satisfied" reads as 1 … 5.
fn string_column(
    name: &str,
    text: &[Option<String>],
    meta: &ambers::SpssMetadata,
    opts: &LoadOptions,
    codes: &[f64],
) -> (Building, StringRead) {
    let forced = opts.text_columns.iter().any(|c| c == name);
    let missing: Vec<&str> = meta
        .variable_missing_values
        .get(name)
        .into_iter()
        .flatten()
        .filter_map(|m| match m {
            ambers::MissingSpec::StringValue(v) => Some(v.trim()),
            _ => None,
        })
        .collect();
    let labels: Vec<(&str, &str)> = meta
        .variable_value_labels
        .get(name)
        .into_iter()
        .flatten()
        .filter_map(|(k, l)| match k {
            ambers::Value::String(v) => Some((v.trim(), l.as_str())),
            ambers::Value::Numeric(_) => None,
        })
        .collect();
    let answers = || {
        text.iter()
            .flatten()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty() && !missing.contains(t))
    };
    let label = |t: &str| labels.iter().find(|(v, _)| *v == t).map(|(_, l)| *l);
    let user_words: Vec<String> = opts
        .recode
        .iter()
        .map(|(w, _)| super::likert::normalize(w))
        .collect();
    let all_numbers = answers().all(|t| {
        matches!(
            super::classify_cell(t.as_bytes(), opts, codes, false),
            Cell::Number(_)
        )
    });
    let all_user_words = !user_words.is_empty()
        && answers().all(|t| user_words.contains(&super::likert::normalize(t)));
    let through_labels = !forced
        && !labels.is_empty()
        && answers().next().is_some()
        && answers().all(|t| label(t).is_some())
        && !all_numbers
        && !all_user_words;
    let mut col = Building::start(forced);
    let mut user_missing = 0;
    for (i, t) in text.iter().enumerate() {
        let line = i as u64 + 2;
        let Some(t) = t.as_deref().map(str::trim) else {
            col.push(Cell::Missing, b"", line);
            continue;
        };
        if !t.is_empty() && missing.contains(&t) {
            user_missing += 1;
            col.push(Cell::Missing, b"", line);
            continue;
        }
        let t = if through_labels {
            label(t).unwrap_or(t)
        } else {
            t
        };
        let cell = if forced {
            Cell::Text
        } else {
            super::classify_cell(t.as_bytes(), opts, codes, false)
        };
        col.push(cell, t.as_bytes(), line);
    }
    (
        col,
        StringRead {
            user_missing,
            through_labels,
        },
    )
}

/// The text of a non-numeric column: strings as they are (trailing blanks dropped), dates as
/// `YYYY-MM-DD`, timestamps and durations as their microsecond counts.
fn arrow_cast_text(arr: &dyn Array, n: usize) -> std::result::Result<Vec<Option<String>>, String> {
    use arrow_array_57::cast::AsArray;
    use arrow_array_57::types::{Date32Type, DurationMicrosecondType, TimestampMicrosecondType};
    let text = |i: usize| -> std::result::Result<String, String> {
        if let Some(a) = arr.as_string_view_opt() {
            Ok(a.value(i).trim_end().to_string())
        } else if let Some(a) = arr.as_string_opt::<i32>() {
            Ok(a.value(i).trim_end().to_string())
        } else if let Some(a) = arr.as_primitive_opt::<Date32Type>() {
            Ok(civil_date(a.value(i) as i64))
        } else if let Some(a) = arr.as_primitive_opt::<TimestampMicrosecondType>() {
            Ok(a.value(i).to_string())
        } else if let Some(a) = arr.as_primitive_opt::<DurationMicrosecondType>() {
            Ok(a.value(i).to_string())
        } else {
            Err(format!(
                "a column of type {} cannot be read",
                arr.data_type()
            ))
        }
    };
    (0..n)
        .map(|i| {
            if arr.is_null(i) {
                Ok(None)
            } else {
                text(i).map(Some)
            }
        })
        .collect()
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (Howard Hinnant's civil-from-days algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_date(0), "1970-01-01");
        assert_eq!(super::civil_date(20_454), "2026-01-01");
        assert_eq!(super::civil_date(-1), "1969-12-31");
    }
}
