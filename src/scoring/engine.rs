//! The scoring rules compiled once per run, and the one place they run, for every path
//! (score, interview, eval, batch in every format).
//!
//! As tantivy turns a `Query` into a `Weight` into a `Scorer`, the questionnaire's needs are
//! compiled into [`Rules`] (conditions resolved to question positions) when a
//! [`crate::scoring::Scorer`] is built. A batch run compiles further, into [`Speedups`]: needs
//! that read only few-valued answers, or numbers and ratios by the cuts their bounds make,
//! become tables, filled by evaluating these very rules over every combination of answers
//! (every side of each cut), and every contribution a need can make is ordered in advance
//! ([`ContributionOrder`]). Each speed-up is optional: without it the same functions evaluate
//! the rules and sort, and a test checks that both give the same bits.

use crate::error::{Error, Result};
use crate::profile::questionnaire::{QuestionType, Questionnaire, SCALE_POINTS};
use crate::scoring::answers::{Answers, Slot, Test};
use crate::scoring::contribution_order::{descending, ContributionOrder};
use crate::scoring::{diminishing, Diminishing, Scorer};
use rustc_hash::FxHashMap;

/// An internal error: a state the engine's construction rules out.
pub(crate) fn bug(what: &str) -> Error {
    Error::internal(format!("internal error in scoring: {what}"))
}

/// A rule that raises a need, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Trigger {
    when: Vec<Test>,
    weight: f64,
    /// The group of answers (subject) the rule reads: per need and subject only the
    /// strongest holding rule counts.
    subject: usize,
    /// The questions the rule reads, in the order its reasons show them.
    pub(crate) fields: Vec<usize>,
}

/// The questionnaire's needs, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    pub(crate) needs: Vec<Vec<Trigger>>,
    /// Free-text questions matched against the catalog: (position, weight).
    /// Free-text questions: position, `catalog_match_weight`, `order_emphasis`,
    /// `most_per_program`.
    pub(crate) texts: Vec<(usize, f64, f64, Option<f64>)>,
    factor: f64,
}

impl Rules {
    pub(crate) fn new(questionnaire: &Questionnaire) -> Rules {
        let needs = (questionnaire.needs.iter())
            .map(|need| {
                let mut subjects: Vec<Vec<&str>> = Vec::new();
                (need.raised_by.iter())
                    .map(|trigger| {
                        let mut fields: Vec<&str> =
                            trigger.when.iter().flat_map(|c| c.questions()).collect();
                        let in_order = fields.clone();
                        fields.sort_unstable();
                        fields.dedup();
                        Trigger {
                            when: (trigger.when.iter())
                                .map(|c| Test::new(c, questionnaire))
                                .collect(),
                            weight: trigger.weight,
                            subject: position_or_push(&mut subjects, fields),
                            fields: (in_order.iter())
                                .filter_map(|field| questionnaire.position(field))
                                .collect(),
                        }
                    })
                    .collect()
            })
            .collect();
        let texts = (questionnaire.questions.iter().enumerate())
            .filter_map(|(q, question)| {
                let weight = question.catalog_match_weight?;
                (question.kind == QuestionType::Text).then_some((
                    q,
                    weight,
                    question.order_emphasis,
                    question.most_per_program,
                ))
            })
            .collect();
        Rules {
            needs,
            texts,
            factor: questionnaire.scoring.further_evidence_factor,
        }
    }

    /// The rules of need `need` (none for a need out of range).
    pub(crate) fn triggers(&self, need: usize) -> &[Trigger] {
        self.needs.get(need).map_or(&[], Vec::as_slice)
    }

    /// A need's weight when the rules `holding` says hold (`None`: none holds): per subject
    /// the strongest rule, subjects added with diminishing returns. `best` is left with the
    /// rules that counted (subject, weight, rule), strongest first.
    pub(crate) fn weigh(
        &self,
        triggers: &[Trigger],
        holding: impl Fn(usize, &Trigger) -> bool,
        best: &mut Vec<(usize, f64, usize)>,
    ) -> Option<f64> {
        best.clear();
        for (t, trigger) in triggers.iter().enumerate() {
            if !holding(t, trigger) {
                continue;
            }
            match best.iter_mut().find(|(s, ..)| *s == trigger.subject) {
                Some(entry) if entry.1 >= trigger.weight => {}
                Some(entry) => *entry = (trigger.subject, trigger.weight, t),
                None => best.push((trigger.subject, trigger.weight, t)),
            }
        }
        if best.is_empty() {
            return None;
        }
        best.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
        Some(diminishing(best.iter().map(|(_, w, _)| *w), self.factor))
    }

    /// A need's weight from the answers (see [`Rules::weigh`]).
    pub(crate) fn raised_by(
        &self,
        triggers: &[Trigger],
        answers: &Answers,
        best: &mut Vec<(usize, f64, usize)>,
    ) -> Option<f64> {
        let holds = |_, trigger: &Trigger| trigger.when.iter().all(|c| c.holds(answers));
        self.weigh(triggers, holds, best)
    }

    /// Every weight a need can take: its weight under every combination of rules holding
    /// (`None` past 12 rules).
    fn possible_weights(&self, triggers: &[Trigger]) -> Option<Vec<f64>> {
        if triggers.len() > 12 {
            return None;
        }
        let mut weights: Vec<f64> = Vec::new();
        let mut best = Vec::new();
        for holding in 0u32..1 << triggers.len() {
            if let Some(weight) = self.weigh(triggers, |t, _| holding & 1 << t != 0, &mut best) {
                if !weights.iter().any(|w| w.to_bits() == weight.to_bits()) {
                    weights.push(weight);
                }
            }
        }
        Some(weights)
    }
}

/// Where `item` is in `list`, appended first when it is not there.
fn position_or_push<T: PartialEq>(list: &mut Vec<T>, item: T) -> usize {
    (list.iter().position(|x| *x == item)).unwrap_or_else(|| {
        list.push(item);
        list.len() - 1
    })
}

/// A need's code when it has none in the contribution order (the row then sorts).
const NO_CODE: u16 = u16::MAX;

/// Combinations beyond this many make a need evaluated row by row instead.
const MAX_TABLE_ENTRIES: usize = 4096;

/// The answers a tabled need reads take few values: each value has a code, `size()` codes
/// in all, the last one for "not answered".
#[derive(Debug, Clone, Copy)]
pub(crate) enum Domain {
    /// A choice among this many values.
    Choice(u16),
    Boolean,
    /// A 1–5 scale.
    Scale,
    /// A multi-choice among this many values (every subset has a code).
    Multi(u8),
    /// A multi-choice among too many values to code every subset: only "not answered" has a
    /// code, so a row that leaves it out still reads the table and one that answers it
    /// evaluates the rules (`missing_laws` is rarely answered in a batch).
    Unanswered,
    /// A multi-choice among this many values, of which the need's rules read only those in
    /// the mask (bit i: value i): every subset of those has a code, and answers that differ
    /// only in the other values share it. The code then no longer says what the answer is,
    /// only what the rules make of it (see [`NeedTable::exact`]).
    Masked(u8, u8),
    /// A number, of which the need's rules read only on which side of each cut it lies (the
    /// first so many, ascending; see [`Test::cuts`]): the numbers between two cuts share a
    /// code. Like a masked answer's, the code no longer says what the answer is.
    Numeric([f64; MAX_CUTS], u8),
    /// The ratio of this input's number to another question's (the position last), read by
    /// the cuts the rules make as [`Domain::Numeric`] reads a number; two more codes: no
    /// ratio (nothing over nothing), and a number missing.
    Ratio([f64; MAX_CUTS], u8, usize),
}

