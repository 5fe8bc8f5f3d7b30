//! CSV records as the `csv` crate reads well-formed files (quotes, CRLF or lone CR, blank lines
//! skipped), with the line each starts on, and a short way for the lines that need no parsing.
//!
//! Most lines of a profiles file hold no quote and no carriage return: such a line is one
//! record whose cells lie between the delimiters, found 64 bytes at a time. Any other line
//! goes to a small state machine, from the record's first byte to its end. Unlike the `csv`
//! crate, which glues whatever follows a closing quote onto the cell and lets an unclosed quote
//! run to the end of the file, it reports both: the record is then malformed (see
//! [`Malformed`]) and reading resumes on the line after the one where the cell closed. A quote
//! inside an unquoted cell is text, as for the crate and spreadsheets.
//!
//! A record longer than the line limit (`IPNEEDS_MAX_LINE_BYTES`) stops the reader: memory stays
//! bounded whatever the source (an endless line, a quote left open in a huge file).

use std::io::Read;

/// Bytes asked of the source at a time, at most (the buffer grows for longer records).
const READ_BYTES: usize = 256 * 1024;

/// Bytes asked of the source the first time.
const FIRST_READ_BYTES: usize = 8 * 1024;

/// Bytes after a closing quote kept to show in the message.
const SHOWN_AFTER_QUOTE: usize = 24;

/// A place in the source: line, character on that line (from 1, counting UTF-8 characters)
/// and byte from the source's first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: u64,
    pub character: u64,
    pub byte: u64,
}

/// A record whose quotes do not make sense: a quoted cell closed and followed by text, or never
/// closed. Its cells are not kept (none can be trusted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// The cell's place in the record, from 0.
    pub cell: usize,
    /// The quote that opens the cell.
    pub opened: Position,
    /// The quote that closes it, followed by text; `None` when the source ends inside the cell.
    pub closed: Option<Position>,
    /// The first bytes after the closing quote, on its line.
    pub after: Vec<u8>,
    /// The record's last line.
    pub last_line: u64,
    /// Lines inside the record's quoted cells that look like whole rows (see [`RecordReader::set_columns`]).
    pub rows_inside: u32,
}

/// Why reading stopped.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// A record over the line limit.
    TooLong(Box<TooLong>),
}

/// A record over the line limit: where it starts, the line reached, and the quote of a cell
/// still open there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLong {
    pub first_line: u64,
    pub line: u64,
    pub limit: u64,
    pub open_quote: Option<Position>,
}

impl From<std::io::Error> for ReadError {
    fn from(error: std::io::Error) -> Self {
        ReadError::Io(error)
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "{error}"),
            ReadError::TooLong(long) => write!(
                f,
                "the row starting on line {} is over {} bytes long (line {} reached)",
                long.first_line, long.limit, long.line
            ),
        }
    }
}

/// One record: its cells' bytes and each cell's place in them.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The cells' bytes (for a line read the short way, the line, delimiters included).
    bytes: Vec<u8>,
    /// Per cell: start and end in `bytes`.
    bounds: Vec<(u32, u32)>,
    /// What is wrong with the record's quotes (it then has no cells).
    malformed: Option<Box<Malformed>>,
    /// Line breaks inside the record (in its quoted cells).
    inner_lines: u64,
    /// Lines inside its quoted cells that look like whole rows.
    rows_inside: u32,
}

impl Record {
    /// Room for a record of `bytes` bytes and `cells` cells.
    pub fn with_capacity(bytes: usize, cells: usize) -> Record {
        Record {
            bytes: Vec::with_capacity(bytes),
            bounds: Vec::with_capacity(cells),
            ..Record::default()
        }
    }

