//! `ipneeds interview`: the questionnaire asked in the terminal.
//!
//! On a terminal, a choice is a numbered menu and answers are typed in a line editor (`line_editor`);
//! otherwise each answer is one line of standard input, so an interview can be scripted and
//! tested. Either way a typed line is read the same way (`line_reply`, `menu_values`). Prompts
//! go to stderr, the ranking to stdout.

use super::{Context, Outcome};
use crate::cli::{InterviewArgs, ReportFormat};
use crate::error::{Error, Location, Result};
use crate::io::output::same_file;
use crate::profile::questionnaire::{Question, QuestionType, Questionnaire};
use crate::profile::{parse_answer, Answer, Profile, Value};
use std::io::{BufRead, IsTerminal, Write};

/// What the person did at a question.
enum Reply {
    /// A raw answer to parse (empty: leave unanswered).
    Text(String),
    Back,
    /// End of input or interrupt: stop here.
    Stop,
    /// A line of input that is not UTF-8 text, as far as it can be shown.
    NotText(String),
}

/// Asks one question and returns the raw reply.
trait Prompter {
    fn ask(&mut self, question: &Question, heading: &str, current: Option<String>)
        -> Result<Reply>;
    fn say(&mut self, text: &str);
    /// The number of the input line last read, when the answers come from a script rather than
    /// a person: a reply it cannot take then stops the interview instead of asking again.
    fn scripted_line(&self) -> Option<u64> {
        None
    }
    /// At the end of an interview without `--save`: saves the answers where the person wants
    /// them kept (asked only on a terminal), and says where; a name `check` refuses, or where
    /// `save` fails (a full disk), is asked again.
    fn offer_to_save(
        &mut self,
        _home: Option<&std::path::Path>,
        _check: &dyn Fn(&std::path::Path) -> Result<()>,
        _save: &dyn Fn(&std::path::Path) -> Result<()>,
    ) -> Result<Option<std::path::PathBuf>> {
        Ok(None)
    }
    /// The last question is answered: nothing more is read.
    fn end(&mut self) {}
    /// After the last question, a script's lines that no question read: the first one's
    /// number and text, and how many there are (blank lines aside).
    fn left_over(&mut self) -> Result<Option<LeftOver>> {
        Ok(None)
    }
}

/// Lines a script gave after the last question.
struct LeftOver {
    first_line: u64,
    first: String,
    count: u64,
}

/// Lines read after the last question to say what a script left over: enough to tell, and a
/// bound for an input that never ends (`yes | ipneeds interview`).
const LEFT_OVER_READ: u64 = 10_000;

/// The extension of `path`, lower-cased, when it says a format other than YAML (answers are
/// YAML; a name without an extension is taken as such).
fn not_yaml_extension(path: &std::path::Path) -> Option<String> {
    let extension = path.extension()?.to_string_lossy().to_lowercase();
    (!matches!(extension.as_str(), "yaml" | "yml")).then_some(extension)
}

/// Refuses a name for the answers file that says another format: `score` would read such a
/// file as a table or refuse it (answers are YAML; a name without an extension is taken).
fn check_answers_name(path: &std::path::Path) -> Result<()> {
    match not_yaml_extension(path).as_deref() {
        None => Ok(()),
        Some(other) => Err(Error::usage(format!(
            "{}: answers are saved as YAML, not `.{other}`: name the file `{}` (then `ipneeds score` reads it; `--report` writes an HTML report)",
            path.display(),
            path.with_extension("yaml").display()
        ))),
    }
}

/// Refuses to resume a file whose name says it is not answers (a table or workbook of
/// profiles, which `batch` scores): the answers would be saved into it too.
fn refuse_resuming_a_table(path: &std::path::Path) -> Result<()> {
    match not_yaml_extension(path).as_deref() {
        Some(other @ ("csv" | "tsv" | "xlsx" | "xlsm" | "xls" | "ods")) => Err(Error::usage(format!(
            "{0}: --resume continues an answers file (YAML, as `ipneeds interview --save answers.yaml` writes), not a `.{other}` table: give the answers file; a table of profiles is scored with `ipneeds batch {0}`",
            path.display(),
        ))),
        _ => Ok(()),
    }
}

/// Refuses a file the answers cannot be saved to: a name saying another format, a path that
/// cannot take a file (a directory, a missing folder: tried with a trial file, discarded), and
/// unless `replacing` (the resumed file), a file of answers the person did not ask to redo (a
/// device such as `/dev/null` is no such file).
fn check_answers_file(path: &std::path::Path, replacing: bool) -> Result<()> {
    check_answers_name(path)?;
    drop(crate::io::output::Destination::create(Some(path))?);
    if !replacing && path.is_file() {
        return Err(Error::usage(format!(
            "{}: the file already exists: continue it with `--resume {0}` (its answers are saved back into it), or save to a new file",
            path.display()
        )));
    }
    Ok(())
}

