//! Batch JSON and JSONL rows from the compiled form: a row's answers read and scored as for
//! CSV, its JSON written from parts that are the same in every row, each written once per run
//! by the layout's own pieces ([`crate::report::json`]) from the reference definitions (a
//! need's words from the questionnaire and [`reasons`], its relevance from its share, its
//! catalog line from [`Scorer::snippet`], the rules' words from [`reasons::rule_words`]).
//!
//! Per row only what depends on it is written: the answers, the scores and each reason's
//! points; each raised need's weight, answers and rules once (a need is a reason of most
//! programs), except for a tabled need whose answers are all typed in: those are written once
//! per run for its combination of answers; a free-text answer's relevance and catalog line per
//! program, as the general path finds them. A brief reason but for its points is the same in
//! every row (the need's words are in the row's `needs`), and a whole one too for a tabled
//! need's combination: written once per run, a row copies it around its points.

use super::RowScorer;
use crate::error::Result;
use crate::profile::questionnaire::{Question, QuestionType};
use crate::profile::{Profile, Shown};
use crate::report::json::{self as layout, Detail};
use crate::scoring::answers::{Answers, Slot};
use crate::scoring::engine::{bug, Scratch};
use crate::scoring::reasons;
use crate::scoring::score_tenths::TenthsText;
use crate::scoring::short_bytes::{piece, Piece};
use std::cell::RefCell;
use std::sync::OnceLock;

/// What JSON rows repeat, written once per run.
pub(super) struct JsonParts {
    detail: Detail,
    /// Per question: `"id":`, its key in the profile object.
    keys: Vec<Piece<32>>,
    /// Per question, per value: the answer in the profile object, chosen.
    choices: Vec<Vec<Box<[u8]>>>,
    /// Other answers many rows share.
    small: SmallAnswers,
    /// Per question: its id as a JSON string (in the prefilled fields).
    ids: Vec<Box<[u8]>>,
    /// Per question: `{"field":"id","value":` (an answer behind a reason).
    evidence: Vec<Box<[u8]>>,
    /// The questions in the order of their ids: a profile's order, which the prefilled
    /// fields follow.
    by_id: Vec<usize>,
    /// Per program: `,"id":…,"number":…,"title":…,"score":`.
    programs: Vec<Box<[u8]>>,
    /// Per need, then per question (a free-text answer's reason): `{"need":…,"points":`
    /// (with the need's label in a whole reason).
    opens: Vec<Piece<96>>,
    /// The same: `{"need":…,"label":…`, a need in a brief row's `needs`.
    need_opens: Vec<Box<[u8]>>,
    /// Per need and rule: the rule's words as a JSON string.
    rules: Vec<Vec<Box<[u8]>>>,
    /// A free-text answer's rule as a JSON string.
    text_rule: Box<[u8]>,
    /// Per tabled need, per combination of its answers (all typed in): what its reasons
    /// write in every row with them, written on first use.
    combinations: Vec<Vec<OnceLock<Combination>>>,
    /// Per need and program: `,"relevance":…`.
    relevance: Vec<Piece<24>>,
    /// Per need and program: `],"matched":{…}}` (or `]}`), written on first use (finding a
    /// catalog line takes the index's time: only the pairs a run shows).
    closes: Vec<OnceLock<Box<[u8]>>>,
    /// Per need and program: a brief reason but for its points (the same in every row), before
    /// and after them, written on first use.
    brief_reasons: Vec<OnceLock<BriefReason>>,
    /// Whether every answer prefill gives writes from its slot as from its value (else rows
    /// with a prefilled answer go to the row parser).
    prefill_exact: bool,
    /// Scores and points, 0.0 to 100.0 by tenths, as [`layout::score`] and
    /// [`layout::points`] write them.
    score_tenths: TenthsText,
    point_tenths: TenthsText,
}

/// Whole numbers below this are written once per run, as answers in the profile object.
const SMALL: usize = 128;

/// Answers in the profile object that many rows share, each written once per run as
/// [`write_slot`] writes it: formatting numbers and escaping strings cost more than a copy.
struct SmallAnswers {
    /// No, yes.
    bools: [Box<[u8]>; 2],
    /// 0 to [`SMALL`] − 1, as integers and as numbers (`3.0`).
    integers: Vec<Box<[u8]>>,
    numbers: Vec<Box<[u8]>>,
    /// Per multi-choice question of at most 8 values: per set of values chosen (bit i: value
    /// i), written on first use.
    chosen: Vec<Vec<OnceLock<Box<[u8]>>>>,
}

