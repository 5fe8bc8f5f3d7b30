//! Records sorted by a byte key in bounded memory: held in memory up to a budget, then written
//! out as sorted runs to unnamed temporary files (see [`crate::io::output::scratch_file`]) and
//! merged. What a report needs in an order other than the input's (the HTML overview's heat maps
//! by region and by top program) goes through here, so its memory is the same for a hundred rows
//! and for millions.
//!
//! Keys compare as bytes: [`Key`] writes numbers and texts so that byte order is their order.

use crate::error::{Error, Result};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Runs held open, and merged at once: each is an open file (and, merging, a read buffer).
/// When a sorter holds this many, they are merged into one, so a report of millions of rows
/// keeps a few dozen files open, not hundreds (407 at 1.2 million rows failed under
/// `ulimit -n 64`).
const FAN_IN: usize = 16;

/// Read buffer per run while merging.
const RUN_BUFFER: usize = 32 * 1024;

/// A sort key whose bytes sort as its parts, compared in the order they were added.
#[derive(Debug, Default, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key(Vec<u8>);

impl Key {
    pub fn new() -> Key {
        Key::default()
    }

    /// An unsigned number (big-endian: bytes sort as numbers).
    pub fn number(mut self, value: u64) -> Key {
        self.0.extend_from_slice(&value.to_be_bytes());
        self
    }

    /// A text, as `str` orders (byte by byte, a prefix first): a zero byte is escaped as
    /// `00 FF` and the text ends with `00 00`, which sorts before any byte that may follow.
    pub fn text(mut self, text: &str) -> Key {
        for byte in text.bytes() {
            self.0.push(byte);
            if byte == 0 {
                self.0.push(0xFF);
            }
        }
        self.0.extend_from_slice(&[0, 0]);
        self
    }

