//! The user's text quoted in a message: made safe for a terminal (no control character can
//! restyle it or fake lines, no bidirectional override can reorder it) and cut to a readable
//! length. Every message that quotes input goes through one of these.

/// Whether `c` may not be shown as it is: a control character (a terminal escape, a line
/// break), or a bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069),
/// which displays the rest of the line in another order than it was written (`abc\u{202E}dcba`
/// shows as `abcabcd`), so that a message or a report could say what its text does not.
pub fn hides_its_text(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// User text made safe to echo in a message: control characters (terminal escapes) and
/// bidirectional overrides replaced, and cut to `max_chars`.
pub fn printable(text: &str, max_chars: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max_chars)
        .map(|c| if hides_its_text(c) { '\u{fffd}' } else { c })
        .collect();
    if text.chars().count() > max_chars {
        out.push('…');
    }
    out
}

/// Values as shown in messages: on one line (line breaks as `\n`, other control characters
/// replaced), cut after 60 characters.
pub fn shorten(text: &str) -> String {
    let mut shown = String::new();
    for c in text.chars().take(60) {
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            c if hides_its_text(c) => shown.push('\u{fffd}'),
            c => shown.push(c),
        }
    }
    if text.chars().count() > 60 {
        shown.push('…');
    }
    shown
}

/// A message that may quote the user's input, made safe for a terminal: control characters
/// (escape sequences) replaced, line breaks and tabs kept.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if hides_its_text(c) && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}
