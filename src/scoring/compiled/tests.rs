#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::catalog::Catalog;
use crate::profile::countries::Countries;
use crate::profile::questionnaire::Questionnaire;
use crate::profile::rows::ProfileReader;
use crate::report::json::Detail;
use proptest::prelude::*;
use proptest::sample::select;
use std::sync::OnceLock;

#[path = "../../../examples/synth/rows.rs"]
mod synth;

/// Every cell shape the packing meets: letters of both cases, digits, punctuation, spaces at
/// either end, bytes above ASCII, and every length around the 15-byte limit.
#[test]
fn packing_in_place_agrees_with_packing_byte_by_byte() {
    let alphabet: &[u8] = b"aZz@[`{AmM09_- ;\t\xC3\xA9";
    let mut next = crate::scoring::xorshift(0x9E37_79B9_7F4A_7C15);
    let mut agreed = 0;
    for _ in 0..50_000 {
        let length = (next() % 18) as usize;
        let cell: Vec<u8> = (0..length)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        // The cell inside a record, with other bytes after it (as the next cells are), or
        // none (the record's last cell).
        let mut all = b"id,".to_vec();
        let start = all.len();
        all.extend_from_slice(&cell);
        let after: &[u8] = if next().is_multiple_of(2) {
            b"NEXTCELLSNEXTCELLS"
        } else {
            b""
        };
        all.extend_from_slice(after);
        if let Some(word) = packed_in_place(&all, start..start + length) {
            assert_eq!(
                Some(word),
                packed(&cell),
                "{:?}",
                String::from_utf8_lossy(&cell)
            );
            agreed += 1;
        }
    }
    assert!(agreed > 5_000, "{agreed}");
}

#[test]
fn cells_at_the_end_of_a_record_pack_as_the_others_do() {
    let all = b"p1,FULL";
    assert_eq!(packed_in_place(all, 3..7), packed(b"full"));
    assert_eq!(packed_in_place(all, 3..8), None);
    assert_eq!(packed(b"FULL"), packed(b"full"));
}

/// A word as a cell packs it (every spelling in these tests packs).
fn word(spelling: &str) -> Result<u128, String> {
    packed(spelling.as_bytes()).ok_or(format!("{spelling:?} does not pack"))
}

/// Every spelling in a table is found with its value, and words it does not hold (other
/// spellings, other lengths, other cases of a byte past the eighth) are not.
#[test]
fn a_word_table_finds_its_words_and_no_other() -> Result<(), String> {
    let spellings = [
        "none",
        "partial",
        "full",
        "outdated",
        "up_to_date",
        "yes",
        "y",
        "1",
        "0",
        "no",
        "widespread",
        "aripo",
        "oapi",
        "functional",
        "organised_ip",
        "organised_iq",
    ];
    let words = (spellings.iter().enumerate())
        .map(|(i, s)| Ok((word(s)?, i)))
        .collect::<Result<Vec<(u128, usize)>, String>>()?;
    let table = WordTable::new(&words, usize::MAX).ok_or("no table")?;
    for &(word, value) in &words {
        assert_eq!(table.get(word), Some(value));
    }
    for other in [
        "non",
        "nonee",
        "full ",
        "2",
        "organised_i",
        "organised_ir",
        "",
        "x",
    ] {
        assert_eq!(table.get(word(other)?), None, "{other}");
    }
    // A cell in capitals packs to the same word.
    assert_eq!(table.get(word("UP_TO_DATE")?), Some(4));
    // Two equal words cannot share a table.
    let twice = [(word("yes")?, 0), (word("YES")?, 1)];
    assert!(WordTable::new(&twice, usize::MAX).is_none());
    Ok(())
}

