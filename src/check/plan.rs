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

use super::program::{
    Builtin, DefCode, Expr, Join, JoinKind, Program, RuleCheck, RuleCode, TermMatch,
};
use crate::syntax::ast::Quantifier;
use crate::value::Val;
use std::collections::HashMap;

/// Rewrites the program's expressions; numbers the slots the rewrites use.
pub fn plan(program: &mut Program) {
    let mut planner = Planner {
        slots: 0,
        defs: std::mem::take(&mut program.defs),
        special: HashMap::new(),
        planning: true,
        in_def: true,
    };
    // Specialised definitions are added at the end, and planned in turn.
    let mut def = 0;
    while def < planner.defs.len() {
        let mut body = std::mem::replace(&mut planner.defs[def].body, Expr::Const(Val::Null));
        // A definition is called any number of times.
        planner.go(&mut body, true);
        planner.defs[def].body = body;
        def += 1;
    }
    planner.in_def = false;
    for scope in &mut program.scopes {
        if let Some(cond) = &mut scope.cond {
            planner.go(cond, false);
        }
    }
    for rule in program.rules.iter_mut().chain(&mut program.invariants) {
        planner.rule(rule);
    }
    program.defs = planner.defs;
    program.memo_slots = planner.slots as usize;
}

/// Definitions specialised for constant arguments, at most: a rule set
/// cannot grow the program without bound.
const MAX_SPECIALISED: usize = 4096;

struct Planner {
    slots: u32,
    defs: Vec<DefCode>,
    /// The specialisation of a definition for constant arguments (by
    /// position; `None` for one that is not constant).
    special: HashMap<(u32, Vec<Option<String>>), u32>,
    /// False when only finding what an expression reads.
    planning: bool,
    /// Whether a definition's body is planned (calls are inlined there
    /// only: the pages of the rules name the definitions a rule calls).
    in_def: bool,
}

/// The locals an expression reads that it does not bind, sorted.
type Free = Vec<u32>;

impl Planner {
    fn slot(&mut self) -> u32 {
        self.slots += 1;
        self.slots - 1
    }

