//! Work is linear in the application (issue 13, items 1 to 3): each case is
//! built at a size N and 4N and evaluated with the built-in rules; the steps
//! the evaluator counts (its step budget's measure, the same on every
//! machine) must grow about 4 times, not 16. `scripts/bench-bounds.sh` times
//! the same cases as whole `icprules check` runs.
//!
//! And a runaway rule set is stopped by the step budget, with an error that
//! names the rule, and a lint that names the definition.

use icprules::check::{Program, check};
use icprules::eval::{Detail, Outcome, evaluate_with, fuel, read};
use icprules::rules::source_file;
use icprules::source::Sources;
use serde_json::{Value, json};
use std::path::Path;

fn program() -> Program {
    check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program
}

fn case(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("case")).expect("json")
}

fn outcome(program: &Program, application: &Value, detail: Detail) -> Outcome {
    let data = read(program, &application.to_string()).expect("a valid application");
    evaluate_with(program, &data, detail)
}

/// The steps of the case at `n` and at `4n`, in the human result's detail
/// and in JSON's; fails when either grows more than linearly.
fn assert_linear(name: &str, n: usize, make: impl Fn(usize) -> Value) {
    let program = program();
    for detail in [Detail::Facts, Detail::Path] {
        let small = outcome(&program, &make(n), detail);
        let big = outcome(&program, &make(4 * n), detail);
        let ratio = big.steps as f64 / small.steps as f64;
        eprintln!(
            "{name} ({detail:?}): {} → {} steps ({ratio:.2}×)",
            small.steps, big.steps
        );
        // Linear work is 4 times the steps (less, for the part that does
        // not grow); quadratic work would be 16 times.
        assert!(
            ratio < 5.0,
            "{name} ({detail:?}): {} steps at {n}, {} at {} ({ratio:.1}×)",
            small.steps,
            big.steps,
            4 * n
        );
        // Far from the budget: the budget grows with the application.
        assert!(big.stopped.is_empty(), "{name}: stopped");
        let values = icprules::eval::read(&program, &make(4 * n).to_string())
            .expect("valid")
            .count_values();
        let per_value = big.most_steps as f64 / values as f64;
        eprintln!("{name}: at most {per_value:.2} steps per value for one rule");
        assert!(
            per_value * 100.0 < fuel::PER_VALUE as f64,
            "{name}: {per_value:.2} steps per value"
        );
    }
}

fn website(base: &Value, i: usize) -> Value {
    let mut w = base["websites"][0].clone();
    w["name"] = json!(format!("Site {i}"));
    w["domains"][0]["name"] = json!(format!("site-{i}.com"));
    w
}

#[test]
fn membership_in_a_list_is_looked_up() {
    // `all c in w.content: c in w.pre_approvals`, with long lists.
    assert_linear("content and pre-approvals", 2_000, |n| {
        let mut app = case("tests/cases/national/accept-enterprise.json");
        // Each category is found at the end of the pre-approvals.
        let categories = ["news", "publishing", "culture", "education"];
        let content: Vec<Value> = (0..n).map(|i| json!(categories[i % 4])).collect();
        let mut approvals: Vec<Value> = (4..n).map(|_| json!("other")).collect();
        approvals.extend(categories.iter().map(|c| json!(c)));
        app["websites"][0]["content"] = json!(content);
        app["websites"][0]["pre_approvals"] = json!(approvals);
        app
    });
}

#[test]
fn distinct_is_linear() {
    // Guangdong counts the distinct prefixes of the filed domains.
    assert_linear("distinct filed domains", 2_000, |n| {
        let mut app = case("tests/cases/guangdong/accept-enterprise.json");
        let filed: Vec<Value> = (0..n).map(|i| json!(format!("filed-{i}.cn"))).collect();
        app["subject"]["filed_domains"] = json!(filed);
        app
    });
}

#[test]
fn counts_over_the_application_are_indexed() {
    // `national.service-id-one-per-website` counts, for each website, the
    // websites with its service number.
    assert_linear("service numbers", 500, |n| {
        let mut app = case("tests/cases/national/accept-enterprise.json");
        let base = app.clone();
        let websites: Vec<Value> = (0..n)
            .map(|i| {
                let mut w = website(&base, i);
                w["hosting"]["service_id"] =
                    json!({"number": format!("SN{i}"), "previously_used": false});
                w
            })
            .collect();
        app["websites"] = json!(websites);
        app
    });
    // Tianjin: no two website administrators share a mobile number.
    assert_linear("tianjin mobile numbers", 500, |n| {
        let mut app = case("tests/cases/tianjin/accept-enterprise.json");
        let base = app.clone();
        let websites: Vec<Value> = (0..n)
            .map(|i| {
                let mut w = website(&base, i);
                w["admin"]["mobile"]["number"] = json!(format!("139{i:08}"));
                w
            })
            .collect();
        app["websites"] = json!(websites);
        app
    });
}

#[test]
fn findings_are_located_in_constant_time() {
    // One finding per website, each explained and located.
    assert_linear("unverified domains", 500, |n| {
        let mut app = case("tests/cases/national/accept-enterprise.json");
        let base = app.clone();
        let websites: Vec<Value> = (0..n)
            .map(|i| {
                let mut w = website(&base, i);
                w["domains"][0]["real_name_verified"] = json!(false);
                w
            })
            .collect();
        app["websites"] = json!(websites);
        app
    });
}

