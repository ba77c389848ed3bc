//! `icprules lsp`: a language server over standard input and output, for
//! editors. A thin protocol layer over the compiler's stages, after Gleam's:
//!
//! - [`files`]: the editor's unsaved buffers laid over the files on disk,
//!   and which rule set a file belongs to;
//! - [`snapshot`]: a rule set analysed, keeping a broken file's last good
//!   text;
//! - [`engine`]: the queries (diagnostics, hover, definition, references,
//!   completion, code actions, formatting, outline, semantic tokens, tests),
//!   each a plain function from a place to an answer;
//! - [`convert`]: the one place where answers and positions become
//!   protocol types;
//! - [`server`]: the protocol loop only.

pub mod convert;
pub mod engine;
pub mod files;
pub mod server;
pub mod snapshot;
pub mod uri;

pub use server::{run, serve_stdio};

/// A line to the server's log (standard error, which editors keep): never
/// standard output, which carries the protocol.
pub(crate) fn log(message: &str) {
    use std::io::Write as _;
    let _ = writeln!(std::io::stderr(), "icprules lsp: {message}");
}
