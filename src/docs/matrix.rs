//! The index of the pages and the comparison of the rule sets. What is
//! compared is found generically: rule names and definitions that several
//! rule sets share.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::page::{anchor, cell, code, counted, finish, rule_link};
use super::{GENERATED, RuleDoc, RulesetDoc};
use crate::lang::Lang;
use crate::syntax::ast::{RuleKind, Severity};

/// `3 rule sets` (`3 个规则集`).
fn rulesets_counted(lang: Lang, n: usize) -> String {
    counted(lang, n, "个规则集", "rule set")
}

/// The index; `translation` links the same page in the other language.
pub(super) fn index(rulesets: &[RulesetDoc], lang: Lang, translation: Option<&str>) -> String {
    let mut out = match lang {
        Lang::En => format!(
            "{GENERATED}\n\n# Rule sets\n\n\
             One page per rule set, in the order of their files, and \
             [the comparison of the rule sets](matrix.md).\n\n"
        ),
        Lang::Zh => format!(
            "{GENERATED}\n\n# 规则集\n\n\
             每个规则集一页，按文件顺序排列；另见[规则集对比](matrix.md)。\n\n"
        ),
    };
    if let Some(link) = translation {
        let _ = writeln!(
            out,
            "{}\n",
            lang.pick(format!("[English]({link})"), format!("[中文]({link})"))
        );
    }
    out.push_str(lang.pick(
        "| 规则集 | 章节 | 适用条件 | 规则 | 材料 |\n|---|---|---|--:|--:|\n",
        "| Rule set | Section | Applies when | Rules | Documents |\n|---|---|---|--:|--:|\n",
    ));
    let (mut rules, mut documents) = (0, 0);
    for rs in rulesets {
        let when: Vec<String> = rs.when.iter().map(|w| code(&cell(w))).collect();
        let (r, d) = (rs.count(RuleKind::Rule), rs.count(RuleKind::Document));
        rules += r;
        documents += d;
        let _ = writeln!(
            out,
            "| [{}]({}.md) | {} | {} | {r} | {d} |",
            rs.name,
            rs.name,
            rs.section.as_deref().map(cell).unwrap_or_default(),
            if when.is_empty() {
                lang.pick("始终", "always").to_string()
            } else {
                when.join(lang.pick(" 或 ", " or "))
            },
        );
    }
    let _ = writeln!(
        out,
        "| {} | | | {rules} | {documents} |",
        rulesets_counted(lang, rulesets.len())
    );
    finish(out)
}

/// Rule sets in rows would make a table as wide as the longest list of
/// shared names; with a few dozen rule sets, neither orientation of a grid
/// fits a page. Each shared name is a row instead, listing the rule sets that
/// have it.
pub(super) fn matrix(rulesets: &[RulesetDoc], lang: Lang) -> String {
    let count = rulesets_counted(lang, rulesets.len());
    let mut out = match lang {
        Lang::En => format!(
            "{GENERATED}\n\n# Comparison of the rule sets\n\n\
             What several of the {count} have in common, found from their names: \
             [all rule sets](index.md).\n\n",
        ),
        Lang::Zh => format!(
            "{GENERATED}\n\n# 规则集对比\n\n\
             按名称比较 {count}，列出多个规则集共有的内容：[全部规则集](index.md)。\n\n",
        ),
    };
    glance(&mut out, rulesets, lang);
    shared_rules(&mut out, rulesets, lang);
    shared_definitions(&mut out, rulesets, lang);
    overrides(&mut out, rulesets, lang);
    finish(out)
}

/// The rules by name, one a rule set: the versions of a rule (one id, each
/// in force on its own days) count once, by the first.
fn by_name(rulesets: &[RulesetDoc]) -> BTreeMap<String, Vec<&RuleDoc>> {
    let mut names: BTreeMap<String, Vec<&RuleDoc>> = BTreeMap::new();
    for rs in rulesets {
        for r in &rs.rules {
            let rules = names.entry(r.name.clone()).or_default();
            if !rules.iter().any(|other| other.id == r.id) {
                rules.push(r);
            }
        }
    }
    names
}

