//! What the checker finds wrong with a rule set.

use thiserror::Error;

use super::schema::RecordDef;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::source::{Span, Spanned};

#[derive(Clone, Debug, Error)]
pub enum CheckError {
    #[error("unknown type `{name}`")]
    UnknownType {
        name: String,
        span: Span,
        help: Option<String>,
    },
    #[error("`{name}` is declared twice")]
    Duplicate {
        name: String,
        span: Span,
        what: &'static str,
        /// The first declaration, and where it is (`path:line`).
        first: Option<(Span, String)>,
        /// Of a rule id whose first declaration is in another file: the name
        /// of the rule set both files declare, likely copied with its rules.
        ruleset_elsewhere: Option<String>,
    },
    /// Two versions of one rule in force on a same day.
    #[error("two versions of `{id}` are in force on the same days")]
    OverlappingVersions {
        id: String,
        span: Span,
        window: crate::date::Window,
        /// The earlier version, and where it is (`path:line`).
        first: (Span, String),
        first_window: crate::date::Window,
    },
    /// A `let` name used where the rule's `let`s are not computed yet.
    #[error("`{name}` is a `let` of this rule, which `{clause}` cannot see")]
    LetNotVisible {
        name: String,
        span: Span,
        clause: &'static str,
        declared: Span,
    },
    #[error("the rule set declares no `input` record")]
    NoInput { span: Span },
    #[error("the input record is declared twice")]
    SecondInput { span: Span },
    #[error("`input` must name a record, not `{name}`")]
    InputNotRecord { name: String, span: Span },
    #[error("{message}")]
    BadDeclaration { message: String, span: Span },
    #[error("import `{path}` leads outside the rule set")]
    ImportOutside {
        path: String,
        span: Span,
        /// Written as an absolute path.
        absolute: bool,
    },
    #[error("{what}")]
    RedundantImport { what: String, span: Span },
    #[error("no rule file `{path}`")]
    UnknownImport {
        path: String,
        span: Span,
        help: Option<String>,
    },
    #[error("unknown field `{field}` in `{record}`")]
    UnknownField {
        field: String,
        record: String,
        span: Span,
        help: Option<String>,
    },
    #[error("`{ty}` has no fields")]
    NotARecord {
        ty: String,
        span: Span,
        help: Option<String>,
    },
    #[error("unknown value `{value}` of enum `{ty}`")]
    UnknownEnumValue {
        value: String,
        ty: String,
        span: Span,
        help: Option<String>,
    },
    #[error("`{name}` is not defined")]
    UndefinedName {
        name: String,
        span: Span,
        help: Option<String>,
    },
    #[error("type mismatch: {message}")]
    TypeMismatch {
        message: String,
        span: Span,
        label: String,
        help: Option<String>,
    },
    #[error("the condition is `{found}`, not `bool`")]
    NotBoolean { found: String, span: Span },
    #[error("`{what}` may be null here")]
    MayBeNull { what: String, span: Span },
    #[error("unknown function `{name}`")]
    UnknownFunction {
        name: String,
        span: Span,
        help: Option<String>,
    },
    #[error("`{name}` takes {expected} argument{}, found {found}", if *.expected == 1 { "" } else { "s" })]
    WrongArgumentCount {
        name: String,
        expected: usize,
        found: usize,
        span: Span,
    },
    #[error("unknown document type `{name}`")]
    UnknownDocumentType {
        name: String,
        span: Span,
        help: Option<String>,
    },
    #[error("`{id}` overrides `{target}`, which does not exist")]
    UnknownOverride {
        id: String,
        target: String,
        span: Span,
        help: Option<String>,
    },
    #[error("`{name}` is defined in terms of itself")]
    Recursive { name: String, span: Span },
    #[error("{kind} `{id}` cites no source")]
    MissingSource {
        id: String,
        kind: &'static str,
        span: Span,
    },
    #[error("{kind} `{id}` has no `{clause}`")]
    MissingClause {
        id: String,
        kind: &'static str,
        clause: &'static str,
        span: Span,
    },
    #[error("{message}")]
    Misused {
        message: String,
        span: Span,
        label: String,
        help: Option<String>,
    },
    #[error(
        "evaluation nests too deep: more than {limit} levels, counting the definitions it calls"
    )]
    TooDeep { span: Span, limit: usize },
    #[error("`{name}` is never used")]
    UnusedDefinition { name: String, span: Span },
    #[error(
        "each call of `{name}` evaluates {bodies} definition bodies (loops aside): its work grows exponentially with the definitions it calls"
    )]
    RunawayDefinition {
        name: String,
        bodies: u64,
        span: Span,
    },
    #[error("section `{section}` is not in the declared `sections`")]
    UnknownSection {
        section: String,
        span: Span,
        help: Option<String>,
    },
}

