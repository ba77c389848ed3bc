//! The parsed form of a rule file, before any name is resolved.

use crate::date::Date;
use crate::lang::Lang;
use crate::source::{Span, Spanned};

pub type Ident = Spanned<String>;

#[derive(Clone, Debug, PartialEq, Default)]
pub struct File {
    pub items: Vec<Item>,
}

impl File {
    /// Every rule, document requirement and invariant, in file order, with
    /// the name of its rule set (`None` for an invariant).
    pub fn rules(&self) -> Vec<(Option<&str>, &RuleDecl)> {
        fn walk<'a>(
            rs: &'a str,
            items: &'a [BodyItem],
            out: &mut Vec<(Option<&'a str>, &'a RuleDecl)>,
        ) {
            for item in items {
                match item {
                    BodyItem::Rule(r) => out.push((Some(rs), r)),
                    BodyItem::Group(g) => walk(rs, &g.items, out),
                }
            }
        }
        let mut out = Vec::new();
        for item in &self.items {
            match item {
                Item::Ruleset(rs) => walk(&rs.name.node, &rs.items, &mut out),
                Item::Invariant(rule) => out.push((None, rule)),
                _ => {}
            }
        }
        out
    }
}

impl RuleDecl {
    /// Its id: `ruleset.name`, or `invariant.name` for an invariant.
    pub fn id(&self, ruleset: Option<&str>) -> String {
        format!("{}.{}", ruleset.unwrap_or("invariant"), self.name.node)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Import(Spanned<String>),
    Input(Ident),
    /// `report a, b`: input fields every result repeats.
    Report(Vec<Ident>),
    /// `as_of FIELD`: the input field that holds an application's date.
    AsOf(Ident),
    Uploads(Uploads),
    /// `sections "Document, edition" { "5.3.1" "Beijing" ... }`: what a
    /// rule's `source` may cite.
    Sections(SectionsDecl),
    Enum(EnumDecl),
    Record(RecordDecl),
    Def(Def),
    /// `invariant name { ... }`: a condition of the input format.
    Invariant(Box<RuleDecl>),
    Ruleset(Ruleset),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Uploads {
    /// `list`, `kind`, `target` entries, in the order written.
    pub entries: Vec<(Ident, Ident)>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SectionsDecl {
    /// The name of the document the sections are of, in each language given
    /// (one untagged name is English); empty when not named.
    pub document: Vec<Label>,
    /// Its editions, as written.
    pub editions: Vec<Edition>,
    pub entries: Vec<Section>,
}

/// `edition "issue of 2019-08-06" issued 2019-08-06`.
#[derive(Clone, Debug, PartialEq)]
pub struct Edition {
    /// Its name in each language given (one untagged name is English).
    pub name: Vec<Label>,
    pub issued: Spanned<Date>,
}

/// `in force from DATE until DATE` (either or both).
#[derive(Clone, Debug, PartialEq)]
pub struct InForce {
    pub from: Option<Spanned<Date>>,
    pub until: Option<Spanned<Date>>,
    /// From `in` to the last date.
    pub span: Span,
}

impl InForce {
    pub fn window(&self) -> crate::date::Window {
        crate::date::Window {
            from: self.from.as_ref().map(|d| d.node),
            until: self.until.as_ref().map(|d| d.node),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub number: Spanned<String>,
    /// The title in each language given (one untagged title is English).
    pub title: Vec<Label>,
}

/// A text in one output language: `zh "…"`. `lang` is `None` for a text
/// written without a language, which is English (rule files from before
/// translations).
#[derive(Clone, Debug, PartialEq)]
pub struct Translation<T> {
    pub lang: Option<Spanned<Lang>>,
    pub text: T,
}

impl<T> Translation<T> {
    /// The language of the text.
    pub fn lang(&self) -> Lang {
        self.lang.as_ref().map_or(Lang::En, |l| l.node)
    }
}

/// A label or title: `zh "北京市"`.
pub type Label = Translation<Spanned<String>>;

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    pub name: Ident,
    pub variants: Vec<EnumValue>,
    /// From `enum` to the closing brace.
    pub span: Span,
}

/// An enum value and the labels reports show for it.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    pub name: Ident,
    pub labels: Vec<Label>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecordDecl {
    pub name: Ident,
    pub fields: Vec<FieldDecl>,
    /// From `record` to the closing brace.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FieldDecl {
    pub name: Ident,
    /// Declared `name?:`: the key may be absent.
    pub optional_key: bool,
    pub ty: TypeExpr,
    /// What reports call the field: `zh "省份" en "province"`.
    pub labels: Vec<Label>,
}

pub type TypeExpr = Spanned<TypeExprKind>;

#[derive(Clone, Debug, PartialEq)]
pub enum TypeExprKind {
    Named(String),
    List(Box<TypeExpr>),
    Nullable(Box<TypeExpr>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Def {
    pub name: Ident,
    /// `None` for a constant (`def x = ...`), `Some` for `def f(p: T) = ...`.
    pub params: Option<Vec<(Ident, TypeExpr)>>,
    pub ty: Option<TypeExpr>,
    pub body: Expr,
    /// From `def` to the end of the body.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ruleset {
    pub name: Ident,
    pub when: Option<Expr>,
    pub in_force: Option<InForce>,
    pub items: Vec<BodyItem>,
    /// From `ruleset` to the closing brace.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum BodyItem {
    Rule(Box<RuleDecl>),
    Group(Group),
}

/// `when COND { ... }`, `in force ... { ... }` or both, inside a rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub when: Option<Expr>,
    pub in_force: Option<InForce>,
    pub items: Vec<BodyItem>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    Rule,
    Document,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The word for people in `lang`: `错误`, `警告`, `提示`; in English the
    /// identifier.
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Severity::Error => lang.pick("错误", "error"),
            Severity::Warning => lang.pick("警告", "warning"),
            Severity::Info => lang.pick("提示", "info"),
        }
    }
}

impl serde::Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct RuleDecl {
    pub kind: RuleKind,
    pub name: Ident,
    /// `overrides ruleset.rule`: the referenced id, with its span.
    pub overrides: Option<Spanned<String>>,
    pub severity: Option<Spanned<Severity>>,
    pub source: Option<Spanned<String>>,
    pub binders: Vec<Binder>,
    pub when: Option<Expr>,
    pub lets: Vec<(Ident, Expr)>,
    pub require: Option<Expr>,
    /// Documents: `requires TYPE` and `for TARGET`.
    pub requires: Option<(Ident, Option<Expr>)>,
    pub message: Option<Message>,
    pub at: Option<Expr>,
    pub in_force: Option<InForce>,
    pub span: Span,
}

/// `message zh "…" en "…"`: a template in each language given.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub texts: Vec<Translation<Template>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Binder {
    pub name: Ident,
    pub source: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    Text(String),
    Hole(Expr),
}

pub type Expr = Spanned<ExprKind>;

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(i64),
    Date(Date),
    Text(String),
    Bool(bool),
    Null,
    Name(String),
    Field(Box<Expr>, Ident),
    Call(Ident, Vec<Expr>),
    Not(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Set(Vec<Expr>),
    Quantifier(Quantifier, Vec<Binder>, Box<Expr>),
    Count(Vec<Binder>, Option<Box<Expr>>),
    Comprehension(Box<Expr>, Vec<Binder>, Option<Box<Expr>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    All,
    Any,
    None,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Add,
    Sub,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
        }
    }
}
