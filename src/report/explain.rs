//! One rule as a policy editor looks it up (`icprules explain`): what it
//! cites, where it is written, when it applies, what it overrides, and its
//! text as written.

use std::fmt::Write;

use serde::Serialize;

use crate::check::Program;
use crate::check::program::{RuleCheck, RuleCode};
use crate::lang::{Lang, pad};
use crate::source::{Sources, Span};
use crate::syntax::ast::Severity;

#[derive(Debug, Serialize)]
pub struct RuleExplanation {
    pub id: String,
    /// `rule`, `document requirement` or `invariant`.
    pub kind: &'static str,
    pub severity: &'static str,
    /// The cited section; none for an invariant, which states the input
    /// format rather than a regulation.
    pub section: Option<Section>,
    pub file: String,
    pub line: usize,
    /// The rule set; none for an invariant.
    pub ruleset: Option<String>,
    /// The conditions of the rule set and the enclosing `when` groups, outer
    /// first, as written: all must hold for the rule to apply.
    pub conditions: Vec<Condition>,
    pub overrides: Option<RuleRef>,
    pub overridden_by: Vec<RuleRef>,
    /// When this version is in force: its first and last day (`null`: no
    /// bound).
    pub in_force: InForce,
    #[serde(skip)]
    pub window: crate::date::Window,
    /// The day `--as-of` named, if any: the human text says when the rule
    /// is not in force on it.
    #[serde(skip)]
    pub as_of: Option<crate::date::Date>,
    /// Every version of the rule, this one included, earliest first (empty
    /// for a rule with one version).
    pub versions: Vec<Version>,
    /// The message template as written in the program's language (or the
    /// other, when it has none in it), without its quotes.
    pub message: String,
    /// The `//` lines directly above the rule: they usually quote the
    /// regulation the rule is written from.
    pub comment: Option<String>,
    /// The rule as written, from its keyword to its closing brace.
    pub text: String,
    /// The language of the explanation: its section title and message, and
    /// the words of [`RuleExplanation::human`].
    #[serde(skip)]
    pub lang: Lang,
}

