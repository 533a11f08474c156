//! Survey files as they arrive: encodings, workbooks, SPSS files, multi-row headers, R's
//! write.csv. Each must give the numbers of the same survey as a plain UTF-8 CSV file.

use csindex::{LoadOptions, Model, Pls, Survey};

const CSV: &str = "EXPE1,EXPE2,QUAL1,QUAL2,VAL1,VAL2,SAT1,SAT2,COMP1,LOY1,LOY2\n";

/// A small ACSI-shaped survey as CSV text (deterministic).
fn text() -> String {
    let mut s = String::from(CSV);
    let mut x: u64 = 7;
    for _ in 0..60 {
        let mut row = Vec::new();
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let base = (x >> 33) % 6;
        for k in 0..11 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = (x >> 40) % 5;
            row.push(if k == 8 {
                ((base + noise) % 2).to_string()
            } else {
                (1 + (base + noise) % 10).to_string()
            });
        }
        s.push_str(&row.join(","));
        s.push('\n');
    }
    s
}

fn model() -> Model {
    Model::parse(
        "EXPE =~ EXPE1 + EXPE2\nQUAL =~ QUAL1 + QUAL2\nVAL =~ VAL1 + VAL2\nSAT =~ SAT1 + SAT2\n\
         COMP =~ COMP1\nLOY =~ LOY1 + LOY2\nQUAL ~ EXPE\nVAL ~ EXPE + QUAL\nSAT ~ EXPE + QUAL + VAL\n\
         COMP ~ SAT\nLOY ~ SAT + COMP",
    )
    .unwrap()
}

fn opts() -> LoadOptions {
    LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .scale("COMP1", 0.0, 1.0)
}

