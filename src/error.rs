//! The library's error type. Every message says what is wrong, where, and how to fix it; the
//! kind of error decides the exit code (see [`Error::exit_code`] and the README's "Exit codes").

use std::fmt;
use std::path::Path;

/// Exit codes, as the README's "Exit codes and errors" lists them.
pub mod exit {
    /// Everything went through.
    pub const SUCCESS: u8 = 0;
    /// The command ran, but some input rows were rejected or a misspelt column was not read
    /// (each listed), or `check` found problems.
    pub const REJECTED: u8 = 1;
    /// A usage error (arguments the tool cannot use, alone or together), or input that cannot
    /// be used at all. Clap's own usage errors exit with 2 too.
    pub const INPUT: u8 = 2;
    /// A file (or standard input or output, or the terminal) could not be read or written.
    pub const IO: u8 = 3;
    /// A bug in ipneeds.
    pub const INTERNAL: u8 = 4;
}

/// Where in the input a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A whole file (or `<stdin>`, or a built-in file): `answers.yaml`.
    File(String),
    /// A workbook's sheet as a whole, its name quoted as in a formula when it needs it:
    /// `profiles.xlsx Sheet1`, `profiles.xlsx 'My data'`.
    Sheet { file: String, sheet: String },
    /// A line of a file, and the column when known: `answers.yaml:3:19`, `expected.csv:4`.
    Line {
        file: String,
        line: u64,
        column: Option<u64>,
    },
    /// A CSV line and the column named in its header: ``expected.csv:4: column `grade` ``.
    Column {
        file: String,
        line: u64,
        column: String,
    },
    /// A workbook cell, with its column's name when it has one:
    /// `profiles.xlsx Sheet1!D7 (column ip_strategy)`.
    Cell {
        file: String,
        sheet: String,
        cell: String,
        column: Option<String>,
    },
    /// A place already written out by the reader that found the problem (`file:line:column`,
    /// a sheet cell with its column's name).
    Written(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(file) => write!(f, "{file}"),
            Location::Sheet { file, sheet } => write!(f, "{file} {sheet}"),
            Location::Line { file, line, column } => {
                write!(f, "{file}:{line}")?;
                column.map_or(Ok(()), |column| write!(f, ":{column}"))
            }
            Location::Column { file, line, column } => {
                write!(f, "{file}:{line}: column `{column}`")
            }
            Location::Cell {
                file,
                sheet,
                cell,
                column,
            } => {
                write!(f, "{file} {sheet}!{cell}")?;
                (column.as_ref()).map_or(Ok(()), |column| write!(f, " (column {column})"))
            }
            Location::Written(place) => write!(f, "{place}"),
        }
    }
}

impl Location {
    /// Line `line` of `file`, no column: `expected.csv:4`.
    pub fn line(file: &str, line: u64) -> Location {
        Location::Line {
            file: file.to_string(),
            line,
            column: None,
        }
    }
}

/// One problem with the input: where it is (when the input has places) and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub location: Option<Location>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{location}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl Issue {
    pub fn new(location: Option<Location>, message: impl Into<String>) -> Issue {
        Issue {
            location,
            message: message.into(),
        }
    }
}

/// Why a command failed. The kind decides the exit code; the text is the message.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Arguments the tool cannot use, alone or together (e.g. `--sheet` for a CSV, an output
    /// that is one of the inputs), or results the chosen output cannot hold (a workbook cell
    /// holds 32,767 characters). Exit 2.
    #[error("{0}")]
    Usage(String),
    /// Input that cannot be used at all: its place and the fix. Exit 2.
    #[error("{0}")]
    Input(Box<Issue>),
    /// Several input problems found at once (validation reports them all). Exit 2.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Issue>),
    /// A file could not be read or written; the message names it. Exit 3.
    #[error("{message}")]
    Io { path: String, message: String },
    /// Writing results failed (a closed pipe is not reported: see `main`). Exit 3.
    #[error("cannot write output: {}", explain_write(.0))]
    Write(#[from] std::io::Error),
    /// Something that cannot happen did: a bug, to report. Exit 4.
    #[error("{0}")]
    Internal(String),
}

/// How many problems of one file are listed before the rest are only counted: enough to fix
/// a file in one pass, few enough to read.
pub const SHOWN_PROBLEMS: usize = 20;

/// Problems of one file as they are found: the first [`SHOWN_PROBLEMS`] kept, the rest counted.
#[derive(Debug)]
pub(crate) struct Listed<T> {
    pub shown: Vec<T>,
    pub more: usize,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Listed {
            shown: Vec::new(),
            more: 0,
        }
    }
}

impl<T> Listed<T> {
    pub fn push(&mut self, problem: T) {
        match self.shown.len() < SHOWN_PROBLEMS {
            true => self.shown.push(problem),
            false => self.more += 1,
        }
    }
}

