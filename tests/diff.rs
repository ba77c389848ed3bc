//! `icprules diff`: the shipped rules against a modified copy (golden JSON
//! and Markdown), the impact on a small corpus whose changes are known,
//! identical rule sets, `--fail-on` exit statuses and `--old-rev` in a git
//! repository.

use std::path::Path;
use std::process::{Command, Output};

fn icprules(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_icprules"))
        // English, whatever the locale of the machine running the tests.
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("icprules runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

fn repo_rules() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

/// Replaces `from` by `to` in a rule file, which must hold `from` once.
fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("rule file");
    assert_eq!(text.matches(from).count(), 1, "{from:?} once in {file:?}");
    std::fs::write(file, text.replace(from, to)).expect("write");
}

/// The five kinds of change, in Beijing's rules, and one that is only
/// layout: a severity, a message, a rule added, a rule removed, a condition.
fn modify(rules: &Path) {
    let beijing = rules.join("provinces/beijing.icp");
    // Severity.
    edit(
        &beijing,
        "rule website-domains-share-prefix {\n    severity warning",
        "rule website-domains-share-prefix {\n    severity error",
    );
    // Message (English only).
    edit(
        &beijing,
        "in Beijing the legal representative must be the subject administrator",
        "in Beijing the subject administrator must be the legal representative",
    );
    // Removed.
    let text = std::fs::read_to_string(&beijing).expect("beijing");
    let start = text.find("  rule citizen-uses-id-card {").expect("rule");
    let end = start + text[start..].find("\n  }\n").expect("end") + "\n  }\n".len();
    std::fs::write(&beijing, format!("{}{}", &text[..start], &text[end..])).expect("write");
    // Condition.
    edit(
        &beijing,
        "    for w in websites, d in w.domains\n    require d.registrar_in_china",
        "    for w in websites, d in w.domains\n    when w.name != \"\"\n    require d.registrar_in_china",
    );
    // Added: a document requirement.
    edit(
        &beijing,
        "  // \"Obviously different prefixes\" cannot",
        "  document letter-of-guarantee {\n    source \"5.3.1\"\n    when enterprise_filing\n    \
         requires letter_of_guarantee\n    message zh \"北京市要求企业上传阿里云备案保证函\" \
         en \"enterprises in Beijing must upload the Alibaba Cloud letter of guarantee\"\n  }\n\n  \
         // \"Obviously different prefixes\" cannot",
    );
    // Layout only: not a change.
    edit(
        &beijing,
        "    when business_filing\n    require files_with_business_license",
        "    when   business_filing\n    require\n      (files_with_business_license)",
    );
}

/// A folder holding `old` (a copy of the shipped rules) and `new` (the
/// copy modified by `change`), so that outputs name them `old` and `new`.
fn old_and_new(change: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo_rules(), &dir.path().join("old"));
    copy_dir(&repo_rules(), &dir.path().join("new"));
    change(&dir.path().join("new"));
    dir
}

