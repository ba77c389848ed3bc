//! The default, human-readable result, for the filer: the verdict first,
//! then every finding with its rule, the section it cites, the message and
//! the facts behind it, then the documents table. Written in the program's
//! language: the rules give the messages, labels and titles, this module the
//! words around them; values show by their labels, never by identifiers.

use std::fmt::Write;

use crate::check::Program;
use crate::eval::Outcome;
use crate::lang::{Lang, pad, width};
use crate::syntax::ast::Severity;
use crate::terminal::escaped;
use crate::value::{Data, Val};

/// ANSI styles, used only when writing to a terminal.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn paint(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(self, severity: Severity, lang: Lang) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.paint(code, severity.word(lang))
    }
}

fn counted(n: usize, severity: Severity, lang: Lang) -> String {
    match (lang, severity) {
        (Lang::Zh, Severity::Error) => format!("{n} 个错误"),
        (Lang::Zh, Severity::Warning) => format!("{n} 个警告"),
        (Lang::Zh, Severity::Info) => format!("{n} 条提示"),
        (Lang::En, Severity::Info) => format!("{n} info"),
        (Lang::En, _) => {
            let word = severity.word(lang);
            format!("{n} {word}{}", if n == 1 { "" } else { "s" })
        }
    }
}

/// The report without colour (files, pipes, tests).
pub fn human(program: &Program, application: &Data, outcome: &Outcome) -> String {
    human_styled(program, application, outcome, false)
}

/// The report, in colour when `colour` is set.
pub fn human_styled(
    program: &Program,
    application: &Data,
    outcome: &Outcome,
    colour: bool,
) -> String {
    let lang = program.language;
    let paint = Paint(colour);
    let mut out = String::new();
    let count = |severity| {
        outcome
            .findings
            .iter()
            .filter(|f| program.rules[f.rule].severity == severity)
            .count()
    };
    let accepted = outcome.accepted(program);
    let word = match accepted {
        true => lang.pick("通过", "accept"),
        false => lang.pick("不通过", "reject"),
    };
    out.push_str(&paint.paint(if accepted { "1;32" } else { "1;31" }, word));
    // Everything the application and the rules say is shown escaped.
    let context = context(program, application);
    if !context.is_empty() {
        let joined = context.join(lang.pick("，", ", "));
        let _ = match lang {
            Lang::Zh => write!(out, "（{joined}）"),
            Lang::En => write!(out, " ({joined})"),
        };
    }
    let counts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .map(|s| counted(count(s), s, lang))
        .collect();
    let _ = writeln!(
        out,
        "{}{}",
        lang.colon(),
        counts.join(lang.pick("，", ", "))
    );
    if let Some(line) = checked_under(program, outcome) {
        let _ = writeln!(out, "{line}");
    }
    let (at, because) = (lang.pick("位置", "at"), lang.pick("依据", "because"));
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        for finding in outcome
            .findings
            .iter()
            .filter(|f| program.rules[f.rule].severity == severity)
        {
            let rule = &program.rules[finding.rule];
            let cited = match program.section_title(&rule.source) {
                Some(title) => lang.pick(
                    format!("第 {} 节 {title}", rule.source),
                    format!("section {} {title}", rule.source),
                ),
                None if rule.source.starts_with(|c: char| c.is_ascii_digit()) => lang.pick(
                    format!("第 {} 节", rule.source),
                    format!("section {}", rule.source),
                ),
                None => rule.source.clone(),
            };
            let cited = escaped(&cited);
            let cited = match lang {
                Lang::Zh => format!("（{cited}）"),
                Lang::En => format!(" ({cited})"),
            };
            let _ = writeln!(
                out,
                "\n{} {}{cited}",
                paint.severity(severity, lang),
                paint.paint("1", &escaped(&rule.id))
            );
            let _ = writeln!(out, "  {}", escaped(&finding.message));
            if !finding.path.is_empty() {
                let _ = writeln!(out, "  {at} {}", escaped(&finding.path));
            }
            for (i, (path, value)) in finding.facts.iter().enumerate() {
                let lead = if i == 0 {
                    because.to_string()
                } else {
                    pad("", width(because))
                };
                let fact = program.schema.describe_path(path, lang);
                let (fact, value) = (escaped(&fact), escaped(value));
                let _ = writeln!(out, "  {lead} {fact}{}{value}", lang.colon());
            }
        }
    }
    documents(program, outcome, paint, &mut out);
    out
}

