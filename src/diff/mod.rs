//! What a change of the rules changes: `icprules diff`.
//!
//! Two rule sets, each parsed and checked by the same stages as `check`,
//! are compared rule by rule ([`compare`]): rules added and removed, and for
//! a rule in both its condition, message, severity, cited section and
//! documents; then definitions, editions and the facts schema
//! ([`schema`]). Conditions and messages are compared in the one-line form the
//! formatter prints ([`crate::fmt::printed`]), so a rule laid out anew is not
//! a change. [`impact`] then checks applications under both rule sets and
//! counts what changes for them; [`render`] writes the result for people
//! (human text, Markdown for a pull request) and programs (JSON).
//!
//! Nothing here reads or writes files: the command line does, and an editor
//! or a browser could call the same functions.

pub mod impact;
pub mod render;
pub mod schema;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::check::{Program, analyze};
use crate::date::Window;
use crate::diagnostic::Diagnostic;
use crate::fmt::printed;
use crate::source::Sources;
use crate::syntax::ast::{self, BodyItem, ExprKind, Item, RuleKind, Severity, TemplatePart};

pub use impact::{AppChange, Impact, Verdict};

/// A rule set that passed the checker, with what [`compare`] compares.
#[derive(Debug)]
pub struct RuleSet {
    /// What applications are checked with.
    pub program: Program,
    /// Every rule, document requirement and invariant (each version of
    /// one), sorted by id.
    pub rules: Vec<RuleFacts>,
    /// Every definition (`def`), by name: its printed text.
    pub definitions: BTreeMap<String, String>,
}

/// Parses and checks a rule set as `check` does. A rule set with errors
/// gives every diagnostic of it instead.
pub fn rule_set(sources: &Sources) -> Result<RuleSet, Vec<Diagnostic>> {
    let analysis = analyze(sources);
    let Some(program) = analysis.program else {
        return Err(analysis.diagnostics);
    };
    // By where its name is written: a rule id may have several versions.
    let checked: HashMap<(u32, u32), &crate::check::program::RuleCode> = program
        .rules
        .iter()
        .chain(&program.invariants)
        .map(|r| ((r.name_span.file, r.name_span.start), r))
        .collect();
    let mut rules = Vec::new();
    let mut definitions = BTreeMap::new();
    // Names a definition's body uses.
    let mut def_names: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for file in &analysis.files {
        for item in &file.items {
            match item {
                Item::Ruleset(rs) => {
                    let mut context = Context::default();
                    if let Some(when) = &rs.when {
                        context.push(format!("ruleset when {}", printed::expr(when)), when);
                    }
                    collect(&rs.name.node, &rs.items, &mut context, &checked, &mut rules);
                }
                Item::Invariant(rule) => {
                    if let Some(code) = checked.get(&(rule.name.span.file, rule.name.span.start)) {
                        rules.push(facts(rule, None, &Context::default(), code));
                    }
                }
                Item::Def(def) => {
                    definitions.insert(def.name.node.clone(), printed::def(def));
                    let mut names = BTreeSet::new();
                    names_in(&def.body, &mut names);
                    def_names.insert(&def.name.node, names);
                }
                _ => {}
            }
        }
    }
    // Each rule's closure over the names its definitions use.
    for rule in &mut rules {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<String> = std::mem::take(&mut rule.uses).into_iter().collect();
        while let Some(name) = todo.pop() {
            if let Some(inner) = def_names.get(name.as_str())
                && seen.insert(name)
            {
                todo.extend(inner.iter().cloned());
            }
        }
        rule.uses = seen;
    }
    rules.sort_by(|a, b| {
        (&a.id, a.window.from, a.window.until).cmp(&(&b.id, b.window.from, b.window.until))
    });
    Ok(RuleSet {
        program,
        rules,
        definitions,
    })
}

/// The `when` of a rule set and of the groups around a rule: printed, and
/// the names they use.
#[derive(Default)]
struct Context {
    clauses: Vec<String>,
    names: Vec<BTreeSet<String>>,
}

impl Context {
    fn push(&mut self, clause: String, when: &ast::Expr) {
        let mut names = BTreeSet::new();
        names_in(when, &mut names);
        self.clauses.push(clause);
        self.names.push(names);
    }

    fn pop(&mut self) {
        self.clauses.pop();
        self.names.pop();
    }
}