    /// The number of cells.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// Cell `i`'s bytes.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let &(start, end) = self.bounds.get(i)?;
        self.bytes.get(start as usize..end as usize)
    }

    /// The cells in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + '_ {
        (self.bounds.iter())
            .map(|&(start, end)| self.bytes.get(start as usize..end as usize).unwrap_or(&[]))
    }

    /// Per cell: its start and end in [`Self::as_slice`].
    pub fn bounds(&self) -> &[(u32, u32)] {
        &self.bounds
    }

    /// Every byte the cells are slices of (and, between them, perhaps their delimiters).
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    /// What is wrong with the record's quotes, if anything (it then has no cells).
    pub fn malformed(&self) -> Option<&Malformed> {
        self.malformed.as_deref()
    }

    /// Line breaks inside the record (in its quoted cells).
    pub fn inner_lines(&self) -> u64 {
        self.inner_lines
    }

    /// Lines inside the record's quoted cells that look like whole rows.
    pub fn rows_inside(&self) -> u32 {
        self.rows_inside
    }

    /// Appends a cell: for records that come from elsewhere than CSV text (a workbook's rows).
    pub fn push_cell(&mut self, cell: &[u8]) {
        let start = self.bytes.len();
        self.bytes.extend_from_slice(cell);
        self.bounds.push((offset(start), offset(self.bytes.len())));
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.bounds.clear();
        self.malformed = None;
        self.inner_lines = 0;
        self.rows_inside = 0;
    }

    /// Ends the cell that starts at `start` in `bytes` where the bytes end now.
    fn end_cell(&mut self, start: &mut usize) {
        self.bounds.push((offset(*start), offset(self.bytes.len())));
        *start = self.bytes.len();
    }
}

/// Where the state machine is in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At a cell's first byte.
    StartCell,
    /// In a cell that does not start with a quote (a quote in it is text).
    Unquoted,
    /// In a quoted cell.
    Quoted,
    /// Just after a quote in a quoted cell: a second quote is a quote, a delimiter or a line
    /// break ends the cell, anything else makes the record malformed.
    AfterQuote,
    /// Passing over the rest of a malformed record's line.
    Skip,
}

/// A CSV source read record by record.
pub struct RecordReader {
    source: Box<dyn Read>,
    delimiter: u8,
    /// Bytes read and not yet taken: `buffer[start..end]`.
    buffer: Vec<u8>,
    start: usize,
    end: usize,
    /// The source has no more bytes.
    exhausted: bool,
    /// Bytes taken before `buffer[start]`, from the source's first byte.
    taken: u64,
    /// The line `buffer[start]` is on, from 1.
    line: u64,
    /// A record was asked for (a byte-order mark is passed over before the first, as the
    /// `csv` crate does).
    started: bool,
    /// Bytes in a record, line breaks aside, at most (under 4 GiB: places are `u32`).
    line_limit: usize,
    /// The header's cells (for lines in quoted cells that look like rows); 0 when unknown.
    columns: usize,
}

impl RecordReader {
    /// A reader of `source`; reads nothing yet.
    pub fn new(source: Box<dyn Read>) -> RecordReader {
        let mut reader = RecordReader {
            source,
            delimiter: b',',
            started: false,
            buffer: Vec::new(),
            start: 0,
            end: 0,
            exhausted: false,
            taken: 0,
            line: 1,
            line_limit: 0,
            columns: 0,
        };
        reader.set_line_limit(crate::io::limits::LINE_BYTES.get());
        reader
    }

    /// A record over `bytes` bytes (line breaks aside) stops the reader with
    /// [`ReadError::TooLong`] (the default is `IPNEEDS_MAX_LINE_BYTES`).
    pub fn set_line_limit(&mut self, bytes: u64) {
        self.line_limit = usize::try_from(bytes.min(u64::from(u32::MAX))).unwrap_or(usize::MAX);
    }

    /// The header has `columns` cells: a line inside a quoted cell with at least `columns - 1`
    /// delimiters looks like a whole row (a quote left open swallowing rows).
    pub fn set_columns(&mut self, columns: usize) {
        self.columns = columns;
    }

    /// The bytes ahead, reading until there are `bytes` of them or the source ends (to sniff
    /// a file's encoding and delimiter before reading records).
    pub fn peek(&mut self, bytes: usize) -> std::io::Result<&[u8]> {
        while self.end - self.start < bytes && !self.exhausted {
            self.fill()?;
        }
        Ok(self.buffer.get(self.start..self.end).unwrap_or(&[]))
    }

