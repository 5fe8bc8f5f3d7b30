//! Short byte strings appended with one fixed-size copy.
//!
//! Appending a slice whose length the compiler cannot know is a call to `memcpy`, which costs
//! more than the copy itself for a dozen bytes. A batch row appends two dozen such pieces
//! (program ids and scores), so each is kept padded to `N` bytes, appended whole, and the
//! padding cut off again.

#[derive(Debug, Clone, Copy)]
pub struct ShortBytes<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> ShortBytes<N> {
    /// `None` when `text` is longer than `N` bytes.
    pub fn new(text: &[u8]) -> Option<ShortBytes<N>> {
        let mut bytes = [0; N];
        bytes.get_mut(..text.len())?.copy_from_slice(text);
        Some(ShortBytes {
            bytes,
            len: text.len(),
        })
    }

    pub fn append_to(&self, out: &mut Vec<u8>) {
        let end = out.len() + self.len;
        out.extend_from_slice(&self.bytes);
        out.truncate(end);
    }
}

/// Bytes a writer writes.
pub fn piece(write: impl FnOnce(&mut Vec<u8>)) -> Box<[u8]> {
    let mut bytes = Vec::new();
    write(&mut bytes);
    bytes.into_boxed_slice()
}

/// A piece of output appended with one fixed-size copy when it is short: most pieces of a row
/// are.
pub enum Piece<const N: usize> {
    Short(ShortBytes<N>),
    Long(Box<[u8]>),
}

impl<const N: usize> Piece<N> {
    pub fn new(write: impl FnOnce(&mut Vec<u8>)) -> Piece<N> {
        let bytes = piece(write);
        match ShortBytes::new(&bytes) {
            Some(short) => Piece::Short(short),
            None => Piece::Long(bytes),
        }
    }

    pub fn append_to(&self, out: &mut Vec<u8>) {
        match self {
            Piece::Short(short) => short.append_to(out),
            Piece::Long(bytes) => out.extend_from_slice(bytes),
        }
    }
}
