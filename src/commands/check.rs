//! `ipneeds check [FILES...]`: validate data files, reporting every problem with file:line.
//!
//! Files given together are checked together: a catalog, questionnaire, synonyms file or
//! country table among them stands in for the one in use, so `check programs.yaml
//! synonyms.yaml` checks those synonyms against that catalog, as `score --catalog
//! programs.yaml --synonyms synonyms.yaml` would use them.

use super::{Context, DataFile, Outcome};
use crate::catalog::synonyms::Synonyms;
use crate::catalog::Catalog;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::profile::countries::Countries;
use crate::profile::questionnaire::Questionnaire;
use crate::profile::rows::ProfileReader;
use crate::scoring::Scorer;
use std::path::Path;

/// What a file turned out to be.
#[derive(Clone, Copy, PartialEq)]
enum FileKind {
    Catalog,
    Questionnaire,
    Answers,
    Profiles,
    Synonyms,
    Countries,
}

/// A file read and told apart (the text of a YAML file or country table; a profiles table is
/// read row by row later).
struct Given<'p> {
    path: &'p Path,
    origin: String,
    kind: FileKind,
    text: String,
}

/// The problems found so far, and the first file that could not be read at all.
#[derive(Default)]
struct Findings {
    problems: Vec<String>,
    /// What was checked less than asked, and why: after the problems they refer to.
    notes: Vec<String>,
    unreadable: Option<String>,
}

impl Findings {
    /// Adds the problems of `error`, each once: a file read for two purposes (the country
    /// table for the questionnaire's prefill, then for the answers) fails twice alike.
    fn add(&mut self, error: Error) {
        let problems = match error {
            Error::Many(many) => many.iter().map(ToString::to_string).collect(),
            Error::Io { path, message } => {
                self.unreadable.get_or_insert(path);
                vec![message]
            }
            error => vec![error.to_string()],
        };
        for problem in problems {
            if !self.problems.contains(&problem) {
                self.problems.push(problem);
            }
        }
    }

    /// An error kept elsewhere, added to the findings as its lines.
    fn add_kept(&mut self, error: &Error) {
        let problems = match error {
            Error::Many(many) => many.iter().map(ToString::to_string).collect(),
            error => vec![error.to_string()],
        };
        self.problems.extend(problems);
    }

    /// The value, or its error added to the findings.
    fn keep<T>(&mut self, result: Result<T>) -> Option<T> {
        result.map_err(|error| self.add(error)).ok()
    }
}

