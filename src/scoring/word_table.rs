//! Short words to values in one probe: a perfect hash table, built once per run.
//!
//! The batch fast path reads a choice, yes/no or 1–5 cell as one 128-bit word (its bytes,
//! lower-cased, and its length). Finding that word among a question's spellings took a compare
//! per spelling; here a multiply and a shift give the one slot where it can be, and a single
//! compare says whether it is there.

/// Multipliers tried in turn until the words fall in distinct slots (odd 64-bit constants with
/// well-mixed bits).
const MULTIPLIERS: [u64; 8] = [
    0x9E37_79B9_7F4A_7C15,
    0xC2B2_AE3D_27D4_EB4F,
    0x1656_67B1_9E37_79F9,
    0xD6E8_FEB8_6659_FD93,
    0xFF51_AFD7_ED55_8CCD,
    0xC4CE_B9FE_1A85_EC53,
    0x8CB9_2BA7_2F3D_8DD7,
    0xA076_1D64_78BD_642F,
];

/// Tables beyond this many slots are not built: the caller keeps its slower way.
const MAX_SLOT_BITS: u32 = 12;

/// The word of an empty slot: its top byte, a packed word's length, is never above 15.
const NONE: u128 = u128::MAX;

/// A set of distinct words, each with its value.
#[derive(Debug, Clone)]
pub struct WordTable<T> {
    multiplier: u64,
    /// 64 minus the number of bits that index a slot.
    shift: u32,
    /// Per slot: its word ([`NONE`] for none) and value.
    slots: Vec<(u128, T)>,
}

impl<T: Copy> WordTable<T> {
    /// A table of `words`; `None` when two are equal, one is [`NONE`], or no multiplier tried
    /// separates them in a table of up to 4,096 slots. `empty` fills the unused slots.
    pub fn new(words: &[(u128, T)], empty: T) -> Option<WordTable<T>> {
        let mut distinct: Vec<u128> = words.iter().map(|&(word, _)| word).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() != words.len() || distinct.last() == Some(&NONE) {
            return None;
        }
        // At least twice as many slots as words, so that a multiplier is found quickly.
        let fewest = (2 * words.len())
            .max(2)
            .next_power_of_two()
            .trailing_zeros();
        for bits in fewest..=MAX_SLOT_BITS {
            for multiplier in MULTIPLIERS {
                let mut table = WordTable {
                    multiplier,
                    shift: 64 - bits,
                    slots: vec![(NONE, empty); 1 << bits],
                };
                if words.iter().all(|&(word, value)| table.insert(word, value)) {
                    return Some(table);
                }
            }
        }
        None
    }

    /// The value of `word`, when it is one of the table's.
    pub fn get(&self, word: u128) -> Option<T> {
        self.find(word).copied()
    }

    /// Where the value of `word` is, when it is one of the table's.
    pub fn find(&self, word: u128) -> Option<&T> {
        let (found, value) = self.slots.get(self.slot(word))?;
        (*found == word).then_some(value)
    }

    /// Puts `word` in its slot; `false` when another word holds it.
    fn insert(&mut self, word: u128, value: T) -> bool {
        let at = self.slot(word);
        match self.slots.get_mut(at) {
            Some(slot) if slot.0 == NONE => {
                *slot = (word, value);
                true
            }
            _ => false,
        }
    }

    fn slot(&self, word: u128) -> usize {
        // Both halves count (two words may differ only past their eighth byte, or only in
        // their length, the top byte), mixed so that no two words fold alike for every
        // multiplier.
        let folded = (word as u64).wrapping_mul(self.multiplier) ^ (word >> 64) as u64;
        (folded.wrapping_mul(self.multiplier) >> self.shift) as usize
    }
}
