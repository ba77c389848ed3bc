//! Text from applications and rule files, made safe to show on a terminal.
//!
//! A value can hold a line break (a forged `accept` line), an escape
//! sequence (a cleared screen, a changed window title) or a bidirectional
//! override (text shown in another order than it is): shown raw, it would
//! let an application or a rule file write what the report seems to say.
//! Every such character is shown escaped as Rust writes it (`\n`, `\u{1b}`);
//! JSON output escapes by itself and is left as it is.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as it is: C0 and C1 controls, DEL,
/// the bidirectional embeddings, overrides, isolates and marks (which move
/// the text around them), and the line and paragraph separators.
pub fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// `text` with every character unsafe on a terminal escaped; borrowed when
/// there is none (nearly always).
pub fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if unsafe_char(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escaped`] for text made of lines: each line escaped, the line ends
/// kept (plain-text reports whose only control characters are their line
/// ends).
pub fn escaped_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && unsafe_char(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(escaped).collect();
    Cow::Owned(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::escaped;

    #[test]
    fn controls_are_escaped_and_the_rest_is_kept() {
        assert_eq!(escaped("北京 ok"), "北京 ok");
        assert!(matches!(escaped("plain"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(escaped("a\nb\r\tc"), "a\\nb\\r\\tc");
        assert_eq!(escaped("\u{1b}[2J"), "\\u{1b}[2J");
        // An OSC title sequence ended by BEL, a C1 control, DEL.
        assert_eq!(
            escaped("\u{1b}]0;x\u{7}\u{9b}\u{7f}"),
            "\\u{1b}]0;x\\u{7}\\u{9b}\\u{7f}"
        );
        assert_eq!(escaped("a\u{202e}b"), "a\\u{202e}b");
        // Bidirectional marks and the Unicode line separators.
        assert_eq!(
            escaped("\u{200f}\u{61c}a\u{2028}b\u{2029}"),
            "\\u{200f}\\u{61c}a\\u{2028}b\\u{2029}"
        );
    }

    #[test]
    fn lines_keep_their_ends() {
        use super::escaped_lines;
        assert_eq!(escaped_lines("a\nb\n"), "a\nb\n");
        assert_eq!(escaped_lines("a\u{1b}[2J\nb\r\n"), "a\\u{1b}[2J\nb\\r\n");
    }
}
