//! CSV records as the `csv` crate reads them (quotes, CRLF or lone CR, blank lines skipped),
//! with the line each starts on, and a short way for the lines that need no parsing.
//!
//! Most lines of a profiles file hold no quote and no carriage return: such a line is one
//! record whose cells lie between the delimiters, found 64 bytes at a time. Any other line
//! goes to `csv_core`, the state machine inside the `csv` crate, from the record's first byte
//! to its end: the records are the crate's, and reading takes a fraction of its time.

use std::io::Read;

/// Bytes asked of the source at a time, at most (the buffer grows for longer records).
const READ_BYTES: usize = 256 * 1024;

/// Bytes asked of the source the first time.
const FIRST_READ_BYTES: usize = 8 * 1024;

/// One record: its cells' bytes and each cell's place in them.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The cells' bytes (for a line read the short way, the line, delimiters included).
    bytes: Vec<u8>,
    /// Per cell: start and end in `bytes`.
    bounds: Vec<(u32, u32)>,
}

impl Record {
    /// Room for a record of `bytes` bytes and `cells` cells.
    pub fn with_capacity(bytes: usize, cells: usize) -> Record {
        Record {
            bytes: Vec::with_capacity(bytes),
            bounds: Vec::with_capacity(cells),
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

    /// Every byte the cells are slices of (and, between them, perhaps their delimiters).
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.bounds.clear();
    }
}

/// A CSV source read record by record.
pub struct RecordReader {
    source: Box<dyn Read>,
    delimiter: u8,
    core: csv_core::Reader,
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
    /// `csv_core`'s output and cell ends, for the records it reads (kept from record to
    /// record: growing them for each would clear kilobytes a record).
    output: Vec<u8>,
    ends: Vec<usize>,
}

impl RecordReader {
    /// A reader of `source`; reads nothing yet.
    pub fn new(source: Box<dyn Read>) -> RecordReader {
        RecordReader {
            source,
            delimiter: b',',
            core: primed(csv_core::Reader::new()),
            started: false,
            buffer: Vec::new(),
            start: 0,
            end: 0,
            exhausted: false,
            taken: 0,
            line: 1,
            output: Vec::new(),
            ends: Vec::new(),
        }
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
        self.core = primed(csv_core::ReaderBuilder::new().delimiter(delimiter).build());
    }

    /// Bytes taken so far, from the source's first byte.
    pub fn position(&self) -> u64 {
        self.taken
    }

    /// Reads the next record into `record` (reusing its memory); the line it starts on, or
    /// `None` at the end. Empty lines are passed over, as the `csv` crate does.
    pub fn read(&mut self, record: &mut Record) -> std::io::Result<Option<u64>> {
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
            // A delimiter that is also a quote or a line break leaves every record to csv_core.
            let plain = !matches!(self.delimiter, b'\n' | b'"' | b'\r');
            let special = if plain {
                memchr::memchr3(b'\n', b'"', b'\r', ahead)
            } else {
                Some(0)
            };
            match special {
                Some(at) if ahead.get(at) == Some(&b'\n') => {
                    split_line(ahead.get(..at).unwrap_or(&[]), self.delimiter, record)?;
                    self.take(at + 1);
                    self.line += 1;
                }
                // The last line, without a line break.
                None if self.exhausted => {
                    split_line(ahead, self.delimiter, record)?;
                    self.take(ahead.len());
                }
                // The line goes on past the bytes read.
                None => {
                    self.fill()?;
                    continue;
                }
                Some(_) => self.read_with_core(record)?,
            }
            return Ok(Some(line));
        }
    }

