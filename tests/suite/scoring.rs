//! The scoring engine, through the library: ranking quality on the graded cases, the scale's
//! meaning, explanations that add up, and the fast path's equality with direct tantivy queries.

use crate::prelude::*;
use std::path::Path;

const CASES: &str = "tests/data/cases/profiles.csv";
const EXPECTED: &str = "tests/data/cases/expected.csv";

/// Every case profile, prefilled.
fn case_profiles(questionnaire: &Questionnaire) -> Vec<(String, Profile)> {
    let countries = Countries::builtin().unwrap();
    let mut reader = ProfileReader::open(Path::new(CASES), None, questionnaire).unwrap();
    let mut profiles = Vec::new();
    while let Some(row) = reader.next_row() {
        let mut row = row.unwrap();
        assert!(row.problems.is_empty(), "{:?}", row.problems);
        row.profile
            .prefill(questionnaire, &countries, Date::new(2026, 6, 1).unwrap())
            .unwrap();
        profiles.push((row.id, row.profile));
    }
    profiles
}

/// `ipneeds eval` through the library, as of the date the case files are read at: the summary
/// (or the error's text) and every warning.
fn evaluate(profiles: &Path, grades: &Path) -> (Result<Evaluation, String>, Vec<String>) {
    let (catalog, questionnaire) = builtins();
    let mut warnings = Vec::new();
    let summary = evaluate_files(
        &catalog,
        &questionnaire,
        &Countries::builtin().unwrap(),
        Date::new(2026, 6, 1).unwrap(),
        TableFile {
            path: profiles,
            sheet: None,
        },
        TableFile {
            path: grades,
            sheet: None,
        },
        &mut |warning| warnings.push(warning.to_string()),
    );
    (summary.map_err(|e| e.to_string()), warnings)
}

#[test]
fn evaluation_targets_hold_on_the_graded_cases() {
    let (summary, warnings) = evaluate(Path::new(CASES), Path::new(EXPECTED));
    let summary = summary.unwrap();
    // The library returns its warnings to the caller: the graded cases give none.
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(summary.cases.len(), 12);
    assert!(
        summary.mean_ndcg >= 0.85,
        "mean nDCG@3 {:.3}",
        summary.mean_ndcg
    );
    assert!(
        summary.essentials_share.unwrap() >= 0.90,
        "essentials {:?}",
        summary.essentials_share
    );
    let no_gap = summary
        .cases
        .iter()
        .find(|c| c.id == "v08-no-gaps")
        .unwrap();
    assert!(no_gap.max_score.unwrap() < 30.0, "{:?}", no_gap.max_score);
    assert_eq!(summary.no_gap_passed, Some(true));
}

/// Evaluates a set of real cases (`folder`, its `profiles.csv`) against each grader's file:
/// read without a warning, `cases` cases, the mean nDCG@3 and the share of essentials in the top 3
/// at or above their floors, and every no-gap profile low everywhere.
fn assert_floors(folder: &str, cases: usize, graders: [(&str, f64, f64); 2]) {
    let folder = Path::new(folder);
    for (grades, ndcg_floor, essentials_floor) in graders {
        let (summary, warnings) = evaluate(&folder.join("profiles.csv"), &folder.join(grades));
        let summary = summary.unwrap();
        assert_eq!(warnings, Vec::<String>::new(), "{grades}");
        assert_eq!(summary.cases.len(), cases, "{grades}");
        assert!(
            summary.mean_ndcg >= ndcg_floor,
            "{grades}: mean nDCG@3 {:.3}",
            summary.mean_ndcg
        );
        assert!(
            summary.essentials_share.unwrap() >= essentials_floor,
            "{grades}: essentials {:?}",
            summary.essentials_share
        );
        assert_ne!(summary.no_gap_passed, Some(false), "{grades}");
    }
}

