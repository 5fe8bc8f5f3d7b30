//! The regional overview of a batch as one self-contained page, built a country at a time in
//! bounded memory: the counts and sums of its summary are kept as they come; the rows, which
//! the page shows in two orders (by region and by highest program), go through two sorters
//! ([`crate::io::external_sort`]), which spill to scratch files beside the output when large.
//! The page is written out at the end, section by section.

use super::{close_page, escape, items, one, open_page, program_heading, slugify, OVERVIEW_CSS};
use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::io::external_sort::{Key, Sorted, Sorter};
use crate::report::summary::{Summary, NO_REGION};
use crate::report::{counts, round1, Band, NotScored, SCALE};
use crate::scoring::ProgramScore;
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Memory each of the two orders holds before it spills to a scratch file.
const SORT_BUDGET: usize = 4 * 1024 * 1024;

/// What a heat map's section says when no country was scored.
const NO_MAP: &str = "<p>No country was scored, so there is no map.</p>\n";

/// One row of the regional overview: a country and its scores.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewRow {
    pub id: String,
    /// ISO3 if known.
    pub country: Option<String>,
    /// UN region if known.
    pub region: Option<String>,
    /// The country's name from the country table, if known: the heat map's label (an id may
    /// be a survey's submission UUID or a row number).
    pub name: Option<String>,
    /// Per program, in catalog order (index = position in `catalog.programs`).
    pub scores: Vec<f64>,
    /// Catalog positions of the top 3 programs, best first.
    pub top: Vec<usize>,
    /// For each top program: catalog position, and its top reasons as readable lines
    /// ("Examination backlog: patent_pendency_months = 84 (41.2 points)").
    pub reasons: Vec<(usize, Vec<String>)>,
}

impl OverviewRow {
    /// Whether the program at catalog position `p` is one of this country's top 3 with a
    /// score above 0 (a profile without gaps has no top programs).
    pub fn in_top(&self, p: usize) -> bool {
        let score = self.scores.get(p).copied().unwrap_or(0.0);
        crate::report::summary::in_top_three_of(&self.top, p, score)
    }

    /// A row from one country's ranked results (as `Scorer::score` returns them).
    pub fn from_results(
        id: &str,
        country: Option<&str>,
        region: Option<&str>,
        programs: usize,
        results: &[ProgramScore],
    ) -> OverviewRow {
        let mut ranked: Vec<&ProgramScore> = results.iter().collect();
        ranked.sort_by_key(|r| r.rank);
        let top: Vec<&ProgramScore> = ranked.into_iter().take(3).collect();
        OverviewRow {
            id: id.to_string(),
            country: country.filter(|c| !c.is_empty()).map(str::to_string),
            region: region.filter(|r| !r.is_empty()).map(str::to_string),
            name: None,
            scores: crate::report::scores_by_position(results, programs),
            top: top.iter().map(|r| r.program).collect(),
            reasons: top
                .iter()
                .map(|r| {
                    let lines = r
                        .reasons
                        .iter()
                        .filter(|x| counts(x))
                        .take(3)
                        .map(|x| {
                            format!(
                                "{}: {} ({} points)",
                                x.label,
                                crate::report::answers_text(x),
                                one(x.points)
                            )
                        })
                        .collect();
                    (r.program, lines)
                })
                .collect(),
        }
    }

    /// This row with the country's name from the country table.
    pub fn named(mut self, name: Option<&str>) -> OverviewRow {
        self.name = name.filter(|n| !n.is_empty()).map(str::to_string);
        self
    }

    /// The country's ranking as the summary reads it: (catalog position, score), its top 3
    /// first, then the other programs by score.
    fn ranking(&self) -> Vec<(usize, f64)> {
        let score = |p: usize| self.scores.get(p).copied().unwrap_or(0.0);
        let mut rest: Vec<usize> = (0..self.scores.len())
            .filter(|p| !self.top.contains(p))
            .collect();
        rest.sort_by(|&a, &b| score(b).total_cmp(&score(a)).then(a.cmp(&b)));
        (self.top.iter().chain(&rest))
            .map(|&p| (p, score(p)))
            .collect()
    }

