//! The cells an OpenDocument spreadsheet makes calamine hold, counted before calamine reads it.
//!
//! calamine parses every table of an .ods when it opens the file, and lays each out densely:
//! a cell repeated over 16,384 columns (`table:number-columns-repeated`) in a row repeated
//! over a million rows (`table:number-rows-repeated`) is a few hundred bytes of XML that
//! claims 17 billion cells, and the allocation aborts the process. This reads the file's
//! `content.xml` as a stream (nothing is kept but counts) and refuses it with
//! [`Error::LimitExceeded`](crate::Error::LimitExceeded) when the cells exceed
//! [`Limits::max_cells`].

use super::Limits;
use crate::error::Result;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Read, Seek};

/// calamine's bounds on an .ods table (its `MAX_ROWS`, `MAX_COLUMNS`).
const MAX_ROWS: usize = 1 << 20;
const MAX_COLUMNS: usize = 1 << 14;

/// Checks the cells of an .ods against `limits`; anything else (another format, a file
/// that is no zip or whose XML is broken) passes, for calamine to read or reject.
///
/// # Errors
/// [`Error::LimitExceeded`](crate::Error::LimitExceeded) naming the workbook.
pub(crate) fn check<R: Read + Seek>(reader: R, path: &str, limits: &Limits) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(reader) else {
        return Ok(());
    };
    let is_ods = match zip.by_name("mimetype") {
        Ok(f) => {
            let mut kind = String::new();
            f.take(128).read_to_string(&mut kind).is_ok()
                && kind.starts_with("application/vnd.oasis.opendocument.spreadsheet")
        }
        Err(_) => false,
    };
    if !is_ods {
        return Ok(());
    }
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let cells = count(BufReader::new(content));
    limits.check_cells(cells, path, "cells laid out densely by the .ods reader")
}

/// The table being counted.
#[derive(Default)]
struct Table {
    /// Rows so far, repeats included.
    rows: usize,
    /// Rows up to the last one that holds a value.
    used_rows: usize,
    /// The widest row's columns up to its last value.
    width: usize,
}

/// The row being counted.
#[derive(Default)]
struct Row {
    repeats: usize,
    /// Columns so far, repeats included.
    columns: usize,
    /// Columns up to the last value.
    width: usize,
}

/// The cells calamine holds for these tables: each row element's cells up to its last value
/// (stored once, before repeats), then each table's dense range, its used rows by its widest
/// row. An upper bound: a table's range starts at A1 here.
fn count<R: std::io::BufRead>(input: R) -> usize {
    let mut xml = quick_xml::Reader::from_reader(input);
    // As lenient as calamine's reader, so that nothing it reads stops the count early.
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    let mut buf = Vec::new();
    let mut c = Counter::default();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => c.start(&e, true),
            Ok(Event::Empty(e)) => c.start(&e, false),
            Ok(Event::End(e)) => c.end(e.name().as_ref()),
            // The end, or XML calamine will refuse too (it reads no further than this).
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    c.close_table();
    c.total
}

/// The count so far, with the table, row and cell being read.
#[derive(Default)]
struct Counter {
    total: usize,
    table: Option<Table>,
    row: Option<Row>,
    in_cell: bool,
}

impl Counter {
    /// An element opened (`open`) or an empty one (`<... />`).
    fn start(&mut self, e: &BytesStart<'_>, open: bool) {
        match e.name().as_ref() {
            b"table:table" if !self.in_cell => self.table = Some(Table::default()),
            b"table:table-row" if !self.in_cell && self.table.is_some() => {
                let r = Row {
                    repeats: repeats(e, b"table:number-rows-repeated").clamp(1, MAX_ROWS),
                    ..Row::default()
                };
                if open {
                    self.row = Some(r);
                } else if let Some(t) = self.table.as_mut() {
                    end_row(r, t, &mut self.total);
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" if !self.in_cell => {
                if let Some(r) = self.row.as_mut() {
                    let n = repeats(e, b"table:number-columns-repeated").max(1);
                    r.columns = r.columns.saturating_add(n).min(MAX_COLUMNS);
                    // A cell with content or a value type holds something.
                    let value = open
                        || e.try_get_attribute(b"office:value-type")
                            .ok()
                            .flatten()
                            .is_some();
                    if value {
                        r.width = r.columns;
                    }
                }
                self.in_cell = open;
            }
            _ => {}
        }
    }

    /// An element closed.
    fn end(&mut self, name: &[u8]) {
        match name {
            b"table:table-cell" | b"table:covered-table-cell" => self.in_cell = false,
            b"table:table-row" if !self.in_cell => {
                if let (Some(r), Some(t)) = (self.row.take(), self.table.as_mut()) {
                    end_row(r, t, &mut self.total);
                }
            }
            b"table:table" if !self.in_cell => self.close_table(),
            _ => {}
        }
    }

    /// Adds the table being read, if any, as calamine lays it out: its used rows by its
    /// widest row.
    fn close_table(&mut self) {
        if let Some(t) = self.table.take() {
            self.total = self
                .total
                .saturating_add(t.used_rows.saturating_mul(t.width));
        }
    }
}

/// Adds a finished row to its table.
fn end_row(r: Row, t: &mut Table, total: &mut usize) {
    t.rows = t.rows.saturating_add(r.repeats).min(MAX_ROWS);
    if r.width > 0 {
        *total = total.saturating_add(r.width);
        t.used_rows = t.rows;
        t.width = t.width.max(r.width);
    }
}

/// A repeat count attribute (1 when absent or unreadable).
fn repeats(e: &BytesStart<'_>, name: &[u8]) -> usize {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| std::str::from_utf8(&a.value).ok()?.trim().parse().ok())
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::count;

    fn sheet(rows: &str) -> String {
        format!(
            "<office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"s\">{rows}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        )
    }

    #[test]
    fn counts_stored_and_dense_cells() {
        // Two rows of three values, then empty styled cells and an empty repeated row.
        let x = sheet(
            "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"1\"><text:p>1</text:p></table:table-cell>\
             <table:table-cell table:number-columns-repeated=\"2\" office:value-type=\"float\"/>\
             <table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>\
             <table:table-row><table:table-cell table:number-columns-repeated=\"3\"><text:p>a</text:p></table:table-cell></table:table-row>\
             <table:table-row table:number-rows-repeated=\"1048574\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>",
        );
        // Stored: 3 + 3; dense: 2 rows by 3.
        assert_eq!(count(x.as_bytes()), 12);
        // One value repeated over the whole sheet.
        let x = sheet(
            "<table:table-row table:number-rows-repeated=\"1048576\">\
             <table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"float\" office:value=\"7\"/></table:table-row>",
        );
        assert_eq!(count(x.as_bytes()), 16384 + (1 << 20) * 16384);
    }
}
