//! Unit tests of `src/report/json.rs`: a batch row says what `score --format json` says of the
//! same profile, its catalog lines whole or by reference.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::report::CountryReport;
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
        ("public_awareness", "1"),
        ("challenges", "examiners need training \"now\""),
    ];
    let (profile, problems) = Profile::from_entries(
        &questionnaire,
        entries.iter().map(|(f, v)| (*f, *v, format!("test:{f}"))),
    );
    assert!(problems.is_empty(), "{problems:?}");
    (catalog, questionnaire, profile)
}

/// A batch row (`detail`, the `top` programs) and the `score --format json` document of the
/// same profile, parsed.
fn row_and_report(detail: Detail, top: usize) -> (serde_json::Value, serde_json::Value) {
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
    let report = CountryReport {
        catalog: &catalog,
        questionnaire: &questionnaire,
        profile: &profile,
        results: &results,
        countries: None,
        as_of: "2025-01-01".into(),
    };
    let document = report.json(Some(top)).unwrap();
    (serde_json::from_slice(&bytes).unwrap(), document)
}

/// The words a matched line's highlights mark in `text`.
fn marked_words<'t>(matched: &serde_json::Value, text: &'t str) -> Vec<&'t str> {
    (matched["highlights"].as_array().unwrap().iter())
        .map(|h| {
            assert_eq!(h.as_object().unwrap().len(), 2, "{{start, end}}: {h}");
            &text[h["start"].as_u64().unwrap() as usize..h["end"].as_u64().unwrap() as usize]
        })
        .collect()
}

/// A full row's profile and programs are `score`'s, but for the matched lines: a row gives the
/// whole catalog line (the same in every row), `score` the line as matched, cropped around the
/// matches when long; both mark the same words.
#[test]
fn full_rows_say_what_score_says_with_whole_lines() {
    let catalog = Catalog::builtin().unwrap();
    let (mut row, mut report) = row_and_report(Detail::Full, 12);
    assert_eq!(row["profile"], report["profile"]);
    assert_eq!(row["prefilled"], report["prefilled"]);
    let (mut lines, mut cropped) = (0, 0);
    let programs = row["programs"].as_array_mut().unwrap();
    assert_eq!(programs.len(), 12);
    for (program, shown) in programs
        .iter_mut()
        .zip(report["programs"].as_array_mut().unwrap())
    {
        let entry = (catalog.programs.iter())
            .find(|p| p.id == program["id"].as_str().unwrap())
            .unwrap();
        for (reason, shown) in (program["reasons"].as_array_mut().unwrap().iter_mut())
            .zip(shown["reasons"].as_array_mut().unwrap())
        {
            let matched = reason.as_object_mut().unwrap().remove("matched");
            let shown = shown.as_object_mut().unwrap().remove("matched");
            assert_eq!(matched.is_some(), shown.is_some());
            let (Some(matched), Some(shown)) = (matched, shown) else {
                continue;
            };
            lines += 1;
            let field = matched["field"].as_str().unwrap();
            assert_eq!(field, shown["field"]);
            assert_eq!(matched["line"], shown["line"]);
            let line = &entry.field_lines(field)[matched["line"].as_u64().unwrap() as usize];
            assert_eq!(matched["text"].as_str().unwrap(), line);
            let text = shown["text"].as_str().unwrap();
            if text != line {
                cropped += 1;
                assert!(line.contains(text.trim_matches('…')), "{text}");
            }
            let words = marked_words(&matched, line);
            assert!(!words.is_empty());
            assert_eq!(words, marked_words(&shown, text));
        }
    }
    assert!(lines > 10, "{lines} matched lines");
    assert!(cropped > 0, "no long line matched");
    assert_eq!(row["programs"], report["programs"]);
}

/// A brief row is a full one with each reason's need described once, in `needs`, and its
/// catalog line named by field and position only.
#[test]
fn brief_rows_say_what_full_rows_say_with_lines_by_reference() {
    let (mut brief, _) = row_and_report(Detail::Brief, 12);
    let (mut full, _) = row_and_report(Detail::Full, 12);
    describe_needs_in_reasons(&mut brief);
    for program in full["programs"].as_array_mut().unwrap() {
        for reason in program["reasons"].as_array_mut().unwrap() {
            if let Some(matched) = reason.get_mut("matched") {
                let matched = matched.as_object_mut().unwrap();
                assert!(matched.remove("text").is_some());
                assert!(matched.remove("highlights").is_some());
            }
        }
    }
    assert_eq!(brief, full);
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

/// `score --format json`'s profile and programs as its readers take them: answers as typed
/// (numbers as numbers, several choices as a list), each program's and reason's fields in
/// order, points and scores to a tenth, relevance to a thousandth.
#[test]
fn score_writes_the_profile_and_programs_as_documented() {
    let (row, report) = row_and_report(Detail::Full, 2);
    assert_eq!(row["programs"].as_array().unwrap().len(), 2, "top");
    let profile = &report["profile"];
    assert_eq!(profile["patent_pendency_months"], 84.5);
    assert_eq!(profile["pending_applications"], 9000);
    assert_eq!(
        profile["regional_system"],
        serde_json::json!(["aripo", "oapi"])
    );
    assert_eq!(profile["challenges"], "examiners need training \"now\"");
    let programs = report["programs"].as_array().unwrap();
    assert_eq!(programs.len(), 2, "--top");
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let tenth = |v: &serde_json::Value| {
        let x = v.as_f64().unwrap();
        assert_eq!((x * 10.0).round() / 10.0, x, "{x}");
    };
    let mut matched = 0;
    for program in programs {
        assert_eq!(
            keys(program),
            ["rank", "id", "number", "title", "score", "reasons"]
        );
        tenth(&program["score"]);
        for reason in program["reasons"].as_array().unwrap() {
            let mut expected = vec![
                "need",
                "label",
                "points",
                "weight",
                "relevance",
                "answers",
                "rules",
            ];
            if let Some(line) = reason.get("matched") {
                expected.push("matched");
                assert_eq!(keys(line), ["field", "line", "text", "highlights"]);
                matched += 1;
            }
            assert_eq!(keys(reason), expected);
            tenth(&reason["points"]);
            let relevance = reason["relevance"].as_f64().unwrap();
            assert_eq!((relevance * 1000.0).round() / 1000.0, relevance);
            for answer in reason["answers"].as_array().unwrap() {
                assert_eq!(keys(answer), ["field", "value", "prefilled"]);
            }
        }
    }
    assert!(matched > 0);
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