/// The day the rules in force were taken from, and the edition of the
/// regulations in force that day: `checked against the rules in force on
/// 2026-12-03: Alibaba Cloud, Before ICP Filing, issue of 2019-08-06`.
fn checked_under(program: &Program, outcome: &Outcome) -> Option<String> {
    let lang = program.language;
    let day = outcome.as_of?;
    let mut line = lang.pick(
        format!("按 {day} 施行的规则检查"),
        format!("checked against the rules in force on {day}"),
    );
    if let Some(title) = program.edition_title(Some(day)) {
        let _ = write!(line, "{}{title}", lang.colon());
    }
    Some(line)
}

/// The input fields that `report` declares, by label and value:
/// `province: Beijing` (`省份：北京市`), in the program's language.
pub fn context(program: &Program, application: &Data) -> Vec<String> {
    let lang = program.language;
    let schema = &program.schema;
    let record = schema.record(schema.input);
    let Data::Record(fields) = application else {
        return Vec::new();
    };
    schema
        .report
        .iter()
        .map(|slot| {
            let field = &record.fields[*slot as usize];
            let value = schema.show(&Val::of(&fields[*slot as usize]), &field.ty, lang);
            let shown = format!("{}{}{value}", field.label(lang), lang.colon());
            escaped(&shown).into_owned()
        })
        .collect()
}

/// One line a document, in aligned columns (as a terminal counts them, so
/// Chinese labels line up too): status, type, what it is for, and the rule
/// that asks for it.
fn documents(program: &Program, outcome: &Outcome, paint: Paint, out: &mut String) {
    if outcome.documents.is_empty() {
        return;
    }
    let lang = program.language;
    let _ = writeln!(out, "\n{}", lang.pick("备案材料", "documents"));
    let kinds = program
        .schema
        .uploads
        .as_ref()
        .map(|u| program.schema.enum_def(u.kind_enum));
    let label = |kind: &str| -> String {
        let label = kinds
            .and_then(|e| e.lookup.get(kind).map(|v| e.label(*v, lang).to_string()))
            .unwrap_or_else(|| kind.to_string());
        escaped(&label).into_owned()
    };
    let for_of = |target: &Option<String>| {
        target.as_ref().map_or(String::new(), |t| {
            let t = escaped(t);
            lang.pick(format!("用于 {t}"), format!("for {t}"))
        })
    };
    let kind_width = outcome
        .documents
        .iter()
        .map(|d| width(&label(&d.kind)))
        .max()
        .unwrap_or(0);
    let for_width = outcome
        .documents
        .iter()
        .map(|d| width(&for_of(&d.target)))
        .max()
        .unwrap_or(0);
    let (provided, missing) = (
        lang.pick("已提供", "provided"),
        lang.pick("未提供", "missing"),
    );
    let status_width = width(provided).max(width(missing));
    for d in &outcome.documents {
        let status = if d.provided {
            paint.paint("32", &pad(provided, status_width))
        } else {
            paint.paint("1;31", &pad(missing, status_width))
        };
        let target = if for_width == 0 {
            String::new()
        } else {
            format!("{}  ", pad(&for_of(&d.target), for_width))
        };
        let id = escaped(&program.rules[d.rule].id);
        let id = lang.pick(format!("（{id}）"), format!("({id})"));
        let line = format!(
            "  {status}  {}  {target}{id}",
            pad(&label(&d.kind), kind_width)
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked() {
        let plain = Paint(false);
        let styled = Paint(true);
        assert_eq!(plain.severity(Severity::Error, Lang::En), "error");
        assert_eq!(
            styled.severity(Severity::Error, Lang::En),
            "\x1b[1;31merror\x1b[0m"
        );
        assert_eq!(
            styled.severity(Severity::Error, Lang::Zh),
            "\x1b[1;31m错误\x1b[0m"
        );
        assert_eq!(styled.paint("32", "provided"), "\x1b[32mprovided\x1b[0m");
    }

    #[test]
    fn counts_read_as_each_language_counts() {
        assert_eq!(counted(1, Severity::Error, Lang::En), "1 error");
        assert_eq!(counted(2, Severity::Warning, Lang::En), "2 warnings");
        assert_eq!(counted(0, Severity::Info, Lang::En), "0 info");
        assert_eq!(counted(2, Severity::Error, Lang::Zh), "2 个错误");
        assert_eq!(counted(0, Severity::Info, Lang::Zh), "0 条提示");
    }
}
