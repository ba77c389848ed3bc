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
        let diagnostics: Vec<_> = match check(&sources) {
            Ok(checked) => checked.warnings,
            Err(diagnostics) => diagnostics,
        }
        .into_iter()
        // The fixtures' messages are in English only: that lint has its own.
        .filter(|d| d.code != "missing-translation" || name == "missing-translation.icp")
        .collect();
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

/// The built-in rules have no warning: every message, label and section
/// title is in Chinese and English.
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

#[test]
fn a_definition_of_a_file_not_imported_is_not_visible() {
    let schema = std::fs::read_to_string("tests/fixtures/schema.icp").expect("fixture schema");
    let rules = "ruleset r {\n  rule a {\n    source \"1\"\n    require is_enterprise\n    message zh \"甲\" en \"m\"\n  }\n}\n";
    let shared = "def is_enterprise = subject.type == enterprise\n";
    let mut sources = Sources::new(vec![
        file("schema.icp", schema),
        file("shared.icp", shared.to_string()),
        file("rules.icp", rules.to_string()),
    ]);
    let diagnostics = check(&sources).expect_err("not imported");
    assert_eq!(
        diagnostics.len(),
        1,
        "{}",
        render_plain(&diagnostics, &sources)
    );
    assert_eq!(diagnostics[0].code, "undefined-name");
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("`is_enterprise` is defined in `shared.icp`: import that file")
    );
    let imported = format!("import \"shared.icp\"\n{rules}");
    let at = sources.find("rules.icp").expect("rules.icp") as usize;
    sources.files[at] = file("rules.icp", imported);
    assert!(check(&sources).is_ok());
}

#[test]
fn a_rule_set_without_an_input_record_is_an_error_not_a_crash() {
    for schema in [
        "",
        "enum Application { a }\ninput Application\n",
        "input Missing\n",
    ] {
        let rules =
            "ruleset r {\n  rule a {\n    source \"1\"\n    require x\n    message \"m\"\n  }\n}\n";
        let sources = Sources::new(vec![
            file("schema.icp", schema.to_string()),
            file("rules.icp", rules.to_string()),
        ]);
        let diagnostics = check(&sources).expect_err("no input record");
        assert!(
            diagnostics
                .iter()
                .any(|d| d.code == "no-input" || d.code == "unknown-type"),
            "{}",
            render_plain(&diagnostics, &sources)
        );
    }
}

/// The diagnostics of a rule file checked with the fixture schema.
fn diagnostics_of(rules: &str) -> (Vec<icprules::diagnostic::Diagnostic>, Sources) {
    let schema = std::fs::read_to_string("tests/fixtures/schema.icp").expect("fixture schema");
    let sources = Sources::new(vec![
        file("schema.icp", schema),
        file("rules.icp", rules.to_string()),
    ]);
    let diagnostics = check(&sources).expect_err("broken");
    (diagnostics, sources)
}

#[test]
fn an_unclosed_rule_is_named_where_it_opens_not_where_the_parser_fails() {
    let rules = "ruleset r {\n  rule a {\n    source \"1\"\n    require true\n    message \"a\"\n\n  when subject.name != \"\" {\n    rule b {\n      source \"1\"\n      require true\n      message \"b\"\n    }\n  }\n}\n";
    let (diagnostics, sources) = diagnostics_of(rules);
    let shown = render_plain(&diagnostics, &sources);
    assert_eq!(diagnostics.len(), 1, "{shown}");
    assert_eq!(diagnostics[0].message, "the rule `r.a` is not closed");
    // At the `{` of `rule a`, and where its `}` is missing.
    assert_eq!(
        diagnostics[0].span.start as usize,
        rules.find("a {").unwrap() + 2
    );
    let (missing, label) = &diagnostics[0].related[0];
    assert_eq!(&rules[missing.range()], "when");
    assert_eq!(label, "`}` missing before this");
    assert!(!shown.contains("unexpected `{`"), "{shown}");
    // The file's last `}` left out: the rule set, underlined.
    let (diagnostics, sources) = diagnostics_of(
        "ruleset r {\n  rule a {\n    source \"1\"\n    require true\n    message \"a\"\n  }\n",
    );
    let shown = render_plain(&diagnostics, &sources);
    assert_eq!(diagnostics.len(), 1, "{shown}");
    assert_eq!(diagnostics[0].message, "the rule set `r` is not closed");
    assert!(!shown.contains("end of file"), "{shown}");
    // The last rule's `}` left out: the rule is not closed, and the end of
    // the file that follows the rule set's `}` is no second error.
    let (diagnostics, sources) = diagnostics_of(
        "ruleset r {\n  rule a {\n    source \"1\"\n    require true\n    message \"a\"\n}\n\n",
    );
    let shown = render_plain(&diagnostics, &sources);
    assert_eq!(diagnostics.len(), 1, "{shown}");
    assert_eq!(diagnostics[0].message, "the rule `r.a` is not closed");
    assert!(!shown.contains("end of file"), "{shown}");
}