/// Every name an expression uses (definitions among them).
fn names_in(expr: &ast::Expr, out: &mut BTreeSet<String>) {
    let sources = |binders: &[ast::Binder], out: &mut BTreeSet<String>| {
        for binder in binders {
            names_in(&binder.source, out);
        }
    };
    match &expr.node {
        ExprKind::Int(_)
        | ExprKind::Text(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Date(_) => {}
        ExprKind::Name(name) => {
            out.insert(name.clone());
        }
        ExprKind::Field(base, _) | ExprKind::Not(base) => names_in(base, out),
        ExprKind::Call(name, args) => {
            out.insert(name.node.clone());
            for arg in args {
                names_in(arg, out);
            }
        }
        ExprKind::Binary(_, left, right) => {
            names_in(left, out);
            names_in(right, out);
        }
        ExprKind::Set(items) => {
            for item in items {
                names_in(item, out);
            }
        }
        ExprKind::Quantifier(_, binders, body) => {
            sources(binders, out);
            names_in(body, out);
        }
        ExprKind::Count(binders, filter) => {
            sources(binders, out);
            if let Some(filter) = filter {
                names_in(filter, out);
            }
        }
        ExprKind::Comprehension(elem, binders, filter) => {
            names_in(elem, out);
            sources(binders, out);
            if let Some(filter) = filter {
                names_in(filter, out);
            }
        }
    }
}

fn collect(
    ruleset: &str,
    items: &[BodyItem],
    context: &mut Context,
    checked: &HashMap<(u32, u32), &crate::check::program::RuleCode>,
    out: &mut Vec<RuleFacts>,
) {
    for item in items {
        match item {
            BodyItem::Rule(rule) => {
                if let Some(code) = checked.get(&(rule.name.span.file, rule.name.span.start)) {
                    out.push(facts(rule, Some(ruleset), context, code));
                }
            }
            BodyItem::Group(group) => {
                // A group's `in force` is in the window of its rules.
                if let Some(when) = &group.when {
                    context.push(format!("group when {}", printed::expr(when)), when);
                }
                collect(ruleset, &group.items, context, checked, out);
                if group.when.is_some() {
                    context.pop();
                }
            }
        }
    }
}

/// What kind of rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Rule,
    Document,
    /// A condition of the input format.
    Invariant,
}

/// A text in each language, as the rule gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Texts {
    pub zh: Option<String>,
    pub en: Option<String>,
}

impl Texts {
    pub fn get(&self, lang: crate::lang::Lang) -> Option<&String> {
        match lang {
            crate::lang::Lang::Zh => self.zh.as_ref(),
            crate::lang::Lang::En => self.en.as_ref(),
        }
    }
}

/// One rule as [`compare`] sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleFacts {
    pub id: String,
    pub kind: Kind,
    pub severity: Severity,
    /// The cited section.
    pub source: String,
    /// Where it is written, `path:line` in its rule set.
    pub origin: String,
    /// When it applies and what it requires, one clause a line in the
    /// formatter's one-line form: the `when` of its rule set and groups,
    /// then its own clauses (`for`, `when`, `let`, `require`, `overrides`,
    /// `at`).
    pub condition: Vec<String>,
    /// The message template in each language, holes printed.
    pub message: Texts,
    /// For a document requirement: `requires TYPE for TARGET`.
    pub document: Option<String>,
    /// When this version is in force, for a dated rule (its own `in force`
    /// within its groups' and rule set's): `from 2027-01-01`.
    pub in_force: Option<String>,
    #[serde(skip)]
    pub window: Window,
    /// The definitions it uses, directly or through others.
    #[serde(skip)]
    pub uses: BTreeSet<String>,
}