/// The real tuning cases (`tests/data/real/`), graded by two people independently: the ranking
/// must not slip unnoticed below what it reaches against either. Floors, not targets (the
/// targets are for the held-out cases, which no test reads: they are measured, never tuned on).
/// Singapore 2015 and Korea 2006 have no grades: every program stays low.
#[test]
fn the_real_tuning_cases_keep_their_ranking_quality_against_both_graders() {
    // (grades, nDCG@3 floor, essentials floor): a little under the 2026-12-02 figures
    // (0.787 / 84% and 0.840 / 91%).
    assert_floors(
        "tests/data/real",
        32,
        [
            ("expected.csv", 0.77, 0.80),
            ("second-grader/grades-b.csv", 0.82, 0.87),
        ],
    );
}

/// The strong offices that state gaps (`tests/data/real/strong-offices/`, tuning cases written on
/// 2026-12-03 for the kind the newer held-out sets hold most): a floor a little under the figures
/// once the everyday words the catalog uses in passing ("well", "first", "according") became
/// generic words (0.732 / 91% and 0.708 / 67%; 0.756 and 0.734 before, 0.693 and 0.682 before
/// "patent" and "trademark" did).
#[test]
fn the_strong_offices_with_gaps_keep_their_ranking_quality_against_both_graders() {
    assert_floors(
        "tests/data/real/strong-offices",
        10,
        [
            ("expected.csv", 0.72, 0.85),
            ("second-grader/grades-b.csv", 0.70, 0.6),
        ],
    );
}

/// The nine held-out sets retired to tuning (`tests/data/real/retired/`: the first four on
/// 2026-12-03, the next five on 2026-12-05), read as one set of 96 cases against either grader: a
/// floor a little under the figures on the day of the second move (0.829 / 86% and 0.859 / 91%),
/// as for the tuning cases above.
#[test]
fn the_retired_held_out_sets_keep_their_ranking_quality_against_both_graders() {
    let sets = [
        "held-out",
        "held-out-2",
        "held-out-3",
        "held-out-4",
        "held-out-5",
        "held-out-6",
        "held-out-7",
        "held-out-8",
        "held-out-9",
    ];
    let graders = [
        ("expected.csv", 0.81, 0.82),
        ("second-grader/grades-b.csv", 0.84, 0.87),
    ];
    for (grades, ndcg_floor, essentials_floor) in graders {
        let (mut ndcgs, mut essentials, mut in_top, mut cases) = (Vec::new(), 0, 0, 0);
        for set in sets {
            let folder = Path::new("tests/data/real/retired").join(set);
            let (summary, warnings) = evaluate(&folder.join("profiles.csv"), &folder.join(grades));
            let summary = summary.unwrap();
            assert_eq!(warnings, Vec::<String>::new(), "{set}/{grades}");
            assert_ne!(summary.no_gap_passed, Some(false), "{set}/{grades}");
            cases += summary.cases.len();
            for case in &summary.cases {
                ndcgs.extend(case.ndcg);
                essentials += case.essentials;
                in_top += case.essentials_in_top;
            }
        }
        assert_eq!(cases, 96, "{grades}");
        let mean_ndcg = ndcgs.iter().sum::<f64>() / ndcgs.len() as f64;
        let essentials_share = in_top as f64 / essentials as f64;
        assert!(
            mean_ndcg >= ndcg_floor,
            "{grades}: mean nDCG@3 {mean_ndcg:.3}"
        );
        assert!(
            essentials_share >= essentials_floor,
            "{grades}: essentials {essentials_share:.3}"
        );
    }
}

