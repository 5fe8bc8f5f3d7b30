//! One module per subcommand; `run` dispatches. `Context` loads shared inputs on demand.
//!
//! This is the command layer: it alone (with `main`) prints. The library below it returns
//! its warnings, and commands show them with [`warn`].

/// `eprintln!` that never panics: on a closed standard error (`ipneeds … 2>&1 | head -1`, the
/// reader gone) the line is dropped, as the rest of the output is, and the run goes on.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (see `stderr_line!`).
macro_rules! stderr_text {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod batch;
mod check;
mod eval;
mod interview;
mod output_format;
mod programs;
mod score;
mod search;
pub(crate) mod template;
mod users_data;

use crate::catalog::Catalog;
use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::profile::questionnaire::Questionnaire;
use crate::profile::{countries::Countries, date::Date};
use crate::report::style::Style;
use crate::settings::Settings;

/// What a command reports back to `main`, turned into the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything went through.
    Success,
    /// The command ran, but some input rows were rejected (and listed).
    SomeRejected,
    /// `eval --check` measured a target missed (each listed).
    TargetMissed,
}

impl From<Outcome> for std::process::ExitCode {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Success => std::process::ExitCode::SUCCESS,
            Outcome::SomeRejected | Outcome::TargetMissed => {
                std::process::ExitCode::from(crate::error::exit::REJECTED)
            }
        }
    }
}

/// Inputs every command may need, loaded from the global options.
pub struct Context {
    pub catalog: Catalog,
    pub style: Style,
    pub as_of: Date,
    settings: Settings,
    /// The country table once read.
    countries: std::sync::OnceLock<Countries>,
    /// For `check`: a `--catalog` or `--synonyms` file it could not use, and why (the built-in
    /// one stands in, against which nothing given is checked). Other commands stop instead.
    refused: Option<(DataFile, Error)>,
}

/// A data file given with an option that `check` reports on instead of stopping at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    Catalog,
    Synonyms,
}

impl Context {
    /// The user's home folder, if the environment names one.
    pub fn home(&self) -> Option<&std::path::Path> {
        self.settings.home.as_deref()
    }

    /// `checking`: for `check`, a catalog or synonyms file that cannot be used (not one that
    /// cannot be read) is kept in [`Context::refused`] instead of stopping the run.
    fn new(settings: Settings, checking: bool) -> Result<Context> {
        let mut refused = None;
        let mut keep = |result: Result<Catalog>, file| match result {
            Err(error) if checking && !matches!(error, Error::Io { .. }) => {
                refused = Some((file, error));
                Catalog::builtin()
            }
            result => result,
        };
        let mut catalog = keep(
            Catalog::load(settings.catalog.as_deref()),
            DataFile::Catalog,
        )?;
        if let Some(path) = &settings.synonyms {
            let text = crate::io::input::read_text(path, &crate::io::limits::FILE_BYTES)?;
            let origin = path.display().to_string();
            match crate::catalog::synonyms::Synonyms::from_yaml(&text, &origin) {
                Ok(synonyms) => catalog.synonyms = synonyms,
                Err(error) if checking && refused.is_none() => {
                    refused = Some((DataFile::Synonyms, error));
                }
                Err(error) => return Err(error),
            }
        }
        Ok(Context {
            catalog,
            style: settings.style,
            as_of: settings.as_of.unwrap_or_else(Date::today),
            settings,
            countries: std::sync::OnceLock::new(),
            refused,
        })
    }

    /// The data files given on the command line, which no output may overwrite.
    pub fn input_files(&self) -> Vec<&std::path::Path> {
        [
            &self.settings.catalog,
            &self.settings.questionnaire,
            &self.settings.synonyms,
            &self.settings.countries,
        ]
        .into_iter()
        .flatten()
        .map(std::path::PathBuf::as_path)
        .collect()
    }

    /// For `check`: the `--catalog` or `--synonyms` file that could not be used, and why.
    pub fn refused(&self) -> Option<(DataFile, &Error)> {
        self.refused.as_ref().map(|(file, error)| (*file, error))
    }

