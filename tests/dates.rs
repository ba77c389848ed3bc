//! Rules in force by date, on the small dated rule set of
//! `tests/fixtures/dates/`: a rule with two versions (until 2026-06-30, from
//! 2026-07-01), a document requirement from 2026-07-01, a rule set from
//! 2027-01-01 holding a group until 2027-12-31, and two editions (issued
//! 2020-01-01 and 2026-07-01). Each window is tried the day before, the day
//! of and the day after its bounds; `--as-of` beats the application's date,
//! which beats today.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const RULES: &str = "tests/fixtures/dates";

fn icprules(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("icprules runs");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(input.as_bytes()).expect("write stdin");
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

/// A 17-year-old's application in `province`, with no document, dated `on`
/// (`None`: no `submitted_on`).
fn application(province: &str, on: Option<&str>) -> String {
    let mut app = json!({ "province": province, "age": 17, "documents": [] });
    if let Some(day) = on {
        app["submitted_on"] = json!(day);
    }
    app.to_string()
}

/// The JSON result of checking `app` with extra arguments.
fn result(app: &str, extra: &[&str]) -> Value {
    let mut args = vec!["check", "--rules", RULES, "--format", "json"];
    args.extend(extra);
    args.push("-");
    let out = icprules(&args, Some(app));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)))
}

/// The result on a day, for an application of `province` dated otherwise.
fn on(day: &str, province: &str) -> Value {
    result(
        &application(province, Some("2026-01-15")),
        &["--as-of", day],
    )
}

/// The findings as `rule severity` lines.
fn findings(result: &Value) -> Vec<String> {
    result["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap()
            )
        })
        .collect()
}

/// The documents the result lists, by type.
fn documents(result: &Value) -> Vec<String> {
    result["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .map(|d| d["type"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn until_is_the_last_day_in_force() {
    // The first version of `national.adult` (an error under 18) is in force
    // until 2026-06-30; the second (a warning under 16) from 2026-07-01.
    for day in ["2026-06-29", "2026-06-30"] {
        let r = on(day, "beijing");
        assert_eq!(findings(&r), ["national.adult error"], "{day}");
        assert_eq!(r["verdict"], "reject", "{day}");
    }
    for day in ["2026-07-01", "2026-07-02"] {
        let r = on(day, "beijing");
        // 17 is old enough for the second version; the guarantee is new.
        assert_eq!(findings(&r), ["national.guarantee error"], "{day}");
    }
}

#[test]
fn from_is_the_first_day_in_force() {
    // The document requirement `national.guarantee`, from 2026-07-01.
    assert!(documents(&on("2026-06-30", "beijing")).is_empty());
    assert_eq!(documents(&on("2026-07-01", "beijing")), ["guarantee"]);
    assert_eq!(documents(&on("2026-07-02", "beijing")), ["guarantee"]);
}

#[test]
fn a_rule_set_and_a_group_in_force_by_date() {
    // `ruleset shanghai ... in force from 2027-01-01`.
    assert_eq!(documents(&on("2026-12-31", "shanghai")), ["guarantee"]);
    assert_eq!(
        documents(&on("2027-01-01", "shanghai")),
        ["guarantee", "statement"]
    );
    assert_eq!(
        documents(&on("2027-01-02", "shanghai")),
        ["guarantee", "statement"]
    );
    // Not in Beijing, whatever the day.
    assert_eq!(documents(&on("2027-01-01", "beijing")), ["guarantee"]);
    // Its group `in force until 2027-12-31`: the rule is there (and holds)
    // within the rule set's window only; it shows in the coverage-free way a
    // rule shows, by its finding, with an age past its bound.
    let old = |day: &str| {
        let app = json!({ "province": "shanghai", "age": 130, "documents": [] }).to_string();
        findings(&result(&app, &["--as-of", day]))
            .into_iter()
            .filter(|f| f.starts_with("shanghai.not-too-old"))
            .count()
    };
    assert_eq!(old("2026-12-31"), 0);
    assert_eq!(old("2027-01-01"), 1);
    assert_eq!(old("2027-12-31"), 1);
    assert_eq!(old("2028-01-01"), 0);
}

#[test]
fn as_of_beats_the_application_date_which_beats_today() {
    let dated = application("beijing", Some("2026-06-30"));
    let r = result(&dated, &[]);
    assert_eq!(r["as_of"], "2026-06-30");
    assert_eq!(findings(&r), ["national.adult error"]);
    let r = result(&dated, &["--as-of", "2026-07-01"]);
    assert_eq!(r["as_of"], "2026-07-01");
    assert_eq!(findings(&r), ["national.guarantee error"]);
    // A null date is no date.
    let null = json!({ "province": "beijing", "age": 17, "documents": [], "submitted_on": null });
    for app in [application("beijing", None), null.to_string()] {
        let before = icprules::cli::today().to_string();
        let r = result(&app, &[]);
        let after = icprules::cli::today().to_string();
        let day = r["as_of"].as_str().expect("a day").to_string();
        assert!(day == before || day == after, "{day} is not today");
    }
}

#[test]
fn the_result_names_the_day_and_the_edition() {
    let r = on("2026-06-30", "beijing");
    assert_eq!(r["as_of"], "2026-06-30");
    assert_eq!(r["edition"], "first issue");
    let r = on("2026-07-01", "beijing");
    assert_eq!(r["edition"], "second issue");
    // Before every edition: none.
    let r = on("2019-12-31", "beijing");
    assert_eq!(r["edition"], Value::Null);
    // The keys, in the order of the contract.
    let app = application("beijing", None);
    let text = stdout(&icprules(
        &[
            "check",
            "--rules",
            RULES,
            "--format",
            "json",
            "--as-of",
            "2026-07-01",
            "-",
        ],
        Some(&app),
    ));
    let at = |key: &str| text.find(&format!("\"{key}\":")).expect(key);
    let keys = [
        "province",
        "as_of",
        "edition",
        "verdict",
        "findings",
        "documents",
    ];
    assert!(keys.windows(2).all(|w| at(w[0]) < at(w[1])), "{text}");
    let app = application("beijing", Some("2026-07-01"));
    let human = stdout(&icprules(&["check", "--rules", RULES, "-"], Some(&app)));
    insta::assert_snapshot!("human_report_names_day_and_edition", human);
    let chinese = stdout(&icprules(
        &["check", "--rules", RULES, "--lang", "zh", "-"],
        Some(&app),
    ));
    insta::assert_snapshot!("chinese_report_names_day_and_edition", chinese);
}

#[test]
fn dates_compare_and_show_in_messages() {
    // `require submitted_on >= 2020-01-01`, with the date in its message.
    let app = application("beijing", Some("2019-12-31"));
    let r = result(&app, &["--as-of", "2026-06-30"]);
    let finding = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "national.submitted-after-first-issue")
        .expect("a finding of the date rule");
    assert_eq!(
        finding["message"],
        "submitted on 2019-12-31, before the first issue"
    );
    assert_eq!(finding["path"], "submitted_on");
    let app = application("beijing", Some("2020-01-01"));
    let r = result(&app, &["--as-of", "2026-06-30"]);
    assert_eq!(findings(&r), ["national.adult error"]);
}

