//! The questionnaire: questions (types, values, bounds, skip logic), the needs that answers
//! raise and how strongly, and the scoring settings. All of it is data a policy officer edits.

use crate::error::{Error, Result};
use crate::io::yaml;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The questionnaire built into the binary.
pub const BUILTIN_TEXT: &str = include_str!("../../questionnaires/ip-office-profile.yaml");
/// How the built-in questionnaire is named in messages.
pub const BUILTIN_ORIGIN: &str = "<built-in questionnaires/ip-office-profile.yaml>";

/// The kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Boolean,
    Choice,
    MultiChoice,
    Integer,
    Number,
    Scale,
    Text,
}

/// The points of a scale question (`type: scale`), lowest first.
pub const SCALE_POINTS: std::ops::RangeInclusive<i64> = 1..=5;

impl QuestionType {
    /// How the type is written in a questionnaire file (`type: multi_choice`).
    pub fn yaml_name(self) -> &'static str {
        match self {
            QuestionType::Boolean => "boolean",
            QuestionType::Choice => "choice",
            QuestionType::MultiChoice => "multi_choice",
            QuestionType::Integer => "integer",
            QuestionType::Number => "number",
            QuestionType::Scale => "scale",
            QuestionType::Text => "text",
        }
    }

    /// How the type is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            QuestionType::Boolean => "yes or no",
            QuestionType::Choice => "one of the listed values",
            QuestionType::MultiChoice => "one or more of the listed values",
            QuestionType::Integer => "a whole number",
            QuestionType::Number => "a number",
            QuestionType::Scale => "a whole number from 1 to 5",
            QuestionType::Text => "text",
        }
    }
}

/// A condition on earlier answers: skip logic for questions, triggers for needs.
///
/// `answer` names a question, or `ratio` two numeric questions (the first divided by the
/// second, e.g. pending applications per examiner). It holds when the value is known and
/// matches every test given: `is` (one of these values), `is_not`, `at_least`, `at_most`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "two_questions"
    )]
    pub ratio: Option<[String; 2]>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "one_or_many"
    )]
    pub is: Option<Vec<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "one_or_many"
    )]
    pub is_not: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

/// `is: none`, `is: [full, partial]`, and YAML's `is: no` (a boolean) all read as values.
fn one_or_many<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<Vec<String>>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| match value_word(item) {
            Ok(word) => Ok(word.trim().to_lowercase()),
            Err(other) => Err(serde::de::Error::custom(format!(
                "expected a value or a list of values, found {other}"
            ))),
        })
        .collect::<std::result::Result<Vec<String>, D::Error>>()
        .map(Some)
}

/// A ratio's two questions; another count is named plainly (the reader's own words were
/// "invalid length 3, expected fewer elements in array").
fn two_questions<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<[String; 2]>, D::Error> {
    let names = Vec::<String>::deserialize(deserializer)?;
    <[String; 2]>::try_from(names).map(Some).map_err(|names| {
        serde::de::Error::custom(format!(
            "`ratio` takes two questions, the first divided by the second, e.g. `ratio: [pending_applications, patent_examiners]`; this one has {}",
            names.len()
        ))
    })
}

/// A value as a word: YAML's `true` and `false` are `yes` and `no` (as in answers), a number
/// its digits; anything else is given back for the message.
fn value_word(item: serde_json::Value) -> std::result::Result<String, serde_json::Value> {
    match item {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Bool(b) => Ok(if b { "yes" } else { "no" }.to_string()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(other),
    }
}

/// One of a question's `values` (or `exclusive`) as written, YAML's `true` and `false` read as
/// `yes` and `no`, as they are in rules and answers: `values: [true, false]` once took rules'
/// `is: false` for a value it did not have.
struct ValueWord(String);

impl<'de> Deserialize<'de> for ValueWord {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        value_word(serde_json::Value::deserialize(deserializer)?)
            .map(ValueWord)
            .map_err(|other| {
                serde::de::Error::custom(format!(
                    "expected a list of values, one word each, found {other}"
                ))
            })
    }
}

impl Condition {
    /// The questions this condition reads.
    pub fn questions(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.answer.iter().map(String::as_str).collect();
        if let Some([a, b]) = &self.ratio {
            names.push(a);
            names.push(b);
        }
        names
    }

    /// A short reading of the condition for explanations, e.g. `patent_pendency_months ≥ 36`.
    pub fn describe(&self) -> String {
        let subject = match (&self.answer, &self.ratio) {
            (Some(answer), _) => answer.clone(),
            (None, Some([a, b])) => format!("{a} / {b}"),
            (None, None) => "?".to_string(),
        };
        let mut parts = Vec::new();
        if let Some(values) = &self.is {
            parts.push(format!("{subject} is {}", values.join(" or ")));
        }
        if let Some(values) = &self.is_not {
            parts.push(format!("{subject} is not {}", values.join(" or ")));
        }
        if let Some(min) = self.at_least {
            parts.push(format!("{subject} ≥ {min}"));
        }
        if let Some(max) = self.at_most {
            parts.push(format!("{subject} ≤ {max}"));
        }
        parts.join(" and ")
    }
}

/// One question of the questionnaire.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub section: String,
    pub kind: QuestionType,
    pub prompt: String,
    pub help: String,
    /// Allowed values (choice and multi-choice), lower case.
    pub values: Vec<String>,
    /// Multi-choice values that exclude the others (`none`): chosen alone or not at all.
    #[serde(default)]
    pub exclusive: Vec<String>,
    /// Human labels for values (and scale points).
    pub labels: BTreeMap<String, String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Option<String>,
    /// Asked unless one of these fails (a condition on an unanswered question does not skip).
    pub when: Vec<Condition>,
    pub example: String,
    /// Free text matched against the catalog with this weight (text questions).
    pub catalog_match_weight: Option<f64>,
    /// How much more the free text's first words weigh than its last (text questions): the
    /// first word 1 + this, the last 1 − this, in a straight line (the mean stays 1), as
    /// planners and assessments put the most pressing need first. 0: every word alike.
    #[serde(default)]
    pub order_emphasis: f64,
    /// The most points the text gives one program (text questions; none: no bound): a text
    /// of one word that matches ("backlog") would otherwise hand one program its whole weight.
    #[serde(default)]
    pub most_per_program: Option<f64>,
}

