//! The result of `diff` for people (human text, Markdown for a pull-request
//! comment) and programs (JSON). Human text and Markdown are written in the
//! language asked for; rule ids, clauses and JSON keys stay as they are.

use std::fmt::Write;

use serde::Serialize;

use super::impact::{AppChange, FindingRef, Impact, Verdict};
use super::schema::SchemaChange;
use super::{Change, EditionChange, Kind, RuleDiff, RuleFacts, Texts};
use crate::lang::Lang;
use crate::markdown::{cell, code, fence, text};

/// Everything `diff` found.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// The old and the new rule set, as the user named them.
    pub old: &'a str,
    pub new: &'a str,
    pub rules: &'a RuleDiff,
    /// With applications: what the change does to them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<&'a Impact>,
}

/// The report as one JSON object.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).expect("the report serializes") + "\n"
}

fn verdict(v: Verdict, lang: Lang) -> &'static str {
    match v {
        Verdict::Accept => lang.pick("通过", "accept"),
        Verdict::Reject => lang.pick("不通过", "reject"),
        Verdict::Invalid => lang.pick("无效", "invalid"),
    }
}

fn kind(k: Kind, lang: Lang) -> &'static str {
    match k {
        Kind::Rule => lang.pick("规则", "rule"),
        Kind::Document => lang.pick("材料要求", "document"),
        Kind::Invariant => lang.pick("格式条件", "invariant"),
    }
}

fn section(source: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {source} 节"),
        Lang::En => format!("section {source}"),
    }
}

fn message_label(lang: Lang, of: Lang) -> String {
    match (lang, of) {
        (Lang::Zh, Lang::Zh) => "中文消息".into(),
        (Lang::Zh, Lang::En) => "英文消息".into(),
        (Lang::En, _) => format!("message ({of})"),
    }
}

/// A title with a count: `Rules changed (3)`, `修改规则（3）`.
fn counted(title: &str, n: usize, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{title}（{n}）"),
        Lang::En => format!("{title} ({n})"),
    }
}

/// The counts of the changes of the rules: (label, number).
fn rule_rows(rules: &RuleDiff, lang: Lang) -> Vec<(String, u64)> {
    vec![
        (
            lang.pick("新增规则", "rules added").to_string(),
            rules.added.len() as u64,
        ),
        (
            lang.pick("删除规则", "rules removed").to_string(),
            rules.removed.len() as u64,
        ),
        (
            lang.pick("修改规则", "rules changed").to_string(),
            rules.changed.len() as u64,
        ),
        (
            lang.pick("定义变更", "definition changes").to_string(),
            rules.definitions.len() as u64,
        ),
        (
            lang.pick("版本变更", "edition changes").to_string(),
            rules.editions.len() as u64,
        ),
        (
            lang.pick("申请格式变更", "schema changes").to_string(),
            rules.schema.len() as u64,
        ),
    ]
}

/// The counts of the summary: (label, number), those of the rules
/// ([`rule_rows`]) first, then those of the applications.
fn summary(report: &Report, lang: Lang) -> Vec<(String, u64)> {
    let mut rows = rule_rows(report.rules, lang);
    if let Some(impact) = report.impact {
        rows.push((
            lang.pick("检查的申请", "applications checked").to_string(),
            impact.applications,
        ));
        rows.push((
            lang.pick("结论改变的申请", "verdicts changed").to_string(),
            impact.verdicts_changed(),
        ));
        for (old, new, n) in impact.transitions().filter(|(o, n, _)| o != n) {
            rows.push((
                format!("{} → {}", verdict(old, lang), verdict(new, lang)),
                n,
            ));
        }
        rows.push((
            lang.pick(
                "有改变的申请（结论或发现）",
                "applications changed (verdict or findings)",
            )
            .to_string(),
            impact.changed,
        ));
    }
    rows
}

fn findings_text(findings: &[FindingRef], sign: &str, lang: Lang) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{sign}{}{}",
                f.rule,
                parenthesized(f.severity.word(lang), lang).replacen('(', " (", 1)
            )
        })
        .collect()
}

