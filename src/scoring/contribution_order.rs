//! Every contribution a need can make to a program, in order, worked out once per run.
//!
//! A program's points add its needs' contributions (weight × share) strongest first, with
//! diminishing returns, so each row would sort a dozen short lists. But a need can only take
//! a few weights (its rules' weights and their combinations) and the shares are fixed, so every
//! possible contribution can be ordered in advance. A row then marks the contribution each of
//! its needs makes in a bit set, and reading the set bits gives its contributions already in
//! order: no sort, and no branch that depends on the answers.

/// Words of the bit sets [`ContributionOrder::mark`] gathers at once.
const GROUP: usize = 8;

/// Needs are marked together, from one table over every combination of their codes, while
/// their codes make at most this many combinations: a row then reads one table per few needs
/// instead of one per need (the built-in questionnaire's 30 needs in 12 sets, each table at
/// most 64 combinations × 192 bytes). 64 timed faster than 16 (19 sets, smaller tables).
const MAX_COMBINED_CODES: usize = 64;

/// Words a program's bit set may take for the dense marks and the points tables: past it (more
/// than 256 possible contributions a program) the general marking serves.
const MAX_DENSE_WORDS: usize = 4;

/// Per program, its possible contributions in order, and for each need and weight the bits
/// that mark its contributions.
#[derive(Debug, Clone)]
pub struct ContributionOrder {
    /// Per need: the weights it can take (its codes are their indices; one more code, the
    /// number of weights, means "not raised").
    weights: Vec<Vec<f64>>,
    /// Per program: (need, points) strongest first, ties in need order. Contribution `k` of
    /// program `p` is bit `k` of the program's words, which start at word `p × words`.
    programs: Vec<Vec<(usize, f64)>>,
    /// 64-bit words in a program's bit set (one bit per contribution).
    words: usize,
    /// Per word of each program's bit set (program `p`'s words are `p × words` on), when the
    /// dense marks are built: the points of the contribution at each of the word's places (0
    /// past the last).
    points: Vec<[f64; 64]>,
    /// The `k`th strongest contribution's scale: `further_evidence_factor` to the `k`, by the
    /// same multiplications as [`crate::scoring::diminishing`]'s.
    scales: [f64; 64],
    /// Every program's words (`programs × words`), in groups of [`GROUP`] (the last padded).
    groups: usize,
    /// When the words are few (at most [`MAX_DENSE_WORDS`] a program): per set of needs marked
    /// together, per combination of their codes, per group of every program's words, the
    /// bits to set.
    dense: Vec<[u64; GROUP]>,
    /// Per set of needs marked together: where its table starts in `dense` (in groups).
    dense_sets: Vec<usize>,
    /// Per need: its set, its number of codes, and how far its code moves in the set's table
    /// (in groups). A combination's number reads the set's codes as the digits of a number,
    /// each in its need's base, the set's first need first.
    dense_needs: Vec<(usize, usize, usize)>,
    /// Per need: where its words start in `need_words`, how many, and where its masks start
    /// in `masks`.
    needs: Vec<(usize, usize, usize)>,
    /// Per need: the words its contributions fall in (one per program it has a share in, for
    /// a catalog of a few dozen contributions per program).
    need_words: Vec<usize>,
    /// Per need, per code (its weights, then "not raised"), per word of the need: the bits to
    /// set there. "Not raised" sets none, over the same words, so that every row runs the
    /// same loops (a loop's length never depends on the answers: no branch to mispredict).
    masks: Vec<u64>,
}

