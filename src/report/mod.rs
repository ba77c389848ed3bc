//! Step four: results as people and other systems read them.

pub mod diagnostics;
pub mod explain;
mod human;
mod invalid;
mod json;
mod json_schema;

pub use human::{context, human, human_styled};
pub use invalid::{invalid_diagnostic, invalid_human};
pub use json::{json, json_invalid, json_with_facts, write_invalid_line, write_json_line};
pub use json_schema::json_schema;

use crate::check::Program;
use crate::eval::Outcome;

/// The verdict word of the result format.
pub fn verdict(program: &Program, outcome: &Outcome) -> &'static str {
    if outcome.accepted(program) {
        "accept"
    } else {
        "reject"
    }
}
