//! The tantivy full-text index over the catalog: schema, build, keyword search, per-term
//! relevance, and the catalog line that best matches a set of terms (the snippet).
//!
//! One document per program, one multi-valued text field per catalog list, all analysed with
//! the same English analyser (lower case, ASCII folding, English stop words, Snowball stemmer),
//! so `examiner` finds "examiners". Objectives weigh most: the mission scores needs against
//! program objectives.

use crate::catalog::words::KeptApart;
use crate::catalog::{Catalog, Program, TEXT_FIELDS};
use crate::error::{Error, Result};
use rustc_hash::FxHashMap;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use tantivy::collector::TopDocs;
use tantivy::directory::RamDirectory;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter,
    TextAnalyzer, TokenizerManager,
};
use tantivy::{DocAddress, Index, IndexBuilder, Searcher, TantivyDocument, Term};

/// The analyser's name in the index.
const ANALYZER: &str = "ipneeds_en";

/// The field plain words are matched in: each program's whole text as one field, so that a
/// word's rarity is judged over whole programs. (BM25 per short field judged it within each
/// field: a common word that happened to be rare in `objectives` or `title` counted up to five
/// times, while the one word that picks out a program counted once.)
const ALL_TEXT: &str = "all";

/// How many times the objectives are written into [`ALL_TEXT`]: BM25F approximated by
/// repetition, so a program's objectives weigh most, as the mission scores needs against them.
/// Chosen by measurement on the project's graded queries and cases (README, "Relevance").
const OBJECTIVES_REPEAT: usize = 2;

/// The catalog's own fields, for `field:word` queries and snippets, with the weight a matched
/// word has when choosing the snippet line: objectives highest, then the outcomes and the
/// title, then the rest.
pub const FIELD_BOOSTS: [(&str, f32); 5] = [
    ("title", 1.5),
    ("beneficiaries", 1.0),
    ("objectives", 3.0),
    ("activities", 1.0),
    ("outcomes", 1.5),
];

/// Where snippets are looked for first.
const SNIPPET_FIELD_ORDER: [&str; 5] = [
    "objectives",
    "outcomes",
    "activities",
    "beneficiaries",
    "title",
];

/// Arena for the single-segment writer: the built-in catalog needs well under 1 MB, and a
/// larger arena costs start-up time for nothing.
const WRITER_MEMORY_BYTES: usize = 1024 * 1024;

/// The catalog fields of a schema, with their boosts, the all-text field and the ordinal field.
fn schema_fields(schema: &Schema) -> Result<(Vec<IndexedField>, Field, Field)> {
    let field = |name: &str| schema.get_field(name).map_err(broken);
    let fields = FIELD_BOOSTS
        .iter()
        .map(|&(name, boost)| {
            Ok(IndexedField {
                name,
                field: field(name)?,
                boost,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((fields, field(ALL_TEXT)?, field("ordinal")?))
}

/// A failure of the index itself: a bug, not bad input.
fn broken(error: impl std::fmt::Display) -> Error {
    Error::internal(format!("search index: {error}"))
}

/// Lucene's English stop words (tantivy's list), and `s`: the tokenizer splits "master's" into
/// `master` and `s`, and the possessive's `s` is no word of its own.
const STOP_WORDS: [&str; 34] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with", "s",
];

/// The English analyser used for the catalog, needs, free text and queries alike, keeping
/// apart the words of `kept` (the synonyms data's `kept_apart`) from their stems.
pub fn english_analyzer(kept: &KeptApart) -> TextAnalyzer {
    // Stop words go before stemming, as they are listed unstemmed.
    let stop_words = StopWordFilter::remove(STOP_WORDS.iter().map(|word| word.to_string()));
    TextAnalyzer::builder(super::words::WordTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(stop_words)
        .filter(Stemmer::new(Language::English))
        .filter(super::words::KeepApart(kept.clone()))
        .build()
}

/// How many analysers a thread keeps, one per list kept apart: a run uses one list, `check`
/// its own and a file's, and questionnaire checks none (see [`has_terms`]).
const ANALYZERS_KEPT: usize = 4;

thread_local! {
    /// Building the analyser (its stop-word set) costs more than analysing a sentence: keep
    /// a few per thread, each with the list it keeps apart.
    static ANALYZER_CACHE: std::cell::RefCell<Vec<(KeptApart, TextAnalyzer)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Runs `f` with this thread's English analyser for `kept`.
fn with_analyzer<T>(kept: &KeptApart, f: impl FnOnce(&mut TextAnalyzer) -> T) -> T {
    ANALYZER_CACHE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut cached) => {
            let at = (cached.iter())
                .position(|(listed, _)| listed.is_shared(kept))
                .or_else(|| cached.iter().position(|(listed, _)| listed == kept));
            let at = match at {
                Some(at) => at,
                None => {
                    if cached.len() >= ANALYZERS_KEPT {
                        cached.remove(0);
                    }
                    cached.push((kept.clone(), english_analyzer(kept)));
                    cached.len() - 1
                }
            };
            match cached.get_mut(at) {
                Some((_, analyzer)) => f(analyzer),
                None => f(&mut english_analyzer(kept)),
            }
        }
        // Re-entrant use (not expected): a fresh analyser is correct, only slower.
        Err(_) => f(&mut english_analyzer(kept)),
    })
}

/// Whether `text` has a word the analyser keeps (not only stop words and punctuation): the
/// same under any list kept apart, whose words keep a term of their own.
pub fn has_terms(text: &str) -> bool {
    !terms(&KeptApart::default(), text).is_empty()
}

/// The analysed terms of `text` (stems, stop words removed), in order, repeats kept, into a
/// vector reused from call to call: the analyser's reading, with `kept` kept apart.
pub fn terms_into(kept: &KeptApart, text: &str, terms: &mut Vec<String>) {
    terms.clear();
    with_analyzer(kept, |analyzer| {
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            terms.push(token.text.clone());
        }
    });
}

/// Like [`terms_into`], into a new vector.
pub fn terms(kept: &KeptApart, text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    terms_into(kept, text, &mut terms);
    terms
}

/// A catalog field in the index.
#[derive(Debug, Clone)]
struct IndexedField {
    name: &'static str,
    field: Field,
    boost: f32,
}

/// The catalog's full-text index, held in memory.
pub struct CatalogIndex {
    index: Index,
    searcher: Searcher,
    fields: Vec<IndexedField>,
    /// [`ALL_TEXT`]: plain words, needs and free text are matched here.
    all: Field,
    ordinal: Field,
    program_count: usize,
    /// The words its analyser keeps apart from their stems (the catalog's synonyms' list):
    /// queries and texts matched against it are read with the same list.
    kept_apart: KeptApart,
    /// The directory the index was built in, when built in this run (to save it).
    built_in: Option<RamDirectory>,
    /// The cache directory and the catalog's key in it, when the cache is on: what is derived
    /// from this index (the needs' relevance) is cached under the same key.
    cache: Option<(std::path::PathBuf, u64)>,
    /// Catalog lines already analysed, for snippets.
    line_tokens: std::sync::RwLock<FxHashMap<String, std::sync::Arc<Vec<LineToken>>>>,
    /// Each (field, term)'s idf, for snippets (the same terms come back for every program).
    idf: std::sync::RwLock<HashMap<Field, FxHashMap<String, f32>>>,
}

/// A catalog line that matched, with the matched words' byte ranges in `text`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Snippet {
    /// The catalog field: objectives, activities, outcomes, beneficiaries or title.
    pub field: String,
    /// The line's position in its list, from 0.
    pub line: usize,
    /// The line as in the catalog (cropped around the matches when long).
    pub text: String,
    /// Byte ranges of the matched words in `text`.
    pub highlights: Vec<Range<usize>>,
    /// Where `text` starts in the catalog line, in bytes (0 unless cropped at the start).
    #[serde(skip)]
    pub line_start: usize,
}

