//! `icprules check --batch`: the command-line side of [`crate::batch`]:
//! where the lines come from, a progress bar, the summary and the exit status.

use std::io::{IsTerminal, Read};
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

use super::Exit;
use crate::batch::{Summary, check_lines_with};
use crate::check::Program;

/// One result a line, in input order. Exits 2 if any line was invalid,
/// else 1 if any application was rejected.
pub fn run(program: &Program, path: &Path, jobs: usize, facts: bool) -> Exit {
    // Read in blocks of its own, line by line (crate::batch).
    let Some((input, size)) = open_lines(path) else {
        return Exit::Unusable;
    };
    let bar = progress_bar(size);
    let update = |bytes: u64, applications: u64| {
        if let Some(bar) = &bar {
            bar.set_position(if size.is_some() { bytes } else { applications });
        }
    };
    let start = Instant::now();
    // `check_lines` writes the results of many lines at once; a large buffer
    // turns them into few system calls.
    let output = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let result = check_lines_with(program, input, output, jobs, &update, facts);
    let elapsed = start.elapsed();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = match result {
        Ok(summary) => summary,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(141),
        Err(e) => {
            sayln!("error: the batch stopped: {e}");
            return Exit::Unusable;
        }
    };
    sayln!("{}", describe(&summary, elapsed.as_secs_f64()));
    exit_of(&summary)
}

/// The threads of a batch: `--jobs`, else one per core; more than
/// [`crate::batch::max_jobs`] is that many, with a note.
pub(super) fn jobs(asked: Option<u32>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let jobs = asked.map_or(cores, |n| n as usize);
    let most = crate::batch::max_jobs();
    if jobs > most {
        sayln!(
            "note: `--jobs {jobs}` is more than {most} ({} per core on {cores} cores): \
             using {most}",
            crate::batch::JOBS_PER_CORE
        );
        return most;
    }
    jobs
}

/// The exit status of several applications: 2 if one was invalid, else 1 if
/// one was rejected.
pub fn exit_of(summary: &Summary) -> Exit {
    if summary.invalid > 0 {
        Exit::Unusable
    } else if summary.rejected > 0 {
        Exit::Rejected
    } else {
        Exit::Ok
    }
}

/// A bar over the input's bytes when its size is known, else a count of
/// applications; none unless a person watches stderr.
pub(super) fn progress_bar(size: Option<u64>) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = match size {
        Some(size) => ProgressBar::new(size).with_style(
            ProgressStyle::with_template(
                "{wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
            )
            .expect("a valid template"),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {human_pos} applications in {elapsed}")
                .expect("a valid template"),
        ),
    };
    Some(bar)
}

fn describe(summary: &Summary, seconds: f64) -> String {
    let total = summary.total();
    let rate = if seconds > 0.0 {
        total as f64 / seconds
    } else {
        0.0
    };
    format!(
        "checked {total} {} in {seconds:.2} s ({rate:.0} applications/s): {} accepted, {} rejected, {} invalid",
        applications(total),
        summary.accepted,
        summary.rejected,
        summary.invalid
    )
}

/// `application` or `applications`, for `n` of them.
pub(super) fn applications(n: u64) -> &'static str {
    if n == 1 {
        "application"
    } else {
        "applications"
    }
}

/// The lines of `path` (`-` for stdin) for [`crate::batch::for_each_line`],
/// with the file's size for the progress bar; `None`, said on stderr, when
/// the file cannot be opened.
pub(super) fn open_lines(path: &Path) -> Option<(Box<dyn Read + Send>, Option<u64>)> {
    if path.as_os_str() == "-" {
        return Some((Box::new(std::io::stdin()), None));
    }
    match std::fs::File::open(path) {
        // A folder opens, and fails at its first read, without its name.
        Ok(file) if file.metadata().is_ok_and(|m| m.is_dir()) => {
            sayln!("error: cannot read `{}`: it is a folder", path.display());
            None
        }
        Ok(file) => {
            let size = file
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            Some((Box::new(file), size))
        }
        Err(e) => {
            sayln!("error: cannot read `{}`: {e}", path.display());
            None
        }
    }
}
