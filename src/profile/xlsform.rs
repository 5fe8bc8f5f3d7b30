//! The questionnaire as an XLSForm (<https://xlsform.org>), the form format of KoboToolbox, ODK
//! and SurveyCTO: so the people who answer can do so in the survey tools they already use, and
//! their exports come back to `ipneeds batch`.
//!
//! One model of the form's three sheets (`survey`, `choices`, `settings`) is written as an
//! `.xlsx` workbook (what Kobo and ODK Central take) or as markdown tables (readable in a diff,
//! and read by pyxform too). Sections become groups, skip logic `relevant` expressions, bounds
//! `constraint`s; every label column is per language.

use crate::error::{Error, Location, Result};
use crate::profile::questionnaire::{Condition, Question, QuestionType, Questionnaire};

/// The languages the questionnaire is written in, as XLSForm names them (`label::English (en)`).
const LANGUAGES: [&str; 1] = ["English (en)"];

/// The shared choice list of yes/no questions.
const YES_NO: &str = "yes_no";

/// A sheet: its name, column headers, and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The form: `survey`, `choices`, `settings`.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub sheets: Vec<Sheet>,
}

/// Columns of the survey sheet, after `type` and `name`; `label` and `hint` once per language.
fn survey_columns() -> Vec<String> {
    let mut columns = vec!["type".to_string(), "name".to_string()];
    columns.extend(LANGUAGES.iter().map(|l| format!("label::{l}")));
    columns.extend(LANGUAGES.iter().map(|l| format!("hint::{l}")));
    columns.extend(["required", "relevant", "constraint"].map(String::from));
    columns.extend(LANGUAGES.iter().map(|l| format!("constraint_message::{l}")));
    columns
}

impl Form {
    /// The form of `questionnaire`.
    pub fn new(questionnaire: &Questionnaire) -> Result<Form> {
        let columns = survey_columns();
        let languages = LANGUAGES.len();
        // A survey row: type, name, the label and hint in each language (the questionnaire is
        // English only for now: the same text in every language column), required, relevant,
        // constraint, constraint message.
        let row = |kind: String,
                   name: &str,
                   label: &str,
                   hint: &str,
                   relevant: String,
                   constraint: (String, String)| {
            // Every question may be left unanswered, as in `ipneeds interview`.
            let required = if kind_is_structure(&kind) { "" } else { "no" };
            let mut cells = vec![kind, name.to_string()];
            cells.extend(std::iter::repeat_n(label.to_string(), languages));
            cells.extend(std::iter::repeat_n(hint.to_string(), languages));
            cells.extend([required.to_string(), relevant, constraint.0]);
            cells.extend(std::iter::repeat_n(constraint.1, languages));
            cells
        };
        // A group's start or end, or a note: no hint, skip logic or bounds.
        let structure = |kind: &str, name: &str, label: &str| {
            row(
                kind.into(),
                name,
                label,
                "",
                String::new(),
                Default::default(),
            )
        };
        let mut survey = Vec::new();
        let mut choices: Vec<Vec<String>> = Vec::new();
        if !questionnaire.description.trim().is_empty() {
            survey.push(structure(
                "note",
                "introduction",
                questionnaire.description.trim(),
            ));
        }
        let choice = |list: &str, name: &str, label: &str| {
            let mut cells = vec![list.to_string(), name.to_string()];
            cells.extend(std::iter::repeat_n(label.to_string(), languages));
            cells
        };
        if questionnaire
            .questions
            .iter()
            .any(|q| q.kind == QuestionType::Boolean)
        {
            choices.push(choice(YES_NO, "yes", "Yes"));
            choices.push(choice(YES_NO, "no", "No"));
        }
        let mut open_group: Option<&str> = None;
        for question in &questionnaire.questions {
            if open_group != Some(question.section.as_str()) {
                if open_group.is_some() {
                    survey.push(structure("end group", "", ""));
                }
                let title = questionnaire.section_title(&question.section);
                survey.push(structure("begin group", &question.section, title));
                open_group = Some(&question.section);
            }
            let kind = match question.kind {
                QuestionType::Boolean => format!("select_one {YES_NO}"),
                QuestionType::Choice | QuestionType::Scale => format!("select_one {}", question.id),
                QuestionType::MultiChoice => format!("select_multiple {}", question.id),
                QuestionType::Integer => "integer".to_string(),
                QuestionType::Number => "decimal".to_string(),
                QuestionType::Text => "text".to_string(),
            };
            for (name, label) in choice_values(question) {
                // The questionnaire refuses a value with a space (not one word in a form).
                choices.push(choice(&question.id, &name, &label));
            }
            let relevant = relevant(questionnaire, &question.when);
            survey.push(row(
                kind,
                &question.id,
                &question.prompt,
                &question.help,
                relevant,
                constraint(question),
            ));
        }
        if open_group.is_some() {
            survey.push(structure("end group", "", ""));
        }
        let mut choice_columns = vec!["list_name".to_string(), "name".to_string()];
        choice_columns.extend(LANGUAGES.iter().map(|l| format!("label::{l}")));
        let rows = crate::io::limits::WORKSHEET_DATA_ROWS as usize;
        if survey.len() > rows || choices.len() > rows {
            return Err(Error::input(
                Location::File(questionnaire.origin.clone()),
                format!(
                    "the form would need {} rows of questions and {} of choices, more than the {rows} a worksheet holds below its header: split the questionnaire, or give its questions fewer values",
                    survey.len(),
                    choices.len()
                ),
            ));
        }
        Ok(Form {
            sheets: vec![
                Sheet {
                    name: "survey",
                    columns,
                    rows: survey,
                },
                Sheet {
                    name: "choices",
                    columns: choice_columns,
                    rows: choices,
                },
                Sheet {
                    name: "settings",
                    columns: ["form_title", "form_id", "version", "default_language"]
                        .map(String::from)
                        .to_vec(),
                    rows: vec![vec![
                        questionnaire.title.clone(),
                        questionnaire.id.clone(),
                        questionnaire.version.clone(),
                        LANGUAGES[0].to_string(),
                    ]],
                },
            ],
        })
    }

