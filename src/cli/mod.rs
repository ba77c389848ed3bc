//! Step five: the `icprules` command.

/// `eprint!` and `eprintln!` that do not panic when standard error is closed
/// (`icprules ... 2>&-`, a reader that went away): the exit status still
/// says what happened.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

macro_rules! sayln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod check;
mod lint;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::Checked;
use crate::diagnostic::{Diagnostic, render};
use crate::source::Sources;

#[derive(Parser)]
#[command(
    name = "icprules",
    version,
    about = "Checks ICP filing applications against the filing regulations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check an application (JSON) against the rules.
    Check(check::CheckArgs),
    /// Check a rule set: syntax, names, types and lints.
    Lint(lint::LintArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// How `icprules` exits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Every application accepted; the rules are clean.
    Ok = 0,
    /// An application rejected; the rules have errors (lint).
    Rejected = 1,
    /// The input or the rules could not be used.
    Unusable = 2,
}

pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let exit = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Lint(args) => lint::run(args),
    };
    std::process::ExitCode::from(exit as u8)
}

/// Loads and checks a rule set: `dir`, or the one built in.
fn load_rules(dir: Option<&PathBuf>) -> Result<(Sources, Checked), Exit> {
    let sources = match dir {
        Some(dir) => crate::rules::from_dir(dir).map_err(|e| {
            print_load_error(&e);
            Exit::Unusable
        })?,
        None => crate::rules::embedded(),
    };
    match crate::check::check(&sources) {
        Ok(checked) => {
            // Warnings do not stop a check, but are not hidden either.
            print_diagnostics(&checked.warnings, &sources);
            Ok((sources, checked))
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, &sources);
            sayln!("error: the rules have errors; nothing was checked");
            Err(Exit::Unusable)
        }
    }
}

fn print_load_error(error: &crate::rules::LoadError) {
    if let crate::rules::LoadError::NotUtf8 {
        diagnostic,
        sources,
        ..
    } = error
    {
        print_diagnostics(std::slice::from_ref(diagnostic), sources);
    }
    sayln!("error: {error}");
}

fn print_diagnostics(diagnostics: &[Diagnostic], sources: &Sources) {
    let colour = std::io::stderr().is_terminal();
    say!("{}", render(diagnostics, sources, colour));
}
