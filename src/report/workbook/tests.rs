//! Unit tests of `src/workbook.rs`: sheets that go on past a page, cells too long for a
//! workbook, and what each sheet holds, read back with calamine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::catalog::index::Snippet;
use crate::scoring::{Evidence, Reason};
use calamine::{Data, Reader, Xlsx};

fn catalog() -> Catalog {
    Catalog::load(None).unwrap()
}

/// Results for every program of `catalog`: program `first` best, then the others in catalog
/// order, each with one reason labelled `label`.
fn results(catalog: &Catalog, first: usize, label: &str) -> Vec<ProgramScore> {
    let mut order: Vec<usize> = vec![first];
    order.extend((0..catalog.programs.len()).filter(|&p| p != first));
    order
        .iter()
        .enumerate()
        .map(|(rank, &program)| ProgramScore {
            rank: rank + 1,
            program,
            score: 90.0 - 5.0 * rank as f64,
            points: 3.0,
            reasons: vec![Reason {
                need: "need".into(),
                label: label.into(),
                weight: 2.0,
                points: 1.25,
                relevance: 1.0,
                answers: vec![Evidence {
                    field: "ip_strategy".into(),
                    value: "none".into(),
                    prefilled: false,
                }],
                rules: vec![],
                matched: Some(Snippet {
                    field: "objectives".into(),
                    line: 0,
                    text: "=a line that looks like a formula".into(),
                    highlights: vec![],
                    line_start: 0,
                }),
            }],
        })
        .collect()
}

/// Writes `rows` countries with `rows_per_page` and reads the workbook back.
fn written(
    rows: usize,
    rows_per_page: u32,
    label: &str,
) -> Result<Xlsx<std::io::BufReader<std::fs::File>>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    write_book(&path, rows, rows_per_page, label)?;
    Ok(calamine::open_workbook(&path).unwrap())
}

/// Writes `rows` countries with `rows_per_page` to `path`.
fn write_book(path: &Path, rows: usize, rows_per_page: u32, label: &str) -> Result<()> {
    let catalog = catalog();
    let mut book = Writer::new(&catalog, catalog.programs.len())?;
    book.set_rows_per_page(rows_per_page);
    for n in 0..rows {
        let results = results(&catalog, n % catalog.programs.len(), label);
        book.add(
            &Row::new(
                &format!("c{n}"),
                "UGA",
                "Africa",
                &results,
                // The reasons of the top three: a few pages of each sheet.
                3,
            )
            .named(Some("Uganda")),
        )?;
    }
    let mut out = crate::io::output::Destination::create(Some(path))?;
    let about = About {
        input: "in.csv",
        as_of: "2026-06-01".into(),
        countries: "c.csv",
        questionnaire_id: "q",
        questionnaire_version: "1",
        scored: rows as u64,
        not_scored: &Default::default(),
    };
    book.finish(&about, &mut out)?;
    out.finish()
}

/// The Planning rows are counted on every page of the sheet: counted on the first page only,
/// a workbook of many countries would read as one whose rows a planner deleted.
#[test]
fn a_planning_sheet_over_several_pages_is_replaced_when_nobody_filled_it_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    write_book(&path, 5, 2, "need").unwrap();
    let names = calamine::open_workbook::<Xlsx<_>, _>(&path)
        .unwrap()
        .sheet_names();
    assert!(names.iter().any(|n| n == "Planning (2)"), "{names:?}");
    assert!(refuse_to_replace_work(&path, false, &catalog()).is_ok());
}

