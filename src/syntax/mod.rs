//! Step one of the pipeline: rule file text to an AST with spans.
//!
//! The pest grammar is `grammar/icp.pest`. A file is parsed strictly first;
//! when that fails, a second parse skips each broken piece so that every
//! syntax error of the file is reported, not only the first.

pub mod ast;
mod error;
mod parse;

pub use error::SyntaxError;
pub use parse::parse_file;