impl Snippet {
    /// The highlights as byte ranges of the whole catalog line (`text` may be cropped: only
    /// the matches it shows).
    pub fn line_highlights(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        // A line cropped at the start shows "…" before `line_start`.
        let shift = usize::from(self.line_start > 0) * '…'.len_utf8();
        self.highlights.iter().map(move |h| {
            (h.start.saturating_sub(shift) + self.line_start)
                ..(h.end.saturating_sub(shift) + self.line_start)
        })
    }
}

/// One keyword-search hit.
#[derive(Debug, Clone)]
pub struct SearchHit {
    /// Position of the program in the catalog's list.
    pub program: usize,
    pub score: f32,
    pub snippet: Option<Snippet>,
}

/// The result of a keyword search.
#[derive(Debug, Clone, Default)]
pub struct SearchOutcome {
    pub hits: Vec<SearchHit>,
    /// What the lenient query parser could not read, as hints for the user.
    pub warnings: Vec<String>,
    /// Near spellings from the catalog's vocabulary for words that matched nothing.
    pub suggestions: Vec<(String, String)>,
    /// The planners' words the query used (`data/synonyms.yaml`), each with the catalog words
    /// searched for as well.
    pub synonyms: Vec<(String, String)>,
    /// The query with the suggested spellings, whose results these are (when it found
    /// something): either nothing matched as typed, or some words matched nothing.
    pub retried_as: Option<String>,
    /// Whether the query as typed found programs (before any respelling).
    pub matched_as_typed: bool,
}

impl CatalogIndex {
    /// The index for `catalog`: read from the on-disk cache when this catalog's index was
    /// saved before (see [`crate::cache`]), otherwise built and saved for next time.
    pub fn build(catalog: &Catalog) -> Result<CatalogIndex> {
        let Some(directory) = crate::cache::directory() else {
            return CatalogIndex::build_in_memory(catalog);
        };
        let key = crate::cache::catalog_key(catalog);
        let path = crate::cache::entry(&directory, "index", key);
        let mut index = match crate::cache::read(&path)
            .and_then(|files| CatalogIndex::open_files(files, catalog).ok())
        {
            Some(index) => index,
            None => {
                let index = CatalogIndex::build_in_memory(catalog)?;
                // Best effort: a cache that cannot be written costs only the next run's time.
                if let Ok(files) = index.files() {
                    let _ = crate::cache::write(&path, &files);
                }
                index
            }
        };
        index.cache = Some((directory, key));
        Ok(index)
    }

    /// Builds the index for `catalog` in memory with a single-threaded, single-segment writer
    /// (a default `IndexWriter` spends ~10 ms spawning threads and arenas for 12 documents).
    pub fn build_in_memory(catalog: &Catalog) -> Result<CatalogIndex> {
        let mut schema = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text_options = TextOptions::default()
            .set_indexing_options(indexing.clone())
            .set_stored();
        for &(name, _) in &FIELD_BOOSTS {
            schema.add_text_field(name, text_options.clone());
        }
        // Not stored: its text is the other fields'. Positions kept for "phrase" queries.
        schema.add_text_field(
            ALL_TEXT,
            TextOptions::default().set_indexing_options(indexing),
        );
        schema.add_u64_field("ordinal", STORED);
        let schema = schema.build();
        let (fields, all, ordinal) = schema_fields(&schema)?;
        let tokenizers = TokenizerManager::default();
        tokenizers.register(ANALYZER, english_analyzer(&catalog.synonyms.kept_apart));
        let builder = IndexBuilder::new().schema(schema).tokenizers(tokenizers);
        let directory = RamDirectory::create();
        let mut writer = builder.single_segment_index_writer::<TantivyDocument>(
            directory.clone(),
            WRITER_MEMORY_BYTES,
        )?;
        for (position, program) in catalog.programs.iter().enumerate() {
            let mut document = TantivyDocument::default();
            for indexed in &fields {
                let repeat = if indexed.name == "objectives" {
                    OBJECTIVES_REPEAT
                } else {
                    1
                };
                for line in program.field_lines(indexed.name) {
                    document.add_text(indexed.field, line);
                    for _ in 0..repeat {
                        document.add_text(all, line);
                    }
                }
            }
            document.add_u64(ordinal, position as u64);
            writer.add_document(document)?;
        }
        let mut index = CatalogIndex::from_index(writer.finalize()?, catalog)?;
        index.built_in = Some(directory);
        Ok(index)
    }

