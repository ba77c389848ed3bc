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
    #[error("unterminated string")]
    UnterminatedString { span: Span },
    #[error("nesting too deep: more than {limit} levels")]
    TooDeep { span: Span, limit: usize },
}

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
            | SyntaxError::UnterminatedString { span }
            | SyntaxError::TooDeep { span, .. } => *span,
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
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
            SyntaxError::UnterminatedString { .. } => (
                "this string has no closing `\"`".to_string(),
                Some("close it on the same line; write `\\n` for a line break".to_string()),
            ),
            SyntaxError::TooDeep { .. } => (
                "one level too many".to_string(),
                Some(
                    "brackets, quantifiers, operators and field accesses each nest one level: \
                     give a part of the expression a name with `let` or `def`"
                        .to_string(),
                ),
            ),
        };
        Diagnostic::error("syntax", self.to_string(), self.span(), label).with_help(help)
    }
}