pub fn run(context: &Context, args: &InterviewArgs) -> Result<Outcome> {
    let questionnaire = context.questionnaire()?;
    let countries = context.countries()?;
    let mut profile = Profile::default();
    // The resumed file's comments, written again by their answers on every save.
    let mut comments = crate::profile::answers::Comments::default();
    let mut inputs = context.input_files();
    inputs.extend(args.resume.as_deref());
    if let Some(resume) = &args.resume {
        refuse_resuming_a_table(resume)?;
    }
    let resumed =
        |save: &std::path::Path| (args.resume.as_deref()).is_some_and(|r| same_file(r, save));
    // A resumed file is continued where it is, as an editor would, unless --save names another:
    // answers given after --resume alone were lost unless typed again as a file name at the end.
    // One whose name says another format (`a.txt`, `answers.yaml.bak`) is read, not written:
    // its answers are then kept as without --save (Ctrl-C, the question at the end).
    let save_to = (args.save.as_deref()).or(args
        .resume
        .as_deref()
        .filter(|r| not_yaml_extension(r).is_none()));
    // Saving over the resumed file is the point of --resume; anything else is refused.
    let save_target = save_to.filter(|save| !resumed(save));
    crate::io::output::check_outputs(&inputs, &[save_target, args.report.as_deref()])?;
    crate::io::output::check_outputs(&context.input_files(), &[save_to])?;
    // The first answer is saved at once: a file that cannot take it is refused before any
    // question, not after one.
    if let Some(save) = save_to {
        check_answers_file(save, resumed(save))?;
    }
    // A --report that cannot be written is refused before the questions, not after them.
    if let Some(report) = &args.report {
        crate::io::output::refuse_read_only_output(report)?;
        drop(crate::io::output::Destination::create(Some(report))?);
    }
    if let Some(path) = &args.resume {
        let text = crate::profile::answers::read_text(path)?;
        let parsed =
            crate::profile::answers::parse(&text, &path.display().to_string(), &questionnaire)?;
        if let Some(warning) = parsed.version_warning {
            super::warn(&warning);
        }
        if !parsed.problems.is_empty() {
            return Err(crate::profile::problems_error(&parsed.problems));
        }
        profile = parsed.profile;
        comments = crate::profile::answers::comments(&text, &path.display().to_string())?;
    }
    // A terminal that cannot move its cursor (`TERM=dumb`) is asked line by line, as a pipe.
    let terminal = std::io::stdin().is_terminal()
        && std::io::stderr().is_terminal()
        && context.style.moves_cursor;
    let mut prompter: Box<dyn Prompter> = if terminal {
        Box::new(TerminalPrompter)
    } else {
        Box::new(LinePrompter {
            input: std::io::stdin().lock(),
            line: 0,
            scripted: !std::io::stdin().is_terminal(),
        })
    };
    let total = questionnaire.questions.len();
    let width = match console::Term::stderr().size_checked() {
        // One less than the terminal, as the prompter wraps what it says: wrapped again at its
        // width, a line of the full width would leave one word on a line of its own.
        Some((_, columns)) => usize::from(columns).clamp(40, 100) - 1,
        None => 100,
    };
    let description = crate::report::style::wrap(&questionnaire.description, width).join("\n");
    prompter.say(&format!(
        "{}\n{description}\n{total} questions; Enter leaves one unanswered (or keeps the answer shown), {CLEAR} clears an answer, ? shows help, < goes back, Ctrl-C stops (the answers so far are kept in a file).\n",
        questionnaire.title
    ));
    let save_answers = |path: &std::path::Path, profile: &Profile| {
        let profile = applying(profile, &questionnaire);
        let yaml = crate::profile::answers::to_yaml(&profile, &questionnaire, &comments);
        crate::io::output::write_file_atomically(path, &yaml)
    };
    // Without a file to save to, Ctrl-C keeps the answers given so far in a new file.
    let unsaved = Unsaved::default();
    match save_to {
        None => unsaved.keep_on_interrupt(context.home()),
        // Saved after every question already: say where, on a line of its own.
        Some(path) => {
            let path = path.to_path_buf();
            crate::io::output::on_interrupt(move |_| {
                line_editor::restore_terminal();
                stderr_line!("\ninterrupted: {}", saved_in(&path))
            });
        }
    }
    let mut history: Vec<usize> = Vec::new();
    // The input line that last answered each question (a script's), to say where to go on.
    let mut answered_at: Vec<Option<u64>> = vec![None; total];
    // A person resuming a file is asked every question it leaves open, wherever it is; a
    // script's lines go on after the last question the file answers, as a script stopped at a
    // bad line was told to give them.
    let person = prompter.scripted_line().is_none();
    let mut settled = match (person, &args.resume) {
        (true, Some(_)) => settled_answers(&questionnaire, &profile, countries, context),
        _ => Default::default(),
    };
    let mut position = match person {
        true => 0,
        false => after_last_answered(&questionnaire, &profile),
    };
    // Reached with `<`: asked even if the resumed file settled it.
    let mut went_back = false;
    // A country suggested for a misspelt one: the next ask's default, so Enter accepts it.
    let mut suggested: Option<String> = None;
    // Answers of questions that skip logic passed since they were given.
    let mut set_aside: std::collections::HashMap<String, Answer> = Default::default();
    let mut input_ended = false;
    while position < total {
        let Some(question) = questionnaire.questions.get(position) else {
            break;
        };
        if !crate::scoring::should_ask(&questionnaire, &profile, question) {
            // A question skip logic passes keeps no stale answer; set aside, the answer comes
            // back if an earlier answer changes again and the question applies once more.
            if let Some(answer) = profile.answers.remove(&question.id) {
                prompter.say(&format!(
                    "  (question {} `{}` no longer applies after that answer: its answer {} is set aside, and comes back if the question applies again before this interview ends)",
                    position + 1,
                    question.id,
                    answer.value.to_text()
                ));
                set_aside.insert(question.id.clone(), answer);
            }
            position += 1;
            continue;
        }
        if let Some(answer) = set_aside.remove(&question.id) {
            profile.answers.entry(question.id.clone()).or_insert(answer);
        }
        if !std::mem::take(&mut went_back) && settled.contains(&question.id) {
            position += 1;
            continue;
        }
        settled.remove(&question.id);
        let section = questionnaire.section_title(&question.section);
        let heading = format!("question {} of {total} · {section}", position + 1);
        let current = suggested
            .take()
            .or_else(|| current_value(&profile, &questionnaire, countries, context, question));
        let asked = prompter.ask(question, &heading, current).map_err(|error| {
            // The terminal failed under the prompt (its window closed): the answers are kept
            // before the error ends the run.
            let kept = match save_to {
                Some(path) => saved_in(path),
                None => unsaved.save_once(context.home()),
            };
            match error {
                Error::Io { path, message } => Error::Io {
                    path,
                    message: format!("{message}; {kept}"),
                },
                other => other,
            }
        });
        let reply = match asked? {
            Reply::Stop => {
                input_ended = true;
                break;
            }
            Reply::Back => {
                // Before the questions asked in this run: the one asked before this (answered
                // in the resumed file, or left unanswered there).
                let earlier = || {
                    (0..position).rev().find(|&p| {
                        (questionnaire.questions.get(p))
                            .is_some_and(|q| crate::scoring::should_ask(&questionnaire, &profile, q))
                    })
                };
                match history.pop().or_else(earlier) {
                    Some(previous) => {
                        position = previous;
                        went_back = true;
                    }
                    None => prompter.say("(this is the first question)"),
                }
                continue;
            }
            Reply::Text(text) => match beyond_the_menu(question, &text) {
                Some(problem) => Err(problem),
                None => parse_answer(question, &menu_values(question, &text)),
            },
            Reply::NotText(shown) => Err(format!(
                "`{}` is `{shown}`, which is not UTF-8 text: save the input as UTF-8 (the question takes {})",
                question.id,
                hint(question)
            )),
        };
        // A country is checked where it is typed: a misspelt one would otherwise prefill
        // nothing and make the saved file unusable.
        let reply = match reply {
            Ok(Some(Value::Text(name))) if question.id == crate::profile::COUNTRY => {
                match countries.lookup(&name) {
                    Ok(country) => {
                        // Said at once, so that `Kenia` or `Congo` read as another country
                        // is seen before its answers are prefilled.
                        prompter.say(&format!("  → {} ({})", country.name, country.iso3));
                        // Saved as its code, as a menu's number is saved as its value: the
                        // file then means the same country under any country table.
                        Ok(Some(Value::Text(country.iso3.clone())))
                    }
                    Err(unknown) => {
                        // Enter takes a suggestion only when there is one: of two (`Congo`),
                        // the person chooses.
                        suggested = match unknown.suggestions.as_slice() {
                            [only] => (only.rsplit_once(" (").map(|(_, code)| code))
                                .map(|code| code.trim_end_matches(')').to_string()),
                            _ => None,
                        };
                        Err(unknown.to_string())
                    }
                }
            }
            other => other,
        };
        match reply {
            Ok(Some(value)) => profile.set(&question.id, value),
            Ok(None) => {
                profile.answers.remove(&question.id);
            }
            Err(message) => {
                if let Some(line) = prompter.scripted_line() {
                    // A script is not asked again: the question would take the next line, meant
                    // for the next question, and every later answer would land one question
                    // off. The answers so far are saved, unless there are none (nor a resumed
                    // file): no empty file then.
                    let saved = match save_to {
                        None => Saved::NoSave,
                        Some(_) if profile.answers.is_empty() && args.resume.is_none() => {
                            Saved::NothingAnswered
                        }
                        Some(path) => {
                            save_answers(path, &profile).map_err(|error| not_saved(error, path))?;
                            Saved::In(path)
                        }
                    };
                    let resume_at = first_asked(&questionnaire, &profile);
                    let from_line = match resume_at == position {
                        true => Some(line),
                        false => answered_at.get(resume_at).copied().flatten(),
                    };
                    let stopped = Stopped {
                        line,
                        position,
                        total,
                        saved,
                        resume_at: questionnaire
                            .questions
                            .get(resume_at)
                            .map(|q| (resume_at, q.id.as_str())),
                        from_line,
                    };
                    // The error starts on its own line, not after the prompt.
                    prompter.say("");
                    return Err(stopped.error(question, &message));
                }
                let retry = match (&suggested, profile.get(&question.id)) {
                    (Some(code), _) => format!("Enter accepts {code}, or type another"),
                    (None, Some(kept)) => format!(
                        "Try again (Enter keeps {}, {CLEAR} leaves it unanswered)",
                        kept.to_text()
                    ),
                    (None, None) => "Try again (Enter to skip)".to_string(),
                };
                let message = as_typed(&message, &question.id);
                // "did you mean Senegal (SEN)? Enter accepts SEN", not "…(SEN)?. Enter…".
                let stop = stop_after(&message, ".");
                prompter.say(&format!("  {message}{stop} {retry}."));
                continue;
            }
        }
        match save_to {
            Some(path) => save_answers(path, &profile).map_err(|error| not_saved(error, path))?,
            None => unsaved.keep(
                &applying(&profile, &questionnaire),
                &questionnaire,
                &comments,
            ),
        }
        if let Some(slot) = answered_at.get_mut(position) {
            *slot = prompter.scripted_line();
        }
        history.push(position);
        position += 1;
    }
    prompter.end();
    // A script that goes on after the last question had a line too many, or an answer on two
    // lines, before it: the answers after that are off by one question.
    if let Some(left) = (!input_ended)
        .then(|| prompter.left_over())
        .transpose()?
        .flatten()
    {
        let more = match left.count {
            1 => String::new(),
            n if n >= LEFT_OVER_READ => " (and thousands more lines)".to_string(),
            n => format!(" (and {} more line(s))", n - 1),
        };
        // The error starts on its own line, not after the prompt.
        prompter.say("");
        let saved = match save_to {
            Some(path) => format!("the answers read are saved in {}: ", path.display()),
            None => String::new(),
        };
        return Err(Error::input(
            Location::line(crate::io::input::STDIN, left.first_line),
            format!(
                "`{}`{more} comes after the last question, and no question read it: a line too many, or an answer given on two lines, puts every answer after it one question off; {saved}check the answers against the questions, and give one line per question (`ipneeds template --format yaml -o answers.yaml` writes a file to fill in instead)",
                left.first,
            ),
        ));
    }
    let check_offered = |path: &std::path::Path| -> Result<()> {
        crate::io::output::check_outputs(&inputs, &[Some(path), args.report.as_deref()])?;
        // The interview is over: `--resume` is no advice here.
        if path.is_file() {
            return Err(Error::usage(format!(
                "{}: the file already exists, and is never replaced from here: give another name",
                path.display()
            )));
        }
        check_answers_file(path, false)
    };
    let saved = match save_to {
        Some(path) => {
            save_answers(path, &profile).map_err(|error| not_saved(error, path))?;
            Some(path.to_path_buf())
        }
        None => {
            let save = |path: &std::path::Path| save_answers(path, &profile);
            prompter.offer_to_save(context.home(), &check_offered, &save)?
        }
    };
    match &saved {
        Some(path) => {
            stderr_line!("answers saved to {}", path.display());
            if args.report.is_none() {
                stderr_line!(
                    "for a report to share: ipneeds score {} --format html -o report.html",
                    path.display()
                );
            }
        }
        None => stderr_line!(
            "the answers were not saved: run `ipneeds interview --save answers.yaml` to keep them{}",
            match args.report {
                Some(_) => "",
                None => " (and `--report report.html` for a report to share)",
            }
        ),
    }
    if let Err(message) = profile.prefill(&questionnaire, countries, context.as_of) {
        let stop = stop_after(&message, ";");
        super::warn(&format!(
            "`country`: {message}{stop} LDC status and regional organizations were not prefilled"
        ));
    }
    stderr_line!();
    let scorer = crate::scoring::Scorer::new(&context.catalog, &questionnaire)?;
    super::check::warn_of_needs_off_catalog(&scorer, &context.catalog, &questionnaire)?;
    for warning in super::score::texts_matching_nothing(&scorer, &profile, "interview")? {
        super::warn(&warning);
    }
    super::score::write_report(
        context,
        &scorer,
        &profile,
        ReportFormat::Table,
        Some(args.top),
        None,
        "interview",
    )?;
    if let Some(path) = &args.report {
        super::score::write_report(
            context,
            &scorer,
            &profile,
            ReportFormat::Html,
            None,
            Some(path),
            "interview",
        )?;
        stderr_line!("report written to {}", path.display());
    }
    Ok(Outcome::Success)
}

