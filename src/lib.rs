//! ipneeds: ranks the twelve technical-assistance programs of the WIPO Development Agenda
//! Recommendation 10 "menu of options" by what a country's IP institutional profile needs.
//!
//! The modules are private, laid out by concept (see ARCHITECTURE.md); what the binary, the
//! tests, the benchmarks and the examples use is re-exported here, the one public surface.
// `eprintln!` panics when standard error is a closed pipe (`ipneeds … 2>&1 | head -1`): the
// commands print through `stderr_line!` and `stderr_text!` (src/commands), which do not.
#![deny(clippy::print_stderr)]

mod cache;
mod catalog;
mod cli;
mod commands;
mod error;
mod eval;
mod io;
mod profile;
mod report;
mod scoring;
mod settings;
mod suggest;

pub use catalog::index::{CatalogIndex, SearchHit, Snippet};
pub use catalog::synonyms::Synonyms;
pub use catalog::{Catalog, Program, BUILTIN_TEXT as CATALOG_TEXT};
pub use cli::{
    excluded_words_last, settings as settings_from, Cli, ANSWERS_TIP, EVAL_TIP, PROFILES_TIP,
    SEARCH_TIP,
};
pub use commands::{run, warn};
pub use error::install_quiet_panic_hook;
pub use error::{exit, Error, Result};
pub use eval::{evaluate_files, ndcg, Evaluation, TableFile};
/// The CSV record reader checked against the `csv` crate (for the fuzz target).
pub use io::csv_records::check_against_csv_crate;
pub use io::output::remove_temporary_files_on_signal;
pub use io::quote::sanitize;
pub use profile::answers::{
    comments as answers_comments, parse as parse_answers_file, to_yaml as answers_to_yaml,
};
pub use profile::countries::Countries;
pub use profile::date::Date;
pub use profile::questionnaire::{QuestionType, Questionnaire, BUILTIN_TEXT as QUESTIONNAIRE_TEXT};
pub use profile::rows::{ProfileReader, RawRow};
pub use profile::{parse_answer, Profile, Value};
pub use report::html::{batch_overview, country_report, escape, OverviewRow};
pub use report::{reference_data, CountryReport};
/// The batch CSV form compiled from the scoring engine (for the fuzz target: every row either
/// written whole or left to the row parser).
pub use scoring::compiled::RowScorer;
pub use scoring::{should_ask, ProgramScore, Scorer, Scratch};
pub use settings::Settings;
pub use suggest::closest;
