//! Reading country profiles from CSV, as spreadsheets really write it: UTF-8 with or without
//! BOM, Windows-1252 or Mac Roman, `,` `;` or tab delimited, CRLF, quoted cells with delimiters and line
//! breaks, blank lines. Streams: one row in memory at a time. Workbooks (`.xlsx`, `.ods`, …)
//! come through [`crate::profile::spreadsheet`] as the same records.

use crate::error::{Error, Location, Result};
use crate::io::csv_records::{Malformed, ReadError, Record, RecordReader};
use crate::profile::questionnaire::Questionnaire;
use crate::profile::{Problem, Profile};
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

/// How the bytes of the file are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// A spreadsheet's plain "CSV" export on Windows.
    Windows1252,
    /// Excel for Mac's "CSV (Macintosh)" export.
    MacRoman,
}

impl Encoding {
    /// The decoder of a single-byte encoding; `None` for UTF-8.
    fn single_byte(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Encoding::Utf8 => None,
            Encoding::Windows1252 => Some(encoding_rs::WINDOWS_1252),
            Encoding::MacRoman => Some(encoding_rs::MACINTOSH),
        }
    }
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Id,
    Field(String),
    Ignored,
    /// A survey export's submission time: the row's date for LDC status.
    SubmissionDate,
    /// A survey export's split multi-choice column, read when the question has no column
    /// (`listed`: whether the questionnaire lists the choice).
    Choice {
        field: String,
        value: String,
        listed: bool,
    },
    /// A survey export's split multi-choice column whose question has its column too: read
    /// to refuse a row where the two disagree.
    Repeat {
        field: String,
        value: String,
    },
}

/// One data row: its profile (before prefill) and what was wrong with it.
#[derive(Debug, Clone)]
pub struct CsvRow {
    /// `file:line`, for messages.
    pub location: String,
    /// Where the row's `country` cell is, for a prefill error.
    pub country_location: String,
    /// Data row number, from 1 (the header is not counted).
    pub row: u64,
    /// The file line the row starts on, from 1.
    pub line: u64,
    /// The `id` cell, or the row number when there is no id column or it is empty.
    pub id: String,
    /// The file has an `id` column and this row's cell is empty: [`Self::id`] is the row number.
    pub id_missing: bool,
    pub profile: Profile,
    pub problems: Vec<Problem>,
    /// A survey export's submission date, when the file has one and the row gives it.
    pub submitted: Option<crate::profile::date::Date>,
    /// Lines inside the row's quotes that look like whole rows: lost with the row if rejected.
    pub rows_inside: u32,
}

/// A CSV of profiles, read row by row.
pub struct ProfileReader<'q> {
    records: Rows,
    parser: RowParser<'q>,
    row: u64,
    /// Columns that are not fields, with a suggestion: report once.
    pub unknown_columns: Vec<String>,
    /// Those of [`Self::unknown_columns`] named like a field the file has no column for: a
    /// misspelt header, whose answers are lost, so the run does not pass as complete.
    pub misspelt_columns: Vec<String>,
    /// Warnings given about quoted cells that hold what look like rows.
    warned: u32,
    /// Warnings found while reading rows, for the caller to show: see [`ProfileReader::take_warnings`].
    warnings: Vec<String>,
    /// A survey export's submission ids seen so far (`None` for other tables).
    submissions: Option<Submissions>,
    /// A survey export's column of the reviewer's verdict, its name, and how many rows a
    /// reviewer rejected or put on hold.
    review: Option<(usize, &'static str, u32)>,
    /// The `id` column, while the template's example row has not been seen in it.
    example_id_column: Option<usize>,
    /// Rows with a run of `???` in a cell (a lossy save's lost letters), once warned of.
    question_marks: u64,
    /// Rows skipped because they hold values only in columns that are not read.
    unread_only: u32,
}

/// The id of the example row `ipneeds template` writes under its header: a filled-in template
/// that keeps it would score Uganda's example answers as one more country.
pub const TEMPLATE_EXAMPLE_ID: &str = "example-1";

/// A survey export's submission ids seen so far, to warn when one comes again: the same
/// submission twice (sent again, or two downloads pasted together) is scored and counted twice.
///
/// Each id is kept as a 64-bit hash with the line it was first on, not as text: 16 bytes an id
/// (24 with the table's room), whatever its length. Two different ids share a hash with a
/// chance of about n²/2^65: one in a billion at the cap below, so a warning is not confirmed
/// against the text; it names both rows and the id, so a person opening the file sees it. Past
/// the cap (a few megabytes) the ids after it are still checked against the ones kept, but
/// not kept, and a warning says so: memory stays bounded for any number of rows.
struct Submissions {
    /// The column of the submission id.
    column: usize,
    /// Hash of an id → the line (or sheet row) it was first on.
    seen: std::collections::HashMap<u64, u64>,
    /// A hasher with a random key: ids chosen to collide cannot be written in advance.
    keys: std::collections::hash_map::RandomState,
    /// Warnings given, and whether the cap was reached.
    warned: u32,
    full: bool,
}

/// Submission ids kept (see [`Submissions`]).
const MAX_SUBMISSIONS: usize = 200_000;

impl Submissions {
    fn new(column: usize) -> Submissions {
        Submissions {
            column,
            seen: std::collections::HashMap::new(),
            keys: std::collections::hash_map::RandomState::new(),
            warned: 0,
            full: false,
        }
    }
}

/// A data row as read, not yet parsed: parsing can then run on any thread.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    /// Data row number, from 1.
    pub row: u64,
    /// The file line the row starts on, from 1.
    pub line: u64,
    pub record: Record,
    /// Cells of a workbook that reject the row (a spreadsheet error such as `#N/A`, a formula with
    /// no saved value); their record cells are empty.
    pub sheet_errors: Vec<crate::profile::spreadsheet::CellError>,
}

/// Where the header row is, for messages: `file:1` in a CSV, `file Sheet row 1` in a workbook;
/// a header cell is `file:1: column 3` or `file Sheet!C1`, as the user finds it.
pub(crate) struct HeaderPlace<'a> {
    origin: &'a str,
    line: u64,
    sheet: Option<crate::profile::spreadsheet::SheetPlace>,
}

impl<'a> HeaderPlace<'a> {
    /// The header at `line` of `origin`, a workbook's sheet when `sheet` is given.
    pub(crate) fn new(
        origin: &'a str,
        line: u64,
        sheet: Option<crate::profile::spreadsheet::SheetPlace>,
    ) -> HeaderPlace<'a> {
        HeaderPlace {
            origin,
            line,
            sheet,
        }
    }

    /// The row: `file:1`, or `file Sheet row 1`.
    pub(crate) fn row(&self) -> Location {
        row_location(self.origin, self.sheet.as_ref(), self.line)
    }

    /// The cell of column `position` (from 0): `file:1` (the message names the column) or
    /// `file Sheet!C1`.
    pub(crate) fn cell(&self, position: usize) -> Location {
        match &self.sheet {
            Some(sheet) => sheet.location(self.line, position, ""),
            None => self.row(),
        }
    }

    /// Column `position` (from 0) in a message: `column 3`, or `column C` in a workbook.
    pub(crate) fn column(&self, position: usize) -> String {
        match &self.sheet {
            Some(sheet) => format!("column {}", sheet.letters(position)),
            None => format!("column {}", position + 1),
        }
    }

    /// Two columns (from 0) in a message: `columns 2 and 3`, or `B1 and C1` in a workbook.
    pub(crate) fn two_columns(&self, first: usize, second: usize) -> String {
        match &self.sheet {
            Some(sheet) => format!(
                "{}{line} and {}{line}",
                sheet.letters(first),
                sheet.letters(second),
                line = self.line
            ),
            None => format!("columns {} and {}", first + 1, second + 1),
        }
    }
}

/// Row `line` of a table as a place: `file:4`, or `file Sheet row 4` in a workbook's `sheet`.
pub(crate) fn row_location(
    origin: &str,
    sheet: Option<&crate::profile::spreadsheet::SheetPlace>,
    line: u64,
) -> Location {
    match sheet {
        Some(sheet) => Location::Written(sheet.row(line)),
        None => Location::line(origin, line),
    }
}

/// Where a reader's records come from.
enum Rows {
    Csv(RecordReader),
    Sheet(crate::profile::spreadsheet::SheetRows),
}

impl Rows {
    /// The next record (and a workbook's error cells); its line or sheet row.
    fn read(
        &mut self,
        record: &mut Record,
        errors: &mut Vec<crate::profile::spreadsheet::CellError>,
    ) -> std::result::Result<Option<u64>, ReadError> {
        match self {
            Rows::Csv(records) => {
                errors.clear();
                records.read(record)
            }
            Rows::Sheet(sheet) => Ok(sheet.read(record, errors)),
        }
    }
}