fn same_fit(s: &Survey, label: &str) {
    let want = Survey::from_reader(text().as_bytes(), &opts()).unwrap();
    let a = Pls::new().fit(&model(), &want).unwrap();
    let b = Pls::new()
        .fit(&model(), s)
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    for (f, t) in [("QUAL", "SAT"), ("SAT", "LOY"), ("VAL", "SAT")] {
        assert_eq!(
            a.path(f, t).unwrap().to_bits(),
            b.path(f, t).unwrap().to_bits(),
            "{label}"
        );
    }
    assert_eq!(
        a.index("SAT").unwrap().to_bits(),
        b.index("SAT").unwrap().to_bits()
    );
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("csindex-inputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn encodings_give_the_same_survey() {
    let t = text();
    // UTF-8 with a byte-order mark.
    let bom = [b"\xEF\xBB\xBF".as_slice(), t.as_bytes()].concat();
    same_fit(
        &Survey::from_reader(bom.as_slice(), &opts()).unwrap(),
        "utf-8 bom",
    );
    // UTF-16 LE and BE with their marks, with Chinese column names.
    let zh = t.replacen("SAT1", "满意1", 1);
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(zh.encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(zh.encode_utf16().flat_map(|u| u.to_be_bytes()))
        .collect();
    for (bytes, label) in [(le, "utf-16le"), (be, "utf-16be")] {
        let s = Survey::from_reader(bytes.as_slice(), &opts()).unwrap();
        assert!(s.numeric("满意1").is_ok(), "{label}");
        assert!(s.notes().iter().any(|n| n.contains("UTF-16")), "{label}");
    }
    // GBK (Chinese Excel's CSV): detected, and as asked.
    let (gbk, _, bad) = encoding_rs::GBK.encode(&zh);
    assert!(!bad);
    let s = Survey::from_reader(gbk.as_ref(), &opts()).unwrap();
    assert!(s.numeric("满意1").is_ok());
    assert!(s.notes().iter().any(|n| n.contains("GB18030")));
    let s = Survey::from_reader(gbk.as_ref(), &opts().encoding("gbk")).unwrap();
    assert!(s.numeric("满意1").is_ok());
    // A workbook given as CSV: said what it is.
    let e = Survey::from_reader(b"PK\x03\x04\x14\x00".as_slice(), &opts()).unwrap_err();
    assert!(e.to_string().contains(".xlsx"), "{e}");
}

#[test]
fn qualtrics_multi_row_headers_and_r_row_names() {
    let t = text();
    let mut lines: Vec<&str> = t.lines().collect();
    let names = lines.remove(0);
    let n = names.split(',').count();
    let texts: Vec<String> = names
        .split(',')
        .map(|c| format!("\"How satisfied are you, {c}?\""))
        .collect();
    let import: Vec<String> = names
        .split(',')
        .map(|c| format!("\"{{\"\"ImportId\"\":\"\"QID_{c}\"\"}}\""))
        .collect();
    let q = format!(
        "{names}\n{}\n{}\n{}\n",
        texts.join(","),
        import.join(","),
        lines.join("\n")
    );
    let s = Survey::from_reader(q.as_bytes(), &opts()).unwrap();
    same_fit(&s, "qualtrics");
    assert_eq!(s.label("SAT1"), Some("How satisfied are you, SAT1?"));
    assert!(s.notes().iter().any(|m| m.contains("Qualtrics")));
    // The question texts are in the report and the JSON.
    let r = csindex::Analysis::new(Pls::new())
        .run(&model(), &s)
        .unwrap();
    let report = r.to_text();
    assert!(report.contains("How satisfied are you, SAT1?"), "{report}");
    assert!(report
        .lines()
        .all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80));
    let v = r.to_value().unwrap();
    assert_eq!(
        v["descriptives"]["items"]["SAT1"]["label"],
        "How satisfied are you, SAT1?"
    );
    // Two header rows (names, question texts) as asked.
    let two = format!("{names}\n{}\n{}\n", texts.join(","), lines.join("\n"));
    let s = Survey::from_reader(two.as_bytes(), &opts().header_rows(2)).unwrap();
    same_fit(&s, "header rows");
    // Without asking, the question-text row is data: an error naming its line.
    let s = Survey::from_reader(two.as_bytes(), &opts()).unwrap();
    let e = Pls::new().fit(&model(), &s).unwrap_err();
    assert!(
        e.to_string().contains("line 2") && e.to_string().contains("header rows"),
        "{e}"
    );
    // R's write.csv: an empty first header cell over quoted row names.
    let mut r = format!("\"\",{names}\n");
    for (i, l) in lines.iter().enumerate() {
        r.push_str(&format!("\"{}\",{l}\n", i + 1));
    }
    let s = Survey::from_reader(r.as_bytes(), &opts()).unwrap();
    assert_eq!(s.column_names().len(), n + 1);
    assert_eq!(s.column_names()[0], "row_names");
    same_fit(&s, "write.csv");
}

#[test]
fn excel_workbooks_read_as_their_csv() {
    use rust_xlsxwriter::Workbook;
    let t = text();
    let mut wb = Workbook::new();
    let other = wb.add_worksheet();
    other.set_name("readme").unwrap();
    other.write_string(0, 0, "notes").unwrap();
    let sh = wb.add_worksheet();
    sh.set_name("responses").unwrap();
    for (r, line) in t.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            match cell.parse::<f64>() {
                Ok(x) => sh.write_number(r as u32, c as u16, x).unwrap(),
                Err(_) => sh.write_string(r as u32, c as u16, cell).unwrap(),
            };
        }
    }
    let path = tmp("survey.xlsx");
    wb.save(&path).unwrap();
    let s = Survey::from_excel(&path, &opts().sheet("responses")).unwrap();
    same_fit(&s, "xlsx");
    assert!(s.notes()[0].contains("responses"));
    let e = Survey::from_excel(&path, &opts().sheet("nope")).unwrap_err();
    assert!(e.to_string().contains("readme, responses"), "{e}");
    // The loader every example uses picks the reader by extension.
    let s = csindex::stream::survey_any(&path, &opts().sheet("responses")).unwrap();
    same_fit(&s, "survey_any xlsx");
    // A text cell among numbers: an error naming the sheet row.
    let mut wb = Workbook::new();
    let sh = wb.add_worksheet();
    for (r, line) in t.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            if r == 5 && c == 2 {
                sh.write_string(r as u32, c as u16, "n/a?").unwrap();
            } else if let Ok(x) = cell.parse::<f64>() {
                sh.write_number(r as u32, c as u16, x).unwrap();
            } else {
                sh.write_string(r as u32, c as u16, cell).unwrap();
            }
        }
    }
    let bad = tmp("bad.xlsx");
    wb.save(&bad).unwrap();
    let s = Survey::from_excel(&bad, &opts()).unwrap();
    let e = Pls::new().fit(&model(), &s).unwrap_err();
    assert!(e.to_string().contains("line 6"), "{e}");
}

