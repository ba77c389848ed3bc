//! The `--format json` result, as docs/application-format.md gives it.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::verdict;
use crate::check::Program;
use crate::check::schema::{Schema, Type};
use crate::eval::{InputError, InputErrors, Outcome};
use crate::value::Data;

/// One result object; `pretty` for a single application, one line for `--batch`.
pub fn json(program: &Program, application: &Data, outcome: &Outcome, pretty: bool) -> String {
    json_result(program, application, outcome, pretty, false)
}

/// [`json`] with the facts behind each finding (`--facts`): the outcome must
/// have been evaluated with [`crate::eval::Detail::Facts`].
pub fn json_with_facts(
    program: &Program,
    application: &Data,
    outcome: &Outcome,
    pretty: bool,
) -> String {
    json_result(program, application, outcome, pretty, true)
}

fn json_result(
    program: &Program,
    application: &Data,
    outcome: &Outcome,
    pretty: bool,
    facts: bool,
) -> String {
    let result = JsonResult {
        program,
        application,
        outcome,
        facts,
        line: None,
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

/// Appends one result and a newline to `out`: what `--batch` writes for the
/// application on input line `line`, serialized straight from the outcome
/// with no JSON tree; `facts` as [`json_with_facts`].
pub fn write_json_line(
    program: &Program,
    application: &Data,
    outcome: &Outcome,
    facts: bool,
    line: u64,
    out: &mut Vec<u8>,
) {
    let result = JsonResult {
        program,
        application,
        outcome,
        facts,
        line: Some(line),
    };
    serde_json::to_writer(&mut *out, &result).expect("results serialize");
    out.push(b'\n');
}

/// The result for an application that could not be read.
pub fn json_invalid(errors: &InputErrors) -> String {
    serde_json::to_string(&Invalid::of(errors)).expect("results serialize")
}

/// Appends the result of an application that could not be read, on input
/// line `line` of a batch, and a newline.
pub fn write_invalid_line(errors: &InputErrors, line: u64, out: &mut Vec<u8>) {
    let invalid = Invalid {
        line: Some(line),
        ..Invalid::of(errors)
    };
    serde_json::to_writer(&mut *out, &invalid).expect("results serialize");
    out.push(b'\n');
}

/// `error` is the first of `errors`, which lists every error found (up to
/// [`crate::eval::MAX_INPUT_ERRORS`]) in document order; `more_errors`
/// counts those past the limit.
#[derive(serde::Serialize)]
struct Invalid<'a> {
    /// In a batch, the line of the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    verdict: &'static str,
    error: InvalidError<'a>,
    errors: Vec<InvalidError<'a>>,
    more_errors: usize,
}

/// Every key is always there (null when unknown), so that consumers can rely
/// on the shape of the object.
#[derive(serde::Serialize)]
struct InvalidError<'a> {
    message: &'a str,
    path: &'a str,
    expected: Option<&'a str>,
    found: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    help: Option<&'a str>,
}

impl<'a> Invalid<'a> {
    fn of(errors: &'a InputErrors) -> Self {
        Invalid {
            line: None,
            verdict: "invalid",
            error: InvalidError::of(errors.first()),
            errors: errors.errors.iter().map(InvalidError::of).collect(),
            more_errors: errors.more,
        }
    }
}

impl<'a> InvalidError<'a> {
    fn of(error: &'a InputError) -> Self {
        InvalidError {
            message: &error.message,
            path: &error.path,
            expected: error.mismatch.as_ref().map(|m| m.expected.as_str()),
            found: error.mismatch.as_ref().map(|m| m.found.as_str()),
            line: error.line,
            column: error.column,
            end_line: error.end_line,
            end_column: error.end_column,
            help: error.help.as_deref(),
        }
    }
}

struct JsonResult<'p> {
    program: &'p Program,
    application: &'p Data,
    outcome: &'p Outcome,
    /// Each finding carries its facts.
    facts: bool,
    /// In a batch, the line of the input.
    line: Option<u64>,
}

impl Serialize for JsonResult<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(line) = self.line {
            map.serialize_entry("line", &line)?;
        }
        let schema = &self.program.schema;
        let record = schema.record(schema.input);
        if let Data::Record(fields) = self.application {
            for slot in &schema.report {
                let field = &record.fields[*slot as usize];
                let value = Echoed {
                    schema,
                    data: &fields[*slot as usize],
                    ty: &field.ty,
                };
                map.serialize_entry(&field.name, &value)?;
            }
        }
        let as_of = self.outcome.as_of;
        map.serialize_entry("as_of", &as_of.map(|d| d.to_string()))?;
        let edition = self.program.edition_on(as_of).map(|e| e.name.as_str());
        map.serialize_entry("edition", &edition)?;
        map.serialize_entry("verdict", verdict(self.program, self.outcome))?;
        map.serialize_entry(
            "findings",
            &Findings {
                program: self.program,
                outcome: self.outcome,
                application: self.facts.then_some(self.application),
            },
        )?;
        map.serialize_entry(
            "documents",
            &Documents {
                program: self.program,
                outcome: self.outcome,
            },
        )?;
        map.end()
    }
}

