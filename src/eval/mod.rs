//! Step three: runs a checked program on one application.

mod explain;
mod expr;
pub mod fuel;
mod input;
mod locate;
pub mod wording;

pub use input::{
    InputError, InputErrors, MAX_INPUT_ERRORS, MAX_LIST_ELEMENTS, Mismatch, Related, decode,
    read_application,
};

use crate::check::Program;
use crate::check::program::{MessagePart, RuleCheck, RuleCode};
use crate::lang::Localized;
use crate::syntax::ast::Severity;
use crate::value::{Data, Val};
use expr::Evaluator;
use std::collections::HashMap;

/// How much a finding explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// The path of the fact concerned and the facts that made the condition
    /// fail: for people (the human result).
    Facts,
    /// The path only, for results that show no facts (JSON): finding the
    /// facts costs more than checking.
    Path,
}

/// What the rules say about one application.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub documents: Vec<DocumentStatus>,
    /// The day the application was checked on: the rules in force then ran
    /// ([`Program::date_of`]).
    pub as_of: Option<crate::date::Date>,
    /// Rules stopped for taking more steps than their budget (see
    /// [`fuel`]): each has a finding saying so, and the application is not
    /// accepted, whatever the rule's severity.
    pub stopped: Vec<usize>,
    /// Steps the evaluation took, in all and the most one rule took (see
    /// [`fuel`]): a measure of work that does not depend on the machine.
    pub steps: u64,
    pub most_steps: u64,
}

