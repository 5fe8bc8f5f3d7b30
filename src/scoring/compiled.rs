//! The batch fast path: the questionnaire compiled for CSV rows.
//!
//! Answers become small values held by question position (a choice is its value's index, a
//! multi-choice a bit set), rules are resolved to positions once, and the output row is
//! written straight into the worker's buffer: per row there is no map, no lookup by field
//! name and, for structured answers, no allocation.
//!
//! It takes only rows written the plain way (`full`, `1200`, `aripo;oapi`, a known country).
//! Anything else (a spelling the general parser tidies such as `1,200`, a bad value, an
//! unknown country, a questionnaire shape it was not built for) makes it decline, and the row
//! goes through [`crate::profile::rows`] and [`crate::scoring::Scorer`], the reference path,
//! which also writes every error message. Tests check that both paths write the same bytes.

use crate::io::csv_records::Record;
use crate::profile::questionnaire::{Condition, Question, QuestionType, Questionnaire};
use crate::profile::rows::{Encoding, RawRow};
use crate::profile::{countries::Countries, date::Date};
use crate::scoring::contribution_order::{descending, ContributionOrder};
use crate::scoring::score_tenths::{exact_tenths, TenthsTable};
use crate::scoring::short_bytes::ShortBytes;
use crate::scoring::text_out::TextOut;
use crate::scoring::word_table::WordTable;
use crate::scoring::{diminishing, saturate, shares_into, Scorer};
use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::sync::Arc;

/// Choice values beyond this many make a question decline (they are held as a 64-bit set).
const MAX_VALUES: usize = 64;

/// Programs and reasons in the CSV `top_reasons` cell (as the reference path writes it).
pub const REASONS_CELL_PROGRAMS: usize = 3;
pub const REASONS_CELL_REASONS: usize = 2;

/// Longer values are cut in the reasons cell (as `report::answers_text` does).
const SHOWN_VALUE_CHARS: usize = 60;

/// One answer, by question position.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Unknown,
    Bool(bool),
    /// Index into the question's values.
    Choice(u8),
    /// Bit i set: the question's value i was chosen.
    Multi(u64),
    Integer(i64),
    Number(f64),
    /// Free text: the trimmed text is bytes `start..end` of cell `cell`.
    Text {
        cell: u32,
        start: u32,
        end: u32,
    },
    /// The country, by its row in the country table (it prints as its ISO code).
    Country(u16),
}

/// How a question's cells are read.
#[derive(Debug, Clone)]
enum Kind {
    Boolean,
    Choice,
    Multi,
    Integer {
        scale: bool,
    },
    Number,
    Text,
    /// Not compiled (too many values, or values not plain lower-case ASCII): decline.
    Declined,
}

#[derive(Debug, Clone)]
struct CompiledQuestion {
    kind: Kind,
    values: Vec<String>,
    /// The values [`packed`], when every one packs: a cell is then matched by integer compares.
    packed: Option<Vec<u128>>,
    /// Every plain spelling of a choice, yes/no, 1–5 or single multi-choice answer, [`packed`],
    /// with its answer: most cells are read with one lookup.
    words: Option<WordTable<Slot>>,
    min: Option<f64>,
    max: Option<f64>,
}

/// The values a condition's `is` or `is_not` lists, in every form an answer can take.
#[derive(Debug, Clone, Default)]
struct Wanted {
    /// Bit i: the question's value i is listed.
    choices: u64,
    yes: bool,
    no: bool,
    integers: Vec<i64>,
    numbers: Vec<f64>,
    texts: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
enum Numeric {
    None,
    Field(usize),
    Ratio(usize, usize),
}

/// A condition with its questions resolved to positions (`usize::MAX`: not a question, so
/// never answered).
#[derive(Debug, Clone)]
struct CompiledCondition {
    numeric: Numeric,
    at_least: Option<f64>,
    at_most: Option<f64>,
    answer: Option<usize>,
    is: Option<Wanted>,
    is_not: Option<Wanted>,
}

#[derive(Debug, Clone)]
struct CompiledTrigger {
    when: Vec<CompiledCondition>,
    weight: f64,
    subject: usize,
    /// The questions the rule reads, in the order its reasons show them.
    fields: Vec<usize>,
}

/// What a CSV column holds.
#[derive(Debug, Clone, Copy)]
enum CompiledColumn {
    Id,
    Question(usize),
    Ignored,
}

/// The country's answers for the questions prefill fills.
#[derive(Debug, Clone, Copy)]
struct CountryPrefill {
    /// `None` when the questionnaire cannot hold this country's values: decline its rows.
    ldc: Option<Slot>,
    regional: Option<Slot>,
}

/// Where prefill reads and writes.
#[derive(Debug, Clone)]
struct Prefill {
    country: usize,
    ldc: Option<usize>,
    regional: Option<usize>,
    by_country: Vec<Option<CountryPrefill>>,
}

/// A need as the row being scored raises it (or not). A row has one per need, in need order,
/// then one per free-text answer matched in the catalog.
#[derive(Debug, Clone, Copy)]
struct Raised {
    /// The need's position, or the free-text question's (`text`).
    position: usize,
    text: bool,
    raised: bool,
    weight: f64,
    /// The rules that counted, as a range of `Scratch::triggers` (empty for a tabled need:
    /// its table has them).
    triggers: (usize, usize),
    /// For free text: its shares' index in `Scratch::text_shares`.
    shares: usize,
    /// For a tabled need: the combination of answers the row gives it.
    combination: Option<usize>,
}

/// A weight's code when it has none in the contribution order (the row then sorts).
const NO_CODE: u16 = u16::MAX;

/// Combinations beyond this many make a need evaluated row by row instead.
const MAX_TABLE_ENTRIES: usize = 4096;

/// The answers a tabled need reads take few values: each value has a code, `size()` codes
/// in all, the last one for "not answered".
#[derive(Debug, Clone, Copy)]
enum Domain {
    /// A choice among this many values.
    Choice(u8),
    Boolean,
    /// A 1–5 scale.
    Scale,
    /// A multi-choice among this many values (every subset has a code).
    Multi(u8),
}

impl Domain {
    fn of(question: &CompiledQuestion) -> Option<Domain> {
        let values = u8::try_from(question.values.len()).ok();
        match question.kind {
            Kind::Choice => values.map(Domain::Choice),
            Kind::Boolean => Some(Domain::Boolean),
            Kind::Integer { scale: true } => Some(Domain::Scale),
            Kind::Multi => values.filter(|&n| n <= 8).map(Domain::Multi),
            _ => None,
        }
    }

    fn size(self) -> usize {
        match self {
            Domain::Choice(n) => usize::from(n) + 1,
            Domain::Boolean => 3,
            Domain::Scale => 6,
            Domain::Multi(n) => (1 << n) + 1,
        }
    }

    /// The code of an answer; `None` for an answer outside the domain.
    fn code(self, slot: Slot) -> Option<usize> {
        let unknown = self.size() - 1;
        match (self, slot) {
            (_, Slot::Unknown) => Some(unknown),
            (Domain::Choice(n), Slot::Choice(i)) if i < n => Some(usize::from(i)),
            (Domain::Boolean, Slot::Bool(b)) => Some(usize::from(b)),
            (Domain::Scale, Slot::Integer(i)) if (1..=5).contains(&i) => {
                usize::try_from(i - 1).ok()
            }
            (Domain::Multi(_), Slot::Multi(bits)) if bits < unknown as u64 => {
                usize::try_from(bits).ok()
            }
            _ => None,
        }
    }

    /// The answer with code `code`.
    fn slot(self, code: usize) -> Slot {
        if code + 1 >= self.size() {
            return Slot::Unknown;
        }
        match self {
            Domain::Choice(_) => Slot::Choice(code as u8),
            Domain::Boolean => Slot::Bool(code == 1),
            Domain::Scale => Slot::Integer(code as i64 + 1),
            Domain::Multi(_) => Slot::Multi(code as u64),
        }
    }
}

/// A need evaluated in advance for every combination of the answers it reads.
#[derive(Debug, Clone)]
struct NeedTable {
    /// (question, stride, domain): a combination's index is the sum of code × stride.
    inputs: Vec<(usize, usize, Domain)>,
    /// Per combination: what the need comes to, when raised.
    outcomes: Vec<Option<TabledOutcome>>,
    /// Per combination: its entry in `entries` (two bytes, so that the table stays in cache).
    entry_of: Vec<u16>,
    /// What a row reads of the need, for each weight it can take and for "not raised" (the
    /// same for a need raised or not, so that reading it takes no branch).
    entries: Vec<TabledEntry>,
    counted: Vec<usize>,
}

/// The need under one combination of answers: raised or not, its weight, its code in the
/// contribution order ("not raised" has one too; [`NO_CODE`] for none).
#[derive(Debug, Clone, Copy, PartialEq)]
struct TabledEntry {
    raised: bool,
    weight: f64,
    code: u16,
}

/// A tabled need raised by one combination of answers.
#[derive(Debug, Clone)]
struct TabledOutcome {
    /// The rules that counted, a range of `NeedTable::counted`.
    counted: (usize, usize),
    /// The reason as the reasons cell shows it (for answers typed in, not prefilled).
    reason: String,
}

impl NeedTable {
    /// The combination these answers make; `None` when an answer is outside the table.
    fn combination(&self, slots: &[Slot]) -> Option<usize> {
        let mut index = 0;
        for &(q, stride, domain) in &self.inputs {
            index += domain.code(*slots.get(q)?)? * stride;
        }
        Some(index)
    }

