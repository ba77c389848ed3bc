//! Rule tests: applications whose file names say what the rules must make
//! of them. `icprules test` and the crate's own `cargo test` both judge cases
//! with this module, so the two always agree.
//!
//! A case lives at `<folder>/<name>.json`, and its expectation is exact:
//! - `accept-<what>.json` must be accepted, with no finding at all;
//! - otherwise `<name>` (up to its first `.`, so `rule.variant.json` works)
//!   and the folder name form an id `<folder>.<name>`. When a rule has that
//!   id, the case must give a finding of it and no finding of another rule;
//!   when an invariant has it (`invariant/<name>.json`), the application
//!   must fail exactly that invariant and no other.
//!
//! Findings of other rules that a case is meant to give too are listed in
//! an expectation file beside it, `<folder>/<name>.expect` (the case's file
//! name with `.expect` for `.json`): one finding a line, as `RULE_ID` or
//! `RULE_ID at PATH` (the JSON path of the finding), `#` comments; each
//! listed finding must then be given too. A line `...` allows findings that
//! are not listed. A case without an expectation file expects only what its
//! name says, so a new case that also sets off other rules fails until they
//! are listed (or the case is made to set off only its own rule).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::check::Program;
use crate::eval::{Detail, Hits, evaluate_counting, failed_invariants, read_application};

/// What a case's name asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    Accept,
    /// A finding, or the failure of an invariant, with this id.
    Id(String),
}

/// The expectation a case's path states; `None` for a path that is not a case.
pub fn expectation(path: &Path) -> Option<Expect> {
    if path.extension()? != "json" {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    if stem.starts_with("accept-") {
        return Some(Expect::Accept);
    }
    let folder = path.parent()?.file_name()?.to_str()?;
    let name = stem.split('.').next()?;
    Some(Expect::Id(format!("{folder}.{name}")))
}

/// The expectation file of a case: `x.json` -> `x.expect`.
pub fn expectation_file(case: &Path) -> PathBuf {
    case.with_extension("expect")
}

/// The most an expectation file may hold: a list of rule ids, far less
/// than a rule file.
pub const MAX_EXPECTATION_BYTES: u64 = 1 << 20;

/// The text of a case's expectation file, if it has one.
pub fn read_expectation_file(case: &Path) -> std::io::Result<Option<String>> {
    use std::io::Read;
    let file = match std::fs::File::open(expectation_file(case)) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    let mut text = String::new();
    file.take(MAX_EXPECTATION_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_EXPECTATION_BYTES {
        return Err(std::io::Error::other(format!(
            "it is larger than {} KiB, the limit of an expectation file",
            MAX_EXPECTATION_BYTES >> 10
        )));
    }
    Ok(Some(text))
}

/// What an expectation file lists.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listed {
    /// Findings the case must give besides those its name asks for: rule
    /// id, and the path of the finding when given.
    pub findings: Vec<(String, Option<String>)>,
    /// `...`: findings that are not listed are allowed.
    pub others: bool,
}

impl Listed {
    /// Reads an expectation file; an error names the line that is not a
    /// finding.
    pub fn parse(text: &str) -> Result<Listed, String> {
        let mut listed = Listed::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if line.is_empty() {
                continue;
            }
            if line == "..." {
                listed.others = true;
                continue;
            }
            let (id, path) = match line.split_once(" at ") {
                Some((id, path)) => (id.trim(), Some(path.trim().to_string())),
                None => (line, None),
            };
            if id.contains(char::is_whitespace) || !id.contains('.') {
                return Err(format!(
                    "line {}: `{line}` is not `RULE_ID`, `RULE_ID at PATH` or `...`",
                    n + 1
                ));
            }
            listed.findings.push((id.to_string(), path));
        }
        Ok(listed)
    }
}

