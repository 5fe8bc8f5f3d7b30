//! The CSV exports of KoboToolbox and ODK Central, read by `batch` as they come: recognised
//! from their header, columns matched to questions by the last segment of their group path,
//! tool meta columns ignored except the submission id (the row id) and the submission date
//! (the date LDC status is computed for).
//!
//! Formats: KoboToolbox "XML values and headers" (`;`, every cell quoted, CRLF, `group/question`,
//! `question/choice` 0/1 columns, `_uuid`, `_submission_time` …); ODK Central
//! (`,`, `group-question`, `question/choice` columns, `SubmissionDate`, `meta-instanceID`,
//! `KEY` …). `tests/data/exports/README.md` says where each format is documented.

use crate::error::{Error, Result};
use crate::profile::date::Date;
use crate::profile::questionnaire::{QuestionType, Questionnaire};
use crate::profile::rows::HeaderPlace;

/// The tool an export comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Kobo,
    OdkCentral,
}

/// What one column of an export holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportColumn {
    /// The answer to a question.
    Field(String),
    /// A split multi-choice column (`regional_system/aripo`): 1 when the choice is made. Only
    /// kept when the question's own column is missing; its answer is rebuilt from these.
    /// `listed`: whether the questionnaire lists the choice (an unlisted one, chosen, rejects
    /// its row).
    Choice {
        field: String,
        value: String,
        listed: bool,
    },
    /// The row id: an `id` column, or else the tool's submission id.
    RowId,
    /// When the submission reached the server.
    SubmissionDate,
    /// A split multi-choice column whose question has its own column: it repeats that column,
    /// and is read only to refuse a row where the two disagree (an export edited by hand).
    Repeat { field: String, value: String },
    /// The tool's own data: ignored silently.
    Meta,
    /// Neither a question nor the tool's: reported as not a profile field.
    Unknown,
}

/// An export's tool and what each of its columns holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub tool: Tool,
    pub columns: Vec<ExportColumn>,
    /// The column of the tool's submission id (`_uuid`, `KEY`, …), whether or not it is the
    /// row id: the same submission twice is the same id.
    pub submission: Option<usize>,
    /// The column of the reviewer's verdict and its name as the tool writes it (`ReviewState`,
    /// `_validation_status`): a submission a reviewer rejected or put on hold is still in the
    /// export.
    pub review: Option<(usize, &'static str)>,
}

/// What a reviewer said of a submission, when it casts doubt on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// ODK Central's `rejected`, KoboToolbox's `validation_status_not_approved` ("Not
    /// Approved").
    Rejected,
    /// Held back for questions: ODK Central's `hasIssues`, KoboToolbox's
    /// `validation_status_on_hold` ("On Hold").
    Questioned,
}

impl Doubt {
    /// The doubt a review column's value casts, if any (`approved`, `edited`, empty: none).
    pub fn of(verdict: &str) -> Option<Doubt> {
        let verdict = verdict.trim().to_lowercase().replace([' ', '-'], "_");
        match verdict.as_str() {
            "rejected" | "validation_status_not_approved" | "not_approved" => Some(Doubt::Rejected),
            "hasissues" | "has_issues" | "validation_status_on_hold" | "on_hold" => {
                Some(Doubt::Questioned)
            }
            _ => None,
        }
    }

    /// What the reviewer did, as a warning says it.
    pub fn says(self) -> &'static str {
        match self {
            Doubt::Rejected => "rejected this submission",
            Doubt::Questioned => "put this submission on hold (it has issues to resolve)",
        }
    }
}

/// Columns KoboToolbox adds to every export (the form's metadata questions and the server's
/// fields); any other column starting with `_` is the server's too.
const KOBO_META: [&str; 11] = [
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
    "__version__",
    "instanceid",
];

/// Columns ODK Central adds to every export, lower-cased.
const ODK_META: [&str; 19] = [
    "submissiondate",
    "key",
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "status",
    "reviewstate",
    "deviceid",
    "edits",
    "formversion",
    "start",
    "end",
    "today",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
];

/// Whether every export of KoboToolbox or ODK Central has a column of this name (lower-cased).
pub fn is_tool_column(name: &str) -> bool {
    KOBO_META.contains(&name) || ODK_META.contains(&name)
}

/// Group-path separators: `/` (Kobo, and split choices), `-` (ODK Central), `.` and `:`
/// (Kobo's group separator can be set).
const SEPARATORS: [char; 4] = ['/', '-', '.', ':'];

