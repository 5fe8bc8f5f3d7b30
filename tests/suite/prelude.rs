//! What the test modules share (`use crate::prelude::*`): the library's items, named here
//! only, so that an item moving in `src/` is one edit; the runner of the binary; and the
//! built-in data, loaded once for the whole suite.

#[cfg(unix)]
pub use crate::harness::full_device;
pub use crate::harness::{repo, Ipneeds, Output, AS_OF};

pub use ipneeds::parse_answer;
pub use ipneeds::parse_answers_file;
pub use ipneeds::CatalogIndex;
pub use ipneeds::Countries;
pub use ipneeds::CountryReport;
pub use ipneeds::Date;
pub use ipneeds::Profile;
pub use ipneeds::ProfileReader;
pub use ipneeds::Value as ProfileValue;
pub use ipneeds::CATALOG_TEXT;
pub use ipneeds::QUESTIONNAIRE_TEXT;
pub use ipneeds::{batch_overview, country_report, escape, OverviewRow};
pub use ipneeds::{evaluate_files, Evaluation, TableFile};
pub use ipneeds::{Catalog, Program};
pub use ipneeds::{ProgramScore, Scorer};
pub use ipneeds::{QuestionType, Questionnaire};

use std::sync::OnceLock;

/// The built-in catalog, parsed once.
pub fn builtin_catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::builtin().unwrap())
}

/// The built-in questionnaire, parsed once.
pub fn builtin_questionnaire() -> &'static Questionnaire {
    static QUESTIONNAIRE: OnceLock<Questionnaire> = OnceLock::new();
    QUESTIONNAIRE.get_or_init(|| Questionnaire::builtin().unwrap())
}

/// The built-in catalog and questionnaire, for a test of its own to own.
pub fn builtins() -> (Catalog, Questionnaire) {
    (
        Catalog::builtin().unwrap(),
        Questionnaire::builtin().unwrap(),
    )
}

/// A profile of `(field, value)` answers, each from the place `test:FIELD`; fails on any
/// problem with them.
pub fn profile(questionnaire: &Questionnaire, entries: &[(&str, &str)]) -> Profile {
    let (profile, problems) = Profile::from_entries(
        questionnaire,
        entries
            .iter()
            .map(|(field, value)| (*field, *value, format!("test:{field}"))),
    );
    assert!(problems.is_empty(), "{problems:?}");
    profile
}

/// The 1-based line of the first line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` not found"))
        + 1
}
