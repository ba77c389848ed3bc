//! The outline of a file: rule sets with their groups, rules and document
//! requirements; invariants, definitions, records with their fields, enums
//! with their values, and the cited sections.

use crate::docs::written::expression;
use crate::lsp::snapshot::Snapshot;
use crate::source::{FileId, Span};
use crate::syntax::ast::{BodyItem, Item, RuleDecl, RuleKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineKind {
    Ruleset,
    Group,
    Rule,
    Document,
    Invariant,
    Def,
    Record,
    Field,
    Enum,
    Value,
    Sections,
    Section,
    Uploads,
}

#[derive(Clone, Debug)]
pub struct Outline {
    pub name: String,
    pub detail: Option<String>,
    pub kind: OutlineKind,
    /// All of it.
    pub span: Span,
    /// Its name.
    pub name_span: Span,
    pub children: Vec<Outline>,
}

pub fn outline(snapshot: &Snapshot, file: FileId) -> Vec<Outline> {
    let ast = &snapshot.analysis.files[file as usize];
    let text = snapshot.checked_text(file);
    let leaf = |name: &str, detail: Option<String>, kind, span: Span, name_span: Span| Outline {
        name: name.to_string(),
        detail,
        kind,
        span: snapshot.to_current(span),
        name_span: snapshot.to_current(name_span),
        children: Vec::new(),
    };
    let mut out = Vec::new();
    for item in &ast.items {
        let entry = match item {
            Item::Ruleset(rs) => {
                let detail = rs
                    .when
                    .as_ref()
                    .map(|w| format!("when {}", expression(text, w.span)));
                let mut o = leaf(
                    &rs.name.node,
                    detail,
                    OutlineKind::Ruleset,
                    rs.span,
                    rs.name.span,
                );
                o.children = body(snapshot, text, &rs.items);
                o
            }
            Item::Invariant(rule) => rule_entry(snapshot, rule, OutlineKind::Invariant),
            Item::Def(def) => leaf(
                &def.name.node,
                None,
                OutlineKind::Def,
                def.span,
                def.name.span,
            ),
            Item::Record(r) => {
                let mut o = leaf(&r.name.node, None, OutlineKind::Record, r.span, r.name.span);
                o.children = r
                    .fields
                    .iter()
                    .map(|f| {
                        let span = f.name.span.to(f.ty.span);
                        let ty = &text[f.ty.span.range()];
                        let detail = Some(if f.optional_key {
                            format!("{ty}, may be absent")
                        } else {
                            ty.to_string()
                        });
                        leaf(&f.name.node, detail, OutlineKind::Field, span, f.name.span)
                    })
                    .collect();
                o
            }
            Item::Enum(e) => {
                let mut o = leaf(&e.name.node, None, OutlineKind::Enum, e.span, e.name.span);
                o.children = e
                    .variants
                    .iter()
                    .map(|v| {
                        let labels: Vec<&str> =
                            v.labels.iter().map(|l| l.text.node.as_str()).collect();
                        let detail = (!labels.is_empty()).then(|| labels.join(" · "));
                        leaf(
                            &v.name.node,
                            detail,
                            OutlineKind::Value,
                            v.name.span,
                            v.name.span,
                        )
                    })
                    .collect();
                o
            }
            Item::Sections(decl) if !decl.entries.is_empty() => {
                let sections = &decl.entries;
                let end = |s: &crate::syntax::ast::Section| {
                    s.title.last().map_or(s.number.span, |t| t.text.span)
                };
                let span = sections[0]
                    .number
                    .span
                    .to(end(&sections[sections.len() - 1]));
                let mut o = leaf(
                    "sections",
                    None,
                    OutlineKind::Sections,
                    span,
                    sections[0].number.span,
                );
                o.children = sections
                    .iter()
                    .map(|s| {
                        let span = s.number.span.to(end(s));
                        let titles: Vec<&str> =
                            s.title.iter().map(|t| t.text.node.as_str()).collect();
                        leaf(
                            &s.number.node,
                            Some(titles.join(" · ")),
                            OutlineKind::Section,
                            span,
                            s.number.span,
                        )
                    })
                    .collect();
                o
            }
            Item::Uploads(u) => leaf("uploads", None, OutlineKind::Uploads, u.span, u.span),
            _ => continue,
        };
        out.push(entry);
    }
    out
}

fn body(snapshot: &Snapshot, text: &str, items: &[BodyItem]) -> Vec<Outline> {
    items
        .iter()
        .map(|item| match item {
            BodyItem::Rule(rule) => {
                let kind = match rule.kind {
                    RuleKind::Rule => OutlineKind::Rule,
                    RuleKind::Document => OutlineKind::Document,
                };
                rule_entry(snapshot, rule, kind)
            }
            BodyItem::Group(g) => Outline {
                name: match (&g.when, &g.in_force) {
                    (Some(w), _) => format!("when {}", expression(text, w.span)),
                    (None, Some(f)) => format!("in force {}", f.window()),
                    (None, None) => "group".to_string(),
                },
                detail: None,
                kind: OutlineKind::Group,
                span: snapshot.to_current(g.span),
                name_span: snapshot.to_current(
                    g.when
                        .as_ref()
                        .map(|w| w.span)
                        .or(g.in_force.as_ref().map(|f| f.span))
                        .unwrap_or(g.span),
                ),
                children: body(snapshot, text, &g.items),
            },
        })
        .collect()
}

fn rule_entry(snapshot: &Snapshot, rule: &RuleDecl, kind: OutlineKind) -> Outline {
    let detail = rule.source.as_ref().map(|s| format!("section {}", s.node));
    Outline {
        name: rule.name.node.clone(),
        detail,
        kind,
        span: snapshot.to_current(rule.span),
        name_span: snapshot.to_current(rule.name.span),
        children: Vec::new(),
    }
}
