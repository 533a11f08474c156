//! Survey data: loading from CSV or memory, missing cells, answer scales, text columns.
//!
//! A [`Survey`] holds every column of a file. Columns whose non-missing cells all parse as numbers
//! are numeric (candidate indicators); the others are text (ids, segments, regions) and are kept
//! for grouping. Missing cells are remembered as such: they are never turned into numbers until a
//! [`MissingPolicy`] says how.
//!
//! ```
//! use csindex::{LoadOptions, Survey};
//! let csv = "id;q1;q2\na;1;2\nb;NA;5\nc;3;99\n";
//! let opts = LoadOptions::new().delimiter(b';').missing_code("99").scale("*", 1.0, 5.0);
//! let s = Survey::from_reader(csv.as_bytes(), &opts).unwrap();
//! assert_eq!(s.n_rows(), 3);
//! assert_eq!(s.missing_count("q1").unwrap(), 1);
//! assert_eq!(s.missing_count("q2").unwrap(), 1);
//! assert!(s.is_text("id"));
//! ```

use crate::error::{Error, Result};
pub use crate::moments::WeightKind;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// The answer scale of an item: the lowest and highest possible answers (e.g. 1..10, 0..1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    /// Lowest possible answer.
    pub min: f64,
    /// Highest possible answer.
    pub max: f64,
}

impl Scale {
    /// A scale from `min` to `max`; an error unless both are finite and `min < max`.
    pub fn new(min: f64, max: f64) -> Result<Self> {
        if !(min.is_finite() && max.is_finite() && min < max) {
            return Err(Error::invalid(
                "scale",
                format!("need finite min < max, got {min}..{max}"),
            ));
        }
        Ok(Scale { min, max })
    }
}

/// Where an item's scale came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScaleSource {
    /// Declared by the caller.
    Declared,
    /// Taken from the smallest and largest observed answers (a warning is reported).
    Observed,
}

crate::options::flag_names!(ScaleSource, "scale source", Declared => "declared", Observed => "observed");

/// How to treat missing cells in the columns a model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingPolicy {
    /// Fail with [`Error::MissingData`] listing the columns and counts (the default: nothing is
    /// dropped or invented silently).
    #[default]
    Fail,
    /// Drop every row with a missing cell in any model column; the fit reports rows used.
    Listwise,
    /// Replace each missing cell by its column's mean over observed cells, before
    /// standardising (seminr's `mean_replacement`).
    Mean,
}

crate::options::flag_names!(MissingPolicy, "missing", Fail => "fail" | "none", Listwise => "listwise", Mean => "mean");

/// Options for reading a survey from CSV. Consuming builder.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// `None`: detected from the header line.
    delimiter: Option<u8>,
    missing_tokens: Vec<String>,
    missing_codes: Vec<String>,
    scales: Vec<(String, Scale)>,
    reverse: Vec<String>,
    text_columns: Vec<String>,
    /// `None`: on when the delimiter is `;`.
    decimal_comma: Option<bool>,
    weights: Option<(String, WeightKind)>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            delimiter: None,
            missing_tokens: ["", "NA", "N/A", "#N/A", "NaN", "NULL", "None", ".", "-"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            missing_codes: Vec::new(),
            scales: Vec::new(),
            reverse: Vec::new(),
            text_columns: Vec::new(),
            decimal_comma: None,
            weights: None,
        }
    }
}

impl LoadOptions {
    /// Defaults: the delimiter is detected from the header line (the most frequent of `,`, `;`
    /// and tab; `,` when none occurs); decimal commas are read in `;`-delimited files only;
    /// missing cells are empty, `NA`, `N/A`, `#N/A`, `NaN`, `NULL`,
    /// `None`, `.` and `-` (compared after trimming blanks, ignoring ASCII case); no declared
    /// scales.
    pub fn new() -> Self {
        Self::default()
    }
    /// Field delimiter (`b','`, `b';'`, `b'\t'`, ...), instead of detecting it.
    #[must_use]
    pub fn delimiter(mut self, d: u8) -> Self {
        self.delimiter = Some(d);
        self
    }
    /// Replaces the list of texts that mean "missing" (compared after trimming blanks, ignoring
    /// ASCII case).
    #[must_use]
    pub fn missing_tokens<S: AsRef<str>>(mut self, tokens: &[S]) -> Self {
        self.missing_tokens = tokens
            .iter()
            .map(|t| t.as_ref().trim().to_string())
            .collect();
        self
    }
    /// Adds a code meaning "missing" (e.g. `99` or `don't know`). A numeric code also matches
    /// other spellings of the same number (`99.0`, ` 99`); a text code ignores ASCII case.
    #[must_use]
    pub fn missing_code(mut self, code: &str) -> Self {
        self.missing_codes.push(code.trim().to_string());
        self
    }
    /// Declares the answer scale of a column; the name `*` sets it for every numeric column not
    /// declared by name.
    #[must_use]
    pub fn scale(mut self, column: &str, min: f64, max: f64) -> Self {
        self.scales.push((column.to_string(), Scale { min, max }));
        self
    }
    /// Marks a column as reverse-coded: each answer x becomes `min + max − x` on its declared
    /// scale (the scale must be declared).
    #[must_use]
    pub fn reverse(mut self, column: &str) -> Self {
        self.reverse.push(column.to_string());
        self
    }
    /// Forces a column to be read as text even if it looks numeric (e.g. numeric region codes).
    #[must_use]
    pub fn text_column(mut self, column: &str) -> Self {
        self.text_columns.push(column.to_string());
        self
    }
    /// Whether `3,5` reads as 3.5 (decimal comma). By default it does in `;`-delimited files,
    /// where a comma inside a cell can only be a decimal comma.
    #[must_use]
    pub fn decimal_comma(mut self, yes: bool) -> Self {
        self.decimal_comma = Some(yes);
        self
    }
}

