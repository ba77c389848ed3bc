//! Named lints: what is legal in the language but probably not what the
//! policy editor meant. Each has a stable name, a default level and a short
//! doc, listed by `icprules lint --list`.
//!
//! Most run over the parsed files, after the checker accepted them: two rules
//! are compared by their clauses as written (spans are ignored by `==`), so
//! a copy of a rule is found wherever it was pasted.

use crate::date::Window;
use crate::diagnostic::{Diagnostic, Level};
use crate::lang::Lang;
use crate::source::{Sources, Span};
use crate::syntax::ast::{
    self, BinaryOp, BodyItem, ExprKind, Item, Label, RuleDecl, Template, TemplatePart,
};

pub struct Lint {
    pub name: &'static str,
    pub level: Level,
    pub doc: &'static str,
}

/// Every named lint. Type errors are not lints: they cannot be allowed.
pub const LINTS: &[Lint] = &[
    Lint {
        name: "missing-source",
        level: Level::Error,
        doc: "a rule or document requirement cites no section of the regulations",
    },
    Lint {
        name: "unknown-section",
        level: Level::Error,
        doc: "a rule cites a section that the `sections` declaration does not list",
    },
    Lint {
        name: "unused-definition",
        level: Level::Warning,
        doc: "a `def` that no rule, invariant or other definition uses",
    },
    Lint {
        name: "runaway-definition",
        level: Level::Warning,
        doc: "a `def` whose calls evaluate more than 65,536 definition bodies, loops aside \
              (one that calls another twice, which calls another twice, ...): its work \
              doubles with each level",
    },
    Lint {
        name: "repeats-unconditional-rule",
        level: Level::Warning,
        doc: "a rule of a conditional rule set (a province) checks exactly what a rule of a \
              rule set without `when` (the national rules) already checks",
    },
    Lint {
        name: "duplicate-rule",
        level: Level::Warning,
        doc: "two rules with the same condition and the same message",
    },
    Lint {
        name: "constant-condition",
        level: Level::Warning,
        doc: "a `when` or `require` that is always true or always false",
    },
    Lint {
        name: "message-style",
        level: Level::Warning,
        doc: "a message that starts with a capital letter or ends with a period \
              (messages are lower case, without a final period); a Chinese one that \
              ends with `。` or puts half-width punctuation beside Chinese text",
    },
    Lint {
        name: "redundant-import",
        level: Level::Warning,
        doc: "a file that imports itself, or imports the same file twice",
    },
    Lint {
        name: "never-in-force",
        level: Level::Warning,
        doc: "a rule or document requirement whose `in force` window holds no day (it \
              ends before it starts), or ends before the issue date of every edition \
              the `sections` declaration names",
    },
    Lint {
        name: "missing-translation",
        level: Level::Warning,
        doc: "a message, an enum value, a record field or a section title without \
              text in both Chinese (`zh`) and English (`en`)",
    },
];

/// The level of a named lint; `None` for codes that are not lints.
pub fn default_level(code: &str) -> Option<Level> {
    LINTS.iter().find(|l| l.name == code).map(|l| l.level)
}

fn lint(name: &'static str, message: String, span: Span, label: &str, help: String) -> Diagnostic {
    let d = match default_level(name) {
        Some(Level::Error) => Diagnostic::error(name, message, span, label),
        _ => Diagnostic::warning(name, message, span, label),
    };
    d.with_help(Some(help))
}

/// A rule as written, with where it stands.
struct Written<'a> {
    id: String,
    /// `None` for a rule set without `when`, which applies to every application.
    ruleset_when: Option<&'a ast::Expr>,
    groups: Vec<&'a ast::Expr>,
    rule: &'a RuleDecl,
    /// When it is in force, with its groups' and rule set's `in force`.
    window: Window,
    /// The `in force` of a rule set or group that left no day (with the
    /// days before it), when one did: a lint for its rules at once.
    empty_at: Option<(Span, Window)>,
}

