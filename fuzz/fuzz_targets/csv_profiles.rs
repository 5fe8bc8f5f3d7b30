//! The profile CSV reader over arbitrary bytes: header detection, encoding and delimiter
//! sniffing, line counting, every row, and the batch fast path on every row (it must either
//! write one whole line or decline). The first byte chooses the `--delimiter` option. First,
//! the record reader underneath is checked against the `csv` crate it stands in for, from
//! sources that give a few bytes a read: the same records between the malformed ones, and each
//! malformed one really wrong where it says.
#![no_main]

use ipneeds::{check_against_csv_crate, Catalog, Countries, Date, Questionnaire};
use ipneeds::{ProfileReader, RawRow, RowScorer, Scorer, Scratch};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn questionnaire() -> &'static Questionnaire {
    static QUESTIONNAIRE: OnceLock<Questionnaire> = OnceLock::new();
    QUESTIONNAIRE.get_or_init(|| Questionnaire::builtin().expect("built-in questionnaire"))
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().expect("built-in catalog"))
}

fn countries() -> &'static Countries {
    static COUNTRIES: OnceLock<Countries> = OnceLock::new();
    COUNTRIES.get_or_init(|| Countries::builtin().expect("built-in countries"))
}

fn scorer() -> &'static Scorer<'static> {
    static SCORER: OnceLock<Scorer<'static>> = OnceLock::new();
    SCORER.get_or_init(|| Scorer::new(catalog(), questionnaire()).expect("scorer"))
}

/// The reader's records and lines are the `csv` crate's, malformed records aside.
fn records_are_the_csv_crates(bytes: &[u8], delimiter: u8, step: usize) {
    if let Err(difference) = check_against_csv_crate(bytes, delimiter, step) {
        panic!("{difference}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    records_are_the_csv_crates(bytes, choice % 128, 1 + usize::from(choice % 5));
    records_are_the_csv_crates(bytes, b',', 1 << 20);
    let delimiter = match choice % 8 {
        0 => Some(b','),
        1 => Some(b';'),
        2 => Some(b'\t'),
        3 => Some(choice),
        _ => None, // detected, as by default
    };
    let source = Box::new(std::io::Cursor::new(bytes.to_vec()));
    let Ok(mut reader) = ProfileReader::from_reader(source, "fuzz.csv", delimiter, questionnaire())
    else {
        return;
    };
    let header = reader.scoring_header();
    let fast = RowScorer::new(
        scorer(),
        countries(),
        Date::new(2026, 1, 1).expect("date"),
        header.as_deref(),
        reader.encoding(),
        12,
    );
    let mut scratch = Scratch::default();
    let mut raw = RawRow::default();
    while let Ok(true) = reader.read_raw(&mut raw) {
        let row = reader.parser().parse(&raw);
        if raw.record.malformed().is_some() {
            assert!(!row.problems.is_empty(), "a malformed row is rejected");
        }
        assert!(row.line >= 1, "line numbers start at 1");
        let _ = reader.byte_position();
        let mut out = Vec::new();
        // Err: an internal error the command reports; it must not be a panic either.
        if let Ok(Some(_)) = fast.write_csv_row(&raw, &mut scratch, &mut out) {
            assert!(
                row.problems.is_empty(),
                "the fast path took a row with problems"
            );
            assert!(out.ends_with(b"\n"), "one whole line");
        } else {
            assert!(out.is_empty(), "a declined row writes nothing");
        }
    }
});
