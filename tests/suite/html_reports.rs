//! The HTML reports through the library: one country's page and a batch's regional overview.
//! Self-contained (no script, nothing fetched), escaped, well-formed enough, with every part
//! the reader expects.

use crate::prelude::*;
use std::collections::HashSet;

const HOSTILE_SCRIPT: &str = "<script>alert(1)</script>";
const HOSTILE_ATTRIBUTE: &str = "\"><img src=x onerror=alert(1)>";

/// A profile with clear gaps (backlog, no patent information centre, no strategy) and hostile
/// free text that still matches the catalog.
fn gaps_profile(questionnaire: &Questionnaire) -> Profile {
    let challenges = format!(
        "{HOSTILE_SCRIPT} the patent examination backlog keeps growing {HOSTILE_ATTRIBUTE} &amp; examiners need training"
    );
    let challenges: &'static str = Box::leak(challenges.into_boxed_str());
    profile(
        questionnaire,
        &[
            ("ldc_status", "ldc"),
            ("regional_system", "aripo"),
            ("ip_strategy", "none"),
            ("substantive_examination", "full"),
            ("patent_pendency_months", "84"),
            ("pending_applications", "5000"),
            ("patent_examiners", "4"),
            ("staff_training", "none"),
            ("patent_info_center", "no"),
            ("patent_info_use", "1"),
            ("challenges", challenges),
        ],
    )
}

fn render(
    catalog: &Catalog,
    questionnaire: &Questionnaire,
    profile: &Profile,
) -> (String, Vec<ProgramScore>) {
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    let results = scorer.score(profile, true).unwrap();
    let report = CountryReport {
        catalog,
        questionnaire,
        profile,
        results: &results,
        countries: Some(&Countries::builtin().unwrap()),
        as_of: "2026-01-15".to_string(),
    };
    (country_report(&report, "2026-02-01"), results)
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Opening and closing tags balance for the structural elements.
fn assert_balanced(html: &str) {
    for tag in [
        "html",
        "head",
        "body",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "svg",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "figure",
        "ul",
        "ol",
        "li",
        "blockquote",
        "mark",
        "text",
        "title",
        "style",
        "p",
        "div",
        "a",
        "bdi",
    ] {
        let opening =
            html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
        let closing = html.matches(&format!("</{tag}>")).count();
        assert_eq!(
            opening, closing,
            "<{tag}> opened {opening} times, closed {closing} times"
        );
    }
}

/// The tags of a page as (name, attributes), with attribute values unescaped only as far as
/// needed: the pages quote every value with `"` and escape `"` inside values.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        // The tag runs to the first `>` outside quotes.
        let mut in_value = false;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '"' => in_value = !in_value,
                '>' if !in_value => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let inside = &rest[..end];
        rest = &rest[(end + 1).min(rest.len())..];
        if inside.starts_with('!') || inside.starts_with('/') {
            continue;
        }
        let name_end = inside
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inside.len());
        let name = inside[..name_end].to_lowercase();
        let mut attributes = Vec::new();
        let mut text = &inside[name_end..];
        loop {
            text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if text.is_empty() {
                break;
            }
            let key_end = text
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(text.len());
            let key = text[..key_end].to_lowercase();
            text = &text[key_end..];
            let value = if let Some(after) = text.strip_prefix("=\"") {
                let close = after.find('"').expect("a closing quote");
                text = &after[close + 1..];
                after[..close].to_string()
            } else {
                assert!(
                    !text.starts_with('='),
                    "unquoted attribute value in <{name} {inside}>"
                );
                String::new()
            };
            attributes.push((key, value));
        }
        tags.push((name, attributes));
    }
    tags
}