    /// Opens an index saved by [`CatalogIndex::files`].
    fn open_files(files: Vec<(String, Vec<u8>)>, catalog: &Catalog) -> Result<CatalogIndex> {
        use tantivy::Directory;
        let directory = RamDirectory::create();
        for (name, bytes) in files {
            directory
                .atomic_write(std::path::Path::new(&name), &bytes)
                .map_err(|e| Error::internal(format!("search index cache: {e}")))?;
        }
        let index = Index::open(directory)?;
        (index.tokenizers()).register(ANALYZER, english_analyzer(&catalog.synonyms.kept_apart));
        CatalogIndex::from_index(index, catalog)
    }

    /// The files of an index built here, to save: `meta.json` and its segment's files, as
    /// stored (tantivy's checksummed footers included).
    fn files(&self) -> Result<Vec<(String, Vec<u8>)>> {
        use tantivy::Directory;
        let Some(directory) = &self.built_in else {
            return Err(Error::internal("search index: not built in this run"));
        };
        let mut paths: Vec<std::path::PathBuf> = self
            .index
            .directory()
            .list_managed_files()
            .into_iter()
            .collect();
        paths.sort();
        let meta = std::path::Path::new("meta.json");
        let meta_bytes = directory.atomic_read(meta).map_err(broken)?;
        let mut files = vec![(meta.to_string_lossy().into_owned(), meta_bytes)];
        for path in paths {
            // Listed but not written (or tantivy's own bookkeeping): nothing to keep.
            let Ok(file) = directory.open_read(&path) else {
                continue;
            };
            let bytes = file.read_bytes().map_err(broken)?;
            files.push((
                path.to_string_lossy().into_owned(),
                bytes.as_slice().to_vec(),
            ));
        }
        Ok(files)
    }

