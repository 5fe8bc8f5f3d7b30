//! Reading YAML files safely, with errors that point at file:line:column.
//!
//! serde-saphyr parses without unsafe code, rejects duplicate keys and bounds alias expansion
//! (its default budget stops "billion laughs"); here we add the file name to its messages and
//! catch tab indentation, which YAML forbids but editors insert.

use crate::error::{Error, Location, Result};
use serde::de::DeserializeOwned;

/// A data file told by a top-level key only that kind of file has.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataFile {
    /// The key that tells it (`programs`).
    pub key: &'static str,
    /// What it is, in words (`a program catalog`).
    pub kind: &'static str,
    /// The option that takes it (`--catalog`).
    pub option: &'static str,
    /// The file of this kind built into ipneeds, named as in the project.
    pub builtin: &'static str,
}

/// The keys a YAML text writes at the start of a line (`ip_strategy: none` gives
/// `ip_strategy`), read without parsing it: enough to tell what kind of file it is.
pub fn top_level_keys(text: &str) -> impl Iterator<Item = &str> {
    (text.lines())
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once(':').map(|(key, _)| key.trim()))
}

/// The catalog, questionnaire or synonyms file `text` is, told by a top-level key only that
/// kind of file has, unless a top-level key is a question's id (`is_question`): then it is an
/// answers file, with a stray key its parser names at its line. Keys are read from the lines
/// (`key:` at the start of a line), so a file YAML cannot parse is told too.
pub fn data_file_kind(text: &str, is_question: impl Fn(&str) -> bool) -> Option<DataFile> {
    let keys: Vec<&str> = top_level_keys(text).collect();
    if keys.iter().any(|key| is_question(key)) {
        return None;
    }
    (keys.iter()).find_map(|key| DATA_FILES.iter().find(|own| own.key == *key).copied())
}

/// Each kind of data file, by a top-level key only it has.
const DATA_FILES: [DataFile; 5] = [
    DataFile {
        key: "programs",
        kind: "a program catalog",
        option: "--catalog",
        builtin: "data/programs.yaml",
    },
    DataFile {
        key: "sections",
        kind: "a questionnaire",
        option: "--questionnaire",
        builtin: "questionnaires/ip-office-profile.yaml",
    },
    DataFile {
        key: "needs",
        kind: "a questionnaire",
        option: "--questionnaire",
        builtin: "questionnaires/ip-office-profile.yaml",
    },
    DataFile {
        key: "synonyms",
        kind: "a synonyms file",
        option: "--synonyms",
        builtin: "data/synonyms.yaml",
    },
    DataFile {
        key: "generic_words",
        kind: "a synonyms file",
        option: "--synonyms",
        builtin: "data/synonyms.yaml",
    },
];

/// Deserializes `text` read from `origin` (a path or `<built-in …>`).
pub fn parse<T: DeserializeOwned>(text: &str, origin: &str) -> Result<T> {
    parse_with(text, origin, serde_saphyr::Options::default())
}

/// [`parse`] for the data files a planner edits (catalog, questionnaire, synonyms): a text an
/// unquoted ` #` cuts short is refused too (see [`comment_cutting_text`]).
/// `option` is the one that takes such a file (`--catalog`): a file of another kind given to it
/// is named for what it is, not refused key by key ("unknown key `id`: remove it" would have
/// a planner damage a good questionnaire).
pub fn parse_data<T: DeserializeOwned>(text: &str, origin: &str, option: &str) -> Result<T> {
    let text = crate::io::input::without_byte_order_mark(text);
    if let Some(error) = pasted_characters(text, origin, true) {
        return Err(error);
    }
    let parsed =
        parse(text, origin).map_err(|error| other_kind(text, origin, option).unwrap_or(error))?;
    match comment_cutting_text(text, origin) {
        Some(error) => Err(error),
        None => Ok(parsed),
    }
}

