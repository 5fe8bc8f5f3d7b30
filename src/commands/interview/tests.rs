//! Unit tests of `src/commands/interview.rs`: what a line or a keypress answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn questionnaire() -> Questionnaire {
    Questionnaire::builtin().unwrap()
}

fn question(id: &str) -> Question {
    questionnaire().question(id).unwrap().clone()
}

fn scripted(input: &[u8]) -> LinePrompter<&[u8]> {
    LinePrompter {
        input,
        line: 0,
        scripted: true,
    }
}

/// The reply as text, for comparing.
fn text(reply: Reply) -> String {
    match reply {
        Reply::Text(text) => format!("text `{text}`"),
        Reply::Back => "back".to_string(),
        Reply::Stop => "stop".to_string(),
        Reply::NotText(shown) => format!("not text `{shown}`"),
    }
}

#[test]
fn a_script_s_lines_are_counted_help_and_back_included() {
    let online = question("online_filing");
    let mut prompter = scripted(b"?\n<\r\nye\xffs\nyes");
    assert_eq!(text(prompter.ask(&online, "q", None).unwrap()), "back");
    assert_eq!(prompter.scripted_line(), Some(2));
    assert_eq!(
        text(prompter.ask(&online, "q", None).unwrap()),
        "not text `ye\u{fffd}s`"
    );
    assert_eq!(prompter.scripted_line(), Some(3));
    // The last line needs no line break.
    assert_eq!(
        text(prompter.ask(&online, "q", None).unwrap()),
        "text `yes`"
    );
    assert_eq!(prompter.scripted_line(), Some(4));
    assert_eq!(text(prompter.ask(&online, "q", None).unwrap()), "stop");
    // A person typing at a terminal (prompts sent elsewhere) is asked again instead.
    let person = LinePrompter {
        input: &b"x\n"[..],
        line: 0,
        scripted: false,
    };
    assert_eq!(person.scripted_line(), None);
}

/// A suggestion from the country, as `current_value` shows it.
fn prefilled(value: &str) -> Option<String> {
    Some(format!("{value}{FROM_COUNTRY}"))
}

#[test]
fn a_menu_number_answers_its_value_and_a_typed_value_stays_itself() {
    let strategy = question("ip_strategy");
    let items = menu(&strategy).unwrap();
    assert_eq!(items.len(), strategy.values.len());
    let first = strategy.values[0].clone();
    assert!(items[0].starts_with(&first), "{}", items[0]);
    assert_eq!(menu_values(&strategy, "1"), first.as_str());
    assert_eq!(menu_values(&strategy, " 2 "), strategy.values[1].as_str());
    // A value, a number past the menu or 0 are left for the question to refuse or take.
    assert_eq!(menu_values(&strategy, &first), first.as_str());
    assert_eq!(menu_values(&strategy, "99"), "99");
    assert_eq!(menu_values(&strategy, "0"), "0");
    // Several: numbers and values, each read; one that is neither is left for the question to
    // refuse by itself (`1;none` was read as the value `1`).
    let gaps = (questionnaire().questions.into_iter())
        .find(|q| q.kind == QuestionType::MultiChoice)
        .unwrap();
    let want = format!("{};{}", gaps.values[0], gaps.values[2]);
    assert_eq!(menu_values(&gaps, "1; 3"), want.as_str());
    assert_eq!(menu_values(&gaps, "1,3"), want.as_str());
    let first_and_x = format!("{};x", gaps.values[0]);
    assert_eq!(menu_values(&gaps, "1;x"), first_and_x.as_str());
    assert_eq!(menu_values(&gaps, "x;y"), "x;y");
    // Numbers are a scale's own values, and a yes/no question has no menu.
    let scale = (questionnaire().questions.into_iter())
        .find(|q| q.kind == QuestionType::Scale)
        .unwrap();
    assert_eq!(menu_values(&scale, "2"), "2");
    // A scale's menu shows each number once, by the menu's numbering, beside its label.
    let items = menu(&scale).unwrap();
    assert_eq!(items[0], scale.labels["1"], "{items:?}");
    assert!(menu(&question("online_filing")).is_none());
    // What the menu prompt asks for.
    assert_eq!(menu_hint(&strategy, 4), "1–4");
    assert_eq!(menu_hint(&gaps, 5), "1–5, several separated by ;");
}