/// A question's table gives, for every spelling it holds, the answer [`parse_answer`] gives.
#[test]
fn word_tables_read_cells_as_the_parser_does() -> Result<(), String> {
    let questionnaire = Questionnaire::builtin().map_err(|e| e.to_string())?;
    let mut tabled = 0;
    for question in &questionnaire.questions {
        let Some(table) = word_table(question) else {
            continue;
        };
        let mut spellings: Vec<String> = question.values.clone();
        spellings.extend(question.values.iter().map(|v| v.to_uppercase()));
        spellings
            .extend(["yes", "no", "True", "N", "0", "1", "3", "5", "6", "x"].map(String::from));
        for spelling in spellings {
            // A spelling longer than a table word (`join_regional_organization`) is never in a
            // table: the parser reads it.
            let Some(key) = packed(spelling.as_bytes()) else {
                continue;
            };
            let Some(slot) = table.get(key) else {
                continue;
            };
            tabled += 1;
            let parsed = parse_answer(question, &spelling)?.ok_or("parses to nothing")?;
            let mut answers = Answers::default();
            assert_eq!(
                answers.slot_of(question, &parsed),
                slot,
                "{}: {spelling}",
                question.id
            );
        }
    }
    assert!(tabled > 100, "only {tabled} spellings were tabled");
    Ok(())
}

#[test]
fn words_with_white_space_at_either_end_stay_out_of_the_tables() {
    let spaced = |bytes: &[u8]| packed(bytes).is_some_and(space_at_either_end);
    assert!(spaced(b" yes") && spaced(b"yes ") && spaced(b"\tno") && spaced(b" "));
    assert!(
        !spaced(b"in progress") && !spaced(b"y") && !spaced(b"") && !spaced(b"15 chars long !")
    );
    // A cell with spaces around a spelling packs as itself, finds no word, and is left to the
    // parser (which trims it).
    let all = b"p1, full ,x";
    assert_eq!(packed_in_place(all, 3..9), packed(b" full "));
    assert_ne!(packed_in_place(all, 3..9), packed(b"full"));
}

fn builtin() -> &'static (Catalog, Questionnaire, Countries) {
    static BUILTIN: OnceLock<(Catalog, Questionnaire, Countries)> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        (
            Catalog::builtin().unwrap(),
            Questionnaire::builtin().unwrap(),
            Countries::builtin().unwrap(),
        )
    })
}

/// Need `id` is tabled with an input of `domain`'s kind, and every combination of `answers`
/// (question, the answers to try) raises it as its rules do, with the same rules counted.
fn tabled_as_the_rules_raise(
    id: &str,
    domain: fn(&crate::scoring::engine::Domain) -> bool,
    answers: &[(&str, Vec<Slot>)],
) {
    tabled_in_as_the_rules_raise(&builtin().1, id, domain, answers);
}

/// [`tabled_as_the_rules_raise`] with `questionnaire`.
fn tabled_in_as_the_rules_raise(
    questionnaire: &Questionnaire,
    id: &str,
    domain: fn(&crate::scoring::engine::Domain) -> bool,
    answers: &[(&str, Vec<Slot>)],
) {
    let catalog = &builtin().0;
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    let compiled = Speedups::new(&scorer, |_, _, _, _| {});
    let plain = Speedups::default();
    let need = questionnaire.needs.iter().position(|n| n.id == id).unwrap();
    let table = compiled.tables[need].as_ref().expect("the need is tabled");
    assert!(
        table.inputs.iter().any(|(.., d)| domain(d)),
        "{:?}",
        table.inputs
    );
    let (mut fast, mut slow) = (Scratch::default(), Scratch::default());
    let combinations: usize = answers.iter().map(|(_, slots)| slots.len()).product();
    for mut combination in 0..combinations {
        for scratch in [&mut fast, &mut slow] {
            scratch.answers.clear(questionnaire.questions.len());
        }
        let mut chosen = Vec::new();
        for (id, slots) in answers {
            let slot = slots[combination % slots.len()];
            combination /= slots.len();
            let q = questionnaire.position(id).unwrap();
            fast.answers.put(q, slot, false);
            slow.answers.put(q, slot, false);
            chosen.push(slot);
        }
        scorer.raise(&compiled, &mut fast).unwrap();
        scorer.raise(&plain, &mut slow).unwrap();
        let (tabled, evaluated) = (fast.raised[need], slow.raised[need]);
        assert!(tabled.combination.is_some(), "{chosen:?}");
        assert_eq!(tabled.raised, evaluated.raised, "{chosen:?}");
        assert_eq!(
            tabled.weight.to_bits(),
            evaluated.weight.to_bits(),
            "{chosen:?}"
        );
        let counted = fast.counted(&compiled, need);
        assert_eq!(counted, slow.counted(&plain, need), "{chosen:?}");
    }
}

