//! Where a one-shot command's time goes: `cargo run --release --example startup_breakdown`.
//! Each step as `score questionnaires/examples/example-answers.yaml` runs it (the index from
//! the cache when one is saved; `IPNEEDS_NO_CACHE=1` to build it).
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut last = Instant::now();
    let mut step = |name: &str| {
        let now = Instant::now();
        print!("{name} {:?}, ", now - last);
        last = now;
    };
    let catalog = ipneeds::Catalog::builtin()?;
    step("catalog");
    let questionnaire = ipneeds::Questionnaire::builtin()?;
    step("questionnaire");
    let text = std::fs::read_to_string("questionnaires/examples/example-answers.yaml")?;
    let answers = ipneeds::parse_answers_file(&text, "answers.yaml", &questionnaire)?;
    step("answers");
    let scorer = ipneeds::Scorer::new(&catalog, &questionnaire)?;
    step("scorer (index, need relevance)");
    let results = scorer.score_explaining(&answers.profile, 5, usize::MAX, false)?;
    step("scores");
    let with_snippets = scorer.score_explaining(&answers.profile, 5, usize::MAX, true)?;
    step("scores with snippets");
    let hits = scorer.index().search(&catalog, "examiner", 10)?;
    step("search");
    println!(
        "({} results, {} with snippets, {} hits)",
        results.len(),
        with_snippets.len(),
        hits.hits.len()
    );
    Ok(())
}
