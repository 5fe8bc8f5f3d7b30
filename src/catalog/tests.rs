//! Unit tests of `src/catalog.rs` (kept apart so the module reads as the code it is).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// The ids of the twelve programs, in the order of the source document's annex.
const IDS: [&str; 12] = [
    "policy-development",
    "legal-assistance",
    "national-ip-strategies",
    "regional-cooperation",
    "creative-industries-economics",
    "professional-development",
    "ip-administration-capacity",
    "sme-support-institutions",
    "ip-management-training",
    "ip-information-access",
    "university-ip-policies",
    "ip-education",
];

/// Items per program as transcribed: beneficiaries, objectives, activities, outcomes.
const COUNTS: [(usize, usize, usize, usize); 12] = [
    (2, 1, 4, 1),
    (2, 1, 5, 1),
    (2, 1, 3, 3),
    (1, 1, 7, 0),
    (1, 1, 2, 1),
    (1, 1, 2, 8),
    (2, 4, 9, 3),
    (2, 3, 4, 2),
    (2, 1, 3, 2),
    (1, 3, 10, 5),
    (1, 1, 2, 2),
    (1, 2, 5, 2),
];

fn builtin() -> Catalog {
    Catalog::builtin().expect("the built-in catalog loads")
}

fn program<'a>(catalog: &'a Catalog, id: &str) -> &'a Program {
    catalog
        .programs
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no program `{id}` in the built-in catalog"))
}

/// A catalog error message (all problems, one a line).
fn error_of(yaml: &str) -> String {
    match Catalog::from_yaml(yaml, "test.yaml") {
        Ok(catalog) => panic!("expected an error, got {} programs", catalog.programs.len()),
        Err(error) => error.to_string(),
    }
}

#[test]
fn builtin_catalog_has_the_twelve_programs_in_order() {
    let catalog = builtin();
    let ids: Vec<&str> = catalog.programs.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, IDS);
    let numbers: Vec<u32> = catalog.programs.iter().map(|p| p.number).collect();
    assert_eq!(numbers, (1..=12).collect::<Vec<u32>>());
    assert_eq!(catalog.origin, BUILTIN_ORIGIN);
    assert!(
        catalog.name.contains("Recommendation 10"),
        "{}",
        catalog.name
    );
}

#[test]
fn builtin_catalog_item_counts_match_the_source_document() {
    let catalog = builtin();
    for (program, expected) in catalog.programs.iter().zip(COUNTS) {
        let actual = (
            program.beneficiaries.len(),
            program.objectives.len(),
            program.activities.len(),
            program.outcomes.len(),
        );
        assert_eq!(
            actual, expected,
            "program {} `{}`: beneficiaries/objectives/activities/outcomes",
            program.number, program.id
        );
    }
}

#[test]
fn builtin_catalog_spot_checks() {
    let catalog = builtin();
    let professional = program(&catalog, "professional-development");
    assert!(professional
        .outcomes
        .contains(&"Reduction of backlog".to_string()));
    assert!(professional
        .outcomes
        .contains(&"Shorter processing time".to_string()));
    assert_eq!(professional.notes.len(), 1);
    assert!(professional.notes[0].contains("catalogue_2008_e.pdf"));

    let sme = program(&catalog, "sme-support-institutions");
    assert_eq!(
        sme.beneficiaries[0],
        "SME and Creative Industry Support Institutions"
    );
    assert!(sme.beneficiaries[1].starts_with(
        "Such institutions include government institutions responsible for supporting SMEs"
    ));
    assert!(sme.beneficiaries[1].ends_with("They could be national, sub regional or regional"));

    let regional = program(&catalog, "regional-cooperation");
    assert!(regional.outcomes.is_empty());
    assert!(regional.activities[1].contains("(for example in OAPI and ARIPO)"));

    let legal = program(&catalog, "legal-assistance");
    assert_eq!(legal.activities[0], "Advice on draft laws and regulations");
    assert_eq!(
            legal.title,
            "Provision of Legal Assistance to Developing and Least-Developed Countries, as well as to Countries with Economies in Transition"
        );
    // The short title is shorter but not empty; a program without one shows its title.
    assert!(legal.short_title.len() < legal.title.len());
    let policy = program(&catalog, "policy-development");
    assert_eq!(policy.short_title, policy.title);
    assert_eq!(
        policy.source,
        "Recommendation 10 menu of options, Annex, item 1"
    );

    let education = program(&catalog, "ip-education");
    assert_eq!(
            education.outcomes,
            [
                "Inclusion of IP in the curricula of educational institutions",
                "Greater availability of qualified human resources in IP, particularly in developing countries",
            ]
        );
}

#[test]
fn builtin_catalog_items_carry_no_transcription_debris() {
    let catalog = builtin();
    for program in &catalog.programs {
        let titles = [&program.title, &program.short_title];
        let lists = [
            &program.beneficiaries,
            &program.objectives,
            &program.activities,
            &program.outcomes,
            &program.notes,
        ];
        let items = titles
            .into_iter()
            .chain(lists.into_iter().flat_map(|list| list.iter()));
        for item in items {
            let at = format!("program {} item {item:?}", program.number);
            assert!(!item.contains("AUTONUM"), "{at}: Word field code");
            assert!(!item.contains('\t'), "{at}: tab");
            assert!(
                !item.contains('\n') && !item.contains('\r'),
                "{at}: line break"
            );
            assert!(!item.starts_with("- "), "{at}: list marker");
            assert!(!item.is_empty(), "{at}: empty");
            assert_eq!(item.trim(), item.as_str(), "{at}: surrounding spaces");
        }
        assert!(!program.title.is_empty());
        assert!(program.source.contains(&format!("item {}", program.number)));
    }
}

