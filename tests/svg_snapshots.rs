//! Snapshot tests of the SVG figures (checked by eye after rendering with rsvg-convert).
//! Regenerate with `UPDATE_SNAPSHOTS=1 cargo test --test svg_snapshots` and look at the diff.

mod common;
use csindex::{svg, Bootstrap, Model, Pls};

fn check(name: &str, got: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {name}; run with UPDATE_SNAPSHOTS=1"));
    assert_eq!(
        got, want,
        "{name} changed; if intended, regenerate with UPDATE_SNAPSHOTS=1"
    );
    assert!(got.starts_with("<svg") && got.trim_end().ends_with("</svg>"));
}

fn fit() -> csindex::Fit {
    let s = common::acsi_sample();
    Pls::new().fit(&Model::acsi(), &s).unwrap()
}

#[test]
fn path_diagram_snapshot() {
    let f = fit();
    check("path_diagram.svg", &svg::path_diagram(&f, None));
    let b = Bootstrap::new(200).seed(1).bca(false).run(&f).unwrap();
    let with = svg::path_diagram(&f, Some(&b));
    assert!(with.contains("***"));
    check("path_diagram_boot.svg", &with);
}

#[test]
fn ipma_snapshot() {
    let m = fit().ipma("SAT").unwrap();
    check("ipma_sat.svg", &svg::ipma_map(&m));
    let items = svg::ipma_map_indicators(&m);
    // Every indicator of EXPE, QUAL and VAL, and a legend entry per construct.
    for p in &m.indicators {
        assert!(items.contains(&format!(">{}</text>", p.name)), "{}", p.name);
    }
    assert_eq!(items.matches("r=\"6\" fill=\"#2b6cb0\"/>").count(), 1);
    check("ipma_indicators_sat.svg", &items);
}

#[test]
fn names_are_escaped() {
    let s = csindex::simulate::Simulation::new(
        &Model::parse("A =~ a1 + a2\n'B<&>' =~ b1 + b2\n'B<&>' ~ A").unwrap(),
    )
    .seed(1)
    .generate(100)
    .unwrap();
    let m = Model::parse("A =~ a1 + a2\n'B<&>' =~ b1 + b2\n'B<&>' ~ A").unwrap();
    let f = Pls::new().fit(&m, &s).unwrap();
    let svg = svg::path_diagram(&f, None);
    assert!(svg.contains("B&lt;&amp;&gt;") && !svg.contains("B<&>"));
}

/// Constructs in columns by causal depth; a construct no path points to sits in the column
/// before its nearest successor (D beside B, not in A's column), and path labels keep off the
/// indicator boxes.
#[test]
fn path_diagram_columns_by_depth() {
    let text = "A =~ a1 + a2\nB =~ b1 + b2\nC =~ c1 + c2 + c3\nD =~ d1 + d2\nB ~ A\nC ~ B + D";
    let m = Model::parse(text).unwrap();
    let s = csindex::simulate::Simulation::new(&m)
        .seed(3)
        .generate(200)
        .unwrap();
    let svg = svg::path_diagram(&Pls::new().fit(&m, &s).unwrap(), None);
    // The ellipses' centres, in construct order.
    let centres: Vec<(f64, f64)> = svg
        .lines()
        .filter(|l| l.starts_with("<ellipse"))
        .map(|l| (attr(l, "cx"), attr(l, "cy")))
        .collect();
    let [a, b, c, d] = [centres[0], centres[1], centres[2], centres[3]];
    assert!(a.0 < b.0 && b.0 < c.0, "{centres:?}");
    assert_eq!(d.0, b.0, "{centres:?}");
    assert_ne!(d.1, b.1);
    // No path label's white box overlaps an indicator box.
    let rects: Vec<(f64, f64, f64, f64, bool)> = svg
        .lines()
        .filter(|l| l.starts_with("<rect x="))
        .map(|l| {
            let num = |key: &str| -> f64 {
                let rest = &l[l.find(key).unwrap() + key.len()..];
                rest[..rest.find('"').unwrap()].parse().unwrap()
            };
            let (x, y) = (num(" x=\""), num(" y=\""));
            (
                x,
                y,
                x + num("width=\""),
                y + num("height=\""),
                l.contains("rx=\"3\""),
            )
        })
        .collect();
    for l in rects.iter().filter(|r| r.4) {
        for b in rects.iter().filter(|r| !r.4 && r.2 - r.0 < 200.0) {
            let apart = l.2 <= b.0 || l.0 >= b.2 || l.3 <= b.1 || l.1 >= b.3;
            assert!(apart, "label {l:?} over box {b:?}");
        }
    }
}

/// The number in attribute `key="…"` of an SVG element's line.
fn attr(line: &str, key: &str) -> f64 {
    let key = format!("{key}=\"");
    let rest = &line[line.find(&key).unwrap() + key.len()..];
    rest[..rest.find('"').unwrap()].parse().unwrap()
}

#[test]
fn kano_snapshot() {
    let k = csindex::kano::KanoSurvey::from_csv_path(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/kano_300.csv"),
        &csindex::kano::KanoOptions::new(),
    )
    .unwrap();
    check(
        "kano_scatter.svg",
        &csindex::kano::scatter(&k.analyze().unwrap()),
    );
}
