//! Rendering one country's ranking: table (terminal), JSON (its scored parts written by
//! [`json`], the pieces of a batch row), Markdown.

pub mod html;
pub mod json;
pub mod style;
pub mod summary;
pub mod table;
pub mod workbook;

use crate::catalog::{Catalog, Program};
use crate::error::{Error, Result};
use crate::profile::countries::Countries;
use crate::profile::questionnaire::Questionnaire;
use crate::profile::Profile;
use crate::report::style::{one_line, wrap, Style};
use crate::report::table::Table;
use crate::scoring::{Evidence, ProgramScore, Reason};
use serde_json::json;

/// Scores at or above this are shown as "high need", above `MEDIUM` as "some need".
pub const HIGH: f64 = 50.0;
pub const MEDIUM: f64 = 30.0;

/// How every report explains the scale.
pub const SCALE: &str = "Scores run 0–100 on the same scale for every country: 50 or more is a high need, 30 to 50 some need, below 30 little sign of need.";
/// The same in short (terminal table, workbook).
pub const SCALE_SHORT: &str =
    "0–100 on the same scale for every country: 50+ a high need, 30–50 some need, below 30 little sign of need.";

/// The need bands of the 0–100 scale, of the score as shown (to one decimal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    High,
    Some,
    Little,
}

impl Band {
    pub fn of(score: f64) -> Band {
        let shown = round1(score);
        if shown >= HIGH {
            Band::High
        } else if shown >= MEDIUM {
            Band::Some
        } else {
            Band::Little
        }
    }

    /// "high need", "some need" or "little sign of need".
    pub fn label(self) -> &'static str {
        match self {
            Band::High => "high need",
            Band::Some => "some need",
            Band::Little => "little sign of need",
        }
    }
}

/// What a report shows: the profile as used and the ranked programs.
pub struct CountryReport<'a> {
    pub catalog: &'a Catalog,
    pub questionnaire: &'a Questionnaire,
    pub profile: &'a Profile,
    pub results: &'a [ProgramScore],
    /// The country table in force (`--countries` or the built-in one), for the country's name;
    /// `None` when the profile names no country (nothing to look up).
    pub countries: Option<&'a Countries>,
    /// The `--as-of` date the LDC status was computed for.
    pub as_of: String,
}

/// The rows a batch could not score, for the reports a planner opens instead of the terminal
/// (the HTML overview, the workbook's About sheet): a page that left them out without a word
/// would pass for the whole input. The first [`NotScored::LISTED`] are named, the rest counted.
#[derive(Debug, Default)]
pub struct NotScored {
    /// "row 3 (bad-row): p.csv:4: …", each cut to [`NotScored::ENTRY_CHARS`] characters.
    pub listed: Vec<String>,
    pub total: u64,
    /// Lines inside the rejected rows' quoted cells that look like rows: lost with them.
    pub rows_inside: u64,
    /// Columns named like a field but not one (`regional_sytem`): no row's answer in them
    /// was read. Their messages, as the terminal shows them.
    pub columns_not_read: Vec<String>,
}

impl NotScored {
    /// Rows named; a report of a million bad rows stays readable and small.
    pub const LISTED: usize = 100;
    /// An entry's characters at most (a cell of a workbook holds 32,767).
    const ENTRY_CHARS: usize = 1_000;

    /// Records a rejected row: its number, its id, its problems and the lines inside its quotes
    /// that look like rows.
    pub fn add(&mut self, row: u64, id: &str, problems: &[crate::profile::Problem], inside: u32) {
        self.total += 1;
        self.rows_inside += u64::from(inside);
        if self.listed.len() < Self::LISTED {
            let problems: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            // The id shortened, so that a long one leaves room for the reason; no control or
            // direction-changing character, which would garble the line.
            let id = crate::io::quote::printable(id, 60);
            let entry = format!("row {row} ({id}): {}", problems.join("; "));
            self.listed
                .push(match entry.char_indices().nth(Self::ENTRY_CHARS) {
                    Some((cut, _)) => format!("{}…", &entry[..cut]),
                    None => entry,
                });
        }
    }

    /// Rejected rows beyond those listed.
    pub fn unlisted(&self) -> u64 {
        self.total - self.listed.len() as u64
    }

