//! The CSI model with perceived service quality as a higher-order construct of the RATER
//! dimensions (models/csi_rater.txt), on the bundled synthetic survey data/rater_csi.csv
//! (600 respondents, answers 1..7), by the disjoint two-stage approach and by repeated
//! indicators.
//!
//! ```text
//! cargo run --release --example rater
//! ```

use csindex::{Analysis, HocMethod, LoadOptions, Model, Pls, Survey};

fn main() -> csindex::Result<()> {
    let root = env!("CARGO_MANIFEST_DIR");
    let model = Model::from_path(format!("{root}/models/csi_rater.txt"))?;
    let survey = Survey::from_csv_path(
        format!("{root}/data/rater_csi.csv"),
        &LoadOptions::new().scale("*", 1.0, 7.0),
    )?;
    for method in [HocMethod::DisjointTwoStage, HocMethod::RepeatedIndicators] {
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
