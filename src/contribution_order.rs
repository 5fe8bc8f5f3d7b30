//! Every contribution a need can make to a program, in order, worked out once per run.
//!
//! A program's points add its needs' contributions (weight × share) strongest first, with
//! diminishing returns, so each row would sort a dozen short lists. But a need can only take
//! a few weights (its rules' weights and their combinations) and the shares are fixed, so every
//! possible contribution can be ordered in advance. A row then marks the contribution each of
//! its needs makes in a bit set, and reading the set bits gives its contributions already in
//! order: no sort, and no branch that depends on the answers.

/// Per program, its possible contributions in order, and for each need and weight the bits
/// that mark its contributions.
#[derive(Debug, Clone)]
pub struct ContributionOrder {
    /// Per need: the weights it can take (its codes are their indices; one more code, the
    /// number of weights, means "not raised").
    weights: Vec<Vec<f64>>,
    /// Per program: (need, points) strongest first, ties in need order. Contribution `k` of
    /// program `p` is bit `p × words × 64 + k`.
    programs: Vec<Vec<(usize, f64)>>,
    /// 64-bit words in a program's bit set (one bit per contribution).
    words: usize,
    /// Per need: where its bits start in `marks`, and how many programs it has a share in.
    needs: Vec<(usize, usize)>,
    /// Per need, per code (its weights, then "not raised"), per program it has a share in:
    /// the bit to set. "Not raised" sets a bit past every program's, so that every row runs
    /// the same loops (a loop's length never depends on the answers: no branch to mispredict).
    marks: Vec<usize>,
}

impl ContributionOrder {
    /// `weights[need]`: the weights the need can take (distinct); `share(need, program)`: its
    /// share. `None` when a need has more weights than a 16-bit code holds.
    pub fn new(
        weights: Vec<Vec<f64>>,
        programs: usize,
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
        let unused_bit = programs * words * 64;
        let mut needs = Vec::with_capacity(weights.len());
        let mut marks = Vec::new();
        for (need, need_weights) in weights.iter().enumerate() {
            // (the program's first bit, the need's places in it) for each program with a share
            let shared: Vec<(usize, &Vec<usize>)> = places
                .iter()
                .enumerate()
                .filter_map(|(program, program_places)| {
                    let need_places = program_places.get(need)?;
                    (!need_places.is_empty()).then_some((program * words * 64, need_places))
                })
                .collect();
            needs.push((marks.len(), shared.len()));
            for code in 0..=need_weights.len() {
                marks.extend(shared.iter().map(|&(first_bit, need_places)| {
                    need_places
                        .get(code)
                        .map_or(unused_bit, |place| first_bit + place)
                }));
            }
        }
        Some(ContributionOrder {
            weights,
            programs: orders,
            words,
            needs,
            marks,
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

    /// Every need's "not raised" code, to start a row from.
    pub fn not_raised(&self) -> Vec<u16> {
        self.weights
            .iter()
            .map(|w| u16::try_from(w.len()).unwrap_or(u16::MAX))
            .collect()
    }

    /// Marks every program's contributions under `codes` (one per need) in `bits`.
    pub fn mark(&self, codes: &[u16], bits: &mut Vec<u64>) {
        bits.clear();
        // One more word for the bit "not raised" sets.
        bits.resize(self.words * self.programs.len() + 1, 0);
        for (&(start, count), &code) in self.needs.iter().zip(codes) {
            let first = start + usize::from(code) * count;
            for &bit in self.marks.get(first..first + count).unwrap_or(&[]) {
                if let Some(word) = bits.get_mut(bit / 64) {
                    *word |= 1 << (bit % 64);
                }
            }
        }
    }

    /// Calls `each(need, points)` for the program's contributions marked in `bits` (by
    /// [`Self::mark`]), strongest first.
    pub fn contributions(&self, program: usize, bits: &[u64], mut each: impl FnMut(usize, f64)) {
        let Some(order) = self.programs.get(program) else {
            return;
        };
        let first_word = program * self.words;
        let words = bits.get(first_word..first_word + self.words).unwrap_or(&[]);
        for (w, &word) in words.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                let place = w * 64 + word.trailing_zeros() as usize;
                word &= word - 1;
                if let Some(&(need, points)) = order.get(place) {
                    each(need, points);
                }
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
