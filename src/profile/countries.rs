//! Country reference data: ISO 3166 codes, UN M49 region, the UN list of Least Developed
//! Countries and membership of regional IP systems, so that a country code alone can prefill
//! part of a profile. The table is built into the binary from `data/countries.csv`; see
//! `data/README.md` for its sources, caveats and how to update it.

use std::collections::HashMap;
use std::fmt;

use crate::profile::date::{digits, Date};
use serde::Serialize;

/// The built-in table, embedded so the binary needs no data files at run time.
const BUILTIN_CSV: &str = include_str!("../../data/countries.csv");

/// How the built-in table is named in error messages.
const BUILTIN_ORIGIN: &str = "built-in data/countries.csv";

/// The columns of a countries CSV, in the order the built-in file uses.
pub const COLUMNS: [&str; 11] = [
    "iso3",
    "iso2",
    "m49",
    "name",
    "alt_names",
    "region",
    "sub_region",
    "ldc_listing",
    "ldc_inclusion_year",
    "ldc_graduation_date",
    "regional_systems",
];

/// The UN M49 regions, as the `region` column writes them (reports group countries by them).
pub const UN_REGIONS: [&str; 5] = ["Africa", "Americas", "Asia", "Europe", "Oceania"];

/// The regional IP systems a country can belong to, in the order they are listed.
pub const REGIONAL_SYSTEMS: [&str; 5] = ["aripo", "oapi", "eapo", "gcc", "epo"];

// Column positions in `COLUMNS`, so row parsing reads by name rather than by magic number.
const ISO3: usize = 0;
const ISO2: usize = 1;
const M49: usize = 2;
const NAME: usize = 3;
const ALT_NAMES: usize = 4;
const REGION: usize = 5;
const SUB_REGION: usize = 6;
const LDC_LISTING: usize = 7;
const LDC_INCLUSION_YEAR: usize = 8;
const LDC_GRADUATION_DATE: usize = 9;
const REGIONAL_SYSTEMS_COLUMN: usize = 10;

/// Where a country stands on the UN list of Least Developed Countries, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum LdcListing {
    /// On the list, with no graduation date set.
    #[serde(rename = "ldc")]
    Ldc,
    /// Graduation decided by the General Assembly, with a date that may still move.
    #[serde(rename = "ldc_scheduled_graduation")]
    ScheduledGraduation,
    /// Graduation recommended but deferred to a later, unset date: still an LDC.
    #[serde(rename = "ldc_graduation_deferred")]
    GraduationDeferred,
    /// Has left the list.
    #[serde(rename = "graduated")]
    Graduated,
}

impl LdcListing {
    /// Every listing, in the order the README explains them.
    pub const ALL: [LdcListing; 4] = [
        LdcListing::Ldc,
        LdcListing::ScheduledGraduation,
        LdcListing::GraduationDeferred,
        LdcListing::Graduated,
    ];

    /// The value used in the `ldc_listing` column.
    pub fn as_str(self) -> &'static str {
        match self {
            LdcListing::Ldc => "ldc",
            LdcListing::ScheduledGraduation => "ldc_scheduled_graduation",
            LdcListing::GraduationDeferred => "ldc_graduation_deferred",
            LdcListing::Graduated => "graduated",
        }
    }

    fn from_column(value: &str) -> Option<LdcListing> {
        LdcListing::ALL
            .into_iter()
            .find(|listing| listing.as_str() == value)
    }
}

impl fmt::Display for LdcListing {
    /// The `ldc_listing` column value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the countries table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Country {
    /// ISO 3166-1 alpha-3 code, upper case (`MWI`).
    pub iso3: String,
    /// ISO 3166-1 alpha-2 code, upper case (`MW`).
    pub iso2: String,
    /// UN M49 numeric code as written in the source, without leading zeros (`454`); may be empty.
    pub m49: String,
    /// English short name (UN M49 style, e.g. "Gambia (the)").
    pub name: String,
    /// Other English names people type ("The Gambia", "Ivory Coast", ASCII spellings).
    pub alt_names: Vec<String>,
    /// UN M49 region ("Africa"); empty for Antarctica.
    pub region: String,
    /// UN M49 sub-region ("Sub-Saharan Africa").
    pub sub_region: String,
    /// Standing on the UN LDC list; `None` for a country never listed.
    pub ldc_listing: Option<LdcListing>,
    /// Year the country was added to the LDC list.
    pub ldc_inclusion_year: Option<i32>,
    /// Graduation date (past or scheduled).
    /// A year-only date in the source is read as 31 December of that year.
    pub ldc_graduation_date: Option<Date>,
    /// Lower-case ids: aripo, oapi, eapo, gcc, epo.
    pub regional_systems: Vec<String>,
}

