//! Self-contained HTML reports: one country's needs assessment, and the regional overview of a
//! batch. Written by hand: inline CSS and inline SVG only, no script, no font, no image and no
//! URL fetched from anywhere, so a page can be mailed, archived and printed as it is.
//!
//! Every text that comes from answers, ids or the catalog goes through [`escape`].

use crate::catalog::{Catalog, Program};
use crate::profile::countries::Countries;
use crate::profile::questionnaire::Questionnaire;
use crate::profile::Profile;
use crate::report::style::wrap;
use crate::report::{
    answered_count, counts, marked, needs_raised, planning_cells, planning_rows, points_of,
    recommended, round1, Band, CountryReport, HIGH, MEDIUM, SCALE,
};
use crate::scoring::{Evidence, ProgramScore, Reason};
use std::collections::BTreeMap;
use std::ops::Range;

mod overview;
pub use overview::{batch_overview, Overview, OverviewRow};

/// Appends formatted text to a `String` (formatting into a `String` cannot fail).
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {
        $out.push_str(&format!($($arg)*))
    };
}

/// Escapes text for HTML text content and quoted attribute values: `& < > " '`. A control
/// character other than a tab or line break (an escape sequence a survey export carried) is not
/// allowed in HTML: it is shown as U+FFFD, as in the terminal's messages.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if crate::io::quote::hides_its_text(c) => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// A fragment identifier made of `a-z`, `0-9` and `-` only; never empty.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "row".to_string()
    } else {
        slug.to_string()
    }
}

/// Escaped text with the byte ranges in `<mark>`; ranges that overlap, fall outside the text or
/// off a character boundary are ignored. Marks separated only by spaces or hyphens are joined.
pub fn highlight(text: &str, highlights: &[Range<usize>]) -> String {
    let mut ranges: Vec<Range<usize>> = highlights
        .iter()
        .filter(|r| {
            r.start < r.end
                && r.end <= text.len()
                && text.is_char_boundary(r.start)
                && text.is_char_boundary(r.end)
        })
        .cloned()
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        if let Some(last) = merged.last_mut() {
            if range.start < last.end {
                continue; // overlapping
            }
            let gap = text.get(last.end..range.start).unwrap_or("x");
            if gap.chars().all(|c| c == ' ' || c == '-') && gap.len() <= 2 {
                last.end = range.end;
                continue;
            }
        }
        merged.push(range);
    }
    marked(text, &merged, escape, ["<mark>", "</mark>"])
}

/// One decimal, as every other output shows scores.
fn one(value: f64) -> String {
    format!("{:.1}", round1(value))
}

/// The bands as the pages show them.
impl Band {
    fn class(self) -> &'static str {
        match self {
            Band::High => "high",
            Band::Some => "some",
            Band::Little => "little",
        }
    }

    /// Bar colours: distinct in hue and in lightness, so they also read in grey, and each
    /// at least 3:1 against white (WCAG's contrast for graphics): 8.5, 4.0 and 3.1.
    fn colour(self) -> &'static str {
        match self {
            Band::High => "#8c2a1f",
            Band::Some => "#b86e00",
            Band::Little => "#8493a5",
        }
    }
}

/// Shortens text to `max` characters with an ellipsis.
fn crop(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    // At the last word's end when there is one in the second half ("as well as the…", not
    // "as well as the p…"); a long word or an id is cut where it must be.
    let at_word = (cut.rfind(char::is_whitespace))
        .filter(|&at| {
            cut.get(..at)
                .is_some_and(|kept| kept.chars().count() * 2 >= max)
        })
        .and_then(|at| cut.get(..at));
    let kept = at_word.unwrap_or(&cut).trim_end();
    let kept = kept.trim_end_matches([',', ';', ':']);
    format!("{kept}…")
}

/// [`wrap`] into at most `lines` lines: the words left over join the last line, which is
/// cropped to `width` with an ellipsis (a chart label has room for so many lines).
fn wrap_at_most(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out = wrap(text, width);
    if lines > 0 && out.len() > lines {
        let rest = out.split_off(lines - 1).join(" ");
        out.push(rest);
    }
    if let Some(last) = out.last_mut() {
        *last = crop(last, width);
    }
    out
}

