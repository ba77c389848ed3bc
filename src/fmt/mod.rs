//! `icprules fmt`: one layout for every rule file.
//!
//! The file is printed from its AST, so formatting cannot change what it
//! means (`tests/fmt.rs` parses the result again and compares the trees).
//! What the AST leaves out is taken from the text:
//!
//! - Comments. A comment before an item or clause stays before it; one at the
//!   end of a line stays at the end of the line of the item, clause, field or
//!   entry it follows. A comment inside a clause that spans several lines (in
//!   a broken condition) moves to just before that clause: the clause is laid
//!   out anew, so there is no line to keep it on.
//! - Blank lines, where the author's grouping means something: between
//!   clauses, fields, entries and comments a blank line is kept (several
//!   become one), as is one after the `{` of a rule set or `when` group.
//!   Rules, documents and groups always have one between them, as do top-level
//!   items that take several lines; two one-line items (`import`s, short
//!   `def`s) keep the author's choice. None is kept at the start of a block or
//!   file or before a `}`.
//! - The order of clauses, as written.
//! - Which enum values share a line: an enum written on one line stays on one
//!   line if it fits; otherwise each line of values stays a line (refilled if
//!   too long).
//!
//! Everything else is fixed: two spaces of indentation, one clause, field or
//! entry a line, one space around operators and after commas, and the
//! parentheses of [`expr`]. A condition that does not fit in 100 columns
//! breaks before each `and` / `or` of its outer chain, the continuation two
//! columns deeper than the clause; inside parentheses and brackets,
//! continuation lines are aligned with what they continue. Strings and
//! messages stay on one line.

mod comments;
pub(crate) mod expr;

pub use comments::{Comment, comments};

/// The one-line printed forms of the pieces of a rule, as `fmt` writes them:
/// two texts that print the same mean the same, however they were laid out
/// (`diff` compares rules by them).
pub mod printed {
    pub use super::expr::{binders, flat as expr, template};

    /// `def name(params): type = body`, on one line.
    pub fn def(d: &crate::syntax::ast::Def) -> String {
        super::def_head(d) + " = " + &expr(&d.body)
    }
}

use crate::source::Spanned;
use crate::syntax::ast::*;
use crate::syntax::{SyntaxError, parse_file};
use comments::{has_blank_line, skip_trivia};
use expr::{WIDTH, flat, layout, quote, template, width};

/// The formatted text of a rule file, or its syntax errors (a file that does
/// not parse is not formatted).
pub fn format_source(text: &str) -> Result<String, Vec<SyntaxError>> {
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        // The layout has no byte order mark. Errors are placed in the text
        // as it is, mark included.
        return format_source(rest).map_err(|_| parse_file(text, 0).1);
    }
    let (file, errors) = parse_file(text, 0);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut printer = Printer {
        text,
        comments: comments(text),
        next_comment: 0,
        out: String::new(),
        prev_end: 0,
        cursor: 0,
        blank: Blank::Never,
    };
    printer.file(&file);
    Ok(printer.out)
}

/// Whether a blank line goes before the next line written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Blank {
    Never,
    /// If the source has one there.
    Keep,
    Always,
}

struct Printer<'t> {
    text: &'t str,
    comments: Vec<Comment>,
    /// The first comment not written yet.
    next_comment: usize,
    out: String,
    /// Where the last thing written ends in the source: a blank line is looked
    /// for between there and the next thing.
    prev_end: usize,
    /// How far the source has been read: the next item or clause keyword is
    /// the first token after it.
    cursor: usize,
    blank: Blank,
}

