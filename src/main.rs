//! The `ipneeds` binary: parse arguments, read the environment, run the command, map the
//! outcome to an exit code.
//!
//! Exit codes (`ipneeds::exit`): 0 success; 1 some input rows were rejected or a misspelt
//! column not read (each one listed); 2 usage error or input that cannot be used at all; 3 a
//! file could not be read or written; 4 a bug in ipneeds. A closed pipe (`ipneeds … | head`)
//! ends quietly with 0.
#![deny(clippy::print_stderr, clippy::print_stdout)]

use clap::{CommandFactory, Parser};
use ipneeds::Cli;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = ipneeds::excluded_words_last(std::env::args_os().collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    // The environment variables ipneeds knows are read here, and nowhere else.
    let (settings, warnings) = ipneeds::settings_from(cli.global, |name| std::env::var_os(name));
    for warning in &warnings {
        ipneeds::warn(warning);
    }
    ipneeds::remove_temporary_files_on_signal();
    ipneeds::install_quiet_panic_hook();
    match ipneeds::run(cli.command, settings) {
        Ok(code) => code.into(),
        Err(ipneeds::Error::Write(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(error) => {
            // Messages quote the input; its escape sequences must not reach the terminal.
            // Written, not printed: `eprintln!` panics on a closed standard error.
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {}", ipneeds::sanitize(&error.to_string()));
            if let ipneeds::Error::Internal(_) = error {
                let _ = writeln!(stderr, "  {REPORT_BUG}");
            }
            ExitCode::from(error.exit_code())
        }
    }
}

/// Under an internal error: what the user can do about a bug.
const REPORT_BUG: &str = "this is a bug in ipneeds, not a problem with your input: please report it, with the command you ran and its input files";

/// Prints clap's message for a command line it could not parse, with a tip where clap has none
/// that a new user needs: what a command without its input wants, which command `help` meant.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let rendered = error.render().to_string();
    let tip = match error.kind() {
        ErrorKind::MissingRequiredArgument if rendered.contains("<ANSWERS.yaml|->") => {
            Some(ipneeds::ANSWERS_TIP.to_string())
        }
        ErrorKind::MissingRequiredArgument if rendered.contains("<INPUT.csv|->") => {
            Some(ipneeds::PROFILES_TIP.to_string())
        }
        ErrorKind::MissingRequiredArgument if rendered.contains("<QUERY>") => {
            Some(ipneeds::SEARCH_TIP.to_string())
        }
        ErrorKind::MissingRequiredArgument if rendered.contains("<EXPECTED.csv>") => {
            Some(ipneeds::EVAL_TIP.to_string())
        }
        // `ipneeds programs 6`: a program, not a subcommand of `programs`.
        ErrorKind::InvalidSubcommand if rendered.contains("Usage: ipneeds programs") => {
            (rendered.split('\'').nth(1))
                .map(|program| format!("to show one program: `ipneeds programs show {program}`"))
        }
        ErrorKind::InvalidSubcommand if !rendered.contains("tip:") => misspelt_command(&rendered),
        _ => None,
    };
    let text = match tip {
        Some(tip) => match rendered.split_once("\nUsage:") {
            Some((message, usage)) => format!("{message}\n  tip: {tip}\n\nUsage:{usage}"),
            None => format!("{rendered}\n  tip: {tip}\n"),
        },
        None => rendered,
    };
    // Help and version go to stdout (exit 0); errors to stderr. Written, not printed: `print!`
    // panics on a closed pipe.
    let code = ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
    if error.use_stderr() {
        let _ = std::io::stderr().write_all(text.as_bytes());
        return code;
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        // `ipneeds --help | head`: the reader has what it wanted.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {}", ipneeds::Error::Write(error));
            ExitCode::from(ipneeds::exit::IO)
        }
    }
}

/// For `ipneeds help scroe`: the command meant, as `ipneeds scroe` suggests it.
fn misspelt_command(rendered: &str) -> Option<String> {
    let unknown = rendered.split('\'').nth(1)?;
    let command = Cli::command();
    let names = command.get_subcommands().map(clap::Command::get_name);
    let hint = ipneeds::closest(unknown, names, 1);
    let meant = hint.first()?;
    Some(format!("a similar subcommand exists: '{meant}'"))
}
