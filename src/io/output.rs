//! Output destinations: standard output, or a file written atomically (a temporary file beside
//! it, renamed into place at the end), so a failed or interrupted run leaves no half file.
//!
//! What a user's file system holds is kept as it was:
//! - a symbolic link is written through: the temporary file goes beside the link's final
//!   target and replaces that target; the link stays a link;
//! - a target that is not a regular file (a device such as `/dev/null`, a named pipe, or a file
//!   descriptor's alias such as `/dev/stdout`) is written in place: it cannot be replaced;
//! - a file that is replaced keeps its permissions (and, where allowed, its owner); a new file
//!   gets the umask's, as any other program's output would;
//! - several outputs of one run are committed together ([`commit`]): a signal during the
//!   renames waits for them, so a run leaves all its outputs old or all new.
//!
//! On SIGINT or SIGTERM the temporary files still being written are removed before the process
//! exits (see [`remove_temporary_files_on_signal`]). Those of a run killed outright (SIGKILL,
//! power loss) are removed by a later run that writes in the same directory.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files being written, removed if a signal ends the process. Held while outputs
/// are renamed into place, so that the signal handler waits for the renames to end.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Exit status after SIGINT/SIGTERM, as shells report an interrupted command.
const INTERRUPTED: i32 = 130;

/// The output files this run has renamed into place, as shown to the user. Added to while
/// [`PENDING`] is held, so that the signal handler sees a commit whole or not at all.
static WRITTEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// What the signal handler found of the run's output files.
#[derive(Debug, Default)]
pub struct AtInterrupt {
    /// Output files under way were removed, unwritten.
    pub removed: bool,
    /// Output files written in full before the signal came.
    pub written: Vec<String>,
}

/// What a command keeps or says when a signal ends it (the interview: the answers given so
/// far), run by the handler after the temporary files are removed.
type InterruptHook = Box<dyn Fn(&AtInterrupt) + Send>;
static ON_INTERRUPT: Mutex<Option<InterruptHook>> = Mutex::new(None);

/// Sets what to do, before exiting, when SIGINT or SIGTERM ends the run.
pub fn on_interrupt(hook: impl Fn(&AtInterrupt) + Send + 'static) {
    if let Ok(mut slot) = ON_INTERRUPT.lock() {
        *slot = Some(Box::new(hook));
    }
}

/// Installs the handler that removes pending temporary files on SIGINT or SIGTERM and exits.
pub fn remove_temporary_files_on_signal() {
    ignore_file_size_signal();
    // Without a handler the default action (terminate) still leaves the target untouched;
    // only the temporary file would remain, so a failure to install is not fatal.
    let _ = ctrlc::set_handler(|| {
        // Waits for a commit under way: its outputs are then all in place.
        let mut found = AtInterrupt::default();
        if let Ok(pending) = PENDING.lock() {
            for path in pending.iter() {
                let _ = std::fs::remove_file(path);
                found.removed = true;
            }
            if let Ok(written) = WRITTEN.lock() {
                found.written = written.clone();
            }
        }
        if let Ok(hook) = ON_INTERRUPT.lock() {
            if let Some(hook) = hook.as_ref() {
                hook(&found);
            }
        }
        // The run goes on while the hook runs (the hook itself may write a file, so the list
        // is not held through it): a temporary file begun meanwhile is removed, and the list
        // is held to the exit so that none is begun after.
        let pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
        for path in pending.iter() {
            let _ = std::fs::remove_file(path);
        }
        std::process::exit(INTERRUPTED);
    });
}

/// A temporary file registered for removal on a signal; deregistered (and deleted by
/// `tempfile`) when dropped, or deregistered when renamed into place by [`commit`].
pub struct Temporary {
    file: Option<tempfile::NamedTempFile>,
}

impl Temporary {
    /// Creates a temporary file with `builder` in `directory`, registered under the same hold
    /// of [`PENDING`]: a signal between creating and registering it left the file behind.
    fn create(builder: &tempfile::Builder, directory: &Path) -> std::io::Result<Temporary> {
        let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
        let file = builder.tempfile_in(directory)?;
        pending.push(file.path().to_path_buf());
        Ok(Temporary { file: Some(file) })
    }

