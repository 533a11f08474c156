//! Synthetic surveys from a known population model, for examples, tests and benchmarks.
//!
//! Latent variables are standardised. Exogenous constructs are independent standard normals
//! (or correlated as declared); each endogenous construct is `Σ β_ij η_i + ζ_j` with the
//! disturbance variance chosen so that `var(η_j) = 1`; each item is `λ η + ε` with
//! `var(ε) = 1 − λ²`. Items can be kept continuous or mapped to an answer scale
//! (`mid + spread · x`, rounded and clipped).
//!
//! ```
//! use csindex::{simulate::Simulation, Model, Pls};
//! let model = Model::acsi();
//! let survey = Simulation::new(&model)
//!     .path("QUAL", "SAT", 0.5).unwrap()
//!     .seed(1)
//!     .generate(500)
//!     .unwrap();
//! let fit = Pls::new().fit(&model, &survey).unwrap();
//! assert!(fit.path("QUAL", "SAT").unwrap() > 0.3);
//! ```

use crate::data::{Layout, Survey};
use crate::error::{Error, Result};
use crate::model::Model;
use nalgebra::DMatrix;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// A population model to draw surveys from. Consuming builder.
#[derive(Debug, Clone)]
#[must_use]
pub struct Simulation {
    model: Model,
    /// beta[(i, j)] = path i → j.
    beta: DMatrix<f64>,
    /// Correlations among exogenous constructs.
    phi: DMatrix<f64>,
    loadings: Vec<f64>,
    scale: Option<(f64, f64)>,
    seed: u64,
}

/// A standard normal draw (Box–Muller on two uniform (0,1] numbers).
pub(crate) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
    let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

impl Simulation {
    /// Every path 0.3 and every loading 0.8 until set otherwise; continuous items; seed 0.
    pub fn new(model: &Model) -> Simulation {
        let jn = model.constructs().len();
        let mut beta = DMatrix::zeros(jn, jn);
        for &(a, b) in model.paths() {
            beta[(a, b)] = 0.3;
        }
        Simulation {
            model: model.clone(),
            beta,
            phi: DMatrix::identity(jn, jn),
            loadings: vec![0.8; model.indicators().len()],
            scale: None,
            seed: 0,
        }
    }
    /// Sets the standardised path `from → to` (the model must have it).
    pub fn path(mut self, from: &str, to: &str, beta: f64) -> Result<Simulation> {
        let (a, b) = (
            self.model.construct_index(from)?,
            self.model.construct_index(to)?,
        );
        if !self.model.paths().contains(&(a, b)) {
            return Err(Error::invalid(
                "path",
                format!("the model has no path {from} -> {to}"),
            ));
        }
        self.beta[(a, b)] = beta;
        Ok(self)
    }
    /// Sets the loading of an indicator (|λ| ≤ 1).
    pub fn loading(mut self, indicator: &str, lambda: f64) -> Result<Simulation> {
        if !(lambda.abs() <= 1.0) {
            return Err(Error::invalid(
                "loading",
                format!("{lambda} (need |λ| ≤ 1)"),
            ));
        }
        let k = self
            .model
            .indicators()
            .iter()
            .position(|n| n == indicator)
            .ok_or_else(|| Error::UnknownColumn {
                name: indicator.to_string(),
                suggestion: None,
                available: String::new(),
            })?;
        self.loadings[k] = lambda;
        Ok(self)
    }
    /// Sets the correlation of two exogenous constructs.
    pub fn exogenous_correlation(mut self, a: &str, b: &str, r: f64) -> Result<Simulation> {
        let (i, j) = (
            self.model.construct_index(a)?,
            self.model.construct_index(b)?,
        );
        if self.model.is_endogenous(i) || self.model.is_endogenous(j) || !(r.abs() < 1.0) {
            return Err(Error::invalid(
                "exogenous_correlation",
                "two exogenous constructs and |r| < 1",
            ));
        }
        self.phi[(i, j)] = r;
        self.phi[(j, i)] = r;
        Ok(self)
    }
    /// Maps items to an answer scale `min..max` (integers), centred with sd = range/6.
    pub fn likert(mut self, min: f64, max: f64) -> Simulation {
        self.scale = Some((min, max));
        self
    }
    /// Random seed.
    pub fn seed(mut self, seed: u64) -> Simulation {
        self.seed = seed;
        self
    }

