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

use crate::catalog::Catalog;
use crate::error::Result;
use crate::index::{CatalogIndex, Snippet};
use crate::profile::{Profile, Value};
use crate::questionnaire::{Questionnaire, ScoringSettings};
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

/// A need raised by a profile.
#[derive(Debug, Clone)]
pub struct RaisedNeed {
    /// Index into the questionnaire's needs, or `None` for free text.
    pub need: Option<usize>,
    pub id: String,
    pub label: String,
    pub weight: f64,
    pub answers: Vec<Evidence>,
    pub rules: Vec<String>,
    /// Analysed terms (free text only; catalog needs use precomputed relevance).
    pub terms: Vec<String>,
}

/// Scores profiles against one catalog and questionnaire. Build once, score many.
pub struct Scorer<'a> {
    pub catalog: &'a Catalog,
    pub questionnaire: &'a Questionnaire,
    index: CatalogIndex,
    /// Raw BM25 relevance of each need to each program.
    need_relevance: Vec<Vec<f32>>,
    need_terms: Vec<Vec<String>>,
    /// Per-term relevance vectors, filled on first use (free text).
    term_cache: RwLock<HashMap<String, Arc<Vec<f32>>>>,
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
        let need_relevance = need_terms
            .iter()
            .map(|terms| index.relevance(terms))
            .collect::<Result<Vec<_>>>()?;
        Ok(Scorer {
            catalog,
            questionnaire,
            index,
            need_relevance,
            need_terms,
            term_cache: RwLock::new(HashMap::new()),
        })
    }

    /// The index, for direct queries.
    pub fn index(&self) -> &CatalogIndex {
        &self.index
    }

    /// The needs a profile raises, strongest first, with the answers behind them.
    pub fn raised_needs(&self, profile: &Profile) -> Vec<RaisedNeed> {
        let mut raised = Vec::new();
        for (position, need) in self.questionnaire.needs.iter().enumerate() {
            // Per subject (the answers a rule reads), the strongest holding rule counts.
            let mut by_subject: Vec<(String, f64, String, Vec<String>)> = Vec::new();
            for trigger in &need.raised_by {
                if !trigger.when.iter().all(|c| profile.satisfies(c)) {
                    continue;
                }
                let mut fields: Vec<String> = trigger
                    .when
                    .iter()
                    .flat_map(|c| c.questions())
                    .map(str::to_string)
                    .collect();
                fields.dedup();
                let subject = fields.join("+");
                let words = trigger.reason.clone().unwrap_or_else(|| {
                    trigger
                        .when
                        .iter()
                        .map(|c| c.describe())
                        .collect::<Vec<_>>()
                        .join(" and ")
                });
                match by_subject.iter_mut().find(|(s, ..)| *s == subject) {
                    Some(entry) if entry.1 >= trigger.weight => {}
                    Some(entry) => *entry = (subject, trigger.weight, words, fields),
                    None => by_subject.push((subject, trigger.weight, words, fields)),
                }
            }
            if by_subject.is_empty() {
                continue;
            }
            by_subject.sort_by(|a, b| b.1.total_cmp(&a.1));
            let weight = diminishing(
                by_subject.iter().map(|(_, w, ..)| *w),
                self.questionnaire.scoring.further_evidence_factor,
            );
            let mut answers: Vec<Evidence> = Vec::new();
            for (.., fields) in &by_subject {
                for field in fields {
                    if answers.iter().any(|a| &a.field == field) {
                        continue;
                    }
                    if let Some(answer) = profile.answers.get(field) {
                        answers.push(Evidence {
                            field: field.clone(),
                            value: answer.value.to_text(),
                            prefilled: answer.prefilled,
                        });
                    }
                }
            }
            raised.push(RaisedNeed {
                need: Some(position),
                id: need.id.clone(),
                label: need.label.clone(),
                weight,
                answers,
                rules: by_subject
                    .into_iter()
                    .map(|(_, _, words, _)| words)
                    .collect(),
                terms: Vec::new(),
            });
        }
        for question in &self.questionnaire.questions {
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
                id: question.id.clone(),
                label: format!("In your words ({})", question.id),
                weight,
                answers: vec![Evidence {
                    field: question.id.clone(),
                    value: text.clone(),
                    prefilled: false,
                }],
                rules: vec!["free text matched against the catalog".to_string()],
                terms,
            });
        }
        raised
    }

    /// Relevance of free-text terms to every program, from cached per-term vectors (each
    /// distinct term once, as in a query).
    pub fn text_relevance(&self, terms: &[String]) -> Result<Vec<f32>> {
        let mut total = vec![0.0f32; self.catalog.programs.len()];
        for term in crate::index::distinct(terms) {
            let cached = self
                .term_cache
                .read()
                .ok()
                .and_then(|cache| cache.get(term).cloned());
            let vector = match cached {
                Some(vector) => vector,
                None => {
                    let vector = Arc::new(self.index.relevance(std::slice::from_ref(term))?);
                    if let Ok(mut cache) = self.term_cache.write() {
                        cache.insert(term.clone(), vector.clone());
                    }
                    vector
                }
            };
            for (slot, value) in total.iter_mut().zip(vector.iter()) {
                *slot += value;
            }
        }
        Ok(total)
    }

    /// Raw relevance of a raised need to every program.
    fn relevance_of(&self, need: &RaisedNeed) -> Result<Vec<f32>> {
        match need.need {
            Some(position) => Ok(self
                .need_relevance
                .get(position)
                .cloned()
                .unwrap_or_default()),
            None => self.text_relevance(&need.terms),
        }
    }

    /// Scores every program for `profile`, best first (ties by program number). With
    /// `snippets`, each reason carries the catalog line it matched.
    pub fn score(&self, profile: &Profile, snippets: bool) -> Result<Vec<ProgramScore>> {
        let settings = &self.questionnaire.scoring;
        let programs = self.catalog.programs.len();
        let raised = self.raised_needs(profile);
        // contributions[program] = (need index in `raised`, points, relative relevance)
        let mut contributions: Vec<Vec<(usize, f64, f64)>> = vec![Vec::new(); programs];
        for (n, need) in raised.iter().enumerate() {
            let relevance = self.relevance_of(need)?;
            for (program, share) in shares(&relevance, settings).into_iter().enumerate() {
                if share > 0.0 {
                    if let Some(list) = contributions.get_mut(program) {
                        list.push((n, need.weight * share, share));
                    }
                }
            }
        }
        let factor = settings.further_evidence_factor;
        let mut results: Vec<ProgramScore> = contributions
            .into_iter()
            .enumerate()
            .map(|(program, mut list)| {
                // Strongest need first, then each further one at a diminishing factor.
                list.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let mut scale = 1.0;
                for entry in &mut list {
                    entry.1 *= scale;
                    scale *= factor;
                }
                let points: f64 = list.iter().map(|(_, p, _)| p).sum();
                let score = saturate(points, settings);
                let mut reasons: Vec<Reason> = list
                    .iter()
                    .filter_map(|&(n, p, share)| {
                        let need = raised.get(n)?;
                        Some(Reason {
                            need: need.id.clone(),
                            label: need.label.clone(),
                            weight: need.weight,
                            points: if points > 0.0 {
                                score * p / points
                            } else {
                                0.0
                            },
                            relevance: share,
                            answers: need.answers.clone(),
                            rules: need.rules.clone(),
                            matched: None,
                        })
                    })
                    .collect();
                reasons.sort_by(|a, b| {
                    b.points
                        .total_cmp(&a.points)
                        .then_with(|| a.need.cmp(&b.need))
                });
                ProgramScore {
                    rank: 0,
                    program,
                    score,
                    points,
                    reasons,
                }
            })
            .collect();
        let numbers: Vec<u32> = self.catalog.programs.iter().map(|p| p.number).collect();
        results.sort_by(|a, b| {
            b.points
                .total_cmp(&a.points)
                .then_with(|| numbers.get(a.program).cmp(&numbers.get(b.program)))
        });
        for (rank, result) in results.iter_mut().enumerate() {
            result.rank = rank + 1;
        }
        if snippets {
            self.attach_snippets(&mut results, &raised);
        }
        Ok(results)
    }

    /// Adds to each reason the catalog line of its program that best matches the need.
    pub fn attach_snippets(&self, results: &mut [ProgramScore], raised: &[RaisedNeed]) {
        for result in results.iter_mut() {
            let Some(program) = self.catalog.programs.get(result.program) else {
                continue;
            };
            for reason in &mut result.reasons {
                let terms =
                    raised
                        .iter()
                        .find(|n| n.id == reason.need)
                        .map(|need| match need.need {
                            Some(position) => {
                                self.need_terms.get(position).cloned().unwrap_or_default()
                            }
                            None => need.terms.clone(),
                        });
                if let Some(terms) = terms {
                    reason.matched = self.index.best_line(program, &terms);
                }
            }
        }
    }
}

/// How much of a need each program receives: relevance relative to the best program, sharpened
/// by the exponent, cut below the minimum.
pub fn shares(relevance: &[f32], settings: &ScoringSettings) -> Vec<f64> {
    let best = relevance.iter().copied().fold(0.0f32, f32::max);
    if best <= 0.0 {
        return vec![0.0; relevance.len()];
    }
    relevance
        .iter()
        .map(|&r| {
            let relative = f64::from(r / best);
            if relative < settings.min_relevance {
                0.0
            } else {
                relative.powf(settings.relevance_exponent)
            }
        })
        .collect()
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
