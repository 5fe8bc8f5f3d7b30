//! Ranking quality against graded cases: nDCG@3, essentials in the top 3, and the no-gap check.
//!
//! Cases come as a profiles CSV (the batch format, with an `id` column) and an expected CSV
//! (`id,program,grade`, grade 3 essential, 2 important, 1 useful). A case with no expected
//! programs is a strong office: every program must score below the no-gap limit.

use crate::error::{Error, Issue, Listed, Location, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Programs a case expects, by id, with grades.
pub type Grades = BTreeMap<String, u8>;

/// Top-k depth of the measures.
pub const DEPTH: usize = 3;

/// The targets a ranking is held to on real cases (README, "How good is the ranking?").
pub const NDCG_TARGET: f64 = 0.85;
pub const ESSENTIALS_TARGET: f64 = 0.85;
/// No program may take a top-3 place where it is graded 0 in more than this share of the
/// graded cases.
pub const UNNEEDED_SHARE_LIMIT: f64 = 0.25;

/// One case's result.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub id: String,
    /// The top programs, best first, with scores.
    pub top: Vec<(String, f64)>,
    /// `None` for a no-gap case.
    pub ndcg: Option<f64>,
    pub essentials: usize,
    pub essentials_in_top: usize,
    /// For a no-gap case: the highest score, which must stay below the limit.
    pub max_score: Option<f64>,
    pub passed_no_gap: Option<bool>,
    /// Programs in the top 3 that the case grades 0 (not needed): a planner's wasted slot.
    pub top_but_not_needed: Vec<String>,
    /// Essential programs (grade 3), and those of them outside the top 3.
    pub essential_programs: Vec<String>,
    pub essentials_missed: Vec<String>,
}

/// One program over all graded cases: how often the ranking puts it where it does not belong,
/// and how often it misses where it is essential.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramTally {
    pub program: String,
    /// Graded cases (not no-gap ones) with this program in the top 3 but graded 0.
    pub top_but_not_needed: usize,
    /// Cases grading this program essential.
    pub essential: usize,
    /// Of those, the cases where it is not in the top 3.
    pub essential_missed: usize,
}

/// The measures over all graded cases (what `ipneeds eval` prints).
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub cases: Vec<CaseResult>,
    pub mean_ndcg: f64,
    /// Where the mean nDCG falls in 95% of resamplings of the graded cases (`None` below two):
    /// how far another set of cases like these could move it.
    pub mean_ndcg_interval: Option<(f64, f64)>,
    /// The share of essential programs in the top 3; `None` when no case grades one essential
    /// (nothing to measure, not 100%).
    pub essentials_share: Option<f64>,
    /// Every no-gap profile scores below the limit; `None` when there is none.
    pub no_gap_passed: Option<bool>,
    /// Columns of the profiles named like a field but not read (misspelt): the figures leave
    /// their answers out.
    pub columns_not_read: Vec<String>,
    /// Graded cases (with expected programs), the denominator of the per-program tallies.
    pub graded_cases: usize,
    /// Per program that a graded case ranks in its top 3 or grades essential, by id.
    pub programs: Vec<ProgramTally>,
    /// Each target missed, in words (empty when all are met): what `eval --check` fails on.
    pub targets_missed: Vec<String>,
}

/// nDCG at `DEPTH` with gain 2^grade − 1.
pub fn ndcg(ranking: &[String], grades: &Grades) -> f64 {
    let gain = |grade: u8| f64::from((1u32 << grade) - 1);
    let discount = |position: usize| (position as f64 + 2.0).log2();
    let dcg: f64 = ranking
        .iter()
        .take(DEPTH)
        .enumerate()
        .map(|(i, id)| grades.get(id).map_or(0.0, |&g| gain(g)) / discount(i))
        // From +0.0: an empty sum of floats is -0.0, which prints as "-0.000".
        .fold(0.0, |total, gain| total + gain);
    let mut ideal: Vec<u8> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(DEPTH)
        .enumerate()
        .map(|(i, &g)| gain(g) / discount(i))
        .sum();
    if idcg > 0.0 {
        dcg / idcg
    } else {
        0.0
    }
}

