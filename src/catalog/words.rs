//! What a word is, for the analyser and for everything that splits text as the analyser does.
//!
//! A word is a run of letters and digits, as in tantivy's `SimpleTokenizer`, with one addition:
//! an accent typed as a separate mark after a letter (text pasted from a Mac or typed with some
//! keyboards writes `ó` as `o` followed by U+0301) belongs to its word. Without it `gestión`
//! written that way was two words, `gestio` and `n`, and matched nothing.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// A combining mark: an accent that modifies the character before it.
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// A character that shows nothing, so that a word holding one reads whole: a soft hyphen (in
/// text copied from a PDF), a zero-width space or joiner, a word joiner, a direction mark, a
/// byte-order mark. Split there, `back­log` was two words, `back` and `log`, that matched no
/// program, and the country's need went unscored without a word. (A bidirectional override
/// reorders what follows, so it is not one: see [`crate::io::quote::hides_its_text`].)
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}'
        | '\u{FEFF}')
}

/// Whether an analysed term is a number ("2", "2024"): free text is not matched on it. The
/// catalog's only small numbers are a list's markers, program 9's "(1) Patent Drafting, (2) …",
/// so a "2" in a country's text ("only 2 examiners", "priority (1)") read as that program.
pub(crate) fn is_number(term: &str) -> bool {
    !term.is_empty() && term.bytes().all(|b| b.is_ascii_digit())
}

/// Whether an analysed term is a single letter: free text skips it as a generic word (see
/// `Synonyms::is_generic`). A letter names nothing, and matched the catalog's letters:
/// Portuguese "e" (and) read as "E-Communication" (program 6), French "d'" as "R&D".
pub(crate) fn is_letter(term: &str) -> bool {
    term.chars().count() == 1
}

/// The words of `text`, each with its byte offset, as typed (marks and invisible characters
/// inside them included).
pub fn words(text: &str) -> Words<'_> {
    Words {
        text,
        chars: text.char_indices().peekable(),
    }
}

/// The iterator of [`words`].
pub struct Words<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let (start, _) = self.chars.find(|(_, c)| c.is_alphanumeric())?;
        let mut end = self.text.len();
        while let Some(&(at, c)) = self.chars.peek() {
            if !c.is_alphanumeric() && !is_mark(c) && !is_invisible(c) {
                end = at;
                break;
            }
            self.chars.next();
        }
        Some((start, &self.text[start..end]))
    }
}

/// `word` without its combining marks (the letters they sit on are folded by the analyser)
/// and invisible characters.
pub fn without_marks(word: &str) -> std::borrow::Cow<'_, str> {
    let dropped = |c: char| is_mark(c) || is_invisible(c);
    match word.chars().any(dropped) {
        true => word
            .chars()
            .filter(|&c| !dropped(c))
            .collect::<String>()
            .into(),
        false => word.into(),
    }
}

/// An acronym's plural is the acronym: `LDCs` is `LDC`, `NGOs` is `NGO`. The English stemmer
/// drops a plural `s` only after a vowel earlier in the word, so it kept `ldcs` whole and a
/// search for "LDC" found nothing, though the catalog says "LDCs" twice.
fn acronym_singular(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(acronym)
            if acronym.len() >= 2
                && acronym
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                && acronym.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            acronym
        }
        _ => word,
    }
}

/// The analyser's tokenizer: [`words`], each token's text without its marks and its offsets
/// those of the word as typed (so highlights cover the whole word).
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

pub struct WordStream<'a> {
    words: Words<'a>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            words: words(text),
            token: &mut self.token,
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let Some((start, word)) = self.words.next() else {
            return false;
        };
        self.token.text.clear();
        self.token
            .text
            .push_str(&without_marks(acronym_singular(word)));
        self.token.offset_from = start;
        self.token.offset_to = start + word.len();
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// Words the English stemmer gives the stem of a word of another meaning, each with the term
/// it keeps instead: `kept_apart` in `data/synonyms.yaml`, read with the synonyms (see
/// `Synonyms::from_yaml`, which validates it). Without it "Industrial Property Act" read as
/// program 5's "creative industries", "accession to the PCT" as "access to information".
/// Shared (`Arc`): every analyser built from it, one per thread, compares it by address first.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "Vec<(String, String)>", into = "Vec<(String, String)>")]
pub struct KeptApart(std::sync::Arc<[(String, String)]>);

impl From<Vec<(String, String)>> for KeptApart {
    /// `(word, term)` pairs, the words in lower case (ASCII letters: see `Synonyms`).
    fn from(mut pairs: Vec<(String, String)>) -> KeptApart {
        pairs.sort_unstable();
        pairs.dedup_by(|a, b| a.0 == b.0);
        KeptApart(pairs.into())
    }
}

impl From<KeptApart> for Vec<(String, String)> {
    fn from(kept: KeptApart) -> Vec<(String, String)> {
        kept.0.to_vec()
    }
}

impl KeptApart {
    /// The listed words (lower case), each with the term it keeps, sorted by word.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(word, term)| (word.as_str(), term.as_str()))
    }

    /// Whether `other` is this very list, shared (cheaper than comparing the words).
    pub(crate) fn is_shared(&self, other: &KeptApart) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }

    /// The term `word` (as typed, in any ASCII case) keeps apart from its stem, if listed.
    fn term(&self, word: &str) -> Option<&str> {
        let lower = |listed: &str| {
            listed
                .bytes()
                .cmp(word.bytes().map(|b| b.to_ascii_lowercase()))
        };
        let at = self.0.binary_search_by(|(listed, _)| lower(listed)).ok()?;
        self.0.get(at).map(|(_, term)| term.as_str())
    }
}

