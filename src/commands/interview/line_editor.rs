//! Typing one answer on a terminal. An answer may take several rows of the screen (a paragraph
//! of free text, a long prompt, a narrow window), so every edit redraws the prompt and the
//! answer from their first row, and Enter leaves them on the screen once. (dialoguer's line
//! cleared only the last row: a wrapped answer was drawn twice on Enter.)
//!
//! Keys: letters insert at the cursor; ← → Home End (Ctrl-A, Ctrl-E) move; Backspace and
//! Delete erase; Ctrl-U erases to the start, Ctrl-K to the end, Ctrl-W the word before;
//! Enter ends the line; Ctrl-D on an empty line ends the input, as at a shell's prompt;
//! Ctrl-C interrupts (the signal's handler keeps the answers).
//!
//! Bracketed paste is on while a line is read: the terminal marks a paste, so that its line
//! breaks are not Enter (each line answered the next question).
//!
//! The terminal stays in raw mode for the whole line. (Switched to raw for each key and back,
//! keys typed or pasted faster than they were read met the terminal in line mode: echoed,
//! `\r` made `\n`, Backspace taking the key before it, Ctrl-D taken as the end of input.)

use console::{Key, Term};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The terminal's settings before a line was read in raw mode: put back when the line ends,
/// or by a signal's handler that ends the process during the line (`restore_terminal`).
static SAVED: Mutex<Option<libc::termios>> = Mutex::new(None);

/// Settings of the terminal (standard input) changed for as long as this lives; put back by
/// `restore_terminal` if a signal ends the process first.
pub(super) struct TerminalMode;

impl TerminalMode {
    /// The terminal's settings changed by `change`.
    pub(super) fn set(change: impl FnOnce(&mut libc::termios)) -> std::io::Result<TerminalMode> {
        let fd = libc::STDIN_FILENO;
        // SAFETY: termios is plain data, filled by tcgetattr before use.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: a valid descriptor and a valid termios to fill.
        if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        let mut changed = saved;
        change(&mut changed);
        if let Ok(mut slot) = SAVED.lock() {
            *slot = Some(saved);
        }
        // SAFETY: as above. TCSADRAIN, not TCSAFLUSH: keys typed ahead are kept.
        if unsafe { libc::tcsetattr(fd, libc::TCSADRAIN, &changed) } != 0 {
            restore_terminal();
            return Err(std::io::Error::last_os_error());
        }
        Ok(TerminalMode)
    }

    /// Raw mode: each key as it comes, no echo, no signal keys.
    fn raw() -> std::io::Result<TerminalMode> {
        TerminalMode::set(|settings| {
            let output = settings.c_oflag;
            // SAFETY: a valid termios, changed in place.
            unsafe { libc::cfmakeraw(settings) };
            // Output as before (`\n` starts a line), as console's own raw mode keeps it.
            settings.c_oflag = output;
        })
    }
}

