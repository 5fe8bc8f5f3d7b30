//! A program's score in tenths, from its points, without an `exp` per program.
//!
//! The batch fast path shows a score only as tenths (`78.8`). A score is
//! `100 × (1 − e^(−points / saturation))`, so as points grow the shown tenth steps from 0 to
//! 1000 at 1000 fixed thresholds. The table finds them once, by bisection on the very
//! arithmetic the reference path uses ([`crate::scoring::saturate`], then rounding), and a row
//! then counts the thresholds below its points: a look-up in a grid of the points axis and,
//! most often, no step further. Points within a hair of a threshold (where a last-bit
//! difference in `exp` could decide the tenth) are left to the exact arithmetic, so the
//! tenths are those of the reference path, bit for bit.

use crate::profile::questionnaire::ScoringSettings;
use crate::scoring::short_bytes::{piece, ShortBytes};

/// The last tenth: a score of 100.0.
const MAX_TENTHS: u16 = 1000;

/// Relative distance to a threshold within which the exact arithmetic decides: far more than
/// `exp`'s error (under an ulp, ~1e-16), far less than the gap between two thresholds (~1e-3).
const NEAR: f64 = 1e-12;

/// Grid cells per smallest gap between two thresholds: most cells then hold none.
const CELLS_PER_GAP: f64 = 4.0;

/// The flag of a grid cell near a threshold's band: its points need a closer look.
const NEAR_A_BAND: u16 = 1 << 15;

/// A grid larger than this is not worth its memory (it never is for a finite saturation).
const MAX_CELLS: usize = 1 << 16;

#[derive(Debug, Clone)]
pub struct TenthsTable {
    settings: ScoringSettings,
    /// Per threshold (the least points whose score shows that many tenths plus one): the band
    /// around it that the exact arithmetic decides, `(low, high)`. Ends with (∞, ∞).
    bands: Vec<(f64, f64)>,
    /// Per grid cell (points `cell / per_point` and up): thresholds whose band ends before it,
    /// with [`NEAR_A_BAND`] set when one starts within the cell or half a cell either side.
    first: Vec<u16>,
    per_point: f64,
}

impl TenthsTable {
    /// The table for these settings; `None` when the saturation is too extreme to tabulate
    /// (every score is then computed exactly).
    pub fn new(settings: &ScoringSettings) -> Option<TenthsTable> {
        let mut thresholds = Vec::with_capacity(usize::from(MAX_TENTHS));
        let mut low = 0.0;
        for tenths in 1..=MAX_TENTHS {
            let threshold = least_points_showing(settings, f64::from(tenths), low)?;
            thresholds.push(threshold);
            low = threshold;
        }
        let smallest_gap = thresholds
            .windows(2)
            .map(|pair| pair[1] - pair[0])
            .chain(thresholds.first().copied())
            .fold(f64::INFINITY, f64::min);
        let last = *thresholds.last()?;
        let per_point = CELLS_PER_GAP / smallest_gap;
        let cells = (last * per_point).ceil() + 1.0;
        if !(per_point.is_finite() && per_point > 0.0 && cells <= MAX_CELLS as f64) {
            return None;
        }
        let mut bands: Vec<(f64, f64)> = (thresholds.iter())
            .map(|&t| (t * (1.0 - NEAR), t * (1.0 + NEAR)))
            .collect();
        bands.push((f64::INFINITY, f64::INFINITY));
        // A cell's count is taken half a cell before its start: points that round into the
        // cell from just below it still count up from there. A cell is clean when no band
        // starts before half a cell past its end either: all its points show that count.
        let mut first = Vec::with_capacity(cells as usize);
        let mut below = 0;
        let last_cell = cells as usize - 1;
        for cell in 0..=last_cell {
            let start = (cell as f64 - 0.5) / per_point;
            let end = (cell as f64 + 1.5) / per_point;
            while bands.get(below).is_some_and(|&(_, high)| high <= start) {
                below += 1;
            }
            let clean = cell < last_cell && bands.get(below).is_some_and(|&(low, _)| low >= end);
            let count = u16::try_from(below)
                .ok()
                .filter(|&n| n & NEAR_A_BAND == 0)?;
            first.push(if clean { count } else { count | NEAR_A_BAND });
        }
        Some(TenthsTable {
            settings: settings.clone(),
            bands,
            first,
            per_point,
        })
    }

    /// The tenths `points` shows: `(saturate(points) × 10).round()`, as the reference path
    /// computes it; `None` for negative or not-a-number points (never a real program's).
    #[inline]
    pub fn tenths(&self, points: f64) -> Option<u16> {
        // Negative and not-a-number points compare as neither.
        if points
            .partial_cmp(&0.0)
            .is_none_or(|o| o == std::cmp::Ordering::Less)
        {
            return None;
        }
        // Through i64 (one instruction; past i64::MAX it saturates, to the last cell all the
        // same).
        let cell = (points * self.per_point) as i64 as usize;
        let cell = cell.min(self.first.len().saturating_sub(1));
        let entry = *self.first.get(cell)?;
        if entry & NEAR_A_BAND == 0 {
            return Some(entry);
        }
        let mut below = usize::from(entry & !NEAR_A_BAND);
        while self
            .bands
            .get(below)
            .is_some_and(|&(_, high)| high <= points)
        {
            below += 1;
        }
        match self.bands.get(below) {
            Some(&(low, _)) if points < low => u16::try_from(below).ok(),
            _ => exact_tenths(&self.settings, points),
        }
    }
}

