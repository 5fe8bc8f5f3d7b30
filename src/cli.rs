//! Command-line arguments (clap derive). Doc comments are the help text.

use crate::profile::date::Date;
use crate::report::style::Style;
use crate::settings::Settings;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Ranks the twelve WIPO Development Agenda Recommendation 10 technical-assistance programs by
/// what a country's IP institutions need, and explains why.
#[derive(Debug, Parser)]
#[command(name = "ipneeds", version, max_term_width = 100, after_help = START_WITH)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Where a new user begins: shown under the help, and when `ipneeds` is run alone.
pub const START_WITH: &str = "Start with `ipneeds interview` (answer questions in the terminal), \
`ipneeds score ANSWERS.yaml`, `ipneeds batch COUNTRIES.csv`, or `ipneeds search WORDS` to explore \
the catalog.";

/// Where an answers file comes from, for a `score` run without one.
pub const ANSWERS_TIP: &str = "an answers file comes from `ipneeds interview --save answers.yaml` \
(answer in the terminal) or `ipneeds template --format yaml -o answers.yaml` (fill it in); \
questionnaires/examples/example-answers.yaml is an example; `-` reads the answers from standard \
input (`ipneeds score - < answers.yaml`)";

/// Where a table of profiles comes from, for a `batch` run without one.
pub const PROFILES_TIP: &str = "give a table of country profiles, one country a row: a CSV file, \
a workbook (.xlsx) or a KoboToolbox or ODK export; `ipneeds template --format csv -o countries.csv` \
writes one to fill in, tests/data/cases/profiles.csv is an example";

/// What `search` looks for, for a run without words.
pub const SEARCH_TIP: &str = "give the words to look for in the catalog, e.g. \
`ipneeds search patent backlog`; `ipneeds programs` lists the twelve programs";

/// What `eval` compares, for a run without its two files.
pub const EVAL_TIP: &str = "give the profiles and the grades an expert gave them, e.g. \
`ipneeds eval tests/data/cases/profiles.csv tests/data/cases/expected.csv`";

