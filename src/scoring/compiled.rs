//! Batch CSV: the engine compiled for one file, reading rows straight into [`Answers`] and
//! writing each output line straight into the worker's buffer.
//!
//! Per run: a word table per question, generated from the spellings [`parse_answer`]
//! accepts (its values, yes/no words, 1–5); the answers prefill gives for every country,
//! from [`prefill_values`]; the engine's [`Speedups`]; the shown score's thresholds
//! ([`TenthsTable`], from [`crate::scoring::saturate`]). Per row: a cell the table holds is
//! one lookup; any other goes to [`parse_answer`], which gives the same slot or the error.
//! A row with an error, or a survey export's split columns, is read by
//! [`crate::profile::rows`] into a [`crate::profile::Profile`] (whose messages the errors
//! file lists) and scored and written by the same code ([`RowScorer::write_profile_row`]).

use crate::error::Result;
use crate::profile::countries::{Countries, Country};
use crate::profile::date::Date;
use crate::profile::questionnaire::{Question, QuestionType};
use crate::profile::rows::{Encoding, RawRow};
use crate::profile::{parse_answer, prefill_values, Profile, TextOut};
use crate::report::summary::in_top_three;
use crate::scoring::answers::{Answers, Slot, MAX_BITS};
use crate::scoring::engine::{Scratch, Speedups};
use crate::scoring::reasons::{self, Shows, CELL_PROGRAMS, CELL_REASONS};
use crate::scoring::score_tenths::{TenthsTable, TenthsText};
use crate::scoring::short_bytes::Piece;
use crate::scoring::word_table::WordTable;
use crate::scoring::{saturate, Scorer};

/// What a CSV column holds.
#[derive(Debug, Clone, Copy)]
enum Column {
    Id,
    Question(usize),
    Ignored,
}

/// The answers prefill gives one country: (question, slot, the slot's text).
type Filled = Vec<(usize, Slot, Box<str>)>;

/// The compiled questionnaire and catalog, shared by the workers.
pub struct RowScorer<'a> {
    scorer: &'a Scorer<'a>,
    countries: &'a Countries,
    /// The date prefill gives answers for.
    as_of: Date,
    speedups: Speedups,
    /// `None`: every row is read by the row parser (a survey export's split columns or
    /// submission dates, or `IPNEEDS_REFERENCE_PATH`).
    columns: Option<Vec<Column>>,
    /// Per question: the plain spellings of its answers, [`packed`].
    words: Vec<Option<WordTable<Slot>>>,
    /// The `country` question (a text question), when the questionnaire has one.
    country: Option<usize>,
    /// Per country, in table order.
    prefill: Vec<Filled>,
    encoding: Encoding,
    top: usize,
    /// Each program's id as a CSV cell, between the commas before and after it.
    programs: Vec<Piece<48>>,
    /// Scores as the CSV shows them: `{:.1}`.
    score_text: TenthsText,
    /// Points to shown tenths without an `exp` (`None`: computed).
    tenths: Option<TenthsTable>,
    /// Text questions whose answer the reasons may show as typed (the country shows its code).
    text_questions: Vec<usize>,
    /// Per question: `In your words ({id})`, the label of its free text.
    text_labels: Vec<String>,
    /// Every piece of the reasons cell but free text is free of quotes and line breaks.
    plain_reasons: bool,
    cell_limit: usize,
    text_limit: usize,
    /// The parts of JSON rows that are the same in every row (JSON output only).
    json: Option<json::JsonParts>,
}

/// A row the compiled reader took.
#[derive(Debug, Clone, Copy)]
pub struct FastRow<'c> {
    /// The country's region (for the summary), when the row names a country.
    pub region: Option<&'c str>,
}

