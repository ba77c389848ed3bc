//! The evaluator's semantics, on the small schema of `tests/fixtures/schema.icp`:
//! quantifiers over empty lists, null handling, distinct counts, string
//! functions, overrides, documents and explanations.

use std::sync::Arc;

use icprules::check::{Program, check};
use icprules::eval::{Outcome, evaluate, read_application};
use icprules::source::{SourceFile, Sources};

fn compile(rules: &str) -> Program {
    let schema = std::fs::read_to_string("tests/fixtures/schema.icp").expect("fixture schema");
    let sources = Sources::new(vec![
        SourceFile {
            path: "schema.icp".into(),
            text: Arc::from(schema),
        },
        SourceFile {
            path: "rules.icp".into(),
            text: Arc::from(rules),
        },
    ]);
    match check(&sources) {
        Ok(checked) => checked.program,
        Err(d) => panic!("{}", icprules::diagnostic::render_plain(&d, &sources)),
    }
}

fn run(program: &Program, application: &str) -> Outcome {
    let data = read_application(&program.schema, application).expect("valid application");
    evaluate(program, &data)
}

/// An application of the fixture schema; `admins` and `domains` as given.
fn application(admins: &str, domains: &str) -> String {
    format!(
        r#"{{"province": "beijing",
            "subject": {{"type": "enterprise", "name": "Example Co", "legal_representative": null}},
            "admins": [{admins}], "domains": [{domains}], "documents": []}}"#
    )
}

fn admin(name: &str, age: i64, phone: &str) -> String {
    format!(
        r#"{{"name": "{name}", "age": {age}, "is_legal_representative": false, "phone": {phone}}}"#
    )
}

