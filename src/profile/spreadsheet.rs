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

use crate::error::{Error, Result};
use crate::io::csv_records::Record;
use calamine::{Data, Reader};
use quick_xml::events::{BytesStart, Event};
use std::io::Cursor;
use std::path::Path;

/// Extensions read as workbooks (compared without case).
pub const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// A zip archive (`.xlsx`, `.xlsm`, `.ods`).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// An OLE compound file (`.xls`, or an encrypted `.xlsx`).
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Memory a cell takes besides its text, counted against the limit.
const CELL_OVERHEAD: u64 = 16;

/// Whether `path` is read as a workbook (by its extension).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|w| w.eq_ignore_ascii_case(e)))
}

/// Refuses a workbook's bytes given as CSV (a `.csv` name, or standard input).
pub fn refuse_workbook_bytes(sample: &[u8], origin: &str) -> Result<()> {
    let kind = if sample.starts_with(ZIP_MAGIC) {
        "a zip archive (an .xlsx or .ods workbook)"
    } else if sample.starts_with(OLE_MAGIC) {
        "an .xls workbook"
    } else {
        return Ok(());
    };
    Err(Error::invalid(format!(
        "{origin}: the file is {kind}, not CSV text: give the workbook's file name, ending in .xlsx, .xlsm, .xls or .ods, so it is read as a workbook, or save it from the spreadsheet as \"CSV UTF-8\""
    )))
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
                    text => format!("the formula `{}`", crate::report::style::printable(text, 200)),
                };
                format!(
                    "the cell holds {formula} but no saved value (the program that wrote the workbook did not compute it): open the workbook in Excel or LibreOffice Calc and save it, so its formulas' values are saved, or type the answer instead"
                )
            }
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
}

/// A cell's content as text, the spreadsheet error it holds, or its formula with no saved value.
enum CellText {
    Text(String),
    Error(String),
    NoValue(String),
}

