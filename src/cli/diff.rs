//! `icprules diff`: the command-line side of [`crate::diff`]: where the two
//! rule sets come from (folders, the built-in rules, a git revision), the
//! applications, the output and the exit status.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::ValueEnum;

use super::{AsOfArg, Exit, LangArg, emit, print_diagnostics, print_load_error};
use crate::batch::{Settings, for_each_line};
use crate::diff::impact::{Comparison, Impact, LineOutcome};
use crate::diff::render::{self, Report};
use crate::diff::{RuleSet, compare, rule_set};
use crate::source::Sources;

/// Changed applications listed by default; the others are counted.
const DEFAULT_LIST: usize = 50;
/// The most changed applications `--list` may ask for: a report stays
/// readable and its memory bounded.
const MAX_LIST: usize = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Human,
    Json,
    Markdown,
}

/// What makes `diff` exit 1, for a CI gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// A rule, definition, edition or the schema changed, or an application's verdict or findings.
    Any,
    /// An application's verdict changed (needs `--apps`).
    VerdictChange,
    /// An application the old rules accepted is not accepted by the new
    /// (needs `--apps`).
    NewReject,
}

#[derive(clap::Args)]
#[command(
    // clap would write `[OLD] [NEW]...`, as if NEW could be given again.
    override_usage = "icprules diff [OPTIONS] OLD [NEW]\n       icprules diff [OPTIONS] --old-rev REV [NEW]",
    after_help = "Exit status: 0 compared (and, with --fail-on, nothing it names \
    happened); 1 what --fail-on names happened; 2 a rule set or the applications could \
    not be used (a rule set with errors is reported with its diagnostics).\n\nExamples:\n  \
    icprules diff old-rules new-rules\n  \
    icprules diff old-rules                          # against the built-in rules\n  \
    icprules diff --old-rev main                     # rules/ at main against rules/ now\n  \
    icprules diff --old-rev main --apps apps.jsonl   # and what it does to applications\n  \
    icprules diff --old-rev main --apps apps.jsonl --as-of 2027-01-01   # on that day\n  \
    icprules diff --old-rev origin/main --apps apps.jsonl --format markdown --fail-on new-reject"
)]
pub struct DiffArgs {
    /// `OLD [NEW]`: rule-set folders; NEW defaults to the built-in rules.
    /// With `--old-rev`, only `[NEW]`, which defaults to `rules`.
    #[arg(value_names = ["OLD", "NEW"], num_args = 0..=2)]
    folders: Vec<PathBuf>,
    /// The old rules are the NEW folder as git has it at revision REV
    /// (a branch, a tag, a commit): `--old-rev main`.
    #[arg(long, value_name = "REV")]
    old_rev: Option<String>,
    /// Check every application of a JSON Lines file (`-` reads standard
    /// input) under both rule sets and report what changes for them.
    #[arg(long, value_name = "FILE.jsonl")]
    apps: Option<PathBuf>,
    /// Threads checking the applications (default: one per core).
    #[arg(long, value_name = "N", requires = "apps", value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Changed applications listed (default 50, at most 10000); the
    /// others are counted.
    #[arg(long, value_name = "N", requires = "apps")]
    list: Option<usize>,
    /// `human` (the default), `json`, or `markdown` (for a pull-request
    /// comment: a summary table, the details folded).
    #[arg(long, value_enum)]
    format: Option<DiffFormat>,
    /// Exit 1 when this happens: `any` change, a `verdict-change`, a
    /// `new-reject` (an application accepted before and not now). The last
    /// two need `--apps`.
    #[arg(long, value_enum, value_name = "WHAT")]
    fail_on: Option<FailOn>,
    #[command(flatten)]
    as_of: AsOfArg,
    #[command(flatten)]
    lang: LangArg,
}

