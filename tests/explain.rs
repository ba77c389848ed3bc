//! `icprules explain`: a rule's section, place, conditions, overrides and text
//! as written, for the built-in rules.

use std::process::Command;

use icprules::check::{Program, check};
use icprules::report::explain::explain;
use icprules::source::Sources;

fn rules() -> (Sources, Program) {
    let sources = icprules::rules::embedded();
    let program = check(&sources).expect("the built-in rules check").program;
    (sources, program)
}

fn human(id: &str) -> String {
    let (sources, program) = rules();
    explain(&program, &sources, id)
        .unwrap_or_else(|| panic!("no rule `{id}`"))
        .human()
}

fn json(id: &str) -> String {
    let (sources, program) = rules();
    explain(&program, &sources, id)
        .unwrap_or_else(|| panic!("no rule `{id}`"))
        .json()
}

fn icprules(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_icprules"))
        // English, whatever the locale of the machine running the tests.
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(args)
        .output()
        .expect("icprules runs")
}

#[test]
fn a_national_rule_overridden_by_provinces() {
    insta::assert_snapshot!(human("national.domain-holder-is-subject"));
    insta::assert_snapshot!(json("national.domain-holder-is-subject"));
}

#[test]
fn a_province_rule_that_overrides() {
    insta::assert_snapshot!(human(
        "tianjin.domain-holder-is-subject-or-legal-representative"
    ));
}

#[test]
fn a_rule_in_a_when_group() {
    insta::assert_snapshot!(human("beijing.enterprise-not-changed-to-individual"));
    insta::assert_snapshot!(json("beijing.enterprise-not-changed-to-individual"));
}

#[test]
fn a_document_requirement() {
    insta::assert_snapshot!(human("national.authenticity-statement"));
}

/// In Chinese: the words of the explanation, the section's title and the
/// message of the rule are Chinese, the rule as written is as written.
#[test]
fn a_rule_in_chinese() {
    let (sources, program) = rules();
    let program = program.in_language(icprules::lang::Lang::Zh);
    let explain = |id| {
        explain(&program, &sources, id)
            .unwrap_or_else(|| panic!("no rule `{id}`"))
            .human()
    };
    insta::assert_snapshot!(format!(
        "{}\n{}",
        explain("national.domain-holder-is-subject"),
        explain("jiangsu.individual-website-remarks-follow-format")
    ));
}

#[test]
fn an_invariant() {
    insta::assert_snapshot!(human("invariant.website-has-a-domain"));
}

/// Every rule's quoted text is the whole rule: it starts with its keyword and
/// name, ends with its closing brace, holds its message, and is where `line`
/// says.
#[test]
fn every_rule_is_quoted_whole() {
    let (sources, program) = rules();
    for rule in program.rules.iter().chain(&program.invariants) {
        let e = explain(&program, &sources, &rule.id).expect("explained");
        let name = rule.id.split_once('.').expect("dotted id").1;
        let keyword = match e.kind {
            "document requirement" => "document",
            other => other,
        };
        assert!(
            e.text.starts_with(&format!("{keyword} {name}")),
            "{}: {}",
            rule.id,
            e.text
        );
        assert!(e.text.ends_with('}'), "{}: {}", rule.id, e.text);
        assert!(
            e.text.contains(&format!("\"{}\"", e.message)),
            "{}: message `{}`",
            rule.id,
            e.message
        );
        assert_eq!(format!("{}:{}", e.file, e.line), rule.origin);
        let file = sources
            .files
            .iter()
            .find(|f| f.path == e.file)
            .expect("file");
        for c in &e.conditions {
            let line = file.text.lines().nth(c.line - 1).expect("line");
            assert!(
                line.contains(&c.text),
                "{}: `{}` not on line {}",
                rule.id,
                c.text,
                c.line
            );
        }
    }
}

#[test]
fn the_command_explains_and_refuses_unknown_ids() {
    let out = icprules(&["explain", "national.domain-holder-is-subject"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        human("national.domain-holder-is-subject")
    );
    let out = icprules(&[
        "explain",
        "--format",
        "json",
        "national.domain-holder-is-subject",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["id"], "national.domain-holder-is-subject");

    let out = icprules(&["explain", "national.domain-holder-is-subjct"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error: no rule `national.domain-holder-is-subjct`: did you mean `national.domain-holder-is-subject`?"
        ),
        "{stderr}"
    );
    let out = icprules(&["explain", "nothing-like-it"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("error: no rule or rule set `nothing-like-it`\n")
    );

    let help = icprules(&["explain", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("icprules explain national."));
}
