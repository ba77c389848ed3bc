//! `icprules gen`: synthetic applications as JSON Lines, for `--batch`
//! benchmarks and load tests (the method is in [`crate::generate`]).

use std::io::Write;
use std::path::PathBuf;

use super::{Exit, load_rules};
use crate::eval::read;
use crate::generate::Generator;
use crate::value::Data;

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
    /// Folders (or files) of `.json` applications to start from (default:
    /// the shipped applications, built in).
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
    let corpus = if args.corpus.is_empty() {
        // The built-in corpus is read as is: no file to name.
        crate::generate::shipped_corpus()
            .iter()
            .filter_map(|(_, text)| read(&program, text).ok())
            .collect()
    } else {
        match read_corpus(&program, &args.corpus) {
            Ok(corpus) => corpus,
            Err(exit) => return exit,
        }
    };
    let Some(mut generator) = Generator::new(&program, corpus, args.seed) else {
        if args.corpus.is_empty() {
            sayln!("error: none of the built-in applications is valid for these rules");
        } else {
            sayln!(
                "error: no valid application to start from in {}",
                args.corpus
                    .iter()
                    .map(|d| format!("`{}`", d.display()))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        sayln!("  help: pass `--corpus DIR` with a folder of `.json` applications of the rules");
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

/// The valid applications of the corpus the user named, in path order;
/// says (on one line) which files were left out as not valid.
fn read_corpus(program: &crate::check::Program, paths: &[PathBuf]) -> Result<Vec<Data>, Exit> {
    // Sorted, so that the corpus, and with it the output for a seed, does not
    // depend on the order the file system lists files in.
    let (files, notes) = crate::testing::discover_noting(paths).map_err(|e| {
        sayln!("error: cannot read the corpus: {e}");
        Exit::Unusable
    })?;
    for note in notes {
        sayln!("note: {}", crate::terminal::escaped(&note));
    }
    let mut corpus: Vec<Data> = Vec::with_capacity(files.len());
    let mut left_out = Vec::new();
    for file in &files {
        let text = super::read_application_text(file).map_err(|e| {
            sayln!("error: cannot read `{}`: {e}", file.display());
            Exit::Unusable
        })?;
        match read(program, &text) {
            Ok(application) => corpus.push(application),
            Err(_) => left_out.push(file.display().to_string()),
        }
    }
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
    Ok(corpus)
}

fn write_failed(e: &std::io::Error) -> Exit {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(141);
    }
    sayln!("error: cannot write the applications: {e}");
    Exit::Unusable
}
