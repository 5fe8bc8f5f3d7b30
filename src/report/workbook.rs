//! The results workbook (`batch --format xlsx`, `score --format xlsx`): what a planner opens in
//! a spreadsheet. Sheets: Results (a row per country), Heat map (countries × programs, top 3
//! marked), Reasons (a row per country, top-3 program and need), Planning (a row per country
//! and top-3 program, with columns to fill in) and About.
//!
//! Rows are written as countries come in, in constant memory (rust_xlsxwriter keeps each
//! sheet's rows in its own temporary file); a sheet that reaches the worksheet row limit goes
//! on in "Reasons (2)", …. Every text is written as a string, never as a formula.

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::io::limits::{WORKSHEET_CELL_CHARS, WORKSHEET_COLUMNS, WORKSHEET_DATA_ROWS};
use crate::profile::COUNTRY;
use crate::report::{answers_text, counts, round1, SCALE_SHORT};
use crate::scoring::ProgramScore;
use rust_xlsxwriter::{
    ConditionalFormat3ColorScale, ConditionalFormatType, Format, FormatAlign, FormatBorder,
    Worksheet, XlsxError,
};
use std::path::Path;

/// Columns a worksheet holds.
const MAX_COLUMNS: usize = WORKSHEET_COLUMNS as usize;

/// Programs per country in the Planning sheet (and marked in the heat map).
pub const PLANNED: usize = 3;

/// Scores at which the colour scale is at its lowest, middle and highest colour: the same
/// absolute scale for every country (see `report::HIGH` and `report::MEDIUM`).
const HEAT_SCALE: (f64, f64, f64) = (0.0, crate::report::HIGH, 100.0);

/// Whether `text` fits in a cell.
pub fn fits_in_cell(text: &str) -> bool {
    // Cheap first: a UTF-8 byte is at least as many as UTF-16 units.
    text.len() <= WORKSHEET_CELL_CHARS || text.encode_utf16().count() <= WORKSHEET_CELL_CHARS
}

/// What a worker keeps of one scored country for the workbook.
pub struct Row {
    pub id: String,
    pub country: String,
    /// The country's name from the country table (empty when it has none).
    pub name: String,
    pub region: String,
    /// Every program's score by catalog position.
    scores: Vec<f64>,
    /// Catalog positions, best first.
    ranking: Vec<usize>,
    reasons: Vec<ReasonRow>,
}

/// One line of the Reasons sheet.
struct ReasonRow {
    rank: usize,
    program: usize,
    need: String,
    points: f64,
    answers: String,
    /// The catalog field and line the need matched.
    matched: Option<(String, String)>,
}

impl Row {
    /// Keeps what the sheets show of `results` (best first): every score, and the reasons of
    /// the first `top` programs (`--top`; every program's are some 70 rows a country, so a
    /// large batch may want `--top 3`).
    pub fn new(id: &str, country: &str, region: &str, results: &[ProgramScore], top: usize) -> Row {
        let scores = crate::report::scores_by_position(results, results.len());
        let reasons = results
            .iter()
            .take(top)
            .flat_map(|result| {
                result
                    .reasons
                    .iter()
                    .filter(|r| counts(r))
                    .map(|r| ReasonRow {
                        rank: result.rank,
                        program: result.program,
                        need: r.label.clone(),
                        points: round1(r.points),
                        answers: answers_text(r),
                        matched: r
                            .matched
                            .as_ref()
                            .map(|m| (m.field.clone(), m.text.clone())),
                    })
            })
            .collect();
        Row {
            id: id.to_string(),
            country: country.to_string(),
            name: String::new(),
            region: region.to_string(),
            scores: scores.into_iter().map(round1).collect(),
            ranking: results.iter().map(|r| r.program).collect(),
            reasons,
        }
    }

    /// The row with the country's name from the country table, when it has one.
    pub fn named(self, name: Option<&str>) -> Row {
        Row {
            name: name.unwrap_or_default().to_string(),
            ..self
        }
    }
}

/// A column: its header and width (in characters).
struct Column {
    header: String,
    width: f64,
    /// Printed on the page of the column before it (a rank's score beside its program).
    with_previous: bool,
}

fn column(header: impl Into<String>, width: f64) -> Column {
    Column {
        header: header.into(),
        width,
        with_previous: false,
    }
}

impl Column {
    /// The column, printed on the page of the one before it.
    fn with_previous(self) -> Column {
        Column {
            with_previous: true,
            ..self
        }
    }
}

/// One sheet, on as many worksheets ("pages") as its rows need.
struct Sheet {
    name: &'static str,
    columns: Vec<Column>,
    /// Columns (first, last) that get the score colour scale.
    scales: Vec<(u16, u16)>,
    /// Header rows and columns kept in view.
    frozen: (u32, u16),
    /// Printed on one page across however wide, shrunk to fit.
    whole_across: bool,
    pages: Vec<Worksheet>,
    /// The last row written on the last page (0: the header).
    last_row: u32,
    rows_per_page: u32,
}

impl Sheet {
    fn new(name: &'static str, columns: Vec<Column>, frozen_columns: u16) -> Sheet {
        Sheet {
            name,
            columns,
            scales: Vec::new(),
            frozen: (1, frozen_columns),
            whole_across: false,
            pages: Vec::new(),
            last_row: 0,
            rows_per_page: WORKSHEET_DATA_ROWS,
        }
    }

    /// Starts a page: its header, widths and frozen panes.
    fn add_page(&mut self, book: &mut rust_xlsxwriter::Workbook, header: &Format) -> Result<()> {
        let mut page = book.new_worksheet_with_constant_memory().map_err(failed)?;
        page.set_name(page_name(self.name, self.pages.len()))
            .map_err(failed)?;
        let lines = self
            .columns
            .iter()
            .map(|c| wrapped_lines(&c.header, c.width))
            .max()
            .unwrap_or(1);
        page.set_row_height(0, row_height(lines)).map_err(failed)?;
        for (n, column) in self.columns.iter().enumerate() {
            let n = column_number(n)?;
            page.set_column_width(n, column.width).map_err(failed)?;
            page.write_string_with_format(0, n, &column.header, header)
                .map_err(failed)?;
        }
        page.set_freeze_panes(self.frozen.0, self.frozen.1)
            .map_err(failed)?;
        self.pages.push(page);
        self.last_row = 0;
        Ok(())
    }

