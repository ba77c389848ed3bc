//! Rule text as its author wrote it: expressions sliced out of the file by
//! their spans, and the comments around rules, which the AST does not keep.

use crate::source::Span;

/// The text of an expression as written. The parser leaves the parentheses of
/// a parenthesised operand out of its span (`(a or b) and c` spans from `a`),
/// so the slice is widened until its parentheses balance. Continuation lines
/// lose the indentation of the line the expression starts on.
pub fn expression(text: &str, span: Span) -> String {
    let (start, end) = widened(text, span);
    dedent(&text[..start], &text[start..end])
}

/// The byte range of an expression as written, with the parentheses the
/// parser left out of its span (see [`expression`]).
pub fn widened(text: &str, span: Span) -> (usize, usize) {
    let (mut start, mut end) = (span.start as usize, span.end as usize);
    let (unclosed_before, unclosed_after) = unbalanced(&text[start..end]);
    for _ in 0..unclosed_before {
        let before = text[..start].trim_end();
        if !before.ends_with('(') {
            break;
        }
        start = before.len() - 1;
    }
    for _ in 0..unclosed_after {
        let rest = &text[end..];
        let after = rest.trim_start();
        if !after.starts_with(')') {
            break;
        }
        end += rest.len() - after.len() + 1;
    }
    (start, end)
}

/// How many `)` lack their `(` and how many `(` lack their `)`, outside
/// string literals.
fn unbalanced(slice: &str) -> (usize, usize) {
    let (mut depth, mut lowest) = (0i64, 0i64);
    let mut in_string = false;
    let mut escaped = false;
    for c in slice.chars() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                lowest = lowest.min(depth);
            }
            _ => {}
        }
    }
    ((-lowest) as usize, (depth - lowest) as usize)
}

/// Strips from each continuation line of `slice` the indentation of the line
/// `slice` starts on (`before` is the file's text up to it), so that what is
/// shown starts at column zero and keeps its relative layout.
fn dedent(before: &str, slice: &str) -> String {
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let indent = before[line_start..].len() - before[line_start..].trim_start().len();
    let mut lines = slice.lines();
    let mut out = lines.next().unwrap_or_default().to_string();
    for line in lines {
        let strip = indent.min(line.len() - line.trim_start().len());
        out.push('\n');
        out.push_str(line[strip..].trim_end());
    }
    out
}

/// The comment block a file starts with (the `//` lines before anything
/// else), without the comment markers. It is where rule authors explain a
/// file and what its rules cannot check.
pub fn leading_comment(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .take_while(|l| l.trim_start().starts_with("//"))
        .collect();
    uncomment(&lines)
}

/// The `//` lines directly above the line holding `offset`: the author's note
/// on the item that starts there.
pub fn comment_above(text: &str, offset: usize) -> Option<String> {
    let before = &text[..text[..offset].rfind('\n').map_or(0, |i| i + 1)];
    let mut lines: Vec<&str> = before
        .lines()
        .rev()
        .take_while(|l| l.trim_start().starts_with("//"))
        .collect();
    lines.reverse();
    uncomment(&lines)
}

fn uncomment(lines: &[&str]) -> Option<String> {
    let text: Vec<&str> = lines
        .iter()
        .map(|l| {
            let l = l.trim_start().trim_start_matches("//");
            l.strip_prefix(' ').unwrap_or(l).trim_end()
        })
        .collect();
    let text = text.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span_of(text: &str, part: &str) -> Span {
        let start = text.find(part).expect("part of the text");
        Span::new(0, start, start + part.len())
    }

    #[test]
    fn parentheses_left_out_of_a_span_are_taken_back() {
        let text = "when (a or b) and (c or d)\n";
        assert_eq!(
            expression(text, span_of(text, "a or b) and (c or d")),
            "(a or b) and (c or d)"
        );
        let text = "when not ( x )";
        assert_eq!(expression(text, span_of(text, "not ( x")), "not ( x )");
    }

    #[test]
    fn parentheses_in_strings_do_not_count() {
        let text = r#"when a == "(" and (b)"#;
        assert_eq!(
            expression(text, span_of(text, r#"a == "(" and (b"#)),
            r#"a == "(" and (b)"#
        );
    }

    #[test]
    fn continuation_lines_keep_their_indentation_relative_to_the_first() {
        let text = "  rule r {\n    when a\n      and b\n    require c\n";
        assert_eq!(
            expression(text, span_of(text, "a\n      and b")),
            "a\n  and b"
        );
    }

    #[test]
    fn comments_above_an_item_stop_at_a_blank_line() {
        let text = "// file\n\n// first\n//\n// second\nrule r {}\n";
        let at = text.find("rule").unwrap();
        assert_eq!(comment_above(text, at).as_deref(), Some("first\n\nsecond"));
        assert_eq!(leading_comment(text).as_deref(), Some("file"));
        assert_eq!(comment_above("x\nrule r {}", 2), None);
    }
}
