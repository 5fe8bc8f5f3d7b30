use super::*;

/// Every cell shape the packing meets: letters of both cases, digits, punctuation, spaces at
/// either end, bytes above ASCII, and every length around the 15-byte limit.
#[test]
fn packing_in_place_agrees_with_packing_byte_by_byte() {
    let alphabet: &[u8] = b"aZz@[`{AmM09_- ;\t\xC3\xA9";
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut agreed = 0;
    for _ in 0..50_000 {
        let length = (next() % 18) as usize;
        let cell: Vec<u8> = (0..length)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        // The cell inside a record, with other bytes after it (as the next cells are), or
        // none (the record's last cell).
        let mut all = b"id,".to_vec();
        let start = all.len();
        all.extend_from_slice(&cell);
        let after: &[u8] = if next() % 2 == 0 {
            b"NEXTCELLSNEXTCELLS"
        } else {
            b""
        };
        all.extend_from_slice(after);
        if let Some(word) = packed_in_place(&all, start..start + length) {
            assert_eq!(
                Some(word),
                packed(&cell),
                "{:?}",
                String::from_utf8_lossy(&cell)
            );
            agreed += 1;
        }
    }
    assert!(agreed > 5_000, "{agreed}");
}

#[test]
fn cells_at_the_end_of_a_record_pack_as_the_others_do() {
    let all = b"p1,FULL";
    assert_eq!(packed_in_place(all, 3..7), packed(b"full"));
    assert_eq!(packed_in_place(all, 3..8), None);
    assert_eq!(packed(b"FULL"), packed(b"full"));
}

#[test]
fn a_word_is_found_only_when_exactly_one_matches() {
    let words: Vec<u128> = ["none", "partial", "full"]
        .iter()
        .filter_map(|w| packed(w.as_bytes()))
        .collect();
    assert_eq!(find_word(&words, packed(b"Partial").unwrap_or(0)), Some(1));
    assert_eq!(find_word(&words, packed(b"half").unwrap_or(0)), None);
    let twice = [words[0], words[0]];
    assert_eq!(find_word(&twice, words[0]), None);
}

/// Values are cut after 60 characters, whatever their bytes.
#[test]
fn shown_values_are_cut_after_sixty_characters() {
    let shown = |value: &str| {
        let mut cell = String::new();
        push_shown_value(&mut cell, value);
        cell
    };
    let sixty = "a".repeat(60);
    assert_eq!(shown(&sixty), sixty);
    assert_eq!(shown(&format!("{sixty}b")), format!("{sixty}…"));
    let accented = "é".repeat(61);
    assert_eq!(shown(&accented), format!("{}…", "é".repeat(60)));
    assert_eq!(
        shown(&format!("{}é", "a".repeat(59))),
        format!("{}é", "a".repeat(59))
    );
    assert_eq!(shown("two\nlines"), "two lines");
}

/// A word as a cell packs it (every spelling in these tests packs).
fn word(spelling: &str) -> Result<u128, String> {
    packed(spelling.as_bytes()).ok_or(format!("{spelling:?} does not pack"))
}

/// Every spelling in a table is found with its value, and words it does not hold (other
/// spellings, other lengths, other cases of a byte past the eighth) are not.
#[test]
fn a_word_table_finds_its_words_and_no_other() -> Result<(), String> {
    let spellings = [
        "none",
        "partial",
        "full",
        "outdated",
        "up_to_date",
        "yes",
        "y",
        "1",
        "0",
        "no",
        "widespread",
        "aripo",
        "oapi",
        "functional",
        "organised_ip",
        "organised_iq",
    ];
    let words = spellings
        .iter()
        .enumerate()
        .map(|(i, s)| Ok((word(s)?, i)))
        .collect::<Result<Vec<(u128, usize)>, String>>()?;
    let table = WordTable::new(&words, usize::MAX).ok_or("no table")?;
    for &(word, value) in &words {
        assert_eq!(table.get(word), Some(value));
    }
    for other in [
        "non",
        "nonee",
        "full ",
        "2",
        "organised_i",
        "organised_ir",
        "",
        "x",
    ] {
        assert_eq!(table.get(word(other)?), None, "{other}");
    }
    // A cell in capitals packs to the same word.
    assert_eq!(table.get(word("UP_TO_DATE")?), Some(4));
    // Two equal words cannot share a table.
    let twice = [(word("yes")?, 0), (word("YES")?, 1)];
    assert!(WordTable::new(&twice, usize::MAX).is_none());
    Ok(())
}

/// A question's table reads a cell as the general parser does, for every plain spelling.
#[test]
fn word_tables_read_cells_as_parse_cell_does() -> Result<(), String> {
    let questionnaire =
        crate::profile::questionnaire::Questionnaire::builtin().map_err(|e| e.to_string())?;
    let booleans = boolean_words();
    let mut tabled = 0;
    for question in &questionnaire.questions {
        let compiled = compile_question(question, &booleans);
        let Some(table) = &compiled.words else {
            continue;
        };
        let mut spellings: Vec<String> = question.values.clone();
        spellings
            .extend(["yes", "no", "True", "N", "0", "1", "3", "5", "6", "x"].map(String::from));
        for spelling in spellings {
            let Some(slot) = table.get(word(&spelling)?) else {
                continue;
            };
            tabled += 1;
            let parsed = crate::profile::parse_answer(question, &spelling)?
                .ok_or(format!("{spelling} parses to nothing"))?;
            assert_eq!(
                shown(&compiled, slot),
                Some(parsed.to_text()),
                "{}: {spelling}",
                question.id
            );
        }
    }
    assert!(tabled > 50, "only {tabled} spellings were tabled");
    Ok(())
}

/// An answer as the reasons show it, for the slots a table holds.
fn shown(question: &CompiledQuestion, slot: Slot) -> Option<String> {
    Some(match slot {
        Slot::Bool(b) => (if b { "yes" } else { "no" }).to_string(),
        Slot::Choice(i) => question.values.get(usize::from(i))?.clone(),
        Slot::Integer(n) => n.to_string(),
        Slot::Multi(bits) => {
            let mut out = String::new();
            write_multi(&mut out, &question.values, bits);
            out
        }
        _ => return None,
    })
}

#[test]
fn words_with_white_space_at_either_end_stay_out_of_the_tables() {
    let spaced = |bytes: &[u8]| packed(bytes).is_some_and(space_at_either_end);
    assert!(spaced(b" yes") && spaced(b"yes ") && spaced(b"\tno") && spaced(b" "));
    assert!(
        !spaced(b"in progress") && !spaced(b"y") && !spaced(b"") && !spaced(b"15 chars long !")
    );
    // A cell with spaces around a spelling packs as itself, finds no word, and is left to the
    // general parser (which trims it).
    let all = b"p1, full ,x";
    assert_eq!(packed_in_place(all, 3..9), packed(b" full "));
    assert_ne!(packed_in_place(all, 3..9), packed(b"full"));
}