    /// Wraps a built or opened index, checking it holds the catalog's programs in order.
    fn from_index(index: Index, catalog: &Catalog) -> Result<CatalogIndex> {
        let (fields, all, ordinal) = schema_fields(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        // One segment, documents in catalog order: a document's id is its program's position
        // (checked here, relied on by `program_of`).
        let segments = searcher.segment_readers();
        if segments.len() > 1 || searcher.num_docs() != catalog.programs.len() as u64 {
            return Err(Error::internal(format!(
                "search index: expected one segment of {} documents, found {} segments of {} documents",
                catalog.programs.len(),
                segments.len(),
                searcher.num_docs()
            )));
        }
        Ok(CatalogIndex {
            index,
            searcher,
            fields,
            all,
            ordinal,
            program_count: catalog.programs.len(),
            kept_apart: catalog.synonyms.kept_apart.clone(),
            built_in: None,
            cache: None,
            line_tokens: std::sync::RwLock::new(FxHashMap::default()),
            idf: std::sync::RwLock::new(HashMap::new()),
        })
    }

    /// The analysed terms of `text` as this index reads it (see [`terms`]).
    pub fn terms(&self, text: &str) -> Vec<String> {
        terms(&self.kept_apart, text)
    }

    /// Relevance of the set of `terms` to every program, from tantivy: the sum of each distinct
    /// term's BM25 over the whole program text (what a Should query of the terms scores), added
    /// in the terms' order. A repeated word counts once, as in tantivy's query parser. Indexed
    /// by program position. Not one Should query: tantivy adds its clauses' scores in an order
    /// that can differ from document to document, so two programs of the same text could differ
    /// in the last bit and their tie be broken by that instead of by program number.
    pub fn relevance(&self, terms: &[String]) -> Result<Vec<f32>> {
        let mut sums = vec![0.0f64; self.program_count];
        for term in distinct(terms) {
            let query = TermQuery::new(
                Term::from_field_text(self.all, term),
                IndexRecordOption::WithFreqs,
            );
            for (sum, score) in sums.iter_mut().zip(self.scores(&query)?) {
                *sum += f64::from(score);
            }
        }
        Ok(sums.into_iter().map(|sum| sum as f32).collect())
    }

    /// Every program's score for `query` (0 where it does not match), by program position.
    fn scores(&self, query: &dyn Query) -> Result<Vec<f32>> {
        let mut scores = vec![0.0; self.program_count];
        for (score, address) in self.top_docs(query, self.program_count)? {
            if let Some(slot) = scores.get_mut(self.program_of(address)?) {
                *slot = score;
            }
        }
        Ok(scores)
    }

    /// The cache directory and this catalog's key in it (see [`crate::cache`]), when on.
    pub fn cache(&self) -> Option<(&std::path::Path, u64)> {
        self.cache.as_ref().map(|(dir, key)| (dir.as_path(), *key))
    }

    /// Whether some program's text holds the analysed `term`.
    pub fn holds(&self, term: &str) -> bool {
        (self.searcher)
            .doc_freq(&Term::from_field_text(self.all, term))
            .is_ok_and(|documents| documents > 0)
    }

    /// Every analysed term in the index (the all-text field holds every field's). A term
    /// outside it has no relevance to any program, so free text can skip the query for it.
    pub fn vocabulary(&self) -> Result<std::collections::HashSet<String>> {
        let mut terms = std::collections::HashSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(self.all)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    terms.insert(term.to_string());
                }
            }
        }
        Ok(terms)
    }

    /// Whether the index holds every one of the analysed `terms` (a dictionary lookup each).
    fn holds_all(&self, terms: &[String]) -> Result<bool> {
        for term in terms {
            let mut held = false;
            for segment in self.searcher.segment_readers() {
                let inverted = segment.inverted_index(self.all)?;
                held |= inverted.terms().get(term.as_bytes())?.is_some();
            }
            if !held {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Runs `query` and returns up to `limit` (score, document) pairs, best first.
    fn top_docs(&self, query: &dyn Query, limit: usize) -> Result<Vec<(f32, DocAddress)>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        Ok(self
            .searcher
            .search(query, &TopDocs::with_limit(limit).order_by_score())?)
    }

    /// Runs a parsed user query. tantivy's own checks (debug assertions) can trip on odd query
    /// shapes: contain that as an error for this query rather than a crash.
    fn guarded_top_docs(&self, query: &dyn Query, limit: usize) -> Result<Vec<(f32, DocAddress)>> {
        crate::error::contained(|| self.top_docs(query, limit)).unwrap_or_else(|_| {
                Err(Error::usage(
                    "the search engine could not run this query: simplify it (for example, remove the excluded -parts or the brackets)",
                ))
            })
    }

    /// The program position of a document: its id, as the index has one segment in catalog
    /// order (reading the stored ordinal instead costs a document-store read per hit).
    fn program_of(&self, address: DocAddress) -> Result<usize> {
        let position = address.doc_id as usize;
        if address.segment_ord == 0 && position < self.program_count {
            Ok(position)
        } else {
            Err(Error::internal(format!(
                "search index: unexpected document {address:?}"
            )))
        }
    }

    /// The program position stored with a document (what `program_of` relies on).
    pub fn stored_ordinal(&self, doc_id: u32) -> Result<Option<u64>> {
        let document: TantivyDocument = self.searcher.doc(DocAddress::new(0, doc_id))?;
        Ok(document
            .get_first(self.ordinal)
            .and_then(|value| value.as_u64()))
    }

    /// The query parser: plain words match the whole program text; `field:word` one field.
    fn query_parser(&self) -> QueryParser {
        QueryParser::for_index(&self.index, vec![self.all])
    }

    /// Relevance of plain words to every program through tantivy's own query parser: an
    /// independent path to the same BM25 scores as [`CatalogIndex::relevance`], for checks.
    pub fn parsed_relevance(&self, text: &str) -> Result<Vec<f32>> {
        self.scores(&*self.query_parser().parse_query_lenient(text).0)
    }

    /// Keyword search with tantivy's query syntax, read leniently: bad syntax becomes hints.
    /// The planners' words in `catalog.synonyms` add the catalog's words for them; when nothing
    /// matches, the query is tried once more with the suggested spellings (and says so).
    /// Fails only on an empty, overlong or too deeply nested query.
    pub fn search(&self, catalog: &Catalog, query_text: &str, top: usize) -> Result<SearchOutcome> {
        check_query(query_text)?;
        let mut outcome = self.search_as_typed(catalog, query_text, top)?;
        // A wildcard is no misspelling: `pat*` retried as `part*` would answer another
        // question; the no-match message explains wildcards instead.
        let wildcard = query_text.contains(['*', '?']);
        // A misspelt word counts for nothing as typed, even beside words that match: retry
        // with the near spellings whenever there are some, and say so.
        outcome.matched_as_typed = !outcome.hits.is_empty();
        if outcome.matched_as_typed {
            // Beside words that match, only a slip of one letter: a word the catalog lacks
            // (`intelligence`) must not turn into another (`interagency`).
            outcome
                .suggestions
                .retain(|(word, near)| crate::suggest::edit_distance(word, near) <= 1);
        }
        if !outcome.suggestions.is_empty() && !wildcard {
            let respelt = respell(query_text, &outcome.suggestions);
            let retried = self.search_as_typed(catalog, &respelt, top)?;
            if !retried.hits.is_empty() {
                outcome.hits = retried.hits;
                outcome.synonyms = retried.synonyms;
                outcome.retried_as = Some(respelt);
            }
        }
        Ok(outcome)
    }

    /// One search of `query_text` with its synonyms, without respelling.
    fn search_as_typed(
        &self,
        catalog: &Catalog,
        query_text: &str,
        top: usize,
    ) -> Result<SearchOutcome> {
        let (query_text, mut warnings) = read_query(query_text);
        let query_text = &*query_text;
        let matched = catalog
            .synonyms
            .matches(query_text, &|term| self.holds(term));
        let expanded = crate::catalog::synonyms::Synonyms::expanded(query_text, &matched);
        let synonyms: Vec<(String, String)> = matched
            .iter()
            .map(|m| (m.word.to_string(), m.entry.means.clone()))
            .collect();
        let (query, errors) = self.query_parser().parse_query_lenient(&expanded);
        for error in &errors {
            let hint = lenient_hint(error, query_text);
            if !warnings.contains(&hint) {
                warnings.push(hint);
            }
        }
        let mut terms_by_field: HashMap<Field, BTreeSet<String>> = HashMap::new();
        query.query_terms(&mut |term, _| {
            if let Some(text) = term.value().as_str() {
                terms_by_field
                    .entry(term.field())
                    .or_default()
                    .insert(text.to_string());
            }
        });
        let mut hits = Vec::new();
        // What the lenient parser salvaged may hold no word at all (e.g. only `-word`, or
        // only punctuation): tantivy would then match everything; report no match instead.
        let only_excluded = errors
            .iter()
            .any(|e| matches!(e, tantivy::query::QueryParserError::AllButQueryForbidden));
        let limit = if terms_by_field.is_empty() || only_excluded {
            0
        } else {
            top.min(self.program_count)
        };
        let (query, excluded) = split_exclusions(query);
        let mut excluded_programs: BTreeSet<usize> = BTreeSet::new();
        for exclusion in &excluded {
            for (_, address) in self.guarded_top_docs(&**exclusion, self.program_count)? {
                excluded_programs.insert(self.program_of(address)?);
            }
        }
        // With exclusions, fetch every match: the filter may drop some of the best.
        let wanted = if excluded.is_empty() {
            limit
        } else {
            self.program_count
        };
        let found = if limit == 0 {
            Vec::new()
        } else {
            self.guarded_top_docs(&*query, wanted)?
        };
        // Words matched in the whole text are looked for in every field's lines.
        if let Some(everywhere) = terms_by_field.remove(&self.all) {
            for indexed in &self.fields {
                terms_by_field
                    .entry(indexed.field)
                    .or_default()
                    .extend(everywhere.iter().cloned());
            }
        }
        let mut weights = self.line_weights_by_field(|field| terms_by_field.get(&field));
        // A searcher typed every word: the line holding most of them is the one to show.
        weights.most_words_first = true;
        for (score, address) in found {
            let program = self.program_of(address)?;
            if excluded_programs.contains(&program) {
                continue;
            }
            if hits.len() >= limit {
                break;
            }
            let snippet = catalog
                .programs
                .get(program)
                .and_then(|p| self.best_line_weighted(p, &mut weights));
            hits.push(SearchHit {
                program,
                score,
                snippet,
            });
        }
        let suggestions = suggest_words(self, catalog, query_text)?;
        Ok(SearchOutcome {
            hits,
            warnings,
            suggestions,
            synonyms,
            retried_as: None,
            matched_as_typed: false,
        })
    }

    /// The weights [`CatalogIndex::best_line_weighted`] scores lines by, for `terms` in every
    /// field: build once per set of terms, use for every program.
    pub fn line_weights(&self, terms: &[String]) -> LineWeights {
        let wanted: BTreeSet<String> = terms.iter().cloned().collect();
        self.line_weights_by_field(|_| Some(&wanted))
    }

    /// Per field, in the order a reader looks at them (objectives first: on an equal match
    /// the earlier field's line is shown), each wanted term, its boosted rarity (boost × idf)
    /// looked up when a line first holds it: most wanted terms are in no line looked at.
    fn line_weights_by_field<'t>(
        &self,
        terms_of: impl Fn(Field) -> Option<&'t BTreeSet<String>>,
    ) -> LineWeights {
        let by_field = SNIPPET_FIELD_ORDER
            .iter()
            .filter_map(|name| self.fields.iter().position(|f| f.name == *name))
            .filter_map(|position| {
                let indexed = self.fields.get(position)?;
                let terms = terms_of(indexed.field)?;
                let weights = terms.iter().map(|term| (term.clone(), None)).collect();
                Some((position, weights))
            })
            .collect();
        LineWeights {
            by_field,
            most_words_first: false,
        }
    }

    /// Scores each line by the summed, boosted rarity (idf) of the wanted terms it contains
    /// (for a search, first by how many of them it holds), and returns the best one with its
    /// matched words highlighted. Ties go to the earlier field.
    pub fn best_line_weighted(
        &self,
        program: &Program,
        weights: &mut LineWeights,
    ) -> Option<Snippet> {
        let mut best: Option<((usize, f32), Snippet)> = None;
        let most_words_first = weights.most_words_first;
        for (position, weights) in &mut weights.by_field {
            let Some(indexed) = self.fields.get(*position) else {
                continue;
            };
            let weight_of = |term: &str| indexed.boost * self.idf(indexed.field, term);
            for (line_number, line) in program.field_lines(indexed.name).iter().enumerate() {
                let (score, words, highlights) =
                    match_line(&self.line_tokens(line), weights, weight_of);
                let score = (if most_words_first { words } else { 0 }, score);
                if score.1 > 0.0 && best.as_ref().is_none_or(|(b, _)| score > *b) {
                    let (text, highlights, line_start) = crop(line, &highlights, 220);
                    best = Some((
                        score,
                        Snippet {
                            field: indexed.name.to_string(),
                            line: line_number,
                            text,
                            highlights,
                            line_start,
                        },
                    ));
                }
            }
        }
        best.map(|(_, snippet)| snippet)
    }

    /// A catalog line's analysed words, analysed once per run (snippets look at the same
    /// lines for every reason).
    fn line_tokens(&self, line: &str) -> std::sync::Arc<Vec<LineToken>> {
        if let Some(tokens) = self
            .line_tokens
            .read()
            .ok()
            .and_then(|cache| cache.get(line).cloned())
        {
            return tokens;
        }
        let tokens = std::sync::Arc::new(analyse_line(&self.kept_apart, line));
        if let Ok(mut cache) = self.line_tokens.write() {
            cache.insert(line.to_string(), tokens.clone());
        }
        tokens
    }

    /// BM25's inverse document frequency of `term` in `field`.
    fn idf(&self, field: Field, term: &str) -> f32 {
        if let Some(idf) = self
            .idf
            .read()
            .ok()
            .and_then(|c| c.get(&field).and_then(|terms| terms.get(term)).copied())
        {
            return idf;
        }
        let documents = self.program_count as f32;
        let frequency = self
            .searcher
            .doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0) as f32;
        let idf = (1.0 + (documents - frequency + 0.5) / (frequency + 0.5)).ln();
        if let Ok(mut cache) = self.idf.write() {
            cache
                .entry(field)
                .or_default()
                .insert(term.to_string(), idf);
        }
        idf
    }
}

