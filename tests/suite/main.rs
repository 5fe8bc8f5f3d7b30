//! The integration tests: one binary, so the library and its dependencies are linked once for
//! all of them. Each module was a test binary of its own before; `cargo test --test suite
//! MODULE::` runs one of them.

mod catalog_and_search;
mod cli_profiles;
mod error_catalogue;
mod fast_path;
mod html_reports;
mod no_panic;
mod readme;
mod scoring;
