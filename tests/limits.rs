//! Bounded resources and hostile inputs (issue 13): rule folders with
//! symbolic-link loops, verdicts that do not depend on file names, terminal
//! output that escapes what applications and rule files hold, and the
//! smaller points. Each test drives the `icprules` command as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn icprules(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_icprules"))
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("icprules runs")
}

/// [`icprules`], killed (and the test failed) if it takes longer than `limit`.
fn icprules_within(args: &[&str], limit: std::time::Duration) -> Output {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("icprules runs");
    let start = std::time::Instant::now();
    while child.try_wait().expect("status").is_none() {
        if start.elapsed() > limit {
            child.kill().ok();
            panic!("`icprules {}` took more than {limit:?}", args.join(" "));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

/// A copy of the built-in rules in a fresh folder.
fn copy_of_rules(dir: &Path) -> PathBuf {
    let to = dir.join("rules");
    copy_tree(Path::new("rules"), &to);
    to
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_in_a_rule_folder_are_not_followed() {
    use std::os::unix::fs::symlink;
    let temp = tempfile::tempdir().expect("temp dir");
    let rules = copy_of_rules(temp.path());
    let plain = icprules(&["lint", s(&rules)]);
    // Two loops (which grew without end) and a second path to a file.
    symlink("..", rules.join("provinces/loop")).expect("symlink");
    symlink(".", rules.join("provinces/again")).expect("symlink");
    symlink("../national.icp", rules.join("provinces/dup.icp")).expect("symlink");
    let looped = icprules(&["lint", s(&rules)]);
    assert_eq!(looped.status.code(), Some(0), "{}", stderr(&looped));
    let err = stderr(&looped);
    assert!(
        err.contains("note: `provinces/loop` is a symbolic link to a folder: not followed"),
        "{err}"
    );
    assert!(
        err.contains("note: `provinces/again` is a symbolic link"),
        "{err}"
    );
    assert!(
        err.contains(
            "note: `provinces/dup.icp` is the same file as `national.icp`: it is read once"
        ),
        "{err}"
    );
    // The same files and rules as without the links.
    let summary = |e: &str| e.lines().last().map(str::to_string);
    assert_eq!(summary(&err), summary(&stderr(&plain)));
    let checked = icprules(&[
        "check",
        "--rules",
        s(&rules),
        "examples/zhejiang-enterprise.json",
    ]);
    let builtin = icprules(&["check", "examples/zhejiang-enterprise.json"]);
    assert_eq!(stdout(&checked), stdout(&builtin));
}

#[cfg(unix)]
#[test]
fn a_case_folder_with_a_loop_runs_each_case_once() {
    use std::os::unix::fs::symlink;
    let temp = tempfile::tempdir().expect("temp dir");
    let cases = temp.path().join("cases");
    std::fs::create_dir_all(&cases).expect("mkdir");
    let case = "tests/cases/national/accept-enterprise.json";
    std::fs::copy(case, cases.join("accept-enterprise.json")).expect("copy");
    // Two loops: a walk that followed them would branch without end.
    symlink("..", cases.join("loop")).expect("symlink");
    symlink(".", cases.join("again")).expect("symlink");
    symlink("accept-enterprise.json", cases.join("again.json")).expect("symlink");
    let out = icprules_within(&["test", s(&cases)], std::time::Duration::from_secs(60));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("1 passed, 0 failed"),
        "{}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("loop` is a symbolic link to a folder: not followed"),
        "{err}"
    );
    assert!(err.contains("again.json` is the same file as `"), "{err}");
}

/// A rule set with two requirements of phone bills (which the built-in
/// rules do not ask of the example), a warning and an error, in the files
/// `warning_file` and `error_file`.
fn two_severities(dir: &Path, warning_file: &str, error_file: &str) -> PathBuf {
    let rules = copy_of_rules(dir);
    let requirement = |name: &str, severity: &str| {
        format!(
            "ruleset extra{name} {{\n  document bills-{severity} {{\n    source \"1\"\n    \
             severity {severity}\n    requires phone_bills\n    message zh \"请上传话费发票\"\n            \
             en \"upload the phone bills\"\n  }}\n}}\n"
        )
    };
    std::fs::write(rules.join(warning_file), requirement("w", "warning")).expect("write");
    std::fs::write(rules.join(error_file), requirement("e", "error")).expect("write");
    rules
}

#[test]
fn a_document_required_twice_gets_the_strongest_severity_whatever_the_file_names() {
    let app = "examples/zhejiang-enterprise.json";
    // Accepted by the built-in rules.
    assert_eq!(icprules(&["check", app]).status.code(), Some(0));
    let temp = tempfile::tempdir().expect("temp dir");
    let mut results = Vec::new();
    for (warning_file, error_file) in [("a.icp", "z.icp"), ("z.icp", "a.icp")] {
        let dir = temp.path().join(warning_file);
        let rules = two_severities(&dir, warning_file, error_file);
        let out = icprules(&["check", "--rules", s(&rules), "--format", "json", app]);
        let result: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
        assert_eq!(result["verdict"], "reject", "{}", stderr(&out));
        assert_eq!(out.status.code(), Some(1));
        let bills: Vec<&serde_json::Value> = result["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .filter(|d| d["type"] == "phone_bills")
            .collect();
        assert_eq!(bills.len(), 1);
        assert_eq!(bills[0]["status"], "missing");
        let findings: Vec<(String, String)> = result["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| (f["rule"].to_string(), f["severity"].to_string()))
            .collect();
        assert_eq!(
            findings,
            [(
                "\"extrae.bills-error\"".to_string(),
                "\"error\"".to_string()
            )]
        );
        results.push(result);
    }
    assert_eq!(results[0], results[1]);
}

/// Text that would clear the screen, set the window title and forge a line
/// if it reached a terminal as it is.
const HOSTILE: &str = "Evil Co.\n\naccept\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}";

fn assert_no_raw_controls(what: &str, text: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
        assert!(!text.contains(c), "{what} holds {c:?}:\n{text}");
    }
}

/// The example with a domain held by a name that is not the subject's.
fn hostile_application(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string("examples/zhejiang-enterprise.json").expect("example");
    let mut app: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    app["websites"][0]["domains"][0]["holder"]["name"] = HOSTILE.into();
    let path = dir.join("hostile.json");
    std::fs::write(&path, serde_json::to_string_pretty(&app).expect("JSON")).expect("write");
    path
}

#[test]
fn the_human_report_escapes_what_the_application_says() {
    let temp = tempfile::tempdir().expect("temp dir");
    let path = hostile_application(temp.path());
    let out = icprules(&["check", s(&path)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout(&out);
    assert_no_raw_controls("the report", &report);
    assert!(
        report.contains(r"Evil Co.\n\naccept\u{1b}[2J\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}"),
        "{report}"
    );
    // No line of the report is the forged one.
    assert!(!report.lines().any(|l| l.trim() == "accept"), "{report}");
    // JSON escapes by itself, and gives the value as it is.
    let json = icprules(&["check", "--format", "json", "--facts", s(&path)]);
    let result: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let facts = result["findings"].to_string();
    assert!(
        facts.contains(&serde_json::to_string(HOSTILE).expect("JSON")[1..20]),
        "{facts}"
    );
}

#[test]
fn invalid_input_errors_escape_what_the_application_says() {
    let temp = tempfile::tempdir().expect("temp dir");
    let path = temp.path().join("bad.json");
    let app = serde_json::json!({ "province": HOSTILE });
    std::fs::write(&path, app.to_string()).expect("write");
    let out = icprules(&["check", s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_no_raw_controls("the error", &err);
    assert!(err.contains(r"\u{1b}[2J"), "{err}");
    // A raw control character in the JSON text itself is not quoted either.
    std::fs::write(&path, "{\"province\": \"\u{1b}[2J\"}").expect("write");
    let out = icprules(&["check", s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert_no_raw_controls("the error", &stderr(&out));
}

#[test]
fn explain_and_lint_escape_what_the_rule_files_say() {
    let temp = tempfile::tempdir().expect("temp dir");
    let rules = copy_of_rules(temp.path());
    let extra = "ruleset extra {\n  // \u{1b}]0;pwned\u{7} a comment\n  rule escape {\n    source \"1\"\n    \
                 require province != beijing\n    message zh \"不\u{1b}[2J\"\n            en \"no\u{1b}[2J\"\n  }\n}\n";
    std::fs::write(rules.join("extra.icp"), extra).expect("write");
    let out = icprules(&["explain", "--rules", s(&rules), "extra.escape"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_no_raw_controls("explain", &stdout(&out));
    assert!(stdout(&out).contains(r"no\u{1b}[2J"), "{}", stdout(&out));
    let out = icprules(&["lint", s(&rules)]);
    assert_no_raw_controls("lint", &stderr(&out));
    assert_no_raw_controls("lint", &stdout(&out));
}

/// The example with `edit` applied, written to `dir`; the output of
/// `check --format json` on it.
fn check_edited(
    dir: &Path,
    edit: impl FnOnce(&mut serde_json::Value),
) -> (Output, serde_json::Value) {
    let text = std::fs::read_to_string("examples/zhejiang-enterprise.json").expect("example");
    let mut app: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    edit(&mut app);
    let path = dir.join("edited.json");
    std::fs::write(&path, app.to_string()).expect("write");
    check_text(&path)
}

fn check_text(path: &Path) -> (Output, serde_json::Value) {
    let out = icprules(&["check", "--format", "json", s(path)]);
    let result = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    (out, result)
}

#[test]
fn a_whole_number_written_as_a_float_is_the_int_it_equals() {
    let temp = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string("examples/zhejiang-enterprise.json").expect("example");
    let (_, plain) = check_text(Path::new("examples/zhejiang-enterprise.json"));
    let age =
        serde_json::from_str::<serde_json::Value>(&text).expect("JSON")["subject_admin"]["age"]
            .as_i64()
            .expect("an age");
    let path = temp.path().join("float.json");
    // As JSON Schema's `integer` takes them: `41.0`, `4.1e1`, and `-0` for 0.
    for written in [format!("{age}.0"), format!("{}e1", age as f64 / 10.0)] {
        let edited = text.replacen(
            &format!("\"age\": {age}"),
            &format!("\"age\": {written}"),
            1,
        );
        assert_ne!(
            edited, text,
            "the example gives the age as `\"age\": {age}`"
        );
        std::fs::write(&path, &edited).expect("write");
        let (out, result) = check_text(&path);
        assert_eq!(result, plain, "{written}: {}", stderr(&out));
    }
    // `-0` is 0.
    let with_age = |written: &str| {
        let edited = text.replacen(
            &format!("\"age\": {age}"),
            &format!("\"age\": {written}"),
            1,
        );
        std::fs::write(&path, &edited).expect("write");
        check_text(&path)
    };
    let (out, minus_zero) = with_age("-0");
    assert_ne!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_eq!(minus_zero, with_age("0").1);
    // A fraction is not a whole number.
    let edited = text.replacen(&format!("\"age\": {age}"), "\"age\": 41.5", 1);
    std::fs::write(&path, &edited).expect("write");
    let (out, result) = check_text(&path);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        result["error"]["message"],
        "expected an int, found the number `41.5`"
    );
    // Nor is a number past 64 bits an int, whole or not.
    let edited = text.replacen(&format!("\"age\": {age}"), "\"age\": 1e19", 1);
    std::fs::write(&path, &edited).expect("write");
    let (_, result) = check_text(&path);
    assert_eq!(
        result["error"]["message"],
        "the number `1e19` is out of range for an int"
    );
    // Past 2^53 a float is not every whole number: `9007199254740993.0`
    // would read as ...992. Refused, where the int written plainly is not.
    for (written, message) in [
        (
            "9007199254740993.0",
            Some(
                "a number written with a fraction or an exponent is read exactly as an int only up to 9007199254740992 (2^53), and this one is larger",
            ),
        ),
        ("9007199254740992.0", None),
        ("9007199254740993", None),
    ] {
        let edited = text.replacen(
            &format!("\"age\": {age}"),
            &format!("\"age\": {written}"),
            1,
        );
        std::fs::write(&path, &edited).expect("write");
        let (_, result) = check_text(&path);
        match message {
            Some(message) => assert_eq!(result["error"]["message"], message, "{written}"),
            None => assert_ne!(result["verdict"], "invalid", "{written}: {result}"),
        }
    }
}

#[test]
fn negative_counts_are_refused() {
    let temp = tempfile::tempdir().expect("temp dir");
    let (out, result) = check_edited(temp.path(), |app| app["account"]["entities"] = (-1).into());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(result["error"]["path"], "account.entities");
    assert_eq!(
        result["error"]["message"],
        "expected a count (0 or more), found the number `-1`"
    );
    assert_eq!(result["error"]["help"], "a count cannot be negative");
    let (out, result) = check_edited(temp.path(), |app| {
        app["websites"][0]["domains"][0]["real_name_verified_days_ago"] = (-5.0).into();
    });
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        result["error"]["path"],
        "websites[0].domains[0].real_name_verified_days_ago"
    );
    assert_eq!(
        result["error"]["message"],
        "expected a count (0 or more), found the number `-5.0`"
    );
    // Zero is a count.
    let (out, _) = check_edited(temp.path(), |app| {
        app["websites"][0]["domains"][0]["real_name_verified_days_ago"] = 0.into();
    });
    assert_ne!(out.status.code(), Some(2));
}