    /// Passes over `bytes` bytes without reading them as CSV (a byte-order mark); no more
    /// than [`Self::peek`] showed.
    pub fn skip(&mut self, bytes: usize) {
        let bytes = bytes.min(self.end - self.start);
        self.start += bytes;
        self.taken += bytes as u64;
    }

    /// Cells are separated by `delimiter`.
    pub fn set_delimiter(&mut self, delimiter: u8) {
        self.delimiter = delimiter;
    }

    /// Bytes taken so far, from the source's first byte.
    pub fn position(&self) -> u64 {
        self.taken
    }

    /// Reads the next record into `record` (reusing its memory); the line it starts on, or
    /// `None` at the end. Empty lines are passed over, as the `csv` crate does. A record with
    /// bad quotes comes back [`Record::malformed`], and the next one starts after it.
    pub fn read(&mut self, record: &mut Record) -> Result<Option<u64>, ReadError> {
        record.clear();
        if !self.started {
            self.started = true;
            if self.peek(3)?.starts_with(b"\xEF\xBB\xBF") {
                self.skip(3);
            }
        }
        loop {
            if self.start == self.end && !self.fill()? {
                return Ok(None);
            }
            let ahead = self.buffer.get(self.start..self.end).unwrap_or(&[]);
            match ahead.first() {
                Some(b'\n') => {
                    self.take(1);
                    self.line += 1;
                    continue;
                }
                Some(b'\r') => {
                    // CRLF is one line break; a lone CR (old Mac files) is one too.
                    if ahead.len() < 2 && !self.exhausted {
                        self.fill()?;
                        continue;
                    }
                    let crlf = ahead.get(1) == Some(&b'\n');
                    self.take(if crlf { 2 } else { 1 });
                    self.line += 1;
                    continue;
                }
                _ => {}
            }
            let line = self.line;
            // A delimiter that is also a quote or a line break leaves every record to the
            // state machine.
            let plain = !matches!(self.delimiter, b'\n' | b'"' | b'\r');
            let special = if plain {
                memchr::memchr3(b'\n', b'"', b'\r', ahead)
            } else {
                Some(0)
            };
            match special {
                Some(at) if ahead.get(at) == Some(&b'\n') => {
                    if at > self.line_limit {
                        return Err(self.too_long(at, None));
                    }
                    split_line(ahead.get(..at).unwrap_or(&[]), self.delimiter, record);
                    self.take(at + 1);
                    self.line += 1;
                }
                // The last line, without a line break.
                None if self.exhausted => {
                    if ahead.len() > self.line_limit {
                        return Err(self.too_long(ahead.len(), None));
                    }
                    split_line(ahead, self.delimiter, record);
                    self.take(ahead.len());
                }
                // The line goes on past the bytes read.
                None => {
                    if ahead.len() > self.line_limit {
                        return Err(self.too_long(ahead.len(), None));
                    }
                    self.fill()?;
                    continue;
                }
                Some(_) => self.read_quoted(record)?,
            }
            return Ok(Some(line));
        }
    }

