//! `interview` on a real terminal: the binary runs in a pseudo-terminal of its own (100×40,
//! `TERM=xterm-256color`, its controlling terminal, as in a terminal window), and each test
//! types into it as a person would: keys read by the line editor in raw mode, pastes marked by
//! the terminal (bracketed paste), Ctrl-C, Ctrl-D, the window closing. The piped path is tested
//! in `cli_profiles`. At the end, the output of `batch` and `score` on a terminal, through the
//! same pseudo-terminal.
//!
//! Keys are sent only once the question's line is being read in raw mode (`Terminal::answer`
//! waits for the prompt and the switch to bracketed paste that follows it): sent earlier, the
//! terminal's own line editing would take Backspace, Enter and Ctrl-D, not the interview's.

use crate::prelude::*;
use serde_json::Value;
use std::os::fd::{AsRawFd as _, FromRawFd as _, OwnedFd};
use std::process::{Child, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long any one step may take before the test fails with the screen so far: far more
/// than a step takes (milliseconds), so that a loaded machine does not fail the tests.
const PATIENCE: Duration = Duration::from_secs(15);

/// What the interview writes as it starts reading a line, and when it stops.
const PASTE_ON: &[u8] = b"\x1b[?2004h";
const PASTE_OFF: &[u8] = b"\x1b[?2004l";

/// Ctrl-C and a paste as the terminal sends them.
const CTRL_C: &[u8] = b"\x03";
fn paste(text: &str) -> Vec<u8> {
    format!("\x1b[200~{text}\x1b[201~").into_bytes()
}

/// Which of the run's standard streams the terminal is.
#[derive(Clone, Copy, PartialEq)]
enum Wiring {
    /// Standard input, output and error, and its controlling terminal: a terminal window
    /// (Ctrl-C and the window closing signal it).
    Window,
    /// Standard input and error only, not its controlling terminal (the window closing sends
    /// no signal); standard output to null.
    #[cfg(target_os = "linux")]
    Prompts,
    /// Standard output only; standard input and error to null.
    #[cfg(target_os = "linux")]
    Output,
}

/// `ipneeds` running in a pseudo-terminal.
struct Terminal {
    /// The window's end; `None` once the window is closed.
    master: Option<std::fs::File>,
    child: Child,
    /// Everything the run wrote to the terminal, as written.
    written: Vec<u8>,
    /// Where in `written` the next expected text is looked for.
    mark: usize,
    /// The run's folder (its current directory).
    run: Ipneeds,
}

impl Terminal {
    /// Starts `ipneeds interview ARGS` in a fresh folder, in a terminal window.
    fn interview(args: &[&str]) -> Terminal {
        Terminal::interview_in(Ipneeds::new(), args, Wiring::Window)
    }

    /// Starts `ipneeds interview ARGS` in `run`'s folder (with the files given to it).
    fn interview_in(run: Ipneeds, args: &[&str], wiring: Wiring) -> Terminal {
        let run = (run.arg("interview").args(args)).env("TERM", "xterm-256color");
        Terminal::start(run, wiring)
    }

    /// Starts `run` on a new pseudo-terminal.
    fn start(run: Ipneeds, wiring: Wiring) -> Terminal {
        let (master, slave) = pseudo_terminal();
        let mut command = run.command();
        let (input_and_errors, output) = match wiring {
            Wiring::Window => (true, true),
            #[cfg(target_os = "linux")]
            Wiring::Prompts => (true, false),
            #[cfg(target_os = "linux")]
            Wiring::Output => (false, true),
        };
        let terminal_if = |on: bool| {
            if on {
                Stdio::from(slave.try_clone().unwrap())
            } else {
                Stdio::null()
            }
        };
        command
            .stdin(terminal_if(input_and_errors))
            .stdout(terminal_if(output))
            .stderr(terminal_if(input_and_errors));
        if wiring == Wiring::Window {
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                std::os::unix::process::CommandExt::pre_exec(&mut command, || {
                    // A session of its own, with the pseudo-terminal (now its standard input)
                    // as its controlling terminal: Ctrl-C and the window closing signal it as
                    // they signal a program in a terminal window.
                    if libc::setsid() == -1 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) == -1 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let child = command.spawn().unwrap();
        // The slave's copies held here would keep the terminal open after the child exits.
        drop((command, slave));
        Terminal {
            master: Some(master),
            child,
            written: Vec::new(),
            mark: 0,
            run,
        }
    }

    /// Where `name` is in the run's folder.
    fn path(&self, name: &str) -> std::path::PathBuf {
        self.run.path(name)
    }

    /// The screen's text so far (escape sequences and `\r` left out), for failure messages.
    fn screen(&self) -> String {
        String::from_utf8_lossy(&visible(&self.written).0).into_owned()
    }

    /// Reads what the terminal shows, waiting at most `limit` for it: how many bytes (0: none
    /// came in time), or `None` once nothing more can come (the run has exited and closed the
    /// terminal, or the window is closed).
    fn read_for(&mut self, limit: Duration) -> Option<usize> {
        let master = self.master.as_mut()?;
        let mut ready = libc::pollfd {
            fd: master.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        let milliseconds = i32::try_from(limit.as_millis()).unwrap_or(i32::MAX);
        // SAFETY: one valid pollfd.
        match unsafe { libc::poll(&mut ready, 1, milliseconds) } {
            0 => Some(0),
            n if n > 0 => {
                let mut buffer = [0u8; 4096];
                // EIO once the child has closed the terminal and all it wrote is read.
                let n = std::io::Read::read(master, &mut buffer).ok()?;
                self.written.extend_from_slice(&buffer[..n]);
                (n > 0).then_some(n)
            }
            _ => (std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted)
                .then_some(0),
        }
    }

    /// Reads until the screen shows `text` after the last text expected (escape sequences
    /// left out); fails with the screen so far if it does not within `limit`.
    #[track_caller]
    fn expect_within(&mut self, text: &str, limit: Duration) {
        let start = Instant::now();
        loop {
            let (shown, ends) = visible(&self.written[self.mark..]);
            if let Some(at) = find(&shown, text.as_bytes()) {
                self.mark += ends[at + text.len() - 1];
                return;
            }
            let left = limit.saturating_sub(start.elapsed());
            if left.is_zero() || self.read_for(left).is_none() {
                panic!(
                    "the screen did not show {text:?} (within {limit:?}); it shows:\n{}",
                    self.screen()
                );
            }
        }
    }

    #[track_caller]
    fn expect(&mut self, text: &str) {
        self.expect_within(text, PATIENCE);
    }

    /// Reads until the interview writes `bytes` as they are, after the last text expected.
    #[track_caller]
    fn expect_raw(&mut self, bytes: &[u8], what: &str) {
        let start = Instant::now();
        loop {
            if let Some(at) = find(&self.written[self.mark..], bytes) {
                self.mark += at + bytes.len();
                return;
            }
            let left = PATIENCE.saturating_sub(start.elapsed());
            if left.is_zero() || self.read_for(left).is_none() {
                panic!("{what} did not come; the screen shows:\n{}", self.screen());
            }
        }
    }

    /// Waits until the line after `prompt` is being read (by the line editor, in raw mode).
    #[track_caller]
    fn reading(&mut self, prompt: &str) {
        self.expect(prompt);
        self.expect_raw(PASTE_ON, "the line editor (bracketed paste on)");
    }

    /// Types `keys` once the line after `prompt` is being read.
    #[track_caller]
    fn answer(&mut self, prompt: &str, keys: &[u8]) {
        self.reading(prompt);
        self.send(keys);
    }

    fn send(&mut self, keys: &[u8]) {
        let master = self.master.as_mut().expect("the window is closed");
        std::io::Write::write_all(master, keys).unwrap();
    }

    /// Closes the window: the run's reads and writes on the terminal fail from then on.
    #[cfg(target_os = "linux")]
    fn close_window(&mut self) {
        self.master = None;
    }

    /// Whether the terminal is in line mode with echo, as a shell after the run needs it.
    #[track_caller]
    fn line_mode(&self) -> bool {
        let master = self.master.as_ref().expect("the window is closed");
        // SAFETY: termios is plain data, filled by tcgetattr.
        let mut settings: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: a valid descriptor and termios. The master's settings are the terminal's.
        let read = unsafe { libc::tcgetattr(master.as_raw_fd(), &mut settings) };
        assert_eq!(read, 0, "the terminal's settings could not be read");
        let line_mode = libc::ICANON | libc::ECHO;
        settings.c_lflag & line_mode == line_mode
    }

    /// Waits for the run to exit, reading what it writes until then; its exit status.
    #[track_caller]
    fn exit_status(&mut self) -> ExitStatus {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if let Some(status) = self.child.try_wait().unwrap() {
                // What it wrote last may still be on its way through the terminal: read until
                // the terminal says it is closed (or, should another process hold it open, a
                // moment passes without output).
                while matches!(self.read_for(Duration::from_millis(200)), Some(1..)) {}
                return status;
            }
            // Closed (by the child on its way out, or the window): nothing to wait on.
            if self.read_for(Duration::from_millis(50)).is_none() {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!("the run did not exit; the screen shows:\n{}", self.screen());
    }

    /// The answers file `name`, parsed.
    #[track_caller]
    fn saved(&self, name: &str) -> serde_json::Map<String, Value> {
        let text = std::fs::read_to_string(self.path(name))
            .unwrap_or_else(|e| panic!("{name}: {e}; the screen shows:\n{}", self.screen()));
        match serde_saphyr::from_str(&text) {
            Ok(Value::Object(answers)) => answers,
            other => panic!("{name} is no map of answers ({other:?}):\n{text}"),
        }
    }
}

impl Drop for Terminal {
    /// A test that failed leaves no run going.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A pseudo-terminal of 100 columns and 40 rows: the window's end (the master) and the end the
/// child is given (the slave).
fn pseudo_terminal() -> (std::fs::File, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    let mut size = libc::winsize {
        ws_row: 40,
        ws_col: 100,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: two descriptors to fill; no name buffer, default settings, a valid size.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            // A pointer to change on some systems (macOS), to read on Linux.
            std::ptr::addr_of_mut!(size),
        )
    };
    assert_eq!(opened, 0, "no pseudo-terminal");
    // Neither end may leak into another test's child (they run in parallel): a copy of the
    // slave held elsewhere keeps the terminal open after the interview exits.
    for fd in [master, slave] {
        // SAFETY: a descriptor just opened.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: descriptors just opened, each owned once.
    unsafe {
        (
            std::fs::File::from_raw_fd(master),
            OwnedFd::from_raw_fd(slave),
        )
    }
}

/// What `written` shows on the screen: its bytes without escape sequences and `\r`, and for
/// each byte shown, the length of `written` up to and including it.
fn visible(written: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let (mut shown, mut ends) = (Vec::new(), Vec::new());
    let mut at = 0;
    while let Some(&byte) = written.get(at) {
        at += match (byte, written.get(at + 1)) {
            // CSI (`ESC [ … letter`): parameters up to a final byte in @..~.
            (0x1b, Some(b'[')) => {
                let rest = written.get(at + 2..).unwrap_or_default();
                2 + rest
                    .iter()
                    .position(|b| (0x40..=0x7e).contains(b))
                    .map_or(rest.len(), |end| end + 1)
            }
            (0x1b, Some(_)) => 2,
            (0x1b | b'\r', None) | (b'\r', _) => 1,
            _ => {
                shown.push(byte);
                ends.push(at + 1);
                1
            }
        };
    }
    (shown, ends)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The answers of a saved file, without its header (`questionnaire`).
fn answers(saved: &serde_json::Map<String, Value>) -> serde_json::Map<String, Value> {
    let mut answers = saved.clone();
    answers.remove("questionnaire");
    answers
}

/// Typed answers, edited as they are typed, are saved after each question; Ctrl-C then ends
/// the interview with 130, as an interrupted program does, and the file holds exactly the
/// answers given.
#[test]
fn ctrl_c_keeps_the_answers_typed_and_edited_so_far() {
    let mut terminal = Terminal::interview(&["--save", "a.yaml"]);
    // `UX`, Backspace, `A`, ←, `G`: UGA.
    terminal.answer("question 1 of", b"UX\x7fA\x1b[DG\r");
    terminal.answer("question 2 of", b"3\r");
    terminal.answer("question 3 of", CTRL_C);
    terminal.expect("interrupted: the answers given are saved in a.yaml");
    let status = terminal.exit_status();
    assert_eq!(status.code(), Some(130), "{}", terminal.screen());
    let saved = terminal.saved("a.yaml");
    assert_eq!(saved["questionnaire"]["id"], "ip-office-profile");
    assert_eq!(
        Value::Object(answers(&saved)),
        serde_json::json!({"country": "UGA", "ldc_status": "graduated"})
    );
}

/// Lines pasted at a question that takes one value are refused together, and the question is
/// asked again: taken one by one they would answer the next questions unseen.
#[test]
fn a_multi_line_paste_at_a_choice_is_refused_whole() {
    let mut terminal = Terminal::interview(&["--save", "a.yaml"]);
    terminal.answer("question 1 of", b"UGA\r");
    terminal.answer("question 2 of", &paste("2\r3\r4\r"));
    terminal.expect("3 lines were pasted, but this question takes one answer (1–4): none of");
    terminal.answer("answer (1–4)", b"4\r");
    terminal.answer("question 3 of", CTRL_C);
    assert_eq!(terminal.exit_status().code(), Some(130));
    let screen = terminal.screen();
    assert!(!screen.contains("question 4 of"), "{screen}");
    // The paste's lines are nowhere: neither question 2's answer nor question 3's.
    assert_eq!(
        Value::Object(answers(&terminal.saved("a.yaml"))),
        serde_json::json!({"country": "UGA", "ldc_status": "no"}),
        "{screen}"
    );
}

/// One line pasted (with the line break a copied line ends with) is the answer as if typed:
/// the terminal's markers around it are no part of it.
#[test]
fn a_one_line_paste_is_taken_as_the_answer() {
    let mut terminal = Terminal::interview(&["--save", "a.yaml"]);
    terminal.answer("question 1 of", b"UGA\r");
    terminal.answer("question 2 of", &paste("graduating\r"));
    terminal.expect("graduating");
    terminal.send(b"\r");
    terminal.answer("question 3 of", CTRL_C);
    assert_eq!(terminal.exit_status().code(), Some(130));
    assert!(!terminal.screen().contains("lines were pasted"));
    let saved = terminal.saved("a.yaml");
    assert_eq!(saved["ldc_status"], "graduating", "{}", terminal.screen());
}

/// Bracketed paste is on while a line is read and off again when the interview ends, by Ctrl-C
/// or at the end of the input (Ctrl-D): left on, the shell after it would get every paste
/// wrapped in `ESC[200~`; and the terminal is back in line mode with echo.
#[test]
fn bracketed_paste_is_switched_off_when_the_interview_ends() {
    let ends: [(&str, &[u8], i32); 2] = [("Ctrl-C", CTRL_C, 130), ("Ctrl-D", b"\x04", 0)];
    for (end, key, code) in ends {
        let mut terminal = Terminal::interview(&["--save", "a.yaml"]);
        terminal.answer("question 1 of", b"UGA\r");
        // `answer` waits for the switch on after the prompt.
        terminal.answer("question 2 of", key);
        let status = terminal.exit_status();
        let written = terminal.written.clone();
        let last_on = written.windows(PASTE_ON.len()).rposition(|w| w == PASTE_ON);
        let last_off = written
            .windows(PASTE_OFF.len())
            .rposition(|w| w == PASTE_OFF);
        assert!(
            last_off > last_on,
            "{end}: bracketed paste left on ({status:?}): {:?}",
            String::from_utf8_lossy(&written)
        );
        assert!(terminal.line_mode(), "{end}: left in raw mode");
        assert_eq!(status.code(), Some(code), "{end}: {}", terminal.screen());
    }
}

/// A non-ASCII letter typed, erased with Backspace and typed again is read as typed: the
/// editor erases a character, not a byte of it. (The country is found only by its exact
/// letters, and is saved as its code.)
#[test]
fn a_non_ascii_answer_is_saved_as_typed() {
    let mut terminal = Terminal::interview(&["--save", "a.yaml"]);
    terminal.answer("question 1 of", "Côô\x7fte d'Ivoire\r".as_bytes());
    terminal.answer("question 2 of", CTRL_C);
    assert_eq!(terminal.exit_status().code(), Some(130));
    let saved = terminal.saved("a.yaml");
    assert_eq!(saved["country"], "CIV", "{}", terminal.screen());
}

/// Closing the terminal window ends an interview two ways at once: the reads fail, and a
/// hangup signal comes (saved as Ctrl-C is). The failing read used to end the run first, and
/// the answers were lost. Here the terminal is not the child's controlling one, so no signal
/// comes: the read alone must keep the answers, in one new file, whole.
#[cfg(target_os = "linux")]
#[test]
fn an_interview_whose_terminal_window_closes_keeps_its_answers() {
    let mut terminal = Terminal::interview_in(Ipneeds::new(), &[], Wiring::Prompts);
    // The person answers two questions, then closes the window.
    terminal.answer("question 1 of", b"UGA\r");
    terminal.answer("question 2 of", b"2\r");
    terminal.reading("question 3 of");
    terminal.close_window();
    let status = terminal.exit_status();
    assert_eq!(
        status.code(),
        Some(3),
        "a terminal that fails is an I/O error"
    );
    let kept: Vec<_> = std::fs::read_dir(terminal.path(""))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(kept, ["answers.yaml"], "one file of answers, whole");
    let saved = terminal.saved("answers.yaml");
    assert_eq!(saved["country"], "UGA");
    assert_eq!(saved["ldc_status"], "graduating");
}

/// Ctrl-D on an empty answer ends the interview as the end of a script's input does: the
/// offer to save the answers so far, then their ranking. It did nothing.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_d_on_an_empty_answer_ends_the_interview() {
    let mut terminal = Terminal::interview_in(Ipneeds::new(), &[], Wiring::Prompts);
    terminal.answer("question 1 of", b"UGA\r");
    // Read by the line editor, not by the terminal (which would end its input).
    terminal.answer("question 2 of", b"\x04");
    terminal.answer("Save the answers to a file?", b"kept\r");
    terminal.expect("answers saved to kept.yaml");
    let status = terminal.exit_status();
    let seen = terminal.screen();
    assert!(status.success(), "{status:?}: {seen}");
    assert!(!seen.contains("question 3 of"), "{seen}");
    assert_eq!(terminal.saved("kept.yaml")["country"], "UGA");
}

/// A name whose disk cannot take the answers at the end (full) is said, and a name asked
/// again: before, the error ended the interview and every answer typed was lost.
#[cfg(target_os = "linux")]
#[test]
fn a_save_the_disk_refuses_at_the_end_asks_for_another_name() {
    let run = Ipneeds::new();
    let Some(full) = full_device(&run.path("")) else {
        eprintln!("skipped: cannot create a device node here (not root)");
        return;
    };
    std::fs::rename(&full, run.path("full.yaml")).unwrap();
    let mut terminal = Terminal::interview_in(run, &[], Wiring::Prompts);
    terminal.answer("question 1 of", b"UGA\r");
    terminal.answer("question 2 of", b"\x04");
    terminal.answer("Save the answers to a file?", b"full.yaml\r");
    terminal.expect("cannot write full.yaml: the disk is full");
    terminal.answer("Save the answers to a file?", b"kept\r");
    terminal.expect("answers saved to kept.yaml");
    let status = terminal.exit_status();
    assert!(status.success(), "{status:?}: {}", terminal.screen());
    assert_eq!(terminal.saved("kept.yaml")["country"], "UGA");
}

/// Ctrl-C while an answer is typed keeps the answers and leaves the terminal as it found it.
/// The interview went on to read pasted lines (echo off) while the signal's handler ended the
/// process: the shell after it showed nothing typed.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_in_an_answer_leaves_the_terminal_as_it_was() {
    let mut terminal = Terminal::interview_in(Ipneeds::new(), &[], Wiring::Prompts);
    terminal.answer("question 1 of", b"UGA\r");
    terminal.answer("question 2 of", b"gradu");
    terminal.expect("gradu");
    terminal.send(CTRL_C);
    terminal.expect("interrupted: the answers so far were saved to answers.yaml");
    let status = terminal.exit_status();
    let seen = terminal.screen();
    assert_eq!(status.code(), Some(130), "{seen}");
    assert!(
        terminal.line_mode(),
        "the terminal was left in raw mode: {:?}",
        String::from_utf8_lossy(&terminal.written)
    );
    assert_eq!(terminal.saved("answers.yaml")["country"], "UGA");
}

/// An answer longer than the terminal's row, typed and edited, is on the screen once after
/// Enter: every redraw starts from the prompt's first row (dialoguer redrew from the last
/// row only, and Enter showed the wrapped answer twice), and typing at the end redraws
/// nothing.
#[cfg(target_os = "linux")]
#[test]
fn a_long_answer_typed_on_a_terminal_is_shown_once() {
    let text = "the office has a backlog of patent applications and too few examiners; \
                the staff need training in examination and in the management of the office";
    assert!(text.len() > 100, "wider than the 100-column terminal");
    let keys = format!("{text}\x1b[D\x7f\r");
    let mut terminal = Terminal::interview_in(Ipneeds::new(), &[], Wiring::Prompts);
    terminal.answer("question 1 of", b"UGA\r");
    // Question 2 is a choice: the text is refused and asked again, after Enter.
    terminal.answer("question 2 of", keys.as_bytes());
    terminal.expect("Try again");
    // As written, escape sequences included.
    let seen = String::from_utf8_lossy(&terminal.written).into_owned();
    // Typed at the end, the characters are written as they come; ←, Backspace and Enter
    // redraw the answer, each from the prompt's first row: up, then clear below.
    let typed = &seen[seen.find("question 2 of").unwrap()..seen.find("Try again").unwrap()];
    let redraws: Vec<&str> = typed.split("\r\x1b[J").collect();
    assert_eq!(
        redraws.len(),
        5,
        "the prompt, ←, Backspace, Enter: {typed:?}"
    );
    // (A full row goes on at the next row's start: `\r\n`, which the terminal writes
    // `\r\r\n`.)
    assert!(redraws[1].replace("\r\r\n", "").contains(text), "{typed:?}");
    for before in &redraws[1..4] {
        let up = before.rsplit("\x1b[").next().unwrap();
        assert!(
            up.ends_with('A') && up[..up.len() - 1].parse::<u32>().is_ok_and(|n| n >= 1),
            "a redraw of the wrapped answer did not start from its first row: {before:?}"
        );
    }
    // The last redraw shows the answer as edited (← then Backspace: `office` lost its `c`),
    // once.
    let edited = format!("{}{}", &text[..text.len() - 2], &text[text.len() - 1..]);
    let last = redraws.last().unwrap();
    assert_eq!(last.matches(&edited).count(), 1, "{last:?}");
}

/// A person resuming a file is asked every question it leaves open, before and after the
/// ones it answers (only those after the last answer were asked: a file answering only the
/// last question asked nothing); a country the table does not know is asked again.
#[cfg(target_os = "linux")]
#[test]
fn a_resumed_interview_on_a_terminal_asks_every_open_question() {
    let run = Ipneeds::new().file("uc.yaml", "country: Ugnda\nip_strategy: none\n");
    let questions = Questionnaire::load(None).unwrap().questions;
    let strategy = 1
        + (questions.iter())
            .position(|q| q.id == "ip_strategy")
            .unwrap();
    let heading = |n: usize| format!("question {n} of");
    let mut terminal = Terminal::interview_in(run, &["--resume", "uc.yaml"], Wiring::Prompts);
    terminal.answer("[now: Ugnda]", b"\r");
    terminal.answer("did you mean Uganda", b"\r");
    // Every open question before the strategy (2 and 3 among them) left as it is.
    for n in 2..strategy {
        terminal.answer(&heading(n), b"\r");
    }
    terminal.expect(&heading(strategy + 1));
    let seen = terminal.screen();
    assert!(
        !seen.contains(&heading(strategy)),
        "the strategy the file answers was asked again: {seen}"
    );
    terminal.close_window();
    terminal.exit_status();
    let saved = terminal.saved("uc.yaml");
    assert_eq!(saved["country"], "UGA", "the country corrected");
    assert_eq!(saved["ip_strategy"], "none");
}

/// A paragraph pasted into the free-text question keeps its line breaks in the saved answers,
/// as a file or a spreadsheet cell keeps them (they were joined with spaces).
#[cfg(target_os = "linux")]
#[test]
fn a_paragraph_pasted_in_the_interview_keeps_its_lines() {
    let count = Questionnaire::load(None).unwrap().questions.len();
    let mut terminal =
        Terminal::interview_in(Ipneeds::new(), &["--save", "a.yaml"], Wiring::Prompts);
    terminal.answer("question 1 of", b"UGA\r");
    // Every other question left as it is, up to the free text, the last.
    for n in 2..count {
        terminal.answer(&format!("question {n} of"), b"\r");
    }
    // In one go, without a terminal's paste markers.
    terminal.answer(
        &format!("question {count} of"),
        b"Backlog of patents.\r\rNo TISC yet.\r",
    );
    terminal.expect("answers saved to");
    let status = terminal.exit_status();
    assert!(status.success(), "{status:?}: {}", terminal.screen());
    // The blank line between the paragraphs too.
    assert_eq!(
        terminal.saved("a.yaml")["challenges"],
        "Backlog of patents.\n\nNo TISC yet."
    );
}

/// A terminal set to Latin-1 sends `ô` as one byte that is not UTF-8: the line is asked again
/// with the fix, never kept without the letters ("Cd'Ivoire").
#[cfg(target_os = "linux")]
#[test]
fn a_line_typed_in_another_encoding_is_asked_again_not_kept_without_its_letters() {
    let mut terminal =
        Terminal::interview_in(Ipneeds::new(), &["--save", "a.yaml"], Wiring::Prompts);
    terminal.answer("question 1 of", b"C\xf4te d'Ivoire\r");
    // Asked again by the same line editor, still in raw mode.
    terminal.expect("character encoding to UTF-8");
    terminal.send("Côte d'Ivoire\r".as_bytes());
    terminal.answer("question 2 of", b"\x04");
    terminal.exit_status();
    let saved = terminal.saved("a.yaml");
    assert_eq!(saved["country"], "CIV", "{}", terminal.screen());
}

/// What `run` prints on standard output when it is a terminal.
#[cfg(target_os = "linux")]
fn stdout_on_a_terminal(run: Ipneeds) -> Vec<u8> {
    let mut terminal = Terminal::start(run, Wiring::Output);
    terminal.exit_status();
    std::mem::take(&mut terminal.written)
}

/// A survey export carries whatever respondents typed, escape sequences included: on a terminal
/// `batch` shows them as U+FFFD, so that a cell cannot erase rows or hide the rest of the
/// output; written to a file, the results keep the text as it came.
#[cfg(target_os = "linux")]
#[test]
fn batch_results_on_a_terminal_cannot_move_its_cursor_or_hide_rows() {
    let hostile = "id,country,challenges\nfirst,UGA,backlog\nsecond,KEN,\"backlog\u{1b}[1A\u{1b}[2K\r\u{1b}[8m\u{9b}2J\u{7}\"\n";
    let run = || {
        (Ipneeds::new().dated(AS_OF).args(["--color", "never"]))
            .file("profiles.csv", hostile)
            .args(["batch", "profiles.csv", "--top", "1"])
    };
    let shown = String::from_utf8(stdout_on_a_terminal(run())).unwrap();
    assert!(!shown.contains(['\u{1b}', '\u{7}', '\u{9b}']), "{shown:?}");
    assert!(shown.contains("second,KEN,"), "{shown:?}");
    assert!(shown.contains("backlog\u{fffd}[1A\u{fffd}[2K"), "{shown:?}");
    // To a file (here a pipe), the text as it came.
    let piped = run().run();
    piped.expect_code(0, "hostile text is still text");
    assert!(
        piped.stdout.contains("\u{1b}[8m\u{9b}2J"),
        "{}",
        piped.stdout
    );
}

/// A terminal that shows escape codes as text (`TERM=dumb`: Emacs's shell, some IDE consoles,
/// speech and braille setups) gets no colour, as `NO_COLOR` asks; another terminal does.
#[cfg(target_os = "linux")]
#[test]
fn a_dumb_terminal_gets_no_colour() {
    let answers = "patent_info_center: no\nchallenges: backlog of patent applications\n";
    let shown = |term: &str| {
        // Without `--color never`, and without the `NO_COLOR` every run is given.
        let run = Ipneeds::new()
            .file("a.yaml", answers)
            .env_remove("NO_COLOR")
            .env("TERM", term)
            .args(["score", "a.yaml"]);
        String::from_utf8(stdout_on_a_terminal(run)).unwrap()
    };
    let dumb = shown("dumb");
    assert!(dumb.contains("ip-information-access"), "{dumb}");
    assert!(!dumb.contains('\u{1b}'), "{dumb:?}");
    let coloured = shown("xterm-256color");
    assert!(coloured.contains("\u{1b}["), "{coloured:?}");
}
