//! A country profile: answers parsed and validated against the questionnaire, then prefilled
//! from the country's reference data.

pub mod answers;
pub mod countries;
pub mod date;
pub mod questionnaire;
pub mod rows;
pub mod spreadsheet;
pub mod survey_export;
pub mod xlsform;

use crate::profile::countries::{Countries, Country, LDC_STATUSES};
use crate::profile::date::Date;
use crate::profile::questionnaire::{Question, QuestionType, Questionnaire};
use serde::Serialize;
use std::collections::BTreeMap;

/// The column of a table of profiles (and of grades) that names each case, carried to the
/// output; no question may take it as its id.
pub const ID: &str = "id";
/// The field prefill reads: the country, by name or code.
pub const COUNTRY: &str = "country";
/// The field a country's LDC status is answered (or prefilled) in.
pub const LDC_STATUS: &str = "ldc_status";
/// The field a country's regional IP organizations are answered (or prefilled) in.
pub const REGIONAL_SYSTEM: &str = "regional_system";

/// A typed answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Choice(String),
    Multi(Vec<String>),
    Integer(i64),
    Number(f64),
    Text(String),
}

impl Value {
    /// The value as written in answers files and CSV (multi-choice joined with `;`).
    pub fn to_text(&self) -> String {
        self.shown().text()
    }

    /// How the value shows.
    pub fn shown(&self) -> Shown<'_> {
        match self {
            Value::Bool(b) => Shown::Bool(*b),
            Value::Choice(text) | Value::Text(text) => Shown::Str(text),
            Value::Multi(items) => Shown::List(items),
            Value::Integer(i) => Shown::Integer(*i),
            Value::Number(n) => Shown::Number(*n),
        }
    }

    /// The value as a number, when it is one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// An answer as it shows, wherever it is held (a [`Value`], or a slot of the scoring
/// engine's answers): the one definition of how answers are written.
#[derive(Debug, Clone, Copy)]
pub enum Shown<'a> {
    Bool(bool),
    Str(&'a str),
    /// A multi-choice as a list of values.
    List(&'a [String]),
    /// A multi-choice as bits over the question's values.
    Chosen(&'a [String], u64),
    Integer(i64),
    Number(f64),
}

impl Shown<'_> {
    pub fn text(self) -> String {
        let mut text = String::new();
        self.write(&mut text);
        text
    }

    /// Yes/no, multi-choice joined with `;` (in the question's order), numbers without a
    /// needless ".0".
    pub fn write<O: TextOut>(self, out: &mut O) {
        match self {
            Shown::Bool(b) => out.push_str(if b { "yes" } else { "no" }),
            Shown::Str(text) => out.push_str(text),
            Shown::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(';');
                    }
                    out.push_str(item);
                }
            }
            Shown::Chosen(values, bits) => {
                let chosen = (values.iter().enumerate().take(64))
                    .filter(|(i, _)| bits & (1 << i) != 0)
                    .map(|(_, v)| v);
                for (i, value) in chosen.enumerate() {
                    if i > 0 {
                        out.push(';');
                    }
                    out.push_str(value);
                }
            }
            Shown::Integer(i) => out.push_str(itoa::Buffer::new().format(i)),
            Shown::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 1e15 {
                    out.push_str(itoa::Buffer::new().format(n as i64));
                } else {
                    out.push_str(&n.to_string());
                }
            }
        }
    }
}

/// Numbers print without a needless ".0".
pub fn format_number(n: f64) -> String {
    let mut text = String::new();
    Shown::Number(n).write(&mut text);
    text
}

/// Where text is appended: a `String`, or a block of output bytes (which then stay UTF-8).
/// The batch writes a row's reasons straight into its output; the same code writes them into
/// a `String` for every other report.
pub trait TextOut {
    fn push_str(&mut self, text: &str);

    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }
}

impl TextOut for String {
    fn push_str(&mut self, text: &str) {
        String::push_str(self, text);
    }