    /// A float, largest first (as `f64::total_cmp`, reversed).
    pub fn float_descending(mut self, value: f64) -> Key {
        let bits = value.to_bits();
        // The usual order-preserving transform: negative numbers flip every bit, others the
        // sign bit; then inverted, for the largest first.
        let ordered = if bits >> 63 == 1 {
            !bits
        } else {
            bits | (1 << 63)
        };
        self.0.extend_from_slice(&(!ordered).to_be_bytes());
        self
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Sorts records (a key and a payload) in bounded memory.
pub struct Sorter {
    /// Records held, one after the other: the key's length (4 bytes, little-endian), the key,
    /// the payload. One buffer, reused after each run is written: records allocated one by
    /// one left the heap fragmented, and it grew with the number of runs.
    arena: Vec<u8>,
    /// Where each record held lies in `arena`.
    records: Vec<std::ops::Range<usize>>,
    budget: usize,
    /// Sorted runs written out, each a file of length-prefixed records.
    runs: Vec<File>,
    /// The directory temporary files go in (`None`: the system's).
    near: Option<PathBuf>,
}

impl Sorter {
    /// A sorter that keeps about `budget` bytes of records in memory; its temporary files go
    /// beside `near` (a file's path) or, without one, in the system's temporary directory.
    pub fn new(budget: usize, near: Option<&Path>) -> Sorter {
        Sorter {
            arena: Vec::new(),
            records: Vec::new(),
            budget,
            runs: Vec::new(),
            near: near.map(Path::to_path_buf),
        }
    }

    pub fn add(&mut self, key: &Key, payload: &[u8]) -> Result<()> {
        let key = key.as_bytes();
        let length = u32::try_from(key.len())
            .map_err(|_| Error::internal("a sort key over 4 GiB (an internal limit)"))?;
        let size = 4 + key.len() + payload.len();
        if self.arena.len() + size > self.budget && !self.records.is_empty() {
            self.spill()?;
        }
        if self.arena.capacity() == 0 && self.budget != usize::MAX {
            self.arena.reserve_exact(self.budget.max(size));
        }
        let start = self.arena.len();
        self.arena.extend_from_slice(&length.to_le_bytes());
        self.arena.extend_from_slice(key);
        self.arena.extend_from_slice(payload);
        self.records.push(start..self.arena.len());
        Ok(())
    }

    /// Sorts the records held by key (equal keys in the order they came).
    fn sort(&mut self) {
        let arena = &self.arena;
        let record = |range: &std::ops::Range<usize>| arena.get(range.clone()).unwrap_or(&[]);
        self.records
            .sort_by(|a, b| key_of(record(a)).cmp(key_of(record(b))));
    }

    /// Writes the records held as one sorted run.
    fn spill(&mut self) -> Result<()> {
        self.sort();
        let mut run = BufWriter::with_capacity(RUN_BUFFER, self.scratch()?);
        let written: std::io::Result<()> = self.records.iter().try_for_each(|range| {
            write_record(&mut run, self.arena.get(range.clone()).unwrap_or(&[]))
        });
        written.map_err(|e| self.failed(&e))?;
        let run = run.into_inner().map_err(|e| self.failed(e.error()))?;
        self.records.clear();
        self.arena.clear();
        self.runs.push(run);
        if self.runs.len() >= FAN_IN {
            let runs = std::mem::take(&mut self.runs);
            let merged = self.merged(runs)?;
            self.runs.push(merged);
        }
        Ok(())
    }

    /// `runs` merged into one (equal keys in the order of the runs they came from).
    fn merged(&self, runs: Vec<File>) -> Result<File> {
        let mut merged = BufWriter::with_capacity(RUN_BUFFER, self.scratch()?);
        merge(runs, |record| write_record(&mut merged, record)).map_err(|e| self.failed(&e))?;
        merged.into_inner().map_err(|e| self.failed(e.error()))
    }

    /// The records in key order.
    pub fn finish(mut self) -> Result<Sorted> {
        if self.runs.is_empty() {
            self.sort();
            return Ok(Sorted::Memory {
                arena: self.arena,
                records: self.records,
            });
        }
        if !self.records.is_empty() {
            self.spill()?;
        }
        // Fewer than FAN_IN runs (`spill` merges them before): one merge leaves one.
        let mut runs = std::mem::take(&mut self.runs);
        if runs.len() > 1 {
            runs = vec![self.merged(runs)?];
        }
        match runs.pop() {
            Some(run) => Ok(Sorted::File {
                run,
                near: self.near,
            }),
            None => Ok(Sorted::Memory {
                arena: Vec::new(),
                records: Vec::new(),
            }),
        }
    }

    fn scratch(&self) -> Result<File> {
        crate::io::output::scratch_file(self.near.as_deref())
    }

    fn failed(&self, error: &std::io::Error) -> Error {
        scratch_error(self.near.as_deref(), error)
    }
}

/// Records in key order, to read once or more.
pub enum Sorted {
    Memory {
        arena: Vec<u8>,
        records: Vec<std::ops::Range<usize>>,
    },
    File {
        run: File,
        near: Option<PathBuf>,
    },
}

impl Sorted {
    /// Calls `each(key, payload)` for every record, in key order.
    pub fn for_each(&mut self, mut each: impl FnMut(&[u8], &[u8]) -> Result<()>) -> Result<()> {
        match self {
            Sorted::Memory { arena, records } => {
                for range in records.iter() {
                    let record = arena.get(range.clone()).unwrap_or(&[]);
                    each(key_of(record), payload_of(record))?;
                }
                Ok(())
            }
            Sorted::File { run, near } => {
                let failed = |e: &std::io::Error| scratch_error(near.as_deref(), e);
                run.seek(SeekFrom::Start(0)).map_err(|e| failed(&e))?;
                let mut reader = BufReader::with_capacity(RUN_BUFFER, &*run);
                let mut record = Vec::new();
                while read_record(&mut reader, &mut record).map_err(|e| failed(&e))? {
                    each(key_of(&record), payload_of(&record))?;
                }
                Ok(())
            }
        }
    }
}

fn scratch_error(near: Option<&Path>, error: &std::io::Error) -> Error {
    let directory = crate::io::output::scratch_directory(near);
    Error::io("cannot write a temporary file in", &directory, error)
}

/// A record's key (after its 4-byte length).
fn key_of(record: &[u8]) -> &[u8] {
    let length = record
        .first_chunk()
        .map_or(0, |b| u32::from_le_bytes(*b) as usize);
    record.get(4..4 + length).unwrap_or(&[])
}

fn payload_of(record: &[u8]) -> &[u8] {
    let key = key_of(record).len();
    record.get(4 + key..).unwrap_or(&[])
}

fn write_record(out: &mut impl Write, record: &[u8]) -> std::io::Result<()> {
    let length = u64::try_from(record.len()).unwrap_or(u64::MAX);
    out.write_all(&length.to_le_bytes())?;
    out.write_all(record)
}

/// Reads the next record into `record`; `false` at the end of the run.
fn read_record(reader: &mut impl BufRead, record: &mut Vec<u8>) -> std::io::Result<bool> {
    if reader.fill_buf()?.is_empty() {
        return Ok(false);
    }
    let mut length = [0u8; 8];
    reader.read_exact(&mut length)?;
    let length = usize::try_from(u64::from_le_bytes(length))
        .map_err(|_| std::io::Error::other("a temporary file's record is too long"))?;
    record.clear();
    reader.take(length as u64).read_to_end(record)?;
    if record.len() != length {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    Ok(true)
}

/// A run's current record, ordered by key (then by run, so equal keys keep their runs' order).
struct Head {
    record: Vec<u8>,
    run: usize,
}

impl PartialEq for Head {
    fn eq(&self, other: &Head) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Head) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Head) -> std::cmp::Ordering {
        key_of(&self.record)
            .cmp(key_of(&other.record))
            .then(self.run.cmp(&other.run))
    }
}

/// Merges sorted runs, passing each record (with its key) to `out` in key order.
fn merge(
    runs: Vec<File>,
    mut out: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut readers = Vec::with_capacity(runs.len());
    for mut run in runs {
        run.seek(SeekFrom::Start(0))?;
        readers.push(BufReader::with_capacity(RUN_BUFFER, run));
    }
    let mut heads = BinaryHeap::with_capacity(readers.len());
    for (run, reader) in readers.iter_mut().enumerate() {
        let mut record = Vec::new();
        if read_record(reader, &mut record)? {
            heads.push(Reverse(Head { record, run }));
        }
    }
    while let Some(Reverse(mut head)) = heads.pop() {
        out(&head.record)?;
        let Some(reader) = readers.get_mut(head.run) else {
            continue;
        };
        if read_record(reader, &mut head.record)? {
            heads.push(Reverse(head));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
