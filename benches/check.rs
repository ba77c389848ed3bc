//! `cargo bench`: how close checking is to just parsing the JSON.
//!
//! - `rules`: parsing and checking the built-in rule set;
//! - `application`: per application, over the shipped applications (every
//!   file under `examples/` and `tests/cases/`): the two floors (parsing into
//!   a `serde_json::Value`, into serde derive structs of the format), reading
//!   against the schema, evaluating the rules on an application already read,
//!   and all of `check` (read, evaluate, write the JSON result);
//! - `batch`: JSON Lines of 2,000 generated applications (`icprules gen
//!   --seed 1`): the two floors and `check --batch`, on one core and on all.
//!
//! docs/performance.md has the method and the ratios.

#[path = "floor/typed.rs"]
mod typed;

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::LazyLock;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use icprules::check::Program;
use icprules::eval::{Detail, evaluate_with, read, read_application};
use rayon::prelude::*;

static PROGRAM: LazyLock<Program> = LazyLock::new(|| {
    icprules::check::check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program
});

/// The shipped applications, in a fixed order.
static APPLICATIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let files = icprules::testing::discover(&["examples".into(), "tests/cases".into()])
        .expect("readable folders");
    // The invariant cases break the format on purpose.
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| !f.starts_with("tests/cases/invariant"))
        .collect();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("readable file"))
        .collect()
});

/// 2,000 generated applications as JSON Lines, and where each line is.
static BATCH: LazyLock<(Vec<u8>, Vec<std::ops::Range<usize>>)> = LazyLock::new(|| {
    let corpus = APPLICATIONS
        .iter()
        .map(|t| read(&PROGRAM, t).expect("a valid application"))
        .collect();
    let mut generator = icprules::generate::Generator::new(&PROGRAM, corpus, 1).expect("a corpus");
    let mut text = Vec::new();
    let mut lines = Vec::new();
    for _ in 0..2000 {
        let start = text.len();
        let application = generator.next_application();
        generator.write_line(&application, &mut text);
        lines.push(start..text.len());
    }
    (text, lines)
});

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn rules_parse_and_check() -> Program {
    icprules::check::check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program
}

mod application {
    use super::*;

    fn per_application(bencher: Bencher, f: impl Fn(&str) + Sync) {
        let texts = &*APPLICATIONS;
        bencher
            .counter(ItemsCount::new(texts.len()))
            .bench(|| texts.iter().for_each(|t| f(t)));
    }

    #[divan::bench]
    fn floor_value(bencher: Bencher) {
        per_application(bencher, |t| {
            black_box(serde_json::from_str::<serde_json::Value>(t).ok());
        });
    }

    #[divan::bench]
    fn floor_typed(bencher: Bencher) {
        per_application(bencher, |t| {
            black_box(serde_json::from_str::<typed::Application>(t).ok());
        });
    }

    #[divan::bench]
    fn read_schema(bencher: Bencher) {
        per_application(bencher, |t| {
            black_box(read_application(&PROGRAM.schema, t).ok());
        });
    }

    /// The rules alone, on applications already read, explaining findings
    /// by their path as JSON results do.
    #[divan::bench]
    fn evaluate_rules(bencher: Bencher) {
        let data: Vec<_> = APPLICATIONS
            .iter()
            .map(|t| read(&PROGRAM, t).expect("a valid application"))
            .collect();
        bencher.counter(ItemsCount::new(data.len())).bench(|| {
            data.iter()
                .for_each(|d| _ = black_box(evaluate_with(&PROGRAM, d, Detail::Path)))
        });
    }

    /// Reading (with the invariants), evaluating and writing the result.
    #[divan::bench]
    fn check(bencher: Bencher) {
        per_application(bencher, |t| {
            let mut out = Vec::new();
            if let Ok(data) = read(&PROGRAM, t) {
                let outcome = evaluate_with(&PROGRAM, &data, Detail::Path);
                icprules::report::write_json_line(&PROGRAM, &data, &outcome, false, 1, &mut out);
            }
            black_box(out);
        });
    }
}

mod batch {
    use super::*;

    /// Parses every line with `parse` on `jobs` threads. Lines are checked
    /// to be UTF-8 first, as the batch does: serde_json parses a `&str`
    /// faster than bytes, and the floor should be the fastest.
    fn floor(bencher: Bencher, jobs: usize, parse: impl Fn(&str) -> bool + Sync) {
        let parse = |line: &[u8]| std::str::from_utf8(line).is_ok_and(&parse);
        let (text, lines) = &*BATCH;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build()
            .expect("a thread pool");
        bencher
            .counter(ItemsCount::new(lines.len()))
            .counter(BytesCount::new(text.len()))
            .bench(|| {
                if jobs == 1 {
                    lines.iter().filter(|l| parse(&text[(*l).clone()])).count()
                } else {
                    pool.install(|| {
                        lines
                            .par_iter()
                            .filter(|l| parse(&text[(*l).clone()]))
                            .count()
                    })
                }
            });
    }

    #[divan::bench(args = [1, cores()])]
    fn floor_value(bencher: Bencher, jobs: usize) {
        floor(bencher, jobs, |line| {
            serde_json::from_str::<serde_json::Value>(line).is_ok()
        });
    }

    #[divan::bench(args = [1, cores()])]
    fn floor_typed(bencher: Bencher, jobs: usize) {
        floor(bencher, jobs, |line| {
            serde_json::from_str::<typed::Application>(line).is_ok()
        });
    }

    /// What `icprules check --batch --jobs N` does, output to a sink.
    #[divan::bench(args = [1, cores()])]
    fn check(bencher: Bencher, jobs: usize) {
        let (text, lines) = &*BATCH;
        bencher
            .counter(ItemsCount::new(lines.len()))
            .counter(BytesCount::new(text.len()))
            .bench(|| {
                icprules::batch::check_lines(&PROGRAM, &text[..], std::io::sink(), jobs, &|_, _| {})
                    .expect("no I/O error")
            });
    }
}
