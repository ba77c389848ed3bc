//! Step two: names, types and lints. Turns parsed files into a [`Program`]
//! in which every field is a slot and every name a local or definition index.

mod error;
mod expr;
pub mod program;
pub mod schema;
mod scope;

use std::collections::{HashMap, HashSet};

pub use error::CheckError;
pub use program::Program;

use crate::diagnostic::{Diagnostic, Level, closest, did_you_mean};
use crate::source::{FileId, Sources, Span};
use crate::syntax::ast::{self, Item, RuleKind, Severity};
use crate::syntax::parse_file;
use program::{DefCode, MessagePart, RuleCheck, RuleCode, Scope};
use schema::{EnumDef, FieldDef, RecordDef, Schema, Type, Uploads};
use scope::{Frame, Place};

/// A rule set that passed the checker, with the warnings it gave.
#[derive(Debug)]
pub struct Checked {
    pub program: Program,
    pub warnings: Vec<Diagnostic>,
}

/// Parses and checks every file of a rule set. On errors, returns every
/// diagnostic (errors and warnings) of every file.
pub fn check(sources: &Sources) -> Result<Checked, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let files: Vec<ast::File> = sources
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let (file, errors) = parse_file(&f.text, i as FileId);
            diagnostics.extend(errors.iter().map(|e| e.to_diagnostic()));
            file
        })
        .collect();
    // A file with syntax errors is incomplete: checking it would mostly
    // report what is missing because of them.
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut checker = Checker::new(sources, &files);
    checker.run();
    let diagnostics: Vec<Diagnostic> = checker.errors.iter().map(|e| e.to_diagnostic()).collect();
    if diagnostics.iter().any(|d| d.level == Level::Error) {
        return Err(diagnostics);
    }
    let program = checker.finish();
    Ok(Checked {
        program,
        warnings: diagnostics,
    })
}

enum DefState {
    Pending,
    Checking,
    Done,
}

struct DefEntry<'a> {
    ast: &'a ast::Def,
    file: FileId,
    state: DefState,
    params: Vec<Type>,
    annotation: Option<Type>,
    ty: Type,
    code: Option<DefCode>,
    uses: usize,
}

/// Where a checked rule goes.
#[derive(Clone, Copy)]
enum Owner<'r> {
    Ruleset(&'r str),
    Invariants,
}

struct PendingOverride {
    rule: usize,
    target: String,
    span: Span,
    scope: usize,
}

struct Checker<'a> {
    sources: &'a Sources,
    files: &'a [ast::File],
    errors: Vec<CheckError>,
    schema: Schema,
    type_names: HashMap<String, Type>,
    defs: Vec<DefEntry<'a>>,
    def_names: HashMap<String, u32>,
    /// For each file, the definitions it sees: its own and its imports'.
    visible: Vec<HashSet<u32>>,
    scopes: Vec<Scope>,
    rules: Vec<RuleCode>,
    invariants: Vec<RuleCode>,
    rule_index: HashMap<String, usize>,
    overrides: Vec<PendingOverride>,
    max_frame: usize,
}

impl<'a> Checker<'a> {
    fn new(sources: &'a Sources, files: &'a [ast::File]) -> Self {
        Checker {
            sources,
            files,
            errors: Vec::new(),
            schema: Schema::default(),
            type_names: HashMap::new(),
            defs: Vec::new(),
            def_names: HashMap::new(),
            visible: vec![HashSet::new(); files.len()],
            scopes: Vec::new(),
            rules: Vec::new(),
            invariants: Vec::new(),
            rule_index: HashMap::new(),
            overrides: Vec::new(),
            max_frame: 0,
        }
    }

    fn error(&mut self, error: CheckError) {
        self.errors.push(error);
    }

