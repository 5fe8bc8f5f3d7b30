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
    for (command, input) in [("score", &answers), ("batch", &cases)] {
        runs.push(vec![
            command.into(),
            path(input),
            "-f".into(),
            "xlsx".into(),
            "-o".into(),
            "/dev/stdout".into(),
        ]);
    }
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

/// Standard error closed early (`ipneeds … 2>&1 >results.csv | head -1`): its messages are
/// lost, but every command still runs to its end and exits with its own code. `eprintln!`
/// panicked there (exit 101, with nothing said, as the message could not be written either).
#[cfg(target_os = "linux")]
#[test]
fn every_command_runs_to_its_end_when_its_messages_reader_has_gone() {
    let rejected: String = std::iter::once("id,country\n".to_string())
        .chain((1..=50).map(|i| format!("r{i},XXX\n")))
        .collect();
    let bad_answers = "ip_stratgy: none\npatent_examiners: -3\n";
    // Each run, the exit code it has with its messages read, and what it writes on stdout.
    let runs: Vec<(Ipneeds, i32, &str)> = vec![
        (
            Ipneeds::new()
                .file("p.csv", &rejected)
                .args(["batch", "p.csv", "--summary"]),
            1,
            "rank1_program",
        ),
        (
            Ipneeds::new()
                .file("p.csv", "id,country,colour\na,UGA,red\n")
                .args(["batch", "p.csv"]),
            0,
            "a,UGA",
        ),
        (
            Ipneeds::new()
                .file("a.yaml", bad_answers)
                .args(["check", "a.yaml"]),
            1,
            "",
        ),
        (Ipneeds::new().args(["check"]), 0, ""),
        (
            Ipneeds::new()
                .file("a.yaml", bad_answers)
                .args(["score", "a.yaml"]),
            2,
            "",
        ),
        (
            Ipneeds::new().args(["search", "pendancy"]),
            0,
            "professional-development",
        ),
        (
            Ipneeds::new()
                .stdin("UGA\n\n\n\nnone\n")
                .args(["interview", "--save", "a.yaml"]),
            0,
            "national-ip-strategies",
        ),
    ];
    for (ipneeds, code, stdout) in runs {
        let run = ipneeds.dated(AS_OF).run_with_closed_stderr();
        let what = run.context();
        run.expect_code(code, &what);
        assert!(
            run.stdout.contains(stdout),
            "stdout lacks {stdout:?}\n{what}"
        );
    }
}

// ---- files and folders the user cannot write ----

/// The twelve cases, as `p.csv` in the run's folder.
fn cases() -> Vec<u8> {
    std::fs::read(repo().join("tests/data/cases/profiles.csv")).unwrap()
}

/// Makes `path` (in a run's folder) read-only, holding `text`.
#[cfg(unix)]
fn read_only(path: &std::path::Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap();
}

/// The names in the run's folder that an unfinished write would leave.
fn temporary_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".partial"))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_read_only_output_is_refused_as_the_shell_refuses_it() {
    let answers = std::fs::read(example_answers()).unwrap();
    // Each output option of each command, in turn read-only.
    let runs: [(&str, &[&str]); 5] = [
        ("ro.csv", &["batch", "p.csv", "-o", "ro.csv"]),
        (
            "ro.csv",
            &["batch", "p.csv", "-o", "out.csv", "--errors", "ro.csv"],
        ),
        (
            "ro.txt",
            &["batch", "p.csv", "-o", "out.csv", "--summary", "ro.txt"],
        ),
        (
            "ro.md",
            &["score", "ex.yaml", "-f", "markdown", "-o", "ro.md"],
        ),
        ("ro.html", &["interview", "--report", "ro.html"]),
    ];
    for (protected, args) in runs {
        let run = Ipneeds::new()
            .dated(AS_OF)
            .file("p.csv", cases())
            .file("ex.yaml", &answers)
            .stdin("\n\n\n")
            .unprivileged()
            .args(args);
        read_only(&run.path(protected), "my precious\n");
        let what = args.join(" ");
        let result = run.run();
        result.expect_code(3, &what);
        let line = result.stderr_line_with(&[protected, "it is read-only"]);
        assert!(line.contains("make it writable"), "{what}: {line}");
        let kept = std::fs::read_to_string(result.path(protected)).unwrap();
        assert_eq!(kept, "my precious\n", "{what}: the file was replaced");
        assert!(!result.path("out.csv").exists(), "{what}: out.csv written");
        assert_eq!(
            temporary_files(result.dir()),
            Vec::<String>::new(),
            "{what}"
        );
    }
}

