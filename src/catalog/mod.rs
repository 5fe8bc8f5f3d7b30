//! The catalog of technical-assistance programs: loading and validation.
//!
//! The built-in catalog is `data/programs.yaml`, embedded in the binary so every command works
//! on a machine with no files around it.

pub mod index;
pub mod synonyms;
pub mod words;

use crate::error::{Error, Result};
use crate::io::yaml;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::HashMap;

/// The catalog text built into the binary.
pub const BUILTIN_TEXT: &str = include_str!("../../data/programs.yaml");
/// How the built-in catalog is named in messages and reports.
pub const BUILTIN_ORIGIN: &str = "<built-in data/programs.yaml>";

/// The list fields of a program that are indexed and searchable, in display order.
pub const TEXT_FIELDS: [&str; 5] = [
    "title",
    "beneficiaries",
    "objectives",
    "activities",
    "outcomes",
];

/// One technical-assistance program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Program {
    pub id: String,
    pub number: u32,
    /// The program's title as the source document gives it.
    pub title: String,
    /// A shorter title for tables; the full title when the catalog gives none.
    pub short_title: String,
    pub beneficiaries: Vec<String>,
    pub objectives: Vec<String>,
    pub activities: Vec<String>,
    pub outcomes: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Where in the source document the program comes from.
    pub source: String,
}

impl Program {
    /// The lines of one searchable field (`title` is a single line).
    pub fn field_lines(&self, field: &str) -> &[String] {
        match field {
            "title" => std::slice::from_ref(&self.title),
            "beneficiaries" => &self.beneficiaries,
            "objectives" => &self.objectives,
            "activities" => &self.activities,
            "outcomes" => &self.outcomes,
            _ => &[],
        }
    }
}

/// A loaded, validated catalog. Programs are sorted by number. (Serialised only by the
/// cache: see [`crate::cache::parsed`].)
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    pub name: String,
    pub source: String,
    /// The file it came from, or the built-in name.
    pub origin: String,
    pub programs: Vec<Program>,
    /// The planners' words searches and free text are expanded with (`data/synonyms.yaml`).
    /// Cached with the catalog, parsed and analysed: the built-in file is part of the binary,
    /// and the cache's key changes with the binary.
    pub synonyms: synonyms::Synonyms,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    source: String,
    programs: Spanned<Vec<Spanned<ProgramEntry>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgramEntry {
    // The four keys every program needs may be absent here so that one missing key does not hide
    // the others: `from_yaml` names every missing one, in every entry, in one report. A key
    // given with no value (`title: ~`) is still refused where it stands (`present`).
    #[serde(default, deserialize_with = "present")]
    id: Option<Spanned<String>>,
    #[serde(default, deserialize_with = "present")]
    /// Read signed, so that `-6` gets the catalog's own message ("numbers start at 1"), not a
    /// parser's range of an unsigned type.
    number: Option<Spanned<i64>>,
    #[serde(default, deserialize_with = "present")]
    title: Option<Spanned<String>>,
    #[serde(default)]
    short_title: Option<String>,
    #[serde(default)]
    beneficiaries: Vec<Spanned<Option<String>>>,
    #[serde(default, deserialize_with = "present")]
    objectives: Option<Spanned<Vec<Spanned<Option<String>>>>>,
    #[serde(default)]
    activities: Vec<Spanned<Option<String>>>,
    #[serde(default)]
    outcomes: Vec<Spanned<Option<String>>>,
    #[serde(default)]
    notes: Vec<Spanned<Option<String>>>,
    #[serde(default)]
    source: String,
}

impl Catalog {
    /// Where the catalog came from, in a report's words: a file's path, or for the built-in
    /// catalog what a reader of the report understands (not the `<built-in …>` of messages).
    pub fn origin_for_readers(&self) -> &str {
        match self.origin.as_str() {
            BUILTIN_ORIGIN => "built into ipneeds, from its data/programs.yaml",
            path => path,
        }
    }

    /// Whether this is the catalog built into the binary.
    pub fn is_builtin(&self) -> bool {
        self.origin == BUILTIN_ORIGIN
    }

    /// The catalog built into the binary.
    pub fn builtin() -> Result<Catalog> {
        Catalog::from_yaml(BUILTIN_TEXT, BUILTIN_ORIGIN)
    }