pub fn run(context: &Context, args: &CheckArgs) -> Result<Outcome> {
    let workbooks = (args.files.iter()).any(|f| crate::profile::spreadsheet::is_workbook(f));
    if let (Some(sheet), false) = (&args.sheet, workbooks) {
        return Err(Error::usage(format!(
            "--sheet `{}` applies to workbooks of profiles (.xlsx, .xlsm, .xls, .ods), and none is given: drop --sheet, or give the workbook",
            crate::io::quote::printable(sheet, 60)
        )));
    }
    let mut found = Findings::default();
    // A `--catalog` or `--synonyms` file that could not be used: its problems are listed, and
    // the built-in one standing in for it checks nothing given.
    let refused_option = context.refused();
    if let Some((_, error)) = refused_option {
        found.add_kept(error);
    }
    let catalog_refused = refused_option.is_some_and(|(file, _)| file == DataFile::Catalog);
    let in_use = found.keep(context.questionnaire());
    // The files given with options were read (and so checked) before the command began.
    let mut checked: Vec<String> = match args.files.is_empty() {
        true => Vec::new(),
        false => (context.input_files().iter())
            .map(|path| path.display().to_string())
            .collect(),
    };
    if in_use.is_none() && args.files.is_empty() {
        checked.extend(
            context
                .questionnaire_path()
                .map(|p| p.display().to_string()),
        );
    }
    let mut files = Vec::new();
    // The kinds of the files that could not be read: they stand in for the ones in use too,
    // so the files checked with them are not checked against the built-in ones instead.
    let mut refused: Vec<FileKind> = (refused_option.into_iter())
        .map(|(file, _)| match file {
            DataFile::Catalog => FileKind::Catalog,
            DataFile::Synonyms => FileKind::Synonyms,
        })
        .collect();
    for path in &args.files {
        checked.push(path.display().to_string());
        if let Some(error) = not_a_saved_file(path) {
            found.add(error);
            continue;
        }
        match read(path, in_use.as_ref()) {
            Ok(given) => files.push(given),
            Err(error) => {
                found.add(error);
                refused.extend(kind_of_unreadable(path, in_use.as_ref()));
            }
        }
    }
    if args.files.is_empty() {
        let given =
            |path: &Option<std::path::PathBuf>| path.as_ref().map(|p| p.display().to_string());
        let (catalog, synonyms) = (&context.settings.catalog, &context.settings.synonyms);
        checked.push(given(catalog).unwrap_or_else(|| context.catalog.origin.clone()));
        checked.push(given(synonyms).unwrap_or_else(|| context.catalog.synonyms.origin.clone()));
        checked.extend(
            context
                .settings
                .countries
                .as_ref()
                .map(|p| p.display().to_string()),
        );
        if let (Some(questionnaire), true) = (&in_use, catalog_refused) {
            checked.push(questionnaire.origin.clone());
            found.notes.push(format!("{}: checked on its own, not against a catalog: the one given could not be used (see above)", questionnaire.origin));
        } else if let Some(questionnaire) = &in_use {
            checked.push(questionnaire.origin.clone());
            if !context.catalog.is_builtin() {
                (titles_alike(&context.catalog).iter()).for_each(|warning| super::warn(warning));
            }
            let problems = needs_against_catalog(&context.catalog, questionnaire)?;
            found.problems.extend(problems);
            // The built-in vocabulary is checked against the built-in catalog by the tests;
            // against a catalog of the user's own, its missing words are no fault of the
            // user's files.
            if !context.catalog.synonyms.is_builtin() {
                let problems =
                    synonyms_outside_catalog(&context.catalog.synonyms, &context.catalog)?;
                found.problems.extend(problems);
                found
                    .notes
                    .extend(nothing_kept_apart_note(&context.catalog.synonyms));
            } else {
                let note = builtin_words_note(&context.catalog.synonyms, &context.catalog)?;
                found.notes.extend(note);
            }
        }
    } else {
        let sheet = args.sheet.as_deref();
        check_together(
            context,
            &files,
            &refused,
            in_use.as_ref(),
            sheet,
            &mut found,
        )?;
    }
    for problem in &found.problems {
        // Labelled as the warnings are, and as the same problem is when a command stops on it.
        stderr_line!("error: {}", crate::io::quote::sanitize(problem));
    }
    for note in &found.notes {
        stderr_line!("note: {}", crate::io::quote::sanitize(note));
    }
    let summary = problems_summary(&found.problems, &checked);
    if let Some(path) = found.unreadable {
        return Err(Error::Io {
            message: format!("{summary}; {path} could not be read"),
            path,
        });
    }
    if found.problems.is_empty() {
        let checked = checked.join(", ");
        match super::warnings_printed() {
            0 => stderr_line!("ok: {checked} checked, no problems"),
            // Usable as they are, but a warning above may be a mistake to fix.
            1 => stderr_line!("ok: {checked} checked, no errors; read the warning above"),
            n => stderr_line!("ok: {checked} checked, no errors; read the {n} warnings above"),
        }
        Ok(Outcome::Success)
    } else {
        stderr_line!("{summary}");
        Ok(Outcome::SomeRejected)
    }
}

