//! The cross-country picture of a batch: per program, how many countries have it in their top
//! three, and the mean score overall and by UN region. Accumulated row by row (constant memory).

use crate::catalog::Catalog;
use crate::report::style::visible_width;
use crate::report::table::Table;
use std::collections::BTreeMap;

/// Whether the program ranked `rank` (1 = first) with `score` is one of a country's top three
/// priorities. A program that shows 0.0 is no need, so it is nobody's priority, whatever its rank:
/// the text summary, the HTML overview and the workbook all count with this one rule.
pub fn in_top_three(rank: usize, score: f64) -> bool {
    (1..=3).contains(&rank) && crate::report::round1(score) > 0.0
}

/// [`in_top_three`] for the program at catalog position `program`, ranked by its place in
/// `ranking` (catalog positions, best first).
pub fn in_top_three_of(ranking: &[usize], program: usize, score: f64) -> bool {
    (ranking.iter().position(|&p| p == program)).is_some_and(|rank| in_top_three(rank + 1, score))
}

/// The group of countries without a known region (no country given, or one the country table
/// places in no region, such as Antarctica): the last column of the text summary and the last
/// group of the HTML overview's map by region.
pub(crate) const NO_REGION: &str = "No known region";

/// Running totals for the summary.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    countries: u64,
    top3: Vec<u64>,
    sums: Vec<f64>,
    /// region → (countries, score sums per program)
    regions: BTreeMap<String, (u64, Vec<f64>)>,
}

impl Summary {
    pub fn new(programs: usize) -> Summary {
        Summary {
            countries: 0,
            top3: vec![0; programs],
            sums: vec![0.0; programs],
            regions: BTreeMap::new(),
        }
    }

    /// Adds one country's ranking: (catalog position, score), best first.
    pub fn add(&mut self, region: Option<&str>, ranking: &[(usize, f64)]) {
        self.countries += 1;
        let programs = self.sums.len();
        let region = self
            .regions
            .entry(
                region
                    .filter(|r| !r.is_empty())
                    .unwrap_or(NO_REGION)
                    .to_string(),
            )
            .or_insert_with(|| (0, vec![0.0; programs]));
        region.0 += 1;
        for (rank, &(program, score)) in ranking.iter().enumerate() {
            if let Some(sum) = self.sums.get_mut(program) {
                *sum += score;
            }
            if let Some(sum) = region.1.get_mut(program) {
                *sum += score;
            }
            if in_top_three(rank + 1, score) {
                if let Some(count) = self.top3.get_mut(program) {
                    *count += 1;
                }
            }
        }
    }

    /// How many countries were added.
    pub(crate) fn countries(&self) -> u64 {
        self.countries
    }

    /// How many countries of `region` were added (`None`: those without a known region).
    pub(crate) fn countries_in(&self, region: Option<&str>) -> u64 {
        let key = region.filter(|r| !r.is_empty()).unwrap_or(NO_REGION);
        self.regions.get(key).map_or(0, |(n, _)| *n)
    }

    /// The known regions by name, each with its countries (those without one are apart:
    /// [`Summary::countries_in`] `None`).
    pub(crate) fn known_regions(&self) -> impl Iterator<Item = (&str, u64)> {
        (self.regions.iter())
            .filter(|(region, _)| region.as_str() != NO_REGION)
            .map(|(region, (n, _))| (region.as_str(), *n))
    }

    /// How many countries have the program at catalog position `program` in their top three.
    pub(crate) fn in_top_three(&self, program: usize) -> u64 {
        self.top3.get(program).copied().unwrap_or(0)
    }

    /// The program's mean score over every country (0 when there is none).
    pub(crate) fn mean(&self, program: usize) -> f64 {
        let sum = self.sums.get(program).copied().unwrap_or(0.0);
        mean(sum, self.countries)
    }