    /// The next row to write: a new page when the last one is full.
    fn next_row(
        &mut self,
        book: &mut rust_xlsxwriter::Workbook,
        header: &Format,
    ) -> Result<Cells<'_>> {
        if self.pages.is_empty() || self.last_row >= self.rows_per_page {
            self.add_page(book, header)?;
        }
        self.last_row += 1;
        let number = self.pages.len() - 1;
        let page = self
            .pages
            .last_mut()
            .ok_or_else(|| Error::internal("a workbook sheet has no page"))?;
        Ok(Cells {
            page,
            sheet: self.name,
            number,
            row: self.last_row,
            columns: &self.columns,
        })
    }

    /// Adds the filters and colour scales, now that the rows are known, fits the id and name
    /// columns to the longest (`widest`, in characters) and lays out the printed pages; the
    /// pages in order.
    fn finish(
        mut self,
        book: &mut rust_xlsxwriter::Workbook,
        header: &Format,
        widest: (usize, usize),
    ) -> Result<Vec<Worksheet>> {
        if self.pages.is_empty() {
            self.add_page(book, header)?;
        }
        for (position, longest, (least, most)) in [
            (0, widest.0, ID_WIDTH),
            (usize::from(NAME_COLUMN), widest.1, NAME_WIDTH),
        ] {
            let Some(column) = self.columns.get_mut(position) else {
                continue;
            };
            // A character's width of margin, as a spreadsheet's own fit leaves.
            column.width = (longest as f64 + 1.0).clamp(least, most);
            for page in &mut self.pages {
                page.set_column_width(column_number(position)?, column.width)
                    .map_err(failed)?;
            }
        }
        let pages = self.pages.len();
        let last_column = column_number(self.columns.len().saturating_sub(1))?;
        let scale = ConditionalFormat3ColorScale::new()
            .set_minimum(ConditionalFormatType::Number, HEAT_SCALE.0)
            .set_midpoint(ConditionalFormatType::Number, HEAT_SCALE.1)
            .set_maximum(ConditionalFormatType::Number, HEAT_SCALE.2)
            .set_minimum_color("FFFFFF")
            .set_midpoint_color("FFD966")
            .set_maximum_color("E06666");
        for (n, page) in self.pages.iter_mut().enumerate() {
            let last_row = if n + 1 == pages {
                self.last_row
            } else {
                self.rows_per_page
            };
            page.autofilter(0, 0, last_row, last_column)
                .map_err(failed)?;
            let width = match self.whole_across {
                true => ONE_PAGE_WIDTH,
                false => self.columns.iter().map(|column| column.width).sum(),
            };
            set_print_layout(page, &self.columns, width, self.frozen.1)?;
            if last_row > 0 {
                for &(first, last) in &self.scales {
                    page.add_conditional_format(1, first, last_row, last, &scale)
                        .map_err(failed)?;
                }
            }
        }
        Ok(self.pages)
    }
}

/// Width of columns, in characters, that A4 across holds at full size within its margins
/// (measured: LibreOffice prints 164 on a page at 61%).
const FULL_SIZE_PAGE_WIDTH: f64 = 100.0;

/// The widest sheet printed on one page across, shrunk to fit (the heat map is, however wide:
/// a picture more than text to read).
const ONE_PAGE_WIDTH: f64 = 210.0;

/// Width of columns on each page of a sheet printed over several pages across: at 2/3 of full
/// size, readable (a sheet of 27 columns on one page was shrunk to a quarter).
const SPLIT_PAGE_WIDTH: f64 = 150.0;

/// Printed (or made a PDF) on A4 across, the header on every page, with gridlines; a wide
/// sheet at 2/3 of full size over as many pages across as that takes, with the country's code
/// and name repeated on each (Planning's rank and program too; not the id: a key for the data,
/// which as a survey tool's UUID would take a quarter of every page). Pages break between
/// columns a spreadsheet would otherwise split (a rank's program from its score): its own
/// fit-to-width ignores set breaks.
/// (`width`: the columns' width, or [`ONE_PAGE_WIDTH`] for a sheet printed whole across.)
fn set_print_layout(
    page: &mut Worksheet,
    columns: &[Column],
    width: f64,
    naming_columns: u16,
) -> Result<()> {
    let breaks = match width > ONE_PAGE_WIDTH {
        true => page_breaks(columns, usize::from(naming_columns)),
        false => Vec::new(),
    };
    page.set_paper_size(9)
        .set_landscape()
        .set_print_gridlines(true)
        .set_repeat_rows(0, 0)
        .map_err(failed)?;
    if breaks.is_empty() {
        // One page across: shrunk to fit, never enlarged.
        page.set_print_fit_to_pages(1, 0);
        return Ok(());
    }
    let scale = (100.0 * FULL_SIZE_PAGE_WIDTH / SPLIT_PAGE_WIDTH).floor() as u16;
    page.set_print_scale(scale.clamp(10, 100));
    page.set_vertical_page_breaks(&breaks).map_err(failed)?;
    if naming_columns > 1 {
        page.set_repeat_columns(1, naming_columns - 1)
            .map_err(failed)?;
    }
    Ok(())
}