impl SheetRows {
    /// Reads sheet `sheet` (default: the first visible worksheet) of the workbook at `path`.
    pub fn open(path: &Path, sheet: Option<&str>) -> Result<SheetRows> {
        let file = path.display().to_string();
        let bytes = read_workbook(path)?;
        let file_bytes = bytes.len() as u64;
        // A panic in calamine (a bug, on a damaged file) is an error, without the panic's report.
        let (name, cells) = crate::catalog::index::contained(|| read_cells(&bytes, &file, sheet))
            .map_err(|_| damaged(&file))??;
        let place = SheetPlace {
            file,
            sheet: quote_sheet(&name),
            first_column: cells.iter().map(|c| c.1).min().unwrap_or(0),
        };
        if cells.is_empty() {
            let other = sheet.map_or("; give another sheet with --sheet NAME", |_| "");
            return Err(Error::invalid(format!(
                "{}: the sheet is empty: expected a header row of field ids (`ipneeds template` writes one){other}",
                place.origin(),
            )));
        }
        let rows = build_rows(cells, place.first_column);
        Ok(SheetRows {
            total: rows.len(),
            rows: rows.into_iter(),
            taken: 0,
            file_bytes,
            place,
        })
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

/// The chosen sheet's name and its non-empty cells.
fn read_cells(bytes: &[u8], file: &str, sheet: Option<&str>) -> Result<(String, Vec<SheetCell>)> {
    let cursor = Cursor::new(bytes);
    let not_a_workbook = |detail: String| {
        Error::invalid(format!(
            "{file}: the file is not a workbook its extension names ({detail}): save it again from the spreadsheet, or, if it is CSV text, rename it to .csv"
        ))
    };
    if bytes.starts_with(OLE_MAGIC) {
        check_xls_size(bytes, file)?;
        return whole_sheet::<calamine::Xls<_>>(cursor, file, sheet, false);
    }
    if !bytes.starts_with(ZIP_MAGIC) {
        return Err(not_a_workbook(
            "it is neither a zip archive nor an OLE file".into(),
        ));
    }
    if is_ods(bytes) {
        check_ods_size(bytes, file)?;
        return whole_sheet::<calamine::Ods<_>>(cursor, file, sheet, true);
    }
    check_xlsx_strings(bytes, file)?;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(cursor)
        .map_err(|e: calamine::XlsxError| unreadable(file, &e.to_string()))?;
    let name = choose_sheet(&book, file, sheet)?;
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
    Ok((name, cells))
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
    sheet: Option<&str>,
    formulas: bool,
) -> Result<(String, Vec<SheetCell>)>
where
    R::Error: std::fmt::Display,
{
    let mut book = R::new(cursor).map_err(|e| unreadable(file, &e.to_string()))?;
    let name = choose_sheet(&book, file, sheet)?;
    let range = (book.worksheet_range(&name)).map_err(|e| unreadable(file, &e.to_string()))?;
    let mut cells = range_cells(&range, file)?;
    if formulas {
        let formulas =
            (book.worksheet_formula(&name)).map_err(|e| unreadable(file, &e.to_string()))?;
        cells.extend(formulas_without_value(&range, &formulas));
    }
    Ok((name, cells))
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
    head.windows(8).any(|w| w == b"mimetype")
        && head
            .windows(b"opendocument.spreadsheet".len())
            .any(|w| w == b"opendocument.spreadsheet")
}

/// A workbook calamine cannot read, in the user's terms.
fn unreadable(file: &str, detail: &str) -> Error {
    let hint = if detail.to_lowercase().contains("password") {
        "it is password-protected: save a copy without a password"
    } else {
        "open it in the spreadsheet and save it again, or save the sheet as \"CSV UTF-8\""
    };
    Error::invalid(format!(
        "{file}: the workbook cannot be read ({}): {hint}",
        crate::report::style::printable(detail, 200)
    ))
}

/// The sheet asked for, or the first visible worksheet.
fn choose_sheet<RS, R>(book: &R, file: &str, wanted: Option<&str>) -> Result<String>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
{
    let sheets = book.sheets_metadata();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    let Some(wanted) = wanted else {
        let worksheets = || {
            sheets
                .iter()
                .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        };
        let first = (worksheets().find(|s| s.visible == calamine::SheetVisible::Visible))
            .or_else(|| worksheets().next());
        return first.map(|s| s.name.clone()).ok_or_else(|| {
            Error::invalid(format!(
                "{file}: the workbook has no worksheet (only charts or macros): add a sheet of profiles"
            ))
        });
    };
    if let Some(exact) = names.iter().find(|n| **n == wanted) {
        return Ok((*exact).to_string());
    }
    let same_but_case: Vec<&&str> = (names.iter())
        .filter(|n| n.to_lowercase() == wanted.to_lowercase())
        .collect();
    if let [one] = same_but_case.as_slice() {
        return Ok((**one).to_string());
    }
    let hint = crate::suggest::did_you_mean(wanted, names.iter().copied());
    let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    Err(Error::invalid(format!(
        "{file}: no sheet `{}`{hint}: the workbook's sheets are {}; give one of them with --sheet",
        crate::report::style::printable(wanted, 60),
        listed.join(", ")
    )))
}

/// Bytes of cell text read so far, against the workbook limit (a small zip can hold a huge
/// sheet).
#[derive(Default)]
struct Budget(u64);

impl Budget {
    fn add(&mut self, text: &CellText, file: &str) -> Result<()> {
        let (CellText::Text(t) | CellText::Error(t) | CellText::NoValue(t)) = text;
        self.0 += t.len() as u64 + CELL_OVERHEAD;
        if self.0 > crate::io::limits::WORKBOOK_BYTES.get() {
            return Err(too_big(file, ""));
        }
        Ok(())
    }
}

/// A sheet over the workbook limit once read, at `origin` (the file, or the file and sheet);
/// `detail` (in brackets, or empty) says what makes it so big.
fn too_big(origin: &str, detail: &str) -> Error {
    Error::invalid(format!(
        "{origin}: the sheet's cells take more than {} bytes once read{detail}; {}: for more rows, save the sheet as \"CSV UTF-8\" (a CSV streams, with no size limit)",
        crate::io::limits::WORKBOOK_BYTES.get(),
        crate::io::limits::WORKBOOK_BYTES.explain()
    ))
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

/// Refuses an `.xlsx` whose shared strings would take more than the workbook limit once
/// calamine reads them, before it does. The table holds the text of the cells of every sheet
/// and is read whole when the book is opened; calamine first sets room aside for as many
/// strings as the table says it holds (`uniqueCount`: a 1 KB file saying 4,000,000,000 asked
/// for 96 GB, and the process aborted), then keeps every string.
fn check_xlsx_strings(bytes: &[u8], file: &str) -> Result<()> {
    let limit = crate::io::limits::WORKBOOK_BYTES.get();
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    // calamine finds the part through the workbook's relationships, by this name in any case.
    let parts: Vec<String> = (archive.file_names())
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml"))
        .collect();
    for name in parts {
        let Ok(part) = archive.by_name(&name) else {
            continue;
        };
        let mut xml = PartXml::new(part, limit);
        let mut declared = 0;
        if scan_shared_strings(&mut xml, limit, &mut declared) == Err(Stop::TooBig) {
            let detail = match declared.saturating_mul(STRING_SLOT) > limit {
                true => format!(" (its table of shared text, read whole for all its sheets, says it holds {declared} strings)"),
                false => " (its table of shared text, read whole for all its sheets)".to_string(),
            };
            return Err(too_big(file, &detail));
        }
    }
    Ok(())
}

/// What calamine keeps for each string besides its text.
const STRING_SLOT: u64 = std::mem::size_of::<String>() as u64;

/// An .xlsx's shared strings, counted against `limit` as calamine keeps them: room for the
/// strings the table declares (`declared`) or holds, and each one's text.
fn scan_shared_strings<R: std::io::Read>(
    xml: &mut PartXml<R>,
    limit: u64,
    declared: &mut u64,
) -> std::result::Result<(), Stop> {
    let (mut strings, mut text) = (0u64, 0u64);
    let mut buf = Vec::new();
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                let count = xml_attributes(&e).find(|(k, _)| *k == "uniqueCount");
                *declared = count.and_then(|(_, n)| n.parse().ok()).unwrap_or(0);
            }
            Event::Start(e) if e.local_name().as_ref() == "si" => strings += 1,
            Event::Text(t) => text += t.len() as u64,
            Event::GeneralRef(r) => text += r.len() as u64 + 2,
            Event::Eof => return Ok(()),
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
/// calamine and its messages.
fn check_ods_size(bytes: &[u8], file: &str) -> Result<()> {
    let (outcome, tally) = scan_ods(bytes, crate::io::limits::WORKBOOK_BYTES.get());
    match outcome {
        Ok(()) | Err(Stop::Unreadable) => Ok(()),
        Err(Stop::TooBig) => Err(too_big(
            &format!("{file} {}", quote_sheet(&tally.sheet)),
            &tally.repeated_rows(),
        )),
        Err(Stop::Endless) => Err(damaged(file)),
    }
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
    Error::invalid(format!(
        "{file}: the workbook could not be read (it looks damaged): open it in the spreadsheet and save it again, or save the sheet as \"CSV UTF-8\""
    ))
}

/// A workbook that calamine would loop on or set aside more than the file holds for, saying
/// where (`detail`, or empty).
fn damaged_because(file: &str, detail: &str) -> Error {
    if detail.is_empty() {
        return damaged(file);
    }
    Error::invalid(format!(
        "{file}: the workbook could not be read (it looks damaged: {detail}): open it in the spreadsheet and save it again, or save the sheet as \"CSV UTF-8\""
    ))
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
        let (key, after) = rest.trim_ascii_start().split_once('=')?;
        let after = after.trim_ascii_start();
        let quote = after.chars().next().filter(|&q| q == '"' || q == '\'')?;
        let value = &after[1..];
        // An unclosed quote runs to the end, as in calamine.
        let (value, next) = value.split_once(quote).unwrap_or((value, ""));
        rest = next;
        Some((key.trim_ascii_end(), value))
    })
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
        }
    }

    fn start_sheet(&mut self, name: &str) {
        self.done = self.done.saturating_add(self.sheet_bytes());
        *self = OdsTally {
            limit: self.limit,
            done: self.done,
            sheet: name.to_string(),
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

    /// A row repeated `repeats` times starts; its copies, capped as calamine caps them.
    fn start_row(&mut self, repeats: u64) -> u64 {
        let copies = repeats.min(ODS_MAX_ROWS.saturating_sub(self.rows));
        self.row = (self.rows, copies, false);
        self.rows += copies;
        copies
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
                tally.start_row(repeats);
                scan_ods_row(xml, tally)?;
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
        let (filled, bytes, closed) =
            scan_ods_cell(xml, &e, &mut cell_buf, tally, repeats.min(ODS_MAX_COLUMNS))?;
        // The empty cells before a filled one are kept; columns are capped as calamine caps them.
        let empties = waiting.min(ODS_MAX_COLUMNS - kept);
        kept += empties;
        tally.read = tally.read.saturating_add(empties);
        waiting = 0;
        let copies = repeats.min(ODS_MAX_COLUMNS - kept);
        if filled {
            if copies > 0 {
                tally.filled((kept, kept + copies - 1), bytes)?;
            }
            kept += copies;
            tally.read = tally.read.saturating_add(copies);
        } else {
            waiting = copies;
        }
        tally.check(0)?;
        if !closed {
            xml.skip_to_end(e.name().0, &mut cell_buf)?;
        }
    }
}

/// A cell's attributes and, for text, its content, as calamine reads them: whether it holds a
/// value or a formula, the bytes of its text and formula, and whether its end was read.
fn scan_ods_cell<R: std::io::Read>(
    xml: &mut PartXml<R>,
    cell: &BytesStart<'_>,
    buf: &mut Vec<u8>,
    tally: &OdsTally,
    repeats: u64,
) -> std::result::Result<(bool, u64, bool), Stop> {
    let (mut value_set, mut is_string, mut is_error, mut empty_string) =
        (false, false, false, false);
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
            "office:value-type" if !value_set => is_string = value == "string",
            "calcext:value-type" => is_error = value == "error",
            "table:formula" => formula = value.len() as u64,
            _ => {}
        }
    }
    if !((!value_set && is_string) || (is_error && empty_string)) {
        return Ok((value_set || formula > 0, bytes + formula, false));
    }
    // The cell's text is its content: paragraphs, spaces (`<text:s text:c="5"/>`), tabs.
    let copies = repeats.max(1).saturating_mul(tally.row.1.max(1));
    let mut paragraphs = 0u64;
    loop {
        let added = match xml.next(buf)? {
            Event::Text(t) => t.len() as u64,
            Event::GeneralRef(r) => r.len() as u64 + 2,
            Event::End(e)
                if e.name().0 == "table:table-cell" || e.name().0 == "table:covered-table-cell" =>
            {
                return Ok((true, bytes + formula, true));
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

// ---- .xls: its Compound File and Workbook stream, counted before calamine reads them ----

/// What calamine keeps for each cell of an `.xls` sheet's laid-out block, filled or not.
const XLS_SLOT: u64 = std::mem::size_of::<Data>() as u64;

/// What calamine keeps for each filled cell (its place and value) while it reads a sheet, and
/// for each formula.
const XLS_CELL: u64 = std::mem::size_of::<calamine::Cell<Data>>() as u64;
const XLS_FORMULA: u64 = std::mem::size_of::<calamine::Cell<String>>() as u64;

/// What calamine keeps for each sheet, defined name, merged area and CONTINUE record of the
/// record it reads, besides their text (a generous round figure for the first two).
const XLS_SHEET: u64 = 256;
const XLS_NAME: u64 = 128;
const XLS_MERGED: u64 = 16;
const XLS_CONTINUE: u64 = 2 * std::mem::size_of::<&[u8]>() as u64;

/// The most CONTINUE records a table of shared text may have: calamine takes each from the
/// front of a list, so their cost grows as their square (a table that fills a 64 MiB file has
/// about 8,000).
const XLS_MAX_CONTINUES: u64 = 32_768;

/// The most work calamine may do inserting the spaces of formulas' space tokens (one at a time,
/// each moving the text after it): spaces times formula bytes, over the workbook. A real
/// workbook's formulas do a few million.
const XLS_MAX_SPACE_WORK: u64 = 1 << 32;

/// The longest text calamine writes for one token of a formula besides names: a number
/// (`f64` written out in full, up to 330 characters), a function's name and brackets.
const XLS_NUMBER_TEXT: u64 = 330;
const XLS_FUNCTION_TEXT: u64 = 64;

/// The most rows and columns an `.xls` sheet has.
const XLS_ROWS: u64 = 65_536;
const XLS_COLUMNS: u64 = 256;

/// Compound File sector numbers that mean something else.
const CFB_END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const CFB_DIFAT_SECTOR: u32 = 0xFFFF_FFFC;
const CFB_RESERVED: u32 = 0xFFFF_FFFA;

/// Why the count of an `.xls` stopped.
#[derive(Debug, PartialEq, Eq)]
enum XlsStop {
    /// Over the limit, in sheet `sheet` (`None`: the parts read for all sheets), for the
    /// reason `detail` (bracketed, or empty).
    TooBig {
        sheet: Option<String>,
        detail: String,
    },
    /// A chain or a size the file cannot hold (calamine would go round it forever, or set
    /// aside more than the file could fill); `detail` says which, or is empty.
    Damaged(String),
    /// calamine stops here with an error of its own (or a panic, reported as an error) before
    /// it sets aside anything big: left to it and its message.
    Unreadable,
}

type XlsResult<T> = std::result::Result<T, XlsStop>;

fn le16(bytes: &[u8], at: usize) -> Option<u16> {
    let pair = bytes.get(at..at.checked_add(2)?)?;
    <[u8; 2]>::try_from(pair).ok().map(u16::from_le_bytes)
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    let quad = bytes.get(at..at.checked_add(4)?)?;
    <[u8; 4]>::try_from(quad).ok().map(u32::from_le_bytes)
}

fn le64(bytes: &[u8], at: usize) -> Option<u64> {
    let eight = bytes.get(at..at.checked_add(8)?)?;
    <[u8; 8]>::try_from(eight).ok().map(u64::from_le_bytes)
}

/// A sector's numbers; calamine stops on a panic for a sector cut inside a number.
fn le32s(bytes: &[u8]) -> XlsResult<Vec<u32>> {
    if !bytes.len().is_multiple_of(4) {
        return Err(XlsStop::Damaged(String::new()));
    }
    Ok((0..bytes.len() / 4)
        .filter_map(|i| le32(bytes, i * 4))
        .collect())
}

/// Refuses an `.xls` whose sheets would take more than the workbook limit once calamine reads
/// them, before calamine does, or that would make it loop or set aside more than the file
/// holds. calamine reads every sheet when the book is opened and lays each out whole, from its
/// first to its last filled row and column: a 5 KB file with cells A1 and IV65536 asked for
/// 16 million cells (about 1 GB), and one whose dimensions record said 4 billion rows made the
/// process abort. The Compound File (its allocation table, directory and chains of sectors) and
/// the Workbook stream's records are walked as calamine walks them, counted, not kept.
fn check_xls_size(bytes: &[u8], file: &str) -> Result<()> {
    match scan_xls(bytes, crate::io::limits::WORKBOOK_BYTES.get()) {
        Ok(()) | Err(XlsStop::Unreadable) => Ok(()),
        Err(XlsStop::TooBig { sheet, detail }) => {
            let origin = match sheet {
                Some(name) => format!("{file} {}", quote_sheet(&name)),
                None => file.to_string(),
            };
            Err(too_big(&origin, &detail))
        }
        Err(XlsStop::Damaged(detail)) => Err(damaged_because(file, &detail)),
    }
}

/// An `.xls`'s Workbook stream and sheets counted against `limit`.
fn scan_xls(bytes: &[u8], limit: u64) -> XlsResult<()> {
    let stream = xls_workbook_stream(bytes)?;
    let mut scan = XlsScan::new(&stream, limit);
    scan.globals()?;
    scan.sheets()
}

/// The Compound File's sectors as calamine reads them (src/cfb.rs): sector `id` is the file's
/// block `id + 1` of `size` bytes (the header takes the first).
struct CfbSectors<'a> {
    bytes: &'a [u8],
    size: usize,
    /// The highest sector number calamine reads.
    max_id: u64,
}

impl<'a> CfbSectors<'a> {
    fn get(&self, id: u32) -> XlsResult<&'a [u8]> {
        if u64::from(id) > self.max_id {
            return Err(XlsStop::Unreadable);
        }
        let start = (id as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.size))
            .ok_or(XlsStop::Unreadable)?;
        let end = start.saturating_add(self.size).min(self.bytes.len());
        // A sector that starts at the file's end: calamine reads zeros there, or panics.
        (self.bytes.get(start..end))
            .filter(|sector| !sector.is_empty())
            .ok_or(XlsStop::Damaged(String::new()))
    }
}