#[test]
fn an_answers_file_is_named_as_yaml_or_without_an_extension() {
    for name in ["a.yaml", "a.YML", "answers", "dir/a.yaml"] {
        assert!(
            check_answers_name(std::path::Path::new(name)).is_ok(),
            "{name}"
        );
    }
    for name in ["a.xlsx", "a.csv", "report.html", "a.json"] {
        let error = check_answers_name(std::path::Path::new(name))
            .unwrap_err()
            .to_string();
        assert!(error.contains("answers are saved as YAML"), "{error}");
    }
    assert_eq!(
        home_expanded("~/a.yaml", Some(std::path::Path::new("/home/o"))),
        std::path::PathBuf::from("/home/o/a.yaml")
    );
    assert_eq!(
        home_expanded("~/a.yaml", None),
        std::path::PathBuf::from("~/a.yaml")
    );
}

#[test]
fn a_typed_line_replaces_the_current_value_and_enter_keeps_it() {
    let line = |typed: &str, current: &Option<String>| text(line_reply(typed, current).unwrap());
    let given = Some("2400".to_string());
    // The value is shown as `[now: 2400]`, not put in the field: typing replaces it.
    assert_eq!(line("3000", &given), "text `3000`");
    assert_eq!(line("", &given), "text `2400`");
    assert_eq!(line(" <", &given), "back");
    assert!(line_reply("?", &given).is_none());
    // The country's suggestion is kept as a suggestion; typed, a value is an answer.
    assert_eq!(line("", &prefilled("none")), "text ``");
    assert_eq!(line("aripo", &prefilled("none")), "text `aripo`");
    assert_eq!(now(&given), " [now: 2400]");
    assert_eq!(now(&None), "");
}

/// `?` shows the help in indented lines that fit the terminal, every word whole.
#[test]
fn help_is_wrapped_to_the_terminal_at_spaces() {
    let questionnaire = questionnaire();
    let long = (questionnaire.questions.iter())
        .max_by_key(|q| q.help.len())
        .unwrap();
    assert!(long.help.len() > 100, "{}", long.help);
    let shown = help_text(long, 40);
    assert!(shown.lines().count() > 2, "{shown}");
    for line in shown.lines() {
        assert!(line.starts_with("  "), "{line:?}");
        assert!(line.chars().count() <= 40, "{line:?}");
    }
    let words: Vec<&str> = shown.split_whitespace().collect();
    assert_eq!(words, long.help.split_whitespace().collect::<Vec<_>>());
}

/// A script's lines may end in `\n`, `\r\n` or a lone `\r` (classic Mac), each one answer, and
/// one line end across the reader's buffer edge is still one.
#[test]
fn a_script_s_lines_end_in_any_line_end() {
    let online = question("online_filing");
    let mut prompter = scripted(b"yes\rno\r\n<\nyes\r");
    let replies: Vec<String> = (0..5)
        .map(|_| text(prompter.ask(&online, "q", None).unwrap()))
        .collect();
    assert_eq!(
        replies,
        ["text `yes`", "text `no`", "back", "text `yes`", "stop"]
    );
    assert_eq!(prompter.scripted_line(), Some(4));
    // `\r` at the end of one buffer, `\n` at the start of the next.
    let input = std::io::BufReader::with_capacity(4, &b"yes\r\nno\n"[..]);
    let mut lines = Vec::new();
    let mut reader = input;
    loop {
        let mut bytes = Vec::new();
        if read_script_line(&mut reader, &mut bytes).unwrap() == 0 {
            break;
        }
        lines.push(String::from_utf8(bytes).unwrap());
    }
    assert_eq!(lines, ["yes", "no"]);
}

/// On the screen a mistake is said about what the person typed, not by a field id the screen
/// never showed; every message keeps its advice.
#[test]
fn a_typed_mistake_is_said_without_the_field_id() {
    let cases = [
        (
            "pending_applications",
            "lots",
            "you typed `lots`: give a whole number",
        ),
        (
            "pending_applications",
            "12.5",
            "you typed `12.5`: give a whole number",
        ),
        (
            "patent_pendency_months",
            "-5",
            "you typed `-5`: it must be at least 0",
        ),
        ("ip_strategy", "maybe", "you typed `maybe`"),
        (
            "treaty_accession_planned",
            "perhaps",
            "you typed `perhaps`: answer yes or no",
        ),
    ];
    for (id, typed, expected) in cases {
        let question = question(id);
        let message = parse_answer(&question, typed).unwrap_err();
        assert!(message.contains(&format!("`{id}`")), "{message}");
        let said = as_typed(&message, id);
        assert!(said.starts_with(expected), "{id} = {typed}: {said}");
        assert!(!said.contains(&format!("`{id}`")), "{said}");
    }
    // A message that does not begin with the field is said as it is.
    let unknown = "unknown country `Congo`: did you mean DR Congo (COD)?";
    assert_eq!(as_typed(unknown, "country"), unknown);
}