/// Bracket levels a query may nest.
const MAX_NESTING: usize = 32;

/// Rejects what cannot be a query, before any work.
fn check_query(query: &str) -> Result<()> {
    if query.trim().is_empty() {
        return Err(Error::usage(
            "the query is empty: give one or more words, e.g. `ipneeds search patent information`",
        ));
    }
    // tantivy's query parser recurses once per nesting level: deep nesting would overflow
    // the stack, and no real query needs more than a few levels.
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for c in query.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        deepest = deepest.max(depth);
    }
    if deepest > MAX_NESTING {
        return Err(Error::usage(format!(
            "the query nests brackets {deepest} levels deep; the limit is {MAX_NESTING}: remove the extra `(`"
        )));
    }
    let length = query.chars().count();
    if length > crate::io::limits::QUERY_CHARS.count() {
        return Err(Error::usage(format!(
            "the query is {length} characters long; {}: search with fewer, more specific words",
            crate::io::limits::QUERY_CHARS.explain()
        )));
    }
    Ok(())
}

/// Splits a query's top-level exclusions (`-word`, `-"a phrase"`) from the rest. They add
/// nothing to scores, so `search` applies them as a filter: tantivy 0.27 trips a debug
/// assertion when an excluded phrase that never matches is part of the query.
fn split_exclusions(query: Box<dyn Query>) -> (Box<dyn Query>, Vec<Box<dyn Query>>) {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return (query, Vec::new());
    };
    let (excluded, kept): (Vec<_>, Vec<_>) = boolean
        .clauses()
        .iter()
        .map(|(occur, clause)| (*occur, clause.box_clone()))
        .partition(|(occur, _)| *occur == Occur::MustNot);
    if excluded.is_empty() || kept.is_empty() {
        return (query, Vec::new());
    }
    let excluded = excluded.into_iter().map(|(_, clause)| clause).collect();
    (Box::new(BooleanQuery::new(kept)), excluded)
}

