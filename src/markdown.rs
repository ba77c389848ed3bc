//! Pieces of Markdown that hold text from rule files and applications, which
//! may hold anything: backticks, `|`, `<`, HTML. Each piece shows the text
//! as written and cannot end the construct around it.

/// The longest run of backticks in `text`.
fn longest_backticks(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Inline code on one line, fenced by more backticks than any run inside it
/// (a run as long as the fence would close it).
pub fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = longest_backticks(&text);
    if longest == 0 {
        return format!("`{text}`");
    }
    let fence = "`".repeat(longest + 1);
    // The spaces keep a backtick at either end apart from the fence; a
    // renderer strips one on each side.
    format!("{fence} {text} {fence}")
}

/// Text on one line, read as written: every character that could start
/// markup (emphasis, a link, HTML, a code span, a table cell) escaped.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text for a table cell: `|` does not end the cell (inline code included,
/// where GitHub still splits on a bare `|`).
pub fn cell(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut escaped = false;
    for c in markdown.chars() {
        if c == '|' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

/// The fence of a code block holding `lines`: longer than any run of
/// backticks in them, at least three.
pub fn fence<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let longest = lines.into_iter().map(longest_backticks).max().unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_is_fenced_by_more_backticks_than_it_holds() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a `b`"), "`` a `b` ``");
        assert_eq!(code("``99``"), "``` ``99`` ```");
        assert_eq!(code("a\nb"), "`a b`");
    }

    #[test]
    fn text_escapes_markup_and_html() {
        assert_eq!(
            text("</details> *x* | `y`"),
            "\\<\\/details\\> \\*x\\* \\| \\`y\\`".replace("\\/", "/")
        );
    }

    #[test]
    fn cells_escape_bare_pipes_only() {
        assert_eq!(cell("`a|b`"), "`a\\|b`");
        assert_eq!(cell("a \\| b"), "a \\| b");
    }

    #[test]
    fn fences_outgrow_their_content() {
        assert_eq!(fence(["a", "b"]), "```");
        assert_eq!(fence(["a ``` b"]), "````");
    }
}