/// The punctuation to put after `message` before more is said: none after a question
/// ("did you mean Uganda (UGA)?"), else `stop`.
fn stop_after(message: &str, stop: &'static str) -> &'static str {
    if message.ends_with('?') {
        ""
    } else {
        stop
    }
}

/// A save after a question failed (the disk full, the file made read-only since): the file
/// still holds the answers before that question, and the message says how to go on from them.
fn not_saved(error: Error, path: &std::path::Path) -> Error {
    match error {
        Error::Io { path: file, message } if path.is_file() => Error::Io {
            path: file,
            message: format!(
                "{message}; the last answer was not saved, the ones before it are in {0}: once it can be written, go on with `ipneeds interview --resume {0}`",
                path.display()
            ),
        },
        other => other,
    }
}

/// What became of the answers of an interview saved to `path` after every question, when it
/// ends early: nothing is there before the first answer (nor a resumed file).
/// `profile` without the answers of questions that no longer apply, as the file keeps it: an
/// answer changed after going back (`<`) sets later answers aside only when the interview
/// reaches them, and a file saved before that (after every answer; on Ctrl-C) kept them, to be
/// scored (a backlog for an office that does not examine). Conditions read only earlier
/// questions, so one pass in order settles each.
fn applying(profile: &Profile, questionnaire: &Questionnaire) -> Profile {
    let mut kept = profile.clone();
    for question in &questionnaire.questions {
        if kept.answers.contains_key(&question.id)
            && !crate::scoring::should_ask(questionnaire, &kept, question)
        {
            kept.answers.remove(&question.id);
        }
    }
    kept
}

fn saved_in(path: &std::path::Path) -> String {
    match path.is_file() {
        true => format!(
            "the answers given are saved in {0}; go on with `ipneeds interview --resume {0}`",
            path.display()
        ),
        false => "no question was answered, so nothing was saved".to_string(),
    }
}

/// The questions a resumed file settles for a person: those it answers (a country the table
/// does not know aside: it would prefill nothing, so it is asked again), and those the country
/// prefills.
fn settled_answers(
    questionnaire: &Questionnaire,
    profile: &Profile,
    countries: &crate::profile::countries::Countries,
    context: &Context,
) -> std::collections::HashSet<String> {
    let mut prefilled = profile.clone();
    let known_country = prefilled
        .prefill(questionnaire, countries, context.as_of)
        .is_ok();
    (prefilled.answers.keys())
        .filter(|id| known_country || id.as_str() != crate::profile::COUNTRY)
        .cloned()
        .collect()
}

/// Where a script's interview starts: after the last question answered (on `--resume`), where
/// the lines a stopped script was told to give again begin.
fn after_last_answered(questionnaire: &Questionnaire, profile: &Profile) -> usize {
    questionnaire
        .questions
        .iter()
        .rposition(|q| profile.answers.contains_key(&q.id))
        .map_or(0, |last| last + 1)
}

/// Where a resumed interview would ask its first question (0-based): the first question after
/// the last answered one that skip logic asks.
fn first_asked(questionnaire: &Questionnaire, profile: &Profile) -> usize {
    let from = after_last_answered(questionnaire, profile);
    (questionnaire.questions.iter().enumerate().skip(from))
        .find(|(_, q)| crate::scoring::should_ask(questionnaire, profile, q))
        .map_or(from, |(at, _)| at)
}

/// What became of the answers given before a scripted interview stopped.
enum Saved<'a> {
    In(&'a std::path::Path),
    NoSave,
    NothingAnswered,
}

/// A scripted interview stopped at a line it could not take.
struct Stopped<'a> {
    /// The input line (from 1).
    line: u64,
    /// The question asked (0-based), and how many there are.
    position: usize,
    total: usize,
    /// Where the answers before the line were saved.
    saved: Saved<'a>,
    /// Where resuming the saved answers would start: the question (0-based) and its id; none
    /// after the last question.
    resume_at: Option<(usize, &'a str)>,
    /// The input line that answered that question, if this run asked it.
    from_line: Option<u64>,
}

impl Stopped<'_> {
    /// The input error: the line, the question, what was typed and what it takes (`message`),
    /// what was saved and how to go on.
    fn error(&self, question: &Question, message: &str) -> Error {
        let Stopped {
            line,
            position,
            total,
            saved,
            resume_at,
            from_line,
        } = self;
        let next = match saved {
            Saved::In(path) => {
                let command = format!(
                    "`ipneeds interview --resume {0}`",
                    path.display()
                );
                let go_on = match from_line {
                    Some(from) => format!("give the lines from line {from} on to {command}"),
                    None => format!("continue with {command}"),
                };
                let starts = match resume_at {
                    Some((at, id)) => format!(" (it starts at question {}, `{id}`)", at + 1),
                    None => String::new(),
                };
                format!(
                    "the answers before it are saved in {}: correct line {line}, then {go_on}{starts}",
                    path.display()
                )
            }
            Saved::NoSave => format!(
                "nothing was saved (no --save): correct line {line} and run the interview again"
            ),
            Saved::NothingAnswered => format!(
                "no answer came before it, so nothing was saved: correct line {line} and run the interview again"
            ),
        };
        Error::input(
            crate::error::Location::line(crate::io::input::STDIN, *line),
            format!(
                "{message}\n  the interview stopped at question {} of {total} (`{}`), so that no later line answers the wrong question; {next}",
                position + 1,
                question.id
            ),
        )
    }
}

