//! The reference of a facts schema, in Markdown: each record with a table of
//! its keys (the labels reports show, type and meaning), each enum with its
//! values and their labels, and the
//! invariants, documented by the comments of the schema's author. A
//! hand-written document (the format's contract) holds it between two
//! marker lines, and `icprules docs --schema-doc FILE` keeps that part
//! current: the reference cannot drift from the schema the reader enforces.

use std::collections::HashMap;
use std::fmt::Write;

use super::written;
use crate::check::Program;
use crate::check::program::RuleCode;
use crate::check::schema::{Schema, Type};
use crate::lang::{Lang, Localized};
use crate::source::{FileId, Sources};
use crate::syntax::ast::Item;
use crate::syntax::parse_file;

/// The line before the generated part of a document.
pub const BEGIN: &str = "<!-- begin: generated from the facts schema by `icprules docs --schema-doc`; edit the schema's comments, not this part -->";
/// The line after it.
pub const END: &str = "<!-- end: generated -->";

/// Where a declaration is written: its file and the offset of its name.
type Place = (FileId, usize);

/// The places of the schema's declarations, by name.
#[derive(Default)]
struct Places {
    types: HashMap<String, Place>,
    /// `Record.field`.
    fields: HashMap<String, Place>,
}

fn places(sources: &Sources) -> Places {
    let mut places = Places::default();
    for (i, source) in sources.files.iter().enumerate() {
        let file = i as FileId;
        let (ast, _) = parse_file(&source.text, file);
        for item in &ast.items {
            match item {
                Item::Record(r) => {
                    places
                        .types
                        .insert(r.name.node.clone(), (file, r.name.span.start as usize));
                    for f in &r.fields {
                        places.fields.insert(
                            format!("{}.{}", r.name.node, f.name.node),
                            (file, f.name.span.start as usize),
                        );
                    }
                }
                Item::Enum(e) => {
                    places
                        .types
                        .insert(e.name.node.clone(), (file, e.name.span.start as usize));
                }
                _ => {}
            }
        }
    }
    places
}