#[test]
fn a_workbook_claiming_the_whole_sheet_is_read_from_its_cells() {
    // Cells at A1..C3 and one at XFD1048576: calamine's dense range would hold 17 billion
    // cells. The loader streams the cells instead, so the stray cell is a ragged row at
    // its sheet row, found at once, and a column limit below its span refuses the sheet.
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let sh = wb.add_worksheet();
    for c in 0..3u16 {
        sh.write_string(0, c, format!("x{c}")).unwrap();
        sh.write_number(1, c, f64::from(c)).unwrap();
        sh.write_number(2, c, f64::from(c) + 1.0).unwrap();
    }
    sh.write_number(1_048_575, 16_383, 1.0).unwrap();
    let path = tmp("stray.xlsx");
    wb.save(&path).unwrap();
    let e = Survey::from_excel(&path, &opts()).unwrap_err();
    assert!(
        matches!(
            e,
            csindex::Error::RaggedRow {
                line: 1_048_576,
                expected: 3,
                found: 16_384
            }
        ),
        "{e}"
    );
    let limits = csindex::data::Limits {
        max_columns: 100,
        ..Default::default()
    };
    let e = Survey::from_excel(&path, &opts().limits(limits)).unwrap_err();
    assert!(
        matches!(e, csindex::Error::LimitExceeded { limit: 100, .. }),
        "{e}"
    );
    // Ten cells where eight are allowed.
    let limits = csindex::data::Limits {
        max_cells: 8,
        ..Default::default()
    };
    let e = Survey::from_excel(&path, &opts().limits(limits)).unwrap_err();
    assert!(
        matches!(e, csindex::Error::LimitExceeded { limit: 8, .. }),
        "{e}"
    );
}

/// An OpenDocument spreadsheet of one table whose rows are `rows` (table-row elements).
fn ods(rows: &str) -> Vec<u8> {
    use std::io::Write;
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet><table:table table:name=\"s\">{rows}</table:table>\
         </office:spreadsheet></office:body></office:document-content>"
    );
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("META-INF/manifest.xml", deflated).unwrap();
    z.write_all(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
          xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
          <manifest:file-entry manifest:full-path=\"/\" \
          manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
          <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
          </manifest:manifest>",
    )
    .unwrap();
    z.start_file("content.xml", deflated).unwrap();
    z.write_all(content.as_bytes()).unwrap();
    z.finish().unwrap();
    out.into_inner()
}