/// `x` as an index when it is a whole number from +0.0 to [`SMALL`] − 1 (−0.0 is written as
/// such, not as 0.0).
fn small_whole(x: f64) -> Option<usize> {
    if !(x.is_sign_positive() && x < SMALL as f64) {
        return None;
    }
    let whole = x as i64;
    (whole as f64 == x).then(|| usize::try_from(whole).ok())?
}

/// Two pieces in one: where the second starts, and the bytes.
type SplitPiece = (usize, Box<[u8]>);

/// A brief reason before and after its points: `{"need":…,"points":`, then its relevance and
/// catalog line. Short pieces: a row has dozens of reasons, and a copy of unknown length is a
/// call (see [`Piece`]).
type BriefReason = (Piece<64>, Piece<96>);

/// A tabled need under one combination of typed-in answers: its reasons are the same in every
/// row with it, but for their points.
struct Combination {
    /// Its weight, then its answers and rules.
    need: SplitPiece,
    /// Per program: its whole reason, split where the points go, written on first use (a
    /// reason is then two copies, of neighbouring bytes, instead of five pieces from as many
    /// tables).
    reasons: Box<[OnceLock<SplitPiece>]>,
}

thread_local! {
    /// A worker's row pieces, kept from row to row (their buffers then grow once).
    static PIECES: RefCell<RowPieces> = RefCell::new(RowPieces::default());
}

/// Where a raised need's weight, then its answers and rules are in the row's piece buffer,
/// written when first shown: (start, the weight's length, end).
type RowNeed = (usize, usize, usize);

/// Free text's line weights, per raised need.
type LineWeights = Vec<Option<crate::catalog::index::LineWeights>>;

/// The parts of one row written once for all its programs.
#[derive(Default)]
struct RowPieces {
    bytes: Vec<u8>,
    needs: Vec<Option<RowNeed>>,
    /// A text's value as shown.
    value: String,
    evidence: Vec<usize>,
    /// Free text's line weights, per raised need (see [`Scorer::snippet`]).
    line_weights: LineWeights,
    /// A free-text reason's end.
    close: Vec<u8>,
    /// The raised needs (by index) a brief row's reasons cite, in the order first cited.
    cited: Vec<usize>,
}

impl RowPieces {
    fn clear(&mut self) {
        self.bytes.clear();
        self.needs.clear();
        self.line_weights.clear();
        self.cited.clear();
    }
}

