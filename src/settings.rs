//! What a run needs beyond its command's own arguments: the data files, the date, how to present
//! output, the bounds on input sizes, the cache. Built once at the edge (`cli::settings`, from
//! the parsed options and the environment variables) and handed to the commands, so that the
//! library reads no environment variable and knows nothing of clap.

use crate::io::limits::Limit;
use crate::profile::date::Date;
use crate::report::style::Style;
use std::path::PathBuf;

/// The settings of one run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `--catalog`: the program catalog to use instead of the built-in one.
    pub catalog: Option<PathBuf>,
    /// `--questionnaire`: the questionnaire to use instead of the built-in one.
    pub questionnaire: Option<PathBuf>,
    /// `--synonyms`: the planners' words to use instead of the built-in ones.
    pub synonyms: Option<PathBuf>,
    /// `--countries`: the country table to use instead of the built-in one.
    pub countries: Option<PathBuf>,
    /// `--as-of`, when given (otherwise today, and a survey export's rows use their own dates).
    pub as_of: Option<Date>,
    /// Colour and width of terminal output (`--color`, `NO_COLOR`, the terminal).
    pub style: Style,
    /// Bounds given in the environment (`IPNEEDS_MAX_*`), with their values; the others keep
    /// their defaults.
    pub limits: Vec<(&'static Limit, u64)>,
    /// Where the cache lives (`IPNEEDS_CACHE_DIR`, `XDG_CACHE_HOME`, `HOME`); `None`: no cache
    /// (`IPNEEDS_NO_CACHE`, or no folder to put it in).
    pub cache_dir: Option<PathBuf>,
    /// `IPNEEDS_REFERENCE_PATH`: `batch` scores every row on the reference path.
    pub reference_path: bool,
    /// `HOME`: what `~/` means in a file name typed at a prompt (no shell expands it there).
    pub home: Option<PathBuf>,
}

impl Default for Settings {
    /// The built-in data, today, plain output, default limits, no cache.
    fn default() -> Settings {
        Settings {
            catalog: None,
            questionnaire: None,
            synonyms: None,
            countries: None,
            as_of: None,
            style: Style::plain(),
            limits: Vec::new(),
            cache_dir: None,
            reference_path: false,
            home: None,
        }
    }
}

impl Settings {
    /// Puts the process-wide settings in force: the bounds on input sizes and the cache's
    /// folder, which deep readers consult (the first call holds; later ones change nothing).
    pub fn apply(&self) {
        for (limit, value) in &self.limits {
            limit.set(*value);
        }
        crate::cache::use_directory(self.cache_dir.clone());
    }
}

#[cfg(test)]
mod tests;
