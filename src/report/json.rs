//! Scored programs as JSON, written piece by piece straight into the output (no
//! `serde_json::Value` per row; strings and numbers as `serde_json` writes them). The pieces
//! are the one definition of how a profile, a program and a reason are written: `batch`'s
//! JSON and JSONL rows ([`BatchRow`]), the compiled batch form (`crate::scoring::compiled`,
//! which writes the parts that are the same in every row once per run and copies them) and
//! `score --format json`'s profile, prefilled fields and programs ([`country_parts`]).
//!
//! A brief row refers to a reason's catalog line by field and position in the program's list
//! (`data/programs.yaml`), and to its need by id, the need's words, weight, answers and rules
//! being in the row's `needs` once; [`Detail::Full`] writes every reason whole, with the
//! line's text and the matched words as byte ranges `{"start", "end"}` of it. `score` writes
//! reasons whole too, but the line as matched: cropped around the matches when long.

use crate::catalog::index::Snippet;
use crate::catalog::{Catalog, Program};
use crate::profile::questionnaire::Questionnaire;
use crate::profile::{Profile, Shown};
use crate::report::round1;
use crate::scoring::{ProgramScore, Reason};
use serde::Serialize;

/// How much of the catalog a JSON row repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Catalog lines by field and position only, needs by id (described once per row).
    #[default]
    Brief,
    /// Every reason whole, catalog lines with their text and the matched words' ranges.
    Full,
}

/// A highlight: a byte range of a text, `{"start": …, "end": …}` in every JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Highlight {
    pub start: usize,
    pub end: usize,
}

impl From<&std::ops::Range<usize>> for Highlight {
    fn from(range: &std::ops::Range<usize>) -> Highlight {
        Highlight {
            start: range.start,
            end: range.end,
        }
    }
}

/// One scored row of a batch, as JSON.
pub struct BatchRow<'a> {
    /// The row's number in the input.
    pub row: u64,
    pub id: &'a str,
    pub country: Option<&'a str>,
    pub profile: &'a Profile,
    pub questionnaire: &'a Questionnaire,
    pub catalog: &'a Catalog,
    pub results: &'a [ProgramScore],
    /// Programs shown (`--top`).
    pub top: usize,
    pub detail: Detail,
}

impl BatchRow<'_> {
    /// Appends the row's JSON object (one line) to `out`.
    pub fn write(&self, out: &mut Vec<u8>) {
        row_open(out, self.row, self.id, self.country);
        profile_and_prefilled(out, self.profile, self.questionnaire);
        let results = self.results.get(..self.top).unwrap_or(self.results);
        // Brief rows name each need's words, weight, answers and rules once, in `needs`, in the
        // order the reasons first cite them.
        let mut cited: Vec<&Reason> = Vec::new();
        programs(
            out,
            self.catalog,
            results,
            |out, reason, program| match self.detail {
                Detail::Full => write_reason(out, reason, program, Line::Whole),
                Detail::Brief => {
                    reason_open(out, &reason.need, None);
                    points(out, reason.points);
                    relevance(out, reason.relevance);
                    reason_close(out, reason.matched.as_ref(), program, Detail::Brief);
                    if !cited.iter().any(|c| c.need == reason.need) {
                        cited.push(reason);
                    }
                }
            },
        );
        if self.detail == Detail::Brief {
            out.extend_from_slice(NEEDS_OPEN);
            for (i, reason) in cited.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                need_open(out, &reason.need, &reason.label);
                weight(out, reason.weight);
                answers_and_rules(out, reason);
                out.extend_from_slice(NEED_END);
            }
        }
        out.extend_from_slice(ROW_END);
    }
}

/// `score --format json`'s profile, prefilled fields and programs (`results`, as many as
/// shown), as one object: `{"profile":{…},"prefilled":[…],"programs":[…]}`.
pub fn country_parts(
    out: &mut Vec<u8>,
    profile: &Profile,
    questionnaire: &Questionnaire,
    catalog: &Catalog,
    results: &[ProgramScore],
) {
    out.push(b'{');
    out.extend_from_slice(PROFILE_OPEN);
    profile_and_prefilled(out, profile, questionnaire);
    programs(out, catalog, results, |out, reason, _| {
        write_reason(out, reason, None, Line::Shown);
    });
    out.extend_from_slice(ROW_END);
}