#[test]
fn a_sheet_goes_on_on_a_new_page_when_one_is_full() {
    let mut book = written(5, 2, "need").unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Results",
            "Results (2)",
            "Results (3)",
            "Heat map",
            "Heat map (2)",
            "Heat map (3)",
            // The reasons of each country's top 3 programs, one each: 15, 2 a page.
        ]
        .iter()
        .map(|s| s.to_string())
        .chain((1..=8).map(|n| {
            if n == 1 {
                "Reasons".to_string()
            } else {
                format!("Reasons ({n})")
            }
        }))
        .chain((1..=8).map(|n| if n == 1 {
            "Planning".to_string()
        } else {
            format!("Planning ({n})")
        }))
        .chain(["About".to_string()])
        .collect::<Vec<_>>()
    );
    // Each page has its header and its own rows, in order.
    let last = book.worksheet_range("Results (3)").unwrap();
    assert_eq!(last.get((0, 0)), Some(&Data::String("id".into())));
    assert_eq!(last.get((1, 0)), Some(&Data::String("c4".into())));
    assert_eq!(last.height(), 2);
    let second = book.worksheet_range("Heat map (2)").unwrap();
    assert_eq!(second.get((1, 0)), Some(&Data::String("c2".into())));
    assert_eq!(second.get((2, 0)), Some(&Data::String("c3".into())));
}

#[test]
fn sheets_hold_scores_reasons_and_planning() {
    let catalog = catalog();
    let mut book = written(2, WORKSHEET_DATA_ROWS, "Examination backlog").unwrap();
    let results = book.worksheet_range("Results").unwrap();
    // Country c1's best program is the catalog's second.
    assert_eq!(
        results.get((2, 4)),
        Some(&Data::String(catalog.programs[1].id.clone()))
    );
    assert_eq!(results.get((2, 5)), Some(&Data::Float(90.0)));
    let heat = book.worksheet_range("Heat map").unwrap();
    assert_eq!(
        heat.get((0, 4)),
        Some(&Data::String(catalog.programs[0].id.clone()))
    );
    // c1: program 2 first (90), program 1 second (85).
    assert_eq!(heat.get((2, 5)), Some(&Data::Float(90.0)));
    assert_eq!(heat.get((2, 4)), Some(&Data::Float(85.0)));
    let styles = book.worksheet_style("Heat map").unwrap();
    let star = |row: u32, column: u32| {
        styles
            .get((row, column))
            .and_then(|s| s.number_format.as_ref())
            .is_some_and(|f| f.format_code.contains('★'))
    };
    // The top 3 of c1 are programs 2, 1 and 3; program 4 is not.
    assert!(star(2, 5) && star(2, 4) && star(2, 6));
    assert!(!star(2, 7));
    let reasons = book.worksheet_range("Reasons").unwrap();
    assert_eq!(
        reasons.get((1, 5)),
        Some(&Data::String("Examination backlog".into()))
    );
    assert_eq!(reasons.get((1, 6)), Some(&Data::Float(1.3)));
    assert_eq!(
        reasons.get((1, 7)),
        Some(&Data::String("ip_strategy = none".into()))
    );
    assert_eq!(
        reasons.get((1, 9)),
        Some(&Data::String("=a line that looks like a formula".into()))
    );
    let planning = book.worksheet_range("Planning").unwrap();
    // Two countries, three programs each.
    assert_eq!(planning.height(), 7);
    let activities = match planning.get((1, 6)) {
        Some(Data::String(text)) => text.clone(),
        other => panic!("activities: {other:?}"),
    };
    assert!(activities.starts_with("• "), "{activities}");
    // The row is as tall as its activities or outcomes, wrapped in their own columns (c0's
    // first program is the catalog's first).
    let program = &catalog.programs[0];
    let lines = |text: &[String], header: &str| {
        let column = planning_columns().into_iter().find(|c| c.header == header);
        wrapped_lines(&bullets(text), column.unwrap().width)
    };
    let tallest = lines(&program.activities, "activities the country can request")
        .max(lines(&program.outcomes, "expected outcomes"));
    assert!(tallest > 3, "{tallest} lines");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    write_book(&path, 2, WORKSHEET_DATA_ROWS, "need").unwrap();
    let sheet = {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut xml = String::new();
        let mut part = archive.by_name("xl/worksheets/sheet4.xml").unwrap();
        std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
        xml
    };
    let height = format!("<row r=\"2\" ht=\"{}\"", row_height(tallest));
    assert!(sheet.contains(&height), "no {height} in {sheet}");
    assert!(activities.contains(catalog.programs[0].activities[0].trim()));
    assert_eq!(
        planning.get((0, 8)),
        Some(&Data::String("responsible".into()))
    );
    assert_eq!(planning.get((1, 8)), Some(&Data::Empty));
    // Every sheet names the country, not only by its code.
    for sheet in ["Results", "Heat map", "Reasons", "Planning"] {
        let range = book.worksheet_range(sheet).unwrap();
        assert_eq!(
            (range.get((0, 2)), range.get((1, 2))),
            (
                Some(&Data::String("country name".into())),
                Some(&Data::String("Uganda".into()))
            ),
            "{sheet}"
        );
    }
}