/// One changed application on one line: `line 4: accept → reject; + a (error)`.
fn app_line(app: &AppChange, lang: Lang) -> String {
    let mut parts = findings_text(&app.appeared, "+ ", lang);
    parts.extend(findings_text(&app.disappeared, "− ", lang));
    parts.extend(findings_text(&app.regraded, "~ ", lang));
    for (error, side) in [(&app.old_error, "old"), (&app.new_error, "new")] {
        if let Some(error) = error
            && app.old != app.new
        {
            let side = match (lang, side) {
                (Lang::Zh, "old") => "原规则下无效",
                (Lang::Zh, _) => "新规则下无效",
                (_, "old") => "invalid under the old rules",
                _ => "invalid under the new rules",
            };
            // One line whatever the application holds: a line break of its
            // own would forge a line of the report.
            parts.push(format!("{side}: {}", crate::terminal::escaped(error)));
        }
    }
    let mut head = match lang {
        Lang::Zh => format!("第 {} 行", app.line),
        Lang::En => format!("line {}", app.line),
    };
    if !app.about.is_empty() {
        let about = app.about.join(lang.pick("，", ", "));
        head = match lang {
            Lang::Zh => format!("{head}（{about}）"),
            Lang::En => format!("{head} ({about})"),
        };
    }
    let verdicts = format!("{} → {}", verdict(app.old, lang), verdict(app.new, lang));
    if parts.is_empty() {
        format!("{head}{}{verdicts}", lang.colon())
    } else {
        let sep = separator(lang);
        format!("{head}{}{verdicts}{sep}{}", lang.colon(), parts.join(sep))
    }
}

/// A rule's lines of detail but its condition, each a (label, text).
fn rule_details(rule: &RuleFacts, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(window) = &rule.in_force {
        out.push((lang.pick("施行", "in force").to_string(), window.clone()));
    }
    if let Some(document) = &rule.document {
        out.push((lang.pick("材料", "documents").to_string(), document.clone()));
    }
    for of in Lang::ALL {
        if let Some(text) = rule.message.get(of) {
            out.push((message_label(lang, of), text.clone()));
        }
    }
    out
}

fn used_by_label(lang: Lang) -> &'static str {
    lang.pick("使用它的规则", "used by")
}

/// `used by a, b and c` (none: `used by none`).
fn used_by(ids: &[String], lang: Lang) -> String {
    format!("{}{}{}", used_by_label(lang), lang.colon(), lang.join(ids))
}

/// When a rule is in force; without dates, always.
fn always(text: &Option<String>, lang: Lang) -> String {
    text.clone()
        .unwrap_or_else(|| lang.pick("始终", "always").to_string())
}

fn condition_label(lang: Lang) -> &'static str {
    lang.pick("条件：", "condition:")
}

fn none(text: &Option<String>, lang: Lang) -> String {
    text.clone()
        .unwrap_or_else(|| lang.pick("（无）", "(none)").to_string())
}

/// What changed of a rule, each a (label, old, new); for a condition, the
/// clauses gone and new in `old` and `new` (one a line).
fn change_rows(change: &Change, lang: Lang) -> (String, Vec<String>, Vec<String>) {
    match change {
        Change::Kind { old, new } => (
            lang.pick("种类", "kind").into(),
            vec![kind(*old, lang).into()],
            vec![kind(*new, lang).into()],
        ),
        Change::Severity { old, new } => (
            lang.pick("级别", "severity").into(),
            vec![old.word(lang).into()],
            vec![new.word(lang).into()],
        ),
        Change::Source { old, new } => (
            lang.pick("条款", "section").into(),
            vec![old.clone()],
            vec![new.clone()],
        ),
        Change::Condition { removed, added } => (
            lang.pick("条件", "condition").into(),
            removed.clone(),
            added.clone(),
        ),
        Change::Message { lang: of, old, new } => (
            message_label(lang, *of),
            vec![none(old, lang)],
            vec![none(new, lang)],
        ),
        Change::Document { old, new } => (
            lang.pick("材料", "documents").into(),
            vec![none(old, lang)],
            vec![none(new, lang)],
        ),
        Change::InForce { old, new } => (
            lang.pick("施行", "in force").into(),
            vec![always(old, lang)],
            vec![always(new, lang)],
        ),
    }
}