impl Written<'_> {
    /// Same binders, conditions and check, inside the rule set.
    fn same_check(&self, other: &Written) -> bool {
        let (a, b) = (self.rule, other.rule);
        self.groups == other.groups
            && a.kind == b.kind
            && a.binders == b.binders
            && a.when == b.when
            && a.lets == b.lets
            && a.require == b.require
            && a.requires == b.requires
    }

    fn same_message(&self, other: &Written) -> bool {
        match (&self.rule.message, &other.rule.message) {
            (Some(a), Some(b)) => {
                a.texts.len() == b.texts.len()
                    && a.texts
                        .iter()
                        .zip(&b.texts)
                        .all(|(x, y)| x.lang() == y.lang() && x.text.parts == y.text.parts)
            }
            _ => false,
        }
    }
}

pub fn run(files: &[ast::File]) -> Vec<Diagnostic> {
    let mut rules = Vec::new();
    let mut out = Vec::new();
    for file in files {
        for item in &file.items {
            match item {
                Item::Ruleset(rs) => {
                    if let Some(w) = &rs.when {
                        constant(w, "rule set condition", &mut out);
                    }
                    let dated = narrow((Window::ALWAYS, None), rs.in_force.as_ref());
                    let mut groups = Vec::new();
                    collect(rs, &rs.items, &mut groups, dated, &mut rules, &mut out);
                }
                Item::Invariant(rule) => check_rule(rule, &mut out),
                Item::Enum(e) => {
                    for v in &e.variants {
                        let what = format!("the value `{}` of `{}`", v.name.node, e.name.node);
                        untranslated_label(&v.labels, &what, v.name.span, &mut out);
                    }
                }
                Item::Record(r) => {
                    for f in &r.fields {
                        let what = format!("the field `{}` of `{}`", f.name.node, r.name.node);
                        untranslated_label(&f.labels, &what, f.name.span, &mut out);
                    }
                }
                Item::Sections(sections) => {
                    // A document or edition with a name: reports show it.
                    if let Some(first) = sections.document.first() {
                        let what = "the name of the cited document";
                        untranslated_label(&sections.document, what, first.text.span, &mut out);
                    }
                    for e in &sections.editions {
                        let span = e.name.first().map_or(e.issued.span, |l| l.text.span);
                        let what = format!("the name of the edition issued {}", e.issued.node);
                        untranslated_label(&e.name, &what, span, &mut out);
                    }
                    for section in &sections.entries {
                        let what = format!("the title of section `{}`", section.number.node);
                        untranslated_label(&section.title, &what, section.number.span, &mut out);
                    }
                }
                _ => {}
            }
        }
    }
    never_in_force(files, &rules, &mut out);
    compare_rules(&rules, &mut out);
    out
}

/// `duplicate-rule` and `repeats-unconditional-rule`: each rule against the
/// first earlier rule that it repeats. Rules are grouped by a text of what
/// they check (equal for rules that [`Written::same_check`]), so each is
/// compared with the few rules of its group, not with every rule before it:
/// near-linear in the number of rules.
fn compare_rules(rules: &[Written], out: &mut Vec<Diagnostic>) {
    use std::collections::HashMap;
    // By the text of the check: earlier rules as (index, key of rule set
    // condition and message); and the unconditional ones.
    #[derive(Default)]
    struct Group {
        copies: HashMap<String, Vec<usize>>,
        unconditional: Vec<usize>,
    }
    let mut groups: HashMap<String, Group> = HashMap::new();
    for (i, later) in rules.iter().enumerate() {
        let group = groups.entry(check_key(later)).or_default();
        let copy_key = copy_key(later);
        // Versions of a rule in force on different days may well repeat
        // each other but for a severity or a document.
        let together = |earlier: &Written| later.window.overlaps(&earlier.window);
        let copy = group.copies.get(&copy_key).and_then(|earlier| {
            earlier.iter().copied().find(|&e| {
                let earlier = &rules[e];
                together(earlier)
                    && later.same_check(earlier)
                    && later.ruleset_when == earlier.ruleset_when
                    && later.same_message(earlier)
            })
        });
        let repeat = if later.ruleset_when.is_some() && later.rule.overrides.is_none() {
            group
                .unconditional
                .iter()
                .copied()
                .find(|&e| together(&rules[e]) && later.same_check(&rules[e]))
        } else {
            None
        };
        // The first earlier rule that either holds for, as a scan in order
        // would find.
        match (copy, repeat) {
            (Some(c), r) if r.is_none_or(|r| c < r) => {
                let earlier = &rules[c];
                out.push(lint(
                    "duplicate-rule",
                    format!("`{}` repeats `{}`", later.id, earlier.id),
                    later.rule.name.span,
                    "same condition and message",
                    format!(
                        "remove one of them, or say in each what differs (`{}`)",
                        earlier.id
                    ),
                ));
            }
            (_, Some(r)) => {
                let earlier = &rules[r];
                out.push(lint(
                    "repeats-unconditional-rule",
                    format!("`{}` checks what `{}` already checks everywhere", later.id, earlier.id),
                    later.rule.name.span,
                    "a copy of an unconditional rule",
                    format!(
                        "remove it: `{}` already applies here; to change it here, write `overrides {}`",
                        earlier.id, earlier.id
                    ),
                ));
            }
            _ => {}
        }
        group.copies.entry(copy_key).or_default().push(i);
        if later.ruleset_when.is_none() {
            group.unconditional.push(i);
        }
    }
}

