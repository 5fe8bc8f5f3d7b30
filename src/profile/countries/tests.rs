//! Unit tests of `src/profile/countries.rs` (kept apart so the module reads as the code it is).
#![allow(clippy::unwrap_used)]

use super::*;
use crate::error::{Error, Location};
use crate::profile::date::civil_from_days;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn builtin() -> Countries {
    Countries::builtin().unwrap()
}

/// The 44 countries on the UN LDC list (UN DESA, 2025), graduating or not.
const CURRENT_LDCS: [&str; 44] = [
    "AFG", "AGO", "BGD", "BEN", "BFA", "BDI", "KHM", "CAF", "TCD", "COM", "COD", "DJI", "ERI",
    "ETH", "GMB", "GIN", "GNB", "HTI", "KIR", "LAO", "LSO", "LBR", "MDG", "MWI", "MLI", "MRT",
    "MOZ", "MMR", "NPL", "NER", "RWA", "SEN", "SLE", "SLB", "SOM", "SSD", "SDN", "TZA", "TLS",
    "TGO", "TUV", "UGA", "YEM", "ZMB",
];

#[test]
fn builtin_table_loads_with_every_ldc() {
    let countries = builtin();
    assert!(countries.len() >= 240, "{} rows", countries.len());
    let as_of = date("2026-01-01");
    for iso3 in CURRENT_LDCS {
        let country = countries.lookup(iso3).unwrap();
        let status = country.ldc_status_as_of(as_of);
        assert!(
            status == "ldc" || status == "graduating",
            "{iso3} is {status}"
        );
    }
    let listed = countries
        .iter()
        .filter(|c| {
            matches!(
                c.ldc_listing,
                Some(
                    LdcListing::Ldc
                        | LdcListing::ScheduledGraduation
                        | LdcListing::GraduationDeferred
                )
            )
        })
        .count();
    assert_eq!(listed, CURRENT_LDCS.len());
    let graduated = countries
        .iter()
        .filter(|c| c.ldc_listing == Some(LdcListing::Graduated))
        .count();
    assert_eq!(graduated, 8);
}

#[test]
fn bangladesh_graduates_on_2026_11_24() {
    let bangladesh = builtin().lookup("BGD").unwrap().clone();
    assert_eq!(bangladesh.ldc_graduation_date, Some(date("2026-11-24")));
    assert_eq!(
        bangladesh.ldc_status_as_of(date("2026-01-01")),
        "graduating"
    );
    assert_eq!(
        bangladesh.ldc_status_as_of(date("2026-11-23")),
        "graduating"
    );
    assert_eq!(bangladesh.ldc_status_as_of(date("2026-11-24")), "graduated");
    assert_eq!(bangladesh.ldc_status_as_of(date("2030-01-01")), "graduated");
    // Listed in 1975: not an LDC before that.
    assert_eq!(bangladesh.ldc_status_as_of(date("1974-12-31")), "no");
}

#[test]
fn deferred_graduation_stays_ldc() {
    let angola = builtin().lookup("Angola").unwrap().clone();
    assert_eq!(angola.ldc_listing, Some(LdcListing::GraduationDeferred));
    assert_eq!(angola.ldc_status_as_of(date("2026-01-01")), "ldc");
    assert_eq!(angola.ldc_status_as_of(date("2040-01-01")), "ldc");
}

#[test]
fn graduated_countries_by_date() {
    let countries = builtin();
    let sao_tome = countries.lookup("Sao Tome and Principe").unwrap();
    assert_eq!(sao_tome.ldc_status_as_of(date("2024-12-12")), "graduating");
    assert_eq!(sao_tome.ldc_status_as_of(date("2024-12-13")), "graduated");
    // Botswana's source date is the year 1994 only: read as 1994-12-31.
    let botswana = countries.lookup("BW").unwrap();
    assert_eq!(botswana.ldc_graduation_date, Some(date("1994-12-31")));
    assert_eq!(botswana.ldc_status_as_of(date("2026-01-01")), "graduated");
}

#[test]
fn never_listed_is_no() {
    let countries = builtin();
    for name in ["Kenya", "France", "Brazil"] {
        let country = countries.lookup(name).unwrap();
        assert_eq!(country.ldc_listing, None);
        assert_eq!(country.ldc_status_as_of(date("2026-01-01")), "no");
    }
}

