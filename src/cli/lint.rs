//! `icprules lint`: a rule set's diagnostics, for editors and CI.

use std::path::PathBuf;

use super::{Exit, emit, print_diagnostics};
use crate::check::lints::LINTS;
use crate::diagnostic::{Diagnostic, Level};
use crate::report::diagnostics;
use crate::source::Sources;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    Human,
    Json,
    Sarif,
}

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  icprules lint rules --deny-warnings\n  \
    icprules lint rules --format sarif > lint.sarif\n  icprules lint --list")]
pub struct LintArgs {
    /// Rule sets to check: folders of `.icp` files, or single files
    /// (default: the built-in rules).
    paths: Vec<PathBuf>,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Do not report this lint (repeatable); see `--list`.
    #[arg(long, value_name = "LINT")]
    allow: Vec<String>,
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    format: LintFormat,
    /// List the named lints with their default level, then exit.
    #[arg(long)]
    list: bool,
}

pub fn run(args: LintArgs) -> Exit {
    if args.list {
        for l in LINTS {
            let level = match l.level {
                Level::Error => "error",
                Level::Warning => "warning",
            };
            emit(&format!("{:<28} {level:<8} {}\n", l.name, l.doc));
        }
        return Exit::Ok;
    }
    for name in &args.allow {
        if !LINTS.iter().any(|l| l.name == name) {
            let help = crate::diagnostic::did_you_mean(name, LINTS.iter().map(|l| l.name));
            sayln!(
                "error: no lint named `{name}`{}",
                help.map(|h| format!(": {h}")).unwrap_or_default()
            );
            return Exit::Unusable;
        }
    }
    let mut sets: Vec<(Sources, String)> = Vec::new();
    if args.paths.is_empty() {
        sets.push((crate::rules::embedded(), String::new()));
    }
    for path in &args.paths {
        match crate::rules::from_path(path) {
            Ok((sources, base)) => sets.push((sources, base.to_string_lossy().into_owned())),
            Err(e) => {
                super::print_load_error(&e);
                return Exit::Unusable;
            }
        }
    }
    let (mut errors, mut warnings) = (0, 0);
    let mut machine = Vec::new();
    let mut sarif_runs = Vec::new();
    for (sources, base) in &sets {
        let (all, program) = match crate::check::check(sources) {
            Ok(checked) => (checked.warnings, Some(checked.program)),
            Err(diagnostics) => (diagnostics, None),
        };
        let shown: Vec<Diagnostic> = all
            .into_iter()
            .filter(|d| !args.allow.iter().any(|a| a == d.code))
            .collect();
        let e = shown.iter().filter(|d| d.level == Level::Error).count();
        errors += e;
        warnings += shown.len() - e;
        match args.format {
            LintFormat::Human => {
                print_diagnostics(&shown, sources);
                let rules = program.map_or(0, |p| p.rules.len());
                let files = sources.files.len();
                let w = shown.len() - e;
                sayln!(
                    "{}{files} file{}, {rules} rules: {e} error{}, {w} warning{}",
                    if base.is_empty() {
                        String::new()
                    } else {
                        format!("{base}: ")
                    },
                    plural(files),
                    plural(e),
                    plural(w),
                );
            }
            LintFormat::Json => {
                if let serde_json::Value::Array(items) = diagnostics::json(&shown, sources, base) {
                    machine.extend(items);
                }
            }
            LintFormat::Sarif => {
                let log = diagnostics::sarif(&shown, sources, base);
                sarif_runs.push(log["runs"][0].clone());
            }
        }
    }
    match args.format {
        LintFormat::Human => {}
        LintFormat::Json => emit(&format!("{}\n", serde_json::Value::Array(machine))),
        LintFormat::Sarif => {
            let mut log = diagnostics::sarif(&[], &Sources::default(), "");
            log["runs"] = serde_json::Value::Array(sarif_runs);
            emit(&format!("{log:#}\n"));
        }
    }
    if errors > 0 || (warnings > 0 && args.deny_warnings) {
        Exit::Rejected
    } else {
        Exit::Ok
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
