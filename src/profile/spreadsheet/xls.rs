//! `.xls`: its Compound File and Workbook stream, counted before calamine reads them (calamine
//! sets room aside from sizes the file declares: a 5 KB file could make it abort).

use super::*;

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
pub(super) enum XlsStop {
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

pub(super) type XlsResult<T> = std::result::Result<T, XlsStop>;

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
///
/// Gives each sheet's hidden rows and columns (which calamine does not report), found on the
/// way, in the workbook's order of sheets (calamine's).
pub(super) fn check_xls_size(bytes: &[u8], file: &str) -> Result<Vec<Hidden>> {
    let (outcome, hidden) = scan_xls_sheets(bytes, crate::io::limits::WORKBOOK_BYTES.get());
    match outcome {
        Ok(()) | Err(XlsStop::Unreadable) => Ok(hidden),
        Err(XlsStop::TooBig { sheet, detail }) => {
            let place = match sheet {
                Some(name) => crate::error::Location::Sheet {
                    file: file.to_string(),
                    sheet: quote_sheet(&name),
                },
                None => crate::error::Location::File(file.to_string()),
            };
            Err(too_big(place, &detail))
        }
        Err(XlsStop::Damaged(detail)) => Err(damaged_because(file, &detail)),
    }
}

/// An `.xls`'s Workbook stream and sheets counted against `limit`: how the count ended, and
/// the hidden rows and columns of the sheets counted.
pub(super) fn scan_xls_sheets(bytes: &[u8], limit: u64) -> (XlsResult<()>, Vec<Hidden>) {
    let stream = match xls_workbook_stream(bytes) {
        Ok(stream) => stream,
        Err(stop) => return (Err(stop), Vec::new()),
    };
    let mut scan = XlsScan::new(&stream, limit);
    let outcome = scan.globals().and_then(|()| scan.sheets());
    (outcome, scan.hidden)
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
    /// Rows and columns hidden, which calamine does not report.
    hidden: Hidden,
    /// The rows with a ROW record of their own, and whether the others are hidden
    /// (DEFAULTROWHEIGHT: Excel's "hide unused rows").
    described_rows: Ranges,
    rows_hidden_by_default: bool,
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
    /// The hidden rows and columns of each sheet read, in order.
    hidden: Vec<Hidden>,
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
            hidden: Vec::new(),
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
        let mut hidden = sheet.hidden;
        if sheet.rows_hidden_by_default {
            for gap in sheet.described_rows.gaps(XLS_ROWS as u32).ranges {
                hidden.rows.add(gap);
            }
        }
        self.hidden.push(hidden);
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
            // Row: hidden, by hand or by a filter, when its height is zero (fDyZero).
            0x0208 => {
                if let (Some(row), Some(options)) = (le16(data, 0), le16(data, 12)) {
                    let row = u32::from(row);
                    sheet.described_rows.add(row..row + 1);
                    if options & 0x0020 != 0 {
                        sheet.hidden.rows.add(row..row + 1);
                    }
                }
            }
            // DefaultRowHeight: the rows without a ROW record are hidden when fDyZero is set,
            // or (as LibreOffice reads it) when their default height is zero.
            0x0225 => {
                if let Some(options) = le16(data, 0) {
                    sheet.rows_hidden_by_default =
                        options & 0x0002 != 0 || le16(data, 2) == Some(0);
                }
            }
            // ColInfo: columns first to last (from 0), hidden (fHidden) or of zero width
            // (coldx), which Excel draws as nothing, as a hidden column.
            0x007D => {
                let (Some(first), Some(last)) = (le16(data, 0), le16(data, 2)) else {
                    return Ok(());
                };
                if le16(data, 8).is_some_and(|options| options & 0x0001 != 0)
                    || le16(data, 4) == Some(0)
                {
                    sheet
                        .hidden
                        .columns
                        .add(u32::from(first)..u32::from(last) + 1);
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