/// A text of what a rule checks, the same for rules that
/// [`Written::same_check`] (it may be the same for others too: the groups
/// it makes are compared exactly).
fn check_key(w: &Written) -> String {
    use crate::fmt::expr::{binders, flat};
    let rule = w.rule;
    let mut key = format!("{:?}|{}|", rule.kind, binders(&rule.binders));
    for g in &w.groups {
        key.push_str(&flat(g));
        key.push('|');
    }
    if let Some(e) = &rule.when {
        key.push_str(&flat(e));
    }
    key.push('|');
    for (name, e) in &rule.lets {
        key.push_str(&name.node);
        key.push('=');
        key.push_str(&flat(e));
        key.push(';');
    }
    key.push('|');
    if let Some(e) = &rule.require {
        key.push_str(&flat(e));
    }
    key.push('|');
    if let Some((kind, target)) = &rule.requires {
        key.push_str(&kind.node);
        if let Some(t) = target {
            key.push_str(&flat(t));
        }
    }
    key
}

/// A text of a rule's rule-set condition and message.
fn copy_key(w: &Written) -> String {
    use crate::fmt::expr::{flat, template};
    let mut key = w.ruleset_when.map(flat).unwrap_or_default();
    if let Some(m) = &w.rule.message {
        for t in &m.texts {
            key.push('|');
            key.push_str(&template(&t.text));
        }
    }
    key
}

/// Rules that are never in force: their window holds no day, or ends before
/// the first edition of the regulations that the rule set encodes.
fn never_in_force(files: &[ast::File], rules: &[Written], out: &mut Vec<Diagnostic>) {
    let first_edition = files
        .iter()
        .flat_map(|f| &f.items)
        .filter_map(|item| match item {
            Item::Sections(s) => s.editions.iter().map(|e| e.issued.node).min(),
            _ => None,
        })
        .min();
    // The rules of a rule set or group whose own dates leave no day: one
    // lint there, not one a rule at each rule's name.
    let mut emptied: Vec<(Span, Window, Vec<&str>)> = Vec::new();
    for r in rules {
        if let Some((at, window)) = r.empty_at {
            match emptied
                .iter_mut()
                .find(|(s, _, _)| (s.file, s.start) == (at.file, at.start))
            {
                Some((_, _, ids)) => ids.push(&r.id),
                None => emptied.push((at, window, vec![&r.id])),
            }
            continue;
        }
        let span = r
            .rule
            .in_force
            .as_ref()
            .map_or(r.rule.name.span, |f| f.span);
        let (message, label, help) = match (r.window.from, r.window.until, first_edition) {
            (Some(from), Some(until), _) if from > until => (
                format!("`{}` is never in force", r.id),
                format!("from {from}, after until {until}"),
                "`until` is the last day in force, on or after `from`: correct the dates (of \
                 the rule, its group or its rule set)"
                    .to_string(),
            ),
            (_, Some(until), Some(first)) if until < first => (
                format!("`{}` is in force only before the first edition", r.id),
                format!("in force {}", r.window),
                format!(
                    "the first edition of the regulations was issued on {first}: remove the \
                     rule, or correct its dates"
                ),
            ),
            _ => continue,
        };
        out.push(lint("never-in-force", message, span, &label, help));
    }
    for (span, window, ids) in emptied {
        let (Some(from), Some(until)) = (window.from, window.until) else {
            continue;
        };
        let message = match ids.as_slice() {
            [id] => format!("`{id}` is never in force"),
            [first, rest @ ..] => format!(
                "{} rules are never in force: `{first}` and {} more",
                ids.len(),
                rest.len()
            ),
            [] => continue,
        };
        out.push(lint(
            "never-in-force",
            message,
            span,
            &format!("from {from}, after until {until}"),
            "`until` is the last day in force, on or after `from`: correct the dates (of \
             this rule set or group, or of the one around it)"
                .to_string(),
        ));
    }
}