/// A clause of a rule, document or invariant (written in source order, see
/// [`clauses`]).
enum Clause<'a> {
    Severity(&'a Spanned<Severity>),
    Source(&'a Spanned<String>),
    For(&'a [Binder]),
    When(&'a Expr),
    Let(&'a Ident, &'a Expr),
    Require(&'a Expr),
    Requires(&'a Ident, Option<&'a Expr>),
    Message(&'a Message),
    At(&'a Expr),
    InForce(&'a InForce),
}

impl<'t> Printer<'t> {
    // ---- lines, comments and blank lines ---------------------------------

    /// Starts a line for something at `start` in the source.
    fn begin_line(&mut self, start: usize, indent: usize) {
        let blank = match self.blank {
            Blank::Never => false,
            Blank::Always => true,
            Blank::Keep => {
                start > self.prev_end && has_blank_line(&self.text[self.prev_end..start])
            }
        };
        if blank && !self.out.is_empty() {
            self.out.push('\n');
        }
        self.blank = Blank::Keep;
        self.out.push_str(&" ".repeat(indent));
    }

    /// Writes, each on its own line, the comments that start before `limit`.
    fn comments_before(&mut self, limit: usize, indent: usize) {
        while let Some(&c) = self.comments.get(self.next_comment) {
            if c.start >= limit {
                break;
            }
            self.next_comment += 1;
            self.begin_line(c.start, indent);
            self.out.push_str(&self.text[c.start..c.end]);
            self.out.push('\n');
            self.prev_end = self.prev_end.max(c.end);
        }
    }

    /// Writes a line (or lines) for the source range `start..end`: first the
    /// comments before and inside it, then `content`, then the comment that
    /// ends the line it ends on, if any.
    fn element(&mut self, start: usize, end: usize, indent: usize, content: &str) {
        self.comments_before(end, indent);
        self.begin_line(start, indent);
        self.out.push_str(content);
        self.prev_end = self.prev_end.max(end);
        self.cursor = self.cursor.max(end);
        if let Some(&c) = self.comments.get(self.next_comment) {
            // A comma or closing parenthesis may stand between the end and
            // the comment, but no other token (a `}` has a line of its own
            // and keeps the comment after it) and no line break.
            let gap = &self.text[end..c.start];
            if gap
                .chars()
                .all(|ch| (ch.is_whitespace() && ch != '\n') || ",)]".contains(ch))
            {
                self.out.push(' ');
                self.out.push_str(&self.text[c.start..c.end]);
                self.next_comment += 1;
                self.prev_end = c.end;
            }
        }
        self.out.push('\n');
    }

    /// The position of the next token, which must be `expected`.
    fn next_token(&self, from: usize, expected: u8) -> usize {
        let at = skip_trivia(self.text, from);
        debug_assert_eq!(
            self.text.as_bytes().get(at),
            Some(&expected),
            "the parsed file has `{}` here",
            expected as char
        );
        at
    }

    /// Where an expression ends, with the parentheses that close around it
    /// (its span leaves them out). Only for an expression that ends a clause,
    /// item or header, where no other `)` can follow.
    fn expr_end(&self, e: &Expr) -> usize {
        let mut end = last_token_end(e);
        loop {
            let at = skip_trivia(self.text, end);
            if self.text.as_bytes().get(at) == Some(&b')') {
                end = at + 1;
            } else {
                return end;
            }
        }
    }

    /// Writes the `}` at `close` that ends a block whose content is indented
    /// by `indent + 2`, after the comments left inside the block.
    fn close_block(&mut self, close: usize, indent: usize) {
        self.comments_before(close, indent + 2);
        self.blank = Blank::Never;
        self.element(close, close + 1, indent, "}");
    }

    // ---- top-level items -------------------------------------------------

    fn file(&mut self, file: &File) {
        let mut previous_multiline = false;
        for (i, item) in file.items.iter().enumerate() {
            let multiline = self.item_is_multiline(item);
            if i > 0 {
                self.blank = if multiline || previous_multiline {
                    Blank::Always
                } else {
                    Blank::Keep
                };
            }
            self.item(item);
            previous_multiline = multiline;
        }
        self.comments_before(usize::MAX, 0);
    }

    /// Whether an item takes several lines, from its AST alone (the same
    /// layout decisions [`Printer::item`] makes).
    fn item_is_multiline(&self, item: &Item) -> bool {
        match item {
            Item::Import(_) | Item::Input(_) | Item::Report(_) | Item::AsOf(_) => false,
            Item::Uploads(u) => !u.entries.is_empty(),
            Item::Sections(s) => !s.entries.is_empty() || !s.editions.is_empty(),
            Item::Enum(e) => matches!(self.enum_lines(e), EnumLayout::Lines(_)),
            Item::Record(r) => !r.fields.is_empty(),
            Item::Def(d) => def_text(d).contains('\n'),
            Item::Invariant(r) => !clauses(r).is_empty(),
            Item::Ruleset(r) => !r.items.is_empty() || ruleset_header(r).contains('\n'),
        }
    }

    fn item(&mut self, item: &Item) {
        let start = skip_trivia(self.text, self.cursor);
        match item {
            Item::Import(path) => self.element(
                start,
                path.span.end as usize,
                0,
                &format!("import {}", quote(&path.node)),
            ),
            Item::Input(name) => self.element(
                start,
                name.span.end as usize,
                0,
                &format!("input {}", name.node),
            ),
            Item::Report(names) => {
                let end = names.last().map_or(start, |n| n.span.end as usize);
                let list: Vec<&str> = names.iter().map(|n| n.node.as_str()).collect();
                self.element(start, end, 0, &format!("report {}", list.join(", ")));
            }
            Item::AsOf(name) => self.element(
                start,
                name.span.end as usize,
                0,
                &format!("as_of {}", name.node),
            ),
            Item::Uploads(u) => {
                let entries = u
                    .entries
                    .iter()
                    .map(|(k, v)| {
                        let line = format!("{} {}", k.node, v.node);
                        (k.span.start as usize, v.span.end as usize, line)
                    })
                    .collect();
                self.block_of_lines(start, "uploads", "uploads".len(), entries);
            }
            Item::Sections(decl) => {
                let mut entries: Vec<(usize, usize, String)> = decl
                    .entries
                    .iter()
                    .map(|s| {
                        let line = format!("{}{}", quote(&s.number.node), labels_text(&s.title));
                        let end = labels_end(&s.title).unwrap_or(s.number.span.end as usize);
                        (s.number.span.start as usize, end, line)
                    })
                    .collect();
                // `edition` is written before the name: its keyword starts
                // the line.
                entries.extend(decl.editions.iter().map(|e| {
                    let line = format!("edition{} issued {}", labels_text(&e.name), e.issued.node);
                    let first = e.name.first().map_or(e.issued.span.start, |l| {
                        l.lang
                            .as_ref()
                            .map_or(l.text.span.start, |lang| lang.span.start)
                    });
                    let keyword = self.text[..first as usize]
                        .rfind("edition")
                        .unwrap_or(first as usize);
                    (keyword, e.issued.span.end as usize, line)
                }));
                entries.sort_by_key(|(start, _, _)| *start);
                let (header, header_len) = match labels_end(&decl.document) {
                    Some(end) => (
                        format!("sections{}", labels_text(&decl.document)),
                        end - start,
                    ),
                    None => ("sections".to_string(), "sections".len()),
                };
                self.block_of_lines(start, &header, header_len, entries);
            }
            Item::Enum(e) => self.enum_decl(start, e),
            Item::Record(r) => {
                let fields = r
                    .fields
                    .iter()
                    .map(|f| {
                        let key = if f.optional_key { "?" } else { "" };
                        let line = format!(
                            "{}{key}: {}{}",
                            f.name.node,
                            type_text(&f.ty),
                            labels_text(&f.labels)
                        );
                        let end = labels_end(&f.labels).unwrap_or(f.ty.span.end as usize);
                        (f.name.span.start as usize, end, line)
                    })
                    .collect();
                let header = format!("record {}", r.name.node);
                let name_end = r.name.span.end as usize - start;
                self.block_of_lines(start, &header, name_end, fields);
            }
            Item::Def(d) => {
                let end = self.expr_end(&d.body);
                self.element(start, end, 0, &def_text(d));
            }
            Item::Invariant(r) => self.rule(r, 0, "invariant"),
            Item::Ruleset(r) => self.ruleset(r),
        }
    }

    /// `header {`, then one line for each entry (its source range and text),
    /// then `}`; `header {}` without entries. The `{` is the first token
    /// `header_len` bytes after `start`.
    fn block_of_lines(
        &mut self,
        start: usize,
        header: &str,
        header_len: usize,
        entries: Vec<(usize, usize, String)>,
    ) {
        let open = self.next_token(start + header_len, b'{');
        if entries.is_empty() {
            let close = self.next_token(open + 1, b'}');
            self.element(start, close + 1, 0, &format!("{header} {{}}"));
            return;
        }
        self.element(start, open + 1, 0, &format!("{header} {{"));
        self.blank = Blank::Never;
        for (entry_start, entry_end, line) in entries {
            self.element(entry_start, entry_end, 2, &line);
        }
        let close = self.close_after_list(self.cursor);
        self.close_block(close, 0);
    }

    /// The `}` after a list that may end with a comma.
    fn close_after_list(&self, from: usize) -> usize {
        let mut at = skip_trivia(self.text, from);
        if self.text.as_bytes().get(at) == Some(&b',') {
            at = skip_trivia(self.text, at + 1);
        }
        debug_assert_eq!(self.text.as_bytes().get(at), Some(&b'}'));
        at
    }

    fn enum_lines<'a>(&self, e: &'a EnumDecl) -> EnumLayout<'a> {
        let name_end = e.name.span.end as usize;
        let open = skip_trivia(self.text, name_end);
        let header = format!("enum {} {{", e.name.node);
        if e.variants.is_empty() {
            return EnumLayout::Empty;
        }
        let line_of = |pos: usize| self.text[..pos].matches('\n').count();
        let all_on_open_line = e
            .variants
            .iter()
            .all(|v| line_of(value_end(v)) == line_of(open));
        let one_line = format!(
            "{header} {} }}",
            e.variants
                .iter()
                .map(value_text)
                .collect::<Vec<_>>()
                .join(", ")
        );
        if all_on_open_line && width(&one_line) <= WIDTH {
            return EnumLayout::OneLine(one_line);
        }
        let mut lines: Vec<Vec<&'a EnumValue>> = Vec::new();
        let mut last_line = None;
        for v in &e.variants {
            let line = line_of(v.name.span.start as usize);
            match lines.last_mut() {
                Some(group) if last_line == Some(line) => group.push(v),
                _ => lines.push(vec![v]),
            }
            last_line = Some(line);
        }
        EnumLayout::Lines(lines)
    }

    fn enum_decl(&mut self, start: usize, e: &EnumDecl) {
        let open = self.next_token(e.name.span.end as usize, b'{');
        match self.enum_lines(e) {
            EnumLayout::Empty => {
                let close = self.next_token(open + 1, b'}');
                self.element(start, close + 1, 0, &format!("enum {} {{}}", e.name.node));
            }
            EnumLayout::OneLine(line) => {
                let close = self.close_after_list(e.variants.last().map_or(open + 1, value_end));
                self.element(start, close + 1, 0, &line);
            }
            EnumLayout::Lines(lines) => {
                self.element(start, open + 1, 0, &format!("enum {} {{", e.name.node));
                self.blank = Blank::Never;
                for group in lines {
                    let values: Vec<String> = group.iter().map(|v| value_text(v)).collect();
                    let first = group[0].name.span.start as usize;
                    let last = value_end(group[group.len() - 1]);
                    self.element(first, last, 2, &fill_values(&values, 2));
                }
                let close = self.close_after_list(self.cursor);
                self.close_block(close, 0);
            }
        }
    }

    // ---- rule sets, groups and rules ------------------------------------

    fn ruleset(&mut self, r: &Ruleset) {
        let start = skip_trivia(self.text, self.cursor);
        let header_end = match (&r.when, &r.in_force) {
            (_, Some(f)) => in_force_end(f),
            (Some(w), None) => self.expr_end(w),
            (None, None) => r.name.span.end as usize,
        };
        let open = self.next_token(header_end, b'{');
        self.body(start, open, &ruleset_header(r), &r.items, 0);
    }

    /// A rule set's or group's `{`, items and `}`.
    fn body(&mut self, start: usize, open: usize, header: &str, items: &[BodyItem], indent: usize) {
        if items.is_empty() {
            let close = self.next_token(open + 1, b'}');
            self.element(start, close + 1, indent, &format!("{header} {{}}"));
            return;
        }
        self.element(start, open + 1, indent, &format!("{header} {{"));
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.blank = Blank::Always;
            }
            match item {
                BodyItem::Rule(r) => {
                    let word = match r.kind {
                        RuleKind::Rule => "rule",
                        RuleKind::Document => "document",
                    };
                    self.rule(r, indent + 2, word);
                }
                BodyItem::Group(g) => self.group(g, indent + 2),
            }
        }
        let close = self.next_token(self.cursor, b'}');
        self.close_block(close, indent);
    }

    fn group(&mut self, g: &Group, indent: usize) {
        let start = g.span.start as usize;
        let header_end = match (&g.when, &g.in_force) {
            (_, Some(f)) => in_force_end(f),
            (Some(w), None) => self.expr_end(w),
            (None, None) => start,
        };
        let open = self.next_token(header_end, b'{');
        let col = indent + "when ".len();
        let mut header = match &g.when {
            Some(w) => format!("when {}", layout(w, col, indent + 4, 2)),
            None => String::new(),
        };
        if let Some(f) = &g.in_force {
            if !header.is_empty() {
                header.push(' ');
            }
            header.push_str(&in_force_text(f));
        }
        self.body(start, open, &header, &g.items, indent);
    }

    fn rule(&mut self, r: &RuleDecl, indent: usize, word: &str) {
        let start = r.span.start as usize;
        let name_end = r.overrides.as_ref().unwrap_or(&r.name).span.end as usize;
        let open = self.next_token(name_end, b'{');
        let mut header = format!("{word} {}", r.name.node);
        if let Some(o) = &r.overrides {
            let same_line = format!(" overrides {} {{", o.node);
            if indent + width(&header) + width(&same_line) <= WIDTH {
                header.push_str(&same_line[..same_line.len() - 2]);
            } else {
                header.push_str(&format!("\n{}overrides {}", " ".repeat(indent + 4), o.node));
            }
        }
        let clauses = clauses(r);
        if clauses.is_empty() {
            let close = r.span.end as usize - 1;
            self.element(start, close + 1, indent, &format!("{header} {{}}"));
            return;
        }
        self.element(start, open + 1, indent, &format!("{header} {{"));
        self.blank = Blank::Never;
        for clause in clauses {
            let clause_start = skip_trivia(self.text, self.cursor);
            let (end, text) = self.clause(&clause, indent + 2);
            self.element(clause_start, end, indent + 2, &text);
        }
        self.close_block(r.span.end as usize - 1, indent);
    }

    /// A clause's end in the source and its text.
    fn clause(&self, clause: &Clause, indent: usize) -> (usize, String) {
        let cond = |word: &str, e: &Expr| {
            let col = indent + word.len() + 1;
            (
                self.expr_end(e),
                format!("{word} {}", layout(e, col, indent + 2, 0)),
            )
        };
        match clause {
            Clause::Severity(s) => (s.span.end as usize, format!("severity {}", s.node.as_str())),
            Clause::Source(s) => (s.span.end as usize, format!("source {}", quote(&s.node))),
            Clause::For(bs) => {
                let last = &bs[bs.len() - 1].source;
                (self.expr_end(last), format!("for {}", expr::binders(bs)))
            }
            Clause::When(e) => cond("when", e),
            Clause::Require(e) => cond("require", e),
            Clause::At(e) => cond("at", e),
            Clause::InForce(f) => (in_force_end(f), in_force_text(f)),
            Clause::Let(name, e) => {
                let head = format!("let {} =", name.node);
                let col = indent + head.len() + 1;
                (
                    self.expr_end(e),
                    format!("{head} {}", layout(e, col, indent + 2, 0)),
                )
            }
            Clause::Requires(doc, target) => match target {
                Some(t) => (
                    self.expr_end(t),
                    format!("requires {} for {}", doc.node, flat(t)),
                ),
                None => (doc.span.end as usize, format!("requires {}", doc.node)),
            },
            Clause::Message(m) => {
                // Each language on its own line, under the first.
                let texts: Vec<String> = m
                    .texts
                    .iter()
                    .map(|t| match &t.lang {
                        Some(lang) => format!("{} {}", lang.node.code(), template(&t.text)),
                        None => template(&t.text),
                    })
                    .collect();
                let under = format!("\n{}", " ".repeat(indent + "message ".len()));
                (
                    m.span.end as usize,
                    format!("message {}", texts.join(&under)),
                )
            }
        }
    }
}

/// Where the last token of an expression ends. A quantifier's span runs on
/// over the whitespace and comments after its body (pest's span of the body
/// does), so it is not used.
fn last_token_end(e: &Expr) -> usize {
    match &e.node {
        ExprKind::Quantifier(_, _, body) => last_token_end(body),
        ExprKind::Binary(_, _, right) => last_token_end(right),
        ExprKind::Not(operand) => last_token_end(operand),
        _ => e.span.end as usize,
    }
}

enum EnumLayout<'a> {
    Empty,
    OneLine(String),
    /// The values of each line.
    Lines(Vec<Vec<&'a EnumValue>>),
}

/// The clauses of a rule in the order written.
fn clauses(r: &RuleDecl) -> Vec<Clause<'_>> {
    let mut found: Vec<(u32, Clause)> = Vec::new();
    if let Some(s) = &r.severity {
        found.push((s.span.start, Clause::Severity(s)));
    }
    if let Some(s) = &r.source {
        found.push((s.span.start, Clause::Source(s)));
    }
    if let Some(b) = r.binders.first() {
        found.push((b.name.span.start, Clause::For(&r.binders)));
    }
    if let Some(e) = &r.when {
        found.push((e.span.start, Clause::When(e)));
    }
    for (name, e) in &r.lets {
        found.push((name.span.start, Clause::Let(name, e)));
    }
    if let Some(e) = &r.require {
        found.push((e.span.start, Clause::Require(e)));
    }
    if let Some((doc, target)) = &r.requires {
        found.push((doc.span.start, Clause::Requires(doc, target.as_ref())));
    }
    if let Some(t) = &r.message {
        found.push((t.span.start, Clause::Message(t)));
    }
    if let Some(e) = &r.at {
        found.push((e.span.start, Clause::At(e)));
    }
    if let Some(f) = &r.in_force {
        found.push((f.span.start, Clause::InForce(f)));
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, c)| c).collect()
}

/// `ruleset NAME when CONDITION in force ...`, without the `{`.
fn ruleset_header(r: &Ruleset) -> String {
    let head = format!("ruleset {}", r.name.node);
    let mut head = match &r.when {
        Some(w) => {
            let col = head.len() + " when ".len();
            format!("{head} when {}", layout(w, col, 4, 2))
        }
        None => head,
    };
    if let Some(f) = &r.in_force {
        head.push(' ');
        head.push_str(&in_force_text(f));
    }
    head
}

/// `in force from DATE until DATE`.
fn in_force_text(f: &InForce) -> String {
    let mut text = "in force".to_string();
    if let Some(from) = &f.from {
        text.push_str(&format!(" from {}", from.node));
    }
    if let Some(until) = &f.until {
        text.push_str(&format!(" until {}", until.node));
    }
    text
}

/// Where an `in force` ends in the source: at its last date.
fn in_force_end(f: &InForce) -> usize {
    f.until
        .as_ref()
        .or(f.from.as_ref())
        .map_or(f.span.end, |d| d.span.end) as usize
}

fn type_text(t: &TypeExpr) -> String {
    match &t.node {
        TypeExprKind::Named(n) => n.clone(),
        TypeExprKind::List(elem) => format!("[{}]", type_text(elem)),
        TypeExprKind::Nullable(inner) => format!("{}?", type_text(inner)),
    }
}

/// `def name(params): type = body`, on one line if it fits, else with the body
/// on the next line.
fn def_text(d: &Def) -> String {
    let head = def_head(d);
    let body = flat(&d.body);
    if width(&head) + " = ".len() + width(&body) <= WIDTH {
        format!("{head} = {body}")
    } else {
        format!("{head} =\n  {}", layout(&d.body, 2, 4, 0))
    }
}

/// `def name(params): type`.
fn def_head(d: &Def) -> String {
    let mut head = format!("def {}", d.name.node);
    if let Some(params) = &d.params {
        let params: Vec<String> = params
            .iter()
            .map(|(name, ty)| format!("{}: {}", name.node, type_text(ty)))
            .collect();
        head.push_str(&format!("({})", params.join(", ")));
    }
    if let Some(ty) = &d.ty {
        head.push_str(&format!(": {}", type_text(ty)));
    }
    head
}

/// Enum values, as many a line as fit, each followed by a comma.
fn fill_values(values: &[String], indent: usize) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("{v},")).collect();
    expr::fill(&items, indent, 0)
}

/// An enum value with its labels: `beijing zh "北京市" en "Beijing"`.
fn value_text(v: &EnumValue) -> String {
    format!("{}{}", v.name.node, labels_text(&v.labels))
}

/// Where an enum value, with its labels, ends in the source.
fn value_end(v: &EnumValue) -> usize {
    labels_end(&v.labels).unwrap_or(v.name.span.end as usize)
}

/// Labels in the order written, each after a space: ` zh "北京市" en "Beijing"`
/// (a title without a language: ` "Beijing"`).
fn labels_text(labels: &[Label]) -> String {
    labels
        .iter()
        .map(|l| match &l.lang {
            Some(lang) => format!(" {} {}", lang.node.code(), quote(&l.text.node)),
            None => format!(" {}", quote(&l.text.node)),
        })
        .collect()
}

fn labels_end(labels: &[Label]) -> Option<usize> {
    labels.last().map(|l| l.text.span.end as usize)
}