    fn file(&mut self) -> std::io::Result<&mut std::fs::File> {
        // The plain file: `NamedTempFile`'s own errors would name the temporary path.
        self.file
            .as_mut()
            .map(tempfile::NamedTempFile::as_file_mut)
            .ok_or_else(|| std::io::Error::other("the temporary file is gone"))
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            // Deleted and deregistered under one hold (see `create`): a signal between the two
            // left the file behind.
            let mut pending = PENDING.lock().unwrap_or_else(|p| p.into_inner());
            let path = file.path().to_path_buf();
            drop(file);
            pending.retain(|p| *p != path);
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
    Stdout(std::io::BufWriter<Stdout>),
    /// A regular file (new, or replaced), written to a temporary file beside it that
    /// [`commit`] renames into place. `path` is the file itself, links followed; `shown` is
    /// the path as the user gave it, for messages.
    File {
        path: PathBuf,
        shown: PathBuf,
        file: std::io::BufWriter<Temporary>,
    },
    /// A device, a named pipe or a file descriptor's alias, written directly.
    Special {
        shown: PathBuf,
        file: std::io::BufWriter<std::fs::File>,
    },
}

/// Standard output, locked for the run. Not a terminal, it is written through a duplicate of
/// its descriptor, as a file is: std's handle is line-buffered whatever it leads to, and
/// searches every write backwards for its last line break, to write the lines and keep the
/// rest (a batch block of JSON ends mid-line: its whole last row, 32 KB, was searched).
pub struct Stdout {
    lock: std::io::StdoutLock<'static>,
    direct: Option<std::fs::File>,
    /// On a terminal, control characters are shown as U+FFFD ([`Destination::shows_data`]).
    guarded: bool,
    /// A guarded write's last byte when it began a two-byte character (0xC2): whether it is a
    /// C1 control (U+0080–U+009F) is known from the next byte.
    pending: Option<u8>,
}

impl Stdout {
    fn new() -> Stdout {
        let lock = std::io::stdout().lock();
        let direct = direct_stdout(&lock);
        Stdout {
            lock,
            direct,
            guarded: false,
            pending: None,
        }
    }

    /// `buf` with every control character but a tab or line break as U+FFFD, so that the user's
    /// data (an escape sequence a survey export carried) cannot move the terminal's cursor,
    /// erase lines or hide the rest of the output.
    fn guard(&mut self, buf: &[u8]) -> Vec<u8> {
        const REPLACEMENT: &[u8] = "\u{fffd}".as_bytes();
        let mut shown = Vec::with_capacity(buf.len());
        for &byte in buf {
            if let Some(lead) = self.pending.take() {
                if (0x80..=0x9f).contains(&byte) {
                    shown.extend_from_slice(REPLACEMENT);
                    continue;
                }
                shown.push(lead);
            }
            match byte {
                b'\n' | b'\t' => shown.push(byte),
                0x00..=0x1f | 0x7f => shown.extend_from_slice(REPLACEMENT),
                0xc2 => self.pending = Some(byte),
                _ => shown.push(byte),
            }
        }
        shown
    }
}

/// A duplicate of standard output's descriptor, unless it is a terminal (then written a line
/// at a time) or cannot be duplicated (closed: std's handle then takes the writes).
#[cfg(unix)]
fn direct_stdout(lock: &std::io::StdoutLock<'static>) -> Option<std::fs::File> {
    use std::io::IsTerminal;
    use std::os::fd::AsFd;
    if lock.is_terminal() {
        return None;
    }
    let descriptor = lock.as_fd().try_clone_to_owned().ok()?;
    Some(std::fs::File::from(descriptor))
}

#[cfg(not(unix))]
fn direct_stdout(_: &std::io::StdoutLock<'static>) -> Option<std::fs::File> {
    None
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.direct {
            Some(file) => file.write(buf),
            None if self.guarded => {
                let shown = self.guard(buf);
                self.lock.write_all(&shown)?;
                Ok(buf.len())
            }
            None => self.lock.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.direct {
            Some(file) => file.flush(),
            None => self.lock.flush(),
        }
    }
}

/// Where writing to a path lands, its symbolic links followed.
#[derive(Debug)]
enum Landing {
    /// A regular file to replace (its metadata), or a new file.
    File(PathBuf, Option<std::fs::Metadata>),
    /// Something that cannot be replaced: written in place (appending to a file descriptor's
    /// alias, as the shell's `>>` or `>` already decided where it starts).
    InPlace { path: PathBuf, append: bool },
}

/// Links followed at most (as the kernel's ELOOP limit).
const MAX_LINKS: usize = 40;

/// Follows `path`'s symbolic links to where a write lands.
fn landing(path: &Path) -> Result<Landing> {
    // The commands name a file of the format they write (`commands::output_format`); this is
    // for any other writer, with a name every command that writes results takes.
    if names_a_folder(path) {
        return Err(folder_not_file(path, "results.json"));
    }
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        // `/dev/stdout` leads to `/proc/self/fd/1`, whose "link" is whatever standard output
        // is (a file the shell opened, a pipe, a terminal): write to it, never replace it.
        if is_descriptor_alias(&current) {
            if let Some(descriptor) = open_for_reading_only(&current) {
                return Err(Error::usage(format!(
                    "{}: descriptor {descriptor} is open for reading only (the shell's `{descriptor}<` or `<`), and writing to it would change the file it reads: write the results to a file (-o results.csv), or to a descriptor opened for writing (`{descriptor}>`)",
                    path.display()
                )));
            }
            return Ok(Landing::InPlace {
                path: current,
                append: true,
            });
        }
        match std::fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)
                    .map_err(|e| Error::io("cannot follow the link", &current, &e))?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            Ok(metadata) if metadata.is_dir() => {
                return Err(Error::io_message(
                    path,
                    format!("{}: is a directory: give a file name", path.display()),
                ))
            }
            Ok(metadata) if metadata.is_file() => {
                return Ok(Landing::File(current, Some(metadata)))
            }
            Ok(_) => {
                return Ok(Landing::InPlace {
                    path: current,
                    append: false,
                })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Landing::File(current, None))
            }
            Err(error) => return Err(Error::io("cannot write", path, &error)),
        }
    }
    Err(Error::io_message(
        path,
        format!(
        "{}: more than {MAX_LINKS} symbolic links in a row (a loop?): check where the link points",
        path.display()
    ),
    ))
}

