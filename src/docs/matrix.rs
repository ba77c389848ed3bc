//! The index of the pages and the comparison of the rule sets. What is
//! compared is found generically: rule names and definitions that several
//! rule sets share.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::page::{anchor, cell, code, counted, finish, rule_link};
use super::{GENERATED, RuleDoc, RulesetDoc};
use crate::syntax::ast::{RuleKind, Severity};

pub(super) fn index(rulesets: &[RulesetDoc]) -> String {
    let mut out = format!(
        "{GENERATED}\n\n# Rule sets\n\n\
         One page per rule set, in the order of their files, and \
         [the comparison of the rule sets](matrix.md).\n\n\
         | Rule set | Section | Applies when | Rules | Documents |\n\
         |---|---|---|--:|--:|\n"
    );
    let (mut rules, mut documents) = (0, 0);
    for rs in rulesets {
        let when: Vec<String> = rs.when.iter().map(|w| code(&cell(w))).collect();
        let (r, d) = (rs.count(RuleKind::Rule), rs.count(RuleKind::Document));
        rules += r;
        documents += d;
        let _ = writeln!(
            out,
            "| [{}]({}.md) | {} | {} | {r} | {d} |",
            rs.name,
            rs.name,
            rs.section.as_deref().map(cell).unwrap_or_default(),
            if when.is_empty() {
                "always".to_string()
            } else {
                when.join(" or ")
            },
        );
    }
    let _ = writeln!(
        out,
        "| {} | | | {rules} | {documents} |",
        counted(rulesets.len(), "rule set")
    );
    finish(out)
}

/// Rule sets in rows would make a table as wide as the longest list of
/// shared names; with a few dozen rule sets, neither orientation of a grid
/// fits a page. Each shared name is a row instead, listing the rule sets that
/// have it.
pub(super) fn matrix(rulesets: &[RulesetDoc]) -> String {
    let mut out = format!(
        "{GENERATED}\n\n# Comparison of the rule sets\n\n\
         What several of the {} have in common, found from their names: \
         [all rule sets](index.md).\n\n",
        counted(rulesets.len(), "rule set")
    );
    glance(&mut out, rulesets);
    shared_rules(&mut out, rulesets);
    shared_definitions(&mut out, rulesets);
    overrides(&mut out, rulesets);
    finish(out)
}

/// Rows sorted by how many rule sets share them, most first, then by name.
fn by_spread<T>(rows: BTreeMap<String, Vec<T>>) -> Vec<(String, Vec<T>)> {
    let mut rows: Vec<(String, Vec<T>)> = rows.into_iter().filter(|(_, v)| v.len() >= 2).collect();
    rows.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// Columns of the grid: the most shared rule names, numbered so that the
/// grid stays narrow (names are in the legend).
const GLANCE_COLUMNS: usize = 12;

/// A grid of rule sets against the rule names most of them share, so a
/// reader sees at once which rule sets ask what.
fn glance(out: &mut String, rulesets: &[RulesetDoc]) {
    let mut names: BTreeMap<String, Vec<&RuleDoc>> = BTreeMap::new();
    for rs in rulesets {
        for r in &rs.rules {
            names.entry(r.name.clone()).or_default().push(r);
        }
    }
    let columns: Vec<(String, Vec<&RuleDoc>)> = by_spread(names)
        .into_iter()
        .filter(|(_, rules)| rules.len() >= 3)
        .take(GLANCE_COLUMNS)
        .collect();
    if columns.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## At a glance\n\n\
         The rule names shared by the most rule sets (numbered; the names are below the \
         grid), and which rule sets have them: ✓ an error, or the rule's severity.\n"
    );
    let numbers: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
    let _ = writeln!(out, "| Rule set | {} |", numbers.join(" | "));
    let _ = writeln!(out, "|---|{}", ":-:|".repeat(columns.len()));
    for rs in rulesets {
        let cells: Vec<String> = columns
            .iter()
            .map(
                |(name, _)| match rs.rules.iter().find(|r| &r.name == name) {
                    Some(r) if r.severity == Severity::Error => {
                        format!("[✓]({}.md#{})", rs.name, anchor(name))
                    }
                    Some(r) => {
                        format!("[{}]({}.md#{})", r.severity.as_str(), rs.name, anchor(name))
                    }
                    None => String::new(),
                },
            )
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let _ = writeln!(
            out,
            "| [{}]({}.md) | {} |",
            rs.name,
            rs.name,
            cells.join(" | ")
        );
    }
    out.push('\n');
    for (i, (name, rules)) in columns.iter().enumerate() {
        let _ = writeln!(
            out,
            "{}. {} ({})",
            i + 1,
            code(name),
            counted(rules.len(), "rule set")
        );
    }
    out.push('\n');
}

