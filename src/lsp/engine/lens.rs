//! "Run the tests of this rule set": a lens over each `ruleset` that runs
//! its cases (`tests/cases/<ruleset>/`, as `icprules test` does, with the
//! same judge) and shows how many passed and how many of its rules they
//! cover, or why there are none to run.

use std::path::PathBuf;

use crate::eval::Hits;
use crate::lsp::snapshot::Snapshot;
use crate::source::{FileId, Span};
use crate::syntax::ast::Item;
use crate::testing::{discover, expectation, judge, read_expectation_file};

#[derive(Clone, Debug)]
pub struct Lens {
    pub span: Span,
    pub title: String,
    /// The rule set whose tests the lens runs, when there are some to run.
    pub ruleset: Option<String>,
}

/// The outcome of a rule set's cases.
#[derive(Clone, Debug)]
pub struct TestRun {
    pub ruleset: String,
    pub folder: PathBuf,
    pub passed: usize,
    /// Each failing case and why.
    pub failures: Vec<(PathBuf, String)>,
    /// Rules of the rule set that some case made pass and some fail.
    pub covered: usize,
    pub rules: usize,
}

impl TestRun {
    pub fn summary(&self) -> String {
        format!(
            "tests of {}: {} passed, {} failed; {} of {} rules covered",
            self.ruleset,
            self.passed,
            self.failures.len(),
            self.covered,
            self.rules
        )
    }

    /// The summary and every failure, for a message.
    pub fn report(&self) -> String {
        let mut out = self.summary();
        for (path, why) in &self.failures {
            out.push_str(&format!("\nFAIL {}: {why}", path.display()));
        }
        out
    }
}

pub fn lenses(snapshot: &Snapshot, file: FileId) -> Vec<Lens> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for item in &snapshot.analysis.files[file as usize].items {
        let Item::Ruleset(rs) = item else { continue };
        if seen.contains(&&rs.name.node) {
            continue;
        }
        seen.push(&rs.name.node);
        let (title, ruleset) = match run_tests(snapshot, &rs.name.node) {
            Ok(run) => (format!("▶ {}", run.summary()), Some(rs.name.node.clone())),
            Err(why) => (why, None),
        };
        out.push(Lens {
            span: snapshot.to_current(rs.name.span),
            title,
            ruleset,
        });
    }
    out
}

/// Runs the cases of a rule set, or says why it cannot.
pub fn run_tests(snapshot: &Snapshot, ruleset: &str) -> Result<TestRun, String> {
    let Some(program) = &snapshot.analysis.program else {
        return Err("tests not run: the rule set has errors".into());
    };
    let Some(cases) = &snapshot.cases else {
        return Err("no test cases: no `tests/cases` folder above the rule set".into());
    };
    let folder = cases.join(ruleset);
    let shown = folder.strip_prefix(cases.parent().and_then(|p| p.parent()).unwrap_or(cases));
    let shown = shown.unwrap_or(&folder).display().to_string();
    if !folder.is_dir() {
        return Err(format!("no test cases: add applications to `{shown}/`"));
    }
    let paths = discover(std::slice::from_ref(&folder))
        .map_err(|e| format!("cannot read the test cases: {e}"))?;
    let mut hits = vec![Hits::default(); program.rules.len()];
    let (mut passed, mut failures) = (0, Vec::new());
    for path in paths {
        let Some(expect) = expectation(&path) else {
            continue;
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let listed = read_expectation_file(&path).map_err(|e| {
            format!(
                "cannot read the expectation file of `{}`: {e}",
                path.display()
            )
        })?;
        let judged = judge(program, expect, listed.as_deref(), &text, Some(&mut hits));
        match judged.failure {
            None => passed += 1,
            Some(why) => failures.push((path, why)),
        }
    }
    if passed + failures.len() == 0 {
        return Err(format!("no test cases in `{shown}/`"));
    }
    let prefix = format!("{ruleset}.");
    let own: Vec<&Hits> = program
        .rules
        .iter()
        .zip(&hits)
        .filter(|(rule, _)| rule.id.starts_with(&prefix))
        .map(|(_, h)| h)
        .collect();
    Ok(TestRun {
        ruleset: ruleset.to_string(),
        folder,
        passed,
        failures,
        covered: own.iter().filter(|h| h.passed && h.failed).count(),
        rules: own.len(),
    })
}
