//! The fuzz targets' bodies: one function per input csindex reads. Each must return on any
//! input (a typed error is fine); a panic, an abort, a hang or a property violated is a bug.
//!
//! This file is shared: the libFuzzer binaries in `fuzz/` call these functions, and
//! `tests/fuzz_regressions.rs` replays every input saved under `tests/fixtures/fuzz/<target>/`
//! through them in the ordinary test suite.

#![allow(dead_code)]

use csindex::kano::{KanoOptions, KanoSurvey};
use csindex::servqual::{Servqual, ServqualOptions};
use csindex::stream::Stream;
use csindex::{Bootstrap, Layout, LoadOptions, MissingPolicy, Model, Moments, Pls, Survey};
use std::io::Read;

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target, by name, for the regression replay.
pub const TARGETS: &[(&str, Target)] = &[
    ("survey_csv", survey_csv),
    ("survey_stream", survey_stream),
    ("stream_split", stream_split),
    ("kano_csv", kano_csv),
    ("servqual_csv", servqual_csv),
    ("model_text", model_text),
    ("model_json", model_json),
    ("moments_json", moments_json),
    ("resample_text", resample_text),
    ("excel", excel),
    ("spss", spss),
    ("ordinal", ordinal),
];

/// Load options chosen by one byte, so that the fuzzer reaches the options' code paths.
fn options(b: u8) -> LoadOptions {
    let mut o = LoadOptions::new();
    if b & 1 != 0 {
        o = o.delimiter(b';');
    }
    if b & 2 != 0 {
        o = o.missing_code("99");
    }
    if b & 4 != 0 {
        o = o.header_rows(2);
    }
    if b & 8 != 0 {
        o = o.scale("*", 1.0, 10.0);
    }
    if b & 16 != 0 {
        o = o.decimal_comma(true);
    }
    if b & 32 != 0 {
        o = o.encoding("gbk");
    }
    o
}

/// A small model over the first numeric columns of a survey (2 to 4 of them), when it has
/// enough; fitted under mean replacement so that the estimator sees the loaded numbers.
fn fit_first_columns(s: &Survey) {
    let cols: Vec<&str> = s
        .column_names()
        .into_iter()
        .filter(|c| !s.is_text(c))
        .take(4)
        .collect();
    let text = match cols.len() {
        0 | 1 => return,
        2 | 3 => format!("A =~ {}\nB =~ {}\nB ~ A", cols[0], cols[1]),
        _ => format!(
            "A =~ {} + {}\nB =~ {} + {}\nB ~ A",
            cols[0], cols[1], cols[2], cols[3]
        ),
    };
    if let Ok(model) = Model::parse(&text) {
        let _ = Pls::new()
            .missing(MissingPolicy::Mean)
            .max_iterations(50)
            .fit(&model, s);
    }
}

/// The in-memory CSV loader (first byte: options), then a fit on what it read.
pub fn survey_csv(data: &[u8]) {
    let Some((&b, rest)) = data.split_first() else {
        return;
    };
    if let Ok(mut s) = Survey::from_reader(rest, &options(b)) {
        let names: Vec<String> = s.column_names().into_iter().map(String::from).collect();
        let _ = s.infer_common_scale(&names);
        fit_first_columns(&s);
    }
}

/// The header's names, as the streamed loader is asked for them.
fn header_names(text: &[u8]) -> Vec<String> {
    let line = text.split(|&c| c == b'\n').next().unwrap_or_default();
    String::from_utf8_lossy(line)
        .split([',', ';'])
        .map(|s| s.trim().trim_matches('"').to_string())
        .filter(|s| !s.is_empty())
        .take(4)
        .collect()
}

/// The streamed CSV loader on any bytes (first byte: options, block size, threads, policy).
pub fn survey_stream(data: &[u8]) {
    let Some((&b, rest)) = data.split_first() else {
        return;
    };
    let names = header_names(rest);
    let policy = if b & 64 != 0 {
        MissingPolicy::Mean
    } else {
        MissingPolicy::Listwise
    };
    let st = Stream::new(options(b & 0x1f))
        .missing(policy)
        .block_bytes(4096)
        .threads(1 + usize::from(b >> 7));
    let _ = st.moments_from_reader(rest, &names);
}

