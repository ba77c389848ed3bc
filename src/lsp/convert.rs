//! Engine answers to protocol types, and protocol positions to byte
//! offsets: the one place where lines and columns are counted for the
//! editor, in the encoding agreed with it ([`Columns`], UTF-16 unless the
//! client offers UTF-8 or UTF-32).

use lsp_types as lsp;

use super::engine::{self, Action, CompletionKind, Completions, Hover, Lens, Outline, OutlineKind};
use super::snapshot::Snapshot;
use super::uri;
use crate::diagnostic::{Diagnostic, Level};
use crate::source::{Columns, FileId, Span};

/// The encoding to count columns in, from what the client offers.
pub fn negotiate(
    offered: Option<&[lsp::PositionEncodingKind]>,
) -> (Columns, lsp::PositionEncodingKind) {
    let offered = offered.unwrap_or_default();
    if offered.contains(&lsp::PositionEncodingKind::UTF8) {
        (Columns::Utf8, lsp::PositionEncodingKind::UTF8)
    } else if offered.contains(&lsp::PositionEncodingKind::UTF32) {
        (Columns::Chars, lsp::PositionEncodingKind::UTF32)
    } else {
        (Columns::Utf16, lsp::PositionEncodingKind::UTF16)
    }
}

pub fn uri(path: &std::path::Path) -> lsp::Uri {
    uri::from_path(path)
        .parse()
        .expect("a percent-encoded file URI parses")
}

/// The byte offset of a position in a file of the snapshot.
pub fn offset(snapshot: &Snapshot, file: FileId, at: lsp::Position, columns: Columns) -> usize {
    let view = snapshot.file(file);
    view.lines
        .offset(&view.text, at.line as usize, at.character as usize, columns)
}

/// The byte offset of a position in a text.
pub fn offset_in(text: &str, at: lsp::Position, columns: Columns) -> usize {
    crate::source::LineIndex::new(text).offset(
        text,
        at.line as usize,
        at.character as usize,
        columns,
    )
}

pub fn position(
    snapshot: &Snapshot,
    file: FileId,
    offset: usize,
    columns: Columns,
) -> lsp::Position {
    let view = snapshot.file(file);
    let (line, character) = view.lines.position(&view.text, offset, columns);
    lsp::Position::new(line as u32, character as u32)
}

pub fn range(snapshot: &Snapshot, span: Span, columns: Columns) -> lsp::Range {
    lsp::Range::new(
        position(snapshot, span.file, span.start as usize, columns),
        position(snapshot, span.file, span.end as usize, columns),
    )
}

pub fn location(snapshot: &Snapshot, span: Span, columns: Columns) -> lsp::Location {
    lsp::Location::new(
        uri(&snapshot.file(span.file).path),
        range(snapshot, span, columns),
    )
}

/// A diagnostic as `icprules lint` gives it: its code, message and help.
pub fn diagnostic(snapshot: &Snapshot, d: &Diagnostic, columns: Columns) -> lsp::Diagnostic {
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp::Diagnostic {
        range: range(snapshot, d.span, columns),
        severity: Some(match d.level {
            Level::Error => lsp::DiagnosticSeverity::ERROR,
            Level::Warning => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        source: Some("icprules".into()),
        message,
        related_information: (!d.label.is_empty()).then(|| {
            vec![lsp::DiagnosticRelatedInformation {
                location: location(snapshot, d.span, columns),
                message: d.label.clone(),
            }]
        }),
        ..lsp::Diagnostic::default()
    }
}

pub fn hover(snapshot: &Snapshot, h: Hover, columns: Columns) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: h.markdown,
        }),
        range: Some(range(snapshot, h.span, columns)),
    }
}

pub fn completions(
    snapshot: &Snapshot,
    c: Completions,
    columns: Columns,
) -> lsp::CompletionResponse {
    let replace = range(snapshot, c.replace, columns);
    let items = c
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| lsp::CompletionItem {
            kind: Some(match item.kind {
                CompletionKind::Field => lsp::CompletionItemKind::FIELD,
                CompletionKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
                CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
                CompletionKind::Function => lsp::CompletionItemKind::FUNCTION,
                CompletionKind::Variable => lsp::CompletionItemKind::VARIABLE,
                CompletionKind::Type => lsp::CompletionItemKind::CLASS,
                CompletionKind::Rule => lsp::CompletionItemKind::REFERENCE,
                CompletionKind::Section => lsp::CompletionItemKind::CONSTANT,
                CompletionKind::File => lsp::CompletionItemKind::FILE,
            }),
            detail: item.detail,
            documentation: item.documentation.map(|d| {
                lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value: d,
                })
            }),
            // The engine's order: what fits the place first.
            sort_text: Some(format!("{i:04}")),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit::new(
                replace,
                item.label.clone(),
            ))),
            label: item.label,
            ..lsp::CompletionItem::default()
        })
        .collect();
    lsp::CompletionResponse::List(lsp::CompletionList {
        is_incomplete: false,
        items,
    })
}

