//! Comparisons between groups of respondents: the index by segment, MICOM and multigroup path
//! comparisons (permutations and bootstraps through the one resampling engine).

pub mod segments;
pub mod waves;