#[cfg(unix)]
#[test]
fn root_replaces_a_read_only_output_as_the_shell_lets_it() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let run = Ipneeds::new()
        .dated(AS_OF)
        .file("p.csv", cases())
        .args(["batch", "p.csv", "-o", "ro.csv"]);
    if std::fs::metadata(run.path("p.csv")).unwrap().uid() != 0 {
        eprintln!("skipped: the tests do not run as root");
        return;
    }
    read_only(&run.path("ro.csv"), "old\n");
    let result = run.run();
    result.expect_code(0, "root: batch -o over a read-only file");
    let written = std::fs::read_to_string(result.path("ro.csv")).unwrap();
    assert!(written.starts_with("id,country,rank1_program"), "{written}");
    let mode = std::fs::metadata(result.path("ro.csv"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o444, "the mode is kept");
}

/// A file of another user's in a sticky folder (as /tmp is) cannot be replaced, however
/// writable it is: refused before any work, naming the folder. The rename at the end failed
/// after the whole run, with the results already replaced and the file's permissions blamed
/// (found by a hostile test).
#[cfg(unix)]
#[test]
fn a_file_of_another_user_in_a_sticky_folder_is_refused_before_any_work() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let run = Ipneeds::new()
        .dated(AS_OF)
        .file("p.csv", cases())
        .dir("shared")
        .file("shared/sum.txt", "root's\n")
        .unprivileged()
        .args([
            "batch",
            "p.csv",
            "-o",
            "out.csv",
            "--summary",
            "shared/sum.txt",
        ]);
    if std::fs::metadata(run.path("p.csv")).unwrap().uid() != 0 {
        eprintln!("skipped: the tests do not run as root, who owns the other user's file");
        return;
    }
    let sticky = std::fs::Permissions::from_mode(0o1777);
    std::fs::set_permissions(run.path("shared"), sticky).unwrap();
    let writable = std::fs::Permissions::from_mode(0o666);
    std::fs::set_permissions(run.path("shared/sum.txt"), writable).unwrap();
    let result = run.run();
    result.expect_code(
        3,
        "batch --summary over another user's file in a sticky folder",
    );
    result.stderr_line_with(&[
        "cannot replace shared/sum.txt: it belongs to another user, and its folder shared lets only a file's owner replace it",
    ]);
    assert!(!result.path("out.csv").exists(), "the results were written");
    let kept = std::fs::read_to_string(result.path("shared/sum.txt")).unwrap();
    assert_eq!(kept, "root's\n");
}

