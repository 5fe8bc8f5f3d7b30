//! What ipneeds derives from its input files, kept on disk between runs and keyed by a hash of
//! what it is derived from: the catalog's search index, the needs' relevance to the catalog,
//! and the parsed, validated catalog and questionnaire.
//!
//! Building the index and parsing YAML cost a one-shot command most of its time, while reading
//! the results back is cheap. So the first run with some input saves them; later runs with the
//! same input text, the same ipneeds and the same layout read them instead. Any change to the
//! input has another key: a stale result is never used. Each file carries a checksum.
//!
//! The cache is an optimisation only: when it cannot be read or written (no home directory,
//! a read-only disk, a damaged file) the index is built in memory as before, silently.
//! `IPNEEDS_CACHE_DIR` moves it; `IPNEEDS_NO_CACHE=1` turns it off. Those variables are read at
//! the edge (`cli::settings`, with [`choose_directory`]), which names the folder for the run
//! with [`use_directory`]; until then nothing is cached.

use crate::catalog::Catalog;
use std::path::{Path, PathBuf};

/// Bump when the index's schema, analyser or this file's layout changes.
const LAYOUT: &str = "ipneeds-cache-v3";

/// The file's first bytes.
const MAGIC: &[u8; 8] = b"IPNIDX01";

/// A cache file larger than this is not ours (the built-in catalog's is about 100 KB).
const MAX_CACHE_BYTES: u64 = 256 * 1024 * 1024;

/// `parse()`'s result for a YAML file, from the cache when this text (from this origin) was
/// parsed before; otherwise parsed and saved. Only a successful parse is saved, so a file with
/// errors is parsed (and its errors reported) every time.
pub fn parsed<T>(
    kind: &str,
    text: &str,
    origin: &str,
    parse: impl FnOnce() -> crate::Result<T>,
) -> crate::Result<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    parsed_in(directory().as_deref(), kind, text, origin, parse)
}

/// [`parsed`] with the cache in `directory` (`None`: no cache).
pub fn parsed_in<T>(
    directory: Option<&Path>,
    kind: &str,
    text: &str,
    origin: &str,
    parse: impl FnOnce() -> crate::Result<T>,
) -> crate::Result<T>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let Some(directory) = directory else {
        return parse();
    };
    let mut hash = WordHash::default();
    hash.write(build_identity().as_bytes());
    for part in [kind, origin, text] {
        hash.write(part.as_bytes());
    }
    // A parse checks the input against the limits in force: a result saved under other
    // limits is another result (a catalog within 100,000 programs is not within 2).
    for limit in crate::io::limits::all() {
        hash.write(&limit.get().to_le_bytes());
    }
    let path = entry(directory, kind, hash.0);
    let saved = read(&path).and_then(|files| {
        let [(_, json)] = files.as_slice() else {
            return None;
        };
        serde_json::from_slice(json).ok()
    });
    if let Some(value) = saved {
        return Ok(value);
    }
    let value = parse()?;
    if let Ok(json) = serde_json::to_vec(&value) {
        let _ = write(&path, &[(kind.to_string(), json)]);
    }
    Ok(value)
}

/// The cache's folder for this run, once set.
static DIRECTORY: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();

/// Sets where the cache lives for this run (`None`: no cache). The first call holds.
pub fn use_directory(directory: Option<PathBuf>) {
    let _ = DIRECTORY.set(directory);
}

/// Where the cache lives in this run: the folder set with [`use_directory`], or none.
pub fn directory() -> Option<PathBuf> {
    DIRECTORY.get().cloned().flatten()
}

