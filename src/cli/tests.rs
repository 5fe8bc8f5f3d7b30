//! Unit tests of `src/cli.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use clap::Parser;

fn moved(line: &str) -> Vec<String> {
    let args = line.split(' ').map(std::ffi::OsString::from).collect();
    excluded_words_last(args)
        .into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

#[test]
fn excluded_words_go_behind_a_double_dash() {
    assert_eq!(
        moved("ipneeds search patent -trademark -n 1"),
        ["ipneeds", "search", "patent", "-n", "1", "--", "-trademark"]
    );
    assert_eq!(
        moved("ipneeds --catalog c.yaml search patent -trademark --format=json"),
        [
            "ipneeds",
            "--catalog",
            "c.yaml",
            "search",
            "patent",
            "--format=json",
            "--",
            "-trademark"
        ]
    );
    // Already behind `--`, before the first word, or another command: unchanged.
    for line in [
        "ipneeds search -- patent -trademark",
        "ipneeds search -n 2 patent",
        "ipneeds batch in.csv -o -",
        "ipneeds --as-of 2026-01-01 score -",
    ] {
        assert_eq!(moved(line).join(" "), line);
    }
}

#[test]
fn a_search_with_excluded_words_parses_with_its_options() {
    let cli = Cli::try_parse_from(excluded_words_last(
        "ipneeds search patent -trademark -copyright -n 1"
            .split(' ')
            .map(Into::into)
            .collect(),
    ))
    .unwrap();
    let Command::Search(args) = cli.command else {
        panic!("not a search")
    };
    assert_eq!(args.top, 1);
    assert_eq!(args.query, ["patent", "-trademark", "-copyright"]);
}