#[test]
fn the_json_schema_gives_counts_a_minimum() {
    let out = icprules(&["schema"]);
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let defs = &schema["$defs"];
    let minimum = |record: &str, field: &str| defs[record]["properties"][field]["minimum"].clone();
    assert_eq!(minimum("Account", "entities"), 0);
    // An int that may be negative has none.
    assert!(defs.to_string().matches("\"minimum\":0").count() >= 5);
}

#[test]
fn count_is_a_field_type_only() {
    let temp = tempfile::tempdir().expect("temp dir");
    let rules = copy_of_rules(temp.path());
    std::fs::write(rules.join("extra.icp"), "def twice(n: count) = n + n\n").expect("write");
    let out = icprules(&["lint", s(&rules)]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("unknown type `count`"), "{err}");
    assert!(
        err.contains("`count` is the type of a record's field"),
        "{err}"
    );
}

#[test]
fn a_rule_file_with_a_byte_order_mark_parses() {
    let temp = tempfile::tempdir().expect("temp dir");
    let rules = copy_of_rules(temp.path());
    let national = rules.join("national.icp");
    let text = std::fs::read_to_string(&national).expect("read");
    std::fs::write(&national, format!("\u{feff}{text}")).expect("write");
    let out = icprules(&["lint", s(&rules), "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let checked = icprules(&[
        "check",
        "--rules",
        s(&rules),
        "examples/zhejiang-enterprise.json",
    ]);
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
}