impl CheckError {
    /// `name` is not a field of `record`, with the closest field as help.
    pub fn unknown_field(record: &RecordDef, name: &Spanned<String>) -> CheckError {
        CheckError::UnknownField {
            field: name.node.clone(),
            record: record.name.clone(),
            span: name.span,
            help: did_you_mean(&name.node, record.fields.iter().map(|f| f.name.as_str())),
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        use CheckError::*;
        let message = self.to_string();
        let (code, span, label, help): (&'static str, Span, String, Option<String>) = match self {
            UnknownType { span, help, .. } => ("unknown-type", *span, "not a declared type".into(), help.clone()),
            Duplicate { span, what, first, ruleset_elsewhere, .. } => (
                "duplicate",
                *span,
                format!("second {what} of this name"),
                first.as_ref().map(|(_, at)| {
                    let mut help = format!("the first is at {at}: rename or remove one of them");
                    if let Some(ruleset) = ruleset_elsewhere {
                        help.push_str(&format!(
                            "; or, if this file is another rule set, give it a name of its own: \
                             both files say `ruleset {ruleset}`, and a rule set's name is the first part of its ids"
                        ));
                    }
                    help
                }),
            ),
            OverlappingVersions { span, window, first, first_window, .. } => (
                "overlapping-versions",
                *span,
                format!("in force {window}"),
                Some(format!(
                    "the version at {} is in force {first_window}: end one with `in force until` \
                     the day before the other's `from`",
                    first.1
                )),
            ),
            LetNotVisible { span, clause, .. } => (
                "undefined-name",
                *span,
                format!("used in `{clause}`"),
                Some(if *clause == "let" {
                    "a `let` sees the `let`s before it: move this one after it".to_string()
                } else {
                    format!(
                        "`let` names are computed once `when` holds, and are visible in `require`, `message` and `at`: \
                         write the expression in `{clause}` itself, or name it with `def`"
                    )
                }),
            ),
            NoInput { span } => (
                "no-input",
                *span,
                "in this rule set".into(),
                Some("declare which record an application is, e.g. `input Application`".into()),
            ),
            SecondInput { span } => ("duplicate", *span, "second `input`".into(), None),
            InputNotRecord { span, .. } => ("no-input", *span, "not a record".into(), None),
            BadDeclaration { span, .. } => ("bad-declaration", *span, "here".into(), None),
            UnknownImport { span, help, .. } => ("unknown-import", *span, "no such file".into(), help.clone()),
            ImportOutside { span, absolute, .. } => (
                "import-outside",
                *span,
                "outside the rule set".into(),
                Some(if *absolute {
                    "an import is a path relative to the importing file's folder (`common.icp`, \
                     `../common.icp`), not an absolute path"
                        .into()
                } else {
                    "an import names a file of the same rule set, relative to the importing \
                     file's folder: remove the `..` that go above the rule set's folder"
                        .into()
                }),
            ),
            RedundantImport { span, .. } => (
                "redundant-import",
                *span,
                "imports nothing new".into(),
                Some("remove this import".into()),
            ),
            UnknownField { span, help, record, .. } => {
                ("unknown-field", *span, format!("not a field of `{record}`"), help.clone())
            }
            NotARecord { span, help, .. } => ("unknown-field", *span, "not a record".into(), help.clone()),
            UnknownEnumValue { span, help, ty, .. } => {
                ("unknown-enum-value", *span, format!("not a value of `{ty}`"), help.clone())
            }
            UndefinedName { span, help, .. } => ("undefined-name", *span, "not defined".into(), help.clone()),
            TypeMismatch { span, label, help, .. } => ("type-mismatch", *span, label.clone(), help.clone()),
            NotBoolean { span, found, .. } => (
                "non-boolean-condition",
                *span,
                format!("this is `{found}`"),
                Some("a condition must be true or false: compare the value, e.g. `x == ...` or `x > 0`".into()),
            ),
            MayBeNull { span, what } => (
                "may-be-null",
                *span,
                "may be null".into(),
                Some(format!(
                    "check it first: `{what} != null and ...`, or put `when {what} != null` on the rule"
                )),
            ),
            UnknownFunction { span, help, .. } => ("unknown-function", *span, "no such function".into(), help.clone()),
            WrongArgumentCount { span, .. } => ("wrong-arguments", *span, "in this call".into(), None),
            UnknownDocumentType { span, help, .. } => {
                ("unknown-document-type", *span, "not a document type".into(), help.clone())
            }
            UnknownOverride { span, help, .. } => ("unknown-override", *span, "no rule has this id".into(), help.clone()),
            Recursive { span, .. } => (
                "recursive-definition",
                *span,
                "used here, inside its own definition".into(),
                Some("definitions cannot call themselves, directly or through others".into()),
            ),
            MissingSource { span, .. } => (
                "missing-source",
                *span,
                "no `source`".into(),
                Some("cite the section of the regulations the rule comes from, e.g. `source \"4.2\"`".into()),
            ),
            MissingClause { span, clause, .. } => (
                "missing-clause",
                *span,
                format!("no `{clause}`"),
                Some(
                    match *clause {
                        "message" => "add the message for the filer, in both languages: `message zh \"…\" en \"…\"`",
                        "require" => "add the condition an application must meet: `require CONDITION`",
                        _ => "add the document it asks for: `requires DOCUMENT_TYPE` (or `requires DOCUMENT_TYPE for d.name`, one per domain)",
                    }
                    .into(),
                ),
            ),
            Misused { span, label, help, .. } => ("misused", *span, label.clone(), help.clone()),
            TooDeep { span, .. } => (
                "too-deep",
                *span,
                "nests too deep".into(),
                Some("definitions that call each other add up: call fewer in a chain, or give parts a name with `let`".into()),
            ),
            RunawayDefinition { span, .. } => (
                "runaway-definition",
                *span,
                "calls definitions that call definitions many times over".into(),
                Some("call each definition once: compute a value used twice in a definition without parameters (evaluated once per application) or a `let` of the rule; a rule that takes more steps than its budget stops with an error".into()),
            ),
            UnusedDefinition { span, .. } => (
                "unused-definition",
                *span,
                "defined here".into(),
                Some("remove it, or use it in a rule".into()),
            ),
            UnknownSection { span, help, .. } => (
                "unknown-section",
                *span,
                "no such section in the cited document".into(),
                help.clone().or_else(|| Some("cite a section of the `sections` declaration".into())),
            ),
        };
        // Codes that are named lints take their level from the lint table.
        let diagnostic = match super::lints::default_level(code) {
            Some(crate::diagnostic::Level::Warning) => {
                Diagnostic::warning(code, message, span, label)
            }
            _ => Diagnostic::error(code, message, span, label),
        };
        let diagnostic = diagnostic.with_help(help);
        match self {
            Duplicate {
                first: Some((first, _)),
                ..
            } => diagnostic.with_related(*first, "first declared here"),
            OverlappingVersions {
                first: (first, _),
                first_window,
                ..
            } => diagnostic.with_related(*first, format!("in force {first_window}")),
            LetNotVisible { declared, .. } => diagnostic.with_related(*declared, "declared here"),
            _ => diagnostic,
        }
    }
}
