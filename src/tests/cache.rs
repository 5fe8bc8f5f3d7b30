//! Unit tests of `src/cache.rs` (kept apart so the module reads as the code it is).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::catalog::Catalog;
use crate::questionnaire::Questionnaire;

/// What the cache gives back is what parsing gives: no field lost on the way.
#[test]
fn cached_catalog_and_questionnaire_equal_parsed_ones() {
    let dir = std::env::temp_dir().join(format!("ipneeds-cache-unit-{}", std::process::id()));
    let text = include_str!("../../questionnaires/ip-office-profile.yaml");
    let parse = || Questionnaire::from_yaml(text, "q.yaml");
    let fresh = parse().unwrap();
    let _ = parsed_in(Some(&dir), "questionnaire", text, "q.yaml", parse).unwrap();
    let mut read: Questionnaire = parsed_in(Some(&dir), "questionnaire", text, "q.yaml", || {
        panic!("not cached")
    })
    .unwrap();
    // (Debug, not ==: no PartialEq; the id → position map is compared below.)
    assert_eq!(
        format!("{:?}", read.questions),
        format!("{:?}", fresh.questions)
    );
    assert_eq!(format!("{:?}", read.needs), format!("{:?}", fresh.needs));
    assert_eq!(
        format!("{:?}", read.sections),
        format!("{:?}", fresh.sections)
    );
    assert_eq!(
        format!("{:?}", read.scoring),
        format!("{:?}", fresh.scoring)
    );
    assert_eq!(
        (
            &read.id,
            &read.version,
            &read.title,
            &read.description,
            &read.origin
        ),
        (
            &fresh.id,
            &fresh.version,
            &fresh.title,
            &fresh.description,
            &fresh.origin
        )
    );
    // The id → position map is rebuilt by `Questionnaire::load`.
    assert!(read.question("ip_strategy").is_none());
    read = Questionnaire::load(None).unwrap();
    for question in &fresh.questions {
        assert_eq!(read.position(&question.id), fresh.position(&question.id));
    }

    let text = include_str!("../../data/programs.yaml");
    let fresh = Catalog::from_yaml(text, "c.yaml").unwrap();
    let _ = parsed_in(Some(&dir), "catalog", text, "c.yaml", || {
        Catalog::from_yaml(text, "c.yaml")
    });
    let read: Catalog = parsed_in(Some(&dir), "catalog", text, "c.yaml", || {
        panic!("not cached")
    })
    .unwrap();
    assert_eq!(format!("{read:?}"), format!("{fresh:?}"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Beyond the limit, the oldest files go; other files in the directory stay.
#[test]
fn prune_keeps_the_newest_files() {
    let dir = std::env::temp_dir().join(format!("ipneeds-cache-prune-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    for i in 0..MAX_FILES + 5 {
        write(
            &dir.join(format!("index-{i:04}.bin")),
            &[("x".into(), vec![1])],
        )
        .unwrap();
    }
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), MAX_FILES + 1, "{names:?}");
    assert!(names.contains(&"notes.txt".to_string()));
    assert!(names.contains(&format!("index-{:04}.bin", MAX_FILES + 4)));
    let _ = std::fs::remove_dir_all(&dir);
}
