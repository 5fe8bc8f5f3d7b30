//! Where a one-shot command's time goes: `cargo run --release --example startup_breakdown`.
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let catalog = ipneeds::catalog::Catalog::builtin()?;
    let a = t.elapsed();
    let index = ipneeds::index::CatalogIndex::build(&catalog)?;
    let b = t.elapsed();
    let _ = index.search(&catalog, "examiner", 5)?;
    let c = t.elapsed();
    let questionnaire = ipneeds::questionnaire::Questionnaire::builtin()?;
    let d = t.elapsed();
    let countries = ipneeds::countries::Countries::builtin()?;
    let e = t.elapsed();
    let scorer = ipneeds::scoring::Scorer::new(&catalog, &questionnaire)?;
    let f = t.elapsed();
    let _ = (countries.len(), scorer.index());
    println!(
        "catalog {:?}, index {:?}, search {:?}, questionnaire {:?}, countries {:?}, scorer {:?}",
        a,
        b - a,
        c - b,
        d - c,
        e - d,
        f - e
    );
    Ok(())
}