/// A replaced file keeps its extended attributes, its access control list first: without it a
/// colleague the list named lost access, and the owning group got the list's mask (here
/// read-write) as its own permissions (found by a hostile test).
#[cfg(target_os = "linux")]
#[test]
fn a_replaced_file_keeps_its_access_control_list_and_attributes() {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::PermissionsExt;
    let run = Ipneeds::new()
        .dated(AS_OF)
        .file("p.csv", cases())
        .file("shared.csv", "old\n")
        .args(["batch", "p.csv", "-o", "shared.csv"]);
    let path = run.path("shared.csv");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let c_path = CString::new(path.as_os_str().as_bytes()).unwrap();
    let set = |name: &str, value: &[u8]| {
        let name = CString::new(name).unwrap();
        let done = unsafe {
            libc::setxattr(
                c_path.as_ptr(),
                name.as_ptr(),
                value.as_ptr().cast(),
                value.len(),
                0,
            )
        };
        done == 0
    };
    // user rw-, user 65534 rw-, group r--, mask rw-, other ---.
    let entries: [(u16, u16, u32); 5] = [
        (0x01, 6, u32::MAX),
        (0x02, 6, 65534),
        (0x04, 4, u32::MAX),
        (0x10, 6, u32::MAX),
        (0x20, 0, u32::MAX),
    ];
    let mut acl = 2u32.to_le_bytes().to_vec();
    for (tag, perm, id) in entries {
        acl.extend(tag.to_le_bytes());
        acl.extend(perm.to_le_bytes());
        acl.extend(id.to_le_bytes());
    }
    if !set("system.posix_acl_access", &acl) || !set("user.note", b"keep me") {
        eprintln!("skipped: this file system keeps no access control lists or user attributes");
        return;
    }
    let get = |name: &str| -> Option<Vec<u8>> {
        let name = CString::new(name).unwrap();
        let mut value = vec![0u8; 256];
        let read = unsafe {
            libc::getxattr(
                c_path.as_ptr(),
                name.as_ptr(),
                value.as_mut_ptr().cast(),
                value.len(),
            )
        };
        usize::try_from(read)
            .ok()
            .map(|read| value[..read].to_vec())
    };
    let before = get("system.posix_acl_access").unwrap();
    let result = run.run();
    result.expect_code(0, "batch -o over a file with an access control list");
    let written = std::fs::read_to_string(result.path("shared.csv")).unwrap();
    assert!(written.starts_with("id,country,rank1_program"), "{written}");
    assert_eq!(
        get("system.posix_acl_access"),
        Some(before),
        "the list was lost"
    );
    assert_eq!(get("user.note").as_deref(), Some(&b"keep me"[..]));
}

#[cfg(unix)]
#[test]
fn a_folder_that_cannot_be_written_is_named_not_the_file() {
    use std::os::unix::fs::PermissionsExt;
    for existing in [true, false] {
        let mut run = Ipneeds::new()
            .dated(AS_OF)
            .dir("shut")
            .file("p.csv", cases())
            .unprivileged()
            .args(["batch", "p.csv", "-o", "shut/out.csv"]);
        if existing {
            run = run.file("shut/out.csv", "old\n");
            let writable = std::fs::Permissions::from_mode(0o666);
            std::fs::set_permissions(run.path("shut/out.csv"), writable).unwrap();
        }
        let shut = std::fs::Permissions::from_mode(0o555);
        std::fs::set_permissions(run.path("shut"), shut).unwrap();
        let result = run.run();
        result.expect_code(3, "batch into a read-only folder");
        let line = result.stderr_line_with(&["shut/out.csv", "the folder shut is not writable"]);
        assert!(line.contains("another folder"), "{line}");
        assert!(!line.contains("file's permissions"), "{line}");
        // So that the folder can be removed whoever runs the tests.
        let open = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(result.path("shut"), open).unwrap();
    }
}

// ---- the format from the output file's name ----

