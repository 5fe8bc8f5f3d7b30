//! Running the `ipneeds` binary the same way in every test (after just's `Test`): a builder
//! for the command line, its standard input, environment and files, and an [`Output`] with
//! assertions that show the whole run when they fail.
//!
//! Every run gets its own temporary folder (the current directory unless the test says
//! otherwise; files given with [`Ipneeds::file`] are written there), `NO_COLOR=1`, no terminal
//! width, no `IPNEEDS_*` variable from the machine, and the suite's own cache folder, so that
//! no test depends on the machine it runs on or on the user's cache.

use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The binary under test, as cargo built it for this test run.
pub const BINARY: &str = env!("CARGO_BIN_EXE_ipneeds");

/// The date LDC status is computed for (`--as-of`) in the tests that fix it.
pub const AS_OF: &str = "2026-06-01";

/// The suite's cache folder: shared by its runs (the index is built once, not once a test) and
/// never the user's.
pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("ipneeds-cache")
}

/// The repository's root, where `tests/data` and `questionnaires` are.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One run of `ipneeds`, described before it runs.
#[must_use]
pub struct Ipneeds {
    args: Vec<OsString>,
    /// Set (`Some`) or removed (`None`), in order, after the defaults.
    env: Vec<(OsString, Option<OsString>)>,
    stdin: Vec<u8>,
    dir: tempfile::TempDir,
    current_dir: Option<PathBuf>,
    timeout: Option<Duration>,
    /// `ulimit` settings (`-v KIB`, `-f BLOCKS`) the run starts under, through `sh`.
    ulimits: Vec<String>,
    /// Runs as this user and group (see [`Ipneeds::unprivileged`]).
    user: Option<(u32, u32)>,
}