/// The programs of a row or report, comma-separated, each reason written by `reason` (given
/// the reason and its program's catalog entry).
fn programs<'r>(
    out: &mut Vec<u8>,
    catalog: &Catalog,
    results: &'r [ProgramScore],
    mut reason: impl FnMut(&mut Vec<u8>, &'r Reason, Option<&Program>),
) {
    for (i, result) in results.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let program = catalog.programs.get(result.program);
        program_open(out, result.rank);
        program_fields(out, program);
        score(out, result.score);
        out.extend_from_slice(REASONS_OPEN);
        for (r, each) in result.reasons.iter().enumerate() {
            if r > 0 {
                out.push(b',');
            }
            reason(out, each, program);
        }
        out.extend_from_slice(PROGRAM_END);
    }
}

/// One reason of the general path, whole.
fn write_reason(out: &mut Vec<u8>, reason: &Reason, program: Option<&Program>, line: Line) {
    reason_open(out, &reason.need, Some(&reason.label));
    points(out, reason.points);
    weight(out, reason.weight);
    relevance(out, reason.relevance);
    answers_and_rules(out, reason);
    reason_end(out, reason.matched.as_ref(), program, line);
}

/// `,"answers":[…],"rules":[…` of a reason's need (the rules' list left open).
fn answers_and_rules(out: &mut Vec<u8>, reason: &Reason) {
    out.extend_from_slice(ANSWERS_OPEN);
    for (e, answer) in reason.answers.iter().enumerate() {
        evidence_open(out, e == 0, &answer.field);
        string(out, &answer.value);
        evidence_close(out, answer.prefilled);
    }
    out.extend_from_slice(RULES_OPEN);
    for (r, rule) in reason.rules.iter().enumerate() {
        if r > 0 {
            out.push(b',');
        }
        string(out, rule);
    }
}

/// A string as `serde_json` writes it.
pub(crate) fn string(out: &mut Vec<u8>, text: &str) {
    // Writing into memory cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

/// A number as `serde_json` writes it (`null` when not finite).
pub(crate) fn number(out: &mut Vec<u8>, n: f64) {
    let _ = serde_json::to_writer(&mut *out, &n);
}

fn integer<I: itoa::Integer>(out: &mut Vec<u8>, n: I) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// `{"row":…,"id":…,"country":…,"profile":{` (an empty country is `null`).
pub(crate) fn row_open(out: &mut Vec<u8>, row: u64, id: &str, country: Option<&str>) {
    out.extend_from_slice(b"{\"row\":");
    integer(out, row);
    out.extend_from_slice(b",\"id\":");
    string(out, id);
    out.extend_from_slice(b",\"country\":");
    match country.filter(|c| !c.is_empty()) {
        Some(country) => string(out, country),
        None => out.extend_from_slice(b"null"),
    }
    out.push(b',');
    out.extend_from_slice(PROFILE_OPEN);
}

/// Opens the profile object.
const PROFILE_OPEN: &[u8] = b"\"profile\":{";

/// The key of an answer in the profile object, `"field":` (after a comma unless `first`).
pub(crate) fn key(out: &mut Vec<u8>, first: bool, field: &str) {
    if !first {
        out.push(b',');
    }
    string(out, field);
    out.push(b':');
}

/// An answer in the profile object: numbers as numbers, several choices as a list, the rest
/// (yes/no too) as its text.
pub(crate) fn answer(out: &mut Vec<u8>, shown: Shown) {
    match shown {
        Shown::Integer(i) => integer(out, i),
        Shown::Number(n) => number(out, n),
        Shown::List(items) => list(out, items.iter().map(String::as_str)),
        Shown::Chosen(values, bits) => list(
            out,
            (values.iter().enumerate().take(64))
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, v)| v.as_str()),
        ),
        Shown::Bool(b) => string(out, if b { "yes" } else { "no" }),
        Shown::Str(text) => string(out, text),
    }
}

