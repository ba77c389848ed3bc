//! Type checking of expressions. Enum values are written bare (`beijing`) and
//! resolved against the type the context expects, so checking is
//! bidirectional: `check_expr` takes the expected type when there is one.

use super::Checker;
use super::error::CheckError;
use super::index::{LocalKind, Symbol};
use super::program::{Builtin, Compare, Expr};
use super::schema::Type;
use super::scope::{self, Frame};
use crate::diagnostic::did_you_mean;
use crate::source::Span;
use crate::syntax::ast::{self, BinaryOp, ExprKind};
use crate::value::Val;

/// A function of the standard library, with what editors show of it.
pub struct Function {
    pub name: &'static str,
    pub builtin: Builtin,
    pub arity: usize,
    pub signature: &'static str,
    pub doc: &'static str,
}

const fn function(
    name: &'static str,
    builtin: Builtin,
    arity: usize,
    signature: &'static str,
    doc: &'static str,
) -> Function {
    Function {
        name,
        builtin,
        arity,
        signature,
        doc,
    }
}

/// The standard library (`docs/language.md` lists it too).
pub const BUILTINS: &[Function] = &[
    function(
        "len",
        Builtin::Len,
        1,
        "len(text | [T]): int",
        "the number of characters of a text (not bytes: `len(\"北京\")` is 2), or of elements of a list",
    ),
    function(
        "lower",
        Builtin::Lower,
        1,
        "lower(text): text",
        "the text in lower case",
    ),
    function(
        "contains",
        Builtin::Contains,
        2,
        "contains(text, part: text): bool",
        "whether the text's wording contains the part's (wording: NFKC, lower case, spaces and final punctuation evened out)",
    ),
    function(
        "contains_word",
        Builtin::ContainsWord,
        2,
        "contains_word(text, word: text): bool",
        "whether the word is a whole word of the text's wording, with no letter or digit right before or after it (`pawn` is in `Pawn Co.`, not in `Spawn`); Chinese characters are no part of such a word: use `contains` for a Chinese word",
    ),
    function(
        "starts_with",
        Builtin::StartsWith,
        2,
        "starts_with(text, prefix: text): bool",
        "whether the text's wording starts with the prefix's",
    ),
    function(
        "ends_with",
        Builtin::EndsWith,
        2,
        "ends_with(text, suffix: text): bool",
        "whether the text's wording ends with the suffix's",
    ),
    function(
        "strip_suffix",
        Builtin::StripSuffix,
        2,
        "strip_suffix(text, suffix: text): text",
        "the text without the suffix, exactly as written, or unchanged if it does not end with it",
    ),
    function(
        "before",
        Builtin::Before,
        2,
        "before(text, separator: text): text",
        "the part of the text before the first separator, exactly as written, or all of it if there is none",
    ),
    function(
        "distinct",
        Builtin::Distinct,
        1,
        "distinct([T]): [T]",
        "the list without repeated elements, in the order of their first occurrence",
    ),
    function(
        "same_wording",
        Builtin::SameWording,
        2,
        "same_wording(a: text, b: text): bool",
        "whether the two texts have the same wording",
    ),
    // The enum of the argument is filled in when it is checked.
    function(
        "id",
        Builtin::Id(0),
        1,
        "id(enum value): text",
        "the value's identifier, as the application's JSON writes it (`id(action)` is `change`)",
    ),
];

pub fn builtin(name: &str) -> Option<(Builtin, usize)> {
    BUILTINS
        .iter()
        .find(|f| f.name == name)
        .map(|f| (f.builtin, f.arity))
}

/// A value of type `actual` may be used where `expected` is wanted.
pub fn assignable(actual: &Type, expected: &Type) -> bool {
    match (actual, expected) {
        (Type::Error, _) | (_, Type::Error) => true,
        (a, b) if a == b => true,
        (Type::Null, Type::Nullable(_)) => true,
        (a, Type::Nullable(inner)) => assignable(a, inner),
        (Type::List(a), Type::List(b)) => assignable(a, b),
        _ => false,
    }
}