    /// "2 rows of the input could not be scored and are not in this {place}", the headline of
    /// every report that leaves rows out; `None` when none was.
    pub fn rows_left_out(&self, place: &str) -> Option<String> {
        let (rows, are) = match self.total {
            0 => return None,
            1 => ("row", "is"),
            _ => ("rows", "are"),
        };
        Some(format!(
            "{} {rows} of the input could not be scored and {are} not in this {place}",
            self.total
        ))
    }

    /// What the rejected rows hold besides themselves, for a headline: "" or " (their quoted
    /// cells hold what look like 3 more rows)".
    pub fn more_inside(&self) -> String {
        match self.rows_inside {
            0 => String::new(),
            n => format!(
                " (their quoted cells hold what look like {n} more rows, not scored either)"
            ),
        }
    }
}

/// Where a report's prefilled answers (LDC status, regions) come from, for its footer: the
/// date LDC status was taken on and, when a country was looked up, the country table, so that
/// a report made with `--countries` says so wherever it is read.
pub fn reference_data(as_of: &str, countries: Option<&Countries>) -> String {
    match countries {
        Some(table) => format!(
            "LDC status as of {as_of}; country table: {}.",
            table.origin_for_readers()
        ),
        None => format!("LDC status as of {as_of}."),
    }
}

/// "country" or "countries", as `count` asks ("1 country", "0 countries").
pub fn countries_word(count: u64) -> &'static str {
    match count {
        1 => "country",
        _ => "countries",
    }
}

/// Scores are shown with one decimal.
pub fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

