//! Output destinations: standard output, or a file written atomically (a temporary file beside
//! it, renamed into place at the end), so a failed or interrupted run leaves no half file.
//!
//! On SIGINT or SIGTERM the temporary files still being written are removed before the process
//! exits (see [`remove_temporary_files_on_signal`]). An existing file that is not a regular file
//! (a device such as `/dev/null`, a named pipe) is written directly: it cannot be replaced.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files being written, removed if a signal ends the process.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Exit status after SIGINT/SIGTERM, as shells report an interrupted command.
const INTERRUPTED: i32 = 130;

/// Installs the handler that removes pending temporary files on SIGINT or SIGTERM and exits.
pub fn remove_temporary_files_on_signal() {
    // Without a handler the default action (terminate) still leaves the target untouched;
    // only the temporary file would remain, so a failure to install is not fatal.
    let _ = ctrlc::set_handler(|| {
        if let Ok(pending) = PENDING.lock() {
            for path in pending.iter() {
                let _ = std::fs::remove_file(path);
            }
        }
        std::process::exit(INTERRUPTED);
    });
}

/// A temporary file registered for removal on a signal; deregistered when dropped (and then
/// deleted by `tempfile`) or when taken out to be renamed into place.
pub struct Temporary {
    path: PathBuf,
    file: Option<tempfile::NamedTempFile>,
}

impl Temporary {
    fn new(file: tempfile::NamedTempFile) -> Temporary {
        let path = file.path().to_path_buf();
        if let Ok(mut pending) = PENDING.lock() {
            pending.push(path.clone());
        }
        Temporary {
            path,
            file: Some(file),
        }
    }

    /// The file, no longer registered for removal.
    fn into_file(mut self) -> Option<tempfile::NamedTempFile> {
        self.file.take()
    }

    fn file(&mut self) -> std::io::Result<&mut tempfile::NamedTempFile> {
        self.file
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the temporary file is gone"))
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Ok(mut pending) = PENDING.lock() {
            pending.retain(|p| *p != self.path);
        }
    }
}

impl Write for Temporary {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file()?.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file()?.flush()
    }
}

/// Where results go.
pub enum Destination {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// A regular file, written to a temporary file renamed into place by `finish`.
    File {
        path: PathBuf,
        file: std::io::BufWriter<Temporary>,
    },
    /// A device or named pipe, written directly.
    Special {
        path: PathBuf,
        file: std::io::BufWriter<std::fs::File>,
    },
}

impl Destination {
    /// `None` or `-` is standard output; anything else a file created atomically.
    pub fn create(path: Option<&Path>) -> Result<Destination> {
        let Some(path) = path.filter(|p| *p != Path::new("-")) else {
            return Ok(Destination::Stdout(std::io::BufWriter::new(
                std::io::stdout().lock(),
            )));
        };
        if path.is_dir() {
            return Err(Error::invalid(format!(
                "{}: is a directory: give a file name",
                path.display()
            )));
        }
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| Error::io("cannot write", path, &e))?;
            return Ok(Destination::Special {
                path: path.to_path_buf(),
                file: std::io::BufWriter::new(file),
            });
        }
        let parent = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(Error::invalid(format!(
                "{}: the directory {} does not exist: create it first or choose another path",
                path.display(),
                parent.display()
            )));
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".ipneeds-").suffix(".partial");
        // A temporary file is private (0600); the result is an ordinary file, so ask for 0666
        // and let the umask decide, as any other program's output would.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let temporary = builder
            .tempfile_in(&parent)
            .map_err(|e| Error::io("cannot write in", &parent, &e))?;
        Ok(Destination::File {
            path: path.to_path_buf(),
            file: std::io::BufWriter::new(Temporary::new(temporary)),
        })
    }

    /// Flushes and, for a file, renames it into place. Dropping without `finish` discards it.
    pub fn finish(self) -> Result<()> {
        match self {
            Destination::Stdout(mut out) => Ok(out.flush()?),
            Destination::Special { path, mut file } => file
                .flush()
                .map_err(|e| Error::io("cannot write", &path, &e)),
            Destination::File { path, file } => {
                let temporary = file
                    .into_inner()
                    .map_err(|e| Error::io("cannot write", &path, e.error()))?;
                let file = temporary.into_file().ok_or_else(|| {
                    Error::invalid(format!("{}: the temporary file is gone", path.display()))
                })?;
                file.as_file()
                    .sync_all()
                    .map_err(|e| Error::io("cannot write", &path, &e))?;
                file.persist(&path)
                    .map_err(|e| Error::io("cannot write", &path, &e.error))?;
                Ok(())
            }
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Destination::Stdout(out) => out.write(buf),
            Destination::File { file, .. } => file.write(buf),
            Destination::Special { file, .. } => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Destination::Stdout(out) => out.flush(),
            Destination::File { file, .. } => file.flush(),
            Destination::Special { file, .. } => file.flush(),
        }
    }
}
/// Writes `text` to `path` atomically.
pub fn write_file_atomically(path: &Path, text: &str) -> Result<()> {
    let mut destination = Destination::create(Some(path))?;
    destination
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("cannot write", path, &e))?;
    destination.finish()
}

/// The output path must not be the input: the input would be gone before it was read.
pub fn refuse_overwriting_input(input: &Path, output: Option<&Path>) -> Result<()> {
    check_outputs(&[input], &[output])
}

/// Refuses, before any work, an output that is one of the inputs or that another output also
/// names: a run would otherwise destroy its own input or lose one of its results.
pub fn check_outputs(inputs: &[&Path], outputs: &[Option<&Path>]) -> Result<()> {
    let files: Vec<&Path> = outputs
        .iter()
        .flatten()
        .copied()
        .filter(|p| *p != Path::new("-"))
        .collect();
    for (i, output) in files.iter().enumerate() {
        if let Some(input) = inputs
            .iter()
            .find(|input| **input != Path::new("-") && same_file(input, output))
        {
            return Err(Error::invalid(format!(
                "{}: the output is the input file {} of this run: write the results to another file",
                output.display(),
                input.display()
            )));
        }
        if files[..i].iter().any(|earlier| same_file(earlier, output)) {
            return Err(Error::invalid(format!(
                "{}: two outputs of this run name the same file: give each its own file",
                output.display()
            )));
        }
    }
    Ok(())
}

/// Whether two paths name the same file (or would, once created).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => {
            let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            absolute(a) == absolute(b)
        }
    }
}