/// Cuts a numeric input may have (a need's rules on one number: two bounds make two).
const MAX_CUTS: usize = 4;

/// The number of `cuts` (the first `count`) at or below `n`: its side of each cut (`None` for
/// not a number, which is on no side).
fn cuts_below(cuts: &[f64; MAX_CUTS], count: u8, n: f64) -> Option<usize> {
    let cuts = cuts.get(..usize::from(count)).filter(|_| !n.is_nan())?;
    Some(cuts.iter().filter(|&&cut| n >= cut).count())
}

/// `cuts` sorted, each once, as an input's fixed list; `None` past [`MAX_CUTS`].
fn fixed_cuts(mut cuts: Vec<f64>) -> Option<([f64; MAX_CUTS], u8)> {
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut fixed = [0.0; MAX_CUTS];
    fixed.get_mut(..cuts.len())?.copy_from_slice(&cuts);
    Some((fixed, u8::try_from(cuts.len()).ok()?))
}

impl Domain {
    fn of(kind: QuestionType, values: usize) -> Option<Domain> {
        match kind {
            QuestionType::Choice => u16::try_from(values).ok().map(Domain::Choice),
            QuestionType::Boolean => Some(Domain::Boolean),
            QuestionType::Scale => Some(Domain::Scale),
            QuestionType::MultiChoice => Some(
                (u8::try_from(values).ok())
                    .filter(|&n| n <= 8)
                    .map_or(Domain::Unanswered, Domain::Multi),
            ),
            _ => None,
        }
    }

    fn size(self) -> usize {
        match self {
            Domain::Choice(n) => usize::from(n) + 1,
            Domain::Boolean => 3,
            Domain::Scale => SCALE_POINTS.count() + 1,
            Domain::Multi(n) => (1 << n) + 1,
            Domain::Unanswered => 1,
            Domain::Masked(_, mask) => (1 << mask.count_ones()) + 1,
            Domain::Numeric(_, count) => usize::from(count) + 2,
            Domain::Ratio(_, count, _) => usize::from(count) + 3,
        }
    }

    /// The code of an answer; `None` for an answer outside the domain (a prefilled value
    /// the question does not list: the row's rules are then evaluated).
    // By reference, with the size worked out only where it is needed: a row finds the code of
    // every input of every tabled need, and a copy loaded every field of the domain first.
    fn code(&self, slot: Slot) -> Option<usize> {
        match (self, slot) {
            (_, Slot::Unknown) => Some(self.size() - 1),
            (&Domain::Choice(n), Slot::Choice(i)) if i < n => Some(usize::from(i)),
            (Domain::Boolean, Slot::Bool(b)) => Some(usize::from(b)),
            (Domain::Scale, Slot::Integer(i)) if SCALE_POINTS.contains(&i) => {
                usize::try_from(i - SCALE_POINTS.start()).ok()
            }
            (Domain::Multi(_), Slot::Multi(bits)) if bits < (self.size() - 1) as u64 => {
                usize::try_from(bits).ok()
            }
            // The mask's bits of the answer, packed one after the other.
            (&Domain::Masked(n, mask), Slot::Multi(bits)) if bits >> n == 0 => {
                let read = (0..8).filter(|i| mask >> i & 1 == 1);
                Some((read.enumerate()).fold(0, |code, (k, i)| {
                    code | usize::from(bits >> i & 1 == 1) << k
                }))
            }
            // The cuts at or below the number.
            (Domain::Numeric(cuts, count), Slot::Integer(_) | Slot::Number(_)) => {
                cuts_below(cuts, *count, slot.number()?)
            }
            _ => None,
        }
    }

    /// The code of question `q`'s answer among `slots` (a ratio's reads its denominator too).
    fn code_in(&self, q: usize, slots: &[Slot]) -> Option<usize> {
        let slot = *slots.get(q)?;
        let Domain::Ratio(cuts, count, denominator) = self else {
            return self.code(slot);
        };
        let denominator = slots.get(*denominator)?.number();
        match crate::scoring::answers::ratio(slot.number(), denominator) {
            None => Some(self.size() - 1),
            Some(None) => Some(usize::from(*count) + 1),
            Some(Some(ratio)) => cuts_below(cuts, *count, ratio),
        }
    }

    /// Puts the answers with code `code` into `answers` (a ratio's denominator too).
    fn put(self, q: usize, code: usize, answers: &mut Answers) {
        let Domain::Ratio(cuts, count, denominator) = self else {
            answers.put(q, self.slot(code), false);
            return;
        };
        // Over one, the ratio is its numerator: the least ratio with this code, as
        // `Domain::Numeric` represents a number; nothing over nothing; or nothing known.
        let (numerator, over) = match code.checked_sub(1) {
            _ if code + 1 >= self.size() => (Slot::Unknown, Slot::Unknown),
            _ if code == usize::from(count) + 1 => (Slot::Integer(0), Slot::Integer(0)),
            Some(cut) => (
                Slot::Number(cuts.get(cut).copied().unwrap_or(f64::NAN)),
                Slot::Integer(1),
            ),
            None => (Slot::Number(f64::NEG_INFINITY), Slot::Integer(1)),
        };
        answers.put(q, numerator, false);
        answers.put(denominator, over, false);
    }

    /// The answer with code `code`.
    fn slot(self, code: usize) -> Slot {
        if code + 1 >= self.size() {
            return Slot::Unknown;
        }
        match self {
            Domain::Choice(_) => Slot::Choice(code as u16),
            Domain::Boolean => Slot::Bool(code == 1),
            Domain::Scale => Slot::Integer(code as i64 + SCALE_POINTS.start()),
            Domain::Multi(_) => Slot::Multi(code as u64),
            Domain::Unanswered => Slot::Unknown,
            // The code's bits spread back over the mask's values.
            Domain::Masked(_, mask) => {
                let read = (0..8u64).filter(|i| mask >> i & 1 == 1);
                Slot::Multi(
                    (read.enumerate())
                        .fold(0, |bits, (k, i)| bits | u64::from(code >> k & 1 == 1) << i),
                )
            }
            // The least number with this code: its cut (below the first, minus infinity).
            Domain::Numeric(cuts, _) => Slot::Number(match code.checked_sub(1) {
                Some(cut) => cuts.get(cut).copied().unwrap_or(f64::NAN),
                None => f64::NEG_INFINITY,
            }),
            // See `Domain::put`.
            Domain::Ratio(..) => Slot::Unknown,
        }
    }
}

