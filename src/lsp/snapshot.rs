//! A rule set as the editor shows it, analysed: what the engine answers
//! from.
//!
//! While a file has syntax errors, the analysis keeps the last text of it
//! that had none (the last good analysis), so that hover, completion and the
//! other files' diagnostics go on as they were; the editor's text differs
//! from the checked one in the region being typed. [`Shift`] maps offsets
//! between the two: before and after that region they correspond exactly.

use std::path::PathBuf;
use std::sync::Arc;

use crate::check::Analysis;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, LineIndex, Sources, Span};

pub struct Snapshot {
    /// The folder of the rule set (or the file itself, for a file that
    /// belongs to no rule set).
    pub root: PathBuf,
    /// The texts checked: each file's text in the editor, or for a file with
    /// syntax errors the last text of it that had none.
    pub sources: Sources,
    pub analysis: Analysis,
    /// By file id.
    pub files: Vec<FileView>,
    /// The rows of the coverage table, if one was found: (section, bullet,
    /// rule ids).
    pub coverage: Vec<(String, String, Vec<String>)>,
    /// Where the rule test cases are (`tests/cases`), if found.
    pub cases: Option<PathBuf>,
    /// Lints not to report.
    pub allow: Vec<String>,
}

/// One file as the editor shows it.
pub struct FileView {
    /// Absolute.
    pub path: PathBuf,
    pub text: Arc<str>,
    pub lines: LineIndex,
    /// The syntax errors of `text`.
    pub syntax_errors: Vec<Diagnostic>,
    /// Where `text` differs from the checked text; `None` when they are the
    /// same.
    pub shift: Option<Shift>,
}

/// The editor's text is the checked text with `checked[start..checked_end]`
/// replaced by `text[start..current_end]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shift {
    pub start: usize,
    pub checked_end: usize,
    pub current_end: usize,
}

impl Shift {
    /// The smallest region that differs between two texts, by their common
    /// prefix and suffix (on character boundaries).
    pub fn between(checked: &str, current: &str) -> Option<Shift> {
        if checked == current {
            return None;
        }
        let mut start = checked
            .bytes()
            .zip(current.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        while !checked.is_char_boundary(start) || !current.is_char_boundary(start) {
            start -= 1;
        }
        let longest = checked.len().min(current.len()) - start;
        let mut suffix = checked
            .bytes()
            .rev()
            .zip(current.bytes().rev())
            .take(longest)
            .take_while(|(a, b)| a == b)
            .count();
        while !checked.is_char_boundary(checked.len() - suffix)
            || !current.is_char_boundary(current.len() - suffix)
        {
            suffix -= 1;
        }
        Some(Shift {
            start,
            checked_end: checked.len() - suffix,
            current_end: current.len() - suffix,
        })
    }

    /// An offset of the editor's text in the checked text; inside the
    /// changed region, the region's start.
    pub fn to_checked(self, offset: usize) -> usize {
        if offset <= self.start {
            offset
        } else if offset >= self.current_end {
            offset - self.current_end + self.checked_end
        } else {
            self.start
        }
    }

    /// An offset of the checked text in the editor's text; inside the
    /// changed region, the region's start.
    pub fn to_current(self, offset: usize) -> usize {
        if offset <= self.start {
            offset
        } else if offset >= self.checked_end {
            offset - self.checked_end + self.current_end
        } else {
            self.start
        }
    }
}

impl Snapshot {
    pub fn file(&self, id: FileId) -> &FileView {
        &self.files[id as usize]
    }

    /// The file of an absolute path.
    pub fn file_id(&self, path: &std::path::Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| i as FileId)
    }

    /// The editor's text of a file.
    pub fn text(&self, id: FileId) -> &str {
        &self.files[id as usize].text
    }

    /// The text the analysis checked.
    pub fn checked_text(&self, id: FileId) -> &str {
        &self.sources.file(id).text
    }

    /// An offset of the editor's text as an offset of the checked text.
    pub fn to_checked(&self, file: FileId, offset: usize) -> usize {
        match self.files[file as usize].shift {
            Some(shift) => shift.to_checked(offset),
            None => offset,
        }
    }

    /// A span of the checked text as a span of the editor's text.
    pub fn to_current(&self, span: Span) -> Span {
        match self.files[span.file as usize].shift {
            Some(shift) => Span::new(
                span.file,
                shift.to_current(span.start as usize),
                shift.to_current(span.end as usize),
            ),
            None => span,
        }
    }

    /// The diagnostics of a file, over the editor's text: its syntax errors
    /// if it has some, else what the analysis found in it.
    pub fn diagnostics(&self, file: FileId) -> Vec<&Diagnostic> {
        let view = &self.files[file as usize];
        if !view.syntax_errors.is_empty() {
            return view.syntax_errors.iter().collect();
        }
        self.analysis
            .diagnostics
            .iter()
            .filter(|d| d.span.file == file && !self.allow.iter().any(|a| a == d.code))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shift_maps_around_the_changed_region() {
        let checked = "rule a {\n  require x\n}\n";
        let current = "rule a {\n  require x.\n}\n";
        let shift = Shift::between(checked, current).expect("differs");
        let dot = current.find('.').unwrap();
        assert_eq!(
            shift,
            Shift {
                start: dot,
                checked_end: dot,
                current_end: dot + 1
            }
        );
        let brace = current.rfind('}').unwrap();
        assert_eq!(shift.to_checked(brace), checked.rfind('}').unwrap());
        assert_eq!(shift.to_current(checked.rfind('}').unwrap()), brace);
        assert_eq!(shift.to_checked(3), 3);
        assert_eq!(Shift::between(checked, checked), None);
        // Multi-byte characters are never split.
        let shift = Shift::between("a北b", "a京b").expect("differs");
        assert_eq!((shift.start, shift.checked_end), (1, 4));
    }
}
