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

pub mod compiled;
pub mod contribution_order;
pub mod score_tenths;
pub mod short_bytes;
pub mod text_out;
pub mod word_table;

use crate::catalog::index::{CatalogIndex, Snippet};
use crate::catalog::Catalog;
use crate::error::Result;
use crate::profile::questionnaire::{Questionnaire, ScoringSettings};
use crate::profile::{Profile, Value};
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
    /// For each need and rule: which group of answers (subject) the rule reads.
    trigger_subjects: Vec<Vec<usize>>,
    /// Per-term relevance vectors, filled on first use (free text).
    term_cache: RwLock<HashMap<String, Arc<Vec<f32>>>>,
    /// The catalog line each (need, program) matches, found on first use: the same for every
    /// profile, and most of the time of a batch that shows catalog lines.
    need_snippets: RwLock<HashMap<(usize, usize), Option<Snippet>>>,
    /// The index's terms, read on first use (free text: a term outside them matches nothing).
    vocabulary: std::sync::OnceLock<std::collections::HashSet<String>>,
}

impl<'a> Scorer<'a> {
    /// Builds the index and matches every need against the catalog once.
    pub fn new(catalog: &'a Catalog, questionnaire: &'a Questionnaire) -> Result<Scorer<'a>> {
        let index = CatalogIndex::build(catalog)?;
        let need_terms: Vec<Vec<String>> = questionnaire
            .needs
            .iter()
            .map(|need| CatalogIndex::terms(&need.text))
            .collect();
        let need_shares = need_relevance(&index, catalog, &need_terms)?
            .iter()
            .map(|relevance| shares(relevance, &questionnaire.scoring))
            .collect();
        let trigger_subjects = questionnaire
            .needs
            .iter()
            .map(|need| {
                let mut subjects: Vec<Vec<&str>> = Vec::new();
                need.raised_by
                    .iter()
                    .map(|trigger| {
                        let mut fields: Vec<&str> =
                            trigger.when.iter().flat_map(|c| c.questions()).collect();
                        fields.sort_unstable();
                        fields.dedup();
                        match subjects.iter().position(|s| *s == fields) {
                            Some(position) => position,
                            None => {
                                subjects.push(fields);
                                subjects.len() - 1
                            }
                        }
                    })
                    .collect()
            })
            .collect();
        Ok(Scorer {
            catalog,
            questionnaire,
            index,
            need_shares,
            need_terms,
            trigger_subjects,
            term_cache: RwLock::new(HashMap::new()),
            need_snippets: RwLock::new(HashMap::new()),
            vocabulary: std::sync::OnceLock::new(),
        })
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

    /// Need `need`'s share of weight per program (precomputed).
    pub(crate) fn need_shares(&self, need: usize) -> &[f64] {
        self.need_shares.get(need).map_or(&[], Vec::as_slice)
    }

    /// The group of answers (subject) rule `trigger` of need `need` reads: per need and
    /// subject only the strongest holding rule counts.
    pub(crate) fn trigger_subject(&self, need: usize, trigger: usize) -> usize {
        self.trigger_subjects
            .get(need)
            .and_then(|s| s.get(trigger))
            .copied()
            .unwrap_or(trigger)
    }

    /// The needs a profile raises. Per need, the strongest holding rule of each subject (the
    /// answers it reads) counts; subjects add up with diminishing returns.
    pub fn raised_needs(&self, profile: &Profile) -> Vec<RaisedNeed> {
        let factor = self.questionnaire.scoring.further_evidence_factor;
        let mut raised = Vec::new();
        let mut best: Vec<(usize, f64, usize)> = Vec::new(); // (subject, weight, trigger)
        for (position, need) in self.questionnaire.needs.iter().enumerate() {
            best.clear();
            for (t, trigger) in need.raised_by.iter().enumerate() {
                if !trigger.when.iter().all(|c| profile.satisfies(c)) {
                    continue;
                }
                let subject = self.trigger_subject(position, t);
                match best.iter_mut().find(|(s, ..)| *s == subject) {
                    Some(entry) if entry.1 >= trigger.weight => {}
                    Some(entry) => *entry = (subject, trigger.weight, t),
                    None => best.push((subject, trigger.weight, t)),
                }
            }
            if best.is_empty() {
                continue;
            }
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
            raised.push(RaisedNeed {
                need: Some(position),
                question: None,
                weight: diminishing(best.iter().map(|(_, w, _)| *w), factor),
                triggers: best.iter().map(|(.., t)| *t).collect(),
                terms: Vec::new(),
            });
        }
        for (position, question) in self.questionnaire.questions.iter().enumerate() {
            let (Some(weight), Some(Value::Text(text))) =
                (question.catalog_match_weight, profile.get(&question.id))
            else {
                continue;
            };
            let terms = CatalogIndex::terms(text);
            if terms.is_empty() {
                continue;
            }
            raised.push(RaisedNeed {
                need: None,
                question: Some(position),
                weight,
                triggers: Vec::new(),
                terms,
            });
        }
        raised
    }