/// `(rule, error, section 5.3.1, provinces/beijing.icp:40)`.
fn heading(rule: &RuleFacts, lang: Lang) -> String {
    let parts = [
        kind(rule.kind, lang).to_string(),
        rule.severity.word(lang).to_string(),
        section(&rule.source, lang),
        rule.origin.clone(),
    ];
    match lang {
        Lang::Zh => format!("（{}）", parts.join("，")),
        Lang::En => format!("({})", parts.join(", ")),
    }
}

/// Whether an old and a new text are short enough to read as `old → new`.
fn fits_one_line(old: &[String], new: &[String]) -> bool {
    crate::lang::width(&old.join(" ")) + crate::lang::width(&new.join(" ")) <= 60
}

fn parenthesized(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("（{text}）"),
        Lang::En => format!("({text})"),
    }
}

/// Between the parts of a line: `；` or `; `.
fn separator(lang: Lang) -> &'static str {
    lang.pick("；", "; ")
}

/// The report as text for a terminal.
pub fn human(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let rules = report.rules;
    let _ = writeln!(
        out,
        "{}{} → {}",
        lang.pick("规则：", "rules: "),
        report.old,
        report.new
    );
    if rules.is_empty() {
        let _ = writeln!(out, "  {}", lang.pick("没有规则改变", "no rule changed"));
    } else {
        let counts: Vec<String> = rule_rows(rules, lang)
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(label, n)| format!("{label} {n}"))
            .collect();
        let _ = writeln!(out, "  {}", counts.join(lang.pick("，", ", ")));
    }
    let list = |out: &mut String, title: &str, sign: &str, rules: &[RuleFacts]| {
        if rules.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{title}");
        for rule in rules {
            let _ = writeln!(out, "  {sign} {}  {}", rule.id, heading(rule, lang));
            let _ = writeln!(out, "      {}", condition_label(lang));
            for clause in &rule.condition {
                let _ = writeln!(out, "        {clause}");
            }
            for (label, text) in rule_details(rule, lang) {
                let _ = writeln!(out, "      {label}{}{text}", lang.colon());
            }
        }
    };
    list(&mut out, lang.pick("新增规则", "added"), "+", &rules.added);
    list(
        &mut out,
        lang.pick("删除规则", "removed"),
        "-",
        &rules.removed,
    );
    if !rules.changed.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("修改规则", "changed"));
        for rule in &rules.changed {
            let _ = writeln!(
                out,
                "  ~ {}  {}",
                rule.id,
                parenthesized(&rule.origin, lang)
            );
            for change in &rule.changes {
                let (label, old, new) = change_rows(change, lang);
                if let Change::Condition { .. } = change {
                    let _ = writeln!(out, "      {label}{}", lang.colon().trim_end());
                    for clause in &old {
                        let _ = writeln!(out, "        - {clause}");
                    }
                    for clause in &new {
                        let _ = writeln!(out, "        + {clause}");
                    }
                } else if fits_one_line(&old, &new) {
                    let _ = writeln!(
                        out,
                        "      {label}{}{} → {}",
                        lang.colon(),
                        old.join(" "),
                        new.join(" ")
                    );
                } else {
                    // Long texts one under the other, to be read side by side.
                    let _ = writeln!(out, "      {label}{}", lang.colon().trim_end());
                    let _ = writeln!(out, "        - {}", old.join(" "));
                    let _ = writeln!(out, "        + {}", new.join(" "));
                }
            }
        }
    }
    if !rules.definitions.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("定义变更", "definition changes"));
        for def in &rules.definitions {
            // As the rules are marked: added, removed, changed.
            let mark = match (&def.old, &def.new) {
                (None, Some(_)) => '+',
                (Some(_), None) => '-',
                _ => '~',
            };
            let _ = writeln!(out, "  {mark} {}", def.name);
            if let Some(old) = &def.old {
                let _ = writeln!(out, "      - {old}");
            }
            if let Some(new) = &def.new {
                let _ = writeln!(out, "      + {new}");
            }
            let _ = writeln!(out, "      {}", used_by(&def.used_by, lang));
        }
    }
    if !rules.editions.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("版本变更", "edition changes"));
        for edition in &rules.editions {
            let _ = writeln!(
                out,
                "  {} {}",
                edition_mark(edition),
                edition_line(edition, lang)
            );
        }
    }
    if !rules.schema.is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("申请格式变更", "schema changes"));
        for change in &rules.schema {
            let _ = writeln!(out, "  {} {}", schema_mark(change), change.item);
            for line in &change.removed {
                let _ = writeln!(out, "      - {line}");
            }
            for line in &change.added {
                let _ = writeln!(out, "      + {line}");
            }
        }
    }
    if let Some(impact) = report.impact {
        human_impact(&mut out, impact, lang);
    }
    out
}