/// Nothing is loaded from anywhere: no script, no external resource of any kind, no event
/// handler; internal links only.
fn assert_self_contained(html: &str) {
    for (name, attributes) in tags(html) {
        assert!(
            ![
                "script",
                "link",
                "img",
                "iframe",
                "object",
                "embed",
                "video",
                "audio",
                "source",
                "base",
                "form",
                "image",
                "use",
                "foreignobject",
                "meta http-equiv"
            ]
            .contains(&name.as_str()),
            "<{name}> in the page"
        );
        for (key, value) in &attributes {
            assert!(!key.starts_with("on"), "event handler {key} on <{name}>");
            assert!(
                ![
                    "src",
                    "srcset",
                    "action",
                    "formaction",
                    "xlink:href",
                    "http-equiv"
                ]
                .contains(&key.as_str()),
                "{key} on <{name}>"
            );
            if key == "href" {
                assert!(value.starts_with('#'), "external link {value}");
            }
            let lower = value.to_lowercase();
            assert!(!lower.contains("url("), "url( in {key} on <{name}>");
            assert!(!lower.contains("javascript:"), "javascript: in {key}");
            assert!(
                !lower.contains("http://") && !lower.contains("https://"),
                "address in {key} on <{name}>"
            );
        }
    }
    // The style sheet loads nothing either.
    let style = between(html, "<style>", "</style>").to_lowercase();
    for forbidden in ["url(", "@import", "@font-face", "http:", "https:"] {
        assert!(
            !style.contains(forbidden),
            "`{forbidden}` in the style sheet"
        );
    }
}

/// Every `href="#x"` has an element with `id="x"`.
fn assert_anchors_resolve(html: &str) {
    let all_ids: Vec<&str> = html
        .match_indices(" id=\"")
        .map(|(at, m)| {
            let start = at + m.len();
            let end = html[start..].find('"').unwrap() + start;
            &html[start..end]
        })
        .collect();
    let ids: HashSet<&str> = all_ids.iter().copied().collect();
    let mut links = 0;
    for (at, m) in html.match_indices("href=\"#") {
        let start = at + m.len();
        let end = html[start..].find('"').unwrap() + start;
        let target = &html[start..end];
        assert!(ids.contains(target), "link to #{target} has no target");
        links += 1;
    }
    assert!(links > 0, "no internal links");
    assert_eq!(all_ids.len(), ids.len(), "duplicate ids");
}

/// The part of `html` from `start` to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no `{start}`"));
    let to = html[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no `{end}` after `{start}`"))
        + from;
    &html[from..to]
}

#[test]
fn country_report_is_one_self_contained_document() {
    let (catalog, questionnaire) = builtins();
    let (html, _) = render(&catalog, &questionnaire, &gaps_profile(&questionnaire));
    assert!(
        html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
        "{}",
        &html[..60]
    );
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(count(&html, "<html"), 1);
    assert_eq!(count(&html, "<body"), 1);
    assert_eq!(count(&html, "<head>"), 1);
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("@media print"), "a print stylesheet");
    assert_self_contained(&html);
    assert_balanced(&html);
    assert_anchors_resolve(&html);
}

#[test]
fn country_report_has_the_chart_with_one_bar_per_program_and_the_guides() {
    let (catalog, questionnaire) = builtins();
    let (html, results) = render(&catalog, &questionnaire, &gaps_profile(&questionnaire));
    let svg = between(&html, "<svg", "</svg>");
    assert_eq!(count(&html, "<svg"), 1);
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title id=\"chart-title\">"));
    assert_eq!(count(svg, "<rect class=\"bar "), catalog.programs.len());
    assert_eq!(count(svg, "class=\"guide\""), 2);
    assert!(svg.contains(">30</tspan> some need"));
    assert!(svg.contains(">50</tspan> high need"));
    // Bars in ranked order, each labelled with its value; bands by score.
    for result in &results {
        let program = &catalog.programs[result.program];
        let shown = format!("{:.1}", (result.score * 10.0).round() / 10.0);
        assert!(
            svg.contains(&format!(">{shown}</text>")),
            "value {shown} of program {}",
            program.number
        );
        let band = if result.score >= 49.95 {
            "high"
        } else if result.score >= 29.95 {
            "some"
        } else {
            "little"
        };
        assert!(
            svg.contains(&format!("bar-{band}\"")),
            "program {} ({shown}) drawn as {band}",
            program.number
        );
    }
    // The same data as a table for screen readers.
    let table = between(&html, "<div class=\"sr-only\"><table>", "</table>");
    assert_eq!(count(table, "<tr><td>"), catalog.programs.len());
}