/// Every value [`Country::ldc_status_as_of`] gives, as `ldc_status` takes them.
pub const LDC_STATUSES: [&str; 4] = ["ldc", "graduating", "graduated", "no"];

impl Country {
    /// The profile value of `ldc_status` as of `date`: "ldc", "graduating", "graduated" or "no".
    ///
    /// A scheduled graduation is "graduating" until its date and "graduated" from it on. A past
    /// graduation is "graduating" before its date too: the decision date is not recorded, so
    /// every listed day before graduation counts as the preparatory period (an approximation
    /// for dates long before the decision). Before the inclusion year the country was not listed.
    pub fn ldc_status_as_of(&self, date: Date) -> &'static str {
        let Some(listing) = self.ldc_listing else {
            return "no";
        };
        // Before 1 January of the inclusion year.
        if self.ldc_inclusion_year.is_some_and(|year| date.year < year) {
            return "no";
        }
        match (listing, self.ldc_graduation_date) {
            (LdcListing::Ldc | LdcListing::GraduationDeferred, _) => "ldc",
            (LdcListing::ScheduledGraduation, Some(graduation)) if date < graduation => {
                "graduating"
            }
            (LdcListing::ScheduledGraduation, Some(_)) => "graduated",
            (LdcListing::ScheduledGraduation, None) => "ldc",
            (LdcListing::Graduated, Some(graduation)) if date < graduation => "graduating",
            (LdcListing::Graduated, _) => "graduated",
        }
    }

    /// The profile value of `regional_system`: the memberships, or ["none"] when there are none.
    pub fn regional_system(&self) -> Vec<String> {
        if self.regional_systems.is_empty() {
            vec!["none".to_string()]
        } else {
            self.regional_systems.clone()
        }
    }
}

/// A country table with lookup by code or name.
#[derive(Debug, Clone)]
pub struct Countries {
    /// The file the table came from (or [`BUILTIN_ORIGIN`]), for the reports' footers.
    origin: String,
    rows: Vec<Country>,
    /// Normalized code, name or alternative name → row, so a lookup is one map probe.
    index: HashMap<String, usize>,
    /// The suggestions already made for a query that names no country: a batch repeats the
    /// same few (`Regional`, `-`), and each costs a comparison with every code and name (a
    /// batch of 20,000 rows of an unknown country took 4 s).
    suggested: std::sync::Arc<std::sync::Mutex<HashMap<String, Vec<String>>>>,
}

/// How many queries' suggestions are kept: more than a batch's distinct unknown countries,
/// few enough that their memory stays small.
const SUGGESTIONS_KEPT: usize = 4096;

/// A query that names no country in the table.
///
/// Display: "unknown country `Malwi`: did you mean Malawi (MWI)?" (up to 3 suggestions from
/// names, alternative names and codes; without suggestions: "unknown country `Xyz`: give an
/// ISO 3166 code (UGA, UG) or the country's name in English, French, Spanish or Portuguese").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCountry {
    /// The query as given, trimmed.
    pub query: String,
    /// Close matches, best first, each as "Name (ISO3)".
    pub suggestions: Vec<String>,
    /// The `--countries` file looked in, when it is not the built-in table: the built-in
    /// table's examples (UGA) may not be in it.
    pub table: Option<String>,
}

/// `NA`: Namibia's two-letter code, and what R writes for a value that is missing (and what
/// many type for "not available"). A table of profiles exported from R made every country not
/// known Namibia, without a word; Namibia is `NAM` or its name.
fn is_missing_mark(query: &str) -> bool {
    normalize(query) == "na"
}

impl fmt::Display for UnknownCountry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_missing_mark(&self.query) && !self.query.contains(['/', '#', '=']) {
            return write!(
                f,
                "country `{}` is not read: it is Namibia's two-letter code, but also what R writes for a missing value; write NAM or Namibia for Namibia, or leave the cell empty when the country is not known",
                self.query
            );
        }
        if crate::profile::is_totals_row(&self.query) {
            return write!(
                f,
                "country `{}`: {}",
                self.query,
                crate::profile::TOTALS_ROW_FIX
            );
        }
        write!(f, "unknown country `{}`: ", self.query)?;
        // A spreadsheet's "not available" (`N/A`, `#N/A`, `=NA()`): no near country helps.
        if self.query.contains(['/', '#', '=']) {
            return f.write_str(
                "that is no country: leave the cell empty when the country is unknown, or give an ISO 3166 code (UGA, UG) or the country's name",
            );
        }
        match (self.suggestions.as_slice(), &self.table) {
            ([], Some(table)) => write!(
                f,
                "it is not in the country table {table}: give a code or name the table lists, or add the country to the table"
            ),
            ([], None) => f.write_str(
                "give an ISO 3166 code (UGA, UG) or the country's name in English, French, Spanish or Portuguese",
            ),
            ([one], _) => write!(f, "did you mean {one}?"),
            ([init @ .., last], _) => write!(f, "did you mean {} or {last}?", init.join(", ")),
        }
    }
}

