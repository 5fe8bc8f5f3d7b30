//! Unit tests of `src/io/yaml.rs`: texts a ` #` would cut short.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn cut_at(text: &str) -> Option<String> {
    comment_cutting_text(text, "f.yaml").map(|error| error.to_string())
}

#[test]
fn a_text_cut_by_a_comment_is_named_at_its_hash() {
    for (text, place, rest) in [
        (
            "text: develop strategies #1 integrating IP\n",
            "f.yaml:1:26",
            "`#1 integrating IP`",
        ),
        (
            "objectives:\n  - Training of officials #1 priority: examiners\n",
            "f.yaml:2:27",
            "`#1 priority: examiners`",
        ),
        (
            "- words: [tisc]\n  means: enforcement #authorities and police\n",
            "f.yaml:2:22",
            "`#authorities and police`",
        ),
        (
            "prompt: a long prompt\n  that goes on (see #3 of the guide)\n",
            "f.yaml:2:21",
            "`#3 of the guide)`",
        ),
    ] {
        let said = cut_at(text).unwrap_or_else(|| panic!("not found in {text:?}"));
        assert!(said.starts_with(place), "{said}");
        assert!(
            said.contains(rest) && said.contains("put the whole text in quotes"),
            "{said}"
        );
    }
}

#[test]
fn comments_as_meant_and_safe_texts_pass() {
    for text in [
        // A comment written `# …`, after a number, or on its own line.
        "text: develop strategies # the first need\n",
        "weight: 2 #severe\n",
        "# #1 is the first\ntext: a\n",
        // Quoted, block and flow texts hold `#` as written.
        "text: \"develop strategies #1\"\n",
        "text: 'develop strategies #1'\n",
        "text: |\n  develop strategies #1\n  and more #2\nnext: b\n",
        "text: >-\n  develop #1\n",
        "values: [a, b]\n",
        // A `#` inside a word is no comment.
        "text: C#sharp and F#\n",
    ] {
        assert_eq!(cut_at(text), None, "{text:?}");
    }
    for built_in in [
        include_str!("../../../data/programs.yaml"),
        include_str!("../../../data/synonyms.yaml"),
        include_str!("../../../questionnaires/ip-office-profile.yaml"),
    ] {
        assert_eq!(cut_at(built_in), None);
    }
}

/// Characters pasted from a word processor or web page are named at their place where YAML
/// would read them otherwise than they look; the same characters inside a text are its own.
#[test]
fn pasted_spaces_zero_width_characters_and_curly_quotes_are_named_at_their_place() {
    let pasted =
        |text: &str, data: bool| pasted_characters(text, "f.yaml", data).map(|e| e.to_string());
    for (text, place, said) in [
        (
            "number: 1\u{a0}\n",
            "f.yaml:1:10",
            "a non-breaking space (U+00A0)",
        ),
        ("a:\n\u{a0}  b: 1\n", "f.yaml:2:1", "a non-breaking space"),
        (
            "title:\u{a0}Policy\n",
            "f.yaml:1:7",
            "replace it with a plain space",
        ),
        (
            "id: policy\u{200b}-development\n",
            "f.yaml:1:11",
            "a zero-width space (U+200B)",
        ),
        (
            "- [pen\u{ad}dency, time to grant]\n",
            "f.yaml:1:7",
            "a soft hyphen (U+00AD), invisible",
        ),
        ("id: none\u{200e}\n", "f.yaml:1:9", "(U+200E), invisible"),
        // Reordered on screen, a catalog line said what it did not (helper 144).
        (
            "- \"\u{202e}decision makers\"\n",
            "f.yaml:1:4",
            "a bidirectional embedding or override (U+202E)",
        ),
        (
            "title: \u{201c}Policy\u{201d}\n",
            "f.yaml:1:8",
            "use straight quotes",
        ),
        (
            "list:\n  - \u{201c}Sharing: orientation\u{201d}\n",
            "f.yaml:2:5",
            "a curly quote",
        ),
    ] {
        let error = pasted(text, true).unwrap_or_else(|| panic!("not found in {text:?}"));
        assert!(
            error.starts_with(place) && error.contains(said),
            "{text:?}: {error}"
        );
    }
    for text in [
        "\u{feff}title: Policy\n",
        "challenges: \"Le programme\u{a0}: former les examinateurs\u{a0}!\"\n",
        "title: IP\u{a0}office and \u{2018}quoted\u{2019} words\n",
        "# a comment\u{a0}\n",
        "title: Policy # note\u{a0}\n",
    ] {
        assert_eq!(pasted(text, true), None, "{text:?}");
    }
    // Zero-width characters and curly quotes are refused in data files, not in answers.
    assert_eq!(
        pasted("challenges: \u{201c}a\u{200b}b\u{201d}\n", false),
        None
    );
}
