#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Batch CSV end to end, the compiled form (`src/scoring/compiled.rs`: cells read by word
//! tables, prefill per country, needs tabled, contributions ordered in advance) against the
//! reference (`IPNEEDS_REFERENCE_PATH=1`: every row read by the row parser, rules evaluated
//! and contributions sorted per row): for random files whose rows mix plain answers,
//! spellings the parser tidies, bad values, known and unknown countries, and free text,
//! `ipneeds batch` writes the same bytes, the same messages and the same exit code either way.
//! (The same comparison runs in process, row by row, in `src/scoring/compiled/tests.rs`.)

use crate::prelude::{builtin_questionnaire as questionnaire, Ipneeds, QuestionType};
use proptest::prelude::*;
use proptest::sample::select;

/// Cells a spreadsheet might hold for a question: mostly plain, some not.
fn cells_for(id: &str) -> Vec<String> {
    let question = questionnaire().question(id).unwrap();
    let mut cells: Vec<String> = vec![String::new(), " ".into()];
    match question.kind {
        QuestionType::Choice => {
            for value in &question.values {
                cells.push(value.clone());
                cells.push(value.clone());
                cells.push(value.to_uppercase());
                cells.push(format!(" {value} "));
            }
            cells.push("zzz".into());
        }
        QuestionType::MultiChoice => {
            let values = &question.values;
            for (i, value) in values.iter().enumerate() {
                cells.push(value.clone());
                let other = &values[(i + 1) % values.len()];
                cells.push(format!("{value};{other}"));
                cells.push(format!("{other} | {value}"));
                cells.push(format!("{value},{value}"));
            }
            cells.push(";".into());
            cells.push("atlantis".into());
        }
        QuestionType::Boolean => {
            for cell in [
                "yes", "no", "yes", "no", "Yes", "TRUE", "n", "0", "1", "maybe",
            ] {
                cells.push(cell.into());
            }
        }
        QuestionType::Scale => {
            for cell in ["1", "2", "3", "4", "5", "3", " 4", "0", "6", "2.5", "+3"] {
                cells.push(cell.into());
            }
        }
        QuestionType::Integer | QuestionType::Number => {
            for cell in [
                "0",
                "3",
                "12",
                "48",
                "250",
                "2400",
                "127782",
                "1,200",
                "1 200",
                "84,5",
                "12.5",
                "-3",
                "1e3",
                "abc",
                "999999999999",
                "36",
                "35",
                "+7",
            ] {
                cells.push(cell.into());
            }
        }
        QuestionType::Text => {
            for cell in [
                "Patent applications wait years for examination.",
                "no university teaches intellectual property, and SMEs cannot afford patents",
                "Examiners lack training; the office has no computers",
                "line one\nline two, with \"quotes\"",
                "=SUM(A1:A2) is not a formula here",
                "Row 17: the the of and",
                "naïve café résumé — ünïcödé",
                "12345 67890",
            ] {
                cells.push(cell.into());
            }
        }
    }
    cells
}

/// Catalog words in several cases and forms, stop words, accents and other scripts.
const TEXT_WORDS: &str = "patent Patents PATENTING examiners examination backlog universities \
    licensing SMEs entrepreneurs copyright collective management the of and no not IP \
    information centre center café naïve Straße 東京 données trademarks office automation \
    strategy TRIPS flexibilities customs police courts 2024 17 0042 x1 e-filing";

/// Random free text: words, new numbers (as in real text, they keep coming), punctuation.
fn free_text() -> impl Strategy<Value = String> {
    let words: Vec<String> = TEXT_WORDS.split_whitespace().map(String::from).collect();
    let marks: Vec<String> = [",", ";", ".", " - ", "\n", "\"", "'", "(", ")", "/", "  "]
        .map(String::from)
        .to_vec();
    let piece = prop_oneof![
        4 => select(words),
        1 => (0u32..100_000).prop_map(|n| n.to_string()),
        1 => select(marks),
    ];
    proptest::collection::vec(piece, 0..25).prop_map(|pieces| pieces.join(" "))
}

fn country_cells() -> Vec<String> {
    [
        "",
        "KEN",
        "ken",
        "Kenya",
        "MWI",
        "BGD",
        "FRA",
        "Cote d'Ivoire",
        "Atlantis",
        "UG",
        "USA",
    ]
    .map(String::from)
    .to_vec()
}

