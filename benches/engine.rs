//! Library benchmarks: `cargo bench`. Index build and search at 12 (built-in), 1,000 and 10,000
//! programs (synthetic catalogs recombined from the built-in text), one profile's scoring with
//! structured answers and with free text, and the scorer's set-up.
#![allow(clippy::expect_used)] // a benchmark fails loudly on broken built-in data

use ipneeds::CatalogIndex;
use ipneeds::Profile;
use ipneeds::Questionnaire;
use ipneeds::Scorer;
use ipneeds::{Catalog, Program};

fn main() {
    divan::main();
}

/// A catalog of `size` programs whose lines are drawn from the built-in catalog.
fn synthetic_catalog(size: usize) -> Catalog {
    let mut catalog = Catalog::builtin().expect("built-in catalog");
    if size == catalog.programs.len() {
        return catalog;
    }
    let base = catalog.programs.clone();
    let mut state: u64 = 0x5EED;
    let mut pick = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut lines = |field: fn(&Program) -> &Vec<String>, count: usize| -> Vec<String> {
        (0..count)
            .map(|_| {
                let program = &base[pick(base.len())];
                let items = field(program);
                if items.is_empty() {
                    program.title.clone()
                } else {
                    items[pick(items.len())].clone()
                }
            })
            .collect()
    };
    catalog.programs = (0..size)
        .map(|i| Program {
            id: format!("program-{i}"),
            number: i as u32 + 1,
            title: format!("Synthetic program {i}"),
            short_title: format!("Synthetic program {i}"),
            beneficiaries: lines(|p| &p.beneficiaries, 2),
            objectives: lines(|p| &p.objectives, 2),
            activities: lines(|p| &p.activities, 5),
            outcomes: lines(|p| &p.outcomes, 2),
            notes: Vec::new(),
            source: "synthetic".into(),
        })
        .collect();
    catalog
}

fn profile(questionnaire: &Questionnaire, free_text: bool) -> Profile {
    let mut answers = vec![
        ("ldc_status", "ldc"),
        ("ip_strategy", "none"),
        ("legislation_status", "outdated"),
        ("substantive_examination", "full"),
        ("patent_pendency_months", "72"),
        ("pending_applications", "40000"),
        ("patent_examiners", "20"),
        ("staff_training", "occasional"),
        ("patent_info_center", "no"),
        ("university_ip_policies", "none"),
        ("ip_courses", "few"),
    ];
    if free_text {
        answers.push((
            "challenges",
            "Researchers cannot search patent documents and universities do not license inventions",
        ));
    }
    let (profile, problems) = Profile::from_entries(
        questionnaire,
        answers.iter().map(|(f, v)| (*f, *v, String::new())),
    );
    assert!(problems.is_empty());
    profile
}

#[divan::bench(args = [12, 1_000, 10_000], sample_count = 10)]
fn index_build(bencher: divan::Bencher, size: usize) {
    let catalog = synthetic_catalog(size);
    bencher.bench(|| CatalogIndex::build_in_memory(&catalog).expect("index"));
}

/// The index read back from the cache (what every run after the first does); `cargo bench`
/// keeps the cache under target/ (see .cargo/config.toml).
#[divan::bench(args = [12, 1_000, 10_000], sample_count = 10)]
fn index_from_cache(bencher: divan::Bencher, size: usize) {
    let catalog = synthetic_catalog(size);
    // The first build saves it.
    let _ = CatalogIndex::build(&catalog).expect("index");
    bencher.bench(|| CatalogIndex::build(&catalog).expect("index"));
}

#[divan::bench(args = [12, 1_000, 10_000], sample_count = 20)]
fn search(bencher: divan::Bencher, size: usize) {
    let catalog = synthetic_catalog(size);
    let index = CatalogIndex::build_in_memory(&catalog).expect("index");
    bencher.bench(|| {
        index
            .search(&catalog, "patent information examiners", 10)
            .expect("search")
    });
}

/// Index and needs' relevance, from the cache after the first run.
#[divan::bench(args = [12, 1_000], sample_count = 10)]
fn scorer_setup(bencher: divan::Bencher, size: usize) {
    let catalog = synthetic_catalog(size);
    let questionnaire = Questionnaire::builtin().expect("questionnaire");
    bencher.bench(|| {
        Scorer::new(&catalog, &questionnaire)
            .map(|_| ())
            .expect("scorer")
    });
}

#[divan::bench(args = [false, true])]
fn score_profile(bencher: divan::Bencher, free_text: bool) {
    let catalog = Catalog::builtin().expect("catalog");
    let questionnaire = Questionnaire::builtin().expect("questionnaire");
    let scorer = Scorer::new(&catalog, &questionnaire).expect("scorer");
    let profile = profile(&questionnaire, free_text);
    // As batch CSV does: every score, reasons for the top three.
    bencher.bench(|| {
        scorer
            .score_explaining(&profile, 3, 2, false)
            .expect("score")
    });
}
