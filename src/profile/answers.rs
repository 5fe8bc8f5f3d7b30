//! Saved answers files: YAML with field ids as keys, plus the questionnaire they answer.
//!
//! ```yaml
//! questionnaire: {id: ip-office-profile, version: "1.0"}
//! country: UGA
//! patent_examiners: 4
//! ```

use crate::error::{Error, Issue, Location, Result};
use crate::io::yaml::{data_file_kind, DataFile};
use crate::profile::questionnaire::{Question, Questionnaire};
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

/// Reads the answers file at `path` (`-`: standard input); a profiles table (a workbook, a
/// CSV) is refused with the command that reads it.
pub fn read_text(path: &std::path::Path) -> Result<String> {
    let origin = crate::io::input::origin(path);
    // A folder named like a table (`profiles.csv/`) is a folder: reading it says so.
    let table_named = !path.is_dir();
    let csv = table_named && crate::io::input::has_extension(path, &["csv", "tsv"]);
    if csv && crate::profile::countries::is_country_table(path) {
        let path = crate::io::input::typed(&origin);
        return Err(Error::input(
            Location::File(origin.clone()),
            format!("this is a country reference table (as data/countries.csv), not an answers file: give it with `--countries {path}`"),
        ));
    }
    if csv || (table_named && crate::profile::spreadsheet::is_workbook(path)) {
        return Err(Error::input(
            Location::File(origin.clone()),
            table_given(&origin),
        ));
    }
    let bytes = crate::io::input::read_bytes(path, &crate::io::limits::FILE_BYTES, "")?;
    if crate::profile::spreadsheet::refuse_workbook_bytes(&bytes, &origin).is_err() {
        return Err(Error::input(
            Location::File(origin.clone()),
            table_given(&origin),
        ));
    }
    crate::io::input::utf8_text(path, bytes)
}

/// What to say when a profiles table (at `origin`) is given as an answers file.
fn table_given(origin: &str) -> String {
    let path = crate::io::input::typed(origin);
    format!("this looks like a profiles table (CSV or workbook), not an answers file: use `ipneeds batch {path}` (`ipneeds score` reads one country's answers, in YAML)")
}

/// What to say when a catalog, questionnaire or synonyms file (at `origin`) is given where
/// answers or profiles go: a list of every "unknown field" would not say what happened.
pub fn data_file_given(file: DataFile, origin: &str, command: &str) -> String {
    let path = crate::io::input::typed(origin);
    let DataFile {
        key, kind, option, ..
    } = file;
    format!(
        "this is {kind} (it has `{key}:`), not {}: give it with `{option} {path}`; {}",
        match command {
            "batch" => "a profiles table",
            _ => "an answers file",
        },
        match command {
            "batch" => "`ipneeds batch` reads a CSV or workbook of profiles (`ipneeds template` writes one)",
            _ => "`ipneeds score` reads one country's answers (`ipneeds template --format yaml` writes an empty answers file)",
        }
    )
}

/// Whether `text`'s first line (comments aside) is a table's header: delimiters, no `key:`.
fn looks_like_table(text: &str) -> bool {
    let first = (text.lines().map(str::trim))
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or_default();
    first.contains([',', ';', '\t']) && !first.contains(':') && !first.starts_with(['[', '{', '-'])
}