impl std::error::Error for UnknownCountry {}

/// A countries file that cannot be used. Every message names the origin (the file, as the caller
/// names it), the CSV line (1-based, the header being line 1) and the column, and says what is
/// wrong and how to fix it (`problem`, `message`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountryDataError {
    /// The text is not well-formed CSV (a row with too many or too few fields, bad quoting).
    #[error("{origin}:{line}: {problem}")]
    Csv {
        origin: String,
        line: u64,
        problem: String,
    },
    /// The header row lacks a column, repeats one or has an unknown one.
    #[error("{origin}:1: {problem}")]
    Header { origin: String, problem: String },
    /// A value that cannot be used, e.g. "ldc_graduation_date `2026-02-30` is not a date:
    /// expected YYYY-MM-DD or YYYY".
    #[error("{origin}:{line}: {message}")]
    Value {
        origin: String,
        line: u64,
        /// The column holding the value.
        column: &'static str,
        /// The message, starting with the column name.
        message: String,
    },
    /// A code or name that already identifies another country, which would make lookups ambiguous.
    #[error(
        "{origin}:{line}: {column} `{value}` already identifies {other} (line {other_line}): \
         codes, names and alternative names must each identify one country; remove or change one"
    )]
    Duplicate {
        origin: String,
        /// The later row's line.
        line: u64,
        /// The column holding the value.
        column: &'static str,
        /// The clashing code or name.
        value: String,
        /// The country that already has it, as "Name (ISO3)".
        other: String,
        /// 1-based line of that country's row.
        other_line: u64,
    },
    /// The file has a header but no rows.
    #[error("{origin}: no countries: add one row per country below the header")]
    Empty { origin: String },
    /// More than one row has a problem: each, in file order (the first `SHOWN_PROBLEMS`), so
    /// that one run shows every line to fix.
    #[error("{}", .problems.iter().map(ToString::to_string).chain(Some(crate::error::more_problems(*.more)).filter(|m| !m.is_empty())).collect::<Vec<_>>().join("\n"))]
    Several {
        problems: Vec<CountryDataError>,
        /// Problems found past the ones listed.
        more: usize,
    },
}

impl CountryDataError {
    /// `problems` as one error: the problem itself when there is one.
    fn of_all(mut problems: Vec<CountryDataError>, more: usize) -> Option<CountryDataError> {
        match (problems.len(), more) {
            (0, _) => None,
            (1, 0) => problems.pop(),
            _ => Some(CountryDataError::Several { problems, more }),
        }
    }
}

/// Whether `header` (a CSV's first line) is the country reference table's (`iso3`,
/// `ldc_listing` …, with any delimiter, even with one of them misspelt), not a profiles table's.
pub fn is_country_table_header(header: &str) -> bool {
    let columns: Vec<String> = (header
        .trim_start_matches('\u{feff}')
        .split([',', ';', '\t']))
    .map(|c| c.trim().trim_matches('"').to_lowercase())
    .collect();
    let has = |wanted: &str| columns.iter().any(|c| c == wanted);
    // Both key columns, or most of the others (one misspelt: `iso_3`), make it the table.
    ["iso3", "ldc_listing"].into_iter().all(has)
        || COLUMNS.into_iter().filter(|c| has(c)).count() * 2 > COLUMNS.len()
}

/// Whether the file at `path` starts with the country reference table's header.
pub fn is_country_table(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut start = Vec::new();
    let read = std::fs::File::open(path).and_then(|file| file.take(4096).read_to_end(&mut start));
    read.is_ok()
        && is_country_table_header(
            String::from_utf8_lossy(&start)
                .lines()
                .next()
                .unwrap_or_default(),
        )
}

impl Countries {
    /// The table built into the binary. It is parsed on each call: keep the value.
    ///
    /// # Errors
    ///
    /// Only if the embedded file is broken, which the unit tests rule out.
    pub fn builtin() -> Result<Countries, CountryDataError> {
        Countries::from_csv(BUILTIN_CSV, BUILTIN_ORIGIN)
    }

    /// The file the table came from, as given (`built-in data/countries.csv` for the built-in
    /// one).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Where the table comes from, as a report names it: the `--countries` file, or the one
    /// built in. A shared report says which table its LDC status and regions were taken from.
    pub fn origin_for_readers(&self) -> &str {
        match self.origin.as_str() {
            BUILTIN_ORIGIN => "built into ipneeds, from its data/countries.csv",
            path => path,
        }
    }

