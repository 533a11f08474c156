//! The flags of the csi example (see main.rs for their list).

use super::{die, num, parse_scale};
use csindex::{LoadOptions, MissingPolicy, Pls, WeightKind};

/// Everything the flags say.
pub struct Args {
    pub data: String,
    pub model_file: Option<String>,
    pub opts: LoadOptions,
    pub pls: Pls,
    pub scales: Vec<(String, f64, f64)>,
    pub boot_n: usize,
    pub seed: u64,
    pub threads: Option<usize>,
    pub ci: csindex::report::CiMethod,
    pub sign: csindex::SignChange,
    pub resamples: Option<String>,
    pub ipma: Option<String>,
    pub segment: Option<String>,
    pub wave: Option<String>,
    pub q2: Option<usize>,
    pub predict_k: Option<usize>,
    pub show_levels: bool,
    pub markdown: bool,
    pub json: Option<String>,
    pub html: Option<String>,
    pub svg_dir: Option<String>,
    pub missing: MissingPolicy,
    pub stream: bool,
    pub id: Option<String>,
    pub scores: Option<String>,
    pub save_moments: Option<String>,
    pub from_moments: Vec<String>,
    pub engine: Option<String>,
    pub sql_table: Option<String>,
    pub sql_row: Option<String>,
    pub dialect: csindex::sql::SqlDialect,
    pub ordinal: Option<Vec<String>>,
}

/// Reads the flags (exits with a message on a bad one, and after printing `--help`).
pub fn parse() -> csindex::Result<Args> {
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
    let mut wave = None::<String>;
    let (mut q2, mut predict_k) = (None::<usize>, None::<usize>);
    let (mut show_levels, mut markdown) = (false, false);
    let (mut json, mut svg_dir, mut html) = (None::<String>, None::<String>, None::<String>);
    let mut missing = MissingPolicy::Fail;
    let (mut stream, mut id, mut scores) = (false, None::<String>, None::<String>);
    let (mut save_moments, mut from_moments) = (None::<String>, Vec::<String>::new());
    let (mut engine, mut sql_table, mut sql_row) = (None::<String>, None::<String>, None::<String>);
    let mut dialect = csindex::sql::SqlDialect::Standard;
    let mut ordinal: Option<Vec<String>> = None;
    let mut limits = csindex::data::Limits::default();
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
            "--encoding" => opts = opts.encoding(&val(&mut i)),
            "--sheet" => opts = opts.sheet(&val(&mut i)),
            "--recode" => opts = opts.recode(&val(&mut i))?,
            "--header-rows" => opts = opts.header_rows(num(&flag, &val(&mut i))),
            "--model" => model_file = Some(val(&mut i)),
            "--max-record-bytes" => limits.max_record_bytes = num(&flag, &val(&mut i)),
            "--max-field-bytes" => limits.max_field_bytes = num(&flag, &val(&mut i)),
            "--max-columns" => limits.max_columns = num(&flag, &val(&mut i)),
            "--max-cells" => limits.max_cells = num(&flag, &val(&mut i)),
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
            "--wave" => wave = Some(val(&mut i)),
            "--levels" => show_levels = true,
            "--predict" => predict_k = Some(num(&flag, &val(&mut i))),
            "--markdown" => markdown = true,
            "--json" => json = Some(val(&mut i)),
            "--html" => html = Some(val(&mut i)),
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
                let usage: Vec<&str> = include_str!("main.rs")
                    .lines()
                    .skip(5)
                    .take(15)
                    .map(|l| l.trim_start_matches("//! "))
                    .collect();
                println!("{}", usage.join("\n"));
                std::process::exit(0);
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
    opts = opts.limits(limits);
    Ok(Args {
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
    })
}
