//! `icprules docs`: the pages of the fixture rule set in `tests/fixtures/docs/`
//! (snapshots), and what `--check` reports about a folder of pages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use icprules::docs::{GENERATED, Page, pages};
use icprules::lang::Lang;

const FIXTURE: &str = "tests/fixtures/docs";

fn fixture_pages() -> Vec<Page> {
    fixture_pages_in(Lang::En)
}

fn fixture_pages_in(lang: Lang) -> Vec<Page> {
    let sources = icprules::rules::from_dir(Path::new(FIXTURE)).expect("fixture rules");
    let checked = icprules::check::check(&sources).expect("the fixture rules check");
    assert!(checked.warnings.is_empty(), "the fixture rules are clean");
    pages(&sources, &checked.program.in_language(lang)).expect("pages")
}

fn page<'p>(pages: &'p [Page], name: &str) -> &'p str {
    &pages
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no page {name}"))
        .text
}

#[test]
fn a_page_per_rule_set_an_index_and_a_matrix() {
    let pages = fixture_pages();
    let names: Vec<&str> = pages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "alpha.md",
            "beta.md",
            "index.md",
            "matrix.md",
            "national.md"
        ]
    );
    assert!(pages.iter().all(|p| p.text.starts_with(GENERATED)));
}

#[test]
fn rule_set_page() {
    insta::assert_snapshot!(page(&fixture_pages(), "alpha.md"));
}

/// No section is cited by most of its rules: the page is titled by its name.
#[test]
fn rule_set_page_without_a_main_section() {
    let pages = fixture_pages();
    let beta = page(&pages, "beta.md");
    assert!(beta.contains("\n# Rule set `beta`\n"));
    insta::assert_snapshot!(beta);
}

#[test]
fn matrix_page() {
    insta::assert_snapshot!(page(&fixture_pages(), "matrix.md"));
}

#[test]
fn index_page() {
    insta::assert_snapshot!(page(&fixture_pages(), "index.md"));
}

/// The same pages in Chinese: the titles of the sections, the messages and
/// the pages' own words.
#[test]
fn rule_set_page_in_chinese() {
    insta::assert_snapshot!(page(&fixture_pages_in(Lang::Zh), "alpha.md"));
}

#[test]
fn index_and_matrix_pages_in_chinese() {
    let pages = fixture_pages_in(Lang::Zh);
    insta::assert_snapshot!(format!(
        "{}\n----- matrix.md -----\n{}",
        page(&pages, "index.md"),
        page(&pages, "matrix.md")
    ));
}

#[test]
fn pages_do_not_change_between_runs() {
    assert_eq!(fixture_pages(), fixture_pages());
}

fn icprules(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_icprules"))
        // English, whatever the locale of the machine running the tests.
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(args)
        .output()
        .expect("icprules runs")
}

fn docs(out: &Path, check: bool) -> Output {
    let out = out.to_str().expect("utf-8 path");
    let mut args = vec!["docs", "--rules", FIXTURE, "--out", out];
    if check {
        args.push("--check");
    }
    icprules(&args)
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn check_reports_missing_stale_and_extra_pages_and_writing_fixes_them() {
    let dir = fresh_dir("docs-check");
    let out = docs(&dir, true);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("missing: "));
    // The command that writes them is the one that checked, `--rules` and all.
    assert!(
        stderr.contains(&format!(
            "run `icprules docs --rules {FIXTURE} --out {}`",
            dir.display()
        )),
        "{stderr}"
    );
    assert!(!dir.exists(), "--check writes nothing");

    assert_eq!(docs(&dir, false).status.code(), Some(0));
    assert_eq!(docs(&dir, true).status.code(), Some(0));
    // Both languages: English in the folder, Chinese in `zh/`, each index
    // linking the other.
    let zh = std::fs::read_to_string(dir.join("zh/alpha.md")).expect("zh/alpha.md");
    assert_eq!(zh, page(&fixture_pages_in(Lang::Zh), "alpha.md"));
    let index = std::fs::read_to_string(dir.join("index.md")).expect("index.md");
    assert!(index.contains("[中文](zh/index.md)"), "{index}");
    let index = std::fs::read_to_string(dir.join("zh/index.md")).expect("zh/index.md");
    assert!(index.contains("[English](../index.md)"), "{index}");
    std::fs::write(dir.join("zh/beta.md"), format!("{GENERATED}\n\n# 过时\n")).expect("edit");
    let out = docs(&dir, true);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("zh/beta.md"));
    assert_eq!(docs(&dir, false).status.code(), Some(0));

    let alpha = dir.join("alpha.md");
    let text = std::fs::read_to_string(&alpha).expect("alpha.md");
    std::fs::write(&alpha, text.replace("Alpha", "Alfa")).expect("edit");
    std::fs::write(dir.join("gone.md"), format!("{GENERATED}\n\n# gone\n")).expect("extra");
    std::fs::write(dir.join("notes.md"), "# hand-written\n").expect("notes");
    let out = docs(&dir, true);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stale: ") && stderr.contains("alpha.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("extra: ") && stderr.contains("gone.md"),
        "{stderr}"
    );
    assert!(!stderr.contains("notes.md"), "{stderr}");

    assert_eq!(docs(&dir, false).status.code(), Some(0));
    assert_eq!(docs(&dir, true).status.code(), Some(0));
    assert!(!dir.join("gone.md").exists());
    assert!(dir.join("notes.md").exists(), "a hand-written page is kept");
    assert_eq!(
        std::fs::read_to_string(&alpha).expect("alpha.md"),
        page(&fixture_pages(), "alpha.md")
    );
}

