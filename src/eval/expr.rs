//! The expression evaluator. Values borrow the application; locals live in
//! one stack of slots the checker numbered.

use super::fuel;
use super::wording::{self, worded};
use crate::check::Program;
use crate::check::program::{Builtin, Compare, Expr, Join, JoinKind};
use crate::syntax::ast::Quantifier;
use crate::value::{Data, Key, Val};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Lists shorter than this are searched, not indexed.
const INDEX_FROM: usize = 16;
/// Wordings kept per evaluation before the cache starts again.
const MAX_WORDINGS: usize = 4096;

/// Work kept for the rest of an evaluation (see [`crate::check::plan`]).
enum Slot<'a> {
    Empty,
    Value(Val<'a>),
    /// The list last met by an `in`, kept alive so that its identity stays
    /// its own; its set once met twice.
    Set {
        _alive: Val<'a>,
        identity: (usize, usize),
        set: Option<HashSet<Key<'a>>>,
    },
    /// The last text a [`Expr::Wording`] met (kept alive, so that its
    /// identity stays its own) and its wording.
    Wording {
        _alive: Val<'a>,
        identity: (usize, usize),
        wording: Arc<str>,
    },
    /// The elements with each key: the values of the binders, one after
    /// the other.
    Index(HashMap<Key<'a>, Vec<Val<'a>>>),
}

pub struct Evaluator<'p, 'a> {
    program: &'p Program,
    pub(super) root: &'a Data,
    fields: &'a [Data],
    env: Vec<Val<'a>>,
    base: usize,
    /// Values of definitions without parameters, computed once per application.
    memo: Vec<Option<Val<'a>>>,
    /// While explaining a failure: the facts read so far.
    pub(super) trace: Option<Vec<&'a Data>>,
    slots: Vec<Slot<'a>>,
    /// The wording of each text met by a builtin that compares wording.
    wordings: HashMap<Box<str>, Arc<str>>,
    /// Steps left to the current rule (see [`fuel`]).
    fuel: u64,
    /// Whether the current rule got the share of its budget that grows
    /// with the application.
    topped_up: bool,
    /// Whether the current rule ran out of steps: its value is meaningless.
    exhausted: bool,
    /// How many values the application holds, once counted.
    values: Option<u64>,
    /// Steps the rules took: the most of one rule (what the budget is
    /// measured against) and in all.
    pub(super) most_steps: u64,
    pub(super) total_steps: u64,
    /// The uploads by kind and target, once a document is looked for.
    uploads: Option<HashSet<(u32, Option<&'a str>)>>,
    /// Where each value of the application is, once a finding asks.
    pub(super) places: Option<super::explain::Places<'a>>,
    /// Facts located before the application was indexed.
    pub(super) located: u32,
}

/// The tables of an evaluator, kept between applications (one set a
/// thread): sized by the program, they cost more to allocate for every
/// application than to fill.
#[derive(Default)]
struct Tables {
    env: Vec<Val<'static>>,
    memo: Vec<Option<Val<'static>>>,
    slots: Vec<Slot<'static>>,
}

thread_local! {
    static TABLES: std::cell::RefCell<Tables> = std::cell::RefCell::default();
}

/// Tables longer than this are not kept: a rule set with that many
/// definitions or slots is rare, and a thread need not hold its memory.
const MAX_KEPT: usize = 1 << 16;

/// `v`, emptied, as a vector of another type of the same layout (the
/// lifetime of its values): its allocation is reused.
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().map(|_| unreachable!("empty")).collect()
}

impl Drop for Evaluator<'_, '_> {
    fn drop(&mut self) {
        let tables = Tables {
            env: recycle(std::mem::take(&mut self.env)),
            memo: recycle(std::mem::take(&mut self.memo)),
            slots: recycle(std::mem::take(&mut self.slots)),
        };
        if tables
            .env
            .capacity()
            .max(tables.memo.capacity())
            .max(tables.slots.capacity())
            <= MAX_KEPT
        {
            let _ = TABLES.try_with(|kept| {
                if let Ok(mut kept) = kept.try_borrow_mut() {
                    *kept = tables;
                }
            });
        }
    }
}

