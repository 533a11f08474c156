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