/// A CSV file: a header (with or without `id`, `country` and an unknown column) and rows.
fn csv_file() -> impl Strategy<Value = String> {
    let fields: Vec<String> = questionnaire()
        .questions
        .iter()
        .map(|q| q.id.clone())
        .filter(|id| id != "country")
        .collect();
    let row = (
        select(vec!["", "a1", "=cmd", "row, 7", "x\"y"]),
        select(country_cells()),
        fields
            .iter()
            .map(|id| {
                let cells = select(cells_for(id));
                if questionnaire().question(id).unwrap().kind == QuestionType::Text {
                    prop_oneof![cells, free_text()].boxed()
                } else {
                    cells.boxed()
                }
            })
            .collect::<Vec<_>>(),
    );
    (
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(row, 1..40),
    )
        .prop_map(move |(with_country, with_extra, rows)| {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let mut header = vec!["id".to_string()];
            if with_country {
                header.push("country".into());
            }
            if with_extra {
                header.push("notes".into());
            }
            header.extend(fields.iter().cloned());
            writer.write_record(&header).unwrap();
            for (id, country, cells) in rows {
                let mut record = vec![id.to_string()];
                if with_country {
                    record.push(country);
                }
                if with_extra {
                    record.push("ignored".into());
                }
                record.extend(cells);
                writer.write_record(&record).unwrap();
            }
            String::from_utf8(writer.into_inner().unwrap()).unwrap()
        })
}