/// Checks `files` on their own, then with each other: each catalog, questionnaire, synonyms
/// file and country table given is used for the others in place of the one in use.
fn check_together(
    context: &Context,
    files: &[Given],
    refused: &[FileKind],
    in_use: Option<&Questionnaire>,
    sheet: Option<&str>,
    found: &mut Findings,
) -> Result<()> {
    let mut catalogs = Vec::new();
    let mut questionnaires = Vec::new();
    let mut vocabularies = Vec::new();
    let mut tables = Vec::new();
    for file in files {
        let (text, origin) = (&file.text, file.origin.as_str());
        match file.kind {
            FileKind::Catalog => catalogs.extend(found.keep(Catalog::from_yaml(text, origin))),
            FileKind::Questionnaire => {
                questionnaires.extend(found.keep(Questionnaire::from_yaml(text, origin)));
            }
            FileKind::Synonyms => {
                vocabularies.extend(found.keep(Synonyms::from_yaml(text, origin)))
            }
            FileKind::Countries => {
                tables.extend(found.keep(Countries::from_csv(text, origin).map_err(Error::from)));
            }
            FileKind::Answers | FileKind::Profiles => {}
        }
    }
    for questionnaire in &questionnaires {
        if let Some(warning) = questions_no_need_reads(questionnaire) {
            super::warn(&warning);
        }
    }
    for catalog in &catalogs {
        titles_alike(catalog)
            .iter()
            .for_each(|warning| super::warn(warning));
    }
    let given =
        |kind: FileKind| files.iter().any(|file| file.kind == kind) || refused.contains(&kind);
    let data_given = [
        FileKind::Catalog,
        FileKind::Questionnaire,
        FileKind::Synonyms,
        FileKind::Countries,
    ]
    .into_iter()
    .any(given);
    // A kind given but refused stands in for nothing: its own problems are reported, and the
    // files checked with it are not checked against the one in use instead.
    let catalogs: Vec<&Catalog> = match given(FileKind::Catalog) {
        true => catalogs.iter().collect(),
        false => vec![&context.catalog],
    };
    let questionnaires: Vec<&Questionnaire> = match given(FileKind::Questionnaire) {
        true => questionnaires.iter().collect(),
        false => in_use.into_iter().collect(),
    };
    let in_use_table;
    let tables: Vec<&Countries> = match given(FileKind::Countries) {
        true => tables.iter().collect(),
        false => {
            in_use_table = found.keep(context.countries());
            in_use_table.into_iter().collect()
        }
    };
    // The vocabulary in use goes with a catalog given alone when it is the user's own (the
    // built-in one names the built-in catalog's words).
    let vocabularies: Vec<&Synonyms> = match given(FileKind::Synonyms) {
        true => vocabularies.iter().collect(),
        false if context.catalog.synonyms.is_builtin() => {
            for catalog in &catalogs {
                let note = builtin_words_note(&context.catalog.synonyms, catalog)?;
                found.notes.extend(note);
            }
            Vec::new()
        }
        false => vec![&context.catalog.synonyms],
    };
    for vocabulary in &vocabularies {
        found.notes.extend(nothing_kept_apart_note(vocabulary));
    }
    if data_given {
        for catalog in &catalogs {
            if given(FileKind::Catalog) || given(FileKind::Questionnaire) {
                for questionnaire in &questionnaires {
                    found
                        .problems
                        .extend(needs_against_catalog(catalog, questionnaire)?);
                }
            }
            for vocabulary in &vocabularies {
                found
                    .problems
                    .extend(synonyms_outside_catalog(vocabulary, catalog)?);
            }
        }
        // The pair in use was checked when the questionnaire was loaded.
        if given(FileKind::Questionnaire) || given(FileKind::Countries) {
            for questionnaire in &questionnaires {
                for table in &tables {
                    let problems = crate::profile::prefill_problems(questionnaire, table);
                    found.problems.extend(problems);
                }
            }
        }
    }
    let origins = |kind: FileKind| -> Vec<&str> {
        (files.iter())
            .filter(|file| file.kind == kind)
            .map(|file| file.origin.as_str())
            .collect()
    };
    let mut alone = Vec::new();
    let unusable = "a catalog: the one given could not be used";
    if catalogs.is_empty() {
        alone.push((origins(FileKind::Synonyms), unusable));
        alone.push((origins(FileKind::Questionnaire), unusable));
    }
    if questionnaires.is_empty() {
        // No questionnaire given: the one in use failed with the country table given.
        let table_given = given(FileKind::Countries) || context.settings.countries.is_some();
        let why = match (given(FileKind::Questionnaire), table_given) {
            (true, _) => "a questionnaire: the one given could not be used",
            (false, true) => {
                "a questionnaire: the one in use could not be used with the country table given"
            }
            (false, false) => "a questionnaire: the one in use could not be used",
        };
        alone.push((origins(FileKind::Catalog), why));
    }
    for (origins, what) in alone.into_iter().filter(|(o, _)| !o.is_empty()) {
        found.notes.push(format!(
            "{}: checked on its own, not against {what} (see above)",
            origins.join(", ")
        ));
    }
    let readers = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Answers | FileKind::Profiles));
    if readers.clone().next().is_some() {
        let several = [
            (
                questionnaires.iter().map(|q| q.origin.as_str()).collect(),
                "questionnaire",
            ),
            (origins(FileKind::Countries), "country table"),
        ];
        for (origins, what) in several {
            let origins: Vec<&str> = origins;
            if let [first, _, ..] = origins.as_slice() {
                found.notes.push(format!(
                    "answers and profiles are read with {first}, the first {what} given"
                ));
            }
        }
    }
    for file in readers {
        let (Some(questionnaire), Some(table)) = (questionnaires.first(), tables.first()) else {
            found.problems.push(format!(
                "{}: not checked: there is no usable questionnaire or country table to read it with (see the problems above)",
                file.origin
            ));
            continue;
        };
        let problems = match file.kind {
            FileKind::Profiles => check_profiles(file.path, sheet, questionnaire, table, context),
            _ => check_answers(file, questionnaire, table, context),
        };
        if let Some(problems) = found.keep(problems) {
            found.problems.extend(problems);
        }
    }
    Ok(())
}

