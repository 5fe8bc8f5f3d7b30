//! Unit tests of `src/report/json.rs`: the rows say what `score --format json`'s program objects
//! say, catalog lines by reference.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::scoring::Scorer;

fn scored() -> (Catalog, Questionnaire, Profile) {
    let catalog = Catalog::builtin().unwrap();
    let questionnaire = Questionnaire::builtin().unwrap();
    let entries = [
        ("country", "UGA"),
        ("patent_pendency_months", "84.5"),
        ("pending_applications", "9000"),
        ("patent_examiners", "5"),
        ("regional_system", "aripo;oapi"),
        ("online_filing", "no"),
        ("challenges", "examiners need training \"now\""),
    ];
    let (profile, problems) = Profile::from_entries(
        &questionnaire,
        entries.iter().map(|(f, v)| (*f, *v, format!("test:{f}"))),
    );
    assert!(problems.is_empty(), "{problems:?}");
    (catalog, questionnaire, profile)
}

fn row_json(detail: Detail, top: usize) -> (serde_json::Value, serde_json::Value) {
    let (catalog, questionnaire, profile) = scored();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let results = scorer.score(&profile, true).unwrap();
    let row = BatchRow {
        row: 7,
        id: "a \"quoted\" id",
        country: Some("UGA"),
        profile: &profile,
        questionnaire: &questionnaire,
        catalog: &catalog,
        results: &results,
        top,
        detail,
    };
    let mut bytes = Vec::new();
    row.write(&mut bytes);
    assert!(!bytes.contains(&b'\n'), "one line");
    // What the rows said before they were written directly: the shared Value-building code.
    let reference = serde_json::json!({
        "row": 7,
        "id": "a \"quoted\" id",
        "country": "UGA",
        "profile": crate::report::profile_json(&profile, &questionnaire),
        "prefilled": crate::report::prefilled_fields(&profile),
        "programs": results.iter().take(top).map(|r| crate::report::program_json(&catalog, r)).collect::<Vec<_>>(),
    });
    (serde_json::from_slice(&bytes).unwrap(), reference)
}

/// Every field but the matched lines is what the Value-building code wrote; the matched line
/// is named by field and position, and `Detail::Full` adds the line's text and its
/// highlights, ranges of that whole line. A brief reason names its need, whose words, weight,
/// answers and rules the row's `needs` gives once.
#[test]
fn rows_say_what_the_program_objects_say_with_lines_by_reference() {
    let catalog = Catalog::builtin().unwrap();
    for detail in [Detail::Brief, Detail::Full] {
        let (mut written, mut reference) = row_json(detail, 12);
        if detail == Detail::Brief {
            describe_needs_in_reasons(&mut written);
        }
        let mut lines = 0;
        let programs = written["programs"].as_array_mut().unwrap();
        for (program, expected) in programs
            .iter_mut()
            .zip(reference["programs"].as_array_mut().unwrap())
        {
            let entry = catalog
                .programs
                .iter()
                .find(|p| p.id == program["id"].as_str().unwrap())
                .unwrap();
            for (reason, old) in program["reasons"]
                .as_array_mut()
                .unwrap()
                .iter_mut()
                .zip(expected["reasons"].as_array_mut().unwrap())
            {
                let matched = reason.as_object_mut().unwrap().remove("matched");
                let old_matched = old.as_object_mut().unwrap().remove("matched");
                assert_eq!(matched.is_some(), old_matched.is_some());
                let (Some(matched), Some(old_matched)) = (matched, old_matched) else {
                    continue;
                };
                lines += 1;
                let field = matched["field"].as_str().unwrap();
                assert_eq!(field, old_matched["field"]);
                assert_eq!(matched["line"], old_matched["line"]);
                let line = &entry.field_lines(field)[matched["line"].as_u64().unwrap() as usize];
                match detail {
                    Detail::Brief => {
                        assert_eq!(matched.as_object().unwrap().len(), 2, "{matched}");
                        continue;
                    }
                    Detail::Full => assert_eq!(matched["text"].as_str().unwrap(), line),
                }
                // The same words as the (maybe cropped) text shows, found in the whole line.
                let old_text = old_matched["text"].as_str().unwrap();
                let words: Vec<&str> = old_matched["highlights"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| {
                        &old_text[h["start"].as_u64().unwrap() as usize
                            ..h["end"].as_u64().unwrap() as usize]
                    })
                    .collect();
                let highlighted: Vec<&str> = matched["highlights"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| {
                        let object = h.as_object().unwrap();
                        assert_eq!(object.len(), 2, "{{start, end}}: {h}");
                        &line[h["start"].as_u64().unwrap() as usize
                            ..h["end"].as_u64().unwrap() as usize]
                    })
                    .collect();
                assert!(!highlighted.is_empty());
                assert_eq!(highlighted, words);
            }
        }
        assert!(lines > 10, "{lines} matched lines");
        assert_eq!(written, reference, "{detail:?}");
    }
}

/// Moves a brief row's `needs` into its reasons, checking that it holds each need the reasons
/// cite, once, in the order first cited, and only those.
fn describe_needs_in_reasons(row: &mut serde_json::Value) {
    let needs = row.as_object_mut().unwrap().remove("needs").unwrap();
    let needs = needs.as_array().unwrap();
    let mut cited: Vec<String> = Vec::new();
    for program in row["programs"].as_array_mut().unwrap() {
        for reason in program["reasons"].as_array_mut().unwrap() {
            let reason = reason.as_object_mut().unwrap();
            let keys: Vec<&str> = reason.keys().map(String::as_str).collect();
            let brief = ["need", "points", "relevance", "matched"];
            assert!(keys.iter().all(|k| brief.contains(k)), "{keys:?}");
            let id = reason["need"].as_str().unwrap().to_string();
            let need = needs.iter().find(|n| n["need"] == id.as_str()).unwrap();
            for key in ["label", "weight", "answers", "rules"] {
                reason.insert(key.into(), need[key].clone());
            }
            if !cited.contains(&id) {
                cited.push(id);
            }
        }
    }
    let listed: Vec<&str> = needs.iter().map(|n| n["need"].as_str().unwrap()).collect();
    assert_eq!(listed, cited);
    assert!(cited.len() > 3, "{cited:?}");
}

#[test]
fn top_limits_the_programs() {
    let (written, reference) = row_json(Detail::Full, 2);
    assert_eq!(written["programs"].as_array().unwrap().len(), 2);
    assert_eq!(written["profile"], reference["profile"]);
    assert_eq!(written["prefilled"], reference["prefilled"]);
    assert_eq!(written["profile"]["patent_pendency_months"], 84.5);
}

/// A cropped snippet's highlights move back to where the words are in the whole line.
#[test]
fn cropped_highlights_point_into_the_whole_line() {
    let line = format!("{} patent examiners", "word ".repeat(100));
    let start = line.find("patent").unwrap();
    let snippet = Snippet {
        field: "objectives".into(),
        line: 0,
        text: format!("…{}", &line[start - 10..]),
        highlights: vec![13..19, 0..0],
        line_start: start - 10,
    };
    let ranges: Vec<_> = snippet.line_highlights().collect();
    assert_eq!(&line[ranges[0].clone()], "patent");
    // A range before the text's start (none is) stays inside the line.
    assert!(ranges[1].start <= line.len());
}