/// The answer already given, or the value the country would prefill (shown as a default).
fn current_value(
    profile: &Profile,
    questionnaire: &Questionnaire,
    countries: &crate::profile::countries::Countries,
    context: &Context,
    question: &Question,
) -> Option<String> {
    if let Some(value) = profile.get(&question.id) {
        return Some(value.to_text());
    }
    let mut prefilled = profile.clone();
    prefilled
        .prefill(questionnaire, countries, context.as_of)
        .ok()?;
    match prefilled.answers.get(&question.id) {
        Some(Answer {
            value,
            prefilled: true,
        }) => Some(format!("{}{FROM_COUNTRY}", value.to_text())),
        _ => None,
    }
}

/// A question's help, indented and wrapped at spaces to a terminal `width` characters wide (the
/// terminal would cut words where the line ends).
fn help_text(question: &Question, width: usize) -> String {
    let lines = crate::report::style::wrap(&question.help, width.saturating_sub(3));
    lines
        .iter()
        .map(|line| format!("  {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The width of the terminal the messages go to (80 when they go elsewhere).
fn terminal_width() -> usize {
    usize::from(console::Term::stderr().size().1)
}

/// What to type, in a few words.
fn hint(question: &Question) -> String {
    match question.kind {
        QuestionType::Boolean => "yes/no".to_string(),
        QuestionType::Choice => question.values.join("/"),
        QuestionType::MultiChoice => {
            format!("{} (several: separate with ;)", question.values.join("/"))
        }
        QuestionType::Scale => "1–5".to_string(),
        _ => question.accepts(),
    }
}

/// Plain line prompts on stderr, answers from stdin lines.
struct LinePrompter<R: BufRead> {
    input: R,
    /// Lines read so far.
    line: u64,
    /// The input is not a terminal: a script, not a person, answers.
    scripted: bool,
}

impl<R: BufRead> LinePrompter<R> {
    /// The lines a person's terminal already holds after the one read (pasted with it), read.
    fn lines_waiting(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        while line_editor::input_waiting(20).unwrap_or(false) && lines.len() < 10_000 {
            let mut bytes = Vec::new();
            match read_script_line(&mut self.input, &mut bytes) {
                Ok(0) | Err(_) => break,
                Ok(_) => lines.push(String::from_utf8_lossy(&bytes).into_owned()),
            }
        }
        lines
    }
}

impl<R: BufRead> Prompter for LinePrompter<R> {
    fn ask(
        &mut self,
        question: &Question,
        heading: &str,
        current: Option<String>,
    ) -> Result<Reply> {
        loop {
            stderr_text!(
                "\n[{heading}]\n{} ({}){}\n> ",
                question.prompt,
                hint(question),
                now(&current)
            );
            let _ = std::io::stderr().flush();
            let mut bytes = Vec::new();
            match read_script_line(&mut self.input, &mut bytes) {
                Ok(0) => {
                    // The input ended at a prompt: what follows starts on its own line.
                    stderr_line!();
                    return Ok(Reply::Stop);
                }
                Ok(_) => self.line += 1,
                Err(error) => return Err(script_read_error(self.line + 1, &error)),
            }
            // A file saved by Notepad starts with a byte-order mark: no part of the answer.
            if self.line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            let line = match String::from_utf8(bytes) {
                Ok(line) => line,
                Err(error) => {
                    let lossy = String::from_utf8_lossy(error.as_bytes());
                    let shown = crate::io::quote::shorten(lossy.trim());
                    return Ok(Reply::NotText(shown));
                }
            };
            // A person at a terminal that cannot move its cursor (`TERM=dumb`): lines already
            // waiting came with this one, pasted. A script's lines are its answers, one by one.
            let more = match self.scripted {
                true => Vec::new(),
                false => self.lines_waiting(),
            };
            let pasted = pasted_answer(question, line, &more);
            if let Some(note) = pasted.note(&hint(question)) {
                stderr_line!("  {note}");
            }
            let Some(line) = pasted.answer() else {
                continue;
            };
            match line_reply(&line, &current) {
                Some(reply) => return Ok(reply),
                None => stderr_line!("{}", help_text(question, terminal_width())),
            }
        }
    }

    fn say(&mut self, text: &str) {
        stderr_line!("{text}");
    }

    fn scripted_line(&self) -> Option<u64> {
        self.scripted.then_some(self.line)
    }

    fn left_over(&mut self) -> Result<Option<LeftOver>> {
        if !self.scripted {
            return Ok(None);
        }
        let mut left: Option<LeftOver> = None;
        for _ in 0..LEFT_OVER_READ {
            let mut bytes = Vec::new();
            match read_script_line(&mut self.input, &mut bytes) {
                Ok(0) => break,
                Ok(_) => self.line += 1,
                Err(error) => return Err(script_read_error(self.line + 1, &error)),
            }
            let text = String::from_utf8_lossy(&bytes);
            if text.trim().is_empty() {
                continue;
            }
            match &mut left {
                Some(left) => left.count += 1,
                None => {
                    left = Some(LeftOver {
                        first_line: self.line,
                        first: crate::io::quote::shorten(text.trim()),
                        count: 1,
                    })
                }
            }
        }
        Ok(left)
    }
}

/// Reads one line of answers into `bytes`, ended by `\n`, `\r\n` or a lone `\r` (a script saved
/// with classic Mac line ends was one long answer); the bytes consumed, 0 at the input's end.
///
/// A message about an answer, said to the person who just typed it under its question: about
/// what they typed, without the field's id, which the screen does not show (a script's error
/// keeps it, beside its line). "`pending_applications` is `lots`: give a whole number" becomes
/// "you typed `lots`: give a whole number".
fn as_typed(message: &str, id: &str) -> String {
    let named = format!("`{id}`");
    let Some(rest) = message.strip_prefix(&named) else {
        return message.to_string();
    };
    if let Some(value) = rest.strip_prefix(" is `") {
        return format!("you typed `{value}");
    }
    if let Some(length) = rest.strip_prefix(" is ") {
        return format!("the answer is {length}");
    }
    match rest.strip_prefix(": ") {
        Some(rest) => rest.to_string(),
        None => message.to_string(),
    }
}

/// A line longer than `IPNEEDS_MAX_LINE_BYTES` is an error of kind `InvalidData`, read no
/// further: an endless line (`< /dev/zero`) took memory until the process was killed.
fn read_script_line(input: &mut impl BufRead, bytes: &mut Vec<u8>) -> std::io::Result<usize> {
    let limit = crate::io::limits::LINE_BYTES.count();
    let too_long = || std::io::Error::from(std::io::ErrorKind::InvalidData);
    let mut consumed = 0;
    let mut after_return = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if after_return {
            // `\r\n` is one line end.
            if available.first() == Some(&b'\n') {
                input.consume(1);
                consumed += 1;
            }
            return Ok(consumed);
        }
        let Some(end) = available.iter().position(|&b| b == b'\n' || b == b'\r') else {
            let length = available.len();
            if length == 0 {
                return Ok(consumed);
            }
            if bytes.len() + length > limit {
                return Err(too_long());
            }
            bytes.extend_from_slice(available);
            input.consume(length);
            consumed += length;
            continue;
        };
        if bytes.len() + end > limit {
            return Err(too_long());
        }
        after_return = available.get(end) == Some(&b'\r');
        bytes.extend_from_slice(available.get(..end).unwrap_or_default());
        input.consume(end + 1);
        consumed += end + 1;
        if !after_return {
            return Ok(consumed);
        }
    }
}

/// A script's line `line` could not be read.
fn script_read_error(line: u64, error: &std::io::Error) -> Error {
    let stdin = crate::io::input::STDIN;
    match error.kind() {
        std::io::ErrorKind::InvalidData => Error::input(
            Location::line(stdin, line),
            format!(
                "the line is too long to be an answer ({}): give one answer per line; check that the input is a text of answers",
                crate::io::limits::LINE_BYTES.explain()
            ),
        ),
        _ => Error::io("cannot read", std::path::Path::new(stdin), error),
    }
}

/// The current or suggested value, as a prompt shows it: ` [now: 2400]`.
fn now(current: &Option<String>) -> String {
    (current.as_deref()).map_or(String::new(), |c| format!(" [now: {c}]"))
}

/// How a question shows an answer prefill suggests (not yet given).
const FROM_COUNTRY: &str = " (from the country)";

/// Typed alone, takes an answer back: the question is left unanswered (Enter keeps an answer).
const CLEAR: &str = "-";

/// What a typed line answers, on a terminal as from a script; `None` for `?` (show the help and
/// ask again).
fn line_reply(line: &str, current: &Option<String>) -> Option<Reply> {
    match line.trim() {
        "?" => None,
        "<" => Some(Reply::Back),
        CLEAR => Some(Reply::Text(String::new())),
        // Enter keeps an answer already given, and leaves the country's suggestion one.
        "" => Some(Reply::Text(current_answer(current))),
        other => Some(Reply::Text(other.to_string())),
    }
}

/// A kept answer: the current value, unless it is only a prefill suggestion.
fn current_answer(current: &Option<String>) -> String {
    match current {
        Some(value) if !value.ends_with(FROM_COUNTRY) => value.clone(),
        _ => String::new(),
    }
}

/// The values of a question answered from a numbered menu, each with what the menu shows (the
/// value with its label, if it has one); `None` for a question answered in words.
fn menu(question: &Question) -> Option<Vec<String>> {
    let labelled = |value: &str| match question.labels.get(value) {
        Some(label) => format!("{value} — {label}"),
        None => value.to_string(),
    };
    match question.kind {
        QuestionType::Choice | QuestionType::MultiChoice => {
            Some(question.values.iter().map(|v| labelled(v)).collect())
        }
        // The numbers are the values, shown once by the menu's numbering (`1  1 — Very low`
        // said it twice); the menu shows what each means.
        QuestionType::Scale if !question.labels.is_empty() => Some(
            (crate::profile::questionnaire::SCALE_POINTS)
                .map(|n| (question.labels.get(&n.to_string())).map_or(n.to_string(), String::clone))
                .collect(),
        ),
        _ => None,
    }
}

/// `typed` with each menu number of a choice (`2`, or `1; 3` for several) replaced by its
/// value; anything else as typed, for the question to read (a value is never read as a number).
fn menu_values<'t>(question: &Question, typed: &'t str) -> std::borrow::Cow<'t, str> {
    let value_of = |part: &str| -> Option<String> {
        let number = menu_number(question, part)?;
        question.values.get(number.checked_sub(1)?).cloned()
    };
    match question.kind {
        QuestionType::Choice => value_of(typed).map_or(typed.into(), Into::into),
        // Numbers and values may be mixed (`1;none`): each number is read as its value.
        QuestionType::MultiChoice if typed.split([';', ',']).any(|p| value_of(p).is_some()) => {
            (typed.split([';', ',']))
                .map(|part| value_of(part).unwrap_or_else(|| part.trim().to_string()))
                .collect::<Vec<_>>()
                .join(";")
                .into()
        }
        _ => typed.into(),
    }
}

