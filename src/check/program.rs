//! The checked program: what the evaluator runs. Every field is a slot, every
//! name a local slot or a definition index; nothing is looked up by string.

use super::schema::{Schema, Type};
use crate::date::{Date, Window};
use crate::lang::{Lang, Localized};
use crate::source::Span;
use crate::syntax::ast::{Quantifier, Severity};
use crate::value::Val;

#[derive(Clone, Debug)]
pub struct Program {
    pub schema: Schema,
    pub defs: Vec<DefCode>,
    /// Rule sets and `when` groups, parents before children.
    pub scopes: Vec<Scope>,
    /// Rules and document requirements in file order.
    pub rules: Vec<RuleCode>,
    /// The scope of each rule, by index in `rules`: what an evaluation
    /// reads of every rule, most of which do not apply (another province's),
    /// kept together so that skipping them touches a few cache lines.
    pub rule_scopes: Vec<u32>,
    /// Conditions of the input format (`invariant`), checked before the rules.
    pub invariants: Vec<RuleCode>,
    /// Local slots the largest rule, scope or definition needs.
    pub max_frame: usize,
    /// Slots of work kept for the rest of an evaluation: the values of
    /// [`Expr::Memo`], the sets of [`Expr::InIndexed`], the indexes of
    /// [`Expr::Join`] (see [`super::plan`]).
    pub memo_slots: usize,
    /// The declared numbering of the cited document: (number, title), in
    /// declaration order.
    pub sections: Vec<(String, Localized<String>)>,
    /// The name of the cited document (`sections "..."`), in each language
    /// given.
    pub document: Option<Localized<String>>,
    /// The editions of the document that the rules encode, oldest first.
    pub editions: Vec<Edition>,
    /// The versions of each rule id, by index in `rules`, in file order.
    pub rule_versions: std::collections::HashMap<String, Vec<usize>>,
    /// The day to check every application on (`--as-of`), whatever its own
    /// date: the caller's choice.
    pub as_of: Option<Date>,
    /// The day to check an application on that gives no date of its own:
    /// the caller's today. Unset (a library caller with no clock), such an
    /// application is checked on the issue date of the latest edition.
    pub today: Option<Date>,
    /// The language messages are rendered in, and reports and pages written
    /// in: the caller's choice (`--lang`), English unless set.
    pub language: Lang,
}

impl Program {
    /// The id of a rule or invariant closest to `id` (a typo of it), among
    /// those of the same rule set (the part before the dot) first: for "did
    /// you mean".
    pub fn closest_id(&self, id: &str) -> Option<&str> {
        let ids = || {
            self.rules
                .iter()
                .chain(&self.invariants)
                .map(|r| r.id.as_str())
        };
        let set = id.split('.').next().unwrap_or_default();
        let same_set = ids().filter(|c| c.split('.').next() == Some(set));
        crate::diagnostic::closest(id, same_set).or_else(|| crate::diagnostic::closest(id, ids()))
    }

    /// The title of a declared section, in the program's language (or the
    /// other one, if it has none in it).
    pub fn section_title(&self, number: &str) -> Option<&str> {
        self.sections
            .iter()
            .find(|(n, _)| n == number)
            .and_then(|(_, t)| t.get(self.language))
            .map(String::as_str)
    }

    /// The day an application is checked on: `--as-of`, else its own date
    /// (the field `as_of` declares), else today, else the issue date of the
    /// latest edition. `None` only for an undated rule set with no clock:
    /// then only rules without a window are in force.
    pub fn date_of(&self, application: &crate::value::Data) -> Option<Date> {
        self.as_of
            .or_else(|| self.own_date(application))
            .or(self.today)
            .or_else(|| self.editions.last().map(|e| e.issued))
    }