    /// Reads the record at `start` cell by cell, quotes and all, counting the line breaks it
    /// spans. The record stays in the buffer until it is taken, for the places of its quotes.
    fn read_quoted(&mut self, record: &mut Record) -> Result<(), ReadError> {
        let delimiter = self.delimiter;
        let mut state = State::StartCell;
        // Bytes of the record read so far, from `start` (the buffer may move as it fills).
        let mut at = 0;
        let mut cell_start = 0;
        // The quote that opened the current quoted cell, and the one that closed a cell
        // before text.
        let (mut opened, mut closed) = (0, None);
        let mut malformed_cell = 0;
        // Delimiters on the current line of a quoted cell that has crossed a line break.
        let mut inner_delimiters: Option<usize> = None;
        let mut rows_inside = 0u32;
        let columns = self.columns;
        let looks_like_row = |delimiters: usize| columns >= 2 && delimiters + 1 >= columns;
        // The record's bytes without its line break.
        let content_end = loop {
            let Some(ahead) = self
                .buffer
                .get(self.start + at..self.end)
                .filter(|a| !a.is_empty())
            else {
                if at > self.line_limit {
                    let open = (state == State::Quoted).then(|| self.position_of(opened));
                    return Err(self.too_long(at, open));
                }
                if self.fill()? {
                    continue;
                }
                // The end of the source ends the record.
                match state {
                    State::StartCell | State::Unquoted => record.end_cell(&mut cell_start),
                    State::AfterQuote => {
                        if inner_delimiters.take().is_some_and(looks_like_row) {
                            rows_inside += 1;
                        }
                        record.end_cell(&mut cell_start);
                    }
                    State::Quoted => {
                        if inner_delimiters.take().is_some_and(looks_like_row) {
                            rows_inside += 1;
                        }
                        malformed_cell = record.bounds.len();
                    }
                    State::Skip => {}
                }
                break at;
            };
            let first = ahead.first().copied().unwrap_or_default();
            match state {
                State::StartCell => {
                    if first == b'"' {
                        opened = at;
                        inner_delimiters = None;
                        state = State::Quoted;
                        at += 1;
                    } else if first == delimiter {
                        record.end_cell(&mut cell_start);
                        at += 1;
                    } else if first == b'\n' || first == b'\r' {
                        record.end_cell(&mut cell_start);
                        break at;
                    } else {
                        state = State::Unquoted;
                    }
                }
                State::Unquoted => match memchr::memchr3(delimiter, b'\n', b'\r', ahead) {
                    None => {
                        record.bytes.extend_from_slice(ahead);
                        at += ahead.len();
                    }
                    Some(i) => {
                        record
                            .bytes
                            .extend_from_slice(ahead.get(..i).unwrap_or(&[]));
                        at += i;
                        record.end_cell(&mut cell_start);
                        if ahead.get(i) == Some(&delimiter) {
                            at += 1;
                            state = State::StartCell;
                        } else {
                            break at;
                        }
                    }
                },
                State::Quoted => {
                    let next = memchr::memchr3(b'"', b'\n', b'\r', ahead);
                    let text = ahead.get(..next.unwrap_or(ahead.len())).unwrap_or(&[]);
                    record.bytes.extend_from_slice(text);
                    if let Some(count) = &mut inner_delimiters {
                        *count += memchr::memchr_iter(delimiter, text).count();
                    }
                    at += text.len();
                    match next.and_then(|i| ahead.get(i)) {
                        None => {}
                        Some(b'"') => {
                            at += 1;
                            state = State::AfterQuote;
                        }
                        // A line break inside the cell: its bytes are the cell's.
                        Some(&byte) => {
                            if inner_delimiters.replace(0).is_some_and(looks_like_row) {
                                rows_inside += 1;
                            }
                            record.bytes.push(byte);
                            at += 1;
                        }
                    }
                }
                State::AfterQuote => {
                    if first == b'"' {
                        record.bytes.push(b'"');
                        at += 1;
                        state = State::Quoted;
                        continue;
                    }
                    // The quote before closed the cell.
                    if inner_delimiters.take().is_some_and(looks_like_row) {
                        rows_inside += 1;
                    }
                    if first == delimiter {
                        record.end_cell(&mut cell_start);
                        at += 1;
                        state = State::StartCell;
                    } else if first == b'\n' || first == b'\r' {
                        record.end_cell(&mut cell_start);
                        break at;
                    } else {
                        closed = Some(at - 1);
                        malformed_cell = record.bounds.len();
                        state = State::Skip;
                    }
                }
                State::Skip => match memchr::memchr2(b'\n', b'\r', ahead) {
                    None => at += ahead.len(),
                    Some(i) => break at + i,
                },
            }
        };
        if content_end > self.line_limit {
            let open = (state == State::Quoted).then(|| self.position_of(opened));
            return Err(self.too_long(content_end, open));
        }
        // A quote never closed runs to the end of the file: the rejected row is the line it
        // opens on, and reading resumes on the next, so that the rows after it are read, not
        // swallowed by the open cell.
        let consumed_end = match state {
            State::Quoted => {
                let rest = (self.buffer)
                    .get(self.start + opened..self.start + content_end)
                    .unwrap_or(&[]);
                memchr::memchr2(b'\n', b'\r', rest).map_or(content_end, |i| opened + i)
            }
            _ => content_end,
        };
        // The line break that ends the record (CRLF is one).
        let mut length = consumed_end;
        match self.byte_at(consumed_end) {
            Some(b'\n') => length += 1,
            Some(b'\r') => {
                length += 1;
                if self.start + length == self.end && !self.exhausted {
                    self.fill()?;
                }
                if self.byte_at(length) == Some(b'\n') {
                    length += 1;
                }
            }
            _ => {}
        }
        let content = self
            .buffer
            .get(self.start..self.start + content_end)
            .unwrap_or(&[]);
        record.inner_lines = line_breaks(content.get(..consumed_end).unwrap_or(&[]));
        record.rows_inside = rows_inside;
        if state == State::Quoted || closed.is_some() {
            let after = closed.map_or(&[][..], |quote| content.get(quote + 1..).unwrap_or(&[]));
            let after = after
                .get(..after.len().min(SHOWN_AFTER_QUOTE))
                .unwrap_or(&[]);
            // The last line with text (an unclosed cell's line breaks run to the end).
            let text_end = content.iter().rposition(|b| !matches!(b, b'\n' | b'\r'));
            let text = content
                .get(..text_end.map_or(0, |end| end + 1))
                .unwrap_or(&[]);
            let malformed = Malformed {
                cell: malformed_cell,
                opened: self.position_of(opened),
                closed: closed.map(|quote| self.position_of(quote)),
                after: after.to_vec(),
                last_line: self.line + line_breaks(text),
                rows_inside,
            };
            // The cells before the malformed one are whole: kept (the row's id may be one),
            // the rest dropped.
            record.bounds.truncate(malformed_cell);
            let kept = record.bounds.last().map_or(0, |&(_, end)| end as usize);
            record.bytes.truncate(kept);
            record.malformed = Some(Box::new(malformed));
        }
        let spanned = self
            .buffer
            .get(self.start..self.start + length)
            .unwrap_or(&[]);
        self.line += line_breaks(spanned);
        self.take(length);
        Ok(())
    }