/// A pipe or a device given to check: its kind is told from its first bytes, then it is read
/// again to be checked, and a pipe's first bytes are gone by then (a false "ok", or a hang on a
/// named pipe; `/dev/zero` was read without end).
fn not_a_saved_file(path: &Path) -> Option<Error> {
    let kind = std::fs::metadata(path).ok()?.file_type();
    (!kind.is_file() && !kind.is_dir()).then(|| {
        Error::input(
            crate::error::Location::File(path.display().to_string()),
            "is a pipe or a device, not a saved file: `check` reads a file more than once; save it to a file (`… > answers.yaml`) and check that file",
        )
    })
}

/// The kind of a file that could not be read or parsed, told from its lines as far as they go.
fn kind_of_unreadable(path: &Path, in_use: Option<&Questionnaire>) -> Option<FileKind> {
    if crate::profile::countries::is_country_table(path) {
        return Some(FileKind::Countries);
    }
    let bytes = crate::io::input::read_bytes(path, &crate::io::limits::FILE_BYTES, "").ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let is_question = |key: &str| in_use.is_some_and(|q| q.question(key).is_some());
    let file = crate::io::yaml::data_file_kind(&text, is_question)?;
    match file.option {
        "--catalog" => Some(FileKind::Catalog),
        "--questionnaire" => Some(FileKind::Questionnaire),
        "--synonyms" => Some(FileKind::Synonyms),
        _ => None,
    }
}

/// Reads `path` and tells its kind: a YAML file by its top-level keys, a CSV by its header.
fn read<'p>(path: &'p Path, in_use: Option<&Questionnaire>) -> Result<Given<'p>> {
    let origin = path.display().to_string();
    let is_csv = (path.extension()).is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if crate::profile::spreadsheet::is_workbook(path) {
        return Ok(Given {
            path,
            origin,
            kind: FileKind::Profiles,
            text: String::new(),
        });
    }
    // A profiles table is read by the profile reader (its encodings, its limits); only a
    // country table's text is read here.
    // A country table under another name (`countries.txt`) is told by its header too.
    let country_table = crate::profile::countries::is_country_table(path);
    if is_csv && !country_table {
        return Ok(Given {
            path,
            origin,
            kind: FileKind::Profiles,
            text: String::new(),
        });
    }
    if country_table {
        let text = crate::io::input::read_table_text(path, &crate::io::limits::FILE_BYTES)?;
        return Ok(Given {
            path,
            origin,
            kind: FileKind::Countries,
            text,
        });
    }
    let text = crate::io::input::read_text(path, &crate::io::limits::FILE_BYTES)?;
    let value: serde_json::Value = crate::io::yaml::parse(&text, &origin).or_else(|e| {
        if text.trim().is_empty() {
            Ok(serde_json::Value::Null)
        } else {
            Err(e)
        }
    })?;
    let kind = match &value {
        // A key that is a question's id makes an answers file, whatever stray key it has
        // (`program: …` is no catalog).
        serde_json::Value::Object(map)
            if map
                .keys()
                .any(|key| in_use.is_some_and(|q| q.question(key).is_some())) =>
        {
            FileKind::Answers
        }
        // Read as `score` reads it; but an empty catalog or questionnaire is a mistake to
        // hear of, not an "ok".
        serde_json::Value::Object(map) if map.is_empty() => {
            super::warn(&format!("{origin}: the file is an empty map (`{{}}`): read as an answers file with no answers (a catalog, questionnaire or synonyms file needs its content)"));
            FileKind::Answers
        }
        serde_json::Value::Object(map) => kind_of(map),
        serde_json::Value::Null => {
            super::warn(&format!("{origin}: the file has nothing but blank lines or comments: read as an answers file with no answers (a catalog, questionnaire or synonyms file needs its content)"));
            FileKind::Answers
        }
        _ => FileKind::Answers,
    };
    Ok(Given {
        path,
        origin,
        kind,
        text,
    })
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

/// An answers file's problems, read as `score` reads it.
fn check_answers(
    file: &Given,
    questionnaire: &Questionnaire,
    countries: &Countries,
    context: &Context,
) -> Result<Vec<String>> {
    let mut parsed = crate::profile::answers::parse(&file.text, &file.origin, questionnaire)?;
    if parsed.profile.get(crate::profile::COUNTRY).is_some() {
        parsed.prefill(questionnaire, countries, context.as_of);
    }
    // Warned of as `score` warns of them: a file `score` takes is not a file `check` fails.
    for warning in super::score::answers_warnings(questionnaire, &parsed, &file.origin) {
        super::warn(&warning);
    }
    Ok(parsed.problems.iter().map(ToString::to_string).collect())
}