    /// The catalog position of the highest program, when it is in the top 3 (scores above 0);
    /// `programs` when none is.
    fn highest(&self, programs: usize) -> usize {
        self.top
            .first()
            .copied()
            .filter(|&p| p < programs && self.in_top(p))
            .unwrap_or(programs)
    }
}

/// Sequential colour classes of the heat map, one per 10 points: (background, dark text?).
const HEAT: [(&str, bool); 10] = [
    ("#f7f7f2", false),
    ("#fff3c4", false),
    ("#ffe49a", false),
    ("#fecf6a", false),
    ("#fdb04b", false),
    ("#fb8c3c", false),
    ("#f0652f", false),
    // White text at least 4.5:1 on the dark classes (WCAG AA): 5.1 here.
    ("#c93a22", true),
    ("#b32424", true),
    ("#861c1c", true),
];

fn heat(score: f64) -> (&'static str, bool) {
    let class = ((round1(score) / 10.0).floor().max(0.0) as usize).min(HEAT.len() - 1);
    HEAT.get(class).copied().unwrap_or(("#ffffff", false))
}

/// The regional overview of a batch as a self-contained HTML page (in memory: for a page of
/// many countries, see [`Overview`]).
pub fn batch_overview(
    catalog: &Catalog,
    rows: &[OverviewRow],
    title: &str,
    generated_on: &str,
    reference_data: &str,
) -> Result<String> {
    let mut overview = Overview::with_budget(catalog, usize::MAX, None);
    for row in rows {
        overview.add(row)?;
    }
    let mut page = Vec::new();
    overview.finish(
        title,
        generated_on,
        reference_data,
        &NotScored::default(),
        &mut page,
    )?;
    String::from_utf8(page).map_err(|_| Error::internal("the overview page is not UTF-8"))
}

/// The overview of a batch, a country at a time: [`Overview::add`] each row in input order,
/// then [`Overview::finish`].
pub struct Overview<'c> {
    catalog: &'c Catalog,
    /// Countries by region, and per program how many have it in their top 3 and its mean:
    /// the same totals as the text summary's.
    summary: Summary,
    /// Countries per highest program (catalog position; the last: none above 0).
    highest: Vec<u64>,
    /// Whole rows, by region then id: the heat map by region and the countries' reasons.
    by_region: Sorter,
    /// Rows without reasons, by highest program then its score: the heat map by program.
    by_program: Sorter,
}

