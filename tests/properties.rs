//! Property tests: nothing a user can write makes icprules panic.
//!
//! - Applications shaped by the schema of the built-in rules, then mutated
//!   (values of the wrong type, nulls, missing and unknown keys, misspelt
//!   enum values, extreme numbers, and edits of the JSON text), are either
//!   read and evaluated or refused with an error; they never panic.
//! - The built-in rule files with random edits (lines deleted, duplicated or
//!   swapped; characters deleted, duplicated or swapped) either check or give
//!   diagnostics, which render; they never panic.
//!
//! Both run on the test thread, whose 2 MiB stack also bounds how deep
//! anything may recurse. Case counts are kept moderate so that `cargo test`
//! stays fast in a debug build; `PROPTEST_CASES` raises them.

use std::sync::Arc;

use icprules::check::schema::{Schema, Type};
use icprules::check::{Program, check};
use icprules::diagnostic::render_plain;
use icprules::eval::{evaluate, read_bytes};
use icprules::lang::Lang;
use icprules::report;
use icprules::source::{SourceFile, Sources};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{Map, Value};

fn program() -> Program {
    check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program
}

fn config(cases: u32) -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        // A failure is shrunk: keep that short too.
        max_shrink_iters: 200,
        ..Config::default()
    }
}

// ---- applications ---------------------------------------------------------------

/// Texts: short, sometimes empty, sometimes far from ASCII.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => proptest::collection::vec(proptest::char::range('a', 'z'), 0..8)
            .prop_map(|c| c.into_iter().collect()),
        1 => proptest::collection::vec(any::<char>(), 0..6).prop_map(|c| c.into_iter().collect()),
        1 => Just("example.com.cn".to_string()),
    ]
    .boxed()
}

/// A JSON value of the type (any record's fields, up to `depth` levels of
/// lists deep).
fn value_of(schema: &Schema, ty: &Type, depth: u32) -> BoxedStrategy<Value> {
    match ty {
        Type::Nullable(inner) => prop_oneof![
            1 => Just(Value::Null),
            3 => value_of(schema, inner, depth),
        ]
        .boxed(),
        Type::List(inner) => {
            let most = if depth == 0 { 1 } else { 3 };
            proptest::collection::vec(value_of(schema, inner, depth.saturating_sub(1)), 0..most)
                .prop_map(Value::Array)
                .boxed()
        }
        Type::Record(r) => {
            let record = schema.record(*r);
            let fields: Vec<BoxedStrategy<(String, Option<Value>)>> = record
                .fields
                .iter()
                .map(|f| {
                    let name = f.name.clone();
                    let value = value_of(schema, &f.ty, depth);
                    if f.optional_key {
                        proptest::option::of(value)
                            .prop_map(move |v| (name.clone(), v))
                            .boxed()
                    } else {
                        value.prop_map(move |v| (name.clone(), Some(v))).boxed()
                    }
                })
                .collect();
            fields
                .prop_map(|fields| {
                    Value::Object(
                        fields
                            .into_iter()
                            .filter_map(|(k, v)| v.map(|v| (k, v)))
                            .collect::<Map<_, _>>(),
                    )
                })
                .boxed()
        }
        Type::Enum(e) => {
            let variants = schema.enum_def(*e).variants.clone();
            proptest::sample::select(variants)
                .prop_map(Value::String)
                .boxed()
        }
        Type::Int => prop_oneof![
            4 => (0i64..100).prop_map(Value::from),
            1 => any::<i64>().prop_map(Value::from),
        ]
        .boxed(),
        Type::Date => (0i64..40_000)
            .prop_map(|d| Value::String(icprules::date::Date(d).to_string()))
            .boxed(),
        Type::Text => text().prop_map(Value::String).boxed(),
        Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        Type::Null | Type::Error => Just(Value::Null).boxed(),
    }
}

/// A change to one value of the application, chosen by `at` among them.
#[derive(Clone, Debug)]
enum Mutation {
    Replace(Value),
    DeleteKey,
    AddKey(String),
    MisspellString,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let odd_value = prop_oneof![
        Just(Value::Null),
        Just(Value::Bool(true)),
        Just(Value::from(-1)),
        Just(Value::from(u64::MAX)),
        Just(Value::from(i64::MIN)),
        Just(Value::from(1.5)),
        Just(Value::from(1e300)),
        Just(Value::String(String::new())),
        text().prop_map(Value::String),
        Just(Value::Array(vec![Value::Null])),
        Just(Value::Object(Map::new())),
    ];
    prop_oneof![
        3 => odd_value.prop_map(Mutation::Replace),
        1 => Just(Mutation::DeleteKey),
        1 => text().prop_map(Mutation::AddKey),
        1 => Just(Mutation::MisspellString),
    ]
}