/// The documentation of the declaration at `place`: the comment directly
/// above it, on one line.
fn doc(sources: &Sources, place: Option<&Place>) -> String {
    place
        .and_then(|(file, offset)| written::comment_above(&sources.file(*file).text, *offset))
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// What reports call a field or value, in every language declared
/// (`省份 · province`); empty when none is.
fn labels(label: &Localized<String>) -> String {
    Lang::ALL
        .iter()
        .filter_map(|lang| label.exactly(*lang).map(String::as_str))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Text for a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The heading anchor of a type's section.
fn anchor(name: &str) -> String {
    name.to_lowercase()
}

fn type_text(schema: &Schema, ty: &Type) -> String {
    match ty {
        Type::Int => "int".into(),
        Type::Date => "date (`\"YYYY-MM-DD\"`)".into(),
        Type::Text => "text".into(),
        Type::Bool => "`true` or `false`".into(),
        Type::Enum(e) => {
            let name = &schema.enum_def(*e).name;
            format!("[{name}](#{})", anchor(name))
        }
        Type::Record(r) => {
            let name = &schema.record(*r).name;
            format!("[{name}](#{})", anchor(name))
        }
        Type::List(inner) => format!("list of {}", type_text(schema, inner)),
        Type::Nullable(inner) => format!("{} or `null`", type_text(schema, inner)),
        Type::Null | Type::Error => "`null`".into(),
    }
}

/// The reference of the schema of `program`, which was checked from
/// `sources`: the part of a document between [`BEGIN`] and [`END`].
pub fn reference(sources: &Sources, program: &Program) -> String {
    let schema = &program.schema;
    let places = places(sources);
    let mut out = String::new();
    let input = schema.record(schema.input);
    let _ = writeln!(
        out,
        "## Records\n\nAn application is one JSON object: [{}](#{}). In every object each key \
         below is required unless it says \"may be absent\" (absent then reads as `null`), and \
         no other key is allowed; a type \"or `null`\" takes `null` as a value.",
        input.name,
        anchor(&input.name)
    );
    if !schema.report.is_empty() {
        let keys: Vec<String> = schema
            .report
            .iter()
            .map(|slot| format!("`{}`", input.fields[*slot as usize].name))
            .collect();
        let _ = writeln!(
            out,
            "\nEvery result repeats the application's {} (its `report` declaration).",
            keys.join(" and ")
        );
    }
    if let Some(uploads) = &schema.uploads {
        let list = &input.fields[uploads.list as usize];
        if let Type::List(elem) = &list.ty
            && let Type::Record(r) = elem.non_null()
        {
            let record = schema.record(*r);
            let kind = &record.fields[uploads.kind as usize].name;
            let _ = write!(
                out,
                "\nThe uploaded documents are the list `{}`: each entry's `{kind}` names the \
                 document",
                list.name
            );
            if let Some(target) = uploads.target {
                let _ = write!(
                    out,
                    ", and its `{}` what it is for, for a document required per item",
                    record.fields[target as usize].name
                );
            }
            let _ = writeln!(
                out,
                ". A finding of a missing document has the path `{}`.",
                list.name
            );
        }
    }
    // The input first, then the other records as declared.
    let order = std::iter::once(schema.input)
        .chain((0..schema.records.len() as u32).filter(|r| *r != schema.input));
    for r in order {
        let record = schema.record(r);
        let _ = writeln!(out, "\n### {}\n", record.name);
        let about = doc(sources, places.types.get(&record.name));
        if !about.is_empty() {
            let _ = writeln!(out, "{about}\n");
        }
        let _ = writeln!(out, "| key | label | type | meaning |\n|---|---|---|---|");
        for field in &record.fields {
            let key = if field.optional_key {
                format!("`{}` (may be absent)", field.name)
            } else {
                format!("`{}`", field.name)
            };
            let meaning = doc(
                sources,
                places
                    .fields
                    .get(&format!("{}.{}", record.name, field.name)),
            );
            let _ = writeln!(
                out,
                "| {key} | {} | {} | {} |",
                cell(&labels(&field.label)),
                match field.minimum {
                    // Only `count` sets one: 0.
                    Some(least) => type_text(schema, &field.ty).replacen(
                        "int",
                        &format!("int ({least} or more)"),
                        1
                    ),
                    None => type_text(schema, &field.ty),
                },
                cell(&meaning)
            );
        }
    }
    let _ = writeln!(
        out,
        "\n## Enumerations\n\nAn enumeration's value is one of its names, as a JSON string (in \
         parentheses: the labels reports show for it)."
    );
    for e in &schema.enums {
        let _ = writeln!(out, "\n### {}\n", e.name);
        let about = doc(sources, places.types.get(&e.name));
        if !about.is_empty() {
            let _ = writeln!(out, "{about}\n");
        }
        let values: Vec<String> = e
            .variants
            .iter()
            .zip(&e.labels)
            .map(|(v, label)| match labels(label) {
                shown if shown.is_empty() => format!("`{v}`"),
                shown => format!("`{v}` ({shown})"),
            })
            .collect();
        let _ = writeln!(out, "{}", values.join(", "));
    }
    if !program.invariants.is_empty() {
        let _ = writeln!(
            out,
            "\n## Invariants\n\nWhat the format requires beyond types: an application that fails \
             one is invalid (not a rejected filing), with the error below at the fact it names. \
             `icprules explain invariant.NAME` shows one as written.\n\n\
             | invariant | the error |\n|---|---|"
        );
        for invariant in &program.invariants {
            let _ = writeln!(
                out,
                "| `{}` | {} |",
                invariant.id,
                cell(&invariant_text(sources, program, invariant))
            );
        }
    }
    out
}

/// An invariant as the reference states it: its comment, then its message
/// (in the program's language) as written, holes and all.
fn invariant_text(sources: &Sources, program: &Program, invariant: &RuleCode) -> String {
    let file = sources.file(invariant.span.file);
    let comment = written::comment_above(&file.text, invariant.span.start as usize)
        .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "));
    let message = invariant
        .message_spans
        .get(program.language)
        .map(|span| file.text[span.range()].to_string())
        .unwrap_or_default();
    match comment {
        Some(comment) => format!("{comment} {message}"),
        None => message,
    }
}

/// Why a document's generated part could not be filled in.
#[derive(Debug, thiserror::Error)]
pub enum FillError {
    #[error("it has no line `{0}`")]
    NoMarker(&'static str),
}

/// `document` with the text between its [`BEGIN`] and [`END`] lines
/// replaced by `reference`.
pub fn fill(document: &str, reference: &str) -> Result<String, FillError> {
    let begin = document.find(BEGIN).ok_or(FillError::NoMarker(BEGIN))?;
    let after_begin = begin + BEGIN.len();
    let end = document[after_begin..]
        .find(END)
        .map(|i| after_begin + i)
        .ok_or(FillError::NoMarker(END))?;
    Ok(format!(
        "{}\n\n{}\n{}",
        &document[..after_begin],
        reference.trim_end(),
        &document[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_what_is_between_the_markers_only() {
        let document = format!("# Title\n\n{BEGIN}\nold\n{END}\n\nmore\n");
        let filled = fill(&document, "new\n").expect("markers");
        assert_eq!(
            filled,
            format!("# Title\n\n{BEGIN}\n\nnew\n{END}\n\nmore\n")
        );
        assert_eq!(fill(&filled, "new\n").expect("markers"), filled);
        assert!(fill("# Title\n", "new").is_err());
    }
}
