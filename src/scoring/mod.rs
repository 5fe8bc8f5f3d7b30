//! From a profile to every program with a 0–100 score and the reasons behind it.
//!
//! 1. Answers raise needs (questionnaire rules); per need and per answer the strongest rule
//!    counts, different answers add up with diminishing returns. Free-text answers are needs
//!    of their own.
//! 2. Each need is matched against the catalog by tantivy (BM25, objectives boosted): its
//!    relevance to a program, relative to its best program, sharpened by an exponent, says how
//!    much of the need's weight the program receives. A program's points are its strongest
//!    need in full, the next at `further_evidence_factor`, the next at its square, …
//! 3. A program's points P become its score 100 × (1 − e^(−P / saturation)): an absolute scale,
//!    the same for every country; a profile without gaps scores near zero everywhere.
//!
//! Relevance is additive over terms (a BM25 Should query sums its clauses, and the corpus
//! statistics are fixed for a fixed catalog), so a need's relevance vector is computed once, and
//! free text is scored from cached per-term vectors: per profile only lookups and sums remain.

pub mod answers;
pub mod compiled;
mod contribution_order;
pub(crate) mod engine;
pub mod reasons;
mod score_tenths;
mod short_bytes;
mod word_table;

pub use answers::{should_ask, Answers};
pub use engine::Scratch;

use crate::catalog::index::{CatalogIndex, Snippet};
use crate::catalog::Catalog;
use crate::error::Result;
use crate::profile::questionnaire::{Questionnaire, ScoringSettings};
use crate::profile::Profile;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// An answer behind a reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub field: String,
    pub value: String,
    /// Filled in from the country's reference data.
    pub prefilled: bool,
}

/// Why a program scored: one need, the answers that raised it, the points it gave.
#[derive(Debug, Clone, Serialize)]
pub struct Reason {
    /// The need's id (`challenges` for free text).
    pub need: String,
    pub label: String,
    /// The need's weight in this profile.
    pub weight: f64,
    /// Points of the program's 0–100 score that come from this need.
    pub points: f64,
    /// The need's relevance to this program, relative to its best program (0–1).
    pub relevance: f64,
    pub answers: Vec<Evidence>,
    /// The rules that held, in words.
    pub rules: Vec<String>,
    /// The catalog line of this program that best matches the need.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Snippet>,
}

/// One program's result.
#[derive(Debug, Clone, Serialize)]
pub struct ProgramScore {
    pub rank: usize,
    /// Position in the catalog.
    #[serde(skip)]
    pub program: usize,
    /// 0–100.
    pub score: f64,
    /// Points before saturation (for tie-breaking and checks).
    #[serde(skip)]
    pub points: f64,
    pub reasons: Vec<Reason>,
}

/// A need raised by a profile: which need, how strongly, and which rules counted. Kept lean
/// (indices only): the words of explanations are built only for the programs shown.
#[derive(Debug, Clone)]
pub struct RaisedNeed {
    /// Index into the questionnaire's needs, or `None` for free text.
    pub need: Option<usize>,
    /// For free text: the index of the question answered.
    pub question: Option<usize>,
    pub weight: f64,
    /// The rules that counted (indices into the need's `raised_by`), strongest first.
    pub triggers: Vec<usize>,
    /// Analysed terms (free text only; catalog needs use precomputed relevance).
    pub terms: Vec<String>,
}

/// Scores profiles against one catalog and questionnaire. Build once, score many.
pub struct Scorer<'a> {
    pub catalog: &'a Catalog,
    pub questionnaire: &'a Questionnaire,
    index: CatalogIndex,
    /// Each need's share of weight per program: fixed for a fixed catalog, so computed once.
    need_shares: Vec<Vec<f64>>,
    need_terms: Vec<Vec<String>>,
    /// The questionnaire's rules, compiled.
    rules: engine::Rules,
    /// Per program: its needs with a share above zero, greatest share first.
    program_needs: Vec<Vec<(usize, f64)>>,
    /// Per program: the low half of its ranking key (program number, then catalog position).
    rank_ties: Vec<u128>,
    /// Per-term relevance vectors, filled on first use (free text).
    term_cache: RwLock<HashMap<String, Arc<Vec<f32>>>>,
    /// The catalog line each (need, program) matches, found on first use: the same for every
    /// profile, and most of the time of a batch that shows catalog lines.
    need_snippets: RwLock<HashMap<(usize, usize), Option<Snippet>>>,
    /// The index's terms, read on first use (free text: a term outside them matches nothing).
    vocabulary: std::sync::OnceLock<std::collections::HashSet<String>>,
    text_prior: std::sync::OnceLock<Vec<f64>>,
}

