//! Workbooks (.xlsx, .xlsm, .xlsb, .xls, .ods) through calamine: one worksheet read as a
//! table whose first row holds the names, with the same rules as a CSV file.
//!
//! A cell's value becomes the text a CSV export would hold: numbers exactly (the shortest
//! decimal text that reads back to the same `f64`), booleans as 1 and 0, dates as their
//! serial number, error cells (`#N/A`, `#DIV/0!`) as their text (so `#N/A` is a missing
//! cell and any other is an error naming the row), empty cells missing. Line numbers in
//! messages are the sheet's row numbers.

use super::survey::{header_rows, name_row_names, Rows};
use super::{check_names, LoadOptions, Survey};
use crate::error::{Error, Result};
use calamine::{Data, Reader};
use std::path::Path;

/// Whether a path names a workbook (by its extension).
pub fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["xlsx", "xlsm", "xlsb", "xls", "ods"]
            .iter()
            .any(|x| x.eq_ignore_ascii_case(e))
    })
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format!("{f}"),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "1" } else { "0" }.into(),
        Data::DateTime(t) => format!("{}", t.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("{e}"),
        Data::Empty => String::new(),
    }
}

impl Survey {
    /// Reads a survey from a worksheet of a workbook: [`LoadOptions::sheet`], or the first.
    ///
    /// ```no_run
    /// use csindex::{LoadOptions, Survey};
    /// let s = Survey::from_excel("wave3.xlsx", &LoadOptions::new().sheet("responses"))?;
    /// # Ok::<(), csindex::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Workbook`] for a file calamine cannot open or a sheet it does not have (the
    /// message lists the sheets); then the errors of [`Survey::from_reader`].
    pub fn from_excel(path: impl AsRef<Path>, opts: &LoadOptions) -> Result<Survey> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let wb = guarded(&name, || calamine::open_workbook_auto(path))?;
        from_sheets(wb, &name, opts)
    }

    /// Reads a survey from a workbook held in memory (an upload, a database blob), as
    /// [`Survey::from_excel`] reads a file; the format is recognised from the bytes.
    ///
    /// # Errors
    /// Those of [`Survey::from_excel`]; messages name the workbook `<workbook>`.
    pub fn from_excel_bytes(bytes: &[u8], opts: &LoadOptions) -> Result<Survey> {
        let name = "<workbook>";
        let wb = guarded(name, || {
            calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        })?;
        from_sheets(wb, name, opts)
    }
}

/// Runs a step of calamine; its errors and panics become [`Error::Workbook`] naming the file.
fn guarded<T, E: std::fmt::Display>(
    path: &str,
    step: impl FnOnce() -> std::result::Result<T, E>,
) -> Result<T> {
    super::guard_reader(step, "workbook reader", |message| Error::Workbook {
        path: path.to_string(),
        message,
    })
}

fn from_sheets<RS: std::io::Read + std::io::Seek>(
    mut wb: calamine::Sheets<RS>,
    path: &str,
    opts: &LoadOptions,
) -> Result<Survey> {
    let fail = |message: String| Error::Workbook {
        path: path.to_string(),
        message,
    };
    let sheets = wb.sheet_names();
    let sheet = match &opts.sheet {
        Some(s) => sheets
            .iter()
            .find(|n| *n == s)
            .cloned()
            .ok_or_else(|| fail(format!("no sheet '{s}' (sheets: {})", sheets.join(", "))))?,
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| fail("the workbook has no sheet".into()))?,
    };
    let range = guarded(path, || wb.worksheet_range(&sheet)).map_err(|e| match e {
        Error::Workbook { path, message } => Error::Workbook {
            path,
            message: format!("sheet '{sheet}': {message}"),
        },
        e => e,
    })?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Err(Error::EmptyFile);
    };
    let mut names: Vec<String> = header
        .iter()
        .map(|d| cell_text(d).trim().to_string())
        .collect();
    // Trailing columns with no name and no value: the sheet's used range, not data.
    let used = |c: usize| {
        range
            .rows()
            .any(|r| !matches!(r.get(c), Some(Data::Empty) | None))
    };
    while names.last().is_some_and(|n| n.is_empty()) && !used(names.len() - 1) {
        names.pop();
    }
    if names.is_empty() {
        return Err(Error::EmptyFile);
    }
    let mut notes = Vec::new();
    name_row_names(&mut names, &mut notes);
    check_names(&names)?;
    opts.limits.check_columns(names.len())?;
    let p = names.len();
    let mut sink = Rows::new(&names, opts, b',');
    let mut head: Vec<(u64, Vec<String>)> = Vec::new();
    let wanted = opts.header_rows.map_or(2, |k| k - 1);
    let mut decided = wanted == 0;
    let feed = |sink: &mut Rows<'_>, line: u64, cells: &[String]| -> Result<()> {
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(()); // an empty row
        }
        sink.row(cells.iter().map(|c| c.as_bytes()), cells.len(), line)
    };
    for (i, r) in rows.enumerate() {
        let line = first_row + i as u64 + 2;
        if let Some(last) = r.iter().rposition(|d| !matches!(d, Data::Empty)) {
            if last >= p {
                return Err(Error::RaggedRow {
                    line,
                    expected: p,
                    found: last + 1,
                });
            }
        }
        let cells: Vec<String> = r.iter().take(p).map(cell_text).collect();
        if !decided {
            head.push((line, cells));
            if head.len() == wanted {
                decided = true;
                for (l, c) in header_rows(&names, &mut head, opts, &mut notes, &mut sink.labels) {
                    feed(&mut sink, l, &c)?;
                }
            }
            continue;
        }
        feed(&mut sink, line, &cells)?;
    }
    if !decided {
        for (l, c) in header_rows(&names, &mut head, opts, &mut notes, &mut sink.labels) {
            feed(&mut sink, l, &c)?;
        }
    }
    notes.insert(0, format!("read sheet '{sheet}' of {path}"));
    sink.finish(names, opts, notes)
}
