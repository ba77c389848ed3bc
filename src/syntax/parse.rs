//! From pest pairs to the AST, and from pest errors to [`SyntaxError`]s.
//!
//! The `expect`s here state what the grammar guarantees of a pair that
//! parsed (an `import` has a path, a `rule` a name): no input can break them,
//! only a change of `grammar/icp.pest` that the builder does not follow. The
//! fuzz targets and the property tests run this code on broken input to show
//! that.

use std::sync::LazyLock;

use pest::Parser;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::*;
use super::error::SyntaxError;
use super::nesting::{MAX_NESTING, check_nesting};
use crate::lang::Lang;
use crate::source::{FileId, Span, Spanned};

#[derive(pest_derive::Parser)]
#[grammar = "grammar/icp.pest"]
pub(super) struct IcpParser;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::or_op, Assoc::Left))
        .op(Op::infix(Rule::and_op, Assoc::Left))
        .op(Op::prefix(Rule::not_op))
        .op(Op::infix(Rule::eq_op, Assoc::Left)
            | Op::infix(Rule::ne_op, Assoc::Left)
            | Op::infix(Rule::lt_op, Assoc::Left)
            | Op::infix(Rule::le_op, Assoc::Left)
            | Op::infix(Rule::gt_op, Assoc::Left)
            | Op::infix(Rule::ge_op, Assoc::Left)
            | Op::infix(Rule::in_op, Assoc::Left)
            | Op::infix(Rule::not_in_op, Assoc::Left))
        .op(Op::infix(Rule::add_op, Assoc::Left) | Op::infix(Rule::sub_op, Assoc::Left))
});

/// Parses one rule file. Returns the AST of what could be parsed and every
/// syntax error found; the AST is complete only when there are no errors.
pub fn parse_file(text: &str, file: FileId) -> (File, Vec<SyntaxError>) {
    if let Some(error) = check_nesting(text, file) {
        return (File::default(), vec![error]);
    }
    let mut builder = Builder {
        file,
        text,
        errors: Vec::new(),
        skipped: Vec::new(),
        depth: 0,
    };
    let first_error = match IcpParser::parse(Rule::file_strict, text) {
        Ok(mut pairs) => {
            let ast = builder.file(pairs.next().expect("the file rule always yields a pair"));
            return (ast, builder.errors);
        }
        Err(e) => builder.convert_error(e, 0),
    };
    let ast = match IcpParser::parse(Rule::file, text) {
        Ok(mut pairs) => builder.file(pairs.next().expect("the file rule always yields a pair")),
        Err(_) => File::default(),
    };
    let first_at = first_error.span().start as usize;
    let mut errors = vec![first_error];
    for (entry, start, end) in std::mem::take(&mut builder.skipped) {
        // The strict parse already explained the piece that holds, or ends
        // just before, its error.
        if start <= first_at && text[end.min(first_at)..first_at].trim().is_empty() {
            continue;
        }
        errors.push(builder.reparse(entry, start));
    }
    errors.append(&mut builder.errors);
    // Of two errors at one place the builder's, which knows what is missing
    // (a comma between enum values), says more than the parser's.
    errors.sort_by_key(|e| {
        (
            e.span().start,
            !matches!(e, SyntaxError::MissingComma { .. }),
        )
    });
    errors.dedup_by_key(|e| e.span().start);
    (ast, explain_braces(text, file, errors))
}

/// Puts the braces that do not match in place of the errors they cause. A
/// block that is not closed makes the parser fail further on, where the
/// text is fine, up to where its `}` is missing; an error in a message at a
/// lone brace is the lone brace.
fn explain_braces(text: &str, file: FileId, errors: Vec<SyntaxError>) -> Vec<SyntaxError> {
    let super::braces::Braces {
        errors: braces,
        holes,
    } = super::braces::scan(text, file);
    let in_hole = |e: &SyntaxError| {
        let at = e.span().start as usize;
        holes
            .iter()
            .any(|(start, end)| (*start..*end).contains(&at))
    };
    let errors: Vec<SyntaxError> = errors
        .into_iter()
        .map(|e| match e {
            SyntaxError::Unexpected { .. } if in_hole(&e) => {
                SyntaxError::InMessageHole { inner: Box::new(e) }
            }
            e => e,
        })
        .collect();
    if braces.is_empty() {
        return errors;
    }
    // What each brace error explains: from the block's `{` to the end of
    // the line where its `}` is missing (or of the file); from a lone brace
    // to the end of its line. A line followed by blanks only ends at the end
    // of the file: the `}` taken for the missing one leaves the outer block
    // open there, which is the same brace left out.
    let line_end = |at: usize| {
        let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        if text[end..].trim().is_empty() {
            text.len()
        } else {
            end
        }
    };
    let explained: Vec<(usize, usize)> = braces
        .iter()
        .map(|e| match e {
            SyntaxError::Unclosed {
                at_end: true, span, ..
            } => (span.start as usize, text.len()),
            SyntaxError::Unclosed { span, missing, .. } => {
                (span.start as usize, line_end(missing.start as usize))
            }
            _ => (e.span().start as usize, line_end(e.span().start as usize)),
        })
        .collect();
    let mut kept: Vec<SyntaxError> = errors
        .into_iter()
        .filter(|e| {
            let at = e.span().start as usize;
            !explained
                .iter()
                .any(|(start, end)| (*start..=*end).contains(&at))
        })
        .collect();
    kept.extend(braces);
    kept.sort_by_key(|e| e.span().start);
    kept
}