/// The error for a file of another kind than `option` takes: a catalog, questionnaire or
/// synonyms file told by its own key, or an answers file by `questionnaire:` or `country:`.
fn other_kind(text: &str, origin: &str, option: &str) -> Option<Error> {
    let wanted = DATA_FILES.iter().find(|file| file.option == option)?;
    let path = crate::io::input::typed(origin);
    let is_answers_key = |key: &str| key == "questionnaire" || key == "country";
    let what = match data_file_kind(text, |_| false) {
        Some(file) if file.option == option => return None,
        Some(DataFile {
            key, kind, option, ..
        }) => {
            format!(
                "this is {kind} (it has `{key}:`), not {}: give it with `{option} {path}`",
                wanted.kind
            )
        }
        None => {
            let key = top_level_keys(text).find(|key| is_answers_key(key))?;
            format!("this is a country's answers (it has `{key}:`), not {}: use `ipneeds score {path}` to score it", wanted.kind)
        }
    };
    Some(Error::input(
        Location::File(origin.to_string()),
        format!(
            "{what}; `{option}` takes {} like ipneeds's own {}",
            wanted.kind, wanted.builtin
        ),
    ))
}

/// [`parse`] with only `true` and `false` as booleans (YAML 1.2): `n`, `no`, `off` or `Y`
/// stay the text written (an answers file's `country: n` is not `no`, Norway).
pub fn parse_strict_booleans<T: DeserializeOwned>(text: &str, origin: &str) -> Result<T> {
    parse_with(
        text,
        origin,
        serde_saphyr::options! { strict_booleans: true },
    )
}

fn parse_with<T: DeserializeOwned>(
    text: &str,
    origin: &str,
    options: serde_saphyr::Options,
) -> Result<T> {
    let text = crate::io::input::without_byte_order_mark(text);
    if text.trim().is_empty() {
        return Err(Error::input(
            Location::File(origin.to_string()),
            "the file is empty: expected YAML content",
        ));
    }
    if let Some(error) = tab_indentation(text, origin) {
        return Err(error);
    }
    if let Some(error) = pasted_characters(text, origin, false) {
        return Err(error);
    }
    serde_saphyr::from_str_with_options(text, sized_to(options, text))
        .map_err(|error| located(&error, text, origin))
}

/// `options` with the parser's budget of events and nodes grown with the file: the default
/// (a million events, 250,000 nodes) refused a 19 MB catalog of 10,000 programs, within the
/// file-size limit, as "too much data". A file's own events take a byte each at least, its
/// nodes two (`[a,a]`), so aliases can expand it no further than plain text of its size could.
fn sized_to(mut options: serde_saphyr::Options, text: &str) -> serde_saphyr::Options {
    if let Some(budget) = options.budget.as_mut() {
        budget.max_events = budget.max_events.max(text.len());
        budget.max_nodes = budget.max_nodes.max(text.len() / 2);
    }
    options
}

/// Rewrites a serde-saphyr error so it names `origin` instead of `<input>`, speaks of the file
/// rather than of Rust types, and says how to fix it.
fn located(error: &serde_saphyr::Error, text: &str, origin: &str) -> Error {
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
    let mut at = error
        .location()
        .map(|l| At::new(text, l.line(), l.column()));
    if raw.starts_with("multiple YAML documents") {
        // The parser points past the `---`; the fix is on that line.
        at = at.map(|at| at.separator(text));
    }
    if raw.starts_with("missing field `") {
        // The parser points at the map's last key; the entry lacking a key starts above.
        at = at.map(|at| at.entry_start(text));
    }
    let (message, hint) = explain(raw, at.as_ref(), text);
    if let (true, Some(at)) = (raw.starts_with("missing field `"), &at) {
        // The parser's snippet shows where it noticed, not where the entry is.
        let place = Location::Line {
            file: origin.to_string(),
            line: at.line,
            column: Some(at.column),
        };
        let width = at.line.to_string().len().max(2);
        let caret = " ".repeat(at.before.chars().count());
        let line = format!("{}{}", at.before, at.rest);
        let snippet = format!(
            "{:width$} |\n{:>width$} | {line}\n{:width$} | {caret}^ {message}",
            "", at.line, ""
        );
        return Error::input(place, format!("{message}: {hint}\n{snippet}"));
    }
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
    let place = match &at {
        Some(at) => Location::Line {
            file: origin.to_string(),
            line: at.line,
            column: Some(at.column),
        },
        None => Location::File(origin.to_string()),
    };
    Error::input(place, format!("{message}: {hint}\n{}", snippet.join("\n")))
}