/// A list of strings.
pub(crate) fn list<'s>(out: &mut Vec<u8>, items: impl Iterator<Item = &'s str>) {
    out.push(b'[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, item);
    }
    out.push(b']');
}

/// Ends the profile object and opens the list of prefilled fields.
pub(crate) const PROFILE_END: &[u8] = b"},\"prefilled\":[";
/// Ends the prefilled fields (each a string, comma-separated) and opens the programs.
pub(crate) const PREFILLED_END: &[u8] = b"],\"programs\":[";
/// Ends the programs (or a brief row's needs) and the row.
pub(crate) const ROW_END: &[u8] = b"]}";
/// Ends a brief row's programs and opens its needs (each comma-separated).
pub(crate) const NEEDS_OPEN: &[u8] = b"],\"needs\":[";

/// The profile's answers in questionnaire order, then its prefilled fields (in the profile's
/// order), from a [`Profile`]: `…},"prefilled":[…],"programs":[`.
pub(crate) fn profile_and_prefilled(
    out: &mut Vec<u8>,
    profile: &Profile,
    questionnaire: &Questionnaire,
) {
    let mut first = true;
    for question in &questionnaire.questions {
        if let Some(given) = profile.answers.get(&question.id) {
            key(out, first, &question.id);
            answer(out, given.value.shown());
            first = false;
        }
    }
    out.extend_from_slice(PROFILE_END);
    let prefilled = profile.answers.iter().filter(|(_, a)| a.prefilled);
    for (i, (field, _)) in prefilled.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, field);
    }
    out.extend_from_slice(PREFILLED_END);
}

/// `{"rank":…` of a ranked program.
pub(crate) fn program_open(out: &mut Vec<u8>, rank: usize) {
    out.extend_from_slice(b"{\"rank\":");
    integer(out, rank);
}

/// `,"id":…,"number":…,"title":…,"score":`: the fields of `score --format json`'s program
/// objects that are the same in every row.
pub(crate) fn program_fields(out: &mut Vec<u8>, program: Option<&Program>) {
    out.extend_from_slice(b",\"id\":");
    match program {
        Some(p) => string(out, &p.id),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"number\":");
    match program {
        Some(p) => integer(out, p.number),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"title\":");
    match program {
        Some(p) => string(out, &p.title),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"score\":");
}

/// A program's 0–100 score, to a tenth.
pub(crate) fn score(out: &mut Vec<u8>, score: f64) {
    number(out, round1(score));
}

/// Opens a program's reasons (each comma-separated).
pub(crate) const REASONS_OPEN: &[u8] = b",\"reasons\":[";
/// Ends a program's reasons and the program.
pub(crate) const PROGRAM_END: &[u8] = b"]}";

/// `{"need":…,"label":…,"points":`; a brief reason (`label` `None`) leaves the need's words
/// to the row's `needs`: `{"need":…,"points":`.
pub(crate) fn reason_open(out: &mut Vec<u8>, need: &str, label: Option<&str>) {
    out.extend_from_slice(b"{\"need\":");
    string(out, need);
    if let Some(label) = label {
        out.extend_from_slice(b",\"label\":");
        string(out, label);
    }
    out.extend_from_slice(b",\"points\":");
}

/// `{"need":…,"label":…` of a need in a brief row's `needs`; its weight follows, then its
/// answers and rules, then [`NEED_END`].
pub(crate) fn need_open(out: &mut Vec<u8>, need: &str, label: &str) {
    out.extend_from_slice(b"{\"need\":");
    string(out, need);
    out.extend_from_slice(b",\"label\":");
    string(out, label);
}

/// Ends a need's rules and the need in a brief row's `needs`.
pub(crate) const NEED_END: &[u8] = b"]}";