#[test]
fn an_ods_is_read_and_one_claiming_the_whole_sheet_is_refused_before_calamine() {
    let text = |s: &str| {
        format!("<table:table-cell office:value-type=\"string\"><text:p>{s}</text:p></table:table-cell>")
    };
    let num = |x: u32| {
        format!("<table:table-cell office:value-type=\"float\" office:value=\"{x}\"><text:p>{x}</text:p></table:table-cell>")
    };
    let row = |cells: String| format!("<table:table-row>{cells}</table:table-row>");
    let good = [
        row(text("q1") + &text("q2")),
        row(num(1) + &num(2)),
        row(num(3) + &num(4)),
        // LibreOffice's padding: empty styled cells and rows to the end of the sheet.
        "<table:table-row table:number-rows-repeated=\"1048573\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>".to_string(),
    ]
    .concat();
    let s = Survey::from_excel_bytes(&ods(&good), &LoadOptions::new()).unwrap();
    assert_eq!(s.n_rows(), 2);
    assert_eq!(s.numeric("q2").unwrap(), &[2.0, 4.0]);
    // One number over all 16,384 columns of a row repeated over all 1,048,576 rows: a few
    // hundred bytes that would make calamine allocate 17 billion cells.
    let hostile = [
        row(text("q1") + &text("q2")),
        "<table:table-row table:number-rows-repeated=\"1048575\"><table:table-cell table:number-columns-repeated=\"16384\" office:value-type=\"float\" office:value=\"7\"/></table:table-row>".to_string(),
    ]
    .concat();
    let bytes = ods(&hostile);
    assert!(bytes.len() < 2000, "{} bytes", bytes.len());
    let t = std::time::Instant::now();
    let e = Survey::from_excel_bytes(&bytes, &LoadOptions::new()).unwrap_err();
    assert!(
        matches!(
            e,
            csindex::Error::LimitExceeded {
                limit: 50_000_000,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("--max-cells"), "{e}");
    println!("refused in {:?}: {e}", t.elapsed());
    // The same file on disk.
    // calamine takes "ODS" (case differs) and an unknown extension for anything, the .ods
    // reader included: those are counted too.
    for name in ["hostile.ods", "hostile.ODS", "hostile.sheet"] {
        let path = tmp(name);
        std::fs::write(&path, &bytes).unwrap();
        let e = Survey::from_excel(&path, &LoadOptions::new()).unwrap_err();
        assert!(
            matches!(e, csindex::Error::LimitExceeded { .. }),
            "{name}: {e}"
        );
    }
    // Named .xlsx, calamine reads it as .xlsx only (not counted, and refused by calamine).
    let path = tmp("hostile.xlsx");
    std::fs::write(&path, &bytes).unwrap();
    let e = Survey::from_excel(&path, &LoadOptions::new()).unwrap_err();
    assert!(matches!(e, csindex::Error::Workbook { .. }), "{e}");
}

#[cfg(feature = "spss")]
#[test]
fn spss_files_with_user_missing_values_and_labels() {
    use arrow_array_57::{ArrayRef, Float64Array, RecordBatch};
    use std::sync::Arc;
    let t = text();
    let mut lines = t.lines();
    let names: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|c| c.parse().unwrap()).collect())
        .collect();
    // SAT1 of row 3 is coded 99 (user-missing "don't know").
    let cols: Vec<(&str, ArrayRef)> = names
        .iter()
        .enumerate()
        .map(|(k, n)| {
            let v: Vec<f64> = rows
                .iter()
                .enumerate()
                .map(|(i, r)| if i == 3 && *n == "SAT1" { 99.0 } else { r[k] })
                .collect();
            (*n, Arc::new(Float64Array::from(v)) as ArrayRef)
        })
        .collect();
    let batch = RecordBatch::try_from_iter(cols).unwrap();
    let mut meta = ambers::SpssMetadata::from_arrow_schema(&batch.schema());
    meta.variable_missing_values
        .insert("SAT1".into(), vec![ambers::MissingSpec::Value(99.0)]);
    meta.variable_labels
        .insert("SAT1".into(), "Overall satisfaction".into());
    let mut vl = indexmap_of(&[(1.0, "not at all"), (10.0, "completely")]);
    meta.variable_value_labels
        .insert("SAT1".into(), std::mem::take(&mut vl));
    let path = tmp("survey.sav");
    ambers::write_sav(&path, &batch, &meta, ambers::Compression::Bytecode, None).unwrap();
    let s = Survey::from_sav(&path, &opts()).unwrap();
    assert!(s.numeric("SAT1").unwrap()[3].is_nan());
    assert_eq!(s.label("SAT1"), Some("Overall satisfaction"));
    assert_eq!(s.value_labels("SAT1").unwrap()[1].1, "completely");
    let r = csindex::Analysis::new(Pls::new().missing(csindex::MissingPolicy::Listwise))
        .run(&model(), &s)
        .unwrap();
    assert!(
        r.to_text().contains("1 = not at all … 10 = completely"),
        "{}",
        r.to_text()
    );
    let v = r.to_value().unwrap();
    assert_eq!(
        v["descriptives"]["items"]["SAT1"]["value_labels"]["10"],
        "completely"
    );
    assert!(s
        .notes()
        .iter()
        .any(|n| n.contains("user-missing") && n.contains("SAT1 (1)")));
    let s2 = csindex::stream::survey_any(&path, &opts()).unwrap();
    assert!(s2.numeric("SAT1").unwrap()[3].is_nan());
}

