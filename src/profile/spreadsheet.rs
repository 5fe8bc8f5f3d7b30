//! Profiles from workbooks (`.xlsx`, `.xlsm`, `.xls`, `.ods`), read with calamine.
//!
//! A sheet's rows become the same [`Record`]s a CSV gives (each cell's text as a person reads
//! it: `12` not `12.0`, dates `YYYY-MM-DD`, yes/no), numbered by their sheet row, so the rest
//! of the pipeline (fast path included) works unchanged. calamine reads a whole sheet at once,
//! so a sheet is held in memory, bounded by `IPNEEDS_MAX_WORKBOOK_BYTES`; what a small file can
//! expand to (an `.ods`'s repeated rows and cells, an `.xlsx`'s shared strings, an `.xls`'s
//! sheets laid out from their first to their last cell) is counted from its XML or its records
//! before calamine reads it. A formula cell with no saved value is a cell error, like
//! `#N/A`, not an empty answer.

use crate::error::{Error, Location, Result};
use crate::io::csv_records::Record;
use calamine::{Data, Reader};
use quick_xml::events::{BytesStart, Event};
use std::io::Cursor;
use std::path::Path;

/// Extensions read as workbooks (compared without case).
pub const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// A zip archive (`.xlsx`, `.xlsm`, `.ods`).
pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// An OLE compound file (`.xls`, or an encrypted `.xlsx`).
pub(crate) const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// A gzip-compressed file.
const GZIP_MAGIC: &[u8] = b"\x1F\x8B";

/// The name of a zip archive's first file, from its local header (`PK\x03\x04`, the name's
/// length at byte 26, the name from byte 30).
fn first_zip_entry(sample: &[u8]) -> Option<String> {
    if !sample.starts_with(ZIP_MAGIC) {
        return None;
    }
    let length = u16::from_le_bytes([*sample.get(26)?, *sample.get(27)?]) as usize;
    let name = sample.get(30..30 + length)?;
    Some(String::from_utf8_lossy(name).into_owned())
}

/// Memory a cell takes besides its text, counted against the limit.
const CELL_OVERHEAD: u64 = 16;

/// Whether `path` is read as a workbook (by its extension).
pub fn is_workbook(path: &Path) -> bool {
    crate::io::input::has_extension(path, &EXTENSIONS)
}

/// Refuses a workbook's bytes given as CSV (a `.csv` name, or standard input).
pub fn refuse_workbook_bytes(sample: &[u8], origin: &str) -> Result<()> {
    refuse_compressed_text(sample, origin)?;
    let kind = if sample.starts_with(ZIP_MAGIC) {
        "a zip archive (an .xlsx or .ods workbook)"
    } else if sample.starts_with(OLE_MAGIC) {
        "an .xls workbook"
    } else {
        return Ok(());
    };
    Err(Error::input(
        Location::File(origin.to_string()),
        format!(
            "the file is {kind}, not CSV text: give the workbook's file name, ending in .xlsx, .xlsm, .xls or .ods, so it is read as a workbook, or save it from the spreadsheet as \"CSV UTF-8\""
        ),
    ))
}

/// Refuses a zip of CSV files (ODK Central's export) or a gzipped CSV, as CSV or as a
/// workbook: told to give a workbook's name, a user renamed the zip and was refused again.
fn refuse_compressed_text(sample: &[u8], origin: &str) -> Result<()> {
    let compressed = if sample.starts_with(GZIP_MAGIC) {
        "compressed with gzip: decompress it (e.g. `gunzip FILE`)".to_string()
    } else if let Some(name) = first_zip_entry(sample)
        .filter(|name| crate::io::input::has_extension(Path::new(name), &["csv", "tsv", "txt"]))
    {
        format!("a zip archive holding `{name}` (as ODK Central exports): unzip it")
    } else {
        return Ok(());
    };
    Err(Error::input(
        Location::File(origin.to_string()),
        format!("the file is {compressed}, then give the CSV file inside"),
    ))
}

/// A cell whose content cannot be read as an answer, at its place in the record: a spreadsheet
/// error (`#N/A`, `#DIV/0!`, …), or a formula whose value was never saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// The cell's place in the record, from 0.
    pub cell: usize,
    /// The error as the spreadsheet shows it (`#N/A`), or the formula (`=2+1`; empty when
    /// unknown).
    pub error: String,
    /// What is wrong with the cell.
    pub kind: CellErrorKind,
}

/// What is wrong with a [`CellError`]'s cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellErrorKind {
    /// The cell holds a spreadsheet error.
    SpreadsheetError,
    /// The cell holds a formula but no saved value: the program that wrote the workbook did not
    /// compute it (openpyxl and many generators write formulas so), so there is nothing to read.
    FormulaWithoutValue,
    /// An `.ods` cell marked as a number, date, time or yes/no (`a number`) that shows a text
    /// but stores no value: written by a program that left the value out.
    ShownWithoutValue(&'static str),
}

impl CellError {
    /// The problem the cell makes, and how to fix it.
    pub fn message(&self) -> String {
        match self.kind {
            CellErrorKind::SpreadsheetError => format!(
                "the cell holds the spreadsheet error {}: fix the formula that gives it, type the answer instead, or empty the cell if the answer is unknown",
                self.error
            ),
            CellErrorKind::FormulaWithoutValue => {
                let formula = match self.error.as_str() {
                    "" => "a formula".to_string(),
                    text => format!("the formula `{}`", crate::io::quote::printable(text, 200)),
                };
                format!(
                    "the cell holds {formula} but no saved value (the program that wrote the workbook did not compute it): open the workbook in Excel or LibreOffice Calc and save it, so its formulas' values are saved, or type the answer instead"
                )
            }
            // Not read as what it shows: LibreOffice reads the same cell as 0.
            CellErrorKind::ShownWithoutValue(marked) => format!(
                "the cell shows `{}`, but the file marks it as {marked} and stores none (the program that wrote it left the value out; LibreOffice Calc reads it as 0): type the answer into the cell again in LibreOffice Calc or Excel and save, or save the sheet as \"CSV UTF-8\"",
                crate::io::quote::printable(&self.error, 200)
            ),
        }
    }
}

/// Where a sheet's cells are, for messages: `profiles.xlsx Sheet1!D7 (column ip_strategy)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPlace {
    /// The file, as given.
    pub file: String,
    /// The sheet's name, quoted as in a formula when it needs it (`'My data'`).
    pub sheet: String,
    /// The column of the records' first cell, from 0 (A).
    pub first_column: u32,
}

impl SheetPlace {
    /// `profiles.xlsx Sheet1`.
    pub fn origin(&self) -> String {
        format!("{} {}", self.file, self.sheet)
    }

    /// `profiles.xlsx Sheet1!D7 (column ip_strategy)` for cell `position` of sheet row `row`.
    pub fn cell(&self, row: u64, position: usize, name: &str) -> String {
        self.location(row, position, name).to_string()
    }

    /// The place of cell `position` of sheet row `row`, whose column is `name` (or unnamed).
    pub fn location(&self, row: u64, position: usize, name: &str) -> crate::error::Location {
        let column = u64::from(self.first_column) + position as u64;
        crate::error::Location::Cell {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            cell: format!("{}{row}", column_letters(column)),
            column: (!name.is_empty()).then(|| name.to_string()),
        }
    }

    /// The sheet's name as the workbook writes it (unquoted).
    pub fn sheet_name(&self) -> String {
        match self
            .sheet
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
        {
            Some(quoted) => quoted.replace("''", "'"),
            None => self.sheet.clone(),
        }
    }

    /// The sheet as a whole, as a place: `profiles.xlsx Sheet1`.
    pub fn whole(&self) -> crate::error::Location {
        crate::error::Location::Sheet {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
        }
    }

    /// `profiles.xlsx Sheet1 row 7`.
    pub fn row(&self, row: u64) -> String {
        format!("{} {} row {row}", self.file, self.sheet)
    }

    /// The letters of cell `position` (`D`).
    pub fn letters(&self, position: usize) -> String {
        column_letters(u64::from(self.first_column) + position as u64)
    }
}

