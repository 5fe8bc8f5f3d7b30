//! The catalog of technical-assistance programs: loading and validation.
//!
//! The built-in catalog is `data/programs.yaml`, embedded in the binary so every command works
//! on a machine with no files around it.

use crate::error::{Error, Result};
use crate::yaml;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::HashMap;

/// The catalog text built into the binary.
pub const BUILTIN_TEXT: &str = include_str!("../data/programs.yaml");
/// How the built-in catalog is named in messages and reports.
pub const BUILTIN_ORIGIN: &str = "<built-in data/programs.yaml>";

/// The list fields of a program that are indexed and searchable, in display order.
pub const TEXT_FIELDS: [&str; 5] = [
    "title",
    "beneficiaries",
    "objectives",
    "activities",
    "outcomes",
];

/// One technical-assistance program.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Program {
    pub id: String,
    pub number: u32,
    /// The program's title as the source document gives it.
    pub title: String,
    /// A shorter title for tables; the full title when the catalog gives none.
    pub short_title: String,
    pub beneficiaries: Vec<String>,
    pub objectives: Vec<String>,
    pub activities: Vec<String>,
    pub outcomes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Where in the source document the program comes from.
    pub source: String,
}

impl Program {
    /// The lines of one searchable field (`title` is a single line).
    pub fn field_lines(&self, field: &str) -> &[String] {
        match field {
            "title" => std::slice::from_ref(&self.title),
            "beneficiaries" => &self.beneficiaries,
            "objectives" => &self.objectives,
            "activities" => &self.activities,
            "outcomes" => &self.outcomes,
            _ => &[],
        }
    }
}

/// A loaded, validated catalog. Programs are sorted by number.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub name: String,
    pub source: String,
    /// The file it came from, or the built-in name.
    pub origin: String,
    pub programs: Vec<Program>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    name: String,
    #[serde(default)]
    source: String,
    programs: Spanned<Vec<ProgramEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgramEntry {
    id: Spanned<String>,
    number: Spanned<u32>,
    title: Spanned<String>,
    #[serde(default)]
    short_title: Option<String>,
    #[serde(default)]
    beneficiaries: Vec<Option<String>>,
    objectives: Spanned<Vec<Option<String>>>,
    #[serde(default)]
    activities: Vec<Option<String>>,
    #[serde(default)]
    outcomes: Vec<Option<String>>,
    #[serde(default)]
    notes: Vec<Option<String>>,
    #[serde(default)]
    source: String,
}

impl Catalog {
    /// The catalog built into the binary.
    pub fn builtin() -> Result<Catalog> {
        Catalog::from_yaml(BUILTIN_TEXT, BUILTIN_ORIGIN)
    }

    /// Loads the built-in catalog, or the file at `path` when one is given.
    pub fn load(path: Option<&std::path::Path>) -> Result<Catalog> {
        match path {
            None => Catalog::builtin(),
            Some(path) => {
                let text = crate::input::read_text(path, crate::limits::FILE_BYTES.get())?;
                Catalog::from_yaml(&text, &path.display().to_string())
            }
        }
    }

