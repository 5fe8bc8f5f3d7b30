//! The catalog's index kept on disk between runs, keyed by a hash of what it is built from.
//!
//! Building the index costs a one-shot command most of its time (tantivy's term-dictionary
//! builders), while reading a built one back is cheap. So the first run with a catalog saves
//! the index's files in one cache file; later runs with the same catalog text, the same
//! ipneeds and the same index layout open that instead. Another catalog, or any change to a
//! program's text, has another key: a stale index is never used.
//!
//! The cache is an optimisation only: when it cannot be read or written (no home directory,
//! a read-only disk, a damaged file) the index is built in memory as before, silently.
//! `IPNEEDS_CACHE_DIR` moves it; `IPNEEDS_NO_CACHE=1` turns it off.

use crate::catalog::Catalog;
use std::path::{Path, PathBuf};

/// Bump when the index's schema, analyser or this file's layout changes.
const LAYOUT: &str = "ipneeds-index-v1";

/// The file's first bytes.
const MAGIC: &[u8; 8] = b"IPNIDX01";

/// A cache file larger than this is not ours (the built-in catalog's is about 100 KB).
const MAX_CACHE_BYTES: u64 = 256 * 1024 * 1024;

/// Where the cache lives, unless it is turned off.
pub fn directory() -> Option<PathBuf> {
    if std::env::var_os("IPNEEDS_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0") {
        return None;
    }
    if let Some(dir) = std::env::var_os("IPNEEDS_CACHE_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir).join("ipneeds"));
    }
    std::env::var_os("HOME")
        .filter(|v| !v.is_empty())
        .map(|home| PathBuf::from(home).join(".cache").join("ipneeds"))
}

/// The cache file for `catalog` in `directory`.
pub fn file_for(directory: &Path, catalog: &Catalog) -> PathBuf {
    directory.join(format!("index-{:016x}.bin", key(catalog)))
}

/// The cache file of the relevance of term lists (the questionnaire's needs) to `catalog`.
pub fn relevance_file_for(directory: &Path, catalog: &Catalog, terms: &[Vec<String>]) -> PathBuf {
    let mut hash = Fnv(key(catalog));
    for list in terms {
        hash.write(b"\x1eneed");
        for term in list {
            hash.write(term.as_bytes());
        }
    }
    directory.join(format!("relevance-{:016x}.bin", hash.0))
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

/// FNV-1a over everything the index is built from: stable across builds and platforms.
fn key(catalog: &Catalog) -> u64 {
    let mut hash = Fnv::default();
    hash.write(LAYOUT.as_bytes());
    hash.write(env!("CARGO_PKG_VERSION").as_bytes());
    for program in &catalog.programs {
        hash.write(b"\x1eprogram");
        for (field, _) in crate::index::FIELD_BOOSTS {
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
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        // Lengths first, so that field boundaries cannot shift.
        for byte in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
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
    // A checksum at the end: a damaged file is rejected before tantivy reads any of it.
    let (body, sum) = bytes.split_last_chunk::<8>()?;
    if u64::from_le_bytes(*sum) != checksum(body) {
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
    let sum = checksum(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&temporary, &bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut hash = Fnv::default();
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