#[test]
fn country_report_fits_a_phone_screen() {
    // On a 420 px screen (checked in Chromium) nothing may widen the page: the wide tables
    // scroll in their own box, the contents links and the answer chips wrap.
    let (catalog, questionnaire) = builtins();
    let (html, _) = render(&catalog, &questionnaire, &gaps_profile(&questionnaire));
    for table in ["matrix", "planning"] {
        let wrapped = format!("<div class=\"table-scroll\"><table class=\"{table}\">");
        assert!(
            html.contains(&wrapped),
            "{table} table not in a scrolling box"
        );
    }
    assert!(between(&html, ".table-scroll {", "}").contains("overflow-x: auto"));
    assert!(between(&html, ".toc {", "}").contains("flex-wrap: wrap"));
    // Columns at least 15em wide: one column on a phone, three on a desktop.
    assert!(between(&html, ".chips {", "}").contains("columns: 3 15em"));
}

#[test]
fn country_report_shows_cards_for_the_recommended_programs() {
    let (catalog, questionnaire) = builtins();
    let (html, results) = render(&catalog, &questionnaire, &gaps_profile(&questionnaire));
    let recommended: Vec<&ProgramScore> = results.iter().filter(|r| r.score >= 29.95).collect();
    assert!(
        recommended.len() >= 3,
        "the gaps profile recommends several programs"
    );
    assert_eq!(count(&html, "<article class=\"card "), recommended.len());
    for result in &recommended {
        let program = &catalog.programs[result.program];
        let card = between(
            &html,
            &format!("id=\"program-{}\"", program.number),
            "</article>",
        );
        assert!(
            card.contains(&escape(&program.title)),
            "title of {}",
            program.number
        );
        for objective in &program.objectives {
            assert!(card.contains(&escape(objective)));
        }
        for activity in &program.activities {
            assert!(
                card.contains(&escape(activity)),
                "activity of {}",
                program.number
            );
        }
        for line in program.beneficiaries.iter().chain(&program.outcomes) {
            assert!(card.contains(&escape(line)));
        }
        // The strongest reason: label, points, answers, rule and the matched line, marked.
        let reason = &result.reasons[0];
        assert!(card.contains(&escape(&reason.label)));
        assert!(card.contains(&format!("{:.1}", (reason.points * 10.0).round() / 10.0)));
        for answer in &reason.answers {
            assert!(card.contains(&format!("<span class=\"field\">{}</span> = ", answer.field)));
        }
        assert!(card.contains(&format!("Rule: {}", escape(&reason.rules.join("; ")))));
        assert!(card.contains("<blockquote class=\"matched\">"));
        assert!(card.contains("<mark>"));
    }
    // Program 6's notes hold a URL: shown as text.
    if let Some(card) = html.split("id=\"program-6\"").nth(1) {
        let card = &card[..card.find("</article>").unwrap()];
        assert!(card.contains("Note: A full catalog of courses"));
        assert!(card.contains("http://www.wipo.int/"));
        assert!(!card.contains("href"));
    }
}

