//! `ipneeds batch INPUT.csv`: many countries at once, streamed in chunks, scored in parallel,
//! written in input order.

use super::{Context, Outcome};
use crate::cli::{BatchArgs, BatchFormat};
use crate::error::Result;
use crate::io::csv_records::Record;
use crate::io::output::Destination;
use crate::profile::questionnaire::Questionnaire;
use crate::profile::rows::{problem, CsvRow, ProfileReader, RawRow};
use crate::profile::COUNTRY;
use crate::profile::{countries::Countries, date::Date};
use crate::report::summary::Summary;
use crate::scoring::{ProgramScore, Scorer};
use std::io::{IsTerminal, Write};
use std::panic::AssertUnwindSafe;
use std::path::Path;

use crate::scoring::compiled::RowScorer;
use crate::scoring::Scratch;

/// Rows a worker scores into one buffer: enough to make a task worth its scheduling, few
/// enough to keep both cores busy to the end of the file.
const BLOCK_ROWS: usize = 256;

/// Blocks read ahead of the one being written, per worker: bounds memory whatever the file's
/// size (a few megabytes per worker, see `BLOCK_BYTES`), with enough queued that no worker
/// waits for the reader.
const BLOCKS_PER_WORKER: usize = 8;

/// About the most output bytes a block holds: rows of JSON are tens of kilobytes (a CSV row
/// under one), so a block of them has fewer rows. Without this, the blocks queued held 256
/// JSON rows each and memory grew to the queue's size, 180 MiB.
const BLOCK_BYTES: usize = 512 * 1024;

/// What comes between two rows of a JSON array.
const JSON_SEPARATOR: &[u8] = b",\n";

/// Rows in the first block of a format whose rows may be large, until their size is known.
const FIRST_BLOCK_ROWS_LARGE: usize = 8;

/// Rows per block of a workbook. Its rows wait as values, not bytes, so `BLOCK_BYTES` cannot
/// size them: a few kilobytes each, 20 MB for the blocks queued at 256 rows. One thread
/// writes them, at about half a millisecond a row, so the workers stay ahead with small blocks.
const WORKBOOK_BLOCK_ROWS: usize = 32;

/// One row's outcome, computed on a worker thread. Kept small (the rare, large parts boxed):
/// a chunk holds thousands.
enum RowOutcome<'c> {
    Scored {
        region: Option<&'c str>,
        /// Each program's catalog position and score, best first (for `--summary` only).
        ranking: Option<Vec<(usize, f64)>>,
        /// The row of the HTML overview (HTML output only).
        overview: Option<Box<crate::report::html::OverviewRow>>,
        /// What the workbook shows of the row (xlsx output only).
        workbook: Option<Box<crate::report::workbook::Row>>,
        /// What the end-of-run warnings say of the row (`None`, most rows: nothing).
        notice: Option<Box<RowNotice>>,
    },
    Rejected(Box<CsvRow>),
}

/// A block as a worker sends it back: scored, or the panic that stopped it.
type ScoredBlock<'c> = std::thread::Result<Block<'c>>;

/// Consecutive rows scored by one worker: their output bytes and outcomes, in order.
#[derive(Default)]
struct Block<'c> {
    bytes: Vec<u8>,
    rows: Vec<RowOutcome<'c>>,
    /// Where the first rejected row's output would have been: what `--strict` writes of the
    /// block is the rows before it.
    first_rejected_at: Option<usize>,
}

