//! Braces that do not match, found on the text when a file does not parse.
//!
//! A `}` left out of a rule makes the parser fail far below it (at the next
//! rule or group, or at the end of the file), where the text is fine. This
//! scan says which block is not closed and points at where it opened, by
//! the layout every formatted file has: a block's `}` is indented as the
//! line that opened it. It also finds a lone `{` or `}` in a message, which
//! the parser reads as the start of a `{expression}` hole.

use super::error::SyntaxError;
use super::lexis::{skip_line, skip_string, skip_template};
use crate::source::{FileId, Span};

/// What a `{` that opens no item is called.
const ANONYMOUS: &str = "this `{`";

/// An open `{` in code.
struct Open {
    at: usize,
    /// The indentation of the line its item starts on.
    indent: usize,
    /// What it opens, as an error names it.
    what: String,
}

/// The most brace errors a file gets: a file of stray braces is one error
/// said many times.
const MAX_ERRORS: usize = 20;

/// How many lines a header (`when` and its condition) may span.
const MAX_HEADER_LINES: usize = 50;

/// What the scan finds.
pub struct Braces {
    /// The blocks not closed and the lone braces of messages, in text order.
    pub errors: Vec<SyntaxError>,
    /// The `{...}` holes of messages: byte ranges, braces included.
    pub holes: Vec<(usize, usize)>,
}

/// Scans a rule file for braces that do not match.
pub fn scan(text: &str, file: FileId) -> Braces {
    let bytes = text.as_bytes();
    let mut open: Vec<Open> = Vec::new();
    let mut errors = Vec::new();
    let mut holes = Vec::new();
    // Blocks found not closed at once (by one `}`, or at the end of the
    // file), innermost first: each item, and of the other braces (a run of
    // `{{{{` typed by mistake) only the first.
    let unclosed = |blocks: Vec<Open>, errors: &mut Vec<SyntaxError>| {
        let mut anonymous = false;
        for o in blocks {
            if o.what == ANONYMOUS {
                if anonymous {
                    continue;
                }
                anonymous = true;
            }
            if errors.len() >= MAX_ERRORS {
                return;
            }
            let (missing, at_end) = missing_at(text, o.at, o.indent);
            errors.push(SyntaxError::Unclosed {
                span: Span::new(file, o.at, o.at + 1),
                what: o.what,
                missing: Span::new(file, missing.0, missing.1),
                at_end,
            });
        }
    };
    let mut last_word = "";
    // The line being read: where it starts, whether nothing but blanks
    // came before on it, and where its item starts (once known).
    let mut line_start = 0;
    let mut blank_so_far = true;
    let mut item: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            line_start = i + 1;
            blank_so_far = true;
            item = None;
            i += 1;
            continue;
        }
        let first_on_line = blank_so_far && !b.is_ascii_whitespace();
        if !b.is_ascii_whitespace() {
            blank_so_far = false;
        }
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = skip_line(bytes, i);
                continue;
            }
            b'"' if last_word == "message" => {
                i = message(bytes, i + 1, file, &mut errors, &mut holes);
                last_word = "";
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                last_word = "";
                continue;
            }
            b'{' => {
                let (start, indent) = *item.get_or_insert_with(|| {
                    let start = item_start(text, line_start);
                    let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
                    (start, indentation(&text[start..line_end]))
                });
                // Its keyword and name are at the start.
                let mut end = i.min(start + 200);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let what = describe(&text[start..end], &open);
                open.push(Open {
                    at: i,
                    indent,
                    what,
                });
            }
            b'}' => {
                if first_on_line {
                    // The `}` a line starts with closes the block opened at
                    // its indentation; blocks opened deeper are not closed.
                    let indent = i - line_start;
                    let mut blocks = Vec::new();
                    while open.last().is_some_and(|o| o.indent > indent) {
                        blocks.extend(open.pop());
                    }
                    unclosed(blocks, &mut errors);
                }
                open.pop();
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                last_word = &text[start..i];
                continue;
            }
            b if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        last_word = "";
        i += 1;
    }
    open.reverse();
    unclosed(open, &mut errors);
    errors.sort_by_key(|e| e.span().start);
    errors.truncate(MAX_ERRORS);
    Braces { errors, holes }
}

