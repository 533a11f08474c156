//! Loading a survey (CSV, memory) and reading its columns, scales and weights.

use super::dialect::*;
use super::*;
use std::io::Read;
use std::path::Path;

impl Survey {
    /// Reads a survey from a CSV file with a header row.
    pub fn from_csv_path(path: impl AsRef<Path>, opts: &LoadOptions) -> Result<Survey> {
        let path = path.as_ref();
        Self::from_reader(open_file(path)?, opts).map_err(|e| match e {
            Error::RecordTooLong { line, limit, .. } => Error::RecordTooLong {
                path: path.display().to_string(),
                line,
                limit,
            },
            e => e,
        })
    }

    /// Reads a survey from any reader holding CSV text with a header row (see
    /// [`LoadOptions::header_rows`] for exports with several; an R `write.csv` file, whose
    /// first header cell is empty over the row names, is read with that column named
    /// `row_names`).
    pub fn from_reader<R: Read>(mut reader: R, opts: &LoadOptions) -> Result<Survey> {
        let (buf, delimiter, note) = read_input(
            &mut reader,
            opts.delimiter,
            opts.encoding.as_deref(),
            &opts.limits,
        )?;
        let (mut rdr, mut names) = csv_header_unchecked(buf.as_slice(), delimiter)?;
        opts.limits.check_columns(names.len())?;
        let mut notes: Vec<String> = note.into_iter().collect();
        name_row_names(&mut names, &mut notes);
        check_names(&names)?;
        let mut line_of = LineOf::new(&buf, 1);
        let mut sink = Rows::new(&names, opts, delimiter);
        // Records after the names: question texts, a Qualtrics ImportId row, or data.
        let mut head: Vec<(u64, Vec<String>)> = Vec::new();
        let wanted = opts.header_rows.map_or(2, |k| k - 1);
        let mut decided = wanted == 0;
        let mut rec = csv::ByteRecord::new();
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(csv_error_at(e, &mut line_of)),
            }
            let line = line_of.of(rec.position().map_or(0, |q| q.byte()));
            if !decided {
                head.push((
                    line,
                    rec.iter()
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect(),
                ));
                if head.len() == wanted {
                    decided = true;
                    let rows = header_rows(&names, &mut head, opts, &mut notes, &mut sink.labels);
                    for (line, cells) in rows {
                        sink.row(cells.iter().map(|c| c.as_bytes()), cells.len(), line)?;
                    }
                }
                continue;
            }
            sink.row(rec.iter(), rec.len(), line)?;
        }
        if !decided {
            let rows = header_rows(&names, &mut head, opts, &mut notes, &mut sink.labels);
            for (line, cells) in rows {
                sink.row(cells.iter().map(|c| c.as_bytes()), cells.len(), line)?;
            }
        }
        sink.finish(names, opts, notes)
    }

    /// The value labels of a column (an SPSS file's): (code, label) in code order.
    pub fn value_labels(&self, column: &str) -> Option<&[(f64, String)]> {
        self.value_labels
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.as_slice())
    }

    /// What the loader decided that the user should know: the encoding the file was decoded
    /// from when not UTF-8, header rows read as labels, row names, the answer scales
    /// inferred, recoded answer words. Say them before the results (the `csi` example prints
    /// them on stderr).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The label of a column (its question text from a second header row), when the file
    /// gave one.
    pub fn label(&self, column: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, l)| l.as_str())
    }

    /// A survey from columns read by a loader (CSV, Parquet): declared scales, reversals and
    /// weights applied as for a CSV file.
    pub(crate) fn from_built(
        names: Vec<String>,
        cols: Vec<Building>,
        lines: Vec<u64>,
        opts: &LoadOptions,
        decimal_comma: bool,
    ) -> Result<Survey> {
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
                    Building::Numeric(v) => ColumnData::Numeric(std::sync::Arc::new(v)),
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
            lines: lines.into(),
            weights: None,
            notes: Vec::new(),
            labels: Vec::new(),
            value_labels: Vec::new(),
        };
        s.apply_scales(opts)?;
        s.recode_words(opts);
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
        for col in &mut self.columns {
            if let ColumnData::Numeric(_) = col.data {
                col.scale = opts.scale_of(&col.name);
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
                    std::sync::Arc::make_mut(v)
                        .iter_mut()
                        .for_each(|x| *x = sc.min + sc.max - *x);
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
    pub(super) fn check_scale(&self, col: &Column) -> Result<()> {
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
            columns.push(Column::new(
                name.to_string(),
                ColumnData::Numeric(std::sync::Arc::new(v)),
                None,
            ));
        }
        Ok(Survey {
            columns,
            n_rows,
            lines: (0..n_rows as u64).map(|i| i + 2).collect(),
            weights: None,
            notes: Vec::new(),
            labels: Vec::new(),
            value_labels: Vec::new(),
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

    /// The survey with only the named columns (and its weights): a light copy for estimators
    /// that add derived columns.
    pub(crate) fn subset(&self, names: &[String]) -> Result<Survey> {
        self.subset_in(names, false)
    }

    /// [`Survey::subset`], each column's scale fixed at this survey's [`Survey::scale`]
    /// (declared, or the observed range of the whole column): what a refit on resampled rows
    /// keeps, so that a resample's observed range does not move the 0-100 index.
    ///
    /// # Errors
    /// Those of [`Survey::scale`].
    pub(crate) fn subset_with_scales(&self, names: &[String]) -> Result<Survey> {
        self.subset_in(names, true)
    }

    fn subset_in(&self, names: &[String], fix_scales: bool) -> Result<Survey> {
        let mut columns = Vec::with_capacity(names.len());
        for n in names {
            let j = self.col_index(n)?;
            let mut c = self.columns[j].clone();
            if fix_scales && c.scale.is_none() {
                c.scale = Some(self.scale(n)?.0);
            }
            columns.push(c);
        }
        Ok(Survey {
            columns,
            n_rows: self.n_rows,
            lines: self.lines.clone(),
            weights: self.weights.clone(),
            notes: self.notes.clone(),
            labels: self.labels.clone(),
            value_labels: self.value_labels.clone(),
        })
    }

    /// Adds a numeric column computed from the others (an interaction's product indicators);
    /// NaN marks a missing cell. A column of that name already there is an error.
    pub(crate) fn with_numeric_column(mut self, name: &str, values: Vec<f64>) -> Result<Survey> {
        if values.len() != self.n_rows {
            return Err(Error::invalid(
                name,
                format!("{} values for {} rows", values.len(), self.n_rows),
            ));
        }
        if self.columns.iter().any(|c| c.name == name) {
            return Err(Error::invalid(
                name,
                "the survey already has a column of this name (it is the name of a derived interaction indicator)",
            ));
        }
        // A derived column's scale is its observed range (it has no answer scale; the index
        // of a construct built on derived columns is defined from other quantities).
        let (lo, hi) = values
            .iter()
            .filter(|x| !x.is_nan())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let scale = (lo < hi).then_some(Scale { min: lo, max: hi });
        self.columns.push(Column::new(
            name.to_string(),
            ColumnData::Numeric(std::sync::Arc::new(values)),
            scale,
        ));
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
            ColumnData::Numeric(v) => v.to_vec(),
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
            .ok_or_else(|| {
                let suggestion = closest(name, self.columns.iter().map(|c| c.name.as_str()));
                Error::UnknownColumn {
                    name: name.to_string(),
                    available: if suggestion.is_none() {
                        column_list(self.columns.iter().map(|c| c.name.as_str()))
                    } else {
                        String::new()
                    },
                    suggestion,
                }
            })
    }

    pub(super) fn not_numeric(&self, j: usize, role: &str) -> Error {
        let col = &self.columns[j];
        match &col.data {
            ColumnData::Text {
                first_bad: Some((line, value)),
                values,
            } if Some(line) == self.lines.first()
                && values.len() > 1
                && values[1..]
                    .iter()
                    .flatten()
                    .all(|v| parse_number(v, false).is_some()) =>
            {
                Error::HeaderRow {
                    line: *line,
                    column: col.name.clone(),
                    value: value.clone(),
                }
            }
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
                    ColumnData::Numeric(v) => ColumnData::Numeric(std::sync::Arc::new(
                        rows.iter().map(|&r| v[r]).collect(),
                    )),
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
            notes: self.notes.clone(),
            labels: self.labels.clone(),
            value_labels: self.value_labels.clone(),
        })
    }
}

/// An R `write.csv` header: an empty first cell over the row names. That column is named
/// `row_names` (a note says so).
pub(crate) fn name_row_names(names: &mut [String], notes: &mut Vec<String>) {
    if names.len() > 1 && names[0].is_empty() && !names[1..].iter().any(|n| n == "row_names") {
        names[0] = "row_names".into();
        notes.push(
            "the first header cell is empty (R's write.csv row names): that column is read as 'row_names'"
                .into(),
        );
    }
}

/// The records read after the names, before the data: with [`LoadOptions::header_rows`] they
/// are header rows (the first one the columns' labels); without it, they are a Qualtrics
/// export's question texts and ImportId row when the second one's cells start with
/// `{"ImportId"`, else data. Returns the records that are data.
pub(crate) fn header_rows(
    names: &[String],
    head: &mut Vec<(u64, Vec<String>)>,
    opts: &LoadOptions,
    notes: &mut Vec<String>,
    labels: &mut Vec<(String, String)>,
) -> Vec<(u64, Vec<String>)> {
    let qualtrics = opts.header_rows.is_none()
        && head.len() == 2
        && head[1]
            .1
            .iter()
            .any(|c| c.trim_start().starts_with("{\"ImportId\""));
    if opts.header_rows.is_none() && !qualtrics {
        return std::mem::take(head);
    }
    if let Some((_, texts)) = head.first() {
        for (n, t) in names.iter().zip(texts) {
            let t = t.trim();
            if !t.is_empty() && t != n {
                labels.push((n.clone(), t.to_string()));
            }
        }
    }
    notes.push(if qualtrics {
        "a Qualtrics export: its second and third header rows (question texts, ImportId) were read as labels".to_string()
    } else {
        format!(
            "{} header rows: the names, then question texts read as labels",
            head.len() + 1
        )
    });
    head.clear();
    Vec::new()
}

/// The data rows of a loader (CSV, workbook): each cell classified as a number, a missing cell
/// or text, per column.
pub(crate) struct Rows<'a> {
    opts: &'a LoadOptions,
    codes: Vec<f64>,
    decimal_comma: bool,
    cols: Vec<Building>,
    lines: Vec<u64>,
    p: usize,
    names: Vec<String>,
    pub(crate) labels: Vec<(String, String)>,
}

impl<'a> Rows<'a> {
    pub(crate) fn new(names: &[String], opts: &'a LoadOptions, delimiter: u8) -> Rows<'a> {
        let decimal_comma = opts.decimal_comma.unwrap_or(delimiter == b';');
        Rows {
            opts,
            codes: crate::data::code_values(opts, decimal_comma),
            decimal_comma,
            // Columns start numeric; a column turns text at its first cell that is neither a
            // number nor missing (its earlier numbers are kept as their decimal text).
            cols: names
                .iter()
                .map(|n| Building::start(opts.text_columns.contains(n)))
                .collect(),
            lines: Vec::new(),
            p: names.len(),
            names: names.to_vec(),
            labels: Vec::new(),
        }
    }

    /// One record of `len` cells on `line`.
    pub(crate) fn row<'c>(
        &mut self,
        cells: impl Iterator<Item = &'c [u8]>,
        len: usize,
        line: u64,
    ) -> Result<()> {
        let mut cells = cells.peekable();
        if len == 1 && self.p > 1 && cells.peek().is_some_and(|c| c.trim_ascii().is_empty()) {
            return Ok(()); // a blank line
        }
        if len != self.p {
            return Err(Error::RaggedRow {
                line,
                expected: self.p,
                found: len,
            });
        }
        for (j, (col, cell)) in self.cols.iter_mut().zip(cells).enumerate() {
            if cell.len() > self.opts.limits.max_field_bytes {
                let name = self.names.get(j).map_or("", String::as_str);
                self.opts.limits.check_field(cell.len(), line, name)?;
            }
            let cell = cell.trim_ascii();
            let value = match col {
                Building::Text { forced: true, .. } => Cell::Text,
                _ => classify_cell(cell, self.opts, &self.codes, self.decimal_comma),
            };
            col.push(value, cell, line);
        }
        self.lines.push(line);
        Ok(())
    }

    /// The survey.
    pub(crate) fn finish(
        self,
        names: Vec<String>,
        opts: &LoadOptions,
        notes: Vec<String>,
    ) -> Result<Survey> {
        let mut s = Survey::from_built(names, self.cols, self.lines, opts, self.decimal_comma)?;
        s.notes.extend(notes);
        s.labels = self.labels;
        Ok(s)
    }
}
