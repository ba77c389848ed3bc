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
}

impl Sources {
    pub fn new(mut files: Vec<SourceFile>) -> Sources {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Sources { files }
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
        let file = self.file(id);
        miette::NamedSource::new(file.path.clone(), file.text.clone())
    }
}
