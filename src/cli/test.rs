//! `icprules test`: runs rule test cases and reports rule coverage.

use std::path::PathBuf;

use super::{Exit, emit, load_rules};
use crate::eval::Hits;
use crate::testing::{discover, expectation, judge};

#[derive(clap::Args)]
#[command(
    after_help = "Case files are named for what they expect: `accept-*.json` must be \
    accepted; `<folder>/<rule>[.<variant>].json` must give a finding of `<folder>.<rule>`; \
    `invariant/<name>.json` must fail that invariant only.\n\nExamples:\n  \
    icprules test tests/cases\n  icprules test tests/cases --coverage --threshold 100"
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
    #[arg(long, value_name = "PERCENT", requires = "coverage")]
    threshold: Option<f64>,
    /// Print every case, not only failures.
    #[arg(long, short)]
    verbose: bool,
}

pub fn run(args: TestArgs) -> Exit {
    let (_, checked) = match load_rules(args.rules.as_ref()) {
        Ok(loaded) => loaded,
        Err(exit) => return exit,
    };
    let program = &checked.program;
    let cases = match discover(&args.paths) {
        Ok(cases) => cases,
        Err(e) => {
            sayln!("error: {e}");
            return Exit::Unusable;
        }
    };
    if cases.is_empty() {
        sayln!("error: no `.json` cases found");
        return Exit::Unusable;
    }
    let mut hits = vec![Hits::default(); program.rules.len()];
    let (mut passed, mut failed) = (0, 0);
    let mut out = String::new();
    for path in &cases {
        let Some(expect) = expectation(path) else {
            continue;
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                sayln!("error: cannot read `{}`: {e}", path.display());
                return Exit::Unusable;
            }
        };
        let judged = judge(program, expect, &text, Some(&mut hits));
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
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    let mut below = false;
    if args.coverage {
        let (report, percent) = coverage(program, &hits);
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

/// The coverage table: rules not seen both passing and failing, then the total.
fn coverage(program: &crate::check::Program, hits: &[Hits]) -> (String, f64) {
    let mut out = String::from(
        "\ncoverage (a rule is covered when some case made it pass and some made it fail):\n",
    );
    let mut both = 0;
    for (rule, hit) in program.rules.iter().zip(hits) {
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
    let total = program.rules.len();
    let percent = if total == 0 {
        100.0
    } else {
        both as f64 * 100.0 / total as f64
    };
    out.push_str(&format!("{both} of {total} rules covered: {percent:.1}%\n"));
    (out, percent)
}
