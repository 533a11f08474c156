//! Estimates a satisfaction-index model on a survey and prints the report.
//!
//! With no arguments: the ACSI model on the bundled data/acsi_sample.csv.
//!
//! ```text
//! cargo run --release --example csi -- [--data FILE] [--model FILE] [--delimiter ';']
//!     [--encoding gbk|utf-16le|...] [--sheet NAME] [--header-rows N] [--recode WORD=CODE,...]
//!     [--scheme centroid|factorial|path] [--missing listwise|mean] [--missing-code CODE]...
//!     [--scale MIN:MAX] [--scale COLUMN=MIN:MAX]... [--reverse COLUMN]... [--plsc]
//!     [--weights COLUMN] [--weight-kind sampling|frequency]
//!     [--like seminr|csem|plspm] [--tolerance T] [--max-iter N] [--stop-rule max|sum|plspm]
//!     [--bootstrap N] [--seed S] [--threads T] [--ci percentile|bca|normal|t]
//!     [--sign-change none|individual|construct] [--resamples FILE]
//!     [--ipma TARGET] [--q2 D] [--segment COLUMN] [--wave COLUMN] [--levels] [--predict K]
//!     [--markdown] [--json OUT] [--html OUT] [--svg DIR]
//!     [--stream] [--id COLUMN] [--scores FILE] [--save-moments FILE] [--from-moments A.json B.json ...]
//!     [--engine datafusion] [--sql TABLE] [--sql-dialect standard|spark] [--from-sql-row FILE]
//!     [--ordinal [COLUMN]]... [--interaction two-stage|product-indicator|orthogonal]
//!     [--hoc disjoint|csem-2stage|csem-mixed|repeated]
//!     [--max-record-bytes N] [--max-field-bytes N] [--max-columns N] [--max-cells N]
//! ```
//!
//! `--stream` reads the file in one pass into moments (any size, bounded memory; automatic for
//! files of 1 GiB or more): every moment-based result is printed, `--bootstrap N` runs the
//! one-pass Poisson bootstrap (rows keyed by `--id COLUMN`, else by line), and what needs the
//! rows in memory (`--q2`, `--levels`, `--segment`, `--predict`) is refused. `--scores FILE`
//! writes every row's construct scores in a second pass. `--save-moments FILE` writes the
//! moments (with the Poisson replicates) and stops; `--from-moments` merges saved moments of
//! any number of parts and fits them. `--engine datafusion` computes the moments by SQL on
//! Apache DataFusion over the Parquet file or directory `--data` (build with
//! `--features datafusion`); `--sql TABLE` prints that query for any engine (Spark:
//! `--sql-dialect spark`) and `--from-sql-row FILE` fits its one result row saved as JSON.
//!
//! The example only reads flags and prints: the analysis, its report and its JSON schema are
//! the library's (`csindex::analysis`).

use csindex::{
    analysis::Analysis, bootstrap::Bootstrap, predict::Predict, segments::Segments, stream::Stream,
    Model, Moments,
};
mod args;

use std::str::FromStr;
use std::time::Instant;

pub(crate) fn die(msg: &str) -> ! {
    eprintln!("csi: {msg}");
    std::process::exit(2)
}

pub(crate) fn num<T: FromStr>(flag: &str, v: &str) -> T {
    v.trim()
        .parse()
        .unwrap_or_else(|_| die(&format!("{flag} {v}: not a valid number")))
}

pub(crate) fn parse_scale(s: &str) -> (String, f64, f64) {
    let (col, range) = match s.split_once('=') {
        Some((c, r)) => (c.to_string(), r),
        None => ("*".to_string(), s),
    };
    let (a, b) = range
        .split_once(':')
        .unwrap_or_else(|| die(&format!("--scale {s}: use MIN:MAX or COLUMN=MIN:MAX")));
    (col, num("--scale", a), num("--scale", b))
}

/// Prints to standard output; a closed pipe (`csi | head`) drops the rest, files still follow.
fn print(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = writeln!(out, "{text}").and_then(|_| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            die(&format!("cannot write the report: {e}"));
        }
    }
}

fn write_file(path: &std::path::Path, text: &str) -> csindex::Result<()> {
    csindex::output::write_atomic(path, text.as_bytes())?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        die(&e.to_string());
    }
}

