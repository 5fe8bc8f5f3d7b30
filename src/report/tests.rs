//! Unit tests of what the country reports share: the planning matrix's cells.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::catalog::index::Snippet;

/// A reason of `points` for a made-up need, matched (when given) to `field`'s line `line`.
fn reason(points: f64, matched: Option<(&str, usize)>) -> Reason {
    Reason {
        need: "backlog".into(),
        label: "Examination backlog".into(),
        weight: 1.0,
        points,
        relevance: 1.0,
        answers: Vec::new(),
        rules: Vec::new(),
        matched: matched.map(|(field, line)| Snippet {
            field: field.into(),
            line,
            text: String::new(),
            highlights: Vec::new(),
            line_start: 0,
        }),
    }
}

/// A program of the built-in catalog with at least four activities and three outcomes, so a
/// matched line can lie past the ones shown by default.
fn long_program(catalog: &Catalog) -> usize {
    (catalog.programs.iter())
        .position(|p| p.activities.len() >= 4 && p.outcomes.len() >= 3)
        .unwrap()
}

#[test]
fn planning_cells_lead_with_the_matched_line() {
    let catalog = Catalog::builtin().unwrap();
    let program = &catalog.programs[long_program(&catalog)];
    let activity = planning_cells(program, &reason(10.0, Some(("activities", 3))));
    assert_eq!(
        activity.activities,
        [
            &program.activities[3],
            &program.activities[0],
            &program.activities[1]
        ]
    );
    assert_eq!(
        activity.outcomes,
        [&program.outcomes[0], &program.outcomes[1]]
    );
    let outcome = planning_cells(program, &reason(10.0, Some(("outcomes", 2))));
    assert_eq!(
        outcome.activities,
        [
            &program.activities[0],
            &program.activities[1],
            &program.activities[2]
        ]
    );
    assert_eq!(
        outcome.outcomes,
        [&program.outcomes[2], &program.outcomes[0]]
    );
    // A matched line already among the first is not listed twice.
    let first = planning_cells(program, &reason(10.0, Some(("activities", 1))));
    assert_eq!(
        first.activities,
        [
            &program.activities[1],
            &program.activities[0],
            &program.activities[2]
        ]
    );
    let unmatched = planning_cells(program, &reason(10.0, None));
    assert_eq!(unmatched.activities, outcome.activities);
    assert_eq!(
        unmatched.beneficiaries,
        program.beneficiaries.iter().take(2).collect::<Vec<_>>()
    );
}

/// The Markdown and the HTML planning matrix list the same activities: the matched one first.
#[test]
fn markdown_and_html_plan_the_same_activities() {
    let catalog = Catalog::builtin().unwrap();
    let questionnaire = Questionnaire::builtin().unwrap();
    let countries = Countries::builtin().unwrap();
    let position = long_program(&catalog);
    let program = &catalog.programs[position];
    let results = vec![ProgramScore {
        rank: 1,
        program: position,
        score: 40.0,
        points: 40.0,
        reasons: vec![reason(40.0, Some(("activities", 3)))],
    }];
    let profile = Profile::default();
    let report = CountryReport {
        catalog: &catalog,
        questionnaire: &questionnaire,
        profile: &profile,
        results: &results,
        countries: Some(&countries),
        as_of: "2026-01-15".to_string(),
    };
    let markdown = report.markdown(12);
    let planning = &markdown[markdown.find("## Programme planning matrix").unwrap()..];
    let row = planning
        .lines()
        .find(|line| line.starts_with("| Examination backlog | "))
        .unwrap();
    let activities = row.split(" | ").nth(2).unwrap();
    assert!(activities.starts_with(&md(&program.activities[3])), "{row}");
    let html = html::country_report(&report, "2026-02-01");
    let planning = &html[html.find("<section id=\"planning\">").unwrap()..];
    let cell = planning.split("<td><ul>").nth(1).unwrap();
    // The HTML crops long lines: their start is enough to tell them apart.
    let activity_start: String = program.activities[3].chars().take(40).collect();
    assert!(
        cell.starts_with(&format!("<li>{}", html::escape(&activity_start))),
        "{cell}"
    );
}

/// Markdown cells keep no control characters: an answer's terminal escape (`ESC[31m`) would
/// act on the terminal the report is shown on, and a tab would break the table's line.
#[test]
fn markdown_cells_keep_no_control_characters() {
    let cell = md("a\u{1b}[31mred\tb\u{7}|c");
    assert!(!cell.chars().any(char::is_control), "{cell:?}");
    assert_eq!(cell, "a\u{fffd}\\[31mred\u{fffd}b\u{fffd}\\|c");
}