/// String variables: answers stored as letters and labelled with Likert words are read
/// through their labels; numbers stored as strings are numbers; user-missing strings are
/// missing; a variable whose answers are not all labelled stays text.
#[cfg(feature = "spss")]
#[test]
fn spss_string_variables_are_read_as_csv_cells_and_through_their_labels() {
    use arrow_array_57::{ArrayRef, RecordBatch, StringArray};
    use std::sync::Arc;
    let letters = ["a", "b", "c", "d", "e", "dk", "b", "e"];
    let digits = ["1", "2", "3", "4", "5", "3", " 2", "1"];
    let partly = ["a", "b", "z", "a", "b", "a", "b", "a"];
    let col = |v: &[&str]| Arc::new(StringArray::from(v.to_vec())) as ArrayRef;
    let batch = RecordBatch::try_from_iter([
        ("Q1", col(&letters)),
        ("Q2", col(&digits)),
        ("Q3", col(&partly)),
    ])
    .unwrap();
    let mut meta = ambers::SpssMetadata::from_arrow_schema(&batch.schema());
    let words = [
        "Very dissatisfied",
        "Dissatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
    ];
    let labelled = |keys: &[&str]| -> indexmap::IndexMap<ambers::Value, String> {
        keys.iter()
            .zip(words)
            .map(|(k, l)| (ambers::Value::String(k.to_string()), l.to_string()))
            .collect()
    };
    meta.variable_value_labels
        .insert("Q1".into(), labelled(&["a", "b", "c", "d", "e"]));
    meta.variable_value_labels
        .insert("Q2".into(), labelled(&["1", "2", "3", "4", "5"]));
    meta.variable_value_labels
        .insert("Q3".into(), labelled(&["a", "b"]));
    meta.variable_missing_values.insert(
        "Q1".into(),
        vec![ambers::MissingSpec::StringValue("dk".into())],
    );
    let path = tmp("strings.sav");
    ambers::write_sav(&path, &batch, &meta, ambers::Compression::Bytecode, None).unwrap();
    let s = Survey::from_sav(&path, &LoadOptions::new()).unwrap();
    let q1 = s.numeric("Q1").unwrap();
    assert_eq!(&q1[..5], &[1.0, 2.0, 3.0, 4.0, 5.0]);
    assert!(q1[5].is_nan(), "the user-missing string");
    assert_eq!(&q1[6..], &[2.0, 5.0]);
    assert_eq!(
        s.numeric("Q2").unwrap(),
        &[1.0, 2.0, 3.0, 4.0, 5.0, 3.0, 2.0, 1.0]
    );
    assert_eq!(
        s.value_labels("Q2").unwrap()[4],
        (5.0, "Very satisfied".into())
    );
    assert!(s.is_text("Q3"), "'z' has no label");
    assert!(s
        .notes()
        .iter()
        .any(|n| n.contains("through their value labels: Q1") && !n.contains("Q2")));
    assert!(
        s.notes().iter().any(|n| n.contains("Q1 (1)")),
        "{:?}",
        s.notes()
    );
    // The user's own words for the raw answers win over the labels.
    let own = LoadOptions::new().recode("a=5,b=4,c=3,d=2,e=1").unwrap();
    let s = Survey::from_sav(&path, &own).unwrap();
    assert_eq!(&s.numeric("Q1").unwrap()[..5], &[5.0, 4.0, 3.0, 2.0, 1.0]);
}

#[cfg(feature = "spss")]
fn indexmap_of(v: &[(f64, &str)]) -> indexmap::IndexMap<ambers::Value, String> {
    v.iter()
        .map(|(k, l)| (ambers::Value::Numeric(*k), l.to_string()))
        .collect()
}

#[test]
fn a_common_scale_is_inferred_and_missing_codes_are_refused() {
    let t = text();
    let mut s = Survey::from_reader(t.as_bytes(), &LoadOptions::new()).unwrap();
    let items = model().indicators();
    let sc = s.infer_common_scale(&items).unwrap().unwrap();
    assert_eq!((sc.min, sc.max), (1.0, 10.0));
    assert_eq!(s.declared_scale("COMP1").unwrap().unwrap().max, 1.0);
    assert!(s.notes().iter().any(|n| n.contains("1..10 inferred")));
    same_fit(&s, "inferred scale");
    // An item whose answers happen to start at 2 keeps the common scale.
    let shifted: Vec<String> = t
        .lines()
        .map(|l| {
            let mut c: Vec<&str> = l.split(',').collect();
            if c[6] == "1" {
                c[6] = "2";
            }
            c.join(",")
        })
        .collect();
    let shifted = shifted.join("\n");
    let mut s = Survey::from_reader(shifted.as_bytes(), &LoadOptions::new()).unwrap();
    s.infer_common_scale(&items).unwrap();
    assert_eq!(s.declared_scale("SAT1").unwrap().unwrap().min, 1.0);
    // 99 ("don't know") in a rating item and in the 0/1 item: errors naming column and line.
    for (col, code) in [(6usize, "99"), (8, "99"), (2, "-9"), (3, "1e308")] {
        let mut lines: Vec<String> = t.lines().map(String::from).collect();
        let mut cells: Vec<String> = lines[4].split(',').map(String::from).collect();
        cells[col] = code.into();
        lines[4] = cells.join(",");
        let text = lines.join("\n");
        let mut s = Survey::from_reader(text.as_bytes(), &LoadOptions::new()).unwrap();
        let e = s.infer_common_scale(&items).unwrap_err().to_string();
        let name = CSV.trim().split(',').nth(col).unwrap();
        assert!(
            e.contains(&format!("column '{name}'"))
                && e.contains("line 5")
                && e.contains("--missing-code"),
            "{e}"
        );
        // Declared, it is a missing cell.
        let mut s =
            Survey::from_reader(text.as_bytes(), &LoadOptions::new().missing_code(code)).unwrap();
        s.infer_common_scale(&items).unwrap();
    }
}

