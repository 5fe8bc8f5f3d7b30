//! Unit tests of `src/spreadsheet.rs`: cells as text, their places, workbooks read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// How the count of an .xls ended.
fn scan_xls(bytes: &[u8], limit: u64) -> XlsResult<()> {
    scan_xls_sheets(bytes, limit).0
}

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
    // And back, case aside; no letters, another character or past u64 is no column.
    for column in [0, 1, 25, 26, 27, 51, 52, 701, 702, 16_383, 16_384] {
        let letters = column_letters(column);
        assert_eq!(column_number(&letters), Some(column), "{letters}");
        assert_eq!(column_number(&letters.to_lowercase()), Some(column));
    }
    for letters in ["", "A1", "É", "ZZZZZZZZZZZZZZZ"] {
        assert_eq!(column_number(letters), None, "{letters}");
    }
}

#[test]
fn iso_date_cells_read_as_dates_stored_as_numbers_are() {
    let shown = |text: &str| cell_text(&Data::DateTimeIso(text.to_string()));
    let text = |t: &str| Some(CellText::Text(t.to_string()));
    assert_eq!(shown("2024-01-01T00:00:00"), text("2024-01-01"));
    assert_eq!(shown("2024-01-01T00:00:00.000Z"), text("2024-01-01"));
    assert_eq!(shown("2024-01-01T09:30:00"), text("2024-01-01 09:30:00"));
    assert_eq!(shown("2024-01-01"), text("2024-01-01"));
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
fn cells_become_text_dates_and_true_false() {
    let text = |value: Data| match cell_text(&value) {
        Some(CellText::Text(text)) => format!("text {text}"),
        Some(CellText::Error(error)) => format!("error {error}"),
        Some(CellText::NoValue(formula)) => format!("no value {formula}"),
        Some(CellText::ShownWithoutValue { shown, .. }) => format!("shown {shown}"),
        None => "empty".to_string(),
    };
    assert_eq!(text(Data::Float(84.0)), "text 84");
    assert_eq!(text(Data::Int(7)), "text 7");
    assert_eq!(text(Data::Bool(true)), "text TRUE");
    assert_eq!(text(Data::Bool(false)), "text FALSE");
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
                    error: "#N/A".into(),
                    kind: CellErrorKind::SpreadsheetError,
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
            error: "#N/A".into(),
            kind: CellErrorKind::SpreadsheetError,
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

#[test]
fn an_ods_value_past_the_last_column_is_refused_not_dropped() {
    // calamine stops at column XFD and drops what lies past it without a word.
    let past = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384"/><table:table-cell office:value-type="string"><text:p>far</text:p></table:table-cell></table:table-row>"#;
    let bytes = ods(&format!("{}{past}", ods_row("", &["id", "country"])));
    let error = sheet_rows("past.ods", &bytes).err().unwrap().to_string();
    assert!(
        error.contains("Sheet1: row 2 holds a value past column XFD")
            && error.contains("move it into those columns"),
        "{error}"
    );
    // The same value in the last column is read.
    let last = past.replace("16384", "16383");
    let rows = sheet_rows(
        "last.ods",
        &ods(&format!("{}{last}", ods_row("", &["id", "country"]))),
    )
    .unwrap();
    assert_eq!(rows[1].1.last().map(String::as_str), Some("far"));
}

/// A cell of content.xml holding `text`.
fn ods_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// A row of content.xml holding `texts`, with `attributes` (`table:number-rows-repeated="3"`).
fn ods_row(attributes: &str, texts: &[&str]) -> String {
    let cells: String = texts.iter().map(|t| ods_cell(t)).collect();
    format!("<table:table-row {attributes}>{cells}</table:table-row>")
}

/// LibreOffice's end of a sheet: the rest of the row's columns and the rest of the sheet's rows,
/// empty, each written once with a repeat count.
const ODS_EMPTY_END: &str = r#"<table:table-row table:number-rows-repeated="1048553"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;

/// An .ods whose content.xml holds `body` inside the office:spreadsheet element.
fn ods_with(body: &str) -> Vec<u8> {
    use std::io::Write;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// An .ods of one sheet, `Sheet1`, of `rows`.
fn ods(rows: &str) -> Vec<u8> {
    ods_with(&format!(
        r#"<table:table table:name="Sheet1">{rows}</table:table>"#
    ))
}

/// The rows of the workbook `bytes` (written as `name`), as text.
fn sheet_rows(name: &str, bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let mut rows = SheetRows::open(&path, None)?;
    let (mut record, mut errors) = (Record::default(), Vec::new());
    let mut read = Vec::new();
    while let Some(line) = rows.read(&mut record, &mut errors) {
        let cells = (record.iter())
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        read.push((line, cells));
    }
    Ok(read)
}

/// What the count of an .ods's sheets comes to, with no limit.
fn ods_count_of(bytes: &[u8]) -> u64 {
    let (outcome, tally) = scan_ods(bytes, u64::MAX);
    assert_eq!(outcome, Ok(()));
    tally.total()
}

#[test]
fn an_ods_sheet_is_counted_as_calamine_lays_it_out() {
    let header = ods_row("", &["id", "country"]);
    let plain = ods(&format!("{header}{}", ods_row("", &["a", "UGA"])));
    // Four cells laid out, each with its text and overhead.
    let text = [2, 7, 1, 3].iter().map(|t| t + CELL_OVERHEAD).sum::<u64>();
    assert_eq!(ods_count_of(&plain), 4 * ODS_SLOT + text);
    // LibreOffice's empty rows and columns to the sheet's end cost nothing.
    let ended = ods(&format!(
        "{header}{}{ODS_EMPTY_END}",
        ods_row("", &["a", "UGA"])
    ));
    assert_eq!(ods_count_of(&ended), ods_count_of(&plain));
    // A row repeated three times is laid out three times, its text copied each time.
    let repeated = ods(&format!(
        "{header}{}",
        ods_row(r#"table:number-rows-repeated="3""#, &["a", "UGA"])
    ));
    let copies = 2 * (1 + 3 + 2 * CELL_OVERHEAD);
    assert_eq!(
        ods_count_of(&repeated),
        ods_count_of(&plain) + 2 * ODS_SLOT * 2 + copies
    );
    // And it is read as three rows, as calamine reads it.
    let rows = sheet_rows("repeated.ods", &repeated).unwrap();
    let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
    assert_eq!(lines, [1, 2, 3, 4]);
}

#[test]
fn a_cell_repeated_across_a_row_is_read_and_counted_once_a_column() {
    let rows = format!(
        "{}<table:table-row>{}<table:table-cell table:number-columns-repeated=\"3\" office:value-type=\"string\"><text:p>yes</text:p></table:table-cell></table:table-row>",
        ods_row("", &["id", "a", "b", "c"]),
        ods_cell("x")
    );
    let bytes = ods(&rows);
    let read = sheet_rows("cells.ods", &bytes).unwrap();
    assert_eq!(read[1].1, ["x", "yes", "yes", "yes"]);
    let header_text = [2, 1, 1, 1].iter().map(|t| t + CELL_OVERHEAD).sum::<u64>();
    let row_text = 1 + CELL_OVERHEAD + 3 * (3 + CELL_OVERHEAD);
    assert_eq!(ods_count_of(&bytes), 8 * ODS_SLOT + header_text + row_text);
}

#[test]
fn an_ods_row_repeated_a_million_times_with_values_is_refused_before_it_is_read() {
    // 1 KB on disk; laid out by calamine, 1,048,000 rows of 22 cells of up to 200 bytes: over
    // 4 GB, and the process aborted. Refused from the count, in milliseconds.
    let long = format!(
        r#"<table:table-cell table:number-columns-repeated="20" office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
        "q".repeat(200)
    );
    let bomb = ods(&format!(
        "{}<table:table-row table:number-rows-repeated=\"1048000\">{}{}{long}</table:table-row>",
        ods_row("", &["id", "country"]),
        ods_cell("a"),
        ods_cell("UGA")
    ));
    assert!(bomb.len() < 2_000, "{} bytes", bomb.len());
    // Two short cells a row: 2 million cells laid out, over 100 MB.
    let short = ods(&format!(
        "{}{}",
        ods_row("", &["id", "country"]),
        ods_row(r#"table:number-rows-repeated="1048000""#, &["a", "UGA"])
    ));
    for bytes in [bomb, short] {
        let started = std::time::Instant::now();
        let error = sheet_rows("bomb.ods", &bytes).unwrap_err().to_string();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        for part in [
            "bomb.ods Sheet1: the sheet's cells take more than 64 MiB once read",
            "(row 2 is repeated 1048000 times, down to row 1048001",
            "delete the copies you do not need",
            "IPNEEDS_MAX_WORKBOOK_BYTES",
            "\"CSV UTF-8\"",
        ] {
            assert!(error.contains(part), "{part}\n{error}");
        }
    }
}

#[test]
fn an_ods_ending_in_libreoffice_s_empty_repeats_is_read() {
    let bytes = ods(&format!(
        "{}{}{ODS_EMPTY_END}",
        ods_row("", &["id", "country"]),
        ods_row("", &["a", "UGA"])
    ));
    let rows = sheet_rows("ended.ods", &bytes).unwrap();
    assert_eq!(
        rows,
        [
            (1, vec!["id".to_string(), "country".to_string()]),
            (2, vec!["a".to_string(), "UGA".to_string()])
        ]
    );
}

#[test]
fn text_a_cell_repeats_inside_itself_is_counted() {
    // `<text:s text:c="N"/>` is N spaces: 100 million of them from 30 bytes.
    let cell = r#"<table:table-cell office:value-type="string"><text:p>U<text:s text:c="100000000"/>GA</text:p></table:table-cell>"#;
    let bytes = ods(&format!(
        "{}<table:table-row>{}{cell}</table:table-row>",
        ods_row("", &["id", "country"]),
        ods_cell("a")
    ));
    let error = sheet_rows("spaces.ods", &bytes).unwrap_err().to_string();
    assert!(error.contains("take more than 64 MiB"), "{error}");
    // A few are read as spaces, as calamine reads them.
    let few = ods(&format!(
        "{}<table:table-row>{}{}</table:table-row>",
        ods_row("", &["id", "country"]),
        ods_cell("a"),
        cell.replace("100000000", "3")
    ));
    assert_eq!(sheet_rows("few.ods", &few).unwrap()[1].1[1], "U   GA");
}

#[test]
fn an_ods_cut_short_inside_a_sheet_is_damaged_and_not_read_forever() {
    // calamine waits for the sheet's (or a note's) end past the end of the file, forever.
    let header = ods_row("", &["id", "country"]);
    let cut = ods_with(&format!(r#"<table:table table:name="Sheet1">{header}"#));
    let note = ods_with(&format!(
        r#"<table:table table:name="Sheet1">{header}<table:table-row><table:table-cell office:value-type="string"><office:annotation><text:p>a note"#
    ));
    for bytes in [cut, note] {
        let error = sheet_rows("cut.ods", &bytes).unwrap_err().to_string();
        assert!(
            error.contains("cut.ods: the workbook could not be read (it looks damaged)"),
            "{error}"
        );
    }
}

#[test]
fn a_workbook_cut_short_or_damaged_is_named_so_without_the_zip_library_s_words() {
    // calamine's text was `Zip error: invalid Zip archive: Could not find EOCD` (found by
    // fuzzing): an unfinished download is the common cause.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    write_workbook(&path);
    let whole = std::fs::read(&path).unwrap();
    let ods = ods(&ods_row("", &["id", "country"]));
    let cuts = [
        ("book.xlsx", whole[..whole.len() / 2].to_vec()),
        ("book.xlsx", whole[..whole.len() - 10].to_vec()),
        ("book.ods", ods[..ods.len() - 30].to_vec()),
    ];
    for (name, bytes) in cuts {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let error = SheetRows::open(&path, None).err().unwrap().to_string();
        assert!(
            error.contains("the workbook cannot be read: the file is damaged or cut short (as an unfinished download or copy leaves it): copy or download it again"),
            "{error}"
        );
        assert!(!error.contains("Zip"), "{error}");
    }
    assert!(broken_container(
        "Cfb error: Sector 4104 points past end of file"
    ));
    assert!(!broken_container("Cfb error: Cannot find Workbook stream"));
}

#[test]
fn an_ods_whose_mimetype_is_compressed_is_read_as_an_ods() {
    // As `zip -r` packs an unpacked .ods again: LibreOffice reads it; it was taken for an .xlsx.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("packed.ods");
    std::fs::write(&path, ods(&ods_row("", &["id", "country"]))).unwrap();
    rewrite_part(&path, "content.xml", str::to_string);
    let bytes = std::fs::read(&path).unwrap();
    // Compressed: the kind is not in the first bytes.
    assert!(!bytes[..128]
        .windows(24)
        .any(|w| w == b"opendocument.spreadsheet"));
    assert!(is_ods(&bytes));
    let rows = sheet_rows("packed.ods", &bytes).unwrap();
    assert_eq!(rows[0].1, ["id", "country"]);
    // A zip whose `mimetype` names another kind is not one.
    let other = dir.path().join("other.ods");
    std::fs::write(&other, ods(&ods_row("", &["id"]))).unwrap();
    rewrite_part(&other, "mimetype", |_| "application/zip".to_string());
    assert!(!is_ods(&std::fs::read(&other).unwrap()));
}

#[test]
fn every_sheet_of_an_ods_is_counted_as_calamine_reads_them_all() {
    // The second sheet, not the one read, is the big one: calamine lays out every sheet.
    let small = ods_row("", &["id", "country"]);
    let big = ods_row(r#"table:number-rows-repeated="1048000""#, &["a", "UGA"]);
    let bytes = ods_with(&format!(
        r#"<table:table table:name="Profiles">{small}</table:table><table:table table:name="Notes">{small}{big}</table:table>"#
    ));
    let error = sheet_rows("two.ods", &bytes).unwrap_err().to_string();
    assert!(
        error.contains("two.ods Notes: the sheet's cells take more than"),
        "{error}"
    );
    let (_, tally) = scan_ods(&ods(&small), u64::MAX);
    let (_, both) = scan_ods(
        &ods_with(&format!(
            r#"<table:table table:name="A">{small}</table:table><table:table table:name="B">{small}</table:table>"#
        )),
        u64::MAX,
    );
    assert_eq!(both.total(), 2 * tally.total());
}

/// `path`'s part `part` rewritten by `edit`.
fn rewrite_part(path: &Path, part: &str, edit: impl Fn(&str) -> String) {
    use std::io::{Read, Write};
    let bytes = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).unwrap();
        if name == part {
            contents = edit(&String::from_utf8(contents).unwrap()).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&contents).unwrap();
    }
    std::fs::write(path, out.finish().unwrap().into_inner()).unwrap();
}

#[test]
fn a_formula_with_no_saved_value_is_a_cell_error_and_one_with_a_value_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formulas.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (column, name) in ["id", "a", "b", "c", "d"].iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "x").unwrap();
    let formula = rust_xlsxwriter::Formula::new;
    sheet.write_formula(1, 1, formula("=2+1")).unwrap();
    sheet
        .write_formula(1, 2, formula("=1+1").set_result("2"))
        .unwrap();
    // A formula whose saved value is empty text (`t="str"`, `<v></v>`, below): an empty cell.
    sheet.write_formula(1, 4, formula("=LEFT(A2,0)")).unwrap();
    // A shared formula (B3:B4 as one), its copy in B4 with no text of its own.
    sheet.write_string(2, 0, "y").unwrap();
    sheet.write_formula(2, 1, formula("=5+5")).unwrap();
    sheet.write_formula(3, 1, formula("=6+6")).unwrap();
    sheet.write_string(3, 0, "z").unwrap();
    book.save(&path).unwrap();
    // What openpyxl and many generators write: the formula, no value (`<v>` gone).
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace("<f>2+1</f><v>0</v>", "<f>2+1</f>")
            .replace(
                r#"<c r="E2"><f>LEFT(A2,0)</f><v>0</v>"#,
                r#"<c r="E2" t="str"><f>LEFT(A2,0)</f><v></v>"#,
            )
            .replace(
                "<f>5+5</f><v>0</v>",
                r#"<f t="shared" ref="B3:B4" si="0">5+5</f>"#,
            )
            .replace("<f>6+6</f><v>0</v>", r#"<f t="shared" si="0"/>"#)
    });
    let mut rows = SheetRows::open(&path, None).unwrap();
    let (mut record, mut errors) = (Record::default(), Vec::new());
    assert_eq!(rows.read(&mut record, &mut errors), Some(1));
    assert_eq!(rows.read(&mut record, &mut errors), Some(2));
    assert_eq!(record.get(1), Some(&b""[..]));
    assert_eq!(record.get(2), Some(&b"2"[..]), "the saved value is read");
    assert_eq!(record.get(4), Some(&b""[..]));
    assert_eq!(
        errors,
        [CellError {
            cell: 1,
            error: "=2+1".into(),
            kind: CellErrorKind::FormulaWithoutValue,
        }]
    );
    let message = errors[0].message();
    for part in [
        "the cell holds the formula `=2+1` but no saved value",
        "open the workbook in Excel or LibreOffice Calc and save it",
        "or type the answer instead",
    ] {
        assert!(message.contains(part), "{part}\n{message}");
    }
    assert_eq!(rows.read(&mut record, &mut errors), Some(3));
    assert_eq!(errors[0].error, "=5+5");
    assert_eq!(rows.read(&mut record, &mut errors), Some(4));
    assert_eq!(
        errors[0].error, "",
        "a shared formula's copy has no text here"
    );
    assert!(errors[0]
        .message()
        .contains("the cell holds a formula but no saved value"));
    assert_eq!(rows.read(&mut record, &mut errors), None);
}

#[test]
fn an_ods_formula_with_no_value_is_a_cell_error() {
    let bytes = ods(&format!(
        r#"{}<table:table-row>{}<table:table-cell table:formula="of:=2+1"/><table:table-cell table:formula="of:=1+1" office:value-type="float" office:value="2"/></table:table-row>"#,
        ods_row("", &["id", "a", "b"]),
        ods_cell("x")
    ));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("formulas.ods");
    std::fs::write(&path, bytes).unwrap();
    let mut rows = SheetRows::open(&path, None).unwrap();
    let (mut record, mut errors) = (Record::default(), Vec::new());
    assert_eq!(rows.read(&mut record, &mut errors), Some(1));
    assert_eq!(rows.read(&mut record, &mut errors), Some(2));
    assert_eq!(record.get(2), Some(&b"2"[..]));
    assert_eq!(
        errors,
        [CellError {
            cell: 1,
            error: "=2+1".into(),
            kind: CellErrorKind::FormulaWithoutValue,
        }]
    );
}

#[test]
fn an_ods_number_cell_that_shows_a_text_but_stores_no_value_is_a_cell_error_not_an_empty_cell() {
    // A generator wrote `office:value-type="float"` and the text, but no `office:value`:
    // calamine reads the cell as empty, LibreOffice as 0; the 12 it shows was lost unsaid.
    let cells = [
        r#"<table:table-cell office:value-type="float"><text:p>12</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="date"><text:p>2020-01-01</text:p></table:table-cell>"#,
        // No text, nothing lost: an empty cell, as a styled blank cell is.
        r#"<table:table-cell office:value-type="float"/>"#,
    ];
    let bytes = ods(&format!(
        "{}<table:table-row>{}{}</table:table-row>",
        ods_row("", &["id", "a", "b", "c", "d"]),
        ods_cell("x"),
        cells.concat()
    ));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("valueless.ods");
    std::fs::write(&path, bytes).unwrap();
    let mut rows = SheetRows::open(&path, None).unwrap();
    let (mut record, mut errors) = (Record::default(), Vec::new());
    assert_eq!(rows.read(&mut record, &mut errors), Some(1));
    assert_eq!(rows.read(&mut record, &mut errors), Some(2));
    assert_eq!(record.get(2), Some(&b"3"[..]));
    assert_eq!(
        errors,
        [
            CellError {
                cell: 1,
                error: "12".into(),
                kind: CellErrorKind::ShownWithoutValue("a number"),
            },
            CellError {
                cell: 3,
                error: "2020-01-01".into(),
                kind: CellErrorKind::ShownWithoutValue("a date"),
            }
        ]
    );
    let message = errors[0].message();
    for part in [
        "the cell shows `12`, but the file marks it as a number and stores none",
        "type the answer into the cell again",
    ] {
        assert!(message.contains(part), "{part}\n{message}");
    }
}

#[test]
fn an_xlsx_whose_shared_strings_declare_billions_is_refused_before_calamine_sets_room_aside() {
    // calamine reserves room for `uniqueCount` strings: 4,000,000,000 asked for 96 GB, and the
    // process aborted.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("strings.xlsx");
    write_workbook(&path);
    rewrite_part(&path, "xl/sharedStrings.xml", |xml| {
        let at = xml.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
        let end = at + xml[at..].find('"').unwrap();
        format!("{}4000000000{}", &xml[..at], &xml[end..])
    });
    let error = SheetRows::open(&path, None).err().unwrap().to_string();
    for part in [
        "strings.xlsx: the sheet's cells take more than 64 MiB once read",
        "says it holds 4000000000 strings",
        "IPNEEDS_MAX_WORKBOOK_BYTES",
    ] {
        assert!(error.contains(part), "{part}\n{error}");
    }
    // As written, the table is counted and the book read.
    let plain = dir.path().join("plain.xlsx");
    write_workbook(&plain);
    let bytes = std::fs::read(&plain).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    let part = archive.by_name("xl/sharedStrings.xml").unwrap();
    let mut declared = 0;
    let counted = scan_shared_strings(&mut PartXml::new(part, 1_000), 1_000, &mut declared);
    assert_eq!((counted, declared), (Ok(Some(4)), 4));
    assert!(SheetRows::open(&plain, None).is_ok());
}

#[test]
fn a_note_calamine_holds_whole_is_counted_whole() {
    // calamine reads a cell's note (office:annotation) into one buffer it never clears: 20
    // paragraphs of 100 KB are 2 MB at once, though each is small. Counted against 1 MB.
    let paragraph = format!("<text:p>{}</text:p>", "n".repeat(100_000));
    let note = |paragraphs: &str| {
        format!(
            r#"<table:table-cell office:value-type="string"><office:annotation>{paragraphs}</office:annotation><text:p>UGA</text:p></table:table-cell>"#
        )
    };
    let sheet = |cell: &str| {
        ods(&format!(
            "{}<table:table-row>{}{cell}</table:table-row>",
            ods_row("", &["id", "country"]),
            ods_cell("a")
        ))
    };
    let (outcome, _) = scan_ods(&sheet(&note(&paragraph.repeat(20))), 1_000_000);
    assert_eq!(outcome, Err(Stop::TooBig));
    let (outcome, _) = scan_ods(&sheet(&note(&paragraph.repeat(5))), 1_000_000);
    assert_eq!(outcome, Ok(()));
    // A note is not the cell's text.
    let short = sheet(&note("<text:p>see the 2024 report</text:p>"));
    assert_eq!(sheet_rows("note.ods", &short).unwrap()[1].1, ["a", "UGA"]);
}

// ---- .xls: built here, byte by byte (a Compound File holding a BIFF8 Workbook stream) ----

/// A BIFF record.
fn biff(typ: u16, body: &[u8]) -> Vec<u8> {
    let mut record = typ.to_le_bytes().to_vec();
    record.extend((body.len() as u16).to_le_bytes());
    record.extend(body);
    record
}

/// A cell record's place and format: row, column, format 0.
fn biff_place(row: u16, column: u16) -> Vec<u8> {
    [row.to_le_bytes(), column.to_le_bytes(), [0, 0]].concat()
}

/// A sheet of an .xls being built: its records between BOF and EOF.
#[derive(Default, Clone)]
struct XlsBook {
    /// Shared strings (ASCII).
    shared: Vec<String>,
    /// The SST record's declared count of unique strings, when not their number.
    declared: Option<u32>,
    /// The sheet's records.
    sheet: Vec<u8>,
    /// More sheets listed at the first sheet's place.
    again: usize,
    /// The stream in the mini stream (it must be under 4096 bytes).
    mini: bool,
}

impl XlsBook {
    /// Text cell `row`, `column` (from 0), as a shared string.
    fn text(mut self, row: u16, column: u16, text: &str) -> XlsBook {
        let index = match self.shared.iter().position(|s| s == text) {
            Some(index) => index,
            None => {
                self.shared.push(text.to_string());
                self.shared.len() - 1
            }
        };
        let body = [
            biff_place(row, column),
            (index as u32).to_le_bytes().to_vec(),
        ]
        .concat();
        self.sheet.extend(biff(0x00FD, &body));
        self
    }

    fn number(mut self, row: u16, column: u16, value: f64) -> XlsBook {
        let body = [biff_place(row, column), value.to_le_bytes().to_vec()].concat();
        self.sheet.extend(biff(0x0203, &body));
        self
    }

    fn record(mut self, typ: u16, body: &[u8]) -> XlsBook {
        self.sheet.extend(biff(typ, body));
        self
    }

    /// The Workbook stream: globals (BOF, code page, sheets, SST, EOF), then the sheet.
    fn stream(&self) -> Vec<u8> {
        let bof = |kind: u16| {
            let body = [0x0600u16.to_le_bytes(), kind.to_le_bytes()].concat();
            biff(0x0809, &[body, vec![0; 12]].concat())
        };
        let bound_sheet = |at: u32| {
            let body = [
                at.to_le_bytes().to_vec(),
                vec![0, 0, 6, 0],
                b"Sheet1".to_vec(),
            ]
            .concat();
            biff(0x0085, &body)
        };
        let mut sst = Vec::new();
        let count = self.shared.len() as u32;
        sst.extend(count.to_le_bytes());
        sst.extend(self.declared.unwrap_or(count).to_le_bytes());
        for text in &self.shared {
            sst.extend((text.len() as u16).to_le_bytes());
            sst.push(0);
            sst.extend(text.as_bytes());
        }
        let globals = |at: u32| {
            let mut globals = bof(0x0005);
            globals.extend(biff(0x0042, &1200u16.to_le_bytes()));
            for _ in 0..=self.again {
                globals.extend(bound_sheet(at));
            }
            globals.extend(biff(0x00FC, &sst));
            globals.extend(biff(0x000A, &[]));
            globals
        };
        let at = globals(0).len() as u32;
        let mut stream = globals(at);
        stream.extend(bof(0x0010));
        stream.extend(&self.sheet);
        stream.extend(biff(0x000A, &[]));
        stream
    }

    fn bytes(&self) -> Vec<u8> {
        compound_file(&self.stream(), self.mini)
    }
}

/// A directory entry: `name`, its kind (5 the root, 2 a stream), first sector, size.
fn cfb_entry(name: &str, kind: u8, start: u32, size: u32) -> Vec<u8> {
    let mut entry = vec![0u8; 128];
    for (i, unit) in name.encode_utf16().enumerate() {
        entry[2 * i..2 * i + 2].copy_from_slice(&unit.to_le_bytes());
    }
    if !name.is_empty() {
        entry[64..66].copy_from_slice(&(2 * (name.len() as u16 + 1)).to_le_bytes());
    }
    entry[66] = kind;
    entry[67] = 1;
    entry[68..80].fill(0xFF);
    if kind == 5 {
        entry[76..80].copy_from_slice(&1u32.to_le_bytes());
    }
    entry[116..120].copy_from_slice(&start.to_le_bytes());
    entry[120..124].copy_from_slice(&size.to_le_bytes());
    entry
}

/// A Compound File (version 3, 512-byte sectors) holding `stream` as `Workbook`: sector 0 the
/// allocation table, 1 the directory, then the stream (padded to 4096 bytes, as Excel pads
/// it); or, with `mini`, the stream as it is in the mini stream (sector 2 its table, then the
/// mini stream).
fn compound_file(stream: &[u8], mini: bool) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    let mut stream = stream.to_vec();
    if !mini && stream.len() < 4096 {
        stream.resize(4096, 0);
    }
    let mut table = vec![0xFFFF_FFFDu32, END];
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(OLE_MAGIC);
    header[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    header[26..28].copy_from_slice(&3u16.to_le_bytes());
    header[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    header[30..32].copy_from_slice(&9u16.to_le_bytes());
    header[32..34].copy_from_slice(&6u16.to_le_bytes());
    header[44..48].copy_from_slice(&1u32.to_le_bytes());
    header[48..52].copy_from_slice(&1u32.to_le_bytes());
    header[56..60].copy_from_slice(&4096u32.to_le_bytes());
    header[60..64].copy_from_slice(&END.to_le_bytes());
    header[68..72].copy_from_slice(&END.to_le_bytes());
    header[76..512].fill(0xFF);
    header[76..80].copy_from_slice(&0u32.to_le_bytes());
    let chain = |table: &mut Vec<u32>, sectors: usize| {
        let first = table.len() as u32;
        for i in 1..sectors as u32 {
            table.push(first + i);
        }
        table.push(END);
        first
    };
    let mut body = Vec::new();
    let directory = if mini {
        assert!(stream.len() < 4096);
        let mini_sectors = stream.len().div_ceil(64);
        let mini_table: Vec<u8> = (1..mini_sectors as u32)
            .chain([END])
            .flat_map(u32::to_le_bytes)
            .collect();
        let table_at = chain(&mut table, 1);
        header[60..64].copy_from_slice(&table_at.to_le_bytes());
        header[64..68].copy_from_slice(&1u32.to_le_bytes());
        let mut mini_stream = stream.clone();
        mini_stream.resize(mini_sectors * 64, 0);
        let root_at = chain(&mut table, mini_stream.len().div_ceil(512));
        body.extend(mini_table);
        body.resize(512, 0xFF);
        body.extend(&mini_stream);
        [
            cfb_entry("Root Entry", 5, root_at, mini_stream.len() as u32),
            cfb_entry("Workbook", 2, 0, stream.len() as u32),
        ]
        .concat()
    } else {
        let at = chain(&mut table, stream.len().div_ceil(512));
        body.extend(&stream);
        [
            cfb_entry("Root Entry", 5, END, 0),
            cfb_entry("Workbook", 2, at, stream.len() as u32),
        ]
        .concat()
    };
    body.resize(body.len().div_ceil(512) * 512, 0);
    assert!(table.len() <= 128, "one sector of allocation table");
    table.resize(128, 0xFFFF_FFFF);
    let mut file = header;
    file.extend(table.iter().flat_map(|n| n.to_le_bytes()));
    let mut directory = directory;
    directory.extend(cfb_entry("", 0, 0, 0));
    directory.extend(cfb_entry("", 0, 0, 0));
    file.extend(directory);
    file.extend(body);
    file
}

/// Profiles with a header row and two countries.
fn profiles_book() -> XlsBook {
    XlsBook::default()
        .text(0, 0, "id")
        .text(0, 1, "country")
        .text(0, 2, "patent_examiners")
        .text(1, 0, "a")
        .text(1, 1, "UGA")
        .number(1, 2, 12.0)
        .text(2, 0, "b")
        .text(2, 1, "KEN")
        .number(2, 2, 3.0)
}

fn rows_of(read: Vec<(u64, Vec<String>)>) -> Vec<String> {
    read.into_iter()
        .map(|(line, cells)| format!("{line}: {}", cells.join(",")))
        .collect()
}

#[test]
fn an_xls_built_here_is_read_by_calamine_from_the_stream_or_the_mini_stream() {
    for mini in [false, true] {
        let book = XlsBook {
            mini,
            ..profiles_book()
        };
        let bytes = book.bytes();
        assert_eq!(scan_xls(&bytes, 64 << 20), Ok(()), "mini {mini}");
        let read = sheet_rows("p.xls", &bytes).unwrap();
        assert_eq!(
            rows_of(read),
            [
                "1: id,country,patent_examiners",
                "2: a,UGA,12",
                "3: b,KEN,3"
            ],
            "mini {mini}"
        );
    }
}

#[test]
fn an_xls_with_cells_far_apart_is_refused_before_calamine_lays_it_out() {
    // A1 and IV65536: calamine lays out 65,536 × 256 cells, about 537 MB, from a 5 KB file.
    for mini in [false, true] {
        let book = XlsBook {
            mini,
            ..XlsBook::default()
        }
        .text(0, 0, "id")
        .number(65_535, 255, 1.0);
        let started = std::time::Instant::now();
        let stop = scan_xls(&book.bytes(), 64 << 20);
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let Err(XlsStop::TooBig { sheet, detail }) = stop else {
            panic!("{stop:?}");
        };
        assert_eq!(sheet.as_deref(), Some("Sheet1"));
        assert!(
            detail.contains("its cells reach from A1 to IV65536"),
            "{detail}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.xls");
    let book = XlsBook::default().text(0, 0, "id").number(65_535, 255, 1.0);
    std::fs::write(&path, book.bytes()).unwrap();
    let Err(error) = SheetRows::open(&path, None) else {
        panic!("read");
    };
    let message = error.to_string();
    assert!(
        message.contains("far.xls Sheet1: the sheet's cells take more than 64 MiB once read (its cells reach from A1 to IV65536"),
        "{message}"
    );
    // Under the limit, the same cells are counted as calamine lays them out: 16,777,216 cells.
    let per_cell = std::mem::size_of::<Data>() as u64;
    assert!(scan_xls(&book.bytes(), 16_777_216 * per_cell * 3).is_ok());
}

/// The first sheet's dimensions record: rows `top` to `bottom` (past the last), columns
/// `left` to `right` (past the last).
fn dimensions(top: u32, bottom: u32, left: u16, right: u16) -> Vec<u8> {
    [
        top.to_le_bytes().to_vec(),
        bottom.to_le_bytes().to_vec(),
        left.to_le_bytes().to_vec(),
        right.to_le_bytes().to_vec(),
        vec![0, 0],
    ]
    .concat()
}

#[test]
fn an_xls_whose_dimensions_record_is_doctored_is_refused_before_calamine_sets_room_aside() {
    // 4 billion rows: calamine asked for terabytes and the process aborted.
    let doctored = profiles_book().record(0x0200, &dimensions(0, u32::MAX, 0, 3));
    let stop = scan_xls(&doctored.bytes(), 64 << 20);
    let Err(XlsStop::Damaged(detail)) = stop else {
        panic!("{stop:?}");
    };
    assert!(
        detail.contains("says it spans 4294967295 rows and 3 columns"),
        "{detail}"
    );
    // First row after the last: calamine's count wraps round.
    let wrapped = profiles_book().record(0x0200, &dimensions(9, 5, 0, 3));
    assert!(matches!(
        scan_xls(&wrapped.bytes(), 64 << 20),
        Err(XlsStop::Damaged(_))
    ));
    // A whole sheet's room, as a stray formatted cell at IV65536 makes it: too big.
    let whole = profiles_book().record(0x0200, &dimensions(0, 65_536, 0, 256));
    let Err(XlsStop::TooBig { detail, .. }) = scan_xls(&whole.bytes(), 64 << 20) else {
        panic!("whole");
    };
    assert!(
        detail.contains(
            "its dimensions record says it spans 65536 rows and 256 columns, A1 to IV65536"
        ),
        "{detail}"
    );
    // The profiles' own dimensions are read.
    let fitting = profiles_book().record(0x0200, &dimensions(0, 3, 0, 3));
    assert_eq!(scan_xls(&fitting.bytes(), 64 << 20), Ok(()));
    assert_eq!(
        rows_of(sheet_rows("d.xls", &fitting.bytes()).unwrap()).len(),
        3
    );
}

#[test]
fn an_xls_whose_shared_strings_declare_billions_is_damaged() {
    let book = XlsBook {
        declared: Some(4_000_000_000),
        ..profiles_book()
    };
    let stop = scan_xls(&book.bytes(), 64 << 20);
    let Err(XlsStop::Damaged(detail)) = stop else {
        panic!("{stop:?}");
    };
    assert!(
        detail.contains("says it holds 4000000000 strings"),
        "{detail}"
    );
    // A count a little off (some programs write it so) is harmless: calamine does not use it.
    let off = XlsBook {
        declared: Some(9),
        ..profiles_book()
    };
    assert_eq!(scan_xls(&off.bytes(), 64 << 20), Ok(()));
}

#[test]
fn every_copy_of_a_long_shared_string_is_counted() {
    // One 8,000-byte string shown in 1,000 cells: calamine copies it into each, 8 MB, and
    // copies the sheet once more when it is asked for it.
    let long = "x".repeat(8_000);
    let mut book = XlsBook::default();
    for row in 0..1_000 {
        book = book.text(row, 0, &long);
    }
    assert_eq!(scan_xls(&book.bytes(), 16_200_000), Ok(()));
    let Err(XlsStop::TooBig { sheet, .. }) = scan_xls(&book.bytes(), 15_900_000) else {
        panic!("not counted");
    };
    assert_eq!(sheet.as_deref(), Some("Sheet1"));
}

#[test]
fn an_xls_listing_its_sheet_again_and_again_is_damaged() {
    let book = XlsBook {
        again: 300,
        ..profiles_book()
    };
    let stop = scan_xls(&book.bytes(), 64 << 20);
    assert!(
        matches!(&stop, Err(XlsStop::Damaged(d)) if d.contains("overlap")),
        "{stop:?}"
    );
    // The sheets' reading is bounded by the stream's size, not refused at the first overlap.
    let twice = XlsBook {
        again: 1,
        ..profiles_book()
    };
    assert_eq!(scan_xls(&twice.bytes(), 64 << 20), Ok(()));
}

/// Sets the allocation-table entry of sector `sector` (table in sector 0).
fn set_next(bytes: &mut [u8], sector: usize, next: u32) {
    let at = 512 + 4 * sector;
    bytes[at..at + 4].copy_from_slice(&next.to_le_bytes());
}

#[test]
fn an_xls_whose_sectors_go_round_in_a_circle_is_damaged() {
    let bytes = profiles_book().bytes();
    // The stream's last sector leads back to its first: calamine gathers it to its size.
    let mut circle = bytes.clone();
    let last = bytes.len() / 512 - 2;
    set_next(&mut circle, last, 2);
    let size = 400_000_000u32;
    // The directory's second entry (Workbook) says the stream is 400 MB.
    circle[1024 + 128 + 120..1024 + 128 + 124].copy_from_slice(&size.to_le_bytes());
    let stop = scan_xls(&circle, 64 << 20);
    assert!(
        matches!(&stop, Err(XlsStop::Damaged(d)) if d.contains("circle")),
        "{stop:?}"
    );
    // The directory's chain leads to itself: calamine would read it forever.
    let mut directory = bytes.clone();
    set_next(&mut directory, 1, 1);
    assert!(matches!(
        scan_xls(&directory, 64 << 20),
        Err(XlsStop::Damaged(_))
    ));
    // The header lists the allocation table's sector 109 times: calamine copies it 109 times.
    let mut listed = bytes.clone();
    listed[76..512].fill(0);
    let stop = scan_xls(&listed, 64 << 20);
    assert!(
        matches!(&stop, Err(XlsStop::Damaged(d)) if d.contains("109 sectors")),
        "{stop:?}"
    );
}

#[test]
fn no_byte_of_an_xls_changed_makes_the_count_panic_or_run_long() {
    for mini in [false, true] {
        let book = XlsBook {
            mini,
            ..profiles_book()
        }
        .record(0x0200, &dimensions(0, 3, 0, 3))
        .record(
            0x0006,
            &[[0u8; 20].to_vec(), vec![3, 0, 0x1E, 7, 0]].concat(),
        )
        .record(0x0208, &xls_row(2, true))
        .record(0x007D, &xls_columns(1, 1, true));
        let bytes = book.bytes();
        let started = std::time::Instant::now();
        for at in 0..bytes.len() {
            for value in [0x00, 0x01, 0x7F, 0xFF] {
                let mut changed = bytes.clone();
                changed[at] = value;
                let _ = scan_xls(&changed, 64 << 20);
            }
            let _ = scan_xls(&bytes[..at], 64 << 20);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
    }
}

/// A content.xml text cell with `attributes` (`table:number-rows-spanned="2"`).
fn ods_cell_with(attributes: &str, text: &str) -> String {
    format!(
        r#"<table:table-cell {attributes} office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

/// A merged range's top, left, bottom and right (from 0).
type Corners = (u32, u32, u32, u32);

/// The merged ranges found in each sheet of the .ods `bytes`.
fn ods_merges_of(bytes: &[u8]) -> Vec<(String, Vec<Corners>)> {
    let (outcome, tally) = scan_ods(bytes, u64::MAX);
    assert_eq!(outcome, Ok(()));
    (tally.sheets.into_iter())
        .map(|(name, layout)| {
            let merges = (layout.merges.iter()).map(|m| (m.start.0, m.start.1, m.end.0, m.end.1));
            (name, merges.collect())
        })
        .collect()
}

/// The rows and warnings of the .ods `bytes`, sheet `sheet`.
fn ods_read(bytes: &[u8], sheet: Option<&str>) -> Result<(Vec<Vec<String>>, Vec<String>)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.ods");
    std::fs::write(&path, bytes).unwrap();
    let mut rows = SheetRows::open(&path, sheet)?;
    let (mut record, mut errors) = (Record::default(), Vec::new());
    let mut read = Vec::new();
    while rows.read(&mut record, &mut errors).is_some() {
        read.push(
            (record.iter())
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect(),
        );
    }
    Ok((read, rows.take_warnings()))
}

#[test]
fn an_ods_s_merged_ranges_are_placed_as_calamine_places_its_cells() {
    // An empty row repeated, an empty cell repeated, a value repeated across two columns, a
    // covered cell: each counts its copies, so the ranges land where calamine puts the cells.
    let lead = r#"<table:table-cell table:number-columns-repeated="2"/>"#;
    let row = |cells: &str| format!("<table:table-row>{lead}{cells}</table:table-row>");
    let bytes = ods(&format!(
        "{}{}{}{}{}",
        r#"<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>"#,
        row(&["id", "a", "b", "country", "other"].map(ods_cell).concat()),
        row(&format!(
            "{}{}{}",
            ods_cell("x"),
            ods_cell_with(r#"table:number-columns-repeated="2""#, "1"),
            ods_cell_with(
                r#"table:number-columns-spanned="2" table:number-rows-spanned="2""#,
                "UGA"
            ),
        )),
        row(&format!(
            "{}{}<table:covered-table-cell table:number-columns-repeated=\"2\"/>",
            ods_cell("y"),
            ods_cell_with(r#"table:number-columns-repeated="2""#, "2"),
        )),
        // A spanned cell holding nothing shows nothing: no range.
        row(r#"<table:table-cell table:number-rows-spanned="2"/>"#),
    ));
    assert_eq!(
        ods_merges_of(&bytes),
        [("Sheet1".to_string(), vec![(4, 5, 5, 6)])]
    );
    let (rows, warnings) = ods_read(&bytes, None).unwrap();
    assert_eq!(
        rows,
        [
            ["id", "a", "b", "country", "other"],
            ["x", "1", "1", "UGA", ""],
            ["y", "2", "2", "UGA", ""],
        ]
    );
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].contains("merged.ods Sheet1!F5:G6 is merged: its value `UGA` was used for every row it covers (rows 5 to 6), as the sheet shows it, in column F (`country`) only: column G is read as empty on those rows"),
        "{warnings:?}"
    );
}

#[test]
fn an_ods_s_merged_ranges_are_the_chosen_sheet_s() {
    let sheet = |name: &str, country: &str| {
        format!(
            r#"<table:table table:name="{name}">{}<table:table-row>{}{}</table:table-row><table:table-row>{}<table:covered-table-cell/></table:table-row></table:table>"#,
            ods_row("", &["id", "country"]),
            ods_cell("a"),
            ods_cell_with(r#"table:number-rows-spanned="2""#, country),
            ods_cell("b"),
        )
    };
    let plain = format!(
        r#"<table:table table:name="First">{}</table:table>"#,
        ods_row("", &["id", "country"]) + &ods_row("", &["a", "KEN"]) + &ods_row("", &["b", ""])
    );
    let bytes = ods_with(&format!("{plain}{}", sheet("Merged", "UGA")));
    let (rows, warnings) = ods_read(&bytes, None).unwrap();
    assert_eq!(rows[2], ["b", ""]);
    assert!(warnings.is_empty(), "{warnings:?}");
    let (rows, warnings) = ods_read(&bytes, Some("merged")).unwrap();
    assert_eq!(rows[2], ["b", "UGA"]);
    assert!(warnings[0].contains("merged.ods Merged!B2:B3 is merged"));
    // Two sheets of one name: calamine keeps the last, and so do its ranges.
    let twice = ods_with(&format!("{}{}", sheet("Same", "UGA"), sheet("Same", "KEN")));
    let (rows, _) = ods_read(&twice, None).unwrap();
    assert_eq!(rows[2], ["b", "KEN"]);
}

#[test]
fn an_ods_s_nonsense_spans_are_ignored_or_clipped_without_a_panic() {
    let data = |attributes: &str| {
        format!(
            "{}<table:table-row>{}{}</table:table-row>{}",
            ods_row("", &["id", "country"]),
            ods_cell("a"),
            ods_cell_with(attributes, "UGA"),
            ods_row("", &["b"]),
        )
    };
    // Spans of 0, 1, negative, not a number, or past u64 are no merge.
    for span in ["0", "1", "-2", "two", "", "99999999999999999999999"] {
        let bytes = ods(&data(&format!(
            r#"table:number-rows-spanned="{span}" table:number-columns-spanned="{span}""#
        )));
        assert_eq!(ods_merges_of(&bytes), [("Sheet1".to_string(), vec![])]);
        let (rows, warnings) = ods_read(&bytes, None).unwrap();
        assert_eq!(rows[2], ["b", ""], "{span}");
        assert!(warnings.is_empty());
    }
    // A span past the sheet's last row and column is clipped to them.
    let huge = ods(&data(
        r#"table:number-rows-spanned="4000000000" table:number-columns-spanned="4000000000""#,
    ));
    assert_eq!(
        ods_merges_of(&huge),
        [("Sheet1".to_string(), vec![(1, 1, 1_048_575, 16_383)])]
    );
    let (rows, warnings) = ods_read(&huge, None).unwrap();
    assert_eq!(rows[2], ["b", "UGA"]);
    assert!(warnings[0].contains("merged.ods Sheet1!B2:XFD1048576 is merged"));
    // Overlapping spans (and one on a covered cell, ignored) read without a panic.
    let overlapping = ods(&format!(
        "{}{}{}",
        ods_row("", &["id", "country", "other"]),
        ods_row("", &["a"]).replace(
            "</table:table-row>",
            &(ods_cell_with(
                r#"table:number-rows-spanned="3" table:number-columns-spanned="2""#,
                "UGA"
            ) + "</table:table-row>")
        ),
        ods_row(r#"table:number-rows-repeated="2""#, &["b"]).replace(
            "</table:table-row>",
            &(ods_cell_with(r#"table:number-rows-spanned="2""#, "KEN")
                + r#"<table:covered-table-cell table:number-rows-spanned="9" office:value-type="string"><text:p>z</text:p></table:covered-table-cell></table:table-row>"#)
        ),
    ));
    assert_eq!(
        ods_merges_of(&overlapping),
        [(
            "Sheet1".to_string(),
            vec![(1, 1, 3, 2), (2, 1, 3, 1), (3, 1, 4, 1)]
        )]
    );
    let (rows, warnings) = ods_read(&overlapping, None).unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(warnings.len(), 3);
}

#[test]
fn an_ods_s_merged_ranges_count_against_the_limit() {
    // A row of one spanned cell, repeated a million times: each copy is a range kept.
    let bytes = ods(&format!(
        "{}{}",
        ods_row("", &["id", "country"]),
        r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-spanned="2" office:value-type="float" office:value="1"/></table:table-row>"#
    ));
    let (outcome, tally) = scan_ods(&bytes, u64::MAX);
    assert_eq!(outcome, Ok(()));
    assert_eq!(tally.sheets[0].1.merges.len(), 1_000_000);
    let without = ods(&format!(
        "{}{}",
        ods_row("", &["id", "country"]),
        r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#
    ));
    assert_eq!(
        tally.total(),
        ods_count_of(&without) + 1_000_000 * MERGE_SLOT
    );
    let (outcome, tally) = scan_ods(&bytes, ods_count_of(&without) + 10 * MERGE_SLOT);
    assert_eq!(outcome, Err(Stop::TooBig));
    assert!(tally.sheets[0].1.merges.len() <= 10);
}

/// The warnings of the workbook at `path`, read by default.
fn warnings_of(path: &Path) -> Vec<String> {
    SheetRows::open(path, None).unwrap().take_warnings()
}

#[test]
fn hidden_and_filtered_xlsx_rows_are_read_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("filtered.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    // A sheet before the one read, with a hidden row of its own: the rows are the chosen sheet's.
    let notes = book.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "read me").unwrap();
    notes.write_string(4, 0, "old").unwrap();
    notes.set_row_hidden(4).unwrap();
    notes.set_hidden(true);
    let sheet = book.add_worksheet();
    sheet.set_name("Profiles").unwrap();
    sheet.set_active(true);
    sheet.write_string(0, 0, "country").unwrap();
    for (row, country) in ["MWI", "UGA", "KEN", "TZA"].iter().enumerate() {
        sheet.write_string(row as u32 + 1, 0, *country).unwrap();
    }
    // Rows 3 and 5 hidden (as a filter leaves them), and an empty hidden row after the data.
    for row in [2, 4, 9] {
        sheet.set_row_hidden(row).unwrap();
    }
    book.save(&path).unwrap();
    let warnings = warnings_of(&path);
    assert_eq!(
        warnings,
        vec![format!(
            "{} Profiles: rows 3 and 5 are hidden in the sheet (by hand, by a filter or by the sheet's settings), and read like every other row; to leave a country out, delete its row, or copy the rows you want to a sheet of their own and give it with --sheet",
            path.display()
        )]
    );
    // Every row is still read.
    assert_eq!(
        sheet_rows("filtered.xlsx", &std::fs::read(&path).unwrap())
            .unwrap()
            .len(),
        5
    );
    // A workbook with no hidden row says nothing.
    let plain = dir.path().join("plain.xlsx");
    write_workbook(&plain);
    assert!(warnings_of(&plain).is_empty());
}

/// A person hides a column to leave it out as often as a row: the hidden rows were named,
/// the hidden column read without a word (a tester's finding).
#[test]
fn hidden_xlsx_columns_of_the_header_are_read_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hidden.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Profiles").unwrap();
    for (column, name) in ["country", "ip_strategy", "patent_examiners"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *name).unwrap();
        sheet.write_string(1, column as u16, "x").unwrap();
    }
    // B and C hidden, and an empty hidden column past the header.
    for column in [1, 2, 7] {
        sheet.set_column_hidden(column).unwrap();
    }
    book.save(&path).unwrap();
    assert_eq!(
        warnings_of(&path),
        vec![format!(
            "{} Profiles: columns B (`ip_strategy`) and C (`patent_examiners`) are hidden in the sheet, and read like every other column; to leave a field out, delete its column",
            path.display()
        )]
    );
}

#[test]
fn hidden_and_filtered_ods_rows_are_read_and_named() {
    let bytes = ods(&[
        ods_row("", &["country"]),
        ods_row("", &["MWI"]),
        ods_row(r#"table:visibility="collapse""#, &["UGA"]),
        ods_row(
            r#"table:visibility="filter" table:number-rows-repeated="2""#,
            &["KEN"],
        ),
        ods_row(r#"table:visibility="visible""#, &["TZA"]),
    ]
    .concat());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("filtered.ods");
    std::fs::write(&path, &bytes).unwrap();
    let warnings = warnings_of(&path);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("Sheet1: rows 3, 4 and 5 are hidden in the sheet (by hand, by a filter or by the sheet's settings), and read like every other row"),
        "{warnings:?}"
    );
}

/// `write_workbook`'s book with the cell B2 of its sheet `Profiles` written as `cell`, and its
/// table of shared text (4 texts) rewritten by `table`.
fn book_with_cell(cell: &str, table: impl Fn(&str) -> String) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    write_workbook(&path);
    rewrite_part(&path, "xl/worksheets/sheet2.xml", |xml| {
        let start = xml.find(r#"<c r="B2""#).unwrap();
        let end = start + xml[start..].find("</c>").unwrap() + "</c>".len();
        format!("{}{cell}{}", &xml[..start], &xml[end..])
    });
    rewrite_part(&path, "xl/sharedStrings.xml", table);
    std::fs::read(&path).unwrap()
}

/// Whether calamine, reading the sheet `Profiles` as `read_cells` does, stops with an error.
fn calamine_refuses(bytes: &[u8]) -> bool {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let mut reader = book.worksheet_cells_reader("Profiles").unwrap();
    loop {
        match reader.next_cell_with_formula_metadata() {
            Ok(Some(_)) => {}
            Ok(None) => return false,
            Err(_) => return true,
        }
    }
}

/// The cell the scan refuses in the sheet `Profiles` for its value, and the message.
fn scan_refuses(bytes: &[u8]) -> Option<(String, String)> {
    let mut parts = check_xlsx_parts(bytes, "book.xlsx").unwrap();
    let hidden = parts.remove("xl/worksheets/sheet2.xml").unwrap();
    match hidden.misplaced? {
        misplaced @ Misplaced::Value { column, row, .. } => Some((
            format!("{}{row}", column_letters(column)),
            misplaced_cell("book.xlsx", "Profiles", &misplaced).to_string(),
        )),
        _ => None,
    }
}

#[test]
fn a_cell_value_is_refused_at_its_place_exactly_when_calamine_cannot_read_it() {
    let numbers = [
        "12",
        "-1.5",
        "+2",
        ".5",
        "5.",
        "1e5",
        "1E+5",
        "1e-400",
        "1e400",
        "inf",
        "-Infinity",
        "+NaN",
        "nan",
        "infinit",
        "1e",
        " 1",
        "1 ",
        "abc",
        "0x10",
        "1_0",
        "1.2.3",
        "+",
        "-",
        ".",
        "e5",
        "١",
    ];
    let booleans = [
        "0", "1", "true", "FALSE", "True", " 1 ", "\t0\n", "2", "yes", "7",
    ];
    let errors = [
        "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#n/a", " #N/A",
        "#WHAT", "#SPILL!", "#CALC!",
    ];
    // The table holds 4 texts, numbered from 0; an index calamine cannot parse is 0.
    let indices = [
        "0",
        "3",
        "0003",
        "00",
        "4",
        "999",
        "+1",
        "-0",
        "abc",
        " 1",
        "99999999999999999999999",
    ];
    let mut cells: Vec<String> = Vec::new();
    for (kind, values) in [
        ("n", &numbers[..]),
        ("b", &booleans[..]),
        ("e", &errors[..]),
        ("s", &indices[..]),
    ] {
        for value in values {
            cells.push(format!(r#"<c r="B2" t="{kind}"><v>{value}</v></c>"#));
        }
    }
    cells.extend(
        [
            // No type: a number, or text.
            r#"<c r="B2"><v>abc</v></c>"#,
            r#"<c r="B2" t="str"><v>abc</v></c>"#,
            r#"<c r="B2" t="d"><v>not a date</v></c>"#,
            r#"<c r="B2" t="inlineStr"><is><t>x</t></is><v>zz</v></c>"#,
            // A type no spreadsheet writes: refused only with a value.
            r#"<c r="B2" t="zz"><v>3</v></c>"#,
            r#"<c r="B2" t="zz"><v/></c>"#,
            r#"<c r="B2" t="zz"/>"#,
            r#"<c r="B2" t="zz"><f>1+1</f></c>"#,
            // Only the first text of a `<v>` is parsed, and only the `<v>` of the cell itself.
            r#"<c r="B2" t="b"><v>&amp;7</v></c>"#,
            r#"<c r="B2" t="b"><v><![CDATA[7]]></v></c>"#,
            r#"<c r="B2" t="b"><v>1&#55;</v></c>"#,
            r#"<c r="B2" t="b"><v/></c>"#,
            r#"<c r="B2" t="b"><f>7</f><v>1</v></c>"#,
            r#"<c r="B2" t="b"><f><v>7</v></f></c>"#,
            r#"<c r="B2" t="b"><v>1</v><v>7</v></c>"#,
            r#"<c r="B2" t="n"><v><v>x</v>7</v></c>"#,
            // calamine takes the last of the first three `r`, `s`, `t` attributes.
            r#"<c t="zz" t="n" r="B2"><v>3</v></c>"#,
            r#"<c r="B2" s="0" t="n" t="zz"><v>3</v></c>"#,
            // Without its reference, the cell after A2.
            r#"<c t="b"><v>7</v></c>"#,
        ]
        .map(String::from),
    );
    for cell in &cells {
        let bytes = book_with_cell(cell, |xml| xml.to_string());
        let refused = scan_refuses(&bytes);
        assert_eq!(
            refused.is_some(),
            calamine_refuses(&bytes),
            "{cell}: {refused:?}"
        );
        if let Some((place, _)) = refused {
            assert_eq!(place, "B2", "{cell}");
        }
    }
    // calamine keeps a text for each `<si>`, whatever the table says it holds.
    for (declared, index, refused) in [("10", "4", true), ("10", "3", false), ("1", "3", false)] {
        let cell = format!(r#"<c r="B2" t="s"><v>{index}</v></c>"#);
        let bytes = book_with_cell(&cell, |xml| {
            let xml = xml.replace(r#"count="4""#, "");
            xml.replace(
                r#"uniqueCount="4""#,
                &format!(r#"uniqueCount="{declared}""#),
            )
        });
        assert_eq!(calamine_refuses(&bytes), refused, "{declared} {index}");
        assert_eq!(
            scan_refuses(&bytes).is_some(),
            refused,
            "{declared} {index}"
        );
    }
    // A table calamine cannot read is its to report: no cell is refused for it.
    let bytes = book_with_cell(r#"<c r="B2" t="s"><v>9</v></c>"#, |xml| {
        xml.replace("</sst>", "<si><t>cut")
    });
    assert_eq!(scan_refuses(&bytes), None);
}

#[test]
fn a_refused_cell_value_is_named_in_the_user_s_terms() {
    let said = |cell: &str| {
        scan_refuses(&book_with_cell(cell, |xml| xml.to_string()))
            .unwrap()
            .1
    };
    let boolean = said(r#"<c r="B2" t="b"><v>7</v></c>"#);
    assert!(boolean.starts_with("book.xlsx Profiles!B2: the cell's value `7` is not a TRUE/FALSE value, which no spreadsheet writes: open the file in Excel or LibreOffice and save it again"), "{boolean}");
    let number = said(r#"<c r="B2" t="n"><v>abc</v></c>"#);
    assert!(
        number.contains("Profiles!B2: the cell's value `abc` is marked as a number but is not one"),
        "{number}"
    );
    let text = said(r#"<c r="B2" t="s"><v>999</v></c>"#);
    assert!(text.contains("Profiles!B2: the cell's text is missing from the workbook (the cell points to entry `999` of the workbook's table of shared text, which holds 4 entries, numbered from 0)"), "{text}");
    let kind = said(r#"<c r="B2" t="zz"><v>3</v></c>"#);
    assert!(kind.contains("Profiles!B2: the cell is marked as holding a kind of value (`zz`), which no spreadsheet writes"), "{kind}");
    // Newer versions of Excel write errors calamine does not know: the formula is the fix.
    let error = said(r#"<c r="B2" t="e"><f>SEQUENCE(3)</f><v>#SPILL!</v></c>"#);
    assert!(error.contains("Profiles!B2: the cell holds the spreadsheet error #SPILL!, which ipneeds cannot read (it reads #N/A, #VALUE!, #REF!, #DIV/0!, #NUM!, #NAME? and #NULL!), so the sheet cannot be read: fix the formula"), "{error}");
    assert!(!error.contains("no spreadsheet writes"), "{error}");
}

#[test]
fn a_bad_value_in_another_sheet_s_header_is_named_at_its_cell_and_elsewhere_ignored() {
    // The second visible sheet's first row is read for its headers: calamine stops at a value
    // it cannot read there, and the scan names the cell. Further down, it is not read at all.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in ["Profiles", "Other"] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        sheet.write_string(0, 0, "id").unwrap();
        sheet.write_number(0, 1, 1.0).unwrap();
        sheet.write_string(1, 0, "x").unwrap();
        sheet.write_number(1, 1, 2.0).unwrap();
    }
    book.save(&path).unwrap();
    let original = std::fs::read(&path).unwrap();
    for (at, refused) in [("B1", true), ("B2", false)] {
        std::fs::write(&path, &original).unwrap();
        rewrite_part(&path, "xl/worksheets/sheet2.xml", |xml| {
            let start = xml.find(&format!(r#"<c r="{at}""#)).unwrap();
            let end = start + xml[start..].find("</c>").unwrap() + "</c>".len();
            format!(
                r#"{}<c r="{at}" t="b"><v>7</v></c>{}"#,
                &xml[..start],
                &xml[end..]
            )
        });
        match SheetRows::open(&path, None) {
            Ok(rows) => assert!(!refused, "{at}: {:?}", rows.place()),
            Err(error) => {
                assert!(refused, "{at}: {error}");
                let error = error.to_string();
                assert!(
                    error.contains(&format!(
                        "two.xlsx Other!{at}: the cell's value `7` is not a TRUE/FALSE value"
                    )),
                    "{error}"
                );
            }
        }
    }
}

/// A ROW record's body: row `row` (from 0), hidden (`fDyZero`) or not, as LibreOffice writes it.
fn xls_row(row: u16, hidden: bool) -> Vec<u8> {
    let options: u32 = 0x000F_0100 | if hidden { 0x0020 } else { 0 };
    [
        row.to_le_bytes().to_vec(),
        vec![0, 0, 3, 0, 0xFF, 0, 0, 0, 0, 0],
        options.to_le_bytes().to_vec(),
    ]
    .concat()
}

/// A COLINFO record's body: columns `first` to `last` (from 0), hidden (`fHidden`) or not.
fn xls_columns(first: u16, last: u16, hidden: bool) -> Vec<u8> {
    [first, last, 0x0900, 0x000F, u16::from(hidden), 0]
        .iter()
        .flat_map(|n| n.to_le_bytes())
        .collect()
}

/// An .xls column of zero width (`coldx` 0) is named as hidden, as in an .xlsx; one of a width
/// of its own above zero is not.
#[test]
fn an_xls_column_of_zero_width_is_named_as_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let narrow = |first: u16, last: u16, width: u16| -> Vec<u8> {
        let mut body = xls_columns(first, last, false);
        body[4..6].copy_from_slice(&width.to_le_bytes());
        body
    };
    let path = dir.path().join("narrow.xls");
    let bytes = profiles_book()
        .record(0x007D, &narrow(0, 0, 0x0900))
        .record(0x007D, &narrow(1, 1, 0))
        .bytes();
    std::fs::write(&path, bytes).unwrap();
    assert_eq!(
        warnings_of(&path),
        [format!(
            "{} Sheet1: column B (`country`) is hidden in the sheet, and read like every other column; to leave a field out, delete its column",
            path.display()
        )]
    );
}

/// `profiles_book`'s rows (header; a, UGA, 12; b, KEN, 3) with row 3 and column B (`country`)
/// hidden, and empty rows and columns hidden past them, as each of the three formats writes
/// it; by file name.
fn hidden_books(dir: &Path) -> Vec<std::path::PathBuf> {
    let xlsx = dir.join("hidden.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Sheet1").unwrap();
    for (column, name) in ["id", "country", "patent_examiners"].iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "a").unwrap();
    sheet.write_string(1, 1, "UGA").unwrap();
    sheet.write_number(1, 2, 12.0).unwrap();
    sheet.write_string(2, 0, "b").unwrap();
    sheet.write_string(2, 1, "KEN").unwrap();
    sheet.write_number(2, 2, 3.0).unwrap();
    sheet.set_row_hidden(2).unwrap();
    sheet.set_row_hidden(9).unwrap();
    sheet.set_column_hidden(1).unwrap();
    sheet.set_column_hidden(7).unwrap();
    book.save(&xlsx).unwrap();
    // LibreOffice's way: the columns described first, the last ones (and the last rows) at
    // once, with a repeat count.
    let ods_bytes = ods(&[
        r#"<table:table-column/><table:table-column table:visibility="collapse"/>"#,
        r#"<table:table-column table:number-columns-repeated="3"/>"#,
        r#"<table:table-column table:visibility="collapse" table:number-columns-repeated="16379"/>"#,
        &ods_row("", &["id", "country", "patent_examiners"]),
        &ods_row("", &["a", "UGA", "12"]),
        &ods_row(r#"table:visibility="collapse""#, &["b", "KEN", "3"]),
        r#"<table:table-row table:visibility="filter" table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
    ]
    .concat());
    let ods_path = dir.join("hidden.ods");
    std::fs::write(&ods_path, ods_bytes).unwrap();
    let xls_bytes = profiles_book()
        .record(0x007D, &xls_columns(0, 0, false))
        .record(0x007D, &xls_columns(1, 1, true))
        .record(0x007D, &xls_columns(5, 256, true))
        .record(0x0208, &xls_row(1, false))
        .record(0x0208, &xls_row(2, true))
        .record(0x0208, &xls_row(9, true))
        .bytes();
    let xls = dir.join("hidden.xls");
    std::fs::write(&xls, xls_bytes).unwrap();
    vec![xlsx, ods_path, xls]
}

/// An .ods's hidden columns and an .xls's hidden rows and columns were read with no word (the
/// README said so): each format now names the same rows and columns, in the same words, and
/// every row is still read.
#[test]
fn hidden_rows_and_columns_are_named_alike_in_xlsx_ods_and_xls() {
    let dir = tempfile::tempdir().unwrap();
    let expected = [
        "BOOK Sheet1: row 3 is hidden in the sheet (by hand, by a filter or by the sheet's settings), and read like every other row; to leave a country out, delete its row, or copy the rows you want to a sheet of their own and give it with --sheet",
        "BOOK Sheet1: column B (`country`) is hidden in the sheet, and read like every other column; to leave a field out, delete its column",
    ];
    for path in hidden_books(dir.path()) {
        let file = path.display().to_string();
        let warnings: Vec<String> = (warnings_of(&path).iter())
            .map(|w| w.replace(&file, "BOOK"))
            .collect();
        assert_eq!(warnings, expected, "{file}");
        let name = path.file_name().unwrap().to_str().unwrap();
        let read = sheet_rows(name, &std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            rows_of(read),
            [
                "1: id,country,patent_examiners",
                "2: a,UGA,12",
                "3: b,KEN,3"
            ],
            "{file}"
        );
    }
}

#[test]
fn an_xls_s_hidden_rows_and_columns_are_its_sheet_s_in_calamine_s_order() {
    let bytes = profiles_book()
        .record(0x0208, &xls_row(1, true))
        .record(0x0208, &xls_row(2, false))
        .record(0x007D, &xls_columns(2, 3, true))
        .record(0x007D, &xls_columns(0, 1, false))
        .bytes();
    let (outcome, hidden) = scan_xls_sheets(&bytes, 64 << 20);
    assert_eq!(outcome, Ok(()));
    assert_eq!(hidden.len(), 1);
    assert_eq!(hidden[0].rows.ranges, vec![(1..2)]);
    assert_eq!(hidden[0].columns.ranges, vec![(2..4)]);
    // A sheet listed twice (each read by calamine): one entry each, in order.
    let twice = XlsBook {
        again: 1,
        ..profiles_book().record(0x0208, &xls_row(2, true))
    };
    let (_, hidden) = scan_xls_sheets(&twice.bytes(), 64 << 20);
    assert_eq!(hidden.len(), 2);
    // Records cut short are passed over, not read past their end.
    for cut in [0, 1, 2, 3, 8, 12] {
        let bytes = profiles_book()
            .record(0x0208, &xls_row(2, true)[..cut])
            .record(0x007D, &xls_columns(1, 1, true)[..cut.min(9)])
            .bytes();
        let (_, hidden) = scan_xls_sheets(&bytes, 64 << 20);
        assert!(hidden.iter().all(|h| h.rows.ranges.len() <= 1));
    }
}

/// A DEFAULTROWHEIGHT record's body: its options (fDyZero 0x0002: rows hidden by default) and
/// the default height in twips (with fDyZero, the height a row takes when shown).
fn xls_default_rows(options: u16, height: u16) -> Vec<u8> {
    [options.to_le_bytes(), height.to_le_bytes()].concat()
}

/// Excel's "hide unused rows" was not seen in an .xls: DEFAULTROWHEIGHT's fDyZero hides every
/// row without a ROW record of its own, and a data row written without one was read with no
/// word.
#[test]
fn an_xls_s_rows_hidden_by_default_are_those_without_a_row_record() {
    let hidden_rows = |book: XlsBook| {
        let (outcome, hidden) = scan_xls_sheets(&book.bytes(), 64 << 20);
        assert_eq!(outcome, Ok(()));
        hidden[0].rows.clone().merged().ranges
    };
    // As LibreOffice writes it (fDyZero, 300 twips when shown), rows 1 and 2 described and
    // shown, row 3 without a ROW record.
    let hiding = || {
        profiles_book()
            .record(0x0225, &xls_default_rows(0x0002, 300))
            .record(0x0208, &xls_row(0, false))
            .record(0x0208, &xls_row(1, false))
    };
    assert_eq!(hidden_rows(hiding()), vec![(2..65_536)]);
    // A row described as hidden stays hidden; one described as shown is shown.
    let described = hiding()
        .record(0x0208, &xls_row(2, false))
        .record(0x0208, &xls_row(4, true));
    assert_eq!(hidden_rows(described), vec![(3..65_536)]);
    // A default height of zero hides too (LibreOffice reads it so), any other does not.
    let zero_high = profiles_book()
        .record(0x0225, &xls_default_rows(0x0000, 0))
        .record(0x0208, &xls_row(0, false));
    assert_eq!(hidden_rows(zero_high), vec![(1..65_536)]);
    let plain = profiles_book()
        .record(0x0225, &xls_default_rows(0x0000, 255))
        .record(0x0208, &xls_row(0, false));
    assert!(hidden_rows(plain).is_empty());
    // A record cut short is passed over.
    let cut = profiles_book().record(0x0225, &[0x02]);
    assert!(hidden_rows(cut).is_empty());
    // Warned of as rows hidden by hand are, and every row still read.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unused.xls");
    std::fs::write(&path, hiding().bytes()).unwrap();
    assert_eq!(
        warnings_of(&path),
        [format!(
            "{} Sheet1: row 3 is hidden in the sheet (by hand, by a filter or by the sheet's settings), and read like every other row; to leave a country out, delete its row, or copy the rows you want to a sheet of their own and give it with --sheet",
            path.display()
        )]
    );
    let read = sheet_rows("unused.xls", &hiding().bytes()).unwrap();
    assert_eq!(read.len(), 3);
    // Every data row described, as Excel and LibreOffice write them: no warning.
    std::fs::write(&path, hiding().record(0x0208, &xls_row(2, false)).bytes()).unwrap();
    assert!(warnings_of(&path).is_empty());
}

/// `zeroHeight` (Excel's "hide unused rows") hides the rows a sheet part does not write: a row
/// written, with or without a height of its own, is shown unless it says `hidden` (Excel
/// writes its shown rows so, and LibreOffice shows them). A cell is always in a written row,
/// so no row read is hidden by default; only the rows hidden by hand are named.
#[test]
fn an_xlsx_s_rows_hidden_by_default_are_the_rows_it_does_not_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unused.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Profiles").unwrap();
    sheet.write_string(0, 0, "country").unwrap();
    for (row, country) in ["MWI", "UGA", "KEN"].iter().enumerate() {
        sheet.write_string(row as u32 + 1, 0, *country).unwrap();
    }
    sheet.set_row_height(1, 20).unwrap();
    sheet.set_row_hidden(3).unwrap();
    // An empty row shown among the hidden ones, as Excel's "hide unused rows" keeps it.
    sheet.set_row_height(6, 15).unwrap();
    sheet.hide_unused_rows(true);
    book.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let xml = std::io::read_to_string(archive.by_name("xl/worksheets/sheet1.xml").unwrap());
    assert!(xml.unwrap().contains(r#"zeroHeight="1""#));
    let hidden = |bytes: &[u8]| {
        let mut parts = check_xlsx_parts(bytes, "unused.xlsx").unwrap();
        let scan = parts.remove("xl/worksheets/sheet1.xml").unwrap();
        scan.hidden.rows.merged().ranges
    };
    assert_eq!(hidden(&bytes), [3..6, 7..EXCEL_ROWS]);
    assert_eq!(
        warnings_of(&path),
        [format!(
            "{} Profiles: row 4 is hidden in the sheet (by hand, by a filter or by the sheet's settings), and read like every other row; to leave a country out, delete its row, or copy the rows you want to a sheet of their own and give it with --sheet",
            path.display()
        )]
    );
    // LibreOffice writes `true`; without the attribute, no row is hidden by default.
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace(r#"zeroHeight="1""#, r#"zeroHeight="true""#)
    });
    assert_eq!(
        hidden(&std::fs::read(&path).unwrap()),
        [3..6, 7..EXCEL_ROWS]
    );
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace(r#" zeroHeight="true""#, "")
    });
    assert_eq!(hidden(&std::fs::read(&path).unwrap()), vec![(3..4)]);
}

/// A row given a height of zero of its own is drawn as nothing, as a hidden row is (a program
/// that writes `ht="0" customHeight="1"` hides rows so); a zero height alone, or a height of
/// its own above zero, is not.
#[test]
fn an_xlsx_row_of_zero_height_is_named_as_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Profiles").unwrap();
    sheet.write_string(0, 0, "country").unwrap();
    for (row, country) in ["MWI", "UGA", "KEN", "TZA"].iter().enumerate() {
        sheet.write_string(row as u32 + 1, 0, *country).unwrap();
        sheet.set_row_height(row as u32 + 1, 20).unwrap();
    }
    book.save(&path).unwrap();
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        let own = |row: u32| format!(r#"<row r="{row}" spans="1:1" ht="20.25" customHeight="1">"#);
        (xml.replacen(&own(2), r#"<row r="2" ht="0" customHeight="1">"#, 1))
            .replacen(&own(4), r#"<row r="4" customHeight="true" ht=" 0.0 ">"#, 1)
            .replacen(&own(5), r#"<row r="5" ht="0">"#, 1)
    });
    let xml = {
        let bytes = std::fs::read(&path).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        std::io::read_to_string(archive.by_name("xl/worksheets/sheet1.xml").unwrap()).unwrap()
    };
    assert!(xml.contains(r#"<row r="5" ht="0">"#), "{xml}");
    assert_eq!(
        warnings_of(&path),
        [format!(
            "{} Profiles: rows 2 and 4 are hidden in the sheet (by hand, by a filter or by the sheet's settings), and read like every other row; to leave a country out, delete its row, or copy the rows you want to a sheet of their own and give it with --sheet",
            path.display()
        )]
    );
}

/// A column given a width of zero of its own is drawn as nothing, as a hidden column is; a zero
/// width alone is not (as for rows, above).
#[test]
fn an_xlsx_column_of_zero_width_is_named_as_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("narrow.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Profiles").unwrap();
    for (column, field) in ["id", "country", "ip_strategy", "ldc_status"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *field).unwrap();
        sheet.write_string(1, column as u16, "x").unwrap();
        // Widths that differ: equal ones are written as one range.
        sheet
            .set_column_width(column as u16, 12 + column as u16)
            .unwrap();
    }
    book.save(&path).unwrap();
    rewrite_part(&path, "xl/worksheets/sheet1.xml", |xml| {
        let own = |column: u32| {
            let start = format!(r#"<col min="{column}" max="{column}" width=""#);
            let at = xml.find(&start).unwrap();
            let end = at + xml[at..].find("/>").unwrap() + 2;
            xml[at..end].to_string()
        };
        let (b, c, d) = (own(2), own(3), own(4));
        (xml.replacen(&b, r#"<col min="2" max="2" width="0" customWidth="1"/>"#, 1))
            .replacen(
                &c,
                r#"<col min="3" max="3" width=" 0.0 " customWidth="true"/>"#,
                1,
            )
            .replacen(&d, r#"<col min="4" max="4" width="0"/>"#, 1)
    });
    assert_eq!(
        warnings_of(&path),
        [format!(
            "{} Profiles: columns B (`country`) and C (`ip_strategy`) are hidden in the sheet, and read like every other column; to leave a field out, delete its column",
            path.display()
        )]
    );
}

#[test]
fn ranges_named_again_and_again_stay_as_few_as_the_rows_they_cover() {
    let mut ranges = Ranges::default();
    for _ in 0..100_000 {
        for row in [5, 1, 3] {
            ranges.add(row..row + 1);
        }
    }
    assert!(
        ranges.ranges.len() <= 2 * 256 + 3,
        "{}",
        ranges.ranges.len()
    );
    let ranges = ranges.merged();
    assert_eq!(ranges.ranges, [1..2, 3..4, 5..6]);
    assert!(ranges.contains(1) && ranges.contains(3) && ranges.contains(5));
    assert!(!ranges.contains(0) && !ranges.contains(2) && !ranges.contains(6));
    assert!(!ranges.contains(u64::MAX));
    // Rows one by one, as a file lists them: one range.
    let mut rows = Ranges::default();
    for row in 0..65_536 {
        rows.add(row..row + 1);
    }
    rows.add(7..7);
    rows.add(10..20);
    assert_eq!(rows.merged().ranges, vec![(0..65_536)]);
    // Every other row: as many ranges as rows hidden, no more.
    let mut alternate = Ranges::default();
    for _ in 0..3 {
        for row in (0..65_536).step_by(2) {
            alternate.add(row..row + 1);
        }
    }
    assert!(alternate.ranges.len() <= 2 * 32_768);
    assert_eq!(alternate.merged().ranges.len(), 32_768);
}

#[test]
fn no_change_to_an_ods_s_rows_and_columns_makes_the_count_panic_or_run_long() {
    let content = [
        r#"<table:table-column table:number-columns-repeated="2"/>"#,
        r#"<table:table-column table:visibility="collapse" table:number-columns-repeated="16382"/>"#,
        &ods_row("", &["id", "country"]),
        &ods_row(
            r#"table:visibility="collapse" table:number-rows-repeated="2""#,
            &["a", "UGA"],
        ),
        r#"<table:table-row table:visibility="filter" table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
    ]
    .concat();
    let started = std::time::Instant::now();
    for at in 0..content.len() {
        if !content.is_char_boundary(at) {
            continue;
        }
        let (before, after) = content.split_at(at);
        let rest = after.get(1..).unwrap_or_default();
        for replaced in ["", "9", "99999999999", "\"", "<", "-"] {
            let changed = format!("{before}{replaced}{rest}");
            let (_, tally) = scan_ods(&ods(&changed), 64 << 20);
            for (_, layout) in tally.sheets {
                assert!(layout.hidden.rows.ranges.len() <= 3);
                assert!(layout.hidden.columns.ranges.len() <= 3);
            }
        }
        let _ = scan_ods(&ods(before), 64 << 20);
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}
