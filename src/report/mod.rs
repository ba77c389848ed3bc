//! Step four: results as people and other systems read them.

pub mod diagnostics;
pub mod explain;
mod human;
mod invalid;
mod json;
mod json_schema;

pub use human::{human, human_styled};
pub use invalid::{invalid_diagnostic, invalid_human};
pub use json::{
    json, json_invalid, json_with_facts, write_invalid_line, write_json_line,
    write_json_line_with_facts,
};
pub use json_schema::json_schema;

use crate::check::Program;
use crate::check::schema::Type;
use crate::eval::Outcome;
use crate::value::{Data, Val};

/// The verdict word of the result format.
pub fn verdict(program: &Program, outcome: &Outcome) -> &'static str {
    if outcome.accepted(program) {
        "accept"
    } else {
        "reject"
    }
}

/// The input fields `report` declares, with their values as JSON.
fn echoed(program: &Program, application: &Data) -> Vec<(String, serde_json::Value)> {
    let schema = &program.schema;
    let record = schema.record(schema.input);
    let Data::Record(fields) = application else {
        return Vec::new();
    };
    schema
        .report
        .iter()
        .map(|slot| {
            let field = &record.fields[*slot as usize];
            let data = &fields[*slot as usize];
            let value = match (data, field.ty.non_null()) {
                (Data::Null, _) => serde_json::Value::Null,
                (Data::Bool(b), _) => (*b).into(),
                (Data::Int(i), _) => (*i).into(),
                (_, ty @ Type::Enum(_)) | (_, ty @ Type::Text) => {
                    schema.show(&Val::of(data), ty).into()
                }
                _ => serde_json::Value::Null,
            };
            (field.name.clone(), value)
        })
        .collect()
}