/// The columns (from 0) that start a new printed page, each page at most
/// [`SPLIT_PAGE_WIDTH`] wide with the first `naming` columns but the id repeated on it, and no
/// page starting with a column kept with the one before it.
fn page_breaks(columns: &[Column], naming: usize) -> Vec<u32> {
    let repeated: f64 = columns.iter().take(naming).skip(1).map(|c| c.width).sum();
    let mut breaks = Vec::new();
    let (mut used, mut start) = (0.0, 0);
    let mut n = 0;
    while n < columns.len() {
        // A column and those kept with it go together.
        let group = 1
            + (columns.iter().skip(n + 1))
                .take_while(|c| c.with_previous)
                .count();
        let width: f64 = columns.iter().skip(n).take(group).map(|c| c.width).sum();
        if n > start && used + width > SPLIT_PAGE_WIDTH {
            breaks.extend(u32::try_from(n).ok());
            (used, start) = (repeated, n);
        }
        used += width;
        n += group;
    }
    breaks
}

/// The name of page `n` (from 0) of sheet `name`: "Reasons", "Reasons (2)", …
fn page_name(name: &str, n: usize) -> String {
    if n == 0 {
        name.to_string()
    } else {
        format!("{name} ({})", n + 1)
    }
}

/// The cells of one row being written.
struct Cells<'s> {
    page: &'s mut Worksheet,
    sheet: &'static str,
    /// The page's number in its sheet, from 0.
    number: usize,
    row: u32,
    columns: &'s [Column],
}

impl Cells<'_> {
    /// A text cell: always a string, never read as a formula or a number.
    fn text(&mut self, column: u16, text: &str, format: Option<&Format>) -> Result<()> {
        if !fits_in_cell(text) {
            let header = self
                .columns
                .get(usize::from(column))
                .map_or("", |c| c.header.as_str());
            return Err(Error::usage(format!(
                "{}!{} (column `{header}`): the text has {} characters, more than the {WORKSHEET_CELL_CHARS} a workbook cell holds: shorten it, or write CSV or JSON instead",
                page_name(self.sheet, self.number),
                rust_xlsxwriter::utility::row_col_to_cell(self.row, column),
                text.chars().count()
            )));
        }
        match format {
            Some(format) => self
                .page
                .write_string_with_format(self.row, column, text, format),
            None => self.page.write_string(self.row, column, text),
        }
        .map_err(failed)?;
        Ok(())
    }

    /// Sets the row's height (spreadsheets do not grow a row for wrapped text on opening), on
    /// the first [`TALL_ROWS`] rows of a page only: rust_xlsxwriter keeps every row's height in
    /// memory, even in constant-memory mode.
    fn height(&mut self, lines: usize) -> Result<()> {
        if lines > 1 && self.row <= TALL_ROWS {
            self.page
                .set_row_height(self.row, row_height(lines))
                .map_err(failed)?;
        }
        Ok(())
    }

    fn number(&mut self, column: u16, value: f64, format: &Format) -> Result<()> {
        self.page
            .write_number_with_format(self.row, column, value, format)
            .map_err(failed)?;
        Ok(())
    }
}

/// The cell formats of the workbook.
struct Formats {
    header: Format,
    score: Format,
    /// A heat-map score in its country's top 3: bold, with a star.
    top: Format,
    wrap: Format,
    integer: Format,
    /// Planning's cells, at the top of their tall rows.
    top_text: Format,
    top_integer: Format,
    top_score: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color("D9E2F3")
                .set_border_bottom(FormatBorder::Thin),
            score: Format::new().set_num_format("0.0"),
            top: Format::new().set_bold().set_num_format("\"★ \"0.0"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            integer: Format::new().set_num_format("0"),
            top_text: Format::new().set_align(FormatAlign::Top),
            top_integer: Format::new()
                .set_num_format("0")
                .set_align(FormatAlign::Top),
            top_score: Format::new()
                .set_num_format("0.0")
                .set_align(FormatAlign::Top),
        }
    }
}

/// The Planning sheet's columns a planner fills in.
const TO_FILL_IN: [&str; 4] = ["responsible", "timeline", "cost", "status"];

/// The About line that marks a workbook as written by ipneeds.
const VERSION_LABEL: &str = "ipneeds version";

/// The About line that counts the Planning rows written: a later run that finds fewer (rows
/// deleted or cleared by a planner) or more refuses to replace the workbook.
const PLANNING_ROWS_LABEL: &str = "Planning rows";

/// The Planning sheet's columns: what the catalog says of each top program, then the columns
/// a planner fills in.
fn planning_columns() -> Vec<Column> {
    let [responsible, timeline, cost, status] = TO_FILL_IN;
    let planning = [
        column("rank", 6.0),
        column("program", 26.0),
        column("score", 8.0),
        // Wrapped: narrow enough that a page holds them beside the naming columns (a
        // survey's UUID and a country's name of up to 21 letters), or the columns to fill in.
        column("activities the country can request", 54.0),
        // With the country, its name, the rank and the program repeated, the outcomes and the
        // columns to fill in share a printed page (for a country name of up to 16 letters).
        column("expected outcomes", 44.0),
        column(responsible, 16.0),
        column(timeline, 12.0),
        column(cost, 10.0),
        column(status, 10.0),
    ];
    identified(false, planning)
}

/// Planning's headers as a workbook has them: workbooks written before the country-name
/// column (`named` false) are still checked before they are replaced.
fn planning_headers(named: bool) -> Vec<String> {
    (planning_columns().into_iter())
        .map(|c| c.header)
        .filter(|header| named || header != COUNTRY_NAME)
        .collect()
}

/// Planning's columns (from the first after the naming columns) that hold the program and
/// what the catalog says of it.
const PLANNING_PROGRAM: u16 = 1;
const PLANNING_ACTIVITIES: u16 = 3;
const PLANNING_OUTCOMES: u16 = 4;

/// What ipneeds writes in Planning's rows, made once for the check of a whole sheet: the
/// columns it fills, and each program's activities and outcomes as its cells hold them.
struct WrittenRows<'c> {
    columns: u32,
    /// The naming columns before the program's (one fewer without the country's name).
    naming: u32,
    programs: Vec<(&'c str, String, String)>,
}

