//! The second streaming pass: construct scores of every row, written to a CSV file in file
//! order.

use super::feed::Feeder;
use super::{feed, Ctx, Plan, Stream, Track};
use crate::data::MissingPolicy;
use crate::error::{Error, Result};
use crate::moments::Moments;
use std::io::{Read, Write};
use std::path::Path;

pub(super) fn write<R: Read>(
    stream: &Stream,
    mut feeder: Feeder<R>,
    fit: &crate::Fit,
    path: &str,
    out_path: &Path,
) -> Result<u64> {
    let threads = stream.n_threads()?;
    let header = feeder.header(stream.opts.delimiter)?;
    let names = fit.indicator_names();
    let plan = Plan::new(&stream.opts, &header, names, stream.id.as_deref())?;
    let template = Moments::new(names, MissingPolicy::Listwise)?;
    let ctx = Ctx {
        opts: &stream.opts,
        plan: &plan,
        codes: crate::data::code_values(&stream.opts, plan.decimal_comma),
        delimiter: header.delimiter,
        template: &template,
        replicates: None,
    };
    let (means, sds) = (fit.item_means(), fit.item_sds());
    let w = fit.core().w_signed();
    let n_lv = w.ncols();
    let mean_policy = fit.moments().policy() == MissingPolicy::Mean;
    let io = |e: std::io::Error| Error::Io {
        path: out_path.display().to_string(),
        source: e,
    };
    // Atomic: a failure part-way (a bad line, a full disk) leaves no truncated scores file.
    let mut out = crate::output::AtomicFile::create(out_path)?;
    let mut head = String::from("line");
    if let Some(s) = plan.id {
        head.push(',');
        head.push_str(&csv_text(&plan.slots[s].name));
    }
    for lv in fit.construct_names() {
        head.push(',');
        head.push_str(&csv_text(lv));
    }
    head.push('\n');
    out.write_all(head.as_bytes()).map_err(io)?;
    let mut rows = 0u64;
    let work = |block: &feed::Block| -> (Vec<u8>, u64, Option<Error>) {
        let (parsed, _tracks, err): (_, Vec<Track>, _) = ctx.read(block, plan.id.is_some());
        let mut text = Vec::with_capacity(block.bytes.len());
        let mut z = vec![0.0; names.len()];
        for i in 0..parsed.lines.len() {
            let _ = write!(text, "{}", parsed.lines[i]);
            if plan.id.is_some() {
                let _ = write!(text, ",{}", csv_text(&parsed.ids[i]));
            }
            let mut complete = true;
            for (k, &s) in plan.model.iter().enumerate() {
                let x = parsed.values[s][i];
                z[k] = if x.is_nan() {
                    complete &= mean_policy;
                    0.0
                } else {
                    (x - means[k]) / sds[k]
                };
            }
            for j in 0..n_lv {
                if complete {
                    let s: f64 = (0..names.len()).map(|k| z[k] * w[(k, j)]).sum();
                    let _ = write!(text, ",{s}");
                } else {
                    text.push(b',');
                }
            }
            text.push(b'\n');
        }
        (text, parsed.lines.len() as u64, err)
    };
    feed::pipeline(&mut feeder, threads, work, |(text, n, err)| {
        if let Some(e) = err {
            return Err(e);
        }
        rows += n;
        out.write_all(&text).map_err(io)?;
        Ok(true)
    })?;
    let expected = fit.n_file() as u64;
    if rows != expected {
        return Err(Error::FileChanged {
            path: path.to_string(),
            message: format!("{rows} rows now, {expected} when the fit was estimated"),
        });
    }
    out.commit()?;
    Ok(rows)
}

/// A CSV field, quoted when it must be.
fn csv_text(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
