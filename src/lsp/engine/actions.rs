//! Code actions, each the fix a diagnostic asks for: the name a "did you
//! mean" suggests, the `import` of the file that defines a name, the
//! `!= null` check the checker asks for, and `// icprules: allow LINT` on the
//! item where a lint is to be silenced.

use super::{Edit, enclosing_rule};
use crate::check::index::Symbol;
use crate::check::lints::{ALLOW, default_level};
use crate::check::schema::Type;
use crate::diagnostic::{Diagnostic, suggestion};
use crate::docs::written::widened;
use crate::lsp::snapshot::Snapshot;
use crate::source::{FileId, Span};
use crate::syntax::ast::{BinaryOp, ExprKind, Item, RuleDecl};

#[derive(Clone, Debug)]
pub struct Action {
    pub title: String,
    pub edits: Vec<Edit>,
    /// The diagnostic it fixes.
    pub fixes: Diagnostic,
    /// The fix to apply without asking (`did you mean`).
    pub preferred: bool,
}

/// The fixes of the diagnostics that touch `start..end` of a file.
pub fn actions(snapshot: &Snapshot, file: FileId, start: usize, end: usize) -> Vec<Action> {
    let mut out = Vec::new();
    for d in snapshot.diagnostics(file) {
        if (d.span.end as usize) < start || (d.span.start as usize) > end {
            continue;
        }
        let mut add = |title: String, edits: Vec<Edit>, preferred: bool| {
            out.push(Action {
                title,
                edits,
                fixes: d.clone(),
                preferred,
            })
        };
        if let Some(name) = d.help.as_deref().and_then(suggestion) {
            let written = &snapshot.text(file)[d.span.range()];
            // A path or a section number is replaced in its quotes.
            let text = if written.starts_with('"') {
                format!("{name:?}")
            } else {
                name.to_string()
            };
            let span = d.span;
            add(
                format!("replace `{written}` with `{text}`"),
                vec![Edit { span, text }],
                true,
            );
        }
        // The other fixes need the analysis of this very text.
        if snapshot.file(file).shift.is_some() {
            continue;
        }
        match d.code {
            "undefined-name" | "unknown-function" => {
                if let Some((title, edit)) = import(snapshot, file, d.span) {
                    add(title, vec![edit], false);
                }
            }
            "may-be-null" => {
                if let Some((title, edit)) = null_check(snapshot, file, d.span) {
                    add(title, vec![edit], false);
                }
            }
            _ => {}
        }
        if default_level(d.code).is_some()
            && let Some((title, edit)) = allow(snapshot, file, d)
        {
            add(title, vec![edit], false);
        }
    }
    out
}

/// `import` the file that defines the name at `span`.
fn import(snapshot: &Snapshot, file: FileId, span: Span) -> Option<(String, Edit)> {
    let def = snapshot
        .analysis
        .index
        .refs
        .iter()
        .find_map(|(s, symbol)| match symbol {
            Symbol::Def(id) if (s.file, s.start) == (span.file, span.start) => Some(*id),
            _ => None,
        })?;
    let home = snapshot.analysis.index.defs.get(def as usize)?.file;
    if home == file {
        return None;
    }
    let importer = &snapshot.sources.file(file).path;
    let path = crate::check::relative_path(importer, &snapshot.sources.file(home).path);
    let text = snapshot.text(file);
    let imports: Vec<Span> = snapshot.analysis.files[file as usize]
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Import(p) => Some(p.span),
            _ => None,
        })
        .collect();
    let line = format!("import {path:?}");
    let edit = match imports.iter().max_by_key(|s| s.end) {
        // After the last import.
        Some(last) => {
            let end = text[last.end as usize..]
                .find('\n')
                .map_or(text.len(), |i| last.end as usize + i);
            Edit {
                span: Span::new(file, end, end),
                text: format!("\n{line}"),
            }
        }
        // After the comment the file starts with.
        None => {
            let mut at = 0;
            for l in text.split_inclusive('\n') {
                if !l.trim_start().starts_with("//") {
                    break;
                }
                at += l.len();
            }
            let before = if at > 0 { "\n" } else { "" };
            let after = if text[at..].starts_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            Edit {
                span: Span::new(file, at, at),
                text: format!("{before}{line}{after}"),
            }
        }
    };
    Some((format!("add `{line}`"), edit))
}

