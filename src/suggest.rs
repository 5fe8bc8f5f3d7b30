//! "Did you mean …" suggestions for misspelt names (fields, columns, countries, words).

/// Edit distance between two strings, counted in characters: insertions, deletions,
/// substitutions, and swaps of two neighbours (`opai` → `oapi` is one edit).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut before_previous: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 0..a.len() {
        current[0] = i + 1;
        for j in 0..b.len() {
            let substitution = previous[j] + usize::from(a[i] != b[j]);
            let mut best = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before_previous[j - 1] + 1);
            }
            current[j + 1] = best;
        }
        std::mem::swap(&mut before_previous, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Longer names get no suggestion.
const MAX_SUGGESTIBLE_CHARS: usize = 100;

/// The edits a name of `chars` characters may be from a candidate to count as near: a third
/// of its length, at least one (so short names still get help).
fn edit_budget(chars: usize) -> usize {
    (chars / 3).max(1)
}

/// The candidates closest to `wanted` (case-insensitive), best first, at most `limit`.
///
/// A candidate qualifies when it is within a third of the wanted length in edits (at least
/// one edit, so short names still get help), or when one contains the other.
pub fn closest<'a, I>(wanted: &str, candidates: I, limit: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    // A name this long is no misspelling of a field id (and would cost seconds to compare).
    if wanted.chars().count() > MAX_SUGGESTIBLE_CHARS {
        return Vec::new();
    }
    let wanted = wanted.to_lowercase();
    let budget = edit_budget(wanted.chars().count());
    let mut scored: Vec<(usize, usize, &'a str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let lower = candidate.to_lowercase();
            let distance = edit_distance(&wanted, &lower);
            let contains = wanted.len().min(lower.len()) >= 4
                && (lower.contains(&wanted) || wanted.contains(&lower));
            // On equal edits, the longer shared start wins: slips come late in a word more
            // often than first (`examinr` is `examiners`, not `examen`).
            let shared_start = wanted
                .chars()
                .zip(lower.chars())
                .take_while(|(w, c)| w == c)
                .count();
            (distance <= budget || contains).then_some((
                distance,
                usize::MAX - shared_start,
                candidate,
            ))
        })
        .collect();
    scored.sort_unstable();
    scored.dedup_by(|a, b| a.2 == b.2);
    scored.into_iter().take(limit).map(|(.., c)| c).collect()
}

/// Whether `wanted` is a slip of the pen for one of `candidates`: within a third of its length
/// in edits (at least one). Stricter than [`closest`], which also offers a name that contains
/// the other (`region` for `regional_system`): that is a hint, not evidence of a typo.
pub fn is_misspelling_of<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> bool {
    let length = wanted.chars().count();
    if length > MAX_SUGGESTIBLE_CHARS {
        return false;
    }
    let wanted = wanted.to_lowercase();
    let budget = edit_budget(length);
    // Lengths further apart than the budget cannot be within it: a wide header of long names
    // costs no edit distances.
    (candidates.into_iter())
        .filter(|c| c.chars().count().abs_diff(length) <= budget)
        .any(|c| edit_distance(&wanted, &c.to_lowercase()) <= budget)
}

/// Whether `wanted` holds every word of one of the `candidates` of two words or more, in any
/// order and among others: `patent examiners (number)` and `Number of patent examiners` name
/// `patent_examiners`. One shared word (`region`, `country_name`) is a hint only.
pub fn names_every_word_of<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> bool {
    if wanted.chars().count() > MAX_SUGGESTIBLE_CHARS {
        return false;
    }
    let wanted = words(wanted);
    wanted.len() >= 2
        && candidates.into_iter().any(|candidate| {
            let needed = words(candidate);
            needed.len() >= 2 && needed.iter().all(|word| wanted.contains(word))
        })
}

