//! The format of a command's output, from `--format` or the output file's name: `-o
//! results.xlsx` writes a workbook, and `--format xlsx -o results.csv` (a zip named .csv) is
//! refused. A name that says nothing (`.txt`, no extension, `-`) leaves the default.

use crate::cli::{BatchFormat, Command, ListFormat, ReportFormat, TemplateFormat};
use crate::error::{Error, Result};
use crate::io::output::{folder_not_file, names_a_folder};
use clap::ValueEnum;
use std::path::Path;

/// What a file's name says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Csv,
    Json,
    JsonLines,
    Markdown,
    Html,
    Workbook,
    Yaml,
    /// Spreadsheets of other kinds than a workbook (.xlsx): none is written.
    OtherSpreadsheet,
    /// Documents: none is written (a planner who wants a PDF prints the HTML page).
    Document,
    /// Tab-separated text: none is written (CSV is comma-separated, and every spreadsheet
    /// opens it).
    TabSeparated,
}

impl Named {
    fn of(path: &Path) -> Option<Named> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "csv" => Named::Csv,
            "json" => Named::Json,
            "jsonl" | "ndjson" => Named::JsonLines,
            "md" | "markdown" => Named::Markdown,
            "html" | "htm" => Named::Html,
            "xlsx" => Named::Workbook,
            "yaml" | "yml" => Named::Yaml,
            "xls" | "xlsm" | "xlsb" | "ods" | "numbers" => Named::OtherSpreadsheet,
            "pdf" | "doc" | "docx" | "odt" | "rtf" => Named::Document,
            "tsv" | "tab" => Named::TabSeparated,
            _ => return None,
        })
    }

    fn words(self) -> &'static str {
        match self {
            Named::Csv => "CSV",
            Named::Json => "JSON",
            Named::JsonLines => "JSON Lines",
            Named::Markdown => "markdown",
            Named::Html => "an HTML page",
            Named::Workbook => "a workbook",
            Named::Yaml => "YAML",
            Named::OtherSpreadsheet => "a spreadsheet other than .xlsx",
            Named::Document => "a document (PDF, Word, OpenDocument)",
            Named::TabSeparated => "tab-separated text",
        }
    }
}