/// Added, removed, changed: as rules are marked.
fn schema_mark(change: &SchemaChange) -> char {
    match (change.old, change.new) {
        (false, _) => '+',
        (_, false) => '-',
        _ => '~',
    }
}

/// Added, removed, renamed: as rules are marked.
fn edition_mark(edition: &EditionChange) -> char {
    match (&edition.old, &edition.new) {
        (None, Some(_)) => '+',
        (Some(_), None) => '-',
        _ => '~',
    }
}

/// `issued 2027-01-01: issue of 2027-01-01`, a renamed one `old → new`.
fn edition_line(edition: &EditionChange, lang: Lang) -> String {
    let title = |texts: &Option<Texts>| {
        texts
            .as_ref()
            .and_then(|t| t.get(lang).or(t.get(lang.other())))
            .cloned()
            .unwrap_or_default()
    };
    let titles = match (&edition.old, &edition.new) {
        (Some(_), Some(_)) => format!("{} → {}", title(&edition.old), title(&edition.new)),
        (Some(_), None) => title(&edition.old),
        _ => title(&edition.new),
    };
    format!(
        "{}{}{}{titles}",
        lang.pick("发布于 ", "issued "),
        edition.issued,
        lang.colon()
    )
}

fn human_impact(out: &mut String, impact: &Impact, lang: Lang) {
    let _ = writeln!(
        out,
        "\n{}",
        match lang {
            Lang::Zh => format!(
                "申请：检查 {} 份，{} 份结论改变，{} 份有改变（结论或发现）",
                impact.applications,
                impact.verdicts_changed(),
                impact.changed
            ),
            Lang::En => format!(
                "applications: {} checked, {} verdicts changed, {} changed (verdict or findings)",
                impact.applications,
                impact.verdicts_changed(),
                impact.changed
            ),
        }
    );
    for (old, new, n) in impact.transitions() {
        let marker = if old == new { " " } else { "*" };
        let transition = format!("{} → {}", verdict(old, lang), verdict(new, lang));
        let _ = writeln!(
            out,
            "  {marker} {} {n:>8}",
            crate::lang::pad(&transition, 22)
        );
    }
    if !impact.rules.is_empty() {
        let width = impact
            .rules
            .keys()
            .map(|id| crate::lang::width(id))
            .max()
            .unwrap_or(0)
            .max(4);
        let [fail, pass, regraded] = rule_columns(lang);
        // Right-aligned as a terminal counts columns (Chinese takes two).
        let column =
            |text: &str| " ".repeat(12usize.saturating_sub(crate::lang::width(text))) + text;
        let _ = writeln!(
            out,
            "\n  {} {} {} {}",
            crate::lang::pad(lang.pick("规则", "rule"), width),
            column(fail),
            column(pass),
            column(regraded),
        );
        for (id, counts) in &impact.rules {
            let _ = writeln!(
                out,
                "  {} {:>12} {:>12} {:>12}",
                crate::lang::pad(id, width),
                counts.newly_fail,
                counts.newly_pass,
                counts.regraded
            );
        }
    }
    if impact.changed > 0 {
        let _ = writeln!(out, "\n  {}", listed_title(impact, lang));
        for app in &impact.listed {
            let _ = writeln!(out, "    {}", app_line(app, lang));
        }
        if impact.not_listed() > 0 {
            let _ = writeln!(out, "    {}", and_more(impact.not_listed(), lang));
        }
    }
}

