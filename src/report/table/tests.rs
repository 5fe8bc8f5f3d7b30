//! Unit tests of the text table: which last column wraps and which never does.

use super::*;

#[test]
fn a_text_last_column_wraps_to_the_width() {
    let mut table = Table::new(&["id", "why"]);
    table.push(vec![
        "a".into(),
        "one two three four five six seven eight".into(),
    ]);
    let text = table.render(30);
    assert!(text.lines().count() > 2, "{text}");
    assert!(
        text.lines().all(|line| line.chars().count() <= 30),
        "{text}"
    );
}

#[test]
fn a_number_last_column_keeps_its_header_on_one_line() {
    let header = "Countries of no known region (11)";
    let mut table = Table::new(&["program", header]).right_align(1);
    table.push(vec!["national-ip-strategies".into(), "36.5".into()]);
    let text = table.render(30);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].ends_with(header), "{text}");
    // The number stands under the header's last character.
    assert_eq!(lines[1].len(), lines[0].len(), "{text}");
}

#[test]
fn a_last_column_with_no_room_beside_the_others_goes_under_each_row() {
    // At 40 columns the reasons began at column 37 and broke into fragments of a few letters.
    let mut table = Table::new(&["rank", "score", "program", "why"]).right_align(0);
    table.push(vec![
        "1".into(),
        "68.3".into(),
        "ip-information-access".into(),
        "41.5 · A patent information centre · patent_info_center = no".into(),
    ]);
    let text = table.render(40);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "rank  score  program", "{text}");
    assert_eq!(lines[1], "    why", "{text}");
    assert_eq!(lines[2], "   1  68.3   ip-information-access", "{text}");
    assert_eq!(
        lines[3], "    41.5 · A patent information centre ·",
        "{text}"
    );
    assert!(
        text.lines().all(|line| line.chars().count() <= 40),
        "{text}"
    );
    // With room, the column stays beside the others.
    assert_eq!(table.render(100).lines().count(), 2);
}