impl<'a> Scorer<'a> {
    /// Builds the index and matches every need against the catalog once.
    pub fn new(catalog: &'a Catalog, questionnaire: &'a Questionnaire) -> Result<Scorer<'a>> {
        let index = CatalogIndex::build(catalog)?;
        let need_terms: Vec<Vec<String>> = questionnaire
            .needs
            .iter()
            .map(|need| catalog.synonyms.terms(&need.text))
            .collect();
        let need_shares: Vec<Vec<f64>> = need_relevance(&index, catalog, &need_terms)?
            .iter()
            .map(|relevance| shares(relevance, &questionnaire.scoring))
            .collect();
        let programs = catalog.programs.len();
        let program_needs = (0..programs)
            .map(|program| {
                let mut needs: Vec<(usize, f64)> = (need_shares.iter().enumerate())
                    .filter_map(|(n, shares)| Some((n, *shares.get(program)?)))
                    .filter(|&(_, share)| share > 0.0)
                    .collect();
                needs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                needs
            })
            .collect();
        Ok(Scorer {
            catalog,
            questionnaire,
            index,
            need_shares,
            need_terms,
            rules: engine::Rules::new(questionnaire),
            program_needs,
            rank_ties: (catalog.programs.iter().enumerate())
                .map(|(position, p)| u128::from(p.number) << 32 | position as u128)
                .collect(),
            term_cache: RwLock::new(HashMap::new()),
            need_snippets: RwLock::new(HashMap::new()),
            vocabulary: std::sync::OnceLock::new(),
            text_prior: std::sync::OnceLock::new(),
        })
    }

    /// The needs that raise `program`, with their shares, greatest first (none: only free text
    /// can raise it).
    pub(crate) fn needs_of(&self, program: usize) -> &[(usize, f64)] {
        self.program_needs.get(program).map_or(&[], Vec::as_slice)
    }

    /// The index, for direct queries.
    pub fn index(&self) -> &CatalogIndex {
        &self.index
    }

    /// Whether the catalog's index holds `term` (a term it does not hold matches nothing).
    pub fn in_vocabulary(&self, term: &str) -> Result<bool> {
        let vocabulary = match self.vocabulary.get() {
            Some(vocabulary) => vocabulary,
            None => {
                let read = self.index.vocabulary()?;
                self.vocabulary.get_or_init(|| read)
            }
        };
        Ok(vocabulary.contains(term))
    }

    /// Each program's share of the catalog's own text read as a free text (summing to one):
    /// what a text that says nothing in particular would give it. Free text is read against
    /// it (see the word memo in `engine.rs`). Computed once (a few hundred terms' relevance)
    /// and kept in the cache beside the needs' relevance; rounded to `f32` either way, so a
    /// run that reads it scores as the run that computed it.
    pub(crate) fn text_prior(&self) -> Result<&[f64]> {
        if let Some(prior) = self.text_prior.get() {
            return Ok(prior);
        }
        let programs = self.catalog.programs.len();
        let path = self.index.cache().map(|(dir, key)| {
            let settings = &self.questionnaire.scoring;
            crate::cache::text_prior_file_for(dir, key, &self.catalog.synonyms, settings)
        });
        let saved = (path.as_deref())
            .and_then(|p| crate::cache::read_vectors(p, 1, programs))
            .and_then(|mut vectors| vectors.pop());
        let prior: Vec<f32> = match saved {
            Some(prior) => prior,
            None => {
                let computed = engine::catalog_text_prior(self)?;
                let prior: Vec<f32> = computed.iter().map(|&p| p as f32).collect();
                if let Some(path) = path {
                    let _ = crate::cache::write_vectors(&path, std::slice::from_ref(&prior));
                }
                prior
            }
        };
        let prior = prior.iter().map(|&p| f64::from(p)).collect();
        Ok(self.text_prior.get_or_init(|| prior))
    }

    /// Need `need`'s share of program `program`'s weight (precomputed).
    pub(crate) fn need_share(&self, need: usize, program: usize) -> f64 {
        (self.need_shares.get(need))
            .and_then(|shares| shares.get(program))
            .copied()
            .unwrap_or(0.0)
    }

    /// The needs a profile raises. Per need, the strongest holding rule of each subject (the
    /// answers it reads) counts; subjects add up with diminishing returns.
    pub fn raised_needs(&self, profile: &Profile) -> Result<Vec<RaisedNeed>> {
        let mut scratch = Scratch::default();
        scratch.answers = Answers::of(self.questionnaire, profile);
        let speedups = engine::Speedups::default();
        self.raise(&speedups, &mut scratch)?;
        let answers = &scratch.answers;
        Ok((scratch.raised.iter().enumerate())
            .filter(|(_, raised)| raised.raised)
            .map(|(n, raised)| RaisedNeed {
                need: (!raised.text).then_some(raised.position),
                question: raised.text.then_some(raised.position),
                weight: raised.weight,
                triggers: scratch.counted(&speedups, n).to_vec(),
                terms: (answers.text_answer(raised.position))
                    .filter(|_| raised.text)
                    .map_or_else(Vec::new, |text| self.index.terms(text)),
            })
            .collect())
    }

    /// The words of `text` the catalog does not know, with the nearest it does (see
    /// [`CatalogIndex::spelling_suggestions`]).
    pub fn spelling_suggestions(&self, text: &str) -> Result<Vec<(String, String)>> {
        self.index.spelling_suggestions(self.catalog, text)
    }

    /// Relevance of a set of terms to every program, as a query of them would give it (each
    /// distinct term once), from cached per-term vectors: a planner's synonym in free text is
    /// its catalog words' relevance. (Free text itself is spread word by word: see the word memo
    /// in `engine.rs`.)
    pub fn text_relevance(&self, terms: &[String]) -> Result<Vec<f32>> {
        let mut total = vec![0.0f32; self.catalog.programs.len()];
        for term in crate::catalog::index::distinct(terms) {
            let vector = self.term_relevance(term)?;
            for (slot, value) in total.iter_mut().zip(vector.iter()) {
                *slot += value;
            }
        }
        Ok(total)
    }

    /// The relevance of one analysed term to every program, from tantivy once per term.
    pub fn term_relevance(&self, term: &str) -> Result<Arc<Vec<f32>>> {
        let cached = self
            .term_cache
            .read()
            .ok()
            .and_then(|cache| cache.get(term).cloned());
        if let Some(vector) = cached {
            return Ok(vector);
        }
        let vector = Arc::new(self.index.relevance(&[term.to_string()])?);
        if let Ok(mut cache) = self.term_cache.write() {
            cache.insert(term.to_string(), vector.clone());
        }
        Ok(vector)
    }

    /// Scores every program for `profile`, best first (ties by program number), each with its
    /// reasons; with `snippets`, each reason carries the catalog line it matched.
    pub fn score(&self, profile: &Profile, snippets: bool) -> Result<Vec<ProgramScore>> {
        self.score_explaining(profile, usize::MAX, usize::MAX, snippets)
    }

    /// Like [`Scorer::score`], but builds at most `reasons` reasons (the strongest) for the
    /// first `explain` programs only (the others keep their scores with no reasons): batch
    /// output shows only a few. A program's reasons then add up to less than its score.
    pub fn score_explaining(
        &self,
        profile: &Profile,
        explain: usize,
        reasons: usize,
        snippets: bool,
    ) -> Result<Vec<ProgramScore>> {
        let mut scratch = Scratch::default();
        self.score_with(profile, &mut scratch, explain, reasons, snippets)
    }

    /// [`Scorer::score_explaining`] with a worker's buffers (reused from profile to profile).
    pub fn score_with(
        &self,
        profile: &Profile,
        scratch: &mut Scratch,
        explain: usize,
        reasons: usize,
        snippets: bool,
    ) -> Result<Vec<ProgramScore>> {
        let settings = &self.questionnaire.scoring;
        let speedups = engine::Speedups::default();
        scratch.answers = Answers::of(self.questionnaire, profile);
        self.raise(&speedups, scratch)?;
        self.rank(&speedups, scratch)?;
        let mut weights = Vec::new();
        let mut results: Vec<ProgramScore> = Vec::with_capacity(scratch.ranked.len());
        for (rank, &(_, program, points)) in scratch.ranked.iter().enumerate() {
            let score = saturate(points, settings);
            let mut result = ProgramScore {
                rank: rank + 1,
                program,
                score,
                points,
                reasons: Vec::new(),
            };
            if rank < explain && points > 0.0 {
                self.reason_points(&speedups, scratch, program, points, |n, reason_points| {
                    if result.reasons.len() >= reasons {
                        return false;
                    }
                    let share = self.raised_share(scratch, n, program);
                    let mut reason = self.reason(&speedups, scratch, n, reason_points, share);
                    if snippets {
                        reason.matched = self.snippet(scratch, n, program, &mut weights);
                    }
                    result.reasons.push(reason);
                    true
                })?;
            }
            results.push(result);
        }
        Ok(results)
    }

    /// Calls `each(raised need, points)` for the contributions to `program`'s `points` of
    /// the profile ranked last in `scratch`, strongest first, until it returns false: the
    /// points of its 0–100 score that each one gives.
    pub(crate) fn reason_points(
        &self,
        speedups: &engine::Speedups,
        scratch: &Scratch,
        program: usize,
        points: f64,
        mut each: impl FnMut(usize, f64) -> bool,
    ) -> Result<()> {
        let settings = &self.questionnaire.scoring;
        let score = saturate(points, settings);
        let mut returns = Diminishing::new(settings.further_evidence_factor);
        self.contributions(speedups, scratch, program, |n, p| {
            each(n, score * returns.part(p) / points)
        })
    }

    /// The words of one reason: the need, the answers and rules behind it.
    fn reason(
        &self,
        speedups: &engine::Speedups,
        scratch: &Scratch,
        n: usize,
        points: f64,
        share: f64,
    ) -> Reason {
        let answers = &scratch.answers;
        let questions = &self.questionnaire.questions;
        let evidence = |q: usize| {
            let question = questions.get(q)?;
            Some(Evidence {
                field: question.id.clone(),
                value: answers.shown(question, q)?.text(),
                prefilled: answers.is_prefilled(q),
            })
        };
        let raised = scratch.raised.get(n).copied();
        let mut reason = Reason {
            need: String::new(),
            label: String::new(),
            weight: raised.map_or(0.0, |r| r.weight),
            points,
            relevance: share,
            answers: Vec::new(),
            rules: Vec::new(),
            matched: None,
        };
        let Some(raised) = raised else {
            return reason;
        };
        if raised.text {
            let id = questions.get(raised.position).map_or("", |q| q.id.as_str());
            reason.label = reasons::text_label(id);
            reason.need = id.to_string();
            reason.answers = evidence(raised.position).into_iter().collect();
            reason.rules = vec![reasons::TEXT_RULE.to_string()];
            return reason;
        }
        let Some(need) = self.questionnaire.needs.get(raised.position) else {
            return reason;
        };
        let counted = scratch.counted(speedups, n);
        let mut shown = Vec::new();
        let triggers = self.rules.triggers(raised.position);
        reasons::evidence_questions(triggers, counted, answers, &mut shown);
        reason.answers = shown.into_iter().filter_map(evidence).collect();
        reason.rules = (counted.iter())
            .filter_map(|&t| need.raised_by.get(t))
            .map(reasons::rule_words)
            .collect();
        reason.need = need.id.clone();
        reason.label = need.label.clone();
        reason
    }

    /// The catalog line of `program` that best matches raised need `n` of the profile in
    /// `scratch` (the same for every profile, so kept per need and program). `weights`: each
    /// raised need's line weights, the same for every program, computed once.
    pub(crate) fn snippet(
        &self,
        scratch: &Scratch,
        n: usize,
        program: usize,
        weights: &mut Vec<Option<crate::catalog::index::LineWeights>>,
    ) -> Option<Snippet> {
        let raised = scratch.raised.get(n)?;
        let key = (!raised.text).then_some((raised.position, program));
        if let Some(cached) = key.and_then(|key| self.need_snippets.read().ok()?.get(&key).cloned())
        {
            return cached;
        }
        if weights.len() <= n {
            weights.resize(n + 1, None);
        }
        let weights = weights.get_mut(n)?.get_or_insert_with(|| {
            let terms = if raised.text {
                // The catalog words the text was read as, not the words as written: "TISC"
                // shows the information centres' line, and generic words and numbers none.
                scratch.text_read_as(raised.shares)
            } else {
                (self.need_terms.get(raised.position))
                    .cloned()
                    .unwrap_or_default()
            };
            self.index.line_weights(&terms)
        });
        let matched = self
            .index
            .best_line_weighted(self.catalog.programs.get(program)?, weights);
        if let (Some(key), Ok(mut cache)) = (key, self.need_snippets.write()) {
            cache.insert(key, matched.clone());
        }
        matched
    }
}

