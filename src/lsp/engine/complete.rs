//! Completion. What to offer is read from the editor's text around the
//! cursor, which is usually half typed and does not parse: the block the
//! cursor is in (a rule set, a rule, a record...), the word being typed and
//! what comes before it. What the names there mean comes from the analysis:
//! the locals in scope, the type of `x.y.` and of the left side of `==`, the
//! declared sections, rule ids and document types. A binder or `let` typed
//! since the last good analysis is found in the text and typed from its
//! list.

use crate::check::BUILTINS;
use crate::check::index::{LocalKind, Symbol};
use crate::check::schema::Type;
use crate::lsp::snapshot::Snapshot;
use crate::source::{FileId, Span, char_boundary};
use crate::syntax::lexis::{skip_line, skip_string};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Field,
    Value,
    Keyword,
    Function,
    Variable,
    Type,
    Rule,
    Section,
    File,
}

#[derive(Clone, Debug)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
}

/// What to offer at the cursor, and the text it replaces (the part of the
/// word typed so far).
#[derive(Clone, Debug)]
pub struct Completions {
    pub replace: Span,
    pub items: Vec<Completion>,
}

const TOP_KEYWORDS: &[&str] = &[
    "import",
    "input",
    "report",
    "as_of",
    "uploads",
    "sections",
    "enum",
    "record",
    "def",
    "invariant",
    "ruleset",
];
const BODY_KEYWORDS: &[&str] = &["rule", "document", "when", "in force"];
const RULE_CLAUSES: &[&str] = &[
    "severity", "source", "for", "when", "let", "require", "message", "at", "in force",
];
const DOCUMENT_CLAUSES: &[&str] = &[
    "severity", "source", "for", "when", "let", "requires", "message", "in force",
];
const INVARIANT_CLAUSES: &[&str] = &["for", "when", "let", "require", "message", "at"];
const EXPRESSION_KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "all", "any", "none", "count", "where", "true", "false", "null",
];

/// What a `{` opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Ruleset,
    Group,
    Rule,
    Document,
    Invariant,
    Record,
    Enum,
    Uploads,
    Sections,
    /// A set `{a, b}` or anything else inside an expression.
    Set,
}