impl<'c> WrittenRows<'c> {
    fn new(catalog: &'c Catalog, named: bool) -> WrittenRows<'c> {
        let programs = (catalog.programs.iter())
            .map(|p| (p.id.as_str(), bullets(&p.activities), bullets(&p.outcomes)))
            .collect();
        WrittenRows {
            columns: (planning_headers(named).len() - TO_FILL_IN.len()) as u32,
            naming: u32::from(NAMING_COLUMNS) - u32::from(!named),
            programs,
        }
    }

    /// The cells of a Planning row (column, text; the non-empty ones) that ipneeds did not
    /// write there: anything in the columns to fill in or past them, and, in a row that is
    /// not a program of the catalog with the catalog's activities and outcomes for it, its
    /// first cell or the text that differs.
    fn unlike(&self, cells: &[(u32, String)]) -> Vec<(u32, String)> {
        let mut unlike: Vec<(u32, String)> = (cells.iter())
            .filter(|(column, _)| *column >= self.columns)
            .cloned()
            .collect();
        let text_in = |wanted: u32| {
            (cells.iter())
                .find(|(column, _)| *column == wanted)
                .map_or("", |(_, text)| text.as_str())
        };
        let program = (self.programs.iter())
            .find(|(id, ..)| *id == text_in(self.naming + u32::from(PLANNING_PROGRAM)));
        match program {
            None => {
                let written = cells.iter().filter(|(column, _)| *column < self.columns);
                unlike.extend(written.take(1).cloned());
            }
            Some((_, activities, outcomes)) => {
                for (column, wanted) in [
                    (self.naming + u32::from(PLANNING_ACTIVITIES), activities),
                    (self.naming + u32::from(PLANNING_OUTCOMES), outcomes),
                ] {
                    if text_in(column) != wanted {
                        unlike.push((column, text_in(column).to_string()));
                    }
                }
            }
        }
        unlike.sort_by_key(|(column, _)| *column);
        unlike
    }
}

/// What a workbook ipneeds writes never holds, so someone added it: comments, or formulas
/// (whose results a reader sees only once a spreadsheet has computed them).
fn added_by_hand(bytes: &[u8]) -> Option<&'static str> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    for n in 0..archive.len() {
        let mut part = archive.by_index(n).ok()?;
        let name = part.name().unwrap_or_default().to_string();
        if name.starts_with("xl/comments") || name.starts_with("xl/threadedComments") {
            return Some("comments added to its cells");
        }
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut part, &mut xml).ok()?;
            if xml.contains("<f>") || xml.contains("<f ") {
                return Some("formulas typed into it");
            }
        }
    }
    None
}

/// The sheets a results workbook has, in order (a sheet past a worksheet's rows goes on in
/// "Reasons (2)" and so on).
const SHEETS: [&str; 5] = ["Results", "Heat map", "Reasons", "Planning", "About"];