impl<'a> RowScorer<'a> {
    /// The same, writing JSON rows with catalog lines shown as `detail` says.
    pub fn with_json(mut self, detail: Detail) -> RowScorer<'a> {
        self.json = Some(JsonParts::new(&self, detail));
        self
    }

    /// Scores one row and appends its JSON object (one line) to `out`; `None` (and `out`
    /// unchanged) when the row is for the row parser.
    pub fn write_json_row(
        &self,
        raw: &crate::profile::rows::RawRow,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Result<Option<super::FastRow<'a>>> {
        let parts = self.json_parts()?;
        let Some((id, country)) = self.read_row(raw, scratch) else {
            return Ok(None);
        };
        if !parts.prefill_exact && scratch.answers.prefilled.contains(&true) {
            return Ok(None);
        }
        self.score(scratch)?;
        let iso3 = country.map_or("", |c| c.iso3.as_str());
        layout::row_open(out, raw.row, &id, Some(iso3));
        self.write_answers(parts, &scratch.answers, out);
        self.write_programs(parts, scratch, out)?;
        Ok(Some(super::FastRow {
            region: country.map(|c| c.region.as_str()),
        }))
    }

    /// Scores a row read by the row parser (prefilled) and appends its JSON object to `out`.
    pub fn write_json_profile_row(
        &self,
        row: u64,
        id: &str,
        profile: &Profile,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let parts = self.json_parts()?;
        let country = self.score_profile(profile, scratch)?;
        layout::row_open(out, row, id, Some(&country));
        layout::profile_and_prefilled(out, profile, self.scorer.questionnaire);
        self.write_programs(parts, scratch, out)
    }

    fn json_parts(&self) -> Result<&JsonParts> {
        (self.json.as_ref()).ok_or_else(|| bug("JSON rows from a form compiled without them"))
    }

    /// The profile object and the prefilled fields, from the answers read from the cells:
    /// `…},"prefilled":[…],"programs":[`.
    fn write_answers(&self, parts: &JsonParts, answers: &Answers, out: &mut Vec<u8>) {
        let questions = &self.scorer.questionnaire.questions;
        let mut first = true;
        for (q, question) in questions.iter().enumerate() {
            let slot = answers.slot(q);
            if slot == Slot::Unknown {
                continue;
            }
            comma(out, &mut first);
            if let Some(key) = parts.keys.get(q) {
                key.append_to(out);
            }
            let small = &parts.small;
            let written = match slot {
                Slot::Choice(i) => (parts.choices.get(q)).and_then(|c| c.get(usize::from(i))),
                Slot::Bool(b) => Some(&small.bools[usize::from(b)]),
                Slot::Integer(i) => usize::try_from(i).ok().and_then(|i| small.integers.get(i)),
                Slot::Number(x) => small_whole(x).and_then(|i| small.numbers.get(i)),
                Slot::Multi(bits) => (small.chosen.get(q))
                    .and_then(|chosen| chosen.get(usize::try_from(bits).ok()?))
                    .map(|once| {
                        once.get_or_init(|| {
                            piece(|out| write_slot(out, answers, question, q, slot))
                        })
                    }),
                _ => None,
            };
            match written {
                Some(written) => out.extend_from_slice(written),
                None => write_slot(out, answers, question, q, slot),
            }
        }
        out.extend_from_slice(layout::PROFILE_END);
        let prefilled = (parts.by_id.iter())
            .filter(|&&q| answers.is_prefilled(q) && answers.slot(q) != Slot::Unknown);
        let mut first = true;
        for &q in prefilled {
            comma(out, &mut first);
            out.extend_from_slice(parts.ids.get(q).map_or(&[][..], |id| id));
        }
        out.extend_from_slice(layout::PREFILLED_END);
    }

    /// The ranked programs (`--top`) and their reasons, then the row's end.
    fn write_programs(
        &self,
        parts: &JsonParts,
        scratch: &Scratch,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        PIECES.with(|pieces| match pieces.try_borrow_mut() {
            Ok(mut pieces) => {
                pieces.clear();
                self.write_programs_with(parts, scratch, &mut pieces, out)
            }
            Err(_) => self.write_programs_with(parts, scratch, &mut RowPieces::default(), out),
        })
    }

    fn write_programs_with(
        &self,
        parts: &JsonParts,
        scratch: &Scratch,
        pieces: &mut RowPieces,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let settings = &self.scorer.questionnaire.scoring;
        // Each raised need's combination, when its reasons are written once per run.
        let combinations: Vec<Option<&Combination>> = (0..scratch.raised.len())
            .map(|n| self.combination(parts, scratch, pieces, n))
            .collect();
        for (rank, &(_, program, points)) in scratch.ranked.iter().take(self.top).enumerate() {
            if rank > 0 {
                out.push(b',');
            }
            layout::program_open(out, rank + 1);
            out.extend_from_slice(parts.programs.get(program).map_or(&[][..], |p| p));
            (parts.score_tenths).write_score(out, points, self.tenths.as_ref(), settings);
            out.extend_from_slice(layout::REASONS_OPEN);
            if points > 0.0 {
                let mut first = true;
                let scorer = self.scorer;
                scorer.reason_points(&self.speedups, scratch, program, points, |n, given| {
                    comma(out, &mut first);
                    let combination = combinations.get(n).copied().flatten();
                    match (parts.detail, combination) {
                        (Detail::Brief, _) => {
                            self.write_brief_reason(parts, scratch, pieces, n, program, given, out)
                        }
                        (Detail::Full, Some(combination)) => self.write_tabled_reason(
                            parts,
                            scratch,
                            pieces,
                            (n, combination),
                            program,
                            given,
                            out,
                        ),
                        (Detail::Full, None) => {
                            self.write_reason(parts, scratch, pieces, n, program, given, out)
                        }
                    }
                    true
                })?;
            }
            out.extend_from_slice(layout::PROGRAM_END);
        }
        if parts.detail == Detail::Brief {
            out.extend_from_slice(layout::NEEDS_OPEN);
            let cited = std::mem::take(&mut pieces.cited);
            for (i, &n) in cited.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let combination = combinations.get(n).copied().flatten();
                self.write_cited_need(parts, scratch, pieces, n, combination, out);
            }
            pieces.cited = cited;
        }
        out.extend_from_slice(layout::ROW_END);
        Ok(())
    }

    /// A brief reason: raised need `n` by id, giving program `program` `given` points, its
    /// relevance and catalog line; the need is then among those the row describes.
    #[allow(clippy::too_many_arguments)]
    fn write_brief_reason(
        &self,
        parts: &JsonParts,
        scratch: &Scratch,
        pieces: &mut RowPieces,
        n: usize,
        program: usize,
        given: f64,
        out: &mut Vec<u8>,
    ) {
        let Some(raised) = scratch.raised.get(n) else {
            return;
        };
        let pair = raised.position * self.scorer.catalog.programs.len() + program;
        let buffers = (&mut pieces.line_weights, &mut pieces.close);
        // No weight, answers or rules: the row's `needs` has them.
        let none = (&[][..], &[][..]);
        match parts.brief_reasons.get(pair).filter(|_| !raised.text) {
            Some(once) => {
                let (open, tail) = once.get_or_init(|| {
                    let open = Piece::new(|bytes| self.write_open(parts, scratch, n, bytes));
                    let tail = Piece::new(|bytes| {
                        self.write_tail(parts, scratch, buffers, n, program, none, bytes)
                    });
                    (open, tail)
                });
                open.append_to(out);
                parts.point_tenths.write(out, given);
                tail.append_to(out);
            }
            // Free text's relevance and line, found for this row.
            None => {
                self.write_open(parts, scratch, n, out);
                parts.point_tenths.write(out, given);
                self.write_tail(parts, scratch, buffers, n, program, none, out);
            }
        }
        // A row raises a dozen or two needs: a look down the list beats a set.
        if !pieces.cited.contains(&n) {
            pieces.cited.push(n);
        }
    }

    /// Raised need `n` in a brief row's `needs`: its id and words, weight, answers and rules
    /// (those of its `combination` when it has one).
    fn write_cited_need(
        &self,
        parts: &JsonParts,
        scratch: &Scratch,
        pieces: &mut RowPieces,
        n: usize,
        combination: Option<&Combination>,
        out: &mut Vec<u8>,
    ) {
        if let Some(open) = (self.opening(scratch, n)).and_then(|o| parts.need_opens.get(o)) {
            out.extend_from_slice(open);
        }
        match combination {
            Some(combination) => out.extend_from_slice(&combination.need.1),
            None => {
                let (start, _, end) = self.row_need(parts, scratch, pieces, n);
                out.extend_from_slice(pieces.bytes.get(start..end).unwrap_or_default());
            }
        }
        out.extend_from_slice(layout::NEED_END);
    }

    /// One reason: raised need `n` of the row in `scratch`, giving program `program` `given`
    /// points of its score.
    #[allow(clippy::too_many_arguments)]
    fn write_reason(
        &self,
        parts: &JsonParts,
        scratch: &Scratch,
        pieces: &mut RowPieces,
        n: usize,
        program: usize,
        given: f64,
        out: &mut Vec<u8>,
    ) {
        self.write_open(parts, scratch, n, out);
        parts.point_tenths.write(out, given);
        let (start, split, end) = self.row_need(parts, scratch, pieces, n);
        let written = pieces.bytes.get(start..end).unwrap_or_default();
        let (weight, answers) = written.split_at_checked(split).unwrap_or_default();
        let (line_weights, close) = (&mut pieces.line_weights, &mut pieces.close);
        let need = (weight, answers);
        self.write_tail(parts, scratch, (line_weights, close), n, program, need, out);
    }

    /// [`Self::write_reason`] for a tabled need under `combination`: the reason written once
    /// per run for the program, with this row's points.
    #[allow(clippy::too_many_arguments)]
    fn write_tabled_reason(
        &self,
        parts: &JsonParts,
        scratch: &Scratch,
        pieces: &mut RowPieces,
        (n, combination): (usize, &Combination),
        program: usize,
        given: f64,
        out: &mut Vec<u8>,
    ) {
        let Some(reason) = combination.reasons.get(program) else {
            return;
        };
        let (split, bytes) = reason.get_or_init(|| {
            let mut bytes = Vec::new();
            self.write_open(parts, scratch, n, &mut bytes);
            let split = bytes.len();
            let (weight, answers) = (combination.need.1)
                .split_at_checked(combination.need.0)
                .unwrap_or_default();
            let buffers = (&mut pieces.line_weights, &mut pieces.close);
            let need = (weight, answers);
            self.write_tail(parts, scratch, buffers, n, program, need, &mut bytes);
            (split, bytes.into_boxed_slice())
        });
        let (open, tail) = bytes.split_at_checked(*split).unwrap_or_default();
        out.extend_from_slice(open);
        parts.point_tenths.write(out, given);
        out.extend_from_slice(tail);
    }

    /// Reason `n`'s opening, up to its points: `{"need":…,"points":`.
    fn write_open(&self, parts: &JsonParts, scratch: &Scratch, n: usize, out: &mut Vec<u8>) {
        if let Some(open) = (self.opening(scratch, n)).and_then(|o| parts.opens.get(o)) {
            open.append_to(out);
        }
    }

    /// Where raised need `n`'s openings are in [`JsonParts`]: free-text answers' come after
    /// the needs'.
    fn opening(&self, scratch: &Scratch, n: usize) -> Option<usize> {
        let raised = scratch.raised.get(n)?;
        let needs = self.scorer.rules.needs.len();
        Some(raised.position + usize::from(raised.text) * needs)
    }

    /// Reason `n` (of program `program`) after its points: the need's weight, its relevance,
    /// its answers and rules (`need`: the weight, then the answers and rules), its catalog line.
    /// `buffers`: the row's line weights and a buffer for a free-text line.
    #[allow(clippy::too_many_arguments)]
    fn write_tail(
        &self,
        parts: &JsonParts,
        scratch: &Scratch,
        buffers: (&mut LineWeights, &mut Vec<u8>),
        n: usize,
        program: usize,
        (weight, answers): (&[u8], &[u8]),
        out: &mut Vec<u8>,
    ) {
        out.extend_from_slice(weight);
        let Some(raised) = scratch.raised.get(n) else {
            return;
        };
        let pair = raised.position * self.scorer.catalog.programs.len() + program;
        if raised.text {
            layout::relevance(out, self.scorer.raised_share(scratch, n, program));
        } else if let Some(relevance) = parts.relevance.get(pair) {
            relevance.append_to(out);
        }
        out.extend_from_slice(answers);
        let (line_weights, close_buffer) = buffers;
        let catalog_program = self.scorer.catalog.programs.get(program);
        let mut close = |out: &mut Vec<u8>| {
            let matched = self.scorer.snippet(scratch, n, program, line_weights);
            layout::reason_close(out, matched.as_ref(), catalog_program, parts.detail);
        };
        match parts.closes.get(pair).filter(|_| !raised.text) {
            Some(once) => out.extend_from_slice(once.get_or_init(|| piece(close))),
            // Free text's line, found for this row.
            None => {
                let mut bytes = std::mem::take(close_buffer);
                bytes.clear();
                close(&mut bytes);
                out.extend_from_slice(&bytes);
                *close_buffer = bytes;
            }
        }
    }

    /// Raised need `n`'s pieces for its combination of answers, written on first use, when the
    /// need is tabled and its answers are all typed in (its reasons are then the same in
    /// every row with them, but for the points).
    fn combination<'p>(
        &self,
        parts: &'p JsonParts,
        scratch: &Scratch,
        pieces: &mut RowPieces,
        n: usize,
    ) -> Option<&'p Combination> {
        let raised = scratch.raised.get(n).filter(|raised| raised.raised)?;
        let (_, c) = self.speedups.typed_in(raised, &scratch.answers)?;
        let once = parts.combinations.get(raised.position)?.get(c)?;
        Some(once.get_or_init(|| {
            let mut bytes = Vec::new();
            let split = self.write_need(parts, scratch, n, &mut bytes, pieces);
            let programs = self.scorer.catalog.programs.len();
            Combination {
                need: (split, bytes.into_boxed_slice()),
                reasons: (0..programs).map(|_| OnceLock::new()).collect(),
            }
        }))
    }

    /// Raised need `n`'s weight, answers and rules in this row, written on first use.
    fn row_need(
        &self,
        parts: &JsonParts,
        scratch: &Scratch,
        pieces: &mut RowPieces,
        n: usize,
    ) -> RowNeed {
        if let Some(Some(written)) = pieces.needs.get(n) {
            return *written;
        }
        let mut bytes = std::mem::take(&mut pieces.bytes);
        let start = bytes.len();
        let split = self.write_need(parts, scratch, n, &mut bytes, pieces);
        let written = (start, split, bytes.len());
        pieces.bytes = bytes;
        if pieces.needs.len() <= n {
            pieces.needs.resize(n + 1, None);
        }
        if let Some(slot) = pieces.needs.get_mut(n) {
            *slot = Some(written);
        }
        written
    }

    /// Raised need `n`'s `,"weight":…` and then its `,"answers":[…],"rules":[…` into `bytes`;
    /// the length of the first.
    fn write_need(
        &self,
        parts: &JsonParts,
        scratch: &Scratch,
        n: usize,
        bytes: &mut Vec<u8>,
        pieces: &mut RowPieces,
    ) -> usize {
        let answers = &scratch.answers;
        let questions = &self.scorer.questionnaire.questions;
        let Some(raised) = scratch.raised.get(n) else {
            return 0;
        };
        let start = bytes.len();
        layout::weight(bytes, raised.weight);
        let split = bytes.len() - start;
        bytes.extend_from_slice(layout::ANSWERS_OPEN);
        let evidence = &mut pieces.evidence;
        if raised.text {
            evidence.clear();
            evidence.push(raised.position);
        } else {
            let triggers = self.scorer.rules.triggers(raised.position);
            let counted = scratch.counted(&self.speedups, n);
            reasons::evidence_questions(triggers, counted, answers, evidence);
        }
        let mut first = true;
        for &q in evidence.iter() {
            let Some(shown) = questions
                .get(q)
                .and_then(|question| answers.shown(question, q))
            else {
                continue;
            };
            comma(bytes, &mut first);
            bytes.extend_from_slice(parts.evidence.get(q).map_or(&[][..], |e| e));
            pieces.value.clear();
            shown.write(&mut pieces.value);
            layout::string(bytes, &pieces.value);
            layout::evidence_close(bytes, answers.is_prefilled(q));
        }
        bytes.extend_from_slice(layout::RULES_OPEN);
        if raised.text {
            bytes.extend_from_slice(&parts.text_rule);
        } else {
            let words = parts
                .rules
                .get(raised.position)
                .map_or(&[][..], Vec::as_slice);
            let mut first = true;
            for &t in scratch.counted(&self.speedups, n) {
                comma(bytes, &mut first);
                bytes.extend_from_slice(words.get(t).map_or(&[][..], |w| w));
            }
        }
        split
    }
}