/// A need evaluated in advance for every combination of the answers it reads.
#[derive(Debug, Clone)]
pub(crate) struct NeedTable {
    /// (question, stride, domain): a combination's index is the sum of code × stride.
    pub(crate) inputs: Vec<(usize, usize, Domain)>,
    /// Whether a combination is one set of answers (no [`Domain::Masked`], [`Domain::Numeric`]
    /// or [`Domain::Ratio`] input): only then are its reasons, which show the answers, written
    /// in advance.
    exact: bool,
    /// Per combination: the rules that counted (a range of `counted`), when raised.
    outcomes: Vec<Option<(usize, usize)>>,
    /// Per combination: the reason as the reasons cell shows it (typed-in answers), or empty;
    /// none when the table is not [`exact`](Self::exact).
    pub(crate) reasons: Vec<String>,
    /// Per combination: its entry in `entries` (two bytes, so that the table stays in cache).
    entry_of: Vec<u16>,
    /// What a row reads of the need, for each weight it can take and for "not raised".
    entries: Vec<Entry>,
    counted: Vec<usize>,
}

/// A need under one combination of answers: raised or not, its weight, its code in the
/// contribution order ("not raised" has one too; [`NO_CODE`] for none).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    raised: bool,
    weight: f64,
    code: u16,
}

impl NeedTable {
    /// The combination these answers make; `None` when an answer is outside the table.
    fn combination(&self, slots: &[Slot]) -> Option<usize> {
        let mut index = 0;
        for (q, stride, domain) in &self.inputs {
            index += domain.code_in(*q, slots)? * stride;
        }
        Some(index)
    }

    /// The next combination's entry (the same entry for the same weight); `None` past 65,536
    /// entries.
    fn add_entry(&mut self, entry: Entry) -> Option<()> {
        let at = position_or_push(&mut self.entries, entry);
        self.entry_of.push(u16::try_from(at).ok()?);
        Some(())
    }

    /// The rules that counted under a combination.
    pub(crate) fn counted(&self, combination: usize) -> Option<&[usize]> {
        let (start, end) = (*self.outcomes.get(combination)?)?;
        self.counted.get(start..end)
    }
}

/// What a batch run compiles beyond the rules: tables and the contribution order. None (the
/// default): rules evaluated and contributions sorted per profile.
#[derive(Debug, Default)]
pub(crate) struct Speedups {
    /// Per need: its rules evaluated in advance, when they read only few-valued answers.
    pub(crate) tables: Vec<Option<NeedTable>>,
    /// Every contribution in order, to rank without sorting (`None`: sort each row).
    order: Option<ContributionOrder>,
}

impl Speedups {
    /// Compiles the speed-ups; `write_reason` writes a tabled need's reason for one
    /// combination of typed-in answers (the reasons cell's words).
    pub(crate) fn new(
        scorer: &Scorer,
        write_reason: impl Fn(&mut String, &Answers, usize, &[usize]),
    ) -> Speedups {
        let rules = &scorer.rules;
        let weights = (rules.needs.iter())
            .map(|triggers| rules.possible_weights(triggers))
            .collect::<Option<Vec<_>>>();
        let programs = scorer.catalog.programs.len();
        let factor = scorer.questionnaire.scoring.further_evidence_factor;
        let order = weights.and_then(|weights| {
            ContributionOrder::new(weights, programs, factor, |need, program| {
                scorer.need_share(need, program)
            })
        });
        let mut speedups = Speedups {
            tables: Vec::new(),
            order,
        };
        speedups.tables = (0..rules.needs.len())
            .map(|need| speedups.tabulate(scorer, need, &write_reason))
            .collect();
        speedups
    }

    /// The table of raised need `raised` and the combination of answers it gives it, when all
    /// are typed in (a reason shows a prefilled answer marked: not as the table wrote it).
    pub(crate) fn typed_in(
        &self,
        raised: &Raised,
        answers: &Answers,
    ) -> Option<(&NeedTable, usize)> {
        let table = self
            .tables
            .get(raised.position)?
            .as_ref()
            .filter(|t| t.exact)?;
        let combination = raised.combination.filter(|_| !raised.text)?;
        let prefilled = table.inputs.iter().any(|&(q, ..)| answers.is_prefilled(q));
        (!prefilled).then_some((table, combination))
    }

    /// What a row reads of a need with this weight (`None`: not raised), its code included.
    fn entry(&self, need: usize, weight: Option<f64>) -> Entry {
        let code = match (&self.order, weight) {
            (Some(order), Some(weight)) => order.code(need, weight),
            (Some(order), None) => order.not_raised(need),
            (None, _) => None,
        };
        Entry {
            raised: weight.is_some(),
            weight: weight.unwrap_or(0.0),
            code: code.unwrap_or(NO_CODE),
        }
    }

    /// The need's table, when its rules read only answers with few possible values (choices,
    /// yes/no, 1–5 scales): the rules evaluated for every combination of those answers.
    fn tabulate(
        &self,
        scorer: &Scorer,
        need: usize,
        write_reason: &impl Fn(&mut String, &Answers, usize, &[usize]),
    ) -> Option<NeedTable> {
        let rules = &scorer.rules;
        let questions = &scorer.questionnaire.questions;
        let triggers = rules.needs.get(need)?;
        let mut read: Vec<usize> = Vec::new();
        for q in triggers.iter().flat_map(|t| &t.when).flat_map(Test::reads) {
            // Not a question: never answered, the same in every combination.
            if q < questions.len() && !read.contains(&q) {
                read.push(q);
            }
        }
        let tests = || triggers.iter().flat_map(|t| &t.when);
        // A ratio is one input, its numerator's: the denominator is read with it.
        let ratios: Vec<(usize, usize)> = tests().filter_map(Test::ratio).collect();
        // Ratios sharing a question other than as the same pair (a/b and b/a, a/b and a/c)
        // are not one input each: the rules are evaluated row by row.
        let overlapping = |&(n, d): &(usize, usize)| {
            let shares = |&(m, e): &(usize, usize)| {
                (m, e) != (n, d) && [m, e].iter().any(|q| *q == n || *q == d)
            };
            ratios.iter().any(shares)
        };
        if ratios.iter().any(overlapping) {
            return None;
        }
        read.retain(|q| !ratios.iter().any(|&(_, denominator)| denominator == *q));
        let mut domains = (read.iter())
            .map(|&q| {
                let question = questions.get(q)?;
                if let Some(&(_, denominator)) = ratios.iter().find(|&&(a, _)| a == q) {
                    let mut cuts = Vec::new();
                    for test in tests() {
                        cuts.extend(test.ratio_cuts(q, denominator)?);
                    }
                    let (cuts, count) = fixed_cuts(cuts)?;
                    return Some(Domain::Ratio(cuts, count, denominator));
                }
                match question.kind {
                    // Numbers by the cuts the rules make.
                    QuestionType::Integer | QuestionType::Number => {
                        let mut cuts = Vec::new();
                        for test in tests() {
                            cuts.extend(test.cuts(q)?);
                        }
                        let (cuts, count) = fixed_cuts(cuts)?;
                        Some(Domain::Numeric(cuts, count))
                    }
                    kind => Domain::of(kind, question.values.len()),
                }
            })
            .collect::<Option<Vec<_>>>()?;
        let size = |domains: &[Domain]| {
            (domains.iter()).try_fold(1usize, |size, domain| size.checked_mul(domain.size()))
        };
        // Too many combinations of whole answers: multi-choice answers are narrowed to the
        // values the rules read (the combinations then no longer show the answers). Not
        // otherwise: a whole answer's code is cheaper to find.
        let whole = !(domains.iter()).any(|d| matches!(d, Domain::Numeric(..) | Domain::Ratio(..)));
        let exact = whole && size(&domains).is_some_and(|size| size <= MAX_TABLE_ENTRIES);
        if size(&domains).is_none_or(|size| size > MAX_TABLE_ENTRIES) {
            for (domain, &q) in domains.iter_mut().zip(&read) {
                if let Domain::Multi(n) = *domain {
                    let mask = tests().fold(0, |mask, test| mask | test.values_read(q));
                    *domain = Domain::Masked(n, u8::try_from(mask).ok()?);
                }
            }
        }
        let combinations = size(&domains).filter(|&size| size <= MAX_TABLE_ENTRIES)?;
        let mut inputs = Vec::new();
        let mut stride = 1;
        for (&q, &domain) in read.iter().zip(&domains) {
            inputs.push((q, stride, domain));
            stride *= domain.size();
        }
        let mut answers = Answers::default();
        answers.clear(questions.len());
        let mut best = Vec::new();
        let mut table = NeedTable {
            inputs,
            exact,
            outcomes: Vec::with_capacity(combinations),
            reasons: Vec::with_capacity(combinations),
            entry_of: Vec::with_capacity(combinations),
            entries: Vec::new(),
            counted: Vec::new(),
        };
        for index in 0..combinations {
            for &(q, stride, domain) in &table.inputs {
                domain.put(q, index / stride % domain.size(), &mut answers);
            }
            let weight = rules.raised_by(triggers, &answers, &mut best);
            let (first, mut reason) = (table.counted.len(), String::new());
            if weight.is_some() {
                table.counted.extend(best.iter().map(|(.., t)| *t));
                if table.exact {
                    write_reason(&mut reason, &answers, need, table.counted.get(first..)?);
                }
            }
            table
                .outcomes
                .push(weight.map(|_| (first, table.counted.len())));
            if table.exact {
                table.reasons.push(reason);
            }
            table.add_entry(self.entry(need, weight))?;
        }
        Some(table)
    }
}