/// A profiles table's problems, row by row, read as `batch` reads it.
fn check_profiles(
    path: &Path,
    sheet: Option<&str>,
    questionnaire: &Questionnaire,
    countries: &Countries,
    context: &Context,
) -> Result<Vec<String>> {
    // `--sheet` names a sheet of the workbooks given, not of a CSV beside them.
    let sheet = sheet.filter(|_| crate::profile::spreadsheet::is_workbook(path));
    let mut reader = ProfileReader::open_sheet(path, None, sheet, questionnaire)?;
    // As `batch` takes it: a column of notes is a warning; a field's column misnamed, whose
    // answers would not be read, a problem.
    for warning in
        (reader.unknown_columns.iter()).filter(|column| !reader.misspelt_columns.contains(column))
    {
        super::warn(warning);
    }
    let mut found = reader.misspelt_columns.clone();
    let ask = crate::scoring::answers::AskConditions::new(questionnaire);
    let country = questionnaire.position(crate::profile::COUNTRY);
    let mut notices = super::batch::RowTally::default();
    while let Some(row) = reader.next_row() {
        for warning in reader.take_warnings() {
            super::warn(&warning);
        }
        let mut row = row?;
        let mut rejected = !row.problems.is_empty();
        found.extend(row.problems.iter().map(ToString::to_string));
        if let Err(message) = row.profile.prefill(questionnaire, countries, context.as_of) {
            let problem = row.profile.country_problem(row.country_location, message);
            found.push(problem.to_string());
            rejected = true;
        }
        let answers = crate::scoring::Answers::of(questionnaire, &row.profile);
        // As `batch` tells of the rows it scores: a rejected row's problems say enough.
        let notice = (!rejected)
            .then(|| super::batch::RowNotice::of(&answers, row.line, &ask, country))
            .flatten();
        if let Some(notice) = notice {
            notices.add(&notice);
        }
    }
    // A sheet's warnings come before its first row: a sheet with none has them here.
    for warning in reader.take_warnings() {
        super::warn(&warning);
    }
    for warning in notices.warnings(questionnaire, reader.parser()) {
        super::warn(&warning);
    }
    Ok(found)
}

/// Programs named alike, by title or short title (case, spaces and punctuation aside): the
/// reports would show two programs as one. A warning: a test catalog may copy a program.
fn titles_alike(catalog: &Catalog) -> Vec<String> {
    let programs = &catalog.programs;
    let mut warnings = Vec::new();
    for (kind, titles) in [
        (
            "title",
            programs
                .iter()
                .map(|p| p.title.as_str())
                .collect::<Vec<_>>(),
        ),
        (
            "short title",
            programs.iter().map(|p| p.short_title.as_str()).collect(),
        ),
    ] {
        let mut first: std::collections::HashMap<String, &str> = Default::default();
        for (program, title) in programs.iter().zip(titles) {
            match first.get(&as_words(title)) {
                Some(earlier) => warnings.push(format!(
                    "{}: programs `{earlier}` and `{}` have the same {kind} (`{}`): reports would name them alike; give each its own {kind}",
                    catalog.origin,
                    program.id,
                    crate::io::quote::printable(title, 80),
                )),
                None => {
                    first.insert(as_words(title), &program.id);
                }
            }
        }
    }
    warnings
}

/// Needs that match no program can never raise a score: say so. A program no need reaches can
/// only be raised by free text: warn of it.
fn needs_against_catalog(catalog: &Catalog, questionnaire: &Questionnaire) -> Result<Vec<String>> {
    let scorer = Scorer::new(catalog, questionnaire)?;
    let off = needs_off_catalog(&scorer, catalog, questionnaire)?;
    let mut problems = off.matching_nothing;
    // The built-in needs quote the built-in catalog: against a catalog of one's own, a word
    // of theirs it lacks was taken out of it (or never there), and the need leans on its
    // other words: worth a warning, while the user's own questionnaire is the user's to fix.
    match questionnaire.is_builtin() {
        true => off
            .words_outside
            .iter()
            .for_each(|warning| super::warn(warning)),
        false => problems.extend(off.words_outside),
    }
    // A catalog of one's own may leave programs out on purpose, so a warning, not a problem:
    // but a program deleted by mistake would pass every other check while its needs quietly
    // went to the programs left.
    let builtin = match catalog.is_builtin() {
        true => None,
        false => Some(Catalog::builtin()?),
    };
    let missing: Vec<String> = (builtin.iter().flat_map(|builtin| &builtin.programs))
        .filter(|program| !catalog.programs.iter().any(|p| p.id == program.id))
        .map(|program| format!("{} `{}`", program.number, program.id))
        .collect();
    if !missing.is_empty() {
        let (programs, them) = match missing.len() {
            1 => ("program", "it"),
            _ => ("programs", "them"),
        };
        super::warn(&format!(
            "{} lacks {programs} {} of the built-in catalog (the menu of options has {}): the needs that named {them} now go to the programs left; restore {them} if deleted by mistake",
            catalog.origin,
            missing.join(", "),
            builtin.map_or(0, |builtin| builtin.programs.len()),
        ));
    }
    // Legitimate in a questionnaire about a few programs, so a warning, not a problem.
    let unreached: Vec<String> = (catalog.programs.iter().enumerate())
        .filter(|&(position, _)| scorer.needs_of(position).is_empty())
        .map(|(_, program)| format!("{} `{}`", program.number, program.id))
        .collect();
    if !unreached.is_empty() {
        let (them, their, programs) = match unreached.len() {
            1 => ("it", "its", "program"),
            _ => ("them", "their", "programs"),
        };
        super::warn(&format!(
            "{}: no need matches {programs} {} of {}: no answer can raise {them}, only free text; add {their} words to a need's text if the questionnaire should",
            questionnaire.origin,
            unreached.join(", "),
            catalog.origin,
        ));
    }
    Ok(problems)
}