/// Where an error stands, with the text found there.
struct At {
    line: u64,
    column: u64,
    /// The rest of the line from the error's column on.
    rest: String,
    /// The line up to the error's column.
    before: String,
}

impl At {
    fn new(text: &str, line: u64, column: u64) -> At {
        let whole = usize::try_from(line)
            .ok()
            .and_then(|line| text.lines().nth(line.saturating_sub(1)))
            .unwrap_or_default();
        let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
        At {
            line,
            column,
            rest: whole.chars().skip(skip).collect(),
            before: whole.chars().take(skip).collect(),
        }
    }

    /// The lines of the keys of this key's block map written above it, nearest first, up to
    /// the map's first (a list item's `- key:` line, or the file's first key); none for a key
    /// inside a flow map (`{a: 1}`).
    fn keys_above(&self, text: &str) -> Vec<u64> {
        let indent = self.before.chars().count();
        if !self.before.chars().all(|c| c == ' ' || c == '-') {
            return Vec::new();
        }
        let lines: Vec<&str> = text.lines().collect();
        let end = usize::try_from(self.line.saturating_sub(1)).unwrap_or(usize::MAX);
        let mut keys = Vec::new();
        for i in (0..end.min(lines.len())).rev() {
            let line = lines.get(i).copied().unwrap_or_default();
            let body = line.trim_start_matches(' ');
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            let depth = line.len() - body.len();
            // `- key:` opening this entry: its key stands where this map's keys do.
            if body.starts_with("- ") && depth + 2 == indent {
                keys.push(i as u64 + 1);
                break;
            }
            if depth < indent {
                break;
            }
            if depth == indent {
                keys.push(i as u64 + 1);
            }
        }
        keys
    }

    /// The first key of the block map whose key this is (a list item's `- ` line, or line 1
    /// column 1 for the file's top level). A key inside a flow map (`{a: 1}`) stays put.
    fn entry_start(self, text: &str) -> At {
        match self.keys_above(text).last() {
            Some(&line) => At::new(text, line, self.before.chars().count() as u64 + 1),
            None => self,
        }
    }

    /// The line of the same key written earlier in this key's block map: where a duplicate
    /// key was first given, which the parser does not say.
    fn same_key_above(&self, text: &str) -> Option<u64> {
        let key = self.token();
        let column = self.before.chars().count() as u64 + 1;
        (self.keys_above(text).into_iter()).find(|&line| At::new(text, line, column).token() == key)
    }

    /// The `---` line at or before this one (a second document starts there).
    fn separator(self, text: &str) -> At {
        let lines: Vec<&str> = text.lines().collect();
        let end = usize::try_from(self.line)
            .unwrap_or(usize::MAX)
            .min(lines.len());
        match (0..end)
            .rev()
            .find(|&i| lines.get(i).is_some_and(|l| l.starts_with("---")))
        {
            Some(i) => At::new(text, i as u64 + 1, 1),
            None => self,
        }
    }

    /// The plain value written here (up to a `,`, bracket, comment or key colon), for messages.
    fn token(&self) -> String {
        let mut token = String::new();
        let mut chars = self.rest.chars().peekable();
        while let Some(c) = chars.next() {
            let ends_key = c == ':' && chars.peek().is_none_or(|n| n.is_whitespace());
            if matches!(c, ',' | ']' | '}' | '#') || ends_key {
                break;
            }
            token.push(c);
        }
        crate::io::quote::printable(token.trim(), 60)
    }