    /// Reads a countries CSV (same columns); `origin` names the file in errors.
    ///
    /// Columns are found by header name (any order, case-insensitive); values are trimmed.
    ///
    /// # Errors
    ///
    /// A [`CountryDataError`]: a missing or unknown column, or no rows at all; else every row's
    /// problems (malformed CSV, an invalid value, a code or name shared by two countries).
    pub fn from_csv(text: &str, origin: &str) -> Result<Countries, CountryDataError> {
        // Spreadsheet exports often start with a byte-order mark; it is not part of the header.
        let text = crate::io::input::without_byte_order_mark(text);
        // Windows line ends as `\n`: the csv crate counts a CRLF file's lines one short.
        let unix;
        let text = match text.contains("\r\n") {
            true => {
                unix = text.replace("\r\n", "\n");
                unix.as_str()
            }
            false => text,
        };
        // Spreadsheets set to a European locale save with `;` (or tabs): the header tells
        // (a comma on a tie: `max_by_key` keeps the last).
        let header = text.lines().next().unwrap_or_default();
        let delimiter = [b'\t', b';', b',']
            .into_iter()
            .max_by_key(|&d| header.bytes().filter(|&b| b == d).count())
            .unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|error| csv_error(origin, &error))?
            .clone();
        let positions = locate_columns(&headers, origin)?;