pub fn run(context: &Context, args: &BatchArgs) -> Result<Outcome> {
    let questionnaire = context.questionnaire()?;
    let countries = context.countries()?;
    let mut inputs = context.input_files();
    inputs.push(&args.input);
    let summary_file = args.summary.as_deref().filter(|p| *p != Path::new("-"));
    crate::io::output::check_outputs(&inputs, &args.outputs())?;
    let scorer = Scorer::new(&context.catalog, &questionnaire)?;
    super::check::warn_of_needs_off_catalog(&scorer, &context.catalog, &questionnaire)?;
    let mut reader = ProfileReader::open_sheet(
        &args.input,
        args.delimiter,
        args.sheet.as_deref(),
        &questionnaire,
    )?;
    // `--as-of` gives the date for every row, over a survey export's submission dates.
    if context.settings.as_of.is_some() {
        reader.ignore_submission_dates();
    }
    // A column of that name dates the rows in any table: say so, as it changes LDC status.
    if let Some(column) = reader.dated_by() {
        stderr_line!(
            "note: each row's LDC status is as of its submission date (column `{}`); give --as-of to score every row as of one date",
            crate::io::quote::printable(column, 40)
        );
    }
    for warning in &reader.unknown_columns {
        super::warn(warning);
    }
    let programs = context.catalog.programs.len();
    let top = args.top.unwrap_or(programs).min(programs);
    let workbook = match args.format {
        BatchFormat::Xlsx => {
            refuse_workbook_on_terminal(args.output.as_deref(), WORKBOOK_NOT_TEXT)?;
            if let Some(output) = args.output.as_deref() {
                crate::report::workbook::refuse_to_replace_work(
                    output,
                    args.force,
                    &context.catalog,
                )?;
            }
            Some(crate::report::workbook::Writer::new(&context.catalog, top)?)
        }
        _ => None,
    };
    super::warn_if_open_in_a_spreadsheet(args.output.as_deref());
    let mut out = Destination::create(args.output.as_deref())?;
    out.shows_data();
    // Every output is opened before any work, so a bad path fails the run at once.
    let mut summary_out = summary_file
        .map(|path| Destination::create(Some(path)))
        .transpose()?;
    let errors = (args.errors.as_deref())
        .map(|path| ErrorsFile::create(path, args.bom))
        .transpose()?;
    let writer = RowWriter {
        format: args.format,
        top,
        catalog: &context.catalog,
        questionnaire: &questionnaire,
        detail: match args.detail {
            crate::cli::Detail::Brief => crate::report::json::Detail::Brief,
            crate::cli::Detail::Full => crate::report::json::Detail::Full,
        },
        bom: args.bom,
        ask: crate::scoring::answers::AskConditions::new(&questionnaire),
        country: questionnaire.position(COUNTRY),
    };
    writer.start(&mut out)?;
    let with_ranking = args.summary.is_some();
    let mut sink = Sink {
        out,
        errors,
        summary: Summary::new(programs),
        // The page's per-country parts go to scratch files beside the output when large.
        overview: (args.format == BatchFormat::Html)
            .then(|| crate::report::html::Overview::new(&context.catalog, args.output.as_deref())),
        workbook,
        progress: Progress::new(&args.input, context.style.moves_cursor),
        format: args.format,
        strict: args.strict,
        scored_rows: 0,
        rejected_rows: 0,
        rows_inside_rejected: 0,
        not_scored: crate::report::NotScored {
            columns_not_read: reader.misspelt_columns.clone(),
            ..Default::default()
        },
        notices: RowTally::default(),
    };
    // CSV is written by the engine compiled for this file: rows straight from their cells,
    // or, for a row with an error or a survey export's split columns, from the row parser's
    // profile (which IPNEEDS_REFERENCE_PATH=1 forces for every row, without the speed-ups, to
    // cross-check).
    // JSON and JSONL the same way, from the same compiled form (IPNEEDS_REFERENCE_PATH=1: every
    // row by the general path, which explains every program with `Reason`s). A survey export
    // whose rows carry their submission dates has no `header`: the compiled form prefills for
    // one date, so its rows come as profiles from the row parser.
    let reference_only = context.settings.reference_path;
    let header = reader.scoring_header();
    let compile = || {
        RowScorer::new(
            &scorer,
            countries,
            context.as_of,
            header.as_deref(),
            reader.encoding(),
            top,
        )
    };
    let compiled = match args.format {
        BatchFormat::Csv if reference_only && header.is_some() => {
            Some(RowScorer::reference(&scorer, countries, context.as_of, top))
        }
        BatchFormat::Csv => Some(compile()),
        BatchFormat::Json | BatchFormat::Jsonl if !reference_only => {
            Some(compile().with_json(writer.detail))
        }
        _ => None,
    };
    // A block of rows scored on a worker: each row from its cells, or else the row parser's.
    let parser = reader.parser().clone();
    let score_block = |rows: &[RawRow], scratch: &mut Scratch, bytes: Vec<u8>| {
        let mut block = Block {
            bytes,
            rows: Vec::with_capacity(rows.len()),
            first_rejected_at: None,
        };
        for raw in rows {
            // A JSON row comes after the separator from the row before; a row that is not
            // written takes it back (and the first row's is left out, see `Sink::write`).
            let mark = block.bytes.len();
            if args.format == BatchFormat::Json {
                block.bytes.extend_from_slice(JSON_SEPARATOR);
            }
            if let Some(compiled) = &compiled {
                let written = match args.format {
                    BatchFormat::Csv => compiled.write_csv_row(raw, scratch, &mut block.bytes),
                    _ => compiled.write_json_row(raw, scratch, &mut block.bytes),
                };
                if let Ok(Some(row)) = written {
                    if args.format == BatchFormat::Jsonl {
                        block.bytes.push(b'\n');
                    }
                    block.rows.push(RowOutcome::Scored {
                        region: row.region,
                        ranking: with_ranking.then(|| compiled.ranking(scratch)),
                        overview: None,
                        workbook: None,
                        notice: writer.notice(&scratch.answers, raw.line),
                    });
                    continue;
                }
            }
            let row = parser.parse(raw);
            let as_of = row.submitted.unwrap_or(context.as_of);
            let outcome = score_row(
                row,
                &scorer,
                countries,
                as_of,
                &writer,
                (compiled.as_ref(), with_ranking),
                scratch,
                &mut block.bytes,
            );
            if let RowOutcome::Rejected(_) = outcome {
                block.bytes.truncate(mark);
                block.first_rejected_at.get_or_insert(mark);
            }
            block.rows.push(outcome);
        }
        block
    };
    // Rows in the first block, and at most in any.
    let block_rows = match args.format {
        BatchFormat::Json | BatchFormat::Jsonl => (FIRST_BLOCK_ROWS_LARGE, BLOCK_ROWS),
        BatchFormat::Csv | BatchFormat::Html => (BLOCK_ROWS, BLOCK_ROWS),
        BatchFormat::Xlsx => (WORKBOOK_BLOCK_ROWS, WORKBOOK_BLOCK_ROWS),
    };
    let stopped = score_in_order(&mut reader, &mut sink, &score_block, block_rows)?;
    if stopped {
        sink.progress.finish();
        // The errors file keeps the row that stopped the run; dropping the output without
        // finishing it discards its temporary file.
        let errors = sink.errors.take();
        drop(sink);
        let kept = match (errors, &args.errors) {
            (Some(errors), Some(path)) => {
                errors.finish()?;
                format!(" (the bad row is listed in {})", path.display())
            }
            _ => String::new(),
        };
        // A file is left as it was; standard output has already taken what came before.
        let [output, _, summary] = args.outputs();
        let files: Vec<String> = [output.filter(|o| *o != Path::new("-")), summary]
            .into_iter()
            .flatten()
            .map(|path| path.display().to_string())
            .collect();
        let written = match (files.as_slice(), output == Some(Path::new("-"))) {
            ([], _) => "the output above is incomplete: write to a file with -o to keep nothing of a run that stops".to_string(),
            ([summary], true) => format!("the output above is incomplete, and {summary} was not written"),
            ([one], false) => format!("{one} was not written"),
            (many, _) => format!("{} were not written", many.join(" and ")),
        };
        stderr_line!("--strict: stopped at the first bad row; {written}{kept}");
        return Ok(Outcome::SomeRejected);
    }
    let Sink {
        mut out,
        errors,
        summary,
        overview,
        workbook,
        progress,
        scored_rows,
        rejected_rows,
        rows_inside_rejected,
        not_scored,
        notices,
        ..
    } = sink;
    progress.finish();
    for warning in notices.warnings(&questionnaire, &parser) {
        super::warn(&warning);
    }
    if let Some(overview) = overview {
        let title = format!(
            "Technical-assistance needs of {scored_rows} {}",
            crate::report::countries_word(scored_rows)
        );
        let reference_data =
            crate::report::reference_data(&context.as_of.to_string(), Some(countries));
        overview.finish(
            &title,
            &Date::today().to_string(),
            &reference_data,
            &not_scored,
            &mut out,
        )?;
    }
    if let Some(workbook) = workbook {
        // A workbook's sheet is named: another of its sheets may hold other profiles.
        let input = match parser.sheet_name() {
            Some(sheet) => format!("{}, sheet `{sheet}`", args.input.display()),
            None => args.input.display().to_string(),
        };
        let about = crate::report::workbook::About {
            input: &input,
            as_of: context.as_of.to_string(),
            countries: countries.origin_for_readers(),
            questionnaire_id: &questionnaire.id,
            questionnaire_version: &questionnaire.version,
            scored: scored_rows,
            not_scored: &not_scored,
        };
        workbook.finish(&about, &mut out)?;
    }
    writer.end(&mut out, scored_rows == 0)?;
    // The results, the errors and the summary are committed together: an interrupted run
    // leaves all three old or all three new.
    let mut outputs = vec![out];
    outputs.extend(errors.map(|errors| errors.destination));
    let summary_text = args
        .summary
        .is_some()
        .then(|| summary.render(&context.catalog, &not_scored, context.style.width));
    if let (Some(mut file), Some(text)) = (summary_out.take(), &summary_text) {
        file.write_all(text.as_bytes())?;
        outputs.push(file);
    }
    crate::io::output::commit(outputs)?;
    if let (None, Some(text)) = (summary_file, &summary_text) {
        stderr_line!("\n{text}");
    }
    // Rows lost inside a rejected row's quotes are counted, not hidden in its message.
    let lost = match rows_inside_rejected {
        0 => String::new(),
        n => format!("; the rejected rows hold lines that look like {n} more row(s), not scored: check the quotes the messages name"),
    };
    // A column of answers not read fails the run as a rejected row does: its answers are lost.
    let columns_not_read = match not_scored.columns_not_read.len() {
        0 => String::new(),
        n => format!(
            "; {n} column(s) named like a field were not read (see the warnings above): rename them to the field ids"
        ),
    };
    stderr_line!(
        "{scored_rows} row(s) scored, {rejected_rows} rejected{lost}{}{columns_not_read}",
        if rejected_rows > 0 && args.errors.is_none() {
            " (use --errors FILE to keep the list)"
        } else {
            ""
        }
    );
    Ok(
        if rejected_rows > 0 || !not_scored.columns_not_read.is_empty() {
            Outcome::SomeRejected
        } else {
            Outcome::Success
        },
    )
}