/// A window narrowed by an `in force` clause, and where it first held no
/// day.
fn narrow(
    (window, empty_at): (Window, Option<(Span, Window)>),
    clause: Option<&ast::InForce>,
) -> (Window, Option<(Span, Window)>) {
    match clause {
        None => (window, empty_at),
        Some(f) => {
            let inner = window.intersect(&f.window());
            let empty_at = empty_at.or((inner.is_empty()).then_some((f.span, inner)));
            (inner, empty_at)
        }
    }
}

fn collect<'a>(
    rs: &'a ast::Ruleset,
    items: &'a [BodyItem],
    groups: &mut Vec<&'a ast::Expr>,
    (window, empty_at): (Window, Option<(Span, Window)>),
    rules: &mut Vec<Written<'a>>,
    out: &mut Vec<Diagnostic>,
) {
    for item in items {
        match item {
            BodyItem::Rule(rule) => {
                check_rule(rule, out);
                rules.push(Written {
                    id: format!("{}.{}", rs.name.node, rule.name.node),
                    ruleset_when: rs.when.as_ref(),
                    groups: groups.clone(),
                    rule,
                    window: rule
                        .in_force
                        .as_ref()
                        .map_or(window, |f| window.intersect(&f.window())),
                    empty_at,
                });
            }
            BodyItem::Group(g) => {
                if let Some(when) = &g.when {
                    constant(when, "group condition", out);
                    groups.push(when);
                }
                let inner = narrow((window, empty_at), g.in_force.as_ref());
                collect(rs, &g.items, groups, inner, rules, out);
                if g.when.is_some() {
                    groups.pop();
                }
            }
        }
    }
}

fn check_rule(rule: &RuleDecl, out: &mut Vec<Diagnostic>) {
    if let Some(w) = &rule.when {
        constant(w, "`when`", out);
    }
    if let Some(r) = &rule.require {
        constant(r, "`require`", out);
    }
    if let Some(m) = &rule.message {
        for text in &m.texts {
            message_style(text.lang(), &text.text, out);
        }
        let given: Vec<Lang> = m.texts.iter().map(|t| t.lang()).collect();
        for lang in Lang::ALL.into_iter().filter(|l| !given.contains(l)) {
            out.push(lint(
                "missing-translation",
                format!(
                    "the message of `{}` has no {} text",
                    rule.name.node,
                    language_name(lang)
                ),
                m.span,
                "here",
                match lang {
                    Lang::Zh => "write the message in each language: `message zh \"…\" en \"…\"` \
                                 (a message without a language is English)"
                        .into(),
                    Lang::En => "add the English text after the Chinese: `en \"…\"`".into(),
                },
            ));
        }
    }
}

