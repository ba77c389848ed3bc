//! What a name is, in Markdown: a field's type, whether it may be null or
//! absent and its comment; an enum value's type; a definition's signature
//! and body; a function's documentation; a cited section's title and the
//! sentences of the regulations mapped to the rule; an overridden rule.

use std::fmt::Write;

use super::{both, checked_slice, enclosing_rule, find_field, find_rule, section_title};
use crate::check::BUILTINS;
use crate::check::index::{LocalKind, Symbol};
use crate::check::schema::Type;
use crate::docs::written::{comment_above, expression};
use crate::lsp::snapshot::Snapshot;
use crate::source::{FileId, Span};

#[derive(Clone, Debug)]
pub struct Hover {
    /// What the answer is about, in the editor's text.
    pub span: Span,
    pub markdown: String,
}

pub fn hover(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<Hover> {
    let at = snapshot.to_checked(file, offset);
    let (span, symbol) = snapshot.analysis.index.symbol_at(file, at)?;
    let markdown = match symbol {
        Symbol::Field { record, slot } => field(snapshot, *record, *slot),
        Symbol::Value { enum_id, value } => value_of(snapshot, *enum_id, *value),
        Symbol::Record(r) => record(snapshot, *r),
        Symbol::Enum(e) => enumeration(snapshot, *e),
        Symbol::Def(id) => def(snapshot, *id as usize),
        Symbol::Local(local) => local_of(snapshot, *local as usize),
        Symbol::Builtin(b) => {
            let f = BUILTINS.iter().find(|f| f.builtin == *b)?;
            format!("{}\n\n{}", code(f.signature), f.doc)
        }
        Symbol::Section(number) => section(snapshot, number, enclosing_rule(snapshot, file, at)),
        Symbol::Rule(id) => rule(snapshot, id, span),
        Symbol::File(id) => imported(snapshot, *id),
    };
    Some(Hover {
        span: snapshot.to_current(span),
        markdown,
    })
}

fn code(text: &str) -> String {
    format!("```icp\n{text}\n```")
}

/// The comment above a declaration, and one at the end of its line.
fn notes(snapshot: &Snapshot, span: Span) -> Option<String> {
    let text = snapshot.checked_text(span.file);
    let above = comment_above(text, span.start as usize);
    let line_end = text[span.end as usize..]
        .find('\n')
        .map_or(text.len(), |i| span.end as usize + i);
    let trailing = text[span.end as usize..line_end]
        .split_once("//")
        .map(|(_, c)| c.trim().to_string())
        .filter(|c| !c.is_empty());
    match (above, trailing) {
        (Some(a), Some(t)) => Some(format!("{a}\n\n{t}")),
        (a, t) => a.or(t),
    }
}

fn with_notes(mut out: String, notes: Option<String>) -> String {
    if let Some(notes) = notes {
        out.push_str("\n\n");
        out.push_str(&notes);
    }
    out
}

fn field(snapshot: &Snapshot, record: u32, slot: u32) -> String {
    let schema = &snapshot.analysis.schema;
    let def = &schema.record(record).fields[slot as usize];
    let decl = snapshot
        .analysis
        .index
        .decls
        .get(&Symbol::Field { record, slot })
        .copied();
    let written = decl
        .and_then(|span| find_field(snapshot, span))
        .map(|f| {
            let ty = checked_slice(snapshot, f.ty.span);
            let key = if f.optional_key { "?" } else { "" };
            format!("{}{key}: {ty}", f.name.node)
        })
        .unwrap_or_else(|| format!("{}: {}", def.name, schema.type_name(&def.ty)));
    let declared_nullable = match decl.and_then(|span| find_field(snapshot, span)) {
        Some(f) => matches!(f.ty.node, crate::syntax::ast::TypeExprKind::Nullable(_)),
        None => def.ty.is_nullable(),
    };
    let presence = match (def.optional_key, declared_nullable) {
        (true, _) => "the key may be absent, which reads as null",
        (false, true) => "the key is always present; the value may be null",
        (false, false) => "always present, never null",
    };
    let mut out = code(&written);
    let label = both(&def.label);
    if !label.is_empty() {
        let _ = write!(out, "\n\n**{label}**");
    }
    let _ = write!(
        out,
        "\n\na field of `{}`: {presence}",
        schema.record(record).name
    );
    with_notes(out, decl.and_then(|span| notes(snapshot, span)))
}

fn value_of(snapshot: &Snapshot, enum_id: u32, value: u32) -> String {
    let e = snapshot.analysis.schema.enum_def(enum_id);
    let name = &e.variants[value as usize];
    let mut out = code(name);
    if let Some(labels) = e.labels.get(value as usize).map(both)
        && !labels.is_empty()
    {
        let _ = write!(out, "\n\n**{labels}**");
    }
    let _ = write!(out, "\n\na value of `{}`", e.name);
    let uploads = snapshot.analysis.schema.uploads.as_ref();
    if uploads.is_some_and(|u| u.kind_enum == enum_id) {
        out.push_str(" (a document type)");
    }
    let decl = snapshot
        .analysis
        .index
        .decls
        .get(&Symbol::Value { enum_id, value })
        .copied();
    with_notes(out, decl.and_then(|span| notes(snapshot, span)))
}

fn record(snapshot: &Snapshot, id: u32) -> String {
    let schema = &snapshot.analysis.schema;
    let r = schema.record(id);
    let mut body = format!("record {} {{\n", r.name);
    for f in &r.fields {
        let key = if f.optional_key { "?" } else { "" };
        let _ = writeln!(body, "  {}{key}: {}", f.name, schema.type_name(&f.ty));
    }
    body.push('}');
    let decl = snapshot.analysis.index.decls.get(&Symbol::Record(id));
    with_notes(code(&body), decl.and_then(|s| notes(snapshot, *s)))
}

fn enumeration(snapshot: &Snapshot, id: u32) -> String {
    let e = snapshot.analysis.schema.enum_def(id);
    let body = format!("enum {} {{ {} }}", e.name, e.variants.join(", "));
    let decl = snapshot.analysis.index.decls.get(&Symbol::Enum(id));
    with_notes(code(&body), decl.and_then(|s| notes(snapshot, *s)))
}

fn def(snapshot: &Snapshot, id: usize) -> String {
    let Some(def) = snapshot.analysis.index.defs.get(id) else {
        return String::new();
    };
    let schema = &snapshot.analysis.schema;
    let params = if def.params.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = def
            .params
            .iter()
            .map(|(n, t)| format!("{n}: {}", schema.type_name(t)))
            .collect();
        format!("({})", list.join(", "))
    };
    let mut out = code(&format!(
        "def {}{params}: {}",
        def.name,
        schema.type_name(&def.ty)
    ));
    let text = snapshot.checked_text(def.file);
    let _ = write!(
        out,
        "\n\ndefined in `{}`:\n\n{}",
        snapshot.sources.file(def.file).path,
        code(&expression(text, def.span))
    );
    with_notes(out, comment_above(text, def.span.start as usize))
}

