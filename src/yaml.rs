//! Reading YAML files safely, with errors that point at file:line:column.
//!
//! serde-saphyr parses without unsafe code, rejects duplicate keys and bounds alias expansion
//! (its default budget stops "billion laughs"); here we add the file name to its messages and
//! catch tab indentation, which YAML forbids but editors insert.

use crate::error::{Error, Result};
use serde::de::DeserializeOwned;

/// Deserializes `text` read from `origin` (a path or `<built-in …>`).
pub fn parse<T: DeserializeOwned>(text: &str, origin: &str) -> Result<T> {
    if text.trim().is_empty() {
        return Err(Error::invalid(format!(
            "{origin}: the file is empty: expected YAML content"
        )));
    }
    if let Some(error) = tab_indentation(text, origin) {
        return Err(error);
    }
    serde_saphyr::from_str(text).map_err(|error| located(&error, origin))
}

/// Rewrites a serde-saphyr error so it names `origin` instead of `<input>`, speaks of the file
/// rather than of Rust types, and says how to fix it.
fn located(error: &serde_saphyr::Error, origin: &str) -> Error {
    let rendered = error.to_string();
    let rendered = rendered.replace("<input>", origin);
    let first = rendered.lines().next().unwrap_or_default();
    // The first line reads "error: line L column C: message"; keep the message.
    let raw = match error.location() {
        Some(_) => first
            .split_once(": ")
            .and_then(|(_, rest)| rest.split_once(": ").map(|(_, m)| m))
            .unwrap_or(first),
        None => first,
    };
    let (message, hint) = explain(raw);
    // The snippet repeats the parser's own words at the caret, and its `-->` line a column
    // counted within a cropped line: show ours, and the place once, above.
    let snippet: Vec<String> = rendered
        .lines()
        .skip(1)
        .filter(|line| !line.trim_start().starts_with("-->"))
        .map(|line| {
            if raw.is_empty() {
                line.to_string()
            } else {
                line.replace(raw, &message)
            }
        })
        .collect();
    let place = match error.location() {
        Some(location) => format!("{origin}:{}:{}", location.line(), location.column()),
        None => origin.to_string(),
    };
    Error::invalid(format!(
        "{place}: {message}: {hint}\n{}",
        snippet.join("\n")
    ))
}

/// The parser's message in the file's terms, and how to fix it.
fn explain(message: &str) -> (String, String) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("the key `{key}` appears twice here"),
            "keep one of the two (each key may appear once per entry)".into(),
        );
    }
    if [
        "invalid u8",
        "invalid u16",
        "invalid u32",
        "invalid u64",
        "invalid usize",
        "invalid i64",
        "invalid i32",
    ]
    .iter()
    .any(|prefix| message.starts_with(prefix))
    {
        return (
            "expected a whole number".into(),
            "give a whole number, e.g. 3".into(),
        );
    }
    if message.starts_with("invalid floating point") || message.starts_with("invalid f64") {
        return (
            "expected a number".into(),
            "give a number, e.g. 2 or 0.5".into(),
        );
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        return (
            format!("the entry has no `{field}`"),
            format!("add `{field}:` to it"),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|k| k.trim_matches('`').trim())
            .filter(|k| !k.is_empty())
            .collect();
        let hint = crate::suggest::did_you_mean(field, known.iter().copied());
        let hint = hint.trim().trim_start_matches('(').trim_end_matches(')');
        let allowed = if known.is_empty() {
            String::new()
        } else {
            format!("the keys allowed here are {}", known.join(", "))
        };
        let hint = match (hint.is_empty(), allowed.is_empty()) {
            (false, false) => format!("{hint} {allowed}"),
            (false, true) => hint.to_string(),
            (true, false) => format!("remove or rename it; {allowed}"),
            (true, true) => "remove or rename it".to_string(),
        };
        return (format!("unknown key `{field}`"), hint);
    }
    if message.contains("unclosed quote") {
        return (
            message.to_string(),
            "add the closing quote, or remove the opening one".into(),
        );
    }
    if message.contains("unclosed bracket") {
        return (
            message.to_string(),
            "add the closing bracket, or write the list one `- item` per line".into(),
        );
    }
    if message.contains("budget breached") {
        return (
            "the file expands to too much data (anchors and aliases `*name` repeated many times)"
                .into(),
            "write the content out without aliases".into(),
        );
    }
    if message.contains("recursion limit") {
        return (
            "the file nests lists or maps too deeply".into(),
            "remove the extra `[`, `{` or indentation levels".into(),
        );
    }
    if message.contains("untagged enum Conditions") {
        return (
            "this condition is not in a form ipneeds reads".into(),
            "write a condition as a map such as `{answer: ip_strategy, is: none}`, or a list of such maps (all must hold)".into(),
        );
    }
    if message.contains("non-finite float") {
        return (
            "`.inf` and `.nan` are not usable numbers".into(),
            "give a finite number, e.g. 2".into(),
        );
    }
    if message.contains("expected sequence") {
        return (
            "a list is expected here".into(),
            "write one item per line starting with `- `, or `[a, b]`".into(),
        );
    }
    if message.contains("expected mapping") || message.contains("expected a map") {
        return (
            "a map (`key: value` lines) is expected here".into(),
            "write the entry as `key: value` lines".into(),
        );
    }
    if message.contains("expected string") {
        return (
            "text is expected here".into(),
            "write the text on the same line, in quotes if it contains `: ` or `#`".into(),
        );
    }
    (
        message.to_string(),
        "check the YAML at that place: indent with spaces, write `key: value`, and quote text that contains `: ` or `#`".into(),
    )
}

/// YAML indents with spaces only; a tab there gives confusing parser errors, so say it plainly.
fn tab_indentation(text: &str, origin: &str) -> Option<Error> {
    for (index, line) in text.lines().enumerate() {
        let indent: &str = &line[..line.len() - line.trim_start().len()];
        if let Some(column) = indent.find('\t') {
            return Some(Error::invalid(format!(
                "{origin}:{}:{}: a tab in the indentation: YAML indents with spaces only; replace the tab with spaces",
                index + 1,
                column + 1
            )));
        }
    }
    None
}