/// Every `.json` file below the given paths (files or folders), sorted: the
/// cases of `icprules test`, the corpus of `icprules gen`. See
/// [`discover_noting`]; this drops the notes.
pub fn discover(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    discover_noting(paths).map(|(files, _)| files)
}

/// [`discover`], and what was left out and why, for the user: symbolic links
/// to folders are not followed (a link can make a loop), and a file reached
/// by two paths is taken once.
pub fn discover_noting(paths: &[PathBuf]) -> std::io::Result<(Vec<PathBuf>, Vec<String>)> {
    let mut found = Vec::new();
    let mut notes = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found, &mut notes)?;
        } else if path.exists() {
            found.push(path.clone());
        } else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no file or folder `{}`", path.display()),
            ));
        }
    }
    found.sort();
    let mut seen: HashMap<PathBuf, PathBuf> = HashMap::new();
    found.retain(|path| {
        let real = path.canonicalize().unwrap_or_else(|_| path.clone());
        match seen.get(&real) {
            Some(first) => {
                notes.push(format!(
                    "`{}` is the same file as `{}`: taken once",
                    path.display(),
                    first.display()
                ));
                false
            }
            None => {
                seen.insert(real, path.clone());
                true
            }
        }
    });
    Ok((found, notes))
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, notes: &mut Vec<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // The type of the entry itself: a link is not followed.
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&path, found, notes)?;
        } else if kind.is_symlink() && path.is_dir() {
            notes.push(format!(
                "`{}` is a symbolic link to a folder: not followed",
                path.display()
            ));
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
    Ok(())
}

/// What a case gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Got {
    /// Verdict `accept`/`reject`, and the findings (rule id, path), in order.
    Verdict(&'static str, Vec<(String, String)>),
    /// Not a valid application: the ids of the failed invariants (empty when
    /// it is not even in the format), and the error.
    Invalid(Vec<String>, String),
}

/// One judged case.
#[derive(Clone, Debug)]
pub struct Judged {
    pub expect: Expect,
    pub listed: Listed,
    pub got: Got,
    /// Why the case failed; `None` when it passed.
    pub failure: Option<String>,
}

impl Judged {
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }

    /// Expected against actual, as `-` and `+` lines.
    pub fn diff(&self) -> String {
        let mut out = match &self.expect {
            Expect::Accept => "  - verdict accept\n".to_string(),
            Expect::Id(id) => format!("  - finding {id}\n"),
        };
        for (id, path) in &self.listed.findings {
            match path {
                Some(path) => out.push_str(&format!("  - finding {id} at {path}\n")),
                None => out.push_str(&format!("  - finding {id}\n")),
            }
        }
        if self.listed.others {
            out.push_str("  - ... (other findings allowed)\n");
        }
        match &self.got {
            Got::Verdict(verdict, findings) => {
                out.push_str(&format!("  + verdict {verdict}\n"));
                for (id, path) in findings {
                    out.push_str(&format!("  + finding {id} at {path}\n"));
                }
            }
            Got::Invalid(ids, error) => {
                out.push_str(&format!("  + invalid: {error}\n"));
                for id in ids {
                    out.push_str(&format!("  + failed invariant {id}\n"));
                }
            }
        }
        out
    }
}