    fn push(&mut self, c: char) {
        String::push(self, c);
    }
}

impl TextOut for Vec<u8> {
    fn push_str(&mut self, text: &str) {
        self.extend_from_slice(text.as_bytes());
    }
}

/// One answer and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub value: Value,
    /// Filled in from the country's reference data rather than given.
    pub prefilled: bool,
}

/// A validated profile: answers by field id. Missing fields are unknown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub answers: BTreeMap<String, Answer>,
}

/// A rejected answer: where, which field, the value, what is wrong and what is allowed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// `file:line:column`, `row 7`, or empty.
    pub location: String,
    pub field: String,
    pub value: String,
    pub message: String,
}

impl From<&Problem> for crate::error::Issue {
    fn from(problem: &Problem) -> crate::error::Issue {
        let location = (!problem.location.is_empty()).then(|| problem.location.clone());
        let location = location.map(crate::error::Location::Written);
        crate::error::Issue::new(location, problem.message.clone())
    }
}

/// The problems a reader found in rows or answers, with their places, as one error: the first
/// [`crate::error::SHOWN_PROBLEMS`], then how many more (a file of 200,000 unknown keys listed
/// each one).
pub fn problems_error(problems: &[Problem]) -> crate::error::Error {
    let shown = crate::error::SHOWN_PROBLEMS;
    let mut issues: Vec<crate::error::Issue> = problems
        .iter()
        .take(shown)
        .map(crate::error::Issue::from)
        .collect();
    let more = problems.len().saturating_sub(shown);
    if more > 0 {
        issues.push(crate::error::Issue::new(
            None,
            crate::error::more_problems(more),
        ));
    }
    crate::error::Error::Many(issues)
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

impl Profile {
    /// The answer to `field`, if known.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.answers.get(field).map(|a| &a.value)
    }

    /// Sets an answer given by the user.
    pub fn set(&mut self, field: &str, value: Value) {
        self.answers.insert(
            field.to_string(),
            Answer {
                value,
                prefilled: false,
            },
        );
    }

    /// Builds a profile from raw (field, text, location) entries; returns every problem.
    pub fn from_entries<'a>(
        questionnaire: &Questionnaire,
        entries: impl IntoIterator<Item = (&'a str, &'a str, String)>,
    ) -> (Profile, Vec<Problem>) {
        let entries: Vec<(&str, &str, String)> = entries.into_iter().collect();
        // Looked up by field: searched through, a file of many unknown keys took quadratic time.
        let locations: std::collections::HashMap<&str, &String> = (entries.iter())
            .map(|(field, _, location)| (*field, location))
            .collect();
        Profile::from_cells(
            questionnaire,
            entries.iter().map(|(field, raw, _)| (*field, *raw)),
            |field| (locations.get(field)).map_or_else(String::new, |l| (*l).clone()),
        )
    }

    /// Like [`Profile::from_entries`], with locations made by `locate(field)` only for the
    /// answers that have a problem (batch rows are mostly fine).
    pub fn from_cells<'a>(
        questionnaire: &Questionnaire,
        cells: impl IntoIterator<Item = (&'a str, &'a str)>,
        locate: impl Fn(&str) -> String,
    ) -> (Profile, Vec<Problem>) {
        let mut profile = Profile::default();
        let mut problems = Vec::new();
        for (field, raw) in cells {
            let Some(question) = questionnaire.question(field) else {
                let hint = crate::suggest::did_you_mean(field, questionnaire.ids());
                let shown = crate::io::quote::printable(field, 60);
                problems.push(Problem {
                    location: locate(field),
                    field: shown.clone(),
                    value: raw.to_string(),
                    message: format!(
                        "unknown field `{shown}`{hint}: `ipneeds template` lists the fields"
                    ),
                });
                continue;
            };
            match parse_answer(question, raw) {
                Ok(Some(value)) => profile.set(field, value),
                Ok(None) => {}
                Err(message) => problems.push(Problem {
                    location: locate(field),
                    field: field.to_string(),
                    value: raw.to_string(),
                    message,
                }),
            }
        }
        (profile, problems)
    }

    /// Fills `ldc_status` and `regional_system` from the country when they are unanswered
    /// and the questionnaire asks them. An explicit answer always wins.
    pub fn prefill<'c>(
        &mut self,
        questionnaire: &Questionnaire,
        countries: &'c Countries,
        as_of: Date,
    ) -> Result<Option<&'c Country>, String> {
        let Some(Value::Text(name)) = self.get(COUNTRY).cloned() else {
            return Ok(None);
        };
        let country = countries
            .lookup(&name)
            .map_err(|unknown| unknown.to_string())?;
        // Normalise the country to its ISO code, so outputs are comparable.
        self.answers.insert(
            COUNTRY.into(),
            Answer {
                value: Value::Text(country.iso3.clone()),
                prefilled: false,
            },
        );
        let filled = prefill_values(country, as_of);
        for (field, value) in filled {
            if questionnaire.question(field).is_some() && !self.answers.contains_key(field) {
                self.answers.insert(
                    field.to_string(),
                    Answer {
                        value,
                        prefilled: true,
                    },
                );
            }
        }
        Ok(Some(country))
    }

    /// The problem a `prefill` error makes: the country as given, at `location`.
    pub fn country_problem(&self, location: String, message: String) -> Problem {
        Problem {
            location,
            field: COUNTRY.into(),
            value: self.get(COUNTRY).map(|v| v.to_text()).unwrap_or_default(),
            message,
        }
    }
}

