//! Rule-file diagnostics for machines: JSON, and SARIF 2.1.0 for code
//! scanning in CI (each diagnostic annotates a line of a rule file).

use serde_json::{Value, json};

use crate::check::lints::LINTS;
use crate::diagnostic::{Diagnostic, Level};
use crate::source::{Columns, LineIndex, Sources, Span};

/// Where a span is: the file's path as diagnostics show it (the same in
/// every format), and its start and end.
struct Location {
    uri: String,
    start: (usize, usize),
    end: (usize, usize),
}

fn locate(span: Span, sources: &Sources) -> Option<Location> {
    let file = sources.files.get(span.file as usize)?;
    let range = span.range();
    let lines = LineIndex::new(&file.text);
    let at = |offset| {
        let (line, column) = lines.position(&file.text, offset, Columns::Chars);
        (line + 1, column + 1)
    };
    Some(Location {
        uri: sources.shown_path(span.file),
        start: at(range.start),
        end: at(range.end),
    })
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
    }
}

/// A place as JSON: `{file, line, column, end_line, end_column}`.
fn place(at: Option<&Location>) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("file".into(), json!(at.map(|l| l.uri.clone())));
    map.insert("line".into(), json!(at.map(|l| l.start.0)));
    map.insert("column".into(), json!(at.map(|l| l.start.1)));
    map.insert("end_line".into(), json!(at.map(|l| l.end.0)));
    map.insert("end_column".into(), json!(at.map(|l| l.end.1)));
    map
}

/// A SARIF `physicalLocation`.
fn physical(at: &Location) -> Value {
    json!({
        "artifactLocation": { "uri": at.uri },
        "region": {
            "startLine": at.start.0,
            "startColumn": at.start.1,
            "endLine": at.end.0,
            "endColumn": at.end.1,
        }
    })
}

/// `[{file, line, column, end_line, end_column, level, code, message, label,
/// help, related: [{file, line, column, end_line, end_column, label}]}]`:
/// `related` are the other places the human report underlines (the first
/// declaration of a duplicate, the rule an override replaces, ...).
pub fn json(diagnostics: &[Diagnostic], sources: &Sources) -> Value {
    Value::Array(
        diagnostics
            .iter()
            .map(|d| {
                let mut entry = place(locate(d.span, sources).as_ref());
                entry.insert("level".into(), json!(level(d.level)));
                entry.insert("code".into(), json!(d.code));
                entry.insert("message".into(), json!(d.message));
                entry.insert("label".into(), json!(d.label));
                entry.insert("help".into(), json!(d.help));
                let related: Vec<Value> = d
                    .related
                    .iter()
                    .map(|(span, label)| {
                        let mut r = place(locate(*span, sources).as_ref());
                        r.insert("label".into(), json!(label));
                        Value::Object(r)
                    })
                    .collect();
                entry.insert("related".into(), Value::Array(related));
                Value::Object(entry)
            })
            .collect(),
    )
}

/// A SARIF 2.1.0 log with one run; the named lints are the tool's rules.
pub fn sarif(diagnostics: &[Diagnostic], sources: &Sources) -> Value {
    let mut rules: Vec<Value> = LINTS
        .iter()
        .map(|l| {
            json!({
                "id": l.name,
                "shortDescription": { "text": l.doc },
                "defaultConfiguration": { "level": level(l.level) },
            })
        })
        .collect();
    // Type errors are not lints but still need a rule entry to point at.
    for d in diagnostics {
        if !rules.iter().any(|r| r["id"] == d.code) {
            rules.push(json!({
                "id": d.code,
                "shortDescription": { "text": d.code },
                "defaultConfiguration": { "level": level(d.level) },
            }));
        }
    }
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.level),
                "message": { "text": text },
            });
            if let Some(at) = locate(d.span, sources) {
                result["locations"] = json!([{ "physicalLocation": physical(&at) }]);
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .filter_map(|(span, label)| Some((locate(*span, sources)?, label)))
                .enumerate()
                .map(|(id, (at, label))| {
                    json!({
                        "id": id,
                        "physicalLocation": physical(&at),
                        "message": { "text": label },
                    })
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "icprules",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}