impl Question {
    /// Whether yes and no answer it: a yes/no question, or a choice among values that include
    /// `yes` and `no` (`yes`, `partly`, `no`), where every other spelling of yes and no (a
    /// spreadsheet's TRUE, a YAML `true`) reads as they do.
    pub fn takes_yes_and_no(&self) -> bool {
        self.kind == QuestionType::Boolean
            || ["yes", "no"]
                .iter()
                .all(|v| self.values.iter().any(|w| w == v))
    }

    /// When the interview asks the question, in words (`substantive_examination is full or
    /// partial`); empty for a question always asked.
    pub fn asked_when(&self) -> String {
        let conditions: Vec<String> = self.when.iter().map(|c| c.describe()).collect();
        conditions.join(" and ")
    }

    /// The exclusive value among `chosen` when others are chosen with it.
    pub fn excluded_by<'v>(&self, chosen: &'v [String]) -> Option<&'v str> {
        (chosen.len() > 1)
            .then(|| chosen.iter().find(|c| self.exclusive.contains(c)))
            .flatten()
            .map(String::as_str)
    }

    /// What the question accepts, in words (`one of: none, partial, full`): the template,
    /// the interview and the XLSForm's constraint message say it alike.
    pub fn accepts(&self) -> String {
        match self.kind {
            QuestionType::Choice => format!("one of: {}", self.values.join(", ")),
            QuestionType::MultiChoice => {
                format!(
                    "one or more of: {} (a list, or separated by ;)",
                    self.values.join(", ")
                )
            }
            QuestionType::Integer | QuestionType::Number => {
                let mut text = self.kind.describe().to_string();
                if let Some(min) = self.min {
                    text.push_str(&format!(
                        ", at least {}",
                        crate::profile::format_number(min)
                    ));
                }
                if let Some(max) = self.max {
                    text.push_str(&format!(", at most {}", crate::profile::format_number(max)));
                }
                if let Some(unit) = &self.unit {
                    text.push_str(&format!(" ({unit})"));
                }
                text
            }
            QuestionType::Scale => {
                let labels: Vec<String> = self
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect();
                if labels.is_empty() {
                    "1 (very low) to 5 (very high)".to_string()
                } else {
                    format!("1 to 5: {}", labels.join(", "))
                }
            }
            other => other.describe().to_string(),
        }
    }

    /// [`Question::excluded_by`] for values chosen as bits by their position (batch rows).
    pub fn mixes_exclusive(&self, bits: u64) -> bool {
        bits.count_ones() > 1
            && (self.values.iter().enumerate().take(64))
                .any(|(i, v)| bits & (1 << i) != 0 && self.exclusive.contains(v))
    }
}

/// A section of questions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: String,
}

/// A rule that raises a need: when all conditions hold, the need gets `weight`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trigger {
    pub when: Vec<Condition>,
    pub weight: f64,
    /// Optional words for explanations ("backlog above 500 per examiner").
    pub reason: Option<String>,
}

/// A need: text in the catalog's vocabulary, raised by answers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Need {
    pub id: String,
    /// A short label for reports ("Examination backlog").
    pub label: String,
    /// The words matched against the catalog.
    pub text: String,
    /// Where the text is written (`file:line:column`), for what `check` says of it.
    pub text_at: String,
    pub raised_by: Vec<Trigger>,
}

/// How points become the 0–100 score; see the README's "Scoring".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringSettings {
    /// Points at which a program reaches 63 (1 − 1/e of 100); larger = scores rise slower.
    pub saturation: f64,
    /// Sharpens a need's relevance profile: (relevance / best relevance) ^ exponent.
    pub relevance_exponent: f64,
    /// Relevance below this share of the best program's counts as no match.
    pub min_relevance: f64,
    /// Diminishing returns: a program's strongest need counts in full, the next ones by this
    /// factor, its square, … (likewise the answers behind one need).
    pub further_evidence_factor: f64,
}

impl Default for ScoringSettings {
    fn default() -> Self {
        ScoringSettings {
            saturation: 4.3,
            relevance_exponent: 2.0,
            min_relevance: 0.2,
            further_evidence_factor: 0.5,
        }
    }
}

/// A loaded, validated questionnaire. (Serialised only by the cache: see
/// [`crate::cache::parsed`].)
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Questionnaire {
    pub id: String,
    pub version: String,
    pub title: String,
    pub description: String,
    pub origin: String,
    pub sections: Vec<Section>,
    pub questions: Vec<Question>,
    pub needs: Vec<Need>,
    pub scoring: ScoringSettings,
    /// Question id → position (rebuilt after reading from the cache).
    #[serde(skip)]
    positions: HashMap<String, usize>,
}

// ---- the file format ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionnaireFile {
    id: Spanned<String>,
    version: Spanned<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    scoring: Option<ScoringEntry>,
    sections: Vec<SectionEntry>,
    #[serde(default)]
    needs: Vec<NeedEntry>,
}

/// `scoring:` as written, each value located for messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoringEntry {
    saturation: Spanned<f64>,
    relevance_exponent: Spanned<f64>,
    min_relevance: Spanned<f64>,
    further_evidence_factor: Spanned<f64>,
}

/// Where a weight or scoring setting must lie. Points are Σ weight × share × factor^k (shares
/// and factors at most 1) and a score 100 × (1 − e^(−points / saturation)): with these bounds
/// every sum stays finite and every score between 0 and 100.
struct Bounds {
    low: f64,
    low_included: bool,
    high: f64,
    high_included: bool,
    /// The range in words, for messages.
    words: &'static str,
}