/// Evaluates one case from its ranking (program ids best first, with scores).
pub fn evaluate_case(id: &str, ranking: &[(String, f64)], grades: Option<&Grades>) -> CaseResult {
    // A program at 0.0 is no need, so in no case's top 3 whatever its place among the ties (the
    // one rule of every report): an empty profile does not earn the catalog's first programs.
    let top: Vec<(String, f64)> = (ranking.iter().enumerate())
        .filter(|(i, (_, score))| crate::report::summary::in_top_three(i + 1, *score))
        .map(|(_, entry)| entry.clone())
        .collect();
    let ids: Vec<String> = top.iter().map(|(p, _)| p.clone()).collect();
    match grades.filter(|g| !g.is_empty()) {
        Some(grades) => {
            let essentials: Vec<&String> = grades
                .iter()
                .filter(|(_, &g)| g == 3)
                .map(|(p, _)| p)
                .collect();
            let in_top = essentials
                .iter()
                .filter(|p| ids.iter().any(|id| id == **p))
                .count();
            let top_but_not_needed = ids
                .iter()
                .filter(|id| !grades.contains_key(*id))
                .cloned()
                .collect();
            let essentials_missed = essentials
                .iter()
                .filter(|p| !ids.iter().any(|id| id == **p))
                .map(|p| p.to_string())
                .collect();
            CaseResult {
                id: id.to_string(),
                top,
                ndcg: Some(ndcg(&ids, grades)),
                essentials: essentials.len(),
                essentials_in_top: in_top,
                max_score: None,
                passed_no_gap: None,
                top_but_not_needed,
                essential_programs: essentials.iter().map(|p| p.to_string()).collect(),
                essentials_missed,
            }
        }
        None => {
            let max = ranking.iter().map(|(_, s)| *s).fold(0.0, f64::max);
            CaseResult {
                id: id.to_string(),
                top,
                ndcg: None,
                essentials: 0,
                essentials_in_top: 0,
                max_score: Some(max),
                // Judged on the score as every report shows it: 29.96 is shown 30.0, some need.
                passed_no_gap: Some(crate::report::Band::of(max) == crate::report::Band::Little),
                top_but_not_needed: Vec::new(),
                essential_programs: Vec::new(),
                essentials_missed: Vec::new(),
            }
        }
    }
}

/// Averages over cases.
pub fn summarize(cases: Vec<CaseResult>) -> Evaluation {
    let ndcgs: Vec<f64> = cases.iter().filter_map(|c| c.ndcg).collect();
    let mean_ndcg = if ndcgs.is_empty() {
        0.0
    } else {
        ndcgs.iter().sum::<f64>() / ndcgs.len() as f64
    };
    let essentials: usize = cases.iter().map(|c| c.essentials).sum();
    let found: usize = cases.iter().map(|c| c.essentials_in_top).sum();
    let essentials_share = (essentials > 0).then(|| found as f64 / essentials as f64);
    let no_gap: Vec<bool> = cases.iter().filter_map(|c| c.passed_no_gap).collect();
    let no_gap_passed = (!no_gap.is_empty()).then(|| no_gap.iter().all(|&passed| passed));
    let graded_cases = cases.iter().filter(|c| c.ndcg.is_some()).count();
    let mut tallies: BTreeMap<&str, ProgramTally> = BTreeMap::new();
    let tally = |program: &str| ProgramTally {
        program: program.to_string(),
        top_but_not_needed: 0,
        essential: 0,
        essential_missed: 0,
    };
    for case in cases.iter().filter(|c| c.ndcg.is_some()) {
        for program in &case.top_but_not_needed {
            tallies
                .entry(program)
                .or_insert_with(|| tally(program))
                .top_but_not_needed += 1;
        }
        for program in &case.essential_programs {
            tallies
                .entry(program)
                .or_insert_with(|| tally(program))
                .essential += 1;
        }
        for program in &case.essentials_missed {
            tallies
                .entry(program)
                .or_insert_with(|| tally(program))
                .essential_missed += 1;
        }
    }
    let programs: Vec<ProgramTally> = tallies.into_values().collect();
    let targets_missed = targets_missed(
        (graded_cases > 0).then_some(mean_ndcg),
        essentials_share,
        &cases,
        &programs,
        graded_cases,
    );
    Evaluation {
        mean_ndcg_interval: resampled_interval(&ndcgs),
        cases,
        mean_ndcg,
        essentials_share,
        no_gap_passed,
        columns_not_read: Vec::new(),
        graded_cases,
        programs,
        targets_missed,
    }
}