impl Ipneeds {
    /// `ipneeds` with no arguments, in a fresh temporary folder.
    pub fn new() -> Ipneeds {
        Ipneeds {
            args: Vec::new(),
            env: Vec::new(),
            stdin: Vec::new(),
            dir: tempfile::tempdir().unwrap(),
            current_dir: None,
            timeout: None,
            ulimits: Vec::new(),
            user: None,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Ipneeds {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I>(mut self, args: I) -> Ipneeds
    where
        I: IntoIterator,
        I::Item: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// `--as-of DATE`: LDC status as of that date rather than today.
    pub fn dated(self, date: &str) -> Ipneeds {
        self.args(["--as-of", date])
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Ipneeds {
        self.env
            .push((key.as_ref().to_owned(), Some(value.as_ref().to_owned())));
        self
    }

    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Ipneeds {
        self.env.push((key.as_ref().to_owned(), None));
        self
    }

    /// Standard input (empty unless given).
    pub fn stdin(mut self, bytes: impl AsRef<[u8]>) -> Ipneeds {
        self.stdin = bytes.as_ref().to_vec();
        self
    }

    /// Writes `name` (a path relative to the run's folder) before the run.
    pub fn file(self, name: &str, contents: impl AsRef<[u8]>) -> Ipneeds {
        let path = self.path(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self
    }

    /// Makes the folder `name` in the run's folder before the run.
    pub fn dir(self, name: &str) -> Ipneeds {
        std::fs::create_dir_all(self.path(name)).unwrap();
        self
    }

    /// Where `name` is in the run's folder (for arguments, and to check files afterwards).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs in `dir` instead of the run's own folder.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Ipneeds {
        self.current_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// Runs in the repository's root, where paths like `tests/data/…` are found.
    pub fn in_repo(self) -> Ipneeds {
        self.current_dir(repo())
    }

    /// Kills the run after `limit` (its [`Output::code`] is then `None`).
    pub fn timeout(mut self, limit: Duration) -> Ipneeds {
        self.timeout = Some(limit);
        self
    }

    /// Runs under `ulimit -v` (through `sh`).
    pub fn memory_limit_mib(mut self, mib: u64) -> Ipneeds {
        self.ulimits.push(format!("-v {}", mib * 1024));
        self
    }

    /// Runs under `ulimit -f` (through `sh`; `blocks` of 512 or 1024 bytes, as the shell counts).
    pub fn file_size_limit(mut self, blocks: u64) -> Ipneeds {
        self.ulimits.push(format!("-f {blocks}"));
        self
    }

    /// Runs as a user without root's privileges: as `nobody` (65534) when the tests run as
    /// root, who may write read-only files (as `>` does). The run's folder is then open to
    /// everyone, and the run uses no cache (the suite's is root's).
    #[cfg(unix)]
    pub fn unprivileged(mut self) -> Ipneeds {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let root = std::fs::metadata(self.dir.path()).unwrap().uid() == 0;
        if root {
            let open = std::fs::Permissions::from_mode(0o777);
            std::fs::set_permissions(self.dir.path(), open).unwrap();
            self.user = Some((65534, 65534));
            self = self.env("IPNEEDS_NO_CACHE", "1");
        }
        self
    }

    /// The command line as the failure messages show it.
    fn shown(&self) -> String {
        let words: Vec<String> = self
            .args
            .iter()
            .map(|a| a.to_string_lossy().chars().take(60).collect())
            .collect();
        format!("ipneeds {}", words.join(" "))
    }

    /// The process to start, for the few tests that signal it or give it their own standard
    /// streams; [`Ipneeds::run`] for the others. Standard input is not set here, and `self`
    /// must outlive the process (its folder is the process's current directory).
    pub fn command(&self) -> std::process::Command {
        let mut command = match self.ulimits.as_slice() {
            [] => std::process::Command::new(BINARY),
            limits => {
                let set: Vec<String> = limits.iter().map(|l| format!("ulimit {l} && ")).collect();
                let mut command = std::process::Command::new("sh");
                command
                    .arg("-c")
                    .arg(format!("{}exec \"$0\" \"$@\"", set.concat()))
                    .arg(BINARY);
                command
            }
        };
        command
            .args(&self.args)
            .current_dir(self.current_dir.as_deref().unwrap_or(self.dir.path()));
        #[cfg(unix)]
        if let Some((uid, gid)) = self.user {
            use std::os::unix::process::CommandExt;
            command.uid(uid).gid(gid);
        }
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("IPNEEDS_") {
                command.env_remove(key);
            }
        }
        command
            .env_remove("COLUMNS")
            .env_remove("CLICOLOR_FORCE")
            .env("NO_COLOR", "1")
            .env("IPNEEDS_CACHE_DIR", cache_dir());
        for (key, value) in &self.env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        command
    }

    /// Runs with a terminal as standard output (through util-linux's `script`): its output and
    /// error both come back in [`Output::stdout`]. `None` where `script` is not installed.
    #[track_caller]
    pub fn run_on_terminal(self) -> Option<Output> {
        let inner = self.command();
        let quote = |word: &OsStr| format!("'{}'", word.to_string_lossy().replace('\'', r"'\''"));
        let mut line = quote(inner.get_program());
        for arg in inner.get_args() {
            line.push(' ');
            line.push_str(&quote(arg));
        }
        let mut command = std::process::Command::new("script");
        command.args(["-qec", &line, "/dev/null"]);
        if let Some(dir) = inner.get_current_dir() {
            command.current_dir(dir);
        }
        for (key, value) in inner.get_envs() {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        let start = Instant::now();
        let output = command.stdin(std::process::Stdio::null()).output().ok()?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if !output.status.success() && stdout.is_empty() {
            return None;
        }
        Some(Output {
            code: output.status.code(),
            stderr: String::new(),
            stdout,
            stdout_bytes: output.stdout,
            elapsed: start.elapsed(),
            command_line: self.shown(),
            dir: self.dir,
        })
    }

    /// Runs with standard output a pipe its reader has already closed (`ipneeds … | head`
    /// once head has gone): what it would have printed is lost, as it is then.
    #[track_caller]
    pub fn run_into_closed_pipe(self) -> Output {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let start = Instant::now();
        let output = self
            .command()
            .stdin(std::process::Stdio::null())
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap_or_else(|e| panic!("{}: could not run ({e})", self.shown()));
        Output {
            code: output.status.code(),
            stdout: String::new(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            stdout_bytes: Vec::new(),
            elapsed: start.elapsed(),
            command_line: self.shown(),
            dir: self.dir,
        }
    }

    /// Runs with standard error a pipe its reader has already closed (`ipneeds … 2>&1 >out |
    /// head -1` once head has gone): the messages are lost, standard output is kept.
    #[track_caller]
    pub fn run_with_closed_stderr(self) -> Output {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let start = Instant::now();
        let mut child = self
            .command()
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(writer)
            .spawn()
            .unwrap_or_else(|e| panic!("{}: could not run ({e})", self.shown()));
        if let Some(mut stdin) = child.stdin.take() {
            use std::io::Write;
            let _ = stdin.write_all(&self.stdin);
        }
        let output = child.wait_with_output().unwrap();
        Output {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::new(),
            stdout_bytes: output.stdout,
            elapsed: start.elapsed(),
            command_line: self.shown(),
            dir: self.dir,
        }
    }

    /// Runs to the end (or the time limit) and checks it did not panic.
    #[track_caller]
    pub fn run(self) -> Output {
        let mut command = assert_cmd::Command::from_std(self.command());
        command.write_stdin(self.stdin.clone());
        if let Some(limit) = self.timeout {
            command.timeout(limit);
        }
        let start = Instant::now();
        let output = command
            .output()
            .unwrap_or_else(|e| panic!("{}: could not run ({e})", self.shown()));
        let output = Output {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            stdout_bytes: output.stdout,
            elapsed: start.elapsed(),
            command_line: self.shown(),
            dir: self.dir,
        };
        assert!(
            !output.stderr.contains("panicked") && output.code != Some(101),
            "the program panicked\n{}",
            output.context()
        );
        output
    }
}

/// What one run gave, with the run's folder (kept until this is dropped).
pub struct Output {
    /// `None` when a signal ended it.
    pub code: Option<i32>,
    /// Standard output and error as text (invalid UTF-8 replaced).
    pub stdout: String,
    pub stderr: String,
    /// Standard output as written.
    pub stdout_bytes: Vec<u8>,
    pub elapsed: Duration,
    command_line: String,
    dir: tempfile::TempDir,
}

impl Output {
    /// The command line, exit code, time and output, for failure messages.
    pub fn context(&self) -> String {
        let shown = |text: &str| -> String { text.chars().take(3000).collect() };
        format!(
            "{}\n--- exit: {:?} after {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.command_line,
            self.code,
            self.elapsed,
            shown(&self.stdout),
            shown(&self.stderr)
        )
    }

    /// The run's folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Where `name` is in the run's folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Fails unless the run exited with `code`; `what` says which run in the message.
    #[track_caller]
    pub fn expect_code(&self, code: i32, what: &str) -> &Output {
        assert_eq!(
            self.code,
            Some(code),
            "{what}: exit code\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn code(&self, code: i32) -> &Output {
        self.expect_code(code, "")
    }

    #[track_caller]
    pub fn success(&self) -> &Output {
        self.code(0)
    }

    /// Fails unless the process ended on its own with 0, 2 (a usage or input error) or 3 (a
    /// file that cannot be read or written) and neither panicked nor overflowed its stack.
    #[track_caller]
    pub fn assert_no_crash(&self, what: &str) -> &Output {
        assert!(
            matches!(self.code, Some(0 | 2 | 3)),
            "{what}: 0, 2 or 3 expected (None means killed by a signal)\n{}",
            self.context()
        );
        assert!(
            !self.stderr.contains("overflowed"),
            "{what}: crashed\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn stdout_is(&self, expected: &str) -> &Output {
        assert_eq!(self.stdout, expected, "stdout\n{}", self.context());
        self
    }

    #[track_caller]
    pub fn stderr_contains(&self, part: &str) -> &Output {
        assert!(
            self.stderr.contains(part),
            "stderr lacks {part:?}\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn stdout_contains(&self, part: &str) -> &Output {
        assert!(
            self.stdout.contains(part),
            "stdout lacks {part:?}\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn stderr_lacks(&self, part: &str) -> &Output {
        self.lacks("stderr", &self.stderr, part)
    }

    #[track_caller]
    pub fn stdout_lacks(&self, part: &str) -> &Output {
        self.lacks("stdout", &self.stdout, part)
    }

    #[track_caller]
    fn lacks(&self, stream: &str, text: &str, part: &str) -> &Output {
        assert!(
            !text.contains(part),
            "{stream} contains {part:?}\n{}",
            self.context()
        );
        self
    }

    /// The stdout line containing all of `parts`, or a failure naming what is missing.
    #[track_caller]
    pub fn stdout_line_with(&self, parts: &[&str]) -> &str {
        self.line_with("stdout", &self.stdout, parts)
    }

    /// The stderr line containing all of `parts`, or a failure naming what is missing.
    #[track_caller]
    pub fn stderr_line_with(&self, parts: &[&str]) -> &str {
        self.line_with("stderr", &self.stderr, parts)
    }

    #[track_caller]
    fn line_with<'a>(&self, stream: &str, text: &'a str, parts: &[&str]) -> &'a str {
        text.lines()
            .find(|line| parts.iter().all(|p| line.contains(p)))
            .unwrap_or_else(|| {
                panic!(
                    "no {stream} line contains all of {parts:?}\n{}",
                    self.context()
                )
            })
    }

    /// The stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{}", self.context()))
    }
}

/// A device node like /dev/full, made in `dir` (needs root); `None` where that is not allowed.
#[cfg(unix)]
pub fn full_device(dir: &Path) -> Option<PathBuf> {
    let path = dir.join("full");
    let made = std::process::Command::new("mknod")
        .arg(&path)
        .args(["c", "1", "7"])
        .status()
        .ok()?;
    made.success().then_some(path)
}