/// Reads `reader` in blocks, scores each on the workers with `score_block` and writes the
/// scored blocks to `sink` in input order; `true` when `--strict` stopped at a rejected row.
///
/// A pipeline without pauses: this thread reads blocks of rows and hands each to the
/// workers as soon as it is read, then writes the scored blocks back in input order as they
/// come in. The workers never wait for a whole chunk to finish: a pause at every chunk (the
/// slowest block's tail, waking the workers again) cost a sixth of the run on two cores.
fn score_in_order<'c, F>(
    reader: &mut ProfileReader,
    sink: &mut Sink<'_>,
    score_block: &F,
    (first_block_rows, most_block_rows): (usize, usize),
) -> Result<bool>
where
    F: Fn(&[RawRow], &mut Scratch, Vec<u8>) -> Block<'c> + Sync,
{
    // One scratch per worker for the whole run: its buffers and its memo of free-text words
    // live as long as the worker.
    let scratches: Vec<std::sync::Mutex<Scratch>> = (0..=rayon::current_num_threads())
        .map(|_| std::sync::Mutex::new(Scratch::default()))
        .collect();
    // Blocks scored and not yet written: bounds memory whatever the file's size, and keeps
    // enough work queued that no worker waits for the reader.
    let in_flight_limit = BLOCKS_PER_WORKER * rayon::current_num_threads().max(1);
    let (done_sender, done) = std::sync::mpsc::channel::<(u64, Vec<RawRow>, ScoredBlock)>();
    // Row and output buffers go round between this thread and the workers instead of being
    // freed.
    let mut spare_rows: Vec<Vec<RawRow>> = Vec::new();
    let mut spare_bytes: Vec<Vec<u8>> = Vec::new();
    // Scored blocks that arrived before the ones ahead of them, by sequence number.
    let mut waiting: std::collections::VecDeque<Option<(Vec<RawRow>, Block)>> =
        std::collections::VecDeque::new();
    let (mut next_to_read, mut next_to_write, mut received) = (0u64, 0u64, 0u64);
    let tally = Tally::default();
    let mut stopped = false;
    let mut failure: Option<crate::error::Error> = None;
    let mut end_of_input = false;
    // Rows per block, from the output bytes of the rows written so far (see BLOCK_BYTES).
    let mut block_rows = first_block_rows.clamp(1, most_block_rows);
    rayon::in_place_scope(|scope| {
        loop {
            while !end_of_input && !stopped && failure.is_none() {
                if next_to_read - next_to_write >= in_flight_limit as u64 {
                    break;
                }
                let mut rows = spare_rows.pop().unwrap_or_default();
                match read_block(reader, &mut rows, block_rows) {
                    Ok(0) => end_of_input = true,
                    Ok(filled) => {
                        let sequence = next_to_read;
                        next_to_read += 1;
                        let (done_sender, scratches, score_block, tally) =
                            (done_sender.clone(), &scratches, &score_block, &tally);
                        let bytes = spare_bytes.pop().unwrap_or_default();
                        scope.spawn(move |_| {
                            let worker = rayon::current_thread_index()
                                .unwrap_or(scratches.len().saturating_sub(1));
                            let mut guard = scratches.get(worker).and_then(|slot| slot.lock().ok());
                            let mut fresh = Scratch::default();
                            let scratch = guard.as_deref_mut().unwrap_or(&mut fresh);
                            // A panic (a bug) is sent on as the block's outcome: this thread
                            // waits for every block, and would wait forever for a lost one.
                            let block = std::panic::catch_unwind(AssertUnwindSafe(|| {
                                score_block(rows.get(..filled).unwrap_or(&[]), scratch, bytes)
                            }));
                            // The receiver outlives the scope, so sending cannot fail.
                            let _ = done_sender.send((sequence, rows, block));
                            tally.add_one();
                        });
                    }
                    Err(error) => failure = Some(error),
                }
            }
            if next_to_write == next_to_read {
                break;
            }
            // Every block spawned sends once, then counts itself in the tally: waiting for a
            // count of blocks, this thread wakes once for a batch of them.
            let (sequence, rows, block) = match done.try_recv() {
                Ok(message) => message,
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    let outstanding = next_to_read - received;
                    tally.wait_for(received + outstanding.min(in_flight_limit as u64 / 2).max(1));
                    continue;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => break,
            };
            received += 1;
            let block = block.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            let place = (sequence - next_to_write) as usize;
            if waiting.len() <= place {
                waiting.resize_with(place + 1, || None);
            }
            if let Some(slot) = waiting.get_mut(place) {
                *slot = Some((rows, block));
            }
            while let Some(Some((rows, mut block))) = waiting.front_mut().map(Option::take) {
                waiting.pop_front();
                next_to_write += 1;
                if let Some(per_row) = block.bytes.len().checked_div(block.rows.len()) {
                    block_rows = (BLOCK_BYTES / per_row.max(1)).clamp(1, most_block_rows);
                }
                if !stopped && failure.is_none() {
                    match sink.write(&mut block) {
                        Ok(stop) => stopped = stop,
                        Err(error) => failure = Some(error),
                    }
                    sink.progress.update(
                        sink.scored_rows + sink.rejected_rows,
                        reader.byte_position(),
                    );
                }
                block.bytes.clear();
                // A buffer that grew for an unusual block (long free text) is not kept at
                // that size.
                block.bytes.shrink_to(2 * BLOCK_BYTES);
                spare_bytes.push(block.bytes);
                spare_rows.push(rows);
            }
        }
    });
    match failure {
        Some(error) => Err(error),
        None => Ok(stopped),
    }
}