pub fn complete(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<Completions> {
    let text = snapshot.text(file);
    let offset = char_boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let at = Cursor {
        snapshot,
        file,
        text,
        offset,
        line_start,
    };
    match scan_line(&text[line_start..offset]) {
        LineState::Comment => None,
        LineState::String { open } => at.in_string(line_start + open),
        LineState::Code { from } => at.in_code(line_start + from),
    }
}

enum LineState {
    /// In code, which starts at `from` (after a message hole's `{`).
    Code {
        from: usize,
    },
    String {
        open: usize,
    },
    Comment,
}

/// Where the end of a line's text (up to the cursor) is: in code, in a
/// string or in a comment. Strings and messages do not span lines.
fn scan_line(line: &str) -> LineState {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut state = LineState::Code { from: 0 };
    let mut message = false;
    while i < bytes.len() {
        match state {
            LineState::Code { .. } => match bytes[i] {
                b'/' if bytes.get(i + 1) == Some(&b'/') => return LineState::Comment,
                b'"' => {
                    // A message's text, in a language or not; labels in a
                    // language are read the same (they hold no braces).
                    message = matches!(last_word(line[..i].trim_end()), "message" | "zh" | "en");
                    state = LineState::String { open: i };
                }
                b'}' if message => {
                    // The end of a message's hole: back in its text.
                    if let Some(open) = line[..i].rfind('"') {
                        state = LineState::String { open };
                    }
                }
                _ => {}
            },
            LineState::String { open } => match bytes[i] {
                b'\\' => i += 1,
                b'"' => {
                    state = LineState::Code { from: 0 };
                    message = false;
                }
                b'{' if message && bytes.get(i + 1) == Some(&b'{') => i += 1,
                b'{' if message => state = LineState::Code { from: i + 1 },
                _ => {
                    let _ = open;
                }
            },
            LineState::Comment => {}
        }
        i += 1;
    }
    state
}

struct Cursor<'s> {
    snapshot: &'s Snapshot,
    file: FileId,
    text: &'s str,
    offset: usize,
    line_start: usize,
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl<'s> Cursor<'s> {
    fn span(&self, start: usize) -> Span {
        Span::new(self.file, start, self.offset)
    }

    /// The start of the word that ends at the cursor; `extra` bytes also
    /// count as part of it.
    fn word_start(&self, extra: &[u8]) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = self.offset;
        while i > self.line_start && (is_word(bytes[i - 1]) || extra.contains(&bytes[i - 1])) {
            i -= 1;
        }
        i
    }

    /// The text of the line before `pos`, without trailing spaces.
    fn before(&self, pos: usize) -> &'s str {
        self.text[self.line_start..pos].trim_end()
    }

    fn in_string(&self, open: usize) -> Option<Completions> {
        let keyword = last_word(self.before(open));
        let replace = self.span(open + 1);
        let items = match keyword {
            "source" => self
                .snapshot
                .analysis
                .sections
                .iter()
                .map(|(number, title)| Completion {
                    label: number.clone(),
                    kind: CompletionKind::Section,
                    detail: Some(super::both(title)),
                    documentation: None,
                })
                .collect(),
            "import" => self.imports(),
            _ => return None,
        };
        Some(Completions { replace, items })
    }

    /// The other files of the rule set, as an import in this file names them.
    fn imports(&self) -> Vec<Completion> {
        let sources = &self.snapshot.sources;
        let me = &sources.file(self.file).path;
        let depth = me.matches('/').count();
        let here = me.rsplit_once('/').map_or("", |(dir, _)| dir);
        sources
            .files
            .iter()
            .filter(|f| f.path != *me)
            .map(|f| {
                let label = match f.path.strip_prefix(here).and_then(|p| p.strip_prefix('/')) {
                    Some(rest) if !here.is_empty() => rest.to_string(),
                    _ => format!("{}{}", "../".repeat(depth), f.path),
                };
                Completion {
                    label,
                    kind: CompletionKind::File,
                    detail: None,
                    documentation: None,
                }
            })
            .collect()
    }

    fn in_code(&self, code_start: usize) -> Option<Completions> {
        let bytes = self.text.as_bytes();
        let start = self.word_start(&[]);
        let before = self.before(start);
        let blocks = blocks(self.text, self.offset);
        let block = blocks.last().map(|(b, _)| *b);
        let ref_start = self.word_start(b".-");
        if last_word(self.before(ref_start)) == "overrides" {
            return Some(Completions {
                replace: self.span(ref_start),
                items: self.rule_ids(&blocks),
            });
        }
        // `x.y.` : the fields of what is before the dot.
        if start > code_start && bytes[start - 1] == b'.' {
            let chain = chain_before(self.text, start - 1, code_start);
            let ty = self.chain_type(&chain, 0)?;
            return Some(Completions {
                replace: self.span(start),
                items: self.fields(&ty),
            });
        }
        let keyword = last_word(before);
        let items = match keyword {
            "requires" if before.ends_with("requires") => self.document_types(),
            "severity" if before.ends_with("severity") => keywords(&["error", "warning", "info"]),
            // The languages of a message's texts.
            "message" if before.ends_with("message") => keywords(&["zh", "en"]),
            // `in force from DATE until DATE`.
            "force" if before.ends_with("in force") => keywords(&["from", "until"]),
            _ if before.is_empty() && self.line_start >= code_start => {
                let mut items = match block {
                    None => keywords(TOP_KEYWORDS),
                    Some(Block::Ruleset | Block::Group) => keywords(BODY_KEYWORDS),
                    Some(Block::Rule) => keywords(RULE_CLAUSES),
                    Some(Block::Document) => keywords(DOCUMENT_CLAUSES),
                    Some(Block::Invariant) => keywords(INVARIANT_CLAUSES),
                    Some(Block::Uploads) => keywords(&["list", "kind", "target"]),
                    Some(Block::Sections) => keywords(&["edition"]),
                    Some(Block::Record | Block::Enum) => Vec::new(),
                    Some(Block::Set) => self.expression(start, &blocks),
                };
                // A line of a condition broken over several.
                if matches!(
                    block,
                    Some(Block::Rule | Block::Document | Block::Invariant)
                ) {
                    items.extend(self.expression(start, &blocks));
                }
                items
            }
            _ if before.ends_with(':') && self.in_type_position(before, block) => self.types(),
            // Where an enum is expected, its values.
            _ => match self.expected_values(start) {
                values if !values.is_empty() => values,
                _ => self.expression(start, &blocks),
            },
        };
        Some(Completions {
            replace: self.span(start),
            items,
        })
    }

    /// After `name:` in a record, or a parameter's `:` in a `def`.
    fn in_type_position(&self, before: &str, block: Option<Block>) -> bool {
        block == Some(Block::Record)
            || (before.trim_start().starts_with("def") && !before.contains('='))
    }

    fn types(&self) -> Vec<Completion> {
        let schema = &self.snapshot.analysis.schema;
        let mut items = keywords(&["text", "int", "count", "date", "bool"]);
        for name in schema
            .records
            .iter()
            .map(|r| &r.name)
            .chain(schema.enums.iter().map(|e| &e.name))
        {
            items.push(Completion {
                label: name.clone(),
                kind: CompletionKind::Type,
                detail: None,
                documentation: None,
            });
        }
        items
    }

    fn document_types(&self) -> Vec<Completion> {
        let schema = &self.snapshot.analysis.schema;
        match &schema.uploads {
            Some(u) => self.values(u.kind_enum),
            None => Vec::new(),
        }
    }

    fn values(&self, enum_id: u32) -> Vec<Completion> {
        let e = self.snapshot.analysis.schema.enum_def(enum_id);
        e.variants
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let labels = e.labels.get(i).map(super::both).unwrap_or_default();
                Completion {
                    label: v.clone(),
                    kind: CompletionKind::Value,
                    detail: Some(if labels.is_empty() {
                        e.name.clone()
                    } else {
                        format!("{labels} ({})", e.name)
                    }),
                    documentation: None,
                }
            })
            .collect()
    }

    /// Every rule id but those of the rule set the cursor is in.
    fn rule_ids(&self, blocks: &[(Block, usize)]) -> Vec<Completion> {
        let own = blocks
            .iter()
            .find(|(b, _)| *b == Block::Ruleset)
            .map(|(_, open)| {
                let line_start = self.text[..*open].rfind('\n').map_or(0, |i| i + 1);
                let mut words = self.text[line_start..*open].split_whitespace();
                words.next();
                format!("{}.", words.next().unwrap_or_default())
            });
        let mut ids: Vec<&String> = self
            .snapshot
            .analysis
            .index
            .decls
            .keys()
            .filter_map(|s| match s {
                Symbol::Rule(id) => Some(id),
                _ => None,
            })
            .filter(|id| !id.starts_with("invariant."))
            .filter(|id| own.as_ref().is_none_or(|own| !id.starts_with(own.as_str())))
            .collect();
        ids.sort();
        ids.into_iter()
            .map(|id| Completion {
                label: id.clone(),
                kind: CompletionKind::Rule,
                detail: None,
                documentation: None,
            })
            .collect()
    }

    /// Enum values, where the other side of `==`, `!=` or `in {` is an enum.
    fn expected_values(&self, start: usize) -> Vec<Completion> {
        let before = &self.text[self.line_start..start];
        let trimmed = before.trim_end();
        let left_end = if let Some(rest) = trimmed
            .strip_suffix("==")
            .or_else(|| trimmed.strip_suffix("!="))
        {
            Some(rest.trim_end().len())
        } else {
            // Inside `x in {a, b, `: the `{` not closed on this line.
            open_set(trimmed).and_then(|brace| {
                let head = trimmed[..brace].trim_end();
                let head = head
                    .strip_suffix("not in")
                    .or_else(|| head.strip_suffix("in"))?;
                Some(head.trim_end().len())
            })
        };
        let Some(end) = left_end else {
            return Vec::new();
        };
        let chain = chain_before(self.text, self.line_start + end, self.line_start);
        match self.chain_type(&chain, 0).as_ref().map(Type::non_null) {
            Some(Type::Enum(e)) => self.values(*e),
            _ => Vec::new(),
        }
    }

    /// Names an expression can use here: locals, input fields, definitions,
    /// functions and keywords.
    fn expression(&self, start: usize, blocks: &[(Block, usize)]) -> Vec<Completion> {
        let analysis = &self.snapshot.analysis;
        let schema = &analysis.schema;
        let mut items = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let at = self.snapshot.to_checked(self.file, start);
        for local in analysis.index.locals_at(self.file, at) {
            if seen.insert(local.name.clone()) {
                items.push(Completion {
                    label: local.name.clone(),
                    kind: CompletionKind::Variable,
                    detail: Some(type_name(self.snapshot, &local.ty)),
                    documentation: Some(
                        match local.kind {
                            LocalKind::Binder => "a binder",
                            LocalKind::Let => "a `let` of the rule",
                            LocalKind::Parameter => "a parameter",
                        }
                        .into(),
                    ),
                });
            }
        }
        for name in text_binders(self.text, item_start(self.text, blocks, start), start) {
            if seen.insert(name.clone()) {
                items.push(Completion {
                    label: name,
                    kind: CompletionKind::Variable,
                    detail: None,
                    documentation: None,
                });
            }
        }
        if !schema.records.is_empty() {
            let input = schema.record(schema.input);
            for f in &input.fields {
                if seen.insert(f.name.clone()) {
                    items.push(Completion {
                        label: f.name.clone(),
                        kind: CompletionKind::Field,
                        detail: Some(schema.type_name(&f.ty)),
                        documentation: None,
                    });
                }
            }
        }
        for def in &analysis.index.defs {
            if seen.insert(def.name.clone()) {
                items.push(Completion {
                    label: def.name.clone(),
                    kind: CompletionKind::Function,
                    detail: Some(schema.type_name(&def.ty)),
                    documentation: Some(format!(
                        "defined in `{}`",
                        self.snapshot.sources.file(def.file).path
                    )),
                });
            }
        }
        for f in BUILTINS {
            items.push(Completion {
                label: f.name.to_string(),
                kind: CompletionKind::Function,
                detail: Some(f.signature.to_string()),
                documentation: Some(f.doc.to_string()),
            });
        }
        items.extend(keywords(EXPRESSION_KEYWORDS));
        items
    }

    fn fields(&self, ty: &Type) -> Vec<Completion> {
        let schema = &self.snapshot.analysis.schema;
        let Type::Record(r) = ty.non_null() else {
            return Vec::new();
        };
        schema
            .record(*r)
            .fields
            .iter()
            .map(|f| Completion {
                label: f.name.clone(),
                kind: CompletionKind::Field,
                detail: Some(schema.type_name(&f.ty)),
                documentation: None,
            })
            .collect()
    }

    /// The type of `a.b.c` at the cursor.
    fn chain_type(&self, chain: &[&str], depth: usize) -> Option<Type> {
        let (head, fields) = chain.split_first()?;
        let mut ty = self.name_type(head, depth)?;
        let schema = &self.snapshot.analysis.schema;
        for field in fields {
            let nullable = ty.is_nullable();
            let Type::Record(r) = ty.non_null() else {
                return None;
            };
            let record = schema.record(*r);
            let slot = record.field(field)?;
            ty = record.fields[slot as usize].ty.clone();
            if nullable {
                ty = ty.nullable();
            }
        }
        Some(ty)
    }

    /// The type of a name at the cursor: a local of the analysis, a binder
    /// or `let` typed since, an input field, or a constant.
    fn name_type(&self, name: &str, depth: usize) -> Option<Type> {
        let analysis = &self.snapshot.analysis;
        let at = self.snapshot.to_checked(self.file, self.offset);
        if let Some(local) = analysis
            .index
            .locals_at(self.file, at)
            .into_iter()
            .rev()
            .find(|l| l.name == name)
        {
            return Some(local.ty.clone());
        }
        // Only a few levels: `a in b.xs, b in c.ys, ...` typed by hand.
        if depth < 8 {
            let blocks = blocks(self.text, self.offset);
            let from = item_start(self.text, &blocks, self.offset);
            if let Some((source, is_list)) = text_binding(self.text, from, self.offset, name) {
                let chain: Vec<&str> = source.split('.').collect();
                let ty = self.chain_type(&chain, depth + 1)?;
                return if is_list {
                    match ty.non_null() {
                        Type::List(elem) => Some((**elem).clone()),
                        _ => None,
                    }
                } else {
                    Some(ty)
                };
            }
        }
        let schema = &analysis.schema;
        if !schema.records.is_empty() {
            let input = schema.record(schema.input);
            if let Some(slot) = input.field(name) {
                return Some(input.fields[slot as usize].ty.clone());
            }
        }
        analysis
            .index
            .defs
            .iter()
            .find(|d| d.name == name && d.params.is_empty())
            .map(|d| d.ty.clone())
    }
}

