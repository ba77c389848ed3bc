//! The applications under `tests/cases/` judged with the built-in rules, by
//! the same code as `icprules test tests/cases` (see `icprules::testing`):
//! `<ruleset>/accept-*.json` must be accepted with no finding;
//! `<ruleset>/<rule>[.<variant>].json` must give a finding of
//! `<ruleset>.<rule>` and no other, but for the findings its
//! `<rule>[.<variant>].expect` file lists; `invariant/<name>[.<variant>].json`
//! must fail that invariant of the input format and no other. Every rule and
//! every invariant must have a case. Each result (the JSON result, then
//! the human report with its facts in English and in Chinese; or the input
//! error) is snapshotted.

use std::collections::BTreeSet;

use icprules::check::{Program, check};
use icprules::eval::{evaluate, read};
use icprules::lang::Lang;
use icprules::report;
use icprules::testing::{Expect, Got, discover, expectation, judge, read_expectation_file};

fn program() -> Program {
    check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program
}

#[test]
fn cases() {
    let program = program();
    let chinese = program.clone().in_language(Lang::Zh);
    insta::glob!("cases/*/*.json", |path| {
        let text = std::fs::read_to_string(path).expect("case file");
        let expect = expectation(path).expect("a case");
        let listed = read_expectation_file(path).expect("a readable expectation file");
        let judged = judge(&program, expect, listed.as_deref(), &text, None);
        assert!(
            judged.passed(),
            "{}: {}\n{}",
            path.display(),
            judged.failure.as_deref().unwrap_or_default(),
            judged.diff()
        );
        let snapshot = match &judged.got {
            Got::Verdict(..) => {
                let application = read(&program, &text).expect("valid");
                let outcome = evaluate(&program, &application);
                let json = report::json(&program, &application, &outcome, true);
                let human = report::human(&program, &application, &outcome);
                let chinese =
                    report::human(&chinese, &application, &evaluate(&chinese, &application));
                format!("{json}\n\n{human}\n\n{chinese}")
            }
            Got::Invalid(_, error) => error.clone(),
        };
        insta::assert_snapshot!(snapshot);
    });
}

#[test]
fn every_rule_and_invariant_has_a_case() {
    let program = program();
    let covered: BTreeSet<String> = discover(&["tests/cases".into()])
        .expect("tests/cases")
        .iter()
        .filter_map(|p| match expectation(p)? {
            Expect::Id(id) => Some(id),
            Expect::Accept => None,
        })
        .collect();
    let missing: Vec<&str> = program
        .rules
        .iter()
        .chain(&program.invariants)
        .map(|r| r.id.as_str())
        .filter(|id| !covered.contains(*id))
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:#?}");
}