/// A column's letters from its number from 0: A … Z, AA, AB, …
pub fn column_letters(column: u64) -> String {
    let mut letters = Vec::new();
    let mut rest = column + 1;
    while rest > 0 {
        let digit = (rest - 1) % 26;
        letters.push(b'A' + digit as u8);
        rest = (rest - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A column's number from 0 from its letters (`A` is 0, `AA` 26), the inverse of
/// [`column_letters`]; `None` for no letters, another character, or past `u64`.
fn column_number(letters: &str) -> Option<u64> {
    let number = (letters.bytes()).try_fold(0u64, |n, letter| {
        let digit = letter.to_ascii_uppercase().checked_sub(b'A')?;
        (digit < 26).then_some(())?;
        n.checked_mul(26)?.checked_add(u64::from(digit) + 1)
    })?;
    number.checked_sub(1)
}

/// A sheet name as a formula writes it: quoted (`'` doubled) unless letters, digits and `_`.
fn quote_sheet(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// The sheet to read of a workbook, and what it holds, for messages: a workbook of grades is
/// given its sheet by another option than one of profiles.
#[derive(Clone, Copy, Debug)]
pub struct SheetChoice<'a> {
    /// The sheet asked for; `None`: the first visible worksheet.
    pub name: Option<&'a str>,
    /// What the sheet holds ("profiles"), and the option that names it ("--sheet").
    holds: &'static str,
    option: &'static str,
}

impl<'a> SheetChoice<'a> {
    /// A sheet of profiles, named by --sheet.
    pub fn profiles(name: Option<&'a str>) -> SheetChoice<'a> {
        SheetChoice {
            name,
            holds: "profiles",
            option: "--sheet",
        }
    }

    /// A sheet of `eval`'s grades, named by --grades-sheet.
    pub fn grades(name: Option<&'a str>) -> SheetChoice<'a> {
        SheetChoice {
            name,
            holds: "grades",
            option: "--grades-sheet",
        }
    }
}

/// One row of a sheet, ready to hand out.
struct SheetRow {
    /// The sheet row number, from 1.
    line: u64,
    record: Record,
    errors: Vec<CellError>,
}

/// A sheet's non-empty rows, read whole, handed out in order as records.
pub struct SheetRows {
    rows: std::vec::IntoIter<SheetRow>,
    total: usize,
    taken: usize,
    file_bytes: u64,
    place: SheetPlace,
    /// Warnings about the sheet (merged ranges), for the reader to pass on.
    warnings: Vec<String>,
    /// The workbook's other worksheets, when this one was read by default.
    other_sheets: Vec<String>,
    /// What the sheet was read for, to name the option that chooses another.
    choice: SheetChoice<'static>,
    /// The other visible worksheets' first rows, when this one was read by default.
    other_headers: SheetHeaders,
}

/// See [`SheetRows::other_sheets_hint`].
fn other_sheets_hint(others: &[String], choice: SheetChoice) -> String {
    if others.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = (others.iter().take(10))
        .map(|name| format!("`{}`", crate::io::quote::printable(name, 60)))
        .collect();
    let more = if others.len() > shown.len() {
        ", …"
    } else {
        ""
    };
    format!(
        "; the workbook's other sheets are {}{more}: give the sheet of {} with {} NAME",
        shown.join(", "),
        choice.holds,
        choice.option
    )
}

/// A cell's content as text, the spreadsheet error it holds, its formula with no saved value,
/// or the text shown in a cell marked as a number, date or yes/no whose value is missing.
#[derive(Clone, Debug, PartialEq)]
enum CellText {
    Text(String),
    Error(String),
    NoValue(String),
    /// What the cell shows, and what the file marks it as (`a number`).
    ShownWithoutValue {
        shown: String,
        marked: &'static str,
    },
}

impl CellText {
    /// The text the cell holds, whatever is wrong with it.
    fn text(&self) -> &str {
        match self {
            CellText::Text(text)
            | CellText::Error(text)
            | CellText::NoValue(text)
            | CellText::ShownWithoutValue { shown: text, .. } => text,
        }
    }
}

impl SheetRows {
    /// Reads sheet `sheet` of profiles (default: the first visible worksheet) of the workbook
    /// at `path`.
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<SheetRows> {
        SheetRows::open_choice(path, SheetChoice::profiles(sheet))
    }

    /// Reads the sheet `choice` names (default: the first visible worksheet) of the workbook
    /// at `path`.
    pub fn open_choice(path: &Path, choice: SheetChoice) -> Result<SheetRows> {
        let file = path.display().to_string();
        let bytes = read_workbook(path)?;
        let file_bytes = bytes.len() as u64;
        // A panic in calamine (a bug, on a damaged file) is an error, without the panic's report.
        let (chosen, mut cells, mut layout, other_headers) =
            crate::error::contained(|| read_cells(&bytes, &file, choice))
                .map_err(|_| damaged(&file))??;
        cells.append(&mut layout.shown_without_value);
        let place = SheetPlace {
            file,
            sheet: quote_sheet(&chosen.name),
            first_column: cells.iter().map(|c| c.1).min().unwrap_or(0),
        };
        if cells.is_empty() {
            return Err(Error::input(
                place.whole(),
                format!(
                    "the sheet is empty: expected a header row of field ids (`ipneeds template` writes one){}",
                    other_sheets_hint(&chosen.others, choice),
                ),
            ));
        }
        mark_errors(&mut cells, &layout.errors);
        let mut warnings = apply_merges(&mut cells, &layout.merges, &place)?;
        let rows = build_rows(cells, place.first_column);
        let hidden = layout.hidden;
        warnings.extend(hidden_rows_warning(&rows, hidden.rows.merged(), &place));
        warnings.extend(hidden_columns_warning(
            &rows,
            hidden.columns.merged(),
            &place,
        ));
        Ok(SheetRows {
            total: rows.len(),
            rows: rows.into_iter(),
            taken: 0,
            file_bytes,
            place,
            warnings,
            other_sheets: chosen.others,
            choice: SheetChoice {
                name: None,
                ..choice
            },
            other_headers,
        })
    }

    /// The other visible worksheets' first rows, when this one was read by default.
    pub fn other_headers(&self) -> &[(String, Vec<String>)] {
        &self.other_headers
    }

    /// "; the workbook's other sheets are `A`, `B`: give the one of profiles with --sheet NAME"
    /// when this sheet was read by default and others exist, else "".
    pub fn other_sheets_hint(&self) -> String {
        other_sheets_hint(&self.other_sheets, self.choice)
    }

    /// The warnings about the sheet (merged ranges read), once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// Where the cells are, for messages.
    pub fn place(&self) -> &SheetPlace {
        &self.place
    }

    /// The next row into `record` and `errors`; its sheet row number, or `None` at the end.
    pub fn read(&mut self, record: &mut Record, errors: &mut Vec<CellError>) -> Option<u64> {
        let mut row = self.rows.next()?;
        self.taken += 1;
        std::mem::swap(record, &mut row.record);
        std::mem::swap(errors, &mut row.errors);
        Some(row.line)
    }

    /// The share of the file read so far, in bytes (for progress).
    pub fn position(&self) -> u64 {
        if self.total == 0 {
            return self.file_bytes;
        }
        (self.file_bytes as u128 * self.taken as u128 / self.total as u128) as u64
    }
}

/// An .xlsx file's bytes, read only after the checks that keep a small crafted file from
/// taking gigabytes when calamine opens it (see [`check_xlsx_parts`]).
pub(crate) fn checked_xlsx_bytes(path: &Path) -> Result<Vec<u8>> {
    let bytes = read_workbook(path)?;
    let file = crate::io::input::origin(path);
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(Error::input(Location::File(file), "not an .xlsx workbook"));
    }
    check_xlsx_parts(&bytes, &file)?;
    Ok(bytes)
}

/// The workbook's bytes, refused over the limit.
fn read_workbook(path: &Path) -> Result<Vec<u8>> {
    crate::io::input::read_bytes(
        path,
        &crate::io::limits::WORKBOOK_BYTES,
        ": a workbook is read whole into memory; for more rows, save the sheet as \"CSV UTF-8\" (a CSV streams, with no size limit)",
    )
}

/// A cell: sheet row and column (from 0), content.
type SheetCell = (u32, u32, CellText);

/// The chosen sheet's name, its non-empty cells and its layout, and the headers of the other
/// visible sheets when it was chosen by default.
type SheetCells = (Chosen, Vec<SheetCell>, SheetLayout, SheetHeaders);

/// What a sheet shows beyond its cells' values, which calamine reads but does not apply.
#[derive(Clone, Debug, Default)]
struct SheetLayout {
    /// Merged ranges: one value shown over many cells.
    merges: Vec<calamine::Dimensions>,
    /// Cells holding a spreadsheet error that the file stores as their text (LibreOffice's
    /// `.ods`: `#N/A` as a string marked `calcext:value-type="error"`), which calamine reads as
    /// text: each a row and a range of columns.
    errors: Vec<(u32, std::ops::Range<u32>)>,
    /// `.ods` cells marked as a number, date, time or yes/no that show a text but store no
    /// value (calamine reads them as empty), at their places: refused, not read as empty.
    shown_without_value: Vec<SheetCell>,
    /// Rows and columns hidden: a person does not see them, but they are read.
    hidden: Hidden,
}

/// A sheet's rows hidden by hand, by a filter or by default, and its columns hidden (from 0).
#[derive(Clone, Debug, Default)]
struct Hidden {
    rows: Ranges,
    columns: Ranges,
}

/// Rows or columns (from 0), as ranges. Sorted and merged each time they double, so that a
/// file naming the same few rows again and again (or one by one) holds no more ranges than
/// the sheet has rows.
#[derive(Clone, Debug, Default)]
struct Ranges {
    ranges: Vec<std::ops::Range<u32>>,
    /// How many there were when last merged.
    merged: usize,
}

impl Ranges {
    fn add(&mut self, range: std::ops::Range<u32>) {
        if range.is_empty() {
            return;
        }
        // Rows come in order: the one after the last range extends it.
        if let Some(last) = (self.ranges.last_mut()).filter(|last| last.start <= range.start) {
            if range.start <= last.end {
                last.end = last.end.max(range.end);
                return;
            }
        }
        self.ranges.push(range);
        if self.ranges.len() > 2 * self.merged.max(256) {
            self.merge();
        }
    }

    fn merge(&mut self) {
        self.ranges.sort_unstable_by_key(|range| range.start);
        let mut merged: Vec<std::ops::Range<u32>> = Vec::with_capacity(self.ranges.len());
        for range in self.ranges.drain(..) {
            match merged.last_mut() {
                Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                _ => merged.push(range),
            }
        }
        self.merged = merged.len();
        self.ranges = merged;
    }

    /// The rows or columns from 0 to `end` that none of the ranges covers.
    fn gaps(self, end: u32) -> Ranges {
        let mut gaps = Ranges::default();
        let mut next = 0;
        for range in self.merged().ranges {
            gaps.add(next..range.start.min(end));
            next = next.max(range.end);
        }
        gaps.add(next..end);
        gaps
    }

    /// Sorted and merged, to be looked up.
    fn merged(mut self) -> Ranges {
        self.merge();
        self
    }

    /// Whether `at` is in one of the ranges (merged first).
    fn contains(&self, at: u64) -> bool {
        let Ok(at) = u32::try_from(at) else {
            return false;
        };
        let after = self.ranges.partition_point(|range| range.start <= at);
        after > 0
            && self
                .ranges
                .get(after - 1)
                .is_some_and(|range| at < range.end)
    }
}

/// The sheet read: its name, and the workbook's other worksheets when it was read by default
/// (no `--sheet`), for a message when it holds no profiles.
struct Chosen {
    name: String,
    others: Vec<String>,
    /// The other visible worksheets (read by default only), whose headers are looked at: a
    /// second sheet of profiles makes the default a guess.
    visible_others: Vec<String>,
}

/// Each of `sheets` with its first non-empty row's texts (the header a sheet of profiles has).
type SheetHeaders = Vec<(String, Vec<String>)>;

/// The texts of the first non-empty row among `cells` (in row order).
fn first_row_texts(cells: impl IntoIterator<Item = SheetCell>) -> Vec<String> {
    let mut first = None;
    let mut texts = Vec::new();
    for (row, _, text) in cells {
        if *first.get_or_insert(row) != row {
            break;
        }
        if let CellText::Text(text) = text {
            texts.push(text);
        }
    }
    texts
}

/// The chosen sheet's name, its non-empty cells and its merged ranges.
fn read_cells(bytes: &[u8], file: &str, sheet: SheetChoice) -> Result<SheetCells> {
    refuse_compressed_text(bytes, file)?;
    let cursor = Cursor::new(bytes);
    let not_a_workbook = |detail: String| {
        Error::input(
            Location::File(file.to_string()),
            format!(
                "the file is not a workbook its extension names ({detail}): save it again from the spreadsheet, or, if it is CSV text, rename it to .csv"
            ),
        )
    };
    if bytes.starts_with(OLE_MAGIC) {
        // calamine does not report hidden rows and columns: found while the records are
        // counted, for every sheet, in calamine's order of sheets.
        let hidden = check_xls_size(bytes, file)?;
        return whole_sheet::<calamine::Xls<_>>(cursor, file, sheet, false, |book, name| {
            let merges = (book.merge_cells_by_sheet_name(name))
                .map_err(|e| unreadable(file, &e.to_string()))?;
            let at = book.sheet_names().iter().position(|sheet| sheet == name);
            let hidden = (at.and_then(|at| hidden.into_iter().nth(at))).unwrap_or_default();
            Ok(SheetLayout {
                merges,
                hidden,
                errors: Vec::new(),
                shown_without_value: Vec::new(),
            })
        });
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(not_a_workbook(
            "it is neither a zip archive nor an OLE file".into(),
        ));
    }
    if is_ods(bytes) {
        // calamine does not report an .ods's merged ranges (a spanned cell and the covered
        // cells after it): they are found while content.xml is counted, for every sheet, and
        // the chosen sheet's are read as an .xlsx's are.
        let sheets = check_ods_size(bytes, file)?;
        return whole_sheet::<calamine::Ods<_>>(cursor, file, sheet, true, |_, name| {
            Ok(ods_sheet_layout(sheets, name))
        });
    }
    let mut scans = check_xlsx_parts(bytes, file)?;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(cursor)
        .map_err(|e: calamine::XlsxError| unreadable(file, &e.to_string()))?;
    let chosen = choose_sheet(&book, file, sheet)?;
    let name = chosen.name.clone();
    let scan = (xlsx_sheet_part(bytes, &name))
        .and_then(|part| scans.remove(&part_key(&part)))
        .unwrap_or_default();
    if let Some(misplaced) = &scan.misplaced {
        return Err(misplaced_cell(file, &name, misplaced));
    }
    // Cell by cell, so a sheet whose cells lie far apart is not laid out whole in memory.
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|e| unreadable(file, &e.to_string()))?;
    let mut cells = Vec::new();
    let mut budget = Budget::default();
    // With its formula, so a formula cell with no saved value (`<f>` and no `<v>`) is reported
    // instead of read as empty. Shared formulas are not expanded (no text for their copies).
    while let Some(cell) = reader
        .next_cell_with_formula_metadata()
        .map_err(|e| unreadable(file, &e.to_string()))?
    {
        let (row, column) = cell.pos;
        // Found by the scan, unless the sheet's part could not be told (a workbook moved from
        // `xl/` by its relationships): laid out, a cell at ZZZZZZ1 takes gigabytes.
        if row >= EXCEL_ROWS || u64::from(column) >= EXCEL_COLUMNS {
            let at = format!("{}{}", column_letters(column.into()), u64::from(row) + 1);
            return Err(misplaced_cell(file, &name, &Misplaced::PastTheEnd(at)));
        }
        let value = Data::from(cell.value);
        let text = match (&value, cell.formula) {
            (Data::Empty, Some(formula)) => Some(CellText::NoValue(xlsx_formula_text(formula))),
            _ => cell_text(&value),
        };
        if let Some(text) = text {
            budget.add(&text, file)?;
            cells.push((row, column, text));
        }
    }
    drop(reader);
    let mut headers = SheetHeaders::new();
    for other in &chosen.visible_others {
        let mut reader =
            (book.worksheet_cells_reader(other)).map_err(|e| unreadable(file, &e.to_string()))?;
        let mut row_cells: Vec<SheetCell> = Vec::new();
        let mut budget = Budget::default();
        // calamine stops at the first value it cannot read, the one the scan found: named at
        // its cell.
        let refused = |error: calamine::XlsxError| {
            let found = (is_value_error(&error).then(|| xlsx_sheet_part(bytes, other)))
                .flatten()
                .and_then(|part| scans.get(&part_key(&part)))
                .and_then(|scan| scan.misplaced.as_ref())
                .filter(|misplaced| matches!(misplaced, Misplaced::Value { .. }));
            match found {
                Some(misplaced) => misplaced_cell(file, other, misplaced),
                None => unreadable(file, &error.to_string()),
            }
        };
        while let Some(cell) = reader.next_cell().map_err(refused)? {
            let (row, column) = cell.get_position();
            if row_cells.first().is_some_and(|(first, ..)| *first != row) {
                break;
            }
            if let Some(text) = cell_text(&Data::from(cell.get_value().clone())) {
                budget.add(&text, file)?;
                row_cells.push((row, column, text));
            }
        }
        headers.push((other.clone(), first_row_texts(row_cells)));
    }
    // Their number was counted against the limit with the sheet's parts (check_xlsx_parts).
    let merges =
        (book.merge_cells_by_sheet_name(&name)).map_err(|e| unreadable(file, &e.to_string()))?;
    let layout = SheetLayout {
        merges,
        hidden: scan.hidden,
        errors: Vec::new(),
        shown_without_value: Vec::new(),
    };
    Ok((chosen, cells, layout, headers))
}

/// An xlsx formula as a person types it (`=2+1`); empty for a copy of a shared formula, whose
/// text calamine does not expand here.
fn xlsx_formula_text(formula: calamine::XlsxFormulaMetadata) -> String {
    match formula {
        calamine::XlsxFormulaMetadata::Normal { formula }
        | calamine::XlsxFormulaMetadata::Shared { formula, .. } => format!("={formula}"),
        _ => String::new(),
    }
}

/// The chosen sheet of an `.xls` or `.ods` book, read whole (calamine reads those no other way);
/// with `formulas`, a formula cell with no value is reported (an `.xls` always saves values).
fn whole_sheet<'b, R: Reader<Cursor<&'b [u8]>>>(
    cursor: Cursor<&'b [u8]>,
    file: &str,
    sheet: SheetChoice,
    formulas: bool,
    layout: impl FnOnce(&R, &str) -> Result<SheetLayout>,
) -> Result<SheetCells>
where
    R::Error: std::fmt::Display,
{
    let mut book = R::new(cursor).map_err(|e| unreadable(file, &e.to_string()))?;
    let chosen = choose_sheet(&book, file, sheet)?;
    let name = chosen.name.clone();
    let range = (book.worksheet_range(&name)).map_err(|e| unreadable(file, &e.to_string()))?;
    let mut cells = range_cells(&range, file)?;
    if formulas {
        let formulas =
            (book.worksheet_formula(&name)).map_err(|e| unreadable(file, &e.to_string()))?;
        cells.extend(formulas_without_value(&range, &formulas));
    }
    let layout = layout(&book, &name)?;
    let mut headers = SheetHeaders::new();
    for other in &chosen.visible_others {
        let range = (book.worksheet_range(other)).map_err(|e| unreadable(file, &e.to_string()))?;
        headers.push((other.clone(), first_row_texts(range_cells(&range, file)?)));
    }
    Ok((chosen, cells, layout, headers))
}

/// The cells of `formulas` whose value in `range` is empty: formulas never computed (an .ods
/// written by a program that does not calculate: `table:formula` and no `office:value`).
fn formulas_without_value(
    range: &calamine::Range<Data>,
    formulas: &calamine::Range<String>,
) -> Vec<SheetCell> {
    let (top, left) = formulas.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (row, column, formula) in formulas.used_cells() {
        let row = top.saturating_add(u32::try_from(row).unwrap_or(u32::MAX));
        let column = left.saturating_add(u32::try_from(column).unwrap_or(u32::MAX));
        if matches!(range.get_value((row, column)), None | Some(Data::Empty)) {
            // OpenDocument formulas start `of:=`; a person types the `=` part.
            let text = formula.strip_prefix("of:").unwrap_or(formula);
            cells.push((row, column, CellText::NoValue(text.to_string())));
        }
    }
    cells
}

/// An `.ods` file is a zip whose first entry, `mimetype`, names the OpenDocument spreadsheet.
fn is_ods(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(128)).unwrap_or(bytes);
    let named = head.windows(8).any(|w| w == b"mimetype")
        && head
            .windows(b"opendocument.spreadsheet".len())
            .any(|w| w == b"opendocument.spreadsheet");
    // Its `mimetype` compressed or not first, as a zip program writes an unpacked .ods packed
    // again: LibreOffice reads it, and ipneeds took it for an .xlsx (`File not found
    // '_rels/.rels'`: found by fuzzing).
    named || {
        use std::io::Read;
        let mut text = String::new();
        (zip::ZipArchive::new(Cursor::new(bytes)).ok())
            .and_then(|mut archive| {
                let entry = archive.by_name("mimetype").ok()?;
                entry.take(100).read_to_string(&mut text).ok()
            })
            .is_some_and(|_| text.trim() == "application/vnd.oasis.opendocument.spreadsheet")
    }
}

/// A sheet's cell that no spreadsheet program writes, refused before it is read.
fn misplaced_cell(file: &str, sheet: &str, misplaced: &Misplaced) -> Error {
    let save_again = "open the file in Excel or LibreOffice and save it again (a program that wrote it cell by cell made a mistake), or save the sheet as \"CSV UTF-8\"";
    let sheet = crate::io::quote::printable(sheet, 60);
    // A cell by its reference (no column name: the header is not read yet).
    let cell = |cell: String| Location::Cell {
        file: file.to_string(),
        sheet: sheet.clone(),
        cell,
        column: None,
    };
    match misplaced {
        Misplaced::PastTheEnd(at) => Error::input(
            cell(crate::io::quote::printable(at, 40)),
            format!(
                "the sheet holds a cell past Excel's last row (1048576) or column (XFD), where no spreadsheet puts one: {save_again}"
            ),
        ),
        Misplaced::RowPastTheEnd => Error::input(
            Location::Sheet {
                file: file.to_string(),
                sheet: sheet.clone(),
            },
            format!(
                "the sheet has rows past Excel's last row (1048576), which no spreadsheet writes: {save_again}"
            ),
        ),
        Misplaced::Twice(at) => Error::input(
            cell(at.clone()),
            format!(
                "the sheet holds this cell twice, so one of its two values would be lost: {save_again}, then check the cell"
            ),
        ),
        Misplaced::Value {
            column,
            row,
            value,
            problem,
        } => {
            let value = crate::io::quote::printable(value, 40);
            let what = match problem {
                BadValue::NotTrueFalse => format!("the cell's value `{value}` is not a TRUE/FALSE value"),
                BadValue::NotANumber => format!("the cell's value `{value}` is marked as a number but is not one"),
                BadValue::MissingText(texts) => {
                    let table = match texts {
                        0 => "which is empty".to_string(),
                        _ => format!("which holds {texts} entries, numbered from 0"),
                    };
                    format!(
                        "the cell's text is missing from the workbook (the cell points to entry `{value}` of the workbook's table of shared text, {table})"
                    )
                }
                BadValue::UnknownType => format!("the cell is marked as holding a kind of value (`{value}`)"),
                // Newer versions of Excel write some (#SPILL!, #CALC!): no "save it again".
                BadValue::UnknownError => {
                    let [known @ .., last] = KNOWN_ERRORS;
                    return Error::input(
                        cell(format!("{}{row}", column_letters(*column))),
                        format!(
                            "the cell holds the spreadsheet error {value}, which ipneeds cannot read (it reads {} and {last}), so the sheet cannot be read: fix the formula that gives it, type the answer instead, or empty the cell; or save the sheet as \"CSV UTF-8\"",
                            known.join(", "),
                        ),
                    );
                }
            };
            Error::input(
                cell(format!("{}{row}", column_letters(*column))),
                format!("{what}, which no spreadsheet writes: {save_again}, then check the cell"),
            )
        }
    }
}

/// calamine's error for a cell value it cannot read (see [`ValueKind::refuses`]).
fn is_value_error(error: &calamine::XlsxError) -> bool {
    use calamine::XlsxError;
    matches!(
        error,
        XlsxError::ParseFloat(_)
            | XlsxError::CellError(_)
            | XlsxError::CellTAttribute(_)
            | XlsxError::Unrecognized {
                typ: "boolean cell value",
                ..
            }
            | XlsxError::Unexpected("Cell string index not found in shared strings table")
    )
}

/// Whether calamine's error `detail` is for a file broken in its zip or OLE structure, as an
/// unfinished download or copy leaves it: its text names the libraries' parts (`Zip error:
/// invalid Zip archive: Could not find EOCD`, `Cfb error: Sector 4104 points past end of
/// file`), which tell a reader nothing. An OLE file with no workbook in it (a Word document
/// named .xls) is not broken.
fn broken_container(detail: &str) -> bool {
    let signs = [
        "corrupt deflate stream",
        "Invalid checksum",
        "declared uncompressed size",
    ];
    detail.starts_with("Zip error")
        || (detail.starts_with("Cfb error") && !detail.contains("Cannot find"))
        || signs.iter().any(|sign| detail.contains(sign))
}

/// A workbook calamine cannot read, in the user's terms.
fn unreadable(file: &str, detail: &str) -> Error {
    let hint = if detail.to_lowercase().contains("password") {
        "it is password-protected: save a copy without a password"
    } else if broken_container(detail) {
        return Error::input(
            Location::File(file.to_string()),
            "the workbook cannot be read: the file is damaged or cut short (as an unfinished download or copy leaves it): copy or download it again, or open it in the spreadsheet and save it again, or save the sheet as \"CSV UTF-8\"",
        );
    } else {
        "open it in the spreadsheet and save it again, or save the sheet as \"CSV UTF-8\""
    };
    // The XML reader's debug text of a tag (`found 'Start(BytesStart { buf: Borrowed(…`)
    // means nothing to a reader: its message up to there says what was expected.
    let detail = match detail.find(", found 'Start(BytesStart") {
        Some(at) => format!("{}, found another tag", &detail[..at]),
        None => detail.to_string(),
    };
    // Past the zip or OLE container, what the reader found wrong is a part of the workbook
    // (an XML part cut short, a sheet listed but missing, a record of the wrong length): say
    // so in words, and keep its own text as the detail a technician asks for.
    Error::input(
        Location::File(file.to_string()),
        format!(
            "the workbook cannot be read: part of its content is damaged, or written in a way ipneeds does not read (the reader says: {}): {hint}",
            crate::io::quote::printable(&detail, 200)
        ),
    )
}

/// The sheet asked for, or the first visible worksheet.
fn choose_sheet<RS, R>(book: &R, file: &str, choice: SheetChoice) -> Result<Chosen>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
{
    let sheets = book.sheets_metadata();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    let only = |name: &str| Chosen {
        name: name.to_string(),
        others: Vec::new(),
        visible_others: Vec::new(),
    };
    let Some(wanted) = choice.name else {
        let worksheets = || {
            sheets
                .iter()
                .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        };
        let first = (worksheets().find(|s| s.visible == calamine::SheetVisible::Visible))
            .or_else(|| worksheets().next());
        return first
            .map(|first| Chosen {
                name: first.name.clone(),
                others: (worksheets())
                    .filter(|s| s.name != first.name)
                    .map(|s| s.name.clone())
                    .collect(),
                visible_others: (worksheets())
                    .filter(|s| s.name != first.name)
                    .filter(|s| s.visible == calamine::SheetVisible::Visible)
                    .map(|s| s.name.clone())
                    .collect(),
            })
            .ok_or_else(|| {
                Error::input(
                    Location::File(file.to_string()),
                    "the workbook has no worksheet (only charts or macros): add a sheet of profiles",
                )
            });
    };
    if let Some(exact) = names.iter().find(|n| **n == wanted) {
        return Ok(only(exact));
    }
    let same_but_case: Vec<&&str> = (names.iter())
        .filter(|n| n.to_lowercase() == wanted.to_lowercase())
        .collect();
    if let [one] = same_but_case.as_slice() {
        return Ok(only(one));
    }
    let hint = crate::suggest::did_you_mean(wanted, names.iter().copied());
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    Err(Error::input(
        Location::File(file.to_string()),
        format!(
            "no sheet `{}`{hint}: the workbook's sheets are {}; give one of them with {}",
            crate::io::quote::printable(wanted, 60),
            listed.join(", "),
            choice.option
        ),
    ))
}

/// Bytes of cell text read so far, against the workbook limit (a small zip can hold a huge
/// sheet).
#[derive(Default)]
struct Budget(u64);

impl Budget {
    fn add(&mut self, text: &CellText, file: &str) -> Result<()> {
        self.0 += text.text().len() as u64 + CELL_OVERHEAD;
        if self.0 > crate::io::limits::WORKBOOK_BYTES.get() {
            return Err(too_big(Location::File(file.to_string()), ""));
        }
        Ok(())
    }
}

/// A sheet over the workbook limit once read, at `place` (the file, or the sheet); `detail`
/// (in brackets, or empty) says what makes it so big.
fn too_big(place: Location, detail: &str) -> Error {
    Error::input(
        place,
        format!(
            "the sheet's cells take more than {} once read{detail}; {}: for more rows, save the sheet as \"CSV UTF-8\" (a CSV streams, with no size limit)",
            crate::io::limits::WORKBOOK_BYTES.shown(),
            crate::io::limits::WORKBOOK_BYTES.explain()
        ),
    )
}

/// The non-empty cells of a range, at their sheet positions.
fn range_cells(range: &calamine::Range<Data>, file: &str) -> Result<Vec<SheetCell>> {
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    let mut budget = Budget::default();
    for (row, column, value) in range.used_cells() {
        if let Some(text) = cell_text(value) {
            budget.add(&text, file)?;
            let row = top.saturating_add(u32::try_from(row).unwrap_or(u32::MAX));
            let column = left.saturating_add(u32::try_from(column).unwrap_or(u32::MAX));
            cells.push((row, column, text));
        }
    }
    Ok(cells)
}

/// Refuses an `.xlsx` that would take more than the workbook limit once calamine reads it,
/// before it does:
/// - its shared strings: the table holds the text of the cells of every sheet and is read
///   whole when the book is opened; calamine first sets room aside for as many strings as the
///   table says it holds (`uniqueCount`: a 1 KB file saying 4,000,000,000 asked for 96 GB, and
///   the process aborted), then keeps every string;
/// - one item of a sheet (a cell's own text, a formula, a tag) longer than the limit: the XML
///   reader holds an item whole, so a 1 MB file whose one cell unpacks to a gigabyte of text
///   took gigabytes before the first cell could be counted.
///
/// Gives, found on the way, each sheet part's hidden rows and columns (by the part's name),
/// which calamine does not report, and its first cell no spreadsheet writes ([`Misplaced`]:
/// out of place, or a value calamine cannot read), refused if it is the sheet read.
fn check_xlsx_parts(bytes: &[u8], file: &str) -> Result<PartScans> {
    let limit = crate::io::limits::WORKBOOK_BYTES.get();
    let mut scans = PartScans::new();
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(scans);
    };
    let names: Vec<String> = (archive.file_names())
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    // Every sheet part, whichever one is read, and a stream of events costs little beside
    // calamine's own reading. calamine finds a sheet through the workbook's relationships,
    // anywhere in the zip, with `\` or `/` (a sheet part outside `xl/worksheets/` went
    // unscanned, and its cell at ZZZZZZ1 took 10 GB: found by fuzzing), so every XML part is
    // scanned but the table of shared text, counted here first: a sheet's cell pointing past
    // its end is refused at its place as the sheet is scanned.
    let shared_texts = count_shared_texts(&mut archive, &names, file, limit)?;
    let sheets = names.iter().filter(|n| {
        let key = part_key(n);
        key.ends_with(".xml") && !key.ends_with("sharedstrings.xml")
    });
    for name in sheets {
        let Ok(part) = archive.by_name(name) else {
            continue;
        };
        let mut xml = PartXml::new(part, limit);
        let mut buf = Vec::new();
        // calamine keeps the chosen sheet's merged ranges in a list: a small zip can hold
        // millions of them.
        let mut merges = 0u64;
        let scan = scans.entry(part_key(name)).or_default();
        // A row without its number (`r`) is the one after the row before it.
        let mut next_row = 0u32;
        // Rows hidden by default (`zeroHeight`, Excel's "hide unused rows") are the rows the
        // part does not write: every row written is shown unless it says `hidden`.
        let (mut zero_height, mut written) = (false, Ranges::default());
        let mut cells = CellScan::new(shared_texts);
        loop {
            let event = match xml.next(&mut buf) {
                Err(Stop::TooBig) => {
                    return Err(too_big(
                        Location::File(file.to_string()),
                        " (one of its cells holds more text than that)",
                    ));
                }
                // calamine meets a part it cannot read itself, and says so.
                Ok(Event::Eof) | Err(_) => break,
                Ok(event) => event,
            };
            // Once for each event: quick-xml's `local_name` searches the name each time.
            let local = match &event {
                Event::Start(e) => local_name(e.name().0),
                Event::End(e) => local_name(e.name().0),
                _ => "",
            };
            if let Some(misplaced) = cells.event(&event, local) {
                // Refused if it is the sheet read: the rest of it need not be scanned.
                scan.misplaced = Some(misplaced);
                break;
            }
            match &event {
                Event::Start(e) if local == "row" => {
                    let row = (xml_attribute(e, "r").and_then(|r| r.trim().parse::<u32>().ok()))
                        .map_or(next_row, |r| r.saturating_sub(1));
                    next_row = row.saturating_add(1);
                    written.add(row..next_row);
                    if matches!(xml_attribute(e, "hidden"), Some("1" | "true")) || zero_high(e) {
                        scan.hidden.rows.add(row..next_row);
                    }
                    cells.row(row);
                    if row >= EXCEL_ROWS {
                        scan.misplaced = Some(Misplaced::RowPastTheEnd);
                        break;
                    }
                }
                Event::Start(e) if local == "sheetFormatPr" => {
                    zero_height = matches!(xml_attribute(e, "zeroHeight"), Some("1" | "true"));
                }
                // `<col min="4" max="4" hidden="1"/>`: columns D to D (from 1).
                Event::Start(e)
                    if local == "col"
                        && (matches!(xml_attribute(e, "hidden"), Some("1" | "true"))
                            || zero_wide(e)) =>
                {
                    let bound = |name: &str| {
                        (xml_attribute(e, name)).and_then(|n| n.trim().parse::<u32>().ok())
                    };
                    if let (Some(min), Some(max)) = (bound("min"), bound("max")) {
                        scan.hidden.columns.add(min.saturating_sub(1)..max);
                    }
                }
                Event::Start(_) if local == "mergeCell" => {
                    merges += 1;
                    if merges.saturating_mul(MERGE_SLOT) > limit {
                        return Err(too_big(
                            Location::File(file.to_string()),
                            &format!(" (a sheet has more than {merges} merged ranges)"),
                        ));
                    }
                }
                _ => {}
            }
        }
        if zero_height {
            for gap in written.gaps(EXCEL_ROWS).ranges {
                scan.hidden.rows.add(gap);
            }
        }
    }
    Ok(scans)
}

/// Whether a `<col>` range is given a width of zero of its own (`customWidth`, `width="0"`):
/// Excel draws nothing of it, as of a hidden column, as [`zero_high`] for a row.
fn zero_wide(column: &BytesStart<'_>) -> bool {
    matches!(xml_attribute(column, "customWidth"), Some("1" | "true"))
        && (xml_attribute(column, "width"))
            .is_some_and(|width| width.trim().parse::<f64>().is_ok_and(|width| width <= 0.0))
}

/// Whether a `<row>` is given a height of zero of its own (`customHeight`, `ht="0"`): Excel
/// draws nothing of it, as of a hidden row (some programs hide rows so). A zero `ht` alone is
/// not: Excel then fits the row to its cells.
fn zero_high(row: &BytesStart<'_>) -> bool {
    matches!(xml_attribute(row, "customHeight"), Some("1" | "true"))
        && (xml_attribute(row, "ht"))
            .is_some_and(|ht| ht.trim().parse::<f64>().is_ok_and(|ht| ht <= 0.0))
}

/// How many texts calamine finds in the workbook's table of shared text, counted as it keeps
/// them (refused over the limit), or `None` if that is not known. calamine reads the table at
/// one path (`xl/sharedStrings.xml`, in any case); with several candidates the largest count is
/// taken, so that no cell calamine reads is refused. With no table, calamine finds no text.
fn count_shared_texts<R: std::io::Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    names: &[String],
    file: &str,
    limit: u64,
) -> Result<Option<u64>> {
    let parts = (names.iter()).filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"));
    let mut texts = Some(0);
    for name in parts {
        let Ok(part) = archive.by_name(name) else {
            texts = None;
            continue;
        };
        let mut xml = PartXml::new(part, limit);
        let mut declared = 0;
        match scan_shared_strings(&mut xml, limit, &mut declared) {
            Ok(Some(count)) => texts = texts.map(|known: u64| known.max(count)),
            // A table calamine cannot read is its to report, when it opens the book.
            Ok(None) | Err(Stop::Unreadable | Stop::Endless | Stop::BeyondLastColumn) => {
                texts = None;
            }
            Err(Stop::TooBig) => {
                let detail = match declared.saturating_mul(STRING_SLOT) > limit {
                    true => format!(" (its table of shared text, read whole for all its sheets, says it holds {declared} strings)"),
                    false => " (its table of shared text, read whole for all its sheets)".to_string(),
                };
                return Err(too_big(Location::File(file.to_string()), &detail));
            }
        }
    }
    Ok(texts)
}