pub fn run(args: DiffArgs) -> Exit {
    if matches!(
        args.fail_on,
        Some(FailOn::VerdictChange | FailOn::NewReject)
    ) && args.apps.is_none()
    {
        sayln!("error: `--fail-on verdict-change` and `--fail-on new-reject` need applications");
        sayln!("  help: give them with `--apps FILE.jsonl`");
        return Exit::Unusable;
    }
    let list = args.list.unwrap_or(DEFAULT_LIST);
    if list > MAX_LIST {
        sayln!(
            "error: `--list {list}` is more than the {MAX_LIST} changed applications a report lists"
        );
        return Exit::Unusable;
    }
    let sides = match &args.old_rev {
        Some(rev) => match args.folders.as_slice() {
            [] => from_rev(rev, Path::new("rules")),
            [new] => from_rev(rev, new),
            _ => {
                sayln!("error: with `--old-rev`, give only the NEW folder");
                sayln!(
                    "  help: `icprules diff --old-rev {rev} NEW`, or `icprules diff OLD NEW` for two folders"
                );
                return Exit::Unusable;
            }
        },
        None => match args.folders.as_slice() {
            [] => {
                sayln!("error: nothing to compare");
                sayln!(
                    "  help: `icprules diff OLD [NEW]` for folders (NEW: the built-in rules), or \
                     `icprules diff --old-rev main` for `rules` against itself at a git revision"
                );
                return Exit::Unusable;
            }
            [old] => folder(old).map(|old| (old, builtin())),
            [old, new] => folder(old).and_then(|old| Ok((old, folder(new)?))),
            _ => unreachable!("clap takes two folders at most"),
        },
    };
    let (old, new) = match sides {
        Ok(sides) => sides,
        Err(exit) => return exit,
    };
    let (Some(mut old_set), Some(mut new_set)) = (checked(&old, "old"), checked(&new, "new"))
    else {
        return Exit::Unusable;
    };
    let lang = args.lang.get();
    // Applications are checked on the same day under both (`--as-of`, else
    // each one's date, else today), and described in the language asked for.
    new_set.program = args.as_of.apply(new_set.program.in_language(lang));
    old_set.program = args.as_of.apply(old_set.program.in_language(lang));
    let rules = compare(&old_set, &new_set);
    let impact = match &args.apps {
        Some(path) => {
            let jobs = super::batch::jobs(args.jobs);
            match impact(&old_set, &new_set, path, jobs, list) {
                Ok(impact) => Some(impact),
                Err(exit) => return exit,
            }
        }
        None => None,
    };
    let report = Report {
        old: &old.name,
        new: &new.name,
        rules: &rules,
        impact: impact.as_ref(),
    };
    emit(&match args.format.unwrap_or(DiffFormat::Human) {
        // Text from applications and rule files: no escape sequence of
        // theirs reaches the terminal.
        DiffFormat::Human => crate::terminal::escaped_lines(&render::human(&report, lang)).into(),
        DiffFormat::Json => render::json(&report),
        DiffFormat::Markdown => {
            crate::terminal::escaped_lines(&render::markdown(&report, lang)).into()
        }
    });
    let tripped = match args.fail_on {
        None => false,
        Some(FailOn::Any) => !rules.is_empty() || impact.as_ref().is_some_and(|i| i.changed > 0),
        Some(FailOn::VerdictChange) => impact.as_ref().is_some_and(|i| i.verdicts_changed() > 0),
        Some(FailOn::NewReject) => impact.as_ref().is_some_and(|i| i.new_rejects() > 0),
    };
    if tripped { Exit::Rejected } else { Exit::Ok }
}

/// A rule set to compare, with the name the report gives it.
struct Side {
    name: String,
    sources: Sources,
}

fn builtin() -> Side {
    Side {
        name: "built-in".into(),
        sources: crate::rules::embedded(),
    }
}

fn folder(dir: &Path) -> Result<Side, Exit> {
    let sources = crate::rules::from_dir(dir).map_err(|e| {
        crate::cli::print_load_error(&e);
        Exit::Unusable
    })?;
    Ok(Side {
        name: sources.shown_under.clone(),
        sources,
    })
}

/// Parses and checks one side; a rule set with errors is reported with
/// its diagnostics.
fn checked(side: &Side, which: &str) -> Option<RuleSet> {
    match rule_set(&side.sources) {
        Ok(set) => Some(set),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, &side.sources);
            sayln!(
                "error: the {which} rules (`{}`) have errors; nothing was compared",
                side.name
            );
            None
        }
    }
}