/// Every set of real cases, with both graders' grades, stays readable as the questionnaire
/// changes: a renamed field or value, or a grade for a program the catalog lost, would otherwise
/// turn a held-out case into an error or a warning only at the next measurement. Nothing about
/// the held-out figures is asserted or printed (they are measured, never tuned on).
#[test]
fn every_set_of_real_cases_is_read_without_a_warning_by_both_graders_files() {
    let sets = [
        ("tests/data/real", 32),
        ("tests/data/real/retired/held-out", 16),
        ("tests/data/real/retired/held-out-2", 10),
        ("tests/data/real/retired/held-out-3", 10),
        ("tests/data/real/retired/held-out-4", 10),
        ("tests/data/real/retired/held-out-5", 10),
        ("tests/data/real/retired/held-out-6", 10),
        ("tests/data/real/retired/held-out-7", 10),
        ("tests/data/real/retired/held-out-8", 10),
        ("tests/data/real/retired/held-out-9", 10),
        ("tests/data/real/held-out-10", 10),
        ("tests/data/real/held-out-11", 10),
        ("tests/data/real/held-out-12", 10),
        ("tests/data/real/held-out-13", 9),
        ("tests/data/real/held-out-14", 10),
        ("tests/data/real/held-out-15", 10),
        ("tests/data/real/held-out-16", 10),
        ("tests/data/real/strong-offices", 10),
    ];
    for (set, cases) in sets {
        for grades in ["expected.csv", "second-grader/grades-b.csv"] {
            let grades = Path::new(set).join(grades);
            let (summary, warnings) = evaluate(&Path::new(set).join("profiles.csv"), &grades);
            let read = summary.map(|summary| summary.cases.len());
            assert_eq!(read, Ok(cases), "{}", grades.display());
            assert_eq!(warnings, Vec::<String>::new(), "{}", grades.display());
        }
    }
}

#[test]
fn a_severe_single_gap_makes_its_program_a_high_need_and_no_other() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let cases = [
        ("patent_info_center", "no", "ip-information-access"),
        ("ip_strategy", "none", "national-ip-strategies"),
        ("legislation_status", "outdated", "legal-assistance"),
        ("university_ip_policies", "none", "university-ip-policies"),
        ("ip_courses", "none", "ip-education"),
        ("sme_ip_services", "no", "sme-support-institutions"),
    ];
    for (field, value, program) in cases {
        let results = scorer
            .score(&profile(&questionnaire, &[(field, value)]), false)
            .unwrap();
        let top = &results[0];
        assert_eq!(
            catalog.programs[top.program].id, program,
            "{field} = {value}"
        );
        // The scale speaks the weights' language: a severe gap (weight 3) alone is 50.
        assert!(top.score >= 50.0, "{field} = {value}: {}", top.score);
        // One gap, one program: nothing else scores as a high need.
        assert!(
            results[1].score < 50.0,
            "{field}: runner-up {}",
            results[1].score
        );
    }
}

/// Issue 16: a weak country answering every question gets a first, second and third priority,
/// not a wall of "high needs" (the scale used to call 9 of these 12 programs high).
#[test]
fn a_weak_country_gets_priorities_not_twelve_high_needs() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let text = std::fs::read_to_string(repo().join("questionnaires/examples/example-answers.yaml"))
        .unwrap();
    let answers = parse_answers_file(&text, "example-answers.yaml", &questionnaire).unwrap();
    assert!(answers.problems.is_empty(), "{:?}", answers.problems);
    let results = scorer.score(&answers.profile, false).unwrap();
    // Seven at most: six until session 18, when an office's automation moved from information
    // access to program 7 (48.4 -> 51.0 here), a move the graded tuning cases support.
    let high = results.iter().filter(|r| r.score >= 50.0).count();
    assert!(
        (3..=7).contains(&high),
        "{high} of 12 programs are high needs: {:?}",
        results.iter().map(|r| r.score).collect::<Vec<_>>()
    );
    // The first priority stands clear of the middle of the list.
    assert!(results[0].score - results[5].score >= 15.0);
}

#[test]
fn an_empty_profile_scores_zero_and_ranks_by_program_number() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let results = scorer.score(&Profile::default(), false).unwrap();
    let numbers: Vec<u32> = results
        .iter()
        .map(|r| catalog.programs[r.program].number)
        .collect();
    assert_eq!(numbers, (1..=12).collect::<Vec<_>>());
    assert!(results
        .iter()
        .all(|r| r.score == 0.0 && r.reasons.is_empty()));
}