        let mut rows: Vec<Country> = Vec::new();
        let mut lines: Vec<u64> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        // Names read without "the" ("Republic of Congo"), added where no name is and only
        // when one country gives them (`None`: two do), and the country each word of a name
        // is in (`None`: two or more). "Congo" stays unknown: `Congo (the)` is the Republic
        // of the Congo, but "Congo" is a word of `DR Congo` too.
        let mut without_the: HashMap<String, Option<usize>> = HashMap::new();
        let mut word_in: HashMap<String, Option<usize>> = HashMap::new();
        let one_country = |map: &mut HashMap<String, Option<usize>>, key, number| {
            let entry = map.entry(key).or_insert(Some(number));
            if *entry != Some(number) {
                *entry = None;
            }
        };
        // Every row is read, and its problems kept, so that one run lists every line to fix.
        let mut problems: crate::error::Listed<CountryDataError> = Default::default();
        let this_year = crate::profile::date::Date::today().year;
        for record in reader.records() {
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    problems.push(csv_error(origin, &error));
                    continue;
                }
            };
            let line = record.position().map_or(0, csv::Position::line);
            let row = CountryRecord {
                record: &record,
                positions: &positions,
                origin,
                line,
                this_year,
            };
            let country = match row.parse() {
                Ok(country) => country,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let number = rows.len();
            let names = [
                (&country.iso3, ISO3),
                (&country.iso2, ISO2),
                (&country.name, NAME),
            ];
            let keys = names
                .into_iter()
                .chain(country.alt_names.iter().map(|alt| (alt, ALT_NAMES)));
            for (text, column) in keys {
                let key = normalize(text);
                if key.is_empty() {
                    // Pure punctuation can never be typed as a query: nothing to index.
                    continue;
                }
                let words = words(text);
                let short: String = (words.iter())
                    .filter(|word| *word != "the")
                    .map(String::as_str)
                    .collect();
                if short != key && !short.is_empty() {
                    one_country(&mut without_the, short, number);
                }
                for word in words {
                    one_country(&mut word_in, word, number);
                }
                match index.get(&key) {
                    Some(&other) if other != number => {
                        let (other_country, other_line) = match (rows.get(other), lines.get(other))
                        {
                            (Some(c), Some(&l)) => (format!("{} ({})", c.name, c.iso3), l),
                            _ => (String::new(), 0),
                        };
                        problems.push(CountryDataError::Duplicate {
                            origin: origin.to_string(),
                            line,
                            column: COLUMNS[column],
                            value: text.clone(),
                            other: other_country,
                            other_line,
                        });
                    }
                    Some(_) => {}
                    None => {
                        index.insert(key, number);
                    }
                }
            }
            rows.push(country);
            lines.push(line);
        }
        if let Some(problem) = CountryDataError::of_all(problems.shown, problems.more) {
            return Err(problem);
        }
        for (key, row) in without_the {
            let in_other = |row| word_in.get(&key).is_some_and(|&only| only != Some(row));
            match row {
                Some(row) if !in_other(row) => _ = index.entry(key).or_insert(row),
                _ => {}
            }
        }
        if rows.is_empty() {
            return Err(CountryDataError::Empty {
                origin: origin.to_string(),
            });
        }
        Ok(Countries {
            origin: origin.to_string(),
            rows,
            index,
            suggested: Default::default(),
        })
    }

    /// The row of the country `query` names, as [`Countries::lookup`] finds it; for tables
    /// precomputed per country (the batch fast path).
    pub fn position(&self, query: &str) -> Option<usize> {
        // No code or name holds these, but a spreadsheet's "not available" does (`#N/A`,
        // `N/A`, `=NA()`), whose letters would otherwise find Namibia's code.
        if query.contains(['/', '#', '=']) || is_missing_mark(query) {
            return None;
        }
        self.index.get(&normalize(query)).copied()
    }

    /// Finds a country by ISO alpha-3, alpha-2, name or alternative name: case-, accent-,
    /// punctuation- and whitespace-insensitive ("cote d ivoire" finds CIV; "  malawi " finds MWI).
    ///
    /// # Errors
    ///
    /// An [`UnknownCountry`] with up to three close matches when nothing matches exactly.
    pub fn lookup(&self, query: &str) -> Result<&Country, UnknownCountry> {
        let found = self.position(query).and_then(|row| self.rows.get(row));
        found.ok_or_else(|| UnknownCountry {
            query: query.trim().to_string(),
            suggestions: self.suggestions(query.trim()),
            table: (self.origin != BUILTIN_ORIGIN).then(|| self.origin.clone()),
        })
    }

    /// Up to three countries whose code or name is close to `wanted`, one entry per country.
    fn suggestions(&self, wanted: &str) -> Vec<String> {
        if let Some(kept) = (self.suggested.lock().ok()).and_then(|kept| kept.get(wanted).cloned())
        {
            return kept;
        }
        let suggestions = self.compute_suggestions(wanted);
        if let Ok(mut kept) = self.suggested.lock() {
            if kept.len() < SUGGESTIONS_KEPT {
                kept.insert(wanted.to_string(), suggestions.clone());
            }
        }
        suggestions
    }

    /// [`Self::suggestions`], computed.
    fn compute_suggestions(&self, wanted: &str) -> Vec<String> {
        // Candidate text → (row, whether it is a code). A code is shown as the country's name,
        // a name as typed in the table, so "Ivry Coast" suggests "Ivory Coast (CIV)".
        let mut candidates: HashMap<&str, (usize, bool)> = HashMap::new();
        for (row, country) in self.rows.iter().enumerate() {
            candidates.entry(&country.iso3).or_insert((row, true));
            candidates.entry(&country.iso2).or_insert((row, true));
            candidates.entry(&country.name).or_insert((row, false));
            for alt in &country.alt_names {
                candidates.entry(alt).or_insert((row, false));
            }
        }
        // A word of some names ("Congo", "Korea", "Saint Kitts") suggests those countries
        // alone, when they are few: a spelling close to the word is no better guess.
        let wanted_words = words(wanted);
        let naming = |text: &&str| {
            // Split only a name that holds the first word's letters: splitting every name
            // for every unknown country doubled a batch of 20,000 of them.
            let holds = |word: &String| {
                // `windows(0)` would panic; `words` gives no empty word, but say it here.
                !word.is_empty()
                    && (text.as_bytes().windows(word.len()))
                        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
            };
            wanted_words.first().is_some_and(holds) && {
                let words = words(text);
                wanted_words.iter().all(|w| words.contains(w))
            }
        };
        let mut named: Vec<&str> = candidates.keys().copied().filter(naming).collect();
        named.sort_by_key(|text| (text.len(), *text));
        let named_rows: std::collections::HashSet<usize> = (named.iter())
            .filter_map(|text| candidates.get(text).map(|c| c.0))
            .collect();
        let ranked = match named_rows.len() {
            // The closest first, then the other names holding the word, shortest first.
            1..=3 => {
                let mut ranked =
                    crate::suggest::closest(wanted, named.iter().copied(), named.len());
                ranked.extend(
                    named
                        .iter()
                        .filter(|text| !ranked.contains(text))
                        .collect::<Vec<_>>(),
                );
                ranked
            }
            _ => crate::suggest::closest(wanted, candidates.keys().copied(), candidates.len()),
        };
        let mut seen = Vec::new();
        let mut suggestions = Vec::new();
        for text in ranked {
            let Some(&(row, is_code)) = candidates.get(text) else {
                continue;
            };
            let Some(country) = self.rows.get(row) else {
                continue;
            };
            if seen.contains(&row) {
                continue;
            }
            seen.push(row);
            let shown = self.typable(row, if is_code { &country.name } else { text });
            suggestions.push(format!("{shown} ({})", country.iso3));
            if suggestions.len() == 3 {
                break;
            }
        }
        suggestions
    }

    /// `name` of the country at `row` as a suggestion shows it: a name the table writes with
    /// "(the)" at its end, which nobody types, shown without it when that finds the country,
    /// or as its first other name ("Congo" is not the Republic of the Congo alone: "Republic
    /// of the Congo").
    fn typable<'s>(&'s self, row: usize, name: &'s str) -> &'s str {
        let Some(short) = name.strip_suffix(" (the)") else {
            return name;
        };
        match (self.position(short), self.rows.get(row)) {
            (Some(found), _) if found == row => short,
            (_, Some(country)) => country.alt_names.first().map_or(name, String::as_str),
            _ => name,
        }
    }

    /// The country at `position` (see [`Countries::position`]).
    pub fn get(&self, position: usize) -> Option<&Country> {
        self.rows.get(position)
    }

    /// Every country, in table order.
    pub fn iter(&self) -> impl Iterator<Item = &Country> {
        self.rows.iter()
    }

    /// The number of countries.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether the table has no countries (never true for a loaded table).
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The words of a name, each as its lookup key: `Congo (the)` gives `congo`, `the`.
fn words(text: &str) -> Vec<String> {
    (text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’'))
        .map(normalize)
        .filter(|word| !word.is_empty())
        .collect()
}

/// The lookup key of a code or name: lower case, accents folded to ASCII, and only letters and
/// digits kept, so spacing, apostrophes and hyphens never decide a match.
fn normalize(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if let Some(folded) = crate::suggest::fold_accent(c) {
            key.push_str(folded);
        } else if c.is_alphanumeric() {
            key.push(c);
        }
    }
    key
}