/// What a questionnaire's needs miss in a catalog, in messages.
pub(super) struct NeedsOffCatalog {
    /// Needs that match no program: no answer raising them can change a score.
    pub matching_nothing: Vec<String>,
    /// Needs with words the catalog lacks (a slip, a planner's word: a need's text is read
    /// without the synonyms): those words match nothing, and the need leans on its other
    /// words unseen. Not looked for in the built-in pair, which the tests hold to each other.
    pub words_outside: Vec<String>,
}

/// The needs of `questionnaire` that `catalog` does not fully hold (see [`NeedsOffCatalog`]).
pub(super) fn needs_off_catalog(
    scorer: &Scorer,
    catalog: &Catalog,
    questionnaire: &Questionnaire,
) -> Result<NeedsOffCatalog> {
    let vocabulary = match questionnaire.is_builtin() && catalog.is_builtin() {
        true => None,
        false => Some(scorer.index().vocabulary()?),
    };
    let mut off = NeedsOffCatalog {
        matching_nothing: Vec::new(),
        words_outside: Vec::new(),
    };
    for need in &questionnaire.needs {
        let terms = scorer.index().terms(&need.text);
        let relevance = scorer.index().relevance(&terms)?;
        if relevance.iter().all(|&r| r <= 0.0) {
            off.matching_nothing.push(format!(
                "{}: need `{}` matches no program of {}: rewrite its text in the catalog's words",
                need.text_at, need.id, catalog.origin
            ));
            continue;
        }
        let Some(vocabulary) = &vocabulary else {
            continue;
        };
        let mut outside: Vec<&str> = Vec::new();
        for word in words_outside(scorer.index(), &need.text, vocabulary) {
            if !outside.contains(&word) {
                outside.push(word);
            }
        }
        if !outside.is_empty() {
            let quoted: Vec<String> = outside.iter().map(|word| format!("`{word}`")).collect();
            let (are, match_nothing, them) = match outside.len() {
                1 => ("is not a word", "it matches nothing", "it"),
                _ => ("are not words", "they match nothing", "them"),
            };
            // A built-in need's word is missing because the catalog was edited.
            let fix = match questionnaire.is_builtin() {
                true => format!("keep {them} in the catalog, or give needs in the catalog's words with --questionnaire (a copy of questionnaires/ip-office-profile.yaml)"),
                false => "write the catalog's own words (`ipneeds search WORD` finds them)".to_string(),
            };
            off.words_outside.push(format!(
                "{}: need `{}`: {} {are} of {}, so {match_nothing}; {fix}",
                need.text_at,
                need.id,
                quoted.join(", "),
                catalog.origin
            ));
        }
    }
    Ok(off)
}

/// For a run that scores: with a catalog or questionnaire of the user's own, what `check`
/// would say of the needs against the catalog, as warnings (a misspelt word in a need's text
/// silently moved the scores).
pub(super) fn warn_of_needs_off_catalog(
    scorer: &Scorer,
    catalog: &Catalog,
    questionnaire: &Questionnaire,
) -> Result<()> {
    // The built-in pair is held together by the tests: nothing to read at every start.
    if questionnaire.is_builtin() && catalog.is_builtin() {
        return Ok(());
    }
    let off = needs_off_catalog(scorer, catalog, questionnaire)?;
    for message in off.matching_nothing.iter().chain(&off.words_outside) {
        super::warn(message);
    }
    Ok(())
}

