//! A rule set's page, and the Markdown helpers the pages share.

use std::fmt::Write;

use super::{GENERATED, RuleDoc, RulesetDoc};
use crate::lang::Lang;
use crate::syntax::ast::RuleKind;

pub(super) fn ruleset(rs: &RulesetDoc, lang: Lang) -> String {
    let mut out = format!("{GENERATED}\n\n# {}\n\n", one_line(&rs.title(lang)));
    let files: Vec<String> = rs.files.iter().map(|f| code(f)).collect();
    let when: Vec<String> = rs.when.iter().map(|w| code(&one_line(w))).collect();
    let (rules, documents) = (rs.count(RuleKind::Rule), rs.count(RuleKind::Document));
    // A page titled by its section says which rule set it is.
    let _ = match lang {
        Lang::En => writeln!(
            out,
            "{} {}: {}. {} and {}. See also [all rule sets](index.md) and \
             [the comparison of rule sets](matrix.md).\n",
            match rs.section {
                Some(_) => format!("Rule set {} in", code(&rs.name)),
                None => "In".to_string(),
            },
            files.join(", "),
            if when.is_empty() {
                "applies to every application".to_string()
            } else {
                format!("applies when {}", when.join(" or "))
            },
            counted(lang, rules, "", "rule"),
            counted(lang, documents, "", "document requirement"),
        ),
        Lang::Zh => writeln!(
            out,
            "{}{}：{}。{}，{}。另见[全部规则集](index.md)和[规则集对比](matrix.md)。\n",
            match rs.section {
                Some(_) => format!("规则集 {}，写于 ", code(&rs.name)),
                None => "写于 ".to_string(),
            },
            files.join("、"),
            if when.is_empty() {
                "适用于每份申请".to_string()
            } else {
                format!("适用于 {} 时", when.join(" 或 "))
            },
            counted(lang, rules, "条规则", ""),
            counted(lang, documents, "项材料要求", ""),
        ),
    };
    for intro in &rs.intro {
        let _ = writeln!(out, "{}\n", prose(intro));
    }
    for (kind, title) in [
        (RuleKind::Rule, lang.pick("要求", "Requirements")),
        (
            RuleKind::Document,
            lang.pick("所需材料", "Documents required"),
        ),
    ] {
        let rules: Vec<&RuleDoc> = rs
            .rules
            .iter()
            .filter(|r| r.group.is_none() && r.kind == kind)
            .collect();
        if !rules.is_empty() {
            let _ = writeln!(out, "## {title}\n");
            for r in rules {
                rule(&mut out, r, lang);
            }
        }
    }
    for (index, conditions) in rs.groups.iter().enumerate() {
        let rules: Vec<&RuleDoc> = rs.rules.iter().filter(|r| r.group == Some(index)).collect();
        // A group holding only groups is shown through them.
        if rules.is_empty() {
            continue;
        }
        let conditions: Vec<String> = conditions.iter().map(|c| code(&one_line(c))).collect();
        let _ = match lang {
            Lang::En => writeln!(out, "## When {}\n", conditions.join(" and ")),
            Lang::Zh => writeln!(out, "## 当 {} 时\n", conditions.join(" 且 ")),
        };
        for r in rules {
            rule(&mut out, r, lang);
        }
    }
    finish(out)
}