    /// The byte `at` bytes after `start`, if read.
    fn byte_at(&self, at: usize) -> Option<u8> {
        self.buffer.get(self.start..self.end)?.get(at).copied()
    }

    /// The place of the byte `at` bytes into the record at `start`.
    fn position_of(&self, at: usize) -> Position {
        let before = self.buffer.get(self.start..self.start + at).unwrap_or(&[]);
        let line_start = memchr::memrchr2(b'\n', b'\r', before).map_or(0, |i| i + 1);
        let on_line = before.get(line_start..).unwrap_or(&[]);
        Position {
            line: self.line + line_breaks(before),
            // UTF-8 continuation bytes are not characters.
            character: 1 + on_line.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64,
            byte: self.taken + at as u64,
        }
    }

    /// The error for a record at `start` found over the limit `at` bytes in.
    fn too_long(&self, at: usize, open_quote: Option<Position>) -> ReadError {
        let read = self.buffer.get(self.start..self.start + at).unwrap_or(&[]);
        ReadError::TooLong(Box::new(TooLong {
            first_line: self.line,
            line: self.line + line_breaks(read),
            limit: self.line_limit as u64,
            open_quote,
        }))
    }

    /// Takes `bytes` bytes from the buffer.
    fn take(&mut self, bytes: usize) {
        self.start += bytes;
        self.taken += bytes as u64;
    }

