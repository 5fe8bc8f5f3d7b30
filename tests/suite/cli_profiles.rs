//! Integration tests of the profile commands — `score`, `interview`, `check`, `template` and
//! `batch` — run against the built binary, the built-in questionnaire and country data.
//!
//! Fixtures live in tests/data/fixtures; files with unusual bytes (BOM, CRLF, Windows-1252) are
//! written by the tests themselves. LDC status depends on the date, so every run passes
//! `--as-of` (2026-06-01 unless a test is about dates).

use crate::fixtures::{
    biff_record, ods_bytes, ods_text_cell, ods_text_row, utf16le, write_xlsx, xls_bytes,
    zip_part_text, zip_with_part_edited, zip_with_parts_moved, XlsCell, ODS_COVERED,
};
use crate::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The binary with `--as-of DATE --color never`.
fn ipneeds_as_of(date: &str) -> Ipneeds {
    Ipneeds::new().dated(date).args(["--color", "never"])
}

fn ipneeds() -> Ipneeds {
    ipneeds_as_of(AS_OF)
}

fn fixtures() -> PathBuf {
    repo().join("tests/data/fixtures")
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

fn questionnaire_path() -> PathBuf {
    repo().join("questionnaires/ip-office-profile.yaml")
}

fn questionnaire_text() -> String {
    std::fs::read_to_string(questionnaire_path()).unwrap()
}

/// The built-in questionnaire as JSON.
fn questionnaire() -> Value {
    serde_saphyr::from_str(&questionnaire_text()).unwrap()
}

/// Question ids in interview order.
fn question_ids() -> Vec<String> {
    questionnaire()["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap().iter())
        .map(|q| q["id"].as_str().unwrap().to_string())
        .collect()
}

/// One question of the built-in questionnaire.
fn question(id: &str) -> Value {
    questionnaire()["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap().iter())
        .find(|q| q["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("no question `{id}`"))
}

/// Parses CSV output into records (the header included).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Parses YAML text as JSON.
fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"))
}

/// `score FILE --format json` for answers given as text.
fn score_json(answers: &str) -> Value {
    let run = ipneeds().file("answers.yaml", answers);
    let path = run.path("answers.yaml");
    let result = run.arg("score").arg(&path).args(["--format", "json"]).run();
    result.expect_code(0, "score --format json");
    result.json()
}

/// The program ids of a `score --format json` document, best first.
fn program_ids(report: &Value) -> Vec<String> {
    report["programs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

/// (rank, program id) rows of a ranking table.
fn table_ranks(stdout: &str) -> Vec<(usize, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let tokens: Vec<&str> = line.split_whitespace().collect();
            match tokens.as_slice() {
                [rank, score, program, ..] if score.parse::<f64>().is_ok() => {
                    Some((rank.parse().ok()?, program.to_string()))
                }
                _ => None,
            }
        })
        .collect()
}

/// The `v08-no-gaps` evaluation case (tests/data/cases/profiles.csv) as an answers YAML.
fn no_gaps_yaml() -> String {
    let text = std::fs::read_to_string(repo().join("tests/data/cases/profiles.csv")).unwrap();
    let records = csv_records(&text);
    let header = &records[0];
    let row = records
        .iter()
        .find(|r| r[0] == "v08-no-gaps")
        .expect("v08-no-gaps in profiles.csv");
    let mut out = String::new();
    for (field, value) in header.iter().zip(row).skip(1) {
        if !value.is_empty() {
            out.push_str(&format!("{field}: {}\n", Value::String(value.clone())));
        }
    }
    assert!(out.lines().count() > 20, "the case has answers:\n{out}");
    out
}

// ---------------------------------------------------------------------------------------------
// score

/// A country with no clear need: the markdown report says, as the page does, that its three
/// "recommended" programs are only the highest, not needs (it listed them with no word).
#[test]
fn reports_say_when_the_recommended_programs_are_shown_only_for_reference() {
    let says = "No program scores 30 or more; the three highest are shown for reference";
    for format in ["markdown", "html"] {
        ipneeds()
            .file("a.yaml", no_gaps_yaml())
            .args(["score", "a.yaml", "--format", format])
            .run()
            .success()
            .stdout_contains(says);
    }
    // A country with needs: the programs scoring 30 or more.
    ipneeds()
        .args([
            "score",
            "questionnaires/examples/example-answers.yaml",
            "-f",
            "markdown",
        ])
        .in_repo()
        .run()
        .success()
        .stdout_contains("programs scoring 30 or more, highest first")
        .stdout_lacks(says);
}

#[test]
fn score_json_has_the_documented_shape_and_reasons_add_up_to_scores() {
    let run = ipneeds()
        .arg("score")
        .arg(fixture("answers-full.yaml"))
        .args(["--format", "json"])
        .run();
    run.expect_code(0, "score --format json");
    let report = run.json();
    let q = questionnaire();
    assert_eq!(report["questionnaire"]["id"], q["id"]);
    assert_eq!(report["questionnaire"]["version"], q["version"]);
    assert_eq!(report["profile"]["country"], "UGA");
    assert_eq!(report["profile"]["ip_strategy"], "in_preparation");
    let programs = report["programs"].as_array().unwrap();
    assert_eq!(programs.len(), 12, "all twelve programs in JSON");
    let mut previous = f64::INFINITY;
    let mut ids = std::collections::BTreeSet::new();
    for (index, program) in programs.iter().enumerate() {
        for key in ["rank", "id", "number", "title", "score", "reasons"] {
            assert!(
                program.get(key).is_some(),
                "program lacks `{key}`: {program}"
            );
        }
        assert_eq!(program["rank"].as_u64(), Some(index as u64 + 1));
        assert!(ids.insert(program["id"].as_str().unwrap().to_string()));
        let number = program["number"].as_u64().unwrap();
        assert!((1..=12).contains(&number));
        assert!(!program["title"].as_str().unwrap().is_empty());
        let score = program["score"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&score), "score {score}");
        assert!(
            score <= previous,
            "scores descend: {score} after {previous}"
        );
        previous = score;
        let mut sum = 0.0;
        for reason in program["reasons"].as_array().unwrap() {
            assert!(reason["need"].is_string(), "reason: {reason}");
            sum += reason["points"].as_f64().unwrap();
            let answers = reason["answers"].as_array().unwrap();
            assert!(!answers.is_empty(), "a reason names its answers: {reason}");
            for answer in answers {
                assert!(answer["field"].is_string(), "answer: {answer}");
                assert!(answer["value"].is_string(), "answer: {answer}");
                assert!(answer["prefilled"].is_boolean(), "answer: {answer}");
            }
            // Highlights are `{"start", "end"}` byte ranges of the text, as in every JSON.
            if let Some(matched) = reason.get("matched") {
                let text = matched["text"].as_str().unwrap();
                for range in matched["highlights"].as_array().unwrap() {
                    assert_eq!(range.as_object().map(|o| o.len()), Some(2), "{range}");
                    let start = range["start"].as_u64().unwrap() as usize;
                    let end = range["end"].as_u64().unwrap() as usize;
                    assert!(
                        text.get(start..end).is_some_and(|w| !w.trim().is_empty()),
                        "{range} in {text}"
                    );
                }
            }
        }
        // Each figure is rounded to a tenth on its own: at most half a tenth off apiece.
        let rounding = 0.05 * (program["reasons"].as_array().unwrap().len() + 1) as f64;
        assert!(
            (sum - score).abs() <= rounding + 1e-9,
            "{}: reasons give {sum:.2} points, score is {score}",
            program["id"]
        );
    }
    assert!(previous >= 0.0);
    // A rich profile of gaps raises real needs.
    assert!(programs[0]["score"].as_f64().unwrap() > 50.0);
}

#[test]
fn one_severe_gap_puts_information_access_first() {
    let report = score_json("patent_info_center: \"no\"\n");
    let first = &report["programs"][0];
    assert_eq!(first["id"], "ip-information-access");
    assert!(first["score"].as_f64().unwrap() > 50.0, "{first}");
    assert_eq!(
        first["reasons"][0]["answers"][0]["field"],
        "patent_info_center"
    );
}

#[test]
fn a_profile_without_gaps_scores_below_30_everywhere() {
    let report = score_json(&no_gaps_yaml());
    for program in report["programs"].as_array().unwrap() {
        let score = program["score"].as_f64().unwrap();
        assert!(score < 30.0, "{} scores {score}", program["id"]);
    }
}

#[test]
fn country_prefills_ldc_status_and_regional_organizations() {
    let run = ipneeds()
        .arg("score")
        .arg(fixture("answers-malawi.yaml"))
        .args(["-f", "json"])
        .run();
    run.expect_code(0, "score malawi");
    let report = run.json();
    assert_eq!(report["profile"]["country"], "MWI");
    assert_eq!(report["profile"]["ldc_status"], "ldc");
    assert_eq!(
        report["profile"]["regional_system"],
        serde_json::json!(["aripo"])
    );
    let prefilled = report["prefilled"].as_array().unwrap();
    assert!(prefilled.contains(&"ldc_status".into()), "{prefilled:?}");
    assert!(
        prefilled.contains(&"regional_system".into()),
        "{prefilled:?}"
    );
    // The reasons say the answer was prefilled.
    let marked = report["programs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["reasons"].as_array().unwrap())
        .flat_map(|r| r["answers"].as_array().unwrap())
        .any(|a| a["field"] == "ldc_status" && a["prefilled"] == true);
    assert!(marked, "a reason shows ldc_status as prefilled");
}

#[test]
fn an_explicit_answer_wins_over_the_prefill() {
    let report = score_json("country: MWI\nldc_status: \"no\"\n");
    assert_eq!(report["profile"]["ldc_status"], "no");
    let prefilled = report["prefilled"].as_array().unwrap();
    assert!(!prefilled.contains(&"ldc_status".into()), "{prefilled:?}");
    assert!(
        prefilled.contains(&"regional_system".into()),
        "{prefilled:?}"
    );
    let ldc_reason = report["programs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["reasons"].as_array().unwrap())
        .any(|r| r["need"] == "ldc-support");
    assert!(
        !ldc_reason,
        "a country that says it is no LDC gets no LDC support need"
    );
}

#[test]
fn table_names_the_top_program_and_marks_prefilled_answers() {
    let top = program_ids(&score_json("country: MWI\npatent_info_center: \"no\"\n"))[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.yaml");
    std::fs::write(&path, "country: MWI\npatent_info_center: \"no\"\n").unwrap();
    let run = ipneeds().arg("score").arg(&path).run();
    run.expect_code(0, "score (table)");
    let ranks = table_ranks(&run.stdout);
    assert_eq!(ranks.first(), Some(&(1, top.clone())), "{}", run.stdout);
    assert!(run.stdout.contains("prefilled"), "{}", run.stdout);
    assert!(
        run.stdout.contains("ldc_status: ldc (prefilled)"),
        "{}",
        run.stdout
    );
}

/// Several needs often match one catalog line: a program's section lists the line once, with
/// every word matched marked (it was listed once per need, differing only in bold words).
#[test]
fn markdown_lists_each_matched_catalog_line_once() {
    let result = ipneeds()
        .args(["score", "-f", "markdown"])
        .arg(repo().join("questionnaires/examples/example-answers.yaml"))
        .run();
    result.expect_code(0, "markdown report");
    let sections: Vec<&str> = result
        .stdout
        .split("**Catalog lines matched**")
        .skip(1)
        .collect();
    assert!(sections.len() >= 3, "{}", result.stdout);
    for section in sections {
        let lines: Vec<String> = (section.lines())
            .skip_while(|line| line.is_empty())
            .take_while(|line| line.starts_with("- "))
            .map(|line| line.replace("**", ""))
            .collect();
        assert!(!lines.is_empty(), "{section}");
        let distinct: std::collections::HashSet<&String> = lines.iter().collect();
        assert_eq!(
            distinct.len(),
            lines.len(),
            "a line listed twice: {lines:#?}"
        );
    }
}

#[test]
fn markdown_output_is_a_markdown_table() {
    let run = ipneeds()
        .arg("score")
        .arg(fixture("answers-malawi.yaml"))
        .args(["--format", "markdown"])
        .run();
    run.expect_code(0, "score --format markdown");
    assert!(
        run.stdout.lines().any(|l| l.starts_with("| Rank |")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.lines().any(|l| l.starts_with("|---:")),
        "{}",
        run.stdout
    );
}

/// The needs matrix shows a reason's answers as every report does: an answer the country table
/// filled in is marked (it read `ldc_status = ldc`, as if the planner had said so).
#[test]
fn markdown_needs_matrix_marks_prefilled_answers() {
    let run = ipneeds()
        .args(["score", "-", "--format", "markdown"])
        .stdin("country: Uganda\nstaff_training: none\n")
        .run();
    run.expect_code(0, "score --format markdown");
    let matrix = &run.stdout[run.stdout.find("## Needs matrix").unwrap()..];
    assert!(
        matrix.contains("| ldc\\_status = ldc (prefilled) |"),
        "{matrix}"
    );
    assert!(matrix.contains("| staff\\_training = none |"), "{matrix}");
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let run = ipneeds()
        .arg("score")
        .arg(fixture("answers-malawi.yaml"))
        .args(["-f", "json", "-o"])
        .arg(&out)
        .run();
    run.expect_code(0, "score -o");
    assert_eq!(run.stdout, "", "nothing on stdout with -o");
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["profile"]["country"], "MWI");
    assert_eq!(written["programs"].as_array().unwrap().len(), 12);
}

#[test]
fn score_dash_reads_standard_input() {
    let run = ipneeds()
        .args(["score", "-", "-f", "json"])
        .stdin("country: MWI\nip_strategy: none\n")
        .run();
    run.expect_code(0, "score -");
    let report = run.json();
    assert_eq!(report["profile"]["country"], "MWI");
    assert_eq!(report["profile"]["ip_strategy"], "none");
}

#[test]
fn bad_answers_are_all_reported_with_place_field_value_and_allowed_values() {
    let text = std::fs::read_to_string(fixture("answers-bad.yaml")).unwrap();
    let run = ipneeds()
        .current_dir(fixtures())
        .args(["score", "answers-bad.yaml"])
        .run();
    run.expect_code(2, "score bad answers");
    assert_eq!(run.stdout, "", "no ranking for bad answers");
    let at = |key: &str| format!("answers-bad.yaml:{}:", line_of(&text, &format!("{key}:")));
    run.stderr_line_with(&[
        &at("ip_strategy"),
        "ip_strategy",
        "maybe",
        "adopted, in_preparation, none",
    ]);
    run.stderr_line_with(&[&at("ip_stratgy"), "did you mean `ip_strategy`"]);
    let scale =
        run.stderr_line_with(&[&at("policy_maker_awareness"), "policy_maker_awareness", "7"]);
    assert!(scale.contains("1") && scale.contains("to 5"), "{scale}");
    run.stderr_line_with(&[&at("online_filing"), "perhaps", "yes or no"]);
    run.stderr_line_with(&[&at("patent_examiners"), "-3", "at least 0"]);
    run.stderr_line_with(&[
        &at("regional_system"),
        "mars",
        "aripo, oapi, eapo, gcc, epo, other, none",
    ]);
}

#[test]
fn an_unknown_country_gets_a_hint_and_no_false_suggestion() {
    let run = ipneeds()
        .args(["score", "-"])
        .stdin("country: Atlantis\n")
        .run();
    run.expect_code(2, "unknown country");
    let line = run.stderr_line_with(&["unknown country", "Atlantis"]);
    assert!(line.contains("ISO 3166"), "says what to give: {line}");
    assert!(!run.stderr.contains("did you mean"), "{}", run.stderr);
}

#[test]
fn a_misspelt_country_suggests_the_right_one() {
    let run = ipneeds()
        .args(["score", "-"])
        .stdin("country: Malwi\n")
        .run();
    run.expect_code(2, "misspelt country");
    run.stderr_line_with(&["Malwi", "did you mean", "Malawi"]);
}

#[test]
fn answers_for_an_older_questionnaire_version_warn_but_score() {
    let run = ipneeds()
        .arg("score")
        .arg(fixture("answers-old-version.yaml"))
        .args(["-f", "json"])
        .run();
    run.expect_code(0, "score old version");
    let warning = run.stderr_line_with(&["warning", "0.9"]);
    assert!(
        warning.contains("1.0") || warning.contains("in use"),
        "{warning}"
    );
    assert_eq!(run.json()["profile"]["ip_strategy"], "none");
}

#[test]
fn unquoted_yaml_no_works_for_booleans_and_choices() {
    let report =
        score_json("online_filing: no\nflexibilities_in_law: no\npublic_ip_database: yes\n");
    assert_eq!(report["profile"]["online_filing"], "no");
    assert_eq!(report["profile"]["flexibilities_in_law"], "no");
    assert_eq!(report["profile"]["public_ip_database"], "yes");
    let needs: Vec<&str> = report["programs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["reasons"].as_array().unwrap())
        .map(|r| r["need"].as_str().unwrap())
        .collect();
    assert!(needs.contains(&"legal-flexibilities"), "{needs:?}");
    assert!(needs.contains(&"office-automation"), "{needs:?}");
    assert!(!needs.contains(&"public-ip-database"), "{needs:?}");
}

#[test]
fn an_unknown_country_is_reported_with_its_line() {
    let run = ipneeds()
        .file("a.yaml", "ip_strategy: none\ncountry: Atlantis\n")
        .args(["score", "a.yaml"])
        .run();
    run.expect_code(2, "unknown country");
    run.stderr_line_with(&["a.yaml:2:", "Atlantis"]);
}

#[test]
fn an_unknown_country_is_reported_with_the_other_bad_answers() {
    let run = ipneeds()
        .file("a.yaml", "ip_strategy: maybe\ncountry: Atlantis\n")
        .args(["score", "a.yaml"])
        .run();
    run.expect_code(2, "two bad answers");
    run.stderr_line_with(&["ip_strategy", "maybe"]);
    run.stderr_line_with(&["unknown country", "Atlantis"]);
}

#[test]
fn score_refuses_to_overwrite_its_answers_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.yaml");
    std::fs::write(&path, "country: MWI\n").unwrap();
    let run = ipneeds().arg("score").arg(&path).arg("-o").arg(&path).run();
    run.expect_code(2, "score -o the answers file");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "country: MWI\n");
}

// ---------------------------------------------------------------------------------------------
// interview

/// Runs `interview` with `lines` on stdin (one answer per line) and `extra` arguments.
fn interview(lines: &[&str], extra: &[&std::ffi::OsStr]) -> Output {
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    ipneeds().arg("interview").args(extra).stdin(input).run()
}

/// The question headings shown on stderr, as 1-based question numbers.
fn asked(stderr: &str) -> Vec<usize> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("[question "))
        .filter_map(|rest| rest.split_whitespace().next()?.parse().ok())
        .collect()
}

/// A script with a line after the last question had an answer too many before it: every
/// answer after that went to the wrong question. The run fails, naming the line.
#[test]
fn a_scripted_interview_with_lines_after_the_last_question_fails() {
    // UGA, then Enter for every other question asked (blank lines to spare are no answers),
    // then two lines no question reads.
    let mut enough = vec!["UGA"];
    enough.extend(std::iter::repeat_n("", 100));
    let all_asked = interview(&enough, &[]);
    all_asked.expect_code(0, "blank lines after the last question");
    let questions = asked(&all_asked.stderr).len();
    let mut lines = vec!["UGA"];
    lines.extend(std::iter::repeat_n("", questions - 1));
    lines.extend(["Our main problem is the backlog", "", "and no IP strategy"]);
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved.yaml");
    let run = interview(&lines, &["--save".as_ref(), save.as_os_str()]);
    run.expect_code(2, "lines after the last question");
    run.stderr_line_with(&[
        &format!(
            "error: <stdin>:{}: `Our main problem is the backlog` (and 1 more line(s))",
            questions + 1
        ),
        "no question read it",
        "the answers read are saved in",
    ]);
    let saved = std::fs::read_to_string(&save).unwrap();
    assert!(saved.contains("country: \"UGA\""), "{saved}");
    assert!(!saved.contains("backlog"), "{saved}");

    // Blank lines after the last question are no answers: nothing is left over.
    lines.truncate(questions);
    lines.extend(["", "  "]);
    interview(&lines, &[]).expect_code(0, "blank lines at the end");
}

fn number_of(id: &str) -> usize {
    question_ids().iter().position(|q| q == id).unwrap() + 1
}

#[test]
fn a_piped_interview_asks_every_question_and_ranks_the_answers() {
    let ids = question_ids();
    // Answers by field id; the backlog figures are skipped because there is no examination (the
    // examiners are asked: an office that checks formalities may be training its first ones).
    let answers = [
        ("country", "UGA"),
        ("ldc_status", ""),
        ("regional_system", ""),
        ("regional_cooperation_interest", ""),
        ("ip_strategy", "none"),
        ("policy_maker_awareness", "1"),
        ("legislation_status", "up_to_date"),
        ("missing_laws", ""),
        ("treaty_accession_planned", "no"),
        ("flexibilities_in_law", "yes"),
        ("substantive_examination", "none"),
        ("patent_examiners", "0"),
        ("office_capacity", ""),
        ("staff_training", "regular"),
        ("office_automation", "full"),
        ("online_filing", "yes"),
        ("public_ip_database", "yes"),
        ("inter_agency_cooperation", "4"),
        ("enforcement_capacity", ""),
        ("enforcement_gaps", ""),
        ("patent_info_center", "yes"),
        ("patent_info_use", "4"),
        ("public_awareness", ""),
        ("sme_ip_services", "yes"),
        ("university_ip_policies", "most"),
        ("tech_transfer_offices", "many"),
        ("ip_management_skills", "4"),
        ("creative_industries_study", "yes"),
        ("creative_sector_ip_skills", ""),
        ("copyright_administration", ""),
        ("collective_management", "functional"),
        ("ip_courses", "widespread"),
        ("ip_professionals", "4"),
        ("challenges", ""),
    ];
    let skipped = ["patent_pendency_months", "pending_applications"];
    // The lines are in questionnaire order.
    let asked_ids: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| !skipped.contains(id))
        .collect();
    assert_eq!(
        asked_ids,
        answers.iter().map(|(id, _)| *id).collect::<Vec<_>>()
    );
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved.yaml");
    let lines: Vec<&str> = answers.iter().map(|(_, v)| *v).collect();
    let run = interview(&lines, &["--save".as_ref(), save.as_os_str()]);
    run.expect_code(0, "interview");
    // Skip logic: the two backlog figures were not asked.
    let shown = asked(&run.stderr);
    assert_eq!(shown.len(), ids.len() - 2, "{shown:?}");
    for id in skipped {
        assert!(
            !shown.contains(&number_of(id)),
            "`{id}` was asked: {shown:?}"
        );
    }
    // The ranking is on stdout, prompts are not.
    assert!(!run.stdout.contains("[question"), "{}", run.stdout);
    let ranks = table_ranks(&run.stdout);
    assert!(!ranks.is_empty(), "a ranking on stdout:\n{}", run.stdout);
    let strategy = ranks.iter().find(|(_, id)| id == "national-ip-strategies");
    assert!(
        matches!(strategy, Some((rank, _)) if *rank <= 3),
        "national-ip-strategies in the top 3:\n{}",
        run.stdout
    );
    let saved = yaml(&std::fs::read_to_string(&save).unwrap());
    assert_eq!(saved["substantive_examination"], "none");
    assert_eq!(
        saved["staff_training"], "regular",
        "the line after `none` answered staff_training"
    );
    assert!(saved.get("patent_pendency_months").is_none(), "{saved}");
    assert_eq!(saved["ip_professionals"], 4);
}

/// Answers piped from a file saved with a byte-order mark (Notepad) keep no trace of it.
#[test]
fn a_piped_interview_drops_the_byte_order_mark_of_its_first_line() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved.yaml");
    let run = interview(
        &["\u{feff}UGA", "", "", "", "none"],
        &["--save".as_ref(), save.as_os_str()],
    );
    run.expect_code(0, "interview cut short");
    let saved = yaml(&std::fs::read_to_string(&save).unwrap());
    assert_eq!(saved["country"], "UGA");
}

#[test]
fn interview_save_writes_an_answers_file_that_score_reads() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved.yaml");
    // End of input after question 6: the answers so far are kept. The country typed by name
    // is saved as its code, which means it under any country table.
    let run = interview(
        &["Uganda", "", "", "", "none", "2"],
        &["--save".as_ref(), save.as_os_str()],
    );
    run.expect_code(0, "interview cut short");
    let text = std::fs::read_to_string(&save).unwrap();
    let saved = yaml(&text);
    let q = questionnaire();
    assert_eq!(saved["questionnaire"]["id"], q["id"], "{text}");
    assert_eq!(saved["questionnaire"]["version"], q["version"], "{text}");
    assert_eq!(saved["country"], "UGA");
    assert_eq!(saved["ip_strategy"], "none");
    assert_eq!(saved["policy_maker_awareness"], 2);
    assert!(
        saved.get("ldc_status").is_none(),
        "prefills are not answers:\n{text}"
    );
    assert!(
        saved.get("regional_system").is_none(),
        "prefills are not answers:\n{text}"
    );
    let scored = ipneeds().arg("score").arg(&save).args(["-f", "json"]).run();
    scored.expect_code(0, "score the saved answers");
    assert!(!scored.stderr.contains("warning"), "{}", scored.stderr);
    let report = scored.json();
    assert_eq!(report["profile"]["ip_strategy"], "none");
    assert_eq!(report["profile"]["policy_maker_awareness"], 2);
    let prefilled = report["prefilled"].as_array().unwrap();
    assert!(prefilled.contains(&"ldc_status".into()), "{prefilled:?}");
}

/// A choice is answered by its value or its number in the menu; an answer that skip logic sets
/// aside when an earlier answer changes comes back when that answer changes back.
#[test]
fn an_interview_takes_menu_numbers_and_keeps_answers_skip_logic_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved.yaml");
    let examination = number_of("substantive_examination");
    let pendency = number_of("patent_pendency_months");
    assert_eq!(
        pendency,
        examination + 1,
        "the test walks from one to the next"
    );
    let mut lines = vec![""; examination - 1];
    // full, 54 months; back twice; none (the pendency is set aside); back; full again.
    lines.extend(["full", "54", "<", "<", "none", "<", "1"]);
    let run = interview(&lines, &["--save".as_ref(), save.as_os_str()]);
    run.expect_code(0, "interview");
    assert!(
        run.stderr.contains(&format!(
            "question {pendency} `patent_pendency_months` no longer applies after that answer: its answer 54 is set aside"
        )),
        "{}",
        run.stderr
    );
    let saved = yaml(&std::fs::read_to_string(&save).unwrap());
    assert_eq!(saved["substantive_examination"], "full");
    assert_eq!(saved["patent_pendency_months"], 54, "the answer came back");
    // A number picks the menu's value; a number past the menu is refused as typed.
    let strategy = number_of("ip_strategy");
    let mut lines = vec![""; strategy - 1];
    lines.push("1");
    let save = dir.path().join("numbers.yaml");
    interview(&lines, &["--save".as_ref(), save.as_os_str()]).expect_code(0, "by number");
    let questionnaire = questionnaire();
    let question = (questionnaire["sections"].as_array().unwrap().iter())
        .flat_map(|s| s["questions"].as_array().unwrap().iter())
        .find(|q| q["id"] == "ip_strategy")
        .unwrap();
    let saved = yaml(&std::fs::read_to_string(&save).unwrap());
    assert_eq!(saved["ip_strategy"], question["values"][0]);
}

#[test]
fn interview_save_refuses_a_name_that_says_another_format() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["answers.xlsx", "answers.csv", "report.html"] {
        let save = dir.path().join(name);
        let run = interview(&["UGA"], &["--save".as_ref(), save.as_os_str()]);
        run.expect_code(2, name);
        assert!(
            run.stderr.contains("answers are saved as YAML"),
            "{}",
            run.stderr
        );
        assert!(!save.exists(), "{name}");
    }
}

#[test]
fn interview_shows_help_and_goes_back() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("saved.yaml");
    let lines = [
        "UGA", "", "", "", "none", "?", // help, then asked again
        "2", "<", // back to policy_maker_awareness
        "4",
    ];
    let run = interview(&lines, &["--save".as_ref(), save.as_os_str()]);
    run.expect_code(0, "interview");
    let help = question("policy_maker_awareness")["help"]
        .as_str()
        .unwrap()
        .to_string();
    // Wrapped to the terminal: the same words, in order.
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words(&run.stderr).contains(&words(&help)),
        "help shown:\n{}",
        run.stderr
    );
    let shown = asked(&run.stderr);
    let strategy = number_of("ip_strategy");
    let awareness = number_of("policy_maker_awareness");
    assert_eq!(
        shown.iter().filter(|&&n| n == strategy).count(),
        1,
        "{shown:?}"
    );
    assert_eq!(
        shown.iter().filter(|&&n| n == awareness).count(),
        3,
        "asked, again after help, again after going back: {shown:?}"
    );
    let saved = yaml(&std::fs::read_to_string(&save).unwrap());
    assert_eq!(saved["ip_strategy"], "none");
    assert_eq!(
        saved["policy_maker_awareness"], 4,
        "the answer given after going back"
    );
}

/// A file answered up to `office_automation`, as the tester's.
const ANSWERED_TO_AUTOMATION: &str =
    "country: UGA\nip_strategy: none\nsubstantive_examination: none\noffice_automation: full\n";

#[test]
fn a_scripted_interview_stops_at_a_line_it_cannot_take() {
    // Asked again, online_filing would take "no", meant for public_ip_database, and every
    // later answer would land one question off.
    for (bad, shown) in [
        (&b"yess"[..], "`yess`"),
        (b"Yes!", "`Yes!`"),
        (b"ye\xffs", "`ye\u{fffd}s`, which is not UTF-8 text"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shift.yaml");
        std::fs::write(&path, ANSWERED_TO_AUTOMATION).unwrap();
        let mut input = bad.to_vec();
        input.extend(b"\nno\n4\n4\n");
        let run = ipneeds()
            .args(["interview", "--resume"])
            .arg(&path)
            .arg("--save")
            .arg(&path)
            .stdin(input)
            .run();
        run.expect_code(2, "a rejected line");
        let error = run.stderr_line_with(&["error: <stdin>:1: `online_filing` is ", shown]);
        assert!(
            error.contains("yes or no") || error.contains("takes yes/no"),
            "what it accepts: {error}"
        );
        let online = number_of("online_filing");
        run.stderr_line_with(&[
            &format!("stopped at question {online} of"),
            "(`online_filing`)",
            "the answers before it are saved in",
            "correct line 1",
            &format!("to `ipneeds interview --resume {}`", path.display()),
            &format!("(it starts at question {online}, `online_filing`)"),
        ]);
        // Nothing after the bad line was read: no answer landed on the wrong question.
        assert_eq!(asked(&run.stderr), [online], "{}", run.stderr);
        assert!(run.stdout.is_empty(), "no ranking: {}", run.stdout);
        let text = std::fs::read_to_string(&path).unwrap();
        let saved = yaml(&text);
        assert_eq!(saved["office_automation"], "full", "{text}");
        assert!(saved.get("online_filing").is_none(), "{text}");
        assert!(saved.get("public_ip_database").is_none(), "{text}");
        // Continued as the message says, with the line corrected: every answer where it belongs.
        let resumed = ipneeds()
            .args(["interview", "--resume"])
            .arg(&path)
            .stdin("yes\nno\n4\n4\n")
            .run();
        resumed.expect_code(0, "resumed with the line corrected");
        let saved = yaml(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(saved["online_filing"], "yes");
        assert_eq!(saved["public_ip_database"], "no");
        assert_eq!(saved["inter_agency_cooperation"], 4);
        assert_eq!(saved["enforcement_capacity"], 4);
    }
}

/// An answer given by mistake can be taken back: Enter keeps it, `-` leaves the question
/// unanswered (there was no way back to "unknown" but editing the file).
#[test]
fn a_dash_takes_an_interview_answer_back() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("c1.yaml");
    // The country, three defaults kept, no IP strategy; back to it, and taken back.
    let run = interview(
        &["UGA", "", "", "", "none", "<", "-"],
        &["--save".as_ref(), save.as_os_str()],
    );
    run.expect_code(0, "a taken-back answer");
    let saved = yaml(&std::fs::read_to_string(&save).unwrap());
    assert_eq!(saved["country"], "UGA");
    assert!(saved.get("ip_strategy").is_none(), "{saved:?}");
    // Enter at the same place keeps it.
    let run = interview(
        &["UGA", "", "", "", "none", "<", ""],
        &["--save".as_ref(), save.with_extension("2.yaml").as_os_str()],
    );
    run.expect_code(0, "a kept answer");
    let saved = yaml(&std::fs::read_to_string(save.with_extension("2.yaml")).unwrap());
    assert_eq!(saved["ip_strategy"], "none");
}

/// At a menu, a number and a value may be mixed (`1;none` was read as the value `1`), and a
/// number the menu lacks is said to be one (it was reported as an unknown value).
#[test]
fn interview_menu_numbers_mix_with_values_and_a_missing_item_is_named() {
    let mixed = interview(&["UGA", "", "1;none"], &[]);
    mixed.expect_code(2, "none with another value");
    mixed.stderr_line_with(&["`regional_system` is `aripo;none`", "keep `none` alone"]);
    let beyond = interview(&["UGA", "", "", "9"], &[]);
    beyond.expect_code(2, "a number the menu lacks");
    beyond.stderr_line_with(&[
        "`regional_cooperation_interest`: the menu has no item 9: type a number from 1 to 5",
    ]);
}

#[test]
fn a_scripted_interview_says_which_line_to_give_again() {
    let dir = tempfile::tempdir().unwrap();
    let save = dir.path().join("new.yaml");
    // Lines 2 to 4 leave questions 2 to 4 unanswered; line 5 is no IP strategy.
    let run = interview(
        &["UGA", "", "", "", "maybe", "2"],
        &["--save".as_ref(), save.as_os_str()],
    );
    run.expect_code(2, "a rejected line");
    run.stderr_line_with(&[
        "<stdin>:5: `ip_strategy` is `maybe`",
        "adopted, in_preparation, none",
    ]);
    run.stderr_line_with(&[
        "correct line 5",
        "give the lines from line 2 on to",
        "(it starts at question 2, `ldc_status`)",
    ]);
    assert_eq!(
        yaml(&std::fs::read_to_string(&save).unwrap())["country"],
        "UGA"
    );
    // Without --save, or before any answer: nothing saved, and the message says so.
    let run = interview(&["UGA", "", "", "", "maybe"], &[]);
    run.expect_code(2, "without --save");
    run.stderr_line_with(&["nothing was saved (no --save)", "correct line 5"]);
    let first = dir.path().join("first.yaml");
    let run = interview(&["Senegl", ""], &["--save".as_ref(), first.as_os_str()]);
    run.expect_code(2, "the first line rejected");
    run.stderr_line_with(&["<stdin>:1: unknown country `Senegl`", "Senegal (SEN)"]);
    run.stderr_line_with(&["(`country`)", "no answer came before it", "correct line 1"]);
    assert!(!first.exists(), "no empty answers file");
}

#[test]
fn interview_resume_starts_at_the_first_unanswered_question() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.yaml");
    std::fs::write(
        &path,
        "country: UGA\nldc_status: ldc\nregional_system: [aripo]\nip_strategy: none\n",
    )
    .unwrap();
    let run = interview(
        &["2"],
        &[
            "--resume".as_ref(),
            path.as_os_str(),
            "--save".as_ref(),
            path.as_os_str(),
        ],
    );
    run.expect_code(0, "interview --resume");
    let shown = asked(&run.stderr);
    assert_eq!(
        shown.first(),
        Some(&number_of("policy_maker_awareness")),
        "{shown:?}"
    );
    let saved = yaml(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(saved["policy_maker_awareness"], 2);
    assert_eq!(saved["ip_strategy"], "none", "earlier answers kept");
    assert_eq!(saved["country"], "UGA");
}

/// `--resume FILE` alone continues the file where it is, as the README's example does: the
/// answers given after it are not lost; `--save` another file leaves the first as it was.
#[test]
fn interview_resume_alone_saves_into_the_resumed_file() {
    let first = "country: UGA\nldc_status: ldc\nregional_system: [aripo]\nip_strategy: none\n";
    let run = ipneeds()
        .file("answers.yaml", first)
        .args(["interview", "--resume", "answers.yaml"])
        .stdin("2\n")
        .run();
    run.expect_code(0, "interview --resume");
    let saved = yaml(&std::fs::read_to_string(run.path("answers.yaml")).unwrap());
    assert_eq!(saved["policy_maker_awareness"], 2);
    assert_eq!(saved["ip_strategy"], "none", "earlier answers kept");
    run.stderr_contains("answers saved to answers.yaml");

    let copy = ipneeds()
        .file("answers.yaml", first)
        .args([
            "interview",
            "--resume",
            "answers.yaml",
            "--save",
            "new.yaml",
        ])
        .stdin("2\n")
        .run();
    copy.expect_code(0, "interview --resume A --save B");
    assert_eq!(
        std::fs::read_to_string(copy.path("answers.yaml")).unwrap(),
        first
    );
    let saved = yaml(&std::fs::read_to_string(copy.path("new.yaml")).unwrap());
    assert_eq!(saved["policy_maker_awareness"], 2);
}

/// Runs `ipneeds interview ARGS` in `dir` on the lines `input`, and sends Ctrl-C (SIGINT) once
/// `shown` is on stderr; the exit status and stderr.
#[cfg(unix)]
fn interrupt_interview(
    dir: &Path,
    args: &[&str],
    input: &[u8],
    shown: &str,
) -> (std::process::ExitStatus, String) {
    use std::io::Write as _;
    let mut child = Ipneeds::new()
        .arg("interview")
        .args(args)
        .current_dir(dir)
        .command()
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input).unwrap();
    stdin.flush().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (lines, so_far) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buffer = [0u8; 4096];
        while let Ok(n @ 1..) = std::io::Read::read(&mut stderr, &mut buffer) {
            all.extend_from_slice(&buffer[..n]);
            let _ = lines.send(String::from_utf8_lossy(&all).into_owned());
        }
        String::from_utf8_lossy(&all).into_owned()
    });
    loop {
        let text = so_far
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("the interview ended before it was interrupted");
        if text.contains(shown) {
            break;
        }
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    drop(stdin);
    (status, reader.join().unwrap())
}

/// Ctrl-C in an interview saved nowhere keeps the answers so far in a new file, never over an
/// existing one, and says where and how to go on.
#[cfg(unix)]
#[test]
fn an_interrupted_interview_keeps_its_answers_in_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("answers.yaml"), "mine: keep\n").unwrap();
    // The country, the two prefilled answers kept, no answer on regional cooperation, an IP
    // strategy; then the person stops, at the question after the strategy's.
    let next = format!("[question {} of", number_of("ip_strategy") + 1);
    let (status, stderr) = interrupt_interview(dir.path(), &[], b"UGA\n\n\n\nnone\n", &next);
    assert_eq!(status.code(), Some(130), "{stderr}");
    let kept = dir.path().join("answers-2.yaml");
    assert!(
        stderr.contains("interrupted: the answers so far were saved to answers-2.yaml; go on with `ipneeds interview --resume answers-2.yaml`"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("answers.yaml")).unwrap(),
        "mine: keep\n"
    );
    let saved = yaml(&std::fs::read_to_string(&kept).unwrap());
    assert_eq!(saved["country"], "UGA");
    assert_eq!(saved["ip_strategy"], "none");
}

/// Answers set aside after going back (`<`) and changing an earlier answer are not in the
/// file Ctrl-C leaves, with `--save` or without: the file was saved right after the change,
/// before the interview reached them, and kept a backlog for an office that does not examine,
/// which `score` then counted (helper 143).
#[cfg(unix)]
#[test]
fn an_interrupted_interview_keeps_no_answer_it_set_aside() {
    let mut script = "UGA\n".to_string();
    script += &"\n".repeat(number_of("substantive_examination") - 2);
    script += "full\n36\n1,200\n<\n<\n<\nnone\n";
    assert_eq!(
        number_of("patent_pendency_months"),
        number_of("substantive_examination") + 1
    );
    assert_eq!(
        number_of("pending_applications"),
        number_of("substantive_examination") + 2
    );
    let shown = "`pending_applications` no longer applies after that answer";
    for (args, file) in [
        (&["--save", "s.yaml"][..], "s.yaml"),
        (&[][..], "answers.yaml"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (status, stderr) = interrupt_interview(dir.path(), args, script.as_bytes(), shown);
        assert_eq!(status.code(), Some(130), "{stderr}");
        let saved = yaml(&std::fs::read_to_string(dir.path().join(file)).unwrap());
        assert_eq!(saved["substantive_examination"], "none", "{stderr}");
        assert!(saved.get("patent_pendency_months").is_none(), "{saved:?}");
        assert!(saved.get("pending_applications").is_none(), "{saved:?}");
    }
}

/// Ctrl-C before the first answer of an interview with `--save` names no file: none was
/// written (it used to say the answers were saved there, and `--resume` then failed).
#[cfg(unix)]
#[test]
fn an_interview_interrupted_before_any_answer_says_nothing_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (status, stderr) =
        interrupt_interview(dir.path(), &["--save", "q1.yaml"], b"", "[question 1 of");
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: no question was answered, so nothing was saved"),
        "{stderr}"
    );
    assert!(!dir.path().join("q1.yaml").exists());
}

#[test]
fn interview_resume_saved_onto_itself_keeps_every_comment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.yaml");
    let notes = "\
# sources: URSB annual report 2023
# checked with the registrar, May 2024
country: UGA   # Uganda

ip_strategy: none   # draft strategy stalled
# awareness judged from interviews
policy_maker_awareness: 2
regional_system:
  - aripo   # member since 1978
substantive_examination: full
patent_examiners: 3   # only 3 FTE
# to ask: the backlog
";
    std::fs::write(&path, notes).unwrap();
    let comments: Vec<&str> = notes
        .lines()
        .filter_map(|line| line.find('#').map(|at| &line[at..]))
        .collect();
    assert_eq!(comments.len(), 8);
    let resume = |lines: &[&str]| {
        interview(
            lines,
            &[
                "--resume".as_ref(),
                path.as_os_str(),
                "--save".as_ref(),
                path.as_os_str(),
            ],
        )
        .expect_code(0, "interview --resume F --save F");
        std::fs::read_to_string(&path).unwrap()
    };
    // Resumed after patent_examiners: office_capacity, then staff_training.
    let text = resume(&["4", "regular"]);
    for comment in &comments {
        assert_eq!(text.matches(comment).count(), 1, "`{comment}`:\n{text}");
    }
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle}:\n{text}"))
    };
    assert!(at("# sources: URSB") < at("\ncountry:"), "{text}");
    assert!(
        at("# awareness judged") < at("\npolicy_maker_awareness:"),
        "{text}"
    );
    assert!(
        text.contains("patent_examiners: 3  # only 3 FTE\n"),
        "{text}"
    );
    assert!(text.contains("\"aripo\"]  # member since 1978\n"), "{text}");
    // The last comment stood by no answer: kept at the end, under a line that says so.
    let kept = text
        .split("kept from the earlier file")
        .nth(1)
        .unwrap_or_else(|| panic!("{text}"));
    assert!(kept.contains("# to ask: the backlog"), "{text}");
    let saved = yaml(&text);
    for (id, value) in [
        ("country", Value::from("UGA")),
        ("ip_strategy", "none".into()),
        ("policy_maker_awareness", 2.into()),
        ("substantive_examination", "full".into()),
        ("patent_examiners", 3.into()),
        ("office_capacity", 4.into()),
        ("staff_training", "regular".into()),
    ] {
        assert_eq!(saved[id], value, "`{id}`:\n{text}");
    }
    assert_eq!(saved["regional_system"], serde_json::json!(["aripo"]));
    // Resumed again with nothing more: the same file, no comment twice.
    assert_eq!(resume(&[]), text);
}

#[test]
fn interview_save_does_not_wipe_existing_answers_when_nothing_is_answered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.yaml");
    std::fs::write(&path, "country: UGA\nip_strategy: none\n").unwrap();
    let run = interview(&[], &["--save".as_ref(), path.as_os_str()]);
    assert!(!run.stderr.contains("panicked"));
    let saved = yaml(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(
        saved["ip_strategy"], "none",
        "the earlier answers are still there"
    );
}

// ---------------------------------------------------------------------------------------------
// check

#[test]
fn check_without_files_accepts_the_builtin_data() {
    let run = ipneeds().arg("check").run();
    run.expect_code(0, "check");
    assert!(run.stderr.contains("ok"), "{}", run.stderr);
}

#[test]
fn check_lists_every_problem_of_an_answers_file() {
    let text = std::fs::read_to_string(fixture("answers-bad.yaml")).unwrap();
    let run = ipneeds()
        .current_dir(fixtures())
        .args(["check", "answers-bad.yaml"])
        .run();
    run.expect_code(1, "check bad answers");
    for key in [
        "ip_strategy:",
        "ip_stratgy:",
        "policy_maker_awareness:",
        "online_filing:",
        "patent_examiners:",
        "regional_system:",
    ] {
        let at = format!("answers-bad.yaml:{}:", line_of(&text, key));
        run.stderr_line_with(&[&at, key.trim_end_matches(':')]);
    }
    run.stderr_line_with(&["6 problem(s)", "answers-bad.yaml"]);
}

/// Files given to `check` together are checked with each other, as `--catalog` and
/// `--synonyms` would use them: synonyms against the catalog beside them, not the built-in one.
#[test]
fn check_reads_a_catalog_and_synonyms_given_together_as_a_pair() {
    let catalog = std::fs::read_to_string(repo().join("data/programs.yaml")).unwrap();
    let synonyms = std::fs::read_to_string(repo().join("data/synonyms.yaml")).unwrap();
    let without_backlog = catalog.replace("backlog", "arrears");
    let run = ipneeds()
        .file("cat.yaml", &without_backlog)
        .file("syn.yaml", &synonyms)
        .args(["check", "cat.yaml", "syn.yaml"])
        .run();
    run.expect_code(1, "check cat.yaml syn.yaml");
    run.stderr_line_with(&["syn.yaml:", "`backlog`", "not a word of cat.yaml"]);
    // The same files as options say the same.
    let run = ipneeds()
        .file("cat.yaml", &without_backlog)
        .file("syn.yaml", &synonyms)
        .args(["--catalog", "cat.yaml", "--synonyms", "syn.yaml", "check"])
        .run();
    run.expect_code(1, "check with options");
    run.stderr_line_with(&["syn.yaml:", "`backlog`", "not a word of cat.yaml"]);
}

/// An answers file is not reported "ok" when the questionnaire to read it with is refused.
#[test]
fn check_says_an_answers_file_was_not_checked_when_the_questionnaire_is_refused() {
    let run = ipneeds()
        .file("q.yaml", "sections: [\n")
        .file("answers.yaml", "ip_strategy: adopted\n")
        .args(["check", "--questionnaire", "q.yaml", "answers.yaml"])
        .run();
    run.expect_code(1, "check with a broken questionnaire");
    run.stderr_line_with(&["answers.yaml", "not checked"]);
    assert!(!run.stderr.contains("ok:"), "{}", run.stderr);
}

/// The country table is checked as a country table, not as a table of profiles.
#[test]
fn check_recognises_the_country_table() {
    let table = std::fs::read_to_string(repo().join("data/countries.csv")).unwrap();
    let run = ipneeds()
        .file("countries.csv", &table)
        .args(["check", "countries.csv"])
        .run();
    run.expect_code(0, "check countries.csv");
    let line = table.lines().position(|l| l.starts_with("UGA,")).unwrap() + 1;
    let broken: String = (table.lines())
        .map(|l| match l.starts_with("UGA,") {
            true => format!("{}\n", l.replace(",ldc,", ",ldcx,")),
            false => format!("{l}\n"),
        })
        .collect();
    assert_ne!(broken, table, "Uganda's row is as the test expects");
    let run = ipneeds()
        .file("countries.csv", &broken)
        .args(["check", "countries.csv"])
        .run();
    run.expect_code(1, "check a broken countries.csv");
    run.stderr_line_with(&[&format!("countries.csv:{line}:"), "`ldcx`"]);

    // Every bad row in one run, given as `--countries` too, with the answers read by it
    // named as not checked rather than checked against another table.
    let kenya = (broken.lines())
        .map(|l| match l.starts_with("KEN,") {
            true => format!("{}\n", l.replace("Africa,,,,", "Africa,,19x1,,")),
            false => format!("{l}\n"),
        })
        .collect::<String>();
    let kenya_line = table.lines().position(|l| l.starts_with("KEN,")).unwrap() + 1;
    let run = (ipneeds().file("countries.csv", &kenya))
        .file("ans.yaml", "country: UGA\n")
        .args(["--countries", "countries.csv", "check", "ans.yaml"])
        .run();
    run.expect_code(1, "check --countries with two bad rows");
    run.stderr_line_with(&[&format!("countries.csv:{line}:"), "`ldcx`"]);
    run.stderr_line_with(&[&format!("countries.csv:{kenya_line}:")]);
    run.stderr_line_with(&["ans.yaml: not checked"]);
    let each_once = run.stderr.matches("`ldcx`").count();
    assert_eq!(each_once, 1, "a problem listed twice:\n{}", run.stderr);
}

/// A program that no need of the questionnaire matches can only be raised by free text: an
/// edited questionnaire or catalog that leaves one out is named in a warning.
#[test]
fn check_names_a_program_no_need_reaches() {
    let questionnaire = "id: tiny\nversion: \"1\"\nsections:\n  - id: law\n    title: Law\n    questions:\n      - id: legislation_status\n        type: choice\n        prompt: Is the law up to date?\n        values: [current, outdated]\nneeds:\n  - id: legislation-update\n    text: formulation of updated IP legislation; advice on draft laws and regulations\n    raised_by:\n      - when: {answer: legislation_status, is: outdated}\n        weight: 2\n";
    let run = ipneeds()
        .file("tiny.yaml", questionnaire)
        .args(["check", "tiny.yaml"])
        .run();
    run.expect_code(0, "check a one-need questionnaire");
    let line = run.stderr_line_with(&[
        "warning: tiny.yaml: no need matches",
        "5 `creative-industries-economics`",
        "only free text",
    ]);
    assert!(!line.contains("legal-assistance"), "{}", run.stderr);
}

/// A need's word the catalog lacks (a slip, or a planner's word: needs are read without the
/// synonyms) matched nothing and passed `check`; so did a catalog with a program deleted, whose
/// needs then went to the programs left without a word, with "no problems" under the warning.
#[test]
fn check_names_a_need_s_words_the_catalog_lacks_and_a_deleted_program() {
    let questionnaire = "id: tiny\nversion: \"1\"\nsections:\n  - id: law\n    title: Law\n    questions:\n      - id: legislation_status\n        type: choice\n        prompt: Is the law up to date?\n        values: [current, outdated]\nneeds:\n  - id: legislation-update\n    text: formulation of updated IP legislaton; TISC advice on draft laws\n    raised_by:\n      - when: {answer: legislation_status, is: outdated}\n        weight: 2\n";
    let run = ipneeds()
        .file("tiny.yaml", questionnaire)
        .args(["check", "tiny.yaml"])
        .run();
    run.expect_code(1, "a need's words outside the catalog");
    run.stderr_line_with(&[
        "tiny.yaml:13:11: need `legislation-update`: `legislaton`, `TISC` are not words of",
        "so they match nothing",
    ]);
    // `score` warns of it too: the misspelt word silently moved the scores (helper 140).
    let run = ipneeds()
        .file("tiny.yaml", questionnaire)
        .file("answers.yaml", "legislation_status: outdated\n")
        .args(["--questionnaire", "tiny.yaml", "score", "answers.yaml"])
        .run();
    run.expect_code(0, "score with a need's words outside the catalog");
    run.stderr_line_with(&[
        "warning: tiny.yaml:13:11: need `legislation-update`: `legislaton`, `TISC` are not words of",
    ]);
    let catalog = std::fs::read_to_string(repo().join("data/programs.yaml")).unwrap();
    let last = catalog.rfind("\n  - id:").unwrap();
    let run = ipneeds()
        .file("programs.yaml", &catalog[..=last])
        .args(["check", "programs.yaml"])
        .run();
    run.expect_code(0, "a catalog of eleven programs");
    run.stderr_line_with(&[
        "warning: programs.yaml lacks program 12 `ip-education` of the built-in catalog",
        "restore it if deleted by mistake",
    ]);
    // The verdict under the warning does not say "no problems" (it did).
    // The built-in needs that quoted the program deleted lost those words: said too.
    run.stderr_line_with(&[
        "warning: <built-in questionnaires/ip-office-profile.yaml>:",
        "need `ip-education`: `curricula`, `design`, `younger`, `distance` are not words of programs.yaml",
        "keep them in the catalog",
    ]);
    run.stderr_line_with(&["ok: programs.yaml checked, no errors; read the 3 warnings above"]);
    run.stderr_lacks("no problems");
}

/// YAML's `true` and `false` are yes and no in a question's values as in its rules and
/// answers: `values: [true, false]` with a rule `is: false` once refused the rule's value.
#[test]
fn a_choice_of_true_and_false_reads_as_yes_and_no_everywhere() {
    let questionnaire = "id: tiny\nversion: \"1\"\nsections:\n  - id: law\n    title: Law\n    questions:\n      - id: law_current\n        type: choice\n        prompt: Is the law up to date?\n        values: [true, false]\nneeds:\n  - id: legislation-update\n    text: formulation of updated IP legislation; advice on draft laws and regulations\n    raised_by:\n      - when: {answer: law_current, is: false}\n        weight: 2\n";
    let run = ipneeds()
        .file("tiny.yaml", questionnaire)
        .file("answers.yaml", "law_current: false\n")
        .args([
            "--questionnaire",
            "tiny.yaml",
            "score",
            "--format",
            "json",
            "answers.yaml",
        ])
        .run();
    run.expect_code(0, "score with a choice of true and false");
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        report["programs"][0]["id"], "legal-assistance",
        "{}",
        run.stderr
    );
    assert!(
        report["programs"][0]["score"].as_f64().unwrap() > 0.0,
        "{}",
        run.stdout
    );
}

/// A rule's condition written wrong is named by its key, and one that can never hold (a
/// bound past what its question takes, `at_least` above `at_most`) is refused: such a rule
/// never raises its need, and nothing else would say so. So is one every answer meets, which
/// raises its need for every country.
#[test]
fn check_names_the_wrong_key_of_a_condition_and_a_rule_that_can_never_hold() {
    let examiners = "      - id: patent_examiners\n        type: integer\n        prompt: How many examiners?\n        min: 0\n        max: 100\n";
    let tiny = |when: &str| tiny_questionnaire(examiners, when);
    for (when, says) in [
        (
            "{answer: patent_examiners, at_least: \"ten\"}",
            "`at_least` is \"ten\", not a number: give a number",
        ),
        (
            "{answer: patent_examiners, atleast: 10}",
            "`atleast` is not a key of a condition (did you mean `at_least`?)",
        ),
        (
            "{answer: patent_examiners, at_least: 50, at_most: 10}",
            "can never hold: `at_least: 50` is above `at_most: 10`",
        ),
        (
            "{answer: patent_examiners, at_least: 500}",
            "can never hold: `at_least: 500` is above the most `patent_examiners` can be (100)",
        ),
        // Every answer meets these: the need would be raised for any country that answers.
        (
            "{answer: patent_examiners, at_least: 0}",
            "the condition holds for every answer: `patent_examiners` is always 0 to 100",
        ),
        (
            "{answer: patent_examiners, at_least: -5, at_most: 100}",
            "the condition holds for every answer",
        ),
    ] {
        let run = check_refuses_rule(tiny(when), when, "tiny.yaml:16:", says);
        assert!(
            !run.stderr.contains("check the YAML at that place"),
            "{}",
            run.stderr
        );
    }
}

/// A ratio rule is held to the range of the ratio, as an answer's rule is to the answer's: a
/// count over a count is never negative, so `at_most: -1` never raises its need and `at_least: 0`
/// raises it for every country that gives both numbers.
#[test]
fn check_refuses_a_ratio_rule_that_can_never_hold_or_always_holds() {
    let counts = "      - id: pending_applications\n        type: integer\n        prompt: How many pending?\n        min: 0\n      - id: patent_examiners\n        type: integer\n        prompt: How many examiners?\n        min: 1\n        max: 100\n";
    let tiny = |when: &str| tiny_questionnaire(counts, when);
    for (when, says) in [
        (
            "{ratio: [pending_applications, patent_examiners], at_most: -1}",
            "can never hold: `at_most: -1` is below the least the ratio `pending_applications / patent_examiners` can be (0)",
        ),
        (
            "{ratio: [pending_applications, patent_examiners], at_least: 0}",
            "the condition holds for every answer: the ratio `pending_applications / patent_examiners` is always 0 or more",
        ),
    ] {
        check_refuses_rule(tiny(when), when, "tiny.yaml:20:", says);
    }
    // The built-in rule (300 or more per examiner) is neither.
    check_tiny(tiny(
        "{ratio: [pending_applications, patent_examiners], at_least: 300}",
    ))
    .expect_code(0, "a ratio rule that tells countries apart");
}

/// A questionnaire of one section holding `questions` (YAML list items) and one need raised
/// when `when` holds.
fn tiny_questionnaire(questions: &str, when: &str) -> String {
    format!("id: tiny\nversion: \"1\"\nsections:\n  - id: office\n    title: Office\n    questions:\n{questions}needs:\n  - id: examination-backlog\n    text: reduction of backlog\n    raised_by:\n      - when: {when}\n        weight: 2\n")
}

/// `ipneeds check` of a questionnaire written as `tiny.yaml`.
fn check_tiny(questionnaire: String) -> Output {
    ipneeds()
        .file("tiny.yaml", questionnaire)
        .args(["check", "tiny.yaml"])
        .run()
}

/// `check` refuses the questionnaire's rule `when` (exit 1) with a line holding `at` and `says`.
fn check_refuses_rule(questionnaire: String, when: &str, at: &str, says: &str) -> Output {
    let run = check_tiny(questionnaire);
    run.expect_code(1, when);
    run.stderr_line_with(&[at, says]);
    run
}

/// A questionnaire given to `check` that YAML cannot read stands in for nothing: the answers
/// beside it are not checked against the built-in questionnaire instead (which told a user to
/// rename an answer that was right), and a catalog that cannot be used leaves the synonyms
/// beside it checked on their own, with a note saying so.
#[test]
fn check_never_reads_files_with_the_built_in_data_in_place_of_a_broken_file_given() {
    let questionnaire = questionnaire_text().replace("patent_examiners", "examiners");
    let broken = questionnaire.replacen("version: \"1.0\"", "version: \"1.0", 1);
    assert_ne!(
        broken, questionnaire,
        "the questionnaire's version line is as expected"
    );
    let run = ipneeds()
        .file("q.yaml", &broken)
        .file("a.yaml", "examiners: 4\n")
        .args(["check", "q.yaml", "a.yaml"])
        .run();
    run.expect_code(1, "check a broken questionnaire and its answers");
    run.stderr_line_with(&["a.yaml", "not checked"]);
    assert!(
        !run.stderr.contains("unknown field `examiners`"),
        "{}",
        run.stderr
    );
    let catalog = std::fs::read_to_string(repo().join("data/programs.yaml")).unwrap();
    let synonyms = std::fs::read_to_string(repo().join("data/synonyms.yaml")).unwrap();
    let run = ipneeds()
        .file("cat.yaml", catalog.replacen("number: 2", "number: [2", 1))
        .file("syn.yaml", &synonyms)
        .args(["check", "cat.yaml", "syn.yaml"])
        .run();
    run.expect_code(1, "check a broken catalog and synonyms");
    run.stderr_line_with(&["note: syn.yaml: checked on its own, not against a catalog"]);
    assert!(
        !run.stderr.contains("built-in data/programs.yaml"),
        "{}",
        run.stderr
    );
}

/// An answers file with a stray key is an answers file: the key is named at its line, not the
/// file taken for a catalog (`program:`) or a questionnaire (`needs:`).
#[test]
fn a_stray_data_key_in_an_answers_file_is_named_at_its_line() {
    for (stray, line) in [("program: policy-development", 3), ("needs: []", 3)] {
        let answers = format!("ip_strategy: none\npatent_examiners: 3\n{stray}\n");
        let key = stray.split(':').next().unwrap();
        for command in ["check", "score"] {
            let run = ipneeds()
                .file("a.yaml", &answers)
                .args([command, "a.yaml"])
                .run();
            run.stderr_line_with(&[&format!("a.yaml:{line}:1: unknown field `{key}`")]);
            assert!(!run.stderr.contains("this is a"), "{}", run.stderr);
        }
    }
}

/// An answers file's problems are listed as a CSV's are: the first twenty, then how many more
/// (`check` lists them all). A file of 200,000 unknown keys printed 200,000 lines.
#[test]
fn score_lists_twenty_problems_of_an_answers_file_and_counts_the_rest() {
    let keys: String = (0..30).map(|i| format!("key_{i}: 1\n")).collect();
    let run = ipneeds()
        .file("a.yaml", format!("ip_strategy: none\n{keys}"))
        .args(["score", "a.yaml"])
        .run();
    run.code(2);
    assert_eq!(
        run.stderr.matches("unknown field").count(),
        20,
        "{}",
        run.stderr
    );
    run.stderr_line_with(&["a.yaml:21:1: unknown field `key_19`"]);
    run.stderr_line_with(&["… and 10 more problems in the file, not listed"]);
}

/// Writes a copy of the questionnaire with `from` replaced by `to` and checks it.
fn check_questionnaire(from: &str, to: &str) -> (Output, String) {
    let original = questionnaire_text();
    assert!(
        original.contains(from),
        "the questionnaire contains {from:?}"
    );
    let edited = original.replacen(from, to, 1);
    let run = ipneeds()
        .file("q.yaml", &edited)
        .args(["check", "q.yaml"])
        .run();
    (run, edited)
}

const PENDENCY_WHEN: &str =
    "        when:\n          answer: substantive_examination\n          is: [\"full\", \"partial\"]\n        example: \"30\"";

#[test]
fn check_reports_a_condition_on_an_unknown_question() {
    let (run, edited) = check_questionnaire(
        PENDENCY_WHEN,
        &PENDENCY_WHEN.replace(
            "answer: substantive_examination",
            "answer: substantive_examinaton",
        ),
    );
    run.expect_code(1, "check when: unknown question");
    let at = format!("q.yaml:{}:", line_of(&edited, "substantive_examinaton"));
    run.stderr_line_with(&[
        &at,
        "unknown question `substantive_examinaton`",
        "did you mean `substantive_examination`",
    ]);
}

#[test]
fn check_reports_a_condition_on_a_later_question() {
    let (run, edited) = check_questionnaire(
        PENDENCY_WHEN,
        "        when:\n          answer: staff_training\n          is: [\"none\"]\n        example: \"30\"",
    );
    run.expect_code(1, "check when: later question");
    let at = format!("q.yaml:{}:", line_of(&edited, "answer: staff_training"));
    let line = run.stderr_line_with(&[&at, "patent_pendency_months", "staff_training"]);
    assert!(line.contains("later"), "says the order is wrong: {line}");
}

const STRATEGY_RULE: &str = "      - when: {answer: ip_strategy, is: none}\n        weight: 4";

#[test]
fn check_reports_a_negative_weight() {
    let (run, edited) = check_questionnaire(
        STRATEGY_RULE,
        &STRATEGY_RULE.replace("weight: 4", "weight: -1"),
    );
    run.expect_code(1, "check weight -1");
    let at = format!("q.yaml:{}:", line_of(&edited, "weight: -1"));
    let line = run.stderr_line_with(&[&at, "national-ip-strategy", "-1"]);
    assert!(line.contains("positive"), "{line}");
}

#[test]
fn check_reports_a_weight_that_is_not_a_number() {
    let (run, edited) = check_questionnaire(
        STRATEGY_RULE,
        &STRATEGY_RULE.replace("weight: 4", "weight: \"abc\""),
    );
    run.expect_code(1, "check weight abc");
    let at = format!("q.yaml:{}:", line_of(&edited, "weight: \"abc\""));
    run.stderr_line_with(&[&at]);
    assert!(
        run.stderr.contains("floating point") || run.stderr.contains("number"),
        "says a number is expected:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("weight: \"abc\""),
        "shows the line:\n{}",
        run.stderr
    );
}

/// A bound of `.nan` or `.inf` holds no answer to anything (`.nan` compares false with every
/// number). `check q.yaml` refused it, but `--questionnaire q.yaml` took it without a word, and
/// a pendency of 5000 months then scored.
#[test]
fn a_bound_that_is_not_finite_is_refused_by_every_command() {
    for (bound, written) in [("max: 600", "max: .nan"), ("min: 0", "min: -.inf")] {
        let pendency = "        min: 0\n        max: 600\n        unit: \"months\"";
        let edited = questionnaire_text().replacen(pendency, &pendency.replace(bound, written), 1);
        assert_ne!(edited, questionnaire_text());
        let at = line_of(&edited, written);
        let shown = written.replace(": ", " `");
        for command in [&["check"][..], &["score", "a.yaml"]] {
            ipneeds()
                .file("q.yaml", &edited)
                .file(
                    "a.yaml",
                    "substantive_examination: full\npatent_pendency_months: 5000\n",
                )
                .args(["--questionnaire", "q.yaml"])
                .args(command)
                .run()
                .expect_code(if command[0] == "check" { 1 } else { 2 }, written)
                .stderr_line_with(&[
                    &format!("q.yaml:{at}:"),
                    &format!("`patent_pendency_months` has {shown}`"),
                    "give a finite",
                ]);
        }
    }
}

/// `check` tells a questionnaire, catalog or synonyms file by its keys: one whose main key is
/// misspelt (`section:`) was read as answers, and every key called an unknown field, with the
/// advice to see `ipneeds template`; the typo itself was never named.
#[test]
fn check_names_a_misspelt_main_key_of_a_data_file() {
    let catalog = std::fs::read_to_string(repo().join("data/programs.yaml")).unwrap();
    let synonyms = "synonym:\n  - words: [TISC]\n    means: patent information\n";
    for (text, from, to) in [
        (questionnaire_text(), "\nsections:", "\nsection:"),
        (catalog, "\nprograms:", "\nprogram:"),
        (synonyms.to_string(), "", ""),
    ] {
        let edited = text.replacen(from, to, 1);
        let key = if to.is_empty() { "synonym:" } else { &to[1..] };
        let at = line_of(&edited, key);
        let key = key.trim_end_matches(':');
        let run = ipneeds()
            .file("f.yaml", &edited)
            .args(["check", "f.yaml"])
            .run();
        run.expect_code(1, key)
            .stderr_lacks("unknown field `id`")
            .stderr_lacks("ipneeds template");
        run.stderr_line_with(&[&format!(
            "f.yaml:{at}:1: unknown key `{key}`: did you mean `{key}s`?"
        )]);
    }
}

/// Reports and their cells name a need by its id: one with spaces, or the free-text
/// question's own id (which names the text's reasons), is refused at its line.
#[test]
fn check_reports_a_need_id_reports_could_not_tell_apart() {
    for (to, says) in [
        ("  - id: Legislation update", "is not usable"),
        ("  - id: challenges", "free-text question"),
    ] {
        let (run, _) = check_questionnaire("  - id: legislation-update", to);
        run.expect_code(1, to);
        let line = line_of(&questionnaire_text(), "  - id: legislation-update");
        run.stderr_line_with(&[&format!("q.yaml:{line}:"), says]);
    }
}

#[test]
fn check_reports_a_duplicate_question_id() {
    let (run, edited) = check_questionnaire(
        "      - id: online_filing",
        "      - id: public_ip_database",
    );
    run.expect_code(1, "check duplicate id");
    let first = line_of(&edited, "- id: public_ip_database");
    let second = edited
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("- id: public_ip_database"))
        .nth(1)
        .unwrap()
        .0
        + 1;
    let line = run.stderr_line_with(&[
        &format!("q.yaml:{second}:"),
        "`public_ip_database`",
        "twice",
    ]);
    assert!(
        line.contains(&format!("q.yaml:{first}:")),
        "names the first one: {line}"
    );
}

// ---------------------------------------------------------------------------------------------
// template

#[test]
fn csv_template_has_every_field_and_a_valid_example_row() {
    let template = ipneeds().arg("template").run();
    template.expect_code(0, "template");
    assert!(
        template.stdout.starts_with("id,country,ldc_status"),
        "{}",
        template.stdout
    );
    let records = csv_records(&template.stdout);
    assert_eq!(records.len(), 2, "a header and one example row");
    let mut header = vec!["id".to_string()];
    header.extend(question_ids());
    assert_eq!(records[0], header);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.csv");
    std::fs::write(&path, &template.stdout).unwrap();
    let batch = ipneeds().arg("batch").arg(&path).run();
    batch.expect_code(0, "batch on the template");
    let out = csv_records(&batch.stdout);
    assert_eq!(out.len(), 2, "header and one scored row:\n{}", batch.stdout);
    assert_eq!(out[1][0], records[1][0]);
    assert!(
        batch.stderr.contains("1 row(s) scored, 0 rejected"),
        "{}",
        batch.stderr
    );
}

#[test]
fn yaml_template_is_yaml_and_scores_unchanged() {
    let template = ipneeds().args(["template", "--format", "yaml"]).run();
    template.expect_code(0, "template --format yaml");
    let parsed = yaml(&template.stdout);
    let map = parsed.as_object().unwrap();
    assert_eq!(map["questionnaire"]["id"], questionnaire()["id"]);
    for id in question_ids() {
        assert_eq!(
            map.get(&id),
            Some(&Value::Null),
            "`{id}` is in the template, empty"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.yaml");
    std::fs::write(&path, &template.stdout).unwrap();
    let scored = ipneeds().arg("score").arg(&path).args(["-f", "json"]).run();
    scored.expect_code(0, "score the empty template");
    let report = scored.json();
    assert_eq!(report["profile"], serde_json::json!({}));
    assert_eq!(report["programs"].as_array().unwrap().len(), 12);
}

// ---------------------------------------------------------------------------------------------
// batch

/// Runs `batch` on a file holding `bytes`, with `extra` arguments.
fn batch_bytes(bytes: &[u8], extra: &[&str]) -> Output {
    let run = ipneeds().file("input.csv", bytes);
    let path = run.path("input.csv");
    run.arg("batch").arg(&path).args(extra).run()
}

/// Parses JSON Lines output.
fn jsonl(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn batch_reads_a_real_spreadsheet_export() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        b"id;country;ldc_status;regional_system;ip_strategy;patent_info_center;challenges\r\n\
r1;UGA;;;none;no;\"Backlog is growing; \r\nonly two examiners\"\r\n\
\r\n\
r2;SEN;;aripo|oapi;adopted;yes;\r\n\
r3;Malawi;;;in_preparation;;\r\n",
    );
    let run = batch_bytes(&bytes, &[]);
    run.expect_code(0, "batch spreadsheet export");
    assert!(
        !run.stderr.contains("warning"),
        "no unknown column (BOM):\n{}",
        run.stderr
    );
    assert!(
        run.stdout
            .starts_with("id,country,rank1_program,rank1_score,rank2_program,rank2_score,"),
        "{}",
        run.stdout
    );
    let records = csv_records(&run.stdout);
    let rows: Vec<(&str, &str)> = records[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(rows, [("r1", "UGA"), ("r2", "SEN"), ("r3", "MWI")]);
    let run = batch_bytes(&bytes, &["--format", "jsonl"]);
    run.expect_code(0, "batch spreadsheet export, jsonl");
    let objects = jsonl(&run.stdout);
    assert_eq!(objects.len(), 3);
    let challenges = objects[0]["profile"]["challenges"].as_str().unwrap();
    assert!(
        challenges.contains("growing;") && challenges.contains("only two examiners"),
        "the quoted cell keeps its delimiter and line break: {challenges:?}"
    );
    assert_eq!(
        objects[1]["profile"]["regional_system"],
        serde_json::json!(["aripo", "oapi"])
    );
    assert_eq!(objects[1]["profile"]["ip_strategy"], "adopted");
}

/// Excel's first line `sep=;` (written by tools for Excel, which reads it and shows no such
/// line) names the delimiter; the header is the line after it, and messages count from there.
/// It was read as the header: "no column is a profile field (found: sep=, )".
#[test]
fn an_excel_delimiter_line_names_the_delimiter_and_is_passed_over() {
    let plain = batch_bytes(
        b"id;country;regional_system\r\na;UGA;aripo\r\n",
        &["--format", "jsonl"],
    );
    plain.success();
    for bytes in [
        b"sep=;\r\nid;country;regional_system;colour\r\na;UGA;aripo;red\r\n".to_vec(),
        b"\xEF\xBB\xBFSEP=;\nid;country;regional_system;colour\na;UGA;aripo;red\n".to_vec(),
    ] {
        let run = batch_bytes(&bytes, &["--format", "jsonl"]);
        run.success()
            .stderr_line_with(&["input.csv:2: column `colour` is not a profile field"]);
        assert_eq!(jsonl(&run.stdout), jsonl(&plain.stdout));
    }
    let run = batch_bytes(b"sep=,\nid,country\na,XXX\n", &[]);
    run.expect_code(1, "a bad row counted from the delimiter line")
        .stderr_line_with(&["input.csv:3: column `country`", "unknown country `XXX`"]);
    ipneeds()
        .file("p.csv", "sep=;\nid;id\n")
        .args(["check", "p.csv"])
        .run()
        .expect_code(1, "check")
        .stderr_line_with(&["p.csv:2: column `id` appears twice"]);
}

/// A row of cells holding only what nobody sees (no-break spaces, a zero-width space pasted
/// in, spaces) is blank, and skipped as a blank row is: it was scored as a country with no
/// answers, and counted in the summary's means.
#[test]
fn a_row_of_invisible_characters_is_blank() {
    let run = batch_bytes(
        "id,country,ip_strategy\na,UGA,none\n\u{a0},\u{200b}, \u{a0}\n\u{feff},,\nb,KEN,none\n"
            .as_bytes(),
        &["--top", "1"],
    );
    run.success()
        .stderr_line_with(&["2 row(s) scored, 0 rejected"]);
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
}

/// A row with a value only in a column that is not read (a note, a line of sources under the
/// table) has no country, id or answer: it is skipped and named, not scored as one more
/// country with no needs that the summary counts.
#[test]
fn a_row_with_values_only_in_unread_columns_is_skipped_and_named() {
    let run = batch_bytes(
        b"country,ip_strategy,notes\nUGA,none,checked\n,,Source: office report 2023\nKEN,none,\n",
        &["--top", "1"],
    );
    run.success()
        .stderr_line_with(&["2 row(s) scored, 0 rejected"]);
    run.stderr_line_with(&[
        ":3: column `notes`",
        "only `Source: office report 2023`",
        "it is skipped, not scored or counted",
    ]);
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
}

/// A column with a blank header cell is read by no one: the warning says its values are not
/// read and how to have them read, not that a field name was not recognised.
#[test]
fn a_column_without_a_name_says_its_values_are_not_read() {
    let run = batch_bytes(b"country,,ip_strategy\nUGA,KEN,none\n", &["--top", "1"]);
    run.success().stderr_line_with(&[
        ":1: column 2 has no name in the header: any value in it is not read",
        "write the field's id in its header cell",
    ]);
}

/// Rows of empty cells above the header (`;;;`: a sheet with a blank first row, saved as CSV)
/// are passed over as blank rows below it are, and messages count lines from the file's top.
/// The file was refused as "empty".
#[test]
fn blank_rows_above_the_header_are_passed_over() {
    let plain = batch_bytes(
        b"id;country
a;UGA
",
        &["--format", "jsonl"],
    );
    plain.success();
    let run = batch_bytes(
        b";;
 ; 
id;country
a;UGA
",
        &["--format", "jsonl"],
    );
    run.success();
    assert_eq!(jsonl(&run.stdout), jsonl(&plain.stdout));
    batch_bytes(
        b",,
id,country
a,XXX
",
        &[],
    )
    .expect_code(1, "a bad row below a blank one")
    .stderr_line_with(&["input.csv:3: column `country`", "unknown country `XXX`"]);
}

#[test]
fn batch_reads_windows_1252_and_prefills_from_the_country_name() {
    let bytes = b"id,country,ip_strategy\r\nciv,C\xF4te d'Ivoire,none\r\nuga,UGA,adopted\r\n";
    let run = batch_bytes(bytes, &[]);
    run.expect_code(0, "batch windows-1252");
    let records = csv_records(&run.stdout);
    assert_eq!(records[1][..2], ["civ", "CIV"]);
    assert_eq!(records[2][..2], ["uga", "UGA"]);
    let run = batch_bytes(bytes, &["--format", "jsonl"]);
    run.expect_code(0, "batch windows-1252, jsonl");
    let first = &jsonl(&run.stdout)[0];
    assert_eq!(first["country"], "CIV");
    assert_eq!(
        first["profile"]["regional_system"],
        serde_json::json!(["oapi"])
    );
    let prefilled = first["prefilled"].as_array().unwrap();
    assert!(
        prefilled.contains(&"regional_system".into()),
        "{prefilled:?}"
    );
}

/// Letters a lossy save turned into `?` are named, once, with the place of the first: the
/// text is lost before ipneeds reads it (an Arabic answer saved as Windows-1252), and only the
/// original can give it back. A `?` or two typed in a sentence is no such loss.
#[test]
fn question_marks_a_lossy_save_left_are_warned_of_once() {
    let bytes = b"id,country,challenges\r\negy,EGY,\"???? ????? backlog\"\r\nuga,UGA,What?? backlog\r\nmar,MAR,?????\r\n";
    let run = batch_bytes(bytes, &[]);
    run.expect_code(0, "batch with ???");
    let warning = run.stderr_line_with(&[":2: column `challenges`", "`???`", "CSV UTF-8"]);
    assert!(warning.contains("Windows-1252"), "{warning}");
    run.stderr_line_with(&["2 rows in all hold `???`"]);
    assert_eq!(
        run.stderr.matches("the text holds `???`").count(),
        1,
        "{}",
        run.stderr
    );
    let run = batch_bytes(b"id,country,challenges\r\nuga,UGA,What?? backlog\r\n", &[]);
    assert!(!run.stderr.contains("???"), "{}", run.stderr);
}

/// Excel for Mac's "CSV (Macintosh)" export (Mac Roman) scores as the same table saved as CSV
/// UTF-8: ids, country names and free text read as typed, not as `C™te d’Ivoire`.
#[test]
fn batch_reads_a_mac_csv_as_its_utf8_twin() {
    let text =
        "id,country,challenges\r\nciv,Côte d’Ivoire,\"l’office a un arriéré de brevets\"\r\n\
                stp,São Tomé and Príncipe,no hay estrategia nacional ni señales\r\n";
    let utf8 = batch_bytes(text.as_bytes(), &["--format", "jsonl"]);
    utf8.expect_code(0, "batch of the UTF-8 table");
    let mac = batch_bytes(
        &encoding_rs::MACINTOSH.encode(text).0,
        &["--format", "jsonl"],
    );
    mac.expect_code(0, "batch of the Mac table");
    assert_eq!(mac.stdout, utf8.stdout);
    let first = &jsonl(&mac.stdout)[0];
    assert_eq!(first["country"], "CIV");
    assert_eq!(
        first["profile"]["challenges"],
        "l’office a un arriéré de brevets"
    );
}

/// A Windows-1252 file whose first accented letter comes after the first megabyte (thousands of
/// plain rows first) is read as Windows-1252, not taken for UTF-8 with its accented rows
/// rejected; a file in another code page (Cyrillic from a Russian-language Excel) is refused
/// with the fix, not garbled into Latin letters.
#[test]
fn a_file_s_encoding_is_decided_by_its_first_accented_letter_however_late() {
    let mut western = String::from("id,country,ip_strategy\n");
    for i in 0..60_000 {
        western.push_str(&format!("row-{i:05},UGA,none\n"));
    }
    let plain = western.len();
    assert!(plain > 1 << 20, "the plain rows fill the first megabyte");
    let mut bytes = western.into_bytes();
    bytes.extend_from_slice(b"civ,C\xF4te d'Ivoire,none\n");
    let run = batch_bytes(&bytes, &[]);
    run.expect_code(0, "batch of a late Windows-1252 letter");
    let records = csv_records(&run.stdout);
    assert_eq!(records.last().unwrap()[..2], ["civ", "CIV"]);
    run.stderr_line_with(&["60001 row(s) scored, 0 rejected"]);

    // "Kazakhstan" in Cyrillic, in Windows-1251: read as Windows-1252 it would be `Êàçàõñòàí`.
    let mut cyrillic = bytes[..plain].to_vec();
    cyrillic.extend_from_slice(b"\xCA\xE0\xE7\xE0\xF5\xF1\xF2\xE0\xED,KAZ,none\n");
    let run = batch_bytes(&cyrillic, &[]);
    run.expect_code(2, "a Cyrillic code page");
    run.stderr_line_with(&[
        ":60002: the file is not UTF-8, and read as Windows-1252 (Western European) it has words with no Latin letter, such as `Êàçàõñòàí`",
        "CSV UTF-8",
    ]);
}

#[test]
fn batch_scores_good_rows_and_lists_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("errors.csv");
    let run = ipneeds()
        .current_dir(fixtures())
        .args(["batch", "profiles-bad-rows.csv", "-n", "3", "--errors"])
        .arg(&errors)
        .run();
    run.expect_code(1, "batch with bad rows");
    let ids: Vec<String> = csv_records(&run.stdout)[1..]
        .iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(
        ids,
        ["good-1", "good-2", "good-3"],
        "good rows, in input order"
    );
    run.stderr_line_with(&["profiles-bad-rows.csv:3", "country", "Atlantis"]);
    run.stderr_line_with(&[
        "profiles-bad-rows.csv:5",
        "ip_strategy",
        "maybe",
        "adopted, in_preparation, none",
    ]);
    let listed = csv_records(&std::fs::read_to_string(&errors).unwrap());
    assert_eq!(
        listed[0],
        ["row", "id", "column", "value", "message", "location"]
    );
    assert_eq!(listed.len(), 3, "one line per problem: {listed:?}");
    assert_eq!(listed[1][..4], ["2", "bad-country", "country", "Atlantis"]);
    assert!(listed[1][4].contains("unknown country"), "{:?}", listed[1]);
    // The row counts rows of data; its location is the file's line, as on the terminal.
    assert!(
        listed[1][5].starts_with("profiles-bad-rows.csv:3"),
        "{:?}",
        listed[1]
    );
    assert_eq!(listed[2][..4], ["4", "bad-value", "ip_strategy", "maybe"]);
    assert!(listed[2][4].contains("allowed values"), "{:?}", listed[2]);
    assert!(
        listed[2][5].starts_with("profiles-bad-rows.csv:5"),
        "{:?}",
        listed[2]
    );
}

#[test]
fn batch_strict_writes_no_output_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let run = ipneeds()
        .arg("batch")
        .arg(fixture("profiles-bad-rows.csv"))
        .arg("--strict")
        .arg("-o")
        .arg(&out)
        .run();
    run.expect_code(1, "batch --strict");
    assert!(!out.exists(), "no output file with --strict");
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(leftovers.is_empty(), "nothing left behind: {leftovers:?}");
    run.stderr_line_with(&["Atlantis"]);
}

/// `--strict` on standard output: every row before the bad one has gone out, however the rows
/// were split between the workers (the rows of the bad row's block before it too), and none
/// after it.
#[test]
fn batch_strict_on_standard_output_writes_every_row_before_the_bad_one() {
    let good = 700;
    let mut input = String::from("id,ldc_status\n");
    for n in 0..good {
        input.push_str(&format!("r{n},ldc\n"));
    }
    input.push_str("bad,zzz\n");
    for n in 0..50 {
        input.push_str(&format!("after{n},ldc\n"));
    }
    for format in ["csv", "jsonl"] {
        let run = batch_bytes(input.as_bytes(), &["--strict", "--format", format]);
        run.expect_code(1, "batch --strict to standard output");
        let ids: Vec<String> = match format {
            "csv" => csv_records(&run.stdout)[1..]
                .iter()
                .map(|r| r[0].clone())
                .collect(),
            _ => jsonl(&run.stdout)
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_string())
                .collect(),
        };
        let expected: Vec<String> = (0..good).map(|n| format!("r{n}")).collect();
        assert_eq!(ids, expected, "{format}");
        run.stderr_line_with(&["--strict", "incomplete"]);
    }
}

/// `--strict --errors FILE`: no output, but the errors file lists the row that stopped it.
#[test]
fn batch_strict_keeps_the_errors_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let errors = dir.path().join("errors.csv");
    let run = ipneeds()
        .arg("batch")
        .arg(fixture("profiles-bad-rows.csv"))
        .arg("--strict")
        .arg("-o")
        .arg(&out)
        .arg("--errors")
        .arg(&errors)
        .run();
    run.expect_code(1, "batch --strict --errors");
    assert!(!out.exists(), "no output file with --strict");
    let listed = std::fs::read_to_string(&errors).unwrap();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "header and the first bad row: {listed}");
    assert!(lines[1].contains("Atlantis"), "{listed}");
    run.stderr_line_with(&["--strict", "errors.csv"]);
}

#[test]
fn batch_scores_the_rows_without_a_misspelt_column_and_fails() {
    let run = batch_bytes(b"id,country,ip_stratgy\na,UGA,none\n", &[]);
    run.expect_code(1, "batch misspelt column");
    run.stderr_line_with(&["warning", "ip_stratgy", "did you mean `ip_strategy`"]);
    assert_eq!(csv_records(&run.stdout).len(), 2);
}

#[test]
fn batch_top_reasons_cite_only_the_programs_the_row_shows() {
    let input =
        b"id,country,ip_strategy,office_automation,patent_info_center\na,UGA,none,none,no\n";
    for (top, cited) in [("1", 1), ("2", 2), ("5", 3)] {
        let run = batch_bytes(input, &["--top", top]);
        run.expect_code(0, "batch --top");
        let records = csv_records(&run.stdout);
        let reasons = records[1].last().unwrap();
        assert_eq!(
            reasons.split(" | ").count(),
            cited,
            "--top {top}: {reasons}"
        );
        // Each cited program is one of the ranks shown.
        for part in reasons.split(" | ") {
            let program = part.split(':').next().unwrap();
            assert!(
                records[1].iter().any(|cell| cell == program),
                "--top {top}: {program}"
            );
        }
    }
}

#[test]
fn batch_reads_a_header_written_in_words() {
    // "IP strategy" as a person types the field id: read as ip_strategy, not ignored.
    let words = batch_bytes(
        b"ID,Country,IP strategy,Patent-examiners\na,UGA,none,3\n",
        &[],
    );
    words.expect_code(0, "batch header in words");
    let ids = batch_bytes(
        b"id,country,ip_strategy,patent_examiners\na,UGA,none,3\n",
        &[],
    );
    assert_eq!(words.stdout, ids.stdout);
    assert!(
        words.stdout.contains("national-ip-strategies"),
        "{}",
        words.stdout
    );
    // Both spellings of one field are one column given twice.
    let twice = batch_bytes(b"id,ip strategy,ip_strategy\na,none,none\n", &[]);
    twice.expect_code(2, "batch field given twice");
    twice.stderr_line_with(&[
        "columns `ip strategy` and `ip_strategy`",
        "are the same column",
        "keep one",
    ]);
}

#[test]
fn batch_refuses_a_duplicated_column() {
    let run = batch_bytes(b"id,country,ip_strategy,country\na,UGA,none,UGA\n", &[]);
    run.expect_code(2, "batch duplicated column");
    run.stderr_line_with(&["country", "twice"]);
    assert_eq!(run.stdout, "");
}

/// ldc_status by id from `batch --format jsonl` on the prefill fixture at `date`.
fn prefilled_at(date: &str) -> Vec<(String, String, String)> {
    let run = ipneeds_as_of(date)
        .arg("batch")
        .arg(fixture("profiles-prefill.csv"))
        .args(["--format", "jsonl"])
        .run();
    run.expect_code(0, "batch prefill");
    jsonl(&run.stdout)
        .iter()
        .map(|o| {
            assert!(
                o["prefilled"]
                    .as_array()
                    .unwrap()
                    .contains(&"ldc_status".into()),
                "{o}"
            );
            (
                o["id"].as_str().unwrap().to_string(),
                o["country"].as_str().unwrap().to_string(),
                o["profile"]["ldc_status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn batch_prefills_ldc_status_as_of_the_given_date() {
    let status = |rows: &[(String, String, String)], id: &str| {
        rows.iter()
            .find(|(i, _, _)| i == id)
            .map(|(_, c, s)| format!("{c} {s}"))
            .unwrap()
    };
    let early = prefilled_at("2026-01-01");
    let late = prefilled_at("2030-01-01");
    assert_eq!(status(&early, "bangladesh"), "BGD graduating");
    assert_eq!(status(&late, "bangladesh"), "BGD graduated");
    assert_eq!(status(&early, "angola"), "AGO ldc");
    assert_eq!(status(&late, "angola"), "AGO ldc", "graduation deferred");
    assert!(
        status(&early, "tanzania").starts_with("TZA "),
        "by English name"
    );
    assert_eq!(status(&early, "uganda"), "UGA ldc", "by alpha-2 code");
}

/// A 1,000-row profile CSV with varied valid answers and ids not in sorted order.
fn thousand_rows() -> (String, Vec<String>) {
    let countries = [
        "UGA",
        "Kenya",
        "MW",
        "SEN",
        "BGD",
        "FRA",
        "BRA",
        "Côte d'Ivoire",
        "",
    ];
    let strategies = ["adopted", "in_preparation", "none", ""];
    let examination = ["full", "partial", "none", ""];
    let booleans = ["yes", "no", ""];
    let texts = [
        "",
        "\"Backlog, few examiners\"",
        "no patent information centre",
        "\"SMEs, universities and \"\"tech transfer\"\"\"",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut text = String::from(
        "id,country,ip_strategy,policy_maker_awareness,substantive_examination,patent_examiners,pending_applications,patent_info_center,challenges\n",
    );
    let mut ids = Vec::new();
    for i in 0..1000 {
        let id = format!("p{:04}", (i * 7919) % 1000);
        let scale = if next(5) == 0 {
            String::new()
        } else {
            (1 + next(5)).to_string()
        };
        let examiners = if next(3) == 0 {
            String::new()
        } else {
            next(200).to_string()
        };
        let pending = if next(3) == 0 {
            String::new()
        } else {
            (next(100) * 97).to_string()
        };
        text.push_str(&format!(
            "{id},{},{},{scale},{},{examiners},{pending},{},{}\n",
            countries[next(countries.len())],
            strategies[next(strategies.len())],
            examination[next(examination.len())],
            booleans[next(booleans.len())],
            texts[next(texts.len())],
        ));
        ids.push(id);
    }
    (text, ids)
}

#[test]
fn batch_output_is_in_input_order_and_deterministic() {
    let (input, ids) = thousand_rows();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.csv");
    std::fs::write(&path, &input).unwrap();
    let mut outputs = Vec::new();
    for n in 1..=2 {
        let out = dir.path().join(format!("out{n}.csv"));
        let run = ipneeds().arg("batch").arg(&path).arg("-o").arg(&out).run();
        run.expect_code(0, "batch 1,000 rows");
        assert!(
            run.stderr.contains("1000 row(s) scored, 0 rejected"),
            "{}",
            run.stderr
        );
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert!(outputs[0] == outputs[1], "two runs give the same bytes");
    let text = String::from_utf8(outputs[0].clone()).unwrap();
    let records = csv_records(&text);
    let out_ids: Vec<String> = records[1..].iter().map(|r| r[0].clone()).collect();
    assert_eq!(out_ids, ids, "ids in input order");
    // The rows really differ: many distinct first-ranked programs and scores.
    let firsts: std::collections::BTreeSet<&str> =
        records[1..].iter().map(|r| r[2].as_str()).collect();
    let scores: std::collections::BTreeSet<&str> =
        records[1..].iter().map(|r| r[3].as_str()).collect();
    assert!(firsts.len() >= 3 && scores.len() >= 20, "{firsts:?}");
}

#[test]
fn batch_dash_reads_standard_input_and_writes_standard_output() {
    let run = ipneeds()
        .args(["batch", "-", "-n", "2"])
        .stdin("id,country,ip_strategy\nx,UGA,none\ny,KEN,adopted\n")
        .run();
    run.expect_code(0, "batch -");
    let records = csv_records(&run.stdout);
    assert_eq!(
        records[0],
        [
            "id",
            "country",
            "rank1_program",
            "rank1_score",
            "rank2_program",
            "rank2_score",
            "top_reasons"
        ]
    );
    assert_eq!(records[1][..2], ["x", "UGA"]);
    assert_eq!(records[2][..2], ["y", "KEN"]);
}

#[test]
fn batch_refuses_to_write_over_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.csv");
    let original = std::fs::read(fixture("profiles-prefill.csv")).unwrap();
    std::fs::write(&path, &original).unwrap();
    let run = ipneeds().arg("batch").arg(&path).arg("-o").arg(&path).run();
    run.expect_code(2, "batch -o INPUT");
    run.stderr_line_with(&["the output is the input"]);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        original,
        "the input is unchanged"
    );
}

#[test]
fn batch_neutralises_formulas_in_csv_output() {
    let run = batch_bytes(b"id,country\n\"=HYPERLINK(\"\"x\"\")\",UGA\n", &["-n", "1"]);
    run.expect_code(0, "batch formula id");
    let records = csv_records(&run.stdout);
    assert_eq!(records[1][0], "'=HYPERLINK(\"x\")");
}

#[test]
fn batch_json_is_an_array_and_jsonl_one_object_per_line() {
    let input = std::fs::read(fixture("profiles-prefill.csv")).unwrap();
    let run_json = batch_bytes(&input, &["--format", "json"]);
    run_json.expect_code(0, "batch --format json");
    let array = run_json.json();
    let array = array.as_array().expect("a JSON array");
    assert_eq!(array.len(), 4);
    let run_lines = batch_bytes(&input, &["--format", "jsonl"]);
    run_lines.expect_code(0, "batch --format jsonl");
    let lines = jsonl(&run_lines.stdout);
    assert_eq!(lines.len(), 4);
    for (object, line) in array.iter().zip(&lines) {
        assert_eq!(object, line, "json and jsonl hold the same objects");
        for key in ["row", "id", "country", "profile", "programs"] {
            assert!(line.get(key).is_some(), "`{key}` missing: {line}");
        }
        assert_eq!(line["programs"].as_array().unwrap().len(), 12);
    }
    assert_eq!(lines[0]["id"], "bangladesh");
    assert_eq!(lines[0]["row"], 1);
}

/// `n` rows of varied answers: countries of several regions and none, every strategy state,
/// backlogs of every size.
fn varied_rows(n: usize) -> Vec<u8> {
    let countries = ["UGA", "SEN", "BGD", "", "PER", "KAZ", "MAR"];
    let strategies = ["none", "in_preparation", "adopted", ""];
    let mut csv = b"id,country,ip_strategy,patent_info_center,patent_pendency_months,pending_applications,patent_examiners\n".to_vec();
    for i in 0..n {
        csv.extend_from_slice(
            format!(
                "r{i},{},{},{},{},{},{}\n",
                countries[i % countries.len()],
                strategies[i % strategies.len()],
                if i % 3 == 0 { "no" } else { "yes" },
                12 + (i * 7) % 80,
                100 + (i * 131) % 9000,
                1 + i % 40
            )
            .as_bytes(),
        );
    }
    csv
}

/// JSONL is written a row at a time: each line parses alone, in input order. A reason's catalog
/// line is named by field and position (no text); `--detail full` adds the text, which is that
/// line of the catalog, and the highlights, ranges of it. A brief reason names its need, which
/// the row's `needs` describes once as every whole reason from it does.
#[test]
fn batch_jsonl_rows_name_catalog_lines_and_detail_full_gives_their_text() {
    let rows = 300;
    let input = varied_rows(rows);
    let brief = batch_bytes(&input, &["--format", "jsonl"]);
    brief.expect_code(0, "batch --format jsonl");
    let full = batch_bytes(&input, &["--format", "jsonl", "--detail", "full"]);
    full.expect_code(0, "batch --format jsonl --detail full");
    let (brief, full) = (jsonl(&brief.stdout), jsonl(&full.stdout));
    assert_eq!(brief.len(), rows);
    let catalog = ipneeds::Catalog::builtin().unwrap();
    let mut lines = 0;
    for (n, (row, full_row)) in brief.iter().zip(&full).enumerate() {
        assert_eq!(row["row"], n as u64 + 1, "input order");
        assert_eq!(row["id"], format!("r{n}"));
        for (program, full_program) in row["programs"]
            .as_array()
            .unwrap()
            .iter()
            .zip(full_program_list(full_row))
        {
            let entry = catalog
                .programs
                .iter()
                .find(|p| p.id == program["id"].as_str().unwrap())
                .unwrap();
            for (reason, full_reason) in program["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .zip(full_program["reasons"].as_array().unwrap())
            {
                for key in ["need", "points", "relevance"] {
                    assert_eq!(reason[key], full_reason[key], "{key}");
                }
                let needs = row["needs"].as_array().unwrap();
                let described: Vec<&Value> = (needs.iter())
                    .filter(|need| need["need"] == reason["need"])
                    .collect();
                assert_eq!(described.len(), 1, "{reason} described once");
                for key in ["label", "weight", "answers", "rules"] {
                    assert_eq!(described[0][key], full_reason[key], "{key}");
                    assert!(reason.get(key).is_none(), "{key} in the row's needs only");
                }
                let (Some(matched), Some(full_matched)) =
                    (reason.get("matched"), full_reason.get("matched"))
                else {
                    assert_eq!(reason.get("matched"), full_reason.get("matched"));
                    continue;
                };
                lines += 1;
                let keys: Vec<&String> = matched.as_object().unwrap().keys().collect();
                assert_eq!(keys, ["field", "line"], "{matched}");
                let mut full_only = full_matched.clone();
                let full_only = full_only.as_object_mut().unwrap();
                let text = full_only.remove("text").unwrap();
                let highlights = full_only.remove("highlights").unwrap();
                assert_eq!(
                    &Value::Object(full_only.clone()),
                    matched,
                    "full = brief + text, highlights"
                );
                let field = matched["field"].as_str().unwrap();
                let line = &entry.field_lines(field)[matched["line"].as_u64().unwrap() as usize];
                assert_eq!(text.as_str().unwrap(), line.as_str());
                assert!(!highlights.as_array().unwrap().is_empty(), "{full_matched}");
                for range in highlights.as_array().unwrap() {
                    let (start, end) = (
                        range["start"].as_u64().unwrap() as usize,
                        range["end"].as_u64().unwrap() as usize,
                    );
                    let word = line
                        .get(start..end)
                        .unwrap_or_else(|| panic!("{range} in {line}"));
                    assert!(!word.trim().is_empty() && !word.contains(' '), "{word:?}");
                }
            }
        }
    }
    assert!(lines > rows, "{lines} matched lines");
}

fn full_program_list(row: &Value) -> &Vec<Value> {
    row["programs"].as_array().unwrap()
}

/// The HTML overview, built a country at a time, still counts every country.
#[test]
fn batch_html_overview_counts_every_row() {
    let rows = 300;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input.csv");
    std::fs::write(&input, varied_rows(rows)).unwrap();
    let overview = dir.path().join("overview.html");
    ipneeds()
        .arg("batch")
        .arg(&input)
        .args(["--format", "html", "-o"])
        .arg(&overview)
        .run()
        .expect_code(0, "batch --format html");
    let page = std::fs::read_to_string(&overview).unwrap();
    assert!(
        page.contains(&format!("{rows} countries (")),
        "the lead counts the rows"
    );
    // Each country in both heat maps and once with its reasons, its anchor unique.
    assert_eq!(
        page.matches("<tr><th scope=\"row\" class=\"country\">")
            .count(),
        2 * rows
    );
    let anchors: std::collections::BTreeSet<&str> = page
        .split("<article class=\"country\" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    assert_eq!(anchors.len(), rows);
    for anchor in &anchors {
        assert!(
            page.contains(&format!("href=\"#{anchor}\"")),
            "{anchor} is linked"
        );
    }
    // Each map's groups add up to the countries.
    for map in ["id=\"by-region\"", "id=\"by-program\""] {
        let section = &page[page.find(map).unwrap()..];
        let section = &section[..section.find("</section>").unwrap()];
        let sizes: usize = section
            .split("<tr class=\"group\">")
            .skip(1)
            .map(|group| {
                let open = group.find("<span class=\"muted\">(").unwrap() + 21;
                group[open..open + group[open..].find(')').unwrap()]
                    .parse::<usize>()
                    .unwrap()
            })
            .sum();
        assert_eq!(sizes, rows, "{map}");
    }
    // Nothing is left beside the output but the output.
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 2, "{files:?}");
}

#[test]
fn batch_summary_counts_programs_in_the_top_3() {
    let input = std::fs::read(fixture("profiles-prefill.csv")).unwrap();
    let run = batch_bytes(&input, &["--summary"]);
    run.expect_code(0, "batch --summary");
    assert!(run.stderr.contains("in top 3"), "{}", run.stderr);
    assert_eq!(
        csv_records(&run.stdout).len(),
        5,
        "the rows still go to stdout"
    );
}

#[test]
fn batch_line_numbers_with_cr_only_line_ends() {
    let run = batch_bytes(b"id,country,ip_strategy\ra,UGA,none\rb,UGA,bogus\r", &[]);
    run.expect_code(1, "batch CR line ends");
    run.stderr_line_with(&["input.csv:3", "bogus"]);
}

#[test]
fn batch_reports_an_unclosed_quote_at_its_line() {
    let run = batch_bytes(
        b"id,country,ip_strategy\na,UGA,none\nb,UGA,\"none\nc,UGA,none\n",
        &[],
    );
    run.expect_code(1, "batch unclosed quote");
    let line = run.stderr_line_with(&["input.csv:3"]);
    assert!(line.contains("quote"), "{line}");
}

#[cfg(unix)]
#[test]
fn output_files_are_readable_like_other_files() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let run = ipneeds()
        .arg("batch")
        .arg(fixture("profiles-prefill.csv"))
        .arg("-o")
        .arg(&out)
        .run();
    run.expect_code(0, "batch -o");
    // A file the same process would create normally, under the same umask.
    let reference = dir.path().join("reference.csv");
    std::fs::write(&reference, "x").unwrap();
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        format!("{:o}", mode(&out)),
        format!("{:o}", mode(&reference)),
        "the results file has the permissions of any new file"
    );
}

#[test]
fn score_and_batch_write_self_contained_html_reports() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    ipneeds()
        .arg("score")
        .arg(repo().join("questionnaires/examples/example-answers.yaml"))
        .args(["--format", "html", "-o"])
        .arg(&report)
        .run()
        .expect_code(0, "score --format html");
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..80]);
    assert!(page.contains("<svg") && !page.contains("<script"));
    assert!(
        page.contains("ip-office-profile"),
        "the questionnaire used is named"
    );

    let overview = dir.path().join("overview.html");
    ipneeds()
        .arg("batch")
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .args(["--format", "html", "-o"])
        .arg(&overview)
        .run()
        .expect_code(0, "batch --format html");
    let page = std::fs::read_to_string(&overview).unwrap();
    assert!(page.contains("v09-prefill-malawi") && page.contains("id=\"by-region\""));
    assert!(!page.contains("<script"));
}

#[test]
fn interview_writes_an_html_report_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("interview.html");
    ipneeds()
        .args(["interview", "--report"])
        .arg(&report)
        .stdin("UGA\n\n\nnone\n")
        .run()
        .expect_code(0, "interview --report");
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.contains("Development of National Intellectual Property Strategies"));
}

#[cfg(unix)]
#[test]
fn a_full_disk_is_reported_and_the_device_is_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let Some(full) = full_device(dir.path()) else {
        eprintln!("skipped: cannot create a device node here (not root)");
        return;
    };
    for args in [
        vec!["batch", "tests/data/cases/profiles.csv"],
        vec!["score", "questionnaires/examples/example-answers.yaml"],
    ] {
        let result = ipneeds()
            .current_dir(repo())
            .args(&args)
            .arg("-o")
            .arg(&full)
            .run();
        result.expect_code(3, "writing to a full device");
        assert!(
            result.stderr.contains("full") || result.stderr.contains("No space"),
            "{}",
            result.stderr
        );
        let kind = std::fs::metadata(&full).unwrap().file_type();
        assert!(
            kind.is_char_device(),
            "the device node was replaced by a file"
        );
    }
}

/// `ipneeds batch … > /dev/full`: the message says what the disk's state is and the fix, as
/// for `-o` (it was "No space left on device (os error 28)").
#[cfg(unix)]
#[test]
fn a_full_disk_behind_standard_output_is_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let Some(full) = full_device(dir.path()) else {
        eprintln!("skipped: cannot create a device node here (not root)");
        return;
    };
    let run = ipneeds()
        .current_dir(repo())
        .args(["batch", "tests/data/cases/profiles.csv"]);
    let output = run
        .command()
        .stdin(std::process::Stdio::null())
        .stdout(std::fs::File::create(&full).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("error: cannot write output: the disk is full: free some space"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn output_to_a_named_pipe_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    ipneeds()
        .arg("batch")
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .arg("-o")
        .arg(&fifo)
        .run()
        .expect_code(0, "batch into a named pipe");
    let received = reader.join().unwrap();
    assert!(
        received.starts_with("id,country,rank1_program"),
        "{received}"
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[cfg(unix)]
#[test]
fn a_terminated_batch_leaves_neither_output_nor_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.csv");
    let mut text = String::from("id,ip_strategy,patent_info_center,challenges\n");
    for i in 0..60_000 {
        text.push_str(&format!(
            "r{i},none,no,backlog of patent applications {i}\n"
        ));
    }
    std::fs::write(&input, text).unwrap();
    let output = dir.path().join("out.csv");
    // The process is signalled, so started here rather than run.
    let batch = Ipneeds::new()
        .arg("batch")
        .arg(&input)
        .arg("-o")
        .arg(&output);
    let child = batch
        .command()
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let run = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    // The output is whole or absent, never a temporary file beside it.
    if left.len() > 1 {
        assert_eq!(left, ["many.csv", "out.csv"], "left behind: {left:?}");
        let rows = std::fs::read_to_string(&output).unwrap().lines().count();
        assert_eq!(rows, 60_001, "{stderr}");
    }
    match run.status.code() {
        // The run finished before the signal.
        Some(0) => assert!(output.exists(), "{stderr}"),
        // The signal came after the output was in place (the renaming waits for none): it says
        // the file is whole, not that nothing was written.
        Some(130) if output.exists() => assert!(
            stderr.contains("interrupted after the output was written in full:")
                && stderr.contains("out.csv is complete"),
            "{stderr}"
        ),
        Some(130) => assert!(
            stderr.contains("interrupted: no output file was written"),
            "{stderr}"
        ),
        other => panic!("exit {other:?}: {stderr}"),
    }
}

/// A run writing to standard output (a redirect, a pipe) that is stopped says so: the output
/// can end at a line boundary and pass for a whole one. It exited 130 without a word.
#[cfg(unix)]
#[test]
fn a_terminated_batch_writing_to_standard_output_says_the_output_is_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.csv");
    let mut text = String::from("id,ip_strategy,patent_info_center,challenges\n");
    for i in 0..60_000 {
        text.push_str(&format!(
            "r{i},none,no,backlog of patent applications {i}\n"
        ));
    }
    std::fs::write(&input, text).unwrap();
    let child = Ipneeds::new()
        .arg("batch")
        .arg(&input)
        .args(["--format", "jsonl"])
        .command()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    if output.status.success() {
        return; // finished before the signal: the output is whole
    }
    assert_eq!(output.status.code(), Some(130), "{:?}", output.status);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("interrupted: the run stopped before its end; what it wrote to standard output is incomplete"),
        "{stderr}"
    );
}

#[test]
fn hostile_text_stays_text_in_markdown_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("hostile.yaml");
    std::fs::write(
        &answers,
        "patent_info_center: \"no\"\nchallenges: \"patent information | <script>alert(1)</script> **bold** [link](http://x) =cmd\"\n",
    )
    .unwrap();
    let markdown = ipneeds()
        .arg("score")
        .arg(&answers)
        .args(["--format", "markdown"])
        .run();
    markdown.expect_code(0, "markdown");
    // Table cells keep their columns, and markup from the answer is escaped.
    assert!(!markdown.stdout.contains("<script>"), "{}", markdown.stdout);
    assert!(
        markdown.stdout.contains("\\<script\\>"),
        "{}",
        markdown.stdout
    );
    assert!(
        markdown.stdout.contains("patent information \\|"),
        "{}",
        markdown.stdout
    );
    // Every row of a table has as many (unescaped) cell separators as its header.
    let separators = |line: &str| {
        let bytes = line.as_bytes();
        (0..bytes.len())
            .filter(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
            .count()
    };
    let mut header: Option<usize> = None;
    for line in markdown.stdout.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        match header {
            None => header = Some(separators(line)),
            Some(count) => assert_eq!(separators(line), count, "a table row split: {line}"),
        }
    }
    let csv_input = dir.path().join("hostile.csv");
    std::fs::write(
        &csv_input,
        "id,challenges\n@SUM(A1),\"=1+1 patent information\"\n",
    )
    .unwrap();
    let csv = ipneeds()
        .arg("batch")
        .arg(&csv_input)
        .args(["--top", "1"])
        .run();
    csv.expect_code(0, "batch");
    let row = csv.stdout.lines().nth(1).unwrap();
    assert!(row.starts_with("'@SUM(A1),"), "{row}");
}

// ---- issue 14: outputs and the cache keep the user's files ----

/// `batch` over the twelve cases into `out` (more arguments after).
#[cfg(unix)]
fn batch_into(out: &Path, more: &[&str]) -> Output {
    ipneeds()
        .arg("batch")
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .arg("-o")
        .arg(out)
        .args(more)
        .run()
}

#[cfg(unix)]
#[test]
fn output_through_a_link_lands_in_its_target_and_the_link_stays() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old results\n").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    // A chain of links, and a link to a file that does not exist yet.
    let chain = dir.path().join("chain.csv");
    std::os::unix::fs::symlink(&link, &chain).unwrap();
    let dangling = dir.path().join("dangling.csv");
    std::os::unix::fs::symlink("new.csv", &dangling).unwrap();
    for out in [&link, &chain] {
        std::fs::write(&real, "old results\n").unwrap();
        batch_into(out, &[]).expect_code(0, "batch -o through a link");
        let meta = std::fs::symlink_metadata(out).unwrap();
        assert!(
            meta.file_type().is_symlink(),
            "{} is no longer a link",
            out.display()
        );
        let written = std::fs::read_to_string(&real).unwrap();
        assert!(written.starts_with("id,country,rank1_program"), "{written}");
    }
    batch_into(&dangling, &[]).expect_code(0, "batch -o through a dangling link");
    assert!(std::fs::symlink_metadata(&dangling)
        .unwrap()
        .file_type()
        .is_symlink());
    let written = std::fs::read_to_string(dir.path().join("new.csv")).unwrap();
    assert!(written.starts_with("id,country,rank1_program"), "{written}");
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_hard_link_to_the_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("countries.csv");
    let original = std::fs::read(repo().join("tests/data/cases/profiles.csv")).unwrap();
    std::fs::write(&input, &original).unwrap();
    // Another name for the same file: its canonical path differs, its inode does not.
    let other_name = dir.path().join("results.csv");
    std::fs::hard_link(&input, &other_name).unwrap();
    ipneeds()
        .arg("batch")
        .arg(&input)
        .arg("-o")
        .arg(&other_name)
        .run()
        .expect_code(2, "batch -o a hard link to its input")
        .stderr_contains("the output is the input file");
    assert_eq!(std::fs::read(&input).unwrap(), original);
}

/// `--errors -` with the results on standard output would mix two CSV files in one stream
/// (two headers; JSON no longer parses): refused before any work; with `-o FILE` it is fine.
#[test]
fn errors_to_standard_output_beside_the_results_is_refused() {
    let input = "id,country\na,UGA\nb,Narnia\n";
    let run = batch_bytes(input.as_bytes(), &["--errors", "-"]);
    run.expect_code(2, "--errors - with results on standard output")
        .stderr_contains(
            "--errors -: the rejected rows would go to standard output with the results",
        );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let run = ipneeds()
        .file("p.csv", input)
        .args(["batch", "p.csv", "--errors", "-", "-o", "r.csv"])
        .run();
    run.expect_code(1, "one bad row");
    assert!(
        run.stdout
            .starts_with("row,id,column,value,message,location\n"),
        "{}",
        run.stdout
    );
}

/// `--errors` writes CSV and `--summary` plain text: a name that says a workbook (or JSON, a
/// page…) is refused before any work, as `-o` is, rather than given text Excel cannot open.
#[test]
fn errors_and_summary_files_named_as_another_format_are_refused() {
    for (option, name, says) in [
        ("--errors", "e.xlsx", "e.xlsx: the name says a workbook, but --errors writes CSV: name the file e.csv"),
        ("--summary", "s.xlsx", "s.xlsx: the name says a workbook, but --summary writes plain text: name the file s.txt"),
        ("--summary", "s.json", "s.json: the name says JSON, but --summary writes plain text"),
    ] {
        let run = ipneeds()
            .file("p.csv", "id,country\na,UGA\n")
            .args(["batch", "p.csv", "-o", "r.csv", option, name])
            .run();
        run.expect_code(2, name).stderr_contains(says);
        assert!(!run.path(name).exists() && !run.path("r.csv").exists(), "{name}");
    }
}

/// `batch - -o p.csv < p.csv`: standard input is the file the output names, which the run
/// would replace (or `--errors p.csv` empty): refused, the file kept.
#[cfg(unix)]
#[test]
fn an_output_that_is_the_file_redirected_into_standard_input_is_refused() {
    let original = std::fs::read(repo().join("tests/data/cases/profiles.csv")).unwrap();
    for option in ["-o", "--errors"] {
        let run = ipneeds()
            .file("p.csv", &original)
            .args(["batch", "-", option, "p.csv"]);
        let path = run.path("p.csv");
        let output = run
            .command()
            .stdin(std::fs::File::open(&path).unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{option}: {stderr}");
        assert!(
            stderr.contains("p.csv: the output is the file standard input reads (`< p.csv`)"),
            "{stderr}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), original, "{option}");
    }
}

/// Runs `run` with standard output appended to its folder's file `name` (`>> name`): the exit
/// code and standard error.
#[cfg(unix)]
fn run_appending_to(run: &Ipneeds, name: &str) -> (Option<i32>, String) {
    let file = (std::fs::OpenOptions::new().append(true).create(true))
        .open(run.path(name))
        .unwrap();
    let output = run
        .command()
        .stdin(std::process::Stdio::null())
        .stdout(file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), stderr)
}

/// `ipneeds batch p.csv >> p.csv`: a shell redirect points standard output at the input, which
/// the run would read back (its own results rejected as rows) and leave damaged: refused, the
/// file kept. The same for `score answers.yaml >> answers.yaml`.
#[cfg(unix)]
#[test]
fn standard_output_redirected_onto_the_input_is_refused() {
    let profiles = std::fs::read(repo().join("tests/data/cases/profiles.csv")).unwrap();
    let answers =
        std::fs::read(repo().join("questionnaires/examples/example-answers.yaml")).unwrap();
    for (command, name, original) in [("batch", "p.csv", &profiles), ("score", "a.yaml", &answers)]
    {
        let run = ipneeds().file(name, original).args([command, name]);
        let (code, stderr) = run_appending_to(&run, name);
        assert_eq!(code, Some(2), "{command}: {stderr}");
        assert!(
            stderr.contains(&format!("standard output is the input file {name} of this run (a shell redirect, `> {name}` or `>> {name}`; `>` has already emptied it): write the results to another file")),
            "{stderr}"
        );
        assert_eq!(
            &std::fs::read(run.path(name)).unwrap(),
            original,
            "{command}"
        );
    }
}

/// `--errors mix.csv > mix.csv`, `--errors /dev/stdout`: the results on standard output and the
/// rejected rows would share one file, and one would replace or be mixed into the other.
#[cfg(unix)]
#[test]
fn standard_output_and_another_output_naming_one_file_are_refused() {
    let bad = "id,country,ip_strategy\na,UGA,none\nb,UGA,maybe\n";
    let run = ipneeds()
        .file("bad.csv", bad)
        .args(["batch", "bad.csv", "--errors", "mix.csv"]);
    let (code, stderr) = run_appending_to(&run, "mix.csv");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("mix.csv: two outputs of this run name the same file (standard output and mix.csv), and one would be lost or mixed into the other: give each its own file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(run.path("mix.csv")).unwrap(), "");
    // Into a pipe, as `| head` reads it.
    for option in ["--errors", "--summary"] {
        ipneeds()
            .file("bad.csv", bad)
            .args(["batch", "bad.csv", option, "/dev/stdout"])
            .run()
            .expect_code(2, option)
            .stderr_contains("/dev/stdout: two outputs of this run name the same file (standard output and /dev/stdout)");
    }
    // What is written to /dev/null twice is lost as it would be once.
    ipneeds()
        .file("bad.csv", bad)
        .args([
            "batch",
            "bad.csv",
            "-o",
            "/dev/null",
            "--errors",
            "/dev/null",
        ])
        .run()
        .expect_code(1, "/dev/null twice")
        .stderr_contains("1 row(s) scored, 1 rejected");
}

#[cfg(target_os = "linux")]
#[test]
fn output_to_a_link_to_a_descriptor_goes_to_standard_output() {
    // As `-o /dev/stdout`, with a private link: `/dev` itself is never touched by a test.
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("stdout");
    std::os::unix::fs::symlink("/proc/self/fd/1", &link).unwrap();
    let captured = dir.path().join("captured.csv");
    std::fs::write(&captured, "").unwrap();
    let file = std::fs::File::create(&captured).unwrap();
    let batch = Ipneeds::new()
        .dated(AS_OF)
        .arg("batch")
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .arg("-o")
        .arg(&link);
    let status = batch
        .command()
        .stdout(file)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let written = std::fs::read_to_string(&captured).unwrap();
    assert!(
        written.starts_with("id,country,rank1_program"),
        "{written:?}"
    );
    assert_eq!(written.lines().count(), 13, "{written}");
}

#[cfg(unix)]
#[test]
fn replaced_outputs_keep_their_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o7777;
    let private = |path: &Path, bits: u32| {
        std::fs::write(path, "confidential\n").unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits)).unwrap();
    };
    let (out, errors, summary) = (
        dir.path().join("out.csv"),
        dir.path().join("errors.csv"),
        dir.path().join("summary.txt"),
    );
    for (path, bits) in [(&out, 0o600), (&errors, 0o640), (&summary, 0o604)] {
        private(path, bits);
    }
    let errors_arg = errors.to_str().unwrap();
    let summary_arg = summary.to_str().unwrap();
    batch_into(&out, &["--errors", errors_arg, "--summary", summary_arg])
        .expect_code(0, "batch over private files");
    assert_eq!(format!("{:o}", mode(&out)), "600");
    assert_eq!(format!("{:o}", mode(&errors)), "640");
    assert_eq!(format!("{:o}", mode(&summary)), "604");
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("id,"));

    // `score -o`, `template -o` and `interview --save` too.
    let report = dir.path().join("report.md");
    private(&report, 0o600);
    ipneeds()
        .arg("score")
        .arg(repo().join("questionnaires/examples/example-answers.yaml"))
        .args(["--format", "markdown", "-o"])
        .arg(&report)
        .run()
        .expect_code(0, "score -o");
    assert_eq!(format!("{:o}", mode(&report)), "600");
    let template = dir.path().join("template.csv");
    private(&template, 0o600);
    ipneeds()
        .args(["template", "--force", "-o"])
        .arg(&template)
        .run()
        .expect_code(0, "template -o");
    assert_eq!(format!("{:o}", mode(&template)), "600");
    let saved = dir.path().join("answers.yaml");
    std::fs::write(&saved, "country: UGA\n").unwrap();
    std::fs::set_permissions(&saved, std::fs::Permissions::from_mode(0o600)).unwrap();
    ipneeds()
        .args(["interview", "--resume"])
        .arg(&saved)
        .arg("--save")
        .arg(&saved)
        .stdin("\n\nnone\n")
        .run()
        .expect_code(0, "interview --save over a private file");
    assert_eq!(format!("{:o}", mode(&saved)), "600");
    assert!(std::fs::read_to_string(&saved).unwrap().contains("UGA"));
}

#[cfg(unix)]
#[test]
fn temporary_files_of_killed_runs_are_cleaned_and_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    // What a run killed outright (SIGKILL) leaves: a temporary file named by a process gone.
    let left = dir.path().join(".ipneeds-999999999-a1B2c3.partial");
    std::fs::write(&left, "half a result").unwrap();
    // Files that only look alike are the user's.
    let users = [
        ".ipneeds-notes.partial",
        ".ipneeds-999999999-a1B2c3.partial.bak",
    ];
    for name in users {
        std::fs::write(dir.path().join(name), "mine").unwrap();
    }
    batch_into(&dir.path().join("out.csv"), &[]).expect_code(0, "batch");
    if cfg!(target_os = "linux") {
        assert!(!left.exists(), "the killed run's temporary file stays");
    }
    for name in users {
        assert!(dir.path().join(name).exists(), "{name} was deleted");
    }
}

#[cfg(unix)]
#[test]
fn an_interrupted_batch_leaves_its_outputs_all_old_or_all_new() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("rows.csv");
    let mut text = String::from("id,ip_strategy,patent_info_center\n");
    for i in 0..3_000 {
        text.push_str(&format!("r{i},none,no\n"));
    }
    text.push_str("bad,bogus,no\n");
    std::fs::write(&input, text).unwrap();
    let names = ["out.csv", "errors.csv", "summary.txt"];
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.path().join(n)).collect();
    let batch = Ipneeds::new()
        .dated(AS_OF)
        .arg("batch")
        .arg(&input)
        .arg("-o")
        .arg(&paths[0])
        .arg("--errors")
        .arg(&paths[1])
        .arg("--summary")
        .arg(&paths[2]);
    let spawn = || {
        batch
            .command()
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // The first run fills the cache; the second tells how long a run takes.
    assert_eq!(
        spawn().wait().unwrap().code(),
        Some(1),
        "one row is rejected"
    );
    let started = std::time::Instant::now();
    assert_eq!(
        spawn().wait().unwrap().code(),
        Some(1),
        "one row is rejected"
    );
    let length = started.elapsed();
    let mut outcomes = std::collections::BTreeMap::new();
    // Signals at times spread over the end of a run, where the outputs are committed.
    let attempts = 30;
    for attempt in 0..attempts {
        for path in &paths {
            std::fs::write(path, "old\n").unwrap();
        }
        let mut child = spawn();
        std::thread::sleep(length.mul_f64(0.5 + 0.7 * f64::from(attempt) / f64::from(attempts)));
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let status = child.wait().unwrap();
        let new: Vec<bool> = paths
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap() != "old\n")
            .collect();
        assert!(
            new.iter().all(|&n| n) || new.iter().all(|&n| !n),
            "attempt {attempt}: exit {status:?}, new files: {new:?} of {names:?}"
        );
        *outcomes.entry(new[0]).or_insert(0) += 1;
    }
    eprintln!("outcomes (all new?): {outcomes:?}");
}

/// A batch stopped by Ctrl-C says so: without a word, the prompt coming back looks like a
/// run that finished.
#[test]
fn an_interrupted_batch_says_no_output_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let mut child = (ipneeds().args(["batch", "-", "-o"]).arg(&out).command())
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // More than the first megabyte, which is read ahead for the encoding before the output
    // is begun; the input stays open.
    let rows: String = (0..100_000).map(|n| format!("k{n},KEN\n")).collect();
    std::io::Write::write_all(&mut stdin, format!("id,country\n{rows}").as_bytes()).unwrap();
    std::io::Write::flush(&mut stdin).unwrap();
    // The output's temporary file, beside it, exists once the run is under way.
    let started = std::time::Instant::now();
    while std::fs::read_dir(dir.path()).unwrap().next().is_none() {
        assert!(started.elapsed().as_secs() < 60, "no output was begun");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: no output file was written"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "a file was left"
    );
    drop(stdin);
}

#[test]
fn a_cached_catalog_is_checked_against_the_limits_in_force() {
    let cache = tempfile::tempdir().unwrap();
    let warm = |limit: Option<&str>| {
        let mut command = ipneeds()
            .env("IPNEEDS_CACHE_DIR", cache.path())
            .arg("programs");
        if let Some(limit) = limit {
            command = command.env("IPNEEDS_MAX_PROGRAMS", limit);
        }
        command.run()
    };
    warm(None).expect_code(0, "a cold run fills the cache");
    let limited = warm(Some("2"));
    limited.expect_code(2, "the limit holds on a warm run");
    limited.stderr_line_with(&["12 programs", "IPNEEDS_MAX_PROGRAMS"]);
    warm(None).expect_code(0, "and without it the cache serves again");
}

#[test]
fn the_cache_deletes_only_its_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let users = [
        "catalog-notes-1.yaml",
        "questionnaire-answers.txt",
        "index-old.bin",
        "relevance-0000000000000000.bin.bak",
    ];
    for name in users {
        std::fs::write(dir.path().join(name), "mine").unwrap();
    }
    // More old cache files than the cache keeps: the run that adds its own prunes.
    for i in 0..70 {
        std::fs::write(dir.path().join(format!("index-{i:016x}.bin")), "old").unwrap();
    }
    ipneeds()
        .env("IPNEEDS_CACHE_DIR", dir.path())
        .args(["search", "backlog"])
        .run()
        .expect_code(0, "search with the cache in a user's folder");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for name in users {
        assert!(
            names.contains(&name.to_string()),
            "{name} was deleted: {names:?}"
        );
    }
    let cache_files = names.iter().filter(|n| n.ends_with(".bin")).count();
    assert!(
        cache_files <= 64 + 1,
        "the cache was not pruned: {cache_files} files"
    );
}

#[test]
fn the_cache_never_makes_a_home_directory() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("nonexistent").join("x");
    ipneeds()
        .env_remove("IPNEEDS_CACHE_DIR")
        .env_remove("XDG_CACHE_HOME")
        .env("HOME", &home)
        .args(["search", "backlog"])
        .run()
        .expect_code(0, "search with a missing home");
    assert!(
        !dir.path().join("nonexistent").exists(),
        "the home directory was made"
    );
    // An existing home gets the cache's own folder, and nothing else.
    std::fs::create_dir_all(&home).unwrap();
    ipneeds()
        .env_remove("IPNEEDS_CACHE_DIR")
        .env_remove("XDG_CACHE_HOME")
        .env("HOME", &home)
        .args(["search", "backlog"])
        .run()
        .expect_code(0, "search with a home");
    assert!(home.join(".cache").join("ipneeds").is_dir());
}

/// A small file system mounted for one test (needs root; `None` where that is not allowed),
/// unmounted when dropped.
#[cfg(target_os = "linux")]
struct TinyDisk(tempfile::TempDir);

#[cfg(target_os = "linux")]
impl TinyDisk {
    fn mount(bytes: u32) -> Option<TinyDisk> {
        let dir = tempfile::tempdir().ok()?;
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(TinyDisk(dir))
    }
}

#[cfg(target_os = "linux")]
impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_names_the_output_and_leaves_no_temporary_file() {
    let Some(disk) = TinyDisk::mount(64 * 1024) else {
        eprintln!("skipped: cannot mount a small file system here (not root)");
        return;
    };
    let input = tempfile::NamedTempFile::new().unwrap();
    let mut text = String::from("id,ip_strategy,patent_info_center\n");
    for i in 0..2_000 {
        text.push_str(&format!("r{i},none,no\n"));
    }
    std::fs::write(input.path(), text).unwrap();
    let out = disk.0.path().join("out.csv");
    let cache = disk.0.path().join("cache");
    let result = ipneeds()
        .env("IPNEEDS_CACHE_DIR", &cache)
        .arg("batch")
        .arg(input.path())
        .arg("-o")
        .arg(&out)
        .run();
    result.expect_code(3, "batch onto a full disk");
    let line = result.stderr_line_with(&["the disk is full"]);
    assert!(
        line.contains("out.csv") && !line.contains(".partial"),
        "{line}"
    );
    let mut left: Vec<String> = Vec::new();
    for entry in walk(disk.0.path()) {
        left.push(
            entry
                .strip_prefix(disk.0.path())
                .unwrap()
                .display()
                .to_string(),
        );
    }
    assert!(
        left.iter()
            .all(|name| name.ends_with(".bin") || name == "cache"),
        "left behind: {left:?}"
    );
}

/// Every file and folder below `dir`.
#[cfg(target_os = "linux")]
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        found.push(entry.path());
        if entry.path().is_dir() {
            found.extend(walk(&entry.path()));
        }
    }
    found
}

/// Every value a help text names in quotes ('graduating') is spelt as the question's values
/// are, so that typing it works (issue 17: 'graduation scheduled' was rejected).
#[test]
fn help_texts_name_values_as_they_are_typed() {
    let questionnaire = Questionnaire::builtin().unwrap();
    let mut named = 0;
    for question in &questionnaire.questions {
        let allowed: Vec<&str> = match question.kind {
            QuestionType::Boolean => vec!["yes", "no"],
            _ => question.values.iter().map(String::as_str).collect(),
        };
        // Quoted words: between a quote at a word's start and one at a word's end.
        let help = &question.help;
        let mut rest = help.as_str();
        while let Some(start) = rest.find('\'') {
            let after = &rest[start + 1..];
            let opens = start == 0 || !rest.as_bytes()[start - 1].is_ascii_alphanumeric();
            let Some(end) = after.find('\'') else { break };
            if opens {
                let quoted = &after[..end];
                named += 1;
                assert!(
                    allowed.contains(&quoted),
                    "the help of `{}` names '{quoted}', which is not one of {allowed:?}",
                    question.id
                );
            }
            rest = &after[end + 1..];
        }
    }
    assert!(
        named >= 3,
        "only {named} quoted values found: the test reads nothing"
    );
}

// ---- issue 17: the first hour ----

#[test]
fn score_without_answers_says_where_answers_come_from() {
    let result = ipneeds().arg("score").run();
    result.expect_code(2, "score without a file");
    result.stderr_line_with(&["ipneeds interview --save answers.yaml"]);
    result.stderr_line_with(&["ipneeds template --format yaml"]);
    result.stderr_line_with(&["example-answers.yaml"]);
}

#[test]
fn batch_search_and_eval_without_input_say_what_to_give() {
    let batch = ipneeds().arg("batch").run();
    batch.expect_code(2, "batch without a file");
    batch.stderr_line_with(&[
        "tip:",
        "table of country profiles",
        "ipneeds template --format csv",
    ]);
    // The example named is a file of the clone, and `batch` scores it.
    batch.stderr_line_with(&["tests/data/cases/profiles.csv is an example"]);
    let example = (ipneeds().in_repo())
        .args(["batch", "tests/data/cases/profiles.csv"])
        .run();
    example.expect_code(0, "the example named by the tip");

    let search = ipneeds().arg("search").run();
    search.expect_code(2, "search without words");
    search.stderr_line_with(&["tip:", "ipneeds search patent backlog"]);

    let eval = ipneeds()
        .args(["eval", "tests/data/cases/profiles.csv"])
        .run();
    eval.expect_code(2, "eval without its grades");
    eval.stderr_line_with(&["tip:", "tests/data/cases/expected.csv"]);
}

#[test]
fn ipneeds_alone_says_where_to_start() {
    let result = Ipneeds::new().run();
    assert_eq!(result.code, Some(2), "{}", result.stderr);
    let all = format!("{}{}", result.stdout, result.stderr);
    assert!(all.contains("Start with `ipneeds interview`"), "{all}");
}

#[test]
fn help_with_a_misspelt_command_suggests_it() {
    let result = ipneeds().args(["help", "scroe"]).run();
    result.expect_code(2, "help scroe");
    result.stderr_line_with(&["a similar subcommand exists: 'score'"]);
}

#[test]
fn a_missing_answers_file_suggests_the_one_beside_it() {
    let example =
        std::fs::read(repo().join("questionnaires/examples/example-answers.yaml")).unwrap();
    let result = ipneeds()
        .file("answers.yaml", example)
        .args(["score", "answers.yml"])
        .run();
    result.expect_code(3, "score answers.yml");
    result.stderr_line_with(&["answers.yml", "did you mean answers.yaml?"]);
}

#[test]
fn search_excludes_words_without_a_double_dash() {
    let plain = ipneeds()
        .args(["search", "patent", "--format", "json", "-n", "12"])
        .run();
    plain.expect_code(0, "search patent");
    let excluding = ipneeds()
        .args([
            "search",
            "patent",
            "-trademark",
            "--format",
            "json",
            "-n",
            "12",
        ])
        .run();
    excluding.expect_code(0, "search patent -trademark");
    let dashed = ipneeds()
        .args([
            "search",
            "--format",
            "json",
            "-n",
            "12",
            "--",
            "patent",
            "-trademark",
        ])
        .run();
    dashed.expect_code(0, "search -- patent -trademark");
    assert_eq!(excluding.stdout, dashed.stdout);
    assert_ne!(excluding.stdout, plain.stdout, "-trademark changed nothing");
    // An option after an excluded word is still an option.
    let one = ipneeds()
        .args([
            "search",
            "patent",
            "-trademark",
            "-n",
            "1",
            "--format",
            "json",
        ])
        .run();
    one.expect_code(0, "search patent -trademark -n 1");
    assert_eq!(
        one.json().as_array().map(Vec::len),
        Some(1),
        "{}",
        one.stdout
    );
}

#[test]
fn a_misspelt_answers_key_is_located_at_the_key() {
    for (text, place) in [
        ("country: UGA\nip_stratgy: none\n", "answers.yaml:2:1"),
        (
            "country: UGA\n  \nip_stratgy:\n  none\n",
            "answers.yaml:3:1",
        ),
        ("country: UGA\n\"ip_stratgy\": none\n", "answers.yaml:2:1"),
    ] {
        let check = ipneeds()
            .file("answers.yaml", text)
            .args(["check", "answers.yaml"])
            .run();
        check.expect_code(1, "check");
        check.stderr_line_with(&[place, "unknown field `ip_stratgy`", "ip_strategy"]);
    }
}

#[test]
fn the_score_table_says_how_many_programs_it_leaves_out() {
    let result = ipneeds()
        .arg("score")
        .arg(repo().join("questionnaires/examples/example-answers.yaml"))
        .run();
    result.expect_code(0, "score");
    result.stdout_line_with(&["7 more programs: use --top 12 to see them all"]);
    let all = ipneeds()
        .arg("score")
        .arg(repo().join("questionnaires/examples/example-answers.yaml"))
        .args(["--top", "12"])
        .run();
    assert!(!all.stdout.contains("more program"), "{}", all.stdout);
}

/// A need whose text an edit left with no word of the catalog: the answer raising it adds to
/// no score, and `score` says so rather than "no answer raised a need".
#[test]
fn a_raised_need_that_matches_no_program_is_named() {
    let questionnaire =
        std::fs::read_to_string(repo().join("questionnaires/ip-office-profile.yaml")).unwrap();
    let edited = questionnaire.replace(
        "\"develop national IP strategies integrating intellectual property into national policies and development plans; IP audit assessing needs; plan of action; IP policy integrated with national development plans\"",
        "\"blockchain cryptocurrency metaverse\"",
    );
    assert_ne!(
        edited, questionnaire,
        "the need's text is as the test expects"
    );
    let result = ipneeds()
        .file("q.yaml", &edited)
        .args(["--questionnaire", "q.yaml", "score", "-"])
        .stdin("ip_strategy: none\n")
        .run();
    result.expect_code(0, "score with a need that matches nothing");
    result.stderr_line_with(&[
        "warning: <stdin>: the answers raise the need `national-ip-strategy`",
        "its text matches no program",
    ]);
    result.stdout_line_with(&["No answer raised a need the catalog's programs answer"]);
}

/// A free text none of whose words the catalog knows ("Lack of legistlation") scored nothing
/// in silence, as if nothing had been written: `score` and the interview say so, with the
/// search's spelling suggestions; a text that counts is not warned of.
#[test]
fn a_free_text_that_matches_nothing_is_named_with_its_near_spellings() {
    let slipped = ipneeds()
        .args(["score", "-"])
        .stdin("challenges: \"Lack of legistlation\"\n")
        .run();
    slipped.success();
    slipped.stderr_line_with(&[
        "warning: <stdin>: the answer to `challenges` holds no word of the catalog that names a need (did you mean `legislation` for `legistlation`?), so it adds to no score",
    ]);
    let spelt = ipneeds()
        .args(["score", "-"])
        .stdin("challenges: \"Lack of legislation\"\n")
        .run();
    spelt.success();
    spelt.stderr_lacks("adds to no score");
    let interview = ipneeds()
        .file("a.yaml", "challenges: \"Lack of legistlation\"\n")
        .args(["interview", "--resume", "a.yaml"])
        .stdin("")
        .run();
    interview.success();
    interview.stderr_line_with(&[
        "warning: interview: the answer to `challenges` holds no word of the catalog that names a need (did you mean `legislation` for `legistlation`?)",
    ]);
}

/// A filled-in template that keeps its example row would count Uganda's example answers as
/// one more country: `batch` and `check` say so (once), and score it as given.
#[test]
fn the_templates_example_row_kept_in_a_filled_table_is_named() {
    let template = ipneeds().args(["template"]).run();
    template.expect_code(0, "template");
    let columns = template.stdout.lines().next().unwrap().split(',').count();
    let empty = ",".repeat(columns - 2);
    let filled = format!("{}k1,KEN{empty}\nk2,MWI{empty}\n", template.stdout);
    let batch = ipneeds()
        .file("filled.csv", &filled)
        .args(["batch", "filled.csv", "-o", "out.csv"])
        .run();
    batch.expect_code(0, "batch of a filled template");
    batch.stderr_line_with(&[
        "warning: filled.csv:2: row `example-1` is the example `ipneeds template` writes",
        "delete the row",
    ]);
    assert_eq!(
        batch.stderr.matches("example-1").count(),
        1,
        "{}",
        batch.stderr
    );
    batch.stderr_line_with(&["3 row(s) scored"]);
    let check = ipneeds()
        .file("filled.csv", &filled)
        .args(["check", "filled.csv"])
        .run();
    check.stderr_line_with(&["filled.csv:2: row `example-1` is the example"]);
}

#[test]
fn an_empty_profile_says_no_need_was_raised_instead_of_ranking() {
    let result = ipneeds()
        .args(["score", "-"])
        .stdin("# nothing known yet\n")
        .run();
    result.expect_code(0, "score an empty profile");
    result.stdout_line_with(&["No answer raised a need"]);
    assert!(
        !result.stdout.contains("policy-development"),
        "{}",
        result.stdout
    );
}

#[test]
fn the_summary_names_its_columns_plainly() {
    let result = ipneeds()
        .arg("batch")
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .args(["--top", "2", "-o", "-", "--summary"])
        .run();
    result.expect_code(0, "batch --summary");
    let header = result.stderr_line_with(&["program", "in top 3", "mean"]);
    assert!(
        header.ends_with("Africa (1)  No known region (11)"),
        "{header}"
    );
    // Numbers stand right-aligned under their column's last character.
    let first = result.stderr_line_with(&["ip-information-access"]);
    assert_eq!(first.len(), header.len(), "{header}\n{first}");
}

#[test]
fn the_interview_checks_the_country_where_it_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("answers.yaml");
    // A script's misspelt country stops the run (asked again, the question would take the
    // next line); on a terminal it is asked again, Enter accepting the suggestion.
    let result = ipneeds()
        .args(["interview", "--save"])
        .arg(&saved)
        .stdin("Senegl\n\n")
        .run();
    result.expect_code(2, "interview with a misspelt country");
    result.stderr_line_with(&["<stdin>:1: unknown country `Senegl`", "Senegal (SEN)"]);
    assert_eq!(asked(&result.stderr), [1], "{}", result.stderr);
    assert!(!saved.exists());
    let result = ipneeds()
        .args(["interview", "--save"])
        .arg(&saved)
        .stdin("SEN\n")
        .run();
    result.expect_code(0, "interview with the country corrected");
    // The country found is named at once, before its answers are prefilled.
    result.stderr_line_with(&["→ Senegal (SEN)"]);
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(text.contains("country: \"SEN\""), "{text}");
    ipneeds()
        .arg("interview")
        .stdin("Kenia\n")
        .run()
        .stderr_line_with(&["→ Kenya (KEN)"]);
    ipneeds()
        .arg("score")
        .arg(&saved)
        .run()
        .expect_code(0, "the saved file scores");
}

#[test]
fn an_interview_without_save_says_nothing_was_saved() {
    let result = ipneeds().arg("interview").stdin("UGA\n").run();
    result.expect_code(0, "interview");
    result.stderr_line_with(&[
        "the answers were not saved",
        "--save answers.yaml",
        "--report",
    ]);
    // Given --report, it does not suggest --report.
    let reported = ipneeds()
        .args(["interview", "--report", "r.html"])
        .stdin(
            "UGA
",
        )
        .run();
    reported.expect_code(0, "interview --report");
    let line = reported.stderr_line_with(&["the answers were not saved"]);
    assert!(!line.contains("--report"), "{line}");
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("a.yaml");
    let kept = ipneeds()
        .args(["interview", "--save"])
        .arg(&saved)
        .stdin("UGA\n")
        .run();
    kept.stderr_line_with(&["for a report to share", "--format html"]);
}

#[test]
fn a_resumed_interview_continues_after_the_last_answer() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("answers.yaml");
    // Answered: the country (question 1) and the IP strategy (question 5); ldc_status and
    // regional_system, between them, come from the country.
    std::fs::write(&saved, "country: UGA\nip_strategy: none\n").unwrap();
    let result = ipneeds()
        .args(["interview", "--resume"])
        .arg(&saved)
        .arg("--save")
        .arg(&saved)
        .stdin("")
        .run();
    result.expect_code(0, "resume");
    let first = result.stderr_line_with(&["[question "]);
    assert!(first.starts_with("[question 6 of"), "{first}");
}

/// `<` goes back past the questions of this run into those the resumed file answered: a
/// person who resumes can still correct an earlier answer.
#[test]
fn a_resumed_interview_goes_back_to_questions_answered_before() {
    let result = ipneeds()
        .file("answers.yaml", "country: UGA\nip_strategy: none\n")
        .args(["interview", "--resume", "answers.yaml"])
        .stdin("<\n<\n")
        .run();
    result.expect_code(0, "resume and go back");
    let asked: Vec<&str> = (result.stderr.lines())
        .filter(|line| line.starts_with("[question "))
        .collect();
    assert_eq!(asked.len(), 3, "{asked:?}");
    assert!(asked[0].starts_with("[question 6 of"), "{asked:?}");
    assert!(asked[1].starts_with("[question 5 of"), "{asked:?}");
    assert!(asked[2].starts_with("[question 4 of"), "{asked:?}");
    result.stderr_lacks("(this is the first question)");
}

#[test]
fn eval_never_breaks_a_program_name_across_lines() {
    let result = ipneeds()
        .args([
            "eval",
            "tests/data/cases/profiles.csv",
            "tests/data/cases/expected.csv",
        ])
        .current_dir(repo())
        .run();
    result.expect_code(0, "eval");
    let ids: Vec<String> = [
        "legal-assistance",
        "ip-information-access",
        "professional-development",
    ]
    .map(String::from)
    .to_vec();
    for line in result.stdout.lines() {
        let last = line
            .split("  ")
            .filter(|c| !c.is_empty())
            .last()
            .unwrap_or("")
            .trim();
        // A continuation line holds whole "program (score)" entries only.
        assert!(
            !last.starts_with('('),
            "a score cut from its program: {line}"
        );
        assert!(
            !line.trim_end().ends_with(','),
            "a list wrapped mid-way: {line}"
        );
    }
    assert!(ids
        .iter()
        .all(|id| result.stdout.contains(&format!("{id} ("))));
}

// ---- issue 18: forms and workbooks ----

#[test]
fn template_writes_an_xlsform_workbook_and_its_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("form.xlsx");
    ipneeds()
        .args(["template", "--format", "xlsform", "-o"])
        .arg(&form)
        .run()
        .expect_code(0, "template --format xlsform");
    let bytes = std::fs::read(&form).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "not a zip (xlsx) file");
    let markdown = ipneeds().args(["template", "--format", "xlsform-md"]).run();
    markdown.expect_code(0, "template --format xlsform-md");
    markdown.stdout_line_with(&["| | select_one ip_strategy | ip_strategy |"]);
    markdown.stdout_line_with(&["| | begin group | policy_and_law |"]);
    markdown.stdout_line_with(&["| ip-office-profile | 1.0 | English (en) |"]);
}

#[test]
fn a_value_written_in_capitals_keeps_its_label_in_the_form() {
    // Values are read in lower case; their labels must be found the same way, or the form
    // and the interview show the bare value instead of the label the author wrote.
    let dir = tempfile::tempdir().unwrap();
    let builtin =
        std::fs::read_to_string(repo().join("questionnaires/ip-office-profile.yaml")).unwrap();
    assert!(builtin.contains("join_regional_organization: \"To join a regional"));
    let questionnaire = dir.path().join("q.yaml");
    std::fs::write(
        &questionnaire,
        builtin.replace("join_regional_organization", "Join_Regional_Organization"),
    )
    .unwrap();
    let markdown = ipneeds()
        .arg("--questionnaire")
        .arg(&questionnaire)
        .args(["template", "--format", "xlsform-md"])
        .run();
    markdown.expect_code(0, "template --format xlsform-md");
    markdown.stdout_line_with(&[
        "| | regional_cooperation_interest | join_regional_organization | To join a regional or sub-regional IP organization",
    ]);
}

// ---- issue 18: KoboToolbox and ODK Central exports ----

fn export(name: &str) -> PathBuf {
    repo().join("tests/data/exports").join(name)
}

/// `batch FILE` without `--as-of`: an export's rows carry their own submission dates.
fn batch_dated(file: &Path, extra: &[&str]) -> Output {
    Ipneeds::new()
        .args(["--color", "never", "batch"])
        .arg(file)
        .args(extra)
        .run()
}

/// CSV output rows without their ids (the header's included).
fn without_ids(stdout: &str) -> Vec<Vec<String>> {
    csv_records(stdout)
        .into_iter()
        .map(|record| record[1..].to_vec())
        .collect()
}

/// The plain CSV's results as of the exports' first submission date.
fn plain_results(extra: &[&str]) -> Output {
    let run = ipneeds_as_of("2024-03-05")
        .arg("batch")
        .arg(export("plain.csv"))
        .args(extra)
        .run();
    run.expect_code(0, "batch plain.csv");
    run
}

/// Whether `stderr` warns of anything but the exports' one clash of answers (Uganda's office
/// examines on formalities only, yet gives its examiners), which the plain CSV shares.
fn warns_of_more_than_unasked_answers(stderr: &str) -> bool {
    (stderr.lines()).any(|line| {
        line.starts_with("warning") && !line.contains("the interview asks it only when")
    })
}

#[test]
fn kobo_and_odk_central_exports_score_as_the_plain_csv() {
    let plain = plain_results(&[]);
    let expected = without_ids(&plain.stdout);
    assert_eq!(expected.len(), 5, "{}", plain.stdout);
    for (file, first_id) in [
        ("kobo.csv", "c5e2b8f0-1a2b-4c3d-8e9f-0a1b2c3d4e5f"),
        (
            "odk-central.csv",
            "uuid:c5e2b8f0-1a2b-4c3d-8e9f-0a1b2c3d4e5f",
        ),
    ] {
        let run = batch_dated(&export(file), &[]);
        run.expect_code(0, file);
        assert!(
            !warns_of_more_than_unasked_answers(&run.stderr),
            "{file}: meta columns are ignored silently:\n{}",
            run.stderr
        );
        assert_eq!(without_ids(&run.stdout), expected, "{file}");
        assert_eq!(
            csv_records(&run.stdout)[1][0],
            first_id,
            "{file}: the submission id"
        );
        // The same answers, read as the plain file's (a space-separated multi-choice too).
        let rows = jsonl(&batch_dated(&export(file), &["--format", "jsonl"]).stdout);
        let plain_rows = jsonl(&plain_results(&["--format", "jsonl"]).stdout);
        for (row, plain_row) in rows.iter().zip(&plain_rows) {
            assert_eq!(row["profile"], plain_row["profile"], "{file}");
            assert_eq!(row["programs"], plain_row["programs"], "{file}");
        }
        assert_eq!(
            rows[3]["profile"]["regional_system"],
            serde_json::json!(["aripo", "oapi"])
        );
    }
}

/// Users delete an export's tool columns (`_id`, `_uuid`, `start`, `SubmissionDate` …): the
/// questions' group paths still say what it is. Such a file was refused with advice about
/// title rows (found by helper 141).
#[test]
fn an_export_without_its_tool_columns_is_read_by_its_group_paths() {
    let expected = without_ids(&plain_results(&[]).stdout);
    for file in ["kobo.csv", "odk-central.csv"] {
        let text = std::fs::read_to_string(export(file)).unwrap();
        let delimiter = if file == "kobo.csv" { b';' } else { b',' };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        // The questions' columns: a group path, and neither Kobo's `_…` nor ODK's `meta-…`.
        let kept: Vec<usize> = (records[0].iter().enumerate())
            .filter(|(_, name)| name.contains(['/', '-']) && !name.starts_with("meta"))
            .map(|(position, _)| position)
            .collect();
        assert!(kept.len() >= 30, "{file}: {:?}", &records[0]);
        let mut writer = csv::Writer::from_writer(Vec::new());
        for record in &records {
            writer
                .write_record(kept.iter().map(|&position| &record[position]))
                .unwrap();
        }
        let stripped = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let run = ipneeds_as_of("2024-03-05")
            .file("stripped.csv", &stripped)
            .args(["batch", "stripped.csv"])
            .run();
        run.expect_code(0, file);
        assert_eq!(without_ids(&run.stdout), expected, "{file}");
    }
}

#[test]
fn an_export_row_gets_ldc_status_for_its_submission_date_unless_as_of_is_given() {
    let status = |run: &Output| -> Vec<String> {
        jsonl(&run.stdout)
            .iter()
            .map(|row| {
                row["profile"]["ldc_status"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    };
    // Submitted in 2024: Bangladesh and São Tomé were graduating then.
    let dated = batch_dated(&export("kobo.csv"), &["--format", "jsonl"]);
    dated.expect_code(0, "kobo.csv, dated");
    assert_eq!(status(&dated), ["ldc", "graduating", "graduating", "no"]);
    // `--as-of` wins: São Tomé graduated on 2024-12-13; the fast path reads the export's
    // columns as the plain file's.
    for file in ["kobo.csv", "odk-central.csv"] {
        let jsonl_run = ipneeds()
            .args(["batch", "--format", "jsonl"])
            .arg(export(file))
            .run();
        jsonl_run.expect_code(0, file);
        assert_eq!(
            status(&jsonl_run),
            ["ldc", "graduating", "graduated", "no"],
            "{file}"
        );
        let csv = ipneeds().arg("batch").arg(export(file)).run();
        let plain = ipneeds().arg("batch").arg(export("plain.csv")).run();
        let reference = ipneeds()
            .env("IPNEEDS_REFERENCE_PATH", "1")
            .arg("batch")
            .arg(export(file))
            .run();
        assert_eq!(
            csv.stdout, reference.stdout,
            "{file}: fast and reference paths"
        );
        assert_eq!(
            without_ids(&csv.stdout),
            without_ids(&plain.stdout),
            "{file}"
        );
    }
}

#[test]
fn an_export_with_only_split_multi_choice_columns_rebuilds_the_answer() {
    let text = std::fs::read_to_string(export("odk-central.csv")).unwrap();
    let records = csv_records(&text);
    let joined = records[0]
        .iter()
        .position(|name| name == "context-regional_system")
        .unwrap();
    let mut bytes = Vec::new();
    {
        let mut writer = csv::Writer::from_writer(&mut bytes);
        for record in &records {
            let mut record = record.clone();
            record.remove(joined);
            writer.write_record(&record).unwrap();
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let split_only = dir.path().join("split.csv");
    std::fs::write(&split_only, &bytes).unwrap();
    let run = batch_dated(&split_only, &[]);
    run.expect_code(0, "split columns only");
    assert_eq!(
        without_ids(&run.stdout),
        without_ids(&plain_results(&[]).stdout)
    );
    // A split cell that is not 0 or 1 rejects its row, naming the column.
    let bad = String::from_utf8(bytes).unwrap().replacen(
        ",no,1,1,0,0,0,0,0,adopted,",
        ",no,yes,1,0,0,0,0,0,adopted,",
        1,
    );
    assert!(bad.contains(",yes,1,"), "{bad}");
    std::fs::write(&split_only, bad).unwrap();
    let run = batch_dated(&split_only, &[]);
    run.expect_code(1, "a bad split cell");
    run.stderr_line_with(&[
        "split.csv:6: column `context-regional_system/aripo`",
        "is `yes`: a split multi-choice column holds 1 (chosen) or 0 (not chosen)",
    ]);
}

/// Kobo names a split choice's column with the group separator chosen for the export:
/// `context.regional_system.aripo` with "." as `context/regional_system/aripo` with "/". Read
/// only at "/", those columns were ignored with a warning and the answers lost, exit 0.
#[test]
fn a_kobo_export_with_a_dot_group_separator_reads_its_split_choices() {
    let text = std::fs::read_to_string(export("kobo.csv")).unwrap();
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .unwrap();
    let joined = records[0]
        .iter()
        .position(|name| name == "context/regional_system")
        .unwrap();
    let mut bytes = Vec::new();
    {
        let mut writer = csv::Writer::from_writer(&mut bytes);
        for (line, record) in records.iter().enumerate() {
            let mut record: Vec<String> = record
                .iter()
                .map(|cell| match line {
                    0 => cell.replace('/', "."),
                    _ => cell.to_string(),
                })
                .collect();
            record.remove(joined);
            writer.write_record(&record).unwrap();
        }
    }
    let header = String::from_utf8_lossy(&bytes)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(header.contains("context.regional_system.aripo"), "{header}");
    let dir = tempfile::tempdir().unwrap();
    let dotted = dir.path().join("dotted.csv");
    std::fs::write(&dotted, &bytes).unwrap();
    let run = batch_dated(&dotted, &[]);
    run.expect_code(0, "a dotted export");
    assert!(
        !warns_of_more_than_unasked_answers(&run.stderr),
        "{}",
        run.stderr
    );
    assert_eq!(
        without_ids(&run.stdout),
        without_ids(&plain_results(&[]).stdout)
    );
}

/// A split column of a choice the questionnaire does not list, marked 1, is the respondent's
/// answer: the row is rejected with the allowed values. Ignored, it left the answer unknown
/// and the country's prefill (Kenya: ARIPO) answered against the respondent's 0.
#[test]
fn a_split_column_of_an_unknown_choice_is_not_overruled_by_the_prefill() {
    let export = "\"context/country\";\"context/regional_system/aripo\";\"context/regional_system/oapi\";\"context/regional_system/wipo_pct\";\"_uuid\"\n\"KEN\";\"0\";\"0\";\"1\";\"u1\"\n\"UGA\";\"0\";\"1\";\"0\";\"u2\"\n";
    let run = ipneeds()
        .file("k.csv", export)
        .args(["batch", "k.csv", "--format", "jsonl"])
        .run();
    run.expect_code(1, "the unknown choice rejects its row");
    run.stderr_line_with(&[
        "k.csv:2: column `context/regional_system/wipo_pct`",
        "`wipo_pct` is not a value of `regional_system`: allowed values are aripo, oapi",
    ]);
    let rows = jsonl(&run.stdout);
    assert_eq!(rows.len(), 1, "{}", run.stdout);
    assert_eq!(
        rows[0]["profile"]["regional_system"],
        serde_json::json!(["oapi"])
    );
}

/// An answer read from split columns only (no `regional_system` column) that breaks a rule
/// is placed at its first split column, where the user finds it; it was placed at a column
/// past the header's end (`K9` in a workbook of ten columns).
#[test]
fn an_answer_from_split_columns_only_is_placed_at_its_first_split_column() {
    let export = "context/country,context/regional_system/aripo,context/regional_system/none,_uuid\nUGA,1,1,u1\n";
    let run = ipneeds()
        .file("k.csv", export)
        .args(["batch", "k.csv", "--as-of", "2025-01-01"])
        .run();
    run.expect_code(1, "aripo with none rejects the row");
    run.stderr_line_with(&[
        "k.csv:2: column `context/regional_system/aripo`",
        "`none` cannot go with other values",
    ]);
}

#[test]
fn a_kobo_export_with_labels_is_refused_with_the_option_to_choose() {
    let run = batch_dated(&export("kobo-labels.csv"), &[]);
    run.expect_code(2, "kobo-labels.csv");
    run.stderr_line_with(&[
        "kobo-labels.csv:1: this looks like a KoboToolbox export with labels as headers (column 3 is `which country is this profile for?`)",
        "export again with 'XML values and headers' (Data → Downloads → Value and header format)",
    ]);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn a_bad_submission_time_rejects_its_row_with_the_column() {
    let text = std::fs::read_to_string(export("kobo.csv"))
        .unwrap()
        .replacen("\"2024-03-12T08:01:09\"", "\"12/03/2024 08:01\"", 1);
    let run = batch_bytes(text.as_bytes(), &[]);
    // `--as-of` is given (batch_bytes): the submission time is not read.
    run.expect_code(0, "a bad submission time with --as-of");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kobo.csv");
    std::fs::write(&path, text).unwrap();
    let run = batch_dated(&path, &[]);
    run.expect_code(1, "a bad submission time");
    run.stderr_line_with(&[
        "kobo.csv:3: column `_submission_time`",
        "the submission time is `12/03/2024 08:01`",
        "--as-of",
    ]);
    assert_eq!(
        csv_records(&run.stdout).len(),
        4,
        "the other rows are scored"
    );
}

#[test]
fn multi_choice_answers_may_be_separated_by_spaces() {
    let run = batch_bytes(
        b"id,country,regional_system\nr1,,aripo  oapi\nr2,,aripo oapx\n",
        &["--format", "jsonl"],
    );
    run.expect_code(1, "space-separated multi-choice");
    let rows = jsonl(&run.stdout);
    assert_eq!(
        rows[0]["profile"]["regional_system"],
        serde_json::json!(["aripo", "oapi"])
    );
    run.stderr_line_with(&["`regional_system` is `aripo oapx`", "allowed values are"]);
}

/// A multi-choice cell of separators alone (`;`, ` | `) chooses nothing: it is unknown, as an
/// empty cell is, and the country still prefills it. It was an answer of no values, which kept
/// Uganda's ARIPO membership out of the profile without a word; both paths read it alike.
#[test]
fn a_multi_choice_cell_of_separators_alone_is_unknown_and_prefilled() {
    let csv = b"id,country,regional_system,missing_laws\nr1,UGA,;,\nr2,UGA, | , ; \nr3,UGA,,\n";
    let rows_of = |reference: bool| {
        let mut run = ipneeds()
            .file("p.csv", csv)
            .args(["batch", "p.csv", "-f", "jsonl"]);
        if reference {
            run = run.env("IPNEEDS_REFERENCE_PATH", "1");
        }
        let run = run.run();
        run.success();
        jsonl(&run.stdout)
    };
    let rows = rows_of(false);
    assert_eq!(rows, rows_of(true), "the fast and the general path agree");
    for row in &rows {
        assert_eq!(row["profile"], rows[2]["profile"], "{row}");
        assert_eq!(
            row["profile"]["regional_system"],
            serde_json::json!(["aripo"]),
            "{row}"
        );
        assert_eq!(
            row["prefilled"],
            serde_json::json!(["ldc_status", "regional_system"]),
            "{row}"
        );
    }
    let score = ipneeds()
        .file("a.yaml", "country: UGA\nregional_system: \";\"\n")
        .args(["score", "a.yaml", "--format", "json"])
        .run();
    score.success();
    let report: Value = serde_json::from_str(&score.stdout).unwrap();
    assert_eq!(
        report["profile"]["regional_system"],
        serde_json::json!(["aripo"])
    );
}

// ---- issue 18: spreadsheets in ----

/// The rows of `tests/data/cases/profiles.csv`.
fn case_rows() -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(repo().join("tests/data/cases/profiles.csv"))
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

#[test]
fn a_profile_workbook_scores_byte_for_byte_as_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let batch = |input: &Path, out: &str| {
        let out = dir.path().join(out);
        ipneeds()
            .args(["batch", "--top", "3", "-o"])
            .arg(&out)
            .arg(input)
            .run()
            .expect_code(0, &format!("batch {}", input.display()));
        std::fs::read(out).unwrap()
    };
    let expected = batch(&repo().join("tests/data/cases/profiles.csv"), "csv.csv");
    let typed = dir.path().join("typed.xlsx");
    write_xlsx(&typed, "Profiles", &case_rows(), |_| {});
    let sheets = repo().join("tests/data/sheets");
    for (input, out) in [
        (typed.clone(), "typed.csv"),
        (sheets.join("profiles.xlsx"), "xlsx.csv"),
        (sheets.join("profiles.ods"), "ods.csv"),
    ] {
        let got = batch(&input, out);
        assert!(
            got == expected,
            "{} scores differently from its CSV:\n{}\nvs\n{}",
            input.display(),
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected)
        );
    }
    // eval reads the workbook too.
    let expected_grades = repo().join("tests/data/cases/expected.csv");
    let eval = |profiles: &Path| {
        let result = ipneeds()
            .args(["eval", "--format", "json"])
            .arg(profiles)
            .arg(&expected_grades)
            .run();
        result.expect_code(0, "eval");
        result.stdout
    };
    assert_eq!(
        eval(&typed),
        eval(&repo().join("tests/data/cases/profiles.csv"))
    );
}

/// A TRUE or FALSE cell reads as the same row saved as CSV reads it: a yes/no answer, and no
/// country. It was read as `no`, Norway's code: `=IF(…, "UGA")` without its "else" gives FALSE,
/// and the row was scored as Norway without a word.
#[test]
fn a_true_or_false_cell_answers_yes_or_no_and_is_no_country() {
    let run = ipneeds();
    let book = run.path("flags.xlsx");
    let header = ["id", "country", "online_filing", "regional_system/aripo"];
    let rows: Vec<Vec<String>> = [header.to_vec(), vec!["A", "UGA"], vec!["B", "KEN"]]
        .iter()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect();
    write_xlsx(&book, "Profiles", &rows, |sheet| {
        sheet.write_boolean(1, 2, false).unwrap();
        sheet.write_boolean(1, 3, true).unwrap();
        sheet.write_boolean(2, 1, false).unwrap();
        sheet.write_boolean(2, 2, true).unwrap();
        sheet.write_boolean(2, 3, false).unwrap();
    });
    let result = run
        .args(["batch", "--format", "jsonl", "--top", "1"])
        .arg(&book)
        .run();
    result.expect_code(1, "the row whose country is FALSE is rejected");
    result.stderr_line_with(&["Profiles!B3", "FALSE"]);
    let rows: Vec<Value> = (result.stdout.lines())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(rows.len(), 1, "{}", result.stdout);
    assert_eq!(rows[0]["id"], "A");
    assert_eq!(rows[0]["profile"]["online_filing"], "no");
    assert_eq!(
        rows[0]["profile"]["regional_system"],
        serde_json::json!(["aripo"])
    );
    result.stdout_lacks("NOR");
}

/// A value the file holds in a cell a merged range hides (LibreOffice keeps them when asked,
/// other programs write them) is named in the warning and not read, as the sheet does not show
/// it: B3's `KEN` under B2:B3 (`UGA`) was replaced without a word, and D3's 4 under C3:D3 was
/// read while the warning said column D is read as empty.
#[test]
fn a_value_hidden_under_a_merged_range_is_named_and_not_read() {
    let rows: Vec<Vec<String>> = [
        vec!["id", "country", "ip_strategy", "patent_examiners"],
        vec!["A", "", "adopted", "3"],
        vec!["B", "", "", ""],
        vec!["C", "TZA", "none", "5"],
    ]
    .iter()
    .map(|row| row.iter().map(|c| c.to_string()).collect())
    .collect();
    let run = ipneeds();
    let book = run.path("hidden.xlsx");
    write_xlsx(&book, "Profiles", &rows, |sheet| {
        let format = rust_xlsxwriter::Format::new();
        sheet.merge_range(1, 1, 2, 1, "UGA", &format).unwrap();
        sheet.write_string(2, 1, "KEN").unwrap();
        sheet.merge_range(2, 2, 2, 3, "none", &format).unwrap();
        sheet.write_number(2, 3, 4.0).unwrap();
    });
    let result = run
        .args(["batch", "--format", "jsonl", "--top", "1"])
        .arg(&book)
        .run();
    result.expect_code(0, "batch of a workbook with values under merges");
    result.stderr_line_with(&[
        "Profiles!B2:B3 is merged: its value `UGA` was used for every row it covers",
        "under the merge, out of sight, B3 holds `KEN`: it is not read",
    ]);
    result.stderr_line_with(&[
        "Profiles!C3:D3 is merged: its value `none` answers column C (`ip_strategy`) only, and column D is read as empty",
        "under the merge, out of sight, D3 holds `4`: it is not read",
    ]);
    let b: Value = serde_json::from_str(result.stdout_line_with(&["\"id\":\"B\""])).unwrap();
    assert_eq!(b["profile"]["country"], "UGA", "{b}");
    assert_eq!(b["profile"]["ip_strategy"], "none", "{b}");
    assert!(b["profile"].get("patent_examiners").is_none(), "{b}");
}

#[test]
fn a_merged_range_in_a_workbook_is_read_on_every_row_it_covers_and_named() {
    // A planner merges B2:B3 (UGA) and C2:C3 (full): the sheet shows them on both rows.
    // Row 4 merges E4:F4: its value answers column E only.
    let header = [
        "id",
        "country",
        "substantive_examination",
        "pending_applications",
        "patent_examiners",
        "online_filing",
    ];
    let rows: Vec<Vec<String>> = [
        header.to_vec(),
        vec!["A", "UGA", "full", "2400", "3", "no"],
        vec!["B", "", "", "1000", "3", "no"],
        vec!["C", "KEN", "full", "2400", "", ""],
    ]
    .iter()
    .map(|row| row.iter().map(|c| c.to_string()).collect())
    .collect();
    let run = ipneeds();
    let book = run.path("merged.xlsx");
    write_xlsx(&book, "Profiles", &rows, |sheet| {
        let format = rust_xlsxwriter::Format::new();
        sheet.merge_range(1, 1, 2, 1, "UGA", &format).unwrap();
        sheet.merge_range(1, 2, 2, 2, "full", &format).unwrap();
        sheet.merge_range(3, 4, 3, 5, "", &format).unwrap();
        sheet.write_number(3, 4, 7.0).unwrap();
    });
    let result = run.args(["batch", "--top", "1"]).arg(&book).run();
    result.expect_code(0, "batch of a workbook with merged cells");
    result.stdout_line_with(&["B,UGA,"]);
    result.stderr_line_with(&[
        "warning: ",
        "merged.xlsx Profiles!B2:B3 is merged: its value `UGA` was used for every row it covers (rows 2 to 3)",
        "unmerge the cells",
    ]);
    result.stderr_line_with(&["Profiles!C2:C3 is merged: its value `full`"]);
    result.stderr_line_with(&[
        "Profiles!E4:F4 is merged: its value `7` answers column E (`patent_examiners`) only, and column F is read as empty",
    ]);
    // check names the same ranges.
    let checked = ipneeds().arg("check").arg(&book).run();
    checked.expect_code(0, "check of a workbook with merged cells");
    checked.stderr_line_with(&["warning: ", "merged.xlsx Profiles!B2:B3 is merged"]);
    // A merge over the header row is refused, named, with the fix.
    for (merge, what) in [
        ((0, 1, 1, 1), "across the header row and the rows below it"),
        ((0, 1, 0, 2), "across columns of the header row"),
    ] {
        let run = ipneeds();
        let book = run.path("header.xlsx");
        write_xlsx(&book, "Profiles", &rows, |sheet| {
            let (top, left, bottom, right) = merge;
            let format = rust_xlsxwriter::Format::new();
            sheet
                .merge_range(top, left, bottom, right, "country", &format)
                .unwrap();
        });
        let result = run.arg("batch").arg(&book).run();
        result.expect_code(2, "batch of a workbook with a merged header");
        result.stderr_line_with(&["header.xlsx Profiles!B1:", what, "unmerge the cells"]);
    }
}

#[test]
fn a_survey_submission_given_twice_is_named_with_both_rows() {
    let export = "country,ip_strategy,_uuid,_submission_time\n\
        UGA,none,u-1,2024-03-05T10:22:31\n\
        BGD,adopted,u-2,2024-03-05T10:22:31\n\
        UGA,none,u-1,2024-03-05T10:22:31\n";
    let run = ipneeds().file("kobo.csv", export);
    let input = run.path("kobo.csv");
    let result = run.args(["batch", "--top", "1"]).arg(&input).run();
    result.expect_code(0, "batch of an export with a submission twice");
    result.stderr_line_with(&[
        "warning: ",
        "kobo.csv:4: submission `u-1` (column `_uuid`) appears on lines 2 and 4: both are scored and counted; remove one to count the country once",
    ]);
    result.stderr_line_with(&["3 row(s) scored, 0 rejected"]);
    let checked = ipneeds().file("kobo.csv", export);
    let input = checked.path("kobo.csv");
    let checked = checked.arg("check").arg(&input).run();
    checked.stderr_line_with(&["kobo.csv:4: submission `u-1`", "lines 2 and 4"]);
    // A plain table's ids are the planner's own labels: a repeat may be meant (two scenarios
    // for one country), and is not warned about.
    let plain = "id,country,ip_strategy\nu-1,UGA,none\nu-1,UGA,adopted\n";
    let run = ipneeds().file("plain.csv", plain);
    let input = run.path("plain.csv");
    let result = run.arg("batch").arg(&input).run();
    result.expect_code(0, "batch of a plain table with an id twice");
    result.stderr_lacks("appears on");
}

/// A submission a reviewer rejected is still in the export: it is scored (the planner decides),
/// but never silently: a warning names its line and the verdict, in `batch` and `check`.
#[test]
fn a_survey_submission_a_reviewer_rejected_is_named() {
    for (export, line, verdict) in [
        (
            "SubmissionDate,context-country,policy_and_law-ip_strategy,KEY,ReviewState\n\
             2024-03-05T10:22:31.123Z,UGA,none,uuid:a,approved\n\
             2024-03-05T10:22:31.123Z,BGD,adopted,uuid:b,rejected\n",
            "export.csv:3",
            "(column `ReviewState`: `rejected`)",
        ),
        (
            "country,ip_strategy,_uuid,_submission_time,_validation_status\n\
             UGA,none,u-1,2024-03-05T10:22:31,validation_status_not_approved\n\
             BGD,adopted,u-2,2024-03-05T10:22:31,validation_status_approved\n",
            "export.csv:2",
            "(column `_validation_status`: `validation_status_not_approved`)",
        ),
    ] {
        let result = ipneeds()
            .file("export.csv", export)
            .args(["batch", "--top", "1", "export.csv"])
            .run();
        result.expect_code(0, "batch of an export with a rejected submission");
        result.stderr_line_with(&[
            &format!("warning: {line}: a reviewer rejected this submission {verdict}"),
            "remove its row",
        ]);
        assert_eq!(result.stderr.matches("a reviewer rejected").count(), 1);
        result.stderr_line_with(&["2 row(s) scored, 0 rejected"]);
        let checked = ipneeds()
            .file("export.csv", export)
            .args(["check", "export.csv"])
            .run();
        checked.stderr_line_with(&[line, "a reviewer rejected this submission"]);
    }
    // Past the ten named, the total is given.
    let mut many = String::from("SubmissionDate,context-country,KEY,ReviewState\n");
    for i in 0..12 {
        many.push_str(&format!("2024-03-05T10:22:31.123Z,UGA,uuid:{i},rejected\n"));
    }
    let result = ipneeds()
        .file("export.csv", &many)
        .args(["batch", "--top", "1", "export.csv"])
        .run();
    assert_eq!(
        result.stderr.matches("a reviewer rejected this").count(),
        10
    );
    result.stderr_line_with(&[
        "export.csv: 12 submissions in all were rejected or put on hold by a reviewer (column `ReviewState`)",
    ]);
}

/// A submission a reviewer put on hold (ODK Central's `hasIssues`, KoboToolbox's "On Hold") is
/// scored too, with a warning saying its answers are in question; approved ones are not named.
#[test]
fn a_survey_submission_a_reviewer_put_on_hold_is_named() {
    for (export, line, verdict) in [
        (
            "SubmissionDate,context-country,policy_and_law-ip_strategy,KEY,ReviewState\n\
             2024-03-05T10:22:31.123Z,UGA,none,uuid:a,approved\n\
             2024-03-05T10:22:31.123Z,BGD,adopted,uuid:b,hasIssues\n",
            "export.csv:3",
            "(column `ReviewState`: `hasIssues`)",
        ),
        (
            "country,ip_strategy,_uuid,_submission_time,_validation_status\n\
             UGA,none,u-1,2024-03-05T10:22:31,On Hold\n\
             BGD,adopted,u-2,2024-03-05T10:22:31,validation_status_approved\n",
            "export.csv:2",
            "(column `_validation_status`: `On Hold`)",
        ),
    ] {
        let result = ipneeds()
            .file("export.csv", export)
            .args(["batch", "--top", "1", "export.csv"])
            .run();
        result.expect_code(0, "batch of an export with a submission on hold");
        result.stderr_line_with(&[
            &format!("warning: {line}: a reviewer put this submission on hold (it has issues to resolve) {verdict}"),
            "check its answers",
        ]);
        assert_eq!(result.stderr.matches("a reviewer").count(), 1);
        result.stderr_lacks("rejected this");
        result.stderr_line_with(&["2 row(s) scored, 0 rejected"]);
    }
}

/// A column headed as a person writes the field (`IP Strategy`) is that field; a bad answer
/// in it is named by its own cell and heading, not the cell after the last column.
#[test]
fn a_bad_cell_under_a_heading_written_otherwise_is_named_by_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("profiles.xlsx");
    let rows = [
        vec!["Country".to_string(), "Notes".into(), "IP Strategy".into()],
        vec![
            "UGA".to_string(),
            "from the 2023 audit".into(),
            "maybe".into(),
        ],
    ];
    write_xlsx(&book, "Sheet1", &rows, |_| {});
    let run = ipneeds().arg("batch").arg(&book).run();
    run.expect_code(1, "a bad answer under a written-out heading");
    run.stderr_line_with(&["Sheet1!C2 (column IP Strategy)", "`ip_strategy` is `maybe`"]);
    let csv = ipneeds()
        .file("profiles.csv", "Country,IP Strategy\nUGA,maybe\n")
        .args(["batch", "profiles.csv"])
        .run();
    csv.stderr_line_with(&["profiles.csv:2: column `IP Strategy`:", "`maybe`"]);
}

/// A number column a spreadsheet formatted as dates or times: the cell is shown as the
/// spreadsheet shows it (`10:30`, not `1899-12-31 10:30:00`) and said to be a date or time.
#[test]
fn a_date_or_time_in_a_workbook_number_column_is_named_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("profiles.xlsx");
    let rows = [vec![
        "country".to_string(),
        "patent_examiners".into(),
        "patent_pendency_months".into(),
    ]];
    write_xlsx(&book, "Sheet1", &rows, |sheet| {
        sheet.write_string(1, 0, "UGA").unwrap();
        let day = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        let time = rust_xlsxwriter::Format::new().set_num_format("hh:mm");
        // 45356 is 2024-03-05; 0.4375 of a day is 10:30.
        sheet.write_number_with_format(1, 1, 45356.0, &day).unwrap();
        sheet.write_number_with_format(1, 2, 0.4375, &time).unwrap();
    });
    let run = ipneeds().arg("batch").arg(&book).run();
    run.expect_code(1, "dates in number columns");
    run.stderr_line_with(&[
        "Sheet1!B2",
        "`2024-03-05`, a date or time, not a whole number",
    ]);
    run.stderr_line_with(&["Sheet1!C2", "`10:30`, a date or time, not a number"]);
    run.stderr_lacks("1899");
    run.stderr_lacks("thousands");
}

#[test]
fn a_bad_workbook_cell_is_named_by_sheet_cell_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("profiles.xlsx");
    write_xlsx(&book, "Sheet1", &case_rows(), |sheet| {
        // D7: the 6th profile's regional_system; K3: a formula that found nothing; B5: a
        // country that does not exist.
        sheet.write_string(6, 3, "maybe").unwrap();
        sheet.write_string(4, 1, "Narnia").unwrap();
        sheet
            .write_formula(
                2,
                10,
                rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A"),
            )
            .unwrap();
    });
    let errors = dir.path().join("errors.csv");
    let result = ipneeds()
        .args(["batch", "--errors"])
        .arg(&errors)
        .arg(&book)
        .run();
    result.expect_code(1, "batch with bad cells");
    result.stderr_line_with(&[
        "profiles.xlsx Sheet1!D7 (column regional_system): `regional_system` is `maybe`",
    ]);
    result.stderr_line_with(&[
        "profiles.xlsx Sheet1!K3 (column pending_applications): the cell holds the spreadsheet error #N/A",
    ]);
    result.stderr_line_with(&["profiles.xlsx Sheet1!B5 (column country):", "Narnia"]);
    result.stderr_line_with(&["9 row(s) scored, 3 rejected"]);
    let listed = std::fs::read_to_string(&errors).unwrap();
    assert!(listed.contains("regional_system,maybe,"), "{listed}");
    assert!(listed.contains("pending_applications,#N/A,"), "{listed}");
}

/// A workbook's header problems are named by cell, as its answers' are: `Sheet1!C1`, not the
/// CSV form `Sheet1:1` (which a spreadsheet user cannot go to).
#[test]
fn a_workbook_header_problem_is_named_by_its_cell() {
    let cells = |rows: &[&[&str]]| -> Vec<Vec<String>> {
        (rows.iter())
            .map(|row| row.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let misnamed = dir.path().join("misnamed.xlsx");
    write_xlsx(
        &misnamed,
        "Sheet1",
        &cells(&[&["country", "patent_examiner"], &["UGA", "3"]]),
        |_| {},
    );
    ipneeds()
        .arg("batch")
        .arg(&misnamed)
        .run()
        .expect_code(1, "a misnamed column")
        .stderr_line_with(&[
            "warning: ",
            "misnamed.xlsx Sheet1!B1: column `patent_examiner` is not a profile field (did you mean `patent_examiners`?)",
        ]);
    let twice = dir.path().join("twice.xlsx");
    write_xlsx(
        &twice,
        "Sheet1",
        &cells(&[
            &["country", "ldc_status", "ldc_status"],
            &["UGA", "ldc", "ldc"],
        ]),
        |_| {},
    );
    ipneeds()
        .arg("batch")
        .arg(&twice)
        .run()
        .expect_code(2, "a column twice")
        .stderr_line_with(&[
            "twice.xlsx Sheet1!C1: column `ldc_status` appears twice (B1 and C1): keep one",
        ]);
}

#[test]
fn a_sheet_is_chosen_by_name_with_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("profiles.xlsx");
    write_xlsx(&book, "Profiles 2024", &case_rows(), |_| {});
    let wrong = ipneeds()
        .args(["batch", "--sheet", "Profiles 2042"])
        .arg(&book)
        .run();
    wrong.expect_code(2, "batch --sheet with a misspelt name");
    wrong.stderr_line_with(&[
        "no sheet `Profiles 2042` (did you mean `Profiles 2024`?)",
        "the workbook's sheets are `Profiles 2024`",
    ]);
    let right = ipneeds()
        .args(["batch", "--top", "1", "--sheet", "Profiles 2024"])
        .arg(&book)
        .run();
    right.expect_code(0, "batch --sheet");
    right.stdout_line_with(&["v01-ldc-foundations,"]);
    // --sheet on a CSV is refused, not ignored.
    let csv = ipneeds()
        .args(["batch", "--sheet", "Sheet1"])
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .run();
    csv.expect_code(2, "--sheet with a CSV");
    csv.stderr_line_with(&["--sheet `Sheet1` applies to workbooks"]);
}

/// A workbook whose first sheet is a cover note: the message names the other sheets and
/// `--sheet`, and `check` takes `--sheet` as `batch` does.
#[test]
fn a_first_sheet_without_profiles_names_the_others_and_check_takes_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("profiles.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "read me").unwrap();
    let profiles = workbook.add_worksheet();
    profiles.set_name("Profiles 2024").unwrap();
    for (r, row) in case_rows().iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            profiles.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    workbook.save(&book).unwrap();
    for command in ["batch", "check"] {
        let first = ipneeds().arg(command).arg(&book).run();
        first.expect_code(if command == "batch" { 2 } else { 1 }, command);
        first.stderr_line_with(&[
            "profiles.xlsx Notes row 1: no column is a profile field",
            "the workbook's other sheets are `Profiles 2024`: give the sheet of profiles with --sheet NAME",
        ]);
    }
    let checked = ipneeds()
        .args(["check", "--sheet", "Profiles 2024"])
        .arg(&book)
        .run();
    checked.expect_code(0, "check --sheet");
    checked.stderr_line_with(&["ok: ", "no problems"]);
    // Without a workbook, --sheet is refused, not ignored.
    let csv = ipneeds()
        .args(["check", "--sheet", "Profiles 2024"])
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .run();
    csv.expect_code(2, "check --sheet with a CSV");
    csv.stderr_line_with(&["--sheet `Profiles 2024` applies to workbooks"]);
}

/// A workbook with two sheets headed with fields (two years of profiles; or the lists of
/// values a form's drop-downs take, headed with field ids, kept first): the first sheet was
/// scored, the other never read, and nothing said so (a tester's finding). The user chooses;
/// a sheet of something else beside the profiles changes nothing; the workbook's About names
/// the sheet read.
#[test]
fn a_workbook_with_two_sheets_of_fields_asks_which_to_read() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("profiles.xlsx");
    let write = |second: &str, rows: &[Vec<String>]| {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        for (name, rows) in [("Profiles 2023", &case_rows()[..2]), (second, rows)] {
            let sheet = workbook.add_worksheet();
            sheet.set_name(name).unwrap();
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    sheet.write_string(r as u32, c as u16, cell).unwrap();
                }
            }
        }
        workbook.save(&book).unwrap();
    };
    write("Profiles 2024", &case_rows());
    for command in ["batch", "check"] {
        let run = ipneeds().arg(command).arg(&book).run();
        run.expect_code(if command == "batch" { 2 } else { 1 }, command);
        run.stderr_line_with(&[
            "profiles.xlsx: its sheets `Profiles 2023` (the first, read when no sheet is given) and `Profiles 2024` both have columns of profile fields: give the sheet of profiles with --sheet NAME",
        ]);
    }
    let out = dir.path().join("results.xlsx");
    let chosen = (ipneeds().args(["batch", "--sheet", "Profiles 2024"]))
        .arg(&book)
        .arg("-o")
        .arg(&out)
        .run();
    chosen.expect_code(0, "--sheet");
    let about = open_book(&out).worksheet_range("About").unwrap();
    let input = (1..about.height() as u32)
        .find(|&r| text_cell(&about, r, 0) == "input")
        .map(|r| text_cell(&about, r, 1));
    assert_eq!(
        input,
        Some(format!("{}, sheet `Profiles 2024`", book.display()))
    );
    // Beside a sheet of notes, the profiles are read as before.
    write(
        "Notes",
        &[vec!["country".to_string(), "who filled it".to_string()]],
    );
    ipneeds()
        .arg("batch")
        .arg(&book)
        .run()
        .expect_code(0, "notes");
}

/// `template -o FILE.xlsx` writes a survey form; given to `batch` as if it were a table to fill
/// in, it is named for what it is, with the way to a table (a tester's finding).
#[test]
fn the_survey_form_given_as_profiles_is_named_with_the_way_to_a_table() {
    let made = ipneeds().args(["template", "-o", "form.xlsx"]).run();
    made.expect_code(0, "template -o form.xlsx");
    let run = ipneeds().arg("batch").arg(made.path("form.xlsx")).run();
    run.expect_code(2, "a form as profiles");
    let line = run.stderr_line_with(&[
        "form.xlsx survey row 1: no column is a profile field",
        "this is a survey form (XLSForm) for KoboToolbox or ODK",
        "write `ipneeds template -o profiles.csv`",
    ]);
    assert!(!line.contains("--sheet"), "{line}");
}

#[test]
fn a_workbook_named_csv_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("profiles.xlsx");
    write_xlsx(&book, "Sheet1", &case_rows(), |_| {});
    let misnamed = dir.path().join("profiles.csv");
    std::fs::copy(&book, &misnamed).unwrap();
    let result = ipneeds().arg("batch").arg(&misnamed).run();
    result.expect_code(2, "a workbook named .csv");
    result.stderr_line_with(&["is a zip archive (an .xlsx or .ods workbook), not CSV text"]);
}

// ---- issue 18: results workbook ----

use calamine::Reader as _;

type Book = calamine::Xlsx<std::io::BufReader<std::fs::File>>;

const WORKBOOK_SHEETS: [&str; 5] = ["Results", "Heat map", "Reasons", "Planning", "About"];

fn open_book(path: &Path) -> Book {
    calamine::open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A text cell's value; a failure for any other kind of cell.
fn text_cell(range: &calamine::Range<calamine::Data>, row: u32, column: u32) -> String {
    match range.get((row as usize, column as usize)) {
        Some(calamine::Data::String(text)) => text.clone(),
        other => panic!("cell ({row}, {column}) is not text: {other:?}"),
    }
}

/// A cell as a spreadsheet shows it: text as it is, a whole number without decimals.
fn shown_cell(range: &calamine::Range<calamine::Data>, row: u32, column: u32) -> String {
    match range.get((row as usize, column as usize)) {
        Some(calamine::Data::Float(value)) if value.fract() == 0.0 => format!("{value:.0}"),
        Some(calamine::Data::Int(value)) => value.to_string(),
        _ => text_cell(range, row, column),
    }
}

fn number_cell(range: &calamine::Range<calamine::Data>, row: u32, column: u32) -> f64 {
    match range.get((row as usize, column as usize)) {
        Some(calamine::Data::Float(value)) => *value,
        Some(calamine::Data::Int(value)) => *value as f64,
        other => panic!("cell ({row}, {column}) is not a number: {other:?}"),
    }
}

/// `--bom`: Excel, opening a CSV by a double-click, reads it as Windows-1252 unless it begins
/// with a byte order mark; the rest of the file is the same bytes.
#[test]
fn batch_bom_puts_a_byte_order_mark_before_the_same_csv() {
    let input = "id,country,challenges\nst,STP,Côte d'Ivoire's backlog of patent applications\n";
    let plain = ipneeds()
        .file("in.csv", input)
        .args(["batch", "in.csv"])
        .run();
    plain.expect_code(0, "batch");
    let marked = (ipneeds().file("in.csv", input))
        .args(["batch", "in.csv", "--bom", "-o", "out.csv"])
        .run();
    marked.expect_code(0, "batch --bom");
    let written = std::fs::read(marked.path("out.csv")).unwrap();
    assert_eq!(
        written.strip_prefix(b"\xEF\xBB\xBF"),
        Some(plain.stdout_bytes.as_slice())
    );
    assert!(
        !plain.stdout.starts_with('\u{feff}'),
        "a byte order mark without --bom"
    );

    // The rejected rows' file too, whose values are the user's own text; with a page of
    // results, --bom is for it alone.
    let input = "id,country\nci,Côte d’Ivoir\n";
    let run = (ipneeds().file("in.csv", input))
        .args([
            "batch",
            "in.csv",
            "--bom",
            "-o",
            "page.html",
            "--errors",
            "errors.csv",
        ])
        .run();
    run.expect_code(1, "a rejected row");
    let errors = std::fs::read(run.path("errors.csv")).unwrap();
    assert!(
        errors.starts_with(b"\xEF\xBB\xBFrow,id,column"),
        "{errors:?}"
    );
}

/// A header a person writes for a field (`Number of patent examiners`) holds its words but is
/// no near spelling of its id: its answers are not read, and the run says so as for a typo.
#[test]
fn a_column_named_with_every_word_of_a_field_is_not_read_silently() {
    let input = "id,country,Number of patent examiners,examiners\nk,KEN,40,12\n";
    let run = (ipneeds().file("in.csv", input))
        .args(["batch", "in.csv", "-o", "out.csv"])
        .run();
    run.expect_code(1, "a field's column misnamed");
    run.stderr_line_with(&[
        "column `Number of patent examiners`",
        "its answers are not read",
    ]);
    // One word of a field is a column of one's own, ignored with a warning.
    run.stderr_line_with(&["column `examiners`", "it is ignored"]);
    run.stderr_line_with(&["1 column(s) named like a field were not read"]);
}

/// A spreadsheet's heading for the country (`Country name`, `Country (ISO3)`) where the file
/// has no `country` column: read as notes, it lost every country's LDC status and region, and
/// the scores changed without a word (a tester's finding). Beside a `country` column it is
/// notes.
#[test]
fn a_country_column_under_a_spreadsheet_heading_is_not_read_silently() {
    for heading in ["Country name", "Country (ISO3)"] {
        let input = format!("id,{heading},ip_strategy\nug,UGA,none\n");
        let run = (ipneeds().file("in.csv", &input))
            .args(["batch", "in.csv", "-o", "out.csv"])
            .run();
        run.expect_code(1, heading);
        run.stderr_line_with(&[
            &format!("column `{heading}` is not a profile field (did you mean `country`?)"),
            "its answers are not read; give the column the field's id",
        ]);
    }
    let input = "id,country,Country name,ip_strategy\nug,UGA,Uganda,none\n";
    let run = (ipneeds().file("in.csv", input))
        .args(["batch", "in.csv", "-o", "out.csv"])
        .run();
    run.expect_code(0, "a name column beside the country's");
    run.stderr_line_with(&["column `Country name`", "it is ignored"]);
}

/// `check` takes a table as `batch` does: a column of notes is a warning, and the table is
/// fine; a field's column misnamed is a problem. `check` failed every table with notes, so
/// "check before you run" failed a normal file (a tester's finding).
#[test]
fn check_warns_of_a_column_of_notes_as_batch_does() {
    let notes = "id,country,ip_strategy,notes\nug,UGA,none,called in May\n";
    for command in ["batch", "check"] {
        let run = (ipneeds().file("in.csv", notes))
            .args([command, "in.csv"])
            .run();
        run.expect_code(0, command);
        run.stderr_line_with(&[
            "warning: in.csv:1: column `notes` is not a profile field; it is ignored",
        ]);
    }
    let misnamed = "id,Country name,ip_strategy\nug,UGA,none\n";
    let run = (ipneeds().file("in.csv", misnamed))
        .args(["check", "in.csv"])
        .run();
    run.expect_code(1, "a misnamed field");
    run.stderr_line_with(&["1 problem(s) in in.csv"]);
}

/// A question renamed in an edited questionnaire (`ip_strategy` to `national_ip_strategy`)
/// leaves the profiles' column of the old name unread: the run says so and exits 1, as for a
/// typo, since the column's every word is in the new name.
#[test]
fn a_column_a_renamed_question_left_behind_is_not_read_silently() {
    let builtin =
        std::fs::read_to_string(repo().join("questionnaires/ip-office-profile.yaml")).unwrap();
    let renamed = builtin
        .replace("id: ip_strategy\n", "id: national_ip_strategy\n")
        .replace("answer: ip_strategy,", "answer: national_ip_strategy,");
    assert_ne!(renamed, builtin);
    let run = (ipneeds().file("q.yaml", &renamed))
        .file("in.csv", "id,country,ip_strategy\nk,KEN,none\n")
        .args([
            "--questionnaire",
            "q.yaml",
            "batch",
            "in.csv",
            "-o",
            "out.csv",
        ])
        .run();
    run.expect_code(1, "a renamed question's column");
    run.stderr_line_with(&[
        "column `ip_strategy`",
        "did you mean `national_ip_strategy`",
        "its answers are not read",
    ]);
}

/// A Kobo export edited in one place only: a split column marked 1 while its question's own
/// cell is empty rejects the row (before, the split column was ignored and the answer lost).
#[test]
fn a_split_column_at_odds_with_its_questions_own_cell_rejects_the_row() {
    let export = std::fs::read_to_string(repo().join("tests/data/exports/kobo.csv")).unwrap();
    // UGA's row: regional_system empty, then its seven 0/1 columns empty; aripo marked 1.
    let edited = export.replacen("\"UGA\";\"\";\"\";\"\";", "\"UGA\";\"\";\"\";\"1\";", 1);
    assert_ne!(edited, export, "UGA's row is as the test expects");
    let run = (ipneeds().file("export.csv", &edited))
        .args(["batch", "export.csv", "-o", "out.csv"])
        .run();
    run.expect_code(1, "a split column at odds with its question's cell");
    run.stderr_line_with(&[
        "export.csv:2: column `context/regional_system`",
        "`context/regional_system/aripo` is 1 but `regional_system` is empty",
        "make the two agree",
    ]);
    // As exported, the two agree and every row is scored.
    let run = (ipneeds().file("export.csv", &export))
        .args(["batch", "export.csv", "-o", "out.csv"])
        .run();
    run.expect_code(0, "the export as it came");
}

/// A `SubmissionDate` column dates each row's LDC status, in a survey export or a plain table:
/// the run says so (Bangladesh is graduating in one row, graduated in the next), unless
/// `--as-of` gives one date for every row.
#[test]
fn rows_dated_by_their_submission_time_are_said_to_be() {
    let table =
        "id,country,ip_strategy,SubmissionDate\na,BGD,none,2024-03-05\nb,BGD,none,2027-01-05\n";
    // Without --as-of, as a user runs it.
    let run = (Ipneeds::new().file("in.csv", table))
        .args(["batch", "in.csv", "-o", "out.csv"])
        .run();
    run.expect_code(0, "a table dated by its rows");
    run.stderr_line_with(&[
        "note: each row's LDC status is as of its submission date (column `SubmissionDate`)",
        "--as-of",
    ]);
    let run = (Ipneeds::new().file("in.csv", table))
        .args(["--as-of", "2024-03-05", "batch", "in.csv", "-o", "out.csv"])
        .run();
    run.expect_code(0, "the same table as of one date");
    assert!(!run.stderr.contains("submission date"), "{}", run.stderr);
}

/// A survey export's row without its submission time is not scored as of today (a country
/// graduated since would read as graduated): rejected, with --as-of as the way to score it.
#[test]
fn an_export_row_without_its_submission_time_is_rejected() {
    let export =
        std::fs::read_to_string(repo().join("tests/data/exports/odk-central.csv")).unwrap();
    let undated = export.replacen("\n2024-03-05T10:22:31.123Z,", "\n,", 1);
    assert_ne!(
        undated, export,
        "the first submission's time is as the test expects"
    );
    // Without --as-of, as a user runs it: each row as of its submission.
    let run = (Ipneeds::new().file("export.csv", &undated))
        .args(["batch", "export.csv", "-o", "out.csv"])
        .run();
    run.expect_code(1, "a row without its time");
    // The column as the export heads it, not as ipneeds matches it.
    run.stderr_line_with(&[
        "export.csv:2: column `SubmissionDate`:",
        "the submission time is empty",
        "--as-of",
    ]);
    let rows = std::fs::read_to_string(run.path("out.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(
        rows, 4,
        "the header and the three dated submissions of four"
    );

    let run = (ipneeds().file("export.csv", &undated))
        .args([
            "batch",
            "export.csv",
            "--as-of",
            "2024-03-05",
            "-o",
            "out.csv",
        ])
        .run();
    run.expect_code(0, "one date for every row");
}

/// A rejected row's id is the user's text, shown cut as other values are: a 40,000-character
/// id once flooded the terminal.
#[test]
fn a_rejected_row_names_a_long_id_cut() {
    let id = "x".repeat(40_000);
    let run = (ipneeds().file("in.csv", format!("id,country\n{id},Narnia\n")))
        .args(["batch", "in.csv", "-o", "out.csv"])
        .run();
    run.expect_code(1, "a rejected row");
    let line = run.stderr_line_with(&[
        "rejected row 1 (xxxxxxxxxx",
        "…): in.csv:2: column `country`",
    ]);
    assert!(line.len() < 300, "{} characters", line.len());
}

#[test]
fn batch_xlsx_has_every_sheet_with_the_scores_of_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let book_path = dir.path().join("results.xlsx");
    let input = repo().join("tests/data/cases/profiles.csv");
    ipneeds()
        .args(["batch", "--format", "xlsx", "-o"])
        .arg(&book_path)
        .arg(&input)
        .run()
        .expect_code(0, "batch --format xlsx");
    let csv = ipneeds().arg("batch").arg(&input).run();
    csv.expect_code(0, "batch csv");
    let mut book = open_book(&book_path);
    assert_eq!(book.sheet_names(), WORKBOOK_SHEETS.map(String::from));

    let results = book.worksheet_range("Results").unwrap();
    let mut lines = csv.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(text_cell(&results, 0, 0), "id");
    assert_eq!(text_cell(&results, 0, 2), "country name");
    assert_eq!(text_cell(&results, 0, 3), "region");
    assert_eq!(text_cell(&results, 0, 4), "rank 1 program");
    assert_eq!(text_cell(&results, 0, 5), "rank 1 score");
    let mut rows = 0;
    for (n, line) in lines.enumerate() {
        let record: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .unwrap_or_default();
        if record.is_empty() {
            continue; // a line inside a quoted reasons cell
        }
        let row = n as u32 + 1;
        assert_eq!(text_cell(&results, row, 0), record[0], "id of row {row}");
        // CSV: id, country, (program, score) per rank; the workbook adds the country's name
        // and region after its code.
        for rank in 0..12 {
            let program = &record[2 + 2 * rank];
            assert_eq!(header[2 + 2 * rank], format!("rank{}_program", rank + 1));
            assert_eq!(&text_cell(&results, row, 4 + 2 * rank as u32), program);
            let score = number_cell(&results, row, 5 + 2 * rank as u32);
            assert_eq!(
                format!("{score:.1}"),
                record[3 + 2 * rank],
                "row {row} rank {rank}"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 12);

    // The heat map has the same scores by program, the top 3 of each row starred.
    let heat = book.worksheet_range("Heat map").unwrap();
    let styles = book.worksheet_style("Heat map").unwrap();
    let programs: Vec<String> = (4..16).map(|c| text_cell(&heat, 0, c)).collect();
    for row in 1..=12u32 {
        for rank in 0..12u32 {
            let program = text_cell(&results, row, 4 + 2 * rank);
            let column = 4 + programs.iter().position(|p| *p == program).unwrap() as u32;
            assert_eq!(
                number_cell(&heat, row, column),
                number_cell(&results, row, 5 + 2 * rank)
            );
            let starred = styles
                .get((row, column))
                .and_then(|s| s.number_format.as_ref())
                .is_some_and(|f| f.format_code.contains('★'));
            // A score of 0 is no need, so not marked.
            let top = rank < 3 && number_cell(&results, row, 5 + 2 * rank) > 0.0;
            assert_eq!(starred, top, "row {row}, rank {}", rank + 1);
        }
    }

    let reasons = book.worksheet_range("Reasons").unwrap();
    assert_eq!(
        (1..10)
            .map(|c| text_cell(&reasons, 0, c))
            .collect::<Vec<_>>(),
        [
            "country",
            "country name",
            "rank",
            "program",
            "need",
            "points",
            "answers",
            "catalog field",
            "catalog line"
        ]
    );
    assert!(reasons.height() > 12, "a few reasons per country");
    // Every program's reasons by default (`--top` limits them), not only the top three's.
    let ranks: Vec<f64> = (1..reasons.height() as u32)
        .map(|r| number_cell(&reasons, r, 3))
        .collect();
    assert!(
        ranks.iter().any(|&rank| rank > 3.0),
        "only top-3 reasons: {ranks:?}"
    );
    // Planning: each country's top 3 programs, but none that scores 0 (v08-no-gaps).
    let planning = book.worksheet_range("Planning").unwrap();
    let planned: Vec<(String, String)> = (1..planning.height() as u32)
        .map(|r| (text_cell(&planning, r, 0), text_cell(&planning, r, 4)))
        .collect();
    let expected: Vec<(String, String)> = (1..=12u32)
        .flat_map(|row| (0..3u32).map(move |rank| (row, rank)))
        .filter(|&(row, rank)| number_cell(&results, row, 5 + 2 * rank) > 0.0)
        .map(|(row, rank)| {
            (
                text_cell(&results, row, 0),
                text_cell(&results, row, 4 + 2 * rank),
            )
        })
        .collect();
    assert_eq!(planned, expected);
    assert!(!planned.iter().any(|(id, _)| id == "v08-no-gaps"));
    assert_eq!(
        (8..12)
            .map(|c| text_cell(&planning, 0, c))
            .collect::<Vec<_>>(),
        ["responsible", "timeline", "cost", "status"]
    );
    assert!(text_cell(&planning, 1, 6).starts_with("• "));
    let about = book.worksheet_range("About").unwrap();
    let line = |label: &str| {
        (1..about.height() as u32)
            .find(|&r| text_cell(&about, r, 0) == label)
            .map(|r| shown_cell(&about, r, 1))
            .unwrap_or_else(|| panic!("no About line `{label}`"))
    };
    assert_eq!(line("countries scored"), "12");
    assert_eq!(line("rows rejected"), "0");
    // Counts are numbers, not numbers stored as text.
    let counts = (1..about.height() as u32).filter(|&r| {
        ["countries scored", "Planning rows"].contains(&text_cell(&about, r, 0).as_str())
    });
    for r in counts {
        assert!(number_cell(&about, r, 1) >= 12.0, "About row {r}");
    }
    assert_eq!(line("LDC status as of"), AS_OF);
    assert_eq!(line("ipneeds version"), env!("CARGO_PKG_VERSION"));
    assert!(line("questionnaire").starts_with("ip-office-profile version "));

    // Frozen headers, filters, readable widths and the colour scale, in the sheets' XML.
    for n in 1..=4 {
        let sheet = zip_part_text(&book_path, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(
            sheet.contains("state=\"frozen\"") && sheet.contains("ySplit=\"1\""),
            "sheet {n}: no frozen header"
        );
        assert!(
            sheet.contains("<autoFilter ref=\"A1:"),
            "sheet {n}: no filter"
        );
        assert!(sheet.contains("<col ") && sheet.contains("customWidth=\"1\""));
        assert!(!sheet.contains("<f>"), "sheet {n} has a formula");
    }
    let heat_xml = zip_part_text(&book_path, "xl/worksheets/sheet2.xml");
    assert!(
        heat_xml.contains("<colorScale>"),
        "no colour scale on the heat map"
    );

    // Printed: wide sheets across several pages rather than shrunk to a quarter, each page
    // naming its countries; the heat map whole on one page.
    // Pages across are set by breaks between columns (a spreadsheet's own fit-to-width would
    // part a rank's program from its score), at 2/3 size; a sheet one page wide fits to it.
    let sheet_xml = |n: usize| zip_part_text(&book_path, &format!("xl/worksheets/sheet{n}.xml"));
    let pages_wide = |n: usize| {
        let breaks = sheet_xml(n).split("<colBreaks").nth(1).map_or(0, |breaks| {
            breaks
                .split("</colBreaks>")
                .next()
                .unwrap()
                .matches("<brk ")
                .count()
        });
        breaks + 1
    };
    // (The naming columns take a column's room more than when they were an id and a code.)
    assert_eq!(
        [1, 2, 3, 4, 5].map(pages_wide),
        [5, 1, 2, 2, 1],
        "pages across: Results, Heat map, Reasons, Planning, About"
    );
    let results = sheet_xml(1);
    assert!(
        results.contains("scale=\"66\""),
        "Results not printed at 2/3 size"
    );
    // Results' pages start at a rank's program: columns I, O, U, AA (from 0: 8, 14, 20, 26).
    for column in [8, 14, 20, 26] {
        assert!(
            results.contains(&format!("<brk id=\"{column}\"")),
            "no page break before column {column}"
        );
    }
    let titles = zip_part_text(&book_path, "xl/workbook.xml");
    for sheet in ["Results", "Reasons"] {
        assert!(
            titles.contains(&format!("{sheet}!$B:$C,{sheet}!$1:$1")),
            "{sheet}: the country's code and name are not repeated on each printed page"
        );
    }
    // The page of columns a planner fills in says which program each row is: a printed
    // Planning page had the country and nothing else to go by (helper 142).
    assert!(
        titles.contains("Planning!$B:$E,Planning!$1:$1"),
        "Planning: the country, its name, the rank and the program are not repeated on each printed page"
    );
}

/// The `--summary` file of `batch` on the CSV `input`, a run that exits 1 (`why`).
fn summary_file(input: &str, why: &str) -> String {
    let run = ipneeds()
        .file("in.csv", input)
        .args(["batch", "in.csv", "-o", "out.csv"])
        .args(["--summary", "summary.txt"])
        .run();
    run.expect_code(1, why);
    std::fs::read_to_string(run.path("summary.txt")).unwrap()
}

/// The reports a planner opens name the rows they leave out: a page or workbook that dropped a
/// country without a word would pass for the whole input.
#[test]
fn batch_reports_name_the_rows_they_could_not_score() {
    let input = "id,country,patent_examiners\ngood,Kenya,4\nbad-row,Ghana,many\n";
    let page = ipneeds()
        .file("in.csv", input)
        .args(["batch", "in.csv", "-o", "page.html"])
        .run();
    page.expect_code(1, "a rejected row");
    let html = std::fs::read_to_string(page.path("page.html")).unwrap();
    assert!(html.contains("1 row of the input could not be scored and is not in this page"));
    assert!(html.contains("<h2>Rows not scored</h2>"));
    assert!(html.contains("row 2 (bad-row): in.csv:3: column `patent_examiners`"));

    let book = ipneeds()
        .file("in.csv", input)
        .args(["batch", "in.csv", "-o", "book.xlsx"])
        .run();
    book.expect_code(1, "a rejected row");
    let about = open_book(&book.path("book.xlsx"))
        .worksheet_range("About")
        .unwrap();
    let lines: Vec<(String, String)> = (1..about.height() as u32)
        .map(|r| (text_cell(&about, r, 0), shown_cell(&about, r, 1)))
        .collect();
    let value = |label: &str| {
        lines
            .iter()
            .filter(|(l, _)| l == label)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert!(value("rows rejected")[0].starts_with("1: not in this workbook"));
    let named = value("not scored");
    assert_eq!(named.len(), 1, "{lines:?}");
    assert!(named[0].starts_with("row 2 (bad-row): in.csv:3: column `patent_examiners`"));

    // The summary kept in a file says so too (it read as one of every row).
    let text = summary_file(input, "a rejected row");
    assert!(text.starts_with("Summary of 1 country"), "{text}");
    assert!(
        text.contains("1 row of the input could not be scored and is not in this summary"),
        "{text}"
    );
}

/// And the columns they did not read: a misspelt field's answers are in no row of them.
#[test]
fn batch_reports_name_a_misspelt_column_they_did_not_read() {
    let input = "id,country,regional_sytem\ngood,Kenya,aripo\n";
    let page = ipneeds()
        .file("in.csv", input)
        .args(["batch", "in.csv", "-o", "page.html"])
        .run();
    page.expect_code(1, "a column not read");
    let html = std::fs::read_to_string(page.path("page.html")).unwrap();
    assert!(html.contains(
        "1 column of the input is named like a profile field but is not one, and was not read"
    ));
    assert!(html.contains("<h2>Columns not read</h2>"));
    assert!(html.contains(
        "column `regional_sytem` is not a profile field (did you mean `regional_system`?)"
    ));

    let book = ipneeds()
        .file("in.csv", input)
        .args(["batch", "in.csv", "-o", "book.xlsx"])
        .run();
    book.expect_code(1, "a column not read");
    let about = open_book(&book.path("book.xlsx"))
        .worksheet_range("About")
        .unwrap();
    let not_read: Vec<String> = (1..about.height() as u32)
        .filter(|&r| text_cell(&about, r, 0) == "column not read")
        .map(|r| text_cell(&about, r, 1))
        .collect();
    assert_eq!(not_read.len(), 1, "{not_read:?}");
    assert!(not_read[0].contains("`regional_sytem`"), "{not_read:?}");

    let text = summary_file(input, "a column not read");
    assert!(
        text.contains("Not read, so in no score above: in.csv:1: column `regional_sytem`"),
        "{text}"
    );
}

/// Two columns of notes are both ignored: the file is scored (it was refused whole, "appears
/// twice: keep one"). Two columns of one field still refuse it.
#[test]
fn batch_scores_a_file_with_a_repeated_column_of_notes() {
    let run = ipneeds()
        .file("in.csv", "id,country,notes,notes\na,UGA,x,y\n")
        .args(["batch", "in.csv"])
        .run();
    run.expect_code(0, "two notes columns");
    assert!(
        run.stdout.starts_with("id,country,rank1_program"),
        "{}",
        run.stdout
    );
    run.stderr_line_with(&["in.csv:1: column `notes` is not a profile field; it is ignored"]);
    ipneeds()
        .file(
            "in.csv",
            "id,country,ip_strategy,IP strategy\na,UGA,none,adopted\n",
        )
        .args(["batch", "in.csv"])
        .run()
        .expect_code(2, "two columns of one field")
        .stderr_contains("are the same column `ip_strategy`: keep one");
}

/// A results workbook larger than the workbooks ipneeds reads back (35,000 countries pass the
/// default 64 MiB) cannot be checked for a planner's entries. It was refused as "not a workbook
/// of results ipneeds wrote", which is false and pointed to --force; the size is the reason.
#[test]
fn a_workbook_too_large_to_check_is_refused_for_its_size() {
    let input = repo().join("tests/data/cases/profiles.csv");
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("results.xlsx");
    let batch = || ipneeds().arg("batch").arg(&input).arg("-o").arg(&book);
    batch().run().expect_code(0, "first run");
    let run = batch().env("IPNEEDS_MAX_WORKBOOK_BYTES", "1000").run();
    run.expect_code(2, "a workbook over the limit");
    run.stderr_line_with(&[
        "results.xlsx: the file exists and is larger (",
        "whether its Planning sheet holds entries of yours cannot be checked (the limit is 1000 bytes (set IPNEEDS_MAX_WORKBOOK_BYTES to raise it))",
    ]);
    assert!(
        !run.stderr.contains("not a workbook of results"),
        "{}",
        run.stderr
    );
}

/// A results workbook is for filling in (the Planning sheet's responsible, timeline, cost and
/// status): running again onto it refuses to lose what was typed, and so does writing over a
/// workbook ipneeds did not write; `--force` replaces either. Results nobody filled in are
/// replaced as any output is.
#[test]
fn a_workbook_with_planning_entries_or_of_ones_own_is_not_replaced_without_force() {
    let input = repo().join("tests/data/cases/profiles.csv");
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("results.xlsx");
    let batch = |force: bool| {
        let run = ipneeds().arg("batch").arg(&input).arg("-o").arg(&book);
        match force {
            true => run.arg("--force"),
            false => run,
        }
        .run()
    };
    batch(false).expect_code(0, "first run");
    batch(false).expect_code(0, "a run onto results nobody filled in");

    // The workbook with one of its parts edited as a spreadsheet would save it.
    let written = std::fs::read(&book).unwrap();
    let edited =
        |part: &str, edit: &dyn Fn(&str) -> String| zip_with_part_edited(&written, part, edit);
    let planning = "xl/worksheets/sheet4.xml";
    for (changed, says) in [
        // A planner types a name into Planning!I2 (the first `responsible` cell).
        (
            edited(planning, &|sheet| {
                let row = sheet.find("<row r=\"2\"").unwrap();
                let end = row + sheet[row..].find("</row>").unwrap();
                format!(
                    "{}<c r=\"I2\" t=\"inlineStr\"><is><t>Ms. Achieng</t></is></c>{}",
                    &sheet[..end],
                    &sheet[end..]
                )
            }),
            "its Planning sheet holds what was typed into it (Planning!I2 `Ms. Achieng`)",
        ),
        // A timeline typed as a date: named as the sheet shows it, not as a serial number.
        (
            edited(planning, &|sheet| {
                let row = sheet.find("<row r=\"2\"").unwrap();
                let end = row + sheet[row..].find("</row>").unwrap();
                format!(
                    "{}<c r=\"J2\" t=\"d\"><v>2025-03-01T00:00:00</v></c>{}",
                    &sheet[..end],
                    &sheet[end..]
                )
            }),
            "its Planning sheet holds what was typed into it (Planning!J2 `2025-03-01`)",
        ),
        // The activities adapted for the country, in the catalog's column.
        (
            edited(planning, &|sheet| {
                sheet.replacen(
                    "<t>• Advice on draft laws and regulations",
                    "<t>• Advice on the draft copyright bill",
                    1,
                )
            }),
            "its Planning sheet holds what was typed into it (Planning!G2 `• Advice on the draft copyright bill",
        ),
        // A row of one's own added under the programs.
        (
            edited(planning, &|sheet| {
                sheet.replacen(
                    "</sheetData>",
                    "<row r=\"60\"><c r=\"A60\" t=\"inlineStr\"><is><t>v01</t></is></c><c r=\"D60\" t=\"inlineStr\"><is><t>customs training</t></is></c></row></sheetData>",
                    1,
                )
            }),
            "its Planning sheet holds what was typed into it (Planning!A60 `v01`)",
        ),
        // A program the planner will not pursue: its row cleared (saved with no cells) or
        // deleted. Nothing typed is left to find; the count of rows written says so.
        (
            edited(planning, &|sheet| {
                let row = sheet.find("<row r=\"3\"").unwrap();
                let end = row + sheet[row..].find("</row>").unwrap() + "</row>".len();
                format!("{}{}", &sheet[..row], &sheet[end..])
            }),
            "its Planning sheet has 32 rows of programs where ipneeds wrote 33 (1 deleted or cleared)",
        ),
        // A cost worked out by a formula, saved without its result.
        (
            edited(planning, &|sheet| {
                let row = sheet.find("<row r=\"3\"").unwrap();
                let end = row + sheet[row..].find("</row>").unwrap();
                format!(
                    "{}<c r=\"J3\"><f>SUM(1000,2000)</f></c>{}",
                    &sheet[..end],
                    &sheet[end..]
                )
            }),
            "it holds formulas typed into it",
        ),
        // Its header retitled, as a planner adapting the plan would.
        (
            edited(planning, &|sheet| {
                sheet.replacen("<t>responsible</t>", "<t>Responsible</t>", 1)
            }),
            "its Planning sheet's header was changed (Planning!I1 is `Responsible`, not `responsible`)",
        ),
        // The sheet renamed.
        (
            edited("xl/workbook.xml", &|book| {
                book.replacen("name=\"Planning\"", "name=\"Plan 2027\"", 1)
            }),
            "it has a sheet `Plan 2027` ipneeds did not write",
        ),
    ] {
        std::fs::write(&book, &changed).unwrap();
        let refused = batch(false);
        refused.expect_code(2, says);
        refused.stderr_line_with(&["results.xlsx: ", says, "add --force"]);
        assert_eq!(std::fs::read(&book).unwrap(), changed, "the workbook changed");
    }
    // A comment on a cell: a part of its own in the workbook.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&written)).unwrap();
    let mut commented = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        commented
            .raw_copy_file(archive.by_index_raw(i).unwrap())
            .unwrap();
    }
    let options = zip::write::SimpleFileOptions::default();
    commented.start_file("xl/comments1.xml", options).unwrap();
    std::io::Write::write_all(&mut commented, b"<comments><commentList><comment ref=\"H2\"><text><t>ask the ministry</t></text></comment></commentList></comments>").unwrap();
    let commented = commented.finish().unwrap().into_inner();
    std::fs::write(&book, &commented).unwrap();
    let refused = batch(false);
    refused.expect_code(2, "a comment");
    refused.stderr_line_with(&[
        "results.xlsx: it holds comments added to its cells",
        "add --force",
    ]);
    assert_eq!(
        std::fs::read(&book).unwrap(),
        commented,
        "the workbook changed"
    );
    batch(true).expect_code(0, "--force");
    assert_eq!(
        open_book(&book).sheet_names(),
        WORKBOOK_SHEETS.map(String::from)
    );

    // A workbook of one's own (here: profiles to score) is not replaced either.
    let mine = dir.path().join("mine.xlsx");
    let profiles = std::fs::read(repo().join("tests/data/sheets/profiles.xlsx")).unwrap();
    std::fs::write(&mine, &profiles).unwrap();
    let refused = ipneeds()
        .in_repo()
        .args([
            "score",
            "questionnaires/examples/example-answers.yaml",
            "-o",
        ])
        .arg(&mine)
        .run();
    refused.expect_code(2, "score onto a file of one's own");
    refused.stderr_line_with(&[
        "mine.xlsx: the file exists and is not a workbook of results ipneeds wrote",
    ]);
    assert_eq!(std::fs::read(&mine).unwrap(), profiles);
}

#[test]
fn batch_xlsx_keeps_text_that_looks_like_a_formula_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    std::fs::write(&input, "id,ip_strategy\n=1+2,none\n@SUM(A1),none\n").unwrap();
    let book_path = dir.path().join("out.xlsx");
    ipneeds()
        .args(["batch", "-f", "xlsx", "-o"])
        .arg(&book_path)
        .arg(&input)
        .run()
        .expect_code(0, "batch xlsx");
    let mut book = open_book(&book_path);
    for sheet in ["Results", "Heat map", "Reasons", "Planning"] {
        let range = book.worksheet_range(sheet).unwrap();
        // Every id cell is text (Reasons and Planning have several rows per country).
        let ids: Vec<String> = (1..range.height() as u32)
            .map(|r| text_cell(&range, r, 0))
            .collect();
        assert_eq!(ids.first().map(String::as_str), Some("=1+2"), "{sheet}");
        assert_eq!(ids.last().map(String::as_str), Some("@SUM(A1)"), "{sheet}");
        let formulas = book.worksheet_formula(sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet}"
        );
    }
}

#[test]
fn batch_xlsx_lists_a_rejected_row_and_an_id_too_long_for_a_cell() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let long = "x".repeat(40_000);
    std::fs::write(
        &input,
        format!("id,ip_strategy\nok,none\n{long},none\nbad,sometimes\n"),
    )
    .unwrap();
    let book_path = dir.path().join("out.xlsx");
    let result = ipneeds()
        .args(["batch", "-f", "xlsx", "-o"])
        .arg(&book_path)
        .arg(&input)
        .run();
    result.expect_code(1, "batch xlsx with bad rows");
    result.stderr_line_with(&["in.csv:3: column `id`", "40000 characters", "32767"]);
    let mut book = open_book(&book_path);
    let about = book.worksheet_range("About").unwrap();
    let values: Vec<String> = (1..about.height() as u32)
        .map(|r| format!("{}={}", text_cell(&about, r, 0), shown_cell(&about, r, 1)))
        .collect();
    assert!(
        values.contains(&"countries scored=1".to_string()),
        "{values:?}"
    );
    assert!(
        values.iter().any(|v| v.starts_with("rows rejected=2: ")),
        "{values:?}"
    );
    // Both named, the 40,000-character id cut to fit a cell.
    let named: Vec<&String> = values
        .iter()
        .filter(|v| v.starts_with("not scored="))
        .collect();
    assert_eq!(named.len(), 2, "{values:?}");
    // The id shortened, the reason kept.
    assert!(named[0].starts_with("not scored=row 2 (xxx"), "{named:?}");
    assert!(
        named[0].contains("in.csv:3: column `id`: `id` has 40000 characters"),
        "{named:?}"
    );
    assert!(named[1].starts_with("not scored=row 3 (bad): "));
}

#[test]
fn score_xlsx_gives_the_same_sheets_for_one_country() {
    let dir = tempfile::tempdir().unwrap();
    let book_path = dir.path().join("one.xlsx");
    let answers = repo().join("questionnaires/examples/example-answers.yaml");
    ipneeds()
        .args(["score", "--format", "xlsx", "-o"])
        .arg(&book_path)
        .arg(&answers)
        .run()
        .expect_code(0, "score --format xlsx");
    let json = ipneeds()
        .args(["score", "--format", "json"])
        .arg(&answers)
        .run();
    let json = json.json();
    let mut book = open_book(&book_path);
    assert_eq!(book.sheet_names(), WORKBOOK_SHEETS.map(String::from));
    let results = book.worksheet_range("Results").unwrap();
    assert_eq!(results.height(), 2);
    assert_eq!(text_cell(&results, 1, 0), "example-answers");
    for rank in 0..12u32 {
        let program = &json["programs"][rank as usize];
        assert_eq!(
            text_cell(&results, 1, 4 + 2 * rank),
            program["id"].as_str().unwrap()
        );
        assert_eq!(
            number_cell(&results, 1, 5 + 2 * rank),
            program["score"].as_f64().unwrap()
        );
    }
    let planning = book.worksheet_range("Planning").unwrap();
    assert_eq!(planning.height(), 4);
}

#[test]
fn batch_xlsx_without_room_for_its_temporary_files_says_so_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let book_path = dir.path().join("out.xlsx");
    let result = ipneeds()
        .env("TMPDIR", dir.path().join("no-such-folder"))
        .args(["batch", "-f", "xlsx", "-o"])
        .arg(&book_path)
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .run();
    result.expect_code(3, "batch xlsx without a temporary folder");
    result.stderr_line_with(&["no-such-folder", "temporary files", "TMPDIR"]);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files left: {left:?}");
}

/// The HTML report names the country from the `--countries` table in force, as every other
/// report does (it used to read the built-in table whatever the user gave); every report a
/// planner shares names the table (a custom one was named nowhere).
#[test]
fn every_report_uses_and_names_the_countries_table_given() {
    let dir = tempfile::tempdir().unwrap();
    let builtin = std::fs::read_to_string(repo().join("data/countries.csv")).unwrap();
    let table: String = builtin
        .lines()
        .map(|line| {
            if line.starts_with("SEN,") {
                line.replacen(",Senegal,", ",Senegal (table of the test),", 1)
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let countries = dir.path().join("countries.csv");
    std::fs::write(&countries, table).unwrap();
    let answers = dir.path().join("answers.yaml");
    std::fs::write(&answers, "country: SEN\nip_strategy: none\n").unwrap();
    let with_table = |args: &[&str], file: &Path| {
        (ipneeds().arg("--countries").arg(&countries))
            .args(args)
            .arg(file)
            .run()
    };
    let out = with_table(&["score", "--format", "html"], &answers);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("Senegal (table of the test)"),
        "the page should name the country from --countries"
    );
    // Every report says which table gave LDC status and regions, wherever it is read.
    let named = format!("country table: {}", countries.display());
    assert!(out.stdout.contains(&named), "{named}\n{}", out.stdout);
    let json = with_table(&["score", "--format", "json"], &answers);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["countries"]["origin"], countries.display().to_string());
    let profiles = dir.path().join("profiles.csv");
    std::fs::write(&profiles, "id,country,ip_strategy\nsn,SEN,none\n").unwrap();
    let page = with_table(&["batch", "--format", "html"], &profiles);
    assert!(page.stdout.contains(&named), "{named}\n{}", page.stdout);
    let book_path = dir.path().join("results.xlsx");
    let book_path_text = book_path.display().to_string();
    with_table(&["batch", "-o", &book_path_text], &profiles).expect_code(0, "batch to a workbook");
    let mut book = open_book(&book_path);
    let about = book.worksheet_range("About").unwrap();
    let table = (0..about.height() as u32)
        .find(|&r| text_cell(&about, r, 0) == "country table")
        .map(|r| text_cell(&about, r, 1));
    assert_eq!(table, Some(countries.display().to_string()));
}

/// "In the top 3" means the same in the text summary and in the HTML overview: a program scoring
/// 0 is in no country's top three (on the twelve cases the text summary used to count one
/// country more for national-ip-strategies than the page did).
#[test]
fn the_text_summary_and_the_html_overview_count_the_top_3_alike() {
    let dir = tempfile::tempdir().unwrap();
    let cases = repo().join("tests/data/cases/profiles.csv");
    let text = ipneeds()
        .arg("batch")
        .arg(&cases)
        .arg("--summary")
        .arg("-o")
        .arg(dir.path().join("out.csv"))
        .run();
    assert_eq!(text.code, Some(0), "{}", text.stderr);
    let page = dir.path().join("out.html");
    let html = ipneeds()
        .arg("batch")
        .arg(&cases)
        .args(["--format", "html", "-o"])
        .arg(&page)
        .run();
    assert_eq!(html.code, Some(0), "{}", html.stderr);
    let page = std::fs::read_to_string(page).unwrap();
    let catalog = Catalog::builtin().unwrap();
    let mut compared = 0;
    for program in &catalog.programs {
        let text_count: usize = text
            .stderr
            .lines()
            .find_map(|line| {
                let mut words = line.split_whitespace();
                (words.next() == Some(program.id.as_str()))
                    .then(|| words.next().and_then(|n| n.parse().ok()))
                    .flatten()
            })
            .unwrap_or_else(|| panic!("{} not in the summary:\n{}", program.id, text.stderr));
        let row = format!(
            "<tr><td class=\"num\"><strong>{}</strong></td>",
            program.number
        );
        let cell = page
            .split(row.as_str())
            .nth(1)
            .and_then(|rest| rest.split("</span>").nth(1))
            .and_then(|rest| rest.split("</td>").next())
            .unwrap_or_else(|| panic!("program {} not in the overview", program.number));
        assert_eq!(
            cell.parse::<usize>().ok(),
            Some(text_count),
            "{}: text summary {text_count}, HTML overview {cell}",
            program.id
        );
        compared += 1;
    }
    assert_eq!(compared, 12);
}

/// `eval` refuses inputs that would give a figure that measures nothing: a case listed twice
/// (counted twice in the mean), a grades file with no grade (every case a strong office), and
/// says in the user's terms what a malformed grades file or profiles without ids are.
/// The graded cases are read in the encodings the profiles are: a Windows-1252 file (saved as
/// plain "CSV" on Windows) failed with the csv crate's own words, "CSV parse error: record 1
/// (line 2, field: 0, byte: 17): invalid utf-8", and UTF-16 likewise.
#[test]
fn eval_reads_graded_cases_saved_as_windows_1252_and_refuses_utf16_with_the_fix() {
    let profiles = b"id,ip_strategy\nC\xF4te,none\n";
    let utf8 = ipneeds()
        .file("p.csv", profiles)
        .file("e.csv", "id,program,grade\nCôte,national-ip-strategies,3\n")
        .args(["eval", "p.csv", "e.csv"])
        .run();
    utf8.success();
    let windows = ipneeds()
        .file("p.csv", profiles)
        .file(
            "e.csv",
            b"id,program,grade\r\nC\xF4te,national-ip-strategies,3\r\n",
        )
        .args(["eval", "p.csv", "e.csv"])
        .run();
    windows.success().stdout_is(&utf8.stdout);
    let utf16 = [&[0xFF, 0xFE][..], &utf16le("id,program,grade\n")].concat();
    let run = ipneeds()
        .file("p.csv", profiles)
        .file("e.csv", utf16)
        .args(["eval", "p.csv", "e.csv"])
        .run();
    run.expect_code(2, "UTF-16").stderr_lacks("parse error");
    run.stderr_line_with(&["e.csv: the file is UTF-16", "CSV UTF-8"]);
    ipneeds()
        .file("p.csv", profiles)
        .file(
            "e.csv",
            b"id,program,grade\nC\xC3\xB4te,national-ip-strategies,3\nC\xF4te,legal-assistance,3\n",
        )
        .args(["eval", "p.csv", "e.csv"])
        .run()
        .expect_code(2, "one line in another encoding")
        .stderr_line_with(&["e.csv:3: the line holds a byte that is not UTF-8 (0xF4)"]);
}

#[test]
fn eval_refuses_grades_and_profiles_that_would_give_a_meaningless_figure() {
    let profiles = std::fs::read_to_string(repo().join("tests/data/cases/profiles.csv")).unwrap();
    let grades = std::fs::read_to_string(repo().join("tests/data/cases/expected.csv")).unwrap();
    let last_row = profiles.lines().last().unwrap();
    let no_ids: String = profiles
        .lines()
        .map(|line| line.split_once(',').unwrap().1.to_string() + "\n")
        .collect();
    let cases = [
        (
            "twice.csv",
            format!("{profiles}{last_row}\n"),
            "expected.csv",
            grades.clone(),
            "case `v12-office-management` is listed twice (first at twice.csv:13)",
        ),
        (
            "profiles.csv",
            profiles.clone(),
            "header.csv",
            "id,program,grade\n".to_string(),
            "header.csv: no grades: the file has no `id,program,grade` row of grade 1 to 3 after its header",
        ),
        (
            "profiles.csv",
            profiles.clone(),
            "bars.csv",
            grades.replace(',', "|"),
            "bars.csv:1: no `id` column: the header must be id,program,grade separated by commas (this file separates them with `|`)",
        ),
        (
            "profiles.csv",
            profiles.clone(),
            "short.csv",
            "id,program,grade\nv01-ldc-foundations,legal-assistance\n".to_string(),
            "short.csv:2: this row has 2 cells, the header 3: give each row id,program,grade",
        ),
        (
            "no-ids.csv",
            no_ids,
            "expected.csv",
            grades.clone(),
            "none of its 11 cases is a row of no-ids.csv (its first is `v01-ldc-foundations`; one of the profiles is `1`): the profiles need an `id` column",
        ),
        // Grades kept in a spreadsheet, which read `001` as the number 1 (a tester's finding).
        (
            "zeros.csv",
            "id,country\n001,UGA\n002,KEN\n".to_string(),
            "grades.csv",
            "id,program,grade\n1,legal-assistance,3\n2,legal-assistance,3\n".to_string(),
            "none of its 2 cases is a row of zeros.csv (its first is `1`; one of the profiles is `001`): the ids differ in leading zeros only, which a spreadsheet drops when it reads an id as a number: format the id column as Text",
        ),
    ];
    for (profiles_name, profiles_text, grades_name, grades_text, says) in cases {
        ipneeds()
            .file(profiles_name, &profiles_text)
            .file(grades_name, &grades_text)
            .args(["eval", profiles_name, grades_name])
            .run()
            .expect_code(2, grades_name)
            .stderr_contains(says);
    }
}

/// The grades are read as the profiles are: a file Excel saved with `;`, its `sep=;` line,
/// a byte-order mark and CRLF give the same figures as the plain file; blank lines do not move
/// the line a message names.
#[test]
fn eval_reads_grades_as_excel_saves_them_and_names_their_lines() {
    let profiles = std::fs::read_to_string(repo().join("tests/data/cases/profiles.csv")).unwrap();
    let grades = std::fs::read_to_string(repo().join("tests/data/cases/expected.csv")).unwrap();
    let figures = |name: &str, text: String| {
        let run = ipneeds()
            .file("profiles.csv", &profiles)
            .file(name, text)
            .args(["eval", "profiles.csv", name])
            .run();
        run.expect_code(0, name);
        run.stdout_line_with(&["mean nDCG@3"]).to_string()
    };
    let plain = figures("plain.csv", grades.clone());
    let excel = format!(
        "\u{feff}sep=;\r\n{}",
        grades.replace(',', ";").replace('\n', "\r\n")
    );
    assert_eq!(figures("excel.csv", excel), plain);
    let run = ipneeds()
        .file("profiles.csv", &profiles)
        .file(
            "blank.csv",
            "id,program,grade\r\n\r\n\r\nv02-backlog,nope,3\r\n",
        )
        .args(["eval", "profiles.csv", "blank.csv"])
        .run();
    run.expect_code(2, "an unknown program after blank lines")
        .stderr_contains("blank.csv:4: column `program`: unknown program `nope`");
}

/// A program at 0.0 is no need and in no top 3 (the rule of every report): an empty profile
/// earns nothing for the catalog's first programs, which its ties put first.
#[test]
fn eval_gives_no_credit_for_programs_that_score_nothing() {
    let run = ipneeds()
        .file("profiles.csv", "id,country,ip_strategy\nempty,,\n")
        .file(
            "grades.csv",
            "id,program,grade\nempty,policy-development,3\nempty,legal-assistance,2\n",
        )
        .args(["eval", "profiles.csv", "grades.csv"])
        .run();
    run.expect_code(0, "an empty profile");
    run.stdout_line_with(&["empty", "0.000", "0/1", "none: every program 0.0"]);
    run.stdout_line_with(&["mean nDCG@3: 0.000", "essentials in top 3: 0%"]);
}

/// `eval --check` gates a CI job: exit 1 with each target missed named, exit 0 when all hold;
/// without it the figures are reported and the run succeeds, as before.
#[test]
fn eval_check_fails_a_run_that_misses_a_target_and_names_each() {
    let profiles = std::fs::read_to_string(repo().join("tests/data/cases/profiles.csv")).unwrap();
    let grades = std::fs::read_to_string(repo().join("tests/data/cases/expected.csv")).unwrap();
    let met = ipneeds()
        .file("profiles.csv", &profiles)
        .file("grades.csv", &grades)
        .args(["eval", "profiles.csv", "grades.csv", "--check"])
        .run();
    met.expect_code(0, "the archetypes meet every target");
    assert!(!met.stderr.contains("target missed"), "{}", met.stderr);
    // Grading, for every graded archetype, one program it ranks last as essential and the
    // no-gap archetype as needing program 1 misses the nDCG and essentials targets.
    let reversed = "id,program,grade\n\
        v01-ldc-foundations,creative-industries-economics,3\n\
        v02-backlog,creative-industries-economics,3\n\
        v03-research-commercialization,creative-industries-economics,3\n";
    let missed = |check: bool| {
        let mut args = vec!["eval", "profiles.csv", "grades.csv"];
        if check {
            args.push("--check");
        }
        ipneeds()
            .file("profiles.csv", &profiles)
            .file("grades.csv", reversed)
            .args(args)
            .run()
    };
    let run = missed(true);
    run.expect_code(1, "targets missed");
    run.stderr_contains("target missed: mean nDCG@3 0.000 is below the target 0.85");
    run.stderr_contains(
        "target missed: 0% of the essential programs are in the top 3, below the target 85%",
    );
    run.stderr_contains("target missed: ip-administration-capacity is in the top 3 where graded 0 in 2 of 3 graded cases, more than a quarter");
    run.stderr_contains("no-gap profile(s) score 30 or more somewhere: v04-creative-economy");
    // The report itself is written in full before the verdict.
    run.stdout_line_with(&["mean nDCG@3: 0.000"]);
    missed(false).expect_code(0, "without --check the figures are only reported");
}

/// Grades kept on another sheet than the first are read with --grades-sheet (there was no way
/// to give it), and the first sheet's missing columns name the others; a grades sheet's hidden
/// rows are warned of as a profiles sheet's are; a results workbook given as the grades is
/// named as results (it was called "the profiles").
#[test]
fn eval_reads_grades_from_the_sheet_given_and_tells_results_from_grades() {
    let profiles = std::fs::read_to_string(repo().join("tests/data/cases/profiles.csv")).unwrap();
    let grades = std::fs::read_to_string(repo().join("tests/data/cases/expected.csv")).unwrap();
    let rows: Vec<Vec<String>> = (grades.lines())
        .map(|line| line.split(',').map(str::to_string).collect())
        .collect();
    let book = ipneeds().file("profiles.csv", &profiles);
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let notes = workbook.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes
        .write_string(0, 0, "graded by the first reader")
        .unwrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Grades").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell.parse::<f64>() {
                Ok(number) => sheet.write_number(r as u32, c as u16, number),
                Err(_) => sheet.write_string(r as u32, c as u16, cell),
            }
            .unwrap();
        }
    }
    sheet.set_row_hidden(3).unwrap();
    workbook.save(book.path("grades.xlsx")).unwrap();
    let first = book.args(["eval", "profiles.csv", "grades.xlsx"]).run();
    first.expect_code(2, "the first sheet is notes");
    first.stderr_contains("no `id` column: the header must be id,program,grade; the workbook's other sheets are `Grades`: give the sheet of grades with --grades-sheet NAME");
    let chosen = ipneeds()
        .file("profiles.csv", &profiles)
        .args(["eval", "profiles.csv"])
        .arg(first.path("grades.xlsx"))
        .args(["--grades-sheet", "Grades"])
        .run();
    chosen.success();
    let plain = ipneeds()
        .file("profiles.csv", &profiles)
        .file("grades.csv", &grades)
        .args(["eval", "profiles.csv", "grades.csv"])
        .run();
    assert_eq!(
        chosen.stdout_line_with(&["mean nDCG@3"]),
        plain.stdout_line_with(&["mean nDCG@3"]),
        "the sheet's grades are the CSV's"
    );
    chosen.stderr_line_with(&["Grades", "row 4", "hidden"]);
    ipneeds()
        .file("profiles.csv", &profiles)
        .args(["eval", "profiles.csv"])
        .arg(first.path("grades.xlsx"))
        .args(["--grades-sheet", "Marks"])
        .run()
        .expect_code(2, "no such sheet")
        .stderr_contains("no sheet `Marks`: the workbook's sheets are `Notes`, `Grades`; give one of them with --grades-sheet");
    let results = ipneeds()
        .arg("batch")
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .args(["-o", "r.xlsx"])
        .run();
    results.success();
    ipneeds()
        .file("profiles.csv", &profiles)
        .args(["eval", "profiles.csv"])
        .arg(results.path("r.xlsx"))
        .run()
        .expect_code(2, "results as grades")
        .stderr_contains("this is a table of results ipneeds wrote, not of grades");
}

/// Grades kept in a spreadsheet: its first sheet, rows it left empty (`,,`), `3.0` and an
/// explicit 0 give the figures of the plain CSV; a case left ungraded is named as judged no-gap;
/// a profile row without an id, an empty cell and a program's title are told in their place.
#[test]
fn eval_reads_grades_from_a_workbook_and_tells_empty_cells_ids_and_titles() {
    let profiles = std::fs::read_to_string(repo().join("tests/data/cases/profiles.csv")).unwrap();
    let grades = std::fs::read_to_string(repo().join("tests/data/cases/expected.csv")).unwrap();
    let figures = |run: Ipneeds| {
        let output = run.run();
        output.expect_code(0, "grades");
        output.stdout_line_with(&["mean nDCG@3"]).to_string()
    };
    let plain = figures(
        ipneeds()
            .file("profiles.csv", &profiles)
            .file("grades.csv", &grades)
            .args(["eval", "profiles.csv", "grades.csv"]),
    );
    let spreadsheet = format!(
        "{}v02-backlog,ip-education,0\n,,\n,,\n",
        grades.replace(",3\n", ",3.0\n")
    );
    let as_saved = ipneeds()
        .file("profiles.csv", &profiles)
        .file("grades.csv", spreadsheet)
        .args(["eval", "profiles.csv", "grades.csv"]);
    assert_eq!(figures(as_saved), plain);
    let book = ipneeds().file("profiles.csv", &profiles);
    let rows: Vec<Vec<String>> = (grades.lines())
        .map(|line| line.split(',').map(str::to_string).collect())
        .collect();
    write_xlsx(&book.path("grades.xlsx"), "Grades", &rows, |_| {});
    let book = book.args(["eval", "profiles.csv", "grades.xlsx"]);
    assert_eq!(figures(book), plain);
    // The one case the grades leave out is named as judged no-gap.
    ipneeds()
        .file("profiles.csv", &profiles)
        .file("grades.csv", &grades)
        .args(["eval", "profiles.csv", "grades.csv"])
        .run()
        .stdout_line_with(&["1 case(s) with no grade of 1 to 3", "no-gap", "v08-no-gaps"]);
    let mistakes = "id,program,grade\nv01-ldc-foundations,,3\nv01-ldc-foundations,legal-assistance,\nv02-backlog,Development of National Intellectual Property Strategies,2\n";
    let run = ipneeds()
        .file("profiles.csv", &profiles)
        .file("grades.csv", mistakes)
        .args(["eval", "profiles.csv", "grades.csv"])
        .run();
    run.expect_code(2, "empty cells and a title");
    run.stderr_contains("grades.csv:2: column `program`: the row has no program");
    run.stderr_contains("grades.csv:3: column `grade`: the row has no grade: give 1 (useful), 2 (important) or 3 (essential)");
    run.stderr_contains("grades.csv:4: column `program`: unknown program `Development of National Intellectual Property Strategies`: grades name programs by id: write `national-ip-strategies` for program 3");
    let (header, rows) = profiles.split_once('\n').unwrap();
    let no_id = format!(
        "{header}\n,{}\n{rows}",
        rows.lines().next().unwrap().split_once(',').unwrap().1
    );
    let run = ipneeds()
        .file("profiles.csv", no_id)
        .file("grades.csv", &grades)
        .args(["eval", "profiles.csv", "grades.csv"])
        .run();
    run.expect_code(2, "a profile without an id");
    run.stderr_contains("profiles.csv:2: column `id`: the case has no id");
}

/// `eval` fails a run whose figures leave out a misspelt column's answers, as `batch` does,
/// and says when there is nothing to measure instead of reporting it as met.
#[test]
fn eval_fails_on_a_column_not_read_and_names_what_it_cannot_measure() {
    let profiles = std::fs::read_to_string(repo().join("tests/data/cases/profiles.csv")).unwrap();
    let grades = std::fs::read_to_string(repo().join("tests/data/cases/expected.csv")).unwrap();
    let (header, rows) = profiles.split_once('\n').unwrap();
    let misspelt = format!("{}\n{rows}", header.replace("ip_strategy", "ip_stratgy"));
    let run = ipneeds()
        .file("profiles.csv", misspelt)
        .file("expected.csv", &grades)
        .args(["eval", "profiles.csv", "expected.csv"])
        .run();
    run.expect_code(1, "a column not read");
    run.stderr_contains("so the figures leave their answers out");
    // No program graded 3, no no-gap profile: neither is a pass.
    let no_essentials = grades.replace(",3\n", ",2\n");
    let graded: Vec<&str> = grades
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let only_graded: String = std::iter::once(header.to_string())
        .chain(
            rows.lines()
                .filter(|row| graded.contains(&row.split(',').next().unwrap()))
                .map(str::to_string),
        )
        .map(|line| line + "\n")
        .collect();
    let run = ipneeds()
        .file("profiles.csv", only_graded)
        .file("expected.csv", no_essentials)
        .args(["eval", "profiles.csv", "expected.csv"])
        .run();
    run.expect_code(0, "nothing to measure");
    run.stdout_line_with(&[
        "essentials in top 3: none graded 3",
        "no-gap profiles below 30: none given",
    ]);
}

/// A question no need's rule reads changes no score: `check` says so (a warning: it may be
/// kept as context), and says nothing of the built-in questionnaire, whose every question counts.
#[test]
fn check_warns_of_a_question_no_need_reads() {
    let builtin =
        std::fs::read_to_string(repo().join("questionnaires/ip-office-profile.yaml")).unwrap();
    let added = builtin.replacen(
        "      - id: ip_strategy\n",
        "      - id: staff_morale\n        type: integer\n        prompt: \"Morale?\"\n      - id: ip_strategy\n",
        1,
    );
    assert_ne!(added, builtin);
    let run = ipneeds()
        .file("q.yaml", added)
        .args(["check", "q.yaml"])
        .run();
    run.expect_code(0, "a warning only");
    run.stderr_line_with(&["warning: q.yaml: no need's rule reads question `staff_morale`: its answer changes no score"]);
    let run = ipneeds()
        .arg("check")
        .arg(repo().join("questionnaires/ip-office-profile.yaml"))
        .run();
    assert!(
        !run.stderr.contains("no need's rule reads"),
        "{}",
        run.stderr
    );
}

/// `check` counts every problem of a questionnaire given with --questionnaire, and a file it
/// cannot read exits 3 like every command (after listing what it found).
#[test]
fn check_counts_each_questionnaire_problem_and_exits_3_for_a_file_it_cannot_read() {
    let questionnaire =
        std::fs::read_to_string(repo().join("questionnaires/ip-office-profile.yaml")).unwrap();
    let broken = questionnaire
        .replace("saturation: 4.3", "saturation: 0")
        .replace("further_evidence_factor: 0.5", "further_evidence_factor: 7");
    ipneeds()
        .file("q.yaml", broken)
        .args(["check", "--questionnaire", "q.yaml"])
        .run()
        .expect_code(1, "two problems")
        .stderr_contains("2 problem(s) in q.yaml");
    ipneeds()
        .args(["check", "missing.yaml"])
        .run()
        .expect_code(3, "missing file")
        .stderr_contains("missing.yaml could not be read");
}

/// A question id that a profiles file, an answers file or a survey export already uses for
/// something else is refused: `id` would be read as the row id by `batch` and as an answer by
/// `score`; an answer to `questionnaire` would be read as the questionnaire's name.
#[test]
fn question_ids_that_clash_with_row_ids_or_survey_columns_are_refused() {
    let questionnaire =
        std::fs::read_to_string(repo().join("questionnaires/ip-office-profile.yaml")).unwrap();
    for (id, says) in [
        ("id", "question id `id` is the profiles' row-id column"),
        ("questionnaire", "question id `questionnaire` is the key an answers file names its questionnaire with"),
        ("start", "question id `start` is a column KoboToolbox or ODK adds to every export"),
        ("1abc", "question id `1abc` is not usable: use lower-case letters, digits and underscores, starting with a letter"),
        ("_uuid", "question id `_uuid` is not usable"),
    ] {
        let renamed = questionnaire.replacen("      - id: country\n", &format!("      - id: {id}\n"), 1);
        assert_ne!(renamed, questionnaire);
        ipneeds()
            .file("q.yaml", renamed)
            .args(["check", "--questionnaire", "q.yaml"])
            .run()
            .expect_code(1, id)
            .stderr_contains(says);
    }
}

/// `check` on an empty or comment-only file, or an empty map, says what it read it as (an answers file with no
/// answers, as `score` reads it), not a bare "ok": an empty `programs.yaml` is a mistake.
#[test]
fn check_says_an_empty_file_was_read_as_answers_with_none() {
    for content in ["", "# only a comment\n\n"] {
        ipneeds()
            .file("programs.yaml", content)
            .args(["check", "programs.yaml"])
            .run()
            .expect_code(0, "empty answers")
            .stderr_contains("programs.yaml: the file has nothing but blank lines or comments: read as an answers file with no answers");
    }
    // An empty map (`{}`, left after deleting every key) passed with no word.
    ipneeds()
        .file("programs.yaml", "{}\n")
        .args(["check", "programs.yaml"])
        .run()
        .expect_code(0, "an empty map")
        .stderr_contains("programs.yaml: the file is an empty map (`{}`): read as an answers file with no answers");
}

/// A question's `example` is checked as an answer: the template writes it in its example row,
/// which `batch` would otherwise reject.
#[test]
fn an_example_the_question_refuses_is_a_problem_of_the_questionnaire() {
    let questionnaire =
        std::fs::read_to_string(repo().join("questionnaires/ip-office-profile.yaml")).unwrap();
    let edited = questionnaire.replacen(
        "        example: \"in_preparation\"\n",
        "        example: \"bogus\"\n",
        1,
    );
    assert_ne!(edited, questionnaire);
    ipneeds()
        .file("q.yaml", edited)
        .args(["check", "--questionnaire", "q.yaml"])
        .run()
        .expect_code(1, "bad example")
        .stderr_contains("the `example` of question `ip_strategy` is not an answer it takes")
        .stderr_contains("allowed values are adopted, in_preparation, none");
}

/// A whole number written with a decimal point (`3.0`: pandas writes a column of whole numbers
/// with a blank cell so) or a European decimal comma (`3,0`, as a number question reads `84,5`)
/// is that number, in a batch file and in an answers file; `3.5` and `3,5` are not.
#[test]
fn whole_numbers_written_with_a_decimal_point_are_read_as_whole_numbers() {
    let result = ipneeds()
        .file(
            "p.csv",
            "id,patent_examiners,ip_professionals,policy_maker_awareness\na,3.0,2.00,\"2,0\"\nb,3.5,2,\nc,\"3,5\",2,\n",
        )
        .args(["batch", "p.csv", "--format", "jsonl"])
        .run();
    result
        .expect_code(1, "two rows rejected")
        .stderr_contains("`patent_examiners` is `3.5`: give a whole number")
        .stderr_contains("`patent_examiners` is `3,5`: give a whole number");
    let row = result.stdout.lines().next().unwrap();
    assert!(
        row.contains(r#""policy_maker_awareness":2"#) && row.contains(r#""patent_examiners":3"#),
        "{row}"
    );
    let scored = ipneeds()
        .file("a.yaml", "patent_examiners: 3.0\n")
        .args(["score", "a.yaml", "--format", "json"])
        .run();
    scored.success();
    assert_eq!(scored.json()["profile"]["patent_examiners"], 3);
}

/// Spaces, underscores and apostrophes in a figure group thousands (`500 600`, `1 234 567`,
/// `1_000`, `12'345`, and the no-break and thin spaces of French locales); anywhere else (`12 3456`, `1 2 3`, `12 0`, `_1`) the
/// figure is refused, not read with its digits run together.
#[test]
fn spaces_in_a_figure_only_group_thousands() {
    let result = ipneeds()
        .file(
            "p.csv",
            "id,pending_applications,patent_examiners\na,500 600,1_000\nb,1\u{a0}234\u{202f}567,3\nc,12 3456,3\nd,1 2 3,3\ne,10,12 0\nf,10,_1\ng,12'345,1\u{2009}200\n",
        )
        .args(["batch", "p.csv", "--format", "jsonl"])
        .run();
    result.expect_code(1, "four rows rejected");
    let rows = jsonl(&result.stdout);
    assert_eq!(rows.len(), 3, "{}", result.stdout);
    // A Swiss apostrophe and a thin space (which looks as the spaces above do) group too.
    assert_eq!(rows[2]["profile"]["pending_applications"], 12345);
    assert_eq!(rows[2]["profile"]["patent_examiners"], 1200);
    assert_eq!(rows[0]["profile"]["pending_applications"], 500600);
    assert_eq!(rows[0]["profile"]["patent_examiners"], 1000);
    assert_eq!(rows[1]["profile"]["pending_applications"], 1234567);
    for (line, cell) in [(4, "12 3456"), (5, "1 2 3"), (6, "12 0"), (7, "_1")] {
        result.stderr_line_with(&[
            &format!("p.csv:{line}:"),
            &format!("is `{cell}`: a space, `_` or `'` in a figure may only group thousands"),
        ]);
    }
}

/// A figure written with its question's unit (`36 months`, `12 examiners`, `1 examiner`) is
/// read as the figure, in an answers file and in a table; another unit is refused with the
/// question's unit named, and years converted for a question in months (`3 years`: "give a
/// number of months (36 for 3 years)", where "give a number" left a user to type 3, read as
/// 3 months; helper 143).
#[test]
fn a_figure_with_its_question_s_unit_is_read_and_another_unit_is_refused_with_the_right_one() {
    let with_units = ipneeds()
        .file("a.yaml", "substantive_examination: full\npatent_pendency_months: 36 Months\npatent_examiners: 1 examiner\n")
        .args(["score", "a.yaml", "--format", "json"])
        .run();
    let plain = ipneeds()
        .file(
            "a.yaml",
            "substantive_examination: full\npatent_pendency_months: 36\npatent_examiners: 1\n",
        )
        .args(["score", "a.yaml", "--format", "json"])
        .run();
    with_units.success();
    assert_eq!(
        with_units
            .stdout
            .replace("36 Months", "36")
            .replace("1 examiner", "1"),
        plain.success().stdout
    );
    ipneeds()
        .file("a.yaml", "substantive_examination: full\npatent_pendency_months: 3 years\n")
        .args(["score", "a.yaml"])
        .run()
        .code(2)
        .stderr_contains("a.yaml:2:25: `patent_pendency_months` is `3 years`: give a number of months (36 for 3 years)");
    ipneeds()
        .file("p.csv", "id,substantive_examination,patent_examiners\na,full,12 examiners\nb,full,12 staff\n")
        .args(["batch", "p.csv", "--format", "jsonl"])
        .run()
        .code(1)
        .stdout_contains(r#""patent_examiners":12"#)
        .stderr_contains("p.csv:3: column `patent_examiners`: `patent_examiners` is `12 staff`: give a whole number of examiners");
}

/// A figure is never read 1,000 times off: `12.000` (twelve thousand in much of the world,
/// twelve in English) is refused with both readings named, in a batch file and an answers file;
/// `1.200.000` groups thousands; `0,600` is a decimal comma (no grouped number starts with 0),
/// not six hundred.
#[test]
fn a_dot_or_comma_before_three_digits_is_never_read_a_thousand_times_off() {
    let result = ipneeds()
        .file(
            "p.csv",
            "id,substantive_examination,pending_applications,patent_examiners,patent_pendency_months\na,full,12.000,3,\nb,full,1.200.000,3,\"0,600\"\n",
        )
        .args(["batch", "p.csv", "--format", "jsonl"])
        .run();
    result
        .expect_code(1, "row a rejected")
        .stderr_contains("p.csv:2: column `pending_applications`")
        .stderr_contains("may separate thousands (12000) or decimals (12)");
    // The decimal reading keeps its decimals: 2.75, not 2 (helper 143).
    ipneeds()
        .file("a.yaml", "patent_pendency_months: 2.750\n")
        .args(["score", "a.yaml"])
        .run()
        .code(2)
        .stderr_contains("a.yaml:1:25: `patent_pendency_months` is `2.750`: a dot before three digits may separate thousands (2750) or decimals (2.75): write the number without a thousands separator (2750) or as decimals without the zeros that end them (2.75)");
    let rows: Vec<&str> = result.stdout.lines().collect();
    assert_eq!(rows.len(), 1, "{}", result.stdout);
    assert!(
        rows[0].contains(r#""pending_applications":1200000"#)
            && rows[0].contains(r#""patent_pendency_months":0.6"#),
        "{}",
        rows[0]
    );
    ipneeds()
        .file("a.yaml", "pending_applications: \"180.000\"\n")
        .args(["check", "a.yaml"])
        .run()
        .expect_code(1, "ambiguous")
        .stderr_contains("a.yaml:1:23: `pending_applications` is `180.000`");
}

/// `-0` is 0: no report or JSON shows a negative zero (`-0.0`), from a batch cell or an
/// answers file.
#[test]
fn a_negative_zero_is_shown_as_zero() {
    let result = ipneeds()
        .file("p.csv", "id,patent_pendency_months\na,-0\nb,-0.0\n")
        .args(["batch", "p.csv", "--format", "jsonl"])
        .run();
    result.expect_code(0, "batch");
    for row in result.stdout.lines() {
        assert!(row.contains(r#""patent_pendency_months":0.0"#), "{row}");
    }
    let scored = ipneeds()
        .file("a.yaml", "patent_pendency_months: -0\n")
        .args(["score", "a.yaml", "--format", "json"])
        .run();
    scored.success();
    let shown = scored.json()["profile"]["patent_pendency_months"].to_string();
    assert_eq!(shown, "0.0");
}

/// A catalog of 10,008 programs (19 MB, no alias), within a raised file-size limit, is read:
/// the YAML parser's default budget (a million events) called it an alias bomb.
#[test]
fn a_large_catalog_without_aliases_is_read() {
    let catalog = std::fs::read_to_string(repo().join("data/programs.yaml")).unwrap();
    let (head, body) = catalog.split_at(catalog.find("\nprograms:\n").unwrap() + 11);
    let mut big = head.to_string();
    for copy in 0..834 {
        for line in body.lines() {
            if let Some(id) = line.strip_prefix("  - id: ") {
                big.push_str(&format!("  - id: {id}-{copy}\n"));
            } else if let Some(number) = line.strip_prefix("    number: ") {
                let number: usize = number.trim().parse().unwrap();
                big.push_str(&format!("    number: {}\n", number + 12 * copy));
            } else {
                big.push_str(line);
                big.push('\n');
            }
        }
    }
    assert!(
        big.len() > 18_000_000 && !big.contains('*'),
        "{}",
        big.len()
    );
    let run = ipneeds()
        .file("big.yaml", big)
        .env("IPNEEDS_MAX_FILE_BYTES", "30000000")
        .args(["--catalog", "big.yaml", "programs"])
        .run();
    run.success();
    assert!(
        run.stdout.contains("ip-education-833"),
        "{}",
        run.stdout.len()
    );
}

/// A YAML file nested too deeply says so, not that it expands through aliases it does not have.
#[test]
fn a_deeply_nested_yaml_file_is_called_too_deep_not_an_alias_bomb() {
    let deep = format!("{}1{}\n", "{a: ".repeat(70), "}".repeat(70));
    ipneeds()
        .file("deep.yaml", deep)
        .args(["check", "deep.yaml"])
        .run()
        .expect_code(1, "deep")
        .stderr_contains("the file nests lists or maps too deeply (more than 64 levels)")
        .stderr_lacks("aliases");
}

/// Text from the user's files reaches the terminal table as plain text on one line: an escape
/// sequence cannot restyle the terminal, a line break cannot fake a row of the ranking.
#[test]
fn control_characters_in_answers_never_reach_the_terminal_table() {
    let result = ipneeds()
        .file(
            "a.yaml",
            "patent_info_center: \"no\"\nchallenges: \"We lack a centre \\e[31mRED\\e[0m\\n   1  99.9  FAKE-PROGRAM\"\n",
        )
        .args(["score", "a.yaml", "--color", "never"])
        .run();
    result.success();
    assert!(!result.stdout.contains('\u{1b}'), "{}", result.stdout);
    assert!(
        !result
            .stdout
            .lines()
            .any(|line| line.trim_start().starts_with("1  99.9")),
        "{}",
        result.stdout
    );
    assert!(
        result.stdout.contains("FAKE-PROGRAM"),
        "the words stay, on the reason's line"
    );
}

/// A bidirectional override (U+202E, U+2066 …) in a file displays the rest of its line in
/// another order than written: `abc\u{202E}dcba` shows as `abcabcd`. Found by fuzzing in a
/// rejected row's id; no message, table or report shows one as it is.
#[test]
fn bidirectional_overrides_never_reorder_what_is_shown() {
    let result = ipneeds()
        .file("p.csv", "id,ip_strategy\nabc\u{202E}dcba,nonee\n")
        .args(["batch", "p.csv", "-o", "out.csv"])
        .run();
    assert_eq!(result.code, Some(1), "{}", result.stderr);
    assert!(
        result.stderr.contains("abc\u{fffd}dcba"),
        "{}",
        result.stderr
    );
    let overrides = ['\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}'];
    assert!(!result.stderr.contains(overrides), "{}", result.stderr);
    let answers = "patent_info_center: \"no\"\nchallenges: \"We lack a centre \u{2067}sdrawkcab\u{2069} \u{202E}enod\"\n";
    for format in ["table", "markdown", "html"] {
        let shown = ipneeds()
            .file("a.yaml", answers)
            .args(["score", "a.yaml", "--color", "never", "--format", format])
            .run();
        shown.success();
        assert!(
            !shown.stdout.contains(overrides),
            "{format}: {}",
            shown.stdout
        );
    }
}

/// A question asked under a condition on an unanswered question is asked: a planner who does
/// not know whether the office examines on substance may still know its pendency, backlog and
/// examiners. The interview asks them, and an answers file that gives them is not warned about.
#[test]
fn examination_figures_are_asked_when_the_kind_of_examination_is_not_known() {
    let ids = question_ids();
    let lines: Vec<&str> = ids.iter().map(|_| "").collect();
    let run = interview(&lines, &[]);
    let shown = asked(&run.stderr);
    for id in [
        "patent_pendency_months",
        "pending_applications",
        "patent_examiners",
    ] {
        assert!(
            shown.contains(&number_of(id)),
            "`{id}` was not asked: {shown:?}"
        );
    }
    assert_eq!(shown.len(), ids.len(), "{shown:?}");
    ipneeds()
        .file(
            "a.yaml",
            "patent_examiners: 3\npatent_pendency_months: 50\n",
        )
        .args(["score", "a.yaml"])
        .run()
        .success()
        .stderr_lacks("is answered, but");
}

/// Answers the interview would not have asked beside the others (the backlog of an office that
/// does not examine) are scored as given, with a warning naming both at the answer's
/// line:column; `check` warns too.
#[test]
fn answers_the_interview_would_not_ask_together_are_warned_about() {
    let answers = "substantive_examination: none\npending_applications: 3\n";
    for command in ["score", "check"] {
        ipneeds()
            .file("a.yaml", answers)
            .args([command, "a.yaml"])
            .run()
            .success()
            .stderr_contains("warning: a.yaml:2:23: `pending_applications` is answered, but the interview asks it only when substantive_examination is full or partial");
    }
    ipneeds()
        .args(["score", "questionnaires/examples/example-answers.yaml"])
        .in_repo()
        .run()
        .success()
        .stderr_lacks("is answered, but");
}

/// In a table, the same clash is warned of once a question, at its first row's cell, with the
/// count of the other rows: by `batch` in every format and on either path, and by `check`.
#[test]
fn a_table_s_answers_the_interview_would_not_ask_are_warned_about_once_a_question() {
    let table = "id,substantive_examination,pending_applications,patent_pendency_months\nx,none,5000,\ny,full,5000,30\nz,none,40,\nw,,9,12\n";
    let says = "warning: p.csv:2: column `pending_applications`: `pending_applications` is answered here and in 1 more row, but the interview asks it only when substantive_examination is full or partial: check which answer is right (it is scored as given)";
    // Once, and none for the pendency no row gives beside `none`.
    told_once_of_a_table(table, says, "is answered", (0, 0));
}

/// Runs `batch` on `table` (`p.csv`) in every format, on either path, and `check`, and
/// asserts that each exits as given (batch, check) and says `says`, with `counted` said once:
/// what a table's rows have in common is told once, not once a row.
fn told_once_of_a_table(table: &str, says: &str, counted: &str, (batch, check): (i32, i32)) {
    for format in ["csv", "jsonl", "json", "html", "xlsx"] {
        for reference in ["0", "1"] {
            let output = format!("out.{format}");
            let run = ipneeds()
                .file("p.csv", table)
                .env("IPNEEDS_REFERENCE_PATH", reference)
                .args(["batch", "p.csv", "-o", &output])
                .run();
            run.code(batch).stderr_contains(says);
            assert_eq!(run.stderr.matches(counted).count(), 1, "{}", run.stderr);
        }
    }
    ipneeds()
        .file("p.csv", table)
        .args(["check", "p.csv"])
        .run()
        .code(check)
        .stderr_contains(says);
}

/// A row of only its id and country (a survey left at its first page, a country added to the
/// list and never filled in) scores 0 or what its LDC status gives, and would read as an office
/// without gaps: `batch` (on either path) and `check` warn of it once, at its first row, with
/// the count of the others. A row answering only the free text, or rejected, is not counted.
#[test]
fn rows_that_answer_nothing_but_the_country_are_warned_about_once() {
    let table = "id,country,legislation_status,challenges\na,GHA,outdated,\nb,KEN,,\nc,MWI,unknown,\nd,BRA,,backlog of applications\ne,MWI,,\n";
    let says = "warning: p.csv:3: this row and 1 more answer no question besides the country, so their scores come only from what the country table fills in: fill in their answers, or remove the rows";
    // Exit 1: row `c` is rejected.
    told_once_of_a_table(table, says, "besides the country", (1, 1));
    // One such row is told of as one.
    ipneeds()
        .file("p.csv", "id,country,legislation_status\na,GHA,outdated\nb,KEN,\n")
        .args(["batch", "p.csv"])
        .run()
        .success()
        .stderr_contains("warning: p.csv:3: this row answers no question besides the country, so its scores come only from what the country table fills in: fill in its answers, or remove the row");
}

/// Results written over a file a spreadsheet has open (LibreOffice's `.~lock.NAME#` or
/// Excel's `~$NAME` beside it) are written, with a warning: the window still shows the old
/// results, and saving it would bring them back.
#[test]
fn results_written_over_a_file_open_in_a_spreadsheet_are_warned_of() {
    let cases = repo().join("tests/data/cases/profiles.csv");
    for (output, lock) in [
        ("results.xlsx", ".~lock.results.xlsx#"),
        ("results.csv", "~$sults.csv"),
        ("r.csv", "~$r.csv"),
    ] {
        let run = ipneeds()
            .file(lock, "")
            .arg("batch")
            .arg(&cases)
            .args(["-o", output])
            .run();
        run.success();
        run.stderr_line_with(&[
            &format!("warning: {output} seems open in LibreOffice or Excel (its lock file {lock} is beside it)"),
            "saving the open copy would write the old results over them",
        ]);
        assert!(run.path(output).is_file(), "{output} is written");
    }
    let score = ipneeds()
        .file(".~lock.report.html#", "")
        .args(["score", "-", "-o", "report.html"])
        .stdin("ip_strategy: none\n")
        .run();
    score.success();
    score.stderr_line_with(&["warning: report.html seems open in LibreOffice or Excel"]);
    let closed = ipneeds()
        .arg("batch")
        .arg(&cases)
        .args(["-o", "results.xlsx"])
        .run();
    closed.success();
    closed.stderr_lacks("seems open");
}

/// A country table saved as Excel's plain "CSV" (Windows-1252) is read as the profiles saved
/// that way are, by `--countries` and by `check`: it was refused as "not UTF-8 text".
#[test]
fn a_country_table_saved_in_windows_1252_is_read() {
    let table = "iso3,iso2,m49,name,alt_names,region,sub_region,ldc_listing,ldc_inclusion_year,ldc_graduation_date,regional_systems\nSEN,SN,686,S\u{e9}n\u{e9}gal,Senegal,Africa,Sub-Saharan Africa,ldc,2000,,oapi\n";
    let windows_1252: Vec<u8> = table
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    let run = ipneeds()
        .file("countries.csv", &windows_1252)
        .args(["--countries", "countries.csv", "score", "-", "--top", "1"])
        .stdin("country: Sénégal\nip_strategy: none\n")
        .run();
    run.success();
    run.stdout_line_with(&[
        "country: SEN",
        "ldc_status: ldc (prefilled)",
        "oapi (prefilled)",
    ]);
    ipneeds()
        .file("countries.csv", &windows_1252)
        .args(["check", "countries.csv"])
        .run()
        .success()
        .stderr_contains("no problems");
}

/// A results workbook given back to `batch` as profiles was scored from each row's country
/// alone, with exit 0: it is refused, named as results.
#[test]
fn a_results_workbook_given_back_as_profiles_is_refused() {
    let first = ipneeds()
        .arg("batch")
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .args(["-o", "r.xlsx"])
        .run();
    first.success();
    ipneeds()
        .arg("batch")
        .arg(first.path("r.xlsx"))
        .run()
        .expect_code(2, "results as profiles")
        .stderr_contains("Results row 1: this is a table of results ipneeds wrote (its column `rank 1 program`), not of profiles");
    // Its Reasons and Planning sheets, given by name, were read as profiles with no answers
    // and scored 0 everywhere, with exit 0.
    for sheet in ["Reasons", "Planning"] {
        ipneeds()
            .arg("batch")
            .arg(first.path("r.xlsx"))
            .args(["--sheet", sheet])
            .run()
            .expect_code(2, sheet)
            .stderr_contains(&format!("{sheet} row 1: this is a table of results ipneeds wrote (its columns `rank` and `program`), not of profiles"));
    }
}

/// A header cell with a line break typed in it (Alt+Enter in Excel) names its field as the
/// sheet shows it on one line: `IP⏎strategy` is `ip_strategy` (it was an unknown column, and
/// its answers were not read).
#[test]
fn a_line_break_in_a_header_cell_is_a_space() {
    let broken = ipneeds()
        .file("p.csv", "id,\"IP\r\nstrategy\",\"country\n\"\nx,none,UGA\n")
        .args(["batch", "p.csv"])
        .run();
    broken.success().stderr_lacks("not a profile field");
    let plain = ipneeds()
        .file("p.csv", "id,ip_strategy,country\nx,none,UGA\n")
        .args(["batch", "p.csv"])
        .run();
    assert_eq!(broken.stdout, plain.stdout);
}

/// Warnings on an answers file come in the file's order, top to bottom, as a person fixing
/// them reads it (they came in the questionnaire's order, the version note first).
#[test]
fn warnings_on_an_answers_file_come_in_its_line_order() {
    let answers = "substantive_examination: none\npending_applications: 9000\npatent_pendency_months: 80\nquestionnaire: \"0.1\"\n";
    let run = ipneeds()
        .file("a.yaml", answers)
        .args(["score", "a.yaml"])
        .run();
    run.expect_code(0, "score");
    let lines: Vec<u64> = (run.stderr.lines())
        .filter_map(|l| l.strip_prefix("warning: a.yaml:"))
        .filter_map(|rest| rest.split(':').next()?.parse().ok())
        .collect();
    assert_eq!(lines, [2, 3, 4], "{}", run.stderr);
}

// ---- workbooks: repeated rows in an .ods, formulas with no saved value ----

#[test]
fn a_country_merged_down_in_an_ods_is_read_on_every_row_it_covers_and_named() {
    // LibreOffice writes B2:B4 merged as a cell spanning three rows, then a covered cell on
    // each row below: read alone, rows 3 and 4 had no country, without a word.
    let row = |id: &str, country: &str, pending: &str| {
        format!(
            "<table:table-row>{}{country}{}</table:table-row>",
            ods_text_cell("", id),
            ods_text_cell("", pending)
        )
    };
    let book = ods_bytes(&format!(
        "{}{}{}{}",
        ods_text_row("", &["id", "country", "pending_applications"]),
        row(
            "a",
            &ods_text_cell(r#"table:number-rows-spanned="3""#, "UGA"),
            "2400"
        ),
        row("b", ODS_COVERED, "1000"),
        row("c", ODS_COVERED, "500"),
    ));
    let run = ipneeds().file("merged.ods", &book);
    let input = run.path("merged.ods");
    let result = run.args(["batch", "--top", "1"]).arg(&input).run();
    result.expect_code(0, "batch of an .ods with a merged country");
    for id in ["a", "b", "c"] {
        result.stdout_line_with(&[&format!("{id},UGA,")]);
    }
    result.stderr_line_with(&[
        "warning: ",
        "merged.ods Sheet1!B2:B4 is merged: its value `UGA` was used for every row it covers (rows 2 to 4), as the sheet shows it; unmerge the cells",
    ]);
    result.stderr_line_with(&["3 row(s) scored, 0 rejected"]);
    let checked = ipneeds().file("merged.ods", &book);
    let input = checked.path("merged.ods");
    let checked = checked.arg("check").arg(&input).run();
    checked.expect_code(0, "check of an .ods with a merged country");
    checked.stderr_line_with(&["warning: ", "merged.ods Sheet1!B2:B4 is merged"]);
}

/// LibreOffice stores an error cell of an `.ods` (`=NA()`, `=1/0`) as its text, marked
/// `calcext:value-type="error"`: it rejects its row, as in an `.xlsx`. It was read as the text
/// `#N/A`: a free-text answer, an id, a row scored as if its lookup had worked.
#[test]
fn an_error_cell_of_an_ods_rejects_its_row_as_in_an_xlsx() {
    let error = |formula: &str, shown: &str| {
        format!(
            r#"<table:table-cell table:formula="of:={formula}" office:value-type="string" office:string-value="" calcext:value-type="error"><text:p>{shown}</text:p></table:table-cell>"#
        )
    };
    let book = ods_bytes(&format!(
        "{}<table:table-row>{}{}{}</table:table-row><table:table-row table:number-rows-repeated=\"2\">{}{}{}</table:table-row>{}",
        ods_text_row("", &["id", "country", "challenges"]),
        ods_text_cell("", "a"),
        ods_text_cell("", "UGA"),
        error("NA()", "#N/A"),
        error("NA()", "#N/A"),
        ods_text_cell("", "KEN"),
        ods_text_cell("", "backlog"),
        ods_text_row("", &["d", "TZA", "#N/A typed as text"]),
    ));
    let run = ipneeds().file("errors.ods", &book);
    let input = run.path("errors.ods");
    let result = run.args(["batch", "--top", "1"]).arg(&input).run();
    result.expect_code(1, "rows with error cells are rejected");
    result.stderr_line_with(&[
        "errors.ods Sheet1!C2 (column challenges): the cell holds the spreadsheet error #N/A",
    ]);
    result.stderr_line_with(&["errors.ods Sheet1!A3 (column id)", "#N/A"]);
    result.stderr_line_with(&["errors.ods Sheet1!A4 (column id)", "#N/A"]);
    result.stderr_line_with(&["1 row(s) scored, 3 rejected"]);
    result.stdout_line_with(&["d,TZA,"]);
}

#[test]
fn a_merge_over_an_ods_header_row_is_refused_as_in_an_xlsx() {
    let data = ods_text_row("", &["a", "UGA", "2400"]);
    for (header, what) in [
        (
            format!(
                "<table:table-row>{}{}{ODS_COVERED}</table:table-row>{data}",
                ods_text_cell("", "id"),
                ods_text_cell(r#"table:number-columns-spanned="2""#, "country"),
            ),
            "Sheet1!B1:C1: the range is merged across columns of the header row",
        ),
        (
            format!(
                "<table:table-row>{}{}{}</table:table-row><table:table-row>{}{ODS_COVERED}{}</table:table-row>",
                ods_text_cell("", "id"),
                ods_text_cell(r#"table:number-rows-spanned="2""#, "country"),
                ods_text_cell("", "pending_applications"),
                ods_text_cell("", "a"),
                ods_text_cell("", "2400"),
            ),
            "Sheet1!B1:B2: the range is merged across the header row and the rows below it",
        ),
    ] {
        let run = ipneeds().file("header.ods", ods_bytes(&header));
        let input = run.path("header.ods");
        let result = run.arg("batch").arg(&input).run();
        result.expect_code(2, "batch of an .ods with a merged header");
        result.stderr_line_with(&["header.ods ", what, "unmerge the cells"]);
    }
}

/// A damaged tag in an .ods is reported in words, not as the XML reader's debug text of the tag
/// (`found 'Start(BytesStart { buf: Borrowed(…`), found by fuzzing.
#[test]
fn a_damaged_ods_tag_is_reported_without_the_readers_debug_text() {
    let rows = ods_text_row("", &["id", "country"]) + &ods_text_row("", &["a", "UGA"]);
    let damaged = rows.replacen("<table:table-cell", "<tabLe:table-cell", 1);
    let run = ipneeds().file("bad.ods", ods_bytes(&damaged));
    let input = run.path("bad.ods");
    let result = run.arg("batch").arg(&input).run();
    result.expect_code(2, "batch of an .ods with a damaged tag");
    result.stderr_line_with(&[
        "bad.ods: the workbook cannot be read: part of its content is damaged",
        "found another tag",
        "save it again",
    ]);
    result.stderr_lacks("BytesStart");
}

#[test]
fn an_ods_merge_after_repeated_rows_and_cells_is_placed_where_the_sheet_shows_it() {
    // Two empty rows (one row, repeated) and two empty columns (one cell, repeated) before the
    // table; an empty row repeated between the header and the data; a value repeated across
    // two columns before the merged country, on the sixth and seventh rows.
    let empty_cells = r#"<table:table-cell table:number-columns-repeated="2"/>"#;
    let row = |cells: String| format!("<table:table-row>{empty_cells}{cells}</table:table-row>");
    let book = ods_bytes(&format!(
        "{}{}{}{}{}",
        r#"<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="5"/></table:table-row>"#,
        row(
            ["id", "pending_applications", "patent_examiners", "country"]
                .map(|t| ods_text_cell("", t))
                .concat()
        ),
        r#"<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>"#,
        row(format!(
            "{}{}{}",
            ods_text_cell("", "a"),
            ods_text_cell(r#"table:number-columns-repeated="2""#, "3"),
            ods_text_cell(r#"table:number-rows-spanned="2""#, "UGA"),
        )),
        row(format!(
            "{}{}{ODS_COVERED}",
            ods_text_cell("", "b"),
            ods_text_cell(r#"table:number-columns-repeated="2""#, "4"),
        )),
    ));
    let run = ipneeds().file("placed.ods", &book);
    let input = run.path("placed.ods");
    let result = run.args(["batch", "--top", "1"]).arg(&input).run();
    result.expect_code(0, "batch of an .ods with repeats before a merge");
    result.stdout_line_with(&["a,UGA,"]);
    result.stdout_line_with(&["b,UGA,"]);
    result.stderr_line_with(&[
        "placed.ods Sheet1!F6:F7 is merged: its value `UGA` was used for every row it covers (rows 6 to 7)",
    ]);
}

#[test]
fn an_ods_row_repeated_a_million_times_is_refused_quickly_by_batch_check_and_eval() {
    // 1 KB: one row of values marked repeated 1,048,000 times, with a 200-byte cell repeated
    // across 20 columns. calamine alone would lay out gigabytes and abort (exit 134).
    let long = format!(
        r#"<table:table-cell table:number-columns-repeated="20" office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
        "q".repeat(200)
    );
    let bomb = ods_bytes(&format!(
        "{}{}",
        ods_text_row("", &["id", "country"]),
        ods_text_row(r#"table:number-rows-repeated="1048000""#, &["a", "UGA"])
            .replace("</table:table-row>", &format!("{long}</table:table-row>"))
    ));
    assert!(bomb.len() < 2_000, "{} bytes", bomb.len());
    refused_by_batch_check_and_eval(
        "rep.ods",
        &bomb,
        &[
            "rep.ods Sheet1: the sheet's cells take more than 64 MiB once read",
            "row 2 is repeated 1048000 times",
            "IPNEEDS_MAX_WORKBOOK_BYTES",
        ],
        20,
    );
}

/// A workbook `name` (`bytes`) is refused by `batch`, `check` and `eval` under a 300 MiB
/// memory limit, within `seconds`, with a line holding `says`, and no output left behind.
fn refused_by_batch_check_and_eval(name: &str, bytes: &[u8], says: &[&str], seconds: u64) {
    let expected = repo().join("tests/data/cases/expected.csv");
    let runs: [(&[&str], i32); 3] = [
        (&["batch", name, "-o", "out.csv"], 2),
        (&["check", name], 1),
        (&["eval", name, expected.to_str().unwrap()], 2),
    ];
    for (args, code) in runs {
        let run = ipneeds()
            .file(name, bytes)
            .args(args)
            .memory_limit_mib(300)
            .timeout(std::time::Duration::from_secs(60))
            .run();
        run.expect_code(code, args[0]);
        run.stderr_line_with(says);
        assert!(
            run.elapsed < std::time::Duration::from_secs(seconds),
            "{:?}\n{}",
            run.elapsed,
            run.context()
        );
        assert!(!run.path("out.csv").exists());
    }
}

#[test]
fn an_ods_with_libreoffice_s_trailing_empty_rows_and_columns_is_scored() {
    // LibreOffice writes the sheet's unused rows and columns as one empty row and cell, repeated.
    let book = ods_bytes(&format!(
        "{}{}{}",
        ods_text_row("", &["id", "country"]),
        ods_text_row("", &["a", "UGA"]),
        r#"<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
    ));
    let run = ipneeds()
        .file("ended.ods", &book)
        .args(["batch", "ended.ods", "--top", "1"])
        .memory_limit_mib(300)
        .run();
    run.expect_code(0, "batch of an .ods with empty repeats at its end");
    run.stderr_line_with(&["1 row(s) scored, 0 rejected"]);
    run.stdout_line_with(&["a,UGA,"]);
}

#[test]
fn a_formula_with_no_saved_value_rejects_its_row_at_its_cell() {
    // openpyxl writes `=2+1` as the formula alone (`<f>2+1</f>`, no `<v>`): the value was read
    // as empty, the answer lost without a word. A formula with its value saved reads as the value.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("wb1.xlsx");
    let rows: Vec<Vec<String>> = [
        ["id", "country", "patent_examiners", "pending_applications"],
        ["c", "UGA", "", ""],
        ["d", "KEN", "", ""],
    ]
    .iter()
    .map(|row| row.iter().map(ToString::to_string).collect())
    .collect();
    write_xlsx(&book, "Sheet1", &rows, |sheet| {
        let formula = rust_xlsxwriter::Formula::new;
        sheet.write_formula(1, 2, formula("=2+1")).unwrap();
        sheet
            .write_formula(1, 3, formula("=100*2").set_result("200"))
            .unwrap();
        sheet
            .write_formula(2, 2, formula("=2+2").set_result("4"))
            .unwrap();
    });
    let written = std::fs::read(&book).unwrap();
    let edited = zip_with_part_edited(&written, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace("<f>2+1</f><v>0</v>", "<f>2+1</f>")
    });
    std::fs::write(&book, edited).unwrap();
    let errors = dir.path().join("errors.csv");
    let run = ipneeds()
        .args(["batch", "-f", "jsonl", "--errors"])
        .arg(&errors)
        .arg(&book)
        .run();
    run.expect_code(1, "batch with a formula with no saved value");
    run.stderr_line_with(&[
        "wb1.xlsx Sheet1!C2 (column patent_examiners): the cell holds the formula `=2+1` but no saved value",
        "open the workbook in Excel or LibreOffice Calc and save it",
        "or type the answer instead",
    ]);
    run.stderr_line_with(&["1 row(s) scored, 1 rejected"]);
    let scored: Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(scored["id"], "d");
    assert_eq!(scored["profile"]["patent_examiners"], 4);
    let listed = std::fs::read_to_string(&errors).unwrap();
    assert!(listed.contains("patent_examiners,"), "{listed}");
    assert!(listed.contains("no saved value"), "{listed}");
    // check reports it too.
    let check = ipneeds().arg("check").arg(&book).run();
    check.expect_code(1, "check");
    check.stderr_line_with(&["Sheet1!C2 (column patent_examiners)", "no saved value"]);
}

/// The case rows as an .xlsx `name` in `dir`, with one zip part edited.
fn case_book_with_part(
    dir: &tempfile::TempDir,
    name: &str,
    part: &str,
    edit: impl Fn(&str) -> String,
) -> PathBuf {
    let book = dir.path().join(name);
    write_xlsx(&book, "Sheet1", &case_rows(), |_| {});
    let written = std::fs::read(&book).unwrap();
    std::fs::write(&book, zip_with_part_edited(&written, part, edit)).unwrap();
    book
}

/// A workbook part cut short or listed but missing is named as damage in words, the reader's
/// own text kept after them as a detail (it was the whole message, in parentheses).
#[test]
fn a_damaged_workbook_part_is_named_as_damage_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let cut_short = case_book_with_part(&dir, "cut.xlsx", "xl/worksheets/sheet1.xml", |xml| {
        xml[..xml.len() / 2].to_string()
    });
    let missing_sheet = case_book_with_part(&dir, "missing.xlsx", "xl/workbook.xml", |xml| {
        xml.replace("r:id=\"rId1\"", "r:id=\"rId9\"")
    });
    for book in [cut_short, missing_sheet] {
        let run = batch_in_300_mib(&book);
        run.expect_code(2, &book.display().to_string());
        run.stderr_line_with(&[
            ": the workbook cannot be read: part of its content is damaged, or written in a way ipneeds does not read (the reader says: ",
            "open it in the spreadsheet and save it again",
        ]);
        assert!(!dir.path().join("out.csv").exists());
    }
}

/// A sheet's cell that no spreadsheet program writes is refused at its place before the sheet
/// is read (found by fuzzing): a column past XFD took gigabytes and minutes, a row past
/// 4,294,967,295 wrapped round and silently replaced a cell of another row, a cell written twice
/// lost one of its values without a word, and millions of empty rows took a minute to read.
#[test]
fn an_xlsx_cell_no_spreadsheet_writes_is_refused_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let first_cell = |xml: &str, at: &str| {
        let start = xml.find(&format!("<c r=\"{at}\"")).unwrap();
        let end = start + xml[start..].find("</c>").unwrap() + "</c>".len();
        (start, end)
    };
    type SheetEdit = Box<dyn Fn(&str) -> String>;
    let cases: [(&str, SheetEdit, &str); 4] = [
        (
            "column.xlsx",
            Box::new(|xml: &str| xml.replacen("<c r=\"C2\"", "<c r=\"ZZZZZZZ2\"", 1)),
            "Sheet1!ZZZZZZZ2: the sheet holds a cell past Excel's last row (1048576) or column (XFD)",
        ),
        (
            "row.xlsx",
            Box::new(|xml: &str| xml.replacen("<c r=\"C2\"", "<c r=\"C4294967298\"", 1)),
            "Sheet1!C4294967298: the sheet holds a cell past Excel's last row",
        ),
        (
            "twice.xlsx",
            Box::new(move |xml: &str| {
                let (start, end) = first_cell(xml, "A2");
                format!("{}{}{}", &xml[..end], &xml[start..end], &xml[end..])
            }),
            "Sheet1!A2: the sheet holds this cell twice, so one of its two values would be lost",
        ),
        (
            "rows.xlsx",
            Box::new(|xml: &str| xml.replace("</sheetData>", "<row r=\"1048577\"/></sheetData>")),
            "Sheet1: the sheet has rows past Excel's last row (1048576)",
        ),
    ];
    for (name, edit, says) in cases {
        let book = case_book_with_part(&dir, name, "xl/worksheets/sheet1.xml", edit);
        let run = batch_in_300_mib(&book);
        run.expect_code(2, name);
        run.stderr_line_with(&[
            says,
            "open the file in Excel or LibreOffice and save it again",
        ]);
        assert!(!dir.path().join("out.csv").exists(), "{name}");
    }
}

/// The same cells with the sheet's part where calamine finds it but the scan did not look
/// (found by fuzzing: a 5 KB workbook whose cell at ZZZZZZ1 lay in `xl/data/` took 10 GB):
/// outside `xl/worksheets/`, named with `\\`, or in a workbook its relationships move out of
/// `xl/` (only the cell past the last column is known there: the sheet's part is not).
#[test]
fn an_xlsx_cell_no_spreadsheet_writes_is_refused_wherever_the_sheet_part_lies() {
    let dir = tempfile::tempdir().unwrap();
    let far = |xml: &str| xml.replacen("<c r=\"C2\"", "<c r=\"ZZZZZZ2\"", 1);
    let twice = |xml: &str| {
        let start = xml.find("<c r=\"A2\"").unwrap();
        let end = start + xml[start..].find("</c>").unwrap() + "</c>".len();
        format!("{}{}{}", &xml[..end], &xml[start..end], &xml[end..])
    };
    type Move = fn(&str) -> String;
    // Each part's new name, and the text of the relationships that lead calamine to it.
    let data: Move = |name| name.replace("xl/worksheets/sheet1.xml", "xl/data/s.xml");
    let backslash: Move = |name| name.replace('/', "\\");
    let moved: Move = |name| match name.strip_prefix("xl/") {
        Some(rest) => format!("book/{rest}"),
        None => name.into(),
    };

    for (layout, rename) in [("data", data), ("backslash", backslash), ("moved", moved)] {
        for (what, edit) in [("far", &far as &dyn Fn(&str) -> String), ("twice", &twice)] {
            // The sheet's part is not known in a workbook moved out of `xl/`: a cell written
            // twice is calamine's to read there.
            if layout == "moved" && what == "twice" {
                continue;
            }
            let name = format!("{layout}-{what}.xlsx");
            let book = case_book_with_part(&dir, &name, "xl/worksheets/sheet1.xml", edit);
            let written = std::fs::read(&book).unwrap();
            let edited = zip_with_parts_moved(&written, rename, |_, xml| match layout {
                "data" => xml.replace("\"worksheets/sheet1.xml\"", "\"data/s.xml\""),
                "moved" => xml.replace("\"xl/workbook.xml\"", "\"book/workbook.xml\""),
                _ => xml,
            });
            std::fs::write(&book, edited).unwrap();
            let run = batch_in_300_mib(&book);
            run.expect_code(2, &name);
            let says = match what {
                "far" => "Sheet1!ZZZZZZ2: the sheet holds a cell past Excel's last row (1048576) or column (XFD)",
                _ => "Sheet1!A2: the sheet holds this cell twice",
            };
            run.stderr_line_with(&[
                says,
                "open the file in Excel or LibreOffice and save it again",
            ]);
        }
    }
}

/// A cell whose value calamine cannot read (a damaged or hand-made file) is refused at its
/// place, with the fix, before the sheet is read: calamine's own error named no cell
/// (`Unrecognized boolean cell value: 7`, `Parse float error: invalid float literal`).
#[test]
fn an_xlsx_cell_value_no_spreadsheet_writes_is_refused_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    // B2 (the first profile's country) is empty in the case rows: the cell is added after A2.
    let b2 = |cell: &'static str| {
        move |xml: &str| {
            assert!(!xml.contains(r#"<c r="B2""#));
            let start = xml.find(r#"<c r="A2""#).unwrap();
            let end = start + xml[start..].find("</c>").unwrap() + "</c>".len();
            format!("{}{cell}{}", &xml[..end], &xml[end..])
        }
    };
    type SheetEdit = Box<dyn Fn(&str) -> String>;
    let cases: [(&str, SheetEdit, &str); 5] = [
        (
            "badbool.xlsx",
            Box::new(b2(r#"<c r="B2" t="b"><v>7</v></c>"#)),
            "badbool.xlsx Sheet1!B2: the cell's value `7` is not a TRUE/FALSE value, which no spreadsheet writes: open the file in Excel or LibreOffice and save it again",
        ),
        (
            "badnumber.xlsx",
            Box::new(b2(r#"<c r="B2" t="n"><v>abc</v></c>"#)),
            "badnumber.xlsx Sheet1!B2: the cell's value `abc` is marked as a number but is not one, which no spreadsheet writes: open the file in Excel or LibreOffice and save it again",
        ),
        (
            "badtext.xlsx",
            Box::new(|xml: &str| {
                let start = xml.find(r#"<c r="A2""#).unwrap();
                let end = start + xml[start..].find("</c>").unwrap() + "</c>".len();
                let cell = r#"<c r="A2" t="s"><v>999</v></c>"#;
                format!("{}{cell}{}", &xml[..start], &xml[end..])
            }),
            "badtext.xlsx Sheet1!A2: the cell's text is missing from the workbook (the cell points to entry `999` of the workbook's table of shared text, which holds",
        ),
        (
            "badtype.xlsx",
            Box::new(b2(r#"<c r="B2" t="zz"><v>3</v></c>"#)),
            "badtype.xlsx Sheet1!B2: the cell is marked as holding a kind of value (`zz`), which no spreadsheet writes: open the file in Excel or LibreOffice and save it again",
        ),
        (
            "baderror.xlsx",
            Box::new(b2(r#"<c r="B2" t="e"><v>#WHAT</v></c>"#)),
            "baderror.xlsx Sheet1!B2: the cell holds the spreadsheet error #WHAT, which ipneeds cannot read",
        ),
    ];
    for (name, edit, says) in cases {
        let book = case_book_with_part(&dir, name, "xl/worksheets/sheet1.xml", edit);
        let run = batch_in_300_mib(&book);
        run.expect_code(2, name);
        run.stderr_line_with(&[says]);
        assert!(
            !run.stderr.contains("the reader says"),
            "{name}: {}",
            run.stderr
        );
        assert!(!dir.path().join("out.csv").exists(), "{name}");
    }
}

/// What spreadsheets write is read as before the scan of cell values: TRUE/FALSE, numbers,
/// shared text, an error calamine knows (#N/A, a cell error of its row).
#[test]
fn an_xlsx_with_booleans_numbers_errors_and_shared_text_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("plain.xlsx");
    write_xlsx(&book, "Sheet1", &case_rows(), |sheet| {
        // H2: the first profile's treaty_accession_planned (`yes`), as TRUE; K3: #N/A.
        sheet.write_boolean(1, 7, true).unwrap();
        sheet
            .write_formula(
                2,
                10,
                rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A"),
            )
            .unwrap();
    });
    let sheet = zip_part_text(&book, "xl/worksheets/sheet1.xml");
    for written in [
        r#"<c r="H2" t="b"><v>1</v>"#,
        r#"t="e""#,
        r#"t="s""#,
        "<v>84</v>",
    ] {
        assert!(sheet.contains(written), "{written}\n{sheet}");
    }
    let run = ipneeds()
        .args(["batch", "-o"])
        .arg(dir.path().join("out.csv"))
        .arg(&book)
        .run();
    run.expect_code(1, "batch with one #N/A");
    run.stderr_line_with(&[
        "plain.xlsx Sheet1!K3 (column pending_applications): the cell holds the spreadsheet error #N/A",
    ]);
    run.stderr_line_with(&["11 row(s) scored, 1 rejected"]);
    let out = std::fs::read_to_string(dir.path().join("out.csv")).unwrap();
    assert!(out.contains("v01-ldc-foundations"), "{out}");
}

/// `batch -o out.csv BOOK` with the process's memory capped at 300 MiB.
fn batch_in_300_mib(book: &Path) -> Output {
    ipneeds()
        .args(["batch", "-o", "out.csv"])
        .arg(book)
        .memory_limit_mib(300)
        .run()
}

#[test]
fn an_xlsx_whose_shared_strings_declare_billions_is_refused_in_bounded_memory() {
    // `uniqueCount="4000000000"`: calamine set room aside for them all (96 GB) and aborted.
    let dir = tempfile::tempdir().unwrap();
    let book = case_book_with_part(&dir, "sst.xlsx", "xl/sharedStrings.xml", |xml| {
        let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + xml[at..].find('"').unwrap();
        format!("{}4000000000{}", &xml[..at], &xml[end..])
    });
    let run = batch_in_300_mib(&book);
    run.expect_code(2, "batch of an .xlsx declaring 4,000,000,000 strings");
    run.stderr_line_with(&[
        "sst.xlsx: the sheet's cells take more than 64 MiB once read",
        "says it holds 4000000000 strings",
    ]);
}

/// The same crafted workbook lying where the results go: the check for typed work reads it with
/// the input's limits, and refuses it as not a workbook of results, in bounded memory.
#[test]
fn a_crafted_workbook_in_the_output_s_place_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let book = case_book_with_part(&dir, "sst.xlsx", "xl/sharedStrings.xml", |xml| {
        let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + xml[at..].find('"').unwrap();
        format!("{}4000000000{}", &xml[..at], &xml[end..])
    });
    let before = std::fs::read(&book).unwrap();
    let run = ipneeds()
        .arg("batch")
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .arg("-o")
        .arg(&book)
        .memory_limit_mib(300)
        .run();
    run.expect_code(2, "batch onto a crafted workbook");
    run.stderr_line_with(&[
        "sst.xlsx: the file exists and is not a workbook of results ipneeds wrote",
    ]);
    assert_eq!(std::fs::read(&book).unwrap(), before);
}

#[test]
fn an_xlsx_cell_holding_hundreds_of_megabytes_is_refused_in_bounded_memory() {
    // One inline-text cell of 200 MB (the file: a few hundred KB, zipped): the XML reader held
    // the whole text, and calamine copies of it, before any cell could be counted.
    let dir = tempfile::tempdir().unwrap();
    let book = case_book_with_part(&dir, "cell.xlsx", "xl/worksheets/sheet1.xml", |xml| {
        let huge = "A".repeat(200 * 1024 * 1024);
        let cell =
            format!(r#"<row r="999"><c r="B999" t="inlineStr"><is><t>{huge}</t></is></c></row>"#);
        xml.replacen("</sheetData>", &format!("{cell}</sheetData>"), 1)
    });
    assert!(std::fs::metadata(&book).unwrap().len() < 2 * 1024 * 1024);
    let run = batch_in_300_mib(&book);
    run.expect_code(2, "batch of an .xlsx with a 200 MB cell");
    run.stderr_line_with(&[
        "cell.xlsx: the sheet's cells take more than 64 MiB once read",
        "one of its cells holds more text than that",
    ]);
    assert!(!run.path("out.csv").exists(), "nothing written");
}

#[test]
fn a_workbook_cell_over_the_cell_limit_is_not_called_an_unclosed_quote() {
    // A workbook has no quotes: a cell this long is text pasted in, and the advice says so.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("long.xlsx");
    let mut rows = case_rows();
    rows.truncate(2);
    let challenges = rows[0].iter().position(|c| c == "challenges").unwrap();
    // Excel holds at most 32,767 characters in a cell: the limit is lowered to meet it.
    rows[1][challenges] = "backlog of applications ".repeat(1_000);
    write_xlsx(&book, "Profiles", &rows, |_| {});
    let run = (ipneeds().env("IPNEEDS_MAX_CELL_BYTES", "10000"))
        .arg("batch")
        .arg(&book)
        .run();
    run.expect_code(1, "a row rejected for a 24,000-byte cell");
    run.stderr_line_with(&[
        "long.xlsx Profiles!AC2",
        "the cell is 24000 bytes long; the limit is",
        "shorten its text",
    ]);
    assert!(!run.stderr.contains("quote"), "{}", run.stderr);
}

/// A template is filled in where it lies: writing one over a file that differs from it (answers
/// filled in) is refused, the file kept; the same template again is harmless; --force replaces.
#[test]
fn a_template_never_replaces_a_filled_in_file_without_force() {
    let run = ipneeds()
        .args(["template", "--format", "yaml", "-o", "t.yaml"])
        .run();
    run.success();
    let template = std::fs::read_to_string(run.path("t.yaml")).unwrap();
    let filled = format!("{template}patent_examiners: 3\n");
    let refused = ipneeds()
        .file("t.yaml", &filled)
        .args(["template", "--format", "yaml", "-o", "t.yaml"])
        .run();
    refused
        .expect_code(2, "filled in")
        .stderr_contains("t.yaml: the file already exists and differs from the template")
        .stderr_contains("--force");
    assert_eq!(
        std::fs::read_to_string(refused.path("t.yaml")).unwrap(),
        filled
    );
    ipneeds()
        .file("t.yaml", &template)
        .args(["template", "--format", "yaml", "-o", "t.yaml"])
        .run()
        .success();
    let forced = ipneeds()
        .file("t.yaml", &filled)
        .args(["template", "--format", "yaml", "-o", "t.yaml", "--force"])
        .run();
    forced.success();
    assert_eq!(
        std::fs::read_to_string(forced.path("t.yaml")).unwrap(),
        template
    );
}

/// An XLSForm stores the time it was made: the same form written a minute later differs in
/// that part only, and is not taken for a form holding edits (which taught users --force).
/// A form with a cell edited is still refused.
#[test]
fn an_xlsform_written_earlier_is_replaced_and_an_edited_one_is_not() {
    let run = ipneeds()
        .args(["template", "--format", "xlsform", "-o", "form.xlsx"])
        .run();
    run.success();
    let written = std::fs::read(run.path("form.xlsx")).unwrap();
    // The same workbook with one part changed, as time or an edit would change it.
    let changed =
        |part: &str, edit: &dyn Fn(&str) -> String| zip_with_part_edited(&written, part, edit);
    let earlier = changed("docProps/core.xml", &|core| {
        let start = core.find("<dcterms:created").unwrap();
        let open = start + core[start..].find('>').unwrap() + 1;
        let close = open + core[open..].find('<').unwrap();
        format!("{}2020-01-01T00:00:00Z{}", &core[..open], &core[close..])
    });
    assert_ne!(earlier, written);
    ipneeds()
        .file("form.xlsx", &earlier)
        .args(["template", "--format", "xlsform", "-o", "form.xlsx"])
        .run()
        .success();
    let edited = changed("xl/worksheets/sheet1.xml", &|sheet| {
        sheet.replacen("</sheetData>", "<row r=\"900\"><c r=\"A900\" t=\"inlineStr\"><is><t>note</t></is></c></row></sheetData>", 1)
    });
    ipneeds()
        .file("form.xlsx", &edited)
        .args(["template", "--format", "xlsform", "-o", "form.xlsx"])
        .run()
        .expect_code(2, "an edited form")
        .stderr_contains("form.xlsx: the file already exists and differs from the template");
}

// ---- .xls: counted before calamine reads it ----

/// A header row and two profiles.
fn xls_profiles() -> Vec<(u16, u16, XlsCell)> {
    use XlsCell::{Number, Text};
    vec![
        (0, 0, Text("id")),
        (0, 1, Text("country")),
        (0, 2, Text("patent_examiners")),
        (1, 0, Text("a")),
        (1, 1, Text("UGA")),
        (1, 2, Number(12.0)),
        (2, 0, Text("b")),
        (2, 1, Text("KEN")),
        (2, 2, Number(3.0)),
    ]
}

#[test]
fn a_small_xls_built_here_is_scored_as_its_csv() {
    let book = xls_bytes(&xls_profiles(), &[], None);
    let run = ipneeds()
        .file("p.xls", &book)
        .args(["batch", "p.xls", "--top", "1"])
        .memory_limit_mib(300)
        .run();
    run.expect_code(0, "batch of a small .xls");
    run.stderr_line_with(&["2 row(s) scored, 0 rejected"]);
    let csv = ipneeds()
        .file("p.csv", "id,country,patent_examiners\na,UGA,12\nb,KEN,3\n")
        .args(["batch", "p.csv", "--top", "1"])
        .run();
    csv.expect_code(0, "batch of the same CSV");
    assert_eq!(run.stdout, csv.stdout);
}

/// A ROW record's body (row from 0), hidden (`fDyZero`) or not, as LibreOffice writes it.
fn xls_row(row: u16, hidden: bool) -> Vec<u8> {
    let options: u32 = 0x000F_0100 | if hidden { 0x0020 } else { 0 };
    let mut body = row.to_le_bytes().to_vec();
    body.extend([0, 0, 3, 0, 0xFF, 0, 0, 0, 0, 0]);
    body.extend(options.to_le_bytes());
    body
}

/// A policy officer hides a country's row, or a field's column, in LibreOffice or an old
/// Excel file: `batch` warned of it in an .xlsx only, and scored the .ods's hidden column and
/// the .xls's hidden row and column without a word. Now the three say the same, and score the
/// same rows.
#[test]
fn hidden_rows_and_columns_are_warned_of_alike_in_xlsx_ods_and_xls() {
    let rows: Vec<Vec<String>> = [
        ["id", "country", "patent_examiners"],
        ["a", "UGA", "12"],
        ["b", "KEN", "3"],
    ]
    .iter()
    .map(|row| row.iter().map(|cell| cell.to_string()).collect())
    .collect();
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("p.xlsx");
    write_xlsx(&xlsx, "Sheet1", &rows, |sheet| {
        sheet.set_row_hidden(2).unwrap();
        sheet.set_column_hidden(1).unwrap();
    });
    let ods = ods_bytes(&format!(
        r#"<table:table-column/><table:table-column table:visibility="collapse"/><table:table-column table:number-columns-repeated="16382"/>{}{}{}<table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        ods_text_row("", &["id", "country", "patent_examiners"]),
        ods_text_row("", &["a", "UGA", "12"]),
        ods_text_row(r#"table:visibility="collapse""#, &["b", "KEN", "3"]),
    ));
    // COLINFO: column B (from 0: 1 to 1), hidden.
    let columns: Vec<u8> = [1u16, 1, 0x0900, 0x000F, 1, 0]
        .iter()
        .flat_map(|n| n.to_le_bytes())
        .collect();
    let records = [
        biff_record(0x007D, &columns),
        biff_record(0x0208, &xls_row(1, false)),
        biff_record(0x0208, &xls_row(2, true)),
    ]
    .concat();
    let xls = xls_bytes(&xls_profiles(), &records, None);
    let csv = ipneeds()
        .file("p.csv", "id,country,patent_examiners\na,UGA,12\nb,KEN,3\n")
        .args(["batch", "p.csv", "--top", "1"])
        .run();
    csv.success();
    let books = [
        ("p.xlsx", std::fs::read(&xlsx).unwrap()),
        ("p.ods", ods),
        ("p.xls", xls),
    ];
    for (book, bytes) in books {
        let read = ipneeds()
            .file(book, bytes)
            .args(["batch", book, "--top", "1"])
            .run();
        read.success();
        read.stderr_contains(&format!("warning: {book} Sheet1: row 3 is hidden in the sheet (by hand, by a filter or by the sheet's settings), and read like every other row; to leave a country out, delete its row"));
        read.stderr_contains(&format!("warning: {book} Sheet1: column B (`country`) is hidden in the sheet, and read like every other column; to leave a field out, delete its column"));
        read.stderr_line_with(&["2 row(s) scored, 0 rejected"]);
        assert_eq!(read.stdout, csv.stdout, "{book} scores as its CSV");
    }
}

#[test]
fn an_xls_with_cells_a1_and_iv65536_is_refused_quickly_by_batch_check_and_eval() {
    // 5.6 KB: calamine lays out every cell from A1 to IV65536, 16.8 million, about 1 GB.
    let book = xls_bytes(
        &[
            (0, 0, XlsCell::Text("id")),
            (65_535, 255, XlsCell::Number(1.0)),
        ],
        &[],
        None,
    );
    assert!(book.len() < 6_000, "{} bytes", book.len());
    refused_by_batch_check_and_eval(
        "far.xls",
        &book,
        &[
            "far.xls Sheet1: the sheet's cells take more than 64 MiB once read",
            "its cells reach from A1 to IV65536",
            "IPNEEDS_MAX_WORKBOOK_BYTES",
        ],
        5,
    );
}

#[test]
fn an_xls_whose_dimensions_or_shared_strings_are_doctored_is_refused_in_bounded_memory() {
    // A dimensions record saying 4 billion rows: calamine set room aside for them (515 GB)
    // and the process aborted (exit 134).
    let rows = [
        0u32.to_le_bytes(),
        u32::MAX.to_le_bytes(),
        [0, 0, 3, 0],
        [0, 0, 0, 0],
    ]
    .concat();
    let dimensions = biff_record(0x0200, &rows[..14]);
    let doctored = xls_bytes(&xls_profiles(), &dimensions, None);
    let run = ipneeds()
        .file("dims.xls", &doctored)
        .args(["batch", "dims.xls", "-o", "out.csv"])
        .memory_limit_mib(300)
        .run();
    run.expect_code(2, "batch of an .xls with a doctored dimensions record");
    run.stderr_line_with(&[
        "dims.xls: the workbook could not be read (it looks damaged: a sheet's dimensions record says it spans 4294967295 rows and 3 columns",
        "save the sheet as \"CSV UTF-8\"",
    ]);
    // A table of shared text saying it holds 4,000,000,000 strings, in a 5 KB file.
    let declared = xls_bytes(&xls_profiles(), &[], Some(4_000_000_000));
    let run = ipneeds()
        .file("sst.xls", &declared)
        .args(["check", "sst.xls"])
        .memory_limit_mib(300)
        .run();
    run.expect_code(1, "check of an .xls declaring 4,000,000,000 strings");
    run.stderr_line_with(&[
        "sst.xls: the workbook could not be read (it looks damaged: its table of shared text says it holds 4000000000 strings",
    ]);
}

/// A spreadsheet's TRUE/FALSE in a yes/partly/no question reads as yes/no in every way in:
/// a CSV's `TRUE` was refused, an .ods's `1` too, while the .xlsx and a YAML `true` read yes.
#[test]
fn true_and_false_read_as_yes_and_no_in_a_question_with_those_values_however_given() {
    let csv = "id,flexibilities_in_law\nt,TRUE\nf,false\ny,yes\nn,no\n";
    let run = ipneeds()
        .file("p.csv", csv)
        .args(["batch", "p.csv", "-f", "jsonl"])
        .run();
    run.expect_code(0, "TRUE and false in a CSV");
    let read: Vec<(String, String)> = run
        .stdout
        .lines()
        .map(|line| {
            let row: Value = serde_json::from_str(line).unwrap();
            let answer = row["profile"]["flexibilities_in_law"].as_str().unwrap();
            (row["id"].as_str().unwrap().to_string(), answer.to_string())
        })
        .collect();
    let expected = [("t", "yes"), ("f", "no"), ("y", "yes"), ("n", "no")];
    let expected: Vec<(String, String)> = (expected.iter())
        .map(|(id, a)| (id.to_string(), a.to_string()))
        .collect();
    assert_eq!(read, expected);
    // The same as a YAML `true`, and as the word itself.
    let score = |answers: &str| {
        let run = ipneeds()
            .file("a.yaml", answers)
            .args(["score", "a.yaml", "-f", "json"])
            .run();
        run.expect_code(0, answers);
        run.stdout.clone()
    };
    assert_eq!(
        score("flexibilities_in_law: true\n"),
        score("flexibilities_in_law: \"yes\"\n")
    );
}

/// A workbook's TRUE/FALSE cell saved as CSV by a spreadsheet in French (`VRAI`/`FAUX`),
/// Spanish, Portuguese, Italian or German: the workbook scored, its CSV was refused (a
/// tester's finding). Read as yes and no, in a yes/no question and a choice taking them.
#[test]
fn true_and_false_as_a_spreadsheet_writes_them_in_other_languages_read_as_yes_and_no() {
    let words = "id,treaty_accession_planned,flexibilities_in_law\n\
        fr,VRAI,FAUX\nes,Verdadero,falso\npt,VERDADEIRO,FALSO\nit,VERO,FALSO\nde,WAHR,FALSCH\n";
    let plain = "id,treaty_accession_planned,flexibilities_in_law\nen,yes,no\n";
    let scores = |csv: &str| {
        let run = (ipneeds().file("p.csv", csv))
            .args(["batch", "p.csv"])
            .run();
        run.expect_code(0, csv);
        // Each row's output but its id.
        (run.stdout.lines().skip(1))
            .map(|line| line.split_once(',').unwrap().1.to_string())
            .collect::<Vec<_>>()
    };
    let expected = scores(plain);
    assert_eq!(scores(words), vec![expected[0].clone(); 5]);
}

/// A zero-width space, word joiner or byte-order mark around a cell (left by a paste or an
/// encoding slip, and invisible) is trimmed as a space is: `none` followed by one was refused
/// as "`none` (did you mean `none`?)", and one before the `country` header lost every
/// country (a tester's finding). The fast CSV path and the JSONL path read it alike.
#[test]
fn invisible_marks_around_a_cell_are_trimmed_as_spaces_are() {
    let clean = "id,country,ip_strategy,challenges\na,UGA,none,backlog of patents\n";
    let marked = "id\u{feff},\u{200b}country,ip_strategy\u{2060},challenges\n\
        a\u{200b},UGA,none\u{200b},\u{200b}backlog of patents\u{feff}\n";
    let run = |csv: &str, format: &str| {
        let run = (ipneeds().file("p.csv", csv))
            .args(["batch", "p.csv", "-f", format])
            .run();
        run.expect_code(0, format);
        assert!(!run.stderr.contains("warning"), "{}", run.stderr);
        run.stdout.clone()
    };
    assert_eq!(run(marked, "csv"), run(clean, "csv"));
    assert_eq!(run(marked, "jsonl"), run(clean, "jsonl"));
}

/// An invisible character inside a word (a soft hyphen from a PDF, a direction mark, a
/// zero-width space) leaves the word whole, as a reader sees it: `back­log` was two words,
/// `back` and `log`, and the need the text names went unscored (a tester's finding: 37.8
/// against 50.2). The fast CSV path and the JSONL path read it alike.
#[test]
fn an_invisible_character_inside_a_word_leaves_it_whole() {
    let clean = "id,country,challenges\na,UGA,examination backlog and too few examiners\n";
    let marked = "id,country,challenges\na,UGA,examination back\u{ad}log and too few exam\u{200e}in\u{200b}ers\n";
    let run = |csv: &str, format: &str| {
        let run = (ipneeds().file("p.csv", csv))
            .args(["batch", "p.csv", "-f", format])
            .run();
        run.expect_code(0, format);
        run.stdout.replace(['\u{ad}', '\u{200e}', '\u{200b}'], "")
    };
    assert_eq!(run(marked, "csv"), run(clean, "csv"));
    assert_eq!(run(marked, "jsonl"), run(clean, "jsonl"));
}

/// A `Total` typed in the `country` column of a table without ids is named a row of totals,
/// not an "unknown country"; and the row is said once, as `rejected row 2:`, not `rejected row
/// 2 (2):` with the number standing in for the id beside it (a newcomer's findings).
#[test]
fn a_total_in_the_country_column_is_named_a_row_of_totals() {
    let run = (ipneeds().file("p.csv", "country,patent_examiners\nKEN,4\nTotal,4\n"))
        .args(["batch", "p.csv"])
        .run();
    run.expect_code(1, "the totals row is rejected");
    run.stderr_line_with(&[
        "rejected row 2: p.csv:3: column `country`: country `Total`: a row of totals",
        "delete the row",
    ]);
}

/// A spreadsheet's row of totals (Excel's table Total Row, a `Total` typed below the
/// countries) was scored as a country and pulled every mean of the summary down (a tester's
/// finding): it is refused at its id, on the fast CSV path as on the others.
#[test]
fn a_row_of_totals_is_refused_not_scored_as_a_country() {
    let csv = "id,country,patent_examiners\nke,KEN,4\ngh,GHA,3\nTOTAL,,7\n";
    for format in ["csv", "jsonl"] {
        let run = (ipneeds().file("p.csv", csv))
            .args(["batch", "p.csv", "-f", format])
            .run();
        run.expect_code(1, format);
        run.stderr_line_with(&[
            "rejected row 3 (TOTAL): p.csv:4: column `id`: `id` is `TOTAL`: a row of totals",
            "delete the row",
        ]);
        assert_eq!(
            run.stdout.lines().filter(|l| l.contains("TOTAL")).count(),
            0
        );
    }
}

/// A free-text answer left empty with a note after it, as a planner marks a template's question
/// to come back to, is unknown like any other empty answer; `check` passes it. Text that a `#`
/// does cut short is still refused.
#[test]
fn an_empty_free_text_answer_with_a_note_after_it_is_unknown() {
    let note = "country: MWI\nchallenges:   # to fill in after the workshop\n";
    for command in ["score", "check"] {
        ipneeds()
            .file("a.yaml", note)
            .args([command, "a.yaml"])
            .run()
            .expect_code(0, command);
    }
    let cut = "country: MWI\nchallenges: backlog # note\n";
    ipneeds()
        .file("a.yaml", cut)
        .args(["score", "a.yaml"])
        .run()
        .expect_code(2, "text cut by a comment")
        .stderr_contains("the text stops before `# note`");
}

/// A value written with its words apart, as a person types it (`In preparation`,
/// `needs-revision`, `geographical indications`), is the value that joins them with `_`: it
/// was refused with "did you mean `in_preparation`?" (first-hour review).
#[test]
fn a_value_written_with_its_words_apart_is_read_as_the_value() {
    let table = "id,country,ip_strategy,legislation_status,missing_laws\n\
                 typed,UGA,In preparation,needs-revision,geographical indications;Trade Secrets\n\
                 ids,UGA,in_preparation,needs_revision,geographical_indications;trade_secrets\n";
    let result = ipneeds()
        .args(["batch", "-", "--top", "3"])
        .stdin(table)
        .run();
    result.expect_code(0, "batch of values written apart");
    let lines: Vec<&str> = result.stdout.lines().collect();
    let typed = lines[1].strip_prefix("typed,").unwrap();
    let ids = lines[2].strip_prefix("ids,").unwrap();
    assert_eq!(typed, ids, "{}", result.stdout);
    assert!(ids.contains("ip_strategy = in_preparation"), "{ids}");
}

/// Choices typed one a line in a cell (Alt+Enter in Excel) are several choices, whatever their
/// words: `geographical indications⏎trade secrets` was refused, though `aripo⏎oapi` was read.
#[test]
fn choices_on_lines_of_their_own_in_a_cell_are_each_a_choice() {
    let table = "id,country,ip_strategy,missing_laws\n\
                 lines,UGA,none,\"geographical indications\r\nTrade secrets\ncompulsory_licensing\"\n\
                 ids,UGA,none,geographical_indications;trade_secrets;compulsory_licensing\n";
    let result = ipneeds()
        .args(["batch", "-", "--top", "3"])
        .stdin(table)
        .run();
    result.expect_code(0, "batch of choices on lines of their own");
    let lines: Vec<&str> = result.stdout.lines().collect();
    let typed = lines[1].strip_prefix("lines,").unwrap();
    let ids = lines[2].strip_prefix("ids,").unwrap();
    assert_eq!(typed, ids, "{}", result.stdout);
}

/// `--top` with the HTML report: the page still shows every program and explains every card
/// it recommends (with `--top 2`, the third to tenth cards had no reasons), and a warning
/// says the option is not used. Markdown, which takes `--top`, says how many it leaves out of
/// the ranking and of the programs scoring 30 or more (helper 143).
#[test]
fn top_does_not_leave_the_html_report_s_cards_without_reasons_and_markdown_says_what_it_leaves_out()
{
    let example = "questionnaires/examples/example-answers.yaml";
    let all = ipneeds()
        .args(["score", example, "-f", "html"])
        .in_repo()
        .run();
    let two = ipneeds()
        .args(["score", example, "-f", "html", "--top", "2"])
        .in_repo()
        .run();
    let why = |html: &str| html.matches("class=\"why\"").count();
    assert_eq!(why(&two.success().stdout), why(&all.success().stdout));
    assert!(why(&all.stdout) >= 3, "{}", all.stdout);
    two.stderr_contains("warning: --top is not used by the HTML report");
    ipneeds()
        .args(["score", example, "-f", "markdown", "--top", "2"])
        .in_repo()
        .run()
        .success()
        .stdout_contains("10 more programs: use --top 12 to see them all.")
        .stdout_contains(
            "The 2 highest of the 10 programs scoring 30 or more (--top 2), highest first",
        );
}