    /// Whether a key stands here whose name YAML reads as nothing (`~`, `null` or empty).
    fn is_null_key(&self) -> bool {
        let rest = self.rest.trim_start_matches(['?', ' ']);
        let before = self.before.trim_end();
        let rest = match ["~", "null", "Null", "NULL"]
            .iter()
            .find_map(|word| rest.strip_prefix(word))
        {
            Some(rest) => rest,
            // Nothing before the `:`: a key only where a key begins (`name:` lacks a value).
            None if before.is_empty() || before.ends_with(['-', '?', '{', ',']) => rest,
            None => return false,
        };
        rest.trim_start()
            .strip_prefix(':')
            .is_some_and(|after| after.chars().next().is_none_or(char::is_whitespace))
    }

    /// The last tag (`!!int`, `!name`) written before the error's column.
    fn tag(&self) -> Option<String> {
        self.before
            .split_whitespace()
            .rev()
            .find(|word| word.starts_with('!'))
            .map(|tag| crate::io::quote::printable(tag, 40))
    }
}

/// Whole-number types the files use: their names in the parser's messages and their ranges.
const WHOLE_NUMBERS: [(&str, i128, i128); 7] = [
    ("u8", 0, u8::MAX as i128),
    ("u16", 0, u16::MAX as i128),
    ("u32", 0, u32::MAX as i128),
    ("u64", 0, u64::MAX as i128),
    ("usize", 0, u64::MAX as i128),
    ("i32", i32::MIN as i128, i32::MAX as i128),
    ("i64", i64::MIN as i128, i64::MAX as i128),
];

/// A whole number out of its type's range: what is wrong and the allowed range.
fn whole_number_out_of_range(token: &str, min: i128, max: i128) -> Option<(String, String)> {
    let digits = token.trim_start_matches(['-', '+']);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '_') {
        return None;
    }
    let message = format!("expected a whole number from {min} to {max}");
    let hint = if token.starts_with('-') && min == 0 {
        format!("`{token}` is negative: give a whole number from 0 to {max}")
    } else if token.starts_with('-') {
        format!("`{token}` is too small: give a whole number from {min} to {max}")
    } else {
        format!("`{token}` is too large: give a whole number up to {max}")
    };
    Some((message, hint))
}

/// How a rule recognises the parser's message.
#[derive(Clone, Copy)]
enum Test {
    /// The message starts with one of these; the rule sees what follows.
    Starts(&'static [&'static str]),
    /// The message contains one of these; the rule sees the whole message.
    Contains(&'static [&'static str]),
}

/// What a rule says: fixed words, the parser's own words with a hint, or words made from the
/// message.
#[derive(Clone, Copy)]
enum Says {
    Fixed(&'static str, &'static str),
    Hint(&'static str),
    Made(fn(&Found) -> (String, String)),
}

/// What a made rule reads: the message, what follows its prefix, and the text at the error.
struct Found<'a> {
    message: &'a str,
    rest: &'a str,
    at: Option<&'a At>,
    /// The whole file, for rules that look elsewhere in it.
    text: &'a str,
    token: String,
}