#[test]
fn country_report_has_the_header_matrices_and_footer() {
    let (catalog, questionnaire) = builtins();
    let malawi = {
        let mut p = gaps_profile(&questionnaire);
        p.answers.remove("ldc_status");
        p.answers.remove("regional_system");
        p.set("country", ProfileValue::Text("Malawi".into()));
        let countries = Countries::builtin().unwrap();
        p.prefill(&questionnaire, &countries, "2026-01-15".parse().unwrap())
            .unwrap();
        p
    };
    let (html, results) = render(&catalog, &questionnaire, &malawi);
    // Header: name, LDC status and regional organizations, marked as prefilled.
    assert!(html.contains("<h1>Malawi</h1>"));
    let header = between(&html, "<header>", "</header>");
    assert!(header.contains("LDC status"));
    assert!(header.contains("Regional organizations"));
    assert!(header.contains("ARIPO"));
    assert!(count(header, "prefilled from reference data") >= 2);
    assert!(header.contains("The answers that raised needs"));
    assert!(header.contains("<span class=\"field\">patent_pendency_months</span> = 84"));
    // Needs matrix: a row per need raised, a column per recommended program.
    let matrix = between(&html, "<section id=\"needs-matrix\">", "</section>");
    let needs: HashSet<&str> = results
        .iter()
        .flat_map(|r| r.reasons.iter().map(|x| x.label.as_str()))
        .collect();
    assert_eq!(
        count(matrix, "<th scope=\"row\">") - 1,
        needs.len(),
        "one row per need and the score row"
    );
    let recommended = results.iter().filter(|r| r.score >= 29.95).count();
    assert_eq!(
        count(matrix, "<th scope=\"col\" class=\"prog\""),
        recommended
    );
    // Planning matrix with its columns.
    let planning = between(&html, "<section id=\"planning\">", "</section>");
    for column in [
        "Need",
        "Program",
        "Activities to request",
        "Beneficiaries",
        "Expected outcomes",
    ] {
        assert!(planning.contains(&format!(">{column}</th>")), "{column}");
    }
    // Footer.
    let footer = between(&html, "<footer>", "</footer>");
    assert!(footer.contains("Generated on 2026-02-01"));
    assert!(footer.contains("LDC status as of 2026-01-15"));
    assert!(footer.contains(&format!(
        "Questionnaire <code>{}</code> version {}",
        questionnaire.id, questionnaire.version
    )));
    assert!(footer.contains(&escape(&catalog.name)));
    // The built-in catalog in a reader's words, not the `<built-in …>` of messages.
    assert!(footer.contains("built into ipneeds, from its data/programs.yaml"));
    assert!(!footer.contains("&lt;built-in"));
    assert!(footer.contains("same scale for every country"));
    assert_balanced(&html);
    assert_self_contained(&html);
}

#[test]
fn hostile_answers_stay_text() {
    let (catalog, questionnaire) = builtins();
    let (html, results) = render(&catalog, &questionnaire, &gaps_profile(&questionnaire));
    assert!(
        results
            .iter()
            .any(|r| r.reasons.iter().any(|x| x.need == "challenges")),
        "the free text raised a need"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("&amp;amp;"));
    assert!(!html.contains(HOSTILE_SCRIPT));
    assert!(!html.contains(HOSTILE_ATTRIBUTE));
    assert!(!html.to_lowercase().contains("<script"));
    assert!(!html.contains("<img"));
    assert_self_contained(&html);
}

#[test]
fn a_profile_without_gaps_shows_the_top_three_for_reference() {
    let (catalog, questionnaire) = builtins();
    let strong = profile(
        &questionnaire,
        &[("ldc_status", "no"), ("regional_system", "none")],
    );
    let (html, results) = render(&catalog, &questionnaire, &strong);
    assert!(results.iter().all(|r| r.score < 30.0));
    assert_eq!(count(&html, "<article class=\"card "), 3);
    assert!(html.contains("No program scores 30 or more"));
    assert!(html.contains("<h1>Country profile</h1>"));
    assert_eq!(count(&html, "<rect class=\"bar "), catalog.programs.len());
    assert_balanced(&html);
    assert_self_contained(&html);
}

