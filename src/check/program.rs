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
    /// Conditions of the input format (`invariant`), checked before the rules.
    pub invariants: Vec<RuleCode>,
    /// Local slots the largest rule, scope or definition needs.
    pub max_frame: usize,
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
        let own = || match (self.schema.as_of, application) {
            (Some(slot), crate::value::Data::Record(fields)) => match fields.get(slot as usize) {
                Some(crate::value::Data::Int(day)) => Some(Date(*day)),
                _ => None,
            },
            _ => None,
        };
        self.as_of
            .or_else(own)
            .or(self.today)
            .or_else(|| self.editions.last().map(|e| e.issued))
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
    pub fn versions(&self, id: &str) -> Vec<usize> {
        self.rule_versions.get(id).cloned().unwrap_or_default()
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
}
