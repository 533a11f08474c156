//! Estimates a satisfaction-index model on a survey and prints the report.
//!
//! With no arguments: the ACSI model on the bundled data/acsi_sample.csv.
//!
//! ```text
//! cargo run --release --example csi -- [--data FILE] [--model FILE] [--delimiter ';']
//!     [--scheme centroid|factorial|path] [--missing listwise|mean] [--missing-code CODE]...
//!     [--scale MIN:MAX] [--scale COLUMN=MIN:MAX]... [--reverse COLUMN]... [--plsc]
//!     [--like seminr|csem|plspm]
//!     [--bootstrap N] [--seed S] [--threads T] [--ci percentile|bca|normal|t]
//!     [--sign-change none|individual|construct] [--resamples FILE]
//!     [--ipma TARGET] [--q2 D] [--segment COLUMN] [--levels] [--predict K]
//!     [--markdown] [--json OUT] [--svg DIR]
//! ```

use csindex::{
    bootstrap::Bootstrap, levels, report::Report, segments::Segments, svg, LoadOptions,
    MissingPolicy, Model, Pls, SignChange, Survey,
};
use std::time::Instant;

fn die(msg: &str) -> ! {
    eprintln!("csi: {msg}");
    std::process::exit(2)
}

fn parse_scale(s: &str) -> (String, f64, f64) {
    let (col, range) = match s.split_once('=') {
        Some((c, r)) => (c.to_string(), r),
        None => ("*".to_string(), s),
    };
    let (a, b) = range
        .split_once(':')
        .unwrap_or_else(|| die(&format!("--scale {s}: use MIN:MAX or COLUMN=MIN:MAX")));
    let a: f64 = a
        .trim()
        .parse()
        .unwrap_or_else(|_| die(&format!("--scale {s}: bad minimum")));
    let b: f64 = b
        .trim()
        .parse()
        .unwrap_or_else(|_| die(&format!("--scale {s}: bad maximum")));
    (col, a, b)
}

/// Everything the run computed, in the reference files' field names (fit summary and assessment
/// at the top level, in model order).
#[derive(serde::Serialize)]
struct JsonOut<'a> {
    #[serde(flatten)]
    summary: csindex::FitSummary,
    #[serde(flatten)]
    assessment: &'a csindex::Assessment,
    acsi_index: &'a [csindex::ConstructIndex],
    #[serde(skip_serializing_if = "Option::is_none")]
    ipma: Option<&'a csindex::Ipma>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bootstrap: Option<&'a csindex::BootResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    q2: Option<&'a Vec<csindex::Q2>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    levels: &'a [levels::ItemLevels],
    #[serde(skip_serializing_if = "Option::is_none")]
    segments: Option<&'a csindex::segments::SegmentResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    predict: Option<&'a csindex::predict::PredictResult>,
}

fn main() {
    if let Err(e) = run() {
        die(&e.to_string());
    }
}

