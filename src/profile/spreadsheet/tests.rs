//! Unit tests of `src/spreadsheet.rs`: cells as text, their places, workbooks read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

#[test]
fn columns_are_lettered_as_spreadsheets_do() {
    let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702, 16_383]
        .iter()
        .map(|&c| column_letters(c))
        .collect();
    assert_eq!(
        letters,
        ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"]
    );
}

#[test]
fn numbers_read_as_a_person_writes_them() {
    assert_eq!(number_text(12.0), "12");
    assert_eq!(number_text(180_000.0), "180000");
    assert_eq!(number_text(-3.0), "-3");
    assert_eq!(number_text(-0.0), "0");
    assert_eq!(number_text(2.5), "2.5");
    // A formula's binary noise is cut at 15 significant digits, as a spreadsheet shows it.
    assert_eq!(number_text(0.1 + 0.2), "0.3");
    assert_eq!(number_text(1e20), "100000000000000000000");
    assert_eq!(number_text(1e-7), "0.0000001");
}

#[test]
fn cells_become_text_dates_and_yes_no() {
    let text = |value: Data| match cell_text(&value) {
        Some(CellText::Text(text)) => format!("text {text}"),
        Some(CellText::Error(error)) => format!("error {error}"),
        None => "empty".to_string(),
    };
    assert_eq!(text(Data::Float(84.0)), "text 84");
    assert_eq!(text(Data::Int(7)), "text 7");
    assert_eq!(text(Data::Bool(true)), "text yes");
    assert_eq!(text(Data::Bool(false)), "text no");
    assert_eq!(text(Data::String(String::new())), "empty");
    assert_eq!(text(Data::Empty), "empty");
    assert_eq!(text(Data::Error(calamine::CellErrorType::NA)), "error #N/A");
    let date = |serial: f64| {
        Data::DateTime(calamine::ExcelDateTime::new(
            serial,
            calamine::ExcelDateTimeType::DateTime,
            false,
        ))
    };
    assert_eq!(text(date(45_943.0)), "text 2025-10-13");
    assert_eq!(text(date(45_943.5)), "text 2025-10-13 12:00:00");
}

#[test]
fn sheet_names_are_quoted_when_a_formula_would_quote_them() {
    assert_eq!(quote_sheet("Sheet1"), "Sheet1");
    assert_eq!(quote_sheet("My data"), "'My data'");
    assert_eq!(quote_sheet("O'Brien"), "'O''Brien'");
    assert_eq!(quote_sheet("2024"), "'2024'");
}

#[test]
fn cells_are_placed_by_their_column_letter_and_sheet_row() {
    let place = SheetPlace {
        file: "profiles.xlsx".into(),
        sheet: "Sheet1".into(),
        first_column: 1,
    };
    assert_eq!(
        place.cell(7, 2, "ip_strategy"),
        "profiles.xlsx Sheet1!D7 (column ip_strategy)"
    );
    assert_eq!(place.cell(7, 2, ""), "profiles.xlsx Sheet1!D7");
    assert_eq!(place.row(7), "profiles.xlsx Sheet1 row 7");
}

#[test]
fn rows_are_as_wide_as_the_header_with_gaps_and_errors_in_place() {
    let text = |s: &str| CellText::Text(s.to_string());
    // Header in row 2 (B..D), a row with a gap and a trailing empty, an empty row 4, an error.
    let cells = vec![
        (1, 1, text("id")),
        (1, 2, text("country")),
        (1, 3, text("ip_strategy")),
        (2, 3, text("none")),
        (2, 1, text("a")),
        (4, 2, CellText::Error("#N/A".into())),
        (4, 1, text("b")),
    ];
    let rows = build_rows(cells, 1);
    let shown: Vec<(u64, Vec<String>, Vec<CellError>)> = rows
        .into_iter()
        .map(|row| {
            let cells = (row.record.iter())
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            (row.line, cells, row.errors)
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            (
                2,
                vec!["id".into(), "country".into(), "ip_strategy".into()],
                vec![]
            ),
            (3, vec!["a".into(), "".into(), "none".into()], vec![]),
            (
                5,
                vec!["b".into(), "".into(), "".into()],
                vec![CellError {
                    cell: 1,
                    error: "#N/A".into()
                }]
            ),
        ]
    );
}