/// The layout of an export, from its header (names trimmed and lower-cased); `None` for a
/// plain CSV. A Kobo export made with labels instead of XML values is an error that says which
/// export option to choose.
pub fn recognise(
    names: &[String],
    questionnaire: &Questionnaire,
    at: &HeaderPlace,
) -> Result<Option<Layout>> {
    let has = |wanted: &str| names.iter().any(|n| n == wanted);
    let tool = if has("_uuid") || has("_submission_time") {
        Tool::Kobo
    } else if has("submissiondate") || has("meta-instanceid") {
        Tool::OdkCentral
    } else if let Some(tool) = grouped_tool(names, questionnaire) {
        tool
    } else {
        return Ok(None);
    };
    let has_id = has(crate::profile::ID);
    // ODK Central's KEY is the submission's instance id, as is meta-instanceID.
    let submission = match tool {
        Tool::Kobo => ["_uuid", "meta/instanceid"],
        Tool::OdkCentral => ["key", "meta-instanceid"],
    }
    .into_iter()
    .find(|&id| has(id));
    let submission_id = submission.filter(|_| !has_id);
    let submission = submission.and_then(|id| names.iter().position(|n| n == id));
    let submission_date = match tool {
        Tool::Kobo => "_submission_time",
        Tool::OdkCentral => "submissiondate",
    };
    let mut columns: Vec<ExportColumn> = names
        .iter()
        .map(|name| {
            if name == crate::profile::ID || Some(name.as_str()) == submission_id {
                ExportColumn::RowId
            } else if name == submission_date {
                ExportColumn::SubmissionDate
            } else if questionnaire.question(name).is_some() {
                ExportColumn::Field(name.clone())
            } else if let Some((field, value, listed)) = split_choice(name, questionnaire) {
                ExportColumn::Choice {
                    field,
                    value,
                    listed,
                }
            } else if let Some(field) = question_of(name, questionnaire) {
                ExportColumn::Field(field.to_string())
            } else if is_meta(tool, name) {
                ExportColumn::Meta
            } else {
                ExportColumn::Unknown
            }
        })
        .collect();
    // Two columns for one question would leave the answer to the order of the columns.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (position, column) in columns.iter().enumerate() {
        if let ExportColumn::Field(field) = column {
            if let Some(first) = seen.insert(field, position) {
                return Err(Error::input(
                    at.cell(position),
                    format!(
                        "columns `{}` and `{}` ({}) both hold question `{field}`: keep one",
                        names.get(first).map_or("", String::as_str),
                        names.get(position).map_or("", String::as_str),
                        at.two_columns(first, position),
                    ),
                ));
            }
        }
    }
    // A split column repeats its question's own column, when that is there.
    let joined: std::collections::HashSet<String> = seen.keys().map(|f| f.to_string()).collect();
    for column in &mut columns {
        if let ExportColumn::Choice { field, value, .. } = &*column {
            if joined.contains(field.as_str()) {
                let (field, value) = (field.clone(), value.clone());
                *column = ExportColumn::Repeat { field, value };
            }
        }
    }
    if tool == Tool::Kobo {
        refuse_labels(names, &columns, questionnaire, at)?;
    }
    let review = match tool {
        Tool::Kobo => "_validation_status",
        Tool::OdkCentral => "ReviewState",
    };
    let review = (names.iter())
        .position(|n| *n == review.to_lowercase())
        .map(|column| (column, review));
    Ok(Some(Layout {
        tool,
        columns,
        submission,
        review,
    }))
}

/// The question a grouped column name holds: the longest question id that is the whole name or
/// follows a separator: known ids are matched whole, names are never split blindly.
fn question_of<'q>(name: &str, questionnaire: &'q Questionnaire) -> Option<&'q str> {
    grouped_question(name, &|id| questionnaire.question(id).is_some())
        .and_then(|id| questionnaire.question(id))
        .map(|question| question.id.as_str())
}

/// The tool of an export whose own columns were deleted (users delete the `_id`, `start` …
/// they do not need), from its questions' group paths: `context/country` (Kobo),
/// `context-country` (ODK Central). `None` when a column names a field plainly: a table of
/// profiles, not an export.
fn grouped_tool(names: &[String], questionnaire: &Questionnaire) -> Option<Tool> {
    let is_question = |id: &str| questionnaire.question(id).is_some();
    if names.iter().any(|name| is_question(name)) {
        return None;
    }
    names.iter().find_map(|name| {
        let field = grouped_question(name, &is_question)?;
        let group = name.get(..name.len() - field.len())?;
        Some(match group.ends_with('-') {
            true => Tool::OdkCentral,
            false => Tool::Kobo,
        })
    })
}