#[test]
fn the_output_files_name_gives_the_format_unless_format_says_otherwise() {
    let answers = std::fs::read(example_answers()).unwrap();
    let run = |args: &[&str]| {
        Ipneeds::new()
            .dated(AS_OF)
            .file("p.csv", cases())
            .file("ex.yaml", &answers)
            .args(args)
            .run()
    };
    let starts = |result: &Output, name: &str, start: &[u8]| {
        let bytes = std::fs::read(result.path(name)).unwrap();
        assert!(bytes.starts_with(start), "{name}\n{}", result.context());
    };
    let zip = b"PK\x03\x04";
    let result = run(&["batch", "p.csv", "-o", "results.xlsx"]);
    starts(result.success(), "results.xlsx", zip);
    let result = run(&["batch", "p.csv", "-o", "results.JSONL"]);
    starts(result.success(), "results.JSONL", b"{");
    let result = run(&["score", "ex.yaml", "-o", "report.html"]);
    starts(result.success(), "report.html", b"<!DOCTYPE html>");
    let result = run(&["score", "ex.yaml", "-o", "report.md"]);
    starts(result.success(), "report.md", b"# ");
    let result = run(&["template", "-o", "form.xlsx"]);
    starts(result.success(), "form.xlsx", zip);
    let result = run(&["template", "-o", "answers.yaml"]);
    starts(result.success(), "answers.yaml", b"# Answers to");
    // Every command that prints results writes them to -o too: a user told the file was
    // saved finds it (search read `-o out.json` as words to look for and wrote nothing).
    let result = run(&[
        "search",
        "patent",
        "examiners",
        "-o",
        "hits.json",
        "-n",
        "1",
    ]);
    starts(
        result.success(),
        "hits.json",
        b"[\n  {\n    \"id\": \"professional-development\"",
    );
    assert!(result.stdout.is_empty(), "{}", result.context());
    let result = run(&["programs", "show", "3", "-o", "program.json"]);
    starts(result.success(), "program.json", b"{");
    let result = run(&["programs", "-o", "programs.txt"]);
    starts(result.success(), "programs.txt", b" #  id");
    let grades = std::fs::read(repo().join("tests/data/cases/expected.csv")).unwrap();
    let result = Ipneeds::new()
        .dated(AS_OF)
        .file("p.csv", cases())
        .file("grades.csv", grades)
        .args(["eval", "p.csv", "grades.csv", "-o", "eval.json"])
        .run();
    starts(result.success(), "eval.json", b"{\n  \"cases\"");
    // A mistyped option after the words is an option, not a word to leave out.
    let result = run(&["search", "patent", "-v"]);
    result.expect_code(2, "search patent -v");
    result.stderr_contains("unexpected argument '-v'");
    // A name that says nothing keeps the default; --format then decides alone.
    let result = run(&["batch", "p.csv", "-o", "results.txt"]);
    starts(result.success(), "results.txt", b"id,country,");
    let result = run(&["batch", "p.csv", "-f", "json", "-o", "results"]);
    starts(result.success(), "results", b"[");

    // A name that says another format than --format, or one the command has not: refused
    // before any work, the file not written.
    let refused: [(&[&str], &str, &[&str]); 5] = [
        (
            &["batch", "p.csv", "-f", "xlsx", "-o", "results.csv"],
            "results.csv",
            &[
                "the name says CSV",
                "--format xlsx",
                "results.xlsx",
                "or choose --format csv",
            ],
        ),
        (
            &["template", "--format", "xlsform", "-o", "form.csv"],
            "form.csv",
            &["the name says CSV", "form.xlsx", "or choose --format csv"],
        ),
        (
            &["score", "ex.yaml", "-f", "json", "-o", "report.html"],
            "report.html",
            &[
                "the name says an HTML page",
                "report.json",
                "or choose --format html",
            ],
        ),
        (
            &["score", "ex.yaml", "-o", "report.csv"],
            "report.csv",
            &["`score` does not write", "table|json|markdown|html|xlsx"],
        ),
        (
            &["interview", "--report", "report.xlsx"],
            "report.xlsx",
            &["--report writes an HTML page", "report.html"],
        ),
    ];
    for (args, name, says) in refused {
        let result = run(args);
        result.expect_code(2, &args.join(" "));
        let mut line = says.to_vec();
        line.push(name);
        result.stderr_line_with(&line);
        assert!(!result.path(name).exists(), "{name} was written");
    }
}

/// Beyond a file-size limit (`ulimit -f`) a batch used to be killed by the system: no message,
/// exit 153, its temporary file left beside the output. Now the write fails like any other:
/// a message, exit 3, the earlier output untouched and no temporary file.
#[cfg(unix)]
#[test]
fn a_file_size_limit_fails_the_write_cleanly() {
    let mut rows = String::from("id,country,substantive_examination,pending_applications\n");
    for i in 0..3000 {
        rows.push_str(&format!("r{i},UGA,full,{}\n", i * 7));
    }
    let result = Ipneeds::new()
        .file("p.csv", rows)
        .file("res.csv", "earlier results\n")
        .file_size_limit(200)
        .args(["batch", "p.csv", "--top", "12", "-o", "res.csv"])
        .run();
    result
        .expect_code(3, "the write fails")
        .stderr_contains("res.csv: the file would be larger than this system allows");
    let kept = std::fs::read_to_string(result.path("res.csv")).unwrap();
    assert_eq!(kept, "earlier results\n");
    assert_eq!(temporary_files(result.dir()), Vec::<String>::new());
}

