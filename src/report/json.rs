//! The `--format json` result, exactly as the application format spec gives it.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{echoed, verdict};
use crate::check::Program;
use crate::eval::{InputError, Outcome};
use crate::value::Data;

/// One result object; `pretty` for a single application, one line for `--batch`.
pub fn json(program: &Program, application: &Data, outcome: &Outcome, pretty: bool) -> String {
    let result = JsonResult {
        program,
        echoed: echoed(program, application),
        outcome,
    };
    let text = if pretty {
        serde_json::to_string_pretty(&result)
    } else {
        serde_json::to_string(&result)
    };
    // Only maps with keys that are not strings, or a `Serialize` that fails,
    // make serde_json fail; the result has neither.
    text.expect("results serialize")
}

/// The result for an application that could not be read (`--batch`).
pub fn json_invalid(error: &InputError) -> String {
    let value = serde_json::json!({
        "verdict": "invalid",
        "error": {
            "message": error.message,
            "path": error.path,
            "line": error.line,
            "column": error.column,
            "help": error.help,
        }
    });
    value.to_string()
}

struct JsonResult<'p> {
    program: &'p Program,
    echoed: Vec<(String, serde_json::Value)>,
    outcome: &'p Outcome,
}

impl Serialize for JsonResult<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (key, value) in &self.echoed {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("verdict", verdict(self.program, self.outcome))?;
        let findings: Vec<Finding> = self
            .outcome
            .findings
            .iter()
            .map(|f| {
                let rule = &self.program.rules[f.rule];
                Finding {
                    rule: &rule.id,
                    severity: rule.severity.as_str(),
                    message: &f.message,
                    source: &rule.source,
                    path: &f.path,
                }
            })
            .collect();
        map.serialize_entry("findings", &findings)?;
        let (kind_key, target_key) = document_keys(self.program);
        let documents: Vec<Document> = self
            .outcome
            .documents
            .iter()
            .map(|d| Document {
                kind_key,
                target_key,
                kind: &d.kind,
                target: d.target.as_deref(),
                status: if d.provided { "provided" } else { "missing" },
            })
            .collect();
        map.serialize_entry("documents", &documents)?;
        map.end()
    }
}

#[derive(serde::Serialize)]
struct Finding<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    source: &'a str,
    path: &'a str,
}

/// A document entry is keyed like the uploads it is matched against.
struct Document<'a> {
    kind_key: &'a str,
    target_key: &'a str,
    kind: &'a str,
    target: Option<&'a str>,
    status: &'a str,
}

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry(self.kind_key, self.kind)?;
        map.serialize_entry(self.target_key, &self.target)?;
        map.serialize_entry("status", self.status)?;
        map.end()
    }
}

fn document_keys(program: &Program) -> (&str, &str) {
    let schema = &program.schema;
    let Some(uploads) = &schema.uploads else {
        return ("type", "target");
    };
    let list = &schema.record(schema.input).fields[uploads.list as usize];
    let crate::check::schema::Type::List(elem) = &list.ty else {
        return ("type", "target");
    };
    let crate::check::schema::Type::Record(r) = **elem else {
        return ("type", "target");
    };
    let record = schema.record(r);
    let kind = record.fields[uploads.kind as usize].name.as_str();
    let target = uploads
        .target
        .map_or("target", |t| record.fields[t as usize].name.as_str());
    (kind, target)
}