    /// Population construct correlation matrix implied by the paths.
    pub fn construct_correlations(&self) -> Result<DMatrix<f64>> {
        let order = topo_order(&self.model);
        let mut r = self.phi.clone();
        for &j in &order {
            let preds = self.model.predecessors(j);
            if preds.is_empty() {
                continue;
            }
            for &k in &order {
                if k == j {
                    break;
                }
                let v: f64 = preds.iter().map(|&i| self.beta[(i, j)] * r[(i, k)]).sum();
                r[(j, k)] = v;
                r[(k, j)] = v;
            }
            let explained: f64 = preds
                .iter()
                .flat_map(|&a| preds.iter().map(move |&b| (a, b)))
                .map(|(a, b)| self.beta[(a, j)] * self.beta[(b, j)] * r[(a, b)])
                .sum();
            if !(explained < 1.0) {
                return Err(Error::invalid(
                    "path",
                    format!(
                        "paths into '{}' explain {explained} ≥ 1 of its variance",
                        self.model.constructs()[j].name
                    ),
                ));
            }
            r[(j, j)] = 1.0;
        }
        Ok(r)
    }

    /// Draws `n` respondents.
    pub fn generate(&self, n: usize) -> Result<Survey> {
        if n < 2 {
            return Err(Error::TooFewRows {
                needed: 2,
                found: n,
                reason: "a survey needs two rows".into(),
            });
        }
        let r = self.construct_correlations()?;
        let jn = self.model.constructs().len();
        let order = topo_order(&self.model);
        let exo: Vec<usize> = (0..jn).filter(|&j| !self.model.is_endogenous(j)).collect();
        let phi_exo = DMatrix::from_fn(exo.len(), exo.len(), |a, b| self.phi[(exo[a], exo[b])]);
        let l = crate::linalg::cholesky(&phi_exo)
            .ok_or_else(|| Error::invalid("exogenous_correlation", "not positive definite"))?;
        let disturbance: Vec<f64> = (0..jn)
            .map(|j| {
                let preds = self.model.predecessors(j);
                let explained: f64 = preds
                    .iter()
                    .flat_map(|&a| preds.iter().map(move |&b| (a, b)))
                    .map(|(a, b)| self.beta[(a, j)] * self.beta[(b, j)] * r[(a, b)])
                    .sum();
                (1.0 - explained).max(0.0).sqrt()
            })
            .collect();
        let names = self.model.indicators();
        let p = names.len();
        let owner: Vec<usize> = self
            .model
            .constructs()
            .iter()
            .enumerate()
            .flat_map(|(j, c)| std::iter::repeat_n(j, c.indicators.len()))
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut data = vec![0.0; n * p];
        let mut eta = vec![0.0; jn];
        let mut u = vec![0.0; exo.len()];
        for i in 0..n {
            for x in u.iter_mut() {
                *x = normal(&mut rng);
            }
            for (a, &j) in exo.iter().enumerate() {
                eta[j] = (0..=a).map(|b| l[(a, b)] * u[b]).sum();
            }
            for &j in &order {
                if self.model.is_endogenous(j) {
                    let mut v = disturbance[j] * normal(&mut rng);
                    for i2 in self.model.predecessors(j) {
                        v += self.beta[(i2, j)] * eta[i2];
                    }
                    eta[j] = v;
                }
            }
            for k in 0..p {
                let lam = self.loadings[k];
                let x = lam * eta[owner[k]] + (1.0 - lam * lam).sqrt() * normal(&mut rng);
                data[i * p + k] = match self.scale {
                    None => x,
                    Some((lo, hi)) => {
                        let mid = 0.5 * (lo + hi);
                        let spread = (hi - lo) / 6.0;
                        (mid + spread * x).round().clamp(lo, hi)
                    }
                };
            }
        }
        let refs: Vec<&str> = names.iter().map(|s| s.as_str()).collect();
        let mut s = Survey::from_slice(&refs, &data, n, Layout::RowMajor)?;
        if let Some((lo, hi)) = self.scale {
            s.set_scale("*", lo, hi)?;
        }
        Ok(s)
    }
}

/// Constructs in an order where every predecessor comes first (the model is acyclic).
pub(crate) fn topo_order(model: &Model) -> Vec<usize> {
    crate::model::graph::Graph::new(model.constructs().len(), model.paths())
        .order()
        .to_vec()
}
