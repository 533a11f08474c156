//! Streaming: a CSV file of any size read straight into [`Moments`], in bounded memory, with a
//! one-pass Poisson bootstrap and a second pass for construct scores.
//!
//! [`Stream`] reads a file in blocks of whole records (2 MiB by default). Blocks are parsed
//! on worker threads and their moments merged in file order, so the result does not depend on
//! the number of threads. Memory is O(p²) plus a few blocks per thread: independent of the
//! number of rows. The dialect is that of [`Survey::from_csv_path`](crate::Survey::from_csv_path):
//! the same delimiter detection, quoting, missing spellings and codes, decimal commas, declared
//! and reversed scales, weights, and the same typed errors with the same line numbers.
//!
//! ```
//! use csindex::{stream::Stream, LoadOptions, MissingPolicy, Model, Pls};
//! let csv = "a1,a2,b1,b2\n1,2,2,3\n2,2,3,3\n3,4,4,5\n4,3,5,4\n5,5,4,5\n2,3,2,2\n";
//! let names = ["a1", "a2", "b1", "b2"];
//! let m = Stream::new(LoadOptions::new())
//!     .missing(MissingPolicy::Listwise)
//!     .moments_from_reader(csv.as_bytes(), &names)?;
//! assert_eq!(m.n_used(), 6);
//! let model = Model::parse("A =~ a1 + a2\nB =~ b1 + b2\nB ~ A")?;
//! let fit = Pls::new().missing(MissingPolicy::Listwise).fit_moments(&model, &m)?;
//! assert!(fit.path("A", "B")? > 0.0);
//! # Ok::<(), csindex::Error>(())
//! ```
//!
//! ## Limits and bad input
//! - A record longer than [`Stream::max_record_bytes`] (64 MiB by default; a 10 GB line, a
//!   binary file, bare-CR line ends) is [`Error::RecordTooLong`] naming the line: memory stays
//!   bounded by that limit.
//! - A truncated last line (no line end) is read as the last record; if it has too few
//!   fields it is [`Error::RaggedRow`] with its line, as in memory.
//! - A file that grows or shrinks while it is read is [`Error::FileChanged`]: a file is read
//!   exactly as long as it was when opened.
//! - Bytes that are not UTF-8 in a model column are [`Error::NonNumeric`]; in the header, a
//!   CSV error. Partitions whose headers differ (another encoding of a name) give moments
//!   that do not merge: [`Error::MomentsMismatch`] naming the file.

mod feed;
#[cfg(feature = "parquet")]
pub mod parquet;
mod scan;
mod scores;

pub use crate::resample::poisson::ReplicateKey;

use crate::data::{classify_cell, Cell, LoadOptions, MissingPolicy, Scale};
use crate::error::{Error, Result};
use crate::moments::{Moments, WeightKind};
use crate::resample::poisson::{self, Replicates};
use feed::{Block, Feeder, Header};
use std::io::Read;
use std::path::Path;

/// The file size from which the `csi` example streams a file instead of loading it (1 GiB).
pub const AUTO_STREAM_BYTES: u64 = 1 << 30;

/// Default size of a block read and parsed at once.
pub const DEFAULT_BLOCK_BYTES: usize = 2 << 20;

/// Default longest record (that of [`Limits`](crate::data::Limits)).
pub const DEFAULT_MAX_RECORD_BYTES: usize = crate::data::DEFAULT_MAX_RECORD_BYTES;

/// Largest number of Poisson bootstrap replicates of one pass (their sums take
/// B · (p + 1)(p + 2)/2 numbers).
pub const MAX_POISSON_REPLICATES: usize = 100_000;

/// Reads CSV files into [`Moments`] in one pass. Consuming builder.
#[derive(Debug, Clone)]
pub struct Stream {
    opts: LoadOptions,
    policy: MissingPolicy,
    block_bytes: usize,
    max_record: usize,
    threads: Option<usize>,
    id: Option<String>,
    poisson: Option<(usize, u64)>,
}

