//! Words planners use that the 2008 catalog does not (TISC, pendency, CMO, tech transfer …),
//! each with the catalog's own words a search adds: `data/synonyms.yaml`, data a policy officer
//! edits. Applied to keyword searches and to free-text answers alike. The same file lists the
//! generic words (`main`, `urgent`, `problems` …) that free text does not match at all.
//!
//! A key matches when its analysed words (lower case, accents folded, stemmed, as the index
//! reads text) occur in a row in the analysed text: `TISCs`, `tisc` and `TISC's` all match
//! `TISC`, and `tech transfer` matches "Tech-transfer offices".

use crate::catalog::index;
use crate::catalog::words::KeptApart;
use crate::error::{Error, Result};
use crate::io::yaml;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

/// The built-in vocabulary, embedded so the binary needs no data files at run time.
pub const BUILTIN_TEXT: &str = include_str!("../../data/synonyms.yaml");
const BUILTIN_ORIGIN: &str = "<built-in data/synonyms.yaml>";

/// One entry: what planners type, and the catalog words it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Synonym {
    /// The keys as written in the file (for messages).
    pub words: Vec<String>,
    /// The catalog words a search adds, as written.
    pub means: String,
    /// Where `means` is written (`file:line:column`), for messages.
    pub means_at: String,
    /// Where each key of `words` is written, in the same order.
    pub words_at: Vec<String>,
    /// Each key's position in `words`, with its analysed terms in order.
    keys: Vec<(usize, Vec<String>)>,
}

impl Synonym {
    /// Each key's analysed terms.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &[String]> {
        self.keys.iter().map(|(_, terms)| terms.as_slice())
    }
}

/// An entry a text mentions, with its key as written in the file (`gestión colectiva`, not
/// the entry's first key `CMO`): what a note tells the user they typed.
#[derive(Debug, Clone, Copy)]
pub struct Mention<'a> {
    pub entry: &'a Synonym,
    pub word: &'a str,
}

