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

const BOTH_ADMINS: &str = "tests/cases/national/subject-admin-id-document-fits-residency.shanghai-hong-kong-exit-entry-permit.json";

#[test]
fn a_case_expects_exactly_the_findings_its_name_says_unless_it_lists_more() {
    // The subject administrator is the website administrator: two rules fire.
    let case = "national/subject-admin-id-document-fits-residency.json";
    let dir = cases("exact-cases", &[(case, BOTH_ADMINS)]);
    let out = icprules(&["test", dir.to_str().unwrap()]);
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("it also gave `national.website-admin-id-document-fits-residency`"),
        "{shown}"
    );
    assert!(shown.contains("  + finding national.website-admin-id-document-fits-residency at websites[0].admin.id_document.type"), "{shown}");
    // Listed in its expectation file, the finding is expected.
    let expect = "national/subject-admin-id-document-fits-residency.expect";
    for listed in [
        "national.website-admin-id-document-fits-residency\n",
        "# a comment\nnational.website-admin-id-document-fits-residency at websites[0].admin.id_document.type\n",
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
                "...\nnational.website-admin-id-document-fits-residency at websites[1]\n",
            ),
            ("national/gone.expect", "...\n"),
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

#[test]
fn an_invalid_application_is_told_in_the_language_of_the_reports() {
    // A transfer without the filing it transfers breaks an invariant of the
    // format, whose message the rules give in Chinese.
    let dir = temp("invalid-in-chinese");
    let app = std::fs::read_to_string("examples/zhejiang-enterprise.json").expect("example");
    let app = app.replacen("\"action\": \"new\"", "\"action\": \"transfer\"", 1);
    let path = dir.join("app.json");
    std::fs::write(&path, app).expect("write");
    let out = icprules(&["check", "--lang", "zh", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    let said = text(&out.stderr);
    assert!(said.starts_with("错误：申请文件 `"), "{said}");
    assert!(said.contains("无效"), "{said}");
    assert!(said.contains("时须有 `transfer` 对象"), "{said}");
    for english in ["invalid application", "here", "error:"] {
        assert!(!said.contains(english), "`{english}` in {said}");
    }
}

#[test]
fn several_files_are_summed_up_in_the_language_of_the_reports() {
    let accepted = "examples/zhejiang-enterprise.json";
    let rejected = "examples/beijing-enterprise-rejected.json";
    let out = icprules(&["check", "--lang", "zh", accepted, rejected]);
    assert_eq!(out.status.code(), Some(1));
    let said = text(&out.stderr);
    assert!(
        said.contains("共检查 2 份申请：1 份通过，1 份不通过，0 份无效"),
        "{said}"
    );
    assert!(!said.contains("checked"), "{said}");
}

#[test]
fn check_takes_several_files_and_exits_with_the_worst() {
    let accepted = "examples/zhejiang-enterprise.json";
    let rejected = "examples/beijing-enterprise-rejected.json";
    let out = icprules(&["check", accepted, rejected]);
    assert_eq!(out.status.code(), Some(1));
    let shown = text(&out.stdout);
    let first = shown
        .find(&format!("==> {accepted} <==\naccept"))
        .expect("first");
    let second = shown
        .find(&format!("\n==> {rejected} <==\nreject"))
        .expect("second");
    assert!(first < second, "{shown}");
    assert!(
        text(&out.stderr).contains("checked 2 applications: 1 accepted, 1 rejected, 0 invalid"),
        "{}",
        text(&out.stderr)
    );
    // JSON: one result a line, in the order of the files, one for each
    // file even when it cannot be read.
    let out = icprules(&[
        "check",
        "--format",
        "json",
        rejected,
        "no-such.json",
        accepted,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let verdicts: Vec<String> = text(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a result a line");
            v["verdict"].as_str().expect("verdict").to_string()
        })
        .collect();
    assert_eq!(verdicts, ["reject", "invalid", "accept"]);
}

#[test]
fn batch_refuses_the_human_format() {
    let out = icprules(&["check", "--batch", "-", "--format", "human"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`--batch` writes one JSON result a line"));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn explain_a_rule_set_lists_its_rules() {
    let out = icprules(&["explain", "beijing"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    let program = icprules::check::check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program;
    let ids: Vec<&str> = program
        .rules
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| id.starts_with("beijing."))
        .collect();
    assert!(!ids.is_empty());
    for id in &ids {
        assert!(shown.contains(id), "{id} in\n{shown}");
    }
    assert!(
        shown.contains("applies   when province == beijing"),
        "{shown}"
    );
    // In Chinese, as every report.
    let out = icprules(&["explain", "beijing", "--lang", "zh"]);
    let shown = text(&out.stdout);
    assert!(shown.starts_with("beijing（规则集："), "{shown}");
    assert!(
        shown.contains("  适用      当 province == beijing（第 "),
        "{shown}"
    );
    assert!(
        shown.contains("    规则     错误    beijing.enterprise-uses-business-license"),
        "{shown}"
    );
    assert!(shown.contains("第 5.3.1 节"), "{shown}");
    assert!(!shown.contains("section"), "{shown}");
    // The conditions of the input format are listed as such, not as rules.
    let out = icprules(&["explain", "invariant"]);
    let shown = text(&out.stdout);
    assert!(
        shown.starts_with("invariant (conditions of the input format: "),
        "{shown}"
    );
    assert!(
        shown.contains("\n    invariant error   invariant."),
        "{shown}"
    );
    let out = icprules(&["explain", "--format", "json", "invariant"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["rules"][0]["kind"], "invariant");
    assert_eq!(
        json["rules"].as_array().expect("rules").len(),
        program.invariants.len()
    );
    let out = icprules(&["explain", "bejing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no rule or rule set `bejing`: did you mean `beijing`?"));
}

#[test]
fn docs_and_fmt_say_what_they_wrote() {
    let pages = temp("docs-written");
    let out_dir = pages.join("pages");
    let out = icprules(&["docs", "--out", out_dir.to_str().unwrap()]);
    let said = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains(&format!("wrote {}", out_dir.join("beijing.md").display())),
        "{said}"
    );
    assert!(said.contains("0 removed, 0 up to date"), "{said}");
    let again = text(&icprules(&["docs", "--out", out_dir.to_str().unwrap()]).stderr);
    assert!(
        again.contains(" 0 written or updated, 0 removed, "),
        "{again}"
    );
    // fmt: the file it changed, and how many it left alone.
    let file = pages.join("messy.icp");
    std::fs::write(&file, "def  x  =  true\n").expect("write");
    std::fs::write(pages.join("tidy.icp"), "def y = true\n").expect("write");
    let out = icprules(&["fmt", pages.to_str().unwrap()]);
    let said = text(&out.stderr);
    assert!(
        said.contains(&format!("formatted {}", file.display())),
        "{said}"
    );
    assert!(
        said.contains("1 file formatted, 1 already formatted"),
        "{said}"
    );
}

#[test]
fn version_names_the_edition_of_the_regulations_the_rules_encode() {
    let sections = std::fs::read_to_string("rules/sections.icp").expect("sections");
    // The English name of a `sections` or `edition` line.
    let english = |line: &str| {
        line.split_once(" en \"")
            .and_then(|(_, rest)| rest.split('"').next())
            .map(str::to_string)
    };
    let declared = sections
        .lines()
        .find(|l| l.starts_with("sections "))
        .and_then(english)
        .expect("a cited document declared in rules/sections.icp");
    // The latest edition, by issue date.
    let latest = sections
        .lines()
        .filter(|l| l.trim_start().starts_with("edition "))
        .filter_map(|l| Some((l.rsplit(' ').next()?.to_string(), english(l)?)))
        .max()
        .map(|(_, name)| name)
        .expect("an edition declared in rules/sections.icp");
    let out = icprules(&["--version"]);
    let shown = text(&out.stdout);
    assert!(shown.starts_with("icprules "), "{shown}");
    assert!(shown.contains(&format!("{declared}, {latest}")), "{shown}");
}

#[test]
fn completions_for_each_shell_know_the_commands_and_options() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = icprules(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        for word in ["explain", "completions", "batch", "coverage"] {
            assert!(script.contains(word), "{shell}: {word}");
        }
    }
    // Bash completes a command and the values of `--format`.
    let script = temp("completions").join("icprules.bash");
    std::fs::write(&script, icprules(&["completions", "bash"]).stdout).expect("write");
    let run = |words: &str, cword: usize, current: &str, previous: &str| {
        let probe = format!(
            "source {}; COMP_WORDS=({words}); COMP_CWORD={cword}; \
             _icprules icprules '{current}' '{previous}'; echo \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out = Command::new("bash")
            .args(["-c", &probe])
            .output()
            .expect("bash runs");
        text(&out.stdout).trim().to_string()
    };
    assert_eq!(run("icprules expl", 1, "expl", "icprules"), "explain");
    assert_eq!(
        run("icprules check --format ''", 3, "", "--format"),
        "human json"
    );
}

#[test]
fn man_writes_the_manual_page_or_one_per_command() {
    let out = icprules(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.contains(".TH icprules 1"), "{page}");
    assert!(page.contains("icprules\\-check(1)"), "{page}");
    let dir = temp("man").join("pages");
    let out = icprules(&["man", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for name in [
        "icprules.1",
        "icprules-check.1",
        "icprules-test.1",
        "icprules-man.1",
    ] {
        let page = std::fs::read_to_string(dir.join(name)).expect(name);
        assert!(page.starts_with(".ie"), "{name}: {page}");
    }
    let check = std::fs::read_to_string(dir.join("icprules-check.1")).expect("check page");
    assert!(check.contains("\\-\\-batch"), "{check}");
}

#[test]
fn did_you_mean_prefers_ids_of_the_same_rule_set() {
    let out = icprules(&["explain", "beijing.certificate-of-change"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `beijing.change-certificate-of-change`?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn findings_carry_their_facts_only_when_asked() {
    let rejected = "examples/beijing-enterprise-rejected.json";
    // The findings of the (first) result.
    let findings = |args: &[&str]| {
        let out = icprules(args);
        let result = serde_json::Deserializer::from_slice(&out.stdout)
            .into_iter::<serde_json::Value>()
            .next()
            .expect("a result")
            .expect("a JSON result");
        result["findings"].as_array().expect("findings").clone()
    };
    for finding in findings(&["check", "--format", "json", rejected]) {
        assert!(finding.get("facts").is_none(), "{finding}");
    }
    let with_facts = findings(&["check", "--format", "json", "--facts", rejected]);
    let first = &with_facts[0];
    assert_eq!(
        first["rule"],
        "beijing.subject-admin-is-legal-representative"
    );
    assert_eq!(
        first["facts"],
        serde_json::json!([{"path": "subject_admin.is_legal_representative", "value": false}])
    );
    // And in a batch.
    let dir = temp("facts");
    let text_of = |path: &str| {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("example")).expect("json");
        v.to_string()
    };
    let batch = dir.join("apps.jsonl");
    std::fs::write(&batch, format!("{}\n", text_of(rejected))).expect("write");
    let batch = batch.to_str().unwrap();
    assert_eq!(
        findings(&["check", "--batch", batch, "--facts"]),
        with_facts
    );
    assert!(
        findings(&["check", "--batch", batch])[0]
            .get("facts")
            .is_none()
    );
}

/// A threshold is a percentage: `NaN` (which every comparison lets pass, so
/// a CI gate would never fail), a negative one or one past 100 is refused.
#[test]
fn a_coverage_threshold_outside_0_to_100_is_refused() {
    for bad in ["NaN", "inf", "-5", "101", "ninety"] {
        let out = icprules(&[
            "test",
            "tests/cases/beijing",
            "--coverage",
            &format!("--threshold={bad}"),
        ]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("a percentage from 0 to 100"),
            "{bad}: {}",
            text(&out.stderr)
        );
    }
    let out = icprules(&[
        "test",
        "tests/cases/beijing",
        "--coverage",
        "--threshold",
        "99.5",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}
