//! `icprules fmt`: formatting keeps the meaning and every comment of a file
//! and is idempotent (over every rule file of the repository), the layout of
//! tricky inputs (snapshots of `tests/fixtures/fmt/`), and the command's
//! files, diffs and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use icprules::fmt::{comments, format_source};
use icprules::syntax::parse_file;

fn icp_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            icp_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "icp") {
            found.push(path);
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("readable")
}

/// The comments of a text, as a sorted list (a multiset).
fn comment_texts(text: &str) -> Vec<&str> {
    let mut texts: Vec<&str> = comments(text)
        .into_iter()
        .map(|c| &text[c.start..c.end])
        .collect();
    texts.sort();
    texts
}

#[test]
fn formatting_keeps_meaning_and_comments_and_is_idempotent() {
    let mut files = Vec::new();
    icp_files(Path::new("rules"), &mut files);
    icp_files(Path::new("tests/fixtures"), &mut files);
    let mut checked = 0;
    for path in &files {
        let text = read(path);
        let (before, errors) = parse_file(&text, 0);
        if !errors.is_empty() {
            continue;
        }
        let path = path.display();
        let formatted = format_source(&text).expect("a file that parses formats");
        let (after, errors) = parse_file(&formatted, 0);
        assert!(
            errors.is_empty(),
            "{path}: the formatted text does not parse: {errors:?}\n{formatted}"
        );
        assert_eq!(before, after, "{path}: formatting changed the meaning");
        assert_eq!(
            comment_texts(&text),
            comment_texts(&formatted),
            "{path}: a comment was lost or changed"
        );
        assert_eq!(
            format_source(&formatted).expect("formats again"),
            formatted,
            "{path}: formatting the formatted text changes it"
        );
        checked += 1;
    }
    // Every shipped rule file, the diagnostic fixtures and the layout
    // fixtures: a wrong folder would check nothing.
    assert!(checked >= 30, "only {checked} files were checked");
}

#[test]
fn layout_of_tricky_files() {
    insta::glob!("fixtures/fmt/*.icp", |path| {
        let text = read(path);
        let formatted = format_source(&text).expect("the fixture parses");
        insta::assert_snapshot!(formatted);
    });
}

#[test]
fn a_file_with_syntax_errors_is_not_formatted() {
    let text = read(Path::new("tests/fixtures/check/syntax-errors.icp"));
    let errors = format_source(&text).expect_err("syntax errors");
    assert_eq!(errors.len(), 3, "{errors:?}");
}

// ---- the command ----------------------------------------------------------

fn icprules(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("icprules runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("icprules finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const MESSY: &str = "def   a=1\ndef b = a+1\n";
const TIDY: &str = "def a = 1\ndef b = a + 1\n";

#[test]
fn check_lists_and_diffs_what_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let messy = dir.path().join("messy.icp");
    let tidy = dir.path().join("tidy.icp");
    let nested = dir.path().join("sub").join("nested.icp");
    std::fs::create_dir(dir.path().join("sub")).expect("folder");
    std::fs::write(&messy, MESSY).expect("write");
    std::fs::write(&tidy, TIDY).expect("write");
    std::fs::write(&nested, MESSY).expect("write");
    let folder = dir.path().to_str().expect("utf-8 path");

    let out = icprules(&["fmt", "--check", folder], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(diff.contains(&format!("--- {}", messy.display())), "{diff}");
    assert!(
        diff.contains(&format!("--- {}", nested.display())),
        "{diff}"
    );
    assert!(!diff.contains("tidy.icp"), "{diff}");
    assert!(
        diff.contains("\n-def   a=1\n") && diff.contains("\n+def a = 1\n"),
        "{diff}"
    );
    assert!(text(&out.stderr).contains("2 files not formatted: run `icprules fmt` on them"));
    assert_eq!(read(&messy), MESSY, "--check wrote a file");
    // One file is "it".
    let out = icprules(&["fmt", "--check", messy.to_str().expect("utf-8 path")], "");
    assert!(
        text(&out.stderr).contains("1 file not formatted: run `icprules fmt` on it"),
        "{}",
        text(&out.stderr)
    );

    let out = icprules(&["fmt", folder], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(read(&messy), TIDY);
    assert_eq!(read(&nested), TIDY);

    let out = icprules(&["fmt", "--check", folder], "");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let broken = dir.path().join("broken.icp");
    let messy = dir.path().join("messy.icp");
    let source = "def a = (1\n";
    std::fs::write(&broken, source).expect("write");
    std::fs::write(&messy, MESSY).expect("write");

    let out = icprules(&["fmt", dir.path().to_str().expect("utf-8 path")], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("syntax"), "{stderr}");
    assert!(
        stderr.contains("has syntax errors; it was not formatted"),
        "{stderr}"
    );
    assert_eq!(read(&broken), source);
    // The other files are still formatted.
    assert_eq!(read(&messy), TIDY);

    let out = icprules(&["fmt", "no/such/file.icp"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn without_paths_it_formats_standard_input() {
    let out = icprules(&["fmt"], MESSY);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), TIDY);

    assert_eq!(icprules(&["fmt", "--check"], TIDY).status.code(), Some(0));
    let out = icprules(&["fmt", "--check"], MESSY);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("+def a = 1"));

    assert_eq!(icprules(&["fmt"], "def = 1\n").status.code(), Some(2));
}

#[test]
fn help_shows_an_example() {
    let out = icprules(&["fmt", "--help"], "");
    assert!(text(&out.stdout).contains("icprules fmt --check rules"));
}