    /// The questionnaire file given with `--questionnaire`, if any.
    pub fn questionnaire_path(&self) -> Option<&std::path::Path> {
        self.settings.questionnaire.as_deref()
    }

    /// The questionnaire in use (built-in or `--questionnaire`).
    pub fn questionnaire(&self) -> Result<Questionnaire> {
        let questionnaire = Questionnaire::load(self.settings.questionnaire.as_deref())?;
        // The built-in pair is checked by a test; an edited one is checked here, before any
        // profile is prefilled with values its questions refuse.
        if self.settings.questionnaire.is_some() || self.settings.countries.is_some() {
            let problems = crate::profile::prefill_problems(&questionnaire, self.countries()?);
            if !problems.is_empty() {
                return Err(crate::error::Error::many(problems));
            }
        }
        Ok(questionnaire)
    }

    /// The country reference table in use (built-in or `--countries`), read once per run: the
    /// built-in one costs a `score` about a sixth of its instructions to parse.
    pub fn countries(&self) -> Result<&Countries> {
        if let Some(countries) = self.countries.get() {
            return Ok(countries);
        }
        let countries = match &self.settings.countries {
            None => Countries::builtin()?,
            Some(path) => {
                let text = crate::io::input::read_table_text(path, &crate::io::limits::FILE_BYTES)?;
                Countries::from_csv(&text, &path.display().to_string())?
            }
        };
        Ok(self.countries.get_or_init(|| countries))
    }
}

/// Runs `command` with `settings` (see `cli::settings`), which it puts in force first.
pub fn run(mut command: Command, settings: Settings) -> Result<Outcome> {
    let data_files = [
        &settings.catalog,
        &settings.questionnaire,
        &settings.synonyms,
        &settings.countries,
    ];
    let data_files: Vec<&std::path::Path> = data_files
        .into_iter()
        .flatten()
        .map(|p| p.as_path())
        .collect();
    output_format::resolve(&mut command, &data_files)?;
    settings.apply();
    // A run stopped without a word looks as if it had finished (the interview sets its own).
    crate::io::output::on_interrupt(|found| {
        match found.written.as_slice() {
        [] if found.removed => stderr_line!(
            "\ninterrupted: no output file was written (one from an earlier run is as it was)"
        ),
        // Output to standard output (a redirect, a pipe) stops where it was: say so, or a
        // file ending at a line boundary passes for a whole one.
        [] => stderr_line!(
            "\ninterrupted: the run stopped before its end; what it wrote to standard output is incomplete"
        ),
        // The signal came after the output files were in place: they are whole.
        written => stderr_line!(
            "\ninterrupted after the output was written in full: {} {} complete",
            written.join(", "),
            if written.len() == 1 { "is" } else { "are" }
        ),
    }
    });
    // A data file given but not there fails every command, also one that would not read it
    // (`search --questionnaire typo.yaml` ran on as if the option were right).
    for path in [&settings.questionnaire, &settings.countries]
        .into_iter()
        .flatten()
    {
        if let Err(error) = std::fs::metadata(path) {
            return Err(Error::io("cannot read", path, &error));
        }
    }
    let context = Context::new(settings, matches!(command, Command::Check(_)))?;
    // A command that reads countries reads a `--countries` file before any work, so a wrong
    // path fails the run even when no answer names a country. (`check` lists its problems
    // with the other files'.)
    if context.settings.countries.is_some()
        && matches!(
            command,
            Command::Score(_) | Command::Interview(_) | Command::Batch(_) | Command::Eval(_)
        )
    {
        context.countries()?;
    }
    // Planners' words of the user's own that `check` faults change searches and free text as
    // their entries say, which is not what their author meant: say so before using them.
    if context.settings.synonyms.is_some()
        && matches!(
            command,
            Command::Search(_)
                | Command::Score(_)
                | Command::Interview(_)
                | Command::Batch(_)
                | Command::Eval(_)
        )
    {
        for problem in check::synonyms_outside_catalog(&context.catalog.synonyms, &context.catalog)?
        {
            warn(&format!(
                "{problem} (used as written; `ipneeds check` lists these)"
            ));
        }
    }
    refuse_to_replace_users_data(&command, &context)?;
    match command {
        Command::Search(args) => search::run(&context.catalog, &args, context.style),
        Command::Programs(args) => programs::run(&context.catalog, &args, context.style),
        Command::Score(args) => score::run(&context, &args),
        Command::Interview(args) => interview::run(&context, &args),
        Command::Batch(args) => batch::run(&context, &args),
        Command::Eval(args) => eval::run(&context, &args),
        Command::Check(args) => check::run(&context, &args),
        Command::Template(args) => template::run(&context, &args),
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics when its writer fails (a closed pipe).
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "ipneeds", &mut script);
            let mut out = stdout();
            std::io::Write::write_all(&mut out, &script)?;
            std::io::Write::flush(&mut out)?;
            Ok(Outcome::Success)
        }
    }
}

