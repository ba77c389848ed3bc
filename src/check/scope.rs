//! Local names and what is known not to be null where an expression is checked.

use super::program::Expr;
use super::schema::Type;
use crate::source::{FileId, Span};
use crate::value::Val;

/// The locals of one rule, scope or definition. Slots are reused once a
/// binder goes out of scope; `max` is how many the evaluator must reserve.
pub struct Frame {
    pub file: FileId,
    /// Name, slot, type and index in [`super::index::Index::locals`].
    pub locals: Vec<(String, u32, Type, u32)>,
    pub next: u32,
    pub max: u32,
    /// Places that conditions around the current expression prove non-null.
    pub nonnull: Vec<Place>,
    /// The `let`s of the rule not yet computed where the current clause
    /// (named) is evaluated: for a clear error when one is used there.
    pub not_yet: Vec<(String, Span)>,
    pub clause: &'static str,
}

impl Frame {
    pub fn new(file: FileId) -> Frame {
        Frame {
            file,
            locals: Vec::new(),
            next: 0,
            max: 0,
            nonnull: Vec::new(),
            not_yet: Vec::new(),
            clause: "",
        }
    }

    pub fn bind(&mut self, name: &str, ty: Type, local: u32) -> u32 {
        let slot = self.next;
        self.next += 1;
        self.max = self.max.max(self.next);
        self.locals.push((name.to_string(), slot, ty, local));
        slot
    }

    /// The slot, type and local index of a name.
    pub fn lookup(&self, name: &str) -> Option<(u32, &Type, u32)> {
        self.locals
            .iter()
            .rev()
            .find(|(n, ..)| n == name)
            .map(|(_, slot, ty, local)| (*slot, ty, *local))
    }

    /// Where to come back to when the binders of a quantifier go out of scope.
    pub fn mark(&self) -> (usize, u32, usize) {
        (self.locals.len(), self.next, self.nonnull.len())
    }

    pub fn reset(&mut self, mark: (usize, u32, usize)) {
        self.locals.truncate(mark.0);
        self.next = mark.1;
        self.nonnull.truncate(mark.2);
    }

    pub fn is_nonnull(&self, place: &Place) -> bool {
        self.nonnull.contains(place)
    }
}

/// A path from the input or a local, by field slots: what narrowing is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub local: Option<u32>,
    pub fields: Vec<u32>,
}

impl Place {
    pub fn is_input(&self) -> bool {
        self.local.is_none()
    }
}

pub fn place(expr: &Expr) -> Option<Place> {
    match expr {
        Expr::Input(slot) => Some(Place {
            local: None,
            fields: vec![*slot],
        }),
        Expr::Local(slot) => Some(Place {
            local: Some(*slot),
            fields: Vec::new(),
        }),
        Expr::Field(base, slot) => {
            let mut p = place(base)?;
            p.fields.push(*slot);
            Some(p)
        }
        _ => None,
    }
}

/// The places an expression proves non-null when it evaluates to `truth`.
pub fn nonnull_facts(expr: &Expr, truth: bool) -> Vec<Place> {
    match expr {
        Expr::Eq(a, b) if !truth => match (&**a, &**b) {
            (x, Expr::Const(Val::Null)) | (Expr::Const(Val::Null), x) => {
                place(x).into_iter().collect()
            }
            _ => Vec::new(),
        },
        Expr::Not(inner) => nonnull_facts(inner, !truth),
        Expr::And(a, b) if truth => {
            let mut facts = nonnull_facts(a, true);
            facts.extend(nonnull_facts(b, true));
            facts
        }
        Expr::Or(a, b) if !truth => {
            let mut facts = nonnull_facts(a, false);
            facts.extend(nonnull_facts(b, false));
            facts
        }
        _ => Vec::new(),
    }
}