/// What a writer of a value to a tenth (a score, a reason's points) writes for every tenth from
/// 0.0 to 100.0 (`None`: a text too long to table, each written as it comes).
pub struct TenthsText {
    texts: Option<Vec<ShortBytes<8>>>,
    write: fn(&mut Vec<u8>, f64),
}

impl TenthsText {
    pub fn new(write: fn(&mut Vec<u8>, f64)) -> TenthsText {
        let texts = (0..=MAX_TENTHS)
            .map(|k| ShortBytes::new(&piece(|out| write(out, f64::from(k) / 10.0))))
            .collect();
        TenthsText { texts, write }
    }

    /// Writes `value`, from the table when it holds it.
    pub fn write(&self, out: &mut Vec<u8>, value: f64) {
        // As `round1` rounds (it writes the same for every value with these tenths); −0.0
        // and values past 100 are written as they come.
        let tabled = (self.texts.as_ref())
            .zip(rounded(value * 10.0))
            .and_then(|(texts, tenths)| texts.get(tenths));
        match tabled {
            Some(text) => text.append_to(out),
            None => (self.write)(out, value),
        }
    }

    /// Writes the score of `points`: its tenths from `table` (without an `exp`) when it has
    /// them, else the score computed.
    // Inlined into the row writer's loop over the programs: no call per score (as a mere
    // hint, it was not).
    #[inline(always)]
    pub fn write_score(
        &self,
        out: &mut Vec<u8>,
        points: f64,
        table: Option<&TenthsTable>,
        settings: &ScoringSettings,
    ) {
        let tenths = table.and_then(|table| table.tenths(points));
        match tenths.and_then(|k| self.texts.as_ref()?.get(usize::from(k))) {
            Some(text) => text.append_to(out),
            None => self.write(out, crate::scoring::saturate(points, settings)),
        }
    }
}

/// `x.round()` (half away from zero) as an index, for +0.0 up to 2^52 (`None` otherwise,
/// −0.0 and not-a-number included): what `round` gives there, without its call (x86-64 has no
/// rounding instruction before SSE4.1). Exact: below 2^52 a number minus its whole part is
/// its fraction, exactly.
fn rounded(x: f64) -> Option<usize> {
    if !(x.is_sign_positive() && x < 4_503_599_627_370_496.0) {
        return None;
    }
    // (Signed conversions: one instruction each way, where unsigned ones take several.)
    let whole = x as i64;
    let half_or_more = x - whole as f64 >= 0.5;
    usize::try_from(whole + i64::from(half_or_more)).ok()
}

/// The reference path's tenths, computed in full.
fn exact_tenths(settings: &ScoringSettings, points: f64) -> Option<u16> {
    let tenths = shown_tenths(settings, points);
    (0.0..=f64::from(MAX_TENTHS))
        .contains(&tenths)
        .then_some(tenths as u16)
}

/// The tenths a score shows, as the reference path rounds it (`{:.1}` of
/// [`crate::report::round1`]), as a float.
fn shown_tenths(settings: &ScoringSettings, points: f64) -> f64 {
    (crate::scoring::saturate(points, settings) * 10.0).round()
}

/// The least points (not below `low`) whose score shows at least `tenths`, by bisection on
/// the bits of non-negative floats (which order as the numbers do).
fn least_points_showing(settings: &ScoringSettings, tenths: f64, low: f64) -> Option<f64> {
    let shows = |points: f64| shown_tenths(settings, points) >= tenths;
    // Below: points that do not show it yet; above: points that do. First brackets around
    // the estimate (the score solved for the half tenth, off by a few ulps at most: 6 steps
    // then find the threshold, where the widest bracket takes 60), else the widest.
    let estimate = -settings.saturation * (1.0 - (tenths - 0.5) / f64::from(MAX_TENTHS)).ln();
    let around = |ulps: u64| {
        let bits = estimate.to_bits();
        (
            bits.saturating_sub(ulps).max(low.to_bits()),
            bits.saturating_add(ulps),
        )
    };
    let (mut below, mut above) = [
        around(32),
        around(1 << 24),
        (low.to_bits(), f64::MAX.to_bits()),
    ]
    .into_iter()
    .find(|&(below, above)| {
        !shows(f64::from_bits(below)) && shows(f64::from_bits(above)) && below < above
    })?;
    while above - below > 1 {
        let middle = below + (above - below) / 2;
        if shows(f64::from_bits(middle)) {
            above = middle;
        } else {
            below = middle;
        }
    }
    Some(f64::from_bits(above))
}

#[cfg(test)]
mod tests;
