//! Rule files and positions in them.

use std::sync::Arc;

/// Index of a file in a [`Sources`] set.
pub type FileId = u32;

/// A byte range in one rule file. Spans are ignored by equality so that trees
/// built from different texts can be compared.
#[derive(Clone, Copy, Debug, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl PartialEq for Span {
    fn eq(&self, _: &Span) -> bool {
        true
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start as usize, (span.end - span.start) as usize).into()
    }
}

/// A node with the place it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// One rule file: its path as shown to users (relative to the rule folder,
/// with `/` separators) and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: Arc<str>,
}

/// The files of a rule set, in a stable order (sorted by path).
#[derive(Clone, Debug, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    /// The folder the paths are shown under in diagnostics, relative to the
    /// working folder: with `rules`, `provinces/beijing.icp` is shown as
    /// `rules/provinces/beijing.icp`. Empty: the paths as they are.
    pub shown_under: String,
    /// What loading the files left out, and why (a symbolic link to a folder,
    /// a file reached twice), for the user to be told.
    pub notes: Vec<String>,
}

impl Sources {
    pub fn new(mut files: Vec<SourceFile>) -> Sources {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Sources {
            files,
            shown_under: String::new(),
            notes: Vec::new(),
        }
    }

    /// The path of a file as diagnostics show it: under
    /// [`Sources::shown_under`].
    pub fn shown_path(&self, id: FileId) -> String {
        let path = &self.file(id).path;
        match self.shown_under.trim_end_matches('/') {
            "" | "." => path.clone(),
            under => format!("{under}/{path}"),
        }
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id as usize]
    }

    pub fn find(&self, path: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| i as FileId)
    }

    pub fn named_source(&self, id: FileId) -> miette::NamedSource<Arc<str>> {
        miette::NamedSource::new(self.shown_path(id), self.file(id).text.clone())
    }
}

/// How columns are counted. Byte offsets are what spans hold; editors count
/// otherwise: LSP clients in UTF-16 code units unless they agree on another
/// encoding, people (and SARIF's `unicodeCodePoints`) in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    Utf8,
    Utf16,
    Chars,
}

/// Where the lines of a text start: the one conversion between byte offsets
/// and lines and columns, for every output that shows a place.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line and column of a byte offset; an offset past the end
    /// or inside a character counts as the end or the character's start.
    pub fn position(&self, text: &str, offset: usize, columns: Columns) -> (usize, usize) {
        let offset = char_boundary(text, offset);
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let before = &text[self.starts[line]..offset];
        (line, width(before, columns))
    }

    /// The byte offset of a 0-based line and column. A column past the end
    /// of its line is the end of the line (before its line break), a line
    /// past the last one the end of the text, and a column inside a
    /// character (half of a UTF-16 pair) the start of that character, as the
    /// LSP asks of servers.
    pub fn offset(&self, text: &str, line: usize, column: usize, columns: Columns) -> usize {
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&next| next - 1);
        let line_text = text[start..end].trim_end_matches('\r');
        let mut counted = 0;
        for (i, c) in line_text.char_indices() {
            let next = counted + char_width(c, columns);
            if next > column {
                return start + i;
            }
            counted = next;
        }
        start + line_text.len()
    }
}

/// The width of a text in the given columns.
pub fn width(text: &str, columns: Columns) -> usize {
    match columns {
        Columns::Utf8 => text.len(),
        Columns::Utf16 => text.encode_utf16().count(),
        Columns::Chars => text.chars().count(),
    }
}

fn char_width(c: char, columns: Columns) -> usize {
    match columns {
        Columns::Utf8 => c.len_utf8(),
        Columns::Utf16 => c.len_utf16(),
        Columns::Chars => 1,
    }
}

/// The start of the character at or before a byte offset, within the text.
pub fn char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The 1-based line and column (in characters) of a byte offset, as people
/// read them.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let (line, column) = LineIndex::new(text).position(text, offset, Columns::Chars);
    (line + 1, column + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_counted_in_each_encoding() {
        // `北` is 3 bytes, 1 UTF-16 unit; `𝄞` 4 bytes, 2 UTF-16 units.
        let text = "ab\n北𝄞x\r\nlast";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x, Columns::Utf8), (1, 7));
        assert_eq!(index.position(text, x, Columns::Utf16), (1, 3));
        assert_eq!(index.position(text, x, Columns::Chars), (1, 2));
        for columns in [Columns::Utf8, Columns::Utf16, Columns::Chars] {
            let (line, column) = index.position(text, x, columns);
            assert_eq!(index.offset(text, line, column, columns), x);
        }
        assert_eq!(line_column(text, x), (2, 3));
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        let text = "ab\n北𝄞x\r\nlast";
        let index = LineIndex::new(text);
        let cr = text.find('\r').unwrap();
        assert_eq!(index.offset(text, 1, 99, Columns::Utf16), cr);
        assert_eq!(index.offset(text, 9, 0, Columns::Utf16), text.len());
        // Inside the surrogate pair of `𝄞`: its start.
        let clef = text.find('𝄞').unwrap();
        assert_eq!(index.offset(text, 1, 2, Columns::Utf16), clef);
        assert_eq!(index.position(text, clef + 1, Columns::Utf16), (1, 1));
        assert_eq!(index.position(text, 999, Columns::Chars), (2, 4));
    }
}
