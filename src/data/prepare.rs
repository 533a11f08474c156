//! The model's columns after the missing-data policy, and the fused standardise-and-multiply
//! pass of construct scores.

use super::*;

impl Survey {
    /// The raw n_used × p matrix of the named columns after applying the missing-data policy.
    pub(crate) fn prepare(&self, names: &[String], policy: MissingPolicy) -> Result<Prepared> {
        let mut cols: Vec<&[f64]> = Vec::with_capacity(names.len());
        for name in names {
            let j = self.col_index(name)?;
            match &self.columns[j].data {
                ColumnData::Numeric(v) => cols.push(v),
                ColumnData::Text { .. } => return Err(self.not_numeric(j, "an indicator")),
            }
            self.check_scale(&self.columns[j])?;
        }
        let missing: Vec<(String, usize)> = names
            .iter()
            .zip(&cols)
            .map(|(n, c)| (n.clone(), c.iter().filter(|x| x.is_nan()).count()))
            .filter(|(_, k)| *k > 0)
            .collect();
        let n_missing_cells = missing.iter().map(|x| x.1).sum();
        for (n, c) in names.iter().zip(&cols) {
            if c.iter().all(|x| x.is_nan()) {
                return Err(Error::AllMissing { column: n.clone() });
            }
        }
        let p = names.len();
        let (rows, raw) = if missing.is_empty() {
            let rows: Vec<usize> = (0..self.n_rows).collect();
            let mut data = Vec::with_capacity(self.n_rows * p);
            for c in &cols {
                data.extend_from_slice(c);
            }
            (rows, DMatrix::from_vec(self.n_rows, p, data))
        } else {
            match policy {
                MissingPolicy::Fail => return Err(Error::MissingData { columns: missing }),
                MissingPolicy::Listwise => {
                    let rows: Vec<usize> = (0..self.n_rows)
                        .filter(|&i| cols.iter().all(|c| !c[i].is_nan()))
                        .collect();
                    let mut data = Vec::with_capacity(rows.len() * p);
                    for c in &cols {
                        data.extend(rows.iter().map(|&i| c[i]));
                    }
                    let m = rows.len();
                    (rows, DMatrix::from_vec(m, p, data))
                }
                MissingPolicy::Mean => {
                    let means: Vec<f64> = cols
                        .iter()
                        .map(|c| {
                            let (s, k) = c
                                .iter()
                                .filter(|x| !x.is_nan())
                                .fold((0.0, 0usize), |(s, k), x| (s + x, k + 1));
                            s / k as f64
                        })
                        .collect();
                    let rows: Vec<usize> = (0..self.n_rows).collect();
                    let raw = DMatrix::from_fn(self.n_rows, p, |i, j| {
                        let x = cols[j][i];
                        if x.is_nan() {
                            means[j]
                        } else {
                            x
                        }
                    });
                    (rows, raw)
                }
            }
        };
        let weights = self
            .weights
            .as_ref()
            .map(|w| rows.iter().map(|&i| w.values[i]).collect());
        Ok(Prepared {
            raw,
            rows,
            missing,
            n_missing_cells,
            weights,
        })
    }
}

/// The model's columns after the missing-data policy.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// n_used × p raw answers.
    pub raw: DMatrix<f64>,
    /// Survey row of each used row.
    pub rows: Vec<usize>,
    /// (column, missing cells) before the policy.
    pub missing: Vec<(String, usize)>,
    /// Total missing cells in model columns.
    pub n_missing_cells: usize,
    /// Weights of the used rows, for a weighted survey.
    pub weights: Option<Vec<f64>>,
}

/// `Z · w` for the standardised rows of `raw` (n × J), column by column of `w` over its
/// non-zero entries only: outer weights are block-diagonal, so a dense product would spend
/// most of its time on zeros. Each score column sums its items in item order, whatever the
/// number of threads (columns are computed in parallel only for large data).
pub(crate) fn standardized_times(
    raw: &DMatrix<f64>,
    means: &[f64],
    sds: &[f64],
    w: &DMatrix<f64>,
) -> DMatrix<f64> {
    use rayon::prelude::*;
    let (n, p) = raw.shape();
    let src = raw.as_slice();
    let mut out = DMatrix::<f64>::zeros(n, w.ncols());
    let column = |(j, dst): (usize, &mut [f64])| {
        for k in 0..p {
            let c = w[(k, j)];
            if c == 0.0 {
                continue;
            }
            // (x − m)/s·c as (x − m)·(c/s): one multiplication per cell instead of a division.
            let (m, f) = (means[k], c / sds[k]);
            for (d, x) in dst.iter_mut().zip(&src[k * n..(k + 1) * n]) {
                *d += (x - m) * f;
            }
        }
    };
    if n == 0 {
        return out;
    }
    if n * p >= 1 << 20 {
        out.as_mut_slice()
            .par_chunks_mut(n)
            .enumerate()
            .for_each(column);
    } else {
        out.as_mut_slice()
            .chunks_mut(n)
            .enumerate()
            .for_each(column);
    }
    out
}
