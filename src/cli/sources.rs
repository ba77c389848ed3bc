//! `icprules sources`: which rules cite each section of the regulations, and
//! a check of a coverage table (Markdown) against the rules.
//!
//! A coverage table maps every bullet of the regulations to the rules that
//! implement it, or says why none does. Its rows are
//! `| SECTION | BULLET | IMPLEMENTED BY |`, where the last cell lists rule ids
//! in backticks, or gives a reason in words.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::{Exit, emit, load_rules};
use crate::check::Program;
use crate::coverage::rows;

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  icprules sources                       # rule ids per cited section\n  \
    icprules sources --check docs/coverage.md   # the coverage table agrees with the rules"
)]
pub struct SourcesArgs {
    /// Use the rule set in this folder instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Check this coverage table against the rules: every id it names
    /// exists, every rule is in it, and every section it maps to rules has a
    /// rule citing it.
    #[arg(long, value_name = "FILE")]
    check: Option<PathBuf>,
}

pub fn run(args: SourcesArgs) -> Exit {
    let (_, checked) = match load_rules(args.rules.as_ref()) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let program = &checked.program;
    let Some(path) = args.check else {
        emit(&table(program));
        return Exit::Ok;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            sayln!("error: cannot read `{}`: {e}", path.display());
            return Exit::Unusable;
        }
    };
    let problems = check_table(program, &text);
    if problems.is_empty() {
        sayln!(
            "`{}` agrees with the {} rules",
            path.display(),
            program.rules.len()
        );
        Exit::Ok
    } else {
        for p in &problems {
            sayln!("{}: {p}", path.display());
        }
        sayln!(
            "{} problem{}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        Exit::Rejected
    }
}

/// Rule ids by the section they cite.
fn cited(program: &Program) -> BTreeMap<&str, Vec<&str>> {
    let mut by_section: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for rule in &program.rules {
        by_section
            .entry(rule.source.as_str())
            .or_default()
            .push(rule.id.as_str());
    }
    by_section
}

/// The rule side of the coverage table, a Markdown table in the order of the
/// declared sections (then any cited section that is not declared).
pub fn table(program: &Program) -> String {
    let by_section = cited(program);
    let mut out = String::from("| section | title | rules |\n|---|---|---|\n");
    let mut seen = BTreeSet::new();
    let declared = program.sections.iter().map(|(n, t)| {
        (
            n.as_str(),
            t.get(program.language).map_or("", String::as_str),
        )
    });
    let undeclared = by_section
        .keys()
        .filter(|s| program.section_title(s).is_none())
        .map(|s| (*s, ""));
    for (number, title) in declared.chain(undeclared.collect::<Vec<_>>()) {
        if !seen.insert(number) {
            continue;
        }
        let rules = by_section.get(number).map_or_else(
            || "none".to_string(),
            |ids| {
                ids.iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        out.push_str(&format!("| {number} | {title} | {rules} |\n"));
    }
    out
}

/// Where the coverage table and the rules disagree.
pub fn check_table(program: &Program, text: &str) -> Vec<String> {
    let rows = rows(text);
    let by_section = cited(program);
    let known: BTreeSet<&str> = program
        .rules
        .iter()
        .chain(&program.invariants)
        .map(|r| r.id.as_str())
        .collect();
    let mut problems = Vec::new();
    let mut mapped = BTreeSet::new();
    let mut reported_sections = BTreeSet::new();
    for row in &rows {
        if !program.sections.is_empty() && program.section_title(row.section).is_none() {
            problems.push(format!(
                "line {}: section `{}` is not declared in `sections`",
                row.line, row.section
            ));
        }
        for id in &row.ids {
            if known.contains(id) {
                mapped.insert(*id);
            } else {
                let help = crate::diagnostic::did_you_mean(id, known.iter().copied())
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                problems.push(format!("line {}: no rule `{id}`{help}", row.line));
            }
        }
        if !row.ids.is_empty()
            && !by_section.contains_key(row.section)
            && reported_sections.insert(row.section)
        {
            problems.push(format!(
                "line {}: section `{}` is mapped to rules, but no rule cites it",
                row.line, row.section
            ));
        }
    }
    let table_sections: BTreeSet<&str> = rows.iter().map(|r| r.section).collect();
    for (section, ids) in &by_section {
        if !table_sections.contains(section) {
            problems.push(format!(
                "section `{section}` is cited by `{}` but has no row",
                ids[0]
            ));
        }
    }
    for rule in &program.rules {
        if !mapped.contains(rule.id.as_str()) {
            problems.push(format!("rule `{}` ({}) is in no row", rule.id, rule.origin));
        }
    }
    problems
}
