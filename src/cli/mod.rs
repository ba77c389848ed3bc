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

mod batch;
mod check;
mod docs;
mod explain;
mod fmt;
mod generate;
mod lint;
mod lsp;
mod schema;
mod sources;
mod test;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::Checked;
use crate::diagnostic::{Diagnostic, render};
use crate::lang::Lang;
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
    /// Run rule test cases; with `--coverage`, which rules they exercise.
    Test(test::TestArgs),
    /// Which rules cite each section; `--check` a coverage table against them.
    Sources(sources::SourcesArgs),
    /// Print the application format as JSON Schema (draft 2020-12).
    Schema(schema::SchemaArgs),
    /// Show a rule: its section, where it is written, when it applies, its text.
    Explain(explain::ExplainArgs),
    /// Write the reference pages of a rule set (Markdown), or check them.
    Docs(docs::DocsArgs),
    /// Rewrite rule files in the one layout, or check that they are in it.
    Fmt(fmt::FmtArgs),
    /// Serve the Language Server Protocol on standard input and output.
    Lsp(lsp::LspArgs),
    /// Write synthetic applications (JSON Lines) made from a corpus by the schema.
    #[command(name = "gen")]
    Generate(generate::GenArgs),
}

/// `--lang`: the language of messages, reports and pages.
#[derive(clap::Args, Clone, Copy, Debug)]
pub struct LangArg {
    /// `zh` (Chinese) or `en` (English); default: Chinese when `LC_ALL` (or,
    /// if unset, `LANG`) starts with `zh`, else English.
    #[arg(long, value_name = "zh|en", value_parser = parse_lang)]
    lang: Option<Lang>,
}

impl LangArg {
    /// The language asked for, or the locale's.
    pub fn get(self) -> Lang {
        self.lang.unwrap_or_else(Lang::from_env)
    }
}

pub(crate) fn parse_lang(text: &str) -> Result<Lang, String> {
    Lang::from_code(text).ok_or_else(|| "expected `zh` or `en`".to_string())
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
    /// Findings: an application rejected, rules with errors (lint), failing
    /// tests, pages out of date (docs --check), a file not formatted
    /// (fmt --check), a coverage table that disagrees (sources --check).
    Rejected = 1,
    /// The input or the rules could not be used.
    Unusable = 2,
}

pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let exit = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Test(args) => test::run(args),
        Command::Sources(args) => sources::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Docs(args) => docs::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Generate(args) => generate::run(args),
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
            // Warnings do not stop a check, but are not hidden either. Texts
            // not yet translated are counted, not listed (`icprules lint`
            // lists them); those of the built-in rules are CI's to track.
            let (untranslated, others): (Vec<Diagnostic>, Vec<Diagnostic>) = checked
                .warnings
                .iter()
                .cloned()
                .partition(|d| d.code == "missing-translation");
            print_diagnostics(&others, &sources);
            if dir.is_some() && !untranslated.is_empty() {
                sayln!(
                    "warning: {} messages, labels or titles of the rules are not given in both \
                     Chinese and English (`icprules lint` lists them)",
                    untranslated.len()
                );
            }
            Ok((sources, checked))
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, &sources);
            sayln!("error: the rules have errors; nothing was checked");
            Err(Exit::Unusable)
        }
    }
}

/// Writes a result to stdout. A reader that has gone away (`icprules ... |
/// head`) is no error of ours: the output stops there, without a panic, and
/// the exit status still tells the verdict.
pub(crate) fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        sayln!("error: cannot write the result: {e}");
        std::process::exit(Exit::Unusable as i32);
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
