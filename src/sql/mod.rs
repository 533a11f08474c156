//! Moments computed by an SQL engine: one aggregate query, and its one-row result read back
//! into [`Moments`].
//!
//! Everything PLS estimates from a survey (except row-level results) needs only the moments of
//! the indicators, and moments are sums. So a warehouse, a data lake engine or a cluster can do
//! the scanning: [`SqlMoments::query`] writes one `SELECT` of counts, sums and sums of products
//! of shifted values, minima and maxima (optionally `GROUP BY` a segment or partition column),
//! and [`SqlMoments::read`] turns its result row into moments that fit exactly as streamed
//! moments do. The query uses only `COUNT`, `SUM`, `MIN`, `MAX`, `CASE WHEN`, `NULLIF` and
//! arithmetic, so the same text runs on Apache DataFusion, DuckDB, PostgreSQL and Spark SQL;
//! only identifier quoting differs ([`SqlDialect`]).
//!
//! ```
//! use csindex::sql::{SqlDialect, SqlMoments};
//! use csindex::{LoadOptions, MissingPolicy};
//! let spec = SqlMoments::new(&["q1", "q2"], &LoadOptions::new().scale("*", 1.0, 5.0).missing_code("9"),
//!     MissingPolicy::Listwise)?;
//! let sql = spec.query("survey", SqlDialect::Standard);
//! assert!(sql.starts_with("SELECT COUNT(*) AS n_rows"));
//! // ... run it anywhere; its one row, as JSON, reads back:
//! let row = serde_json::json!({"n_rows": 3, "n_used": 3, "sum_w": 3, "sum_w2": 3,
//!     "miss_0": 0, "miss_1": 0, "min_0": 1, "max_0": 4, "min_1": 2, "max_1": 5,
//!     "s_0": -3.0, "s_1": 0.0, "q_0_0": 7.0, "q_0_1": 4.0, "q_1_1": 6.0});
//! let m = spec.read(row.as_object().unwrap())?;
//! assert_eq!(m.n_used(), 3);
//! assert!((m.means()[0] - 2.0).abs() < 1e-15);
//! # Ok::<(), csindex::Error>(())
//! ```
//!
//! ## Numerics
//! Each value is shifted by a centre before it is summed: the declared scale's midpoint (else
//! 0, or [`SqlMoments::shift`]). Co-moments are then `Q − s sᵀ/W` of sums of numbers of the
//! order of the scale, so no precision is lost to large means; on integer answers an engine
//! sums integers or decimals exactly. Against streamed moments the correlations agree to
//! 1e-13 on Likert data (a test checks it).
//!
//! ## What the query does and does not do
//! - Missing: SQL `NULL`, and the numeric missing codes of the [`LoadOptions`] (via `NULLIF`).
//!   Rows are used when every model column (and the weight) is not null: listwise deletion.
//!   Mean replacement is not offered (it needs pairwise sums; stream the data instead).
//! - Reversed items are reversed on their declared scale in the query.
//! - Answers outside a declared scale are found from the minima and maxima:
//!   [`Error::InvalidAnswer`] without a line (the engine does not say which row).
//! - Text cells are the engine's business: a text column fails in the engine, not here.
//! - NaN in floating columns is not missing to SQL: it makes the sums NaN, which
//!   [`SqlMoments::read`] refuses ([`Error::NonFinite`]).

#[cfg(feature = "datafusion")]
pub mod datafusion;

use crate::data::{LoadOptions, MissingPolicy, Scale};
use crate::error::{Error, Result};
use crate::moments::{Moments, WeightKind};
use nalgebra::DMatrix;
use serde_json::{Map, Value};

/// How identifiers are quoted: the only difference between the engines' texts of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlDialect {
    /// `"name"`: the SQL standard, as DataFusion, DuckDB and PostgreSQL read it.
    Standard,
    /// `` `name` ``: Spark SQL (and Databricks, Hive).
    Spark,
}

crate::options::flag_names!(SqlDialect, "SQL dialect", Standard => "standard", Spark => "spark");

/// The aggregate query of the moments of some columns, and the reader of its result.
#[derive(Debug, Clone)]
pub struct SqlMoments {
    columns: Vec<String>,
    policy: MissingPolicy,
    weight: Option<(String, WeightKind)>,
    shift: Vec<f64>,
    scales: Vec<Option<Scale>>,
    reverse: Vec<bool>,
    codes: Vec<f64>,
    group_by: Option<String>,
}

