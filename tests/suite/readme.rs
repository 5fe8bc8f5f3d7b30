//! The README's examples are what the commands print today: every `console` block's commands
//! are run from the repository's root (in a scratch folder that sees its files), and their
//! output compared line by line with the block. A `…` line stands for any number of lines; a
//! command shown without output must succeed. Standard output and standard error are compared
//! as a terminal shows them one after the other, in either order.

use crate::prelude::*;
use std::path::Path;

/// A command of a `console` block and the lines shown after it.
struct Example {
    line: usize,
    command: String,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    let mut in_console = false;
    // A block inside a list item is indented: so are its lines.
    let mut indent = 0;
    for (index, line) in readme.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_console = line.trim_start() == "```console";
            indent = line.len() - line.trim_start().len();
            continue;
        }
        if !in_console {
            continue;
        }
        let line = line.get(indent..).unwrap_or(line.trim_start());
        if let Some(command) = line.strip_prefix("$ ") {
            // A trailing `# comment` is for the reader.
            let command = command.split("  #").next().unwrap_or(command).trim();
            examples.push(Example {
                line: index + 1,
                command: command.to_string(),
                expected: Vec::new(),
            });
        } else if let Some(example) = examples.last_mut() {
            example.expected.push(line.trim_end().to_string());
        }
    }
    examples
}

/// Whether `actual` shows `expected`, where a `…` line stands for any lines.
fn shows(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "…" => {
            (0..=actual.len()).any(|skip| shows(rest, &actual[skip..]))
        }
        Some((first, rest)) => {
            actual.first().is_some_and(|line| line.trim_end() == first) && shows(rest, &actual[1..])
        }
    }
}

/// A scratch folder with the repository's example files in it, so outputs land there.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["data", "questionnaires", "tests", "docs"] {
        #[cfg(unix)]
        std::os::unix::fs::symlink(repo().join(folder), dir.path().join(folder)).unwrap();
    }
    dir
}

/// Runs `ipneeds …`, or `printf 'LINES' | ipneeds …` (the lines as its standard input).
fn run(command: &str, dir: &Path) -> (bool, String, String) {
    let (stdin, command) = match command.split_once(" | ") {
        Some((printf, rest)) => {
            let lines = printf
                .strip_prefix("printf '")
                .and_then(|quoted| quoted.strip_suffix('\''))
                .unwrap_or_else(|| panic!("only printf '…' may pipe into ipneeds: {command}"));
            (lines.replace("\\n", "\n"), rest)
        }
        None => (String::new(), command),
    };
    let words: Vec<&str> = command.split_whitespace().collect();
    assert_eq!(
        words.first(),
        Some(&"ipneeds"),
        "only ipneeds commands are checked: {command}"
    );
    let output = Ipneeds::new()
        .args(&words[1..])
        .current_dir(dir)
        .stdin(stdin)
        .run();
    (
        output.code.is_some_and(|c| c <= 1),
        output.stdout,
        output.stderr,
    )
}

#[cfg(unix)]
#[test]
fn every_readme_example_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let examples = examples(&readme);
    assert!(
        examples.len() >= 8,
        "only {} examples found",
        examples.len()
    );
    let dir = scratch();
    let mut wrong = Vec::new();
    for example in &examples {
        let (ran, stdout, stderr) = run(&example.command, dir.path());
        let lines = |a: &str, b: &str| -> Vec<String> {
            format!("{a}{b}")
                .lines()
                .map(str::to_string)
                .skip_while(|l| l.trim().is_empty())
                .collect()
        };
        let either = [lines(&stdout, &stderr), lines(&stderr, &stdout)];
        let matches = either.iter().any(|actual| {
            let actual: Vec<&str> = actual.iter().map(String::as_str).collect();
            let actual = trim_trailing_blank(&actual);
            if example.expected.is_empty() {
                return true;
            }
            shows(&example.expected, actual)
        });
        if !ran || !matches {
            wrong.push(format!(
                "README.md:{}: `{}`{}\n--- the README shows:\n{}\n--- it prints:\n{}{}",
                example.line,
                example.command,
                if ran { "" } else { " failed" },
                example.expected.join("\n"),
                stdout,
                stderr
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

fn trim_trailing_blank<'a>(lines: &'a [&'a str]) -> &'a [&'a str] {
    let end = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |p| p + 1);
    &lines[..end]
}

#[test]
fn a_wildcard_line_stands_for_any_lines() {
    let expected: Vec<String> = ["a", "…", "d"].map(String::from).to_vec();
    assert!(shows(&expected, &["a", "b", "c", "d"]));
    assert!(shows(&expected, &["a", "d"]));
    assert!(!shows(&expected, &["a", "b"]));
    assert!(!shows(&expected, &["x", "d"]));
}
