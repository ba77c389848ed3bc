//! The applications under `tests/cases/<ruleset>/` checked with the built-in
//! rules. A case named `accept-*.json` must be accepted; any other case
//! `<rule>.json` or `<rule>.<variant>.json` must give a finding of
//! `<ruleset>.<rule>`. Every rule must have a case. Each result (the JSON of
//! the spec, then the human report with its facts) is snapshotted.
//!
//! The applications under `tests/invalid/`, `<invariant>.json` or
//! `<invariant>.<variant>.json`, must be refused by that invariant of the
//! input format; every invariant must have one.

use std::collections::BTreeSet;
use std::path::Path;

use icprules::check::{Program, check};
use icprules::eval::{evaluate, read};
use icprules::report;

fn program() -> Program {
    check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program
}

/// The rule id a case file is about, or `None` for an `accept-*` case.
fn expected_rule(path: &Path) -> Option<String> {
    let ruleset = path.parent()?.file_name()?.to_str()?;
    let stem = path.file_stem()?.to_str()?;
    if stem.starts_with("accept-") {
        return None;
    }
    let rule = stem.split('.').next()?;
    Some(format!("{ruleset}.{rule}"))
}

#[test]
fn cases() {
    let program = program();
    insta::glob!("cases/*/*.json", |path| {
        let text = std::fs::read_to_string(path).expect("case file");
        let application =
            read(&program, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let outcome = evaluate(&program, &application);
        let ids: Vec<&str> = outcome
            .findings
            .iter()
            .map(|f| program.rules[f.rule].id.as_str())
            .collect();
        match expected_rule(path) {
            None => assert!(
                outcome.accepted(&program),
                "{} must be accepted, found {ids:?}",
                path.display()
            ),
            Some(id) => assert!(
                ids.contains(&id.as_str()),
                "{} must give a finding of `{id}`, found {ids:?}",
                path.display()
            ),
        }
        let json = report::json(&program, &application, &outcome, true);
        let human = report::human(&program, &application, &outcome);
        insta::assert_snapshot!(format!("{json}\n\n{human}"));
    });
}

#[test]
fn invalid_applications() {
    let program = program();
    insta::glob!("invalid/*.json", |path| {
        let text = std::fs::read_to_string(path).expect("invalid case");
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("file name");
        let invariant = stem.split('.').next().expect("invariant name");
        let index = program
            .invariants
            .iter()
            .position(|i| i.id == format!("invariant.{invariant}"))
            .unwrap_or_else(|| panic!("{stem}: no invariant `{invariant}`"));
        // Every other invariant holds: the case fails for the one it names.
        let mut only = program.clone();
        only.invariants = vec![program.invariants[index].clone()];
        let error = read(&only, &text).expect_err("must be invalid");
        let mut others = program.clone();
        others.invariants.remove(index);
        assert!(
            read(&others, &text).is_ok(),
            "{stem} fails another invariant too"
        );
        insta::assert_snapshot!(format!("{error}"));
    });
    let cases: BTreeSet<String> = std::fs::read_dir("tests/invalid")
        .expect("tests/invalid")
        .map(|e| e.expect("entry").path())
        .filter_map(|p| {
            p.file_stem()?
                .to_str()?
                .split('.')
                .next()
                .map(str::to_string)
        })
        .collect();
    for invariant in &program.invariants {
        let name = invariant.id.trim_start_matches("invariant.");
        assert!(
            cases.contains(name),
            "invariant `{name}` has no case in tests/invalid/"
        );
    }
}

#[test]
fn every_rule_has_a_case() {
    let program = program();
    let mut covered = BTreeSet::new();
    for dir in std::fs::read_dir("tests/cases").expect("tests/cases") {
        for file in std::fs::read_dir(dir.expect("entry").path()).expect("case folder") {
            if let Some(id) = expected_rule(&file.expect("entry").path()) {
                covered.insert(id);
            }
        }
    }
    let missing: Vec<&str> = program
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !covered.contains(*id))
        .collect();
    assert!(missing.is_empty(), "rules without a case: {missing:#?}");
    let unknown: Vec<&String> = covered
        .iter()
        .filter(|id| !program.rules.iter().any(|r| &r.id == *id))
        .collect();
    assert!(
        unknown.is_empty(),
        "cases named after no rule: {unknown:#?}"
    );
}