/// A `when X != null` on the rule, for a path `x.y.z` that may be null
/// where null is not allowed: `X` is each part of the path that may be null
/// (`x != null and x.y != null`). Offered when the path starts from a `for`
/// binder of the rule or an input field, which the rule's `when` can see.
fn null_check(snapshot: &Snapshot, file: FileId, span: Span) -> Option<(String, Edit)> {
    let text = snapshot.text(file);
    let what = &text[span.range()];
    let parts: Vec<&str> = what.split('.').collect();
    let is_name = |part: &&str| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    };
    if !parts.iter().all(is_name) {
        return None;
    }
    let (_, rule) = enclosing_rule(snapshot, file, span.start as usize)?;
    let head = parts[0];
    let schema = &snapshot.analysis.schema;
    let local = snapshot
        .analysis
        .index
        .locals_at(file, span.start as usize)
        .into_iter()
        .rev()
        .find(|l| l.name == head);
    let mut ty = match local {
        // A binder of the rule's `for`, not of a quantifier inside it.
        Some(l)
            if rule
                .binders
                .iter()
                .any(|b| b.name.span.start == l.span.start) =>
        {
            l.ty.clone()
        }
        Some(_) => return None,
        None if !schema.records.is_empty() => {
            let input = schema.record(schema.input);
            input.fields[input.field(head)? as usize].ty.clone()
        }
        None => return None,
    };
    let mut guards = Vec::new();
    if ty.is_nullable() {
        guards.push(head.to_string());
    }
    for (i, field) in parts.iter().enumerate().skip(1) {
        let Type::Record(r) = ty.non_null() else {
            return None;
        };
        let record = schema.record(*r);
        ty = record.fields[record.field(field)? as usize].ty.clone();
        if ty.is_nullable() {
            guards.push(parts[..=i].join("."));
        }
    }
    if guards.is_empty() {
        return None;
    }
    let check = guards
        .iter()
        .map(|g| format!("{g} != null"))
        .collect::<Vec<_>>()
        .join(" and ");
    let edit = match &rule.when {
        Some(when) => {
            let (start, end) = widened(text, when.span);
            let written = &text[start..end];
            let joined = if matches!(when.node, ExprKind::Binary(BinaryOp::Or, ..)) {
                format!("{check} and ({written})")
            } else {
                format!("{check} and {written}")
            };
            Edit {
                span: Span::new(file, start, end),
                text: joined,
            }
        }
        None => {
            let at = first_check_clause(rule)?;
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let indent: String = text[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            Edit {
                span: Span::new(file, line_start, line_start),
                text: format!("{indent}when {check}\n"),
            }
        }
    };
    Some((format!("check for null first: `when {check}`"), edit))
}

/// Where the first clause after `for` is written: the new `when` goes
/// before it.
fn first_check_clause(rule: &RuleDecl) -> Option<usize> {
    let mut starts: Vec<u32> = Vec::new();
    starts.extend(rule.lets.iter().map(|(n, _)| n.span.start));
    starts.extend(rule.require.iter().map(|e| e.span.start));
    starts.extend(rule.requires.iter().map(|(d, _)| d.span.start));
    starts.extend(rule.message.iter().map(|m| m.span.start));
    starts.extend(rule.at.iter().map(|e| e.span.start));
    starts.into_iter().min().map(|s| s as usize)
}

/// `// icprules: allow LINT` above the rule, definition or rule set that
/// holds the diagnostic.
fn allow(snapshot: &Snapshot, file: FileId, d: &Diagnostic) -> Option<(String, Edit)> {
    let offset = d.span.start as usize;
    let ast = &snapshot.analysis.files[file as usize];
    let (what, start) = match enclosing_rule(snapshot, file, offset) {
        Some((_, rule)) => ("rule", rule.span.start),
        None => ast.items.iter().find_map(|item| match item {
            Item::Def(def) if super::holds(def.span, offset) => {
                Some(("definition", def.span.start))
            }
            Item::Ruleset(rs) if super::holds(rs.span, offset) => Some(("rule set", rs.span.start)),
            _ => None,
        })?,
    };
    let text = snapshot.text(file);
    let start = start as usize;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..start];
    if !indent.trim().is_empty() {
        return None;
    }
    let title = format!("allow `{}` on this {what}", d.code);
    // Join an allow comment already there.
    if line_start > 0 {
        let above_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
        let above = &text[above_start..line_start - 1];
        if above.trim_start().starts_with(&format!("// {ALLOW}")) {
            let end = above_start + above.trim_end().len();
            return Some((
                title,
                Edit {
                    span: Span::new(file, end, end),
                    text: format!(", {}", d.code),
                },
            ));
        }
    }
    Some((
        title,
        Edit {
            span: Span::new(file, line_start, line_start),
            text: format!("{indent}// {ALLOW} {}\n", d.code),
        },
    ))
}
