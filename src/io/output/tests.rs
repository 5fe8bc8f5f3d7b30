//! Unit tests of `src/output.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

#[test]
fn only_whole_temporary_names_are_recognised() {
    assert_eq!(partial_file_pid(".ipneeds-123-aB3xYz.partial"), Some(123));
    for name in [
        ".ipneeds-notes.partial",
        ".ipneeds-123-aB3xYz.partial.bak",
        "ipneeds-123-aB3xYz.partial",
        ".ipneeds-12a-aB3xYz.partial",
        ".ipneeds-123-.partial",
        ".ipneeds--abc.partial",
        ".ipneeds-123-my notes.partial",
    ] {
        assert_eq!(partial_file_pid(name), None, "{name}");
    }
}

/// A run this machine cannot see (another container, another machine on a shared folder)
/// still holds its temporary file's lock: another run's clean-up keeps the file; once the lock
/// is gone, the file is removed.
#[cfg(target_os = "linux")]
#[test]
fn a_temporary_file_whose_lock_is_held_is_kept_by_the_clean_up() {
    let dir = tempfile::tempdir().unwrap();
    // A process id no process has here (above the largest Linux allows).
    let path = dir.path().join(".ipneeds-4294967290-aB3xYz.partial");
    let held = std::fs::File::create(&path).unwrap();
    held.try_lock().unwrap();
    remove_abandoned_temporary_files(dir.path());
    assert!(path.exists(), "a file in use was removed");
    drop(held);
    remove_abandoned_temporary_files(dir.path());
    assert!(!path.exists(), "an abandoned file was kept");
}

/// The output's own temporary file is locked while the run writes it.
#[cfg(target_os = "linux")]
#[test]
fn a_run_locks_its_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.csv");
    let destination = Destination::create(Some(&output)).unwrap();
    let temporary = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().ends_with(PARTIAL_SUFFIX))
        .unwrap();
    assert!(locked_by_a_run(&temporary.path()));
    destination.finish().unwrap();
    assert!(output.exists());
}

#[cfg(unix)]
#[test]
fn links_are_followed_to_the_file_they_name() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink("real.csv", dir.path().join("relative")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("relative"), dir.path().join("chain")).unwrap();
    std::os::unix::fs::symlink("missing.csv", dir.path().join("dangling")).unwrap();
    std::os::unix::fs::symlink("loop", dir.path().join("loop")).unwrap();
    for link in ["relative", "chain"] {
        match landing(&dir.path().join(link)).unwrap() {
            Landing::File(path, Some(_)) => assert_eq!(path.canonicalize().unwrap(), real),
            other => panic!("{link}: {other:?}"),
        }
    }
    match landing(&dir.path().join("dangling")).unwrap() {
        Landing::File(path, None) => assert_eq!(path, dir.path().join("missing.csv")),
        other => panic!("dangling: {other:?}"),
    }
    let error = landing(&dir.path().join("loop")).unwrap_err().to_string();
    assert!(error.contains("symbolic links in a row"), "{error}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_descriptor_alias_is_written_in_place() {
    // The link's name alone decides: nothing here opens or writes the process's descriptors.
    assert!(matches!(
        landing(Path::new("/proc/self/fd/1")).unwrap(),
        Landing::InPlace { append: true, .. }
    ));
}

#[test]
fn outputs_committed_together_all_land() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.txt"));
    std::fs::write(&a, "old a").unwrap();
    let mut first = Destination::create(Some(&a)).unwrap();
    let mut second = Destination::create(Some(&b)).unwrap();
    first.write_all(b"new a").unwrap();
    second.write_all(b"new b").unwrap();
    assert_eq!(
        std::fs::read_to_string(&a).unwrap(),
        "old a",
        "nothing lands early"
    );
    commit(vec![first, second]).unwrap();
    assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "new b");
    let left = temporary_files_in(dir.path());
    assert!(left.is_empty(), "{left:?}");
}

