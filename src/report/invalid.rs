//! An application that could not be read, shown over its JSON text.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, render};
use crate::eval::{InputError, InputErrors, MAX_INPUT_ERRORS};
use crate::lang::Lang;
use crate::source::{SourceFile, Sources, Span};

/// The error as a diagnostic over the application's text (`name` is the
/// file name shown), or `None` when it has no place in the text (an
/// application with no JSON at all). `lang` is the language of the words
/// around the error's own message.
pub fn invalid_diagnostic(
    name: &str,
    text: &str,
    error: &InputError,
    lang: Lang,
) -> Option<(Diagnostic, Sources)> {
    let span = error.span.clone()?;
    let message = if error.path.is_empty() {
        error.message.clone()
    } else {
        format!("`{}`: {}", error.path, error.message)
    };
    let label = error
        .label
        .clone()
        .unwrap_or_else(|| lang.pick("此处", "here").into());
    let mut diagnostic = Diagnostic::error(
        "invalid-application",
        message,
        shown_span(text, span),
        label,
    )
    .with_help(error.help.clone());
    for related in &error.related {
        if let Some(span) = related.span.clone() {
            diagnostic = diagnostic.with_related(shown_span(text, span), related.label.clone());
        }
    }
    let sources = Sources::new(vec![SourceFile {
        path: name.to_string(),
        text: Arc::from(text),
    }]);
    Some((diagnostic, sources))
}

/// What is underlined: all of a key or value on one line; of a value over
/// several lines (an object, a list), the bracket that opens it.
fn shown_span(text: &str, span: Range<usize>) -> Span {
    let end = match text.get(span.clone()) {
        Some(part) => match part.find('\n') {
            Some(_) => span.start + part.chars().next().map_or(0, char::len_utf8),
            None => span.end,
        },
        None => span.end,
    };
    Span::new(0, span.start, end.max(span.start))
}

/// What `icprules check` writes to standard error for an invalid
/// application: every error (up to [`MAX_INPUT_ERRORS`]), in document
/// order, each over the text, in the language of the report (the messages
/// of the format's invariants are the rules'; the reader's own are English).
pub fn invalid_human(
    name: &str,
    text: &str,
    errors: &InputErrors,
    colour: bool,
    lang: Lang,
) -> String {
    let count = errors.count();
    let name = &*crate::terminal::escaped(name);
    let mut out = match (lang, count) {
        (Lang::En, 1) => format!("error: invalid application `{name}`\n"),
        (Lang::En, _) => format!("error: invalid application `{name}`: {count} errors\n"),
        (Lang::Zh, 1) => format!("错误：申请文件 `{name}` 无效\n"),
        (Lang::Zh, _) => format!("错误：申请文件 `{name}` 无效，共 {count} 处错误\n"),
    };
    for error in &errors.errors {
        match invalid_diagnostic(name, text, error, lang) {
            Some((diagnostic, sources)) => out.push_str(&render(&[diagnostic], &sources, colour)),
            None => out.push_str(&format!(
                "  × {}\n",
                crate::terminal::escaped(&error.to_string())
            )),
        }
    }
    if errors.more > 0 {
        out.push_str(&match lang {
            Lang::En => format!(
                "\nand {} more error{} (at most {MAX_INPUT_ERRORS} are shown: fix these and check again)\n",
                errors.more,
                if errors.more == 1 { "" } else { "s" }
            ),
            Lang::Zh => format!(
                "\n另有 {} 处错误（最多显示 {MAX_INPUT_ERRORS} 处：请改正以上错误后再检查）\n",
                errors.more
            ),
        });
    }
    out
}