/// A reader that hands out its bytes in the chunk sizes it is given, cycling through them.
struct Chunked<'a> {
    data: &'a [u8],
    at: usize,
    sizes: Vec<usize>,
    k: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes[self.k % self.sizes.len()];
        self.k += 1;
        let n = size.min(buf.len()).min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Streamed moments equal in-memory moments for any CSV split at any points: the fuzzer
/// writes a CSV body over a small alphabet (numbers, separators, quotes, CR/LF, missing
/// spellings), repeated to span several 4 KiB blocks, and chooses how the reader splits it.
/// Both loaders must agree: both fail with the same message, or both give the same moments.
pub fn stream_split(data: &[u8]) {
    if data.len() < 4 {
        return;
    }
    let (ctl, body) = data.split_at(4);
    const ALPHABET: &[u8] = b"0123456789,,,\n\n\r.-\" NA5e";
    let body: Vec<u8> = body
        .iter()
        .map(|&c| ALPHABET[usize::from(c) % ALPHABET.len()])
        .collect();
    let mut text = b"a,b,c\n".to_vec();
    // Up to 64 copies, but no more than about 16 KiB: four 4 KiB blocks already give three
    // block boundaries, and the chunk sizes below split the reads anywhere. (Each block builds
    // a CSV reader, which under coverage instrumentation is most of an execution's time.)
    let reps = (1 + usize::from(ctl[0] % 64)).min((16 * 1024 / (body.len() + 1)).max(1));
    for _ in 0..reps {
        text.extend_from_slice(&body);
        text.push(b'\n');
    }
    let sizes: Vec<usize> = vec![
        1 + usize::from(ctl[1]),
        1 + usize::from(ctl[2]) * 37,
        1 + usize::from(ctl[3]) * 13,
    ];
    let policy = if ctl[3] & 1 == 0 {
        MissingPolicy::Listwise
    } else {
        MissingPolicy::Mean
    };
    let names = ["a", "b", "c"];
    // In memory: load, the moments, and the check a fit makes first (a column with no
    // answer), which the stream makes at its end.
    // In the order a fit checks: text columns, a column with no answer, then the numbers.
    let memory = Survey::from_reader(text.as_slice(), &LoadOptions::new()).and_then(|s| {
        for c in names {
            if s.is_text(c) {
                Moments::from_survey(&s, &[c], policy)?;
            }
        }
        for c in names {
            if s.missing_count(c)? == s.n_rows() {
                return Err(csindex::Error::AllMissing { column: c.into() });
            }
        }
        Moments::from_survey(&s, &names, policy)
    });
    let reader = Chunked {
        data: &text,
        at: 0,
        sizes,
        k: 0,
    };
    let streamed = Stream::new(LoadOptions::new())
        .missing(policy)
        .block_bytes(4096)
        .threads(1 + usize::from(ctl[0] >> 7))
        .moments_from_reader(reader, &names);
    match (memory, streamed) {
        (Ok(m), Ok(s)) => {
            assert_eq!(m.n_rows(), s.n_rows(), "rows read");
            assert_eq!(m.n_used(), s.n_used(), "rows used");
            assert_eq!(m.missing_counts(), s.missing_counts(), "missing counts");
            // Means agree to 1e-9 of the values' scale, sqrt(E[x²]): with answers of ±8e68 and
            // one of 1e48, the 1e48 is below the rounding of any sum at 8e68, and whether it
            // survives depends on the order of accumulation (fuzz input means-at-the-rounding-of-8e68).
            let cov = m.covariance().ok();
            for (i, (a, b)) in m.means().iter().zip(s.means()).enumerate() {
                let spread = cov
                    .as_ref()
                    .map_or(0.0, |c| (c[(i, i)].abs() + a * a).sqrt());
                let scale = a.abs().max(b.abs()).max(spread);
                let ok = (a.is_nan() && b.is_nan())
                    || (a - b).abs() <= 1e-9 * (1.0 + scale)
                    || !scale.is_finite();
                assert!(ok, "means {a} vs {b} (scale {scale:e})");
            }
            // Co-moments agree to 1e-9 of the scale of the raw second moments,
            // sqrt(E[x²] E[y²]): merging blocks in another order cannot do better when the
            // covariance is small beside the squared means (values near 1e50 that differ
            // little), and that is the accuracy of any one-pass algorithm.
            if let (Ok(ca), Ok(cb)) = (m.covariance(), s.covariance()) {
                let means = m.means();
                let p = means.len();
                let raw = |i: usize| ca[(i, i)].abs() + means[i] * means[i];
                for i in 0..p {
                    for j in 0..p {
                        let (a, b) = (ca[(i, j)], cb[(i, j)]);
                        let scale = (raw(i) * raw(j)).sqrt();
                        let ok = (a.is_nan() && b.is_nan())
                            || (a - b).abs() <= 1e-9 * (1.0 + scale)
                            || !scale.is_finite();
                        assert!(ok, "covariance ({i},{j}) {a} vs {b} (scale {scale:e})");
                    }
                }
            }
        }
        // The same kind of error at the same place. (The wording of the role may differ:
        // moments of a survey's columns say "used as numbers", the stream "an indicator".)
        (Err(a), Err(b)) => {
            assert_eq!(
                std::mem::discriminant(&a),
                std::mem::discriminant(&b),
                "the same error: {a} / {b}"
            );
            // Answers beyond ±1e100 are no numbers to either loader (`data::MAX_ABS_ANSWER`),
            // so no moment here can overflow, whatever the order of accumulation: every error,
            // an overflow included, names the same place.
            assert_eq!(place(&a.to_string()), place(&b.to_string()), "{a} / {b}");
        }
        (Ok(_), Err(e)) => panic!("in memory read it, the stream failed: {e}"),
        (Err(e), Ok(_)) => panic!("the stream read it, in memory failed: {e}"),
    }
}

