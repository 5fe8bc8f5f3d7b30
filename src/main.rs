//! The `ipneeds` binary: parse arguments, run the command, map the outcome to an exit code.
//!
//! Exit codes: 0 success; 1 some input rows were rejected (each one listed); 2 usage error or
//! input that cannot be used at all. A closed pipe (`ipneeds … | head`) ends quietly with 0.

use clap::Parser;
use ipneeds::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    ipneeds::output::remove_temporary_files_on_signal();
    ipneeds::index::install_quiet_search_panic_hook();
    match ipneeds::commands::run(cli) {
        Ok(code) => code.into(),
        Err(ipneeds::Error::Write(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => {
            // Messages quote the input; its escape sequences must not reach the terminal.
            eprintln!("error: {}", ipneeds::style::sanitize(&error.to_string()));
            ExitCode::from(2)
        }
    }
}
