//! `icprules explain`: one rule, for policy editors.

use std::path::PathBuf;

use super::{Exit, Format, LangArg, emit, load_rules};
use crate::report::explain::explain;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  icprules explain national.domain-holder-is-subject\n  \
    icprules explain --format json beijing.subject-admin-is-legal-representative\n  \
    icprules explain invariant.at-least-one-website\n  \
    icprules explain --lang zh national.domain-holder-is-subject"
)]
pub struct ExplainArgs {
    /// The rule's id, `ruleset.name` (or `invariant.name`).
    rule: String,
    /// A folder of `.icp` rule files to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// `human` (the default) or `json`.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    lang: LangArg,
}

pub fn run(args: ExplainArgs) -> Exit {
    let (sources, checked) = match load_rules(args.rules.as_ref()) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let program = &checked.program.in_language(args.lang.get());
    let Some(explanation) = explain(program, &sources, &args.rule) else {
        let ids = program
            .rules
            .iter()
            .chain(&program.invariants)
            .map(|r| r.id.as_str());
        let help = crate::diagnostic::did_you_mean(&args.rule, ids);
        sayln!(
            "error: no rule `{}`{}",
            args.rule,
            help.map(|h| format!(": {h}")).unwrap_or_default()
        );
        return Exit::Unusable;
    };
    match args.format {
        Format::Human => emit(&explanation.human()),
        Format::Json => emit(&format!("{}\n", explanation.json())),
    }
    Exit::Ok
}