/// The parser's messages and what to say of them, tried in order.
const RULES: &[(Test, Says)] = &[
    (
        Test::Starts(&["cannot deserialize null into string"]),
        Says::Made(|found| {
            match found.at.is_some_and(At::is_null_key) {
                true => (
                    "this key has no name (`~`, `null` or nothing before the `:` means no value in YAML)".into(),
                    "write the key's name before the `:`, e.g. `title: …`, in quotes (`\"null\"`) if you mean the word".into(),
                ),
                false => (
                    "no value is given here, but text is expected".into(),
                    "write the text after the `:` (in quotes, e.g. `\"~\"`, if you mean the sign itself)".into(),
                ),
            }
        }),
    ),
    (
        Test::Starts(&["multiple YAML documents"]),
        Says::Fixed(
            "a second YAML document starts here, but a file holds only one",
            "remove the `---` line (and what follows it, if it belongs in another file)",
        ),
    ),
    (
        Test::Starts(&["!!binary scalar is not valid UTF-8"]),
        Says::Fixed(
            "the `!!binary` data here is not text",
            "remove the tag `!!binary` and write the text itself",
        ),
    ),
    (
        Test::Starts(&["cannot deserialize tagged scalar"]),
        Says::Made(|found| {
            let tag = found
                .at
                .and_then(At::tag)
                .unwrap_or_else(|| "!…".to_string());
            (
                format!("the tag `{tag}` makes this value something other than text"),
                format!("remove the tag `{tag}`: text is expected here"),
            )
        }),
    ),
    (
        Test::Starts(&["alias references unknown anchor"]),
        Says::Made(|found| {
            let name = found.token.trim_start_matches('*');
            (
                format!("the alias `*{name}` repeats a value, but no value above is marked `&{name}`"),
                format!("write the value out here, or mark the value to repeat with `&{name}` before this line"),
            )
        }),
    ),
    (
        Test::Starts(&["YAML merge value must be"]),
        Says::Fixed(
            "`<<:` merges a map into this entry, but no map is given to it",
            "give `<<:` a map, or an alias `*name` of one, or write the keys out",
        ),
    ),
    (
        Test::Starts(&["unknown variant `"]),
        Says::Made(|found| {
            let (value, known) = named_and_allowed(found.rest);
            let value = crate::io::quote::printable(value, 60);
            let close = crate::suggest::did_you_mean(&value, known.iter().copied());
            (
                format!("`{value}` is not allowed here{close}"),
                format!("use one of {}", known.join(", ")),
            )
        }),
    ),
    (
        Test::Starts(&[
            "externally tagged enum expected scalar or mapping",
            "unexpected value for unit enum variant",
            "expected string key for externally tagged enum",
            "unexpected value for unit",
        ]),
        Says::Fixed(
            "one word is expected here",
            "write a single value from the allowed ones on the same line, not a list or a map",
        ),
    ),
    (
        Test::Starts(&[
            "invalid u8",
            "invalid u16",
            "invalid u32",
            "invalid u64",
            "invalid usize",
            "invalid i64",
            "invalid i32",
        ]),
        Says::Made(|found| {
            (WHOLE_NUMBERS.iter())
                .find(|(name, ..)| found.message == format!("invalid {name}"))
                .and_then(|&(_, min, max)| whole_number_out_of_range(&found.token, min, max))
                .unwrap_or_else(|| {
                    (
                        "expected a whole number".into(),
                        "give a whole number, e.g. 3".into(),
                    )
                })
        }),
    ),
    (
        Test::Starts(&["duplicate mapping key: "]),
        Says::Made(|found| {
            let key = found.rest.split(',').next().unwrap_or(found.rest).trim();
            let first = (found.at.and_then(|at| at.same_key_above(found.text)))
                .map(|line| format!(" (first at line {line})"))
                .unwrap_or_default();
            (
                format!("the key `{key}` appears twice{first}"),
                "keep one of the two (each key may appear once per entry)".into(),
            )
        }),
    ),
    (
        Test::Starts(&["invalid floating point", "invalid f64"]),
        Says::Fixed("expected a number", "give a number, e.g. 2 or 0.5"),
    ),
    (
        Test::Starts(&["missing field `"]),
        Says::Made(|found| {
            let field = found.rest.split('`').next().unwrap_or_default();
            let what = match found.at.is_some_and(|at| at.column == 1) {
                true => "the file",
                false => "the entry",
            };
            (
                format!("{what} has no `{field}`"),
                format!("add `{field}:` to it"),
            )
        }),
    ),
    (
        Test::Starts(&["unknown field `"]),
        Says::Made(|found| {
            let (field, known) = named_and_allowed(found.rest);
            let close = crate::suggest::did_you_mean(field, known.iter().copied());
            let close = close.trim().trim_start_matches('(').trim_end_matches(')');
            let allowed = match known.is_empty() {
                true => String::new(),
                false => format!("the keys allowed here are {}", known.join(", ")),
            };
            let hint = match (close.is_empty(), allowed.is_empty()) {
                (false, false) => format!("{close} {allowed}"),
                (false, true) => close.to_string(),
                (true, false) => format!("remove or rename it; {allowed}"),
                (true, true) => "remove or rename it".to_string(),
            };
            (format!("unknown key `{field}`"), hint)
        }),
    ),
    (
        Test::Contains(&["unclosed quote"]),
        Says::Hint("add the closing quote, or remove the opening one"),
    ),
    (
        Test::Contains(&["unclosed bracket"]),
        Says::Hint("add the closing bracket, or write the list one `- item` per line"),
    ),
    (
        // The parser's budget counts nesting too: not an alias problem.
        Test::Contains(&["budget breached: Depth"]),
        Says::Fixed(
            "the file nests lists or maps too deeply (more than 64 levels)",
            "remove the extra `[`, `{` or indentation levels",
        ),
    ),
    (
        Test::Contains(&["budget breached"]),
        Says::Fixed(
            "the file expands to too much data (anchors and aliases `*name` repeated many times)",
            "write the content out without aliases",
        ),
    ),
    (
        Test::Contains(&["recursion limit"]),
        Says::Fixed(
            "the file nests lists or maps too deeply",
            "remove the extra `[`, `{` or indentation levels",
        ),
    ),
    (
        // The questionnaire's conditions say what is wrong themselves (`Conditions`).
        Test::Starts(&["condition: "]),
        Says::Made(|found| {
            let (message, fix) = found
                .rest
                .split_once(" | fix: ")
                .unwrap_or((found.rest, ""));
            (message.into(), fix.into())
        }),
    ),
    (
        Test::Contains(&["non-finite float"]),
        Says::Made(|found| {
            let token = &found.token;
            let written = token.trim_start_matches(['-', '+', '.']).to_lowercase();
            match written.is_empty() || ["inf", "infinity", "nan"].contains(&written.as_str()) {
                true => (
                    "`.inf` and `.nan` are not usable numbers".into(),
                    "give a finite number, e.g. 2".into(),
                ),
                false => (
                    format!("`{token}` is too large a number to compute with"),
                    "give a number of ordinary size, e.g. 2".into(),
                ),
            }
        }),
    ),
    (
        Test::Contains(&["expected sequence"]),
        Says::Fixed(
            "a list is expected here",
            "write one item per line starting with `- `, or `[a, b]`",
        ),
    ),
    (
        Test::Contains(&["expected mapping", "expected a map"]),
        Says::Made(|found| {
            let message = "a map (`key: value` lines) is expected here".to_string();
            // `country:UGA`: YAML needs a space after the colon, else it is one word.
            let line = found.at.map_or("", |at| at.rest.trim());
            let glued = line.split_once(':').filter(|(key, value)| {
                !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                    && value.starts_with(|c: char| !c.is_whitespace())
            });
            match glued {
                Some((key, value)) => (
                    message,
                    format!(
                        "put a space after the colon: `{}: {}`",
                        crate::io::quote::printable(key, 60),
                        crate::io::quote::printable(value, 60)
                    ),
                ),
                None => (message, "write the entry as `key: value` lines".into()),
            }
        }),
    ),
    (
        Test::Contains(&["expected string"]),
        Says::Fixed(
            "text is expected here",
            "write the text on the same line, in quotes if it contains `: ` or `#`",
        ),
    ),
];

