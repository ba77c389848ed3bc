//! Checking many applications: JSON Lines in, one JSON result a line out, in
//! input order.
//!
//! Memory stays bounded whatever the length of the input: lines are read in
//! chunks of about [`CHUNK_BYTES`], and at most a few chunks are in flight
//! (read ahead, being checked, waiting to be written). With more than one
//! job, a reader thread fills chunks, the calling thread checks each chunk on
//! a rayon pool, and a writer thread writes the results of finished chunks in
//! order. With one job everything runs on the calling thread, so that
//! `--jobs 1` measures one core.

use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use rayon::prelude::*;

use crate::check::Program;
use crate::eval::{Detail, InputErrors, decode, evaluate_with, read};
use crate::report;

/// Input bytes per chunk: enough lines to keep every core busy, small enough
/// that a few chunks in flight take little memory.
const CHUNK_BYTES: usize = 1 << 20;
/// Chunks waiting between two stages (reading and checking, checking and
/// writing): bounds memory and still lets the stages overlap.
const CHUNKS_WAITING: usize = 2;
/// Lines one rayon task checks: enough to amortize scheduling, few enough to
/// balance the load.
const LINES_PER_TASK: usize = 32;

/// How many applications were accepted, rejected and invalid.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub accepted: u64,
    pub rejected: u64,
    pub invalid: u64,
}

impl Summary {
    pub fn total(&self) -> u64 {
        self.accepted + self.rejected + self.invalid
    }

    fn add(&mut self, other: Summary) {
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        self.invalid += other.invalid;
    }
}

/// Called after each chunk with the input bytes and applications done so far.
pub type Progress<'a> = &'a dyn Fn(u64, u64);

/// Checks every non-blank line of `input` as an application and writes one
/// result a line to `output`, in input order, using `jobs` threads.
///
/// A line that is not a valid application gives an `invalid` result whose
/// `line` is its line number in the input; the run goes on. Blank lines give
/// no result.
pub fn check_lines<R, W>(
    program: &Program,
    input: R,
    output: W,
    jobs: usize,
    progress: Progress<'_>,
) -> io::Result<Summary>
where
    R: BufRead + Send,
    W: Write + Send,
{
    check_lines_with(program, input, output, jobs, progress, false)
}

