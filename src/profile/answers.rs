//! Saved answers files: YAML with field ids as keys, plus the questionnaire they answer.
//!
//! ```yaml
//! questionnaire: {id: ip-office-profile, version: "1.0"}
//! country: UGA
//! patent_examiners: 4
//! ```

use crate::error::{Error, Result};
use crate::profile::questionnaire::Questionnaire;
use crate::profile::{Problem, Profile};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

/// The reserved key naming the questionnaire an answers file belongs to.
pub const QUESTIONNAIRE_KEY: &str = "questionnaire";

/// A parsed answers file.
#[derive(Debug, Clone, Default)]
pub struct AnswersFile {
    pub profile: Profile,
    /// Rejected answers, each with file:line:column.
    pub problems: Vec<Problem>,
    /// A mismatch with the questionnaire in use, to show as a warning.
    pub version_warning: Option<String>,
    /// Where each answer stands (`file:line:column`), for later messages.
    pub locations: BTreeMap<String, String>,
}

impl AnswersFile {
    /// Prefills from the country; an unknown country joins the other problems, located.
    pub fn prefill(
        &mut self,
        questionnaire: &Questionnaire,
        countries: &crate::profile::countries::Countries,
        as_of: crate::profile::date::Date,
    ) {
        if let Err(message) = self.profile.prefill(questionnaire, countries, as_of) {
            let location = self
                .locations
                .get(crate::profile::COUNTRY)
                .cloned()
                .unwrap_or_default();
            self.problems.push(
                self.profile
                    .country_problem(location, format!("`country`: {message}")),
            );
            self.problems
                .sort_by_key(|problem| natural_location(&problem.location));
        }
    }
}

/// Parses answers YAML against `questionnaire`.
pub fn parse(text: &str, origin: &str, questionnaire: &Questionnaire) -> Result<AnswersFile> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        // An empty answers file is a profile with nothing known: valid, and scores zero.
        return Ok(AnswersFile::default());
    }
    let map: BTreeMap<String, Spanned<serde_json::Value>> = crate::io::yaml::parse(text, origin).map_err(|e| {
        Error::invalid(format!("{e}\nan answers file is a YAML map of field ids to answers, e.g. `ip_strategy: none`"))
    })?;
    let mut entries: Vec<(String, String, String)> = Vec::new();
    let mut problems = Vec::new();
    let mut version_warning = None;
    let mut locations = BTreeMap::new();
    for (key, value) in map {
        let (line, column) = (value.referenced.line(), value.referenced.column());
        // A key that is no field is misspelt: point at the key, not at its answer.
        let (line, column) = if key != QUESTIONNAIRE_KEY && questionnaire.question(&key).is_none() {
            key_place(text, &key, line, column).unwrap_or((line, column))
        } else {
            (line, column)
        };
        let location = format!("{origin}:{line}:{column}");
        locations.insert(key.clone(), location.clone());
        if key == QUESTIONNAIRE_KEY {
            version_warning = check_version(&value.value, questionnaire, &location);
            continue;
        }
        // A number as written (`18446744073709551616`), not as the YAML reader converted it
        // (`1.8446744073709552e+19`): messages then quote what the person typed.
        let written = match &value.value {
            serde_json::Value::Number(_) => {
                written_at(text, value.referenced.line(), value.referenced.column())
                    .map(|token| Ok(token.to_string()))
            }
            _ => None,
        };
        match written.unwrap_or_else(|| scalar_text(&value.value)) {
            Ok(text) => entries.push((key, text, location)),
            Err(message) => problems.push(crate::profile::rows::problem(
                location,
                &key,
                value.value.to_string(),
                format!("`{key}`: {message}"),
            )),
        }
    }
    let (profile, mut more) = Profile::from_entries(
        questionnaire,
        entries
            .iter()
            .map(|(k, v, l)| (k.as_str(), v.as_str(), l.clone())),
    );
    problems.append(&mut more);
    problems.sort_by_key(|problem| natural_location(&problem.location));
    Ok(AnswersFile {
        profile,
        problems,
        version_warning,
        locations,
    })
}

/// Where `key` stands before its value at `line`:`column` (both from 1, the column counted in
/// characters): the nearest occurrence at or above the value, within a few lines. (The YAML
/// parser gives a map's values their places, not its keys'.)
fn key_place(text: &str, key: &str, line: u64, column: u64) -> Option<(u64, u64)> {
    let lines: Vec<&str> = text.lines().collect();
    let value_line = usize::try_from(line).ok()?.checked_sub(1)?;
    for index in (value_line.saturating_sub(5)..=value_line).rev() {
        let text = lines.get(index)?;
        // On the value's own line, only what stands before the value.
        let before: String = if index == value_line {
            text.chars()
                .take(usize::try_from(column).ok()?.saturating_sub(1))
                .collect()
        } else {
            text.to_string()
        };
        if let Some(at) = before.rfind(key) {
            // A quoted key starts at its quote.
            let quoted = before.get(..at)?.ends_with(['"', '\'']);
            let column = before.get(..at)?.chars().count() + 1 - usize::from(quoted);
            return Some((index as u64 + 1, column as u64));
        }
    }
    None
}