impl CountryReport<'_> {
    /// The `score --format json` document. Its profile, prefilled fields and programs are
    /// written by the pieces of a batch row ([`json::country_parts`]), so that each is written
    /// one way, and read back as values for the pretty-printed document.
    pub fn json(&self, top: Option<usize>) -> Result<serde_json::Value> {
        #[derive(serde::Deserialize)]
        struct Parts {
            profile: serde_json::Value,
            prefilled: serde_json::Value,
            programs: serde_json::Value,
        }
        let shown = top.unwrap_or(self.results.len());
        let results = self.results.get(..shown).unwrap_or(self.results);
        let mut bytes = Vec::new();
        json::country_parts(
            &mut bytes,
            self.profile,
            self.questionnaire,
            self.catalog,
            results,
        );
        let parts: Parts = serde_json::from_slice(&bytes)
            .map_err(|error| Error::internal(format!("the report's JSON: {error}")))?;
        Ok(json!({
            "questionnaire": {"id": self.questionnaire.id, "version": self.questionnaire.version},
            "catalog": {"name": self.catalog.name, "origin": self.catalog.origin},
            "as_of": self.as_of,
            "countries": self.countries.map(|table| json!({"origin": table.origin()})),
            "profile": parts.profile,
            "prefilled": parts.prefilled,
            "programs": parts.programs,
        }))
    }

    /// One line about the profile: country, LDC status, regional organizations.
    pub fn headline(&self) -> String {
        let mut parts = Vec::new();
        for field in [
            crate::profile::COUNTRY,
            crate::profile::LDC_STATUS,
            crate::profile::REGIONAL_SYSTEM,
        ] {
            if let Some(answer) = self.profile.answers.get(field) {
                let mark = if answer.prefilled { " (prefilled)" } else { "" };
                parts.push(format!("{field}: {}{mark}", answer.value.to_text()));
            }
        }
        parts.push(answered_count(self.profile, self.questionnaire));
        parts.join(" · ")
    }

    /// The terminal table: rank, score, program, top reasons.
    pub fn table(&self, top: usize, style: Style) -> String {
        let mut out = String::new();
        let headline = wrap(&one_line(&self.headline()), style.width);
        out.push_str(&style.dim(&headline.join("\n")));
        out.push_str("\n\n");
        if self.results.iter().all(|result| result.reasons.is_empty()) {
            out.push_str(
                "No answer raised a need the catalog's programs answer, so no program stands out: every program scores 0.\n\
                 Answer the questions about the country's IP institutions (`ipneeds interview`, or \
                 fill in `ipneeds template --format yaml`) to see a ranking.\n",
            );
            return out;
        }
        let mut table = Table::new(&["rank", "score", "program", "why (points · need · answers)"])
            .right_align(0)
            .right_align(1);
        for result in self.results.iter().take(top) {
            let Some(program) = self.catalog.programs.get(result.program) else {
                continue;
            };
            let mut why: Vec<String> = Vec::new();
            for (n, reason) in result.reasons.iter().take(3).enumerate() {
                // The answers' and catalog's words are the user's: one plain line each.
                // No padding: the table trims a wrapped line's leading spaces, so a padded
                // figure or quote would line up only where nothing wraps.
                why.push(format!(
                    "{:.1} · {} · {}",
                    reason.points,
                    one_line(&reason.label),
                    one_line(&answers_text(reason))
                ));
                if n == 0 {
                    if let Some(matched) = &reason.matched {
                        why.push(format!(
                            "{} “{}”",
                            style.dim(&format!("{}:", matched.field)),
                            style.highlight(&one_line(&matched.text), &matched.highlights)
                        ));
                    }
                }
            }
            // The reasons not shown, so that what is shown adds up to the score.
            let rest = result.reasons.get(3..).unwrap_or_default();
            if !rest.is_empty() {
                let points: f64 = rest.iter().map(|reason| reason.points).sum();
                why.push(style.dim(&format!(
                    "+ {} more need{}: {points:.1} points",
                    rest.len(),
                    if rest.len() == 1 { "" } else { "s" }
                )));
            }
            if result.reasons.is_empty() {
                why.push(style.dim("no need raised by the answers"));
            }
            table.push(vec![
                result.rank.to_string(),
                format!("{:.1}", result.score),
                style.bold(&one_line(&program.id)),
                why.join("\n"),
            ]);
        }
        out.push_str(&table.render(style.width));
        if let Some(more) = self.left_out(top) {
            out.push_str(&format!("\n{}\n", wrap(&more, style.width).join("\n")));
        }
        let scale = wrap(&format!("Scores run {SCALE_SHORT}"), style.width);
        out.push_str(&style.dim(&format!("\n{}\n", scale.join("\n"))));
        out
    }

    /// "10 more programs: use --top 12 to see them all.", when `top` leaves programs out.
    fn left_out(&self, top: usize) -> Option<String> {
        let hidden = self.results.len().saturating_sub(top);
        (hidden > 0).then(|| {
            format!(
                "{hidden} more program{}: use --top {} to see them all.",
                if hidden == 1 { "" } else { "s" },
                self.results.len()
            )
        })
    }

    /// Markdown for pasting into documents: the same content as the HTML report (ranking,
    /// recommended programs with reasons and activities, needs matrix, planning matrix).
    pub fn markdown(&self, top: usize) -> String {
        let mut out = String::new();
        out.push_str("# Technical-assistance needs assessment\n\n");
        out.push_str(&format!("{}\n\n", md(&self.headline())));
        out.push_str("## All programs by score\n\n");
        out.push_str(
            "| Rank | Score | Level | Program | Main reasons |\n|---:|---:|---|---|---|\n",
        );
        for result in self.results.iter().take(top) {
            let Some(program) = self.catalog.programs.get(result.program) else {
                continue;
            };
            let reasons: Vec<String> = result
                .reasons
                .iter()
                .filter(|r| counts(r))
                .take(3)
                .map(|r| format!("{} ({:.1})", md(&r.label), r.points))
                .collect();
            out.push_str(&format!(
                "| {} | {:.1} | {} | {}. {} | {} |\n",
                result.rank,
                result.score,
                Band::of(result.score).label(),
                program.number,
                md(&program.short_title),
                reasons.join("; ")
            ));
        }
        if let Some(more) = self.left_out(top) {
            out.push_str(&format!("\n{more}\n"));
        }
        out.push_str(&format!("\n{SCALE}\n"));
        let chosen: Vec<&ProgramScore> = recommended(self.results)
            .into_iter()
            .filter(|r| r.rank <= top)
            .collect();
        out.push_str("\n## Recommended programs\n");
        out.push_str(&format!(
            "\n{}\n",
            recommended_intro(self.results, chosen.len())
        ));
        for result in &chosen {
            let Some(program) = self.catalog.programs.get(result.program) else {
                continue;
            };
            out.push_str(&format!(
                "\n### {}. {} — {:.1} ({})\n\n",
                program.number,
                md(&program.title),
                result.score,
                Band::of(result.score).label()
            ));
            md_list(&mut out, "Objectives", &program.objectives);
            let shown: Vec<&Reason> = result.reasons.iter().filter(|r| counts(r)).collect();
            if !shown.is_empty() {
                out.push_str("**Why it is recommended**\n\n| Points | Need | Answers | Rule |\n|---:|---|---|---|\n");
                for reason in &shown {
                    out.push_str(&format!(
                        "| {:.1} | {} | {} | {} |\n",
                        reason.points,
                        md(&reason.label),
                        md(&answers_text(reason)),
                        md(&reason.rules.join("; "))
                    ));
                }
                out.push('\n');
                // One entry per catalog line, in the order the needs matched it, with the
                // words every need matched there (several needs often match one line).
                let mut lines: Vec<(&str, &str, Vec<std::ops::Range<usize>>)> = Vec::new();
                for m in shown.iter().filter_map(|r| r.matched.as_ref()) {
                    match (lines.iter_mut()).find(|(f, t, _)| *f == m.field && *t == m.text) {
                        Some((_, _, highlights)) => highlights.extend(m.highlights.iter().cloned()),
                        None => lines.push((&m.field, &m.text, m.highlights.clone())),
                    }
                }
                let matched: Vec<String> = (lines.into_iter())
                    .map(|(field, text, highlights)| {
                        let highlights = merged(highlights);
                        format!("*{field}:* {}", marked(text, &highlights, md, ["**"; 2]))
                    })
                    .collect();
                if !matched.is_empty() {
                    out.push_str("**Catalog lines matched**\n\n");
                    for line in matched {
                        out.push_str(&format!("- {line}\n"));
                    }
                    out.push('\n');
                }
            }
            md_list(
                &mut out,
                "Activities the country can request",
                &program.activities,
            );
            md_list(&mut out, "Beneficiaries", &program.beneficiaries);
            md_list(&mut out, "Expected outcomes", &program.outcomes);
        }
        let needs = needs_raised(self.results);
        if !needs.is_empty() && !chosen.is_empty() {
            out.push_str("\n## Needs matrix\n\nPoints each need gives each recommended program.\n\n| Need | Answers |");
            for result in &chosen {
                if let Some(program) = self.catalog.programs.get(result.program) {
                    out.push_str(&format!(" {} |", program.number));
                }
            }
            out.push_str("\n|---|---|");
            out.push_str(&"---:|".repeat(chosen.len()));
            out.push('\n');
            for need in &needs {
                out.push_str(&format!(
                    "| {} | {} |",
                    md(need.label),
                    md(&crate::scoring::reasons::evidence_text(need.answers))
                ));
                for result in &chosen {
                    let points = points_of(result, need.id);
                    if round1(points) > 0.0 {
                        out.push_str(&format!(" {points:.1} |"));
                    } else {
                        out.push_str("  |");
                    }
                }
                out.push('\n');
            }
        }
        let rows = planning_rows(self.results);
        if !rows.is_empty() {
            out.push_str("\n## Programme planning matrix (outline)\n\n| Need | Program | Activities to request | Beneficiaries | Expected outcomes |\n|---|---|---|---|---|\n");
            for (reason, result) in rows {
                let Some(program) = self.catalog.programs.get(result.program) else {
                    continue;
                };
                let joined =
                    |items: Vec<&str>| items.iter().map(|i| md(i)).collect::<Vec<_>>().join("<br>");
                let cells = planning_cells(program, reason);
                out.push_str(&format!(
                    "| {} | {}. {} ({:.1} points) | {} | {} | {} |\n",
                    md(&reason.label),
                    program.number,
                    md(&program.short_title),
                    reason.points,
                    joined(cells.activities),
                    joined(cells.beneficiaries),
                    joined(cells.outcomes),
                ));
            }
        }
        out.push_str(&format!(
            "\n---\nQuestionnaire `{}` version {}; catalog: {} ({}). {}\n",
            md(&self.questionnaire.id),
            md(&self.questionnaire.version),
            md(&self.catalog.name),
            md(self.catalog.origin_for_readers()),
            md(&reference_data(&self.as_of, self.countries))
        ));
        out
    }
}