fn shared_rules(out: &mut String, rulesets: &[RulesetDoc]) {
    let mut names: BTreeMap<String, Vec<&RuleDoc>> = BTreeMap::new();
    for rs in rulesets {
        for r in &rs.rules {
            names.entry(r.name.clone()).or_default().push(r);
        }
    }
    let rows = by_spread(names);
    let _ = writeln!(
        out,
        "## Rules in several rule sets\n\n\
         Rule names (the part of the id after the rule set's name) found in two or more \
         rule sets, each with its rule's severity when that is not error, and the rule \
         it overrides, if any.\n"
    );
    if rows.is_empty() {
        let _ = writeln!(out, "No rule name is in two rule sets.\n");
        return;
    }
    let _ = writeln!(out, "| Rule | Rule sets | Where |\n|---|--:|---|");
    for (name, rules) in rows {
        let places: Vec<String> = rules
            .iter()
            .map(|r| {
                let ruleset = &r.id[..r.id.len() - r.name.len() - 1];
                let mut place = format!("[{ruleset}]({ruleset}.md#{})", anchor(&r.name));
                let mut notes = Vec::new();
                if r.severity != Severity::Error {
                    notes.push(r.severity.as_str().to_string());
                }
                if let Some(target) = &r.overrides {
                    notes.push(format!("overrides {}", code(target)));
                }
                if !notes.is_empty() {
                    let _ = write!(place, " ({})", notes.join(", "));
                }
                place
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code(&name),
            rules.len(),
            places.join(", ")
        );
    }
    out.push('\n');
}

fn shared_definitions(out: &mut String, rulesets: &[RulesetDoc]) {
    // For each definition, each rule set using it with its number of rules.
    let mut defs: BTreeMap<String, Vec<(&str, usize)>> = BTreeMap::new();
    for rs in rulesets {
        let mut here: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &rs.rules {
            for d in &r.defs {
                *here.entry(d).or_default() += 1;
            }
        }
        for (d, n) in here {
            defs.entry(d.to_string()).or_default().push((&rs.name, n));
        }
    }
    let rows = by_spread(defs);
    let _ = writeln!(
        out,
        "## Definitions used by several rule sets\n\n\
         Definitions (`def`) that rules of two or more rule sets name in their own \
         clauses, with how many rules of each use them.\n"
    );
    if rows.is_empty() {
        let _ = writeln!(out, "No definition is used by two rule sets.\n");
        return;
    }
    let _ = writeln!(out, "| Definition | Rule sets | Used by |\n|---|--:|---|");
    for (name, uses) in rows {
        let uses: Vec<String> = uses
            .iter()
            .map(|(rs, n)| format!("[{rs}]({rs}.md) ({n})"))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code(&name),
            uses.len(),
            uses.join(", ")
        );
    }
    out.push('\n');
}

fn overrides(out: &mut String, rulesets: &[RulesetDoc]) {
    let overridden: Vec<&RuleDoc> = rulesets
        .iter()
        .flat_map(|rs| &rs.rules)
        .filter(|r| !r.overridden_by.is_empty())
        .collect();
    let _ = writeln!(
        out,
        "## Overrides\n\n\
         Rules that other rules replace where those apply.\n"
    );
    if overridden.is_empty() {
        let _ = writeln!(out, "No rule overrides another.\n");
        return;
    }
    let _ = writeln!(out, "| Rule | Overridden by |\n|---|---|");
    for r in overridden {
        let by: Vec<String> = r.overridden_by.iter().map(|id| rule_link(id)).collect();
        let _ = writeln!(out, "| {} | {} |", rule_link(&r.id), by.join(", "));
    }
    out.push('\n');
}
