//! An application that could not be read, shown over its JSON text.

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, render};
use crate::eval::InputError;
use crate::source::{SourceFile, Sources, Span};

/// The error as a diagnostic over the application's text (`name` is the
/// file name shown), or `None` when it has no place in the text (an
/// invariant that the whole application fails).
pub fn invalid_diagnostic(
    name: &str,
    text: &str,
    error: &InputError,
) -> Option<(Diagnostic, Sources)> {
    let (line, column) = error.line.zip(error.column)?;
    let end = offset_of(text, line, column);
    let (start, end) = match opening_bracket(text, end) {
        Some(bracket) => (bracket, bracket + 1),
        None => (token_start(text, end), end),
    };
    let message = if error.path.is_empty() {
        error.message.clone()
    } else {
        format!("`{}`: {}", error.path, error.message)
    };
    let diagnostic = Diagnostic::error(
        "invalid-application",
        message,
        Span::new(0, start, end),
        "here",
    )
    .with_help(error.help.clone());
    let sources = Sources::new(vec![SourceFile {
        path: name.to_string(),
        text: Arc::from(text),
    }]);
    Some((diagnostic, sources))
}

/// What `icprules check` writes to standard error for an invalid
/// application.
pub fn invalid_human(name: &str, text: &str, error: &InputError, colour: bool) -> String {
    let mut out = format!("error: invalid application `{name}`\n");
    match invalid_diagnostic(name, text, error) {
        Some((diagnostic, sources)) => out.push_str(&render(&[diagnostic], &sources, colour)),
        None => out.push_str(&format!("  × {error}\n")),
    }
    out
}

/// serde_json reports a list or object of the wrong type just inside it:
/// the bracket that opens it is what to point at.
fn opening_bracket(text: &str, end: usize) -> Option<usize> {
    let before = text[..end].trim_end();
    before.ends_with(['[', '{']).then(|| before.len() - 1)
}

/// Where the JSON token that ends at `end` starts, to underline all of it.
fn token_start(text: &str, end: usize) -> usize {
    // A token longer than this is underlined from here: a 100 MB string is
    // not searched back to its quote (its line is too long to show anyway).
    let mut window = end.saturating_sub(4096);
    while !text.is_char_boundary(window) {
        window += 1;
    }
    let before = &text[window..end];
    if let Some(inner) = before.strip_suffix('"') {
        return window + inner.rfind('"').unwrap_or(0);
    }
    window
        + before
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-')))
            .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The byte offset of serde_json's (1-based) line and column (in bytes),
/// which point just past the offending value.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let start = start.min(text.len());
    let line_len = text[start..].find('\n').unwrap_or(text.len() - start);
    let mut offset = start + column.saturating_sub(1).min(line_len);
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}
