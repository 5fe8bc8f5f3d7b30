//! The record reader against the `csv` crate it stands in for.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// Records and their first lines as this reader gives them, read `step` bytes at a time.
fn read_all(bytes: &[u8], delimiter: u8, step: usize) -> Vec<(u64, Vec<Vec<u8>>)> {
    let (records, taken) = records_in_steps(bytes, delimiter, step).unwrap_or_else(|error| {
        panic!("{:?}: {error}", String::from_utf8_lossy(bytes));
    });
    assert!(
        records.len() <= bytes.len(),
        "{:?}: more records than bytes",
        String::from_utf8_lossy(bytes)
    );
    assert_eq!(taken, bytes.len() as u64, "every byte taken");
    records
}

#[test]
fn records_and_lines_are_the_csv_crates_for_any_bytes() {
    // A byte-order mark in three pieces, which sometimes meet.
    let alphabet: &[u8] = b"ab ,;\t\"\"\n\n\r\xEF\xBB\xBF";
    let mut state = 0x853C_49E6_748F_EA9Bu64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut records = 0;
    for case in 0..4_000 {
        // Every tenth case long enough for whole 64-byte blocks.
        let length = (next() % if case % 10 == 0 { 200 } else { 40 }) as usize;
        let bytes: Vec<u8> = (0..length)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let delimiter = [b',', b';', b'\t', b'"', b'\n', b'\r'][case % 6];
        let expected = csv_crate_records(&bytes, delimiter);
        for step in [1, 3, READ_BYTES] {
            assert_eq!(
                read_all(&bytes, delimiter, step),
                expected,
                "{:?} with `{}`, read {step} bytes at a time",
                String::from_utf8_lossy(&bytes),
                delimiter as char
            );
        }
        records += expected.len();
    }
    assert!(records > 4_000, "the cases hold records ({records})");
}

#[test]
fn plain_lines_split_at_every_delimiter_whatever_their_length() {
    // Cells of every length around the eight- and 64-byte steps, empty ones included, in
    // lines of up to 300 bytes.
    for (length, count) in (0..40).flat_map(|length| [(length, 5), (length, 30)]) {
        let cells: Vec<Vec<u8>> = (0..count)
            .map(|k| {
                (0..(length + k) % 11)
                    .map(|i| b'a' + (i % 26) as u8)
                    .collect()
            })
            .collect();
        let line = cells.join(&b',');
        let mut bytes = line.clone();
        bytes.extend_from_slice(b"\nx,y\n");
        let records = read_all(&bytes, b',', READ_BYTES);
        assert_eq!(records.len(), 2, "{}", String::from_utf8_lossy(&line));
        if line.is_empty() {
            continue;
        }
        assert_eq!(records[0], (1, cells));
        assert_eq!(records[1], (2, vec![b"x".to_vec(), b"y".to_vec()]));
    }
}

#[test]
fn a_quoted_cell_over_lines_and_crlf_keep_the_line_count() {
    let bytes = b"a,b\r\n\r\n\"two\nlines\",c\r\nd,\"e\"\"f\"\n\rg\rh";
    let records = read_all(bytes, b',', 5);
    let cells = |cells: &[&str]| cells.iter().map(|c| c.as_bytes().to_vec()).collect();
    assert_eq!(
        records,
        vec![
            (1, cells(&["a", "b"])),
            (3, cells(&["two\nlines", "c"])),
            (5, cells(&["d", "e\"f"])),
            (7, cells(&["g"])),
            (8, cells(&["h"])),
        ]
    );
    assert_eq!(records, csv_crate_records(bytes, b','));
}

#[test]
fn peeking_and_skipping_leave_the_records_whole() {
    let bytes = b"\xEF\xBB\xBFid,x\n1,2\n";
    let mut reader = RecordReader::new(Box::new(Trickle::new(bytes, 2)));
    assert_eq!(reader.peek(1 << 20).unwrap(), b"\xEF\xBB\xBFid,x\n1,2\n");
    reader.skip(3);
    let mut record = Record::default();
    assert_eq!(reader.read(&mut record).unwrap(), Some(1));
    assert_eq!(record.iter().collect::<Vec<_>>(), [&b"id"[..], &b"x"[..]]);
    assert_eq!(reader.read(&mut record).unwrap(), Some(2));
    assert_eq!(record.get(1), Some(&b"2"[..]));
    assert_eq!(reader.read(&mut record).unwrap(), None);
    assert_eq!(reader.position(), 12);
}

#[test]
fn a_byte_order_mark_is_passed_over_at_the_start_only() {
    let bytes = b"\xEF\xBB\xBF\nid,x\n\xEF\xBB\xBFa,\"b\"\n";
    let records = read_all(bytes, b',', 2);
    let cells = |cells: &[&[u8]]| cells.iter().map(|c| c.to_vec()).collect();
    assert_eq!(
        records,
        vec![
            (2, cells(&[b"id", b"x"])),
            (3, cells(&[b"\xEF\xBB\xBFa", b"b"])),
        ]
    );
    assert_eq!(records, csv_crate_records(bytes, b','));
}
