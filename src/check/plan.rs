//! Loop-invariant work: what the evaluator can do once instead of once per
//! element, found once the program is checked.
//!
//! A rule that loops over the websites and, for each, counts the websites
//! with the same service number, or asks whether each of a website's content
//! categories is among its pre-approvals, is quadratic when evaluated as
//! written. Evaluation time must stay linear in the application, so:
//!
//! - an expression inside a loop (or a definition) that reads no local of
//!   the loops and definitions around it is computed once per evaluation
//!   ([`Expr::Memo`]);
//! - `x in list` inside a loop looks a list it meets again up in a hash set
//!   ([`Expr::InIndexed`]): the evaluator tells by the list's identity
//!   whether it is the one it indexed;
//! - `count(v in list where cond(v) and key(v) == outer)` (and `any`,
//!   `none`) whose list, `cond` and `key` read nothing from outside becomes
//!   one index of the elements by key per evaluation ([`Expr::Join`]).
//!
//! Every rewrite computes the same value as the expression it replaces (the
//! language has no side effects); the evaluator goes through the expression
//! as written whenever it explains a finding.

use super::program::{Expr, Join, JoinKind, Program, RuleCheck, RuleCode};
use crate::syntax::ast::Quantifier;
use crate::value::Val;

/// Rewrites the program's expressions; numbers the slots the rewrites use.
pub fn plan(program: &mut Program) {
    let mut planner = Planner { slots: 0 };
    for def in &mut program.defs {
        // A definition is called any number of times.
        planner.go(&mut def.body, true);
    }
    for scope in &mut program.scopes {
        if let Some(cond) = &mut scope.cond {
            planner.go(cond, false);
        }
    }
    for rule in program.rules.iter_mut().chain(&mut program.invariants) {
        planner.rule(rule);
    }
    program.memo_slots = planner.slots as usize;
}

struct Planner {
    slots: u32,
}

/// The locals an expression reads that it does not bind, sorted.
type Free = Vec<u32>;

impl Planner {
    fn slot(&mut self) -> u32 {
        self.slots += 1;
        self.slots - 1
    }

    fn rule(&mut self, rule: &mut RuleCode) {
        let repeated = self.binders(&mut rule.binders, false).1;
        if let Some(when) = &mut rule.when {
            self.go(when, repeated);
        }
        for (_, value) in &mut rule.lets {
            self.go(value, repeated);
        }
        match &mut rule.check {
            RuleCheck::Require(cond) => {
                self.go(cond, repeated);
            }
            RuleCheck::Document { target, .. } => {
                if let Some(target) = target {
                    self.go(target, repeated);
                }
            }
        }
        // Message holes are evaluated once per finding, `at` is read where
        // it is written (explanations look at it as it is): neither changes.
    }

    /// Plans the binders' sources (each evaluated once per element of the
    /// binders before it); returns what they read from outside, and whether
    /// what comes after them is evaluated repeatedly.
    fn binders(&mut self, binders: &mut [(u32, Expr)], repeated: bool) -> (Free, bool) {
        let mut free = Free::new();
        let mut bound = Vec::new();
        let mut repeated = repeated;
        for (slot, source) in binders.iter_mut() {
            let mut f = self.go(source, repeated);
            f.retain(|s| !bound.contains(s));
            union(&mut free, f);
            bound.push(*slot);
            repeated = true;
        }
        (free, repeated)
    }

    /// Plans `expr`, evaluated more than once per evaluation if `repeated`;
    /// returns the locals it reads from outside.
    fn go(&mut self, expr: &mut Expr, repeated: bool) -> Free {
        let free = match expr {
            Expr::Const(_) | Expr::Input(_) => Free::new(),
            Expr::Local(slot) => vec![*slot],
            Expr::Field(e, _) | Expr::Not(e) | Expr::InConsts(e, _) | Expr::Wording(e) => {
                self.go(e, repeated)
            }
            Expr::And(a, b)
            | Expr::Or(a, b)
            | Expr::Eq(a, b)
            | Expr::Compare(_, a, b)
            | Expr::Add(a, b)
            | Expr::Sub(a, b)
            | Expr::Concat(a, b)
            | Expr::Append(a, b)
            | Expr::InList(a, b) => {
                let mut free = self.go(a, repeated);
                union(&mut free, self.go(b, repeated));
                free
            }
            Expr::InSet(e, set) => {
                let mut free = self.go(e, repeated);
                for item in set {
                    union(&mut free, self.go(item, repeated));
                }
                free
            }
            Expr::Quantifier(_, binders, body) => {
                let (mut free, inner) = self.binders(binders, repeated);
                let f = self.go(body, inner);
                union(&mut free, outside(f, binders));
                free
            }
            Expr::Count(binders, filter) => {
                let (mut free, inner) = self.binders(binders, repeated);
                if let Some(filter) = filter {
                    let f = self.go(filter, inner);
                    union(&mut free, outside(f, binders));
                }
                free
            }
            Expr::Comprehension(elem, binders, filter) => {
                let (mut free, inner) = self.binders(binders, repeated);
                let f = self.go(elem, inner);
                union(&mut free, outside(f, binders));
                if let Some(filter) = filter {
                    let f = self.go(filter, inner);
                    union(&mut free, outside(f, binders));
                }
                free
            }
            Expr::Builtin(_, args) | Expr::Call(_, args) => {
                let mut free = Free::new();
                for arg in args {
                    union(&mut free, self.go(arg, repeated));
                }
                free
            }
            // Already planned (when finding what a copy reads): a memo reads
            // nothing from outside, a join only through its probe, guard and
            // residual.
            Expr::Memo(..) => return Free::new(),
            Expr::InIndexed(_, x, list) => {
                let mut free = self.go(x, false);
                union(&mut free, self.go(list, false));
                return free;
            }
            Expr::Join(_, join) => {
                let mut free = self.go(&mut join.probe, false);
                for part in [&mut join.guard, &mut join.residual].into_iter().flatten() {
                    let f = self.go(part, false);
                    union(&mut free, outside(f, &join.binders));
                }
                return free;
            }
        };
        if !repeated {
            return free;
        }
        if let Expr::InList(..) = expr {
            let Expr::InList(x, list) = std::mem::replace(expr, Expr::Const(Val::Null)) else {
                unreachable!("matched above")
            };
            *expr = Expr::InIndexed(self.slot(), x, list);
        }
        if let Some(join) = join(expr) {
            *expr = Expr::Join(self.slot(), Box::new(join));
        }
        if free.is_empty() && worth_keeping(expr) {
            let inner = std::mem::replace(expr, Expr::Const(Val::Null));
            *expr = Expr::Memo(self.slot(), Box::new(inner));
        }
        free
    }
}

