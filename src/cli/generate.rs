//! `icprules gen`: synthetic applications as JSON Lines, for `--batch`
//! benchmarks and load tests (the method is in [`crate::generate`]).

use std::io::Write;
use std::path::PathBuf;

use super::{Exit, load_rules};
use crate::eval::read;
use crate::generate::Generator;
use crate::value::Data;

/// Where the corpus is looked for when `--corpus` is not given: the shipped
/// applications, when run from the repository.
const DEFAULT_CORPUS: [&str; 2] = ["examples", "tests/cases"];

#[derive(clap::Args)]
#[command(
    after_help = "Each application is one of the corpus, with a few fields changed \
    within the schema and kept valid by its invariants: realistic data with a mix of verdicts.\n\n\
    Examples:\n  icprules gen --seed 1 --count 100000 > apps.jsonl\n  \
    icprules gen --corpus my-applications --count 500"
)]
pub struct GenArgs {
    /// The same seed (and corpus) gives the same applications.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How many applications to write.
    #[arg(long, default_value_t = 1000)]
    count: u64,
    /// Folders of `.json` applications to start from (default: `examples`
    /// and `tests/cases`).
    #[arg(long, value_name = "DIR")]
    corpus: Vec<PathBuf>,
    /// A folder of `.icp` rule files to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

pub fn run(args: GenArgs) -> Exit {
    let program = match load_rules(args.rules.as_ref()) {
        Ok((_, checked)) => checked.program,
        Err(exit) => return exit,
    };
    let dirs: Vec<PathBuf> = if args.corpus.is_empty() {
        DEFAULT_CORPUS
            .iter()
            .map(PathBuf::from)
            .filter(|d| d.is_dir())
            .collect()
    } else {
        args.corpus.clone()
    };
    // Sorted, so that the corpus, and with it the output for a seed, does not
    // depend on the order the file system lists files in.
    let files = match crate::testing::discover(&dirs) {
        Ok(files) => files,
        Err(e) => {
            sayln!("error: cannot read the corpus: {e}");
            return Exit::Unusable;
        }
    };
    let mut corpus: Vec<Data> = Vec::with_capacity(files.len());
    let mut left_out = Vec::new();
    for file in &files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                sayln!("error: cannot read `{}`: {e}", file.display());
                return Exit::Unusable;
            }
        };
        match read(&program, &text) {
            Ok(application) => corpus.push(application),
            Err(_) => left_out.push(file.display().to_string()),
        }
    }
    // Test corpora hold invalid applications on purpose (invariant cases):
    // say which were left out, on one line rather than one warning each.
    if !left_out.is_empty() {
        sayln!(
            "note: {} file{} of the corpus {} not valid applications and {} left out: {}",
            left_out.len(),
            if left_out.len() == 1 { "" } else { "s" },
            if left_out.len() == 1 { "is" } else { "are" },
            if left_out.len() == 1 { "is" } else { "are" },
            left_out.join(", ")
        );
    }
    let Some(mut generator) = Generator::new(&program, corpus, args.seed) else {
        sayln!(
            "error: no valid application to start from in {}",
            if dirs.is_empty() {
                "the corpus".to_string()
            } else {
                dirs.iter()
                    .map(|d| format!("`{}`", d.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        );
        sayln!("  help: pass `--corpus DIR` with a folder of `.json` applications");
        return Exit::Unusable;
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut line = Vec::new();
    for _ in 0..args.count {
        line.clear();
        let application = generator.next_application();
        generator.write_line(&application, &mut line);
        if let Err(e) = out.write_all(&line) {
            return write_failed(&e);
        }
    }
    if let Err(e) = out.flush() {
        return write_failed(&e);
    }
    Exit::Ok
}

fn write_failed(e: &std::io::Error) -> Exit {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(141);
    }
    sayln!("error: cannot write the applications: {e}");
    Exit::Unusable
}
