//! Unit tests of `src/cache.rs` (kept apart so the module reads as the code it is).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::catalog::Catalog;
use crate::profile::questionnaire::Questionnaire;

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
    let shown = |q: &Questionnaire| {
        let about = (&q.id, &q.version, &q.title, &q.description, &q.origin);
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n{about:?}",
            q.questions, q.needs, q.sections, q.scoring
        )
    };
    assert_eq!(shown(&read), shown(&fresh));
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

/// Beyond the limit, the oldest files go; other files in the directory stay, even those whose
/// names start like the cache's (issue 14: a user's `catalog-notes-1.yaml` was deleted).
#[test]
fn prune_keeps_the_newest_files_and_every_file_not_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let users = [
        "notes.txt",
        "catalog-notes-1.yaml",
        "questionnaire-answers.txt",
        "index-0000000000000000.bin.bak",
        "relevance-00000000000000zz.bin",
        "catalog-0000000000000001.yaml",
        "index-0000000000000002.bin.tmpme",
        "catalog-0123456789ABCDEF.bin",
    ];
    for name in users {
        std::fs::write(dir.join(name), "mine").unwrap();
    }
    for i in 0..MAX_FILES + 5 {
        write(
            &dir.join(format!("index-{i:016x}.bin")),
            &[("x".into(), vec![1])],
        )
        .unwrap();
    }
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), MAX_FILES + users.len(), "{names:?}");
    for name in users {
        assert!(names.contains(&name.to_string()), "{name} was deleted");
    }
    assert!(names.contains(&format!("index-{:016x}.bin", MAX_FILES + 4)));
}

#[test]
fn cache_names_are_recognised_whole() {
    assert_eq!(named("index-0123456789abcdef.bin"), Named::Entry);
    assert_eq!(named("questionnaire-0123456789abcdef.bin"), Named::Entry);
    assert_eq!(
        named("catalog-0123456789abcdef.bin.tmp42"),
        Named::Temporary(42)
    );
    for name in [
        "index-0123456789abcdef.bin.tmp",
        "index-0123456789abcde.bin",
        "indexes-0123456789abcdef.bin",
        "catalog-notes-1.yaml",
        "index-0123456789abcdef.binx",
        "index-0123456789abcdef.bin.tmp4x2",
    ] {
        assert_eq!(named(name), Named::Other, "{name}");
    }
}

/// A temporary file of a run that is gone (a full disk, a kill) is removed by the next write;
/// one of a live run is kept.
#[cfg(target_os = "linux")]
#[test]
fn temporary_files_of_gone_runs_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let gone = dir.join("index-0000000000000001.bin.tmp999999999");
    let live = dir.join(format!(
        "index-0000000000000002.bin.tmp{}",
        std::process::id()
    ));
    std::fs::write(&gone, "x").unwrap();
    std::fs::write(&live, "x").unwrap();
    write(
        &dir.join("index-0000000000000003.bin"),
        &[("x".into(), vec![1])],
    )
    .unwrap();
    assert!(!gone.exists(), "the gone run's file stays");
    assert!(live.exists(), "a live run's file was deleted");
}

/// A write that fails leaves no temporary file (issue 14: one set per run on a full disk).
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // The rename fails: its target is a non-empty directory.
    let target = dir.path().join("index-0000000000000004.bin");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("x"), "x").unwrap();
    assert!(write(&target, &[("x".into(), vec![1])]).is_err());
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

/// A cache file answers only under its own name, which is its key: one copied over another
/// entry's name (a synced or shared cache folder) is not read as that entry.
#[test]
fn a_cache_file_under_another_entrys_name_is_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let own = entry(dir.path(), "catalog", 1);
    let other = entry(dir.path(), "catalog", 2);
    let files = vec![("catalog".to_string(), b"{}".to_vec())];
    write(&own, &files).unwrap();
    assert_eq!(read(&own), Some(files));
    std::fs::copy(&own, &other).unwrap();
    assert_eq!(read(&other), None);
}

/// The index is built with the words kept apart from the stemmer: another list is another
/// index, never the one saved for the first.
#[test]
fn the_index_key_changes_with_the_words_kept_apart() {
    let mut catalog = Catalog::builtin().unwrap();
    let builtin = catalog_key(&catalog);
    let text = format!(
        "{}  - words: [practical]\n",
        crate::catalog::synonyms::BUILTIN_TEXT
    );
    catalog.synonyms = crate::catalog::synonyms::Synonyms::from_yaml(&text, "s.yaml").unwrap();
    assert_ne!(catalog_key(&catalog), builtin);
    catalog.synonyms = crate::catalog::synonyms::Synonyms::builtin().unwrap();
    assert_eq!(catalog_key(&catalog), builtin);
}