fn rule(out: &mut String, r: &RuleDoc, lang: Lang) {
    let kind = match r.kind {
        RuleKind::Rule => lang.pick("规则", "rule"),
        RuleKind::Document => lang.pick("材料要求", "document requirement"),
    };
    let colon = lang.colon();
    let _ = writeln!(out, "### {}\n", code(&r.name));
    let _ = match lang {
        Lang::En => writeln!(out, "- {kind} {} ({})", code(&r.id), code(&r.origin)),
        Lang::Zh => writeln!(out, "- {kind} {}（{}）", code(&r.id), code(&r.origin)),
    };
    let _ = writeln!(
        out,
        "- {}{colon}{}",
        lang.pick("级别", "severity"),
        r.severity.word(lang)
    );
    let section = match &r.source.1 {
        Some(title) => format!("{} {}", r.source.0, one_line(title)),
        None => r.source.0.clone(),
    };
    let _ = writeln!(out, "- {}{colon}{section}", lang.pick("章节", "section"));
    if !r.window.is_always() {
        let _ = writeln!(
            out,
            "- {}{colon}{}",
            lang.pick("施行期间", "in force"),
            window_words(&r.window, lang)
        );
    }
    if !r.history.is_empty() {
        let versions: Vec<String> = r
            .history
            .iter()
            .map(|(w, origin)| match lang {
                Lang::En => format!("{} ({})", window_words(w, lang), code(origin)),
                Lang::Zh => format!("{}（{}）", window_words(w, lang), code(origin)),
            })
            .collect();
        let _ = writeln!(
            out,
            "- {}{colon}{}",
            lang.pick("各版本", "versions"),
            versions.join(lang.pick("；", "; "))
        );
    }
    if let Some(target) = &r.overrides {
        let _ = writeln!(
            out,
            "- {} {}",
            lang.pick("取代", "overrides"),
            rule_link(target)
        );
    }
    if !r.overridden_by.is_empty() {
        let by: Vec<String> = r.overridden_by.iter().map(|id| rule_link(id)).collect();
        let _ = writeln!(
            out,
            "- {} {}",
            lang.pick("被取代于", "overridden by"),
            by.join(lang.pick("、", ", "))
        );
    }
    if !r.defs.is_empty() {
        let defs: Vec<String> = r.defs.iter().map(|d| code(d)).collect();
        let _ = writeln!(
            out,
            "- {} {}",
            lang.pick("使用", "uses"),
            defs.join(lang.pick("、", ", "))
        );
    }
    out.push('\n');
    if let Some(note) = &r.note {
        let _ = writeln!(out, "{}\n", prose(note));
    }
    let _ = writeln!(out, "> {}\n", r.message);
    let _ = writeln!(out, "```icp\n{}\n```\n", r.clauses.join("\n"));
}

/// When a rule is in force, in words: `from 2026-01-01 until 2026-06-30`
/// (`2026-01-01 起至 2026-06-30`; `until` is the last day).
pub fn window_words(w: &crate::date::Window, lang: Lang) -> String {
    match lang {
        Lang::En => w.to_string(),
        Lang::Zh => match (w.from, w.until) {
            (None, None) => "始终".to_string(),
            (Some(a), None) => format!("{a} 起"),
            (None, Some(b)) => format!("至 {b}"),
            (Some(a), Some(b)) => format!("{a} 起至 {b}"),
        },
    }
}

/// A link to a rule's heading on its rule set's page.
pub(super) fn rule_link(id: &str) -> String {
    match id.split_once('.') {
        Some((ruleset, name)) => format!("[{}]({ruleset}.md#{})", code(id), anchor(name)),
        None => code(id),
    }
}

/// The fragment a Markdown renderer gives the heading `` `name` ``: rule
/// names are lower-case words joined by `-`, which it keeps.
pub(super) fn anchor(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Inline code, fenced so that backticks inside it stay literal.
pub(super) fn code(text: &str) -> String {
    crate::markdown::code(text)
}

/// Text as one line, for headings and table cells.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for a table cell: one line, and `|` does not end the cell.
pub(super) fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

/// A rule author's comment as Markdown: kept as written, except that a line
/// starting with `#` would become a heading.
fn prose(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with('#') {
                format!("\\{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A count and what it counts: `3 rules` (`3 条规则`; the Chinese noun
/// with its measure word).
pub(super) fn counted(lang: Lang, n: usize, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => format!("{n} {zh}"),
        Lang::En => format!("{n} {en}{}", if n == 1 { "" } else { "s" }),
    }
}

/// Ends a page with exactly one newline.
pub(super) fn finish(mut out: String) -> String {
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
