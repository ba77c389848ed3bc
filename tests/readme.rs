//! The README and the docs as a new user follows them: the Rust version
//! Cargo.toml declares covers every dependency (and `.ci/run` builds with
//! it) and the README states it; every rule the README names exists; the
//! language reference lists every named lint and shows the `sections`
//! declaration; the format's contract holds the current schema and a valid
//! example; and no file points outside the repository.

use std::process::Command;

/// `rust-version` of Cargo.toml.
fn declared_rust_version() -> String {
    let manifest = std::fs::read_to_string("Cargo.toml").expect("Cargo.toml");
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("a rust-version in Cargo.toml")
        .to_string()
}

fn readme() -> String {
    std::fs::read_to_string("README.md").expect("README")
}

fn built_in_ids() -> Vec<String> {
    let program = icprules::check::check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program;
    program
        .rules
        .iter()
        .chain(&program.invariants)
        .map(|r| r.id.clone())
        .collect()
}

/// `1.88` as `[1, 88, 0]`, to compare with `1.88.0`.
fn parts(version: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse().expect("a version number"))
        .collect();
    parts.resize(3, 0);
    parts
}

#[test]
fn the_declared_rust_version_covers_every_dependency() {
    let ours = parts(&declared_rust_version());
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline"])
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata");
    let newer: Vec<String> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| {
            let theirs = p["rust_version"].as_str()?;
            (parts(theirs) > ours).then(|| format!("{} {theirs}", p["name"]))
        })
        .collect();
    assert!(
        newer.is_empty(),
        "dependencies that need a newer Rust: {newer:?}"
    );
}

#[test]
fn the_readme_states_the_declared_rust_version() {
    let version = declared_rust_version();
    assert!(
        readme().contains(&format!("Rust {version} or newer")),
        "README.md should say `Rust {version} or newer`"
    );
}

#[test]
fn the_rules_of_the_tour_exist() {
    let ids = built_in_ids();
    let readme = readme();
    let mut named = Vec::new();
    // The `icp` blocks: each rule and document in the rule set around it.
    for block in readme.split("```icp").skip(1) {
        let block = block.split("```").next().unwrap_or_default();
        let mut ruleset = None;
        for line in block.lines().map(str::trim) {
            let mut words = line.split_whitespace();
            match (words.next(), words.next()) {
                (Some("ruleset"), Some(name)) => ruleset = Some(name.to_string()),
                (Some("rule" | "document"), Some(name)) => {
                    let ruleset = ruleset.as_deref().expect("a rule inside a rule set");
                    named.push(format!("{ruleset}.{name}"));
                }
                _ => {}
            }
        }
    }
    // And the ids `icprules explain` is shown with.
    for line in readme.lines() {
        if let Some(rest) = line.trim().strip_prefix("icprules explain ") {
            let id = rest.split_whitespace().next().unwrap_or_default();
            if id.contains('.') {
                named.push(id.to_string());
            }
        }
    }
    assert!(named.len() >= 3, "{named:?}");
    let missing: Vec<&String> = named.iter().filter(|id| !ids.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "the README names rules that do not exist: {missing:?}"
    );
}