impl Bounds {
    fn contain(&self, x: f64) -> bool {
        let above = if self.low_included {
            x >= self.low
        } else {
            x > self.low
        };
        let below = if self.high_included {
            x <= self.high
        } else {
            x < self.high
        };
        above && below
    }
}

/// A need's weight and a text question's `catalog_match_weight` (the built-in ones are 0.5–4).
const WEIGHT: Bounds = Bounds {
    low: 0.0,
    low_included: false,
    high: 100.0,
    high_included: true,
    words: "a positive number up to 100",
};
const SATURATION: Bounds = Bounds {
    low: 0.01,
    low_included: true,
    high: 1000.0,
    high_included: true,
    words: "a number from 0.01 to 1000",
};
const RELEVANCE_EXPONENT: Bounds = Bounds {
    low: 0.0,
    low_included: false,
    high: 10.0,
    high_included: true,
    words: "a positive number up to 10",
};
const MIN_RELEVANCE: Bounds = Bounds {
    low: 0.0,
    low_included: true,
    high: 1.0,
    high_included: false,
    words: "a number from 0 up to, not including, 1",
};
/// A text question's `order_emphasis`: below 1, so that its last word still counts.
const ORDER_EMPHASIS: Bounds = Bounds {
    low: 0.0,
    low_included: true,
    high: 1.0,
    high_included: false,
    words: "a number from 0 up to, not including, 1",
};
const FURTHER_EVIDENCE_FACTOR: Bounds = Bounds {
    low: 0.0,
    low_included: true,
    high: 1.0,
    high_included: true,
    words: "a number from 0 to 1",
};

/// A number as a person would write it: `1e307`, not 308 digits.
fn shown(x: f64) -> String {
    if x.is_finite() && x != 0.0 && !(1e-4..1e6).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionEntry {
    id: Spanned<String>,
    title: String,
    questions: Vec<QuestionEntry>,
}

/// One condition or a list of them (all must hold).
enum Conditions {
    One(Condition),
    All(Vec<Condition>),
}

impl<'de> Deserialize<'de> for Conditions {
    /// Read by hand rather than as an untagged enum, whose one message ("not in a form ipneeds
    /// reads") hid which key was wrong (`at_least: "ten"`, `atleast: 10`).
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        use serde::de::Error as _;
        let one = |value: serde_json::Value| {
            if let Some(problem) = condition_problem(&value) {
                return Err(D::Error::custom(problem));
            }
            serde_json::from_value(value).map_err(|e| {
                D::Error::custom(format!("condition: this condition is not in a form ipneeds reads ({e}) | fix: write a condition as a map such as `{{answer: ip_strategy, is: none}}`"))
            })
        };
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::Array(items) => (items.into_iter().map(one))
                .collect::<std::result::Result<_, _>>()
                .map(Conditions::All),
            other => one(other).map(Conditions::One),
        }
    }
}

/// What is wrong with a condition as written, in the questionnaire author's terms, as the
/// YAML reader's `condition: PROBLEM | fix: FIX` (see `src/io/yaml.rs`).
fn condition_problem(value: &serde_json::Value) -> Option<String> {
    const KEYS: [&str; 6] = ["answer", "ratio", "is", "is_not", "at_least", "at_most"];
    let Some(map) = value.as_object() else {
        return Some("condition: this condition is not in a form ipneeds reads | fix: write a condition as a map such as `{answer: ip_strategy, is: none}`, or a list of such maps (all must hold)".to_string());
    };
    for (key, found) in map {
        let problem = match key.as_str() {
            "at_least" | "at_most" if !found.is_number() => {
                format!("`{key}` is {found}, not a number | fix: give a number, e.g. `{key}: 10`")
            }
            "answer" if !found.is_string() => {
                format!("`answer` is {found} | fix: name a question, e.g. `answer: ip_strategy`")
            }
            key if KEYS.contains(&key) => continue,
            other => format!(
                "`{other}` is not a key of a condition{} | fix: a condition has `answer` (or `ratio`), and `is`, `is_not`, `at_least` or `at_most`",
                crate::suggest::did_you_mean(other, KEYS)
            ),
        };
        return Some(format!("condition: {problem}"));
    }
    None
}

