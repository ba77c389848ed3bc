//! Where rule sets come from: the default one built into the binary, or a
//! folder of `.icp` files.
//!
//! A rule set on disk is found from any of its files as an editor finds a
//! project: its root is the nearest folder at or above the file that holds
//! the schema (a `.icp` file that declares the `input` record), and its files
//! are every `.icp` file below the root, except those below a folder that
//! holds a schema of its own (another rule set). `icprules lint FILE` and the
//! language server both ask [`find_root`] and [`load_rule_set`].
//!
//! Symbolic links to folders are not followed (a link can make a loop, or
//! bring in another rule set's files): each is left out with a note. A file
//! reached by two paths (a symbolic link to a file) is read once.

use std::collections::{BTreeMap, HashMap};
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

/// The document the built-in rules cite, with its latest edition, as their
/// `sections "..." { edition "..." issued ... }` declaration names them.
pub fn cited_document() -> Option<String> {
    embedded::FILES
        .iter()
        // Only the file that declares them is parsed: `--version` is quick.
        .filter(|(_, text)| text.lines().any(|l| l.starts_with("sections")))
        .find_map(|(_, text)| {
            let (file, _) = crate::syntax::parse_file(text, 0);
            file.items.into_iter().find_map(|item| match item {
                crate::syntax::ast::Item::Sections(s) => {
                    // In English, the language of `--version`.
                    let english = |labels: &[crate::syntax::ast::Label]| {
                        labels
                            .iter()
                            .find(|l| l.lang() == crate::lang::Lang::En)
                            .or(labels.first())
                            .map(|l| l.text.node.clone())
                    };
                    let latest = s.editions.iter().max_by_key(|e| e.issued.node);
                    let edition = latest.and_then(|e| english(&e.name));
                    match (english(&s.document), edition) {
                        (Some(d), Some(e)) => Some(format!("{d}, {e}")),
                        (d, e) => d.or(e),
                    }
                }
                _ => None,
            })
        })
}

/// The largest rule file read: the built-in rules are a few hundred
/// kilobytes in all.
pub const MAX_RULE_FILE_BYTES: u64 = 16 << 20;
/// The most `.icp` files a rule set may have (the built-in one has 35).
pub const MAX_RULE_FILES: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("`{}` is larger than {} MiB, the most a rule file may hold", .path.display(), MAX_RULE_FILE_BYTES >> 20)]
    TooLarge { path: PathBuf },
    #[error("`{}` holds more than {MAX_RULE_FILES} `.icp` files, the most a rule set may have (the files of rule sets in its folders count too: they are read to be told apart)", .0.display())]
    TooManyFiles(PathBuf),
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

/// Unsaved editor buffers by absolute path: where one is given, it is read
/// instead of the file on disk (which need not exist yet).
pub type Buffers = BTreeMap<PathBuf, Arc<str>>;

/// The root of the rule set that a file or folder belongs to: the nearest
/// folder at or above it that holds the schema. `None` when none does.
pub fn find_root(path: &Path, buffers: &Buffers) -> Option<PathBuf> {
    let path = absolute(path);
    let start = if path.is_dir() {
        path.as_path()
    } else {
        path.parent()?
    };
    start
        .ancestors()
        .find(|dir| holds_schema(dir, buffers))
        .map(Path::to_path_buf)
}

/// A path made absolute, without symbolic links where it exists.
pub fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Whether one of the `.icp` files directly in `dir` declares the input
/// record.
fn holds_schema(dir: &Path, buffers: &Buffers) -> bool {
    icp_files_in(dir, buffers)
        .iter()
        .any(|file| match buffers.get(file) {
            Some(text) => declares_input(text),
            None => read_rule_file(file)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .is_some_and(|text| declares_input(&text)),
        })
}

fn declares_input(text: &str) -> bool {
    // Most files cannot declare it; parsing only those that might keeps the
    // walk up from a file cheap.
    let might = text.lines().any(|l| {
        l.trim_start()
            .strip_prefix("input")
            .is_some_and(|r| r.starts_with([' ', '\t']))
    });
    might
        && crate::syntax::parse_file(text, 0)
            .0
            .items
            .iter()
            .any(|item| matches!(item, crate::syntax::ast::Item::Input(_)))
}

/// The `.icp` files directly in `dir`, on disk or in a buffer, sorted.
fn icp_files_in(dir: &Path, buffers: &Buffers) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| is_icp(p) && !p.is_dir())
        .collect();
    files.extend(
        buffers
            .keys()
            .filter(|p| p.parent() == Some(dir) && is_icp(p))
            .cloned(),
    );
    files.sort();
    files.dedup();
    files
}

fn is_icp(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "icp")
}

/// The rule set rooted at `root` (an absolute path): every `.icp` file below
/// it that belongs to no other rule set, each from its buffer when it has
/// one, with paths relative to the root.
pub fn load_rule_set(root: &Path, buffers: &Buffers) -> Result<Sources, LoadError> {
    let mut walk = Walk::default();
    collect_set(root, root, buffers, &mut walk)?;
    let mut sources = Sources::new(walk.files);
    sources.notes = walk.notes;
    Ok(sources)
}