/// The vocabulary in force.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Synonyms {
    /// The file it came from, or the built-in name.
    pub origin: String,
    pub entries: Vec<Synonym>,
    /// Words that say how much, how urgently or since when a country needs something, not
    /// what (`generic_words`), as written.
    pub generic_words: Vec<String>,
    /// Their analysed terms, sorted and each once (`need` and `needs` are one term).
    generic_terms: Vec<String>,
    /// The words the analyser keeps apart from their stems (`kept_apart`): every text read
    /// with these synonyms (the catalog's index, queries, needs, free text) is read with it.
    pub kept_apart: KeptApart,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymsFile {
    synonyms: Vec<Spanned<EntryFile>>,
    #[serde(default)]
    generic_words: Vec<Spanned<String>>,
    #[serde(default)]
    kept_apart: Vec<Spanned<KeptFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeptFile {
    words: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    words: Vec<Spanned<String>>,
    means: Spanned<String>,
}

impl Synonyms {
    /// The built-in vocabulary.
    pub fn builtin() -> Result<Synonyms> {
        Synonyms::from_yaml(BUILTIN_TEXT, BUILTIN_ORIGIN)
    }

    /// Parses and validates a synonyms file; `origin` names it in messages. Every problem is
    /// reported at once.
    pub fn from_yaml(text: &str, origin: &str) -> Result<Synonyms> {
        let file: SynonymsFile = yaml::parse_data(text, origin, "--synonyms")?;
        let mut problems = Vec::new();
        // First: the keys below are analysed as texts will be, with these words kept apart.
        let kept_apart = kept_apart(&file.kept_apart, origin, &mut problems);
        let mut entries = Vec::new();
        // Each analysed key, with the entry and line that first gave it. Variants of one key
        // in one entry (`TISC, TISCs`) are welcome; the same key in two entries is ambiguous.
        let mut seen: Vec<(Vec<String>, String, u64, usize)> = Vec::new();
        for (position, entry) in file.synonyms.into_iter().enumerate() {
            let line = entry.referenced.line();
            let at = format!("{origin}:{line}:{}", entry.referenced.column());
            let EntryFile { words, means } = entry.value;
            let means_at = format!(
                "{origin}:{}:{}",
                means.referenced.line(),
                means.referenced.column()
            );
            let means = means.value;
            let words_at: Vec<String> = (words.iter())
                .map(|word| {
                    format!(
                        "{origin}:{}:{}",
                        word.referenced.line(),
                        word.referenced.column()
                    )
                })
                .collect();
            let words: Vec<String> = words.into_iter().map(|word| word.value).collect();
            if words.is_empty() {
                problems.push(format!(
                    "{at}: `words` is empty: list what planners type, e.g. `words: [TISC, TISCs]`"
                ));
            }
            if let Some(syntax) = query_syntax(&means) {
                problems.push(format!(
                    "{means_at}: `means` holds {syntax}, which a search reads as query syntax, not as words: write the catalog's words alone, e.g. `means: patent information services`"
                ));
            }
            if !index::has_terms(&means) {
                problems.push(format!(
                    "{at}: `means` has no word to search for: give the catalog's own words, e.g. `means: patent information services`"
                ));
            }
            let mut keys = Vec::new();
            for (at_word, word) in words.iter().enumerate() {
                let terms = index::terms(&kept_apart, word);
                let at = words_at.get(at_word).unwrap_or(&at);
                if word.trim().is_empty() {
                    problems.push(format!("{at}: an empty key in `words`: remove it"));
                    continue;
                }
                if terms.is_empty() {
                    problems.push(format!(
                        "{at}: `{word}` has no word a search can use (only stop words or punctuation): remove it"
                    ));
                    continue;
                }
                match seen.iter().find(|(k, ..)| *k == terms) {
                    // Kept as a key of its own: it is written differently, and a key whose
                    // stem is a catalog word matches only as written (`digitalization`
                    // beside `digitization`, both `digit`, was read as the catalog's "digital").
                    Some((.., same)) if *same == position => {}
                    Some((_, first, first_line, _)) => {
                        problems.push(format!(
                            "{at}: `{word}` is also an entry's key on line {first_line} (as `{first}`): a key may stand for one set of words only; keep one"
                        ));
                        continue;
                    }
                    None => seen.push((terms.clone(), word.clone(), line, position)),
                }
                keys.push((at_word, terms));
            }
            entries.push(Synonym {
                words,
                means,
                keys,
                means_at,
                words_at,
            });
        }
        let mut generic_terms = Vec::new();
        for word in &file.generic_words {
            let at = format!(
                "{origin}:{}:{}",
                word.referenced.line(),
                word.referenced.column()
            );
            let word = &word.value;
            match index::terms(&kept_apart, word).as_slice() {
                [] => problems.push(format!(
                    "{at}: generic word `{word}` is a stop word or punctuation, which free text skips already: remove it"
                )),
                [term] => match seen.iter().find(|(key, ..)| key.as_slice() == std::slice::from_ref(term)) {
                    Some((_, key, key_line, _)) => problems.push(format!(
                        "{at}: generic word `{word}` is also an entry's key on line {key_line} (as `{key}`): a word either stands for catalog words or for none; keep one"
                    )),
                    None => generic_terms.push(term.clone()),
                },
                _ => problems.push(format!(
                    "{at}: generic word `{word}` is several words: list one word per item"
                )),
            }
        }
        if !problems.is_empty() {
            return Err(Error::many(problems));
        }
        generic_terms.sort_unstable();
        generic_terms.dedup();
        Ok(Synonyms {
            origin: origin.to_string(),
            entries,
            generic_words: file.generic_words.into_iter().map(|w| w.value).collect(),
            generic_terms,
            kept_apart,
        })
    }

    /// The analysed terms of `text` (stems, stop words removed, this file's `kept_apart`
    /// words kept apart), in order, repeats kept: how the index reads it.
    pub fn terms(&self, text: &str) -> Vec<String> {
        index::terms(&self.kept_apart, text)
    }

    /// Like [`Synonyms::terms`], into a vector reused from call to call.
    pub fn terms_into(&self, text: &str, terms: &mut Vec<String>) {
        index::terms_into(&self.kept_apart, text, terms);
    }

    /// Whether this is the vocabulary built into the binary.
    pub fn is_builtin(&self) -> bool {
        self.origin == BUILTIN_ORIGIN
    }

    /// Whether the analysed `term` is one of the generic words, or a single letter: free text
    /// does not match it against the catalog (see `generic_words` in `data/synonyms.yaml`).
    pub(crate) fn is_generic(&self, term: &str) -> bool {
        crate::catalog::words::is_letter(term)
            || (self.generic_terms)
                .binary_search_by(|generic| generic.as_str().cmp(term))
                .is_ok()
    }

    /// The entries whose keys occur in `text`, in file order, each once (by its first key
    /// found in the text). `in_catalog` tells a term the catalog holds: a one-word key whose
    /// term it holds matches only as written (see [`Synonyms::written_as_key`]).
    pub fn matches(&self, text: &str, in_catalog: &dyn Fn(&str) -> bool) -> Vec<Mention<'_>> {
        // Each word's term beside the word as written (the analyser works word by word).
        let mut terms = Vec::new();
        let mut written = Vec::new();
        for (_, word) in crate::catalog::words::words(text) {
            for term in self.terms(word) {
                terms.push(term);
                written.push(word);
            }
        }
        self.entries
            .iter()
            .filter_map(|entry| {
                // A key matching only as written is this key as written, so the note names
                // the word typed (`digitalization`, not its entry's `digitization`).
                let written_as = |at_word: usize, word: &str| {
                    (entry.words.get(at_word))
                        .is_some_and(|key| key.to_lowercase() == word.to_lowercase())
                };
                let (at_word, _) =
                    entry
                        .keys
                        .iter()
                        .find(|(at_word, key)| match key.as_slice() {
                            [] => false,
                            [one] => (terms.iter().zip(&written)).any(|(term, word)| {
                                term == one && (!in_catalog(term) || written_as(*at_word, word))
                            }),
                            key => terms.windows(key.len()).any(|window| window == key),
                        })?;
                let word = entry.words.get(*at_word)?;
                Some(Mention { entry, word })
            })
            .collect()
    }

    /// Whether `word` is written as one of entry `position`'s one-word keys (in any case).
    /// Such a key whose stem is a catalog word stands only for itself, not for every word of
    /// that stem: "legislators" (policy makers) is a key, and "legislation", a catalog word
    /// of the same stem, must keep meaning legislation; so with "digitization" and "digital",
    /// "customs" and "customized".
    pub(crate) fn written_as_key(&self, position: usize, word: &str) -> bool {
        let Some(entry) = self.entries.get(position) else {
            return false;
        };
        let word = word.to_lowercase();
        (entry.keys.iter())
            .filter(|(_, terms)| terms.len() == 1)
            .filter_map(|(at_word, _)| entry.words.get(*at_word))
            .any(|key| key.to_lowercase() == word)
    }

    /// The position of the entry whose key is the one analysed word `term` (`tisc` for TISC,
    /// TISCs): free text reads a planner's word as the catalog's words for it (keys of several
    /// words are matched on the text's run of terms, in the scoring's word memo).
    pub(crate) fn position_of_word(&self, term: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|entry| (entry.keys()).any(|key| key.len() == 1 && key[0] == term))
    }

    /// `text` with the catalog words of `matched` (from [`Synonyms::matches`]) added at the end.
    pub fn expanded(text: &str, matched: &[Mention]) -> String {
        let means = matched.iter().map(|m| format!(" {}", m.entry.means));
        std::iter::once(text.to_string()).chain(means).collect()
    }
}

