//! CSV cells as ipneeds writes them: quoted only when needed, and guarded against spreadsheet
//! formulas (a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading
//! `'`, so a spreadsheet shows it as text instead of running it).

use std::borrow::Cow;

/// The UTF-8 byte order mark `--bom` writes first: Excel, opening a CSV by a double-click,
/// reads it as Windows-1252 without one.
pub const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// Whether a spreadsheet would read `text` as a formula.
pub(crate) fn starts_like_formula(text: &[u8]) -> bool {
    matches!(
        text.first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// `text`, neutralised if a spreadsheet would run it as a formula.
pub fn safe(text: &str) -> Cow<'_, str> {
    if starts_like_formula(text.as_bytes()) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Cells up to this many bytes are scanned without `memchr`.
const SHORT_CELL: usize = 16;

/// Appends one cell, quoted when needed; with `guard`, neutralised as [`safe`] does.
pub fn write(out: &mut Vec<u8>, text: &str, guard: bool) {
    let bytes = text.as_bytes();
    // Vectorised scans for long cells (the reasons cell is a few hundred bytes on every batch
    // row); a short one (an id) is looked at byte by byte, cheaper than two calls.
    let quote = if bytes.len() <= SHORT_CELL {
        (bytes.iter()).any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    } else {
        memchr::memchr3(b',', b'"', b'\n', bytes).is_some()
            || memchr::memchr(b'\r', bytes).is_some()
    };
    if quote {
        out.push(b'"');
    }
    if guard && starts_like_formula(text.as_bytes()) {
        out.push(b'\'');
    }
    if quote && memchr::memchr(b'"', bytes).is_some() {
        for piece in text.split_inclusive('"') {
            out.extend_from_slice(piece.as_bytes());
            if piece.ends_with('"') {
                out.push(b'"');
            }
        }
    } else {
        out.extend_from_slice(bytes);
    }
    if quote {
        out.push(b'"');
    }
}

/// Appends one record (cells as given, already made [`safe`] where needed) and its newline.
pub fn write_record(out: &mut Vec<u8>, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write(out, cell, false);
    }
    out.push(b'\n');
}
