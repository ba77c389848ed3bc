//! The language server's queries, one feature at a time, as Gleam tests
//! its engine: a small rule set in editor buffers (nothing on disk), a
//! cursor `‸` in one file, and a snapshot of the answer.

use std::path::{Path, PathBuf};

use icprules::lsp::engine;
use icprules::lsp::files::{Settings, Workspace};
use icprules::lsp::snapshot::Snapshot;
use icprules::source::{FileId, Span};

const ROOT: &str = "/virtual/rules";

const SCHEMA: &str = r#"input Application
report province

uploads {
  list documents
  kind type
  target domain
}

sections {
  "1" "Overview"
  "5.3.1" zh "北京市备案规则" en "ICP Filing regulations for Beijing"
}

enum ProvinceId { beijing zh "北京市" en "Beijing", tianjin }

enum DocumentType { id_card_copy, certificate_of_change }

enum SubjectType { enterprise, individual }

record Application {
  province: ProvinceId
  subject: Subject
  websites: [Website]
  documents: [Upload]
  // Present when the filing changes an existing one.
  change?: Change
}

record Subject {
  name: text
  type: SubjectType
}

record Website {
  name: text
  domains: [Domain]
  remarks: text? // what the filer notes
}

record Domain {
  name: text
  holder: text
}

record Upload {
  type: DocumentType
  domain: text?
}

record Change {
  same_entity: bool zh "同一主体" en "same entity"
}
"#;

const COMMON: &str = r#"// Definitions shared by the national rules and the provinces.

// The subject is an enterprise.
def enterprise_filing = subject.type == enterprise

def holds(d: Domain, name: text) = d.holder == name
"#;

const NATIONAL: &str = r#"ruleset national {
  rule domain-holder-is-subject {
    source "1"
    for w in websites, d in w.domains
    require d.holder == subject.name
    message "the domain `{d.name}` is held by `{d.holder}`"
  }
}
"#;

const BEIJING: &str = r#"import "../common.icp"

ruleset beijing when province == beijing {
  rule domain-holder-is-the-enterprise overrides national.domain-holder-is-subject {
    source "5.3.1"
    for w in websites, d in w.domains
    when enterprise_filing
    require holds(d, subject.name)
    message "the domain `{d.name}` must be held by the enterprise"
  }

  document certificate-of-change {
    source "5.3.1"
    when change != null and change.same_entity
    requires certificate_of_change
    message "upload the certificate of change"
  }
}
"#;

const CURSOR: char = '‸';

/// A workspace holding the rule set, with `file` replaced by `text` (which
/// holds the cursor); the cursor's file and byte offset.
fn open(file: &str, text: &str) -> (Workspace, PathBuf, usize) {
    open_with(file, text, settings())
}

/// The rule set is in English only: `missing-translation` is not reported.
fn settings() -> Settings {
    Settings {
        allow: vec!["missing-translation".into()],
        ..Settings::default()
    }
}

fn open_with(file: &str, text: &str, settings: Settings) -> (Workspace, PathBuf, usize) {
    let mut workspace = Workspace::new(settings);
    let mut cursor = None;
    for (path, default) in [
        ("schema.icp", SCHEMA),
        ("common.icp", COMMON),
        ("national.icp", NATIONAL),
        ("provinces/beijing.icp", BEIJING),
    ] {
        let full = Path::new(ROOT).join(path);
        let content = if path == file { text } else { default };
        if let Some(at) = content.find(CURSOR) {
            cursor = Some((full.clone(), at));
        }
        workspace.open(full, content.replace(CURSOR, "").into(), 1);
    }
    let (path, at) = cursor.unwrap_or_else(|| (Path::new(ROOT).join(file), 0));
    (workspace, path, at)
}

/// `text` with the cursor put before the first occurrence of `before`.
fn at(text: &str, before: &str) -> String {
    let i = text
        .find(before)
        .unwrap_or_else(|| panic!("`{before}` in the text"));
    format!("{}{CURSOR}{}", &text[..i], &text[i..])
}

fn analysed<'w>(workspace: &'w mut Workspace, path: &Path) -> (&'w Snapshot, FileId) {
    workspace
        .snapshot_for(path)
        .expect("the file is in a rule set")
}

/// `path:line:column` and the text of a span.
fn place(snapshot: &Snapshot, span: Span) -> String {
    let view = snapshot.file(span.file);
    let (line, column) = icprules::source::line_column(&view.text, span.start as usize);
    let path = view.path.strip_prefix(ROOT).unwrap_or(&view.path);
    format!(
        "{}:{line}:{column} `{}`",
        path.display(),
        &view.text[span.range()]
    )
}

