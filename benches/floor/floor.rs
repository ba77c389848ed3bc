//! The floors that `scripts/bench-batch.sh` compares `icprules check --batch`
//! with, as whole processes: read JSON Lines the way the batch does and parse
//! each line, doing nothing else.
//!
//! ```sh
//! floor value FILE.jsonl   # each line into a serde_json::Value
//! floor typed FILE.jsonl   # each line into serde derive structs of the format
//! ```

mod typed;

use std::io::{BufRead, BufReader};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, path] = args.as_slice() else {
        eprintln!("usage: floor value|typed FILE.jsonl");
        std::process::exit(2);
    };
    let parse: fn(&str) -> bool = match mode.as_str() {
        "value" => |line| serde_json::from_str::<serde_json::Value>(line).is_ok(),
        "typed" => |line| serde_json::from_str::<typed::Application>(line).is_ok(),
        _ => {
            eprintln!("error: unknown floor `{mode}`: expected `value` or `typed`");
            std::process::exit(2);
        }
    };
    let file = std::fs::File::open(path).unwrap_or_else(|e| {
        eprintln!("error: cannot read `{path}`: {e}");
        std::process::exit(2);
    });
    let mut input = BufReader::with_capacity(1 << 16, file);
    let mut line = String::new();
    let (mut parsed, mut failed) = (0u64, 0u64);
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) if line.trim().is_empty() => {}
            Ok(_) if parse(&line) => parsed += 1,
            Ok(_) => failed += 1,
            Err(e) => {
                eprintln!("error: cannot read `{path}`: {e}");
                std::process::exit(2);
            }
        }
    }
    eprintln!("{parsed} lines parsed, {failed} failed");
}