/// The analyser's filter after the stemmer: a word of its [`KeptApart`] list gets its own term
/// back, read from the text as typed (the token's offsets), so the list names words, not stems.
#[derive(Clone, Default)]
pub struct KeepApart(pub KeptApart);

impl TokenFilter for KeepApart {
    type Tokenizer<T: Tokenizer> = KeepApartFilter<T>;
    fn transform<T: Tokenizer>(self, inner: T) -> KeepApartFilter<T> {
        KeepApartFilter {
            inner,
            kept: self.0,
        }
    }
}

#[derive(Clone)]
pub struct KeepApartFilter<T> {
    inner: T,
    kept: KeptApart,
}

impl<T: Tokenizer> Tokenizer for KeepApartFilter<T> {
    type TokenStream<'a> = KeepApartStream<'a, T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        KeepApartStream {
            text,
            kept: &self.kept,
            tail: self.inner.token_stream(text),
        }
    }
}

pub struct KeepApartStream<'a, S> {
    text: &'a str,
    kept: &'a KeptApart,
    tail: S,
}

impl<S: TokenStream> TokenStream for KeepApartStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let typed = self.text.get(token.offset_from..token.offset_to);
        if let Some(term) = typed.and_then(|word| self.kept.term(word)) {
            token.text.clear();
            token.text.push_str(term);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize, usize)> {
        let mut tokenizer = WordTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            out.push((token.text.clone(), token.offset_from, token.offset_to));
        }
        out
    }

    #[test]
    fn words_split_as_the_simple_tokenizer_does() {
        let text = "Hello, happy tax-payer! master's 2,400 ÉCOLE";
        let mut simple = tantivy::tokenizer::SimpleTokenizer::default();
        let mut stream = simple.token_stream(text);
        let mut expected = Vec::new();
        while stream.advance() {
            let token = stream.token();
            expected.push((token.text.clone(), token.offset_from, token.offset_to));
        }
        assert_eq!(tokens(text), expected);
    }

    #[test]
    fn an_accent_typed_as_a_mark_stays_in_its_word() {
        // `gestión` as a Mac writes it: `o` and U+0301.
        let decomposed = "la gestio\u{301}n colectiva";
        assert_eq!(
            tokens(decomposed),
            vec![
                ("la".to_string(), 0, 2),
                ("gestion".to_string(), 3, 12),
                ("colectiva".to_string(), 13, 22),
            ]
        );
        let typed: Vec<&str> = words(decomposed).map(|(_, word)| word).collect();
        assert_eq!(typed, ["la", "gestio\u{301}n", "colectiva"]);
        // A mark with no letter before it separates, as any symbol does.
        assert_eq!(
            tokens("\u{301}ab \u{301} c"),
            vec![("ab".to_string(), 2, 4), ("c".to_string(), 8, 9)]
        );
    }

    #[test]
    fn an_acronym_s_plural_is_the_acronym() {
        let texts: Vec<String> = (tokens("LDCs NGOs SMEs ICT4Ds Is OS gas PYMES"))
            .into_iter()
            .map(|(text, _, _)| text)
            .collect();
        assert_eq!(
            texts,
            ["LDC", "NGO", "SME", "ICT4D", "Is", "OS", "gas", "PYMES"]
        );
        // The offsets are the word's as typed, so a highlight covers its `s`.
        assert_eq!(tokens("the LDCs")[1], ("LDC".to_string(), 4, 8));
    }

    /// The analyser keeps apart the words the stemmer would merge with another meaning
    /// (`kept_apart` in `data/synonyms.yaml`), in any case; their neighbours of the same stem
    /// keep the stem.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn words_of_another_meaning_keep_their_own_term() {
        let synonyms = crate::catalog::synonyms::Synonyms::builtin().unwrap();
        assert_eq!(
            synonyms.terms("Industrial industries Accession access authorities authors"),
            [
                "industrial",
                "industri",
                "accession",
                "access",
                "authority",
                "author"
            ]
        );
        assert_eq!(
            synonyms.terms("the United Nations units"),
            ["united", "nation", "unit"]
        );
        // With nothing kept apart, the stemmer merges them.
        let unkept = |text: &str| crate::catalog::index::terms(&KeptApart::default(), text);
        assert_eq!(unkept("Industrial industries"), ["industri", "industri"]);
    }

    /// Every built-in listed word is a real stem collision: its stem is also the stem of a word
    /// of another meaning, in the catalog's text or (for `authority`) in planners' texts.
    #[test]
    #[allow(clippy::unwrap_used)]
    fn each_built_in_kept_word_really_collides() {
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        let unkept = |text: &str| crate::catalog::index::terms(&KeptApart::default(), text);
        let listed: Vec<(&str, &str)> = catalog.synonyms.kept_apart.pairs().collect();
        assert!(listed.len() >= 9, "{listed:?}");
        let mut others: Vec<String> = Vec::new();
        for program in &catalog.programs {
            for field in crate::catalog::TEXT_FIELDS {
                for line in program.field_lines(field) {
                    others.extend(words(line).map(|(_, word)| word.to_lowercase()));
                }
            }
        }
        // "authors" (of works) is planners' word, not the catalog's.
        others.push("authors".to_string());
        for (word, _) in listed {
            let stem = unkept(word);
            let collides = (others.iter())
                .filter(|other| !listed_in(&catalog, other))
                .any(|other| unkept(other) == stem);
            assert!(
                collides,
                "{word} ({stem:?}) shares its stem with no other word"
            );
        }
    }

    fn listed_in(catalog: &crate::catalog::Catalog, word: &str) -> bool {
        (catalog.synonyms.kept_apart.pairs()).any(|(listed, _)| listed == word)
    }
}