/// The columns of the impact by rule.
fn rule_columns(lang: Lang) -> [&'static str; 3] {
    [
        lang.pick("新触发", "newly fail"),
        lang.pick("不再触发", "newly pass"),
        lang.pick("级别改变", "regraded"),
    ]
}

fn listed_title(impact: &Impact, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("改变的申请（共 {} 份）", impact.changed),
        Lang::En => format!("changed applications ({})", impact.changed),
    }
}

fn and_more(n: u64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("……另有 {n} 份未列出"),
        Lang::En => format!("… and {n} more"),
    }
}

/// The report as Markdown for a pull-request comment: a summary table first,
/// the details folded.
pub fn markdown(report: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let rules = report.rules;
    let _ = writeln!(
        out,
        "### {}{} → {}\n",
        lang.pick("规则变更：", "Rule changes: "),
        code(report.old),
        code(report.new)
    );
    if rules.is_empty() {
        let _ = writeln!(out, "{}\n", lang.pick("没有规则改变。", "No rule changed."));
    }
    let _ = writeln!(out, "| | {} |\n|---|---:|", lang.pick("数量", "count"));
    for (label, n) in summary(report, lang) {
        let _ = writeln!(out, "| {} | {n} |", cell(&text(&label)));
    }
    let fold = |out: &mut String, title: String, body: String| {
        let _ = write!(
            out,
            "\n<details><summary>{title}</summary>\n\n{body}\n</details>\n"
        );
    };
    for (title, rules) in [
        (lang.pick("新增规则", "Rules added"), &rules.added),
        (lang.pick("删除规则", "Rules removed"), &rules.removed),
    ] {
        if rules.is_empty() {
            continue;
        }
        let mut body = String::new();
        for rule in rules {
            let _ = writeln!(
                body,
                "- {}{}{}",
                code(&rule.id),
                lang.pick("", " "),
                text(&heading(rule, lang))
            );
            let lines: Vec<&str> = rule.condition.iter().map(String::as_str).collect();
            let _ = writeln!(body, "  - {}\n", condition_label(lang));
            block(&mut body, "", &lines);
            for (label, text) in rule_details(rule, lang) {
                let _ = writeln!(body, "  - {label}{}{}", lang.colon(), code(&text));
            }
        }
        fold(&mut out, counted(title, rules.len(), lang), body);
    }
    if !rules.changed.is_empty() {
        let mut body = String::new();
        for rule in &rules.changed {
            let _ = writeln!(
                body,
                "- {}{}{}",
                code(&rule.id),
                lang.pick("", " "),
                text(&parenthesized(&rule.origin, lang))
            );
            for change in &rule.changes {
                let (label, old, new) = change_rows(change, lang);
                if let Change::Condition { .. } = change {
                    let _ = writeln!(body, "  - {label}{}\n", lang.colon().trim_end());
                    let lines: Vec<String> = (old.iter().map(|c| format!("- {c}")))
                        .chain(new.iter().map(|c| format!("+ {c}")))
                        .collect();
                    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
                    block(&mut body, "diff", &lines);
                } else if fits_one_line(&old, &new) {
                    let _ = writeln!(
                        body,
                        "  - {label}{}{} → {}",
                        lang.colon(),
                        code(&old.join(" ")),
                        code(&new.join(" "))
                    );
                } else {
                    let _ = writeln!(body, "  - {label}{}\n", lang.colon().trim_end());
                    let (old, new) = (
                        format!("- {}", old.join(" ")),
                        format!("+ {}", new.join(" ")),
                    );
                    block(&mut body, "diff", &[&old, &new]);
                }
            }
        }
        fold(
            &mut out,
            counted(
                lang.pick("修改规则", "Rules changed"),
                rules.changed.len(),
                lang,
            ),
            body,
        );
    }
    if !rules.definitions.is_empty() {
        let mut body = String::new();
        for def in &rules.definitions {
            let _ = writeln!(body, "- {}\n", code(&def.name));
            let lines: Vec<String> = (def.old.iter().map(|d| format!("- {d}")))
                .chain(def.new.iter().map(|d| format!("+ {d}")))
                .collect();
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            block(&mut body, "diff", &lines);
            let users: Vec<String> = def.used_by.iter().map(|id| code(id)).collect();
            let _ = writeln!(
                body,
                "  {}{}{}\n",
                used_by_label(lang),
                lang.colon(),
                lang.join(&users)
            );
        }
        fold(
            &mut out,
            counted(
                lang.pick("定义变更", "Definition changes"),
                rules.definitions.len(),
                lang,
            ),
            body,
        );
    }
    if !rules.editions.is_empty() {
        let body: String = rules
            .editions
            .iter()
            // A `+` after the bullet would open a list of its own.
            .map(|e| {
                let what = match edition_mark(e) {
                    '+' => lang.pick("新增", "added"),
                    '-' => lang.pick("删除", "removed"),
                    _ => lang.pick("更名", "renamed"),
                };
                format!(
                    "- {}{}{}\n",
                    text(&edition_line(e, lang)),
                    lang.pick("", " "),
                    parenthesized(what, lang)
                )
            })
            .collect();
        fold(
            &mut out,
            counted(
                lang.pick("版本变更", "Edition changes"),
                rules.editions.len(),
                lang,
            ),
            body,
        );
    }
    if !rules.schema.is_empty() {
        let mut body = String::new();
        for change in &rules.schema {
            let what = match schema_mark(change) {
                '+' => lang.pick("新增", "added"),
                '-' => lang.pick("删除", "removed"),
                _ => lang.pick("修改", "changed"),
            };
            let _ = writeln!(
                body,
                "- {}{}{}\n",
                code(&change.item),
                lang.pick("", " "),
                parenthesized(what, lang)
            );
            let lines: Vec<String> = (change.removed.iter().map(|l| format!("- {l}")))
                .chain(change.added.iter().map(|l| format!("+ {l}")))
                .collect();
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            block(&mut body, "diff", &lines);
        }
        fold(
            &mut out,
            counted(
                lang.pick("申请格式变更", "Schema changes"),
                rules.schema.len(),
                lang,
            ),
            body,
        );
    }
    if let Some(impact) = report.impact {
        if !impact.rules.is_empty() {
            let [fail, pass, regraded] = rule_columns(lang);
            let mut body = format!(
                "| {} | {fail} | {pass} | {regraded} |\n|---|---:|---:|---:|\n",
                lang.pick("规则", "rule"),
            );
            for (id, counts) in &impact.rules {
                let _ = writeln!(
                    body,
                    "| {} | {} | {} | {} |",
                    cell(&code(id)),
                    counts.newly_fail,
                    counts.newly_pass,
                    counts.regraded
                );
            }
            fold(
                &mut out,
                lang.pick("各规则的影响", "Impact by rule").to_string(),
                body,
            );
        }
        if impact.changed > 0 {
            let mut body = String::new();
            for app in &impact.listed {
                let _ = writeln!(body, "- {}", text(&app_line(app, lang)));
            }
            if impact.not_listed() > 0 {
                let _ = writeln!(body, "- {}", and_more(impact.not_listed(), lang));
            }
            let mut title = listed_title(impact, lang);
            // A title in Markdown starts with a capital.
            if let Some(first) = title.get(..1) {
                title = first.to_uppercase() + &title[1..];
            }
            fold(&mut out, title, body);
        }
    }
    out
}

/// A code block under a list item: indented, one line a line (a line break
/// inside one indented too), its fence longer than any backticks inside.
fn block(body: &mut String, info: &str, lines: &[&str]) {
    let fence = fence(lines.iter().copied());
    let _ = writeln!(body, "    {fence}{info}");
    for line in lines {
        for part in line.lines() {
            let _ = writeln!(body, "    {part}");
        }
    }
    let _ = writeln!(body, "    {fence}\n");
}