/// The targets missed, judged on the figures as printed (0.8496 prints 0.850 and meets 0.85; a
/// no-gap score of 29.96 prints 30.0 and fails, as the case's row says). A measure with nothing
/// to measure (no graded case, no essential program) misses nothing.
fn targets_missed(
    mean_ndcg: Option<f64>,
    essentials_share: Option<f64>,
    cases: &[CaseResult],
    programs: &[ProgramTally],
    graded_cases: usize,
) -> Vec<String> {
    let shown = |value: f64, places: i32| {
        let scale = 10f64.powi(places);
        (value * scale).round() / scale
    };
    let mut missed = Vec::new();
    if let Some(mean) = mean_ndcg.filter(|&mean| shown(mean, 3) < NDCG_TARGET) {
        missed.push(format!(
            "mean nDCG@{DEPTH} {mean:.3} is below the target {NDCG_TARGET}"
        ));
    }
    if let Some(share) = essentials_share.filter(|&share| shown(share, 2) < ESSENTIALS_TARGET) {
        missed.push(format!(
            "{:.0}% of the essential programs are in the top {DEPTH}, below the target {:.0}%",
            share * 100.0,
            ESSENTIALS_TARGET * 100.0
        ));
    }
    let failed: Vec<&str> = cases
        .iter()
        .filter(|case| case.passed_no_gap == Some(false))
        .map(|case| case.id.as_str())
        .collect();
    if !failed.is_empty() {
        missed.push(format!(
            "{} no-gap profile(s) score {} or more somewhere: {}{}",
            failed.len(),
            crate::report::MEDIUM,
            failed[..failed.len().min(10)].join(", "),
            if failed.len() > 10 { ", …" } else { "" }
        ));
    }
    for tally in programs {
        let share = tally.top_but_not_needed as f64 / graded_cases.max(1) as f64;
        if share > UNNEEDED_SHARE_LIMIT {
            missed.push(format!(
                "{} is in the top {DEPTH} where graded 0 in {} of {graded_cases} graded cases, more than a quarter",
                tally.program, tally.top_but_not_needed
            ));
        }
    }
    missed
}

/// Resamplings of the cases behind [`resampled_interval`]: enough for the 2.5th and 97.5th
/// percentiles to settle to the third decimal on a hundred cases.
const RESAMPLINGS: usize = 4000;

/// The 2.5th and 97.5th percentiles of the mean of `values` over [`RESAMPLINGS`] resamplings
/// with replacement (the percentile bootstrap), from a fixed seed so that every run prints the
/// same; `None` for fewer than two values.
fn resampled_interval(values: &[f64]) -> Option<(f64, f64)> {
    if values.len() < 2 {
        return None;
    }
    // SplitMix64: a well-mixed stream from a counter, the same on every platform.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let n = values.len();
    let mut means: Vec<f64> = (0..RESAMPLINGS)
        .map(|_| {
            let sum: f64 = (0..n)
                .filter_map(|_| values.get((next() % n as u64) as usize))
                .sum();
            sum / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    let at = |share: f64| {
        means
            .get(((RESAMPLINGS - 1) as f64 * share).round() as usize)
            .copied()
    };
    Some((at(0.025)?, at(0.975)?))
}

/// The expected grades, by case id, with where each case first appears.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    pub grades: BTreeMap<String, Grades>,
    /// Case id → its first row in the file, and where that row is, for messages.
    pub first_rows: BTreeMap<String, (u64, Location)>,
    /// The file (and sheet) the grades come from, for messages.
    pub origin: String,
}

/// A table given to `eval`: a CSV, or a workbook with the sheet to read (`None`: the first
/// visible one).
#[derive(Debug, Clone, Copy)]
pub struct TableFile<'a> {
    pub path: &'a Path,
    pub sheet: Option<&'a str>,
}

