//! Every contribution a need can make to a program, in order, worked out once per run.
//!
//! A program's points add its needs' contributions (weight × share) strongest first, with
//! diminishing returns, so each row would sort a dozen short lists. But a need can only take
//! a few weights (its rules' weights and their combinations) and the shares are fixed, so every
//! possible contribution can be ordered in advance. A row then marks the contribution each of
//! its needs makes in a bit set, and reading the set bits gives its contributions already in
//! order: no sort, and no branch that depends on the answers.

/// Per program, its possible contributions in order and where each need's weights fall.
#[derive(Debug, Clone)]
pub struct ContributionOrder {
    /// Per need: the weights it can take (its codes are their indices; one more code, the
    /// number of weights, means "not raised").
    weights: Vec<Vec<f64>>,
    programs: Vec<ProgramOrder>,
    /// 64-bit words in a program's bit set (one bit per contribution, and a spare).
    words: usize,
    /// Per need: where its bits start in `marks`, and how many programs it has a share in.
    needs: Vec<(usize, usize)>,
    /// Per need, per code (its weights, then "not raised"), per program it has a share in:
    /// the bit to set. "Not raised" sets a bit past every program's, so that every row runs
    /// the same loops (a loop's length never depends on the answers: no branch to mispredict).
    marks: Vec<usize>,
}

#[derive(Debug, Clone)]
struct ProgramOrder {
    /// The needs with a share in this program, and where their codes start in `places`.
    needs: Vec<(usize, usize)>,
    /// (need, points) strongest first, ties in need order.
    contributions: Vec<(usize, f64)>,
    /// Per need and code: the contribution's place in `contributions` (the spare place,
    /// `contributions.len()`, for "not raised").
    places: Vec<u16>,
}

impl ContributionOrder {
    /// `weights[need]`: the weights the need can take (distinct); `share(need, program)`: its
    /// share.
    /// `None` when the orders would be too long to mark in 16-bit places.
    pub fn new(
        weights: Vec<Vec<f64>>,
        programs: usize,
        share: impl Fn(usize, usize) -> f64,
    ) -> Option<ContributionOrder> {
        let mut offsets = Vec::with_capacity(weights.len());
        let mut codes = 0;
        for need in &weights {
            offsets.push(codes);
            codes += need.len() + 1;
        }
        let mut orders = Vec::with_capacity(programs);
        let mut longest = 0;
        for program in 0..programs {
            let needs: Vec<usize> = (0..weights.len())
                .filter(|&need| share(need, program) > 0.0)
                .collect();
            // (need, code, points)
            let mut candidates: Vec<(usize, usize, f64)> = needs
                .iter()
                .flat_map(|&need| {
                    let share = share(need, program);
                    weights
                        .get(need)
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .map(move |(code, &weight)| (need, code, weight * share))
                })
                .collect();
            candidates.sort_by_key(|&(need, _, points)| (descending(points), need));
            let spare = u16::try_from(candidates.len()).ok()?;
            let mut places = vec![spare; codes];
            for (place, &(need, code, _)) in candidates.iter().enumerate() {
                *places.get_mut(offsets.get(need)? + code)? = u16::try_from(place).ok()?;
            }
            let contributions: Vec<(usize, f64)> = candidates
                .iter()
                .map(|&(need, _, points)| (need, points))
                .collect();
            longest = longest.max(contributions.len());
            orders.push(ProgramOrder {
                needs: needs
                    .iter()
                    .map(|&need| Some((need, *offsets.get(need)?)))
                    .collect::<Option<_>>()?,
                contributions,
                places,
            });
        }
        let words = longest / 64 + 1;
        let unused_bit = programs * words * 64;
        let mut needs = Vec::with_capacity(weights.len());
        let mut marks = Vec::new();
        for (need, need_weights) in weights.iter().enumerate() {
            // (program, where the need's places start among the program's)
            let shared: Vec<(usize, usize)> = orders
                .iter()
                .enumerate()
                .filter_map(|(program, order)| {
                    let &(_, start) = order.needs.iter().find(|(n, _)| *n == need)?;
                    Some((program, start))
                })
                .collect();
            needs.push((marks.len(), shared.len()));
            for code in 0..=need_weights.len() {
                for &(program, start) in &shared {
                    let order = orders.get(program)?;
                    let place = usize::from(*order.places.get(start + code)?);
                    marks.push(if place < order.contributions.len() {
                        program * words * 64 + place
                    } else {
                        unused_bit
                    });
                }
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
        let spare = order.contributions.len();
        for (w, &word) in words.iter().enumerate() {
            // Needs not raised mark the spare place, after the last contribution.
            let mut word = if w == spare / 64 {
                word & !(1 << (spare % 64))
            } else {
                word
            };
            while word != 0 {
                let place = w * 64 + word.trailing_zeros() as usize;
                word &= word - 1;
                if let Some(&(need, points)) = order.contributions.get(place) {
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