/// Whether computing `expr` costs more than keeping its value.
fn worth_keeping(expr: &Expr) -> bool {
    match expr {
        Expr::Quantifier(..)
        | Expr::Count(..)
        | Expr::Comprehension(..)
        | Expr::Builtin(..)
        | Expr::Append(..)
        | Expr::Concat(..)
        | Expr::InIndexed(..)
        | Expr::Join(..) => true,
        // Calls without arguments are kept by the evaluator already.
        Expr::Call(_, args) => !args.is_empty(),
        _ => false,
    }
}

/// `expr` as a [`Join`], if it is a `count`, `any` or `none` of that shape.
fn join(expr: &Expr) -> Option<Join> {
    let (kind, binders, cond) = match expr {
        Expr::Count(binders, Some(filter)) => (JoinKind::Count, binders, &**filter),
        Expr::Quantifier(Quantifier::Any, binders, body) => (JoinKind::Any, binders, &**body),
        Expr::Quantifier(Quantifier::None, binders, body) => (JoinKind::None, binders, &**body),
        _ => return None,
    };
    let bound: Vec<u32> = binders.iter().map(|(slot, _)| *slot).collect();
    let mut earlier = Vec::new();
    for (slot, source) in binders {
        // The elements must be the same on every evaluation.
        if free(source).iter().any(|s| !earlier.contains(s)) {
            return None;
        }
        earlier.push(*slot);
    }
    let mut conjuncts = Vec::new();
    flatten_and(cond, &mut conjuncts);
    let (mut inner, mut guard, mut residual, mut key) = (Vec::new(), Vec::new(), Vec::new(), None);
    let reads_bound = |f: &Free| f.iter().all(|s| bound.contains(s));
    let reads_outside = |f: &Free| f.iter().all(|s| !bound.contains(s));
    for c in conjuncts {
        let f = free(c);
        if reads_outside(&f) {
            guard.push(c.clone());
            continue;
        }
        if reads_bound(&f) {
            inner.push(c.clone());
            continue;
        }
        if key.is_none()
            && let Expr::Eq(a, b) = c
        {
            let (fa, fb) = (free(a), free(b));
            if reads_bound(&fa) && reads_outside(&fb) {
                key = Some(((**a).clone(), (**b).clone()));
                continue;
            }
            if reads_bound(&fb) && reads_outside(&fa) {
                key = Some(((**b).clone(), (**a).clone()));
                continue;
            }
        }
        residual.push(c.clone());
    }
    let (key, probe) = key?;
    Some(Join {
        kind,
        binders: binders.clone(),
        inner: conjunction(inner),
        key,
        probe,
        guard: conjunction(guard),
        residual: conjunction(residual),
        original: expr.clone(),
    })
}

fn flatten_and<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match expr {
        Expr::And(a, b) => {
            flatten_and(a, out);
            flatten_and(b, out);
        }
        other => out.push(other),
    }
}

fn conjunction(parts: Vec<Expr>) -> Option<Expr> {
    parts
        .into_iter()
        .reduce(|a, b| Expr::And(Box::new(a), Box::new(b)))
}

/// The locals `expr` reads that it does not bind.
fn free(expr: &Expr) -> Free {
    let mut copy = expr.clone();
    // Planning a copy as if evaluated once rewrites nothing.
    Planner { slots: 0 }.go(&mut copy, false)
}

/// The locals of `f` not bound by `binders`.
fn outside(mut f: Free, binders: &[(u32, Expr)]) -> Free {
    f.retain(|s| !binders.iter().any(|(slot, _)| slot == s));
    f
}

fn union(into: &mut Free, other: Free) {
    into.extend(other);
    into.sort_unstable();
    into.dedup();
}