/// The applications of `path` under both rule sets, in one pass, with the
/// streaming of `check --batch` (crate::batch).
fn impact(
    old: &RuleSet,
    new: &RuleSet,
    path: &Path,
    jobs: usize,
    list: usize,
) -> Result<Impact, Exit> {
    let (input, size) = super::batch::open_lines(path).ok_or(Exit::Unusable)?;
    let comparison = Comparison::new(&old.program, &new.program);
    let bar = super::batch::progress_bar(size);
    let update = |bytes: u64, applications: u64| {
        if let Some(bar) = &bar {
            bar.set_position(if size.is_some() { bytes } else { applications });
        }
    };
    // Each line's impact, added up in input order: the list is of the first
    // changed applications whatever the jobs.
    let result = for_each_line(
        input,
        std::io::sink(),
        Settings::jobs(jobs),
        &update,
        |line, _| {
            let mut part = Impact::new(list);
            part.add(match line.text {
                Ok(bytes) => comparison.line(bytes, line.number),
                Err(_) => LineOutcome::invalid_both(),
            });
            part
        },
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(impact) => Ok(impact),
        Err(e) => {
            sayln!("error: cannot read the applications: {e}");
            Err(Exit::Unusable)
        }
    }
}

/// `--old-rev REV`: the folder `new` as git has it at `rev` (old), and as
/// it is (new).
fn from_rev(rev: &str, new: &Path) -> Result<(Side, Side), Exit> {
    let new_side = folder(new)?;
    let old = extract(rev, new).map_err(|message| {
        sayln!("error: {message}");
        Exit::Unusable
    })?;
    let result = crate::rules::from_dir(old.path()).map_err(|e| {
        print_load_error(&e);
        Exit::Unusable
    });
    let mut sources = result?;
    let name = format!("{}@{rev}", new_side.name);
    sources.shown_under = name.clone();
    Ok((Side { name, sources }, new_side))
}

/// A folder made for one run and removed after it.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let base = std::env::temp_dir();
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for attempt in 0..100u32 {
            let dir = base.join(format!(
                "icprules-diff-{}-{stamp}-{attempt}",
                std::process::id()
            ));
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(TempDir(dir)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::other("no free name for a temporary folder"))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs git in `dir`; its standard output, or what went wrong.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(stderr.trim().trim_start_matches("fatal: ").to_string())
    }
}

/// Writes the `.icp` files of `dir` at `rev` into a temporary folder.
fn extract(rev: &str, dir: &Path) -> Result<TempDir, String> {
    let shown = dir.display();
    // Git would read it as an option.
    if rev.starts_with('-') || rev.is_empty() {
        return Err(format!("`{rev}` is not a git revision"));
    }
    git(dir, &["rev-parse", "--show-toplevel"])
        .map_err(|_| format!("`{shown}` is not in a git repository"))?;
    let commit = format!("{rev}^{{commit}}");
    git(dir, &["rev-parse", "--verify", "--quiet", &commit])
        .map_err(|_| format!("`{rev}` is not a revision of the git repository of `{shown}`"))?;
    // Paths relative to `dir`, NUL-terminated: any name is safe.
    let listed = git(dir, &["ls-tree", "-r", "-z", "--name-only", rev, "--", "."])
        .map_err(|e| format!("cannot list `{shown}` at `{rev}`: {e}"))?;
    let files: Vec<&str> = listed
        .split(|b| *b == 0)
        .filter_map(|name| std::str::from_utf8(name).ok())
        .filter(|name| name.ends_with(".icp"))
        .collect();
    if files.is_empty() {
        return Err(format!("`{shown}` holds no `.icp` files at `{rev}`"));
    }
    // The limits of a rule set on disk, before a process is started for
    // each file.
    if files.len() > crate::rules::MAX_RULE_FILES {
        return Err(format!(
            "{} (at `{rev}`)",
            crate::rules::LoadError::TooManyFiles(dir.to_path_buf())
        ));
    }
    let temp = TempDir::new().map_err(|e| format!("cannot make a temporary folder: {e}"))?;
    for name in files {
        // Relative names must not climb out of the temporary folder.
        if Path::new(name)
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            return Err(format!("`{name}` at `{rev}` is not a plain relative path"));
        }
        let text = git(dir, &["show", &format!("{rev}:./{name}")])
            .map_err(|e| format!("cannot read `{name}` at `{rev}`: {e}"))?;
        if text.len() as u64 > crate::rules::MAX_RULE_FILE_BYTES {
            let error = crate::rules::LoadError::TooLarge { path: name.into() };
            return Err(format!("{error} (at `{rev}`)"));
        }
        let path = temp.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot write `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(temp)
}
