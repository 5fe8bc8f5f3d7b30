//! `ipneeds interview`: the questionnaire asked in the terminal.
//!
//! On a terminal, choices are selection lists (dialoguer); otherwise each answer is one line
//! of standard input, so an interview can be scripted and tested. Prompts go to stderr, the
//! ranking to stdout.

use super::{Context, Outcome};
use crate::cli::{InterviewArgs, ReportFormat};
use crate::error::{Error, Result};
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
    /// At the end of an interview without `--save`: where to save the answers, if the person
    /// wants them kept (asked only on a terminal).
    fn offer_to_save(&mut self) -> Result<Option<std::path::PathBuf>> {
        Ok(None)
    }
}

pub fn run(context: &Context, args: &InterviewArgs) -> Result<Outcome> {
    let questionnaire = context.questionnaire()?;
    let countries = context.countries()?;
    let mut profile = Profile::default();
    // The resumed file's comments, written again by their answers on every save.
    let mut comments = crate::profile::answers::Comments::default();
    let mut inputs = context.input_files();
    inputs.extend(args.resume.as_deref());
    let resumed =
        |save: &std::path::Path| (args.resume.as_deref()).is_some_and(|r| same_file(r, save));
    // Saving over the resumed file is the point of --resume --save; anything else is refused.
    let save_target = args.save.as_deref().filter(|save| !resumed(save));
    crate::io::output::check_outputs(&inputs, &[save_target, args.report.as_deref()])?;
    crate::io::output::check_outputs(&context.input_files(), &[args.save.as_deref()])?;
    if let Some(save) = &args.save {
        // The first answer is saved at once: a path that cannot take the file (a directory, a
        // missing folder) is refused before any question, not after one. Dropped unfinished,
        // the trial file is discarded.
        drop(crate::io::output::Destination::create(Some(save))?);
        // Never replace earlier answers the person did not ask to redo.
        if save.exists() && !resumed(save) {
            return Err(Error::usage(format!(
                "{}: the file already exists: continue it with `--resume {0} --save {0}`, or save to a new file",
                save.display()
            )));
        }
    }
    // A read-only --report is refused before the questions, not after them.
    if let Some(report) = &args.report {
        crate::io::output::refuse_read_only_output(report)?;
    }
    if let Some(path) = &args.resume {
        let text = crate::profile::answers::read_text(path)?;
        let parsed =
            crate::profile::answers::parse(&text, &path.display().to_string(), &questionnaire)?;
        if let Some(warning) = parsed.version_warning {
            super::warn(&warning);
        }
        if !parsed.problems.is_empty() {
            return Err(Error::problems(&parsed.problems));
        }
        profile = parsed.profile;
        comments = crate::profile::answers::comments(&text, &path.display().to_string())?;
    }
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
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
        Some((_, columns)) => usize::from(columns).clamp(40, 100),
        None => 100,
    };
    let description = crate::report::style::wrap(&questionnaire.description, width).join("\n");
    prompter.say(&format!(
        "{}\n{description}\n{total} questions; Enter leaves one unanswered, ? shows help, < goes back.\n",
        questionnaire.title
    ));
    let save_answers = |path: &std::path::Path, profile: &Profile| {
        let yaml = crate::profile::answers::to_yaml(profile, &questionnaire, &comments);
        crate::io::output::write_file_atomically(path, &yaml)
    };
    let mut history: Vec<usize> = Vec::new();
    // The input line that last answered each question (a script's), to say where to go on.
    let mut answered_at: Vec<Option<u64>> = vec![None; total];
    let mut position = after_last_answered(&questionnaire, &profile);
    // A country suggested for a misspelt one: the next ask's default, so Enter accepts it.
    let mut suggested: Option<String> = None;
    while position < total {
        let Some(question) = questionnaire.questions.get(position) else {
            break;
        };
        if !crate::scoring::should_ask(&questionnaire, &profile, question) {
            // A question skipped by skip logic keeps no stale answer.
            profile.answers.remove(&question.id);
            position += 1;
            continue;
        }
        let section = questionnaire.section_title(&question.section);
        let heading = format!("question {} of {total} · {section}", position + 1);
        let current = suggested
            .take()
            .or_else(|| current_value(&profile, &questionnaire, countries, context, question));
        let reply = match prompter.ask(question, &heading, current)? {
            Reply::Stop => break,
            Reply::Back => {
                if let Some(previous) = history.pop() {
                    position = previous;
                } else {
                    prompter.say("(this is the first question)");
                }
                continue;
            }
            Reply::Text(text) => parse_answer(question, &text),
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
                    Ok(_) => Ok(Some(Value::Text(name))),
                    Err(unknown) => {
                        suggested = unknown
                            .suggestions
                            .first()
                            .and_then(|s| s.rsplit_once(" (").map(|(_, code)| code))
                            .map(|code| code.trim_end_matches(')').to_string());
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
                    let saved = match args.save.as_deref() {
                        None => Saved::NoSave,
                        Some(_) if profile.answers.is_empty() && args.resume.is_none() => {
                            Saved::NothingAnswered
                        }
                        Some(path) => {
                            save_answers(path, &profile)?;
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
                let retry = match &suggested {
                    Some(code) => format!("Enter accepts {code}, or type another"),
                    None => "Try again (Enter to skip)".to_string(),
                };
                // "did you mean Senegal (SEN)? Enter accepts SEN", not "…(SEN)?. Enter…".
                let stop = if message.ends_with('?') { "" } else { "." };
                prompter.say(&format!("  {message}{stop} {retry}."));
                continue;
            }
        }
        if let Some(path) = &args.save {
            save_answers(path, &profile)?;
        }
        if let Some(slot) = answered_at.get_mut(position) {
            *slot = prompter.scripted_line();
        }
        history.push(position);
        position += 1;
    }
    let saved = match &args.save {
        Some(path) => Some(path.clone()),
        None => prompter.offer_to_save()?,
    };
    match &saved {
        Some(path) => {
            save_answers(path, &profile)?;
            stderr_line!("answers saved to {}", path.display());
            if args.report.is_none() {
                stderr_line!(
                    "for a report to share: ipneeds score {} --format html -o report.html",
                    path.display()
                );
            }
        }
        None => stderr_line!(
            "the answers were not saved: run `ipneeds interview --save answers.yaml` to keep them (and `--report report.html` for a report to share)"
        ),
    }
    if let Err(message) = profile.prefill(&questionnaire, countries, context.as_of) {
        super::warn(&format!(
            "`country`: {message}; LDC status and regional organizations were not prefilled"
        ));
    }
    stderr_line!();
    let scorer = crate::scoring::Scorer::new(&context.catalog, &questionnaire)?;
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

/// Where an interview starts: after the last question answered (on `--resume`), so that the
/// questions left unanswered before it, or that the country prefills, are not asked again.
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
                    "`ipneeds interview --resume {0} --save {0}`",
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
            crate::error::Location::Line {
                file: crate::io::input::STDIN.to_string(),
                line: *line,
                column: None,
            },
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
        _ => crate::commands::template::allowed(question),
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
                Err(error) => {
                    return Err(Error::io(
                        "cannot read",
                        std::path::Path::new(crate::io::input::STDIN),
                        &error,
                    ))
                }
            }
            // A file saved by Notepad starts with a byte-order mark: no part of the answer.
            if self.line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes.drain(..3);
            }
            let line = match String::from_utf8(bytes) {
                Ok(line) => line,
                Err(error) => {
                    let lossy = String::from_utf8_lossy(error.as_bytes());
                    let shown = crate::profile::shorten(lossy.trim());
                    return Ok(Reply::NotText(shown));
                }
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
}

