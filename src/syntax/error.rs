//! Syntax errors.

use thiserror::Error;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::Span;

#[derive(Clone, Debug, Error, PartialEq)]
pub enum SyntaxError {
    #[error("unexpected {found}: expected {}", expected_list(.expected))]
    Unexpected {
        span: Span,
        found: String,
        expected: Vec<String>,
        /// The word found, for "did you mean".
        word: Option<String>,
    },
    #[error("a {kind} has only one `{clause}`")]
    DuplicateClause {
        span: Span,
        clause: &'static str,
        kind: &'static str,
    },
    #[error("`{clause}` does not belong in a {kind}")]
    MisplacedClause {
        span: Span,
        clause: &'static str,
        kind: &'static str,
        help: &'static str,
    },
    #[error("the number `{text}` is too large")]
    IntTooLarge { span: Span, text: String },
    #[error("`{text}` is not a date")]
    BadDate {
        span: Span,
        text: String,
        help: String,
    },
    /// `span` is the value after the missing comma.
    #[error("expected `,` between the enum values `{before}` and `{after}`")]
    MissingComma {
        span: Span,
        before: String,
        after: String,
    },
    #[error("unterminated string")]
    UnterminatedString { span: Span },
    #[error("nesting too deep: more than {limit} levels")]
    TooDeep { span: Span, limit: usize },
    /// A `{` whose `}` is missing: `span` is the `{`, `missing` the first
    /// thing after the block (or the file's last character, `at_end`).
    #[error("{what} is not closed")]
    Unclosed {
        span: Span,
        what: String,
        missing: Span,
        at_end: bool,
    },
    #[error("unknown escape `\\{found}` in a string")]
    UnknownEscape { span: Span, found: char },
    #[error("a lone `{brace}` in a message")]
    LoneBrace { span: Span, brace: char },
    /// An error inside the `{...}` of a message, which may have been meant
    /// as text.
    #[error("{inner}")]
    InMessageHole { inner: Box<SyntaxError> },
}

const HOLE_HELP: &str = "`{...}` in a message shows the value of an expression: write `{{` and `}}` for braces in the text";

fn expected_list(expected: &[String]) -> String {
    match expected {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

impl SyntaxError {
    pub fn span(&self) -> Span {
        match self {
            SyntaxError::Unexpected { span, .. }
            | SyntaxError::DuplicateClause { span, .. }
            | SyntaxError::MisplacedClause { span, .. }
            | SyntaxError::IntTooLarge { span, .. }
            | SyntaxError::BadDate { span, .. }
            | SyntaxError::UnterminatedString { span }
            | SyntaxError::MissingComma { span, .. }
            | SyntaxError::TooDeep { span, .. }
            | SyntaxError::Unclosed { span, .. }
            | SyntaxError::LoneBrace { span, .. }
            | SyntaxError::UnknownEscape { span, .. } => *span,
            SyntaxError::InMessageHole { inner } => inner.span(),
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        if let SyntaxError::InMessageHole { inner } = self {
            let diagnostic = inner.to_diagnostic();
            let help = match &diagnostic.help {
                Some(help) => format!("{help}; {HOLE_HELP}"),
                None => HOLE_HELP.to_string(),
            };
            return diagnostic.with_help(Some(help));
        }
        let (label, help) = match self {
            SyntaxError::Unexpected { expected, word, .. } => {
                let keywords = expected
                    .iter()
                    .filter_map(|e| e.strip_prefix('`').and_then(|e| e.strip_suffix('`')));
                let help = word.as_deref().and_then(|w| did_you_mean(w, keywords));
                ("unexpected here".to_string(), help)
            }
            SyntaxError::DuplicateClause { clause, .. } => (
                format!("second `{clause}`"),
                Some(match *clause {
                    "when" | "require" => {
                        format!("keep one `{clause}`; join the conditions with `and`")
                    }
                    "for" => "give every binder in one `for`: `for x in xs, y in x.ys`".to_string(),
                    _ => format!("keep one `{clause}`"),
                }),
            ),
            SyntaxError::MisplacedClause { help, .. } => {
                ("here".to_string(), Some(help.to_string()))
            }
            SyntaxError::IntTooLarge { .. } => ("too large".to_string(), None),
            SyntaxError::BadDate { help, .. } => ("no such day".to_string(), Some(help.clone())),
            SyntaxError::MissingComma { before, .. } => (
                "a new value, with no `,` before it".to_string(),
                Some(format!("add a `,` after `{before}` and its labels")),
            ),
            SyntaxError::UnterminatedString { .. } => (
                "this string has no closing `\"`".to_string(),
                Some("close it on the same line; write `\\n` for a line break".to_string()),
            ),
            SyntaxError::Unclosed { at_end, .. } => (
                "opened here, never closed".to_string(),
                Some(if *at_end {
                    "add the `}` that closes it at the end of the file".to_string()
                } else {
                    "add the `}` that closes it before what follows it".to_string()
                }),
            ),
            SyntaxError::LoneBrace { brace: '{', .. } => (
                "no `}` ends this `{`".to_string(),
                Some("write `{{` for a `{` in the text; `{expression}` shows a value".to_string()),
            ),
            SyntaxError::LoneBrace { .. } => (
                "no `{` opens this `}`".to_string(),
                Some("write `}}` for a `}` in the text".to_string()),
            ),
            SyntaxError::UnknownEscape { .. } => (
                "not an escape".to_string(),
                Some(
                    "the escapes are `\\n` (line break), `\\t` (tab), `\\\"`, `\\\\`, `\\{` and \
                     `\\}`; other characters are written as they are"
                        .to_string(),
                ),
            ),
            SyntaxError::InMessageHole { .. } => unreachable!("handled above"),
            SyntaxError::TooDeep { .. } => (
                "one level too many".to_string(),
                Some(
                    "brackets, quantifiers, operators and field accesses each nest one level: \
                     give a part of the expression a name with `let` or `def`"
                        .to_string(),
                ),
            ),
        };
        let diagnostic =
            Diagnostic::error("syntax", self.to_string(), self.span(), label).with_help(help);
        match self {
            SyntaxError::Unclosed {
                missing, at_end, ..
            } => diagnostic.with_related(
                *missing,
                if *at_end {
                    "the file ends here"
                } else {
                    "`}` missing before this"
                },
            ),
            _ => diagnostic,
        }
    }
}
