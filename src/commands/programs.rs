//! `ipneeds programs [show ID]`: the catalog, listed or one program in full.

use super::{write_json, Outcome};
use crate::catalog::{Catalog, Program};
use crate::cli::{ListFormat, ProgramsAction, ProgramsArgs};
use crate::error::Result;
use crate::io::output::Destination;
use crate::report::style::{one_line, wrap, Style};
use crate::report::table::Table;
use std::io::Write;

pub fn run(catalog: &Catalog, args: &ProgramsArgs, style: Style) -> Result<Outcome> {
    let style = args.output.as_ref().map_or(style, |_| Style::plain());
    let mut out = Destination::create(args.output.as_deref())?;
    match (&args.action, args.format) {
        (None, ListFormat::Json) => write_json(&mut out, &catalog.programs)?,
        (None, ListFormat::Table) => {
            let mut table = Table::new(&["#", "id", "program"]).right_align(0);
            for program in &catalog.programs {
                table.push(vec![
                    program.number.to_string(),
                    one_line(&program.id),
                    one_line(&program.short_title),
                ]);
            }
            write!(out, "{}", table.render(style.width))?;
        }
        (Some(ProgramsAction::Show { program }), format) => {
            let program = catalog.find(program)?;
            match format {
                ListFormat::Json => write_json(&mut out, program)?,
                ListFormat::Table => write!(out, "{}", render_program(program, style))?,
            }
        }
    }
    out.finish()?;
    Ok(Outcome::Success)
}

/// A program in full, as a reader would want it on screen.
pub fn render_program(program: &Program, style: Style) -> String {
    let width = style.width.min(100);
    let mut out = String::new();
    // A catalog's words are the user's: no control character reaches the terminal.
    let heading = format!("{}. {}", program.number, one_line(&program.title));
    for line in wrap(&heading, width) {
        out.push_str(&style.bold(&line));
        out.push('\n');
    }
    let source = if program.source.is_empty() {
        String::new()
    } else {
        format!("   source: {}", one_line(&program.source))
    };
    out.push_str(&style.dim(&format!("id: {}{source}", one_line(&program.id))));
    out.push('\n');
    let sections: [(&str, &[String]); 5] = [
        (
            "Target institutions / beneficiaries",
            &program.beneficiaries,
        ),
        ("Objectives", &program.objectives),
        ("Types of activities", &program.activities),
        ("Expected outcomes", &program.outcomes),
        ("Notes", &program.notes),
    ];
    for (title, items) in sections {
        if items.is_empty() && title == "Notes" {
            continue;
        }
        out.push('\n');
        out.push_str(&style.bold(title));
        out.push('\n');
        if items.is_empty() {
            out.push_str("  (none given in the source document)\n");
        }
        for item in items {
            for (n, line) in wrap(&one_line(item), width - 4).iter().enumerate() {
                out.push_str(if n == 0 { "  - " } else { "    " });
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}