/// A typed entity stays as typed: `&amp;` rendered as `&`, `&lt;b&gt;` as `<b>`.
#[test]
fn markdown_cells_keep_a_typed_entity_as_typed() {
    assert_eq!(md("R&D &amp; &lt;b&gt;"), "R\\&D \\&amp; \\&lt;b\\&gt;");
}

/// A batch of many bad rows names the first hundred and counts the rest, each entry cut to a
/// readable length (a workbook cell holds 32,767 characters).
#[test]
fn rows_not_scored_are_named_up_to_a_limit_and_counted_beyond_it() {
    let problem = |message: String| crate::profile::Problem {
        location: "in.csv:2".into(),
        field: "patent_examiners".into(),
        value: "many".into(),
        message,
    };
    let mut not_scored = NotScored::default();
    not_scored.add(1, "long", &[problem("é".repeat(5_000))], 0);
    for row in 2..=150 {
        not_scored.add(row, "x", &[problem("give a whole number".into())], 1);
    }
    assert_eq!(not_scored.rows_inside, 149);
    assert_eq!(not_scored.total, 150);
    assert_eq!(not_scored.listed.len(), NotScored::LISTED);
    assert_eq!(not_scored.unlisted(), 50);
    assert!(not_scored.listed[0].starts_with("row 1 (long): in.csv:2: "));
    assert!(not_scored.listed[0].ends_with('…'));
    assert_eq!(not_scored.listed[0].chars().count(), 1_001);
    assert_eq!(
        not_scored.listed[1],
        "row 2 (x): in.csv:2: give a whole number"
    );
}

/// A summary with more regions than the width holds splits its columns into tables, each row
/// named by its program, instead of lines that wrap on an 80-column terminal; every region
/// and figure is still there, and no line is wider than the width.
#[test]
fn a_summary_too_wide_for_the_terminal_splits_into_tables() {
    let catalog = Catalog::builtin().unwrap();
    let mut summary = crate::report::summary::Summary::new(catalog.programs.len());
    let ranking: Vec<(usize, f64)> = (0..catalog.programs.len())
        .map(|p| (p, 60.0 - p as f64))
        .collect();
    for region in ["Africa", "Americas", "Asia", "Europe", "Oceania"] {
        summary.add(Some(region), &ranking);
    }
    summary.add(None, &ranking);
    let text = summary.render(&catalog, &NotScored::default(), 80);
    assert!(
        text.lines().all(|line| line.chars().count() <= 80),
        "{text}"
    );
    let headers: Vec<&str> = text.lines().filter(|l| l.starts_with("program ")).collect();
    assert!(headers.len() >= 2, "{text}");
    for region in [
        "Africa (1)",
        "Oceania (1)",
        "No known region (1)",
        "in top 3  mean",
    ] {
        assert_eq!(text.matches(region).count(), 1, "{region}: {text}");
    }
    let first = &catalog.programs[0].id;
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with(first.as_str()))
            .count(),
        headers.len(),
        "{text}"
    );
    // Wide enough, one table, as before.
    let wide = summary.render(&catalog, &NotScored::default(), 200);
    assert_eq!(
        wide.lines().filter(|l| l.starts_with("program ")).count(),
        1,
        "{wide}"
    );
}

#[test]
fn text_written_without_spaces_wraps_to_the_width() {
    use style::{visible_width, wrap};
    // Chinese is written without spaces, two columns a character: it ran past the edge.
    let chinese = "backlog 专利审查积压严重审查员不足缺乏专利信息中心大学和中小企业很少保护";
    let lines = wrap(chinese, 20);
    assert!(lines.len() > 3, "{lines:?}");
    assert!(lines.iter().all(|l| visible_width(l) <= 20), "{lines:?}");
    assert_eq!(lines.concat(), chinese.replace(' ', ""), "nothing lost");
    // A long web address too; a colour escape is never cut, and goes with the text after it.
    let address = format!("see \x1b[1;4m{}\x1b[0m", "https://www.wipo.int/".repeat(3));
    let lines = wrap(&address, 16);
    assert!(lines.iter().all(|l| visible_width(l) <= 16), "{lines:?}");
    assert!(lines[1].starts_with("\x1b[1;4mhttps"), "{lines:?}");
    assert!(
        lines.last().is_some_and(|l| l.ends_with("\x1b[0m")),
        "{lines:?}"
    );
}