fn run() -> csindex::Result<()> {
    let args::Args {
        data,
        model_file,
        opts,
        pls,
        scales,
        boot_n,
        seed,
        threads,
        ci,
        sign,
        resamples,
        ipma,
        segment,
        wave,
        q2,
        predict_k,
        show_levels,
        markdown,
        json,
        html,
        svg_dir,
        missing,
        stream,
        id,
        scores,
        save_moments,
        from_moments,
        engine,
        sql_table,
        sql_row,
        dialect,
        ordinal,
    } = args::parse()?;
    // Outputs never replace an input (`--json survey.csv` by mistake) or each other.
    let svgs = [
        "path_diagram.svg",
        "ipma.svg",
        "ipma_indicators.svg",
        "trend.svg",
    ];
    let svg_files = svg_dir
        .iter()
        .flat_map(|d| svgs.map(|f| std::path::Path::new(d).join(f)));
    let outs: Vec<std::path::PathBuf> = [&json, &html, &scores, &save_moments]
        .into_iter()
        .flatten()
        .map(Into::into)
        .chain(svg_files)
        .collect();
    let ins = [
        Some(&data),
        model_file.as_ref(),
        resamples.as_ref(),
        sql_row.as_ref(),
    ];
    let ins: Vec<&String> = ins.into_iter().flatten().chain(&from_moments).collect();
    csindex::output::refuse_inputs(&outs, &ins)?;
    let model = match &model_file {
        Some(f) => Model::from_path(f)?,
        None => Model::acsi(),
    };
    let sql = csindex::sql::SqlMoments::new(&model.indicators(), &opts, missing);
    if let Some(table) = &sql_table {
        print(&sql?.query(table, dialect));
        return Ok(());
    }
    let by_sql = match (&engine, &sql_row) {
        (Some(e), _) if e != "datafusion" => {
            die(&format!("--engine {e}: the engine is datafusion"))
        }
        (Some(_), _) => Some(sql?.run_engine(&data)?),
        (None, Some(f)) => Some(sql?.read_file(f)?),
        (None, None) => None,
    };
    let streamed = stream
        || by_sql.is_some()
        || save_moments.is_some()
        || !from_moments.is_empty()
        || std::fs::metadata(&data).is_ok_and(|m| m.len() >= csindex::stream::AUTO_STREAM_BYTES);
    // IPMA of the named target, else of SAT (or the last endogenous construct).
    let target = ipma.or_else(|| model.default_ipma_target());
    let source = if from_moments.is_empty() {
        data.clone()
    } else {
        format!("moments of {}", from_moments.join(" + "))
    };
    let mut analysis = Analysis::new(pls)
        .ci(ci)
        .title(&format!("csindex: {source}"));
    if let Some(list) = &ordinal {
        // `--ordinal` alone: every indicator.
        let items = if list.is_empty() {
            model.indicators()
        } else {
            list.clone()
        };
        analysis = analysis.ordinal(&items);
    }
    if let Some(t) = &target {
        analysis = analysis.ipma(t);
    }
    if streamed && boot_n > 0 {
        analysis = analysis.bootstrap(Bootstrap::new(boot_n).seed(seed));
    } else if boot_n > 0 || resamples.is_some() {
        let line = csindex::render::progress::Progress::new("bootstrap");
        let mut b = Bootstrap::new(boot_n)
            .seed(seed)
            .sign_change(sign)
            .progress(move |done, total| line.update(done, total));
        if let Some(t) = threads {
            b = b.threads(t);
        }
        if let Some(f) = &resamples {
            b = b.resample_file(f)?;
        }
        analysis = analysis.bootstrap(b);
    }
    if let Some(d) = q2 {
        analysis = analysis.blindfold(d);
    }
    if show_levels {
        analysis = analysis.levels(0.95);
    }
    if let Some(k) = predict_k {
        analysis = analysis.predict(Predict::new().folds(k).repetitions(10).seed(seed));
    }
    if let Some(col) = &segment {
        analysis = analysis.segments(
            Segments::new(col)
                .bootstrap(boot_n.min(1000))
                .permutations(999)
                .seed(seed),
        );
    }
    if let Some(col) = &wave {
        let w = csindex::waves::Waves::new(col).bootstrap(boot_n.clamp(200, 1000));
        analysis = analysis.waves(w.permutations(999).seed(seed));
    }
    let mut reader = Stream::new(opts.clone()).missing(missing);
    if let Some(t) = threads {
        reader = reader.threads(t);
    }
    if let Some(c) = &id {
        reader = reader.id_column(c);
    }
    let result = if streamed {
        let moments = if let Some(m) = by_sql {
            m
        } else if from_moments.is_empty() {
            if boot_n > 0 {
                reader = reader.clone().poisson_bootstrap(boot_n, seed);
            }
            let started = Instant::now();
            let m = reader.moments_any(&data, &model.indicators())?;
            eprintln!(
                "streamed {} rows of {data} in {:.2} s",
                m.n_rows(),
                started.elapsed().as_secs_f64()
            );
            m
        } else {
            Moments::read_merged(&from_moments)?
        };
        if let Some(out) = &save_moments {
            write_file(std::path::Path::new(out), &moments.to_json()?)?;
            return Ok(());
        }
        analysis.run_moments(&model, &moments)?
    } else {
        let mut survey = csindex::stream::survey_any(&data, &opts)?;
        if scales.is_empty() {
            survey.infer_common_scale(&model.indicators())?;
        }
        for note in survey.notes() {
            eprintln!("csi: {note}");
        }
        analysis.run(&model, &survey)?
    };
    print(&if markdown {
        result.to_markdown()
    } else {
        result.to_text()
    });
    if let Some(out) = &scores {
        if !from_moments.is_empty() || csindex::stream::is_parquet(&data) || sql_row.is_some() {
            die("--scores makes a second pass over a CSV file (--data FILE.csv)");
        }
        let n = reader.write_scores(&data, result.fit(), out)?;
        eprintln!("wrote {out} ({n} rows of construct scores)");
    }
    if let Some(out) = &json {
        write_file(std::path::Path::new(out), &result.to_json()?)?;
    }
    if let Some(out) = &html {
        write_file(std::path::Path::new(out), &result.to_html())?;
    }
    if let Some(dir) = &svg_dir {
        std::fs::create_dir_all(dir).map_err(|e| csindex::Error::Io {
            path: dir.clone(),
            source: e,
        })?;
        let dir = std::path::Path::new(dir);
        write_file(&dir.join("path_diagram.svg"), &result.path_diagram_svg())?;
        if let Some(svg) = result.ipma_svg() {
            write_file(&dir.join("ipma.svg"), &svg)?;
        }
        if let Some(svg) = result.ipma_indicators_svg() {
            write_file(&dir.join("ipma_indicators.svg"), &svg)?;
        }
        if let Some(svg) = result.trend_svg() {
            write_file(&dir.join("trend.svg"), &svg)?;
        }
        for (key, svg) in result.simple_slopes_svg() {
            let file = format!(
                "simple_slopes_{}.svg",
                key.replace([':', '>'], "_").replace('-', "")
            );
            write_file(&dir.join(file), &svg)?;
        }
    }
    Ok(())
}