    /// Relevance of free-text terms to every program, from cached per-term vectors (each
    /// distinct term once, as in a query).
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
        let settings = &self.questionnaire.scoring;
        let programs = self.catalog.programs.len();
        let raised = self.raised_needs(profile);
        // Per program: (raised need, points, share), strongest first.
        let mut contributions: Vec<Vec<(usize, f64, f64)>> = vec![Vec::new(); programs];
        for (n, need) in raised.iter().enumerate() {
            let text_shares;
            let need_shares: &[f64] = match need.need {
                Some(position) => self.need_shares.get(position).map_or(&[], Vec::as_slice),
                None => {
                    text_shares = shares(&self.text_relevance(&need.terms)?, settings);
                    &text_shares
                }
            };
            for (list, &share) in contributions.iter_mut().zip(need_shares) {
                if share > 0.0 {
                    list.push((n, need.weight * share, share));
                }
            }
        }
        let mut results: Vec<ProgramScore> = Vec::with_capacity(programs);
        for (program, list) in contributions.iter_mut().enumerate() {
            list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            // Strongest need in full, then each further one at a diminishing factor.
            let mut scale = 1.0;
            for entry in list.iter_mut() {
                entry.1 *= scale;
                scale *= settings.further_evidence_factor;
            }
            results.push(ProgramScore {
                rank: 0,
                program,
                score: 0.0,
                points: list.iter().map(|entry| entry.1).sum(),
                reasons: Vec::new(),
            });
        }
        for result in &mut results {
            result.score = saturate(result.points, settings);
        }
        let numbers: Vec<u32> = self.catalog.programs.iter().map(|p| p.number).collect();
        results.sort_by(|a, b| {
            b.points
                .total_cmp(&a.points)
                .then_with(|| numbers.get(a.program).cmp(&numbers.get(b.program)))
        });
        for (rank, result) in results.iter_mut().enumerate() {
            result.rank = rank + 1;
            if rank >= explain || result.points <= 0.0 {
                continue;
            }
            let (score, points) = (result.score, result.points);
            let Some(list) = contributions.get(result.program) else {
                continue;
            };
            result.reasons = list
                .iter()
                .take(reasons)
                .filter_map(|&(n, p, share)| {
                    let need = raised.get(n)?;
                    Some(self.reason(need, profile, score * p / points, share))
                })
                .collect();
        }
        if snippets {
            self.attach_snippets(&mut results, &raised);
        }
        Ok(results)
    }

    /// The words of one reason: the need, the answers and rules behind it.
    fn reason(&self, raised: &RaisedNeed, profile: &Profile, points: f64, share: f64) -> Reason {
        let evidence = |field: &str| {
            profile.answers.get(field).map(|answer| Evidence {
                field: field.to_string(),
                value: answer.value.to_text(),
                prefilled: answer.prefilled,
            })
        };
        match (
            raised.need.and_then(|n| self.questionnaire.needs.get(n)),
            raised.question,
        ) {
            (Some(need), _) => {
                let mut answers: Vec<Evidence> = Vec::new();
                let mut rules = Vec::new();
                for trigger in raised
                    .triggers
                    .iter()
                    .filter_map(|&t| need.raised_by.get(t))
                {
                    for field in trigger.when.iter().flat_map(|c| c.questions()) {
                        if !answers.iter().any(|a| a.field == field) {
                            answers.extend(evidence(field));
                        }
                    }
                    rules.push(trigger.reason.clone().unwrap_or_else(|| {
                        trigger
                            .when
                            .iter()
                            .map(|c| c.describe())
                            .collect::<Vec<_>>()
                            .join(" and ")
                    }));
                }
                Reason {
                    need: need.id.clone(),
                    label: need.label.clone(),
                    weight: raised.weight,
                    points,
                    relevance: share,
                    answers,
                    rules,
                    matched: None,
                }
            }
            (None, Some(question)) => {
                let id = self
                    .questionnaire
                    .questions
                    .get(question)
                    .map_or(String::new(), |q| q.id.clone());
                Reason {
                    label: format!("In your words ({id})"),
                    answers: evidence(&id).into_iter().collect(),
                    need: id,
                    weight: raised.weight,
                    points,
                    relevance: share,
                    rules: vec!["free text matched against the catalog".to_string()],
                    matched: None,
                }
            }
            (None, None) => Reason {
                need: String::new(),
                label: String::new(),
                weight: raised.weight,
                points,
                relevance: share,
                answers: Vec::new(),
                rules: Vec::new(),
                matched: None,
            },
        }
    }

    /// Adds to each reason the catalog line of its program that best matches the need.
    pub fn attach_snippets(&self, results: &mut [ProgramScore], raised: &[RaisedNeed]) {
        // A need's line weights are the same for every program: computed once.
        let mut weights: Vec<Option<crate::catalog::index::LineWeights>> = vec![None; raised.len()];
        for result in results.iter_mut() {
            let Some(program) = self.catalog.programs.get(result.program) else {
                continue;
            };
            for reason in &mut result.reasons {
                let Some(n) = raised
                    .iter()
                    .position(|need| self.raised_id(need) == reason.need)
                else {
                    continue;
                };
                let key = raised
                    .get(n)
                    .and_then(|need| need.need)
                    .map(|need| (need, result.program));
                if let Some(cached) =
                    key.and_then(|key| self.need_snippets.read().ok()?.get(&key).cloned())
                {
                    reason.matched = cached;
                    continue;
                }
                let Some(slot) = weights.get_mut(n) else {
                    continue;
                };
                let weights = slot.get_or_insert_with(|| {
                    let terms = raised.get(n).map(|need| match need.need {
                        Some(position) => {
                            self.need_terms.get(position).map_or(&[][..], Vec::as_slice)
                        }
                        None => need.terms.as_slice(),
                    });
                    self.index.line_weights(terms.unwrap_or(&[]))
                });
                reason.matched = self.index.best_line_weighted(program, weights);
                if let (Some(key), Ok(mut cache)) = (key, self.need_snippets.write()) {
                    cache.insert(key, reason.matched.clone());
                }
            }
        }
    }

    /// The id of a raised need: the need's id, or the free-text question's.
    fn raised_id(&self, raised: &RaisedNeed) -> &str {
        match (raised.need, raised.question) {
            (Some(n), _) => self
                .questionnaire
                .needs
                .get(n)
                .map_or("", |need| need.id.as_str()),
            (None, Some(q)) => self
                .questionnaire
                .questions
                .get(q)
                .map_or("", |q| q.id.as_str()),
            (None, None) => "",
        }
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
    let mut shares = Vec::with_capacity(relevance.len());
    shares_into(relevance, settings, &mut shares);
    shares
}