/// The distinct terms, in first-seen order.
pub fn distinct(terms: &[String]) -> Vec<&String> {
    let mut seen = BTreeSet::new();
    terms.iter().filter(|t| seen.insert(t.as_str())).collect()
}

/// Sums the weights of the distinct wanted terms found in `line`; returns the highlights. A
/// wanted term's weight is `weight_of` it, filled in on its first match.
fn match_line(
    tokens: &[LineToken],
    weights: &mut FxHashMap<String, Option<f32>>,
    weight_of: impl Fn(&str) -> f32,
) -> (f32, usize, Vec<Range<usize>>) {
    let mut found: BTreeSet<&str> = BTreeSet::new();
    let mut highlights = Vec::new();
    for (term, range) in tokens {
        if let Some(weight) = weights.get_mut(term.as_str()) {
            if *weight.get_or_insert_with(|| weight_of(term)) > 0.0 {
                found.insert(term);
                highlights.push(range.clone());
            }
        }
    }
    let score = found.iter().filter_map(|t| *weights.get(*t)?).sum();
    (score, found.len(), highlights)
}

/// What catalog lines are matched by: per field, each wanted term's weight.
#[derive(Debug, Clone, Default)]
pub struct LineWeights {
    /// (position in the index's fields, term → weight once looked up), in display order.
    by_field: Vec<(usize, FxHashMap<String, Option<f32>>)>,
    /// Whether a line holding more of the wanted terms wins over a rarer one holding fewer: for
    /// a search, whose every word was typed ("examiner training" shows "Training courses for
    /// patent and trademark examiners", not the objectives' "Training of officials"); not for a
    /// need, whose text is the catalog's words for it, many of them common.
    most_words_first: bool,
}

/// An analysed word of a catalog line: its term and where it is in the line.
type LineToken = (String, Range<usize>);

/// A catalog line's analysed words.
fn analyse_line(kept: &KeptApart, line: &str) -> Vec<LineToken> {
    with_analyzer(kept, |analyzer| {
        let mut stream = analyzer.token_stream(line);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push((token.text.clone(), token.offset_from..token.offset_to));
        }
        tokens
    })
}

/// Crops a long line to about `max_chars` around its first highlights, marking cuts with "…".
/// Also returns where the cropped text starts in the line.
fn crop(
    line: &str,
    highlights: &[Range<usize>],
    max_chars: usize,
) -> (String, Vec<Range<usize>>, usize) {
    if line.chars().count() <= max_chars {
        return (line.to_string(), highlights.to_vec(), 0);
    }
    let first = highlights.first().map_or(0, |h| h.start);
    // Start a little before the first match, at a word boundary.
    let mut start = first.saturating_sub(max_chars / 4);
    while start > 0 && !line.is_char_boundary(start) {
        start -= 1;
    }
    if let Some(space) = line[..start].rfind(' ') {
        start = space + 1;
    } else {
        start = 0;
    }
    let mut end = (start + max_chars).min(line.len());
    while end < line.len() && !line.is_char_boundary(end) {
        end += 1;
    }
    if end < line.len() {
        if let Some(space) = line[start..end].rfind(' ') {
            end = start + space;
        }
    }
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < line.len() { "…" } else { "" };
    let text = format!("{prefix}{}{suffix}", &line[start..end]);
    let shift = prefix.len();
    let kept = highlights
        .iter()
        .filter(|h| h.start >= start && h.end <= end)
        .map(|h| (h.start - start + shift)..(h.end - start + shift))
        .collect();
    (text, kept, start)
}

/// Words of the query that the catalog does not contain, each with its nearest catalog word.
/// Near spellings for the words of `query_text` the index does not hold and no synonym names:
/// a word that stems to an indexed one (`trademarks`) is no misspelling. The catalog's words
/// are gathered only when a word is unknown: most searches have none, and gathering them
/// cost a search more than its query.
impl CatalogIndex {
    /// The words of `text` that no program's text holds, each with the catalog's or the
    /// planners' word nearest in spelling, as a search's "did you mean" gives them.
    pub fn spelling_suggestions(
        &self,
        catalog: &Catalog,
        text: &str,
    ) -> Result<Vec<(String, String)>> {
        suggest_words(self, catalog, text)
    }
}