struct Builder<'t> {
    file: FileId,
    text: &'t str,
    errors: Vec<SyntaxError>,
    /// Pieces the recovering parse skipped: the strict rule to parse them
    /// again with, and their byte range.
    skipped: Vec<(Rule, usize, usize)>,
    /// Levels of the expression being built above the current node. The text
    /// scan bounds brackets and quantifiers; this also counts operators and
    /// field accesses, which nest in the tree without nesting in the text.
    depth: usize,
}

impl<'t> Builder<'t> {
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, s.start(), s.end())
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Spanned::new(pair.as_str().to_string(), self.span(&pair))
    }

    fn skip(&mut self, pair: &Pair<Rule>, entry: Rule) {
        let s = pair.as_span();
        self.skipped.push((entry, s.start(), s.end()));
    }

    fn file(&mut self, pair: Pair<Rule>) -> File {
        let mut items = Vec::new();
        for p in pair.into_inner() {
            let item = match p.as_rule() {
                Rule::import => {
                    let s = p.into_inner().nth(1).expect("import has a path");
                    Item::Import(self.string(s))
                }
                Rule::input_decl => {
                    Item::Input(self.ident(p.into_inner().nth(1).expect("input names a record")))
                }
                Rule::report_decl => {
                    Item::Report(p.into_inner().skip(1).map(|i| self.ident(i)).collect())
                }
                Rule::as_of_decl => {
                    Item::AsOf(self.ident(p.into_inner().nth(1).expect("as_of names a field")))
                }
                Rule::uploads_decl => Item::Uploads(self.uploads(p)),
                Rule::sections_decl => Item::Sections(self.sections(p)),
                Rule::enum_decl | Rule::enum_decl_r => Item::Enum(self.enum_decl(p)),
                Rule::record_decl => Item::Record(self.record_decl(p)),
                Rule::def_decl => Item::Def(self.def(p)),
                Rule::invariant | Rule::invariant_s => {
                    Item::Invariant(Box::new(self.rule(p, RuleKind::Rule)))
                }
                Rule::ruleset | Rule::ruleset_s => Item::Ruleset(self.ruleset(p)),
                Rule::recover_top => {
                    self.skip(&p, Rule::top_item_strict);
                    continue;
                }
                _ => continue, // EOI
            };
            items.push(item);
        }
        File { items }
    }

    fn sections(&mut self, pair: Pair<Rule>) -> SectionsDecl {
        let mut decl = SectionsDecl {
            document: Vec::new(),
            editions: Vec::new(),
            entries: Vec::new(),
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string => decl.document.push(Translation {
                    lang: None,
                    text: self.string(p),
                }),
                Rule::label => {
                    let label = self.label(p);
                    decl.document.push(label);
                }
                Rule::edition_entry => {
                    let mut name = Vec::new();
                    let mut issued = None;
                    for part in p.into_inner() {
                        match part.as_rule() {
                            Rule::label => name.push(self.label(part)),
                            Rule::string => name.push(Translation {
                                lang: None,
                                text: self.string(part),
                            }),
                            Rule::date => issued = Some(self.date(part)),
                            _ => {}
                        }
                    }
                    let issued = issued.expect("an edition has a date");
                    decl.editions.push(Edition { name, issued });
                }
                Rule::section_entry => {
                    let mut inner = p.into_inner();
                    let number = self.string(inner.next().expect("a section number"));
                    let title = inner
                        .map(|p| match p.as_rule() {
                            Rule::label => self.label(p),
                            _ => Translation {
                                lang: None,
                                text: self.string(p),
                            },
                        })
                        .collect();
                    decl.entries.push(Section { number, title });
                }
                _ => {}
            }
        }
        decl
    }

    /// `zh "…"`.
    fn label(&mut self, pair: Pair<Rule>) -> Label {
        let mut inner = pair.into_inner();
        let lang = self.lang(inner.next().expect("a label has a language"));
        let text = self.string(inner.next().expect("a label has a text"));
        Translation {
            lang: Some(lang),
            text,
        }
    }

    fn lang(&self, pair: Pair<Rule>) -> Spanned<Lang> {
        let lang = Lang::from_code(pair.as_str()).expect("the grammar knows only zh and en");
        Spanned::new(lang, self.span(&pair))
    }

    fn uploads(&mut self, pair: Pair<Rule>) -> Uploads {
        let span = self.span(&pair);
        let entries = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::uploads_entry)
            .map(|e| {
                let mut inner = e.into_inner();
                let key = self.ident(inner.next().expect("key"));
                let value = self.ident(inner.next().expect("value"));
                (key, value)
            })
            .collect();
        Uploads { entries, span }
    }

    fn enum_decl(&mut self, pair: Pair<Rule>) -> EnumDecl {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("enum has a name"));
        let mut variants: Vec<EnumValue> = Vec::new();
        let mut missing_comma = false;
        for value in inner {
            if value.as_rule() == Rule::missing_comma {
                missing_comma = true;
                continue;
            }
            let mut parts = value.into_inner();
            let name = self.ident(parts.next().expect("a value has a name"));
            let labels = parts.map(|l| self.label(l)).collect();
            if std::mem::take(&mut missing_comma) {
                let before = variants.last().expect("a comma follows a value");
                self.errors.push(SyntaxError::MissingComma {
                    span: name.span,
                    before: before.name.node.clone(),
                    after: name.node.clone(),
                });
            }
            variants.push(EnumValue { name, labels });
        }
        EnumDecl {
            name,
            variants,
            span,
        }
    }

    fn record_decl(&mut self, pair: Pair<Rule>) -> RecordDecl {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("record has a name"));
        let fields = inner
            .map(|f| {
                let mut optional_key = false;
                let mut name = None;
                let mut ty = None;
                let mut labels = Vec::new();
                for p in f.into_inner() {
                    match p.as_rule() {
                        Rule::ident => name = Some(self.ident(p)),
                        Rule::optional_key => optional_key = true,
                        Rule::label => labels.push(self.label(p)),
                        _ => ty = Some(self.type_expr(p)),
                    }
                }
                FieldDecl {
                    name: name.expect("field has a name"),
                    optional_key,
                    ty: ty.expect("field has a type"),
                    labels,
                }
            })
            .collect();
        RecordDecl { name, fields, span }
    }

    fn type_expr(&mut self, pair: Pair<Rule>) -> TypeExpr {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let base = inner.next().expect("type has a base");
        let base_span = self.span(&base);
        let base = match base.as_rule() {
            Rule::list_type => {
                let elem =
                    self.type_expr(base.into_inner().next().expect("list has an element type"));
                Spanned::new(TypeExprKind::List(Box::new(elem)), base_span)
            }
            _ => Spanned::new(TypeExprKind::Named(base.as_str().to_string()), base_span),
        };
        match inner.next() {
            Some(_) => Spanned::new(TypeExprKind::Nullable(Box::new(base)), span),
            None => base,
        }
    }

    fn def(&mut self, pair: Pair<Rule>) -> Def {
        // The pair runs on over the blank lines and comments after the body.
        let mut span = self.span(&pair);
        span.end = span.start + written_len(&self.text[span.range()]) as u32;
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("def has a name"));
        let mut params = None;
        let mut ty = None;
        let mut body = None;
        for p in inner {
            match p.as_rule() {
                Rule::params => {
                    params = Some(
                        p.into_inner()
                            .map(|param| {
                                let mut inner = param.into_inner();
                                let name = self.ident(inner.next().expect("parameter name"));
                                let ty = self.type_expr(inner.next().expect("parameter type"));
                                (name, ty)
                            })
                            .collect(),
                    )
                }
                Rule::type_expr => ty = Some(self.type_expr(p)),
                _ => body = Some(self.expr(p)),
            }
        }
        Def {
            name,
            params,
            ty,
            body: body.expect("def has a body"),
            span,
        }
    }

    fn ruleset(&mut self, pair: Pair<Rule>) -> Ruleset {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("ruleset has a name"));
        let mut when = None;
        let mut in_force = None;
        let mut items = Vec::new();
        for p in inner {
            match p.as_rule() {
                Rule::kw_when => {}
                Rule::expr => when = Some(self.expr(p)),
                Rule::in_force => in_force = Some(self.in_force(p)),
                _ => self.body_item(p, &mut items),
            }
        }
        Ruleset {
            name,
            when,
            in_force,
            items,
            span,
        }
    }

    fn body_item(&mut self, pair: Pair<Rule>, items: &mut Vec<BodyItem>) {
        match pair.as_rule() {
            Rule::rule | Rule::rule_s => {
                items.push(BodyItem::Rule(Box::new(self.rule(pair, RuleKind::Rule))))
            }
            Rule::document | Rule::document_s => items.push(BodyItem::Rule(Box::new(
                self.rule(pair, RuleKind::Document),
            ))),
            Rule::group | Rule::group_s => {
                let span = self.span(&pair);
                let mut when = None;
                let mut in_force = None;
                let mut group_items = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::kw_when => {}
                        Rule::expr => when = Some(self.expr(p)),
                        Rule::in_force => in_force = Some(self.in_force(p)),
                        _ => self.body_item(p, &mut group_items),
                    }
                }
                items.push(BodyItem::Group(Group {
                    when,
                    in_force,
                    items: group_items,
                    span,
                }));
            }
            Rule::recover_item => self.skip(&pair, Rule::body_item_strict),
            _ => {}
        }
    }

    fn rule(&mut self, pair: Pair<Rule>, kind: RuleKind) -> RuleDecl {
        let span = self.span(&pair);
        let kind_name = match kind {
            RuleKind::Rule => "rule",
            RuleKind::Document => "document",
        };
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next().expect("rule has a name"));
        let mut rule = RuleDecl {
            kind,
            name,
            overrides: None,
            severity: None,
            source: None,
            binders: Vec::new(),
            when: None,
            lets: Vec::new(),
            require: None,
            requires: None,
            message: None,
            at: None,
            in_force: None,
            span,
        };
        for clause in inner {
            let rule_kind = clause.as_rule();
            if rule_kind == Rule::recover_clause {
                self.skip(&clause, Rule::clause_strict);
                continue;
            }
            if rule_kind == Rule::in_force {
                if rule.in_force.is_some() {
                    let span = self.span(&clause);
                    self.errors.push(SyntaxError::DuplicateClause {
                        span,
                        clause: "in force",
                        kind: kind_name,
                    });
                } else {
                    rule.in_force = Some(self.in_force(clause));
                }
                continue;
            }
            let mut parts = clause.into_inner();
            let keyword = parts.next().expect("clause starts with a keyword");
            let keyword_span = self.span(&keyword);
            if rule_kind == Rule::overrides {
                let target = parts.next().expect("overrides names a rule");
                rule.overrides = Some(Spanned::new(
                    target.as_str().to_string(),
                    self.span(&target),
                ));
                continue;
            }
            let clause_name = keyword.as_str();
            let duplicate = match rule_kind {
                Rule::severity_clause => rule.severity.is_some(),
                Rule::source_clause => rule.source.is_some(),
                Rule::for_clause => !rule.binders.is_empty(),
                Rule::when_clause => rule.when.is_some(),
                Rule::require_clause => rule.require.is_some(),
                Rule::requires_clause => rule.requires.is_some(),
                Rule::message_clause => rule.message.is_some(),
                Rule::at_clause => rule.at.is_some(),
                _ => false,
            };
            if duplicate {
                self.errors.push(SyntaxError::DuplicateClause {
                    span: keyword_span,
                    clause: static_clause(clause_name),
                    kind: kind_name,
                });
                continue;
            }
            let misplaced = match (kind, rule_kind) {
                (RuleKind::Rule, Rule::requires_clause) => Some(
                    "a rule states its condition with `require`; document requirements are `document` items",
                ),
                (RuleKind::Document, Rule::require_clause) => Some(
                    "a document requirement names its document with `requires TYPE`; conditions go in `when`",
                ),
                (RuleKind::Document, Rule::at_clause) => {
                    Some("a missing document is reported at the uploads list")
                }
                _ => None,
            };
            if let Some(help) = misplaced {
                self.errors.push(SyntaxError::MisplacedClause {
                    span: keyword_span,
                    clause: static_clause(clause_name),
                    kind: kind_name,
                    help,
                });
                continue;
            }
            match rule_kind {
                Rule::severity_clause => {
                    let s = parts.next().expect("severity value");
                    let severity = match s.as_str() {
                        "error" => Severity::Error,
                        "warning" => Severity::Warning,
                        _ => Severity::Info,
                    };
                    rule.severity = Some(Spanned::new(severity, self.span(&s)));
                }
                Rule::source_clause => {
                    rule.source = Some(self.string(parts.next().expect("source text")))
                }
                Rule::for_clause => rule.binders = self.binders(parts.next().expect("binders")),
                Rule::when_clause => rule.when = Some(self.expr(parts.next().expect("condition"))),
                Rule::let_clause => {
                    let name = self.ident(parts.next().expect("let name"));
                    let value = self.expr(parts.next().expect("let value"));
                    rule.lets.push((name, value));
                }
                Rule::require_clause => {
                    rule.require = Some(self.expr(parts.next().expect("condition")))
                }
                Rule::requires_clause => {
                    let doc = self.ident(parts.next().expect("document type"));
                    let target = parts.nth(1).map(|p| self.expr(p));
                    rule.requires = Some((doc, target));
                }
                Rule::message_clause => {
                    let texts = parts
                        .map(|p| match p.as_rule() {
                            Rule::message_text => {
                                let mut inner = p.into_inner();
                                let lang = self.lang(inner.next().expect("a language"));
                                let template = self.template(inner.next().expect("a message"));
                                Translation {
                                    lang: Some(lang),
                                    text: template,
                                }
                            }
                            _ => Translation {
                                lang: None,
                                text: self.template(p),
                            },
                        })
                        .collect::<Vec<_>>();
                    let span = texts
                        .iter()
                        .map(|t| t.text.span)
                        .reduce(Span::to)
                        .unwrap_or(keyword_span);
                    rule.message = Some(Message { texts, span });
                }
                Rule::at_clause => rule.at = Some(self.expr(parts.next().expect("fact"))),
                _ => {}
            }
        }
        rule
    }

    /// `in force from DATE until DATE`.
    fn in_force(&mut self, pair: Pair<Rule>) -> InForce {
        let span = self.span(&pair);
        let mut in_force = InForce {
            from: None,
            until: None,
            span,
        };
        for p in pair.into_inner() {
            let which = p.as_rule();
            let Some(date) = p.into_inner().nth(1) else {
                continue;
            };
            let date = Some(self.date(date));
            match which {
                Rule::in_force_from => in_force.from = date,
                _ => in_force.until = date,
            }
        }
        // The pair runs on over the whitespace after it.
        if let Some(last) = in_force.until.as_ref().or(in_force.from.as_ref()) {
            in_force.span.end = last.span.end;
        }
        in_force
    }

    /// A date literal; a day the calendar does not have is an error.
    fn date(&mut self, pair: Pair<Rule>) -> Spanned<crate::date::Date> {
        let span = self.span(&pair);
        let text = pair.as_str();
        let date = crate::date::Date::parse(text).unwrap_or_else(|e| {
            self.errors.push(SyntaxError::BadDate {
                span,
                text: text.to_string(),
                help: e.help(text),
            });
            crate::date::Date(0)
        });
        Spanned::new(date, span)
    }

    fn binders(&mut self, pair: Pair<Rule>) -> Vec<Binder> {
        pair.into_inner()
            .map(|b| {
                let mut inner = b.into_inner();
                let name = self.ident(inner.next().expect("binder name"));
                let source = self.postfix(inner.nth(1).expect("binder source"));
                Binder { name, source }
            })
            .collect()
    }

    /// The text of a string or of a message's text, `raw` at byte `start`:
    /// `\n`, `\t`, `\"`, `\\`, `\{` and `\}` are escapes; another is an
    /// error (kept as written), not dropped.
    fn unescape(&mut self, raw: &str, start: usize) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, c @ ('"' | '\\' | '{' | '}'))) => out.push(c),
                Some((_, other)) => {
                    let at = start + i;
                    self.errors.push(SyntaxError::UnknownEscape {
                        span: Span::new(self.file, at, at + 1 + other.len_utf8()),
                        found: other,
                    });
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        }
        out
    }

    fn string(&mut self, pair: Pair<Rule>) -> Spanned<String> {
        let span = self.span(&pair);
        let (inner, start) = pair
            .into_inner()
            .next()
            .map_or(("", 0), |p| (p.as_str(), p.as_span().start()));
        Spanned::new(self.unescape(inner, start), span)
    }

    fn template(&mut self, pair: Pair<Rule>) -> Template {
        let span = self.span(&pair);
        let mut parts = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::template_text => {
                    let text = self.unescape(p.as_str(), p.as_span().start());
                    push_text(&mut parts, &text);
                }
                Rule::brace_escape => push_text(&mut parts, &p.as_str()[..1]),
                _ => {
                    let expr = self.expr(p.into_inner().next().expect("hole holds an expression"));
                    parts.push(TemplatePart::Hole(expr));
                }
            }
        }
        Template { parts, span }
    }

    /// Builds `build`'s node `levels` deeper, or reports the nesting limit at
    /// `at` (the operator or access that goes past it) and gives a stand-in.
    fn nested(&mut self, levels: usize, at: Span, build: impl FnOnce(&mut Self) -> Expr) -> Expr {
        if self.depth + levels > MAX_NESTING {
            return self.too_deep(at);
        }
        self.depth += levels;
        let expr = build(self);
        self.depth -= levels;
        expr
    }

    /// Reports the nesting limit; the stand-in it gives is never checked,
    /// since a file with syntax errors goes no further.
    fn too_deep(&mut self, at: Span) -> Expr {
        self.errors.push(SyntaxError::TooDeep {
            span: at,
            limit: MAX_NESTING,
        });
        Spanned::new(ExprKind::Bool(true), at)
    }

    fn expr(&mut self, pair: Pair<Rule>) -> Expr {
        // Each operator may add a level to the tree the Pratt parser builds.
        let operators: Vec<Span> = pair
            .clone()
            .into_inner()
            .filter(|p| !matches!(p.as_rule(), Rule::postfix))
            .map(|p| self.span(&p))
            .collect();
        let at = operators
            .get(MAX_NESTING.saturating_sub(self.depth))
            .copied()
            .unwrap_or_else(|| self.span(&pair));
        self.nested(operators.len(), at, |this| this.operators(pair))
    }

    fn operators(&mut self, pair: Pair<Rule>) -> Expr {
        let file = self.file;
        // The closures below each need the builder; pest's Pratt parser takes
        // them all at once, so they share it through a cell.
        let this = std::cell::RefCell::new(self);
        PRATT
            .map_primary(|p| this.borrow_mut().postfix(p))
            .map_prefix(|op, rhs| {
                let s = op.as_span();
                let span = Span::new(file, s.start(), s.end()).to(rhs.span);
                Spanned::new(ExprKind::Not(Box::new(rhs)), span)
            })
            .map_infix(|lhs, op, rhs| {
                let op = match op.as_rule() {
                    Rule::or_op => BinaryOp::Or,
                    Rule::and_op => BinaryOp::And,
                    Rule::eq_op => BinaryOp::Eq,
                    Rule::ne_op => BinaryOp::Ne,
                    Rule::lt_op => BinaryOp::Lt,
                    Rule::le_op => BinaryOp::Le,
                    Rule::gt_op => BinaryOp::Gt,
                    Rule::ge_op => BinaryOp::Ge,
                    Rule::in_op => BinaryOp::In,
                    Rule::not_in_op => BinaryOp::NotIn,
                    Rule::add_op => BinaryOp::Add,
                    _ => BinaryOp::Sub,
                };
                let span = lhs.span.to(rhs.span);
                Spanned::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span)
            })
            .parse(pair.into_inner())
    }

    fn postfix(&mut self, pair: Pair<Rule>) -> Expr {
        let mut inner = pair.into_inner();
        let primary = inner.next().expect("postfix has a primary");
        let accesses: Vec<Pair<Rule>> = inner.collect();
        let at = accesses
            .get(MAX_NESTING.saturating_sub(self.depth))
            .map_or_else(|| self.span(&primary), |a| self.span(a));
        if self.depth + accesses.len() > MAX_NESTING {
            return self.too_deep(at);
        }
        let mut expr = self.nested(accesses.len(), at, |this| this.primary(primary));
        for access in accesses {
            let field = self.ident(access.into_inner().next().expect("field name"));
            let span = expr.span.to(field.span);
            expr = Spanned::new(ExprKind::Field(Box::new(expr), field), span);
        }
        expr
    }

    fn primary(&mut self, pair: Pair<Rule>) -> Expr {
        match pair.as_rule() {
            Rule::quantifier | Rule::count | Rule::comprehension | Rule::set | Rule::call => {
                // Their parts are one level below them.
                let start = pair.as_span().start();
                let at = Span::new(self.file, start, start + token_len(pair.as_str()));
                self.nested(1, at, |this| this.build_primary(pair))
            }
            _ => self.build_primary(pair),
        }
    }

    fn build_primary(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::int => match pair.as_str().parse() {
                Ok(n) => ExprKind::Int(n),
                Err(_) => {
                    self.errors.push(SyntaxError::IntTooLarge {
                        span,
                        text: pair.as_str().to_string(),
                    });
                    ExprKind::Int(0)
                }
            },
            Rule::date => ExprKind::Date(self.date(pair).node),
            Rule::string => ExprKind::Text(self.string(pair).node),
            Rule::true_lit => ExprKind::Bool(true),
            Rule::false_lit => ExprKind::Bool(false),
            Rule::null_lit => ExprKind::Null,
            Rule::ident => ExprKind::Name(pair.as_str().to_string()),
            Rule::expr => return self.expr(pair),
            Rule::quantifier => {
                let mut inner = pair.into_inner();
                let q = match inner.next().expect("quantifier kind").as_rule() {
                    Rule::all_q => Quantifier::All,
                    Rule::any_q => Quantifier::Any,
                    _ => Quantifier::None,
                };
                let binders = self.binders(inner.next().expect("binders"));
                let body = self.expr(inner.next().expect("body"));
                ExprKind::Quantifier(q, binders, Box::new(body))
            }
            Rule::count => {
                let mut inner = pair.into_inner().skip(1);
                let binders = self.binders(inner.next().expect("binders"));
                let filter = inner.nth(1).map(|p| Box::new(self.expr(p)));
                ExprKind::Count(binders, filter)
            }
            Rule::comprehension => {
                let mut inner = pair.into_inner();
                let elem = self.expr(inner.next().expect("element"));
                let binders = self.binders(inner.nth(1).expect("binders"));
                let filter = inner.nth(1).map(|p| Box::new(self.expr(p)));
                ExprKind::Comprehension(Box::new(elem), binders, filter)
            }
            Rule::set => ExprKind::Set(pair.into_inner().map(|p| self.expr(p)).collect()),
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = self.ident(inner.next().expect("function name"));
                ExprKind::Call(name, inner.map(|p| self.expr(p)).collect())
            }
            Rule::postfix => return self.postfix(pair),
            other => unreachable!("the grammar has no primary {other:?}"),
        };
        Spanned::new(kind, span)
    }

    /// Parses a skipped piece again with the strict rule, to say what is wrong
    /// with it.
    fn reparse(&self, entry: Rule, start: usize) -> SyntaxError {
        match IcpParser::parse(entry, &self.text[start..]) {
            Err(e) => self.convert_error(e, start),
            Ok(_) => {
                let end = start + token_len(&self.text[start..]);
                SyntaxError::Unexpected {
                    span: Span::new(self.file, start, end),
                    found: describe_found(&self.text[start..]),
                    expected: Vec::new(),
                    word: None,
                }
            }
        }
    }

    fn convert_error(&self, error: pest::error::Error<Rule>, offset: usize) -> SyntaxError {
        let pos = offset
            + match error.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((s, _)) => s,
            };
        let positives = match error.variant {
            pest::error::ErrorVariant::ParsingError { positives, .. } => positives,
            pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
        };
        let mut expected: Vec<String> = Vec::new();
        for positive in positives {
            for name in describe_rule(positive) {
                if !expected.iter().any(|e| e == name) {
                    expected.push(name.to_string());
                }
            }
        }
        if let Some(open) = unterminated_string(self.text, pos) {
            return SyntaxError::UnterminatedString {
                span: Span::new(self.file, open, open + 1),
            };
        }
        let rest = &self.text[pos..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        SyntaxError::Unexpected {
            span: Span::new(self.file, pos, pos + token_len(rest)),
            found: describe_found(rest),
            expected,
            word: (!word.is_empty()).then_some(word),
        }
    }
}