fn type_name(snapshot: &Snapshot, ty: &Type) -> String {
    match ty {
        Type::Error => "?".into(),
        ty => snapshot.analysis.schema.type_name(ty),
    }
}

fn keywords(words: &[&str]) -> Vec<Completion> {
    words
        .iter()
        .map(|w| Completion {
            label: w.to_string(),
            kind: CompletionKind::Keyword,
            detail: None,
            documentation: None,
        })
        .collect()
}

/// The last word of a text.
fn last_word(text: &str) -> &str {
    let end = text.len();
    let start = text.bytes().rposition(|b| !is_word(b)).map_or(0, |i| i + 1);
    &text[start..end]
}

/// `a.b.c` ending at `end` (exclusive, the position of the `.` that
/// follows it, or of an operator), not reaching before `limit`.
fn chain_before(text: &str, end: usize, limit: usize) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut start = end;
    while start > limit && (is_word(bytes[start - 1]) || bytes[start - 1] == b'.') {
        start -= 1;
    }
    text[start..end]
        .trim_start_matches('.')
        .split('.')
        .filter(|s| !s.is_empty())
        .collect()
}

/// The position of a `{` of the line not closed before its end.
fn open_set(line: &str) -> Option<usize> {
    let mut depth = 0;
    for (i, b) in line.bytes().enumerate().rev() {
        match b {
            b'}' => depth += 1,
            b'{' if depth == 0 => return Some(i),
            b'{' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// The blocks open at `offset`, outermost first, with the position of their
/// `{`. What opened a block is read from the first word of its line.
fn blocks(text: &str, offset: usize) -> Vec<(Block, usize)> {
    let bytes = text.as_bytes();
    let mut stack: Vec<(Block, usize)> = Vec::new();
    let mut i = 0;
    while i < offset.min(bytes.len()) {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            b'"' => i = skip_string(bytes, i + 1),
            b'{' => {
                let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                let first = text[line_start..i].split_whitespace().next().unwrap_or("");
                let rest_empty = text[i + 1..]
                    .split('\n')
                    .next()
                    .is_none_or(|r| r.trim().is_empty() || r.trim().starts_with("//"));
                let top = stack.last().map(|(b, _)| *b);
                let block = match (first, top) {
                    ("ruleset", _) => Block::Ruleset,
                    ("rule", _) => Block::Rule,
                    ("document", _) => Block::Document,
                    ("invariant", _) => Block::Invariant,
                    // A rule whose `overrides` is on a line of its own.
                    ("overrides", _) => {
                        let prev = text[..line_start.saturating_sub(1)]
                            .rsplit('\n')
                            .next()
                            .unwrap_or("");
                        if prev.trim_start().starts_with("document") {
                            Block::Document
                        } else {
                            Block::Rule
                        }
                    }
                    ("record", _) => Block::Record,
                    ("enum", _) => Block::Enum,
                    ("uploads", _) => Block::Uploads,
                    ("sections", _) => Block::Sections,
                    ("when", Some(Block::Ruleset | Block::Group)) if rest_empty => Block::Group,
                    _ => Block::Set,
                };
                stack.push((block, i));
                i += 1;
            }
            b'}' => {
                stack.pop();
                i += 1;
            }
            _ => i += 1,
        }
    }
    stack
}

/// Where the innermost rule or invariant starts, or else the `def` the
/// cursor is in: where to look for binders typed by hand.
fn item_start(text: &str, blocks: &[(Block, usize)], offset: usize) -> usize {
    if let Some((_, open)) = blocks
        .iter()
        .rev()
        .find(|(b, _)| matches!(b, Block::Rule | Block::Document | Block::Invariant))
    {
        return *open;
    }
    let mut line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    // Back over the lines of a `def` that goes on over several.
    while line_start > 0 && !text[line_start..].starts_with("def") {
        let line = &text[line_start..];
        if !line.starts_with([' ', '\t']) {
            break;
        }
        line_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    line_start
}

/// The names bound by `x in ...` and `let x = ...` between `from` and `to`.
fn text_binders(text: &str, from: usize, to: usize) -> Vec<String> {
    let region = &text[from..to.max(from)];
    let words: Vec<(usize, &str)> = words(region);
    let mut out = Vec::new();
    for pair in words.windows(2) {
        let ((at, a), (_, b)) = (pair[0], pair[1]);
        if b == "in" && is_name(a) && binds(&region[..at]) {
            out.push(a.to_string());
        }
        if a == "let" && is_name(b) {
            out.push(b.to_string());
        }
    }
    out
}

/// Whether a name after `before` and before `in` is a binder (`for x in`,
/// `any x in`, `count(x in`, `, x in`), not a value tested for membership.
fn binds(before: &str) -> bool {
    let before = before.trim_end();
    before.ends_with(',')
        || before.ends_with("count(")
        || ["for", "all", "any", "none"]
            .iter()
            .any(|k| last_word(before) == *k && before.ends_with(k))
}

/// How `name` is bound in `text[from..to]`, last binding first: the source
/// of `name in SOURCE` (a list: true) or of `let name = SOURCE` (false).
fn text_binding<'t>(text: &'t str, from: usize, to: usize, name: &str) -> Option<(&'t str, bool)> {
    let region = &text[from..to.max(from)];
    let words = words(region);
    for i in (0..words.len()).rev() {
        let (at, word) = words[i];
        if word != name {
            continue;
        }
        let after = region[at + word.len()..].trim_start();
        let (source, is_list) =
            if let Some(rest) = after.strip_prefix("in ").filter(|_| binds(&region[..at])) {
                (rest.trim_start(), true)
            } else if words
                .get(i.wrapping_sub(1))
                .is_some_and(|(_, w)| *w == "let")
            {
                match after.strip_prefix('=') {
                    Some(rest) => (rest.trim_start(), false),
                    None => continue,
                }
            } else {
                continue;
            };
        let end = source
            .bytes()
            .position(|b| !(is_word(b) || b == b'.'))
            .unwrap_or(source.len());
        if end > 0 {
            return Some((&source[..end], is_list));
        }
    }
    None
}

fn is_name(word: &str) -> bool {
    word.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && !EXPRESSION_KEYWORDS.contains(&word)
        && !RULE_CLAUSES.contains(&word)
}

/// The words of a text with their offsets, strings and comments left out.
fn words(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            b'"' => i = skip_string(bytes, i + 1),
            b if is_word(b) => {
                let start = i;
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
                out.push((start, &text[start..i]));
            }
            _ => i += 1,
        }
    }
    out
}
