//! Reading country profiles from CSV, as spreadsheets really write it: UTF-8 with or without
//! BOM or Windows-1252, `,` `;` or tab delimited, CRLF, quoted cells with delimiters and line
//! breaks, blank lines. Streams: one row in memory at a time.

use crate::csv_records::{Record, RecordReader};
use crate::error::{Error, Result};
use crate::profile::{Problem, Profile};
use crate::questionnaire::Questionnaire;
use std::io::Read;
use std::path::Path;

/// How the bytes of the file are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// A spreadsheet's plain "CSV" export on Windows.
    Windows1252,
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Id,
    Field(String),
    Ignored,
}

/// One data row: its profile (before prefill) and what was wrong with it.
#[derive(Debug, Clone)]
pub struct CsvRow {
    /// `file:line`, for messages.
    pub location: String,
    /// Data row number, from 1 (the header is not counted).
    pub row: u64,
    /// The file line the row starts on, from 1.
    pub line: u64,
    /// The `id` cell, or the row number when there is no id column or it is empty.
    pub id: String,
    pub profile: Profile,
    pub problems: Vec<Problem>,
}

/// A CSV of profiles, read row by row.
pub struct ProfileReader<'q> {
    records: RecordReader,
    parser: RowParser<'q>,
    row: u64,
    /// Columns that are not fields, with a suggestion: report once.
    pub unknown_columns: Vec<String>,
}

/// A data row as read, not yet parsed: parsing can then run on any thread.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    /// Data row number, from 1.
    pub row: u64,
    /// The file line the row starts on, from 1.
    pub line: u64,
    pub record: Record,
}

/// Turns raw rows into profiles; shareable across threads.
#[derive(Debug, Clone)]
pub struct RowParser<'q> {
    columns: Vec<Column>,
    names: Vec<String>,
    encoding: Encoding,
    delimiter: u8,
    origin: String,
    questionnaire: &'q Questionnaire,
}

/// A header cell longer than this is not a field name (usually a broken quote).
const MAX_HEADER_BYTES: usize = 200;

/// Bytes sniffed for encoding and delimiter.
const SNIFF_BYTES: usize = 1 << 20;

impl<'q> ProfileReader<'q> {
    /// Opens `path` (`-` for standard input).
    pub fn open(
        path: &Path,
        delimiter: Option<u8>,
        questionnaire: &'q Questionnaire,
    ) -> Result<ProfileReader<'q>> {
        let origin = if path == Path::new("-") {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let source: Box<dyn Read> = if path == Path::new("-") {
            Box::new(std::io::stdin())
        } else {
            if path.is_dir() {
                return Err(Error::invalid(format!(
                    "{origin}: is a directory: give a CSV file"
                )));
            }
            Box::new(std::fs::File::open(path).map_err(|e| Error::io("cannot read", path, &e))?)
        };
        ProfileReader::from_reader(source, &origin, delimiter, questionnaire)
    }

    /// Reads profiles from any reader; `origin` names it in messages.
    pub fn from_reader(
        source: Box<dyn Read>,
        origin: &str,
        delimiter: Option<u8>,
        questionnaire: &'q Questionnaire,
    ) -> Result<ProfileReader<'q>> {
        let cannot_read = |e: std::io::Error| Error::io("cannot read", Path::new(origin), &e);
        let mut records = RecordReader::new(source);
        let sample = records.peek(SNIFF_BYTES).map_err(cannot_read)?;
        let bom = sample.starts_with(b"\xEF\xBB\xBF");
        let encoding = detect_encoding(sample, origin)?;
        let body = if bom { &sample[3..] } else { sample };
        let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(body));
        if bom {
            records.skip(3);
        }
        records.set_delimiter(delimiter);
        let mut header = Record::default();
        let has_header = records.read(&mut header).map_err(cannot_read)?.is_some();
        if !has_header
            || header
                .iter()
                .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
        {
            return Err(Error::invalid(format!(
                "{origin}: the file is empty: expected a header row of field ids (`ipneeds template` writes one)"
            )));
        }
        if let Some((position, cell)) = header
            .iter()
            .enumerate()
            .find(|(_, cell)| cell.len() > MAX_HEADER_BYTES)
        {
            return Err(Error::invalid(format!(
                "{origin}:1: the name of column {} is {} bytes long; header names are field ids such as `ip_strategy`: check that the first row is the header and that no quote is left open",
                position + 1,
                cell.len()
            )));
        }
        let names: Vec<String> = header
            .iter()
            .map(|cell| {
                decode(cell, encoding)
                    .unwrap_or_default()
                    .trim()
                    .to_lowercase()
            })
            .collect();
        let mut columns = Vec::new();
        let mut unknown_columns = Vec::new();
        for (position, name) in names.iter().enumerate() {
            if let Some(first) = names[..position]
                .iter()
                .position(|n| n == name && !n.is_empty())
            {
                return Err(Error::invalid(format!(
                    "{origin}:1: column `{name}` appears twice (columns {} and {}): keep one",
                    first + 1,
                    position + 1
                )));
            }
            let column = if name == "id" {
                Column::Id
            } else if questionnaire.question(name).is_some() {
                Column::Field(name.clone())
            } else {
                let hint = crate::suggest::did_you_mean(name, questionnaire.ids());
                let shown = if name.is_empty() {
                    format!("number {}", position + 1)
                } else {
                    format!("`{name}`")
                };
                unknown_columns.push(format!(
                    "{origin}:1: column {shown} is not a profile field{hint}; it is ignored"
                ));
                Column::Ignored
            };
            columns.push(column);
        }
        if !columns.iter().any(|c| matches!(c, Column::Field(_))) {
            return Err(Error::invalid(format!(
                "{origin}:1: no column is a profile field (found: {}): the header needs field ids such as country, ldc_status, ip_strategy (`ipneeds template` writes one)",
                names.join(", ")
            )));
        }
        Ok(ProfileReader {
            records,
            parser: RowParser {
                columns,
                names,
                encoding,
                delimiter,
                origin: origin.to_string(),
                questionnaire,
            },
            row: 0,
            unknown_columns,
        })
    }

    /// Bytes read so far (for progress).
    pub fn byte_position(&self) -> u64 {
        self.records.position()
    }

    /// The detected encoding.
    pub fn encoding(&self) -> Encoding {
        self.parser.encoding
    }

    /// The next data row, skipping blank lines; `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<CsvRow>> {
        let mut raw = RawRow::default();
        match self.read_raw(&mut raw) {
            Ok(true) => Some(Ok(self.parser.parse(&raw))),
            Ok(false) => None,
            Err(error) => Some(Err(error)),
        }
    }

    /// The parser for rows read with [`ProfileReader::read_raw`].
    pub fn parser(&self) -> &RowParser<'q> {
        &self.parser
    }

    /// Reads the next data row into `raw` (reusing its memory), skipping blank lines; `false`
    /// at the end.
    pub fn read_raw(&mut self, raw: &mut RawRow) -> Result<bool> {
        loop {
            let line = match self.records.read(&mut raw.record) {
                Ok(Some(line)) => line,
                Ok(None) => return Ok(false),
                Err(error) => {
                    let origin = Path::new(&self.parser.origin);
                    return Err(Error::io("cannot read", origin, &error));
                }
            };
            let blank = raw
                .record
                .iter()
                .all(|cell| cell.iter().all(u8::is_ascii_whitespace));
            if blank {
                continue;
            }
            self.row += 1;
            raw.row = self.row;
            raw.line = line;
            return Ok(true);
        }
    }

    /// The header's names, lower-cased and trimmed, one per column.
    pub fn header(&self) -> &[String] {
        &self.parser.names
    }
}