impl SqlMoments {
    /// The query of these columns' moments under the options' declared scales, reversed
    /// items, numeric missing codes and weights, with listwise deletion (or `Fail`, which
    /// counts missing cells and lets the fit refuse them).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for no columns, mean replacement, or a reversed column
    /// without a declared scale; [`Error::DuplicateColumn`] / [`Error::EmptyColumnName`].
    pub fn new<S: AsRef<str>>(
        columns: &[S],
        opts: &LoadOptions,
        policy: MissingPolicy,
    ) -> Result<SqlMoments> {
        if columns.is_empty() {
            return Err(Error::invalid("columns", "no columns"));
        }
        crate::data::check_names(columns)?;
        if policy == MissingPolicy::Mean {
            return Err(Error::invalid(
                "missing",
                "mean replacement needs pairwise sums: stream the data, or use listwise deletion",
            ));
        }
        let columns: Vec<String> = columns.iter().map(|c| c.as_ref().to_string()).collect();
        let mut scales = Vec::new();
        for c in &columns {
            let sc = opts.scale_of(c);
            if let Some(s) = sc {
                Scale::new(s.min, s.max)?;
            }
            scales.push(sc);
        }
        let reverse: Vec<bool> = columns.iter().map(|c| opts.reverse.contains(c)).collect();
        for (k, c) in columns.iter().enumerate() {
            if reverse[k] && scales[k].is_none() {
                return Err(Error::invalid(
                    "reverse",
                    format!("column '{c}' needs a declared scale to be reversed"),
                ));
            }
        }
        let decimal_comma = opts.decimal_comma.unwrap_or(false);
        Ok(SqlMoments {
            shift: scales
                .iter()
                .map(|s| s.map_or(0.0, |s| (s.min + s.max) / 2.0))
                .collect(),
            policy,
            weight: opts.weights.clone(),
            reverse,
            codes: crate::data::code_values(opts, decimal_comma),
            scales,
            columns,
            group_by: None,
        })
    }

    /// The value a column is centred at before summing (default: its declared scale's
    /// midpoint, else 0). Choose a value near the column's mean for columns far from 0.
    ///
    /// # Errors
    /// [`Error::UnknownColumn`]; [`Error::InvalidArgument`] for a value that is not finite.
    pub fn shift(mut self, column: &str, value: f64) -> Result<SqlMoments> {
        let k = self.index(column)?;
        if !value.is_finite() {
            return Err(Error::invalid("shift", format!("{value} is not finite")));
        }
        self.shift[k] = value;
        Ok(self)
    }

    /// One result row per value of `column` (segments, waves, partitions).
    #[must_use]
    pub fn group_by(mut self, column: &str) -> SqlMoments {
        self.group_by = Some(column.to_string());
        self
    }