/// Turns raw rows into profiles; shareable across threads.
#[derive(Debug, Clone)]
pub struct RowParser<'q> {
    columns: Vec<Column>,
    /// The header's names trimmed and lower-cased, as columns are matched.
    names: Vec<String>,
    /// The header's names as the file writes them (trimmed), as messages show them.
    headings: Vec<String>,
    encoding: Encoding,
    delimiter: u8,
    origin: String,
    /// For a workbook: where its cells are (`Sheet1!D7`); messages then name cells.
    sheet: Option<crate::profile::spreadsheet::SheetPlace>,
    questionnaire: &'q Questionnaire,
}

/// A header cell longer than this is not a field name (usually a broken quote).
const MAX_HEADER_BYTES: usize = 200;

/// Bytes sniffed for encoding and delimiter.
const SNIFF_BYTES: usize = 1 << 20;

/// Columns that are not fields named one by one; the others are counted.
const SHOWN_UNKNOWN_COLUMNS: usize = 20;

/// Warnings about quoted cells that hold rows given one by one, per file.
const SHOWN_ROW_WARNINGS: u32 = 10;

impl<'q> ProfileReader<'q> {
    /// Opens `path` (`-` for standard input); a workbook's first sheet.
    pub fn open(
        path: &Path,
        delimiter: Option<u8>,
        questionnaire: &'q Questionnaire,
    ) -> Result<ProfileReader<'q>> {
        ProfileReader::open_sheet(path, delimiter, None, questionnaire)
    }

    /// Opens `path` (`-` for standard input): a CSV, or, by its extension, a workbook's
    /// `sheet` (default: the first).
    pub fn open_sheet(
        path: &Path,
        delimiter: Option<u8>,
        sheet: Option<&str>,
        questionnaire: &'q Questionnaire,
    ) -> Result<ProfileReader<'q>> {
        let origin = crate::io::input::origin(path);
        if path != Path::new("-") && crate::profile::spreadsheet::is_workbook(path) {
            if delimiter.is_some() {
                return Err(Error::usage(format!(
                    "{origin}: --delimiter applies to CSV files; a workbook has cells: drop --delimiter"
                )));
            }
            let rows = crate::profile::spreadsheet::SheetRows::open(path, sheet)?;
            let origin = rows.place().origin();
            let read = crate::io::quote::printable(&rows.place().sheet_name(), 60);
            // Another sheet headed with fields (a second year's profiles, the lists of values
            // a form's drop-downs take) makes the first a guess: the user chooses.
            let also: Vec<String> = (rows.other_headers().iter())
                .filter(|(_, header)| {
                    let fields = header.iter().filter(|name| {
                        let key = field_key(&heading(name).to_lowercase());
                        // (A survey export's group path before the field: `office/ip_strategy`.)
                        let key = key.rsplit(['/', '.']).next().unwrap_or_default();
                        questionnaire.question(key).is_some()
                    });
                    fields.count() >= 2
                })
                .map(|(name, _)| format!("`{}`", crate::io::quote::printable(name, 60)))
                .collect();
            let reader =
                ProfileReader::from_rows(Rows::Sheet(rows), &origin, None, questionnaire, None)?;
            if !also.is_empty() {
                let file = crate::io::input::origin(path);
                return Err(Error::input(
                    Location::File(file),
                    format!(
                        "its sheets `{read}` (the first, read when no sheet is given) and {} {} columns of profile fields: give the sheet of profiles with --sheet NAME",
                        also.join(", "),
                        if also.len() == 1 { "both have" } else { "all have" }
                    ),
                ));
            }
            return Ok(reader);
        }
        if is_answers_file(&origin) {
            // A catalog, questionnaire or synonyms file is named for what it is.
            let is_question = |key: &str| questionnaire.question(key).is_some();
            let data_file = (std::fs::read_to_string(path).ok())
                .and_then(|text| crate::io::yaml::data_file_kind(&text, is_question));
            return Err(Error::input(
                Location::File(origin.clone()),
                match data_file {
                    Some(file) => crate::profile::answers::data_file_given(file, &origin, "batch"),
                    None => answers_given(&origin),
                },
            ));
        }
        if let Some(sheet) = sheet {
            return Err(Error::usage(format!(
                "{origin}: --sheet `{}` applies to workbooks (.xlsx, .xlsm, .xls, .ods), and this file is read as CSV: drop --sheet, or give the workbook",
                crate::io::quote::printable(sheet, 60)
            )));
        }
        let source: Box<dyn Read> = if path == Path::new("-") {
            Box::new(std::io::stdin())
        } else {
            if path.is_dir() {
                return Err(Error::io_message(
                    path,
                    format!("{origin}: is a directory: give a CSV file"),
                ));
            }
            Box::new(std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, &e))?)
        };
        let file = (path != Path::new("-")).then_some(path);
        let records = Rows::Csv(RecordReader::new(source));
        ProfileReader::from_rows(records, &origin, delimiter, questionnaire, file)
    }

    /// Reads profiles from any reader; `origin` names it in messages.
    pub fn from_reader(
        source: Box<dyn Read>,
        origin: &str,
        delimiter: Option<u8>,
        questionnaire: &'q Questionnaire,
    ) -> Result<ProfileReader<'q>> {
        let records = Rows::Csv(RecordReader::new(source));
        ProfileReader::from_rows(records, origin, delimiter, questionnaire, None)
    }

    /// Reads the header of `records` (sniffing a CSV's encoding and delimiter) and maps its
    /// columns to fields; `file`, when the CSV is one, is read ahead for its encoding.
    fn from_rows(
        mut records: Rows,
        origin: &str,
        delimiter: Option<u8>,
        questionnaire: &'q Questionnaire,
        file: Option<&Path>,
    ) -> Result<ProfileReader<'q>> {
        let (encoding, delimiter, hint_line) = match &mut records {
            Rows::Csv(records) => sniff(records, origin, delimiter, file)?,
            Rows::Sheet(_) => (Encoding::Utf8, b',', false),
        };
        let mut header = Record::default();
        if hint_line {
            // Excel's `sep=;` line: the delimiter is taken from it; the header is the next line.
            (records.read(&mut header, &mut Vec::new()))
                .map_err(|error| read_error(error, origin))?;
        }
        // Rows of empty cells above the header (`,,,`, as a sheet with a blank first row is
        // saved) are passed over, as blank rows below it are.
        let blank = |header: &Record| (header.iter()).all(blank_cell);
        let mut header_line = None;
        let mut blank_rows = false;
        while let Some(line) = (records.read(&mut header, &mut Vec::new()))
            .map_err(|error| read_error(error, origin))?
        {
            if header.malformed().is_some() || !blank(&header) {
                header_line = Some(line);
                break;
            }
            blank_rows = true;
        }
        let header_at = header_line.unwrap_or(1);
        let sheet = match &records {
            Rows::Sheet(rows) => Some(rows.place().clone()),
            Rows::Csv(_) => None,
        };
        let at = HeaderPlace::new(origin, header_at, sheet);
        if let Some(malformed) = header.malformed() {
            return Err(Error::input(
                Location::line(origin, header_at),
                format!(
                    "the header row: {}",
                    quote_message(
                        malformed,
                        &format!("column {}", malformed.cell + 1),
                        encoding
                    )
                ),
            ));
        }
        if header_line.is_none() {
            let holds = match (hint_line, blank_rows) {
                (true, _) => format!(
                    "the file holds only Excel's line `sep={}`{}",
                    char::from(delimiter),
                    if blank_rows { " and blank rows" } else { "" }
                ),
                (false, true) => "the file holds only blank rows".to_string(),
                (false, false) => "the file is empty".to_string(),
            };
            return Err(Error::input(
                Location::File(origin.to_string()),
                format!(
                    "{holds}: expected a header row of field ids (`ipneeds template` writes one)"
                ),
            ));
        }
        if let Some((position, cell)) = header
            .iter()
            .enumerate()
            .find(|(_, cell)| cell.len() > MAX_HEADER_BYTES)
        {
            // One long name holding another delimiter: the file is separated by that one.
            let other = (header.len() == 1)
                .then(|| {
                    [b',', b';', b'\t', b'|']
                        .into_iter()
                        .find(|d| cell.contains(d))
                })
                .flatten();
            let check = match other {
                Some(d) => format!(
                    "the header holds no `{}` but does hold `{}`: give the delimiter the file uses (`--delimiter {}`), or leave --delimiter out to have it detected",
                    char::from(delimiter).escape_default(),
                    char::from(d).escape_default(),
                    if d == b'\t' { "tab".to_string() } else { char::from(d).to_string() },
                ),
                None => "check that the first row is the header and that no quote is left open".to_string(),
            };
            return Err(Error::input(
                at.cell(position),
                format!(
                    "the name of {} is {} bytes long; header names are field ids such as `ip_strategy`: {check}",
                    at.column(position),
                    cell.len()
                ),
            ));
        }
        let mut names: Vec<String> = Vec::with_capacity(header.len());
        let mut headings: Vec<String> = Vec::with_capacity(header.len());
        for (position, cell) in header.iter().enumerate() {
            let Some(name) = decode(cell, encoding) else {
                return Err(Error::input(
                    Location::line(origin, header_at),
                    format!(
                        "the name of column {}: {}",
                        position + 1,
                        not_utf8_message(cell)
                    ),
                ));
            };
            let name = heading(&name);
            names.push(name.to_lowercase());
            headings.push(name);
        }
        // ipneeds's own results (batch CSV `rank1_program`, the workbook's `rank 1 program`,
        // its Reasons and Planning sheets' `rank` beside `program`) given back as profiles
        // would be scored from their country alone.
        let column = |wanted: &str| {
            (names.iter().zip(&headings))
                .find(|(name, _)| name.replace([' ', '_'], "") == wanted)
                .map(|(_, heading)| format!("`{heading}`"))
        };
        let results_columns = (names.iter().zip(&headings))
            .find(|(name, _)| is_results_heading(name))
            .map(|(_, heading)| format!("`{heading}`"))
            .map(|c| format!("its column {c}"))
            .or_else(|| {
                Some(format!(
                    "its columns {} and {}",
                    column("rank")?,
                    column("program")?
                ))
            });
        if let Some(columns) = results_columns {
            return Err(Error::input(
                at.row(),
                format!(
                    "this is a table of results ipneeds wrote ({columns}), not of profiles: give the table of answers the results were made from"
                ),
            ));
        }
        let export = crate::profile::survey_export::recognise(&names, questionnaire, &at)?;
        let mut columns = Vec::new();
        let mut unknown_columns = Vec::new();
        let mut misspelt_columns = Vec::new();
        let mut unknown = 0;
        let keys: Vec<String> = names.iter().map(|n| field_key(n)).collect();
        let fields_given: HashSet<&str> = (keys.iter())
            .filter(|k| questionnaire.question(k).is_some())
            .map(String::as_str)
            .collect();
        let missing = crate::suggest::FieldNames::new(
            (questionnaire.ids()).filter(|id| !fields_given.contains(id)),
        );
        // Each name's first column: a lookup, not a scan, so a wide header takes linear time.
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (position, (name, key)) in names.iter().zip(&keys).enumerate() {
            let heading = headings.get(position).unwrap_or(name);
            let exported = export.as_ref().and_then(|e| e.columns.get(position));
            let key = if exported.is_none() { key } else { name };
            // Two columns of one field leave its answer to the order of the columns; two of
            // notes are both ignored, and refuse nothing. (An export's fields are checked
            // where the export is recognised.)
            let read = exported.is_none()
                && (key == crate::profile::ID || questionnaire.question(key).is_some());
            let earlier = (read && !key.is_empty()).then(|| seen.insert(key, position));
            if let Some(first) = earlier.flatten() {
                let columns = at.two_columns(first, position);
                return Err(Error::input(
                    at.cell(position),
                    match headings.get(first) {
                        Some(first_heading) if first_heading != heading => format!(
                            "columns `{first_heading}` and `{heading}` ({columns}) are the same column `{key}`: keep one"
                        ),
                        _ => format!("column `{heading}` appears twice ({columns}): keep one"),
                    },
                ));
            }
            let column = if let Some(column) = exported.and_then(export_column) {
                column
            } else if exported.is_none() && key == crate::profile::ID {
                Column::Id
            } else if exported.is_none() && questionnaire.question(key).is_some() {
                Column::Field(key.clone())
            } else {
                // A near miss of a field the file has no column for, or a name holding all its
                // words, or whose words a field's name holds all of, is that field misnamed, not
                // a column of notes: its answers would be lost without a word (`regional_sytem`,
                // `Number of patent examiners`, `ip_strategy` for `national_ip_strategy`,
                // `Country name`).
                let misspelt = exported.is_none() && !name.is_empty() && missing.misnamed(key);
                unknown += 1;
                if misspelt || unknown <= SHOWN_UNKNOWN_COLUMNS {
                    let hint = crate::suggest::did_you_mean(key, questionnaire.ids());
                    let (place, shown) = match name.is_empty() {
                        true => (at.cell(position), at.column(position)),
                        false => (at.cell(position), format!("column `{heading}`")),
                    };
                    let message = match (misspelt, name.is_empty()) {
                        (true, _) => format!(
                            "{place}: {shown} is not a profile field{hint}: its answers are not read; give the column the field's id, or a name no field resembles if it holds notes"
                        ),
                        // A value under a blank header cell is read by no one: say so plainly.
                        (false, true) => format!(
                            "{place}: {shown} has no name in the header: any value in it is not read; if it holds answers, write the field's id in its header cell"
                        ),
                        (false, false) => format!("{place}: {shown} is not a profile field{hint}; it is ignored"),
                    };
                    if misspelt {
                        misspelt_columns.push(message.clone());
                    }
                    unknown_columns.push(message);
                }
                Column::Ignored
            };
            columns.push(column);
        }
        if unknown > unknown_columns.len() {
            unknown_columns.push(format!(
                "{}: {} more columns that are not profile fields are ignored: check that the first row is the header",
                at.row(),
                unknown - unknown_columns.len()
            ));
        }
        if !columns
            .iter()
            .any(|c| matches!(c, Column::Field(_) | Column::Choice { .. }))
        {
            let found = headings.get(..SHOWN_UNKNOWN_COLUMNS).unwrap_or(&headings);
            let more = if found.len() < headings.len() {
                ", ..."
            } else {
                ""
            };
            let yaml =
                (names.first()).is_some_and(|n| n.starts_with(['#', '-']) || n.contains(':'));
            let country_table =
                crate::profile::countries::is_country_table_header(&names.join(","));
            // One column whose name holds another separator: the file uses it.
            let separator = match names.as_slice() {
                [only] => ['|', ':', '/']
                    .into_iter()
                    .find(|&c| only.matches(c).count() >= 2),
                _ => None,
            };
            // An XLSForm's `survey` sheet (`ipneeds template -o FILE.xlsx` writes one).
            let survey_form = ["type", "name"]
                .iter()
                .all(|column| names.iter().any(|n| n == column));
            let advice = match (yaml, country_table, separator) {
                (true, _, _) => answers_given(origin),
                _ if survey_form => "this is a survey form (XLSForm) for KoboToolbox or ODK, as `ipneeds template -o FILE.xlsx` writes: deploy it, collect the answers and give its export; for a table to fill in by hand, write `ipneeds template -o profiles.csv` and open it in the spreadsheet".to_string(),
                (false, true, _) => format!(
                    "this is a country reference table (as data/countries.csv): give it with `--countries {}`, and give `batch` a table of profiles",
                    crate::io::input::typed(origin)
                ),
                (false, false, Some(separator)) => format!(
                    "its columns look separated by `{separator}`: give `--delimiter '{separator}'`"
                ),
                (false, false, None) => "the header needs field ids such as country, ldc_status, ip_strategy (`ipneeds template` writes one); the header must be the first row: delete any title rows above it".to_string(),
            };
            let sheets = match &records {
                // (A form's other sheets are its choices and settings.)
                Rows::Sheet(rows) if !survey_form => rows.other_sheets_hint(),
                _ => String::new(),
            };
            return Err(Error::input(
                at.row(),
                format!(
                    "no column is a profile field (found: {}{more}): {advice}{sheets}",
                    found.join(", ")
                ),
            ));
        }
        let (sheet, warnings) = match &mut records {
            Rows::Csv(records) => {
                records.set_columns(columns.len());
                (None, Vec::new())
            }
            Rows::Sheet(rows) => (Some(rows.place().clone()), rows.take_warnings()),
        };
        // A survey export's submission ids, to name a submission given twice.
        let submissions = (export.as_ref())
            .and_then(|export| export.submission)
            .map(Submissions::new);
        let review = (export.as_ref())
            .and_then(|export| export.review)
            .map(|(column, name)| (column, name, 0));
        // A survey export's ids are the tool's, never the template's.
        let example_id_column = (export.is_none())
            .then(|| columns.iter().position(|c| matches!(c, Column::Id)))
            .flatten();
        Ok(ProfileReader {
            records,
            parser: RowParser {
                columns,
                names,
                headings,
                encoding,
                delimiter,
                origin: origin.to_string(),
                sheet,
                questionnaire,
            },
            row: 0,
            unknown_columns,
            misspelt_columns,
            warned: 0,
            warnings,
            submissions,
            review,
            example_id_column,
            question_marks: 0,
            unread_only: 0,
        })
    }

    /// Bytes read so far (for progress).
    pub fn byte_position(&self) -> u64 {
        match &self.records {
            Rows::Csv(records) => records.position(),
            Rows::Sheet(rows) => rows.position(),
        }
    }

    /// The detected encoding.
    pub fn encoding(&self) -> Encoding {
        self.parser.encoding
    }

    /// The next data row, skipping blank lines; `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<CsvRow>> {
        let mut raw = RawRow::default();
        let more = self.read_raw(&mut raw);
        more.map(|more| more.then(|| self.parser.parse(&raw)))
            .transpose()
    }

    /// The parser for rows read with [`ProfileReader::read_raw`].
    pub fn parser(&self) -> &RowParser<'q> {
        &self.parser
    }

    /// Reads the next data row into `raw` (reusing its memory), skipping blank lines; `false`
    /// at the end.
    pub fn read_raw(&mut self, raw: &mut RawRow) -> Result<bool> {
        loop {
            let line = match self.records.read(&mut raw.record, &mut raw.sheet_errors) {
                Ok(Some(line)) => line,
                Ok(None) => {
                    self.count_rejected_submissions();
                    self.count_question_marks();
                    self.count_unread_only();
                    return Ok(false);
                }
                Err(error) => return Err(read_error(error, &self.parser.origin)),
            };
            let record = &raw.record;
            // A malformed record has no cells, and is not blank.
            let blank = record.malformed().is_none()
                && raw.sheet_errors.is_empty()
                && (record.iter()).all(blank_cell);
            if blank {
                continue;
            }
            let unread_only = (record.malformed().is_none() && raw.sheet_errors.is_empty())
                .then(|| self.parser.unread_values_only(record))
                .flatten();
            if let Some(position) = unread_only {
                self.warn_unread_only(line, &raw.record, position);
                continue;
            }
            if record.malformed().is_none() && record.rows_inside() > 0 && record.inner_lines() >= 2
            {
                self.warn_rows_inside(line, record);
            }
            if self.submissions.is_some() && record.malformed().is_none() {
                self.check_submission(line, &raw.record);
            }
            if record.malformed().is_none() {
                self.check_question_marks(line, &raw.record);
            }
            if self.example_id_column.is_some() && record.malformed().is_none() {
                self.check_template_example(line, &raw.record);
            }
            if self.review.is_some() && record.malformed().is_none() {
                self.check_review(line, &raw.record);
            }
            self.row += 1;
            raw.row = self.row;
            raw.line = line;
            return Ok(true);
        }
    }

    /// Warns that a well-formed row's quoted cell runs over 3 or more lines and holds lines that
    /// look like rows (as many delimiters as the header): usually a quote left open, closed by
    /// chance further down, with the rows between read as the cell's text.
    fn warn_rows_inside(&mut self, line: u64, record: &Record) {
        self.warned += 1;
        let origin = &self.parser.origin;
        if self.warned > SHOWN_ROW_WARNINGS {
            return;
        }
        let last = line + record.inner_lines();
        let more = if self.warned == SHOWN_ROW_WARNINGS {
            " (further warnings like this one, if any, are not shown)"
        } else {
            ""
        };
        self.warnings.push(format!(
            "{origin}:{line}-{last}: a quoted cell runs over {} lines and holds what look like {}: check for a quote left open{}",
            record.inner_lines() + 1,
            whole_rows(record.rows_inside()),
            more
        ));
    }

    /// Warns (once) when the row at `line` is the template's example row, kept by mistake.
    fn check_template_example(&mut self, line: u64, record: &Record) {
        let Some(column) = self.example_id_column else {
            return;
        };
        let example = (record.get(column))
            .is_some_and(|id| id.trim_ascii() == TEMPLATE_EXAMPLE_ID.as_bytes());
        if example {
            self.example_id_column = None;
            self.warnings.push(format!(
                "{}: row `{TEMPLATE_EXAMPLE_ID}` is the example `ipneeds template` writes, and is scored and counted as a country like the others: delete the row, or give it an id of your own if it is a country you mean",
                self.parser.row_place(line)
            ));
        }
    }

    /// Warns when a reviewer rejected the submission on the row at `line`, or put it on hold:
    /// the export still holds it, and it is scored and counted like any other.
    fn check_review(&mut self, line: u64, record: &Record) {
        use crate::profile::survey_export::Doubt;
        let Some((column, name, warned)) = &mut self.review else {
            return;
        };
        let Some((verdict, doubt)) = (record.get(*column))
            .and_then(|bytes| decode(bytes, self.parser.encoding))
            .and_then(|verdict| Doubt::of(&verdict).map(|doubt| (verdict, doubt)))
        else {
            return;
        };
        *warned += 1;
        if *warned > SHOWN_ROW_WARNINGS {
            return;
        }
        let more = match *warned == SHOWN_ROW_WARNINGS {
            true => " (further warnings like this one, if any, are not shown)",
            false => "",
        };
        let fix = match doubt {
            Doubt::Rejected => "remove its row, or export only the submissions to count",
            Doubt::Questioned => {
                "check its answers before relying on them, or remove its row until the issues are resolved"
            }
        };
        let place = self.parser.row_place(line);
        self.warnings.push(format!(
            "{place}: a reviewer {} (column `{}`: `{}`), yet it is scored and counted: {fix}{more}",
            doubt.says(),
            name,
            crate::io::quote::printable(verdict.trim(), 80),
        ));
    }

    /// At the end of the file, when more submissions a reviewer rejected or put on hold were
    /// found than were named: their number (once).
    fn count_rejected_submissions(&mut self) {
        if let Some((_, name, warned)) = self.review.take() {
            if warned > SHOWN_ROW_WARNINGS {
                self.warnings.push(format!(
                    "{}: {warned} submissions in all were rejected or put on hold by a reviewer (column `{name}`), the first {SHOWN_ROW_WARNINGS} named above; all are scored and counted",
                    self.parser.origin
                ));
            }
        }
    }

    /// Warns (once, at the first) when a cell of the row at `line` holds a run of `???`: what a
    /// file saved as ANSI or Windows-1252 leaves of letters its code page lacks (Arabic,
    /// Chinese, Cyrillic …). The text is lost before ipneeds reads it; only the original can
    /// give it back.
    fn check_question_marks(&mut self, line: u64, record: &Record) {
        let Some(column) = record
            .iter()
            .position(|cell| memchr::memmem::find(cell, b"???").is_some())
        else {
            return;
        };
        self.question_marks += 1;
        if self.question_marks == 1 {
            self.warnings.push(format!(
                "{}: the text holds `???`: a file saved as ANSI or Windows-1252 turns the letters its code page lacks (Arabic, Chinese, Cyrillic …) into `?`, and they are lost; if these stood for letters, save the original again as CSV UTF-8",
                self.parser.cell_place(line, column)
            ));
        }
    }

    /// At the end of the file, when more rows than the one named hold `???`: their number.
    fn count_question_marks(&mut self) {
        if self.question_marks > 1 {
            self.warnings.push(format!(
                "{}: {} rows in all hold `???` in a cell, the first named above",
                self.parser.origin, self.question_marks
            ));
            self.question_marks = 0;
        }
    }

    /// Warns that the row at `line` is skipped: it holds a value only in columns that are not
    /// read (the first at `position`), such as a note under `notes` or a line of sources below
    /// the table. It has no country, id or answer: scored, it was one more country with no
    /// needs, counted in the summary.
    fn warn_unread_only(&mut self, line: u64, record: &Record, position: usize) {
        self.unread_only += 1;
        if self.unread_only > SHOWN_ROW_WARNINGS {
            return;
        }
        let more = match self.unread_only == SHOWN_ROW_WARNINGS {
            true => " (further warnings like this one, if any, are not shown)",
            false => "",
        };
        let value = String::from_utf8_lossy(record.get(position).unwrap_or_default());
        self.warnings.push(format!(
            "{}: the row holds no country, id or answer, only `{}` in a column that is not read: it is skipped, not scored or counted; if it is a country, give its country or id and its answers{more}",
            self.parser.cell_place(line, position),
            crate::io::quote::printable(crate::profile::trim_cell(&value), 80),
        ));
    }

    /// At the end of the file, when more rows were skipped as holding values only in columns
    /// that are not read than were named: their number.
    fn count_unread_only(&mut self) {
        if self.unread_only > SHOWN_ROW_WARNINGS {
            self.warnings.push(format!(
                "{}: {} rows in all hold values only in columns that are not read and were skipped, the first {SHOWN_ROW_WARNINGS} named above",
                self.parser.origin, self.unread_only
            ));
        }
        self.unread_only = 0;
    }

    /// Warns when the row at `line` holds a submission id already seen on an earlier row.
    fn check_submission(&mut self, line: u64, record: &Record) {
        use std::hash::BuildHasher;
        let Some(submissions) = &mut self.submissions else {
            return;
        };
        let Some(id) = (record.get(submissions.column))
            .and_then(|bytes| decode(bytes, self.parser.encoding))
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
        else {
            return;
        };
        let hash = submissions.keys.hash_one(&id);
        let place = |line: u64| self.parser.row_place(line);
        if let Some(&first) = submissions.seen.get(&hash) {
            submissions.warned += 1;
            if submissions.warned > SHOWN_ROW_WARNINGS {
                return;
            }
            let column = self.parser.headings.get(submissions.column);
            let more = match submissions.warned == SHOWN_ROW_WARNINGS {
                true => " (further warnings like this one, if any, are not shown)",
                false => "",
            };
            let unit = match self.parser.sheet {
                Some(_) => "rows",
                None => "lines",
            };
            self.warnings.push(format!(
                "{}: submission `{}` (column `{}`) appears on {unit} {first} and {line}: both are scored and counted; remove one to count the country once{more}",
                place(line),
                crate::io::quote::printable(&id, 80),
                column.map_or("", String::as_str),
            ));
            return;
        }
        if submissions.seen.len() < MAX_SUBMISSIONS {
            submissions.seen.insert(hash, line);
        } else if !submissions.full {
            submissions.full = true;
            self.warnings.push(format!(
                "{}: more than {MAX_SUBMISSIONS} submissions: a submission id that first appears after this row is not checked for a repeat",
                place(line)
            ));
        }
    }

    /// The warnings found by the rows read since the last call (the library does not print).
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// The header as the batch fast path reads it (`id`, field ids, and empty names for the
    /// columns it skips); `None` when a row's answers or date need the reference path (a
    /// survey export's split multi-choice columns or submission dates).
    pub fn scoring_header(&self) -> Option<Vec<String>> {
        (self.parser.columns.iter())
            .map(|column| match column {
                Column::Id => Some(crate::profile::ID.to_string()),
                Column::Field(field) => Some(field.clone()),
                Column::Ignored => Some(String::new()),
                Column::SubmissionDate | Column::Choice { .. } | Column::Repeat { .. } => None,
            })
            .collect()
    }

    /// The heading of the survey export's submission-time column, when each row is dated by it.
    pub fn dated_by(&self) -> Option<&str> {
        let parser = &self.parser;
        let position = (parser.columns.iter()).position(|c| *c == Column::SubmissionDate)?;
        parser.headings.get(position).map(String::as_str)
    }

    /// Ignores a survey export's submission dates (`--as-of` gives the date for every row).
    pub fn ignore_submission_dates(&mut self) {
        for column in &mut self.parser.columns {
            if *column == Column::SubmissionDate {
                *column = Column::Ignored;
            }
        }
    }
}