/// The answers prefill gives for `country` as of a date, by field.
pub fn prefill_values(country: &Country, as_of: Date) -> [(&'static str, Value); 2] {
    [
        (
            LDC_STATUS,
            Value::Choice(country.ldc_status_as_of(as_of).to_string()),
        ),
        (REGIONAL_SYSTEM, Value::Multi(country.regional_system())),
    ]
}

/// What the country table fills in that the questionnaire cannot take, one problem per
/// question: prefill would give a value the question refuses, and the rules written for the
/// question's own values would never see it (an edited `ldc_status` lost every LDC's need).
pub fn prefill_problems(questionnaire: &Questionnaire, countries: &Countries) -> Vec<String> {
    let statuses = LDC_STATUSES.map(String::from).to_vec();
    let mut regions: Vec<String> = countries
        .iter()
        .flat_map(Country::regional_system)
        .collect();
    regions.sort();
    regions.dedup();
    let filled = [
        (LDC_STATUS, QuestionType::Choice, statuses),
        (REGIONAL_SYSTEM, QuestionType::MultiChoice, regions),
    ];
    let mut problems = Vec::new();
    for (field, kind, values) in &filled {
        let Some(question) = questionnaire.question(field) else {
            continue;
        };
        let missing: Vec<&str> = (values.iter())
            .filter(|v| !question.values.contains(v))
            .map(String::as_str)
            .collect();
        if question.kind != *kind || !missing.is_empty() {
            problems.push(format!(
                "{}: question `{field}` is filled in from the country table (prefill) with the values {} of `type: {}`{}: keep that type and those values (labels may change), or give the question another id",
                questionnaire.origin,
                values.join(", "),
                kind.yaml_name(),
                match missing.is_empty() {
                    true => String::new(),
                    false => format!(", and it lacks {}", missing.join(", ")),
                }
            ));
        }
    }
    // The country is what the prefill looks up: a question of another type never holds a
    // country (`country: 800` prefilled nothing, and nothing said so).
    let prefilled = filled
        .iter()
        .any(|(field, ..)| questionnaire.question(field).is_some());
    if let Some(country) = questionnaire.question(COUNTRY) {
        if prefilled && country.kind != QuestionType::Text {
            problems.push(format!(
                "{}: question `{COUNTRY}` names the country whose LDC status and regional systems are filled in from the country table (prefill): keep its `type: text`, or give the question another id",
                questionnaire.origin,
            ));
        }
    }
    problems
}

/// Words people write for an answer they do not know (any case): told to leave it empty.
const UNKNOWN_WORDS: [&str; 8] = [
    "unknown",
    "not known",
    "don't know",
    "dont know",
    "n/a",
    "na",
    "?",
    "tbd",
];

/// Words accepted for yes and no (any case), with TRUE and FALSE as a spreadsheet writes a
/// boolean cell into CSV in French, Spanish, Portuguese, Italian and German (the same cell
/// read from the workbook is a boolean, whatever the language).
pub(crate) const YES: [&str; 9] = [
    "yes",
    "true",
    "y",
    "1",
    "vrai",
    "verdadero",
    "verdadeiro",
    "vero",
    "wahr",
];
pub(crate) const NO: [&str; 7] = ["no", "false", "n", "0", "faux", "falso", "falsch"];

/// A choice that [takes yes and no](Question::takes_yes_and_no) reads the other spellings of
/// yes and no as a yes/no question does: a spreadsheet's TRUE cell is `TRUE` in its CSV, `yes`
/// in its .xlsx and `1` in its .ods, and a YAML `true` is yes too, so that every way in reads
/// the same cell alike.
fn yes_or_no(question: &Question, lower: &str) -> Option<&'static str> {
    if !question.takes_yes_and_no() {
        return None;
    }
    if YES.contains(&lower) {
        Some("yes")
    } else if NO.contains(&lower) {
        Some("no")
    } else {
        None
    }
}

