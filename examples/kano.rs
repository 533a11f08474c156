//! Kano classification of the features of a survey.
//!
//! ```text
//! cargo run --release --example kano -- [--data FILE] [--three-point] [--margin 0.05]
//!     [--suffixes _functional,_dysfunctional,_importance] [--skip-invalid] [--weights COLUMN]
//!     [--json OUT] [--svg DIR]
//! ```
//! With no arguments: the bundled data/kano_300.csv.

use csindex::kano::{self, AnswerScale, KanoOptions, KanoSurvey};

fn die(msg: &str) -> ! {
    eprintln!("kano: {msg}");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut data = concat!(env!("CARGO_MANIFEST_DIR"), "/data/kano_300.csv").to_string();
    let mut opts = KanoOptions::new();
    let (mut json, mut svg) = (None, None);
    let val = |i: &mut usize| -> String {
        *i += 1;
        args.get(*i)
            .cloned()
            .unwrap_or_else(|| die(&format!("{} needs a value", args[*i - 1])))
    };
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--data" => data = val(&mut i),
            "--three-point" => opts = opts.scale(AnswerScale::Three),
            "--margin" => {
                opts = opts.margin(
                    val(&mut i)
                        .parse()
                        .unwrap_or_else(|_| die("--margin takes a share such as 0.05")),
                )
            }
            "--weights" => opts = opts.weights(&val(&mut i)),
            "-h" | "--help" => {
                let usage: Vec<&str> = include_str!("kano.rs")
                    .lines()
                    .skip(3)
                    .take(3)
                    .map(|l| l.trim_start_matches("//! "))
                    .collect();
                println!("{}", usage.join("\n"));
                return;
            }
            "--suffixes" => {
                let v = val(&mut i);
                let p: Vec<&str> = v.split(',').collect();
                if p.len() != 3 {
                    die("--suffixes takes three comma-separated suffixes");
                }
                opts = opts.suffixes(p[0], p[1], p[2]);
            }
            "--skip-invalid" => opts = opts.skip_invalid(true),
            "--json" => json = Some(val(&mut i)),
            "--svg" => svg = Some(val(&mut i)),
            other => die(&format!("unknown argument '{other}'")),
        }
        i += 1;
    }
    let run = || -> csindex::Result<()> {
        let svg_file = svg
            .as_ref()
            .map(|d| std::path::Path::new(d).join("kano_better_worse.svg"));
        let outs: Vec<std::path::PathBuf> = json
            .iter()
            .map(Into::into)
            .chain(svg_file.clone())
            .collect();
        csindex::output::refuse_inputs(&outs, &[&data])?;
        let survey = KanoSurvey::from_csv_path(&data, &opts)?;
        let summaries = survey.analyze()?;
        println!(
            "{} respondents, {} features ({data})\n",
            survey.respondents,
            summaries.len()
        );
        print!("{}", kano::report(&summaries));
        if let Some(out) = &json {
            let text = serde_json::to_string_pretty(&summaries)?;
            csindex::output::write_atomic(std::path::Path::new(out), text.as_bytes())?;
            eprintln!("wrote {out}");
        }
        if let (Some(dir), Some(p)) = (&svg, &svg_file) {
            std::fs::create_dir_all(dir).map_err(|e| csindex::Error::Io {
                path: dir.clone(),
                source: e,
            })?;
            csindex::output::write_atomic(p, kano::scatter(&summaries).as_bytes())?;
            eprintln!("wrote {}", p.display());
        }
        Ok(())
    };
    if let Err(e) = run() {
        die(&e.to_string());
    }
}