#[derive(Debug, Serialize)]
pub struct Section {
    pub number: String,
    pub title: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Condition {
    /// `ruleset` or `group`.
    pub of: &'static str,
    pub text: String,
    pub line: usize,
}

#[derive(Debug, Serialize)]
pub struct InForce {
    pub from: Option<String>,
    pub until: Option<String>,
}

impl InForce {
    fn of(w: &crate::date::Window) -> Self {
        InForce {
            from: w.from.map(|d| d.to_string()),
            until: w.until.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Version {
    pub from: Option<String>,
    pub until: Option<String>,
    /// `path:line`.
    pub at: String,
    /// The version explained.
    pub explained: bool,
    #[serde(skip)]
    pub window: crate::date::Window,
}

#[derive(Debug, Serialize)]
pub struct RuleRef {
    pub id: String,
    /// `path:line`.
    pub at: String,
}

/// The explanation of the rule or invariant `id`, or `None` if there is none.
/// `sources` must be the rule set `program` was checked from. Of a rule with
/// several versions, the one in force on the program's day (`as_of`, else
/// `today`) is explained, else the latest.
pub fn explain(program: &Program, sources: &Sources, id: &str) -> Option<RuleExplanation> {
    let versions = program.versions(id);
    let day = program.as_of.or(program.today);
    let chosen = versions
        .iter()
        .copied()
        .find(|i| day.is_some() && program.rules[*i].window.contains(day))
        .or_else(|| {
            versions
                .iter()
                .copied()
                .max_by_key(|i| program.rules[*i].window.from)
        });
    let (index, rule, invariant) = match chosen {
        Some(i) => (Some(i), &program.rules[i], false),
        None => (None, program.invariants.iter().find(|r| r.id == id)?, true),
    };
    let history = crate::docs::history(program, id);
    let versions = history
        .iter()
        .map(|(w, at)| Version {
            from: w.from.map(|d| d.to_string()),
            until: w.until.map(|d| d.to_string()),
            at: at.clone(),
            explained: *at == rule.origin,
            window: *w,
        })
        .collect();
    let file = sources.file(rule.span.file);
    let kind = match (&rule.check, invariant) {
        (_, true) => "invariant",
        (RuleCheck::Document { .. }, _) => "document requirement",
        (RuleCheck::Require(_), _) => "rule",
    };
    let section = (!rule.source.is_empty()).then(|| Section {
        number: rule.source.clone(),
        title: program.section_title(&rule.source).map(str::to_string),
    });
    let mut conditions = Vec::new();
    let mut scope = Some(rule.scope);
    while let Some(s) = scope {
        let current = &program.scopes[s];
        if let Some(span) = current.cond_span {
            conditions.push(Condition {
                of: if current.parent.is_some() {
                    "group"
                } else {
                    "ruleset"
                },
                text: slice(sources, span).to_string(),
                line: line_of(sources, span),
            });
        }
        scope = current.parent;
    }
    conditions.reverse();
    let rule_ref = |r: &RuleCode| RuleRef {
        id: r.id.clone(),
        at: r.origin.clone(),
    };
    let message = rule
        .message_spans
        .get(program.language)
        .map(|&span| {
            let written = slice(sources, span);
            written[1..written.len() - 1].to_string()
        })
        .unwrap_or_default();
    let (comment, text) = written_text(&file.text, rule.span);
    Some(RuleExplanation {
        id: rule.id.clone(),
        kind,
        severity: rule.severity.as_str(),
        section,
        file: file.path.clone(),
        line: line_of(sources, rule.span),
        ruleset: (!invariant).then(|| rule.id.split('.').next().unwrap_or_default().to_string()),
        conditions,
        overrides: rule.overrides.map(|o| rule_ref(&program.rules[o])),
        overridden_by: program
            .rules
            .iter()
            .filter(|r| index.is_some() && r.overrides == index)
            .map(rule_ref)
            .collect(),
        in_force: InForce::of(&rule.window),
        window: rule.window,
        as_of: program.as_of,
        versions,
        message,
        comment,
        text,
        lang: program.language,
    })
}

impl RuleExplanation {
    /// The explanation for people: a summary, then the rule as written.
    pub fn human(&self) -> String {
        let lang = self.lang;
        let mut out = String::new();
        let kind = match self.kind {
            "rule" => lang.pick("规则", "rule"),
            "invariant" => lang.pick("格式约束", "invariant"),
            _ => lang.pick("材料要求", "document requirement"),
        };
        let severity = [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|s| s.as_str() == self.severity)
            .map_or(self.severity, |s| s.word(lang));
        let _ = match lang {
            Lang::Zh => writeln!(out, "{}（{kind}，级别：{severity}）", self.id),
            Lang::En => writeln!(out, "{} ({kind}, severity {severity})", self.id),
        };
        // `  label     value`, the values in one column.
        let line = |out: &mut String, indent: usize, label: &str, value: &str| {
            let label = pad(label, 9 - indent + 2);
            let _ = writeln!(out, "{}{label} {value}", " ".repeat(indent));
        };
        if let Some(section) = &self.section {
            let value = match &section.title {
                Some(title) => format!("{} {title}", section.number),
                None => section.number.clone(),
            };
            line(&mut out, 2, lang.pick("章节", "section"), &value);
        }
        let written = format!("{}:{}", self.file, self.line);
        line(&mut out, 2, lang.pick("所在", "written"), &written);
        let applies = match (&self.ruleset, lang) {
            (Some(name), Lang::Zh) => format!("规则集 {name}"),
            (Some(name), Lang::En) => format!("in ruleset {name}"),
            (None, _) => lang
                .pick(
                    "每份申请，先于所有规则",
                    "to every application, before the rules",
                )
                .to_string(),
        };
        let unconditional = if self.conditions.is_empty() && self.ruleset.is_some() {
            lang.pick("，无条件", ", with no condition")
        } else {
            ""
        };
        line(
            &mut out,
            2,
            lang.pick("适用", "applies"),
            &format!("{applies}{unconditional}"),
        );
        for c in &self.conditions {
            let text = c.text.replace('\n', "\n              ");
            let value = format!("{text}  ({}:{})", self.file, c.line);
            line(&mut out, 4, lang.pick("条件", "when"), &value);
        }
        if let Some(o) = &self.overrides {
            line(
                &mut out,
                2,
                lang.pick("取代", "overrides"),
                &format!("{}  ({})", o.id, o.at),
            );
        }
        for o in &self.overridden_by {
            let value = format!("{}  ({})", o.id, o.at);
            line(&mut out, 2, lang.pick("被取代于", "overridden by"), &value);
        }
        if !self.window.is_always() {
            let mut value = crate::docs::window_words(&self.window, lang);
            value.push_str(&not_in_force_on(&self.window, self.as_of, lang));
            line(&mut out, 2, lang.pick("施行期间", "in force"), &value);
        }
        for (i, v) in self.versions.iter().enumerate() {
            let label = if i == 0 {
                lang.pick("各版本", "versions")
            } else {
                ""
            };
            let mark = if v.explained {
                lang.pick("  ← 本版本", "  <- this one")
            } else {
                ""
            };
            let value = format!(
                "{}  ({}){mark}",
                crate::docs::window_words(&v.window, lang),
                v.at
            );
            line(&mut out, 2, label, &value);
        }
        line(
            &mut out,
            2,
            lang.pick("提示", "message"),
            &format!("\"{}\"", self.message),
        );
        out.push('\n');
        for line in self.comment.iter().chain(Some(&self.text)) {
            for l in line.lines() {
                if l.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "  {l}");
                }
            }
        }
        out
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an explanation serializes")
    }
}

/// A rule set as a policy editor looks it up (`icprules explain beijing`):
/// where it is written, when it applies, and its rules in file order.
#[derive(Debug, Serialize)]
pub struct RulesetExplanation {
    pub ruleset: String,
    /// The files it is written in.
    pub files: Vec<String>,
    /// Its conditions as written (one per block of the rule set that has one).
    pub conditions: Vec<Condition>,
    pub rules: Vec<RuleSummary>,
    #[serde(skip)]
    as_of: Option<crate::date::Date>,
    /// The language of the list for people.
    #[serde(skip)]
    lang: Lang,
}

/// One line of a rule set's list.
#[derive(Debug, Serialize)]
pub struct RuleSummary {
    pub id: String,
    /// `rule` or `document requirement`.
    pub kind: &'static str,
    pub severity: &'static str,
    pub section: Section,
    pub file: String,
    pub line: usize,
    /// The conditions of the `when` groups it is in, outer first.
    pub groups: Vec<String>,
    /// When it is in force, with its groups and rule set (`null`: always).
    pub in_force: Option<InForce>,
    /// Whether it is in force on the day `--as-of` named (`null`: no
    /// `--as-of`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_force_on_as_of: Option<bool>,
    #[serde(skip)]
    window: crate::date::Window,
}

/// The explanation of the rule set `name` (the rules whose ids start with
/// `name.`; `invariant` for the invariants), or `None` if it has no rule.
pub fn explain_ruleset(
    program: &Program,
    sources: &Sources,
    name: &str,
) -> Option<RulesetExplanation> {
    let prefix = format!("{name}.");
    let list: &[RuleCode] = if name == "invariant" {
        &program.invariants
    } else {
        &program.rules
    };
    let members: Vec<&RuleCode> = list.iter().filter(|r| r.id.starts_with(&prefix)).collect();
    if members.is_empty() {
        return None;
    }
    let mut files: Vec<String> = Vec::new();
    let mut conditions: Vec<Condition> = Vec::new();
    let mut rules = Vec::new();
    for rule in members {
        let file = sources.file(rule.span.file).path.clone();
        if !files.contains(&file) {
            files.push(file.clone());
        }
        let mut groups = Vec::new();
        let mut scope = Some(rule.scope);
        while let Some(s) = scope {
            let current = &program.scopes[s];
            if let Some(span) = current.cond_span {
                let text = slice(sources, span).to_string();
                if current.parent.is_some() {
                    groups.push(text);
                } else if !conditions.iter().any(|c| c.text == text) {
                    conditions.push(Condition {
                        of: "ruleset",
                        text,
                        line: line_of(sources, span),
                    });
                }
            }
            scope = current.parent;
        }
        groups.reverse();
        rules.push(RuleSummary {
            id: rule.id.clone(),
            kind: match (&rule.check, name == "invariant") {
                (_, true) => "invariant",
                (RuleCheck::Document { .. }, _) => "document requirement",
                (RuleCheck::Require(_), _) => "rule",
            },
            severity: rule.severity.as_str(),
            section: Section {
                number: rule.source.clone(),
                title: program.section_title(&rule.source).map(str::to_string),
            },
            file,
            line: line_of(sources, rule.span),
            groups,
            in_force: (!rule.window.is_always()).then(|| InForce::of(&rule.window)),
            in_force_on_as_of: program.as_of.map(|day| rule.window.contains(Some(day))),
            window: rule.window,
        });
    }
    Some(RulesetExplanation {
        ruleset: name.to_string(),
        files,
        conditions,
        rules,
        as_of: program.as_of,
        lang: program.language,
    })
}

/// `  (not in force on 2026-01-01)` when the rule is not in force on the
/// day `--as-of` named; else nothing.
fn not_in_force_on(
    window: &crate::date::Window,
    as_of: Option<crate::date::Date>,
    lang: Lang,
) -> String {
    match as_of {
        Some(day) if !window.contains(Some(day)) => match lang {
            Lang::Zh => format!("（{day} 不施行）"),
            Lang::En => format!("  (not in force on {day})"),
        },
        _ => String::new(),
    }
}

impl RulesetExplanation {
    /// The list for people: where and when, then a line a rule, under the
    /// `when` groups they are in.
    pub fn human(&self) -> String {
        let lang = self.lang;
        let mut out = String::new();
        let count = |kind: &str| self.rules.iter().filter(|r| r.kind == kind).count();
        let (rules, documents) = (count("rule"), count("document requirement"));
        let invariants = count("invariant");
        let _ = match lang {
            // The conditions of the input format are no rule set.
            _ if invariants > 0 => match lang {
                Lang::Zh => writeln!(out, "{}（申请格式约束：{invariants} 条）", self.ruleset),
                Lang::En => writeln!(
                    out,
                    "{} (conditions of the input format: {invariants} invariant{})",
                    self.ruleset,
                    if invariants == 1 { "" } else { "s" }
                ),
            },
            Lang::Zh => writeln!(
                out,
                "{}（规则集：{rules} 条规则，{documents} 项材料要求）",
                self.ruleset
            ),
            Lang::En => {
                let plural =
                    |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
                writeln!(
                    out,
                    "{} (rule set: {}, {})",
                    self.ruleset,
                    plural(rules, "rule"),
                    plural(documents, "document requirement")
                )
            }
        };
        // `  label     value`, the values in one column.
        let line = |out: &mut String, label: &str, value: &str| {
            let _ = writeln!(out, "  {} {value}", pad(label, 9));
        };
        line(
            &mut out,
            lang.pick("所在", "written"),
            &self.files.join(lang.pick("、", ", ")),
        );
        if self.conditions.is_empty() {
            line(
                &mut out,
                lang.pick("适用", "applies"),
                lang.pick("每份申请", "to every application"),
            );
        }
        for c in &self.conditions {
            let text = c.text.replace('\n', "\n              ");
            let value = match lang {
                Lang::Zh => format!("当 {text}（第 {} 行）", c.line),
                Lang::En => format!("when {text}  (line {})", c.line),
            };
            line(&mut out, lang.pick("适用", "applies"), &value);
        }
        let id_width = self.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        out.push('\n');
        let mut groups: &[String] = &[];
        for rule in &self.rules {
            if rule.groups.as_slice() != groups {
                groups = &rule.groups;
                out.push('\n');
                if !groups.is_empty() {
                    let when = lang.pick("当 ", "when ");
                    let joined = groups.join(lang.pick("，当 ", ", when "));
                    let _ = writeln!(out, "  {when}{joined}");
                }
            }
            let kind = match rule.kind {
                "rule" => lang.pick("规则", "rule"),
                "invariant" => lang.pick("格式约束", "invariant"),
                _ => lang.pick("材料", "document"),
            };
            let severity = [Severity::Error, Severity::Warning, Severity::Info]
                .into_iter()
                .find(|s| s.as_str() == rule.severity)
                .map_or(rule.severity, |s| s.word(lang));
            let section = match (rule.section.number.is_empty(), lang) {
                (true, _) => String::new(),
                (false, Lang::Zh) => format!("第 {} 节", rule.section.number),
                (false, Lang::En) => format!("section {}", rule.section.number),
            };
            let when = if rule.window.is_always() {
                String::new()
            } else {
                let words = crate::docs::window_words(&rule.window, lang);
                let not = not_in_force_on(&rule.window, self.as_of, lang);
                match lang {
                    Lang::Zh => format!("  {words}{not}"),
                    Lang::En => format!("  in force {}{not}", rule.window),
                }
            };
            let _ = writeln!(
                out,
                "    {} {} {}  {} {}:{}{when}",
                pad(kind, 8),
                pad(severity, 7),
                pad(&rule.id, id_width),
                pad(&section, 14),
                rule.file,
                rule.line
            );
        }
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick(
                "`icprules explain 规则编号` 显示其中一条。",
                "`icprules explain ID` shows one of them."
            )
        );
        out
    }

    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an explanation serializes")
    }
}