    fn run(&mut self) {
        self.declare_types();
        self.declare_fields();
        // Everything after this reads fields of the input record.
        if !self.declare_input() {
            return;
        }
        self.declare_defs();
        self.resolve_imports();
        for id in 0..self.defs.len() as u32 {
            self.ensure_def(id, None);
        }
        let files = self.files;
        let (root, _) = self.add_scope(0, None, None, &[]);
        for (file, ast) in files.iter().enumerate() {
            for item in &ast.items {
                match item {
                    Item::Ruleset(rs) => self.check_ruleset(file as FileId, rs),
                    Item::Invariant(rule) => {
                        self.check_rule(file as FileId, Owner::Invariants, root, &[], rule)
                    }
                    _ => {}
                }
            }
        }
        self.resolve_overrides();
        for def in &self.defs {
            if def.uses == 0 {
                self.errors.push(CheckError::UnusedDefinition {
                    name: def.ast.name.node.clone(),
                    span: def.ast.name.span,
                });
            }
        }
        self.errors.sort_by_key(|e| {
            let d = e.to_diagnostic();
            (d.span.file, d.span.start)
        });
    }

    fn finish(self) -> Program {
        Program {
            schema: self.schema,
            defs: self
                .defs
                .into_iter()
                .map(|d| d.code.expect("every definition is checked"))
                .collect(),
            scopes: self.scopes,
            rules: self.rules,
            invariants: self.invariants,
            max_frame: self.max_frame,
        }
    }

    // ---- the schema -----------------------------------------------------------

    fn declare_types(&mut self) {
        for ast in self.files {
            for item in &ast.items {
                let (name, ty) = match item {
                    Item::Enum(e) => {
                        let mut lookup = HashMap::new();
                        for (i, v) in e.variants.iter().enumerate() {
                            if lookup.insert(v.node.clone(), i as u32).is_some() {
                                self.error(CheckError::Duplicate {
                                    name: v.node.clone(),
                                    span: v.span,
                                    what: "value",
                                });
                            }
                        }
                        self.schema.enums.push(EnumDef {
                            name: e.name.node.clone(),
                            variants: e.variants.iter().map(|v| v.node.clone()).collect(),
                            lookup,
                        });
                        (&e.name, Type::Enum(self.schema.enums.len() as u32 - 1))
                    }
                    Item::Record(r) => {
                        self.schema.records.push(RecordDef {
                            name: r.name.node.clone(),
                            fields: Vec::new(),
                        });
                        (&r.name, Type::Record(self.schema.records.len() as u32 - 1))
                    }
                    _ => continue,
                };
                let builtin = matches!(name.node.as_str(), "text" | "int" | "bool");
                if builtin || self.type_names.insert(name.node.clone(), ty).is_some() {
                    self.error(CheckError::Duplicate {
                        name: name.node.clone(),
                        span: name.span,
                        what: "type",
                    });
                }
            }
        }
    }

    fn declare_fields(&mut self) {
        let mut record = 0;
        for ast in self.files {
            for item in &ast.items {
                let Item::Record(r) = item else { continue };
                let mut fields: Vec<FieldDef> = Vec::new();
                for f in &r.fields {
                    if fields.iter().any(|g| g.name == f.name.node) {
                        self.error(CheckError::Duplicate {
                            name: f.name.node.clone(),
                            span: f.name.span,
                            what: "field",
                        });
                        continue;
                    }
                    let mut ty = self.resolve_type(&f.ty);
                    if f.optional_key {
                        ty = ty.nullable();
                    }
                    fields.push(FieldDef {
                        name: f.name.node.clone(),
                        ty,
                        optional_key: f.optional_key,
                    });
                }
                self.schema.records[record].fields = fields;
                record += 1;
            }
        }
    }

    fn resolve_type(&mut self, t: &ast::TypeExpr) -> Type {
        match &t.node {
            ast::TypeExprKind::Named(name) => match name.as_str() {
                "text" => Type::Text,
                "int" => Type::Int,
                "bool" => Type::Bool,
                _ => match self.type_names.get(name) {
                    Some(ty) => ty.clone(),
                    None => {
                        let names = self
                            .type_names
                            .keys()
                            .map(String::as_str)
                            .chain(["text", "int", "bool"]);
                        let help = did_you_mean(name, names);
                        self.error(CheckError::UnknownType {
                            name: name.clone(),
                            span: t.span,
                            help,
                        });
                        Type::Error
                    }
                },
            },
            ast::TypeExprKind::List(inner) => Type::List(Box::new(self.resolve_type(inner))),
            ast::TypeExprKind::Nullable(inner) => self.resolve_type(inner).nullable(),
        }
    }