/// `-o reports/`: a folder's name, whether the folder exists or not.
pub(crate) fn names_a_folder(path: &Path) -> bool {
    let name = path.as_os_str().to_string_lossy();
    name.ends_with(std::path::MAIN_SEPARATOR) || name.ends_with('/')
}

/// A folder given where a file is written, with a file in it to give instead (`file_name`:
/// one of the format the run writes, so that following the advice changes nothing else).
pub(crate) fn folder_not_file(folder: &Path, file_name: &str) -> Error {
    Error::io_message(
        folder,
        format!(
            "{}: names a folder: give a file name in it, e.g. {}",
            folder.display(),
            folder.join(file_name).display()
        ),
    )
}

/// The lock file a spreadsheet keeps beside a file it has open (LibreOffice's
/// `.~lock.NAME#`, Excel's `~$NAME`, which drops the name's first two letters when it is
/// long), if there is one: the spreadsheet still shows the old results, and saving its copy
/// would write them over the new.
pub fn spreadsheet_lock_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let folder = path.parent().unwrap_or(Path::new(""));
    let shortened: String = name.chars().skip(2).collect();
    [
        format!(".~lock.{name}#"),
        format!("~${name}"),
        format!("~${shortened}"),
    ]
    .into_iter()
    .map(|lock| folder.join(lock))
    .find(|lock| lock.is_file())
}

/// `/proc/…` and `/dev/fd/…`: aliases of open file descriptors, not files.
fn is_descriptor_alias(path: &Path) -> bool {
    cfg!(unix) && (path.starts_with("/proc") || path.starts_with("/dev/fd"))
}

/// The descriptor an alias names (`/dev/fd/3`, `/proc/self/fd/0`) when it is open for
/// reading only: opening the alias anew for writing would get round the shell's `<` (found
/// by a hostile test: `-o /dev/stdin < data.csv` appended the results to data.csv).
#[cfg(unix)]
fn open_for_reading_only(alias: &Path) -> Option<i32> {
    let within = alias
        .strip_prefix("/dev/fd")
        .or_else(|_| alias.strip_prefix("/proc/self/fd"))
        .ok()?;
    let descriptor: i32 = within.to_str()?.parse().ok()?;
    // SAFETY: F_GETFL only reads the flags of a descriptor number; an unopened one fails.
    let flags = unsafe { libc::fcntl(descriptor, libc::F_GETFL) };
    (flags >= 0 && flags & libc::O_ACCMODE == libc::O_RDONLY).then_some(descriptor)
}