    /// The definition `def` with the parameters given constants replaced by
    /// them and what that makes constant folded (`word + "s"`, the wording of
    /// a constant): a definition called with constants, as the shipped rules
    /// call `names_word(name, "loan")` for dozens of words, then computes
    /// on each call only what depends on the rest. `None` when no argument
    /// is constant.
    fn specialise(&mut self, def: u32, args: &[Expr]) -> Option<u32> {
        let consts: Vec<Option<&Val<'static>>> = args
            .iter()
            .map(|a| match a {
                Expr::Const(v) => Some(v),
                _ => None,
            })
            .collect();
        if !self.planning || consts.iter().all(Option::is_none) {
            return None;
        }
        let key = (
            def,
            consts.iter().map(|c| c.map(|v| format!("{v:?}"))).collect(),
        );
        if let Some(id) = self.special.get(&key) {
            return Some(*id);
        }
        if self.special.len() >= MAX_SPECIALISED {
            return None;
        }
        let mut code = self.defs[def as usize].clone();
        // Parameters are the first slots of a definition's frame.
        substitute(&mut code.body, &|slot| {
            consts
                .get(slot as usize)
                .copied()
                .flatten()
                .map(|v| Expr::Const(v.clone()))
        });
        let id = self.defs.len() as u32;
        self.defs.push(code);
        self.special.insert(key, id);
        Some(id)
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
        if self.planning
            && let Expr::Or(..) = expr
        {
            // A chain of `or` is planned part by part, then its terms
            // gathered once.
            let mut parts = Vec::new();
            flatten_or(std::mem::replace(expr, Expr::Const(Val::Null)), &mut parts);
            let mut free = Free::new();
            for part in &mut parts {
                union(&mut free, self.go(part, repeated));
            }
            *expr = parts
                .into_iter()
                .reduce(|a, b| Expr::Or(Box::new(a), Box::new(b)))
                .unwrap_or(Expr::Const(Val::Bool(false)));
            merge_terms(expr);
            return self.finish(expr, free, repeated);
        }
        let free = match expr {
            Expr::Const(_) | Expr::Input(_) => Free::new(),
            Expr::Local(slot) => vec![*slot],
            Expr::Field(e, _) | Expr::Not(e) | Expr::InConsts(e, _) | Expr::Terms(e, _) => {
                self.go(e, repeated)
            }
            Expr::Wording(slot, e) => {
                *slot = self.slot();
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
            Expr::Builtin(_, args) => {
                let mut free = Free::new();
                for arg in args {
                    union(&mut free, self.go(arg, repeated));
                }
                free
            }
            Expr::Call(def, args) => {
                let mut free = Free::new();
                for arg in args.iter_mut() {
                    union(&mut free, self.go(arg, repeated));
                }
                if let Some(special) = self.specialise(*def, args) {
                    *def = special;
                }
                if let Some(body) = self.inline(*def, args) {
                    *expr = body;
                    return self.go(expr, repeated);
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
        self.finish(expr, free, repeated)
    }

    /// Rewrites `expr`, its parts planned, for what it does as a whole.
    fn finish(&mut self, expr: &mut Expr, free: Free, repeated: bool) -> Free {
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

/// Largest body of a definition inlined where it is called.
const MAX_INLINED: usize = 24;

impl Planner {
    /// The body of `def` with its parameters replaced by `args`, for a small
    /// definition without loops of its own (whose locals are its
    /// parameters only) inside another definition: what it computes can
    /// then be planned with what its caller computes (the terms of
    /// `names_word(name, "loan")` join the others of its caller). `None`
    /// when it would copy work: a parameter used twice given more than a
    /// local or constant.
    fn inline(&mut self, def: u32, args: &[Expr]) -> Option<Expr> {
        if !(self.planning && self.in_def) {
            return None;
        }
        let code = &self.defs[def as usize];
        let mut body = code.body.clone();
        let mut size = 0;
        let mut loops = false;
        let mut uses = vec![0usize; code.params];
        measure(&mut body, &mut size, &mut loops, &mut uses);
        if size > MAX_INLINED || loops {
            return None;
        }
        let cheap = |e: &Expr| matches!(e, Expr::Local(_) | Expr::Const(_) | Expr::Input(_));
        if uses.iter().zip(args).any(|(n, arg)| *n > 1 && !cheap(arg)) {
            return None;
        }
        substitute(&mut body, &|slot| args.get(slot as usize).cloned());
        Some(body)
    }
}

/// The nodes of `expr`, whether it has loops (binders), and how often it
/// reads each parameter.
fn measure(expr: &mut Expr, size: &mut usize, loops: &mut bool, uses: &mut [usize]) {
    *size += 1;
    match expr {
        Expr::Quantifier(..) | Expr::Count(..) | Expr::Comprehension(..) | Expr::Join(..) => {
            *loops = true;
        }
        Expr::Local(slot) => {
            if let Some(n) = uses.get_mut(*slot as usize) {
                *n += 1;
            }
        }
        other => other.children_mut(&mut |child| measure(child, size, loops, uses)),
    }
}

/// Gathers the `contains` and `contains_word` of one wording (a local) and
/// constant terms in an `or` chain into one [`Expr::Terms`]: `or` of pure
/// conditions does not depend on their order.
fn merge_terms(expr: &mut Expr) {
    const FEWEST: usize = 4;
    let mut parts = Vec::new();
    flatten_or(std::mem::replace(expr, Expr::Const(Val::Null)), &mut parts);
    // The terms of each local, and where its first one was.
    let mut groups: Vec<(u32, usize, Vec<Term>)> = Vec::new();
    let mut rest: Vec<Option<Expr>> = Vec::new();
    for part in parts {
        let found = match &part {
            Expr::Builtin(b @ (Builtin::Contains | Builtin::ContainsWord), args) => {
                match (&args[0], &args[1]) {
                    (Expr::Local(h), Expr::Const(Val::Text(t))) => {
                        let how = match b {
                            Builtin::Contains => TermMatch::Contains,
                            _ => TermMatch::Word,
                        };
                        Some((*h, vec![(how, Box::<str>::from(&**t))]))
                    }
                    _ => None,
                }
            }
            Expr::Terms(h, terms) => match &**h {
                Expr::Local(h) => Some((*h, terms.terms.clone())),
                _ => None,
            },
            _ => None,
        };
        match found {
            Some((h, terms)) => match groups.iter_mut().find(|(g, ..)| *g == h) {
                Some((_, _, all)) => all.extend(terms),
                None => {
                    groups.push((h, rest.len(), terms));
                    rest.push(None);
                }
            },
            None => rest.push(Some(part)),
        }
    }
    for (h, at, terms) in groups {
        rest[at] = Some(if terms.len() >= FEWEST {
            Expr::Terms(
                Box::new(Expr::Local(h)),
                std::sync::Arc::new(super::program::Terms::new(terms)),
            )
        } else {
            // Too few to gather: as written.
            terms
                .into_iter()
                .map(|(how, term)| {
                    let b = match how {
                        TermMatch::Contains => Builtin::Contains,
                        TermMatch::Word => Builtin::ContainsWord,
                    };
                    Expr::Builtin(
                        b,
                        vec![Expr::Local(h), Expr::Const(Val::Text((*term).into()))],
                    )
                })
                .reduce(|a, b| Expr::Or(Box::new(a), Box::new(b)))
                .unwrap_or(Expr::Const(Val::Bool(false)))
        });
    }
    *expr = rest
        .into_iter()
        .flatten()
        .reduce(|a, b| Expr::Or(Box::new(a), Box::new(b)))
        .unwrap_or(Expr::Const(Val::Bool(false)));
}

/// A term of [`Expr::Terms`]: how it is looked for, and the term.
type Term = (TermMatch, Box<str>);

fn flatten_or(expr: Expr, out: &mut Vec<Expr>) {
    match expr {
        Expr::Or(a, b) => {
            flatten_or(*a, out);
            flatten_or(*b, out);
        }
        other => out.push(other),
    }
}

/// Replaces the locals `value` gives a constant for, and folds what becomes
/// constant.
fn substitute(expr: &mut Expr, value: &dyn Fn(u32) -> Option<Expr>) {
    match expr {
        Expr::Local(slot) => {
            if let Some(v) = value(*slot) {
                *expr = v;
            }
            return;
        }
        Expr::Const(_) | Expr::Input(_) => return,
        // A join's parts are copies of its original: all change alike.
        _ => expr.children_mut(&mut |e| substitute(e, value)),
    }
    // Folds what became constant.
    let folded = match expr {
        Expr::Concat(a, b) => match (&**a, &**b) {
            (Expr::Const(Val::Text(a)), Expr::Const(Val::Text(b))) => {
                Some(Val::Text(format!("{a}{b}").into()))
            }
            _ => None,
        },
        Expr::Wording(_, e) => match &**e {
            Expr::Const(Val::Text(t)) => Some(Val::Text(crate::eval::wording::wording(t).into())),
            _ => None,
        },
        _ => None,
    };
    if let Some(v) = folded {
        *expr = Expr::Const(v);
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
    // Planning a copy as if evaluated once rewrites nothing but slots and
    // the definitions called, which are thrown away.
    Planner {
        slots: 0,
        defs: Vec::new(),
        special: HashMap::new(),
        planning: false,
        in_def: false,
    }
    .go(&mut copy, false)
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
