//! `icprules check`: applications against the rules.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use super::{Exit, Format, LangArg, emit, load_rules};
use crate::check::Program;
use crate::eval::{Detail, evaluate_with, read_bytes};
use crate::report;

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 accepted, 1 rejected, 2 not a valid application (or, \
    with --batch: 2 if a line is invalid, else 1 if one is rejected).\n\nExamples:\n  \
    icprules check examples/zhejiang-enterprise.json\n  \
    icprules check --format json app.json\n  \
    icprules check --lang zh app.json        # the report in Chinese\n  \
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
    #[command(flatten)]
    lang: LangArg,
}

pub fn run(args: CheckArgs) -> Exit {
    let program = match load_rules(args.rules.as_ref()) {
        Ok((_, checked)) => checked.program.in_language(args.lang.get()),
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

/// The most of an application file that is read: applications are a few
/// kilobytes, and without a bound `icprules check /dev/zero` would read
/// until memory runs out.
const MAX_APPLICATION_BYTES: u64 = 1 << 30;

fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let source: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path)?)
    };
    let mut bytes = Vec::new();
    source
        .take(MAX_APPLICATION_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_APPLICATION_BYTES {
        return Err(std::io::Error::other(format!(
            "it is larger than {} MiB, which no application is",
            MAX_APPLICATION_BYTES >> 20
        )));
    }
    Ok(bytes)
}

fn run_one(program: &Program, path: &Path, format: Format) -> Exit {
    let bytes = match read_file(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            sayln!("error: cannot read `{}`: {e}", path.display());
            return Exit::Unusable;
        }
    };
    let application = match read_bytes(program, &bytes) {
        Ok(application) => application,
        Err(e) => {
            match format {
                Format::Human => {
                    let name = if path.as_os_str() == "-" {
                        "<stdin>".to_string()
                    } else {
                        path.display().to_string()
                    };
                    // Up to the first byte that is not UTF-8, this is the text.
                    let text = String::from_utf8_lossy(&bytes);
                    let colour = std::io::stderr().is_terminal();
                    say!("{}", report::invalid_human(&name, &text, &e, colour));
                }
                Format::Json => emit(&format!("{}\n", report::json_invalid(&e))),
            }
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