/// Rows sorted by how many rule sets share them, most first, then by name.
fn by_spread<T>(rows: BTreeMap<String, Vec<T>>) -> Vec<(String, Vec<T>)> {
    let mut rows: Vec<(String, Vec<T>)> = rows.into_iter().filter(|(_, v)| v.len() >= 2).collect();
    rows.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// Columns of the grid: the most shared rule names, numbered so that the
/// grid stays narrow (names are in the legend).
const GLANCE_COLUMNS: usize = 12;

/// A grid of rule sets against the rule names most of them share, so a
/// reader sees at once which rule sets ask what.
fn glance(out: &mut String, rulesets: &[RulesetDoc], lang: Lang) {
    let names = by_name(rulesets);
    let columns: Vec<(String, Vec<&RuleDoc>)> = by_spread(names)
        .into_iter()
        .filter(|(_, rules)| rules.len() >= 3)
        .take(GLANCE_COLUMNS)
        .collect();
    if columns.is_empty() {
        return;
    }
    out.push_str(lang.pick(
        "## 一览\n\n\
         最多规则集共有的规则名称（编号；名称列在表下），以及哪些规则集有这些规则：\
         ✓ 为错误，否则注明规则的级别。\n\n",
        "## At a glance\n\n\
         The rule names shared by the most rule sets (numbered; the names are below the \
         grid), and which rule sets have them: ✓ an error, or the rule's severity.\n\n",
    ));
    let numbers: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
    let _ = writeln!(
        out,
        "| {} | {} |",
        lang.pick("规则集", "Rule set"),
        numbers.join(" | ")
    );
    let _ = writeln!(out, "|---|{}", ":-:|".repeat(columns.len()));
    for rs in rulesets {
        let cells: Vec<String> = columns
            .iter()
            .map(
                |(name, _)| match rs.rules.iter().find(|r| &r.name == name) {
                    Some(r) if r.severity == Severity::Error => {
                        format!("[✓]({}.md#{})", rs.name, anchor(name))
                    }
                    Some(r) => format!(
                        "[{}]({}.md#{})",
                        r.severity.word(lang),
                        rs.name,
                        anchor(name)
                    ),
                    None => String::new(),
                },
            )
            .collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        let _ = writeln!(
            out,
            "| [{}]({}.md) | {} |",
            rs.name,
            rs.name,
            cells.join(" | ")
        );
    }
    out.push('\n');
    for (i, (name, rules)) in columns.iter().enumerate() {
        let count = rulesets_counted(lang, rules.len());
        let _ = match lang {
            Lang::En => writeln!(out, "{}. {} ({count})", i + 1, code(name)),
            Lang::Zh => writeln!(out, "{}. {}（{count}）", i + 1, code(name)),
        };
    }
    out.push('\n');
}

fn shared_rules(out: &mut String, rulesets: &[RulesetDoc], lang: Lang) {
    let names = by_name(rulesets);
    let rows = by_spread(names);
    out.push_str(lang.pick(
        "## 多个规则集中的规则\n\n\
         出现在两个或更多规则集中的规则名称（规则编号中规则集名称之后的部分），\
         级别不是错误时注明级别，并注明所取代的规则（如有）。\n\n",
        "## Rules in several rule sets\n\n\
         Rule names (the part of the id after the rule set's name) found in two or more \
         rule sets, each with its rule's severity when that is not error, and the rule \
         it overrides, if any.\n\n",
    ));
    if rows.is_empty() {
        out.push_str(lang.pick(
            "没有规则名称出现在两个规则集中。\n\n",
            "No rule name is in two rule sets.\n\n",
        ));
        return;
    }
    out.push_str(lang.pick(
        "| 规则 | 规则集数 | 所在 |\n|---|--:|---|\n",
        "| Rule | Rule sets | Where |\n|---|--:|---|\n",
    ));
    for (name, rules) in rows {
        let places: Vec<String> = rules
            .iter()
            .map(|r| {
                let ruleset = &r.id[..r.id.len() - r.name.len() - 1];
                let mut place = format!("[{ruleset}]({ruleset}.md#{})", anchor(&r.name));
                let mut notes = Vec::new();
                if r.severity != Severity::Error {
                    notes.push(r.severity.word(lang).to_string());
                }
                if r.history.len() > 1 {
                    notes.push(match lang {
                        Lang::En => format!("{} versions", r.history.len()),
                        Lang::Zh => format!("{} 个版本", r.history.len()),
                    });
                }
                if let Some(target) = &r.overrides {
                    notes.push(format!(
                        "{} {}",
                        lang.pick("取代", "overrides"),
                        code(target)
                    ));
                }
                if !notes.is_empty() {
                    let _ = match lang {
                        Lang::En => write!(place, " ({})", notes.join(", ")),
                        Lang::Zh => write!(place, "（{}）", notes.join("，")),
                    };
                }
                place
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code(&name),
            rules.len(),
            places.join(lang.pick("、", ", "))
        );
    }
    out.push('\n');
}

fn shared_definitions(out: &mut String, rulesets: &[RulesetDoc], lang: Lang) {
    // For each definition, each rule set using it with its number of rules.
    let mut defs: BTreeMap<String, Vec<(&str, usize)>> = BTreeMap::new();
    for rs in rulesets {
        let mut here: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &rs.rules {
            for d in &r.defs {
                *here.entry(d).or_default() += 1;
            }
        }
        for (d, n) in here {
            defs.entry(d.to_string()).or_default().push((&rs.name, n));
        }
    }
    let rows = by_spread(defs);
    out.push_str(lang.pick(
        "## 多个规则集使用的定义\n\n\
         两个或更多规则集的规则在其子句中直接使用的定义（`def`），\
         以及各规则集中使用它的规则数。\n\n",
        "## Definitions used by several rule sets\n\n\
         Definitions (`def`) that rules of two or more rule sets name in their own \
         clauses, with how many rules of each use them.\n\n",
    ));
    if rows.is_empty() {
        out.push_str(lang.pick(
            "没有定义被两个规则集使用。\n\n",
            "No definition is used by two rule sets.\n\n",
        ));
        return;
    }
    out.push_str(lang.pick(
        "| 定义 | 规则集数 | 使用者 |\n|---|--:|---|\n",
        "| Definition | Rule sets | Used by |\n|---|--:|---|\n",
    ));
    for (name, uses) in rows {
        let uses: Vec<String> = uses
            .iter()
            .map(|(rs, n)| match lang {
                Lang::En => format!("[{rs}]({rs}.md) ({n})"),
                Lang::Zh => format!("[{rs}]({rs}.md)（{n}）"),
            })
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            code(&name),
            uses.len(),
            uses.join(lang.pick("、", ", "))
        );
    }
    out.push('\n');
}

fn overrides(out: &mut String, rulesets: &[RulesetDoc], lang: Lang) {
    let overridden: Vec<&RuleDoc> = rulesets
        .iter()
        .flat_map(|rs| &rs.rules)
        .filter(|r| !r.overridden_by.is_empty())
        .collect();
    out.push_str(lang.pick(
        "## 取代\n\n在其他规则适用之处被其取代的规则。\n\n",
        "## Overrides\n\nRules that other rules replace where those apply.\n\n",
    ));
    if overridden.is_empty() {
        out.push_str(lang.pick(
            "没有规则取代其他规则。\n\n",
            "No rule overrides another.\n\n",
        ));
        return;
    }
    out.push_str(lang.pick(
        "| 规则 | 被取代于 |\n|---|---|\n",
        "| Rule | Overridden by |\n|---|---|\n",
    ));
    for r in overridden {
        let by: Vec<String> = r.overridden_by.iter().map(|id| rule_link(id)).collect();
        let _ = writeln!(
            out,
            "| {} | {} |",
            rule_link(&r.id),
            by.join(lang.pick("、", ", "))
        );
    }
    out.push('\n');
}
