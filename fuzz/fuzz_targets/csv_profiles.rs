//! The profile CSV reader over arbitrary bytes: header detection, encoding and delimiter
//! sniffing, line counting, every row. The first byte chooses the `--delimiter` option.
#![no_main]

use ipneeds::profile_csv::ProfileReader;
use ipneeds::questionnaire::Questionnaire;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn questionnaire() -> &'static Questionnaire {
    static QUESTIONNAIRE: OnceLock<Questionnaire> = OnceLock::new();
    QUESTIONNAIRE.get_or_init(|| Questionnaire::builtin().expect("built-in questionnaire"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let delimiter = match choice % 8 {
        0 => Some(b','),
        1 => Some(b';'),
        2 => Some(b'\t'),
        3 => Some(choice),
        _ => None, // detected, as by default
    };
    let source = Box::new(std::io::Cursor::new(bytes.to_vec()));
    let Ok(mut reader) = ProfileReader::from_reader(source, "fuzz.csv", delimiter, questionnaire())
    else {
        return;
    };
    let _ = reader.encoding();
    while let Some(row) = reader.next_row() {
        let Ok(row) = row else { break };
        assert!(row.line >= 1, "line numbers start at 1");
        let _ = reader.byte_position();
    }
});