/// A chain of sectors as calamine gathers it (`get_chain`): from `start`, each sector's next
/// from `table`, to the end mark or `len` bytes. A chain that visits more sectors than there
/// are goes round in a circle: calamine would gather it up to `len` (or forever), so the file
/// is damaged. What is gathered is at most the file's size.
fn cfb_chain<'a>(
    sector: impl Fn(u32) -> XlsResult<&'a [u8]>,
    table: &[u32],
    start: u32,
    len: u64,
    sectors: u64,
) -> XlsResult<Vec<u8>> {
    let mut chain = Vec::new();
    let mut id = start;
    let mut visited = 0u64;
    while id != CFB_END_OF_CHAIN {
        visited += 1;
        if visited > sectors {
            return Err(XlsStop::Damaged(
                "a chain of its sectors goes round in a circle".into(),
            ));
        }
        let data = sector(id)?;
        let room = len.saturating_sub(chain.len() as u64);
        let take = usize::try_from(room).unwrap_or(usize::MAX).min(data.len());
        chain.extend_from_slice(data.get(..take).unwrap_or(data));
        if chain.len() as u64 >= len {
            break;
        }
        // calamine panics on a next sector past its table.
        id = *(table.get(id as usize)).ok_or(XlsStop::Damaged(String::new()))?;
    }
    Ok(chain)
}

