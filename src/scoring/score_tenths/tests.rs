//! The score-tenths table against the reference arithmetic.
#![allow(clippy::expect_used)]
use super::*;

fn settings(saturation: f64) -> ScoringSettings {
    ScoringSettings {
        saturation,
        ..ScoringSettings::default()
    }
}

/// A xorshift stream of points spread over every score, from 0 to past 100.
fn points_stream(saturation: f64) -> impl Iterator<Item = f64> {
    let mut next = crate::scoring::xorshift(0x2545_F491_4F6C_DD1D);
    std::iter::repeat_with(move || (next() >> 11) as f64 / (1u64 << 53) as f64 * 10.0 * saturation)
}

/// Points a few ulps either side of every threshold: where a table could be off by one.
fn around_thresholds(table: &TenthsTable) -> Vec<f64> {
    let mut points = Vec::new();
    for &(low, high) in &table.bands[..table.bands.len() - 1] {
        let threshold = (low + high) / 2.0;
        for edge in [low, threshold, high] {
            for step in -40i64..=40 {
                points.push(f64::from_bits(edge.to_bits().wrapping_add_signed(step)));
            }
        }
    }
    points
}

#[test]
fn the_table_shows_the_tenths_the_reference_arithmetic_shows() {
    for saturation in [3.0, 0.25, 1.0, 7.5, 1234.5] {
        let settings = settings(saturation);
        let table = TenthsTable::new(&settings).expect("an ordinary saturation is tabulated");
        let mut checked = 0;
        for points in points_stream(saturation)
            .take(200_000)
            .chain(around_thresholds(&table))
        {
            assert_eq!(
                table.tenths(points),
                exact_tenths(&settings, points),
                "saturation {saturation}, points {points:e}"
            );
            checked += 1;
        }
        assert!(checked > 400_000);
    }
}

#[test]
fn every_tenth_from_0_to_1000_is_reached_in_order() {
    let settings = settings(3.0);
    let table = TenthsTable::new(&settings).expect("tabulated");
    assert_eq!(table.tenths(0.0), Some(0));
    assert_eq!(table.tenths(f64::INFINITY), Some(1000));
    assert_eq!(table.tenths(1e6), Some(1000));
    let mut last = 0;
    let mut points = 0.0;
    while points < 30.0 {
        let tenths = table.tenths(points).expect("non-negative points");
        assert!(
            tenths == last || tenths == last + 1,
            "{points}: {last} then {tenths}"
        );
        last = tenths;
        points += 0.0005;
    }
    assert_eq!(last, 1000);
}

#[test]
fn points_no_program_has_are_left_to_the_caller() {
    let table = TenthsTable::new(&settings(3.0)).expect("tabulated");
    assert_eq!(table.tenths(-1.0), None);
    assert_eq!(table.tenths(f64::NAN), None);
    assert_eq!(table.tenths(-0.0), Some(0));
}

#[test]
fn an_extreme_saturation_is_computed_or_tabulated_exactly_never_wrong() {
    for saturation in [f64::MIN_POSITIVE, 1e-300, 1e-12, 1e12, 1e300, f64::MAX] {
        let settings = settings(saturation);
        let Some(table) = TenthsTable::new(&settings) else {
            continue;
        };
        for points in points_stream(saturation.min(1e307)).take(20_000) {
            assert_eq!(
                table.tenths(points),
                exact_tenths(&settings, points),
                "saturation {saturation:e}, points {points:e}"
            );
        }
    }
}

#[test]
fn rounded_is_round_half_away_from_zero_where_it_answers() {
    let mut values = vec![
        0.0,
        -0.0,
        0.5,
        1.5,
        2.5,
        0.49999999999999994,
        0.5000000000000001,
        -0.4,
        -0.5,
        -1.0,
        4503599627370495.5,
        4503599627370496.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE,
        1000.0,
        999.5,
        1000.5,
    ];
    // Every tenth and its neighbours, as a score or points times ten lands on them.
    for k in 0..=20_000u32 {
        let x = f64::from(k) / 20.0;
        values.extend([
            x,
            f64::from_bits(x.to_bits() + 1),
            f64::from_bits(x.to_bits().saturating_sub(1)),
        ]);
        values.push(f64::from(k) / 10.0 * 10.0);
    }
    for x in values {
        match rounded(x) {
            Some(n) => assert_eq!(n as f64, x.round(), "{x}"),
            None => assert!(
                !(x.is_sign_positive() && x < 4_503_599_627_370_496.0),
                "{x}"
            ),
        }
        // Every tenth the table holds (0 to 1000, +0.0 included) is answered.
        let shown = x.round();
        if shown.is_sign_positive() && shown <= 1000.0 {
            assert!(rounded(x).is_some(), "{x}");
        }
    }
}