/// Two programs of the same text tie to the last bit on every profile, and the tie goes to the
/// lower program number, as the README says: a catalog given a copy of program 10 under number
/// 13 ranks the original first. (tantivy adds a query's term scores in an order that can differ
/// from document to document; the copy used to win by a bit.)
#[test]
fn programs_of_the_same_text_tie_exactly_and_rank_by_program_number() {
    let builtin = include_str!("../../data/programs.yaml");
    let start = builtin.find("  - id: ip-information-access\n").unwrap();
    let end = start
        + builtin[start + 1..]
            .find("\n  - id: ")
            .map_or(builtin.len() - start, |at| at + 1);
    let copy = builtin[start..end]
        .replacen(
            "id: ip-information-access",
            "id: ip-information-access-copy",
            1,
        )
        .replacen("number: 10\n", "number: 13\n", 1);
    let catalog =
        Catalog::from_yaml(&format!("{}\n{copy}", builtin.trim_end()), "copy.yaml").unwrap();
    let questionnaire = Questionnaire::builtin().unwrap();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let (original, copied) = (9, 12);
    assert_eq!(catalog.programs[copied].number, 13);
    for (id, profile) in case_profiles(&questionnaire) {
        let results = scorer.score(&profile, false).unwrap();
        let place = |program| results.iter().position(|r| r.program == program).unwrap();
        let (first, second) = (place(original), place(copied));
        assert_eq!(
            results[first].score.to_bits(),
            results[second].score.to_bits(),
            "{id}"
        );
        assert!(
            first < second,
            "{id}: the copy ranks {second}, the original {first}"
        );
    }
}

#[test]
fn every_score_decomposes_into_reasons_that_add_up() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    for (id, profile) in case_profiles(&questionnaire) {
        let results = scorer.score(&profile, true).unwrap();
        for result in &results {
            assert!((0.0..=100.0).contains(&result.score));
            let sum: f64 = result.reasons.iter().map(|r| r.points).sum();
            assert!(
                (sum - result.score).abs() < 1e-6,
                "{id}: {sum} vs {}",
                result.score
            );
            for reason in &result.reasons {
                assert!(
                    !reason.answers.is_empty(),
                    "{id}: {} has no answers",
                    reason.need
                );
            }
        }
        // The top program's main reason shows the catalog line it matched.
        if results[0].score > 0.0 {
            assert!(results[0].reasons[0].matched.is_some(), "{id}");
        }
    }
}

#[test]
fn scores_are_deterministic_across_scorers() {
    let (catalog, questionnaire) = builtins();
    let first = Scorer::new(&catalog, &questionnaire).unwrap();
    let second = Scorer::new(&catalog, &questionnaire).unwrap();
    for (_, profile) in case_profiles(&questionnaire) {
        let a: Vec<(usize, f64)> = first
            .score(&profile, false)
            .unwrap()
            .iter()
            .map(|r| (r.program, r.score))
            .collect();
        let b: Vec<(usize, f64)> = second
            .score(&profile, false)
            .unwrap()
            .iter()
            .map(|r| (r.program, r.score))
            .collect();
        assert_eq!(a, b);
    }
}

/// Asserts two relevance vectors agree to 1e-4 (relative to the larger values).
fn assert_close(fast: &[f32], direct: &[f32], what: &str) {
    assert_eq!(fast.len(), direct.len());
    for (program, (a, b)) in fast.iter().zip(direct).enumerate() {
        let tolerance = 1e-4 * b.abs().max(1.0);
        assert!(
            (a - b).abs() <= tolerance,
            "{what}: program {program}: fast {a} vs direct {b}"
        );
    }
}

#[test]
fn fast_path_equals_direct_tantivy_queries_for_every_case() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let index = scorer.index();
    for (id, profile) in case_profiles(&questionnaire) {
        for need in scorer.raised_needs(&profile).unwrap() {
            let terms = match need.need {
                Some(position) => index.terms(&questionnaire.needs[position].text),
                None => need.terms.clone(),
            };
            // The fast path: per-term vectors computed once, then summed.
            let fast = scorer.text_relevance(&terms).unwrap();
            // One Boolean Should query over all the terms, run by tantivy.
            let direct = index.relevance(&terms).unwrap();
            assert_close(&fast, &direct, &format!("{id} / {:?}", need.need));
        }
    }
}

