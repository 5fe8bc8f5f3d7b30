//! Unit tests of the streamed overview: the page is the same whether its rows stay in memory or
//! go through scratch files, and it counts what it is given.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// `n` made-up rows: a few regions (and none), ids that repeat and differ only in case,
/// scores of every band, zero rows among them.
fn rows(catalog: &Catalog, n: usize) -> Vec<OverviewRow> {
    let programs = catalog.programs.len();
    let regions = [Some("Africa"), Some("Asia"), None, Some("Europe")];
    (0..n)
        .map(|i| {
            let scores: Vec<f64> = (0..programs)
                .map(|p| {
                    if i % 11 == 0 {
                        0.0
                    } else {
                        ((i * 37 + p * 53) % 1000) as f64 / 10.0
                    }
                })
                .collect();
            let mut order: Vec<usize> = (0..programs).collect();
            order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
            let top: Vec<usize> = order.into_iter().take(3).collect();
            OverviewRow {
                id: match i % 5 {
                    0 => format!("Country {}", i % 7),
                    1 => format!("country-{}", i % 7),
                    _ => format!("c{i} <b>"),
                },
                country: (i % 3 != 0).then(|| "UGA".to_string()),
                region: regions[i % regions.len()].map(str::to_string),
                name: (i % 4 == 0).then(|| "Côte d'Ivoire".to_string()),
                reasons: top
                    .iter()
                    .map(|&p| (p, vec![format!("Need {p}: answer = {i} (1.0 points)")]))
                    .collect(),
                scores,
                top,
            }
        })
        .collect()
}

fn page(catalog: &Catalog, rows: &[OverviewRow], budget: usize, near: Option<&Path>) -> String {
    let mut overview = Overview::with_budget(catalog, budget, near);
    for row in rows {
        overview.add(row).unwrap();
    }
    let mut out = Vec::new();
    overview
        .finish(
            "Title",
            "2026-02-01",
            "LDC status as of 2026-02-01.",
            &crate::report::NotScored::default(),
            &mut out,
        )
        .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn spilled_and_in_memory_pages_are_the_same() {
    let catalog = Catalog::builtin().unwrap();
    let rows = rows(&catalog, 700);
    let dir = tempfile::tempdir().unwrap();
    let near = dir.path().join("overview.html");
    let in_memory = page(&catalog, &rows, usize::MAX, None);
    // A budget of a few rows: many runs, merged in more than one pass.
    let spilled = page(&catalog, &rows, 2_000, Some(&near));
    assert_eq!(spilled, in_memory);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no scratch file left"
    );
    assert_eq!(
        batch_overview(
            &catalog,
            &rows,
            "Title",
            "2026-02-01",
            "LDC status as of 2026-02-01."
        )
        .unwrap(),
        in_memory
    );
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_page_counts_its_rows() {
    let catalog = Catalog::builtin().unwrap();
    let rows = rows(&catalog, 300);
    let html = page(&catalog, &rows, 4_000, None);
    // Every row in both maps and once in the countries' list, with one anchor each.
    assert_eq!(
        count(&html, "<tr><th scope=\"row\" class=\"country\">"),
        2 * rows.len()
    );
    assert_eq!(count(&html, "<article class=\"country\""), rows.len());
    let anchors: std::collections::HashSet<&str> = html
        .split("<article class=\"country\" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(anchors.len(), rows.len(), "anchors are unique");
    // The group headings' sizes add up to the rows, in each map.
    let sizes = |section: &str| -> usize {
        section
            .split("<tr class=\"group\">")
            .skip(1)
            .map(|g| {
                let open = g.find("<span class=\"muted\">(").unwrap() + 21;
                g[open..open + g[open..].find(')').unwrap()]
                    .parse::<usize>()
                    .unwrap()
            })
            .sum()
    };
    let by_region =
        &html[html.find("id=\"by-region\"").unwrap()..html.find("id=\"by-program\"").unwrap()];
    let by_program =
        &html[html.find("id=\"by-program\"").unwrap()..html.find("id=\"countries\"").unwrap()];
    assert_eq!(sizes(by_region), rows.len());
    assert_eq!(sizes(by_program), rows.len());
    // Each group's heading gives the number of rows under it.
    for group in by_region.split("<tr class=\"group\">").skip(1) {
        let open = group.find("<span class=\"muted\">(").unwrap() + 21;
        let size: usize = group[open..open + group[open..].find(')').unwrap()]
            .parse()
            .unwrap();
        assert_eq!(count(group, "<tr><th scope=\"row\""), size);
    }
    // Regions: 75 rows each of Africa, Asia, Europe and without one.
    assert!(html.contains(
        "300 countries (75 in Africa, 75 in Asia, 75 in Europe, 75 without a known region)"
    ));
}

/// The aggregator's top-3 counts (the page shows them: `tests/suite/html_reports.rs` reads
/// them back from the HTML): each row adds 3, but a row scoring 0 everywhere adds none.
#[test]
fn rows_scoring_zero_count_in_no_top_3() {
    let catalog = Catalog::builtin().unwrap();
    let rows = rows(&catalog, 300);
    let zero_rows = rows
        .iter()
        .filter(|r| r.scores.iter().all(|&s| s == 0.0))
        .count();
    assert!(zero_rows > 0);
    let mut overview = Overview::with_budget(&catalog, usize::MAX, None);
    for row in &rows {
        overview.add(row).unwrap();
    }
    let total: u64 = (0..catalog.programs.len())
        .map(|p| overview.summary.in_top_three(p))
        .sum();
    assert_eq!(total, 3 * (rows.len() - zero_rows) as u64);
}

/// Regions and ids without regard to case; rows of one region together.
#[test]
fn rows_are_in_region_then_id_order() {
    let catalog = Catalog::builtin().unwrap();
    let mut rows = rows(&catalog, 6);
    let regions = [
        Some("asia"),
        Some("Asia"),
        None,
        Some("Africa"),
        Some("asia"),
        Some("Asia"),
    ];
    let ids = ["b", "B", "a", "z", "A", "a"];
    for (row, (region, id)) in rows.iter_mut().zip(regions.iter().zip(ids)) {
        row.region = region.map(str::to_string);
        row.id = id.to_string();
    }
    let html = page(&catalog, &rows, usize::MAX, None);
    let order: Vec<&str> = html
        .split("<article class=\"country\" id=\"country-")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(order, ["4-z", "6-a", "2-b", "5-a", "1-b", "3-a"]);
}