    /// The next combination's entry (the same entry for the same weight); `None` past 65,536
    /// entries.
    fn add_entry(&mut self, entry: TabledEntry) -> Option<()> {
        let at = match self.entries.iter().position(|e| *e == entry) {
            Some(at) => at,
            None => {
                self.entries.push(entry);
                self.entries.len() - 1
            }
        };
        self.entry_of.push(u16::try_from(at).ok()?);
        Some(())
    }

    fn counted(&self, outcome: &TabledOutcome) -> &[usize] {
        self.counted
            .get(outcome.counted.0..outcome.counted.1)
            .unwrap_or(&[])
    }
}

/// Per program, its needs' contributions to the row (sort keys, see [`descending`]), in one
/// block of `stride` entries per program.
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
        if *length < self.stride {
            if let Some(slot) = self.keys.get_mut(program * self.stride + *length) {
                *slot = key;
                *length += usize::from(keep);
            }
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

/// A row's answers, as the reasons show them.
struct Answers<'r> {
    record: &'r Record,
    slots: &'r [Slot],
    prefilled: &'r [bool],
}

/// A worker's buffers, reused from row to row.
#[derive(Debug, Default)]
pub struct Scratch {
    slots: Vec<Slot>,
    prefilled: Vec<bool>,
    raised: Vec<Raised>,
    triggers: Vec<usize>,
    best: Vec<(usize, f64, usize)>,
    text_shares: Vec<Vec<f64>>,
    words: WordMemo,
    /// Per program: its needs' points (high bits, see [`descending`]) and raised needs'
    /// indices (low bits), sorted strongest first.
    contributions: Contributions,
    /// (sort key, program, points, score), best first.
    ranked: Vec<(u128, usize, f64)>,
    /// Per program: its free-text contributions (points, raised need), and how many.
    text_contributions: Vec<(f64, usize)>,
    text_counts: Vec<usize>,
    unranked: Vec<(u128, usize, f64)>,
    evidence: Vec<usize>,
    /// Per need: its code in the contribution order.
    codes: Vec<u16>,
    bits: Vec<u64>,
    cell: String,
    value: String,
}

/// Words of free text analysed once per worker: each word's term and the term's relevance
/// vector, so a row costs one map probe per word instead of the analyser's work.
#[derive(Debug, Default)]
struct WordMemo {
    /// Word as written → its term's number, `None` for stop words and overlong words.
    words: FxHashMap<Box<str>, Option<u32>>,
    /// Term → its number.
    numbers: FxHashMap<String, u32>,
    /// Per term number: its relevance to every program, and the last text that counted it.
    vectors: Vec<(Arc<Vec<f32>>, u64)>,
    /// The text being scored, counting up: a term counts once per text.
    text: u64,
    analysed: Vec<String>,
    /// The last text's relevance to every program.
    relevance: Vec<f32>,
    /// Whether the analyser leaves a number unchanged (checked on first use).
    digits_kept: Option<bool>,
}

/// The number of every term outside the catalog's vocabulary (relevance zero everywhere).
const NO_RELEVANCE: u32 = u32::MAX;

/// Words kept per worker before starting afresh: bounds memory on endless vocabularies.
const MAX_MEMO_WORDS: usize = 200_000;

impl WordMemo {
    /// Fills `relevance` with the relevance of `text` to every program, as
    /// [`Scorer::text_relevance`] of its terms (each distinct term once, in first-seen order,
    /// so the same sums). `Some(false)` when the text has no term; `None` on an index failure.
    fn relevance(&mut self, scorer: &Scorer, text: &str, programs: usize) -> Option<bool> {
        if self.words.len() > MAX_MEMO_WORDS {
            *self = WordMemo::default();
        }
        self.text += 1;
        self.relevance.clear();
        self.relevance.resize(programs, 0.0);
        let mut any = false;
        // tantivy's SimpleTokenizer: a word is a run of alphanumeric characters, and every
        // filter after it works word by word.
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() {
                continue;
            }
            let known = self.words.get(word).copied();
            let number = match known {
                Some(number) => number,
                // Numbers ("Row 17", "2,400 applications") rarely repeat: not worth a word's
                // memo entry, and the analyser leaves them as they are (checked once).
                None if self.numbers_analyse_to_themselves(word)
                    && !scorer.in_vocabulary(word).ok()? =>
                {
                    Some(NO_RELEVANCE)
                }
                None => {
                    let number = self.analyse(scorer, word)?;
                    self.words.insert(word.into(), number);
                    number
                }
            };
            let Some(number) = number else { continue };
            any = true;
            if number == NO_RELEVANCE {
                continue;
            }
            let (vector, last) = self.vectors.get_mut(number as usize)?;
            if *last == self.text {
                continue;
            }
            *last = self.text;
            for (total, value) in self.relevance.iter_mut().zip(vector.iter()) {
                *total += value;
            }
        }
        Some(any)
    }

    /// Whether `word` is a number (ASCII digits, short enough to be kept) and the analyser
    /// keeps numbers as they are, so that the word is its own term.
    fn numbers_analyse_to_themselves(&mut self, word: &str) -> bool {
        if word.len() >= 40 || !word.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        *self.digits_kept.get_or_insert_with(|| {
            let sample = "0123456789";
            crate::catalog::index::CatalogIndex::terms(sample) == [sample]
        })
    }

    /// A new word's term number (`None`: no term), fetching the term's vector once.
    fn analyse(&mut self, scorer: &Scorer, word: &str) -> Option<Option<u32>> {
        crate::catalog::index::CatalogIndex::terms_into(word, &mut self.analysed);
        let term = match self.analysed.as_slice() {
            [] => return Some(None),
            [term] => term,
            // Not expected (filters keep words whole); the reference path decides.
            _ => return None,
        };
        if let Some(&number) = self.numbers.get(term) {
            return Some(Some(number));
        }
        // Terms the catalog does not hold (numbers, names) share one number: each adds zero.
        if !scorer.in_vocabulary(term).ok()? {
            return Some(Some(NO_RELEVANCE));
        }
        let vector = scorer.term_relevance(term).ok()?;
        let number = u32::try_from(self.vectors.len()).ok()?;
        self.vectors.push((vector, 0));
        self.numbers.insert(term.clone(), number);
        Some(Some(number))
    }
}

/// A row the fast path wrote.
#[derive(Debug, Clone, Copy)]
pub struct FastRow<'c> {
    /// The country's region (for the summary), when the row names a country.
    pub region: Option<&'c str>,
}

/// Text every row repeats, prepared once (on one line, as the reasons cell needs it).
struct Prepared {
    /// Each program's id as a CSV cell.
    program_cells: Vec<Vec<u8>>,
    /// Each program's cell between the commas before and after it, when it is short.
    program_separated: Vec<Option<ShortBytes<48>>>,
    /// `{id}: `, opening a program's reasons.
    program_reasons: Vec<String>,
    need_labels: Vec<String>,
    /// Per question: `In your words ({id})`, the label of its free text.
    text_labels: Vec<String>,
    /// Per question: `{id} = `.
    fields: Vec<String>,
    /// Per program: its needs with a share above zero, greatest share first.
    program_needs: Vec<Vec<(usize, f64)>>,
    /// Per program: the low half of its sort key (program number, then catalog position).
    rank_ties: Vec<u128>,
}

