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
/// one edit, so short names still get help), when one contains the other, or when its start
/// is that near to a wanted name of five characters or more (a long id shortened and
/// misspelt: `sme-suport` for `sme-support-institutions`).
pub fn closest<'a, I>(wanted: &str, candidates: I, limit: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    // A name this long is no misspelling of a field id (and would cost seconds to compare).
    if wanted.chars().count() > MAX_SUGGESTIBLE_CHARS {
        return Vec::new();
    }
    let wanted = wanted.to_lowercase();
    let wanted_chars = wanted.chars().count();
    let budget = edit_budget(wanted_chars);
    let mut scored: Vec<(usize, usize, &'a str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let lower = candidate.to_lowercase();
            let contains = wanted.len().min(lower.len()) >= 4
                && (lower.contains(&wanted) || wanted.contains(&lower));
            let starts_near = || {
                let start: String = lower.chars().take(wanted_chars).collect();
                edit_distance(&wanted, &start) <= budget
            };
            let contains = contains
                || (wanted_chars >= 5 && lower.chars().count() > wanted_chars && starts_near());
            // The edits are at least the difference in length: a candidate longer or shorter
            // than the budget allows is near only by containing, and is left out without its
            // distance (one unknown country compared with each of 1,500 names and codes took
            // half a millisecond, and a batch of 20,000 such rows 10 s: found by fuzzing).
            if !contains && wanted_chars.abs_diff(lower.chars().count()) > budget {
                return None;
            }
            let distance = edit_distance(&wanted, &lower);
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

/// Field ids prepared once for telling whether a column's name is one of them misnamed: each
/// id's lower case, length and words computed once, so that a header of 200,000 columns costs
/// no allocation per column and id (one per test and id had made such a header take 18 s in a
/// debug build).
pub struct FieldNames {
    names: Vec<PreparedName>,
}

struct PreparedName {
    lower: String,
    chars: usize,
    words: Vec<String>,
}

/// A column's name, prepared the same way.
struct Wanted {
    lower: String,
    chars: usize,
    words: Vec<String>,
}

impl Wanted {
    /// `None` for a name too long to be a misnamed field.
    fn new(name: &str) -> Option<Wanted> {
        let chars = name.chars().count();
        (chars <= MAX_SUGGESTIBLE_CHARS).then(|| Wanted {
            lower: name.to_lowercase(),
            chars,
            words: words(name),
        })
    }
}

impl FieldNames {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> FieldNames {
        let names = (names.into_iter())
            .map(|name| PreparedName {
                lower: name.to_lowercase(),
                chars: name.chars().count(),
                words: words(name),
            })
            .collect();
        FieldNames { names }
    }

    /// Whether `column` names one of the fields under another name: a slip of the pen, a name
    /// holding all of a field's words or whose words a field's name holds all of, or a short
    /// heading holding a one-word field (`regional_sytem`, `Number of patent examiners`,
    /// `ip_strategy` for `national_ip_strategy`, `Country name`).
    pub fn misnamed(&self, column: &str) -> bool {
        Wanted::new(column).is_some_and(|wanted| {
            self.misspelt(&wanted)
                || self.every_word_named(&wanted)
                || self.named_within(&wanted)
                || self.one_word_field_named(&wanted)
        })
    }

    /// A slip of the pen: within a third of its length in edits (at least one). Stricter than
    /// [`closest`], which also offers a name that contains the other (`region` for
    /// `regional_system`): that is a hint, not evidence of a typo.
    fn misspelt(&self, wanted: &Wanted) -> bool {
        let budget = edit_budget(wanted.chars);
        // Lengths further apart than the budget cannot be within it: a wide header of long
        // names costs no edit distances.
        (self.names.iter())
            .filter(|name| name.chars.abs_diff(wanted.chars) <= budget)
            .any(|name| edit_distance(&wanted.lower, &name.lower) <= budget)
    }

    /// It holds every word of a field of two words or more, in any order and among others:
    /// `patent examiners (number)` and `Number of patent examiners` name `patent_examiners`.
    /// One shared word (`region`, `country_name`) is a hint only.
    fn every_word_named(&self, wanted: &Wanted) -> bool {
        wanted.words.len() >= 2
            && (self.names.iter()).any(|name| {
                name.words.len() >= 2 && name.words.iter().all(|w| wanted.words.contains(w))
            })
    }

    /// Every one of its words, two or more, is a word of one field: `ip_strategy` is
    /// `national_ip_strategy` renamed in an edited questionnaire.
    fn named_within(&self, wanted: &Wanted) -> bool {
        wanted.words.len() >= 2
            && (self.names.iter()).any(|name| {
                name.chars <= MAX_SUGGESTIBLE_CHARS
                    && name.words.len() >= 2
                    && wanted.words.iter().all(|w| name.words.contains(w))
            })
    }

    /// Of two or three words, it has among them the one word of a field: `Country name` and
    /// `Country (ISO3)` are the field `country` under a spreadsheet's heading (longer names
    /// are more likely notes about it).
    fn one_word_field_named(&self, wanted: &Wanted) -> bool {
        (2..=3).contains(&wanted.words.len())
            && (self.names.iter()).any(|name| match name.words.as_slice() {
                [one] => wanted.words.contains(one),
                _ => false,
            })
    }
}

/// A name's words, lower case: split at anything but letters and digits.
fn words(text: &str) -> Vec<String> {
    (text.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
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
#[allow(clippy::unwrap_used)]
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

    /// `closest` leaves out a candidate too long or too short for the budget without its
    /// distance (which made an unknown country cost half a millisecond): the same candidates,
    /// in the same order, as when every distance is computed.
    #[test]
    fn candidates_left_out_by_length_are_the_ones_too_far_to_suggest() {
        let every_distance = |wanted: &str, candidates: &[&'static str]| {
            let wanted = wanted.to_lowercase();
            let budget = edit_budget(wanted.chars().count());
            let mut scored: Vec<(usize, usize, &str)> = (candidates.iter())
                .filter_map(|candidate| {
                    let lower = candidate.to_lowercase();
                    let distance = edit_distance(&wanted, &lower);
                    let contains = wanted.len().min(lower.len()) >= 4
                        && (lower.contains(&wanted) || wanted.contains(&lower));
                    let shared = (wanted.chars().zip(lower.chars()))
                        .take_while(|(w, c)| w == c)
                        .count();
                    (distance <= budget || contains).then_some((
                        distance,
                        usize::MAX - shared,
                        *candidate,
                    ))
                })
                .collect();
            scored.sort_unstable();
            scored.dedup_by(|a, b| a.2 == b.2);
            scored.into_iter().map(|(.., c)| c).collect::<Vec<_>>()
        };
        let candidates = [
            "UG",
            "UGA",
            "Uganda",
            "Ouganda",
            "Malawi",
            "MWI",
            "Mali",
            "Yemen",
            "YE",
            "Côte d'Ivoire",
            "Ivory Coast",
            "Guinea",
            "Guinea-Bissau",
            "Equatorial Guinea",
            "Papua New Guinea",
            "İstanbul",
            "Niger",
            "Nigeria",
            "NE",
            "NER",
        ];
        for wanted in [
            "y",
            "ug",
            "uganda",
            "ugnda",
            "guinea",
            "guine",
            "bissau",
            "niger",
            "nigeria",
            "ivory",
            "cote divoire",
            "i̇stanbul",
            "ISTANBUL",
            "papua",
            "a",
            "",
            "ma",
        ] {
            assert_eq!(
                closest(wanted, candidates, candidates.len()),
                every_distance(wanted, &candidates),
                "{wanted}"
            );
        }
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
        let fields = FieldNames::new(["regional_system", "patent_examiners", "country"]);
        let is_misspelling_of =
            |name: &str, fields: &FieldNames| fields.misspelt(&Wanted::new(name).unwrap());
        let fields = &fields;
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
        let fields = &FieldNames::new(["regional_system", "patent_examiners", "country"]);
        let names_every_word_of =
            |name: &str, fields: &FieldNames| fields.every_word_named(&Wanted::new(name).unwrap());
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
        let fields = &FieldNames::new(["regional_system", "country", "challenges"]);
        let names_one_word_field = |name: &str, fields: &FieldNames| {
            fields.one_word_field_named(&Wanted::new(name).unwrap())
        };
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

    /// A long id shortened and misspelt (`ipneeds programs show sme-suport`) found nothing: too
    /// far from the whole id, and no part of it.
    #[test]
    fn a_shortened_misspelt_name_is_found_by_its_start() {
        let ids = [
            "sme-support-institutions",
            "ip-education",
            "university-ip-policies",
        ];
        assert_eq!(
            closest("sme-suport", ids, 3),
            vec!["sme-support-institutions"]
        );
        assert_eq!(closest("univrsity", ids, 3), vec!["university-ip-policies"]);
        // Four letters are too few to tell a start from chance.
        assert!(closest("unvi", ids, 3).is_empty());
        assert!(closest("teacher", ids, 3).is_empty());
    }
}