/// Every subset of a multi-choice's values, and no answer.
fn subsets(id: &str) -> Vec<Slot> {
    let values = builtin().1.question(id).unwrap().values.len();
    (0..1u64 << values)
        .map(Slot::Multi)
        .chain([Slot::Unknown])
        .collect()
}

/// A need whose whole answers make too many combinations to table (the 128 subsets of
/// `regional_system` times the 32 of `regional_cooperation_interest`) is tabled over the values
/// its rules read. (No built-in need reads so many since membership of a regional office
/// raises none: the test gives regional cooperation such a rule back.)
#[test]
fn needs_tabled_over_the_values_their_rules_read_raise_as_the_rules_do() {
    let masked = |d: &crate::scoring::engine::Domain| {
        matches!(d, crate::scoring::engine::Domain::Masked(..))
    };
    let builtin = include_str!("../../../questionnaires/ip-office-profile.yaml");
    let interest = "      - when: {answer: regional_cooperation_interest, is: networks}\n";
    assert!(builtin.contains(interest), "the rule moved");
    let membership =
        "      - when: {answer: regional_system, is: [oapi, aripo]}\n        weight: 0.5\n";
    let edited = builtin.replace(interest, &format!("{membership}{interest}"));
    let questionnaire = Questionnaire::from_yaml(&edited, "edited.yaml").unwrap();
    tabled_in_as_the_rules_raise(
        &questionnaire,
        "regional-cooperation",
        masked,
        &[
            ("regional_system", subsets("regional_system")),
            (
                "regional_cooperation_interest",
                subsets("regional_cooperation_interest"),
            ),
        ],
    );
}

/// A need that reads a number (`patent_examiners`, at most 5) is tabled over the sides of its
/// rules' cuts: numbers on either side of 5, at it, between integers, far off, and none.
#[test]
fn needs_tabled_over_the_cuts_of_their_numbers_raise_as_the_rules_do() {
    let numeric = |d: &crate::scoring::engine::Domain| {
        matches!(d, crate::scoring::engine::Domain::Numeric(..))
    };
    let numbers = (0..=8).map(Slot::Integer).chain([
        Slot::Integer(-3),
        Slot::Integer(i64::MAX),
        Slot::Number(5.0),
        Slot::Number(5.000_000_000_000_001),
        Slot::Number(4.5),
        Slot::Number(f64::INFINITY),
        Slot::Number(f64::NEG_INFINITY),
        Slot::Unknown,
    ]);
    let values = builtin()
        .1
        .question("substantive_examination")
        .unwrap()
        .values
        .len();
    let choices = (0..values as u16)
        .map(Slot::Choice)
        .chain([Slot::Unknown])
        .collect();
    tabled_as_the_rules_raise(
        "examination-capacity",
        numeric,
        &[
            ("substantive_examination", choices),
            ("regional_system", subsets("regional_system")),
            ("patent_examiners", numbers.collect()),
        ],
    );
}