#[test]
fn an_application_date_that_is_no_day_is_an_input_error() {
    for (day, help) in [
        ("2023-02-29", "the month of `2023-02-29` has 28 days"),
        ("2026-13-01", "months run from 01 to 12"),
        ("2026/07/01", "write a date as `YYYY-MM-DD`"),
    ] {
        let app = application("beijing", Some(day));
        let out = icprules(&["check", "--rules", RULES, "-"], Some(&app));
        assert_eq!(out.status.code(), Some(2), "{day}");
        let err = stderr(&out);
        assert!(err.contains(&format!("`{day}` is not a date")), "{err}");
        assert!(err.contains("submitted_on"), "{err}");
        assert!(err.contains(help), "{err}");
        // The JSON result says where.
        let out = icprules(
            &["check", "--rules", RULES, "--format", "json", "-"],
            Some(&app),
        );
        let r: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(r["verdict"], "invalid");
        assert_eq!(r["error"]["path"], "submitted_on");
        assert_eq!(r["error"]["line"], 1);
    }
    // A number is no date either.
    let app =
        json!({ "province": "beijing", "age": 17, "documents": [], "submitted_on": 20260701 });
    let out = icprules(&["check", "--rules", RULES, "-"], Some(&app.to_string()));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("expected a date (`\"YYYY-MM-DD\"`) or null"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn as_of_must_be_a_day() {
    let out = icprules(
        &[
            "check",
            "--as-of",
            "2023-02-29",
            "tests/cases/national/accept-enterprise.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("has 28 days"), "{}", stderr(&out));
    // An empty one is named so, not as `` (an empty pair of backticks).
    let out = icprules(&["check", "--as-of", "", "-"], Some("{}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("an empty text is not a date"),
        "{}",
        stderr(&out)
    );
    let app = application("beijing", Some(""));
    let out = icprules(&["check", "--rules", RULES, "-"], Some(&app));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`submitted_on`: an empty text is not a date"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn batch_and_test_take_as_of() {
    let lines = format!(
        "{}\n{}\n",
        application("beijing", Some("2026-06-30")),
        application("beijing", None)
    );
    let out = icprules(
        &[
            "check",
            "--rules",
            RULES,
            "--batch",
            "-",
            "--as-of",
            "2026-07-01",
        ],
        Some(&lines),
    );
    let days: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a result")["as_of"].clone())
        .collect();
    assert_eq!(days, ["2026-07-01", "2026-07-01"]);
    // Without `--as-of`, each line on its own date.
    let out = icprules(&["check", "--rules", RULES, "--batch", "-"], Some(&lines));
    let first: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(first["as_of"], "2026-06-30");

    // `icprules test` judges a case on the day asked for.
    let dir = tempfile::tempdir().expect("temp dir");
    let case = dir.path().join("national");
    std::fs::create_dir(&case).unwrap();
    std::fs::write(case.join("adult.json"), application("beijing", None)).unwrap();
    let path = case.to_string_lossy().to_string();
    let test = |day: &str| {
        icprules(&["test", "--rules", RULES, "--as-of", day, &path], None)
            .status
            .code()
    };
    assert_eq!(test("2026-06-30"), Some(0));
    // The guarantee is missing too, from 2026-07-01, and the first version
    // of `adult` is no longer in force.
    assert_eq!(test("2026-07-01"), Some(1));
}

#[test]
fn test_judges_undated_cases_on_the_latest_edition_not_today() {
    // A rule in force from the day after the latest edition (2026-07-01):
    // from that day on, today is inside its window and the edition's date
    // is not, so a suite judged on today would change with the calendar.
    let rules = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        format!("{RULES}/schema.icp"),
        rules.path().join("schema.icp"),
    )
    .unwrap();
    std::fs::write(
        rules.path().join("rules.icp"),
        r#"ruleset national {
  rule later {
    in force from 2026-07-02
    source "1"
    require age >= 200
    message zh "年龄应为 200 岁或以上" en "expected an age of 200 or more"
  }
}
"#,
    )
    .unwrap();
    let cases = tempfile::tempdir().expect("temp dir");
    let folder = cases.path().join("national");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("accept-undated.json"),
        application("beijing", None),
    )
    .unwrap();
    let rules = rules.path().to_string_lossy().to_string();
    let path = folder.to_string_lossy().to_string();
    let out = icprules(&["test", "--rules", &rules, &path], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // `check` of the same application runs on today, and the rule applies.
    let out = icprules(
        &["check", "--rules", &rules, "--format", "json", "-"],
        Some(&application("beijing", None)),
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(findings(&result), ["national.later error"]);
    // A dated case is judged on its date.
    std::fs::write(
        folder.join("accept-undated.json"),
        application("beijing", Some("2026-07-02")),
    )
    .unwrap();
    let out = icprules(&["test", "--rules", &rules, &path], None);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
}

#[test]
fn explain_shows_the_history_of_a_rule() {
    let explain = |day: &str| {
        stdout(&icprules(
            &[
                "explain",
                "--rules",
                RULES,
                "--as-of",
                day,
                "national.adult",
            ],
            None,
        ))
    };
    let before = explain("2026-06-30");
    assert!(before.contains("severity error"), "{before}");
    assert!(
        before.contains("until 2026-06-30  (rules.icp:3)  <- this one"),
        "{before}"
    );
    let after = explain("2026-07-01");
    assert!(after.contains("severity warning"), "{after}");
    assert!(
        after.contains("from 2026-07-01  (rules.icp:13)  <- this one"),
        "{after}"
    );
    insta::assert_snapshot!("explain_history", after);
    let json: Value = serde_json::from_slice(
        &icprules(
            &[
                "explain",
                "--rules",
                RULES,
                "--as-of",
                "2026-06-30",
                "--format",
                "json",
                "national.adult",
            ],
            None,
        )
        .stdout,
    )
    .expect("json");
    assert_eq!(
        json["in_force"],
        json!({ "from": null, "until": "2026-06-30" })
    );
    assert_eq!(json["versions"].as_array().unwrap().len(), 2);
    assert_eq!(json["versions"][0]["explained"], true);
}

#[test]
fn the_rule_pages_show_the_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().to_string_lossy().to_string();
    let out = icprules(&["docs", "--rules", RULES, "--out", &out_dir], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(dir.path().join("national.md")).expect("a page");
    assert!(page.contains("- in force: until 2026-06-30"), "{page}");
    assert!(
        page.contains(
            "- versions: until 2026-06-30 (`rules.icp:3`); from 2026-07-01 (`rules.icp:13`)"
        ),
        "{page}"
    );
    let zh = std::fs::read_to_string(dir.path().join("zh/national.md")).expect("a page");
    assert!(zh.contains("- 施行期间：至 2026-06-30"), "{zh}");
    // Two versions of one rule are one rule of one rule set, not a name
    // shared by two rule sets.
    let matrix = std::fs::read_to_string(dir.path().join("matrix.md")).expect("a page");
    assert!(
        matrix.contains("No rule name is in two rule sets."),
        "{matrix}"
    );
}

#[test]
fn the_dated_rules_round_trip_through_fmt_and_lint_clean() {
    let out = icprules(&["fmt", "--check", RULES], None);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = icprules(&["lint", "--deny-warnings", RULES], None);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_rule_that_ends_before_the_first_edition_is_never_in_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in ["schema.icp", "rules.icp"] {
        std::fs::copy(format!("{RULES}/{file}"), dir.path().join(file)).unwrap();
    }
    std::fs::write(
        dir.path().join("old.icp"),
        "ruleset old {\n  rule before-the-first-issue {\n    in force until 2019-12-31\n    \
         source \"1\"\n    require age >= 21\n    message zh \"年龄过小\" en \"too young\"\n  }\n}\n",
    )
    .unwrap();
    let path = dir.path().to_string_lossy().to_string();
    let out = icprules(&["lint", &path], None);
    let report = stdout(&out) + &stderr(&out);
    assert!(
        report.contains("`old.before-the-first-issue` is in force only before the first edition"),
        "{report}"
    );
    assert!(report.contains("issued on 2020-01-01"), "{report}");
}

#[test]
fn an_override_gives_way_to_every_version_on_its_own_days_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    for file in ["schema.icp", "rules.icp"] {
        std::fs::copy(format!("{RULES}/{file}"), dir.path().join(file)).unwrap();
    }
    // Beijing's own age rule, from 2026-06-01 to 2026-07-31: over both
    // versions of `national.adult`.
    std::fs::write(
        dir.path().join("beijing.icp"),
        "ruleset beijing when province == beijing {\n  rule adult overrides national.adult {\n    \
         in force from 2026-06-01 until 2026-07-31\n    source \"1\"\n    require age >= 12\n    \
         message zh \"年龄过小\" en \"too young\"\n  }\n}\n",
    )
    .unwrap();
    let rules = dir.path().to_string_lossy().to_string();
    let young = |day: &str| {
        let app = json!({ "province": "beijing", "age": 10, "documents": [
            { "type": "guarantee", "domain": null }
        ] })
        .to_string();
        findings(&result_with(&rules, &app, day))
    };
    assert_eq!(young("2026-05-31"), ["national.adult error"]);
    assert_eq!(young("2026-06-01"), ["beijing.adult error"]);
    assert_eq!(young("2026-07-31"), ["beijing.adult error"]);
    assert_eq!(young("2026-08-01"), ["national.adult warning"]);
}

/// [`result`] with another rule set, on a day.
fn result_with(rules: &str, app: &str, day: &str) -> Value {
    let out = icprules(
        &[
            "check", "--rules", rules, "--format", "json", "--as-of", day, "-",
        ],
        Some(app),
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)))
}

#[test]
fn two_editions_issued_on_one_day_are_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(format!("{RULES}/rules.icp"), dir.path().join("rules.icp")).unwrap();
    let schema = std::fs::read_to_string(format!("{RULES}/schema.icp")).unwrap();
    let schema = schema.replace(
        "  \"1\" zh",
        "  edition zh \"修订版\" en \"revised issue\" issued 2026-07-01\n  \"1\" zh",
    );
    std::fs::write(dir.path().join("schema.icp"), schema).unwrap();
    let path = dir.path().to_string_lossy().to_string();
    let out = icprules(&["lint", &path], None);
    let report = stdout(&out) + &stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    assert!(
        report
            .contains("two editions are issued on 2026-07-01: `second issue` and `revised issue`"),
        "{report}"
    );
}