/// Judges one case: `text` is the application, `expect` what its name asks,
/// `listed` what its expectation file lists (the text, if it has one).
/// `hits` (one per rule of the program) records the rules it made pass and
/// fail.
pub fn judge(
    program: &Program,
    expect: Expect,
    listed: Option<&str>,
    text: &str,
    hits: Option<&mut [Hits]>,
) -> Judged {
    let got = match read_application(&program.schema, text) {
        Err(e) => Got::Invalid(Vec::new(), e.to_string()),
        Ok(data) => {
            let failed = failed_invariants(program, &data);
            if failed.is_empty() {
                let outcome = evaluate_counting(program, &data, Detail::Path, hits);
                let verdict = crate::report::verdict(program, &outcome);
                let findings = outcome
                    .findings
                    .iter()
                    .map(|f| (program.rules[f.rule].id.clone(), f.path.clone()))
                    .collect();
                Got::Verdict(verdict, findings)
            } else {
                // The error of the first, as `check` reports it.
                let error = failed[0].1.to_string();
                let ids = failed
                    .iter()
                    .map(|(i, _)| program.invariants[*i].id.clone())
                    .collect();
                Got::Invalid(ids, error)
            }
        }
    };
    let (listed, failure) = match listed.map(Listed::parse).transpose() {
        Ok(listed) => {
            let listed = listed.unwrap_or_default();
            let failure = failure(program, &expect, &listed, &got);
            (listed, failure)
        }
        Err(e) => (
            Listed::default(),
            Some(format!("its expectation file cannot be read: {e}")),
        ),
    };
    Judged {
        expect,
        listed,
        got,
        failure,
    }
}

/// Why a case fails, if it does.
fn failure(program: &Program, expect: &Expect, listed: &Listed, got: &Got) -> Option<String> {
    let is_rule = |id: &str| program.rules.iter().any(|r| r.id == id);
    if let Some((id, _)) = listed.findings.iter().find(|(id, _)| !is_rule(id)) {
        return Some(format!(
            "its expectation file lists `{id}`, which is no rule{}",
            suggestion(program, id)
        ));
    }
    let named = match expect {
        Expect::Id(id) if is_rule(id) => Some(id.as_str()),
        Expect::Id(id) if program.invariants.iter().any(|r| &r.id == id) => {
            return match got {
                Got::Invalid(ids, _) if ids.len() == 1 && &ids[0] == id => None,
                _ => Some(format!(
                    "expected the application to fail the invariant `{id}` only"
                )),
            };
        }
        Expect::Id(id) => {
            return Some(format!(
                "the case is named after `{id}`, which is no rule or invariant{}: name it \
                 `accept-...` or after the rule it tests",
                suggestion(program, id)
            ));
        }
        Expect::Accept => None,
    };
    let Got::Verdict(verdict, findings) = got else {
        return Some(match named {
            Some(id) => format!("expected a finding of `{id}`"),
            None => "expected the application to be accepted".to_string(),
        });
    };
    if named.is_none() && *verdict != "accept" {
        return Some("expected the application to be accepted".to_string());
    }
    if let Some(id) = named
        && !findings.iter().any(|(f, _)| f == id)
    {
        return Some(format!("expected a finding of `{id}`"));
    }
    let matches = |(id, path): &(String, Option<String>), (f, at): &(String, String)| {
        id == f && path.as_ref().is_none_or(|p| p == at)
    };
    for entry in &listed.findings {
        if !findings.iter().any(|f| matches(entry, f)) {
            let at = entry
                .1
                .as_ref()
                .map_or(String::new(), |p| format!(" at `{p}`"));
            return Some(format!(
                "expected a finding of `{}`{at}, as its expectation file lists",
                entry.0
            ));
        }
    }
    if listed.others {
        return None;
    }
    let mut unexpected: Vec<&str> = findings
        .iter()
        .filter(|f| Some(f.0.as_str()) != named && !listed.findings.iter().any(|e| matches(e, f)))
        .map(|(id, _)| id.as_str())
        .collect();
    unexpected.dedup();
    if unexpected.is_empty() {
        return None;
    }
    Some(format!(
        "it also gave {}: if the case is meant to, list {} in its expectation file (`.expect` \
         beside it; see `icprules test --help`)",
        unexpected
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", "),
        if unexpected.len() == 1 { "it" } else { "them" }
    ))
}

/// "; did you mean `x`?" for the id closest to `id`, among the rules and
/// invariants of the same rule set first.
fn suggestion(program: &Program, id: &str) -> String {
    match program.closest_id(id) {
        Some(c) => format!("; did you mean `{c}`?"),
        None => String::new(),
    }
}
