//! `icprules test`: runs rule test cases and reports rule coverage.

use std::path::PathBuf;

use super::{AsOfArg, Exit, emit, load_rules};
use crate::eval::Hits;
use crate::testing::{discover_noting, expectation, judge, read_expectation_file};

#[derive(clap::Args)]
#[command(
    after_help = "Case files are named for what they expect, exactly: `accept-*.json` must be \
    accepted with no finding; `<folder>/<rule>[.<variant>].json` must give a finding of \
    `<folder>.<rule>` and of no other rule; `invariant/<name>.json` must fail that invariant \
    only.\n\n\
    Other findings a case is meant to give are listed beside it in `<name>.expect` (the case's \
    file name with `.expect`): one a line, `RULE_ID` or `RULE_ID at PATH`, `#` comments; a line \
    `...` allows findings that are not listed.\n\nA case is checked on `--as-of`'s day if given, else on its own date \
    (the field the schema's `as_of` names), else on the issue date of the latest edition, \
    never on today: a case gives the same verdict whatever day the tests run, as under \
    `cargo test` and the editor's code lens.\n\nExamples:\n  \
    icprules test tests/cases\n  icprules test tests/cases --coverage --threshold 100\n  \
    icprules test tests/cases/beijing --coverage --ruleset beijing"
)]
pub struct TestArgs {
    /// Case files, or folders searched for `*.json` cases.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Use the rule set in this folder instead of the built-in one.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Report, per rule, whether the cases made it both pass and fail.
    #[arg(long)]
    coverage: bool,
    /// With `--coverage`: fail (exit 1) when fewer than this percentage of
    /// rules were seen both passing and failing.
    #[arg(long, value_name = "PERCENT", requires = "coverage", value_parser = parse_percent)]
    threshold: Option<f64>,
    /// With `--coverage`: count only the rules of this rule set (the part
    /// of their ids before the dot).
    #[arg(long, value_name = "NAME", requires = "coverage")]
    ruleset: Option<String>,
    /// Print every case, not only failures.
    #[arg(long, short)]
    verbose: bool,
    #[command(flatten)]
    as_of: AsOfArg,
}

pub fn run(args: TestArgs) -> Exit {
    let (_, checked) = match load_rules(args.rules.as_ref()) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let mut program = args.as_of.apply(checked.program);
    // A suite that passes today must not fail on the day a dated rule comes
    // into force with no commit in between: undated cases are judged on the
    // latest edition's date, as by `cargo test` and the code lens.
    program.today = None;
    let program = &program;
    let cases = match discover_noting(&args.paths) {
        Ok((cases, notes)) => {
            for note in notes {
                sayln!("note: {}", crate::terminal::escaped(&note));
            }
            cases
        }
        Err(e) => {
            sayln!("error: {e}");
            return Exit::Unusable;
        }
    };
    if cases.is_empty() {
        sayln!("error: no `.json` cases found");
        return Exit::Unusable;
    }
    if let Some(name) = &args.ruleset
        && !program.rules.iter().any(|r| ruleset_of(&r.id) == name)
    {
        let mut sets: Vec<&str> = program.rules.iter().map(|r| ruleset_of(&r.id)).collect();
        sets.dedup();
        sayln!("error: no rule set `{name}`");
        if let Some(close) = crate::diagnostic::closest(name, sets.iter().copied()) {
            sayln!("  help: did you mean `{close}`?");
        }
        return Exit::Unusable;
    }
    let mut hits = vec![Hits::default(); program.rules.len()];
    let (mut passed, mut failed) = (0, 0);
    let mut out = String::new();
    for path in &cases {
        let Some(expect) = expectation(path) else {
            continue;
        };
        let text = match super::read_application_text(path) {
            Ok(text) => text,
            Err(e) => {
                sayln!("error: cannot read `{}`: {e}", path.display());
                return Exit::Unusable;
            }
        };
        let listed = match read_expectation_file(path) {
            Ok(listed) => listed,
            Err(e) => {
                sayln!(
                    "error: cannot read the expectation file of `{}`: {e}",
                    path.display()
                );
                return Exit::Unusable;
            }
        };
        let judged = judge(program, expect, listed.as_deref(), &text, Some(&mut hits));
        match &judged.failure {
            None => {
                passed += 1;
                if args.verbose {
                    out.push_str(&format!("ok   {}\n", path.display()));
                }
            }
            Some(why) => {
                failed += 1;
                out.push_str(&format!(
                    "FAIL {}: {why}\n{}",
                    path.display(),
                    judged.diff()
                ));
            }
        }
    }
    // An expectation file whose case is gone (renamed, removed) expects
    // nothing any more.
    for orphan in orphans(&args.paths) {
        failed += 1;
        out.push_str(&format!(
            "FAIL {}: no case `{}` beside it\n",
            orphan.display(),
            orphan.with_extension("json").display()
        ));
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    let mut below = false;
    if args.coverage {
        let (report, percent) = coverage(program, &hits, args.ruleset.as_deref());
        out.push_str(&report);
        if let Some(threshold) = args.threshold
            && percent < threshold
        {
            out.push_str(&format!(
                "coverage {percent:.1}% is below the threshold {threshold}%\n"
            ));
            below = true;
        }
    }
    emit(&out);
    if failed > 0 || below {
        Exit::Rejected
    } else {
        Exit::Ok
    }
}

/// The rule set of a rule id: the part before the dot.
fn ruleset_of(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

/// Expectation files below the given paths that have no case beside them.
fn orphans(paths: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &std::path::Path, found: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            // As the cases are found: a link to a folder is not followed.
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "expect")
                && !path.with_extension("json").exists()
            {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for path in paths.iter().filter(|p| p.is_dir()) {
        walk(path, &mut found);
    }
    found.sort();
    found
}

/// The coverage table: rules (of `ruleset`, if given) not seen both passing
/// and failing, then the total.
fn coverage(
    program: &crate::check::Program,
    hits: &[Hits],
    ruleset: Option<&str>,
) -> (String, f64) {
    let mut out = String::from(
        "\ncoverage (a rule is covered when some case made it pass and some made it fail):\n",
    );
    let mut both = 0;
    let mut total = 0;
    for (rule, hit) in program.rules.iter().zip(hits) {
        if ruleset.is_some_and(|name| ruleset_of(&rule.id) != name) {
            continue;
        }
        total += 1;
        let state = match (hit.passed, hit.failed) {
            (true, true) => {
                both += 1;
                continue;
            }
            (true, false) => "never failed",
            (false, true) => "never passed",
            (false, false) => "never applied",
        };
        out.push_str(&format!("  {:<14} {}  ({})\n", state, rule.id, rule.origin));
    }
    let percent = if total == 0 {
        100.0
    } else {
        both as f64 * 100.0 / total as f64
    };
    let of = ruleset.map_or(String::new(), |name| format!(" of `{name}`"));
    out.push_str(&format!(
        "{both} of {total} rules{of} covered: {percent:.1}%\n"
    ));
    (out, percent)
}

/// A percentage, 0 to 100: `NaN` would let every coverage pass.
fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{text}` is not a percentage from 0 to 100")),
    }
}