fn constant(e: &ast::Expr, what: &str, out: &mut Vec<Diagnostic>) {
    if let Some(value) = fold(e) {
        out.push(lint(
            "constant-condition",
            format!("this {what} is always {value}"),
            e.span,
            "does not depend on the application",
            if value {
                "remove the condition, or compare what was meant".into()
            } else {
                "the rule can never apply or never pass: compare what was meant".into()
            },
        ));
    }
}

/// The value of a condition that does not depend on the application.
fn fold(e: &ast::Expr) -> Option<bool> {
    match &e.node {
        ExprKind::Bool(b) => Some(*b),
        ExprKind::Not(x) => fold(x).map(|b| !b),
        ExprKind::Binary(op, a, b) => match op {
            BinaryOp::And => match (fold(a), fold(b)) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ if contradicts(a, b) => Some(false),
                _ => None,
            },
            BinaryOp::Or => match (fold(a), fold(b)) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ if contradicts(a, b) => Some(true),
                _ => None,
            },
            // `x == x` compares a value with itself (both sides as written).
            BinaryOp::Eq | BinaryOp::Le | BinaryOp::Ge if a == b => Some(true),
            BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Gt if a == b => Some(false),
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => literal_compare(*op, a, b),
            _ => None,
        },
        _ => None,
    }
}

/// `x` beside `not x`.
fn contradicts(a: &ast::Expr, b: &ast::Expr) -> bool {
    matches!(&a.node, ExprKind::Not(x) if **x == *b)
        || matches!(&b.node, ExprKind::Not(x) if **x == *a)
}

fn literal_compare(op: BinaryOp, a: &ast::Expr, b: &ast::Expr) -> Option<bool> {
    let ordering = match (&a.node, &b.node) {
        (ExprKind::Int(x), ExprKind::Int(y)) => x.cmp(y),
        (ExprKind::Text(x), ExprKind::Text(y)) => x.cmp(y),
        (ExprKind::Bool(x), ExprKind::Bool(y)) => x.cmp(y),
        _ => return None,
    };
    Some(match op {
        BinaryOp::Eq => ordering.is_eq(),
        BinaryOp::Ne => ordering.is_ne(),
        BinaryOp::Lt => ordering.is_lt(),
        BinaryOp::Le => ordering.is_le(),
        BinaryOp::Gt => ordering.is_gt(),
        BinaryOp::Ge => ordering.is_ge(),
        _ => return None,
    })
}

fn language_name(lang: Lang) -> &'static str {
    lang.pick("Chinese (`zh`)", "English (`en`)")
}

/// A label or title that is not given in both languages.
fn untranslated_label(labels: &[Label], what: &str, span: Span, out: &mut Vec<Diagnostic>) {
    let given: Vec<Lang> = labels.iter().map(|l| l.lang()).collect();
    let missing: Vec<&str> = Lang::ALL
        .into_iter()
        .filter(|l| !given.contains(l))
        .map(language_name)
        .collect();
    if missing.is_empty() {
        return;
    }
    let message = if given.is_empty() {
        format!("{what} has no label")
    } else {
        format!("{what} has no {} text", missing.join(" or "))
    };
    out.push(lint(
        "missing-translation",
        message,
        span,
        "here",
        "reports show labels, not names: give one in each language, `zh \"…\" en \"…\"`".into(),
    ));
}

fn message_style(lang: Lang, m: &Template, out: &mut Vec<Diagnostic>) {
    let first = match m.parts.first() {
        Some(TemplatePart::Text(t)) => t.chars().next(),
        _ => None,
    };
    let last = match m.parts.last() {
        Some(TemplatePart::Text(t)) => t.chars().last(),
        _ => None,
    };
    let mut style = |message: &str, help: &str| {
        out.push(lint(
            "message-style",
            message.into(),
            m.span,
            "here",
            help.into(),
        ))
    };
    if lang == Lang::Zh {
        if last == Some('。') {
            style(
                "the Chinese message ends with `。`",
                "leave out the final `。`: reports add their own punctuation",
            );
        }
        let text: String = m
            .parts
            .iter()
            .map(|p| match p {
                TemplatePart::Text(t) => t.as_str(),
                // A hole stands for a value, not for punctuation.
                TemplatePart::Hole(_) => "X",
            })
            .collect();
        if let Some(mark) = half_width_beside_chinese(&text) {
            style(
                &format!("the Chinese message puts the half-width `{mark}` beside Chinese text"),
                "use the full-width mark (`，` `：` `；` `（` `）` `？` `！`) in Chinese text",
            );
        }
        return;
    }
    if first.is_some_and(char::is_uppercase) {
        style(
            "the message starts with a capital letter",
            "messages are lower case: they follow the rule id in reports",
        );
    }
    if last == Some('.') {
        style(
            "the message ends with a period",
            "leave out the final period: reports add their own punctuation",
        );
    }
}

