//! The minimum Rust version: `rust-version` in Cargo.toml is at least what
//! every dependency asks for (tests/readme.rs: the README says the same;
//! `.ci/run` builds the crate with that version).

use std::process::Command;

/// `rust-version` of Cargo.toml.
fn declared() -> String {
    let manifest = std::fs::read_to_string("Cargo.toml").expect("Cargo.toml");
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("a rust-version in Cargo.toml")
        .to_string()
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
    let ours = parts(&declared());
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
