//! Command-line arguments (clap derive). Doc comments are the help text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Ranks the twelve WIPO Development Agenda Recommendation 10 technical-assistance programs by
/// what a country's IP institutions need, and explains why.
///
/// Start with `ipneeds interview` (answer questions in the terminal), `ipneeds score ANSWERS.yaml`,
/// `ipneeds batch COUNTRIES.csv`, or `ipneeds search WORDS` to explore the catalog.
#[derive(Debug, Parser)]
#[command(name = "ipneeds", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use this program catalog (YAML) instead of the built-in one.
    #[arg(long, global = true, value_name = "PATH")]
    pub catalog: Option<PathBuf>,
    /// When to colour output: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Search the program catalog by keywords.
    ///
    /// Plain words rank programs by relevance (objectives count most). Tantivy query syntax
    /// works too: "quoted phrases", field:word (fields: title, beneficiaries, objectives,
    /// activities, outcomes), +required, -excluded.
    Search(SearchArgs),
    /// List the programs of the catalog, or show one in full.
    Programs(ProgramsArgs),
}

/// Output formats for lists of programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The words to look for, e.g. `reduction of backlog` or `"patent information"`.
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// Show at most N programs.
    #[arg(long, short = 'n', default_value_t = 5, value_name = "N")]
    pub top: usize,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ProgramsArgs {
    #[command(subcommand)]
    pub action: Option<ProgramsAction>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table, global = true)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum ProgramsAction {
    /// Show one program in full: beneficiaries, objectives, activities, expected outcomes.
    Show {
        /// The program's id (e.g. `legal-assistance`) or number (1–12).
        #[arg(value_name = "ID|NUMBER")]
        program: String,
    },
}
