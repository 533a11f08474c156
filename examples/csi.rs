//! Estimates a satisfaction-index model on a survey and prints the report.
//!
//! With no arguments: the ACSI model on the bundled data/acsi_sample.csv.
//!
//! ```text
//! cargo run --release --example csi -- [--data FILE] [--model FILE] [--delimiter ';']
//!     [--scheme centroid|factorial|path] [--missing listwise|mean] [--missing-code CODE]...
//!     [--scale MIN:MAX] [--scale COLUMN=MIN:MAX]... [--reverse COLUMN]... [--plsc]
//!     [--weights COLUMN] [--weight-kind sampling|frequency]
//!     [--like seminr|csem|plspm] [--tolerance T] [--max-iter N] [--stop-rule max|sum|plspm]
//!     [--bootstrap N] [--seed S] [--threads T] [--ci percentile|bca|normal|t]
//!     [--sign-change none|individual|construct] [--resamples FILE]
//!     [--ipma TARGET] [--q2 D] [--segment COLUMN] [--levels] [--predict K]
//!     [--markdown] [--json OUT] [--svg DIR]
//!     [--stream] [--id COLUMN] [--scores FILE] [--save-moments FILE] [--from-moments A.json B.json ...]
//!     [--engine datafusion] [--sql TABLE] [--sql-dialect standard|spark] [--from-sql-row FILE]
//!     [--ordinal [COLUMN]]... [--interaction two-stage|product-indicator|orthogonal]
//!     [--hoc disjoint|repeated]
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
    LoadOptions, MissingPolicy, Model, Moments, Pls, Survey, WeightKind,
};
use std::str::FromStr;
use std::time::Instant;

fn die(msg: &str) -> ! {
    eprintln!("csi: {msg}");
    std::process::exit(2)
}

fn num<T: FromStr>(flag: &str, v: &str) -> T {
    v.trim()
        .parse()
        .unwrap_or_else(|_| die(&format!("{flag} {v}: not a valid number")))
}

fn parse_scale(s: &str) -> (String, f64, f64) {
    let (col, range) = match s.split_once('=') {
        Some((c, r)) => (c.to_string(), r),
        None => ("*".to_string(), s),
    };
    let (a, b) = range
        .split_once(':')
        .unwrap_or_else(|| die(&format!("--scale {s}: use MIN:MAX or COLUMN=MIN:MAX")));
    (col, num("--scale", a), num("--scale", b))
}