/// The number `part` names as a menu item, if it is a number and not itself one of the
/// question's values (a value is never read as a number).
fn menu_number(question: &Question, part: &str) -> Option<usize> {
    let part = part.trim();
    let number = part.parse().ok()?;
    (!question.values.iter().any(|v| v == part)).then_some(number)
}

/// A menu number typed that the menu does not have (`9` of four): said as such, not as an
/// unknown value.
fn beyond_the_menu(question: &Question, typed: &str) -> Option<String> {
    if !matches!(
        question.kind,
        QuestionType::Choice | QuestionType::MultiChoice
    ) {
        return None;
    }
    let items = question.values.len();
    let beyond = (typed.split([';', ',']))
        .filter_map(|part| menu_number(question, part))
        .find(|number| !(1..=items).contains(number))?;
    Some(format!(
        "`{}`: the menu has no item {beyond}: type a number from 1 to {items}, or a value ({})",
        question.id,
        question.values.join(", ")
    ))
}

/// What to type at a menu: its numbers.
fn menu_hint(question: &Question, items: usize) -> String {
    match question.kind {
        QuestionType::MultiChoice => format!("1–{items}, several separated by ;"),
        _ => format!("1–{items}"),
    }
}

/// Lines pasted after the answer that have not been read yet (where the terminal does not mark
/// pastes, a paste of several lines ends the line editor at its first line break). Read now,
/// they answer no later question, and are not left to the shell to run as commands when the
/// interview ends. The terminal holds them as typed keys (a
/// line ends in `\r`): they are read as such, waiting a tenth of a second for more.
#[cfg(unix)]
fn pasted_lines() -> Vec<String> {
    // Asked after every answer now: nothing waiting (the answer was typed) costs no wait of a
    // tenth of a second; a paste's rest is there already, as at a dumb terminal (`lines_waiting`).
    if !line_editor::input_waiting(20).unwrap_or(false) {
        return Vec::new();
    }
    let fd = libc::STDIN_FILENO;
    let Ok(mode) = line_editor::TerminalMode::set(|keys| {
        keys.c_lflag &= !(libc::ICANON | libc::ECHO);
        keys.c_iflag &= !libc::ICRNL;
        keys.c_cc[libc::VMIN] = 0;
        keys.c_cc[libc::VTIME] = 1;
    }) else {
        return Vec::new();
    };
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        // SAFETY: reads at most the buffer's length into it.
        let read = unsafe { libc::read(fd, buffer.as_mut_ptr().cast(), buffer.len()) };
        match usize::try_from(read) {
            Ok(read) if read > 0 => bytes.extend_from_slice(buffer.get(..read).unwrap_or_default()),
            _ => break,
        }
    }
    drop(mode);
    // Lines end with `\r` (a terminal's Enter), `\r\n` or `\n`; a blank line between
    // paragraphs is kept, blank lines at the end are not.
    let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
    let mut lines: Vec<String> = text.split(['\r', '\n']).map(str::to_string).collect();
    while lines.last().is_some_and(|line| line.trim().is_empty()) {
        lines.pop();
    }
    lines
}