/// Where the cache goes, from the settings (non-empty values of `IPNEEDS_CACHE_DIR`,
/// `XDG_CACHE_HOME` and `HOME`, in that order), unless it is turned off (`off`) or the
/// directory it would go in does not exist: the cache makes its own folder (`ipneeds`, or
/// `.cache/ipneeds` in the home directory), never the directories above it.
pub fn choose_directory(
    off: bool,
    cache_dir: Option<PathBuf>,
    xdg_cache_home: Option<PathBuf>,
    home: Option<PathBuf>,
) -> Option<PathBuf> {
    if off {
        return None;
    }
    let (base, directory) = if let Some(dir) = cache_dir {
        (crate::io::output::folder_of(&dir), dir)
    } else if let Some(dir) = xdg_cache_home {
        (dir.clone(), dir.join("ipneeds"))
    } else {
        let home = home?;
        (home.clone(), home.join(".cache").join("ipneeds"))
    };
    base.is_dir().then_some(directory)
}

/// How every cache file's name ends.
const EXTENSION: &str = "bin";

/// What the cache's files are named after (`KIND-HASH.bin`).
const KINDS: [&str; 4] = ["index", "relevance", "catalog", "questionnaire"];

/// The cache file of `kind` (one of [`KINDS`]) under `key` (the index's: the catalog's
/// [`catalog_key`]); [`named`] reads such names back.
pub fn entry(directory: &Path, kind: &str, key: u64) -> PathBuf {
    directory.join(format!("{kind}-{key:016x}.{EXTENSION}"))
}

/// The cache file of the relevance of term lists (the questionnaire's needs) to that catalog.
pub fn relevance_file_for(directory: &Path, catalog_key: u64, terms: &[Vec<String>]) -> PathBuf {
    let mut hash = WordHash(catalog_key);
    for list in terms {
        hash.write(b"\x1eneed");
        for term in list {
            hash.write(term.as_bytes());
        }
    }
    entry(directory, "relevance", hash.0)
}

/// The cache file of the catalog's own text read as free text (see
/// [`crate::scoring::Scorer::text_prior`]): it depends on the catalog, the planners' words
/// that text may contain, and the settings that turn relevance into shares.
pub fn text_prior_file_for(
    directory: &Path,
    catalog_key: u64,
    synonyms: &crate::catalog::synonyms::Synonyms,
    settings: &crate::profile::questionnaire::ScoringSettings,
) -> PathBuf {
    let mut hash = WordHash(catalog_key);
    hash.write(b"\x1etext prior");
    hash.write(&settings.relevance_exponent.to_le_bytes());
    hash.write(&settings.min_relevance.to_le_bytes());
    for synonym in &synonyms.entries {
        hash.write(b"\x1esynonym");
        for word in &synonym.words {
            hash.write(b"\x1f");
            hash.write(word.as_bytes());
        }
        hash.write(b"\x1d");
        hash.write(synonym.means.as_bytes());
    }
    for word in &synonyms.generic_words {
        hash.write(b"\x1egeneric");
        hash.write(word.as_bytes());
    }
    entry(directory, "relevance", hash.0)
}

/// Saved relevance vectors, one per term list, each with `programs` values.
pub fn read_vectors(path: &Path, lists: usize, programs: usize) -> Option<Vec<Vec<f32>>> {
    let files = read(path)?;
    if files.len() != lists {
        return None;
    }
    files
        .iter()
        .map(|(_, bytes)| {
            let values: Vec<f32> = bytes
                .chunks_exact(4)
                .filter_map(|c| c.try_into().ok().map(f32::from_le_bytes))
                .collect();
            (values.len() == programs && bytes.len() == 4 * programs).then_some(values)
        })
        .collect()
}

/// Saves relevance vectors (see [`read_vectors`]).
pub fn write_vectors(path: &Path, vectors: &[Vec<f32>]) -> std::io::Result<()> {
    let files: Vec<(String, Vec<u8>)> = vectors
        .iter()
        .enumerate()
        .map(|(i, v)| {
            (
                i.to_string(),
                v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            )
        })
        .collect();
    write(path, &files)
}