#[cfg(not(unix))]
fn open_for_reading_only(_: &Path) -> Option<i32> {
    None
}

impl Destination {
    /// `None` or `-` is standard output; anything else a file created atomically.
    pub fn create(path: Option<&Path>) -> Result<Destination> {
        let Some(path) = path.filter(|p| *p != Path::new("-")) else {
            return Ok(Destination::Stdout(std::io::BufWriter::new(Stdout::new())));
        };
        let (target, existing) = match landing(path)? {
            Landing::InPlace {
                path: place,
                append,
            } => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .append(append)
                    .open(&place)
                    .map_err(|e| Error::io("cannot write", path, &e))?;
                return Ok(Destination::Special {
                    shown: path.to_path_buf(),
                    file: std::io::BufWriter::new(file),
                });
            }
            Landing::File(target, existing) => (target, existing),
        };
        let parent = folder_of(&target);
        if !parent.is_dir() {
            return Err(Error::io_message(
                path,
                format!(
                    "{}: the directory {} does not exist: create it first or choose another path",
                    path.display(),
                    parent.display()
                ),
            ));
        }
        if existing.is_some() {
            refuse_read_only(&target, path)?;
        }
        remove_abandoned_temporary_files(&parent);
        let mut builder = tempfile::Builder::new();
        let prefix = format!(".ipneeds-{}-", std::process::id());
        builder.prefix(&prefix).suffix(PARTIAL_SUFFIX);
        // A temporary file is private (0600); a new result is an ordinary file, so ask for
        // 0666 and let the umask decide, as any other program's output would.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut temporary = Temporary::create(&builder, &parent)
            .map_err(|e| folder_not_writable(path, &parent, &e))?;
        let file = temporary
            .file()
            .map_err(|e| folder_not_writable(path, &parent, &e))?;
        // Held until the run ends, however it ends: another run's clean-up sees the file is in
        // use even where it cannot see this process (a container, another machine). Where the
        // file system has no locks, the clean-up's other rules apply.
        let _ = file.try_lock();
        if let Some(existing) = existing {
            keep_mode_and_owner(file, &existing)
                .map_err(|e| Error::io("cannot keep the permissions of", path, &e))?;
            keep_extended_attributes(&target, file);
        }
        Ok(Destination::File {
            path: target,
            shown: path.to_path_buf(),
            file: std::io::BufWriter::new(temporary),
        })
    }

    /// Flushes and, for a file, renames it into place. Dropping without `finish` discards it.
    pub fn finish(self) -> Result<()> {
        commit(vec![self])
    }

    /// The file being written as a `Send` writer (what rust_xlsxwriter streams a workbook
    /// into); `None` for standard output. Its errors do not name the file: see [`Self::shown`].
    pub fn send_writer(&mut self) -> Option<&mut (dyn Write + Send)> {
        match self {
            Destination::Stdout(_) => None,
            Destination::File { file, .. } => Some(file as &mut (dyn Write + Send)),
            Destination::Special { file, .. } => Some(file as &mut (dyn Write + Send)),
        }
    }

    /// The path as the user gave it, or `None` for standard output.
    pub fn shown(&self) -> Option<&Path> {
        match self {
            Destination::Stdout(_) => None,
            Destination::File { shown, .. } | Destination::Special { shown, .. } => Some(shown),
        }
    }
}

/// Refuses to replace a file the user could not write with `>`: renaming a new file over it
/// would get round its write protection. Opening it for writing (nothing written, nothing
/// truncated) asks the system what `>` would, for this user: root, groups and ACLs included.
fn refuse_read_only(target: &Path, shown: &Path) -> Result<()> {
    refuse_sticky_folder(target, shown)?;
    let reason = match std::fs::OpenOptions::new().write(true).open(target) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            "it is read-only: make it writable or choose another output file"
        }
        Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => {
            "it is on a read-only file system: choose an output file elsewhere"
        }
        // Any other failure is met, and named, when the file is written.
        _ => return Ok(()),
    };
    Err(Error::io_message(
        shown,
        format!("cannot write {}: {reason}", shown.display()),
    ))
}

