//! One module per subcommand; `run` dispatches.

mod programs;
mod search;

use crate::catalog::Catalog;
use crate::cli::{Cli, Command};
use crate::error::Result;
use crate::style::Style;

/// What a command reports back to `main`, turned into the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went through.
    Success,
    /// The command ran, but some input rows were rejected (and listed).
    SomeRejected,
}

impl From<Outcome> for std::process::ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Success => std::process::ExitCode::SUCCESS,
            Outcome::SomeRejected => std::process::ExitCode::from(1),
        }
    }
}

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<Outcome> {
    let style = Style::detect(cli.global.color);
    let catalog = Catalog::load(cli.global.catalog.as_deref())?;
    match cli.command {
        Command::Search(args) => search::run(&catalog, &args, style),
        Command::Programs(args) => programs::run(&catalog, &args, style),
    }
}

/// Standard output, buffered and locked for the length of a command.
fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}