pub fn edits(
    snapshot: &Snapshot,
    edits: Vec<engine::Edit>,
    columns: Columns,
) -> Vec<lsp::TextEdit> {
    edits
        .into_iter()
        .map(|e| lsp::TextEdit::new(range(snapshot, e.span, columns), e.text))
        .collect()
}

#[expect(
    clippy::mutable_key_type,
    reason = "`WorkspaceEdit::changes` is keyed by `Uri`, which clippy cannot see is immutable"
)]
pub fn action(
    snapshot: &Snapshot,
    file: FileId,
    a: Action,
    columns: Columns,
) -> lsp::CodeActionOrCommand {
    let changes = [(
        uri(&snapshot.file(file).path),
        edits(snapshot, a.edits, columns),
    )]
    .into_iter()
    .collect();
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: a.title,
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(snapshot, &a.fixes, columns)]),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..lsp::WorkspaceEdit::default()
        }),
        is_preferred: a.preferred.then_some(true),
        ..lsp::CodeAction::default()
    })
}

pub fn outline(
    snapshot: &Snapshot,
    items: Vec<Outline>,
    columns: Columns,
) -> Vec<lsp::DocumentSymbol> {
    items
        .into_iter()
        .map(|o| {
            #[expect(
                deprecated,
                reason = "the protocol still has the field; it must be given"
            )]
            lsp::DocumentSymbol {
                name: o.name,
                detail: o.detail,
                kind: match o.kind {
                    OutlineKind::Ruleset => lsp::SymbolKind::MODULE,
                    OutlineKind::Group => lsp::SymbolKind::NAMESPACE,
                    OutlineKind::Rule | OutlineKind::Invariant => lsp::SymbolKind::METHOD,
                    OutlineKind::Document => lsp::SymbolKind::FILE,
                    OutlineKind::Def => lsp::SymbolKind::FUNCTION,
                    OutlineKind::Record | OutlineKind::Uploads => lsp::SymbolKind::STRUCT,
                    OutlineKind::Field => lsp::SymbolKind::FIELD,
                    OutlineKind::Enum => lsp::SymbolKind::ENUM,
                    OutlineKind::Value => lsp::SymbolKind::ENUM_MEMBER,
                    OutlineKind::Sections => lsp::SymbolKind::NAMESPACE,
                    OutlineKind::Section => lsp::SymbolKind::CONSTANT,
                },
                tags: None,
                deprecated: None,
                range: range(snapshot, o.span, columns),
                selection_range: range(snapshot, o.name_span, columns),
                children: Some(outline(snapshot, o.children, columns)),
            }
        })
        .collect()
}

/// Tokens as the protocol packs them: each relative to the one before.
pub fn tokens(
    snapshot: &Snapshot,
    file: FileId,
    tokens: Vec<engine::Token>,
    columns: Columns,
) -> lsp::SemanticTokens {
    let view = snapshot.file(file);
    let mut data = Vec::with_capacity(tokens.len());
    let (mut line, mut start) = (0u32, 0u32);
    for token in tokens {
        let (l, c) = view
            .lines
            .position(&view.text, token.span.start as usize, columns);
        let (end_line, end) = view
            .lines
            .position(&view.text, token.span.end as usize, columns);
        // Tokens do not span lines (strings and comments end with theirs).
        if end_line != l || end <= c {
            continue;
        }
        let (l, c) = (l as u32, c as u32);
        data.push(lsp::SemanticToken {
            delta_line: l - line,
            delta_start: if l == line { c - start } else { c },
            length: end as u32 - c,
            token_type: token.kind,
            token_modifiers_bitset: u32::from(token.declaration),
        });
        (line, start) = (l, c);
    }
    lsp::SemanticTokens {
        result_id: None,
        data,
    }
}

pub fn lens(snapshot: &Snapshot, l: Lens, columns: Columns) -> lsp::CodeLens {
    let path = &snapshot.root;
    lsp::CodeLens {
        range: range(snapshot, l.span, columns),
        command: Some(lsp::Command {
            title: l.title,
            command: match &l.ruleset {
                Some(_) => super::server::RUN_TESTS.into(),
                None => String::new(),
            },
            arguments: l.ruleset.map(|rs| {
                vec![
                    serde_json::Value::String(uri::from_path(path)),
                    serde_json::Value::String(rs),
                ]
            }),
        }),
        data: None,
    }
}
