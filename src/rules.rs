//! Where rule sets come from: the default one built into the binary, or a
//! folder of `.icp` files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::{SourceFile, Sources};

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

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no `.icp` files in `{0}`")]
    Empty(PathBuf),
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
            let text = std::fs::read_to_string(&path).map_err(io(&path))?;
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push(SourceFile {
                path: name,
                text: Arc::from(text),
            });
        }
    }
    Ok(())
}
