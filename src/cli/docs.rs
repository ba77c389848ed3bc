//! `icprules docs`: the reference pages of a rule set, written to a folder or
//! compared with it; and the generated part of a hand-written document, the
//! reference of the facts schema.

use std::path::{Path, PathBuf};

use super::{Exit, load_rules, parse_lang};
use crate::check::Program;
use crate::docs::{GENERATED, Page, pages_linked, schema};
use crate::lang::Lang;
use crate::source::Sources;

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  icprules docs --out docs/rules            \
    # English pages in docs/rules, Chinese ones in docs/rules/zh\n  \
    icprules docs --out docs/rules --check      # in CI: exit 1 if a page is out of date\n  \
    icprules docs --lang zh --out /tmp/pages    # only the Chinese pages, in /tmp/pages\n  \
    icprules docs --rules my-rules --out /tmp/pages\n  \
    icprules docs --schema-doc docs/application-format.md   # its generated part: the schema\n\n\
    Exit status: 0 written or up to date, 1 out of date (--check), 2 unusable rules or folder.")]
pub struct DocsArgs {
    /// The folder of the pages (created if missing).
    #[arg(long, value_name = "DIR", required_unless_present = "schema_doc")]
    out: Option<PathBuf>,
    /// A hand-written Markdown file whose part between the lines
    /// `<!-- begin: generated from the facts schema ... -->` and
    /// `<!-- end: generated -->` is the reference of the facts schema
    /// (records, keys, enums, invariants, from the schema's comments):
    /// filled in, or with `--check` compared.
    #[arg(long, value_name = "FILE")]
    schema_doc: Option<PathBuf>,
    /// Write nothing; exit 1 if a page is missing, stale, or left from a rule
    /// set that is gone.
    #[arg(long)]
    check: bool,
    /// A folder of `.icp` rule files to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Only the pages in `zh` (Chinese) or `en` (English), in `--out` itself.
    /// Without it, both: English in `--out`, Chinese in `--out`/zh.
    #[arg(long, value_name = "zh|en", value_parser = parse_lang)]
    lang: Option<Lang>,
}

/// Where the Chinese pages go, below the English ones, when both are written.
const CHINESE_FOLDER: &str = "zh";

pub fn run(args: DocsArgs) -> Exit {
    let (sources, checked) = match load_rules(args.rules.as_ref()) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    // How the command that writes what `--check` finds stale names the rules.
    let rules = args
        .rules
        .as_ref()
        .map(|dir| format!(" --rules {}", dir.display()))
        .unwrap_or_default();
    let mut exit = Exit::Ok;
    if let Some(out) = &args.out {
        exit = pages_in(
            out,
            args.lang,
            args.check,
            &rules,
            &sources,
            &checked.program,
        );
    }
    if let Some(document) = &args.schema_doc
        && exit != Exit::Unusable
    {
        let filled = schema_doc(document, args.check, &rules, &sources, &checked.program);
        if filled != Exit::Ok {
            exit = filled;
        }
    }
    exit
}

/// Writes (or with `check`, compares) the pages of the rule set in `out`:
/// of one language, or English there and Chinese below it.
fn pages_in(
    out: &Path,
    only: Option<Lang>,
    check: bool,
    rules: &str,
    sources: &Sources,
    program: &Program,
) -> Exit {
    // Each language's folder, and the way from its index to the other's.
    let folders: Vec<(Lang, PathBuf, Option<String>)> = match only {
        Some(lang) => vec![(lang, out.to_path_buf(), None)],
        None => vec![
            (
                Lang::En,
                out.to_path_buf(),
                Some(format!("{CHINESE_FOLDER}/index.md")),
            ),
            (
                Lang::Zh,
                out.join(CHINESE_FOLDER),
                Some("../index.md".into()),
            ),
        ],
    };
    let mut stale = false;
    let (mut total, mut written, mut removed) = (0, 0, 0);
    for (lang, dir, translation) in folders {
        let program = program.clone().in_language(lang);
        let pages = match pages_linked(sources, &program, translation.as_deref()) {
            Ok(pages) => pages,
            Err(e) => {
                sayln!("error: {e}");
                return Exit::Unusable;
            }
        };
        let existing = match generated_pages(&dir) {
            Ok(existing) => existing,
            Err(e) => {
                sayln!("error: cannot read `{}`: {e}", dir.display());
                return Exit::Unusable;
            }
        };
        let changes = compare(&pages, &existing);
        if check {
            for (what, name) in &changes {
                sayln!("{what}: {}", dir.join(name).display());
            }
            stale |= !changes.is_empty();
            continue;
        }
        if let Err(e) = write(&dir, &pages, &changes) {
            sayln!("error: cannot write the pages to `{}`: {e}", dir.display());
            return Exit::Unusable;
        }
        // What changed on disk: each page written or removed.
        for (change, name) in &changes {
            let done = match change {
                Change::Missing => "wrote",
                Change::Stale => "updated",
                Change::Extra => "removed",
            };
            sayln!("{done} {}", dir.join(name).display());
        }
        total += pages.len();
        removed += changes.iter().filter(|(c, _)| *c == Change::Extra).count();
        written += changes.iter().filter(|(c, _)| *c != Change::Extra).count();
    }
    if stale {
        let lang = only.map(|l| format!(" --lang {l}")).unwrap_or_default();
        sayln!(
            "error: the pages in `{0}` are out of date: run `icprules docs{rules}{lang} --out {0}`",
            out.display()
        );
        return Exit::Rejected;
    }
    if !check {
        sayln!(
            "{total} page{} in `{}`: {written} written or updated, {removed} removed, {} up to date",
            if total == 1 { "" } else { "s" },
            out.display(),
            total - written,
        );
    }
    Exit::Ok
}