fn slice(sources: &Sources, span: Span) -> &str {
    &sources.file(span.file).text[span.range()]
}

fn line_of(sources: &Sources, span: Span) -> usize {
    sources.file(span.file).text[..span.start as usize]
        .matches('\n')
        .count()
        + 1
}

/// The comment lines directly above the rule, and the rule's lines; both
/// without the indentation they share, so a rule inside a group reads as if
/// written at the left margin.
fn written_text(text: &str, span: Span) -> (Option<String>, String) {
    let start = span.start as usize;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    // The text before the keyword on its line is only indentation in a
    // formatted file; anything else is left out rather than quoted in part.
    let from = if text[line_start..start].trim().is_empty() {
        line_start
    } else {
        start
    };
    let rule = dedent(&text[from..span.end as usize]);
    let mut comment: Vec<&str> = text[..line_start]
        .lines()
        .rev()
        .take_while(|l| l.trim_start().starts_with("//"))
        .collect();
    comment.reverse();
    let comment = (!comment.is_empty()).then(|| dedent(&comment.join("\n")));
    (comment, rule)
}

/// Removes the indentation all non-blank lines share.
fn dedent(text: &str) -> String {
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_text_takes_the_comment_above_and_dedents() {
        let text = "x\n\n  // why\n  // more\n  rule a {\n    require b\n  }\n";
        let start = text.find("rule").unwrap();
        let end = text.rfind('}').unwrap() + 1;
        let (comment, rule) = written_text(text, Span::new(0, start, end));
        assert_eq!(comment.as_deref(), Some("// why\n// more"));
        assert_eq!(rule, "rule a {\n  require b\n}");
    }

    #[test]
    fn no_comment_after_a_blank_line() {
        let text = "// about the file\n\nrule a { }\n";
        let start = text.find("rule").unwrap();
        let (comment, rule) = written_text(text, Span::new(0, start, text.len() - 1));
        assert_eq!(comment, None);
        assert_eq!(rule, "rule a { }");
    }
}