#[test]
fn workbooks_are_known_by_extension_and_their_bytes_refused_as_csv() {
    assert!(is_workbook(Path::new("a/profiles.XLSX")));
    assert!(is_workbook(Path::new("profiles.ods")));
    assert!(is_workbook(Path::new("profiles.xls")));
    assert!(!is_workbook(Path::new("profiles.csv")));
    assert!(!is_workbook(Path::new("xlsx")));
    let zip = refuse_workbook_bytes(b"PK\x03\x04rest", "p.csv").unwrap_err();
    assert!(zip.to_string().contains("CSV UTF-8"), "{zip}");
    assert!(refuse_workbook_bytes(OLE_MAGIC, "p.csv").is_err());
    assert!(refuse_workbook_bytes(b"id,country\n", "p.csv").is_ok());
}

/// A workbook written with rust_xlsxwriter: the sheets `Notes` (hidden) and `Profiles`.
fn write_workbook(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "read me").unwrap();
    notes.set_hidden(true);
    let sheet = book.add_worksheet();
    sheet.set_name("Profiles").unwrap();
    // The shown sheet: a workbook's first sheet cannot be hidden while it is shown.
    sheet.set_active(true);
    sheet.write_string(0, 0, "id").unwrap();
    sheet.write_string(0, 1, "patent_examiners").unwrap();
    sheet.write_number(1, 0, 1.0).unwrap();
    sheet.write_number(1, 1, 12.0).unwrap();
    sheet
        .write_formula(
            2,
            1,
            rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A"),
        )
        .unwrap();
    sheet.write_string(2, 0, "x").unwrap();
    book.save(path).unwrap();
}

#[test]
fn a_workbook_is_read_from_its_first_visible_sheet_or_the_one_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    write_workbook(&path);
    let mut rows = SheetRows::open(&path, None).unwrap();
    assert_eq!(rows.place().sheet, "Profiles");
    let (mut record, mut errors) = (Record::default(), Vec::new());
    assert_eq!(rows.read(&mut record, &mut errors), Some(1));
    assert_eq!(rows.read(&mut record, &mut errors), Some(2));
    assert_eq!(record.get(0), Some(&b"1"[..]));
    assert_eq!(record.get(1), Some(&b"12"[..]));
    assert!(errors.is_empty());
    assert_eq!(rows.read(&mut record, &mut errors), Some(3));
    assert_eq!(
        errors,
        vec![CellError {
            cell: 1,
            error: "#N/A".into()
        }]
    );
    assert_eq!(rows.read(&mut record, &mut errors), None);
    let notes = SheetRows::open(&path, Some("notes")).unwrap();
    assert_eq!(notes.place().sheet, "Notes");
    let missing = SheetRows::open(&path, Some("Profile")).err().unwrap();
    assert!(
        missing.to_string().contains("(did you mean `Profiles`?)"),
        "{missing}"
    );
}

#[test]
fn text_named_as_a_workbook_is_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("profiles.xlsx");
    std::fs::write(&path, "id,country\n1,MWI\n").unwrap();
    let error = SheetRows::open(&path, None).err().unwrap().to_string();
    assert!(error.contains("rename it to .csv"), "{error}");
}

#[test]
fn cells_far_apart_are_not_laid_out_whole() {
    // A1 and XFD1048576: laid out as one block, 17 billion cells; read cell by cell, two rows.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "id").unwrap();
    sheet.write_string(1_048_575, 16_383, "far").unwrap();
    book.save(&path).unwrap();
    let mut rows = SheetRows::open(&path, None).unwrap();
    let (mut record, mut errors) = (Record::default(), Vec::new());
    assert_eq!(rows.read(&mut record, &mut errors), Some(1));
    assert_eq!(rows.read(&mut record, &mut errors), Some(1_048_576));
    assert_eq!(record.len(), 16_384);
    assert_eq!(record.get(16_383), Some(&b"far"[..]));
}