/// Questions whose answers change no score: no need's rule reads them, and they are neither
/// the country (read for the prefill) nor free text read against the catalog. Legitimate as
/// context for the reports, so a warning, not a problem.
fn questions_no_need_reads(questionnaire: &Questionnaire) -> Option<String> {
    let read: std::collections::HashSet<&str> = (questionnaire.needs.iter())
        .flat_map(|need| &need.raised_by)
        .flat_map(|trigger| &trigger.when)
        .flat_map(|condition| condition.questions())
        .collect();
    let unread: Vec<String> = (questionnaire.questions.iter())
        .filter(|q| q.id != crate::profile::COUNTRY && q.catalog_match_weight.is_none())
        .filter(|q| !read.contains(q.id.as_str()))
        .map(|q| format!("`{}`", q.id))
        .collect();
    let (them, question, they_change) = match unread.len() {
        0 => return None,
        1 => ("it", "question", "its answer changes"),
        _ => ("them", "questions", "their answers change"),
    };
    Some(format!(
        "{}: no need's rule reads {question} {}: {they_change} no score; add a rule that reads {them} to a need's `raised_by`, or keep {them} as context for the reports",
        questionnaire.origin,
        unread.join(", ")
    ))
}

/// Every word of a synonym's `means` that the catalog does not hold: a search adds it and
/// finds nothing with it, and free text gets nothing from it, so the entry silently does less
/// than its author meant. And every key that is the catalog's own word or phrase as written,
/// unless its `means` repeats it: free text reads a key as its `means` instead of itself, so
/// the catalog's meaning would be lost (`backlog` keyed to enforcement sends "backlog" to
/// enforcement).
pub(super) fn synonyms_outside_catalog(
    synonyms: &Synonyms,
    catalog: &Catalog,
) -> Result<Vec<String>> {
    let mut problems: Vec<String> = (means_outside_catalog(synonyms, catalog)?.into_iter())
        .map(|(entry, word)| {
            let key = entry.words.first().map_or("", String::as_str);
            format!(
                "{}: `{word}` in the `means` of `{key}` is not a word of {}: a search adds it and finds nothing with it; use the catalog's own words (`ipneeds programs --format json` shows them)",
                entry.means_at, catalog.origin
            )
        })
        .collect();
    let lines = catalog_lines_as_words(catalog);
    for entry in &synonyms.entries {
        // A key its `means` repeats keeps its own meaning ("technology transfer").
        let means = format!(" {} ", as_words(&entry.means));
        for (key, key_at) in entry.words.iter().zip(&entry.words_at) {
            let key_words = as_words(key);
            // A one-word key in the singular or plural of a catalog word (`examiner`,
            // `backlogs`) takes that word's place in a text as surely as the word itself.
            let forms = std::iter::once(key_words.clone()).chain(
                (!key_words.is_empty() && !key_words.contains(' '))
                    .then(|| singular_and_plural(&key_words))
                    .into_iter()
                    .flatten(),
            );
            let in_catalog = forms
                .map(|form| format!(" {form} "))
                .filter(|form| !form.trim().is_empty() && !means.contains(form))
                .find(|form| lines.iter().any(|line| line.contains(form)));
            let Some(form) = in_catalog else {
                continue;
            };
            let form = form.trim();
            problems.push(match form == key_words {
                true => format!(
                    "{key_at}: this entry's key `{key}` (in its `words`) is written in {}: free text would read it as the entry's `means` only, and lose the catalog's own meaning; remove the key, or add it to `means`",
                    catalog.origin
                ),
                false => format!(
                    "{key_at}: this entry's key `{key}` (in its `words`) is the singular or plural of `{form}`, a word of {}: free text would read `{key}` as the entry's `means` only, and lose the catalog's own meaning; remove the key, or add `{form}` to `means`",
                    catalog.origin
                ),
            });
        }
    }
    Ok(problems)
}

/// Each word of a `means` the catalog does not hold, with its entry.
fn means_outside_catalog<'s>(
    synonyms: &'s Synonyms,
    catalog: &Catalog,
) -> Result<Vec<(&'s crate::catalog::synonyms::Synonym, &'s str)>> {
    // The catalog read with these synonyms' words kept apart, as searches with them read it.
    let catalog = Catalog {
        synonyms: synonyms.clone(),
        ..catalog.clone()
    };
    let index = crate::catalog::index::CatalogIndex::build(&catalog)?;
    let vocabulary = index.vocabulary()?;
    let mut outside = Vec::new();
    for entry in &synonyms.entries {
        outside.extend(
            words_outside(&index, &entry.means, &vocabulary)
                .into_iter()
                .map(|word| (entry, word)),
        );
    }
    Ok(outside)
}

