//! Bad input of every kind gets a clear error, never a panic or a stack
//! overflow.
//!
//! `tests/bad_inputs/applications/*.json` are read as `icprules check` reads
//! them (with the built-in rules): each must be invalid, and its error, as
//! the command shows it, is snapshotted. `tests/bad_inputs/rules/*.icp` are
//! checked together with `tests/fixtures/schema.icp`: each must give an
//! error, and its diagnostics are snapshotted. Inputs too large to keep in
//! the repository are made here.

use std::path::Path;
use std::sync::Arc;

use icprules::check::{MAX_EVAL_DEPTH, Program, check};
use icprules::diagnostic::{Level, render_plain};
use icprules::eval::{InputErrors, evaluate, read, read_bytes};
use icprules::lang::Lang;
use icprules::report::invalid_human;
use icprules::rules::{LoadError, source_file};
use icprules::source::{SourceFile, Sources};
use icprules::syntax::MAX_NESTING;

fn program() -> Program {
    check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program
}

const ACCEPTED: &str = "tests/cases/national/accept-enterprise.json";

/// The error `icprules check` shows for these bytes, which must be invalid.
fn invalid(program: &Program, name: &str, bytes: &[u8]) -> (InputErrors, String) {
    let error = match read_bytes(program, bytes) {
        Ok(_) => panic!("{name} must be invalid"),
        Err(error) => error,
    };
    let shown = invalid_human(
        name,
        &String::from_utf8_lossy(bytes),
        &error,
        false,
        Lang::En,
    );
    (error, shown)
}

/// An error fits on a screen: a few dozen lines, none of them huge.
fn assert_one_screen(name: &str, shown: &str) {
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines.len() <= 30, "{name}: {} lines", lines.len());
    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest <= 400, "{name}: a line of {longest} characters");
}

#[test]
fn bad_applications() {
    let program = program();
    insta::glob!("bad_inputs/applications/*.json", |path| {
        let bytes = std::fs::read(path).expect("case");
        let name = file_name(path);
        let (errors, shown) = invalid(&program, &name, &bytes);
        assert!(!errors.first().message.is_empty());
        assert_one_screen(&name, &shown);
        insta::assert_snapshot!(shown);
    });
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("file name")
        .to_string_lossy()
        .into_owned()
}

/// The fixture schema and the rule file(s) of a case, or the load error.
fn case_sources(path: &Path) -> Result<Sources, LoadError> {
    let schema = std::fs::read("tests/fixtures/schema.icp").expect("fixture schema");
    let name = file_name(path);
    let bytes = std::fs::read(path).expect("case");
    Ok(Sources::new(vec![
        source_file(Path::new("schema.icp"), "schema.icp".into(), schema)?,
        source_file(path, name, bytes)?,
    ]))
}

#[test]
fn bad_rule_files() {
    insta::glob!("bad_inputs/rules/*.icp", |path| {
        let name = file_name(path);
        let shown = match case_sources(path) {
            Err(LoadError::NotUtf8 {
                diagnostic,
                sources,
                ..
            }) => render_plain(&[*diagnostic], &sources),
            Err(e) => panic!("{name}: {e}"),
            Ok(sources) => {
                let diagnostics: Vec<_> = match check(&sources) {
                    Ok(_) => panic!("{name} must give an error"),
                    Err(diagnostics) => diagnostics,
                }
                .into_iter()
                // The cases' messages are in English only, which is not what they test.
                .filter(|d| d.code != "missing-translation")
                .collect();
                assert!(
                    diagnostics.iter().any(|d| d.level == Level::Error),
                    "{name}"
                );
                assert!(
                    diagnostics
                        .iter()
                        .all(|d| Some(d.span.file) == sources.find(&name)),
                    "{name}: a diagnostic points into the schema"
                );
                render_plain(&diagnostics, &sources)
            }
        };
        insta::assert_snapshot!(shown);
    });
}

// ---- applications made here ----------------------------------------------------

fn accepted_text() -> String {
    std::fs::read_to_string(ACCEPTED).expect("case")
}