/// The line and column an error message names ("line 3", "column 'a'").
fn place(msg: &str) -> (Option<&str>, Option<&str>) {
    let after = |key: &str| {
        msg.find(key).map(|i| {
            let rest = &msg[i + key.len()..];
            let end = rest.find([',', ':', ' ']).unwrap_or(rest.len());
            &rest[..end]
        })
    };
    (after("line "), after("column "))
}

/// The Kano loader and classification.
pub fn kano_csv(data: &[u8]) {
    let Some((&b, rest)) = data.split_first() else {
        return;
    };
    let opts = KanoOptions::new().skip_invalid(b & 1 != 0);
    if let Ok(k) = KanoSurvey::from_reader(rest, &opts) {
        if let Ok(s) = k.analyze() {
            let _ = csindex::kano::report(&s);
            let _ = csindex::kano::scatter(&s);
        }
    }
}

/// The SERVQUAL loader and gap analysis.
pub fn servqual_csv(data: &[u8]) {
    let Some((&b, rest)) = data.split_first() else {
        return;
    };
    let opts = ServqualOptions::new().skip_invalid(b & 1 != 0);
    if let Ok(s) = Servqual::from_reader(rest, &opts) {
        let _ = s.report();
    }
}

/// A survey with a column for each of a model's items: numbers from a fixed generator,
/// correlated within blocks so that fits converge.
fn synthetic_survey(model: &Model) -> Option<Survey> {
    let items = model.indicators();
    if items.is_empty() || items.len() > 40 {
        return None;
    }
    let n = 30;
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut rows = vec![0.0; n * items.len()];
    for i in 0..n {
        let common = next();
        for j in 0..items.len() {
            rows[i * items.len() + j] = (1.0 + 4.0 * (0.7 * common + 0.3 * next())).round();
        }
    }
    let names: Vec<&str> = items.iter().map(String::as_str).collect();
    Survey::from_slice(&names, &rows, n, Layout::RowMajor).ok()
}

fn fit_synthetic(model: &Model) {
    if let Some(s) = synthetic_survey(model) {
        if let Ok(fit) = Pls::new().max_iterations(100).fit(model, &s) {
            let _ = fit.summary();
        }
    }
}

/// The model text parser, then a fit of what it accepted.
pub fn model_text(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(m) = Model::parse(text) {
            fit_synthetic(&m);
        }
    }
}

/// A model from JSON (validated as a parsed one is), then a fit of what it accepted.
pub fn model_json(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(m) = Model::from_json(text) {
            fit_synthetic(&m);
        }
    }
}

