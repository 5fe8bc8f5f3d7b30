//! `ipneeds template`: an empty profile to fill in, made from the questionnaire.

use super::{Context, Outcome};
use crate::cli::{TemplateArgs, TemplateFormat};
use crate::error::{Error, Result};
use crate::io::output::Destination;
use crate::profile::questionnaire::Questionnaire;
use std::io::Write;

pub fn run(context: &Context, args: &TemplateArgs) -> Result<Outcome> {
    crate::io::output::check_outputs(
        &context.input_files(),
        &[Some(super::standard_or(&args.output))],
    )?;
    let questionnaire = context.questionnaire()?;
    let bytes = match args.format {
        TemplateFormat::Csv => csv_template(&questionnaire),
        TemplateFormat::Yaml => yaml_template(&questionnaire).into_bytes(),
        TemplateFormat::Xlsform => {
            super::batch::refuse_workbook_on_terminal(
                args.output.as_deref(),
                "an XLSForm is a workbook, not text: write it to a file with `-o form.xlsx` (or use `--format xlsform-md` to read it here)",
            )?;
            crate::profile::xlsform::Form::new(&questionnaire)?.to_xlsx()?
        }
        TemplateFormat::XlsformMd => crate::profile::xlsform::Form::new(&questionnaire)?
            .to_markdown()
            .into_bytes(),
    };
    // A template is filled in where it lies: writing a fresh one over it would erase the
    // answers or edits made since (the same file again is harmless).
    if let (Some(path), false) = (args.output.as_deref(), args.force) {
        // Only a regular file holds edits (not /dev/stdout, a pipe); its size first, so that a
        // large file is not read to learn it differs.
        let existing = std::fs::metadata(path).ok().filter(|m| m.is_file());
        if let Some(metadata) = existing {
            // A workbook's size may differ a little with the time it was made, stored inside.
            let near = match args.format {
                TemplateFormat::Xlsform => metadata.len() <= 2 * bytes.len() as u64,
                _ => metadata.len() == bytes.len() as u64,
            };
            let same =
                near && std::fs::read(path).is_ok_and(|existing| same_template(&existing, &bytes));
            if !same {
                return Err(Error::Usage(format!(
                    "{}: the file already exists and differs from the template (it may hold answers or edits of yours): choose another name, or add --force to replace it",
                    path.display()
                )));
            }
        }
    }
    let mut out = Destination::create(args.output.as_deref())?;
    out.write_all(&bytes)?;
    out.finish()?;
    Ok(Outcome::Success)
}

/// Whether a file holds the template as written: the same bytes, or, for a workbook, the same
/// parts but for the time it was made (`docProps/core.xml`), so that the XLSForm written a
/// minute ago is not taken for one holding edits.
fn same_template(existing: &[u8], fresh: &[u8]) -> bool {
    if existing == fresh {
        return true;
    }
    let parts = |bytes: &[u8]| -> Option<Vec<(String, Vec<u8>)>> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
        let mut parts = Vec::new();
        for n in 0..archive.len() {
            let mut part = archive.by_index(n).ok()?;
            let name = part.name().unwrap_or_default().to_string();
            if name == "docProps/core.xml" {
                continue;
            }
            let mut content = Vec::new();
            std::io::Read::read_to_end(&mut part, &mut content).ok()?;
            parts.push((name, content));
        }
        Some(parts)
    };
    parts(existing).is_some_and(|existing| parts(fresh) == Some(existing))
}

/// `id` then every field, and one example row.
fn csv_template(questionnaire: &Questionnaire) -> Vec<u8> {
    let questions = &questionnaire.questions;
    let mut bytes = Vec::new();
    let header = std::iter::once("id".to_string()).chain(questions.iter().map(|q| q.id.clone()));
    crate::io::csv_cell::write_record(&mut bytes, &header.collect::<Vec<_>>());
    let example = std::iter::once(crate::profile::rows::TEMPLATE_EXAMPLE_ID.into())
        .chain(questions.iter().map(|q| q.example.clone()));
    crate::io::csv_cell::write_record(&mut bytes, &example.collect::<Vec<_>>());
    bytes
}

/// An answers file with every question as comments and an empty value.
pub fn yaml_template(questionnaire: &Questionnaire) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Answers to \"{}\" (ipneeds template). Fill in what you know and leave the rest empty:\n# an empty answer means unknown. Then: ipneeds score THIS-FILE.yaml\n",
        questionnaire.title.replace('"', "'")
    ));
    out.push_str(&crate::profile::answers::questionnaire_line(questionnaire));
    let mut section = String::new();
    for question in &questionnaire.questions {
        if question.section != section {
            section = question.section.clone();
            let title = questionnaire.section_title(&section);
            out.push_str(&format!("\n# ---- {title} ----\n"));
        }
        out.push('\n');
        for line in crate::report::style::wrap(&question.prompt, 96) {
            out.push_str(&format!("# {line}\n"));
        }
        out.push_str(&format!("# Answer: {}.\n", question.accepts()));
        if !question.when.is_empty() {
            let when: Vec<String> = question.when.iter().map(|c| c.describe()).collect();
            out.push_str(&format!("# Only when {}.\n", when.join(" and ")));
        }
        out.push_str(&format!("{}:\n", question.id));
    }
    out
}