fn facts(
    rule: &ast::RuleDecl,
    ruleset: Option<&str>,
    context: &Context,
    code: &crate::check::program::RuleCode,
) -> RuleFacts {
    // The names it uses, of which the definitions are kept later.
    let mut uses: BTreeSet<String> = context.names.iter().flatten().cloned().collect();
    let exprs = rule
        .binders
        .iter()
        .map(|b| &b.source)
        .chain(&rule.when)
        .chain(rule.lets.iter().map(|(_, e)| e))
        .chain(&rule.require)
        .chain(
            rule.requires
                .iter()
                .filter_map(|(_, target)| target.as_ref()),
        )
        .chain(&rule.at)
        .chain(
            rule.message
                .iter()
                .flat_map(|m| &m.texts)
                .flat_map(|t| &t.text.parts)
                .filter_map(|part| match part {
                    TemplatePart::Hole(e) => Some(e),
                    TemplatePart::Text(_) => None,
                }),
        );
    for expr in exprs {
        names_in(expr, &mut uses);
    }
    let kind = match (ruleset, rule.kind) {
        (None, _) => Kind::Invariant,
        (Some(_), RuleKind::Rule) => Kind::Rule,
        (Some(_), RuleKind::Document) => Kind::Document,
    };
    let mut condition = context.clauses.clone();
    if let Some(target) = &rule.overrides {
        condition.push(format!("overrides {}", target.node));
    }
    if !rule.binders.is_empty() {
        condition.push(format!("for {}", printed::binders(&rule.binders)));
    }
    if let Some(when) = &rule.when {
        condition.push(format!("when {}", printed::expr(when)));
    }
    for (name, value) in &rule.lets {
        condition.push(format!("let {} = {}", name.node, printed::expr(value)));
    }
    if let Some(require) = &rule.require {
        condition.push(format!("require {}", printed::expr(require)));
    }
    if let Some(at) = &rule.at {
        condition.push(format!("at {}", printed::expr(at)));
    }
    let document = rule.requires.as_ref().map(|(kind, target)| match target {
        Some(target) => format!("requires {} for {}", kind.node, printed::expr(target)),
        None => format!("requires {}", kind.node),
    });
    let mut message = Texts::default();
    for text in rule.message.iter().flat_map(|m| &m.texts) {
        let printed = printed::template(&text.text);
        // Without its quotes: a message reads as text.
        let inner = printed[1..printed.len() - 1].to_string();
        match text.lang() {
            crate::lang::Lang::Zh => message.zh = Some(inner),
            crate::lang::Lang::En => message.en = Some(inner),
        }
    }
    RuleFacts {
        id: code.id.clone(),
        kind,
        severity: code.severity,
        source: code.source.clone(),
        origin: code.origin.clone(),
        condition,
        message,
        document,
        in_force: (!code.window.is_always()).then(|| code.window.to_string()),
        window: code.window,
        uses,
    }
}

/// What changed of one rule in both rule sets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum Change {
    Kind {
        old: Kind,
        new: Kind,
    },
    Severity {
        old: Severity,
        new: Severity,
    },
    Source {
        old: String,
        new: String,
    },
    /// Clauses of the condition that are gone and that are new.
    Condition {
        removed: Vec<String>,
        added: Vec<String>,
    },
    Message {
        lang: crate::lang::Lang,
        old: Option<String>,
        new: Option<String>,
    },
    Document {
        old: Option<String>,
        new: Option<String>,
    },
    /// When it is in force.
    InForce {
        old: Option<String>,
        new: Option<String>,
    },
}

/// A rule in both rule sets that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleChange {
    pub id: String,
    /// Where it is written in the new rule set.
    pub origin: String,
    pub changes: Vec<Change>,
}

/// A definition added (`old` none), removed (`new` none) or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DefinitionChange {
    pub name: String,
    pub old: Option<String>,
    pub new: Option<String>,
    /// The rules that use it, directly or through other definitions: in the
    /// new rule set (in the old one for a definition removed).
    pub used_by: Vec<String>,
}

/// An edition of the regulations added (`old` none), removed (`new` none)
/// or renamed, known by its issue date: what the results of applications
/// checked on or after that day name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EditionChange {
    pub issued: String,
    pub old: Option<Texts>,
    pub new: Option<Texts>,
}

/// What changed between two rule sets, rule by rule, each list sorted by id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RuleDiff {
    pub added: Vec<RuleFacts>,
    pub removed: Vec<RuleFacts>,
    pub changed: Vec<RuleChange>,
    /// Definitions change what the rules that use them do without changing
    /// the rules' text.
    pub definitions: Vec<DefinitionChange>,
    /// Editions change the day an undated rule test case is judged on, and
    /// what every result names; by issue date.
    pub editions: Vec<EditionChange>,
    /// The facts schema: which applications are valid and how they read.
    pub schema: Vec<schema::SchemaChange>,
}

impl RuleDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.definitions.is_empty()
            && self.editions.is_empty()
            && self.schema.is_empty()
    }
}

/// The editions of both rule sets, by issue date, where they differ.
fn edition_changes(old: &Program, new: &Program) -> Vec<EditionChange> {
    let titles = |program: &Program| -> BTreeMap<crate::date::Date, Texts> {
        program
            .editions
            .iter()
            .map(|e| {
                let texts = Texts {
                    zh: e.title.zh.clone(),
                    en: e.title.en.clone(),
                };
                (e.issued, texts)
            })
            .collect()
    };
    let (before, after) = (titles(old), titles(new));
    let days: BTreeSet<&crate::date::Date> = before.keys().chain(after.keys()).collect();
    days.into_iter()
        .filter(|day| before.get(day) != after.get(day))
        .map(|day| EditionChange {
            issued: day.to_string(),
            old: before.get(day).cloned(),
            new: after.get(day).cloned(),
        })
        .collect()
}

