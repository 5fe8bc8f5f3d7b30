#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn batch(given: Option<BatchFormat>, output: &str) -> Result<BatchFormat> {
    choose("batch", BATCH, given, Some(Path::new(output)))
}

#[test]
fn the_name_gives_the_format_unless_it_says_nothing() {
    assert_eq!(batch(None, "results.XLSX").unwrap(), BatchFormat::Xlsx);
    assert_eq!(batch(None, "out/r.ndjson").unwrap(), BatchFormat::Jsonl);
    assert_eq!(batch(None, "results.txt").unwrap(), BatchFormat::Csv);
    assert_eq!(batch(None, "results").unwrap(), BatchFormat::Csv);
    assert_eq!(batch(None, "-").unwrap(), BatchFormat::Csv);
    assert_eq!(
        batch(Some(BatchFormat::Json), "results.txt").unwrap(),
        BatchFormat::Json
    );
    let score = choose("score", SCORE, None, Some(Path::new("report.htm")));
    assert_eq!(score.unwrap(), ReportFormat::Html);
}

#[test]
fn a_name_that_says_another_format_is_refused() {
    let message = batch(Some(BatchFormat::Xlsx), "results.csv")
        .unwrap_err()
        .to_string();
    assert!(message.contains("results.xlsx"), "{message}");
    assert!(message.contains("--format csv"), "{message}");
    let message = choose("score", SCORE, None, Some(Path::new("report.csv")))
        .unwrap_err()
        .to_string();
    assert!(message.contains("`score` does not write"), "{message}");
    assert!(
        message.contains("table|json|markdown|html|xlsx"),
        "{message}"
    );
}

/// A name that says a spreadsheet or document ipneeds never writes (`.xls`, `.ods`, `.pdf`) is
/// refused, not filled with the plain-text table a spreadsheet would open as garbage.
#[test]
fn a_name_of_a_format_never_written_is_refused() {
    for name in ["r.xls", "r.ODS", "r.pdf", "r.docx"] {
        let message = choose("score", SCORE, None, Some(Path::new(name)))
            .unwrap_err()
            .to_string();
        assert!(message.contains("`score` does not write"), "{message}");
        assert!(message.contains("r.txt"), "{message}");
        let message = batch(None, name).unwrap_err().to_string();
        assert!(message.contains("`batch` does not write"), "{message}");
    }
    let message = batch(Some(BatchFormat::Xlsx), "r.xls")
        .unwrap_err()
        .to_string();
    assert!(message.contains("name the file r.xlsx"), "{message}");
}
