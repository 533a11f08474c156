//! The HTML report: self-contained, every table and figure, the key numbers in the page; and,
//! where Debian's chromium is installed (.ci/run installs it), rendered by a real headless
//! browser and printed to PDF. Without chromium that part prints SKIPPED.

mod common;
use csindex::{waves::Waves, Analysis, Bootstrap, Model, Pls};
use std::process::Command;

fn result() -> csindex::AnalysisResult {
    let s = common::acsi_sample();
    let q: Vec<String> = (0..s.n_rows())
        .map(|i| if i < 125 { "2025" } else { "2026" }.to_string())
        .collect();
    let s = s.with_text_column("year", q).unwrap();
    Analysis::new(Pls::new())
        .bootstrap(Bootstrap::new(100).seed(3))
        .ipma("SAT")
        .waves(Waves::new("year").bootstrap(50).permutations(49))
        .title("csindex: acsi_sample.csv <test> & co")
        .run(&Model::acsi(), &s)
        .unwrap()
}

#[test]
fn the_page_is_self_contained_and_complete() {
    let r = result();
    let html = r.to_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("csindex: acsi_sample.csv &lt;test&gt; &amp; co"));
    for bad in ["<script", "<link", " src=", " href=", "@import"] {
        assert!(!html.contains(bad), "{bad}");
    }
    // url() only for the SVG's own markers.
    assert!(html
        .match_indices("url(")
        .all(|(i, _)| html[i..].starts_with("url(#")));
    let external: Vec<&str> = html
        .match_indices("http")
        .map(|(i, _)| &html[i..(i + 30).min(html.len())])
        .filter(|s| !s.starts_with("http://www.w3.org/2000/svg"))
        .collect();
    assert!(external.is_empty(), "{external:?}");
    // Every table of the text report, the model text, the version, the figures.
    let text = r.to_text();
    let titles = [
        "Measurement model",
        "Structural model",
        "Satisfaction indices",
        "Importance-performance map for SAT",
        "Index by wave 'year'",
    ];
    for t in titles {
        assert!(
            text.contains(t) && html.contains(&format!("<caption>{t}")),
            "{t}"
        );
    }
    assert!(html.contains("SAT =~ SAT1 + SAT2 + SAT3"));
    assert!(html.contains(env!("CARGO_PKG_VERSION")));
    // Path diagram, IPMA of the constructs and of the indicators, trend.
    assert_eq!(html.matches("<svg").count(), 4);
    let sat = format!("{:.2}", r.fit().index("SAT").unwrap());
    assert!(html.contains(&sat));
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn a_headless_browser_renders_and_prints_it() {
    let Some(browser) = chromium() else {
        println!("SKIPPED: chromium not found (.ci/run installs Debian's chromium)");
        return;
    };
    let r = result();
    let dir = std::env::temp_dir().join(format!("csindex-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("report.html");
    std::fs::write(&page, r.to_html()).unwrap();
    let url = format!("file://{}", page.display());
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let out = Command::new(browser)
        .args(common)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8_lossy(&out.stdout);
    let sat = format!("{:.2}", r.fit().index("SAT").unwrap());
    assert!(
        dom.contains(&sat) && dom.contains("Index by wave"),
        "the key numbers are not in the page"
    );
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        !log.contains("CONSOLE") && !log.contains("Uncaught"),
        "console errors: {log}"
    );
    let pdf = dir.join("report.pdf");
    let out = Command::new(browser)
        .args(common)
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg("--no-pdf-header-footer")
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(
        bytes.starts_with(b"%PDF") && bytes.len() > 20_000,
        "{} bytes",
        bytes.len()
    );
    let pages = bytes.windows(10).filter(|w| w == b"/Type /Pag").count();
    println!(
        "printed {} bytes to {}; about {pages} page objects",
        bytes.len(),
        pdf.display()
    );
}
