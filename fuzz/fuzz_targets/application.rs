//! An application file: read against the built-in rules as `icprules check`
//! reads it, evaluated, and its result or error rendered.
#![no_main]

use icprules::check::Program;
use libfuzzer_sys::fuzz_target;

thread_local! {
    // Checked once: the program is the same for every input.
    static PROGRAM: Program = icprules::check::check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program;
}

fuzz_target!(|data: &[u8]| PROGRAM.with(|program| run(program, data)));

fn run(program: &Program, data: &[u8]) {
    match icprules::eval::read_bytes(program, data) {
        Ok(application) => {
            let outcome = icprules::eval::evaluate(program, &application);
            icprules::report::human(program, &application, &outcome);
            icprules::report::json(program, &application, &outcome, false);
        }
        Err(error) => {
            // As `icprules check` shows it: the text up to a byte that is not
            // UTF-8 is the file's.
            let text = String::from_utf8_lossy(data);
            icprules::report::invalid_human("fuzz.json", &text, &error, false);
            icprules::report::json_invalid(&error);
        }
    }
}
