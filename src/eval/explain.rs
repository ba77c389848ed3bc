//! Why a rule failed: the facts behind the verdict, and where they are.
//!
//! Only runs for findings, so it may evaluate twice: once quietly to see
//! which part of a condition decided, once recording the facts that part read.

use super::Detail;
use super::expr::Evaluator;
use std::fmt::Write;

use crate::check::program::{Expr, RuleCode};
use crate::check::schema::{Schema, Type};
use crate::syntax::ast::Quantifier;
use crate::value::{Data, Val};

/// Elements of a quantifier shown when every one of them counts.
const MAX_ELEMENTS: usize = 8;
/// Facts shown for one finding.
const MAX_FACTS: usize = 12;

impl<'a> Evaluator<'_, 'a> {
    /// The path of the fact concerned and, with [`Detail::Facts`], the facts
    /// that made `cond` fail.
    pub fn explain(
        &mut self,
        cond: &Expr,
        rule: &RuleCode,
        detail: Detail,
    ) -> (String, Vec<(String, String)>) {
        let schema = &self.program().schema;
        let at = rule
            .at
            .as_ref()
            .and_then(|at| self.fact_at(at))
            .and_then(|d| locate(schema, self.root, d))
            .map(|(path, _)| path);
        if detail == Detail::Path
            && let Some(at) = at
        {
            // The path is the `at` fact's: no need to find the others.
            return (at, Vec::new());
        }
        self.trace = Some(Vec::new());
        self.blame(cond);
        let mut reads = self.trace.take().unwrap_or_default();
        let facts: Vec<(String, String)> = match detail {
            Detail::Facts => {
                let mut seen = Vec::new();
                reads.retain(|d| {
                    let p = *d as *const Data;
                    let new = !seen.contains(&p);
                    seen.push(p);
                    new
                });
                reads
                    .iter()
                    .filter_map(|d| {
                        let (path, ty) = locate(schema, self.root, d)?;
                        let lang = self.program().language;
                        Some((path, schema.show_fact(&Val::of(d), &ty, lang)))
                    })
                    .take(MAX_FACTS)
                    .collect()
            }
            Detail::Path => reads
                .iter()
                .find_map(|d| locate(schema, self.root, d))
                .map(|(path, _)| (path, String::new()))
                .into_iter()
                .collect(),
        };
        let innermost = rule
            .binders
            .last()
            .and_then(|(slot, _)| match self.local(*slot) {
                Val::Fact(d) => Some(*d),
                _ => None,
            })
            .and_then(|d| locate(schema, self.root, d))
            .map(|(path, _)| path);
        let path = at
            .or_else(|| facts.first().map(|(p, _)| p.clone()))
            .or(innermost)
            .unwrap_or_default();
        match detail {
            Detail::Facts => (path, facts),
            Detail::Path => (path, Vec::new()),
        }
    }

    /// Records the facts that decided the value of `expr`: for `and`, the
    /// false side; for `all`, the first counterexample; and so on.
    fn blame(&mut self, expr: &Expr) {
        match expr {
            Expr::Not(inner) => self.blame(inner),
            Expr::And(a, b) | Expr::Or(a, b) => {
                let decisive = matches!(expr, Expr::Or(..));
                if self.quiet(a).as_bool() == decisive {
                    self.blame(a);
                } else if self.quiet(b).as_bool() == decisive {
                    self.blame(b);
                } else {
                    self.blame(a);
                    self.blame(b);
                }
            }
            Expr::Quantifier(q, binders, body) => {
                let example = !matches!(q, Quantifier::All);
                let mut found = false;
                self.for_each_quiet(binders, &mut |s| {
                    if s.quiet(body).as_bool() == example {
                        s.blame(body);
                        found = true;
                    }
                    !found
                });
                if !found {
                    let mut shown = 0;
                    self.for_each_quiet(binders, &mut |s| {
                        s.blame(body);
                        shown += 1;
                        shown < MAX_ELEMENTS
                    });
                    if shown == 0 {
                        // Nothing to go through: the empty list is the fact.
                        for (_, source) in binders {
                            self.eval(source);
                        }
                    }
                }
            }
            Expr::Call(def, args) => {
                let code = &self.program().defs[*def as usize];
                let values: Vec<Val<'a>> = args.iter().map(|a| self.eval(a)).collect();
                let saved = self.enter(code.frame, values);
                self.blame(&code.body);
                self.leave(saved);
            }
            other => {
                self.eval(other);
            }
        }
    }

    fn for_each_quiet(&mut self, binders: &[(u32, Expr)], f: &mut dyn FnMut(&mut Self) -> bool) {
        let trace = self.trace.take();
        let mut restore = trace;
        self.for_each(binders, &mut |s| {
            let outer = s.trace.take();
            s.trace = restore.take();
            let go_on = f(s);
            restore = s.trace.take();
            s.trace = outer;
            go_on
        });
        self.trace = restore;
    }

    /// The fact an `at` clause names.
    fn fact_at(&mut self, expr: &Expr) -> Option<&'a Data> {
        match expr {
            Expr::Input(slot) => match self.root {
                Data::Record(fields) => fields.get(*slot as usize),
                _ => None,
            },
            Expr::Local(slot) => match self.local(*slot) {
                Val::Fact(d) => Some(*d),
                _ => None,
            },
            Expr::Field(base, slot) => match self.fact_at(base)? {
                Data::Record(fields) => fields.get(*slot as usize),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Finds where a fact is in the application: its JSON path and type.
fn locate(schema: &Schema, root: &Data, target: &Data) -> Option<(String, Type)> {
    let mut path = String::new();
    find(schema, root, &Type::Record(schema.input), target, &mut path).map(|ty| (path, ty))
}

fn find(schema: &Schema, node: &Data, ty: &Type, target: &Data, path: &mut String) -> Option<Type> {
    if std::ptr::eq(node, target) {
        return Some(ty.clone());
    }
    let len = path.len();
    match (node, ty.non_null()) {
        (Data::Record(fields), Type::Record(r)) => {
            for (field, def) in fields.iter().zip(&schema.record(*r).fields) {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&def.name);
                if let Some(found) = find(schema, field, &def.ty, target, path) {
                    return Some(found);
                }
                path.truncate(len);
            }
        }
        (Data::List(items), Type::List(elem)) => {
            for (i, item) in items.iter().enumerate() {
                let _ = write!(path, "[{i}]");
                if let Some(found) = find(schema, item, elem, target, path) {
                    return Some(found);
                }
                path.truncate(len);
            }
        }
        _ => {}
    }
    None
}