#[test]
fn likert_words_in_english_and_chinese_and_user_codes() {
    let en7 = [
        "strongly disagree",
        "disagree",
        "somewhat disagree",
        "neither agree nor disagree",
        "somewhat agree",
        "agree",
        "strongly agree",
    ];
    let zh5 = ["非常不满意", "不满意", "一般", "满意", "非常满意"];
    // q1 uses "somewhat": both q1 and q2 (which does not) are 7-point.
    let rows = [
        (1, 6, 1),
        (3, 7, 2),
        (5, 2, 3),
        (7, 6, 4),
        (2, 1, 5),
        (6, 7, 5),
    ];
    let mut text = String::from("q1,q2,zh,id\n");
    for (i, (a, b, c)) in rows.iter().enumerate() {
        text.push_str(&format!(
            "{},\"  {} \",{},r{i}\n",
            en7[a - 1],
            en7[b - 1].to_uppercase(),
            zh5[c - 1]
        ));
    }
    let s = Survey::from_reader(text.as_bytes(), &LoadOptions::new()).unwrap();
    let want: Vec<f64> = rows.iter().map(|r| r.1 as f64).collect();
    assert_eq!(s.numeric("q2").unwrap(), want.as_slice());
    assert_eq!(s.numeric("zh").unwrap()[4], 5.0);
    assert_eq!(s.declared_scale("q2").unwrap().unwrap().max, 7.0);
    assert_eq!(s.declared_scale("zh").unwrap().unwrap().max, 5.0);
    assert!(s.is_text("id"));
    assert!(s
        .notes()
        .iter()
        .any(|n| n.contains("English agreement codes 1..7")));
    assert!(s
        .notes()
        .iter()
        .any(|n| n.contains("中文 满意度 codes 1..5")));
    // The user's own words.
    let t = "a,b\nyes,1\nno,2\nyes,3\n";
    let s = Survey::from_reader(
        t.as_bytes(),
        &LoadOptions::new().recode("yes=1,no=0").unwrap(),
    )
    .unwrap();
    assert_eq!(s.numeric("a").unwrap(), &[1.0, 0.0, 1.0]);
    assert!(LoadOptions::new().recode("yes:1").is_err());
    // Kano answers in Chinese.
    use csindex::kano::{parse_answer, AnswerScale};
    assert_eq!(parse_answer("理所当然", AnswerScale::Five), Some(2));
    assert_eq!(parse_answer(" 不喜欢 ", AnswerScale::Five), Some(5));
}

#[test]
fn shipped_models_parse_and_fit_their_data() {
    let root = env!("CARGO_MANIFEST_DIR");
    let ecsi = Model::from_path(format!("{root}/models/ecsi.txt")).unwrap();
    assert_eq!(ecsi.to_syntax(), Model::ecsi().to_syntax());
    let s =
        Survey::from_csv_path(format!("{root}/data/ecsi_1000.csv"), &LoadOptions::new()).unwrap();
    for m in ["ecsi.txt", "ccsi.txt"] {
        let model = Model::from_path(format!("{root}/models/{m}")).unwrap();
        assert!(Pls::new().fit(&model, &s).is_ok(), "{m}");
    }
}