impl<'a> RowScorer<'a> {
    /// Compiles for a file whose columns are `header` (`id`, field ids, or others that are
    /// ignored; `None`: rows come as profiles); `top` programs per row.
    pub fn new(
        scorer: &'a Scorer<'a>,
        countries: &'a Countries,
        as_of: Date,
        header: Option<&[String]>,
        encoding: Encoding,
        top: usize,
    ) -> RowScorer<'a> {
        RowScorer::build(scorer, countries, as_of, header, encoding, top, true)
    }

    /// The same without any speed-up (rules evaluated and contributions sorted per row,
    /// every cell parsed by [`parse_answer`], scores computed): what the compiled form is
    /// checked against.
    pub fn reference(
        scorer: &'a Scorer<'a>,
        countries: &'a Countries,
        as_of: Date,
        top: usize,
    ) -> RowScorer<'a> {
        RowScorer::build(scorer, countries, as_of, None, Encoding::Utf8, top, false)
    }

    fn build(
        scorer: &'a Scorer<'a>,
        countries: &'a Countries,
        as_of: Date,
        header: Option<&[String]>,
        encoding: Encoding,
        top: usize,
        compiled: bool,
    ) -> RowScorer<'a> {
        let questionnaire = scorer.questionnaire;
        let questions = &questionnaire.questions;
        let columns = header.map(|header| {
            (header.iter())
                .map(|name| match questionnaire.position(name) {
                    _ if name == crate::profile::ID => Column::Id,
                    Some(q) => Column::Question(q),
                    None => Column::Ignored,
                })
                .collect()
        });
        let country = (questionnaire.position(crate::profile::COUNTRY)).filter(|&q| {
            questions
                .get(q)
                .is_some_and(|q| q.kind == QuestionType::Text)
        });
        let prefill = (countries.iter())
            .map(|c| {
                let mut answers = Answers::default();
                (prefill_values(c, as_of).iter())
                    .filter_map(|(field, value)| {
                        let q = questionnaire.position(field)?;
                        answers.text.clear();
                        let slot = answers.slot_of(questions.get(q)?, value);
                        Some((q, slot, answers.text.as_str().into()))
                    })
                    .collect()
            })
            .collect();
        let mut row_scorer = RowScorer {
            scorer,
            countries,
            as_of,
            speedups: Speedups::default(),
            columns,
            words: (questions.iter())
                .map(|q| word_table(q).filter(|_| compiled))
                .collect(),
            country,
            prefill,
            encoding,
            top,
            programs: (scorer.catalog.programs.iter())
                .map(|p| {
                    Piece::new(|out| {
                        out.push(b',');
                        crate::io::csv_cell::write(out, &p.id, false);
                        out.push(b',');
                    })
                })
                .collect(),
            score_text: TenthsText::new(|out, score| {
                let text = format!("{:.1}", crate::report::round1(score));
                crate::io::csv_cell::write(out, &text, false);
            }),
            tenths: TenthsTable::new(&questionnaire.scoring).filter(|_| compiled),
            text_questions: (questions.iter().enumerate())
                .filter(|&(q, question)| question.kind == QuestionType::Text && Some(q) != country)
                .map(|(q, _)| q)
                .collect(),
            text_labels: (questions.iter())
                .map(|q| reasons::text_label(&q.id))
                .collect(),
            plain_reasons: false,
            cell_limit: crate::io::limits::CELL_BYTES.count(),
            text_limit: crate::io::limits::TEXT_CHARS.count(),
            json: None,
        };
        if compiled {
            row_scorer.speedups = Speedups::new(scorer, |out, answers, need, counted| {
                row_scorer.write_need_reason(
                    out,
                    &mut String::new(),
                    answers,
                    need,
                    counted,
                    &mut Vec::new(),
                );
            });
        }
        row_scorer.plain_reasons = row_scorer.reasons_are_plain();
        row_scorer
    }

    /// Scores one row and appends its CSV line to `out`; `None` (and `out` unchanged) when
    /// the row is for the row parser (a cell with an error, an unknown country, a row of the
    /// wrong width, a workbook's error cell).
    pub fn write_csv_row(
        &self,
        raw: &RawRow,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Result<Option<FastRow<'a>>> {
        let Some((id, country)) = self.read_row(raw, scratch) else {
            return Ok(None);
        };
        self.score(scratch)?;
        self.write_row(&id, country.map_or("", |c| c.iso3.as_str()), scratch, out)?;
        Ok(Some(FastRow {
            region: country.map(|c| c.region.as_str()),
        }))
    }

    /// Reads a row's answers into `scratch` and prefills them: the row's id and its country.
    /// `None` when the row is for the row parser.
    fn read_row<'r>(
        &self,
        raw: &'r RawRow,
        scratch: &mut Scratch,
    ) -> Option<(std::borrow::Cow<'r, str>, Option<&'a Country>)> {
        let id = self.read_answers(raw, &mut scratch.answers)?;
        let country = self.prefill_country(&mut scratch.answers)?;
        let id: std::borrow::Cow<str> = match id {
            "" => raw.row.to_string().into(),
            id => id.into(),
        };
        Some((id, country))
    }

    /// Scores a row read by the row parser (prefilled) and appends its CSV line to `out`.
    pub fn write_profile_row(
        &self,
        id: &str,
        profile: &Profile,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        let country = self.score_profile(profile, scratch)?;
        self.write_row(id, &country, scratch, out)
    }

    /// Scores a row read by the row parser (prefilled) into `scratch`; its country as written.
    fn score_profile(&self, profile: &Profile, scratch: &mut Scratch) -> Result<String> {
        scratch.answers = Answers::of(self.scorer.questionnaire, profile);
        self.score(scratch)?;
        let country = profile.get(crate::profile::COUNTRY).map(|v| v.to_text());
        Ok(country.unwrap_or_default())
    }

    /// Raises and ranks the needs of the answers in `scratch`.
    fn score(&self, scratch: &mut Scratch) -> Result<()> {
        self.scorer.raise(&self.speedups, scratch)?;
        self.scorer.rank(&self.speedups, scratch)
    }

    /// The ranking of the last row `scratch` scored: (program position, score), best first.
    pub fn ranking(&self, scratch: &Scratch) -> Vec<(usize, f64)> {
        let settings = &self.scorer.questionnaire.scoring;
        (scratch.ranked.iter())
            .map(|&(_, program, points)| (program, saturate(points, settings)))
            .collect()
    }

    /// Reads the row's answers; the row's id. `None` when the row is for the row parser.
    fn read_answers<'r>(&self, raw: &'r RawRow, answers: &mut Answers) -> Option<&'r str> {
        let record = &raw.record;
        let columns = self.columns.as_ref()?;
        // A workbook's error cell (`#N/A`) is reported by the row parser.
        if record.len() != columns.len() || !raw.sheet_errors.is_empty() {
            return None;
        }
        answers.clear(self.scorer.questionnaire.questions.len());
        let mut id: &str = "";
        let all = record.as_slice();
        // Each cell by its place in the record's bytes: the plainest cells are read from there
        // in one 16-byte load, without making a slice of them first.
        for (&(start, end), column) in record.bounds().iter().zip(columns) {
            let range = start as usize..end as usize;
            match *column {
                Column::Ignored => {}
                Column::Id => id = crate::profile::trim_cell(self.text_cell(all.get(range)?)?),
                Column::Question(q) => {
                    let word = packed_in_place(all, range.clone());
                    // A cell that packs is plain ASCII (white space at either end finds no
                    // word, nor digits).
                    let plain = match (word, self.words.get(q)) {
                        // A spelling the question's table holds (most cells): its answer is
                        // copied whole from the table (returned by value, it was taken apart
                        // and put back together field by field).
                        (Some(word), Some(Some(words))) => match words.find(word) {
                            Some(slot) => {
                                answers.put(q, *slot, false);
                                continue;
                            }
                            None => None,
                        },
                        (Some(_), _) => self.plain_number(q, all.get(range.clone())?),
                        (None, _) => None,
                    };
                    let slot = match plain {
                        Some(slot) => slot,
                        None if range.is_empty() => Slot::Unknown,
                        None => self.parse_cell(q, all.get(range)?, answers)?,
                    };
                    answers.put(q, slot, false);
                }
            }
        }
        // Refused by the row parser.
        (!crate::profile::is_totals_row(id)).then_some(id)
    }

    /// A cell of plain digits as the answer of number question `q`, when it is one (`None`
    /// leaves it to [`Self::parse_cell`]). Out of line: a row has few.
    #[inline(never)]
    fn plain_number(&self, q: usize, digits: &[u8]) -> Option<Slot> {
        let question = self.scorer.questionnaire.questions.get(q)?;
        let n = plain_integer(digits)?;
        match question.kind {
            QuestionType::Integer if within(question, n as f64) => Some(Slot::Integer(n)),
            // Up to 18 digits: `as` rounds to the nearest, as `str::parse` does.
            QuestionType::Number if within(question, n as f64) => Some(Slot::Number(n as f64)),
            _ => None,
        }
    }

    /// A cell as text, when it reads the same in the file's encoding without decoding.
    fn text_cell<'r>(&self, bytes: &'r [u8]) -> Option<&'r str> {
        if bytes.len() > self.cell_limit || (self.encoding != Encoding::Utf8 && !bytes.is_ascii()) {
            return None;
        }
        std::str::from_utf8(bytes).ok()
    }

    /// A cell that is not written the plainest way: free text as it is, a multi-choice of
    /// plain spellings bit by bit, anything else by [`parse_answer`] (`None`: an error).
    fn parse_cell(&self, q: usize, bytes: &[u8], answers: &mut Answers) -> Option<Slot> {
        let question = self.scorer.questionnaire.questions.get(q)?;
        if question.kind == QuestionType::Text {
            if let Some(text) = self.text_cell(bytes) {
                let trimmed = crate::profile::trim_cell(text);
                // A text has no more characters than bytes: count them only when it might matter.
                if trimmed.len() <= self.text_limit || trimmed.chars().count() <= self.text_limit {
                    return Some(match trimmed {
                        "" => Slot::Unknown,
                        text => answers.push_text(text, Slot::Text),
                    });
                }
            }
        }
        if let (QuestionType::MultiChoice, Some(Some(words))) = (question.kind, self.words.get(q)) {
            let mut bits = 0;
            let all_plain = bytes.split(|&b| b == b';').all(|part| {
                let slot = packed(part).and_then(|word| words.get(word));
                if let Some(Slot::Multi(bit)) = slot {
                    bits |= bit;
                }
                slot.is_some()
            });
            // `none` with other values is an error, which the row parser words.
            if all_plain && !question.mixes_exclusive(bits) {
                return Some(Slot::Multi(bits));
            }
        }
        if bytes.len() > self.cell_limit {
            return None;
        }
        let text = crate::profile::rows::decode(bytes, self.encoding)?;
        match parse_answer(question, &text) {
            Ok(Some(value)) => Some(answers.slot_of(question, &value)),
            Ok(None) => Some(Slot::Unknown),
            Err(_) => None,
        }
    }

    /// The country as its code, and the answers prefill fills where unanswered; the country.
    /// `None` for a country the table does not know (the row parser explains it).
    fn prefill_country(&self, answers: &mut Answers) -> Option<Option<&'a Country>> {
        let Some(q) = self.country else {
            return Some(None);
        };
        let Some(text) = answers.text_answer(q) else {
            return Some(None);
        };
        let position = self.countries.position(text)?;
        let country = self.countries.get(position)?;
        let code = answers.push_text(&country.iso3, Slot::Text);
        answers.put(q, code, false);
        for (q, slot, text) in self.prefill.get(position)? {
            if answers.slot(*q) == Slot::Unknown {
                let slot = match slot {
                    Slot::Text(..) => answers.push_text(text, Slot::Text),
                    Slot::Items(..) => answers.push_text(text, Slot::Items),
                    other => *other,
                };
                answers.put(*q, slot, true);
            }
        }
        Some(Some(country))
    }

    /// The CSV line: id, country, program and score per rank, the reasons cell.
    fn write_row(
        &self,
        id: &str,
        country: &str,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        crate::io::csv_cell::write(out, id, true);
        out.push(b',');
        crate::io::csv_cell::write(out, country, true);
        let settings = &self.scorer.questionnaire.scoring;
        for &(_, program, points) in scratch.ranked.iter().take(self.top) {
            if let Some(cell) = self.programs.get(program) {
                cell.append_to(out);
            }
            (self.score_text).write_score(out, points, self.tenths.as_ref(), settings);
        }
        let mut value = std::mem::take(&mut scratch.value);
        out.push(b',');
        // The reasons go straight into the output, after the quote they most often need.
        let open = out.len();
        out.push(b'"');
        let mut evidence = std::mem::take(&mut scratch.evidence);
        let written = self.reasons_cell(scratch, out, &mut value, &mut evidence);
        scratch.evidence = evidence;
        scratch.value = value;
        written?;
        // The cell is one line: line breaks (ASCII, never inside a UTF-8 sequence) become
        // spaces, as they would character by character.
        if let Some(written) = out.get_mut(open + 1..) {
            if memchr::memchr2(b'\n', b'\r', written).is_some() {
                for byte in written.iter_mut().filter(|b| matches!(b, b'\n' | b'\r')) {
                    *byte = b' ';
                }
            }
        }
        // Pieces without quotes (free text aside) need no escaping.
        let answers = &scratch.answers;
        let shows_text =
            (self.text_questions.iter()).any(|&q| matches!(answers.slot(q), Slot::Text(..)));
        let plain = self.plain_reasons && !shows_text;
        self.finish_reasons_cell(out, open, plain, scratch);
        out.push(b'\n');
        Ok(())
    }

    /// Makes the reasons written at `open` (after a quote) the cell `csv_cell::write` makes.
    fn finish_reasons_cell(
        &self,
        out: &mut Vec<u8>,
        open: usize,
        plain: bool,
        scratch: &mut Scratch,
    ) {
        let reasons = out.get(open + 1..).unwrap_or(&[]);
        // Written from pieces without quotes or line breaks: the cell is quoted when it holds
        // a comma, left as is otherwise.
        if plain && !crate::io::csv_cell::starts_like_formula(reasons) {
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
        let questionnaire = self.scorer.questionnaire;
        let tabled = (self.speedups.tables.iter().flatten()).flat_map(|t| t.reasons.iter());
        let mut pieces = (self.scorer.catalog.programs.iter().map(|p| p.id.as_str()))
            .chain(questionnaire.needs.iter().map(|n| n.label.as_str()))
            .chain(questionnaire.questions.iter().map(|q| q.id.as_str()))
            .chain(
                questionnaire
                    .questions
                    .iter()
                    .flat_map(|q| &q.values)
                    .map(String::as_str),
            )
            .chain(self.countries.iter().map(|c| c.iso3.as_str()))
            .chain(self.prefill.iter().flatten().map(|(_, _, text)| &**text))
            .chain(tabled.map(String::as_str));
        pieces.all(|piece| memchr::memchr3(b'"', b'\n', b'\r', piece.as_bytes()).is_none())
    }

    /// The top programs' main reasons: `program: reason; reason | program: …`, of the first
    /// [`CELL_PROGRAMS`] programs the row shows (`--top 1`: one), never of a program it hides,
    /// nor of one that is no priority ([`in_top_three`]: it shows 0.0).
    fn reasons_cell<O: TextOut>(
        &self,
        scratch: &Scratch,
        out: &mut O,
        value: &mut String,
        evidence: &mut Vec<usize>,
    ) -> Result<()> {
        let programs = &self.scorer.catalog.programs;
        let mut first_program = true;
        let shown = scratch.ranked.iter().take(CELL_PROGRAMS.min(self.top));
        for (rank, &(_, program, points)) in (1..).zip(shown) {
            let score = crate::scoring::saturate(points, &self.scorer.questionnaire.scoring);
            let Some(opening) = programs.get(program).filter(|_| in_top_three(rank, score)) else {
                continue;
            };
            if !first_program {
                out.push_str(" | ");
            }
            first_program = false;
            out.push_str(&opening.id);
            out.push_str(": ");
            let mut shown = 0;
            self.scorer
                .contributions(&self.speedups, scratch, program, |n, _| {
                    if shown > 0 {
                        out.push_str("; ");
                    }
                    self.write_raised_reason(out, value, scratch, n, evidence);
                    shown += 1;
                    shown < CELL_REASONS
                })?;
        }
        Ok(())
    }

    /// The reason of raised need `n` of the row in `scratch`.
    fn write_raised_reason<O: TextOut>(
        &self,
        out: &mut O,
        value: &mut String,
        scratch: &Scratch,
        n: usize,
        evidence: &mut Vec<usize>,
    ) {
        let Some(raised) = scratch.raised.get(n) else {
            return;
        };
        let answers = &scratch.answers;
        if raised.text {
            let label = self
                .text_labels
                .get(raised.position)
                .map_or("", String::as_str);
            reasons::write_reason(out, value, label, self.shows(answers, &[raised.position]));
            return;
        }
        // A tabled need's reason is written in advance, unless it shows a prefilled answer
        // (marked as such).
        let typed_in = self.speedups.typed_in(raised, answers);
        match typed_in.and_then(|(table, c)| table.reasons.get(c)) {
            Some(reason) => out.push_str(reason),
            None => {
                let counted = scratch.counted(&self.speedups, n);
                self.write_need_reason(out, value, answers, raised.position, counted, evidence);
            }
        }
    }

    /// A need's reason: its label and, in brackets, the answers its counted rules read.
    fn write_need_reason<O: TextOut>(
        &self,
        out: &mut O,
        value: &mut String,
        answers: &Answers,
        need: usize,
        counted: &[usize],
        evidence: &mut Vec<usize>,
    ) {
        let triggers = self.scorer.rules.triggers(need);
        reasons::evidence_questions(triggers, counted, answers, evidence);
        let label = (self.scorer.questionnaire.needs.get(need)).map_or("", |n| n.label.as_str());
        reasons::write_reason(out, value, label, self.shows(answers, evidence));
    }

    /// The answers to `questions` as reasons show them.
    fn shows<'s>(
        &'s self,
        answers: &'s Answers,
        questions: &'s [usize],
    ) -> impl Iterator<Item = Shows<'s>> + 's {
        let all = &self.scorer.questionnaire.questions;
        questions.iter().filter_map(move |&q| {
            let question = all.get(q)?;
            let shown = answers.shown(question, q)?;
            Some((question.id.as_str(), shown, answers.is_prefilled(q)))
        })
    }
}