/// stdout, stderr and exit code of `ipneeds batch` on `file`.
fn batch(file: &std::path::Path, reference: bool, extra: &[&str]) -> (Vec<u8>, String, i32) {
    let mut command = Ipneeds::new()
        .args(["--as-of", "2026-01-01", "batch"])
        .arg(file)
        .args(extra);
    if reference {
        command = command.env("IPNEEDS_REFERENCE_PATH", "1");
    }
    let output = command.run();
    (
        output.stdout_bytes,
        output.stderr,
        output.code.unwrap_or(-1),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn fast_path_writes_what_the_reference_path_writes(text in csv_file(), top in 0usize..4) {
        let dir = tempfile_dir();
        let file = dir.join(format!("profiles-{}.csv", std::process::id()));
        std::fs::write(&file, &text).unwrap();
        let top_arg = (top + 2).to_string();
        let extra: &[&str] = if top == 0 { &[] } else { &["--top", &top_arg, "--summary", "-"] };
        let fast = batch(&file, false, extra);
        let reference = batch(&file, true, extra);
        prop_assert_eq!(String::from_utf8_lossy(&fast.0), String::from_utf8_lossy(&reference.0));
        prop_assert_eq!(&fast.1, &reference.1);
        prop_assert_eq!(fast.2, reference.2);
    }
}

/// The bench's synthetic generator's rows (plain, with free text) take the fast path and give
/// the reference path's bytes.
#[test]
fn synthetic_rows_match_the_reference_path() {
    let dir = tempfile_dir();
    let file = dir.join(format!("synth-{}.csv", std::process::id()));
    let text = include_str!("../data/fixtures/synth-300-text.csv");
    std::fs::write(&file, text).unwrap();
    let fast = batch(&file, false, &[]);
    let reference = batch(&file, true, &[]);
    assert_eq!(fast.2, 0, "{}", fast.1);
    assert_eq!(fast, reference);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join("ipneeds-fast-path-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Questionnaires the fast path compiles differently: a need with more rules than it lists
/// the weights of (every program's contributions are then sorted row by row), and rules with
/// equal weights, exclusions, and a scale read together with a multi-choice (a need evaluated
/// in advance over both).
#[test]
fn edited_questionnaires_match_the_reference_path() {
    let builtin = include_str!("../../questionnaires/ip-office-profile.yaml");
    let rule = "      - when: {answer: treaty_accession_planned, is: \"yes\"}\n        weight: 2\n";
    assert!(builtin.contains(rule), "the treaty-accession rule moved");
    let many_rules: String = (1..=13)
        .map(|k| {
            format!(
                "      - when: {{answer: patent_examiners, at_least: {}}}\n        weight: {}\n",
                k * 20,
                0.25 * f64::from(k % 4 + 1)
            )
        })
        .collect();
    let mixed_rules = concat!(
        "      - when: [{answer: regional_system, is: [aripo, oapi]}, {answer: ip_professionals, at_most: 3}]\n",
        "        weight: 2\n",
        "      - when: {answer: online_filing, is_not: \"yes\"}\n",
        "        weight: 1.5\n",
        "      - when: {answer: ip_strategy, is_not: [adopted]}\n",
        "        weight: 2\n",
    );
    let dir = tempfile_dir();
    let profiles = dir.join(format!("edited-{}.csv", std::process::id()));
    // Half the rows without their free text: contributions of structured answers only are
    // then never sorted on the way (as they are when a text's are merged in).
    let rows: Vec<String> = include_str!("../data/fixtures/synth-300-text.csv")
        .lines()
        .enumerate()
        .map(|(i, line)| match line.find(",\"Row") {
            Some(cut) if i % 2 == 0 => format!("{},", &line[..cut]),
            _ => line.to_string(),
        })
        .collect();
    std::fs::write(&profiles, rows.join("\n")).unwrap();
    for (name, rules) in [
        ("many-rules", many_rules.as_str()),
        ("mixed-rules", mixed_rules),
    ] {
        let path = dir.join(format!("{name}-{}.yaml", std::process::id()));
        std::fs::write(&path, builtin.replace(rule, &format!("{rule}{rules}"))).unwrap();
        paths_agree(&profiles, &path, &["12", "3"], name);
    }
}

/// Need labels with a quote (the reasons cell is then escaped, not only quoted) and with no
/// comma: the fast path writes the reasons straight into its output and must still quote and
/// escape them as the reference path does, whichever label shows.
#[test]
fn labels_with_quotes_match_the_reference_path() {
    let builtin = include_str!("../../questionnaires/ip-office-profile.yaml");
    let dir = tempfile_dir();
    let profiles = dir.join(format!("quoted-{}.csv", std::process::id()));
    // Without their free text: only the labels decide how the cell is written.
    let rows: Vec<String> = include_str!("../data/fixtures/synth-300-text.csv")
        .lines()
        .map(|line| match line.find(",\"Row") {
            Some(cut) => format!("{},", &line[..cut]),
            None => line.to_string(),
        })
        .collect();
    std::fs::write(&profiles, rows.join("\n")).unwrap();
    for (name, from, to) in [
        (
            "quote",
            "label: \"Examination backlog\"",
            "label: 'Examination \"backlog\"'",
        ),
        (
            "quote and comma",
            "label: \"Updated IP legislation\"",
            "label: 'Updated \"IP\", legislation'",
        ),
    ] {
        assert!(builtin.contains(from), "{from} moved");
        let path = dir.join(format!("quoted-{}-{}.yaml", name.len(), std::process::id()));
        std::fs::write(&path, builtin.replace(from, to)).unwrap();
        paths_agree(&profiles, &path, &["12"], name);
    }
}

/// Two free-text questions: each program's two text contributions are sorted, then merged
/// with its structured answers' as they are read.
#[test]
fn two_free_texts_match_the_reference_path() {
    let builtin = include_str!("../../questionnaires/ip-office-profile.yaml");
    let question = "        catalog_match_weight: 2.5\n";
    assert!(builtin.contains(question), "the challenges question moved");
    let second = concat!(
        "      - id: priorities\n",
        "        type: text\n",
        "        prompt: \"What should come first?\"\n",
        "        catalog_match_weight: 1.5\n",
    );
    let dir = tempfile_dir();
    let questionnaire = dir.join(format!("two-texts-{}.yaml", std::process::id()));
    std::fs::write(
        &questionnaire,
        builtin.replace(question, &format!("{question}{second}")),
    )
    .unwrap();
    // The second text is another row's first (every third row without one).
    let lines: Vec<&str> = include_str!("../data/fixtures/synth-300-text.csv")
        .lines()
        .collect();
    let texts: Vec<&str> = lines
        .iter()
        .map(|line| line.find(",\"Row").map_or("", |cut| &line[cut + 1..]))
        .collect();
    let rows: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| match i {
            0 => format!("{line},priorities"),
            _ if i % 3 == 0 => format!("{line},"),
            _ => format!("{line},{}", texts[(i * 7) % texts.len()]),
        })
        .collect();
    let profiles = dir.join(format!("two-texts-{}.csv", std::process::id()));
    std::fs::write(&profiles, rows.join("\n")).unwrap();
    paths_agree(&profiles, &questionnaire, &["12", "2"], "two texts");
}

/// Both paths write the same bytes, with no row rejected, for `profiles` scored with
/// `questionnaire` and each `--top`.
fn paths_agree(
    profiles: &std::path::Path,
    questionnaire: &std::path::Path,
    tops: &[&str],
    name: &str,
) {
    let path = questionnaire.to_string_lossy().into_owned();
    for &top in tops {
        let extra = ["--questionnaire", path.as_str(), "--top", top];
        let fast = batch(profiles, false, &extra);
        let reference = batch(profiles, true, &extra);
        assert_eq!(fast.2, 0, "{name}: {}", fast.1);
        assert_eq!(fast, reference, "{name}, top {top}");
    }
}