fn hover(file: &str, text: &str) -> String {
    let (mut workspace, path, offset) = open(file, text);
    let (snapshot, id) = analysed(&mut workspace, &path);
    let h = engine::hover(snapshot, id, offset).expect("a hover");
    format!("{}\n----\n{}", place(snapshot, h.span), h.markdown)
}

#[test]
fn hover_shows_a_field_its_type_presence_and_comment() {
    insta::assert_snapshot!(hover(
        "provinces/beijing.icp",
        &at(BEIJING, "same_entity\n")
    ));
    insta::assert_snapshot!(hover("schema.icp", &at(SCHEMA, "remarks")));
}

#[test]
fn hover_shows_a_definition_and_a_function() {
    insta::assert_snapshot!(hover(
        "provinces/beijing.icp",
        &at(BEIJING, "enterprise_filing")
    ));
    insta::assert_snapshot!(hover("provinces/beijing.icp", &at(BEIJING, "holds(")));
    let text = BEIJING.replace("holds(d, subject.name)", "len(d.name) > 0");
    insta::assert_snapshot!(hover("provinces/beijing.icp", &at(&text, "len(")));
}

#[test]
fn hover_shows_enum_values_and_locals() {
    insta::assert_snapshot!(hover("provinces/beijing.icp", &at(BEIJING, "beijing {")));
    insta::assert_snapshot!(hover(
        "provinces/beijing.icp",
        &at(BEIJING, "certificate_of_change")
    ));
    insta::assert_snapshot!(hover("provinces/beijing.icp", &at(BEIJING, "d, subject")));
}

#[test]
fn hover_on_a_source_shows_the_section_and_the_sentences_of_the_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    let table = dir.path().join("coverage.md");
    std::fs::write(
        &table,
        "| section | bullet | implemented by |\n|---|---|---|\n\
         | 5.3.1 | Domain: \"The domain name owner must be the ICP Filing owner.\" | `beijing.domain-holder-is-the-enterprise` |\n\
         | 5.3.1 | Change: \"Upload the certificate of change.\" | `beijing.certificate-of-change` |\n",
    )
    .expect("write");
    let settings = Settings {
        coverage: Some(table),
        ..settings()
    };
    let (mut workspace, path, offset) =
        open_with("provinces/beijing.icp", &at(BEIJING, "\"5.3.1\""), settings);
    let (snapshot, id) = analysed(&mut workspace, &path);
    let h = engine::hover(snapshot, id, offset + 2).expect("a hover");
    insta::assert_snapshot!(h.markdown);
}

#[test]
fn hover_on_an_override_shows_the_rule_it_replaces() {
    insta::assert_snapshot!(hover(
        "provinces/beijing.icp",
        &at(BEIJING, "domain-holder-is-subject {")
    ));
    insta::assert_snapshot!(hover(
        "national.icp",
        &at(NATIONAL, "domain-holder-is-subject")
    ));
}

fn definition(file: &str, text: &str) -> String {
    let (mut workspace, path, offset) = open(file, text);
    let (snapshot, id) = analysed(&mut workspace, &path);
    match engine::definition(snapshot, id, offset) {
        Some(span) => place(snapshot, span),
        None => "none".into(),
    }
}

#[test]
fn definition_goes_to_each_kind_of_declaration() {
    let b = "provinces/beijing.icp";
    let found = [
        definition(b, &at(BEIJING, "enterprise_filing")),
        definition(b, &at(BEIJING, "holds(")),
        definition(b, &at(BEIJING, "beijing {")),
        definition(b, &at(BEIJING, "certificate_of_change")),
        definition(b, &at(BEIJING, "\"../common")),
        definition(b, &at(BEIJING, "\"5.3.1\"")),
        definition(b, &at(BEIJING, "national.domain")),
        definition(b, &at(BEIJING, "same_entity\n")),
        definition(b, &at(BEIJING, "d, subject")),
        definition("common.icp", &at(COMMON, "Domain, name")),
    ];
    insta::assert_snapshot!(found.join("\n"));
}

