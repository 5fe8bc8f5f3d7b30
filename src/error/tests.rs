//! Unit tests of `src/error.rs`: exit codes by kind, and locations written as messages always were.

use super::*;

#[test]
fn each_kind_has_its_exit_code() {
    let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
    assert_eq!(Error::usage("drop --sheet").exit_code(), 2);
    assert_eq!(
        Error::input(Location::line("a.yaml", 1), "bad").exit_code(),
        2
    );
    assert_eq!(Error::many(["a".to_string()]).exit_code(), 2);
    assert_eq!(
        Error::io("cannot read", Path::new("a.csv"), &missing).exit_code(),
        3
    );
    assert_eq!(Error::Write(missing).exit_code(), 3);
    assert_eq!(Error::internal("index").exit_code(), 4);
}

#[test]
fn locations_read_as_the_messages_always_did() {
    let at = |location: Location| Error::input(location, "fix it").to_string();
    assert_eq!(at(Location::File("a.csv".into())), "a.csv: fix it");
    let line = |column| Location::Line {
        file: "a.yaml".into(),
        line: 3,
        column,
    };
    assert_eq!(at(line(Some(19))), "a.yaml:3:19: fix it");
    assert_eq!(at(line(None)), "a.yaml:3: fix it");
    let column = Location::Column {
        file: "e.csv".into(),
        line: 4,
        column: "grade".into(),
    };
    assert_eq!(at(column), "e.csv:4: column `grade`: fix it");
    let cell = |column: Option<&str>| Location::Cell {
        file: "p.xlsx".into(),
        sheet: "Sheet1".into(),
        cell: "D7".into(),
        column: column.map(str::to_string),
    };
    assert_eq!(at(cell(None)), "p.xlsx Sheet1!D7: fix it");
    assert_eq!(
        at(cell(Some("ip_strategy"))),
        "p.xlsx Sheet1!D7 (column ip_strategy): fix it"
    );
    let many = Error::Many(vec![
        Issue {
            location: Some(Location::Written("a.csv:2".into())),
            message: "one".into(),
        },
        Issue {
            location: None,
            message: "two".into(),
        },
    ]);
    assert_eq!(many.to_string(), "a.csv:2: one\ntwo");
    let io = Error::io(
        "cannot read",
        Path::new("a.csv"),
        &std::io::Error::from(std::io::ErrorKind::NotFound),
    );
    assert_eq!(
        io.to_string(),
        "cannot read a.csv: no such file or directory: check the path"
    );
}

/// Errors a person can act on are said in words, not as "os error 36".
#[test]
fn file_system_errors_are_said_in_words() {
    let said = |code: i32| explain_io(&std::io::Error::from_raw_os_error(code));
    assert_eq!(
        said(libc::ENAMETOOLONG),
        "the name is too long for the file system: give a shorter name"
    );
    assert!(said(libc::ELOOP).starts_with("the path's links point at each other in a loop"));
    assert!(said(libc::EROFS).starts_with("the disk is read-only"));
    assert!(said(libc::ENOSPC).starts_with("the disk is full"));
    assert!(said(libc::EMFILE).contains("raise it (`ulimit -n 1024`)"));
    for code in [libc::ENAMETOOLONG, libc::ELOOP, libc::EROFS, libc::EMFILE] {
        assert!(!said(code).contains("os error"), "{}", said(code));
    }
}
