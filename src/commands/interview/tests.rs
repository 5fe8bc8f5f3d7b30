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
fn picking_the_country_s_suggestion_leaves_it_a_suggestion() {
    let ldc = question("ldc_status");
    let choices = choice_list(&ldc).unwrap();
    let at = |value: &str| choices.iter().position(|(v, _)| v == value);
    let pick = |value: &str, current: &Option<String>| {
        text(picked_reply(at(value), &choices, current).unwrap())
    };
    // Enter on the list's default, the suggestion: unanswered, as Enter on a line leaves it,
    // so it stays prefilled (and follows the country and the date).
    assert_eq!(pick("graduating", &prefilled("graduating")), "text ``");
    // Another value is the person's answer.
    assert_eq!(pick("ldc", &prefilled("graduating")), "text `ldc`");
    // An answer already given is kept as an answer.
    let given = Some("graduating".to_string());
    assert_eq!(pick("graduating", &given), "text `graduating`");
    assert_eq!(pick("graduating", &None), "text `graduating`");
    // After the choices: leave unanswered, go back, help; Esc stops.
    let after = |n: usize| picked_reply(Some(choices.len() + n), &choices, &given);
    assert_eq!(text(after(0).unwrap()), "text ``");
    assert_eq!(text(after(1).unwrap()), "back");
    assert!(after(2).is_none(), "help: asked again");
    assert_eq!(text(picked_reply(None, &choices, &given).unwrap()), "stop");
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

#[test]
fn a_question_wider_than_the_terminal_goes_above_a_short_prompt() {
    // Fits: asked as one prompt.
    assert_eq!(
        fitted_prompt("Country?", " [now: MWI]", 100),
        (None, "Country? [now: MWI]".to_string())
    );
    // Would wrap (the editor then showed its first lines twice): the question on its own.
    let long = "x".repeat(98);
    assert_eq!(
        fitted_prompt(&long, " [now: 3]", 100),
        (Some(long.as_str()), "answer [now: 3]".to_string())
    );
    assert_eq!(fitted_prompt(&long, "", 100).1, "answer");
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
