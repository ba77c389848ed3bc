//! `icprules check`: applications against the rules.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use super::{Exit, Format, load_rules};
use crate::check::Program;
use crate::eval::{InputError, evaluate, read_bytes};
use crate::report;

#[derive(clap::Args)]
pub struct CheckArgs {
    /// The application, a JSON file (`-` reads standard input).
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    application: Option<PathBuf>,
    /// Check every line of a JSON Lines file, writing one JSON result a line.
    #[arg(long, value_name = "FILE.jsonl")]
    batch: Option<PathBuf>,
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
        (Some(batch), _) => run_batch(&program, batch),
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
                Format::Json => print_result(&format!("{}\n", report::json_invalid(&e))),
            }
            return Exit::Unusable;
        }
    };
    let outcome = evaluate(program, &application);
    match format {
        Format::Human => print_result(&report::human(program, &application, &outcome)),
        Format::Json => print_result(&format!(
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

/// Writes a result to standard output. A reader that has gone
/// away (`icprules check ... | head`) is no error of ours: the exit status
/// still tells the verdict.
fn print_result(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// One result a line, in input order. Exits 2 if any line was invalid,
/// else 1 if any application was rejected.
fn run_batch(program: &Program, path: &Path) -> Exit {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            sayln!("error: cannot read `{}`: {e}", path.display());
            return Exit::Unusable;
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut exit = Exit::Ok;
    // Lines are read as bytes so that one that is not UTF-8 is an invalid
    // application like any other, not the end of the batch.
    for (number, line) in std::io::BufReader::new(file).split(b'\n').enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                sayln!(
                    "error: cannot read line {} of `{}`: {e}",
                    number + 1,
                    path.display()
                );
                return Exit::Unusable;
            }
        };
        if line.trim_ascii().is_empty() {
            continue;
        }
        let result = match read_bytes(program, &line) {
            Ok(application) => {
                let outcome = evaluate(program, &application);
                if !outcome.accepted(program) && exit == Exit::Ok {
                    exit = Exit::Rejected;
                }
                report::json(program, &application, &outcome, false)
            }
            Err(e) => {
                exit = Exit::Unusable;
                report::json_invalid(&InputError {
                    line: Some(number + 1),
                    ..e
                })
            }
        };
        if let Err(e) = writeln!(out, "{result}") {
            // As for one result: a reader that has gone away is no error.
            return if e.kind() == std::io::ErrorKind::BrokenPipe {
                exit
            } else {
                Exit::Unusable
            };
        }
    }
    if out.flush().is_err() {
        return Exit::Unusable;
    }
    exit
}