/// `==` is defined on scalars of one type; null compares with anything.
fn comparable(a: &Type, b: &Type) -> bool {
    match (a.non_null(), b.non_null()) {
        (Type::Error, _) | (_, Type::Error) | (Type::Null, _) | (_, Type::Null) => true,
        (x, y) => {
            x == y
                && matches!(
                    x,
                    Type::Int | Type::Date | Type::Text | Type::Bool | Type::Enum(_)
                )
        }
    }
}

fn boxed(e: Expr) -> Box<Expr> {
    Box::new(e)
}

/// For a date written as a text.
const DATE_HELP: &str = "a date is written without quotes, e.g. `2026-07-01`";

/// What an expression with a reported error checks as: it matches anything,
/// so the error is reported once.
fn poisoned() -> (Expr, Type) {
    (Expr::Const(Val::Null), Type::Error)
}

impl Checker<'_> {
    /// Checks an expression that must be a `bool` that cannot be null.
    pub(super) fn check_condition(&mut self, frame: &mut Frame, e: &ast::Expr) -> Expr {
        let (expr, ty) = self.check_expr(frame, e, Some(&Type::Bool));
        match ty {
            Type::Bool | Type::Error => {}
            Type::Nullable(inner) if *inner == Type::Bool => self.error(CheckError::MayBeNull {
                what: self.text_of(e),
                span: e.span,
            }),
            other => self.error(CheckError::NotBoolean {
                found: self.schema.type_name(&other),
                span: e.span,
            }),
        }
        expr
    }

    /// Checks an expression that must have the given (non-null) type.
    pub(super) fn check_typed(
        &mut self,
        frame: &mut Frame,
        e: &ast::Expr,
        want: &Type,
        what: &str,
    ) -> Expr {
        let (expr, ty) = self.check_expr(frame, e, Some(want));
        self.expect_type(e, &ty, want, what);
        expr
    }

    /// Reports a checked expression of type `ty` that is not a `want`.
    fn expect_type(&mut self, e: &ast::Expr, ty: &Type, want: &Type, what: &str) {
        if ty.is_nullable() && assignable(ty.non_null(), want) {
            self.error(CheckError::MayBeNull {
                what: self.text_of(e),
                span: e.span,
            });
        } else if !assignable(ty, want) {
            self.mismatch(
                e,
                format!("{what} must be `{}`", self.schema.type_name(want)),
                ty,
            );
            if *want == Type::Date && *ty.non_null() == Type::Text {
                self.date_help();
            }
        }
    }

    /// Help on the last error for a date given as a text (`"2026-07-01"`).
    fn date_help(&mut self) {
        if let Some(CheckError::TypeMismatch { help, .. }) = self.errors.last_mut() {
            *help = Some(DATE_HELP.into());
        }
    }

    fn mismatch(&mut self, e: &ast::Expr, message: String, found: &Type) {
        let label = format!("this is `{}`", self.schema.type_name(found));
        self.error(CheckError::TypeMismatch {
            message,
            span: e.span,
            label,
            help: None,
        });
    }

    fn text_of(&self, e: &ast::Expr) -> String {
        self.sources.file(e.span.file).text[e.span.range()].to_string()
    }

    pub(super) fn check_expr(
        &mut self,
        frame: &mut Frame,
        e: &ast::Expr,
        expected: Option<&Type>,
    ) -> (Expr, Type) {
        // The parser bounds one expression's nesting; this bounds the
        // checker's recursion through definitions checked at their first use.
        if self.nesting >= super::MAX_EVAL_DEPTH {
            self.too_deep(e.span);
            return poisoned();
        }
        self.nesting += 1;
        let checked = self.check_expr_here(frame, e, expected);
        self.nesting -= 1;
        checked
    }

    fn check_expr_here(
        &mut self,
        frame: &mut Frame,
        e: &ast::Expr,
        expected: Option<&Type>,
    ) -> (Expr, Type) {
        match &e.node {
            ExprKind::Int(i) => (Expr::Const(Val::Int(*i)), Type::Int),
            // A date is its day number: dates compare as ints do.
            ExprKind::Date(d) => (Expr::Const(Val::Int(d.0)), Type::Date),
            ExprKind::Text(t) => (Expr::Const(Val::Text(t.as_str().into())), Type::Text),
            ExprKind::Bool(b) => (Expr::Const(Val::Bool(*b)), Type::Bool),
            ExprKind::Null => (Expr::Const(Val::Null), Type::Null),
            ExprKind::Name(name) => self.check_name(frame, e, name, expected),
            ExprKind::Field(base, field) => self.check_field(frame, base, field),
            ExprKind::Call(name, args) => self.check_call(frame, e, name, args),
            ExprKind::Not(inner) => (
                Expr::Not(boxed(self.check_condition(frame, inner))),
                Type::Bool,
            ),
            ExprKind::Binary(op, a, b) => self.check_binary(frame, e, *op, a, b),
            ExprKind::Set(_) => {
                self.error(CheckError::Misused {
                    message: "a set `{...}` can only follow `in`".into(),
                    span: e.span,
                    label: "set".into(),
                    help: Some("write `x in {a, b}`".into()),
                });
                poisoned()
            }
            ExprKind::Quantifier(q, binders, body) => {
                let mark = frame.mark();
                let binders = self.check_binders(frame, binders, e.span);
                let body = self.check_condition(frame, body);
                frame.reset(mark);
                (Expr::Quantifier(*q, binders, boxed(body)), Type::Bool)
            }
            ExprKind::Count(binders, filter) => {
                let mark = frame.mark();
                let binders = self.check_binders(frame, binders, e.span);
                let filter = filter
                    .as_ref()
                    .map(|f| boxed(self.check_condition(frame, f)));
                frame.reset(mark);
                (Expr::Count(binders, filter), Type::Int)
            }
            ExprKind::Comprehension(elem, binders, filter) => {
                let mark = frame.mark();
                let binders = self.check_binders(frame, binders, e.span);
                let filter = filter.as_ref().map(|f| {
                    let f = self.check_condition(frame, f);
                    frame.nonnull.extend(scope::nonnull_facts(&f, true));
                    boxed(f)
                });
                let elem_expected = match expected {
                    Some(Type::List(t)) => Some(&**t),
                    _ => None,
                };
                let (elem, ty) = self.check_expr(frame, elem, elem_expected);
                frame.reset(mark);
                (
                    Expr::Comprehension(boxed(elem), binders, filter),
                    Type::List(Box::new(ty)),
                )
            }
        }
    }

    /// Binds `x in xs, y in x.ys`: each source must be a list. `scope` is
    /// where the binders can be used.
    pub(super) fn check_binders(
        &mut self,
        frame: &mut Frame,
        binders: &[ast::Binder],
        scope: Span,
    ) -> Vec<(u32, Expr)> {
        binders
            .iter()
            .map(|b| {
                let (source, ty) = self.check_expr(frame, &b.source, None);
                let elem = match &ty {
                    Type::List(elem) => (**elem).clone(),
                    Type::Error => Type::Error,
                    Type::Nullable(inner) if matches!(**inner, Type::List(_)) => {
                        self.error(CheckError::MayBeNull {
                            what: self.text_of(&b.source),
                            span: b.source.span,
                        });
                        Type::Error
                    }
                    other => {
                        let other = other.clone();
                        // Of a record, its lists are what was likely meant.
                        let help = match &other {
                            Type::Record(r) => {
                                let lists: Vec<String> = self
                                    .schema
                                    .record(*r)
                                    .fields
                                    .iter()
                                    .filter(|f| matches!(f.ty, Type::List(_)))
                                    .map(|f| format!("`{}.{}`", self.text_of(&b.source), f.name))
                                    .collect();
                                (!lists.is_empty())
                                    .then(|| format!("its lists: {}", lists.join(", ")))
                            }
                            _ => None,
                        };
                        self.error(CheckError::TypeMismatch {
                            message: format!(
                                "`for {} in ...` ranges over a list, not a `{}`",
                                b.name.node,
                                self.schema.type_name(&other)
                            ),
                            span: b.source.span,
                            label: format!("this is `{}`", self.schema.type_name(&other)),
                            help,
                        });
                        Type::Error
                    }
                };
                let slot = self.bind(frame, &b.name, elem, LocalKind::Binder, scope);
                (slot, source)
            })
            .collect()
    }

    /// A bare name that is no local, input field or definition: in a context
    /// expecting an enum it can only be one of its values.
    fn is_unbound(&self, frame: &Frame, e: &ast::Expr) -> bool {
        let ExprKind::Name(name) = &e.node else {
            return false;
        };
        frame.lookup(name).is_none()
            && self.schema.record(self.schema.input).field(name).is_none()
            && !self.def_names.contains_key(name)
    }

    fn check_name(
        &mut self,
        frame: &mut Frame,
        e: &ast::Expr,
        name: &str,
        expected: Option<&Type>,
    ) -> (Expr, Type) {
        // Enum values win where an enum is expected: `action == change` is the
        // value even though the input also has a field `change`.
        if let Some(Type::Enum(id)) = expected.map(Type::non_null)
            && let Some(v) = self.schema.enum_def(*id).lookup.get(name)
        {
            let symbol = Symbol::Value {
                enum_id: *id,
                value: *v,
            };
            self.index.reference(e.span, symbol);
            return (Expr::Const(Val::Enum(*v)), Type::Enum(*id));
        }
        if let Some((slot, ty, local)) = frame.lookup(name) {
            let ty = ty.clone();
            self.index.reference(e.span, Symbol::Local(local));
            return self.narrowed(frame, Expr::Local(slot), ty);
        }
        let input = self.schema.record(self.schema.input);
        if let Some(slot) = input.field(name) {
            let ty = input.fields[slot as usize].ty.clone();
            let symbol = Symbol::Field {
                record: self.schema.input,
                slot,
            };
            self.index.reference(e.span, symbol);
            return self.narrowed(frame, Expr::Input(slot), ty);
        }
        if let Some(&id) = self.def_names.get(name) {
            self.index.reference(e.span, Symbol::Def(id));
            if !self.visible[frame.file as usize].contains(&id) {
                return self.not_imported(id, name, e.span);
            }
            if !self.defs[id as usize].params.is_empty() {
                self.defs[id as usize].uses += 1;
                let n = self.defs[id as usize].params.len();
                self.error(CheckError::WrongArgumentCount {
                    name: name.to_string(),
                    expected: n,
                    found: 0,
                    span: e.span,
                });
                return poisoned();
            }
            let ty = self.ensure_def(id, Some(e.span));
            return (Expr::Call(id, Vec::new()), ty);
        }
        if let Some(Type::Enum(id)) = expected.map(Type::non_null) {
            let def = self.schema.enum_def(*id);
            let help = did_you_mean(name, def.variants.iter().map(String::as_str));
            self.error(CheckError::UnknownEnumValue {
                value: name.to_string(),
                ty: def.name.clone(),
                span: e.span,
                help,
            });
            return poisoned();
        }
        if let Some((_, declared)) = frame.not_yet.iter().find(|(n, _)| n == name) {
            self.error(CheckError::LetNotVisible {
                name: name.to_string(),
                span: e.span,
                clause: frame.clause,
                declared: *declared,
            });
            return poisoned();
        }
        let mut candidates: Vec<&str> = frame.locals.iter().map(|(n, ..)| n.as_str()).collect();
        candidates.extend(input.fields.iter().map(|f| f.name.as_str()));
        let visible = &self.visible[frame.file as usize];
        candidates.extend(
            self.def_names
                .iter()
                .filter(|(_, id)| visible.contains(id))
                .map(|(n, _)| n.as_str()),
        );
        let mut help = did_you_mean(name, candidates);
        if help.is_none()
            && let Some(owner) = self
                .schema
                .enums
                .iter()
                .find(|en| en.lookup.contains_key(name))
        {
            help = Some(format!(
                "`{name}` is a value of `{}`: enum values are written where the other side of `==` or `in` is a `{}`",
                owner.name, owner.name
            ));
        }
        self.error(CheckError::UndefinedName {
            name: name.to_string(),
            span: e.span,
            help,
        });
        poisoned()
    }

    /// A definition used in a file that does not import the file defining it.
    fn not_imported(&mut self, id: u32, name: &str, span: Span) -> (Expr, Type) {
        self.defs[id as usize].uses += 1;
        let home = self.sources.file(self.defs[id as usize].file).path.clone();
        self.error(CheckError::UndefinedName {
            name: name.to_string(),
            span,
            help: Some(format!("`{name}` is defined in `{home}`: import that file")),
        });
        poisoned()
    }

    /// The type of a place, without its `?` where a condition proved it non-null.
    fn narrowed(&self, frame: &Frame, expr: Expr, ty: Type) -> (Expr, Type) {
        if let Type::Nullable(inner) = &ty
            && let Some(place) = scope::place(&expr)
            && frame.is_nonnull(&place)
        {
            let inner = (**inner).clone();
            return (expr, inner);
        }
        (expr, ty)
    }

    fn check_field(
        &mut self,
        frame: &mut Frame,
        base: &ast::Expr,
        field: &ast::Ident,
    ) -> (Expr, Type) {
        let (base_expr, base_ty) = self.check_expr(frame, base, None);
        let record = match base_ty.non_null() {
            Type::Record(r) => *r,
            Type::Error => return poisoned(),
            other => {
                let help = match other {
                    Type::List(_) => Some(format!(
                        "`{}` is a list: go through it with `all x in ...: x.{}`, `any` or `for`",
                        self.text_of(base),
                        field.node
                    )),
                    _ => None,
                };
                self.error(CheckError::NotARecord {
                    ty: self.schema.type_name(other),
                    span: field.span,
                    help,
                });
                return poisoned();
            }
        };
        let def = self.schema.record(record);
        let Some(slot) = def.field(&field.node) else {
            let error = CheckError::unknown_field(def, field);
            self.error(error);
            return poisoned();
        };
        self.index
            .reference(field.span, Symbol::Field { record, slot });
        let mut ty = def.fields[slot as usize].ty.clone();
        if base_ty.is_nullable() {
            ty = ty.nullable();
        }
        self.narrowed(frame, Expr::Field(boxed(base_expr), slot), ty)
    }

    fn check_call(
        &mut self,
        frame: &mut Frame,
        e: &ast::Expr,
        name: &ast::Ident,
        args: &[ast::Expr],
    ) -> (Expr, Type) {
        if let Some(&id) = self.def_names.get(&name.node) {
            self.index.reference(name.span, Symbol::Def(id));
            if !self.visible[frame.file as usize].contains(&id) {
                return self.not_imported(id, &name.node, name.span);
            }
            let params = self.defs[id as usize].params.clone();
            if params.len() != args.len() {
                self.defs[id as usize].uses += 1;
                self.error(CheckError::WrongArgumentCount {
                    name: name.node.clone(),
                    expected: params.len(),
                    found: args.len(),
                    span: e.span,
                });
                return poisoned();
            }
            let args = args
                .iter()
                .zip(&params)
                .enumerate()
                .map(|(i, (arg, want))| self.check_argument(frame, &name.node, i, arg, want))
                .collect();
            let ty = self.ensure_def(id, Some(name.span));
            return (Expr::Call(id, args), ty);
        }
        let Some((function, arity)) = builtin(&name.node) else {
            let mut names: Vec<&str> = BUILTINS.iter().map(|f| f.name).collect();
            names.extend(self.def_names.keys().map(String::as_str));
            let help = did_you_mean(&name.node, names);
            self.error(CheckError::UnknownFunction {
                name: name.node.clone(),
                span: name.span,
                help,
            });
            return poisoned();
        };
        self.index.reference(name.span, Symbol::Builtin(function));
        if args.len() != arity {
            self.error(CheckError::WrongArgumentCount {
                name: name.node.clone(),
                expected: arity,
                found: args.len(),
                span: e.span,
            });
            return poisoned();
        }
        let (result, checked) = match function {
            Builtin::Len | Builtin::Distinct => {
                let (arg, ty) = self.check_expr(frame, &args[0], None);
                let ok = match ty.non_null() {
                    Type::List(_) => true,
                    Type::Text => function == Builtin::Len,
                    Type::Error => true,
                    _ => false,
                };
                if !ok {
                    let want = if function == Builtin::Len {
                        "a text or a list"
                    } else {
                        "a list"
                    };
                    self.mismatch(&args[0], format!("`{}` takes {want}", name.node), &ty);
                } else if ty.is_nullable() {
                    self.error(CheckError::MayBeNull {
                        what: self.text_of(&args[0]),
                        span: args[0].span,
                    });
                }
                let result = if function == Builtin::Len {
                    Type::Int
                } else {
                    ty.non_null().clone()
                };
                (result, vec![arg])
            }
            Builtin::Lower | Builtin::StripSuffix | Builtin::Before => {
                let args = self.check_text_args(frame, &name.node, args);
                (Type::Text, args)
            }
            Builtin::Contains
            | Builtin::ContainsWord
            | Builtin::StartsWith
            | Builtin::EndsWith
            | Builtin::SameWording => {
                let args = self.check_text_args(frame, &name.node, args);
                (Type::Bool, args.into_iter().map(wording_of).collect())
            }
            Builtin::Id(_) => {
                let (arg, ty) = self.check_expr(frame, &args[0], None);
                match ty.non_null() {
                    Type::Enum(e) if !ty.is_nullable() => {
                        return (Expr::Builtin(Builtin::Id(*e), vec![arg]), Type::Text);
                    }
                    Type::Enum(_) => self.error(CheckError::MayBeNull {
                        what: self.text_of(&args[0]),
                        span: args[0].span,
                    }),
                    Type::Error => {}
                    _ => self.mismatch(&args[0], "`id` takes an enum value".into(), &ty),
                }
                (Type::Text, vec![arg])
            }
        };
        (Expr::Builtin(function, checked), result)
    }

    fn check_text_args(
        &mut self,
        frame: &mut Frame,
        function: &str,
        args: &[ast::Expr],
    ) -> Vec<Expr> {
        args.iter()
            .enumerate()
            .map(|(i, a)| self.check_argument(frame, function, i, a, &Type::Text))
            .collect()
    }

    fn check_argument(
        &mut self,
        frame: &mut Frame,
        function: &str,
        index: usize,
        arg: &ast::Expr,
        want: &Type,
    ) -> Expr {
        let (expr, ty) = self.check_expr(frame, arg, Some(want));
        if !assignable(&ty, want) {
            if ty.is_nullable() && assignable(ty.non_null(), want) {
                self.error(CheckError::MayBeNull {
                    what: self.text_of(arg),
                    span: arg.span,
                });
            } else {
                let message = format!(
                    "argument {} of `{function}` must be `{}`",
                    index + 1,
                    self.schema.type_name(want)
                );
                self.mismatch(arg, message, &ty);
            }
        }
        expr
    }

    /// Checks two operands, the one that can tell its own type first, so that
    /// a bare enum value on either side is resolved against the other.
    fn check_operands(
        &mut self,
        frame: &mut Frame,
        a: &ast::Expr,
        b: &ast::Expr,
    ) -> ((Expr, Type), (Expr, Type)) {
        if self.is_unbound(frame, a) && !self.is_unbound(frame, b) {
            let right = self.check_expr(frame, b, None);
            let left = self.check_expr(frame, a, Some(&right.1));
            (left, right)
        } else {
            let left = self.check_expr(frame, a, None);
            let right = self.check_expr(frame, b, Some(&left.1));
            (left, right)
        }
    }

    fn check_binary(
        &mut self,
        frame: &mut Frame,
        e: &ast::Expr,
        op: BinaryOp,
        a: &ast::Expr,
        b: &ast::Expr,
    ) -> (Expr, Type) {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let left = self.check_condition(frame, a);
                let mark = frame.mark();
                frame
                    .nonnull
                    .extend(scope::nonnull_facts(&left, op == BinaryOp::And));
                let right = self.check_condition(frame, b);
                frame.reset(mark);
                let expr = if op == BinaryOp::And {
                    Expr::And(boxed(left), boxed(right))
                } else {
                    Expr::Or(boxed(left), boxed(right))
                };
                (expr, Type::Bool)
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                let ((left, lt), (right, rt)) = self.check_operands(frame, a, b);
                if !comparable(&lt, &rt) {
                    self.operand_mismatch(e, op, &lt, &rt);
                }
                let eq = Expr::Eq(boxed(left), boxed(right));
                let expr = if op == BinaryOp::Eq {
                    eq
                } else {
                    Expr::Not(boxed(eq))
                };
                (expr, Type::Bool)
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                // Ints compare with ints, dates with dates.
                let (left, lt) = self.check_expr(frame, a, None);
                let want = match lt.non_null() {
                    Type::Date => Type::Date,
                    // The left side is wrong already (`day + 1 > 2026-01-01`):
                    // a date on the right is no second error.
                    Type::Error => {
                        let (right, rt) = self.check_expr(frame, b, None);
                        if !matches!(rt.non_null(), Type::Date | Type::Int | Type::Error) {
                            let what = format!("the right side of `{}`", op.symbol());
                            self.expect_type(b, &rt, &Type::Int, &what);
                        }
                        return (
                            Expr::Compare(Compare::Lt, boxed(left), boxed(right)),
                            Type::Bool,
                        );
                    }
                    _ => Type::Int,
                };
                self.expect_type(
                    a,
                    &lt,
                    &want,
                    &format!("the left side of `{}`", op.symbol()),
                );
                let right = self.check_typed(
                    frame,
                    b,
                    &want,
                    &format!("the right side of `{}`", op.symbol()),
                );
                let cmp = match op {
                    BinaryOp::Lt => Compare::Lt,
                    BinaryOp::Le => Compare::Le,
                    BinaryOp::Gt => Compare::Gt,
                    _ => Compare::Ge,
                };
                (Expr::Compare(cmp, boxed(left), boxed(right)), Type::Bool)
            }
            BinaryOp::Add | BinaryOp::Sub => self.check_arithmetic(frame, e, op, a, b),
            BinaryOp::In | BinaryOp::NotIn => {
                let expr = self.check_membership(frame, e, a, b);
                let expr = if op == BinaryOp::In {
                    expr
                } else {
                    Expr::Not(boxed(expr))
                };
                (expr, Type::Bool)
            }
        }
    }

    fn operand_mismatch(&mut self, e: &ast::Expr, op: BinaryOp, lt: &Type, rt: &Type) {
        let (l, r) = (self.schema.type_name(lt), self.schema.type_name(rt));
        let help = match (lt.non_null(), rt.non_null()) {
            (Type::Record(_), _)
            | (_, Type::Record(_))
            | (Type::List(_), _)
            | (_, Type::List(_)) => Some(
                "`==` compares texts, numbers, booleans and enum values: compare fields"
                    .to_string(),
            ),
            (Type::Date, Type::Text) | (Type::Text, Type::Date) => Some(DATE_HELP.into()),
            _ => None,
        };
        self.error(CheckError::TypeMismatch {
            message: format!("`{l}` {} `{r}`", op.symbol()),
            span: e.span,
            label: format!("`{l}` and `{r}` cannot be compared"),
            help,
        });
    }

    fn check_arithmetic(
        &mut self,
        frame: &mut Frame,
        e: &ast::Expr,
        op: BinaryOp,
        a: &ast::Expr,
        b: &ast::Expr,
    ) -> (Expr, Type) {
        let (left, lt) = self.check_expr(frame, a, None);
        let (right, rt) = self.check_expr(frame, b, Some(&lt));
        for (side, ty) in [(a, &lt), (b, &rt)] {
            if ty.is_nullable() && *ty != Type::Null {
                self.error(CheckError::MayBeNull {
                    what: self.text_of(side),
                    span: side.span,
                });
                return poisoned();
            }
        }
        let expr = match (op, &lt, &rt) {
            (_, Type::Error, _) | (_, _, Type::Error) => {
                return poisoned();
            }
            (BinaryOp::Add, Type::Int, Type::Int) => Expr::Add(boxed(left), boxed(right)),
            (BinaryOp::Sub, Type::Int, Type::Int) => Expr::Sub(boxed(left), boxed(right)),
            (BinaryOp::Add, Type::Text, Type::Text) => Expr::Concat(boxed(left), boxed(right)),
            (BinaryOp::Add, Type::List(x), Type::List(y)) if x == y => {
                Expr::Append(boxed(left), boxed(right))
            }
            _ => {
                let (l, r) = (self.schema.type_name(&lt), self.schema.type_name(&rt));
                let what = if op == BinaryOp::Add {
                    "`+` adds ints, joins texts or joins lists of one type"
                } else {
                    "`-` subtracts ints"
                };
                self.error(CheckError::TypeMismatch {
                    message: format!("`{l}` {} `{r}`", op.symbol()),
                    span: e.span,
                    label: what.into(),
                    help: None,
                });
                return poisoned();
            }
        };
        (expr, lt)
    }

    fn check_membership(
        &mut self,
        frame: &mut Frame,
        e: &ast::Expr,
        a: &ast::Expr,
        b: &ast::Expr,
    ) -> Expr {
        if let ExprKind::Set(items) = &b.node {
            let (left, lt) = self.check_expr(frame, a, None);
            let mut consts = Vec::new();
            let mut exprs = Vec::new();
            for item in items {
                let (expr, ty) = self.check_expr(frame, item, Some(&lt));
                if !comparable(&lt, &ty) {
                    self.operand_mismatch(e, BinaryOp::In, &lt, &ty);
                }
                if let Expr::Const(v) = &expr {
                    consts.push(v.clone());
                }
                exprs.push(expr);
            }
            return if consts.len() == exprs.len() {
                Expr::InConsts(boxed(left), consts)
            } else {
                Expr::InSet(boxed(left), exprs)
            };
        }
        let ((left, lt), (right, rt)) = if self.is_unbound(frame, a) {
            let right = self.check_expr(frame, b, None);
            let elem = match &right.1 {
                Type::List(t) => (**t).clone(),
                _ => Type::Error,
            };
            let left = self.check_expr(frame, a, Some(&elem));
            (left, right)
        } else {
            let left = self.check_expr(frame, a, None);
            let right = self.check_expr(frame, b, Some(&Type::List(Box::new(left.1.clone()))));
            (left, right)
        };
        match &rt {
            Type::List(elem) if comparable(&lt, elem) => {}
            Type::Error => {}
            Type::Nullable(inner) if matches!(**inner, Type::List(_)) => {
                self.error(CheckError::MayBeNull {
                    what: self.text_of(b),
                    span: b.span,
                })
            }
            _ => {
                let (l, r) = (self.schema.type_name(&lt), self.schema.type_name(&rt));
                self.error(CheckError::TypeMismatch {
                    message: format!("`{l}` in `{r}`"),
                    span: e.span,
                    label: format!("`in` needs a set or a list of `{l}`"),
                    help: None,
                });
            }
        }
        Expr::InList(boxed(left), boxed(right))
    }
}

/// The wording of a text argument: these builtins compare wordings. A
/// constant's is found here, once.
fn wording_of(arg: Expr) -> Expr {
    match arg {
        Expr::Const(Val::Text(text)) => {
            Expr::Const(Val::Text(crate::eval::wording::wording(&text).into()))
        }
        // Its slot is numbered with the others, by `plan`.
        other => Expr::Wording(0, Box::new(other)),
    }
}