impl Drop for TerminalMode {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Whether the terminal was asked to mark pastes, and must be told to stop.
static BRACKETED: AtomicBool = AtomicBool::new(false);

/// Asks the terminal to send a paste between `PASTE_START` and `PASTE_END`.
fn mark_pastes(term: &Term) -> std::io::Result<()> {
    BRACKETED.store(true, Ordering::SeqCst);
    term.write_str("\x1b[?2004h")
}

/// Puts back the terminal's settings if they are changed (else does nothing), and turns
/// bracketed paste off: the shell after the interview would otherwise get pastes marked.
pub(super) fn restore_terminal() {
    if BRACKETED.swap(false, Ordering::SeqCst) {
        let _ = std::io::Write::write_all(&mut std::io::stderr(), b"\x1b[?2004l");
    }
    if let Ok(mut slot) = SAVED.lock() {
        if let Some(saved) = slot.take() {
            // SAFETY: the settings tcgetattr gave for this descriptor.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSADRAIN, &saved) };
        }
    }
}

/// What was typed.
pub(super) enum Line {
    Typed(String),
    /// Several lines pasted in one go (bracketed paste), with what was typed before them: the
    /// line ends there, and the prompter decides what such an answer may be.
    Pasted(String),
    /// Ctrl-D on an empty line: the person has no more to type.
    Ended,
    /// Ctrl-C.
    Interrupted,
}

/// Reads one line typed after `prompt`.
pub(super) fn read_line(term: &Term, prompt: &str) -> std::io::Result<Line> {
    let mut editor = Editor::new(prompt);
    term.write_str(&editor.redraw(width(term)))?;
    let raw = TerminalMode::raw()?;
    mark_pastes(term)?;
    let mut keys = Keys::default();
    // Bytes that were not UTF-8 (a terminal set to Latin-1 sends `ô` as one byte) reach the
    // editor as no character: the line would be saved without them ("Cd'Ivoire").
    let mut not_text = false;
    loop {
        let key = match keys.next()? {
            Input::Key(key) => key,
            Input::Paste(text) => {
                let text = pasted_text(&text);
                let (first, more) = text.split_once('\n').unwrap_or((&text, ""));
                // A tab is a space (`edit`), other control characters are dropped.
                for c in first.chars() {
                    editor.edit(if c == '\t' { Key::Tab } else { Key::Char(c) });
                }
                let width = width(term);
                if more.is_empty() {
                    term.write_str(&editor.redraw(width))?;
                    continue;
                }
                // Shown as far as its first line, the line then ended as Enter ends it.
                let (before, after) = editor.text.split_at(editor.cursor);
                let whole = format!(
                    "{}\n{more}{}",
                    before.iter().collect::<String>(),
                    after.iter().collect::<String>()
                );
                editor.cursor = editor.text.len();
                let mut shown = editor.redraw(width);
                shown.push_str(editor.end_of_line(width));
                term.write_str(&shown)?;
                return Ok(Line::Pasted(whole));
            }
        };
        match key {
            Key::Enter => {
                editor.cursor = editor.text.len();
                let width = width(term);
                let mut shown = editor.redraw(width);
                shown.push_str(editor.end_of_line(width));
                term.write_str(&shown)?;
                if std::mem::take(&mut not_text) {
                    for piece in crate::report::style::wrap(NOT_UTF8, width.saturating_sub(3)) {
                        term.write_str(&format!("  {piece}\r\n"))?;
                    }
                    editor = Editor::new(prompt);
                    term.write_str(&editor.redraw(width))?;
                    continue;
                }
                return Ok(Line::Typed(editor.text.iter().collect()));
            }
            Key::Unknown => not_text = true,
            Key::CtrlC => {
                // The terminal as it was before the signal's handler ends the process.
                drop(raw);
                // SAFETY: raising a signal this process handles.
                unsafe { libc::raise(libc::SIGINT) };
                // The handler keeps the answers and ends the process: going on meanwhile
                // would change the terminal again under it.
                std::thread::sleep(std::time::Duration::from_secs(5));
                return Ok(Line::Interrupted);
            }
            Key::Char('\u{4}') if editor.text.is_empty() => {
                term.write_str("\r\n")?;
                return Ok(Line::Ended);
            }
            Key::Char(c) if !c.is_control() => term.write_str(&editor.typed(c, width(term)))?,
            key => {
                if editor.edit(key) {
                    term.write_str(&editor.redraw(width(term)))?;
                }
            }
        }
    }
}

/// Said when a line held bytes that were not UTF-8, before it is asked again.
const NOT_UTF8: &str = "Part of that line was not UTF-8 text and could not be read (accented letters typed on a terminal set to another encoding): set the terminal's character encoding to UTF-8, then type the answer again.";

/// A paste's text, its lines ended by `\n`: a terminal sends Enter (`\r`) for a line break.
/// Line breaks at the ends of a copied line are no part of it.
fn pasted_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.trim_matches('\n').to_string()
}

/// What came from the keyboard: a key, or text pasted in one go.
#[derive(Debug, PartialEq)]
enum Input {
    Key(Key),
    Paste(String),
}