/// The part of a grouped column name (`context/country`, `context-country`) after a separator
/// that `is_question`, the longest such.
pub(crate) fn grouped_question<'n>(
    name: &'n str,
    is_question: &dyn Fn(&str) -> bool,
) -> Option<&'n str> {
    name.char_indices()
        .filter(|(_, c)| SEPARATORS.contains(c))
        .find_map(|(at, c)| {
            name.get(at + c.len_utf8()..)
                .filter(|rest| is_question(rest))
        })
}

/// A split multi-choice column, `[group/]question/choice`, with any of the group separators
/// (Kobo builds the choice's column name with the group separator chosen for the export:
/// `group.question.choice`): the question, the choice, and whether the question lists it. The
/// split nearest the end that names a listed choice wins, so a choice holding a separator
/// (`a-b`) is still read whole. An unlisted choice is a split column too: marked, it rejects its
/// row, naming the column and the allowed values (ignored, the column left the answer unknown,
/// and the country's prefill answered for the respondent).
fn split_choice(name: &str, questionnaire: &Questionnaire) -> Option<(String, String, bool)> {
    let splits = (name.char_indices().rev())
        .filter(|(_, c)| SEPARATORS.contains(c))
        .filter_map(|(at, c)| Some((name.get(..at)?, name.get(at + c.len_utf8()..)?)));
    let mut unlisted = None;
    for (path, value) in splits {
        let question = questionnaire
            .question(path)
            .or_else(|| questionnaire.question(question_of(path, questionnaire)?));
        let Some(question) = question else { continue };
        if question.kind != QuestionType::MultiChoice || value.is_empty() {
            continue;
        }
        if question.values.iter().any(|v| v == value) {
            return Some((question.id.clone(), value.to_string(), true));
        }
        unlisted.get_or_insert_with(|| (question.id.clone(), value.to_string(), false));
    }
    unlisted
}

/// Whether a column is the tool's own.
fn is_meta(tool: Tool, name: &str) -> bool {
    match tool {
        Tool::Kobo => {
            name.starts_with('_')
                || name.starts_with("meta/")
                || name.starts_with("formhub/")
                || KOBO_META.contains(&name)
        }
        Tool::OdkCentral => name.starts_with("meta-") || ODK_META.contains(&name),
    }
}