/// Compares two rule sets rule by rule. The versions of a rule id are
/// matched by when they are in force; those left over are paired in order
/// (a version whose dates changed), and the rest are added or removed.
pub fn compare(old: &RuleSet, new: &RuleSet) -> RuleDiff {
    let (olds, news) = (versions_by_id(old), versions_by_id(new));
    let ids: BTreeSet<&str> = olds.keys().chain(news.keys()).copied().collect();
    let mut diff = RuleDiff::default();
    for id in ids {
        let mut before: Vec<&RuleFacts> = olds.get(id).cloned().unwrap_or_default();
        let mut after: Vec<&RuleFacts> = news.get(id).cloned().unwrap_or_default();
        let mut pairs = Vec::new();
        after.retain(
            |rule| match before.iter().position(|b| b.in_force == rule.in_force) {
                Some(i) => {
                    pairs.push((before.remove(i), *rule));
                    false
                }
                None => true,
            },
        );
        let paired = before.len().min(after.len());
        pairs.extend(before.drain(..paired).zip(after.drain(..paired)));
        pairs.sort_by_key(|(_, is)| (is.window.from, is.window.until));
        for (was, is) in pairs {
            let changes = rule_changes(was, is);
            if !changes.is_empty() {
                diff.changed.push(RuleChange {
                    id: id.to_string(),
                    origin: is.origin.clone(),
                    changes,
                });
            }
        }
        diff.added.extend(after.into_iter().cloned());
        diff.removed.extend(before.into_iter().cloned());
    }
    let names: BTreeSet<&String> = old
        .definitions
        .keys()
        .chain(new.definitions.keys())
        .collect();
    for name in names {
        let (before, after) = (old.definitions.get(name), new.definitions.get(name));
        if before != after {
            let users = if after.is_some() { new } else { old };
            diff.definitions.push(DefinitionChange {
                name: name.clone(),
                old: before.cloned(),
                new: after.cloned(),
                used_by: users
                    .rules
                    .iter()
                    .filter(|r| r.uses.contains(name))
                    .map(|r| r.id.clone())
                    .collect(),
            });
        }
    }
    diff.editions = edition_changes(&old.program, &new.program);
    diff.schema = schema::changes(&old.program.schema, &new.program.schema);
    diff
}

fn versions_by_id(set: &RuleSet) -> BTreeMap<&str, Vec<&RuleFacts>> {
    let mut map: BTreeMap<&str, Vec<&RuleFacts>> = BTreeMap::new();
    for rule in &set.rules {
        map.entry(rule.id.as_str()).or_default().push(rule);
    }
    map
}

fn rule_changes(old: &RuleFacts, new: &RuleFacts) -> Vec<Change> {
    let mut changes = Vec::new();
    if old.kind != new.kind {
        changes.push(Change::Kind {
            old: old.kind,
            new: new.kind,
        });
    }
    if old.severity != new.severity {
        changes.push(Change::Severity {
            old: old.severity,
            new: new.severity,
        });
    }
    if old.source != new.source {
        changes.push(Change::Source {
            old: old.source.clone(),
            new: new.source.clone(),
        });
    }
    if old.condition != new.condition {
        let gone = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|c| !b.contains(c)).cloned().collect()
        };
        let (removed, added) = (
            gone(&old.condition, &new.condition),
            gone(&new.condition, &old.condition),
        );
        // Clauses in another order: the order of `for` and `let` matters.
        let (removed, added) = if removed.is_empty() && added.is_empty() {
            (old.condition.clone(), new.condition.clone())
        } else {
            (removed, added)
        };
        changes.push(Change::Condition { removed, added });
    }
    for lang in crate::lang::Lang::ALL {
        let (before, after) = (old.message.get(lang), new.message.get(lang));
        if before != after {
            changes.push(Change::Message {
                lang,
                old: before.cloned(),
                new: after.cloned(),
            });
        }
    }
    if old.document != new.document {
        changes.push(Change::Document {
            old: old.document.clone(),
            new: new.document.clone(),
        });
    }
    if old.in_force != new.in_force {
        changes.push(Change::InForce {
            old: old.in_force.clone(),
            new: new.in_force.clone(),
        });
    }
    changes
}
