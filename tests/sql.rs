//! Moments by SQL: the query's text, and (feature `datafusion`) the query run on Apache
//! DataFusion over Parquet, against the streamed moments of the same data.

use csindex::sql::{SqlDialect, SqlMoments};
use csindex::{LoadOptions, MissingPolicy};

#[test]
fn one_portable_query() {
    let opts = LoadOptions::new()
        .scale("*", 1.0, 10.0)
        .reverse("b")
        .missing_code("99")
        .weights("w", csindex::WeightKind::Sampling);
    let spec = SqlMoments::new(&["a", "b"], &opts, MissingPolicy::Listwise).unwrap();
    let std = spec.query("survey", SqlDialect::Standard);
    let spark = spec.query("survey", SqlDialect::Spark);
    // The two texts differ only in identifier quotes.
    assert_eq!(std.replace('"', "`"), spark);
    for part in [
        "SELECT COUNT(*) AS n_rows,",
        "(11 - NULLIF(\"b\", 99))",
        "((11 - NULLIF(\"b\", 99)) - 5.5)",
        "AS q_0_1",
        "AS bad_w",
        " FROM survey",
    ] {
        assert!(std.contains(part), "{part} not in {std}");
    }
    // No engine-specific types or functions.
    for word in ["CAST", "DOUBLE", "FLOAT", "::", "POWER"] {
        assert!(!std.contains(word), "{word}");
    }
    let g = spec
        .clone()
        .group_by("wave")
        .query("t", SqlDialect::Standard);
    assert!(g.starts_with("SELECT \"wave\" AS grp,") && g.ends_with("GROUP BY \"wave\""));
    assert!(SqlMoments::new(&["a"], &opts, MissingPolicy::Mean).is_err());
}

#[cfg(feature = "datafusion")]
mod common;

#[cfg(feature = "datafusion")]
mod datafusion {
    use super::common::parquet::{sample, write, write_csv, Kind};
    // DataFusion reads a directory as one table: its files must share one schema (it
    // refuses an Int64 part beside a Float64 part, and says so).

    use csindex::sql::SqlMoments;
    use csindex::stream::Stream;
    use csindex::{LoadOptions, MissingPolicy, Model, Pls};
    use std::path::PathBuf;

    fn dir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("csindex-sql-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn max_diff(a: &nalgebra::DMatrix<f64>, b: &nalgebra::DMatrix<f64>) -> f64 {
        (a - b).abs().max()
    }

    #[test]
    fn datafusion_moments_equal_streamed_moments() {
        let (mut names, mut rows) = sample();
        // A weight, a missing cell, a missing code and a segment column.
        names.push("w".into());
        names.push("wave".into());
        for (i, r) in rows.iter_mut().enumerate() {
            r.push(format!("{}", 1 + i % 3));
            r.push(format!("{}", 1 + i % 2));
        }
        rows[5][3] = String::new();
        rows[9][0] = "99".into();
        let d = dir("moments");
        let csv = d.join("all.csv");
        write_csv(&csv, &names, &rows);
        let parts = d.join("parts");
        std::fs::create_dir_all(&parts).unwrap();
        write(
            &parts.join("1.parquet"),
            &names,
            &rows[..130],
            Kind::Int,
            true,
        );
        write(
            &parts.join("2.parquet"),
            &names,
            &rows[130..],
            Kind::Int,
            false,
        );
        let opts = LoadOptions::new()
            .scale("*", 1.0, 10.0)
            .scale("COMP1", 0.0, 1.0)
            .reverse("LOY2")
            .missing_code("99")
            .weights("w", csindex::WeightKind::Sampling);
        let cols = Model::acsi().indicators();
        let streamed = Stream::new(opts.clone())
            .missing(MissingPolicy::Listwise)
            .moments(&csv, &cols)
            .unwrap();
        let spec = SqlMoments::new(&cols, &opts, MissingPolicy::Listwise).unwrap();
        let by_sql = spec.run_datafusion(&parts).unwrap();
        assert_eq!(by_sql.n_rows(), streamed.n_rows());
        assert_eq!(by_sql.n_used(), streamed.n_used());
        assert_eq!(by_sql.missing_counts(), streamed.missing_counts());
        assert_eq!(by_sql.min(), streamed.min());
        let dc = max_diff(
            &by_sql.correlation().unwrap(),
            &streamed.correlation().unwrap(),
        );
        let dv = max_diff(
            &by_sql.covariance().unwrap(),
            &streamed.covariance().unwrap(),
        );
        eprintln!("DataFusion vs streamed moments: correlations {dc:.1e}, covariances {dv:.1e}");
        assert!(dc < 1e-12 && dv < 1e-10, "{dc:e} {dv:e}");
        let pls = Pls::new().missing(MissingPolicy::Listwise);
        let a = pls.fit_moments(&Model::acsi(), &by_sql).unwrap();
        let b = pls.fit_moments(&Model::acsi(), &streamed).unwrap();
        assert!((a.path("SAT", "LOY").unwrap() - b.path("SAT", "LOY").unwrap()).abs() < 1e-10);
        // Grouped by wave: each group's moments are those of its rows.
        let groups = spec.group_by("wave").run_datafusion_groups(&parts).unwrap();
        assert_eq!(groups.len(), 2);
        let total: u64 = groups.iter().map(|g| g.1.n_rows()).sum();
        assert_eq!(total, 250);
        for (g, m) in &groups {
            let rows_g: Vec<Vec<String>> = rows
                .iter()
                .filter(|r| r.last().unwrap() == g)
                .cloned()
                .collect();
            let f = d.join(format!("wave{g}.csv"));
            write_csv(&f, &names, &rows_g);
            let s = Stream::new(opts.clone())
                .missing(MissingPolicy::Listwise)
                .moments(&f, &cols)
                .unwrap();
            assert!(max_diff(&m.correlation().unwrap(), &s.correlation().unwrap()) < 1e-12);
        }
    }
}