    /// An application's own date: the field `as_of` declares, if the
    /// schema declares one and the application gives it.
    pub fn own_date(&self, application: &crate::value::Data) -> Option<Date> {
        match (self.schema.as_of, application) {
            (Some(slot), crate::value::Data::Record(fields)) => match fields.get(slot as usize) {
                Some(crate::value::Data::Int(day)) => Some(Date(*day)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The edition in force on `date`: the latest issued on or before it.
    pub fn edition_on(&self, date: Option<Date>) -> Option<&Edition> {
        let date = date?;
        self.editions.iter().rev().find(|e| e.issued <= date)
    }

    /// The cited document with the edition in force on `date`, in the
    /// program's language (or the other): `Alibaba Cloud, Before ICP
    /// Filing, issue of 2019-08-06`.
    pub fn edition_title(&self, date: Option<Date>) -> Option<String> {
        let edition = self.edition_on(date)?;
        let lang = self.language;
        let edition_name = edition.title.get(lang).unwrap_or(&edition.name);
        let document = self.document.as_ref().and_then(|d| d.get(lang));
        Some(match document {
            Some(document) => format!("{document}{}{edition_name}", lang.pick("，", ", ")),
            None => edition_name.clone(),
        })
    }

    /// The versions of the rule `id` (several when it changes with time),
    /// by index in [`Program::rules`], in file order.
    pub fn versions(&self, id: &str) -> &[usize] {
        self.rule_versions.get(id).map_or(&[], Vec::as_slice)
    }

    /// The program speaking `language`.
    pub fn in_language(mut self, language: Lang) -> Program {
        self.language = language;
        self
    }
}

/// An edition of the cited document: `edition "..." issued DATE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edition {
    /// Its name in English (else in the language given): what JSON
    /// results give.
    pub name: String,
    /// Its name in each language given.
    pub title: Localized<String>,
    pub issued: Date,
}

#[derive(Clone, Debug)]
pub struct DefCode {
    pub name: String,
    pub params: usize,
    pub frame: usize,
    pub body: Expr,
}

#[derive(Clone, Debug)]
pub struct Scope {
    pub parent: Option<usize>,
    pub cond: Option<Expr>,
    /// Where the condition is written, so that `explain` can quote it.
    pub cond_span: Option<Span>,
    pub frame: usize,
    /// When it is in force: its own `in force` within its parent's.
    pub window: Window,
}

#[derive(Clone, Debug)]
pub struct RuleCode {
    /// `ruleset.name`.
    pub id: String,
    pub severity: Severity,
    pub source: String,
    /// Where the rule is written, `path:line`.
    pub origin: String,
    pub scope: usize,
    /// When it is in force: its own `in force` within its groups' and rule
    /// set's.
    pub window: Window,
    /// Scopes of rules that override this one, with the days those rules
    /// are in force: where and when one applies, this rule does not.
    pub overridden_by: Vec<(usize, Window)>,
    /// The rule this one overrides (an index into `Program::rules`).
    pub overrides: Option<usize>,
    /// The whole rule as written, from its keyword to its closing brace:
    /// `explain` quotes it.
    pub span: Span,
    /// Its name where it is declared.
    pub name_span: Span,
    /// The message template of each language as written, quotes included.
    pub message_spans: Localized<Span>,
    pub binders: Vec<(u32, Expr)>,
    pub when: Option<Expr>,
    pub lets: Vec<(u32, Expr)>,
    pub check: RuleCheck,
    /// The message in each language given; where one is missing, the other
    /// stands in.
    pub message: Localized<Vec<MessagePart>>,
    pub at: Option<Expr>,
    pub frame: usize,
}

impl RuleCode {
    /// The expressions of the holes of its message, in every language.
    pub fn message_holes(&self) -> impl Iterator<Item = &Expr> {
        self.message
            .values()
            .flatten()
            .filter_map(|part| match part {
                MessagePart::Hole(e, _) => Some(e),
                MessagePart::Text(_) => None,
            })
    }
}

#[derive(Clone, Debug)]
pub enum RuleCheck {
    Require(Expr),
    Document { kind: u32, target: Option<Expr> },
}

#[derive(Clone, Debug)]
pub enum MessagePart {
    Text(String),
    Hole(Expr, Type),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    Len,
    Lower,
    Contains,
    ContainsWord,
    StartsWith,
    EndsWith,
    StripSuffix,
    Before,
    Distinct,
    SameWording,
    /// The identifier of a value of the enum (by index), as the
    /// application's JSON writes it.
    Id(u32),
}

#[derive(Clone, Debug)]
pub enum Expr {
    Const(Val<'static>),
    /// A field of the input record.
    Input(u32),
    Local(u32),
    /// A field of a record; null when the record is null.
    Field(Box<Expr>, u32),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Eq(Box<Expr>, Box<Expr>),
    Compare(Compare, Box<Expr>, Box<Expr>),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    Append(Box<Expr>, Box<Expr>),
    /// Membership in a set of constants.
    InConsts(Box<Expr>, Vec<Val<'static>>),
    InSet(Box<Expr>, Vec<Expr>),
    InList(Box<Expr>, Box<Expr>),
    Quantifier(Quantifier, Vec<(u32, Expr)>, Box<Expr>),
    Count(Vec<(u32, Expr)>, Option<Box<Expr>>),
    Comprehension(Box<Expr>, Vec<(u32, Expr)>, Option<Box<Expr>>),
    Builtin(Builtin, Vec<Expr>),
    Call(u32, Vec<Expr>),
    /// The wording of a text (see [`crate::eval::wording`]): what the
    /// builtins that compare wording take, so that each text is normalised
    /// once per evaluation and each constant once, here. The slot keeps the
    /// last text met and its wording.
    Wording(u32, Box<Expr>),
    /// An expression that reads no local of the loops and definitions around
    /// it, inside one of them: computed once per evaluation, in slot `.0`.
    Memo(u32, Box<Expr>),
    /// `x in list` inside a loop: a list met again is looked up in a hash
    /// set of it, kept in slot `.0`.
    InIndexed(u32, Box<Expr>, Box<Expr>),
    /// A `count`, `any` or `none` that matches a key of each element with a
    /// value from outside: one index of the elements by key per evaluation,
    /// kept in slot `.0`.
    Join(u32, Box<Join>),
    /// `contains(h, "a") or contains_word(h, "b") or ...` of one wording
    /// `h` and constant wordings: the terms looked for in one pass.
    Terms(Box<Expr>, std::sync::Arc<Terms>),
}

/// The terms of an [`Expr::Terms`], and an automaton that finds every
/// occurrence of any of them in one pass over a text.
#[derive(Clone, Debug)]
pub struct Terms {
    pub terms: Vec<(TermMatch, Box<str>)>,
    pub automaton: aho_corasick::AhoCorasick,
    /// One term is the empty text looked for with `contains`, which every
    /// text contains.
    pub matches_every_text: bool,
}

impl Terms {
    pub fn new(mut terms: Vec<(TermMatch, Box<str>)>) -> Terms {
        // A word is looked for without the space that may start it.
        for (how, term) in &mut terms {
            if *how == TermMatch::Word {
                *term = term.trim_start().into();
            }
        }
        let automaton = aho_corasick::AhoCorasick::new(terms.iter().map(|(_, t)| &**t))
            .expect("a few dozen short terms fit an automaton");
        let matches_every_text = terms
            .iter()
            .any(|(how, t)| *how == TermMatch::Contains && t.is_empty());
        Terms {
            terms,
            automaton,
            matches_every_text,
        }
    }
}

/// How a term of [`Expr::Terms`] is looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermMatch {
    Contains,
    Word,
}

/// `count(binders where inner and key == probe and guard and residual)` (or
/// `any`, `none`), where the binders' sources, `inner` and `key` read no
/// local from outside (they are the same on every evaluation), `probe` and
/// `guard` none of the binders; `residual` reads both, and is evaluated for
/// the elements with the key only.
#[derive(Clone, Debug)]
pub struct Join {
    pub kind: JoinKind,
    pub binders: Vec<(u32, Expr)>,
    pub inner: Option<Expr>,
    pub key: Expr,
    pub probe: Expr,
    pub guard: Option<Expr>,
    pub residual: Option<Expr>,
    /// The expression as written: what an explanation goes through.
    pub original: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinKind {
    Count,
    Any,
    None,
}

impl Expr {
    /// Calls `f` on each expression directly inside this one (for a join,
    /// its parts and the expression as written).
    pub fn children_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        match self {
            Expr::Const(_) | Expr::Input(_) | Expr::Local(_) => {}
            Expr::Field(e, _)
            | Expr::Not(e)
            | Expr::InConsts(e, _)
            | Expr::Wording(_, e)
            | Expr::Memo(_, e)
            | Expr::Terms(e, _) => f(e),
            Expr::And(a, b)
            | Expr::Or(a, b)
            | Expr::Eq(a, b)
            | Expr::Compare(_, a, b)
            | Expr::Add(a, b)
            | Expr::Sub(a, b)
            | Expr::Concat(a, b)
            | Expr::Append(a, b)
            | Expr::InList(a, b)
            | Expr::InIndexed(_, a, b) => {
                f(a);
                f(b);
            }
            Expr::InSet(e, set) => {
                f(e);
                set.iter_mut().for_each(f);
            }
            Expr::Quantifier(_, binders, body) => {
                binders.iter_mut().for_each(|(_, x)| f(x));
                f(body);
            }
            Expr::Count(binders, filter) => {
                binders.iter_mut().for_each(|(_, x)| f(x));
                if let Some(x) = filter {
                    f(x);
                }
            }
            Expr::Comprehension(elem, binders, filter) => {
                f(elem);
                binders.iter_mut().for_each(|(_, x)| f(x));
                if let Some(x) = filter {
                    f(x);
                }
            }
            Expr::Builtin(_, args) | Expr::Call(_, args) => args.iter_mut().for_each(f),
            Expr::Join(_, join) => {
                let j = &mut **join;
                f(&mut j.key);
                f(&mut j.probe);
                f(&mut j.original);
                for x in [&mut j.inner, &mut j.guard, &mut j.residual]
                    .into_iter()
                    .flatten()
                {
                    f(x);
                }
                j.binders.iter_mut().for_each(|(_, x)| f(x));
            }
        }
    }
}

impl RuleCode {
    /// Calls `f` on each expression of the rule: binders, `when`, `let`s,
    /// check, message holes and `at`.
    pub fn exprs_mut(&mut self, f: &mut dyn FnMut(&mut Expr)) {
        self.binders.iter_mut().for_each(|(_, x)| f(x));
        if let Some(x) = &mut self.when {
            f(x);
        }
        self.lets.iter_mut().for_each(|(_, x)| f(x));
        match &mut self.check {
            RuleCheck::Require(x) => f(x),
            RuleCheck::Document { target, .. } => {
                if let Some(x) = target {
                    f(x);
                }
            }
        }
        for lang in [Lang::Zh, Lang::En] {
            if let Some(parts) = self.message.slot(lang) {
                for part in parts {
                    if let MessagePart::Hole(x, _) = part {
                        f(x);
                    }
                }
            }
        }
        if let Some(x) = &mut self.at {
            f(x);
        }
    }
}
