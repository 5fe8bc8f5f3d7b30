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
