//! The default, human-readable result, for the filer: the verdict first,
//! then every finding with its rule, the section it cites, the message and
//! the facts behind it, then the documents table.

use std::fmt::Write;

use super::{echoed, verdict};
use crate::check::Program;
use crate::eval::Outcome;
use crate::syntax::ast::Severity;
use crate::value::Data;

/// ANSI styles, used only when writing to a terminal.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn paint(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, severity: Severity) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, severity.as_str())
    }
}

/// The report without colour (files, pipes, tests).
pub fn human(program: &Program, application: &Data, outcome: &Outcome) -> String {
    human_styled(program, application, outcome, false)
}

/// The report, in colour when `colour` is set.
pub fn human_styled(
    program: &Program,
    application: &Data,
    outcome: &Outcome,
    colour: bool,
) -> String {
    let paint = Paint(colour);
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
    let word = verdict(program, outcome);
    let _ = write!(
        out,
        "{}",
        paint.paint(if word == "accept" { "1;32" } else { "1;31" }, word)
    );
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
            let cited = match program.section_title(&rule.source) {
                Some(title) => format!("section {} {title}", rule.source),
                None if rule.source.starts_with(|c: char| c.is_ascii_digit()) => {
                    format!("section {}", rule.source)
                }
                None => rule.source.clone(),
            };
            let _ = writeln!(
                out,
                "\n{} {} ({cited})",
                paint.severity(severity),
                paint.paint("1", &rule.id)
            );
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
    documents(program, outcome, paint, &mut out);
    out
}

/// One line a document, in aligned columns: status, type, what it is for,
/// and the rule that asks for it.
fn documents(program: &Program, outcome: &Outcome, paint: Paint, out: &mut String) {
    if outcome.documents.is_empty() {
        return;
    }
    let _ = writeln!(out, "\ndocuments");
    let for_of = |target: &Option<String>| {
        target
            .as_ref()
            .map_or(String::new(), |t| format!("for {t}"))
    };
    let kind_width = outcome
        .documents
        .iter()
        .map(|d| d.kind.len())
        .max()
        .unwrap_or(0);
    let for_width = outcome
        .documents
        .iter()
        .map(|d| for_of(&d.target).len())
        .max()
        .unwrap_or(0);
    for d in &outcome.documents {
        let status = if d.provided {
            paint.paint("32", "provided")
        } else {
            paint.paint("1;31", "missing ")
        };
        let target = if for_width == 0 {
            String::new()
        } else {
            format!("{:<for_width$}  ", for_of(&d.target))
        };
        let line = format!(
            "  {status}  {:<kind_width$}  {target}({})",
            d.kind, program.rules[d.rule].id
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked() {
        let plain = Paint(false);
        let styled = Paint(true);
        assert_eq!(plain.severity(Severity::Error), "error");
        assert_eq!(styled.severity(Severity::Error), "\x1b[1;31merror\x1b[0m");
        assert_eq!(styled.paint("32", "provided"), "\x1b[32mprovided\x1b[0m");
    }
}
