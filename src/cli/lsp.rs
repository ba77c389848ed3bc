//! `icprules lsp`: the language server, for editors (see `docs/editors.md`).

use super::Exit;

#[derive(clap::Args)]
#[command(
    after_help = "Speaks the Language Server Protocol on standard input and output; editors \
    start it (docs/editors.md says how). It finds the rule set of each file it is asked about \
    (the nearest folder above it that holds the schema) and reports the diagnostics of \
    `icprules lint` as you type, with hover, go to definition, references, completion, quick \
    fixes, formatting, an outline and a lens that runs the rule set's tests.\n\nInitialization \
    options (all optional): `cases`, the folder of test cases (default: the nearest \
    `tests/cases` above the rule set); `coverage`, the coverage table (default: the nearest \
    `docs/coverage.md`); `allow`, lints not to report (as `lint --allow`)."
)]
pub struct LspArgs {
    /// Accepted for editors that pass it: standard input and output is the
    /// only transport.
    #[arg(long)]
    stdio: bool,
}

pub fn run(args: LspArgs) -> Exit {
    let _ = args.stdio;
    match crate::lsp::serve_stdio() {
        Ok(()) => Exit::Ok,
        Err(e) => {
            sayln!("error: {e}");
            Exit::Rejected
        }
    }
}
