//! Step one of the pipeline: rule file text to an AST with spans.
//!
//! The pest grammar is `grammar/icp.pest`. A file is parsed strictly first;
//! when that fails, a second parse skips each broken piece so that every
//! syntax error of the file is reported, not only the first. Before either,
//! the text is scanned for nesting deeper than [`MAX_NESTING`], which would
//! otherwise overflow the stack of the parser or of the stages after it.

pub mod ast;
mod braces;
mod error;
pub(crate) mod lexis;
mod nesting;
mod parse;
mod tokens;

pub use error::SyntaxError;
pub use nesting::MAX_NESTING;
pub use parse::parse_file;
pub use tokens::{TokenClass, tokens};
