//! `icprules schema`: the application format as JSON Schema, for the systems
//! that write applications.

use std::path::PathBuf;

use super::{Exit, emit, load_rules};

#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  icprules schema > application.schema.json\n  \
    icprules schema --rules my-rules\n  \
    icprules schema --markdown               # the reference of the records, enums and invariants"
)]
pub struct SchemaArgs {
    /// Print the reference of the schema in Markdown (its records with their
    /// keys, enums and invariants, from the schema's comments) instead.
    #[arg(long)]
    markdown: bool,
    /// A folder of `.icp` rule files to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

pub fn run(args: SchemaArgs) -> Exit {
    match load_rules(args.rules.as_ref()) {
        Ok((sources, checked)) => {
            if args.markdown {
                emit(&crate::docs::schema::reference(&sources, &checked.program));
            } else {
                emit(&crate::report::json_schema(&checked.program));
            }
            Exit::Ok
        }
        Err(exit) => exit,
    }
}