impl Stream {
    /// A stream reading with these options (delimiter, missing codes, scales, weights, ...),
    /// failing on missing cells until [`Stream::missing`] says otherwise.
    pub fn new(opts: LoadOptions) -> Stream {
        Stream {
            max_record: opts.limits.max_record_bytes,
            opts,
            policy: MissingPolicy::Fail,
            block_bytes: DEFAULT_BLOCK_BYTES,
            threads: None,
            id: None,
            poisson: None,
        }
    }
    /// The missing-data policy of the moments (as [`Pls::missing`](crate::Pls::missing)).
    #[must_use]
    pub fn missing(mut self, policy: MissingPolicy) -> Self {
        self.policy = policy;
        self
    }
    /// Bytes read and parsed as one block (at least 4 KiB). Results do not depend on it except
    /// for rounding of the merges (≤ 1e-13 relative); exact Poisson replicates not at all.
    #[must_use]
    pub fn block_bytes(mut self, n: usize) -> Self {
        self.block_bytes = n.max(4096);
        self
    }
    /// The longest record accepted (bytes): longer ones are [`Error::RecordTooLong`].
    #[must_use]
    pub fn max_record_bytes(mut self, n: usize) -> Self {
        self.max_record = n.max(1);
        self
    }
    /// Worker threads parsing blocks (default: the available parallelism). Results are
    /// identical for any number.
    #[must_use]
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = Some(n);
        self
    }
    /// A respondent-id column keying each row's Poisson counts (compared as trimmed text), so
    /// that any partition of the rows gives the same bootstrap. Rows sharing an id share their
    /// counts (they are resampled together, as a cluster). Without it a row is keyed by the
    /// line it starts on.
    #[must_use]
    pub fn id_column(mut self, column: &str) -> Self {
        self.id = Some(column.to_string());
        self
    }
    /// Accumulates `replicates` Poisson bootstrap replicates in the same pass (see
    /// [`Moments::replicate_count`]); listwise (or fail) policy only.
    #[must_use]
    pub fn poisson_bootstrap(mut self, replicates: usize, seed: u64) -> Self {
        self.poisson = Some((replicates, seed));
        self
    }

    fn n_threads(&self) -> Result<usize> {
        match self.threads {
            Some(0) => Err(Error::invalid("threads", "must be at least 1")),
            Some(t) => Ok(t),
            None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
        }
    }

    /// The moments of the named columns of a CSV file.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file; the loader's errors ([`Error::Csv`], [`Error::RaggedRow`],
    /// [`Error::NonNumeric`], [`Error::InvalidAnswer`], [`Error::BadWeight`],
    /// [`Error::UnknownColumn`], [`Error::AllMissing`], [`Error::NoRows`], ...) with their line;
    /// [`Error::RecordTooLong`], [`Error::FileChanged`], [`Error::MissingId`].
    pub fn moments<S: AsRef<str>>(&self, path: impl AsRef<Path>, columns: &[S]) -> Result<Moments> {
        let (feeder, _) = self.open(path.as_ref())?;
        self.moments_of(feeder, columns)
    }

    /// The moments of the named columns of CSV text from any reader.
    ///
    /// # Errors
    /// As [`Stream::moments`] (without [`Error::FileChanged`]).
    pub fn moments_from_reader<R: Read, S: AsRef<str>>(
        &self,
        reader: R,
        columns: &[S],
    ) -> Result<Moments> {
        let feeder = Feeder::new(reader, "<input>", None, self.block_bytes, self.max_record);
        self.moments_of(feeder, columns)
    }

    fn open(&self, path: &Path) -> Result<(Feeder<std::fs::File>, u64)> {
        let io = |e| Error::Io {
            path: path.display().to_string(),
            source: e,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let watch = file.try_clone().map_err(io)?;
        let label = path.display().to_string();
        Ok((
            Feeder::new(
                file,
                &label,
                Some((watch, len)),
                self.block_bytes,
                self.max_record,
            ),
            len,
        ))
    }

    fn moments_of<R: Read, S: AsRef<str>>(
        &self,
        mut feeder: Feeder<R>,
        columns: &[S],
    ) -> Result<Moments> {
        let threads = self.n_threads()?;
        let header = feeder.header(self.opts.delimiter)?;
        let setup = self.setup(&header, columns)?;
        let ctx = setup.ctx(&self.opts, header.delimiter);
        let mut total = setup.total();
        feed::pipeline(&mut feeder, threads, |b| ctx.parse(b), |out| total.add(out))?;
        total.finish(&setup.plan)
    }

    /// The plan, the empty moments and replicates of a source with this header.
    fn setup<S: AsRef<str>>(&self, header: &Header, columns: &[S]) -> Result<Setup> {
        self.opts.limits.check_columns(header.names.len())?;
        let plan = Plan::new(&self.opts, header, columns, self.id.as_deref())?;
        let kind = self
            .opts
            .weights
            .as_ref()
            .map_or(WeightKind::Frequency, |w| w.1);
        let mut template = Moments::new(&plan.model_names, self.policy)?.weight_kind(kind);
        template.set_weight_column(self.opts.weights.as_ref().map(|w| w.0.as_str()));
        for (k, &s) in plan.model.iter().enumerate() {
            if let Some(sc) = plan.slots[s].scale {
                template.set_scale(&plan.model_names[k], sc.min, sc.max)?;
            }
        }
        let replicates = match self.poisson {
            None => None,
            Some((b, seed)) => {
                if self.policy == MissingPolicy::Mean {
                    return Err(Error::invalid(
                        "poisson_bootstrap",
                        "the one-pass bootstrap resamples complete rows: use listwise deletion",
                    ));
                }
                if !(2..=MAX_POISSON_REPLICATES).contains(&b) {
                    return Err(Error::invalid(
                        "poisson_bootstrap",
                        format!("{b} replicates (need 2..={MAX_POISSON_REPLICATES})"),
                    ));
                }
                let key = match &self.id {
                    Some(c) => ReplicateKey::Id(c.clone()),
                    None => ReplicateKey::Position,
                };
                // Centred at the declared scale midpoints (the same for every part).
                let center = plan
                    .model
                    .iter()
                    .map(|&s| {
                        plan.slots[s]
                            .scale
                            .map_or(0.0, |sc| (sc.min + sc.max) / 2.0)
                    })
                    .collect();
                Some(Replicates::new(b, seed, key, center))
            }
        };
        let codes = crate::data::code_values(&self.opts, plan.decimal_comma);
        Ok(Setup {
            plan,
            template,
            replicates,
            codes,
        })
    }

    /// The moments of a CSV file, or of a Parquet file or directory (a path ending in
    /// `.parquet`, or a directory; see [`is_parquet`]).
    ///
    /// # Errors
    /// As [`Stream::moments`] or `Stream::moments_parquet`; [`Error::Parquet`] for Parquet
    /// input when the crate was built without the `parquet` feature.
    pub fn moments_any<S: AsRef<str>>(
        &self,
        path: impl AsRef<Path>,
        columns: &[S],
    ) -> Result<Moments> {
        let path = path.as_ref();
        if !is_parquet(path) {
            return self.moments(path, columns);
        }
        #[cfg(feature = "parquet")]
        {
            self.moments_parquet(path, columns)
        }
        #[cfg(not(feature = "parquet"))]
        {
            Err(no_parquet(path))
        }
    }

    /// Writes the construct scores of `fit` for every row of a CSV file, in a second pass over
    /// the file the fit's moments were streamed from: a header `line` (the line the row starts
    /// on), the id column when one was set, then one column per construct; rows the missing-data
    /// policy left out have empty scores. Returns the number of rows written.
    ///
    /// The scores are the fit's standardised scores (`Fit::score_matrix`), computed from the
    /// fit's weights, means and standard deviations.
    ///
    /// # Errors
    /// As [`Stream::moments`]; [`Error::Io`] naming `out_path` when it cannot be written;
    /// [`Error::FileChanged`] when the file no longer has the rows the fit was estimated on.
    pub fn write_scores(
        &self,
        path: impl AsRef<Path>,
        fit: &crate::Fit,
        out_path: impl AsRef<Path>,
    ) -> Result<u64> {
        let (feeder, _) = self.open(path.as_ref())?;
        let label = path.as_ref().display().to_string();
        scores::write(self, feeder, fit, &label, out_path.as_ref())
    }
}