/// Applies the mutation to the `at`-th value in a walk of the tree (modulo
/// the number of values).
fn mutate(root: &mut Value, at: usize, mutation: &Mutation) {
    let count = count_values(root);
    let mut target = at % count;
    apply(root, &mut target, mutation);
}

fn count_values(v: &Value) -> usize {
    1 + match v {
        Value::Array(items) => items.iter().map(count_values).sum(),
        Value::Object(map) => map.values().map(count_values).sum(),
        _ => 0,
    }
}

/// Walks to the `target`-th value; returns true once it is changed.
fn apply(v: &mut Value, target: &mut usize, mutation: &Mutation) -> bool {
    if *target == 0 {
        match (mutation, &mut *v) {
            (Mutation::Replace(new), _) => *v = new.clone(),
            (Mutation::DeleteKey, Value::Object(map)) => {
                let key = map.keys().next().cloned();
                if let Some(key) = key {
                    map.remove(&key);
                }
            }
            (Mutation::AddKey(key), Value::Object(map)) => {
                map.insert(key.clone(), Value::Null);
            }
            (Mutation::MisspellString, Value::String(s)) => {
                s.pop();
                s.push('x');
            }
            // The mutation does not fit this value: a null is odd enough.
            _ => *v = Value::Null,
        }
        return true;
    }
    *target -= 1;
    match v {
        Value::Array(items) => items.iter_mut().any(|item| apply(item, target, mutation)),
        Value::Object(map) => map.values_mut().any(|item| apply(item, target, mutation)),
        _ => false,
    }
}

/// An edit of the JSON text: bytes deleted, inserted or duplicated.
#[derive(Clone, Debug)]
enum TextEdit {
    None,
    Delete(usize, usize),
    Insert(usize, u8),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn text_edit() -> impl Strategy<Value = TextEdit> {
    prop_oneof![
        6 => Just(TextEdit::None),
        1 => (any::<usize>(), 1usize..8).prop_map(|(at, n)| TextEdit::Delete(at, n)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| TextEdit::Insert(at, b)),
        1 => (any::<usize>(), 1usize..40).prop_map(|(at, n)| TextEdit::Duplicate(at, n)),
        1 => any::<usize>().prop_map(TextEdit::Truncate),
    ]
}

fn edit_bytes(bytes: &mut Vec<u8>, edit: &TextEdit) {
    if bytes.is_empty() {
        return;
    }
    let at = |i: usize| i % bytes.len();
    match *edit {
        TextEdit::None => {}
        TextEdit::Delete(i, n) => {
            let start = at(i);
            let end = (start + n).min(bytes.len());
            bytes.drain(start..end);
        }
        TextEdit::Insert(i, b) => {
            let i = at(i);
            bytes.insert(i, b);
        }
        TextEdit::Duplicate(i, n) => {
            let start = at(i);
            let end = (start + n).min(bytes.len());
            let piece = bytes[start..end].to_vec();
            bytes.splice(end..end, piece);
        }
        TextEdit::Truncate(i) => {
            let i = at(i);
            bytes.truncate(i);
        }
    }
}

/// Reads, evaluates and reports as `icprules check` does; `true` when the
/// application was read.
fn check_application(program: &Program, bytes: &[u8]) -> bool {
    match read_bytes(program, bytes) {
        Ok(application) => {
            let outcome = evaluate(program, &application);
            report::human(program, &application, &outcome);
            report::json(program, &application, &outcome, false);
            true
        }
        Err(error) => {
            let text = String::from_utf8_lossy(bytes);
            let shown = report::invalid_human("app.json", &text, &error, false, Lang::En);
            assert!(shown.starts_with("error: invalid application"), "{shown}");
            report::json_invalid(&error);
            false
        }
    }
}

#[test]
fn applications_shaped_like_the_schema_never_panic() {
    let program = program();
    let schema = &program.schema;
    let root = Type::Record(schema.input);
    let strategy = (
        value_of(schema, &root, 2),
        proptest::collection::vec((any::<usize>(), mutation()), 0..4),
        text_edit(),
    );
    proptest!(config(256), |((mut app, mutations, edit) in strategy)| {
        for (at, m) in &mutations {
            mutate(&mut app, *at, m);
        }
        let mut bytes = serde_json::to_vec_pretty(&app).expect("serializes");
        edit_bytes(&mut bytes, &edit);
        check_application(&program, &bytes);
    });
    // Unmutated applications are sometimes valid: the generator is not so far
    // from the schema that only errors are tested. The invariants tie fields
    // together (`change` with `action`, the legal representative flags with
    // the name), so about one in a hundred generated applications meets them
    // all.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let valid = (0..1024)
        .filter(|_| {
            let app = value_of(schema, &root, 2)
                .new_tree(&mut runner)
                .expect("a value")
                .current();
            read_bytes(&program, &serde_json::to_vec(&app).expect("json")).is_ok()
        })
        .count();
    assert!(valid > 0, "no generated application was valid");
}

// ---- rule files ---------------------------------------------------------------------

/// An edit of a rule file's lines or characters.
#[derive(Clone, Debug)]
enum RuleEdit {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    DeleteChar(usize),
    DuplicateChar(usize),
    SwapChars(usize, usize),
}

fn rule_edit() -> impl Strategy<Value = RuleEdit> {
    prop_oneof![
        (any::<usize>()).prop_map(RuleEdit::DeleteLine),
        (any::<usize>()).prop_map(RuleEdit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| RuleEdit::SwapLines(a, b)),
        (any::<usize>()).prop_map(RuleEdit::DeleteChar),
        (any::<usize>()).prop_map(RuleEdit::DuplicateChar),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| RuleEdit::SwapChars(a, b)),
    ]
}