#[test]
fn explain_a_rule_set_shows_when_each_rule_is_in_force_and_takes_as_of() {
    let out = icprules(&["explain", "--rules", RULES, "national"], None);
    let text = stdout(&out);
    assert!(
        text.contains("rules.icp:3  in force until 2026-06-30\n"),
        "{text}"
    );
    assert!(
        text.contains("rules.icp:13  in force from 2026-07-01\n"),
        "{text}"
    );
    let out = icprules(
        &[
            "explain",
            "--rules",
            RULES,
            "--as-of",
            "2026-01-01",
            "national",
        ],
        None,
    );
    let text = stdout(&out);
    assert!(
        text.contains("rules.icp:13  in force from 2026-07-01  (not in force on 2026-01-01)\n"),
        "{text}"
    );
    assert!(
        text.contains("rules.icp:3  in force until 2026-06-30\n"),
        "{text}"
    );
    let out = icprules(
        &[
            "explain",
            "--rules",
            RULES,
            "--as-of",
            "2026-01-01",
            "--format",
            "json",
            "national",
        ],
        None,
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json["rules"][1]["in_force"],
        json!({"from": "2026-07-01", "until": null})
    );
    assert_eq!(json["rules"][1]["in_force_on_as_of"], false);
    assert_eq!(json["rules"][0]["in_force_on_as_of"], true);
    assert_eq!(json["rules"][3]["in_force"], Value::Null);
    // A rule explained on a day it is not in force says so.
    let out = icprules(
        &[
            "explain",
            "--rules",
            RULES,
            "--as-of",
            "2026-01-01",
            "national.guarantee",
        ],
        None,
    );
    let text = stdout(&out);
    assert!(
        text.contains("in force  from 2026-07-01  (not in force on 2026-01-01)\n"),
        "{text}"
    );
}

