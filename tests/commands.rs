//! The commands as a new user meets them: `gen` anywhere, several files to
//! `check`, `explain` of a rule set, what `docs` and `fmt` wrote, the
//! version, shell completions and the man page.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn icprules_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_icprules"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("icprules runs")
}

fn icprules(args: &[&str]) -> Output {
    icprules_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An empty temporary folder of this name.
fn temp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn gen_works_from_any_folder_with_the_built_in_corpus_and_no_notes() {
    let elsewhere = temp("gen-elsewhere");
    let out = icprules_in(&elsewhere, &["gen", "--seed", "3", "--count", "50"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "nothing to say about the corpus");
    assert_eq!(text(&out.stdout).lines().count(), 50);
    // The built-in corpus is the shipped applications: the same output as
    // naming them, which tells of the invalid ones it leaves out.
    let named = icprules(&[
        "gen",
        "--seed",
        "3",
        "--count",
        "50",
        "--corpus",
        "examples",
        "--corpus",
        "tests/cases",
    ]);
    assert_eq!(named.stdout, out.stdout);
    assert!(
        text(&named.stderr).starts_with("note: "),
        "{}",
        text(&named.stderr)
    );
}

/// A temporary folder of cases: (path in it, the shipped case to copy or the
/// text of an expectation file).
fn cases(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = temp(name);
    for (path, from) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let text = if from.ends_with(".json") {
            std::fs::read_to_string(from).expect("a shipped case")
        } else {
            from.to_string()
        };
        std::fs::write(path, text).expect("write");
    }
    dir
}

const BOTH_ADMINS: &str = "tests/cases/shanghai/subject-admin-id-document-fits-residency.json";

#[test]
fn a_case_expects_exactly_the_findings_its_name_says_unless_it_lists_more() {
    // The subject administrator is the website administrator: two rules fire.
    let case = "shanghai/subject-admin-id-document-fits-residency.json";
    let dir = cases("exact-cases", &[(case, BOTH_ADMINS)]);
    let out = icprules(&["test", dir.to_str().unwrap()]);
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("it also gave `shanghai.website-admin-id-document-fits-residency`"),
        "{shown}"
    );
    assert!(shown.contains("  + finding shanghai.website-admin-id-document-fits-residency at websites[0].admin.id_document.type"), "{shown}");
    // Listed in its expectation file, the finding is expected.
    let expect = "shanghai/subject-admin-id-document-fits-residency.expect";
    for listed in [
        "shanghai.website-admin-id-document-fits-residency\n",
        "# a comment\nshanghai.website-admin-id-document-fits-residency at websites[0].admin.id_document.type\n",
        "...\n",
    ] {
        let dir = cases("exact-listed", &[(case, BOTH_ADMINS), (expect, listed)]);
        let out = icprules(&["test", dir.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{listed}: {}",
            text(&out.stdout)
        );
    }
    // A listed finding the case does not give fails it, as does an
    // expectation file without its case.
    let dir = cases(
        "exact-missing",
        &[
            (case, BOTH_ADMINS),
            (
                expect,
                "...\nshanghai.website-admin-id-document-fits-residency at websites[1]\n",
            ),
            ("shanghai/gone.expect", "...\n"),
        ],
    );
    let out = icprules(&["test", dir.to_str().unwrap()]);
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("at `websites[1]`, as its expectation file lists"),
        "{shown}"
    );
    assert!(shown.contains("gone.expect: no case"), "{shown}");
    assert!(shown.contains("0 passed, 2 failed"), "{shown}");
}

#[test]
fn a_misnamed_case_gets_did_you_mean_from_its_own_rule_set() {
    let dir = cases(
        "misnamed",
        &[(
            "beijing/subject-admin-is-legal-represntative.json",
            "tests/cases/beijing/subject-admin-is-legal-representative.json",
        )],
    );
    let out = icprules(&["test", dir.to_str().unwrap()]);
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("did you mean `beijing.subject-admin-is-legal-representative`?"),
        "{shown}"
    );
}

#[test]
fn coverage_can_be_limited_to_a_rule_set() {
    let out = icprules(&[
        "test",
        "tests/cases/beijing",
        "--coverage",
        "--ruleset",
        "beijing",
    ]);
    let shown = text(&out.stdout);
    let rules = std::fs::read_to_string("rules/provinces/beijing.icp")
        .expect("beijing rules")
        .lines()
        .filter(|l| l.trim_start().starts_with("rule ") || l.trim_start().starts_with("document "))
        .count();
    assert!(
        shown.contains(&format!("of {rules} rules of `beijing` covered: 100.0%")),
        "{shown}"
    );
    assert!(!shown.contains("national."), "{shown}");
    let out = icprules(&[
        "test",
        "tests/cases/beijing",
        "--coverage",
        "--ruleset",
        "bejing",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `beijing`?"),
        "{}",
        text(&out.stderr)
    );
}
