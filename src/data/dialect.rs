//! The CSV dialect shared by every loader: delimiter detection, header checks, missing-value
//! spellings, numbers (decimal commas), and names (closest-name suggestions).

use super::LoadOptions;

/// The spellings of a missing cell in every loader (survey, Kano, SERVQUAL), compared after
/// trimming blanks and ignoring ASCII case.
pub(crate) const MISSING_TOKENS: [&str; 9] =
    ["", "NA", "N/A", "#N/A", "NaN", "NULL", "None", ".", "-"];

/// Whether a (trimmed) cell is one of the default missing spellings.
pub(crate) fn is_missing_token(cell: &str) -> bool {
    let c = cell.trim();
    MISSING_TOKENS.iter().any(|t| t.eq_ignore_ascii_case(c))
}
use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// The most frequent of `,`, `;` and tab outside quotes in the first line (`,` on a tie or when
/// none occurs).
pub(crate) fn detect_delimiter(buf: &[u8]) -> u8 {
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

/// Reads the whole input as UTF-8 (see [`super::encoding`]; `encoding`: a WHATWG label, or
/// detected), and the delimiter: the given one, or detected from the header line. The note
/// says when the input was decoded from another encoding.
pub(crate) fn read_input<R: Read>(
    reader: &mut R,
    delimiter: Option<u8>,
    encoding: Option<&str>,
    limits: &super::Limits,
) -> Result<(Vec<u8>, u8, Option<String>)> {
    let buf = read_bounded(reader, limits.max_record_bytes)?;
    let (buf, note) = super::encoding::to_utf8(buf, encoding)?;
    let d = delimiter.unwrap_or_else(|| detect_delimiter(&buf));
    Ok((buf, d, note))
}

/// All of a reader's bytes, refusing at once a line longer than `max_line` bytes (line ends:
/// LF, CR LF or a lone CR), so that a 10 GB line costs `max_line` bytes of memory, not 10 GB.
fn read_bounded<R: Read>(reader: &mut R, max_line: usize) -> Result<Vec<u8>> {
    let io = |e| Error::Io {
        path: "<input>".into(),
        source: e,
    };
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 1 << 16];
    let mut line_start = 0usize;
    loop {
        let got = match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        let base = buf.len();
        buf.extend_from_slice(&chunk[..got]);
        let mut too_long = false;
        for at in memchr::memchr2_iter(b'\n', b'\r', &buf[base..]) {
            if base + at - line_start > max_line {
                too_long = true;
                break;
            }
            line_start = base + at + 1;
        }
        if too_long || buf.len() - line_start > max_line {
            let before = &buf[..line_start];
            let lf = memchr::memchr_iter(b'\n', before).count();
            let lone_cr = before
                .windows(2)
                .filter(|w| w[0] == b'\r' && w[1] != b'\n')
                .count()
                + usize::from(before.last() == Some(&b'\r'));
            return Err(Error::RecordTooLong {
                path: "<input>".into(),
                line: (lf + lone_cr) as u64 + 1,
                limit: max_line,
            });
        }
    }
    Ok(buf)
}

/// Opens a file for buffered reading; the error names the file.
pub(crate) fn open_file(path: &Path) -> Result<std::io::BufReader<std::fs::File>> {
    std::fs::File::open(path)
        .map(std::io::BufReader::new)
        .map_err(|e| Error::Io {
            path: path.display().to_string(),
            source: e,
        })
}

/// A CSV reader error as a typed error with its line (from the byte position: see
/// [`LineOf`]).
pub(crate) fn csv_error_at(e: csv::Error, lines: &mut LineOf<'_>) -> Error {
    Error::Csv {
        line: e.position().map_or(0, |p| lines.of(p.byte())),
        message: e.to_string(),
    }
}

/// The true 1-based line of each record of a buffer.
///
/// The CSV reader's own line count is not that: a record's position points at the line ends
/// it skipped before the record (the LF of a CRLF, blank lines), so its line is one or more
/// too small in CRLF files and after blank lines. This counts line feeds up to the record's
/// first byte instead. Records come in order, so the count is incremental.
pub(crate) struct LineOf<'a> {
    buf: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineOf<'a> {
    /// Lines of `buf`, whose first byte is on line `first_line`.
    pub(crate) fn new(buf: &'a [u8], first_line: u64) -> LineOf<'a> {
        LineOf {
            buf,
            at: 0,
            line: first_line,
        }
    }
    /// The line of the record whose reader position is `byte`.
    pub(crate) fn of(&mut self, byte: u64) -> u64 {
        let mut b = (byte as usize).min(self.buf.len());
        while b < self.buf.len() && (self.buf[b] == b'\n' || self.buf[b] == b'\r') {
            b += 1;
        }
        if b >= self.at {
            // Line ends: LF, CRLF, and a CR alone (old Mac files, which the CSV reader accepts).
            let seg = &self.buf[self.at..b];
            let lf = memchr::memchr_iter(b'\n', seg).count();
            let lone_cr = memchr::memchr_iter(b'\r', seg)
                .filter(|&i| self.buf.get(self.at + i + 1) != Some(&b'\n'))
                .count();
            self.line += (lf + lone_cr) as u64;
            self.at = b;
        }
        self.line
    }
}