fn edit_rules(text: &str, edit: &RuleEdit) -> String {
    let mut lines: Vec<&str> = text.split('\n').collect();
    let mut chars: Vec<char> = text.chars().collect();
    let line = |i: usize| i % lines.len();
    let char_at = |i: usize| i % chars.len().max(1);
    match *edit {
        RuleEdit::DeleteLine(i) => {
            let i = line(i);
            lines.remove(i);
        }
        RuleEdit::DuplicateLine(i) => {
            let i = line(i);
            lines.insert(i, lines[i]);
        }
        RuleEdit::SwapLines(a, b) => {
            let (a, b) = (line(a), line(b));
            lines.swap(a, b);
        }
        RuleEdit::DeleteChar(i) if !chars.is_empty() => {
            let i = char_at(i);
            chars.remove(i);
            return chars.into_iter().collect();
        }
        RuleEdit::DuplicateChar(i) if !chars.is_empty() => {
            let i = char_at(i);
            chars.insert(i, chars[i]);
            return chars.into_iter().collect();
        }
        RuleEdit::SwapChars(a, b) if !chars.is_empty() => {
            let (a, b) = (char_at(a), char_at(b));
            chars.swap(a, b);
            return chars.into_iter().collect();
        }
        _ => {}
    }
    lines.join("\n")
}

#[test]
fn edited_rule_files_never_panic() {
    let sources = icprules::rules::embedded();
    let count = sources.files.len();
    let application =
        std::fs::read("tests/cases/national/accept-enterprise.json").expect("an application");
    let strategy = (any::<usize>(), proptest::collection::vec(rule_edit(), 1..4));
    proptest!(config(48), |((file, edits) in strategy)| {
        // The edited file with the schema and the shared definitions: checking
        // all 30-odd files for every case would make the test slow.
        let file = &sources.files[file % count];
        let mut text = file.text.to_string();
        for edit in &edits {
            text = edit_rules(&text, edit);
        }
        let mut files: Vec<SourceFile> = sources
            .files
            .iter()
            .filter(|f| f.path != file.path && matches!(f.path.as_str(), "schema.icp" | "common.icp"))
            .cloned()
            .collect();
        files.push(SourceFile {
            path: file.path.clone(),
            text: Arc::from(text),
        });
        let edited = Sources::new(files);
        match check(&edited) {
            Ok(checked) => {
                render_plain(&checked.warnings, &edited);
                check_application(&checked.program, &application);
            }
            Err(diagnostics) => {
                prop_assert!(!diagnostics.is_empty());
                render_plain(&diagnostics, &edited);
            }
        }
    });
}