/// Options every command accepts: shown apart in each command's help, after its own.
#[derive(Debug, Args)]
#[command(next_help_heading = "Options of every command")]
pub struct GlobalArgs {
    /// Use this program catalog (YAML) instead of the built-in one.
    #[arg(long, global = true, value_name = "PATH")]
    pub catalog: Option<PathBuf>,
    /// Use this questionnaire (YAML: questions, needs, weights) instead of the built-in one.
    #[arg(long, global = true, value_name = "PATH")]
    pub questionnaire: Option<PathBuf>,
    /// Use these planners' words (YAML, as data/synonyms.yaml) instead of the built-in ones.
    #[arg(long, global = true, value_name = "PATH")]
    pub synonyms: Option<PathBuf>,
    /// Use this country reference table (CSV) instead of the built-in one.
    #[arg(long, global = true, value_name = "PATH")]
    pub countries: Option<PathBuf>,
    /// Compute LDC status as of this date (default: today).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub as_of: Option<Date>,
    /// When to colour output: auto (on a terminal, unless NO_COLOR is set or TERM=dumb),
    /// always, never.
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

impl ColorChoice {
    /// Colour forced on or off, or `None`: up to the terminal and `NO_COLOR`.
    fn forced(self) -> Option<bool> {
        match self {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        }
    }
}

/// The run's settings, built once from the global options and the environment: `env` looks a
/// variable up (`std::env::var_os` in `main`; the library reads no variable itself). Also the
/// warnings to show, for variables whose values cannot be used.
pub fn settings(
    global: GlobalArgs,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> (Settings, Vec<String>) {
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    // `IPNEEDS_NO_CACHE=0` and an empty value leave the cache on.
    let switched_on = |name: &str| set(name).is_some_and(|value| value != "0");
    let mut warnings = Vec::new();
    let mut limits = Vec::new();
    for limit in crate::io::limits::all() {
        // A value that is not Unicode is not a number either: the default holds, as before.
        let Some(text) = env(limit.variable).and_then(|v| v.into_string().ok()) else {
            continue;
        };
        match limit.parse(&text) {
            Ok(value) => limits.push((limit, value)),
            Err(warning) => warnings.push(warning),
        }
    }
    let cache_dir = crate::cache::choose_directory(
        switched_on("IPNEEDS_NO_CACHE"),
        set("IPNEEDS_CACHE_DIR").map(PathBuf::from),
        set("XDG_CACHE_HOME").map(PathBuf::from),
        set("HOME").map(PathBuf::from),
    );
    let settings = Settings {
        style: Style::detect(
            global.color.forced(),
            set("NO_COLOR").is_some(),
            set("TERM").is_some_and(|term| term == "dumb"),
        ),
        catalog: global.catalog,
        questionnaire: global.questionnaire,
        synonyms: global.synonyms,
        countries: global.countries,
        as_of: global.as_of,
        limits,
        cache_dir,
        reference_path: switched_on("IPNEEDS_REFERENCE_PATH"),
        home: set("HOME").map(PathBuf::from),
    };
    (settings, warnings)
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
    /// Answer the questionnaire in the terminal, one question at a time, then see the ranking.
    ///
    /// A choice is answered by its number in the menu or its value (`1;3` for several). Enter
    /// leaves a question unanswered, `?` shows help, `<` goes back. With --save, the answers
    /// are saved after every question, so Ctrl-C or the end of input loses nothing.
    /// When standard input is not a terminal, answers are read one per line (scriptable).
    Interview(InterviewArgs),
    /// Score one country from a saved answers file (YAML; `-` reads standard input).
    ///
    /// Every program gets a score from 0 to 100 and the reasons behind it: which answers
    /// raised which needs, how many points each gave, and the catalog line it matched.
    Score(ScoreArgs),
    /// Score many countries from a CSV or a workbook: a row per country, a column per field.
    ///
    /// Reads what spreadsheets write (UTF-8, Windows-1252 or Mac Roman, `,` `;` or tab, CRLF), and the CSV
    /// exports of KoboToolbox ("XML values and headers") and ODK Central as they come (each
    /// row's submission date is its date for LDC status, unless --as-of is given). Bad rows
    /// are listed on stderr (and in --errors FILE) and every good row is still scored; the exit
    /// code is then 1. Output is written atomically, in input order.
    Batch(BatchArgs),
    /// Measure ranking quality against graded cases (nDCG@3, essentials in the top 3, no-gap).
    Eval(EvalArgs),
    /// Validate catalogs, questionnaires, synonyms, country tables, answers and profiles,
    /// reporting every problem at once.
    ///
    /// Without files, checks the catalog and questionnaire in use (built-in, or the ones given
    /// with --catalog and --questionnaire). A file's kind is recognised by its content, and
    /// files given together are checked with each other: a catalog, questionnaire, synonyms
    /// file or country table among them is used for the others in place of the one in use.
    Check(CheckArgs),
    /// Print an empty profile to fill in (CSV or answers YAML), or the survey form (XLSForm).
    Template(TemplateArgs),
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files to check: catalogs, questionnaires and synonyms files (YAML), country tables
    /// (CSV), answers (YAML), profiles (CSV or a workbook: .xlsx, .xlsm, .xls, .ods).
    #[arg(value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// For the workbooks of profiles given: the sheet to read (default: the first visible one),
    /// as `batch --sheet`.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

/// Template formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    /// A header of every field with one example row, for `batch`.
    Csv,
    /// An answers file with every question as a comment, for `score`.
    Yaml,
    /// The questionnaire as an XLSForm workbook (.xlsx) for KoboToolbox, ODK and SurveyCTO.
    Xlsform,
    /// The same XLSForm as markdown tables, to read or diff (pyxform reads it too).
    XlsformMd,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// csv: a header of every field with one example row (for batch); yaml: an answers file
    /// with every question as a comment (for score); xlsform: a survey form for KoboToolbox,
    /// ODK or SurveyCTO (`-o form.xlsx`); xlsform-md: that form as markdown tables. Default:
    /// the one the --output file's name gives (.csv, .yaml, .xlsx, .md), else csv.
    #[arg(long = "format", short = 'f', value_enum, value_name = "FORMAT")]
    pub format_given: Option<TemplateFormat>,
    /// The format in force, from --format or the --output file's name (see `commands::run`).
    #[arg(skip = TemplateFormat::Csv)]
    pub format: TemplateFormat,
    /// Write to this file instead of standard output (a file that exists is kept: a template
    /// is for filling in, so it may hold your answers; see --force).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the --output file even if it exists and differs from the template.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// Output formats for a country's ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Json,
    Markdown,
    /// A self-contained page (inline CSS and SVG) to open in a browser or print.
    Html,
    /// A workbook (.xlsx, `-o FILE`): results, heat map, reasons, planning, about.
    Xlsx,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The answers file: YAML with field ids as keys (`ipneeds template --format yaml`).
    #[arg(value_name = "ANSWERS.yaml|-")]
    pub answers: PathBuf,
    /// Show the N best programs (default: 5 in the table, all twelve in the other formats; the
    /// HTML report always shows all twelve).
    #[arg(long, short = 'n', value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    pub top: Option<usize>,
    /// Output format (default: the one the --output file's name gives, .json, .md, .html or
    /// .xlsx; else table).
    #[arg(long = "format", short = 'f', value_enum, value_name = "FORMAT")]
    pub format_given: Option<ReportFormat>,
    /// The format in force, from --format or the --output file's name (see `commands::run`).
    #[arg(skip = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace an --output file that holds data of your own (a workbook ipneeds did not write
    /// or whose Planning sheet you filled in, a table of profiles, answers): otherwise refused,
    /// as the work in it would be lost.
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct InterviewArgs {
    /// Save the answers to this YAML file (after every question). Without it, Ctrl-C keeps the
    /// answers so far in a new file (answers.yaml, answers-2.yaml, …) and says which.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Start from the answers in this file and save into it after every question (unless --save
    /// names another file). On a terminal it asks every question the file leaves unanswered
    /// (`<` goes back into the others); a script's lines answer the questions after the last
    /// one the file answers.
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// Show the N best programs at the end.
    #[arg(long, short = 'n', default_value_t = 5, value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    pub top: usize,
    /// Also write the country report as a self-contained HTML page to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

/// Batch output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// One row per country: id, country, then program and score for each rank, then reasons.
    Csv,
    /// One JSON object per line per country, with the program objects of `score` (needs and
    /// catalog lines by reference: see --detail).
    Jsonl,
    /// One JSON array of those objects.
    Json,
    /// A self-contained page: a heat map of countries × programs, by region and by top
    /// program, with each country's reasons.
    Html,
    /// A workbook (.xlsx, `-o FILE`): sheets Results, Heat map, Reasons, Planning and About,
    /// written in constant memory.
    Xlsx,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The profiles: a CSV (`-` reads standard input) or a workbook (.xlsx, .xlsm, .xls,
    /// .ods). `ipneeds template` writes a header.
    #[arg(value_name = "INPUT.csv|-")]
    pub input: PathBuf,
    /// Write results here (`-` or nothing: standard output). Written atomically.
    #[arg(long, short = 'o', value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Replace an output file (--output, --errors, --summary) that holds data of your own (a
    /// workbook ipneeds did not write or whose Planning sheet you filled in, a table of
    /// profiles, answers): otherwise refused, as the work in it would be lost.
    #[arg(long)]
    pub force: bool,
    /// Output format (default: the one the --output file's name gives, .csv, .jsonl, .json,
    /// .html or .xlsx; else csv).
    #[arg(long = "format", short = 'f', value_enum, value_name = "FORMAT")]
    pub format_given: Option<BatchFormat>,
    /// The format in force, from --format or the --output file's name (see `commands::run`).
    #[arg(skip = BatchFormat::Csv)]
    pub format: BatchFormat,
    /// Ranks per country in the output (default: every program).
    #[arg(long, short = 'n', value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    pub top: Option<usize>,
    /// Also write rejected rows to this CSV: row, id, column, value, message, location.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,
    /// Stop at the first bad row: no results file is written (rows already shown on standard
    /// output stay shown), and the bad row goes to --errors FILE if given.
    #[arg(long)]
    pub strict: bool,
    /// The input's delimiter (default: detected among `,` `;` and tab).
    #[arg(long, short = 'd', value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// After the rows, a cross-country summary per program (top-3 counts, mean scores overall
    /// and by UN region): on stderr, or in FILE.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub summary: Option<PathBuf>,
    /// For a workbook input (.xlsx, .xlsm, .xls, .ods): the sheet to read (default: the first
    /// visible one).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// JSON and JSONL: how much each reason repeats. brief: its need by id (described once in
    /// the row's `needs`) and its catalog line by field and position in the program's list;
    /// full: every reason whole, as `score --format json` writes it but with the whole catalog
    /// line where `score` crops a long one, and the matched words' byte ranges in it.
    #[arg(long, value_enum, default_value_t = Detail::Brief)]
    pub detail: Detail,
    /// CSV results and --errors: begin with a UTF-8 byte order mark, so that Excel, opening
    /// the file by a double-click, reads accents and `…` right (without one it reads
    /// Windows-1252).
    #[arg(long)]
    pub bom: bool,
}

/// How much of the catalog `batch --format json|jsonl` repeats in each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Detail {
    /// Needs by id, described once in the row's `needs`; catalog lines by field and position
    /// (`"matched": {"field", "line"}`).
    Brief,
    /// Every reason whole, catalog lines with their text and the matched words too (`"text"`,
    /// `"highlights"`).
    Full,
}

/// `,`, `;`, `tab` or `\t`, or any single ASCII character.
fn parse_delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "\"" | "\n" | "\r" => Err(format!(
            "`{}` cannot separate cells (it quotes a cell or ends a line): give one character such as , or ; or the word tab",
            text.escape_default()
        )),
        one if one.len() == 1 && one.is_ascii() => Ok(one.as_bytes()[0]),
        _ => Err(format!(
            "`{text}` is not a delimiter: give one ASCII character such as , or ; or | or the word tab"
        )),
    }
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Profiles, one row per case, in the batch format (CSV or workbook) with an `id` column.
    #[arg(value_name = "PROFILES.csv")]
    pub profiles: PathBuf,
    /// Expected programs per case: `id,program,grade` (3 essential, 2 important, 1 useful).
    #[arg(value_name = "EXPECTED.csv")]
    pub expected: PathBuf,
    /// Output format (default: json when the --output file's name ends in .json; else table).
    #[arg(long = "format", short = 'f', value_enum, value_name = "FORMAT")]
    pub format_given: Option<ListFormat>,
    /// The format in force, from --format or the --output file's name (see `commands::run`).
    #[arg(skip = ListFormat::Table)]
    pub format: ListFormat,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// For a workbook of profiles (.xlsx, .xlsm, .xls, .ods): the sheet to read (default: the
    /// first visible one).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// For a workbook of grades: the sheet to read (default: the first visible one).
    #[arg(long, value_name = "NAME")]
    pub grades_sheet: Option<String>,
    /// Exit with code 1 when a target is missed (mean nDCG@3 ≥ 0.85, essentials in the top 3
    /// ≥ 85%, no-gap profiles below 30, no program in the top 3 where graded 0 in more than a
    /// quarter of the cases), listing each: for a CI job that must not let the ranking slip.
    #[arg(long)]
    pub check: bool,
}

/// Output formats for lists of programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The words to look for, e.g. `reduction of backlog` or `"patent information"`; `-word`
    /// after the first word excludes it (`patent -trademark`).
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,
    /// Show at most N programs.
    #[arg(long, short = 'n', default_value_t = 5, value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    pub top: usize,
    /// Output format (default: json when the --output file's name ends in .json; else table).
    #[arg(long = "format", short = 'f', value_enum, value_name = "FORMAT")]
    pub format_given: Option<ListFormat>,
    /// The format in force, from --format or the --output file's name (see `commands::run`).
    #[arg(skip = ListFormat::Table)]
    pub format: ListFormat,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProgramsArgs {
    #[command(subcommand)]
    pub action: Option<ProgramsAction>,
    /// Output format (default: json when the --output file's name ends in .json; else table).
    #[arg(
        long = "format",
        short = 'f',
        value_enum,
        value_name = "FORMAT",
        global = true
    )]
    pub format_given: Option<ListFormat>,
    /// The format in force, from --format or the --output file's name (see `commands::run`).
    #[arg(skip = ListFormat::Table)]
    pub format: ListFormat,
    /// Write to this file instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE", global = true)]
    pub output: Option<PathBuf>,
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