impl<'p, 'a> Evaluator<'p, 'a> {
    pub fn new(program: &'p Program, root: &'a Data) -> Self {
        let fields = match root {
            Data::Record(fields) => &fields[..],
            _ => &[],
        };
        let kept = TABLES
            .try_with(|kept| {
                kept.try_borrow_mut()
                    .map(|mut k| std::mem::take(&mut *k))
                    .ok()
            })
            .ok()
            .flatten()
            .unwrap_or_default();
        let mut env: Vec<Val<'a>> = recycle(kept.env);
        env.reserve(program.max_frame * 2);
        let mut memo: Vec<Option<Val<'a>>> = recycle(kept.memo);
        memo.resize(program.defs.len(), None);
        let mut slots: Vec<Slot<'a>> = recycle(kept.slots);
        slots.resize_with(program.memo_slots, || Slot::Empty);
        Evaluator {
            program,
            root,
            fields,
            env,
            base: 0,
            memo,
            trace: None,
            slots,
            wordings: HashMap::new(),
            fuel: fuel::BASE,
            topped_up: false,
            exhausted: false,
            values: None,
            most_steps: 0,
            total_steps: 0,
            uploads: None,
            places: None,
            located: 0,
        }
    }

    /// Gives the next rule (scope, invariant) a full budget.
    pub fn refuel(&mut self) {
        let steps = self.steps_taken();
        self.most_steps = self.most_steps.max(steps);
        self.total_steps += steps;
        self.fuel = fuel::BASE;
        self.topped_up = false;
        self.exhausted = false;
    }

    /// Whether the current rule ran out of steps.
    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    /// Steps the current rule took so far.
    pub fn steps_taken(&self) -> u64 {
        let budget = if self.topped_up {
            fuel::BASE + self.values.unwrap_or(0).saturating_mul(fuel::PER_VALUE)
        } else {
            fuel::BASE
        };
        budget - self.fuel
    }

    /// The current rule's budget, as the error tells it.
    pub fn budget(&mut self) -> u64 {
        fuel::BASE + self.application_values().saturating_mul(fuel::PER_VALUE)
    }

    pub(super) fn application_values(&mut self) -> u64 {
        let root = self.root;
        *self.values.get_or_insert_with(|| root.count_values())
    }

    /// Takes `steps` from the current rule's budget; false when it is spent.
    /// The share that grows with the application is given when the base
    /// runs out, so that the application is counted only for big ones.
    pub(super) fn burn(&mut self, steps: u64) -> bool {
        if self.exhausted {
            return false;
        }
        if self.fuel < steps && !self.topped_up {
            self.topped_up = true;
            let more = self.application_values().saturating_mul(fuel::PER_VALUE);
            self.fuel = self.fuel.saturating_add(more);
        }
        if self.fuel < steps {
            self.fuel = 0;
            self.exhausted = true;
            return false;
        }
        self.fuel -= steps;
        true
    }

    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Which rule sets and groups apply to this application, and which
    /// conditions ran out of steps (their rule sets and groups do not apply).
    pub fn active_scopes(&mut self) -> (Vec<bool>, Vec<bool>) {
        let mut active: Vec<bool> = Vec::with_capacity(self.program.scopes.len());
        let mut stopped = vec![false; self.program.scopes.len()];
        for (i, scope) in self.program.scopes.iter().enumerate() {
            let parent = scope.parent.is_none_or(|p| active[p]);
            let holds = parent
                && match &scope.cond {
                    None => true,
                    // `field == constant`, as a rule set for one province
                    // is written: every application tests all of them, so
                    // they are compared without a frame (the value `eval`
                    // gives; its three steps cannot run out of a fresh
                    // budget).
                    Some(cond) => match field_equals_constant(cond) {
                        Some((slot, constant)) => {
                            Val::of(&self.fields[slot as usize]).equals(constant)
                        }
                        None => {
                            self.start_frame(scope.frame);
                            let holds = self.eval(cond).as_bool();
                            stopped[i] = self.exhausted;
                            holds && !self.exhausted
                        }
                    },
                };
            active.push(holds);
        }
        (active, stopped)
    }

    /// Starts a rule, scope or invariant: a frame of `size` locals, and a
    /// full step budget.
    pub fn start_frame(&mut self, size: usize) {
        self.refuel();
        self.env.clear();
        self.env.resize(size, Val::Null);
        self.base = 0;
    }

    pub fn set(&mut self, slot: u32, value: Val<'a>) {
        self.env[self.base + slot as usize] = value;
    }