/// The `kept_apart` section: each entry lists the forms of one word (`accession`,
/// `accessions`) that keep the first one's term instead of the stem they share with a word of
/// another meaning. Its problems go to `problems`, in the editor's words and at their place.
fn kept_apart(
    entries: &[Spanned<KeptFile>],
    origin: &str,
    problems: &mut Vec<String>,
) -> KeptApart {
    let place = |line: u64, column: u64| format!("{origin}:{line}:{column}");
    // How the stemmer reads a word, with nothing kept apart.
    let unkept = KeptApart::default();
    let mut pairs: Vec<(String, String)> = Vec::new();
    // Each word listed, with the line it is first listed on.
    let mut listed: Vec<(String, u64)> = Vec::new();
    for entry in entries {
        let at = place(entry.referenced.line(), entry.referenced.column());
        let words = &entry.value.words;
        if words.is_empty() {
            problems.push(format!(
                "{at}: `words` is empty: list the forms of one word, e.g. `words: [accession, accessions]`"
            ));
            continue;
        }
        // The entry's term and stem: its first word's, in lower case.
        let mut first: Option<(String, String)> = None;
        for word in words {
            let line = word.referenced.line();
            let at = place(line, word.referenced.column());
            let written = word.value.trim();
            let lower = written.to_ascii_lowercase();
            if let Some(problem) = not_one_word(written) {
                problems.push(format!("{at}: {problem}"));
                continue;
            }
            if let Some((_, first_line)) = listed.iter().find(|(seen, _)| *seen == lower) {
                problems.push(format!(
                    "{at}: `{written}` is listed twice in `kept_apart` (first on line {first_line}): keep one"
                ));
                continue;
            }
            listed.push((lower.clone(), line));
            let stem = match index::terms(&unkept, written).as_slice() {
                [stem] => stem.clone(),
                _ => {
                    problems.push(format!(
                        "{at}: `{written}` is a stop word, which searches skip before stemming: it has no stem to keep apart from; remove it"
                    ));
                    continue;
                }
            };
            if stem == lower {
                problems.push(format!(
                    "{at}: `{written}` is its own stem: the stemmer merges no other word into it that it could be kept apart from; list the word of another meaning that the stemmer reads as `{stem}` instead (e.g. `accession`, not `access`), or remove it"
                ));
                continue;
            }
            match &first {
                None => first = Some((lower.clone(), stem)),
                Some((term, first_stem)) if *first_stem != stem => {
                    problems.push(format!(
                        "{at}: `{written}` does not share the stem of `{term}`, the first word of its entry (`{stem}`, not `{first_stem}`): an entry lists the forms of one word, which all keep `{term}`; give `{written}` an entry of its own"
                    ));
                    continue;
                }
                Some(_) => {}
            }
            if let Some((term, _)) = &first {
                pairs.push((lower, term.clone()));
            }
        }
    }
    KeptApart::from(pairs)
}