/// One application a line: `case` files of tests/cases, compacted, or a
/// line as it is.
fn corpus(dir: &Path, lines: &[&str]) -> String {
    let mut out = String::new();
    for line in lines {
        if let Some(case) = line.strip_prefix("case:") {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/cases")
                .join(case);
            let text = std::fs::read_to_string(path).expect("case");
            let value: serde_json::Value = serde_json::from_str(&text).expect("json");
            out.push_str(&serde_json::to_string(&value).expect("json"));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    std::fs::write(dir.join("apps.jsonl"), out).expect("write corpus");
    "apps.jsonl".into()
}

/// Lines 1-7: Beijing enterprise accepted (the new document makes it
/// rejected), a Beijing citizen rejected only by the removed rule (now
/// accepted), a blank line, a Zhejiang enterprise (untouched), a line that
/// is not JSON (invalid both ways), the Beijing prefix warning (now an
/// error), an application missing a key (invalid both ways).
const CORPUS: &[&str] = &[
    "case:beijing/accept-enterprise.json",
    "case:beijing/citizen-uses-id-card.json",
    "",
    "case:national/accept-enterprise.json",
    "not json",
    "case:beijing/website-domains-share-prefix.json",
    "{}",
];

#[test]
fn shipped_rules_against_a_modified_copy_json() {
    let dir = old_and_new(modify);
    let out = icprules(dir.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids = |key: &str| -> Vec<String> {
        json["rules"][key]
            .as_array()
            .expect("list")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_string())
            .collect()
    };
    assert_eq!(ids("added"), ["beijing.letter-of-guarantee"]);
    assert_eq!(ids("removed"), ["beijing.citizen-uses-id-card"]);
    // The rule laid out anew is not among the changed.
    assert_eq!(
        ids("changed"),
        [
            "beijing.domain-registered-in-china",
            "beijing.subject-admin-is-legal-representative",
            "beijing.website-domains-share-prefix",
        ]
    );
    insta::assert_snapshot!("modified_copy_json", stdout(&out));
}

#[test]
fn shipped_rules_against_a_modified_copy_markdown() {
    let dir = old_and_new(modify);
    let out = icprules(dir.path(), &["diff", "old", "new", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // The summary table comes before anything folded.
    assert!(text.find("| rules added | 1 |") < text.find("<details>"));
    insta::assert_snapshot!("modified_copy_markdown", text);
}

#[test]
fn impact_on_a_small_corpus() {
    let dir = old_and_new(modify);
    let apps = corpus(dir.path(), CORPUS);
    let out = icprules(
        dir.path(),
        &["diff", "old", "new", "--apps", &apps, "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let impact = &json["impact"];
    assert_eq!(
        impact["applications"], 6,
        "the blank line is no application"
    );
    assert_eq!(impact["verdicts_changed"], 3);
    assert_eq!(impact["new_rejects"], 2);
    let changed: Vec<(u64, &str, &str)> = impact["changed_applications"]
        .as_array()
        .expect("list")
        .iter()
        .map(|a| {
            (
                a["line"].as_u64().expect("line"),
                a["old"].as_str().expect("old"),
                a["new"].as_str().expect("new"),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            (1, "accept", "reject"),
            (2, "reject", "accept"),
            (6, "accept", "reject"),
        ]
    );
    insta::assert_snapshot!("impact_json", stdout(&out));

    // The same in one job and in two, and the list cut with "and N more".
    let one = icprules(
        dir.path(),
        &[
            "diff", "old", "new", "--apps", &apps, "--jobs", "1", "--list", "1",
        ],
    );
    let two = icprules(
        dir.path(),
        &[
            "diff", "old", "new", "--apps", &apps, "--jobs", "2", "--list", "1",
        ],
    );
    assert_eq!(stdout(&one), stdout(&two));
    assert!(stdout(&one).contains("… and 2 more"), "{}", stdout(&one));
    insta::assert_snapshot!("impact_human", stdout(&one));
}

#[test]
fn identical_rule_sets_report_nothing_and_exit_0() {
    let dir = old_and_new(|_| {});
    let apps = corpus(dir.path(), CORPUS);
    for format in ["human", "json", "markdown"] {
        let out = icprules(
            dir.path(),
            &[
                "diff",
                "old",
                "new",
                "--apps",
                &apps,
                "--format",
                format,
                "--fail-on",
                "any",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let text = stdout(&out);
        match format {
            "human" => assert!(text.contains("no rule changed"), "{text}"),
            "markdown" => assert!(text.contains("No rule changed."), "{text}"),
            _ => {
                let json: serde_json::Value = serde_json::from_str(&text).expect("json");
                for key in ["added", "removed", "changed", "definitions"] {
                    assert_eq!(json["rules"][key], serde_json::json!([]), "{key}");
                }
                assert_eq!(json["impact"]["changed"], 0);
                assert_eq!(
                    json["impact"]["changed_applications"],
                    serde_json::json!([])
                );
            }
        }
    }
    // The built-in rules are the shipped ones.
    let out = icprules(dir.path(), &["diff", "old", "--fail-on", "any"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn fail_on_sets_the_exit_status() {
    // Only a rule removed: one application goes from reject to accept.
    let dir = old_and_new(|new| {
        let beijing = new.join("provinces/beijing.icp");
        let text = std::fs::read_to_string(&beijing).expect("beijing");
        let start = text.find("  rule citizen-uses-id-card {").expect("rule");
        let end = start + text[start..].find("\n  }\n").expect("end") + "\n  }\n".len();
        std::fs::write(&beijing, format!("{}{}", &text[..start], &text[end..])).expect("write");
    });
    let apps = corpus(dir.path(), CORPUS);
    let status = |args: &[&str]| {
        let mut all = vec!["diff", "old", "new"];
        all.extend(args);
        icprules(dir.path(), &all).status.code()
    };
    assert_eq!(
        status(&[]),
        Some(0),
        "without --fail-on a change is a report"
    );
    assert_eq!(status(&["--fail-on", "any"]), Some(1));
    assert_eq!(
        status(&["--apps", &apps, "--fail-on", "verdict-change"]),
        Some(1)
    );
    assert_eq!(
        status(&["--apps", &apps, "--fail-on", "new-reject"]),
        Some(0)
    );
    // Without applications there are no verdicts to gate on.
    assert_eq!(status(&["--fail-on", "new-reject"]), Some(2));

    // The modified copy also rejects applications accepted before.
    let dir = old_and_new(modify);
    let apps = corpus(dir.path(), CORPUS);
    let out = icprules(
        dir.path(),
        &[
            "diff",
            "old",
            "new",
            "--apps",
            &apps,
            "--fail-on",
            "new-reject",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_rule_set_with_errors_is_reported_and_nothing_compared() {
    let dir = old_and_new(|new| {
        edit(
            &new.join("provinces/beijing.icp"),
            "require d.registrar_in_china",
            "require d.registrar_in_chinaa",
        );
    });
    let out = icprules(dir.path(), &["diff", "old", "new"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("registrar_in_chinaa"), "{err}");
    assert!(err.contains("the new rules (`new`) have errors"), "{err}");
    assert!(stdout(&out).is_empty());
    let out = icprules(dir.path(), &["diff", "old", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn old_rev_compares_a_folder_with_itself_at_a_git_revision() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    };
    git(&["init", "-q", "-b", "main"]);
    copy_dir(&repo_rules(), &repo.join("rules"));
    git(&["add", "rules"]);
    git(&["commit", "-qm", "rules"]);
    edit(
        &repo.join("rules/provinces/beijing.icp"),
        "rule website-domains-share-prefix {\n    severity warning",
        "rule website-domains-share-prefix {\n    severity error",
    );
    let out = icprules(repo, &["diff", "--old-rev", "main", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["old"], "rules@main");
    assert_eq!(json["new"], "rules");
    assert_eq!(
        json["rules"]["changed"][0]["changes"],
        serde_json::json!([{"what": "severity", "old": "warning", "new": "error"}])
    );
    // From a folder below, naming the rule folder; the same answer.
    let sub = repo.join("rules/provinces");
    let out = icprules(
        &sub,
        &["diff", "--old-rev", "main", "..", "--fail-on", "any"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // A revision that does not exist, and one without the folder.
    let out = icprules(repo, &["diff", "--old-rev", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`no-such-branch` is not a revision"));
    // Nor is an option in disguise.
    let out = icprules(repo, &["diff", "--old-rev=--output=x", "--fail-on", "any"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a git revision"),
        "{}",
        stderr(&out)
    );
    assert!(!repo.join("x").exists());
    std::fs::create_dir(repo.join("later")).expect("mkdir");
    copy_dir(&repo_rules(), &repo.join("later"));
    let out = icprules(repo, &["diff", "--old-rev", "main", "later"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("holds no `.icp` files at `main`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_changed_format_makes_applications_invalid_under_the_new_rules() {
    // A key every application must now have: none has it.
    let dir = old_and_new(|new| {
        edit(
            &new.join("schema.icp"),
            "record Application {\n",
            "record Application {\n  consent: bool zh \"同意\" en \"consent\"\n",
        );
    });
    let apps = corpus(dir.path(), CORPUS);
    let out = icprules(
        dir.path(),
        &[
            "diff",
            "old",
            "new",
            "--apps",
            &apps,
            "--format",
            "json",
            "--fail-on",
            "new-reject",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let impact = &json["impact"];
    assert_eq!(
        impact["verdicts"],
        serde_json::json!([
            {"old": "accept", "new": "invalid", "applications": 3},
            {"old": "reject", "new": "invalid", "applications": 1},
            {"old": "invalid", "new": "invalid", "applications": 2},
        ])
    );
    let first = &impact["changed_applications"][0];
    assert_eq!(first["line"], 1);
    assert!(
        first["new_error"]
            .as_str()
            .expect("error")
            .contains("consent"),
        "{first}"
    );
    assert!(first.get("old_error").is_none(), "{first}");
    // The old side still has its findings; they are gone under the new.
    let line_2 = &impact["changed_applications"][1];
    assert_eq!(
        line_2["disappeared"],
        serde_json::json!([{"rule": "beijing.citizen-uses-id-card", "severity": "error"}])
    );
}

#[test]
fn chinese_reports_speak_chinese() {
    let dir = old_and_new(modify);
    let apps = corpus(dir.path(), CORPUS);
    for format in ["human", "markdown"] {
        let out = icprules(
            dir.path(),
            &[
                "diff", "old", "new", "--apps", &apps, "--lang", "zh", "--format", format,
            ],
        );
        let text = stdout(&out);
        for words in [
            "新增规则",
            "删除规则",
            "修改规则",
            "通过 → 不通过",
            "级别",
            "新触发",
        ] {
            assert!(text.contains(words), "{format}: {words} in {text}");
        }
        assert!(!text.contains("rules added"), "{text}");
        // Chinese punctuation, and no language codes for words.
        assert!(text.contains("英文消息："), "{text}");
        assert!(!text.contains("（en）"), "{text}");
        if format == "markdown" {
            assert!(text.starts_with("### 规则变更：`old` → `new`"), "{text}");
            assert!(text.contains("<summary>修改规则（"), "{text}");
        }
    }
}

#[test]
fn a_changed_definition_names_the_rules_that_use_it() {
    let dir = old_and_new(|new| {
        edit(
            &new.join("common.icp"),
            "def domain_prefix(d: Domain) = strip_suffix(lower(d.name), \".\" + lower(d.tld))",
            "def domain_prefix(d: Domain) = strip_suffix(d.name, \".\" + d.tld)",
        );
    });
    let out = icprules(dir.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["rules"]["changed"], serde_json::json!([]));
    let definitions = json["rules"]["definitions"].as_array().expect("list");
    assert_eq!(definitions.len(), 1);
    assert_eq!(definitions[0]["name"], "domain_prefix");
    let used_by: Vec<&str> = definitions[0]["used_by"]
        .as_array()
        .expect("list")
        .iter()
        .map(|id| id.as_str().expect("id"))
        .collect();
    // Through `domains_share_prefix` and `distinct_domain_prefixes`, in a
    // condition and in a message.
    for id in [
        "beijing.website-domains-share-prefix",
        "guangxi.website-domains-share-prefix",
    ] {
        assert!(used_by.contains(&id), "{id} in {used_by:?}");
    }
    assert!(
        used_by.iter().any(|id| id.starts_with("guangdong.")),
        "{used_by:?}"
    );
    assert!(!used_by.contains(&"beijing.domain-registered-in-china"));
}

#[test]
fn definitions_are_marked_added_or_changed_in_the_human_report() {
    let dir = old_and_new(|new| {
        let common = new.join("common.icp");
        edit(
            &common,
            "def domain_prefix(d: Domain) = strip_suffix(lower(d.name), \".\" + lower(d.tld))",
            "def domain_prefix(d: Domain) = strip_suffix(d.name, \".\" + d.tld)",
        );
        let mut text = std::fs::read_to_string(&common).expect("read");
        text.push_str("\ndef unused_yet = subject.type == individual\n");
        std::fs::write(&common, text).expect("write");
    });
    let out = icprules(dir.path(), &["diff", "old", "new", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("definition changes"), "{text}");
    assert!(text.contains("  ~ domain_prefix\n"), "{text}");
    assert!(text.contains("  + unused_yet\n"), "{text}");
}

#[test]
fn editions_added_and_renamed_are_reported() {
    let dir = old_and_new(|new| {
        edit(
            &new.join("sections.icp"),
            r#"  edition zh "2019-08-06 版" en "issue of 2019-08-06" issued 2019-08-06"#,
            r#"  edition zh "2019-08-06 版" en "issue 20190806" issued 2019-08-06
  edition zh "2027-01-01 版" en "issue of 2027-01-01" issued 2027-01-01"#,
        );
    });
    let out = icprules(dir.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json["rules"]["editions"],
        serde_json::json!([
            {
                "issued": "2019-08-06",
                "old": { "zh": "2019-08-06 版", "en": "issue of 2019-08-06" },
                "new": { "zh": "2019-08-06 版", "en": "issue 20190806" }
            },
            {
                "issued": "2027-01-01",
                "old": null,
                "new": { "zh": "2027-01-01 版", "en": "issue of 2027-01-01" }
            }
        ])
    );
    let out = icprules(dir.path(), &["diff", "old", "new", "--lang", "en"]);
    let text = stdout(&out);
    assert!(text.contains("  edition changes 2\n"), "{text}");
    assert!(
        text.contains("\nedition changes\n  ~ issued 2019-08-06: issue of 2019-08-06 → issue 20190806\n  + issued 2027-01-01: issue of 2027-01-01\n"),
        "{text}"
    );
    let out = icprules(dir.path(), &["diff", "old", "new", "--lang", "zh"]);
    let text = stdout(&out);
    assert!(
        text.contains("  + 发布于 2027-01-01：2027-01-01 版\n"),
        "{text}"
    );
    let out = icprules(
        dir.path(),
        &["diff", "old", "new", "--format", "markdown", "--lang", "en"],
    );
    let text = stdout(&out);
    assert!(text.contains("| edition changes | 2 |"), "{text}");
    assert!(
        text.contains("<summary>Edition changes (2)</summary>"),
        "{text}"
    );
    assert!(
        text.contains("\n- issued 2027-01-01: issue of 2027-01-01 (added)\n"),
        "{text}"
    );
}

#[test]
fn schema_changes_are_reported_line_by_line() {
    let dir = old_and_new(|new| {
        let schema = new.join("schema.icp");
        edit(
            &schema,
            "  remarks: text zh \"备注\" en \"remarks\"\n",
            "  remarks: text zh \"备注\" en \"remarks of the filing\"\n  language?: text zh \"网站语言\" en \"language\"\n",
        );
        edit(
            &schema,
            "  news zh \"新闻\" en \"news\",\n",
            "  news zh \"新闻\" en \"news\",\n  lottery zh \"彩票\" en \"lottery\",\n",
        );
    });
    let out = icprules(dir.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json["rules"]["schema"],
        serde_json::json!([
            {
                "item": "enum ContentCategory",
                "old": true,
                "new": true,
                "removed": [],
                "added": ["lottery zh \"彩票\" en \"lottery\""]
            },
            {
                "item": "record Website",
                "old": true,
                "new": true,
                "removed": ["remarks: text zh \"备注\" en \"remarks\""],
                "added": [
                    "remarks: text zh \"备注\" en \"remarks of the filing\"",
                    "language?: text zh \"网站语言\" en \"language\""
                ]
            }
        ])
    );
    let out = icprules(dir.path(), &["diff", "old", "new", "--lang", "en"]);
    let text = stdout(&out);
    assert!(text.contains("  schema changes 2\n"), "{text}");
    assert!(
        text.contains("\n  ~ record Website\n      - remarks: text zh \"备注\" en \"remarks\"\n"),
        "{text}"
    );
    let out = icprules(
        dir.path(),
        &["diff", "old", "new", "--format", "markdown", "--lang", "zh"],
    );
    let text = stdout(&out);
    assert!(text.contains("| 申请格式变更 | 2 |"), "{text}");
    assert!(text.contains("- `enum ContentCategory`（修改）"), "{text}");
    // A schema change is a change for `--fail-on any`.
    let out = icprules(dir.path(), &["diff", "old", "new", "--fail-on", "any"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn fields_in_another_order_are_no_schema_change() {
    let dir = old_and_new(|new| {
        edit(
            &new.join("schema.icp"),
            "  name: text zh \"网站名称\" en \"name\"\n  // the remarks of the filing (`\"\"` when there are none)\n  remarks: text zh \"备注\" en \"remarks\"\n",
            "  // the remarks of the filing (`\"\"` when there are none)\n  remarks: text zh \"备注\" en \"remarks\"\n  name: text zh \"网站名称\" en \"name\"\n",
        );
    });
    let out = icprules(dir.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["rules"]["schema"], serde_json::json!([]));
}

/// The prefix warning of Beijing becomes an error from 2027-01-01: the old
/// version ends the day before, the new one starts that day.
fn dated_severity(rules: &Path) {
    let beijing = rules.join("provinces/beijing.icp");
    let text = std::fs::read_to_string(&beijing).expect("beijing");
    let start = text
        .find("  rule website-domains-share-prefix {")
        .expect("rule");
    let end = start + text[start..].find("\n  }\n").expect("end") + "\n  }\n".len();
    let old = &text[start..end];
    let until = old.replacen(
        "    severity warning",
        "    in force until 2026-12-31\n    severity warning",
        1,
    );
    let from = old.replacen(
        "    severity warning",
        "    in force from 2027-01-01\n    severity error",
        1,
    );
    std::fs::write(
        &beijing,
        format!("{}{until}\n{from}{}", &text[..start], &text[end..]),
    )
    .expect("write");
}

#[test]
fn dated_versions_and_as_of() {
    let dir = old_and_new(dated_severity);
    let out = icprules(dir.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // The undated rule became the version until 2026-12-31 (its dates
    // changed); the version from 2027-01-01 is new.
    assert_eq!(
        json["rules"]["changed"],
        serde_json::json!([{
            "id": "beijing.website-domains-share-prefix",
            "origin": "provinces/beijing.icp:91",
            "changes": [{"what": "in_force", "old": null, "new": "until 2026-12-31"}],
        }])
    );
    let added = &json["rules"]["added"];
    assert_eq!(added.as_array().expect("list").len(), 1);
    assert_eq!(added[0]["id"], "beijing.website-domains-share-prefix");
    assert_eq!(added[0]["in_force"], "from 2027-01-01");
    assert_eq!(added[0]["severity"], "error");

    // The day before, nothing changes for applications; on the day, the
    // warning is an error.
    let apps = corpus(dir.path(), CORPUS);
    let impact = |day: &str| {
        let out = icprules(
            dir.path(),
            &[
                "diff", "old", "new", "--apps", &apps, "--as-of", day, "--format", "json",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        json["impact"].clone()
    };
    let before = impact("2026-12-31");
    assert_eq!(before["changed"], 0, "{before}");
    let on = impact("2027-01-01");
    assert_eq!(on["verdicts_changed"], 1, "{on}");
    assert_eq!(on["changed_applications"][0]["line"], 6);
    assert_eq!(
        on["changed_applications"][0]["regraded"],
        serde_json::json!([{"rule": "beijing.website-domains-share-prefix", "severity": "error"}])
    );
    assert_eq!(impact("2027-06-01")["verdicts_changed"], 1);
}

/// Messages and applications may hold anything: backticks, `|`, HTML. In
/// the Markdown report each shows as written and cannot close the code
/// span, code block or `<details>` around it.
#[test]
fn markdown_holds_hostile_messages_and_applications() {
    let dir = old_and_new(|new| {
        edit(
            &new.join("provinces/beijing.icp"),
            "in Beijing the legal representative must be the subject administrator",
            "in Beijing the ``legal | representative`` must be </details> the subject administrator",
        );
        edit(
            &new.join("provinces/beijing.icp"),
            "  // \"Obviously different prefixes\" cannot",
            "  rule hostile {\n    source \"5.3.1\"\n    when enterprise_filing\n    require enterprise_filing\n    \
             message zh \"``年龄 | 1`` </details>\" en \"``age | 1`` </details>\"\n  }\n\n  \
             // \"Obviously different prefixes\" cannot",
        );
        // A field of type date: text in it makes an application invalid
        // under the new rules, with its value quoted in the error.
        edit(
            &new.join("schema.icp"),
            "record Application {\n",
            "record Application {\n  nick?: date zh \"昵称\" en \"nick\"\n",
        );
    });
    edit(
        &dir.path().join("old/schema.icp"),
        "record Application {\n",
        "record Application {\n  nick?: text zh \"昵称\" en \"nick\"\n",
    );
    let accepted = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/beijing/accept-enterprise.json"),
    )
    .expect("case");
    let mut app: serde_json::Value = serde_json::from_str(&accepted).expect("json");
    app["nick"] = serde_json::json!("</details><img src=x> | `a` | ``b``");
    let line = app.to_string();
    let apps = corpus(dir.path(), &[&line]);
    let out = icprules(
        dir.path(),
        &[
            "diff", "old", "new", "--apps", &apps, "--format", "markdown",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report = stdout(&out);
    // A message is in a code span fenced by three backticks, longer than
    // the two inside; no backslash shows before its `|` (a list, not a table).
    assert!(
        report.contains("``` ``age | 1`` </details> ```"),
        "{report}"
    );
    // A long one in a code block, whose fence is longer than its backticks.
    assert!(
        report.contains("    ```diff\n    - the subject administrator"),
        "{report}"
    );
    // The application's value is text: no tag, no code span opens.
    assert!(
        report.contains("\\`\\</details\\>\\<img src=x\\> \\| \\`a\\`"),
        "{report}"
    );
    let outside_code: String = report
        .lines()
        .filter(|l| !l.contains("``") && !l.starts_with("    + "))
        .collect();
    assert_eq!(
        outside_code.matches("<details>").count(),
        outside_code.matches("</details>").count(),
        "{report}"
    );
}

/// `--list 0` lists no application, and still says how many changed.
#[test]
fn list_0_counts_the_changed_applications() {
    let dir = old_and_new(modify);
    let apps = corpus(dir.path(), CORPUS);
    for (format, expected) in [
        ("human", "changed applications (3)\n    … and 3 more"),
        (
            "markdown",
            "<details><summary>Changed applications (3)</summary>\n\n- … and 3 more",
        ),
    ] {
        let out = icprules(
            dir.path(),
            &[
                "diff", "old", "new", "--apps", &apps, "--list", "0", "--format", format,
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains(expected), "{}", stdout(&out));
    }
}

/// The new rules stop dating applications (`as_of` removed): each
/// application is still checked on one day under both, its own, so that
/// nothing changes for it.
#[test]
fn an_application_is_checked_on_one_day_when_one_side_does_not_date_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dates");
    for side in ["old", "new"] {
        copy_dir(&fixture, &dir.path().join(side));
    }
    edit(
        &dir.path().join("new/schema.icp"),
        "as_of submitted_on\n",
        "",
    );
    let line =
        r#"{"province": "beijing", "age": 17, "documents": [], "submitted_on": "2026-06-01"}"#;
    let apps = corpus(dir.path(), &[line]);
    for (old, new) in [("old", "new"), ("new", "old")] {
        let out = icprules(
            dir.path(),
            &["diff", old, new, "--apps", &apps, "--format", "json"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(json["impact"]["changed"], 0, "{}", json["impact"]);
    }
}

/// An application's value quoted in an error reaches neither the terminal
/// raw (an escape sequence) nor a line of its own (a forged line).
#[test]
fn an_application_cannot_write_to_the_terminal_or_forge_a_line() {
    let dir = old_and_new(|new| {
        edit(
            &new.join("schema.icp"),
            "record Application {\n",
            "record Application {\n  nick?: date zh \"昵称\" en \"nick\"\n",
        );
    });
    edit(
        &dir.path().join("old/schema.icp"),
        "record Application {\n",
        "record Application {\n  nick?: text zh \"昵称\" en \"nick\"\n",
    );
    let accepted = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/beijing/accept-enterprise.json"),
    )
    .expect("case");
    let mut app: serde_json::Value = serde_json::from_str(&accepted).expect("json");
    app["nick"] = serde_json::json!("\u{1b}[2J\nline 9: accept → accept");
    let line = app.to_string();
    let apps = corpus(dir.path(), &[&line]);
    for format in ["human", "markdown"] {
        let out = icprules(
            dir.path(),
            &["diff", "old", "new", "--apps", &apps, "--format", format],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let report = stdout(&out);
        assert!(!report.contains('\u{1b}'), "{format}: {report}");
        assert!(report.contains("u{1b}"), "{format}: {report}");
        assert!(
            !report.lines().any(|l| l.starts_with("line 9")),
            "{format}: {report}"
        );
    }
}

#[test]
fn old_rev_keeps_the_limits_of_a_rule_set() {
    // More files than a rule set may hold: refused before a `git show` is
    // started for each of them.
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path();
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    };
    git(&["init", "-q", "-b", "main"]);
    let many = repo.join("rules/many");
    std::fs::create_dir_all(&many).expect("mkdir");
    for i in 0..10_001 {
        std::fs::write(many.join(format!("f{i}.icp")), "").expect("write");
    }
    git(&["add", "rules"]);
    git(&["commit", "-qm", "many"]);
    // The new side is the shipped rules: only the old one is too big.
    std::fs::remove_dir_all(repo.join("rules")).expect("rm");
    copy_dir(&repo_rules(), &repo.join("rules"));
    let out = icprules(repo, &["diff", "--old-rev", "main", "rules"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("holds more than 10000 `.icp` files")
            && stderr(&out).contains("(at `main`)"),
        "{}",
        stderr(&out)
    );
}