/// `--lang` writes one language, in the folder itself.
#[test]
fn one_language_goes_in_the_folder_itself() {
    let dir = fresh_dir("docs-lang");
    let out = icprules(&[
        "docs",
        "--rules",
        FIXTURE,
        "--lang",
        "zh",
        "--out",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let alpha = std::fs::read_to_string(dir.join("alpha.md")).expect("alpha.md");
    assert_eq!(alpha, page(&fixture_pages_in(Lang::Zh), "alpha.md"));
    assert!(!dir.join("zh").exists());
}

#[test]
fn rules_with_errors_give_no_pages() {
    let rules = fresh_dir("docs-broken-rules");
    std::fs::create_dir_all(&rules).expect("dir");
    std::fs::write(rules.join("broken.icp"), "ruleset x {").expect("rules");
    let dir = fresh_dir("docs-broken-out");
    let out = icprules(&[
        "docs",
        "--rules",
        rules.to_str().expect("utf-8"),
        "--out",
        dir.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.exists());
}

/// The grid of the matrix, on the built-in rules: one row per rule set that
/// has a shared rule, a column per shared name, ✓ where it has that rule.
#[test]
fn the_matrix_grid_on_the_built_in_rules() {
    let sources = icprules::rules::embedded();
    let checked = icprules::check::check(&sources).expect("the built-in rules check");
    let pages = pages(&sources, &checked.program).expect("pages");
    let matrix = page(&pages, "matrix.md");
    let grid: Vec<&str> = matrix
        .split("## At a glance")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("a grid")
        .lines()
        .filter(|l| l.starts_with("| ["))
        .collect();
    let columns = matrix
        .lines()
        .find(|l| l.starts_with("| Rule set |"))
        .expect("a header")
        .matches(" | ")
        .count();
    assert!(columns >= 3, "{columns} columns");
    for row in &grid {
        assert_eq!(row.matches(" | ").count(), columns, "{row}");
    }
    let has = |ruleset: &str, rule: &str| {
        grid.iter()
            .find(|r| r.starts_with(&format!("| [{ruleset}]")))
            .is_some_and(|r| r.contains(&format!("({ruleset}.md#{rule})")))
    };
    assert!(has("beijing", "subject-admin-is-legal-representative"));
    assert!(!has("fujian", "subject-admin-is-legal-representative"));
    assert!(matrix.contains("1. `subject-admin-is-legal-representative` (26 rule sets)"));
}

#[test]
fn control_characters_of_rule_files_are_escaped_in_the_pages() {
    // A comment and a message holding an escape sequence and an override.
    let temp = tempfile::tempdir().expect("temp dir");
    copy_dir(Path::new(FIXTURE), temp.path());
    let national = temp.path().join("national.icp");
    let text = std::fs::read_to_string(&national).expect("read");
    let text = text.replacen(
        "message zh \"请上传网站备案信息真实性核验单\"",
        "message zh \"请上传网站备案信息真实性核验单\u{1b}[2J\u{202e}\"",
        1,
    );
    std::fs::write(&national, format!("// intro \u{1b}]0;title\u{7}\n{text}")).expect("write");
    let sources = icprules::rules::from_dir(temp.path()).expect("rules");
    let checked = icprules::check::check(&sources).expect("the rules check");
    let pages = pages(&sources, &checked.program.in_language(Lang::Zh)).expect("pages");
    let all: String = pages.iter().map(|p| p.text.as_str()).collect();
    assert!(
        !all.contains('\u{1b}') && !all.contains('\u{202e}'),
        "{all}"
    );
    assert!(all.contains("核验单\\u{1b}[2J\\u{202e}"), "{all}");
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