/// The spellings of a question's answers that read without parsing, as [`parse_answer`]
/// reads them, each with its answer; `None` for a question whose answers all need parsing
/// (numbers: digits are read as such).
fn word_table(question: &Question) -> Option<WordTable<Slot>> {
    // Values [`parse_answer`] matches after lower-casing: plain lower-case ASCII ones pack as
    // a cell of any case does.
    let values = || {
        (question.values.iter().enumerate())
            .filter(|(_, v)| v.is_ascii() && v.to_ascii_lowercase() == **v)
            .filter_map(|(i, v)| Some((i, packed(v.as_bytes())?)))
    };
    let words: Vec<(u128, Slot)> = match question.kind {
        QuestionType::Boolean => {
            let spellings = |list: &[&str], b| {
                list.iter()
                    .filter_map(move |w| Some((packed(w.as_bytes())?, Slot::Bool(b))))
                    .collect::<Vec<_>>()
            };
            [
                spellings(&crate::profile::YES, true),
                spellings(&crate::profile::NO, false),
            ]
            .concat()
        }
        QuestionType::Choice => values()
            .filter_map(|(i, word)| Some((word, Slot::Choice(u16::try_from(i).ok()?))))
            .collect(),
        QuestionType::MultiChoice if question.values.len() <= MAX_BITS => values()
            .map(|(i, word)| (word, Slot::Multi(1 << i)))
            .collect(),
        QuestionType::Scale => crate::profile::questionnaire::SCALE_POINTS
            .filter(|&n| within(question, n as f64))
            .filter_map(|n| Some((packed(n.to_string().as_bytes())?, Slot::Integer(n))))
            .collect(),
        _ => return None,
    };
    // Each spelling checked against the one parser: a table holds only what it reads the same.
    let words: Vec<(u128, Slot)> = words
        .into_iter()
        .filter(|&(word, _)| !space_at_either_end(word))
        .collect();
    WordTable::new(&words, Slot::Unknown)
}

