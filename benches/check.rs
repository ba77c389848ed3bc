//! How close checking an application is to just parsing its JSON.
//!
//! `cargo bench` measures, side by side in one run and on the same
//! applications (every file under `examples/` and `tests/cases/`):
//! - parse: `serde_json::from_str` into a `serde_json::Value`;
//! - read: reading the application against the schema (`read_application`);
//! - check: reading plus evaluating every rule (what `icprules check` does).
//!
//! It prints the time per application of each and the ratios to parse.

use std::hint::black_box;
use std::time::{Duration, Instant};

use icprules::eval::{evaluate, read_application};

fn applications() -> Vec<String> {
    let mut texts = Vec::new();
    let mut dirs = vec![
        std::path::PathBuf::from("examples"),
        std::path::PathBuf::from("tests/cases"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                texts.push(std::fs::read_to_string(&path).expect("readable file"));
            }
        }
    }
    texts
}

/// Runs `f` over all applications repeatedly for about `budget`; returns the
/// mean time per application.
fn measure(texts: &[String], budget: Duration, mut f: impl FnMut(&str)) -> Duration {
    // Warm up caches and the allocator.
    for t in texts {
        f(t);
    }
    let start = Instant::now();
    let mut runs = 0u32;
    while start.elapsed() < budget {
        for t in texts {
            f(t);
        }
        runs += 1;
    }
    start.elapsed() / (runs * texts.len() as u32)
}

fn main() {
    let program = icprules::check::check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program;
    let texts = applications();
    let budget = Duration::from_secs(2);
    // Interleave the three measurements, twice, so drift affects all alike.
    let mut results = [Duration::ZERO; 3];
    for _ in 0..2 {
        results[0] += measure(&texts, budget, |t| {
            black_box(serde_json::from_str::<serde_json::Value>(t).ok());
        });
        results[1] += measure(&texts, budget, |t| {
            black_box(read_application(&program.schema, t).ok());
        });
        results[2] += measure(&texts, budget, |t| {
            if let Ok(data) = icprules::eval::read(&program, t) {
                black_box(evaluate(&program, &data));
            }
        });
    }
    let [parse, read, check] = results.map(|d| d / 2);
    println!(
        "{} applications, {} rules",
        texts.len(),
        program.rules.len()
    );
    println!(
        "parse (serde_json::Value)   {:>9.2?} per application   1.00x",
        parse
    );
    println!(
        "read (schema-validated)     {:>9.2?} per application   {:.2}x",
        read,
        read.as_secs_f64() / parse.as_secs_f64()
    );
    println!(
        "check (read + all rules)    {:>9.2?} per application   {:.2}x",
        check,
        check.as_secs_f64() / parse.as_secs_f64()
    );
}
