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