/// A directory entry's name: UTF-16 to its first NUL.
fn cfb_name(entry: &[u8]) -> String {
    let units = (0..32)
        .map_while(|i| le16(entry, i * 2))
        .take_while(|&unit| unit != 0);
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// The Workbook (or Book) stream of an OLE file, read as calamine reads it; `Unreadable` where
/// calamine stops first with an error of its own, `Damaged` where it would loop or gather far
/// more than the file holds.
fn xls_workbook_stream(bytes: &[u8]) -> XlsResult<Vec<u8>> {
    let header = bytes.get(..512).ok_or(XlsStop::Unreadable)?;
    let size = match le16(header, 30) {
        Some(9) => 512,
        Some(12) if bytes.len() >= 4096 => 4096,
        _ => return Err(XlsStop::Unreadable),
    };
    if le16(header, 32) != Some(6) {
        return Err(XlsStop::Unreadable);
    }
    let sectors = CfbSectors {
        bytes,
        size,
        max_id: (bytes.len() / size) as u64,
    };
    let count = sectors.max_id + 1;
    let field = |at| le32(header, at).ok_or(XlsStop::Unreadable);
    // The allocation table's sectors: 109 listed in the header, more in a chain of sectors that
    // each list more (the last number of each: the next one), as calamine reads them.
    let mut listed = le32s(header.get(76..512).unwrap_or_default())?;
    let mut id = field(68)?;
    let mut list_sectors = 0u64;
    while id < CFB_RESERVED {
        list_sectors += 1;
        if list_sectors > count {
            return Err(XlsStop::Unreadable);
        }
        listed.extend(le32s(sectors.get(id)?)?);
        id = listed.pop().ok_or(XlsStop::Unreadable)?;
    }
    let table_sectors: Vec<u32> = (listed.into_iter())
        .filter(|&id| id < CFB_DIFAT_SECTOR)
        .collect();
    if table_sectors.len() as u64 > count {
        // calamine copies each listed sector into its table, however often it is listed.
        return Err(XlsStop::Damaged(format!(
            "its allocation table is said to take {} sectors, and the file has {count}",
            table_sectors.len()
        )));
    }
    let mut table = Vec::new();
    for id in table_sectors {
        table.extend(le32s(sectors.get(id)?)?);
    }
    let any = |id| sectors.get(id);
    let directory = cfb_chain(any, &table, field(48)?, u64::MAX, count)?;
    let entries = directory.chunks_exact(128);
    let start = |entry: &[u8]| le32(entry, 116).unwrap_or(CFB_END_OF_CHAIN);
    let len = |entry: &[u8]| match size {
        512 => le32(entry, 120).map(u64::from),
        _ => le64(entry, 120),
    };
    let root = entries.clone().next().ok_or(XlsStop::Unreadable)?;
    if le16(header, 26) != Some(3) && start(root) == CFB_END_OF_CHAIN {
        return Err(XlsStop::Unreadable);
    }
    // Streams under 4096 bytes lie in the root's mini stream, in 64-byte sectors.
    let mini_table_sectors = u64::from(field(64)?);
    let (mini_table, mini_stream) = if mini_table_sectors > 0 {
        let stream = cfb_chain(any, &table, start(root), len(root).unwrap_or(0), count)?;
        let mini_len = mini_table_sectors.saturating_mul(size as u64);
        let mini_table = cfb_chain(any, &table, field(60)?, mini_len, count)?;
        (le32s(&mini_table)?, stream)
    } else {
        (Vec::new(), Vec::new())
    };
    let mini = |id: u32| {
        let start = (id as usize).saturating_mul(64);
        // calamine reads a mini sector past the mini stream from wherever the file was left.
        (mini_stream.get(start..start.saturating_add(64))).ok_or(XlsStop::Damaged(String::new()))
    };
    let stream = |name: &str| {
        let entry = (entries.clone())
            .find(|entry| cfb_name(entry).eq_ignore_ascii_case(name))
            .ok_or(XlsStop::Unreadable)?;
        let len = len(entry).unwrap_or(0);
        if len < 4096 {
            let mini_sectors = mini_stream.len() as u64 / 64 + 1;
            cfb_chain(mini, &mini_table, start(entry), len, mini_sectors)
        } else {
            cfb_chain(any, &table, start(entry), len, count)
        }
    };
    match stream("Workbook") {
        Err(XlsStop::Unreadable) => stream("Book"),
        found => found,
    }
}

/// A BIFF record as calamine's `RecordIter` gives it: its type, its body, and the CONTINUE
/// records right after it (joined to it), as they lie in the stream, heads included.
struct XlsRecord<'a> {
    typ: u16,
    data: &'a [u8],
    continues: &'a [u8],
    continued: u64,
}

/// The records of a Workbook stream from a place, as calamine reads them.
struct XlsRecords<'a> {
    stream: &'a [u8],
    at: usize,
}

impl<'a> XlsRecords<'a> {
    /// The next record; `Unreadable` where calamine stops with an error.
    fn next(&mut self) -> Option<XlsResult<XlsRecord<'a>>> {
        let rest = self.stream.get(self.at..)?;
        if rest.is_empty() {
            return None;
        }
        let (Some(typ), Some(len)) = (le16(rest, 0), le16(rest, 2)) else {
            return Some(Err(XlsStop::Unreadable));
        };
        let end = 4 + usize::from(len);
        let Some(data) = rest.get(4..end) else {
            return Some(Err(XlsStop::Unreadable));
        };
        let (mut after, mut continued) = (end, 0);
        while rest.len() > after + 4 && le16(rest, after) == Some(0x003C) {
            let next = after + 4 + usize::from(le16(rest, after + 2).unwrap_or(0));
            if rest.len() < next {
                return Some(Err(XlsStop::Unreadable));
            }
            after = next;
            continued += 1;
        }
        self.at += after;
        let continues = rest.get(end..after).unwrap_or_default();
        Some(Ok(XlsRecord {
            typ,
            data,
            continues,
            continued,
        }))
    }
}

/// A record's body, then its CONTINUE records, read as calamine reads them (`Record`).
struct XlsParts<'a> {
    data: &'a [u8],
    rest: &'a [u8],
}

impl XlsParts<'_> {
    /// The next CONTINUE record's body; `false` when there is none.
    fn next_part(&mut self) -> bool {
        let Some(len) = le16(self.rest, 2) else {
            return false;
        };
        let end = 4 + usize::from(len);
        let (Some(data), Some(rest)) = (self.rest.get(4..end), self.rest.get(end..)) else {
            return false;
        };
        (self.data, self.rest) = (data, rest);
        true
    }

    /// Skips `len` bytes, across CONTINUE records; `false` when they run out first.
    fn skip(&mut self, mut len: u64) -> bool {
        while len > 0 {
            if self.data.is_empty() && !self.next_part() {
                return false;
            }
            let step = (self.data.len() as u64).min(len);
            self.data = self.data.get(step as usize..).unwrap_or_default();
            len -= step;
        }
        true
    }
}

/// How calamine decodes an `.xls`'s text, by its code page (1200 in every BIFF8 file Excel
/// writes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum XlsText {
    Utf16Le,
    Utf16Be,
    Other,
}

