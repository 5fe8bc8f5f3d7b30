//! The three YAML loaders on the same bytes: catalog, questionnaire and answers file.
//! Whatever the text, each returns Ok or Err; a file that loads is also used (indexed,
//! searched, scored), as the commands would.
#![no_main]

use ipneeds::Catalog;
use ipneeds::Questionnaire;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn builtin() -> &'static (Catalog, Questionnaire) {
    static BUILTIN: OnceLock<(Catalog, Questionnaire)> = OnceLock::new();
    BUILTIN.get_or_init(|| {
        (
            Catalog::builtin().expect("built-in catalog"),
            Questionnaire::builtin().expect("built-in questionnaire"),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    // The commands read YAML as UTF-8 and refuse anything else before parsing.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (catalog, questionnaire) = builtin();

    if let Ok(loaded) = Catalog::from_yaml(text, "fuzz.yaml") {
        if let Ok(index) = ipneeds::CatalogIndex::build(&loaded) {
            let _ = index.search(&loaded, "patent information", 3);
        }
    }

    if let Ok(loaded) = Questionnaire::from_yaml(text, "fuzz.yaml") {
        let answers = include_str!("../../questionnaires/examples/example-answers.yaml");
        if let Ok(parsed) = ipneeds::parse_answers_file(answers, "answers.yaml", &loaded) {
            if let Ok(scorer) = ipneeds::Scorer::new(catalog, &loaded) {
                let _ = scorer.score(&parsed.profile, true);
            }
        }
    }

    if let Ok(parsed) = ipneeds::parse_answers_file(text, "fuzz.yaml", questionnaire) {
        if let Ok(comments) = ipneeds::answers_comments(text, "fuzz.yaml") {
            let _ = ipneeds::answers_to_yaml(&parsed.profile, questionnaire, &comments);
        }
    }
});