/// A zip part's name as calamine looks it up: `\` read as `/`, without case.
fn part_key(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

/// What the scan found in each .xlsx sheet part, by the part's name as calamine looks it up
/// ([`part_key`]).
type PartScans = std::collections::HashMap<String, PartScan>;

/// A sheet part's hidden rows and columns, and its first misplaced cell.
#[derive(Default)]
struct PartScan {
    hidden: Hidden,
    misplaced: Option<Misplaced>,
}

/// Excel's last row and column (1,048,576 and XFD), as counts.
const EXCEL_ROWS: u32 = crate::io::limits::WORKSHEET_ROWS;
const EXCEL_COLUMNS: u64 = crate::io::limits::WORKSHEET_COLUMNS as u64;

/// A cell (or row) of a sheet part that no spreadsheet program writes: calamine wraps a row
/// past 4,294,967,295 round to the top (the cell then overwrote another, silently), lays a
/// column past XFD out in gigabytes, keeps one of a cell written twice, and stops at a value
/// it cannot read with a message that names no cell.
enum Misplaced {
    /// Its reference as written (`ZZZZZZZ11`, `C4294967297`).
    PastTheEnd(String),
    /// A cell written twice in its row, by its reference.
    Twice(String),
    /// A row past Excel's last (a sheet of millions of empty rows, which take a minute to
    /// read from a file of a few hundred KB).
    RowPastTheEnd,
    /// A cell whose value calamine cannot read: its column (from 0) and row (from 1), and
    /// the value (or, for [`BadValue::UnknownType`], the type) as written.
    Value {
        column: u64,
        row: u64,
        value: String,
        problem: BadValue,
    },
}

/// Why calamine cannot read a cell's value (its errors, in [`ValueKind::refuses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BadValue {
    /// `t="b"` and not 0, 1, true or false.
    NotTrueFalse,
    /// `t="n"` and not a number.
    NotANumber,
    /// `t="e"` and not one of the seven errors calamine knows (newer Excel errors such as
    /// `#SPILL!` among them).
    UnknownError,
    /// `t="s"` and an index past the table of shared text, which holds this many.
    MissingText(u64),
    /// A type (`t`) calamine does not know, on a cell with a value.
    UnknownType,
}