/// Refuses to replace the workbook at `path` (unless `force`) when that could lose work: one
/// ipneeds did not write (a spreadsheet of the user's own, such as the profiles themselves),
/// one whose sheets were added, renamed or removed, or whose Planning sheet was changed: its
/// header edited (a title row, a column added) or cells typed in the columns to fill in.
/// Results a run wrote and nobody filled in are replaced. (Cells typed into the other sheets,
/// which are not for filling in, are not looked for.)
pub fn refuse_to_replace_work(path: &Path, force: bool, catalog: &Catalog) -> Result<()> {
    if force || path == Path::new("-") || !path.is_file() {
        return Ok(());
    }
    let shown = path.display();
    let fix = "write to another file (-o), or add --force to replace it";
    let refuse = |why: String| {
        Error::usage(format!(
            "{shown}: {why}, which a new workbook would lose: {fix}"
        ))
    };
    let not_ours = || {
        Error::usage(format!(
            "{shown}: the file exists and is not a workbook of results ipneeds wrote (it may be your own data): {fix}"
        ))
    };
    // Read with the input's limits: a small crafted file cannot take gigabytes here either.
    // A workbook of many countries can be larger than that: say so, not "not ours".
    let limit = &crate::io::limits::WORKBOOK_BYTES;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size > limit.get() {
        return Err(Error::usage(format!(
            "{shown}: the file exists and is larger ({size} bytes) than the workbooks ipneeds reads, so whether its Planning sheet holds entries of yours cannot be checked ({}): write to another file (-o), or, if nothing in it is yours to keep, add --force to replace it",
            limit.explain()
        )));
    }
    let Ok(bytes) = crate::profile::spreadsheet::checked_xlsx_bytes(path) else {
        return Err(not_ours());
    };
    let Ok(mut book) =
        <calamine::Xlsx<_> as calamine::Reader<_>>::new(std::io::Cursor::new(bytes.as_slice()))
    else {
        return Err(not_ours());
    };
    // Cell by cell: a sheet's declared size is never laid out in memory.
    let mut first_rows = |sheet: &str, rows: u32| -> Option<Vec<(u32, u32, String)>> {
        let mut reader = book.worksheet_cells_reader(sheet).ok()?;
        let mut cells = Vec::new();
        while let Ok(Some(cell)) = reader.next_cell() {
            let (row, column) = cell.get_position();
            if row >= rows {
                break;
            }
            let text = calamine::Data::from(cell.get_value().clone()).to_string();
            cells.push((row, column, text));
        }
        Some(cells)
    };
    let about = first_rows("About", 64).unwrap_or_default();
    let named = (first_rows("Planning", 1).unwrap_or_default().iter())
        .any(|(_, column, text)| *column == u32::from(NAME_COLUMN) && text == COUNTRY_NAME);
    if !about
        .iter()
        .any(|(_, column, text)| *column == 0 && text == VERSION_LABEL)
    {
        return Err(not_ours());
    }
    let names = calamine::Reader::sheet_names(&book);
    let known = |name: &str| {
        SHEETS.iter().any(|sheet| {
            name == *sheet
                || name
                    .strip_prefix(sheet)
                    .and_then(|rest| rest.strip_prefix(" ("))
                    .and_then(|rest| rest.strip_suffix(')'))
                    .is_some_and(|n| n.parse::<u32>().is_ok())
        })
    };
    if let Some(added) = names.iter().find(|name| !known(name)) {
        return Err(refuse(format!(
            "it has a sheet `{added}` ipneeds did not write"
        )));
    }
    if let Some(missing) = SHEETS
        .iter()
        .find(|sheet| !names.iter().any(|n| n == *sheet))
    {
        return Err(refuse(format!(
            "its sheet `{missing}` was renamed or removed"
        )));
    }
    if let Some(added) = added_by_hand(&bytes) {
        return Err(refuse(format!("it holds {added}")));
    }
    // The count of Planning rows the run wrote (workbooks from before it was recorded: none).
    let recorded_rows = about
        .iter()
        .find(|(_, column, text)| *column == 0 && text == PLANNING_ROWS_LABEL)
        .and_then(|(row, ..)| about.iter().find(|(r, column, _)| r == row && *column == 1))
        .and_then(|(.., text)| text.trim().parse::<u64>().ok());
    let expected = planning_headers(named);
    // The first cell ipneeds did not write (page, row, column, text), and how many there are.
    let mut typed: Option<(String, u32, u32, String)> = None;
    let mut count = 0u64;
    // Rows holding anything: a row a planner deleted or cleared is missing from them.
    let mut rows_found = 0u64;
    let written = WrittenRows::new(catalog, named);
    // The sheet's pages in order: "Planning", "Planning (2)", … as the writer names them.
    let pages = (0..).map(|n| page_name("Planning", n));
    for page in pages.take_while(|page| names.iter().any(|name| name == page)) {
        let Ok(mut planning) = book.worksheet_cells_reader(&page) else {
            return Err(not_ours());
        };
        // A row's cells, to check it whole once the next row begins.
        let mut row_cells: Vec<(u32, String)> = Vec::new();
        let mut row_at = 0;
        let mut check_row = |row: u32, cells: &mut Vec<(u32, String)>| {
            if cells.is_empty() {
                return;
            }
            rows_found += 1;
            for (column, text) in written.unlike(cells) {
                count += 1;
                typed.get_or_insert((page.clone(), row, column, text));
            }
            cells.clear();
        };
        while let Ok(Some(cell)) = planning.next_cell() {
            let (row, column) = cell.get_position();
            // A date typed in (a timeline) is named as the sheet shows it, not as `45717`.
            let text = match calamine::Data::from(cell.get_value().clone()) {
                value @ (calamine::Data::DateTime(_) | calamine::Data::DateTimeIso(_)) => {
                    crate::profile::spreadsheet::shown_as_read(&value)
                }
                value => value.to_string(),
            };
            if row != row_at {
                check_row(row_at, &mut row_cells);
                row_at = row;
            }
            if row == 0 {
                let wanted = expected.get(column as usize).map_or("", String::as_str);
                if text != wanted {
                    return Err(refuse(format!(
                        "its Planning sheet's header was changed ({page}!{}1 is `{}`, not `{wanted}`)",
                        crate::profile::spreadsheet::column_letters(u64::from(column)),
                        crate::io::quote::shorten(&text),
                    )));
                }
            } else if !text.trim().is_empty() {
                row_cells.push((column, text));
            }
        }
        check_row(row_at, &mut row_cells);
    }
    if let Some((page, row, column, text)) = typed {
        let others = match count - 1 {
            0 => String::new(),
            1 => ", and 1 more cell".to_string(),
            n => format!(", and {n} more cells"),
        };
        return Err(refuse(format!(
            "its Planning sheet holds what was typed into it ({page}!{}{} `{}`{others})",
            crate::profile::spreadsheet::column_letters(u64::from(column)),
            row + 1,
            crate::io::quote::shorten(&text),
        )));
    }
    match recorded_rows {
        Some(recorded) if rows_found < recorded => Err(refuse(format!(
            "its Planning sheet has {rows_found} rows of programs where ipneeds wrote {recorded} ({} deleted or cleared)",
            recorded - rows_found
        ))),
        Some(recorded) if rows_found > recorded => Err(refuse(format!(
            "its Planning sheet has {rows_found} rows of programs where ipneeds wrote {recorded} ({} added)",
            rows_found - recorded
        ))),
        _ => Ok(()),
    }
}

/// What the About sheet says of the run.
pub struct About<'a> {
    pub input: &'a str,
    pub as_of: String,
    /// The country table that gave LDC status and regions (empty: no country looked up).
    pub countries: &'a str,
    pub questionnaire_id: &'a str,
    pub questionnaire_version: &'a str,
    pub scored: u64,
    /// The input rows left out, each named in a line of its own.
    pub not_scored: &'a crate::report::NotScored,
}

/// A program's cells in the Planning sheet, made once per run.
struct Planned {
    activities: String,
    outcomes: String,
    /// Lines the taller of the two takes, wrapped.
    lines: usize,
}

/// The workbook being written, a country at a time.
pub struct Writer<'a> {
    book: rust_xlsxwriter::Workbook,
    catalog: &'a Catalog,
    planned: Vec<Planned>,
    top: usize,
    formats: Formats,
    results: Sheet,
    heat_map: Sheet,
    reasons: Sheet,
    planning: Sheet,
    /// Rows written to the Planning sheet, all its pages.
    planning_rows: u64,
    /// The longest id and country name written, in characters.
    widest: (usize, usize),
}