impl XlsText {
    fn from_codepage(codepage: u16) -> XlsText {
        match codepage {
            1200 => XlsText::Utf16Le,
            1201 => XlsText::Utf16Be,
            _ => XlsText::Other,
        }
    }

    /// calamine's `decode_to` of at most `chars` characters of `raw`, one byte each or two
    /// (`wide`): the characters read, the bytes they take, and (at most) their UTF-8 bytes.
    fn decode(self, raw: &[u8], chars: usize, wide: Option<bool>) -> (usize, usize, u64) {
        let wide = match (wide, self) {
            (None, XlsText::Utf16Le | XlsText::Utf16Be) => Some(false),
            (wide, _) => wide,
        };
        match wide {
            None => {
                let read = raw.len().min(chars);
                (read, read, 3 * read as u64)
            }
            Some(false) => {
                let read = raw.len().min(chars);
                let utf8 = match self {
                    XlsText::Utf16Le => (raw.iter().take(read))
                        .map(|&b| if b < 0x80 { 1 } else { 2 })
                        .sum(),
                    XlsText::Utf16Be => 3 * read as u64,
                    XlsText::Other => 4 * read as u64,
                };
                (read, read, utf8)
            }
            Some(true) => {
                let read = (raw.len() / 2).min(chars);
                let utf8 = match self {
                    XlsText::Utf16Le => (0..read)
                        .filter_map(|i| le16(raw, 2 * i))
                        .map(|unit| match unit {
                            0..0x80 => 1,
                            0x80..0x800 => 2,
                            _ => 3,
                        })
                        .sum(),
                    XlsText::Utf16Be => 3 * read as u64,
                    XlsText::Other => 6 * read as u64,
                };
                (read, 2 * read, utf8)
            }
        }
    }

    /// A sheet's name, for messages (text in another code page read as Latin-1).
    fn name(self, raw: &[u8], wide: bool) -> String {
        let name: String = if wide && self == XlsText::Utf16Le {
            let units = (0..raw.len() / 2).filter_map(|i| le16(raw, 2 * i));
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        } else {
            raw.iter().map(|&b| char::from(b)).collect()
        };
        name.replace('\0', "")
    }
}

/// calamine's `parse_string` (an `XLUnicodeString`): the bytes its text takes, room set aside
/// included; `None` where calamine stops with an error.
fn xls_string(record: &[u8], text: XlsText, biff8: bool) -> Option<u64> {
    let head = if biff8 { 3 } else { 2 };
    if record.len() < head {
        return (record.len() == 2 && le16(record, 0) == Some(0)).then_some(0);
    }
    let chars = usize::from(le16(record, 0)?);
    let wide = match biff8 {
        true => Some(record.get(2)? & 1 != 0),
        false => None,
    };
    let (_, _, utf8) = text.decode(record.get(head..)?, chars, wide);
    Some(utf8.max(chars as u64))
}

/// calamine's `read_rich_extended_string`, one string of a table of shared text: the bytes
/// its text takes; `None` where calamine stops with an error (or a panic).
fn xls_shared_string(parts: &mut XlsParts<'_>, text: XlsText) -> Option<u64> {
    if parts.data.is_empty() {
        return Some(0);
    }
    let chars = usize::from(le16(parts.data, 0)?);
    let flags = *parts.data.get(2)?;
    parts.data = parts.data.get(3..)?;
    let mut runs = 0;
    if flags & 0x8 != 0 {
        runs = u64::from(le16(parts.data, 0)?) * 4;
        parts.data = parts.data.get(2..)?;
    }
    let mut extra = 0;
    if flags & 0x4 != 0 {
        // Read as a signed number, then a size: -1 is 2^64 - 1, skipped to the parts' end.
        extra = le32(parts.data, 0)? as i32 as i64 as u64;
        parts.data = parts.data.get(4..)?;
    }
    let (mut wide, mut left, mut utf8) = (flags & 0x1 != 0, chars, 0);
    while left > 0 {
        let (read, taken, bytes) = text.decode(parts.data, left, Some(wide));
        utf8 += bytes;
        parts.data = parts.data.get(taken..)?;
        left -= read;
        if left > 0 {
            if !parts.next_part() {
                return None;
            }
            wide = parts.data.first()? & 0x1 != 0;
            parts.data = parts.data.get(1..)?;
        }
    }
    (parts.skip(runs) && parts.skip(extra)).then_some(utf8.max(chars as u64))
}

/// calamine's `parse_bof`: whether the records that follow are BIFF8.
fn xls_bof_is_biff8(data: &[u8]) -> Option<bool> {
    let version = le16(data, 0)?;
    let kind = le16(data, 2).unwrap_or(0);
    Some(match version {
        0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
        0 => kind != 0x1000,
        _ => true,
    })
}

/// calamine's `parse_dimensions`: first row and column, last row and column.
fn xls_dimensions(data: &[u8]) -> Option<(u32, u32, u32, u32)> {
    let (first_row, rows_end, mut first_column, columns_end) = match data.len() {
        10 => (
            u32::from(le16(data, 0)?),
            u32::from(le16(data, 2)?),
            u32::from(le16(data, 4)?),
            u32::from(le16(data, 6)?),
        ),
        14 | 16 => (
            le32(data, 0)?,
            le32(data, 4)?,
            u32::from(le16(data, 8)?),
            u32::from(le16(data, 10)?),
        ),
        _ => return None,
    };
    if 0xFF < first_column || columns_end < first_column {
        first_column = 0;
    }
    if rows_end >= 1 && columns_end >= 1 {
        Some((first_row, first_column, rows_end - 1, columns_end - 1))
    } else {
        Some((first_row, first_column, first_row, first_column))
    }
}

/// A cell's place as `C7`.
fn xls_place(row: u32, column: u32) -> String {
    format!(
        "{}{}",
        column_letters(u64::from(column)),
        u64::from(row) + 1
    )
}

/// A block of cells: first row and column, last row and column.
#[derive(Clone, Copy)]
struct XlsBlock(u32, u32, u32, u32);

impl XlsBlock {
    fn extend(block: &mut Option<XlsBlock>, row: u32, column: u32) {
        *block = Some(match *block {
            None => XlsBlock(row, column, row, column),
            Some(XlsBlock(top, left, bottom, right)) => XlsBlock(
                top.min(row),
                left.min(column),
                bottom.max(row),
                right.max(column),
            ),
        });
    }

    fn cells(block: Option<XlsBlock>) -> u64 {
        block.map_or(0, |XlsBlock(top, left, bottom, right)| {
            (u64::from(bottom - top) + 1).saturating_mul(u64::from(right - left) + 1)
        })
    }

    fn text(self) -> String {
        format!(
            "{} to {}",
            xls_place(self.0, self.1),
            xls_place(self.2, self.3)
        )
    }
}

/// What calamine keeps of the sheet being read, counted as its records stream by.
#[derive(Default)]
struct XlsSheet {
    /// Filled cells, and the room set aside for them (by the dimensions record).
    cells: u64,
    reserved: u64,
    /// The dimensions record that set the most room aside.
    dimensions: Option<(XlsBlock, u64, u64)>,
    formulas: u64,
    /// The block of the filled cells, and of the formulas: each laid out whole.
    block: Option<XlsBlock>,
    formula_block: Option<XlsBlock>,
    /// Bytes of the cells' text, and of the formulas'.
    text: u64,
    formula_text: u64,
    merged: u64,
    /// The last formula's place, where a string record puts its value.
    formula_at: (u32, u32),
}

