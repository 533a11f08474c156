//! Shared set-up of the benches: the mobi ECSI model on ../shared's data when present (read in
//! place, never copied), else a simulated survey of the same shape (250 × 24, 7 constructs).
#![allow(dead_code)]

use csindex::{simulate::Simulation, LoadOptions, Model, Survey};

pub const MOBI_ECSI: &str = "
IMAG =~ IMAG1 + IMAG2 + IMAG3 + IMAG4 + IMAG5
EXPE =~ CUEX1 + CUEX2 + CUEX3
QUAL =~ PERQ1 + PERQ2 + PERQ3 + PERQ4 + PERQ5 + PERQ6 + PERQ7
VAL  =~ PERV1 + PERV2
SAT  =~ CUSA1 + CUSA2 + CUSA3
COMP =~ CUSCO
LOY  =~ CUSL1 + CUSL2 + CUSL3
EXPE ~ IMAG
QUAL ~ EXPE
VAL  ~ EXPE + QUAL
SAT  ~ IMAG + EXPE + QUAL + VAL
COMP ~ SAT
LOY  ~ IMAG + SAT + COMP
";

pub fn mobi() -> (Model, Survey, &'static str) {
    let model = Model::parse(MOBI_ECSI).unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/peers/data/seminr_mobi.csv"
    );
    if let Ok(s) = Survey::from_csv_path(path, &LoadOptions::new().scale("*", 1.0, 10.0)) {
        return (model, s, "mobi");
    }
    eprintln!("../shared absent: benchmarking a simulated survey of mobi's shape");
    let s = Simulation::new(&model)
        .likert(1.0, 10.0)
        .seed(1)
        .generate(250)
        .unwrap();
    (model, s, "simulated 250x24")
}

/// The survey with a sampling-weight column `w` (values 0.5 to 2.0, cycling) added.
pub fn weighted(s: &Survey) -> Survey {
    let names: Vec<&str> = s.column_names();
    let n = s.n_rows();
    let mut data: Vec<f64> = Vec::with_capacity(n * (names.len() + 1));
    for name in &names {
        data.extend_from_slice(s.numeric(name).unwrap());
    }
    data.extend((0..n).map(|i| 0.5 + (i % 4) as f64 * 0.5));
    let mut all = names.clone();
    all.push("w");
    Survey::from_slice(&all, &data, n, csindex::Layout::ColumnMajor)
        .unwrap()
        .with_weights("w", csindex::WeightKind::Sampling)
        .unwrap()
}

pub fn big(n: usize) -> (Model, Survey) {
    let model = Model::parse(MOBI_ECSI).unwrap();
    let s = Simulation::new(&model)
        .likert(1.0, 10.0)
        .seed(2)
        .generate(n)
        .unwrap();
    (model, s)
}
