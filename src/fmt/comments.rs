//! Comments, which the AST does not hold (the grammar's `COMMENT` is silent),
//! and the other gaps between tokens.
//!
//! A `//` inside a string is text, not a comment, so the scan knows where
//! strings are. A message (the string after `message`) may hold `{expression}`
//! holes, and a hole may hold strings and even comments of its own.

use crate::syntax::lexis::{in_message_after, skip_string, skip_template};

/// A comment: `text[start..end]`, from `//` to the end of its line (trailing
/// whitespace left out).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
}

/// Every comment of a rule file, in order.
pub fn comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    // In a message clause, where a string is a message, whose holes are code.
    let mut in_message = false;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let c = comment_at(text, i);
                found.push(c);
                i = c.end;
            }
            b'"' if in_message => {
                // Another language of the message may follow.
                i = skip_message(text, i, &mut found);
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                in_message = false;
            }
            b if is_word_byte(b) => {
                let start = i;
                while i < bytes.len() && is_word_byte(bytes[i]) {
                    i += 1;
                }
                in_message = in_message_after(in_message, &text[start..i]);
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                in_message = false;
                i += 1;
            }
        }
    }
    found
}

/// The position of the first token at or after `pos`: whitespace and
/// comments skipped.
pub fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        if bytes[pos].is_ascii_whitespace() {
            pos += 1;
        } else if bytes[pos] == b'/' && bytes.get(pos + 1) == Some(&b'/') {
            pos = comment_at(text, pos).end;
        } else {
            break;
        }
    }
    pos
}

/// Whether the gap between two tokens holds a blank line.
pub fn has_blank_line(gap: &str) -> bool {
    let mut lines = gap.split('\n');
    lines.next();
    let mut inner: Vec<&str> = lines.collect();
    // The part after the last newline is the start of the next line, not a line.
    inner.pop();
    inner.iter().any(|l| l.trim().is_empty())
}

fn comment_at(text: &str, start: usize) -> Comment {
    let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    Comment {
        start,
        end: start + text[start..line_end].trim_end().len(),
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The position after the message starting at `start` (its `"`); comments in
/// its holes are added to `found`.
fn skip_message(text: &str, start: usize, found: &mut Vec<Comment>) -> usize {
    let mut i = start + 1;
    loop {
        match skip_template(text.as_bytes(), i) {
            (_, Some(hole)) => i = skip_hole(text, hole + 1, found),
            (next, None) => return next,
        }
    }
}

/// The position after the `}` closing a hole whose code starts at `start`.
fn skip_hole(text: &str, start: usize, found: &mut Vec<Comment>) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let c = comment_at(text, i);
                found.push(c);
                i = c.end;
            }
            b'"' => i = skip_string(bytes, i + 1),
            b'{' => {
                depth += 1;
                i += 1;
            }
            b'}' if depth == 0 => return i + 1,
            b'}' => {
                depth -= 1;
                i += 1;
            }
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        comments(text)
            .into_iter()
            .map(|c| &text[c.start..c.end])
            .collect()
    }

    #[test]
    fn slashes_in_strings_and_messages_are_text() {
        let text = "def a = \"http://x\" // one\nrule r {\n  message \"see {f(\"//\")} // and {{//}}\" // two\n}\n";
        assert_eq!(texts(text), ["// one", "// two"]);
    }

    #[test]
    fn a_comment_in_a_hole_is_a_comment() {
        let text = "  message \"a {x // inside\n }\"\n";
        assert_eq!(texts(text), ["// inside"]);
    }

    #[test]
    fn a_string_after_another_word_has_no_holes() {
        // `{` in a plain string opens nothing: the `//` after it is a comment.
        let text = "def a = \"{\" // c\n";
        assert_eq!(texts(text), ["// c"]);
    }

    #[test]
    fn blank_lines_are_lines_of_whitespace_between_newlines() {
        assert!(has_blank_line(" {\n\n  "));
        assert!(has_blank_line("\n  \t\n"));
        assert!(!has_blank_line(" {\n  "));
        assert!(!has_blank_line("  "));
    }
}