/// Whether `wanted`, of two or three words, has among them the one word of one of the
/// `candidates`: `Country name` and `Country (ISO3)` are the field `country` under a
/// spreadsheet's heading (longer names are more likely notes about it).
pub fn names_one_word_field<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> bool {
    if wanted.chars().count() > MAX_SUGGESTIBLE_CHARS {
        return false;
    }
    let wanted = words(wanted);
    (2..=3).contains(&wanted.len())
        && candidates
            .into_iter()
            .any(|candidate| match words(candidate).as_slice() {
                [one] => wanted.contains(one),
                _ => false,
            })
}

/// A name's words, lower case: split at anything but letters and digits.
fn words(text: &str) -> Vec<String> {
    (text.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether every word of `wanted`, of two words or more, is a word of one of the
/// `candidates`: `ip_strategy` is `national_ip_strategy` renamed in an edited questionnaire.
/// One word (`region` in `regional_system`, `country` in `country_name`) is a hint only.
pub fn is_named_within<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> bool {
    (candidates.into_iter()).any(|candidate| names_every_word_of(candidate, [wanted]))
}

/// " (did you mean `a` or `b`?)", or "" when nothing is close.
pub fn did_you_mean<'a, I>(wanted: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let found = closest(wanted, candidates, 3);
    match found.as_slice() {
        [] => String::new(),
        // "did you mean `côte`?" for `côte` is no help: say why two that look alike differ.
        [one] if looks_alike(wanted, one) => format!(
            " (`{one}` looks the same but is written otherwise: in one of the two an accent is typed as a separate mark, as some Mac programs save it; retype it in one of the files)"
        ),
        [one] => format!(" (did you mean `{one}`?)"),
        many => {
            let quoted: Vec<String> = many.iter().map(|c| format!("`{c}`")).collect();
            format!(" (did you mean {}?)", quoted.join(" or "))
        }
    }
}

/// Whether `a` and `b` differ only in how their accents are written: a letter with its accent
/// (`ô`) in one, the letter followed by a combining mark (`o` U+0302) in the other.
fn looks_alike(a: &str, b: &str) -> bool {
    /// Each letter without its accent, and whether it has one.
    fn letters(text: &str) -> Vec<(String, bool)> {
        let mut out: Vec<(String, bool)> = Vec::new();
        for c in text.chars() {
            if crate::catalog::words::is_mark(c) {
                if let Some(last) = out.last_mut() {
                    last.1 = true;
                }
                continue;
            }
            let lower: String = c.to_lowercase().collect();
            let folded = lower.chars().next().and_then(fold_accent);
            out.push(match folded {
                Some(base) if c.is_uppercase() => (base.to_uppercase(), true),
                Some(base) => (base.to_string(), true),
                None => (c.to_string(), false),
            });
        }
        out
    }
    a != b && letters(a) == letters(b)
}

/// The ASCII spelling of a lower-case Latin letter with a diacritic (Latin-1 and Latin
/// Extended-A, plus Romanian ș ț), or `None` for any other character. No Unicode tables are
/// needed: country names use only these.
pub(crate) fn fold_accent(c: char) -> Option<&'static str> {
    Some(match c {
        'à'..='å' | '\u{100}'..='\u{105}' => "a",
        'æ' => "ae",
        'ç' | '\u{106}'..='\u{10d}' => "c",
        'ð' | '\u{10e}'..='\u{111}' => "d",
        'è'..='ë' | '\u{112}'..='\u{11b}' => "e",
        '\u{11c}'..='\u{123}' => "g",
        '\u{124}'..='\u{127}' => "h",
        'ì'..='ï' | '\u{128}'..='\u{131}' => "i",
        '\u{132}'..='\u{133}' => "ij",
        '\u{134}'..='\u{135}' => "j",
        '\u{136}'..='\u{138}' => "k",
        '\u{139}'..='\u{142}' => "l",
        'ñ' | '\u{143}'..='\u{14b}' => "n",
        'ò'..='ö' | 'ø' | '\u{14c}'..='\u{151}' => "o",
        '\u{152}'..='\u{153}' => "oe",
        '\u{154}'..='\u{159}' => "r",
        'ß' => "ss",
        '\u{15a}'..='\u{161}' | '\u{17f}' | '\u{218}'..='\u{219}' => "s",
        '\u{162}'..='\u{167}' | '\u{21a}'..='\u{21b}' => "t",
        'þ' => "th",
        'ù'..='ü' | '\u{168}'..='\u{173}' => "u",
        '\u{174}'..='\u{175}' => "w",
        'ý' | 'ÿ' | '\u{176}'..='\u{178}' => "y",
        '\u{179}'..='\u{17e}' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An accent typed as a separate mark (as some Mac programs save it) looks the same as the
    /// letter with its accent: the suggestion says so instead of repeating what looks alike.
    #[test]
    fn an_accent_written_as_a_separate_mark_is_named_not_suggested_as_it_looks() {
        let composed = "c\u{f4}te-2020";
        let decomposed = "co\u{302}te-2020";
        let hint = did_you_mean(decomposed, [composed]);
        assert!(
            hint.contains("looks the same but is written otherwise"),
            "{hint}"
        );
        assert!(looks_alike(composed, decomposed) && looks_alike("S\u{e3}o", "Sa\u{303}o"));
        // Another accent, or none, does not look the same.
        assert!(!looks_alike("cote", composed));
        assert!(!looks_alike(composed, composed));
        assert_eq!(
            did_you_mean("cote-2020", [composed]),
            " (did you mean `c\u{f4}te-2020`?)"
        );
    }

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
        assert_eq!(edit_distance("opai", "oapi"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }

    #[test]
    fn a_misspelling_is_a_slip_not_a_shared_word() {
        let fields = ["regional_system", "patent_examiners", "country"];
        assert!(is_misspelling_of("regional_sytem", fields));
        assert!(is_misspelling_of("patent_examiner", fields));
        assert!(is_misspelling_of("contry", fields));
        // Columns of a planner's own that share a word with a field are not typos.
        assert!(!is_misspelling_of("region", fields));
        assert!(!is_misspelling_of("country_name", fields));
        assert!(!is_misspelling_of("notes", fields));
    }

    #[test]
    fn a_name_holding_every_word_of_a_field_names_it() {
        let fields = ["regional_system", "patent_examiners", "country"];
        assert!(names_every_word_of("patent_examiners_(number)", fields));
        assert!(names_every_word_of("number_of_patent_examiners", fields));
        assert!(names_every_word_of("System, regional", fields));
        // One word shared is a hint (a field of one word: `names_one_word_field`).
        assert!(!names_every_word_of("examiners", fields));
        assert!(!names_every_word_of("regional_notes", fields));
        assert!(!names_every_word_of("country_name", fields));
    }

    #[test]
    fn a_short_name_holding_a_one_word_field_names_it() {
        let fields = ["regional_system", "country", "challenges"];
        assert!(names_one_word_field("Country name", fields));
        assert!(names_one_word_field("Country (ISO3)", fields));
        assert!(names_one_word_field("main challenges", fields));
        // Fields of two words are named by all their words, not one.
        assert!(!names_one_word_field("regional notes", fields));
        // A sentence about the country is notes.
        assert!(!names_one_word_field("notes on the country", fields));
        assert!(!names_one_word_field("countries", fields));
    }

    #[test]
    fn suggests_near_spellings_only() {
        let fields = ["patent_examiners", "patent_info_center", "ip_strategy"];
        assert_eq!(
            closest("patent_examiner", fields, 3),
            vec!["patent_examiners"]
        );
        assert_eq!(
            did_you_mean("ip_stratgy", fields),
            " (did you mean `ip_strategy`?)"
        );
        assert_eq!(did_you_mean("colour", fields), "");
    }
}