impl RowParser<'_> {
    /// Parses one raw row into a profile and its problems.
    pub fn parse(&self, raw: &RawRow) -> CsvRow {
        let line = raw.line;
        let record = &raw.record;
        let mut problems = Vec::new();
        let at = |column: &str| format!("{}:{line}: column `{column}`", self.origin);
        if record.len() != self.columns.len() {
            problems.push(Problem {
                location: format!("{}:{line}", self.origin),
                field: String::new(),
                value: String::new(),
                message: format!(
                    "the row has {} cells but the header has {} columns: check for a missing or extra {}, or an unclosed quote",
                    record.len(),
                    self.columns.len(),
                    describe_delimiter(self.delimiter)
                ),
            });
        }
        let mut id = String::new();
        let mut cells: Vec<(&str, String)> = Vec::with_capacity(self.columns.len());
        for (position, bytes) in record.iter().enumerate() {
            let Some(column) = self.columns.get(position) else {
                break;
            };
            if matches!(column, Column::Ignored) {
                continue;
            }
            let name = self.names.get(position).map_or("", String::as_str);
            if bytes.len() > crate::limits::CELL_BYTES.count() {
                problems.push(Problem {
                    location: at(name),
                    field: name.to_string(),
                    value: String::new(),
                    message: format!(
                        "the cell is {} bytes long; {}: a cell this long is usually an unclosed quote",
                        bytes.len(),
                        crate::limits::CELL_BYTES.explain()
                    ),
                });
                continue;
            }
            let Some(text) = decode(bytes, self.encoding) else {
                problems.push(Problem {
                    location: at(name),
                    field: name.to_string(),
                    value: String::from_utf8_lossy(bytes).into_owned(),
                    message: "the cell is not UTF-8 text: save the file as CSV UTF-8".to_string(),
                });
                continue;
            };
            match column {
                Column::Id => id = text.trim().to_string(),
                Column::Field(field) => cells.push((field.as_str(), text)),
                Column::Ignored => {}
            }
        }
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
        problems.append(&mut cell_problems);
        if id.is_empty() {
            id = raw.row.to_string();
        }
        CsvRow {
            location: format!("{}:{line}", self.origin),
            row: raw.row,
            line,
            id,
            profile,
            problems,
        }
    }
}

/// UTF-8 when the sample is valid UTF-8 (a sequence cut at the sample's end is fine);
/// otherwise Windows-1252, unless the bytes are not text at all.
fn detect_encoding(sample: &[u8], origin: &str) -> Result<Encoding> {
    match std::str::from_utf8(sample) {
        Ok(_) => return Ok(Encoding::Utf8),
        Err(error) if error.error_len().is_none() => return Ok(Encoding::Utf8),
        Err(_) => {}
    }
    // Bytes Windows-1252 leaves undefined, and NUL, mean neither encoding fits.
    let undefined = [0x00, 0x81, 0x8D, 0x8F, 0x90, 0x9D];
    if let Some(offset) = sample.iter().position(|b| undefined.contains(b)) {
        let line = sample[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Error::invalid(format!(
            "{origin}:{line}: the file is neither UTF-8 nor Windows-1252 text (byte 0x{:02X} at offset {offset}): export it from the spreadsheet as \"CSV UTF-8\"",
            sample[offset]
        )));
    }
    Ok(Encoding::Windows1252)
}

/// Decodes one cell; `None` when a UTF-8 file holds invalid bytes.
fn decode(bytes: &[u8], encoding: Encoding) -> Option<String> {
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_string),
        Encoding::Windows1252 => Some(
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        ),
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
    let candidates = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// The delimiter in words.
pub fn describe_delimiter(delimiter: u8) -> String {
    match delimiter {
        b'\t' => "tab".to_string(),
        other => format!("`{}`", other as char),
    }
}