#[test]
fn bad_highlight_ranges_are_ignored() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let profile = gaps_profile(&questionnaire);
    let mut results = scorer.score(&profile, true).unwrap();
    let matched = results[0].reasons[0].matched.as_mut().unwrap();
    matched.text = format!("é<b>{}", matched.text);
    // Off a character boundary, reversed, overlapping, past the end.
    #[allow(clippy::reversed_empty_ranges)]
    let reversed = 5..3;
    matched.highlights = vec![1..2, reversed, 0..2, 1..4, 2000..2001, 3..6];
    let report = CountryReport {
        catalog: &catalog,
        questionnaire: &questionnaire,
        profile: &profile,
        results: &results,
        countries: Some(&Countries::builtin().unwrap()),
        as_of: "2026-01-15".into(),
    };
    let html = country_report(&report, "2026-02-01");
    // 0..2 (é) and 3..6 (`b>T`) are good; the rest are dropped, and `<b>` stays text.
    let quote = between(&html, "<blockquote", "</blockquote>");
    assert!(
        quote.contains("<mark>é</mark>&lt;<mark>b&gt;T</mark>"),
        "{quote}"
    );
    assert_balanced(&html);
}

/// Three rows from two regions, with a hostile id and two ids that slugify the same.
fn overview_rows(catalog: &Catalog, questionnaire: &Questionnaire) -> Vec<OverviewRow> {
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    let backlog = profile(
        questionnaire,
        &[
            ("patent_pendency_months", "84"),
            ("pending_applications", "9000"),
            ("patent_examiners", "5"),
            ("substantive_examination", "full"),
        ],
    );
    let information = profile(
        questionnaire,
        &[("patent_info_center", "no"), ("patent_info_use", "1")],
    );
    let strategy = profile(
        questionnaire,
        &[("ip_strategy", "none"), ("policy_maker_awareness", "1")],
    );
    let programs = catalog.programs.len();
    let row = |id: &str, country: Option<&str>, region: Option<&str>, p: &Profile| {
        OverviewRow::from_results(
            id,
            country,
            region,
            programs,
            &scorer.score(p, false).unwrap(),
        )
    };
    vec![
        row(
            &format!("uga {HOSTILE_SCRIPT}"),
            Some("UGA"),
            Some("Africa"),
            &backlog,
        ),
        row("Viet Nam", Some("VNM"), Some("Asia"), &information),
        row("viet-nam", Some("VNM"), Some("Asia"), &strategy),
    ]
}

#[test]
fn overview_rows_come_from_results() {
    let (catalog, questionnaire) = builtins();
    let rows = overview_rows(&catalog, &questionnaire);
    let backlog = &rows[0];
    assert_eq!(backlog.scores.len(), catalog.programs.len());
    assert_eq!(backlog.top.len(), 3);
    let best = backlog.top[0];
    assert!(backlog.scores.iter().all(|&s| s <= backlog.scores[best]));
    assert_eq!(catalog.programs[best].id, "professional-development");
    let (position, lines) = &backlog.reasons[0];
    assert_eq!(*position, best);
    assert!(
        lines[0].starts_with("Examination backlog: ") && lines[0].ends_with(" points)"),
        "{lines:?}"
    );
    assert!(
        lines[0].contains("patent_pendency_months = 84"),
        "{lines:?}"
    );
}

/// An id in a right-to-left script is isolated, and a direction override (U+202E) replaced, as
/// in every output shown: it turned the ISO code beside it round in the heat map (UGA shown as
/// AGU).
#[test]
fn a_right_to_left_id_does_not_turn_the_code_beside_it_round() {
    let run = Ipneeds::new()
        .file("in.csv", "id,country\n\u{202E}evil,UGA\nمصر,EGY\n")
        .args(["batch", "in.csv", "-o", "page.html"])
        .run();
    run.expect_code(0, "right-to-left ids");
    let html = std::fs::read_to_string(run.path("page.html")).unwrap();
    assert_balanced(&html);
    assert!(
        html.contains("<bdi>Uganda</bdi></a> <span class=\"iso\"><bdi>\u{fffd}evil</bdi></span>"),
        "{html}"
    );
    assert!(html.contains("<h3><bdi>مصر</bdi>"));
}

