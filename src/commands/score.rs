//! `ipneeds score ANSWERS.yaml`: one country's ranked, explained programs.

use super::{standard_or, write_json, Context, Outcome};
use crate::cli::{ReportFormat, ScoreArgs};
use crate::error::Result;
use crate::io::output::Destination;
use crate::io::quote::printable;
use crate::profile::answers::AnswersFile;
use crate::profile::questionnaire::{QuestionType, Questionnaire};
use crate::profile::{Profile, Value};
use crate::report::CountryReport;
use crate::scoring::Scorer;
use std::io::Write;

pub fn run(context: &Context, args: &ScoreArgs) -> Result<Outcome> {
    let questionnaire = context.questionnaire()?;
    let mut inputs = context.input_files();
    inputs.push(&args.answers);
    crate::io::output::check_outputs(&inputs, &[Some(standard_or(&args.output))])?;
    super::warn_if_open_in_a_spreadsheet(args.output.as_deref());
    if args.format == ReportFormat::Xlsx {
        let output = args.output.as_deref();
        super::batch::refuse_workbook_on_terminal(output, WORKBOOK_NOT_TEXT)?;
        if let Some(output) = output {
            crate::report::workbook::refuse_to_replace_work(output, args.force, &context.catalog)?;
        }
    }
    let parsed = read_answers(context, &questionnaire, &args.answers)?;
    let scorer = Scorer::new(&context.catalog, &questionnaire)?;
    super::check::warn_of_needs_off_catalog(&scorer, &context.catalog, &questionnaire)?;
    let source = crate::io::input::origin(&args.answers);
    for warning in needs_matching_nothing(&scorer, &parsed.profile, &source)? {
        super::warn(&warning);
    }
    for warning in texts_matching_nothing(&scorer, &parsed.profile, &source)? {
        super::warn(&warning);
    }
    write_report(
        context,
        &scorer,
        &parsed.profile,
        args.format,
        args.top,
        args.output.as_deref(),
        &source,
    )?;
    Ok(Outcome::Success)
}

/// What `score --format xlsx` says on a terminal: the text format `score` has is the table.
const WORKBOOK_NOT_TEXT: &str = "a workbook is not text: write it to a file with `-o results.xlsx` (or choose --format table to read the results here)";

/// The needs the answers raise whose text matches no program of the catalog (a questionnaire
/// edited without `check`): each adds to no score, which the report alone would not show.
fn needs_matching_nothing(
    scorer: &Scorer,
    profile: &crate::profile::Profile,
    origin: &str,
) -> Result<Vec<String>> {
    let programs = scorer.catalog.programs.len();
    Ok((scorer.raised_needs(profile)?.into_iter())
        .filter_map(|raised| raised.need)
        .filter(|&need| (0..programs).all(|program| scorer.need_share(need, program) == 0.0))
        .filter_map(|need| scorer.questionnaire.needs.get(need))
        .map(|need| {
            format!(
                "{origin}: the answers raise the need `{}` ({}), but its text matches no program of {}, so it adds to no score: write the need's text in the catalog's words (`ipneeds check` names such needs)",
                need.id, need.label, scorer.catalog.origin
            )
        })
        .collect())
}

/// The free-text answers that add to no score: none of their words is a catalog word that
/// names a need (a slip, "Lack of legistlation"; a text in a language the catalog is not read
/// in). The report alone showed every program at 0 as if nothing had been written.
pub(super) fn texts_matching_nothing(
    scorer: &Scorer,
    profile: &crate::profile::Profile,
    origin: &str,
) -> Result<Vec<String>> {
    let texts: Vec<(&str, &str)> = (scorer.questionnaire.questions.iter())
        .filter(|q| q.kind == QuestionType::Text && q.id != crate::profile::COUNTRY)
        .filter_map(|q| match profile.get(&q.id) {
            Some(Value::Text(text)) if !text.trim().is_empty() => {
                Some((q.id.as_str(), text.as_str()))
            }
            _ => None,
        })
        .collect();
    if texts.is_empty() {
        return Ok(Vec::new());
    }
    let results = scorer.score(profile, false)?;
    let mut warnings = Vec::new();
    for (question, text) in texts {
        let counts = (results.iter().flat_map(|r| &r.reasons))
            .any(|reason| reason.need == question && reason.points > 0.0);
        if counts {
            continue;
        }
        let suggestions = scorer.spelling_suggestions(text)?;
        let hint = if suggestions.is_empty() {
            String::new()
        } else {
            let shown: Vec<String> = (suggestions.iter().take(5))
                .map(|(word, near)| format!("`{near}` for `{}`", printable(word, 60)))
                .collect();
            format!(" (did you mean {}?)", shown.join(", "))
        };
        warnings.push(format!(
            "{origin}: the answer to `{question}` holds no word of the catalog that names a need{hint}, so it adds to no score: write the needs in the catalog's words (`ipneeds search WORD` tells whether it knows a word)"
        ));
    }
    Ok(warnings)
}

/// Reads, validates and prefills an answers file; every problem is reported at once.
pub fn read_answers(
    context: &Context,
    questionnaire: &Questionnaire,
    path: &std::path::Path,
) -> Result<AnswersFile> {
    // `-` on a terminal waits for typing: say so, or the run looks hung.
    if path == std::path::Path::new("-") && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        stderr_line!("reading answers (YAML) from the terminal: type or paste them, then Ctrl-D on an empty line");
    }
    let text = crate::profile::answers::read_text(path)?;
    let origin = crate::io::input::origin(path);
    let mut parsed = crate::profile::answers::parse(&text, &origin, questionnaire)?;
    if parsed.profile.answers.is_empty() && parsed.problems.is_empty() {
        super::warn(&format!("{origin}: the file has no answers, so every program scores 0: write one to fill in with `ipneeds template --format yaml`, or answer the questions with `ipneeds interview`"));
    }
    if parsed.profile.get(crate::profile::COUNTRY).is_some() {
        parsed.prefill(questionnaire, context.countries()?, context.as_of);
    }
    if !parsed.problems.is_empty() {
        if let Some(warning) = &parsed.version_warning {
            super::warn(warning);
        }
        return Err(crate::profile::problems_error(&parsed.problems));
    }
    for warning in answers_warnings(questionnaire, &parsed, &origin) {
        super::warn(&warning);
    }
    Ok(parsed)
}