/// Like [`shares`], into a vector reused from call to call.
pub fn shares_into(relevance: &[f32], settings: &ScoringSettings, shares: &mut Vec<f64>) {
    shares.clear();
    let best = relevance.iter().copied().fold(0.0f32, f32::max);
    if best <= 0.0 {
        shares.resize(relevance.len(), 0.0);
        return;
    }
    // The built-in exponent is 2: a product is exact where `powf` may be an ulp off, and it
    // spares a batch row with free text a dozen `pow` calls.
    let exponent = settings.relevance_exponent;
    shares.extend(relevance.iter().map(|&r| {
        let relative = f64::from(r / best);
        if relative < settings.min_relevance {
            0.0
        } else if exponent == 2.0 {
            relative * relative
        } else {
            relative.powf(exponent)
        }
    }));
}

/// Sum of values sorted strongest first, each further one scaled by `factor` once more.
pub fn diminishing(values: impl IntoIterator<Item = f64>, factor: f64) -> f64 {
    let mut scale = 1.0;
    let mut total = 0.0;
    for value in values {
        total += value * scale;
        scale *= factor;
    }
    total
}

/// Points to the 0–100 scale.
pub fn saturate(points: f64, settings: &ScoringSettings) -> f64 {
    100.0 * (1.0 - (-points / settings.saturation).exp())
}