impl LoadOptions {
    /// Weights the rows by a numeric column (see [`Survey::with_weights`]).
    #[must_use]
    pub fn weights(mut self, column: &str, kind: WeightKind) -> Self {
        self.weights = Some((column.to_string(), kind));
        self
    }
}

/// Matrix memory layout for [`Survey::from_slice`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `data[row * n_cols + col]`.
    RowMajor,
    /// `data[col * n_rows + row]`.
    ColumnMajor,
}

#[derive(Debug, Clone)]
enum ColumnData {
    /// NaN marks a missing cell.
    Numeric(Vec<f64>),
    Text {
        values: Vec<Option<String>>,
        /// First cell that made a mostly numeric column text: (line, value).
        first_bad: Option<(u64, String)>,
    },
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    data: ColumnData,
    scale: Option<Scale>,
    /// Observed (min, max) of a numeric column, computed once when first needed (`None`: no
    /// observed value, or text).
    range: std::sync::OnceLock<Option<(f64, f64)>>,
}

impl Column {
    fn new(name: String, data: ColumnData, scale: Option<Scale>) -> Column {
        Column {
            name,
            data,
            scale,
            range: std::sync::OnceLock::new(),
        }
    }
    /// The observed range (NaN compares false, so it never enters it).
    fn range(&self) -> Option<(f64, f64)> {
        *self.range.get_or_init(|| match &self.data {
            ColumnData::Numeric(v) => {
                let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
                for &x in v {
                    lo = if x < lo { x } else { lo };
                    hi = if x > hi { x } else { hi };
                }
                lo.is_finite().then_some((lo, hi))
            }
            ColumnData::Text { .. } => None,
        })
    }
}

/// A survey: named columns, numeric or text, with missing cells and answer scales.
#[derive(Debug, Clone)]
pub struct Survey {
    columns: Vec<Column>,
    n_rows: usize,
    /// Source line of each row (1-based, header = 1); for in-memory data, row index + 2.
    lines: Vec<u64>,
    /// Survey weights, when a weight column was chosen.
    weights: Option<SurveyWeights>,
}

/// The weight column of a survey and its checked values.
#[derive(Debug, Clone)]
struct SurveyWeights {
    column: String,
    kind: WeightKind,
    values: Vec<f64>,
}

/// The most frequent of `,`, `;` and tab outside quotes in the first line (`,` on a tie or when
/// none occurs).
fn detect_delimiter(buf: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in buf.iter().take_while(|&&b| b != b'\n') {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b';', b'\t'][best]
    }
}

/// Reads the whole input, and the delimiter: the given one, or detected from the header line.
pub(crate) fn read_input<R: Read>(reader: &mut R, delimiter: Option<u8>) -> Result<(Vec<u8>, u8)> {
    let mut buf = Vec::new();
    reader.read_to_end(&mut buf).map_err(|e| Error::Io {
        path: "<input>".into(),
        message: e.to_string(),
    })?;
    let d = delimiter.unwrap_or_else(|| detect_delimiter(&buf));
    Ok((buf, d))
}

/// Opens a file for buffered reading; the error names the file.
pub(crate) fn open_file(path: &Path) -> Result<std::io::BufReader<std::fs::File>> {
    std::fs::File::open(path)
        .map(std::io::BufReader::new)
        .map_err(|e| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })
}

/// A CSV reader error as a typed error with its line.
pub(crate) fn csv_error(e: csv::Error) -> Error {
    Error::Csv {
        line: e.position().map(|p| p.line()).unwrap_or(0),
        message: e.to_string(),
    }
}

/// Column names must be non-empty and distinct; the error gives 1-based positions.
pub(crate) fn check_names<S: AsRef<str>>(names: &[S]) -> Result<()> {
    for (i, n) in names.iter().enumerate() {
        let n = n.as_ref();
        if n.trim().is_empty() {
            return Err(Error::EmptyColumnName { column: i + 1 });
        }
        if let Some(j) = names[..i].iter().position(|m| m.as_ref() == n) {
            return Err(Error::DuplicateColumn {
                name: n.to_string(),
                first: j + 1,
                second: i + 1,
            });
        }
    }
    Ok(())
}

/// A flexible CSV reader positioned after the header, and the checked header names (trimmed,
/// byte-order mark removed). Shared by the survey, Kano and SERVQUAL loaders.
pub(crate) fn csv_with_header<R: Read>(
    reader: R,
    delimiter: u8,
) -> Result<(csv::Reader<R>, Vec<String>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut header = csv::StringRecord::new();
    match rdr.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return Err(Error::EmptyFile),
        Err(e) => return Err(csv_error(e)),
    }
    let names: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == 0 {
                h.trim_start_matches('\u{feff}')
            } else {
                h
            }
            .trim()
            .to_string()
        })
        .collect();
    if names.len() == 1 && names[0].is_empty() {
        return Err(Error::EmptyFile);
    }
    check_names(&names)?;
    Ok((rdr, names))
}