fn domain(name: &str, tld: &str) -> String {
    format!(r#"{{"name": "{name}", "tld": "{tld}", "expired": false}}"#)
}

/// Whether `condition` holds on the application.
fn holds(condition: &str, application: &str) -> bool {
    let program = compile(&format!(
        "ruleset t {{\n rule r {{\n source \"1\"\n require {condition}\n message \"failed\"\n }}\n}}\n"
    ));
    run(&program, application).findings.is_empty()
}

fn empty() -> String {
    application("", "")
}

#[test]
fn quantifiers_over_empty_lists() {
    assert!(holds("all a in admins: a.age > 100", &empty()));
    assert!(!holds("any a in admins: a.age > 0", &empty()));
    assert!(holds("none a in admins: a.age > 0", &empty()));
    assert!(holds("count(a in admins) == 0", &empty()));
    assert!(holds("len([a.name for a in admins]) == 0", &empty()));
}

#[test]
fn quantifiers_and_counts() {
    let app = application(
        &[admin("A", 17, "null"), admin("B", 30, "null")].join(","),
        "",
    );
    assert!(!holds("all a in admins: a.age >= 18", &app));
    assert!(holds("any a in admins: a.age >= 18", &app));
    assert!(!holds("none a in admins: a.age < 18", &app));
    assert!(holds("count(a in admins where a.age >= 18) == 1", &app));
    assert!(holds(
        "count(a in admins, b in admins where a.name != b.name) == 2",
        &app
    ));
}

#[test]
fn null_handling() {
    let with_phone = admin(
        "A",
        30,
        r#"{"number": "13900000001", "province": "tianjin"}"#,
    );
    let app = application(&[with_phone, admin("B", 30, "null")].join(","), "");
    // null equals only null; a field read through null is null.
    assert!(holds("subject.legal_representative == null", &app));
    assert!(holds("subject.legal_representative != \"Chen\"", &app));
    assert!(holds("count(a in admins where a.phone == null) == 1", &app));
    assert!(holds(
        "count(a in admins where a.phone.province == tianjin) == 1",
        &app
    ));
    assert!(holds(
        "count(a in admins where a.phone.province != tianjin) == 1",
        &app
    ));
    // narrowing: a checked place may be used where null is not allowed.
    assert!(holds(
        "all a in admins: a.phone == null or len(a.phone.number) == 11",
        &app
    ));
    // an absent optional key reads as null
    assert!(holds("note == null", &app));
}

#[test]
fn distinct_counts() {
    let app = application(
        "",
        &[
            domain("a.com", "com"),
            domain("a.cn", "cn"),
            domain("b.com.cn", "com.cn"),
        ]
        .join(","),
    );
    assert!(holds(
        "len(distinct([strip_suffix(d.name, \".\" + d.tld) for d in domains])) == 2",
        &app
    ));
    assert!(holds("len(distinct([d.tld for d in domains])) == 3", &app));
    assert!(holds(
        "len(distinct([d.tld for d in domains] + [d.tld for d in domains])) == 3",
        &app
    ));
    assert!(holds(
        "len(distinct([d.expired for d in domains])) == 1",
        &app
    ));
    assert!(holds(
        "len(distinct([d.tld for d in domains where d.expired])) == 0",
        &app
    ));
}

#[test]
fn string_functions() {
    let app = empty();
    assert!(holds(
        "contains(\"The Domain Names direct\", \"domain names\")",
        &app
    ));
    assert!(!holds("contains(\"abc\", \"abd\")", &app));
    // contains_word: whole words, ignoring case; a Chinese character is no
    // part of an English word, and overlapping occurrences are all tried.
    assert!(holds(
        "contains_word(\"Lanshan Wealth Management Co.\", \"wealth management\")",
        &app
    ));
    assert!(holds(
        "contains_word(\"Tianfu P2P Lending\", \"p2p\")",
        &app
    ));
    assert!(holds("contains_word(\"天府P2P网贷\", \"p2p\")", &app));
    assert!(holds("contains_word(\"(Pawn) Co.\", \"pawn\")", &app));
    assert!(holds("contains_word(\"Loan\", \"LOAN\")", &app));
    assert!(!holds("contains_word(\"Spawn Games\", \"pawn\")", &app));
    assert!(!holds("contains_word(\"Pawnshop\", \"pawn\")", &app));
    assert!(!holds("contains_word(\"Sloane Loans\", \"loan\")", &app));
    assert!(!holds("contains_word(\"Café\", \"caf\")", &app));
    assert!(holds("contains_word(\"yx x x\", \"x x\")", &app));
    assert!(!holds("contains_word(\"anything\", \"\")", &app));
    assert!(holds("starts_with(\"example.com\", \"exa\")", &app));
    assert!(holds("starts_with(\"example.com\", \"EXA\")", &app));
    assert!(!holds("starts_with(\"example.com\", \"xa\")", &app));
    assert!(holds("ends_with(\"Li's blog\", \"'s blog\")", &app));
    assert!(holds(
        "strip_suffix(\"example.com.cn\", \".com.cn\") == \"example\"",
        &app
    ));
    assert!(holds(
        "strip_suffix(\"example.com\", \".cn\") == \"example.com\"",
        &app
    ));
    assert!(holds("lower(\"Huayuan\") == \"huayuan\"", &app));
    assert!(holds("len(\"北京\") == 2", &app));
    assert!(holds("len(\"（集团）\") == 4", &app));
    assert!(holds(
        "before(\"example.com.cn\", \".\") == \"example\"",
        &app
    ));
    assert!(holds("before(\"localhost\", \".\") == \"localhost\"", &app));
    assert!(holds("\"a\" + \"b\" == \"ab\" and 2 + 3 - 1 == 4", &app));
}

#[test]
fn membership() {
    let app = empty();
    assert!(holds("province in {beijing, tianjin}", &app));
    assert!(holds("province not in {tianjin, guangdong}", &app));
    assert!(holds("subject.type in {enterprise}", &app));
    let app = application("", &domain("a.com", "com"));
    assert!(holds("\"com\" in [d.tld for d in domains]", &app));
    assert!(holds("\"cn\" not in [d.tld for d in domains]", &app));
}

#[test]
fn overrides_replace_a_rule_where_their_rule_set_applies() {
    let program = compile(
        r#"
ruleset national {
  rule named-subject {
    source "1"
    require subject.name == "Other"
    message "national"
  }
}
ruleset beijing when province == beijing {
  rule named-subject-in-beijing overrides national.named-subject {
    source "2"
    require subject.name == "Example Co"
    message "beijing"
  }
}
"#,
    );
    assert!(run(&program, &empty()).findings.is_empty());
    let elsewhere = run(&program, &empty().replace("\"beijing\"", "\"tianjin\""));
    let ids: Vec<&str> = elsewhere
        .findings
        .iter()
        .map(|f| program.rules[f.rule].id.as_str())
        .collect();
    assert_eq!(ids, ["national.named-subject"]);
}

#[test]
fn documents_are_matched_by_type_and_target() {
    let program = compile(
        r#"
ruleset t {
  document statement {
    source "1"
    requires authenticity_statement
    message "upload the statement"
  }
  document certificates {
    source "1"
    for d in domains
    requires domain_certificate for d.name
    message "upload the certificate of `{d.name}`"
  }
}
"#,
    );
    let app = application(
        "",
        &[domain("a.com", "com"), domain("b.com", "com")].join(","),
    )
    .replace(
        r#""documents": []"#,
        r#""documents": [{"type": "domain_certificate", "domain": "a.com"}]"#,
    );
    let outcome = run(&program, &app);
    let status: Vec<(String, Option<String>, bool)> = outcome
        .documents
        .iter()
        .map(|d| (d.kind.clone(), d.target.clone(), d.provided))
        .collect();
    assert_eq!(
        status,
        [
            ("authenticity_statement".to_string(), None, false),
            (
                "domain_certificate".to_string(),
                Some("a.com".to_string()),
                true
            ),
            (
                "domain_certificate".to_string(),
                Some("b.com".to_string()),
                false
            ),
        ]
    );
    let messages: Vec<&str> = outcome
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        messages,
        ["upload the statement", "upload the certificate of `b.com`"]
    );
}