    /// The form as an `.xlsx` workbook: one worksheet per sheet, headers bold and frozen.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        let failed = |e: rust_xlsxwriter::XlsxError| {
            Error::internal(format!("cannot make the form workbook: {e}"))
        };
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for sheet in &self.sheets {
            let worksheet = workbook.add_worksheet();
            worksheet.set_name(sheet.name).map_err(failed)?;
            for (column, header) in sheet.columns.iter().enumerate() {
                let column = u16::try_from(column).map_err(|_| too_wide())?;
                worksheet
                    .write_string_with_format(0, column, header, &bold)
                    .map_err(failed)?;
                // Labels and hints are long: wide enough to read, not to scroll.
                let width = (sheet
                    .rows
                    .iter()
                    .map(|r| r.get(usize::from(column)).map_or(0, |c| c.chars().count())))
                .chain([header.chars().count()])
                .max()
                .unwrap_or(10)
                .clamp(8, 60);
                worksheet
                    .set_column_width(column, width as f64 + 2.0)
                    .map_err(failed)?;
            }
            for (index, cells) in sheet.rows.iter().enumerate() {
                let row = u32::try_from(index + 1).map_err(|_| too_wide())?;
                for (column, text) in cells.iter().enumerate() {
                    if text.is_empty() {
                        continue;
                    }
                    let column = u16::try_from(column).map_err(|_| too_wide())?;
                    // Always a string cell: a label such as `=` or `1` stays text.
                    worksheet.write_string(row, column, text).map_err(failed)?;
                }
            }
            worksheet.set_freeze_panes(1, 0).map_err(failed)?;
        }
        workbook.save_to_buffer().map_err(failed)
    }

    /// The form as markdown tables, the layout pyxform reads (`| survey |` then the sheet's
    /// rows, each after an empty first cell): for diffs and reviews.
    pub fn to_markdown(&self) -> String {
        let cell = |text: &str| text.replace('|', "\\|").replace(['\n', '\r'], " ");
        let mut out = String::new();
        for sheet in &self.sheets {
            out.push_str(&format!("| {} |\n", sheet.name));
            let header: Vec<String> = sheet.columns.iter().map(|c| cell(c)).collect();
            out.push_str(&format!("| | {} |\n", header.join(" | ")));
            for row in &sheet.rows {
                let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
                out.push_str(&format!("| | {} |\n", cells.join(" | ")));
            }
        }
        out
    }
}

/// A row or column past what a worksheet holds, which [`Form::new`] refused: a bug.
fn too_wide() -> Error {
    Error::internal("the form has more rows or columns than a worksheet holds")
}

fn kind_is_structure(kind: &str) -> bool {
    matches!(kind, "begin group" | "end group" | "note")
}