/// Whether a path is read as Parquet: a name ending in `.parquet`, or a directory (of
/// Parquet files).
pub fn is_parquet(path: impl AsRef<Path>) -> bool {
    let p = path.as_ref();
    p.extension().is_some_and(|e| e == "parquet") || p.is_dir()
}

#[cfg(not(feature = "parquet"))]
fn no_parquet(path: &Path) -> Error {
    Error::Parquet {
        path: path.display().to_string(),
        message: "this build reads no Parquet: build csindex with the `parquet` feature".into(),
    }
}

/// A survey from a CSV file, a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods: feature `excel`, on
/// by default), an SPSS `.sav`/`.zsav` file (feature `spss`), or a Parquet file or directory
/// ([`is_parquet`]).
///
/// # Errors
/// As [`crate::Survey::from_csv_path`] or `Survey::from_parquet`; [`Error::Parquet`] for
/// Parquet input without the `parquet` feature.
pub fn survey_any(path: impl AsRef<Path>, opts: &LoadOptions) -> Result<crate::Survey> {
    let path = path.as_ref();
    #[cfg(feature = "excel")]
    if crate::data::is_workbook(path) {
        return crate::Survey::from_excel(path, opts);
    }
    if crate::data::is_sav(path) {
        #[cfg(feature = "spss")]
        return crate::Survey::from_sav(path, opts);
        #[cfg(not(feature = "spss"))]
        return Err(Error::Spss {
            path: path.display().to_string(),
            message: "SPSS files need the `spss` feature (cargo build --features spss)".into(),
        });
    }
    if !is_parquet(path) {
        return crate::Survey::from_csv_path(path, opts);
    }
    #[cfg(feature = "parquet")]
    {
        crate::Survey::from_parquet(path, opts)
    }
    #[cfg(not(feature = "parquet"))]
    {
        Err(no_parquet(path))
    }
}

