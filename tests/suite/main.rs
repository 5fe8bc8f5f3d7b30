//! The integration tests: one binary, so the library and its dependencies are linked once for
//! all of them. Each module was a test binary of its own before; `cargo test --test suite
//! MODULE::` runs one of them. [`harness::Ipneeds`] runs the binary for all of them, and
//! [`prelude`] names what they use of the library; [`fixtures`] builds the files they give it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod harness;
mod prelude;

mod catalog_and_search;
mod cli_profiles;
mod error_catalogue;
mod fast_path;
mod html_reports;
#[cfg(unix)]
mod interview_terminal;
mod no_panic;
mod outputs;
mod readme;
mod scoring;