#[test]
fn a_text_too_long_for_a_cell_is_an_error_naming_the_cell_and_column() {
    let label = "x".repeat(WORKSHEET_CELL_CHARS + 1);
    let error = written(1, WORKSHEET_DATA_ROWS, &label)
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("Reasons!F2 (column `need`)"), "{error}");
    assert!(error.contains("32767"), "{error}");
}

#[test]
fn cell_length_counts_utf16_units() {
    assert!(fits_in_cell(&"é".repeat(WORKSHEET_CELL_CHARS)));
    // An emoji is two UTF-16 units.
    assert!(!fits_in_cell(&"😀".repeat(WORKSHEET_CELL_CHARS / 2 + 1)));
    assert!(fits_in_cell(&"😀".repeat(WORKSHEET_CELL_CHARS / 2)));
}

#[test]
fn a_line_filled_exactly_still_counts_the_words_after_it() {
    // Width 10: 12 characters a line. "aaaaaaaaaaa " fills the first line to its last
    // character, so "b" is on a second line (before, the count went back to an empty
    // line and said 1, and the About sheet's long values overlapped the row below).
    assert_eq!(wrapped_lines("aaaaaaaaaaa b", 10.0), 2);
    assert_eq!(wrapped_lines("aaaaaaaaaaa bbbbbbbbbbb c", 10.0), 3);
    assert_eq!(wrapped_lines("short", 10.0), 1);
    // A word of 25 characters breaks over 3 lines; the next word fits after its end.
    assert_eq!(wrapped_lines(&format!("{} b", "a".repeat(25)), 10.0), 3);
    assert_eq!(wrapped_lines("a\nb", 10.0), 2);
}

#[test]
fn the_about_sheet_catalog_source_gets_a_row_tall_enough() {
    let source = "WIPO, information document for CDIP prepared at the request of the first CDIP session (March 2008): menu of options of technical assistance programs relating to recommendation 10";
    assert_eq!(wrapped_lines(source, ABOUT_WIDTH), 2);
}

/// A wide sheet printed over pages across breaks only between a rank's program and the next
/// rank, each page within the width that keeps it readable, the naming columns repeated.
#[test]
fn printed_pages_never_part_a_program_from_its_score() {
    let columns = identified(
        true,
        (1..=12).flat_map(|rank| {
            [
                column(format!("rank {rank} program"), 26.0),
                column(format!("rank {rank} score"), 8.0).with_previous(),
            ]
        }),
    );
    let naming = usize::from(NAMING_COLUMNS);
    let breaks = page_breaks(&columns, naming);
    assert!(breaks.len() >= 2, "{breaks:?}");
    let mut starts = vec![0];
    starts.extend(breaks.iter().map(|&b| b as usize));
    for (n, &start) in starts.iter().enumerate() {
        let header = &columns[start].header;
        assert!(
            start == 0 || header.ends_with("program"),
            "page starts at {header}"
        );
        let end = starts.get(n + 1).copied().unwrap_or(columns.len());
        // The country's code and name are repeated, not its id.
        let repeated: f64 = match n {
            0 => 0.0,
            _ => columns[1..naming].iter().map(|c| c.width).sum(),
        };
        let width: f64 = repeated + columns[start..end].iter().map(|c| c.width).sum::<f64>();
        assert!(width <= SPLIT_PAGE_WIDTH, "page {n} is {width} wide");
    }
    // A sheet with no kept columns breaks wherever the width says.
    let plain: Vec<Column> = (0..10).map(|n| column(format!("c{n}"), 40.0)).collect();
    assert_eq!(page_breaks(&plain, 0), vec![3, 6, 9]);
}

