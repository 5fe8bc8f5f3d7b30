//! ipneeds: ranks the twelve technical-assistance programs of the WIPO Development Agenda
//! Recommendation 10 "menu of options" by what a country's IP institutional profile needs.

pub mod cache;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod error;
pub mod eval;
pub mod io;
pub mod profile;
pub mod report;
pub mod scoring;
pub mod settings;
pub mod suggest;

pub use error::{Error, Result};
