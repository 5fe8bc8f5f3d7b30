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
