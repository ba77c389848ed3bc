//! `icprules` as other systems call it: exit codes, the JSON result format of
//! docs/application-format.md, input errors with JSON paths, `--batch`, `--rules` and `lint`.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const ACCEPTED: &str = "tests/cases/national/accept-enterprise.json";
const REJECTED: &str = "tests/cases/national/domain-holder-is-subject.json";

fn icprules(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        // English, whatever the locale of the machine running the tests.
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("icprules runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("icprules finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The accepted application with one JSON edit applied.
fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(ACCEPTED).expect("case");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("json");
    edit(&mut value);
    serde_json::to_string_pretty(&value).expect("json")
}

/// Runs `check -` on the text; returns the exit code and the error line.
fn check_stdin(text: &str) -> (i32, String) {
    let out = icprules(&["check", "-"], Some(text));
    (out.status.code().expect("exit code"), stderr(&out))
}

#[test]
fn exit_codes_follow_the_verdict() {
    assert_eq!(icprules(&["check", ACCEPTED], None).status.code(), Some(0));
    assert_eq!(icprules(&["check", REJECTED], None).status.code(), Some(1));
    assert_eq!(
        icprules(&["check", "no/such/file.json"], None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn json_result_has_exactly_the_keys_of_the_spec() {
    let out = icprules(&["check", "--format", "json", REJECTED], None);
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON result");
    let keys = |v: &serde_json::Value| {
        v.as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    let mut top = keys(&result);
    top.sort();
    assert_eq!(
        top,
        [
            "action",
            "as_of",
            "documents",
            "edition",
            "findings",
            "province",
            "verdict"
        ]
    );
    assert_eq!(result["verdict"], "reject");
    let finding = &result["findings"][0];
    let mut finding_keys = keys(finding);
    finding_keys.sort();
    assert_eq!(
        finding_keys,
        ["message", "path", "rule", "severity", "source"]
    );
    assert_eq!(finding["rule"], "national.domain-holder-is-subject");
    assert_eq!(finding["source"], "1");
    let mut document_keys = keys(&result["documents"][0]);
    document_keys.sort();
    assert_eq!(document_keys, ["domain", "status", "type"]);
}

#[test]
fn human_result_explains_findings() {
    // A fixed day: without one, the report names today.
    let out = icprules(&["check", "--as-of", "2026-11-30", REJECTED], None);
    insta::assert_snapshot!(stdout(&out));
}

/// The report in Chinese: its own words, the messages, section titles and
/// labels of the rules, the facts by the labels of their fields.
#[test]
fn the_report_in_chinese() {
    let out = icprules(
        &[
            "check",
            "--lang",
            "zh",
            "examples/guangdong-enterprise-chinese.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

/// Columns of the documents table line up as a terminal shows them: a
/// Chinese character takes two columns.
#[test]
fn chinese_columns_line_up() {
    use icprules::lang::width;
    for example in [
        "examples/jiangsu-individual-chinese.json",
        "examples/guangdong-enterprise-chinese.json",
    ] {
        let out = stdout(&icprules(&["check", "--lang", "zh", example], None));
        let table: Vec<&str> = out
            .split("备案材料\n")
            .nth(1)
            .expect("a documents table")
            .lines()
            .collect();
        assert!(table.len() >= 3, "{out}");
        let column = |line: &str, mark: &str| line.find(mark).map(|i| width(&line[..i]));
        let ids: Vec<Option<usize>> = table.iter().map(|l| column(l, "（")).collect();
        assert!(ids.iter().all(|c| c.is_some() && *c == ids[0]), "{out}");
        let labels: Vec<Option<usize>> = table.iter().map(|l| column(l, "已提供")).collect();
        assert!(labels.iter().all(|c| *c == Some(2)), "{out}");
    }
}

/// The JSON result's messages follow `--lang`; ids, paths and enum values
/// are the contract and stay as they are.
#[test]
fn json_messages_follow_the_language() {
    let example = "examples/guangdong-enterprise-chinese.json";
    let json = |lang: &str| -> serde_json::Value {
        let out = icprules(
            &["check", "--format", "json", "--lang", lang, example],
            None,
        );
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let (zh, en) = (json("zh"), json("en"));
    assert_eq!(zh["province"], "guangdong");
    assert_eq!(zh["action"], "new");
    for (z, e) in zh["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .zip(en["findings"].as_array().expect("findings"))
    {
        assert_eq!(z["rule"], e["rule"]);
        assert_eq!(z["path"], e["path"]);
        let (zm, em) = (
            z["message"].as_str().unwrap(),
            e["message"].as_str().unwrap(),
        );
        assert!(zm.contains("域名") || zm.contains("网站"), "{zm}");
        assert_ne!(zm, em);
    }
    assert_eq!(zh["documents"], en["documents"]);
}

/// Without `--lang`, the locale decides: `LC_ALL`, else `LANG`, Chinese
/// when it starts with `zh`.
#[test]
fn the_locale_chooses_the_language() {
    let first_line = |vars: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_icprules"));
        command
            .args(["check", ACCEPTED])
            .env_remove("LC_ALL")
            .env_remove("LANG");
        for (k, v) in vars {
            command.env(k, v);
        }
        let out = command.output().expect("icprules runs");
        stdout(&out).lines().next().unwrap_or_default().to_string()
    };
    assert!(first_line(&[]).starts_with("accept"));
    assert!(first_line(&[("LANG", "zh_CN.UTF-8")]).starts_with("通过"));
    assert!(first_line(&[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")]).starts_with("accept"));
    assert!(first_line(&[("LC_ALL", "zh_TW.UTF-8"), ("LANG", "en_US.UTF-8")]).starts_with("通过"));
}

/// The reports README.md shows are what `icprules check` prints.
#[test]
fn the_readme_shows_real_reports() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let mut shown = 0;
    for block in readme.split("```text\n$ icprules check ").skip(1) {
        let (command, rest) = block.split_once('\n').expect("a command line");
        let expected = rest.split("```").next().expect("a block");
        let args: Vec<&str> = std::iter::once("check")
            .chain(command.split_whitespace())
            .collect();
        let out = icprules(&args, None);
        assert_eq!(
            stdout(&out),
            expected,
            "README.md: icprules check {command}"
        );
        shown += 1;
    }
    assert!(shown >= 2, "{shown} reports");
}

#[test]
fn invalid_json_gives_line_and_column() {
    let (code, err) = check_stdin("{\n  \"province\": \"zhejiang\",\n  \"action\": \n}");
    assert_eq!(code, 2);
    insta::assert_snapshot!(err);
}

#[test]
fn wrong_type_gives_the_json_path_expected_and_found() {
    let text = edited(|v| v["websites"][0]["admin"]["age"] = "forty".into());
    let (code, err) = check_stdin(&text);
    assert_eq!(code, 2);
    assert!(
        err.contains("`websites[0].admin.age`: expected an int, found the text \"forty\""),
        "{err}"
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let text = edited(|v| {
        let subject = v["subject"].as_object_mut().expect("subject");
        let name = subject.remove("name").expect("name");
        subject.insert("nmae".into(), name);
    });
    let (code, err) = check_stdin(&text);
    assert_eq!(code, 2);
    assert!(
        err.contains("`subject`: unknown key `nmae` in `Subject`"),
        "{err}"
    );
    assert!(err.contains("did you mean `name`?"), "{err}");
}

#[test]
fn unknown_enum_value_suggests_the_right_one() {
    let text = edited(|v| v["province"] = "zhejang".into());
    let (code, err) = check_stdin(&text);
    assert_eq!(code, 2);
    insta::assert_snapshot!(err);
}

#[test]
fn missing_key_names_it() {
    let text = edited(|v| {
        v["websites"][0]["domains"][0]
            .as_object_mut()
            .expect("domain")
            .remove("expired");
    });
    let (code, err) = check_stdin(&text);
    assert_eq!(code, 2);
    assert!(
        err.contains("`websites[0].domains[0]`: missing key `expired`"),
        "{err}"
    );
}

#[test]
fn nothing_panics_on_odd_input() {
    for text in [
        "",
        "null",
        "[]",
        "\"x\"",
        "{}",
        "{\"province\": 1e400}",
        "{\"province\": 99999999999999999999}",
        "\u{feff}{}",
        "{\"a\":",
    ] {
        let (code, err) = check_stdin(text);
        assert_eq!(code, 2, "{text:?}: {err}");
        assert!(
            err.starts_with("error: invalid application"),
            "{text:?}: {err}"
        );
    }
}

#[test]
fn batch_gives_one_result_a_line_and_goes_on_after_invalid_lines() {
    let dir = std::env::temp_dir().join(format!("icprules-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let compact = |path: &str| {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).expect("case")).expect("json");
        v.to_string()
    };
    let lines = [
        compact(ACCEPTED),
        "{\"province\": \"nowhere\"}".to_string(),
        compact(REJECTED),
    ];
    let batch = dir.join("batch.jsonl");
    std::fs::write(&batch, lines.join("\n")).expect("write batch");
    let out = icprules(&["check", "--batch", batch.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(2));
    let results: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON result a line"))
        .collect();
    let verdicts: Vec<&str> = results
        .iter()
        .map(|r| r["verdict"].as_str().expect("verdict"))
        .collect();
    assert_eq!(verdicts, ["accept", "invalid", "reject"]);
    assert_eq!(results[1]["error"]["line"], 2);
    assert_eq!(results[1]["error"]["path"], "province");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn broken_rules_are_unusable() {
    let dir = std::env::temp_dir().join(format!("icprules-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(
        dir.join("schema.icp"),
        "input Application\nrecord Application { province: text }\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("rules.icp"),
        "ruleset r {\n  rule a {\n    require provnce == \"x\"\n    message \"m\"\n  }\n}\n",
    )
    .expect("write");
    let rules = dir.to_str().expect("path");
    let out = icprules(&["check", "--rules", rules, ACCEPTED], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`provnce` is not defined") && err.contains("cites no source"),
        "{err}"
    );
    assert_eq!(icprules(&["lint", rules], None).status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

/// As `.ci/run` lints them: no warning, every text in Chinese and English.
#[test]
fn the_shipped_rules_lint_clean() {
    let out = icprules(&["lint", "rules", "--deny-warnings"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_application_that_breaks_an_invariant_of_the_format_is_invalid() {
    let text = edited(|v| {
        v["change"] = serde_json::json!({
            "from": "enterprise", "same_entity": true, "name_changed": false,
            "certificate_number_changed": false, "names_associated": false, "three_in_one": false,
            "individual_is_legal_representative": false, "individual_is_website_admin": false
        })
    });
    let (code, err) = check_stdin(&text);
    assert_eq!(code, 2);
    assert!(
        err.contains("`change`: expected a `change` object exactly when `action` is `change`; `action` is `new`"),
        "{err}"
    );
    let out = icprules(&["check", "--format", "json", "-"], Some(&text));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON result");
    assert_eq!(result["verdict"], "invalid");
    assert_eq!(result["error"]["path"], "change");
}

#[test]
fn a_reader_that_goes_away_is_no_panic() {
    // `icprules check ... | head -0`: the pipe is closed before the result
    // is written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        // English, whatever the locale of the machine running the tests.
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(["check", REJECTED])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("icprules runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("icprules finishes");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn a_batch_line_that_is_not_utf8_is_one_invalid_result() {
    let dir = std::env::temp_dir().join(format!("icprules-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let accepted: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ACCEPTED).expect("case")).expect("json");
    let mut bytes = b"{\"province\": \"caf\xe9\"}\n".to_vec();
    bytes.extend(accepted.to_string().into_bytes());
    let batch = dir.join("batch.jsonl");
    std::fs::write(&batch, bytes).expect("write batch");
    let out = icprules(&["check", "--batch", batch.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(2));
    let results: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON result a line"))
        .collect();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["verdict"], "invalid");
    assert_eq!(results[0]["error"]["line"], 1);
    assert_eq!(results[0]["error"]["column"], 18);
    assert_eq!(results[1]["verdict"], "accept");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_rule_file_that_is_not_utf8_is_shown_at_its_first_bad_byte() {
    let dir = std::env::temp_dir().join(format!("icprules-rules-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("rules.icp"), b"def x =\n  \"caf\xe9\"\n").expect("write");
    let out = icprules(&["lint", dir.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("expected UTF-8 text, found the byte `0xe9`"),
        "{err}"
    );
    assert!(err.contains("[rules.icp:2:7]"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_closed_standard_error_is_no_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        // English, whatever the locale of the machine running the tests.
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(["check", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("icprules runs");
    drop(child.stderr.take());
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"not json")
        .expect("write stdin");
    let out = child.wait_with_output().expect("icprules finishes");
    assert_eq!(out.status.code(), Some(2));
}