/// The cells of a sheet part's current row, to find one written twice.
#[derive(Default)]
struct CellOrder {
    row: u32,
    columns: Vec<u64>,
}

impl CellOrder {
    fn row(&mut self, row: u32) {
        self.row = row;
        self.columns.clear();
    }

    /// Checks a cell's reference (`E2`): a place past Excel's last row or column, or a cell
    /// its row already holds. Gives its column (from 0) and row (from 1); none for a reference
    /// that does not parse, which is left to calamine.
    fn cell(&mut self, reference: &str) -> std::result::Result<Option<(u64, u64)>, Misplaced> {
        let letters = reference
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        let (column_letters, digits) = reference.split_at(letters);
        let column = column_number(column_letters);
        let row = digits.parse::<u64>().ok();
        let (Some(column), Some(row)) = (column, row) else {
            // Past u64 is past the end too; anything else is calamine's to refuse.
            let numbered = letters > 0 && !digits.is_empty();
            return match numbered && digits.bytes().all(|b| b.is_ascii_digit()) {
                true => Err(Misplaced::PastTheEnd(reference.to_string())),
                false => Ok(None),
            };
        };
        if column >= EXCEL_COLUMNS || row == 0 || row > u64::from(EXCEL_ROWS) {
            return Err(Misplaced::PastTheEnd(reference.to_string()));
        }
        // Excel writes a row's cells left to right: only a cell out of that order can repeat.
        if row == u64::from(self.row) + 1
            && self.columns.last().is_some_and(|&last| column <= last)
            && self.columns.contains(&column)
        {
            return Err(Misplaced::Twice(reference.to_string()));
        }
        self.columns.push(column);
        Ok(Some((column, row)))
    }
}

/// A sheet part's cells as calamine reads them (src/xlsx/cells_reader.rs): each one's place,
/// to refuse one misplaced or written twice, and its value, to refuse at its place one
/// calamine cannot read (calamine's own error names no cell).
struct CellScan {
    order: CellOrder,
    /// Where calamine reads cells: from the first `<sheetData>` to its end.
    sheet_data: SheetData,
    /// The column (from 0) of the next cell written without its reference.
    next_column: u64,
    /// The cell being read, from its `<c>` to its `</c>`.
    open: Option<OpenCell>,
    /// calamine stops at an element it does not expect in a cell, with an error of its own:
    /// no value after it is read.
    stopped: bool,
    /// The texts of the table of shared text, if known.
    shared_texts: Option<u64>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SheetData {
    Before,
    Inside,
    After,
}

/// A cell being read: its column (from 0), row (from 1) and type, and where inside it the
/// scan is.
struct OpenCell {
    column: u64,
    row: u64,
    kind: ValueKind,
    at: InCell,
}

/// Where the scan is inside a cell, as calamine reads it.
enum InCell {
    /// Between the cell's elements (`<v>`, `<f>`, `<is>`).
    Elements,
    /// Just inside a `<v>` whose text calamine parses: only the next event, if text, is.
    ValueText,
    /// Inside an element calamine skips to its end; with `nested`, an element of that name
    /// inside it needs its own end first (quick-xml's `read_to_end`).
    Skipping {
        element: CellElement,
        nested: bool,
        depth: u32,
    },
}

/// An element of a cell that calamine reads to its end.
#[derive(Clone, Copy)]
enum CellElement {
    Value,
    Formula,
    InlineText,
}

impl CellElement {
    /// Whether `name` (a local name) is this element's.
    fn named(self, name: &str) -> bool {
        // Each a comparison with a constant, which compiles to a few instructions.
        match self {
            CellElement::Value => name == "v",
            CellElement::Formula => name == "f",
            CellElement::InlineText => name == "is",
        }
    }
}

/// What calamine does with the next event of a cell.
enum CellStep {
    Stay,
    Close,
    /// calamine stops here with an error of its own.
    Stop,
    Refuse(BadValue, String),
}

impl CellScan {
    fn new(shared_texts: Option<u64>) -> CellScan {
        CellScan {
            order: CellOrder::default(),
            sheet_data: SheetData::Before,
            next_column: 0,
            open: None,
            stopped: false,
            shared_texts,
        }
    }

    /// A row starts (from 0).
    fn row(&mut self, row: u32) {
        self.order.row(row);
        self.next_column = 0;
    }

