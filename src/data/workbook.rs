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
use calamine::{Data, DataRef, Reader, Sheets};
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
        // calamine picks its reader by the extension as written (case included) and tries
        // every reader, the .ods one last, for any other: only then can it lay out an .ods.
        let other_reader = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("xls" | "xla" | "xlsx" | "xlsm" | "xlam" | "xlsb")
        );
        if !other_reader {
            if let Ok(file) = std::fs::File::open(path) {
                super::ods::check(file, &name, &opts.limits)?;
            }
        }
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
        super::ods::check(std::io::Cursor::new(bytes), name, &opts.limits)?;
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
    let grid = Grid::read(&mut wb, &sheet, path, opts)?;
    let mut rows = grid.rows();
    let Some((first_row, header)) = rows.next() else {
        return Err(Error::EmptyFile);
    };
    let mut names: Vec<String> = header
        .iter()
        .map(|d| cell_text(d).trim().to_string())
        .collect();
    // Trailing columns with no name: the sheet's used range, not data (a value under one is
    // a ragged row, named by its sheet row).
    while names.last().is_some_and(|n| n.is_empty()) {
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
    let mut next_row = first_row + 1;
    for (row, r) in rows {
        // Rows with no cell between two that have some: empty rows, which the header-row
        // detection still sees (a CSV export would hold them as empty lines).
        while !decided && next_row < row {
            head.push((u64::from(next_row) + 1, vec![String::new(); p]));
            next_row += 1;
            if head.len() == wanted {
                decided = true;
                for (l, c) in header_rows(&names, &mut head, opts, &mut notes, &mut sink.labels) {
                    feed(&mut sink, l, &c)?;
                }
            }
        }
        next_row = row + 1;
        let line = u64::from(row) + 1;
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

/// The cells of a worksheet that hold something, sorted by row then column, with the first
/// used column and the used width. For .xlsx and .xlsb the cells are streamed from the
/// sheet, so calamine's dense range is never built: a sheet that claims cells at A1 and
/// XFD1048576 would ask it for 17 billion cells. The used width is checked against
/// [`Limits::max_columns`](crate::data::Limits) and each row is laid out densely only when
/// it is read. (.xls and .ods arrive dense from calamine; .xls is bounded by its format,
/// 65,536 rows by 256 columns, and the cells of an .ods are counted before calamine opens
/// it.) No more cells than [`Limits::max_cells`](crate::data::Limits) are kept.
struct Grid {
    cells: Vec<(u32, u32, Data)>,
    first_col: u32,
    width: usize,
}

impl Grid {
    fn read<RS: std::io::Read + std::io::Seek>(
        wb: &mut Sheets<RS>,
        sheet: &str,
        path: &str,
        opts: &LoadOptions,
    ) -> Result<Grid> {
        let mut cells = Vec::new();
        let max = opts.limits.max_cells;
        macro_rules! stream {
            ($book:expr) => {
                guarded(path, || -> std::result::Result<(), String> {
                    let mut reader = $book
                        .worksheet_cells_reader(sheet)
                        .map_err(|e| e.to_string())?;
                    while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
                        let (row, col) = c.get_position();
                        if !matches!(c.get_value(), DataRef::Empty) {
                            if cells.len() == max {
                                // One more than the limit: refused below.
                                cells.push((row, col, Data::Empty));
                                break;
                            }
                            cells.push((row, col, Data::from(c.get_value().clone())));
                        }
                    }
                    Ok(())
                })
            };
        }
        let read = match wb {
            Sheets::Xlsx(book) => stream!(book),
            Sheets::Xlsb(book) => stream!(book),
            _ => guarded(path, || wb.worksheet_range(sheet)).map(|range| {
                let (r0, c0) = range.start().unwrap_or((0, 0));
                cells.extend(
                    range
                        .used_cells()
                        .map(|(r, c, d)| (r0 + r as u32, c0 + c as u32, d.clone())),
                );
            }),
        };
        read.map_err(|e| match e {
            Error::Workbook { path, message } => Error::Workbook {
                path,
                message: format!("sheet '{sheet}': {message}"),
            },
            e => e,
        })?;
        opts.limits
            .check_cells(cells.len(), path, "non-empty cells in the sheet")?;
        let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
        let width = cells
            .iter()
            .map(|c| (c.1 - first_col) as usize + 1)
            .max()
            .unwrap_or(0);
        opts.limits.check_columns(width)?;
        cells.sort_by_key(|&(r, c, _)| (r, c));
        Ok(Grid {
            cells,
            first_col,
            width,
        })
    }

    /// Each row that holds a cell, as its row index and its cells from the first used
    /// column (empty where the sheet has none).
    fn rows(&self) -> impl Iterator<Item = (u32, Vec<Data>)> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            let row = self.cells.get(at)?.0;
            let mut out = vec![Data::Empty; self.width];
            while let Some((r, c, d)) = self.cells.get(at) {
                if *r != row {
                    break;
                }
                if let Some(slot) = out.get_mut((c - self.first_col) as usize) {
                    *slot = d.clone();
                }
                at += 1;
            }
            Some((row, out))
        })
    }
}