/// The shipped rules are far below the budget on every case application.
#[test]
fn the_shipped_rules_are_far_below_the_budget() {
    let program = program();
    let mut most = (0, String::new());
    let mut total = 0;
    for entry in std::fs::read_dir("tests/cases").expect("cases") {
        for file in std::fs::read_dir(entry.expect("entry").path()).expect("set") {
            let path = file.expect("file").path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("case");
            let Ok(data) = read(&program, &text) else {
                continue;
            };
            let outcome = evaluate_with(&program, &data, Detail::Facts);
            if outcome.most_steps > most.0 {
                most = (outcome.most_steps, path.display().to_string());
            }
            total = total.max(outcome.steps);
        }
    }
    eprintln!(
        "the most steps of one rule: {} ({}); of one application: {total}",
        most.0, most.1
    );
    assert!(
        most.0 * 100 < fuel::BASE,
        "{} steps for one rule on {}: too close to the budget",
        most.0,
        most.1
    );
}

/// The fixture schema with one rule file.
fn checked(rules: &str) -> Program {
    let schema = std::fs::read("tests/fixtures/schema.icp").expect("fixture schema");
    let sources = Sources::new(vec![
        source_file(Path::new("schema.icp"), "schema.icp".into(), schema).expect("schema"),
        source_file(Path::new("runaway.icp"), "runaway.icp".into(), rules.into()).expect("rules"),
    ]);
    check(&sources).expect("a rule set that checks").program
}

/// `def f1(x) = f0(x) + f0(x)`, ..., 40 levels: 2^40 steps as written.
fn doubling(levels: usize, ty: &str, leaf: &str) -> String {
    let mut text = format!("def f0(x: {ty}) = {leaf}\n");
    for i in 1..=levels {
        text += &format!("def f{i}(x: {ty}) = f{}(x) + f{}(x)\n", i - 1, i - 1);
    }
    text
}

const FIXTURE_APPLICATION: &str = r#"{"province": "beijing",
    "subject": {"type": "enterprise", "name": "Example Co", "legal_representative": null},
    "admins": [], "domains": [{"name": "example.com", "tld": "com", "expired": false}],
    "documents": []}"#;

/// A rule set whose rule calls `top(1)` (or `top("x")`), defined by `defs`.
fn runaway_rules(defs: &str, call: &str) -> String {
    format!(
        "{defs}\nruleset runaway {{\n  rule doubles {{\n    source \"1\"\n    require {call}\n    \
         message zh \"失败\" en \"failed\"\n  }}\n}}\n"
    )
}

/// The rule stops with an error naming it, after at most the budget's steps.
fn assert_stopped(program: &Program) {
    let data = read(program, FIXTURE_APPLICATION).expect("valid");
    let outcome = evaluate_with(program, &data, Detail::Facts);
    assert_eq!(outcome.stopped, [0], "{outcome:?}");
    assert!(!outcome.accepted(program));
    assert_eq!(outcome.findings.len(), 1);
    let message = &outcome.findings[0].message;
    assert!(
        message.contains("`runaway.doubles`") && message.contains("steps"),
        "{message}"
    );
    assert!(outcome.most_steps <= fuel::BASE + 100 * fuel::PER_VALUE);
}

#[test]
fn a_runaway_rule_is_stopped_by_the_budget() {
    for (ty, leaf, call) in [
        ("int", "x", "f40(1) > 0"),
        // Lists and texts that double: memory is bounded by the steps.
        ("int", "[x for d in domains]", "len(f40(1)) > 0"),
        ("text", "x", "len(f40(\"abcdefgh\")) > 0"),
    ] {
        let program = checked(&runaway_rules(&doubling(40, ty, leaf), call));
        assert_stopped(&program);
    }
    // In the condition of a rule set: its first rule says so.
    let rules = format!(
        "{}\nruleset runaway when f40(1) > 0 {{\n  rule doubles {{\n    source \"1\"\n    \
         require true\n    message zh \"失败\" en \"failed\"\n  }}\n}}\n",
        doubling(40, "int", "x")
    );
    assert_stopped(&checked(&rules));
}

#[test]
fn lint_names_the_definition_whose_work_runs_away() {
    let schema = std::fs::read("tests/fixtures/schema.icp").expect("fixture schema");
    let rules = runaway_rules(&doubling(40, "int", "x"), "f40(1) > 0");
    let sources = Sources::new(vec![
        source_file(Path::new("schema.icp"), "schema.icp".into(), schema).expect("schema"),
        source_file(Path::new("runaway.icp"), "runaway.icp".into(), rules.into()).expect("rules"),
    ]);
    let checked = check(&sources).expect("a warning, not an error");
    let runaway: Vec<&str> = checked
        .warnings
        .iter()
        .filter(|d| d.code == "runaway-definition")
        .map(|d| d.message.as_str())
        .collect();
    // 2^16 + ... bodies: `f16` is the first over the limit.
    assert_eq!(runaway.len(), 1, "{runaway:?}");
    assert!(
        runaway[0].starts_with("each call of `f16` evaluates 131071"),
        "{runaway:?}"
    );
    // The shipped rules have none.
    let shipped = check(&icprules::rules::embedded()).expect("the built-in rules check");
    assert!(
        !shipped
            .warnings
            .iter()
            .any(|d| d.code == "runaway-definition"),
        "a shipped definition runs away"
    );
}