    /// Reads more of the source after the bytes not yet taken; `false` when there is no more.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.exhausted {
            return Ok(false);
        }
        if self.start > 0 {
            self.buffer.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        // Reads grow from a few kilobytes (a short file costs no more) to `READ_BYTES`.
        let wanted = self.buffer.len().clamp(FIRST_READ_BYTES, READ_BYTES);
        if self.buffer.len() - self.end < wanted / 2 {
            self.buffer.resize(self.end + wanted, 0);
        }
        loop {
            let room = self.buffer.get_mut(self.end..).unwrap_or_default();
            match self.source.read(room) {
                Ok(0) => {
                    self.exhausted = true;
                    return Ok(false);
                }
                Ok(read) => {
                    self.end += read;
                    return Ok(true);
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }
}

/// Splits a line with no quote and no carriage return at every `delimiter`, as `csv_core`
/// would: the line's bytes and the cells' places in them.
fn split_line(line: &[u8], delimiter: u8, record: &mut Record) {
    record.bytes.extend_from_slice(line);
    let pattern = u64::from_le_bytes([delimiter; 8]);
    let mut start = 0;
    // The delimiters of 64 bytes (then of 8) as one bit per byte, read lowest first: one
    // loop over the cells found, where a loop per eight bytes would end unpredictably.
    let mut cells_in = |mask: u64, base: usize, start: &mut usize| {
        let mut mask = mask;
        while mask != 0 {
            let at = base + mask.trailing_zeros() as usize;
            record.bounds.push((offset(*start), offset(at)));
            *start = at + 1;
            mask &= mask - 1;
        }
    };
    let mut base = 0;
    let mut blocks = line.chunks_exact(64);
    for block in &mut blocks {
        let mut mask = 0;
        for (k, chunk) in block.chunks_exact(8).enumerate() {
            mask |= delimiters_in(chunk, pattern) << (8 * k);
        }
        cells_in(mask, base, &mut start);
        base += 64;
    }
    let mut chunks = blocks.remainder().chunks_exact(8);
    for chunk in &mut chunks {
        cells_in(delimiters_in(chunk, pattern), base, &mut start);
        base += 8;
    }
    for (i, &byte) in chunks.remainder().iter().enumerate() {
        if byte == delimiter {
            record.bounds.push((offset(start), offset(base + i)));
            start = base + i + 1;
        }
    }
    record.bounds.push((offset(start), offset(line.len())));
}

/// Bit `k` set for each byte `k` of the 8-byte `chunk` equal to the byte `pattern` repeats.
fn delimiters_in(chunk: &[u8], pattern: u64) -> u64 {
    let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
    // The high bit of each matching byte, gathered into the low byte: a multiply moves the
    // bit of byte k to bit 56 + k, and no two of the partial products overlap.
    (zero_bytes(word ^ pattern) >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// The high bit of each byte of `word` that is zero, and no other bit (exact: no byte's sum
/// carries into the next).
fn zero_bytes(word: u64) -> u64 {
    const LOW_SEVEN: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((word & LOW_SEVEN) + LOW_SEVEN) | word | LOW_SEVEN)
}

/// Line breaks in `bytes`: LF, CRLF (once), or a lone CR.
pub fn line_breaks(bytes: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes.get(i) == Some(&b'\n') || bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64
}

/// The records of `bytes` as the `csv` crate reads them, each with the line it starts on (the
/// line of its first byte after the blank lines the crate passes over): the reference
/// [`RecordReader`] is checked against, by its unit tests and by the `csv_profiles` fuzz target.
#[doc(hidden)]
pub fn csv_crate_records(bytes: &[u8], delimiter: u8) -> Vec<LinedCells> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut records = Vec::new();
    loop {
        // Where the blank lines before the record begin, a byte-order mark at the start not
        // counted (the crate passes over it).
        let position = match reader.position().byte() as usize {
            0 if bytes.starts_with(b"\xEF\xBB\xBF") => 3,
            position => position,
        };
        if !reader.read_byte_record(&mut record).unwrap_or(false) {
            break;
        }
        let blank = (bytes.get(position..).unwrap_or(&[]).iter())
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let line = 1 + line_breaks(bytes.get(..position + blank).unwrap_or(&[]));
        records.push((line, record.iter().map(<[u8]>::to_vec).collect()));
    }
    records
}

/// A record's line and cells, owned (for tests).
#[doc(hidden)]
pub type LinedCells = (u64, Vec<Vec<u8>>);

/// A source that gives at most `step` bytes a read (for tests: every record then straddles
/// reads).
#[doc(hidden)]
pub struct Trickle {
    bytes: Vec<u8>,
    at: usize,
    step: usize,
}

impl Trickle {
    pub fn new(bytes: &[u8], step: usize) -> Trickle {
        Trickle {
            bytes: bytes.to_vec(),
            at: 0,
            step: step.max(1),
        }
    }
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let ahead = self.bytes.get(self.at..).unwrap_or(&[]);
        let n = self.step.min(buf.len()).min(ahead.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), ahead.get(..n)) {
            to.copy_from_slice(from);
        }
        self.at += n;
        Ok(n)
    }
}