impl ContributionOrder {
    /// `weights[need]`: the weights the need can take (distinct); `share(need, program)`: its
    /// share; `factor`: each further contribution's scale. `None` when a need has more weights
    /// than a 16-bit code holds.
    pub fn new(
        weights: Vec<Vec<f64>>,
        programs: usize,
        factor: f64,
        share: impl Fn(usize, usize) -> f64,
    ) -> Option<ContributionOrder> {
        if weights.iter().any(|w| w.len() >= usize::from(u16::MAX)) {
            return None;
        }
        // Per program, per need, per code: the contribution's place in the program's order
        // (empty for a need without a share).
        let mut places: Vec<Vec<Vec<usize>>> = Vec::with_capacity(programs);
        let mut orders = Vec::with_capacity(programs);
        for program in 0..programs {
            // (need, code, points)
            let mut candidates: Vec<(usize, usize, f64)> = Vec::new();
            for (need, need_weights) in weights.iter().enumerate() {
                let share = share(need, program);
                if share > 0.0 {
                    candidates.extend(
                        need_weights
                            .iter()
                            .enumerate()
                            .map(|(code, &weight)| (need, code, weight * share)),
                    );
                }
            }
            candidates.sort_by_key(|&(need, _, points)| (descending(points), need));
            let mut program_places: Vec<Vec<usize>> = vec![Vec::new(); weights.len()];
            for (place, &(need, code, _)) in candidates.iter().enumerate() {
                let need_places = program_places.get_mut(need)?;
                need_places.resize(need_places.len().max(code + 1), 0);
                *need_places.get_mut(code)? = place;
            }
            places.push(program_places);
            orders.push(
                candidates
                    .iter()
                    .map(|&(need, _, points)| (need, points))
                    .collect::<Vec<_>>(),
            );
        }
        let words = orders.iter().map(Vec::len).max().unwrap_or(0) / 64 + 1;
        let mut needs = Vec::with_capacity(weights.len());
        let mut need_words = Vec::new();
        let mut masks = Vec::new();
        for (need, need_weights) in weights.iter().enumerate() {
            // Per code: (word, bit) of each of its contributions, in program order.
            let bits_of = |code: usize| {
                places
                    .iter()
                    .enumerate()
                    .filter_map(move |(program, program_places)| {
                        let place = *program_places.get(need)?.get(code)?;
                        Some((program * words + place / 64, place % 64))
                    })
            };
            let mut touched: Vec<usize> = (0..need_weights.len())
                .flat_map(|code| bits_of(code).map(|(word, _)| word))
                .collect();
            touched.sort_unstable();
            touched.dedup();
            needs.push((need_words.len(), touched.len(), masks.len()));
            for code in 0..=need_weights.len() {
                let first = masks.len();
                masks.resize(first + touched.len(), 0);
                for (word, bit) in bits_of(code) {
                    let at = touched.binary_search(&word).ok()?;
                    *masks.get_mut(first + at)? |= 1 << bit;
                }
            }
            need_words.extend(touched);
        }
        // With few words per program: each place's points, and the dense masks (a need's code
        // picks one mask per program word, whether raised or not). The points add a row's
        // marked contributions with `scales`, one per contribution: a row marks at most one a
        // need, so with at most 64 needs 64 scales suffice.
        let groups = (programs * words).div_ceil(GROUP);
        let (mut points, mut dense, mut dense_sets, mut dense_needs) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        if words <= MAX_DENSE_WORDS && weights.len() <= 64 {
            for order in &orders {
                for word in 0..words {
                    let mut place_points = [0.0; 64];
                    let in_word = order.iter().skip(word * 64);
                    for (slot, &(_, p)) in place_points.iter_mut().zip(in_word) {
                        *slot = p;
                    }
                    points.push(place_points);
                }
            }
            // Consecutive needs go in one set while their combinations stay few (a need with
            // more codes than that has a set of its own).
            let mut sets: Vec<Vec<usize>> = Vec::new();
            let mut combinations = usize::MAX;
            for (need, need_weights) in weights.iter().enumerate() {
                let codes = need_weights.len() + 1;
                match sets.last_mut() {
                    Some(set) if combinations.saturating_mul(codes) <= MAX_COMBINED_CODES => {
                        set.push(need);
                        combinations *= codes;
                    }
                    _ => {
                        sets.push(vec![need]);
                        combinations = codes;
                    }
                }
            }
            for (s, set) in sets.iter().enumerate() {
                let first = dense.len();
                let bases: Vec<usize> = (set.iter())
                    .map(|&need| Some(weights.get(need)?.len() + 1))
                    .collect::<Option<_>>()?;
                let combinations: usize = bases.iter().product();
                let mut place = combinations;
                for &base in &bases {
                    place /= base;
                    dense_needs.push((s, base, place * groups));
                }
                dense.resize(first + combinations * groups, [0; GROUP]);
                for combination in 0..combinations {
                    // The combination's digits, the last need's lowest.
                    let mut rest = combination;
                    for (&need, &base) in set.iter().zip(&bases).rev() {
                        let code = rest % base;
                        rest /= base;
                        let &(words_at, count, masks_at) = needs.get(need)?;
                        for k in 0..count {
                            let word = *need_words.get(words_at + k)?;
                            let mask = *masks.get(masks_at + code * count + k)?;
                            let at = first + combination * groups + word / GROUP;
                            *dense.get_mut(at)?.get_mut(word % GROUP)? |= mask;
                        }
                    }
                }
                dense_sets.push(first);
            }
        }
        Some(ContributionOrder {
            weights,
            programs: orders,
            words,
            points,
            scales: std::array::from_fn(|k| crate::scoring::Diminishing::scale_of(k, factor)),
            groups,
            dense,
            dense_sets,
            dense_needs,
            needs,
            need_words,
            masks,
        })
    }

    /// The code of `weight` for `need`; `None` for a weight it was not built with.
    pub fn code(&self, need: usize, weight: f64) -> Option<u16> {
        let position = self
            .weights
            .get(need)?
            .iter()
            .position(|w| w.to_bits() == weight.to_bits())?;
        u16::try_from(position).ok()
    }

    /// The need's "not raised" code.
    pub fn not_raised(&self, need: usize) -> Option<u16> {
        u16::try_from(self.weights.get(need)?.len()).ok()
    }

