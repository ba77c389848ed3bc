//! The application format as JSON Schema (draft 2020-12), generated from the
//! facts schema the rules declare, for the systems that write applications.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::check::Program;
use crate::check::schema::{RecordDef, Schema, Type};

/// The JSON Schema of the applications `program` reads: the input record is
/// the root, every record and enum a `$defs` entry, in declaration order.
pub fn json_schema(program: &Program) -> String {
    let schema = &program.schema;
    let input = &schema.record(schema.input).name;
    let mut defs = Vec::new();
    for record in &schema.records {
        defs.push((record.name.clone(), record_schema(schema, record)));
    }
    for e in &schema.enums {
        let values = e.variants.iter().map(|v| Node::text(v)).collect();
        defs.push((
            e.name.clone(),
            Node::Object(vec![
                ("type".into(), Node::text("string")),
                ("enum".into(), Node::List(values)),
            ]),
        ));
    }
    let root = Node::Object(vec![
        (
            "$schema".into(),
            Node::text("https://json-schema.org/draft/2020-12/schema"),
        ),
        ("title".into(), Node::text(input)),
        ("description".into(), Node::Text(description(program))),
        (
            "$comment".into(),
            Node::text(
                "icprules also refuses an object with a key given twice and an integer \
                 outside 64 bits; like this schema, it takes a whole number written with a \
                 fraction or an exponent (`41.0`, `1e2`) as an integer",
            ),
        ),
        ("$ref".into(), reference(input)),
        ("$defs".into(), Node::Object(defs)),
    ]);
    let mut text = serde_json::to_string_pretty(&root).expect("a schema serializes");
    text.push('\n');
    text
}

/// The root description: what the schema is, and the invariants it cannot
/// express, by id.
fn description(program: &Program) -> String {
    let input = &program.schema.record(program.schema.input).name;
    let mut text = format!(
        "An application: one `{input}` object, as the facts schema of the rules declares it"
    );
    if !program.invariants.is_empty() {
        let ids: Vec<String> = program
            .invariants
            .iter()
            .map(|i| format!("`{}`", i.id))
            .collect();
        text.push_str(&format!(
            ". The invariants of the rules also apply, and this schema does not express \
             them (`icprules explain ID` shows one): {}",
            ids.join(", ")
        ));
    }
    text
}

fn record_schema(schema: &Schema, record: &RecordDef) -> Node {
    let properties = record
        .fields
        .iter()
        .map(|f| {
            let mut node = type_schema(schema, &f.ty);
            if let (Some(least), Node::Object(fields)) = (f.minimum, &mut node) {
                // On the integer, and so also on `["integer", "null"]`.
                fields.push(("minimum".into(), Node::Int(least)));
            }
            (f.name.clone(), node)
        })
        .collect();
    let required = record
        .fields
        .iter()
        .filter(|f| !f.optional_key)
        .map(|f| Node::text(&f.name))
        .collect();
    Node::Object(vec![
        ("type".into(), Node::text("object")),
        ("properties".into(), Node::Object(properties)),
        ("required".into(), Node::List(required)),
        ("additionalProperties".into(), Node::Bool(false)),
    ])
}

fn type_schema(schema: &Schema, ty: &Type) -> Node {
    match ty {
        Type::Int => Node::Object(vec![("type".into(), Node::text("integer"))]),
        Type::Date => Node::Object(vec![
            ("type".into(), Node::text("string")),
            ("format".into(), Node::text("date")),
        ]),
        Type::Text => Node::Object(vec![("type".into(), Node::text("string"))]),
        Type::Bool => Node::Object(vec![("type".into(), Node::text("boolean"))]),
        Type::Enum(e) => Node::Object(vec![("$ref".into(), reference(&schema.enum_def(*e).name))]),
        Type::Record(r) => Node::Object(vec![("$ref".into(), reference(&schema.record(*r).name))]),
        Type::List(elem) => Node::Object(vec![
            ("type".into(), Node::text("array")),
            ("items".into(), type_schema(schema, elem)),
        ]),
        Type::Nullable(inner) => match type_schema(schema, inner) {
            // A plain type takes null beside it; a reference or a list
            // needs `anyOf`.
            Node::Object(fields) if fields.len() == 1 && fields[0].0 == "type" => {
                let (_, name) = fields.into_iter().next().expect("one field");
                Node::Object(vec![(
                    "type".into(),
                    Node::List(vec![name, Node::text("null")]),
                )])
            }
            other => Node::Object(vec![(
                "anyOf".into(),
                Node::List(vec![
                    other,
                    Node::Object(vec![("type".into(), Node::text("null"))]),
                ]),
            )]),
        },
        Type::Null | Type::Error => unreachable!("no field of a checked schema has this type"),
    }
}

fn reference(name: &str) -> Node {
    Node::Text(format!("#/$defs/{name}"))
}

/// A JSON value whose objects keep their keys in the order given, so the
/// schema reads in the order of the declarations.
enum Node {
    Text(String),
    Bool(bool),
    Int(i64),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    fn text(s: &str) -> Node {
        Node::Text(s.to_string())
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Text(t) => serializer.serialize_str(t),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Int(i) => serializer.serialize_i64(*i),
            Node::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}