/// What a pass over one source starts from.
struct Setup {
    plan: Plan,
    template: Moments,
    replicates: Option<Replicates>,
    codes: Vec<f64>,
}

impl Setup {
    fn ctx<'a>(&'a self, opts: &'a LoadOptions, delimiter: u8) -> Ctx<'a> {
        Ctx {
            opts,
            plan: &self.plan,
            codes: self.codes.clone(),
            delimiter,
            template: &self.template,
            replicates: self.replicates.as_ref(),
        }
    }
    fn total(&self) -> Total {
        Total {
            moments: self.template.clone(),
            replicates: self.replicates.clone(),
            tracks: vec![Track::default(); self.plan.slots.len()],
            rows: 0,
            numeric: None,
        }
    }
}

/// One column read from each record.
#[derive(Debug, Clone)]
struct Slot {
    /// 0-based field index.
    field: usize,
    name: String,
    forced_text: bool,
    /// Declared scale when the answers are reversed on it.
    reverse: Option<Scale>,
    /// The scale the answers are checked against (named or `*` for a model column).
    scale: Option<Scale>,
    /// Whether that scale was declared by name (checked at load, as in memory).
    named: bool,
    /// Read only as the respondent id (any text; only a missing id is an error).
    id_only: bool,
}

/// Which fields are read, and what each is.
#[derive(Debug, Clone)]
struct Plan {
    n_fields: usize,
    slots: Vec<Slot>,
    /// Slot of each model column, in the order asked.
    model: Vec<usize>,
    model_names: Vec<String>,
    weight: Option<usize>,
    id: Option<usize>,
    /// Slots with a named scale or reversed, in file order (checked before the model columns).
    load_checked: Vec<usize>,
    decimal_comma: bool,
}

impl Plan {
    fn new<S: AsRef<str>>(
        opts: &LoadOptions,
        header: &Header,
        columns: &[S],
        id: Option<&str>,
    ) -> Result<Plan> {
        let names = &header.names;
        let field = |name: &str| -> Result<usize> {
            names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| Error::UnknownColumn {
                    name: name.to_string(),
                    suggestion: crate::data::closest(name, names.iter().map(|s| s.as_str())),
                    available: String::new(),
                })
        };
        crate::data::check_names(columns)?;
        if columns.is_empty() {
            return Err(Error::invalid("columns", "no columns to stream"));
        }
        for (n, sc) in &opts.scales {
            Scale::new(sc.min, sc.max)?;
            if n != "*" {
                field(n)?;
            }
        }
        let wildcard = opts.named_scale("*");
        let named = |name: &str| opts.named_scale(name);
        let mut wanted: Vec<usize> = Vec::new();
        for n in &opts.reverse {
            let f = field(n)?;
            if named(n).or(wildcard).is_none() {
                return Err(Error::invalid(
                    "reverse",
                    format!("column '{n}' needs a declared scale to be reversed"),
                ));
            }
            wanted.push(f);
        }
        for (n, _) in &opts.scales {
            if n != "*" {
                wanted.push(field(n)?);
            }
        }
        let weight = match &opts.weights {
            Some((w, _)) => Some(field(w)?),
            None => None,
        };
        let id_field = match id {
            Some(c) => Some(field(c)?),
            None => None,
        };
        let model_fields: Vec<usize> = columns
            .iter()
            .map(|c| field(c.as_ref()))
            .collect::<Result<_>>()?;
        wanted.extend(weight);
        wanted.extend(id_field);
        wanted.extend(&model_fields);
        wanted.sort_unstable();
        wanted.dedup();
        let slots: Vec<Slot> = wanted
            .iter()
            .map(|&f| {
                let name = names[f].clone();
                let own = named(&name);
                let in_model = model_fields.contains(&f);
                Slot {
                    field: f,
                    forced_text: opts.text_columns.contains(&name),
                    reverse: opts
                        .reverse
                        .contains(&name)
                        .then(|| own.or(wildcard))
                        .flatten(),
                    scale: if in_model { own.or(wildcard) } else { own },
                    named: own.is_some(),
                    id_only: id_field == Some(f)
                        && !in_model
                        && weight != Some(f)
                        && own.is_none()
                        && !opts.reverse.contains(&name),
                    name,
                }
            })
            .collect();
        let slot_of = |f: usize| wanted.iter().position(|&x| x == f).unwrap_or(0);
        let load_checked = (0..slots.len())
            .filter(|&s| slots[s].named || slots[s].reverse.is_some())
            .collect();
        Ok(Plan {
            n_fields: names.len(),
            model: model_fields.iter().map(|&f| slot_of(f)).collect(),
            model_names: columns.iter().map(|c| c.as_ref().to_string()).collect(),
            weight: weight.map(slot_of),
            id: id_field.map(slot_of),
            load_checked,
            decimal_comma: opts.decimal_comma.unwrap_or(header.delimiter == b';'),
            slots,
        })
    }
}