#[test]
fn references_of_a_national_rule_are_the_rules_that_override_it() {
    let (mut workspace, path, offset) = open("national.icp", &at(NATIONAL, "domain-holder"));
    let (snapshot, id) = analysed(&mut workspace, &path);
    let found: Vec<String> = engine::references(snapshot, id, offset, true)
        .into_iter()
        .map(|s| place(snapshot, s))
        .collect();
    insta::assert_snapshot!(found.join("\n"));
    // A field: every use, in every file.
    let (mut workspace, path, offset) = open("schema.icp", &at(SCHEMA, "holder: text"));
    let (snapshot, id) = analysed(&mut workspace, &path);
    let found: Vec<String> = engine::references(snapshot, id, offset, false)
        .into_iter()
        .map(|s| place(snapshot, s))
        .collect();
    insta::assert_snapshot!(found.join("\n"));
}

fn complete(file: &str, text: &str) -> String {
    let (mut workspace, path, offset) = open(file, text);
    let (snapshot, id) = analysed(&mut workspace, &path);
    let Some(c) = engine::complete(snapshot, id, offset) else {
        return "none".into();
    };
    let mut out = format!("replace {}\n", place(snapshot, c.replace));
    for item in c.items {
        out.push_str(&format!(
            "{} ({:?}){}\n",
            item.label,
            item.kind,
            item.detail.map(|d| format!(" {d}")).unwrap_or_default()
        ));
    }
    out
}

/// Beijing with `old` replaced by `new`, the cursor at the end of `new`.
fn typed(old: &str, new: &str) -> String {
    let text = BEIJING.replacen(old, &format!("{new}{CURSOR}"), 1);
    assert_ne!(text, BEIJING, "`{old}` is in the text");
    text
}

#[test]
fn completion_offers_the_fields_of_the_type_at_hand() {
    // A binder of the rule, in a half-typed (broken) buffer.
    insta::assert_snapshot!(complete(
        "provinces/beijing.icp",
        &typed("holds(d, subject.name)", "d.")
    ));
    // A binder typed since the last good analysis.
    insta::assert_snapshot!(complete(
        "provinces/beijing.icp",
        &typed("holds(d, subject.name)", "any u in documents: u.")
    ));
    // A message hole, a part of a word.
    insta::assert_snapshot!(complete(
        "provinces/beijing.icp",
        &typed("must be held by the enterprise", "{w.na")
    ));
}

#[test]
fn completion_offers_enum_values_where_an_enum_is_expected() {
    insta::assert_snapshot!(complete(
        "provinces/beijing.icp",
        &typed("province == beijing", "province == ")
    ));
    insta::assert_snapshot!(complete(
        "provinces/beijing.icp",
        &typed("enterprise_filing\n", "subject.type in {enterprise, ")
    ));
}

#[test]
fn completion_offers_what_a_clause_names() {
    let b = "provinces/beijing.icp";
    let found = [
        complete(b, &typed("requires certificate_of_change", "requires ")),
        complete(
            b,
            &typed(
                "overrides national.domain-holder-is-subject",
                "overrides national.dom",
            ),
        ),
        complete(
            b,
            &typed("source \"5.3.1\"\n    when change", "source \"5."),
        ),
        complete(b, &typed("import \"../common.icp\"", "import \"")),
        complete(b, &typed("    message \"upload", "    mes")),
    ];
    insta::assert_snapshot!(found.join("----\n"));
}

fn actions(file: &str, text: &str) -> String {
    let (mut workspace, path, offset) = open(file, text);
    let (snapshot, id) = analysed(&mut workspace, &path);
    let mut out = String::new();
    for action in engine::actions(snapshot, id, offset, offset) {
        let mut fixed = snapshot.text(id).to_string();
        for edit in action.edits.iter().rev() {
            fixed.replace_range(edit.span.range(), &edit.text);
        }
        let diff = similar::TextDiff::from_lines(snapshot.text(id), &fixed)
            .unified_diff()
            .context_radius(1)
            .to_string();
        out.push_str(&format!("{} [{}]\n{diff}", action.title, action.fixes.code));
    }
    out
}

#[test]
fn quick_fixes_do_what_the_diagnostic_asks() {
    let b = "provinces/beijing.icp";
    let found = [
        // did you mean
        actions(
            b,
            &at(
                &BEIJING.replace("same_entity\n", "same_entty\n"),
                "same_entty",
            ),
        ),
        // the missing import
        actions(
            b,
            &at(
                &BEIJING.replace("import \"../common.icp\"\n", ""),
                "enterprise_filing",
            ),
        ),
        // the `!= null` check
        actions(
            b,
            &at(
                &BEIJING.replace(
                    "when change != null and change.same_entity",
                    "when change.same_entity",
                ),
                "change.same_entity",
            ),
        ),
        // silencing a lint on the rule
        actions(
            b,
            &at(&BEIJING.replace("\"upload the", "\"Upload the"), "\"Upload"),
        ),
    ];
    insta::assert_snapshot!(found.join("========\n"));
}

