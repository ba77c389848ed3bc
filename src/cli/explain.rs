//! `icprules explain`: one rule, for policy editors.

use std::path::PathBuf;

use super::{AsOfArg, Exit, Format, LangArg, emit, load_rules};
use crate::report::explain::{explain, explain_ruleset};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  icprules explain national.domain-holder-is-subject\n  \
    icprules explain --format json beijing.subject-admin-is-legal-representative\n  \
    icprules explain invariant.at-least-one-website\n  \
    icprules explain --lang zh national.domain-holder-is-subject\n  \
    icprules explain beijing                 # the rules of a rule set\n  \
    icprules explain invariant               # the invariants of the format"
)]
pub struct ExplainArgs {
    /// A rule's id, `ruleset.name` (or `invariant.name`); or a rule set's
    /// name, to list its rules.
    rule: String,
    /// A folder of `.icp` rule files to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// `human` (the default) or `json`.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    #[command(flatten)]
    as_of: AsOfArg,
    #[command(flatten)]
    lang: LangArg,
}

pub fn run(args: ExplainArgs) -> Exit {
    let (sources, checked) = match load_rules(args.rules.as_ref()) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let program = &args
        .as_of
        .apply(checked.program.in_language(args.lang.get()));
    if !args.rule.contains('.') {
        return match explain_ruleset(program, &sources, &args.rule) {
            Some(explanation) => {
                match args.format {
                    Format::Human => emit(&crate::terminal::escaped_lines(&explanation.human())),
                    Format::Json => emit(&format!("{}\n", explanation.json())),
                }
                Exit::Ok
            }
            None => {
                let mut sets: Vec<&str> = program
                    .rules
                    .iter()
                    .chain(&program.invariants)
                    .map(|r| r.id.split('.').next().unwrap_or_default())
                    .collect();
                sets.sort();
                sets.dedup();
                let help = crate::diagnostic::did_you_mean(&args.rule, sets.iter().copied());
                sayln!(
                    "error: no rule or rule set `{}`{}",
                    args.rule,
                    help.map(|h| format!(": {h}")).unwrap_or_default()
                );
                Exit::Unusable
            }
        };
    }
    let Some(explanation) = explain(program, &sources, &args.rule) else {
        let help = program
            .closest_id(&args.rule)
            .map(|c| format!("did you mean `{c}`?"));
        sayln!(
            "error: no rule `{}`{}",
            args.rule,
            help.map(|h| format!(": {h}")).unwrap_or_default()
        );
        return Exit::Unusable;
    };
    match args.format {
        Format::Human => emit(&crate::terminal::escaped_lines(&explanation.human())),
        Format::Json => emit(&format!("{}\n", explanation.json())),
    }
    Exit::Ok
}