/// Moments from JSON, then what a user does with them: merge, correlations, a fit.
pub fn moments_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(m) = Moments::from_json(text) else {
        return;
    };
    let mut twice = m.clone();
    let _ = twice.merge(&m);
    let _ = m.correlation();
    let _ = m.to_json();
    let names = m.names().to_vec();
    if names.len() >= 2 {
        let text = format!("A =~ {}\nB =~ {}\nB ~ A", names[0], names[1]);
        if let Ok(model) = Model::parse(&text) {
            let _ = Pls::new()
                .missing(m.policy())
                .max_iterations(50)
                .fit_moments(&model, &m);
        }
    }
}

/// The resample file, then a bootstrap of a small fit with those resamples.
pub fn resample_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Each resample is a fit: bound the work per input.
    if text.lines().filter(|l| !l.trim().is_empty()).count() > 64 {
        return;
    }
    let Ok(boot) = Bootstrap::new(0).seed(1).threads(1).resample_text(text) else {
        return;
    };
    let Ok(model) = Model::parse("A =~ a1 + a2\nB =~ b1 + b2\nB ~ A") else {
        return;
    };
    let Some(s) = synthetic_survey(&model) else {
        return;
    };
    if let Ok(fit) = Pls::new().fit(&model, &s) {
        let _ = boot.run(&fit);
    }
}

/// The workbook readers (xlsx, xls, xlsb, ods) through calamine.
pub fn excel(data: &[u8]) {
    #[cfg(feature = "excel")]
    if let Ok(s) = Survey::from_excel_bytes(data, &LoadOptions::new()) {
        fit_first_columns(&s);
    }
}

/// The SPSS reader through ambers (a no-op without the `spss` feature).
pub fn spss(data: &[u8]) {
    #[cfg(not(feature = "spss"))]
    let _ = data;
    #[cfg(feature = "spss")]
    if let Ok(s) = Survey::from_sav_bytes(data, &LoadOptions::new()) {
        fit_first_columns(&s);
    }
}

/// OrdPLS and OrdPLSc on a small ordinal survey made from the bytes: the first byte gives the
/// number of items (2 to 4), categories (2 to 9) and whether rows are weighted, then each
/// row takes one byte per item (its answer, modulo the categories) and, when weighted, one
/// for its weight (0 to 3). The polychoric matrix must be finite, unit-diagonal, symmetric
/// and within ±1 whenever the fit succeeds.
pub fn ordinal(data: &[u8]) {
    let Some((&b, rest)) = data.split_first() else {
        return;
    };
    let p = 2 + usize::from(b & 3) % 3;
    let k = 2 + u32::from(b >> 2 & 7);
    let weighted = b & 0x80 != 0;
    let width = p + usize::from(weighted);
    let mut csv = String::new();
    let names: Vec<String> = (1..=p).map(|i| format!("X{i}")).collect();
    csv.push_str(&names.join(","));
    if weighted {
        csv.push_str(",W");
    }
    csv.push('\n');
    for row in rest.chunks_exact(width).take(400) {
        let cells: Vec<String> = row[..p]
            .iter()
            .map(|&v| (1 + u32::from(v) % k).to_string())
            .collect();
        csv.push_str(&cells.join(","));
        if weighted {
            csv.push_str(&format!(",{}", row[p] % 4));
        }
        csv.push('\n');
    }
    let mut opts = LoadOptions::new().scale("*", 1.0, f64::from(k));
    if weighted {
        opts = opts.weights("W", csindex::WeightKind::Sampling);
    }
    let Ok(survey) = Survey::from_reader(csv.as_bytes(), &opts) else {
        return;
    };
    let text = if p == 2 {
        "A =~ X1\nB =~ X2\nB ~ A".to_string()
    } else {
        format!("A =~ X1 + X2\nB =~ {}\nB ~ A", names[2..].join(" + "))
    };
    let Ok(model) = Model::parse(&text) else {
        return;
    };
    for plsc in [false, true] {
        let fit = Pls::new()
            .consistent(plsc)
            .max_iterations(50)
            .fit_ordinal(&model, &survey, &names);
        if let Ok(fit) = fit {
            let m = fit.indicator_correlations();
            for a in 0..m.nrows() {
                assert!(m[(a, a)] == 1.0, "diagonal {}", m[(a, a)]);
                for c in 0..m.ncols() {
                    let r = m[(a, c)];
                    assert!(r.is_finite() && r.abs() <= 1.0 && r == m[(c, a)], "{r}");
                }
            }
        }
    }
}