/// Parses answers YAML against `questionnaire`.
pub fn parse(text: &str, origin: &str, questionnaire: &Questionnaire) -> Result<AnswersFile> {
    // Places are counted as an editor shows the file, without its byte-order mark.
    let text = crate::io::input::without_byte_order_mark(text);
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        // An empty answers file is a profile with nothing known: valid, and scores zero.
        return Ok(AnswersFile::default());
    }
    let map: BTreeMap<String, Spanned<serde_json::Value>> =
        crate::io::yaml::parse_strict_booleans(text, origin).map_err(|e| {
            let advice = match looks_like_table(text) {
            true => format!("{origin}: {}", table_given(origin)),
            false => {
                "an answers file is a YAML map of field ids to answers, e.g. `ip_strategy: none`"
                    .to_string()
            }
        };
            match e {
                // The parser's place stays the error's; the advice goes below its message.
                Error::Input(mut issue) => {
                    issue.message = format!("{}\n{advice}", issue.message);
                    Error::Input(issue)
                }
                // Several problems: the advice once, after them all.
                Error::Many(mut issues) => {
                    issues.push(Issue::new(None, advice));
                    Error::Many(issues)
                }
                // Not about the text (a bug): as it is.
                e => e,
            }
        })?;
    if let Some(file) = data_file_kind(text, |key| questionnaire.question(key).is_some()) {
        return Err(Error::input(
            Location::File(origin.to_string()),
            data_file_given(file, origin, "score"),
        ));
    }
    // Split once: looked up for each key, a file of many unknown keys took quadratic time.
    let lines: Vec<&str> = text.lines().collect();
    let mut entries: Vec<(String, String, String)> = Vec::new();
    let mut problems = Vec::new();
    let mut version_warning = None;
    let mut locations = BTreeMap::new();
    for (key, value) in map {
        let (line, column) = (value.referenced.line(), value.referenced.column());
        // A key that is no field is misspelt: point at the key, not at its answer.
        let (line, column) = if key != QUESTIONNAIRE_KEY && questionnaire.question(&key).is_none() {
            key_place(&lines, &key, line, column).unwrap_or((line, column))
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
        // (`1.8446744073709552e+19`), and `false` as written unless the question is yes/no
        // (or a choice of values `yes` and `no`, as `values: [true, false]` reads): messages
        // then quote what the person typed.
        let boolean = (questionnaire.question(&key)).is_some_and(Question::takes_yes_and_no);
        let written = match &value.value {
            serde_json::Value::Number(_) => {
                written_at(&lines, value.referenced.line(), value.referenced.column())
                    .map(|token| Ok(token.to_string()))
            }
            serde_json::Value::Bool(_) if !boolean => {
                written_at(&lines, value.referenced.line(), value.referenced.column())
                    .map(|token| Ok(token.to_string()))
            }
            // YAML 1.1's `on` and `off`, read as yes and no before booleans were strict.
            serde_json::Value::String(word) if boolean => {
                match word.trim().to_ascii_lowercase().as_str() {
                    "on" => Some(Ok("yes".to_string())),
                    "off" => Some(Ok("no".to_string())),
                    _ => None,
                }
            }
            _ => None,
        };
        // Free text with ` #` in it, unquoted: YAML reads the rest of the line as a comment,
        // and "Our #1 problem is the backlog" would be scored as "Our".
        let free_text = (questionnaire.question(&key)).is_some_and(|q| {
            q.kind == crate::profile::questionnaire::QuestionType::Text && q.id != super::COUNTRY
        });
        // An answer left empty with a note after it (`challenges:   # to fill in`) is unknown,
        // as any other empty answer with a comment is: no text was cut.
        let empty = value.value.is_null() || value.value.as_str().is_some_and(str::is_empty);
        let cut = (free_text && !empty)
            .then(|| {
                text_cut_by_comment(&lines, value.referenced.line(), value.referenced.column())
            })
            .flatten()
            // Inside a block (`|`) or a quoted text, the `#` is the answer's own.
            .filter(|cut| {
                !value
                    .value
                    .as_str()
                    .is_some_and(|answer| answer.contains(cut))
            });
        if let Some(cut) = cut {
            problems.push(crate::profile::rows::problem(
                location,
                &key,
                value.value.to_string(),
                format!(
                    "`{key}`: the text stops before `{}`: YAML reads ` #` as the start of a comment; to keep it in the answer, put the whole answer in quotes (`{key}: \"…\"`), or move a comment to a line of its own",
                    crate::io::quote::printable(&cut, 40)
                ),
            ));
            continue;
        }
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
fn key_place(lines: &[&str], key: &str, line: u64, column: u64) -> Option<(u64, u64)> {
    let value_line = usize::try_from(line).ok()?.checked_sub(1)?;
    for index in (value_line.saturating_sub(5)..=value_line).rev() {
        let text = lines.get(index)?;
        // On the value's own line, only what stands before the value.
        let before: &str = if index == value_line {
            let end = (text.char_indices())
                .nth(usize::try_from(column).ok()?.saturating_sub(1))
                .map_or(text.len(), |(at, _)| at);
            text.get(..end)?
        } else {
            text
        };
        // The key stands just before its value: a map written on one line (`{a: 1, b: 2, …}`)
        // is not searched from its start for each of its keys.
        let near = before.len().saturating_sub(key.len() + 64);
        let near = (near..=before.len()).find(|&at| before.is_char_boundary(at))?;
        let window = before.get(near..)?;
        if let Some(at) = window.rfind(key) {
            let at = near + at;
            // A quoted key starts at its quote.
            let quoted = before.get(..at)?.ends_with(['"', '\'']);
            // Counted back from the value's column on its own line (counting from the line's
            // start would go through the whole line again for each key).
            let column = match index == value_line {
                true => usize::try_from(column)
                    .ok()?
                    .checked_sub(before.get(at..)?.chars().count())?,
                false => before.get(..at)?.chars().count() + 1,
            } - usize::from(quoted);
            return Some((index as u64 + 1, column as u64));
        }
    }
    None
}

/// Line `line` of `text` from column `column` on (both from 1, the column in characters).
fn line_from<'t>(lines: &[&'t str], line: u64, column: u64) -> Option<&'t str> {
    let line = lines.get(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let skip = usize::try_from(column).ok()?.checked_sub(1)?;
    let start = line.char_indices().nth(skip).map(|(at, _)| at)?;
    line.get(start..)
}