    /// Declares the input record, the uploads and the reported fields; false
    /// when there is no usable input record.
    fn declare_input(&mut self) -> bool {
        let mut input = None;
        let mut uploads = None;
        let mut report = Vec::new();
        for ast in self.files {
            for item in &ast.items {
                match item {
                    Item::Report(fields) => report.extend(fields),
                    Item::Input(name) if input.is_some() => {
                        self.error(CheckError::SecondInput { span: name.span });
                    }
                    Item::Input(name) => input = Some(name),
                    Item::Uploads(u) => uploads = Some(u),
                    _ => {}
                }
            }
        }
        let Some(input) = input else {
            self.error(CheckError::NoInput {
                span: Span::default(),
            });
            return false;
        };
        match self.type_names.get(&input.node) {
            Some(Type::Record(r)) => self.schema.input = *r,
            Some(_) => {
                self.error(CheckError::InputNotRecord {
                    name: input.node.clone(),
                    span: input.span,
                });
                return false;
            }
            None => {
                let help = did_you_mean(&input.node, self.type_names.keys().map(String::as_str));
                self.error(CheckError::UnknownType {
                    name: input.node.clone(),
                    span: input.span,
                    help,
                });
                return false;
            }
        }
        if let Some(u) = uploads {
            self.schema.uploads = self.declare_uploads(u);
        }
        let input = self.schema.record(self.schema.input).clone();
        for field in report {
            match input.field(&field.node) {
                Some(slot)
                    if matches!(
                        input.fields[slot as usize].ty.non_null(),
                        Type::Enum(_) | Type::Text | Type::Int | Type::Bool
                    ) =>
                {
                    self.schema.report.push(slot)
                }
                Some(_) => self.error(CheckError::BadDeclaration {
                    message: format!("`report` repeats plain values; `{}` is not one", field.node),
                    span: field.span,
                }),
                None => {
                    let help =
                        did_you_mean(&field.node, input.fields.iter().map(|f| f.name.as_str()));
                    self.error(CheckError::UnknownField {
                        field: field.node.clone(),
                        record: input.name.clone(),
                        span: field.span,
                        help,
                    });
                }
            }
        }
        true
    }

    fn declare_uploads(&mut self, u: &ast::Uploads) -> Option<Uploads> {
        let entry = |key: &str| {
            u.entries
                .iter()
                .find(|(k, _)| k.node == key)
                .map(|(_, v)| v)
        };
        let bad = |message: String, span: Span| CheckError::BadDeclaration { message, span };
        let input = self.schema.record(self.schema.input).clone();
        let Some(list_name) = entry("list") else {
            self.error(bad(
                "`uploads` needs `list`: the input field that holds the uploads".into(),
                u.span,
            ));
            return None;
        };
        let Some(list) = input.field(&list_name.node) else {
            let help = did_you_mean(
                &list_name.node,
                input.fields.iter().map(|f| f.name.as_str()),
            );
            self.error(CheckError::UnknownField {
                field: list_name.node.clone(),
                record: input.name.clone(),
                span: list_name.span,
                help,
            });
            return None;
        };
        let Type::List(elem) = &input.fields[list as usize].ty else {
            self.error(bad(
                format!("`{}` is not a list of records", list_name.node),
                list_name.span,
            ));
            return None;
        };
        let Type::Record(upload) = **elem else {
            self.error(bad(
                format!("`{}` is not a list of records", list_name.node),
                list_name.span,
            ));
            return None;
        };
        let upload = self.schema.record(upload).clone();
        let field_of = |checker: &mut Self, key: &str| -> Option<(u32, Type)> {
            let name = entry(key)?;
            match upload.field(&name.node) {
                Some(slot) => Some((slot, upload.fields[slot as usize].ty.clone())),
                None => {
                    let help =
                        did_you_mean(&name.node, upload.fields.iter().map(|f| f.name.as_str()));
                    checker.error(CheckError::UnknownField {
                        field: name.node.clone(),
                        record: upload.name.clone(),
                        span: name.span,
                        help,
                    });
                    None
                }
            }
        };
        let Some((kind, Type::Enum(kind_enum))) = field_of(self, "kind") else {
            self.error(bad(
                "`uploads` needs `kind`: an enum field naming each upload's type".into(),
                u.span,
            ));
            return None;
        };
        let target = match field_of(self, "target") {
            Some((slot, ty)) if *ty.non_null() == Type::Text => Some(slot),
            Some(_) => {
                self.error(bad(
                    "`target` must be a `text` or `text?` field".into(),
                    u.span,
                ));
                None
            }
            None => None,
        };
        Some(Uploads {
            list,
            kind,
            target,
            kind_enum,
        })
    }