/// A save the system refuses part-way through an interview (a file size limit here; a full
/// disk alike) ends it saying which answers the file holds and how to go on: the message was
/// the system's own ("File too large (os error 27)") and said nothing of the answers.
#[cfg(unix)]
#[test]
fn an_answer_the_file_cannot_take_ends_the_interview_saying_what_is_saved() {
    let mut script = String::from("KEN\n");
    script.push_str(&"\n".repeat(34));
    script.push_str(&"backlog and no examiners ".repeat(60));
    script.push('\n');
    let result = Ipneeds::new()
        .file_size_limit(1)
        .stdin(script)
        .args(["interview", "--save", "a.yaml"])
        .run();
    result
        .expect_code(3, "the last save fails")
        .stderr_contains("(a limit set with `ulimit -f`")
        .stderr_contains("the last answer was not saved, the ones before it are in a.yaml")
        .stderr_contains("go on with `ipneeds interview --resume a.yaml`");
    let kept = std::fs::read_to_string(result.path("a.yaml")).unwrap();
    assert!(kept.contains("country: \"KEN\""), "{kept}");
    assert!(!kept.contains("backlog"), "{kept}");
    assert_eq!(temporary_files(result.dir()), Vec::<String>::new());
}

/// The terminal table shows three reasons a program and the points of the rest, so that what a
/// planner reads adds up to the score: before, 68.3 showed reasons of 65.7 and no sign of more.
#[test]
fn the_table_s_reasons_add_up_to_the_score() {
    let run = Ipneeds::new()
        .dated("2026-06-01")
        .in_repo()
        .args([
            "score",
            "questionnaires/examples/example-answers.yaml",
            "--top",
            "12",
        ])
        .run();
    run.success();
    // Each program's rows: its rank line, then its reasons' lines, until the next rank line.
    let (mut checked, mut score, mut shown) = (0, None::<f64>, 0.0);
    let mut close = |score: Option<f64>, shown: f64| {
        if let Some(score) = score {
            assert!(
                (score - shown).abs() < 0.3,
                "{score} shown as {shown}\n{}",
                run.stdout
            );
            checked += 1;
        }
    };
    for line in run.stdout.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let ranked = words.first().is_some_and(|w| w.parse::<usize>().is_ok())
            && words.get(1).is_some_and(|w| w.contains('.'));
        let reason_at = if ranked { 3 } else { 0 };
        if ranked {
            close(score.take(), shown);
            score = words[1].parse().ok();
            shown = 0.0;
        }
        match (words.get(reason_at), words.get(reason_at + 1)) {
            (Some(points), Some(&"·")) => shown += points.parse::<f64>().unwrap_or(0.0),
            (Some(&"+"), _) => {
                let points = words[words.len() - 2];
                shown += points.parse::<f64>().unwrap();
            }
            _ => {}
        }
    }
    close(score, shown);
    assert_eq!(checked, 12, "{}", run.stdout);
    assert!(run.stdout.contains("+ 13 more needs: "), "{}", run.stdout);
}

/// "N of 36 questions answered" counts what the person answered; the answers the country's
/// table filled in are counted apart, so a profile of two answers does not read as four.
#[test]
fn prefilled_answers_are_not_counted_as_answered() {
    let run = Ipneeds::new()
        .dated("2026-06-01")
        .stdin("country: UGA\nip_strategy: none\n")
        .args(["score", "-"])
        .run();
    run.success();
    run.stdout_contains("2 of 36 questions\nanswered, 2 more prefilled");
    let html = Ipneeds::new()
        .dated("2026-06-01")
        .stdin("country: UGA\nip_strategy: none\n")
        .args(["score", "-", "-f", "html"])
        .run();
    html.stdout_contains("<dd>2 of 36 questions answered, 2 more prefilled</dd>");
}