    /// Reads the record at `start` with `csv_core`, counting the line breaks it spans.
    fn read_with_core(&mut self, record: &mut Record) -> std::io::Result<()> {
        use csv_core::ReadRecordResult;
        // Not reset: a reset `csv_core` takes a byte-order mark starting the record for the
        // file's. Each record leaves it ready for the next (the LF of a CRLF aside, taken below).
        // Bytes of the record read so far, from `start` (the buffer may move as it fills).
        let mut read = 0;
        let (mut written, mut cells) = (0, 0);
        loop {
            if self.output.len() < written + 1024 {
                self.output.resize((2 * self.output.len()).max(4096), 0);
            }
            if self.ends.len() < cells + 16 {
                self.ends.resize((2 * self.ends.len()).max(64), 0);
            }
            let input = self.buffer.get(self.start + read..self.end).unwrap_or(&[]);
            let output = self.output.get_mut(written..).unwrap_or_default();
            let ends = self.ends.get_mut(cells..).unwrap_or_default();
            let (result, read_now, written_now, cells_now) =
                self.core.read_record(input, output, ends);
            read += read_now;
            written += written_now;
            cells += cells_now;
            match result {
                ReadRecordResult::InputEmpty => {
                    // `csv_core` finishes the last record when given no input at all.
                    if self.start + read == self.end && !self.exhausted {
                        self.fill()?;
                    }
                }
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {}
                ReadRecordResult::Record | ReadRecordResult::End => break,
            }
        }
        if written > u32::MAX as usize {
            return Err(too_long());
        }
        // A record ended by CR: the LF of its CRLF belongs to it.
        let ends_with_cr = read > 0 && self.buffer.get(self.start + read - 1) == Some(&b'\r');
        if ends_with_cr && self.start + read == self.end && !self.exhausted {
            self.fill()?;
        }
        let next = self.buffer.get(self.start + read..self.end).unwrap_or(&[]);
        if ends_with_cr && next.first() == Some(&b'\n') {
            read += 1;
        }
        let spanned = self
            .buffer
            .get(self.start..self.start + read)
            .unwrap_or(&[]);
        self.line += line_breaks(spanned);
        self.take(read);
        record
            .bytes
            .extend_from_slice(self.output.get(..written).unwrap_or(&[]));
        let mut start = 0;
        for &end in self.ends.get(..cells).unwrap_or(&[]) {
            record.bounds.push((offset(start), offset(end)));
            start = end;
        }
        Ok(())
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

/// `csv_core` past its first read: a byte-order mark is only passed over at the start of the
/// file, which [`RecordReader::read`] does itself. (An empty line is read: no record.)
fn primed(mut core: csv_core::Reader) -> csv_core::Reader {
    let (mut output, mut ends) = ([0u8; 1], [0usize; 1]);
    core.read_record(b"\n", &mut output, &mut ends);
    core
}

/// Splits a line with no quote and no carriage return at every `delimiter`, as `csv_core`
/// would: the line's bytes and the cells' places in them.
fn split_line(line: &[u8], delimiter: u8, record: &mut Record) -> std::io::Result<()> {
    if line.len() > u32::MAX as usize {
        return Err(too_long());
    }
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
    Ok(())
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

/// The records of `bytes` as a [`RecordReader`] reads them from a source that gives at most
/// `step` bytes a read (every record then straddles reads), each with its line, and the bytes
/// taken: what the unit tests and the fuzz target compare with [`csv_crate_records`]. Stops
/// with an error past one record a byte (a reader that never ends).
#[doc(hidden)]
pub fn records_in_steps(
    bytes: &[u8],
    delimiter: u8,
    step: usize,
) -> std::io::Result<(Vec<LinedCells>, u64)> {
    let mut reader = RecordReader::new(Box::new(Trickle::new(bytes, step)));
    reader.set_delimiter(delimiter);
    let mut record = Record::default();
    let mut records = Vec::new();
    while let Some(line) = reader.read(&mut record)? {
        records.push((line, record.iter().map(<[u8]>::to_vec).collect()));
        if records.len() > bytes.len() {
            return Err(std::io::Error::other("more records than bytes"));
        }
    }
    Ok((records, reader.position()))
}

/// A place in a record, which is under 4 GiB (checked before the record is kept).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

fn too_long() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "a record is over 4 GiB long: check for a quote left open",
    )
}

#[cfg(test)]
#[path = "tests/csv_records.rs"]
mod tests;