impl BatchArgs {
    /// The files the run writes, as [`crate::io::output::check_outputs`] takes them: the results
    /// and the rejected rows (`-`: standard output), and the summary (its `-` is standard error,
    /// which holds no file).
    pub(super) fn outputs(&self) -> [Option<&Path>; 3] {
        [
            Some(super::standard_or(&self.output)),
            self.errors.as_deref(),
            (self.summary.as_deref()).filter(|p| *p != Path::new("-")),
        ]
    }
}

/// What a scored row gives the end-of-run warnings: the answers the interview would not have
/// asked beside the others (question positions), and whether it answers nothing of its own.
#[derive(Debug)]
pub(super) struct RowNotice {
    line: u64,
    unasked: Vec<usize>,
    without_answers: bool,
}

impl RowNotice {
    /// The notice of the row starting at `line` with `answers`, if it has anything to say.
    pub(super) fn of(
        answers: &crate::scoring::Answers,
        line: u64,
        ask: &crate::scoring::answers::AskConditions,
        country: Option<usize>,
    ) -> Option<Box<RowNotice>> {
        let unasked: Vec<usize> = ask.unasked(answers).collect();
        let without_answers = !answers.has_own_answer_besides(country);
        (!unasked.is_empty() || without_answers).then(|| {
            Box::new(RowNotice {
                line,
                unasked,
                without_answers,
            })
        })
    }
}

