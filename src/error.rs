//! The crate's one error type.
//!
//! Every failure a caller can provoke with input (a file, a model text, options) is a variant of
//! [`Error`](enum@Error) that names the place: the file, the line (1-based, counting the header as line 1),
//! the column, the construct or the option. Nothing in this crate panics on user input.

use thiserror::Error;

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can go wrong, each variant naming where.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened or read.
    #[error("cannot read or write '{path}': {source}")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The CSV reader could not parse a record (e.g. invalid UTF-8, unbalanced quotes).
    #[error("CSV error at line {line}: {message}")]
    Csv {
        /// 1-based line (the header is line 1).
        line: u64,
        /// The reader's message.
        message: String,
    },
    /// The input has no header row at all.
    #[error("the survey is empty: no header row")]
    EmptyFile,
    /// The input has a header but no data rows.
    #[error("the survey has a header but no data rows")]
    NoRows,
    /// A header cell is empty.
    #[error("header column {column} has an empty name")]
    EmptyColumnName {
        /// 1-based column position.
        column: usize,
    },
    /// Two header cells carry the same name.
    #[error("duplicate column name '{name}' (columns {first} and {second})")]
    DuplicateColumn {
        /// The repeated name.
        name: String,
        /// 1-based position of the first occurrence.
        first: usize,
        /// 1-based position of the second occurrence.
        second: usize,
    },
    /// A row has a different number of fields from the header.
    #[error("line {line}: expected {expected} fields as in the header, found {found}")]
    RaggedRow {
        /// 1-based line.
        line: u64,
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A cell of a column used as a number is not a number, or is a number beyond
    /// ±[`MAX_ABS_ANSWER`](crate::data::MAX_ABS_ANSWER) (`1e100`), which no answer reaches.
    #[error("line {line}, column '{column}': '{value}' is {} (if it means \"missing\", declare it as a missing code: --missing-code, LoadOptions::missing_code)", not_a_number(.value))]
    NonNumeric {
        /// 1-based line.
        line: u64,
        /// Column name.
        column: String,
        /// The offending text.
        value: String,
    },
    /// The first data row of a numeric column is text: a second header row (question texts).
    #[error("line {line}, column '{column}': '{value}' is text above numbers: the file seems to have more than one header row (give the number of header rows: --header-rows N, LoadOptions::header_rows)")]
    HeaderRow {
        /// 1-based line.
        line: u64,
        /// Column name.
        column: String,
        /// The text.
        value: String,
    },
    /// Answers far outside the scale of the other rating items: an undeclared missing code?
    #[error("column '{column}', line {lines}: {value} is outside {scale}: a missing-data code (\"don't know\", \"refused\")? declare it with --missing-code {code} (LoadOptions::missing_code), or declare the answer scale with --scale")]
    OutOfScale {
        /// The column.
        column: String,
        /// The lines where it occurs (the first few).
        lines: String,
        /// The first such value.
        value: String,
        /// The scale it is outside of.
        scale: String,
        /// The codes to declare.
        code: String,
    },
    /// A column holding only text was named where numbers are needed.
    #[error("column '{column}' holds text, not numbers; it cannot be {role}")]
    TextColumn {
        /// Column name.
        column: String,
        /// What it was asked to be (e.g. "an indicator").
        role: String,
    },
    /// A name refers to no column of the survey.
    #[error("unknown column '{name}'{}", match (suggestion, available.is_empty()) {
        (Some(s), _) => format!(" (did you mean '{s}'?)"),
        (None, false) => format!(" (the columns are: {available})"),
        (None, true) => String::new(),
    })]
    UnknownColumn {
        /// The name asked for.
        name: String,
        /// The closest existing column name, if any is close.
        suggestion: Option<String>,
        /// When none is close: the columns there are (the first 40), comma-separated.
        available: String,
    },
    /// Columns the model uses have missing cells and no missing-data policy was chosen.
    #[error("missing cells in model columns and no missing-data policy chosen (use listwise or mean replacement): {}", list_counts(.columns))]
    MissingData {
        /// (column, number of missing cells) for every affected column.
        columns: Vec<(String, usize)>,
    },
    /// A column has no observed values at all.
    #[error("column '{column}' has no observed values")]
    AllMissing {
        /// Column name.
        column: String,
    },
    /// An indicator does not vary (zero variance) in the data used.
    #[error("indicator '{column}' has zero variance in the {n} rows used")]
    ZeroVariance {
        /// Column name.
        column: String,
        /// Rows used.
        n: usize,
    },
    /// Fewer rows than the model needs.
    #[error("{found} rows available but at least {needed} needed: {reason}")]
    TooFewRows {
        /// Minimum needed.
        needed: usize,
        /// Rows available.
        found: usize,
        /// Why that many are needed.
        reason: String,
    },
    /// The model text could not be parsed.
    #[error("model syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line of the model text.
        line: usize,
        /// 1-based column of the model text.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The model is not valid (unknown construct, indicator in two blocks, cycle, ...).
    #[error("invalid model: {message}")]
    InvalidModel {
        /// What is wrong, naming the construct or indicator.
        message: String,
    },
    /// A structural model with a cycle: PLS path modeling needs a recursive model.
    #[error("the structural model has a cycle: {}", .cycle.join(" -> "))]
    Cycle {
        /// The constructs on the cycle, first repeated at the end.
        cycle: Vec<String>,
    },
    /// A linear system is singular (collinear Mode B block, collinear predictors, ...).
    #[error("singular system for construct '{construct}': {what}")]
    Singular {
        /// The construct concerned.
        construct: String,
        /// Which system.
        what: String,
    },
    /// The PLS iteration did not reach the tolerance.
    #[error("PLS did not converge in {iterations} iterations (last largest weight change {last_change:e})")]
    NotConverged {
        /// Iterations done.
        iterations: usize,
        /// The largest absolute weight change of the last iteration.
        last_change: f64,
    },
    /// An option has a value outside its domain.
    #[error("invalid value for '{name}': {message}")]
    InvalidArgument {
        /// The option.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A construct name was asked for that the model does not have.
    #[error("unknown construct '{name}'{}", suggestion.as_ref().map(|s| format!(" (did you mean '{s}'?)")).unwrap_or_default())]
    UnknownConstruct {
        /// The name.
        name: String,
        /// The closest construct name, if any is close.
        suggestion: Option<String>,
    },
    /// A quantity of endogenous constructs (R², adjusted R²) was asked of an exogenous one.
    #[error("construct '{construct}' is exogenous (no path leads to it): it has no R²")]
    Exogenous {
        /// The construct.
        construct: String,
    },
    /// The 0-100 index needs positive outer weights.
    #[error("construct '{construct}': outer weight of '{indicator}' is {weight} (not positive); the 0-100 index needs positive weights")]
    NonPositiveWeight {
        /// The construct.
        construct: String,
        /// The indicator.
        indicator: String,
        /// The weight found.
        weight: f64,
    },
    /// A survey answer is outside the allowed codes (Kano, SERVQUAL).
    #[error("line {line}, column '{column}': invalid answer '{value}' ({expected})")]
    InvalidAnswer {
        /// 1-based line.
        line: u64,
        /// Column name.
        column: String,
        /// The answer found.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// A bootstrap or permutation run produced no usable replicate, or failed as asked.
    #[error("resampling failed: {message}")]
    Resampling {
        /// What happened.
        message: String,
    },
    /// A survey weight is negative, not finite, missing, or all weights are zero.
    #[error("{}weight column '{column}': {message}", if *.row > 0 { format!("row {row}, ") } else { String::new() })]
    BadWeight {
        /// 1-based line of the file (or row of the data), 0 when the problem is not one row.
        row: u64,
        /// The weight column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A value is infinite, or a moment overflowed to a non-finite number.
    #[error("{}column '{column}': value or moment is not finite (an overflow, or an undeclared code such as 1e308)", if *.row > 0 { format!("row {row}, ") } else { String::new() })]
    NonFinite {
        /// 1-based line of the file (or row of the data); 0 for a moment computed from many rows.
        row: u64,
        /// The column.
        column: String,
    },
    /// Moments that cannot be combined or read (other columns, policy, schema version).
    #[error("moments{} cannot be used: {message}", if .file.is_empty() { String::new() } else { format!(" from '{}'", .file) })]
    MomentsMismatch {
        /// The file they came from, when known.
        file: String,
        /// What differs.
        message: String,
    },
    /// A result that needs the rows was asked of a fit estimated from moments alone.
    #[error("{what} needs the data rows, but this fit was estimated from moments alone (fit the survey, or make a second pass over the rows)")]
    NeedsRows {
        /// What was asked for.
        what: String,
    },
    /// A record (a line, or several lines inside quotes) longer than the streaming reader's
    /// limit: a broken file, a file with bare-CR line ends, or not a CSV file.
    #[error("'{path}' line {line}: a record longer than {limit} bytes (the limit: `Limits::max_record_bytes`, `--max-record-bytes`)")]
    RecordTooLong {
        /// The file.
        path: String,
        /// 1-based line where the record starts.
        line: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// An output file would replace one of the run's inputs (or another output).
    #[error(
        "refusing to write '{output}': it is the input '{input}' (choose another output path)"
    )]
    OutputIsInput {
        /// The output path.
        output: String,
        /// The input it would replace.
        input: String,
    },
    /// An input is larger than a resource limit allows ([`crate::data::Limits`]).
    #[error("{at}: {what} is more than the limit of {limit} (raise it with {raise} if the input is right)")]
    LimitExceeded {
        /// Where: the header, a line and column, a column.
        at: String,
        /// What was found.
        what: String,
        /// The limit.
        limit: usize,
        /// The setting that raises it.
        raise: String,
    },
    /// A file changed (grew or shrank) while it was read: its results would mix two versions.
    #[error("'{path}' changed while it was read ({message}); read a file that is complete")]
    FileChanged {
        /// The file.
        path: String,
        /// What changed.
        message: String,
    },
    /// A row has no respondent id in the column that keys the one-pass bootstrap.
    #[error("line {line}: missing respondent id in column '{column}' (the one-pass bootstrap keys each row by it)")]
    MissingId {
        /// 1-based line.
        line: u64,
        /// The id column.
        column: String,
    },
    /// A Parquet file that could not be read.
    #[error("Parquet '{path}': {message}")]
    Parquet {
        /// The file or directory.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// An SQL engine's query or result that could not be used.
    #[error("SQL moments: {message}")]
    Sql {
        /// What went wrong.
        message: String,
    },
    /// A workbook (.xlsx, .xls, .ods) that could not be read, or a sheet it does not have.
    #[error("workbook '{path}': {message}")]
    Workbook {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// An SPSS file that could not be read.
    #[error("SPSS file '{path}': {message}")]
    Spss {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A file that is not text in a known encoding (or not a text file at all).
    #[error("{message}")]
    Encoding {
        /// What the file is and how to read it, or the line of the first undecodable byte.
        message: String,
    },
    /// JSON that could not be read or written.
    #[error("JSON: {source}")]
    Json {
        /// serde_json's error (with line and column when reading).
        #[source]
        source: serde_json::Error,
    },
    /// A result could not be put in the output schema (a bug in this crate: please report it).
    #[error("the result does not fit the output schema: {message}")]
    Schema {
        /// What did not fit.
        message: String,
    },
}

fn list_counts(columns: &[(String, usize)]) -> String {
    columns
        .iter()
        .map(|(c, k)| format!("{c} ({k} missing)"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Error {
    pub(crate) fn invalid(name: &str, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            name: name.to_string(),
            message: message.into(),
        }
    }
    pub(crate) fn model(message: impl Into<String>) -> Self {
        Error::InvalidModel {
            message: message.into(),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Json { source: e }
    }
}

/// Why a cell is not read as a number: text, or a number too large to be an answer.
fn not_a_number(value: &str) -> &'static str {
    let v = value.trim();
    let number = v
        .parse::<f64>()
        .or_else(|_| v.replace(',', ".").parse::<f64>());
    match number {
        Ok(x) if x.is_finite() => "beyond ±1e100, too large to be an answer",
        Ok(_) => "not a finite number",
        Err(_) => "not a number",
    }
}
