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

/// Rewrites a serde-saphyr error so it names `origin` instead of `<input>`.
fn located(error: &serde_saphyr::Error, origin: &str) -> Error {
    let rendered = error.to_string();
    let rendered = rendered.replace("<input>", origin);
    match error.location() {
        Some(location) => {
            // The first line reads "error: line L column C: message"; keep the message.
            let first = rendered.lines().next().unwrap_or_default();
            let message = first
                .split_once(": ")
                .and_then(|(_, rest)| rest.split_once(": ").map(|(_, m)| m))
                .unwrap_or(first);
            let rest: Vec<&str> = rendered.lines().skip(1).collect();
            Error::invalid(format!(
                "{origin}:{}:{}: {message}\n{}",
                location.line(),
                location.column(),
                rest.join("\n")
            ))
        }
        None => Error::invalid(format!("{origin}: {rendered}")),
    }
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