    pub fn local(&self, slot: u32) -> &Val<'a> {
        &self.env[self.base + slot as usize]
    }

    pub fn enum_name(&self, enum_id: u32, value: u32) -> &'p str {
        &self.program.schema.enum_def(enum_id).variants[value as usize]
    }

    pub fn uploads_kind_enum(&self) -> u32 {
        self.program
            .schema
            .uploads
            .as_ref()
            .map_or(0, |u| u.kind_enum)
    }

    pub fn uploads_path(&self) -> String {
        let schema = &self.program.schema;
        schema.uploads.as_ref().map_or_else(String::new, |u| {
            schema.record(schema.input).fields[u.list as usize]
                .name
                .clone()
        })
    }

    /// Whether an upload of this kind (for this target, if any) was made.
    /// The uploads are indexed the first time: an application may require
    /// a document for each of thousands of domains.
    pub fn uploaded(&mut self, kind: u32, target: Option<&str>) -> bool {
        let Some(uploads) = &self.program.schema.uploads else {
            return false;
        };
        let index = self.uploads.get_or_insert_with(|| {
            let mut index = HashSet::new();
            if let Data::List(items) = &self.fields[uploads.list as usize] {
                for item in items.iter() {
                    let Data::Record(fields) = item else {
                        continue;
                    };
                    let Data::Enum(kind) = fields[uploads.kind as usize] else {
                        continue;
                    };
                    index.insert((kind, None));
                    if let Some(Data::Text(t)) = uploads.target.map(|slot| &fields[slot as usize]) {
                        index.insert((kind, Some(&**t)));
                    }
                }
            }
            index
        });
        // Without a target field, any upload of the kind will do.
        let target = target.filter(|_| uploads.target.is_some());
        index.contains(&(kind, target))
    }

    fn read(&mut self, data: &'a Data) -> Val<'a> {
        // The trace is off except while explaining: test it first.
        if let Some(trace) = &mut self.trace
            && is_fact(data)
        {
            trace.push(data);
        }
        Val::of(data)
    }

    /// Runs `f` once for every combination of the binders' elements (nested
    /// loops); stops early, returning `false`, when `f` does.
    pub fn for_each(
        &mut self,
        binders: &[(u32, Expr)],
        f: &mut dyn FnMut(&mut Self) -> bool,
    ) -> bool {
        let Some(((slot, source), rest)) = binders.split_first() else {
            return f(self);
        };
        match self.eval(source) {
            Val::Fact(Data::List(items)) => {
                for item in items.iter() {
                    if !self.burn(1) {
                        return false;
                    }
                    // Borrowed, not copied, so that an explanation can tell
                    // where the element is.
                    self.set(*slot, Val::Fact(item));
                    if !self.for_each(rest, f) {
                        return false;
                    }
                }
            }
            Val::List(items) => {
                for item in items.iter() {
                    if !self.burn(1) {
                        return false;
                    }
                    self.set(*slot, item.clone());
                    if !self.for_each(rest, f) {
                        return false;
                    }
                }
            }
            _ => {}
        }
        true
    }

    pub fn eval(&mut self, expr: &Expr) -> Val<'a> {
        if !self.burn(1) {
            return Val::Null;
        }
        match expr {
            Expr::Const(v) => v.clone(),
            Expr::Input(slot) => self.read(&self.fields[*slot as usize]),
            Expr::Local(slot) => {
                let v = self.local(*slot).clone();
                if let (Some(trace), Val::Fact(d)) = (&mut self.trace, &v)
                    && is_fact(d)
                {
                    trace.push(d);
                }
                v
            }
            Expr::Field(base, slot) => match self.eval(base).fields() {
                Some(fields) => self.read(&fields[*slot as usize]),
                None => Val::Null,
            },
            Expr::Not(e) => Val::Bool(!self.eval(e).as_bool()),
            Expr::And(a, b) => Val::Bool(self.eval(a).as_bool() && self.eval(b).as_bool()),
            Expr::Or(a, b) => Val::Bool(self.eval(a).as_bool() || self.eval(b).as_bool()),
            Expr::Eq(a, b) => {
                let a = self.eval(a);
                Val::Bool(a.equals(&self.eval(b)))
            }
            Expr::Compare(op, a, b) => {
                let (a, b) = (self.eval(a).as_int(), self.eval(b).as_int());
                Val::Bool(match op {
                    Compare::Lt => a < b,
                    Compare::Le => a <= b,
                    Compare::Gt => a > b,
                    Compare::Ge => a >= b,
                })
            }
            Expr::Add(a, b) => {
                Val::Int(self.eval(a).as_int().saturating_add(self.eval(b).as_int()))
            }
            Expr::Sub(a, b) => {
                Val::Int(self.eval(a).as_int().saturating_sub(self.eval(b).as_int()))
            }
            Expr::Concat(a, b) => {
                let a = self.eval(a);
                let b = self.eval(b);
                let (a, b) = (a.as_text(), b.as_text());
                // Texts built by doubling grow exponentially: their length
                // is work too.
                if !self.burn(((a.len() + b.len()) / fuel::BYTES_PER_STEP) as u64) {
                    return Val::Null;
                }
                Val::Text(format!("{a}{b}").into())
            }
            Expr::Append(a, b) => {
                let (a, b) = (self.eval(a), self.eval(b));
                if !self.burn((a.len() + b.len()) as u64) {
                    return Val::Null;
                }
                let mut items = a.to_vec();
                items.extend(b.to_vec());
                Val::List(items.into())
            }
            Expr::InConsts(x, consts) => {
                let x = self.eval(x);
                Val::Bool(consts.iter().any(|c| x.equals(c)))
            }
            Expr::InSet(x, items) => {
                let x = self.eval(x);
                let found = items.iter().any(|item| {
                    let v = self.eval(item);
                    x.equals(&v)
                });
                Val::Bool(found)
            }
            Expr::InList(x, list) => {
                let x = self.eval(x);
                let list = self.eval(list);
                Val::Bool(self.search(&x, &list))
            }
            Expr::InIndexed(slot, x, list) => {
                let x = self.eval(x);
                let list = self.eval(list);
                Val::Bool(self.look_up(*slot, &x, list))
            }
            Expr::Wording(slot, e) => {
                let text = self.eval(e);
                self.wording(*slot, text)
            }
            Expr::Memo(slot, e) => {
                if self.trace.is_some() {
                    // Explaining: the facts it reads are wanted.
                    return self.eval(e);
                }
                if let Slot::Value(v) = &self.slots[*slot as usize] {
                    return v.clone();
                }
                let v = self.eval(e);
                if !self.exhausted {
                    self.slots[*slot as usize] = Slot::Value(v.clone());
                }
                v
            }
            Expr::Terms(text, terms) => {
                let text = self.eval(text);
                let text = text.as_text();
                if !self.burn(terms.terms.len() as u64) {
                    return Val::Null;
                }
                Val::Bool(worded::any_term(text, terms))
            }
            Expr::Join(slot, join) => {
                if self.trace.is_some() {
                    return self.eval(&join.original);
                }
                self.join(*slot, join)
            }
            Expr::Quantifier(q, binders, body) => {
                // `all` looks for a counterexample, `any` and `none` for an example.
                let stop_on = !matches!(q, Quantifier::All);
                let mut stopped = false;
                self.for_each(binders, &mut |s| {
                    stopped = s.eval(body).as_bool() == stop_on;
                    !stopped
                });
                Val::Bool(match q {
                    Quantifier::All | Quantifier::None => !stopped,
                    Quantifier::Any => stopped,
                })
            }
            Expr::Count(binders, filter) => {
                let mut n = 0i64;
                self.for_each(binders, &mut |s| {
                    if filter.as_ref().is_none_or(|f| s.eval(f).as_bool()) {
                        n += 1;
                    }
                    true
                });
                Val::Int(n)
            }
            Expr::Comprehension(elem, binders, filter) => {
                // Each element took a step of the loop: the list is bounded.
                let mut items = Vec::new();
                self.for_each(binders, &mut |s| {
                    if filter.as_ref().is_none_or(|f| s.eval(f).as_bool()) {
                        items.push(s.eval(elem));
                    }
                    true
                });
                Val::List(items.into())
            }
            Expr::Builtin(function, args) => self.builtin(*function, args),
            Expr::Call(def, args) => self.call(*def, args),
        }
    }

    fn builtin(&mut self, function: Builtin, args: &[Expr]) -> Val<'a> {
        let first = self.eval(&args[0]);
        let second = args.get(1).map(|a| self.eval(a));
        let second_text = second.as_ref().map_or("", Val::as_text);
        let text = first.as_text();
        match function {
            Builtin::Len => Val::Int(first.len() as i64),
            Builtin::Lower => Val::Text(text.to_lowercase().into()),
            // The checker made both arguments wordings.
            Builtin::Contains => Val::Bool(worded::contains(text, second_text)),
            Builtin::ContainsWord => Val::Bool(worded::contains_word(text, second_text)),
            Builtin::StartsWith => Val::Bool(worded::starts_with(text, second_text)),
            Builtin::EndsWith => Val::Bool(worded::ends_with(text, second_text)),
            Builtin::SameWording => Val::Bool(worded::same_wording(text, second_text)),
            Builtin::Id(e) => match first {
                Val::Enum(v) | Val::Fact(&Data::Enum(v)) => Val::Text(
                    self.program.schema.enum_def(e).variants[v as usize]
                        .as_str()
                        .into(),
                ),
                _ => Val::Null,
            },
            Builtin::StripSuffix => {
                Val::Text(text.strip_suffix(second_text).unwrap_or(text).into())
            }
            Builtin::Before => Val::Text(text.split(second_text).next().unwrap_or(text).into()),
            Builtin::Distinct => {
                if !self.burn(first.len() as u64) {
                    return Val::Null;
                }
                let mut seen = HashSet::with_capacity(first.len());
                let mut out: Vec<Val<'a>> = Vec::with_capacity(first.len());
                first.each(|item| {
                    // A record or list equals nothing, not even itself.
                    if item.key().is_none_or(|key| seen.insert(key)) {
                        out.push(item);
                    }
                    true
                });
                Val::List(out.into())
            }
        }
    }

    fn call(&mut self, def: u32, args: &[Expr]) -> Val<'a> {
        let code = &self.program.defs[def as usize];
        let memoize = args.is_empty() && self.trace.is_none();
        if memoize && let Some(v) = &self.memo[def as usize] {
            return v.clone();
        }
        // Arguments go straight into the callee's frame; they are evaluated
        // in the caller's, which calls inside them leave as they found it.
        let base = self.env.len();
        for arg in args {
            let v = self.eval(arg);
            self.env.push(v);
        }
        self.env.resize(base + code.frame, Val::Null);
        let saved = std::mem::replace(&mut self.base, base);
        let result = self.eval(&code.body);
        self.leave(saved);
        if memoize {
            self.memo[def as usize] = Some(result.clone());
        }
        result
    }

    /// Whether `x` is an element of `list`, going through it.
    fn search(&mut self, x: &Val<'a>, list: &Val<'a>) -> bool {
        if !self.burn(list.len() as u64 / INDEX_FROM as u64) {
            return false;
        }
        let mut found = false;
        list.each(|item| {
            found = x.equals(&item);
            !found
        });
        found
    }

    /// [`Self::search`] for an `in` inside a loop: the second time a list is
    /// met (it is the same list when it has the same identity: the slot
    /// keeps it alive), it is indexed.
    fn look_up(&mut self, slot: u32, x: &Val<'a>, list: Val<'a>) -> bool {
        let Some(identity) = list.list_identity().filter(|(_, len)| *len >= INDEX_FROM) else {
            return self.search(x, &list);
        };
        let slot = slot as usize;
        match &self.slots[slot] {
            Slot::Set {
                identity: known,
                set,
                ..
            } if *known == identity => {
                if set.is_none() {
                    if !self.burn(identity.1 as u64) {
                        return false;
                    }
                    let mut index = HashSet::with_capacity(identity.1);
                    list.each(|item| {
                        if let Some(key) = item.key() {
                            index.insert(key);
                        }
                        true
                    });
                    if let Slot::Set { set, .. } = &mut self.slots[slot] {
                        *set = Some(index);
                    }
                }
                let Slot::Set { set: Some(set), .. } = &self.slots[slot] else {
                    unreachable!("indexed above")
                };
                x.key().is_some_and(|key| set.contains(&key))
            }
            _ => {
                let found = self.search(x, &list);
                self.slots[slot] = Slot::Set {
                    _alive: list,
                    identity,
                    set: None,
                };
                found
            }
        }
    }

    /// The wording of a text, normalised once per evaluation: the slot of
    /// the expression knows the last text it met (a definition is called on
    /// the same text over and over), the evaluator every text.
    fn wording(&mut self, slot: u32, text: Val<'a>) -> Val<'a> {
        let identity = match &text {
            Val::Fact(Data::Text(t)) => (t.as_ptr() as usize, t.len()),
            Val::Text(t) => (t.as_ptr() as usize, t.len()),
            _ => return Val::Text("".into()),
        };
        if let Some(Slot::Wording {
            identity: known,
            wording,
            ..
        }) = self.slots.get(slot as usize)
            && *known == identity
        {
            return Val::Text(wording.clone());
        }
        let w = match self.wordings.get(text.as_text()) {
            Some(w) => w.clone(),
            None => {
                if !self.burn((text.as_text().len() / fuel::BYTES_PER_STEP) as u64) {
                    return Val::Null;
                }
                let w: Arc<str> = wording::wording(text.as_text()).into();
                if self.wordings.len() >= MAX_WORDINGS {
                    self.wordings.clear();
                }
                self.wordings.insert(text.as_text().into(), w.clone());
                w
            }
        };
        if let Some(entry) = self.slots.get_mut(slot as usize) {
            *entry = Slot::Wording {
                _alive: text,
                identity,
                wording: w.clone(),
            };
        }
        Val::Text(w)
    }

    /// A [`Join`]: the elements indexed by key once per evaluation, then
    /// looked up.
    fn join(&mut self, slot: u32, join: &Join) -> Val<'a> {
        let slot = slot as usize;
        let holds = join
            .guard
            .as_ref()
            .is_none_or(|guard| self.eval(guard).as_bool());
        let n = if holds { self.matches(slot, join) } else { 0 };
        match join.kind {
            JoinKind::Count => Val::Int(n),
            JoinKind::Any => Val::Bool(n > 0),
            JoinKind::None => Val::Bool(n == 0),
        }
    }

    /// How many elements of a [`Join`] match (for `any` and `none`, 0 or 1).
    fn matches(&mut self, slot: usize, join: &Join) -> i64 {
        if !matches!(self.slots[slot], Slot::Index(_)) {
            let mut index: HashMap<Key<'a>, Vec<Val<'a>>> = HashMap::new();
            self.for_each(&join.binders, &mut |s| {
                if join.inner.as_ref().is_none_or(|c| s.eval(c).as_bool())
                    && let Some(key) = s.eval(&join.key).key()
                {
                    let values = join.binders.iter().map(|(b, _)| s.local(*b).clone());
                    index.entry(key).or_default().extend(values);
                }
                true
            });
            if self.exhausted {
                return 0;
            }
            self.slots[slot] = Slot::Index(index);
        }
        let Some(probe) = self.eval(&join.probe).key() else {
            return 0;
        };
        let Slot::Index(index) = &self.slots[slot] else {
            return 0;
        };
        let Some(found) = index.get(&probe) else {
            return 0;
        };
        let width = join.binders.len().max(1);
        let Some(residual) = &join.residual else {
            return (found.len() / width) as i64;
        };
        // Only the elements with the key are gone through.
        let found = found.clone();
        let mut n = 0;
        for values in found.chunks(width) {
            for ((b, _), v) in join.binders.iter().zip(values) {
                self.set(*b, v.clone());
            }
            if self.eval(residual).as_bool() {
                n += 1;
                if join.kind != JoinKind::Count {
                    break;
                }
            }
        }
        n
    }

    /// Pushes a frame for a definition's body; returns what `leave` restores.
    pub(super) fn enter(&mut self, frame: usize, args: Vec<Val<'a>>) -> usize {
        let saved = self.base;
        self.base = self.env.len();
        self.env.extend(args);
        self.env.resize(self.base + frame, Val::Null);
        saved
    }

    pub(super) fn leave(&mut self, saved: usize) {
        self.env.truncate(self.base);
        self.base = saved;
    }
}

impl<'a> Evaluator<'_, 'a> {
    /// Evaluates without recording facts.
    pub(super) fn quiet(&mut self, expr: &Expr) -> Val<'a> {
        let trace = self.trace.take();
        let v = self.eval(expr);
        self.trace = trace;
        v
    }
}

/// The input field and the constant of `field == constant` (either way
/// round).
fn field_equals_constant(cond: &Expr) -> Option<(u32, &Val<'static>)> {
    let Expr::Eq(a, b) = cond else {
        return None;
    };
    match (&**a, &**b) {
        (Expr::Input(slot), Expr::Const(c)) | (Expr::Const(c), Expr::Input(slot)) => {
            Some((*slot, c))
        }
        _ => None,
    }
}

/// Whether reading this is reading a fact worth showing. Records, and lists
/// of them, are the way to facts rather than facts; an empty list is a fact
/// (it is why an `any` failed).
fn is_fact(data: &Data) -> bool {
    match data {
        Data::Record(_) => false,
        Data::List(items) => !matches!(items.first(), Some(Data::Record(_))),
        _ => true,
    }
}
