//! The contribution order against sorting each row's contributions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// A program's contributions under `codes`, sorted as a row would sort them: (need, points),
/// strongest first, ties in need order.
fn sorted(
    weights: &[Vec<f64>],
    share: &dyn Fn(usize, usize) -> f64,
    program: usize,
    codes: &[u16],
) -> Vec<(usize, f64)> {
    let mut list: Vec<(usize, f64)> = (codes.iter().enumerate())
        .filter_map(|(need, &code)| {
            let weight = *weights[need].get(usize::from(code))?;
            let share = share(need, program);
            (share > 0.0).then_some((need, weight * share))
        })
        .collect();
    list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    list
}

/// Catalogs of `programs` programs and `needs` needs of up to `most_weights` weights each:
/// every row's marked contributions come in the sorted order, and the points add up as the
/// reference path adds them.
fn check(seed: u64, programs: usize, needs: usize, most_weights: usize) -> usize {
    let mut next = crate::scoring::xorshift(seed);
    let mut below = |n: usize| (next() % n as u64) as usize;
    let weights: Vec<Vec<f64>> = (0..needs)
        .map(|_| {
            let count = 1 + below(most_weights);
            (0..count).map(|k| (k + 1) as f64 * 0.75).collect()
        })
        .collect();
    let shares: Vec<Vec<f64>> = (0..needs)
        .map(|_| {
            (0..programs)
                .map(|_| [0.0, 0.0, 0.25, 0.5, 1.0][below(5)])
                .collect()
        })
        .collect();
    let share = |need: usize, program: usize| shares[need][program];
    let factor = 0.5;
    let order = ContributionOrder::new(weights.clone(), programs, factor, share).unwrap();
    let mut bits = Vec::new();
    let mut summed = 0;
    for _ in 0..200 {
        // Each need raised at one of its weights, or not (its last code).
        let codes: Vec<u16> = (weights.iter())
            .map(|w| below(w.len() + 1) as u16)
            .collect();
        order.mark(&codes, &mut bits);
        let mut every = Vec::new();
        order.every_points(&bits, |program, points| every.push((program, points)));
        for program in 0..programs {
            let expected = sorted(&weights, &share, program, &codes);
            let marked: Vec<(usize, f64)> = order.contributions(program, &bits).collect();
            assert_eq!(marked, expected, "program {program}, codes {codes:?}");
            let reference = crate::scoring::diminishing(expected.iter().map(|c| c.1), factor);
            if let Some(&(at, points)) = every.get(program) {
                assert_eq!(at, program);
                assert_eq!(points.to_bits(), reference.to_bits(), "program {program}");
                summed += 1;
            }
        }
    }
    summed
}

#[test]
fn one_word_per_program_marks_in_order_and_adds_points_bit_for_bit() {
    // 12 and 13 programs: a whole group of eight and a part of one, padded.
    assert!(check(0x1234_5678, 12, 25, 3) > 0);
    assert!(check(0x9ABC_DEF0, 13, 10, 4) > 0);
    assert!(check(0x0F0F_0F0F, 1, 3, 2) > 0);
}

#[test]
fn several_words_per_program_mark_in_order_and_add_points_bit_for_bit() {
    // Over 64 contributions a program (the built-in catalog has up to 93): dense marks and
    // points tables over two to four words.
    assert!(check(0x5555_AAAA, 9, 40, 6) > 0);
    assert!(check(0x1357_9BDF, 13, 60, 4) > 0);
}

#[test]
fn beyond_the_dense_limits_the_general_marking_serves() {
    // More than 64 needs (a row could mark more contributions than there are scales), or
    // more than four words a program: contributions in order, points left to the caller.
    assert_eq!(check(0x2468_ACE0, 5, 70, 2), 0);
    assert_eq!(check(0x0BAD_F00D, 3, 60, 12), 0);
}