/// What lines pasted in one go make of an answer.
#[derive(Debug, PartialEq)]
enum Pasted {
    /// One line: the answer as typed.
    One(String),
    /// A paragraph for a question in words, with the number of lines after its first.
    Paragraph(String, usize),
    /// Several lines where one value is wanted, counted: no answer (taken one by one, they
    /// answered the next questions unseen).
    Refused(usize),
}

impl Pasted {
    /// The answer, if the lines make one.
    fn answer(self) -> Option<String> {
        match self {
            Pasted::One(line) | Pasted::Paragraph(line, _) => Some(line),
            Pasted::Refused(_) => None,
        }
    }

    /// What to tell the person, if anything; `hint` says what the question takes.
    fn note(&self, hint: &str) -> Option<String> {
        match self {
            Pasted::One(_) => None,
            Pasted::Paragraph(_, more) => {
                Some(format!("({more} more pasted line(s) kept in this answer)"))
            }
            Pasted::Refused(lines) => Some(format!(
                "{lines} lines were pasted, but this question takes one answer ({hint}): none of them was used. Type the answer, or paste one line."
            )),
        }
    }
}

/// The answer `line` (its lines pasted with it, if marked as a paste) and `more` lines pasted
/// after it give `question`. Blank lines at the end are none.
fn pasted_answer(question: &Question, line: String, more: &[String]) -> Pasted {
    let mut lines: Vec<&str> = line.split('\n').map(str::trim).collect();
    lines.extend(more.iter().map(|l| l.trim()));
    while lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    match lines.len() {
        1 => Pasted::One(line),
        // A pasted paragraph is one answer to a question in words (a free text read against
        // the catalog), kept as lines, as a file or a spreadsheet cell keeps them, blank lines
        // between paragraphs included.
        n if question.catalog_match_weight.is_some() => {
            Pasted::Paragraph(lines.join("\n").trim().to_string(), n - 1)
        }
        n => Pasted::Refused(n),
    }
}