/// What a cache entry must come from: this layout, this ipneeds (version and the very binary,
/// by its path, size and time, so that a rebuilt ipneeds never reads what an older build
/// wrote) and this tantivy.
fn build_identity() -> &'static str {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        let binary = std::env::current_exe()
            .ok()
            .and_then(|path| {
                let metadata = std::fs::metadata(&path).ok()?;
                let modified = metadata
                    .modified()
                    .ok()?
                    .duration_since(std::time::UNIX_EPOCH)
                    .ok()?;
                Some(format!(
                    "{} {} {}",
                    path.display(),
                    metadata.len(),
                    modified.as_nanos()
                ))
            })
            .unwrap_or_default();
        format!(
            "{LAYOUT} ipneeds {} {binary} {}",
            env!("CARGO_PKG_VERSION"),
            tantivy::version_string()
        )
    })
}

/// A hash of everything the index is built from: stable across builds and platforms. That is
/// the catalog's text and the words its analyser keeps apart from their stems (`kept_apart` in
/// the synonyms in use), which change the terms indexed.
pub fn catalog_key(catalog: &Catalog) -> u64 {
    let mut hash = WordHash::default();
    hash.write(build_identity().as_bytes());
    for (word, term) in catalog.synonyms.kept_apart.pairs() {
        hash.write(b"\x1ekept apart");
        hash.write(word.as_bytes());
        hash.write(b"\x1f");
        hash.write(term.as_bytes());
    }
    for program in &catalog.programs {
        hash.write(b"\x1eprogram");
        for (field, _) in crate::catalog::index::FIELD_BOOSTS {
            hash.write(b"\x1d");
            hash.write(field.as_bytes());
            for line in program.field_lines(field) {
                hash.write(b"\x1f");
                hash.write(line.as_bytes());
            }
        }
    }
    hash.0
}

#[derive(Debug)]
struct WordHash(u64);

impl Default for WordHash {
    fn default() -> WordHash {
        WordHash(0xcbf2_9ce4_8422_2325)
    }
}

/// FNV-1a's scheme over 8-byte little-endian words, not bytes: a run hashes about 200 KB
/// (cache files, the catalog and questionnaire texts), which byte by byte (FNV-1a itself, up
/// to layout v1) cost a cached `score` a tenth of its instructions. A step (xor a word,
/// multiply by an odd number, rotate) is a bijection of the state, so inputs that differ in
/// one word always hash apart; the rotation carries a word's high bits, which a
/// multiplication never moves down, into the low ones, and the dense multiplier (2^64 / the
/// golden ratio) spreads every bit of a word over the ones above it.
impl WordHash {
    fn write(&mut self, bytes: &[u8]) {
        // Lengths first, so that field boundaries cannot shift.
        self.word(bytes.len() as u64);
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut le = [0; 8];
            le.copy_from_slice(word);
            self.word(u64::from_le_bytes(le));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            // Zero-padded: the length written first tells "ab" from "ab\0".
            let mut le = [0; 8];
            le[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(le));
        }
    }

    fn word(&mut self, word: u64) {
        self.0 = (self.0 ^ word)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
}

/// The files of a saved index: (name, bytes) pairs, or `None` when the file is missing,
/// damaged (its checksum does not match) or not ours.
pub fn read(path: &Path) -> Option<Vec<(String, Vec<u8>)>> {
    let metadata = std::fs::metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > MAX_CACHE_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    // A checksum at the end: a damaged file is rejected before tantivy reads any of it, and
    // one copied under another entry's name (a synced or shared folder) too.
    let (body, sum) = bytes.split_last_chunk::<8>()?;
    if u64::from_le_bytes(*sum) != checksum(path, body) {
        return None;
    }
    let mut rest = body.strip_prefix(MAGIC.as_slice())?;
    let mut files = Vec::new();
    while !rest.is_empty() {
        let (name, after) = take_chunk(rest)?;
        let (data, after) = take_chunk(after)?;
        files.push((String::from_utf8(name.to_vec()).ok()?, data.to_vec()));
        rest = after;
    }
    Some(files)
}