/// Numbers as their decimal text, NaN (missing) as `None`.
fn numbers_as_text(v: &[f64]) -> Vec<Option<String>> {
    v.iter()
        .map(|x| {
            if x.is_nan() {
                None
            } else {
                Some(x.to_string())
            }
        })
        .collect()
}

/// A column while it is read.
enum Building {
    Numeric(Vec<f64>),
    Text {
        values: Vec<Option<String>>,
        first_bad: Option<(u64, String)>,
        forced: bool,
    },
}

/// What one cell holds.
enum Cell {
    Number(f64),
    Missing,
    Text,
}

/// Classifies a trimmed cell: plain integers take a fast path; missing tokens are checked
/// before the general float parser (which would accept "NaN").
fn classify_cell(cell: &[u8], opts: &LoadOptions, codes: &[f64], decimal_comma: bool) -> Cell {
    let number = |v: f64| {
        if codes.contains(&v) {
            Cell::Missing
        } else {
            Cell::Number(v)
        }
    };
    if !cell.is_empty() && cell.len() <= 15 {
        let (neg, digits) = match cell[0] {
            b'-' => (true, &cell[1..]),
            b'+' => (false, &cell[1..]),
            _ => (false, cell),
        };
        if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
            let v = digits
                .iter()
                .fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0'));
            return number(if neg { -(v as f64) } else { v as f64 });
        }
    }
    let Ok(text) = std::str::from_utf8(cell) else {
        return Cell::Text;
    };
    if opts
        .missing_tokens
        .iter()
        .any(|t| t.eq_ignore_ascii_case(text))
        || opts
            .missing_codes
            .iter()
            .any(|t| t.eq_ignore_ascii_case(text))
    {
        return Cell::Missing;
    }
    match parse_number(text, decimal_comma) {
        Some(v) => number(v),
        None => Cell::Text,
    }
}

fn parse_number(cell: &str, decimal_comma: bool) -> Option<f64> {
    let v = if decimal_comma && cell.contains(',') {
        cell.replace(',', ".").parse::<f64>().ok()
    } else {
        cell.parse::<f64>().ok()
    };
    v.filter(|x| x.is_finite())
}

/// Levenshtein distance on lowercase chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest name in `names` to `name`, if it is close enough to be a plausible typo.
pub(crate) fn closest<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for n in names {
        let d = edit_distance(name, n);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, n));
        }
    }
    let limit = (name.chars().count() / 3).max(2);
    best.filter(|(d, _)| *d <= limit)
        .map(|(_, n)| n.to_string())
}

impl Survey {
    /// Reads a survey from a CSV file with a header row.
    pub fn from_csv_path(path: impl AsRef<Path>, opts: &LoadOptions) -> Result<Survey> {
        Self::from_reader(open_file(path.as_ref())?, opts)
    }