#[test]
fn malawi_is_an_ldc_in_aripo() {
    let countries = builtin();
    let malawi = countries.lookup("MWI").unwrap();
    assert_eq!(malawi.name, "Malawi");
    assert_eq!(malawi.ldc_status_as_of(date("2026-06-01")), "ldc");
    assert_eq!(malawi.regional_system(), vec!["aripo".to_string()]);
    // Somalia stays in ARIPO although it is not party to the Harare Protocol.
    assert_eq!(
        countries.lookup("Somalia").unwrap().regional_system(),
        ["aripo"]
    );
    assert_eq!(
        countries.lookup("Montenegro").unwrap().regional_system(),
        ["epo"]
    );
    assert_eq!(
        countries.lookup("Brazil").unwrap().regional_system(),
        ["none"]
    );
}

#[test]
fn lookup_ignores_case_accents_punctuation_and_spacing() {
    let countries = builtin();
    for (query, iso3) in [
        ("mwi", "MWI"),
        ("MW", "MWI"),
        ("Malawi", "MWI"),
        ("  malawi ", "MWI"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("cote d ivoire", "CIV"),
        ("ivory coast", "CIV"),
        ("Tanzania", "TZA"),
        ("United Republic of Tanzania", "TZA"),
        ("DRC", "COD"),
        ("Congo-Brazzaville", "COG"),
        ("Lao PDR", "LAO"),
        ("viet nam", "VNM"),
        ("Korea, Republic of", "KOR"),
        ("Turkey", "TUR"),
        ("TÜRKIYE", "TUR"),
        ("uk", "GBR"),
        ("United States", "USA"),
        ("Vatican", "VAT"),
        ("Swaziland", "SWZ"),
    ] {
        assert_eq!(countries.lookup(query).unwrap().iso3, iso3, "{query}");
    }
}

/// Offices write their country in French, Spanish or Portuguese: `República Dominicana` was
/// refused with "did you mean Dominica?", another state (a tester's finding).
#[test]
fn a_country_is_found_by_its_french_spanish_or_portuguese_name() {
    let countries = builtin();
    for (query, iso3) in [
        ("República Dominicana", "DOM"),
        ("Republique dominicaine", "DOM"),
        ("Maroc", "MAR"),
        ("Marruecos", "MAR"),
        ("Mexique", "MEX"),
        ("Moçambique", "MOZ"),
        ("Tchad", "TCD"),
        ("Camerún", "CMR"),
        ("Guiné-Bissau", "GNB"),
        ("Émirats arabes unis", "ARE"),
    ] {
        assert_eq!(countries.lookup(query).unwrap().iso3, iso3, "{query}");
    }
    // A bare `Congo` is still no key: it names either Congo.
    assert!(countries.lookup("Congo").is_err());
}

#[test]
fn misspelling_suggests_the_country() {
    let error = builtin().lookup("Malwi").unwrap_err();
    assert_eq!(error.query, "Malwi");
    assert_eq!(
        error.suggestions.first().map(String::as_str),
        Some("Malawi (MWI)")
    );
    assert!(error
        .to_string()
        .starts_with("unknown country `Malwi`: did you mean Malawi (MWI)"));
}

/// The suggestions kept for a query are that query's: each unknown country asked again (as a
/// batch repeats them) gets what it got the first time, not another's.
#[test]
fn suggestions_asked_again_are_the_same() {
    let countries = builtin();
    let queries = ["Malwi", "Ugnda", "Atlantis", "Malwi", "Kenyq", "Ugnda"];
    let first: Vec<Vec<String>> = (queries.iter())
        .map(|q| countries.lookup(q).unwrap_err().suggestions)
        .collect();
    for (query, suggestions) in queries.iter().zip(&first) {
        assert_eq!(
            &countries.compute_suggestions(query),
            suggestions,
            "{query}"
        );
    }
    assert_eq!(first[0].first().map(String::as_str), Some("Malawi (MWI)"));
    assert_ne!(first[0], first[1]);
}

/// A bare `Congo` suggests the two Congos and nothing else (it suggested Mongolia too), each by
/// a name that finds it when typed (not "Congo (the)").
#[test]
fn bare_congo_is_ambiguous_and_suggests_both() {
    let countries = builtin();
    let error = countries.lookup("Congo").unwrap_err();
    assert_eq!(
        error.suggestions,
        ["DR Congo (COD)", "Republic of the Congo (COG)"],
        "{error}"
    );
    for suggestion in &error.suggestions {
        let name = suggestion.rsplit_once(" (").map(|(name, _)| name).unwrap();
        assert!(countries.lookup(name).is_ok(), "{name}");
    }
    let korea = countries.lookup("Korea").unwrap_err().suggestions;
    assert_eq!(korea, ["Korea, Rep. (KOR)", "North Korea (PRK)"]);
}

/// A name typed without "the" finds the country whose name has it, unless it is ambiguous.
#[test]
fn a_name_without_the_finds_its_country() {
    let countries = builtin();
    let iso3 = |query: &str| countries.lookup(query).map(|c| c.iso3.clone()).ok();
    assert_eq!(iso3("Republic of Congo").as_deref(), Some("COG"));
    assert_eq!(iso3("Democratic Republic of Congo").as_deref(), Some("COD"));
    assert_eq!(
        iso3("Congo, Democratic Republic of").as_deref(),
        Some("COD")
    );
    assert_eq!(iso3("Holland").as_deref(), Some("NLD"));
    assert_eq!(iso3("Congo"), None);
}

#[test]
fn unknown_without_suggestions_says_what_to_type() {
    let error = builtin().lookup("Qqqqzzzz").unwrap_err();
    assert!(error.suggestions.is_empty());
    assert_eq!(
        error.to_string(),
        "unknown country `Qqqqzzzz`: give an ISO 3166 code (UGA, UG) or the country's name in English, French, Spanish or Portuguese"
    );
}

#[test]
fn date_parse_validates() {
    for bad in ["26-1-1", "", "2026-1-01", "2026/01/01"] {
        let error = Date::parse(bad).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("`{bad}` is not a date: expected YYYY-MM-DD, e.g. 2026-11-24")
        );
    }
    // In the form but not in the calendar: which part does not exist.
    for (bad, why) in [
        ("2026-02-30", "February 2026 has 28 days: check the day"),
        ("2025-02-29", "February 2025 has 28 days: check the day"),
        ("2026-04-31", "April 2026 has 30 days: check the day"),
        ("2026-01-00", "days start at 01: check the day"),
        (
            "2026-13-01",
            "there is no month 13: expected YYYY-MM-DD, e.g. 2026-11-24",
        ),
    ] {
        let error = Date::parse(bad).unwrap_err();
        assert_eq!(error.to_string(), format!("`{bad}` is not a date: {why}"));
    }
    assert_eq!(Some(date("2024-02-29")), Date::new(2024, 2, 29));
    assert_eq!(
        "2026-11-24".parse::<Date>().unwrap().to_string(),
        "2026-11-24"
    );
    assert!(date("2026-11-23") < date("2026-11-24"));
}

