//! The policy editors' commands: `lint` formats and named lints, `test` with
//! coverage, and output to a closed pipe.

use std::process::{Command, Output};

fn icprules(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_icprules"))
        // English, whatever the locale of the machine running the tests.
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(args)
        .output()
        .expect("icprules runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary folder with the given files.
fn folder(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("icprules-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, content) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
    dir
}

const REJECTED: &str = "tests/cases/national/domain-holder-is-subject.json";
const ACCEPTED: &str = "tests/cases/national/accept-enterprise.json";

#[test]
fn test_agrees_with_cargo_test_on_the_shipped_cases() {
    let out = icprules(&["test", "tests/cases"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains(" passed, 0 failed"));
}

#[test]
fn a_failing_case_is_shown_with_a_diff() {
    let accepted = std::fs::read_to_string(ACCEPTED).expect("case");
    let rejected = std::fs::read_to_string(REJECTED).expect("case");
    let dir = folder(
        "failing",
        &[
            // Named after a rule it does not break, and an accept that is not.
            ("national/domain-not-expired.json", &accepted),
            ("national/accept-wrongly.json", &rejected),
        ],
    );
    let out = icprules(&["test", dir.to_str().expect("path")]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("0 passed, 2 failed"), "{stdout}");
    assert!(
        stdout.contains("  - finding national.domain-not-expired\n  + verdict accept"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "  - verdict accept\n  + verdict reject\n  + finding national.domain-holder-is-subject"
        ),
        "{stdout}"
    );
}

#[test]
fn coverage_below_the_threshold_fails() {
    let out = icprules(&[
        "test",
        REJECTED,
        ACCEPTED,
        "--coverage",
        "--threshold",
        "50",
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("never failed"), "{stdout}");
    assert!(stdout.contains("is below the threshold 50%"), "{stdout}");
    // The one rule the two cases make both pass and fail is not listed.
    assert!(
        !stdout.contains("national.domain-holder-is-subject "),
        "{stdout}"
    );
    let out = icprules(&["test", REJECTED, ACCEPTED, "--coverage", "--threshold", "0"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_case_named_after_no_rule_fails() {
    let accepted = std::fs::read_to_string(ACCEPTED).expect("case");
    let dir = folder("unnamed", &[("national/no-such-rule.json", &accepted)]);
    let out = icprules(&["test", dir.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("which is no rule or invariant"));
}

const BROKEN: &str = r#"
input A
record A { name: text zh "名称" en "name" }
sections { "1" zh "概述" en "Overview" }
ruleset demo {
  rule cites-nothing-known {
    source "2"
    require name != ""
    message zh "名称为空" en "The name is empty."
  }
}
"#;

#[test]
fn lint_writes_sarif_for_code_scanning() {
    let dir = folder("sarif", &[("demo.icp", BROKEN)]);
    let out = icprules(&["lint", dir.to_str().expect("path"), "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif is json");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["unknown-section", "message-style", "message-style"]);
    let region = &results[0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 7);
    assert_eq!(region["startColumn"], 12);
    let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .expect("uri");
    assert!(uri.ends_with("/demo.icp"), "{uri}");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "constant-condition"));
}

#[test]
fn lint_json_and_allow() {
    let dir = folder("json", &[("demo.icp", BROKEN)]);
    let path = dir.to_str().expect("path");
    let out = icprules(&["lint", path, "--format", "json", "--allow", "message-style"]);
    let items: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let items = items.as_array().expect("array");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["code"], "unknown-section");
    assert_eq!(items[0]["line"], 7);
    assert_eq!(items[0]["help"], "did you mean `1`?");
    let out = icprules(&["lint", path, "--allow", "mesage-style"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("did you mean `message-style`?"));
}

#[test]
fn warnings_fail_only_when_denied() {
    let rules = "input A\nrecord A { name: text }\nruleset demo {\n  rule r {\n    source \"1\"\n    require name != \"\"\n    message \"The name is empty\"\n  }\n}\n";
    let dir = folder("deny", &[("demo.icp", rules)]);
    let path = dir.to_str().expect("path");
    assert_eq!(icprules(&["lint", path]).status.code(), Some(0));
    assert_eq!(
        icprules(&["lint", path, "--deny-warnings"]).status.code(),
        Some(1)
    );
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    let bin = env!("CARGO_BIN_EXE_icprules");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{bin}' lint --list | head -c 1 >/dev/null; '{bin}' lint --format sarif | head -c 1"
        ))
        .output()
        .expect("sh runs");
    assert!(
        !text(&out.stderr).contains("panicked"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_coverage_table_agrees_with_the_rules() {
    let out = icprules(&["sources", "--check", "docs/coverage.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn a_coverage_table_that_disagrees_fails() {
    let rules = "input A\nrecord A { name: text }\nsections {\n  \"1\" \"One\"\n  \"2\" \"Two\"\n  \"3\" \"Three\"\n}\n\
        ruleset demo {\n  rule named {\n    source \"1\"\n    require name != \"\"\n    message \"no name\"\n  }\n\
        rule short {\n    source \"3\"\n    require name != \"x\"\n    message \"x\"\n  }\n}\n";
    let table = "| section | bullet | implemented by |\n|---|---|---|\n\
        | 1 | \"a name\" | `demo.named`, `demo.nmed` |\n\
        | 2 | \"two\" | `demo.named` |\n\
        | 2 | \"advice\" | advice only: nothing in `demo.x` to check |\n\
        | 9 | \"nine\" | not checkable from application facts: no such fact |\n";
    let dir = folder(
        "coverage",
        &[("rules/demo.icp", rules), ("coverage.md", table)],
    );
    let out = icprules(&[
        "sources",
        "--rules",
        dir.join("rules").to_str().expect("path"),
        "--check",
        dir.join("coverage.md").to_str().expect("path"),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("line 3: no rule `demo.nmed` (did you mean `demo.named`?)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4: section `2` is mapped to rules, but no rule cites it"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 6: section `9` is not declared in `sections`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("section `3` is cited by `demo.short` but has no row"),
        "{stderr}"
    );
    assert!(
        stderr.contains("rule `demo.short` (demo.icp:14) is in no row"),
        "{stderr}"
    );
    assert!(stderr.contains("5 problems"), "{stderr}");
    let out = icprules(&[
        "sources",
        "--rules",
        dir.join("rules").to_str().expect("path"),
    ]);
    assert_eq!(
        text(&out.stdout),
        "| section | title | rules |\n|---|---|---|\n| 1 | One | `demo.named` |\n| 2 | Two | none |\n| 3 | Three | `demo.short` |\n"
    );
}

/// A rule set laid out as policy editors lay one out: the schema at the
/// root, shared definitions beside it, one file per province below.
fn provinces(name: &str, province: &str) -> std::path::PathBuf {
    folder(
        name,
        &[
            ("schema.icp", "input A\nrecord A { name: text, age: int }\n"),
            ("common.icp", "def adult = age >= 18\n"),
            ("provinces/p.icp", province),
        ],
    )
}

const PROVINCE: &str = "import \"../common.icp\"\n\nruleset p {\n  rule adult-filer {\n    source \"1\"\n    require adult\n    message \"the filer is too young\"\n  }\n\n  rule named {\n    source \"1\"\n    require nme != \"\"\n    message \"the name is empty\"\n  }\n}\n";

#[test]
fn lint_checks_a_file_within_the_rule_set_it_belongs_to() {
    let dir = provinces("lint-file", PROVINCE);
    let file = dir.join("provinces/p.icp");
    let out = icprules(&["lint", file.to_str().expect("path")]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("`nme` is not defined"), "{stderr}");
    assert!(!stderr.contains("no `input` record"), "{stderr}");
    assert!(!stderr.contains("`adult` is not defined"), "{stderr}");
    assert!(
        stderr.contains("(in the rule set") && stderr.contains("3 files, 2 rules): 1 error"),
        "{stderr}"
    );
}

#[test]
fn several_paths_of_one_rule_set_are_checked_as_one() {
    let dir = provinces("lint-paths", PROVINCE);
    let out = icprules(&[
        "lint",
        dir.join("provinces/p.icp").to_str().expect("path"),
        dir.join("common.icp").to_str().expect("path"),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(stderr.matches("in the rule set").count(), 1, "{stderr}");
    assert_eq!(
        stderr.matches("`nme` is not defined").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn lint_shows_one_path_in_every_format() {
    let dir = provinces("lint-formats", PROVINCE);
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_icprules"))
            .args(["lint", "provinces/p.icp", "--format", format])
            .current_dir(&dir)
            .output()
            .expect("icprules runs");
        (text(&out.stdout), text(&out.stderr))
    };
    let (_, human) = run("human");
    assert!(human.contains("[provinces/p.icp:12:13]"), "{human}");
    let (json, _) = run("json");
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(json[0]["file"], "provinces/p.icp");
    let (sarif, _) = run("sarif");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("sarif");
    let location = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "provinces/p.icp");
    assert_eq!(location["region"]["startLine"], 12);
}

#[test]
fn a_syntax_error_in_one_file_does_not_hide_the_others() {
    let dir = provinces("lint-broken", PROVINCE);
    std::fs::write(
        dir.join("common.icp"),
        "def adult = age >= 18\ndef broken = ((\n",
    )
    .expect("write");
    let out = icprules(&["lint", dir.to_str().expect("path")]);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("syntax"), "{stderr}");
    assert!(stderr.contains("`nme` is not defined"), "{stderr}");
    // `adult` is still known from the part of the broken file that parses.
    assert!(!stderr.contains("`adult` is not defined"), "{stderr}");
}

const DUPLICATE: &str = r#"input A
record A { name: text zh "名称" en "name" }
sections { "1" zh "概述" en "Overview" }
ruleset demo {
  rule named {
    source "1"
    require name != ""
    message zh "名称为空" en "the name is empty"
  }
  rule named {
    source "1"
    require name != "x"
    message zh "名称为 x" en "the name is x"
  }
}
"#;

#[test]
fn lint_gives_related_places_and_one_path_in_every_format() {
    // Run from the folder above the rule set: every format names the file
    // as the command line reaches it, and carries the first declaration.
    let dir = folder("lint-related", &[("demo.icp", DUPLICATE)]);
    let parent = dir.parent().expect("parent");
    let name = dir.file_name().expect("name").to_str().expect("utf-8");
    let run = |format: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_icprules"))
            .env_remove("LC_ALL")
            .env_remove("LANG")
            .args(["lint", name, "--format", format])
            .current_dir(parent)
            .output()
            .expect("icprules runs");
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        (text(&out.stdout), text(&out.stderr))
    };
    let file = format!("{name}/demo.icp");
    let (_, human) = run("human");
    assert!(human.contains(&format!("[{file}:10:8]")), "{human}");
    assert!(human.contains("first declared here"), "{human}");
    let (json, _) = run("json");
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(json[0]["code"], "duplicate");
    assert_eq!(json[0]["file"], file.as_str());
    assert_eq!(
        json[0]["related"],
        serde_json::json!([{
            "file": file,
            "line": 5,
            "column": 8,
            "end_line": 5,
            "end_column": 13,
            "label": "first declared here"
        }])
    );
    let (sarif, _) = run("sarif");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("sarif");
    let related = &sarif["runs"][0]["results"][0]["relatedLocations"][0];
    assert_eq!(related["message"]["text"], "first declared here");
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        file.as_str()
    );
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 5);
}
