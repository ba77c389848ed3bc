//! A rule file: parsed, checked against the built-in schema, its diagnostics
//! rendered, and, when it checks, run on an application.
#![no_main]

use std::sync::{Arc, LazyLock};

use icprules::source::{SourceFile, Sources};
use libfuzzer_sys::fuzz_target;

static SCHEMA: LazyLock<SourceFile> = LazyLock::new(|| {
    icprules::rules::embedded()
        .files
        .into_iter()
        .find(|f| f.path == "schema.icp")
        .expect("the built-in rules have a schema")
});

const APPLICATION: &str = include_str!("../../tests/cases/national/accept-enterprise.json");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let sources = Sources::new(vec![
        SCHEMA.clone(),
        SourceFile {
            path: "fuzz.icp".into(),
            text: Arc::from(text),
        },
    ]);
    match icprules::check::check(&sources) {
        Ok(checked) => {
            icprules::diagnostic::render_plain(&checked.warnings, &sources);
            if let Ok(application) = icprules::eval::read(&checked.program, APPLICATION) {
                let outcome = icprules::eval::evaluate(&checked.program, &application);
                icprules::report::human(&checked.program, &application, &outcome);
                icprules::report::json(&checked.program, &application, &outcome, false);
            }
        }
        Err(diagnostics) => {
            icprules::diagnostic::render_plain(&diagnostics, &sources);
        }
    }
});