/// A descriptor the shell opened for reading (`3< data.csv`, `< data.csv`) named as the output
/// (`-o /dev/fd/3`, `-o /dev/stdin`) is refused: ipneeds opened its path anew for writing and
/// appended the results to the file the shell had opened read-only (found by a hostile test).
#[cfg(target_os = "linux")]
#[test]
fn a_descriptor_open_for_reading_only_is_refused_as_the_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.csv"), cases()).unwrap();
    for (output, redirect) in [("/dev/fd/3", "3<"), ("/dev/stdin", "<")] {
        std::fs::write(dir.path().join("data.csv"), "my data\n").unwrap();
        let script = format!("exec \"$0\" batch p.csv -o {output} {redirect} data.csv");
        let run = std::process::Command::new("sh")
            .args(["-c", &script, crate::harness::BINARY])
            .current_dir(dir.path())
            .env("IPNEEDS_NO_CACHE", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "-o {output}: {stderr}");
        assert!(
            stderr.contains("is open for reading only"),
            "-o {output}: {stderr}"
        );
        let kept = std::fs::read_to_string(dir.path().join("data.csv")).unwrap();
        assert_eq!(kept, "my data\n", "-o {output}: the file read was written");
    }
}

// ---- the user's own data where an output goes ----

/// A file of the user's own data named as an output (a slip of the name) is refused before any
/// work and left as it was, whatever the name says; `--force` replaces it where the command
/// has one. Found by a hostile test: `batch p.csv -o Book` replaced a workbook, and `-o
/// filled-2023.csv` a filled-in table of profiles, both without a word.
#[test]
fn a_file_of_the_users_own_data_is_never_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name);
    std::fs::write(at("p.csv"), cases()).unwrap();
    std::fs::copy(example_answers(), at("ex.yaml")).unwrap();
    Ipneeds::new()
        .current_dir(dir.path())
        .args(["template", "--format", "xlsform", "-o", "form.xlsx"])
        .run()
        .success();
    let countries = std::fs::read(repo().join("data/countries.csv")).unwrap();
    let grades = std::fs::read(repo().join("tests/data/cases/expected.csv")).unwrap();
    let answers = std::fs::read(example_answers()).unwrap();
    let workbook = std::fs::read(at("form.xlsx")).unwrap();
    // Survey exports, and tables whose header is not on the first line or not in UTF-8, were
    // replaced without a word (found by helper 141).
    let kobo = std::fs::read(repo().join("tests/data/exports/kobo.csv")).unwrap();
    let odk = std::fs::read(repo().join("tests/data/exports/odk-central.csv")).unwrap();
    let utf16: Vec<u8> = (b"\xFF\xFE".iter().copied())
        .chain(
            "id,country,ip_strategy\nx,UGA,none\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    // (file to protect, its content, what the message says it holds, the run, --force taken)
    type Case<'a> = (&'a str, &'a [u8], &'a str, &'a [&'a str], bool);
    let cases: [Case; 14] = [
        (
            "export.csv",
            &kobo,
            "holds a table of profiles (its header names the fields `context/country`",
            &["batch", "p.csv", "-o", "export.csv"],
            true,
        ),
        (
            "export.csv",
            &odk,
            "holds a table of profiles (its header names the fields `context-country`",
            &["batch", "p.csv", "-o", "out.csv", "--errors", "export.csv"],
            true,
        ),
        (
            "excel.csv",
            b"sep=;\nid;country;ip_strategy\nx;UGA;none\n",
            "holds a table of profiles (its header names the fields `country`, `ip_strategy`",
            &["batch", "p.csv", "-o", "excel.csv"],
            true,
        ),
        (
            "titled.csv",
            b"Survey of 2024,,\nid,country,ip_strategy\nx,UGA,none\n",
            "holds a table of profiles (its header names the fields `country`, `ip_strategy`",
            &["batch", "p.csv", "-o", "titled.csv"],
            true,
        ),
        (
            "countries-to-do.csv",
            b"country\nUGA\nKEN\n",
            "holds a table of profiles (its header names the field `country`)",
            &["batch", "p.csv", "-o", "countries-to-do.csv"],
            true,
        ),
        (
            "utf16.csv",
            &utf16,
            "holds a table of profiles (its header names the fields `country`, `ip_strategy`",
            &["batch", "p.csv", "-o", "utf16.csv"],
            true,
        ),
        (
            "Book",
            &workbook,
            "holds a workbook",
            &["batch", "p.csv", "-o", "Book"],
            true,
        ),
        (
            "Book.dat",
            &workbook,
            "holds a workbook",
            &["score", "ex.yaml", "-o", "Book.dat"],
            true,
        ),
        (
            "filled.csv",
            &cases(),
            "holds a table of profiles (its header names the fields `country`",
            &["batch", "p.csv", "-o", "filled.csv"],
            true,
        ),
        (
            "filled.csv",
            &cases(),
            "holds a table of profiles",
            &["batch", "p.csv", "-o", "out.csv", "--errors", "filled.csv"],
            true,
        ),
        (
            "kenya",
            &answers,
            "holds answers (`",
            &["score", "ex.yaml", "-o", "kenya"],
            true,
        ),
        (
            "countries.csv",
            &countries,
            "holds a country table",
            &["batch", "p.csv", "-o", "countries.csv"],
            true,
        ),
        (
            "grades.txt",
            &grades,
            "holds a table of grades",
            &["eval", "p.csv", "ex-grades.csv", "-o", "grades.txt"],
            false,
        ),
        (
            "notes.txt",
            &answers,
            "holds answers",
            &["search", "backlog", "-o", "notes.txt"],
            false,
        ),
    ];
    std::fs::write(at("ex-grades.csv"), &grades).unwrap();
    for (name, content, held, args, has_force) in cases {
        let what = args.join(" ");
        std::fs::write(at(name), content).unwrap();
        let refused = Ipneeds::new()
            .dated(AS_OF)
            .current_dir(dir.path())
            .args(args)
            .run();
        refused.expect_code(2, &what);
        let fix = match has_force {
            true => "write to another file (-o), or add --force to replace it",
            false => {
                "write to another file, or, if nothing in it is yours to keep, delete it first"
            }
        };
        refused.stderr_line_with(&[&format!("error: {name}: the file exists and {held}"), fix]);
        assert_eq!(
            std::fs::read(at(name)).unwrap(),
            content,
            "{what}: the file was changed"
        );
        assert!(!at("out.csv").exists(), "{what}");
        if has_force {
            let forced = Ipneeds::new()
                .dated(AS_OF)
                .current_dir(dir.path())
                .args(args)
                .arg("--force")
                .run();
            forced.expect_code(0, &format!("{what} --force"));
            assert_ne!(std::fs::read(at(name)).unwrap(), content, "{what} --force");
            let _ = std::fs::remove_file(at("out.csv"));
        }
    }
}