/// The points a reason gives, to a tenth.
pub(crate) fn points(out: &mut Vec<u8>, points: f64) {
    number(out, round1(points));
}

/// `,"weight":…`: the need's weight in this profile.
pub(crate) fn weight(out: &mut Vec<u8>, weight: f64) {
    out.extend_from_slice(b",\"weight\":");
    number(out, weight);
}

/// `,"relevance":…`: the need's relevance to the program, to a thousandth.
pub(crate) fn relevance(out: &mut Vec<u8>, relevance: f64) {
    out.extend_from_slice(b",\"relevance\":");
    number(out, (relevance * 1000.0).round() / 1000.0);
}

/// Opens a reason's answers.
pub(crate) const ANSWERS_OPEN: &[u8] = b",\"answers\":[";

/// `{"field":…,"value":` of an answer behind a reason (after a comma unless `first`); the
/// value as a string follows, then [`evidence_close`].
pub(crate) fn evidence_open(out: &mut Vec<u8>, first: bool, field: &str) {
    if !first {
        out.push(b',');
    }
    out.extend_from_slice(b"{\"field\":");
    string(out, field);
    out.extend_from_slice(b",\"value\":");
}

/// `,"prefilled":…}`.
pub(crate) fn evidence_close(out: &mut Vec<u8>, prefilled: bool) {
    out.extend_from_slice(if prefilled {
        b",\"prefilled\":true}"
    } else {
        b",\"prefilled\":false}"
    });
}

/// Ends a reason's answers and opens its rules (each a string, comma-separated).
pub(crate) const RULES_OPEN: &[u8] = b"],\"rules\":[";

/// How a reason's matched catalog line is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// By field and position only ([`Detail::Brief`]).
    Reference,
    /// With the whole line's text and the matched words' ranges in it ([`Detail::Full`]: the
    /// same for every row, and a third of a row's bytes).
    Whole,
    /// With the text as matched, cropped around the matches when long, and the ranges in it
    /// (`score --format json`).
    Shown,
}

/// Ends a reason: a whole reason's rules ([`Detail::Full`]; a brief one has none), then
/// `,"matched":{"field","line"}` when a catalog line matched (with [`Detail::Full`] also
/// `"text"` and `"highlights"`, ranges of the whole line), and the reason.
pub(crate) fn reason_close(
    out: &mut Vec<u8>,
    matched: Option<&Snippet>,
    program: Option<&Program>,
    detail: Detail,
) {
    let line = match detail {
        Detail::Brief => Line::Reference,
        Detail::Full => Line::Whole,
    };
    reason_end(out, matched, program, line);
}

/// [`reason_close`], the matched line written as `line` says.
fn reason_end(out: &mut Vec<u8>, matched: Option<&Snippet>, program: Option<&Program>, line: Line) {
    if line != Line::Reference {
        out.push(b']');
    }
    if let Some(snippet) = matched {
        out.extend_from_slice(b",\"matched\":{\"field\":");
        string(out, &snippet.field);
        out.extend_from_slice(b",\"line\":");
        integer(out, snippet.line);
        match line {
            Line::Reference => {}
            Line::Whole => {
                let text = program.and_then(|p| p.field_lines(&snippet.field).get(snippet.line));
                if let Some(text) = text {
                    out.extend_from_slice(b",\"text\":");
                    string(out, text);
                }
                highlights(out, snippet.line_highlights());
            }
            Line::Shown => {
                out.extend_from_slice(b",\"text\":");
                string(out, &snippet.text);
                highlights(out, snippet.highlights.iter().cloned());
            }
        }
        out.push(b'}');
    }
    out.push(b'}');
}

/// `,"highlights":[{"start":…,"end":…},…]`.
fn highlights(out: &mut Vec<u8>, ranges: impl Iterator<Item = std::ops::Range<usize>>) {
    out.extend_from_slice(b",\"highlights\":[");
    for (i, range) in ranges.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = serde_json::to_writer(&mut *out, &Highlight::from(&range));
    }
    out.push(b']');
}

#[cfg(test)]
mod tests;