/// The plain scalar written at `line`:`column` (from 1, the column in characters): up to the
/// next space, comma, bracket or comment.
fn written_at(text: &str, line: u64, column: u64) -> Option<&str> {
    let line = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let skip = usize::try_from(column).ok()?.checked_sub(1)?;
    let start = line.char_indices().nth(skip).map(|(at, _)| at)?;
    let rest = line.get(start..)?;
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
        .unwrap_or(rest.len());
    let token = rest.get(..end)?;
    (!token.is_empty()).then_some(token)
}

/// Sorts `file:12:3` after `file:9:1`.
fn natural_location(location: &str) -> Vec<u64> {
    location
        .rsplit(':')
        .take(2)
        .filter_map(|p| p.parse().ok())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect()
}

/// YAML scalars become the text the profile parser reads; YAML's booleans are yes/no.
fn scalar_text(value: &serde_json::Value) -> std::result::Result<String, String> {
    use serde_json::Value as J;
    match value {
        J::Null => Ok(String::new()),
        J::Bool(b) => Ok(if *b { "yes" } else { "no" }.to_string()),
        J::Number(n) => Ok(n.to_string()),
        J::String(s) => Ok(s.clone()),
        J::Array(items) => items
            .iter()
            .map(|item| match item {
                J::Array(_) | J::Object(_) => {
                    Err("a list of plain values is expected here".to_string())
                }
                other => scalar_text(other),
            })
            .collect::<std::result::Result<Vec<_>, _>>()
            .map(|parts| parts.join(";")),
        J::Object(_) => {
            Err("a map is not an answer: give a value, e.g. `ip_strategy: none`".to_string())
        }
    }
}

fn check_version(
    value: &serde_json::Value,
    questionnaire: &Questionnaire,
    location: &str,
) -> Option<String> {
    let id = value.get("id").and_then(|v| v.as_str()).unwrap_or_default();
    let version = value
        .get("version")
        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
        .unwrap_or_default();
    if id == questionnaire.id && version == questionnaire.version {
        return None;
    }
    if !value.is_object() {
        return Some(format!(
            "{location}: `questionnaire:` names the questionnaire these answers were saved for, as a map: `questionnaire: {{id: {}, version: {}}}` (or remove the line)",
            questionnaire.id, questionnaire.version
        ));
    }
    Some(format!(
        "{location}: these answers were saved for questionnaire `{id}` version {version}, but `{}` version {} is in use: answers are read by field id; check any field whose meaning changed",
        questionnaire.id, questionnaire.version
    ))
}

/// Text as a double-quoted YAML scalar (JSON's quoting is YAML's).
fn quote(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// The line that names the questionnaire an answers file answers (checked when it is read).
pub fn questionnaire_line(questionnaire: &Questionnaire) -> String {
    format!(
        "{QUESTIONNAIRE_KEY}: {{id: {}, version: {}}}\n",
        quote(&questionnaire.id),
        quote(&questionnaire.version)
    )
}

/// Writes answers as YAML: given answers as keys in questionnaire order, prefilled ones as
/// comments (they are recomputed from the country when read back).
pub fn to_yaml(profile: &Profile, questionnaire: &Questionnaire) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Answers to \"{}\", saved by ipneeds. Edit freely; score with `ipneeds score FILE`.\n",
        questionnaire.title.replace('"', "'")
    ));
    out.push_str(&questionnaire_line(questionnaire));
    for question in &questionnaire.questions {
        let Some(answer) = profile.answers.get(&question.id) else {
            continue;
        };
        let value = match &answer.value {
            crate::profile::Value::Integer(_) | crate::profile::Value::Number(_) => {
                answer.value.to_text()
            }
            crate::profile::Value::Multi(items) => {
                format!(
                    "[{}]",
                    items
                        .iter()
                        .map(|i| quote(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
            other => quote(&other.to_text()),
        };
        let (comment, note) = match answer.prefilled {
            true => ("# ", "  (prefilled from the country)"),
            false => ("", ""),
        };
        out.push_str(&format!("{comment}{}: {value}{note}\n", question.id));
    }
    out
}