#[test]
fn fast_path_equals_tantivys_query_parser_on_random_text() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let index = scorer.index();
    // Words of the catalog and others, drawn by a fixed linear congruential generator.
    let mut vocabulary: Vec<String> = catalog
        .programs
        .iter()
        .flat_map(|p| p.objectives.iter().chain(&p.activities).chain(&p.outcomes))
        .flat_map(|line| {
            line.split(|c: char| !c.is_ascii_alphabetic())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .filter(|w| w.len() > 2)
        .collect();
    vocabulary.extend(["backlog", "zebra", "musicians", "customs", "examiners"].map(String::from));
    vocabulary.sort();
    vocabulary.dedup();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for round in 0..200 {
        let length = 1 + (round % 15);
        // tantivy's parser counts "institution institutions" twice (two words, one stem) and
        // ipneeds once (a stem is one term): draw words with distinct stems, where both agree.
        let mut stems = std::collections::BTreeSet::new();
        let words: Vec<&str> = (0..length)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                vocabulary[(state >> 33) as usize % vocabulary.len()].as_str()
            })
            .filter(|word| stems.insert(index.terms(word)))
            .collect();
        let text = words.join(" ");
        let fast = scorer.text_relevance(&index.terms(&text)).unwrap();
        let parsed = index.parsed_relevance(&text).unwrap();
        assert_close(&fast, &parsed, &text);
    }
}

#[test]
fn index_documents_are_in_catalog_order() {
    // `CatalogIndex` maps a hit to its program by document id; the stored ordinal must agree.
    let (catalog, _) = builtins();
    let index = CatalogIndex::build(&catalog).unwrap();
    for position in 0..catalog.programs.len() {
        assert_eq!(
            index.stored_ordinal(position as u32).unwrap(),
            Some(position as u64)
        );
    }
}

/// The free text's first words weigh more than its last (`order_emphasis`): the same two needs
/// written in the other order swap which of their programs the text favours.
#[test]
fn the_need_a_free_text_names_first_weighs_more() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let backlog = "a large backlog of patent applications awaiting examination";
    let universities = "universities have no technology transfer offices to license inventions";
    let score_of = |text: &str, program: &str| {
        let results =
            (scorer.score(&profile(&questionnaire, &[("challenges", text)]), false)).unwrap();
        let at = catalog
            .programs
            .iter()
            .position(|p| p.id == program)
            .unwrap();
        results.iter().find(|r| r.program == at).unwrap().score
    };
    let backlog_first = format!("{backlog}; {universities}");
    let universities_first = format!("{universities}; {backlog}");
    for (first, then, program) in [
        (
            &backlog_first,
            &universities_first,
            "professional-development",
        ),
        (
            &universities_first,
            &backlog_first,
            "university-ip-policies",
        ),
    ] {
        assert!(
            score_of(first, program) > score_of(then, program),
            "{program}: {} named first, {} named last",
            score_of(first, program),
            score_of(then, program)
        );
    }
}

/// Free text pasted from a Mac writes `ó` as `o` and a separate accent (U+0301): it scores as
/// the text typed with the composed letter does, synonyms included.
#[test]
fn free_text_with_accents_typed_as_separate_marks_scores_as_composed_text() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let scores = |text: &str| -> Vec<f64> {
        let results =
            (scorer.score(&profile(&questionnaire, &[("challenges", text)]), false)).unwrap();
        results.iter().map(|r| r.score).collect()
    };
    let composed = scores("no hay gestión colectiva del derecho de autor");
    assert!(composed.iter().any(|&score| score > 0.0));
    assert_eq!(
        scores("no hay gestio\u{301}n colectiva del derecho de autor"),
        composed
    );
}

/// A number in a country's text is no need: the catalog's only small numbers are the markers of
/// program 9's list ("(1) Patent Drafting, (2) …"), and "1" alone scored that program 50, "only 2
/// examiners for 3000 applications" ranked it first and a numbered list of priorities put it
/// above the priorities named.
#[test]
fn a_number_in_the_free_text_raises_no_need() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let ranked = |text: &str| -> Vec<(String, f64)> {
        let results =
            (scorer.score(&profile(&questionnaire, &[("challenges", text)]), false)).unwrap();
        (results.iter())
            .filter(|r| r.score > 0.0)
            .map(|r| (catalog.programs[r.program].id.clone(), r.score))
            .collect()
    };
    for number in ["1", "2", "3", "4", "see annex 1"] {
        assert_eq!(ranked(number), [], "{number}");
    }
    let with_digit = ranked("only 2 examiners for 3000 applications");
    assert_eq!(
        with_digit[0].0, "professional-development",
        "{with_digit:?}"
    );
    assert!(
        !with_digit
            .iter()
            .any(|(program, _)| program == "ip-management-training"),
        "{with_digit:?}"
    );
}