#[test]
fn nesting_100_thousand_levels_deep_is_an_error() {
    let program = program();
    for (open, close) in [("[", "]"), ("{\"websites\":", "}")] {
        let text = format!("{}1{}", open.repeat(100_000), close.repeat(100_000));
        let (errors, shown) = invalid(&program, "deep.json", text.as_bytes());
        let error = errors.first();
        assert!(
            error.message.contains("expected an object")
                || error.message.contains("expected a list"),
            "{error}"
        );
        assert_one_screen("deep.json", &shown);
    }
    // The schema bounds nesting: a list where a text belongs is refused at
    // its first level.
    let text = accepted_text().replace(
        "\"filed_domains\": []",
        &format!(
            "\"filed_domains\": {}{}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    let (errors, _) = invalid(&program, "deep.json", text.as_bytes());
    let error = errors.first();
    assert_eq!(error.path, "subject.filed_domains[0]", "{error}");
}

#[test]
fn nesting_past_serde_json_s_limit_is_an_error_where_the_schema_recurses() {
    let schema = "input Tree\nrecord Tree { children: [Tree] }\n";
    let sources = Sources::new(vec![SourceFile {
        path: "schema.icp".into(),
        text: Arc::from(schema),
    }]);
    let program = check(&sources).expect("a recursive record checks").program;
    let nested = |levels: usize| {
        format!(
            "{}{}",
            "{\"children\": [".repeat(levels),
            "]}".repeat(levels)
        )
    };
    // serde_json allows 128 levels, and a tree level is two (object, list).
    assert!(read(&program, &nested(60)).is_ok());
    let errors = read(&program, &nested(100_000)).expect_err("too deep");
    let error = errors.first();
    assert!(
        error.message.contains("recursion limit exceeded"),
        "{error}"
    );
}

#[test]
fn a_100_megabyte_string_costs_no_100_megabyte_error() {
    let program = program();
    let huge = "x".repeat(100 << 20);
    // Reading 100 MB is slow in a debug build: the other places get 10 MB.
    let large = &huge[..10 << 20];
    let text = accepted_text();
    // In place of an enum value, and as an unknown key.
    for bad in [
        text.replacen("\"zhejiang\"", &format!("\"{huge}\""), 1),
        text.replacen("\"province\"", &format!("\"{large}\""), 1),
    ] {
        let (error, shown) = invalid(&program, "huge.json", bad.as_bytes());
        assert!(
            error.to_string().len() < 1000,
            "{}",
            error.to_string().len()
        );
        assert_one_screen("huge.json", &shown);
    }
    // Where text is expected it is a value like any other.
    let fine = text.replacen("\"remarks\": \"\"", &format!("\"remarks\": \"{large}\""), 1);
    let application = read(&program, &fine).expect("a long remark is valid");
    evaluate(&program, &application);
}

#[test]
fn the_filed_domains_path_exists_in_the_accepted_case() {
    // The deep-nesting test edits this key; it must be there to edit.
    assert!(accepted_text().contains("\"filed_domains\": []"));
}

#[test]
fn a_byte_order_mark_is_skipped_and_columns_do_not_count_it() {
    let program = program();
    let text = format!("\u{feff}{}", accepted_text());
    assert!(read(&program, &text).is_ok());
    let (errors, _) = invalid(&program, "bom.json", "\u{feff}[1]".as_bytes());
    let error = errors.first();
    assert_eq!((error.line, error.column), (Some(1), Some(1)), "{error}");
    // An editor does not count the mark either.
    assert_eq!(error.span, Some(3..6), "{error}");
}

// ---- rule files made here ----------------------------------------------------------

fn rule_set(rules: &str) -> Sources {
    let schema = std::fs::read_to_string("tests/fixtures/schema.icp").expect("fixture schema");
    Sources::new(vec![
        SourceFile {
            path: "schema.icp".into(),
            text: Arc::from(schema),
        },
        SourceFile {
            path: "rules.icp".into(),
            text: Arc::from(rules),
        },
    ])
}

fn rule(require: &str) -> String {
    format!(
        "ruleset demo {{\n  rule a {{\n    source \"1\"\n    require {require}\n    message \"m\"\n  }}\n}}\n"
    )
}

/// Checks on a thread with the 2 MiB stack of a test thread, whatever
/// `RUST_MIN_STACK` says, and evaluates what checks on the accepted case.
fn check_on_small_stack(rules: String) -> Result<(), Vec<String>> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let sources = rule_set(&rules);
            match check(&sources) {
                Ok(checked) => {
                    let application =
                        read(&checked.program, &fixture_application()).expect("fixture case");
                    evaluate(&checked.program, &application);
                    Ok(())
                }
                Err(diagnostics) => Err(diagnostics.iter().map(|d| d.message.clone()).collect()),
            }
        })
        .expect("thread")
        .join()
        .expect("no panic")
}

/// An application of the fixture schema, with one admin and one domain.
fn fixture_application() -> String {
    r#"{
      "province": "beijing",
      "subject": {"type": "enterprise", "name": "n", "legal_representative": null},
      "admins": [{"name": "a", "age": 30, "is_legal_representative": true, "phone": null}],
      "domains": [{"name": "a.cn", "tld": "cn", "expired": false}],
      "documents": []
    }"#
    .to_string()
}

#[test]
fn the_fixture_application_reads() {
    let checked = check(&rule_set(&rule("true"))).expect("checks");
    read(&checked.program, &fixture_application()).expect("the fixture application reads");
}

