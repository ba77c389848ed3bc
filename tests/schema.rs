//! `icprules schema`: the application format as JSON Schema. The generated
//! schema must take every application the tests and examples use, refuse what
//! the reader refuses for its types and keys, and match the committed
//! `docs/application.schema.json`.
//!
//! The schema is checked with a small validator of exactly the keywords the
//! generator emits (below): it fails on any other keyword, so a new one
//! cannot go untested.

use std::path::PathBuf;
use std::process::Command;

use icprules::check::{Program, check};
use icprules::eval::read_application;
use icprules::report::json_schema;
use serde_json::{Value, json};

const COMMITTED: &str = "docs/application.schema.json";
const ACCEPTED: &str = "tests/cases/national/accept-enterprise.json";

fn program() -> Program {
    check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program
}

fn schema() -> Value {
    serde_json::from_str(&json_schema(&program())).expect("the schema is JSON")
}

/// Checks `value` against `schema` (a part of `root`); returns the first
/// problem, with its JSON path.
fn validate(root: &Value, schema: &Value, value: &Value, path: &str) -> Result<(), String> {
    let schema = schema.as_object().expect("a schema is an object");
    for (keyword, arg) in schema {
        match keyword.as_str() {
            // Annotations: they do not constrain.
            "$schema" | "title" | "description" | "$comment" | "$defs" => {}
            "$ref" => {
                let name = arg
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                    .unwrap_or_else(|| panic!("unsupported reference {arg}"));
                let target = &root["$defs"][name];
                assert!(!target.is_null(), "dangling reference {arg}");
                validate(root, target, value, path)?;
            }
            "type" => {
                let names: Vec<&str> = match arg {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(items) => {
                        items.iter().map(|i| i.as_str().expect("type")).collect()
                    }
                    _ => panic!("bad type {arg}"),
                };
                let ok = names.iter().any(|t| match *t {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "boolean" => value.is_boolean(),
                    "null" => value.is_null(),
                    // JSON Schema's integer: a number with no fraction
                    // (`41.0` and `1e2` are integers).
                    "integer" => {
                        value.is_i64()
                            || value.is_u64()
                            || value.as_f64().is_some_and(|f| f.fract() == 0.0)
                    }
                    other => panic!("unsupported type `{other}`"),
                });
                if !ok {
                    return Err(format!("{path}: expected {arg}, found {value}"));
                }
            }
            "minimum" => {
                let least = arg.as_f64().expect("a number");
                if let Some(v) = value.as_f64()
                    && v < least
                {
                    return Err(format!("{path}: {value} is less than {arg}"));
                }
            }
            "enum" => {
                if !arg.as_array().expect("enum list").contains(value) {
                    return Err(format!("{path}: {value} is not one of {arg}"));
                }
            }
            "properties" => {
                let Some(object) = value.as_object() else {
                    continue;
                };
                for (key, sub) in arg.as_object().expect("properties") {
                    if let Some(v) = object.get(key) {
                        validate(root, sub, v, &format!("{path}.{key}"))?;
                    }
                }
            }
            "required" => {
                let Some(object) = value.as_object() else {
                    continue;
                };
                for key in arg.as_array().expect("required list") {
                    let key = key.as_str().expect("key");
                    if !object.contains_key(key) {
                        return Err(format!("{path}: missing `{key}`"));
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(arg, &Value::Bool(false), "only `false` is emitted");
                let Some(object) = value.as_object() else {
                    continue;
                };
                let known = schema["properties"].as_object().expect("properties");
                if let Some(key) = object.keys().find(|k| !known.contains_key(*k)) {
                    return Err(format!("{path}: unknown key `{key}`"));
                }
            }
            "items" => {
                let Some(items) = value.as_array() else {
                    continue;
                };
                for (i, item) in items.iter().enumerate() {
                    validate(root, arg, item, &format!("{path}[{i}]"))?;
                }
            }
            "anyOf" => {
                let options = arg.as_array().expect("anyOf list");
                let errors: Vec<String> = options
                    .iter()
                    .filter_map(|o| validate(root, o, value, path).err())
                    .collect();
                if errors.len() == options.len() {
                    return Err(errors.join("; "));
                }
            }
            "format" => {
                assert_eq!(arg, "date", "only `date` is emitted");
                let Some(text) = value.as_str() else {
                    continue;
                };
                if icprules::date::Date::parse(text).is_err() {
                    return Err(format!("{path}: {value} is not a date"));
                }
            }
            other => panic!("the test validator does not know `{other}`"),
        }
    }
    Ok(())
}

fn valid(schema: &Value, value: &Value) -> Result<(), String> {
    validate(schema, schema, value, "$")
}

/// The `.json` files below a folder, sorted.
fn json_files(dir: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![PathBuf::from(dir)];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_schema_snapshot() {
    insta::assert_snapshot!(json_schema(&program()));
}

#[test]
fn the_committed_schema_is_up_to_date() {
    let committed = std::fs::read_to_string(COMMITTED).expect("docs/application.schema.json");
    assert!(
        committed == json_schema(&program()),
        "{COMMITTED} is out of date: run `cargo run -- schema > {COMMITTED}`"
    );
}

#[test]
fn the_root_is_the_input_record_and_names_the_invariants() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["$ref"], "#/$defs/Application");
    let description = schema["description"].as_str().expect("description");
    let program = program();
    assert!(!program.invariants.is_empty());
    for invariant in &program.invariants {
        assert!(
            description.contains(&format!("`{}`", invariant.id)),
            "the description does not name `{}`",
            invariant.id
        );
    }
}

#[test]
fn every_application_of_the_tests_and_examples_is_valid() {
    let schema = schema();
    let mut paths = json_files("tests/cases");
    paths.extend(json_files("examples"));
    assert!(paths.len() > 100, "found only {} applications", paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("application");
        let value: Value = serde_json::from_str(&text).expect("JSON");
        if let Err(e) = valid(&schema, &value) {
            panic!("{}: {e}", path.display());
        }
    }
}

/// The applications of `tests/cases/invariant/` break an invariant, which JSON Schema
/// does not express (the description says so): their types and keys are right.
#[test]
fn invariants_are_left_to_icprules() {
    let schema = schema();
    let paths = json_files("tests/cases/invariant");
    assert!(!paths.is_empty());
    for path in paths {
        let value: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("case")).expect("JSON");
        if let Err(e) = valid(&schema, &value) {
            panic!("{}: {e}", path.display());
        }
    }
}