/// The compiled questionnaire, shared by the workers.
pub struct RowScorer<'a> {
    scorer: &'a Scorer<'a>,
    countries: &'a Countries,
    columns: Vec<CompiledColumn>,
    questions: Vec<CompiledQuestion>,
    needs: Vec<Vec<CompiledTrigger>>,
    /// Room for one program's contributions: its needs and the free-text questions.
    contribution_stride: usize,
    /// Every contribution in order, to rank without sorting (`None`: sort each row).
    order: Option<ContributionOrder>,
    /// Per need: its "not raised" code in `order`.
    not_raised: Vec<u16>,
    /// Per need: its rules evaluated in advance, when they read only few-valued answers.
    need_tables: Vec<Option<NeedTable>>,
    /// Free-text questions matched against the catalog: (position, weight).
    texts: Vec<(usize, f64)>,
    prefill: Option<Prefill>,
    prepared: Prepared,
    /// A `country` question prefill cannot use: its rows decline.
    unusable_country: Option<usize>,
    encoding: Encoding,
    top: usize,
    /// `{:.1}` of every score rounded to a tenth, 0.0 to 100.0.
    score_text: Vec<ShortBytes<8>>,
    /// Free-text questions' positions (a row answering one shows its words in the reasons).
    text_questions: Vec<usize>,
    /// Every piece of the reasons cell but free text is free of quotes and line breaks.
    plain_reasons: bool,
    /// Points to shown tenths without an `exp` (`None`: an extreme saturation, computed).
    tenths: Option<TenthsTable>,
    /// The `k`th strongest contribution's scale: `further_evidence_factor` to the `k`, by
    /// the same multiplications as the reference path's.
    scales: [f64; 64],
    cell_limit: usize,
    text_limit: usize,
}

