//! icprules: a rule language for ICP website-filing regulations, and its
//! interpreter.
//!
//! The pipeline: [`syntax`] (text to AST) -> [`check`] (names, types, lints;
//! produces a [`check::Program`]) -> [`eval`] (runs the program on an
//! application) -> [`report`] (human, JSON, SARIF) -> [`cli`]. [`batch`] runs
//! the last three over JSON Lines on all cores; [`diff`] compares two rule
//! sets and their verdicts; [`testing`] judges rule test
//! cases for `icprules test` and `cargo test` alike. [`lang`] holds the two
//! output languages: a checked program renders its messages, and reports and
//! pages are written, in the language set on it (`Program::in_language`).

pub mod batch;
pub mod check;
pub mod cli;
pub mod coverage;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod docs;
pub mod eval;
pub mod fmt;
pub mod generate;
pub mod lang;
pub mod lsp;
pub mod markdown;
pub mod report;
pub mod rules;
pub mod source;
pub mod syntax;
pub mod terminal;
pub mod testing;
pub mod value;