/// A header cell as the sheet shows it: trimmed, a line break typed in it (Alt+Enter in Excel:
/// `IP⏎strategy`) a space, as the sheet shows the name on one line when the column is wide
/// enough.
fn heading(cell: &str) -> String {
    (crate::profile::trim_cell(cell).split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field id a lower-case heading names: a field id as a person writes it in a
/// spreadsheet's header (`IP strategy`, `patent-examiners`) is that field, since ids are lower
/// case with `_` between words.
pub(crate) fn field_key(heading: &str) -> String {
    heading.replace([' ', '-'], "_")
}

impl RowParser<'_> {
    /// The workbook sheet read (unquoted), for a CSV none.
    pub fn sheet_name(&self) -> Option<String> {
        self.sheet.as_ref().map(|place| place.sheet_name())
    }

    /// Parses one raw row into a profile and its problems.
    pub fn parse(&self, raw: &RawRow) -> CsvRow {
        let line = raw.line;
        let record = &raw.record;
        let mut problems = Vec::new();
        let at = |column: &str| self.cell_location(line, column);
        if let Some(malformed) = record.malformed() {
            let name = self.names.get(malformed.cell).filter(|n| !n.is_empty());
            let (location, field) = match name {
                Some(name) => (at(name), name.clone()),
                None => (
                    format!("{}:{line}: column {}", self.origin, malformed.cell + 1),
                    String::new(),
                ),
            };
            let message = quote_message(malformed, "this cell", self.encoding);
            problems.push(problem(location, &field, String::new(), message));
            // The id, when its cell comes before the malformed one (the reader keeps those).
            let id = (self.columns.iter().position(|c| matches!(c, Column::Id)))
                .and_then(|at| record.get(at))
                .and_then(|bytes| decode(bytes, self.encoding))
                .map(|text| crate::profile::trim_cell(&text).to_string())
                .filter(|id| !id.is_empty());
            return CsvRow {
                location: format!("{}:{line}", self.origin),
                country_location: at(crate::profile::COUNTRY),
                row: raw.row,
                line,
                id: id.unwrap_or_else(|| raw.row.to_string()),
                id_missing: false,
                profile: Profile::default(),
                problems,
                submitted: None,
                // A quote never closed is cut at its line: the lines after it are rows.
                rows_inside: match malformed.closed {
                    Some(_) => malformed.rows_inside,
                    None => 0,
                },
            };
        }
        for error in &raw.sheet_errors {
            if let Some(problem) = self.sheet_error(line, error) {
                problems.push(problem);
            }
        }
        if let (Some(sheet), true) = (&self.sheet, record.len() > self.columns.len()) {
            // A workbook's row is as wide as the header unless a cell right of it holds a value.
            let position = (self.columns.len()..record.len())
                .find(|&p| record.get(p).is_some_and(|cell| !cell.is_empty()))
                .unwrap_or(self.columns.len());
            let value = String::from_utf8_lossy(record.get(position).unwrap_or_default());
            let message = format!(
                "a value right of the header's last column ({}): give its column a header in the header row, or move or delete the value",
                sheet.letters(self.columns.len().saturating_sub(1))
            );
            let location = sheet.cell(line, position, "");
            problems.push(problem(location, "", value.into_owned(), message));
        } else if record.len() != self.columns.len() {
            let message = format!(
                "the row has {} cell{} but the header has {} columns: check for a missing or extra {}, or an unclosed quote",
                record.len(),
                if record.len() == 1 { "" } else { "s" },
                self.columns.len(),
                describe_delimiter(self.delimiter)
            );
            let location = format!("{}:{line}", self.origin);
            problems.push(problem(location, "", String::new(), message));
        }
        let mut id = String::new();
        let mut submitted = None;
        let mut split = crate::profile::survey_export::SplitAnswers::default();
        let mut repeats: Vec<(&str, &str, &str, bool)> = Vec::new();
        let mut cells: Vec<(&str, String)> = Vec::with_capacity(self.columns.len());
        for (position, bytes) in record.iter().enumerate() {
            let Some(column) = self.columns.get(position) else {
                break;
            };
            if matches!(column, Column::Ignored) {
                continue;
            }
            let name = self.names.get(position).map_or("", String::as_str);
            let heading = self.headings.get(position).map_or("", String::as_str);
            if bytes.len() > crate::io::limits::CELL_BYTES.count() {
                // In a CSV such a cell is almost always a quote left open; a workbook's cells
                // have no quotes, so there it is text pasted in.
                let why = match self.sheet {
                    Some(_) => "shorten its text, or keep the long text in a document and give the document's name",
                    None => "a cell this long is usually an unclosed quote",
                };
                let message = format!(
                    "the cell is {} bytes long; {}: {why}",
                    bytes.len(),
                    crate::io::limits::CELL_BYTES.explain()
                );
                problems.push(problem(at(name), name, String::new(), message));
                continue;
            }
            let Some(text) = decode(bytes, self.encoding) else {
                let value = String::from_utf8_lossy(bytes).into_owned();
                problems.push(problem(at(name), name, value, not_utf8_message(bytes)));
                continue;
            };
            let export_problem =
                |message: String, value: &str| problem(at(name), name, value.to_string(), message);
            match column {
                Column::Id => id = crate::profile::trim_cell(&text).to_string(),
                Column::Field(field) => cells.push((field.as_str(), text)),
                Column::Ignored => {}
                Column::SubmissionDate => {
                    match crate::profile::survey_export::submission_date(&text) {
                        Ok(date) => submitted = Some(date),
                        Err(message) => problems.push(export_problem(message, &text)),
                    }
                }
                Column::Choice {
                    field,
                    value,
                    listed,
                } => {
                    match crate::profile::survey_export::choice_marked(&text) {
                        // A choice the questionnaire does not list, chosen: said of its
                        // column, which the file has (the question's own column it lacks).
                        Ok(Some(true)) if !listed => {
                            let allowed = (self.questionnaire.question(field))
                                .map_or(String::new(), |question| question.values.join(", "));
                            problems.push(export_problem(
                                format!("`{heading}` is chosen, but `{value}` is not a value of `{field}`: allowed values are {allowed}; add it to the questionnaire, or export the form this questionnaire made"),
                                &text,
                            ));
                        }
                        Ok(marked) => split.add(field, value, marked),
                        Err(message) => problems
                            .push(export_problem(format!("`{heading}` is {message}"), &text)),
                    }
                }
                Column::Repeat { field, value } => {
                    if let Ok(Some(marked)) = crate::profile::survey_export::choice_marked(&text) {
                        repeats.push((field.as_str(), value.as_str(), heading, marked));
                    }
                }
            }
        }
        cells.extend(split.cells());
        // Locations are built only for the cells that have a problem.
        let (profile, mut cell_problems) = Profile::from_cells(
            self.questionnaire,
            cells.iter().map(|(f, v)| (*f, v.as_str())),
            |field| at(field),
        );
        for problem in &mut cell_problems {
            if problem.value.contains(['\n', '\r']) {
                problem.message.push_str(
                    " (the cell runs over several lines: check for a quote `\"` left open)",
                );
            }
        }
        // A split column that says otherwise than its question's own answer (read as every
        // cell is): the export was edited in one place only, and which to believe is the
        // planner's call. An own cell that could not be read has its problem already.
        for (field, value, heading, marked) in repeats {
            let unreadable = cell_problems.iter().any(|problem| problem.field == field);
            let chosen = match profile.get(field) {
                Some(crate::profile::Value::Multi(chosen)) => chosen.iter().any(|c| c == value),
                _ => false,
            };
            if unreadable || chosen == marked {
                continue;
            }
            let own = cells
                .iter()
                .find(|(f, _)| *f == field)
                .map_or("", |(_, text)| text.trim());
            let says = match own.is_empty() {
                true => format!("`{field}` is empty"),
                false => format!("`{field}` is `{}`", crate::io::quote::printable(own, 40)),
            };
            let message = format!(
                "`{heading}` is {} but {says}: the export was edited in one place only; make the two agree (the 0/1 columns are read only when the question's own column is missing)",
                u8::from(marked)
            );
            problems.push(problem(at(field), field, own.to_string(), message));
        }
        problems.append(&mut cell_problems);
        if crate::profile::is_totals_row(&id) {
            let message = format!(
                "`id` is `{}`: {} (a country's row needs another id)",
                crate::io::quote::shorten(&id),
                crate::profile::TOTALS_ROW_FIX
            );
            problems.push(problem(
                at(crate::profile::ID),
                crate::profile::ID,
                id.clone(),
                message,
            ));
        }
        let id_missing = id.is_empty() && self.columns.iter().any(|c| matches!(c, Column::Id));
        if id.is_empty() {
            id = raw.row.to_string();
        }
        CsvRow {
            location: self.row_location(line),
            country_location: at(crate::profile::COUNTRY),
            row: raw.row,
            line,
            id,
            id_missing,
            profile,
            problems,
            submitted,
            rows_inside: record.rows_inside(),
        }
    }

    /// When `record` holds values only in columns that are not read (and as many cells as the
    /// header: a longer row is refused): the first such column. A split multi-choice column
    /// is read; a submission time alone is not an answer.
    fn unread_values_only(&self, record: &Record) -> Option<usize> {
        if record.len() != self.columns.len() {
            return None;
        }
        let mut unread = None;
        for (position, (column, cell)) in self.columns.iter().zip(record.iter()).enumerate() {
            if blank_cell(cell) {
                continue;
            }
            match column {
                Column::Ignored | Column::SubmissionDate => {
                    unread.get_or_insert(position);
                }
                Column::Id | Column::Field(_) | Column::Choice { .. } | Column::Repeat { .. } => {
                    return None;
                }
            }
        }
        unread
    }

    /// Where the row at `line` is: `file:line`, or in a workbook `file Sheet1 row 7`.
    fn row_place(&self, line: u64) -> String {
        match &self.sheet {
            Some(sheet) => format!("{} row {line}", sheet.origin()),
            None => format!("{}:{line}", self.origin),
        }
    }

    /// Where the cell at `position` of the row at `line` is, as [`RowParser::cell_location`]
    /// says it.
    fn cell_place(&self, line: u64, position: usize) -> String {
        let heading = self.headings.get(position).map_or("", String::as_str);
        self.place(line, position, heading)
    }

    /// `file:line: column `heading``, or in a workbook `file Sheet1!D7 (column heading)`.
    fn place(&self, line: u64, position: usize, heading: &str) -> String {
        match &self.sheet {
            Some(sheet) => sheet.cell(line, position, heading),
            None => format!("{}:{line}: column `{heading}`", self.origin),
        }
    }

    /// Where column `name`'s cell of the row at `line` is: `file:line: column `name``, or in a
    /// workbook `file Sheet1!D7 (column name)`.
    pub fn cell_location(&self, line: u64, name: &str) -> String {
        // A field's column may be headed otherwise (`IP Strategy` for `ip_strategy`); a
        // multi-choice question of a survey export may have only its split columns
        // (`regional_system/aripo`), the first of which is named.
        let position = (self.columns.iter())
            .position(|column| matches!(column, Column::Field(field) if field == name))
            .or_else(|| self.names.iter().position(|n| n == name))
            .or_else(|| {
                (self.columns.iter()).position(
                    |column| matches!(column, Column::Choice { field, .. } if field == name),
                )
            });
        let heading = (position.and_then(|p| self.headings.get(p)))
            .filter(|heading| !heading.is_empty())
            .map_or(name, String::as_str);
        match (position, &self.sheet) {
            (Some(position), _) => self.place(line, position, heading),
            // No column holds the field (an answer prefilled from the country): its row, not
            // a cell past the header's end.
            (None, Some(sheet)) => format!("{} (`{name}`)", sheet.row(line)),
            (None, None) => format!("{}:{line}: `{name}`", self.origin),
        }
    }

    /// Where the row at `line` is: `file:line`, or in a workbook `file Sheet1 row 7`.
    pub(crate) fn row_location(&self, line: u64) -> String {
        match &self.sheet {
            Some(sheet) => sheet.row(line),
            None => format!("{}:{line}", self.origin),
        }
    }

    /// The problem a workbook's error cell (`#N/A`) makes, unless its column is ignored.
    fn sheet_error(
        &self,
        line: u64,
        error: &crate::profile::spreadsheet::CellError,
    ) -> Option<Problem> {
        let sheet = self.sheet.as_ref()?;
        let name = match self.columns.get(error.cell) {
            Some(Column::Ignored) => return None,
            Some(_) => self.names.get(error.cell).map_or("", String::as_str),
            None => "",
        };
        // The message is the cell's (a spreadsheet error, or a formula with no saved value).
        let message = error.message();
        let heading = self.headings.get(error.cell).map_or(name, String::as_str);
        let location = sheet.cell(line, error.cell, heading);
        Some(problem(location, name, error.error.clone(), message))
    }
}

/// Whether the file named `origin` is YAML by its name.
fn is_answers_file(origin: &str) -> bool {
    crate::io::input::has_extension(Path::new(origin), &["yaml", "yml"])
}

/// What to say when an answers file is given as a profiles table.
fn answers_given(origin: &str) -> String {
    let path = crate::io::input::typed(origin);
    format!("this looks like an answers file (YAML), not a profiles table: use `ipneeds score {path}` (`ipneeds batch` reads a CSV or workbook with a header row of field ids)")
}

/// A problem at `location` with the cell of column `field` (empty: the whole row) holding `value`.
pub(crate) fn problem(location: String, field: &str, value: String, message: String) -> Problem {
    Problem {
        location,
        field: field.to_string(),
        value,
        message,
    }
}

/// A CSV's encoding, its delimiter, and whether its first line is Excel's delimiter line
/// (`sep=;`, to be passed over), from its first bytes (a byte-order mark is skipped); refuses
/// a workbook's bytes, UTF-16 and binary files.
fn sniff(
    records: &mut RecordReader,
    origin: &str,
    delimiter: Option<u8>,
    file: Option<&Path>,
) -> Result<(Encoding, u8, bool)> {
    let cannot_read = |e: std::io::Error| Error::io("cannot read", Path::new(origin), &e);
    let sample = records.peek(SNIFF_BYTES).map_err(cannot_read)?;
    crate::profile::spreadsheet::refuse_workbook_bytes(sample, origin)?;
    refuse_utf16(sample, origin)?;
    let bom = sample.starts_with(b"\xEF\xBB\xBF");
    // A sample of plain ASCII says nothing of the encoding: a file's first accented letter,
    // further on, decides it (standard input cannot be read ahead).
    let later = match (file, sample.len() == SNIFF_BYTES && sample.is_ascii()) {
        (Some(path), true) => first_non_ascii(path).map_err(cannot_read)?,
        _ => None,
    };
    let encoding = match &later {
        Some((line, window)) => detect_encoding(window, origin, *line)?,
        None => detect_encoding(sample, origin, 1)?,
    };
    let body = if bom { &sample[3..] } else { sample };
    let hinted = delimiter_line(body);
    let delimiter = (delimiter.or(hinted)).unwrap_or_else(|| detect_delimiter(body));
    if bom {
        records.skip(3);
    }
    records.set_delimiter(delimiter);
    Ok((encoding, delimiter, hinted.is_some()))
}

/// The delimiter a first line `sep=;` names (Excel writes and reads it, and shows no such
/// line), if the file starts with one.
fn delimiter_line(body: &[u8]) -> Option<u8> {
    let (prefix, rest) = body.split_at_checked(4)?;
    let (&delimiter, end) = rest.split_first()?;
    let ends = matches!(end.first(), None | Some(b'\n' | b'\r'));
    (prefix.eq_ignore_ascii_case(b"sep=") && ends && !matches!(delimiter, b'"' | b'\n' | b'\r'))
        .then_some(delimiter)
}

/// The reader's column for a survey export's column; `None` for one that is not a profile
/// field (reported as such).
fn export_column(column: &crate::profile::survey_export::ExportColumn) -> Option<Column> {
    use crate::profile::survey_export::ExportColumn;
    match column {
        ExportColumn::Field(field) => Some(Column::Field(field.clone())),
        ExportColumn::Choice {
            field,
            value,
            listed,
        } => Some(Column::Choice {
            field: field.clone(),
            value: value.clone(),
            listed: *listed,
        }),
        ExportColumn::Repeat { field, value } => Some(Column::Repeat {
            field: field.clone(),
            value: value.clone(),
        }),
        ExportColumn::RowId => Some(Column::Id),
        ExportColumn::SubmissionDate => Some(Column::SubmissionDate),
        ExportColumn::Meta => Some(Column::Ignored),
        ExportColumn::Unknown => None,
    }
}

/// What is wrong with a malformed record's quotes, and how to fix it; `cell` names the cell.
fn quote_message(malformed: &Malformed, cell: &str, encoding: Encoding) -> String {
    let opened = malformed.opened;
    let mut message = match malformed.closed {
        Some(closed) => {
            let after = String::from_utf8_lossy(&malformed.after);
            let after = match encoding {
                Encoding::Windows1252 | Encoding::MacRoman => {
                    decode(&malformed.after, encoding).unwrap_or_default()
                }
                // A character cut at the end of the bytes kept is not shown.
                Encoding::Utf8 => after.trim_end_matches('\u{FFFD}').to_string(),
            };
            format!(
                "the quote that opens {cell} (line {}, character {}) is closed on line {} by the quote at character {}, which is followed by `{}` instead of a delimiter or the end of the line: check the quotes: double each quote that is part of the text (`\"\"`), or close the cell with `\"` before the line break",
                opened.line,
                opened.character,
                closed.line,
                closed.character,
                crate::io::quote::printable(&after, 24),
            )
        }
        // The reader rejected the opening line only and read the lines after it as rows.
        None => {
            let mut message = format!(
                "the quote that opens {cell} (line {}, character {}) is never closed: the file ends inside the cell, on line {}: check for a quote `\"` left open; close the cell with `\"`, or double each quote that is part of the text (`\"\"`)",
                opened.line, opened.character, malformed.last_line
            );
            if malformed.last_line > opened.line {
                message.push_str(&format!(
                    " (the lines after line {} were read as rows of their own)",
                    opened.line
                ));
            }
            return message;
        }
    };
    if malformed.last_line > opened.line {
        message.push_str(&format!(
            " (the row runs over lines {}-{}",
            opened.line, malformed.last_line
        ));
        if malformed.rows_inside > 0 {
            message.push_str(&format!(
                " and holds what look like {}: lines {}-{} are part of this rejected row, not scored",
                whole_rows(malformed.rows_inside),
                opened.line + 1,
                malformed.last_line
            ));
        }
        message.push(')');
    }
    message
}

/// "1 whole row", "2 whole rows".
fn whole_rows(count: u32) -> String {
    format!("{count} whole row{}", if count == 1 { "" } else { "s" })
}

/// A reading error as the user's: where a row over the line limit starts, and the fix.
fn read_error(error: ReadError, origin: &str) -> Error {
    match error {
        ReadError::Io(error) => Error::io("cannot read", Path::new(origin), &error),
        ReadError::TooLong(long) => {
            let limit = crate::io::limits::LINE_BYTES.explain();
            let shown = crate::io::limits::bytes_shown(long.limit);
            let first = long.first_line;
            Error::input(
                Location::line(origin, first),
                match long.open_quote {
                    Some(quote) => format!(
                        "the row starting on line {first} is over {} long by line {}: the quote at line {}, character {} opens a cell that is still open there: check for a quote `\"` left open; {limit}",
                        shown, long.line, quote.line, quote.character
                    ),
                    None if long.line == first => format!(
                        "line {first} is over {} long: check that the file is a CSV of profiles (one row per line); {limit}",
                        shown
                    ),
                    None => format!(
                        "the row starting on line {first} is over {} long by line {}: check that the file is a CSV of profiles; {limit}",
                        shown, long.line
                    ),
                },
            )
        }
    }
}

/// Refuses UTF-16 (a spreadsheet's "Unicode text"), with or without its byte-order mark, and
/// binary files: in text that is neither, NUL bytes are rare (one in eight bytes of the first
/// kilobytes is far beyond a stray one).
fn refuse_utf16(sample: &[u8], origin: &str) -> Result<()> {
    let fix = "save it from the spreadsheet as \"CSV UTF-8\"";
    let message = match utf16_sign(sample) {
        None => return Ok(()),
        Some(Utf16Sign::ByteOrderMark) => format!(
            "the file is UTF-16 text (it starts with a UTF-16 byte-order mark), which ipneeds does not read: {fix}"
        ),
        Some(Utf16Sign::NulBytes { nul, of }) => format!(
            "the file looks like UTF-16 or binary, not CSV text ({nul} of its first {of} bytes are NUL): {fix}"
        ),
    };
    Err(Error::input(Location::File(origin.to_string()), message))
}

/// What says a file's start is UTF-16 (or binary), not 8-bit text.
pub(crate) enum Utf16Sign {
    /// It starts with a UTF-16 byte-order mark.
    ByteOrderMark,
    /// `nul` of its first `of` bytes are 0 (at least one in eight): ASCII in UTF-16 has one
    /// in two.
    NulBytes { nul: usize, of: usize },
}

/// Whether `sample`, a file's start, is UTF-16 (or binary) and by what sign.
pub(crate) fn utf16_sign(sample: &[u8]) -> Option<Utf16Sign> {
    if sample.starts_with(b"\xFF\xFE") || sample.starts_with(b"\xFE\xFF") {
        return Some(Utf16Sign::ByteOrderMark);
    }
    let start = sample.get(..4096).unwrap_or(sample);
    let nul = memchr::memchr_iter(0, start).count();
    (nul >= 2 && nul * 8 >= start.len()).then_some(Utf16Sign::NulBytes {
        nul,
        of: start.len(),
    })
}

/// UTF-8 when the sample is valid UTF-8 (a sequence cut at the sample's end is fine), or
/// when it mixes UTF-8 characters with other bytes (its cells that are not UTF-8 are then
/// rejected, each where it stands, rather than every UTF-8 cell garbled); otherwise
/// Windows-1252 or Mac Roman, whichever reads as text (see [`legacy_encoding`]), unless the
/// bytes are not text at all.
/// `first_line`: the file line `sample` starts on, for messages.
fn detect_encoding(sample: &[u8], origin: &str, first_line: u64) -> Result<Encoding> {
    match std::str::from_utf8(sample) {
        Ok(_) => return Ok(Encoding::Utf8),
        Err(error) if error.error_len().is_none() => return Ok(Encoding::Utf8),
        Err(_) => {}
    }
    if holds_utf8_characters(sample) {
        return Ok(Encoding::Utf8);
    }
    // Before Mac Roman: another code page can read as a few symbols there too.
    if let Some((offset, word)) = word_without_latin_letters(sample) {
        let line = lines_in(&sample[..offset]) + first_line;
        return Err(Error::input(
            Location::line(origin, line),
            format!(
                "the file is not UTF-8, and read as Windows-1252 (Western European) it has words with no Latin letter, such as `{word}`: it is in another code page (Cyrillic, Greek, Arabic …): export it from the spreadsheet as \"CSV UTF-8\""
            ),
        ));
    }
    if legacy_encoding(sample) == Encoding::MacRoman && !sample.contains(&0) {
        return Ok(Encoding::MacRoman);
    }
    // Bytes Windows-1252 leaves undefined, and NUL, mean neither encoding fits.
    let undefined = [0x00, 0x81, 0x8D, 0x8F, 0x90, 0x9D];
    if let Some(offset) = sample.iter().position(|b| undefined.contains(b)) {
        let line = lines_in(&sample[..offset]) + first_line;
        return Err(Error::input(
            Location::line(origin, line),
            format!(
                "the file is neither UTF-8, Windows-1252 nor Mac Roman text (byte 0x{:02X} at offset {offset}): export it from the spreadsheet as \"CSV UTF-8\"",
                sample[offset]
            ),
        ));
    }
    Ok(Encoding::Windows1252)
}

/// Windows-1252 or Mac Roman, for a sample that is not UTF-8: the one whose reading has fewer
/// characters no writer would put there. Both give every byte above 0x7F a character, but
/// Excel for Mac's "CSV (Macintosh)" read as Windows-1252 turns letters into symbols and stray
/// capitals (`C™te d'Ivoire`, `RŽpublique`, `a–o` for `año`), and a Windows file read as Mac
/// Roman does the same (`RÈpublique`, `S‹o`). A tie, as for quotes alone, is Windows-1252.
fn legacy_encoding(sample: &[u8]) -> Encoding {
    let misreadings = |encoding: &'static encoding_rs::Encoding| {
        let (text, _) = encoding.decode_without_bom_handling(sample);
        let chars: Vec<char> = text.chars().collect();
        let letter = |at: Option<&char>| at.is_some_and(|c| c.is_alphabetic());
        let lower = |at: Option<&char>| at.is_some_and(|c| c.is_lowercase());
        (chars.iter().enumerate())
            .filter(|&(at, &c)| {
                let (before, after) = (
                    at.checked_sub(1).and_then(|b| chars.get(b)),
                    chars.get(at + 1),
                );
                !c.is_ascii()
                    && (c.is_control()
                        || (!c.is_alphabetic()
                            && !"’‘“”–—…«»¿¡·ªº°\u{A0}".contains(c)
                            && (letter(before) || letter(after)))
                        || (c.is_uppercase()
                            && (lower(before) || (letter(before) && lower(after))))
                        || (c == '–' && lower(before) && lower(after)))
            })
            .count()
    };
    match misreadings(encoding_rs::MACINTOSH) < misreadings(encoding_rs::WINDOWS_1252) {
        true => Encoding::MacRoman,
        false => Encoding::Windows1252,
    }
}

