//! Resource limits for reading input: a bad or hostile file (a 10 GB line, a million columns,
//! an id column used as a segment) is a typed error naming the line or column, never memory
//! or time exhausted.

/// The largest inputs a reader accepts (see [`LoadOptions::limits`](super::LoadOptions::limits)).
/// Each exceeded limit is [`Error::LimitExceeded`](crate::Error::LimitExceeded) (a record:
/// [`Error::RecordTooLong`](crate::Error::RecordTooLong)) naming where, with the limit and how
/// to raise it.
///
/// ```
/// use csindex::{data::Limits, Error, LoadOptions, Survey};
/// let wide = format!("{}\n", (0..50).map(|i| format!("c{i}")).collect::<Vec<_>>().join(","));
/// let opts = LoadOptions::new().limits(Limits { max_columns: 20, ..Limits::default() });
/// let e = Survey::from_reader(wide.as_bytes(), &opts).unwrap_err();
/// assert!(matches!(e, Error::LimitExceeded { .. }), "{e}");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest record (line) in bytes: [`DEFAULT_MAX_RECORD_BYTES`] (64 MiB). A file is
    /// read up to the first record past it, so memory stays bounded on a 10 GB line.
    pub max_record_bytes: usize,
    /// The longest single field (cell) in bytes: [`DEFAULT_MAX_FIELD_BYTES`] (1 MiB).
    pub max_field_bytes: usize,
    /// The most columns a header may have: [`DEFAULT_MAX_COLUMNS`] (20,000).
    pub max_columns: usize,
    /// The most cells a workbook may make csindex or calamine hold: [`DEFAULT_MAX_CELLS`]
    /// (50,000,000). For .xlsx and .xlsb the sheet's non-empty cells (they are streamed); for
    /// .ods the cells calamine lays out densely for all its tables, counted from the file's
    /// XML before calamine reads it (a few KB of repeated cells can claim 17 billion).
    pub max_cells: usize,
}

/// Default [`Limits::max_record_bytes`]: 64 MiB.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 64 << 20;
/// Default [`Limits::max_field_bytes`]: 1 MiB.
pub const DEFAULT_MAX_FIELD_BYTES: usize = 1 << 20;
/// Default [`Limits::max_columns`]: 20,000.
pub const DEFAULT_MAX_COLUMNS: usize = 20_000;
/// Default [`Limits::max_cells`]: 50,000,000 (a million respondents by 50 answers; some
/// 2 GB of cells in memory).
pub const DEFAULT_MAX_CELLS: usize = 50_000_000;
/// The most groups a segment or wave column may have (an id or free-text column given by
/// mistake is refused at once, not compared pairwise).
pub const MAX_GROUPS: usize = 50;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_record_bytes: DEFAULT_MAX_RECORD_BYTES,
            max_field_bytes: DEFAULT_MAX_FIELD_BYTES,
            max_columns: DEFAULT_MAX_COLUMNS,
            max_cells: DEFAULT_MAX_CELLS,
        }
    }
}

impl Limits {
    /// [`Error::LimitExceeded`](crate::Error::LimitExceeded) when a header has more columns
    /// than allowed.
    pub(crate) fn check_columns(&self, found: usize) -> crate::Result<()> {
        if found > self.max_columns {
            return Err(crate::Error::LimitExceeded {
                at: "the header".into(),
                what: format!("{found} columns"),
                limit: self.max_columns,
                raise: "Limits::max_columns, csi --max-columns".into(),
            });
        }
        Ok(())
    }

    /// [`Error::LimitExceeded`](crate::Error::LimitExceeded) for a workbook of more cells than
    /// allowed.
    pub(crate) fn check_cells(&self, found: usize, path: &str, what: &str) -> crate::Result<()> {
        if found > self.max_cells {
            return Err(crate::Error::LimitExceeded {
                at: format!("workbook '{path}'"),
                what: format!("{found} {what}"),
                limit: self.max_cells,
                raise: "Limits::max_cells, csi --max-cells".into(),
            });
        }
        Ok(())
    }

    /// [`Error::LimitExceeded`](crate::Error::LimitExceeded) for a field longer than allowed.
    pub(crate) fn check_field(&self, len: usize, line: u64, column: &str) -> crate::Result<()> {
        if len > self.max_field_bytes {
            return Err(crate::Error::LimitExceeded {
                at: format!("line {line}, column '{column}'"),
                what: format!("a field of {len} bytes"),
                limit: self.max_field_bytes,
                raise: "Limits::max_field_bytes, csi --max-field-bytes".into(),
            });
        }
        Ok(())
    }
}
