//! `icprules lint`: a rule set's diagnostics, for editors and CI.

use std::path::PathBuf;

use super::{Exit, print_diagnostics};
use crate::diagnostic::Level;

#[derive(clap::Args)]
pub struct LintArgs {
    /// The folder of `.icp` files (default: the built-in rules).
    dir: Option<PathBuf>,
    /// Fail on warnings too (`--deny warnings`).
    #[arg(long, value_parser = ["warnings"])]
    deny: Option<String>,
}

pub fn run(args: LintArgs) -> Exit {
    let sources = match &args.dir {
        Some(dir) => match crate::rules::from_dir(dir) {
            Ok(sources) => sources,
            Err(e) => {
                super::print_load_error(&e);
                return Exit::Unusable;
            }
        },
        None => crate::rules::embedded(),
    };
    let (diagnostics, program) = match crate::check::check(&sources) {
        Ok(checked) => (checked.warnings, Some(checked.program)),
        Err(diagnostics) => (diagnostics, None),
    };
    print_diagnostics(&diagnostics, &sources);
    let errors = diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let rules = program.map_or(0, |p| p.rules.len());
    sayln!(
        "{} file{}, {rules} rules: {errors} error{}, {warnings} warning{}",
        sources.files.len(),
        if sources.files.len() == 1 { "" } else { "s" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    if errors > 0 || (warnings > 0 && args.deny.is_some()) {
        Exit::Rejected
    } else {
        Exit::Ok
    }
}
