//! `ipneeds batch INPUT.csv`: many countries at once, streamed in chunks, scored in parallel,
//! written in input order.

use super::{Context, Outcome};
use crate::cli::{BatchArgs, BatchFormat};
use crate::countries::Countries;
use crate::error::Result;
use crate::output::Destination;
use crate::profile::Problem;
use crate::profile_csv::{CsvRow, ProfileReader};
use crate::questionnaire::Questionnaire;
use crate::report::{prefilled_fields, profile_json, program_json, round1};
use crate::scoring::{ProgramScore, Scorer};
use crate::summary::Summary;
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Rows read before scoring them in parallel: bounds memory whatever the file's size.
const CHUNK_ROWS: usize = 2048;

/// One row's outcome.
struct Scored {
    row: CsvRow,
    region: Option<String>,
    results: Vec<ProgramScore>,
}

pub fn run(context: &Context, args: &BatchArgs) -> Result<Outcome> {
    let questionnaire = context.questionnaire()?;
    let countries = context.countries()?;
    crate::output::refuse_overwriting_input(&args.input, args.output.as_deref())?;
    crate::output::refuse_overwriting_input(&args.input, args.errors.as_deref())?;
    let scorer = Scorer::new(&context.catalog, &questionnaire)?;
    let mut reader = ProfileReader::open(&args.input, args.delimiter, &questionnaire)?;
    for warning in &reader.unknown_columns {
        eprintln!("warning: {warning}");
    }
    let top = args
        .top
        .unwrap_or(context.catalog.programs.len())
        .min(context.catalog.programs.len());
    let mut out = Destination::create(args.output.as_deref())?;
    let mut errors = match &args.errors {
        Some(path) => Some(ErrorsFile::create(path)?),
        None => None,
    };
    let mut writer = RowWriter::new(args.format, top, &context.catalog, &questionnaire);
    writer.start(&mut out)?;
    let mut summary = Summary::new(context.catalog.programs.len());
    let progress = Progress::new(&args.input);
    let (mut scored_rows, mut rejected_rows) = (0u64, 0u64);
    loop {
        let mut chunk: Vec<CsvRow> = Vec::with_capacity(CHUNK_ROWS);
        while chunk.len() < CHUNK_ROWS {
            match reader.next_row() {
                None => break,
                Some(row) => chunk.push(row?),
            }
        }
        if chunk.is_empty() {
            break;
        }
        let snippets = args.format != BatchFormat::Csv;
        let outcomes: Vec<std::result::Result<Scored, CsvRow>> = chunk
            .into_par_iter()
            .map(|row| score_row(row, &scorer, &questionnaire, &countries, context, snippets))
            .collect();
        for outcome in outcomes {
            match outcome {
                Ok(scored) => {
                    summary.add(scored.region.as_deref(), &scored.results);
                    writer.write(&mut out, &scored)?;
                    scored_rows += 1;
                }
                Err(row) => {
                    rejected_rows += 1;
                    for problem in &row.problems {
                        progress
                            .println(&format!("rejected row {} ({}): {problem}", row.row, row.id));
                    }
                    if let Some(errors) = &mut errors {
                        errors.write(&row)?;
                    }
                    if args.strict {
                        progress.finish();
                        // Dropping `out` without finishing discards the temporary file.
                        drop(out);
                        eprintln!("--strict: stopped at the first bad row; nothing was written");
                        return Ok(Outcome::SomeRejected);
                    }
                }
            }
        }
        progress.update(scored_rows + rejected_rows, reader.byte_position());
    }
    progress.finish();
    writer.end(&mut out)?;
    out.finish()?;
    if let Some(errors) = errors {
        errors.finish()?;
    }
    if let Some(path) = &args.summary {
        let text = summary.render(&context.catalog, context.style.width);
        if path.as_os_str() == "-" {
            eprintln!("\n{text}");
        } else {
            crate::output::write_file_atomically(path, &text)?;
        }
    }
    eprintln!(
        "{scored_rows} row(s) scored, {rejected_rows} rejected{}",
        if rejected_rows > 0 && args.errors.is_none() {
            " (use --errors FILE to keep the list)"
        } else {
            ""
        }
    );
    Ok(if rejected_rows > 0 {
        Outcome::SomeRejected
    } else {
        Outcome::Success
    })
}

/// Prefills and scores one row; a row with problems comes back as `Err`.
fn score_row(
    mut row: CsvRow,
    scorer: &Scorer,
    questionnaire: &Questionnaire,
    countries: &Countries,
    context: &Context,
    snippets: bool,
) -> std::result::Result<Scored, CsvRow> {
    if let Err(message) = row.profile.prefill(questionnaire, countries, context.as_of) {
        let value = row
            .profile
            .get("country")
            .map(|v| v.to_text())
            .unwrap_or_default();
        row.problems.push(Problem {
            location: format!("{}: column `country`", row.location),
            field: "country".into(),
            value,
            message,
        });
    }
    if !row.problems.is_empty() {
        return Err(row);
    }
    let region = match row.profile.get("country") {
        Some(country) => countries
            .lookup(&country.to_text())
            .ok()
            .map(|c| c.region.clone()),
        None => None,
    };
    match scorer.score(&row.profile, snippets) {
        Ok(results) => Ok(Scored {
            row,
            region,
            results,
        }),
        Err(error) => {
            row.problems.push(Problem {
                location: row.location.clone(),
                field: String::new(),
                value: String::new(),
                message: error.to_string(),
            });
            Err(row)
        }
    }
}

