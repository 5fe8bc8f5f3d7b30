//! What the commands write, and where: formats chosen by the output file's name, files and
//! folders the user cannot write, standard output closed early, messages on a terminal.

use crate::prelude::*;

fn example_answers() -> std::path::PathBuf {
    repo().join("questionnaires/examples/example-answers.yaml")
}

#[test]
fn a_workbook_on_a_terminal_suggests_a_format_the_command_has() {
    let Some(score) = Ipneeds::new()
        .arg("score")
        .arg(example_answers())
        .args(["--format", "xlsx"])
        .run_on_terminal()
    else {
        eprintln!("skipped: `script` cannot give the run a terminal here");
        return;
    };
    score.expect_code(2, "score --format xlsx on a terminal");
    assert!(
        score.stdout.contains("--format table") && !score.stdout.contains("--format csv"),
        "score has a table, not csv\n{}",
        score.context()
    );
    let batch = Ipneeds::new()
        .arg("batch")
        .arg(repo().join("tests/data/cases/profiles.csv"))
        .args(["--format", "xlsx"])
        .run_on_terminal()
        .unwrap();
    batch.expect_code(2, "batch --format xlsx on a terminal");
    assert!(batch.stdout.contains("--format csv"), "{}", batch.context());
}

// ---- standard output closed early (`ipneeds … | head`): a quiet exit 0 ----

#[cfg(target_os = "linux")]
#[test]
fn every_command_ends_quietly_when_its_reader_has_gone() {
    let cases = repo().join("tests/data/cases/profiles.csv");
    let answers = example_answers();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let mut runs: Vec<Vec<String>> = vec![
        vec!["--version".into()],
        vec!["--help".into()],
        vec!["help".into(), "batch".into()],
        vec!["batch".into(), "--help".into()],
        vec!["score".into(), path(&answers)],
        vec!["score".into(), path(&answers), "-f".into(), "xlsx".into()],
        vec!["batch".into(), path(&cases), "-f".into(), "xlsx".into()],
        vec!["batch".into(), path(&cases)],
        vec!["template".into(), "-f".into(), "xlsform".into()],
        vec!["search".into(), "patent".into()],
        vec!["programs".into()],
    ];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        runs.push(vec!["completions".into(), shell.into()]);
    }
    // A workbook streamed into `-o /dev/stdout`, as into a file.
    runs.push(vec![
        "score".into(),
        path(&answers),
        "-f".into(),
        "xlsx".into(),
        "-o".into(),
        "/dev/stdout".into(),
    ]);
    runs.push(vec![
        "batch".into(),
        path(&cases),
        "-f".into(),
        "xlsx".into(),
        "-o".into(),
        "/dev/stdout".into(),
    ]);
    runs.push(vec![
        "batch".into(),
        path(&cases),
        "-o".into(),
        "/dev/stdout".into(),
    ]);
    for args in runs {
        let run = Ipneeds::new()
            .dated(AS_OF)
            .env_remove("RUST_BACKTRACE")
            .args(&args)
            .run_into_closed_pipe();
        let what = args.join(" ");
        run.expect_code(0, &what);
        for noise in ["panicked", "bug", "Broken pipe", "ZipWriter", "error"] {
            assert!(
                !run.stderr.contains(noise),
                "{what}: {noise}\n{}",
                run.context()
            );
        }
    }
}