    // ---- definitions ----------------------------------------------------------

    fn declare_defs(&mut self) {
        let files = self.files;
        for (file, ast) in files.iter().enumerate() {
            for item in &ast.items {
                let Item::Def(def) = item else { continue };
                let params = def
                    .params
                    .iter()
                    .flatten()
                    .map(|(_, t)| self.resolve_type(t))
                    .collect();
                let annotation = def.ty.as_ref().map(|t| self.resolve_type(t));
                let id = self.defs.len() as u32;
                if self.def_names.insert(def.name.node.clone(), id).is_some()
                    || expr::builtin(&def.name.node).is_some()
                {
                    self.error(CheckError::Duplicate {
                        name: def.name.node.clone(),
                        span: def.name.span,
                        what: "definition",
                    });
                }
                self.visible[file].insert(id);
                self.defs.push(DefEntry {
                    ast: def,
                    file: file as FileId,
                    state: DefState::Pending,
                    params,
                    annotation,
                    ty: Type::Error,
                    code: None,
                    uses: 0,
                });
            }
        }
    }

    fn resolve_imports(&mut self) {
        let files = self.files;
        for (file, ast) in files.iter().enumerate() {
            for item in &ast.items {
                let Item::Import(path) = item else { continue };
                let importer = &self.sources.file(file as FileId).path;
                let resolved = resolve_path(importer, &path.node);
                match self.sources.find(&resolved) {
                    Some(imported) => {
                        let ids: Vec<u32> = self
                            .defs
                            .iter()
                            .enumerate()
                            .filter(|(_, d)| d.file == imported)
                            .map(|(i, _)| i as u32)
                            .collect();
                        self.visible[file].extend(ids);
                    }
                    None => {
                        let candidates: Vec<String> = self
                            .sources
                            .files
                            .iter()
                            .map(|f| relative_path(importer, &f.path))
                            .collect();
                        let help = did_you_mean(&path.node, candidates.iter().map(String::as_str));
                        self.error(CheckError::UnknownImport {
                            path: path.node.clone(),
                            span: path.span,
                            help,
                        });
                    }
                }
            }
        }
    }

    /// Checks a definition if it has not been, and returns its type. `used_at`
    /// is the reference that asks, to report recursion there.
    fn ensure_def(&mut self, id: u32, used_at: Option<Span>) -> Type {
        let entry = &mut self.defs[id as usize];
        if used_at.is_some() {
            entry.uses += 1;
        }
        match entry.state {
            DefState::Done => return entry.ty.clone(),
            DefState::Checking => {
                let name = entry.ast.name.node.clone();
                self.error(CheckError::Recursive {
                    name,
                    span: used_at.unwrap_or_default(),
                });
                return Type::Error;
            }
            DefState::Pending => entry.state = DefState::Checking,
        }
        let def = entry.ast;
        let file = entry.file;
        let params = entry.params.clone();
        let annotation = entry.annotation.clone();
        let mut frame = Frame::new(file);
        for ((name, _), ty) in def.params.iter().flatten().zip(&params) {
            frame.bind(&name.node, ty.clone());
        }
        let (body, mut ty) = self.check_expr(&mut frame, &def.body, annotation.as_ref());
        if let Some(expected) = annotation {
            if !expr::assignable(&ty, &expected) {
                let message = format!(
                    "`{}` is declared `{}` but its value is `{}`",
                    def.name.node,
                    self.schema.type_name(&expected),
                    self.schema.type_name(&ty)
                );
                self.error(CheckError::TypeMismatch {
                    message,
                    span: def.body.span,
                    label: "this value".into(),
                    help: None,
                });
            }
            ty = expected;
        }
        self.max_frame = self.max_frame.max(frame.max as usize);
        let entry = &mut self.defs[id as usize];
        entry.ty = ty.clone();
        entry.state = DefState::Done;
        entry.code = Some(DefCode {
            name: def.name.node.clone(),
            params: params.len(),
            frame: frame.max as usize,
            body,
        });
        ty
    }

