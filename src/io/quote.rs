//! The user's text quoted in a message: made safe for a terminal (no control character can
//! restyle it or fake lines) and cut to a readable length. Every message that quotes input
//! goes through one of these.

/// User text made safe to echo in a message: control characters (terminal escapes) replaced,
/// and cut to `max_chars`.
pub fn printable(text: &str, max_chars: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max_chars)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
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
            c if c.is_control() => shown.push('\u{fffd}'),
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
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}