impl Conditions {
    fn into_vec(self) -> Vec<Condition> {
        match self {
            Conditions::One(one) => vec![one],
            Conditions::All(all) => all,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionEntry {
    id: Spanned<String>,
    #[serde(rename = "type")]
    kind: QuestionType,
    prompt: Spanned<String>,
    #[serde(default)]
    help: String,
    // Each setting below is located, so that a problem is reported at its own line.
    #[serde(default)]
    values: Vec<Spanned<ValueWord>>,
    #[serde(default)]
    exclusive: Vec<Spanned<ValueWord>>,
    #[serde(default)]
    labels: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    min: Option<Spanned<f64>>,
    #[serde(default)]
    max: Option<Spanned<f64>>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    when: Option<Spanned<Conditions>>,
    #[serde(default)]
    example: Option<Spanned<String>>,
    #[serde(default)]
    catalog_match_weight: Option<Spanned<f64>>,
    #[serde(default)]
    order_emphasis: Option<Spanned<f64>>,
    most_per_program: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NeedEntry {
    id: Spanned<String>,
    #[serde(default)]
    label: String,
    text: Spanned<String>,
    raised_by: Vec<TriggerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerEntry {
    when: Spanned<Conditions>,
    weight: Spanned<f64>,
    #[serde(default)]
    reason: Option<String>,
}

impl Questionnaire {
    /// The title of the section `id` (the id itself should a section be missing).
    pub fn section_title<'q>(&'q self, id: &'q str) -> &'q str {
        (self.sections.iter())
            .find(|s| s.id == id)
            .map_or(id, |s| s.title.as_str())
    }

    /// Whether this is the questionnaire built into the binary.
    pub fn is_builtin(&self) -> bool {
        self.origin == BUILTIN_ORIGIN
    }

    /// The questionnaire built into the binary.
    pub fn builtin() -> Result<Questionnaire> {
        Questionnaire::from_yaml(BUILTIN_TEXT, BUILTIN_ORIGIN)
    }

    /// Loads the built-in questionnaire, or the file at `path` when one is given (through
    /// the cache of parsed files).
    pub fn load(path: Option<&std::path::Path>) -> Result<Questionnaire> {
        let (text, origin) = crate::io::input::file_or_builtin(path, BUILTIN_TEXT, BUILTIN_ORIGIN)?;
        let mut questionnaire = crate::cache::parsed("questionnaire", &text, &origin, || {
            Questionnaire::from_yaml(&text, &origin)
        })?;
        // Read back from the cache, the id → position map is not there yet.
        if questionnaire.positions.is_empty() {
            questionnaire.index_questions();
        }
        Ok(questionnaire)
    }

    /// Rebuilds the id → position map (after reading from the cache).
    fn index_questions(&mut self) {
        self.positions = positions_of(&self.questions);
    }

    /// Parses and validates questionnaire YAML, reporting every problem at once.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Questionnaire> {
        let file: QuestionnaireFile = yaml::parse_data(text, origin, "--questionnaire")?;
        let at = |location: serde_saphyr::Location| {
            format!("{origin}:{}:{}", location.line(), location.column())
        };
        let mut problems = Vec::new();
        if file.id.value.trim().is_empty() {
            problems.push(format!(
                "{}: the questionnaire id is empty: name it, e.g. `ip-office-profile`",
                at(file.id.referenced)
            ));
        }
        if file.version.value.trim().is_empty() {
            problems.push(format!(
                "{}: the version is empty: give one, e.g. \"1.0\"",
                at(file.version.referenced)
            ));
        }
        let mut sections = Vec::new();
        let mut questions: Vec<Question> = Vec::new();
        let mut example_at = Vec::new();
        let mut when_at: Vec<String> = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut section_seen: HashMap<String, String> = HashMap::new();
        for section in file.sections {
            let section_id = section.id.value.trim().to_string();
            let here = at(section.id.referenced);
            // A form names its groups by section id: two would be one group, under one title.
            if let Some(first) = section_seen.insert(section_id.clone(), here.clone()) {
                problems.push(format!("{here}: section id `{section_id}` is used twice (first at {first}): give each section its own id"));
            }
            sections.push(Section {
                id: section_id.clone(),
                title: section.title,
            });
            for entry in section.questions {
                let id = entry.id.value.trim().to_string();
                let here = at(entry.id.referenced);
                if !is_field_id(&id) {
                    problems.push(format!("{here}: question id `{id}` is not usable: use lower-case letters, digits and underscores, starting with a letter, e.g. `patent_examiners`"));
                } else if let Some(taken) = taken_column(&id) {
                    problems.push(format!("{here}: question id `{id}` is {taken}: rename the question, e.g. `{id}_answer`"));
                }
                if let Some(first) = seen.insert(id.clone(), here.clone()) {
                    problems.push(format!("{here}: question id `{id}` is used twice (first at {first}): give each question its own id"));
                }
                check_question_shape(&entry, &id, &here, &at, &mut problems);
                when_at.push(
                    entry
                        .when
                        .as_ref()
                        .map_or_else(|| here.clone(), |w| at(w.referenced)),
                );
                // A text question's settings, each checked against its bounds.
                let mut setting = |name: &str, value: Option<Spanned<f64>>, bounds: &Bounds| {
                    value.map(|v| {
                        if !bounds.contain(v.value) {
                            problems.push(format!(
                                "{}: `{name}` of `{id}` is {}: use {}",
                                at(v.referenced),
                                shown(v.value),
                                bounds.words
                            ));
                        }
                        v.value
                    })
                };
                let catalog_match_weight =
                    setting("catalog_match_weight", entry.catalog_match_weight, &WEIGHT);
                let most_per_program = setting("most_per_program", entry.most_per_program, &WEIGHT);
                let order_emphasis =
                    setting("order_emphasis", entry.order_emphasis, &ORDER_EMPHASIS).unwrap_or(0.0);
                example_at
                    .push((entry.example.as_ref()).map_or(entry.id.referenced, |e| e.referenced));
                questions.push(Question {
                    id,
                    section: section_id.clone(),
                    kind: entry.kind,
                    prompt: entry.prompt.value,
                    help: entry.help,
                    values: (entry.values.iter()).map(|v| as_read(&v.value.0)).collect(),
                    exclusive: (entry.exclusive.iter())
                        .map(|v| as_read(&v.value.0))
                        .collect(),
                    // Keyed as the values are read (trimmed, lower case), so that a label
                    // written `Join_regional` still names the value `join_regional`.
                    labels: (entry.labels.into_iter())
                        .map(|(key, label)| (as_read(&key), label.value))
                        .collect(),
                    min: entry.min.map(|bound| bound.value),
                    max: entry.max.map(|bound| bound.value),
                    unit: entry.unit,
                    when: entry.when.map(|w| w.value.into_vec()).unwrap_or_default(),
                    example: entry.example.map(|e| e.value).unwrap_or_default(),
                    catalog_match_weight,
                    order_emphasis,
                    most_per_program,
                });
            }
        }
        if questions.is_empty() {
            problems.push(format!(
                "{origin}: the questionnaire has no questions: add sections with questions"
            ));
        }
        if questions.len() > crate::io::limits::QUESTIONS.count() {
            problems.push(format!(
                "{origin}: {} questions; {}",
                questions.len(),
                crate::io::limits::QUESTIONS.explain()
            ));
        }
        // The template writes each example as an answer: one the question refuses would make
        // the template's example row a bad row.
        for (question, &here) in questions.iter().zip(&example_at) {
            // (A choice without values is told already: no example can be one of them.)
            let choice = matches!(
                question.kind,
                QuestionType::Choice | QuestionType::MultiChoice
            );
            if question.example.trim().is_empty() || (choice && question.values.is_empty()) {
                continue;
            }
            if let Err(why) = crate::profile::parse_answer(question, &question.example) {
                problems.push(format!(
                    "{}: the `example` of question `{}` is not an answer it takes ({why}): give one it takes, as the template writes it in its example row",
                    at(here), question.id
                ));
            }
        }
        let positions = positions_of(&questions);
        // Skip logic may only look back: an earlier question's answer decides. That also
        // rules out cycles.
        for (position, question) in questions.iter().enumerate() {
            for condition in &question.when {
                check_condition(
                    condition,
                    &questions,
                    &positions,
                    &when_at[position],
                    &mut problems,
                );
                for name in condition.questions() {
                    match positions.get(name) {
                        Some(&p) if p == position => problems.push(format!(
                            "{}: question `{}` depends on itself: skip logic must name an earlier question",
                            when_at[position], question.id
                        )),
                        Some(&p) if p > position => problems.push(format!(
                            "{}: question `{}` depends on `{name}`, which comes later: move `{name}` before it (skip logic looks only at earlier answers, which also rules out cycles)",
                            when_at[position], question.id
                        )),
                        _ => {}
                    }
                }
            }
        }
        let mut needs = Vec::new();
        let mut need_ids: HashMap<String, String> = HashMap::new();
        for entry in file.needs {
            let id = entry.id.value.trim().to_string();
            let here = at(entry.id.referenced);
            if let Some(first) = need_ids.insert(id.clone(), here.clone()) {
                problems.push(format!("{here}: need id `{id}` is used twice (first at {first}): give each need its own id"));
            }
            // Reports and their cells name a need by its id; a free text's reasons name the
            // text question's id in the same place.
            if !is_need_id(&id) {
                problems.push(format!("{here}: need id `{id}` is not usable: use lower-case letters, digits, `-` and `_`, starting with a letter, e.g. `examination-backlog`"));
            } else if questions
                .iter()
                .any(|q| q.id == id && q.kind == QuestionType::Text)
            {
                problems.push(format!("{here}: need id `{id}` is the id of the free-text question: reports name the text's reasons by it; rename the need, e.g. `{id}-need`"));
            }
            if !crate::catalog::index::has_terms(&entry.text.value) {
                problems.push(format!("{}: need `{id}` has no searchable words in its text: describe it in the catalog's words", at(entry.text.referenced)));
            }
            if entry.raised_by.is_empty() {
                problems.push(format!(
                    "{here}: need `{id}` is raised by nothing: add `raised_by` rules"
                ));
            }
            let mut raised_by = Vec::new();
            for trigger in entry.raised_by {
                let trigger_at = at(trigger.when.referenced);
                if !WEIGHT.contain(trigger.weight.value) {
                    // Below the range, a rule that should raise nothing is removed, not zeroed.
                    let fix = match trigger.weight.value > 0.0 {
                        true => "raise it less by lowering it, e.g. 0.5",
                        false => "to raise the need less, give a small weight such as 0.5; to not raise it, remove the rule",
                    };
                    problems.push(format!(
                        "{}: need `{id}` has weight {}: a weight must be {} ({fix})",
                        at(trigger.weight.referenced),
                        shown(trigger.weight.value),
                        WEIGHT.words
                    ));
                }
                let when = trigger.when.value.into_vec();
                if when.is_empty() {
                    problems.push(format!(
                        "{trigger_at}: a rule of need `{id}` has no condition"
                    ));
                }
                for condition in &when {
                    check_condition(
                        condition,
                        &questions,
                        &positions,
                        &trigger_at,
                        &mut problems,
                    );
                }
                raised_by.push(Trigger {
                    when,
                    weight: trigger.weight.value,
                    reason: trigger.reason,
                });
            }
            let label = if entry.label.trim().is_empty() {
                id.replace('-', " ")
            } else {
                entry.label
            };
            needs.push(Need {
                id,
                label,
                text_at: at(entry.text.referenced),
                text: entry.text.value,
                raised_by,
            });
        }
        let scoring = match file.scoring {
            None => ScoringSettings::default(),
            Some(entry) => {
                let settings = [
                    ("saturation", &entry.saturation, &SATURATION),
                    (
                        "relevance_exponent",
                        &entry.relevance_exponent,
                        &RELEVANCE_EXPONENT,
                    ),
                    ("min_relevance", &entry.min_relevance, &MIN_RELEVANCE),
                    (
                        "further_evidence_factor",
                        &entry.further_evidence_factor,
                        &FURTHER_EVIDENCE_FACTOR,
                    ),
                ];
                for (key, value, bounds) in settings {
                    if !bounds.contain(value.value) {
                        problems.push(format!(
                            "{}: scoring `{key}` is {}: give {}",
                            at(value.referenced),
                            shown(value.value),
                            bounds.words
                        ));
                    }
                }
                ScoringSettings {
                    saturation: entry.saturation.value,
                    relevance_exponent: entry.relevance_exponent.value,
                    min_relevance: entry.min_relevance.value,
                    further_evidence_factor: entry.further_evidence_factor.value,
                }
            }
        };
        if !problems.is_empty() {
            return Err(Error::many(problems));
        }
        Ok(Questionnaire {
            id: file.id.value.trim().to_string(),
            version: file.version.value.trim().to_string(),
            title: file.title,
            description: file.description,
            origin: origin.to_string(),
            sections,
            questions,
            needs,
            scoring,
            positions,
        })
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.positions.get(id).and_then(|&p| self.questions.get(p))
    }

    /// The question's position (questionnaire order).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
    }

    /// Question ids, for "did you mean".
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.questions.iter().map(|q| q.id.as_str())
    }
}

/// Question id → position in the questionnaire.
fn positions_of(questions: &[Question]) -> HashMap<String, usize> {
    questions
        .iter()
        .enumerate()
        .map(|(position, question)| (question.id.clone(), position))
        .collect()
}

/// Field ids appear as CSV headers and YAML keys: keep them plain.
/// A need id: as a field id, and `-` too (`examination-backlog`).
fn is_need_id(id: &str) -> bool {
    is_field_id(&id.replace('-', "_"))
}

/// A Cyrillic or Greek letter in a word that also has Latin ones (`pаrtial` with a Cyrillic
/// `а`, pasted from a document): the word reads as Latin but no Latin keyboard types it.
fn look_alike_letter(word: &str) -> Option<(char, &'static str)> {
    if !word.chars().any(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    word.chars().find_map(|c| match u32::from(c) {
        0x0370..=0x03FF => Some((c, "Greek")),
        0x0400..=0x04FF => Some((c, "Cyrillic")),
        _ => None,
    })
}

fn is_field_id(id: &str) -> bool {
    // A letter first: a survey form's field names are XML names, and a leading `_` is
    // KoboToolbox's own columns'.
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// What already owns a column named `id` in a profiles file, if anything: the row id, or a
/// column a survey tool adds to every export (its answers would be read as the tool's).
fn taken_column(id: &str) -> Option<&'static str> {
    if id == crate::profile::ID {
        return Some("the profiles' row-id column (`batch` and `eval` read it as the row's id)");
    }
    if id == crate::profile::answers::QUESTIONNAIRE_KEY {
        return Some("the key an answers file names its questionnaire with");
    }
    crate::profile::survey_export::is_tool_column(id)
        .then_some("a column KoboToolbox or ODK adds to every export")
}

/// A choice value, an exclusive value or a label's key as the questionnaire reads it: trimmed,
/// in lower case (answers are compared in that form).
fn as_read(value: &str) -> String {
    value.trim().to_lowercase()
}

/// Checks that a question's keys fit its type.
/// Problems within one question, each at the line of the setting that has it (`here`: the
/// question's id, for what is missing).
fn check_question_shape(
    entry: &QuestionEntry,
    id: &str,
    here: &str,
    at: &dyn Fn(serde_saphyr::Location) -> String,
    problems: &mut Vec<String>,
) {
    let values: Vec<String> = (entry.values.iter()).map(|v| v.value.0.clone()).collect();
    let kind = entry.kind;
    let has_values = matches!(kind, QuestionType::Choice | QuestionType::MultiChoice);
    if has_values && entry.values.is_empty() {
        problems.push(format!(
            "{here}: question `{id}` is of `type: {}` without `values`: list the allowed values",
            kind.yaml_name()
        ));
    }
    // A label of no value is never shown: a misspelt value (`ocasional`) would go unnoticed.
    let labelled: Option<Vec<String>> = match kind {
        QuestionType::Choice | QuestionType::MultiChoice => Some(values.clone()),
        QuestionType::Scale => Some(SCALE_POINTS.map(|n| n.to_string()).collect()),
        _ => None,
    };
    // (A choice without values is told above: its labels name nothing yet.)
    if let Some(values) = labelled.filter(|values| !values.is_empty()) {
        let known: HashSet<String> = values.iter().map(|v| as_read(v)).collect();
        for (key, label) in (entry.labels.iter()).filter(|(key, _)| !known.contains(&as_read(key)))
        {
            let hint = crate::suggest::did_you_mean(key, values.iter().map(String::as_str));
            problems.push(format!(
                "{}: `labels` of `{id}` names `{key}`{hint}, which is not one of its values ({}): correct it or remove the label",
                at(label.referenced),
                values.join(", ")
            ));
        }
    }
    if let (false, Some(first)) = (has_values, entry.values.first()) {
        problems.push(format!("{}: question `{id}` has `values`, but only choice and multi_choice questions take them", at(first.referenced)));
    }
    let mut unique = HashSet::new();
    for spanned in &entry.values {
        let (value, here) = (&spanned.value.0, at(spanned.referenced));
        if !unique.insert(as_read(value)) {
            problems.push(format!(
                "{here}: question `{id}` lists the value `{value}` twice"
            ));
        }
        // A value is one word in a survey form (ODK stores a multiple choice as its values
        // separated by spaces), so a space would make the questionnaire's form unusable.
        if value.trim().is_empty() {
            problems.push(format!(
                "{here}: question `{id}` has an empty value: remove it from `values`, or name it"
            ));
        } else if value.trim().contains(char::is_whitespace) {
            let joined = value.split_whitespace().collect::<Vec<_>>().join("_");
            problems.push(format!("{here}: value `{}` of `{id}` contains a space: a value is one word in answers and survey forms; write it with `_`, e.g. `{}`, in its labels and rules too", value.trim(), joined.to_lowercase()));
        }
        if value.contains([';', '|', ',']) {
            problems.push(format!("{here}: value `{value}` of `{id}` contains `;`, `|` or `,`, which separate values in CSV: rename it"));
        }
        if let Some((letter, script)) = look_alike_letter(value) {
            problems.push(format!("{here}: value `{value}` of `{id}` mixes Latin letters with the {script} letter `{letter}` (U+{:04X}), which looks like a Latin one, so an answer typed on a Latin keyboard never matches it: type the value again, and the labels and rules that name it", u32::from(letter)));
        }
    }
    if let (true, Some(first)) = (kind != QuestionType::MultiChoice, entry.exclusive.first()) {
        problems.push(format!("{}: question `{id}` has `exclusive`, but only multi_choice questions take it (values chosen alone): remove `exclusive` from it", at(first.referenced)));
    }
    for spanned in &entry.exclusive {
        let value = &spanned.value.0;
        if kind == QuestionType::MultiChoice && !unique.contains(&as_read(value)) {
            problems.push(format!(
                "{}: `exclusive` of `{id}` names `{value}`, which is not one of its values ({}): remove it from `exclusive`, or name one of the values",
                at(spanned.referenced),
                values.join(", ")
            ));
        }
    }
    let numeric = matches!(kind, QuestionType::Integer | QuestionType::Number);
    if let (false, Some(bound)) = (numeric, entry.min.as_ref().or(entry.max.as_ref())) {
        problems.push(format!(
            "{}: question `{id}` has min/max, but only integer and number questions take bounds",
            at(bound.referenced)
        ));
    }
    // `.nan` compares false with every answer and `.inf` bounds nothing: neither is a bound.
    for (name, bound) in [("min", &entry.min), ("max", &entry.max)] {
        if let Some(spanned) = bound.as_ref().filter(|b| !b.value.is_finite()) {
            let written = match spanned.value {
                b if b.is_nan() => ".nan",
                b if b > 0.0 => ".inf",
                _ => "-.inf",
            };
            problems.push(format!(
                "{}: question `{id}` has {name} `{written}`, which is not a number answers can be held to: give a finite {name}, or remove `{name}` for no bound",
                at(spanned.referenced)
            ));
        }
    }
    // A whole-number answer is held in 64 bits: a bound beyond bounds nothing, and the
    // message for a too-large answer would name it as the limit.
    if kind == QuestionType::Integer {
        let held = i64::MIN as f64..=i64::MAX as f64;
        for (name, bound) in [("min", &entry.min), ("max", &entry.max)] {
            let beyond = |b: &&Spanned<f64>| b.value.is_finite() && !held.contains(&b.value);
            if let Some(spanned) = bound.as_ref().filter(beyond) {
                problems.push(format!(
                    "{}: question `{id}` has {name} {}, beyond any whole number an answer can hold ({} to {}): give a smaller {name}, or remove `{name}` for no bound",
                    at(spanned.referenced), shown(spanned.value), i64::MIN, i64::MAX
                ));
            }
        }
    }
    if let (Some(min), Some(max)) = (&entry.min, &entry.max) {
        if min.value > max.value {
            problems.push(format!(
                "{}: question `{id}` has min {} above max {}: correct one of them",
                at(min.referenced),
                min.value,
                max.value
            ));
        }
    }
    if entry.prompt.value.trim().is_empty() {
        problems.push(format!(
            "{}: question `{id}` has an empty prompt: write the question",
            at(entry.prompt.referenced)
        ));
    }
    if let (true, Some(weight)) = (kind != QuestionType::Text, &entry.catalog_match_weight) {
        problems.push(format!(
            "{}: `catalog_match_weight` is for text questions; `{id}` is of `type: {}`: remove it, or make the question `type: text`",
            at(weight.referenced),
            kind.yaml_name()
        ));
    }
    if let (Some(most), None) = (&entry.most_per_program, &entry.catalog_match_weight) {
        problems.push(format!(
            "{}: `most_per_program` of `{id}` bounds the points of a text matched against the catalog: give it a `catalog_match_weight` too, or remove `most_per_program`",
            at(most.referenced)
        ));
    }
    if let (Some(emphasis), None) = (&entry.order_emphasis, &entry.catalog_match_weight) {
        problems.push(format!(
            "{}: `order_emphasis` of `{id}` weighs the words of a text matched against the catalog: give it a `catalog_match_weight` too, or remove `order_emphasis`",
            at(emphasis.referenced)
        ));
    }
}

/// The least and most a numeric question's answer can be (`None`: no bound).
fn answer_range(question: &Question) -> (Option<f64>, Option<f64>) {
    match question.kind {
        QuestionType::Scale => (Some(1.0), Some(5.0)),
        _ => (question.min, question.max),
    }
}

/// The least and most `a / b` can be, from the ranges of `a` and `b`; `None` where unbounded
/// or where a negative answer makes the range unclear. A denominator of 0 reads as a very large
/// ratio (a backlog with no examiners), so a denominator that can be 0 leaves no upper bound.
fn ratio_range(
    (a_least, a_most): (Option<f64>, Option<f64>),
    (b_least, b_most): (Option<f64>, Option<f64>),
) -> (Option<f64>, Option<f64>) {
    let (Some(a_least), Some(b_least)) = (a_least, b_least) else {
        return (None, None);
    };
    if a_least < 0.0 || b_least < 0.0 {
        return (None, None);
    }
    let least = match b_most {
        Some(b_most) if b_most > 0.0 => Some(a_least / b_most),
        Some(_) => None,
        None => Some(0.0),
    };
    let most = match a_most {
        Some(a_most) if b_least > 0.0 => Some(a_most / b_least),
        _ => None,
    };
    (least, most)
}

/// A condition's bounds against the range of what it tests (an answer or a ratio, named by
/// `subject`): a bound past that range makes a rule that never raises its need; bounds every
/// value meets raise it for every country that answers.
fn check_bounds(
    condition: &Condition,
    subject: &str,
    least: Option<f64>,
    most: Option<f64>,
    here: &str,
    problems: &mut Vec<String>,
) {
    let number = crate::profile::format_number;
    let never = match (condition.at_least, condition.at_most) {
        (Some(low), _) if most.is_some_and(|most| low > most) => Some(format!(
            "`at_least: {}` is above the most {subject} can be ({})",
            number(low),
            most.map(number).unwrap_or_default()
        )),
        (_, Some(high)) if least.is_some_and(|least| high < least) => Some(format!(
            "`at_most: {}` is below the least {subject} can be ({})",
            number(high),
            least.map(number).unwrap_or_default()
        )),
        _ => None,
    };
    if let Some(never) = never {
        problems.push(format!(
            "{here}: the condition can never hold: {never}; correct the bound"
        ));
    }
    let trivial_low = match condition.at_least {
        Some(low) => least.is_some_and(|least| low <= least),
        None => true,
    };
    let trivial_high = match condition.at_most {
        Some(high) => most.is_some_and(|most| high >= most),
        None => true,
    };
    let bounded = condition.at_least.is_some() || condition.at_most.is_some();
    if bounded && trivial_low && trivial_high && condition.is.is_none() {
        let range = match (least, most) {
            (Some(least), Some(most)) => format!("{} to {}", number(least), number(most)),
            (Some(least), None) => format!("{} or more", number(least)),
            (None, Some(most)) => format!("{} or less", number(most)),
            (None, None) => String::new(),
        };
        problems.push(format!(
            "{here}: the condition holds for every answer: {subject} is always {range}; tighten the bound (e.g. `at_most: 2` on a 1–5 scale) or remove the rule"
        ));
    }
}

/// Checks a condition: known questions, values they can take, a test that fits their type.
fn check_condition(
    condition: &Condition,
    questions: &[Question],
    positions: &HashMap<String, usize>,
    here: &str,
    problems: &mut Vec<String>,
) {
    let ids = questions.iter().map(|q| q.id.as_str());
    match (&condition.answer, &condition.ratio) {
        (Some(_), Some(_)) | (None, None) => {
            problems.push(format!("{here}: a condition names either `answer: QUESTION` or `ratio: [QUESTION, QUESTION]`"));
            return;
        }
        _ => {}
    }
    for name in condition.questions() {
        let Some(question) = positions.get(name).and_then(|&p| questions.get(p)) else {
            let hint = crate::suggest::did_you_mean(name, ids.clone());
            problems.push(format!(
                "{here}: the condition names an unknown question `{name}`{hint}"
            ));
            continue;
        };
        let values_tested = condition.is.iter().chain(condition.is_not.iter()).flatten();
        for value in values_tested {
            let value = as_read(value);
            let allowed: Vec<String> = match question.kind {
                QuestionType::Boolean => vec!["yes".into(), "no".into()],
                // No values: already reported at the question; a rule cannot add to it.
                QuestionType::Choice | QuestionType::MultiChoice if question.values.is_empty() => {
                    break
                }
                QuestionType::Choice | QuestionType::MultiChoice => question.values.clone(),
                QuestionType::Scale => SCALE_POINTS.map(|n| n.to_string()).collect(),
                _ => {
                    let instead = match question.kind {
                        QuestionType::Integer | QuestionType::Number => {
                            "test its number with `at_least`/`at_most`"
                        }
                        _ => "a rule cannot test free text: use another question to raise the need",
                    };
                    problems.push(format!(
                        "{here}: `is`/`is_not` on `{name}` (`type: {}`): {instead}",
                        question.kind.yaml_name()
                    ));
                    break;
                }
            };
            if !allowed.contains(&value) {
                let hint = crate::suggest::did_you_mean(&value, allowed.iter().map(String::as_str));
                problems.push(format!(
                    "{here}: `{name}` never has the value `{value}`{hint}; it takes {}",
                    allowed.join(", ")
                ));
            }
        }
        let numeric = matches!(
            question.kind,
            QuestionType::Integer | QuestionType::Number | QuestionType::Scale
        );
        if (condition.at_least.is_some()
            || condition.at_most.is_some()
            || condition.ratio.is_some())
            && !numeric
        {
            problems.push(format!(
                "{here}: at_least/at_most/ratio need a numeric question; `{name}` is `type: {}`",
                question.kind.yaml_name()
            ));
        } else if numeric && condition.answer.is_some() {
            let (least, most) = answer_range(question);
            check_bounds(condition, &format!("`{name}`"), least, most, here, problems);
        }
    }
    if let Some([a, b]) = &condition.ratio {
        // A question divided by itself is 1 (or nothing): the rule would never mean anything.
        if a == b {
            problems.push(format!(
                "{here}: the ratio `{a} / {b}` divides a question by itself, which is always 1: give two different questions, e.g. `ratio: [pending_applications, patent_examiners]`"
            ));
        }
        let numeric_question = |name: &String| {
            positions
                .get(name)
                .and_then(|&p| questions.get(p))
                .filter(|q| {
                    matches!(
                        q.kind,
                        QuestionType::Integer | QuestionType::Number | QuestionType::Scale
                    )
                })
        };
        if let (Some(a_question), Some(b_question)) = (numeric_question(a), numeric_question(b)) {
            let (least, most) = ratio_range(answer_range(a_question), answer_range(b_question));
            let subject = format!("the ratio `{a} / {b}`");
            check_bounds(condition, &subject, least, most, here, problems);
        }
    }
    if let (Some(low), Some(high)) = (condition.at_least, condition.at_most) {
        if low > high {
            problems.push(format!(
                "{here}: the condition can never hold: `at_least: {}` is above `at_most: {}`; swap or correct them",
                crate::profile::format_number(low),
                crate::profile::format_number(high)
            ));
        }
    }
    let values = |list: &Option<Vec<String>>| list.as_deref().unwrap_or_default().to_vec();
    let (is, is_not) = (values(&condition.is), values(&condition.is_not));
    if let Some(both) = is.iter().find(|value| is_not.contains(value)) {
        problems.push(format!(
            "{here}: the condition can never hold: `{both}` is in both `is` and `is_not`; remove it from one of them"
        ));
    }
    // `is: []` tests nothing either: no value is in an empty list.
    if is.is_empty()
        && is_not.is_empty()
        && condition.at_least.is_none()
        && condition.at_most.is_none()
    {
        problems.push(format!("{here}: the condition on `{}` tests nothing: add `is`, `is_not`, `at_least` or `at_most`", condition.questions().join("/")));
    }
}