/// Where each of `COLUMNS` sits in the file's header.
fn locate_columns(
    headers: &csv::StringRecord,
    origin: &str,
) -> Result<[usize; COLUMNS.len()], CountryDataError> {
    let header_error = |problem: String| CountryDataError::Header {
        origin: origin.to_string(),
        problem,
    };
    let expected = COLUMNS.join(",");
    // A catalog, questionnaire or answers file given for the table: say what it is, not that
    // its first line is an unknown column.
    if let [first] = headers.iter().collect::<Vec<_>>().as_slice() {
        let line = first.trim();
        if line.starts_with('#')
            || line.starts_with("---")
            || line.contains(": ")
            || line.ends_with(':')
        {
            return Err(header_error(format!(
                "this looks like a YAML file, not a country table: give --countries a CSV file with the header {expected} (as data/countries.csv); a catalog goes to --catalog, a questionnaire to --questionnaire"
            )));
        }
    }
    let mut positions: [Option<usize>; COLUMNS.len()] = [None; COLUMNS.len()];
    for (at, header) in headers.iter().enumerate() {
        let wanted = header.to_lowercase();
        let Some(column) = COLUMNS.iter().position(|c| *c == wanted) else {
            let hint = crate::suggest::did_you_mean(&wanted, COLUMNS);
            return Err(header_error(format!(
                "unknown column `{header}`{hint}: the header must be {expected}"
            )));
        };
        if positions[column].replace(at).is_some() {
            return Err(header_error(format!(
                "column `{header}` appears twice: keep one; the header must be {expected}"
            )));
        }
    }
    let mut found = [0; COLUMNS.len()];
    for (column, position) in positions.iter().enumerate() {
        found[column] = position.ok_or_else(|| {
            header_error(format!(
                "missing column `{}`: the header must be {expected}",
                COLUMNS[column]
            ))
        })?;
    }
    Ok(found)
}

/// A csv-crate error, told as a line number and a fix.
fn csv_error(origin: &str, error: &csv::Error) -> CountryDataError {
    let line = error.position().map_or(1, csv::Position::line);
    let problem = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "found {len} fields but the header has {expected_len}: check for a missing or extra \
             comma, and quote values that contain commas"
        ),
        other => format!("{other:?}: check the file is UTF-8 CSV with quoted values"),
    };
    CountryDataError::Csv {
        origin: origin.to_string(),
        line,
        problem,
    }
}

/// One record being turned into a [`Country`], with what error messages need.
struct CountryRecord<'a> {
    record: &'a csv::StringRecord,
    positions: &'a [usize; COLUMNS.len()],
    origin: &'a str,
    line: u64,
    /// The last year a country can have been listed in (today's).
    this_year: i32,
}