/// A cell's text without the white space and the invisible characters around it (a zero-width
/// space, a word joiner, a byte-order mark: see [`crate::catalog::words::is_invisible`]), which
/// a paste or an encoding slip leaves. Around an answer, `none` followed by one was refused as
/// "`none` (did you mean `none`?)"; before the `id` header, every id was lost.
pub fn trim_cell(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || crate::catalog::words::is_invisible(c))
}

/// Ids a spreadsheet's row of totals carries (Excel's table Total Row, a `Total` typed below
/// the countries), in the languages of the survey exports ipneeds reads. Its figures are sums,
/// so scored as a country it pulled every mean down.
const TOTALS_IDS: [&str; 10] = [
    "total",
    "totals",
    "grand total",
    "sum",
    "totaux",
    "total général",
    "total general",
    "suma",
    "soma",
    "summe",
];

/// What to do with a row of totals, said where its id or its country gives it away.
pub(crate) const TOTALS_ROW_FIX: &str =
    "a row of totals, as a spreadsheet adds below a table, is not a country: delete the row";

/// Whether a row's id says it is a row of totals, not a country (any case). Asked of every
/// row on the fast path: compared a character at a time, with nothing allocated.
pub fn is_totals_row(id: &str) -> bool {
    let id = trim_cell(id);
    (TOTALS_IDS.iter()).any(|totals| totals.chars().eq(id.chars().flat_map(char::to_lowercase)))
}

/// Parses one raw answer for `question`. Empty means unknown (`Ok(None)`).
/// The value `lower` names when its words are written apart, as a person types them
/// (`in preparation`, `needs-revision`, `Geographical indications`): values join their words
/// with `_`. `None` when no value is written so.
fn value_written_apart(question: &Question, lower: &str) -> Option<String> {
    let joined = (lower.split(|c: char| c.is_whitespace() || c == '-'))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    (joined != lower && question.values.contains(&joined)).then_some(joined)
}