/// The row a line is typed on: `text` and `: `, its words that do not fit on one row of the
/// terminal written on rows of their own above it.
fn prompt_row(term: &console::Term, text: &str, width: usize) -> String {
    let mut rows = crate::report::style::wrap(text, width.saturating_sub(3));
    let last = rows.pop().unwrap_or_default();
    for row in rows {
        let _ = term.write_line(&row);
    }
    format!("{last}: ")
}

/// Line editing on a terminal: the question on its lines, wrapped, a numbered menu for a
/// choice, and the answer typed (a value or its number; `<`, `?` and Enter as on a line).
struct TerminalPrompter;

impl Prompter for TerminalPrompter {
    fn ask(
        &mut self,
        question: &Question,
        heading: &str,
        current: Option<String>,
    ) -> Result<Reply> {
        let term = console::Term::stderr();
        let width = terminal_width().max(20);
        let _ = term.write_line(&format!("\n{}", console::style(heading).dim()));
        for line in crate::report::style::wrap(&question.prompt, width.saturating_sub(1)) {
            let _ = term.write_line(&line);
        }
        let items = menu(question);
        let hint = match &items {
            Some(items) => {
                for (number, item) in items.iter().enumerate() {
                    let lines = crate::report::style::wrap(item, width.saturating_sub(7));
                    for (at, line) in lines.iter().enumerate() {
                        let _ = match at {
                            0 => term.write_line(&format!("  {:>2}  {line}", number + 1)),
                            _ => term.write_line(&format!("      {line}")),
                        };
                    }
                }
                menu_hint(question, items.len())
            }
            None => hint(question),
        };
        loop {
            // The current value is shown, not put in the field, so that typing replaces it
            // (appended to, `2400` would become `24003000`).
            let prompt = prompt_row(&term, &format!("answer ({hint}){}", now(&current)), width);
            let line = match line_editor::read_line(&term, &prompt) {
                Ok(Line::Typed(line) | Line::Pasted(line)) => line,
                Ok(Line::Ended | Line::Interrupted) => return Ok(Reply::Stop),
                Err(error) => return Err(terminal_error(&error)),
            };
            // Lines pasted in one go: marked by the terminal (`Line::Pasted`), or, where it does
            // not mark pastes, already waiting after the line's end.
            let pasted = pasted_answer(question, line, &pasted_lines());
            if let Some(note) = pasted.note(&hint) {
                for row in crate::report::style::wrap(&note, terminal_width().saturating_sub(3)) {
                    let _ = term.write_line(&format!("  {row}"));
                }
            }
            let Some(line) = pasted.answer() else {
                continue;
            };
            match line_reply(&line, &current) {
                Some(reply) => return Ok(reply),
                None => {
                    let _ = term.write_line(&help_text(question, terminal_width()));
                }
            }
        }
    }

    /// Each line wrapped at spaces to the terminal, its continuations under its first word.
    fn say(&mut self, text: &str) {
        let term = console::Term::stderr();
        let width = terminal_width().max(20);
        for line in text.split('\n') {
            let words = line.trim_start();
            let indent = &line[..line.len() - words.len()];
            if words.is_empty() {
                let _ = term.write_line(line);
                continue;
            }
            let room = width.saturating_sub(indent.chars().count() + 1).max(10);
            for piece in crate::report::style::wrap(words, room) {
                let _ = term.write_line(&format!("{indent}{piece}"));
            }
        }
    }

    fn end(&mut self) {
        let left = pasted_lines();
        if !left.is_empty() {
            self.say(&format!(
                "({} pasted line(s) came after the last question and were not used)",
                left.len()
            ));
        }
    }