impl XlsSheet {
    /// The sheet's block and its text, as kept (and copied once more for the sheet asked for).
    fn kept(&self) -> u64 {
        (XlsBlock::cells(self.block).saturating_mul(XLS_SLOT))
            .saturating_add(XlsBlock::cells(self.formula_block).saturating_mul(STRING_SLOT))
            .saturating_add(self.text)
            .saturating_add(self.formula_text)
            .saturating_add(self.merged.saturating_mul(XLS_MERGED))
    }

    /// The sheet's laid-out values, which calamine copies for the sheet it is asked for.
    fn copied(&self) -> u64 {
        (XlsBlock::cells(self.block).saturating_mul(XLS_SLOT)).saturating_add(self.text)
    }

    /// What calamine holds while it reads the sheet, besides what it keeps.
    fn reading(&self) -> u64 {
        (self.cells.max(self.reserved).saturating_mul(XLS_CELL))
            .saturating_add(self.formulas.saturating_mul(XLS_FORMULA))
    }

    fn cell(&mut self, row: u32, column: u32, text: u64) {
        self.cells += 1;
        self.text = self.text.saturating_add(text);
        XlsBlock::extend(&mut self.block, row, column);
    }

    /// What makes the sheet big, for the message: room or a block far larger than its cells.
    fn detail(&self) -> String {
        let block = XlsBlock::cells(self.block);
        let sparse = |cells: u64| cells > self.cells.saturating_mul(4);
        match (self.dimensions, self.block) {
            (Some((dimensions, rows, columns)), _)
                if sparse(self.reserved)
                    && self.reserved.saturating_mul(XLS_CELL) >= block.saturating_mul(XLS_SLOT) =>
            {
                format!(
                " (its dimensions record says it spans {rows} rows and {columns} columns, {}, and room is set aside for every cell in between: delete the unused rows and columns after the profiles, or copy the profiles to a new sheet)",
                dimensions.text()
                )
            }
            (_, Some(cells)) if sparse(block) => format!(
                " (its cells reach from {}, and every cell in between is read, filled or not: delete the cells far from the profiles, or copy the profiles to a new sheet)",
                cells.text()
            ),
            _ => String::new(),
        }
    }
}

/// A sheet the workbook lists: where its records start, its name.
struct XlsBoundSheet {
    at: usize,
    name: String,
}

/// What calamine keeps of an `.xls`, counted as its Workbook stream's records go by, in
/// calamine's order: the parts read for all sheets, then each sheet, all kept at once.
struct XlsScan<'a> {
    stream: &'a [u8],
    limit: u64,
    biff8: bool,
    text: XlsText,
    /// Bytes of each shared string's text (each cell that shows it holds a copy).
    shared: Vec<u32>,
    /// Bytes of each defined name (a formula that uses it holds a copy).
    names: Vec<u32>,
    sheets: Vec<XlsBoundSheet>,
    longest_sheet_name: u64,
    /// Bytes of the parts read for all sheets, and of the shared text among them.
    globals: u64,
    shared_bytes: u64,
    /// Bytes of the sheets read, and the largest copy of one (with its sheet).
    kept: u64,
    copy: u64,
    copied: String,
    /// The work of formulas' space tokens so far.
    space_work: u64,
}

