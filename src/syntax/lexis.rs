//! The few lexical facts that scans of rule text need before (or without)
//! the parser: where a comment, a string and a message's text end. Shared by
//! the nesting scan and the formatter's comment scan, so that both read the
//! text as the grammar does.

/// The index of the next line's start (or the end).
pub(crate) fn skip_line(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' {
        i += 1;
    }
    i
}

/// Past a plain string whose text starts at `i`: to its closing quote, or to
/// the end of the line for an unterminated one (as the grammar reads it).
pub(crate) fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    i.min(bytes.len())
}

/// Reads message text from `i` to its end or to the next `{` of a hole.
/// Returns where to go on and, when a hole opens, the index of its `{`.
pub(crate) fn skip_template(bytes: &[u8], mut i: usize) -> (usize, Option<usize>) {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => i += 2,
            b'{' => return (i + 1, Some(i)),
            b'"' => return (i + 1, None),
            b'\n' => return (i, None),
            _ => i += 1,
        }
    }
    (i.min(bytes.len()), None)
}

/// Whether the scan is in a message clause after the word `word`: a string
/// right after `message`, or after a language in it (`message zh "…" en
/// "…"`), is a message, whose holes are code. `in_message` is whether it was
/// before the word.
pub(crate) fn in_message_after(in_message: bool, word: &str) -> bool {
    word == "message" || (in_message && matches!(word, "zh" | "en"))
}
