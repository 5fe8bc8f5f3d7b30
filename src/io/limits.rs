//! Bounds on input sizes, so a bad file gets a clear error instead of a slow death.
//!
//! Each is far above what the built-in data needs, and each can be raised (or lowered) with an
//! environment variable; the README lists them. The variables are read at the edge
//! (`cli::settings`), which sets the bounds of a run with [`Limit::set`] before any input is read.

use std::sync::OnceLock;

/// One bound: its environment variable and its default.
#[derive(Debug)]
pub struct Limit {
    pub variable: &'static str,
    pub default: u64,
    /// A size in bytes (shown as `16 MiB`), not a count.
    in_bytes: bool,
    value: OnceLock<u64>,
}

impl Limit {
    const fn new(variable: &'static str, default: u64) -> Limit {
        Limit {
            variable,
            default,
            in_bytes: false,
            value: OnceLock::new(),
        }
    }

    const fn bytes(variable: &'static str, default: u64) -> Limit {
        Limit {
            variable,
            default,
            in_bytes: true,
            value: OnceLock::new(),
        }
    }

    /// The bound in force: the value set for this run, or the default.
    pub fn get(&self) -> u64 {
        self.value.get().copied().unwrap_or(self.default)
    }

    /// Sets the bound for this run. The first value holds: a bound cannot change once input
    /// has been read against it.
    pub fn set(&self, value: u64) {
        let _ = self.value.set(value);
    }

    /// The bound a setting's text gives (its variable's value): a positive whole number, or
    /// the warning to show, the default then holding.
    pub fn parse(&self, text: &str) -> Result<u64, String> {
        match text.trim().parse::<u64>() {
            Ok(value) if value > 0 => Ok(value),
            _ => Err(format!(
                "{}=`{}` is not a positive whole number; using the default {}",
                self.variable,
                crate::io::quote::printable(text, 40),
                self.default
            )),
        }
    }

    /// The bound as a count.
    pub fn count(&self) -> usize {
        usize::try_from(self.get()).unwrap_or(usize::MAX)
    }

    /// "the limit is 16 MiB (set VARIABLE to raise it)", for messages.
    pub fn explain(&self) -> String {
        format!("the limit is {}", self.shown_with_variable())
    }

    /// The bound in force as a person reads it: `16 MiB`, `100000 bytes`, `10000`.
    pub fn shown(&self) -> String {
        match self.in_bytes {
            true => bytes_shown(self.get()),
            false => self.get().to_string(),
        }
    }

    /// "16 MiB (set VARIABLE to raise it)".
    pub fn shown_with_variable(&self) -> String {
        format!("{} (set {} to raise it)", self.shown(), self.variable)
    }
}

/// A size as a person reads it: whole mebibytes as `4 MiB`, else in bytes.
pub fn bytes_shown(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    match bytes >= MIB && bytes.is_multiple_of(MIB) {
        true => format!("{} MiB", bytes / MIB),
        false => format!("{bytes} bytes"),
    }
}

/// A YAML file (catalog, questionnaire, answers) or an expected-grades CSV, in bytes.
pub static FILE_BYTES: Limit = Limit::bytes("IPNEEDS_MAX_FILE_BYTES", 16 * 1024 * 1024);
/// Programs in a catalog.
pub static PROGRAMS: Limit = Limit::new("IPNEEDS_MAX_PROGRAMS", 100_000);
/// Questions in a questionnaire.
pub static QUESTIONS: Limit = Limit::new("IPNEEDS_MAX_QUESTIONS", 1_000);
/// Characters in a search query.
pub static QUERY_CHARS: Limit = Limit::new("IPNEEDS_MAX_QUERY_CHARS", 10_000);
/// Characters in a free-text answer (`challenges`).
pub static TEXT_CHARS: Limit = Limit::new("IPNEEDS_MAX_TEXT_CHARS", 10_000);
/// What one worksheet holds, in Excel's format (and LibreOffice's): fixed, not a setting.
pub const WORKSHEET_ROWS: u32 = 1_048_576;
pub const WORKSHEET_COLUMNS: u32 = 16_384;
/// The rows below a header row.
pub const WORKSHEET_DATA_ROWS: u32 = WORKSHEET_ROWS - 1;
/// The most characters (UTF-16 units) a cell holds.
pub const WORKSHEET_CELL_CHARS: usize = 32_767;

/// Bytes in one CSV cell (a longer cell is almost always a broken quote).
pub static CELL_BYTES: Limit = Limit::bytes("IPNEEDS_MAX_CELL_BYTES", 100_000);
/// Bytes in one CSV row, over all its lines (checked as the row is read: an endless line, or a
/// quote left open in a huge file, stops reading in bounded memory).
pub static LINE_BYTES: Limit = Limit::bytes("IPNEEDS_MAX_LINE_BYTES", 4 * 1024 * 1024);
/// Bytes in a workbook (`.xlsx`, `.ods`, …), and in its sheet's cells once read: a sheet is
/// read whole into memory.
pub static WORKBOOK_BYTES: Limit = Limit::bytes("IPNEEDS_MAX_WORKBOOK_BYTES", 64 * 1024 * 1024);

/// Every limit, for documentation and `--help`.
pub fn all() -> [&'static Limit; 8] {
    [
        &FILE_BYTES,
        &PROGRAMS,
        &QUESTIONS,
        &QUERY_CHARS,
        &TEXT_CHARS,
        &CELL_BYTES,
        &LINE_BYTES,
        &WORKBOOK_BYTES,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sizes in messages as a person reads them: "16 MiB", not "16777216 bytes".
    #[test]
    fn sizes_are_shown_in_mebibytes_when_whole() {
        assert_eq!(FILE_BYTES.shown(), "16 MiB");
        assert_eq!(
            WORKBOOK_BYTES.explain(),
            "the limit is 64 MiB (set IPNEEDS_MAX_WORKBOOK_BYTES to raise it)"
        );
        assert_eq!(bytes_shown(100_000), "100000 bytes");
        assert_eq!(bytes_shown(3 * 1024 * 1024 + 1), "3145729 bytes");
        assert_eq!(PROGRAMS.shown(), "100000");
    }
}
