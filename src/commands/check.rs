//! `ipneeds check [FILES...]`: validate data files, reporting every problem with file:line.

use super::{Context, Outcome};
use crate::catalog::Catalog;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::profile::questionnaire::Questionnaire;
use crate::profile::rows::ProfileReader;
use crate::scoring::Scorer;
use std::path::Path;

/// What a file turned out to be.
#[derive(Clone, Copy)]
enum FileKind {
    Catalog,
    Questionnaire,
    Answers,
    Profiles,
    Synonyms,
}

pub fn run(context: &Context, args: &CheckArgs) -> Result<Outcome> {
    let mut problems: Vec<String> = Vec::new();
    let mut checked: Vec<String> = Vec::new();
    // A file that could not be read at all: exit 3 (as every command), after the report.
    let mut unreadable: Option<String> = None;
    let mut report = |error: Error, problems: &mut Vec<String>| match error {
        Error::Many(many) => problems.extend(many.iter().map(ToString::to_string)),
        Error::Io { path, message } => {
            unreadable.get_or_insert(path);
            problems.push(message);
        }
        error => problems.push(error.to_string()),
    };
    let questionnaire = match context.questionnaire() {
        Ok(q) => Some(q),
        Err(error) => {
            report(error, &mut problems);
            if let Some(path) = context.questionnaire_path() {
                checked.push(path.display().to_string());
            }
            None
        }
    };
    if args.files.is_empty() {
        checked.push(context.catalog.origin.clone());
        checked.push(context.catalog.synonyms.origin.clone());
        if let Some(questionnaire) = &questionnaire {
            checked.push(questionnaire.origin.clone());
            problems.extend(cross_check(&context.catalog, questionnaire)?);
        }
    }
    for path in &args.files {
        checked.push(path.display().to_string());
        match check_file(context, path, questionnaire.as_ref()) {
            Ok(found) => problems.extend(found),
            Err(error) => report(error, &mut problems),
        }
    }
    for problem in &problems {
        stderr_line!("{}", crate::report::style::sanitize(problem));
    }
    let summary = format!("{} problem(s) in {}", problems.len(), checked.join(", "));
    if let Some(path) = unreadable {
        return Err(Error::Io {
            message: format!("{summary}; {path} could not be read"),
            path,
        });
    }
    if problems.is_empty() {
        stderr_line!("ok: {} checked, no problems", checked.join(", "));
        Ok(Outcome::Success)
    } else {
        stderr_line!("{summary}");
        Ok(Outcome::SomeRejected)
    }
}

/// What a YAML map is, told by its top-level keys: a key only that kind of file has, or else a
/// near spelling of the key it must have. A questionnaire whose `sections:` was typed
/// `section:` was read as answers, every key then an "unknown field" and its typo never named.
fn kind_of(map: &serde_json::Map<String, serde_json::Value>) -> FileKind {
    const KINDS: [(&str, &[&str], FileKind); 3] = [
        ("programs", &["programs"], FileKind::Catalog),
        (
            "sections",
            &["sections", "needs", "scoring"],
            FileKind::Questionnaire,
        ),
        (
            "synonyms",
            &["synonyms", "generic_words"],
            FileKind::Synonyms,
        ),
    ];
    let keys = || map.keys().map(|k| k.trim().to_lowercase());
    for (_, own, kind) in KINDS {
        if keys().any(|k| own.contains(&k.as_str())) {
            return kind;
        }
    }
    for (main, _, kind) in KINDS {
        if keys().any(|k| crate::suggest::edit_distance(&k, main) <= 2) {
            return kind;
        }
    }
    FileKind::Answers
}