/// Line ends in `bytes`.
fn lines_in(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// A whole word of five letters or more, none of them ASCII, in `sample` read as Windows-1252
/// (where it starts, and the word): Western European words mix accented letters with plain
/// ones ("Côte", "Pénurie", "bláæð"), and those of accented letters alone are short ("åäö",
/// "æøå", "ÄÖÜ"), while Cyrillic or Greek text in another code page, read so, is all accented
/// letters, word after word ("Казахстан" in Windows-1251 reads `Êàçàõñòàí`).
fn word_without_latin_letters(sample: &[u8]) -> Option<(usize, String)> {
    // The letters of Windows-1252 above 0x7F: Š Œ Ž š œ ž Ÿ, and À–ÿ but × and ÷.
    let accented = |byte: u8| {
        matches!(byte, 0x8A | 0x8C | 0x8E | 0x9A | 0x9C | 0x9E | 0x9F)
            || (byte >= 0xC0 && byte != 0xD7 && byte != 0xF7)
    };
    let mut start = 0;
    let mut length = 0;
    // Whether the current run of accented letters began a word (no letter or digit before).
    let mut whole = false;
    let mut previous = b' ';
    for (at, &byte) in sample.iter().enumerate() {
        if accented(byte) {
            if length == 0 {
                start = at;
                whole = !previous.is_ascii_alphanumeric();
            }
            length += 1;
        } else {
            if whole && length >= 5 && !byte.is_ascii_alphanumeric() {
                let word = decode(&sample[start..at], Encoding::Windows1252).unwrap_or_default();
                return Some((start, word));
            }
            length = 0;
        }
        previous = byte;
    }
    None
}

/// The line a file's first byte above ASCII is on, and the bytes from it (up to
/// [`SNIFF_BYTES`]); `None` when the whole file is ASCII. Read in blocks, apart from the rows.
fn first_non_ascii(path: &Path) -> std::io::Result<Option<(u64, Vec<u8>)>> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let mut block = vec![0u8; SNIFF_BYTES];
    let mut line = 1;
    loop {
        let read = match file.read(&mut block) {
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            read => read?,
        };
        if read == 0 {
            return Ok(None);
        }
        let Some(at) = block[..read].iter().position(|b| !b.is_ascii()) else {
            line += lines_in(&block[..read]);
            continue;
        };
        line += lines_in(&block[..at]);
        let mut window = block[at..read].to_vec();
        (&mut file)
            .take((SNIFF_BYTES - window.len()) as u64)
            .read_to_end(&mut window)?;
        return Ok(Some((line, window)));
    }
}