/// Each need's relevance to every program: from the on-disk cache when saved for this catalog
/// and these needs (see [`crate::cache`]), otherwise from tantivy (and saved).
fn need_relevance(
    index: &CatalogIndex,
    catalog: &Catalog,
    need_terms: &[Vec<String>],
) -> Result<Vec<Vec<f32>>> {
    let path = index
        .cache()
        .map(|(dir, key)| crate::cache::relevance_file_for(dir, key, need_terms));
    let programs = catalog.programs.len();
    if let Some(saved) = path
        .as_deref()
        .and_then(|p| crate::cache::read_vectors(p, need_terms.len(), programs))
    {
        return Ok(saved);
    }
    let vectors = need_terms
        .iter()
        .map(|terms| index.relevance(terms))
        .collect::<Result<Vec<_>>>()?;
    if let Some(path) = path {
        let _ = crate::cache::write_vectors(&path, &vectors);
    }
    Ok(vectors)
}

/// How much of a need each program receives: relevance relative to the best program, sharpened
/// by the exponent, cut below the minimum.
pub fn shares(relevance: &[f32], settings: &ScoringSettings) -> Vec<f64> {
    let best = relevance.iter().copied().fold(0.0f32, f32::max);
    // The built-in exponent is 2: a product is exact where `powf` may be an ulp off, and it
    // spares a batch row with free text a dozen `pow` calls.
    let exponent = settings.relevance_exponent;
    (relevance.iter())
        .map(|&r| {
            let relative = f64::from(r / best);
            if best <= 0.0 || relative < settings.min_relevance {
                0.0
            } else if exponent == 2.0 {
                relative * relative
            } else {
                relative.powf(exponent)
            }
        })
        .collect()
}