/// The deepest expression of each kind the limit allows (the rule set and
/// rule braces take two levels), and one level more.
fn nested(kind: &str, levels: usize) -> String {
    match kind {
        "brackets" => format!("{}true{}", "(".repeat(levels), ")".repeat(levels)),
        "not" => format!("{}true", "not ".repeat(levels)),
        "and" => format!("true{}", " and true".repeat(levels)),
        "fields" => format!(
            "len({}) > 0",
            "subject".to_string() + &".name".repeat(levels)
        ),
        "quantifiers" => format!("{}true", "any a in admins: ".repeat(levels)),
        _ => unreachable!(),
    }
}

#[test]
fn nesting_at_the_limit_checks_and_runs_and_one_more_level_is_an_error() {
    // Levels the rule set, the rule and the expression's own form take
    // besides the nesting itself.
    for (kind, taken) in [
        ("brackets", 2),
        ("not", 0),
        ("and", 0),
        ("fields", 2),
        ("quantifiers", 2),
    ] {
        let deepest = MAX_NESTING - taken;
        // A chain of field accesses this long is a type error in any schema;
        // what matters is that nesting is not.
        if let Err(errors) = check_on_small_stack(rule(&nested(kind, deepest)))
            && (kind != "fields" || errors.iter().any(|e| e.contains("nesting")))
        {
            panic!("{kind} at the limit: {errors:?}");
        }
        let errors = check_on_small_stack(rule(&nested(kind, deepest + 1)))
            .expect_err(&format!("{kind} past the limit"));
        assert!(
            errors.iter().any(|e| e.starts_with("nesting too deep")),
            "{kind}: {errors:?}"
        );
    }
}

#[test]
fn ten_thousand_levels_are_an_error_not_an_overflow() {
    for kind in ["brackets", "not", "and", "fields", "quantifiers"] {
        let errors = check_on_small_stack(rule(&nested(kind, 10_000))).expect_err("too deep");
        assert_eq!(errors.len(), 1, "{kind}: {errors:?}");
    }
}

/// `d0` calls `d1` ... calls `d{n}`, declared in `order`.
fn chain(n: usize, forward: bool) -> String {
    let mut defs: Vec<String> = (0..n).map(|i| format!("def d{i} = d{}", i + 1)).collect();
    defs.push(format!("def d{n} = true"));
    if !forward {
        defs.reverse();
    }
    format!("{}\n{}", defs.join("\n"), rule("d0"))
}

#[test]
fn definitions_calling_each_other_count_toward_the_evaluation_depth() {
    // A rule's require is one level, each definition's body one more.
    let deepest = MAX_EVAL_DEPTH - 2;
    for forward in [true, false] {
        if let Err(errors) = check_on_small_stack(chain(deepest, forward)) {
            panic!("a chain at the limit: {errors:?}");
        }
        for n in [deepest + 1, 10_000] {
            let errors = check_on_small_stack(chain(n, forward)).expect_err("too deep");
            assert!(
                errors
                    .iter()
                    .any(|e| e.starts_with("evaluation nests too deep")),
                "{errors:?}"
            );
        }
    }
}

#[test]
fn binders_count_toward_the_evaluation_depth() {
    let binders = |n: usize| {
        (0..n)
            .map(|i| format!("a{i} in admins"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rule = |n: usize| {
        format!(
            "ruleset demo {{\n  rule a {{\n    source \"1\"\n    for {}\n    require true\n    message \"m\"\n  }}\n}}\n",
            binders(n)
        )
    };
    assert!(check_on_small_stack(rule(MAX_EVAL_DEPTH - 1)).is_ok());
    assert!(check_on_small_stack(rule(2_000)).is_err());
}

#[test]
fn a_huge_rule_file_checks() {
    let rules: String = (0..5_000)
        .map(|i| {
            format!(
                "  rule r{i} {{\n    source \"1\"\n    require subject.name != \"{i}\"\n    message \"m\"\n  }}\n"
            )
        })
        .collect();
    let checked = check(&rule_set(&format!("ruleset demo {{\n{rules}}}\n"))).expect("checks");
    assert_eq!(checked.program.rules.len(), 5_000);
}

#[test]
fn files_that_import_each_other_check() {
    // Imports are not transitive: each file sees its own definitions and
    // those of the files it names, so a cycle is harmless.
    let schema = std::fs::read_to_string("tests/fixtures/schema.icp").expect("fixture schema");
    let file = |path: &str, text: &str| SourceFile {
        path: path.into(),
        text: Arc::from(text),
    };
    let sources = Sources::new(vec![
        file("schema.icp", &schema),
        file(
            "a.icp",
            "import \"b.icp\"\ndef named = subject.name != \"\"\n",
        ),
        file("b.icp", &format!("import \"a.icp\"\n{}", rule("named"))),
    ]);
    check(&sources).expect("a cycle of imports checks");
}
