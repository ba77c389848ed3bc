//! What the checker resolved, by place: every name with what it names, every
//! declaration, and every local with its type and where it can be seen. The
//! evaluator needs none of it; the language server answers hover, go to
//! definition, references and completion from it.

use std::collections::HashMap;

use super::program::Builtin;
use super::schema::Type;
use crate::source::{FileId, Span};

/// Something a name can stand for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Symbol {
    Record(u32),
    Enum(u32),
    Field {
        record: u32,
        slot: u32,
    },
    /// A value of an enum: `beijing`, a document type after `requires`.
    Value {
        enum_id: u32,
        value: u32,
    },
    Def(u32),
    /// A `for` or quantifier binder, a `let` or a parameter: an index into
    /// [`Index::locals`].
    Local(u32),
    Builtin(Builtin),
    /// A section of the `sections` declaration, by number.
    Section(String),
    /// A rule, document requirement or invariant, by id.
    Rule(String),
    File(FileId),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocalKind {
    Binder,
    Let,
    Parameter,
}

/// A local name: where it is bound, its type, and the part of the file where
/// it can be used.
#[derive(Clone, Debug)]
pub struct Local {
    pub name: String,
    pub ty: Type,
    pub kind: LocalKind,
    /// The name where it is bound.
    pub span: Span,
    /// Where it is in scope.
    pub scope: Span,
}

/// A definition as the checker typed it.
#[derive(Clone, Debug)]
pub struct DefInfo {
    pub name: String,
    pub file: FileId,
    /// Parameter names and types; empty for a constant.
    pub params: Vec<(String, Type)>,
    pub ty: Type,
    /// From `def` to the end of the body.
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Index {
    /// Every use of a name that resolved, with what it names.
    pub refs: Vec<(Span, Symbol)>,
    /// Where each symbol is declared (its name).
    pub decls: HashMap<Symbol, Span>,
    pub locals: Vec<Local>,
    pub defs: Vec<DefInfo>,
}

impl Index {
    pub(super) fn reference(&mut self, span: Span, symbol: Symbol) {
        self.refs.push((span, symbol));
    }

    /// Records a declaration; the first of a name is the one that counts.
    pub(super) fn declare(&mut self, symbol: Symbol, span: Span) {
        self.decls.entry(symbol).or_insert(span);
    }

    /// The symbol named or declared at a byte offset of a file: the
    /// narrowest span holding it.
    pub fn symbol_at(&self, file: FileId, offset: usize) -> Option<(Span, &Symbol)> {
        let holds = |span: &Span| {
            span.file == file && span.start as usize <= offset && offset <= span.end as usize
        };
        let refs = self.refs.iter().map(|(s, sym)| (*s, sym));
        let decls = self.decls.iter().map(|(sym, s)| (*s, sym));
        refs.chain(decls)
            .filter(|(s, _)| holds(s))
            .min_by_key(|(s, _)| s.end - s.start)
    }

    /// Every place that names the symbol, its declaration first, each once.
    pub fn occurrences(&self, symbol: &Symbol) -> Vec<Span> {
        let mut spans: Vec<Span> = self.decls.get(symbol).copied().into_iter().collect();
        let mut uses: Vec<Span> = self
            .refs
            .iter()
            .filter(|(_, s)| s == symbol)
            .map(|(span, _)| *span)
            .collect();
        uses.sort_by_key(|s| (s.file, s.start));
        for span in uses {
            if !spans
                .iter()
                .any(|s| (s.file, s.start, s.end) == (span.file, span.start, span.end))
            {
                spans.push(span);
            }
        }
        spans
    }

    /// The locals that can be used at a byte offset of a file, innermost
    /// last; of two with one name, the later hides the earlier.
    pub fn locals_at(&self, file: FileId, offset: usize) -> Vec<&Local> {
        let mut visible: Vec<&Local> = self
            .locals
            .iter()
            .filter(|l| {
                l.scope.file == file
                    && l.span.end as usize <= offset
                    && (l.scope.start as usize) <= offset
                    && offset <= l.scope.end as usize
            })
            .collect();
        visible.sort_by_key(|l| (std::cmp::Reverse(l.scope.end - l.scope.start), l.span.start));
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<&Local> = visible
            .into_iter()
            .rev()
            .filter(|l| seen.insert(l.name.as_str()))
            .collect();
        out.reverse();
        out
    }
}
