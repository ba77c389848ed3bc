//! Formatting, by `icprules fmt`: the edits that turn the editor's text
//! into the formatted one, line by line, so that the cursor and the marks
//! on unchanged lines stay where they are.

use super::Edit;
use crate::lsp::snapshot::Snapshot;
use crate::source::{FileId, Span};

/// The edits that format a file, or why it cannot be formatted.
pub fn format(snapshot: &Snapshot, file: FileId) -> Result<Vec<Edit>, String> {
    let text = snapshot.text(file);
    let formatted = crate::fmt::format_source(text).map_err(|errors| {
        format!(
            "`{}` has {} syntax error{}: it was not formatted",
            snapshot.sources.file(file).path,
            errors.len(),
            if errors.len() == 1 { "" } else { "s" }
        )
    })?;
    Ok(line_edits(file, text, &formatted))
}

/// Replacements of whole lines that turn `old` into `new`.
fn line_edits(file: FileId, old: &str, new: &str) -> Vec<Edit> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut starts = vec![0];
    for line in diff.old_slices() {
        starts.push(starts.last().copied().unwrap_or(0) + line.len());
    }
    let new_lines = diff.new_slices();
    diff.ops()
        .iter()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .map(|op| {
            let (old_range, new_range) = (op.old_range(), op.new_range());
            Edit {
                span: Span::new(file, starts[old_range.start], starts[old_range.end]),
                text: new_lines[new_range].concat(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, edits: &[Edit]) -> String {
        let mut out = old.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.span.range(), &e.text);
        }
        out
    }

    #[test]
    fn line_edits_turn_one_text_into_the_other() {
        for (old, new) in [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("a\nb\n", "a\nb\nc\n"),
            ("a\nb\nc", "c"),
            ("", "x\n"),
            ("x  \ny", "x\ny\n"),
        ] {
            let edits = line_edits(0, old, new);
            assert_eq!(apply(old, &edits), new, "{old:?} -> {new:?}");
        }
        assert!(line_edits(0, "same\n", "same\n").is_empty());
    }
}
