//! The impact of a rule change on applications: each checked under both
//! rule sets, and what changed for it counted.
//!
//! [`Comparison::line`] judges one application (one line of JSON Lines) and
//! [`Impact::add`] counts it; memory stays bounded whatever the number of
//! applications: counts, one entry a rule, and at most [`Impact::limit`]
//! changed applications listed.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::check::Program;
use crate::date::Date;
use crate::eval::{
    Detail, InputErrors, decode, evaluate_on, failed_invariants, read, read_application,
};
use crate::syntax::ast::Severity;
use crate::value::Data;

/// The verdict on an application, as the result format writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Accept,
    Reject,
    /// Not a valid application (under that rule set's format).
    Invalid,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Accept, Verdict::Reject, Verdict::Invalid];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Reject => "reject",
            Verdict::Invalid => "invalid",
        }
    }
}

/// A finding by its rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingRef {
    pub rule: String,
    pub severity: Severity,
}

/// An application whose verdict or findings changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppChange {
    /// Its line in the input.
    pub line: u64,
    pub old: Verdict,
    pub new: Verdict,
    /// Rules with a finding under the new rules and none under the old.
    pub appeared: Vec<FindingRef>,
    /// Rules with a finding under the old rules and none under the new.
    pub disappeared: Vec<FindingRef>,
    /// Rules with a finding under both whose severity changed: the new one.
    pub regraded: Vec<FindingRef>,
    /// The input fields results repeat (`report`), by label and value in
    /// the language of the new rules: `province: Beijing`. None when it is
    /// invalid under both.
    pub about: Vec<String>,
    /// Why it is invalid under the old rules: the first error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_error: Option<String>,
    /// Why it is invalid under the new rules: the first error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_error: Option<String>,
}

/// One application under both rule sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineOutcome {
    pub old: Verdict,
    pub new: Verdict,
    /// Set when the verdict or the findings changed.
    pub change: Option<AppChange>,
}

/// An application under one rule set: its verdict, the rules with findings
/// (sorted, each once), and the first error if it is invalid.
struct Judged<'p> {
    verdict: Verdict,
    findings: Vec<(&'p str, Severity)>,
    error: Option<String>,
}

/// An application read, under one rule set, on `day` (`None`: the day the
/// rule set gives it): its verdict, the rules with findings (sorted, each
/// once), and the first error if it is invalid.
fn judge<'p>(program: &'p Program, application: &Data, day: Option<Date>) -> Judged<'p> {
    let day = day.or_else(|| program.date_of(application));
    let outcome = evaluate_on(program, application, Detail::Path, None, day);
    let verdict = if outcome.accepted(program) {
        Verdict::Accept
    } else {
        Verdict::Reject
    };
    let mut findings: Vec<(&str, Severity)> = outcome
        .findings
        .iter()
        .map(|f| {
            let rule = &program.rules[f.rule];
            (rule.id.as_str(), rule.severity)
        })
        .collect();
    findings.sort_unstable();
    findings.dedup();
    Judged {
        verdict,
        findings,
        error: None,
    }
}

fn invalid<'p>(errors: &InputErrors) -> Judged<'p> {
    Judged {
        verdict: Verdict::Invalid,
        findings: Vec::new(),
        error: Some(errors.first().message.clone()),
    }
}

/// An application's text under one rule set, on `day`.
fn read_and_judge<'p>(program: &'p Program, text: &str, day: Option<Date>) -> Judged<'p> {
    match read(program, text) {
        Ok(application) => judge(program, &application, day),
        Err(errors) => invalid(&errors),
    }
}

/// Two rule sets to check applications under.
pub struct Comparison<'p> {
    old: &'p Program,
    new: &'p Program,
    /// Whether the two read applications alike (the same schema): then
    /// each application is read once for both.
    same_format: bool,
}