/// Refuses an output file that holds the user's own data (see [`users_data`]), before any work.
fn refuse_to_replace_users_data(command: &Command, context: &Context) -> Result<()> {
    use crate::cli::{BatchFormat, ReportFormat};
    use users_data::{Force, Written};
    fn text(path: &std::path::Path) -> Written<'_> {
        Written {
            path,
            workbook: false,
        }
    }
    // The one output of a command without --force, if given.
    fn unforced(output: Option<&std::path::Path>) -> Vec<Written<'_>> {
        output.map(text).into_iter().collect()
    }
    let given = |force: bool| if force { Force::Given } else { Force::NotGiven };
    let (outputs, force) = match command {
        Command::Score(args) => {
            let output = Written {
                path: standard_or(&args.output),
                workbook: args.format == ReportFormat::Xlsx,
            };
            (vec![output], given(args.force))
        }
        Command::Batch(args) => {
            let [results, errors, summary] = args.outputs();
            let mut outputs: Vec<Written> = results
                .map(|path| Written {
                    path,
                    workbook: args.format == BatchFormat::Xlsx,
                })
                .into_iter()
                .collect();
            outputs.extend([errors, summary].into_iter().flatten().map(text));
            (outputs, given(args.force))
        }
        Command::Eval(args) => (unforced(args.output.as_deref()), Force::NotOffered),
        Command::Search(args) => (unforced(args.output.as_deref()), Force::NotOffered),
        Command::Programs(args) => (unforced(args.output.as_deref()), Force::NotOffered),
        Command::Interview(args) => (unforced(args.report.as_deref()), Force::NotOffered),
        // `template` compares what it would write with the file; `check` and `completions`
        // write to standard output.
        Command::Template(_) | Command::Check(_) | Command::Completions { .. } => {
            return Ok(());
        }
    };
    users_data::refuse_to_replace(&outputs, force, context)
}

/// An output option's file, `-` (standard output) when it is not given.
fn standard_or(output: &Option<std::path::PathBuf>) -> &std::path::Path {
    output.as_deref().unwrap_or(std::path::Path::new("-"))
}

/// Warnings printed so far in this run: `check` says it found no problems only when there were
/// none to read above its verdict.
static WARNINGS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Prints a warning on stderr, made safe for a terminal.
pub fn warn(text: &str) {
    WARNINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    stderr_line!("warning: {}", crate::io::quote::sanitize(text));
}

/// How many warnings this run has printed.
fn warnings_printed() -> usize {
    WARNINGS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Warns when a spreadsheet has `output` open: the new results replace the file, but the
/// window still shows the old ones, and saving it would bring them back.
fn warn_if_open_in_a_spreadsheet(output: Option<&std::path::Path>) {
    let Some(output) = output.filter(|path| *path != std::path::Path::new("-")) else {
        return;
    };
    if let Some(lock) = crate::io::output::spreadsheet_lock_of(output) {
        warn(&format!(
            "{} seems open in LibreOffice or Excel (its lock file {} is beside it): close it without saving and open it again to see these results; saving the open copy would write the old results over them",
            output.display(),
            lock.display()
        ));
    }
}

/// Writes `value` as indented JSON and a line break: every command's `--format json`.
fn write_json(out: &mut impl std::io::Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Standard output, buffered and locked for the length of a command.
fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}