impl CountryRecord<'_> {
    fn get(&self, column: usize) -> &str {
        self.record.get(self.positions[column]).unwrap_or("")
    }

    fn error(&self, column: usize, message: String) -> CountryDataError {
        CountryDataError::Value {
            origin: self.origin.to_string(),
            line: self.line,
            column: COLUMNS[column],
            message,
        }
    }

    /// A column that may be empty (`None`), else `read`'s value or the error `wrong` words.
    fn optional<T>(
        &self,
        column: usize,
        read: impl FnOnce(&str) -> Option<T>,
        wrong: impl FnOnce(&str) -> String,
    ) -> Result<Option<T>, CountryDataError> {
        match self.get(column) {
            "" => Ok(None),
            text => (read(text).map(Some)).ok_or_else(|| self.error(column, wrong(text))),
        }
    }

    /// An ISO code of `length` ASCII letters, upper-cased.
    fn code(
        &self,
        column: usize,
        length: usize,
        example: &str,
    ) -> Result<String, CountryDataError> {
        let value = self.get(column);
        let name = COLUMNS[column];
        let standard = if length == 3 { "alpha-3" } else { "alpha-2" };
        if value.is_empty() {
            return Err(self.error(
                column,
                format!("{name} is empty: every row needs an ISO 3166-1 {standard} code, e.g. {example}"),
            ));
        }
        if value.len() != length || !value.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(self.error(
                column,
                format!(
                    "{name} `{value}` is not an ISO 3166-1 {standard} code: expected {length} \
                     letters, e.g. {example}"
                ),
            ));
        }
        Ok(value.to_ascii_uppercase())
    }

    fn parse(&self) -> Result<Country, CountryDataError> {
        let iso3 = self.code(ISO3, 3, "MWI")?;
        let iso2 = self.code(ISO2, 2, "MW")?;

        let m49 = self.get(M49).to_string();
        if !m49.is_empty() && (m49.len() > 3 || digits(&m49).is_none()) {
            return Err(self.error(
                M49,
                format!("m49 `{m49}` is not a UN M49 code: expected up to three digits, e.g. 454, or empty"),
            ));
        }

        let name = self.get(NAME).to_string();
        if name.is_empty() {
            return Err(self.error(
                NAME,
                "name is empty: every row needs an English name".to_string(),
            ));
        }

        let alt_names: Vec<String> = self
            .get(ALT_NAMES)
            .split('|')
            .map(str::trim)
            .filter(|alt| !alt.is_empty())
            .map(str::to_string)
            .collect();
        // No country's name holds `;`: a list written with the wrong separator would be one
        // long name that nobody types, and each name in it would stay unknown.
        if let Some(alt) = alt_names.iter().find(|alt| alt.contains(';')) {
            let parts: Vec<&str> = alt.split(';').map(str::trim).collect();
            return Err(self.error(
                ALT_NAMES,
                format!(
                    "alt_names `{alt}` holds `;`: separate the names with `|`, e.g. `{}`",
                    parts.join("|")
                ),
            ));
        }

        let ldc_listing = self.optional(
            LDC_LISTING,
            |text| LdcListing::from_column(&text.to_lowercase()),
            |text| {
                let names: Vec<&str> = LdcListing::ALL.iter().map(|l| l.as_str()).collect();
                let hint = crate::suggest::did_you_mean(text, names.iter().copied());
                format!(
                    "ldc_listing `{text}` is not a listing{hint}: expected {}, or empty for a \
                     country never listed",
                    names.join(", ")
                )
            },
        )?;
        let ldc_inclusion_year = self.optional(
            LDC_INCLUSION_YEAR,
            |text| (text.len() == 4).then(|| i32::try_from(digits(text)?).ok())?,
            |text| {
                format!(
                    "ldc_inclusion_year `{text}` is not a year: expected four digits, e.g. 1971, \
                     or empty"
                )
            },
        )?;
        // The UN list began in 1971, and no country is added to it ahead of time: a year
        // outside is mistyped (`2071` for `1971` read the country as not yet listed).
        let this_year = self.this_year;
        if let Some(year) = ldc_inclusion_year.filter(|year| !(1971..=this_year).contains(year)) {
            return Err(self.error(
                LDC_INCLUSION_YEAR,
                format!(
                    "ldc_inclusion_year `{year}` is outside the years of the UN list of LDCs \
                     (1971 to {this_year}): give the year it was listed"
                ),
            ));
        }
        let ldc_graduation_date = self.optional(LDC_GRADUATION_DATE, graduation_date, |text| {
            format!("ldc_graduation_date `{text}` is not a date: expected YYYY-MM-DD or YYYY")
        })?;

        // LDC facts without a listing are a half-edited row: say so rather than ignore them.
        if ldc_listing.is_none() {
            for column in [LDC_INCLUSION_YEAR, LDC_GRADUATION_DATE] {
                let text = self.get(column);
                if !text.is_empty() {
                    return Err(self.error(
                        column,
                        format!(
                            "{} `{text}` is given but ldc_listing is empty: set ldc_listing \
                             (e.g. graduated) or clear {}",
                            COLUMNS[column], COLUMNS[column]
                        ),
                    ));
                }
            }
        }

        // Listed after it left the list: one of the two is mistyped, and the country would read
        // as never listed before the inclusion and graduated after it.
        if let (Some(year), Some(graduation)) = (ldc_inclusion_year, &ldc_graduation_date) {
            if year > graduation.year {
                return Err(self.error(
                    LDC_INCLUSION_YEAR,
                    format!(
                        "ldc_inclusion_year {year} is after ldc_graduation_date {}: a country leaves the list after joining it: give the year it was listed and the date it graduated as the UN records them",
                        self.get(LDC_GRADUATION_DATE)
                    ),
                ));
            }
        }

        // A scheduled graduation has the date the General Assembly set; a listing with no
        // date to come has none. Either way round, the row would be read otherwise than meant.
        match (ldc_listing, &ldc_graduation_date) {
            (Some(LdcListing::ScheduledGraduation), None) => {
                return Err(self.error(
                    LDC_GRADUATION_DATE,
                    "ldc_graduation_date is empty but ldc_listing is ldc_scheduled_graduation: \
                     give the date the UN General Assembly set (YYYY-MM-DD), or set ldc_listing \
                     to ldc"
                        .to_string(),
                ));
            }
            (Some(listing @ (LdcListing::Ldc | LdcListing::GraduationDeferred)), Some(_)) => {
                return Err(self.error(
                    LDC_GRADUATION_DATE,
                    format!(
                        "ldc_graduation_date `{}` is given but ldc_listing `{}` has no date to \
                         come, so it would not be read: set ldc_listing to \
                         ldc_scheduled_graduation, or clear the date",
                        self.get(LDC_GRADUATION_DATE),
                        listing.as_str()
                    ),
                ));
            }
            _ => {}
        }

        let region = self.get(REGION);
        if !region.is_empty() && !UN_REGIONS.contains(&region) {
            let hint = crate::suggest::did_you_mean(region, UN_REGIONS.iter().copied());
            return Err(self.error(
                REGION,
                format!(
                    "region `{region}` is not a UN M49 region{hint}: expected {}, or empty",
                    UN_REGIONS.join(", ")
                ),
            ));
        }

        let mut regional_systems: Vec<String> = Vec::new();
        for system in self.get(REGIONAL_SYSTEMS_COLUMN).split(';').map(str::trim) {
            if system.is_empty() {
                continue;
            }
            let lower = system.to_lowercase();
            if !REGIONAL_SYSTEMS.contains(&lower.as_str()) {
                let hint = crate::suggest::did_you_mean(&lower, REGIONAL_SYSTEMS);
                return Err(self.error(
                    REGIONAL_SYSTEMS_COLUMN,
                    format!(
                        "regional_systems has unknown system `{system}`{hint}: expected aripo, \
                         oapi, eapo, gcc or epo, separated by `;`, or empty"
                    ),
                ));
            }
            if !regional_systems.contains(&lower) {
                regional_systems.push(lower);
            }
        }
        // A fixed order keeps profiles and reports stable whatever order the file uses.
        regional_systems.sort_by_key(|s| REGIONAL_SYSTEMS.iter().position(|known| known == s));

        Ok(Country {
            iso3,
            iso2,
            m49,
            name,
            alt_names,
            region: self.get(REGION).to_string(),
            sub_region: self.get(SUB_REGION).to_string(),
            ldc_listing,
            ldc_inclusion_year,
            ldc_graduation_date,
            regional_systems,
        })
    }
}