pub fn parse_answer(question: &Question, raw: &str) -> Result<Option<Value>, String> {
    let text = trim_cell(raw);
    if text.is_empty() {
        return Ok(None);
    }
    let id = &question.id;
    let lower = text.to_lowercase();
    let shown = crate::io::quote::shorten(text);
    // A word for "not known" where an answer is expected: the way to say it is no answer.
    if question.kind != QuestionType::Text
        && UNKNOWN_WORDS.contains(&lower.as_str())
        && !question.values.contains(&lower)
    {
        return Err(format!(
            "`{id}` is `{shown}`: leave the answer empty, or remove it, when it is not known (an empty answer is unknown and scores nothing)"
        ));
    }
    let value = match question.kind {
        QuestionType::Boolean => {
            if YES.contains(&lower.as_str()) {
                Value::Bool(true)
            } else if NO.contains(&lower.as_str()) {
                Value::Bool(false)
            } else {
                return Err(format!(
                    "`{id}` is `{shown}`: answer yes or no (also true/false, y/n, 1/0)"
                ));
            }
        }
        QuestionType::Choice => {
            if question.values.contains(&lower) {
                Value::Choice(lower)
            } else if let Some(word) = yes_or_no(question, &lower) {
                Value::Choice(word.to_string())
            } else if let Some(value) = value_written_apart(question, &lower) {
                Value::Choice(value)
            } else {
                return Err(not_allowed(question, &shown, &lower));
            }
        }
        QuestionType::MultiChoice => {
            let mut chosen: Vec<String> = Vec::new();
            let known = |value: &str| question.values.iter().any(|v| v == value);
            // A line break too: choices typed one a line in a cell (Alt+Enter in Excel).
            for part in lower
                .split([';', '|', ',', '\n', '\r'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                // XLSForm tools (KoboToolbox, ODK) separate choices with spaces; a value that
                // holds a space itself is taken whole.
                let apart = (!known(part))
                    .then(|| value_written_apart(question, part))
                    .flatten();
                let words: Vec<&str> = if known(part) {
                    vec![part]
                } else if let Some(value) = apart.as_deref() {
                    vec![value]
                } else {
                    part.split_whitespace().collect()
                };
                if !words.iter().all(|&w| known(w)) {
                    return Err(not_allowed(
                        question,
                        &crate::io::quote::shorten(part),
                        part,
                    ));
                }
                for word in words {
                    if !chosen.iter().any(|c| c == word) {
                        chosen.push(word.to_string());
                    }
                }
            }
            // Separators alone (`;`, ` | `) choose nothing: unknown, as an empty cell is, so
            // the country still prefills it (an empty list was an answer that kept it out).
            if chosen.is_empty() {
                return Ok(None);
            }
            // Keep the questionnaire's order, so equal answers print the same.
            chosen.sort_by_key(|c| question.values.iter().position(|v| v == c));
            if let Some(alone) = question.excluded_by(&chosen) {
                return Err(format!(
                    "`{id}` is `{shown}`: `{alone}` cannot go with other values: keep `{alone}` alone, or remove it and keep the values"
                ));
            }
            Value::Multi(chosen)
        }
        QuestionType::Integer | QuestionType::Scale | QuestionType::Number
            if is_date_or_time(text) =>
        {
            return Err(format!(
                "`{id}` is `{shown}`, a date or time, not {}: give the figure (if a spreadsheet shows it so, format the column as a number and type the figure again)",
                question.kind.describe()
            ));
        }
        QuestionType::Integer | QuestionType::Scale => {
            let digits = spaces_read(question, without_unit(question, text), &shown)?;
            // `3,0` is `3.0` from a European spreadsheet, as a number question reads `84,5`.
            let digits = separators_read(question, digits, &shown)?;
            // `3.0`: a whole number as spreadsheets and pandas write one (a column of whole
            // numbers with a blank cell becomes floats), not a fraction.
            let digits = match digits.split_once('.') {
                Some((whole, zeros))
                    if !zeros.is_empty()
                        && zeros.chars().all(|c| c == '0')
                        && whole
                            .trim_start_matches('-')
                            .chars()
                            .all(|c| c.is_ascii_digit())
                        && whole.chars().any(|c| c.is_ascii_digit()) =>
                {
                    whole.to_string()
                }
                _ => digits,
            };
            let n: i64 = digits.parse().map_err(|_| {
                let beyond = 2f64.powi(63);
                match digits.parse::<f64>() {
                    // A whole number beyond what can be counted (`2^64`, or YAML's 1.8e19).
                    Ok(n)
                        if question.kind == QuestionType::Integer
                            && !n.is_nan()
                            && n.abs() >= beyond
                            && (n.is_finite() || digits.chars().any(|c| c.is_ascii_digit())) =>
                    {
                        out_of_range(question, n, &shown, "a whole number")
                    }
                    _ => match label_of_scale(question, text) {
                        // `high` for a scale whose 4 reads "High": the number is the answer.
                        Some((number, label)) => format!(
                            "`{id}` is `{shown}`, the label of {number} ({label}): write the number, {number}"
                        ),
                        None => format!("`{id}` is `{shown}`: give {}", figure_asked(question, text)),
                    },
                }
            })?;
            if question.kind == QuestionType::Scale && !questionnaire::SCALE_POINTS.contains(&n) {
                return Err(format!(
                    "`{id}` is `{shown}`: give a whole number from 1 (very low) to 5 (very high)"
                ));
            }
            check_bounds(question, n as f64, &shown)?;
            Value::Integer(n)
        }
        QuestionType::Number => {
            let cleaned = spaces_read(question, without_unit(question, text), &shown)?;
            let cleaned = separators_read(question, cleaned, &shown)?;
            let n: f64 = match cleaned.parse::<f64>() {
                Ok(n) if n.is_finite() => n,
                // `1e400` overflows; `inf` and `NaN` written out are no figures at all.
                Ok(n) if !n.is_nan() && cleaned.chars().any(|c| c.is_ascii_digit()) => {
                    return Err(out_of_range(question, n, &shown, "a number"));
                }
                _ => {
                    return Err(format!(
                        "`{id}` is `{shown}`: give {}",
                        figure_asked(question, text)
                    ))
                }
            };
            check_bounds(question, n, &shown)?;
            // `-0` is 0: negative zero would show as `-0` in reports and JSON.
            Value::Number(if n == 0.0 { 0.0 } else { n })
        }
        QuestionType::Text => {
            let length = text.chars().count();
            // No country's name runs this long: raising the limit would not help.
            if length > crate::io::limits::TEXT_CHARS.count() && id == COUNTRY {
                return Err(format!(
                    "`{id}` is {length} characters long: give the country's ISO code or English name (MWI, MW or Malawi)"
                ));
            }
            if length > crate::io::limits::TEXT_CHARS.count() {
                return Err(format!(
                    "`{id}` is {length} characters long; {}: shorten it to the main points",
                    crate::io::limits::TEXT_CHARS.explain()
                ));
            }
            Value::Text(text.to_string())
        }
    };
    Ok(Some(value))
}

/// Whether a cell reads as a date or a time of day (`2024-03-05`, `5/3/2024`, `05.03.24`,
/// `10:30`, `2024-03-05 10:30:00`): a number cell a spreadsheet formatted as a date shows so.
fn is_date_or_time(text: &str) -> bool {
    let digit_runs = |part: &str, separator: char| -> Option<Vec<usize>> {
        let runs: Vec<usize> = part.split(separator).map(str::len).collect();
        let digits = part
            .split(separator)
            .all(|run| !run.is_empty() && run.chars().all(|c| c.is_ascii_digit()));
        digits.then_some(runs)
    };
    let is_date = |part: &str| {
        ['-', '/', '.']
            .into_iter()
            .any(|separator| match digit_runs(part, separator).as_deref() {
                Some([4, 1..=2, 1..=2]) => true,
                Some([1..=2, 1..=2, 2 | 4]) => separator != '.' || part.len() >= 8,
                _ => false,
            })
    };
    let is_time = |part: &str| {
        matches!(
            digit_runs(part.split('.').next().unwrap_or(part), ':').as_deref(),
            Some([1..=2, 2] | [1..=2, 2, 2])
        )
    };
    let text = text.trim();
    match text.split_once([' ', 'T']) {
        Some((day, time)) => is_date(day) && is_time(time.trim_end_matches('Z')),
        None => is_date(text) || is_time(text),
    }
}

/// A figure written with its question's unit (`36 months`, `1 examiner`) is the figure: the
/// question asks in that unit. Any other word after it stays, and is refused with the unit
/// named ([`figure_asked`]).
fn without_unit<'t>(question: &Question, text: &'t str) -> &'t str {
    let (Some(unit), Some((figure, word))) = (
        question.unit.as_deref(),
        text.trim_end().rsplit_once(char::is_whitespace),
    ) else {
        return text;
    };
    let (word, unit) = (word.to_lowercase(), unit.to_lowercase());
    match word == unit || unit.strip_suffix('s') == Some(word.as_str()) {
        true => figure.trim_end(),
        false => text,
    }
}

