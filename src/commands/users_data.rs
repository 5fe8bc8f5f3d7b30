//! Refuses, before any work, to write a run's output over a file of the user's own data: a
//! workbook, a table of profiles, an answers file, or one of the data files ipneeds reads.
//! ipneeds never writes such a file as an output, so one found where an output goes is a
//! slip of the name (`-o profiles.csv` for `-o results.csv`), and replacing it would lose
//! what a person typed. Found by a hostile test: `batch p.csv -o Book` replaced a workbook
//! named without `.xlsx`, and `-o filled-2023.csv` a filled-in table of profiles. A results
//! workbook ipneeds wrote is checked apart ([`crate::report::workbook::refuse_to_replace_work`]).

use super::Context;
use crate::error::{Error, Result};
use std::io::Read;
use std::path::Path;

/// One file a run writes: its path, and whether it gets a results workbook (whose own check
/// tells a workbook ipneeds wrote from the user's).
pub(super) struct Written<'a> {
    pub path: &'a Path,
    pub workbook: bool,
}

/// Whether a command can be told to replace such a file (`--force`), and if so whether it was.
#[derive(Clone, Copy)]
pub(super) enum Force {
    Given,
    NotGiven,
    /// The command has no `--force`.
    NotOffered,
}

/// How much of an existing file is read to tell what it holds: a header line or the first
/// keys of a YAML file are within it.
const SNIFFED_BYTES: u64 = 64 * 1024;

/// Refuses the first of `outputs` that already holds data of the user's (see the module).
pub(super) fn refuse_to_replace(
    outputs: &[Written],
    force: Force,
    context: &Context,
) -> Result<()> {
    if matches!(force, Force::Given) {
        return Ok(());
    }
    for output in outputs.iter().filter(|o| o.path != Path::new("-")) {
        let Some(held) = held_in(output, context) else {
            continue;
        };
        let fix = match force {
            Force::NotGiven => "write to another file (-o), or add --force to replace it",
            _ => "write to another file, or, if nothing in it is yours to keep, delete it first",
        };
        return Err(Error::usage(format!(
            "{}: the file exists and holds {held}, which this run's output would replace: {fix}",
            output.path.display()
        )));
    }
    Ok(())
}

/// What user data an existing output file holds, in words; `None` for no file, an empty one,
/// or one that is none of the kinds ipneeds reads (earlier results are replaced).
fn held_in(output: &Written, context: &Context) -> Option<String> {
    let metadata = std::fs::metadata(output.path).ok()?;
    if !metadata.is_file() || metadata.len() == 0 {
        return None;
    }
    let mut start = Vec::new();
    (std::fs::File::open(output.path).ok()?)
        .take(SNIFFED_BYTES)
        .read_to_end(&mut start)
        .ok()?;
    const ZIP: &[u8] = b"PK\x03\x04";
    const OFFICE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if start.starts_with(ZIP) || start.starts_with(OFFICE) {
        return (!output.workbook)
            .then(|| "a workbook or another document (a spreadsheet or office file)".to_string());
    }
    // ipneeds refuses to read UTF-16, but a table saved so is still the user's: its header,
    // ASCII in practice, reads once the zero bytes and the byte-order mark are dropped.
    let text = match ascii_of_utf16(&start) {
        Some(ascii) => std::borrow::Cow::Owned(ascii),
        None => String::from_utf8_lossy(start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&start)),
    };
    let questionnaire = context.questionnaire().ok();
    let is_field = |key: &str| {
        questionnaire
            .as_ref()
            .is_some_and(|q| q.question(key).is_some())
    };
    if let Some(file) = crate::io::yaml::data_file_kind(&text, is_field) {
        return Some(file.kind.to_string());
    }
    let keys: Vec<&str> = crate::io::yaml::top_level_keys(&text)
        .filter(|key| is_field(key))
        .collect();
    if let [first, second, ..] = keys.as_slice() {
        return Some(format!("answers (`{first}:`, `{second}:` …)"));
    }
    table_held(&text, &is_field)
}

/// The ASCII characters of UTF-16 text, as the CSV reader tells it; `None` for other text.
fn ascii_of_utf16(bytes: &[u8]) -> Option<String> {
    use crate::profile::rows::Utf16Sign;
    let skipped = match crate::profile::rows::utf16_sign(bytes)? {
        Utf16Sign::ByteOrderMark => 2,
        Utf16Sign::NulBytes { .. } => 0,
    };
    Some(
        (bytes.iter().skip(skipped))
            .filter(|b| b.is_ascii() && **b != 0)
            .map(|&b| char::from(b))
            .collect(),
    )
}

/// How many non-empty lines are read for a table's header: a title row, or Excel's `sep=;`
/// line, can stand above it.
const HEADER_LINES: usize = 20;

/// What a table's header says it holds, when it is one ipneeds reads: profiles (a plain table
/// or a survey export, whose headings carry the group: `context/country`), grades or
/// countries. The header is the first line of two cells or more, lines of one cell above it
/// (a title, `sep=;`) passed over; a table of one column is one of profiles when that column
/// is a field. ipneeds's own results (`rank1_program`) are not user data.
fn table_held(text: &str, is_field: &dyn Fn(&str) -> bool) -> Option<String> {
    let names_field = |name: &str| {
        let key = crate::profile::rows::field_key(name);
        is_field(&key) || crate::profile::survey_export::grouped_question(name, is_field).is_some()
    };
    for line in (text.lines().map(str::trim))
        .filter(|line| !line.is_empty())
        .take(HEADER_LINES)
    {
        let delimiter = [',', ';', '\t']
            .into_iter()
            .max_by_key(|d| line.matches(*d).count())?;
        let names: Vec<String> = (line.split(delimiter))
            .map(|cell| cell.trim().trim_matches('"').trim().to_lowercase())
            .filter(|name| !name.is_empty())
            .collect();
        if let [only] = names.as_slice() {
            if names_field(only) {
                return Some(format!(
                    "a table of profiles (its header names the field `{only}`)"
                ));
            }
            continue;
        }
        if names
            .iter()
            .any(|name| crate::profile::rows::is_results_heading(name))
        {
            return None;
        }
        let fields: Vec<&String> = names.iter().filter(|name| names_field(name)).collect();
        match fields.as_slice() {
            [first, second, ..] => {
                return Some(format!(
                    "a table of profiles (its header names the fields `{first}`, `{second}` …)"
                ))
            }
            [only] => {
                return Some(format!(
                    "a table of profiles (its header names the field `{only}`)"
                ))
            }
            [] => {}
        }
        let named = |wanted: &[&str]| wanted.iter().all(|w| names.iter().any(|n| n == w));
        if named(&["id", "program", "grade"]) {
            return Some("a table of grades (`id`, `program`, `grade`)".to_string());
        }
        if named(&["iso3", "ldc_listing"]) {
            return Some("a country table (`iso3`, `ldc_listing`)".to_string());
        }
        return None;
    }
    None
}
