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
use std::collections::{HashMap, HashSet};

/// Elements of a quantifier shown when every one of them counts.
const MAX_ELEMENTS: usize = 8;
/// Facts shown for one finding.
const MAX_FACTS: usize = 12;
/// Facts located by walking the application, before it is indexed.
const WALKS: u32 = 8;

impl<'a> Evaluator<'_, 'a> {
    /// The path of the fact concerned and, with [`Detail::Facts`], the facts
    /// that made `cond` fail.
    pub fn explain(
        &mut self,
        cond: &Expr,
        rule: &RuleCode,
        detail: Detail,
    ) -> (String, Vec<(String, String)>) {
        let at = rule
            .at
            .as_ref()
            .and_then(|at| self.fact_at(at))
            .and_then(|d| self.locate(d))
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
                let mut seen = HashSet::new();
                reads.retain(|d| seen.insert(*d as *const Data));
                let mut facts = Vec::new();
                for d in reads {
                    if facts.len() == MAX_FACTS {
                        break;
                    }
                    if let Some((path, ty)) = self.locate(d) {
                        let schema = &self.program().schema;
                        let lang = self.program().language;
                        facts.push((path, schema.show_fact(&Val::of(d), &ty, lang)));
                    }
                }
                facts
            }
            Detail::Path => reads
                .iter()
                .find_map(|d| self.locate(d))
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
            .and_then(|d| self.locate(d))
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

    /// Where a fact is in the application: its JSON path and type. The
    /// first finding indexes the application (each value's parent), so that
    /// each finding after it costs the depth of its facts, not the size of
    /// the application.
    fn locate(&mut self, target: &'a Data) -> Option<(String, Type)> {
        let root = self.root;
        if self.places.is_none() {
            self.located += 1;
            if self.located <= WALKS {
                // Most applications have a few findings: walking the
                // application for each costs less than indexing it.
                let values = self.application_values();
                self.burn(values);
                let schema = &self.program().schema;
                let mut path = String::new();
                let ty = Type::Record(schema.input);
                return find(schema, root, &ty, target, &mut path).map(|ty| (path, ty));
            }
            let values = self.application_values();
            self.burn(values);
            self.places = Some(Places::of(root));
        }
        let places = self.places.as_ref()?;
        let mut steps = Vec::new();
        let mut node = target;
        while !std::ptr::eq(node, root) {
            let (parent, step) = places.parent.get(&(node as *const Data))?;
            steps.push(*step);
            node = parent;
        }
        self.burn(steps.len() as u64 + 1);
        let schema = &self.program().schema;
        let mut path = String::new();
        let mut ty = Type::Record(schema.input);
        let mut node = root;
        for step in steps.into_iter().rev() {
            let step = step as usize;
            (node, ty) = match (node, ty.non_null()) {
                (Data::Record(fields), Type::Record(r)) => {
                    let def = schema.record(*r).fields.get(step)?;
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&def.name);
                    (fields.get(step)?, def.ty.clone())
                }
                (Data::List(items), Type::List(elem)) => {
                    let _ = write!(path, "[{step}]");
                    (items.get(step)?, (**elem).clone())
                }
                _ => return None,
            };
        }
        Some((path, ty))
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
            // As written, not as planned: the elements are what explains.
            Expr::Memo(_, inner) => self.blame(inner),
            Expr::Join(_, join) => self.blame(&join.original),
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

/// Each value of an application by its parent and its place in it (field
/// or element index).
pub(super) struct Places<'a> {
    parent: HashMap<*const Data, (&'a Data, u32)>,
}

impl<'a> Places<'a> {
    fn of(root: &'a Data) -> Self {
        let mut parent = HashMap::new();
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if let Data::Record(children) | Data::List(children) = node {
                for (i, child) in children.iter().enumerate() {
                    parent.insert(child as *const Data, (node, i as u32));
                    stack.push(child);
                }
            }
        }
        Places { parent }
    }
}

/// The type of `target` under `node`, with its path added to `path`; a walk
/// of the application.
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
