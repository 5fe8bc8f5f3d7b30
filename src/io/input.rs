//! Reading input files and standard input, with errors a user can act on.

use crate::error::{Error, Result};
use crate::io::limits::Limit;
use std::io::Read;
use std::path::Path;

/// How messages name standard input (given as `-`).
pub const STDIN: &str = "<stdin>";

/// How messages name `path`: `<stdin>` for `-`.
pub fn origin(path: &Path) -> String {
    match path == Path::new("-") {
        true => STDIN.to_string(),
        false => path.display().to_string(),
    }
}

/// The path a person types for what messages call `origin` (`-` for standard input), the
/// inverse of [`origin`].
pub fn typed(origin: &str) -> &str {
    match origin == STDIN {
        true => "-",
        false => origin,
    }
}

/// Whether `path`'s extension is one of `extensions` (in any case).
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    (path.extension().and_then(|e| e.to_str()))
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// Reads a UTF-8 text file within `limit`; `-` reads standard input.
pub fn read_text(path: &Path, limit: &Limit) -> Result<String> {
    utf8_text(path, read_bytes(path, limit, "")?)
}

/// Reads a table that is not profiles (a country table) within `limit`, as a spreadsheet
/// saves CSV: UTF-8, or Windows-1252 as Excel's plain "CSV" does (it was refused as "not UTF-8
/// text", while the profiles saved the same way were read); a workbook is told to be saved as
/// CSV.
pub fn read_table_text(path: &Path, limit: &Limit) -> Result<String> {
    let bytes = read_bytes(path, limit, "")?;
    if bytes.starts_with(crate::profile::spreadsheet::ZIP_MAGIC)
        || bytes.starts_with(crate::profile::spreadsheet::OLE_MAGIC)
    {
        return utf8_text(path, bytes);
    }
    crate::profile::rows::csv_text(&bytes, &path.display().to_string())
}

/// The bytes read from `path` as text, or where they stop being UTF-8.
pub fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let before = &error.as_bytes()[..offset];
        let line = memchr::memchr_iter(b'\n', before).count() + 1;
        let column = offset - memchr::memrchr(b'\n', before).map_or(0, |p| p + 1) + 1;
        let bytes = error.as_bytes();
        let workbook = bytes.starts_with(crate::profile::spreadsheet::ZIP_MAGIC)
            || bytes.starts_with(crate::profile::spreadsheet::OLE_MAGIC);
        // (A workbook's first bytes that are not text are no place to look at.)
        let location = crate::error::Location::Line {
            file: path.display().to_string(),
            line: if workbook { 1 } else { line as u64 },
            column: (!workbook).then_some(column as u64),
        };
        let message = match workbook {
            // A table kept in a spreadsheet (a country table, grades) given as it was saved.
            true => "the file is a workbook (or another zip or Office file), not text: save the sheet as \"CSV UTF-8\" from the spreadsheet and give that file",
            false => "the file is not UTF-8 text: save it as UTF-8",
        };
        Error::input(location, message)
    })
}

/// Reads a file within `limit` (its message ends with `advice`, if any); `-` reads standard
/// input.
pub fn read_bytes(path: &Path, limit: &Limit, advice: &str) -> Result<Vec<u8>> {
    let (limit, bound) = (limit.get(), limit);
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("cannot read", Path::new(STDIN), &e))?;
    } else {
        if path.is_dir() {
            return Err(Error::io_message(
                path,
                format!("{}: is a directory: give a file", path.display()),
            ));
        }
        let file = std::fs::File::open(path).map_err(|e| cannot_read(path, &e))?;
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("cannot read", path, &e))?;
    }
    if bytes.len() as u64 > limit {
        return Err(Error::input(
            crate::error::Location::File(path.display().to_string()),
            format!(
                "the file is larger than the limit of {}{advice}",
                bound.shown_with_variable()
            ),
        ));
    }
    Ok(bytes)
}

/// The text of the file at `path` and its name for messages, or the built-in text and name when
/// no path is given (`--catalog`, `--questionnaire`).
pub fn file_or_builtin(
    path: Option<&Path>,
    builtin: &'static str,
    builtin_origin: &str,
) -> Result<(std::borrow::Cow<'static, str>, String)> {
    Ok(match path {
        None => (
            std::borrow::Cow::Borrowed(builtin),
            builtin_origin.to_string(),
        ),
        Some(path) => (
            std::borrow::Cow::Owned(read_text(path, &crate::io::limits::FILE_BYTES)?),
            path.display().to_string(),
        ),
    })
}

/// A file that cannot be opened; when it does not exist, the file of the same folder whose
/// name is closest (`answers.yml` → `answers.yaml`).
pub fn cannot_read(path: &Path, error: &std::io::Error) -> Error {
    let plain = Error::io("cannot read", path, error);
    if error.kind() != std::io::ErrorKind::NotFound {
        return plain;
    }
    let (Some(name), Some(folder)) = (path.file_name(), path.parent()) else {
        return plain;
    };
    let here = folder.as_os_str().is_empty();
    let Ok(entries) = std::fs::read_dir(if here { Path::new(".") } else { folder }) else {
        return plain;
    };
    // A large folder is not worth reading through for a hint.
    let names: Vec<String> = entries
        .take(10_000)
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    // A misspelling, not a name that merely contains another (`nope.csv` is no `e.csv`).
    let name = name.to_string_lossy();
    let near = |candidate: &str| {
        crate::suggest::edit_distance(&name, candidate) <= (name.chars().count() / 3).max(1)
    };
    let closest = crate::suggest::closest(&name, names.iter().map(String::as_str), 3);
    match closest.into_iter().find(|candidate| near(candidate)) {
        Some(found) => Error::io_message(
            path,
            format!(
                "cannot read {}: no such file; did you mean {}?",
                path.display(),
                folder.join(found).display()
            ),
        ),
        None => plain,
    }
}

/// `text` without a byte-order mark at its start, which no editor shows: places on the first
/// line are then counted as the user sees them (`1:1`, not `1:2`).
pub fn without_byte_order_mark(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}