    /// The sheet part's next event, and its element's local name (or nothing): a misplaced
    /// cell, or one whose value calamine cannot read.
    fn event(&mut self, event: &Event<'_>, local: &str) -> Option<Misplaced> {
        if let Some(cell) = &mut self.open {
            match cell.step(event, local, self.shared_texts) {
                CellStep::Stay => {}
                CellStep::Close => self.open = None,
                CellStep::Stop => {
                    self.open = None;
                    self.stopped = true;
                }
                CellStep::Refuse(problem, value) => {
                    return Some(Misplaced::Value {
                        column: cell.column,
                        row: cell.row,
                        value,
                        problem,
                    });
                }
            }
            // A cell inside a cell stops calamine, but its place is checked as every cell's.
            if !matches!(event, Event::Start(_) if local == "c") {
                return None;
            }
        }
        match event {
            Event::Start(e) => match local {
                "c" => return self.cell(e).err(),
                "sheetData" if self.sheet_data == SheetData::Before => {
                    self.sheet_data = SheetData::Inside;
                }
                _ => {}
            },
            Event::End(_) if self.sheet_data == SheetData::Inside && local == "sheetData" => {
                self.sheet_data = SheetData::After;
            }
            _ => {}
        }
        None
    }

    /// A cell starts: its place is checked, and its value is read if calamine reads it.
    fn cell(&mut self, element: &BytesStart<'_>) -> std::result::Result<(), Misplaced> {
        let (reference, kind) = cell_attributes(element);
        let place = match reference {
            Some(reference) => self.order.cell(reference.trim())?,
            None => Some((self.next_column, u64::from(self.order.row) + 1)),
        };
        if self.sheet_data != SheetData::Inside || self.stopped {
            return Ok(());
        }
        match place {
            Some((column, row)) => {
                self.next_column = column.saturating_add(1);
                self.open = Some(OpenCell {
                    column,
                    row,
                    kind: ValueKind::of(kind),
                    at: InCell::Elements,
                });
            }
            // A reference that does not parse (`$B$2`): calamine stops there with an error.
            None => self.stopped = true,
        }
        Ok(())
    }
}

impl OpenCell {
    /// The cell's next event, as calamine's `next_cell_with_formula_metadata` and `read_value`
    /// take it.
    fn step(&mut self, event: &Event<'_>, local: &str, shared_texts: Option<u64>) -> CellStep {
        match &mut self.at {
            InCell::Elements => match event {
                Event::Start(_) => match local {
                    "v" => match &self.kind {
                        ValueKind::Unknown(kind) => {
                            return CellStep::Refuse(BadValue::UnknownType, kind.clone());
                        }
                        ValueKind::Text => self.at = InCell::skipping(CellElement::Value, false),
                        ValueKind::Inline => self.at = InCell::skipping(CellElement::Value, true),
                        _ => self.at = InCell::ValueText,
                    },
                    "f" => self.at = InCell::skipping(CellElement::Formula, false),
                    "is" => self.at = InCell::skipping(CellElement::InlineText, false),
                    _ => return CellStep::Stop,
                },
                Event::End(_) if local == "c" => return CellStep::Close,
                _ => {}
            },
            InCell::ValueText => match event {
                // `<v></v>`: no value.
                Event::End(_) if local == "v" => self.at = InCell::Elements,
                Event::Text(text) => {
                    let text: &str = text;
                    if let Some(problem) = self.kind.refuses(text, shared_texts) {
                        return CellStep::Refuse(problem, text.to_string());
                    }
                    self.at = InCell::skipping(CellElement::Value, true);
                }
                _ => self.at = InCell::skipping(CellElement::Value, true),
            },
            InCell::Skipping {
                element,
                nested,
                depth,
            } => match event {
                Event::Start(_) if *nested && element.named(local) => {
                    *depth = depth.saturating_add(1);
                }
                Event::End(_) if element.named(local) => match depth.checked_sub(1) {
                    Some(outer) => *depth = outer,
                    None => self.at = InCell::Elements,
                },
                _ => {}
            },
        }
        CellStep::Stay
    }
}

impl InCell {
    fn skipping(element: CellElement, nested: bool) -> InCell {
        InCell::Skipping {
            element,
            nested,
            depth: 0,
        }
    }
}

/// A cell's type (`t`), which says how calamine parses the text of its `<v>`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ValueKind {
    /// No type: a number, or text when it is not one.
    Untyped,
    /// `n`.
    Number,
    /// `s`: an index into the table of shared text.
    SharedText,
    /// `b`.
    TrueFalse,
    /// `e`.
    Error,
    /// `str` (a formula's text) or `d` (a date as text): any text.
    Text,
    /// `inlineStr` or `is`: the text is in `<is>`, and a `<v>` is skipped.
    Inline,
    /// Any other type, as written.
    Unknown(String),
}

impl ValueKind {
    fn of(kind: Option<&str>) -> ValueKind {
        match kind {
            None => ValueKind::Untyped,
            Some("n") => ValueKind::Number,
            Some("s") => ValueKind::SharedText,
            Some("b") => ValueKind::TrueFalse,
            Some("e") => ValueKind::Error,
            Some("str" | "d") => ValueKind::Text,
            Some("inlineStr" | "is") => ValueKind::Inline,
            Some(other) => ValueKind::Unknown(other.to_string()),
        }
    }

    /// Why calamine refuses `text`, the first text of a `<v>` of this type (src/xlsx/
    /// cells_reader.rs, `read_v`), if it does.
    fn refuses(&self, text: &str, shared_texts: Option<u64>) -> Option<BadValue> {
        let (read, problem) = match self {
            // calamine's parser (fast-float2) takes what Rust's does: digits with a sign, a
            // point, an exponent; inf, infinity and nan in any case.
            ValueKind::Number => (text.parse::<f64>().is_ok(), BadValue::NotANumber),
            ValueKind::TrueFalse => {
                let value = text.trim();
                let read = ["", "0", "1"].contains(&value)
                    || value.eq_ignore_ascii_case("true")
                    || value.eq_ignore_ascii_case("false");
                (read, BadValue::NotTrueFalse)
            }
            ValueKind::Error => (KNOWN_ERRORS.contains(&text), BadValue::UnknownError),
            ValueKind::SharedText => {
                let texts = shared_texts?;
                (
                    shared_text_index(text) < texts,
                    BadValue::MissingText(texts),
                )
            }
            _ => return None,
        };
        (!read).then_some(problem)
    }
}

/// The error values calamine reads (its `CellErrorType`), as written.
const KNOWN_ERRORS: [&str; 7] = [
    "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!",
];

/// The index a shared-text cell's value gives calamine: digits only (leading zeros skipped,
/// atoi_simd without its `+`); anything else, and an index past `usize`, is 0.
fn shared_text_index(text: &str) -> u64 {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let digits = text.trim_start_matches('0');
    (digits.parse::<usize>().ok()).map_or(0, |index| index as u64)
}

/// A cell's reference (`r`) and type (`t`), raw, as calamine takes them (its `get_attrs!`):
/// of the first three of its `r`, `s` and `t` attributes, the last of each name.
fn cell_attributes<'e>(element: &'e BytesStart<'_>) -> (Option<&'e str>, Option<&'e str>) {
    let (mut reference, mut kind) = (None, None);
    let wanted = xml_attributes(element).filter(|(key, _)| matches!(*key, "r" | "s" | "t"));
    for (key, value) in wanted.take(3) {
        match key {
            "r" => reference = Some(value),
            "t" => kind = Some(value),
            _ => {}
        }
    }
    (reference, kind)
}

/// What calamine's list of merged ranges takes for each one, room to grow included.
const MERGE_SLOT: u64 = 2 * std::mem::size_of::<calamine::Dimensions>() as u64;

/// What calamine keeps for each string besides its text.
const STRING_SLOT: u64 = std::mem::size_of::<String>() as u64;

/// An .xlsx's shared strings, counted against `limit` as calamine keeps them: room for the
/// strings the table declares (`declared`) or holds, and each one's text. Gives how many it
/// holds (each `<si>`: calamine keeps one text for each, at most), if it has its `<sst>` and
/// `</sst>` (calamine cannot read it otherwise).
fn scan_shared_strings<R: std::io::Read>(
    xml: &mut PartXml<R>,
    limit: u64,
    declared: &mut u64,
) -> std::result::Result<Option<u64>, Stop> {
    let (mut strings, mut text) = (0u64, 0u64);
    let (mut opened, mut closed) = (false, false);
    let mut buf = Vec::new();
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                opened = true;
                let count = xml_attributes(&e).find(|(k, _)| *k == "uniqueCount");
                *declared = count.and_then(|(_, n)| n.parse().ok()).unwrap_or(0);
            }
            Event::End(e) if opened && e.local_name().as_ref() == "sst" => closed = true,
            Event::Start(e) if e.local_name().as_ref() == "si" => strings += 1,
            Event::Text(t) => text += t.len() as u64,
            Event::GeneralRef(r) => text += r.len() as u64 + 2,
            Event::Eof => return Ok(closed.then_some(strings)),
            _ => {}
        }
        let total = (strings.max(*declared).saturating_mul(STRING_SLOT))
            .saturating_add(strings.saturating_mul(CELL_OVERHEAD))
            .saturating_add(text);
        if total > limit {
            return Err(Stop::TooBig);
        }
    }
}

/// What calamine keeps for each cell of an `.ods` sheet's laid-out block, filled or not: its
/// value and its formula.
const ODS_SLOT: u64 = (std::mem::size_of::<Data>() + std::mem::size_of::<String>()) as u64;

/// The rows and columns calamine caps an `.ods` sheet's repeats at.
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

/// Refuses an `.ods` whose sheets would take more than the workbook limit once calamine reads
/// them, before calamine does: it lays out every sheet at once, a row or cell marked repeated
/// (`table:number-rows-repeated="1048000"`) as that many copies, so a 1 KB file can ask for
/// gigabytes. content.xml is streamed and counted as calamine reads it (the same events, the
/// same caps, empty repeats costing nothing as there); a file calamine cannot read is left to
/// calamine and its messages. Gives each sheet's merged ranges, found on the way (counted too).
fn check_ods_size(bytes: &[u8], file: &str) -> Result<Vec<OdsSheet>> {
    let (outcome, tally) = scan_ods(bytes, crate::io::limits::WORKBOOK_BYTES.get());
    // The sheet the count stopped in.
    let sheet = || Location::Sheet {
        file: file.to_string(),
        sheet: quote_sheet(&tally.sheet),
    };
    match outcome {
        Ok(()) | Err(Stop::Unreadable) => Ok(tally.sheets),
        Err(Stop::TooBig) => Err(too_big(sheet(), &tally.repeated_rows())),
        Err(Stop::Endless) => Err(damaged(file)),
        Err(Stop::BeyondLastColumn) => Err(Error::input(
            sheet(),
            format!(
                "row {} holds a value past column {}, the last of the {ODS_MAX_COLUMNS} columns a workbook is read to: move it into those columns, or save the sheet as \"CSV UTF-8\"",
                tally.row.0 + 1,
                column_letters(ODS_MAX_COLUMNS - 1),
            ),
        )),
    }
}

/// A sheet's name and its layout, as an `.ods`'s content.xml gives them.
type OdsSheet = (String, SheetLayout);

/// The layout of the sheet `name` (calamine keeps the last sheet of a name).
fn ods_sheet_layout(sheets: Vec<OdsSheet>, name: &str) -> SheetLayout {
    (sheets.into_iter().rev())
        .find(|(sheet, _)| sheet == name)
        .map(|(_, layout)| layout)
        .unwrap_or_default()
}

/// An `.ods`'s sheets counted against `limit`: how the count ended, and the count.
fn scan_ods(bytes: &[u8], limit: u64) -> (std::result::Result<(), Stop>, OdsTally) {
    let mut tally = OdsTally::new(limit);
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return (Ok(()), tally);
    };
    let Ok(content) = archive.by_name("content.xml") else {
        return (Ok(()), tally);
    };
    let mut xml = PartXml::new(content, limit);
    let outcome = scan_ods_content(&mut xml, &mut tally);
    (outcome, tally)
}

/// A workbook that calamine cannot read, or would read forever.
fn damaged(file: &str) -> Error {
    Error::input(
        Location::File(file.to_string()),
        "the workbook could not be read (it looks damaged): open it in the spreadsheet and save it again, or save the sheet as \"CSV UTF-8\"",
    )
}

/// A workbook that calamine would loop on or set aside more than the file holds for, saying
/// where (`detail`, or empty).
fn damaged_because(file: &str, detail: &str) -> Error {
    if detail.is_empty() {
        return damaged(file);
    }
    Error::input(
        Location::File(file.to_string()),
        format!(
            "the workbook could not be read (it looks damaged: {detail}): open it in the spreadsheet and save it again, or save the sheet as \"CSV UTF-8\""
        ),
    )
}

/// Why the count of a workbook's part stopped.
#[derive(Debug, PartialEq, Eq)]
enum Stop {
    /// Over the limit.
    TooBig,
    /// calamine stops here with an error of its own (bad XML, an unexpected element).
    Unreadable,
    /// content.xml ends inside a sheet, where calamine would wait for more forever.
    Endless,
    /// A value past the last column calamine reads (XFD): calamine drops it without a word.
    BeyondLastColumn,
}

/// Bytes read from a zip entry, refused once one XML item (a text, a tag) runs past the limit:
/// the XML reader holds a whole item in memory.
struct Metered<R> {
    inner: R,
    read: u64,
    /// Bytes read when the last item ended.
    mark: u64,
    limit: u64,
    tripped: bool,
}