/// A bold heading and a bulleted list (or "none listed").
fn md_list(out: &mut String, title: &str, items: &[String]) {
    out.push_str(&format!("**{title}**\n\n"));
    if items.is_empty() {
        out.push_str("- none listed\n");
    }
    for item in items {
        out.push_str(&format!("- {}\n", md(item)));
    }
    out.push('\n');
}

/// "field = value, field = value (prefilled)".
pub fn answers_text(reason: &Reason) -> String {
    crate::scoring::reasons::evidence_text(&reason.answers)
}

/// Escapes text for a Markdown table cell: untrusted text stays text.
pub fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            // `&` too: a typed `&amp;` would render as `&` (an entity), not as typed.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            // A terminal escape (ESC …) in an answer would act on the terminal it is shown
            // on; a tab would break the table's line; a bidirectional override would reorder it.
            c if crate::io::quote::hides_its_text(c) => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// `text` through `escape`, with the byte ranges `highlights` between the two `marks` (`**`,
/// `<mark>`, a terminal colour): the one way every report marks matches. Ranges out of order,
/// outside the text or off a character boundary are skipped.
pub fn marked(
    text: &str,
    highlights: &[std::ops::Range<usize>],
    escape: impl Fn(&str) -> String,
    [open, close]: [&str; 2],
) -> String {
    let mut out = String::with_capacity(text.len() + highlights.len() * 10);
    let mut at = 0;
    for range in highlights {
        let (Some(before), Some(inside)) = (text.get(at..range.start), text.get(range.clone()))
        else {
            continue;
        };
        out.push_str(&escape(before));
        out.push_str(open);
        out.push_str(&escape(inside));
        out.push_str(close);
        at = range.end;
    }
    out.push_str(&escape(text.get(at..).unwrap_or_default()));
    out
}