/// Whether `n` lies within the question's bounds (as [`parse_answer`] checks them).
fn within(question: &Question, n: f64) -> bool {
    !(question.min.is_some_and(|min| n < min) || question.max.is_some_and(|max| n > max))
}

/// Whether a [`packed`] word starts or ends with white space.
fn space_at_either_end(word: u128) -> bool {
    let length = (word >> 120) as u32;
    let first = word as u8;
    let last = (word >> (8 * length.saturating_sub(1))) as u8;
    length > 0 && (is_space(&first) || is_space(&last))
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

/// Every byte of a 16-byte word holding this value.
const fn bytes_of(byte: u8) -> u128 {
    u128::from_le_bytes([byte; 16])
}

/// Per length up to 15: a mask of that many low bytes (a look-up, where a 128-bit shift by a
/// variable takes a dozen instructions).
const LOW_BYTES: [u128; 16] = {
    let mut masks = [0u128; 16];
    let mut length = 1;
    while length < 16 {
        masks[length] = (1u128 << (8 * length)) - 1;
        length += 1;
    }
    masks
};

/// Cell `range` of `all` (a record's bytes) as [`packed`] gives it, from one 16-byte read and
/// with no branch on the cell's bytes. `None` for cells it leaves to [`packed`]: empty, over
/// 15 bytes, or not ASCII. (White space at either end is kept: no table holds such a word, so
/// the cell goes on to the parser, which trims it.)
fn packed_in_place(all: &[u8], range: std::ops::Range<usize>) -> Option<u128> {
    let length = range.end.checked_sub(range.start)?;
    if length == 0 || length > 15 {
        return None;
    }
    let word = match all.get(range.start..range.start + 16) {
        Some(window) => {
            let window: &[u8; 16] = window.try_into().ok()?;
            u128::from_le_bytes(*window) & *LOW_BYTES.get(length)?
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
/// for the parser to decide.
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

mod json;
#[cfg(test)]
mod tests;
