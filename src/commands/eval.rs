//! `ipneeds eval PROFILES.csv EXPECTED.csv`: ranking quality against graded cases.

use super::{stdout, Context, Outcome};
use crate::cli::{EvalArgs, ListFormat};
use crate::error::{Error, Result};
use crate::eval::{evaluate_case, read_expected, summarize, Summary, DEPTH, NO_GAP_LIMIT};
use crate::profile_csv::ProfileReader;
use crate::scoring::Scorer;
use crate::table::Table;
use std::io::Write;

pub fn run(context: &Context, args: &EvalArgs) -> Result<Outcome> {
    let summary = evaluate(context, &args.profiles, &args.expected)?;
    let mut out = stdout();
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &summary).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        ListFormat::Table => write!(out, "{}", render(&summary, context.style.width))?,
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// Scores every case and measures the rankings.
pub fn evaluate(
    context: &Context,
    profiles: &std::path::Path,
    expected: &std::path::Path,
) -> Result<Summary> {
    let questionnaire = context.questionnaire()?;
    let countries = context.countries()?;
    let ids: Vec<&str> = context
        .catalog
        .programs
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let expected = read_expected(expected, &ids)?;
    let scorer = Scorer::new(&context.catalog, &questionnaire)?;
    let mut reader = ProfileReader::open(profiles, None, &questionnaire)?;
    for warning in &reader.unknown_columns {
        eprintln!("warning: {warning}");
    }
    let mut cases = Vec::new();
    while let Some(row) = reader.next_row() {
        let mut row = row?;
        if let Err(message) = row
            .profile
            .prefill(&questionnaire, &countries, context.as_of)
        {
            row.problems.push(crate::profile::Problem {
                location: format!("{}: column `country`", row.location),
                field: "country".into(),
                value: String::new(),
                message,
            });
        }
        if !row.problems.is_empty() {
            return Err(Error::Many(
                row.problems.iter().map(ToString::to_string).collect(),
            ));
        }
        let results = scorer.score(&row.profile, false)?;
        let ranking: Vec<(String, f64)> = results
            .iter()
            .filter_map(|r| {
                context
                    .catalog
                    .programs
                    .get(r.program)
                    .map(|p| (p.id.clone(), r.score))
            })
            .collect();
        cases.push(evaluate_case(&row.id, &ranking, expected.get(&row.id)));
    }
    Ok(summarize(cases))
}

fn render(summary: &Summary, width: usize) -> String {
    let mut table = Table::new(&[
        "case",
        "nDCG@3",
        "essentials",
        &format!("top {DEPTH} (score)"),
    ]);
    for case in &summary.cases {
        let top: Vec<String> = case
            .top
            .iter()
            .map(|(id, s)| format!("{id} ({s:.0})"))
            .collect();
        let (ndcg, essentials) = match (case.ndcg, case.max_score) {
            (Some(n), _) => (
                format!("{n:.3}"),
                format!("{}/{}", case.essentials_in_top, case.essentials),
            ),
            (None, Some(max)) => (
                if max < NO_GAP_LIMIT {
                    "no-gap ok".to_string()
                } else {
                    "NO-GAP FAIL".to_string()
                },
                format!("max {max:.1}"),
            ),
            _ => (String::new(), String::new()),
        };
        table.push(vec![case.id.clone(), ndcg, essentials, top.join(", ")]);
    }
    format!(
        "{}\nmean nDCG@{DEPTH}: {:.3} (target ≥ 0.85) · essentials in top {DEPTH}: {:.0}% (target ≥ 90%) · no-gap profiles below {NO_GAP_LIMIT}: {}\n",
        table.render(width),
        summary.mean_ndcg,
        summary.essentials_share * 100.0,
        if summary.no_gap_passed { "yes" } else { "NO" }
    )
}
