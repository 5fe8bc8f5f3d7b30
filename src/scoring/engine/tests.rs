#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::catalog::Catalog;
use crate::profile::questionnaire::Questionnaire;
use std::sync::OnceLock;

/// The built-in catalog and questionnaire, read once for the tests.
fn builtins() -> (&'static Catalog, &'static Questionnaire) {
    static BUILTINS: OnceLock<(Catalog, Questionnaire)> = OnceLock::new();
    let (catalog, questionnaire) = BUILTINS.get_or_init(|| {
        (
            Catalog::builtin().unwrap(),
            Questionnaire::builtin().unwrap(),
        )
    });
    (catalog, questionnaire)
}

fn shares_of(scorer: &Scorer, text: &str) -> (Vec<f64>, Vec<f64>) {
    let mut memo = WordMemo::default();
    let programs = scorer.catalog.programs.len();
    assert!(memo.spread_words(scorer, text, programs, 0.0).unwrap());
    let words = memo.shares.clone();
    memo.read_against(scorer.text_prior().unwrap());
    (words, memo.shares)
}

/// The catalog's own text, read as a free text in no particular order, leans to no program:
/// read against itself, every program gets the same share, and the matched part of the text
/// is what it was.
#[test]
fn the_catalogs_own_text_leans_to_no_program() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    let (words, read) = shares_of(&scorer, &catalog_text(catalog));
    let matched: f64 = words.iter().sum();
    assert!((read.iter().sum::<f64>() - matched).abs() < 1e-9);
    let even = matched / catalog.programs.len() as f64;
    for (program, share) in catalog.programs.iter().zip(&read) {
        assert!(
            (share - even).abs() < 1e-5,
            "{}: {share} against {even}",
            program.id
        );
    }
    // Word by word, the catalog's text does lean: to its longest programs.
    let spread =
        words.iter().fold(0.0f64, |m, &s| m.max(s)) / words.iter().fold(1.0f64, |m, &s| m.min(s));
    assert!(spread > 2.0, "{words:?}");
}

/// Read against the catalog, a text that names one program's business still gives that
/// program the most, and words the catalog uses mostly in one long program give it less than
/// word by word.
#[test]
fn a_text_about_one_program_still_leads_to_it_and_common_words_lead_less() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    let position = |id: &str| catalog.programs.iter().position(|p| p.id == id).unwrap();
    let best = |shares: &[f64]| {
        (0..shares.len())
            .max_by(|&a, &b| shares[a].total_cmp(&shares[b]))
            .unwrap()
    };
    let (_, read) = shares_of(&scorer, "reduction of backlog and shorter processing time");
    assert_eq!(
        best(&read),
        position("professional-development"),
        "{read:?}"
    );
    let information = position("ip-information-access");
    let (words, read) = shares_of(&scorer, "The office must use its new resources for users.");
    assert!(read[information] < words[information], "{words:?} {read:?}");
}

/// Generic words (`generic_words` in data/synonyms.yaml) say how much, not what: a text reads
/// the same with or without them, a text of nothing else matches no program, and a planner's
/// phrase that holds one ("needs assessment") still counts.
#[test]
fn generic_words_read_as_stop_words_but_phrases_keep_them() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    assert_eq!(
        shares_of(
            &scorer,
            "The main problem is still the backlog of patent applications"
        ),
        shares_of(&scorer, "the backlog of patent applications"),
    );
    let mut memo = WordMemo::default();
    let programs = catalog.programs.len();
    let matched = memo.spread_words(
        &scorer,
        "Urgent priorities: key challenges remain",
        programs,
        0.5,
    );
    assert!(!matched.unwrap(), "{:?}", memo.shares);
    let (_, read) = shares_of(&scorer, "a needs assessment");
    let best = (read.iter().enumerate())
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(at, _)| catalog.programs[at].id.as_str());
    assert_eq!(best, Some("national-ip-strategies"), "{read:?}");
}

