//! A plain text table: left-aligned columns (or right-aligned, for numbers), the last column
//! wrapped to the terminal width unless it holds numbers.

use crate::report::style::{visible_width, wrap};

/// The last column's width, at least (narrower, it goes under each row).
const MIN_LAST_WIDTH: usize = 20;
/// The last column's lines under a row, when it goes there.
const STACKED_INDENT: &str = "    ";

/// A table with a header row.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    right_aligned: Vec<usize>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            right_aligned: Vec::new(),
        }
    }

    /// Right-aligns column `index` (numbers).
    pub fn right_align(mut self, index: usize) -> Table {
        self.right_aligned.push(index);
        self
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Renders to `width` columns. Cells of the last column may hold several lines ("\n").
    pub fn render(&self, width: usize) -> String {
        let columns = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| visible_width(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns.saturating_sub(1)) {
                widths[i] = widths[i].max(visible_width(cell));
            }
        }
        let fixed: usize = widths[..columns.saturating_sub(1)]
            .iter()
            .map(|w| w + 2)
            .sum();
        // A right-aligned last column (numbers, under a header) is padded like the others, never
        // wrapped: a header broken over two lines would no longer name its column.
        let last_aligned = self
            .right_aligned
            .contains(&(columns.saturating_sub(1)))
            .then(|| {
                (self.rows.iter().map(|row| row.get(columns - 1)))
                    .chain([self.headers.get(columns - 1)])
                    .flatten()
                    .map(|cell| visible_width(cell))
                    .max()
                    .unwrap_or(0)
            });
        // Too narrow a terminal for a last column of words beside the others (fewer than 20
        // characters left: its lines would break into fragments), or for its longest word of
        // up to 30 characters (a field id such as `inter_agency_cooperation`, which would run
        // past the window's edge): it goes under each row, indented, across the width.
        let longest_word = (self.rows.iter().filter_map(|row| row.get(columns - 1)))
            .flat_map(|cell| cell.split_whitespace())
            .map(visible_width)
            .filter(|&word| word <= 30)
            .max()
            .unwrap_or(0);
        let stacked = last_aligned.is_none()
            && width.saturating_sub(fixed) < MIN_LAST_WIDTH.max(longest_word);
        let last_width = match stacked {
            true => width.saturating_sub(STACKED_INDENT.len()),
            false => width.saturating_sub(fixed),
        }
        .max(MIN_LAST_WIDTH);
        let mut out = String::new();
        // The columns before the last, each padded to its width (blank under a row's first
        // line).
        let leading = |cells: &[String], blank: bool| {
            let mut line = String::new();
            for (i, width) in widths.iter().enumerate().take(columns - 1) {
                let cell = match blank {
                    true => "",
                    false => cells.get(i).map(String::as_str).unwrap_or(""),
                };
                let pad = " ".repeat(width.saturating_sub(visible_width(cell)));
                match self.right_aligned.contains(&i) {
                    true => line.push_str(&format!("{pad}{cell}  ")),
                    false => line.push_str(&format!("{cell}{pad}  ")),
                }
            }
            line
        };
        let emit = |cells: &[String], out: &mut String| {
            let last = cells.get(columns - 1).map(String::as_str).unwrap_or("");
            let mut last_lines: Vec<String> = Vec::new();
            for paragraph in last.split('\n') {
                if last_aligned.is_some() || visible_width(paragraph) <= last_width {
                    last_lines.push(paragraph.to_string());
                } else {
                    last_lines.extend(wrap(paragraph, last_width));
                }
            }
            if stacked {
                out.push_str(leading(cells, false).trim_end());
                out.push('\n');
                for last_line in &last_lines {
                    out.push_str(format!("{STACKED_INDENT}{last_line}").trim_end());
                    out.push('\n');
                }
                return;
            }
            for (n, last_line) in last_lines.iter().enumerate() {
                let mut line = leading(cells, n > 0);
                if let Some(width) = last_aligned {
                    line.push_str(&" ".repeat(width.saturating_sub(visible_width(last_line))));
                }
                line.push_str(last_line);
                out.push_str(line.trim_end());
                out.push('\n');
            }
        };
        emit(&self.headers, &mut out);
        for row in &self.rows {
            emit(row, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests;