/// The opening quote of a string that the error at `pos` is inside of or
/// starts, when that string does not close on its line: pest then reports
/// what it expected after it, which does not tell what is wrong.
fn unterminated_string(text: &str, pos: usize) -> Option<usize> {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let mut open = None;
    let mut chars = text[line_start..line_end].char_indices();
    while let Some((i, c)) = chars.next() {
        let at = line_start + i;
        match (c, open) {
            ('\\', Some(_)) => {
                chars.next();
            }
            ('"', None) => open = Some(at),
            ('"', Some(start)) if start < pos && at >= pos => return None,
            ('"', Some(_)) => open = None,
            ('/', None) if text[at..].starts_with("//") => break,
            _ => {}
        }
        if open.is_none() && at >= pos {
            return None;
        }
    }
    open
}

/// The length of a piece of text without the blank lines and whole-line
/// comments at its end.
fn written_len(text: &str) -> usize {
    let mut text = text.trim_end();
    loop {
        let last_line = text.rfind('\n').map_or(0, |i| i + 1);
        if last_line == 0 || !text[last_line..].trim_start().starts_with("//") {
            return text.len();
        }
        text = text[..last_line].trim_end();
    }
}

fn push_text(parts: &mut Vec<TemplatePart>, text: &str) {
    if let Some(TemplatePart::Text(last)) = parts.last_mut() {
        last.push_str(text);
    } else {
        parts.push(TemplatePart::Text(text.to_string()));
    }
}