#[test]
fn an_unknown_escape_in_a_rule_string_is_an_error_at_its_place() {
    let temp = tempfile::tempdir().expect("temp dir");
    let rules = copy_of_rules(temp.path());
    std::fs::write(
        rules.join("extra.icp"),
        "ruleset extra {\n  rule named {\n    source \"1\"\n    require subject.name != \"\\u{41}\"\n    \
         message zh \"名称\" en \"name\"\n  }\n}\n",
    )
    .expect("write");
    let out = icprules(&["lint", s(&rules), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let diagnostics: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let escape = diagnostics
        .as_array()
        .expect("diagnostics")
        .iter()
        .find(|d| d["message"] == "unknown escape `\\u` in a string")
        .unwrap_or_else(|| panic!("{diagnostics:#}"));
    assert_eq!(escape["line"], 4);
    assert_eq!(escape["column"], 30);
    assert_eq!(escape["level"], "error");
}

/// A rule file that is not in the layout (an extra blank line and spaces).
const UNFORMATTED: &str = "ruleset demo   {\n\n\n  rule named {\n    source \"1\"\n    require subject.name != \"\"\n    message zh \"名称\" en \"name\"\n  }\n}\n";

#[test]
fn fmt_replaces_a_file_whole_and_keeps_its_permissions() {
    let temp = tempfile::tempdir().expect("temp dir");
    let file = temp.path().join("demo.icp");
    std::fs::write(&file, UNFORMATTED).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let out = icprules(&["fmt", s(&file)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let formatted = std::fs::read_to_string(&file).expect("read");
    assert_ne!(formatted, UNFORMATTED);
    assert_eq!(
        icprules(&["fmt", "--check", s(&file)]).status.code(),
        Some(0)
    );
    // Nothing is left beside it: the temporary file took its place.
    let names: Vec<String> = std::fs::read_dir(temp.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["demo.icp"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
}

#[cfg(unix)]
#[test]
fn fmt_says_when_it_formats_through_a_symbolic_link() {
    use std::os::unix::fs::symlink;
    let temp = tempfile::tempdir().expect("temp dir");
    let real = temp.path().join("real");
    std::fs::create_dir_all(&real).expect("mkdir");
    let file = real.join("demo.icp");
    std::fs::write(&file, UNFORMATTED).expect("write");
    let folder = temp.path().join("rules");
    std::fs::create_dir_all(&folder).expect("mkdir");
    symlink(&file, folder.join("link.icp")).expect("symlink");
    symlink(&real, folder.join("loop")).expect("symlink");
    symlink("..", folder.join("up")).expect("symlink");
    let out = icprules(&["fmt", s(&folder)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("link.icp` is a symbolic link: formatting the file it links to, `"),
        "{err}"
    );
    assert!(
        err.contains("loop` is a symbolic link to a folder: not followed"),
        "{err}"
    );
    assert!(
        err.contains("1 file formatted, 0 already formatted"),
        "{err}"
    );
    // The link is still a link, to a formatted file.
    let link = std::fs::symlink_metadata(folder.join("link.icp")).expect("metadata");
    assert!(link.file_type().is_symlink());
    assert_ne!(std::fs::read_to_string(&file).expect("read"), UNFORMATTED);
}

#[test]
fn an_application_file_past_one_gibibyte_is_refused_unread() {
    let temp = tempfile::tempdir().expect("temp dir");
    let path = temp.path().join("huge.json");
    // Sparse: no disk and no memory spent.
    let file = std::fs::File::create(&path).expect("create");
    file.set_len((1 << 30) + 1).expect("set_len");
    let out = icprules(&["check", s(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("huge.json`: it is larger than 1024 MiB, which no application is"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_list_past_a_million_elements_is_an_error_at_the_list() {
    let text = std::fs::read_to_string("examples/zhejiang-enterprise.json").expect("example");
    let mut app: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    app["subject"]["filed_domains"] = vec!["a.cn"; 1_000_001].into();
    let temp = tempfile::tempdir().expect("temp dir");
    let path = temp.path().join("long.json");
    std::fs::write(&path, app.to_string()).expect("write");
    let (out, result) = check_text(&path);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(result["error"]["path"], "subject.filed_domains");
    assert_eq!(
        result["error"]["message"],
        "the list has 1000001 elements, more than the 1000000 a list may hold"
    );
}

#[test]
fn a_rule_file_past_16_mebibytes_is_refused() {
    let temp = tempfile::tempdir().expect("temp dir");
    let rules = copy_of_rules(temp.path());
    let mut comment = "// ".to_string();
    comment.push_str(&"x".repeat(16 << 20));
    comment.push('\n');
    std::fs::write(rules.join("huge.icp"), comment).expect("write");
    let out = icprules(&["lint", s(&rules)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("huge.icp` is larger than 16 MiB, the most a rule file may hold"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_rule_set_past_ten_thousand_files_is_refused() {
    let temp = tempfile::tempdir().expect("temp dir");
    let rules = copy_of_rules(temp.path());
    let many = rules.join("many");
    std::fs::create_dir_all(&many).expect("mkdir");
    for i in 0..10_000 {
        std::fs::write(many.join(format!("f{i}.icp")), "").expect("write");
    }
    let out = icprules(&[
        "check",
        "--rules",
        s(&rules),
        "examples/zhejiang-enterprise.json",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("holds more than 10000 `.icp` files, the most a rule set may have"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_files_of_rule_sets_in_its_folders_count_toward_the_limit() {
    // Each nested rule set is read to be told apart, then skipped: reading
    // must be bounded all the same (two of 5,001 files, past 10,000 read).
    let temp = tempfile::tempdir().expect("temp dir");
    let rules = copy_of_rules(temp.path());
    for set in ["nested-a", "nested-b"] {
        let dir = rules.join(set);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("schema.icp"), "input A\nrecord A { name: text }\n")
            .expect("write");
        for i in 0..5_000 {
            std::fs::write(dir.join(format!("f{i}.icp")), "").expect("write");
        }
    }
    let out = icprules(&[
        "check",
        "--rules",
        s(&rules),
        "examples/zhejiang-enterprise.json",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the files of rule sets in its folders count too"),
        "{}",
        stderr(&out)
    );
    // One nested rule set within the limit is skipped, as before.
    std::fs::remove_dir_all(rules.join("nested-b")).expect("rm");
    let out = icprules(&[
        "check",
        "--rules",
        s(&rules),
        "examples/zhejiang-enterprise.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn fmt_counts_a_file_it_could_not_format_as_not_formatted() {
    let temp = tempfile::tempdir().expect("temp dir");
    let folder = temp.path().join("rules");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(folder.join("a.icp"), UNFORMATTED).expect("write");
    std::fs::write(folder.join("broken.icp"), "rule   x.y {\n}\n").expect("write");
    let out = icprules(&["fmt", s(&folder)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    // The broken file is neither formatted nor "already formatted".
    assert!(
        err.contains("1 file formatted, 0 already formatted, 1 not formatted (errors above)"),
        "{err}"
    );
}

#[test]
fn fmt_reads_a_rule_file_up_to_the_limit_only() {
    let temp = tempfile::tempdir().expect("temp dir");
    let path = temp.path().join("huge.icp");
    // Sparse: no disk spent; read whole, it would take 17 MiB.
    let file = std::fs::File::create(&path).expect("create");
    file.set_len((16 << 20) + 1).expect("set_len");
    let out = icprules(&["fmt", "--check", s(&path)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("huge.icp` is larger than 16 MiB, the most a rule file may hold"),
        "{}",
        stderr(&out)
    );
    // Standard input too: an endless one is not read to its end.
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        .arg("fmt")
        .stdin(std::fs::File::open("/dev/zero").expect("/dev/zero"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("icprules runs");
    let start = std::time::Instant::now();
    while child.try_wait().expect("status").is_none() {
        if start.elapsed() > std::time::Duration::from_secs(60) {
            child.kill().ok();
            panic!("`icprules fmt < /dev/zero` did not stop");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out)
            .contains("standard input is larger than 16 MiB, the most a rule file may hold"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_rule_folder_is_refused_not_waited_on() {
    let temp = tempfile::tempdir().expect("temp dir");
    let rules = copy_of_rules(temp.path());
    let fifo = rules.join("provinces/pipe.icp");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    for command in ["lint", "fmt"] {
        let out = icprules_within(&[command, s(&rules)], std::time::Duration::from_secs(30));
        assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("pipe.icp`: it is not a regular file"),
            "{command}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn test_and_gen_read_an_application_file_up_to_the_limit_only() {
    let temp = tempfile::tempdir().expect("temp dir");
    let cases = temp.path().join("cases/national");
    std::fs::create_dir_all(&cases).expect("mkdir");
    let path = cases.join("accept-huge.json");
    // Sparse: no disk spent; read whole, it would take a gibibyte.
    let file = std::fs::File::create(&path).expect("create");
    file.set_len((1 << 30) + 1).expect("set_len");
    let limit = std::time::Duration::from_secs(60);
    for args in [
        vec!["test", s(temp.path())],
        vec!["gen", "--corpus", s(temp.path()), "--count", "1"],
    ] {
        let out = icprules_within(&args, limit);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("it is larger than 1024 MiB, which no application is"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn an_expectation_file_is_read_up_to_its_limit_only() {
    let temp = tempfile::tempdir().expect("temp dir");
    let cases = temp.path().join("national");
    std::fs::create_dir_all(&cases).expect("mkdir");
    std::fs::copy(
        "tests/cases/national/accept-enterprise.json",
        cases.join("accept-enterprise.json"),
    )
    .expect("copy");
    // Comments only, so that within the limit it would be a valid file.
    let expect = cases.join("accept-enterprise.expect");
    std::fs::write(&expect, "# a comment\n".repeat((1 << 20) / 12 + 1)).expect("write");
    let out = icprules_within(
        &["test", s(temp.path())],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("it is larger than 1024 KiB, the limit of an expectation file"),
        "{}",
        stderr(&out)
    );
    std::fs::write(&expect, "# a comment\n").expect("write");
    let out = icprules_within(
        &["test", s(temp.path())],
        std::time::Duration::from_secs(60),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[cfg(unix)]
#[test]
fn file_names_are_escaped_in_the_human_report() {
    // Files are named by whoever sent them: a name can hold an escape
    // sequence too.
    let temp = tempfile::tempdir().expect("temp dir");
    let valid = temp.path().join("ok\u{1b}[2J\u{202e}.json");
    std::fs::copy("examples/zhejiang-enterprise.json", &valid).expect("copy");
    let invalid = temp.path().join("bad\u{1b}]0;x\u{7}.json");
    std::fs::write(&invalid, "{\"province\": 1}").expect("write");
    let out = icprules(&["check", s(&valid), s(&invalid)]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_no_raw_controls("the report", &stdout(&out));
    assert_no_raw_controls("the errors", &stderr(&out));
    assert!(
        stdout(&out).contains(r"ok\u{1b}[2J\u{202e}.json <=="),
        "{}",
        stdout(&out)
    );
}