#[test]
fn today_is_plausible() {
    let today = Date::today();
    assert!(today.year >= 2024, "{today}");
    assert_eq!(Date::parse(&today.to_string()), Ok(today));
}

#[test]
fn civil_from_days_matches_known_dates() {
    assert_eq!(civil_from_days(0), date("1970-01-01"));
    assert_eq!(civil_from_days(19_723), date("2024-01-01"));
    assert_eq!(civil_from_days(19_782), date("2024-02-29"));
    assert_eq!(civil_from_days(-1), date("1969-12-31"));
    assert_eq!(civil_from_days(11_016), date("2000-02-29"));
}

const HEADER: &str = "iso3,iso2,m49,name,alt_names,region,sub_region,ldc_listing,\
                          ldc_inclusion_year,ldc_graduation_date,regional_systems\n";

/// A bad date is named by its line, in a file with Windows line ends too.
#[test]
fn bad_date_reports_line_and_column() {
    let text = format!(
        "{HEADER}MWI,MW,454,Malawi,,Africa,Sub-Saharan Africa,ldc,1971,,aripo\n\
             BGD,BD,50,Bangladesh,,Asia,Southern Asia,ldc_scheduled_graduation,1975,2026-02-30,\n"
    );
    // Saved with Windows line ends, the same line is named.
    let windows = text.replace('\n', "\r\n");
    let error = Countries::from_csv(&windows, "my.csv").unwrap_err();
    assert!(error.to_string().starts_with("my.csv:3: "), "{error}");
    let error = Countries::from_csv(&text, "my.csv").unwrap_err();
    assert!(
        matches!(
            &error,
            CountryDataError::Value {
                line: 3,
                column: "ldc_graduation_date",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "my.csv:3: ldc_graduation_date `2026-02-30` is not a date: expected YYYY-MM-DD or YYYY"
    );
}

/// Rows that would be read otherwise than meant: a scheduled graduation with no date (it read
/// as `ldc`), a date beside a listing that takes none (ignored), a region no report groups
/// by (a typo made a region of its own in the overview).
#[test]
fn half_edited_ldc_rows_and_unknown_regions_are_refused() {
    for (row, says) in [
        (
            "BGD,BD,50,Bangladesh,,Asia,,ldc_scheduled_graduation,1975,,",
            "my.csv:2: ldc_graduation_date is empty but ldc_listing is ldc_scheduled_graduation: give the date the UN General Assembly set",
        ),
        (
            "AGO,AO,24,Angola,,Africa,,ldc_graduation_deferred,1994,2027-01-01,",
            "my.csv:2: ldc_graduation_date `2027-01-01` is given but ldc_listing `ldc_graduation_deferred` has no date to come",
        ),
        (
            "MWI,MW,454,Malawi,,Afrika,,ldc,1971,,aripo",
            "my.csv:2: region `Afrika` is not a UN M49 region (did you mean `Africa`?): expected Africa, Americas, Asia, Europe, Oceania, or empty",
        ),
    ] {
        let error = Countries::from_csv(&format!("{HEADER}{row}\n"), "my.csv").unwrap_err();
        assert!(error.to_string().starts_with(says), "{error}");
    }
    let fine = format!(
        "{HEADER}BGD,BD,50,Bangladesh,,Asia,,ldc_scheduled_graduation,1975,2026-11-24,\n\
         ATA,AQ,10,Antarctica,,,,,,,\n"
    );
    assert!(Countries::from_csv(&fine, "my.csv").is_ok());
}

#[test]
fn malformed_files_are_explained() {
    let short_row = format!("{HEADER}MWI,MW,454,Malawi\n");
    let error = Countries::from_csv(&short_row, "a.csv").unwrap_err();
    assert!(
        matches!(error, CountryDataError::Csv { line: 2, .. }),
        "{error}"
    );

    let typo = HEADER.replace("alt_names", "alt_name");
    let error = Countries::from_csv(&typo, "b.csv").unwrap_err();
    assert!(error.to_string().contains("`alt_names`"), "{error}");

    let listing = format!("{HEADER}MWI,MW,454,Malawi,,Africa,,ldcc,1971,,\n");
    let error = Countries::from_csv(&listing, "c.csv").unwrap_err();
    assert!(error.to_string().contains("did you mean `ldc`"), "{error}");

    // Names listed with `;` were one name nobody types, so `Kenia` stayed unknown.
    let semicolons = format!("{HEADER}KEN,KE,404,Kenya,Kenia; Quénia,Africa,,,,,\n");
    let error = Countries::from_csv(&semicolons, "s.csv").unwrap_err();
    assert_eq!(
        error.to_string(),
        "s.csv:2: alt_names `Kenia; Quénia` holds `;`: separate the names with `|`, e.g. `Kenia|Quénia`"
    );

    let clash =
        format!("{HEADER}MWI,MW,454,Malawi,,Africa,,,,,\nZMB,ZM,894,Zambia,malawi,Africa,,,,,\n");
    let error = Countries::from_csv(&clash, "d.csv").unwrap_err();
    assert!(
        matches!(
            &error,
            CountryDataError::Duplicate {
                line: 3,
                other_line: 2,
                ..
            }
        ),
        "{error}"
    );

    // Every bad row is named in one run, not only the first.
    let three = format!(
        "{HEADER}MWI,MW,454,Malawi,,Africa,,ldcc,1971,,\nZMB,ZM,894,Zambia,,Africa,,,19x1,,\n\
         UGA,UG,800,Uganda\n"
    );
    let error = Countries::from_csv(&three, "f.csv").unwrap_err();
    let CountryDataError::Several { problems, more: 0 } = &error else {
        panic!("not each problem: {error:?}");
    };
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(
        lines[0].starts_with("f.csv:2: ldc_listing `ldcc`"),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("f.csv:3: ldc_inclusion_year `19x1`"),
        "{lines:?}"
    );
    assert!(lines[2].starts_with("f.csv:4: found 4 fields"), "{lines:?}");
    assert_eq!(lines.len(), 3);

    // As the library's error, each problem keeps its place: a line of the table, not text.
    let Error::Many(issues) = Error::from(error) else {
        panic!("not several problems");
    };
    let places: Vec<_> = issues.iter().map(|issue| issue.location.clone()).collect();
    assert_eq!(
        places,
        [2, 3, 4].map(|line| Some(Location::line("f.csv", line)))
    );
    assert!(
        issues[0].message.starts_with("ldc_listing `ldcc`"),
        "{issues:?}"
    );
    let error = Countries::from_csv(&listing, "c.csv").unwrap_err();
    let Error::Input(issue) = Error::from(error) else {
        panic!("not one input problem");
    };
    assert_eq!(issue.location, Some(Location::line("c.csv", 2)));
    assert_eq!(issue.to_string().matches("c.csv:2").count(), 1, "{issue}");

    // A table that is wrong on every row lists twenty and counts the rest.
    let many = format!(
        "{HEADER}{}",
        "MWI,MW,454,Malawi,,Africa,,ldcc,1971,,\n".repeat(25)
    );
    let error = Countries::from_csv(&many, "g.csv").unwrap_err();
    assert!(
        matches!(&error, CountryDataError::Several { problems, more: 5 } if problems.len() == 20),
        "{error:?}"
    );
    assert!(error
        .to_string()
        .ends_with("… and 5 more problems in the file, not listed"));

    let error = Countries::from_csv(HEADER, "e.csv").unwrap_err();
    assert_eq!(
        error,
        CountryDataError::Empty {
            origin: "e.csv".into()
        }
    );
}

#[test]
fn custom_file_with_bom_and_reordered_columns_loads() {
    let text = "\u{feff}name,iso3,iso2,m49,alt_names,region,sub_region,ldc_listing,\
                    ldc_inclusion_year,ldc_graduation_date,regional_systems\n\
                    Utopia,UTO,UT,,Nowhere,,,graduated,1990,2011,EPO; aripo\n";
    let countries = Countries::from_csv(text, "custom.csv").unwrap();
    let utopia = countries.lookup("nowhere").unwrap();
    assert_eq!(utopia.iso3, "UTO");
    assert_eq!(utopia.regional_systems, ["aripo", "epo"]);
    assert_eq!(utopia.ldc_graduation_date, Some(date("2011-12-31")));
    assert_eq!(utopia.ldc_status_as_of(date("2011-06-01")), "graduating");
    assert_eq!(utopia.ldc_status_as_of(date("1989-06-01")), "no");
}

/// A spreadsheet's "not available" (`#N/A`, `N/A`, `n/a`, `=NA()`) is no country: its letters
/// alone are Namibia's code, which `NA` and `Namibia` still find.
#[test]
fn a_spreadsheet_s_not_available_is_no_country() {
    let countries = builtin();
    for marker in ["#N/A", "N/A", "n/a", "=NA()", "#n/a"] {
        let unknown = countries.lookup(marker).unwrap_err().to_string();
        assert!(
            unknown.contains("that is no country: leave the cell empty")
                && !unknown.contains("Namibia"),
            "{unknown}"
        );
        assert_eq!(countries.position(marker), None, "{marker}");
    }
    // `NA` is Namibia's code but also R's missing value: refused, with Namibia's other names.
    for marker in ["NA", "na", "N.A."] {
        let refused = countries.lookup(marker).unwrap_err().to_string();
        assert!(
            refused.contains("what R writes for a missing value")
                && refused.contains("write NAM or Namibia for Namibia"),
            "{refused}"
        );
        assert_eq!(countries.position(marker), None, "{marker}");
    }
    for name in ["nam", "Namibia"] {
        assert_eq!(countries.lookup(name).unwrap().iso3, "NAM", "{name}");
    }
}

#[test]
fn the_built_in_questionnaire_takes_every_value_the_built_in_table_fills_in() {
    let questionnaire = crate::profile::questionnaire::Questionnaire::builtin().unwrap();
    let countries = Countries::builtin().unwrap();
    assert_eq!(
        crate::profile::prefill_problems(&questionnaire, &countries),
        Vec::<String>::new()
    );
}

/// A table saved by a spreadsheet in a European locale (`;`) or as tab-separated text reads
/// as the comma-separated one does.
#[test]
fn a_table_separated_by_semicolons_or_tabs_reads_as_with_commas() {
    for delimiter in [b';', b'\t'] {
        // Quoted names keep their commas, as a spreadsheet writes them.
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(BUILTIN_CSV.as_bytes());
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(Vec::new());
        for record in reader.records() {
            writer.write_record(&record.unwrap()).unwrap();
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let other = Countries::from_csv(&text, "c.csv").unwrap();
        assert_eq!(other.len(), builtin().len(), "{delimiter:?}");
        let uganda = other.lookup("UGA").unwrap();
        assert_eq!(uganda.ldc_status_as_of(date("2026-01-01")), "ldc");
    }
}
