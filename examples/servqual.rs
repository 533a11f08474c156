//! SERVQUAL / RATER gap analysis.
//!
//! ```text
//! cargo run --release --example servqual -- [--data FILE] [--scale MIN:MAX] [--skip-invalid] [--json OUT]
//! ```
//! With no arguments: the bundled data/servqual_200.csv (E1..E22, P1..P22 on 1..7, W_<dimension>).

use csindex::servqual::{Servqual, ServqualOptions};

fn die(msg: &str) -> ! {
    eprintln!("servqual: {msg}");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut data = concat!(env!("CARGO_MANIFEST_DIR"), "/data/servqual_200.csv").to_string();
    let mut opts = ServqualOptions::new();
    let mut json = None;
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
            "--scale" => {
                let v = val(&mut i);
                let (a, b) = v
                    .split_once(':')
                    .unwrap_or_else(|| die("--scale takes MIN:MAX"));
                let a: f64 = a.parse().unwrap_or_else(|_| die("--scale: bad minimum"));
                let b: f64 = b.parse().unwrap_or_else(|_| die("--scale: bad maximum"));
                opts = opts.scale(a, b);
            }
            "--skip-invalid" => opts = opts.skip_invalid(true),
            "--json" => json = Some(val(&mut i)),
            "-h" | "--help" => {
                println!(
                    "{}",
                    include_str!("servqual.rs")
                        .lines()
                        .nth(3)
                        .unwrap_or_default()
                        .trim_start_matches("//! ")
                );
                return;
            }
            other => die(&format!("unknown argument '{other}' (try --help)")),
        }
        i += 1;
    }
    let run = || -> csindex::Result<()> {
        csindex::output::refuse_inputs(&json.iter().collect::<Vec<_>>(), &[&data])?;
        let s = Servqual::from_csv_path(&data, &opts)?;
        println!("SERVQUAL gap analysis: {data}\n");
        print!("{}", s.report());
        if let Some(out) = &json {
            let text = serde_json::to_string_pretty(&s)?;
            csindex::output::write_atomic(std::path::Path::new(out), text.as_bytes())?;
            eprintln!("wrote {out}");
        }
        Ok(())
    };
    if let Err(e) = run() {
        die(&e.to_string());
    }
}