/// A folder marked sticky (as /tmp is) lets only a file's owner, the folder's owner or root
/// rename over the file, however writable the file is: the rename at the end would fail after
/// the whole run (and after the other outputs were replaced), so it is refused before.
#[cfg(unix)]
fn refuse_sticky_folder(target: &Path, shown: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let folder = folder_of(target);
    let (Ok(file), Ok(folder_metadata)) = (std::fs::metadata(target), std::fs::metadata(&folder))
    else {
        return Ok(());
    };
    // SAFETY: geteuid cannot fail.
    let user = unsafe { libc::geteuid() };
    let sticky = folder_metadata.mode() & 0o1000 != 0;
    if !sticky || user == 0 || file.uid() == user || folder_metadata.uid() == user {
        return Ok(());
    }
    Err(Error::io_message(
        shown,
        format!(
            "cannot replace {}: it belongs to another user, and its folder {} lets only a file's owner replace it (it is marked sticky, as /tmp is): choose a file in another folder, or a new name",
            shown.display(),
            folder.display()
        ),
    ))
}

#[cfg(not(unix))]
fn refuse_sticky_folder(_: &Path, _: &Path) -> Result<()> {
    Ok(())
}

/// Refuses, before any work, an existing output file the user cannot write (see
/// [`Destination::create`], which checks it again when the file is written).
pub fn refuse_read_only_output(path: &Path) -> Result<()> {
    if path == Path::new("-") {
        return Ok(());
    }
    match landing(path)? {
        Landing::File(target, Some(_)) => refuse_read_only(&target, path),
        _ => Ok(()),
    }
}

/// The temporary file goes in the output's folder: a folder the user cannot write is named as
/// such (the file itself may well be writable).
fn folder_not_writable(shown: &Path, folder: &Path, error: &std::io::Error) -> Error {
    let reason = match error.kind() {
        std::io::ErrorKind::PermissionDenied => "is not writable",
        std::io::ErrorKind::ReadOnlyFilesystem => "is on a read-only file system",
        _ => return Error::io("cannot write in", folder, error),
    };
    Error::io_message(
        shown,
        format!(
            "cannot write {}: the folder {} {reason} (results are written beside the file, then renamed into place): make the folder writable or choose a file in another folder",
            shown.display(),
            folder.display()
        ),
    )
}

