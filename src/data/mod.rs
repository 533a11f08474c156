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

/// The largest magnitude a number read from a file may have to count as an answer: `1e100`.
///
/// A cell beyond it (or an infinite one) is read like text, so a column used as numbers fails
/// with [`Error::NonNumeric`] naming the line and column of its first such cell, the same cell
/// whichever reader reads the file (in memory, streamed in blocks on any number of threads,
/// Parquet, SPSS, workbooks). No survey answer comes near it: such a value is an undeclared
/// missing code (`1e308`, `-1.797e308`) or a corrupt cell. Declare a code with
/// [`LoadOptions::missing_code`] and it is missing, whatever its size. Within the bound, squares
/// and weighted sums stay far from `f64::MAX` (`1e200` per square, so some `1e108` rows of unit
/// weight before an overflow, which is still reported as [`Error::NonFinite`] if huge weights
/// bring it about).
///
/// Values given directly in memory ([`Survey::from_slice`], [`Survey::from_matrix`],
/// [`Moments::push_columns`](crate::Moments::push_columns))
/// are not bounded: infinite values are an error there, and an overflow of a moment is
/// [`Error::NonFinite`].
///
/// ```
/// use csindex::{data::MAX_ABS_ANSWER, Error, LoadOptions, Moments, MissingPolicy, Survey};
/// assert_eq!(MAX_ABS_ANSWER, 1e100);
/// let csv = "q1,q2\n1,2\n2,1e200\n3,4\n";
/// let s = Survey::from_reader(csv.as_bytes(), &LoadOptions::new()).unwrap();
/// let e = Moments::from_survey(&s, &["q1", "q2"], MissingPolicy::Fail).unwrap_err();
/// assert!(matches!(e, Error::NonNumeric { line: 3, .. }));
/// // Declared as a missing code, it is missing.
/// let opts = LoadOptions::new().missing_code("1e200");
/// let s = Survey::from_reader(csv.as_bytes(), &opts).unwrap();
/// assert_eq!(s.missing_count("q2").unwrap(), 1);
/// ```
pub const MAX_ABS_ANSWER: f64 = 1e100;

/// Options for reading a survey from CSV. Consuming builder.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// `None`: detected from the header line.
    pub(crate) delimiter: Option<u8>,
    pub(crate) missing_tokens: Vec<String>,
    pub(crate) missing_codes: Vec<String>,
    pub(crate) scales: Vec<(String, Scale)>,
    pub(crate) reverse: Vec<String>,
    pub(crate) text_columns: Vec<String>,
    /// `None`: on when the delimiter is `;`.
    pub(crate) decimal_comma: Option<bool>,
    pub(crate) weights: Option<(String, WeightKind)>,
    /// The file's text encoding (a WHATWG label); `None`: detected.
    pub(crate) encoding: Option<String>,
    /// Header rows (the first holds the names); `None`: 1, or 3 for a Qualtrics export.
    pub(crate) header_rows: Option<usize>,
    /// The worksheet of a workbook; `None`: the first.
    pub(crate) sheet: Option<String>,
    /// Answer words and their codes.
    pub(crate) recode: Vec<(String, f64)>,
    /// Resource limits.
    pub(crate) limits: Limits,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            delimiter: None,
            missing_tokens: dialect::MISSING_TOKENS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            missing_codes: Vec::new(),
            scales: Vec::new(),
            reverse: Vec::new(),
            text_columns: Vec::new(),
            decimal_comma: None,
            weights: None,
            encoding: None,
            header_rows: None,
            sheet: None,
            recode: Vec::new(),
            limits: Limits::default(),
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
    /// Resource limits (longest record and field, most columns; see [`Limits`] for the
    /// defaults). The streaming reader takes its record limit from here too.
    #[must_use]
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
    /// The file's text encoding, as a WHATWG label (`utf-8`, `utf-16le`, `gbk`, `gb18030`,
    /// `big5`, `shift_jis`, `windows-1252`, ...), instead of detecting it: a byte-order mark,
    /// else UTF-8, else GB18030 (the usual export of Chinese Excel) when the whole file decodes
    /// as such. An unknown label is an error when the file is read.
    pub fn encoding(mut self, label: &str) -> Self {
        self.encoding = Some(label.to_string());
        self
    }
    /// The number of header rows: the first holds the column names, the second (when there
    /// is one) question texts, kept as the columns' labels ([`Survey::label`]); the others are
    /// skipped. Without it a Qualtrics export (names, question texts, then `{"ImportId": ...}`
    /// cells) is recognised and its three header rows are read so; any other file has one.
    /// SurveyMonkey and Wenjuanxing (问卷星) exports with question-text rows need it (0 is
    /// read as 1).
    pub fn header_rows(mut self, rows: usize) -> Self {
        self.header_rows = Some(rows.max(1));
        self
    }
    /// Codes for answers written as words, `"word=code,word=code,..."` (as `--recode`): a
    /// text column whose answers are all such words (or numbers) becomes numeric. Built-in
    /// English and Chinese Likert wordings are recognised without it (see
    /// [`likert`]); [`Survey::notes`] says what was recoded.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a pair without `=` or a code that is not a number.
    pub fn recode(mut self, pairs: &str) -> Result<Self> {
        for p in pairs.split(',').filter(|p| !p.trim().is_empty()) {
            let (w, c) = p
                .rsplit_once('=')
                .ok_or_else(|| Error::invalid("recode", format!("'{p}': use word=code")))?;
            let code: f64 = c.trim().parse().map_err(|_| {
                Error::invalid("recode", format!("'{p}': the code is not a number"))
            })?;
            self.recode.push((w.trim().to_string(), code));
        }
        Ok(self)
    }
    /// The worksheet to read from a workbook (.xlsx, .xls, .xlsb, .ods); the first by default.
    pub fn sheet(mut self, name: &str) -> Self {
        self.sheet = Some(name.to_string());
        self
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
    /// The scale declared for a column by its own name (the last declaration wins); `"*"`
    /// gives the wildcard scale.
    pub(crate) fn named_scale(&self, column: &str) -> Option<Scale> {
        self.scales
            .iter()
            .rev()
            .find(|(n, _)| n == column)
            .map(|x| x.1)
    }
    /// The scale that applies to a model column: its own, else the wildcard's.
    pub(crate) fn scale_of(&self, column: &str) -> Option<Scale> {
        self.named_scale(column).or_else(|| self.named_scale("*"))
    }
}