#[test]
fn an_allow_comment_silences_a_lint_on_its_rule_only() {
    let text = BEIJING
        .replace("\"upload the", "\"Upload the")
        .replace("\"the domain", "\"The domain");
    let allowed = text.replace(
        "  document certificate",
        "  // icprules: allow message-style\n  document certificate",
    );
    let codes = |text: &str| {
        let (mut workspace, path, _) = open("provinces/beijing.icp", text);
        let (snapshot, id) = analysed(&mut workspace, &path);
        snapshot
            .diagnostics(id)
            .iter()
            .map(|d| place(snapshot, d.span))
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(&text).len(), 2);
    let left = codes(&allowed);
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].contains("The domain"), "{left:?}");
    let typo = text.replace(
        "  document certificate",
        "  // icprules: allow mesage-style\n  document certificate",
    );
    let (mut workspace, path, _) = open("provinces/beijing.icp", &typo);
    let (snapshot, id) = analysed(&mut workspace, &path);
    let unknown: Vec<&str> = snapshot
        .diagnostics(id)
        .iter()
        .filter(|d| d.code == "unknown-lint")
        .map(|d| d.help.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(unknown, ["did you mean `message-style`?"]);
}

#[test]
fn formatting_edits_only_the_lines_that_change() {
    let messy = BEIJING.replace(
        "  document certificate-of-change {",
        "  document   certificate-of-change{",
    );
    let (mut workspace, path, _) = open("provinces/beijing.icp", &messy);
    let (snapshot, id) = analysed(&mut workspace, &path);
    let edits = engine::format(snapshot, id).expect("formats");
    assert_eq!(edits.len(), 1);
    let mut text = messy.clone();
    for edit in edits.iter().rev() {
        text.replace_range(edit.span.range(), &edit.text);
    }
    assert_eq!(text, BEIJING);
    let broken = BEIJING.replace("source \"1\"", "source");
    let (mut workspace, path, _) = open("provinces/beijing.icp", &broken);
    let (snapshot, id) = analysed(&mut workspace, &path);
    assert!(engine::format(snapshot, id).is_ok());
    let broken = BEIJING.replace("requires certificate_of_change", "requires");
    let (mut workspace, path, _) = open("provinces/beijing.icp", &broken);
    let (snapshot, id) = analysed(&mut workspace, &path);
    let why = engine::format(snapshot, id).expect_err("syntax errors");
    assert!(why.contains("syntax error"), "{why}");
}

#[test]
fn the_outline_holds_rule_sets_groups_rules_and_declarations() {
    fn render(items: &[engine::Outline], depth: usize, out: &mut String) {
        for o in items {
            out.push_str(&format!(
                "{}{:?} {}{}\n",
                "  ".repeat(depth),
                o.kind,
                o.name,
                o.detail
                    .as_ref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            ));
            render(&o.children, depth + 1, out);
        }
    }
    let mut out = String::new();
    for (file, text) in [
        ("schema.icp", SCHEMA),
        ("common.icp", COMMON),
        ("provinces/beijing.icp", BEIJING),
    ] {
        let (mut workspace, path, _) = open(file, text);
        let (snapshot, id) = analysed(&mut workspace, &path);
        out.push_str(&format!("{file}\n"));
        render(&engine::outline(snapshot, id), 1, &mut out);
    }
    insta::assert_snapshot!(out);
}