/// A graduation date: `YYYY-MM-DD`, or a bare `YYYY` read as 31 December (the source knows only
/// the year, and the end of the year never claims graduation before it happened).
fn graduation_date(text: &str) -> Option<Date> {
    if text.len() == 4 {
        let year = i32::try_from(digits(text)?).ok()?;
        return Date::new(year, 12, 31);
    }
    Date::parse(text).ok()
}

impl CountryDataError {
    /// The problem at its place: the file, or its line.
    fn issue(&self) -> crate::error::Issue {
        use crate::error::{Issue, Location};
        let location = match self {
            CountryDataError::Csv { origin, line, .. }
            | CountryDataError::Value { origin, line, .. }
            | CountryDataError::Duplicate { origin, line, .. } => Location::line(origin, *line),
            CountryDataError::Header { origin, .. } => Location::line(origin, 1),
            CountryDataError::Empty { origin } => Location::File(origin.clone()),
            CountryDataError::Several { .. } => return Issue::new(None, self.to_string()),
        };
        // The message as displayed, after the place it starts with.
        let text = self.to_string();
        let message = (text.strip_prefix(&format!("{location}: ")))
            .unwrap_or(&text)
            .to_string();
        Issue::new(Some(location), message)
    }
}

impl From<CountryDataError> for crate::error::Error {
    fn from(error: CountryDataError) -> Self {
        use crate::error::Error;
        match error {
            // Each problem on its own line, as validation reports them.
            CountryDataError::Several { problems, more } => {
                let issues = problems.iter().map(CountryDataError::issue).collect();
                Error::found(issues, more)
                    .unwrap_or_else(|| Error::internal("country table problems, none listed"))
            }
            error => Error::Input(Box::new(error.issue())),
        }
    }
}

#[cfg(test)]
mod tests;