    fn offer_to_save(
        &mut self,
        home: Option<&std::path::Path>,
        check: &dyn Fn(&std::path::Path) -> Result<()>,
        save: &dyn Fn(&std::path::Path) -> Result<()>,
    ) -> Result<Option<std::path::PathBuf>> {
        let term = console::Term::stderr();
        loop {
            // Enter saves, to a name no file has: after a whole interview of Enter for "skip",
            // the same key must not throw the answers away.
            // In the current folder, or the home folder when the current one takes no file.
            let folders = [Some(std::path::Path::new(".")), home];
            let names: Vec<std::path::PathBuf> = folders
                .iter()
                .flatten()
                .map(|f| free_answers_name(f))
                .collect();
            let default = (names.iter().find(|name| check(name).is_ok()))
                .or(names.first())
                .cloned()
                .unwrap_or_else(|| std::path::PathBuf::from("answers.yaml"));
            let default = default.strip_prefix("./").unwrap_or(&default).to_path_buf();
            let question = format!(
                "Save the answers to a file? Give its name (Enter: {}; no: do not save)",
                default.display()
            );
            let prompt = prompt_row(&term, &question, terminal_width().max(20));
            let answer = match line_editor::read_line(&term, &prompt) {
                Ok(Line::Typed(name)) => Some(name),
                // Lines pasted in one go are no file name.
                Ok(Line::Pasted(_)) => {
                    self.say("  A file name is one line: type it, or paste one line.");
                    continue;
                }
                _ => None,
            };
            let said =
                |words: &[&str], name: &str| words.contains(&name.trim().to_lowercase().as_str());
            let terminal_gone = answer.is_none();
            let name = match answer {
                Some(name) if name.trim().is_empty() || said(&["yes", "y"], &name) => default,
                Some(name) if said(&["no", "n"], &name) => return Ok(None),
                // A name typed without an extension (`kenya`) is an answers file all the same.
                Some(name) => {
                    let path = home_expanded(name.trim(), home);
                    match path.extension() {
                        Some(_) => path,
                        None => path.with_extension("yaml"),
                    }
                }
                // Interrupted or the terminal gone: kept under the new name, never lost.
                None => default,
            };
            // An existing file is never replaced from here: its answers may be another's; a
            // name that cannot take the answers is asked again, never the answers lost.
            match check(&name).and_then(|()| save(&name)) {
                Ok(()) => return Ok(Some(name)),
                // Nobody to ask again: said, and the answers kept nowhere (no folder took them).
                Err(error) if terminal_gone => return Err(error),
                Err(error) => self.say(&format!("  {error}")),
            }
        }
    }
}

/// The answers of an interview saved nowhere yet, as the YAML a save would write: written to a
/// new file if Ctrl-C (or SIGTERM, or the terminal closing) ends the interview before it is
/// saved.
#[derive(Clone, Default)]
struct Unsaved(std::sync::Arc<std::sync::Mutex<Kept>>);

/// What became of the answers of an interview without `--save`.
#[derive(Default)]
enum Kept {
    /// No question answered yet.
    #[default]
    Nothing,
    /// The answers so far, as YAML.
    Answers(String),
    /// Written to this file, when the interview ended before its end (done once).
    SavedIn(std::path::PathBuf),
    /// No folder took a new file.
    Unsavable,
}

impl Unsaved {
    /// Keeps the answers so far (none: nothing to keep).
    fn keep(
        &self,
        profile: &Profile,
        questionnaire: &Questionnaire,
        comments: &crate::profile::answers::Comments,
    ) {
        let kept = match profile.answers.is_empty() {
            true => Kept::Nothing,
            false => Kept::Answers(crate::profile::answers::to_yaml(
                profile,
                questionnaire,
                comments,
            )),
        };
        if let Ok(mut slot) = self.0.lock() {
            *slot = kept;
        }
    }

    /// Writes the answers kept to a new file in the current folder (else the home folder),
    /// once: a signal and a terminal that fails under the prompt come together when a terminal
    /// window is closed, and both save through here. The lock is held while the file is
    /// written, so that neither ends the process with it half-written; the other then finds
    /// it saved. What was said of the answers, in a sentence.
    fn save_once(&self, home: Option<&std::path::Path>) -> String {
        let Ok(mut slot) = self.0.lock() else {
            return "the answers could not be saved".to_string();
        };
        if let Kept::Answers(yaml) = &*slot {
            let folders = [Some(std::path::Path::new(".")), home];
            *slot = match (folders.iter().flatten()).find_map(|f| write_new_answers_file(f, yaml)) {
                Some(path) => Kept::SavedIn(path),
                None => Kept::Unsavable,
            };
        }
        match &*slot {
            Kept::Nothing => "no question was answered, so nothing was saved".to_string(),
            Kept::SavedIn(path) => format!(
                "the answers so far were saved to {0}; go on with `ipneeds interview --resume {0}`",
                path.display()
            ),
            Kept::Answers(_) | Kept::Unsavable => {
                "the answers could not be saved (no folder here or at home takes a new file)"
                    .to_string()
            }
        }
    }

    /// On a signal, saves the answers kept (once) and says where, with the command that goes
    /// on.
    fn keep_on_interrupt(&self, home: Option<&std::path::Path>) {
        let kept = self.clone();
        let home = home.map(std::path::Path::to_path_buf);
        crate::io::output::on_interrupt(move |_| {
            line_editor::restore_terminal();
            stderr_line!("\ninterrupted: {}", kept.save_once(home.as_deref()));
        });
    }
}

/// A name for answers in `folder` that no file has yet: `answers.yaml`, `answers-2.yaml`, …
fn free_answers_name(folder: &std::path::Path) -> std::path::PathBuf {
    (1..)
        .map(|n| match n {
            1 => folder.join("answers.yaml"),
            n => folder.join(format!("answers-{n}.yaml")),
        })
        .find(|path| !path.exists() && !path.is_symlink())
        .unwrap_or_else(|| folder.join("answers.yaml"))
}

/// Writes `yaml` to a file of a new name in `folder` (never over an existing file); its path.
fn write_new_answers_file(folder: &std::path::Path, yaml: &str) -> Option<std::path::PathBuf> {
    for _ in 0..100 {
        let path = free_answers_name(folder);
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match created {
            Ok(mut file) => {
                let written = std::io::Write::write_all(&mut file, yaml.as_bytes())
                    .and_then(|()| file.sync_all());
                if written.is_err() {
                    // No half-written file left behind (a full disk): the next folder is tried.
                    let _ = std::fs::remove_file(&path);
                    return None;
                }
                return Some(
                    path.strip_prefix("./")
                        .map(|p| p.to_path_buf())
                        .unwrap_or(path),
                );
            }
            // Taken since the name was chosen: choose again.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(_) => return None,
        }
    }
    None
}

/// `~/answers.yaml` as a shell would read it (the save prompt is no shell).
fn home_expanded(name: &str, home: Option<&std::path::Path>) -> std::path::PathBuf {
    match (name.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => std::path::PathBuf::from(name),
    }
}

/// The terminal failed under the prompt (it closed, or cannot be drawn on).
fn terminal_error(error: &dyn std::fmt::Display) -> Error {
    Error::io_message(
        std::path::Path::new("terminal"),
        format!("terminal: {error}"),
    )
}

mod line_editor;
use line_editor::Line;

#[cfg(test)]
mod tests;
