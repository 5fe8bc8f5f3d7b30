//! Keyword search over the built-in catalog with arbitrary queries (tantivy's query syntax,
//! read leniently). The index is built once.
//!
//! As in the binary, a tantivy failure that `search` contains (reports as an error for that
//! query) is quiet; any other panic reaches libFuzzer's hook and is a crash.
#![no_main]

use ipneeds::Catalog;
use ipneeds::CatalogIndex;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn searcher() -> &'static (Catalog, CatalogIndex) {
    static INDEX: OnceLock<(Catalog, CatalogIndex)> = OnceLock::new();
    INDEX.get_or_init(|| {
        // Installed after libFuzzer's own hook, which it calls for every other panic.
        ipneeds::install_quiet_search_panic_hook();
        let catalog = Catalog::builtin().expect("built-in catalog");
        let index = CatalogIndex::build(&catalog).expect("index");
        (catalog, index)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let (catalog, index) = searcher();
    if let Ok(outcome) = index.search(catalog, query, 5) {
        for hit in &outcome.hits {
            assert!(hit.program < catalog.programs.len());
            if let Some(snippet) = &hit.snippet {
                for range in &snippet.highlights {
                    // Highlights must cut the snippet at character boundaries.
                    assert!(snippet.text.get(range.clone()).is_some(), "{range:?}");
                }
            }
        }
    }
});