/// The plain scalar written at `line`:`column` (from 1, the column in characters): up to the
/// next space, comma, bracket or comment.
fn written_at<'t>(lines: &[&'t str], line: u64, column: u64) -> Option<&'t str> {
    let rest = line_from(lines, line, column)?;
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
        .unwrap_or(rest.len());
    let token = rest.get(..end)?;
    (!token.is_empty()).then_some(token)
}

/// What a comment cut from the unquoted text written at `line`:`column` (from 1, the column
/// in characters): the line's rest from its ` #`, or `None` for a quoted or block text or a
/// line without a comment.
fn text_cut_by_comment(lines: &[&str], line: u64, column: u64) -> Option<String> {
    let rest = line_from(lines, line, column)?;
    if rest.starts_with(['"', '\'', '|', '>']) {
        return None;
    }
    let at = rest.find(" #").or_else(|| rest.find("\t#"))?;
    Some(rest.get(at + 1..)?.trim_end().to_string())
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

/// The first line of a saved answers file (written anew on every save, not kept).
fn header(questionnaire: &Questionnaire) -> String {
    format!(
        "# Answers to \"{}\", saved by ipneeds. Edit freely; score with `ipneeds score FILE`.",
        questionnaire.title.replace('"', "'")
    )
}

/// How a prefilled answer is written: as a comment, since it is recomputed from the country.
const PREFILLED_NOTE: &str = "  (prefilled from the country)";

/// The line above the comments that no answer written now could take.
const KEPT: &str =
    "# Comments kept from the earlier file (they stood at its end, or by answers no longer in it):";

/// Writes answers as YAML: given answers as keys in questionnaire order, prefilled ones as
/// comments (they are recomputed from the country when read back), and the `comments` of the
/// file the answers were read from, each by its answer again (see [`Comments`]).
pub fn to_yaml(profile: &Profile, questionnaire: &Questionnaire, comments: &Comments) -> String {
    let mut out = String::new();
    out.push_str(&header(questionnaire));
    out.push('\n');
    let mut written: Vec<&str> = vec![QUESTIONNAIRE_KEY];
    comments.write_above(&mut out, QUESTIONNAIRE_KEY);
    let line = questionnaire_line(questionnaire);
    out.push_str(&comments.with_right(QUESTIONNAIRE_KEY, line.trim_end()));
    out.push('\n');
    for question in &questionnaire.questions {
        let id = question.id.as_str();
        let answer = profile.answers.get(id);
        let prefill_note = |answer: &crate::profile::Answer| {
            format!("# {id}: {}{PREFILLED_NOTE}\n", yaml_value(&answer.value))
        };
        match answer {
            Some(answer) if !answer.prefilled => {
                comments.write_above(&mut out, id);
                let line = format!("{id}: {}", yaml_value(&answer.value));
                out.push_str(&comments.with_right(id, &line));
                out.push('\n');
            }
            // A key the file left empty (unknown) but commented stays, with its comments.
            _ if comments.left_empty(id) => {
                comments.write_above(&mut out, id);
                if let Some(answer) = answer {
                    out.push_str(&prefill_note(answer));
                }
                out.push_str(&comments.with_right(id, &format!("{id}:")));
                out.push('\n');
            }
            Some(answer) => {
                out.push_str(&prefill_note(answer));
                continue;
            }
            None => continue,
        }
        written.push(id);
    }
    comments.write_kept(&mut out, &written);
    out
}

/// An answer as a YAML value: numbers plain, text quoted, several choices as a flow list.
fn yaml_value(value: &crate::profile::Value) -> String {
    match value {
        crate::profile::Value::Integer(_) | crate::profile::Value::Number(_) => value.to_text(),
        crate::profile::Value::Multi(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| quote(i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => quote(&other.to_text()),
    }
}

/// The comments of an answers file, each attached to the answer it stands by: the comment
/// lines above a key, and the comments at the end of its lines. Saving answers over the file
/// writes them by the same answers again, so a person's notes (sources, doubts) are kept;
/// comments no answer written can take are kept at the end, under [`KEPT`]. None is dropped,
/// but ipneeds' own lines (its header, prefilled answers, the [`KEPT`] line), which it writes
/// again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comments {
    /// The file's keys in its order, each with its comments.
    keys: Vec<KeyComments>,
    /// Comment lines after the last key, or in a file of comments only.
    end: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct KeyComments {
    key: String,
    /// A blank line stood above the key and its comment lines.
    blank_above: bool,
    /// Whole-line comments above the key, as written; an empty string for a blank line between
    /// them.
    above: Vec<String>,
    /// Comments at the end of the key's lines, each with its whole line (shown as a comment if
    /// the answer is not written again).
    right: Vec<(String, String)>,
    /// The key had no value (unknown).
    empty: bool,
}

impl Comments {
    fn get(&self, key: &str) -> Option<&KeyComments> {
        self.keys.iter().find(|k| k.key == key)
    }

    /// Whether the file gave `key` no value but comments (a filled-in template's unanswered
    /// question): written again empty, so the comments stay by it.
    fn left_empty(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|k| k.empty && (!k.above.is_empty() || !k.right.is_empty()))
    }

    /// The comment lines above `key`, and the blank line above them, if the file had them.
    fn write_above(&self, out: &mut String, key: &str) {
        let Some(found) = self.get(key) else {
            return;
        };
        if found.blank_above && !out.ends_with("\n\n") {
            out.push('\n');
        }
        for line in &found.above {
            out.push_str(line);
            out.push('\n');
        }
    }

    /// `line` with the comments that ended `key`'s lines.
    fn with_right(&self, key: &str, line: &str) -> String {
        let mut line = line.to_string();
        for (comment, _) in self.get(key).map_or(&[][..], |k| &k.right) {
            line.push_str("  ");
            line.push_str(comment);
        }
        line
    }

    /// The comments of keys not `written`, and those after the last key, under [`KEPT`].
    fn write_kept(&self, out: &mut String, written: &[&str]) {
        let mut kept: Vec<String> = Vec::new();
        for key in self
            .keys
            .iter()
            .filter(|k| !written.contains(&k.key.as_str()))
        {
            kept.extend(key.above.iter().filter(|l| !l.is_empty()).cloned());
            // The whole line, commented out: the comment with the answer it was about.
            kept.extend(key.right.iter().map(|(_, line)| format!("# {line}")));
        }
        kept.extend(self.end.iter().cloned());
        if kept.iter().all(|l| l.is_empty()) {
            return;
        }
        out.push('\n');
        out.push_str(KEPT);
        out.push('\n');
        for line in kept {
            out.push_str(&line);
            out.push('\n');
        }
    }
}

/// Finds the comments of answers file `text` (read from `origin`) and the key each stands by.
/// The YAML parser tells comments apart (a `#` inside a quoted or block answer is none).
pub fn comments(text: &str, origin: &str) -> Result<Comments> {
    use serde_saphyr::granit_parser::{Event, Options, Parser};
    let mut options = Options::default();
    // Comments are read whatever their number (the file's size is bounded already).
    options.max_buffered_comment_events = usize::MAX;
    let failed =
        |what: String| Error::internal(format!("{origin}: cannot tell its comments apart: {what}"));
    // The top-level keys: name, where the key starts (byte), whether its value is empty.
    let mut keys: Vec<(String, usize, bool)> = Vec::new();
    // Each comment's byte range, `#` included.
    let mut found: Vec<(usize, usize)> = Vec::new();
    // Open collections (true: a map); keys are read in the outermost map only.
    let mut open: Vec<bool> = Vec::new();
    let mut expect_key = true;
    for next in Parser::new_from_str_with_options(text, options) {
        let (event, span) = next.map_err(|e| failed(e.to_string()))?;
        let (Some(start), Some(end)) = (span.start.byte_offset(), span.end.byte_offset()) else {
            return Err(failed("no byte offsets".to_string()));
        };
        let top = open.as_slice() == [true];
        let node = match &event {
            Event::Comment(..) => {
                found.push((start, end));
                continue;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                open.pop();
                continue;
            }
            Event::Scalar(value, style, ..) => Some(
                *style == serde_saphyr::granit_parser::ScalarStyle::Plain
                    && matches!(value.as_ref(), "" | "~" | "null" | "Null" | "NULL"),
            ),
            Event::Alias(..) | Event::MappingStart(..) | Event::SequenceStart(..) => Some(false),
            _ => None,
        };
        if let (Some(empty), true) = (node, top) {
            if expect_key {
                let name = match &event {
                    Event::Scalar(value, ..) => value.to_string(),
                    _ => String::new(),
                };
                keys.push((name, start, false));
            } else if let Some(key) = keys.last_mut() {
                key.2 = empty;
            }
            expect_key = !expect_key;
        }
        match event {
            Event::MappingStart(..) => open.push(true),
            Event::SequenceStart(..) => open.push(false),
            _ => {}
        }
    }
    found.sort_unstable();
    let mut comments = Comments {
        keys: keys
            .iter()
            .map(|(key, _, empty)| KeyComments {
                key: key.clone(),
                empty: *empty,
                ..KeyComments::default()
            })
            .collect(),
        end: Vec::new(),
    };
    for (index, (_, start, _)) in keys.iter().enumerate() {
        if let Some(key) = comments.keys.get_mut(index) {
            key.blank_above = blank_line_above(text, *start);
        }
    }
    for (start, end) in found {
        let Some(comment) = text.get(start..end).map(str::trim_end) else {
            return Err(failed(format!("a comment at byte {start}")));
        };
        let line_start = text
            .get(..start)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |at| at + 1);
        let before = text.get(line_start..start).unwrap_or_default();
        let whole_line = before.trim_start().is_empty();
        if whole_line && ipneeds_line(text, line_start, comment) {
            continue;
        }
        let next = keys.iter().position(|(_, at, _)| *at > start);
        if !whole_line {
            // At the end of a line: the comment of the key that line belongs to.
            let owner = next.unwrap_or(keys.len()).checked_sub(1);
            if let Some(key) = owner.and_then(|i| comments.keys.get_mut(i)) {
                let line = format!("{}{comment}", before.trim_start());
                key.right.push((comment.to_string(), line));
                continue;
            }
        }
        let list = match next.and_then(|i| comments.keys.get_mut(i)) {
            Some(key) => {
                if key.above.is_empty() {
                    key.blank_above = blank_line_above(text, line_start);
                }
                &mut key.above
            }
            None => &mut comments.end,
        };
        if !list.is_empty() && blank_line_above(text, line_start) {
            list.push(String::new());
        }
        list.push(comment.to_string());
    }
    Ok(comments)
}

/// Whether the line before the one that holds byte `at` is blank.
fn blank_line_above(text: &str, at: usize) -> bool {
    let Some(before) = text.get(..at) else {
        return false;
    };
    let Some(this_line) = before.rfind('\n') else {
        return false;
    };
    let above = before.get(..this_line).unwrap_or_default();
    let previous = above.rsplit('\n').next().unwrap_or_default();
    // Not the file's first line: nothing stands above it.
    previous.trim().is_empty() && !above.is_empty()
}

/// Whether a whole-line `comment` starting its line at byte `line_start` is one ipneeds writes
/// itself on every save: its header (the file's first line), a prefilled answer, or [`KEPT`].
fn ipneeds_line(text: &str, line_start: usize, comment: &str) -> bool {
    let first_line = text
        .get(..line_start)
        .is_some_and(|before| before.trim_start_matches('\u{feff}').trim().is_empty());
    let header =
        comment.starts_with("# Answers to \"") && comment.contains("\", saved by ipneeds.");
    let prefilled = comment
        .strip_prefix("# ")
        .and_then(|rest| rest.strip_suffix(PREFILLED_NOTE))
        .and_then(|rest| rest.split_once(": "))
        .is_some_and(|(id, _)| {
            !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    (first_line && header) || prefilled || comment == KEPT
}

#[cfg(test)]
mod tests;
