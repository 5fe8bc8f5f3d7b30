//! Terminal presentation: colour on or off, highlighted matches, wrapping to the width.

use std::io::IsTerminal;
use std::ops::Range;

/// How to present text on the current output.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Columns available for tables.
    pub width: usize,
    /// Whether a terminal can move its cursor and redraw (not `TERM=dumb`): the interview's
    /// line editor and the progress bar need it.
    pub moves_cursor: bool,
}

impl Style {
    /// Colour when `forced` says so (`--color always` or `never`), else on a terminal unless
    /// `no_color` (`NO_COLOR` is set: no-color.org) or the terminal is `dumb` (`TERM=dumb`:
    /// Emacs's shell, some IDE consoles, speech and braille setups), which shows escape codes
    /// as text and cannot move its cursor either.
    pub fn detect(forced: Option<bool>, no_color: bool, dumb: bool) -> Style {
        let terminal = std::io::stdout().is_terminal();
        let color = forced.unwrap_or(terminal && !no_color && !dumb);
        Style {
            color,
            width: terminal_width().unwrap_or(100),
            moves_cursor: !dumb,
        }
    }

    /// The style at the terminal's width now, when the output is a terminal: its window may
    /// have been resized since the start (during an interview).
    pub fn resized(self) -> Style {
        Style {
            width: terminal_width().unwrap_or(self.width),
            ..self
        }
    }

    /// Plain output for tests and files.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
            moves_cursor: true,
        }
    }

    /// `text` with the byte ranges `highlights` in bold and underlined (or as they are, without
    /// colour): yellow, as before, read at 1.1–3:1 on a light terminal's background.
    pub fn highlight(&self, text: &str, highlights: &[Range<usize>]) -> String {
        if !self.color {
            return text.to_string();
        }
        crate::report::marked(text, highlights, str::to_string, ["\x1b[1;4m", "\x1b[0m"])
    }

    /// `text` in bold, when colour is on.
    pub fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// `text` dimmed, when colour is on.
    pub fn dim(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// The columns of the terminal the output goes to, if it goes to one.
fn terminal_width() -> Option<usize> {
    let terminal = std::io::stdout().is_terminal();
    terminal.then(|| usize::from(console::Term::stdout().size().1).clamp(30, 200))
}

/// Splits `text` into lines of at most `width` characters, at spaces where possible.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace().flat_map(|word| pieces(word, width)) {
        let needed = visible_width(&line) + usize::from(!line.is_empty()) + visible_width(word);
        if needed > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `word` cut into pieces of at most `width` columns: a word wider than the line (text with
/// no spaces, as Chinese or Japanese is written, or a long web address) would run past the
/// terminal's edge. A colour escape stays whole, with the character after it.
fn pieces(word: &str, width: usize) -> Vec<&str> {
    if visible_width(word) <= width {
        return vec![word];
    }
    let mut out = Vec::new();
    let (mut start, mut columns) = (0, 0);
    // Where the escapes just before the next character begin: a cut goes before them.
    let mut escapes: Option<usize> = None;
    let mut chars = word.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c == '\x1b' {
            // `ESC [ … m`: no width, and never cut.
            escapes.get_or_insert(at);
            while chars.next_if(|&(_, c)| !c.is_ascii_alphabetic()).is_some() {}
            chars.next();
            continue;
        }
        let cut = escapes.take().unwrap_or(at);
        let wide = visible_width(c.encode_utf8(&mut [0; 4]));
        if columns + wide > width && cut > start {
            out.extend(word.get(start..cut));
            (start, columns) = (cut, 0);
        }
        columns += wide;
    }
    out.extend(word.get(start..));
    out
}

/// Display width of text that may hold colour escapes.
pub fn visible_width(text: &str) -> usize {
    console::measure_text_width(text)
}

/// Text from the user's files for one line of a terminal table: every control character
/// (escape sequences, line breaks, tabs) and bidirectional override becomes spaces of the same
/// byte length, so that it can neither restyle the terminal, fake rows of the table nor reorder
/// the line, and highlight offsets into the text still hold.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| match crate::io::quote::hides_its_text(c) {
            true => " ".repeat(c.len_utf8()),
            false => c.to_string(),
        })
        .collect()
}