/// The markers around a paste, with bracketed paste on.
const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// The first input in `bytes` and the bytes it takes; `None` when `bytes` may be only the start
/// of it (unless `ended`: no more bytes are coming, and what there is is read as it is).
/// (console's reader took `ESC[200~` for three keys and the text `0~`.)
fn decode(bytes: &[u8], ended: bool) -> Option<(Input, usize)> {
    let first = *bytes.first()?;
    if let Some(after) = bytes.strip_prefix(PASTE_START) {
        let end = after.windows(PASTE_END.len()).position(|w| w == PASTE_END);
        return match (end, ended) {
            (Some(end), _) => {
                let text = String::from_utf8_lossy(after.get(..end).unwrap_or_default());
                Some((
                    Input::Paste(text.into_owned()),
                    PASTE_START.len() + end + PASTE_END.len(),
                ))
            }
            (None, false) => None,
            (None, true) => {
                let text = String::from_utf8_lossy(after).into_owned();
                Some((Input::Paste(text), bytes.len()))
            }
        };
    }
    if first == 0x1b {
        return escape(bytes, ended).map(|(key, used)| (Input::Key(key), used));
    }
    let length = match first {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    };
    let key = match bytes.get(..length) {
        None if !ended => return None,
        // Cut short: the first byte is no character, what follows is read again.
        None => return Some((Input::Key(Key::Unknown), 1)),
        Some(_) if length == 1 => match first {
            b'\r' | b'\n' => Key::Enter,
            0x7f | 0x08 => Key::Backspace,
            b'\t' => Key::Tab,
            0x01 => Key::Home,
            0x05 => Key::End,
            0x03 => Key::CtrlC,
            0x80..=0xff => Key::Unknown,
            ascii => Key::Char(char::from(ascii)),
        },
        Some(character) => match std::str::from_utf8(character)
            .ok()
            .and_then(|s| s.chars().next())
        {
            Some(c) => Key::Char(c),
            // Not UTF-8: the first byte is dropped, what follows read again.
            None => return Some((Input::Key(Key::Unknown), 1)),
        },
    };
    Some((Input::Key(key), length.min(bytes.len())))
}

/// A key sent as an escape sequence (`ESC [ 3 ~`, `ESC O H`), from its `ESC`.
fn escape(bytes: &[u8], ended: bool) -> Option<(Key, usize)> {
    let Some(&kind) = bytes.get(1) else {
        return ended.then_some((Key::Escape, 1));
    };
    if kind != b'[' && kind != b'O' {
        return Some((Key::UnknownEscSeq(vec![char::from(kind)]), 2));
    }
    // Parameters (digits, `;`), then the byte that names the key.
    let Some(last) = (bytes.iter().skip(2)).position(|b| !matches!(b, b'0'..=b'9' | b';')) else {
        return ended.then(|| (Key::UnknownEscSeq(vec![char::from(kind)]), bytes.len()));
    };
    let end = 2 + last;
    let parameters = bytes.get(2..end).unwrap_or_default();
    let key = match (bytes.get(end).copied().unwrap_or_default(), parameters) {
        (b'A', _) => Key::ArrowUp,
        (b'B', _) => Key::ArrowDown,
        (b'C', _) => Key::ArrowRight,
        (b'D', _) => Key::ArrowLeft,
        (b'H', _) | (b'~', b"1" | b"7") => Key::Home,
        (b'F', _) | (b'~', b"4" | b"8") => Key::End,
        (b'Z', _) => Key::BackTab,
        (b'~', b"2") => Key::Insert,
        (b'~', b"3") => Key::Del,
        (b'~', b"5") => Key::PageUp,
        (b'~', b"6") => Key::PageDown,
        _ => {
            let sequence = bytes.get(1..=end).unwrap_or_default();
            Key::UnknownEscSeq(sequence.iter().map(|&b| char::from(b)).collect())
        }
    };
    Some((key, end + 1))
}

/// Keys read from standard input one byte at a time: nothing is read beyond the line, so
/// lines pasted after it are still there for `pasted_lines`. `bytes`: read, not yet taken.
#[derive(Default)]
struct Keys {
    bytes: Vec<u8>,
}

impl Keys {
    fn next(&mut self) -> std::io::Result<Input> {
        loop {
            if let Some((input, used)) = decode(&self.bytes, false) {
                self.bytes.drain(..used.min(self.bytes.len()));
                return Ok(input);
            }
            // The rest of an escape sequence comes at once; a long paste may come in parts.
            let wait = match (self.bytes.is_empty(), self.bytes.starts_with(PASTE_START)) {
                (true, _) => None,
                (false, true) => Some(1000),
                (false, false) => Some(50),
            };
            match read_byte(wait)? {
                Some(byte) => self.bytes.push(byte),
                None => {
                    let (input, used) =
                        decode(&self.bytes, true).unwrap_or((Input::Key(Key::Unknown), 0));
                    self.bytes.drain(..used.min(self.bytes.len()));
                    return Ok(input);
                }
            }
        }
    }
}