/// Whether a column's heading is the first of ipneeds's own results (batch CSV's
/// `rank1_program`, the results workbook's `rank 1 program`): a table of results, given where a
/// table of profiles or grades belongs.
pub(crate) fn is_results_heading(heading: &str) -> bool {
    heading
        .replace([' ', '_'], "")
        .eq_ignore_ascii_case("rank1program")
}

/// The text of a CSV read whole (`eval`'s graded cases), in the encodings a profiles file is
/// read in: UTF-8 (a byte-order mark passed over) or Windows-1252; UTF-16, and a UTF-8 file
/// with a line in another encoding, refused with the line and the fix.
pub(crate) fn csv_text(bytes: &[u8], origin: &str) -> Result<String> {
    refuse_utf16(bytes, origin)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let encoding = detect_encoding(body, origin, 1)?;
    if encoding != Encoding::Utf8 {
        return decode(body, encoding).ok_or_else(|| {
            Error::input(
                Location::File(origin.to_string()),
                "the file is not text: save it as \"CSV UTF-8\"",
            )
        });
    }
    std::str::from_utf8(body).map(str::to_string).map_err(|error| {
        let offset = error.valid_up_to();
        let line = body.iter().take(offset).filter(|&&b| b == b'\n').count() + 1;
        Error::input(
            Location::line(origin, line as u64),
            format!(
                "the line holds a byte that is not UTF-8 (0x{:02X}), while the file is UTF-8: save the file as \"CSV UTF-8\", or retype the line",
                body.get(offset).copied().unwrap_or(0)
            ),
        )
    })
}