/// A record as [`records_in_steps`] reads it: its line and cells, what is wrong with it, and
/// the bytes taken before and after it (for tests).
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRecord {
    pub line: u64,
    pub cells: Vec<Vec<u8>>,
    pub malformed: Option<Malformed>,
    pub from: u64,
    pub to: u64,
}

/// The records of `bytes` as a [`RecordReader`] reads them from a source that gives at most
/// `step` bytes a read (every record then straddles reads), and the bytes taken. Stops with an
/// error past one record a byte (a reader that never ends).
#[doc(hidden)]
pub fn records_in_steps(
    bytes: &[u8],
    delimiter: u8,
    step: usize,
) -> Result<(Vec<ReadRecord>, u64), ReadError> {
    let mut reader = RecordReader::new(Box::new(Trickle::new(bytes, step)));
    reader.set_delimiter(delimiter);
    let mut record = Record::default();
    let mut records = Vec::new();
    let mut from = reader.position();
    while let Some(line) = reader.read(&mut record)? {
        records.push(ReadRecord {
            line,
            cells: record.iter().map(<[u8]>::to_vec).collect(),
            malformed: record.malformed().cloned(),
            from,
            to: reader.position(),
        });
        from = reader.position();
        if records.len() > bytes.len() {
            return Err(std::io::Error::other("more records than bytes").into());
        }
    }
    Ok((records, reader.position()))
}

/// Checks what a [`RecordReader`] reads from `bytes`, `step` bytes a read, against the `csv`
/// crate (for the unit tests and the `csv_profiles` fuzz target): every byte is taken; between
/// malformed records, the records and their lines are the crate's on those bytes alone; each
/// malformed record's quotes are where it says, and really wrong. The number of malformed
/// records, or what differs.
#[doc(hidden)]
pub fn check_against_csv_crate(bytes: &[u8], delimiter: u8, step: usize) -> Result<usize, String> {
    let shown = || {
        format!(
            "{:?} with {:?}",
            String::from_utf8_lossy(bytes),
            delimiter as char
        )
    };
    let (records, taken) =
        records_in_steps(bytes, delimiter, step).map_err(|e| format!("{}: {e}", shown()))?;
    if taken != bytes.len() as u64 {
        return Err(format!("{}: {taken} bytes taken", shown()));
    }
    let mut stretch = 0;
    let mut good = Vec::new();
    let mut malformed = 0;
    for record in &records {
        let Some(bad) = &record.malformed else {
            good.push((record.line, record.cells.clone()));
            continue;
        };
        let (from, to) = (record.from as usize, record.to as usize);
        compare_stretch(bytes, stretch, from, delimiter, &good)
            .map_err(|e| format!("{}: {e}", shown()))?;
        check_malformed(bytes, from, to, delimiter, bad)
            .map_err(|e| format!("{}: {e}: {record:?}", shown()))?;
        if record.cells.len() > bad.cell {
            return Err(format!(
                "{}: a malformed record has cells from its bad one on",
                shown()
            ));
        }
        good.clear();
        stretch = to;
        malformed += 1;
    }
    compare_stretch(bytes, stretch, bytes.len(), delimiter, &good)
        .map_err(|e| format!("{}: {e}", shown()))?;
    Ok(malformed)
}