    /// Parses and validates catalog YAML; `origin` names the file in messages.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Catalog> {
        let file: CatalogFile = yaml::parse(text, origin)?;
        let mut problems = Vec::new();
        let at = |location: serde_saphyr::Location| {
            format!("{origin}:{}:{}", location.line(), location.column())
        };
        if file.programs.value.is_empty() {
            problems.push(format!(
                "{}: the catalog has no programs: add at least one under `programs:`",
                at(file.programs.referenced)
            ));
        }
        if file.programs.value.len() > crate::limits::PROGRAMS.count() {
            problems.push(format!(
                "{origin}: the catalog has {} programs; {}",
                file.programs.value.len(),
                crate::limits::PROGRAMS.explain()
            ));
        }
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        let mut seen_numbers: HashMap<u32, String> = HashMap::new();
        for entry in &file.programs.value {
            let id = entry.id.value.trim();
            let id_at = at(entry.id.referenced);
            if !is_valid_id(id) {
                problems.push(format!(
                    "{id_at}: program id `{id}` is not usable: use lower-case letters, digits and hyphens, e.g. `legal-assistance`"
                ));
            }
            if let Some(first) = seen_ids.insert(id.to_string(), id_at.clone()) {
                problems.push(format!(
                    "{id_at}: program id `{id}` is used twice (first at {first}): give each program its own id"
                ));
            }
            let number_at = at(entry.number.referenced);
            if entry.number.value == 0 {
                problems.push(format!(
                    "{number_at}: program `{id}` has number 0: numbers start at 1"
                ));
            }
            if let Some(first) = seen_numbers.insert(entry.number.value, number_at.clone()) {
                problems.push(format!(
                    "{number_at}: program number {} is used twice (first at {first}): give each program its own number",
                    entry.number.value
                ));
            }
            if entry.title.value.trim().is_empty() {
                problems.push(format!(
                    "{}: program `{id}` has an empty title: write its title",
                    at(entry.title.referenced)
                ));
            }
            let objectives = &entry.objectives.value;
            if objectives
                .iter()
                .all(|objective| objective.as_deref().is_none_or(|o| o.trim().is_empty()))
            {
                problems.push(format!(
                    "{}: program `{id}` has no objectives: list at least one; programs are scored against their objectives",
                    at(entry.objectives.referenced)
                ));
            }
        }
        if !problems.is_empty() {
            return Err(Error::Many(problems));
        }
        let mut programs: Vec<Program> = file
            .programs
            .value
            .into_iter()
            .map(|entry| {
                let title = entry.title.value.trim().to_string();
                Program {
                    id: entry.id.value.trim().to_string(),
                    number: entry.number.value,
                    short_title: entry
                        .short_title
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| title.clone()),
                    title,
                    beneficiaries: clean(entry.beneficiaries),
                    objectives: clean(entry.objectives.value),
                    activities: clean(entry.activities),
                    outcomes: clean(entry.outcomes),
                    notes: clean(entry.notes),
                    source: entry.source,
                }
            })
            .collect();
        programs.sort_by_key(|program| program.number);
        Ok(Catalog {
            name: file.name,
            source: file.source,
            origin: origin.to_string(),
            programs,
        })
    }

    /// Finds a program by id (case-insensitive) or number.
    pub fn find(&self, key: &str) -> Result<&Program> {
        let key = key.trim();
        let found = match key.parse::<u32>() {
            Ok(number) => self.programs.iter().find(|p| p.number == number),
            Err(_) => self
                .programs
                .iter()
                .find(|p| p.id.eq_ignore_ascii_case(key)),
        };
        found.ok_or_else(|| {
            let hint = crate::suggest::did_you_mean(key, self.programs.iter().map(|p| p.id.as_str()));
            let last = self.programs.last().map_or(0, |p| p.number);
            Error::invalid(format!(
                "no program `{key}` in the catalog{hint}: give a program id or a number from 1 to {last} (`ipneeds programs` lists them)"
            ))
        })
    }
}

/// Program ids are used in CSV headers and URLs: keep them plain.
fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Trims items and drops empty ones (a stray `-` in YAML gives an empty item).
fn clean(items: Vec<Option<String>>) -> Vec<String> {
    items
        .into_iter()
        .flatten()
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
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
        assert!(catalog.find("0").is_err());
    }

    #[test]
    fn items_are_trimmed_empty_ones_dropped_and_programs_sorted() {
        let yaml = r#"
programs:
  - id: second
    number: 2
    title: "  Second  "
    short_title: "   "
    objectives: ["  keep me  ", "", "   "]
    outcomes: [""]
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
        assert!(second.outcomes.is_empty());
        assert_eq!(catalog.programs[0].short_title, "F");
        assert_eq!(catalog.origin, "test.yaml");
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
            "programs:\n  - id: Bad_Id\n    number: 0\n    title: \"  \"\n    objectives: [x]\n  - id: b\n    number: 0\n    title: B\n    objectives: [\"   \"]\n",
        );
        let lines: Vec<&str> = message.lines().collect();
        assert_eq!(lines.len(), 6, "{message}");
        assert!(lines[0].starts_with("test.yaml:2:9: program id `Bad_Id` is not usable"));
        assert!(lines[1].starts_with("test.yaml:3:13: program `Bad_Id` has number 0"));
        assert!(lines[2].starts_with("test.yaml:4:12: program `Bad_Id` has an empty title"));
        assert!(lines[3].starts_with("test.yaml:7:13: program `b` has number 0"));
        assert!(lines[4].contains("program number 0 is used twice (first at test.yaml:3:13)"));
        assert!(lines[5].starts_with("test.yaml:9:17: program `b` has no objectives"));
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
}