/// The width a sheet's first column is given in the workbook at `path`.
fn first_column_width(path: &Path, sheet_part: &str) -> f64 {
    let file = std::fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(sheet_part).unwrap(), &mut xml).unwrap();
    let col = &xml[xml.find("<col min=\"1\"").unwrap()..];
    let width = &col[col.find("width=\"").unwrap() + 7..];
    width[..width.find('"').unwrap()].parse().unwrap()
}

/// A survey tool's submission UUID is the id a KoboToolbox export gives each country: cut to
/// its first 14 characters, two countries' ids looked alike. The column fits the longest id,
/// up to a UUID's first four groups.
#[test]
fn the_id_column_is_as_wide_as_the_longest_id() {
    let catalog = catalog();
    let dir = tempfile::tempdir().unwrap();
    let book_at = |id: &str| {
        let path = dir.path().join(format!("{}.xlsx", id.len()));
        let mut book = Writer::new(&catalog, 3).unwrap();
        let results = results(&catalog, 0, "need");
        book.add(&Row::new(id, "UGA", "Africa", &results, 3))
            .unwrap();
        let mut out = crate::io::output::Destination::create(Some(&path)).unwrap();
        let about = About {
            input: "in.csv",
            as_of: "2026-06-01".into(),
            countries: "",
            questionnaire_id: "q",
            questionnaire_version: "1",
            scored: 1,
            not_scored: &Default::default(),
        };
        book.finish(&about, &mut out).unwrap();
        out.finish().unwrap();
        path
    };
    let uuid = book_at("0b5c1c02-2f9e-4c2e-9a3e-8e0f3b6f2a11");
    let named = book_at("uganda-2021-survey");
    let short = book_at("c1");
    // (A spreadsheet's width adds a little padding to the characters asked for.)
    for part in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet4.xml"] {
        let width = |path: &Path| first_column_width(path, part).round();
        assert_eq!(
            (width(&short), width(&named), width(&uuid)),
            (15.0, 20.0, 25.0),
            "{part}"
        );
    }
}

/// A results workbook written before the sheets named countries (its Planning sheet without
/// the `country name` column) is still checked before it is replaced: what a planner typed in
/// it is found, in its own columns.
#[test]
fn a_workbook_from_before_the_country_name_column_is_still_checked() {
    let catalog = catalog();
    let dir = tempfile::tempdir().unwrap();
    let write = |typed: Option<&str>| {
        let path = dir.path().join(format!("{}.xlsx", typed.is_some()));
        let mut book = rust_xlsxwriter::Workbook::new();
        for name in ["Results", "Heat map", "Reasons"] {
            book.add_worksheet().set_name(name).unwrap();
        }
        let planning = book.add_worksheet().set_name("Planning").unwrap();
        for (n, header) in planning_headers(false).iter().enumerate() {
            planning.write_string(0, n as u16, header).unwrap();
        }
        let program = &catalog.programs[0];
        let row = [
            "c1".to_string(),
            "UGA".to_string(),
            "1".to_string(),
            program.id.clone(),
            "90".to_string(),
            bullets(&program.activities),
            bullets(&program.outcomes),
        ];
        for (n, text) in row.iter().enumerate() {
            planning.write_string(1, n as u16, text).unwrap();
        }
        if let Some(typed) = typed {
            planning.write_string(1, row.len() as u16, typed).unwrap();
        }
        let about = book.add_worksheet().set_name("About").unwrap();
        about.write_string(0, 0, VERSION_LABEL).unwrap();
        book.save(&path).unwrap();
        path
    };
    assert!(refuse_to_replace_work(&write(None), false, &catalog).is_ok());
    let error = refuse_to_replace_work(&write(Some("Ms. Otieno")), false, &catalog)
        .unwrap_err()
        .to_string();
    assert!(error.contains("Planning!H2 `Ms. Otieno`"), "{error}");
}