#[test]
fn a_lone_brace_in_a_message_suggests_doubling_it() {
    let rule = |message: &str| {
        format!(
            "ruleset r {{\n  rule a {{\n    source \"1\"\n    require true\n    message \"{message}\"\n  }}\n}}\n"
        )
    };
    let (diagnostics, sources) = diagnostics_of(&rule("a { here"));
    let shown = render_plain(&diagnostics, &sources);
    assert_eq!(diagnostics[0].message, "a lone `{` in a message", "{shown}");
    assert!(shown.contains("write `{{`"), "{shown}");
    // Braces around words read as a `{expression}` that does not parse.
    let (diagnostics, sources) = diagnostics_of(&rule("use { and }"));
    let shown = render_plain(&diagnostics, &sources);
    assert_eq!(diagnostics.len(), 1, "{shown}");
    assert!(
        diagnostics[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("write `{{` and `}}`"),
        "{shown}"
    );
}

/// A comma left out between two values of an enum is one error, that says
/// to add it; the enum is still declared, so its values are not also
/// "not defined" wherever rules use them.
#[test]
fn a_missing_comma_in_an_enum_is_one_error() {
    let schema = std::fs::read_to_string("tests/fixtures/schema.icp")
        .expect("fixture schema")
        .replacen("en \"Beijing\",", "en \"Beijing\"", 1)
        .replacen("en \"enterprise\",", "en \"enterprise\"", 1);
    let rules = "ruleset r when province == tianjin {\n  rule a {\n    source \"1\"\n    when subject.type == individual\n    require true\n    message \"a\"\n  }\n}\n";
    let sources = Sources::new(vec![
        file("schema.icp", schema.clone()),
        file("rules.icp", rules.to_string()),
    ]);
    let all = check(&sources).expect_err("broken");
    let shown = render_plain(&all, &sources);
    // The rule's own warnings (a constant `require`, an English message) aside.
    let diagnostics: Vec<_> = all
        .iter()
        .filter(|d| !matches!(d.code, "constant-condition" | "missing-translation"))
        .collect();
    assert_eq!(diagnostics.len(), 2, "{shown}");
    for (d, (before, after)) in diagnostics
        .iter()
        .zip([("beijing", "tianjin"), ("enterprise", "individual")])
    {
        assert_eq!(
            d.message,
            format!("expected `,` between the enum values `{before}` and `{after}`"),
            "{shown}"
        );
        assert_eq!(&schema[d.span.range()], after, "{shown}");
        assert!(
            d.help
                .as_deref()
                .unwrap_or_default()
                .contains(&format!("`{before}`")),
            "{shown}"
        );
    }
}

/// `for` over a record names the record's lists, one of which was meant.
#[test]
fn for_over_a_record_names_its_lists() {
    let schema = "input Application\nrecord Website {\n  name: text zh \"名称\" en \"name\"\n  domains: [text] zh \"域名\" en \"domain\"\n  aliases: [text] zh \"别名\" en \"alias\"\n}\nrecord Application {\n  website: Website zh \"网站\" en \"website\"\n}\n";
    let rules = "ruleset r {\n  rule a {\n    source \"1\"\n    for d in website\n    require d != \"\"\n    message zh \"空\" en \"empty\"\n  }\n}\n";
    let sources = Sources::new(vec![
        file("schema.icp", schema.to_string()),
        file("rules.icp", rules.to_string()),
    ]);
    let diagnostics = check(&sources).expect_err("broken");
    let shown = render_plain(&diagnostics, &sources);
    assert_eq!(diagnostics.len(), 1, "{shown}");
    assert_eq!(
        diagnostics[0].help.as_deref(),
        Some("its lists: `website.domains`, `website.aliases`"),
        "{shown}"
    );
}

/// A province file copied from another with its `ruleset` name kept: each
/// rule is a duplicate, and the help says that the rule set's name is why.
#[test]
fn a_rule_set_copied_with_its_name_says_to_rename_it() {
    let schema = std::fs::read_to_string("tests/fixtures/schema.icp").expect("fixture schema");
    let rule = |when: &str| {
        format!(
            "ruleset r when province == {when} {{\n  rule a {{\n    source \"1\"\n    require subject.name != \"\"\n    message zh \"无名称\" en \"no name\"\n  }}\n}}\n"
        )
    };
    let sources = Sources::new(vec![
        file("schema.icp", schema),
        file("beijing.icp", rule("beijing")),
        file("tianjin.icp", rule("tianjin")),
    ]);
    let diagnostics = check(&sources).expect_err("a duplicate");
    let shown = render_plain(&diagnostics, &sources);
    assert_eq!(diagnostics.len(), 1, "{shown}");
    let help = diagnostics[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("both files say `ruleset r`"), "{shown}");
    // In one file, it is a rule given twice: no word of rule sets.
    let twice = rule("beijing").replace("}\n}\n", "}\n\n  rule a {\n    source \"1\"\n    require subject.name != \"x\"\n    message zh \"名称\" en \"name\"\n  }\n}\n");
    let (diagnostics, sources) = diagnostics_of(&twice);
    let shown = render_plain(&diagnostics, &sources);
    let duplicate = diagnostics
        .iter()
        .find(|d| d.code == "duplicate")
        .expect(&shown);
    assert!(
        !duplicate
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("ruleset"),
        "{shown}"
    );
}