/// A half-width punctuation mark written right after or before a Chinese
/// character, where Chinese text uses the full-width one.
fn half_width_beside_chinese(text: &str) -> Option<char> {
    let chars: Vec<char> = text.chars().collect();
    let chinese = |c: Option<&char>| c.is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(c));
    chars.iter().enumerate().find_map(|(i, c)| {
        let beside =
            chinese(i.checked_sub(1).and_then(|p| chars.get(p))) || chinese(chars.get(i + 1));
        (",:;()?!".contains(*c) && beside).then_some(*c)
    })
}

/// A comment `// icprules: allow LINT, LINT` directly above a rule, document
/// requirement, invariant, definition, `when` group or rule set silences
/// those lints inside it.
pub const ALLOW: &str = "icprules: allow";

/// Drops the lints that an allow comment silences, and warns of allow
/// comments that name no lint (`unknown-lint`). Files with syntax errors
/// are left as they are.
pub fn apply_allows(
    sources: &Sources,
    files: &[ast::File],
    broken: &[bool],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (id, file) in sources.files.iter().enumerate() {
        if broken[id] {
            continue;
        }
        for c in crate::fmt::comments(&file.text) {
            let comment = file.text[c.start..c.end].trim_start_matches('/').trim();
            let Some(names) = comment.strip_prefix(ALLOW) else {
                continue;
            };
            for name in names.split(',').map(str::trim) {
                if default_level(name).is_none() {
                    let help = crate::diagnostic::did_you_mean(name, LINTS.iter().map(|l| l.name))
                        .or_else(|| Some("`icprules lint --list` lists the lints".into()));
                    diagnostics.push(
                        Diagnostic::warning(
                            "unknown-lint",
                            format!("no lint is named `{name}`"),
                            Span::new(id as u32, c.start, c.end),
                            "this comment silences nothing",
                        )
                        .with_help(help),
                    );
                }
            }
        }
    }
    diagnostics.retain(|d| {
        let file = d.span.file as usize;
        default_level(d.code).is_none()
            || broken.get(file).is_none_or(|b| *b)
            || !silenced(&sources.files[file].text, &files[file], d)
    });
}

/// Whether an item holding the diagnostic has an allow comment naming it.
fn silenced(text: &str, file: &ast::File, d: &Diagnostic) -> bool {
    let offset = d.span.start;
    let mut spans = Vec::new();
    for item in &file.items {
        match item {
            Item::Ruleset(rs) => {
                spans.push(rs.span);
                item_spans(&rs.items, &mut spans);
            }
            Item::Def(def) => spans.push(def.span),
            Item::Invariant(rule) => spans.push(rule.span),
            _ => {}
        }
    }
    spans
        .iter()
        .filter(|s| s.start <= offset && offset <= s.end)
        .filter_map(|s| crate::docs::written::comment_above(text, s.start as usize))
        .any(|above| {
            above.lines().any(|line| {
                line.trim()
                    .strip_prefix(ALLOW)
                    .is_some_and(|names| names.split(',').any(|n| n.trim() == d.code))
            })
        })
}

fn item_spans(items: &[BodyItem], spans: &mut Vec<Span>) {
    for item in items {
        match item {
            BodyItem::Rule(rule) => spans.push(rule.span),
            BodyItem::Group(g) => {
                spans.push(g.span);
                item_spans(&g.items, spans);
            }
        }
    }
}