impl<R: std::io::Read> std::io::Read for Metered<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.read - self.mark > self.limit {
            self.tripped = true;
            return Err(std::io::Error::other("an XML item longer than the limit"));
        }
        let count = self.inner.read(out)?;
        self.read += count as u64;
        Ok(count)
    }
}

/// A workbook's XML part (an .ods's content.xml, an .xlsx's shared strings) as calamine reads
/// it: the same XML settings, each item metered.
struct PartXml<R: std::io::Read> {
    reader: quick_xml::Reader<std::io::BufReader<Metered<R>>>,
}

impl<R: std::io::Read> PartXml<R> {
    fn new(inner: R, limit: u64) -> PartXml<R> {
        let metered = Metered {
            inner,
            read: 0,
            mark: 0,
            limit,
            tripped: false,
        };
        let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(metered));
        // calamine's settings (src/ods.rs), so the events are the ones it sees.
        let config = reader.config_mut();
        config.check_end_names = false;
        config.trim_text(false);
        config.check_comments = false;
        config.expand_empty_elements = true;
        PartXml { reader }
    }

    /// The next event into `buf`.
    fn next<'b>(&mut self, buf: &'b mut Vec<u8>) -> std::result::Result<Event<'b>, Stop> {
        buf.clear();
        let event = self.reader.read_event_into(buf);
        let metered = self.reader.get_mut().get_mut();
        metered.mark = metered.read;
        event.map_err(|_| match metered.tripped {
            true => Stop::TooBig,
            // calamine meets the same error at the same place, and says so.
            false => Stop::Unreadable,
        })
    }

    /// Bytes of the part read so far.
    fn position(&self) -> u64 {
        self.reader.buffer_position()
    }

    /// Skips to the end of the element `name` just started, as quick-xml's `read_to_end_into`.
    fn skip_to_end(&mut self, name: &str, buf: &mut Vec<u8>) -> std::result::Result<(), Stop> {
        let mut depth = 0u32;
        loop {
            match self.next(buf)? {
                Event::Start(e) if e.name().0 == name => depth += 1,
                Event::End(e) if e.name().0 == name => match depth.checked_sub(1) {
                    Some(outer) => depth = outer,
                    None => return Ok(()),
                },
                Event::Eof => return Err(Stop::Unreadable),
                _ => {}
            }
        }
    }
}

/// An element's attributes as calamine reads them (src/attrs.rs): `key="value"` pairs, raw;
/// the first malformed one ends them (calamine gives up there, so what follows is not used).
fn xml_attributes<'e>(element: &'e BytesStart<'_>) -> impl Iterator<Item = (&'e str, &'e str)> {
    let mut rest = element.attributes_raw();
    std::iter::from_fn(move || {
        let (key, after) = split_at_byte(rest.trim_ascii_start(), b'=')?;
        let after = after.trim_ascii_start();
        let quote = *after
            .as_bytes()
            .first()
            .filter(|&&q| q == b'"' || q == b'\'')?;
        let value = after.get(1..)?;
        // An unclosed quote runs to the end, as in calamine.
        let (value, next) = split_at_byte(value, quote).unwrap_or((value, ""));
        rest = next;
        Some((key.trim_ascii_end(), value))
    })
}

/// An element's name without its prefix (`x:c` is `c`), as quick-xml's `local_name` gives it,
/// byte by byte (a few bytes long).
fn local_name(name: &str) -> &str {
    match name.bytes().position(|b| b == b':') {
        Some(colon) => name.get(colon + 1..).unwrap_or(name),
        None => name,
    }
}

/// `text` before and after the first `byte` (ASCII), which is left out: byte by byte, as an
/// attribute is a few bytes long (`str::split_once` set up a search each time, and took an
/// eighth of the scan of a sheet).
fn split_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// An attribute's raw value.
fn xml_attribute<'e>(element: &'e BytesStart<'_>, key: &str) -> Option<&'e str> {
    xml_attributes(element)
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

/// A repeat count, entities decoded (`&#53;` is 5) as calamine decodes them; a count that
/// does not parse is an error to calamine, so any number then does.
fn ods_count(value: Option<&str>) -> u64 {
    value.map_or(1, |v| {
        (quick_xml::escape::unescape(v).ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(1)
    })
}

/// What calamine would keep of an `.ods`, counted as its content.xml streams by.
struct OdsTally {
    limit: u64,
    /// Bytes of the sheets already counted.
    done: u64,
    /// The sheet being counted.
    sheet: String,
    /// Its rows so far, repeats counted (and capped) as calamine does.
    rows: u64,
    /// The first filled row, and the row after the last one: the block calamine lays out.
    first: Option<u64>,
    end: u64,
    /// The first and last filled columns.
    columns: Option<(u64, u64)>,
    /// Cells calamine keeps while it reads the sheet, before laying it out.
    read: u64,
    /// Bytes of the filled cells' text (and formulas), each copy counted.
    text: u64,
    /// The row being read: its place (from 0), its copies, whether it holds a value.
    row: (u64, u64, bool),
    /// The filled row repeated most: its place (from 0) and copies.
    repeated: (u64, u64),
    /// The columns described so far (`table:table-column`, repeats counted and capped).
    described: u64,
    /// The layout of each sheet counted so far, in order, the one being counted last: merged
    /// ranges and hidden rows and columns from 0, at the places calamine gives the cells
    /// (repeats counted and capped).
    sheets: Vec<OdsSheet>,
}

impl OdsTally {
    fn new(limit: u64) -> OdsTally {
        OdsTally {
            limit,
            done: 0,
            sheet: String::new(),
            rows: 0,
            first: None,
            end: 0,
            columns: None,
            read: 0,
            text: 0,
            row: (0, 0, false),
            repeated: (0, 0),
            described: 0,
            sheets: Vec::new(),
        }
    }

    fn start_sheet(&mut self, name: &str) {
        self.done = self.done.saturating_add(self.sheet_bytes());
        let mut sheets = std::mem::take(&mut self.sheets);
        sheets.push((name.to_string(), SheetLayout::default()));
        *self = OdsTally {
            limit: self.limit,
            done: self.done,
            sheet: name.to_string(),
            sheets,
            ..OdsTally::new(self.limit)
        };
    }

    /// The sheet's bytes: the laid-out block (or the cells read, if more), and the text.
    fn sheet_bytes(&self) -> u64 {
        let block = match (self.first, self.columns) {
            (Some(first), Some((left, right))) => {
                (self.end.saturating_sub(first)).saturating_mul(right - left + 1)
            }
            _ => 0,
        };
        ODS_SLOT
            .saturating_mul(block.max(self.read))
            .saturating_add(self.text)
    }

    /// The bytes of every sheet counted so far.
    fn total(&self) -> u64 {
        self.done.saturating_add(self.sheet_bytes())
    }

    /// Over the limit with `more` bytes to come?
    fn check(&self, more: u64) -> std::result::Result<(), Stop> {
        if self.total().saturating_add(more) > self.limit {
            return Err(Stop::TooBig);
        }
        Ok(())
    }

    /// A row repeated `repeats` times starts, `hidden` or not; its copies, capped as calamine
    /// caps them.
    fn start_row(&mut self, repeats: u64, hidden: bool) -> u64 {
        let copies = repeats.min(ODS_MAX_ROWS.saturating_sub(self.rows));
        self.row = (self.rows, copies, false);
        if hidden && copies > 0 {
            let place = |at: u64| u32::try_from(at).unwrap_or(u32::MAX);
            if let Some((_, layout)) = self.sheets.last_mut() {
                (layout.hidden.rows).add(place(self.rows)..place(self.rows + copies));
            }
        }
        self.rows += copies;
        copies
    }

    /// A column repeated `repeats` times is described, `hidden` or not: a range, however many
    /// the copies (LibreOffice describes the sheet's last thousands of columns at once).
    fn describe_column(&mut self, repeats: u64, hidden: bool) {
        let copies = repeats.min(ODS_MAX_COLUMNS.saturating_sub(self.described));
        if hidden && copies > 0 {
            let place = |at: u64| u32::try_from(at).unwrap_or(u32::MAX);
            if let Some((_, layout)) = self.sheets.last_mut() {
                (layout.hidden.columns).add(place(self.described)..place(self.described + copies));
            }
        }
        self.described += copies;
    }

    /// Cells `columns` of the current row hold values, `bytes` of text each.
    fn filled(&mut self, columns: (u64, u64), bytes: u64) -> std::result::Result<(), Stop> {
        let (place, copies, _) = self.row;
        let cells = columns.1 - columns.0 + 1;
        let each = bytes.saturating_add(CELL_OVERHEAD);
        self.text =
            (self.text).saturating_add(each.saturating_mul(cells).saturating_mul(copies.max(1)));
        self.row.2 = true;
        self.first.get_or_insert(place);
        self.end = place.saturating_add(copies);
        self.columns = Some(match self.columns {
            Some((left, right)) => (left.min(columns.0), right.max(columns.1)),
            None => columns,
        });
        if copies > self.repeated.1 {
            self.repeated = (place, copies);
        }
        self.check(0)
    }

    /// Records `copies` cells from `column` on, in each copy of the row being read, as
    /// holding a spreadsheet error.
    fn errored(&mut self, column: u64, copies: u64) -> std::result::Result<(), Stop> {
        let (place, row_copies, _) = self.row;
        let place_of = |at: u64, last: u64| u32::try_from(at.min(last)).unwrap_or(u32::MAX);
        let columns = place_of(column, ODS_MAX_COLUMNS)
            ..place_of(column.saturating_add(copies), ODS_MAX_COLUMNS);
        for copy in 0..row_copies {
            // Counted as a merged range is: a file of error cells repeated down a million rows
            // stays within the limit on what a workbook may take.
            self.text = self.text.saturating_add(MERGE_SLOT);
            self.check(0)?;
            let Some((_, layout)) = self.sheets.last_mut() else {
                return Ok(());
            };
            let row = place_of(place.saturating_add(copy), ODS_MAX_ROWS - 1);
            layout.errors.push((row, columns.clone()));
        }
        Ok(())
    }

    /// `copies` cells from `column` on, in each copy of the row being read, show `shown` but
    /// store no value though marked as holding one: each counted as a cell of its text is.
    fn shown_without_value(
        &mut self,
        column: u64,
        copies: u64,
        shown: String,
        marked: &'static str,
    ) -> std::result::Result<(), Stop> {
        let (place, row_copies, _) = self.row;
        let place_of = |at: u64, last: u64| u32::try_from(at.min(last)).unwrap_or(u32::MAX);
        let each = (shown.len() as u64).saturating_add(CELL_OVERHEAD);
        for copy in 0..row_copies {
            let row = place_of(place.saturating_add(copy), ODS_MAX_ROWS - 1);
            for column in column..column.saturating_add(copies).min(ODS_MAX_COLUMNS) {
                self.text = self.text.saturating_add(each);
                self.check(0)?;
                let Some((_, layout)) = self.sheets.last_mut() else {
                    return Ok(());
                };
                let text = CellText::ShownWithoutValue {
                    shown: shown.clone(),
                    marked,
                };
                layout
                    .shown_without_value
                    .push((row, place_of(column, ODS_MAX_COLUMNS), text));
            }
        }
        Ok(())
    }

    /// A filled cell at `column` (from 0) of the current row spans `rows` rows and `columns`
    /// columns (each at least 1): a merged range for each copy of the row, clipped to the
    /// sheet's last row and column, each counted against the limit.
    fn spanned(&mut self, column: u64, rows: u64, columns: u64) -> std::result::Result<(), Stop> {
        let (place, copies, _) = self.row;
        let place_of = |at: u64, last: u64| u32::try_from(at.min(last)).unwrap_or(u32::MAX);
        let right = place_of(
            column.saturating_add(columns.saturating_sub(1)),
            ODS_MAX_COLUMNS - 1,
        );
        for copy in 0..copies {
            let top = place.saturating_add(copy);
            let bottom = top.saturating_add(rows.saturating_sub(1));
            self.text = self.text.saturating_add(MERGE_SLOT);
            self.check(0)?;
            let Some((_, layout)) = self.sheets.last_mut() else {
                return Ok(());
            };
            layout.merges.push(calamine::Dimensions {
                start: (
                    place_of(top, ODS_MAX_ROWS - 1),
                    place_of(column, ODS_MAX_COLUMNS - 1),
                ),
                end: (place_of(bottom, ODS_MAX_ROWS - 1), right),
            });
        }
        Ok(())
    }

    /// What makes the sheet big, for the message: a filled row repeated.
    fn repeated_rows(&self) -> String {
        let (place, copies) = self.repeated;
        if copies < 2 {
            return String::new();
        }
        format!(
            " (row {} is repeated {copies} times, down to row {}: the file stores it once, but every copy is read; delete the copies you do not need)",
            place + 1,
            place + copies,
        )
    }
}

/// content.xml's sheets, counted.
fn scan_ods_content<R: std::io::Read>(
    xml: &mut PartXml<R>,
    tally: &mut OdsTally,
) -> std::result::Result<(), Stop> {
    let mut buf = Vec::new();
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) if e.name().0 == "table:table" => {
                // calamine reads a table only when it has a name.
                let Some(name) = xml_attribute(&e, "table:name") else {
                    continue;
                };
                let name =
                    quick_xml::escape::unescape(name).map_or(name.to_string(), |n| n.into_owned());
                tally.start_sheet(&name);
                scan_ods_table(xml, tally)?;
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// Whether a row or column is hidden: `collapse`, by hand; `filter`, filtered out.
fn ods_hidden(element: &BytesStart<'_>) -> bool {
    matches!(
        xml_attribute(element, "table:visibility"),
        Some("collapse" | "filter")
    )
}

/// A sheet's rows, to its end.
fn scan_ods_table<R: std::io::Read>(
    xml: &mut PartXml<R>,
    tally: &mut OdsTally,
) -> std::result::Result<(), Stop> {
    let mut buf = Vec::new();
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) if e.name().0 == "table:table-row" => {
                let repeats = ods_count(xml_attribute(&e, "table:number-rows-repeated"));
                tally.start_row(repeats, ods_hidden(&e));
                scan_ods_row(xml, tally)?;
            }
            // Wherever it lies (in a header or a group of columns), in order.
            Event::Start(e) if e.name().0 == "table:table-column" => {
                let repeats = ods_count(xml_attribute(&e, "table:number-columns-repeated"));
                tally.describe_column(repeats, ods_hidden(&e));
            }
            Event::End(e) if e.name().0 == "table:table" => return Ok(()),
            Event::Eof => return Err(Stop::Endless),
            _ => {}
        }
    }
}