/// The parser's message in the file's terms, and how to fix it; `at` is where it stands.
fn explain(message: &str, at: Option<&At>, text: &str) -> (String, String) {
    let message = message.trim();
    let found = |rest| Found {
        message,
        rest,
        at,
        text,
        token: at.map(At::token).unwrap_or_default(),
    };
    for &(test, says) in RULES {
        let rest = match test {
            Test::Starts(prefixes) => prefixes.iter().find_map(|p| message.strip_prefix(p)),
            Test::Contains(parts) => parts.iter().any(|p| message.contains(p)).then_some(message),
        };
        if let Some(rest) = rest {
            return match says {
                Says::Fixed(message, hint) => (message.into(), hint.into()),
                Says::Hint(hint) => (message.to_string(), hint.into()),
                Says::Made(make) => make(&found(rest)),
            };
        }
    }
    (
        message.to_string(),
        "check the YAML at that place: indent with spaces, write `key: value`, and quote text that contains `: ` or `#`".into(),
    )
}

/// The value or key named in `` `x`, expected one of `a`, `b` `` (what follows the opening
/// quote), and the allowed ones.
fn named_and_allowed(rest: &str) -> (&str, Vec<&str>) {
    let (named, expected) = rest.split_once('`').unwrap_or((rest, ""));
    let known = (expected.trim_start_matches(", expected one of "))
        .trim_start_matches(", expected ")
        .split(", ")
        .map(|k| k.trim_matches('`').trim())
        .filter(|k| !k.is_empty())
        .collect();
    (named, known)
}

