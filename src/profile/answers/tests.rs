//! Unit tests of `src/profile/answers.rs`: comments kept when answers are saved again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::profile::Value;

fn questionnaire() -> Questionnaire {
    Questionnaire::builtin().unwrap()
}

/// Reads `text` as a resumed interview does, lets `change` edit the answers, and saves them.
fn saved_again(text: &str, change: impl FnOnce(&mut Profile)) -> String {
    let questionnaire = questionnaire();
    let parsed = parse(text, "notes.yaml", &questionnaire).unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let mut profile = parsed.profile;
    change(&mut profile);
    to_yaml(
        &profile,
        &questionnaire,
        &comments(text, "notes.yaml").unwrap(),
    )
}

/// Every comment of the file, as written (`#` to the end of the line).
fn comment_texts(text: &str) -> Vec<String> {
    let comments = comments(text, "x.yaml").unwrap();
    let mut all: Vec<String> = Vec::new();
    for key in &comments.keys {
        all.extend(key.above.iter().filter(|l| !l.is_empty()).cloned());
        all.extend(key.right.iter().map(|(comment, _)| comment.clone()));
    }
    all.extend(comments.end.iter().filter(|l| !l.is_empty()).cloned());
    all
}

const NOTES: &str = "\
# sources: URSB annual report 2023
# (and the 2024 draft)
country: UGA   # Uganda
ip_strategy: none   # draft strategy stalled

# awareness judged from interviews
policy_maker_awareness: 2
regional_system:
  - aripo   # since 1978
substantive_examination: full
# pendency from the 2023 report
patent_pendency_months: 30   # rough
patent_examiners: 3   # only 3 FTE
challenges: \"backlog # not a comment\"   # my words
# last note
";

#[test]
fn every_comment_is_kept_by_its_answer() {
    let saved = saved_again(NOTES, |_| {});
    for comment in comment_texts(NOTES) {
        assert!(saved.contains(&comment), "`{comment}` lost:\n{saved}");
    }
    let at = |needle: &str| {
        saved
            .find(needle)
            .unwrap_or_else(|| panic!("{needle}:\n{saved}"))
    };
    // Above its key, and at the end of its key's line.
    assert!(at("# sources: URSB") < at("country:"), "{saved}");
    assert!(at("# awareness judged") < at("policy_maker_awareness:"));
    assert!(
        saved.contains("patent_examiners: 3  # only 3 FTE\n"),
        "{saved}"
    );
    assert!(
        saved.contains("regional_system: [\"aripo\"]  # since 1978\n"),
        "{saved}"
    );
    assert!(
        saved.contains("\"backlog # not a comment\"  # my words\n"),
        "{saved}"
    );
    // The blank line above a commented key stays.
    assert!(saved.contains("\n\n# awareness judged"), "{saved}");
    // Only the comment at the very end has no key to stand by.
    assert!(at(KEPT) < at("# last note"), "{saved}");
    // The answers themselves are all there.
    let questionnaire = questionnaire();
    let again = parse(&saved, "saved.yaml", &questionnaire).unwrap();
    let first = parse(NOTES, "notes.yaml", &questionnaire).unwrap();
    assert_eq!(again.profile, first.profile);
    assert!(again.problems.is_empty(), "{:?}", again.problems);
}

#[test]
fn saving_again_changes_nothing_more() {
    let once = saved_again(NOTES, |_| {});
    let twice = saved_again(&once, |_| {});
    assert_eq!(once, twice);
    assert_eq!(once.matches("saved by ipneeds").count(), 1, "{once}");
    assert_eq!(once.matches(KEPT).count(), 1, "{once}");
}

#[test]
fn comments_of_answers_no_longer_written_are_kept_at_the_end_with_their_line() {
    // The office no longer examines: the pendency and examiner figures are dropped (skip
    // logic), and a new answer is given.
    let saved = saved_again(NOTES, |profile| {
        profile.set("substantive_examination", Value::Choice("none".into()));
        profile.answers.remove("patent_pendency_months");
        profile.answers.remove("patent_examiners");
        profile.set("online_filing", Value::Bool(true));
    });
    for comment in comment_texts(NOTES) {
        assert!(saved.contains(&comment), "`{comment}` lost:\n{saved}");
    }
    let kept = saved
        .split(KEPT)
        .nth(1)
        .unwrap_or_else(|| panic!("{saved}"));
    assert!(kept.contains("# pendency from the 2023 report\n"), "{kept}");
    assert!(
        kept.contains("# patent_pendency_months: 30   # rough\n"),
        "{kept}"
    );
    assert!(
        kept.contains("# patent_examiners: 3   # only 3 FTE\n"),
        "{kept}"
    );
    assert!(kept.contains("# last note\n"), "{kept}");
    assert!(saved.contains("online_filing: \"yes\"\n"), "{saved}");
    // Kept once, not once more on every save.
    let twice = saved_again(&saved, |_| {});
    assert_eq!(saved, twice);
}