/// A comma before every item of a list but the first.
fn comma(out: &mut Vec<u8>, first: &mut bool) {
    if !std::mem::take(first) {
        out.push(b',');
    }
}

/// An answer in the profile object, from its slot: as its value writes (see
/// [`layout::answer`]); a multi-choice held as text is its items.
fn write_slot(out: &mut Vec<u8>, answers: &Answers, question: &Question, q: usize, slot: Slot) {
    match slot {
        // The items joined by `;` (which no value of a multi-choice holds: the parser splits
        // there); none chosen, none written.
        Slot::Items(start, end) => {
            let text = answers.text_of(start, end);
            layout::list(out, text.split(';').filter(|_| !text.is_empty()));
        }
        _ => match answers.shown(question, q) {
            Some(shown) => layout::answer(out, shown),
            None => out.extend_from_slice(b"null"),
        },
    }
}

impl JsonParts {
    fn new(row_scorer: &RowScorer, detail: Detail) -> JsonParts {
        let scorer = row_scorer.scorer;
        let questionnaire = scorer.questionnaire;
        let questions = &questionnaire.questions;
        let catalog_programs = &scorer.catalog.programs;
        let programs = catalog_programs.len();
        let needs = &questionnaire.needs;
        let mut by_id: Vec<usize> = (0..questions.len()).collect();
        by_id.sort_by_key(|&q| questions.get(q).map(|q| q.id.as_str()));
        // Each need's id and words, then each free-text answer's.
        let labelled = || {
            (needs
                .iter()
                .map(|need| (need.id.as_str(), need.label.clone())))
            .chain((questions.iter()).map(|q| (q.id.as_str(), reasons::text_label(&q.id))))
        };
        let whole = detail == Detail::Full;
        JsonParts {
            detail,
            keys: (questions.iter())
                .map(|question| Piece::new(|out| layout::key(out, true, &question.id)))
                .collect(),
            choices: (questions.iter())
                .map(|question| {
                    (question.values.iter())
                        .map(|value| piece(|out| layout::answer(out, Shown::Str(value))))
                        .collect()
                })
                .collect(),
            small: SmallAnswers::new(questions),
            ids: (questions.iter())
                .map(|question| piece(|out| layout::string(out, &question.id)))
                .collect(),
            evidence: (questions.iter())
                .map(|question| piece(|out| layout::evidence_open(out, true, &question.id)))
                .collect(),
            by_id,
            programs: (catalog_programs.iter())
                .map(|program| piece(|out| layout::program_fields(out, Some(program))))
                .collect(),
            opens: labelled()
                .map(|(id, label)| {
                    Piece::new(|out| layout::reason_open(out, id, whole.then_some(&label)))
                })
                .collect(),
            need_opens: labelled()
                .map(|(id, label)| piece(|out| layout::need_open(out, id, &label)))
                .collect(),
            rules: (needs.iter())
                .map(|need| {
                    (need.raised_by.iter())
                        .map(|trigger| {
                            piece(|out| layout::string(out, &reasons::rule_words(trigger)))
                        })
                        .collect()
                })
                .collect(),
            text_rule: piece(|out| layout::string(out, reasons::TEXT_RULE)),
            relevance: (0..needs.len() * programs)
                .map(|pair| {
                    let share = scorer.need_share(pair / programs.max(1), pair % programs.max(1));
                    Piece::new(|out| layout::relevance(out, share))
                })
                .collect(),
            closes: (0..needs.len() * programs)
                .map(|_| OnceLock::new())
                .collect(),
            brief_reasons: (0..needs.len() * programs)
                .map(|_| OnceLock::new())
                .collect(),
            // Only where the answers a reason shows are among those the table reads (then
            // the combination gives them).
            combinations: (row_scorer.speedups.tables.iter().enumerate())
                .map(|(need, table)| {
                    let triggers = scorer.rules.triggers(need);
                    let combinations = table.as_ref().filter(|table| {
                        (triggers.iter().flat_map(|t| &t.fields))
                            .all(|&q| table.inputs.iter().any(|&(input, ..)| input == q))
                    });
                    let combinations = combinations.map_or(0, |t| t.reasons.len());
                    (0..combinations).map(|_| OnceLock::new()).collect()
                })
                .collect(),
            prefill_exact: prefill_writes_exactly(row_scorer),
            score_tenths: TenthsText::new(layout::score),
            point_tenths: TenthsText::new(layout::points),
        }
    }
}