/// The heat map names each country from the country table, its id beside it (a survey's
/// submission UUID, a row number), and orders a region's countries by name: ids sorted as text
/// put row 10 before row 2, and a survey's UUIDs named no country.
#[test]
fn the_heat_map_names_countries_and_orders_them_by_name() {
    let run = Ipneeds::new()
        .file("in.csv", "country\nUGA\nKEN\nEGY\n")
        .args(["batch", "in.csv", "-o", "page.html"])
        .run();
    run.expect_code(0, "three countries");
    let html = std::fs::read_to_string(run.path("page.html")).unwrap();
    let by_region = html.split("id=\"by-region\"").nth(1).unwrap();
    let at = |name: &str| by_region.find(&format!("<bdi>{name}</bdi></a>")).unwrap();
    assert!(
        at("Egypt") < at("Kenya") && at("Kenya") < at("Uganda"),
        "{html}"
    );
    assert!(by_region.contains("<bdi>Uganda</bdi></a> <span class=\"iso\"><bdi>1</bdi></span>"));
}

/// The heat map reads without its colours and style: a cell shows tenths, so that its number
/// and its colour's band agree (49.7 showed "50" in the colour of 40–50), a top-three cell is
/// marked ★ in text, not by its frame alone, and an id and its ISO code are two words.
#[test]
fn the_heat_map_reads_without_colour_or_style() {
    let run = Ipneeds::new()
        .file("in.csv", "id,country,patent_info_center\nc1,UGA,no\n")
        .args(["batch", "in.csv", "-o", "page.html"])
        .run();
    run.expect_code(0, "one country");
    let html = std::fs::read_to_string(run.path("page.html")).unwrap();
    assert_balanced(&html);
    assert!(html.contains("<main class=\"page\">"), "one main landmark");
    assert!(
        html.contains("<bdi>Uganda</bdi></a> <span class=\"iso\"><bdi>c1</bdi></span>"),
        "{html}"
    );
    let cells: Vec<&str> = (html.split("<td class=\"h").skip(1))
        .filter_map(|cell| cell.split_once("\">").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once("</td>").map(|(shown, _)| shown))
        .collect();
    assert!(!cells.is_empty(), "{html}");
    // Two heat maps of one country: its three best cells are starred in each.
    assert_eq!(
        cells.iter().filter(|c| c.starts_with('★')).count(),
        6,
        "{cells:?}"
    );
    for cell in cells {
        let number = cell.trim_start_matches('★');
        assert!(
            number.contains('.') && number.parse::<f64>().is_ok(),
            "a cell shows tenths: {cell}"
        );
    }
}

