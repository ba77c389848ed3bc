//! The default, human-readable result: every finding with its rule, the
//! section it cites, and the facts behind it.

use std::fmt::Write;

use super::{echoed, verdict};
use crate::check::Program;
use crate::eval::Outcome;
use crate::syntax::ast::Severity;
use crate::value::Data;

pub fn human(program: &Program, application: &Data, outcome: &Outcome) -> String {
    let mut out = String::new();
    let count = |severity| {
        outcome
            .findings
            .iter()
            .filter(|f| program.rules[f.rule].severity == severity)
            .count()
    };
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let context: Vec<String> = echoed(program, application)
        .into_iter()
        .map(|(k, v)| {
            format!(
                "{k} {}",
                v.as_str().map_or_else(|| v.to_string(), str::to_string)
            )
        })
        .collect();
    let _ = write!(out, "{}", verdict(program, outcome));
    if !context.is_empty() {
        let _ = write!(out, " ({})", context.join(", "));
    }
    let _ = writeln!(
        out,
        ": {errors} error{}, {warnings} warning{}, {infos} info",
        plural(errors),
        plural(warnings)
    );
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        for finding in outcome
            .findings
            .iter()
            .filter(|f| program.rules[f.rule].severity == severity)
        {
            let rule = &program.rules[finding.rule];
            let cited = if rule.source.starts_with(|c: char| c.is_ascii_digit()) {
                format!("section {}", rule.source)
            } else {
                rule.source.clone()
            };
            let _ = writeln!(out, "\n{} {} ({cited})", severity.as_str(), rule.id);
            let _ = writeln!(out, "  {}", finding.message);
            if !finding.path.is_empty() {
                let _ = writeln!(out, "  at {}", finding.path);
            }
            for (i, (path, value)) in finding.facts.iter().enumerate() {
                let lead = if i == 0 { "because" } else { "       " };
                let _ = writeln!(out, "  {lead} {path} = {value}");
            }
        }
    }
    if !outcome.documents.is_empty() {
        let _ = writeln!(out, "\ndocuments");
        for d in &outcome.documents {
            let status = if d.provided { "provided" } else { "missing " };
            let _ = write!(out, "  {status}  {}", d.kind);
            if let Some(target) = &d.target {
                let _ = write!(out, " for {target}");
            }
            let _ = writeln!(out, "  ({})", program.rules[d.rule].id);
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