/// The grades' rows as text, and where each cell is for messages: a CSV line and column
/// name, or a workbook's cell (`grades.xlsx Sheet1!B4`).
struct GradeRows {
    origin: String,
    rows: Vec<(u64, Vec<String>)>,
    /// Cells a workbook could not give a value (`#N/A`, a formula never computed), by row.
    cell_errors: BTreeMap<u64, Vec<crate::profile::spreadsheet::CellError>>,
    sheet: Option<crate::profile::spreadsheet::SheetPlace>,
    /// "; the workbook's other sheets are …" when a workbook's first sheet was read by default.
    other_sheets_hint: String,
}

impl GradeRows {
    /// A CSV (as the profiles are read: a Windows-1252 file's case ids then match its
    /// profiles'; Excel's `;` and `sep=;` line), or a workbook's first sheet: graders keep
    /// their grades where they keep the profiles. A workbook's warnings (hidden rows, merged
    /// cells) go to `warn`.
    fn read(table: TableFile, warn: &mut dyn FnMut(&str)) -> Result<GradeRows> {
        let path = table.path;
        let origin = path.display().to_string();
        if !crate::profile::spreadsheet::is_workbook(path) {
            let bytes = crate::io::input::read_bytes(path, &crate::io::limits::FILE_BYTES, "")?;
            crate::profile::spreadsheet::refuse_workbook_bytes(&bytes, &origin)?;
            let rows = crate::profile::rows::table_rows(&bytes, &origin)?;
            let cell_errors = BTreeMap::new();
            return Ok(GradeRows {
                origin,
                rows,
                cell_errors,
                sheet: None,
                other_sheets_hint: String::new(),
            });
        }
        let mut sheet = crate::profile::spreadsheet::SheetRows::open_choice(
            path,
            crate::profile::spreadsheet::SheetChoice::grades(table.sheet),
        )?;
        for warning in sheet.take_warnings() {
            warn(&warning);
        }
        let (mut record, mut errors) = (crate::io::csv_records::Record::default(), Vec::new());
        let (mut rows, mut cell_errors) = (Vec::new(), BTreeMap::new());
        while let Some(row) = sheet.read(&mut record, &mut errors) {
            let cells = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned());
            rows.push((row, cells.collect()));
            if !errors.is_empty() {
                cell_errors.insert(row, std::mem::take(&mut errors));
            }
        }
        let place = sheet.place().clone();
        Ok(GradeRows {
            origin: place.origin(),
            rows,
            cell_errors,
            sheet: Some(place),
            other_sheets_hint: sheet.other_sheets_hint(),
        })
    }

    /// Row `line` as a whole.
    fn at_row(&self, line: u64) -> Location {
        crate::profile::rows::row_location(&self.origin, self.sheet.as_ref(), line)
    }

    /// Cell `position` (column `name`) of row `line`.
    fn at_cell(&self, line: u64, position: usize, name: &str) -> Location {
        match &self.sheet {
            Some(place) => place.location(line, position, name),
            None => Location::Column {
                file: self.origin.clone(),
                line,
                column: name.to_string(),
            },
        }
    }
}

/// A grade as a grader or a spreadsheet writes it: `3`, or `3.0` (a column of whole numbers
/// saved by pandas); 0 is "not needed", as a program left out.
fn parse_grade(cell: &str) -> Option<u8> {
    let number: f64 = cell.parse().ok()?;
    (number.fract() == 0.0 && (0.0..=3.0).contains(&number)).then_some(number as u8)
}