/// One format of a command: what its output is (`None`: plain text, any name does) and the
/// extension to suggest for it.
type Entry<F> = (F, Option<Named>, &'static str);

const SCORE: &[Entry<ReportFormat>] = &[
    (ReportFormat::Table, None, "txt"),
    (ReportFormat::Json, Some(Named::Json), "json"),
    (ReportFormat::Markdown, Some(Named::Markdown), "md"),
    (ReportFormat::Html, Some(Named::Html), "html"),
    (ReportFormat::Xlsx, Some(Named::Workbook), "xlsx"),
];

const BATCH: &[Entry<BatchFormat>] = &[
    (BatchFormat::Csv, Some(Named::Csv), "csv"),
    (BatchFormat::Jsonl, Some(Named::JsonLines), "jsonl"),
    (BatchFormat::Json, Some(Named::Json), "json"),
    (BatchFormat::Html, Some(Named::Html), "html"),
    (BatchFormat::Xlsx, Some(Named::Workbook), "xlsx"),
];

const LIST: &[Entry<ListFormat>] = &[
    (ListFormat::Table, None, "txt"),
    (ListFormat::Json, Some(Named::Json), "json"),
];

const TEMPLATE: &[Entry<TemplateFormat>] = &[
    (TemplateFormat::Csv, Some(Named::Csv), "csv"),
    (TemplateFormat::Yaml, Some(Named::Yaml), "yaml"),
    (TemplateFormat::Xlsform, Some(Named::Workbook), "xlsx"),
    (TemplateFormat::XlsformMd, Some(Named::Markdown), "md"),
];

/// Sets the format of `score`, `batch` and `template` before they run. An output that is one
/// of the inputs (`data_files`, or the command's own) is refused first, as the command would:
/// that is the mistake to tell of, not the name.
pub fn resolve(command: &mut Command, data_files: &[&Path]) -> Result<()> {
    let refuse_input = |input: Option<&Path>, output: Option<&Path>| {
        let mut inputs = data_files.to_vec();
        inputs.extend(input);
        crate::io::output::check_outputs(&inputs, &[output])
    };
    match command {
        Command::Score(args) => {
            refuse_input(Some(&args.answers), Some(super::standard_or(&args.output)))?;
            args.format = choose("score", SCORE, args.format_given, args.output.as_deref())?;
        }
        Command::Batch(args) => {
            // Rejected rows in the middle of the results: neither could be read.
            let standard_output = |path: Option<&Path>| path.is_none_or(|p| p == Path::new("-"));
            if args.errors.as_deref() == Some(Path::new("-"))
                && standard_output(args.output.as_deref())
            {
                return Err(Error::usage(
                    "--errors -: the rejected rows would go to standard output with the results: give --errors a file (--errors errors.csv), or the results one (-o results.csv)",
                ));
            }
            // Each output that is an input, or another output, is the mistake to tell of first.
            let mut inputs = data_files.to_vec();
            inputs.push(&args.input);
            crate::io::output::check_outputs(&inputs, &args.outputs())?;
            args.format = choose("batch", BATCH, args.format_given, args.output.as_deref())?;
            // An option of another format would be ignored: say so rather than run without it.
            let format = args.format.to_possible_value();
            let format = format
                .as_ref()
                .map_or("csv", clap::builder::PossibleValue::get_name);
            let json = matches!(args.format, BatchFormat::Json | BatchFormat::Jsonl);
            if args.detail == crate::cli::Detail::Full && !json {
                return Err(Error::usage(format!(
                    "--detail full is for JSON and JSONL output, and this run writes {format}: drop --detail, or add --format jsonl"
                )));
            }
            if args.bom && args.format != BatchFormat::Csv && args.errors.is_none() {
                return Err(Error::usage(format!(
                    "--bom is for CSV output (the results or --errors), and this run writes {format}: drop --bom (a workbook, -o results.xlsx, opens in Excel as it is)"
                )));
            }
            // The rejected rows are CSV, the summary plain text, whatever the file's name.
            let side_files = [
                (args.errors.as_deref(), "--errors", Some(Named::Csv), "csv"),
                (args.summary.as_deref(), "--summary", None, "txt"),
            ];
            for (path, option, writes, extension) in side_files {
                if let Some(folder) = path.filter(|p| names_a_folder(p)) {
                    let example = format!("{}.{extension}", &option[2..]);
                    return Err(folder_not_file(folder, &example));
                }
                let Some((path, named)) = path.and_then(|p| Some((p, Named::of(p)?))) else {
                    continue;
                };
                if Some(named) != writes {
                    return Err(Error::usage(format!(
                        "{}: the name says {}, but {option} writes {}: name the file {}",
                        path.display(),
                        named.words(),
                        writes.map_or("plain text", Named::words),
                        path.with_extension(extension).display()
                    )));
                }
            }
        }
        Command::Template(args) => {
            refuse_input(None, args.output.as_deref())?;
            let output = args.output.as_deref();
            args.format = choose("template", TEMPLATE, args.format_given, output)?;
        }
        Command::Search(args) => {
            refuse_input(None, args.output.as_deref())?;
            args.format = choose("search", LIST, args.format_given, args.output.as_deref())?;
        }
        Command::Programs(args) => {
            refuse_input(None, args.output.as_deref())?;
            args.format = choose("programs", LIST, args.format_given, args.output.as_deref())?;
        }
        Command::Eval(args) => {
            let output = args.output.as_deref();
            refuse_input(Some(&args.profiles), output)?;
            refuse_input(Some(&args.expected), output)?;
            args.format = choose("eval", LIST, args.format_given, output)?;
        }
        // The report is a page whatever its name: a name that says otherwise is refused.
        Command::Interview(args) => {
            let report = args.report.as_deref();
            refuse_input(args.resume.as_deref(), report)?;
            let named_files = [
                (report, "report.html"),
                (args.save.as_deref(), "answers.yaml"),
            ];
            for (path, example) in named_files {
                if let Some(folder) = path.filter(|p| names_a_folder(p)) {
                    return Err(folder_not_file(folder, example));
                }
            }
            if let Some((path, named)) = report.and_then(|p| Some((p, Named::of(p)?))) {
                if named != Named::Html {
                    return Err(Error::usage(format!(
                        "{}: the name says {}, but --report writes an HTML page: name the file {}",
                        path.display(),
                        named.words(),
                        path.with_extension("html").display()
                    )));
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// `given`, or the format `output`'s name gives, or the command's first format (its default);
/// a name that says another format than `given`, or one the command lacks, is refused.
fn choose<F: ValueEnum + Copy + PartialEq>(
    command: &str,
    formats: &[Entry<F>],
    given: Option<F>,
    output: Option<&Path>,
) -> Result<F> {
    let name = |format: F| {
        format
            .to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    };
    let Some(&(default, _, default_extension)) = formats.first() else {
        return Err(Error::internal(format!("`{command}` has no formats")));
    };
    let extension_of =
        |format: F| (formats.iter().find(|(f, ..)| *f == format)).map_or("txt", |e| e.2);
    if let Some(folder) = output.filter(|p| names_a_folder(p)) {
        let example = format!("results.{}", extension_of(given.unwrap_or(default)));
        return Err(folder_not_file(folder, &example));
    }
    let Some((path, named)) = output
        .filter(|p| *p != Path::new("-"))
        .and_then(|p| Some((p, Named::of(p)?)))
    else {
        return Ok(given.unwrap_or(default));
    };
    let matching = formats.iter().find(|(_, n, _)| *n == Some(named));
    match (given, matching) {
        (None, Some(&(format, ..))) => Ok(format),
        (Some(format), Some(&(matching, ..))) if format == matching => Ok(format),
        (Some(format), _) => {
            let extension = extension_of(format);
            let instead = matching.map_or_else(String::new, |&(m, ..)| {
                format!(", or choose --format {}", name(m))
            });
            Err(Error::usage(format!(
                "{}: the name says {}, but --format {} writes something else: name the file {}{instead}",
                path.display(),
                named.words(),
                name(format),
                path.with_extension(extension).display(),
            )))
        }
        (None, None) => {
            let names: Vec<String> = formats.iter().map(|&(f, ..)| name(f)).collect();
            // A PDF is the HTML page printed: say how, where the page is one of the formats.
            let has_page = formats.iter().any(|&(_, n, _)| n == Some(Named::Html));
            let printed = if named == Named::Document && has_page {
                format!(
                    "; for a PDF, write the page (-o {}) and print it from the browser to PDF",
                    path.with_extension("html").display()
                )
            } else {
                String::new()
            };
            Err(Error::usage(format!(
                "{}: the name says {}, which `{command}` does not write: choose --format {} and name the file to match (e.g. {}){printed}",
                path.display(),
                named.words(),
                names.join("|"),
                path.with_extension(default_extension).display(),
            )))
        }
    }
}

#[cfg(test)]
mod tests;