/// Refuses a Kobo export made with labels: its headers are the questions' prompts, not ids.
fn refuse_labels(
    names: &[String],
    columns: &[ExportColumn],
    questionnaire: &Questionnaire,
    at: &HeaderPlace,
) -> Result<()> {
    let prompts: Vec<String> = questionnaire
        .questions
        .iter()
        .map(|q| q.prompt.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    // With "Include groups in headers", a label header is `Group title/Prompt`.
    let labelled = names.iter().enumerate().find(|(_, name)| {
        prompts.iter().any(|p| {
            name.as_str() == p
                || name
                    .strip_suffix(p.as_str())
                    .is_some_and(|g| g.ends_with('/'))
        })
    });
    // No question found, and headers written as sentences: labels too (an export of another
    // form, named by ids, gets the reader's "no column is a profile field" instead).
    let no_field = !columns
        .iter()
        .any(|c| matches!(c, ExportColumn::Field(_) | ExportColumn::Choice { .. }))
        && names
            .iter()
            .zip(columns)
            .any(|(name, column)| *column == ExportColumn::Unknown && name.contains(' '));
    if labelled.is_none() && !no_field {
        return Ok(());
    }
    let example = labelled.map_or(String::new(), |(position, name)| {
        let name = crate::io::quote::printable(name, 60);
        format!(" ({} is `{name}`)", at.column(position))
    });
    Err(Error::input(at.row(), format!(
        "this looks like a KoboToolbox export with labels as headers{example}, not question names: export again with 'XML values and headers' (Data → Downloads → Value and header format), so that columns are named by question (`policy_and_law/ip_strategy`) and answers by choice name"
    )))
}

/// The date of a submission time: `2024-03-05T10:22:31` (Kobo), `2024-03-05T10:22:31.123Z` (ODK
/// Central), or a bare date. An empty cell is an error too.
pub fn submission_date(text: &str) -> std::result::Result<Date, String> {
    let text = text.trim();
    // Scored as of the run's day instead, a country that has since graduated from the LDC
    // category would read as graduated: no date is no more a date than a garbled one.
    if text.is_empty() {
        return Err("the submission time is empty: LDC status is computed for the date of submission; give the row its time, or give --as-of YYYY-MM-DD to use one date for every row".to_string());
    }
    let (day, time) = text.split_once(['T', ' ']).unwrap_or((text, ""));
    let time_read = time.is_empty() || is_time_of_day(time);
    Date::parse(day).ok().filter(|_| time_read).ok_or_else(|| {
        format!(
            "the submission time is `{}`: expected a date and time such as 2024-03-05T10:22:31 (LDC status is computed for that date); give --as-of YYYY-MM-DD to use one date for every row",
            crate::io::quote::printable(text, 40)
        )
    })
}

/// Whether `text` is a time of day as Kobo and ODK write it: `10:22`, `10:22:31`,
/// `10:22:31.123`, then `Z` or an offset (`+03:00`, `-0500`) or nothing. `25:00:00` is no
/// time, and a row holding it was not written by the survey tool as it is.
fn is_time_of_day(text: &str) -> bool {
    let two_digits = |part: &str, most: u32| {
        part.len() == 2
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u32>().is_ok_and(|n| n <= most)
    };
    let (clock, offset) = match text.strip_suffix(['Z', 'z']) {
        Some(clock) => (clock, None),
        None => match text.rfind(['+', '-']) {
            Some(at) => (&text[..at], Some(&text[at + 1..])),
            None => (text, None),
        },
    };
    let offset_read = offset.is_none_or(|offset| {
        let (hours, minutes) = offset
            .split_once(':')
            .unwrap_or_else(|| offset.split_at(offset.len().min(2)));
        two_digits(hours, 14) && (minutes.is_empty() || two_digits(minutes, 59))
    });
    let mut parts = clock.split(':');
    let (Some(hours), Some(minutes)) = (parts.next(), parts.next()) else {
        return false;
    };
    let seconds_read = match parts.next() {
        None => true,
        Some(seconds) => {
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, "0"));
            two_digits(whole, 60)
                && !fraction.is_empty()
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
    };
    offset_read
        && parts.next().is_none()
        && two_digits(hours, 23)
        && two_digits(minutes, 59)
        && seconds_read
}

/// Whether a split multi-choice cell marks its choice: `1` (or a spreadsheet's TRUE) yes, `0`
/// (FALSE) or empty no.
pub fn choice_marked(text: &str) -> std::result::Result<Option<bool>, String> {
    match text.trim() {
        "" => Ok(None),
        "1" => Ok(Some(true)),
        "0" => Ok(Some(false)),
        marked if marked.eq_ignore_ascii_case("true") => Ok(Some(true)),
        marked if marked.eq_ignore_ascii_case("false") => Ok(Some(false)),
        other => Err(format!(
            "`{}`: a split multi-choice column holds 1 (chosen) or 0 (not chosen)",
            crate::io::quote::printable(other, 40)
        )),
    }
}

/// Answers of multi-choice questions rebuilt from their split columns, for one row.
#[derive(Debug, Default)]
pub struct SplitAnswers<'a> {
    /// Question, and its choices marked 1 (`None` while every cell is empty: unknown).
    answers: Vec<(&'a str, Option<Vec<&'a str>>)>,
}

impl<'a> SplitAnswers<'a> {
    /// Records one split cell (already checked with [`choice_marked`]).
    pub fn add(&mut self, field: &'a str, value: &'a str, marked: Option<bool>) {
        if !self.answers.iter().any(|(f, _)| *f == field) {
            self.answers.push((field, None));
        }
        let Some((_, chosen)) = self.answers.iter_mut().find(|(f, _)| *f == field) else {
            return;
        };
        if let Some(marked) = marked {
            let chosen = chosen.get_or_insert_with(Vec::new);
            chosen.extend(marked.then_some(value));
        }
    }

    /// Each question and its answer as a multi-choice cell (empty: unknown or nothing chosen).
    pub fn cells(self) -> impl Iterator<Item = (&'a str, String)> {
        self.answers
            .into_iter()
            .map(|(field, chosen)| (field, chosen.unwrap_or_default().join(";")))
    }
}

#[cfg(test)]
mod tests;