/// What was seen of one column: the first problems in file order.
#[derive(Debug, Clone, Default)]
struct Track {
    first_text: Option<(u64, String)>,
    /// Cells that are text (neither a number nor missing).
    texts: u64,
    /// The line of the first row seen.
    first_line: Option<u64>,
    any_number: bool,
    /// First answer outside the checked scale (line, value after reversal).
    first_out: Option<(u64, f64)>,
    missing: u64,
    first_missing: Option<u64>,
    /// First bad weight (line, message).
    first_bad_weight: Option<(u64, String)>,
    any_positive: bool,
}

impl Track {
    fn merge(&mut self, o: Track) {
        if self.first_text.is_none() {
            self.first_text = o.first_text;
        }
        if self.first_line.is_none() {
            self.first_line = o.first_line;
        }
        self.texts += o.texts;
        if self.first_out.is_none() {
            self.first_out = o.first_out;
        }
        if self.first_missing.is_none() {
            self.first_missing = o.first_missing;
        }
        if self.first_bad_weight.is_none() {
            self.first_bad_weight = o.first_bad_weight;
        }
        self.any_number |= o.any_number;
        self.any_positive |= o.any_positive;
        self.missing += o.missing;
    }
    fn has_problem(&self) -> bool {
        self.first_text.is_some() || self.first_out.is_some() || self.first_bad_weight.is_some()
    }
}

/// What a block gave.
struct BlockOut {
    /// A CSV error or ragged row (the first in the block).
    structural: Option<Error>,
    tracks: Vec<Track>,
    rows: u64,
    moments: Option<Result<(Moments, Option<Replicates>)>>,
}

/// Everything a block's parse needs.
struct Ctx<'a> {
    opts: &'a LoadOptions,
    plan: &'a Plan,
    codes: Vec<f64>,
    delimiter: u8,
    template: &'a Moments,
    replicates: Option<&'a Replicates>,
}

thread_local! {
    /// Each thread's CSV parser for quoted blocks, with its delimiter: built once and reset for
    /// each block (building one is most of the cost of a small block; `csv_core::Reader`'s
    /// `Clone` does not copy its parsing tables, so it cannot be copied from a prototype).
    static QUOTED: std::cell::Cell<Option<(u8, csv_core::Reader)>> =
        const { std::cell::Cell::new(None) };
}

/// Runs `f` with this thread's CSV parser for `delimiter` (RFC 4180 quotes, doubled inside a
/// field; LF, CRLF or CR line ends), reset to the start of a record.
fn with_quoted_reader<R>(delimiter: u8, f: impl FnOnce(&mut csv_core::Reader) -> R) -> R {
    let mut rdr = match QUOTED.with(std::cell::Cell::take) {
        Some((d, mut r)) if d == delimiter => {
            r.reset();
            r
        }
        _ => csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
    };
    // A parser that has read nothing drops a byte-order mark before its first record; a block
    // is never the start of the file (the header is), so an empty first read (the end of an
    // empty input, which leaves the parser at the start of a record) turns that off. A BOM
    // inside the file is then a byte of its cell, as when the whole file is read at once.
    let _ = rdr.read_record(&[], &mut [], &mut []);
    let out = f(&mut rdr);
    QUOTED.with(|c| c.set(Some((delimiter, rdr))));
    out
}

/// Parsed values of a block (column-major) and row keys.
pub(crate) struct Parsed {
    /// One vector per slot (NaN: missing or text).
    pub(crate) values: Vec<Vec<f64>>,
    pub(crate) lines: Vec<u64>,
    pub(crate) keys: Vec<u64>,
    /// The id column's trimmed text, when one is read and asked for.
    pub(crate) ids: Vec<String>,
}