/// The rows' notices tallied over a table: one warning a kind (a row without answers, a
/// question answered unasked), naming the first row, not one a row (a table may hold
/// thousands).
#[derive(Debug, Default)]
pub(super) struct RowTally {
    /// Question position → rows answering it unasked, and the first one's line.
    unasked: std::collections::BTreeMap<usize, (u64, u64)>,
    /// Rows without answers of their own, and the first one's line.
    without_answers: Option<(u64, u64)>,
}

impl RowTally {
    pub(super) fn add(&mut self, notice: &RowNotice) {
        for &q in &notice.unasked {
            let (rows, _) = self.unasked.entry(q).or_insert((0, notice.line));
            *rows += 1;
        }
        if notice.without_answers {
            let (rows, _) = self.without_answers.get_or_insert((0, notice.line));
            *rows += 1;
        }
    }

    /// The warnings: rows without answers first, then questions answered unasked in the
    /// questionnaire's order, each at its first row (or cell).
    pub(super) fn warnings(
        &self,
        questionnaire: &Questionnaire,
        parser: &crate::profile::rows::RowParser,
    ) -> Vec<String> {
        let more = |rows: u64| match rows - 1 {
            0 => String::new(),
            1 => " here and in 1 more row".to_string(),
            n => format!(" here and in {n} more rows"),
        };
        let without_answers = self.without_answers.map(|(rows, line)| {
            let at = parser.row_location(line);
            match rows - 1 {
                0 => format!("{at}: this row answers no question besides the country, so its scores come only from what the country table fills in: fill in its answers, or remove the row"),
                n => format!("{at}: this row and {n} more answer no question besides the country, so their scores come only from what the country table fills in: fill in their answers, or remove the rows"),
            }
        });
        let unasked = (self.unasked.iter())
            .filter_map(|(&q, &(rows, line))| {
                let question = questionnaire.questions.get(q)?;
                let more = more(rows);
                Some(format!(
                    "{}: `{}` is answered{more}, but the interview asks it only when {}: check which answer is right (it is scored as given)",
                    parser.cell_location(line, &question.id),
                    question.id,
                    question.asked_when(),
                ))
            });
        without_answers.into_iter().chain(unasked).collect()
    }
}

/// Where scored rows go, in input order: the output, the errors file, the summary, the
/// overview, the counts.
struct Sink<'a> {
    out: Destination,
    errors: Option<ErrorsFile>,
    summary: Summary,
    /// The HTML overview, a country at a time (HTML output only).
    overview: Option<crate::report::html::Overview<'a>>,
    /// The workbook, a country at a time (xlsx output only).
    workbook: Option<crate::report::workbook::Writer<'a>>,
    progress: Progress,
    format: BatchFormat,
    strict: bool,
    scored_rows: u64,
    rejected_rows: u64,
    /// Lines that look like rows inside the rejected rows' quoted cells.
    rows_inside_rejected: u64,
    /// The rejected rows, for the page and the workbook.
    not_scored: crate::report::NotScored,
    notices: RowTally,
}