/// A replacing file gets the permissions of the file it replaces, and its owner where that is
/// allowed (root, or a group the user is in): a confidential file stays confidential.
#[cfg(unix)]
fn keep_mode_and_owner(file: &std::fs::File, existing: &std::fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::{fchown, MetadataExt, PermissionsExt};
    // Owner first: a change of owner may clear set-user-id bits that the mode then restores.
    let _ = fchown(file, Some(existing.uid()), None);
    let mut mode = existing.mode() & 0o7777;
    if fchown(file, None, Some(existing.gid())).is_err() {
        // The file stays in another group: its group may have no more than everyone has.
        let group = mode & 0o070;
        let others_as_group = (mode & 0o007) << 3;
        mode = (mode & !0o070) | (group & others_as_group);
    }
    file.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn keep_mode_and_owner(file: &std::fs::File, existing: &std::fs::Metadata) -> std::io::Result<()> {
    file.set_permissions(existing.permissions())
}

/// A replacing file gets the extended attributes of the file it replaces, its access control
/// list first: without it a colleague the list named lost access, and the owning group got
/// the list's mask (often read-write) as its own permissions. Best effort: an attribute the
/// system will not copy (another program's security label) is left.
#[cfg(target_os = "linux")]
fn keep_extended_attributes(existing: &Path, file: &std::fs::File) {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::AsRawFd;
    let Ok(path) = std::ffi::CString::new(existing.as_os_str().as_bytes()) else {
        return;
    };
    // Each call below is given NUL-terminated names and buffers of the lengths it is told.
    // The names, NUL-separated; asked for their size first, as the list may grow in between.
    let size = unsafe { libc::listxattr(path.as_ptr(), std::ptr::null_mut(), 0) };
    let Ok(size @ 1..) = usize::try_from(size) else {
        return;
    };
    let mut names = vec![0u8; size];
    let read = unsafe { libc::listxattr(path.as_ptr(), names.as_mut_ptr().cast(), names.len()) };
    let Ok(read) = usize::try_from(read) else {
        return;
    };
    for name in names[..read.min(names.len())].split(|&b| b == 0) {
        let Ok(name) = std::ffi::CString::new(name) else {
            continue;
        };
        if name.as_bytes().is_empty() {
            continue;
        }
        let size = unsafe { libc::getxattr(path.as_ptr(), name.as_ptr(), std::ptr::null_mut(), 0) };
        let Ok(size) = usize::try_from(size) else {
            continue;
        };
        let mut value = vec![0u8; size];
        let read = unsafe {
            libc::getxattr(
                path.as_ptr(),
                name.as_ptr(),
                value.as_mut_ptr().cast(),
                value.len(),
            )
        };
        let Ok(read) = usize::try_from(read) else {
            continue;
        };
        unsafe {
            libc::fsetxattr(
                file.as_raw_fd(),
                name.as_ptr(),
                value.as_ptr().cast(),
                read.min(value.len()),
                0,
            )
        };
    }
}

#[cfg(not(target_os = "linux"))]
fn keep_extended_attributes(_: &Path, _: &std::fs::File) {}

/// Commits the outputs of one run: each is written out and synced first (a failure there
/// replaces nothing), then all are renamed into place while a signal waits, so a run leaves all
/// its outputs old or all new. Should a rename itself fail, the error says which were replaced.
pub fn commit(outputs: Vec<Destination>) -> Result<()> {
    let mut ready = Vec::new();
    for output in outputs {
        match output {
            Destination::Stdout(mut out) => out.flush()?,
            Destination::Special { shown, mut file } => file
                .flush()
                .map_err(|e| Error::io("cannot write", &shown, &e))?,
            Destination::File { path, shown, file } => {
                let mut temporary = file
                    .into_inner()
                    .map_err(|e| Error::io("cannot write", &shown, e.error()))?;
                temporary
                    .file()
                    .and_then(|f| f.sync_all())
                    .map_err(|e| Error::io("cannot write", &shown, &e))?;
                ready.push((temporary, path, shown));
            }
        }
    }
    // Held until every output is in place: two runs writing the same files commit one after
    // the other, so results and summary never come from different runs.
    let _folders = lock_folders(ready.iter().map(|(_, path, _)| path.as_path()));
    let mut pending = PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut replaced: Vec<String> = Vec::new();
    for (mut temporary, path, shown) in ready {
        let Some(file) = temporary.file.take() else {
            continue;
        };
        pending.retain(|p| p != file.path());
        if let Err(tempfile::PersistError { error, file }) = file.persist(&path) {
            // Deleted while the pending list is held, as a signal's handler would see it gone.
            drop(file);
            // The outputs not renamed yet take the pending list as they are dropped, after
            // this: held here, they waited for it for ever (and so did Ctrl-C's handler).
            drop(pending);
            let mut reason = crate::error::explain_io(&error);
            if !replaced.is_empty() {
                reason.push_str(&format!(
                    " (already written: {}; the other outputs were not replaced)",
                    replaced.join(", ")
                ));
            }
            return Err(Error::io_message(
                &shown,
                format!("cannot write {}: {reason}", shown.display()),
            ));
        }
        replaced.push(shown.display().to_string());
        if let Ok(mut written) = WRITTEN.lock() {
            written.push(shown.display().to_string());
        }
    }
    Ok(())
}

/// Locks the folders of `paths` (each once, in one order, so two runs cannot wait on each
/// other), waiting for another run's commit to end. Best effort: a folder that cannot be opened
/// or stays locked (by some other program) for 10 s is not waited for.
fn lock_folders<'p>(paths: impl Iterator<Item = &'p Path>) -> Vec<std::fs::File> {
    let mut folders: Vec<PathBuf> = paths
        .filter_map(|path| {
            let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
            parent.unwrap_or(Path::new(".")).canonicalize().ok()
        })
        .collect();
    folders.sort();
    folders.dedup();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut locked = Vec::new();
    for folder in folders {
        let Ok(file) = std::fs::File::open(&folder) else {
            continue;
        };
        loop {
            match file.try_lock() {
                Ok(()) => {
                    locked.push(file);
                    break;
                }
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                Err(_) => break,
            }
        }
    }
    locked
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.writer().write(buf);
        written.map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let flushed = self.writer().flush();
        flushed.map_err(|e| self.named(e))
    }
}