/// Each edit of an accepted application, whether the schema must accept it,
/// and the schema's verdict must be the reader's.
#[test]
fn the_schema_refuses_what_the_reader_refuses() {
    type Edit = fn(&mut Value);
    let edits: Vec<(&str, bool, Edit)> = vec![
        ("unchanged", true, |_| {}),
        ("unknown key at the root", false, |a| {
            a["provinse"] = json!("beijing")
        }),
        ("unknown key in a nested record", false, |a| {
            a["websites"][0]["domains"][0]["owner"] = json!("x")
        }),
        ("wrong enum value", false, |a| {
            a["province"] = json!("beijng")
        }),
        ("enum value in a list", false, |a| {
            a["websites"][0]["content"] = json!(["news", "sports"])
        }),
        ("missing key", false, |a| {
            a["subject"]
                .as_object_mut()
                .expect("subject")
                .remove("name");
        }),
        ("missing nullable key", false, |a| {
            a["subject_admin"]
                .as_object_mut()
                .expect("person")
                .remove("office_phone");
        }),
        ("optional key absent", true, |a| {
            a.as_object_mut().expect("application").remove("change");
        }),
        ("optional key null", true, |a| a["change"] = Value::Null),
        ("nullable record null", true, |a| {
            a["subject_admin"]["office_phone"] = Value::Null
        }),
        ("nullable record given", true, |a| {
            a["subject_admin"]["office_phone"] = json!({"number": "010", "province": "beijing"})
        }),
        ("nullable record wrong", false, |a| {
            a["subject_admin"]["office_phone"] = json!({"number": "010"})
        }),
        ("null where not nullable", false, |a| {
            a["subject"]["name"] = Value::Null
        }),
        ("text for an int", false, |a| {
            a["subject_admin"]["age"] = json!("forty")
        }),
        ("int for a bool", false, |a| {
            a["websites"][0]["domains"][0]["expired"] = json!(0)
        }),
        ("object for a list", false, |a| a["documents"] = json!({})),
        ("wrong list item", false, |a| {
            a["subject"]["filed_domains"] = json!(["a.cn", 1])
        }),
        ("list of records", true, |a| {
            a["subject_admin"]["supporting_documents"] =
                json!([{"type": "student_id", "province": null}])
        }),
        ("not an object", false, |a| *a = json!([])),
        ("a whole number written as a float", true, |a| {
            a["subject_admin"]["age"] = json!(41.0)
        }),
        ("a number with a fraction for an int", false, |a| {
            a["subject_admin"]["age"] = json!(41.5)
        }),
        ("a negative count", false, |a| {
            a["account"]["entities"] = json!(-1)
        }),
        ("a count of zero", true, |a| {
            a["account"]["entities"] = json!(0)
        }),
    ];
    let program = program();
    let schema = schema();
    let base: Value =
        serde_json::from_str(&std::fs::read_to_string(ACCEPTED).expect("case")).expect("JSON");
    for (name, expected, edit) in edits {
        let mut application = base.clone();
        edit(&mut application);
        let by_schema = valid(&schema, &application);
        let by_reader = read_application(&program.schema, &application.to_string());
        assert_eq!(
            by_schema.is_ok(),
            expected,
            "{name}: the schema says {by_schema:?}"
        );
        assert_eq!(
            by_reader.is_ok(),
            expected,
            "{name}: the reader says {:?}",
            by_reader.err().map(|e| e.first().message.clone())
        );
    }
}

#[test]
fn the_command_prints_the_schema() {
    let out = Command::new(env!("CARGO_BIN_EXE_icprules"))
        .arg("schema")
        .output()
        .expect("icprules runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        json_schema(&program())
    );
    let help = Command::new(env!("CARGO_BIN_EXE_icprules"))
        .args(["schema", "--help"])
        .output()
        .expect("icprules runs");
    assert!(String::from_utf8_lossy(&help.stdout).contains("icprules schema > "));
    let broken = Command::new(env!("CARGO_BIN_EXE_icprules"))
        .args(["schema", "--rules", "no/such/folder"])
        .output()
        .expect("icprules runs");
    assert_eq!(broken.status.code(), Some(2));
}
