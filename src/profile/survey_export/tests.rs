//! Unit tests of `src/survey_export.rs`: headers of KoboToolbox and ODK Central exports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn builtin() -> Questionnaire {
    Questionnaire::builtin().unwrap()
}

fn names(header: &str, separator: char) -> Vec<String> {
    header
        .split(separator)
        .map(|n| n.trim_matches('"').to_lowercase())
        .collect()
}

fn layout(header: &str, separator: char, questionnaire: &Questionnaire) -> Layout {
    recognise(
        &names(header, separator),
        questionnaire,
        &HeaderPlace::new("export.csv", 1, None),
    )
    .unwrap()
    .unwrap()
}

fn field(name: &str) -> ExportColumn {
    ExportColumn::Field(name.to_string())
}

#[test]
fn a_plain_header_is_no_export() {
    let header = names("id,country,ip_strategy,start,key", ',');
    assert_eq!(
        recognise(&header, &builtin(), &HeaderPlace::new("plain.csv", 1, None)).unwrap(),
        None
    );
}

#[test]
fn a_kobo_header_maps_group_paths_and_ignores_meta() {
    let header = "\"start\";\"end\";\"context/country\";\"context/regional_system\";\"context/regional_system/aripo\";\"policy_and_law/ip_strategy\";\"context/favourite_colour\";\"_id\";\"_uuid\";\"_submission_time\";\"_validation_status\";\"__version__\";\"_index\"";
    let layout = layout(header, ';', &builtin());
    assert_eq!(layout.tool, Tool::Kobo);
    assert_eq!(
        layout.columns,
        vec![
            ExportColumn::Meta,
            ExportColumn::Meta,
            field("country"),
            field("regional_system"),
            // The joined column is there: the split one only checks it.
            ExportColumn::Repeat {
                field: "regional_system".into(),
                value: "aripo".into()
            },
            field("ip_strategy"),
            ExportColumn::Unknown,
            ExportColumn::Meta,
            ExportColumn::RowId,
            ExportColumn::SubmissionDate,
            ExportColumn::Meta,
            ExportColumn::Meta,
            ExportColumn::Meta,
        ]
    );
}

#[test]
fn an_odk_central_header_maps_dashed_paths_and_keeps_key_as_row_id() {
    let header = "SubmissionDate,context-country,context-regional_system/aripo,context-regional_system/oapi,policy_and_law-ip_strategy,meta-instanceID,KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion";
    let layout = layout(header, ',', &builtin());
    assert_eq!(layout.tool, Tool::OdkCentral);
    let choice = |value: &str| ExportColumn::Choice {
        field: "regional_system".into(),
        value: value.into(),
        listed: true,
    };
    let mut expected = vec![
        ExportColumn::SubmissionDate,
        field("country"),
        // No joined column: the answer is rebuilt from the split ones.
        choice("aripo"),
        choice("oapi"),
        field("ip_strategy"),
        ExportColumn::Meta,
        ExportColumn::RowId,
    ];
    expected.extend(std::iter::repeat_n(ExportColumn::Meta, 9));
    assert_eq!(layout.columns, expected);
}

#[test]
fn an_id_column_wins_over_the_submission_id() {
    let layout = layout("id,SubmissionDate,context-country,KEY", ',', &builtin());
    assert_eq!(
        layout.columns,
        vec![
            ExportColumn::RowId,
            ExportColumn::SubmissionDate,
            field("country"),
            ExportColumn::Meta
        ]
    );
}

#[test]
fn ids_are_matched_whole_after_a_separator_never_inside_an_id() {
    // `ip_strategy` and `strategy` are both ids: `…-ip_strategy` is the first (`_` is part of
    // an id, not a separator); a group path may hold `-` itself.
    let text = include_str!("../../../questionnaires/ip-office-profile.yaml")
        .replace("legislation_status", "strategy");
    let questionnaire = Questionnaire::from_yaml(&text, "ids.yaml").unwrap();
    let header =
        "SubmissionDate,policy_and_law-ip_strategy,policy_and_law-strategy,my-group-x-country,KEY";
    let layout = layout(header, ',', &questionnaire);
    assert_eq!(
        layout.columns[1..4],
        [field("ip_strategy"), field("strategy"), field("country")]
    );
}