impl Ctx<'_> {
    /// Parses the block's records into values and tracks; stops at the first structural error.
    fn read(&self, block: &Block, keep_ids: bool) -> (Parsed, Vec<Track>, Option<Error>) {
        let plan = self.plan;
        let mut tracks = vec![Track::default(); plan.slots.len()];
        let mut parsed = Parsed {
            values: vec![Vec::new(); plan.slots.len()],
            lines: Vec::new(),
            keys: Vec::new(),
            ids: Vec::new(),
        };
        let rows_hint = scan::count_lines(&block.bytes) as usize + 1;
        for v in &mut parsed.values {
            v.reserve(rows_hint);
        }
        parsed.lines.reserve(rows_hint);
        parsed.keys.reserve(rows_hint);
        let p = plan.n_fields;
        let mut fields: Vec<&[u8]> = Vec::with_capacity(p);
        if let Some(lines) = plain_lines(&block.bytes) {
            // No quote and no lone CR: a record is a line, a field what lies between
            // delimiters (the CSV reader's reading of such text, faster).
            for (k, raw) in lines.enumerate() {
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                if raw.is_empty() {
                    continue;
                }
                fields.clear();
                fields.extend(raw.split(|&b| b == self.delimiter));
                let line = block.first_line + k as u64;
                if let Err(e) = self.row(&fields, line, keep_ids, &mut tracks, &mut parsed) {
                    return (parsed, tracks, Some(e));
                }
            }
            return (parsed, tracks, None);
        }
        // Records with quotes: the CSV parser, on the block in memory. It cannot fail (any
        // byte sequence is some CSV; a record of another width is checked by `row`).
        let error = with_quoted_reader(self.delimiter, |rdr| {
            let mut input: &[u8] = &block.bytes;
            let mut out = vec![0u8; block.bytes.len() + 1];
            let mut ends = vec![0usize; p + 1];
            let mut line_of = crate::data::LineOf::new(&block.bytes, block.first_line);
            loop {
                let start = block.bytes.len() - input.len();
                let (mut n_out, mut n_ends) = (0, 0);
                loop {
                    let (res, n_in, o, e) =
                        rdr.read_record(input, &mut out[n_out..], &mut ends[n_ends..]);
                    input = &input[n_in..];
                    n_out += o;
                    n_ends += e;
                    match res {
                        // An empty input tells the parser the block has ended.
                        csv_core::ReadRecordResult::InputEmpty => {}
                        csv_core::ReadRecordResult::OutputFull => out.resize(out.len() * 2 + 1, 0),
                        csv_core::ReadRecordResult::OutputEndsFull => {
                            ends.resize(ends.len() * 2 + 1, 0)
                        }
                        csv_core::ReadRecordResult::Record => break,
                        csv_core::ReadRecordResult::End => return None,
                    }
                }
                let line = line_of.of(start as u64);
                let mut from = 0;
                let cells: Vec<&[u8]> = ends[..n_ends]
                    .iter()
                    .map(|&end| {
                        let cell = &out[from..end];
                        from = end;
                        cell
                    })
                    .collect();
                if let Err(e) = self.row(&cells, line, keep_ids, &mut tracks, &mut parsed) {
                    return Some(e);
                }
            }
        });
        (parsed, tracks, error)
    }

    /// One record's fields: checks, values and key (a blank line is skipped).
    fn row(
        &self,
        fields: &[&[u8]],
        line: u64,
        keep_ids: bool,
        tracks: &mut [Track],
        parsed: &mut Parsed,
    ) -> Result<()> {
        let plan = self.plan;
        let p = plan.n_fields;
        if fields.len() == 1 && fields[0].trim_ascii().is_empty() && p > 1 {
            return Ok(()); // a blank line
        }
        if fields.len() != p {
            return Err(Error::RaggedRow {
                line,
                expected: p,
                found: fields.len(),
            });
        }
        let mut key = poisson::position_key(line);
        for (s, slot) in plan.slots.iter().enumerate() {
            let cell = fields[slot.field].trim_ascii();
            let t = &mut tracks[s];
            let value = if slot.forced_text {
                if crate::data::is_missing_token(&String::from_utf8_lossy(cell)) {
                    Cell::Missing
                } else {
                    Cell::Text
                }
            } else {
                classify_cell(cell, self.opts, &self.codes, plan.decimal_comma)
            };
            if let Some(k) = take(plan, s, value, cell, line, t, parsed, keep_ids) {
                key = k;
            }
        }
        parsed.lines.push(line);
        parsed.keys.push(key);
        Ok(())
    }

    fn parse(&self, block: &Block) -> BlockOut {
        let (parsed, tracks, structural) = self.read(block, false);
        let rows = parsed.lines.len() as u64;
        let moments = (structural.is_none() && !tracks.iter().any(Track::has_problem))
            .then(|| self.accumulate(&parsed));
        BlockOut {
            structural,
            tracks,
            rows,
            moments,
        }
    }

    fn accumulate(&self, parsed: &Parsed) -> Result<(Moments, Option<Replicates>)> {
        let plan = self.plan;
        let cols: Vec<&[f64]> = plan
            .model
            .iter()
            .map(|&s| parsed.values[s].as_slice())
            .collect();
        let weights = plan.weight.map(|s| parsed.values[s].as_slice());
        let mut m = self.template.clone();
        if parsed.lines.is_empty() {
            return Ok((m, self.replicates.cloned()));
        }
        m.push_columns_serial(&cols, weights)?;
        let reps = match self.replicates {
            None => None,
            Some(r) => {
                let mut part = Replicates::new(r.len(), r.seed, r.key.clone(), r.center.clone());
                let complete: Vec<usize> = (0..parsed.lines.len())
                    .filter(|&i| cols.iter().all(|c| !c[i].is_nan()))
                    .collect();
                if complete.len() == parsed.lines.len() {
                    part.accumulate(&cols, weights, &parsed.keys);
                } else {
                    let sub: Vec<Vec<f64>> = cols
                        .iter()
                        .map(|c| complete.iter().map(|&i| c[i]).collect())
                        .collect();
                    let sub_cols: Vec<&[f64]> = sub.iter().map(|v| v.as_slice()).collect();
                    let sub_w: Option<Vec<f64>> =
                        weights.map(|w| complete.iter().map(|&i| w[i]).collect());
                    let keys: Vec<u64> = complete.iter().map(|&i| parsed.keys[i]).collect();
                    part.accumulate(&sub_cols, sub_w.as_deref(), &keys);
                }
                Some(part)
            }
        };
        Ok((m, reps))
    }
}

