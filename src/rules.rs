//! Where rule sets come from: the default one built into the binary, or a
//! folder of `.icp` files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Sources, Span};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The rule set built into the binary from `rules/`.
pub fn embedded() -> Sources {
    Sources::new(
        embedded::FILES
            .iter()
            .map(|(path, text)| SourceFile {
                path: path.to_string(),
                text: Arc::from(*text),
            })
            .collect(),
    )
}

/// The document the built-in rules cite, with its edition, as their
/// `sections "..."` declaration names it.
pub fn cited_document() -> Option<String> {
    embedded::FILES
        .iter()
        // Only the file that declares them is parsed: `--version` is quick.
        .filter(|(_, text)| text.lines().any(|l| l.starts_with("sections")))
        .find_map(|(_, text)| {
            let (file, _) = crate::syntax::parse_file(text, 0);
            file.items.into_iter().find_map(|item| match item {
                crate::syntax::ast::Item::Sections(s) => s.document.map(|d| d.node),
                _ => None,
            })
        })
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no `.icp` files in `{0}`")]
    Empty(PathBuf),
    /// A rule file that is not UTF-8: the diagnostic points at the first
    /// byte that is not, in `sources` (the file, read lossily).
    #[error("`{path}` is not UTF-8 text")]
    NotUtf8 {
        path: PathBuf,
        diagnostic: Box<Diagnostic>,
        sources: Sources,
    },
}

/// A rule set named on the command line: a folder (every `.icp` file below
/// it) or one file. Also returns the folder that file paths are relative to.
pub fn from_path(path: &Path) -> Result<(Sources, PathBuf), LoadError> {
    if path.is_dir() {
        return Ok((from_dir(path)?, path.to_path_buf()));
    }
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path
        .file_name()
        .map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy())
        .into_owned();
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok((
        Sources::new(vec![SourceFile {
            path: name,
            text: Arc::from(text),
        }]),
        base,
    ))
}

/// Every `.icp` file below `dir`, with paths relative to it.
pub fn from_dir(dir: &Path) -> Result<Sources, LoadError> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    if files.is_empty() {
        return Err(LoadError::Empty(dir.to_path_buf()));
    }
    Ok(Sources::new(files))
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<SourceFile>) -> Result<(), LoadError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| LoadError::Io { path, source }
    };
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "icp") {
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push(source_file(&path, name, bytes)?);
        }
    }
    Ok(())
}

/// A rule file read from `path`, shown as `name`: its text, which must be
/// UTF-8.
pub fn source_file(path: &Path, name: String, bytes: Vec<u8>) -> Result<SourceFile, LoadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile {
            path: name,
            text: Arc::from(text),
        }),
        Err(e) => Err(not_utf8(path, name, e)),
    }
}

/// The error for a rule file with bytes that are not UTF-8, at the first.
fn not_utf8(path: &Path, name: String, error: std::string::FromUtf8Error) -> LoadError {
    let at = error.utf8_error().valid_up_to();
    let byte = error.as_bytes()[at];
    // Up to `at` the lossy text is the file's; the byte becomes U+FFFD.
    let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
    let diagnostic = Diagnostic::error(
        "syntax",
        format!("expected UTF-8 text, found the byte `0x{byte:02x}`"),
        Span::new(0, at, at + char::REPLACEMENT_CHARACTER.len_utf8()),
        "not UTF-8",
    )
    .with_help(Some("save the rule file as UTF-8".into()));
    LoadError::NotUtf8 {
        path: path.to_path_buf(),
        diagnostic: Box::new(diagnostic),
        sources: Sources::new(vec![SourceFile {
            path: name,
            text: Arc::from(text),
        }]),
    }
}