/// What a figure question asks for, in its unit: "a number of months (36 for 3 years)" for
/// `3 years`, where "give a number" left the user to guess that 3 would be read as months.
fn figure_asked(question: &Question, text: &str) -> String {
    let kind = question.kind.describe();
    let Some(unit) = question.unit.as_deref() else {
        return kind.to_string();
    };
    let years = (text.trim().split_once(char::is_whitespace))
        .filter(|(_, word)| {
            matches!(
                word.trim().to_lowercase().as_str(),
                "year" | "years" | "yr" | "yrs"
            )
        })
        .and_then(|(figure, _)| figure.replace(',', ".").parse::<f64>().ok())
        .filter(|years| years.is_finite() && *years >= 0.0);
    match years {
        Some(years) if unit.eq_ignore_ascii_case("months") => {
            let word = if years == 1.0 { "year" } else { "years" };
            format!("{kind} of months ({} for {years} {word})", years * 12.0)
        }
        _ => format!("{kind} of {unit}"),
    }
}

/// A figure's separators as people write them: `1,234,567` and `1.234.567` group thousands; a
/// lone comma is a decimal comma from a European spreadsheet (`84,5`, `0,600`: no grouped
/// number starts with a 0 group); a lone dot before three digits (`12.000`) is refused, since it
/// is twelve thousand in much of Europe, Latin America and francophone Africa and twelve in
/// English (read one way, a count would be 1,000 times off, silently).
fn separators_read(question: &Question, digits: String, shown: &str) -> Result<String, String> {
    if grouped_by(&digits, ',') {
        return Ok(digits.replace(',', ""));
    }
    if grouped_by(&digits, '.') {
        if digits.matches('.').count() > 1 {
            return Ok(digits.replace('.', ""));
        }
        // Read as decimals, without the zeros that end them: `2.750` is 2.75, `12.000` is 12.
        let (whole, decimal) = (
            digits.replace('.', ""),
            digits.trim_end_matches('0').trim_end_matches('.'),
        );
        return Err(format!(
            "`{}` is `{shown}`: a dot before three digits may separate thousands ({whole}) or decimals ({decimal}): write the number without a thousands separator ({whole}) or as decimals without the zeros that end them ({decimal})",
            question.id
        ));
    }
    if digits.matches(',').count() == 1 && !digits.contains('.') {
        return Ok(digits.replace(',', "."));
    }
    Ok(digits)
}