/// A row's cells, to its end: filled cells (and the empty ones before them) are kept, each
/// as many times as it is repeated; empty cells at the end of the row are not.
fn scan_ods_row<R: std::io::Read>(
    xml: &mut PartXml<R>,
    tally: &mut OdsTally,
) -> std::result::Result<(), Stop> {
    let (mut buf, mut cell_buf) = (Vec::new(), Vec::new());
    // Cells kept so far in the row, and empty ones waiting for a filled one after them.
    let (mut kept, mut waiting) = (0u64, 0u64);
    loop {
        let e = match xml.next(&mut buf)? {
            Event::Start(e)
                if e.name().0 == "table:table-cell" || e.name().0 == "table:covered-table-cell" =>
            {
                e
            }
            Event::End(e) if e.name().0 == "table:table-row" => return Ok(()),
            _ => return Err(Stop::Unreadable),
        };
        let repeats = ods_count(xml_attribute(&e, "table:number-columns-repeated"));
        let OdsCell {
            filled,
            bytes,
            closed,
            error,
            shown_without_value,
        } = scan_ods_cell(xml, &e, &mut cell_buf, tally, repeats.min(ODS_MAX_COLUMNS))?;
        // The empty cells before a filled one are kept; columns are capped as calamine caps them.
        let empties = waiting.min(ODS_MAX_COLUMNS - kept);
        kept += empties;
        tally.read = tally.read.saturating_add(empties);
        waiting = 0;
        let copies = repeats.min(ODS_MAX_COLUMNS - kept);
        if filled {
            if copies < repeats {
                return Err(Stop::BeyondLastColumn);
            }
            if copies > 0 {
                tally.filled((kept, kept + copies - 1), bytes)?;
                if error {
                    tally.errored(kept, copies)?;
                }
                // A merged range starts at a spanned cell (the cells it covers are
                // `table:covered-table-cell`s); one that holds nothing shows nothing. A span
                // on a cell repeated across columns is read on its first copy only.
                if e.name().0 == "table:table-cell" {
                    let span = |key| ods_count(xml_attribute(&e, key)).max(1);
                    let rows = span("table:number-rows-spanned");
                    let columns = span("table:number-columns-spanned");
                    if rows > 1 || columns > 1 {
                        tally.spanned(kept, rows, columns)?;
                    }
                }
            }
            kept += copies;
            tally.read = tally.read.saturating_add(copies);
        } else {
            if let Some((shown, marked)) = shown_without_value {
                tally.shown_without_value(kept, copies, shown, marked)?;
            }
            waiting = copies;
        }
        tally.check(0)?;
        if !closed {
            xml.skip_to_end(e.name().0, &mut cell_buf)?;
        }
    }
}

/// What the scan learns of one `.ods` cell, as calamine reads it.
struct OdsCell {
    /// It holds a value or a formula.
    filled: bool,
    /// The bytes of its text and formula.
    bytes: u64,
    /// Its end was read.
    closed: bool,
    /// It holds a spreadsheet error as its text.
    error: bool,
    /// Marked as a number, date, time or yes/no (`a number`) with no value: what it shows,
    /// which calamine does not read.
    shown_without_value: Option<(String, &'static str)>,
}

/// How an `.ods` cell marked `office:value-type` with no value attribute is named to a person;
/// `None` for text, which needs no value attribute.
fn marked_as(value_type: &str) -> Option<&'static str> {
    match value_type {
        "float" | "percentage" | "currency" => Some("a number"),
        "date" => Some("a date"),
        "time" => Some("a time"),
        "boolean" => Some("a true/false value"),
        _ => None,
    }
}

/// The most of a shown text kept for a message about it.
const SHOWN_TEXT_KEPT: usize = 200;

/// A cell's attributes and, for text, its content, as calamine reads them (see [`OdsCell`]).
fn scan_ods_cell<R: std::io::Read>(
    xml: &mut PartXml<R>,
    cell: &BytesStart<'_>,
    buf: &mut Vec<u8>,
    tally: &OdsTally,
    repeats: u64,
) -> std::result::Result<OdsCell, Stop> {
    let (mut value_set, mut is_string, mut is_error, mut empty_string) =
        (false, false, false, false);
    let mut marked = None;
    let mut bytes = 0u64;
    let mut formula = 0u64;
    for (key, value) in xml_attributes(cell) {
        match key {
            "office:value" | "office:boolean-value" if !value_set => value_set = true,
            "office:string-value" | "office:date-value" | "office:time-value" if !value_set => {
                value_set = true;
                bytes = value.len() as u64;
                empty_string = key == "office:string-value" && value.is_empty();
            }
            "office:value-type" if !value_set => {
                is_string = value == "string";
                marked = marked_as(value);
            }
            "calcext:value-type" => is_error = value == "error",
            "table:formula" => formula = value.len() as u64,
            _ => {}
        }
    }
    // Marked as a number (say) with neither its value nor a formula: calamine reads it empty,
    // so what it shows is read here, to be refused rather than lost.
    let marked = marked.filter(|_| !value_set && formula == 0 && !is_error);
    if !((!value_set && is_string) || (is_error && empty_string) || marked.is_some()) {
        return Ok(OdsCell {
            filled: value_set || formula > 0,
            bytes: bytes + formula,
            closed: false,
            error: is_error,
            shown_without_value: None,
        });
    }
    // The cell's text is its content: paragraphs, spaces (`<text:s text:c="5"/>`), tabs.
    let copies = repeats.max(1).saturating_mul(tally.row.1.max(1));
    let mut paragraphs = 0u64;
    let mut shown = String::new();
    loop {
        let added = match xml.next(buf)? {
            Event::Text(t) => {
                if marked.is_some() {
                    shown.extend(t.chars().take(SHOWN_TEXT_KEPT.saturating_sub(shown.len())));
                }
                t.len() as u64
            }
            Event::GeneralRef(r) => r.len() as u64 + 2,
            Event::End(e)
                if e.name().0 == "table:table-cell" || e.name().0 == "table:covered-table-cell" =>
            {
                let shown_without_value =
                    (marked.filter(|_| !shown.trim().is_empty())).map(|marked| (shown, marked));
                return Ok(OdsCell {
                    filled: marked.is_none(),
                    bytes: bytes + formula,
                    closed: true,
                    error: is_error,
                    shown_without_value,
                });
            }
            Event::Start(e) if e.name().0 == "office:annotation" => {
                // calamine reads to the note's end (past the file's end forever) into one buffer
                // it does not clear: the whole note is held at once.
                let start = xml.position();
                loop {
                    match xml.next(buf)? {
                        Event::End(e) if e.name().0 == "office:annotation" => break,
                        Event::Eof => return Err(Stop::Endless),
                        _ => tally.check(xml.position() - start)?,
                    }
                }
                0
            }
            Event::Start(e) if e.name().0 == "text:p" => {
                paragraphs += 1;
                u64::from(paragraphs > 1)
            }
            Event::Start(e) if e.name().0 == "text:s" => ods_count(xml_attribute(&e, "text:c")),
            Event::Start(e) if e.name().0 == "text:tab" || e.name().0 == "text:line-break" => 1,
            Event::Eof => return Err(Stop::Unreadable),
            _ => 0,
        };
        bytes = bytes.saturating_add(added);
        tally.check(bytes.saturating_mul(copies))?;
    }
}

/// Marks as errors the cells that hold one as their text (see [`SheetLayout::errors`]).
fn mark_errors(cells: &mut [SheetCell], errors: &[(u32, std::ops::Range<u32>)]) {
    if errors.is_empty() {
        return;
    }
    // Sorted by row and first column (the ranges of a row do not overlap): a cell's range, if
    // any, is the last one starting at or before it.
    let mut errors: Vec<(u32, &std::ops::Range<u32>)> = errors
        .iter()
        .map(|(row, columns)| (*row, columns))
        .collect();
    errors.sort_unstable_by_key(|(row, columns)| (*row, columns.start));
    for (row, column, text) in cells.iter_mut() {
        let after = errors.partition_point(|(at, columns)| (*at, columns.start) <= (*row, *column));
        let errored = (after.checked_sub(1).and_then(|at| errors.get(at)))
            .is_some_and(|(at, columns)| at == row && columns.contains(column));
        if let (true, CellText::Text(shown)) = (errored, &*text) {
            *text = CellText::Error(shown.clone());
        }
    }
}

/// A date or time cell as a person reads it (`2025-03-01`, `10:30`), not as the serial
/// number it is stored as; any other cell as calamine writes it.
pub(crate) fn shown_as_read(value: &Data) -> String {
    cell_text(value).map_or_else(String::new, |text| text.text().to_string())
}

