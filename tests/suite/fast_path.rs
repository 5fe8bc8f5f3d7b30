#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Batch CSV end to end: the compiled form (`src/scoring/compiled.rs`) against the reference
//! (`IPNEEDS_REFERENCE_PATH=1`: every row read by the row parser, rules evaluated and
//! contributions sorted per row) through the whole command: the same output, messages,
//! summary and exit code. Row by row, the two are compared in process in
//! `src/scoring/compiled/tests.rs` (a property test on thousands of random rows; the benchmark
//! generator's rows, at least 90% of them taken by the compiled reader; edited questionnaires:
//! many rules, mixed rules, labels with quotes, two free texts); what the command adds (blocks
//! written in order, the rejected rows' messages, the summary) is checked here.

use crate::prelude::Ipneeds;

/// What a row of the benchmark generator's file becomes, by its position: the compiled reader
/// takes some as they are and leaves the others to the row parser (tidied spellings, bad
/// values, unknown countries), whose messages the command writes.
const EDITS: [(&str, &str); 9] = [
    ("id", "=cmd"),
    ("regional_system", "aripo;none"),
    ("country", "Atlantis"),
    ("country", "Kenya"),
    ("ip_strategy", "zzz"),
    ("patent_examiners", "1,200"),
    ("online_filing", "TRUE"),
    ("challenges", "line one\nline two, with \"quotes\""),
    ("id", "row, 7"),
];

#[test]
fn the_command_writes_what_the_reference_path_writes() {
    let fixture = include_str!("../data/fixtures/synth-300-text.csv");
    let mut reader = csv::Reader::from_reader(fixture.as_bytes());
    let header = reader.headers().unwrap().clone();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for (i, record) in reader.records().enumerate() {
        let mut cells: Vec<String> = record.unwrap().iter().map(String::from).collect();
        // Every other row as it is, for a file mostly taken by the compiled reader.
        if i % 2 == 1 {
            let (field, cell) = EDITS[(i / 2) % EDITS.len()];
            let column = header.iter().position(|name| name == field).unwrap();
            cells[column] = cell.to_string();
        }
        writer.write_record(&cells).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("profiles.csv");
    std::fs::write(&file, writer.into_inner().unwrap()).unwrap();
    for extra in [&[][..], &["--top", "3", "--summary", "-"]] {
        let batch = |reference: bool| {
            let mut command = Ipneeds::new()
                .dated("2026-01-01")
                .arg("batch")
                .arg(&file)
                .args(extra);
            if reference {
                command = command.env("IPNEEDS_REFERENCE_PATH", "1");
            }
            let output = command.run();
            (output.stdout_bytes, output.stderr, output.code)
        };
        let (fast, reference) = (batch(false), batch(true));
        // Rejected rows are reported, and the others written.
        assert!(fast.1.contains("Atlantis"), "{extra:?}: {}", fast.1);
        assert!(
            fast.1.contains("`none` cannot go with other values"),
            "{}",
            fast.1
        );
        assert!(fast.0.iter().filter(|&&b| b == b'\n').count() > 240);
        assert_eq!(
            String::from_utf8_lossy(&fast.0),
            String::from_utf8_lossy(&reference.0),
            "{extra:?}"
        );
        assert_eq!((&fast.1, fast.2), (&reference.1, reference.2), "{extra:?}");
    }
}
