//! `ipneeds eval PROFILES.csv EXPECTED.csv`: ranking quality against graded cases.

use super::{write_json, Context, Outcome};
use crate::cli::{EvalArgs, ListFormat};
use crate::error::Result;
use crate::eval::{Evaluation, TableFile, DEPTH, ESSENTIALS_TARGET, NDCG_TARGET};
use crate::io::output::Destination;
use crate::report::style::Style;
use crate::report::table::Table;
use crate::report::MEDIUM;
use std::io::Write;

pub fn run(context: &Context, args: &EvalArgs) -> Result<Outcome> {
    let profiles = TableFile {
        path: &args.profiles,
        sheet: args.sheet.as_deref(),
    };
    let grades = TableFile {
        path: &args.expected,
        sheet: args.grades_sheet.as_deref(),
    };
    let evaluation = evaluate(context, profiles, grades)?;
    let style = args
        .output
        .as_ref()
        .map_or(context.style, |_| Style::plain());
    let mut out = Destination::create(args.output.as_deref())?;
    match args.format {
        ListFormat::Json => write_json(&mut out, &evaluation)?,
        ListFormat::Table => write!(out, "{}", render(&evaluation, style.width))?,
    }
    out.finish()?;
    // A column of answers not read fails the run as in `batch`: the figures leave them out.
    if !evaluation.columns_not_read.is_empty() {
        super::warn(&format!(
            "{} column(s) named like a field were not read (see the warnings above), so the figures leave their answers out: rename them to the field ids",
            evaluation.columns_not_read.len()
        ));
        return Ok(Outcome::SomeRejected);
    }
    if args.check && !evaluation.targets_missed.is_empty() {
        for missed in &evaluation.targets_missed {
            super::warn(&format!("target missed: {missed}"));
        }
        return Ok(Outcome::TargetMissed);
    }
    Ok(Outcome::Success)
}

/// Scores every case and measures the rankings.
pub fn evaluate(context: &Context, profiles: TableFile, grades: TableFile) -> Result<Evaluation> {
    let questionnaire = context.questionnaire()?;
    let countries = context.countries()?;
    crate::eval::evaluate_files(
        &context.catalog,
        &questionnaire,
        countries,
        context.as_of,
        profiles,
        grades,
        &mut |warning| super::warn(warning),
    )
}

fn render(evaluation: &Evaluation, width: usize) -> String {
    let mut table = Table::new(&[
        "case",
        "nDCG@3",
        "essentials",
        &format!("top {DEPTH} (score)"),
    ]);
    for case in &evaluation.cases {
        let mut top: Vec<String> = case
            .top
            .iter()
            .map(|(id, s)| format!("{id} ({s:.1})"))
            .collect();
        if top.is_empty() {
            top.push("none: every program 0.0".to_string());
        }
        let (ndcg, essentials) = match (case.ndcg, case.max_score) {
            (Some(n), _) => (
                format!("{n:.3}"),
                format!("{}/{}", case.essentials_in_top, case.essentials),
            ),
            (None, Some(max)) => (
                match case.passed_no_gap {
                    Some(true) => "no-gap ok".to_string(),
                    _ => "NO-GAP FAIL".to_string(),
                },
                format!("max {max:.1}"),
            ),
            _ => (String::new(), String::new()),
        };
        // One program a line: a name is never broken across lines.
        table.push(vec![case.id.clone(), ndcg, essentials, top.join("\n")]);
    }
    // How far the cases themselves could move the mean: a difference inside it is not one
    // these cases can show.
    let interval = match evaluation.mean_ndcg_interval {
        Some((low, high)) => format!("{low:.3}–{high:.3} in 95% of resamplings of the cases; "),
        None => String::new(),
    };
    // Nothing to measure is said so, not passed.
    let essentials = match evaluation.essentials_share {
        Some(share) => format!(
            "{:.0}% (target ≥ {:.0}%)",
            share * 100.0,
            ESSENTIALS_TARGET * 100.0
        ),
        None => "none graded 3".to_string(),
    };
    let no_gap = match evaluation.no_gap_passed {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "none given",
    };
    // A case the grades leave out is judged as a strong office: said, so that a case left
    // ungraded by mistake is not a silent failure of the no-gap check.
    let ungraded: Vec<&str> = (evaluation.cases.iter())
        .filter(|case| case.ndcg.is_none())
        .map(|case| case.id.as_str())
        .collect();
    let no_gap_note = match ungraded.len() {
        0 => String::new(),
        n => format!(
            "{n} case(s) with no grade of 1 to 3 in the grades file, so judged as no-gap profiles (every program below {MEDIUM}): {}{}\n",
            ungraded.iter().take(10).map(|id| crate::io::quote::printable(id, 60)).collect::<Vec<_>>().join(", "),
            if n > 10 { ", …" } else { "" }
        ),
    };
    format!(
        "{}\n{}\n{no_gap_note}mean nDCG@{DEPTH}: {:.3} ({interval}target ≥ {NDCG_TARGET}) · essentials in top {DEPTH}: {essentials} · no-gap profiles below {MEDIUM}: {no_gap}\n",
        table.render(width),
        programs_table(evaluation, width),
        evaluation.mean_ndcg,
    )
}

/// Per program: top-3 places it took where it was not needed, and essential places it missed.
fn programs_table(evaluation: &Evaluation, width: usize) -> String {
    let graded = evaluation.graded_cases;
    let mut tallies: Vec<&crate::eval::ProgramTally> = evaluation
        .programs
        .iter()
        .filter(|t| t.top_but_not_needed > 0 || t.essential_missed > 0)
        .collect();
    if tallies.is_empty() {
        return String::new();
    }
    // The most misplaced first: a planner's wasted top-3 slots, then missed essentials.
    tallies.sort_by(|a, b| {
        (b.top_but_not_needed, b.essential_missed)
            .cmp(&(a.top_but_not_needed, a.essential_missed))
            .then_with(|| a.program.cmp(&b.program))
    });
    let mut table = Table::new(&[
        "program",
        &format!("in top {DEPTH}, graded 0"),
        "essential, missed",
    ])
    .right_align(1)
    .right_align(2);
    for tally in tallies {
        table.push(vec![
            tally.program.clone(),
            format!("{} of {graded}", tally.top_but_not_needed),
            format!("{} of {}", tally.essential_missed, tally.essential),
        ]);
    }
    format!(
        "\nBy program, over the {graded} graded cases:\n{}",
        table.render(width)
    )
}
