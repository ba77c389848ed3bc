//! The nesting limit of rule files, checked on the text before pest sees it.
//!
//! pest's generated parser, the AST builder, the checker and the evaluator
//! all recurse once per level of nesting, so a file with thousands of nested
//! brackets or quantifiers would overflow the stack instead of giving an
//! error. This scan finds the first place where the nesting goes past
//! [`MAX_NESTING`] without recursing itself.

use super::error::SyntaxError;
use super::lexis::{in_message_after, skip_line, skip_string, skip_template};
use crate::source::{FileId, Span};

/// How deeply brackets (`(`, `[`, `{`, message holes) and quantifiers
/// (`all`, `any`, `none`) may nest in a rule file, counted together. The
/// AST builder applies the same limit to the expression tree, where each
/// operator and field access counts too. Real rules nest less than ten
/// levels; at this limit the deepest expression still checks and evaluates
/// on a 2 MiB thread in a debug build.
pub const MAX_NESTING: usize = 64;

/// Words after which an expression that a quantifier's body could extend
/// into has ended: clause, item and declaration keywords.
const EXPRESSION_ENDS: &[&str] = &[
    "when",
    "require",
    "requires",
    "let",
    "at",
    "message",
    "for",
    "where",
    "severity",
    "source",
    "def",
    "import",
    "input",
    "report",
    "uploads",
    "enum",
    "record",
    "invariant",
    "ruleset",
    "rule",
    "document",
];

enum Open {
    /// A bracket in code, with the depth before it opened.
    Bracket(usize),
    /// A `{expression}` hole of a message, with the depth before it opened.
    Hole(usize),
}

/// Reads message text from `from` to its next `{expression}` hole, which it
/// opens, or to its closing quote. Returns where to go on and whether the
/// message ended, or the hole that nests too deep.
fn enter_template(
    bytes: &[u8],
    from: usize,
    open: &mut Vec<Open>,
    depth: &mut usize,
) -> Result<(usize, bool), usize> {
    let (next, hole) = skip_template(bytes, from);
    if let Some(hole) = hole {
        open.push(Open::Hole(*depth));
        *depth += 1;
        if *depth > MAX_NESTING {
            return Err(hole);
        }
    }
    Ok((next, hole.is_none()))
}

/// The first place where `text` nests deeper than [`MAX_NESTING`], as a
/// syntax error at the bracket or quantifier that goes past it.
pub fn check_nesting(text: &str, file: FileId) -> Option<SyntaxError> {
    let bytes = text.as_bytes();
    let mut open: Vec<Open> = Vec::new();
    // Brackets open plus quantifiers since the enclosing bracket opened or
    // the expression began.
    let mut depth = 0usize;
    // In a message clause, where the next string is a message.
    let mut in_message = false;
    let mut i = 0;
    let too_deep = |start: usize, end: usize| {
        Some(SyntaxError::TooDeep {
            span: Span::new(file, start, end),
            limit: MAX_NESTING,
        })
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = skip_line(bytes, i);
                continue;
            }
            b'"' if in_message => {
                // A message template: text with `{expression}` holes.
                match enter_template(bytes, i + 1, &mut open, &mut depth) {
                    Ok((next, ended)) => {
                        i = next;
                        in_message = ended;
                    }
                    Err(hole) => return too_deep(hole, hole + 1),
                }
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                continue;
            }
            b'(' | b'[' | b'{' => {
                open.push(Open::Bracket(depth));
                depth += 1;
                if depth > MAX_NESTING {
                    return too_deep(i, i + 1);
                }
            }
            b')' | b']' | b'}' => match open.pop() {
                Some(Open::Bracket(before)) => depth = before,
                Some(Open::Hole(before)) => {
                    // Back in the message text after the hole.
                    depth = before;
                    match enter_template(bytes, i + 1, &mut open, &mut depth) {
                        Ok((next, ended)) => {
                            i = next;
                            // Another language of the message may follow.
                            in_message = ended;
                        }
                        Err(hole) => return too_deep(hole, hole + 1),
                    }
                    continue;
                }
                // An unmatched closing bracket is the parser's to report.
                None => depth = 0,
            },
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let word = &text[start..i];
                if matches!(word, "all" | "any" | "none") {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return too_deep(start, i);
                    }
                } else if EXPRESSION_ENDS.contains(&word) {
                    depth = match open.last() {
                        Some(Open::Bracket(before) | Open::Hole(before)) => before + 1,
                        None => 0,
                    };
                }
                in_message = in_message_after(in_message, word);
                continue;
            }
            _ if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        in_message = false;
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, close: &str, levels: usize) -> String {
        format!(
            "def x = {}true{}",
            open.repeat(levels),
            close.repeat(levels)
        )
    }

    #[test]
    fn brackets_up_to_the_limit_pass() {
        assert_eq!(check_nesting(&nested("(", ")", MAX_NESTING), 0), None);
        assert_eq!(check_nesting(&nested("[", "]", MAX_NESTING), 0), None);
    }

    #[test]
    fn one_bracket_past_the_limit_is_reported_there() {
        let text = nested("(", ")", MAX_NESTING + 1);
        let error = check_nesting(&text, 0).expect("too deep");
        let at = "def x = ".len() + MAX_NESTING;
        assert_eq!(error.span().range(), at..at + 1);
    }

    #[test]
    fn quantifiers_count_until_the_expression_ends() {
        let chain = "all x in xs: ".repeat(MAX_NESTING + 1);
        assert!(check_nesting(&format!("def x = {chain}true"), 0).is_some());
        // Each `def` starts a new expression.
        let defs = "def x = all y in ys: true\n".repeat(MAX_NESTING + 1);
        assert_eq!(check_nesting(&defs, 0), None);
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let text = format!("def x = \"{}\" // {}\n", "(".repeat(100), "(".repeat(100));
        assert_eq!(check_nesting(&text, 0), None);
    }

    #[test]
    fn holes_of_messages_count() {
        let deep = format!("{}x{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        let text = format!("rule a {{ message \"a {{{deep}}} b\" }}");
        assert!(check_nesting(&text, 0).is_some());
        let text = format!("rule a {{ message \"a {{{{ {deep} }}}} b\" }}");
        assert_eq!(check_nesting(&text, 0), None, "`{{{{` is a literal brace");
    }

    #[test]
    fn holes_of_every_language_of_a_message_count() {
        let deep = format!("{}x{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        let text = format!("rule a {{ message zh \"甲 {{x}}\" en \"a {{{deep}}} b\" }}");
        assert!(check_nesting(&text, 0).is_some());
        // A string in a hole of the first text does not end the message.
        let text = format!("rule a {{ message zh \"{{f(\"(\")}}\" en \"{{{deep}}}\" }}");
        assert!(check_nesting(&text, 0).is_some());
    }
}
