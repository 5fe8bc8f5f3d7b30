//! A calendar date, enough for "as of" LDC status and submission dates.

use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar date (proleptic Gregorian), enough for "as of" LDC status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, 1 to 31.
    pub day: u8,
}

/// A text that is not a `YYYY-MM-DD` date: the text, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date: {1}")]
pub struct DateError(String, String);

/// What a text not of the form `YYYY-MM-DD` is told.
const EXPECTED_FORM: &str = "expected YYYY-MM-DD, e.g. 2026-11-24";

impl Date {
    /// A validated date, or `None` when the month or day does not exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let valid = (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (validated: month 1-12, day within the month, leap years).
    ///
    /// Surrounding whitespace is ignored; anything else (`26-1-1`, `2026/01/01`) is rejected
    /// so that a typo cannot silently become another date.
    ///
    /// # Errors
    ///
    /// A [`DateError`] naming the text when it is not a valid `YYYY-MM-DD` date.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let error = || DateError(text.to_string(), EXPECTED_FORM.to_string());
        let trimmed = text.trim();
        let bytes = trimmed.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(error());
        }
        // `get` rather than indexing: never panics, even on non-ASCII input.
        let field =
            |range: std::ops::Range<usize>| trimmed.get(range).and_then(digits).ok_or_else(error);
        let year = i32::try_from(field(0..4)?).map_err(|_| error())?;
        let month = u8::try_from(field(5..7)?).map_err(|_| error())?;
        let day = u8::try_from(field(8..10)?).map_err(|_| error())?;
        // In the form but not in the calendar (`2026-02-30`): say which part does not exist.
        Date::new(year, month, day).ok_or_else(|| {
            let name = (usize::from(month).checked_sub(1)).and_then(|m| MONTHS.get(m));
            let why = match name {
                Some(_) if day == 0 => "days start at 01: check the day".to_string(),
                Some(name) => format!(
                    "{name} {year} has {} days: check the day",
                    days_in_month(year, month)
                ),
                None => format!("there is no month {month}: {EXPECTED_FORM}"),
            };
            DateError(text.to_string(), why)
        })
    }

    /// Today in UTC, from the system clock (civil-from-days arithmetic, no chrono dependency).
    ///
    /// A clock set before 1970 reads as 1970-01-01 rather than failing: the date only picks
    /// an LDC status, and `--as-of` style options let the user override it.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        civil_from_days(i64::try_from(seconds / 86_400).unwrap_or(0))
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Same as [`Date::parse`], so clap can use `Date` as a value parser.
    fn from_str(text: &str) -> Result<Date, DateError> {
        Date::parse(text)
    }
}

impl Serialize for Date {
    /// As `YYYY-MM-DD` text, the form users read and write.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The value of a run of ASCII digits (no sign, no spaces), or `None`.
pub(crate) fn digits(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The months' names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The date `days` days after 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let day_of_era = z - era * 146_097; // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    Date {
        year: i32::try_from(year).unwrap_or(i32::MAX),
        month: u8::try_from(month).unwrap_or(1),
        day: u8::try_from(day).unwrap_or(1),
    }
}