/// One cell of slot `s` (classified as `value`; `cell` is its trimmed text, for errors and
/// ids): its checks, its value, and the row key when it is the id column.
#[allow(clippy::too_many_arguments)]
fn take(
    plan: &Plan,
    s: usize,
    value: Cell,
    cell: &[u8],
    line: u64,
    t: &mut Track,
    parsed: &mut Parsed,
    keep_ids: bool,
) -> Option<u64> {
    let slot = &plan.slots[s];
    t.first_line.get_or_insert(line);
    let v = match value {
        Cell::Number(mut x) => {
            t.any_number = true;
            if let Some(sc) = slot.reverse {
                x = sc.min + sc.max - x;
            }
            if let Some(sc) = slot.scale {
                if (x < sc.min || x > sc.max) && t.first_out.is_none() {
                    t.first_out = Some((line, x));
                }
            }
            x
        }
        Cell::Missing => {
            t.missing += 1;
            t.first_missing.get_or_insert(line);
            f64::NAN
        }
        Cell::Text => {
            t.texts += 1;
            if t.first_text.is_none() && !slot.id_only {
                t.first_text = Some((line, String::from_utf8_lossy(cell).into_owned()));
            }
            f64::NAN
        }
    };
    if plan.weight == Some(s) {
        if v.is_nan() {
            if matches!(value, Cell::Missing) && t.first_bad_weight.is_none() {
                t.first_bad_weight = Some((line, "missing weight".into()));
            }
        } else if !(v >= 0.0) {
            if t.first_bad_weight.is_none() {
                t.first_bad_weight = Some((
                    line,
                    format!("weight {v} (weights must be finite and >= 0)"),
                ));
            }
        } else if v > 0.0 {
            t.any_positive = true;
        }
    }
    parsed.values[s].push(v);
    if plan.id == Some(s) {
        if keep_ids {
            parsed.ids.push(String::from_utf8_lossy(cell).into_owned());
        }
        return Some(poisson::id_key(cell));
    }
    None
}

/// The lines of a block, when it holds no quote and no CR except before an LF (then the
/// CSV reader's records are exactly its lines).
fn plain_lines(bytes: &[u8]) -> Option<impl Iterator<Item = &[u8]>> {
    if memchr::memchr(b'"', bytes).is_some() {
        return None;
    }
    if memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n')) {
        return None;
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    Some(body.split(|&b| b == b'\n'))
}

/// The merged results of the blocks so far.
struct Total {
    moments: Moments,
    replicates: Option<Replicates>,
    tracks: Vec<Track>,
    rows: u64,
    /// The first numeric failure of a block's moments (an overflow).
    numeric: Option<Error>,
}