    /// Reads a survey from any reader holding CSV text with a header row.
    pub fn from_reader<R: Read>(mut reader: R, opts: &LoadOptions) -> Result<Survey> {
        let (buf, delimiter) = read_input(&mut reader, opts.delimiter)?;
        let decimal_comma = opts.decimal_comma.unwrap_or(delimiter == b';');
        let (mut rdr, names) = csv_with_header(buf.as_slice(), delimiter)?;
        let csv_err = csv_error;
        let p = names.len();
        let codes: Vec<f64> = opts
            .missing_codes
            .iter()
            .filter_map(|c| parse_number(c, decimal_comma))
            .collect();
        // Columns start numeric; a column turns text at its first cell that is neither a number
        // nor missing (its earlier numbers are kept as their decimal text).
        let mut cols: Vec<Building> = names
            .iter()
            .map(|n| {
                if opts.text_columns.iter().any(|t| t == n) {
                    Building::Text {
                        values: Vec::new(),
                        first_bad: None,
                        forced: true,
                    }
                } else {
                    Building::Numeric(Vec::new())
                }
            })
            .collect();
        let mut lines = Vec::new();
        let mut rec = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(csv_err(e)),
            }
            let line = rec.position().map(|q| q.line()).unwrap_or(0);
            if rec.len() == 1 && rec.get(0).is_some_and(|c| c.trim_ascii().is_empty()) && p > 1 {
                continue; // a blank line
            }
            if rec.len() != p {
                return Err(Error::RaggedRow {
                    line,
                    expected: p,
                    found: rec.len(),
                });
            }
            for (col, cell) in cols.iter_mut().zip(rec.iter()) {
                let cell = cell.trim_ascii();
                let value = match col {
                    Building::Text { forced: true, .. } => Cell::Text,
                    _ => classify_cell(cell, opts, &codes, decimal_comma),
                };
                match (col, value) {
                    (Building::Numeric(v), Cell::Number(x)) => v.push(x),
                    (Building::Numeric(v), Cell::Missing) => v.push(f64::NAN),
                    (col @ Building::Numeric(_), Cell::Text) => {
                        let text = String::from_utf8_lossy(cell).into_owned();
                        if let Building::Numeric(v) = col {
                            let mut values = numbers_as_text(v);
                            values.push(Some(text.clone()));
                            *col = Building::Text {
                                values,
                                first_bad: Some((line, text)),
                                forced: false,
                            };
                        }
                    }
                    (Building::Text { values, .. }, Cell::Missing) => values.push(None),
                    (Building::Text { values, .. }, _) => {
                        values.push(Some(String::from_utf8_lossy(cell).into_owned()))
                    }
                }
            }
            lines.push(line);
        }
        if lines.is_empty() {
            return Err(Error::NoRows);
        }
        let columns = names
            .into_iter()
            .zip(cols)
            .map(|(name, b)| Column {
                name,
                scale: None,
                range: std::sync::OnceLock::new(),
                data: match b {
                    Building::Numeric(v) => ColumnData::Numeric(v),
                    Building::Text {
                        values,
                        first_bad,
                        forced,
                    } => {
                        // A column with no number at all is plain text: no "bad cell" to report.
                        let any_number = first_bad.is_some()
                            && values
                                .iter()
                                .flatten()
                                .any(|v| parse_number(v, decimal_comma).is_some());
                        ColumnData::Text {
                            values,
                            first_bad: if any_number && !forced {
                                first_bad
                            } else {
                                None
                            },
                        }
                    }
                },
            })
            .collect();
        let mut s = Survey {
            columns,
            n_rows: lines.len(),
            lines,
            weights: None,
        };
        s.apply_scales(opts)?;
        match &opts.weights {
            Some((column, kind)) => s.with_weights(column, *kind),
            None => Ok(s),
        }
    }

    fn apply_scales(&mut self, opts: &LoadOptions) -> Result<()> {
        for (name, sc) in &opts.scales {
            Scale::new(sc.min, sc.max)?;
            if name != "*" {
                self.col_index(name)?;
            }
        }
        let wildcard = opts
            .scales
            .iter()
            .rev()
            .find(|(n, _)| n == "*")
            .map(|x| x.1);
        for col in &mut self.columns {
            if let ColumnData::Numeric(_) = col.data {
                col.scale = opts
                    .scales
                    .iter()
                    .rev()
                    .find(|(n, _)| *n == col.name)
                    .map(|x| x.1)
                    .or(wildcard);
            }
        }
        for name in &opts.reverse {
            let j = self.col_index(name)?;
            let col = &mut self.columns[j];
            let sc = col.scale.ok_or_else(|| {
                Error::invalid(
                    "reverse",
                    format!("column '{name}' needs a declared scale to be reversed"),
                )
            })?;
            match &mut col.data {
                ColumnData::Numeric(v) => {
                    v.iter_mut().for_each(|x| *x = sc.min + sc.max - *x);
                    col.range = std::sync::OnceLock::new();
                }
                ColumnData::Text { .. } => {
                    return Err(self.not_numeric(j, "reversed"));
                }
            }
        }
        // Answers outside a scale declared *by name* are an error naming the cell. The `*`
        // scale is checked only for the columns a model uses (see `prepare`), so that an unused
        // numeric column (a respondent id, a year) never fails a load.
        for col in &self.columns {
            if opts.scales.iter().any(|(n, _)| *n == col.name) {
                self.check_scale(col)?;
            }
        }
        Ok(())
    }

    /// An error naming the first cell of a numeric column outside its declared scale.
    fn check_scale(&self, col: &Column) -> Result<()> {
        if let (Some((lo, hi)), Some(sc)) = (col.range(), col.scale) {
            if lo >= sc.min && hi <= sc.max {
                return Ok(());
            }
        }
        if let (ColumnData::Numeric(v), Some(sc)) = (&col.data, col.scale) {
            if let Some((i, x)) = v
                .iter()
                .enumerate()
                .find(|(_, x)| !x.is_nan() && (**x < sc.min || **x > sc.max))
            {
                return Err(Error::InvalidAnswer {
                    line: self.lines[i],
                    column: col.name.clone(),
                    value: x.to_string(),
                    expected: format!("declared scale {}..{}", sc.min, sc.max),
                });
            }
        }
        Ok(())
    }

    /// Builds a survey from an in-memory matrix of numbers; NaN marks a missing cell.
    pub fn from_slice(
        names: &[&str],
        data: &[f64],
        n_rows: usize,
        layout: Layout,
    ) -> Result<Survey> {
        let p = names.len();
        if p == 0 {
            return Err(Error::EmptyFile);
        }
        if n_rows == 0 {
            return Err(Error::NoRows);
        }
        if data.len() != n_rows * p {
            return Err(Error::invalid(
                "data",
                format!("{} values for {n_rows} rows × {p} columns", data.len()),
            ));
        }
        check_names(names)?;
        let mut columns = Vec::with_capacity(p);
        for (j, name) in names.iter().enumerate() {
            let v: Vec<f64> = (0..n_rows)
                .map(|i| match layout {
                    Layout::RowMajor => data[i * p + j],
                    Layout::ColumnMajor => data[j * n_rows + i],
                })
                .collect();
            if let Some(i) = v.iter().position(|x| x.is_infinite()) {
                return Err(Error::NonFinite {
                    row: i as u64 + 1,
                    column: name.to_string(),
                });
            }
            columns.push(Column::new(name.to_string(), ColumnData::Numeric(v), None));
        }
        Ok(Survey {
            columns,
            n_rows,
            lines: (0..n_rows as u64).map(|i| i + 2).collect(),
            weights: None,
        })
    }

    /// Builds a survey from a nalgebra matrix (rows = respondents); NaN marks a missing cell.
    pub fn from_matrix(names: &[&str], m: &DMatrix<f64>) -> Result<Survey> {
        if names.len() != m.ncols() {
            return Err(Error::invalid(
                "names",
                format!("{} names for {} columns", names.len(), m.ncols()),
            ));
        }
        Self::from_slice(names, m.as_slice(), m.nrows(), Layout::ColumnMajor)
    }

    /// Builds a survey from an ndarray `Array2` (rows = respondents); NaN marks a missing cell.
    #[cfg(feature = "ndarray")]
    pub fn from_ndarray(names: &[&str], a: &ndarray::Array2<f64>) -> Result<Survey> {
        let (n, p) = a.dim();
        if names.len() != p {
            return Err(Error::invalid(
                "names",
                format!("{} names for {p} columns", names.len()),
            ));
        }
        let data: Vec<f64> = a.iter().copied().collect();
        Self::from_slice(names, &data, n, Layout::RowMajor)
    }

    /// Adds (or replaces) a text column, e.g. a segment held in memory.
    pub fn with_text_column(mut self, name: &str, values: Vec<String>) -> Result<Survey> {
        if values.len() != self.n_rows {
            return Err(Error::invalid(
                name,
                format!("{} values for {} rows", values.len(), self.n_rows),
            ));
        }
        let col = Column::new(
            name.to_string(),
            ColumnData::Text {
                values: values.into_iter().map(Some).collect(),
                first_bad: None,
            },
            None,
        );
        match self.columns.iter().position(|c| c.name == name) {
            Some(j) => self.columns[j] = col,
            None => self.columns.push(col),
        }
        Ok(self)
    }

    /// Declares the answer scale of a numeric column (`*` for every numeric column).
    pub fn set_scale(&mut self, column: &str, min: f64, max: f64) -> Result<()> {
        let sc = Scale::new(min, max)?;
        if column == "*" {
            for c in &mut self.columns {
                if matches!(c.data, ColumnData::Numeric(_)) {
                    c.scale = Some(sc);
                }
            }
            return Ok(());
        }
        let j = self.col_index(column)?;
        if !matches!(self.columns[j].data, ColumnData::Numeric(_)) {
            return Err(self.not_numeric(j, "given a scale"));
        }
        self.columns[j].scale = Some(sc);
        Ok(())
    }

    /// Weights the rows by a numeric column (survey weights: design or post-stratification
    /// weights with [`WeightKind::Sampling`], replication counts with
    /// [`WeightKind::Frequency`]). Every estimate is then weighted: means, standard deviations
    /// and correlations, the PLS iteration, the regressions, the 0-100 index, IPMA and
    /// satisfaction levels; the bootstrap resamples rows with their weights.
    ///
    /// ```
    /// use csindex::{LoadOptions, Survey, WeightKind};
    /// let s = Survey::from_reader("q,w\n1,0.5\n2,1.5\n".as_bytes(), &LoadOptions::new())?
    ///     .with_weights("w", WeightKind::Sampling)?;
    /// assert_eq!(s.weight_column(), Some(("w", WeightKind::Sampling)));
    /// # Ok::<(), csindex::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadWeight`] naming the line of the first weight that is missing, not a number,
    /// negative or not finite, or when all weights are zero; [`Error::UnknownColumn`] for a
    /// column the survey does not have.
    pub fn with_weights(mut self, column: &str, kind: WeightKind) -> Result<Survey> {
        let j = self.col_index(column)?;
        let bad = |row: u64, message: String| Error::BadWeight {
            row,
            column: column.to_string(),
            message,
        };
        let values = match &self.columns[j].data {
            ColumnData::Numeric(v) => v.clone(),
            ColumnData::Text { values, first_bad } => {
                let (line, value) = match first_bad {
                    Some((line, value)) => (*line, value.clone()),
                    None => {
                        let i = values.iter().position(|v| v.is_some()).unwrap_or(0);
                        (
                            self.lines.get(i).copied().unwrap_or(0),
                            values.get(i).cloned().flatten().unwrap_or_default(),
                        )
                    }
                };
                return Err(bad(line, format!("'{value}' is not a number")));
            }
        };
        for (i, &x) in values.iter().enumerate() {
            if x.is_nan() {
                return Err(bad(self.lines[i], "missing weight".into()));
            }
            if !(x.is_finite() && x >= 0.0) {
                return Err(bad(
                    self.lines[i],
                    format!("weight {x} (weights must be finite and >= 0)"),
                ));
            }
        }
        if !values.iter().any(|&x| x > 0.0) {
            return Err(bad(0, "every weight is zero".into()));
        }
        self.weights = Some(SurveyWeights {
            column: column.to_string(),
            kind,
            values,
        });
        Ok(self)
    }

    /// The weight column and what its weights mean, when the rows are weighted.
    pub fn weight_column(&self) -> Option<(&str, WeightKind)> {
        self.weights.as_ref().map(|w| (w.column.as_str(), w.kind))
    }

    /// The row weights (`None` for an unweighted survey).
    pub fn weights(&self) -> Option<&[f64]> {
        self.weights.as_ref().map(|w| w.values.as_slice())
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// All column names, in file order.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }

    /// Whether the column is a text column.
    pub fn is_text(&self, column: &str) -> bool {
        self.columns
            .iter()
            .any(|c| c.name == column && matches!(c.data, ColumnData::Text { .. }))
    }

    /// Source line (1-based, header = line 1) of data row `row` (0-based).
    pub fn line_of(&self, row: usize) -> u64 {
        self.lines.get(row).copied().unwrap_or(0)
    }

    pub(crate) fn col_index(&self, name: &str) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .ok_or_else(|| Error::UnknownColumn {
                name: name.to_string(),
                suggestion: closest(name, self.columns.iter().map(|c| c.name.as_str())),
            })
    }

    fn not_numeric(&self, j: usize, role: &str) -> Error {
        let col = &self.columns[j];
        match &col.data {
            ColumnData::Text {
                first_bad: Some((line, value)),
                ..
            } => Error::NonNumeric {
                line: *line,
                column: col.name.clone(),
                value: value.clone(),
            },
            _ => Error::TextColumn {
                column: col.name.clone(),
                role: role.to_string(),
            },
        }
    }

    /// The values of a numeric column (NaN = missing).
    pub fn numeric(&self, column: &str) -> Result<&[f64]> {
        let j = self.col_index(column)?;
        match &self.columns[j].data {
            ColumnData::Numeric(v) => Ok(v),
            ColumnData::Text { .. } => Err(self.not_numeric(j, "used as numbers")),
        }
    }

    /// The values of a column as text (`None` = missing); numeric columns are formatted.
    pub fn text(&self, column: &str) -> Result<Vec<Option<String>>> {
        let j = self.col_index(column)?;
        Ok(match &self.columns[j].data {
            ColumnData::Text { values, .. } => values.clone(),
            ColumnData::Numeric(v) => numbers_as_text(v),
        })
    }

    /// Number of missing cells in a column.
    pub fn missing_count(&self, column: &str) -> Result<usize> {
        let j = self.col_index(column)?;
        Ok(match &self.columns[j].data {
            ColumnData::Numeric(v) => v.iter().filter(|x| x.is_nan()).count(),
            ColumnData::Text { values, .. } => values.iter().filter(|x| x.is_none()).count(),
        })
    }

    /// The declared scale of a numeric column, if any.
    pub fn declared_scale(&self, column: &str) -> Result<Option<Scale>> {
        let j = self.col_index(column)?;
        Ok(self.columns[j].scale)
    }

    /// The scale of a numeric column: declared, or else the observed min and max.
    pub fn scale(&self, column: &str) -> Result<(Scale, ScaleSource)> {
        if let Some(sc) = self.declared_scale(column)? {
            return Ok((sc, ScaleSource::Declared));
        }
        self.numeric(column)?;
        let Some((lo, hi)) = self.columns[self.col_index(column)?].range() else {
            return Err(Error::AllMissing {
                column: column.to_string(),
            });
        };
        if lo == hi {
            return Err(Error::ZeroVariance {
                column: column.to_string(),
                n: self.n_rows,
            });
        }
        Ok((Scale { min: lo, max: hi }, ScaleSource::Observed))
    }

    /// A survey with only the given rows (0-based, in the order given).
    pub fn select_rows(&self, rows: &[usize]) -> Result<Survey> {
        if rows.is_empty() {
            return Err(Error::NoRows);
        }
        if let Some(&bad) = rows.iter().find(|&&r| r >= self.n_rows) {
            return Err(Error::invalid(
                "rows",
                format!("row {bad} out of range (survey has {} rows)", self.n_rows),
            ));
        }
        let columns = self
            .columns
            .iter()
            .map(|c| Column {
                name: c.name.clone(),
                scale: c.scale,
                range: std::sync::OnceLock::new(),
                data: match &c.data {
                    ColumnData::Numeric(v) => {
                        ColumnData::Numeric(rows.iter().map(|&r| v[r]).collect())
                    }
                    ColumnData::Text { values, first_bad } => ColumnData::Text {
                        values: rows.iter().map(|&r| values[r].clone()).collect(),
                        first_bad: first_bad.clone(),
                    },
                },
            })
            .collect();
        Ok(Survey {
            columns,
            n_rows: rows.len(),
            lines: rows.iter().map(|&r| self.lines[r]).collect(),
            weights: self.weights.as_ref().map(|w| SurveyWeights {
                column: w.column.clone(),
                kind: w.kind,
                values: rows.iter().map(|&r| w.values[r]).collect(),
            }),
        })
    }

    /// The raw n_used × p matrix of the named columns after applying the missing-data policy.
    pub(crate) fn prepare(&self, names: &[String], policy: MissingPolicy) -> Result<Prepared> {
        let mut cols: Vec<&[f64]> = Vec::with_capacity(names.len());
        for name in names {
            let j = self.col_index(name)?;
            match &self.columns[j].data {
                ColumnData::Numeric(v) => cols.push(v),
                ColumnData::Text { .. } => return Err(self.not_numeric(j, "an indicator")),
            }
            self.check_scale(&self.columns[j])?;
        }
        let missing: Vec<(String, usize)> = names
            .iter()
            .zip(&cols)
            .map(|(n, c)| (n.clone(), c.iter().filter(|x| x.is_nan()).count()))
            .filter(|(_, k)| *k > 0)
            .collect();
        let n_missing_cells = missing.iter().map(|x| x.1).sum();
        for (n, c) in names.iter().zip(&cols) {
            if c.iter().all(|x| x.is_nan()) {
                return Err(Error::AllMissing { column: n.clone() });
            }
        }
        let p = names.len();
        let (rows, raw) = if missing.is_empty() {
            let rows: Vec<usize> = (0..self.n_rows).collect();
            let mut data = Vec::with_capacity(self.n_rows * p);
            for c in &cols {
                data.extend_from_slice(c);
            }
            (rows, DMatrix::from_vec(self.n_rows, p, data))
        } else {
            match policy {
                MissingPolicy::Fail => return Err(Error::MissingData { columns: missing }),
                MissingPolicy::Listwise => {
                    let rows: Vec<usize> = (0..self.n_rows)
                        .filter(|&i| cols.iter().all(|c| !c[i].is_nan()))
                        .collect();
                    let mut data = Vec::with_capacity(rows.len() * p);
                    for c in &cols {
                        data.extend(rows.iter().map(|&i| c[i]));
                    }
                    let m = rows.len();
                    (rows, DMatrix::from_vec(m, p, data))
                }
                MissingPolicy::Mean => {
                    let means: Vec<f64> = cols
                        .iter()
                        .map(|c| {
                            let (s, k) = c
                                .iter()
                                .filter(|x| !x.is_nan())
                                .fold((0.0, 0usize), |(s, k), x| (s + x, k + 1));
                            s / k as f64
                        })
                        .collect();
                    let rows: Vec<usize> = (0..self.n_rows).collect();
                    let raw = DMatrix::from_fn(self.n_rows, p, |i, j| {
                        let x = cols[j][i];
                        if x.is_nan() {
                            means[j]
                        } else {
                            x
                        }
                    });
                    (rows, raw)
                }
            }
        };
        let weights = self
            .weights
            .as_ref()
            .map(|w| rows.iter().map(|&i| w.values[i]).collect());
        Ok(Prepared {
            raw,
            rows,
            missing,
            n_missing_cells,
            weights,
        })
    }
}

