//! Random streams: one generator per use and index, never shared.
//!
//! Each random draw comes from ChaCha8 keyed by the seed and a stream id
//! `family · 2³² + index`, so no two uses share a stream:
//!
//! | family | use | index |
//! |---|---|---|
//! | 0 | bootstrap resamples | replicate |
//! | 1 | permutations (segment tests, MICOM, MGA) | permutation |
//! | 2 | PLSpredict fold assignments | repetition |

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// What a random stream is used for (the family of its id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    /// Bootstrap resample `b`.
    Bootstrap(u64),
    /// Permutation `k`.
    Permutation(u64),
    /// PLSpredict repetition `r`.
    Folds(u64),
}

impl Stream {
    fn id(self) -> u64 {
        let (family, index) = match self {
            Stream::Bootstrap(i) => (0u64, i),
            Stream::Permutation(i) => (1, i),
            Stream::Folds(i) => (2, i),
        };
        (family << 32) | (index & 0xFFFF_FFFF)
    }
}

/// The generator of one stream.
pub(crate) fn rng(seed: u64, stream: Stream) -> ChaCha8Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(stream.id());
    r
}

/// Largest number of replicates of one kind (the index part of a stream id).
pub(crate) const MAX_REPLICATES: usize = u32::MAX as usize;

/// Lemire's unbiased integer in `0..n` (n ≥ 1).
pub(crate) fn lemire(rng: &mut ChaCha8Rng, n: u64) -> u64 {
    let mut m = (rng.next_u64() as u128) * (n as u128);
    let mut l = m as u64;
    if l < n {
        let t = n.wrapping_neg() % n;
        while l < t {
            m = (rng.next_u64() as u128) * (n as u128);
            l = m as u64;
        }
    }
    (m >> 64) as u64
}

/// Fisher–Yates shuffle with Lemire's sampler.
pub(crate) fn shuffle<T>(rng: &mut ChaCha8Rng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        v.swap(i, lemire(rng, i as u64 + 1) as usize);
    }
}

/// Bootstrap counts of `n` rows from one stream.
pub(crate) fn bootstrap_counts(seed: u64, b: usize, n: usize) -> Vec<f64> {
    let mut c = vec![0.0; n];
    let mut r = rng(seed, Stream::Bootstrap(b as u64));
    for _ in 0..n {
        c[lemire(&mut r, n as u64) as usize] += 1.0;
    }
    c
}