/// [`check_lines`]; with `facts`, each finding carries the facts behind it
/// (`--batch --facts`), which takes longer to find.
pub fn check_lines_with<R, W>(
    program: &Program,
    input: R,
    output: W,
    jobs: usize,
    progress: Progress<'_>,
    facts: bool,
) -> io::Result<Summary>
where
    R: BufRead + Send,
    W: Write + Send,
{
    if jobs <= 1 {
        return check_sequentially(program, input, output, progress, facts);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(io::Error::other)?;
    std::thread::scope(|scope| {
        let (chunks_tx, chunks_rx) = sync_channel::<io::Result<Chunk>>(CHUNKS_WAITING);
        let (results_tx, results_rx) = sync_channel::<Vec<Vec<u8>>>(CHUNKS_WAITING);
        let reader = scope.spawn(move || read_chunks(input, chunks_tx));
        let writer = scope.spawn(move || write_results(output, results_rx));
        let checked: io::Result<Summary> = (|| {
            let mut summary = Summary::default();
            let mut bytes = 0;
            for chunk in chunks_rx {
                let chunk = chunk?;
                let parts: Vec<(Vec<u8>, Summary)> = pool.install(|| {
                    chunk
                        .lines
                        .par_chunks(LINES_PER_TASK)
                        .map(|lines| {
                            let mut out = Vec::with_capacity(lines.len() * 1024);
                            let part =
                                check_chunk_lines(program, &chunk.text, lines, facts, &mut out);
                            (out, part)
                        })
                        .collect()
                });
                let mut buffers = Vec::with_capacity(parts.len());
                for (buffer, part) in parts {
                    summary.add(part);
                    buffers.push(buffer);
                }
                bytes += chunk.text.len() as u64;
                progress(bytes, summary.total());
                if results_tx.send(buffers).is_err() {
                    // The writer stopped on an error, which it returns.
                    break;
                }
            }
            Ok(summary)
        })();
        drop(results_tx);
        let written = writer.join().expect("the writer thread does not panic");
        // When checking stopped early, the reader may be blocked on a full
        // channel; `chunks_rx` is gone by now, so it stops too.
        let _ = reader.join();
        let summary = checked?;
        written?;
        Ok(summary)
    })
}

fn check_sequentially<R: BufRead, W: Write>(
    program: &Program,
    mut input: R,
    mut output: W,
    progress: Progress<'_>,
    facts: bool,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut next_line = 1;
    let mut bytes = 0;
    let mut out = Vec::new();
    while let Some(chunk) = read_chunk(&mut input, next_line)? {
        next_line = chunk.next_line;
        out.clear();
        summary.add(check_chunk_lines(
            program,
            &chunk.text,
            &chunk.lines,
            facts,
            &mut out,
        ));
        output.write_all(&out)?;
        bytes += chunk.text.len() as u64;
        progress(bytes, summary.total());
    }
    output.flush()?;
    Ok(summary)
}

/// Lines of the input, kept in one buffer.
struct Chunk {
    text: Vec<u8>,
    /// Each non-blank line: its number in the input and its bytes in `text`.
    lines: Vec<(u64, Range<usize>)>,
    /// The number of the line after the chunk.
    next_line: u64,
}

/// Reads whole lines until the chunk holds about [`CHUNK_BYTES`]; `None` at
/// the end of the input.
fn read_chunk(input: &mut impl BufRead, first_line: u64) -> io::Result<Option<Chunk>> {
    let mut chunk = Chunk {
        text: Vec::with_capacity(CHUNK_BYTES + CHUNK_BYTES / 4),
        lines: Vec::new(),
        next_line: first_line,
    };
    while chunk.text.len() < CHUNK_BYTES {
        let start = chunk.text.len();
        if input.read_until(b'\n', &mut chunk.text)? == 0 {
            break;
        }
        let line = &chunk.text[start..];
        if !line.iter().all(u8::is_ascii_whitespace) {
            chunk.lines.push((chunk.next_line, start..chunk.text.len()));
        }
        chunk.next_line += 1;
    }
    Ok((chunk.next_line > first_line).then_some(chunk))
}

fn read_chunks(mut input: impl BufRead, chunks: SyncSender<io::Result<Chunk>>) {
    let mut next_line = 1;
    loop {
        match read_chunk(&mut input, next_line) {
            Ok(Some(chunk)) => {
                next_line = chunk.next_line;
                if chunks.send(Ok(chunk)).is_err() {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                let _ = chunks.send(Err(e));
                break;
            }
        }
    }
}

fn write_results(mut output: impl Write, results: Receiver<Vec<Vec<u8>>>) -> io::Result<()> {
    for buffers in results {
        for buffer in buffers {
            output.write_all(&buffer)?;
        }
    }
    output.flush()
}

fn check_chunk_lines(
    program: &Program,
    text: &[u8],
    lines: &[(u64, Range<usize>)],
    facts: bool,
    out: &mut Vec<u8>,
) -> Summary {
    let mut summary = Summary::default();
    for (number, range) in lines {
        match check_line(program, &text[range.clone()], *number, facts, out) {
            Verdict::Accepted => summary.accepted += 1,
            Verdict::Rejected => summary.rejected += 1,
            Verdict::Invalid => summary.invalid += 1,
        }
    }
    summary
}

enum Verdict {
    Accepted,
    Rejected,
    Invalid,
}

/// Checks one line and appends its result to `out`.
fn check_line(
    program: &Program,
    line: &[u8],
    number: u64,
    facts: bool,
    out: &mut Vec<u8>,
) -> Verdict {
    // Positions in the line are on that line of the input.
    let located = |mut errors: InputErrors| {
        for error in &mut errors.errors {
            error.end_line = error.end_line.map(|_| number as usize);
            error.line = Some(number as usize);
        }
        errors
    };
    let text = match decode(line) {
        Ok(text) => text,
        Err(errors) => {
            report::write_invalid_line(&located(errors), out);
            return Verdict::Invalid;
        }
    };
    match read(program, text) {
        Ok(application) if facts => {
            let outcome = evaluate_with(program, &application, Detail::Facts);
            report::write_json_line_with_facts(program, &application, &outcome, out);
            if outcome.accepted(program) {
                Verdict::Accepted
            } else {
                Verdict::Rejected
            }
        }
        Ok(application) => {
            let outcome = evaluate_with(program, &application, Detail::Path);
            report::write_json_line(program, &application, &outcome, out);
            if outcome.accepted(program) {
                Verdict::Accepted
            } else {
                Verdict::Rejected
            }
        }
        Err(e) => {
            report::write_invalid_line(&located(e), out);
            Verdict::Invalid
        }
    }
}

/// The generic driver under [`check_lines`], for other per-line work
/// (`diff --apps`): runs `work` on every non-blank line of `input` (its
/// bytes and its line number) on `jobs` threads, with the same chunks and
/// bounds as a batch, and hands each result to `consume` in input order on
/// the calling thread. Returns how many lines were worked on.
pub fn for_each_line<R, T, F, C>(
    input: R,
    jobs: usize,
    progress: Progress<'_>,
    work: F,
    mut consume: C,
) -> io::Result<u64>
where
    R: BufRead + Send,
    T: Send,
    F: Fn(&[u8], u64) -> T + Sync,
    C: FnMut(T),
{
    let mut done = 0;
    let mut bytes = 0;
    if jobs <= 1 {
        let mut input = input;
        let mut next_line = 1;
        while let Some(chunk) = read_chunk(&mut input, next_line)? {
            next_line = chunk.next_line;
            for (number, range) in &chunk.lines {
                consume(work(&chunk.text[range.clone()], *number));
                done += 1;
            }
            bytes += chunk.text.len() as u64;
            progress(bytes, done);
        }
        return Ok(done);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(io::Error::other)?;
    std::thread::scope(|scope| {
        let (chunks_tx, chunks_rx) = sync_channel::<io::Result<Chunk>>(CHUNKS_WAITING);
        let reader = scope.spawn(move || read_chunks(input, chunks_tx));
        let worked: io::Result<u64> = (|| {
            for chunk in chunks_rx {
                let chunk = chunk?;
                let parts: Vec<Vec<T>> = pool.install(|| {
                    chunk
                        .lines
                        .par_chunks(LINES_PER_TASK)
                        .map(|lines| {
                            lines
                                .iter()
                                .map(|(number, range)| work(&chunk.text[range.clone()], *number))
                                .collect()
                        })
                        .collect()
                });
                for result in parts.into_iter().flatten() {
                    consume(result);
                    done += 1;
                }
                bytes += chunk.text.len() as u64;
                progress(bytes, done);
            }
            Ok(done)
        })();
        // On an error the reader may be blocked on a full channel;
        // `chunks_rx` is gone by now, so it stops too.
        let _ = reader.join();
        worked
    })
}