#[test]
fn findings_explain_themselves() {
    let program = compile(
        r#"
ruleset t {
  rule adults {
    source "1"
    for a in admins
    require a.age >= 18 and a.name != ""
    message "`{a.name}` is {a.age}"
  }
  rule some-domain-expired {
    source "1"
    require any d in domains: d.expired
    message "no expired domain"
  }
}
"#,
    );
    let app = application(
        &[admin("A", 30, "null"), admin("B", 16, "null")].join(","),
        &domain("a.com", "com"),
    );
    let outcome = run(&program, &app);
    let adults = &outcome.findings[0];
    assert_eq!(adults.message, "`B` is 16");
    assert_eq!(adults.path, "admins[1].age");
    assert_eq!(
        adults.facts,
        [("admins[1].age".to_string(), "16".to_string())]
    );
    let expired = &outcome.findings[1];
    assert_eq!(
        expired.facts,
        [("domains[0].expired".to_string(), "no".to_string())]
    );
}

/// Text functions count and cut characters, not bytes, and those that ask
/// what a text says compare its wording: width, case, spacing and a final
/// full stop do not matter, other words do. `==` compares exactly.
#[test]
fn wording_and_characters() {
    let app = empty();
    for yes in [
        "contains(\"多个域名指向同一网站。\", \"域名指向同一网站\")",
        "contains(\"ＴＨＥ DOMAIN NAMES\", \"the domain names\")",
        "starts_with(\"本网站为个人网站，用于分享\", \"本网站为个人网站,用于\")",
        "ends_with(\"王芳的博客。\", \"的博客\")",
        "ends_with(\"Li' s blog\", \"’s blog\")",
        "same_wording(\"阿里巴巴（集团）有限公司\", \"阿里巴巴(集团)有限公司\")",
        "\"阿里巴巴（集团）有限公司\" != \"阿里巴巴(集团)有限公司\"",
        "before(\"北京市.海淀区\", \".\") == \"北京市\"",
        "strip_suffix(\"王芳的博客\", \"的博客\") == \"王芳\"",
        "len(strip_suffix(\"王芳的博客\", \"博客\")) == 3",
    ] {
        assert!(holds(yes, &app), "{yes}");
    }
    for no in [
        "contains(\"多个域名指向不同网站\", \"域名指向同一网站\")",
        "same_wording(\"阿里巴巴（集团）有限公司\", \"阿里巴巴集团有限公司\")",
        "ends_with(\"王芳的个人博客\", \"的博客\")",
        "starts_with(\"北京\", \"北京市\")",
    ] {
        assert!(!holds(no, &app), "{no}");
    }
}

/// A message speaks the program's language: enum values by their labels,
/// lists joined as the language joins them, yes/no and "not given" in words;
/// `id(x)` gives the identifier, as the application writes it.
#[test]
fn messages_speak_the_language_of_the_program() {
    let rules = r#"
ruleset t {
  rule r {
    source "1"
    for a in admins
    require a.phone != null and a.is_legal_representative
    message zh "{province}（{id(province)}）：{a.name}，电话 {a.phone.number}，法定代表人：{a.is_legal_representative}，{[d.name for d in domains]}"
            en "{province} ({id(province)}): {a.name}, phone {a.phone.number}, legal representative: {a.is_legal_representative}, {[d.name for d in domains]}"
  }
}
"#;
    let program = compile(rules);
    let app = application(
        &admin("A", 30, "null"),
        &[
            domain("a.com", "com"),
            domain("b.com", "com"),
            domain("c.com", "com"),
        ]
        .join(","),
    );
    let en = run(&program, &app);
    assert_eq!(
        en.findings[0].message,
        "Beijing (beijing): A, phone not given, legal representative: no, a.com, b.com and c.com"
    );
    let zh = run(&program.in_language(icprules::lang::Lang::Zh), &app);
    assert_eq!(
        zh.findings[0].message,
        "北京市（beijing）：A，电话 未填写，法定代表人：否，a.com、b.com、c.com"
    );
    assert_eq!(
        zh.findings[0].facts,
        [("admins[0].phone".to_string(), "未填写".to_string()),]
    );
}

/// A rule written in one language only speaks it in both.
#[test]
fn a_missing_language_falls_back_to_the_other() {
    let program = compile(
        "ruleset t {\n rule r {\n source \"1\"\n require false\n message \"english only\"\n }\n}\n",
    );
    let zh = run(&program.in_language(icprules::lang::Lang::Zh), &empty());
    assert_eq!(zh.findings[0].message, "english only");
}

#[test]
fn definitions_take_arguments_and_are_computed_once() {
    let program = compile(
        r#"
def is_adult(p: Person) = p.age >= 18
def adults = count(a in admins where is_adult(a))
ruleset t {
  rule two-adults {
    source "1"
    require adults == 2 and adults + 0 == 2
    message "{adults} adults"
  }
}
"#,
    );
    let app = application(
        &[admin("A", 30, "null"), admin("B", 16, "null")].join(","),
        "",
    );
    let outcome = run(&program, &app);
    assert_eq!(outcome.findings[0].message, "1 adults");
}