#[test]
fn a_wrong_left_side_of_a_date_comparison_is_one_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(format!("{RULES}/schema.icp"), dir.path().join("schema.icp")).unwrap();
    std::fs::write(
        dir.path().join("rules.icp"),
        "ruleset national {\n  rule later {\n    source \"1\"\n    when submitted_on != null\n    \
         require submitted_on + 1 > 2026-01-01\n    message zh \"太早\" en \"too early\"\n  }\n}\n",
    )
    .unwrap();
    let path = dir.path().to_string_lossy().to_string();
    let out = icprules(&["lint", &path], None);
    let report = stdout(&out) + &stderr(&out);
    assert!(report.contains("`date` + `int`"), "{report}");
    assert_eq!(report.matches("type mismatch").count(), 1, "{report}");
}

#[test]
fn a_date_in_quotes_is_told_how_to_write_a_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(format!("{RULES}/schema.icp"), dir.path().join("schema.icp")).unwrap();
    std::fs::write(
        dir.path().join("rules.icp"),
        "ruleset national {\n  rule later {\n    source \"1\"\n    when submitted_on != null\n    \
         require submitted_on >= \"2026-01-01\" and submitted_on != \"2026-02-01\"\n    \
         message zh \"太早\" en \"too early\"\n  }\n}\n",
    )
    .unwrap();
    let path = dir.path().to_string_lossy().to_string();
    let out = icprules(&["lint", &path], None);
    let report = stdout(&out) + &stderr(&out);
    assert_eq!(
        report
            .matches("a date is written without quotes, e.g. `2026-07-01`")
            .count(),
        2,
        "{report}"
    );
}

#[test]
fn a_rule_set_whose_dates_leave_no_day_is_one_lint_at_its_dates() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(format!("{RULES}/schema.icp"), dir.path().join("schema.icp")).unwrap();
    let rule = |name: &str, age: u32| {
        format!(
            "  rule {name} {{\n    source \"1\"\n    require age >= {age}\n    \
             message zh \"年龄过小\" en \"too young {age}\"\n  }}\n"
        )
    };
    std::fs::write(
        dir.path().join("rules.icp"),
        format!(
            "ruleset national in force from 2027-01-01 until 2026-01-01 {{\n{}{}{}}}\n",
            rule("a", 18),
            rule("b", 19),
            rule("c", 20)
        ),
    )
    .unwrap();
    let path = dir.path().to_string_lossy().to_string();
    let out = icprules(&["lint", &path], None);
    let report = stdout(&out) + &stderr(&out);
    assert_eq!(report.matches("never in force").count(), 1, "{report}");
    assert!(
        report.contains("3 rules are never in force: `national.a` and 2 more"),
        "{report}"
    );
    assert!(report.contains("rules.icp:1:18"), "{report}");
}