/// The model's columns after the missing-data policy.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// n_used × p raw answers.
    pub raw: DMatrix<f64>,
    /// Survey row of each used row.
    pub rows: Vec<usize>,
    /// (column, missing cells) before the policy.
    pub missing: Vec<(String, usize)>,
    /// Total missing cells in model columns.
    pub n_missing_cells: usize,
    /// Weights of the used rows, for a weighted survey.
    pub weights: Option<Vec<f64>>,
}

/// Rows per chunk of the fused standardise-and-multiply passes. Fixed (not derived from the
/// thread count), and chunk results are added in order, so results are identical on any
/// number of threads.
const CHUNK: usize = 4096;

/// Standardised rows `lo..hi` of `raw` as an owned (hi−lo) × p matrix.
fn standardized_chunk(
    raw: &DMatrix<f64>,
    means: &[f64],
    sds: &[f64],
    lo: usize,
    hi: usize,
) -> DMatrix<f64> {
    let n = raw.nrows();
    let p = raw.ncols();
    let src = raw.as_slice();
    let mut out = DMatrix::<f64>::zeros(hi - lo, p);
    let dst = out.as_mut_slice();
    for j in 0..p {
        let (m, s) = (means[j], sds[j]);
        let col = &src[j * n + lo..j * n + hi];
        for (d, x) in dst[j * (hi - lo)..(j + 1) * (hi - lo)].iter_mut().zip(col) {
            *d = (x - m) / s;
        }
    }
    out
}