    /// Marks every program's contributions under `codes` (one per need) in `bits`.
    pub fn mark(&self, codes: &[u16], bits: &mut Vec<u64>) {
        bits.clear();
        if !self.dense_sets.is_empty() && self.mark_dense(codes, bits) {
            return;
        }
        bits.clear();
        bits.resize(self.words * self.programs.len(), 0);
        for (&(words_at, count, masks_at), &code) in self.needs.iter().zip(codes) {
            let words = self.need_words.get(words_at..words_at + count);
            let first = masks_at + usize::from(code) * count;
            let masks = self.masks.get(first..first + count);
            for (&word, &mask) in words.unwrap_or(&[]).iter().zip(masks.unwrap_or(&[])) {
                if let Some(bits) = bits.get_mut(word) {
                    *bits |= mask;
                }
            }
        }
    }

    /// [`Self::mark`] with few words per program: a group of words is gathered in registers
    /// from every set of needs' masks for its codes (ORing into memory instead makes each set
    /// wait for the one before to store the same words). `false` (and `bits` untouched) for a
    /// code outside its need's.
    fn mark_dense(&self, codes: &[u16], bits: &mut Vec<u64>) -> bool {
        // Per set, where the masks of this row's combination start: at most 64 sets (a set
        // per need at most, and the dense marks are built for at most 64 needs).
        let mut starts = [0usize; 64];
        for (start, &first) in starts.iter_mut().zip(&self.dense_sets) {
            *start = first;
        }
        let mut outside = codes.len() != self.dense_needs.len();
        for (&code, &(set, base, place)) in codes.iter().zip(&self.dense_needs) {
            let code = usize::from(code);
            outside |= code >= base;
            if let Some(start) = starts.get_mut(set) {
                *start += code * place;
            }
        }
        if outside {
            return false;
        }
        let starts = starts.get(..self.dense_sets.len()).unwrap_or(&[]);
        for group in 0..self.groups {
            let mut gathered = [0u64; GROUP];
            for &start in starts {
                let Some(masks) = self.dense.get(start + group) else {
                    continue;
                };
                for (word, mask) in gathered.iter_mut().zip(masks) {
                    *word |= mask;
                }
            }
            bits.extend_from_slice(&gathered);
        }
        true
    }

    /// Every program's points from its contributions marked in `bits`, as
    /// [`crate::scoring::diminishing`] adds them (strongest first, from −0.0): `each(program,
    /// points)` in program order; `false` (and `each` not called) when the points tables were
    /// not built (then [`Self::contributions`] gives them).
    // The tables and the bit sets are read in step, program after program: no bounds to work
    // out per program.
    #[inline]
    pub fn every_points(&self, bits: &[u64], mut each: impl FnMut(usize, f64)) -> bool {
        let words = self.words.max(1);
        if self.points.len() != self.programs.len() * words || bits.len() < self.points.len() {
            return false;
        }
        let programs = self
            .points
            .chunks_exact(words)
            .zip(bits.chunks_exact(words));
        for (program, (tables, words)) in programs.enumerate() {
            each(program, self.added(tables, words));
        }
        true
    }

    /// A program's points from its words of the bit sets and their points tables.
    // A table of every place's points per word: the inner loop reads no bounds and has one
    // branch, where the general iterator has three.
    #[inline]
    fn added(&self, tables: &[[f64; 64]], words: &[u64]) -> f64 {
        let (mut total, mut k) = (-0.0, 0);
        for (&word, points) in words.iter().zip(tables) {
            let mut word = word;
            while word != 0 {
                let place = word.trailing_zeros() as usize;
                word &= word - 1;
                total += points[place & 63] * self.scales[k & 63];
                k += 1;
            }
        }
        total
    }

    /// The program's contributions marked in `bits` (by [`Self::mark`]), strongest first:
    /// (need, points).
    pub fn contributions<'o>(&'o self, program: usize, bits: &'o [u64]) -> Marked<'o> {
        let first_word = program * self.words;
        Marked {
            order: self.programs.get(program).map_or(&[], Vec::as_slice),
            words: bits.get(first_word..first_word + self.words).unwrap_or(&[]),
            next: 0,
            word: 0,
        }
    }
}

/// A program's marked contributions, read in order from its bit set.
pub struct Marked<'o> {
    order: &'o [(usize, f64)],
    words: &'o [u64],
    /// The next word to read.
    next: usize,
    /// The bits not yet read of word `next - 1`.
    word: u64,
}

impl Iterator for Marked<'_> {
    type Item = (usize, f64);

    fn next(&mut self) -> Option<(usize, f64)> {
        loop {
            while self.word == 0 {
                self.word = *self.words.get(self.next)?;
                self.next += 1;
            }
            let place = (self.next - 1) * 64 + self.word.trailing_zeros() as usize;
            self.word &= self.word - 1;
            if let Some(&contribution) = self.order.get(place) {
                return Some(contribution);
            }
        }
    }
}

/// A key that sorts numbers from the greatest down, in `f64::total_cmp`'s order reversed.
pub fn descending(x: f64) -> u64 {
    let bits = x.to_bits();
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    !ascending
}

#[cfg(test)]
mod tests;