/// Neutralises a CSV cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR).
pub fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{text}")),
        _ => std::borrow::Cow::Borrowed(text),
    }
}

/// Writes scored rows in the chosen format.
struct RowWriter<'a> {
    format: BatchFormat,
    top: usize,
    catalog: &'a crate::catalog::Catalog,
    questionnaire: &'a Questionnaire,
    first: bool,
    record: Vec<String>,
}

impl<'a> RowWriter<'a> {
    fn new(
        format: BatchFormat,
        top: usize,
        catalog: &'a crate::catalog::Catalog,
        questionnaire: &'a Questionnaire,
    ) -> Self {
        RowWriter {
            format,
            top,
            catalog,
            questionnaire,
            first: true,
            record: Vec::new(),
        }
    }

    fn start(&mut self, out: &mut Destination) -> Result<()> {
        match self.format {
            BatchFormat::Csv => {
                let mut header = vec!["id".to_string(), "country".to_string()];
                for rank in 1..=self.top {
                    header.push(format!("rank{rank}_program"));
                    header.push(format!("rank{rank}_score"));
                }
                header.push("top_reasons".to_string());
                write_csv_record(out, &header)?;
            }
            BatchFormat::Json => out.write_all(b"[\n")?,
            BatchFormat::Jsonl => {}
        }
        Ok(())
    }

    fn write(&mut self, out: &mut Destination, scored: &Scored) -> Result<()> {
        let country = scored
            .row
            .profile
            .get("country")
            .map(|v| v.to_text())
            .unwrap_or_default();
        match self.format {
            BatchFormat::Csv => {
                self.record.clear();
                self.record.push(safe_cell(&scored.row.id).into_owned());
                self.record.push(safe_cell(&country).into_owned());
                for result in scored.results.iter().take(self.top) {
                    let id = self
                        .catalog
                        .programs
                        .get(result.program)
                        .map_or("", |p| p.id.as_str());
                    self.record.push(id.to_string());
                    self.record.push(format!("{:.1}", round1(result.score)));
                }
                self.record
                    .push(safe_cell(&reasons_cell(self.catalog, &scored.results)).into_owned());
                write_csv_record(out, &self.record)?;
            }
            BatchFormat::Jsonl | BatchFormat::Json => {
                let object = serde_json::json!({
                    "row": scored.row.row,
                    "id": scored.row.id,
                    "country": if country.is_empty() { serde_json::Value::Null } else { country.into() },
                    "profile": profile_json(&scored.row.profile, self.questionnaire),
                    "prefilled": prefilled_fields(&scored.row.profile),
                    "programs": scored.results.iter().take(self.top).map(|r| program_json(self.catalog, r)).collect::<Vec<_>>(),
                });
                if self.format == BatchFormat::Json && !self.first {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *out, &object).map_err(std::io::Error::from)?;
                if self.format == BatchFormat::Jsonl {
                    out.write_all(b"\n")?;
                }
            }
        }
        self.first = false;
        Ok(())
    }

    fn end(&mut self, out: &mut Destination) -> Result<()> {
        if self.format == BatchFormat::Json {
            out.write_all(if self.first { b"]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

/// The top three programs' main reasons, readable in one cell.
fn reasons_cell(catalog: &crate::catalog::Catalog, results: &[ProgramScore]) -> String {
    results
        .iter()
        .take(3)
        .filter(|r| !r.reasons.is_empty())
        .filter_map(|result| {
            let id = &catalog.programs.get(result.program)?.id;
            let reasons: Vec<String> = result
                .reasons
                .iter()
                .take(2)
                .map(|r| format!("{} ({})", r.label, crate::report::answers_text(r)))
                .collect();
            Some(format!("{id}: {}", reasons.join("; ")).replace(['\n', '\r'], " "))
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// One CSV record, quoted as needed.
fn write_csv_record(out: &mut Destination, cells: &[String]) -> Result<()> {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(cell);
        }
    }
    line.push('\n');
    out.write_all(line.as_bytes())?;
    Ok(())
}

/// The `--errors` CSV: row, id, column, value, message.
struct ErrorsFile {
    destination: Destination,
}

impl ErrorsFile {
    fn create(path: &Path) -> Result<ErrorsFile> {
        let mut destination = Destination::create(Some(path))?;
        write_csv_record(
            &mut destination,
            &["row", "id", "column", "value", "message"].map(String::from),
        )?;
        Ok(ErrorsFile { destination })
    }

    fn write(&mut self, row: &CsvRow) -> Result<()> {
        for problem in &row.problems {
            let cells = [
                row.row.to_string(),
                safe_cell(&row.id).into_owned(),
                safe_cell(&problem.field).into_owned(),
                safe_cell(&problem.value).into_owned(),
                safe_cell(&problem.message).into_owned(),
            ];
            write_csv_record(&mut self.destination, &cells)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        self.destination.finish()
    }
}

/// A progress bar on stderr, only when it is a terminal.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(input: &Path) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let size = std::fs::metadata(input)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let bar = match size {
            Some(bytes) => {
                let bar = indicatif::ProgressBar::new(bytes);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:30} {percent:>3}% {msg} · {binary_bytes_per_sec} · {eta} left",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar
            }
            None => indicatif::ProgressBar::new_spinner(),
        };
        Progress { bar: Some(bar) }
    }

    fn update(&self, rows: u64, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{rows} rows"));
        }
    }

    fn println(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
