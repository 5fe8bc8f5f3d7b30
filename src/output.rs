//! Output destinations: standard output, or a file written atomically (a temporary file beside
//! it, renamed into place at the end), so a failed or interrupted run leaves no half file.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where results go.
pub enum Destination {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File {
        path: PathBuf,
        file: std::io::BufWriter<tempfile::NamedTempFile>,
    },
}

impl Destination {
    /// `None` or `-` is standard output; anything else a file created atomically.
    pub fn create(path: Option<&Path>) -> Result<Destination> {
        match path {
            None => Ok(Destination::Stdout(std::io::BufWriter::new(
                std::io::stdout().lock(),
            ))),
            Some(path) if path == Path::new("-") => Ok(Destination::Stdout(
                std::io::BufWriter::new(std::io::stdout().lock()),
            )),
            Some(path) => {
                if path.is_dir() {
                    return Err(Error::invalid(format!(
                        "{}: is a directory: give a file name",
                        path.display()
                    )));
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
                // A temporary file is private (0600); the result is an ordinary file, so ask
                // for 0666 and let the umask decide, as any other program's output would.
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
                    file: std::io::BufWriter::new(temporary),
                })
            }
        }
    }

    /// Flushes and, for a file, renames it into place. Dropping without `finish` discards it.
    pub fn finish(self) -> Result<()> {
        match self {
            Destination::Stdout(mut out) => Ok(out.flush()?),
            Destination::File { path, file } => {
                let temporary = file
                    .into_inner()
                    .map_err(|e| Error::io("cannot write", &path, e.error()))?;
                temporary
                    .as_file()
                    .sync_all()
                    .map_err(|e| Error::io("cannot write", &path, &e))?;
                temporary
                    .persist(&path)
                    .map_err(|e| Error::io("cannot write", &path, &e.error))?;
                Ok(())
            }
        }
    }

    /// The file path, if writing to a file.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Destination::Stdout(_) => None,
            Destination::File { path, .. } => Some(path),
        }
    }
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Destination::Stdout(out) => out.write(buf),
            Destination::File { file, .. } => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Destination::Stdout(out) => out.flush(),
            Destination::File { file, .. } => file.flush(),
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
    let Some(output) = output else { return Ok(()) };
    if input == Path::new("-") || output == Path::new("-") {
        return Ok(());
    }
    let same = match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => input == output,
    };
    if same {
        return Err(Error::invalid(format!(
            "{}: the output is the input file: write the results to another file",
            output.display()
        )));
    }
    Ok(())
}
