//! Semantic tokens: highlighting for editors without a grammar of the
//! language, and better than a grammar where names are concerned: a field,
//! an enum value, a definition and a local are told apart by what the
//! checker resolved them to.

use std::collections::HashMap;

use crate::check::index::{LocalKind, Symbol};
use crate::lsp::snapshot::Snapshot;
use crate::source::{FileId, Span};
use crate::syntax::ast::Item;
use crate::syntax::{TokenClass, tokens as syntax_tokens};

/// The token types, in the order of the legend the server announces.
pub const TOKEN_KINDS: &[&str] = &[
    "keyword",
    "string",
    "number",
    "comment",
    "operator",
    "variable",
    "property",
    "enumMember",
    "function",
    "parameter",
    "type",
    "namespace",
    "method",
];

#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub span: Span,
    /// An index into [`TOKEN_KINDS`].
    pub kind: u32,
    pub declaration: bool,
}

fn kind(name: &str) -> u32 {
    TOKEN_KINDS.iter().position(|k| *k == name).unwrap_or(0) as u32
}

pub fn tokens(snapshot: &Snapshot, file: FileId) -> Vec<Token> {
    let index = &snapshot.analysis.index;
    // What each name of the editor's text resolved to, by its start.
    let mut names: HashMap<u32, (&str, bool)> = HashMap::new();
    let mut classify = |span: Span, symbol: &Symbol, declaration: bool| {
        if span.file != file {
            return;
        }
        let class = match symbol {
            Symbol::Record(_) | Symbol::Enum(_) => "type",
            Symbol::Field { .. } => "property",
            Symbol::Value { .. } => "enumMember",
            Symbol::Def(_) | Symbol::Builtin(_) => "function",
            Symbol::Local(l) => match index.locals.get(*l as usize).map(|l| l.kind) {
                Some(LocalKind::Parameter) => "parameter",
                _ => "variable",
            },
            Symbol::Rule(_) => "method",
            Symbol::Section(_) | Symbol::File(_) => return,
        };
        let at = snapshot.to_current(span);
        if at.end > at.start {
            names.insert(at.start, (class, declaration));
        }
    };
    for (span, symbol) in &index.refs {
        classify(*span, symbol, false);
    }
    for (symbol, span) in &index.decls {
        classify(*span, symbol, true);
    }
    for item in &snapshot.analysis.files[file as usize].items {
        if let Item::Ruleset(rs) = item {
            let at = snapshot.to_current(rs.name.span);
            names.insert(at.start, ("namespace", true));
        }
    }
    syntax_tokens(snapshot.text(file), file)
        .into_iter()
        .map(|(span, class)| {
            let (name, declaration) = match class {
                TokenClass::Keyword => ("keyword", false),
                TokenClass::String => ("string", false),
                TokenClass::Number => ("number", false),
                TokenClass::Comment => ("comment", false),
                TokenClass::Operator => ("operator", false),
                TokenClass::Name | TokenClass::RuleName => {
                    let fallback = if class == TokenClass::RuleName {
                        "method"
                    } else {
                        "variable"
                    };
                    names.get(&span.start).copied().unwrap_or((fallback, false))
                }
            };
            Token {
                span,
                kind: kind(name),
                declaration,
            }
        })
        .collect()
}