impl Building {
    /// An empty column: numeric until a cell says otherwise, or text when forced.
    pub(crate) fn start(forced_text: bool) -> Building {
        if forced_text {
            Building::Text {
                values: Vec::new(),
                first_bad: None,
                forced: true,
            }
        } else {
            Building::Numeric(Vec::new())
        }
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
    /// NaN marks a missing cell. Shared: copies of a survey (subsets kept for refits) share
    /// their columns until one is changed.
    Numeric(std::sync::Arc<Vec<f64>>),
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
                let (lo, hi) = observed_range(v);
                lo.is_finite().then_some((lo, hi))
            }
            ColumnData::Text { .. } => None,
        })
    }
}

/// The smallest and largest value of a column without NaN (eight lanes of comparisons, so
/// that the loop vectorises; NaN compares false and is skipped by both; (∞, −∞) when there
/// is no value).
pub(crate) fn observed_range(x: &[f64]) -> (f64, f64) {
    let (mut lo, mut hi) = ([f64::INFINITY; 8], [f64::NEG_INFINITY; 8]);
    let chunks = x.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        for l in 0..8 {
            lo[l] = if c[l] < lo[l] { c[l] } else { lo[l] };
            hi[l] = if c[l] > hi[l] { c[l] } else { hi[l] };
        }
    }
    for (l, &v) in tail.iter().enumerate() {
        lo[l] = if v < lo[l] { v } else { lo[l] };
        hi[l] = if v > hi[l] { v } else { hi[l] };
    }
    (
        lo.iter()
            .fold(f64::INFINITY, |a, &b| if b < a { b } else { a }),
        hi.iter()
            .fold(f64::NEG_INFINITY, |a, &b| if b > a { b } else { a }),
    )
}

/// A survey: named columns, numeric or text, with missing cells and answer scales.
#[derive(Debug, Clone)]
pub struct Survey {
    columns: Vec<Column>,
    n_rows: usize,
    /// Source line of each row (1-based, header = 1); for in-memory data, row index + 2.
    lines: std::sync::Arc<[u64]>,
    /// Survey weights, when a weight column was chosen.
    weights: Option<SurveyWeights>,
    /// What the loader decided that the user should know (encoding detected, scales inferred).
    notes: Vec<String>,
    /// Column labels (question texts from a second header row, SPSS variable labels).
    labels: Vec<(String, String)>,
    /// Value labels (SPSS): per column, (code, label) in code order.
    value_labels: Vec<(String, Vec<(f64, String)>)>,
}

/// The weight column of a survey and its checked values.
#[derive(Debug, Clone)]
struct SurveyWeights {
    column: String,
    kind: WeightKind,
    values: Vec<f64>,
}

mod dialect;
pub(crate) mod encoding;
pub mod likert;
mod limits;
pub use limits::{
    Limits, DEFAULT_MAX_CELLS, DEFAULT_MAX_COLUMNS, DEFAULT_MAX_FIELD_BYTES,
    DEFAULT_MAX_RECORD_BYTES, MAX_GROUPS,
};
#[cfg(feature = "excel")]
mod ods;
#[cfg(feature = "spss")]
mod sav;
mod scales;

/// Whether a path names an SPSS data file (`.sav`, `.zsav`), by its extension.
pub fn is_sav(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("sav") || e.eq_ignore_ascii_case("zsav"))
}
#[cfg(feature = "excel")]
mod workbook;
#[cfg(feature = "excel")]
pub use workbook::is_workbook;
pub(crate) mod prepare;

/// Runs a step of a third-party file reader: its error, and a panic inside it (a defect of
/// the reader on a malformed file), become the error `fail` makes of a message.
#[cfg(any(feature = "excel", feature = "spss"))]
pub(crate) fn guard_reader<T, E: std::fmt::Display>(
    step: impl FnOnce() -> std::result::Result<T, E>,
    reader: &str,
    fail: impl Fn(String) -> Error,
) -> Result<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)) {
        Ok(r) => r.map_err(|e| fail(e.to_string())),
        Err(_) => Err(fail(format!(
            "the {reader} failed on this file (malformed)"
        ))),
    }
}
mod survey;

#[cfg(any(feature = "spss", feature = "parquet"))]
pub(crate) use dialect::number_cell;
pub(crate) use dialect::Building;
pub(crate) use dialect::{
    check_names, classify_cell, closest, code_values, column_list, csv_error_at, csv_with_header,
    detect_delimiter, is_missing_token, open_file, parse_number, read_input, Cell, LineOf,
};
pub(crate) use prepare::standardized_times;

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
