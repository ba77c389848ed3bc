//! `icprules check`: applications against the rules.

use std::io::Read;
use std::path::{Path, PathBuf};

use std::sync::Arc;

use std::io::IsTerminal;

use super::{Exit, Format, emit, load_rules, print_diagnostics};
use crate::check::Program;
use crate::diagnostic::Diagnostic;
use crate::eval::{Detail, InputError, evaluate_with, read};
use crate::report;
use crate::source::{SourceFile, Sources, Span};

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 accepted, 1 rejected, 2 not a valid application (or, \
    with --batch: 2 if a line is invalid, else 1 if one is rejected).\n\nExamples:\n  \
    icprules check examples/zhejiang-enterprise.json\n  \
    icprules check --format json app.json\n  \
    icprules gen --count 1000 | icprules check --batch - --jobs 2 > results.jsonl"
)]
pub struct CheckArgs {
    /// The application, a JSON file (`-` reads standard input).
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    application: Option<PathBuf>,
    /// Check every line of a JSON Lines file (`-` reads standard input),
    /// writing one JSON result a line in input order.
    #[arg(long, value_name = "FILE.jsonl")]
    batch: Option<PathBuf>,
    /// Threads checking a batch (default: one per core).
    #[arg(long, value_name = "N", requires = "batch", value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// A folder of `.icp` rule files to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// `human` (the default) or `json` (the result format of the spec).
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

pub fn run(args: CheckArgs) -> Exit {
    let program = match load_rules(args.rules.as_ref()) {
        Ok((_, checked)) => checked.program,
        Err(exit) => return exit,
    };
    match (&args.batch, &args.application) {
        (Some(batch), _) => {
            let jobs = args.jobs.map_or_else(
                || std::thread::available_parallelism().map_or(1, usize::from),
                |n| n as usize,
            );
            super::batch::run(&program, batch, jobs)
        }
        (None, Some(path)) => run_one(&program, path, args.format),
        (None, None) => Exit::Unusable,
    }
}

fn read_text(path: &Path) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
    }
}

fn run_one(program: &Program, path: &Path, format: Format) -> Exit {
    let text = match read_text(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", path.display());
            return Exit::Unusable;
        }
    };
    let application = match read(program, &text) {
        Ok(application) => application,
        Err(e) => {
            report_invalid(path, &text, &e, format);
            return Exit::Unusable;
        }
    };
    // JSON results show no facts, so they need not be found.
    let detail = match format {
        Format::Human => Detail::Facts,
        Format::Json => Detail::Path,
    };
    let outcome = evaluate_with(program, &application, detail);
    match format {
        Format::Human => {
            // Colour only for a person at a terminal, and never under NO_COLOR.
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            emit(&report::human_styled(
                program,
                &application,
                &outcome,
                colour,
            ))
        }
        Format::Json => emit(&format!(
            "{}\n",
            report::json(program, &application, &outcome, true)
        )),
    }
    if outcome.accepted(program) {
        Exit::Ok
    } else {
        Exit::Rejected
    }
}

fn report_invalid(path: &Path, text: &str, error: &InputError, format: Format) {
    match format {
        Format::Human => {
            eprintln!("error: invalid application `{}`", path.display());
            let name = if path.as_os_str() == "-" {
                "<stdin>".to_string()
            } else {
                path.display().to_string()
            };
            let sources = Sources::new(vec![SourceFile {
                path: name,
                text: Arc::from(text),
            }]);
            let Some((line, column)) = error.line.zip(error.column) else {
                eprintln!("  × {error}");
                return;
            };
            let end = offset_of(text, line, column);
            let start = token_start(text, end);
            let message = if error.path.is_empty() {
                error.message.clone()
            } else {
                format!("`{}`: {}", error.path, error.message)
            };
            let diagnostic = Diagnostic::error(
                "invalid-application",
                message,
                Span::new(0, start, end),
                "here",
            )
            .with_help(error.help.clone());
            print_diagnostics(&[diagnostic], &sources);
        }
        Format::Json => emit(&format!("{}\n", report::json_invalid(error))),
    }
}

/// Where the JSON token that ends at `end` starts, to underline all of it.
fn token_start(text: &str, end: usize) -> usize {
    let before = &text[..end];
    if let Some(inner) = before.strip_suffix('"') {
        return inner.rfind('"').unwrap_or(end);
    }
    before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-')))
        .map_or(0, |i| i + 1)
}

/// The byte offset of serde_json's (1-based) line and column, which point
/// just past the offending value.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let line_len = text[start.min(text.len())..]
        .find('\n')
        .unwrap_or(text.len() - start.min(text.len()));
    let mut offset = (start + column.saturating_sub(1).min(line_len)).min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