/// A need as a profile raises it (or not). A profile has one per need, in need order, then
/// one per free-text answer matched in the catalog.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Raised {
    /// The need's position, or the free-text question's (`text`).
    pub(crate) position: usize,
    pub(crate) text: bool,
    pub(crate) raised: bool,
    pub(crate) weight: f64,
    /// The rules that counted, as a range of `Scratch::triggers` (empty for a tabled need:
    /// its table has them).
    triggers: (usize, usize),
    /// For free text: its shares' index in `Scratch::text_shares`.
    pub(crate) shares: usize,
    /// For a tabled need: the combination of answers the profile gives it.
    pub(crate) combination: Option<usize>,
}

/// A worker's buffers, reused from profile to profile.
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) answers: Answers,
    pub(crate) raised: Vec<Raised>,
    triggers: Vec<usize>,
    best: Vec<(usize, f64, usize)>,
    text_shares: Vec<Vec<f64>>,
    /// Per free text, beside its shares: the vectors of its units that match the catalog.
    text_units: Vec<Vec<u32>>,
    words: WordMemo,
    /// Per program: its contributions' sort keys (see [`descending`]), strongest first.
    contributions: Contributions,
    /// (sort key, program, points), best first.
    pub(crate) ranked: Vec<(u128, usize, f64)>,
    unranked: Vec<(u128, usize, f64)>,
    /// Per program: its free-text contributions (points, raised need), and how many.
    text_contributions: Vec<(f64, usize)>,
    text_counts: Vec<usize>,
    /// Per need: its code in the contribution order.
    codes: Vec<u16>,
    bits: Vec<u64>,
    /// Whether `bits` hold this profile's contributions (else the sorted lists do).
    ordered: bool,
    pub(crate) evidence: Vec<usize>,
    pub(crate) value: String,
    pub(crate) cell: String,
}

impl Scratch {
    /// The catalog terms free text `shares` (its index in `text_shares`) was read as: each
    /// catalog word as itself, each planner's word or phrase as what it means. Its reasons'
    /// catalog lines are chosen on these, so they show what the score came from.
    pub(crate) fn text_read_as(&self, shares: usize) -> Vec<String> {
        let units = self.text_units.get(shares).map_or(&[][..], Vec::as_slice);
        (units.iter())
            .filter_map(|&vector| self.words.vector_terms.get(vector as usize))
            .flat_map(|terms| terms.iter().cloned())
            .collect()
    }

    /// The rules that counted for raised need `n`.
    pub(crate) fn counted<'s>(&'s self, speedups: &'s Speedups, n: usize) -> &'s [usize] {
        let Some(raised) = self.raised.get(n) else {
            return &[];
        };
        let tabled = (raised.combination)
            .and_then(|c| speedups.tables.get(raised.position)?.as_ref()?.counted(c));
        tabled.unwrap_or_else(|| {
            (self.triggers)
                .get(raised.triggers.0..raised.triggers.1)
                .unwrap_or(&[])
        })
    }
}

/// Per program, its needs' contributions (sort keys), in one block of `stride` per program.
#[derive(Debug, Default)]
struct Contributions {
    keys: Vec<u128>,
    lengths: Vec<usize>,
    stride: usize,
}

impl Contributions {
    fn reset(&mut self, programs: usize, stride: usize) {
        self.stride = stride;
        self.keys.resize(programs * stride, 0);
        self.lengths.clear();
        self.lengths.resize(programs, 0);
    }

    /// Writes `key` after the program's last entry and keeps it when `keep`.
    fn push_if(&mut self, program: usize, key: u128, keep: bool) {
        let Some(length) = self.lengths.get_mut(program) else {
            return;
        };
        if *length >= self.stride {
            return;
        }
        if let Some(slot) = self.keys.get_mut(program * self.stride + *length) {
            *slot = key;
            *length += usize::from(keep);
        }
    }

    fn list(&self, program: usize) -> &[u128] {
        let length = self.lengths.get(program).copied().unwrap_or(0);
        let start = program * self.stride;
        self.keys.get(start..start + length).unwrap_or(&[])
    }

    fn list_mut(&mut self, program: usize) -> &mut [u128] {
        let length = self.lengths.get(program).copied().unwrap_or(0);
        let start = program * self.stride;
        self.keys.get_mut(start..start + length).unwrap_or(&mut [])
    }
}

/// A contribution's sort key: strongest first, then the need raised first.
fn key(points: f64, n: usize) -> u128 {
    u128::from(descending(points)) << 64 | n as u128
}

/// The number back from its [`descending`] key (in the high bits of a contribution).
fn points_of(key: u128) -> f64 {
    let ascending = !((key >> 64) as u64);
    let bits = if ascending >> 63 == 1 {
        ascending & !(1 << 63)
    } else {
        !ascending
    };
    f64::from_bits(bits)
}