/// The first output cannot be put in place (a folder took its name during the run): the run
/// says so and ends, its other output left as it was and no temporary file left. It waited
/// for ever: the outputs not yet renamed were dropped while the pending list was held.
#[test]
fn a_commit_whose_first_rename_fails_ends_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.txt"));
    std::fs::write(&b, "old").unwrap();
    let (ready, written) = std::sync::mpsc::channel();
    let (go, start) = std::sync::mpsc::channel::<()>();
    let (done, result) = std::sync::mpsc::channel();
    {
        let (a, b) = (a.clone(), b.clone());
        std::thread::spawn(move || {
            let outputs = written_new(&a, &b);
            ready.send(()).unwrap();
            start.recv().unwrap();
            done.send(commit(outputs).map_err(|e| e.to_string()))
        });
    }
    written.recv().unwrap();
    std::fs::create_dir_all(a.join("sub")).unwrap();
    go.send(()).unwrap();
    let error = result
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the commit never ended")
        .unwrap_err();
    assert!(
        error.contains("a.csv") && error.contains("directory"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&b).unwrap(), "old");
    let left = temporary_files_in(dir.path());
    assert!(left.is_empty(), "{left:?}");
}

/// The temporary files of runs (`.ipneeds-PID-XXXXXX.partial`) left in `folder`.
fn temporary_files_in(folder: &Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().ends_with(".partial"))
        .collect()
}

/// The outputs `a` and `b` of a run, each holding "new", not yet committed.
fn written_new(a: &Path, b: &Path) -> Vec<Destination> {
    [a, b]
        .map(|path| {
            let mut output = Destination::create(Some(path)).unwrap();
            output.write_all(b"new").unwrap();
            output
        })
        .into()
}

/// Another run committing into the same folder holds the folder's lock: this run's outputs
/// land after all of that run's, never between them (results from one run beside the summary
/// of another).
#[test]
fn a_commit_waits_for_another_run_s_commit_into_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.txt"));
    std::fs::write(&a, "old").unwrap();
    // The other run, in the middle of its commit.
    let other_run = std::fs::File::open(dir.path()).unwrap();
    other_run.lock().unwrap();
    let committer = {
        let (a, b) = (a.clone(), b.clone());
        std::thread::spawn(move || commit(written_new(&a, &b)))
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let during = std::fs::read_to_string(&a).unwrap();
    other_run.unlock().unwrap();
    committer.join().unwrap().unwrap();
    assert_eq!(
        during, "old",
        "an output landed during the other run's commit"
    );
    for path in [&a, &b] {
        assert_eq!(std::fs::read_to_string(path).unwrap(), "new");
    }
}

/// The signal handler takes the pending list before it removes files and exits; a commit holds
/// it for all its renames. So a signal during a commit waits, and the run's outputs land
/// together (issue 14: a new `out.csv` beside the old errors and summary files).
#[test]
fn a_commit_renames_nothing_while_the_signal_handler_would_run() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    std::fs::write(&a, "old").unwrap();
    std::fs::write(&b, "old").unwrap();
    let (ready, written) = std::sync::mpsc::channel();
    let (go, start) = std::sync::mpsc::channel::<()>();
    let committer = {
        let (a, b) = (a.clone(), b.clone());
        std::thread::spawn(move || {
            let outputs = written_new(&a, &b);
            ready.send(()).unwrap();
            start.recv().unwrap();
            commit(outputs)
        })
    };
    written.recv().unwrap();
    // What the handler does first.
    let handler = PENDING.lock().unwrap();
    go.send(()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    let during = [&a, &b].map(|p| std::fs::read_to_string(p).unwrap());
    drop(handler);
    committer.join().unwrap().unwrap();
    assert_eq!(
        during,
        ["old", "old"],
        "a rename happened while the handler ran"
    );
    for path in [&a, &b] {
        assert_eq!(std::fs::read_to_string(path).unwrap(), "new");
    }
}