impl<'p> Comparison<'p> {
    pub fn new(old: &'p Program, new: &'p Program) -> Comparison<'p> {
        Comparison {
            old,
            new,
            same_format: old.schema == new.schema,
        }
    }

    /// Checks one line of JSON Lines (line `number` of the input) under
    /// both rule sets.
    pub fn line(&self, line: &[u8], number: u64) -> LineOutcome {
        // The application as the new rules read it, else as the old do.
        let (before, after, application) = match decode(line) {
            Ok(text) if self.same_format => match read_application(&self.old.schema, text) {
                // Read once; each rule set has its own invariants.
                Ok(application) => {
                    let day = self.day(Some(&application), Some(&application));
                    let before = self.judge_read(self.old, &application, text, day);
                    let after = self.judge_read(self.new, &application, text, day);
                    (before, after, Some((self.new, application)))
                }
                Err(errors) => (invalid(&errors), invalid(&errors), None),
            },
            Ok(text) => {
                let old_application = read(self.old, text);
                let new_application = read(self.new, text);
                let day = self.day(old_application.as_ref().ok(), new_application.as_ref().ok());
                // `read` has checked the invariants: an application it
                // gives meets them.
                let judged = |program, application: &Result<Data, InputErrors>| match application {
                    Ok(application) => judge(program, application, day),
                    Err(errors) => invalid(errors),
                };
                let before = judged(self.old, &old_application);
                let after = judged(self.new, &new_application);
                let application = match (new_application.ok(), old_application.ok()) {
                    (Some(new), _) => Some((self.new, new)),
                    (None, old) => old.map(|old| (self.old, old)),
                };
                (before, after, application)
            }
            // Not text: invalid whatever the rules.
            Err(errors) => (invalid(&errors), invalid(&errors), None),
        };
        let mut outcome = outcome(number, before, after);
        if let (Some(change), Some((program, application))) = (&mut outcome.change, application) {
            change.about = crate::report::context(program, &application);
        }
        outcome
    }

    /// An application read already, under `program`, on `day`.
    fn judge_read(
        &self,
        program: &'p Program,
        application: &Data,
        text: &str,
        day: Option<Date>,
    ) -> Judged<'p> {
        if failed_invariants(program, application).is_empty() {
            judge(program, application, day)
        } else {
            // The errors as `check` gives them, placed in the text.
            read_and_judge(program, text, day)
        }
    }

    /// The one day an application is checked on under both rule sets:
    /// `--as-of`, else its own date as the new rules read it, else as the
    /// old do (when one of them dates applications and the other does not,
    /// or by another field); `None`: each rule set's default (today).
    fn day(&self, old: Option<&Data>, new: Option<&Data>) -> Option<Date> {
        self.new
            .as_of
            .or(self.old.as_of)
            .or_else(|| new.and_then(|a| self.new.own_date(a)))
            .or_else(|| old.and_then(|a| self.old.own_date(a)))
    }
}

impl LineOutcome {
    /// A line that is no application under either rule set (too long to
    /// read): unchanged.
    pub fn invalid_both() -> LineOutcome {
        LineOutcome {
            old: Verdict::Invalid,
            new: Verdict::Invalid,
            change: None,
        }
    }
}

fn outcome(number: u64, before: Judged<'_>, after: Judged<'_>) -> LineOutcome {
    let same_findings = before.findings == after.findings;
    let change = (before.verdict != after.verdict || !same_findings).then(|| {
        let only = |a: &Judged<'_>, b: &Judged<'_>| -> Vec<FindingRef> {
            a.findings
                .iter()
                .filter(|(id, _)| !b.findings.iter().any(|(other, _)| other == id))
                .map(|(id, severity)| FindingRef {
                    rule: id.to_string(),
                    severity: *severity,
                })
                .collect()
        };
        AppChange {
            line: number,
            old: before.verdict,
            new: after.verdict,
            appeared: only(&after, &before),
            disappeared: only(&before, &after),
            regraded: after
                .findings
                .iter()
                .filter(|(id, severity)| {
                    before
                        .findings
                        .iter()
                        .any(|(other, was)| other == id && was != severity)
                })
                .map(|(id, severity)| FindingRef {
                    rule: id.to_string(),
                    severity: *severity,
                })
                .collect(),
            about: Vec::new(),
            old_error: before.error.clone(),
            new_error: after.error.clone(),
        }
    });
    LineOutcome {
        old: before.verdict,
        new: after.verdict,
        change,
    }
}

/// How many applications a rule newly fails and newly passes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RuleImpact {
    /// Applications with a finding of the rule under the new rules only.
    pub newly_fail: u64,
    /// Applications with a finding of the rule under the old rules only.
    pub newly_pass: u64,
    /// Applications with a finding of the rule under both, of another
    /// severity.
    pub regraded: u64,
}

/// What a rule change does to a set of applications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impact {
    /// Applications checked.
    pub applications: u64,
    /// Applications by old verdict (row) and new verdict (column), in the
    /// order of [`Verdict::ALL`].
    pub verdicts: [[u64; 3]; 3],
    /// Applications whose verdict or findings changed.
    pub changed: u64,
    /// By rule id.
    pub rules: BTreeMap<String, RuleImpact>,
    /// The first [`Impact::limit`] changed applications, in input order.
    pub listed: Vec<AppChange>,
    /// How many changed applications are listed at most.
    pub limit: usize,
}

/// No application yet, and no limit yet: what [`Impact`]s of parts of the
/// input are added to (`+=`), which takes the limit of the first.
impl Default for Impact {
    fn default() -> Impact {
        Impact::new(usize::MAX)
    }
}

/// The impact of the applications of `other` after those of `self`: the
/// counts added, the list filled up to the limit.
impl std::ops::AddAssign for Impact {
    fn add_assign(&mut self, other: Impact) {
        self.limit = self.limit.min(other.limit);
        self.applications += other.applications;
        for (row, other_row) in self.verdicts.iter_mut().zip(other.verdicts) {
            for (count, other_count) in row.iter_mut().zip(other_row) {
                *count += other_count;
            }
        }
        self.changed += other.changed;
        for (id, counts) in other.rules {
            let mine = self.rules.entry(id).or_default();
            mine.newly_fail += counts.newly_fail;
            mine.newly_pass += counts.newly_pass;
            mine.regraded += counts.regraded;
        }
        let room = self.limit.saturating_sub(self.listed.len());
        self.listed.extend(other.listed.into_iter().take(room));
    }
}