#[test]
fn the_language_reference_lists_every_named_lint_and_the_sections_declaration() {
    let reference = std::fs::read_to_string("docs/language.md").expect("docs/language.md");
    let missing: Vec<&str> = icprules::check::lints::LINTS
        .iter()
        .map(|l| l.name)
        .filter(|name| !reference.contains(&format!("| `{name}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "lints missing from docs/language.md: {missing:?}"
    );
    // The declaration as the built-in rules write it.
    let sections = std::fs::read_to_string("rules/sections.icp").expect("sections");
    let declared = sections
        .lines()
        .find(|l| l.starts_with("sections "))
        .expect("a sections declaration");
    assert!(
        reference.contains(declared),
        "docs/language.md should show `{declared}`"
    );
}

fn built_in() -> (icprules::source::Sources, icprules::check::Program) {
    let sources = icprules::rules::embedded();
    let program = icprules::check::check(&sources)
        .expect("the built-in rules check")
        .program;
    (sources, program)
}

#[test]
fn the_format_contract_holds_the_current_schema() {
    use icprules::docs::schema::{fill, reference};
    let (sources, program) = built_in();
    let committed =
        std::fs::read_to_string("docs/application-format.md").expect("docs/application-format.md");
    let current = fill(&committed, &reference(&sources, &program)).expect("the markers");
    assert!(
        committed == current,
        "docs/application-format.md is out of date: run \
         `cargo run -- docs --schema-doc docs/application-format.md`"
    );
    // Every key of every record is in it.
    for record in &program.schema.records {
        for field in &record.fields {
            assert!(
                committed.contains(&format!("| `{}`", field.name)),
                "{}.{}",
                record.name,
                field.name
            );
        }
    }
}

#[test]
fn the_format_contract_s_example_is_a_valid_application_and_its_result_has_the_keys_shown() {
    let (_, program) = built_in();
    let contract =
        std::fs::read_to_string("docs/application-format.md").expect("docs/application-format.md");
    let example = contract
        .split("## Example")
        .nth(1)
        .and_then(|s| s.split("```json").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("an example application");
    let application = icprules::eval::read(&program, example).expect("a valid example");
    let outcome = icprules::eval::evaluate(&program, &application);
    let result: serde_json::Value = serde_json::from_str(&icprules::report::json(
        &program,
        &application,
        &outcome,
        true,
    ))
    .expect("json");
    assert_eq!(result["verdict"], "accept");
    let shown = contract
        .split("## The result")
        .nth(1)
        .and_then(|s| s.split("```json").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("a result example");
    let shown: serde_json::Value = serde_json::from_str(shown).expect("the example result is JSON");
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("object").keys().cloned().collect()
    };
    assert_eq!(keys(&shown), keys(&result));
    assert_eq!(keys(&shown["documents"][0]), keys(&result["documents"][0]));
}

#[test]
fn no_file_points_outside_the_repository() {
    let mut offenders = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(".")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() {
                if !matches!(name.as_ref(), "target" | ".git" | "node_modules") {
                    stack.push(path);
                }
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            // This test names what it looks for.
            if path.ends_with("tests/readme.rs") {
                continue;
            }
            for needle in ["shared/spec", "shared/source", "application format spec"] {
                if text.contains(needle) {
                    offenders.push(format!("{}: {needle}", path.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn the_schema_reference_of_any_rule_set() {
    // Nothing of it is about filings: the fixture schema has its own records.
    let text = std::fs::read_to_string("tests/fixtures/schema.icp").expect("fixture schema");
    let sources = icprules::source::Sources::new(vec![icprules::source::SourceFile {
        path: "schema.icp".into(),
        text: std::sync::Arc::from(text),
    }]);
    let program = icprules::check::check(&sources)
        .expect("the fixture schema checks")
        .program;
    insta::assert_snapshot!(icprules::docs::schema::reference(&sources, &program));
}

/// The outputs docs/cli.md shows are what the commands print (stdout, then
/// stderr). A line `...` stands for lines left out: the lines shown must come
/// in that order, and every one of them exactly as printed; without a final
/// `...` nothing more is printed.
#[test]
fn the_command_reference_shows_real_outputs() {
    let reference = std::fs::read_to_string("docs/cli.md").expect("docs/cli.md");
    let mut shown = 0;
    let mut wrong = Vec::new();
    for block in reference.split("```text\n$ icprules ").skip(1) {
        let (command, rest) = block.split_once('\n').expect("a command line");
        let expected = rest.split("```").next().expect("a block");
        let out = Command::new(env!("CARGO_BIN_EXE_icprules"))
            .args(command.split_whitespace())
            .env_remove("LC_ALL")
            .env_remove("LANG")
            .env("NO_COLOR", "1")
            .output()
            .expect("icprules runs");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let mut lines = printed.lines();
        let mut elided = false;
        let wrong_before = wrong.len();
        for line in expected.lines() {
            if line.trim() == "..." {
                elided = true;
                continue;
            }
            let found = if elided {
                lines.any(|l| l == line)
            } else {
                lines.next() == Some(line)
            };
            if !found {
                wrong.push(format!("icprules {command}: `{line}` is not printed there"));
                break;
            }
            elided = false;
        }
        let ends_elided = expected.lines().last().is_some_and(|l| l.trim() == "...");
        let more = if wrong.len() == wrong_before && !ends_elided {
            lines.next()
        } else {
            None
        };
        if let Some(more) = more {
            wrong.push(format!("icprules {command}: also prints `{more}`"));
        }
        shown += 1;
    }
    assert!(shown >= 5, "{shown} outputs");
    assert!(wrong.is_empty(), "docs/cli.md: {wrong:#?}");
}