fn check_file(
    context: &Context,
    path: &Path,
    questionnaire: Option<&Questionnaire>,
) -> Result<Vec<String>> {
    let origin = path.display().to_string();
    let is_profiles = (path.extension()).is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        || crate::profile::spreadsheet::is_workbook(path);
    // A YAML file is read once, and its kind told by its top-level keys.
    let (kind, text) = if is_profiles {
        (FileKind::Profiles, String::new())
    } else {
        let text = crate::io::input::read_text(path, &crate::io::limits::FILE_BYTES)?;
        let value: serde_json::Value = crate::io::yaml::parse(&text, &origin).or_else(|e| {
            if text.trim().is_empty() {
                Ok(serde_json::Value::Null)
            } else {
                Err(e)
            }
        })?;
        let kind = match &value {
            serde_json::Value::Object(map) => kind_of(map),
            // Read as `score` reads it; but an empty catalog or questionnaire is a mistake to
            // hear of, not an "ok".
            serde_json::Value::Null => {
                super::warn(&format!("{origin}: the file has nothing but blank lines or comments: read as an answers file with no answers (a catalog, questionnaire or synonyms file needs its content)"));
                FileKind::Answers
            }
            _ => FileKind::Answers,
        };
        (kind, text)
    };
    let Some(questionnaire) = questionnaire else {
        return Ok(Vec::new());
    };
    match kind {
        FileKind::Catalog => {
            let catalog = Catalog::from_yaml(&text, &origin)?;
            cross_check(&catalog, questionnaire)
        }
        FileKind::Synonyms => {
            let synonyms = crate::catalog::synonyms::Synonyms::from_yaml(&text, &origin)?;
            let scorer = Scorer::new(&context.catalog, questionnaire)?;
            synonyms_outside_catalog(&scorer, &synonyms, &context.catalog.origin)
        }
        FileKind::Questionnaire => {
            let checked = Questionnaire::from_yaml(&text, &origin)?;
            cross_check(&context.catalog, &checked)
        }
        FileKind::Answers => {
            let mut parsed = crate::profile::answers::parse(&text, &origin, questionnaire)?;
            if parsed.profile.get(crate::profile::COUNTRY).is_some() {
                parsed.prefill(questionnaire, context.countries()?, context.as_of);
            }
            let mut found: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
            found.extend(parsed.version_warning.clone());
            for warning in super::score::unasked_warnings(questionnaire, &parsed, &origin) {
                super::warn(&warning);
            }
            Ok(found)
        }
        FileKind::Profiles => {
            let countries = context.countries()?;
            let mut reader = ProfileReader::open(path, None, questionnaire)?;
            let mut found = reader.unknown_columns.clone();
            while let Some(row) = reader.next_row() {
                for warning in reader.take_warnings() {
                    super::warn(&warning);
                }
                let mut row = row?;
                found.extend(row.problems.iter().map(ToString::to_string));
                if let Err(message) = row.profile.prefill(questionnaire, countries, context.as_of) {
                    let problem = row.profile.country_problem(row.country_location, message);
                    found.push(problem.to_string());
                }
            }
            // A sheet's warnings come before its first row: a sheet with none has them here.
            for warning in reader.take_warnings() {
                super::warn(&warning);
            }
            Ok(found)
        }
    }
}

/// Needs that match no program can never raise a score: say so.
fn cross_check(catalog: &Catalog, questionnaire: &Questionnaire) -> Result<Vec<String>> {
    let scorer = Scorer::new(catalog, questionnaire)?;
    let mut problems = Vec::new();
    for need in &questionnaire.needs {
        let terms = crate::catalog::index::CatalogIndex::terms(&need.text);
        let relevance = scorer.index().relevance(&terms)?;
        if relevance.iter().all(|&r| r <= 0.0) {
            problems.push(format!(
                "{}: need `{}` matches no program of {}: rewrite its text in the catalog's words",
                questionnaire.origin, need.id, catalog.origin
            ));
        }
    }
    // The built-in vocabulary is checked against the built-in catalog by the tests; against
    // a catalog of the user's own, its missing words are no fault of the user's files.
    if !catalog.synonyms.is_builtin() {
        problems.extend(synonyms_outside_catalog(
            &scorer,
            &catalog.synonyms,
            &catalog.origin,
        )?);
    }
    Ok(problems)
}

/// Every word of a synonym's `means` that the catalog does not hold: a search adds it and
/// finds nothing with it, and free text gets nothing from it, so the entry silently does less
/// than its author meant.
fn synonyms_outside_catalog(
    scorer: &Scorer,
    synonyms: &crate::catalog::synonyms::Synonyms,
    catalog_origin: &str,
) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for entry in &synonyms.entries {
        for (_, word) in crate::catalog::words::words(&entry.means) {
            let mut outside = false;
            for term in crate::catalog::index::CatalogIndex::terms(word) {
                outside |= !scorer.in_vocabulary(&term)?;
            }
            if outside {
                let key = entry.words.first().map_or("", String::as_str);
                problems.push(format!(
                    "{}: `{word}` in the `means` of `{key}` is not a word of {catalog_origin}: a search adds it and finds nothing with it; use the catalog's own words (`ipneeds programs --format json` shows them)",
                    entry.means_at
                ));
            }
        }
    }
    Ok(problems)
}