/// What is wrong with `word` as an entry of `kept_apart`, where each item is one word of
/// letters a to z, as typed in an English text (the list is matched against the text as typed).
fn not_one_word(word: &str) -> Option<String> {
    if word.is_empty() {
        return Some("an empty word in `words`: remove it".to_string());
    }
    if word.split_whitespace().nth(1).is_some() {
        return Some(format!(
            "`{word}` is several words: the stemmer reads one word at a time; list each word on its own, e.g. `words: [industrial]`"
        ));
    }
    match word.chars().find(|c| !c.is_ascii_alphabetic()) {
        None => None,
        Some(c) if c.is_alphabetic() => Some(format!(
            "`{word}` has the letter `{c}`: the English stemmer's words are written in letters a to z; list the word as an English text writes it, or remove it"
        )),
        Some(c) => Some(format!(
            "`{word}` holds `{c}`: list the word alone, in letters a to z (`authorities`, not `authorities'` or `authorities,`)"
        )),
    }
}

/// The first piece of query syntax in a `means` (it is added to the searched text, so `:`,
/// quotes, brackets, `-word` or `OR` there would change what the planner's search asks).
fn query_syntax(means: &str) -> Option<String> {
    if let Some(c) = means.chars().find(|c| ":\"()[]{}^~*?\\".contains(*c)) {
        return Some(format!("`{c}`"));
    }
    let words = means.split_whitespace();
    words
        .filter(|w| w.starts_with(['+', '-']) || ["AND", "OR", "NOT", "IN"].contains(w))
        .map(|w| format!("`{w}`"))
        .next()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_file_loads() {
        let synonyms = Synonyms::builtin().unwrap();
        assert!(synonyms.entries.len() >= 30, "{}", synonyms.entries.len());
    }

    /// A one-word key the catalog already holds adds its own word again: searches and free
    /// text would count it twice (`information`, `inventor` were once added that way). The
    /// exceptions are the keys the file's header names, kept for what their `means` adds.
    #[test]
    fn no_built_in_one_word_key_is_a_catalog_word_but_the_named_exceptions() {
        const NAMED_IN_THE_HEADER: [&str; 4] =
            ["customs", "digitization", "digitalization", "legislators"];
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        let vocabulary = index::CatalogIndex::build_in_memory(&catalog)
            .unwrap()
            .vocabulary()
            .unwrap();
        let builtin = Synonyms::builtin().unwrap();
        let mut doubled = Vec::new();
        for entry in &builtin.entries {
            for (at_word, terms) in &entry.keys {
                let word = &entry.words[*at_word];
                if let [term] = terms.as_slice() {
                    if vocabulary.contains(term) && !NAMED_IN_THE_HEADER.contains(&word.as_str()) {
                        doubled.push(word.as_str());
                    }
                }
            }
        }
        assert!(
            doubled.is_empty(),
            "keys the catalog already holds: {doubled:?}"
        );
    }

    #[test]
    fn keys_match_in_any_case_plural_and_inside_phrases() {
        let synonyms = Synonyms::from_yaml(
            "synonyms:\n  - words: [TISC, tech transfer]\n    means: patent information\n",
            "s.yaml",
        )
        .unwrap();
        for (text, word) in [
            ("TISCs", "TISC"),
            ("set up a tisc", "TISC"),
            ("Tech-transfer offices", "tech transfer"),
        ] {
            let matched = synonyms.matches(text, &|_| false);
            assert_eq!(matched.len(), 1, "{text}");
            assert_eq!(matched[0].word, word, "{text}");
        }
        for text in ["technology", "transfer of tech"] {
            assert!(synonyms.matches(text, &|_| false).is_empty(), "{text}");
        }
        let expand = |text| Synonyms::expanded(text, &synonyms.matches(text, &|_| false));
        assert_eq!(
            expand("a TISC network"),
            "a TISC network patent information"
        );
        assert_eq!(expand("nothing here"), "nothing here");
    }

    /// A one-word key whose term the catalog holds matches only as written: "legislators"
    /// (policy makers) is a key, and "legislation", of the same stem, is the catalog's word.
    #[test]
    fn a_key_of_a_catalog_words_stem_matches_only_as_written() {
        let synonyms = Synonyms::from_yaml(
            "synonyms:\n  - words: [legislators]\n    means: policy-makers\n",
            "s.yaml",
        )
        .unwrap();
        let in_catalog = |term: &str| term == "legisl";
        assert_eq!(synonyms.terms("legislation"), ["legisl"]);
        assert!(synonyms
            .matches("update the legislation", &in_catalog)
            .is_empty());
        let matched = synonyms.matches("brief the Legislators", &in_catalog);
        assert_eq!(matched.len(), 1);
        // Outside the catalog's words, the key matches every word of its stem as before.
        assert_eq!(synonyms.matches("legislation", &|_| false).len(), 1);
    }

    #[test]
    fn generic_words_are_one_word_each_and_never_a_key() {
        let synonyms = Synonyms::from_yaml(
            "synonyms:\n  - words: [TISC]\n    means: patent information\n\ngeneric_words: [Urgent, needs, need]\n",
            "s.yaml",
        )
        .unwrap();
        assert!(synonyms.is_generic("urgent") && synonyms.is_generic("need"));
        assert!(!synonyms.is_generic("tisc") && !synonyms.is_generic("backlog"));
        assert_eq!(synonyms.generic_words, ["Urgent", "needs", "need"]);
        let error = Synonyms::from_yaml(
            "synonyms:\n  - words: [TISC]\n    means: patent information\ngeneric_words:\n  - the\n  - main problem\n  - TISCs\n",
            "s.yaml",
        )
        .unwrap_err()
        .to_string();
        for expected in [
            "s.yaml:5:5: generic word `the` is a stop word",
            "s.yaml:6:5: generic word `main problem` is several words",
            "s.yaml:7:5: generic word `TISCs` is also an entry's key on line 2 (as `TISC`)",
        ] {
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn query_syntax_in_a_means_is_an_error_at_its_place() {
        for (means, named) in [
            ("title:patent", "`:`"),
            ("\"patent information\"", "`\"`"),
            ("patent (information", "`(`"),
            ("patent -trademark", "`-trademark`"),
            ("patent OR trademark", "`OR`"),
        ] {
            let yaml = format!("synonyms:\n  - words: [TISC]\n    means: '{means}'\n");
            let error = Synonyms::from_yaml(&yaml, "s.yaml")
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(&format!("s.yaml:3:12: `means` holds {named}")),
                "{means}: {error}"
            );
        }
        // Apostrophes, hyphens inside words and lower-case `or` are words.
        let words = "synonyms:\n  - words: [TISC]\n    means: small-scale innovators' patent or trademark\n";
        assert!(Synonyms::from_yaml(words, "s.yaml").is_ok());
    }

    #[test]
    fn a_key_given_twice_and_empty_parts_are_errors_with_their_lines() {
        let error = Synonyms::from_yaml(
            "synonyms:\n  - words: [TISC]\n    means: patent information\n  - words: [tiscs, '...']\n    means: the of\n",
            "s.yaml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("s.yaml:4:13: `tiscs` is also an entry's key on line 2 (as `TISC`)"),
            "{error}"
        );
        assert!(
            error.contains("`means` has no word to search for"),
            "{error}"
        );
        assert!(
            error.contains("`...` has no word a search can use"),
            "{error}"
        );
    }

    /// `kept_apart` is validated at each word's place: one word in letters a to z, listed
    /// once, not a stop word, not its own stem, and one stem per entry.
    #[test]
    fn kept_apart_problems_are_errors_at_their_place() {
        let yaml = "synonyms: []\nkept_apart:\n  - words: [Accession, accessions]\n  - words: [access, 'united nations', \"authors'\", adhésion]\n  - words: [the, ACCESSION]\n  - words: [authority, units]\n  - words: []\n";
        let error = Synonyms::from_yaml(yaml, "s.yaml").unwrap_err().to_string();
        for expected in [
            "s.yaml:4:13: `access` is its own stem",
            "s.yaml:4:21: `united nations` is several words",
            "s.yaml:4:39: `authors'` holds `'`",
            "s.yaml:4:51: `adhésion` has the letter `é`",
            "s.yaml:5:13: `the` is a stop word",
            "s.yaml:5:18: `ACCESSION` is listed twice in `kept_apart` (first on line 3)",
            "s.yaml:6:24: `units` does not share the stem of `authority`",
            "s.yaml:7:5: `words` is empty",
        ] {
            assert!(error.contains(expected), "{expected}\n{error}");
        }
        // A word listed keeps its first form's term, in any case; the section is optional.
        let kept = Synonyms::from_yaml(
            "synonyms: []\nkept_apart:\n  - words: [Accession, accessions]\n",
            "s.yaml",
        )
        .unwrap();
        assert_eq!(kept.terms("ACCESSIONS access"), ["accession", "access"]);
        let none = Synonyms::from_yaml("synonyms: []\n", "s.yaml").unwrap();
        assert_eq!(none.terms("accession access"), ["access", "access"]);
    }
}
