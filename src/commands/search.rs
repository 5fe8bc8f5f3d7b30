//! `ipneeds search QUERY...`: keyword search of the catalog.

use super::{write_json, Outcome};
use crate::catalog::index::{CatalogIndex, SearchOutcome};
use crate::catalog::Catalog;
use crate::cli::{ListFormat, SearchArgs};
use crate::error::Result;
use crate::io::output::Destination;
use crate::io::quote::{printable, sanitize};
use crate::report::json::Highlight;
use crate::report::style::Style;
use crate::report::table::Table;
use serde_json::json;
use std::io::Write;

pub fn run(catalog: &Catalog, args: &SearchArgs, style: Style) -> Result<Outcome> {
    let query = args.query.join(" ");
    let index = CatalogIndex::build(catalog)?;
    let outcome = index.search(catalog, &query, args.top)?;
    for warning in &outcome.warnings {
        stderr_line!("hint: {}", sanitize(warning));
    }
    if let Some(respelt) = &outcome.retried_as {
        if outcome.matched_as_typed {
            let unknown: Vec<String> = (outcome.suggestions.iter())
                .map(|(word, near)| format!("`{}` (read as `{near}`)", printable(word, 60)))
                .collect();
            stderr_line!(
                "no program's text has {}; showing the results for `{}`",
                unknown.join(", "),
                printable(respelt, 200)
            );
        } else {
            stderr_line!(
                "no program matches `{}` as typed; showing the results for `{}`",
                printable(&query, 200),
                printable(respelt, 200)
            );
        }
    }
    for (word, means) in &outcome.synonyms {
        stderr_line!(
            "note: `{}` also searched as the catalog's words: {}",
            printable(word, 60),
            printable(means, 200)
        );
    }
    let style = args.output.as_ref().map_or(style, |_| Style::plain());
    let mut out = Destination::create(args.output.as_deref())?;
    match args.format {
        ListFormat::Json => write_json(&mut out, &hits_json(catalog, &outcome))?,
        ListFormat::Table => write_table(&mut out, catalog, &outcome, style)?,
    }
    if outcome.hits.is_empty() {
        stderr_line!("{}", no_hits_message(&query, &outcome));
    }
    out.finish()?;
    Ok(Outcome::Success)
}

fn no_hits_message(query: &str, outcome: &SearchOutcome) -> String {
    let mut message = format!("no program matches `{}`", printable(query, 200));
    // A wildcard is read as part of the word: say so rather than suggest a near spelling.
    if query.contains(['*', '?']) {
        message.push_str(": `*` and `?` are not wildcards here; a word already finds its other forms (`examiner` finds examiners): search with the whole word");
    } else if outcome.suggestions.is_empty() {
        message.push_str(": try other or fewer words (`ipneeds programs` lists the catalog)");
    } else {
        let suggestions: Vec<String> = outcome
            .suggestions
            .iter()
            .map(|(word, near)| format!("`{near}` for `{}`", printable(word, 60)))
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
                "highlights": hit.snippet.as_ref().map(|s| s.highlights.iter().map(Highlight::from).collect::<Vec<_>>()),
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
    let mut table = Table::new(&["#", "program", "match", "best match"])
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