impl<'a> XlsScan<'a> {
    fn new(stream: &'a [u8], limit: u64) -> XlsScan<'a> {
        XlsScan {
            stream,
            limit,
            biff8: true,
            text: XlsText::Utf16Le,
            shared: Vec::new(),
            names: Vec::new(),
            sheets: Vec::new(),
            longest_sheet_name: 0,
            globals: 0,
            shared_bytes: 0,
            kept: 0,
            copy: 0,
            copied: String::new(),
            space_work: 0,
        }
    }

    /// `more` bytes of the parts read for all sheets; over the limit?
    fn add_globals(&mut self, more: u64) -> XlsResult<()> {
        self.globals = self.globals.saturating_add(more);
        if self.globals > self.limit {
            let detail = match self.shared_bytes.saturating_mul(2) > self.globals {
                true => " (its table of shared text, read whole for all its sheets)",
                false => {
                    " (the parts read whole for all its sheets: their list, names, shared text)"
                }
            };
            return Err(XlsStop::TooBig {
                sheet: None,
                detail: detail.to_string(),
            });
        }
        Ok(())
    }

    /// The sheet being read, with the sheets before it and the parts read for all: over the
    /// limit? (What calamine holds while reading a sheet is let go before the sheet asked for
    /// is copied.)
    fn check_sheet(&self, sheet: &XlsSheet, name: &str) -> XlsResult<()> {
        let total = (self.globals)
            .saturating_add(self.kept)
            .saturating_add(sheet.kept())
            .saturating_add(sheet.reading());
        if total > self.limit {
            return Err(XlsStop::TooBig {
                sheet: Some(name.to_string()),
                detail: sheet.detail(),
            });
        }
        Ok(())
    }

    /// The workbook's records before its sheets': code page, sheets, names, shared text.
    fn globals(&mut self) -> XlsResult<()> {
        let mut records = XlsRecords {
            stream: self.stream,
            at: 0,
        };
        while let Some(record) = records.next() {
            let record = record?;
            // calamine lists a record's CONTINUE records while it reads the record.
            let listing = record.continued.saturating_mul(XLS_CONTINUE);
            if self.globals.saturating_add(listing) > self.limit {
                return Err(XlsStop::Damaged(format!(
                    "a record of it is continued {} times",
                    record.continued
                )));
            }
            let data = record.data;
            match record.typ {
                // FilePass: calamine stops, saying it is password-protected.
                0x002F if le16(data, 0) != Some(0) => return Err(XlsStop::Unreadable),
                0x0042 => {
                    let codepage = le16(data, 0).ok_or(XlsStop::Unreadable)?;
                    self.text = XlsText::from_codepage(codepage);
                }
                0x0809 => self.biff8 = xls_bof_is_biff8(data).ok_or(XlsStop::Unreadable)?,
                0x0085 => self.bound_sheet(data)?,
                0x0018 => self.defined_name(data)?,
                0x00FC => self.shared_strings(&record)?,
                0x000A => break,
                _ => {}
            }
        }
        // A name that refers to a sheet is written after the sheet's name.
        let prefixes = (self.names.len() as u64).saturating_mul(self.longest_sheet_name + 1);
        self.add_globals(prefixes)
    }

    /// A BoundSheet8 record: a sheet's place and name.
    fn bound_sheet(&mut self, data: &[u8]) -> XlsResult<()> {
        let at = le32(data, 0).ok_or(XlsStop::Unreadable)?;
        let state = data.get(4).ok_or(XlsStop::Unreadable)? & 0x3F;
        let kind = *data.get(5).ok_or(XlsStop::Unreadable)?;
        if state > 2 || ![0, 1, 2, 6].contains(&kind) {
            return Err(XlsStop::Unreadable);
        }
        let rest = data.get(6..).unwrap_or_default();
        let (chars, wide, raw) = match self.biff8 {
            true if rest.len() >= 2 => (rest[0], Some(rest[1] & 0x1 != 0), &rest[2..]),
            false if !rest.is_empty() => (rest[0], None, &rest[1..]),
            _ => return Err(XlsStop::Unreadable),
        };
        let (_, taken, utf8) = self.text.decode(raw, usize::from(chars), wide);
        let name = (self.text).name(raw.get(..taken).unwrap_or_default(), wide == Some(true));
        self.longest_sheet_name = self.longest_sheet_name.max(utf8);
        self.sheets.push(XlsBoundSheet {
            at: at as usize,
            name,
        });
        // Its name is copied four times (the list, the sheets' names, formulas' names, the
        // sheets read), room set aside once.
        let bytes = utf8.saturating_mul(4).saturating_add(u64::from(chars));
        self.add_globals(XLS_SHEET.saturating_add(bytes))
    }

    /// An Lbl record: a defined name.
    fn defined_name(&mut self, data: &[u8]) -> XlsResult<()> {
        let chars = usize::from(*data.get(3).ok_or(XlsStop::Unreadable)?);
        let formula = usize::from(le16(data, 4).ok_or(XlsStop::Unreadable)?);
        let raw = data.get(14..).ok_or(XlsStop::Unreadable)?;
        let utf8 = if self.biff8 {
            let wide = raw.first().ok_or(XlsStop::Unreadable)? & 0x1 != 0;
            let taken = 1 + if wide { 2 * chars } else { chars };
            let raw = raw.get(1..taken).ok_or(XlsStop::Unreadable)?;
            self.text.decode(raw, chars, Some(wide)).2
        } else {
            self.text.decode(raw, chars, None).2
        };
        if formula > data.len() {
            return Err(XlsStop::Unreadable);
        }
        self.names.push(u32::try_from(utf8).unwrap_or(u32::MAX));
        self.add_globals(XLS_NAME.saturating_add(utf8.max(chars as u64)))
    }

    /// The SST record: the table of shared text, every string kept.
    fn shared_strings(&mut self, record: &XlsRecord<'_>) -> XlsResult<()> {
        let (Some(body), Some(declared)) = (record.data.get(8..), le32(record.data, 4)) else {
            return Err(XlsStop::Unreadable);
        };
        if record.continued > XLS_MAX_CONTINUES {
            return Err(XlsStop::Damaged(format!(
                "its table of shared text is continued {} times",
                record.continued
            )));
        }
        // A string takes 3 bytes at least (an empty one may start a CONTINUE record).
        let bytes = (body.len() as u64)
            .saturating_add(record.continues.len() as u64)
            .saturating_sub(4 * record.continued);
        let room = bytes / 3 + record.continued + 1;
        if u64::from(declared) > room
            && u64::from(declared).saturating_mul(STRING_SLOT) > self.limit
        {
            return Err(XlsStop::Damaged(format!(
                "its table of shared text says it holds {declared} strings, and its {bytes} bytes hold {room} at most"
            )));
        }
        let mut parts = XlsParts {
            data: body,
            rest: record.continues,
        };
        // calamine replaces an earlier table: both are held for a moment.
        self.shared.clear();
        while !parts.data.is_empty() || parts.next_part() {
            let Some(bytes) = xls_shared_string(&mut parts, self.text) else {
                return Err(XlsStop::Unreadable);
            };
            self.shared.push(u32::try_from(bytes).unwrap_or(u32::MAX));
            let kept = STRING_SLOT.saturating_add(bytes);
            self.shared_bytes = self.shared_bytes.saturating_add(kept);
            self.add_globals(kept)?;
        }
        Ok(())
    }

    /// Every sheet, in the workbook's order, each read from its place to its EOF record.
    fn sheets(&mut self) -> XlsResult<()> {
        // Each sheet's records are its own: a sheet read twice, or into another's records,
        // would multiply the reading (a few KB listing a sheet a million times).
        let mut allowance = self.stream.len() as u64;
        let sheets = std::mem::take(&mut self.sheets);
        for sheet in &sheets {
            if sheet.at > self.stream.len() {
                return Err(XlsStop::Unreadable);
            }
            let read = self.sheet(sheet, allowance)?;
            allowance = allowance.saturating_sub(read);
        }
        // Every sheet read, and a copy of the one asked for (the largest, counted).
        let total = (self.globals.saturating_add(self.kept)).saturating_add(self.copy);
        if total > self.limit {
            return Err(XlsStop::TooBig {
                sheet: Some(self.copied.clone()),
                detail: String::new(),
            });
        }
        Ok(())
    }

    /// One sheet's records; the bytes read.
    fn sheet(&mut self, bound: &XlsBoundSheet, allowance: u64) -> XlsResult<u64> {
        let mut records = XlsRecords {
            stream: self.stream,
            at: bound.at,
        };
        let mut sheet = XlsSheet::default();
        let (mut seen_bof, mut depth) = (false, 0u64);
        while let Some(record) = records.next() {
            if (records.at - bound.at) as u64 > allowance {
                return Err(XlsStop::Damaged(
                    "its sheets' records overlap, so they would be read again and again".into(),
                ));
            }
            let record = record?;
            let listing = record.continued.saturating_mul(XLS_CONTINUE);
            self.check_sheet(&sheet, &bound.name)?;
            if sheet.reading().saturating_add(listing) > self.limit {
                return Err(XlsStop::Damaged(format!(
                    "a record of it is continued {} times",
                    record.continued
                )));
            }
            // The records of a chart or other part inside the sheet are skipped.
            if depth > 0 {
                match record.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match record.typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                _ => self.sheet_record(&mut sheet, &record, &bound.name)?,
            }
            self.check_sheet(&sheet, &bound.name)?;
        }
        self.check_sheet(&sheet, &bound.name)?;
        self.kept = self.kept.saturating_add(sheet.kept());
        if sheet.copied() > self.copy {
            (self.copy, self.copied) = (sheet.copied(), bound.name.clone());
        }
        Ok((records.at - bound.at) as u64)
    }

    /// A record of a sheet, counted as calamine keeps it: cells, formulas, the dimensions
    /// record's room. A record calamine stops at is counted as far as it goes, or not at all.
    fn sheet_record(
        &mut self,
        sheet: &mut XlsSheet,
        record: &XlsRecord<'_>,
        name: &str,
    ) -> XlsResult<()> {
        let data = record.data;
        let place = || Some((u32::from(le16(data, 0)?), u32::from(le16(data, 2)?)));
        match record.typ {
            // Dimensions: calamine sets room aside for every cell it says the sheet spans.
            0x0200 => {
                let Some((top, left, bottom, right)) = xls_dimensions(data) else {
                    return Ok(());
                };
                // As calamine counts them (in a build without overflow checks).
                let rows = u64::from(bottom.wrapping_sub(top).wrapping_add(1));
                let columns = u64::from(right.wrapping_sub(left).wrapping_add(1));
                let room = sheet.cells.saturating_add(rows.saturating_mul(columns));
                if room > sheet.reserved {
                    sheet.reserved = room;
                    sheet.dimensions = Some((XlsBlock(top, left, bottom, right), rows, columns));
                }
                let over = self.check_sheet(sheet, name);
                if over.is_err() && (rows > XLS_ROWS || columns > XLS_COLUMNS) {
                    return Err(XlsStop::Damaged(format!(
                        "a sheet's dimensions record says it spans {rows} rows and {columns} columns, and a sheet has at most {XLS_ROWS} rows and {XLS_COLUMNS} columns"
                    )));
                }
                over?;
            }
            // Number, RK, BoolErr: a value.
            0x0203 | 0x027E | 0x0205 => {
                let least = match record.typ {
                    0x0203 => 14,
                    0x027E => 10,
                    _ => 8,
                };
                if let (true, Some((row, column))) = (data.len() >= least, place()) {
                    sheet.cell(row, column, 0);
                }
            }
            // Label, RString: text of its own.
            0x0204 | 0x00D6 => {
                let text = (data.get(6..)).and_then(|r| xls_string(r, self.text, self.biff8));
                if let (Some(text), Some((row, column))) = (text, place()) {
                    sheet.cell(row, column, text);
                }
            }
            // String: the text value of the formula before it.
            0x0207 => {
                if let Some(text) = xls_string(data, self.text, self.biff8) {
                    let (row, column) = sheet.formula_at;
                    sheet.cell(row, column, text);
                }
            }
            // LabelSst: a copy of a shared string.
            0x00FD if data.len() >= 10 => {
                let index = le32(data, 6).map_or(usize::MAX, |i| i as usize);
                if let (Some(&text), Some((row, column))) = (self.shared.get(index), place()) {
                    sheet.cell(row, column, u64::from(text));
                }
            }
            // MulRk: values across a row.
            0x00BD if data.len() >= 6 => {
                let (Some((row, first)), Some(last)) = (place(), le16(data, data.len() - 2)) else {
                    return Ok(());
                };
                // As calamine counts them (in a build without overflow checks).
                let count = u64::from(last.wrapping_sub(first as u16).wrapping_add(1));
                if data.len() as u64 == 6 + 6 * count && count > 0 {
                    sheet.cells += count;
                    XlsBlock::extend(&mut sheet.block, row, first);
                    XlsBlock::extend(&mut sheet.block, row, first + count as u32 - 1);
                }
            }
            // MergeCells: areas, kept.
            0x00E5 => {
                let count = u64::from(le16(data, 0).unwrap_or(0));
                let room = (data.len().saturating_sub(2) / 8) as u64;
                sheet.merged = sheet.merged.saturating_add(count.min(room));
            }
            // Formula: its value (unless it follows in a String record) and its text.
            0x0006 if data.len() >= 20 => {
                let Some((row, column)) = place() else {
                    return Ok(());
                };
                sheet.formula_at = (row, column);
                let value = data.get(6..14).unwrap_or_default();
                let later = value.get(6..8) == Some(&[0xFF, 0xFF]);
                if !later || matches!(value.first(), Some(1..=3)) {
                    sheet.cell(row, column, 0);
                }
                let (text, spaces) = self.formula_bytes(data.get(20..).unwrap_or_default());
                self.space_work = self.space_work.saturating_add(spaces);
                if self.space_work > XLS_MAX_SPACE_WORK {
                    return Err(XlsStop::Damaged(
                        "its formulas hold more spacing than a spreadsheet writes".into(),
                    ));
                }
                sheet.formulas += 1;
                sheet.formula_text = sheet.formula_text.saturating_add(text);
                XlsBlock::extend(&mut sheet.formula_block, row, column);
            }
            _ => {}
        }
        Ok(())
    }

    /// The bytes of a formula's text as calamine writes it (`parse_formula`), each token's
    /// text at most, and the work of its space tokens. A formula calamine cannot read gets
    /// a short message instead; counted as far as it goes.
    fn formula_bytes(&self, formula: &[u8]) -> (u64, u64) {
        let room = formula.len() as u64;
        let failed = room.saturating_add(128);
        let Some(mut tokens) =
            (le16(formula, 0)).and_then(|len| formula.get(2..2 + usize::from(len)))
        else {
            return (failed, 0);
        };
        let sheet = self.longest_sheet_name;
        let wide = self.biff8;
        let (mut text, mut work) = (0u64, 0u64);
        while let Some((&token, rest)) = tokens.split_first() {
            let at = |i: usize| rest.get(i).copied();
            let (written, size) = match token {
                0x3A | 0x5A | 0x7A => (sheet + 14, 6),
                0x3B | 0x5B | 0x7B => (sheet + 28, 10),
                0x3C | 0x5C | 0x7C => (sheet + 6, 6),
                0x3D | 0x5D | 0x7D => (sheet + 6, 10),
                0x01 => (0, 4),
                0x03..=0x11 | 0x15 => (2, 0),
                0x12..=0x14 => (1, 0),
                0x16 => (0, 0),
                0x17 => {
                    let Some(chars) = at(0).map(usize::from) else {
                        return (failed.max(text), work);
                    };
                    if wide {
                        let Some(flags) = at(1) else {
                            return (failed.max(text), work);
                        };
                        let taken = if flags & 1 != 0 { 2 * chars } else { chars };
                        let raw = rest.get(2..).unwrap_or_default();
                        let utf8 = self.text.decode(raw, chars, Some(flags & 1 != 0)).2;
                        (2 + utf8, 2 + taken)
                    } else {
                        let raw = rest.get(1..).unwrap_or_default();
                        (2 + self.text.decode(raw, chars, None).2, 1 + chars)
                    }
                }
                0x18 => (0, 5),
                0x19 => match at(0) {
                    Some(0x01 | 0x02 | 0x08 | 0x20 | 0x21) => (0, 3),
                    Some(0x04) => {
                        let choices = usize::from(le16(rest, 1).unwrap_or(0)) + 1;
                        (0, 3 + 2 * choices)
                    }
                    Some(0x10) => (5, 3),
                    Some(0x40 | 0x41) => {
                        let spaces = u64::from(at(2).unwrap_or(0));
                        work = work.saturating_add(spaces.saturating_mul(text + spaces));
                        (spaces, 3)
                    }
                    _ => return (failed.max(text), work),
                },
                0x1C | 0x1D => (13, 1),
                0x1E => (5, 2),
                0x1F => (XLS_NUMBER_TEXT, 8),
                0x20 | 0x40 | 0x60 => (10, 7),
                0x21 | 0x41 | 0x61 => (XLS_FUNCTION_TEXT + 32, 2),
                0x22 | 0x42 | 0x62 => (XLS_FUNCTION_TEXT + 2 + u64::from(at(0).unwrap_or(0)), 3),
                0x23 | 0x43 | 0x63 => {
                    let index = le32(rest, 0).map_or(usize::MAX, |i| (i as usize).wrapping_sub(1));
                    (self.names.get(index).map_or(5, |&n| u64::from(n)), 4)
                }
                0x24 | 0x44 | 0x64 => (11, if wide { 4 } else { 3 }),
                0x25 | 0x45 | 0x65 => (24, if wide { 8 } else { 6 }),
                0x2A | 0x4A | 0x6A => (5, if wide { 4 } else { 3 }),
                0x2B | 0x4B | 0x6B => (5, if wide { 8 } else { 6 }),
                0x39 | 0x59 => (10, 6),
                _ => return (failed.max(text), work),
            };
            text = text.saturating_add(written);
            let Some(next) = rest.get(size..) else {
                return (failed.max(text), work);
            };
            tokens = next;
        }
        (room.max(text), work)
    }
}

/// A cell as a person reads it; `None` when empty.
fn cell_text(value: &Data) -> Option<CellText> {
    let text = match value {
        Data::Empty => return None,
        Data::String(text) if text.is_empty() => return None,
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(number) => number.to_string(),
        Data::Float(number) => number_text(*number),
        Data::Bool(true) => "yes".to_string(),
        Data::Bool(false) => "no".to_string(),
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
            if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::Error(error) => return Some(CellText::Error(error.to_string())),
    };
    Some(CellText::Text(text))
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

#[cfg(test)]
mod tests;
