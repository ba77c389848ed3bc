//! `icprules fmt`: rewrites rule files in the one layout, or (`--check`) says
//! which are not in it.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Exit, emit, print_diagnostics};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Sources};
use crate::terminal::escaped;

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 formatted (or already so), 1 some file is not formatted \
    (--check), 2 a file could not be read or has syntax errors (it is left as it is).\n\n\
    Examples:\n  icprules fmt rules                   # rewrite every .icp file below rules/\n  \
    icprules fmt --check rules           # as CI does: list and diff what would change\n  \
    icprules fmt < draft.icp > tidy.icp  # a filter, for editors"
)]
pub struct FmtArgs {
    /// Rule files, and folders (every `.icp` file below them) to format in
    /// place; without any, standard input is formatted to standard output.
    paths: Vec<PathBuf>,
    /// Write nothing: show the diff of each file that is not formatted, and
    /// exit 1 if there is one.
    #[arg(long)]
    check: bool,
}

pub fn run(args: FmtArgs) -> Exit {
    if args.paths.is_empty() {
        return stdin(args.check);
    }
    let mut files = Vec::new();
    let mut unusable = false;
    for path in &args.paths {
        if let Err(e) = collect(path, &mut files, true) {
            sayln!("error: cannot read `{}`: {e}", path.display());
            unusable = true;
        }
    }
    let files = real_files(files);
    let mut unformatted = 0;
    // Files that could not be read, formatted or written.
    let mut failed = 0;
    let mut already = 0;
    let mut written = Vec::new();
    for file in &files {
        let name = file.display().to_string();
        let text = match read_rule_text(file) {
            Ok(text) => text,
            Err(e) => {
                sayln!("error: {}", escaped(&e));
                failed += 1;
                continue;
            }
        };
        let Some(formatted) = format_or_report(&name, &text) else {
            failed += 1;
            continue;
        };
        if formatted == text {
            already += 1;
            continue;
        }
        unformatted += 1;
        if args.check {
            emit(&diff(&name, &text, &formatted));
        } else if let Err(e) = write_atomically(file, &formatted) {
            sayln!("error: cannot write `{name}`: {e}");
            failed += 1;
        } else {
            written.push(name);
        }
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if args.check && unformatted > 0 {
        let (s, them) = if unformatted == 1 {
            ("", "it")
        } else {
            ("s", "them")
        };
        sayln!("{unformatted} file{s} not formatted: run `icprules fmt` on {them}");
    }
    if !args.check {
        // What changed on disk, and that the rest was left as it was.
        for name in &written {
            sayln!("formatted {name}");
        }
        let failures = if failed > 0 {
            format!(", {failed} not formatted (errors above)")
        } else {
            String::new()
        };
        sayln!(
            "{} file{} formatted, {already} already formatted{failures}",
            written.len(),
            plural(written.len())
        );
    }
    if unusable || failed > 0 {
        Exit::Unusable
    } else if args.check && unformatted > 0 {
        Exit::Rejected
    } else {
        Exit::Ok
    }
}

fn stdin(check: bool) -> Exit {
    let limit = crate::rules::MAX_RULE_FILE_BYTES;
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().take(limit + 1).read_to_end(&mut bytes) {
        sayln!("error: cannot read standard input: {e}");
        return Exit::Unusable;
    }
    if bytes.len() as u64 > limit {
        sayln!(
            "error: standard input is larger than {} MiB, the most a rule file may hold",
            limit >> 20
        );
        return Exit::Unusable;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        sayln!("error: cannot read standard input: stream did not contain valid UTF-8");
        return Exit::Unusable;
    };
    let name = "<stdin>";
    let Some(formatted) = format_or_report(name, &text) else {
        return Exit::Unusable;
    };
    if !check {
        emit(&formatted);
        Exit::Ok
    } else if formatted == text {
        Exit::Ok
    } else {
        emit(&diff(name, &text, &formatted));
        Exit::Rejected
    }
}

/// The text of a rule file, read as rule sets are (files only, up to their
/// size limit); the error says which file and why.
fn read_rule_text(path: &Path) -> Result<String, String> {
    let bytes = crate::rules::read_rule_file(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|_| {
        format!(
            "cannot read `{}`: stream did not contain valid UTF-8",
            path.display()
        )
    })
}

/// The formatted text, or `None` after reporting the syntax errors.
fn format_or_report(name: &str, text: &str) -> Option<String> {
    match crate::fmt::format_source(text) {
        Ok(formatted) => Some(formatted),
        Err(errors) => {
            let sources = Sources::new(vec![SourceFile {
                path: name.to_string(),
                text: Arc::from(text),
            }]);
            let diagnostics: Vec<Diagnostic> = errors.iter().map(|e| e.to_diagnostic()).collect();
            print_diagnostics(&diagnostics, &sources);
            sayln!("error: `{name}` has syntax errors; it was not formatted");
            None
        }
    }
}

fn diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}

/// The file itself, or every `.icp` file below a folder, in a stable order.
/// Below a folder, symbolic links to folders are not followed (a link can
/// make a loop), as in rule folders; `named` is a path the user gave.
fn collect(path: &Path, files: &mut Vec<PathBuf>, named: bool) -> std::io::Result<()> {
    let link = std::fs::symlink_metadata(path)?.file_type().is_symlink();
    if link && !named && path.is_dir() {
        sayln!(
            "note: `{}` is a symbolic link to a folder: not followed",
            escaped(&path.display().to_string())
        );
        return Ok(());
    }
    if !path.is_dir() {
        // A missing path is an error of its own, not an empty folder.
        std::fs::metadata(path)?;
        files.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, files, false)?;
        } else if entry.extension().is_some_and(|e| e == "icp") {
            files.push(entry);
        }
    }
    Ok(())
}

/// The files to format, each once: a symbolic link is replaced by the file
/// it links to, and that is said, so that no file is written through a link
/// unawares (nor formatted twice).
fn real_files(files: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for file in files {
        let is_link = std::fs::symlink_metadata(&file).is_ok_and(|m| m.file_type().is_symlink());
        let real = if is_link {
            match std::fs::canonicalize(&file) {
                Ok(real) => {
                    sayln!(
                        "note: `{}` is a symbolic link: formatting the file it links to, `{}`",
                        escaped(&file.display().to_string()),
                        escaped(&real.display().to_string())
                    );
                    real
                }
                // A broken link: reading it says so.
                Err(_) => file,
            }
        } else {
            file
        };
        let key = std::fs::canonicalize(&real).unwrap_or_else(|_| real.clone());
        if seen.insert(key) {
            out.push(real);
        }
    }
    out
}

/// Replaces `path` with `text` all at once: written to a temporary file in
/// the same folder, which then takes its place (a rename), so that a crash
/// or a full disk never leaves a half-written rule file. The file keeps its
/// permissions.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let permissions = std::fs::metadata(path)?.permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".icprules-fmt-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    temp.as_file().set_permissions(permissions)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
