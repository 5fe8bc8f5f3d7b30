//! `batch`'s JSON and JSONL rows, serialised straight from the results (serde over borrowed
//! data: no `serde_json::Value` is built per row, which took most of the time).
//!
//! A reason's catalog line is referred to by field and position in the program's list
//! (`data/programs.yaml`), with the matched words as byte ranges `{"start", "end"}` of that
//! line; [`Detail::Full`] adds the line's text.

use crate::catalog::index::Snippet;
use crate::catalog::Catalog;
use crate::profile::questionnaire::Questionnaire;
use crate::profile::{Profile, Value};
use crate::report::round1;
use crate::scoring::{Evidence, ProgramScore, Reason};
use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct, Serializer};
use serde::Serialize;

/// How much of the catalog a JSON row repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Catalog lines by field and position only.
    #[default]
    Brief,
    /// Catalog lines with their text.
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
        // Serialising into memory cannot fail: the row's types serialise without errors.
        let _ = serde_json::to_writer(out, self);
    }
}

impl Serialize for BatchRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut row = serializer.serialize_struct("row", 6)?;
        row.serialize_field("row", &self.row)?;
        row.serialize_field("id", self.id)?;
        row.serialize_field("country", &self.country.filter(|c| !c.is_empty()))?;
        row.serialize_field(
            "profile",
            &ProfileJson {
                profile: self.profile,
                questionnaire: self.questionnaire,
            },
        )?;
        row.serialize_field("prefilled", &Prefilled(self.profile))?;
        row.serialize_field(
            "programs",
            &Programs {
                catalog: self.catalog,
                results: self.results.get(..self.top).unwrap_or(self.results),
                detail: self.detail,
            },
        )?;
        row.end()
    }
}

/// The answers, in questionnaire order.
struct ProfileJson<'a> {
    profile: &'a Profile,
    questionnaire: &'a Questionnaire,
}

impl Serialize for ProfileJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for question in &self.questionnaire.questions {
            if let Some(answer) = self.profile.answers.get(&question.id) {
                map.serialize_entry(&question.id, &ValueJson(&answer.value))?;
            }
        }
        map.end()
    }
}

/// A value as [`Value::to_json`] gives it: numbers as numbers, several choices as a list,
/// the rest as its text.
struct ValueJson<'a>(&'a Value);

impl Serialize for ValueJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Integer(i) => serializer.serialize_i64(*i),
            Value::Number(n) => serializer.serialize_f64(*n),
            Value::Multi(items) => items.serialize(serializer),
            Value::Bool(b) => serializer.serialize_str(if *b { "yes" } else { "no" }),
            Value::Choice(text) | Value::Text(text) => serializer.serialize_str(text),
        }
    }
}

/// The fields prefilled from the country.
struct Prefilled<'a>(&'a Profile);

impl Serialize for Prefilled<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for (field, _) in self.0.answers.iter().filter(|(_, a)| a.prefilled) {
            seq.serialize_element(field)?;
        }
        seq.end()
    }
}

struct Programs<'a> {
    catalog: &'a Catalog,
    results: &'a [ProgramScore],
    detail: Detail,
}

impl Serialize for Programs<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.results.len()))?;
        for result in self.results {
            seq.serialize_element(&ProgramJson {
                catalog: self.catalog,
                result,
                detail: self.detail,
            })?;
        }
        seq.end()
    }
}

/// One ranked program: the fields of `score --format json`'s, catalog lines by reference.
struct ProgramJson<'a> {
    catalog: &'a Catalog,
    result: &'a ProgramScore,
    detail: Detail,
}

impl Serialize for ProgramJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let program = self.catalog.programs.get(self.result.program);
        let mut object = serializer.serialize_struct("program", 6)?;
        object.serialize_field("rank", &self.result.rank)?;
        object.serialize_field("id", &program.map(|p| p.id.as_str()))?;
        object.serialize_field("number", &program.map(|p| p.number))?;
        object.serialize_field("title", &program.map(|p| p.title.as_str()))?;
        object.serialize_field("score", &round1(self.result.score))?;
        object.serialize_field(
            "reasons",
            &Reasons {
                reasons: &self.result.reasons,
                line_text: |snippet: &Snippet| match self.detail {
                    Detail::Brief => None,
                    Detail::Full => program
                        .and_then(|p| p.field_lines(&snippet.field).get(snippet.line))
                        .map(String::as_str),
                },
            },
        )?;
        object.end()
    }
}

struct Reasons<'a, F> {
    reasons: &'a [Reason],
    /// The text of a matched catalog line, when shown.
    line_text: F,
}

impl<'a, F: Fn(&Snippet) -> Option<&'a str>> Serialize for Reasons<'a, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.reasons.len()))?;
        for reason in self.reasons {
            seq.serialize_element(&ReasonJson {
                reason,
                line_text: reason.matched.as_ref().and_then(&self.line_text),
            })?;
        }
        seq.end()
    }
}

struct ReasonJson<'a> {
    reason: &'a Reason,
    line_text: Option<&'a str>,
}

impl Serialize for ReasonJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let reason = self.reason;
        let fields = if reason.matched.is_some() { 8 } else { 7 };
        let mut object = serializer.serialize_struct("reason", fields)?;
        object.serialize_field("need", &reason.need)?;
        object.serialize_field("label", &reason.label)?;
        object.serialize_field("points", &round1(reason.points))?;
        object.serialize_field("weight", &reason.weight)?;
        object.serialize_field("relevance", &((reason.relevance * 1000.0).round() / 1000.0))?;
        object.serialize_field("answers", &Answers(&reason.answers))?;
        object.serialize_field("rules", &reason.rules)?;
        if let Some(matched) = &reason.matched {
            object.serialize_field(
                "matched",
                &Matched {
                    snippet: matched,
                    text: self.line_text,
                },
            )?;
        }
        object.end()
    }
}

struct Answers<'a>(&'a [Evidence]);

impl Serialize for Answers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for answer in self.0 {
            seq.serialize_element(answer)?;
        }
        seq.end()
    }
}

/// A matched catalog line: `{"field", "line", "text"?, "highlights"}`, the highlights
/// ranges of the whole line.
struct Matched<'a> {
    snippet: &'a Snippet,
    text: Option<&'a str>,
}

impl Serialize for Matched<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = if self.text.is_some() { 4 } else { 3 };
        let mut object = serializer.serialize_struct("matched", fields)?;
        object.serialize_field("field", &self.snippet.field)?;
        object.serialize_field("line", &self.snippet.line)?;
        if let Some(text) = self.text {
            object.serialize_field("text", text)?;
        }
        object.serialize_field("highlights", &LineHighlights(self.snippet))?;
        object.end()
    }
}

struct LineHighlights<'a>(&'a Snippet);

impl Serialize for LineHighlights<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.highlights.len()))?;
        for range in self.0.line_highlights() {
            seq.serialize_element(&Highlight::from(&range))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests;