/// What a run wrote, the next run replaces without a word, in every format of every command:
/// results are not user data.
#[test]
fn a_runs_own_output_is_replaced_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.csv"), cases()).unwrap();
    std::fs::copy(example_answers(), dir.path().join("ex.yaml")).unwrap();
    std::fs::copy(
        repo().join("tests/data/cases/expected.csv"),
        dir.path().join("g.csv"),
    )
    .unwrap();
    let runs: &[&[&str]] = &[
        &[
            "batch",
            "p.csv",
            "-o",
            "r.csv",
            "--errors",
            "e.csv",
            "--summary",
            "s.txt",
        ],
        &["batch", "p.csv", "-o", "r.jsonl"],
        &["batch", "p.csv", "-o", "r.json"],
        &["batch", "p.csv", "-o", "r.html"],
        &["batch", "p.csv", "-o", "r.xlsx"],
        &["score", "ex.yaml", "-o", "s.md"],
        &["score", "ex.yaml", "-o", "s.json"],
        &["score", "ex.yaml", "-o", "s.html"],
        &["score", "ex.yaml", "-o", "s.xlsx"],
        &["score", "ex.yaml", "-f", "table", "-o", "s.out"],
        &["eval", "p.csv", "g.csv", "-o", "eval.txt"],
        &["search", "backlog", "-o", "found.txt"],
        &["programs", "-o", "programs.txt"],
        &["interview", "--report", "i.html"],
    ];
    for args in runs {
        for time in ["first", "second"] {
            Ipneeds::new()
                .dated(AS_OF)
                .current_dir(dir.path())
                .stdin("UGA\n")
                .args(*args)
                .run()
                .expect_code(0, &format!("{} ({time} time)", args.join(" ")));
        }
    }
}
