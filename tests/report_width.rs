//! The text report fits 80 columns and aligns CJK names by display width.

mod common;
use csindex::{Analysis, Bootstrap, Model, Pls};
use unicode_width::UnicodeWidthStr;

#[test]
fn reports_fit_80_columns_and_align_chinese_names() {
    let s = common::acsi_sample();
    let model = Model::parse(
        "期望 =~ EXPE1 + EXPE2 + EXPE3\n质量 =~ QUAL1 + QUAL2 + QUAL3\n价值 =~ VAL1 + VAL2\n\
         满意 =~ SAT1 + SAT2 + SAT3\n抱怨 =~ COMP1\n忠诚 =~ LOY1 + LOY2\n\
         质量 ~ 期望\n价值 ~ 期望 + 质量\n满意 ~ 期望 + 质量 + 价值\n抱怨 ~ 满意\n忠诚 ~ 满意 + 抱怨",
    )
    .unwrap();
    let r = Analysis::new(Pls::new())
        .bootstrap(Bootstrap::new(100).seed(1))
        .levels(0.95)
        .run(&model, &s)
        .unwrap();
    let text = r.to_text();
    for l in text.lines() {
        assert!(l.width() <= 80, "{} columns: {l}", l.width());
    }
    // In the HTMT table the columns line up: every row's cells end at the header's ends.
    let block: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("Discriminant validity: HTMT"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    let head = block[0];
    let upto = &head[..head.find("抱怨").unwrap() + "抱怨".len()];
    let row = block
        .iter()
        .find(|l| l.trim_start().starts_with("忠诚"))
        .unwrap();
    assert_eq!(row.width(), upto.width(), "{block:#?}");
}

#[test]
fn descriptives_agree_with_the_fit() {
    let s = common::acsi_sample();
    let r = Analysis::new(Pls::new()).run(&Model::acsi(), &s).unwrap();
    let d = r.descriptives().unwrap();
    let fit = r.fit();
    for name in fit.indicator_names() {
        let x = d.items.iter().find(|x| &x.name == name).unwrap();
        let col = s.numeric(name).unwrap();
        let mean = col.iter().sum::<f64>() / col.len() as f64;
        let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (col.len() - 1) as f64;
        assert!((x.mean - mean).abs() < 1e-12 && (x.sd - var.sqrt()).abs() < 1e-12);
        assert_eq!((x.n, x.missing), (col.len(), 0));
        assert!(x.min <= x.median && x.median <= x.max);
    }
    for (j, c) in d.constructs.iter().enumerate() {
        assert!(
            c.mean.abs() < 1e-12 && (c.sd - 1.0).abs() < 1e-12,
            "{}",
            c.name
        );
        for (i, other) in fit.construct_names().iter().enumerate() {
            let r = d
                .construct_correlations
                .get(&c.name)
                .unwrap()
                .get(other)
                .unwrap();
            assert!((r - fit.construct_correlations()[(j, i)]).abs() < 1e-12);
        }
    }
    let v = r.to_value().unwrap();
    assert!(v["descriptives"]["items"]["SAT1"]["excess_kurtosis"].is_number());
    assert!(r
        .to_text()
        .contains("Descriptive statistics: construct scores"));
}