fn chunks(n: usize) -> Vec<(usize, usize)> {
    (0..n.div_ceil(CHUNK))
        .map(|c| (c * CHUNK, ((c + 1) * CHUNK).min(n)))
        .collect()
}

/// `Z · w` for the standardised rows of `raw`, chunk by chunk (n × J).
pub(crate) fn standardized_times(
    raw: &DMatrix<f64>,
    means: &[f64],
    sds: &[f64],
    w: &DMatrix<f64>,
) -> DMatrix<f64> {
    use rayon::prelude::*;
    let n = raw.nrows();
    let parts: Vec<DMatrix<f64>> = chunks(n)
        .into_par_iter()
        .map(|(lo, hi)| standardized_chunk(raw, means, sds, lo, hi) * w)
        .collect();
    let mut out = DMatrix::<f64>::zeros(n, w.ncols());
    for ((lo, hi), part) in chunks(n).into_iter().zip(&parts) {
        out.view_mut((lo, 0), (hi - lo, w.ncols())).copy_from(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(s: &str) -> Result<Survey> {
        Survey::from_reader(s.as_bytes(), &LoadOptions::new())
    }

    #[test]
    fn errors_name_the_place() {
        assert!(matches!(load(""), Err(Error::EmptyFile)));
        assert!(matches!(load("a,b\n"), Err(Error::NoRows)));
        assert!(matches!(
            load("a,a\n1,2\n"),
            Err(Error::DuplicateColumn {
                first: 1,
                second: 2,
                ..
            })
        ));
        assert!(matches!(
            load("a,b\n1,2\n3\n"),
            Err(Error::RaggedRow {
                line: 3,
                expected: 2,
                found: 1
            })
        ));
        let s = load("a,b\n1,2\nx,3\n4,5\n").unwrap();
        match s.numeric("a") {
            Err(Error::NonNumeric {
                line,
                column,
                value,
            }) => {
                assert_eq!((line, column.as_str(), value.as_str()), (3, "a", "x"))
            }
            other => panic!("{other:?}"),
        }
        match s.numeric("bb") {
            Err(Error::UnknownColumn { suggestion, .. }) => {
                assert_eq!(suggestion.as_deref(), Some("b"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_codes_match_numeric_spellings() {
        let opts = LoadOptions::new().missing_code("99");
        let s = Survey::from_reader("a\n1\n99.0\n 99 \n2\n".as_bytes(), &opts).unwrap();
        assert_eq!(s.missing_count("a").unwrap(), 2);
        let spellings = "a\n1\nna\nN/a\n#N/A\nnull\nNone\n-\n.\n\nnan\n2\n";
        let s = Survey::from_reader(spellings.as_bytes(), &LoadOptions::new()).unwrap();
        // The empty line is no record at all (a blank line); the other eight spellings are missing.
        assert_eq!(s.n_rows(), 10);
        assert_eq!(s.missing_count("a").unwrap(), 8);
        assert!(!s.is_text("a"));
        let dk = LoadOptions::new().missing_code("Don't know");
        let s = Survey::from_reader("a\n1\ndon't KNOW\n2\n".as_bytes(), &dk).unwrap();
        assert_eq!(s.missing_count("a").unwrap(), 1);
    }

    #[test]
    fn policies() {
        let s = load("a,b\n1,2\n,3\n4,5\n6,\n").unwrap();
        let names = vec!["a".to_string(), "b".to_string()];
        match s.prepare(&names, MissingPolicy::Fail) {
            Err(Error::MissingData { columns }) => {
                assert_eq!(columns, vec![("a".to_string(), 1), ("b".to_string(), 1)])
            }
            other => panic!("{other:?}"),
        }
        let l = s.prepare(&names, MissingPolicy::Listwise).unwrap();
        assert_eq!(l.rows, vec![0, 2]);
        let m = s.prepare(&names, MissingPolicy::Mean).unwrap();
        assert!((m.raw[(1, 0)] - 11.0 / 3.0).abs() < 1e-15);
        assert!((m.raw[(3, 1)] - 10.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn reverse_and_scales() {
        let opts = LoadOptions::new()
            .scale("*", 1.0, 5.0)
            .reverse("a")
            .delimiter(b'\t');
        let s = Survey::from_reader("a\tb\n1\t2\n5\t3\n".as_bytes(), &opts).unwrap();
        assert_eq!(s.numeric("a").unwrap(), &[5.0, 1.0]);
        let bad = Survey::from_reader(
            "a\n7\n".as_bytes(),
            &LoadOptions::new().scale("a", 1.0, 5.0),
        );
        assert!(matches!(bad, Err(Error::InvalidAnswer { line: 2, .. })));
        // The `*` scale does not fail a load for an unused column (an id); a model column
        // outside it fails when it is used.
        let ids = Survey::from_reader(
            "id,q\n1001,3\n1002,7\n".as_bytes(),
            &LoadOptions::new().scale("*", 1.0, 5.0),
        )
        .unwrap();
        assert!(ids
            .prepare(&["id".to_string()], MissingPolicy::Fail)
            .is_err());
        match ids.prepare(&["q".to_string()], MissingPolicy::Fail) {
            Err(Error::InvalidAnswer { line, column, .. }) => {
                assert_eq!((line, column.as_str()), (3, "q"))
            }
            other => panic!("{other:?}"),
        }
        let auto = Survey::from_reader("x;y\n1,5;2\n".as_bytes(), &LoadOptions::new()).unwrap();
        assert_eq!(auto.numeric("x").unwrap(), &[1.5]);
        let tabs = Survey::from_reader("x\ty\n1\t2\n".as_bytes(), &LoadOptions::new()).unwrap();
        assert_eq!(tabs.numeric("y").unwrap(), &[2.0]);
        let quoted =
            Survey::from_reader("\"a;b\",c\n1,2\n".as_bytes(), &LoadOptions::new()).unwrap();
        assert_eq!(quoted.column_names(), vec!["a;b", "c"]);
        let dc = Survey::from_reader(
            "a;b\n1,5;2\n".as_bytes(),
            &LoadOptions::new().delimiter(b';').decimal_comma(true),
        )
        .unwrap();
        assert_eq!(dc.numeric("a").unwrap(), &[1.5]);
    }
}
