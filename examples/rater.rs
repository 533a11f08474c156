//! The CSI model with perceived service quality as a higher-order construct of the RATER
//! dimensions (models/csi_rater.txt), on the bundled synthetic survey data/rater_csi.csv
//! (600 respondents, answers 1..7), by each higher-order method: seminr's disjoint two-stage
//! approach, cSEM's two-stage and mixed approaches, and repeated indicators.
//!
//! ```text
//! cargo run --release --example rater -- [--hoc disjoint|csem-2stage|csem-mixed|repeated]
//! ```

use csindex::{Analysis, HocMethod, LoadOptions, Model, Pls, Survey};

fn main() -> csindex::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut methods = vec![
        HocMethod::DisjointTwoStage,
        HocMethod::CsemTwoStage,
        HocMethod::CsemMixed,
        HocMethod::RepeatedIndicators,
    ];
    match args
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => {}
        ["--hoc", m] => methods = vec![m.parse()?],
        ["-h" | "--help"] => {
            println!(
                "{}",
                include_str!("rater.rs")
                    .lines()
                    .nth(6)
                    .unwrap_or_default()
                    .trim_start_matches("//! ")
            );
            return Ok(());
        }
        other => {
            eprintln!("rater: unknown arguments {other:?} (try --help)");
            std::process::exit(2);
        }
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let model = Model::from_path(format!("{root}/models/csi_rater.txt"))?;
    let survey = Survey::from_csv_path(
        format!("{root}/data/rater_csi.csv"),
        &LoadOptions::new().scale("*", 1.0, 7.0),
    )?;
    for method in methods {
        let pls = Pls::new().higher_order(method);
        let result = Analysis::new(pls)
            .title(&format!(
                "RATER service quality in the CSI model ({})",
                method.as_str()
            ))
            .run(&model, &survey)?;
        println!("{}", result.to_text());
    }
    Ok(())
}