#[test]
fn batch_overview_has_both_orders_counts_and_working_anchors() {
    let (catalog, questionnaire) = builtins();
    let rows = overview_rows(&catalog, &questionnaire);
    let html = batch_overview(
        &catalog,
        &rows,
        "East Africa & Asia <2026>",
        "2026-02-01",
        "LDC status as of 2026-02-01.",
    )
    .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<title>East Africa &amp; Asia &lt;2026&gt;</title>"));
    assert_self_contained(&html);
    assert_balanced(&html);
    assert_anchors_resolve(&html);
    // Table of contents to both orders.
    assert!(html.contains("href=\"#by-region\""));
    assert!(html.contains("href=\"#by-program\""));
    let by_region = between(&html, "id=\"by-region\"", "</section>");
    let by_program = between(&html, "id=\"by-program\"", "</section>");
    // By region: Africa then Asia, countries alphabetical within Asia.
    let africa = by_region.find(">Africa <").unwrap();
    let asia = by_region.find(">Asia <").unwrap();
    assert!(africa < asia);
    let first = by_region.find(">Viet Nam</bdi></a>").unwrap();
    let second = by_region.find(">viet-nam</bdi></a>").unwrap();
    assert!(asia < first && first < second);
    // By program: one group per highest-scoring program, in catalog order.
    let groups: Vec<usize> = rows.iter().map(|r| r.top[0]).collect();
    let mut positions: Vec<usize> = groups
        .iter()
        .map(|&p| {
            let program = &catalog.programs[p];
            by_program
                .find(&format!(
                    "Highest: {}. {}",
                    program.number,
                    escape(&program.short_title)
                ))
                .unwrap_or_else(|| panic!("no group for program {}", program.number))
        })
        .collect();
    positions.sort_unstable();
    positions.dedup();
    assert_eq!(positions.len(), 3, "three different top programs");
    // Each heat map: a row per country, a header per program with its short title.
    for table in [by_region, by_program] {
        assert_eq!(
            count(table, "<tr><th scope=\"row\" class=\"country\">"),
            rows.len()
        );
        assert_eq!(
            count(table, "<th scope=\"col\" class=\"prog\" title="),
            catalog.programs.len()
        );
        assert_eq!(
            count(table, "<td class=\"h"),
            rows.len() * catalog.programs.len()
        );
    }
    // Top-3 counts: the table lists every program, and the counts add up to 3 per country.
    let summary = between(&html, "<section id=\"summary\">", "</section>");
    assert_eq!(
        count(summary, "<tr><td class=\"num\">"),
        catalog.programs.len()
    );
    let total: usize = summary
        .split("<span class=\"bar top3\"")
        .skip(1)
        .map(|cell| {
            let after = &cell[cell.find("</span>").unwrap() + 7..];
            after[..after.find('<').unwrap()].parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(total, 3 * rows.len());
    // Hostile id: escaped in the tables and the country list, and a safe anchor.
    assert!(html.contains("uga &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains(HOSTILE_SCRIPT));
    assert!(html.contains("id=\"country-1-uga-script-alert-1-script\""));
    // Ids that slugify the same get different anchors (by their place in the batch).
    assert!(html.contains("id=\"country-2-viet-nam\""));
    assert!(html.contains("id=\"country-3-viet-nam\""));
    assert!(html.contains("Back to the map"));
    // The program key: a long name's second line hangs under the name, not under its number.
    assert!(between(&html, ".programs-legend li {", "}").contains("display: flex"));
}

#[test]
fn batch_overview_of_nothing_is_still_a_page() {
    let (catalog, _) = builtins();
    let html = batch_overview(&catalog, &[], "Empty", "2026-02-01", "").unwrap();
    assert!(html.contains("No country in this batch."));
    // No table of mean scores 0.0, which would read as "no need anywhere".
    assert!(html.contains("No country was scored, so there is nothing to compare."));
    assert!(!html.contains("class=\"stats\""));
    // Nor two empty heat maps with their legends, which would read as maps of no needs.
    assert_eq!(
        count(&html, "No country was scored, so there is no map."),
        2
    );
    assert!(!html.contains("class=\"heat\""));
    assert!(html.contains("<p class=\"lead\">No country was scored.</p>"));
    assert_balanced(&html);
    assert_self_contained(&html);
}

/// The planning matrix sends each need to the program that answers it, not to the one where it
/// happens to be the strongest need: in the example, collective management went to regional
/// cooperation's networks (14 points, that program's strongest need) instead of the
/// creative-industries program whose catalog names it (8 points, counted at half there after a
/// stronger need).
#[test]
fn the_planning_matrix_sends_a_need_to_the_program_that_answers_it() {
    for format in ["markdown", "html"] {
        let run = Ipneeds::new()
            .dated("2026-06-01")
            .in_repo()
            .args([
                "score",
                "questionnaires/examples/example-answers.yaml",
                "-f",
                format,
            ])
            .run();
        run.success();
        let planning = &run.stdout[run.stdout.find("planning matrix").unwrap()..];
        let row = (planning.split(['\n']))
            .find(|line| line.contains("Collective management of copyright"))
            .unwrap_or_else(|| panic!("{format}: no collective-management row"));
        let program = match format {
            "html" => "<strong>8.</strong> IP capacity of institutions that support entrepreneurs",
            _ => "8. IP capacity of institutions that support entrepreneurs",
        };
        assert!(row.contains(program), "{format}: {row}");
    }
}