fn local_of(snapshot: &Snapshot, local: usize) -> String {
    let Some(l) = snapshot.analysis.index.locals.get(local) else {
        return String::new();
    };
    let kind = match l.kind {
        LocalKind::Binder => "bound by `for` or a quantifier",
        LocalKind::Let => "a `let` of the rule",
        LocalKind::Parameter => "a parameter",
    };
    let ty = match &l.ty {
        Type::Error => "?".to_string(),
        ty => snapshot.analysis.schema.type_name(ty),
    };
    format!("{}\n\n{kind}", code(&format!("{}: {ty}", l.name)))
}

fn section(
    snapshot: &Snapshot,
    number: &str,
    rule: Option<(Option<&str>, &crate::syntax::ast::RuleDecl)>,
) -> String {
    let title = section_title(snapshot, number);
    let mut out = format!("**{number} {title}**");
    let Some((ruleset, rule)) = rule else {
        // The declaration: which rules cite it.
        let citing = rules_naming(snapshot, &Symbol::Section(number.to_string()));
        if !citing.is_empty() {
            let _ = write!(out, "\n\ncited by {}", citing.join(", "));
        }
        return out;
    };
    let id = rule.id(ruleset);
    let rows: Vec<&(String, String, Vec<String>)> = snapshot
        .coverage
        .iter()
        .filter(|(_, _, ids)| ids.contains(&id))
        .collect();
    if rows.is_empty() {
        if !snapshot.coverage.is_empty() {
            let _ = write!(out, "\n\nthe coverage table maps no sentence to `{id}`");
        }
        return out;
    }
    let _ = write!(out, "\n\n`{id}` implements:");
    for (section, bullet, _) in rows {
        let _ = write!(out, "\n- {section}: {bullet}");
    }
    out
}

fn rule(snapshot: &Snapshot, id: &str, at: Span) -> String {
    // At a declaration, that version of the rule; elsewhere, its first.
    let declared_here = snapshot.analysis.files[at.file as usize]
        .rules()
        .into_iter()
        .find(|(rs, r)| r.name.span.start == at.start && r.id(*rs) == id)
        .map(|(_, r)| (at.file, r));
    let Some((file, decl)) = declared_here.or_else(|| find_rule(snapshot, id)) else {
        return code(id);
    };
    let text = snapshot.checked_text(file);
    let is_declaration = file == at.file && decl.name.span.start == at.start;
    let mut out = format!("**`{id}`**");
    if let Some(source) = &decl.source {
        let title = section_title(snapshot, &source.node);
        let _ = write!(out, " · section {} {title}", source.node);
    }
    let (line, _) = crate::source::line_column(text, decl.span.start as usize);
    let _ = write!(out, " · `{}:{line}`", snapshot.sources.file(file).path);
    if let Some(f) = &decl.in_force {
        let _ = write!(out, " · in force {}", f.window());
    }
    let overriders = rules_naming(snapshot, &Symbol::Rule(id.to_string()));
    if is_declaration {
        if let Some(target) = &decl.overrides {
            let _ = write!(out, "\n\noverrides `{}`", target.node);
        }
        if !overriders.is_empty() {
            let _ = write!(out, "\n\noverridden by {}", overriders.join(", "));
        }
        return out;
    }
    // An `overrides` target: the rule it replaces, as written.
    out.insert_str(0, "replaces ");
    let written = expression(text, decl.span);
    with_notes(
        format!("{out}\n\n{}", code(&written)),
        comment_above(text, decl.span.start as usize),
    )
}

/// The ids of the rules that name a symbol (cite a section, override a
/// rule), in backticks.
fn rules_naming(snapshot: &Snapshot, symbol: &Symbol) -> Vec<String> {
    snapshot
        .analysis
        .index
        .refs
        .iter()
        .filter(|(_, s)| s == symbol)
        .filter_map(|(span, _)| enclosing_rule(snapshot, span.file, span.start as usize))
        .map(|(rs, r)| format!("`{}`", r.id(rs)))
        .collect()
}

fn imported(snapshot: &Snapshot, id: FileId) -> String {
    let file = snapshot.sources.file(id);
    let mut out = format!("`{}`", file.path);
    if let Some(intro) = crate::docs::written::leading_comment(&file.text) {
        let _ = write!(out, "\n\n{intro}");
    }
    out
}
