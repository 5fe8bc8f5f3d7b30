//! Unit tests of `src/settings.rs`: the boundary the settings make possible.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its path relative to the crate.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Lines of code of the library (outside the command layer and `main`, unit tests and
/// comments) that contain one of `patterns`, as `file:line: text`.
fn library_lines_with(patterns: &[String]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    assert!(files.len() > 20, "the sources were not found: {files:?}");
    let mut found = Vec::new();
    for file in files {
        let name = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let command_layer = name.starts_with("src/commands/") || name == "src/main.rs";
        let unit_tests = name.ends_with("/tests.rs");
        if command_layer || unit_tests {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            if patterns.iter().any(|p| line.contains(p.as_str())) {
                found.push(format!("{name}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

/// Written in pieces, so that this file does not match itself.
fn pattern(parts: &[&str]) -> String {
    parts.concat()
}

#[test]
fn the_library_does_not_print() {
    let patterns = [
        pattern(&["print", "ln!"]),
        pattern(&["print", "!("]),
        pattern(&["dbg", "!("]),
        pattern(&["std::io::", "stderr()"]),
        pattern(&["style::", "warn"]),
        pattern(&["indicatif", "::"]),
    ];
    let found = library_lines_with(&patterns);
    assert!(
        found.is_empty(),
        "only src/commands and src/main.rs print; the library returns warnings:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_library_reads_no_environment_variable() {
    let patterns = [pattern(&["env::", "var"])];
    let found = library_lines_with(&patterns);
    assert!(
        found.is_empty(),
        "only src/main.rs reads the environment (cli::settings takes the values):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_what_it_looks_for() {
    // The scan itself must be able to fail: it finds a pattern the library does contain.
    let found = library_lines_with(&[pattern(&["pub fn ", "explain_io"])]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("src/error.rs:"), "{found:?}");
}