/// An everyday word the catalog uses only in passing ("as well as", "a first step", "three days
/// workshops", "with a view to") says nothing of what a country needs: a text of such words raises
/// no need, where "well" alone scored legal assistance 50, a "high need".
#[test]
fn everyday_words_the_catalog_uses_in_passing_raise_no_need() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    for text in [
        "well",
        "works",
        "first step",
        "within two days",
        "in general, according to the view",
    ] {
        let results =
            (scorer.score(&profile(&questionnaire, &[("challenges", text)]), false)).unwrap();
        let best = results.iter().map(|r| r.score).fold(0.0, f64::max);
        assert!(best < 0.05, "{text:?} raised a need: {best}");
    }
    // The same words around a need leave it to the need's word.
    let text = "the office works well, but the first step is the backlog";
    let results = (scorer.score(&profile(&questionnaire, &[("challenges", text)]), false)).unwrap();
    let first = &catalog.programs[results[0].program].id;
    assert_eq!(first, "professional-development", "{text}");
}

/// A reason from free text shows the catalog line of the words the text was read as: a
/// planner's phrase ("compulsory licensing", "TISC") the line of what it means, never a line of
/// its own words taken one by one. The lines had been chosen on the words as written, so the
/// program first for "compulsory licensing" showed no line at all.
#[test]
fn a_planners_phrase_shows_the_catalog_line_of_what_it_means() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    for (text, first, shown) in [
        ("compulsory licensing", "legal-assistance", "legislation"),
        ("TISC", "ip-information-access", "information"),
    ] {
        let results =
            (scorer.score(&profile(&questionnaire, &[("challenges", text)]), true)).unwrap();
        assert_eq!(catalog.programs[results[0].program].id, first, "{text}");
        for result in results.iter().filter(|result| result.score > 0.0) {
            let program = &catalog.programs[result.program].id;
            let matched = (result.reasons[0].matched.as_ref())
                .unwrap_or_else(|| panic!("{text}: {program} shows no catalog line"));
            let words: Vec<String> = (matched.highlights.iter())
                .map(|range| matched.text[range.clone()].to_lowercase())
                .collect();
            assert!(!words.is_empty(), "{text}: {program}: {}", matched.text);
            assert!(
                !words
                    .iter()
                    .any(|word| text.to_lowercase().contains(word.as_str())),
                "{text}: {program} highlights the words as written: {words:?}"
            );
            if program == first {
                assert!(words.contains(&shown.to_string()), "{text}: {words:?}");
            }
        }
    }
}

/// A text of one matching word ("backlog") gives its program no more than a severe stated gap
/// (`most_per_program: 3`, a score of about 50), not the text's whole weight (8, a score of 84
/// that outranked every answer); a text about several things is not bounded lower.
#[test]
fn a_one_word_text_gives_no_program_more_than_a_severe_gap() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(&catalog, &questionnaire).unwrap();
    let severe = 100.0 * (1.0 - (-3.0 / questionnaire.scoring.saturation).exp());
    for word in ["backlog", "enforcement", "examiners"] {
        let results =
            (scorer.score(&profile(&questionnaire, &[("challenges", word)]), false)).unwrap();
        let best = results.iter().map(|r| r.score).fold(0.0, f64::max);
        assert!(best > 40.0, "{word}: {best}");
        assert!(best <= severe + 0.05, "{word}: {best} above {severe}");
    }
    let stated = profile(
        &questionnaire,
        &[("ip_strategy", "none"), ("challenges", "backlog")],
    );
    let results = scorer.score(&stated, false).unwrap();
    let first = &catalog.programs[results[0].program].id;
    assert_eq!(
        first, "national-ip-strategies",
        "a stated gap outranks one word"
    );
}
