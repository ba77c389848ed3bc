//! Errors in applications as filers and integrators see them: each placed at
//! the whole key or value it is about, at the same line and column (counted
//! in characters) in the human report and in JSON, every one of them in
//! document order, and failed invariants at the key that breaks them.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const ACCEPTED: &str = "tests/cases/national/accept-enterprise.json";

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

/// The accepted application with edits applied, pretty-printed.
fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(ACCEPTED).expect("case");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("json");
    edit(&mut value);
    serde_json::to_string_pretty(&value).expect("json")
}

/// The human report (stderr) and the JSON result of `check` on the text.
fn checked(text: &str) -> (String, serde_json::Value) {
    let human = icprules(&["check", "-"], text);
    assert_eq!(human.status.code(), Some(2));
    let json = icprules(&["check", "--format", "json", "-"], text);
    assert_eq!(json.status.code(), Some(2));
    let result = serde_json::from_slice(&json.stdout).expect("a JSON result");
    (String::from_utf8_lossy(&human.stderr).into_owned(), result)
}

/// The 1-based line and column (in characters) where `part` starts in
/// `text`, and the column just past it.
fn place(text: &str, part: &str) -> (usize, usize, usize) {
    let at = text
        .find(part)
        .unwrap_or_else(|| panic!("`{part}` in the text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column, column + part.chars().count())
}

/// The error at `path` in a JSON result's `errors`.
fn error_at<'a>(result: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    result["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .find(|e| e["path"] == path)
        .unwrap_or_else(|| panic!("an error at `{path}` in {result:#}"))
}

/// The width of the underline miette draws below the line of an error.
fn underline_width(human: &str, header: &str) -> usize {
    let lines: Vec<&str> = human.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(header))
        .unwrap_or_else(|| panic!("`{header}` in\n{human}"));
    let underline = lines[at..]
        .iter()
        .find(|l| l.contains('┬'))
        .expect("an underline");
    underline.chars().filter(|c| matches!(c, '─' | '┬')).count()
}

fn assert_place(result: &serde_json::Value, error: &serde_json::Value, at: (usize, usize, usize)) {
    let (line, column, end) = at;
    assert_eq!(
        (
            &error["line"],
            &error["column"],
            &error["end_line"],
            &error["end_column"]
        ),
        (&line.into(), &column.into(), &line.into(), &end.into()),
        "{result:#}"
    );
}

#[test]
fn a_misspelt_key_is_underlined_whole_at_the_same_column_in_both_outputs() {
    let text = edited(|v| {
        let subject = v["subject"].as_object_mut().expect("subject");
        let name = subject.remove("legal_representative").expect("key");
        subject.insert("legal_represntative".into(), name);
    });
    let (human, result) = checked(&text);
    let at = place(&text, "\"legal_represntative\"");
    let error = error_at(&result, "subject");
    assert_eq!(error["found"], "the key `legal_represntative`");
    assert_place(&result, error, at);
    let header = format!("<stdin>:{}:{}]", at.0, at.1);
    assert_eq!(underline_width(&human, &header), at.2 - at.1, "{human}");
    // The key is misspelt, not missing as well.
    assert_eq!(
        result["errors"].as_array().expect("errors").len(),
        1,
        "{result:#}"
    );
    assert!(
        human.contains("did you mean `legal_representative`?"),
        "{human}"
    );
}

#[test]
fn a_value_is_underlined_whole_and_columns_count_characters() {
    let text = edited(|v| {
        v["province"] = "北京".into();
        v["websites"][0]["hosting"]["cdn"] = "origin alibaba mainland".into();
    });
    let (human, result) = checked(&text);
    let at = place(&text, "\"北京\"");
    assert_place(&result, error_at(&result, "province"), at);
    // miette counts the bytes of `北京` where the JSON counts characters:
    // both say the same column.
    assert!(
        human.contains(&format!("<stdin>:{}:{}]", at.0, at.1)),
        "{human}"
    );
    let at = place(&text, "\"origin alibaba mainland\"");
    assert_place(&result, error_at(&result, "websites[0].hosting.cdn"), at);
    let header = format!("<stdin>:{}:{}]", at.0, at.1);
    assert_eq!(underline_width(&human, &header), at.2 - at.1, "{human}");
}