/// `ranges` in order, overlapping and touching ones made one.
fn merged(mut ranges: Vec<std::ops::Range<usize>>) -> Vec<std::ops::Range<usize>> {
    ranges.sort_by_key(|range| (range.start, range.end));
    let mut out: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

/// Each program's score by catalog position (0 for a program `results` lacks).
pub fn scores_by_position(results: &[ProgramScore], programs: usize) -> Vec<f64> {
    let mut scores = vec![0.0; programs];
    for result in results {
        if let Some(slot) = scores.get_mut(result.program) {
            *slot = result.score;
        }
    }
    scores
}

/// Reasons shown in full: those worth at least 0.05 points (0.1 once rounded).
pub fn counts(reason: &Reason) -> bool {
    round1(reason.points) > 0.0
}

/// The programs a country report details: 30 or more, or the top 3 if fewer.
/// The sentence that opens the recommended programs (`shown` of them): which they are, and,
/// when fewer than three score 30 or more, that the three highest are shown for reference.
pub fn recommended_intro(results: &[ProgramScore], shown: usize) -> String {
    let above = results.iter().filter(|r| round1(r.score) >= MEDIUM).count();
    if above >= 3 {
        // `--top` may show fewer than score 30 or more: say so, not that only these do.
        let which = match shown < above {
            true => format!(
                "The {shown} highest of the {above} programs scoring 30 or more (--top {shown})"
            ),
            false => format!("The {shown} programs scoring 30 or more"),
        };
        return format!(
            "{which}, highest first: why each scores, and what a country can request under it."
        );
    }
    let count = match above {
        0 => "No program scores".to_string(),
        1 => "Only one program scores".to_string(),
        n => format!("Only {n} programs score"),
    };
    format!("{count} 30 or more; the three highest are shown for reference, with why each scores and what a country can request under it.")
}

pub fn recommended(results: &[ProgramScore]) -> Vec<&ProgramScore> {
    let above: Vec<&ProgramScore> = results
        .iter()
        .filter(|r| round1(r.score) >= MEDIUM)
        .collect();
    if above.len() >= 3 {
        above
    } else {
        results.iter().take(3).collect()
    }
}

/// A need raised in the profile, as gathered from the reasons.
pub struct NeedRow<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub weight: f64,
    pub answers: &'a [Evidence],
}

