//! `icprules lint`: a rule set's diagnostics, for editors and CI.

use std::path::{Path, PathBuf};

use super::{Exit, emit, print_diagnostics};
use crate::check::lints::LINTS;
use crate::diagnostic::{Diagnostic, Level};
use crate::report::diagnostics;
use crate::rules;
use crate::source::{FileId, Sources};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    Human,
    Json,
    Sarif,
}

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  icprules lint rules --deny-warnings\n  \
    icprules lint rules --format sarif > lint.sarif\n  icprules lint --list")]
pub struct LintArgs {
    /// Rule sets to check: folders of `.icp` files, or single files
    /// (default: the built-in rules).
    paths: Vec<PathBuf>,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Do not report this lint (repeatable); see `--list`.
    #[arg(long, value_name = "LINT")]
    allow: Vec<String>,
    #[arg(long, value_enum, default_value_t = LintFormat::Human)]
    format: LintFormat,
    /// List the named lints with their default level, then exit.
    #[arg(long)]
    list: bool,
}

pub fn run(args: LintArgs) -> Exit {
    if args.list {
        for l in LINTS {
            let level = match l.level {
                Level::Error => "error",
                Level::Warning => "warning",
            };
            emit(&format!("{:<28} {level:<8} {}\n", l.name, l.doc));
        }
        return Exit::Ok;
    }
    for name in &args.allow {
        if !LINTS.iter().any(|l| l.name == name) {
            let help = crate::diagnostic::did_you_mean(name, LINTS.iter().map(|l| l.name));
            sayln!(
                "error: no lint named `{name}`{}",
                help.map(|h| format!(": {h}")).unwrap_or_default()
            );
            return Exit::Unusable;
        }
    }
    let sets = match rule_sets(&args.paths) {
        Ok(sets) => sets,
        Err(exit) => return exit,
    };
    let (mut errors, mut warnings) = (0, 0);
    let mut machine = Vec::new();
    let mut sarif_runs = Vec::new();
    for set in &sets {
        let sources = &set.sources;
        let analysis = crate::check::analyze(sources);
        let shown: Vec<Diagnostic> = analysis
            .diagnostics
            .into_iter()
            .filter(|d| set.asked(sources, d.span.file))
            .filter(|d| !args.allow.iter().any(|a| a == d.code))
            .collect();
        let e = shown.iter().filter(|d| d.level == Level::Error).count();
        errors += e;
        warnings += shown.len() - e;
        match args.format {
            LintFormat::Human => {
                print_diagnostics(&shown, sources);
                let w = shown.len() - e;
                sayln!(
                    "{}: {e} error{}, {w} warning{}",
                    crate::terminal::escaped(&set.summary(analysis.rule_count)),
                    plural(e),
                    plural(w),
                );
            }
            LintFormat::Json => {
                if let serde_json::Value::Array(items) = diagnostics::json(&shown, sources) {
                    machine.extend(items);
                }
            }
            LintFormat::Sarif => {
                let log = diagnostics::sarif(&shown, sources);
                sarif_runs.push(log["runs"][0].clone());
            }
        }
    }
    match args.format {
        LintFormat::Human => {}
        LintFormat::Json => emit(&format!("{}\n", serde_json::Value::Array(machine))),
        LintFormat::Sarif => {
            let mut log = diagnostics::sarif(&[], &Sources::default());
            log["runs"] = serde_json::Value::Array(sarif_runs);
            emit(&format!("{log:#}\n"));
        }
    }
    if errors > 0 || (warnings > 0 && args.deny_warnings) {
        Exit::Rejected
    } else {
        Exit::Ok
    }
}

/// A rule set to lint, and which of its files' diagnostics to report.
struct RuleSet {
    sources: Sources,
    /// The root, absolute; `None` for the built-in rules.
    root: Option<PathBuf>,
    /// The paths asked for (absolute): report the files at or below them.
    /// Empty: every file.
    asked: Vec<PathBuf>,
    /// The paths as the user wrote them, for the summary.
    named: Vec<String>,
}

impl RuleSet {
    fn asked(&self, sources: &Sources, file: FileId) -> bool {
        let Some(root) = &self.root else {
            return true;
        };
        let path = root.join(&sources.file(file).path);
        self.asked.is_empty() || self.asked.iter().any(|a| path.starts_with(a))
    }

    /// `rules: 35 files, 310 rules`, or for some of its files
    /// `rules/national.icp (in the rule set rules: 35 files, 310 rules)`.
    fn summary(&self, rules: usize) -> String {
        let files = self.sources.files.len();
        let counts = format!(
            "{files} file{}, {rules} rule{}",
            plural(files),
            plural(rules)
        );
        let root = &self.sources.shown_under;
        match (self.root.as_ref(), self.asked.is_empty()) {
            (None, _) => format!("built-in rules: {counts}"),
            (Some(_), true) => format!("{root}: {counts}"),
            (Some(_), false) => format!(
                "{} (in the rule set {root}: {counts})",
                self.named.join(", ")
            ),
        }
    }
}

/// The rule sets the paths belong to, each once, in the order first named:
/// several paths of one rule set are checked together, as one rule set.
fn rule_sets(paths: &[PathBuf]) -> Result<Vec<RuleSet>, Exit> {
    if paths.is_empty() {
        return Ok(vec![RuleSet {
            sources: crate::rules::embedded(),
            root: None,
            asked: Vec::new(),
            named: Vec::new(),
        }]);
    }
    let buffers = rules::Buffers::new();
    let mut sets: Vec<RuleSet> = Vec::new();
    for path in paths {
        if let Err(source) = std::fs::metadata(path) {
            super::print_load_error(&rules::LoadError::Io {
                path: path.clone(),
                source,
            });
            return Err(Exit::Unusable);
        }
        let absolute = rules::absolute(path);
        let root = rules::find_root(&absolute, &buffers);
        let named = path.to_string_lossy().into_owned();
        if let Some(set) = sets.iter_mut().find(|s| s.root.is_some() && s.root == root) {
            // A folder that holds the whole rule set asks for all of it.
            if root.as_ref() == Some(&absolute) {
                set.asked.clear();
            } else if !set.asked.is_empty() {
                set.asked.push(absolute);
            }
            set.named.push(named);
            continue;
        }
        let loaded = match &root {
            Some(root) => rules::load_rule_set(root, &buffers),
            None if absolute.is_dir() => rules::load_rule_set(&absolute, &buffers),
            None => rules::single_file(&absolute),
        };
        let mut sources = match loaded {
            Ok(sources) if sources.files.is_empty() => {
                super::print_load_error(&rules::LoadError::Empty(path.clone()));
                return Err(Exit::Unusable);
            }
            Ok(sources) => {
                super::print_notes(&sources);
                sources
            }
            Err(e) => {
                super::print_load_error(&e);
                return Err(Exit::Unusable);
            }
        };
        let root = root.unwrap_or_else(|| {
            if absolute.is_dir() {
                absolute.clone()
            } else {
                absolute.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        });
        sources.shown_under = rules::shown_from_cwd(&root);
        let asked = if absolute == root {
            Vec::new()
        } else {
            vec![absolute]
        };
        sets.push(RuleSet {
            sources,
            root: Some(root),
            asked,
            named: vec![named],
        });
    }
    Ok(sets)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
