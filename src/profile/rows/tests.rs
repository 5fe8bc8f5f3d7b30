//! Unit tests of `src/profile/rows.rs`: a CSV's encoding.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// Western European text in Windows-1252 mixes accented letters with plain ones: it is read,
/// never taken for another code page.
#[test]
fn western_european_words_are_read_as_windows_1252() {
    let text = "Pénurie d'examinateurs à Abidjan; São Tomé e Príncipe; Überprüfung, Größe, Ärger; \
                Ñandú, EL NIÑO, Œuvre, Škoda, Žilina; 1½ × 3 °C; ÉCOLE; Ça; Åbo Ö; \
                Systemet klarar inte åäö i namn; æøå; Umlaute (ÄÖÜ); þýð, bláæð; güçü";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'Œ' => 0x8C,
            'Š' => 0x8A,
            'Ž' => 0x8E,
            c => u8::try_from(u32::from(c)).unwrap(),
        })
        .collect();
    assert_eq!(word_without_latin_letters(&bytes), None);
    assert_eq!(
        detect_encoding(&bytes, "t.csv", 1).unwrap(),
        Encoding::Windows1252
    );
}

/// Excel for Mac's "CSV (Macintosh)" is Mac Roman: read so, it gives the text typed; read as
/// Windows-1252 it would give `C™te d’Ivoire`, `RŽpublique`, `a–o`. Windows text stays
/// Windows-1252, however its letters read in Mac Roman.
#[test]
fn mac_roman_is_told_from_windows_1252_by_what_its_letters_read_as() {
    for text in [
        "Côte d’Ivoire: l’office a un arriéré",
        "São Tomé e Príncipe; República",
        "el niño, año, España",
        "café à Zürich",
    ] {
        let mac = encoding_rs::MACINTOSH.encode(text).0;
        let windows = encoding_rs::WINDOWS_1252.encode(text).0;
        assert_ne!(mac, windows, "{text}");
        assert_eq!(
            detect_encoding(&mac, "t.csv", 1).unwrap(),
            Encoding::MacRoman,
            "{text}"
        );
        assert_eq!(decode(&mac, Encoding::MacRoman).unwrap(), text);
        let detected = detect_encoding(&windows, "t.csv", 1).unwrap();
        assert_eq!(detected, Encoding::Windows1252, "{text}");
    }
    // Quotes and dashes alone read as punctuation either way: Windows-1252.
    let quotes = encoding_rs::WINDOWS_1252
        .encode("the office’s “backlog” – IP—and 2010–2015")
        .0;
    assert_eq!(
        detect_encoding(&quotes, "t.csv", 1).unwrap(),
        Encoding::Windows1252
    );
}

/// Cyrillic, Greek and Arabic code pages, read as Windows-1252, give long words of accented
/// letters only: refused at their line.
#[test]
fn other_code_pages_are_refused_at_their_line() {
    // "Казахстан" (Windows-1251), "Ελλάδα" (Windows-1253), "القاهرة" (Cairo, Windows-1256).
    for (word, shown) in [
        (&b"\xCA\xE0\xE7\xE0\xF5\xF1\xF2\xE0\xED"[..], "Êàçàõñòàí"),
        (&b"\xC5\xEB\xEB\xDC\xE4\xE1"[..], "ÅëëÜäá"),
        (&b"\xC7\xE1\xDE\xC7\xE5\xD1\xC9"[..], "ÇáÞÇåÑÉ"),
    ] {
        let mut bytes = b"id,country\nr1,UGA\n".to_vec();
        bytes.extend_from_slice(word);
        bytes.extend_from_slice(b",X\n");
        let error = detect_encoding(&bytes, "t.csv", 1).unwrap_err().to_string();
        assert!(
            error.contains("t.csv:3: the file is not UTF-8") && error.contains(shown),
            "{error}"
        );
    }
}