/// Reads a message from `from` (past its opening quote) to its end; reports
/// its lone braces. Returns where to go on.
fn message(
    bytes: &[u8],
    mut from: usize,
    file: FileId,
    errors: &mut Vec<SyntaxError>,
    holes: &mut Vec<(usize, usize)>,
) -> usize {
    loop {
        let (next, hole) = skip_template(bytes, from);
        let text_end = hole.unwrap_or(next);
        lone_closing(bytes, from, text_end, file, errors);
        let Some(hole) = hole else {
            return next;
        };
        match hole_end(bytes, hole + 1) {
            Some(end) => {
                holes.push((hole, end + 1));
                from = end + 1;
            }
            None => {
                if errors.len() < MAX_ERRORS {
                    errors.push(SyntaxError::LoneBrace {
                        span: Span::new(file, hole, hole + 1),
                        brace: '{',
                    });
                }
                // The rest of the line is what the message meant as text.
                return skip_string(bytes, hole + 1);
            }
        }
    }
}

/// Reports each `}` of message text that is not half of a `}}`.
fn lone_closing(bytes: &[u8], from: usize, to: usize, file: FileId, errors: &mut Vec<SyntaxError>) {
    let mut i = from;
    while i < to {
        match bytes[i] {
            b'\\' => i += 1,
            b'}' if bytes.get(i + 1) == Some(&b'}') => i += 1,
            b'}' if errors.len() < MAX_ERRORS => errors.push(SyntaxError::LoneBrace {
                span: Span::new(file, i, i + 1),
                brace: '}',
            }),
            _ => {}
        }
        i += 1;
    }
}

/// The `}` that ends the hole whose expression starts at `from`, if one
/// does on the same line. A quote that opens no string closed on the line
/// is the message's own: the `{` opened no hole.
fn hole_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = from;
    while i < bytes.len() && bytes[i] != b'\n' {
        match bytes[i] {
            b'"' => {
                let end = skip_string(bytes, i + 1);
                if bytes.get(end - 1) != Some(&b'"') || end == i + 1 {
                    return None;
                }
                i = end;
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'}' if depth == 0 => return Some(i),
            b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The indentation of a line.
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The lines of `text` before `at`, last first, with where each starts.
fn lines_before(text: &str, at: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut end = text[..at].rfind('\n');
    std::iter::from_fn(move || {
        let stop = end?;
        let start = text[..stop].rfind('\n').map_or(0, |n| n + 1);
        end = start.checked_sub(1);
        Some((start, &text[start..stop]))
    })
}

/// Where the item whose `{` is on the line starting at `line` starts: that
/// line, or the item's first line when the `{` ends a condition or header
/// written over several lines (those continue deeper than the line they
/// continue).
fn item_start(text: &str, line: usize) -> usize {
    let line_end = text[line..].find('\n').map_or(text.len(), |n| line + n);
    let mut start = line;
    let mut indent = indentation(&text[line..line_end]);
    for (line_start, line) in lines_before(text, start).take(MAX_HEADER_LINES) {
        let code = line.trim();
        if code.is_empty()
            || code.starts_with("//")
            || code.ends_with('{')
            || code.ends_with('}')
            || indentation(line) >= indent
        {
            break;
        }
        start = line_start;
        indent = indentation(line);
    }
    start
}

/// Where the `}` of a block opened at `at` (its item indented by `indent`)
/// is missing: before the first line after it indented no deeper than the
/// item, or at the end of the file (`true`).
fn missing_at(text: &str, at: usize, indent: usize) -> ((usize, usize), bool) {
    let mut line_start = text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |n| line_start + n);
        let line = &text[line_start..line_end];
        let code = line.trim();
        if !code.is_empty() && !code.starts_with("//") && indentation(line) <= indent {
            let start = line_start + indentation(line);
            let word = code
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(code.len())
                .max(code.chars().next().map_or(0, char::len_utf8));
            return ((start, start + word), false);
        }
        line_start = line_end + 1;
    }
    // The last character of the file.
    let trimmed = text.trim_end();
    let last = trimmed.chars().next_back().map_or(0, char::len_utf8);
    ((trimmed.len() - last, trimmed.len()), true)
}

/// The first word of a text (after blanks), and the rest.
fn first_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(text.len());
    text.split_at(end)
}