fn static_clause(keyword: &str) -> &'static str {
    match keyword {
        "severity" => "severity",
        "source" => "source",
        "for" => "for",
        "when" => "when",
        "let" => "let",
        "require" => "require",
        "requires" => "requires",
        "message" => "message",
        _ => "at",
    }
}

/// Length of the token starting the text, for the error label.
fn token_len(rest: &str) -> usize {
    let word = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map(|(i, c)| i + c.len_utf8());
    match word {
        Some(n) => n,
        None => rest.chars().next().map(char::len_utf8).unwrap_or(0),
    }
}

fn describe_found(rest: &str) -> String {
    let len = token_len(rest);
    match &rest[..len] {
        "" => "end of file".to_string(),
        "\n" => "end of line".to_string(),
        "\"" => "string".to_string(),
        token => format!("`{token}`"),
    }
}

const CLAUSES: &[&str] = &[
    "`severity`",
    "`source`",
    "`for`",
    "`when`",
    "`let`",
    "`require`",
    "`requires`",
    "`message`",
    "`at`",
    "`in force`",
];
const BODY_ITEMS: &[&str] = &["`rule`", "`document`", "`when`", "`in force`"];
const TOP_ITEMS: &[&str] = &[
    "`import`",
    "`input`",
    "`report`",
    "`as_of`",
    "`uploads`",
    "`sections`",
    "`enum`",
    "`record`",
    "`def`",
    "`invariant`",
    "`ruleset`",
];

