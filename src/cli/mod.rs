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
mod diff;
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
use std::io::Read;
use std::path::{Path, PathBuf};

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
    /// Check applications (JSON) against the rules.
    Check(check::CheckArgs),
    /// Compare two rule sets rule by rule, and what the change does to applications.
    Diff(diff::DiffArgs),
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
    /// Print a shell completion script.
    #[command(after_help = "Examples:\n  \
        icprules completions bash > ~/.local/share/bash-completion/completions/icprules\n  \
        icprules completions zsh > ~/.zfunc/_icprules\n  \
        icprules completions fish > ~/.config/fish/completions/icprules.fish")]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write a page per command.
    #[command(after_help = "Examples:\n  \
        icprules man > ~/.local/share/man/man1/icprules.1\n  \
        icprules man --out ~/.local/share/man/man1     # icprules.1, icprules-check.1, ...")]
    Man {
        /// Write `icprules.1` and a page for each command (`icprules-check.1`,
        /// ...) into this folder instead.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// `--lang`: the language of messages, reports and pages.
#[derive(clap::Args, Clone, Copy, Debug)]
pub struct LangArg {
    /// `zh` (Chinese) or `en` (English); default: Chinese when `LC_ALL` (or,
    /// if unset or empty, `LANG`) starts with `zh`, else English.
    #[arg(long, value_name = "zh|en", value_parser = parse_lang)]
    lang: Option<Lang>,
}

impl LangArg {
    /// The language asked for, or the locale's.
    pub fn get(self) -> Lang {
        self.lang.unwrap_or_else(Lang::from_env)
    }
}

/// `--as-of`: the day to check on, whatever the applications' own dates.
#[derive(clap::Args, Clone, Copy, Debug)]
pub struct AsOfArg {
    /// Use the rules in force on this day, `YYYY-MM-DD`, whatever an
    /// application's own date (default: the application's date, else today,
    /// UTC). `explain` shows the version of a rule in force that day.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    as_of: Option<crate::date::Date>,
}

impl AsOfArg {
    /// The program checking on the day asked for, and on today (read once
    /// per run) when an application gives no date.
    pub fn apply(self, mut program: crate::check::Program) -> crate::check::Program {
        program.as_of = self.as_of;
        program.today = Some(today());
        program
    }
}

/// Today in UTC, from the system clock.
pub fn today() -> crate::date::Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    crate::date::Date::from_unix_seconds(seconds)
}

pub(crate) fn parse_date(text: &str) -> Result<crate::date::Date, String> {
    crate::date::Date::parse(text).map_err(|e| {
        let what = if text.is_empty() {
            "an empty text".to_string()
        } else {
            format!("`{text}`")
        };
        format!("{what} is not a date: {}", e.help(text))
    })
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

/// `icprules --version`: the program's version and the edition of the
/// regulations its built-in rules encode.
fn version() -> String {
    let version = env!("CARGO_PKG_VERSION");
    match crate::rules::cited_document() {
        Some(document) => format!("{version} (built-in rules: {document})"),
        None => version.to_string(),
    }
}

/// The command line, with the version of the built-in rules.
fn command() -> clap::Command {
    use clap::CommandFactory;
    // Once per run: the command is built once.
    Cli::command().version(&*Box::leak(version().into_boxed_str()))
}

pub fn main() -> std::process::ExitCode {
    use clap::FromArgMatches;
    let cli = match Cli::from_arg_matches(&command().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let exit = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Test(args) => test::run(args),
        Command::Sources(args) => sources::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Docs(args) => docs::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Lsp(args) => lsp::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command(), "icprules", &mut out);
            emit(&String::from_utf8_lossy(&out));
            Exit::Ok
        }
        Command::Man { out } => man(out.as_deref()),
    };
    std::process::ExitCode::from(exit as u8)
}

/// `icprules man`: the manual page on stdout, or every page into a folder.
fn man(out: Option<&std::path::Path>) -> Exit {
    let written = match out {
        Some(dir) => std::fs::create_dir_all(dir)
            .and_then(|()| clap_mangen::generate_to(command(), dir))
            .map(|()| sayln!("wrote the manual pages to `{}`", dir.display())),
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command())
                .render(&mut page)
                .map(|()| emit(&String::from_utf8_lossy(&page)))
        }
    };
    match written {
        Ok(()) => Exit::Ok,
        Err(e) => {
            sayln!("error: cannot write the manual page: {e}");
            Exit::Unusable
        }
    }
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
    print_notes(&sources);
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

/// What loading the rule files left out.
fn print_notes(sources: &Sources) {
    for note in &sources.notes {
        sayln!("note: {}", crate::terminal::escaped(note));
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

/// The most of an application file that is read (`check`, `test`, `gen`): applications are a few
/// kilobytes, and without a bound `icprules check /dev/zero` would read
/// until memory runs out.
const MAX_APPLICATION_BYTES: u64 = 1 << 30;

pub(super) fn read_application_file(path: &Path) -> std::io::Result<Vec<u8>> {
    let too_large = || {
        std::io::Error::other(format!(
            "it is larger than {} MiB, which no application is",
            MAX_APPLICATION_BYTES >> 20
        ))
    };
    let source: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path)?;
        // A file says its size: refused before anything is read.
        if file
            .metadata()
            .is_ok_and(|m| m.is_file() && m.len() > MAX_APPLICATION_BYTES)
        {
            return Err(too_large());
        }
        Box::new(file)
    };
    let mut bytes = Vec::new();
    source
        .take(MAX_APPLICATION_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_APPLICATION_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read_application_file`] as text (`test` and `gen` read their cases
/// and corpus whole; `check` says where the first byte that is not UTF-8 is).
pub(super) fn read_application_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_application_file(path)?).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}