/// A need that reads a ratio (`pending_applications` over `patent_examiners`, at least 300 and
/// at least 600) and a number is tabled over the sides of the ratio's cuts: ratios at and
/// around them, nothing over nothing, something over nothing, a number missing.
#[test]
fn needs_tabled_over_the_cuts_of_their_ratios_raise_as_the_rules_do() {
    let ratio =
        |d: &crate::scoring::engine::Domain| matches!(d, crate::scoring::engine::Domain::Ratio(..));
    let pendency = [35, 36, 59, 60].map(Slot::Integer).into_iter();
    let pending = [0, 5, -5, 299, 300, 599, 600, 1200]
        .map(Slot::Integer)
        .into_iter();
    let examiners = [0, 1, 2, 4].map(Slot::Integer).into_iter();
    tabled_as_the_rules_raise(
        "examination-backlog",
        ratio,
        &[
            (
                "patent_pendency_months",
                pendency
                    .chain([Slot::Number(59.5), Slot::Unknown])
                    .collect(),
            ),
            (
                "pending_applications",
                pending
                    .chain([Slot::Number(300.5), Slot::Unknown])
                    .collect(),
            ),
            (
                "patent_examiners",
                examiners
                    .chain([Slot::Number(0.5), Slot::Unknown])
                    .collect(),
            ),
        ],
    );
}

/// What [`compare`] found.
#[derive(Debug, Default)]
struct Compared {
    rows: usize,
    /// Rows the compiled reader took (the others went to the row parser).
    taken: usize,
    rejected: usize,
}

/// The date every comparison prefills LDC status for.
fn as_of() -> Date {
    Date::new(2026, 1, 1).unwrap()
}

/// A row as the row parser reads it, prefilled (its problems listed).
fn parsed(
    reader: &ProfileReader,
    raw: &RawRow,
    questionnaire: &Questionnaire,
) -> crate::profile::rows::CsvRow {
    let mut row = reader.parser().parse(raw);
    if let Err(message) = row.profile.prefill(questionnaire, &builtin().2, as_of()) {
        row.problems
            .push(row.profile.country_problem(String::new(), message));
    }
    row
}

/// Scores every row of `csv` both ways and checks they agree. As CSV (`json` `None`): the
/// compiled form (cells read by word tables, prefill from the per-country table, tabled needs,
/// the contribution order, the tenths table) against the reference (the row parser,
/// [`Profile::prefill`], rules evaluated and contributions sorted, scores computed), the reasons
/// cell also against the reasons [`Scorer::score_explaining`] gives every other report. As JSON
/// rows: the compiled form (from the cells, or for a row it leaves to the row parser from its
/// profile) against the general path (the row parser, [`Profile::prefill`],
/// [`Scorer::score_with`] explaining the programs shown with [`crate::scoring::Reason`]s,
/// [`BatchRow`]).
fn compare(questionnaire: &Questionnaire, csv: &str, top: usize, json: Option<Detail>) -> Compared {
    let (catalog, _, countries) = builtin();
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    let source = Box::new(std::io::Cursor::new(csv.as_bytes().to_vec()));
    let mut reader = ProfileReader::from_reader(source, "rows.csv", None, questionnaire).unwrap();
    let header = reader.scoring_header();
    let compiled = RowScorer::new(
        &scorer,
        countries,
        as_of(),
        header.as_deref(),
        reader.encoding(),
        top,
    );
    let compiled = match json {
        Some(detail) => compiled.with_json(detail),
        None => compiled,
    };
    let reference = RowScorer::reference(&scorer, countries, as_of(), top);
    let (mut fast, mut slow) = (Scratch::default(), Scratch::default());
    let mut compared = Compared::default();
    let mut raw = RawRow::default();
    while reader.read_raw(&mut raw).unwrap() {
        compared.rows += 1;
        let mut fast_out = Vec::new();
        let taken = match json {
            Some(_) => compiled.write_json_row(&raw, &mut fast, &mut fast_out),
            None => compiled.write_csv_row(&raw, &mut fast, &mut fast_out),
        };
        let taken = taken.unwrap().is_some();
        let row = parsed(&reader, &raw, questionnaire);
        if !row.problems.is_empty() {
            assert!(!taken, "row {} has problems: {:?}", raw.row, row.problems);
            compared.rejected += 1;
            continue;
        }
        let mut slow_out = Vec::new();
        let same = |written: &[u8], slow_out: &[u8], what: &str| {
            assert_eq!(
                String::from_utf8_lossy(written),
                String::from_utf8_lossy(slow_out),
                "row {} ({what})",
                raw.row
            );
        };
        match json {
            None => {
                (reference.write_profile_row(&row.id, &row.profile, &mut slow, &mut slow_out))
                    .unwrap();
                let results = scorer.score_explaining(&row.profile, 3, 2, false).unwrap();
                let scores: Vec<(usize, f64)> =
                    results.iter().map(|r| (r.program, r.score)).collect();
                assert_eq!(reference.ranking(&slow), scores, "row {}", raw.row);
                let line = String::from_utf8(slow_out.clone()).unwrap();
                let cell = reasons_from_structs(catalog, &results, top);
                assert!(line.contains(&cell), "row {}: {line} lacks {cell}", raw.row);
                if taken {
                    assert_eq!(compiled.ranking(&fast), scores, "row {}", raw.row);
                }
            }
            Some(detail) => {
                let results =
                    (scorer.score_with(&row.profile, &mut slow, top, usize::MAX, true)).unwrap();
                let country = (row.profile.get(crate::profile::COUNTRY))
                    .map(|v| v.to_text())
                    .unwrap_or_default();
                crate::report::json::BatchRow {
                    row: row.row,
                    id: &row.id,
                    country: Some(country.as_str()),
                    profile: &row.profile,
                    questionnaire,
                    catalog,
                    results: &results,
                    top,
                    detail,
                }
                .write(&mut slow_out);
                let mut parsed_out = Vec::new();
                (compiled.write_json_profile_row(
                    row.row,
                    &row.id,
                    &row.profile,
                    &mut fast,
                    &mut parsed_out,
                ))
                .unwrap();
                same(&parsed_out, &slow_out, "from its profile");
            }
        }
        if taken {
            compared.taken += 1;
            same(&fast_out, &slow_out, "from its cells");
        }
    }
    compared
}