impl Destination {
    /// This output is the user's data as written (CSV, JSON, HTML …), not a table styled for the
    /// terminal: should it be the terminal, control characters in it are shown as U+FFFD. A
    /// file or a pipe gets the bytes as written.
    pub fn shows_data(&mut self) {
        if let Destination::Stdout(out) = self {
            out.get_mut().guarded = true;
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Destination::Stdout(out) => out,
            Destination::File { file, .. } => file,
            Destination::Special { file, .. } => file,
        }
    }

    /// A write error that names the output as the user gave it (never a temporary file;
    /// standard output's errors as they are).
    fn named(&self, error: std::io::Error) -> std::io::Error {
        match self.shown() {
            Some(shown) => std::io::Error::new(
                error.kind(),
                format!("{}: {}", shown.display(), crate::error::explain_io(&error)),
            ),
            None => error,
        }
    }
}

/// A writer that keeps its first error and then takes every write without writing it: a
/// library that writes again while it cleans up (zip finishing its archive when dropped, and
/// printing that failure to stderr) meets no second failure. The caller reports the first.
pub struct KeepFirstError<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> KeepFirstError<W> {
    pub fn new(inner: W) -> KeepFirstError<W> {
        KeepFirstError { inner, error: None }
    }

    /// The first write error, if one happened.
    pub fn take_error(&mut self) -> Option<std::io::Error> {
        self.error.take()
    }

    fn kept<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        result.map_err(|error| {
            let copy = std::io::Error::new(error.kind(), error.to_string());
            // Interrupted is retried by the caller: not a failure.
            if error.kind() != std::io::ErrorKind::Interrupted {
                self.error = Some(error);
            }
            copy
        })
    }
}

