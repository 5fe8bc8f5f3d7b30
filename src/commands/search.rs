//! `ipneeds search QUERY...`: keyword search of the catalog.

use super::{stdout, Outcome};
use crate::catalog::Catalog;
use crate::cli::{ListFormat, SearchArgs};
use crate::error::{Error, Result};
use crate::index::{CatalogIndex, SearchOutcome};
use crate::style::Style;
use crate::table::Table;
use serde_json::json;
use std::io::Write;

pub fn run(catalog: &Catalog, args: &SearchArgs, style: Style) -> Result<Outcome> {
    let query = args.query.join(" ");
    check_query(&query)?;
    let index = CatalogIndex::build(catalog)?;
    let outcome = index.search(catalog, &query, args.top)?;
    for warning in &outcome.warnings {
        eprintln!("hint: {warning}");
    }
    let mut out = stdout();
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &hits_json(catalog, &outcome))
                .map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        ListFormat::Table => write_table(&mut out, catalog, &outcome, style)?,
    }
    if outcome.hits.is_empty() {
        eprintln!("{}", no_hits_message(&query, &outcome));
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// Bracket levels a query may nest.
const MAX_NESTING: usize = 32;

/// Rejects what cannot be a query, before any work.
fn check_query(query: &str) -> Result<()> {
    if query.trim().is_empty() {
        return Err(Error::invalid(
            "the query is empty: give one or more words, e.g. `ipneeds search patent information`",
        ));
    }
    // tantivy's query parser recurses once per nesting level: deep nesting would overflow
    // the stack, and no real query needs more than a few levels.
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for c in query.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    if deepest > MAX_NESTING {
        return Err(Error::invalid(format!(
            "the query nests brackets {deepest} levels deep; the limit is {MAX_NESTING}: remove the extra `(`"
        )));
    }
    let length = query.chars().count();
    if length > crate::limits::MAX_QUERY_CHARS {
        return Err(Error::invalid(format!(
            "the query is {length} characters long; the limit is {}: search with fewer, more specific words",
            crate::limits::MAX_QUERY_CHARS
        )));
    }
    Ok(())
}

fn no_hits_message(query: &str, outcome: &SearchOutcome) -> String {
    let mut message = format!(
        "no program matches `{}`",
        crate::style::printable(query, 200)
    );
    if outcome.suggestions.is_empty() {
        message.push_str(": try other or fewer words (`ipneeds programs` lists the catalog)");
    } else {
        let suggestions: Vec<String> = outcome
            .suggestions
            .iter()
            .map(|(word, near)| format!("`{near}` for `{}`", crate::style::printable(word, 60)))
            .collect();
        message.push_str(&format!("; did you mean {}?", suggestions.join(", ")));
    }
    message
}

fn hits_json(catalog: &Catalog, outcome: &SearchOutcome) -> serde_json::Value {
    let hits: Vec<serde_json::Value> = outcome
        .hits
        .iter()
        .filter_map(|hit| {
            let program = catalog.programs.get(hit.program)?;
            Some(json!({
                "id": program.id,
                "number": program.number,
                "title": program.title,
                "score": round(hit.score),
                "snippet": hit.snippet.as_ref().map(|s| s.text.clone()),
                "snippet_field": hit.snippet.as_ref().map(|s| s.field.clone()),
                "highlights": hit.snippet.as_ref().map(|s| s.highlights.iter().map(|h| [h.start, h.end]).collect::<Vec<_>>()),
            }))
        })
        .collect();
    serde_json::Value::Array(hits)
}

fn write_table(
    out: &mut impl Write,
    catalog: &Catalog,
    outcome: &SearchOutcome,
    style: Style,
) -> Result<()> {
    if outcome.hits.is_empty() {
        return Ok(());
    }
    let mut table = Table::new(&["#", "program", "score", "best match"])
        .right_align(0)
        .right_align(2);
    for hit in &outcome.hits {
        let Some(program) = catalog.programs.get(hit.program) else {
            continue;
        };
        let best = match &hit.snippet {
            Some(snippet) => format!(
                "{} {}",
                style.dim(&format!("{}:", snippet.field)),
                style.highlight(&snippet.text, &snippet.highlights)
            ),
            None => String::new(),
        };
        table.push(vec![
            program.number.to_string(),
            program.id.clone(),
            format!("{:.2}", hit.score),
            best,
        ]);
    }
    write!(out, "{}", table.render(style.width))?;
    Ok(())
}

fn round(score: f32) -> f64 {
    (f64::from(score) * 1000.0).round() / 1000.0
}