/// Digits in groups of three after a first group of one to three that is not 0: `1,234` with
/// `separator` ','.
/// A figure's spaces (`12 345`, also no-break, narrow no-break, thin and figure spaces, as word
/// processors and French locales write them), underscores (`12_345`) and apostrophes (Swiss
/// `12'345`) taken out, when they group thousands in the whole part; anywhere else (`12 3456`, `1 2 3`, `_1`) the figure is
/// refused, not read with its digits run together.
fn spaces_read(question: &Question, text: &str, shown: &str) -> Result<String, String> {
    let spaced: String = (text.chars())
        .map(|c| match c {
            '_' | '\'' | '\u{2019}' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}' => ' ',
            c => c,
        })
        .collect();
    // Words (`Very low`, `54 months`) are no figure: the question says what it takes.
    if !spaced.contains(' ') || spaced.chars().any(char::is_alphabetic) {
        return Ok(spaced);
    }
    let (whole, fraction) = spaced.split_at(spaced.find(['.', ',']).unwrap_or(spaced.len()));
    if !grouped_by(whole, ' ') || fraction.contains(' ') {
        return Err(format!(
            "`{}` is `{shown}`: a space, `_` or `'` in a figure may only group thousands (12 345): check the figure",
            question.id
        ));
    }
    Ok(spaced.replace(' ', ""))
}