    /// Loads the built-in catalog, or the file at `path` when one is given.
    pub fn load(path: Option<&std::path::Path>) -> Result<Catalog> {
        let (text, origin) = crate::io::input::file_or_builtin(path, BUILTIN_TEXT, BUILTIN_ORIGIN)?;
        crate::cache::parsed("catalog", &text, &origin, || {
            Catalog::from_yaml(&text, &origin)
        })
    }

    /// Parses and validates catalog YAML; `origin` names the file in messages.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Catalog> {
        let file: CatalogFile = yaml::parse_data(text, origin, "--catalog")?;
        let mut problems = Vec::new();
        let at = |location: serde_saphyr::Location| {
            format!("{origin}:{}:{}", location.line(), location.column())
        };
        if file.programs.value.is_empty() {
            problems.push(format!(
                "{}: the catalog has no programs: add at least one under `programs:`",
                at(file.programs.referenced)
            ));
        }
        if file.programs.value.len() > crate::io::limits::PROGRAMS.count() {
            problems.push(format!(
                "{origin}: the catalog has {} programs; {}",
                file.programs.value.len(),
                crate::io::limits::PROGRAMS.explain()
            ));
        }
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        let mut seen_numbers: HashMap<u32, String> = HashMap::new();
        let mut programs = Vec::with_capacity(file.programs.value.len());
        for Spanned {
            value: entry,
            referenced: entry_at,
            ..
        } in file.programs.value
        {
            let missing: Vec<&str> = [
                ("id", entry.id.is_none()),
                ("number", entry.number.is_none()),
                ("title", entry.title.is_none()),
                ("objectives", entry.objectives.is_none()),
            ]
            .into_iter()
            .filter_map(|(key, missing)| missing.then_some(key))
            .collect();
            let listed = |form: fn(&str) -> String, between: &str| {
                missing
                    .iter()
                    .map(|key| form(key))
                    .collect::<Vec<_>>()
                    .join(between)
            };
            let named = (entry.id.as_ref())
                .map(|id| format!(" `{}`", id.value.trim()))
                .unwrap_or_default();
            let (Some(id), Some(number), Some(title), Some(objectives)) =
                (entry.id, entry.number, entry.title, entry.objectives)
            else {
                problems.push(format!(
                    "{}: the program{named} has no {}: add {} to it (every program has an id, a number, a title and objectives)",
                    at(entry_at),
                    listed(|key| format!("`{key}`"), " or "),
                    listed(|key| format!("`{key}:`"), " and "),
                ));
                continue;
            };
            let id_text = id.value.trim();
            let id_at = at(id.referenced);
            if !is_valid_id(id_text) {
                problems.push(format!(
                    "{id_at}: program id `{id_text}` is not usable: use lower-case letters, digits and hyphens, e.g. `legal-assistance`"
                ));
            }
            if let Some(first) = seen_ids.insert(id_text.to_string(), id_at.clone()) {
                problems.push(format!(
                    "{id_at}: program id `{id_text}` is used twice (first at {first}): give each program its own id"
                ));
            }
            let number_at = at(number.referenced);
            // 0 stands for a number refused here, so that the program's other problems are
            // listed too (the catalog is refused as a whole).
            let number = match u32::try_from(number.value) {
                Ok(value) if value >= 1 => value,
                _ => {
                    let fix = match number.value < 1 {
                        true => "numbers start at 1: give it 1 or more".to_string(),
                        false => format!("give it a number up to {}", u32::MAX),
                    };
                    problems.push(format!(
                        "{number_at}: program `{id_text}` has number {}: {fix} (the menu numbers its programs 1 to 12)",
                        number.value,
                    ));
                    0
                }
            };
            if let Some(first) = (number > 0)
                .then(|| seen_numbers.insert(number, number_at.clone()))
                .flatten()
            {
                problems.push(format!(
                    "{number_at}: program number {number} is used twice (first at {first}): give each program its own number"
                ));
            }
            if title.value.trim().is_empty() {
                problems.push(format!(
                    "{}: program `{id_text}` has an empty title: write its title",
                    at(title.referenced)
                ));
            }
            // An empty item (a stray `-`) would be dropped, and every later item's number in
            // the JSON output (`matched.line`) would no longer be its place in the file.
            let lists = [
                ("beneficiaries", &entry.beneficiaries),
                ("objectives", &objectives.value),
                ("activities", &entry.activities),
                ("outcomes", &entry.outcomes),
                ("notes", &entry.notes),
            ];
            for (field, items) in lists {
                // No objective at all is said once, below.
                if field == "objectives" && items.iter().all(|item| is_blank(&item.value)) {
                    continue;
                }
                for item in items.iter().filter(|item| is_blank(&item.value)) {
                    problems.push(format!(
                        "{}: an empty item in `{field}` of program `{id_text}`: write it or remove its `-` line",
                        at(item.referenced)
                    ));
                }
            }
            if (objectives.value.iter()).all(|objective| is_blank(&objective.value)) {
                problems.push(format!(
                    "{}: program `{id_text}` has no objectives: list at least one; programs are scored against their objectives",
                    at(objectives.referenced)
                ));
            }
            let title = title.value.trim().to_string();
            programs.push(Program {
                id: id_text.to_string(),
                number,
                short_title: entry
                    .short_title
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| title.clone()),
                title,
                beneficiaries: clean(entry.beneficiaries),
                objectives: clean(objectives.value),
                activities: clean(entry.activities),
                outcomes: clean(entry.outcomes),
                notes: clean(entry.notes),
                source: entry.source,
            });
        }
        if !problems.is_empty() {
            return Err(Error::many(problems));
        }
        programs.sort_by_key(|program| program.number);
        Ok(Catalog {
            name: file.name,
            source: file.source,
            origin: origin.to_string(),
            programs,
            synonyms: synonyms::Synonyms::builtin()?,
        })
    }

    /// Finds a program by id (case-insensitive) or number.
    pub fn find(&self, key: &str) -> Result<&Program> {
        let key = key.trim();
        let found = match key.parse::<u32>() {
            Ok(number) => self.programs.iter().find(|p| p.number == number),
            Err(_) => self
                .programs
                .iter()
                .find(|p| p.id.eq_ignore_ascii_case(key)),
        };
        found.ok_or_else(|| {
            let hint = crate::suggest::did_you_mean(key, self.programs.iter().map(|p| p.id.as_str()));
            // The numbers as the catalog has them: one deleted or renumbered leaves a gap.
            let numbers: Vec<u32> = self.programs.iter().map(|p| p.number).collect();
            let numbered = match numbers.as_slice() {
                [] => "the catalog has no program".to_string(),
                _ if numbers.iter().zip(1..).all(|(&n, i)| n == i) => {
                    format!("a number from 1 to {}", numbers.len())
                }
                _ => {
                    let shown: Vec<String> = numbers.iter().take(20).map(u32::to_string).collect();
                    let more = if numbers.len() > 20 { ", …" } else { "" };
                    format!("one of the numbers {}{more}", shown.join(", "))
                }
            };
            // A word that is no id (`examiners`): the search finds programs by their words.
            let search = match hint.is_empty() && !key.chars().all(|c| c.is_ascii_digit()) {
                true => format!("; to find programs by a word: `ipneeds search {}`", crate::io::quote::printable(key, 40)),
                false => String::new(),
            };
            // The key comes from the command line (`ipneeds programs KEY`): a usage error.
            Error::usage(format!(
                "no program `{key}` in the catalog{hint}: give a program id or {numbered} (`ipneeds programs` lists them){search}"
            ))
        })
    }
}

/// A key that is there must hold a value of its type: `~` is refused as a missing number or
/// text would be, at its place, not read as an absent key.
fn present<'de, D, T>(deserializer: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Program ids are used in CSV headers and URLs: keep them plain.
fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether a list item is empty (a stray `-` in YAML gives `None`).
fn is_blank(item: &Option<String>) -> bool {
    item.as_deref().is_none_or(|text| text.trim().is_empty())
}

/// The items, trimmed (none is empty: refused before).
fn clean(items: Vec<Spanned<Option<String>>>) -> Vec<String> {
    (items.into_iter())
        .filter_map(|item| item.value)
        .map(|item| item.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests;