fn suggest_words(
    index: &CatalogIndex,
    catalog: &Catalog,
    query_text: &str,
) -> Result<Vec<(String, String)>> {
    let mut unknown = Vec::new();
    for word in plain_words(query_text) {
        let terms = index.terms(&word);
        // A word of three letters or fewer is too short to respell: one letter off it is
        // another word (French `les` is not Portuguese `lei`, nor `bac` the EAC).
        if word.chars().count() < 4 || terms.is_empty() || unknown.contains(&word) {
            continue;
        }
        if !index.holds_all(&terms)? {
            unknown.push(word);
        }
    }
    if unknown.is_empty() {
        return Ok(Vec::new());
    }
    let mut catalog_words: BTreeSet<String> = BTreeSet::new();
    for program in &catalog.programs {
        for field in TEXT_FIELDS {
            for line in program.field_lines(field) {
                catalog_words.extend(plain_words(line));
            }
        }
    }
    // The planners' words are words a search knows too (`pendancy` → `pendency`). A word of a
    // key of several words is known (`pays` of "pays les moins avancés" is not respelt) but
    // never suggested: alone it means nothing (`filing` of "online filing" found nothing).
    let (mut planners_words, mut phrase_words) = (BTreeSet::new(), BTreeSet::new());
    for entry in &catalog.synonyms.entries {
        for key in &entry.words {
            let words = match index.terms(key).len() {
                1 => &mut planners_words,
                _ => &mut phrase_words,
            };
            words.extend(plain_words(key));
        }
    }
    // A stop word is never a suggestion (it is not searched), and a word is known by what the
    // analyser makes of it (`gestión` typed with a separate accent is the synonyms' `gestión`).
    for words in [&mut catalog_words, &mut planners_words, &mut phrase_words] {
        words.retain(|word| has_terms(word));
    }
    let known: HashSet<Vec<String>> = (catalog_words.iter())
        .chain(&planners_words)
        .chain(&phrase_words)
        .map(|w| index.terms(w))
        .collect();
    fn closest<'w>(word: &str, words: &'w BTreeSet<String>) -> Option<(usize, &'w str)> {
        let near = crate::suggest::closest(word, words.iter().map(String::as_str), 1);
        (near.first()).map(|best| {
            (
                crate::suggest::edit_distance(word, &best.to_lowercase()),
                *best,
            )
        })
    }
    let mut suggestions = Vec::new();
    for word in unknown {
        let terms = index.terms(&word);
        if known.contains(&terms) {
            continue;
        }
        // A word that names nothing is no misspelling to correct: French "contre" (against)
        // was searched as "centre", and brought in the research centers.
        if terms.iter().all(|term| catalog.synonyms.is_generic(term)) {
            continue;
        }
        // The catalog's own word wins unless a planner's word is strictly nearer: most planners'
        // words are French, Spanish or Portuguese, and `colective` is `collective`, not
        // `colectiva`; `examner` is `examiners`, not Portuguese `exame`.
        let best = match (
            closest(&word, &catalog_words),
            closest(&word, &planners_words),
        ) {
            (Some(ours), Some(theirs)) if theirs.0 < ours.0 => Some(theirs.1),
            (Some(ours), _) => Some(ours.1),
            (None, theirs) => theirs.map(|(_, best)| best),
        };
        if let Some(best) = best {
            suggestions.push((word, best.to_string()));
        }
    }
    Ok(suggestions)
}

/// The most a word of a query can be weighed (`patent^100`): scores stay finite and readable.
const MAX_WEIGHT: f64 = 100.0;

/// `query` as the query parser should read it, with a note for each change the user did not
/// type. A field name typed in another case (`Objectives:SMEs`) is written as the field is named
/// (the parser knows fields case-sensitively); a colon followed by a space is punctuation
/// (`backlog: examiners` searches both words); a near field name (`objective:SMEs`) is read as
/// that field and any other (`foo:SMEs`) as no field, so that its words are searched everywhere
/// instead of the whole clause being dropped; and `word~2` (fuzzy matching, which this index
/// does not do, so the parser matched nothing) is the word itself. Quoted phrases are left
/// alone (`"a b"~2` is a phrase's slop, which works).
fn read_query(query: &str) -> (std::borrow::Cow<'_, str>, Vec<String>) {
    let mut fixed = String::new();
    let mut notes = Vec::new();
    let mut copied = 0;
    let mut word_start = None;
    let mut quote_at = None;
    let mut chars = query.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => {
                quote_at = quote_at.is_none().then_some(at);
                word_start = None;
            }
            _ if quote_at.is_some() => {}
            // `word^2` weighs a word; a `^` with no number after it is a typo.
            '^' if !chars.peek().is_some_and(|(_, next)| next.is_ascii_digit()) => {
                let end = query[at + 1..]
                    .find(char::is_whitespace)
                    .map_or(query.len(), |space| at + 1 + space);
                notes.push(format!(
                    "`^` weighs a word with a number (`patent^2`); `{}` was searched as words",
                    &query[word_start.unwrap_or(at)..end]
                ));
                fixed.push_str(&query[copied..at]);
                fixed.push(' ');
                copied = at + 1;
                word_start = None;
            }
            // `word^2`: a weight past MAX_WEIGHT made every score infinite (`null` in JSON)
            // or too wide for the table, and 0 a word that counts for nothing.
            '^' => {
                let mut end = at + 1;
                while let Some(&(next, digit)) = chars.peek() {
                    if !(digit.is_ascii_digit() || digit == '.') {
                        break;
                    }
                    end = next + digit.len_utf8();
                    chars.next();
                }
                let typed = &query[word_start.unwrap_or(at)..end];
                let replacement = match query[at + 1..end].parse::<f64>() {
                    Ok(weight) if weight > 0.0 && weight <= MAX_WEIGHT => None,
                    Ok(weight) if weight > MAX_WEIGHT => {
                        notes.push(format!(
                            "`{typed}` weighs a word by more than {MAX_WEIGHT}: read as ^{MAX_WEIGHT}"
                        ));
                        Some(format!("^{MAX_WEIGHT}"))
                    }
                    _ => {
                        notes.push(format!(
                            "`{typed}` gives a word no weight: searched with its usual weight (to leave a word out, write -word)"
                        ));
                        Some(String::new())
                    }
                };
                if let Some(replacement) = replacement {
                    fixed.push_str(&query[copied..at]);
                    fixed.push_str(&replacement);
                    copied = end;
                }
                word_start = None;
            }
            c if c.is_alphanumeric() => {
                word_start.get_or_insert(at);
            }
            // `title:*` is tantivy's "has the field" query, which needs a fast field and
            // failed as an internal error; `*` is no wildcard here, so it asks for nothing.
            ':' if chars.peek().is_some_and(|&(_, next)| next == '*') => {
                let mut start = word_start.take().unwrap_or(at);
                // With its `+` or `-`, which would otherwise stand alone.
                if query[..start].ends_with(['+', '-']) {
                    start -= 1;
                }
                notes.push(format!(
                    "`{}:*` was left out: `*` is not a wildcard here; to search a field, write a word after the colon, e.g. `objectives:backlog`",
                    &query[start..at]
                ));
                chars.next();
                fixed.push_str(&query[copied..start]);
                fixed.push(' ');
                copied = at + 2;
            }
            ':' => {
                let Some(start) = word_start.take() else {
                    // `backlog : examiners` (French typography): punctuation, which tantivy
                    // read as a field named by the word before the space.
                    fixed.push_str(&query[copied..at]);
                    fixed.push(' ');
                    copied = at + 1;
                    continue;
                };
                let name = &query[start..at];
                let lower = name.to_lowercase();
                // `backlog: examiners`, `10:30`: punctuation, not a field.
                let spaced = chars.peek().is_none_or(|(_, next)| next.is_whitespace())
                    || name.chars().all(|c| c.is_ascii_digit());
                let replacement = if spaced {
                    // `objectives:` alone searched the word, `title:` found nothing: say why.
                    if TEXT_FIELDS.contains(&lower.as_str()) {
                        notes.push(format!(
                            "`{name}:` with nothing right after it was searched as the word `{name}`; to search the field, write the word after the colon, e.g. `{lower}:backlog`"
                        ));
                    }
                    Some(format!("{name} "))
                } else if TEXT_FIELDS.contains(&lower.as_str()) {
                    (name != lower).then(|| format!("{lower}:"))
                } else if let Some(near) = crate::suggest::closest(name, TEXT_FIELDS, 1).first() {
                    notes.push(format!("there is no field `{name}`: read as `{near}:`"));
                    Some(format!("{near}:"))
                } else {
                    notes.push(format!(
                        "there is no field `{name}`: what follows it was searched in every field; searchable fields are {}",
                        TEXT_FIELDS.join(", ")
                    ));
                    Some(String::new())
                };
                if let Some(replacement) = replacement {
                    fixed.push_str(&query[copied..start]);
                    fixed.push_str(&replacement);
                    copied = at + 1;
                }
            }
            '~' => {
                let Some(start) = word_start.take() else {
                    continue;
                };
                let mut end = at + 1;
                while let Some(&(next, digit)) = chars.peek() {
                    if !digit.is_ascii_digit() {
                        break;
                    }
                    end = next + digit.len_utf8();
                    chars.next();
                }
                let word = &query[start..at];
                notes.push(format!(
                    "`{}` asks for fuzzy matching, which search does not do: searched `{word}` (misspelt words are corrected anyway)",
                    &query[start..end]
                ));
                fixed.push_str(&query[copied..at]);
                copied = end;
            }
            _ => word_start = None,
        }
    }
    // An unclosed quote: the parser would drop the whole query into plain words; the phrase
    // to the end is what was meant.
    let unclosed = quote_at.filter(|&at| !query[at + 1..].trim().is_empty());
    if let Some(at) = unclosed {
        notes.push(format!(
            "the quote before `{}` is not closed: searched as a phrase to the end",
            query[at + 1..].trim_end()
        ));
    }
    if copied == 0 && unclosed.is_none() {
        return (std::borrow::Cow::Borrowed(query), notes);
    }
    fixed.push_str(&query[copied..]);
    if unclosed.is_some() {
        fixed.push('"');
    }
    (std::borrow::Cow::Owned(fixed), notes)
}

