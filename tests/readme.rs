//! The README and the language reference as a new user follows them: the
//! Rust version the README states is the one Cargo.toml declares, every rule
//! its tour and commands name exists in the built-in rules, and the
//! reference lists every named lint and shows the `sections` declaration.

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
