//! Every diagnostic kind has a fixture in `tests/fixtures/check/`, checked
//! against `tests/fixtures/schema.icp`; its rendered report (no colour) is
//! snapshotted together with the fixture's source.

use std::sync::Arc;

use icprules::check::check;
use icprules::diagnostic::render_plain;
use icprules::source::{SourceFile, Sources};

fn file(path: &str, text: String) -> SourceFile {
    SourceFile {
        path: path.to_string(),
        text: Arc::from(text),
    }
}

#[test]
fn fixtures() {
    let schema = std::fs::read_to_string("tests/fixtures/schema.icp").expect("fixture schema");
    insta::glob!("fixtures/check/*.icp", |path| {
        let text = std::fs::read_to_string(path).expect("fixture");
        let name = path
            .file_name()
            .expect("file name")
            .to_string_lossy()
            .to_string();
        let sources = Sources::new(vec![
            file("schema.icp", schema.clone()),
            file(&name, text.clone()),
        ]);
        let diagnostics = match check(&sources) {
            Ok(checked) => checked.warnings,
            Err(diagnostics) => diagnostics,
        };
        assert!(!diagnostics.is_empty(), "{name} gives no diagnostic");
        assert!(
            diagnostics
                .iter()
                .all(|d| d.span.file == sources.find(&name).unwrap()),
            "{name}: a diagnostic points into the schema"
        );
        let rendered = render_plain(&diagnostics, &sources);
        insta::assert_snapshot!(format!("{text}\n----- diagnostics -----\n{rendered}"));
    });
}

#[test]
fn the_fixture_schema_alone_is_clean() {
    let schema = std::fs::read_to_string("tests/fixtures/schema.icp").expect("fixture schema");
    let sources = Sources::new(vec![file("schema.icp", schema)]);
    let checked = check(&sources).expect("the fixture schema checks");
    assert!(checked.warnings.is_empty());
}

#[test]
fn the_built_in_rules_are_clean() {
    let sources = icprules::rules::embedded();
    match check(&sources) {
        Ok(checked) => assert!(
            checked.warnings.is_empty(),
            "{}",
            render_plain(&checked.warnings, &sources)
        ),
        Err(diagnostics) => panic!("{}", render_plain(&diagnostics, &sources)),
    }
}