impl Outcome {
    pub fn accepted(&self, program: &Program) -> bool {
        self.stopped.is_empty()
            && !self
                .findings
                .iter()
                .any(|f| program.rules[f.rule].severity == Severity::Error)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Index of the rule in [`Program::rules`].
    pub rule: usize,
    pub message: String,
    /// JSON path of the fact concerned.
    pub path: String,
    /// The facts that made the condition fail: path and value (none with
    /// [`Detail::Path`]).
    pub facts: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DocumentStatus {
    pub rule: usize,
    /// The document type, as its enum value's name.
    pub kind: String,
    /// What it is for (the `for` of `requires TYPE for X`), for per-item documents.
    pub target: Option<String>,
    pub provided: bool,
}

/// Reads an application and checks the invariants of its format: what
/// `icprules check` accepts as input. An application in the format that
/// fails invariants gets an error for each, placed at the fact it names.
pub fn read(program: &Program, json: &str) -> Result<Data, InputErrors> {
    let data = read_application(&program.schema, json)?;
    let failed = failed_invariants(program, &data);
    if failed.is_empty() {
        return Ok(data);
    }
    let mut errors: Vec<InputError> = failed
        .into_iter()
        .map(|(_, mut error)| {
            input::place_fact(json, &mut error, program.language);
            error
        })
        .collect();
    input::sort_by_place(&mut errors);
    Err(InputErrors { errors, more: 0 })
}

/// [`read`] for the bytes of a file: they must be UTF-8 text.
pub fn read_bytes(program: &Program, bytes: &[u8]) -> Result<Data, InputErrors> {
    read(program, decode(bytes)?)
}

/// Checks the invariants of the input format: one that fails makes the
/// application invalid. The errors are not placed in a text.
pub fn validate(program: &Program, application: &Data) -> Result<(), InputErrors> {
    let failed = failed_invariants(program, application);
    if failed.is_empty() {
        return Ok(());
    }
    Err(InputErrors {
        errors: failed.into_iter().map(|(_, error)| error).collect(),
        more: 0,
    })
}

/// The invariants the application fails, by index in [`Program::invariants`],
/// each with the error of its first failure: its path, and the facts behind
/// it as [`InputError::related`] (not yet placed in the text). A valid
/// application (the usual case) has every invariant evaluated either way.
pub fn failed_invariants(program: &Program, application: &Data) -> Vec<(usize, InputError)> {
    let mut eval = Evaluator::new(program, application);
    let mut failed = Vec::new();
    for (index, invariant) in program.invariants.iter().enumerate() {
        eval.start_frame(invariant.frame);
        let mut failure = None;
        eval.for_each(&invariant.binders, &mut |eval| {
            failure = failed_condition(eval, invariant);
            failure.is_none() && !eval.exhausted()
        });
        if eval.exhausted() {
            let message = out_of_fuel(&mut eval, invariant);
            failed.push((index, InputError::new("", message)));
            continue;
        }
        if let Some(Failed {
            path,
            message,
            facts,
        }) = failure
        {
            let related = facts
                .into_iter()
                .filter(|(fact, _)| *fact != path)
                .map(|(fact, value)| Related {
                    // As the human report writes a fact.
                    label: format!(
                        "{}{}{value}",
                        program.schema.describe_path(&fact, program.language),
                        program.language.colon()
                    ),
                    path: fact,
                    span: None,
                })
                .collect();
            let error = InputError {
                related,
                ..InputError::new(path, message)
            };
            failed.push((index, error));
        }
    }
    failed
}

/// Whether the rule's `when` holds for the current binders; if so, binds its
/// `let`s.
fn applies(eval: &mut Evaluator<'_, '_>, rule: &RuleCode) -> bool {
    if let Some(when) = &rule.when
        && !eval.eval(when).as_bool()
    {
        return false;
    }
    for (slot, value) in &rule.lets {
        let v = eval.eval(value);
        eval.set(*slot, v);
    }
    true
}

/// A rule whose `require` fails: the path of the fact concerned, the
/// message and the facts behind it.
struct Failed {
    path: String,
    message: String,
    facts: Vec<(String, String)>,
}

/// How the rule's `require` fails here, if it does.
fn failed_condition(eval: &mut Evaluator<'_, '_>, rule: &RuleCode) -> Option<Failed> {
    if !applies(eval, rule) {
        return None;
    }
    let RuleCheck::Require(cond) = &rule.check else {
        return None;
    };
    if eval.eval(cond).as_bool() {
        return None;
    }
    // Only for an invalid application: the facts are worth finding.
    let (path, facts) = eval.explain(cond, rule, Detail::Facts);
    Some(Failed {
        path,
        message: render(eval, &rule.message),
        facts,
    })
}

/// How a rule fared over some applications: for test coverage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    /// It applied somewhere and held (a document was provided).
    pub passed: bool,
    /// It gave a finding somewhere.
    pub failed: bool,
}

/// Runs every applicable rule of the program on the application.
pub fn evaluate(program: &Program, application: &Data) -> Outcome {
    evaluate_counting(program, application, Detail::Facts, None)
}

/// [`evaluate`], explaining findings as much as `detail` says.
pub fn evaluate_with(program: &Program, application: &Data, detail: Detail) -> Outcome {
    evaluate_counting(program, application, detail, None)
}

/// [`evaluate_with`], also recording in `hits` (one per rule) which rules
/// held and which failed.
pub fn evaluate_counting(
    program: &Program,
    application: &Data,
    detail: Detail,
    hits: Option<&mut [Hits]>,
) -> Outcome {
    let as_of = program.date_of(application);
    evaluate_on(program, application, detail, hits, as_of)
}

/// [`evaluate_counting`] on a day the caller chose (`diff` checks an
/// application on one day under two rule sets that may date it apart).
pub fn evaluate_on(
    program: &Program,
    application: &Data,
    detail: Detail,
    mut hits: Option<&mut [Hits]>,
    as_of: Option<crate::date::Date>,
) -> Outcome {
    let mut eval = Evaluator::new(program, application);
    let (active, mut stopped_scopes) = eval.active_scopes();
    let mut required = Required::default();
    let mut outcome = Outcome {
        findings: Vec::new(),
        documents: Vec::new(),
        as_of,
        stopped: Vec::new(),
        steps: 0,
        most_steps: 0,
    };
    debug_assert_eq!(program.rule_scopes.len(), program.rules.len());
    for (index, &scope) in program.rule_scopes.iter().enumerate() {
        let scope = scope as usize;
        if !active[scope] && !stopped_scopes[scope] {
            continue;
        }
        let rule = &program.rules[index];
        if stopped_scopes[scope] {
            // The condition of its rule set or group ran out of steps: the
            // first rule under it says so.
            stopped_scopes[scope] = false;
            stop(&mut eval, index, rule, &mut outcome);
        }
        if !active[scope]
            || !rule.window.contains(as_of)
            || rule
                .overridden_by
                .iter()
                .any(|(s, window)| active[*s] && window.contains(as_of))
        {
            continue;
        }
        eval.start_frame(rule.frame);
        let hit = hits.as_deref_mut().and_then(|h| h.get_mut(index));
        let mut passed = false;
        let mut failed = false;
        let before = outcome.findings.len();
        let documents = outcome.documents.len();
        required.taken.clear();
        eval.for_each(&rule.binders, &mut |eval| {
            match run_rule(eval, index, rule, detail, &mut outcome, &mut required) {
                Some(true) => passed = true,
                Some(false) => failed = true,
                None => {}
            }
            !eval.exhausted()
        });
        if eval.exhausted() {
            // What the rule found before it stopped is in doubt; that it
            // stopped is not.
            outcome.findings.truncate(before);
            for d in outcome.documents.drain(documents..) {
                required.at.remove(&(d.kind, d.target));
            }
            required.messages.truncate(documents);
            for (at, rule, message) in required.taken.drain(..).rev() {
                outcome.documents[at].rule = rule;
                required.messages[at] = message;
            }
            stop(&mut eval, index, rule, &mut outcome);
            passed = false;
            failed = true;
        }
        if let Some(hit) = hit {
            hit.passed |= passed;
            hit.failed |= failed;
        }
    }
    for (document, message) in outcome.documents.iter().zip(required.messages) {
        if !document.provided {
            outcome.findings.push(Finding {
                rule: document.rule,
                message,
                path: eval.uploads_path(),
                facts: Vec::new(),
            });
        }
    }
    // In rule order; a stable sort keeps the order of each rule's findings.
    outcome.findings.sort_by_key(|f| f.rule);
    eval.refuel();
    outcome.steps = eval.total_steps;
    outcome.most_steps = eval.most_steps;
    outcome
}

/// The documents required so far.
#[derive(Default)]
struct Required {
    /// Each document (type, target), by its place in `Outcome::documents`:
    /// a map, not a search of the list, as an application may need a
    /// document for each of thousands of domains.
    at: HashMap<(String, Option<String>), usize>,
    /// The message of each document's finding should it be missing, by
    /// place: its finding is made once every rule that requires it has been
    /// seen.
    messages: Vec<String>,
    /// Documents the current rule took over from another, with that rule
    /// and its message: given back if the rule runs out of steps.
    taken: Vec<(usize, usize, String)>,
}

/// Runs one rule for the current binders: `Some(true)` when it applied and
/// held, `Some(false)` when it gave a finding, `None` when it did not apply
/// (or another rule answers for the same document).
fn run_rule<'a>(
    eval: &mut Evaluator<'_, 'a>,
    index: usize,
    rule: &RuleCode,
    detail: Detail,
    outcome: &mut Outcome,
    required: &mut Required,
) -> Option<bool> {
    if !applies(eval, rule) {
        return None;
    }
    match &rule.check {
        RuleCheck::Require(cond) => {
            if eval.eval(cond).as_bool() {
                return Some(true);
            }
            let (path, facts) = eval.explain(cond, rule, detail);
            outcome.findings.push(Finding {
                rule: index,
                message: render(eval, &rule.message),
                path,
                facts,
            });
            Some(false)
        }
        RuleCheck::Document { kind, target } => {
            let target = target.as_ref().map(|t| eval.eval(t).as_text().to_string());
            let kind_name = eval.enum_name(eval.uploads_kind_enum(), *kind).to_string();
            // A document required by several rules is listed once, answered
            // for by the strongest of them (the smallest id among equals), so
            // that neither the verdict nor the rule named depends on the
            // order of the rules, which is that of their files' names.
            let key = (kind_name, target);
            if let Some(&at) = required.at.get(&key) {
                let program = eval.program();
                let first = outcome.documents[at].rule;
                let earlier = &program.rules[first];
                let stronger = (rule.severity, std::cmp::Reverse(&rule.id))
                    > (earlier.severity, std::cmp::Reverse(&earlier.id));
                if !stronger {
                    return None;
                }
                let provided = outcome.documents[at].provided;
                let message = if provided {
                    String::new()
                } else {
                    render(eval, &rule.message)
                };
                let before = std::mem::replace(&mut required.messages[at], message);
                required.taken.push((at, first, before));
                outcome.documents[at].rule = index;
                return Some(provided);
            }
            let (kind_name, target) = key;
            let provided = eval.uploaded(*kind, target.as_deref());
            required
                .at
                .insert((kind_name.clone(), target.clone()), outcome.documents.len());
            outcome.documents.push(DocumentStatus {
                rule: index,
                kind: kind_name,
                target,
                provided,
            });
            required.messages.push(if provided {
                String::new()
            } else {
                render(eval, &rule.message)
            });
            Some(provided)
        }
    }
}

