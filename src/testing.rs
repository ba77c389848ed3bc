//! Rule tests: applications whose file names say what the rules must make
//! of them. `icprules test` and the crate's own `cargo test` both judge cases
//! with this module, so the two always agree.
//!
//! A case lives at `<folder>/<name>.json`:
//! - `accept-<what>.json` must be accepted;
//! - otherwise `<name>` (up to its first `.`, so `rule.variant.json` works)
//!   and the folder name form an id `<folder>.<name>`. When a rule has that
//!   id, the case must give a finding of it; when an invariant has it
//!   (`invariant/<name>.json`), the application must fail exactly that
//!   invariant and no other.

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

/// Every `.json` file below the given paths (files or folders), sorted: the
/// cases of `icprules test`, the corpus of `icprules gen`.
pub fn discover(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut found)?;
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
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            found.push(path);
        }
    }
    Ok(())
}

/// What a case gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Got {
    /// Verdict `accept`/`reject`, and the rule ids of the findings, in order.
    Verdict(&'static str, Vec<String>),
    /// Not a valid application: the ids of the failed invariants (empty when
    /// it is not even in the format), and the error.
    Invalid(Vec<String>, String),
}

/// One judged case.
#[derive(Clone, Debug)]
pub struct Judged {
    pub expect: Expect,
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
        let expected = match &self.expect {
            Expect::Accept => "verdict accept".to_string(),
            Expect::Id(id) => format!("finding {id}"),
        };
        let mut out = format!("  - {expected}\n");
        match &self.got {
            Got::Verdict(verdict, ids) => {
                out.push_str(&format!("  + verdict {verdict}\n"));
                for id in ids {
                    out.push_str(&format!("  + finding {id}\n"));
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

/// Judges one case: `text` is the application, `expect` what its name asks.
/// `hits` (one per rule of the program) records the rules it made pass and fail.
pub fn judge(program: &Program, expect: Expect, text: &str, hits: Option<&mut [Hits]>) -> Judged {
    let got = match read_application(&program.schema, text) {
        Err(e) => Got::Invalid(Vec::new(), e.to_string()),
        Ok(data) => {
            let failed = failed_invariants(program, &data);
            if failed.is_empty() {
                let outcome = evaluate_counting(program, &data, Detail::Path, hits);
                let verdict = crate::report::verdict(program, &outcome);
                let ids = outcome
                    .findings
                    .iter()
                    .map(|f| program.rules[f.rule].id.clone())
                    .collect();
                Got::Verdict(verdict, ids)
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
    let failure = match (&expect, &got) {
        (Expect::Accept, Got::Verdict("accept", _)) => None,
        (Expect::Accept, _) => Some("expected the application to be accepted".to_string()),
        (Expect::Id(id), got) if program.rules.iter().any(|r| &r.id == id) => match got {
            Got::Verdict(_, ids) if ids.contains(id) => None,
            _ => Some(format!("expected a finding of `{id}`")),
        },
        (Expect::Id(id), got) if program.invariants.iter().any(|r| &r.id == id) => match got {
            Got::Invalid(ids, _) if ids.len() == 1 && &ids[0] == id => None,
            _ => Some(format!(
                "expected the application to fail the invariant `{id}` only"
            )),
        },
        (Expect::Id(id), _) => Some(format!(
            "the case is named after `{id}`, which is no rule or invariant: name it \
             `accept-...` or after the rule it tests"
        )),
    };
    Judged {
        expect,
        got,
        failure,
    }
}