/// The rows of a small table that is not profiles (`eval`'s grades), read as the profiles are
/// (encoding, Excel's `sep=` line, the delimiter), each with the line it starts on; the header
/// first. Empty lines are passed over; a row with bad quotes is refused where it starts.
pub(crate) fn table_rows(bytes: &[u8], origin: &str) -> Result<Vec<(u64, Vec<String>)>> {
    let text = csv_text(bytes, origin)?;
    let hinted = delimiter_line(text.as_bytes());
    let delimiter = hinted.unwrap_or_else(|| detect_delimiter(text.as_bytes()));
    let mut records = RecordReader::new(Box::new(std::io::Cursor::new(text.into_bytes())));
    records.set_delimiter(delimiter);
    let mut rows = Vec::new();
    let mut record = Record::default();
    while let Some(line) = records
        .read(&mut record)
        .map_err(|error| read_error(error, origin))?
    {
        if let Some(malformed) = record.malformed() {
            let cell = format!("column {}", malformed.cell + 1);
            let why = quote_message(malformed, &cell, Encoding::Utf8);
            return Err(Error::input(Location::line(origin, line), why));
        }
        let cells = record
            .iter()
            .map(|cell| String::from_utf8_lossy(cell).into_owned());
        rows.push((line, cells.collect()));
    }
    // Excel's `sep=;` line is no row.
    if hinted.is_some() && !rows.is_empty() {
        rows.remove(0);
    }
    Ok(rows)
}