impl SmallAnswers {
    fn new(questions: &[Question]) -> SmallAnswers {
        // As `write_slot` writes these slots: their answer as shown, whatever the question.
        let written = |shown: Shown| piece(|out| layout::answer(out, shown));
        SmallAnswers {
            bools: [written(Shown::Bool(false)), written(Shown::Bool(true))],
            integers: (0..SMALL as i64)
                .map(|i| written(Shown::Integer(i)))
                .collect(),
            numbers: (0..SMALL)
                .map(|i| written(Shown::Number(i as f64)))
                .collect(),
            chosen: (questions.iter())
                .map(|question| match question.kind {
                    QuestionType::MultiChoice if question.values.len() <= 8 => (0..1
                        << question.values.len())
                        .map(|_| OnceLock::new())
                        .collect(),
                    _ => Vec::new(),
                })
                .collect(),
        }
    }
}

/// Whether every answer prefill gives, held as a slot, writes in the profile object as its
/// value does.
fn prefill_writes_exactly(row_scorer: &RowScorer) -> bool {
    let questionnaire = row_scorer.scorer.questionnaire;
    let as_of = row_scorer.as_of;
    row_scorer.countries.iter().all(|country| {
        crate::profile::prefill_values(country, as_of)
            .iter()
            .all(|(field, value)| {
                let (Some(q), Some(question)) =
                    (questionnaire.position(field), questionnaire.question(field))
                else {
                    return true;
                };
                let mut answers = Answers::default();
                answers.clear(questionnaire.questions.len());
                answers.set(q, question, value, true);
                let (mut from_slot, mut from_value) = (Vec::new(), Vec::new());
                write_slot(&mut from_slot, &answers, question, q, answers.slot(q));
                layout::answer(&mut from_value, value.shown());
                from_slot == from_value
            })
    })
}