/// The names of a file's columns for a message: the first 40, comma-separated.
pub(crate) fn column_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = names.collect();
    let mut s = all.iter().take(40).copied().collect::<Vec<_>>().join(", ");
    if all.len() > 40 {
        s.push_str(&format!(", ... ({} in all)", all.len()));
    }
    s
}

/// Column names must be non-empty and distinct; the error gives 1-based positions.
pub(crate) fn check_names<S: AsRef<str>>(names: &[S]) -> Result<()> {
    // One hash lookup per name: a header of a million names is checked in well under a second.
    let mut seen: std::collections::HashMap<&str, usize> =
        std::collections::HashMap::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        let n = n.as_ref();
        if n.trim().is_empty() {
            return Err(Error::EmptyColumnName { column: i + 1 });
        }
        if let Some(j) = seen.insert(n, i) {
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
    let (rdr, names) = csv_header_unchecked(reader, delimiter)?;
    check_names(&names)?;
    Ok((rdr, names))
}

/// [`csv_with_header`] without the check of the names (the survey loader first names an R
/// `write.csv` row-name column).
pub(crate) fn csv_header_unchecked<R: Read>(
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
        Err(e) => return Err(csv_error_at(e, &mut LineOf::new(&[], 1))),
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
    Ok((rdr, names))
}

/// Numbers as their decimal text, NaN (missing) as `None`.
pub(crate) fn numbers_as_text(v: &[f64]) -> Vec<Option<String>> {
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
pub(crate) enum Building {
    Numeric(Vec<f64>),
    Text {
        values: Vec<Option<String>>,
        first_bad: Option<(u64, String)>,
        forced: bool,
    },
}

impl Building {
    /// Adds one (trimmed) cell classified as `value`; a numeric column turns text at its first
    /// cell that is neither a number nor missing (its earlier numbers kept as decimal text).
    pub(crate) fn push(&mut self, value: Cell, cell: &[u8], line: u64) {
        match (self, value) {
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
}

/// What one cell holds.
pub(crate) enum Cell {
    Number(f64),
    Missing,
    Text,
}

/// Classifies a trimmed cell: plain integers take a fast path; missing tokens are checked
/// before the general float parser (which would accept "NaN").
pub(crate) fn classify_cell(
    cell: &[u8],
    opts: &LoadOptions,
    codes: &[f64],
    decimal_comma: bool,
) -> Cell {
    let number = |v: f64| number_cell(v, codes);
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
    match parse_float(text, decimal_comma) {
        Some(v) => number(v),
        None => Cell::Text,
    }
}

/// A number read from a file: a declared missing code is missing; a value that is not finite
/// or beyond [`MAX_ABS_ANSWER`](crate::data::MAX_ABS_ANSWER) is not an answer, so it counts as
/// text (a column used as numbers then fails naming its first such cell).
pub(crate) fn number_cell(v: f64, codes: &[f64]) -> Cell {
    if codes.contains(&v) {
        Cell::Missing
    } else if is_answer(v) {
        Cell::Number(v)
    } else {
        Cell::Text
    }
}

/// Whether `v` can be an answer: finite and within ±[`MAX_ABS_ANSWER`](crate::data::MAX_ABS_ANSWER).
pub(crate) fn is_answer(v: f64) -> bool {
    v.abs() <= crate::data::MAX_ABS_ANSWER
}

/// A finite number, with or without a decimal comma (no bound on its size: missing codes
/// such as `1e308` are read with it).
fn parse_float(cell: &str, decimal_comma: bool) -> Option<f64> {
    let v = if decimal_comma && cell.contains(',') {
        cell.replace(',', ".").parse::<f64>().ok()
    } else {
        cell.parse::<f64>().ok()
    };
    v.filter(|x| x.is_finite())
}

/// An answer: a finite number within ±[`MAX_ABS_ANSWER`](crate::data::MAX_ABS_ANSWER).
pub(crate) fn parse_number(cell: &str, decimal_comma: bool) -> Option<f64> {
    parse_float(cell, decimal_comma).filter(|&x| is_answer(x))
}

/// The declared missing codes that are numbers (`99`, `-9`, `1e308`), as numbers.
pub(crate) fn code_values(opts: &LoadOptions, decimal_comma: bool) -> Vec<f64> {
    opts.missing_codes
        .iter()
        .filter_map(|c| parse_float(c, decimal_comma))
        .collect()
}

/// Levenshtein distance on lowercase chars.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
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
