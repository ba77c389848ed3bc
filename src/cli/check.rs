//! `icprules check`: applications against the rules.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::{AsOfArg, Exit, Format, LangArg, emit, load_rules};
use crate::check::Program;
use crate::eval::{Detail, evaluate_with, read_bytes};
use crate::lang::Lang;
use crate::report;

#[derive(clap::Args)]
#[command(
    after_help = "Exit status: 0 accepted, 1 rejected, 2 not a valid application (with \
    several files or --batch: 2 if one is invalid, else 1 if one is rejected).\n\nExamples:\n  \
    icprules check examples/zhejiang-enterprise.json\n  \
    icprules check examples/*.json\n  \
    icprules check --format json app.json\n  \
    icprules check --lang zh app.json        # the report in Chinese\n  \
    icprules check --as-of 2026-07-01 app.json   # under the rules in force that day\n  \
    icprules gen --count 1000 | icprules check --batch - --jobs 2 > results.jsonl"
)]
pub struct CheckArgs {
    /// The applications, JSON files (`-` reads standard input). With
    /// several, each report is headed by its file's name; `--format json`
    /// writes one result a line, in the order of the files.
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    applications: Vec<PathBuf>,
    /// Check every line of a JSON Lines file (`-` reads standard input),
    /// writing one JSON result a line in input order.
    #[arg(long, value_name = "FILE.jsonl")]
    batch: Option<PathBuf>,
    /// Threads checking a batch (default: one per core; at most four per
    /// core, a larger number is lowered with a note).
    #[arg(long, value_name = "N", requires = "batch", value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// A folder of `.icp` rule files to use instead of the built-in rules.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// `human` (the default) or `json` (the result format of
    /// docs/application-format.md). `--batch` writes JSON only.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// With `--format json` or `--batch`: each finding carries the facts
    /// behind it (`facts: [{path, value}]`), which takes longer to find. The
    /// human report always shows them.
    #[arg(long)]
    facts: bool,
    #[command(flatten)]
    as_of: AsOfArg,
    #[command(flatten)]
    lang: LangArg,
}

pub fn run(args: CheckArgs) -> Exit {
    if args.batch.is_some() && args.format == Some(Format::Human) {
        sayln!("error: `--batch` writes one JSON result a line, not a human report");
        sayln!(
            "  help: drop `--format human`; for reports, check the applications as files: \
             `icprules check A.json B.json`"
        );
        return Exit::Unusable;
    }
    let program = match load_rules(args.rules.as_ref()) {
        Ok((_, checked)) => args
            .as_of
            .apply(checked.program.in_language(args.lang.get())),
        Err(exit) => return exit,
    };
    if let Some(batch) = &args.batch {
        let jobs = super::batch::jobs(args.jobs);
        return super::batch::run(&program, batch, jobs, args.facts);
    }
    let format = args.format.unwrap_or(Format::Human);
    if let [path] = args.applications.as_slice() {
        return run_one(&program, path, format, false, args.facts);
    }
    // Several: each checked as if alone; the exit status is the worst.
    let mut summary = crate::batch::Summary::default();
    for (i, path) in args.applications.iter().enumerate() {
        if format == Format::Human {
            emit(&format!(
                "{}==> {} <==\n",
                if i == 0 { "" } else { "\n" },
                shown_name(path)
            ));
        }
        match run_one(&program, path, format, true, args.facts) {
            Exit::Ok => summary.accepted += 1,
            Exit::Rejected => summary.rejected += 1,
            Exit::Unusable => summary.invalid += 1,
        }
    }
    // In the language of the reports above it.
    match program.language {
        Lang::Zh => sayln!(
            "共检查 {} 份申请：{} 份通过，{} 份不通过，{} 份无效",
            summary.total(),
            summary.accepted,
            summary.rejected,
            summary.invalid
        ),
        Lang::En => sayln!(
            "checked {} {}: {} accepted, {} rejected, {} invalid",
            summary.total(),
            super::batch::applications(summary.total()),
            summary.accepted,
            summary.rejected,
            summary.invalid
        ),
    }
    super::batch::exit_of(&summary)
}

/// The name an application is shown by, safe on a terminal: a file is
/// named by whoever sent it.
fn shown_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        crate::terminal::escaped(&path.display().to_string()).into_owned()
    }
}

/// Checks one application; `line` writes a JSON result on one line (one of
/// several), `facts` with the facts of its findings.
fn run_one(program: &Program, path: &Path, format: Format, line: bool, facts: bool) -> Exit {
    let bytes = match super::read_application_file(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!("cannot read `{}`: {e}", path.display());
            sayln!("error: {}", crate::terminal::escaped(&message));
            if line && format == Format::Json {
                // One result a file, so that results and files line up.
                let error =
                    crate::eval::InputErrors::one(crate::eval::InputError::new("", message));
                emit(&format!("{}\n", report::json_invalid(&error)));
            }
            return Exit::Unusable;
        }
    };
    let application = match read_bytes(program, &bytes) {
        Ok(application) => application,
        Err(e) => {
            match format {
                Format::Human => {
                    let name = shown_name(path);
                    // Up to the first byte that is not UTF-8, this is the text.
                    let text = String::from_utf8_lossy(&bytes);
                    let colour = std::io::stderr().is_terminal();
                    say!(
                        "{}",
                        report::invalid_human(&name, &text, &e, colour, program.language)
                    );
                }
                Format::Json => emit(&format!("{}\n", report::json_invalid(&e))),
            }
            return Exit::Unusable;
        }
    };
    // JSON results show no facts unless asked, so they need not be found.
    let detail = match format {
        Format::Json if !facts => Detail::Path,
        _ => Detail::Facts,
    };
    let outcome = evaluate_with(program, &application, detail);
    match format {
        Format::Human => {
            // Colour only for a person at a terminal, and never under NO_COLOR.
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            emit(&report::human_styled(
                program,
                &application,
                &outcome,
                colour,
            ))
        }
        Format::Json if facts => emit(&format!(
            "{}\n",
            report::json_with_facts(program, &application, &outcome, !line)
        )),
        Format::Json => emit(&format!(
            "{}\n",
            report::json(program, &application, &outcome, !line)
        )),
    }
    if outcome.accepted(program) {
        Exit::Ok
    } else {
        Exit::Rejected
    }
}