impl<W: Write> Write for KeepFirstError<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.error.is_some() {
            return Ok(buf.len());
        }
        let written = self.inner.write(buf);
        self.kept(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.error.is_some() {
            return Ok(());
        }
        let flushed = self.inner.flush();
        self.kept(flushed)
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

/// The folder `path` is in (`.` for a bare file name).
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where a run's scratch files go: beside its output file (on the file system the user chose
/// for the results), or in the system's temporary directory for standard output.
pub fn scratch_directory(near: Option<&Path>) -> PathBuf {
    let beside = near
        .filter(|p| *p != Path::new("-") && !is_descriptor_alias(p))
        .and_then(|p| match landing(p) {
            Ok(Landing::File(target, _)) => Some(folder_of(&target)),
            _ => None,
        })
        .filter(|parent| parent.is_dir());
    beside.unwrap_or_else(std::env::temp_dir)
}

/// A scratch file for work too large for memory, in [`scratch_directory`]: unnamed (unlinked
/// at once where the system allows), so it is gone when the run ends, however it ends.
pub fn scratch_file(near: Option<&Path>) -> Result<std::fs::File> {
    let directory = scratch_directory(near);
    tempfile::tempfile_in(&directory)
        .map_err(|e| Error::io("cannot write a temporary file in", &directory, &e))
}

/// How the temporary files' names end.
const PARTIAL_SUFFIX: &str = ".partial";

/// A temporary file left by a run that no longer exists, found by its whole name
/// (`.ipneeds-PID-XXXXXX.partial`): removed. A file whose run may still be alive is kept: its
/// lock is held (by a run in another container or on another machine sharing the folder), or
/// its process exists here, or it has been written to within a day.
fn remove_abandoned_temporary_files(directory: &Path) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(partial_file_pid) else {
            continue;
        };
        if abandoned(pid, &entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary file's name, if the whole name is one ipneeds writes.
fn partial_file_pid(name: &str) -> Option<u32> {
    let rest = name
        .strip_prefix(".ipneeds-")?
        .strip_suffix(PARTIAL_SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (plain(random) && pid.bytes().all(|b| b.is_ascii_digit()))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Whether the file of process `pid` (named so by ipneeds) was left behind: no run holds its
/// lock, and its process is gone on this machine or it has not been written to for a day.
pub(crate) fn abandoned(pid: u32, entry: &std::fs::DirEntry) -> bool {
    let Ok(metadata) = entry.metadata() else {
        return false;
    };
    if !metadata.is_file() || locked_by_a_run(&entry.path()) {
        return false;
    }
    let idle = metadata
        .modified()
        .ok()
        .and_then(|m| m.elapsed().ok())
        .is_some_and(|age| age > std::time::Duration::from_secs(24 * 60 * 60));
    idle || (pid != std::process::id() && process_is_gone(pid))
}

/// Whether a run holds the lock of temporary file `path` ([`Destination::create`] takes it): a
/// process another PID namespace or machine runs is invisible in `/proc`, but not its lock.
fn locked_by_a_run(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    matches!(file.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// Whether no process `pid` runs on this machine (only where `/proc` tells; elsewhere `false`).
fn process_is_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// Refuses, before any work, an output that is one of the inputs or that another output also
/// names: a run would otherwise destroy its own input or lose one of its results. An output
/// `-` is standard output, which a shell may have pointed at a file (`> profiles.csv`).
pub fn check_outputs(inputs: &[&Path], outputs: &[Option<&Path>]) -> Result<()> {
    let files: Vec<&Path> = outputs.iter().flatten().copied().collect();
    for (i, output) in files.iter().enumerate() {
        let standard = *output == Path::new("-");
        // A terminal is standard input and output at once; only a file can be destroyed.
        let checked_against_inputs = !standard || standard_output_is_a_file();
        let input = inputs.iter().find(|input| reads(input, as_file(output)));
        if let Some(input) = input.filter(|_| checked_against_inputs) {
            let name = output.display();
            let what = match *input == Path::new("-") {
                true => format!("the file standard input reads (`< {name}`)"),
                false => format!("the input file {} of this run", input.display()),
            };
            if standard {
                return Err(Error::usage(format!(
                    "standard output is {what} (a shell redirect, `> {0}` or `>> {0}`; `>` has already emptied it): write the results to another file (-o results.csv), and if the input was emptied, take it from a copy",
                    input.display()
                )));
            }
            return Err(Error::usage(format!(
                "{name}: the output is {what}: write the results to another file"
            )));
        }
        let shared =
            (files[..i].iter()).find(|earlier| same_file(as_file(earlier), as_file(output)));
        // Whatever is written to /dev/null twice is lost as it would be once.
        let discarded = as_file(output)
            .canonicalize()
            .is_ok_and(|p| p == Path::new("/dev/null"));
        if let Some(earlier) = shared.filter(|_| !discarded) {
            let named = |path: &Path| match path == Path::new("-") {
                true => "standard output".to_string(),
                false => path.display().to_string(),
            };
            let (earlier, later) = (named(earlier), named(output));
            let same = match earlier == later {
                true => String::new(),
                false => format!(" ({earlier} and {later})"),
            };
            return Err(Error::usage(format!(
                "{later}: two outputs of this run name the same file{same}, and one would be lost or mixed into the other: give each its own file"
            )));
        }
    }
    Ok(())
}

/// The file an output names: `-` is standard output.
fn as_file(output: &Path) -> &Path {
    match output == Path::new("-") && cfg!(unix) {
        true => Path::new("/dev/stdout"),
        false => output,
    }
}

/// Whether standard output is a regular file (a shell's `>` or `>>`), not a terminal or a pipe.
fn standard_output_is_a_file() -> bool {
    cfg!(unix) && std::fs::metadata("/dev/stdout").is_ok_and(|m| m.is_file())
}

/// Whether input `input` (`-`: standard input, which may be a file redirected in) reads the
/// file `output` names.
fn reads(input: &Path, output: &Path) -> bool {
    match input == Path::new("-") {
        // The file behind standard input, where the system names it.
        true => cfg!(unix) && same_file(Path::new("/dev/stdin"), output),
        false => same_file(input, output),
    }
}

/// Whether two paths name the same file (or would, once created).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b || same_inode(&a, &b),
        _ => {
            let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            // A pipe has no path (`/dev/stdout` and `/dev/fd/1` lead to `pipe:[…]`), but is one.
            absolute(a) == absolute(b) || same_inode(a, b)
        }
    }
}

/// Whether two existing paths are hard links to one file (their canonical paths differ).
#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests;

/// Beyond a file-size limit (`ulimit -f`), the system kills a process with SIGXFSZ, leaving no
/// message, an undocumented exit code and the temporary file. Ignored, the write fails with
/// EFBIG instead, which is reported as any failed write: a message, exit 3, no file left.
#[cfg(unix)]
fn ignore_file_size_signal() {
    // SAFETY: `signal` with SIG_IGN installs no handler code; it runs at start-up, before any
    // thread that could race on the signal disposition.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_file_size_signal() {}
