//! `interview` on a real terminal: the binary runs in a pseudo-terminal of its own (100×40,
//! `TERM=xterm-256color`, its controlling terminal, as in a terminal window), and each test
//! types into it as a person would: keys read by the line editor in raw mode, pastes marked by
//! the terminal (bracketed paste), Ctrl-C. The piped path is tested in `cli_profiles`, and so
//! are a few terminal cases with a helper of their own (`on_a_terminal`: the window closing,
//! Ctrl-D, a long answer's redraws, a resumed interview, a Latin-1 byte).
//!
//! Keys are sent only once the question's line is being read in raw mode (`Terminal::answer`
//! waits for the prompt and the switch to bracketed paste that follows it): sent earlier, the
//! terminal's own line editing would take Backspace and Enter, not the interview's.

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

/// `ipneeds interview` running in a pseudo-terminal.
struct Terminal {
    master: std::fs::File,
    child: Child,
    /// Everything the interview wrote to the terminal, as written.
    written: Vec<u8>,
    /// Where in `written` the next expected text is looked for.
    mark: usize,
    /// The run's folder (its current directory).
    run: Ipneeds,
}

impl Terminal {
    /// Starts `ipneeds interview ARGS` in a fresh folder.
    fn interview(args: &[&str]) -> Terminal {
        let run = Ipneeds::new()
            .arg("interview")
            .args(args)
            .env("TERM", "xterm-256color");
        let (master, slave) = pseudo_terminal();
        let mut command = run.command();
        command
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut command, || {
                // A session of its own, with the pseudo-terminal (now its standard input) as
                // its controlling terminal: Ctrl-C and the window closing signal it as they
                // signal a program in a terminal window.
                if libc::setsid() == -1 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().unwrap();
        // The slave's copies held here would keep the terminal open after the child exits.
        drop(command);
        Terminal {
            master,
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
    /// came in time), or `None` once nothing more can come (the interview has exited and
    /// closed the terminal).
    fn read_for(&mut self, limit: Duration) -> Option<usize> {
        let mut ready = libc::pollfd {
            fd: self.master.as_raw_fd(),
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
                let n = std::io::Read::read(&mut self.master, &mut buffer).ok()?;
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

    /// Types `keys` once the line after `prompt` is being read.
    #[track_caller]
    fn answer(&mut self, prompt: &str, keys: &[u8]) {
        self.expect(prompt);
        self.expect_raw(PASTE_ON, "the line editor (bracketed paste on)");
        self.send(keys);
    }

    fn send(&mut self, keys: &[u8]) {
        std::io::Write::write_all(&mut self.master, keys).unwrap();
    }

    /// Waits for the interview to exit, reading what it writes until then; its exit status.
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
            self.read_for(Duration::from_millis(50));
        }
        panic!(
            "the interview did not exit; the screen shows:\n{}",
            self.screen()
        );
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
    /// A test that failed leaves no interview running.
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
        // SAFETY: termios is plain data, filled by tcgetattr.
        let mut settings: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: a valid descriptor and termios.
        let read = unsafe { libc::tcgetattr(terminal.master.as_raw_fd(), &mut settings) };
        assert_eq!(read, 0);
        let line_mode = libc::ICANON | libc::ECHO;
        assert_eq!(
            settings.c_lflag & line_mode,
            line_mode,
            "{end}: left in raw mode"
        );
        assert_eq!(status.code(), Some(code), "{end}: {}", terminal.screen());
    }
}

/// A non-ASCII letter typed, erased with Backspace and typed again is saved as typed: the
/// editor erases a character, not a byte of it.
#[test]
fn a_non_ascii_answer_is_saved_as_typed() {
    let mut terminal = Terminal::interview(&["--save", "a.yaml"]);
    terminal.answer("question 1 of", "Côô\x7fte d'Ivoire\r".as_bytes());
    terminal.answer("question 2 of", CTRL_C);
    assert_eq!(terminal.exit_status().code(), Some(130));
    let saved = terminal.saved("a.yaml");
    assert_eq!(saved["country"], "Côte d'Ivoire", "{}", terminal.screen());
}