/// The words of `text` the catalog does not hold (`vocabulary`: its analysed terms, by
/// `index`), in order.
fn words_outside<'t>(
    index: &crate::catalog::index::CatalogIndex,
    text: &'t str,
    vocabulary: &std::collections::HashSet<String>,
) -> Vec<&'t str> {
    (crate::catalog::words::words(text).map(|(_, word)| word))
        .filter(|word| {
            let terms = index.terms(word);
            terms.iter().any(|term| !vocabulary.contains(term))
        })
        .collect()
}

/// The built-in planners' words against a catalog of the user's own: what they name that the
/// catalog lacks is no fault of the user's files, but searches and free text using those words
/// find nothing with them; a note says how many, and the first (`None`: all are there).
fn builtin_words_note(synonyms: &Synonyms, catalog: &Catalog) -> Result<Option<String>> {
    if catalog.is_builtin() {
        return Ok(None);
    }
    let outside = means_outside_catalog(synonyms, catalog)?;
    Ok(outside.first().map(|(entry, word)| {
        format!(
            "{} was written for the built-in catalog: {} of the words it adds to searches are not in {} (the first, `{word}`, at {}), so they find nothing; to match your catalog, give planners' words of your own with --synonyms (a copy of data/synonyms.yaml, checked with `ipneeds check`)",
            synonyms.origin,
            outside.len(),
            catalog.origin,
            entry.means_at
        )
    }))
}

/// A synonyms file of one's own that keeps no word apart from its stem (a copy made before
/// `kept_apart` was data, or one that left it out) reads "accession" as "access" and
/// "industrial" as the creative "industries": legitimate, but rarely meant.
fn nothing_kept_apart_note(synonyms: &Synonyms) -> Option<String> {
    (synonyms.kept_apart.pairs().next().is_none() && !synonyms.is_builtin()).then(|| {
        format!(
            "{} keeps no word apart from its stem (no `kept_apart` words), so searches and free text read `accession` as `access` and `industrial` as `industries`; to keep them apart, copy the `kept_apart` section of data/synonyms.yaml into it",
            synonyms.origin
        )
    })
}

/// Every searchable line of the catalog as its words in lower case, one space apart and one
/// at each end (` reduction of backlog `), to find a key written in it.
fn catalog_lines_as_words(catalog: &Catalog) -> Vec<String> {
    let mut lines = Vec::new();
    for program in &catalog.programs {
        for field in crate::catalog::TEXT_FIELDS {
            for line in program.field_lines(field) {
                lines.push(format!(" {} ", as_words(line)));
            }
        }
    }
    lines
}

/// A word's other number as English writes it: `examiner` and `examiners`, `office` and
/// `offices`, `process` and `processes`, `policy` and `policies` (what a planner's key may differ
/// by from the catalog's word; not every inflection a stemmer merges, which would take in keys
/// of other meanings kept on purpose, such as `customs` or `legislators`).
fn singular_and_plural(word: &str) -> Vec<String> {
    let mut forms = vec![format!("{word}s"), format!("{word}es")];
    if let Some(stem) = word.strip_suffix('y') {
        forms.push(format!("{stem}ies"));
    }
    if let Some(stem) = word.strip_suffix("ies") {
        forms.push(format!("{stem}y"));
    }
    if let Some(stem) = word.strip_suffix("es") {
        forms.push(stem.to_string());
    }
    if let Some(stem) = word.strip_suffix('s') {
        forms.push(stem.to_string());
    }
    forms.retain(|form| form.len() > 1);
    forms
}

/// `text`'s words (as the analyser splits them) in lower case, one space apart.
fn as_words(text: &str) -> String {
    let words: Vec<String> = (crate::catalog::words::words(text))
        .map(|(_, word)| word.to_lowercase())
        .collect();
    words.join(" ")
}

/// "2 problem(s) in bp.csv; also checked, no problems: countries.csv": the files a problem
/// names, so that a clean file checked with them is not suspected. A problem that names no
/// file checked (a note about two files at once) keeps the plain list.
fn problems_summary(problems: &[String], checked: &[String]) -> String {
    let names = |problem: &str, file: &str| {
        (problem.strip_prefix(file)).is_some_and(|rest| rest.starts_with([':', ' ']))
    };
    let (with_problems, clean): (Vec<&String>, Vec<&String>) =
        (checked.iter()).partition(|file| problems.iter().any(|p| names(p, file)));
    let placed = problems
        .iter()
        .all(|p| checked.iter().any(|file| names(p, file)));
    let count = problems.len();
    match (placed, clean.is_empty()) {
        (true, false) => format!(
            "{count} problem(s) in {}; also checked, no problems: {}",
            join(&with_problems),
            join(&clean)
        ),
        _ => format!("{count} problem(s) in {}", checked.join(", ")),
    }
}

fn join(files: &[&String]) -> String {
    files
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