/// A count of at least 1.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        // All digits, yet no count: more than this machine can count to.
        Err(_) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => Err(format!(
            "`{text}` is too large: give a whole number of at least 1 and at most {}",
            usize::MAX
        )),
        _ => Err(format!(
            "`{text}` is not a count: give a whole number of at least 1"
        )),
    }
}

/// The command line with `search`'s excluded words (`-trademark`, after a first query word)
/// moved behind a `--`, where clap takes them as words: `search patent -trademark -n 3` then
/// means what it says. Options that `search` knows (`-n 3`, `--format json`) stay options;
/// the order of query words does not change what a query finds.
pub fn excluded_words_last(args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    use clap::CommandFactory;
    let command = Cli::command();
    let Some(search) = command.find_subcommand("search") else {
        return args;
    };
    // Every option `search` accepts (its own and the global ones), and whether it takes a value.
    let options: Vec<(String, bool)> = search
        .get_arguments()
        .chain(command.get_arguments())
        .filter(|arg| !arg.is_positional())
        .flat_map(|arg| {
            let takes_value = arg.get_action().takes_values();
            let longs = arg.get_long().map(|l| format!("--{l}"));
            let shorts = arg.get_short().map(|c| format!("-{c}"));
            longs
                .into_iter()
                .chain(shorts)
                .map(move |o| (o, takes_value))
        })
        .chain([("--help".to_string(), false), ("-h".to_string(), false)])
        .collect();
    let option = |word: &str| {
        let name = word.split_once('=').map_or(word, |(name, _)| name);
        options
            .iter()
            .find(|(o, _)| o == name)
            .map(|&(_, takes_value)| takes_value && !word.contains('='))
    };
    let mut out = Vec::with_capacity(args.len() + 1);
    let mut excluded = Vec::new();
    let mut rest = args.into_iter();
    // Up to the subcommand: the program's name, global options and their values.
    let mut in_search = false;
    let mut value_follows = false;
    for arg in rest.by_ref() {
        let word = arg.to_string_lossy().into_owned();
        out.push(arg);
        if out.len() == 1 || std::mem::take(&mut value_follows) {
            continue;
        }
        match option(&word) {
            Some(takes_value) => value_follows = takes_value,
            None if word == "search" => {
                in_search = true;
                break;
            }
            None => break,
        }
    }
    if !in_search {
        out.extend(rest);
        return out;
    }
    let mut seen_word = false;
    for arg in rest.by_ref() {
        let word = arg.to_string_lossy().into_owned();
        if std::mem::take(&mut value_follows) {
            out.push(arg);
            continue;
        }
        if word == "--" {
            out.push(arg);
            break;
        }
        match option(&word) {
            Some(takes_value) => {
                value_follows = takes_value;
                out.push(arg);
            }
            // `--limit` is a mistyped option, not a word to exclude: clap names it; so is `-v`
            // (no word of one letter is worth excluding). Before the first word, `-px` may be
            // a mistyped option too, but `-patent` (no option `-p`) is a word to exclude, for
            // the search to say what a query needs.
            None if word.starts_with('-')
                && !word.starts_with("--")
                && word.chars().count() > 2
                && (seen_word || option(&word[..2]).is_none()) =>
            {
                excluded.push(arg)
            }
            None => {
                seen_word |= !word.starts_with('-');
                out.push(arg);
            }
        }
    }
    if !excluded.is_empty() && !out.iter().any(|a| a == "--") {
        out.push("--".into());
    }
    out.extend(rest);
    out.extend(excluded);
    out
}

#[cfg(test)]
mod tests;