/// What users call a grammar rule in "expected ..." (nothing for rules that
/// only repeat what another one already says).
fn describe_rule(grammar_rule: Rule) -> &'static [&'static str] {
    match grammar_rule {
        Rule::clause_strict => return CLAUSES,
        Rule::body_item_strict => return BODY_ITEMS,
        Rule::top_item_strict => return TOP_ITEMS,
        _ => {}
    }
    match grammar_rule {
        Rule::EOI => &["end of file"],
        Rule::ident => &["a name"],
        Rule::rule_name => &["a rule name"],
        Rule::rule_ref => &["a rule id (`ruleset.rule-name`)"],
        Rule::string => &["a string"],
        Rule::template => &["a message string"],
        Rule::int
        | Rule::date
        | Rule::expr
        | Rule::postfix
        | Rule::true_lit
        | Rule::false_lit
        | Rule::null_lit
        | Rule::quantifier
        | Rule::count
        | Rule::comprehension
        | Rule::set
        | Rule::call
        | Rule::not_op
        | Rule::all_q
        | Rule::any_q
        | Rule::none_q => &["an expression"],
        Rule::or_op
        | Rule::and_op
        | Rule::eq_op
        | Rule::ne_op
        | Rule::lt_op
        | Rule::le_op
        | Rule::gt_op
        | Rule::ge_op
        | Rule::in_op
        | Rule::not_in_op
        | Rule::add_op
        | Rule::sub_op => &["an operator"],
        Rule::field_access => &["`.`"],
        Rule::type_expr | Rule::list_type => &["a type"],
        Rule::field_decl => &["a field"],
        Rule::param | Rule::params => &["parameters"],
        Rule::binders | Rule::binder => &["a binder (`x in list`)"],
        Rule::severity => &["`error`, `warning` or `info`"],
        Rule::uploads_entry | Rule::uploads_key => &["`list`, `kind` or `target`"],
        // `overrides` is only ever optional before a rule's `{`, which pest
        // does not list (it names rules, not literals).
        Rule::overrides | Rule::kw_overrides => &["`overrides`", "`{`"],
        Rule::kw_import | Rule::import => &["`import`"],
        Rule::kw_input | Rule::input_decl => &["`input`"],
        Rule::kw_uploads | Rule::uploads_decl => &["`uploads`"],
        Rule::kw_sections | Rule::sections_decl => &["`sections`"],
        Rule::section_entry => {
            &["a section number and titles (`\"5.3.1\" zh \"北京市备案规则\" en \"Beijing\"`)"]
        }
        Rule::lang => &["a language (`zh` or `en`)"],
        Rule::label => &["a label (`zh \"…\"` or `en \"…\"`)"],
        Rule::enum_value => &["an enum value"],
        Rule::message_text => &["a message (`zh \"…\"`, `en \"…\"`)"],
        Rule::kw_report | Rule::report_decl => &["`report`"],
        Rule::kw_invariant | Rule::invariant | Rule::invariant_s => &["`invariant`"],
        Rule::kw_enum | Rule::enum_decl => &["`enum`"],
        Rule::kw_record | Rule::record_decl => &["`record`"],
        Rule::kw_def | Rule::def_decl => &["`def`"],
        Rule::kw_ruleset | Rule::ruleset | Rule::ruleset_s => &["`ruleset`"],
        Rule::kw_rule | Rule::rule | Rule::rule_s => &["`rule`"],
        Rule::kw_document | Rule::document | Rule::document_s => &["`document`"],
        Rule::kw_when | Rule::when_clause | Rule::group | Rule::group_s => &["`when`"],
        Rule::kw_severity | Rule::severity_clause => &["`severity`"],
        Rule::kw_source | Rule::source_clause => &["`source`"],
        Rule::kw_for | Rule::for_clause => &["`for`"],
        Rule::kw_let | Rule::let_clause => &["`let`"],
        Rule::kw_require | Rule::require_clause => &["`require`"],
        Rule::kw_requires | Rule::requires_clause => &["`requires`"],
        Rule::kw_message | Rule::message_clause => &["`message`"],
        Rule::kw_at | Rule::at_clause => &["`at`"],
        Rule::in_force | Rule::kw_force => &["`in force`"],
        Rule::in_force_from | Rule::kw_from => &["`from`"],
        Rule::in_force_until | Rule::kw_until => &["`until`"],
        Rule::kw_as_of | Rule::as_of_decl => &["`as_of`"],
        Rule::edition_entry | Rule::kw_edition => &["`edition`"],
        Rule::kw_issued => &["`issued`"],
        Rule::kw_in => &["`in`"],
        Rule::kw_where => &["`where`"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> Expr {
        let src = format!("def x = {text}");
        let (file, errors) = parse_file(&src, 0);
        assert!(errors.is_empty(), "{errors:?}");
        match file.items.into_iter().next() {
            Some(Item::Def(d)) => d.body,
            other => panic!("not a def: {other:?}"),
        }
    }

    fn name(n: &str) -> Box<Expr> {
        Box::new(Spanned::new(ExprKind::Name(n.into()), Span::default()))
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_tighter_than_and() {
        let e = expr("not a and b or c");
        let and = Spanned::new(
            ExprKind::Binary(
                BinaryOp::And,
                Box::new(Spanned::new(ExprKind::Not(name("a")), Span::default())),
                name("b"),
            ),
            Span::default(),
        );
        assert_eq!(
            e.node,
            ExprKind::Binary(BinaryOp::Or, Box::new(and), name("c"))
        );
    }

    #[test]
    fn comparison_binds_tighter_than_not() {
        let e = expr("not a == b");
        let eq = Spanned::new(
            ExprKind::Binary(BinaryOp::Eq, name("a"), name("b")),
            Span::default(),
        );
        assert_eq!(e.node, ExprKind::Not(Box::new(eq)));
    }

    #[test]
    fn quantifier_body_extends_right() {
        let e = expr("all x in xs: x and y");
        match e.node {
            ExprKind::Quantifier(Quantifier::All, binders, body) => {
                assert_eq!(binders.len(), 1);
                assert_eq!(
                    body.node,
                    ExprKind::Binary(BinaryOp::And, name("x"), name("y"))
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn none_is_a_name_unless_it_quantifies() {
        assert_eq!(expr("none").node, ExprKind::Name("none".into()));
        assert!(matches!(
            expr("none x in xs: x").node,
            ExprKind::Quantifier(Quantifier::None, ..)
        ));
    }

    #[test]
    fn not_in_is_one_operator() {
        assert!(matches!(
            expr("a not in {b}").node,
            ExprKind::Binary(BinaryOp::NotIn, ..)
        ));
    }

    #[test]
    fn a_definition_ends_with_its_body() {
        let text = "def a = (x == y)\n\n// about b\ndef b = 1 // one\n\n";
        let (file, _) = parse_file(text, 0);
        let spans: Vec<&str> = file
            .items
            .iter()
            .map(|item| match item {
                Item::Def(d) => &text[d.span.range()],
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(spans, ["def a = (x == y)", "def b = 1 // one"]);
    }

    #[test]
    fn reports_every_broken_clause() {
        let src = "ruleset r {\n  rule a {\n    requir x\n    source \"1\"\n  }\n  rule b {\n    severity fatal\n  }\n}\n";
        let (_, errors) = parse_file(src, 0);
        assert_eq!(errors.len(), 2, "{errors:?}");
    }
}
