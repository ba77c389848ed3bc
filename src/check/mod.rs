//! Step two: names, types and lints. Turns parsed files into a [`Program`]
//! in which every field is a slot and every name a local or definition index.

mod cost;
mod declare;
mod depth;
mod error;
mod expr;
pub mod index;
pub mod lints;
pub mod plan;
pub mod program;
mod rules;
pub mod schema;
mod scope;
mod wordings;

use std::collections::{HashMap, HashSet};

pub use depth::MAX_EVAL_DEPTH;
pub use error::CheckError;
pub use expr::{BUILTINS, Function};
pub use program::Program;

use crate::diagnostic::{Diagnostic, Level, did_you_mean};
use crate::lang::{Lang, Localized};
use crate::source::{FileId, Sources, Span};
use crate::syntax::ast::{self, Item};
use crate::syntax::parse_file;
use index::{DefInfo, Index, Local, LocalKind, Symbol};
use program::{DefCode, RuleCode, Scope};
use schema::{Schema, Type};
use scope::Frame;

/// A rule set that passed the checker, with the warnings it gave.
#[derive(Debug)]
pub struct Checked {
    pub program: Program,
    pub warnings: Vec<Diagnostic>,
}

/// Parses and checks every file of a rule set. On errors, returns every
/// diagnostic (errors and warnings) of every file.
pub fn check(sources: &Sources) -> Result<Checked, Vec<Diagnostic>> {
    let analysis = analyze(sources);
    match analysis.program {
        Some(program) => Ok(Checked {
            program,
            warnings: analysis.diagnostics,
        }),
        None => Err(analysis.diagnostics),
    }
}

/// Everything the checker learnt of a rule set, with errors or without:
/// what `lint` reports and what the language server answers from.
#[derive(Debug)]
pub struct Analysis {
    /// The parsed files, in the order of the sources. A file with syntax
    /// errors holds the pieces that parsed.
    pub files: Vec<ast::File>,
    /// For each file, whether it has syntax errors.
    pub broken: Vec<bool>,
    /// Every diagnostic: the syntax errors, then the checker's errors and
    /// warnings by file and place, then the lints'.
    pub diagnostics: Vec<Diagnostic>,
    pub index: Index,
    pub schema: Schema,
    /// The declared sections: (number, title).
    pub sections: Vec<(String, crate::lang::Localized<String>)>,
    /// How many rules and document requirements were checked.
    pub rule_count: usize,
    /// The checked program, when there is no error.
    pub program: Option<Program>,
}

/// Parses and checks every file of a rule set, going on past syntax errors:
/// the pieces of a broken file that parse are checked with the others, so
/// that every other file gets its diagnostics. A broken file reports only its
/// syntax errors (the rest would mostly be what is missing because of them).
pub fn analyze(sources: &Sources) -> Analysis {
    let parsed = sources
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| parse_file(&f.text, i as FileId))
        .collect();
    analyze_parsed(sources, parsed)
}