/// Saves the files of an index, atomically (a temporary file renamed into place), so that
/// concurrent runs never read half a file.
pub fn write(path: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let mut bytes = MAGIC.to_vec();
    for (name, data) in files {
        put_chunk(&mut bytes, name.as_bytes());
        put_chunk(&mut bytes, data);
    }
    let sum = checksum(path, &bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    if let Some(parent) = path.parent() {
        // Only the cache's own folder: `directory` made sure the one above it exists.
        std::fs::create_dir_all(parent)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".tmp{}", std::process::id()));
    let temporary = PathBuf::from(temporary);
    // Whatever fails (a full disk mid-write, the rename), the temporary file goes.
    std::fs::write(&temporary, &bytes)
        .and_then(|()| std::fs::rename(&temporary, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&temporary);
        })?;
    if let Some(parent) = path.parent() {
        prune(parent);
    }
    Ok(())
}

/// Files the cache keeps: every catalog or questionnaire ever loaded has its own, so the
/// oldest go when there are more.
const MAX_FILES: usize = 64;

/// What a file in the cache directory is, by its whole name.
#[derive(Debug, PartialEq)]
enum Named {
    /// `KIND-HASH.bin`: a cache file.
    Entry,
    /// `KIND-HASH.bin.tmpPID`: a cache file being written by process PID.
    Temporary(u32),
    /// Anything else: not the cache's, never touched.
    Other,
}

/// Recognises the cache's files by their whole name: a kind, 16 hexadecimal digits, `.bin`,
/// and for a temporary file `.tmp` and a process id.
fn named(name: &str) -> Named {
    let Some((kind, rest)) = name.split_once('-') else {
        return Named::Other;
    };
    let Some((hash, rest)) = rest.split_once('.') else {
        return Named::Other;
    };
    // Lower case, as the cache writes them: `catalog-0123456789ABCDEF.bin` is no file of its.
    let hexadecimal =
        hash.len() == 16 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if !KINDS.contains(&kind) || !hexadecimal {
        return Named::Other;
    }
    match rest.strip_prefix(EXTENSION) {
        Some("") => Named::Entry,
        Some(tail) => match tail.strip_prefix(".tmp") {
            Some(pid) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
                pid.parse().map_or(Named::Other, Named::Temporary)
            }
            _ => Named::Other,
        },
        None => Named::Other,
    }
}

/// Deletes the oldest cache files beyond [`MAX_FILES`], and temporary files whose run is gone.
/// Only files whose whole name is one the cache writes ([`named`]): anything else in the
/// directory (it may be a user's folder, through `IPNEEDS_CACHE_DIR`) is never deleted.
fn prune(directory: &Path) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        match named(&name.to_string_lossy()) {
            Named::Other => {}
            Named::Temporary(pid) => {
                if crate::io::output::abandoned(pid, &entry) {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
            Named::Entry => {
                let Ok(metadata) = entry.metadata() else {
                    continue;
                };
                if let (true, Ok(modified)) = (metadata.is_file(), metadata.modified()) {
                    files.push((modified, entry.path()));
                }
            }
        }
    }
    if files.len() <= MAX_FILES {
        return;
    }
    files.sort();
    let excess = files.len() - MAX_FILES;
    for (_, path) in files.into_iter().take(excess) {
        let _ = std::fs::remove_file(path);
    }
}

/// The checksum of a cache file's `bytes`, over its name too: the name is its key (what it was
/// derived from), so the file holds its key and answers for no other.
fn checksum(path: &Path, bytes: &[u8]) -> u64 {
    let mut hash = WordHash::default();
    let name = path.file_name().unwrap_or_default();
    hash.write(name.to_string_lossy().as_bytes());
    hash.write(bytes);
    hash.0
}

/// A length-prefixed chunk and what follows it.
fn take_chunk(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (length, rest) = bytes.split_first_chunk::<8>()?;
    let length = usize::try_from(u64::from_le_bytes(*length)).ok()?;
    (rest.len() >= length).then(|| rest.split_at(length))
}

fn put_chunk(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(data);
}

#[cfg(test)]
mod tests;
