//! Bounds on input sizes, so a bad file gets a clear error instead of a slow death.
//!
//! Each is far above what the built-in data needs; the README lists them.

/// A YAML file (catalog, questionnaire, answers).
pub const MAX_YAML_BYTES: u64 = 16 * 1024 * 1024;
/// Programs in a catalog.
pub const MAX_PROGRAMS: usize = 100_000;
/// Questions in a questionnaire.
pub const MAX_QUESTIONS: usize = 1_000;
/// A search query.
pub const MAX_QUERY_CHARS: usize = 10_000;
/// A free-text answer (`challenges`).
pub const MAX_FREE_TEXT_CHARS: usize = 10_000;
/// One CSV cell (a longer cell is almost always a broken quote).
pub const MAX_CSV_CELL_BYTES: usize = 100_000;