impl Sink<'_> {
    /// Writes a scored block (the next in input order); `true` when `--strict` stops at a
    /// rejected row, after the rows before it. The block's rows are taken; its bytes are left
    /// for reuse.
    fn write(&mut self, block: &mut Block) -> Result<bool> {
        let first_rows = self.scored_rows == 0;
        let mut stopped = false;
        for outcome in std::mem::take(&mut block.rows) {
            match outcome {
                RowOutcome::Scored {
                    region,
                    ranking,
                    overview,
                    workbook,
                    notice,
                } => {
                    if let Some(notice) = notice {
                        self.notices.add(&notice);
                    }
                    if let Some(ranking) = ranking {
                        self.summary.add(region, &ranking);
                    }
                    if let (Some(page), Some(row)) = (&mut self.overview, overview) {
                        page.add(&row)?;
                    }
                    if let (Some(book), Some(row)) = (&mut self.workbook, workbook) {
                        book.add(&row)?;
                    }
                    self.scored_rows += 1;
                }
                RowOutcome::Rejected(row) => {
                    self.rejected_rows += 1;
                    self.rows_inside_rejected += u64::from(row.rows_inside);
                    // For the reports that say what they leave out (at most 100 named).
                    self.not_scored
                        .add(row.row, &row.id, &row.problems, row.rows_inside);
                    // An id is the user's text: one of 40,000 characters is not repeated whole.
                    // An id that is the row's number (no id column) is not said twice.
                    let id = match row.id == row.row.to_string() {
                        true => String::new(),
                        false => format!(" ({})", crate::io::quote::shorten(&row.id)),
                    };
                    for problem in &row.problems {
                        (self.progress)
                            .println(&format!("rejected row {}{id}: {problem}", row.row));
                    }
                    if let Some(errors) = &mut self.errors {
                        errors.write(&row)?;
                    }
                    if self.strict {
                        stopped = true;
                        break;
                    }
                }
            }
        }
        // Every JSON row starts with the separator from the row before: the output's first
        // row without it.
        let skip = match self.format {
            BatchFormat::Json if first_rows && self.scored_rows > 0 => JSON_SEPARATOR.len(),
            _ => 0,
        };
        let end = match stopped {
            true => block.first_rejected_at.unwrap_or(0),
            false => block.bytes.len(),
        };
        self.out
            .write_all(block.bytes.get(skip..end).unwrap_or(&[]))?;
        Ok(stopped)
    }
}

/// Blocks scored so far, and a bell the writing thread waits on. The workers ring it only once
/// the count it waits for is reached: the writer then wakes once for a batch of blocks, not for
/// each (a wake-up is two context switches, and there are thousands of blocks).
#[derive(Default)]
struct Tally {
    /// (blocks scored, the count the writer waits for)
    counts: std::sync::Mutex<(u64, u64)>,
    bell: std::sync::Condvar,
}

impl Tally {
    fn add_one(&self) {
        if let Ok(mut counts) = self.counts.lock() {
            counts.0 += 1;
            if counts.0 >= counts.1 {
                self.bell.notify_one();
            }
        }
    }

    /// Waits until `count` blocks in all are scored.
    fn wait_for(&self, count: u64) {
        let Ok(mut counts) = self.counts.lock() else {
            return;
        };
        counts.1 = count;
        while counts.0 < count {
            match self.bell.wait(counts) {
                Ok(woken) => counts = woken,
                Err(_) => return,
            }
        }
    }
}

/// Reads up to `limit` rows into `chunk`, reusing its records' memory; how many.
fn read_block(reader: &mut ProfileReader, chunk: &mut Vec<RawRow>, limit: usize) -> Result<usize> {
    let mut filled = 0;
    while filled < limit {
        if filled == chunk.len() {
            // Room for twice the row before: a record then rarely grows later in the run, so
            // memory stays the same from the first chunks to the millionth row.
            let (bytes, fields) = chunk.last().map_or((256, 32), |raw| {
                (raw.record.as_slice().len(), raw.record.len())
            });
            chunk.push(RawRow {
                record: Record::with_capacity(2 * bytes.max(64), fields.max(1) + 1),
                ..RawRow::default()
            });
        }
        let Some(raw) = chunk.get_mut(filled) else {
            break;
        };
        let more = reader.read_raw(raw)?;
        for warning in reader.take_warnings() {
            super::warn(&warning);
        }
        if !more {
            break;
        }
        filled += 1;
    }
    Ok(filled)
}