    // ---- rule sets --------------------------------------------------------------

    fn check_ruleset(&mut self, file: FileId, rs: &ast::Ruleset) {
        let (scope, facts) = self.add_scope(file, None, rs.when.as_ref(), &[]);
        self.check_items(file, &rs.name.node, scope, &facts, &rs.items);
    }

    /// Adds a rule set or group; returns its index and what its condition
    /// proves non-null for the rules inside.
    fn add_scope(
        &mut self,
        file: FileId,
        parent: Option<usize>,
        cond: Option<&ast::Expr>,
        inherited: &[Place],
    ) -> (usize, Vec<Place>) {
        let mut frame = Frame::new(file);
        frame.nonnull = inherited.to_vec();
        let cond = cond.map(|c| self.check_condition(&mut frame, c));
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
            frame: frame.max as usize,
        });
        (self.scopes.len() - 1, facts)
    }

    fn check_items(
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
                    let (inner, facts) =
                        self.add_scope(file, Some(scope), Some(&group.when), facts);
                    self.check_items(file, ruleset, inner, &facts, &group.items);
                }
            }
        }
    }

    fn check_rule(
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
        let binders = self.check_binders(&mut frame, &rule.binders);
        let when = rule.when.as_ref().map(|w| {
            let w = self.check_condition(&mut frame, w);
            frame.nonnull.extend(scope::nonnull_facts(&w, true));
            w
        });
        let lets = rule
            .lets
            .iter()
            .map(|(name, value)| {
                let (value, ty) = self.check_expr(&mut frame, value, None);
                (frame.bind(&name.node, ty), value)
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
            Some(m) => self.check_template(&mut frame, m),
            None => {
                self.error(missing("message"));
                Vec::new()
            }
        };
        let at = rule.at.as_ref().map(|a| {
            let (at, _) = self.check_expr(&mut frame, a, None);
            if scope::place(&at).is_none() {
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
            Some(s) if !s.node.trim().is_empty() => s.node.clone(),
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
        if self.rule_index.contains_key(&id)
            || (invariant && self.invariants.iter().any(|i| i.id == id))
        {
            self.error(CheckError::Duplicate {
                name: id.clone(),
                span: rule.name.span,
                what: "rule",
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
            self.rule_index.entry(id.clone()).or_insert(index);
        }
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
        let line = self.sources.file(file).text[..rule.name.span.start as usize]
            .matches('\n')
            .count()
            + 1;
        let code = RuleCode {
            id,
            severity: rule.severity.as_ref().map_or(Severity::Error, |s| s.node),
            source,
            origin: format!("{path}:{line}"),
            scope,
            overridden_by: Vec::new(),
            binders,
            when,
            lets,
            check,
            message,
            at,
            frame: frame.max as usize,
        };
        if invariant {
            self.invariants.push(code);
        } else {
            self.rules.push(code);
        }
    }

    fn check_requires(
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
            Some(k) => *k,
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

    fn check_template(&mut self, frame: &mut Frame, template: &ast::Template) -> Vec<MessagePart> {
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

    fn resolve_overrides(&mut self) {
        for o in std::mem::take(&mut self.overrides) {
            match self.rule_index.get(&o.target) {
                Some(&target) if target != o.rule => self.rules[target].overridden_by.push(o.scope),
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

/// Resolves an import path against the importing file's folder.
fn resolve_path(importer: &str, import: &str) -> String {
    let mut parts: Vec<&str> = importer.split('/').collect();
    parts.pop();
    for segment in import.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The path of `target` as an import written in `importer` would say it.
fn relative_path(importer: &str, target: &str) -> String {
    let depth = importer.matches('/').count();
    format!("{}{}", "../".repeat(depth), target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_paths_are_relative_to_the_importer() {
        assert_eq!(
            resolve_path("provinces/beijing.icp", "../common.icp"),
            "common.icp"
        );
        assert_eq!(resolve_path("national.icp", "common.icp"), "common.icp");
        assert_eq!(resolve_path("a/b.icp", "./c.icp"), "a/c.icp");
        assert_eq!(
            relative_path("provinces/beijing.icp", "common.icp"),
            "../common.icp"
        );
    }
}