/// Naming a right ("patent", "trademark") says which right, not which program: a text reads the
/// same without those words, and a planner's phrase that means nothing else ("trade mark")
/// matches nothing either, nor does the office's own name ("the patent office": an office is
/// every program's subject), while a key with catalog words of its own ("patent TISC") counts.
#[test]
fn the_rights_a_text_names_are_generic_however_they_are_written() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    assert_eq!(
        shares_of(&scorer, "SMEs rarely file patents or register trademarks"),
        shares_of(&scorer, "SMEs rarely file or register"),
    );
    let programs = catalog.programs.len();
    for text in ["trademark", "trade marks", "patents"] {
        let mut memo = WordMemo::default();
        let matched = memo.spread_words(&scorer, text, programs, 0.5);
        assert!(!matched.unwrap(), "{text}: {:?}", memo.shares);
    }
    let mut memo = WordMemo::default();
    assert!(!memo
        .spread_words(&scorer, "the patent office", programs, 0.5)
        .unwrap());
    assert!(memo
        .spread_words(&scorer, "a patent TISC", programs, 0.5)
        .unwrap());
}

/// Words that build a sentence or name its subject (the office, the government, intellectual
/// property) and single letters name no need: alone they match nothing ("its" alone scored
/// information access 50, "the office" professional development 50, Portuguese "e" matched
/// "E-Communication"), and beside a need they take none of its weight (a French text's "la",
/// "de", "les" read it as a third of its English translation).
#[test]
fn words_that_build_a_sentence_or_name_its_subject_match_nothing() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    let programs = catalog.programs.len();
    for text in [
        "its",
        "from which, how and about",
        "the office",
        "the government of the country",
        "member states",
        "intellectual property",
        "IPRs",
        "e",
        "d'un l'office",
    ] {
        let mut memo = WordMemo::default();
        let matched = memo.spread_words(&scorer, text, programs, 0.5);
        assert!(!matched.unwrap(), "{text}: {:?}", memo.shares);
    }
    assert_eq!(
        shares_of(&scorer, "la lutte contre la contrefaçon dans les marchés"),
        shares_of(&scorer, "lutte contrefaçon marchés"),
    );
    assert_eq!(
        shares_of(&scorer, "the office has no IP information centre"),
        shares_of(&scorer, "information centre"),
    );
}

/// A gap written in words reads as the question that asks about it: a missing copyright office
/// is program 7's need, as `copyright_administration: none` is (it went to program 6's seminars
/// on "copyright and related rights"); the judges' training reads as the enforcement
/// authorities' however it is written; every spelling of digitalisation reads as automation
/// ("digitalization", a key of the same stem as "digitization", was read as the catalog's
/// "digital", program 7's "copyright in the digital environment").
#[test]
fn a_gap_in_words_reads_as_its_question_and_spellings_alike() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    let (_, read) = shares_of(&scorer, "There is no copyright office.");
    let best = (read.iter().enumerate())
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(at, _)| catalog.programs[at].id.as_str());
    assert_eq!(best, Some("ip-administration-capacity"), "{read:?}");
    for spelling in ["digitalisation", "digitalization", "digitization"] {
        assert_eq!(
            shares_of(&scorer, &format!("{spelling} of the office")),
            shares_of(&scorer, "automation of the office"),
            "{spelling}"
        );
    }
    let (_, read) = shares_of(&scorer, "judicial training on IP");
    let best = (read.iter().enumerate())
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(at, _)| catalog.programs[at].id.as_str());
    assert_eq!(best, Some("ip-administration-capacity"), "{read:?}");
}

/// A law and a treaty read as legal assistance: "Industrial Property Act" had read as program
/// 5's "creative industries" (the stemmer's `industri`) and program 6's "industry associations",
/// and "accession" as "access" to information; an `Act` named no need at all.
#[test]
fn a_law_to_revise_and_a_treaty_to_join_read_as_legal_assistance() {
    let (catalog, questionnaire) = builtins();
    let scorer = Scorer::new(catalog, questionnaire).unwrap();
    for text in [
        "Revision of the Industrial Property Act",
        "Accession to the Madrid Protocol",
        "accession to the PCT",
    ] {
        let (_, read) = shares_of(&scorer, text);
        let best = (read.iter().enumerate())
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(at, _)| catalog.programs[at].id.as_str());
        assert_eq!(best, Some("legal-assistance"), "{text}: {read:?}");
    }
    let (_, read) = shares_of(&scorer, "industrial property");
    let creative = (catalog.programs.iter())
        .position(|program| program.id == "creative-industries-economics")
        .unwrap();
    assert_eq!(read[creative], 0.0, "{read:?}");
}