fn run() -> csindex::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut data: Option<String> = None;
    let mut model_file: Option<String> = None;
    let mut opts = LoadOptions::new();
    let mut pls = Pls::new();
    let mut scales: Vec<(String, f64, f64)> = Vec::new();
    let mut boot_n = 0usize;
    let mut seed = 1u64;
    let mut threads: Option<usize> = None;
    let mut ci = csindex::report::CiMethod::Percentile;
    let mut sign = SignChange::None;
    let mut resamples: Option<String> = None;
    let mut ipma: Option<String> = None;
    let mut q2: Option<usize> = None;
    let mut segment: Option<String> = None;
    let mut show_levels = false;
    let mut predict_k: Option<usize> = None;
    let mut markdown = false;
    let mut json: Option<String> = None;
    let mut svg_dir: Option<String> = None;
    let mut i = 0;
    let val = |i: &mut usize| -> String {
        *i += 1;
        args.get(*i)
            .cloned()
            .unwrap_or_else(|| die(&format!("{} needs a value", args[*i - 1])))
    };
    while i < args.len() {
        match args[i].as_str() {
            "--data" => data = Some(val(&mut i)),
            "--model" => model_file = Some(val(&mut i)),
            "--delimiter" => {
                let d = val(&mut i);
                let b = match d.as_str() {
                    "tab" | "\\t" => b'\t',
                    s if s.len() == 1 => s.as_bytes()[0],
                    _ => die("--delimiter takes one character or 'tab'"),
                };
                opts = opts.delimiter(b);
            }
            "--scheme" => pls = pls.scheme(val(&mut i).parse()?),
            "--missing" => {
                pls = pls.missing(match val(&mut i).as_str() {
                    "listwise" => MissingPolicy::Listwise,
                    "mean" => MissingPolicy::Mean,
                    other => die(&format!("--missing {other}: use listwise or mean")),
                })
            }
            "--missing-code" => opts = opts.missing_code(&val(&mut i)),
            "--reverse" => opts = opts.reverse(&val(&mut i)),
            "--scale" => scales.push(parse_scale(&val(&mut i))),
            "--plsc" => pls = pls.consistent(true),
            "--like" => {
                pls = pls.like(match val(&mut i).as_str() {
                    "seminr" => csindex::Peer::Seminr,
                    "csem" => csindex::Peer::Csem,
                    "plspm" => csindex::Peer::Plspm,
                    other => die(&format!("--like {other}: use seminr, csem or plspm")),
                })
            }
            "--bootstrap" => {
                boot_n = val(&mut i)
                    .parse()
                    .unwrap_or_else(|_| die("--bootstrap takes a number"))
            }
            "--seed" => {
                seed = val(&mut i)
                    .parse()
                    .unwrap_or_else(|_| die("--seed takes a number"))
            }
            "--threads" => {
                threads = Some(
                    val(&mut i)
                        .parse()
                        .unwrap_or_else(|_| die("--threads takes a number")),
                )
            }
            "--ci" => ci = val(&mut i).parse()?,
            "--sign-change" => {
                sign = match val(&mut i).as_str() {
                    "none" => SignChange::None,
                    "individual" => SignChange::Individual,
                    "construct" => SignChange::ConstructLevel,
                    other => die(&format!(
                        "--sign-change {other}: use none, individual or construct"
                    )),
                }
            }
            "--resamples" => resamples = Some(val(&mut i)),
            "--ipma" => ipma = Some(val(&mut i)),
            "--q2" => {
                q2 = Some(
                    val(&mut i)
                        .parse()
                        .unwrap_or_else(|_| die("--q2 takes the omission distance")),
                )
            }
            "--segment" => segment = Some(val(&mut i)),
            "--levels" => show_levels = true,
            "--predict" => {
                predict_k = Some(
                    val(&mut i)
                        .parse()
                        .unwrap_or_else(|_| die("--predict takes the number of folds")),
                )
            }
            "--markdown" => markdown = true,
            "--json" => json = Some(val(&mut i)),
            "--svg" => svg_dir = Some(val(&mut i)),
            "-h" | "--help" => {
                println!(
                    "{}",
                    include_str!("csi.rs")
                        .lines()
                        .skip(4)
                        .take(9)
                        .map(|l| l.trim_start_matches("//! "))
                        .collect::<Vec<_>>()
                        .join("\n")
                );
                return Ok(());
            }
            other => die(&format!("unknown argument '{other}' (try --help)")),
        }
        i += 1;
    }
    // The bundled sample's scales are known: items 1..10, COMP1 0/1.
    let data = match data {
        Some(d) => d,
        None => {
            if scales.is_empty() {
                scales = vec![("*".into(), 1.0, 10.0), ("COMP1".into(), 0.0, 1.0)];
            }
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/acsi_sample.csv").to_string()
        }
    };
    for (c, a, b) in &scales {
        opts = opts.scale(c, *a, *b);
    }
    let model = match &model_file {
        Some(f) => Model::parse(&std::fs::read_to_string(f).map_err(|e| csindex::Error::Io {
            path: f.clone(),
            message: e.to_string(),
        })?)?,
        None => Model::acsi(),
    };
    let survey = Survey::from_csv_path(&data, &opts)?;
    let fit = pls.fit(&model, &survey)?;
    let boot = if boot_n > 0 || resamples.is_some() {
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
        Some(b.run(&fit)?)
    } else {
        None
    };
    let q2v = match q2 {
        Some(d) => Some(fit.blindfold(d)?),
        None => None,
    };
    let target = ipma.clone().unwrap_or_else(|| {
        let names = fit.construct_names();
        names
            .iter()
            .find(|n| n.as_str() == "SAT")
            .cloned()
            .unwrap_or_else(|| names[names.len() - 1].clone())
    });
    let mut report = Report::new(&fit)?
        .ci(ci)
        .ipma(&target)
        .title(&format!("csindex: {data}"));
    if let Some(b) = &boot {
        report = report.bootstrap(b);
    }
    if let Some(q) = &q2v {
        report = report.q2(q.clone());
    }
    println!(
        "{}",
        if markdown {
            report.to_markdown()
        } else {
            report.to_text()
        }
    );

    let predicted = match predict_k {
        Some(k) => {
            let p = csindex::predict::Predict::new()
                .folds(k)
                .repetitions(10)
                .seed(seed)
                .run(&fit)?;
            println!("{}", p.to_text());
            Some(p)
        }
        None => None,
    };
    let mut level_rows = Vec::new();
    if show_levels {
        println!("Satisfaction levels");
        for ind in fit.indicator_names() {
            let l = levels::describe(&survey, ind, 0.95)?;
            match l.rate {
                Some(r) => println!(
                    "  {ind:<10} rate {:.1}% [{:.1}, {:.1}] (Wilson), n {}",
                    r.rate * 100.0,
                    r.ci.lo * 100.0,
                    r.ci.hi * 100.0,
                    l.n
                ),
                None => {
                    println!(
                    "  {ind:<10} mean {:.2} [{:.2}, {:.2}]  top-2-box {}  bottom-2-box {}  n {}",
                    l.mean,
                    l.mean_ci.map(|c| c.lo).unwrap_or(l.mean),
                    l.mean_ci.map(|c| c.hi).unwrap_or(l.mean),
                    l.top2.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_else(|| "-".into()),
                    l.bottom2.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_else(|| "-".into()),
                    l.n
                )
                }
            }
            level_rows.push(l);
        }
        println!();
    }
    let seg = match &segment {
        Some(col) => {
            let r = Segments::new(col)
                .bootstrap(boot_n.min(1000))
                .permutations(999)
                .seed(seed)
                .run(&model, &survey, &pls)?;
            println!("Index by segment '{col}'");
            for g in &r.groups {
                for ix in &g.indices {
                    let ci = ix
                        .ci
                        .map(|c| format!(" [{:.2}, {:.2}]", c.lo, c.hi))
                        .unwrap_or_default();
                    println!(
                        "  {:<12} {:<6} {:6.2}{ci}  (n {})",
                        g.group, ix.construct, ix.index, g.n_used
                    );
                }
            }
            for m in &r.micom {
                println!(
                    "  MICOM {} vs {} {:<6} c {:.4} (p {:.3})  mean diff {:+.3} (p {:.3})  log var ratio {:+.3} (p {:.3})",
                    m.a, m.b, m.construct, m.compositional_c, m.compositional_p, m.mean_difference, m.mean_p, m.log_variance_ratio, m.variance_p
                );
            }
            for d in &r.path_differences {
                let o = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "-".into());
                println!(
                    "  {} vs {} path {:<10} {:+.3} vs {:+.3}: permutation p {}, Welch p {}, PLS-MGA p {}",
                    d.a, d.b, d.path, d.estimate_a, d.estimate_b, o(d.permutation_p), o(d.welch_p), o(d.pls_mga_p)
                );
            }
            for d in &r.differences {
                println!(
                    "  {} vs {} {:<6} difference {:+.2}  permutation p {:.3}",
                    d.a, d.b, d.construct, d.difference, d.p_value
                );
            }
            println!();
            Some(r)
        }
        None => None,
    };

    if let Some(out) = &json {
        let index = fit.indices(csindex::IndexMethod::Fornell).0;
        let ipma_map = fit.ipma(&target).ok();
        let doc = JsonOut {
            summary: fit.summary(),
            assessment: report.assessment(),
            acsi_index: &index,
            ipma: ipma_map.as_ref(),
            bootstrap: boot.as_ref(),
            q2: q2v.as_ref(),
            levels: &level_rows,
            segments: seg.as_ref(),
            predict: predicted.as_ref(),
        };
        let text = serde_json::to_string_pretty(&doc)?;
        std::fs::write(out, text).map_err(|e| csindex::Error::Io {
            path: out.clone(),
            message: e.to_string(),
        })?;
        eprintln!("wrote {out}");
    }
    if let Some(dir) = &svg_dir {
        std::fs::create_dir_all(dir).map_err(|e| csindex::Error::Io {
            path: dir.clone(),
            message: e.to_string(),
        })?;
        let write = |name: &str, text: String| -> csindex::Result<()> {
            let p = std::path::Path::new(dir).join(name);
            std::fs::write(&p, text).map_err(|e| csindex::Error::Io {
                path: p.display().to_string(),
                message: e.to_string(),
            })?;
            eprintln!("wrote {}", p.display());
            Ok(())
        };
        write("path_diagram.svg", svg::path_diagram(&fit, boot.as_ref()))?;
        if let Ok(m) = fit.ipma(&target) {
            write("ipma.svg", svg::ipma_map(&m))?;
        }
    }
    Ok(())
}