#[test]
fn semantic_tokens_tell_fields_values_definitions_and_locals_apart() {
    let (mut workspace, path, _) = open("provinces/beijing.icp", BEIJING);
    let (snapshot, id) = analysed(&mut workspace, &path);
    let tokens = engine::tokens(snapshot, id);
    let line = BEIJING
        .lines()
        .position(|l| l.contains("require holds"))
        .expect("line");
    let found: Vec<String> = tokens
        .iter()
        .filter(|t| icprules::source::line_column(BEIJING, t.span.start as usize).0 == line + 1)
        .map(|t| {
            format!(
                "{} {}",
                &BEIJING[t.span.range()],
                engine::TOKEN_KINDS[t.kind as usize]
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "require keyword",
            "holds function",
            "d variable",
            "subject property",
            "name property"
        ]
    );
}

#[test]
fn a_broken_file_keeps_the_last_good_analysis_and_the_others_their_diagnostics() {
    let mut workspace = Workspace::new(settings());
    let file = |p: &str| Path::new(ROOT).join(p);
    for (path, text) in [
        ("schema.icp", SCHEMA),
        ("common.icp", COMMON),
        ("national.icp", NATIONAL),
        ("provinces/beijing.icp", BEIJING),
    ] {
        workspace.open(file(path), text.into(), 1);
    }
    workspace.refresh();
    // A typo in national.icp, then a half-typed line in common.icp.
    let national = NATIONAL.replace("subject.name", "subject.nme");
    workspace.change(file("national.icp"), national.into(), 2);
    let half = COMMON.replace(
        "def holds",
        "def holds_twice = enterprise_filing and\ndef holds",
    );
    workspace.change(file("common.icp"), half.into(), 2);
    let published: Vec<String> = workspace
        .refresh()
        .iter()
        .map(|p| {
            p.path
                .strip_prefix(ROOT)
                .unwrap_or(&p.path)
                .display()
                .to_string()
        })
        .collect();
    // Every open file hears, the clean ones that they are clean.
    assert_eq!(
        published,
        [
            "common.icp",
            "national.icp",
            "provinces/beijing.icp",
            "schema.icp"
        ]
    );
    let (snapshot, common) = analysed(&mut workspace, &file("common.icp"));
    let codes = |id| -> Vec<&str> { snapshot.diagnostics(id).iter().map(|d| d.code).collect() };
    assert_eq!(codes(common), ["syntax"]);
    let national = snapshot.file_id(&file("national.icp")).expect("national");
    assert_eq!(codes(national), ["unknown-field"]);
    // `holds` is still defined (the last good text of common.icp) and used.
    let beijing = snapshot
        .file_id(&file("provinces/beijing.icp"))
        .expect("beijing");
    assert_eq!(codes(beijing), Vec::<&str>::new());
    // Hover in the broken file answers from the last good analysis, at the
    // right place of the text being typed.
    let text = snapshot.text(common);
    let at = text.find("subject.type").expect("in the text") + 9;
    let h = engine::hover(snapshot, common, at).expect("a hover");
    assert_eq!(&text[h.span.range()], "type");
    // Once fixed, the rule set is clean again and the diagnostics go.
    workspace.change(file("common.icp"), COMMON.into(), 3);
    workspace.change(file("national.icp"), NATIONAL.into(), 3);
    assert_eq!(workspace.refresh().len(), 4);
    let (snapshot, _) = workspace
        .snapshot_for(&file("national.icp"))
        .expect("national");
    assert!(snapshot.analysis.program.is_some());
}

#[test]
fn the_test_lens_runs_the_cases_of_the_rule_set() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = dir.path().join("beijing");
    std::fs::create_dir_all(&cases).expect("mkdir");
    let application = |holder: &str| {
        format!(
            r#"{{"province": "beijing", "subject": {{"name": "Acme", "type": "enterprise"}},
               "websites": [{{"name": "w", "domains": [{{"name": "acme.cn", "holder": "{holder}"}}], "remarks": null}}],
               "documents": []}}"#
        )
    };
    std::fs::write(cases.join("accept-enterprise.json"), application("Acme")).expect("write");
    std::fs::write(
        cases.join("domain-holder-is-the-enterprise.json"),
        application("Someone"),
    )
    .expect("write");
    let settings = Settings {
        cases: Some(dir.path().to_path_buf()),
        ..settings()
    };
    let (mut workspace, path, _) = open_with("provinces/beijing.icp", BEIJING, settings);
    let (snapshot, id) = analysed(&mut workspace, &path);
    let lenses = engine::lenses(snapshot, id);
    assert_eq!(lenses.len(), 1);
    assert_eq!(
        lenses[0].title,
        "▶ tests of beijing: 2 passed, 0 failed; 1 of 2 rules covered"
    );
    assert_eq!(lenses[0].ruleset.as_deref(), Some("beijing"));
    let (snapshot, id) = {
        let path = Path::new(ROOT).join("national.icp");
        workspace.snapshot_for(&path).expect("national")
    };
    let lenses = engine::lenses(snapshot, id);
    assert!(
        lenses[0]
            .title
            .starts_with("no test cases: add applications to"),
        "{}",
        lenses[0].title
    );
    assert_eq!(lenses[0].ruleset, None);
}