/// The line that counts the problems not listed ("" when all are).
pub(crate) fn more_problems(more: usize) -> String {
    match more {
        0 => String::new(),
        more => format!("… and {more} more problems in the file, not listed"),
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The search engine failing on an index built in this run is a bug, not bad input.
impl From<tantivy::TantivyError> for Error {
    fn from(error: tantivy::TantivyError) -> Self {
        Error::Internal(format!("search index: {error}"))
    }
}

impl Error {
    /// An input error at `location`; the message says what is wrong and the fix.
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input(Box::new(Issue::new(Some(location), message)))
    }

    /// Several input problems, each written out with its place.
    pub fn many(problems: impl IntoIterator<Item = String>) -> Self {
        Error::Many(problems.into_iter().map(|m| Issue::new(None, m)).collect())
    }

    /// The problems found in one file, in file order: `None` when there are none, one as an
    /// input error, several each on its line, then how many more were found (`more`).
    pub fn found(mut issues: Vec<Issue>, more: usize) -> Option<Self> {
        if more > 0 {
            issues.push(Issue::new(None, more_problems(more)));
        }
        match issues.len() {
            0 => None,
            1 => issues.pop().map(|issue| Error::Input(Box::new(issue))),
            _ => Some(Error::Many(issues)),
        }
    }

    /// A usage error: what is wrong with the arguments and the fix.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }

    /// A bug: what went wrong, for the report.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::Internal(message.into())
    }

    /// A read or write failure, explained in words a user can act on.
    pub fn io(action: &'static str, path: &Path, error: &std::io::Error) -> Self {
        // A closed pipe (`-o /dev/stdout | head`) is not a failure: `main` ends quietly.
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            return Error::Write(std::io::ErrorKind::BrokenPipe.into());
        }
        Error::io_message(
            path,
            format!("{action} {}: {}", path.display(), explain_io(error)),
        )
    }

    /// A read or write failure of `path` with a ready message (which names the path).
    pub fn io_message(path: &Path, message: impl Into<String>) -> Self {
        Error::Io {
            path: path.display().to_string(),
            message: message.into(),
        }
    }

    /// The process exit code for this error (see [`exit`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) | Error::Input(_) | Error::Many(_) => exit::INPUT,
            Error::Io { .. } | Error::Write(_) => exit::IO,
            Error::Internal(_) => exit::INTERNAL,
        }
    }
}

/// A read or write failure in words a user can act on.
/// A failed write in words: the system's own error explained (standard output on a full
/// disk), one ipneeds has already worded (naming the file) as it is.
fn explain_write(error: &std::io::Error) -> String {
    match error.raw_os_error() {
        Some(_) => explain_io(error),
        None => error.to_string(),
    }
}

pub fn explain_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory: check the path".to_string(),
        std::io::ErrorKind::PermissionDenied => {
            "permission denied: check the file's permissions".to_string()
        }
        std::io::ErrorKind::IsADirectory => "it is a directory, not a file".to_string(),
        // `-o report.yaml/x`, or a name ending in `/`: a part of the path is a file.
        std::io::ErrorKind::NotADirectory => {
            "a part of the path is a file, not a folder (or the name ends in `/`): check the path"
                .to_string()
        }
        std::io::ErrorKind::StorageFull => "the disk is full: free some space".to_string(),
        std::io::ErrorKind::QuotaExceeded => {
            "the disk quota is used up: free some space".to_string()
        }
        // `ulimit -f` in the shell, or the file system's largest file.
        std::io::ErrorKind::FileTooLarge => {
            "the file would be larger than this system allows a file to be (a limit set with `ulimit -f`, or the largest file the disk takes): raise the limit or write to another disk".to_string()
        }
        std::io::ErrorKind::InvalidFilename => {
            "the name is too long for the file system: give a shorter name".to_string()
        }
        #[cfg(unix)]
        _ if error.raw_os_error() == Some(libc::ELOOP) => {
            "the path's links point at each other in a loop: check where its links lead".to_string()
        }
        #[cfg(unix)]
        _ if matches!(error.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) => {
            "too many files are open at once, over the system's limit: raise it (`ulimit -n 1024`) and run again".to_string()
        }
        std::io::ErrorKind::ReadOnlyFilesystem => {
            "the disk is read-only: write to another folder".to_string()
        }
        _ => error.to_string(),
    }
}

// ---- a library's panic, contained ----

thread_local! {
    /// Set while a failure is contained by [`contained`] (a user query, a workbook's reading or
    /// writing).
    static CONTAINING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `work`, containing a library's panic (reported by the caller as an error) without
/// the panic hook's report.
pub fn contained<T>(work: impl FnOnce() -> T) -> std::thread::Result<T> {
    CONTAINING.with(|flag| flag.set(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    CONTAINING.with(|flag| flag.set(false));
    outcome
}

/// Installs a panic hook that stays quiet for a failure [`contained`] (it is reported as an
/// error instead) and keeps the default report for everything else.
pub fn install_quiet_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !CONTAINING.with(std::cell::Cell::get) {
            default(info);
        }
    }));
}

#[cfg(test)]
mod tests;