fn write_file(path: &std::path::Path, text: &str) -> csindex::Result<()> {
    std::fs::write(path, text).map_err(|e| csindex::Error::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// One result row of the SQL moments query, saved as JSON: an object, an array holding one
/// object, or JSON lines (Spark's `df.toJSON`), of which the first is read.
fn read_sql_row(path: &str) -> csindex::Result<serde_json::Map<String, serde_json::Value>> {
    let text = std::fs::read_to_string(path).map_err(|e| csindex::Error::Io {
        path: path.to_string(),
        source: e,
    })?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let v: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(first))
        .map_err(|e| csindex::Error::Sql {
            message: format!("{path}: {e}"),
        })?;
    let v = match v {
        serde_json::Value::Array(mut a) if a.len() == 1 => a.remove(0),
        v => v,
    };
    match v {
        serde_json::Value::Object(o) => Ok(o),
        _ => Err(csindex::Error::Sql {
            message: format!("{path}: not one JSON object (one result row)"),
        }),
    }
}

#[cfg(feature = "datafusion")]
fn datafusion_moments(q: &csindex::sql::SqlMoments, path: &str) -> csindex::Result<Moments> {
    q.run_datafusion(path)
}

#[cfg(not(feature = "datafusion"))]
fn datafusion_moments(_: &csindex::sql::SqlMoments, _: &str) -> csindex::Result<Moments> {
    die("this build has no DataFusion engine: build with `--features datafusion`")
}

/// A Parquet file or a directory (of Parquet files).
fn is_parquet(path: &str) -> bool {
    path.ends_with(".parquet") || std::path::Path::new(path).is_dir()
}

#[cfg(feature = "parquet")]
fn parquet_moments(s: &Stream, path: &str, cols: &[String]) -> csindex::Result<Moments> {
    s.moments_parquet(path, cols)
}

#[cfg(feature = "parquet")]
fn parquet_survey(path: &str, opts: &LoadOptions) -> csindex::Result<Survey> {
    Survey::from_parquet(path, opts)
}

#[cfg(not(feature = "parquet"))]
fn parquet_moments(_: &Stream, _: &str, _: &[String]) -> csindex::Result<Moments> {
    die("this build reads no Parquet: build with `--features parquet`")
}

#[cfg(not(feature = "parquet"))]
fn parquet_survey(_: &str, _: &LoadOptions) -> csindex::Result<Survey> {
    die("this build reads no Parquet: build with `--features parquet`")
}

fn main() {
    if let Err(e) = run() {
        die(&e.to_string());
    }
}

fn run() -> csindex::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut data, mut model_file, mut weights) = (None::<String>, None::<String>, None::<String>);
    let mut weight_kind = WeightKind::Sampling;
    let mut opts = LoadOptions::new();
    let mut pls = Pls::new();
    let mut scales: Vec<(String, f64, f64)> = Vec::new();
    let (mut boot_n, mut seed, mut threads) = (0usize, 1u64, None::<usize>);
    let mut ci = csindex::report::CiMethod::Percentile;
    let mut sign = csindex::SignChange::None;
    let (mut resamples, mut ipma, mut segment) = (None::<String>, None::<String>, None::<String>);
    let (mut q2, mut predict_k) = (None::<usize>, None::<usize>);
    let (mut show_levels, mut markdown) = (false, false);
    let (mut json, mut svg_dir) = (None::<String>, None::<String>);
    let mut missing = MissingPolicy::Fail;
    let (mut stream, mut id, mut scores) = (false, None::<String>, None::<String>);
    let (mut save_moments, mut from_moments) = (None::<String>, Vec::<String>::new());
    let (mut engine, mut sql_table, mut sql_row) = (None::<String>, None::<String>, None::<String>);
    let mut dialect = csindex::sql::SqlDialect::Standard;
    let mut ordinal: Option<Vec<String>> = None;
    let mut i = 0;
    let val = |i: &mut usize| -> String {
        *i += 1;
        args.get(*i)
            .cloned()
            .unwrap_or_else(|| die(&format!("{} needs a value", args[*i - 1])))
    };
    while i < args.len() {
        let flag = args[i].clone();
        match flag.as_str() {
            "--data" => data = Some(val(&mut i)),
            "--model" => model_file = Some(val(&mut i)),
            "--delimiter" => {
                opts = opts.delimiter(match val(&mut i).as_str() {
                    "tab" | "\\t" => b'\t',
                    s if s.len() == 1 => s.as_bytes()[0],
                    _ => die("--delimiter takes one character or 'tab'"),
                })
            }
            "--scheme" => pls = pls.scheme(val(&mut i).parse()?),
            "--missing" => {
                missing = val(&mut i).parse()?;
                pls = pls.missing(missing);
            }
            "--missing-code" => opts = opts.missing_code(&val(&mut i)),
            "--reverse" => opts = opts.reverse(&val(&mut i)),
            "--scale" => scales.push(parse_scale(&val(&mut i))),
            "--weights" => weights = Some(val(&mut i)),
            "--weight-kind" => weight_kind = val(&mut i).parse()?,
            "--plsc" => pls = pls.consistent(true),
            "--interaction" => pls = pls.interaction(val(&mut i).parse()?),
            "--hoc" => pls = pls.higher_order(val(&mut i).parse()?),
            "--like" => pls = pls.like(val(&mut i).parse()?),
            "--tolerance" => pls = pls.tolerance(num(&flag, &val(&mut i))),
            "--max-iter" => pls = pls.max_iterations(num(&flag, &val(&mut i))),
            "--stop-rule" => pls = pls.stop_rule(val(&mut i).parse()?),
            "--bootstrap" => boot_n = num(&flag, &val(&mut i)),
            "--seed" => seed = num(&flag, &val(&mut i)),
            "--threads" => threads = Some(num(&flag, &val(&mut i))),
            "--ci" => ci = val(&mut i).parse()?,
            "--sign-change" => sign = val(&mut i).parse()?,
            "--resamples" => resamples = Some(val(&mut i)),
            "--ipma" => ipma = Some(val(&mut i)),
            "--q2" => q2 = Some(num(&flag, &val(&mut i))),
            "--segment" => segment = Some(val(&mut i)),
            "--levels" => show_levels = true,
            "--predict" => predict_k = Some(num(&flag, &val(&mut i))),
            "--markdown" => markdown = true,
            "--json" => json = Some(val(&mut i)),
            "--svg" => svg_dir = Some(val(&mut i)),
            "--stream" => stream = true,
            "--id" => id = Some(val(&mut i)),
            "--scores" => scores = Some(val(&mut i)),
            "--save-moments" => save_moments = Some(val(&mut i)),
            "--engine" => engine = Some(val(&mut i)),
            "--sql" => sql_table = Some(val(&mut i)),
            "--sql-dialect" => dialect = val(&mut i).parse()?,
            "--from-sql-row" => sql_row = Some(val(&mut i)),
            "--ordinal" => {
                let list = ordinal.get_or_insert_with(Vec::new);
                if args.get(i + 1).is_some_and(|a| !a.starts_with("--")) {
                    i += 1;
                    list.push(args[i].clone());
                }
            }
            "--from-moments" => {
                while args.get(i + 1).is_some_and(|a| !a.starts_with("--")) {
                    i += 1;
                    from_moments.push(args[i].clone());
                }
                if from_moments.is_empty() {
                    die("--from-moments needs one or more moments files");
                }
            }
            "-h" | "--help" => {
                let usage: Vec<&str> = include_str!("csi.rs")
                    .lines()
                    .skip(4)
                    .take(14)
                    .map(|l| l.trim_start_matches("//! "))
                    .collect();
                println!("{}", usage.join("\n"));
                return Ok(());
            }
            other => die(&format!("unknown argument '{other}' (try --help)")),
        }
        i += 1;
    }
    // The bundled sample's scales are known: items 1..10, COMP1 0/1.
    let data = data.unwrap_or_else(|| {
        if scales.is_empty() {
            scales = vec![("*".into(), 1.0, 10.0), ("COMP1".into(), 0.0, 1.0)];
        }
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_sample.csv").to_string()
    });
    for (c, a, b) in &scales {
        opts = opts.scale(c, *a, *b);
    }
    if let Some(w) = &weights {
        opts = opts.weights(w, weight_kind);
    }
    let model = match &model_file {
        Some(f) => Model::from_path(f)?,
        None => Model::acsi(),
    };
    let sql = csindex::sql::SqlMoments::new(&model.indicators(), &opts, missing);
    if let Some(table) = &sql_table {
        println!("{}", sql?.query(table, dialect));
        return Ok(());
    }
    let by_sql = match (&engine, &sql_row) {
        (Some(e), _) if e != "datafusion" => {
            die(&format!("--engine {e}: the engine is datafusion"))
        }
        (Some(_), _) => Some(datafusion_moments(&sql?, &data)?),
        (None, Some(f)) => Some(sql?.read(&read_sql_row(f)?)?),
        (None, None) => None,
    };
    let streamed = stream
        || by_sql.is_some()
        || save_moments.is_some()
        || !from_moments.is_empty()
        || std::fs::metadata(&data).is_ok_and(|m| m.len() >= csindex::stream::AUTO_STREAM_BYTES);
    // IPMA of the named target, else of SAT (or the last endogenous construct).
    let endogenous: Vec<&str> = (0..model.constructs().len())
        .filter(|&j| model.is_endogenous(j))
        .map(|j| model.constructs()[j].name.as_str())
        .collect();
    let target = ipma.or_else(|| {
        let sat = endogenous.iter().find(|n| **n == "SAT");
        sat.or(endogenous.last()).map(|s| s.to_string())
    });
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
        let started = Instant::now();
        let mut b = Bootstrap::new(boot_n)
            .seed(seed)
            .sign_change(sign)
            .progress(move |done, total| {
                if started.elapsed().as_secs_f64() > 1.0 {
                    eprint!("\rbootstrap {done}/{total}");
                    if done == total {
                        eprintln!();
                    }
                }
            });
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
            let m = if is_parquet(&data) {
                parquet_moments(&reader, &data, &model.indicators())?
            } else {
                reader.moments(&data, &model.indicators())?
            };
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
        let survey = if is_parquet(&data) {
            parquet_survey(&data, &opts)?
        } else {
            Survey::from_csv_path(&data, &opts)?
        };
        analysis.run(&model, &survey)?
    };
    println!(
        "{}",
        if markdown {
            result.to_markdown()
        } else {
            result.to_text()
        }
    );
    if let Some(out) = &scores {
        if !from_moments.is_empty() || is_parquet(&data) || sql_row.is_some() {
            die("--scores makes a second pass over a CSV file (--data FILE.csv)");
        }
        let n = reader.write_scores(&data, result.fit(), out)?;
        eprintln!("wrote {out} ({n} rows of construct scores)");
    }
    if let Some(out) = &json {
        write_file(std::path::Path::new(out), &result.to_json()?)?;
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