    fn index(&self, column: &str) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c == column)
            .ok_or_else(|| Error::UnknownColumn {
                name: column.to_string(),
                suggestion: crate::data::closest(column, self.columns.iter().map(|s| s.as_str())),
                available: String::new(),
            })
    }

    /// The query over `table` (written into the text as given: quote or qualify it yourself).
    /// Result columns: `n_rows`, `n_used`, `sum_w`, `sum_w2`, `bad_w` (with weights), and per
    /// column k (0-based, in the order given) `miss_k`, `min_k`, `max_k`, `s_k`, and `q_a_b`
    /// for a ≤ b; `grp` first when grouped.
    pub fn query(&self, table: &str, dialect: SqlDialect) -> String {
        let quote = |name: &str| match dialect {
            SqlDialect::Standard => format!("\"{}\"", name.replace('"', "\"\"")),
            SqlDialect::Spark => format!("`{}`", name.replace('`', "``")),
        };
        let num = |x: f64| {
            if x < 0.0 {
                format!("({x})")
            } else {
                format!("{x}")
            }
        };
        let value = |k: usize| {
            let mut v = quote(&self.columns[k]);
            for &c in &self.codes {
                v = format!("NULLIF({v}, {})", num(c));
            }
            if self.reverse[k] {
                if let Some(s) = self.scales[k] {
                    v = format!("({} - {v})", num(s.min + s.max));
                }
            }
            v
        };
        let values: Vec<String> = (0..self.columns.len()).map(value).collect();
        let centred: Vec<String> = values
            .iter()
            .zip(&self.shift)
            .map(|(v, &c)| {
                if c == 0.0 {
                    v.clone()
                } else {
                    format!("({v} - {})", num(c))
                }
            })
            .collect();
        let w = self.weight.as_ref().map(|(c, _)| quote(c));
        let mut complete: Vec<String> = values.iter().map(|v| format!("{v} IS NOT NULL")).collect();
        if let Some(w) = &w {
            complete.push(format!("{w} IS NOT NULL AND {w} >= 0"));
        }
        let complete = complete.join(" AND ");
        let when = |e: &str| format!("SUM(CASE WHEN {complete} THEN {e} ELSE 0 END)");
        let weighted = |e: &str| match &w {
            Some(w) => format!("{w} * {e}"),
            None => e.to_string(),
        };
        let mut items = vec!["COUNT(*) AS n_rows".to_string()];
        if let Some(g) = &self.group_by {
            items.insert(0, format!("{} AS grp", quote(g)));
        }
        items.push(format!("{} AS n_used", when("1")));
        items.push(format!("{} AS sum_w", when(w.as_deref().unwrap_or("1"))));
        items.push(format!(
            "{} AS sum_w2",
            when(&w.as_ref().map_or("1".to_string(), |w| format!("{w} * {w}")))
        ));
        if let Some(w) = &w {
            items.push(format!(
                "SUM(CASE WHEN {w} IS NULL OR {w} < 0 THEN 1 ELSE 0 END) AS bad_w"
            ));
        }
        for (k, v) in values.iter().enumerate() {
            items.push(format!("COUNT(*) - COUNT({v}) AS miss_{k}"));
            items.push(format!("MIN({v}) AS min_{k}"));
            items.push(format!("MAX({v}) AS max_{k}"));
        }
        for (k, y) in centred.iter().enumerate() {
            items.push(format!("{} AS s_{k}", when(&weighted(y))));
        }
        for b in 0..centred.len() {
            for a in 0..=b {
                let prod = format!("{} * {}", centred[a], centred[b]);
                items.push(format!("{} AS q_{a}_{b}", when(&weighted(&prod))));
            }
        }
        let mut sql = format!("SELECT {} FROM {table}", items.join(", "));
        if let Some(g) = &self.group_by {
            sql.push_str(&format!(" GROUP BY {}", quote(g)));
        }
        sql
    }

    /// The moments from one result row of [`SqlMoments::query`] (a JSON object of the result
    /// columns: numbers, numeric strings such as decimals, or null).
    ///
    /// # Errors
    /// [`Error::Sql`] for a missing or non-numeric result column; [`Error::NoRows`];
    /// [`Error::AllMissing`]; [`Error::BadWeight`] for rows with a missing or negative weight;
    /// [`Error::InvalidAnswer`] (no line) for answers outside a declared scale;
    /// [`Error::NonFinite`] for a sum that is not finite.
    pub fn read(&self, row: &Map<String, Value>) -> Result<Moments> {
        let get = |name: &str| -> Result<Option<f64>> {
            match row.get(name) {
                None => Err(Error::Sql {
                    message: format!("the result has no column '{name}'"),
                }),
                Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => Ok(n.as_f64()),
                Some(Value::String(s)) => {
                    s.trim().parse::<f64>().map(Some).map_err(|_| Error::Sql {
                        message: format!("result column '{name}' is '{s}', not a number"),
                    })
                }
                Some(other) => Err(Error::Sql {
                    message: format!("result column '{name}' is {other}, not a number"),
                }),
            }
        };
        let need = |name: &str| get(name).map(|v| v.unwrap_or(0.0));
        let p = self.columns.len();
        let n_rows = need("n_rows")?;
        if !(n_rows >= 1.0) {
            return Err(Error::NoRows);
        }
        let n_used = need("n_used")?;
        let (w, w2) = (need("sum_w")?, need("sum_w2")?);
        if let Some((col, _)) = &self.weight {
            let bad = need("bad_w")?;
            if bad > 0.0 {
                return Err(Error::BadWeight {
                    row: 0,
                    column: col.clone(),
                    message: format!("{bad} rows with a missing or negative weight"),
                });
            }
        }
        let kind = self.weight.as_ref().map_or(WeightKind::Frequency, |w| w.1);
        let mut m = Moments::new(&self.columns, self.policy)?.weight_kind(kind);
        m.set_weight_column(self.weight.as_ref().map(|w| w.0.as_str()));
        let mut missing = Vec::with_capacity(p);
        let (mut lo, mut hi) = (Vec::with_capacity(p), Vec::with_capacity(p));
        for k in 0..p {
            missing.push(need(&format!("miss_{k}"))?.max(0.0) as u64);
            match (get(&format!("min_{k}"))?, get(&format!("max_{k}"))?) {
                (Some(a), Some(b)) => {
                    lo.push(a);
                    hi.push(b);
                }
                _ => {
                    return Err(Error::AllMissing {
                        column: self.columns[k].clone(),
                    })
                }
            }
            if let Some(sc) = self.scales[k] {
                m.set_scale(&self.columns[k], sc.min, sc.max)?;
                for x in [lo[k], hi[k]] {
                    if x < sc.min || x > sc.max {
                        return Err(Error::InvalidAnswer {
                            line: 0,
                            column: self.columns[k].clone(),
                            value: x.to_string(),
                            expected: format!(
                                "declared scale {}..{} (found by the SQL aggregate, which does not say which row)",
                                sc.min, sc.max
                            ),
                        });
                    }
                }
            }
        }
        let mut sum = Vec::with_capacity(p);
        for k in 0..p {
            sum.push(need(&format!("s_{k}"))?);
        }
        let mut cross = DMatrix::<f64>::zeros(p, p);
        for b in 0..p {
            for a in 0..=b {
                let q = need(&format!("q_{a}_{b}"))?;
                cross[(a, b)] = q;
                cross[(b, a)] = q;
            }
        }
        let values = [n_used, w, w2]
            .into_iter()
            .chain(sum.iter().copied())
            .chain(cross.iter().copied());
        if values.clone().any(|x| !x.is_finite()) {
            let k = sum.iter().position(|x| !x.is_finite()).unwrap_or(0);
            return Err(Error::NonFinite {
                row: 0,
                column: self.columns[k].clone(),
            });
        }
        for k in 0..p {
            m.set_observed_range(k, lo[k], hi[k]);
        }
        let mut out = Moments::from_centered_sums(
            &m,
            n_used.max(0.0) as u64,
            w,
            w2,
            &self.shift,
            &sum,
            &cross,
        );
        out.set_counts(n_rows as u64, missing);
        Ok(out)
    }

    /// Reads one result row saved as JSON (a JSON object, an array holding one object, or
    /// JSON lines such as Spark's `df.toJSON`, of which the first is taken) and reads the
    /// moments from it.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file; [`Error::Sql`] naming it for text that is not one JSON
    /// object; the errors of [`SqlMoments::read`].
    pub fn read_file(&self, path: impl AsRef<std::path::Path>) -> Result<Moments> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: name.clone(),
            source: e,
        })?;
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let v: Value = serde_json::from_str(&text)
            .or_else(|_| serde_json::from_str(first))
            .map_err(|e| Error::Sql {
                message: format!("{name}: {e}"),
            })?;
        let v = match v {
            Value::Array(mut a) if a.len() == 1 => a.remove(0),
            v => v,
        };
        match v {
            Value::Object(o) => self.read(&o),
            _ => Err(Error::Sql {
                message: format!("{name}: not one JSON object (one result row)"),
            }),
        }
    }

    /// Runs [`SqlMoments::query`] on Apache DataFusion over a Parquet file or directory: the
    /// crate's `datafusion` feature; without it, [`Error::Sql`] says so.
    ///
    /// # Errors
    /// As `SqlMoments::run_datafusion`.
    pub fn run_engine(&self, path: impl AsRef<std::path::Path>) -> Result<Moments> {
        #[cfg(feature = "datafusion")]
        {
            self.run_datafusion(path)
        }
        #[cfg(not(feature = "datafusion"))]
        {
            let _ = path;
            Err(Error::Sql {
                message: "this build has no DataFusion engine: build csindex with the `datafusion` feature".into(),
            })
        }
    }

    /// The moments of each group of a grouped query's result rows, keyed by the group's
    /// value as text (null as the empty text), in the order of the rows.
    ///
    /// # Errors
    /// As [`SqlMoments::read`], for each row.
    pub fn read_groups(&self, rows: &[Map<String, Value>]) -> Result<Vec<(String, Moments)>> {
        rows.iter()
            .map(|r| {
                let g = match r.get("grp") {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                };
                Ok((g, self.read(r)?))
            })
            .collect()
    }
}