/// The warnings on an answers file (answers the interview would not ask beside the others,
/// a questionnaire version that differs), in the file's order, as a person reads it down.
pub fn answers_warnings(
    questionnaire: &Questionnaire,
    answers: &crate::profile::answers::AnswersFile,
    origin: &str,
) -> Vec<String> {
    let mut warnings = unasked_warnings(questionnaire, answers, origin);
    warnings.extend(answers.version_warning.clone());
    warnings.sort_by_key(|warning| place_in(origin, warning));
    warnings
}

/// The line and column of a warning that starts `ORIGIN:LINE:COLUMN: `, for sorting (0, 0
/// when it names no place).
fn place_in(origin: &str, warning: &str) -> (u64, u64) {
    let mut numbers = (warning.strip_prefix(origin))
        .and_then(|rest| rest.strip_prefix(':'))
        .unwrap_or_default()
        .split(':')
        .map(|n| n.parse().unwrap_or(0));
    (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0))
}

/// Answers the interview would not have asked beside the others (scored as given), each at
/// its `file:line:column`.
fn unasked_warnings(
    questionnaire: &Questionnaire,
    answers: &crate::profile::answers::AnswersFile,
    origin: &str,
) -> Vec<String> {
    (crate::scoring::answers::unasked_answers(questionnaire, &answers.profile).into_iter())
        .map(|(id, asked_when)| {
            let at = answers.locations.get(&id).map_or(origin, String::as_str);
            format!("{at}: `{id}` is answered, but the interview asks it only when {asked_when}: check which answer is right (it is scored as given)")
        })
        .collect()
}

/// Programs the table shows unless `--top` says otherwise (as `score --help` says).
const TABLE_TOP: usize = 5;

/// Scores `profile` (read from `source`) and writes the report in `format`.
pub fn write_report(
    context: &Context,
    scorer: &Scorer,
    profile: &Profile,
    format: ReportFormat,
    top: Option<usize>,
    output: Option<&std::path::Path>,
    source: &str,
) -> Result<()> {
    let questionnaire = scorer.questionnaire;
    // Explain (and look up catalog lines for) only the programs the output shows.
    let shown = match format {
        ReportFormat::Table => top.unwrap_or(TABLE_TOP),
        // The page shows every program, and explains each one it recommends: with fewer
        // explained, the cards past `--top` had no reasons.
        ReportFormat::Html => usize::MAX,
        _ => top.unwrap_or(usize::MAX),
    };
    if let (ReportFormat::Html, Some(_)) = (format, top) {
        super::warn("--top is not used by the HTML report: it shows every program, and recommends those scoring 30 or more (at least three)");
    }
    let results = scorer.score_explaining(profile, shown, usize::MAX, true)?;
    // The table serves only to look up the profile's country: without one, it is not read.
    let country = profile.get(crate::profile::COUNTRY);
    let countries = match country {
        Some(_) => Some(context.countries()?),
        None => None,
    };
    let report = CountryReport {
        catalog: &context.catalog,
        questionnaire,
        profile,
        results: &results,
        countries,
        as_of: context.as_of.to_string(),
    };
    // Measured now, not at the start: an interview's window may have been resized meanwhile.
    let style = output.map_or(context.style.resized(), |_| {
        crate::report::style::Style::plain()
    });
    let mut out = Destination::create(output)?;
    match format {
        ReportFormat::Json => write_json(&mut out, &report.json(top)?)?,
        ReportFormat::Table => write!(out, "{}", report.table(shown, style))?,
        ReportFormat::Markdown => write!(out, "{}", report.markdown(top.unwrap_or(results.len())))?,
        ReportFormat::Html => {
            let today = crate::profile::date::Date::today().to_string();
            write!(
                out,
                "{}",
                crate::report::html::country_report(&report, &today)
            )?
        }
        ReportFormat::Xlsx => {
            // The same sheets as a batch of one: the answers file's name is the row's id.
            let id = std::path::Path::new(source)
                .file_stem()
                .map_or_else(|| source.to_string(), |s| s.to_string_lossy().into_owned());
            let country = country.map(|v| v.to_text()).unwrap_or_default();
            // (No country is found for an empty name: the table indexes no empty key.)
            let found = countries.and_then(|c| c.lookup(&country).ok());
            let region = found.map_or_else(String::new, |c| c.region.clone());
            let shown = shown.min(results.len());
            let mut book = crate::report::workbook::Writer::new(&context.catalog, shown)?;
            book.add(
                &crate::report::workbook::Row::new(&id, &country, &region, &results, shown)
                    .named(found.map(|c| c.name.as_str())),
            )?;
            let about = crate::report::workbook::About {
                input: source,
                as_of: context.as_of.to_string(),
                countries: countries.map_or("", |table| table.origin_for_readers()),
                questionnaire_id: &questionnaire.id,
                questionnaire_version: &questionnaire.version,
                scored: 1,
                not_scored: &Default::default(),
            };
            book.finish(&about, &mut out)?;
        }
    }
    out.finish()
}
