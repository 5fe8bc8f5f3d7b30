//! The words of a reason, written once for every report: the answers behind a need
//! (`field = value (prefilled)`), a need's reason (`label (answers)`), and the batch CSV's
//! `top_reasons` cell. Generic over where the text goes ([`TextOut`]): the batch writes
//! straight into its output, the other reports into a `String`.

use crate::profile::{Shown, TextOut};
use crate::scoring::answers::Answers;
use crate::scoring::engine::Trigger;
use crate::scoring::Evidence;

/// Programs and reasons in the CSV `top_reasons` cell.
pub const CELL_PROGRAMS: usize = 3;
pub const CELL_REASONS: usize = 2;

/// The rule a free-text answer's reason names.
pub const TEXT_RULE: &str = "free text matched against the catalog";

/// The label of a free-text answer's reason.
pub fn text_label(question_id: &str) -> String {
    format!("In your words ({question_id})")
}

/// A rule that held, in words: its own words, or its conditions described.
pub fn rule_words(trigger: &crate::profile::questionnaire::Trigger) -> String {
    trigger.reason.clone().unwrap_or_else(|| {
        (trigger.when.iter())
            .map(|c| c.describe())
            .collect::<Vec<_>>()
            .join(" and ")
    })
}

/// Longer values are cut in reasons.
const SHOWN_VALUE_CHARS: usize = 60;

/// One answer behind a reason: its field, how it shows, whether it was prefilled.
pub(crate) type Shows<'a> = (&'a str, Shown<'a>, bool);

/// `field = value` for each answer, comma-separated, values cut after 60 characters,
/// prefilled answers marked; `value` is a buffer for the value's text.
pub(crate) fn write_evidence<'a, O: TextOut>(
    out: &mut O,
    value: &mut String,
    answers: impl Iterator<Item = Shows<'a>>,
) {
    for (e, (field, shown, prefilled)) in answers.enumerate() {
        if e > 0 {
            out.push_str(", ");
        }
        out.push_str(field);
        out.push_str(" = ");
        match shown {
            // Short values go straight in.
            Shown::Bool(_) | Shown::Integer(_) => shown.write(out),
            Shown::Str(text) => push_shown_value(out, text),
            _ => {
                value.clear();
                shown.write(value);
                push_shown_value(out, value);
            }
        }
        if prefilled {
            out.push_str(" (prefilled)");
        }
    }
}

/// "field = value, field = value (prefilled)" of a reason, as every report shows it.
pub fn evidence_text(answers: &[Evidence]) -> String {
    let mut text = String::new();
    let shown = answers
        .iter()
        .map(|a| (a.field.as_str(), Shown::Str(&a.value), a.prefilled));
    write_evidence(&mut text, &mut String::new(), shown);
    text
}

/// The questions whose answers a need's reason shows: those its counted rules read, answered,
/// each once, strongest rule first.
pub(crate) fn evidence_questions(
    triggers: &[Trigger],
    counted: &[usize],
    answers: &Answers,
    evidence: &mut Vec<usize>,
) {
    evidence.clear();
    for trigger in counted.iter().filter_map(|&t| triggers.get(t)) {
        for &q in &trigger.fields {
            let answered = answers.slot(q) != crate::scoring::answers::Slot::Unknown;
            if answered && !evidence.contains(&q) {
                evidence.push(q);
            }
        }
    }
}

/// A reason as the CSV cell shows it: its label and, in brackets, its answers.
pub(crate) fn write_reason<'a, O: TextOut>(
    out: &mut O,
    value: &mut String,
    label: &str,
    answers: impl Iterator<Item = Shows<'a>>,
) {
    out.push_str(label);
    out.push_str(" (");
    write_evidence(out, value, answers);
    out.push(')');
}

/// Appends a value, cut after 60 characters. A value that is not one word (a country's own
/// text, a country's name) is quoted “…”, a ” in it doubled: the `top_reasons` cell separates
/// programs with ` | ` and reasons with `; `, and a text holding them (`backlog) | legal-assistance:
/// Updated IP legislation (…`) must not read as another program's reason.
fn push_shown_value<O: TextOut>(out: &mut O, value: &str) {
    // Where the 61st character starts: byte 60 when the first 60 bytes are ASCII.
    let cut = match value.as_bytes().get(..SHOWN_VALUE_CHARS) {
        None => None,
        Some(head) if head.is_ascii() => {
            (value.len() > SHOWN_VALUE_CHARS).then_some(SHOWN_VALUE_CHARS)
        }
        Some(_) => value
            .char_indices()
            .nth(SHOWN_VALUE_CHARS)
            .map(|(cut, _)| cut),
    };
    let shown = cut.and_then(|cut| value.get(..cut)).unwrap_or(value);
    let one_word =
        (value.chars()).all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ';'));
    if !one_word {
        out.push('“');
    }
    for (i, piece) in shown.split('”').enumerate() {
        if i > 0 {
            out.push_str("””");
        }
        out.push_str(piece);
    }
    if cut.is_some() {
        out.push('…');
    }
    if !one_word {
        out.push('”');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values are cut after 60 characters, whatever their bytes.
    #[test]
    fn shown_values_are_cut_after_sixty_characters() {
        let shown = |value: &str| {
            let mut cell = String::new();
            push_shown_value(&mut cell, value);
            cell
        };
        let sixty = "a".repeat(60);
        assert_eq!(shown(&sixty), sixty);
        assert_eq!(shown(&format!("{sixty}b")), format!("{sixty}…"));
        let accented = "é".repeat(61);
        assert_eq!(shown(&accented), format!("{}…", "é".repeat(60)));
        assert_eq!(
            shown(&format!("{}é", "a".repeat(59))),
            format!("{}é", "a".repeat(59))
        );
    }

    /// A value of more than one word is quoted, so that a country's text cannot pose as the
    /// cell's separators or another reason; values that are one word (ids, numbers, lists of
    /// ids) are not.
    #[test]
    fn a_value_of_words_is_quoted_and_cannot_pose_as_another_reason() {
        let shown = |value: &str| {
            let mut cell = String::new();
            push_shown_value(&mut cell, value);
            cell
        };
        assert_eq!(shown("needs_revision"), "needs_revision");
        assert_eq!(shown("patents;trademarks"), "patents;trademarks");
        assert_eq!(shown("2400"), "2400");
        assert_eq!(
            shown("backlog) | legal-assistance: Updated IP legislation"),
            "“backlog) | legal-assistance: Updated IP legislation”"
        );
        assert_eq!(shown("the “new” law”"), "“the “new”” law”””");
        assert_eq!(
            shown(&format!("{} b", "a".repeat(60))),
            format!("“{}…”", "a".repeat(60))
        );
    }
}