impl<'a> Writer<'a> {
    /// A workbook showing `top` ranks per country (and every program in the heat map).
    pub fn new(catalog: &'a Catalog, top: usize) -> Result<Writer<'a>> {
        let programs = catalog.programs.len();
        let top = top.min(programs);
        if 3 + programs > MAX_COLUMNS || 3 + 2 * top > MAX_COLUMNS {
            return Err(Error::usage(format!(
                "the catalog has {programs} programs: a worksheet holds at most {MAX_COLUMNS} columns, so the workbook cannot show a column per program: use --format csv or --format jsonl"
            )));
        }
        let program_name = |position: usize| {
            catalog
                .programs
                .get(position)
                .map_or_else(String::new, |p| p.id.clone())
        };
        let columns = identified(
            true,
            (1..=top).flat_map(|rank| {
                let program = column(format!("rank {rank} program"), 26.0);
                [
                    program,
                    column(format!("rank {rank} score"), 8.0).with_previous(),
                ]
            }),
        );
        let mut results = Sheet::new("Results", columns, NAMING_COLUMNS);
        // Each rank's score, after its program.
        results.scales = (0..top)
            .filter_map(|rank| u16::try_from(usize::from(REGIONAL_COLUMNS) + 2 * rank + 1).ok())
            .map(|c| (c, c))
            .collect();

        let columns = identified(true, (0..programs).map(|p| column(program_name(p), 14.0)));
        let mut heat_map = Sheet::new("Heat map", columns, NAMING_COLUMNS);
        heat_map.whole_across = true;
        if programs > 0 {
            let last = column_number(usize::from(REGIONAL_COLUMNS) + programs - 1)?;
            heat_map.scales = vec![(REGIONAL_COLUMNS, last)];
        }

        let reasons = [
            column("rank", 6.0),
            column("program", 26.0),
            // The longest need of the questionnaire (49 characters) fits.
            column("need", 44.0),
            column("points", 8.0),
            column("answers", 40.0),
            column("catalog field", 12.0),
            column("catalog line", 70.0),
        ];
        let reasons = Sheet::new("Reasons", identified(false, reasons), NAMING_COLUMNS);
        // Frozen on screen and repeated on every printed page with the country: the rank and
        // the program, so that the page of columns to fill in says which program each row is.
        let planning = Sheet::new(
            "Planning",
            planning_columns(),
            NAMING_COLUMNS + PLANNING_PROGRAM + 1,
        );
        // (A column's place after the naming columns, as the check of a Planning sheet finds it.)
        let width = |n: u16| {
            let n = usize::from(NAMING_COLUMNS + n);
            planning.columns.get(n).map_or(10.0, |c| c.width)
        };
        let planned = catalog
            .programs
            .iter()
            .map(|program| {
                let (activities, outcomes) =
                    (bullets(&program.activities), bullets(&program.outcomes));
                let lines = wrapped_lines(&activities, width(PLANNING_ACTIVITIES))
                    .max(wrapped_lines(&outcomes, width(PLANNING_OUTCOMES)));
                Planned {
                    activities,
                    outcomes,
                    lines,
                }
            })
            .collect();
        let mut book = rust_xlsxwriter::Workbook::new();
        // Rows go to temporary files; a faster compression keeps large batches quick at a
        // small cost in size.
        book.set_zip_compression_level(3);
        Ok(Writer {
            book,
            catalog,
            planned,
            top,
            formats: Formats::new(),
            results,
            heat_map,
            reasons,
            planning,
            planning_rows: 0,
            widest: (0, 0),
        })
    }

    /// Data rows per worksheet (tests use a few to see sheets continue).
    #[cfg(test)]
    pub fn set_rows_per_page(&mut self, rows: u32) {
        let rows = rows.clamp(1, WORKSHEET_DATA_ROWS);
        for sheet in [
            &mut self.results,
            &mut self.heat_map,
            &mut self.reasons,
            &mut self.planning,
        ] {
            sheet.rows_per_page = rows;
        }
    }

    /// Appends one country to every sheet.
    pub fn add(&mut self, row: &Row) -> Result<()> {
        crate::error::contained(|| self.add_rows(row))
            .unwrap_or_else(|_| Err(temporary_files_failed()))
    }

    fn add_rows(&mut self, row: &Row) -> Result<()> {
        let catalog = self.catalog;
        let program_id =
            |position: usize| catalog.programs.get(position).map_or("", |p| p.id.as_str());
        self.widest.0 = self.widest.0.max(row.id.chars().count());
        self.widest.1 = self.widest.1.max(row.name.chars().count());
        let f = &self.formats;

        let mut cells = self.results.next_row(&mut self.book, &f.header)?;
        identify(&mut cells, row, true, None)?;
        for (rank, &program) in row.ranking.iter().take(self.top).enumerate() {
            let Ok(column) = u16::try_from(usize::from(REGIONAL_COLUMNS) + 2 * rank) else {
                break;
            };
            cells.text(column, program_id(program), None)?;
            let score = row.scores.get(program).copied().unwrap_or_default();
            cells.number(column + 1, score, &f.score)?;
        }

        let mut cells = self.heat_map.next_row(&mut self.book, &f.header)?;
        identify(&mut cells, row, true, None)?;
        for (program, &score) in row.scores.iter().enumerate() {
            let top = crate::report::summary::in_top_three_of(&row.ranking, program, score);
            let format = if top { &f.top } else { &f.score };
            let column = column_number(usize::from(REGIONAL_COLUMNS) + program)?;
            cells.number(column, score, format)?;
        }

        for reason in &row.reasons {
            let mut cells = self.reasons.next_row(&mut self.book, &f.header)?;
            identify(&mut cells, row, false, None)?;
            let at = |n: u16| NAMING_COLUMNS + n;
            cells.number(at(0), reason.rank as f64, &f.integer)?;
            cells.text(at(1), program_id(reason.program), None)?;
            cells.text(at(2), &reason.need, None)?;
            cells.number(at(3), reason.points, &f.score)?;
            cells.text(at(4), &reason.answers, None)?;
            if let Some((field, line)) = &reason.matched {
                cells.text(at(5), field, None)?;
                cells.text(at(6), line, None)?;
            }
        }

        for (rank, &position) in row.ranking.iter().take(PLANNED.min(self.top)).enumerate() {
            let (Some(program), Some(planned)) =
                (catalog.programs.get(position), self.planned.get(position))
            else {
                continue;
            };
            let score = row.scores.get(position).copied().unwrap_or_default();
            if !crate::report::summary::in_top_three(rank + 1, score) {
                continue;
            }
            let mut cells = self.planning.next_row(&mut self.book, &f.header)?;
            self.planning_rows += 1;
            identify(&mut cells, row, false, Some(&f.top_text))?;
            let at = |n: u16| NAMING_COLUMNS + n;
            cells.number(at(0), (rank + 1) as f64, &f.top_integer)?;
            cells.text(at(PLANNING_PROGRAM), &program.id, Some(&f.top_text))?;
            cells.number(at(2), score, &f.top_score)?;
            cells.text(at(PLANNING_ACTIVITIES), &planned.activities, Some(&f.wrap))?;
            cells.text(at(PLANNING_OUTCOMES), &planned.outcomes, Some(&f.wrap))?;
            cells.height(planned.lines)?;
        }
        Ok(())
    }

    /// Adds the About sheet and writes the workbook to `out`.
    pub fn finish(self, about: &About, out: &mut crate::io::output::Destination) -> Result<()> {
        crate::error::contained(|| self.save(about, out))
            .unwrap_or_else(|_| Err(temporary_files_failed()))
    }

    fn save(self, about: &About, out: &mut crate::io::output::Destination) -> Result<()> {
        let Writer {
            mut book,
            catalog,
            formats,
            results,
            heat_map,
            reasons,
            planning,
            planning_rows,
            widest,
            ..
        } = self;
        let mut pages = Vec::new();
        for sheet in [results, heat_map, reasons, planning] {
            pages.extend(sheet.finish(&mut book, &formats.header, widest)?);
        }
        pages.push(about_sheet(about, catalog, planning_rows, &formats)?);
        for page in pages {
            book.push_worksheet(page);
        }
        match out.send_writer() {
            // Streamed straight into the output's temporary file (or a pipe, `-o /dev/stdout`).
            Some(writer) => {
                let mut writer = crate::io::output::KeepFirstError::new(writer);
                let saved = book.save_to_writer(&mut writer);
                if let Some(error) = writer.take_error() {
                    return Err(saving(XlsxError::IoError(error), out));
                }
                saved.map_err(|e| saving(e, out))?
            }
            None => {
                let bytes = book.save_to_buffer().map_err(|e| saving(e, out))?;
                std::io::Write::write_all(out, &bytes)?;
            }
        }
        Ok(())
    }
}

/// The columns that name a country on every sheet, kept in view and printed on every page:
/// its id, its code and its name (an id alone is a survey tool's UUID or a row number).
const NAMING_COLUMNS: u16 = 3;

/// The naming columns and the region, on the sheets that show it.
const REGIONAL_COLUMNS: u16 = NAMING_COLUMNS + 1;

/// The header of the country-name column, and its place (after the id and the code).
const COUNTRY_NAME: &str = "country name";
const NAME_COLUMN: u16 = 2;

/// The id column's width (in characters), set for the longest written: at most the first four
/// groups of a survey tool's UUID, which tell submissions apart; wider, printed pages would
/// hold a column fewer (the cell keeps the whole id).
const ID_WIDTH: (f64, f64) = (14.0, 24.0);

/// The country-name column's width, set for the longest written: at most the length of all
/// but the four longest names of the built-in country table.
const NAME_WIDTH: (f64, f64) = (14.0, 34.0);

/// The columns [`identify`] fills (id, country, its name and, when `region`, region), then
/// `rest`.
fn identified(region: bool, rest: impl IntoIterator<Item = Column>) -> Vec<Column> {
    let mut columns = vec![
        column("id", ID_WIDTH.0),
        column(COUNTRY, 10.0),
        column(COUNTRY_NAME, NAME_WIDTH.0),
    ];
    columns.extend(region.then(|| column("region", 12.0)));
    columns.extend(rest);
    columns
}

/// The id, country, name and (when `region`) region cells of a row.
fn identify(cells: &mut Cells, row: &Row, region: bool, format: Option<&Format>) -> Result<()> {
    cells.text(0, &row.id, format)?;
    cells.text(1, &row.country, format)?;
    cells.text(NAME_COLUMN, &row.name, format)?;
    if region {
        cells.text(NAMING_COLUMNS, &row.region, format)?;
    }
    Ok(())
}

/// Rows of a page given the height of their wrapped text (some 30 bytes each stay in memory):
/// every row of a batch of up to 10,000 countries.
const TALL_ROWS: u32 = 30_000;

/// Points per line of text (the default font's row height).
const LINE_POINTS: f64 = 15.0;

fn row_height(lines: usize) -> f64 {
    LINE_POINTS * lines.max(1) as f64
}

/// The lines `text` takes in a column `width` characters wide, wrapped at spaces and hyphens.
fn wrapped_lines(text: &str, width: f64) -> usize {
    // Text letters are narrower on average than the digit a column's width counts; a little
    // less than LibreOffice fits, so that nothing is cut.
    let capacity = ((width * 1.2) as usize).max(1);
    text.split('\n')
        .map(|line| {
            let (mut lines, mut used) = (1, 0);
            for word in line.split_inclusive([' ', '-']) {
                let length = word.chars().count();
                if used > 0 && used + length > capacity {
                    lines += 1;
                    used = 0;
                }
                if length > capacity {
                    // A word longer than a line breaks where it must; its end starts the
                    // last of its lines.
                    lines += (length - 1) / capacity;
                    used = (length - 1) % capacity + 1;
                } else {
                    // A line filled to the last character is full: the next word starts
                    // a new one.
                    used += length;
                }
            }
            lines
        })
        .sum()
}

/// A list as bulleted lines in one cell.
fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("• {}", item.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The width of the About sheet's values.
const ABOUT_WIDTH: f64 = 90.0;

/// The About sheet: when, with what, and how many.
/// A value on the About sheet.
enum AboutValue {
    Text(String),
    Count(u64),
}

fn about_sheet(
    about: &About,
    catalog: &Catalog,
    planning_rows: u64,
    formats: &Formats,
) -> Result<Worksheet> {
    let catalog_name = if catalog.name.is_empty() {
        catalog.origin_for_readers().to_string()
    } else {
        format!("{} ({})", catalog.name, catalog.origin_for_readers())
    };
    use AboutValue::{Count, Text};
    let rejected = match about.not_scored.total {
        0 => Count(0),
        n => Text(format!(
            "{n}{}: not in this workbook, each named below; fix them in the input and run again",
            about.not_scored.more_inside()
        )),
    };
    let mut lines: Vec<(&str, AboutValue)> = vec![
        ("made on", Text(crate::profile::date::Date::today().to_string())),
        ("LDC status as of", Text(about.as_of.clone())),
        ("country table", Text(about.countries.to_string())),
        ("input", Text(about.input.to_string())),
        ("countries scored", Count(about.scored)),
        (PLANNING_ROWS_LABEL, Count(planning_rows)),
        ("rows rejected", rejected),
        (
            "questionnaire",
            Text(format!(
                "{} version {}",
                about.questionnaire_id, about.questionnaire_version
            )),
        ),
        ("catalog", Text(catalog_name)),
        ("catalog source", Text(catalog.source.clone())),
        (VERSION_LABEL, Text(env!("CARGO_PKG_VERSION").to_string())),
        (
            "scores",
            Text(format!("{SCALE_SHORT} Heat map: ★ marks each country's top 3 programs; Planning lists them with columns to fill in.")),
        ),
    ];
    lines.extend(
        about
            .not_scored
            .listed
            .iter()
            .map(|entry| ("not scored", Text(entry.clone()))),
    );
    lines.extend(
        (about.not_scored.columns_not_read.iter())
            .map(|entry| ("column not read", Text(entry.clone()))),
    );
    if about.not_scored.unlisted() > 0 {
        lines.push((
            "not scored",
            Text(format!(
                "and {} more rows (`--errors FILE` lists them all)",
                about.not_scored.unlisted()
            )),
        ));
    }
    let mut page = Worksheet::new();
    page.set_name("About").map_err(failed)?;
    page.set_column_width(0, 20).map_err(failed)?;
    page.set_column_width(1, ABOUT_WIDTH).map_err(failed)?;
    page.write_string_with_format(0, 0, "about", &formats.header)
        .map_err(failed)?;
    page.write_string_with_format(0, 1, "value", &formats.header)
        .map_err(failed)?;
    for (n, (label, value)) in lines.iter().enumerate() {
        let row = u32::try_from(n + 1).map_err(|_| Error::internal("too many About lines"))?;
        page.write_string(row, 0, *label).map_err(failed)?;
        let value = match value {
            // A count is a number, so that a spreadsheet adds it up and does not flag it as a
            // number stored as text.
            Count(count) => {
                page.write_number_with_format(row, 1, *count as f64, &formats.integer)
                    .map_err(failed)?;
                continue;
            }
            Text(value) => value,
        };
        if !fits_in_cell(value) {
            return Err(Error::usage(format!(
                "About!B{} ({label}): the text is longer than the {WORKSHEET_CELL_CHARS} characters a workbook cell holds: shorten it",
                row + 1
            )));
        }
        page.write_string_with_format(row, 1, value, &formats.wrap)
            .map_err(failed)?;
        let lines = wrapped_lines(value, ABOUT_WIDTH);
        if lines > 1 {
            page.set_row_height(row, row_height(lines))
                .map_err(failed)?;
        }
    }
    page.set_freeze_panes(1, 0).map_err(failed)?;
    let columns = [column("", 20.0), column("", ABOUT_WIDTH)];
    set_print_layout(&mut page, &columns, 20.0 + ABOUT_WIDTH, 0)?;
    Ok(page)
}

fn column_number(n: usize) -> Result<u16> {
    u16::try_from(n)
        .ok()
        .filter(|&c| usize::from(c) < MAX_COLUMNS)
        .ok_or_else(|| {
            Error::usage(format!(
                "a workbook sheet holds at most {MAX_COLUMNS} columns: use --format csv"
            ))
        })
}

/// A rust_xlsxwriter failure: a bug or a resource problem (the inputs are checked first).
fn failed(error: XlsxError) -> Error {
    match error {
        XlsxError::IoError(io) => Error::Write(io),
        XlsxError::TempFileError(dir, io) => Error::io_message(&dir, format!(
            "{}: cannot write the workbook's temporary files there ({}): set TMPDIR to a folder with room",
            dir.display(),
            crate::error::explain_io(&io)
        )),
        other => Error::internal(format!("cannot make the workbook: {other}")),
    }
}

/// rust_xlsxwriter stops (panics) when a sheet's temporary file cannot be written.
fn temporary_files_failed() -> Error {
    let dir = std::env::temp_dir();
    Error::io_message(&dir, format!(
        "{}: cannot write the workbook's temporary files there (is the disk full?): free some space or set TMPDIR to a folder with room",
        dir.display()
    ))
}

/// A failure to save the workbook into `out`, named by the output's path.
fn saving(error: XlsxError, out: &crate::io::output::Destination) -> Error {
    match (error, out.shown()) {
        (XlsxError::IoError(io), Some(path)) => Error::io("cannot write", path, &io),
        (error, _) => failed(error),
    }
}

#[cfg(test)]
mod tests;