impl Total {
    fn add(&mut self, out: BlockOut) -> Result<bool> {
        if let Some(e) = out.structural {
            return Err(e);
        }
        for (t, o) in self.tracks.iter_mut().zip(out.tracks) {
            t.merge(o);
        }
        self.rows += out.rows;
        match out.moments {
            Some(Ok((m, r))) if self.numeric.is_none() => {
                if let Err(e) = self.moments.merge(&m) {
                    self.numeric = Some(e);
                }
                if let (Some(total), Some(part)) = (&mut self.replicates, &r) {
                    total.merge_sums(part);
                }
            }
            Some(Err(e)) if self.numeric.is_none() => self.numeric = Some(e),
            _ => {}
        }
        Ok(true)
    }

    /// The errors in the order the in-memory loader and fit report them, else the moments.
    fn finish(mut self, plan: &Plan) -> Result<Moments> {
        if self.rows == 0 {
            return Err(Error::NoRows);
        }
        let rows = self.rows;
        let text_error = |s: usize, role: &str, t: &Track| match (&t.first_text, t.any_number) {
            // Text on the first data row only, numbers below: a second header row (as the
            // in-memory loader says).
            (Some((line, value)), true)
                if !plan.slots[s].forced_text
                    && t.texts == 1
                    && rows > 1
                    && t.first_line == Some(*line) =>
            {
                Error::HeaderRow {
                    line: *line,
                    column: plan.slots[s].name.clone(),
                    value: value.clone(),
                }
            }
            (Some((line, value)), true) if !plan.slots[s].forced_text => Error::NonNumeric {
                line: *line,
                column: plan.slots[s].name.clone(),
                value: value.clone(),
            },
            _ => Error::TextColumn {
                column: plan.slots[s].name.clone(),
                role: role.to_string(),
            },
        };
        let out_error = |s: usize, t: &Track| -> Option<Error> {
            let (line, x) = t.first_out?;
            let sc = plan.slots[s].scale?;
            Some(Error::InvalidAnswer {
                line,
                column: plan.slots[s].name.clone(),
                value: x.to_string(),
                expected: format!("declared scale {}..{}", sc.min, sc.max),
            })
        };
        let is_text = |s: usize, t: &Track| t.first_text.is_some() || plan.slots[s].forced_text;
        // Load: reversed columns must be numeric; answers outside scales declared by name.
        for &s in &plan.load_checked {
            let t = &self.tracks[s];
            if plan.slots[s].reverse.is_some() && is_text(s, t) {
                return Err(text_error(s, "reversed", t));
            }
        }
        for &s in &plan.load_checked {
            let t = &self.tracks[s];
            if plan.slots[s].named && !is_text(s, t) {
                if let Some(e) = out_error(s, t) {
                    return Err(e);
                }
            }
        }
        if let Some(s) = plan.weight {
            let t = &self.tracks[s];
            let column = plan.slots[s].name.clone();
            if let Some((line, value)) = &t.first_text {
                return Err(Error::BadWeight {
                    row: *line,
                    column,
                    message: format!("'{value}' is not a number"),
                });
            }
            if let Some((line, message)) = &t.first_bad_weight {
                return Err(Error::BadWeight {
                    row: *line,
                    column,
                    message: message.clone(),
                });
            }
            if !t.any_positive {
                return Err(Error::BadWeight {
                    row: 0,
                    column,
                    message: "every weight is zero".into(),
                });
            }
        }
        // Fit: each model column numeric and inside its scale, in model order.
        for &s in &plan.model {
            let t = &self.tracks[s];
            if is_text(s, t) {
                return Err(text_error(s, "an indicator", t));
            }
            if let Some(e) = out_error(s, t) {
                return Err(e);
            }
        }
        if let Some(s) = plan.id {
            if let Some(line) = self.tracks[s].first_missing {
                return Err(Error::MissingId {
                    line,
                    column: plan.slots[s].name.clone(),
                });
            }
        }
        for &s in &plan.model {
            if self.tracks[s].missing == self.rows {
                return Err(Error::AllMissing {
                    column: plan.slots[s].name.clone(),
                });
            }
        }
        if let Some(e) = self.numeric {
            return Err(e);
        }
        if self.moments.n_rows() != self.rows {
            // Every block with a problem must have produced an error above.
            return Err(Error::Schema {
                message: format!(
                    "streamed {} rows but accumulated {}",
                    self.rows,
                    self.moments.n_rows()
                ),
            });
        }
        self.moments.set_replicates(self.replicates.take());
        Ok(self.moments)
    }
}