/// Fills in (or with `check`, compares) the generated part of `document`:
/// the reference of the facts schema.
fn schema_doc(
    document: &Path,
    check: bool,
    rules: &str,
    sources: &Sources,
    program: &Program,
) -> Exit {
    let text = match std::fs::read_to_string(document) {
        Ok(text) => text,
        Err(e) => {
            sayln!("error: cannot read `{}`: {e}", document.display());
            return Exit::Unusable;
        }
    };
    let filled = match schema::fill(&text, &schema::reference(sources, program)) {
        Ok(filled) => filled,
        Err(e) => {
            sayln!(
                "error: `{}` cannot hold the schema: {e}",
                document.display()
            );
            return Exit::Unusable;
        }
    };
    if filled == text {
        if !check {
            sayln!("{} is up to date", document.display());
        }
        return Exit::Ok;
    }
    if check {
        sayln!("stale: {}", document.display());
        sayln!(
            "error: the schema part of `{0}` is out of date: run `icprules docs{rules} --schema-doc {0}`",
            document.display()
        );
        return Exit::Rejected;
    }
    match std::fs::write(document, filled) {
        Ok(()) => {
            sayln!("updated {}", document.display());
            Exit::Ok
        }
        Err(e) => {
            sayln!("error: cannot write `{}`: {e}", document.display());
            Exit::Unusable
        }
    }
}

/// The pages a previous run generated in `dir` (by their first line), with
/// their text; none when `dir` does not exist. Other files are the user's.
fn generated_pages(dir: &Path) -> std::io::Result<Vec<Page>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut pages = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "md") || !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path)?;
        if text.lines().next() == Some(GENERATED) {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            pages.push(Page {
                name: name.into_owned(),
                text,
            });
        }
    }
    Ok(pages)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    Missing,
    Stale,
    /// A generated page that no rule set has any more.
    Extra,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Change::Missing => "missing",
            Change::Stale => "stale",
            Change::Extra => "extra",
        })
    }
}

/// What differs between the pages to write and those in the folder, sorted
/// by file name.
fn compare(pages: &[Page], existing: &[Page]) -> Vec<(Change, String)> {
    let mut changes = Vec::new();
    for page in pages {
        match existing.iter().find(|e| e.name == page.name) {
            None => changes.push((Change::Missing, page.name.clone())),
            Some(e) if e.text != page.text => changes.push((Change::Stale, page.name.clone())),
            Some(_) => {}
        }
    }
    for e in existing {
        if !pages.iter().any(|p| p.name == e.name) {
            changes.push((Change::Extra, e.name.clone()));
        }
    }
    changes.sort_by(|a, b| a.1.cmp(&b.1));
    changes
}

fn write(dir: &Path, pages: &[Page], changes: &[(Change, String)]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (change, name) in changes {
        let path = dir.join(name);
        match change {
            Change::Extra => std::fs::remove_file(path)?,
            Change::Missing | Change::Stale => {
                let page = pages.iter().find(|p| &p.name == name);
                std::fs::write(path, &page.expect("a page to write").text)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(name: &str, text: &str) -> Page {
        Page {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn pages_are_missing_stale_or_extra() {
        let pages = [page("a.md", "a"), page("b.md", "b"), page("c.md", "c")];
        let existing = [page("b.md", "old"), page("c.md", "c"), page("z.md", "z")];
        assert_eq!(
            compare(&pages, &existing),
            [
                (Change::Missing, "a.md".to_string()),
                (Change::Stale, "b.md".to_string()),
                (Change::Extra, "z.md".to_string()),
            ]
        );
    }
}