impl<'c> Overview<'c> {
    /// An overview whose rows go to scratch files beside `output` (or in the temporary
    /// directory, for standard output) once they no longer fit in a few megabytes.
    pub fn new(catalog: &'c Catalog, output: Option<&Path>) -> Overview<'c> {
        Overview::with_budget(catalog, SORT_BUDGET, output)
    }

    /// `budget`: the bytes of rows each order keeps in memory before spilling.
    pub fn with_budget(catalog: &'c Catalog, budget: usize, output: Option<&Path>) -> Overview<'c> {
        let programs = catalog.programs.len();
        Overview {
            catalog,
            summary: Summary::new(programs),
            highest: vec![0; programs + 1],
            by_region: Sorter::new(budget, output),
            by_program: Sorter::new(budget, output),
        }
    }

    /// Adds the next country (in input order).
    pub fn add(&mut self, row: &OverviewRow) -> Result<()> {
        let sequence = self.summary.countries();
        self.summary.add(row.region.as_deref(), &row.ranking());
        let programs = self.catalog.programs.len();
        let highest = row.highest(programs);
        if let Some(count) = self.highest.get_mut(highest) {
            *count += 1;
        }
        let id = row.id.to_lowercase();
        // Countries without a region last; regions, then countries by name (by id when the
        // name is not known), without regard to case; rows of one region together; then ids
        // and input order.
        let region = row.region.as_deref();
        let by_region = Key::new()
            .number(u64::from(region.is_none()))
            .text(&region.unwrap_or("").to_lowercase())
            .text(region.unwrap_or(""))
            .text(&row.name.as_deref().unwrap_or(&id).to_lowercase())
            .text(&id)
            .number(sequence);
        let mut payload = Vec::new();
        encode(row, sequence, true, &mut payload);
        self.by_region.add(&by_region, &payload)?;
        // Grouped by the highest program (none last), its score highest first, then by id.
        let score = row.scores.get(highest).copied().unwrap_or(0.0);
        let by_program = Key::new()
            .number(highest as u64)
            .float_descending(score)
            .text(&id)
            .number(sequence);
        payload.clear();
        encode(row, sequence, false, &mut payload);
        self.by_program.add(&by_program, &payload)
    }

    /// Writes the page.
    /// Writes the page; `not_scored` names the input rows it leaves out.
    pub fn finish(
        self,
        title: &str,
        generated_on: &str,
        reference_data: &str,
        not_scored: &NotScored,
        out: &mut dyn Write,
    ) -> Result<()> {
        let catalog = self.catalog;
        let mut by_region = self.by_region.finish()?;
        let mut by_program = self.by_program.finish()?;
        let mut text = open_page(title, OVERVIEW_CSS);
        text.push_str("<header>\n<p class=\"kicker\">Technical-assistance needs · WIPO Development Agenda Recommendation 10</p>\n");
        let _ = writeln!(text, "<h1>{}</h1>", escape(title));
        let rows = self.summary.countries();
        let mut parts: Vec<String> = (self.summary.known_regions())
            .map(|(region, n)| format!("{n} in {}", escape(region)))
            .collect();
        let unplaced = self.summary.countries_in(None);
        if unplaced > 0 {
            parts.push(format!("{unplaced} without a known region"));
        }
        if rows == 0 {
            text.push_str("<p class=\"lead\">No country was scored.</p>\n");
        } else {
            let _ = writeln!(
                text,
                "<p class=\"lead\">{} {} ({}), each scored on the {} programs of the catalog. {SCALE}</p>",
                rows,
                if rows == 1 { "country" } else { "countries" },
                parts.join(", "),
                catalog.programs.len()
            );
        }
        if let Some(rows) = not_scored.rows_left_out("page") {
            let _ = writeln!(
                text,
                "<p class=\"warning\"><strong>{}</strong>{}: <a href=\"#not-scored\">see which and why</a>.</p>",
                escape(&rows),
                escape(&not_scored.more_inside()),
            );
        }
        let columns = not_scored.columns_not_read.len();
        if columns > 0 {
            let _ = writeln!(
                text,
                "<p class=\"warning\"><strong>{columns} {} of the input {} named like a profile field but {} not one, and {} not read</strong>: <a href=\"#not-read\">see which</a>.</p>",
                if columns == 1 { "column" } else { "columns" },
                if columns == 1 { "is" } else { "are" },
                if columns == 1 { "is" } else { "are" },
                if columns == 1 { "was" } else { "were" },
            );
        }
        text.push_str("<nav class=\"toc\" aria-label=\"Contents\"><a href=\"#summary\">Programs across countries</a><a href=\"#by-region\">Heat map by region</a><a href=\"#by-program\">Heat map by top program</a><a href=\"#countries\">Countries and reasons</a>");
        if not_scored.total > 0 {
            text.push_str("<a href=\"#not-scored\">Rows not scored</a>");
        }
        text.push_str("</nav>\n</header>\n");
        summary_section(&mut text, catalog, &self.summary);

        // Heat map by region: region headers, countries alphabetical.
        text.push_str("<section class=\"heatmap\" id=\"by-region\">\n<h2>Heat map by region</h2>\n<p class=\"intro\">Countries grouped by UN region, by name within each; each cell is a program's score. A framed cell marked ★ is one of the country's top three programs.</p>\n");
        // No country: an empty grid with its legend would read as a map of no needs.
        if rows == 0 {
            text.push_str(NO_MAP);
        } else {
            out.write_all(text.as_bytes())?;
            text.clear();
            heat_table(out, catalog, &mut by_region, "Scores by region", |row| {
                let count = self.summary.countries_in(row.region.as_deref());
                let name = row.region.as_deref().unwrap_or(NO_REGION).to_string();
                (row.region.clone(), name, count)
            })?;
            heat_legend(&mut text, catalog);
        }
        text.push_str("</section>\n");

        // Heat map by top program: grouped by the highest-scoring program, score descending.
        text.push_str("<section class=\"heatmap\" id=\"by-program\">\n<h2>Heat map by top program</h2>\n<p class=\"intro\">The same scores, countries grouped by their highest-scoring program and sorted by that score, highest first.</p>\n");
        if rows == 0 {
            text.push_str(NO_MAP);
        } else {
            out.write_all(text.as_bytes())?;
            text.clear();
            let programs = catalog.programs.len();
            heat_table(
                out,
                catalog,
                &mut by_program,
                "Scores by top program",
                |row| {
                    let highest = row.highest(programs);
                    let name = match catalog.programs.get(highest) {
                        Some(p) => format!("Highest: {}. {}", p.number, p.short_title),
                        None => "No need raised: every program scores 0".to_string(),
                    };
                    let count = self.highest.get(highest).copied().unwrap_or(0);
                    (highest, name, count)
                },
            )?;
            heat_legend(&mut text, catalog);
        }
        text.push_str("</section>\n");

        // Countries: top three and reasons, in the order of the map by region.
        text.push_str(
            "<section id=\"countries\">\n<h2>Countries: top three programs and why</h2>\n",
        );
        out.write_all(text.as_bytes())?;
        by_region.for_each(|_, payload| {
            let (row, anchor) = decode(payload)?;
            text.clear();
            country_article(&mut text, catalog, &row, &anchor);
            out.write_all(text.as_bytes())?;
            Ok(())
        })?;
        text.clear();
        if rows == 0 {
            text.push_str("<p>No country in this batch.</p>\n");
        }
        text.push_str("</section>\n");
        not_scored_section(&mut text, not_scored);
        text.push_str("<footer>\n");
        let _ = writeln!(
            text,
            "<p>Generated on {} by ipneeds. {}</p>",
            escape(generated_on),
            escape(reference_data)
        );
        let _ = writeln!(
            text,
            "<p>Catalog: {} ({}).</p>",
            escape(&catalog.name),
            escape(catalog.origin_for_readers())
        );
        let _ = writeln!(text, "<p>{SCALE}</p>\n</footer>");
        close_page(&mut text);
        out.write_all(text.as_bytes())?;
        Ok(())
    }
}

/// The input rows the page leaves out, each with its problems.
fn not_scored_section(text: &mut String, not_scored: &NotScored) {
    if !not_scored.columns_not_read.is_empty() {
        text.push_str("<section id=\"not-read\">\n<h2>Columns not read</h2>\n<p class=\"intro\">No answer in these columns is in this page: rename each column to the field's id and run again.</p>\n<ul class=\"not-scored\">\n");
        for entry in &not_scored.columns_not_read {
            let _ = writeln!(text, "<li>{}</li>", escape(entry));
        }
        text.push_str("</ul>\n</section>\n");
    }
    if not_scored.total == 0 {
        return;
    }
    text.push_str("<section id=\"not-scored\">\n<h2>Rows not scored</h2>\n<p class=\"intro\">These rows of the input are in no table above. Fix what each message says in the input and run again; <code>--errors FILE</code> writes them as a table.</p>\n<ul class=\"not-scored\">\n");
    for entry in &not_scored.listed {
        let _ = writeln!(text, "<li>{}</li>", escape(entry));
    }
    if not_scored.unlisted() > 0 {
        let _ = writeln!(text, "<li>and {} more rows</li>", not_scored.unlisted());
    }
    text.push_str("</ul>\n</section>\n");
}

/// A country's anchor: its position in the batch (unique however ids repeat, known as the
/// row comes) and its id made safe.
fn anchor(sequence: u64, id: &str) -> String {
    format!("{}-{}", sequence + 1, slugify(id))
}

/// Per program: countries with it in their top 3, and the mean score.
fn summary_section(out: &mut String, catalog: &Catalog, summary: &Summary) {
    out.push_str("<section id=\"summary\">\n<h2>Programs across countries</h2>\n");
    if summary.countries() == 0 {
        // A mean of nothing is not 0.0: a table of zeros would read as "no need anywhere".
        out.push_str("<p>No country was scored, so there is nothing to compare.</p>\n</section>\n");
        return;
    }
    out.push_str("<p class=\"intro\">For each program: how many countries have it among their three highest, and its mean score over all countries, most frequent first (a program scoring 0 is in no country&#39;s top three).</p>\n");
    out.push_str("<table class=\"stats\">\n<thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Program</th><th scope=\"col\">In top 3 (countries)</th><th scope=\"col\">Mean score (0–100)</th></tr></thead>\n<tbody>\n");
    let order = summary.order();
    let max_count = (order.first())
        .map_or(0, |&p| summary.in_top_three(p))
        .max(1) as f64;
    for p in order {
        let Some(program) = catalog.programs.get(p) else {
            continue;
        };
        let count = summary.in_top_three(p);
        let mean = summary.mean(p);
        let _ = writeln!(
            out,
            "<tr><td class=\"num\"><strong>{}</strong></td><td>{}</td><td class=\"barcell\"><span class=\"bar top3\" style=\"width:{:.0}px\"></span>{count}</td><td class=\"barcell\"><span class=\"bar mean\" style=\"width:{:.0}px;background:{}\"></span>{}</td></tr>",
            program.number,
            escape(&program.short_title),
            (count as f64 / max_count * 140.0).max(if count > 0 { 2.0 } else { 0.0 }),
            mean.clamp(0.0, 100.0) * 1.4,
            Band::of(mean).colour(),
            one(mean)
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// The heat map table, one column per program: the rows of `sorted` in groups (consecutive
/// rows of one group; `group_of` gives a row's group, its heading and its size).
fn heat_table<G: PartialEq>(
    out: &mut dyn Write,
    catalog: &Catalog,
    sorted: &mut Sorted,
    caption: &str,
    group_of: impl Fn(&OverviewRow) -> (G, String, u64),
) -> Result<()> {
    let columns = catalog.programs.len();
    let mut text = String::new();
    let _ = write!(text, "<table class=\"heat\">\n<caption class=\"sr-only\">{}</caption>\n<thead><tr><th scope=\"col\" class=\"country\">Country</th>", escape(caption));
    for program in &catalog.programs {
        text.push_str(&program_heading(program));
    }
    text.push_str("</tr></thead>\n");
    out.write_all(text.as_bytes())?;
    let mut current: Option<G> = None;
    sorted.for_each(|_, payload| {
        let (row, anchor) = decode(payload)?;
        text.clear();
        let (group, name, members) = group_of(&row);
        if current.as_ref() != Some(&group) {
            if current.is_some() {
                text.push_str("</tbody>\n");
            }
            let _ = writeln!(text, "<tbody>\n<tr class=\"group\"><th scope=\"rowgroup\" colspan=\"{}\">{} <span class=\"muted\">({members})</span></th></tr>", columns + 1, escape(&name));
            current = Some(group);
        }
        heat_row(&mut text, catalog, &row, &anchor);
        out.write_all(text.as_bytes())?;
        Ok(())
    })?;
    text.clear();
    if current.is_some() {
        text.push_str("</tbody>\n");
    }
    text.push_str("</table>\n");
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// One country's row of a heat map.
fn heat_row(out: &mut String, catalog: &Catalog, row: &OverviewRow, anchor: &str) {
    let _ = write!(
        out,
        // `<bdi>`: an id in a right-to-left script (or with a direction mark) keeps to itself,
        // not turning the code beside it round.
        "<tr><th scope=\"row\" class=\"country\"><a href=\"#country-{anchor}\"><bdi>{}</bdi></a> ",
        escape(row.name.as_deref().unwrap_or(&row.id))
    );
    // Under the country's name, the row's id; without a name, the code as given.
    let beside = match &row.name {
        Some(_) => Some(&row.id),
        None => row.country.as_ref(),
    };
    if let Some(beside) = beside {
        let _ = write!(
            out,
            "<span class=\"iso\"><bdi>{}</bdi></span>",
            escape(beside)
        );
    }
    out.push_str("</th>");
    for (p, program) in catalog.programs.iter().enumerate() {
        let score = row.scores.get(p).copied().unwrap_or(0.0);
        let (background, dark) = heat(score);
        let mut class = String::from("h");
        if dark {
            class.push_str(" dark");
        }
        let top = row.in_top(p);
        if top {
            class.push_str(" top");
        }
        // Tenths, as everywhere else: a whole number would show 49.7 as "50" in the colour of
        // 40–50. A top-three cell says so in text too (★, as the workbook), not by its frame
        // alone, for a screen reader, a page without its style or a grey print.
        let star = if top { "★" } else { "" };
        let shown = one(score);
        let _ = write!(
            out,
            "<td class=\"{class}\" style=\"background:{background}\" title=\"{}: {}. {}: {shown}\">{star}{shown}</td>",
            escape(&row.id),
            program.number,
            escape(&program.short_title),
        );
    }
    out.push_str("</tr>\n");
}

/// One country's top three programs and their reasons.
fn country_article(out: &mut String, catalog: &Catalog, row: &OverviewRow, anchor: &str) {
    let _ = write!(
        out,
        "<article class=\"country\" id=\"country-{anchor}\">\n<h3><bdi>{}</bdi>",
        escape(&row.id)
    );
    let mut facts: Vec<String> = Vec::new();
    if let Some(country) = &row.country {
        facts.push(escape(country));
    }
    if let Some(region) = &row.region {
        facts.push(escape(region));
    }
    if !facts.is_empty() {
        let _ = write!(out, "<span class=\"iso\">{}</span>", facts.join(" · "));
    }
    out.push_str("</h3>\n");
    if !row.top.iter().any(|&p| row.in_top(p)) {
        out.push_str("<p>No need raised by the answers: every program scores 0.</p>\n");
    }
    out.push_str("<ol>\n");
    for &position in row.top.iter().filter(|&&p| row.in_top(p)) {
        let Some(program) = catalog.programs.get(position) else {
            continue;
        };
        let score = row.scores.get(position).copied().unwrap_or(0.0);
        let _ = write!(
            out,
            "<li><strong>{}. {}</strong> — {} <span class=\"muted\">({})</span>",
            program.number,
            escape(&program.short_title),
            one(score),
            Band::of(score).label()
        );
        let lines: Vec<&String> = row
            .reasons
            .iter()
            .filter(|(p, _)| *p == position)
            .flat_map(|(_, lines)| lines.iter())
            .collect();
        if lines.is_empty() {
            out.push_str("<ul><li>No need raised by the answers.</li></ul>");
        } else {
            let _ = write!(out, "<ul>{}</ul>", items(lines));
        }
        out.push_str("</li>\n");
    }
    out.push_str(
        "</ol>\n<p class=\"back\"><a href=\"#by-region\">Back to the map</a></p>\n</article>\n",
    );
}

/// The colour scale and the program numbers' titles.
fn heat_legend(out: &mut String, catalog: &Catalog) {
    out.push_str("<div class=\"scale\" aria-hidden=\"true\"><span class=\"caption\">Score</span>");
    for (n, (background, dark)) in HEAT.iter().enumerate() {
        let _ = write!(
            out,
            "<span class=\"step\" style=\"background:{background};color:{}\">{}</span>",
            if *dark { "#ffffff" } else { "#1c2430" },
            n * 10
        );
    }
    out.push_str("<span class=\"caption\" style=\"margin-left:10px\">to 100 · framed: in the country's top 3</span></div>\n");
    out.push_str("<ul class=\"programs-legend\">");
    for program in &catalog.programs {
        let _ = write!(
            out,
            "<li><b>{}</b> {}</li>",
            program.number,
            escape(&program.short_title)
        );
    }
    out.push_str("</ul>\n");
}

/// A row as a sorter's payload: its position in the batch, then its fields (the reasons only
/// when `reasons`).
fn encode(row: &OverviewRow, sequence: u64, reasons: bool, out: &mut Vec<u8>) {
    let number = |out: &mut Vec<u8>, n: u64| out.extend_from_slice(&n.to_le_bytes());
    let text = |out: &mut Vec<u8>, t: &str| {
        number(out, t.len() as u64);
        out.extend_from_slice(t.as_bytes());
    };
    let optional = |out: &mut Vec<u8>, t: Option<&str>| match t {
        Some(t) => {
            out.push(1);
            text(out, t);
        }
        None => out.push(0),
    };
    number(out, sequence);
    text(out, &row.id);
    optional(out, row.country.as_deref());
    optional(out, row.region.as_deref());
    optional(out, row.name.as_deref());
    number(out, row.scores.len() as u64);
    for score in &row.scores {
        out.extend_from_slice(&score.to_le_bytes());
    }
    number(out, row.top.len() as u64);
    for &p in &row.top {
        number(out, p as u64);
    }
    let shown: &[(usize, Vec<String>)] = if reasons { &row.reasons } else { &[] };
    number(out, shown.len() as u64);
    for (program, lines) in shown {
        number(out, *program as u64);
        number(out, lines.len() as u64);
        for line in lines {
            text(out, line);
        }
    }
}

/// A payload back as the row and its anchor.
fn decode(payload: &[u8]) -> Result<(OverviewRow, String)> {
    let mut reader = Reader(payload);
    reader.row().ok_or_else(|| {
        Error::internal(
            "a scratch file of the HTML overview changed while the run read it back (a bug, or a disk problem)",
        )
    })
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn bytes(&mut self, n: usize) -> Option<&[u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    fn number(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.number()?).ok()
    }

    fn text(&mut self) -> Option<String> {
        let n = self.count()?;
        String::from_utf8(self.bytes(n)?.to_vec()).ok()
    }

    fn optional(&mut self) -> Option<Option<String>> {
        match self.bytes(1)?.first()? {
            0 => Some(None),
            _ => Some(Some(self.text()?)),
        }
    }

    fn row(&mut self) -> Option<(OverviewRow, String)> {
        let sequence = self.number()?;
        let id = self.text()?;
        let country = self.optional()?;
        let region = self.optional()?;
        let name = self.optional()?;
        let scores = (0..self.count()?)
            .map(|_| Some(f64::from_le_bytes(self.bytes(8)?.try_into().ok()?)))
            .collect::<Option<Vec<f64>>>()?;
        let top = (0..self.count()?)
            .map(|_| self.count())
            .collect::<Option<Vec<usize>>>()?;
        let reasons = (0..self.count()?)
            .map(|_| {
                let program = self.count()?;
                let lines = (0..self.count()?)
                    .map(|_| self.text())
                    .collect::<Option<Vec<String>>>()?;
                Some((program, lines))
            })
            .collect::<Option<Vec<_>>>()?;
        let anchor = anchor(sequence, &id);
        Some((
            OverviewRow {
                id,
                country,
                region,
                name,
                scores,
                top,
                reasons,
            },
            anchor,
        ))
    }
}

#[cfg(test)]
mod tests;