/// [`analyze`], with each file already parsed by [`parse_file`] (in the
/// order of `sources`, with its index as its id): an editor parses again only
/// the file that changed.
pub fn analyze_parsed(
    sources: &Sources,
    parsed: Vec<(ast::File, Vec<crate::syntax::SyntaxError>)>,
) -> Analysis {
    let mut diagnostics = Vec::new();
    let mut broken = Vec::with_capacity(parsed.len());
    let files: Vec<ast::File> = parsed
        .into_iter()
        .map(|(file, errors)| {
            diagnostics.extend(errors.iter().map(|e| e.to_diagnostic()));
            broken.push(!errors.is_empty());
            file
        })
        .collect();
    let any_broken = broken.contains(&true);
    // With a piece of a file missing, a definition it used looks unused and
    // the input record it declared looks undeclared.
    let shown = |d: &Diagnostic| {
        let hidden = broken[d.span.file as usize]
            || (any_broken && matches!(d.code, "unused-definition" | "no-input"));
        !hidden
    };
    let mut checker = Checker::new(sources, &files);
    checker.run();
    diagnostics.extend(
        checker
            .errors
            .iter()
            .map(|e| e.to_diagnostic())
            .filter(|d| shown(d)),
    );
    // The lints read the parsed files only, so they run even when the checker
    // found errors: an editor sees everything in one go.
    diagnostics.extend(lints::run(&files).into_iter().filter(|d| shown(d)));
    lints::apply_allows(sources, &files, &broken, &mut diagnostics);
    let failed = any_broken || diagnostics.iter().any(|d| d.level == Level::Error);
    let index = checker.take_index();
    let schema = checker.schema.clone();
    let sections = checker.sections.clone();
    let rule_count = checker.rules.len();
    let program = (!failed).then(|| checker.finish());
    Analysis {
        files,
        broken,
        diagnostics,
        index,
        schema,
        sections,
        rule_count,
        program,
    }
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
    /// The versions of each rule id, by index in `rules`.
    rule_index: HashMap<String, Vec<usize>>,
    overrides: Vec<PendingOverride>,
    max_frame: usize,
    sections: Vec<(String, Localized<String>)>,
    /// The name of the cited document.
    document: Option<Localized<String>>,
    /// Its editions, oldest first.
    editions: Vec<program::Edition>,
    /// Calls of `check_expr` in progress: its recursion, which goes on into
    /// a definition's body at its first use.
    nesting: usize,
    /// [`depth::eval_depth`] of each definition's checked body, by index
    /// (0 until it is checked).
    def_depths: Vec<usize>,
    /// Byte offsets of the newlines of each file, for the lines of rules:
    /// counting them for each rule would be quadratic in a huge file.
    newlines: Vec<Vec<usize>>,
    /// Whether the depth limit has been reported: once is enough.
    too_deep_reported: bool,
    /// What every name resolved to, for the language server.
    index: Index,
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
            sections: Vec::new(),
            document: None,
            editions: Vec::new(),
            nesting: 0,
            def_depths: Vec::new(),
            newlines: sources
                .files
                .iter()
                .map(|f| f.text.match_indices('\n').map(|(i, _)| i).collect())
                .collect(),
            too_deep_reported: false,
            index: Index::default(),
        }
    }

    fn error(&mut self, error: CheckError) {
        self.errors.push(error);
    }

    /// Texts in several languages, each language at most once.
    fn localize<T: Clone>(&mut self, texts: &[ast::Translation<T>]) -> Localized<T> {
        let mut out = Localized::new();
        for t in texts {
            let slot = out.slot(t.lang());
            if slot.is_some() {
                let span = t.lang.as_ref().map(|l| l.span).unwrap_or_default();
                self.error(CheckError::Duplicate {
                    ruleset_elsewhere: None,
                    name: t.lang().code().to_string(),
                    span,
                    what: "language",
                    first: None,
                });
            } else {
                *slot = Some(t.text.clone());
            }
        }
        out
    }

    /// Binds a local name in `frame`, visible in `scope`; returns its slot.
    fn bind(
        &mut self,
        frame: &mut Frame,
        name: &ast::Ident,
        ty: Type,
        kind: LocalKind,
        scope: Span,
    ) -> u32 {
        let local = self.index.locals.len() as u32;
        self.index.locals.push(Local {
            name: name.node.clone(),
            ty: ty.clone(),
            kind,
            span: name.span,
            scope,
        });
        self.index.declare(Symbol::Local(local), name.span);
        frame.bind(&name.node, ty, local)
    }

    fn run(&mut self) {
        for file in 0..self.files.len() {
            let file = file as FileId;
            self.index
                .declare(Symbol::File(file), Span::new(file, 0, 0));
        }
        self.declare_types();
        self.declare_fields();
        // Everything after this reads fields of the input record.
        if !self.declare_input() {
            return;
        }
        self.declare_sections();
        self.declare_defs();
        self.resolve_imports();
        for id in 0..self.defs.len() as u32 {
            self.ensure_def(id, None);
        }
        let files = self.files;
        let (root, _) = self.add_scope(0, None, None, None, &[]);
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
        let costs = cost::Costs::of(self.defs.iter().map(|d| d.code.as_ref()));
        for def in costs.runaway() {
            self.errors.push(CheckError::RunawayDefinition {
                name: self.defs[def].ast.name.node.clone(),
                bodies: costs.bodies[def],
                span: self.defs[def].ast.name.span,
            });
        }
        self.errors.sort_by_cached_key(|e| {
            let d = e.to_diagnostic();
            (d.span.file, d.span.start)
        });
    }

    /// The index, with each definition as checked.
    fn take_index(&mut self) -> Index {
        let defs = self
            .defs
            .iter()
            .map(|d| DefInfo {
                name: d.ast.name.node.clone(),
                file: d.file,
                params: d
                    .ast
                    .params
                    .iter()
                    .flatten()
                    .zip(&d.params)
                    .map(|((name, _), ty)| (name.node.clone(), ty.clone()))
                    .collect(),
                ty: d.ty.clone(),
                span: d.ast.span,
            })
            .collect();
        let mut index = std::mem::take(&mut self.index);
        index.defs = defs;
        index
    }

    fn finish(self) -> Program {
        let mut program = Program {
            schema: self.schema,
            defs: self
                .defs
                .into_iter()
                // `run` checks every definition unless the input record is
                // missing, which is an error: `check` does not finish then.
                .map(|d| d.code.expect("every definition is checked"))
                .collect(),
            scopes: self.scopes,
            rule_scopes: self.rules.iter().map(|r| r.scope as u32).collect(),
            rules: self.rules,
            invariants: self.invariants,
            max_frame: self.max_frame,
            sections: self.sections,
            document: self.document,
            editions: self.editions,
            rule_versions: self.rule_index,
            as_of: None,
            today: None,
            language: Lang::default(),
            memo_slots: 0,
        };
        wordings::pass_wordings(&mut program);
        plan::plan(&mut program);
        program
    }

    /// Collects `sections` declarations: the numbers a `source` may cite.
    fn declare_sections(&mut self) {
        let files = self.files;
        for ast in files {
            for item in &ast.items {
                let Item::Sections(sections) = item else {
                    continue;
                };
                if let Some(document) = sections.document.first() {
                    if self.document.is_some() {
                        self.error(CheckError::Duplicate {
                            ruleset_elsewhere: None,
                            name: "sections".into(),
                            span: document.text.span,
                            what: "cited document",
                            first: None,
                        });
                    }
                    let name = self.localize(&sections.document).map(|t| t.node.clone());
                    self.document = Some(name);
                }
                for e in &sections.editions {
                    let name = self.localize(&e.name).map(|t| t.node.clone());
                    let key = name.get(Lang::En).cloned().unwrap_or_default();
                    let span = e.name.first().map_or(e.issued.span, |l| l.text.span);
                    if self.editions.iter().any(|f| f.name == key) {
                        self.error(CheckError::Duplicate {
                            ruleset_elsewhere: None,
                            name: key,
                            span,
                            what: "edition",
                            first: None,
                        });
                        continue;
                    }
                    // One edition is in force on a day: two issued on one
                    // day leave it to the order they were written in.
                    if let Some(other) = self.editions.iter().find(|f| f.issued == e.issued.node) {
                        self.error(CheckError::Misused {
                            message: format!(
                                "two editions are issued on {}: `{}` and `{key}`",
                                e.issued.node, other.name
                            ),
                            span: e.issued.span,
                            label: "the same day as another edition".into(),
                            help: Some(
                                "an application is checked under the one edition in force on its \
                                 day: give each edition its own issue date, or keep one"
                                    .into(),
                            ),
                        });
                        continue;
                    }
                    self.editions.push(program::Edition {
                        name: key,
                        title: name,
                        issued: e.issued.node,
                    });
                }
                self.editions.sort_by_key(|e| e.issued);
                for s in &sections.entries {
                    if self.sections.iter().any(|(n, _)| *n == s.number.node) {
                        self.error(CheckError::Duplicate {
                            ruleset_elsewhere: None,
                            name: s.number.node.clone(),
                            span: s.number.span,
                            what: "section",
                            first: None,
                        });
                    } else {
                        self.index
                            .declare(Symbol::Section(s.number.node.clone()), s.number.span);
                        let title = self.localize(&s.title).map(|t| t.node.clone());
                        self.sections.push((s.number.node.clone(), title));
                    }
                }
            }
        }
    }

    // ---- the schema -----------------------------------------------------------

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
                let previous = self.def_names.insert(def.name.node.clone(), id);
                if previous.is_some() || expr::builtin(&def.name.node).is_some() {
                    let first =
                        previous.map(|p| self.first_at(self.defs[p as usize].ast.name.span));
                    self.error(CheckError::Duplicate {
                        ruleset_elsewhere: None,
                        name: def.name.node.clone(),
                        span: def.name.span,
                        what: "definition",
                        first,
                    });
                }
                self.visible[file].insert(id);
                self.index.declare(Symbol::Def(id), def.name.span);
                self.def_depths.push(0);
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
            let mut imported_here: Vec<(FileId, Span)> = Vec::new();
            for item in &ast.items {
                let Item::Import(path) = item else { continue };
                let importer = &self.sources.file(file as FileId).path;
                let absolute = path.node.starts_with('/');
                let Some(resolved) = resolve_path(importer, &path.node).filter(|_| !absolute)
                else {
                    self.error(CheckError::ImportOutside {
                        path: path.node.clone(),
                        span: path.span,
                        absolute,
                    });
                    continue;
                };
                match self.sources.find(&resolved) {
                    Some(imported) if imported == file as FileId => {
                        self.error(CheckError::RedundantImport {
                            what: format!("`{}` is this file: it imports itself", path.node),
                            span: path.span,
                        });
                    }
                    Some(imported) if imported_here.iter().any(|(f, _)| *f == imported) => {
                        self.error(CheckError::RedundantImport {
                            what: format!("`{}` is imported twice", path.node),
                            span: path.span,
                        });
                    }
                    Some(imported) => {
                        imported_here.push((imported, path.span));
                        self.index.reference(path.span, Symbol::File(imported));
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
            self.bind(&mut frame, name, ty.clone(), LocalKind::Parameter, def.span);
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
        self.def_depths[id as usize] = self.limit_depth(&body, def.body.span);
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

    /// A first declaration for a `duplicate` error: its span and `path:line`.
    fn first_at(&self, span: Span) -> (Span, String) {
        let path = &self.sources.file(span.file).path;
        let line = self.line_of(span.file, span.start as usize);
        (span, format!("{path}:{line}"))
    }

    /// The 1-based line of a byte offset.
    fn line_of(&self, file: FileId, offset: usize) -> usize {
        self.newlines[file as usize].partition_point(|&n| n < offset) + 1
    }

    /// The evaluation depth of a checked expression; reports it (once) when
    /// it is past the limit.
    fn limit_depth(&mut self, expr: &program::Expr, span: Span) -> usize {
        let depth = depth::eval_depth(expr, &self.def_depths);
        if depth > MAX_EVAL_DEPTH {
            self.too_deep(span);
        }
        depth
    }

    fn too_deep(&mut self, span: Span) {
        if !self.too_deep_reported {
            self.too_deep_reported = true;
            self.error(CheckError::TooDeep {
                span,
                limit: MAX_EVAL_DEPTH,
            });
        }
    }
}

/// Resolves an import path against the importing file's folder; `None`
/// when it goes above the rule set's root.
fn resolve_path(importer: &str, import: &str) -> Option<String> {
    let mut parts: Vec<&str> = importer.split('/').collect();
    parts.pop();
    for segment in import.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The path of `target` as an import written in `importer` would say it.
pub fn relative_path(importer: &str, target: &str) -> String {
    let depth = importer.matches('/').count();
    format!("{}{}", "../".repeat(depth), target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_paths_are_relative_to_the_importer() {
        assert_eq!(
            resolve_path("provinces/beijing.icp", "../common.icp").as_deref(),
            Some("common.icp")
        );
        assert_eq!(
            resolve_path("national.icp", "common.icp").as_deref(),
            Some("common.icp")
        );
        assert_eq!(
            resolve_path("a/b.icp", "./c.icp").as_deref(),
            Some("a/c.icp")
        );
        assert_eq!(
            resolve_path("provinces/beijing.icp", "../../../schema.icp"),
            None
        );
        assert_eq!(resolve_path("national.icp", "../national.icp"), None);
        assert_eq!(
            relative_path("provinces/beijing.icp", "common.icp"),
            "../common.icp"
        );
    }
}
