//! One answer scale for a survey's rating items, inferred when none is declared, and answers
//! that cannot be on it.
//!
//! Rating items of one survey share a scale (1..10 for the ACSI, 1..5 or 1..7 elsewhere), but
//! an item's observed answers need not span it: an item whose answers happen to start at 2
//! would get a 2..10 scale of its own, and its 0-100 score would be too low.
//! [`Survey::infer_common_scale`] therefore gives every rating item the range of all of them
//! together, except 0/1 items (a complaint), which keep 0..1.
//!
//! Answer codes far from that range are almost always undeclared missing-data codes (99 or
//! 999 for "don't know", −9 for "refused"); taking them as answers gives a wrong index with no
//! warning. With integer answers, the scale is the run of answer values around the median
//! answer in which consecutive values are at most 2 apart; a value outside that run is an
//! [`Error::OutOfScale`] naming the column, its lines and the likely cause.

use super::{ColumnData, Scale, Survey};
use crate::error::{Error, Result};

/// Answers as large as this are never on a rating scale (an overflow, or 1e308 as a code).
const FAR: f64 = 1e12;

impl Survey {
    /// Declares one answer scale for the named rating items whose scale is not declared (see
    /// the module documentation): 0..1 for the items answered 0 and 1 only, and for the others
    /// the range of all their answers. Returns the scale given to the non-binary items
    /// (`None` when there is none) and adds a note saying what was inferred.
    ///
    /// ```
    /// use csindex::{Layout, Survey};
    /// // a2 happens to have no 1: it still gets the common 1..5.
    /// let mut s = Survey::from_slice(&["a1", "a2", "c"], &[1., 3., 0., 5., 2., 1., 3., 4., 1.], 3, Layout::RowMajor)?;
    /// let sc = s.infer_common_scale(&["a1", "a2", "c"])?.unwrap();
    /// assert_eq!((sc.min, sc.max), (1.0, 5.0));
    /// assert_eq!(s.declared_scale("a2")?.unwrap().min, 1.0);
    /// assert_eq!(s.declared_scale("c")?.unwrap().max, 1.0);
    /// # Ok::<(), csindex::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownColumn`], [`Error::TextColumn`] / [`Error::NonNumeric`] for an item that
    /// is not numeric; [`Error::OutOfScale`] for answers far outside the others' range.
    pub fn infer_common_scale<S: AsRef<str>>(&mut self, items: &[S]) -> Result<Option<Scale>> {
        let mut binary = Vec::new();
        let mut rating: Vec<usize> = Vec::new();
        for it in items {
            let j = self.col_index(it.as_ref())?;
            if self.columns[j].scale.is_some() || rating.contains(&j) || binary.contains(&j) {
                continue;
            }
            let ColumnData::Numeric(v) = &self.columns[j].data else {
                return Err(self.not_numeric(j, "a rating item"));
            };
            if let Some((i, x)) = v
                .iter()
                .enumerate()
                .find(|(_, x)| !x.is_nan() && !(x.abs() < FAR))
            {
                return Err(Error::OutOfScale {
                    column: self.columns[j].name.clone(),
                    lines: self.lines[i].to_string(),
                    value: x.to_string(),
                    scale: "any rating scale".into(),
                    code: x.to_string(),
                });
            }
            // A 0/1 item, possibly with missing codes (9, 99, −9: far from 0..1).
            let coded = |x: f64| !(0.0..9.0).contains(&x);
            if v.iter()
                .all(|x| x.is_nan() || *x == 0.0 || *x == 1.0 || coded(*x))
                && v.iter().any(|x| *x == 0.0 || *x == 1.0)
            {
                self.refuse_outside(j, 0.0, 1.0)?;
                binary.push(j);
            } else {
                rating.push(j);
            }
        }
        let mut values: Vec<f64> = rating
            .iter()
            .flat_map(|&j| match &self.columns[j].data {
                ColumnData::Numeric(v) => v.iter().copied().filter(|x| !x.is_nan()).collect(),
                ColumnData::Text { .. } => Vec::new(),
            })
            .collect();
        let common = if values.is_empty() {
            None
        } else {
            values.sort_by(f64::total_cmp);
            let (mut lo, mut hi) = (values[0], values[values.len() - 1]);
            if values.iter().all(|x| x.fract() == 0.0) {
                // The run of distinct answers around the median with gaps of at most 2.
                let mut distinct = values.clone();
                distinct.dedup();
                let median = values[values.len() / 2];
                let at = distinct.iter().position(|x| *x == median).unwrap_or(0);
                let (mut a, mut b) = (at, at);
                while a > 0 && distinct[a] - distinct[a - 1] <= 2.0 {
                    a -= 1;
                }
                while b + 1 < distinct.len() && distinct[b + 1] - distinct[b] <= 2.0 {
                    b += 1;
                }
                (lo, hi) = (distinct[a], distinct[b]);
                for &j in &rating {
                    self.refuse_outside(j, lo, hi)?;
                }
            }
            (lo < hi).then_some(Scale { min: lo, max: hi })
        };
        let mut said = Vec::new();
        if let Some(sc) = common {
            for &j in &rating {
                self.columns[j].scale = Some(sc);
            }
            said.push(format!(
                "answer scale {}..{} inferred for {} rating item{} (the range of all their answers)",
                sc.min,
                sc.max,
                rating.len(),
                if rating.len() == 1 { "" } else { "s" }
            ));
        }
        if !binary.is_empty() {
            for &j in &binary {
                self.columns[j].scale = Some(Scale { min: 0.0, max: 1.0 });
            }
            let names: Vec<&str> = binary
                .iter()
                .map(|&j| self.columns[j].name.as_str())
                .collect();
            said.push(format!(
                "0..1 for the 0/1 item{} {}",
                if names.len() == 1 { "" } else { "s" },
                names.join(", ")
            ));
        }
        if !said.is_empty() {
            self.notes.push(format!(
                "{}; declare the scale (--scale, LoadOptions::scale) to override",
                said.join("; ")
            ));
        }
        Ok(common)
    }

    /// [`Error::OutOfScale`] for answers of column `j` outside `lo..=hi`.
    fn refuse_outside(&self, j: usize, lo: f64, hi: f64) -> Result<()> {
        let ColumnData::Numeric(v) = &self.columns[j].data else {
            return Ok(());
        };
        let bad: Vec<usize> = (0..v.len())
            .filter(|&i| !v[i].is_nan() && (v[i] < lo || v[i] > hi))
            .collect();
        let Some(&first) = bad.first() else {
            return Ok(());
        };
        let mut codes: Vec<f64> = bad.iter().map(|&i| v[i]).collect();
        codes.sort_by(f64::total_cmp);
        codes.dedup();
        let mut lines: Vec<String> = bad
            .iter()
            .take(5)
            .map(|&i| self.lines[i].to_string())
            .collect();
        if bad.len() > 5 {
            lines.push(format!("... ({} rows)", bad.len()));
        }
        Err(Error::OutOfScale {
            column: self.columns[j].name.clone(),
            lines: lines.join(", "),
            value: v[first].to_string(),
            scale: format!("{lo}..{hi}, the answers of the other rating items"),
            code: codes
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" --missing-code "),
        })
    }
}