/// Prefills, scores and formats one parsed row (its output appended to `bytes`; CSV, JSON and
/// JSONL by the compiled writer `compiled`); a row with problems comes back rejected.
#[allow(clippy::too_many_arguments)]
fn score_row<'c>(
    mut row: CsvRow,
    scorer: &Scorer,
    countries: &'c Countries,
    as_of: Date,
    writer: &RowWriter,
    (compiled, with_ranking): (Option<&RowScorer>, bool),
    scratch: &mut Scratch,
    bytes: &mut Vec<u8>,
) -> RowOutcome<'c> {
    // The country found by prefill also gives the region for the summary: one lookup a row.
    let found = match row.profile.prefill(scorer.questionnaire, countries, as_of) {
        Ok(country) => country,
        Err(message) => {
            let location = row.country_location.clone();
            let problem = row.profile.country_problem(location, message);
            row.problems.push(problem);
            None
        }
    };
    let region = found.map(|c| c.region.as_str());
    let country = row
        .profile
        .get(crate::profile::COUNTRY)
        .map(|v| v.to_text())
        .unwrap_or_default();
    if writer.format == BatchFormat::Xlsx {
        refuse_long_cells(&mut row, &country);
    }
    if !row.problems.is_empty() {
        return RowOutcome::Rejected(Box::new(row));
    }
    if let Some(compiled) = compiled {
        let written = match writer.format {
            BatchFormat::Csv => compiled.write_profile_row(&row.id, &row.profile, scratch, bytes),
            _ => compiled.write_json_profile_row(row.row, &row.id, &row.profile, scratch, bytes),
        };
        if let Err(error) = written {
            return reject(row, &error);
        }
        if writer.format == BatchFormat::Jsonl {
            bytes.push(b'\n');
        }
        return RowOutcome::Scored {
            region,
            ranking: with_ranking.then(|| compiled.ranking(scratch)),
            overview: None,
            workbook: None,
            // The compiled form scored the profile's answers, in `scratch`.
            notice: writer.notice(&scratch.answers, row.line),
        };
    }
    // CSV shows the reasons of the top three programs; JSON and the workbook every program
    // they list (`--top`), with the catalog lines.
    let (explain, reasons, snippets) = match writer.format {
        // (CSV comes here only with `compiled` set, above; JSON without it only for
        // IPNEEDS_REFERENCE_PATH.)
        BatchFormat::Csv | BatchFormat::Html => (3, 3, false),
        BatchFormat::Jsonl | BatchFormat::Json => (writer.top, usize::MAX, true),
        BatchFormat::Xlsx => (writer.top, usize::MAX, true),
    };
    match scorer.score_with(&row.profile, scratch, explain, reasons, snippets) {
        Ok(results) => {
            writer.format_row(&row, &country, &results, bytes);
            let overview = (writer.format == BatchFormat::Html).then(|| {
                Box::new(
                    crate::report::html::OverviewRow::from_results(
                        &row.id,
                        (!country.is_empty()).then_some(country.as_str()),
                        region,
                        writer.catalog.programs.len(),
                        &results,
                    )
                    .named(found.map(|c| c.name.as_str())),
                )
            });
            let workbook = (writer.format == BatchFormat::Xlsx).then(|| {
                Box::new(
                    crate::report::workbook::Row::new(
                        &row.id,
                        &country,
                        region.unwrap_or(""),
                        &results,
                        writer.top,
                    )
                    .named(found.map(|c| c.name.as_str())),
                )
            });
            // The row and its reasons are freed here, on the worker that made them: freeing
            // them on the writing thread would serialise the allocator's work.
            let ranking =
                with_ranking.then(|| results.iter().map(|r| (r.program, r.score)).collect());
            RowOutcome::Scored {
                region,
                ranking,
                overview,
                workbook,
                // `score_with` left the profile's answers in `scratch`.
                notice: writer.notice(&scratch.answers, row.line),
            }
        }
        Err(error) => reject(row, &error),
    }
}

/// A row that could not be scored (an index failure).
fn reject<'c>(mut row: CsvRow, error: &crate::error::Error) -> RowOutcome<'c> {
    let problem = problem(row.location.clone(), "", String::new(), error.to_string());
    row.problems.push(problem);
    RowOutcome::Rejected(Box::new(row))
}

/// Formats scored rows in the chosen format (shared by the worker threads).
struct RowWriter<'a> {
    format: BatchFormat,
    top: usize,
    catalog: &'a crate::catalog::Catalog,
    questionnaire: &'a Questionnaire,
    detail: crate::report::json::Detail,
    /// CSV: a UTF-8 byte order mark first (`--bom`), for Excel.
    bom: bool,
    ask: crate::scoring::answers::AskConditions,
    /// The country question's position.
    country: Option<usize>,
}

