//! The expression evaluator. Values borrow the application; locals live in
//! one stack of slots the checker numbered.

use super::wording;
use crate::check::Program;
use crate::check::program::{Builtin, Compare, Expr};
use crate::syntax::ast::Quantifier;
use crate::value::{Data, Val};

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
}

impl<'p, 'a> Evaluator<'p, 'a> {
    pub fn new(program: &'p Program, root: &'a Data) -> Self {
        let fields = match root {
            Data::Record(fields) => &fields[..],
            _ => &[],
        };
        Evaluator {
            program,
            root,
            fields,
            env: Vec::with_capacity(program.max_frame * 2),
            base: 0,
            memo: vec![None; program.defs.len()],
            trace: None,
        }
    }

    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// Which rule sets and groups apply to this application.
    pub fn active_scopes(&mut self) -> Vec<bool> {
        let mut active: Vec<bool> = Vec::with_capacity(self.program.scopes.len());
        for scope in &self.program.scopes {
            let parent = scope.parent.is_none_or(|p| active[p]);
            let holds = parent
                && match &scope.cond {
                    Some(cond) => {
                        self.start_frame(scope.frame);
                        self.eval(cond).as_bool()
                    }
                    None => true,
                };
            active.push(holds);
        }
        active
    }

    pub fn start_frame(&mut self, size: usize) {
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
    pub fn uploaded(&self, kind: u32, target: Option<&str>) -> bool {
        let Some(uploads) = &self.program.schema.uploads else {
            return false;
        };
        let Data::List(items) = &self.fields[uploads.list as usize] else {
            return false;
        };
        items.iter().any(|item| {
            let Data::Record(fields) = item else {
                return false;
            };
            let kind_matches = fields[uploads.kind as usize] == Data::Enum(kind);
            let target_matches = match (target, uploads.target) {
                (Some(t), Some(slot)) => {
                    matches!(&fields[slot as usize], Data::Text(x) if &**x == t)
                }
                _ => true,
            };
            kind_matches && target_matches
        })
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
                Val::Text(format!("{}{}", a.as_text(), b.as_text()).into())
            }
            Expr::Append(a, b) => {
                let mut items = self.eval(a).to_vec();
                items.extend(self.eval(b).to_vec());
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
                let mut found = false;
                list.each(|item| {
                    found = x.equals(&item);
                    !found
                });
                Val::Bool(found)
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
            Builtin::Contains => Val::Bool(wording::contains(text, second_text)),
            Builtin::ContainsWord => Val::Bool(wording::contains_word(text, second_text)),
            Builtin::StartsWith => Val::Bool(wording::starts_with(text, second_text)),
            Builtin::EndsWith => Val::Bool(wording::ends_with(text, second_text)),
            Builtin::SameWording => Val::Bool(wording::same_wording(text, second_text)),
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
                let mut out: Vec<Val<'a>> = Vec::with_capacity(first.len());
                first.each(|item| {
                    if !out.iter().any(|seen| seen.equals(&item)) {
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