/// The first plain (unquoted) text that a ` #` cuts short, as an error at the `#`: YAML reads
/// ` #` as the start of a comment, so `text: develop strategies #1 integrating …` is the text
/// "develop strategies" and the rest is lost without a word. Only a `#` followed by a
/// character (`#1`, `#authorities`) after a text with a letter counts: a comment written
/// `# …`, and one after a number (`weight: 2 #severe`), are comments as meant. Block texts (`|`,
/// `>`), quoted texts and full-line comments hold `#` safely and are skipped.
pub fn comment_cutting_text(text: &str, origin: &str) -> Option<Error> {
    // The indentation of the line that opened a block text, while inside it.
    let mut block: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if let Some(parent) = block {
            if trimmed.is_empty() || indent > parent {
                continue;
            }
            block = None;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let value_at = plain_value_start(line);
        let value = line.get(value_at..).unwrap_or_default();
        if value.starts_with(['|', '>']) {
            block = Some(indent);
            continue;
        }
        if value.starts_with(['"', '\'', '[', '{', '&', '*', '!']) {
            continue;
        }
        let cut = value.match_indices('#').find(|&(at, _)| {
            let before = value.get(..at).unwrap_or_default();
            let after = value.get(at + 1..).unwrap_or_default();
            before.ends_with([' ', '\t'])
                && after.starts_with(|c: char| !c.is_whitespace() && c != '#')
                && before.chars().any(char::is_alphabetic)
        });
        if let Some((at, _)) = cut {
            let column = line.get(..value_at + at).map_or(0, |b| b.chars().count()) + 1;
            let rest = value.get(at..).unwrap_or_default().trim_end();
            return Some(Error::input(
                Location::Line {
                    file: origin.to_string(),
                    line: index as u64 + 1,
                    column: Some(column as u64),
                },
                format!(
                    "the text stops before `{}`: YAML reads ` #` as the start of a comment; to keep it in the text, put the whole text in quotes (\"…\"), or write a comment as `# …` on a line of its own",
                    crate::io::quote::printable(rest, 40)
                ),
            ));
        }
    }
    None
}

/// Where the value of a YAML line starts (in bytes): after its `- ` list markers and its
/// `key: `, if any (a key is not quoted in these files, so its `: ` is the first).
fn plain_value_start(line: &str) -> usize {
    let mut at = line.len() - line.trim_start().len();
    while let Some(rest) = line.get(at..) {
        if rest == "-" || rest.starts_with("- ") {
            at += 1 + (rest.len() - 1 - rest.get(1..).unwrap_or_default().trim_start().len());
        } else {
            break;
        }
    }
    let rest = line.get(at..).unwrap_or_default();
    // A `: ` after a comment's ` #` is the comment's.
    let comment = (rest.find(" #").or_else(|| rest.find("\t#"))).unwrap_or(rest.len());
    let key_colon = rest.get(..comment).and_then(|part| part.find(": "));
    if !rest.starts_with(['"', '\'']) {
        if let Some(colon) = key_colon {
            let key_end = at + colon + 2;
            return key_end
                + (line.len()
                    - key_end
                    - line.get(key_end..).unwrap_or_default().trim_start().len());
        }
        if rest.ends_with(':') {
            return line.len();
        }
    }
    at
}

/// YAML indents with spaces only; a tab there gives confusing parser errors, so say it plainly.
fn tab_indentation(text: &str, origin: &str) -> Option<Error> {
    for (index, line) in text.lines().enumerate() {
        let indent: &str = &line[..line.len() - line.trim_start().len()];
        if let Some(column) = indent.find('\t') {
            let place = Location::Line {
                file: origin.to_string(),
                line: index as u64 + 1,
                column: Some(column as u64 + 1),
            };
            return Some(Error::input(
                place,
                "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces",
            ));
        }
    }
    None
}