/// What a `{` after `header` (its item's text up to it) opens: "the rule
/// `beijing.x`", "the `when` group".
fn describe(header: &str, open: &[Open]) -> String {
    let (keyword, rest) = first_word(header);
    const KEYWORDS: [&str; 9] = [
        "ruleset",
        "rule",
        "document",
        "invariant",
        "record",
        "enum",
        "when",
        "uploads",
        "sections",
    ];
    if !KEYWORDS.contains(&keyword) {
        return ANONYMOUS.to_string();
    }
    let (name, _) = first_word(rest);
    // The name of the rule set it is in (a top-level item), for the ids of
    // rules.
    let ruleset = open.first().and_then(|o| {
        o.what
            .strip_prefix("the rule set `")
            .and_then(|w| w.strip_suffix('`'))
    });
    let id = match ruleset {
        Some(ruleset) => format!("{ruleset}.{name}"),
        None => name.to_string(),
    };
    match keyword {
        "ruleset" => format!("the rule set `{name}`"),
        "rule" => format!("the rule `{id}`"),
        "document" => format!("the document requirement `{id}`"),
        "invariant" => format!("the invariant `{name}`"),
        "record" => format!("the record `{name}`"),
        "enum" => format!("the enum `{name}`"),
        "when" => "the `when` group".to_string(),
        "uploads" | "sections" => format!("the `{keyword}` declaration"),
        _ => ANONYMOUS.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unclosed(text: &str) -> Vec<(String, String, String)> {
        scan(text, 0)
            .errors
            .into_iter()
            .filter_map(|e| match e {
                SyntaxError::Unclosed {
                    span,
                    what,
                    missing,
                    ..
                } => Some((
                    what,
                    text[span.range()].to_string(),
                    text[missing.range()].to_string(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_rule_without_its_brace_is_found_by_the_layout() {
        let text =
            "ruleset r {\n  rule a {\n    require x\n\n  when y {\n    rule b {\n    }\n  }\n}\n";
        assert_eq!(
            unclosed(text),
            [("the rule `r.a`".into(), "{".into(), "when".into())]
        );
    }

    #[test]
    fn a_file_without_its_last_brace_ends_unclosed() {
        let text = "ruleset r {\n  rule a {\n    require x\n  }\n";
        assert_eq!(
            unclosed(text),
            [("the rule set `r`".into(), "{".into(), "}".into())]
        );
    }

    #[test]
    fn a_condition_over_several_lines_belongs_to_its_first_line() {
        let text = "ruleset r {\n  when a\n      and b {\n    rule c {\n    }\n  }\n}\n";
        assert_eq!(unclosed(text), []);
    }

    #[test]
    fn braces_in_strings_comments_and_holes_do_not_count() {
        let text =
            "ruleset r { // {\n  rule a {\n    source \"{\"\n    message \"{x} {{ }}\"\n  }\n}\n";
        assert!(
            scan(text, 0).errors.is_empty(),
            "{:?}",
            scan(text, 0).errors
        );
    }

    #[test]
    fn a_lone_brace_in_a_message_is_found() {
        let text = "rule a {\n  message \"name {is empty\"\n  message \"a } b {c}\"\n}\n";
        let lone: Vec<&str> = scan(text, 0)
            .errors
            .iter()
            .map(|e| match e {
                SyntaxError::LoneBrace { span, .. } => &text[span.range()],
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(lone, ["{", "}"]);
    }

    #[test]
    fn long_runs_of_braces_take_linear_time() {
        // Each would take minutes if a brace looked back over its line.
        let n = 200_000;
        for text in [
            "{".repeat(n),
            "}".repeat(n),
            format!("rule a {{ message \"{}\" }}", "}".repeat(n)),
            format!("rule a {{ message \"{}\" }}", "{".repeat(n)),
            (0..2_000)
                .map(|i| format!("{}x\n", " ".repeat(2_000 - i)))
                .collect::<String>()
                + &"{".repeat(n),
        ] {
            assert!(scan(&text, 0).errors.len() <= MAX_ERRORS);
        }
    }
}
