//! # csindex — customer-satisfaction-index modeling
//!
//! PLS path modeling (Wold / Lohmöller) for the ACSI, ECSI and related satisfaction-index
//! models, with the numbers of R's seminr, cSEM and plspm (agreement to 1e-10 or better on every
//! reference fixture), in microseconds.
//!
//! Pipeline: [`Survey`] (data) → [`Moments`] (sufficient statistics) → [`Model`]
//! (specification) → [`Pls`] (estimation) → [`Fit`] (results) → [`Fit::assess`] (quality
//! criteria), [`Bootstrap`] (inference), [`Fit::index`] (0-100 index), [`Fit::ipma`]
//! (importance-performance map), [`Analysis`] (everything at once, with the JSON schema),
//! [`report::Report`] (text, Markdown), [`svg`] (figures). Beside them: [`kano`] and
//! [`servqual`].
//!
//! | module | what |
//! |---|---|
//! | [`data`] | loading surveys (CSV in any common encoding, Excel and ODS workbooks, SPSS `.sav` with the `spss` feature, memory), answer words, missing cells, answer scales, survey weights |
//! | [`moments`] | weighted means and co-moments: push, merge, mean replacement, JSON |
//! | [`stream`] | files of any size into moments in one pass (CSV; Parquet with the `parquet` feature), the one-pass Poisson bootstrap, the scores pass |
//! | [`sql`] | the moments as one SQL aggregate query, read back (run on DataFusion with the `datafusion` feature) |
//! | [`model`] | model syntax (`=~`, `<~`, `~`, higher-order blocks, `A:B` interaction terms), builder, ACSI/ECSI presets, validation |
//! | [`pls`] | the estimator: centroid/factorial/path schemes, Mode A/B, PLSc, sign rule; higher-order constructs, interaction terms; fits from surveys or moments |
//! | [`ordinal`] | polychoric and polyserial correlations for OrdPLS / OrdPLSc |
//! | [`assess`] | α, ρ_C, ρ_A, AVE, HTMT, Fornell–Larcker, f², VIF, GoF, SRMR, d_ULS, d_G, Q² |
//! | [`bootstrap`] | deterministic parallel bootstrap, percentile/BCa/normal/t intervals |
//! | [`index`], [`ipma`], [`segments`], [`waves`], [`levels`], [`aggregate`] | the 0-100 index and what practitioners do with it: maps, segments, waves, levels, company → industry → national indices |
//! | [`describe`] | descriptive statistics of items and construct scores |
//! | [`kano`], [`servqual`] | Kano classification, SERVQUAL/RATER gaps |
//! | [`analysis`] | one analysis and its result: text, Markdown and the JSON schema |
//! | [`report`], [`svg`] | output ([`render`]) |
//! | [`output`] | output files written atomically, never over an input |
//! | [`simulate`] | surveys from a known population model |
//!
//! Every failure is an [`Error`](enum@Error) naming the file, line, column, construct or
//! option; nothing panics on input, and no result is NaN. Inputs are bounded
//! ([`data::Limits`]: the longest record and field, the most columns), and every parser is
//! fuzzed with coverage guidance.
//!
//! ## Quick start
//! ```
//! use csindex::{LoadOptions, MissingPolicy, Model, Pls, Scheme, Survey};
//!
//! // A survey: header row, one column per item; scales declared for the 0-100 index.
//! let opts = LoadOptions::new().scale("*", 1.0, 10.0).scale("COMP1", 0.0, 1.0);
//! let survey = Survey::from_csv_path("data/acsi_sample.csv", &opts)?;
//!
//! // The ACSI model (or Model::parse("SAT =~ SAT1 + SAT2 ...")).
//! let model = Model::acsi();
//! let fit = Pls::new()
//!     .scheme(Scheme::Path)
//!     .missing(MissingPolicy::Listwise)
//!     .fit(&model, &survey)?;
//!
//! println!("QUAL -> SAT = {:.3}", fit.path("QUAL", "SAT")?);
//! println!("R2(SAT) = {:.3}", fit.r2("SAT")?);
//! assert!(fit.converged());
//! # Ok::<(), csindex::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// `!(x > 0.0)` is deliberate throughout: it also rejects NaN, which `x <= 0.0` would let through.
#![allow(clippy::neg_cmp_op_on_partial_ord)]
// Matrix code indexes several arrays with one loop variable; iterator chains would hide that.
#![allow(clippy::needless_range_loop)]

pub mod aggregate;
pub mod analysis;
pub mod assess;
pub mod data;
pub mod describe;
pub mod error;
mod groups;
pub mod index;
pub mod interval;
pub mod ipma;
pub mod kano;
pub mod levels;
mod linalg;
pub mod model;
pub mod moments;
mod options;
pub mod ordinal;
pub mod output;
pub mod pls;
pub mod predict;
pub mod render;
mod resample;
pub mod servqual;
pub mod simulate;
pub mod sql;
mod stats;
pub mod stream;

pub use analysis::{Analysis, AnalysisResult};
pub use assess::{
    Assessment, DimensionAssessment, HigherOrderAssessment, IndirectEffect, InfoCriteria, Q2,
};
pub use bootstrap::{
    BootMethod, BootResult, BootStat, Bootstrap, OnDegenerate, SeDivisor, SignChange, StatKind,
};
pub use data::{Layout, LoadOptions, MissingPolicy, Scale, ScaleSource, Survey};
pub use error::{Error, Result};
pub use groups::segments;
pub use groups::waves;
pub use index::{ConstructIndex, IndexMethod};
pub use interval::Interval;
pub use ipma::{Ipma, IpmaPoint};
pub use model::{Construct, Interaction, Mode, Model, ModelBuilder};
pub use moments::{Moments, WeightKind};
pub use pls::{
    Fit, FitSummary, HocMethod, InteractionMethod, Keyed, Named, Peer, Pls, Scheme, SignRule,
    SimpleSlopes, StopRule,
};
pub use render::{report, svg};
pub use resample::bootstrap;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
