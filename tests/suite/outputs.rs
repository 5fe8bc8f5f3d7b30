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