impl Scorer<'_> {
    /// The needs `scratch.answers` raise, and each need's code in the contribution order.
    pub(crate) fn raise(&self, speedups: &Speedups, scratch: &mut Scratch) -> Result<()> {
        let rules = &self.rules;
        let needs = rules.needs.len();
        // The needs' entries stay from row to row (a need's position, and that it is one, do
        // not change): a row rewrites only what its answers decide. Free texts' entries,
        // after them, go. Entries left by other rules (another scorer) are made anew.
        scratch.raised.truncate(needs);
        let kept = scratch.raised.len() == needs
            && (scratch.raised.last()).is_none_or(|r| !r.text && r.position + 1 == needs);
        if !kept {
            scratch.raised.clear();
            scratch.raised.extend((0..needs).map(|position| Raised {
                position,
                text: false,
                raised: false,
                weight: 0.0,
                triggers: (0, 0),
                shares: 0,
                combination: None,
            }));
        }
        scratch.codes.resize(needs, NO_CODE);
        let Scratch {
            answers,
            raised,
            triggers: counted,
            best,
            codes,
            ..
        } = scratch;
        counted.clear();
        // Read-only from here: the answers' slots stay in registers from need to need.
        let answers: &Answers = answers;
        let slots = answers.slots.as_slice();
        let each = (rules.needs.iter().enumerate()).zip(raised.iter_mut().zip(codes.iter_mut()));
        for ((position, triggers), (need, code)) in each {
            let first = counted.len();
            let table = speedups.tables.get(position).and_then(Option::as_ref);
            let tabled = table.and_then(|table| {
                let combination = table.combination(slots)?;
                let entry = *table.entry_of.get(combination)?;
                Some((*table.entries.get(usize::from(entry))?, combination))
            });
            let (entry, combination) = match tabled {
                Some((entry, combination)) => (entry, Some(combination)),
                None => {
                    let weight = rules.raised_by(triggers, answers, best);
                    counted.extend(best.iter().map(|(.., t)| *t));
                    (speedups.entry(position, weight), None)
                }
            };
            *code = entry.code;
            need.raised = entry.raised;
            need.weight = entry.weight;
            need.triggers = (first, counted.len());
            need.combination = combination;
        }
        let programs = self.catalog.programs.len();
        let mut text_needs = 0;
        scratch.words.restart_if_full();
        for &(question, weight, emphasis, most_per_program) in &rules.texts {
            let answers = &scratch.answers;
            // Prefill fills choices, never free text.
            let text = answers.text_answer(question);
            let Some(text) = text.filter(|_| !answers.is_prefilled(question)) else {
                continue;
            };
            if !scratch.words.spread(self, text, programs, emphasis)? {
                continue;
            }
            if scratch.text_shares.len() <= text_needs {
                scratch.text_shares.push(Vec::new());
                scratch.text_units.push(Vec::new());
            }
            let units = (scratch.text_units.get_mut(text_needs))
                .ok_or_else(|| bug("no room for a free text's units"))?;
            units.clear();
            units.extend(
                (scratch.words.units.iter())
                    .map(|&(vector, _)| vector)
                    .filter(|&vector| vector != NO_RELEVANCE),
            );
            let shares = (scratch.text_shares.get_mut(text_needs))
                .ok_or_else(|| bug("no room for a free text's shares"))?;
            shares.clear();
            let most = most_per_program.map_or(1.0, |most| most / weight);
            shares.extend(scratch.words.shares.iter().map(|share| share.min(most)));
            scratch.raised.push(Raised {
                position: question,
                text: true,
                raised: true,
                weight,
                triggers: (0, 0),
                shares: text_needs,
                combination: None,
            });
            text_needs += 1;
        }
        Ok(())
    }

    /// The share of a raised need (by its index in `scratch.raised`) for a program.
    pub(crate) fn raised_share(&self, scratch: &Scratch, n: usize, program: usize) -> f64 {
        match scratch.raised.get(n) {
            Some(raised) if raised.text => (scratch.text_shares.get(raised.shares))
                .and_then(|shares| shares.get(program))
                .copied()
                .unwrap_or(0.0),
            Some(raised) => self.need_share(raised.position, program),
            None => 0.0,
        }
    }

    /// Every program's points and the ranking (most points first, ties by program number,
    /// then catalog position), into `scratch.ranked`. A program's points are its
    /// contributions (a raised need's weight × its share) strongest first (ties: the need
    /// raised first), each further one scaled by `further_evidence_factor` once more.
    /// A lookup that fails is a bug in how the scratch was filled: an error, never a program
    /// silently left without its points.
    pub(crate) fn rank(&self, speedups: &Speedups, scratch: &mut Scratch) -> Result<()> {
        let programs = self.catalog.programs.len();
        let needs = self.rules.needs.len();
        let order = (speedups.order.as_ref()).filter(|_| !scratch.codes.contains(&NO_CODE));
        scratch.ordered = order.is_some();
        if let Some(order) = order {
            order.mark(&scratch.codes, &mut scratch.bits);
            if scratch.raised.len() > needs {
                return self.rank_merging_text(order, scratch);
            }
            scratch.text_contributions.clear();
            scratch.text_counts.clear();
        }
        let factor = self.questionnaire.scoring.further_evidence_factor;
        let contributions = &mut scratch.contributions;
        if order.is_none() {
            // Room for each program's needs and the free-text questions.
            let stride = self.program_needs.iter().map(Vec::len).max().unwrap_or(0);
            contributions.reset(programs, stride + self.rules.texts.len());
            // Each program's needs come strongest share first, so the lists arrive nearly
            // sorted and the insertion sort has little to move.
            for (program, needs) in self.program_needs.iter().enumerate() {
                for &(need, share) in needs {
                    let raised = (scratch.raised.get(need))
                        .ok_or_else(|| bug("a program's need missing from the raised needs"))?;
                    let points = key(raised.weight * share, need);
                    contributions.push_if(program, points, raised.raised);
                }
            }
            for (n, raised) in scratch.raised.iter().enumerate().skip(needs) {
                let shares = (scratch.text_shares.get(raised.shares))
                    .ok_or_else(|| bug("a free text without its shares"))?;
                for (program, &share) in shares.iter().enumerate() {
                    contributions.push_if(program, key(raised.weight * share, n), share > 0.0);
                }
            }
        }
        scratch.ranked.clear();
        let ranked = &mut scratch.ranked;
        let tabled = order.is_some_and(|order| {
            order.every_points(&scratch.bits, |program, points| {
                ranked.push(self.ranked(program, points));
            })
        });
        for program in (0..programs).filter(|_| !tabled) {
            let points = match order {
                Some(order) => diminishing(
                    order.contributions(program, &scratch.bits).map(|(_, p)| p),
                    factor,
                ),
                None => {
                    let list = contributions.list_mut(program);
                    insertion_sort(list);
                    diminishing(list.iter().map(|&key| points_of(key)), factor)
                }
            };
            ranked.push(self.ranked(program, points));
        }
        sort_by_counting(&mut scratch.ranked, &mut scratch.unranked);
        Ok(())
    }

    /// [`Self::rank`] with the order and free text: each program's marked contributions and
    /// its text contributions (a short sorted list, most often one) merged as they are read.
    // Out of line: rows without free text keep their loop as it was.
    #[inline(never)]
    fn rank_merging_text(&self, order: &ContributionOrder, scratch: &mut Scratch) -> Result<()> {
        let factor = self.questionnaire.scoring.further_evidence_factor;
        let programs = self.catalog.programs.len();
        let needs = self.rules.needs.len();
        let texts = (scratch.raised.get(needs..))
            .ok_or_else(|| bug("free texts ranked without the needs before them"))?;
        let extra = &mut scratch.text_contributions;
        extra.clear();
        extra.resize(programs * texts.len(), (0.0, 0));
        let counts = &mut scratch.text_counts;
        counts.clear();
        counts.resize(programs, 0);
        for (t, raised) in texts.iter().enumerate() {
            let shares = (scratch.text_shares.get(raised.shares))
                .ok_or_else(|| bug("a free text without its shares"))?;
            for (program, &share) in shares.iter().enumerate() {
                if share <= 0.0 {
                    continue;
                }
                let count = (counts.get_mut(program))
                    .ok_or_else(|| bug("a free text's share for no program"))?;
                let slot = (extra.get_mut(program * texts.len() + *count))
                    .ok_or_else(|| bug("more text contributions than texts"))?;
                *slot = (raised.weight * share, needs + t);
                *count += 1;
            }
        }
        if texts.len() > 1 {
            for (program, &count) in counts.iter().enumerate() {
                let start = program * texts.len();
                if let Some(list) = extra.get_mut(start..start + count) {
                    list.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                }
            }
        }
        scratch.ranked.clear();
        for program in 0..programs {
            let (mut total, mut returns) = (-0.0, Diminishing::new(factor));
            let extra = text_of(scratch, program)?;
            merged(order, program, &scratch.bits, extra, |_, points| {
                total += returns.part(points);
                true
            });
            scratch.ranked.push(self.ranked(program, total));
        }
        sort_by_counting(&mut scratch.ranked, &mut scratch.unranked);
        Ok(())
    }

    /// Calls `each(raised need, points)` for the program's contributions of the profile
    /// [`Self::rank`] ranked last, strongest first, until it returns false (`points` unscaled).
    pub(crate) fn contributions(
        &self,
        speedups: &Speedups,
        scratch: &Scratch,
        program: usize,
        mut each: impl FnMut(usize, f64) -> bool,
    ) -> Result<()> {
        match speedups.order.as_ref().filter(|_| scratch.ordered) {
            Some(order) => {
                let text = text_of(scratch, program)?;
                merged(order, program, &scratch.bits, text, each);
            }
            None => {
                for &key in scratch.contributions.list(program) {
                    if !each(key as u64 as usize, points_of(key)) {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// A program's entry in the ranking: (sort key, program, points).
    fn ranked(&self, program: usize, points: f64) -> (u128, usize, f64) {
        // Ties go by program number, then position.
        let ties = (self.rank_ties.get(program).copied())
            .unwrap_or(u128::from(u32::MAX) << 32 | program as u128);
        (u128::from(descending(points)) << 64 | ties, program, points)
    }
}

/// The program's free-text contributions, strongest first (when ranked with the order).
fn text_of(scratch: &Scratch, program: usize) -> Result<&[(f64, usize)]> {
    // No counts: the profile has no free text (see `rank`).
    if scratch.text_counts.is_empty() {
        return Ok(&[]);
    }
    let texts = scratch.text_counts.len().max(1);
    let per = scratch.text_contributions.len() / texts;
    let start = program * per;
    let count = (scratch.text_counts.get(program)).ok_or_else(|| bug("no text count"))?;
    (scratch.text_contributions)
        .get(start..start + count)
        .ok_or_else(|| bug("a program's text contributions out of range"))
}

/// Sorts a dozen entries with distinct keys, each put straight in its place (the number of
/// keys below its own): more compares than a sort makes, but none that branches, where a sort
/// mispredicts a branch on every other compare of keys in no particular order.
fn sort_by_counting<T: Copy>(entries: &mut [(u128, T, f64)], spare: &mut Vec<(u128, T, f64)>) {
    spare.clear();
    spare.extend_from_slice(entries);
    for entry in spare.iter() {
        let place = spare.iter().filter(|other| other.0 < entry.0).count();
        if let Some(slot) = entries.get_mut(place) {
            *slot = *entry;
        }
    }
}

/// Calls `each(raised need, points)` for the program's contributions marked in `bits` and
/// for `extra` (free text's, strongest first), merged strongest first, until it returns
/// false. On equal points a need comes before free text (whose raised needs come last), as
/// the sort keys order them.
fn merged(
    order: &ContributionOrder,
    program: usize,
    bits: &[u64],
    extra: &[(f64, usize)],
    mut each: impl FnMut(usize, f64) -> bool,
) {
    let mut next = 0;
    for (need, points) in order.contributions(program, bits) {
        while let Some(&(text, n)) = extra.get(next) {
            if text.total_cmp(&points) != std::cmp::Ordering::Greater {
                break;
            }
            next += 1;
            if !each(n, text) {
                return;
            }
        }
        if !each(need, points) {
            return;
        }
    }
    for &(text, n) in extra.get(next..).unwrap_or(&[]) {
        if !each(n, text) {
            return;
        }
    }
}

/// Sorts a short list (a program's few needs) with less overhead than the standard sort.
fn insertion_sort(list: &mut [u128]) {
    for i in 1..list.len() {
        let key = list[i];
        let mut j = i;
        while j > 0 && list[j - 1] > key {
            list[j] = list[j - 1];
            j -= 1;
        }
        list[j] = key;
    }
}

/// Free text as evidence, in proportion to how much of it matches the catalog: every word the
/// analyser keeps carries an equal part of the text; a word the catalog holds hands its part to
/// the programs it matches comparably (its shares, as a need's: relevance relative to its best
/// program, sharpened and cut, then made to sum to one); a word the catalog does not hold gives
/// nothing. So a text never hands one program a full need because that program matched best,
/// and a text that says much about one program gives it much. A planner's word or phrase
/// (`data/synonyms.yaml`: "TISC", "collecting societies") reads as the catalog's words for it:
/// a phrase's words hand their parts to what the phrase means. Last, the shares are read
/// against the catalog's own text read the same way ([`WordMemo::read_against`]): a program
/// gets more where the text speaks of it more than the catalog does.
///
/// Words are analysed once per worker: each word's term and the term's shares, so a text
/// costs one map probe per word instead of the analyser's work.
#[derive(Debug, Default)]
struct WordMemo {
    /// Word as written → its term's number, `None` for stop words and overlong words.
    words: FxHashMap<Box<str>, Option<u32>>,
    /// Term → its number (every term met, in the catalog or not).
    numbers: FxHashMap<String, u32>,
    /// Per term number: the term, and the number of its shares in `vectors` (`UNSEEN` until
    /// fetched, `NO_RELEVANCE` when the catalog does not hold it).
    terms: Vec<(Box<str>, u32)>,
    /// Shares of a word's part, per program (summing to one).
    vectors: Vec<Vec<f64>>,
    /// Per vector: the catalog terms it was computed from (the word's own term, or what a
    /// planner's word or phrase means), so that a reason shows the catalog line of the words
    /// the text was read as.
    vector_terms: Vec<Box<[String]>>,
    /// Synonym entry (by position) → the number of its shares in `vectors`.
    synonym_vectors: FxHashMap<usize, u32>,
    /// First term number → the synonym keys of several words starting with it, as term
    /// numbers, longest first, with their entry's position. Filled on the first text.
    phrases: Option<PhraseKeys>,
    /// The last text's terms, in order.
    sequence: Vec<u32>,
    /// The last text's units (a phrase or a word, generic words left out): the number of
    /// their shares in `vectors` (or `NO_RELEVANCE`) and how many words each is.
    units: Vec<(u32, usize)>,
    analysed: Vec<String>,
    /// The last text's share of its weight per program.
    shares: Vec<f64>,
    /// Whether the analyser leaves a number unchanged (checked on first use).
    digits_kept: Option<bool>,
}

/// Marks the term of a word written as a one-word synonym key whose term the catalog holds
/// (no analysed term holds this character).
const WRITTEN_KEY: char = '\u{1}';

/// The number of every vector-less term: outside the catalog's vocabulary, relevance zero
/// everywhere. Also the term number of a number outside the vocabulary.
const NO_RELEVANCE: u32 = u32::MAX;

/// The vector number of a generic word (`generic_words` in `data/synonyms.yaml`): read as a
/// stop word, neither matched nor counted in the text's length. (`UNSEEN` is `u32::MAX - 1`.)
const GENERIC: u32 = u32::MAX - 2;

/// Words kept per worker before starting afresh: bounds memory on endless vocabularies.
const MAX_MEMO_WORDS: usize = 200_000;

impl WordMemo {
    /// Starts afresh when the memo holds too many words. Called before a profile's texts, never
    /// between them: the units kept for each text (`Scratch::text_units`) refer to its vectors.
    fn restart_if_full(&mut self) {
        if self.words.len() > MAX_MEMO_WORDS {
            *self = WordMemo::default();
        }
    }

    /// Fills `shares` with each program's share of `text`'s weight, its first words weighing
    /// `emphasis` more and its last `emphasis` less; `false` when the text has no word the
    /// analyser keeps.
    fn spread(
        &mut self,
        scorer: &Scorer,
        text: &str,
        programs: usize,
        emphasis: f64,
    ) -> Result<bool> {
        if !self.spread_words(scorer, text, programs, emphasis)? {
            return Ok(false);
        }
        self.read_against(scorer.text_prior()?);
        Ok(true)
    }

    /// [`Self::spread`] word by word, before reading the shares against the catalog's text.
    fn spread_words(
        &mut self,
        scorer: &Scorer,
        text: &str,
        programs: usize,
        emphasis: f64,
    ) -> Result<bool> {
        if self.phrases.is_none() {
            self.phrases = Some(self.phrase_keys(scorer));
        }
        self.sequence.clear();
        // The analyser's words, as its tokenizer splits them: every filter after it works
        // word by word.
        for (_, word) in crate::catalog::words::words(text) {
            let number = match self.words.get(word).copied() {
                Some(number) => number,
                // Numbers ("Row 17", "2,400 applications") rarely repeat: not worth a word's
                // memo entry, and the analyser leaves them as they are (checked once).
                None if self.numbers_analyse_to_themselves(scorer, word)
                    && !scorer.in_vocabulary(word)? =>
                {
                    Some(NO_RELEVANCE)
                }
                None => {
                    let number = self.analyse(scorer, word)?;
                    let number = self.written_key(scorer, word, number)?;
                    self.words.insert(word.into(), number);
                    number
                }
            };
            self.sequence.extend(number);
        }
        // The text as units: a planner's phrase from the synonyms, or one word; generic words
        // drop out as stop words do (after phrases: "needs assessment" is a phrase).
        self.units.clear();
        let mut at = 0;
        while let Some(&term) = self.sequence.get(at) {
            let (vector, words) = match self.phrase_at(at) {
                Some((entry, words)) => (self.synonym_vector(scorer, entry)?, words),
                None => (self.term_vector(scorer, term)?, 1),
            };
            at += words;
            if vector != GENERIC {
                self.units.push((vector, words));
            }
        }
        let length: usize = self.units.iter().map(|&(_, words)| words).sum();
        if length == 0 {
            return Ok(false);
        }
        self.shares.clear();
        self.shares.resize(programs, 0.0);
        let (length, mut at) = (length as f64, 0);
        for &(vector, words) in &self.units {
            // A word's weight by its place, from 1 + emphasis down to 1 − emphasis (a phrase
            // weighs as its first word's place).
            let place = 1.0 + emphasis * (1.0 - 2.0 * (at as f64 + 0.5) / length);
            at += words;
            if vector == NO_RELEVANCE {
                continue;
            }
            let vector = (self.vectors.get(vector as usize))
                .ok_or_else(|| bug("a term without its shares"))?;
            for (total, value) in self.shares.iter_mut().zip(vector.iter()) {
                *total += place * words as f64 * value;
            }
        }
        let part = 1.0 / length;
        for share in &mut self.shares {
            *share *= part;
        }
        Ok(true)
    }

    /// Redistributes the matched part of the text in proportion to each program's share over
    /// its share of the catalog's own text (`prior`): the catalog says more about some programs
    /// than others, and a text that says nothing in particular would otherwise lean to them.
    /// The total (how much of the text matched) stays as it was.
    fn read_against(&mut self, prior: &[f64]) {
        let matched: f64 = self.shares.iter().sum();
        for (share, &expected) in self.shares.iter_mut().zip(prior) {
            *share = if expected > 0.0 {
                *share / expected
            } else {
                0.0
            };
        }
        let lifted: f64 = self.shares.iter().sum();
        if lifted > 0.0 {
            for share in &mut self.shares {
                *share *= matched / lifted;
            }
        }
    }

    /// The synonym phrase starting at `at` in the last text (its entry and length), if any.
    fn phrase_at(&self, at: usize) -> Option<(usize, usize)> {
        let first = self.sequence.get(at)?;
        let keys = self.phrases.as_ref()?.get(first)?;
        let rest = self.sequence.get(at..)?;
        (keys.iter())
            .find(|(key, _)| rest.starts_with(key))
            .map(|(key, entry)| (*entry, key.len()))
    }

    /// Every synonym key of several words, by its first term, longest first.
    fn phrase_keys(&mut self, scorer: &Scorer) -> PhraseKeys {
        let mut phrases = PhraseKeys::default();
        for (entry, synonym) in scorer.catalog.synonyms.entries.iter().enumerate() {
            for key in synonym.keys().filter(|key| key.len() > 1) {
                let key: Vec<u32> = key.iter().map(|term| self.number_of(term)).collect();
                if let Some(&first) = key.first() {
                    phrases.entry(first).or_default().push((key, entry));
                }
            }
        }
        for keys in phrases.values_mut() {
            keys.sort_by_key(|(key, _)| std::cmp::Reverse(key.len()));
        }
        phrases
    }

    /// Whether `word` is a number (ASCII digits, short enough to be kept) and the analyser
    /// keeps numbers as they are, so that the word is its own term.
    fn numbers_analyse_to_themselves(&mut self, scorer: &Scorer, word: &str) -> bool {
        if word.len() >= 40 || !word.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        *self.digits_kept.get_or_insert_with(|| {
            let sample = "0123456789";
            scorer.catalog.synonyms.terms(sample) == [sample]
        })
    }

    /// A new word's term number (`None`: no term).
    fn analyse(&mut self, scorer: &Scorer, word: &str) -> Result<Option<u32>> {
        (scorer.catalog.synonyms).terms_into(word, &mut self.analysed);
        let term = match self.analysed.as_slice() {
            [] => return Ok(None),
            [term] => term.clone(),
            // The tokenizer splits where `split` above does, and the filters keep words whole.
            _ => return Err(bug("one word analysed into several terms")),
        };
        Ok(Some(self.number_of(&term)))
    }

    /// The number of `word`'s term, or of the term marked [`WRITTEN_KEY`] when `word` is
    /// written as a one-word synonym key whose term the catalog holds ("legislators", not
    /// "legislation": see [`crate::catalog::synonyms::Synonyms::written_as_key`]).
    fn written_key(
        &mut self,
        scorer: &Scorer,
        word: &str,
        number: Option<u32>,
    ) -> Result<Option<u32>> {
        let Some(term) = number.and_then(|n| self.terms.get(n as usize)) else {
            return Ok(number);
        };
        let term = term.0.clone();
        let synonyms = &scorer.catalog.synonyms;
        match synonyms.position_of_word(&term) {
            Some(entry)
                if synonyms.written_as_key(entry, word) && scorer.in_vocabulary(&term)? =>
            {
                Ok(Some(self.number_of(&format!("{term}{WRITTEN_KEY}"))))
            }
            _ => Ok(number),
        }
    }

    /// The number of an analysed term, given on first sight.
    fn number_of(&mut self, term: &str) -> u32 {
        if let Some(&number) = self.numbers.get(term) {
            return number;
        }
        // Numbers past u32::MAX - 1 would be taken for NO_RELEVANCE: the memo restarts long
        // before (MAX_MEMO_WORDS).
        let number = self.terms.len() as u32;
        self.terms.push((term.into(), UNSEEN));
        self.numbers.insert(term.to_string(), number);
        number
    }

    /// The shares of a term (by number), fetched once: a planner's word reads as the
    /// catalog's words for it.
    fn term_vector(&mut self, scorer: &Scorer, number: u32) -> Result<u32> {
        if number == NO_RELEVANCE {
            return Ok(NO_RELEVANCE);
        }
        let (term, known) = (self.terms.get(number as usize))
            .ok_or_else(|| bug("a term number without its term"))?;
        if *known != UNSEEN {
            return Ok(*known);
        }
        let term = term.clone();
        let synonyms = &scorer.catalog.synonyms;
        let in_catalog = scorer.in_vocabulary(&term)?;
        let entry = match term.strip_suffix(WRITTEN_KEY) {
            Some(written) => synonyms.position_of_word(written),
            // A catalog word reads as itself: a key of the same stem stands only for the word
            // written as the key (`written_key`).
            None if in_catalog => None,
            None => synonyms.position_of_word(&term),
        };
        let vector = match entry {
            // A word stands for catalog words, or for none (`check` refuses both at once).
            _ if synonyms.is_generic(&term) => GENERIC,
            Some(entry) => self.synonym_vector(scorer, entry)?,
            // Terms the catalog does not hold (names), and numbers, share one number: each adds
            // zero.
            None if !in_catalog || crate::catalog::words::is_number(&term) => NO_RELEVANCE,
            None => {
                let relevance = scorer.term_relevance(&term)?;
                self.push_vector(scorer, &relevance, vec![term.to_string()])?
            }
        };
        if let Some((_, slot)) = self.terms.get_mut(number as usize) {
            *slot = vector;
        }
        Ok(vector)
    }

    /// The shares of what a synonym entry means, fetched once.
    fn synonym_vector(&mut self, scorer: &Scorer, entry: usize) -> Result<u32> {
        if let Some(&vector) = self.synonym_vectors.get(&entry) {
            return Ok(vector);
        }
        let synonyms = &scorer.catalog.synonyms;
        let synonym =
            (synonyms.entries.get(entry)).ok_or_else(|| bug("a synonym entry out of range"))?;
        // A planner's word that means only generic words is generic too ("trade mark" means
        // "trademark"). Otherwise all its catalog words count: they were chosen to pick out a
        // program ("TISC" means "... patent information").
        let means = synonyms.terms(&synonym.means);
        let vector = if means.iter().all(|term| synonyms.is_generic(term)) {
            GENERIC
        } else {
            let relevance = scorer.text_relevance(&means)?;
            self.push_vector(scorer, &relevance, means)?
        };
        self.synonym_vectors.insert(entry, vector);
        Ok(vector)
    }

    /// Stores the shares of a word's part for `relevance`, computed from the catalog `terms`,
    /// and gives their number.
    fn push_vector(
        &mut self,
        scorer: &Scorer,
        relevance: &[f32],
        terms: Vec<String>,
    ) -> Result<u32> {
        let mut shares = crate::scoring::shares(relevance, &scorer.questionnaire.scoring);
        let total: f64 = shares.iter().sum();
        if total > 0.0 {
            for share in &mut shares {
                *share /= total;
            }
        }
        // Below the markers (`GENERIC`, `UNSEEN`, `NO_RELEVANCE`); the memo restarts long before.
        let number = (u32::try_from(self.vectors.len()).ok())
            .filter(|&number| number < GENERIC)
            .ok_or_else(|| bug("over 4 billion terms"))?;
        self.vectors.push(shares);
        self.vector_terms.push(terms.into_boxed_slice());
        Ok(number)
    }
}

/// The catalog's own text (every searchable line of every program) read as a free text: each
/// program's share of it, summing to one. See [`Scorer::text_prior`].
pub(crate) fn catalog_text_prior(scorer: &Scorer) -> Result<Vec<f64>> {
    let mut memo = WordMemo::default();
    // Read in no particular order: no word weighs more for its place.
    let text = catalog_text(scorer.catalog);
    memo.spread_words(scorer, &text, scorer.catalog.programs.len(), 0.0)?;
    let total: f64 = memo.shares.iter().sum();
    Ok((memo.shares.iter())
        .map(|share| if total > 0.0 { share / total } else { 0.0 })
        .collect())
}

/// Every searchable line of every program, one text.
fn catalog_text(catalog: &crate::catalog::Catalog) -> String {
    let mut text = String::new();
    for program in &catalog.programs {
        for field in crate::catalog::TEXT_FIELDS {
            for line in program.field_lines(field) {
                text.push_str(line);
                text.push_str(". ");
            }
        }
    }
    text
}

/// First term number → the synonym keys of several words starting with it (as term numbers)
/// and their entry's position.
type PhraseKeys = FxHashMap<u32, Vec<(Vec<u32>, usize)>>;

/// A term whose shares are not fetched yet. Distinct from `GENERIC` and `NO_RELEVANCE`, the
/// other values a term's slot can hold.
const UNSEEN: u32 = u32::MAX - 1;
const _: () = assert!(UNSEEN != GENERIC && UNSEEN != NO_RELEVANCE && GENERIC != NO_RELEVANCE);

#[cfg(test)]
mod tests;