/// A plain input field that results repeat (`report`), as JSON.
struct Echoed<'a> {
    schema: &'a Schema,
    data: &'a Data,
    ty: &'a Type,
}

impl Serialize for Echoed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.data, self.ty.non_null()) {
            (Data::Bool(b), _) => serializer.serialize_bool(*b),
            (Data::Int(i), Type::Date) => {
                serializer.serialize_str(&crate::date::Date(*i).to_string())
            }
            (Data::Int(i), _) => serializer.serialize_i64(*i),
            (Data::Text(t), _) => serializer.serialize_str(t),
            (Data::Enum(v), Type::Enum(e)) => {
                serializer.serialize_str(&self.schema.enum_def(*e).variants[*v as usize])
            }
            _ => serializer.serialize_none(),
        }
    }
}

struct Findings<'p> {
    program: &'p Program,
    outcome: &'p Outcome,
    /// The application, when findings carry their facts.
    application: Option<&'p Data>,
}

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let schema = &self.program.schema;
        serializer.collect_seq(self.outcome.findings.iter().map(|f| {
            let rule = &self.program.rules[f.rule];
            Finding {
                rule: &rule.id,
                severity: rule.severity.as_str(),
                message: &f.message,
                source: &rule.source,
                path: &f.path,
                facts: self.application.map(|application| {
                    f.facts
                        .iter()
                        .map(|(path, _)| Fact {
                            path,
                            value: fact_value(schema, application, path),
                        })
                        .collect()
                }),
            }
        }))
    }
}

/// A fact behind a finding: its path and its value as JSON.
#[derive(serde::Serialize)]
struct Fact<'a> {
    path: &'a str,
    value: serde_json::Value,
}

/// The value at a path of the application (`websites[0].domains[1].name`),
/// as JSON; null when the path leads nowhere.
fn fact_value(schema: &Schema, application: &Data, path: &str) -> serde_json::Value {
    let mut data = application;
    let mut ty = Type::Record(schema.input);
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indexes) = part.split_once('[').unwrap_or((part, ""));
        if !name.is_empty() {
            let (Data::Record(fields), Type::Record(r)) = (data, ty.non_null()) else {
                return serde_json::Value::Null;
            };
            let record = schema.record(*r);
            let Some(slot) = record.fields.iter().position(|f| f.name == name) else {
                return serde_json::Value::Null;
            };
            data = &fields[slot];
            ty = record.fields[slot].ty.clone();
        }
        for index in indexes.split('[').filter(|i| !i.is_empty()) {
            let index: usize = index.trim_end_matches(']').parse().unwrap_or(usize::MAX);
            let (Data::List(items), Type::List(elem)) = (data, ty.non_null()) else {
                return serde_json::Value::Null;
            };
            let Some(item) = items.get(index) else {
                return serde_json::Value::Null;
            };
            data = item;
            ty = (**elem).clone();
        }
    }
    to_json(schema, data, &ty)
}

/// A fact of the application as JSON, as it was given.
fn to_json(schema: &Schema, data: &Data, ty: &Type) -> serde_json::Value {
    use serde_json::Value;
    match (data, ty.non_null()) {
        (Data::Null, _) => Value::Null,
        (Data::Bool(b), _) => Value::Bool(*b),
        (Data::Int(i), _) => Value::from(*i),
        (Data::Text(t), _) => Value::from(&**t),
        (Data::Enum(v), Type::Enum(e)) => {
            Value::from(schema.enum_def(*e).variants[*v as usize].as_str())
        }
        (Data::List(items), Type::List(elem)) => {
            Value::Array(items.iter().map(|d| to_json(schema, d, elem)).collect())
        }
        (Data::Record(fields), Type::Record(r)) => Value::Object(
            schema
                .record(*r)
                .fields
                .iter()
                .zip(fields.iter())
                .map(|(f, d)| (f.name.clone(), to_json(schema, d, &f.ty)))
                .collect(),
        ),
        _ => Value::Null,
    }
}

struct Documents<'p> {
    program: &'p Program,
    outcome: &'p Outcome,
}

impl Serialize for Documents<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (kind_key, target_key) = document_keys(self.program);
        serializer.collect_seq(self.outcome.documents.iter().map(|d| Document {
            kind_key,
            target_key,
            kind: &d.kind,
            target: d.target.as_deref(),
            status: if d.provided { "provided" } else { "missing" },
        }))
    }
}

#[derive(serde::Serialize)]
struct Finding<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    source: &'a str,
    path: &'a str,
    /// Only with `--facts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    facts: Option<Vec<Fact<'a>>>,
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
    let Type::List(elem) = &list.ty else {
        return ("type", "target");
    };
    let Type::Record(r) = **elem else {
        return ("type", "target");
    };
    let record = schema.record(r);
    let kind = record.fields[uploads.kind as usize].name.as_str();
    let target = uploads
        .target
        .map_or("target", |t| record.fields[t as usize].name.as_str());
    (kind, target)
}