/// What a walk of a rule set found so far.
#[derive(Default)]
struct Walk {
    files: Vec<SourceFile>,
    /// Every file read, the files of other rule sets in its folders too
    /// (each is read to tell them apart): what the file limit bounds.
    seen: usize,
    /// Each file read, by its path without symbolic links: its name.
    read: HashMap<PathBuf, String>,
    notes: Vec<String>,
}

fn collect_set(
    root: &Path,
    dir: &Path,
    buffers: &Buffers,
    walk: &mut Walk,
) -> Result<(), LoadError> {
    let mut here = Vec::new();
    let mut reals = Vec::new();
    let paths = icp_files_in(dir, buffers);
    // Counted before any is read.
    walk.seen += paths.len();
    if walk.seen > MAX_RULE_FILES {
        return Err(LoadError::TooManyFiles(root.to_path_buf()));
    }
    for path in paths {
        let name = relative_name(root, &path);
        // A buffer need not exist on disk: its path is its identity.
        let real = if buffers.contains_key(&path) {
            path.clone()
        } else {
            path.canonicalize().unwrap_or_else(|_| path.clone())
        };
        if let Some(first) = walk.read.get(&real) {
            walk.notes.push(format!(
                "`{name}` is the same file as `{first}`: it is read once"
            ));
            continue;
        }
        reals.push((real, name.clone()));
        let file = match buffers.get(&path) {
            Some(text) => SourceFile {
                path: name,
                text: text.clone(),
            },
            None => source_file(&path, name, read_rule_file(&path)?)?,
        };
        here.push(file);
    }
    // A folder below the root that holds a schema is another rule set.
    if dir != root && here.iter().any(|f| declares_input(&f.text)) {
        return Ok(());
    }
    walk.files.append(&mut here);
    walk.read.extend(reals);
    // Folders that hold a buffer not saved yet may not exist on disk.
    let mut dirs: Vec<PathBuf> = buffers
        .keys()
        .filter_map(|p| {
            let rest = p.strip_prefix(dir).ok()?;
            let mut parts = rest.components();
            let first = parts.next()?;
            parts.next().map(|_| dir.join(first))
        })
        .collect();
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                // The type of the entry itself: a link is not followed.
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                let path = entry.path();
                if kind.is_dir() {
                    dirs.push(path);
                } else if kind.is_symlink() && path.is_dir() {
                    walk.notes.push(format!(
                        "`{}` is a symbolic link to a folder: not followed",
                        relative_name(root, &path)
                    ));
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !dirs.is_empty() => {}
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && buffers.keys().any(|p| p.starts_with(dir)) => {}
        Err(source) => {
            return Err(LoadError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    }
    dirs.sort();
    dirs.dedup();
    for sub in dirs {
        collect_set(root, &sub, buffers, walk)?;
    }
    Ok(())
}

/// The bytes of a rule file, at most [`MAX_RULE_FILE_BYTES`] of them.
pub fn read_rule_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let io = |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    // A FIFO would be waited on for ever, a device read without end: only
    // files are read.
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(io(std::io::Error::other("it is not a regular file")));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_RULE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_RULE_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
        });
    }
    Ok(bytes)
}

/// `path` relative to `root`, with `/` separators: a file's name in its rule set.
fn relative_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// How to show `path` to a user in `cwd`: relative to it when it is below
/// it (or above it, with `..`), else absolute.
pub fn shown_from(cwd: &Path, path: &Path) -> String {
    let (cwd, path) = (absolute(cwd), absolute(path));
    let common = cwd
        .components()
        .zip(path.components())
        .take_while(|(a, b)| a == b)
        .count();
    let below = common == cwd.components().count();
    let above = common == path.components().count();
    if !below && !above {
        return path.to_string_lossy().into_owned();
    }
    let mut parts: Vec<String> = cwd.components().skip(common).map(|_| "..".into()).collect();
    parts.extend(
        path.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// One rule file on its own, as a rule set: for a file that belongs to no
/// rule set (no folder above it holds a schema).
pub fn single_file(path: &Path) -> Result<Sources, LoadError> {
    let bytes = read_rule_file(path)?;
    let name = path
        .file_name()
        .map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy())
        .into_owned();
    Ok(Sources::new(vec![source_file(path, name, bytes)?]))
}

/// The rule set rooted at `dir` (see [`load_rule_set`]), shown under `dir`.
pub fn from_dir(dir: &Path) -> Result<Sources, LoadError> {
    let mut sources = load_rule_set(dir, &Buffers::new())?;
    if sources.files.is_empty() {
        return Err(LoadError::Empty(dir.to_path_buf()));
    }
    sources.shown_under = shown_from_cwd(dir);
    Ok(sources)
}

/// How to show a folder to the user: relative to the working folder.
pub fn shown_from_cwd(path: &Path) -> String {
    match std::env::current_dir() {
        Ok(cwd) => shown_from(&cwd, path),
        Err(_) => path.to_string_lossy().into_owned(),
    }
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
