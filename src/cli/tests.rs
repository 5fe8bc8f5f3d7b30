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

/// `line` parsed as the program does: excluded words moved first.
fn parsed(line: &str) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(excluded_words_last(
        line.split(' ').map(Into::into).collect(),
    ))
}

#[test]
fn an_unknown_option_after_the_words_is_an_error_not_an_excluded_word() {
    // `--limit 3` once searched for "3" and excluded "-limit", exit 0.
    let error = parsed("ipneeds search patent --limit 3").unwrap_err();
    assert_eq!(error.kind(), clap::error::ErrorKind::UnknownArgument);
    assert!(error.to_string().contains("--limit"), "{error}");
}

#[test]
fn a_search_with_excluded_words_parses_with_its_options() {
    let cli = parsed("ipneeds search patent -trademark -copyright -n 1").unwrap();
    let Command::Search(args) = cli.command else {
        panic!("not a search")
    };
    assert_eq!(args.top, 1);
    assert_eq!(args.query, ["patent", "-trademark", "-copyright"]);
}

/// `settings` with the options of `line` and an environment of `vars`.
fn settings_of(line: &str, vars: &[(&str, &str)]) -> (Settings, Vec<String>) {
    let cli = Cli::try_parse_from(line.split(' ')).unwrap();
    let vars: Vec<(String, String)> = vars
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    settings(cli.global, move |name| {
        vars.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| std::ffi::OsString::from(v))
    })
}

#[test]
fn settings_take_the_limits_from_the_environment_and_warn_of_bad_values() {
    let (settings, warnings) = settings_of(
        "ipneeds programs",
        &[
            ("IPNEEDS_MAX_PROGRAMS", " 2 "),
            ("IPNEEDS_MAX_CELL_BYTES", "abc"),
            ("IPNEEDS_MAX_QUESTIONS", "0"),
        ],
    );
    let set: Vec<(&str, u64)> = settings
        .limits
        .iter()
        .map(|(limit, value)| (limit.variable, *value))
        .collect();
    assert_eq!(set, [("IPNEEDS_MAX_PROGRAMS", 2)]);
    assert_eq!(
        warnings,
        [
            "IPNEEDS_MAX_QUESTIONS=`0` is not a positive whole number; using the default 1000",
            "IPNEEDS_MAX_CELL_BYTES=`abc` is not a positive whole number; using the default 100000",
        ]
    );
}

#[test]
fn settings_place_the_cache_as_the_environment_says() {
    let home = tempfile::tempdir().unwrap();
    let home_text = home.path().to_str().unwrap();
    let mine = home.path().join("mine");
    let mine_text = mine.to_str().unwrap();
    let cache = |vars: &[(&str, &str)]| settings_of("ipneeds programs", vars).0.cache_dir;
    assert_eq!(cache(&[]), None);
    assert_eq!(
        cache(&[("HOME", home_text)]),
        Some(home.path().join(".cache").join("ipneeds"))
    );
    assert_eq!(
        cache(&[("HOME", home_text), ("XDG_CACHE_HOME", home_text)]),
        Some(home.path().join("ipneeds"))
    );
    assert_eq!(
        cache(&[("HOME", home_text), ("IPNEEDS_CACHE_DIR", mine_text)]),
        Some(mine.clone())
    );
    assert_eq!(
        cache(&[("IPNEEDS_CACHE_DIR", mine_text), ("IPNEEDS_NO_CACHE", "0")]),
        Some(mine.clone())
    );
    assert_eq!(
        cache(&[("IPNEEDS_CACHE_DIR", mine_text), ("IPNEEDS_NO_CACHE", "1")]),
        None
    );
    // A home that does not exist gets no cache folder.
    let gone = home.path().join("gone");
    assert_eq!(cache(&[("HOME", gone.to_str().unwrap())]), None);
}

#[test]
fn settings_carry_the_global_options_and_switches() {
    let (settings, warnings) = settings_of(
        "ipneeds --catalog c.yaml --as-of 2026-01-02 --color always batch x.csv",
        &[("IPNEEDS_REFERENCE_PATH", "1"), ("NO_COLOR", "1")],
    );
    assert!(warnings.is_empty());
    assert_eq!(settings.catalog, Some(PathBuf::from("c.yaml")));
    assert_eq!(settings.questionnaire, None);
    assert_eq!(settings.as_of, Date::new(2026, 1, 2));
    // `--color always` wins over NO_COLOR.
    assert!(settings.style.color);
    assert!(settings.reference_path);
    let (settings, _) = settings_of("ipneeds programs", &[("IPNEEDS_REFERENCE_PATH", "0")]);
    assert!(!settings.reference_path);
    assert!(!settings.style.color);
}

/// A command's help lists its own options first and the options every command takes apart,
/// under their own heading: they came mixed (`--catalog` before `--top`, `--synonyms` after
/// `--output`), and a new user read past the one option they needed.
#[test]
fn a_command_s_own_options_come_before_those_of_every_command() {
    use clap::CommandFactory;
    for name in ["score", "batch", "search", "interview", "eval"] {
        let mut cli = Cli::command();
        // Global options reach the subcommands when the command is built, as a run builds it.
        cli.build();
        let help = cli
            .find_subcommand_mut(name)
            .unwrap()
            .render_long_help()
            .to_string();
        let shared = help.find("Options of every command:").unwrap();
        let own = help.find("Options:").unwrap();
        assert!(own < shared, "{name}:\n{help}");
        for global in [
            "--catalog",
            "--questionnaire",
            "--synonyms",
            "--countries",
            "--as-of",
        ] {
            // The option's line (its name may be quoted in another option's text).
            let global = format!("      {global} <");
            assert!(help[shared..].contains(&global), "{name} {global}:\n{help}");
            assert!(
                !help[..shared].contains(&global),
                "{name} {global}:\n{help}"
            );
        }
    }
}
