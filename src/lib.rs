//! ipneeds: ranks the twelve technical-assistance programs of the WIPO Development Agenda
//! Recommendation 10 "menu of options" by what a country's IP institutional profile needs.

pub mod answers;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod contribution_order;
pub mod countries;
pub mod csv_cell;
pub mod csv_records;
pub mod error;
pub mod eval;
pub mod html;
pub mod index;
pub mod input;
pub mod limits;
pub mod output;
pub mod style;
pub mod suggest;
pub mod summary;
pub mod table;
pub mod yaml;

pub use error::{Error, Result};
pub mod profile;
pub mod profile_csv;
pub mod questionnaire;
pub mod report;
pub mod row_scorer;
pub mod score_tenths;
pub mod scoring;
pub mod short_bytes;
pub mod spreadsheet;
pub mod survey_export;
pub mod text_out;
pub mod word_table;
pub mod workbook;
pub mod xlsform;