    /// Catalog positions, the programs most often in a top three first, then by mean score,
    /// then in catalog order: the order of every summary.
    pub(crate) fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.sums.len()).collect();
        order.sort_by(|&a, &b| {
            (self.in_top_three(b).cmp(&self.in_top_three(a)))
                .then_with(|| self.sums[b].total_cmp(&self.sums[a]))
                .then_with(|| a.cmp(&b))
        });
        order
    }

    /// The summary as a table, programs by how often they are in the top three.
    /// The input rows and columns left out (`not_scored`) are said under the table: a summary
    /// kept in a file would otherwise read as one of every row.
    pub fn render(&self, catalog: &Catalog, not_scored: &super::NotScored, width: usize) -> String {
        // Regions by name, and the countries without one last.
        let mut regions: Vec<&String> = self.regions.keys().collect();
        regions.sort_by_key(|r| (r.as_str() == NO_REGION, r.as_str()));
        let order: Vec<(usize, &str)> = (self.order().into_iter())
            .filter_map(|program| Some((program, catalog.programs.get(program)?.id.as_str())))
            .collect();
        // Columns after the program's: a header and one cell per program, in `order`.
        let mut columns: Vec<(String, Vec<String>)> = vec![
            (
                "in top 3".into(),
                (order.iter())
                    .map(|&(p, _)| self.in_top_three(p).to_string())
                    .collect(),
            ),
            (
                "mean".into(),
                (order.iter())
                    .map(|&(p, _)| format!("{:.1}", self.mean(p)))
                    .collect(),
            ),
        ];
        for region in &regions {
            let (n, sums) = &self.regions[*region];
            let cells = (order.iter())
                .map(|&(p, _)| format!("{:.1}", mean(sums.get(p).copied().unwrap_or(0.0), *n)));
            columns.push((format!("{region} ({n})"), cells.collect()));
        }
        let title = format!(
            "Summary of {} {}: programs by how many countries have them in their top 3; mean scores (0–100) overall and by UN region (countries in brackets).",
            self.countries,
            super::countries_word(self.countries),
        );
        let mut text = crate::report::style::wrap(&title, width).join("\n");
        text.push('\n');
        // Too many regions for the width: the columns that do not fit go into a table of their
        // own below, each row again named by its program, rather than wrap every line.
        const PROGRAM: &str = "program";
        let program_width = (order.iter())
            .map(|(_, id)| visible_width(id))
            .chain([PROGRAM.len()])
            .max()
            .unwrap_or(PROGRAM.len());
        let column_width = |(header, cells): &(String, Vec<String>)| {
            (cells.iter())
                .chain([header])
                .map(|c| visible_width(c))
                .max()
                .unwrap_or(0)
                + 2
        };
        let mut rest = columns.as_slice();
        let mut first = true;
        while !rest.is_empty() {
            let mut used = program_width;
            let fits = (rest.iter())
                .take_while(|column| {
                    used += column_width(column);
                    used <= width
                })
                .count()
                .max(1);
            let (block, after) = rest.split_at(fits.min(rest.len()));
            rest = after;
            let mut headers = vec![PROGRAM];
            headers.extend(block.iter().map(|(header, _)| header.as_str()));
            let mut table = Table::new(&headers);
            for column in 1..headers.len() {
                table = table.right_align(column);
            }
            for (row, &(_, id)) in order.iter().enumerate() {
                let mut cells = vec![id.to_string()];
                cells.extend(
                    block
                        .iter()
                        .map(|(_, c)| c.get(row).cloned().unwrap_or_default()),
                );
                table.push(cells);
            }
            if !first {
                text.push('\n');
            }
            first = false;
            text.push_str(&table.render(width));
        }
        let mut left_out = Vec::new();
        if let Some(rows) = not_scored.rows_left_out("summary") {
            left_out.push(format!(
                "{rows}{}: the run's messages name each, and --errors FILE keeps them as a table.",
                not_scored.more_inside(),
            ));
        }
        left_out.extend(
            (not_scored.columns_not_read.iter())
                .map(|column| format!("Not read, so in no score above: {column}.")),
        );
        for line in left_out {
            text.push('\n');
            text.push_str(&crate::report::style::wrap(&line, width).join("\n"));
        }
        text
    }
}

/// A mean of `n` values summing to `sum`; 0 for none.
fn mean(sum: f64, n: u64) -> f64 {
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}
