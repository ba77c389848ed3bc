//! Rule sets, `when` groups, rules, document requirements, invariants and
//! overrides.

use super::error::CheckError;
use super::index::{LocalKind, Symbol};
use super::program::{self, MessagePart, RuleCheck, RuleCode, Scope};
use super::schema::Type;
use super::scope::{self, Frame, Place};
use super::{Checker, Owner, PendingOverride};
use crate::date::Window;
use crate::diagnostic::{closest, did_you_mean};
use crate::lang::Localized;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, RuleKind, Severity};

impl Checker<'_> {
    pub(super) fn check_ruleset(&mut self, file: FileId, rs: &ast::Ruleset) {
        let (scope, facts) =
            self.add_scope(file, None, rs.when.as_ref(), rs.in_force.as_ref(), &[]);
        self.check_items(file, &rs.name.node, scope, &facts, &rs.items);
    }

    /// Adds a rule set or group; returns its index and what its condition
    /// proves non-null for the rules inside.
    pub(super) fn add_scope(
        &mut self,
        file: FileId,
        parent: Option<usize>,
        cond: Option<&ast::Expr>,
        in_force: Option<&ast::InForce>,
        inherited: &[Place],
    ) -> (usize, Vec<Place>) {
        let outer = parent.map_or(Window::ALWAYS, |p| self.scopes[p].window);
        let window = in_force.map_or(outer, |f| outer.intersect(&f.window()));
        let mut frame = Frame::new(file);
        frame.nonnull = inherited.to_vec();
        let cond_span = cond.map(|c| c.span);
        let cond = cond.map(|c| {
            let checked = self.check_condition(&mut frame, c);
            self.limit_depth(&checked, c.span);
            checked
        });
        let mut facts = inherited.to_vec();
        if let Some(c) = &cond {
            facts.extend(
                scope::nonnull_facts(c, true)
                    .into_iter()
                    .filter(Place::is_input),
            );
        }
        self.max_frame = self.max_frame.max(frame.max as usize);
        self.scopes.push(Scope {
            parent,
            cond,
            cond_span,
            frame: frame.max as usize,
            window,
        });
        (self.scopes.len() - 1, facts)
    }

    pub(super) fn check_items(
        &mut self,
        file: FileId,
        ruleset: &str,
        scope: usize,
        facts: &[Place],
        items: &[ast::BodyItem],
    ) {
        for item in items {
            match item {
                ast::BodyItem::Rule(rule) => {
                    self.check_rule(file, Owner::Ruleset(ruleset), scope, facts, rule)
                }
                ast::BodyItem::Group(group) => {
                    let (inner, facts) = self.add_scope(
                        file,
                        Some(scope),
                        group.when.as_ref(),
                        group.in_force.as_ref(),
                        facts,
                    );
                    self.check_items(file, ruleset, inner, &facts, &group.items);
                }
            }
        }
    }

    pub(super) fn check_rule(
        &mut self,
        file: FileId,
        owner: Owner,
        scope: usize,
        facts: &[Place],
        rule: &ast::RuleDecl,
    ) {
        let id = match owner {
            Owner::Ruleset(ruleset) => format!("{ruleset}.{}", rule.name.node),
            Owner::Invariants => format!("invariant.{}", rule.name.node),
        };
        let invariant = matches!(owner, Owner::Invariants);
        let kind = match rule.kind {
            RuleKind::Rule => "rule",
            RuleKind::Document => "document requirement",
        };
        let mut frame = Frame::new(file);
        frame.nonnull = facts.to_vec();
        frame.not_yet = rule
            .lets
            .iter()
            .map(|(name, _)| (name.node.clone(), name.span))
            .collect();
        // Binders and `let` names can be used from where they are bound to
        // the end of the rule.
        let rest_of_rule = |from: Span| Span {
            end: rule.span.end,
            ..from
        };
        let binders_scope = rule
            .binders
            .first()
            .map_or(rule.span, |b| rest_of_rule(b.name.span));
        frame.clause = "for";
        let binders = self.check_binders(&mut frame, &rule.binders, binders_scope);
        frame.clause = "when";
        let when = rule.when.as_ref().map(|w| {
            let w = self.check_condition(&mut frame, w);
            frame.nonnull.extend(scope::nonnull_facts(&w, true));
            w
        });
        frame.clause = "let";
        let lets = rule
            .lets
            .iter()
            .map(|(name, value)| {
                let (value, ty) = self.check_expr(&mut frame, value, None);
                frame.not_yet.remove(0);
                let scope = rest_of_rule(name.span);
                (
                    self.bind(&mut frame, name, ty, LocalKind::Let, scope),
                    value,
                )
            })
            .collect();
        let missing = |clause| CheckError::MissingClause {
            id: id.clone(),
            kind,
            clause,
            span: rule.name.span,
        };
        let check = match rule.kind {
            RuleKind::Rule => match &rule.require {
                Some(r) => RuleCheck::Require(self.check_condition(&mut frame, r)),
                None => {
                    self.error(missing("require"));
                    RuleCheck::Require(program::Expr::Const(crate::value::Val::Bool(true)))
                }
            },
            RuleKind::Document => match &rule.requires {
                Some((doc, target)) => self.check_requires(&mut frame, doc, target.as_ref()),
                None => {
                    self.error(missing("requires"));
                    RuleCheck::Require(program::Expr::Const(crate::value::Val::Bool(true)))
                }
            },
        };
        let message = match &rule.message {
            Some(m) => {
                let templates = self.localize(&m.texts);
                Localized {
                    zh: templates.zh.map(|t| self.check_template(&mut frame, &t)),
                    en: templates.en.map(|t| self.check_template(&mut frame, &t)),
                }
            }
            None => {
                self.error(missing("message"));
                Localized::new()
            }
        };
        let at = rule.at.as_ref().map(|a| {
            let (at, ty) = self.check_expr(&mut frame, a, None);
            // An `at` with an error of its own has been reported already.
            if scope::place(&at).is_none() && ty != Type::Error {
                self.error(CheckError::Misused {
                    message: "`at` names a fact of the application".into(),
                    span: a.span,
                    label: "not a field".into(),
                    help: Some("write a field path, e.g. `at x.field`".into()),
                });
            }
            at
        });
        let source = match &rule.source {
            Some(s) if !s.node.trim().is_empty() => {
                if self.sections.iter().any(|(n, _)| *n == s.node) {
                    self.index
                        .reference(s.span, Symbol::Section(s.node.clone()));
                } else if !self.sections.is_empty() {
                    let help = did_you_mean(&s.node, self.sections.iter().map(|(n, _)| n.as_str()));
                    self.error(CheckError::UnknownSection {
                        section: s.node.clone(),
                        span: s.span,
                        help,
                    });
                }
                s.node.clone()
            }
            // An invariant states the input format, not a regulation.
            None if invariant => String::new(),
            _ => {
                self.error(CheckError::MissingSource {
                    id: id.clone(),
                    kind,
                    span: rule.name.span,
                });
                String::new()
            }
        };
        let window = match &rule.in_force {
            Some(f) => self.scopes[scope].window.intersect(&f.window()),
            None => self.scopes[scope].window,
        };
        let versions: Vec<&program::RuleCode> = if invariant {
            self.invariants.iter().filter(|i| i.id == id).collect()
        } else {
            self.rule_index
                .get(&id)
                .into_iter()
                .flatten()
                .map(|i| &self.rules[*i])
                .collect()
        };
        // Versions of one rule are in force on different days; a rule given
        // twice with no dates is a plain duplicate.
        let clash = versions
            .iter()
            .find(|v| v.window.overlaps(&window))
            .map(|v| (v.name_span, v.origin.clone(), v.window));
        match clash {
            Some((span, origin, first_window))
                if window.is_always() && first_window.is_always() =>
            {
                self.error(CheckError::Duplicate {
                    ruleset_elsewhere: (!invariant && span.file != rule.name.span.file)
                        .then(|| id.split_once('.').map(|(ruleset, _)| ruleset.to_string()))
                        .flatten(),
                    name: id.clone(),
                    span: rule.name.span,
                    what: "rule",
                    first: Some((span, origin)),
                })
            }
            Some((span, origin, first_window)) => self.error(CheckError::OverlappingVersions {
                id: id.clone(),
                span: rule.name.span,
                window,
                first: (span, origin),
                first_window,
            }),
            None => {}
        }
        if invariant && rule.in_force.is_some() {
            self.error(CheckError::Misused {
                message: "an invariant is a condition of the input format, in force always".into(),
                span: rule.in_force.as_ref().map_or(rule.name.span, |f| f.span),
                label: "here".into(),
                help: Some("date the rules that read the facts instead".into()),
            });
        }
        if invariant && (rule.kind == RuleKind::Document || rule.overrides.is_some()) {
            self.error(CheckError::Misused {
                message: "an invariant is a plain condition of the input".into(),
                span: rule.name.span,
                label: "here".into(),
                help: Some("invariants have no `requires` and no `overrides`".into()),
            });
        }
        let index = self.rules.len();
        if !invariant {
            self.rule_index.entry(id.clone()).or_default().push(index);
        }
        self.index.declare(Symbol::Rule(id.clone()), rule.name.span);
        if let Some(target) = &rule.overrides {
            self.overrides.push(PendingOverride {
                rule: index,
                target: target.node.clone(),
                span: target.span,
                scope,
            });
        }
        self.max_frame = self.max_frame.max(frame.max as usize);
        let path = &self.sources.file(file).path;
        let line = self.line_of(file, rule.name.span.start as usize);
        let code = RuleCode {
            id,
            severity: rule.severity.as_ref().map_or(Severity::Error, |s| s.node),
            source,
            origin: format!("{path}:{line}"),
            scope,
            window,
            overridden_by: Vec::new(),
            overrides: None,
            span: rule.span,
            name_span: rule.name.span,
            message_spans: rule.message.as_ref().map_or_else(Localized::new, |m| {
                let mut spans = Localized::new();
                for t in &m.texts {
                    spans.slot(t.lang()).get_or_insert(t.text.span);
                }
                spans
            }),
            binders,
            when,
            lets,
            check,
            message,
            at,
            frame: frame.max as usize,
        };
        self.limit_rule_depth(&code, rule.name.span);
        if invariant {
            self.invariants.push(code);
        } else {
            self.rules.push(code);
        }
    }

    /// The evaluator runs every part of a rule inside the loops of its
    /// binders.
    fn limit_rule_depth(&mut self, code: &RuleCode, span: crate::source::Span) {
        let mut parts: Vec<&program::Expr> = code.binders.iter().map(|(_, e)| e).collect();
        parts.extend(code.when.iter());
        parts.extend(code.lets.iter().map(|(_, e)| e));
        match &code.check {
            RuleCheck::Require(e) => parts.push(e),
            RuleCheck::Document { target, .. } => parts.extend(target.iter()),
        }
        parts.extend(code.message_holes());
        parts.extend(code.at.iter());
        let deepest = parts
            .iter()
            .map(|e| super::depth::eval_depth(e, &self.def_depths))
            .max()
            .unwrap_or(0);
        if code.binders.len() + deepest > super::MAX_EVAL_DEPTH {
            self.too_deep(span);
        }
    }

    pub(super) fn check_requires(
        &mut self,
        frame: &mut Frame,
        doc: &ast::Ident,
        target: Option<&ast::Expr>,
    ) -> RuleCheck {
        let Some(uploads) = self.schema.uploads.clone() else {
            self.error(CheckError::Misused {
                message: "document requirements need an `uploads` declaration".into(),
                span: doc.span,
                label: "no `uploads` in the schema".into(),
                help: Some(
                    "declare where uploads are: `uploads { list FIELD kind FIELD target FIELD }`"
                        .into(),
                ),
            });
            return RuleCheck::Require(program::Expr::Const(crate::value::Val::Bool(true)));
        };
        let kinds = self.schema.enum_def(uploads.kind_enum);
        let kind = match kinds.lookup.get(&doc.node) {
            Some(&k) => {
                let symbol = Symbol::Value {
                    enum_id: uploads.kind_enum,
                    value: k,
                };
                self.index.reference(doc.span, symbol);
                k
            }
            None => {
                let help = did_you_mean(&doc.node, kinds.variants.iter().map(String::as_str));
                self.error(CheckError::UnknownDocumentType {
                    name: doc.node.clone(),
                    span: doc.span,
                    help,
                });
                0
            }
        };
        let target = target.map(|t| {
            if uploads.target.is_none() {
                self.error(CheckError::Misused {
                    message: "uploads have no `target` field to match `for` against".into(),
                    span: t.span,
                    label: "per-item document".into(),
                    help: Some("add `target FIELD` to the `uploads` declaration".into()),
                });
            }
            self.check_typed(frame, t, &Type::Text, "the document's target")
        });
        RuleCheck::Document { kind, target }
    }

    pub(super) fn check_template(
        &mut self,
        frame: &mut Frame,
        template: &ast::Template,
    ) -> Vec<MessagePart> {
        template
            .parts
            .iter()
            .map(|part| match part {
                ast::TemplatePart::Text(t) => MessagePart::Text(t.clone()),
                ast::TemplatePart::Hole(e) => {
                    let (expr, ty) = self.check_expr(frame, e, None);
                    if matches!(ty.non_null(), Type::Record(_)) {
                        self.error(CheckError::Misused {
                            message: "a message cannot show a whole record".into(),
                            span: e.span,
                            label: format!("this is a `{}`", self.schema.type_name(&ty)),
                            help: Some("show one of its fields, e.g. `{x.name}`".into()),
                        });
                    }
                    MessagePart::Hole(expr, ty)
                }
            })
            .collect()
    }

    pub(super) fn resolve_overrides(&mut self) {
        for o in std::mem::take(&mut self.overrides) {
            let versions = self.rule_index.get(&o.target).cloned().unwrap_or_default();
            match versions.first() {
                Some(&target) if !versions.contains(&o.rule) => {
                    self.index.reference(o.span, Symbol::Rule(o.target.clone()));
                    // Every version of the target gives way, on the days the
                    // overriding rule is in force.
                    let window = self.rules[o.rule].window;
                    for v in versions {
                        self.rules[v].overridden_by.push((o.scope, window));
                    }
                    self.rules[o.rule].overrides = Some(target);
                }
                Some(_) => self.error(CheckError::Misused {
                    message: "a rule cannot override itself".into(),
                    span: o.span,
                    label: "its own id".into(),
                    help: None,
                }),
                None => {
                    let help = closest(&o.target, self.rule_index.keys().map(String::as_str))
                        .map(|c| format!("did you mean `{c}`?"));
                    self.error(CheckError::UnknownOverride {
                        id: self.rules[o.rule].id.clone(),
                        target: o.target,
                        span: o.span,
                        help,
                    });
                }
            }
        }
    }
}