/// Every need of the reasons, in order of weight (ties by label).
pub fn needs_raised(results: &[ProgramScore]) -> Vec<NeedRow<'_>> {
    let mut needs: Vec<NeedRow> = Vec::new();
    for reason in results.iter().flat_map(|r| r.reasons.iter()) {
        if !needs.iter().any(|n| n.id == reason.need) {
            needs.push(NeedRow {
                id: &reason.need,
                label: &reason.label,
                weight: reason.weight,
                answers: &reason.answers,
            });
        }
    }
    needs.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.label.cmp(b.label))
    });
    needs
}

/// The points `need` gives to `result`, 0 when none.
pub fn points_of(result: &ProgramScore, need: &str) -> f64 {
    result
        .reasons
        .iter()
        .filter(|r| r.need == need)
        .map(|r| r.points)
        .sum()
}

/// Up to `n` items, the matched line first when it is one of them.
fn first_items<'a>(items: &'a [String], matched: Option<&str>, n: usize) -> Vec<&'a str> {
    let mut picked: Vec<&str> = Vec::new();
    if let Some(line) = matched {
        if let Some(item) = items.iter().find(|i| i.as_str() == line) {
            picked.push(item);
        }
    }
    for item in items {
        if picked.len() >= n {
            break;
        }
        if !picked.contains(&item.as_str()) {
            picked.push(item);
        }
    }
    picked
}

/// "27 of 36 questions answered", and how many more were prefilled from the country (LDC
/// status, regional office): the country gave those, not the person answering, so they do not
/// make a profile look more complete than it is.
pub fn answered_count(profile: &Profile, questionnaire: &Questionnaire) -> String {
    let prefilled = (profile.answers.values()).filter(|a| a.prefilled).count();
    let answered = profile.answers.len() - prefilled;
    let total = questionnaire.questions.len();
    match prefilled {
        0 => format!("{answered} of {total} questions answered"),
        _ => format!("{answered} of {total} questions answered, {prefilled} more prefilled"),
    }
}

/// What a planning-matrix row lists from the catalog: activities to request, beneficiaries,
/// expected outcomes.
pub struct PlanningCells<'c> {
    pub activities: Vec<&'c str>,
    pub beneficiaries: Vec<&'c str>,
    pub outcomes: Vec<&'c str>,
}

/// The planning-matrix cells of `program` for the need of `reason` (Markdown and HTML alike): up
/// to three activities, two beneficiaries and two outcomes, led by the activity or outcome line
/// the need matched, the one that made the program count for it.
pub fn planning_cells<'c>(program: &'c Program, reason: &Reason) -> PlanningCells<'c> {
    let matched = |field: &str| {
        reason
            .matched
            .as_ref()
            .filter(|m| m.field == field)
            .and_then(|m| program.field_lines(field).get(m.line))
            .map(String::as_str)
    };
    PlanningCells {
        activities: first_items(&program.activities, matched("activities"), 3),
        beneficiaries: first_items(&program.beneficiaries, None, 2),
        outcomes: first_items(&program.outcomes, matched("outcomes"), 2),
    }
}

/// The outline programme planning matrix: each need with the program that answers it best (the
/// one the need is most relevant to, by the catalog's words), strongest first. Not the program it
/// gives most points: diminishing returns count a need at half in a program where another need
/// is stronger, so collective management went to regional cooperation's networks (its strongest
/// need) instead of the creative-industries program that names it.
pub fn planning_rows(results: &[ProgramScore]) -> Vec<(&Reason, &ProgramScore)> {
    let mut rows: Vec<(&Reason, &ProgramScore)> = Vec::new();
    for need in needs_raised(results) {
        let best = results
            .iter()
            .flat_map(|r| {
                r.reasons
                    .iter()
                    .filter(|x| x.need == need.id)
                    .map(move |x| (x, r))
            })
            .max_by(|a, b| {
                (a.0.relevance.total_cmp(&b.0.relevance)).then(a.0.points.total_cmp(&b.0.points))
            });
        if let Some((reason, result)) = best {
            if counts(reason) {
                rows.push((reason, result));
            }
        }
    }
    rows.sort_by(|a, b| b.0.points.total_cmp(&a.0.points));
    rows
}

#[cfg(test)]
mod tests;