/// A question's choices: (name, label), in order.
fn choice_values(question: &Question) -> Vec<(String, String)> {
    match question.kind {
        QuestionType::Choice | QuestionType::MultiChoice => question
            .values
            .iter()
            .map(|value| {
                let label = question.labels.get(value).unwrap_or(value);
                (value.clone(), label.clone())
            })
            .collect(),
        // The five points, with the labels the questionnaire gives its anchors.
        QuestionType::Scale => crate::profile::questionnaire::SCALE_POINTS
            .map(|n| {
                let name = n.to_string();
                let label = question
                    .labels
                    .get(&name)
                    .map(|label| format!("{n} — {label}"));
                (name.clone(), label.unwrap_or(name))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// A number question's bounds as a constraint (`. >= 0 and . <= 600`), or a multi-choice
/// question's exclusive values (`none` chosen alone, as `ipneeds` reads the answer), and its
/// message.
fn constraint(question: &Question) -> (String, String) {
    if question.kind == QuestionType::MultiChoice && !question.exclusive.is_empty() {
        let alone: Vec<String> = (question.exclusive.iter())
            .map(|value| format!("not(selected(., '{value}') and count-selected(.) > 1)"))
            .collect();
        let message = format!(
            "Choose {} alone, or the other values without it.",
            (question.exclusive.iter())
                .map(|value| format!("'{value}'"))
                .collect::<Vec<_>>()
                .join(" or ")
        );
        return (alone.join(" and "), message);
    }
    if !matches!(question.kind, QuestionType::Integer | QuestionType::Number) {
        return Default::default();
    }
    let mut parts = Vec::new();
    if let Some(min) = question.min {
        parts.push(format!(". >= {}", crate::profile::format_number(min)));
    }
    if let Some(max) = question.max {
        parts.push(format!(". <= {}", crate::profile::format_number(max)));
    }
    if parts.is_empty() {
        return Default::default();
    }
    let message = format!("Give {}.", question.accepts());
    (parts.join(" and "), message)
}

/// Skip logic as an XLSForm `relevant` expression for a question asked under `when`: as in the
/// interview, a condition skips the question only when the questions it reads are answered and
/// it fails (so each reads "unanswered, or the condition").
fn relevant(questionnaire: &Questionnaire, when: &[Condition]) -> String {
    let parts: Vec<String> = when
        .iter()
        .map(|condition| {
            let expression = condition_expression(questionnaire, condition);
            let unanswered = unanswered_expression(questionnaire, condition);
            if expression.is_empty() || unanswered.is_empty() {
                return expression;
            }
            // `and` binds tighter than `or`: a conjunction is bracketed only to be read easily.
            if expression.contains(" and ") {
                format!("{unanswered} or ({expression})")
            } else {
                format!("{unanswered} or {expression}")
            }
        })
        .filter(|e| !e.is_empty())
        .collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        many => many
            .iter()
            .map(|p| format!("({p})"))
            .collect::<Vec<_>>()
            .join(" and "),
    }
}

/// True in the form where a question `condition` reads is unanswered.
fn unanswered_expression(questionnaire: &Questionnaire, condition: &Condition) -> String {
    let reads = (condition.answer.iter()).chain(condition.ratio.iter().flatten());
    let unanswered: Vec<String> = reads
        .map(|id| match questionnaire.question(id).map(|q| q.kind) {
            Some(QuestionType::MultiChoice) => format!("count-selected(${{{id}}}) = 0"),
            _ => format!("${{{id}}} = ''"),
        })
        .collect();
    unanswered.join(" or ")
}

fn condition_expression(questionnaire: &Questionnaire, condition: &Condition) -> String {
    let mut tests: Vec<String> = Vec::new();
    let reference = |id: &str| format!("${{{id}}}");
    let number = |x: f64| crate::profile::format_number(x);
    match (&condition.answer, &condition.ratio) {
        (Some(id), _) => {
            let kind = questionnaire.question(id).map(|q| q.kind);
            let field = reference(id);
            // One value: compared as the form stores it (a word, or a number).
            let equals = |value: &str| match kind {
                Some(QuestionType::MultiChoice) => format!("selected({field}, '{value}')"),
                Some(QuestionType::Integer | QuestionType::Number) => {
                    format!(
                        "{field} = {}",
                        value.parse::<f64>().map_or(value.to_string(), number)
                    )
                }
                _ => format!("{field} = '{value}'"),
            };
            let answered = match kind {
                Some(QuestionType::MultiChoice) => format!("count-selected({field}) > 0"),
                _ => format!("{field} != ''"),
            };
            let any_of = |values: &[String]| {
                let each: Vec<String> = values.iter().map(|v| equals(v)).collect();
                match each.len() {
                    1 => each.join(""),
                    _ => format!("({})", each.join(" or ")),
                }
            };
            if let Some(values) = &condition.is {
                tests.push(any_of(values));
            }
            if let Some(values) = &condition.is_not {
                tests.push(answered.clone());
                tests.push(format!("not({})", any_of(values)));
            }
            if condition.at_least.is_some() || condition.at_most.is_some() {
                if condition.is.is_none() && condition.is_not.is_none() {
                    tests.push(answered);
                }
                if let Some(min) = condition.at_least {
                    tests.push(format!("{field} >= {}", number(min)));
                }
                if let Some(max) = condition.at_most {
                    tests.push(format!("{field} <= {}", number(max)));
                }
            }
        }
        (None, Some([numerator, denominator])) => {
            let (a, b) = (reference(numerator), reference(denominator));
            tests.push(format!("{a} != '' and {b} != ''"));
            // As ipneeds reads a ratio: a count over zero is above any bound, never below one.
            if let Some(min) = condition.at_least {
                tests.push(format!(
                    "(({b} > 0 and {a} div {b} >= {}) or ({b} = 0 and {a} > 0))",
                    number(min)
                ));
            }
            if let Some(max) = condition.at_most {
                tests.push(format!("{b} > 0 and {a} div {b} <= {}", number(max)));
            }
        }
        (None, None) => {}
    }
    tests.join(" and ")
}

#[cfg(test)]
mod tests;