#[test]
fn two_columns_for_one_question_are_refused() {
    let header = names("SubmissionDate,a-ip_strategy,b-ip_strategy,KEY", ',');
    let error = recognise(
        &header,
        &builtin(),
        &HeaderPlace::new("export.csv", 1, None),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains(
            "export.csv:1: columns `a-ip_strategy` and `b-ip_strategy` (columns 2 and 3) both hold question `ip_strategy`"
        ),
        "{error}"
    );
}

#[test]
fn a_kobo_export_with_labels_says_which_option_to_choose() {
    for header in [
        "\"start\";\"Which country is this profile for?\";\"_uuid\";\"_submission_time\"",
        "\"Context/Which country is this profile for?\";\"ip_strategy\";\"_uuid\"",
        "\"Start\";\"End\";\"Favourite colour\";\"_uuid\"",
    ] {
        let error = recognise(
            &names(header, ';'),
            &builtin(),
            &HeaderPlace::new("kobo.csv", 1, None),
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.starts_with("kobo.csv:1: this looks like a KoboToolbox export with labels"),
            "{error}"
        );
        assert!(
            error.contains("'XML values and headers' (Data → Downloads → Value and header format)"),
            "{error}"
        );
    }
}

#[test]
fn submission_times_give_their_date() {
    let date = |text: &str| submission_date(text).ok().map(|d| d.to_string());
    assert_eq!(date("2024-03-05T10:22:31").as_deref(), Some("2024-03-05"));
    assert_eq!(
        date("2024-03-05T10:22:31.123Z").as_deref(),
        Some("2024-03-05")
    );
    assert_eq!(date(" 2024-03-05 ").as_deref(), Some("2024-03-05"));
    assert!(submission_date(" ")
        .unwrap_err()
        .contains("the submission time is empty"));
    let error = submission_date("05/03/2024 10:22").unwrap_err();
    assert!(error.contains("`05/03/2024 10:22`"), "{error}");
    assert!(error.contains("--as-of"), "{error}");
    assert!(submission_date("2024-02-30T00:00:00").is_err());
    // The time is checked too: a time no survey tool writes is a damaged row (found by fuzzing).
    for time in [
        "00:00",
        "23:59:60",
        "10:22:31.5+03:00",
        "10:22:31-0500",
        "10:22:31+14",
    ] {
        let text = format!("2024-03-05T{time}");
        assert_eq!(date(&text).as_deref(), Some("2024-03-05"), "{text}");
    }
    for time in [
        "25:00:00",
        "10:22:31+99:00",
        "10:61",
        "10",
        "10:22:31.",
        "10:22:31 x",
    ] {
        let text = format!("2024-03-05T{time}");
        assert!(submission_date(&text).is_err(), "{text}");
    }
}

#[test]
fn split_columns_rebuild_the_answer() {
    assert_eq!(choice_marked("1"), Ok(Some(true)));
    assert_eq!(choice_marked(" 0 "), Ok(Some(false)));
    assert_eq!(choice_marked(""), Ok(None));
    // A spreadsheet's TRUE and FALSE (a workbook's boolean cell, or typed).
    assert_eq!(choice_marked("TRUE"), Ok(Some(true)));
    assert_eq!(choice_marked("false"), Ok(Some(false)));
    assert!(choice_marked("yes")
        .unwrap_err()
        .contains("1 (chosen) or 0"));
    let mut split = SplitAnswers::default();
    split.add("regional_system", "aripo", Some(true));
    split.add("other_multi", "a", None);
    split.add("regional_system", "oapi", Some(false));
    split.add("regional_system", "epo", Some(true));
    split.add("third", "x", Some(false));
    let cells: Vec<(&str, String)> = split.cells().collect();
    assert_eq!(
        cells,
        vec![
            ("regional_system", "aripo;epo".to_string()),
            ("other_multi", String::new()),
            ("third", String::new()),
        ]
    );
}