impl<'a> RowScorer<'a> {
    /// Compiles for a file whose columns are `columns` (header names, `id`, or others that
    /// are ignored); `top` programs per row.
    pub fn new(
        scorer: &'a Scorer<'a>,
        countries: &'a Countries,
        as_of: Date,
        header: &[String],
        encoding: Encoding,
        top: usize,
    ) -> RowScorer<'a> {
        let questionnaire = scorer.questionnaire;
        let columns = header
            .iter()
            .map(|name| {
                if name == "id" {
                    CompiledColumn::Id
                } else {
                    questionnaire
                        .position(name)
                        .map_or(CompiledColumn::Ignored, CompiledColumn::Question)
                }
            })
            .collect();
        let booleans = boolean_words();
        let questions = questionnaire
            .questions
            .iter()
            .map(|question| compile_question(question, &booleans))
            .collect();
        let needs = questionnaire
            .needs
            .iter()
            .enumerate()
            .map(|(n, need)| {
                need.raised_by
                    .iter()
                    .enumerate()
                    .map(|(t, trigger)| CompiledTrigger {
                        when: trigger
                            .when
                            .iter()
                            .map(|c| compile_condition(c, questionnaire))
                            .collect(),
                        weight: trigger.weight,
                        subject: scorer.trigger_subject(n, t),
                        fields: trigger
                            .when
                            .iter()
                            .flat_map(|c| c.questions())
                            .filter_map(|field| questionnaire.position(field))
                            .collect(),
                    })
                    .collect()
            })
            .collect();
        let texts = questionnaire
            .questions
            .iter()
            .enumerate()
            .filter_map(|(q, question)| {
                let weight = question.catalog_match_weight?;
                (question.kind == QuestionType::Text).then_some((q, weight))
            })
            .collect();
        let mut compiled = RowScorer {
            scorer,
            countries,
            columns,
            questions,
            needs,
            need_tables: Vec::new(),
            order: None,
            not_raised: Vec::new(),
            contribution_stride: 0,
            texts,
            prefill: None,
            prepared: prepare(scorer),
            unusable_country: None,
            encoding,
            top,
            score_text: (0..=1000)
                .filter_map(|k| ShortBytes::new(format!("{:.1}", f64::from(k) / 10.0).as_bytes()))
                .collect(),
            text_questions: (questionnaire.questions.iter().enumerate())
                .filter(|(_, q)| q.kind == QuestionType::Text)
                .map(|(position, _)| position)
                .collect(),
            plain_reasons: false,
            tenths: TenthsTable::new(&questionnaire.scoring),
            scales: std::array::from_fn(|k| {
                let factor = questionnaire.scoring.further_evidence_factor;
                (0..k).fold(1.0, |scale, _| scale * factor)
            }),
            cell_limit: crate::io::limits::CELL_BYTES.count(),
            text_limit: crate::io::limits::TEXT_CHARS.count(),
        };
        compiled.prefill = compiled.compile_prefill(questionnaire, as_of);
        compiled.order = compiled.contribution_order();
        compiled.not_raised = compiled
            .order
            .as_ref()
            .map_or_else(Vec::new, ContributionOrder::not_raised);
        compiled.need_tables = compiled.tabulate_needs();
        compiled.plain_reasons = compiled.reasons_are_plain();
        compiled.contribution_stride = compiled
            .prepared
            .program_needs
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            + compiled.texts.len();
        if compiled.prefill.is_none() {
            compiled.unusable_country = questionnaire.position("country");
        }
        compiled
    }

    /// Prefill as [`crate::profile::Profile::prefill`] does it, per country in advance.
    fn compile_prefill(&self, questionnaire: &Questionnaire, as_of: Date) -> Option<Prefill> {
        let country = questionnaire.position("country")?;
        if questionnaire.questions.get(country)?.kind != QuestionType::Text {
            return None;
        }
        let ldc = questionnaire.position("ldc_status");
        let regional = questionnaire.position("regional_system");
        let by_country = self
            .countries
            .iter()
            .map(|c| {
                let ldc_slot = match ldc {
                    Some(q) => Some(self.choice_slot(q, c.ldc_status_as_of(as_of))?),
                    None => None,
                };
                let regional_slot = match regional {
                    Some(q) => Some(self.multi_slot(q, &c.regional_system())?),
                    None => None,
                };
                Some(CountryPrefill {
                    ldc: ldc_slot,
                    regional: regional_slot,
                })
            })
            .collect();
        Some(Prefill {
            country,
            ldc,
            regional,
            by_country,
        })
    }

    /// The slot of a prefilled choice, when the question is a choice that lists it.
    fn choice_slot(&self, question: usize, value: &str) -> Option<Slot> {
        let compiled = self.questions.get(question)?;
        if !matches!(compiled.kind, Kind::Choice) {
            return None;
        }
        let index = compiled.values.iter().position(|v| v == value)?;
        Some(Slot::Choice(u8::try_from(index).ok()?))
    }

    /// The slot of a prefilled multi-choice, when it prints the same as the list given (every
    /// value listed by the question, in the question's order, once).
    fn multi_slot(&self, question: usize, items: &[String]) -> Option<Slot> {
        let compiled = self.questions.get(question)?;
        if !matches!(compiled.kind, Kind::Multi) {
            return None;
        }
        let mut bits = 0u64;
        for item in items {
            let index = compiled.values.iter().position(|v| v == item)?;
            bits |= 1 << index;
        }
        let mut printed = String::new();
        write_multi(&mut printed, &compiled.values, bits);
        (printed == items.join(";")).then_some(Slot::Multi(bits))
    }

    /// Scores one row and appends its CSV line to `out`; `None` (and `out` unchanged) when the
    /// row needs the reference path.
    pub fn write_csv_row(
        &self,
        raw: &RawRow,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Option<FastRow<'a>> {
        let record = &raw.record;
        // A workbook's error cell (`#N/A`) is reported by the reference path.
        if record.len() != self.columns.len() || !raw.sheet_errors.is_empty() {
            return None;
        }
        let id = self.read_answers(record, scratch)?;
        if let Some(q) = self.unusable_country {
            if scratch.slots.get(q).is_some_and(|s| *s != Slot::Unknown) {
                return None;
            }
        }
        let country = self.prefill_country(record, scratch)?;
        self.raise_needs(record, scratch)?;
        self.rank(scratch);
        self.write_row(
            raw,
            record,
            id,
            country.map_or("", |c| c.iso3.as_str()),
            scratch,
            out,
        );
        Some(FastRow {
            region: country.map(|c| c.region.as_str()),
        })
    }

    /// The ranking of the last row `scratch` scored: (program position, score), best first.
    pub fn ranking(&self, scratch: &Scratch) -> Vec<(usize, f64)> {
        let settings = &self.scorer.questionnaire.scoring;
        (scratch.ranked.iter())
            .map(|&(_, program, points)| (program, saturate(points, settings)))
            .collect()
    }

    /// Reads the row's answers into `scratch.slots`; the row's id. `None` when a cell needs the
    /// reference path.
    fn read_answers<'r>(&self, record: &'r Record, scratch: &mut Scratch) -> Option<&'r str> {
        let questions = self.questions.len();
        scratch.slots.clear();
        scratch.slots.resize(questions, Slot::Unknown);
        scratch.prefilled.clear();
        scratch.prefilled.resize(questions, false);
        let mut id: &str = "";
        let all = record.as_slice();
        for (cell, (bytes, column)) in record.iter().zip(&self.columns).enumerate() {
            match *column {
                CompiledColumn::Ignored => {}
                CompiledColumn::Id => id = self.text_cell(bytes)?.trim(),
                CompiledColumn::Question(q) => {
                    // The cell's place in the record's bytes (it is a slice of them; were it
                    // not, the place would fall outside them and the cell be parsed below).
                    let start = (bytes.as_ptr() as usize).wrapping_sub(all.as_ptr() as usize);
                    let slot = self.plain_answer(q, all, start..start + bytes.len());
                    let slot = match slot {
                        Some(slot) => slot,
                        None if bytes.is_empty() => Slot::Unknown,
                        None => self.parse_cell(q, cell, bytes)?,
                    };
                    *scratch.slots.get_mut(q)? = slot;
                }
            }
        }
        Some(id)
    }

    /// The answer in cell `range` of `all` (a record's bytes) when it is written the plainest
    /// way: a spelling the question's table holds, or digits. `None` leaves it to
    /// [`Self::parse_cell`].
    // Out of line, the loop over cells stays small (it timed the same as inlined).
    #[inline(never)]
    fn plain_answer(&self, q: usize, all: &[u8], range: std::ops::Range<usize>) -> Option<Slot> {
        let question = self.questions.get(q)?;
        let word = packed_in_place(all, range.clone())?;
        // A cell that packs is plain ASCII (white space at either end finds no word, nor digits).
        match (&question.words, &question.kind) {
            (Some(words), _) => words.get(word),
            (None, &Kind::Integer { scale }) => {
                let n = plain_integer(all.get(range)?)?;
                integer_slot(question, scale, n)
            }
            // Up to 15 digits: exactly the number `str::parse` reads.
            (None, Kind::Number) => {
                let n = plain_integer(all.get(range)?)? as f64;
                within(question, n)?;
                Some(Slot::Number(n))
            }
            _ => None,
        }
    }

    /// A cell as text, when it reads the same in the file's encoding without decoding.
    fn text_cell<'r>(&self, bytes: &'r [u8]) -> Option<&'r str> {
        if bytes.len() > self.cell_limit {
            return None;
        }
        if self.encoding == Encoding::Windows1252 && !bytes.is_ascii() {
            return None;
        }
        std::str::from_utf8(bytes).ok()
    }

    /// One answer cell, as [`crate::profile::parse_answer`] reads plain spellings.
    fn parse_cell(&self, question: usize, cell: usize, bytes: &[u8]) -> Option<Slot> {
        let compiled = self.questions.get(question)?;
        if let Kind::Text = compiled.kind {
            let text = self.text_cell(bytes)?;
            let trimmed = text.trim();
            if trimmed.is_empty() {
                return Some(Slot::Unknown);
            }
            // A text has no more characters than bytes: count them only when it might matter.
            if trimmed.len() > self.text_limit && trimmed.chars().count() > self.text_limit {
                return None;
            }
            let start = trimmed.as_ptr() as usize - text.as_ptr() as usize;
            return Some(Slot::Text {
                cell: u32::try_from(cell).ok()?,
                start: u32::try_from(start).ok()?,
                end: u32::try_from(start + trimmed.len()).ok()?,
            });
        }
        // Every other answer is plain ASCII; anything else is for the reference path.
        if bytes.len() > self.cell_limit || !bytes.is_ascii() {
            return None;
        }
        let text = trim_ascii_whitespace(bytes);
        if text.is_empty() {
            return Some(Slot::Unknown);
        }
        let slot = match compiled.kind {
            Kind::Boolean => compiled.words.as_ref()?.get(packed(text)?)?,
            Kind::Choice => {
                let index = value_index(compiled, text)?;
                Slot::Choice(u8::try_from(index).ok()?)
            }
            Kind::Multi => {
                let mut bits = 0u64;
                for part in text.split(|b| matches!(b, b';' | b'|' | b',')) {
                    let part = trim_ascii_whitespace(part);
                    if !part.is_empty() {
                        bits |= 1 << value_index(compiled, part)?;
                    }
                }
                Slot::Multi(bits)
            }
            Kind::Integer { scale } => {
                let n = match plain_integer(text) {
                    Some(n) => n,
                    None => {
                        let text = std::str::from_utf8(text).ok()?;
                        if text.contains(['_', ' ', ',']) {
                            return None;
                        }
                        text.parse().ok()?
                    }
                };
                integer_slot(compiled, scale, n)?
            }
            Kind::Number => {
                let text = std::str::from_utf8(text).ok()?;
                if text.contains(['_', ' ', ',']) {
                    return None;
                }
                let n: f64 = text.parse().ok().filter(|n: &f64| n.is_finite())?;
                within(compiled, n)?;
                Slot::Number(n)
            }
            Kind::Text | Kind::Declined => return None,
        };
        Some(slot)
    }

    /// Normalises the country and fills the unanswered questions prefill fills; the country.
    /// Declines an unknown country (the reference path explains it).
    fn prefill_country(
        &self,
        record: &Record,
        scratch: &mut Scratch,
    ) -> Option<Option<&'a crate::profile::countries::Country>> {
        let Some(prefill) = &self.prefill else {
            // No country question: a country column would have been ignored.
            return Some(None);
        };
        let Some(&Slot::Text { cell, start, end }) = scratch.slots.get(prefill.country) else {
            return Some(None);
        };
        let name = text_of(record, cell, start, end)?;
        let position = self.countries.position(name)?;
        let values = (*prefill.by_country.get(position)?)?;
        let country = self.countries.get(position)?;
        *scratch.slots.get_mut(prefill.country)? = Slot::Country(u16::try_from(position).ok()?);
        for (question, slot) in [
            (prefill.ldc, values.ldc),
            (prefill.regional, values.regional),
        ] {
            if let (Some(q), Some(slot)) = (question, slot) {
                if scratch.slots.get(q) == Some(&Slot::Unknown) {
                    *scratch.slots.get_mut(q)? = slot;
                    *scratch.prefilled.get_mut(q)? = true;
                }
            }
        }
        Some(Some(country))
    }

    /// The needs the row raises, as [`Scorer::raised_needs`] finds them, and each need's
    /// code in the contribution order.
    fn raise_needs(&self, record: &Record, scratch: &mut Scratch) -> Option<()> {
        scratch.raised.clear();
        scratch.triggers.clear();
        scratch.codes.clear();
        for (position, triggers) in self.needs.iter().enumerate() {
            let first = scratch.triggers.len();
            let table = self.need_tables.get(position).and_then(Option::as_ref);
            // A tabled need is read the same way whether raised or not: no branch on it.
            let (entry, combination) = match table {
                Some(table) => {
                    let combination = table.combination(&scratch.slots)?;
                    let entry = *table.entry_of.get(combination)?;
                    (*table.entries.get(usize::from(entry))?, Some(combination))
                }
                None => {
                    let weight =
                        self.raised_by(triggers, record, &scratch.slots, &mut scratch.best);
                    scratch
                        .triggers
                        .extend(scratch.best.iter().map(|(.., t)| *t));
                    (self.entry(position, weight), None)
                }
            };
            scratch.codes.push(entry.code);
            scratch.raised.push(Raised {
                position,
                text: false,
                raised: entry.raised,
                weight: entry.weight,
                triggers: (first, scratch.triggers.len()),
                shares: 0,
                combination,
            });
        }
        let mut text_needs = 0;
        for &(question, weight) in &self.texts {
            let Some(&Slot::Text { cell, start, end }) = scratch.slots.get(question) else {
                continue;
            };
            let text = text_of(record, cell, start, end)?;
            let programs = self.scorer.catalog.programs.len();
            if !scratch.words.relevance(self.scorer, text, programs)? {
                continue;
            }
            if scratch.text_shares.len() <= text_needs {
                scratch.text_shares.push(Vec::new());
            }
            let shares = scratch.text_shares.get_mut(text_needs)?;
            shares_into(
                &scratch.words.relevance,
                &self.scorer.questionnaire.scoring,
                shares,
            );
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
        Some(())
    }

    /// One need's weight from its rules, `None` when none holds; `best` is left with the
    /// rules that counted (subject, weight, rule), strongest first.
    fn raised_by(
        &self,
        triggers: &[CompiledTrigger],
        record: &Record,
        slots: &[Slot],
        best: &mut Vec<(usize, f64, usize)>,
    ) -> Option<f64> {
        self.weigh(
            triggers,
            |_, trigger| trigger.when.iter().all(|c| self.holds(c, record, slots)),
            best,
        )
    }

    /// A need's weight when the rules `holding` says hold, as [`Self::raised_by`] gives it.
    fn weigh(
        &self,
        triggers: &[CompiledTrigger],
        holding: impl Fn(usize, &CompiledTrigger) -> bool,
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
        let factor = self.scorer.questionnaire.scoring.further_evidence_factor;
        Some(diminishing(best.iter().map(|(_, w, _)| *w), factor))
    }

    /// What a row reads of a need with this weight (`None`: not raised), its code included.
    fn entry(&self, position: usize, weight: Option<f64>) -> TabledEntry {
        let code = match (&self.order, weight) {
            (Some(order), Some(weight)) => order.code(position, weight),
            (Some(_), None) => self.not_raised.get(position).copied(),
            (None, _) => None,
        };
        TabledEntry {
            raised: weight.is_some(),
            weight: weight.unwrap_or(0.0),
            code: code.unwrap_or(NO_CODE),
        }
    }

    /// Every weight a need can take: its weight under every combination of rules holding
    /// (`None` past 12 rules).
    fn possible_weights(&self, triggers: &[CompiledTrigger]) -> Option<Vec<f64>> {
        if triggers.len() > 12 {
            return None;
        }
        let mut weights: Vec<f64> = Vec::new();
        let mut best = Vec::new();
        for holding in 0u32..1 << triggers.len() {
            let weight = self.weigh(triggers, |t, _| holding & 1 << t != 0, &mut best);
            if let Some(weight) = weight {
                if !weights.iter().any(|w| w.to_bits() == weight.to_bits()) {
                    weights.push(weight);
                }
            }
        }
        Some(weights)
    }

    /// The order of every contribution, when every need's weights can be listed.
    fn contribution_order(&self) -> Option<ContributionOrder> {
        let weights = self
            .needs
            .iter()
            .map(|triggers| self.possible_weights(triggers))
            .collect::<Option<Vec<_>>>()?;
        ContributionOrder::new(
            weights,
            self.scorer.catalog.programs.len(),
            |need, program| {
                self.scorer
                    .need_shares(need)
                    .get(program)
                    .copied()
                    .unwrap_or(0.0)
            },
        )
    }

    /// Every need whose rules read only answers with few possible values (choices, yes/no,
    /// 1–5 scales), evaluated in advance for every combination of those answers.
    fn tabulate_needs(&self) -> Vec<Option<NeedTable>> {
        self.needs
            .iter()
            .enumerate()
            .map(|(position, triggers)| self.tabulate(position, triggers))
            .collect()
    }

    fn tabulate(&self, position: usize, triggers: &[CompiledTrigger]) -> Option<NeedTable> {
        let mut read: Vec<usize> = Vec::new();
        for condition in triggers.iter().flat_map(|t| &t.when) {
            let numeric = match condition.numeric {
                Numeric::None => [None, None],
                Numeric::Field(q) => [Some(q), None],
                Numeric::Ratio(a, b) => [Some(a), Some(b)],
            };
            for q in numeric.into_iter().chain([condition.answer]).flatten() {
                // Not a question: never answered, the same in every combination.
                if q < self.questions.len() && !read.contains(&q) {
                    read.push(q);
                }
            }
        }
        let mut inputs = Vec::new();
        let mut combinations = 1usize;
        for &q in &read {
            let domain = Domain::of(self.questions.get(q)?)?;
            inputs.push((q, combinations, domain));
            combinations = combinations.checked_mul(domain.size())?;
            if combinations > MAX_TABLE_ENTRIES {
                return None;
            }
        }
        let mut slots = vec![Slot::Unknown; self.questions.len()];
        let mut best = Vec::new();
        let empty = Record::default();
        let mut table = NeedTable {
            inputs,
            outcomes: Vec::with_capacity(combinations),
            entry_of: Vec::with_capacity(combinations),
            entries: Vec::new(),
            counted: Vec::new(),
        };
        for index in 0..combinations {
            for &(q, stride, domain) in &table.inputs {
                *slots.get_mut(q)? = domain.slot(index / stride % domain.size());
            }
            let Some(weight) = self.raised_by(triggers, &empty, &slots, &mut best) else {
                table.outcomes.push(None);
                table.add_entry(self.entry(position, None))?;
                continue;
            };
            let first = table.counted.len();
            table.counted.extend(best.iter().map(|(.., t)| *t));
            let counted = table.counted.get(first..).unwrap_or(&[]);
            let mut reason = String::new();
            let mut value = String::new();
            let mut evidence = Vec::new();
            let answers = Answers {
                record: &empty,
                slots: &slots,
                prefilled: &[],
            };
            self.write_need_reason(
                &mut reason,
                &mut value,
                &answers,
                position,
                counted,
                &mut evidence,
            );
            table.outcomes.push(Some(TabledOutcome {
                counted: (first, table.counted.len()),
                reason,
            }));
            table.add_entry(self.entry(position, Some(weight)))?;
        }
        Some(table)
    }

    /// Whether a condition holds, as [`crate::profile::Profile::satisfies`] decides it.
    fn holds(&self, condition: &CompiledCondition, record: &Record, slots: &[Slot]) -> bool {
        let number = |q: usize| match slots.get(q) {
            Some(Slot::Integer(i)) => Some(*i as f64),
            Some(Slot::Number(n)) => Some(*n),
            _ => None,
        };
        let numeric = match condition.numeric {
            Numeric::None => None,
            Numeric::Field(q) => number(q),
            Numeric::Ratio(numerator, denominator) => {
                let (Some(a), Some(b)) = (number(numerator), number(denominator)) else {
                    return false;
                };
                if b > 0.0 {
                    Some(a / b)
                } else if a > 0.0 {
                    Some(f64::INFINITY)
                } else {
                    None
                }
            }
        };
        if condition.at_least.is_some() || condition.at_most.is_some() {
            let Some(n) = numeric else { return false };
            if condition.at_least.is_some_and(|min| n < min)
                || condition.at_most.is_some_and(|max| n > max)
            {
                return false;
            }
        }
        let Some(question) = condition.answer else {
            return condition.is.is_none() && condition.is_not.is_none();
        };
        let slot = slots.get(question).copied().unwrap_or(Slot::Unknown);
        if slot == Slot::Unknown {
            return false;
        }
        let matches = |wanted: &Wanted| match slot {
            Slot::Unknown => false,
            Slot::Bool(b) => {
                if b {
                    wanted.yes
                } else {
                    wanted.no
                }
            }
            Slot::Choice(i) => wanted.choices & (1 << i) != 0,
            Slot::Multi(bits) => wanted.choices & bits != 0,
            Slot::Integer(i) => wanted.integers.contains(&i),
            Slot::Number(n) => wanted.numbers.contains(&n),
            Slot::Text { cell, start, end } => text_of(record, cell, start, end)
                .is_some_and(|text| wanted.texts.iter().any(|w| w == text)),
            Slot::Country(row) => self
                .countries
                .get(usize::from(row))
                .is_some_and(|c| wanted.texts.contains(&c.iso3)),
        };
        if condition.is.as_ref().is_some_and(|w| !matches(w)) {
            return false;
        }
        if condition.is_not.as_ref().is_some_and(matches) {
            return false;
        }
        true
    }

    /// Points, scores and order, as [`Scorer::score_explaining`] computes them (the same
    /// orders and the same arithmetic, so the same bits), with integer sort keys.
    fn rank(&self, scratch: &mut Scratch) {
        let settings = &self.scorer.questionnaire.scoring;
        let programs = &self.scorer.catalog.programs;
        scratch
            .contributions
            .reset(programs.len(), self.contribution_stride);
        // Strongest first, then the need raised first.
        let key = |points: f64, n: usize| u128::from(descending(points)) << 64 | n as u128;
        // A need's place in `raised` is its position, so `n` below is the need's.
        let order = (self.order.as_ref()).filter(|_| !scratch.codes.contains(&NO_CODE));
        let raised = &scratch.raised;
        let contributions = &mut scratch.contributions;
        let texts = raised.len() > self.needs.len();
        if let Some(order) = order.filter(|_| texts) {
            self.rank_merging_text(order, scratch);
            return;
        }
        // With the order, each program's points are read straight from the marks, and only
        // the programs whose reasons show list their contributions (below). Without it,
        // every program's list is sorted.
        match order {
            Some(order) => order.mark(&scratch.codes, &mut scratch.bits),
            // Each program's needs come strongest share first, so the lists arrive nearly
            // sorted and the insertion sort has little to move.
            None => {
                for (program, needs) in self.prepared.program_needs.iter().enumerate() {
                    for &(need, share) in needs {
                        let (weight, raised) = raised
                            .get(need)
                            .map_or((0.0, false), |r| (r.weight, r.raised));
                        contributions.push_if(program, key(weight * share, need), raised);
                    }
                }
            }
        }
        for (n, raised) in raised.iter().enumerate().skip(self.needs.len()) {
            let shares = scratch.text_shares.get(raised.shares);
            for (program, &share) in shares.map_or(&[][..], Vec::as_slice).iter().enumerate() {
                contributions.push_if(program, key(raised.weight * share, n), share > 0.0);
            }
        }
        scratch.ranked.clear();
        let factor = settings.further_evidence_factor;
        for program in 0..programs.len() {
            let mut scale: f64 = 1.0;
            let mut scaled = |points: f64| {
                let scaled = points * scale;
                scale *= factor;
                scaled
            };
            let points: f64 = match order {
                Some(order) => match order.points(program, &scratch.bits, &self.scales) {
                    Some(points) => points,
                    None => order
                        .contributions(program, &scratch.bits)
                        .map(|(_, points)| scaled(points))
                        .sum(),
                },
                None => {
                    let list = contributions.list_mut(program);
                    insertion_sort(list);
                    list.iter().map(|&key| scaled(points_of(key))).sum()
                }
            };
            scratch.ranked.push(self.ranked(program, points));
        }
        sort_by_counting(&mut scratch.ranked, &mut scratch.unranked);
        if let Some(order) = order {
            for &(_, program, ..) in scratch.ranked.iter().take(REASONS_CELL_PROGRAMS) {
                let shown = order.contributions(program, &scratch.bits);
                for (need, points) in shown.take(REASONS_CELL_REASONS) {
                    contributions.push_if(program, key(points, need), true);
                }
            }
        }
    }

    /// [`Self::rank`] with the order and free text: each program's marked contributions and
    /// its text contributions (a short sorted list, most often one) merged as they are read.
    // Out of line: rows without free text keep their loop as it was.
    #[inline(never)]
    fn rank_merging_text(&self, order: &ContributionOrder, scratch: &mut Scratch) {
        let factor = self.scorer.questionnaire.scoring.further_evidence_factor;
        let programs = self.scorer.catalog.programs.len();
        order.mark(&scratch.codes, &mut scratch.bits);
        let texts = scratch.raised.get(self.needs.len()..).unwrap_or(&[]);
        // Per program: its text contributions (points, raised need), strongest first.
        let extra = &mut scratch.text_contributions;
        extra.clear();
        extra.resize(programs * texts.len(), (0.0, 0));
        let counts = &mut scratch.text_counts;
        counts.clear();
        counts.resize(programs, 0);
        for (t, raised) in texts.iter().enumerate() {
            let shares = scratch.text_shares.get(raised.shares);
            for (program, &share) in shares.map_or(&[][..], Vec::as_slice).iter().enumerate() {
                let (Some(count), true) = (counts.get_mut(program), share > 0.0) else {
                    continue;
                };
                if let Some(slot) = extra.get_mut(program * texts.len() + *count) {
                    *slot = (raised.weight * share, self.needs.len() + t);
                    *count += 1;
                }
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
        let (extra, counts) = (&scratch.text_contributions, &scratch.text_counts);
        let extra_of = |program: usize| {
            let start = program * texts.len();
            let count = counts.get(program).copied().unwrap_or(0);
            extra.get(start..start + count).unwrap_or(&[])
        };
        scratch.ranked.clear();
        for program in 0..programs {
            let (mut total, mut scale) = (-0.0, 1.0);
            merged(
                order,
                program,
                &scratch.bits,
                extra_of(program),
                |_, points| {
                    total += points * scale;
                    scale *= factor;
                    true
                },
            );
            scratch.ranked.push(self.ranked(program, total));
        }
        sort_by_counting(&mut scratch.ranked, &mut scratch.unranked);
        for &(_, program, ..) in scratch.ranked.iter().take(REASONS_CELL_PROGRAMS) {
            let mut shown = 0;
            merged(
                order,
                program,
                &scratch.bits,
                extra_of(program),
                |n, points| {
                    let key = u128::from(descending(points)) << 64 | n as u128;
                    scratch.contributions.push_if(program, key, true);
                    shown += 1;
                    shown < REASONS_CELL_REASONS
                },
            );
        }
    }

    /// A program's entry in the ranking: (sort key, program, points). Most points first,
    /// then by program number (then catalog position, as a stable sort keeps it).
    fn ranked(&self, program: usize, points: f64) -> (u128, usize, f64) {
        let ties = (self.prepared.rank_ties.get(program).copied())
            .unwrap_or(u128::from(u32::MAX) << 32 | program as u128);
        (u128::from(descending(points)) << 64 | ties, program, points)
    }

    /// The CSV line: id, country, program and score per rank, the reasons cell.
    fn write_row(
        &self,
        raw: &RawRow,
        record: &Record,
        id: &str,
        country: &str,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) {
        let mut value = std::mem::take(&mut scratch.value);
        value.clear();
        if id.is_empty() {
            let _ = write!(value, "{}", raw.row);
            crate::io::csv_cell::write(out, &value, true);
        } else {
            crate::io::csv_cell::write(out, id, true);
        }
        out.push(b',');
        crate::io::csv_cell::write(out, country, true);
        let settings = &self.scorer.questionnaire.scoring;
        for &(_, program, points) in scratch.ranked.iter().take(self.top) {
            match self.prepared.program_separated.get(program) {
                Some(Some(cell)) => cell.append_to(out),
                _ => {
                    out.push(b',');
                    if let Some(cell) = self.prepared.program_cells.get(program) {
                        out.extend_from_slice(cell);
                    }
                    out.push(b',');
                }
            }
            let tenths = match &self.tenths {
                Some(table) => table.tenths(points),
                None => exact_tenths(settings, points),
            };
            match tenths.and_then(|tenths| self.score_text.get(usize::from(tenths))) {
                Some(text) => text.append_to(out),
                _ => {
                    value.clear();
                    let score = saturate(points, settings);
                    let _ = write!(value, "{:.1}", crate::report::round1(score));
                    crate::io::csv_cell::write(out, &value, false);
                }
            }
        }
        out.push(b',');
        // The reasons go straight into the output, after the quote they most often need.
        let open = out.len();
        out.push(b'"');
        self.reasons_cell(record, scratch, out, &mut value);
        self.finish_reasons_cell(out, open, scratch);
        out.push(b'\n');
        scratch.value = value;
    }

    /// Makes the reasons written at `open` (after a quote) the cell `csv_cell::write` makes.
    fn finish_reasons_cell(&self, out: &mut Vec<u8>, open: usize, scratch: &mut Scratch) {
        let reasons = out.get(open + 1..).unwrap_or(&[]);
        // Written from pieces without quotes or line breaks (free text aside): the cell is
        // quoted when it holds a comma, left as is otherwise.
        let shows_text = (self.text_questions.iter())
            .any(|&q| matches!(scratch.slots.get(q), Some(Slot::Text { .. })));
        let plain =
            self.plain_reasons && !shows_text && !crate::io::csv_cell::starts_like_formula(reasons);
        if plain {
            if memchr::memchr(b',', reasons).is_some() {
                out.push(b'"');
            } else {
                out.remove(open);
            }
            return;
        }
        // Otherwise the general way, from a copy.
        let mut cell = std::mem::take(&mut scratch.cell);
        cell.clear();
        cell.push_str(std::str::from_utf8(reasons).unwrap_or_default());
        out.truncate(open);
        crate::io::csv_cell::write(out, &cell, true);
        scratch.cell = cell;
    }

    /// Whether every piece the reasons cell is made of, free text aside, is free of quotes
    /// and line breaks (then a row's cell needs no escaping, only perhaps quotes around it).
    fn reasons_are_plain(&self) -> bool {
        let prepared = &self.prepared;
        let tabled = (self.need_tables.iter().flatten())
            .flat_map(|table| table.outcomes.iter().flatten())
            .map(|outcome| outcome.reason.as_str());
        let mut pieces = (prepared.program_reasons.iter().map(String::as_str))
            .chain(prepared.need_labels.iter().map(String::as_str))
            .chain(prepared.fields.iter().map(String::as_str))
            .chain(
                self.questions
                    .iter()
                    .flat_map(|q| q.values.iter().map(String::as_str)),
            )
            .chain(self.countries.iter().map(|c| c.iso3.as_str()))
            .chain(tabled);
        pieces.all(|piece| memchr::memchr3(b'"', b'\n', b'\r', piece.as_bytes()).is_none())
    }

    /// The top programs' main reasons, as the reference path's `top_reasons` cell.
    fn reasons_cell<O: TextOut>(
        &self,
        record: &Record,
        scratch: &mut Scratch,
        cell: &mut O,
        value: &mut String,
    ) {
        let prepared = &self.prepared;
        let mut first_program = true;
        for &(_, program, points) in scratch.ranked.iter().take(REASONS_CELL_PROGRAMS) {
            if points <= 0.0 {
                continue;
            }
            let list = scratch.contributions.list(program);
            let Some(opening) = prepared.program_reasons.get(program) else {
                continue;
            };
            if !first_program {
                cell.push_str(" | ");
            }
            first_program = false;
            cell.push_str(opening);
            for (k, &key) in list.iter().take(REASONS_CELL_REASONS).enumerate() {
                let Some(raised) = scratch.raised.get(key as u64 as usize) else {
                    continue;
                };
                if k > 0 {
                    cell.push_str("; ");
                }
                let answers = Answers {
                    record,
                    slots: &scratch.slots,
                    prefilled: &scratch.prefilled,
                };
                if raised.text {
                    cell.push_str(prepared.text_labels.get(raised.position).map_or("", |l| l));
                    cell.push_str(" (");
                    self.write_evidence(cell, value, &answers, &[raised.position]);
                    cell.push(')');
                    continue;
                }
                // A tabled need's reason is written in advance, unless it shows a prefilled
                // answer (marked as such).
                let table = self
                    .need_tables
                    .get(raised.position)
                    .and_then(Option::as_ref);
                let written = table.and_then(|table| {
                    let outcome = table.outcomes.get(raised.combination?)?.as_ref()?;
                    let prefilled = table
                        .inputs
                        .iter()
                        .any(|&(q, ..)| scratch.prefilled.get(q) == Some(&true));
                    (!prefilled).then_some(outcome.reason.as_str())
                });
                match written {
                    Some(reason) => cell.push_str(reason),
                    None => {
                        let tabled = table.and_then(|table| {
                            Some(table.counted(table.outcomes.get(raised.combination?)?.as_ref()?))
                        });
                        let counted = tabled.unwrap_or_else(|| {
                            (scratch.triggers)
                                .get(raised.triggers.0..raised.triggers.1)
                                .unwrap_or(&[])
                        });
                        self.write_need_reason(
                            cell,
                            value,
                            &answers,
                            raised.position,
                            counted,
                            &mut scratch.evidence,
                        );
                    }
                }
            }
        }
    }

    /// A need's reason: its label and, in brackets, the answers its counted rules read.
    fn write_need_reason<O: TextOut>(
        &self,
        cell: &mut O,
        value: &mut String,
        answers: &Answers,
        need: usize,
        counted: &[usize],
        evidence: &mut Vec<usize>,
    ) {
        cell.push_str(
            self.prepared
                .need_labels
                .get(need)
                .map_or("", String::as_str),
        );
        evidence.clear();
        let triggers = self.needs.get(need);
        for trigger in counted.iter().filter_map(|&t| triggers?.get(t)) {
            for &q in &trigger.fields {
                let answered = answers.slots.get(q).is_some_and(|s| *s != Slot::Unknown);
                if answered && !evidence.contains(&q) {
                    evidence.push(q);
                }
            }
        }
        cell.push_str(" (");
        self.write_evidence(cell, value, answers, evidence);
        cell.push(')');
    }

    /// `field = value` for each question, comma-separated, prefilled answers marked.
    fn write_evidence<O: TextOut>(
        &self,
        cell: &mut O,
        value: &mut String,
        answers: &Answers,
        questions: &[usize],
    ) {
        for (e, &q) in questions.iter().enumerate() {
            if e > 0 {
                cell.push_str(", ");
            }
            let (Some(field), Some(&slot)) = (self.prepared.fields.get(q), answers.slots.get(q))
            else {
                continue;
            };
            cell.push_str(field);
            match slot {
                // Short, one-line values go straight in.
                Slot::Bool(_) | Slot::Choice(_) | Slot::Integer(_) | Slot::Country(_) => {
                    self.write_value(cell, answers.record, q, slot);
                }
                _ => {
                    value.clear();
                    self.write_value(value, answers.record, q, slot);
                    push_shown_value(cell, value);
                }
            }
            if answers.prefilled.get(q) == Some(&true) {
                cell.push_str(" (prefilled)");
            }
        }
    }

    /// An answer as [`crate::profile::Value::to_text`] writes it.
    fn write_value<O: TextOut>(&self, out: &mut O, record: &Record, question: usize, slot: Slot) {
        let values = self
            .questions
            .get(question)
            .map_or(&[][..], |q| q.values.as_slice());
        match slot {
            Slot::Unknown => {}
            Slot::Bool(b) => out.push_str(if b { "yes" } else { "no" }),
            Slot::Choice(i) => out.push_str(values.get(usize::from(i)).map_or("", String::as_str)),
            Slot::Multi(bits) => write_multi(out, values, bits),
            Slot::Integer(i) => out.push_str(itoa::Buffer::new().format(i)),
            Slot::Number(n) => out.push_number(n),
            Slot::Text { cell, start, end } => {
                out.push_str(text_of(record, cell, start, end).unwrap_or(""));
            }
            Slot::Country(row) => {
                out.push_str(
                    self.countries
                        .get(usize::from(row))
                        .map_or("", |c| c.iso3.as_str()),
                );
            }
        }
    }
}

/// Compiles a question; values that are not plain lower-case ASCII make it decline (the
/// general parser lower-cases with Unicode rules).
fn compile_question(question: &Question, booleans: &[Vec<u128>; 2]) -> CompiledQuestion {
    let plain = question.values.len() <= MAX_VALUES
        && question
            .values
            .iter()
            .all(|v| v.is_ascii() && v.to_ascii_lowercase() == *v);
    let kind = match question.kind {
        QuestionType::Boolean => Kind::Boolean,
        QuestionType::Choice if plain => Kind::Choice,
        QuestionType::MultiChoice if plain => Kind::Multi,
        QuestionType::Integer => Kind::Integer { scale: false },
        QuestionType::Scale => Kind::Integer { scale: true },
        QuestionType::Number => Kind::Number,
        QuestionType::Text => Kind::Text,
        QuestionType::Choice | QuestionType::MultiChoice => Kind::Declined,
    };
    let mut compiled = CompiledQuestion {
        kind,
        packed: question
            .values
            .iter()
            .map(|v| packed(v.as_bytes()))
            .collect(),
        words: None,
        values: question.values.clone(),
        min: question.min,
        max: question.max,
    };
    compiled.words = word_table(&compiled, booleans);
    compiled
}

/// The spellings of yes and of no, [`packed`] (as [`crate::profile::parse_answer`] reads them).
fn boolean_words() -> [Vec<u128>; 2] {
    [crate::profile::YES, crate::profile::NO]
        .map(|words| words.iter().filter_map(|w| packed(w.as_bytes())).collect())
}

/// The spellings of a question's answers that read without parsing, as
/// [`RowScorer::parse_cell`] reads them; `None` for a question whose answers all need parsing.
fn word_table(question: &CompiledQuestion, booleans: &[Vec<u128>; 2]) -> Option<WordTable<Slot>> {
    let values = || question.packed.iter().flatten().enumerate();
    let words: Vec<(u128, Slot)> = match question.kind {
        Kind::Boolean => {
            let [yes, no] = booleans;
            let yes = yes.iter().map(|&word| (word, Slot::Bool(true)));
            yes.chain(no.iter().map(|&word| (word, Slot::Bool(false))))
                .collect()
        }
        Kind::Choice => values()
            .map(|(i, &word)| Some((word, Slot::Choice(u8::try_from(i).ok()?))))
            .collect::<Option<_>>()?,
        Kind::Multi => values()
            .map(|(i, &word)| (word, Slot::Multi(1 << i)))
            .collect(),
        Kind::Integer { scale: true } => (1..=5)
            .filter(|&n| within(question, n as f64).is_some())
            .filter_map(|n: i64| Some((packed(n.to_string().as_bytes())?, Slot::Integer(n))))
            .collect(),
        _ => return None,
    };
    // A spelling with white space at either end stays out: cells are trimmed before they are
    // read, and [`packed_in_place`] does not trim.
    let words: Vec<(u128, Slot)> = (words.into_iter())
        .filter(|&(word, _)| !space_at_either_end(word))
        .collect();
    WordTable::new(&words, Slot::Unknown)
}

/// Whether a [`packed`] word starts or ends with white space.
fn space_at_either_end(word: u128) -> bool {
    let length = (word >> 120) as u32;
    let first = word as u8;
    let last = (word >> (8 * length.saturating_sub(1))) as u8;
    length > 0 && (is_space(&first) || is_space(&last))
}

fn compile_condition(condition: &Condition, questionnaire: &Questionnaire) -> CompiledCondition {
    let position = |field: &str| questionnaire.position(field).unwrap_or(usize::MAX);
    let numeric = match (&condition.answer, &condition.ratio) {
        (Some(field), _) => Numeric::Field(position(field)),
        (None, Some([a, b])) => Numeric::Ratio(position(a), position(b)),
        (None, None) => Numeric::None,
    };
    let values = condition
        .answer
        .as_deref()
        .and_then(|field| questionnaire.question(field))
        .map_or(&[][..], |q| q.values.as_slice());
    let wanted = |list: &Option<Vec<String>>| {
        list.as_ref().map(|list| Wanted {
            choices: values
                .iter()
                .take(MAX_VALUES)
                .enumerate()
                .filter(|(_, v)| list.contains(v))
                .fold(0, |bits, (i, _)| bits | 1 << i),
            yes: list.iter().any(|w| w == "yes"),
            no: list.iter().any(|w| w == "no"),
            integers: list.iter().filter_map(|w| w.parse().ok()).collect(),
            numbers: list.iter().filter_map(|w| w.parse().ok()).collect(),
            texts: list.clone(),
        })
    };
    CompiledCondition {
        numeric,
        at_least: condition.at_least,
        at_most: condition.at_most,
        answer: condition.answer.as_deref().map(position),
        is: wanted(&condition.is),
        is_not: wanted(&condition.is_not),
    }
}

/// An integer answer, when the question takes it.
fn integer_slot(question: &CompiledQuestion, scale: bool, n: i64) -> Option<Slot> {
    if scale && !(1..=5).contains(&n) {
        return None;
    }
    within(question, n as f64)?;
    Some(Slot::Integer(n))
}

/// `Some(())` when `n` is within the question's bounds.
fn within(question: &CompiledQuestion, n: f64) -> Option<()> {
    if question.min.is_some_and(|min| n < min) || question.max.is_some_and(|max| n > max) {
        return None;
    }
    Some(())
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
/// the sort keys of [`RowScorer::rank`] order them.
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

/// The texts and sparse shares every row uses.
fn prepare(scorer: &Scorer) -> Prepared {
    let questionnaire = scorer.questionnaire;
    let programs = &scorer.catalog.programs;
    let one_line = |text: &str| {
        let mut line = String::new();
        push_one_line(&mut line, text);
        line
    };
    let program_cells: Vec<Vec<u8>> = (programs.iter())
        .map(|p| {
            let mut cell = Vec::new();
            crate::io::csv_cell::write(&mut cell, &p.id, false);
            cell
        })
        .collect();
    Prepared {
        rank_ties: (programs.iter().enumerate())
            .map(|(position, p)| u128::from(p.number) << 32 | position as u128)
            .collect(),
        program_separated: (program_cells.iter())
            .map(|cell| ShortBytes::new(&[&b","[..], cell, b","].concat()))
            .collect(),
        program_cells,
        program_reasons: programs
            .iter()
            .map(|p| format!("{}: ", one_line(&p.id)))
            .collect(),
        need_labels: questionnaire
            .needs
            .iter()
            .map(|n| one_line(&n.label))
            .collect(),
        text_labels: questionnaire
            .questions
            .iter()
            .map(|q| format!("In your words ({})", one_line(&q.id)))
            .collect(),
        fields: questionnaire
            .questions
            .iter()
            .map(|q| format!("{} = ", one_line(&q.id)))
            .collect(),
        program_needs: (0..programs.len())
            .map(|program| {
                let mut needs: Vec<(usize, f64)> = (0..questionnaire.needs.len())
                    .filter_map(|n| {
                        let share = *scorer.need_shares(n).get(program)?;
                        (share > 0.0).then_some((n, share))
                    })
                    .collect();
                needs.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                needs
            })
            .collect(),
    }
}

/// The index of the value `text` names, ignoring ASCII case.
fn value_index(question: &CompiledQuestion, text: &[u8]) -> Option<usize> {
    match &question.packed {
        // Every value packs, so a text that does not pack names none of them.
        Some(values) => find_word(values, packed(text)?),
        None => question
            .values
            .iter()
            .position(|v| v.as_bytes().eq_ignore_ascii_case(text)),
    }
}

/// Up to 15 bytes, ASCII lower-cased, and their length, as one number: two such numbers are
/// equal exactly when the texts are equal ignoring ASCII case.
fn packed(bytes: &[u8]) -> Option<u128> {
    let length = u8::try_from(bytes.len()).ok().filter(|&n| n <= 15)?;
    let mut buffer = [0u8; 16];
    for (to, from) in buffer.iter_mut().zip(bytes) {
        *to = from.to_ascii_lowercase();
    }
    buffer[15] = length;
    Some(u128::from_le_bytes(buffer))
}

/// The position of `word` among `words`, looking at every one (no early exit to
/// mispredict); `None` unless exactly one matches.
fn find_word(words: &[u128], word: u128) -> Option<usize> {
    let mut position = 0;
    let mut found = 0;
    for (i, &w) in words.iter().enumerate() {
        let hit = usize::from(w == word);
        position += hit * i;
        found += hit;
    }
    (found == 1).then_some(position)
}

/// Every byte of a 16-byte word holding this value.
const fn bytes_of(byte: u8) -> u128 {
    u128::from_le_bytes([byte; 16])
}

/// Cell `range` of `all` (a record's bytes) as [`packed`] gives it, from one 16-byte read and
/// with no branch on the cell's bytes. `None` for cells it leaves to [`packed`]: empty, over
/// 15 bytes, or not ASCII. (White space at either end is kept: no table holds such a word, so
/// the cell goes on to the general parser, which trims it.)
fn packed_in_place(all: &[u8], range: std::ops::Range<usize>) -> Option<u128> {
    let length = range.end.checked_sub(range.start)?;
    if length == 0 || length > 15 {
        return None;
    }
    let word = match all.get(range.start..range.start + 16) {
        Some(window) => {
            let window: &[u8; 16] = window.try_into().ok()?;
            u128::from_le_bytes(*window) & ((1u128 << (8 * length)) - 1)
        }
        // The record's last bytes, a byte at a time: a 16-byte read would leave the record.
        // (Not a copy into a buffer: the compiler would then call `memcpy` for every cell.)
        None => (all.get(range)?.iter())
            .rev()
            .fold(0u128, |word, &byte| word << 8 | u128::from(byte)),
    };
    let high = bytes_of(0x80);
    if word & high != 0 {
        return None;
    }
    // Upper case to lower case in every byte at once (all are below 0x80, so no byte carries
    // into the next): adding 0x3F sets a byte's high bit from `A` up, adding 0x25 from past `Z`.
    let from_a = word + bytes_of(0x3F);
    let past_z = word + bytes_of(0x25);
    let upper = from_a & !past_z & high;
    Some((word | upper >> 2) | (length as u128) << 120)
}

/// A run of 1 to 18 ASCII digits as its number (it cannot overflow); anything else `None`,
/// for `str::parse` to decide.
fn plain_integer(text: &[u8]) -> Option<i64> {
    if text.is_empty() || text.len() > 18 {
        return None;
    }
    text.iter().try_fold(0i64, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
    })
}

/// ASCII white space as `str::trim` sees it (including vertical tab and form feed).
fn is_space(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// `bytes` without the white space `str::trim` removes at either end.
fn trim_ascii_whitespace(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |e| e + 1);
    bytes.get(start..end).unwrap_or(&[])
}

/// The text of a free-text slot.
fn text_of(record: &Record, cell: u32, start: u32, end: u32) -> Option<&str> {
    let bytes = record.get(cell as usize)?;
    std::str::from_utf8(bytes.get(start as usize..end as usize)?).ok()
}

/// The chosen values, in the question's order, joined by `;`.
fn write_multi<O: TextOut>(out: &mut O, values: &[String], bits: u64) {
    let mut first = true;
    for (i, value) in values.iter().enumerate().take(MAX_VALUES) {
        if bits & (1 << i) != 0 {
            if !first {
                out.push(';');
            }
            first = false;
            out.push_str(value);
        }
    }
}

/// Appends `text` with line breaks as spaces (the reasons cell is one line).
fn push_one_line<O: TextOut>(cell: &mut O, text: &str) {
    if memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_some() {
        for c in text.chars() {
            cell.push(if c == '\n' || c == '\r' { ' ' } else { c });
        }
    } else {
        cell.push_str(text);
    }
}

/// Appends a value, cut after 60 characters.
fn push_shown_value<O: TextOut>(cell: &mut O, value: &str) {
    // Where the 61st character starts: byte 60 when the first 60 bytes are ASCII.
    let cut = match value.as_bytes().get(..SHOWN_VALUE_CHARS) {
        None => None,
        Some(head) if head.is_ascii() => value
            .len()
            .gt(&SHOWN_VALUE_CHARS)
            .then_some((SHOWN_VALUE_CHARS, ' ')),
        Some(_) => value.char_indices().nth(SHOWN_VALUE_CHARS),
    };
    match cut {
        Some((cut, _)) => {
            push_one_line(cell, value.get(..cut).unwrap_or(value));
            cell.push('…');
        }
        None => push_one_line(cell, value),
    }
}

#[cfg(test)]
mod tests;
