//! The analysis, as queries: each a plain function from a file and a byte
//! offset of the editor's text to an answer, over a [`Snapshot`]. Nothing
//! here knows the protocol; [`super::convert`] turns answers into it.
//!
//! Offsets and spans in and out are those of the editor's text. The
//! analysis may have checked an older text of a broken file
//! ([`Snapshot::to_checked`]); each query maps what it looks up.

mod actions;
mod complete;
mod format;
mod hover;
mod lens;
mod navigate;
mod symbols;
mod tokens;

pub use actions::{Action, actions};
pub use complete::{Completion, CompletionKind, Completions, complete};
pub use format::format;
pub use hover::{Hover, hover};
pub use lens::{Lens, TestRun, lenses, run_tests};
pub use navigate::{definition, references};
pub use symbols::{Outline, OutlineKind, outline};
pub use tokens::{TOKEN_KINDS, Token, tokens};

use super::snapshot::Snapshot;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Item, RuleDecl};

/// A change to the editor's text of a file.
#[derive(Clone, Debug)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// The rule, document requirement or invariant of the checked text that
/// holds a checked offset, with its rule set's name.
fn enclosing_rule(
    snapshot: &Snapshot,
    file: FileId,
    offset: usize,
) -> Option<(Option<&str>, &RuleDecl)> {
    snapshot.analysis.files[file as usize]
        .rules()
        .into_iter()
        .find(|(_, rule)| holds(rule.span, offset))
}

pub(super) fn holds(span: Span, offset: usize) -> bool {
    span.start as usize <= offset && offset <= span.end as usize
}

/// The declaration of a rule by id, with its file.
fn find_rule<'s>(snapshot: &'s Snapshot, id: &str) -> Option<(FileId, &'s RuleDecl)> {
    snapshot
        .analysis
        .files
        .iter()
        .enumerate()
        .find_map(|(file, ast)| {
            ast.rules()
                .into_iter()
                .find(|(rs, rule)| rule.id(*rs) == id)
                .map(|(_, rule)| (file as FileId, rule))
        })
}

/// A field of a record as declared.
fn find_field(snapshot: &Snapshot, span: Span) -> Option<&ast::FieldDecl> {
    snapshot.analysis.files[span.file as usize]
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Record(r) => Some(r),
            _ => None,
        })
        .flat_map(|r| &r.fields)
        .find(|f| f.name.span.start == span.start)
}

/// A text in both languages, Chinese first: `北京市 · Beijing`.
fn both(text: &crate::lang::Localized<String>) -> String {
    text.values().cloned().collect::<Vec<_>>().join(" · ")
}

/// The title of a declared section, in both languages.
fn section_title(snapshot: &Snapshot, number: &str) -> String {
    snapshot
        .analysis
        .sections
        .iter()
        .find(|(n, _)| n == number)
        .map_or_else(String::new, |(_, t)| both(t))
}

/// The text of a span of the checked text.
fn checked_slice(snapshot: &Snapshot, span: Span) -> &str {
    snapshot
        .checked_text(span.file)
        .get(span.range())
        .unwrap_or_default()
}