#[test]
fn a_hash_inside_an_answer_is_no_comment() {
    let text = "challenges: |\n  # a heading in the text\n  backlog\nip_strategy: 'it''s # none'\n";
    assert!(comment_texts(text).is_empty(), "{:?}", comment_texts(text));
}

#[test]
fn free_text_with_a_hash_is_whole_when_quoted_or_a_block() {
    let q = questionnaire();
    for text in [
        "challenges: \"Our #1 problem\"  # from the audit\n",
        "challenges: 'Our #1 problem'\n",
        "challenges: |\n  Our #1 problem\n",
        "challenges: Our#1 problem\n",
    ] {
        let parsed = parse(text, "a.yaml", &q).unwrap();
        assert!(
            parsed.problems.is_empty(),
            "{text:?}: {:?}",
            parsed.problems
        );
        let Some(Value::Text(answer)) = parsed.profile.get("challenges") else {
            panic!("{text:?}: no text");
        };
        assert!(answer.contains("#1 problem"), "{text:?}: {answer:?}");
    }
}

#[test]
fn a_filled_in_template_keeps_its_empty_keys_and_their_comments() {
    let mut template = String::new();
    template.push_str("# Which country is this profile for?\ncountry: UGA\n\n");
    template.push_str("# Is the country an LDC?\nldc_status:\n\n");
    template.push_str("# ---- Policy ----\n\n# Is there a strategy?\nip_strategy: none\n");
    let saved = saved_again(&template, |_| {});
    assert!(
        saved.contains("\n\n# Is the country an LDC?\nldc_status:\n"),
        "{saved}"
    );
    assert!(
        saved.contains("# ---- Policy ----\n\n# Is there a strategy?\nip_strategy: \"none\"\n"),
        "{saved}"
    );
    assert!(!saved.contains(KEPT), "{saved}");
    let parsed = parse(&saved, "saved.yaml", &questionnaire()).unwrap();
    assert!(parsed.profile.get("ldc_status").is_none());
    // Without comments, an empty key is not written: it says nothing.
    let saved = saved_again("country: UGA\nldc_status:\n", |_| {});
    assert!(!saved.contains("ldc_status"), "{saved}");
}

#[test]
fn ipneeds_own_lines_are_not_kept_as_comments() {
    let text = "# Answers to \"Old title\", saved by ipneeds. Edit freely; score with `ipneeds score FILE`.\n\
                questionnaire: {id: \"ip-office-profile\", version: \"1.0\"}\n\
                country: \"UGA\"\n\
                # ldc_status: \"ldc\"  (prefilled from the country)\n\
                ip_strategy: \"none\"\n";
    assert!(comment_texts(text).is_empty(), "{:?}", comment_texts(text));
    // A file without comments is written as before.
    let questionnaire = questionnaire();
    let parsed = parse(text, "a.yaml", &questionnaire).unwrap();
    assert_eq!(
        to_yaml(
            &parsed.profile,
            &questionnaire,
            &comments(text, "a.yaml").unwrap()
        ),
        to_yaml(&parsed.profile, &questionnaire, &Comments::default())
    );
}

#[test]
fn a_file_of_comments_only_keeps_them() {
    let text = "# nothing known yet\n# ask the office\n";
    let saved = saved_again(text, |profile| {
        profile.set("country", Value::Text("UGA".into()));
    });
    assert!(
        saved.ends_with(&format!("{KEPT}\n# nothing known yet\n# ask the office\n")),
        "{saved}"
    );
}

#[test]
fn yaml_1_1_booleans_are_text_except_for_yes_or_no_questions() {
    let q = questionnaire();
    let text = "country: n\nldc_status: Off\nonline_filing: on\npublic_ip_database: N\npatent_info_center: false\nsme_ip_services: TRUE\n";
    let parsed = parse(text, "a.yaml", &q).unwrap();
    // Text and choices as written: `n` is no country, `Off` no LDC status.
    assert_eq!(
        parsed.profile.get("country"),
        Some(&Value::Text("n".into()))
    );
    let problems: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("a.yaml:2:13: `ldc_status` is `Off`"),
        "{problems:?}"
    );
    // Yes/no questions take every spelling they took before.
    for (field, answer) in [
        ("online_filing", true),
        ("public_ip_database", false),
        ("patent_info_center", false),
        ("sme_ip_services", true),
    ] {
        assert_eq!(
            parsed.profile.get(field),
            Some(&Value::Bool(answer)),
            "{field}"
        );
    }
}