/// The opening curly quotes of word processors.
const CURLY_QUOTES: [char; 2] = ['\u{201c}', '\u{2018}'];

/// Characters a word processor or web page brings into a pasted line, where YAML reads them
/// otherwise than they look: a non-breaking or other wide space in the indentation, beside a
/// key's colon or at the end of a value (YAML takes only the plain space as a space, so `weight:
/// 4` with one after the 4 is no number); and, in the data files a planner edits (`data`), an
/// invisible zero-width character anywhere (an id holding one looks right and matches nothing),
/// or a value in curly quotes (kept as part of the text). Comment lines are passed over.
fn pasted_characters(text: &str, origin: &str, data: bool) -> Option<Error> {
    let name = |c: char| match c {
        '\u{a0}' => "a non-breaking space (U+00A0)".to_string(),
        '\u{200b}' => "a zero-width space (U+200B)".to_string(),
        '\u{feff}' => "a zero-width no-break space (U+FEFF)".to_string(),
        '\u{ad}' => "a soft hyphen (U+00AD)".to_string(),
        c => format!("an invisible character (U+{:04X})", u32::from(c)),
    };
    let wide_space = |c: char| {
        matches!(
            c,
            '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{3000}'
        )
    };
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        // Where a comment starts (` #`), roughly: only what comes before it is read.
        let end = line
            .find(" #")
            .map_or(chars.len(), |at| line[..at].chars().count());
        let place = |column: usize| Location::Line {
            file: origin.to_string(),
            line: index as u64 + 1,
            column: Some(column as u64 + 1),
        };
        // Beside the colon after the key a wide space is misread (a colon further on is the
        // text's own).
        let key_colon = chars.iter().position(|c| *c == ':');
        for (at, &c) in chars.iter().enumerate().take(end) {
            // A byte-order mark opening the file is no character of it.
            let opening_mark = c == '\u{feff}' && index == 0 && at == 0;
            if data && crate::catalog::words::is_invisible(c) && !opening_mark {
                return Some(Error::input(place(at), format!("{}, invisible, pasted from a web page or word processor: delete it (here, before `{}`)", name(c), crate::io::quote::printable(&chars[at + 1..].iter().take(20).collect::<String>(), 20))));
            }
            // An embedding or override shows the rest of the line reordered, so a report
            // or a search's snippet would say what the text does not. (Isolates, which
            // right-to-left text may need, are kept.)
            if data && matches!(c, '\u{202a}'..='\u{202e}') {
                return Some(Error::input(place(at), format!("a bidirectional embedding or override (U+{:04X}), invisible, which shows the rest of the line in another order than it is written: delete it", u32::from(c))));
            }
            if !wide_space(c) {
                continue;
            }
            let before = chars.get(..at).unwrap_or_default();
            let after = chars.get(at + 1..end).unwrap_or_default();
            let indentation = before.iter().all(|c| c.is_whitespace() || *c == '-');
            let by_colon = key_colon.is_some_and(|colon| colon + 1 == at || at + 1 == colon);
            let trailing = after.iter().all(|c| c.is_whitespace());
            if indentation || by_colon || trailing {
                return Some(Error::input(place(at), format!("{}, which YAML does not read as a space, pasted from a word processor or web page: replace it with a plain space", name(c))));
            }
        }
        if data {
            // A value opening with a curly quote: `- “…”`, `title: “…”`.
            let item = line.trim_start().trim_start_matches("- ");
            let value = (item.split_once(": ").map(|(_, value)| value.trim_start()))
                .filter(|_| !item.starts_with(CURLY_QUOTES))
                .unwrap_or(item);
            if value.starts_with(CURLY_QUOTES) {
                let column = line.chars().count() - value.chars().count();
                return Some(Error::input(place(column), "the text starts with a curly quote (`“` or `‘`), which YAML keeps as part of the text: use straight quotes (`\"…\"`), or none"));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests;