#[test]
fn find_accepts_numbers_and_ids_in_any_case() {
    let catalog = builtin();
    assert_eq!(catalog.find("6").unwrap().id, "professional-development");
    assert_eq!(catalog.find(" 6 ").unwrap().id, "professional-development");
    assert_eq!(catalog.find("LEGAL-ASSISTANCE").unwrap().number, 2);
    assert_eq!(catalog.find("ip-education").unwrap().number, 12);
}

#[test]
fn find_explains_what_is_missing() {
    let catalog = builtin();
    let message = catalog.find("legal-asistance").unwrap_err().to_string();
    assert!(
        message.contains("did you mean `legal-assistance`"),
        "{message}"
    );
    let message = catalog.find("99").unwrap_err().to_string();
    assert!(message.contains("no program `99`"), "{message}");
    assert!(message.contains("from 1 to 12"), "{message}");
    assert!(!message.contains("ipneeds search"), "{message}");
    assert!(catalog.find("0").is_err());
    // A word that is no id points to the search that finds programs by their words.
    let message = catalog.find("examiners").unwrap_err().to_string();
    assert!(
        message.ends_with("to find programs by a word: `ipneeds search examiners`"),
        "{message}"
    );
}

#[test]
fn items_are_trimmed_and_programs_sorted() {
    let yaml = r#"
programs:
  - id: second
    number: 2
    title: "  Second  "
    short_title: "   "
    objectives: ["  keep me  "]
  - id: first
    number: 1
    title: First
    short_title: " F "
    objectives: [one]
"#;
    let catalog = Catalog::from_yaml(yaml, "test.yaml").unwrap();
    let ids: Vec<&str> = catalog.programs.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["first", "second"]);
    let second = &catalog.programs[1];
    assert_eq!(second.title, "Second");
    assert_eq!(
        second.short_title, "Second",
        "a blank short title falls back"
    );
    assert_eq!(second.objectives, ["keep me"]);
    assert_eq!(catalog.programs[0].short_title, "F");
    assert_eq!(catalog.origin, "test.yaml");
    // An empty item is refused where it stands, never dropped: the items after it keep
    // their numbers (a JSON row's `matched.line`).
    let message = error_of(&yaml.replace(r#"["  keep me  "]"#, r#"["  keep me  ", "", "  "]"#));
    assert!(
        message.contains("test.yaml:7:33: an empty item in `objectives` of program `second`"),
        "{message}"
    );
    assert!(message.contains("test.yaml:7:37"), "{message}");
}

#[test]
fn duplicate_ids_name_both_places() {
    let message = error_of(
            "programs:\n  - id: a\n    number: 1\n    title: A\n    objectives: [x]\n  - id: a\n    number: 2\n    title: B\n    objectives: [y]\n",
        );
    assert!(message.contains("test.yaml:6:9"), "{message}");
    assert!(message.contains("used twice"), "{message}");
    assert!(message.contains("first at test.yaml:2:9"), "{message}");
}

#[test]
fn validation_reports_every_problem_at_once() {
    let message = error_of(
            "programs:\n  - id: Bad_Id\n    number: 0\n    title: \"  \"\n    objectives: [x]\n  - id: b\n    number: -6\n    title: B\n    objectives: [\"   \"]\n",
        );
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines.len(), 5, "{message}");
    assert!(lines[0].starts_with("test.yaml:2:9: program id `Bad_Id` is not usable"));
    assert!(
        lines[1].starts_with("test.yaml:3:13: program `Bad_Id` has number 0: numbers start at 1")
    );
    assert!(lines[2].starts_with("test.yaml:4:12: program `Bad_Id` has an empty title"));
    // A negative number is the catalog's own problem, not a parser's "from 0 to 4294967295"
    // (which named 0 as allowed), and a refused number is not also "used twice".
    assert!(
        lines[3].starts_with("test.yaml:7:13: program `b` has number -6: numbers start at 1"),
        "{message}"
    );
    assert!(lines[4].starts_with("test.yaml:9:17: program `b` has no objectives"));
}

#[test]
fn structural_errors_point_at_the_line() {
    let message = error_of("programs: []\n");
    assert!(message.starts_with("test.yaml:1:11:"), "{message}");
    assert!(message.contains("no programs"), "{message}");

    let message =
        error_of("programs:\n  - id: a\n    number: 1\n    title: A\n    objectivs: [x]\n");
    assert!(message.starts_with("test.yaml:5:5:"), "{message}");
    assert!(message.contains("`objectivs`"), "{message}");
    assert!(message.contains("objectives"), "{message}");

    let message =
        error_of("programs:\n  - id: a\n    number: one\n    title: A\n    objectives: [x]\n");
    assert!(message.starts_with("test.yaml:3:13:"), "{message}");

    let message = error_of("name: x\n");
    assert!(message.contains("programs"), "{message}");

    let message = error_of("  \n\n");
    assert!(
        message.contains("test.yaml: the file is empty"),
        "{message}"
    );
}