#[test]
fn every_error_is_reported_in_document_order() {
    let text = edited(|v| {
        v["subject"]["name"] = 42.into();
        v["province"] = "nowhere".into();
    });
    let (human, result) = checked(&text);
    let paths: Vec<&str> = result["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["path"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["province", "subject.name"], "{result:#}");
    assert_eq!(result["error"], result["errors"][0]);
    assert_eq!(result["more_errors"], 0);
    assert!(
        human.starts_with("error: invalid application `<stdin>`: 2 errors\n"),
        "{human}"
    );
    let province = human
        .find("`province`: unknown")
        .expect("the province error");
    let name = human
        .find("`subject.name`: expected a text")
        .expect("the name error");
    assert!(province < name, "{human}");
    // And in a batch, on the line's own result.
    let line = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).unwrap())
        .expect("json");
    let out = icprules(&["check", "--batch", "-"], &format!("\n{line}\n"));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one result");
    let errors = result["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{result:#}");
    for error in errors {
        assert_eq!(error["line"], 2, "{result:#}");
        assert_eq!(error["end_line"], 2, "{result:#}");
    }
    let at = place(&line, "42");
    assert_eq!(errors[1]["column"], at.1, "{result:#}");
}

#[test]
fn errors_past_the_limit_are_counted_not_listed() {
    let text = edited(|v| {
        let subject = v["subject"].as_object_mut().expect("subject");
        for i in 0..25 {
            subject.insert(format!("extra_{i}"), i.into());
        }
    });
    let (human, result) = checked(&text);
    assert_eq!(result["errors"].as_array().expect("errors").len(), 20);
    assert_eq!(result["more_errors"], 5);
    assert!(
        human.starts_with("error: invalid application `<stdin>`: 25 errors\n"),
        "{human}"
    );
    assert!(human.contains("and 5 more errors"), "{human}");
}

#[test]
fn a_failed_invariant_points_at_the_key_that_breaks_it() {
    // `change` given although `action` is `new`.
    let text = edited(|v| {
        v["change"] = serde_json::json!({
            "from": "enterprise", "same_entity": true, "name_changed": false,
            "certificate_number_changed": false, "names_associated": false, "three_in_one": false,
            "individual_is_legal_representative": false, "individual_is_website_admin": false
        })
    });
    let (human, result) = checked(&text);
    let error = &result["error"];
    assert_eq!(error["path"], "change");
    let (line, column, _) = place(&text, "\"change\"");
    assert_eq!(
        (&error["line"], &error["column"]),
        (&line.into(), &column.into()),
        "{result:#}"
    );
    assert!(
        human.contains(&format!("<stdin>:{line}:{column}]")),
        "{human}"
    );
    // The fact that makes `change` wrong is shown where it is.
    assert!(human.contains("╰── action: new filing"), "{human}");
    // `action` is `change` and `change` is not given: where it would go.
    let text = edited(|v| v["action"] = "change".into());
    let (human, result) = checked(&text);
    let error = &result["error"];
    assert_eq!(error["path"], "change");
    let last = text.lines().count();
    assert_eq!(
        (&error["line"], &error["column"]),
        (&last.into(), &1.into()),
        "{result:#}"
    );
    assert!(human.contains("`change` is missing here"), "{human}");
    assert!(human.contains("╰── action: change"), "{human}");
}

/// JSON that is not JSON gets a fix in `help`, by what was written there:
/// serde_json's own words ("expected ident") do not say it.
#[test]
fn broken_json_says_how_to_write_it() {
    let help = |text: &str| {
        let (_, result) = checked(text);
        result["error"]["help"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let cases = [
        ("{\"province\": tru}", "`true`, `false` and `null`"),
        ("{\"province\": zhejiang}", "double quotes"),
        ("not json", "double quotes"),
        ("{'province': 'zhejiang'}", "double quotes"),
        ("{province: 1}", "double quotes"),
        ("// a comment\n{}", "comments"),
        ("{\"province\": \"zhejiang\",}", "remove the `,`"),
    ];
    for (text, wanted) in cases {
        let help = help(text);
        assert!(help.contains(wanted), "{text}: {help}");
    }
}
