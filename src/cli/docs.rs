//! `icprules docs`: the reference pages of a rule set, written to a folder or
//! compared with it.

use std::path::{Path, PathBuf};

use super::{Exit, load_rules, parse_lang};
use crate::docs::{GENERATED, Page, pages_linked};
use crate::lang::Lang;

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  icprules docs --out docs/rules            \
    # English pages in docs/rules, Chinese ones in docs/rules/zh\n  \
    icprules docs --out docs/rules --check      # in CI: exit 1 if a page is out of date\n  \
    icprules docs --lang zh --out /tmp/pages    # only the Chinese pages, in /tmp/pages\n  \
    icprules docs --rules my-rules --out /tmp/pages\n\n\
    Exit status: 0 written or up to date, 1 out of date (--check), 2 unusable rules or folder.")]
pub struct DocsArgs {
    /// The folder of the pages (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
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
    // Each language's folder, and the way from its index to the other's.
    let folders: Vec<(Lang, PathBuf, Option<String>)> = match args.lang {
        Some(lang) => vec![(lang, args.out.clone(), None)],
        None => vec![
            (
                Lang::En,
                args.out.clone(),
                Some(format!("{CHINESE_FOLDER}/index.md")),
            ),
            (
                Lang::Zh,
                args.out.join(CHINESE_FOLDER),
                Some("../index.md".into()),
            ),
        ],
    };
    let mut stale = false;
    for (lang, dir, translation) in folders {
        let program = checked.program.clone().in_language(lang);
        let pages = match pages_linked(&sources, &program, translation.as_deref()) {
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
        if args.check {
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
    }
    if stale {
        let lang = args
            .lang
            .map(|l| format!(" --lang {l}"))
            .unwrap_or_default();
        sayln!(
            "error: the pages in `{0}` are out of date: run `icprules docs{lang} --out {0}`",
            args.out.display()
        );
        return Exit::Rejected;
    }
    Exit::Ok
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
