//! What changed in the facts schema: records, enums and the declarations of
//! the input (`input`, `as_of`, `report`, `uploads`).
//!
//! A schema change changes which applications are valid, and how they read,
//! without changing any rule's text: a field added, an enum value removed, an
//! application's date taken from another field. Each record and enum is
//! compared as lines (a field or a value with its labels, as a rule file
//! writes it), so the report shows the lines gone and the lines new.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::schema::{FieldDef, Schema, Type};
use crate::lang::Localized;

/// One item of the schema added (no `removed`), removed (no `added`) or
/// changed: `record Website`, `enum ProvinceId`, `declarations`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchemaChange {
    pub item: String,
    /// Whether the item is in the old schema, and in the new one.
    pub old: bool,
    pub new: bool,
    /// Its lines that are gone, and those that are new.
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// The schema's items as lines, by item name.
fn items(schema: &Schema) -> BTreeMap<String, Vec<String>> {
    let mut items = BTreeMap::new();
    for record in &schema.records {
        let lines = record.fields.iter().map(|f| field(schema, f)).collect();
        items.insert(format!("record {}", record.name), lines);
    }
    for e in &schema.enums {
        let lines = e
            .variants
            .iter()
            .zip(&e.labels)
            .map(|(value, label)| format!("{value}{}", labels(label)))
            .collect();
        items.insert(format!("enum {}", e.name), lines);
    }
    let input = schema.records.get(schema.input as usize);
    let field_name = |slot: u32| {
        input
            .and_then(|r| r.fields.get(slot as usize))
            .map_or_else(|| "?".to_string(), |f| f.name.clone())
    };
    let mut declarations = Vec::new();
    if let Some(input) = input {
        declarations.push(format!("input {}", input.name));
    }
    if !schema.report.is_empty() {
        let names: Vec<String> = schema.report.iter().map(|&s| field_name(s)).collect();
        declarations.push(format!("report {}", names.join(", ")));
    }
    if let Some(slot) = schema.as_of {
        declarations.push(format!("as_of {}", field_name(slot)));
    }
    if let Some(u) = &schema.uploads {
        let list = field_name(u.list);
        let upload = input
            .and_then(|r| r.fields.get(u.list as usize))
            .and_then(|f| match f.ty.non_null() {
                Type::List(inner) => match inner.non_null() {
                    Type::Record(r) => schema.records.get(*r as usize),
                    _ => None,
                },
                _ => None,
            });
        let in_upload = |slot: u32| {
            upload
                .and_then(|r| r.fields.get(slot as usize))
                .map_or_else(|| "?".to_string(), |f| f.name.clone())
        };
        let mut line = format!("uploads list {list} kind {}", in_upload(u.kind));
        if let Some(target) = u.target {
            line.push_str(&format!(" target {}", in_upload(target)));
        }
        declarations.push(line);
    }
    items.insert("declarations".to_string(), declarations);
    items
}

/// `name?: type zh "…" en "…"`, as a record declares a field.
fn field(schema: &Schema, f: &FieldDef) -> String {
    // A key that may be absent may be null: `name?: text` is `text?` inside,
    // and `name?: text?` means the same.
    let ty = match (&f.ty, f.optional_key) {
        (Type::Nullable(inner), true) => inner,
        (ty, _) => ty,
    };
    let ty = match (ty, f.minimum) {
        (Type::Int, Some(0)) => "count".to_string(),
        (Type::Nullable(inner), Some(0)) if **inner == Type::Int => "count?".to_string(),
        (ty, _) => schema.type_name(ty),
    };
    let optional = if f.optional_key { "?" } else { "" };
    format!("{}{optional}: {ty}{}", f.name, labels(&f.label))
}

fn labels(label: &Localized<String>) -> String {
    let mut out = String::new();
    for (lang, text) in [("zh", &label.zh), ("en", &label.en)] {
        if let Some(text) = text {
            out.push_str(&format!(" {lang} {text:?}"));
        }
    }
    out
}

/// The items of the two schemas that differ, by name.
pub fn changes(old: &Schema, new: &Schema) -> Vec<SchemaChange> {
    let (before, after) = (items(old), items(new));
    let names: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for name in names {
        let (was, is) = (before.get(name), after.get(name));
        let sorted = |lines: Option<&Vec<String>>| {
            lines.map(|l| {
                let mut l = l.clone();
                l.sort();
                l
            })
        };
        // Fields and values are found by name: their order changes nothing.
        if sorted(was) == sorted(is) {
            continue;
        }
        let empty = Vec::new();
        let (was_lines, is_lines) = (was.unwrap_or(&empty), is.unwrap_or(&empty));
        let gone = |a: &[String], b: &[String]| -> Vec<String> {
            a.iter().filter(|l| !b.contains(l)).cloned().collect()
        };
        let (removed, added) = (gone(was_lines, is_lines), gone(is_lines, was_lines));
        changes.push(SchemaChange {
            item: name.clone(),
            old: was.is_some(),
            new: is.is_some(),
            removed,
            added,
        });
    }
    changes
}
