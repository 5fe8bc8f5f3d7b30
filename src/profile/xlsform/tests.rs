//! Unit tests of `src/xlsform.rs`: the built-in questionnaire's form, sheet by sheet.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use std::collections::HashSet;

fn form() -> (Questionnaire, Form) {
    let questionnaire = Questionnaire::builtin().unwrap();
    let form = Form::new(&questionnaire).unwrap();
    (questionnaire, form)
}

fn sheet<'a>(form: &'a Form, name: &str) -> &'a Sheet {
    form.sheets.iter().find(|s| s.name == name).unwrap()
}

fn column(sheet: &Sheet, name: &str) -> usize {
    sheet.columns.iter().position(|c| c == name).unwrap()
}

/// The rows of `sheet` whose cell in `column` is `value`.
fn rows_with<'a>(sheet: &'a Sheet, column: usize, value: &str) -> Vec<&'a Vec<String>> {
    sheet.rows.iter().filter(|r| r[column] == value).collect()
}

#[test]
fn every_question_is_in_the_survey_once_with_its_type() {
    let (questionnaire, form) = form();
    let survey = sheet(&form, "survey");
    let (kind, name) = (column(survey, "type"), column(survey, "name"));
    for question in &questionnaire.questions {
        let rows = rows_with(survey, name, &question.id);
        assert_eq!(rows.len(), 1, "{}", question.id);
        let expected = match question.kind {
            QuestionType::Boolean => "select_one yes_no".to_string(),
            QuestionType::Choice | QuestionType::Scale => format!("select_one {}", question.id),
            QuestionType::MultiChoice => format!("select_multiple {}", question.id),
            QuestionType::Integer => "integer".into(),
            QuestionType::Number => "decimal".into(),
            QuestionType::Text => "text".into(),
        };
        assert_eq!(rows[0][kind], expected, "{}", question.id);
    }
    // Names are unique (XLSForm requires it), groups open and close in pairs.
    let names: Vec<&String> = survey
        .rows
        .iter()
        .map(|r| &r[name])
        .filter(|n| !n.is_empty())
        .collect();
    assert_eq!(names.len(), names.iter().collect::<HashSet<_>>().len());
    let sections = questionnaire.sections.len();
    assert_eq!(rows_with(survey, kind, "begin group").len(), sections);
    assert_eq!(rows_with(survey, kind, "end group").len(), sections);
}

#[test]
fn every_select_has_its_choices_and_names_have_no_spaces() {
    let (_, form) = form();
    let survey = sheet(&form, "survey");
    let choices = sheet(&form, "choices");
    let lists: HashSet<&str> = choices.rows.iter().map(|r| r[0].as_str()).collect();
    for row in &survey.rows {
        if let Some(list) = row[0]
            .strip_prefix("select_one ")
            .or(row[0].strip_prefix("select_multiple "))
        {
            assert!(lists.contains(list), "no choices for {list}");
        }
    }
    assert!(choices.rows.iter().all(|r| !r[1].contains(' ')));
    // The scale's anchors keep their labels.
    let awareness = rows_with(choices, 0, "policy_maker_awareness");
    assert_eq!(awareness.len(), 5);
    assert!(awareness[0][2].starts_with("1 — "), "{:?}", awareness[0]);
}

#[test]
fn skip_logic_and_bounds_are_written_in_xlsform_syntax() {
    let (questionnaire, form) = form();
    let survey = sheet(&form, "survey");
    let (name, relevant, constraint) = (
        column(survey, "name"),
        column(survey, "relevant"),
        column(survey, "constraint"),
    );
    let row = |id: &str| rows_with(survey, name, id)[0];
    assert_eq!(
        row("patent_pendency_months")[relevant],
        "${substantive_examination} = '' or (${substantive_examination} = 'full' or ${substantive_examination} = 'partial')"
    );
    assert_eq!(
        row("patent_pendency_months")[constraint],
        ". >= 0 and . <= 600"
    );
    // `none` goes alone, as in an answers file or a CSV row.
    assert_eq!(
        row("regional_system")[constraint],
        "not(selected(., 'none') and count-selected(.) > 1)"
    );
    // Every reference in a `relevant` names a question of the form.
    let ids: HashSet<&str> = questionnaire.ids().collect();
    let mut references = 0;
    for row in &survey.rows {
        let mut rest = row[relevant].as_str();
        while let Some(start) = rest.find("${") {
            let end = rest[start..].find('}').unwrap() + start;
            assert!(ids.contains(&rest[start + 2..end]), "{}", row[relevant]);
            references += 1;
            rest = &rest[end..];
        }
    }
    assert!(references >= 3);
}

#[test]
fn a_multi_choice_condition_uses_selected() {
    let questionnaire = Questionnaire::builtin().unwrap();
    let condition = Condition {
        answer: Some("regional_system".into()),
        ratio: None,
        is: Some(vec!["aripo".into(), "oapi".into()]),
        is_not: None,
        at_least: None,
        at_most: None,
    };
    assert_eq!(
        condition_expression(&questionnaire, &condition),
        "(selected(${regional_system}, 'aripo') or selected(${regional_system}, 'oapi'))"
    );
    let not = Condition {
        is: None,
        is_not: Some(vec!["none".into()]),
        ..condition
    };
    assert_eq!(
        condition_expression(&questionnaire, &not),
        "count-selected(${regional_system}) > 0 and not(selected(${regional_system}, 'none'))"
    );
}

#[test]
fn the_workbook_has_the_three_sheets() {
    let (_, form) = form();
    let bytes = form.to_xlsx().unwrap();
    // An xlsx is a zip whose workbook part names its sheets.
    assert!(bytes.starts_with(b"PK"));
    let markdown = form.to_markdown();
    for name in ["| survey |", "| choices |", "| settings |"] {
        assert!(markdown.contains(name), "{name}");
    }
}