fn grouped_by(text: &str, separator: char) -> bool {
    let mut groups = text.trim_start_matches('-').split(separator);
    let Some(first) = groups.next() else {
        return false;
    };
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && !first.starts_with('0')
        && first.chars().all(|c| c.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

fn check_bounds(question: &Question, n: f64, shown: &str) -> Result<(), String> {
    let id = &question.id;
    let unit = question
        .unit
        .as_deref()
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    if let Some(min) = question.min {
        if n < min {
            return Err(format!(
                "`{id}` is `{shown}`: it must be at least {}{unit}",
                format_number(min)
            ));
        }
    }
    if let Some(max) = question.max {
        if n > max {
            return Err(format!(
                "`{id}` is `{shown}`: it must be at most {}{unit}; check the figure",
                format_number(max)
            ));
        }
    }
    Ok(())
}

/// A number too large (or too small) to hold: say so, with the range allowed.
fn out_of_range(question: &Question, n: f64, shown: &str, kind: &str) -> String {
    let id = &question.id;
    let whole = kind == "a whole number";
    if n < 0.0 {
        let least = match question.min {
            Some(min) => format_number(min),
            None if whole => i64::MIN.to_string(),
            None => format!("{:e}", f64::MIN),
        };
        format!("`{id}`: `{shown}` is too small: give {kind} of at least {least}")
    } else {
        let most = match question.max {
            Some(max) => format_number(max),
            None if whole => i64::MAX.to_string(),
            None => format!("{:e}", f64::MAX),
        };
        format!("`{id}`: `{shown}` is too large: give {kind} up to {most}")
    }
}

/// The scale point whose label `text` is (case aside), with the label.
fn label_of_scale<'q>(question: &'q Question, text: &str) -> Option<(&'q str, &'q str)> {
    if question.kind != QuestionType::Scale {
        return None;
    }
    let text = text.trim();
    (question.labels.iter())
        .find(|(_, label)| label.eq_ignore_ascii_case(text))
        .map(|(number, label)| (number.as_str(), label.as_str()))
}

/// Words that say "there is none", for a choice whose value for that is `none`.
const WORDS_FOR_NONE: [&str; 6] = ["no", "non", "not", "nothing", "nil", "absent"];

fn not_allowed(question: &Question, shown: &str, lower: &str) -> String {
    let mut hint = crate::suggest::did_you_mean(lower, question.values.iter().map(String::as_str));
    // `no` is too short to be a slip of `none` by edits, but it says the same.
    if hint.is_empty()
        && WORDS_FOR_NONE.contains(&lower.trim())
        && question.values.iter().any(|value| value == "none")
    {
        hint = " (did you mean `none`?)".to_string();
    }
    format!(
        "`{}` is `{shown}`{hint}: allowed values are {}",
        question.id,
        question.values.join(", ")
    )
}