/// The style shared by both pages. Print: white paper, no fixed widths, no card split.
const BASE_CSS: &str = r#"
:root {
  --ink: #1c2430; --muted: #5a6573; --rule: #d3d9e0; --soft: #f3f5f8; --accent: #1f4e8c;
  --high: #8c2a1f; --some: #b86e00; --little: #8493a5;
}
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body {
  margin: 0; background: #ffffff; color: var(--ink);
  font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 15px; line-height: 1.5;
}
.page { max-width: 1100px; margin: 0 auto; padding: 36px 44px 40px; }
h1 { font-size: 30px; line-height: 1.2; margin: 6px 0 10px; letter-spacing: -0.01em; }
h2 { font-size: 21px; line-height: 1.3; margin: 40px 0 6px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 17px; line-height: 1.35; margin: 0; }
h4 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.07em; color: var(--muted); margin: 16px 0 6px; }
p { margin: 6px 0; }
a { color: var(--accent); }
.kicker { text-transform: uppercase; letter-spacing: 0.09em; font-size: 12px; font-weight: 700; color: var(--accent); margin: 0; }
.lead { font-size: 17px; max-width: 60em; }
.intro { color: var(--muted); max-width: 62em; margin-bottom: 14px; }
.muted { color: var(--muted); }
.warning { border-left: 4px solid var(--high); background: #fbeeec; padding: 8px 12px; max-width: 60em; }
.not-scored li { overflow-wrap: anywhere; margin: 4px 0; }
.small { font-size: 13px; }
code, .field { font-family: "DejaVu Sans Mono", Consolas, "Liberation Mono", monospace; font-size: 0.86em; background: var(--soft); padding: 0 3px; border-radius: 3px; white-space: nowrap; }
.prefilled { display: inline-block; font-size: 11px; line-height: 1.3; padding: 0 5px; margin-left: 4px; border: 1px solid #8aa3c2; color: #2d4f7a; border-radius: 8px; white-space: nowrap; vertical-align: 1px; }
.toc { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 18px 0 0; padding: 10px 14px; background: var(--soft); border-radius: 6px; font-size: 14px; }
.toc a { white-space: nowrap; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 14px 0 0; }
.facts dt { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: 0.05em; padding-top: 2px; }
.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--rule); }
thead th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); border-bottom: 2px solid var(--ink); vertical-align: bottom; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
/* Wide tables scroll inside their own box on a narrow screen, not the whole page. */
.table-scroll { overflow-x: auto; }
.answers td, .answers th { overflow-wrap: anywhere; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 13px; color: var(--muted); margin: 6px 0 0; padding: 0; list-style: none; }
.legend .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 2px; vertical-align: -2px; margin-right: 6px; border: 1px solid rgba(0,0,0,0.12); }
footer { margin-top: 44px; padding-top: 12px; border-top: 1px solid var(--rule); font-size: 13px; color: var(--muted); }
footer p { margin: 3px 0; }
svg text { font-family: inherit; }
@page { size: A4; margin: 14mm 12mm 14mm; }
@media print {
  body { font-size: 10pt; background: #ffffff; color: #000000; }
  .page { max-width: none; padding: 0; }
  .toc, .back { display: none; }
  .table-scroll { overflow: visible; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, li, figure { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Extra style of the country report.
const COUNTRY_CSS: &str = r#"
.header-grid { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 28px; align-items: start; }
.verdict { border: 1px solid var(--rule); border-radius: 8px; padding: 14px 16px; background: var(--soft); }
.verdict .count { font-size: 26px; font-weight: 700; line-height: 1.1; }
.verdict p { margin: 2px 0 10px; font-size: 14px; }
.answers td:first-child { width: 34%; }
.answers .prompt { display: block; color: var(--muted); font-size: 12.5px; line-height: 1.35; margin-top: 2px; }
.raising { margin-top: 22px; }
h2.minor { font-size: 13px; text-transform: uppercase; letter-spacing: 0.07em; color: var(--muted); border: 0; margin: 0 0 6px; padding: 0; }
.chips { list-style: none; margin: 0; padding: 0; columns: 3 15em; column-gap: 24px; font-size: 13.5px; }
.chips li { break-inside: avoid; padding: 2px 0; overflow-wrap: anywhere; }
.chips .field { white-space: normal; }
.needlist { margin: 0; padding: 0; list-style: none; font-size: 13px; color: var(--muted); }
figure.chart { margin: 8px 0 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
.cards { display: block; }
.card { border: 1px solid var(--rule); border-left: 6px solid var(--little); border-radius: 8px; padding: 16px 20px 14px; margin: 18px 0; break-inside: avoid; page-break-inside: avoid; background: #ffffff; }
.card.high { border-left-color: var(--high); }
.card.some { border-left-color: var(--some); }
.card-head { display: grid; grid-template-columns: 46px minmax(0, 1fr) auto; gap: 14px; align-items: center; }
.pnum { width: 42px; height: 42px; border-radius: 50%; background: var(--ink); color: #ffffff; font-weight: 700; font-size: 18px; display: flex; align-items: center; justify-content: center; }
.score { text-align: right; white-space: nowrap; }
.score strong { font-size: 28px; line-height: 1; display: block; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; margin-top: 4px; }
.badge.high { background: #f6dcd7; color: #7a2016; }
.badge.some { background: #fbe9c9; color: #6b4504; }
.badge.little { background: #e6ebf0; color: #3c4a5a; }
.objectives { margin: 12px 0 0; padding: 0 0 0 18px; }
.objectives li { margin: 2px 0; }
.why { margin: 0; padding: 0; list-style: none; }
.why > li { display: grid; grid-template-columns: 64px minmax(0, 1fr); gap: 10px; padding: 8px 0; border-top: 1px solid var(--rule); break-inside: avoid; page-break-inside: avoid; }
.why > li:first-child { border-top: 0; padding-top: 2px; }
.why > li.minor { padding: 4px 0; font-size: 13.5px; }
.why > li.minor .need { font-weight: 600; }
.why > li.minor + li.minor { border-top: 0; padding-top: 0; }
.pts { font-weight: 700; font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
.pts small { display: block; font-weight: 400; font-size: 11px; color: var(--muted); }
.need { font-weight: 600; }
.evidence { margin: 2px 0 0; font-size: 13.5px; }
.rule { font-size: 13px; color: var(--muted); }
blockquote.matched { margin: 6px 0 0; padding: 6px 10px; border-left: 3px solid #c9d3de; background: #f8f9fb; font-size: 13.5px; }
blockquote.matched .where { font-size: 11px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin-right: 6px; }
mark { background: #fde9a8; color: inherit; padding: 0 1px; border-radius: 2px; }
.also { font-size: 13px; color: var(--muted); margin: 6px 0 0; }
.offer { display: grid; grid-template-columns: minmax(0, 1.35fr) minmax(0, 1fr); gap: 8px 28px; margin-top: 6px; border-top: 1px dashed var(--rule); }
.offer ul { margin: 0; padding-left: 18px; font-size: 14px; }
.offer li { margin: 2px 0; }
.notes { font-size: 12.5px; color: var(--muted); margin-top: 8px; overflow-wrap: anywhere; }
.matrix { font-size: 13.5px; }
.matrix tbody th { font-weight: 600; }
.matrix .basis { font-weight: 400; }
.matrix th.prog { text-align: center; width: 46px; }
.matrix td.cell { text-align: center; font-variant-numeric: tabular-nums; border-left: 1px solid var(--rule); }
.matrix td.faint { color: #687382; font-size: 12px; }
.matrix td.sev { white-space: nowrap; }
.matrix tfoot td, .matrix tfoot th { border-top: 2px solid var(--ink); font-weight: 700; }
.planning td { font-size: 13.5px; }
.planning ul { margin: 0; padding-left: 16px; }
.planning .pts { text-align: left; font-weight: 400; color: var(--muted); font-size: 12px; }
@media screen and (max-width: 760px) {
  .header-grid, .offer { grid-template-columns: 1fr; }
}
@media print {
  #recommended, #needs-matrix, #planning, #answers { break-before: page; page-break-before: always; }
  #recommended h2, #needs-matrix h2, #planning h2, #answers h2 { margin-top: 0; }
  .intro { break-after: avoid; page-break-after: avoid; }
  .card { padding: 10px 14px 8px; margin: 10px 0; }
  .card h3 { font-size: 14pt; }
  .card h4 { margin: 10px 0 4px; }
  .why > li { padding: 5px 0; }
  .offer ul, .objectives { font-size: 9.5pt; }
  blockquote.matched, .evidence { font-size: 9.5pt; }
  .header-grid { grid-template-columns: minmax(0, 1fr) 240px; }
  .card { border-left-width: 6px; }
  .verdict { background: #ffffff; }
  /* A card may run onto the next page: kept whole, every card longer than the space left
     began a page and left the page before it near-empty (a 40-page report). Its parts stay
     whole. */
  .card { break-inside: auto; page-break-inside: auto; }
  .card-head, .offer > div { break-inside: avoid; page-break-inside: avoid; }
  /* Five columns of catalog text: on a portrait page each need took a page of its own. */
  #planning { page: wide; }
  .planning td { font-size: 9pt; }
}
@page wide { size: A4 landscape; }
"#;

/// Extra style of the regional overview.
const OVERVIEW_CSS: &str = r#"
.stats td { vertical-align: middle; }
.stats .bar { display: inline-block; height: 12px; vertical-align: -1px; border-radius: 2px; margin-right: 8px; }
.stats .bar.top3 { background: #1f4e8c; }
.stats .bar.mean { background: #8a9aad; }
.stats td.barcell { width: 26%; white-space: nowrap; font-variant-numeric: tabular-nums; }
.heat { table-layout: fixed; font-size: 13px; }
.heat th, .heat td { padding: 5px 4px; }
.heat thead th { border-top: 0; }
.heat thead th.prog { text-align: center; font-size: 12px; }
.heat th.country { width: 23%; font-weight: 400; overflow-wrap: anywhere; }
.heat td.h { text-align: center; font-variant-numeric: tabular-nums; border: 1px solid #ffffff; }
.heat td.h.dark { color: #ffffff; }
.heat td.top { font-weight: 700; outline: 2px solid var(--ink); outline-offset: -3px; }
.heat tr.group th { background: var(--soft); font-size: 13px; font-weight: 700; text-transform: none; letter-spacing: 0; color: var(--ink); padding: 7px 8px; border-bottom: 1px solid var(--rule); }
.heat .iso { color: var(--muted); font-size: 12px; }
.scale { display: flex; align-items: center; gap: 0; margin: 10px 0 0; font-size: 12px; color: var(--muted); flex-wrap: wrap; }
.scale span.step { display: inline-block; width: 38px; height: 16px; text-align: center; line-height: 16px; font-size: 11px; }
.scale .caption { margin-right: 10px; }
.programs-legend { columns: 2; column-gap: 32px; margin: 12px 0 0; padding: 0; list-style: none; font-size: 13px; }
.programs-legend li { break-inside: avoid; margin: 2px 0; display: flex; gap: 4px; }
.programs-legend b { flex: none; min-width: 24px; }
.country { border-top: 1px solid var(--rule); padding: 12px 0 10px; break-inside: avoid; page-break-inside: avoid; }
.country h3 { overflow-wrap: anywhere; }
.country h3 .iso { color: var(--muted); font-weight: 400; font-size: 14px; margin-left: 6px; }
.country ol { margin: 6px 0 0; padding-left: 22px; }
.country ol > li { margin: 6px 0; }
.country ul { margin: 2px 0 0; padding-left: 18px; font-size: 13.5px; color: #333d49; }
.back { font-size: 13px; }
@media print {
  .programs-legend, .scale { break-inside: avoid; page-break-inside: avoid; }
  .heat { font-size: 9pt; }
  .heat th, .heat td { padding: 3px 4px; }
  .programs-legend { font-size: 8pt; margin-top: 6px; }
  .heat td.top { outline: 2px solid #000000; }
  section.heatmap { break-before: page; page-break-before: always; }
}
"#;

/// The document head and the opening of the page.
fn open_page(title: &str, extra_css: &str) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"ipneeds\">\n");
    put!(out, "<title>{}</title>\n", escape(title));
    put!(out, "<style>{BASE_CSS}{extra_css}</style>\n");
    // The page is the document's one main landmark, for screen readers' "skip to content".
    out.push_str("</head>\n<body>\n<main class=\"page\">\n");
    out
}

fn close_page(out: &mut String) {
    out.push_str("</main>\n</body>\n</html>\n");
}

/// The answer's value with its label from the questionnaire, when it has one.
fn value_with_label(questionnaire: &Questionnaire, field: &str, value: &str) -> String {
    let labels: Vec<String> = questionnaire
        .question(field)
        .map(|q| {
            value
                .split(';')
                .filter_map(|v| q.labels.get(v.trim()).cloned())
                .collect()
        })
        .unwrap_or_default();
    if labels.is_empty() {
        escape(value)
    } else {
        format!(
            "<code>{}</code> <span class=\"muted\">{}</span>",
            escape(value),
            escape(&labels.join("; "))
        )
    }
}

/// The mark of an answer prefilled from the country table.
fn prefilled(yes: bool) -> &'static str {
    match yes {
        true => "<span class=\"prefilled\">prefilled from reference data</span>",
        false => "",
    }
}

/// `field = value` with the prefilled mark; long values cropped (the full text in a tooltip).
fn evidence_html(evidence: &Evidence) -> String {
    let shown = crop(&evidence.value, 140);
    let tooltip = if shown == evidence.value {
        String::new()
    } else {
        format!(" title=\"{}\"", escape(&evidence.value))
    };
    format!(
        "<span class=\"field\">{}</span> = <span{tooltip}>{}</span>{}",
        escape(&evidence.field),
        escape(&shown),
        prefilled(evidence.prefilled)
    )
}

/// The answers behind a need as `field = value`, values cropped to `max` characters.
fn answers_cropped(answers: &[Evidence], max: usize) -> String {
    (answers.iter())
        .map(|a| format!("{} = {}", escape(&a.field), escape(&crop(&a.value, max))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Each text escaped, in an `<li>`.
fn items<S: AsRef<str>>(texts: impl IntoIterator<Item = S>) -> String {
    (texts.into_iter())
        .map(|text| format!("<li>{}</li>", escape(text.as_ref())))
        .collect()
}

/// Reasons from this many points on are shown with their rule and catalog quote on their own;
/// smaller ones (after the first) on one line each.
const DETAILED_POINTS: f64 = 2.0;

/// How the weight of a need reads (about 3 severe, 2 clear, 1 minor).
fn severity(weight: f64) -> &'static str {
    if weight >= 2.5 {
        "severe"
    } else if weight >= 1.5 {
        "clear"
    } else {
        "minor"
    }
}

/// The country's display name and code, when the profile names a known country.
fn country_of(
    profile: &Profile,
    countries: Option<&Countries>,
) -> Option<(String, String, String)> {
    let code = profile.get(crate::profile::COUNTRY)?.to_text();
    let country = countries?.lookup(&code).ok()?;
    Some((
        country.name.clone(),
        country.iso3.clone(),
        country.region.clone(),
    ))
}

/// One country's report as a self-contained HTML page.
pub fn country_report(report: &CountryReport, generated_on: &str) -> String {
    let catalog = report.catalog;
    let questionnaire = report.questionnaire;
    let profile = report.profile;
    let results = report.results;
    let country = country_of(profile, report.countries);
    let name = country
        .as_ref()
        .map_or_else(|| "Country profile".to_string(), |(name, ..)| name.clone());
    let chosen = recommended(results);
    let high = results
        .iter()
        .filter(|r| Band::of(r.score) == Band::High)
        .count();
    let some = results
        .iter()
        .filter(|r| Band::of(r.score) == Band::Some)
        .count();

    let mut out = open_page(&format!("Technical-assistance needs — {name}"), COUNTRY_CSS);

    // Header: who, and the answers behind the needs.
    out.push_str("<header>\n<p class=\"kicker\">Technical-assistance needs assessment · WIPO Development Agenda Recommendation 10</p>\n");
    put!(out, "<h1>{}</h1>\n", escape(&name));
    out.push_str("<div class=\"header-grid\">\n<div>\n<dl class=\"facts\">\n");
    if let Some((_, iso3, region)) = &country {
        let region = if region.is_empty() {
            String::new()
        } else {
            format!(" · {}", escape(region))
        };
        put!(
            out,
            "<dt>Country</dt><dd>{} <span class=\"muted\">({}){region}</span></dd>\n",
            escape(&name),
            escape(iso3)
        );
    } else if let Some(value) = profile.get(crate::profile::COUNTRY) {
        put!(
            out,
            "<dt>Country</dt><dd>{}</dd>\n",
            escape(&value.to_text())
        );
    }
    for (field, title) in [
        (crate::profile::LDC_STATUS, "LDC status"),
        (crate::profile::REGIONAL_SYSTEM, "Regional organizations"),
    ] {
        match profile.answers.get(field) {
            Some(answer) => put!(
                out,
                "<dt>{title}</dt><dd>{}{}</dd>\n",
                value_with_label(questionnaire, field, &answer.value.to_text()),
                prefilled(answer.prefilled)
            ),
            None => put!(out, "<dt>{title}</dt><dd class=\"muted\">not given</dd>\n"),
        }
    }
    put!(
        out,
        "<dt>Answers</dt><dd>{}</dd>\n</dl>\n",
        answered_count(profile, questionnaire)
    );
    out.push_str("</div>\n<aside class=\"verdict\" aria-label=\"Summary\">\n");
    put!(out, "<div class=\"count\">{high} of {}</div><p>programs show a <strong>high need</strong> (score 50 or more)</p>\n", results.len());
    put!(
        out,
        "<div class=\"count\">{some}</div><p>show <strong>some need</strong> (30 to 50)</p>\n"
    );
    if let Some(first) = results.first() {
        if let Some(program) = catalog.programs.get(first.program) {
            put!(
                out,
                "<p class=\"small\" style=\"margin-bottom:0\">Highest: <strong>{}. {}</strong> ({})</p>\n",
                program.number,
                escape(&program.short_title),
                one(first.score)
            );
        }
    }
    out.push_str("</aside>\n</div>\n");
    raising_answers_summary(&mut out, report);
    out.push_str("<nav class=\"toc\" aria-label=\"Contents\"><a href=\"#ranking\">All programs</a><a href=\"#recommended\">Recommended programs</a><a href=\"#needs-matrix\">Needs matrix</a><a href=\"#planning\">Planning matrix</a><a href=\"#answers\">Answers in detail</a></nav>\n");
    out.push_str("</header>\n");

    chart_section(&mut out, catalog, results);
    cards_section(&mut out, catalog, results, &chosen);
    needs_matrix_section(&mut out, catalog, results, &chosen);
    planning_section(&mut out, catalog, results);
    answers_section(&mut out, report);

    out.push_str("<footer>\n");
    put!(
        out,
        "<p>Generated on {} by ipneeds. {}</p>\n",
        escape(generated_on),
        escape(&super::reference_data(&report.as_of, report.countries))
    );
    put!(
        out,
        "<p>Questionnaire <code>{}</code> version {}. Catalog: {} ({}).</p>\n",
        escape(&questionnaire.id),
        escape(&questionnaire.version),
        escape(&catalog.name),
        escape(catalog.origin_for_readers())
    );
    put!(
        out,
        "<p>{SCALE} A program's score is the sum of its reasons' points.</p>\n"
    );
    out.push_str("</footer>\n");
    close_page(&mut out);
    out
}

/// The answers that raised needs: field → (answer, labels of the needs it raised), in
/// questionnaire order (fields the questionnaire does not list last).
fn raising_answers<'a>(report: &'a CountryReport) -> Vec<(&'a Evidence, Vec<&'a str>)> {
    let mut raised: BTreeMap<&str, (&Evidence, Vec<&str>)> = BTreeMap::new();
    for reason in report.results.iter().flat_map(|r| r.reasons.iter()) {
        for evidence in &reason.answers {
            let entry = raised
                .entry(evidence.field.as_str())
                .or_insert((evidence, Vec::new()));
            if !entry.1.contains(&reason.label.as_str()) {
                entry.1.push(&reason.label);
            }
        }
    }
    let mut order: Vec<&str> = report
        .questionnaire
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .filter(|id| raised.contains_key(id))
        .collect();
    for field in raised.keys() {
        if !order.contains(field) {
            order.push(field);
        }
    }
    order
        .into_iter()
        .filter_map(|field| raised.remove(field))
        .collect()
}

/// The header's compact list of the answers that raised needs.
fn raising_answers_summary(out: &mut String, report: &CountryReport) {
    let answers = raising_answers(report);
    out.push_str(
        "<div class=\"raising\">\n<h2 class=\"minor\">The answers that raised needs</h2>\n",
    );
    if answers.is_empty() {
        out.push_str("<p class=\"muted\">None: no answer points to a gap the catalog addresses.</p>\n</div>\n");
        return;
    }
    out.push_str("<ul class=\"chips\">");
    for (evidence, _) in &answers {
        let scale = report
            .questionnaire
            .question(&evidence.field)
            .filter(|q| q.kind == crate::profile::questionnaire::QuestionType::Scale)
            .and_then(|q| q.labels.get(&evidence.value))
            .map(|label| format!(" <span class=\"muted\">({})</span>", escape(label)))
            .unwrap_or_default();
        put!(
            out,
            "<li><span class=\"field\">{}</span> = {}{scale}{}</li>",
            escape(&evidence.field),
            escape(&crop(&evidence.value, 90)),
            prefilled(evidence.prefilled)
        );
    }
    out.push_str("</ul>\n</div>\n");
}

/// The answers that raised needs in detail: question, answer, needs raised.
fn answers_section(out: &mut String, report: &CountryReport) {
    let answers = raising_answers(report);
    out.push_str("<section id=\"answers\">\n<h2>Answers in detail</h2>\n");
    if answers.is_empty() {
        out.push_str("<p>No answer raised a need: the profile shows no gap the catalog addresses.</p>\n</section>\n");
        return;
    }
    out.push_str("<p class=\"intro\">Each answer that made at least one need count, with the question asked and the needs it raised. Values marked “prefilled from reference data” come from the country's reference data, not from the questionnaire.</p>\n");
    out.push_str("<table class=\"answers\">\n<thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Answer</th><th scope=\"col\">Needs raised</th></tr></thead>\n<tbody>\n");
    for (evidence, needs) in answers {
        let field = evidence.field.as_str();
        let prompt = report
            .questionnaire
            .question(field)
            .map(|q| format!("<span class=\"prompt\">{}</span>", escape(&q.prompt)))
            .unwrap_or_default();
        put!(
            out,
            "<tr><td><span class=\"field\">{}</span>{prompt}</td><td>{}{}</td><td><ul class=\"needlist\">{}</ul></td></tr>\n",
            escape(field),
            value_with_label(report.questionnaire, field, &evidence.value),
            prefilled(evidence.prefilled),
            items(needs)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// The horizontal bar chart of every program, best first, with the data again in a table.
fn chart_section(out: &mut String, catalog: &Catalog, results: &[ProgramScore]) {
    const WIDTH: f64 = 1000.0;
    const TOP: f64 = 34.0;
    const LINE: f64 = 15.5;
    const BAR: f64 = 22.0;
    const X0: f64 = 450.0;
    const X1: f64 = 925.0;
    let x = |score: f64| X0 + (X1 - X0) * score.clamp(0.0, 100.0) / 100.0;
    // Rows grow with the label's lines (titles wrap onto up to three lines).
    let rows: Vec<(&ProgramScore, &Program, Vec<String>, f64)> = results
        .iter()
        .filter_map(|r| {
            let program = catalog.programs.get(r.program)?;
            let lines = wrap_at_most(&program.short_title, 58, 3);
            let height = (LINE * lines.len() as f64 + 14.0).max(40.0);
            Some((r, program, lines, height))
        })
        .collect();
    let bottom = TOP + rows.iter().map(|r| r.3).sum::<f64>();
    let height = bottom + 30.0;
    out.push_str("<section id=\"ranking\">\n<h2>All programs by score</h2>\n");
    out.push_str("<p class=\"intro\">Every program of the catalog, scored 0–100 from the answers, highest first. The dashed lines mark 30 (some need) and 50 (high need).</p>\n");
    out.push_str("<figure class=\"chart\">\n");
    put!(
        out,
        "<svg role=\"img\" aria-labelledby=\"chart-title chart-desc\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" preserveAspectRatio=\"xMinYMin meet\">\n"
    );
    out.push_str("<title id=\"chart-title\">Programs by need score, 0 to 100</title>\n");
    let description: Vec<String> = rows
        .iter()
        .map(|(r, p, ..)| {
            format!(
                "{}. {}: {} ({})",
                p.number,
                p.short_title,
                one(r.score),
                Band::of(r.score).label()
            )
        })
        .collect();
    put!(
        out,
        "<desc id=\"chart-desc\">{}</desc>\n",
        escape(&description.join("; "))
    );
    let mut y = TOP;
    // Values go on top of the guides, with a white halo.
    let mut values = String::new();
    for (n, (result, program, lines, row)) in rows.iter().enumerate() {
        let band = Band::of(result.score);
        let middle = y + row / 2.0;
        if n % 2 == 0 {
            put!(
                out,
                "<rect x=\"0\" y=\"{y}\" width=\"{WIDTH}\" height=\"{row}\" fill=\"#f4f6f8\"/>\n"
            );
        }
        put!(
            out,
            "<text x=\"34\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"15\" font-weight=\"700\" fill=\"#1c2430\">{}</text>\n",
            middle + 5.0,
            program.number
        );
        let first = middle - LINE * (lines.len() as f64 - 1.0) / 2.0 + 4.5;
        put!(
            out,
            "<text x=\"46\" y=\"{first:.1}\" font-size=\"13\" fill=\"#1c2430\"><title>{}</title>",
            escape(&program.title)
        );
        for (l, line) in lines.iter().enumerate() {
            let dy = if l == 0 { 0.0 } else { LINE };
            put!(out, "<tspan x=\"46\" dy=\"{dy}\">{}</tspan>", escape(line));
        }
        out.push_str("</text>\n");
        let width = x(result.score) - X0;
        let bar_y = middle - BAR / 2.0;
        put!(
            out,
            "<rect class=\"bar bar-{}\" x=\"{X0}\" y=\"{bar_y:.1}\" width=\"{width:.1}\" height=\"{BAR}\" fill=\"{}\"><title>{}. {}: {} ({})</title></rect>\n",
            band.class(),
            band.colour(),
            program.number,
            escape(&program.short_title),
            one(result.score),
            band.label()
        );
        put!(
            values,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"14\" font-weight=\"700\" fill=\"#1c2430\" stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>\n",
            X0 + width + 6.0,
            middle + 5.0,
            one(result.score)
        );
        y += row;
    }
    // The axis, then the guides over the bars.
    put!(
        out,
        "<line x1=\"{X0}\" y1=\"{}\" x2=\"{X0}\" y2=\"{bottom}\" stroke=\"#5a6573\" stroke-width=\"1\"/>\n",
        TOP - 4.0
    );
    put!(
        out,
        "<line x1=\"{X0}\" y1=\"{bottom}\" x2=\"{X1}\" y2=\"{bottom}\" stroke=\"#5a6573\" stroke-width=\"1\"/>\n"
    );
    for value in [0.0, MEDIUM, HIGH, 100.0] {
        let tx = x(value);
        put!(
            out,
            "<line x1=\"{tx}\" y1=\"{bottom}\" x2=\"{tx}\" y2=\"{}\" stroke=\"#5a6573\" stroke-width=\"1\"/>\n",
            bottom + 4.0
        );
        put!(
            out,
            "<text x=\"{tx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#5a6573\">{value}</text>\n",
            bottom + 18.0
        );
    }
    for (value, band) in [(MEDIUM, Band::Some), (HIGH, Band::High)] {
        let (gx, label) = (x(value), band.label());
        put!(
            out,
            "<line class=\"guide\" x1=\"{gx}\" y1=\"{}\" x2=\"{gx}\" y2=\"{bottom}\" stroke=\"#1c2430\" stroke-opacity=\"0.75\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>\n",
            TOP - 8.0
        );
        put!(
            out,
            "<text x=\"{gx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1c2430\"><tspan font-weight=\"700\">{value}</tspan> {label}</text>\n",
            TOP - 13.0
        );
    }
    out.push_str(&values);
    out.push_str("</svg>\n");
    out.push_str("<figcaption><ul class=\"legend\">");
    for band in [Band::High, Band::Some, Band::Little] {
        let range = match band {
            Band::High => "50–100",
            Band::Some => "30–50",
            Band::Little => "0–30",
        };
        put!(
            out,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{} ({range})</li>",
            band.colour(),
            band.label()
        );
    }
    out.push_str("</ul></figcaption>\n</figure>\n");
    // The same data for screen readers.
    out.push_str("<div class=\"sr-only\"><table>\n<caption>Programs by need score</caption>\n<thead><tr><th scope=\"col\">Rank</th><th scope=\"col\">Program</th><th scope=\"col\">Score (0–100)</th><th scope=\"col\">Band</th></tr></thead>\n<tbody>\n");
    for result in results {
        let Some(program) = catalog.programs.get(result.program) else {
            continue;
        };
        put!(
            out,
            "<tr><td>{}</td><td>{}. {}</td><td>{}</td><td>{}</td></tr>\n",
            result.rank,
            program.number,
            escape(&program.short_title),
            one(result.score),
            Band::of(result.score).label()
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// One card per recommended program.
fn cards_section(
    out: &mut String,
    catalog: &Catalog,
    results: &[ProgramScore],
    chosen: &[&ProgramScore],
) {
    out.push_str("<section id=\"recommended\">\n<h2>Recommended programs</h2>\n");
    let intro = crate::report::recommended_intro(results, chosen.len());
    put!(out, "<p class=\"intro\">{intro}</p>\n");
    for result in chosen {
        let Some(program) = catalog.programs.get(result.program) else {
            continue;
        };
        card(out, program, result);
    }
    out.push_str("</section>\n");
}

fn card(out: &mut String, program: &Program, result: &ProgramScore) {
    let band = Band::of(result.score);
    put!(
        out,
        "<article class=\"card {}\" id=\"program-{}\">\n",
        band.class(),
        program.number
    );
    put!(
        out,
        "<div class=\"card-head\"><div class=\"pnum\" aria-label=\"Program {n}\">{n}</div><h3>{}</h3><div class=\"score\"><strong>{}</strong><span class=\"badge {}\">{}</span></div></div>\n",
        escape(&program.title),
        one(result.score),
        band.class(),
        band.label(),
        n = program.number
    );
    if !program.objectives.is_empty() {
        put!(
            out,
            "<h4>Objectives</h4>\n<ul class=\"objectives\">{}</ul>\n",
            items(&program.objectives)
        );
    }
    out.push_str("<h4>Why</h4>\n");
    let shown: Vec<&Reason> = result.reasons.iter().filter(|r| counts(r)).collect();
    if shown.is_empty() {
        out.push_str(
            "<p class=\"muted\">No need raised by the answers points to this program.</p>\n",
        );
    } else {
        out.push_str("<ol class=\"why\">\n");
        for (n, reason) in shown.iter().enumerate() {
            let evidence: Vec<String> = reason.answers.iter().map(evidence_html).collect();
            let evidence = evidence.join(", ");
            if n > 0 && reason.points < DETAILED_POINTS {
                // A small contribution: one line, without the catalog quote.
                put!(
                    out,
                    "<li class=\"minor\"><div class=\"pts\">{}</div><div><span class=\"need\">{}</span> · {}{}</div></li>\n",
                    one(reason.points),
                    escape(&reason.label),
                    evidence,
                    if reason.rules.is_empty() {
                        String::new()
                    } else {
                        format!(" <span class=\"rule\">(rule: {})</span>", escape(&reason.rules.join("; ")))
                    }
                );
                continue;
            }
            put!(
                out,
                "<li><div class=\"pts\">{}<small>points</small></div><div><div class=\"need\">{}</div><div class=\"evidence\">{}</div>",
                one(reason.points),
                escape(&reason.label),
                evidence
            );
            if !reason.rules.is_empty() {
                put!(
                    out,
                    "<div class=\"rule\">Rule: {}</div>",
                    escape(&reason.rules.join("; "))
                );
            }
            if let Some(matched) = &reason.matched {
                put!(
                    out,
                    "<blockquote class=\"matched\"><span class=\"where\">{} matched</span>{}</blockquote>",
                    escape(&field_name(&matched.field)),
                    highlight(&matched.text, &matched.highlights)
                );
            }
            out.push_str("</div></li>\n");
        }
        out.push_str("</ol>\n");
    }
    let minor: Vec<&str> = result
        .reasons
        .iter()
        .filter(|r| !counts(r))
        .map(|r| r.label.as_str())
        .collect();
    if !minor.is_empty() {
        put!(
            out,
            "<p class=\"also\">Also related, under 0.1 points each: {}.</p>\n",
            escape(&minor.join("; "))
        );
    }
    out.push_str("<div class=\"offer\">\n<div>\n<h4>Activities a country can request</h4>\n");
    list(out, &program.activities);
    out.push_str("</div>\n<div>\n<h4>Beneficiaries</h4>\n");
    list(out, &program.beneficiaries);
    out.push_str("<h4>Expected outcomes</h4>\n");
    list(out, &program.outcomes);
    out.push_str("</div>\n</div>\n");
    if !program.notes.is_empty() {
        // Notes may hold URLs: shown as text, never as links.
        put!(
            out,
            "<p class=\"notes\">Note: {}</p>\n",
            escape(&program.notes.join(" "))
        );
    }
    out.push_str("</article>\n");
}

/// A catalog field's name for readers.
fn field_name(field: &str) -> String {
    match field {
        "objectives" => "Objective".to_string(),
        "activities" => "Activity".to_string(),
        "outcomes" => "Outcome".to_string(),
        "beneficiaries" => "Beneficiaries".to_string(),
        "title" => "Title".to_string(),
        other => other.to_string(),
    }
}

fn list(out: &mut String, texts: &[String]) {
    if texts.is_empty() {
        out.push_str("<p class=\"muted small\">None listed in the catalog.</p>\n");
        return;
    }
    put!(out, "<ul>{}</ul>\n", items(texts));
}

/// A matrix's column heading for a program: its number, its title on hover.
fn program_heading(program: &Program) -> String {
    format!(
        "<th scope=\"col\" class=\"prog\" title=\"{}\">{}</th>",
        escape(&program.short_title),
        program.number
    )
}

/// A light tint for a matrix cell, darker with more points; `None` below one point (shown
/// as small grey text instead).
fn tint(points: f64) -> Option<&'static str> {
    match points {
        p if p >= 30.0 => Some("#eeb1a5"),
        p if p >= 15.0 => Some("#f5cdc4"),
        p if p >= 5.0 => Some("#f9e2dc"),
        p if p >= 1.0 => Some("#fcf1ee"),
        _ => None,
    }
}

/// Needs × recommended programs, points in the cells.
fn needs_matrix_section(
    out: &mut String,
    catalog: &Catalog,
    results: &[ProgramScore],
    chosen: &[&ProgramScore],
) {
    let needs = needs_raised(results);
    out.push_str("<section id=\"needs-matrix\">\n<h2>Needs matrix</h2>\n");
    if needs.is_empty() {
        out.push_str("<p>No need was raised.</p>\n</section>\n");
        return;
    }
    out.push_str("<p class=\"intro\">Rows are the needs the answers raised, columns the recommended programs; each cell gives the points the need adds to the program's score (blank: none). The last row is the score.</p>\n");
    out.push_str("<div class=\"table-scroll\"><table class=\"matrix\">\n<thead><tr><th scope=\"col\">Need raised</th><th scope=\"col\">Severity</th>");
    for result in chosen {
        if let Some(program) = catalog.programs.get(result.program) {
            out.push_str(&program_heading(program));
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for need in &needs {
        put!(
            out,
            "<tr><th scope=\"row\">{}<div class=\"small muted basis\">{}</div></th><td class=\"small sev\">{} <span class=\"muted\">({})</span></td>",
            escape(need.label),
            answers_cropped(need.answers, 60),
            severity(need.weight),
            one(need.weight)
        );
        for result in chosen {
            let points = points_of(result, need.id);
            if round1(points) > 0.0 {
                match tint(points) {
                    Some(background) => put!(
                        out,
                        "<td class=\"cell\" style=\"background:{background}\">{}</td>",
                        one(points)
                    ),
                    None => put!(out, "<td class=\"cell faint\">{}</td>", one(points)),
                }
            } else {
                out.push_str("<td class=\"cell\"></td>");
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n<tfoot><tr><th scope=\"row\">Score (0–100)</th><td></td>");
    for result in chosen {
        put!(out, "<td class=\"cell\">{}</td>", one(result.score));
    }
    out.push_str("</tr></tfoot>\n</table></div>\n<p class=\"small muted\">Programs: ");
    let names: Vec<String> = chosen
        .iter()
        .filter_map(|r| catalog.programs.get(r.program))
        .map(|p| format!("<b>{}</b> {}", p.number, escape(&p.short_title)))
        .collect();
    out.push_str(&names.join(" · "));
    out.push_str(".</p>\n</section>\n");
}

/// One row per need: the program it contributes most to, and what to request there.
fn planning_section(out: &mut String, catalog: &Catalog, results: &[ProgramScore]) {
    let rows = planning_rows(results);
    out.push_str("<section id=\"planning\">\n<h2>Programme planning matrix (outline)</h2>\n");
    if rows.is_empty() {
        out.push_str("<p>No need was raised.</p>\n</section>\n");
        return;
    }
    out.push_str("<p class=\"intro\">Each need with the program it counts most for: a first outline of what to request, for whom, and the results to expect, in the catalog's own words.</p>\n");
    out.push_str("<div class=\"table-scroll\"><table class=\"planning\">\n<thead><tr><th scope=\"col\" style=\"width:17%\">Need</th><th scope=\"col\" style=\"width:18%\">Program</th><th scope=\"col\">Activities to request</th><th scope=\"col\" style=\"width:17%\">Beneficiaries</th><th scope=\"col\" style=\"width:20%\">Expected outcomes</th></tr></thead>\n<tbody>\n");
    for (reason, result) in rows {
        let Some(program) = catalog.programs.get(result.program) else {
            continue;
        };
        let cells = planning_cells(program, reason);
        let cell = |texts: Vec<&str>| match texts.is_empty() {
            true => "<span class=\"muted\">none listed</span>".to_string(),
            false => format!("<ul>{}</ul>", items(texts.iter().map(|t| crop(t, 170)))),
        };
        put!(
            out,
            "<tr><td><strong>{}</strong><div class=\"small muted\">{}</div></td><td><strong>{}.</strong> {}<div class=\"pts\">{} points of {}</div></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&reason.label),
            answers_cropped(&reason.answers, 80),
            program.number,
            escape(&program.short_title),
            one(reason.points),
            one(result.score),
            cell(cells.activities),
            cell(cells.beneficiaries),
            cell(cells.outcomes),
        );
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn crop_ends_at_a_word() {
        let outcome = "Improved IP administration and management, as well as the public interest";
        assert_eq!(
            crop(outcome, 60),
            "Improved IP administration and management, as well as the…"
        );
        assert_eq!(
            crop(outcome, 45),
            "Improved IP administration and management…"
        );
        // Short enough: whole. One long word: cut where it must be.
        assert_eq!(crop(outcome, 200), outcome);
        assert_eq!(crop("uuid:0123456789abcdef", 10), "uuid:0123…");
    }

    #[test]
    fn escape_covers_the_five_characters() {
        assert_eq!(
            escape(r#"<a href="x">'&amp;'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;amp;&#39;&lt;/a&gt;"
        );
        // HTML allows no control character but tabs and line breaks.
        assert_eq!(
            escape("backlog\u{1b}[8m\u{7}\u{9b}2J\tlate\r\n"),
            "backlog\u{fffd}[8m\u{fffd}\u{fffd}2J\tlate\r\n"
        );
    }

    #[test]
    fn slugs_are_safe() {
        assert_eq!(slugify("Côte d'Ivoire"), "c-te-d-ivoire");
        assert_eq!(slugify("\"><img src=x>"), "img-src-x");
        assert_eq!(slugify("***"), "row");
    }

    #[test]
    fn highlight_guards_boundaries_and_joins_marks() {
        let text = "user-friendly IP <centres> é";
        let out = highlight(text, &[0..4, 5..13, 14..16, 27..28, 50..60, 2..3]);
        assert_eq!(out, "<mark>user-friendly IP</mark> &lt;centres&gt; é");
    }

    #[test]
    fn wrap_at_most_keeps_two_lines() {
        let lines = wrap_at_most("Provision of Legal Assistance to Developing and Least-Developed Countries, and to Countries with Economies in Transition", 56, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| l.chars().count() <= 56), "{lines:?}");
        assert!(lines[1].ends_with('…'), "{lines:?}");
    }
}