/// Whether standard input has something to read, waiting at most `milliseconds` (-1: until
/// it has).
pub(super) fn input_waiting(milliseconds: i32) -> std::io::Result<bool> {
    loop {
        let mut ready = libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        match unsafe { libc::poll(&mut ready, 1, milliseconds) } {
            0 => return Ok(false),
            polled if polled > 0 => return Ok(true),
            _ => {
                let error = std::io::Error::last_os_error();
                if error.kind() != std::io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
        }
    }
}

/// One byte of standard input, waiting at most `milliseconds` (`None`: until it comes); `None`
/// if none came in time. The end of the input (the terminal closed) is an error.
fn read_byte(milliseconds: Option<i32>) -> std::io::Result<Option<u8>> {
    loop {
        if !input_waiting(milliseconds.unwrap_or(-1))? {
            return Ok(None);
        }
        let mut byte = 0u8;
        // SAFETY: reads at most one byte into `byte`.
        let read =
            unsafe { libc::read(libc::STDIN_FILENO, std::ptr::addr_of_mut!(byte).cast(), 1) };
        match read {
            1 => return Ok(Some(byte)),
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            _ => {
                let error = std::io::Error::last_os_error();
                if error.kind() != std::io::ErrorKind::Interrupted {
                    return Err(error);
                }
            }
        }
    }
}

fn width(term: &Term) -> usize {
    usize::from(term.size().1).max(10)
}

/// The line being typed, and where the terminal's cursor is.
struct Editor {
    prompt: Vec<char>,
    text: Vec<char>,
    /// In `text`, in characters.
    cursor: usize,
    /// Rows from the prompt's first row down to the terminal's cursor.
    cursor_row: usize,
    /// Where the text ends, at the last redraw's `width`.
    end: Place,
    width: usize,
    /// The cells of the characters (prompt and text) before the terminal's cursor, as drawn.
    drawn: Vec<usize>,
}

impl Editor {
    /// An empty line after `prompt`, not yet drawn.
    fn new(prompt: &str) -> Editor {
        Editor {
            prompt: prompt.chars().collect(),
            text: Vec::new(),
            cursor: 0,
            cursor_row: 0,
            end: Place::default(),
            width: 0,
            drawn: Vec::new(),
        }
    }

    /// Applies an editing key; whether the line changed or the cursor moved.
    fn edit(&mut self, key: Key) -> bool {
        let (text, cursor) = (&mut self.text, &mut self.cursor);
        match key {
            Key::Char(c) if !c.is_control() => {
                text.insert(*cursor, c);
                *cursor += 1;
            }
            // A tab typed or pasted is a space: the answer is one line of words.
            Key::Tab => {
                text.insert(*cursor, ' ');
                *cursor += 1;
            }
            Key::Backspace if *cursor > 0 => {
                *cursor -= 1;
                text.remove(*cursor);
            }
            Key::Del | Key::Char('\u{4}') if *cursor < text.len() => {
                text.remove(*cursor);
            }
            Key::ArrowLeft if *cursor > 0 => *cursor -= 1,
            Key::ArrowRight if *cursor < text.len() => *cursor += 1,
            Key::Home => *cursor = 0,
            Key::End => *cursor = text.len(),
            // Ctrl-U
            Key::Char('\u{15}') => {
                text.drain(..*cursor);
                *cursor = 0;
            }
            // Ctrl-K
            Key::Char('\u{b}') => text.truncate(*cursor),
            // Ctrl-W: the spaces before the cursor, then the word before them.
            Key::Char('\u{17}') => {
                let mut start = *cursor;
                while start > 0 && text[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && text[start - 1] != ' ' {
                    start -= 1;
                }
                text.drain(start..*cursor);
                *cursor = start;
            }
            _ => return false,
        }
        true
    }

    /// A character typed at the cursor: what to write to show it. (After a resize, the first
    /// character typed was redrawn without being inserted: the answer lost it.)
    fn typed(&mut self, c: char, width: usize) -> String {
        match self.append(c, width) {
            Some(shown) => shown,
            None => {
                self.edit(Key::Char(c));
                self.redraw(width)
            }
        }
    }

    /// A character typed at the end of the text: what to write, without drawing the text again
    /// (a pasted paragraph would be drawn once per character); `None` if the text must be
    /// redrawn (the cursor inside it, or the window's width changed).
    fn append(&mut self, c: char, width: usize) -> Option<String> {
        if self.cursor != self.text.len() || width != self.width {
            return None;
        }
        self.text.push(c);
        self.cursor += 1;
        self.end.advance(cells(c), width);
        self.drawn.push(cells(c));
        let (row, column) = self.end.shown(width);
        self.cursor_row = row;
        let mut out = c.to_string();
        if column == 0 {
            // The character filled the row: to the next row's start (see `redraw`).
            out.push_str("\r\n");
        }
        Some(out)
    }

    /// What to write to show the prompt and the text again from the prompt's first row, the
    /// cursor left where it is in the text, on a screen `width` columns wide.
    fn redraw(&mut self, width: usize) -> String {
        if self.width != 0 && width != self.width {
            // The window was resized, and the terminal has rewrapped the rows it shows (as
            // most do, tmux included): the cursor is now where what was drawn before it ends
            // at the new width. (Moved up as many rows as before, the rows above were left.)
            let place = Place::after(self.drawn.iter().copied(), width);
            self.cursor_row = place.shown(width).0;
        }
        let mut out = String::new();
        if self.cursor_row > 0 {
            out.push_str(&format!("\x1b[{}A", self.cursor_row));
        }
        // To the first column, and clear to the end of the screen.
        out.push_str("\r\x1b[J");
        out.extend(self.prompt.iter().chain(&self.text));
        let all = self.prompt.iter().chain(&self.text);
        self.end = Place::after(all.map(|&c| cells(c)), width);
        self.width = width;
        let (end_row, end_column) = self.end.shown(width);
        if end_column == 0 && end_row > 0 {
            // The text fills its last row: the terminal keeps the cursor on that row until
            // the next character, so move it to the next row's start, where `place` puts it.
            out.push_str("\r\n");
        }
        let before = self.prompt.iter().chain(&self.text[..self.cursor]);
        self.drawn = before.map(|&c| cells(c)).collect();
        let (row, column) = Place::after(self.drawn.iter().copied(), width).shown(width);
        if end_row > row {
            out.push_str(&format!("\x1b[{}A", end_row - row));
        }
        out.push('\r');
        if column > 0 {
            out.push_str(&format!("\x1b[{column}C"));
        }
        self.cursor_row = row;
        out
    }

    /// After a redraw with the cursor at the end: what starts the next line below the text.
    fn end_of_line(&self, width: usize) -> &'static str {
        match self.end.shown(width) {
            // Already at the start of the row below (a full last row).
            (row, 0) if row > 0 => "",
            _ => "\r\n",
        }
    }
}

/// Where characters written from a row's start end, on a screen `width` columns wide: a
/// character that does not fit on a row starts the next one. `column` may be `width` (the row
/// is full; the terminal moves on with the next character).
#[derive(Clone, Copy, Default, Debug, PartialEq)]
struct Place {
    row: usize,
    column: usize,
}

impl Place {
    fn after(widths: impl Iterator<Item = usize>, width: usize) -> Place {
        let mut place = Place::default();
        for cells in widths {
            place.advance(cells, width);
        }
        place
    }

    fn advance(&mut self, cells: usize, width: usize) {
        if self.column + cells > width {
            self.row += 1;
            self.column = 0;
        }
        self.column += cells;
    }

    /// Row and column of the cursor, a full row's at the next row's start.
    fn shown(self, width: usize) -> (usize, usize) {
        match self.column >= width {
            true => (self.row + 1, 0),
            false => (self.row, self.column),
        }
    }
}

/// Columns a character takes on a terminal (2 for most CJK characters, 0 for a combining one).
fn cells(c: char) -> usize {
    console::measure_text_width(c.encode_utf8(&mut [0; 4]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn editor(prompt: &str, text: &str, cursor: usize) -> Editor {
        Editor {
            prompt: prompt.chars().collect(),
            text: text.chars().collect(),
            cursor,
            cursor_row: 0,
            end: Place::default(),
            width: 0,
            drawn: Vec::new(),
        }
    }

    fn place(widths: &[usize], width: usize) -> (usize, usize) {
        Place::after(widths.iter().copied(), width).shown(width)
    }

    #[test]
    fn characters_that_do_not_fit_start_the_next_row() {
        assert_eq!(place(&[1; 9], 10), (0, 9));
        assert_eq!(place(&[1; 10], 10), (1, 0));
        assert_eq!(place(&[1; 25], 10), (2, 5));
        // A wide character never straddles two rows.
        assert_eq!(place(&[1, 1, 1, 1, 1, 1, 1, 1, 1, 2], 10), (1, 2));
        assert_eq!(cells('界'), 2);
    }

    /// A wrapped answer is redrawn from the prompt's first row (it was redrawn from its last
    /// row, leaving the rows above it on the screen twice).
    #[test]
    fn a_wrapped_line_is_redrawn_from_its_first_row() {
        let mut line = editor("answer: ", &"word ".repeat(10), 50);
        let first = line.redraw(20);
        assert!(first.starts_with("\r\x1b[J"), "{first:?}");
        // 8 + 50 characters on 20 columns: the cursor at the end is on the third row.
        assert_eq!(line.cursor_row, 2);
        line.cursor = 0;
        let again = line.redraw(20);
        assert!(again.starts_with("\x1b[2A\r\x1b[J"), "{again:?}");
        // Then the cursor goes from the end (row 2) back to after the prompt on row 0.
        assert!(again.ends_with("\x1b[2A\r\x1b[8C"), "{again:?}");
        assert_eq!(line.cursor_row, 0);
    }

    /// After a resize the terminal has rewrapped the line: the redraw starts from the row the
    /// prompt's start is on now (it started lower, leaving the rows above it on the screen).
    #[test]
    fn a_line_rewrapped_by_a_resize_is_redrawn_from_its_first_row() {
        let mut line = editor("answer: ", &"word ".repeat(10), 50);
        line.redraw(100);
        assert_eq!(line.cursor_row, 0);
        // 58 characters on 20 columns: the cursor is 2 rows below the prompt's start.
        let again = line.redraw(20);
        assert!(again.starts_with("\x1b[2A\r\x1b[J"), "{again:?}");
        // Typed after a resize: the same.
        let mut typed = editor("answer: ", &"word ".repeat(10), 50);
        typed.redraw(100);
        assert!(typed.typed('x', 20).starts_with("\x1b[2A\r\x1b[J"));
    }

    #[test]
    fn a_line_filling_its_last_row_moves_to_the_next_row() {
        let mut line = editor("> ", "12345678", 8);
        let shown = line.redraw(10);
        assert!(shown.contains("12345678\r\n"), "{shown:?}");
        assert_eq!(line.cursor_row, 1);
        assert_eq!(line.end_of_line(10), "");
        let mut short = editor("> ", "1234", 4);
        short.redraw(10);
        assert_eq!(short.end_of_line(10), "\r\n");
    }

    /// Typing at the end writes the character alone, and ends where a redraw would.
    #[test]
    fn a_character_typed_at_the_end_is_written_alone() {
        let mut line = editor("> ", "", 0);
        line.redraw(10);
        let mut written = String::new();
        for c in "abcdefgh界ij".chars() {
            written.push_str(&line.append(c, 10).unwrap());
        }
        // The row filled by `h` goes on at the next row's start.
        assert_eq!(written, "abcdefgh\r\n界ij");
        let (end, row) = (line.end, line.cursor_row);
        line.redraw(10);
        assert_eq!((line.end, line.cursor_row), (end, row));
        // Inside the text, or on a window of another width: redrawn, the character kept.
        assert!(line.append('k', 12).is_none());
        assert!(line.typed('k', 12).starts_with("\x1b[1A\r\x1b[J"));
        line.cursor = 0;
        assert!(line.append('l', 12).is_none());
        line.typed('l', 12);
        assert_eq!(line.text.iter().collect::<String>(), "labcdefgh界ijk");
    }

    #[test]
    fn editing_keys_change_the_line_at_the_cursor() {
        let mut line = editor("> ", "", 0);
        for c in "backlog of patents".chars() {
            assert!(line.edit(Key::Char(c)));
        }
        assert!(line.edit(Key::Char('\u{17}')), "Ctrl-W");
        assert_eq!(line.text.iter().collect::<String>(), "backlog of ");
        line.edit(Key::Home);
        line.edit(Key::Del);
        line.edit(Key::Char('B'));
        assert_eq!(line.text.iter().collect::<String>(), "Backlog of ");
        line.edit(Key::End);
        line.edit(Key::Backspace);
        line.edit(Key::ArrowLeft);
        line.edit(Key::Char('\u{b}'));
        assert_eq!(line.text.iter().collect::<String>(), "Backlog o");
        line.edit(Key::Char('\u{15}'));
        assert!(line.text.is_empty() && line.cursor == 0);
        // Nothing to erase or pass: nothing to redraw.
        assert!(!line.edit(Key::Backspace));
        assert!(!line.edit(Key::ArrowLeft));
        assert!(!line.edit(Key::Escape));
    }

    /// All the inputs in `bytes`, as they would be read.
    fn inputs(mut bytes: &[u8]) -> Vec<Input> {
        let mut all = Vec::new();
        while let Some((input, used)) = decode(bytes, true) {
            all.push(input);
            bytes = &bytes[used..];
        }
        all
    }

    #[test]
    fn keys_are_read_from_their_bytes() {
        let keys = |bytes: &[u8]| {
            inputs(bytes)
                .into_iter()
                .map(|i| match i {
                    Input::Key(key) => key,
                    Input::Paste(text) => panic!("paste {text:?}"),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            keys(b"a\xc3\xb4\r"),
            [Key::Char('a'), Key::Char('ô'), Key::Enter]
        );
        assert_eq!(
            keys(b"\x1b[D\x1b[3~\x1bOH\x1b[4~\x7f\x03"),
            [
                Key::ArrowLeft,
                Key::Del,
                Key::Home,
                Key::End,
                Key::Backspace,
                Key::CtrlC
            ]
        );
        // A byte that is not UTF-8 is no character; what follows it still is.
        assert_eq!(keys(b"\xf4x"), [Key::Unknown, Key::Char('x')]);
        assert_eq!(keys(b"\x1b"), [Key::Escape]);
        // Not yet all read: wait for the rest.
        assert_eq!(decode(b"\x1b[", false), None);
        assert_eq!(decode(b"\xc3", false), None);
        assert_eq!(decode(b"\x1b[200~yes", false), None);
    }

    /// A paste of several lines at a menu is one input, refused as a whole: none of its lines
    /// answers this question or the next ones (they answered one question each).
    #[test]
    fn a_paste_of_several_lines_at_a_menu_is_refused_whole() {
        use super::super::{pasted_answer, Pasted};
        let questionnaire = crate::profile::questionnaire::Questionnaire::builtin().unwrap();
        let choice = questionnaire.question("ip_strategy").unwrap();
        let bytes = b"\x1b[200~2\r\rnone\r3\r\x1b[201~1\r";
        let read = inputs(bytes);
        assert_eq!(read.len(), 3, "{read:?}");
        let Input::Paste(text) = &read[0] else {
            panic!("{read:?}")
        };
        // What `read_line` makes of it: the line ends at the paste, with its lines.
        assert_eq!(
            pasted_answer(choice, pasted_text(text), &[]),
            Pasted::Refused(4)
        );
        // Then what is typed is the answer: `1`, Enter.
        assert_eq!(
            read[1..],
            [Input::Key(Key::Char('1')), Input::Key(Key::Enter)]
        );
        // Lines that came after a line without the markers are refused the same way.
        let more = ["none".to_string(), String::new()];
        assert_eq!(pasted_answer(choice, "2".into(), &more), Pasted::Refused(2));
        let one = pasted_answer(choice, "2".into(), &[String::new()]);
        assert_eq!(one, Pasted::One("2".to_string()));
        // A paragraph at the question in words is kept whole.
        let words = (questionnaire.questions.iter())
            .find(|q| q.catalog_match_weight.is_some())
            .unwrap();
        assert_eq!(
            pasted_answer(words, "backlog\n\nexaminers".into(), &[]),
            Pasted::Paragraph("backlog\n\nexaminers".to_string(), 2)
        );
    }
}