/// The reasons cell's text as the reports' [`crate::scoring::Reason`]s give it.
fn reasons_from_structs(
    catalog: &Catalog,
    results: &[crate::scoring::ProgramScore],
    top: usize,
) -> String {
    (results
        .iter()
        .take(CELL_PROGRAMS.min(top))
        .zip(1..)
        .filter(|(r, rank)| crate::report::summary::in_top_three(*rank, r.score))
        .map(|(r, _)| r))
    .map(|result| {
        let id = &catalog.programs[result.program].id;
        let reasons: Vec<String> = (result.reasons.iter().take(CELL_REASONS))
            .map(|r| format!("{} ({})", r.label, crate::report::answers_text(r)))
            .collect();
        format!("{id}: {}", reasons.join("; ")).replace(['\n', '\r'], " ")
    })
    .collect::<Vec<_>>()
    .join(" | ")
    .replace('"', "\"\"")
}

/// The benchmark generator's files are read by the compiled reader, row for row (a row it
/// left to the row parser would still be right, but slow).
#[test]
fn the_compiled_reader_takes_the_benchmark_rows() {
    for text in [false, true] {
        let mut csv = Vec::new();
        synth::write_rows(&mut csv, 2_000, text).unwrap();
        let compared = compare(&builtin().1, &String::from_utf8(csv).unwrap(), 12, None);
        assert_nearly_all_taken(&compared, 2_000, "the compiled reader");
    }
}

/// Every one of `rows` rows read, none rejected, and at least 90% taken by `form`.
fn assert_nearly_all_taken(compared: &Compared, rows: usize, form: &str) {
    assert_eq!((compared.rows, compared.rejected), (rows, 0));
    assert!(
        compared.taken * 10 >= compared.rows * 9,
        "{form} took {} of {} rows",
        compared.taken,
        compared.rows
    );
}

/// JSON rows of the benchmark generator's files are written from their cells, row for row,
/// as the general path writes them.
#[test]
fn the_compiled_json_rows_take_the_benchmark_rows() {
    for (text, top, detail) in [(false, 12, Detail::Brief), (true, 3, Detail::Full)] {
        let mut csv = Vec::new();
        synth::write_rows(&mut csv, 600, text).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let compared = compare(&builtin().1, &csv, top, Some(detail));
        assert_nearly_all_taken(&compared, 600, "the compiled JSON rows");
    }
}