/// Reads one line of answers into `bytes`, ended by `\n`, `\r\n` or a lone `\r` (a script saved
/// with classic Mac line ends was one long answer); the bytes consumed, 0 at the input's end.
fn read_script_line(input: &mut impl BufRead, bytes: &mut Vec<u8>) -> std::io::Result<usize> {
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
            bytes.extend_from_slice(available);
            input.consume(length);
            consumed += length;
            continue;
        };
        after_return = available.get(end) == Some(&b'\r');
        bytes.extend_from_slice(available.get(..end).unwrap_or_default());
        input.consume(end + 1);
        consumed += end + 1;
        if !after_return {
            return Ok(consumed);
        }
    }
}

/// The current or suggested value, as a prompt shows it: ` [now: 2400]`.
fn now(current: &Option<String>) -> String {
    (current.as_deref()).map_or(String::new(), |c| format!(" [now: {c}]"))
}

/// How a question shows an answer prefill suggests (not yet given).
const FROM_COUNTRY: &str = " (from the country)";

/// What a typed line answers, on a terminal as from a script; `None` for `?` (show the help and
/// ask again).
fn line_reply(line: &str, current: &Option<String>) -> Option<Reply> {
    match line.trim() {
        "?" => None,
        "<" => Some(Reply::Back),
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

/// The value the country would prefill, when that is what the question shows.
fn suggestion(current: &Option<String>) -> Option<&str> {
    (current.as_deref()).and_then(|c| c.strip_suffix(FROM_COUNTRY))
}

/// The current or suggested value, as an answer would give it.
fn shown_value(current: &Option<String>) -> Option<&str> {
    (current.as_deref()).map(|c| c.trim_end_matches(FROM_COUNTRY))
}

/// The values a question is answered with from a selection list, each with what the list
/// shows (the value with its label, if it has one); `None` for a typed answer.
fn choice_list(question: &Question) -> Option<Vec<(String, String)>> {
    let labelled = |value: &str| {
        let label = question.labels.get(value);
        let shown = label.map_or(value.to_string(), |l| format!("{value} — {l}"));
        (value.to_string(), shown)
    };
    match question.kind {
        QuestionType::Boolean => Some(["yes", "no"].map(|v| (v.into(), v.into())).to_vec()),
        QuestionType::Choice => Some(question.values.iter().map(|v| labelled(v)).collect()),
        QuestionType::Scale => Some((1..=5).map(|n| labelled(&n.to_string())).collect()),
        _ => None,
    }
}

/// What picking item `picked` of a selection list answers (the `choices`, then [`SKIP`],
/// [`BACK`] and [`HELP`]); `None` for help (show it and ask again). The country's suggestion,
/// the list's default, picked as it stands stays a suggestion, as Enter on a line leaves it:
/// saved as the person's answer, it would no longer follow the country and the date.
fn picked_reply(
    picked: Option<usize>,
    choices: &[(String, String)],
    current: &Option<String>,
) -> Option<Reply> {
    let Some(index) = picked else {
        return Some(Reply::Stop);
    };
    if let Some((value, _)) = choices.get(index) {
        return Some(Reply::Text(
            match suggestion(current) == Some(value.as_str()) {
                true => String::new(),
                false => value.clone(),
            },
        ));
    }
    // After the choices: SKIP, BACK, HELP.
    match index.saturating_sub(choices.len()) {
        0 => Some(Reply::Text(String::new())),
        1 => Some(Reply::Back),
        _ => None,
    }
}

/// The prompt for a selection list or the line editor, on a terminal `width` characters wide:
/// `asked` then `rest`; or, when that would not fit on a line, a short prompt and `asked` to
/// write on lines of its own above it (returned first). Both redraw only the last line of a
/// prompt the terminal wraps, so the lines above it showed twice.
fn fitted_prompt<'q>(asked: &'q str, rest: &str, width: usize) -> (Option<&'q str>, String) {
    // The prompt is followed by ": " and the answer's first characters.
    if asked.chars().count() + rest.chars().count() + 4 < width {
        (None, format!("{asked}{rest}"))
    } else {
        (Some(asked), format!("answer{rest}"))
    }
}

/// Writes what [`fitted_prompt`] puts above the prompt; the prompt.
fn prompt_on(term: &console::Term, asked: &str, rest: &str) -> String {
    let (above, prompt) = fitted_prompt(asked, rest, usize::from(term.size().1));
    if let Some(line) = above {
        let _ = term.write_line(line);
    }
    prompt
}

/// Selection lists and line editing on a terminal.
struct TerminalPrompter;

const SKIP: &str = "— leave unanswered";
const BACK: &str = "— go back";
const HELP: &str = "— help";

impl Prompter for TerminalPrompter {
    fn ask(
        &mut self,
        question: &Question,
        heading: &str,
        current: Option<String>,
    ) -> Result<Reply> {
        let theme = dialoguer::theme::SimpleTheme;
        let term = console::Term::stderr();
        let _ = term.write_line(&format!("\n{}", console::style(heading).dim()));
        let choices = choice_list(question);
        loop {
            if let Some(choices) = &choices {
                let mut items: Vec<String> = choices
                    .iter()
                    .map(
                        |(value, label)| match suggestion(&current) == Some(value.as_str()) {
                            true => format!("{label}{FROM_COUNTRY}"),
                            false => label.clone(),
                        },
                    )
                    .collect();
                items.extend([SKIP.to_string(), BACK.to_string(), HELP.to_string()]);
                let default = shown_value(&current)
                    .and_then(|c| choices.iter().position(|(v, _)| v == c))
                    .unwrap_or(choices.len());
                let picked = dialoguer::Select::with_theme(&theme)
                    .with_prompt(prompt_on(&term, &question.prompt, ""))
                    .items(&items)
                    .default(default)
                    .interact_on_opt(&term)
                    .map_err(|e| terminal_error(&e))?;
                match picked_reply(picked, choices, &current) {
                    Some(reply) => return Ok(reply),
                    None => {
                        let _ = term.write_line(&help_text(question, terminal_width()));
                        continue;
                    }
                }
            }
            // As on a line: the current value is shown, not put in the field, so that typing
            // replaces it (appended to, `2400` would become `24003000`).
            let asked = format!("{} ({})", question.prompt, hint(question));
            let prompt = prompt_on(&term, &asked, &now(&current));
            let input = dialoguer::Input::<String>::with_theme(&theme)
                .with_prompt(prompt)
                .allow_empty(true);
            let line = match input.interact_text_on(&term) {
                Ok(line) => line,
                Err(dialoguer::Error::IO(error))
                    if error.kind() == std::io::ErrorKind::Interrupted =>
                {
                    return Ok(Reply::Stop)
                }
                Err(error) => return Err(terminal_error(&error)),
            };
            match line_reply(&line, &current) {
                Some(reply) => return Ok(reply),
                None => {
                    let _ = term.write_line(&help_text(question, terminal_width()));
                }
            }
        }
    }

    fn say(&mut self, text: &str) {
        let _ = console::Term::stderr().write_line(text);
    }

    fn offer_to_save(&mut self) -> Result<Option<std::path::PathBuf>> {
        let term = console::Term::stderr();
        loop {
            let answer = dialoguer::Input::<String>::with_theme(&dialoguer::theme::SimpleTheme)
                .with_prompt("Save the answers to a file? Give its name (Enter: do not save)")
                .allow_empty(true)
                .interact_text_on(&term);
            let name = match answer {
                Ok(name) if name.trim().is_empty() => return Ok(None),
                Ok(name) => std::path::PathBuf::from(name.trim()),
                Err(_) => return Ok(None),
            };
            // An existing file is never replaced from here: its answers may be another's.
            if name.exists() {
                let _ = term.write_line(&format!(
                    "  {} already exists: give another name",
                    name.display()
                ));
                continue;
            }
            return Ok(Some(name));
        }
    }
}

/// The terminal failed under the prompt (it closed, or cannot be drawn on).
fn terminal_error(error: &dyn std::fmt::Display) -> Error {
    Error::io_message(
        std::path::Path::new("terminal"),
        format!("terminal: {error}"),
    )
}

#[cfg(test)]
mod tests;
