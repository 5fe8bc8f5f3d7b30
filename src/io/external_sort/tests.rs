#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn keys_of(sorted: &mut Sorted) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut seen = Vec::new();
    sorted
        .for_each(|key, payload| {
            seen.push((key.to_vec(), payload.to_vec()));
            Ok(())
        })
        .unwrap();
    seen
}

#[test]
fn texts_sort_as_strings_do() {
    let mut texts = vec![
        "b", "a", "", "a\0", "a\0\0", "ab", "a\u{1}", "é", "z", "a b",
    ];
    let mut keys: Vec<(Key, &str)> = texts.iter().map(|t| (Key::new().text(t), *t)).collect();
    keys.sort();
    texts.sort();
    assert_eq!(keys.iter().map(|(_, t)| *t).collect::<Vec<_>>(), texts);
    // A text followed by another part: the first text decides before the second.
    let ab_then_z = Key::new().text("ab").text("a");
    let a_then_z = Key::new().text("a").text("z");
    assert!(a_then_z < ab_then_z);
}

#[test]
fn floats_sort_largest_first_numbers_smallest_first() {
    let values = [
        3.5,
        -1.0,
        0.0,
        -0.0,
        100.0,
        f64::INFINITY,
        -f64::INFINITY,
        1e-9,
    ];
    let mut keyed: Vec<(Key, f64)> = values
        .iter()
        .map(|&v| (Key::new().float_descending(v), v))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected = values.to_vec();
    expected.sort_by(|a, b| b.total_cmp(a));
    let got: Vec<f64> = keyed.iter().map(|(_, v)| *v).collect();
    assert_eq!(format!("{got:?}"), format!("{expected:?}"));
    assert!(Key::new().number(2) < Key::new().number(256));
}

/// Records that need many runs, more than are held open at once: the same order as a sort in
/// memory, equal keys in the order they were added, and never more than FAN_IN runs open.
#[test]
fn spilled_runs_merge_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let near = dir.path().join("out.html");
    let mut spilled = Sorter::new(512, Some(&near));
    let mut in_memory = Sorter::new(usize::MAX, None);
    let (mut expected, mut spills) = (Vec::new(), 0);
    for n in 0..5_000u64 {
        // Few distinct keys, so that equal keys cross runs.
        let key = Key::new().text(&format!("k{}", (n * 7919) % 97));
        let payload = n.to_le_bytes();
        spilled.add(&key, &payload).unwrap();
        in_memory.add(&key, &payload).unwrap();
        expected.push((key.as_bytes().to_vec(), payload.to_vec()));
        assert!(
            spilled.runs.len() < FAN_IN,
            "{} runs open",
            spilled.runs.len()
        );
        // A spill leaves only the record just added in memory.
        spills += usize::from(n > 0 && spilled.records.len() == 1);
    }
    assert!(
        spills > 2 * FAN_IN,
        "{spills} spills: too few to merge while adding"
    );
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    let mut spilled = spilled.finish().unwrap();
    assert!(matches!(spilled, Sorted::File { .. }));
    let mut in_memory = in_memory.finish().unwrap();
    assert!(matches!(in_memory, Sorted::Memory { .. }));
    assert_eq!(keys_of(&mut spilled), expected);
    // Read twice: the same records.
    assert_eq!(keys_of(&mut spilled), expected);
    assert_eq!(keys_of(&mut in_memory), expected);
    // The scratch files are unnamed: nothing is left beside the output.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn nothing_sorted_is_nothing() {
    let mut sorted = Sorter::new(0, None).finish().unwrap();
    assert!(keys_of(&mut sorted).is_empty());
}