/// A cell as a person reads it; `None` when empty.
fn cell_text(value: &Data) -> Option<CellText> {
    let text = match value {
        Data::Empty => return None,
        Data::String(text) if text.is_empty() => return None,
        Data::String(text) | Data::DurationIso(text) => text.clone(),
        Data::DateTimeIso(text) => iso_moment_text(text),
        Data::Int(number) => number.to_string(),
        Data::Float(number) => number_text(*number),
        // As the same cell saved as CSV holds it: TRUE and FALSE answer a yes/no question,
        // and are no country (`no` was read as Norway's code, `=IF(…, "UGA")` gave FALSE).
        Data::Bool(true) => "TRUE".to_string(),
        Data::Bool(false) => "FALSE".to_string(),
        Data::DateTime(moment) if moment.is_duration() => {
            let seconds = (moment.as_f64() * 86_400.0).round() as i64;
            format!(
                "{}:{:02}:{:02}",
                seconds / 3600,
                (seconds / 60 % 60).abs(),
                (seconds % 60).abs()
            )
        }
        Data::DateTime(moment) => {
            let (year, month, day, hour, minute, second, _) = moment.to_ymd_hms_milli();
            // A time of day alone is stored as a fraction of day 0 (`1899-12-31 10:30:00`).
            if (0.0..1.0).contains(&moment.as_f64()) {
                match second {
                    0 => format!("{hour:02}:{minute:02}"),
                    _ => format!("{hour:02}:{minute:02}:{second:02}"),
                }
            } else if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::Error(error) => return Some(CellText::Error(error.to_string())),
    };
    Some(CellText::Text(text))
}

/// An ISO date cell (`t="d"`, `2024-01-01T00:00:00`) as a date cell stored as a number is
/// shown: `2024-01-01`, or `2024-01-01 09:30:00` with a time of day.
fn iso_moment_text(text: &str) -> String {
    match text.split_once('T') {
        Some((day, time)) => {
            let time = time.trim_end_matches('Z');
            let midnight = time.trim_start_matches(['0', ':', '.']).is_empty();
            match midnight {
                true => day.to_string(),
                false => format!("{day} {time}"),
            }
        }
        None => text.to_string(),
    }
}

/// A number as a spreadsheet shows it: at most 15 significant digits, no trailing zeros, no
/// exponent (`12`, `0.3`, `2400`).
pub fn number_text(number: f64) -> String {
    if !number.is_finite() {
        return number.to_string();
    }
    // Rounded to 15 significant digits, then written in the fewest digits that read back.
    let rounded: f64 = format!("{number:.14e}").parse().unwrap_or(number);
    if rounded == 0.0 {
        return "0".to_string();
    }
    format!("{rounded}")
}

/// Merged ranges shown in warnings one by one; the others are counted.
const SHOWN_MERGE_WARNINGS: usize = 10;

/// Reads the sheet's merged ranges as the sheet shows them, and says so.
///
/// A merged range keeps its value in its top-left cell only; the cells it covers are empty in
/// the file, but the sheet shows the value across the whole range. A planner who merged B2:B3
/// holding `UGA` sees UGA on rows 2 and 3 and means it for both: the value is read on every row
/// the range covers (rows that hold nothing else stay empty, and are skipped), with a warning
/// naming the range. Filling is safe because it gives each row what the planner sees and
/// checked; leaving the rows empty gave a row a profile nobody sees (no country, no prefill).
/// Across columns a value still answers one question, its own column's: the other columns are
/// read as empty, and the warning says so. A merge over the header row is refused: across
/// header and data rows its name would become an answer, and across header columns the columns
/// after the first would have no name.
fn apply_merges(
    cells: &mut Vec<SheetCell>,
    merges: &[calamine::Dimensions],
    place: &SheetPlace,
) -> Result<Vec<String>> {
    if merges.is_empty() {
        return Ok(Vec::new());
    }
    cells.sort_by_key(|&(row, column, _)| (row, column));
    let Some(header) = cells.first().map(|c| c.0) else {
        return Ok(Vec::new());
    };
    let find = |cells: &[SheetCell], at: (u32, u32)| {
        cells.binary_search_by_key(&at, |&(row, column, _)| (row, column))
    };
    let name_of = |cells: &[SheetCell], column: u32| match find(cells, (header, column)) {
        Ok(at) => match cells.get(at) {
            Some((_, _, CellText::Text(name))) => {
                format!(" (`{}`)", crate::io::quote::printable(name.trim(), 40))
            }
            _ => String::new(),
        },
        Err(_) => String::new(),
    };
    // The rows that hold a cell, in order: a merge fills only those.
    let mut rows: Vec<u32> = cells.iter().map(|c| c.0).collect();
    rows.dedup();
    let mut budget = Budget::default();
    for cell in cells.iter() {
        budget.add(&cell.2, &place.file)?;
    }
    let mut merges: Vec<&calamine::Dimensions> = merges.iter().collect();
    merges.sort_by_key(|m| (m.start, m.end));
    let (mut warnings, mut unshown, mut unshown_hiding) = (Vec::new(), 0usize, 0usize);
    let mut fills: Vec<SheetCell> = Vec::new();
    // Cells of a merged range right of its first column: the sheet shows them empty.
    let mut emptied: Vec<(u32, u32)> = Vec::new();
    for merge in merges {
        let (top, bottom) = (
            merge.start.0.min(merge.end.0),
            merge.start.0.max(merge.end.0),
        );
        let (left, right) = (
            merge.start.1.min(merge.end.1),
            merge.start.1.max(merge.end.1),
        );
        // An empty range shows nothing: nothing to read.
        let Ok(anchor) = find(cells, (top, left)) else {
            continue;
        };
        let Some((_, _, value)) = cells.get(anchor) else {
            continue;
        };
        let cells_merged = format!(
            "{}{}:{}{}",
            column_letters(u64::from(left)),
            u64::from(top) + 1,
            column_letters(u64::from(right)),
            u64::from(bottom) + 1
        );
        let range = format!("{}!{cells_merged}", place.origin());
        let shown = crate::io::quote::printable(value.text(), 40);
        if top == header {
            let (what, fix) = match bottom > top {
                true => ("the header row and the rows below it: the column's name would be read as their answer", "unmerge the cells, and fill every row below the header with its answer"),
                false => ("columns of the header row: only the first of them would have a name, and the others' cells would be ignored", "unmerge the cells, and give each column its own name (a field id)"),
            };
            let at = Location::Cell {
                file: place.file.clone(),
                sheet: place.sheet.clone(),
                cell: cells_merged,
                column: None,
            };
            return Err(Error::input(
                at,
                format!("the range is merged across {what}: {fix}"),
            ));
        }
        // The range's rows that hold a cell, its first row (the anchor's) included.
        let first = rows.partition_point(|&row| row < top);
        let last = rows.partition_point(|&row| row <= bottom);
        let covered = rows.get(first..last).unwrap_or(&[]);
        // What the file holds under the merge, which the sheet hides (LibreOffice keeps it when
        // asked to, other programs write it): not read, as the sheet does not show it, but
        // named, as it may be the answer meant.
        let (mut hidden_named, mut hidden) = (Vec::new(), 0usize);
        for &row in covered {
            if row > top {
                let copy = value.clone();
                budget.add(&copy, &place.file)?;
                fills.push((row, left, copy));
            }
            let from = cells.partition_point(|c| (c.0, c.1) < (row, left));
            for (_, column, text) in cells
                .iter()
                .skip(from)
                .take_while(|c| (c.0, c.1) <= (row, right))
            {
                if (row, *column) == (top, left) {
                    continue;
                }
                if *column > left {
                    emptied.push((row, *column));
                }
                let held = text.text();
                if text != value && !held.trim().is_empty() {
                    hidden += 1;
                    if hidden_named.len() < 3 {
                        hidden_named.push(format!(
                            "{}{} holds `{}`",
                            column_letters(u64::from(*column)),
                            u64::from(row) + 1,
                            crate::io::quote::printable(held, 40)
                        ));
                    }
                }
            }
        }
        if warnings.len() >= SHOWN_MERGE_WARNINGS {
            unshown += 1;
            unshown_hiding += usize::from(hidden > 0);
            continue;
        }
        let hides = match hidden {
            0 => String::new(),
            _ => {
                let more = match hidden - hidden_named.len() {
                    0 => String::new(),
                    more => format!(" and {more} more cells hold values"),
                };
                let (they, each) = if hidden == 1 {
                    ("it is", "it")
                } else {
                    ("they are", "each")
                };
                format!(
                    "; under the merge, out of sight, {}{more}: {they} not read (type {each} on its row if it is the answer)",
                    hidden_named.join(", ")
                )
            }
        };
        let name = name_of(cells, left);
        let letters = |column: u32| column_letters(u64::from(column));
        let others = match right - left {
            0 => String::new(),
            1 => format!("column {} is", letters(right)),
            _ => format!("columns {} to {} are", letters(left + 1), letters(right)),
        };
        warnings.push(match (bottom > top, right > left) {
            (true, false) => format!(
                "{range} is merged: its value `{shown}` was used for every row it covers (rows {} to {}), as the sheet shows it; unmerge the cells and type the value on each row, so that the file says what the sheet shows",
                u64::from(top) + 1,
                u64::from(bottom) + 1
            ),
            (true, true) => format!(
                "{range} is merged: its value `{shown}` was used for every row it covers (rows {} to {}), as the sheet shows it, in column {}{name} only: {others} read as empty on those rows; unmerge the cells and fill each row, each answer in its own column",
                u64::from(top) + 1,
                u64::from(bottom) + 1,
                letters(left)
            ),
            _ => format!(
                "{range} is merged: its value `{shown}` answers column {}{name} only, and {others} read as empty; unmerge the cells and put each answer in its own column",
                letters(left)
            ),
        });
        if let Some(warning) = warnings.last_mut() {
            warning.push_str(&hides);
        }
    }
    if unshown > 0 {
        let hiding = match unshown_hiding {
            0 => String::new(),
            n => format!("; {n} of them hide values typed under them, which are not read"),
        };
        warnings.push(format!(
            "{}: {unshown} more merged ranges are read the same way (each value used for every row its range covers){hiding}",
            place.origin()
        ));
    }
    // A cell a merge covers is empty in the file; one that is not (a program that wrote it
    // anyway) is hidden by the merge, and the value shown is read instead.
    let mut added = Vec::new();
    for (row, column, text) in fills {
        match find(cells, (row, column))
            .ok()
            .and_then(|at| cells.get_mut(at))
        {
            Some(cell) => cell.2 = text,
            None => added.push((row, column, text)),
        }
    }
    cells.extend(added);
    if !emptied.is_empty() {
        emptied.sort_unstable();
        cells.retain(|c| emptied.binary_search(&(c.0, c.1)).is_err());
    }
    Ok(warnings)
}

/// The zip path of the .xlsx worksheet `name`: the workbook's `<sheet name=… r:id=…>`, and the
/// target of that relationship.
fn xlsx_sheet_part(bytes: &[u8], name: &str) -> Option<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let limit = crate::io::limits::WORKBOOK_BYTES.get();
    let names: Vec<String> = (archive.file_names())
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let mut elements = |part: &str, tag: &str, key: &str| -> Vec<(String, String)> {
        // Looked up as calamine does (`XL\Workbook.xml` is `xl/workbook.xml`).
        let Some(part) = names.iter().find(|n| part_key(n) == part) else {
            return Vec::new();
        };
        let Ok(file) = archive.by_name(part) else {
            return Vec::new();
        };
        let mut xml = PartXml::new(file, limit);
        let (mut buf, mut found) = (Vec::new(), Vec::new());
        loop {
            match xml.next(&mut buf) {
                Ok(Event::Start(e)) if e.local_name().as_ref() == tag => {
                    let value = |k: &str| {
                        let raw = xml_attribute(&e, k)?;
                        Some(
                            quick_xml::escape::unescape(raw)
                                .map_or(raw.to_string(), |v| v.into_owned()),
                        )
                    };
                    if let (Some(k), Some(id)) = (value(key), value("r:id").or_else(|| value("Id")))
                    {
                        found.push((k, id));
                    }
                }
                Ok(Event::Eof) | Err(_) => return found,
                Ok(_) => {}
            }
        }
    };
    let sheets = elements("xl/workbook.xml", "sheet", "name");
    let id = sheets.into_iter().find(|(sheet, _)| sheet == name)?.1;
    let relationships = elements("xl/_rels/workbook.xml.rels", "Relationship", "Target");
    let target = relationships.into_iter().find(|(_, rid)| *rid == id)?.0;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    })
}

/// A warning naming the rows read that the sheet hides (`hidden`, from 0), or none.
fn hidden_rows_warning(rows: &[SheetRow], hidden: Ranges, place: &SheetPlace) -> Option<String> {
    let read_hidden: Vec<u64> = (rows.iter().skip(1))
        .map(|row| row.line)
        .filter(|&line| hidden.contains(line - 1))
        .collect();
    let rows = match read_hidden.as_slice() {
        [] => return None,
        [one] => format!("row {one} is"),
        many => {
            let mut shown: Vec<String> = many.iter().take(10).map(u64::to_string).collect();
            let last = match many.len() > shown.len() {
                true => format!("{} more", many.len() - shown.len()),
                false => shown.pop().unwrap_or_default(),
            };
            format!("rows {} and {last} are", shown.join(", "))
        }
    };
    Some(format!(
        "{}: {rows} hidden in the sheet (by hand, by a filter or by the sheet's settings), and read like every other row; to leave a country out, delete its row, or copy the rows you want to a sheet of their own and give it with --sheet",
        place.origin()
    ))
}

/// A warning naming the header's columns the sheet hides (`hidden`, from 0), or none: a person
/// hides a column to leave it out as often as a row.
fn hidden_columns_warning(rows: &[SheetRow], hidden: Ranges, place: &SheetPlace) -> Option<String> {
    let header = rows.first()?;
    let named: Vec<String> = (header.record.iter().enumerate())
        .filter(|(_, name)| !name.is_empty())
        .filter(|(position, _)| hidden.contains(u64::from(place.first_column) + *position as u64))
        .map(|(position, name)| {
            let name = crate::io::quote::printable(&String::from_utf8_lossy(name), 60);
            format!("{} (`{name}`)", place.letters(position))
        })
        .collect();
    let columns = match named.as_slice() {
        [] => return None,
        [one] => format!("column {one} is"),
        [init @ .., last] => format!("columns {} and {last} are", init.join(", ")),
    };
    Some(format!(
        "{}: {columns} hidden in the sheet, and read like every other column; to leave a field out, delete its column",
        place.origin()
    ))
}

/// Rows of records from cells: sorted, each row's cells from `first_column` on (gaps empty),
/// every row at least as wide as the first (the header), errors noted at their places.
fn build_rows(mut cells: Vec<SheetCell>, first_column: u32) -> Vec<SheetRow> {
    cells.sort_by_key(|&(row, column, _)| (row, column));
    let mut rows: Vec<SheetRow> = Vec::new();
    let mut header_width = 0;
    let mut cells = cells.into_iter().peekable();
    while let Some(&(row, ..)) = cells.peek() {
        let mut record = Record::default();
        let mut errors = Vec::new();
        let mut width = 0usize;
        while let Some((_, column, text)) = cells.next_if(|c| c.0 == row) {
            let position = (column - first_column) as usize;
            if position < width {
                continue; // the same cell twice: the first counts
            }
            while width < position {
                record.push_cell(b"");
                width += 1;
            }
            match text {
                CellText::Text(text) => record.push_cell(text.as_bytes()),
                CellText::Error(error) => {
                    errors.push(CellError {
                        cell: position,
                        error,
                        kind: CellErrorKind::SpreadsheetError,
                    });
                    record.push_cell(b"");
                }
                CellText::NoValue(formula) => {
                    errors.push(CellError {
                        cell: position,
                        error: formula,
                        kind: CellErrorKind::FormulaWithoutValue,
                    });
                    record.push_cell(b"");
                }
                CellText::ShownWithoutValue { shown, marked } => {
                    errors.push(CellError {
                        cell: position,
                        error: shown,
                        kind: CellErrorKind::ShownWithoutValue(marked),
                    });
                    record.push_cell(b"");
                }
            }
            width += 1;
        }
        if rows.is_empty() {
            header_width = width;
        }
        while width < header_width {
            record.push_cell(b"");
            width += 1;
        }
        rows.push(SheetRow {
            line: u64::from(row) + 1,
            record,
            errors,
        });
    }
    rows
}

mod xls;
use xls::check_xls_size;
#[cfg(test)]
use xls::*;

#[cfg(test)]
mod tests;