impl RowWriter<'_> {
    /// What the warnings say of a row starting at `line` with `answers`.
    fn notice(&self, answers: &crate::scoring::Answers, line: u64) -> Option<Box<RowNotice>> {
        RowNotice::of(answers, line, &self.ask, self.country)
    }

    fn start(&self, out: &mut Destination) -> Result<()> {
        match self.format {
            BatchFormat::Csv => {
                if self.bom {
                    out.write_all(crate::io::csv_cell::BYTE_ORDER_MARK)?;
                }
                let mut header = vec!["id".to_string(), COUNTRY.to_string()];
                for rank in 1..=self.top {
                    header.push(format!("rank{rank}_program"));
                    header.push(format!("rank{rank}_score"));
                }
                header.push("top_reasons".to_string());
                let mut line = Vec::new();
                crate::io::csv_cell::write_record(&mut line, &header);
                out.write_all(&line)?;
            }
            BatchFormat::Json => out.write_all(b"[\n")?,
            // The page and the workbook are written whole at the end.
            BatchFormat::Jsonl | BatchFormat::Html | BatchFormat::Xlsx => {}
        }
        Ok(())
    }

    /// Appends one row's JSON (without the separator a JSON array needs between rows): CSV is
    /// written by the compiled writer; the HTML page and the workbook whole at the end.
    fn format_row(
        &self,
        row: &CsvRow,
        country: &str,
        results: &[ProgramScore],
        bytes: &mut Vec<u8>,
    ) {
        if !matches!(self.format, BatchFormat::Jsonl | BatchFormat::Json) {
            return;
        }
        crate::report::json::BatchRow {
            row: row.row,
            id: &row.id,
            country: Some(country),
            profile: &row.profile,
            questionnaire: self.questionnaire,
            catalog: self.catalog,
            results,
            top: self.top,
            detail: self.detail,
        }
        .write(bytes);
        if self.format == BatchFormat::Jsonl {
            bytes.push(b'\n');
        }
    }

    fn end(&self, out: &mut Destination, empty: bool) -> Result<()> {
        if self.format == BatchFormat::Json {
            out.write_all(if empty { b"]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

/// A workbook is not text: refused on a terminal before any work, with `message`.
pub(crate) fn refuse_workbook_on_terminal(output: Option<&Path>, message: &str) -> Result<()> {
    let to_stdout = output.is_none_or(|p| p == Path::new("-"));
    if to_stdout && std::io::stdout().is_terminal() {
        return Err(crate::Error::usage(message));
    }
    Ok(())
}

/// What [`refuse_workbook_on_terminal`] says of a report workbook.
pub(crate) const WORKBOOK_NOT_TEXT: &str = "a workbook is not text: write it to a file with `-o results.xlsx` (or choose --format csv to read the results here)";

/// An id or country longer than a workbook cell holds makes its row a bad row.
fn refuse_long_cells(row: &mut CsvRow, country: &str) {
    for (column, text) in [("id", row.id.as_str()), (COUNTRY, country)] {
        if !crate::report::workbook::fits_in_cell(text) {
            let location = format!("{}: column `{column}`", row.location);
            let value = text.chars().take(40).chain("…".chars()).collect();
            let message = format!(
                "`{column}` has {} characters, more than the {} a workbook cell holds: shorten it, or use --format csv",
                text.chars().count(),
                crate::io::limits::WORKSHEET_CELL_CHARS
            );
            row.problems.push(problem(location, column, value, message));
        }
    }
}

/// The `--errors` CSV: row, id, column, value, message.
struct ErrorsFile {
    destination: Destination,
}

impl ErrorsFile {
    fn create(path: &Path, bom: bool) -> Result<ErrorsFile> {
        let mut destination = Destination::create(Some(path))?;
        let mut header = Vec::new();
        if bom {
            header.extend_from_slice(crate::io::csv_cell::BYTE_ORDER_MARK);
        }
        crate::io::csv_cell::write_record(
            &mut header,
            // `location` last, so a script reading the first five columns reads them still.
            &["row", "id", "column", "value", "message", "location"].map(String::from),
        );
        destination.write_all(&header)?;
        Ok(ErrorsFile { destination })
    }

    fn write(&mut self, row: &CsvRow) -> Result<()> {
        for problem in &row.problems {
            let safe = |text: &str| crate::io::csv_cell::safe(text).into_owned();
            let cells = [
                row.row.to_string(),
                safe(&row.id),
                safe(&problem.field),
                safe(&problem.value),
                safe(&problem.message),
                // The file's line or the sheet's cell: `row` counts rows of data only.
                safe(&problem.location),
            ];
            let mut line = Vec::new();
            crate::io::csv_cell::write_record(&mut line, &cells);
            self.destination.write_all(&line)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        self.destination.finish()
    }
}

/// A progress bar on stderr, only when it is a terminal that can redraw a line.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(input: &Path, moves_cursor: bool) -> Progress {
        if !std::io::stderr().is_terminal() || !moves_cursor {
            return Progress { bar: None };
        }
        let size = std::fs::metadata(input)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let bar = match size {
            Some(bytes) => {
                let bar = indicatif::ProgressBar::new(bytes);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:30} {percent:>3}% {msg} · {binary_bytes_per_sec} · {eta} left",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar
            }
            None => indicatif::ProgressBar::new_spinner(),
        };
        Progress { bar: Some(bar) }
    }

    fn update(&self, rows: u64, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(bytes);
            bar.set_message(format!("{rows} rows"));
        }
    }

    fn println(&self, text: &str) {
        let print = || stderr_line!("{}", crate::io::quote::sanitize(text));
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
