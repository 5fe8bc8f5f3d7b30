//! What the test modules share (`use crate::prelude::*`): the library's items, named here
//! only, so that an item moving in `src/` is one edit; the runner of the binary; and the
//! built-in data, loaded once for the whole suite.

pub use crate::harness::{repo, Ipneeds, Output, AS_OF};

pub use ipneeds::catalog::index::CatalogIndex;
pub use ipneeds::catalog::BUILTIN_TEXT as CATALOG_TEXT;
pub use ipneeds::catalog::{Catalog, Program};
pub use ipneeds::eval::evaluate_files;
pub use ipneeds::profile::answers;
pub use ipneeds::profile::countries::Countries;
pub use ipneeds::profile::date::Date;
pub use ipneeds::profile::parse_answer;
pub use ipneeds::profile::questionnaire::BUILTIN_TEXT as QUESTIONNAIRE_TEXT;
pub use ipneeds::profile::questionnaire::{QuestionType, Questionnaire};
pub use ipneeds::profile::rows::ProfileReader;
pub use ipneeds::profile::Profile;
pub use ipneeds::profile::Value as ProfileValue;
pub use ipneeds::report::html::{batch_overview, country_report, escape, OverviewRow};
pub use ipneeds::report::CountryReport;
pub use ipneeds::scoring::{ProgramScore, Scorer};

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