/// Questionnaires compiled differently: a need with more rules than the contribution order
/// lists the weights of (every program's contributions are then sorted row by row); rules with
/// equal weights, exclusions, and a scale read with a multi-choice (tabled over both); labels
/// with quotes (the reasons cell is then escaped, not only quoted); two free-text questions
/// (each program's text contributions sorted, then merged with the others'); a ratio read both
/// ways round.
#[test]
fn edited_questionnaires_compile_to_what_they_define() {
    let builtin = include_str!("../../../questionnaires/ip-office-profile.yaml");
    let rule = "      - when: {answer: treaty_accession_planned, is: \"yes\"}\n        weight: 2\n";
    let many_rules: String = (1..=13)
        .map(|k| {
            let weight = 0.25 * f64::from(k % 4 + 1);
            let at_least = k * 20;
            format!("      - when: {{answer: patent_examiners, at_least: {at_least}}}\n        weight: {weight}\n")
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
    let text = "        catalog_match_weight: 8\n";
    let second_text = "      - id: priorities\n        type: text\n        prompt: \"First?\"\n        catalog_match_weight: 1.5\n";
    let backlog = "        reason: \"600 or more pending applications per examiner\"\n";
    let reversed_ratio = "      - when: {ratio: [patent_examiners, pending_applications], at_most: 0.001}\n        weight: 2\n";
    let edits = [
        (rule, format!("{rule}{many_rules}")),
        (rule, format!("{rule}{mixed_rules}")),
        (
            "label: \"Examination backlog\"",
            "label: 'Examination \"backlog\"'".into(),
        ),
        (
            "label: \"Updated IP legislation\"",
            "label: 'Updated \"IP\", legislation'".into(),
        ),
        (text, format!("{text}{second_text}")),
        // One need reading a ratio both ways round (a tester's "fewer than one examiner per
        // 1,000 pending applications").
        (backlog, format!("{backlog}{reversed_ratio}")),
    ];
    let lines: Vec<&str> = include_str!("../../../tests/data/fixtures/synth-300-text.csv")
        .lines()
        .collect();
    fn free_text(line: &str) -> &str {
        line.find(",\"Row").map_or("", |cut| &line[cut + 1..])
    }
    // Every other row without its free text, and a second text: another row's.
    let rows: Vec<String> = (lines.iter().enumerate())
        .map(|(i, line)| match i {
            0 => format!("{line},priorities"),
            _ if i % 2 == 0 => format!("{}{}", line.trim_end_matches(free_text(line)), ","),
            _ => format!("{line},{}", free_text(lines[(i * 7) % lines.len()])),
        })
        .collect();
    let csv = rows.join("\n");
    for (from, to) in edits {
        assert!(builtin.contains(from), "{from} moved");
        let edited = Questionnaire::from_yaml(&builtin.replace(from, &to), "edited.yaml").unwrap();
        for (top, json) in [(12, None), (3, None), (12, Some(Detail::Full))] {
            let compared = compare(&edited, &csv, top, json);
            assert_eq!((compared.rows, compared.rejected), (300, 0), "{to}");
            assert!(compared.taken >= 270, "{to}: {compared:?}");
        }
    }
}

/// Cells a spreadsheet might hold for a question: mostly plain, some not.
fn cells_for(question: &crate::profile::questionnaire::Question) -> Vec<String> {
    let mut cells: Vec<String> = vec![String::new(), " ".into()];
    match question.kind {
        QuestionType::Choice => {
            for value in &question.values {
                cells.extend([value.clone(), value.clone(), value.to_uppercase()]);
                cells.push(format!(" {value} "));
            }
            cells.push("zzz".into());
        }
        QuestionType::MultiChoice => {
            let values = &question.values;
            for (i, value) in values.iter().enumerate() {
                let other = &values[(i + 1) % values.len()];
                cells.extend([value.clone(), format!("{value};{other}")]);
                cells.extend([format!("{other} | {value}"), format!("{value},{value}")]);
                cells.push(format!("{other} {value}"));
            }
            cells.extend([";".into(), "atlantis".into()]);
        }
        QuestionType::Boolean => {
            let spellings = [
                "yes", "no", "yes", "no", "Yes", "TRUE", "n", "0", "1", "maybe",
            ];
            cells.extend(spellings.map(String::from));
        }
        QuestionType::Scale => {
            let spellings = ["1", "2", "3", "4", "5", "3", " 4", "0", "6", "2.5", "+3"];
            cells.extend(spellings.map(String::from));
        }
        QuestionType::Integer | QuestionType::Number => {
            let spellings = [
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
                "1234567890123456789",
            ];
            cells.extend(spellings.map(String::from));
        }
        QuestionType::Text => {
            let spellings = [
                "Patent applications wait years for examination.",
                "no university teaches intellectual property, and SMEs cannot afford patents",
                "Examiners lack training; the office has no computers",
                "line one\nline two, with \"quotes\"",
                "=SUM(A1:A2) is not a formula here",
                "Row 17: the the of and",
                "naïve café résumé — ünïcödé 東京",
                "12345 67890",
            ];
            cells.extend(spellings.map(String::from));
        }
    }
    cells
}

/// A CSV file: a header (with or without `id`, `country` and an unknown column) and rows.
fn csv_file() -> impl Strategy<Value = String> {
    let (_, questionnaire, _) = builtin();
    let questions: Vec<_> = (questionnaire.questions.iter())
        .filter(|q| q.id != crate::profile::COUNTRY)
        .collect();
    let countries = [
        "",
        "KEN",
        "ken",
        "Kenya",
        "MWI",
        "BGD",
        "Cote d'Ivoire",
        "Atlantis",
        "USA",
    ];
    let row = (
        select(vec!["", "a1", "=cmd", "row, 7", "x\"y"]),
        select(countries.map(String::from).to_vec()),
        questions
            .iter()
            .map(|q| select(cells_for(q)))
            .collect::<Vec<_>>(),
    );
    let ids: Vec<String> = questions.iter().map(|q| q.id.clone()).collect();
    (any::<[bool; 3]>(), proptest::collection::vec(row, 1..40)).prop_map(
        move |([with_id, with_country, with_unknown], rows)| {
            let quote = |cell: &str| format!("\"{}\"", cell.replace('"', "\"\""));
            let mut header: Vec<String> = Vec::new();
            with_id.then(|| header.push("id".into()));
            with_country.then(|| header.push("country".into()));
            header.extend(ids.iter().cloned());
            with_unknown.then(|| header.push("notes".into()));
            let mut text = header.join(",") + "\n";
            for (id, country, cells) in rows {
                let mut line: Vec<String> = Vec::new();
                with_id.then(|| line.push(quote(id)));
                with_country.then(|| line.push(quote(&country)));
                line.extend(cells.iter().map(|c| quote(c)));
                with_unknown.then(|| line.push("x".into()));
                text.push_str(&line.join(","));
                text.push('\n');
            }
            text
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    /// Thousands of rows mixing plain answers, spellings the parser tidies, bad values, known
    /// and unknown countries and free text: the compiled form writes what the reference writes.
    #[test]
    fn the_compiled_form_writes_what_the_reference_writes(text in csv_file(), top in 0usize..13) {
        let compared = compare(&builtin().1, &text, top, None);
        prop_assert!(compared.rows > 0);
    }

    /// The same rows as JSON: the compiled form writes what the general path writes.
    #[test]
    fn the_compiled_json_rows_are_what_the_general_path_writes(
        text in csv_file(),
        top in 0usize..13,
        full in any::<bool>(),
    ) {
        let detail = if full { Detail::Full } else { Detail::Brief };
        let compared = compare(&builtin().1, &text, top, Some(detail));
        prop_assert!(compared.rows > 0);
    }
}