/// Diminishing returns, the one definition: of values taken strongest first, the first counts
/// whole and each further one `factor` times as much as the one before it counted.
pub(crate) struct Diminishing {
    scale: f64,
    factor: f64,
}

impl Diminishing {
    pub(crate) fn new(factor: f64) -> Diminishing {
        Diminishing { scale: 1.0, factor }
    }

    /// What the next value (the next strongest) counts for.
    pub(crate) fn part(&mut self, value: f64) -> f64 {
        let part = value * self.scale;
        self.step();
        part
    }

    fn step(&mut self) {
        self.scale *= self.factor;
    }

    /// The scale [`Diminishing::part`] gives the `k`-th value (0: the strongest), computed
    /// as it computes it (so the compiled order's table holds the same numbers).
    pub(crate) fn scale_of(k: usize, factor: f64) -> f64 {
        let mut returns = Diminishing::new(factor);
        (0..k).for_each(|_| returns.step());
        returns.scale
    }
}

/// Sum of values sorted strongest first, with [`Diminishing`] returns, added from −0.0 as
/// `Iterator::sum` adds (nothing to add: −0.0, which ranks as the other paths').
pub fn diminishing(values: impl IntoIterator<Item = f64>, factor: f64) -> f64 {
    let mut returns = Diminishing::new(factor);
    (values.into_iter()).map(|value| returns.part(value)).sum()
}

/// A xorshift stream, the same every run: the tests' random numbers.
#[cfg(test)]
pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Points to the 0–100 scale.
pub fn saturate(points: f64, settings: &ScoringSettings) -> f64 {
    100.0 * (1.0 - (-points / settings.saturation).exp())
}