/// Records that rule `index` was stopped, with the finding that says so.
fn stop(eval: &mut Evaluator<'_, '_>, index: usize, rule: &RuleCode, outcome: &mut Outcome) {
    let message = out_of_fuel(eval, rule);
    outcome.findings.push(Finding {
        rule: index,
        message,
        path: String::new(),
        facts: Vec::new(),
    });
    outcome.stopped.push(index);
}

/// The error of a rule that took more steps than its budget.
fn out_of_fuel(eval: &mut Evaluator<'_, '_>, rule: &RuleCode) -> String {
    let budget = eval.budget();
    match eval.program().language {
        crate::lang::Lang::Zh => format!(
            "规则 `{}` 已中止：它在本申请上的计算超过了每条规则 {budget} 步的上限。\
             规则集中有计算量失控的规则或定义（`icprules lint` 会指出计算量随嵌套层数成倍增长的定义）",
            rule.id
        ),
        crate::lang::Lang::En => format!(
            "the rule `{}` was stopped: it took more than {budget} steps on this application, \
             the step budget of a rule; the rule set has a rule or definition whose work \
             runs away (`icprules lint` names definitions whose work doubles with each level)",
            rule.id
        ),
    }
}

/// The message in the program's language (or the other, if it has none in it).
fn render(eval: &mut Evaluator<'_, '_>, message: &Localized<Vec<MessagePart>>) -> String {
    let lang = eval.program().language;
    let mut out = String::new();
    for part in message.get(lang).map_or(&[][..], Vec::as_slice) {
        match part {
            MessagePart::Text(t) => out.push_str(t),
            MessagePart::Hole(e, ty) => {
                let v: Val = eval.eval(e);
                out.push_str(&eval.program().schema.show(&v, ty, lang));
            }
        }
    }
    out
}
