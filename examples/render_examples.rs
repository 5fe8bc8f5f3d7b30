//! Writes the example HTML reports in `docs/examples/`:
//! `cargo run --example render_examples [-- OUTPUT_DIR [ANSWERS.yaml]]`.
//!
//! - `country-report.html`: `questionnaires/examples/example-answers.yaml` (or ANSWERS.yaml),
//!   one country;
//! - `regional-overview.html`: `tests/data/cases/profiles.csv`, the evaluation cases as a batch.
//!
//! Then `scripts/render-reports.sh` renders both with headless Chromium to check them.

use ipneeds::Catalog;
use ipneeds::CountryReport;
use ipneeds::ProfileReader;
use ipneeds::Questionnaire;
use ipneeds::Scorer;
use ipneeds::{batch_overview, country_report, OverviewRow};
use ipneeds::{Countries, Date};
use std::path::{Path, PathBuf};

fn main() {
    if let Err(message) = run() {
        eprintln!("render_examples: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let out_dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("docs/examples"), PathBuf::from);
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let catalog = Catalog::builtin().map_err(|e| e.to_string())?;
    let questionnaire = Questionnaire::builtin().map_err(|e| e.to_string())?;
    let countries = Countries::builtin().map_err(|e| e.to_string())?;
    let today = Date::today();
    let scorer = Scorer::new(&catalog, &questionnaire).map_err(|e| e.to_string())?;

    // One country.
    let answers_path = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "questionnaires/examples/example-answers.yaml".to_string());
    let path = Path::new(&answers_path);
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut answers =
        ipneeds::parse_answers_file(&text, &path.display().to_string(), &questionnaire)
            .map_err(|e| e.to_string())?;
    answers.prefill(&questionnaire, &countries, today);
    if let Some(problem) = answers.problems.first() {
        return Err(problem.to_string());
    }
    let results = scorer
        .score(&answers.profile, true)
        .map_err(|e| e.to_string())?;
    let report = CountryReport {
        catalog: &catalog,
        questionnaire: &questionnaire,
        profile: &answers.profile,
        results: &results,
        // As `score` does: the table is named only when the profile names a country.
        countries: answers.profile.get("country").map(|_| &countries),
        as_of: today.to_string(),
    };
    write(
        &out_dir.join("country-report.html"),
        &country_report(&report, &today.to_string()),
    )?;

    // A batch.
    let path = Path::new("tests/data/cases/profiles.csv");
    let mut reader = ProfileReader::open(path, None, &questionnaire).map_err(|e| e.to_string())?;
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row() {
        let mut row = row.map_err(|e| e.to_string())?;
        row.profile
            .prefill(&questionnaire, &countries, today)
            .map_err(|e| format!("{}: {e}", row.location))?;
        if let Some(problem) = row.problems.first() {
            return Err(problem.to_string());
        }
        let country = row.profile.get("country").map(|v| v.to_text());
        let region = country
            .as_deref()
            .and_then(|c| countries.lookup(c).ok())
            .map(|c| c.region.clone());
        let results = scorer
            .score(&row.profile, false)
            .map_err(|e| e.to_string())?;
        rows.push(OverviewRow::from_results(
            &row.id,
            country.as_deref(),
            region.as_deref(),
            catalog.programs.len(),
            &results,
        ));
    }
    write(
        &out_dir.join("regional-overview.html"),
        &batch_overview(
            &catalog,
            &rows,
            "Regional overview: the twelve evaluation profiles",
            &today.to_string(),
            &ipneeds::reference_data(&today.to_string(), Some(&countries)),
        )
        .map_err(|e| e.to_string())?,
    )?;
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}
