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

#[test]
fn a_last_column_narrower_than_its_longest_word_goes_under_each_row() {
    // 22 columns left beside the others, but a field id of 24: at 64 columns the reasons'
    // `inter_agency_cooperation` ran past the window's edge and wrapped to column 0.
    let mut table = Table::new(&["rank", "score", "program", "why"]).right_align(0);
    table.push(vec![
        "1".into(),
        "68.3".into(),
        "ip-information-access".into(),
        "41.5 · Links · inter_agency_cooperation = 1".into(),
    ]);
    let width = 6 + 7 + 23 + 22;
    let text = table.render(width);
    assert!(
        text.lines().all(|line| line.chars().count() <= width),
        "{text}"
    );
    assert!(
        text.lines().any(|line| line.starts_with("    41.5")),
        "{text}"
    );
    // A word too long for any line does not change the layout.
    table.push(vec!["2".into(), "1.0".into(), "x".into(), "w".repeat(80)]);
    assert!(table
        .render(100)
        .lines()
        .any(|l| l.starts_with("   1  68.3")));
}