/// `query` with each word that has a suggestion replaced by it (any case; the rest as typed).
fn respell(query: &str, suggestions: &[(String, String)]) -> String {
    let mut respelt = String::with_capacity(query.len());
    let mut copied = 0;
    for (at, word) in super::words::words(query) {
        let lower = word.to_lowercase();
        if let Some((_, near)) = suggestions.iter().find(|(typed, _)| *typed == lower) {
            respelt.push_str(&query[copied..at]);
            respelt.push_str(near);
            copied = at + word.len();
        }
    }
    respelt.push_str(&query[copied..]);
    respelt
}

/// Lower-case alphanumeric words, for spelling suggestions.
fn plain_words(text: &str) -> Vec<String> {
    super::words::words(text)
        .map(|(_, word)| super::words::without_marks(word).to_lowercase())
        .collect()
}

/// Says what the lenient parser skipped, in words.
fn lenient_hint(error: &tantivy::query::QueryParserError, query_text: &str) -> String {
    use tantivy::query::QueryParserError as E;
    match error {
        E::FieldDoesNotExist(field) => {
            let known = TEXT_FIELDS.join(", ");
            let hint = crate::suggest::did_you_mean(field, TEXT_FIELDS);
            format!("there is no field `{field}`{hint}; that part of the query was ignored; searchable fields are {known}")
        }
        E::SyntaxError(_) => format!(
            "part of `{query_text}` is not valid query syntax and was read as plain words; quote phrases with \"…\" and use field:word, +word, -word"
        ),
        E::AllButQueryForbidden => {
            // Words the analyser drops (`the`, `of`) are words too: name them.
            let common: Vec<String> = (plain_words(query_text).into_iter())
                .filter(|word| !has_terms(word))
                .map(|word| format!("`{word}`"))
                .collect();
            match common.is_empty() {
                true => "the query has no word to look for (only excluded -words, symbols or operators): add a word".to_string(),
                false => format!(
                    "the query has no word to look for: {} too common to search on, and a -word only excludes: add a word that names what you look for",
                    match common.len() {
                        1 => format!("{} is", common.join("")),
                        _ => format!("{} are", common.join(", ")),
                    }
                ),
            }
        }
        // A `/regex/` is read by the parser too, and this index cannot run one.
        E::UnsupportedQuery(_) if query_text.contains('/') => "regular expressions (`/…/`) cannot be used and were ignored: search whole words (`examiner` also finds \"examiners\"), \"phrases\", field:word, +word or -word".to_string(),
        // Ranges (`[a TO b]`, `{…}`) and the like: tantivy's words are not the user's.
        E::UnsupportedQuery(_) | E::RangeMustNotHavePhrase => "part of the query (a range in `[…]` or `{…}`) cannot be used to search text and was ignored; search words, \"phrases\", field:word, +word or -word".to_string(),
        other => format!("{other}; that part of the query was ignored"),
    }
}
