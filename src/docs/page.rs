//! A rule set's page, and the Markdown helpers the pages share.

use std::fmt::Write;

use super::{GENERATED, RuleDoc, RulesetDoc};
use crate::syntax::ast::RuleKind;

pub(super) fn ruleset(rs: &RulesetDoc) -> String {
    let mut out = format!("{GENERATED}\n\n# {}\n\n", one_line(&rs.title()));
    let files: Vec<String> = rs.files.iter().map(|f| code(f)).collect();
    let applies = if rs.when.is_empty() {
        "applies to every application".to_string()
    } else {
        let when: Vec<String> = rs.when.iter().map(|w| code(&one_line(w))).collect();
        format!("applies when {}", when.join(" or "))
    };
    let _ = writeln!(
        out,
        "{} {}: {applies}. {} and {}. See also [all rule sets](index.md) and \
         [the comparison of rule sets](matrix.md).\n",
        // A page titled by its section says which rule set it is.
        match rs.section {
            Some(_) => format!("Rule set {} in", code(&rs.name)),
            None => "In".to_string(),
        },
        files.join(", "),
        counted(rs.count(RuleKind::Rule), "rule"),
        counted(rs.count(RuleKind::Document), "document requirement"),
    );
    for intro in &rs.intro {
        let _ = writeln!(out, "{}\n", prose(intro));
    }
    for (kind, title) in [
        (RuleKind::Rule, "Requirements"),
        (RuleKind::Document, "Documents required"),
    ] {
        let rules: Vec<&RuleDoc> = rs
            .rules
            .iter()
            .filter(|r| r.group.is_none() && r.kind == kind)
            .collect();
        if !rules.is_empty() {
            let _ = writeln!(out, "## {title}\n");
            for r in rules {
                rule(&mut out, r);
            }
        }
    }
    for (index, conditions) in rs.groups.iter().enumerate() {
        let rules: Vec<&RuleDoc> = rs.rules.iter().filter(|r| r.group == Some(index)).collect();
        // A group holding only groups is shown through them.
        if rules.is_empty() {
            continue;
        }
        let conditions: Vec<String> = conditions.iter().map(|c| code(&one_line(c))).collect();
        let _ = writeln!(out, "## When {}\n", conditions.join(" and "));
        for r in rules {
            rule(&mut out, r);
        }
    }
    finish(out)
}

fn rule(out: &mut String, r: &RuleDoc) {
    let kind = match r.kind {
        RuleKind::Rule => "rule",
        RuleKind::Document => "document requirement",
    };
    let _ = writeln!(out, "### {}\n", code(&r.name));
    let _ = writeln!(out, "- {kind} {} ({})", code(&r.id), code(&r.origin));
    let _ = writeln!(out, "- severity: {}", r.severity.as_str());
    let section = match &r.source.1 {
        Some(title) => format!("{} {}", r.source.0, one_line(title)),
        None => r.source.0.clone(),
    };
    let _ = writeln!(out, "- section: {section}");
    if let Some(target) = &r.overrides {
        let _ = writeln!(out, "- overrides {}", rule_link(target));
    }
    if !r.overridden_by.is_empty() {
        let by: Vec<String> = r.overridden_by.iter().map(|id| rule_link(id)).collect();
        let _ = writeln!(out, "- overridden by {}", by.join(", "));
    }
    if !r.defs.is_empty() {
        let defs: Vec<String> = r.defs.iter().map(|d| code(d)).collect();
        let _ = writeln!(out, "- uses {}", defs.join(", "));
    }
    out.push('\n');
    if let Some(note) = &r.note {
        let _ = writeln!(out, "{}\n", prose(note));
    }
    let _ = writeln!(out, "> {}\n", r.message);
    let _ = writeln!(out, "```icp\n{}\n```\n", r.clauses.join("\n"));
}

/// A link to a rule's heading on its rule set's page.
pub(super) fn rule_link(id: &str) -> String {
    match id.split_once('.') {
        Some((ruleset, name)) => format!("[{}]({ruleset}.md#{})", code(id), anchor(name)),
        None => code(id),
    }
}

/// The fragment a Markdown renderer gives the heading `` `name` ``: rule
/// names are lower-case words joined by `-`, which it keeps.
pub(super) fn anchor(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Inline code, fenced so that backticks inside it stay literal.
pub(super) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// Text as one line, for headings and table cells.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for a table cell: one line, and `|` does not end the cell.
pub(super) fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

/// A rule author's comment as Markdown: kept as written, except that a line
/// starting with `#` would become a heading.
fn prose(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with('#') {
                format!("\\{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub(super) fn counted(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Ends a page with exactly one newline.
pub(super) fn finish(mut out: String) -> String {
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