/// Whether `bytes` hold a valid UTF-8 character of two bytes or more.
fn holds_utf8_characters(bytes: &[u8]) -> bool {
    bytes.utf8_chunks().any(|chunk| !chunk.valid().is_ascii())
}

/// Why a cell of a UTF-8 file is not UTF-8, and the fix: its first byte that is not, and what
/// that byte is in Windows-1252 (the usual other encoding of a pasted cell).
fn not_utf8_message(bytes: &[u8]) -> String {
    let valid = match std::str::from_utf8(bytes) {
        Err(error) => error.valid_up_to(),
        Ok(_) => bytes.len(),
    };
    let before = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
    let at = before.chars().count() + 1;
    let byte = bytes.get(valid).copied().unwrap_or_default();
    let legacy = decode(&[byte], Encoding::Windows1252).unwrap_or_default();
    format!(
        "the cell is not UTF-8 text: its character {at} is the byte 0x{byte:02X} (`{}` in Windows-1252), while the file is UTF-8: save the file as CSV UTF-8, or retype the cell",
        crate::io::quote::printable(&legacy, 4)
    )
}

/// Decodes one cell; `None` when a UTF-8 file holds invalid bytes.
pub(crate) fn decode(bytes: &[u8], encoding: Encoding) -> Option<String> {
    match encoding.single_byte() {
        None => std::str::from_utf8(bytes).ok().map(str::to_string),
        Some(decoder) => Some(decoder.decode_without_bom_handling(bytes).0.into_owned()),
    }
}

/// The delimiter among `,` `;` tab that the header line uses most (outside quotes).
fn detect_delimiter(sample: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in sample {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    // The first of the most used, as `max_by_key` keeps the last: reversed.
    let most = (0..3).rev().max_by_key(|&i| counts[i]).unwrap_or(0);
    [b',', b';', b'\t'][most]
}

/// The delimiter in words.
pub fn describe_delimiter(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".to_string(),
        other => format!("`{}`", other as char),
    }
}

/// A cell that holds nothing a person sees: white space (a no-break space too) and invisible
/// marks only, as [`crate::profile::trim_cell`] trims them. A row of such cells (typed spaces,
/// a pasted zero-width space) was scored as a country with no answers, and counted.
fn blank_cell(cell: &[u8]) -> bool {
    cell.iter().all(u8::is_ascii_whitespace)
        || (!cell.is_ascii()
            && std::str::from_utf8(cell)
                .is_ok_and(|text| crate::profile::trim_cell(text).is_empty()))
}

#[cfg(test)]
mod tests;