/// Reads `id,program,grade` rows (CSV or a workbook); every case id listed in the profiles but
/// absent here is a no-gap case. A program graded twice for one case is an error.
pub fn read_expected(
    grades: TableFile,
    catalog: &crate::catalog::Catalog,
    warn: &mut dyn FnMut(&str),
) -> Result<Expected> {
    let program_ids: Vec<&str> = catalog.programs.iter().map(|p| p.id.as_str()).collect();
    let table = GradeRows::read(grades, warn)?;
    let origin = &table.origin;
    let mut rows = table.rows.iter();
    let (header_line, header) = rows.next().map_or((1, &[][..]), |(l, h)| (*l, &h[..]));
    let headers: Vec<String> = (header.iter()).map(|h| h.trim().to_lowercase()).collect();
    let column = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            let separator = [';', '\t', '|']
                .into_iter()
                .find(|&c| headers.len() == 1 && headers.first().is_some_and(|h| h.contains(c)));
            let hint = separator.map_or(String::new(), |c| {
                format!(
                    " separated by commas (this file separates them with `{}`)",
                    c.escape_default()
                )
            });
            // A profiles table here: the two files were given the wrong way round; a table
            // of results ipneeds wrote (`rank1_program`, the workbook's `rank 1 program`).
            let profiles = (headers.iter()).any(|h| h == crate::profile::COUNTRY || h == "ip_strategy");
            let results = (headers.iter()).any(|h| crate::profile::rows::is_results_heading(h));
            let swapped = if results {
                ": this is a table of results ipneeds wrote, not of grades; give the grades a person wrote for each case (`ipneeds eval PROFILES EXPECTED`)"
            } else if profiles {
                ": this looks like the profiles; give the profiles first and the grades second (`ipneeds eval PROFILES EXPECTED`)"
            } else {
                ""
            };
            Error::input(
                table.at_row(header_line),
                format!(
                    "no `{name}` column: the header must be id,program,grade{hint}{swapped}{}",
                    table.other_sheets_hint
                ),
            )
        })
    };
    let (id_at, program_at, grade_at) = (
        column(crate::profile::ID)?,
        column("program")?,
        column("grade")?,
    );
    let mut expected = Expected::default();
    let mut graded: BTreeMap<(String, String), u64> = BTreeMap::new();
    // Every row's problem, so that one run lists all there are to fix.
    let mut problems = Listed::default();
    for (line, record) in rows {
        let line = *line;
        // A row of empty cells (`,,` as a spreadsheet saves rows it once used) holds no grade.
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            problems.push(Issue::new(
                Some(table.at_row(line)),
                format!(
                    "this row has {} cells, the header {}: give each row id,program,grade",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        if let Some(error) = table.cell_errors.get(&line).and_then(|e| e.first()) {
            let name = headers.get(error.cell).map_or("", String::as_str);
            problems.push(Issue::new(
                Some(table.at_cell(line, error.cell, name)),
                error.message(),
            ));
            continue;
        }
        let cell = |i: usize| record.get(i).map_or("", |c| c.trim()).to_string();
        let (id, program, grade) = (cell(id_at), cell(program_at), cell(grade_at));
        let empty = [
            (id_at, crate::profile::ID, &id),
            (program_at, "program", &program),
            (grade_at, "grade", &grade),
        ];
        if let Some(&(at, name, _)) = empty.iter().find(|(_, _, text)| text.is_empty()) {
            let give = match name {
                crate::profile::ID => "the case's id, as in the profiles' `id` column",
                "program" => "a program id (`ipneeds programs` lists them)",
                _ => "1 (useful), 2 (important) or 3 (essential)",
            };
            problems.push(Issue::new(
                Some(table.at_cell(line, at, name)),
                format!("the row has no {name}: give {give}, or delete the row"),
            ));
            continue;
        }
        if !program_ids.contains(&program.as_str()) {
            // A program's number (`2`) or title is how the catalog document names it; grades
            // use ids.
            let named = (catalog.programs.iter()).find(|p| {
                program.parse::<u32>().is_ok_and(|n| n == p.number)
                    || p.title.trim().eq_ignore_ascii_case(&program)
            });
            let hint = match named {
                Some(p) => format!(
                    ": grades name programs by id: write `{}` for program {}",
                    p.id, p.number
                ),
                None => crate::suggest::did_you_mean(&program, program_ids.iter().copied()),
            };
            problems.push(Issue::new(
                Some(table.at_cell(line, program_at, "program")),
                format!(
                    "unknown program `{}`{hint}",
                    crate::io::quote::printable(&program, 60)
                ),
            ));
            continue;
        }
        let Some(grade) = parse_grade(&grade) else {
            problems.push(Issue::new(
                Some(table.at_cell(line, grade_at, "grade")),
                format!(
                    "`{}` is not a grade: use 1 (useful), 2 (important) or 3 (essential); 0, or no row, is not needed",
                    crate::io::quote::printable(&grade, 60)
                ),
            ));
            continue;
        };
        if let Some(first) = graded.insert((id.clone(), program.clone()), line) {
            let first = table.at_row(first);
            problems.push(Issue::new(Some(table.at_row(line)), format!(
                "program `{program}` is graded twice for case `{}` (first at {first}): keep one of the two rows",
                crate::io::quote::printable(&id, 60)
            )));
            continue;
        }
        (expected.first_rows.entry(id.clone())).or_insert_with(|| (line, table.at_row(line)));
        // Graded 0: the case is graded (not a no-gap one), the program not needed.
        let grades = expected.grades.entry(id).or_default();
        if grade > 0 {
            grades.insert(program, grade);
        }
    }
    if let Some(error) = Error::found(problems.shown, problems.more) {
        return Err(error);
    }
    // With no grade at all every case would count as a strong office and the mean be 0: a
    // file left empty by mistake, not a measurement.
    if expected.grades.values().all(BTreeMap::is_empty) {
        return Err(Error::input(
            Location::File(origin.clone()),
            "no grades: the file has no `id,program,grade` row of grade 1 to 3 after its header; grade at least one case (a strong office with no gap needs no rows of its own)",
        ));
    }
    expected.origin = origin.clone();
    Ok(expected)
}

/// Every case of `expected` must be a row of the profiles: a misspelt id would otherwise
/// grade nothing and lower the mean without a word.
fn check_cases(
    expected: &Expected,
    profiles_origin: &str,
    case_ids: &std::collections::BTreeSet<String>,
) -> Result<()> {
    let mut unknown: Vec<(&String, &(u64, Location))> = (expected.first_rows.iter())
        .filter(|(id, _)| !case_ids.contains(*id))
        .collect();
    unknown.sort_by_key(|(_, (row, _))| *row);
    if unknown.len() > 1 && unknown.len() == expected.first_rows.len() {
        let shown = |id: &str| crate::io::quote::printable(id, 60);
        let here = unknown.first().map_or("", |(id, _)| id.as_str());
        let there = match case_ids.first() {
            Some(id) => format!("; one of the profiles is `{}`", shown(id)),
            None => String::new(),
        };
        // A spreadsheet reads `001` as the number 1: ids that differ in leading zeros alone
        // (an unknown id is no case id, so one the same without its zeros differs in them).
        let without_zeros: std::collections::HashSet<&str> = (case_ids.iter())
            .map(|case| case.trim_start_matches('0'))
            .collect();
        let zeros_lost =
            (unknown.iter()).any(|(id, _)| without_zeros.contains(id.trim_start_matches('0')));
        let fix = match zeros_lost {
            true => "the ids differ in leading zeros only, which a spreadsheet drops when it reads an id as a number: format the id column as Text and retype the ids, or keep the file as CSV",
            false => "the profiles need an `id` column holding the cases' ids (as in the `id` column here)",
        };
        return Err(Error::input(
            Location::File(expected.origin.clone()),
            format!(
                "none of its {} cases is a row of {profiles_origin} (its first is `{}`{there}): {fix}",
                unknown.len(),
                shown(here),
            ),
        ));
    }
    let problems: Vec<String> = unknown
        .into_iter()
        .map(|(id, (_, place))| {
            let hint = crate::suggest::did_you_mean(id, case_ids.iter().map(String::as_str));
            format!(
                "{place}: case `{}` is not in {profiles_origin}{hint}: give the `id` of one of its rows, or remove the case's rows",
                crate::io::quote::printable(id, 60)
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::many(problems))
    }
}

/// Scores every case of a profiles CSV or workbook and measures the rankings against the
/// expected grades. Warnings about the two tables (unknown columns, quoted cells that hold
/// rows, hidden rows) go to `warn` as they are found, for the caller to show.
pub fn evaluate_files(
    catalog: &crate::catalog::Catalog,
    questionnaire: &crate::profile::questionnaire::Questionnaire,
    countries: &crate::profile::countries::Countries,
    as_of: crate::profile::date::Date,
    profiles: TableFile,
    expected: TableFile,
    warn: &mut dyn FnMut(&str),
) -> Result<Evaluation> {
    let expected = read_expected(expected, catalog, warn)?;
    let scorer = crate::scoring::Scorer::new(catalog, questionnaire)?;
    let mut reader = crate::profile::rows::ProfileReader::open_sheet(
        profiles.path,
        None,
        profiles.sheet,
        questionnaire,
    )?;
    let profiles = profiles.path;
    for warning in &reader.unknown_columns {
        warn(warning);
    }
    let mut cases = Vec::new();
    // Case id → where its row is: a case listed twice would count twice in the mean.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    // Every row's problems, so that one run lists all there are to fix.
    let mut problems = Listed::default();
    while let Some(row) = reader.next_row() {
        for warning in reader.take_warnings() {
            warn(&warning);
        }
        let mut row = row?;
        // Its grades could not name it: a row number is no case's name.
        if row.id_missing {
            problems.push(Issue::new(
                Some(Location::Written(reader.parser().cell_location(row.line, crate::profile::ID))),
                "the case has no id: give it one, as its rows in the grades file name it (a no-gap case too), or delete the row".to_string(),
            ));
            continue;
        }
        if let Some(first) = seen.insert(row.id.clone(), row.location.clone()) {
            problems.push(Issue::new(
                Some(Location::File(row.location.clone())),
                format!(
                    "case `{}` is listed twice (first at {first}): give each case its own id, or remove one of the rows",
                    crate::io::quote::printable(&row.id, 60)
                ),
            ));
            continue;
        }
        if let Err(message) = row.profile.prefill(questionnaire, countries, as_of) {
            let problem = row
                .profile
                .country_problem(row.country_location.clone(), message);
            row.problems.push(problem);
        }
        if !row.problems.is_empty() {
            row.problems
                .iter()
                .map(Issue::from)
                .for_each(|issue| problems.push(issue));
            continue;
        }
        let results = scorer.score(&row.profile, false)?;
        let ranking: Vec<(String, f64)> = results
            .iter()
            .filter_map(|r| {
                catalog
                    .programs
                    .get(r.program)
                    .map(|p| (p.id.clone(), r.score))
            })
            .collect();
        cases.push(evaluate_case(
            &row.id,
            &ranking,
            expected.grades.get(&row.id),
        ));
    }
    for warning in reader.take_warnings() {
        warn(&warning);
    }
    if let Some(error) = Error::found(problems.shown, problems.more) {
        return Err(error);
    }
    let case_ids = cases.iter().map(|case| case.id.clone()).collect();
    check_cases(&expected, &profiles.display().to_string(), &case_ids)?;
    Ok(Evaluation {
        columns_not_read: reader.misspelt_columns.clone(),
        ..summarize(cases)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn grades(pairs: &[(&str, u8)]) -> Grades {
        pairs.iter().map(|(p, g)| (p.to_string(), *g)).collect()
    }

    #[test]
    fn programs_are_tallied_where_they_take_an_unneeded_top_place_or_miss_an_essential_one() {
        let ranked = |ids: &[&str]| -> Vec<(String, f64)> {
            ids.iter().map(|id| (id.to_string(), 50.0)).collect()
        };
        let first = evaluate_case(
            "one",
            &ranked(&["x", "a", "y", "b"]),
            Some(&grades(&[("a", 3), ("b", 3)])),
        );
        assert_eq!(first.top_but_not_needed, vec!["x", "y"]);
        assert_eq!(first.essentials_missed, vec!["b"]);
        let second = evaluate_case(
            "two",
            &ranked(&["b", "x", "a"]),
            Some(&grades(&[("a", 2), ("b", 3)])),
        );
        let strong = evaluate_case("strong", &ranked(&["x", "y", "z"]), None);
        let summary = summarize(vec![first, second, strong]);
        assert_eq!(
            summary.graded_cases, 2,
            "a no-gap case has no grades to miss"
        );
        let tally = |id: &str| {
            let t = summary.programs.iter().find(|t| t.program == id).unwrap();
            (t.top_but_not_needed, t.essential, t.essential_missed)
        };
        assert_eq!(tally("x"), (2, 0, 0));
        assert_eq!(tally("y"), (1, 0, 0));
        assert_eq!(tally("b"), (0, 2, 1));
        assert_eq!(tally("a"), (0, 1, 0));
        assert!(summary.programs.iter().all(|t| t.program != "z"));
    }

    /// The interval around the mean: the same every run, around the mean, a point when every
    /// case scores alike, wider when the cases spread, and none for a single case.
    #[test]
    fn a_no_gap_case_is_judged_on_its_highest_score_as_reports_show_it() {
        let passed = |max: f64| {
            let ranking = [("a".to_string(), max), ("b".to_string(), 1.0)];
            evaluate_case("strong", &ranking, None).passed_no_gap
        };
        assert_eq!(passed(29.94), Some(true), "shown 29.9: little sign of need");
        assert_eq!(passed(29.96), Some(false), "shown 30.0: some need");
        assert_eq!(passed(30.0), Some(false));
    }

    #[test]
    fn the_resampled_interval_holds_the_mean_and_widens_with_the_spread() {
        let spread: Vec<f64> = (0..40).map(|i| f64::from(i % 10) / 10.0).collect();
        let mean = spread.iter().sum::<f64>() / spread.len() as f64;
        let (low, high) = resampled_interval(&spread).unwrap();
        assert!(low < mean && mean < high, "{low} {mean} {high}");
        assert_eq!(resampled_interval(&spread), Some((low, high)));
        let narrow: Vec<f64> = spread.iter().map(|v| 0.4 + v / 10.0).collect();
        let (narrow_low, narrow_high) = resampled_interval(&narrow).unwrap();
        assert!(narrow_high - narrow_low < (high - low) / 5.0);
        assert_eq!(resampled_interval(&[0.75; 12]), Some((0.75, 0.75)));
        assert_eq!(resampled_interval(&[0.7]), None);
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_lower_otherwise() {
        let g = grades(&[("a", 3), ("b", 2), ("c", 1)]);
        let ideal: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        assert!((ndcg(&ideal, &g) - 1.0).abs() < 1e-12);
        let swapped: Vec<String> = ["b", "a", "c"].iter().map(|s| s.to_string()).collect();
        let value = ndcg(&swapped, &g);
        assert!(value < 1.0 && value > 0.5, "{value}");
        let none: Vec<String> = ["x", "y", "z"].iter().map(|s| s.to_string()).collect();
        assert_eq!(ndcg(&none, &g), 0.0);
    }
}