/// The records read from `bytes[from..to]` are the `csv` crate's on those bytes.
fn compare_stretch(
    bytes: &[u8],
    from: usize,
    to: usize,
    delimiter: u8,
    read: &[LinedCells],
) -> Result<(), String> {
    let piece = bytes.get(from..to).unwrap_or(&[]);
    let expected = if from == 0 {
        csv_crate_records(piece, delimiter)
    } else {
        // A line break first: the crate would pass over a byte-order mark at its start.
        let before = line_breaks(bytes.get(..from).unwrap_or(&[]));
        let prefixed = [&b"\n"[..], piece].concat();
        (csv_crate_records(&prefixed, delimiter).into_iter())
            .map(|(line, cells)| (line - 1 + before, cells))
            .collect()
    };
    if read == expected {
        Ok(())
    } else {
        Err(format!(
            "bytes {from}..{to}: read {read:?}, the csv crate reads {expected:?}"
        ))
    }
}

/// The malformed record taken from `bytes[from..to]` is as it says.
fn check_malformed(
    bytes: &[u8],
    from: usize,
    to: usize,
    delimiter: u8,
    bad: &Malformed,
) -> Result<(), String> {
    let place = |at: usize| {
        let before = bytes.get(..at).unwrap_or(&[]);
        let start = memchr::memrchr2(b'\n', b'\r', before).map_or(0, |i| i + 1);
        let on_line = before.get(start..).unwrap_or(&[]);
        Position {
            line: 1 + line_breaks(before),
            character: 1 + on_line.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64,
            byte: at as u64,
        }
    };
    // Quotes after `from` up to `to` come in pairs (a quote in a quoted cell).
    let paired = |from: usize, to: usize| {
        let inner = bytes.get(from..to).unwrap_or(&[]);
        inner.split(|&b| b != b'"').all(|run| run.len() % 2 == 0)
    };
    let opened = bad.opened.byte as usize;
    if !(from..to).contains(&opened) || bytes.get(opened) != Some(&b'"') {
        return Err("no quote where the cell opens".into());
    }
    let record_start = from
        + (bytes.get(from..).unwrap_or(&[]).iter())
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
    if opened != record_start && bytes.get(opened - 1) != Some(&delimiter) {
        return Err("the opening quote does not start a cell".into());
    }
    if bad.opened != place(opened) {
        return Err(format!("the opening quote is at {:?}", place(opened)));
    }
    match bad.closed {
        Some(closed) => {
            let at = closed.byte as usize;
            if closed != place(at) || bytes.get(at) != Some(&b'"') || at <= opened {
                return Err("no closing quote there".into());
            }
            let inside = bytes.get(opened + 1..=at).unwrap_or(&[]);
            let run = (inside.iter().rev()).take_while(|&&b| b == b'"').count();
            if !paired(opened + 1, at + 1 - run) || run % 2 == 0 {
                return Err("the quote there does not close the cell".into());
            }
            match bytes.get(at + 1) {
                Some(&b) if b != delimiter && !matches!(b, b'"' | b'\n' | b'\r') => {}
                _ => return Err("the closing quote is followed by no text".into()),
            }
            let rest = bytes.get(at + 1..to).unwrap_or(&[]);
            let breaks = line_breaks(rest);
            let ends_line = to == bytes.len() || rest.ends_with(b"\n") || rest.ends_with(b"\r");
            if breaks > 1 || (breaks == 0 && to != bytes.len()) || !ends_line {
                return Err("reading does not resume on the next line".into());
            }
            if bad.last_line != closed.line {
                return Err("the last line is not the closing quote's".into());
            }
        }
        None => {
            if !paired(opened + 1, bytes.len()) {
                return Err("the cell is closed".into());
            }
            // The record is the line the quote opens on; reading resumes on the next.
            let rest = bytes.get(opened..).unwrap_or(&[]);
            let resumes = match memchr::memchr2(b'\n', b'\r', rest).map(|i| opened + i) {
                None => bytes.len(),
                Some(end) if bytes.get(end..end + 2) == Some(&b"\r\n"[..]) => end + 2,
                Some(end) => end + 1,
            };
            if to != resumes {
                return Err("reading does not resume on the next line".into());
            }
        }
    }
    Ok(())
}

/// A place in a record, which is under 4 GiB (checked before the record is kept).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
