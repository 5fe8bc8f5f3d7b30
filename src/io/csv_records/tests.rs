//! The record reader against the `csv` crate it stands in for.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// Records and their first lines as this reader gives them, read `step` bytes at a time; none
/// malformed.
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
    (records.into_iter())
        .map(|record| {
            assert_eq!(
                record.malformed,
                None,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
            (record.line, record.cells)
        })
        .collect()
}

/// A xorshift generator: the same cases every run.
fn generator() -> impl FnMut() -> u64 {
    let mut state = 0x853C_49E6_748F_EA9Bu64;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

#[test]
fn records_and_lines_are_the_csv_crates_between_malformed_ones_for_any_bytes() {
    // A byte-order mark in three pieces, which sometimes meet.
    let alphabet: &[u8] = b"ab ,;\t\"\"\n\n\r\xEF\xBB\xBF";
    let mut next = generator();
    let mut malformed = 0;
    let mut well_formed = 0;
    for case in 0..4_000 {
        // Every tenth case long enough for whole 64-byte blocks.
        let length = (next() % if case % 10 == 0 { 200 } else { 40 }) as usize;
        let bytes: Vec<u8> = (0..length)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let delimiter = [b',', b';', b'\t', b'"', b'\n', b'\r'][case % 6];
        for step in [1, 3, READ_BYTES] {
            match check_against_csv_crate(&bytes, delimiter, step) {
                Ok(0) => well_formed += 1,
                Ok(found) => malformed += found,
                Err(difference) => panic!("read {step} bytes at a time: {difference}"),
            }
        }
    }
    // Both kinds are common enough to be tested.
    assert!(malformed > 1_000, "{malformed} malformed records");
    assert!(well_formed > 1_000, "{well_formed} well-formed cases");
}

#[test]
fn well_formed_files_read_as_the_csv_crate_does_and_without_errors() {
    let alphabet: &[u8] = b"ab ,;\"\n\r\xC3\xA9";
    let mut next = generator();
    let mut quoted = 0;
    for case in 0..2_000 {
        let delimiter = [b',', b';', b'\t'][case % 3];
        let mut bytes = Vec::new();
        for _ in 0..next() % 6 {
            for cell in 0..1 + next() % 4 {
                if cell > 0 {
                    bytes.push(delimiter);
                }
                let text: Vec<u8> = (0..next() % 8)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect();
                // A cell that needs quotes gets them; others, sometimes.
                let needs = text.first() == Some(&b'"')
                    || text
                        .iter()
                        .any(|&b| b == delimiter || b == b'\n' || b == b'\r');
                if needs || next().is_multiple_of(4) {
                    quoted += 1;
                    bytes.push(b'"');
                    for &byte in &text {
                        bytes.push(byte);
                        if byte == b'"' {
                            bytes.push(b'"');
                        }
                    }
                    bytes.push(b'"');
                } else {
                    bytes.extend_from_slice(&text);
                }
            }
            bytes.extend_from_slice([&b"\n"[..], b"\r\n", b"\r", b"\n\n"][(next() % 4) as usize]);
        }
        let expected = csv_crate_records(&bytes, delimiter);
        for step in [1, 5, READ_BYTES] {
            assert_eq!(
                read_all(&bytes, delimiter, step),
                expected,
                "{:?} read {step} bytes at a time",
                String::from_utf8_lossy(&bytes)
            );
        }
    }
    assert!(quoted > 1_000, "{quoted} quoted cells");
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
fn a_quote_inside_an_unquoted_cell_is_text() {
    let bytes = b"a,Staff said \"we need training\",b\nc\n";
    let cells = |cells: &[&str]| cells.iter().map(|c| c.as_bytes().to_vec()).collect();
    assert_eq!(
        read_all(bytes, b',', 3),
        vec![
            (1, cells(&["a", "Staff said \"we need training\"", "b"])),
            (2, cells(&["c"]))
        ]
    );
}

#[test]
fn a_stray_quote_makes_one_malformed_record_and_reading_resumes_after_its_line() {
    // The issue's example: the quote on line 2 swallows lines 3 and 4 and closes on line 4.
    let bytes = "id,ldc_status,challenges\na,ldc,\"Few examiners\nb,no,backlog\nc,no,Staff said \"we need training\"\nd,ldc,x\n";
    let mut reader = RecordReader::new(Box::new(Trickle::new(bytes.as_bytes(), 4)));
    let mut record = Record::default();
    assert_eq!(reader.read(&mut record).unwrap(), Some(1));
    reader.set_columns(record.len());
    assert_eq!(reader.read(&mut record).unwrap(), Some(2));
    // The whole cells before the malformed one are kept (the row's id), none after.
    assert_eq!(record.len(), 2, "the cells before the malformed one");
    assert_eq!(record.get(0), Some(&b"a"[..]));
    let at = |line, character, byte| Position {
        line,
        character,
        byte,
    };
    assert_eq!(
        record.malformed(),
        Some(&Malformed {
            cell: 2,
            opened: at(2, 7, 31),
            closed: Some(at(4, 17, 75)),
            after: b"we need training\"".to_vec(),
            last_line: 4,
            rows_inside: 2,
        })
    );
    assert_eq!(bytes.as_bytes()[75], b'"');
    assert_eq!(reader.read(&mut record).unwrap(), Some(5));
    assert_eq!(record.get(0), Some(&b"d"[..]));
    assert_eq!(record.malformed(), None);
    assert_eq!(reader.read(&mut record).unwrap(), None);
}

#[test]
fn a_quote_never_closed_rejects_its_line_and_reading_resumes_on_the_next() {
    let bytes = "id,x\nok,1\nbad,\"Café\r\nnext,2\r\n\r\n";
    let (records, _) = records_in_steps(bytes.as_bytes(), b',', 2).unwrap();
    assert_eq!(records.len(), 4);
    let bad = records[2].malformed.as_ref().unwrap();
    assert_eq!((bad.cell, bad.opened.line, bad.opened.character), (1, 3, 5));
    assert_eq!((bad.closed, bad.last_line), (None, 4));
    // The rejected record is the line the quote opens on: the rows after it are read.
    assert_eq!(
        (records[3].line, records[3].cells.clone()),
        (4, vec![b"next".to_vec(), b"2".to_vec()])
    );
    assert_eq!(records[3].malformed, None);
    // The well-formed record ending in the closing quote is no error.
    assert_eq!(
        read_all(b"\"a\nb\"", b',', 1),
        vec![(1, vec![b"a\nb".to_vec()])]
    );
}

#[test]
fn a_well_formed_cell_holding_rows_is_counted() {
    let bytes = b"id,country,challenges\na,UGA,\"Few, examiners\nb,MWI,backlog\nc,KEN,slow\"\nd,TZA,\"x\ny\"\n";
    let mut reader = RecordReader::new(Box::new(Trickle::new(bytes, 3)));
    let mut record = Record::default();
    reader.read(&mut record).unwrap();
    reader.set_columns(3);
    assert_eq!(reader.read(&mut record).unwrap(), Some(2));
    assert_eq!((record.inner_lines(), record.rows_inside()), (2, 2));
    assert_eq!(record.malformed(), None);
    assert_eq!(record.len(), 3);
    assert_eq!(reader.read(&mut record).unwrap(), Some(5));
    assert_eq!((record.inner_lines(), record.rows_inside()), (1, 0));
}

#[test]
fn an_endless_line_stops_at_the_limit_in_bounded_memory() {
    /// A source that never ends: `byte` forever.
    struct Endless(u8);
    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            buf.fill(self.0);
            Ok(buf.len())
        }
    }
    for (start, byte, open_quote) in [(&b""[..], b'y', false), (b"a,\"", b'\n', true)] {
        let source = std::io::Cursor::new(start.to_vec()).chain(Endless(byte));
        let mut reader = RecordReader::new(Box::new(source));
        reader.set_line_limit(1_000_000);
        let mut record = Record::default();
        match reader.read(&mut record) {
            Err(ReadError::TooLong(long)) => {
                assert_eq!(long.first_line, 1);
                assert_eq!(long.open_quote.is_some(), open_quote);
                assert_eq!(long.limit, 1_000_000);
                if open_quote {
                    assert!(long.line > 1_000_000, "{}", long.line);
                }
            }
            other => panic!("{other:?}"),
        }
        assert!(reader.buffer.len() < 2_000_000, "{}", reader.buffer.len());
    }
}

#[test]
fn a_line_at_the_limit_is_read() {
    let mut bytes = vec![b'a'; 100];
    bytes.extend_from_slice(b"\n\"");
    bytes.extend(vec![b'b'; 98]);
    bytes.extend_from_slice(b"\"\n");
    for limit in [100, 99] {
        let mut reader = RecordReader::new(Box::new(Trickle::new(&bytes, 7)));
        reader.set_line_limit(limit);
        let mut record = Record::default();
        let first = reader.read(&mut record);
        let second = reader.read(&mut record);
        if limit == 100 {
            assert_eq!(first.unwrap(), Some(1));
            assert_eq!(second.unwrap(), Some(2));
            assert_eq!(record.get(0).map(<[u8]>::len), Some(98));
        } else {
            assert!(matches!(first, Err(ReadError::TooLong(_))));
        }
    }
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