impl Impact {
    pub fn new(limit: usize) -> Impact {
        Impact {
            applications: 0,
            verdicts: [[0; 3]; 3],
            changed: 0,
            rules: BTreeMap::new(),
            listed: Vec::new(),
            limit,
        }
    }

    /// Counts one application; applications must come in input order for
    /// the list to be the first changed ones.
    pub fn add(&mut self, outcome: LineOutcome) {
        self.applications += 1;
        self.verdicts[outcome.old as usize][outcome.new as usize] += 1;
        let Some(change) = outcome.change else {
            return;
        };
        self.changed += 1;
        for finding in &change.appeared {
            self.rule(&finding.rule).newly_fail += 1;
        }
        for finding in &change.disappeared {
            self.rule(&finding.rule).newly_pass += 1;
        }
        for finding in &change.regraded {
            self.rule(&finding.rule).regraded += 1;
        }
        if self.listed.len() < self.limit {
            self.listed.push(change);
        }
    }

    fn rule(&mut self, id: &str) -> &mut RuleImpact {
        if !self.rules.contains_key(id) {
            self.rules.insert(id.to_string(), RuleImpact::default());
        }
        self.rules.get_mut(id).expect("just inserted")
    }

    /// Applications whose verdict changed.
    pub fn verdicts_changed(&self) -> u64 {
        self.transitions()
            .filter(|(old, new, _)| old != new)
            .map(|(_, _, n)| n)
            .sum()
    }

    /// Applications the old rules accepted and the new do not (rejected, or
    /// invalid in the new format).
    pub fn new_rejects(&self) -> u64 {
        self.transitions()
            .filter(|(old, new, _)| *old == Verdict::Accept && *new != Verdict::Accept)
            .map(|(_, _, n)| n)
            .sum()
    }

    /// Every (old verdict, new verdict, applications) with applications.
    pub fn transitions(&self) -> impl Iterator<Item = (Verdict, Verdict, u64)> + '_ {
        Verdict::ALL.into_iter().flat_map(move |old| {
            Verdict::ALL
                .into_iter()
                .map(move |new| (old, new, self.verdicts[old as usize][new as usize]))
                .filter(|(_, _, n)| *n > 0)
        })
    }

    /// Changed applications not listed.
    pub fn not_listed(&self) -> u64 {
        self.changed - self.listed.len() as u64
    }
}

impl Serialize for Impact {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        struct Transition {
            old: Verdict,
            new: Verdict,
            applications: u64,
        }
        #[derive(Serialize)]
        struct Rule<'a> {
            rule: &'a str,
            newly_fail: u64,
            newly_pass: u64,
            regraded: u64,
        }
        let transitions: Vec<Transition> = self
            .transitions()
            .map(|(old, new, applications)| Transition {
                old,
                new,
                applications,
            })
            .collect();
        let rules: Vec<Rule> = self
            .rules
            .iter()
            .map(|(rule, i)| Rule {
                rule,
                newly_fail: i.newly_fail,
                newly_pass: i.newly_pass,
                regraded: i.regraded,
            })
            .collect();
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("applications", &self.applications)?;
        map.serialize_entry("verdicts_changed", &self.verdicts_changed())?;
        map.serialize_entry("new_rejects", &self.new_rejects())?;
        map.serialize_entry("changed", &self.changed)?;
        map.serialize_entry("verdicts", &transitions)?;
        map.serialize_entry("rules", &rules)?;
        map.serialize_entry("changed_applications", &self.listed)?;
        map.serialize_entry("not_listed", &self.not_listed())?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(line: u64) -> LineOutcome {
        LineOutcome {
            old: Verdict::Accept,
            new: Verdict::Reject,
            change: Some(AppChange {
                line,
                old: Verdict::Accept,
                new: Verdict::Reject,
                appeared: vec![FindingRef {
                    rule: "r.new".into(),
                    severity: Severity::Error,
                }],
                disappeared: Vec::new(),
                regraded: Vec::new(),
                about: Vec::new(),
                old_error: None,
                new_error: None,
            }),
        }
    }

    /// Parts added in input order, each with the limit: what the batch
    /// driver does with the impact of each line and of each task.
    #[test]
    fn parts_add_up_to_the_whole_and_keep_the_first_changed() {
        let mut whole = Impact::new(2);
        let mut total = Impact::default();
        for line in 1..=5 {
            let outcome = if line % 2 == 0 {
                LineOutcome::invalid_both()
            } else {
                changed(line)
            };
            whole.add(outcome.clone());
            let mut part = Impact::new(2);
            part.add(outcome);
            total += part;
        }
        assert_eq!(total, whole);
        assert_eq!(total.applications, 5);
        assert_eq!(total.changed, 3);
        assert_eq!(
            total.listed.iter().map(|a| a.line).collect::<Vec<_>>(),
            [1, 3]
        );
        assert_eq!(total.not_listed(), 1);
        assert_eq!(total.new_rejects(), 3);
        assert_eq!(total.verdicts_changed(), 3);
        assert_eq!(total.rules["r.new"].newly_fail, 3);
    }
}
