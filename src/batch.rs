//! Checking many applications: JSON Lines in, one JSON result a line out, in
//! input order.
//!
//! [`for_each_line`] is the streaming driver, generic over the work done on
//! each line: [`check_lines`] uses it for `check --batch`, and any other
//! command that reads JSON Lines gets the same behaviour from it:
//!
//! - Memory stays bounded whatever the input: a reader thread reads blocks
//!   of [`READ_BYTES`] and holds at most [`READ_AHEAD_BYTES`] of lines not
//!   yet done (plus one line); a line longer than [`MAX_LINE_BYTES`] is not
//!   kept at all: its bytes are counted and dropped up to its end, and the
//!   work is told it was too long.
//! - Results flow when the input stalls: lines are gathered into chunks of
//!   about [`CHUNK_BYTES`], but a chunk goes to be worked on as soon as no
//!   more input has come for [`QUIET`], or its first line has waited
//!   [`MAX_WAIT`]; its results are written and flushed as soon as they are
//!   done and nothing else is waiting to be written. So a result is on the
//!   output at most [`MAX_WAIT`] after its line was read, plus the time to
//!   work on its chunk. Waiting is blocking (timeouts on channels), never
//!   polling.
//! - Every line is numbered (1-based, blank lines counted); blank lines (only
//!   JSON whitespace: space, tab, line feed, carriage return) get no work.
//! - With more than one job the lines of a chunk are worked on by a pool of
//!   `jobs` threads (at most [`max_jobs`]); with one, on the calling thread.
//!   Reading and writing have a thread each, so that neither waits for the
//!   other.

use std::io::{self, Read, Write};
use std::ops::{AddAssign, Range};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, sync_channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::Program;
use crate::eval::{Detail, InputError, InputErrors, decode, evaluate_with, read};
use crate::report;

/// The longest line that is read: applications are a few kilobytes. A longer
/// line is one `invalid` result, and the run goes on.
pub const MAX_LINE_BYTES: usize = 16 << 20;
/// Bytes asked of the input at once.
pub const READ_BYTES: usize = 1 << 16;
/// Input bytes a chunk gathers before it is worked on: enough lines to keep
/// every core busy, small enough to take little memory.
pub const CHUNK_BYTES: usize = 1 << 20;
/// Bytes of lines read and not yet done, at most (one line may exceed it).
pub const READ_AHEAD_BYTES: usize = 4 * CHUNK_BYTES;
/// A chunk is worked on when no input has come for this long...
pub const QUIET: Duration = Duration::from_millis(5);
/// ... or when its first line has waited this long, whichever comes first.
pub const MAX_WAIT: Duration = Duration::from_millis(50);
/// Chunks of results waiting to be written: bounds memory and still lets
/// working and writing overlap.
const CHUNKS_WAITING: usize = 2;
/// Lines one pool task works on: enough to amortize scheduling, few enough
/// to balance the load.
const LINES_PER_TASK: usize = 32;
/// Jobs per core, at most: more threads than cores only add switching (and
/// each thread its stack); a few more than the cores hide the odd wait.
pub const JOBS_PER_CORE: usize = 4;

/// The most jobs a batch runs: [`JOBS_PER_CORE`] for each core.
pub fn max_jobs() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    cores * JOBS_PER_CORE
}

/// One line of the input, as the work sees it.
#[derive(Clone, Copy, Debug)]
pub struct Line<'a> {
    /// Its number in the input, from 1, blank lines counted.
    pub number: u64,
    /// Its bytes without the `\n` that ends it (a `\r` before it stays: it
    /// is JSON whitespace); or `TooLong`.
    pub text: Result<&'a [u8], TooLong>,
}

/// A line longer than [`MAX_LINE_BYTES`]: its bytes were dropped as they
/// were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooLong {
    /// The limit it went past.
    pub limit: usize,
}

impl TooLong {
    /// What is wrong, for the user.
    pub fn message(&self) -> String {
        format!(
            "the line is longer than {}, the most a line of a batch may hold",
            shown_bytes(self.limit)
        )
    }

    /// How to fix it.
    pub fn help(&self) -> &'static str {
        "write one application a line, without line breaks inside it; an application is a \
         few kilobytes"
    }
}

fn shown_bytes(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

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
}

impl AddAssign for Summary {
    fn add_assign(&mut self, other: Summary) {
        self.accepted += other.accepted;
        self.rejected += other.rejected;
        self.invalid += other.invalid;
    }
}

/// Called after each chunk with the input bytes and lines done so far.
pub type Progress<'a> = &'a dyn Fn(u64, u64);

/// How [`for_each_line`] runs.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Threads working on lines (clamped to 1..=[`max_jobs`]).
    pub jobs: usize,
    /// The longest line kept; longer ones reach the work as [`TooLong`].
    pub max_line: usize,
}

impl Settings {
    pub fn jobs(jobs: usize) -> Self {
        Settings {
            jobs,
            max_line: MAX_LINE_BYTES,
        }
    }
}

/// Reads `input` line by line, calls `work` on each line that is not blank
/// (possibly on several threads), and writes what each call appended to its
/// buffer to `output`, in input order. Returns the sum of what the calls
/// returned. See the module's documentation for memory and timing.
pub fn for_each_line<R, W, S, F>(
    input: R,
    output: W,
    settings: Settings,
    progress: Progress<'_>,
    work: F,
) -> io::Result<S>
where
    R: Read + Send + 'static,
    W: Write + Send,
    S: Default + AddAssign + Send,
    F: Fn(Line<'_>, &mut Vec<u8>) -> S + Sync,
{
    let jobs = settings.jobs.clamp(1, max_jobs());
    let pool = if jobs > 1 {
        Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build()
                .map_err(io::Error::other)?,
        )
    } else {
        None
    };
    let budget = Arc::new(Budget::new(READ_AHEAD_BYTES));
    let (pieces_tx, pieces_rx) = mpsc::channel::<io::Result<Piece>>();
    let reader_budget = Arc::clone(&budget);
    let max_line = settings.max_line;
    // Not a scoped thread: when the output fails, a reader blocked on an
    // input that stalls must not keep the caller waiting. It stops at its
    // next hand-over.
    let reader = std::thread::spawn(move || {
        Reader::new(input, max_line).run(&pieces_tx, &reader_budget);
    });
    std::thread::scope(|scope| {
        let (results_tx, results_rx) = sync_channel::<Vec<Vec<u8>>>(CHUNKS_WAITING);
        let writer = scope.spawn(move || write_results(output, results_rx));
        let worked: io::Result<S> = (|| {
            let mut total = S::default();
            let mut bytes = 0;
            let mut lines = 0;
            let mut gather = Gather::new(pieces_rx);
            while let Some(chunk) = gather.next_chunk()? {
                let parts = match &pool {
                    Some(pool) => pool.install(|| {
                        chunk
                            .lines
                            .par_chunks(LINES_PER_TASK)
                            .map(|part| work_on(&chunk.text, part, &work))
                            .collect()
                    }),
                    None => vec![work_on(&chunk.text, &chunk.lines, &work)],
                };
                let mut buffers = Vec::with_capacity(parts.len());
                for (buffer, part) in parts {
                    total += part;
                    buffers.push(buffer);
                }
                bytes += chunk.bytes;
                lines += chunk.lines.len() as u64;
                budget.give(chunk.cost);
                progress(bytes, lines);
                if results_tx.send(buffers).is_err() {
                    // The writer stopped on an error, which it returns.
                    break;
                }
            }
            Ok(total)
        })();
        drop(results_tx);
        let written = writer.join().expect("the writer thread does not panic");
        // Closing the budget wakes a reader that waits for it.
        budget.close();
        if worked.is_ok() && written.is_ok() {
            // It has read to the end.
            reader.join().expect("the reader thread does not panic");
        }
        let total = worked?;
        written?;
        Ok(total)
    })
}

/// Checks every non-blank line of `input` as an application and writes one
/// result a line to `output`, in input order, using `jobs` threads.
///
/// A line that is not a valid application gives an `invalid` result and the
/// run goes on. Every result carries `line`, its line number in the input.
pub fn check_lines<R, W>(
    program: &Program,
    input: R,
    output: W,
    jobs: usize,
    progress: Progress<'_>,
) -> io::Result<Summary>
where
    R: Read + Send + 'static,
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
    R: Read + Send + 'static,
    W: Write + Send,
{
    for_each_line(
        input,
        output,
        Settings::jobs(jobs),
        progress,
        |line, out| check_line(program, line, facts, out),
    )
}

/// Checks one line and appends its result to `out`.
pub fn check_line(program: &Program, line: Line<'_>, facts: bool, out: &mut Vec<u8>) -> Summary {
    let number = line.number;
    // Positions in the line are on that line of the input.
    let located = |mut errors: InputErrors| {
        for error in &mut errors.errors {
            error.end_line = error.end_line.map(|_| number as usize);
            error.line = Some(number as usize);
        }
        errors
    };
    let invalid = |errors: InputErrors, out: &mut Vec<u8>| {
        report::write_invalid_line(&located(errors), number, out);
        Summary {
            invalid: 1,
            ..Summary::default()
        }
    };
    let bytes = match line.text {
        Ok(bytes) => bytes,
        Err(too_long) => {
            let mut error = InputError::new("", too_long.message());
            error.help = Some(too_long.help().to_string());
            return invalid(InputErrors::one(error), out);
        }
    };
    let text = match decode(bytes) {
        Ok(text) => text,
        Err(errors) => return invalid(errors, out),
    };
    let application = match read(program, text) {
        Ok(application) => application,
        Err(errors) => return invalid(errors, out),
    };
    let detail = if facts { Detail::Facts } else { Detail::Path };
    let outcome = evaluate_with(program, &application, detail);
    report::write_json_line(program, &application, &outcome, facts, number, out);
    if outcome.accepted(program) {
        Summary {
            accepted: 1,
            ..Summary::default()
        }
    } else {
        Summary {
            rejected: 1,
            ..Summary::default()
        }
    }
}

/// A line is blank when it holds only JSON whitespace.
fn is_blank(line: &[u8]) -> bool {
    // A line may start with a byte order mark (it is read past): alone, it
    // is a blank line too.
    let line = line.strip_prefix("\u{feff}".as_bytes()).unwrap_or(line);
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn work_on<S, F>(text: &[u8], lines: &[(u64, Span)], work: &F) -> (Vec<u8>, S)
where
    S: Default + AddAssign,
    F: Fn(Line<'_>, &mut Vec<u8>) -> S,
{
    let mut out = Vec::with_capacity(lines.len() * 1024);
    let mut total = S::default();
    for (number, span) in lines {
        let text = match span {
            Span::Text(range) => Ok(&text[range.clone()]),
            Span::TooLong(limit) => Err(TooLong { limit: *limit }),
        };
        total += work(
            Line {
                number: *number,
                text,
            },
            &mut out,
        );
    }
    (out, total)
}

/// Where a line's bytes are in the text of its piece or chunk.
#[derive(Clone, Debug)]
enum Span {
    Text(Range<usize>),
    /// Longer than the limit given; its bytes were not kept.
    TooLong(usize),
}

/// The lines of one read: the unit the reader hands over.
struct Piece {
    text: Vec<u8>,
    /// Each non-blank line: its number and where it is.
    lines: Vec<(u64, Span)>,
    /// Input bytes read for it.
    bytes: u64,
}

impl Piece {
    fn new(bytes: u64) -> Self {
        Piece {
            text: Vec::new(),
            lines: Vec::new(),
            bytes,
        }
    }

    /// What it counts against [`READ_AHEAD_BYTES`]: its text and lines.
    /// A piece of neither (bytes read, for the progress, of a line not
    /// ended yet) costs nothing: it waits, with no deadline, in the chunk
    /// being gathered, and holding the budget there would keep the end of a
    /// line longer than the budget from being handed over at all.
    fn cost(&self) -> usize {
        if self.text.is_empty() && self.lines.is_empty() {
            return 0;
        }
        self.text.len() + std::mem::size_of::<(u64, Span)>() * self.lines.len() + 64
    }
}

/// Lines gathered to be worked on together.
struct Chunk {
    text: Vec<u8>,
    lines: Vec<(u64, Span)>,
    bytes: u64,
    /// The cost of its pieces, given back to the budget when done.
    cost: usize,
}

impl Chunk {
    fn add(&mut self, piece: Piece) {
        self.cost += piece.cost();
        let offset = self.text.len();
        self.text.extend_from_slice(&piece.text);
        self.lines
            .extend(piece.lines.into_iter().map(|(number, span)| match span {
                Span::Text(r) => (number, Span::Text(r.start + offset..r.end + offset)),
                too_long => (number, too_long),
            }));
        self.bytes += piece.bytes;
    }
}

/// Gathers pieces into chunks, by size or by time.
struct Gather {
    pieces: Receiver<io::Result<Piece>>,
    done: bool,
}

impl Gather {
    fn new(pieces: Receiver<io::Result<Piece>>) -> Self {
        Gather {
            pieces,
            done: false,
        }
    }

    /// The next chunk: when it is full, when the input has been quiet for
    /// [`QUIET`], when its first line has waited [`MAX_WAIT`], or at the end.
    fn next_chunk(&mut self) -> io::Result<Option<Chunk>> {
        let mut chunk = Chunk {
            text: Vec::new(),
            lines: Vec::new(),
            bytes: 0,
            cost: 0,
        };
        // Waiting for the first line has no deadline.
        let mut deadline: Option<Instant> = None;
        while !self.done && chunk.text.len() < CHUNK_BYTES {
            let piece = match deadline {
                None => self
                    .pieces
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    self.pieces.recv_timeout(left.min(QUIET))
                }
            };
            match piece {
                Ok(piece) => {
                    let piece = piece?;
                    if deadline.is_none() && !piece.lines.is_empty() {
                        deadline = Some(Instant::now() + MAX_WAIT);
                    }
                    chunk.add(piece);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => self.done = true,
            }
        }
        Ok((!chunk.lines.is_empty() || chunk.bytes > 0).then_some(chunk))
    }
}

/// Bytes of lines in flight, bounded: the reader takes before it hands a
/// piece over, the worker gives back when the chunk is done.
struct Budget {
    used: Mutex<(usize, bool)>,
    freed: Condvar,
    limit: usize,
}

impl Budget {
    fn new(limit: usize) -> Self {
        Budget {
            used: Mutex::new((0, false)),
            freed: Condvar::new(),
            limit,
        }
    }

    /// Waits until `bytes` fit (or nothing is in flight, so that a line
    /// larger than the budget still goes); false once closed.
    fn take(&self, bytes: usize) -> bool {
        let mut state = self.used.lock().expect("no thread panics holding it");
        while !state.1 && state.0 > 0 && state.0 + bytes > self.limit {
            state = self.freed.wait(state).expect("no thread panics holding it");
        }
        state.0 += bytes;
        !state.1
    }

    fn give(&self, bytes: usize) {
        let mut state = self.used.lock().expect("no thread panics holding it");
        state.0 = state.0.saturating_sub(bytes);
        self.freed.notify_all();
    }

    fn close(&self) {
        let mut state = self.used.lock().expect("no thread panics holding it");
        state.1 = true;
        self.freed.notify_all();
    }
}

/// Splits the input into lines with memory bounded by the line limit.
struct Reader<R> {
    input: R,
    max_line: usize,
    /// The start of a line whose end has not been read yet.
    partial: Vec<u8>,
    /// The line being read is past the limit: its bytes are dropped.
    dropping: bool,
    /// The number of the line being read.
    number: u64,
}

impl<R: Read> Reader<R> {
    fn new(input: R, max_line: usize) -> Self {
        Reader {
            input,
            max_line,
            partial: Vec::new(),
            dropping: false,
            number: 1,
        }
    }

    fn run(mut self, pieces: &Sender<io::Result<Piece>>, budget: &Budget) {
        let mut block = vec![0; READ_BYTES];
        // Bytes read that ended no line: handed over with the next line, or
        // now and then for the progress.
        let mut unsent = 0;
        loop {
            let n = match self.input.read(&mut block) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let _ = pieces.send(Err(e));
                    return;
                }
            };
            let end = n == 0;
            let mut piece = if end {
                self.last()
            } else {
                self.split(&block[..n])
            };
            piece.bytes += unsent;
            if piece.lines.is_empty() && piece.bytes < CHUNK_BYTES as u64 && !end {
                unsent = piece.bytes;
                continue;
            }
            unsent = 0;
            if !budget.take(piece.cost()) || pieces.send(Ok(piece)).is_err() || end {
                return;
            }
        }
    }

    /// The lines a block ends, and the start of the next kept (or dropped).
    fn split(&mut self, block: &[u8]) -> Piece {
        let mut piece = Piece::new(block.len() as u64);
        let mut rest = block;
        while let Some(at) = memchr::memchr(b'\n', rest) {
            let (line, after) = rest.split_at(at + 1);
            self.end_line(line, &mut piece);
            rest = after;
        }
        if self.dropping {
            // Nothing of it is kept.
        } else if self.partial.len() + rest.len() > self.max_line {
            // Its memory goes too, so that a long line costs none.
            self.dropping = true;
            self.partial = Vec::new();
        } else {
            self.partial.extend_from_slice(rest);
        }
        piece
    }

    /// `tail` ends the current line (with its `\n`).
    fn end_line(&mut self, tail: &[u8], piece: &mut Piece) {
        let number = self.number;
        self.number += 1;
        // A `\r` before the `\n` stays: it is JSON whitespace.
        let content = tail.strip_suffix(b"\n").unwrap_or(tail);
        if self.dropping || self.partial.len() + content.len() > self.max_line {
            self.dropping = false;
            self.partial = Vec::new();
            piece.lines.push((number, Span::TooLong(self.max_line)));
            return;
        }
        let start = piece.text.len();
        if self.partial.is_empty() {
            piece.text.extend_from_slice(content);
        } else {
            piece.text.append(&mut self.partial);
            piece.text.extend_from_slice(content);
        }
        if is_blank(&piece.text[start..]) {
            piece.text.truncate(start);
        } else {
            piece
                .lines
                .push((number, Span::Text(start..piece.text.len())));
        }
    }

    /// The last line, when the input does not end with a line end.
    fn last(&mut self) -> Piece {
        let mut piece = Piece::new(0);
        if self.dropping || !self.partial.is_empty() {
            self.end_line(&[], &mut piece);
        }
        piece
    }
}

/// Writes each chunk's results, flushing whenever no more are waiting, so
/// that a stalled input still sees its results.
fn write_results(mut output: impl Write, results: Receiver<Vec<Vec<u8>>>) -> io::Result<()> {
    let mut next = results.recv().ok();
    while let Some(buffers) = next {
        for buffer in buffers {
            output.write_all(&buffer)?;
        }
        next = match results.try_recv() {
            Ok(more) => Some(more),
            Err(mpsc::TryRecvError::Empty) => {
                output.flush()?;
                results.recv().ok()
            }
            Err(mpsc::TryRecvError::Disconnected) => None,
        };
    }
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<S, F>(input: &[u8], settings: Settings, work: F) -> (String, S)
    where
        S: Default + AddAssign + Send,
        F: Fn(Line<'_>, &mut Vec<u8>) -> S + Sync,
    {
        let mut out = Vec::new();
        let input = io::Cursor::new(input.to_vec());
        let total =
            for_each_line(input, &mut out, settings, &|_, _| {}, work).expect("no I/O error");
        (String::from_utf8(out).expect("UTF-8"), total)
    }

    /// The lines `for_each_line` gives the work: (number, text or `None`
    /// when too long).
    fn lines_of(input: &[u8], max_line: usize) -> Vec<(u64, Option<String>)> {
        let settings = Settings { jobs: 1, max_line };
        let (text, count) = run(input, settings, |line, out| {
            let shown = match line.text {
                Ok(text) => String::from_utf8_lossy(text).escape_debug().to_string(),
                Err(_) => "<too long>".to_string(),
            };
            writeln!(out, "{} {shown}", line.number).expect("to a Vec");
            1u64
        });
        assert_eq!(text.lines().count() as u64, count);
        text.lines()
            .map(|l| {
                let (n, rest) = l.split_once(' ').expect("numbered");
                let rest = (rest != "<too long>").then(|| rest.to_string());
                (n.parse().expect("a number"), rest)
            })
            .collect()
    }

    fn kept(number: u64, text: &str) -> (u64, Option<String>) {
        (number, Some(text.to_string()))
    }

    #[test]
    fn lines_are_numbered_counting_blank_ones() {
        let got = lines_of(b"a\n\n  \t\nb\r\n\r\nc", 100);
        assert_eq!(got, [kept(1, "a"), kept(4, "b\\r"), kept(6, "c")]);
    }

    #[test]
    fn only_json_whitespace_is_blank() {
        // A vertical tab and a form feed are not JSON whitespace: both lines
        // are given to the work, which finds them invalid alike.
        let got = lines_of(b"\x0b\n\x0c\n \n", 100);
        assert_eq!(got, [kept(1, "\\u{b}"), kept(2, "\\u{c}")]);
    }

    #[test]
    fn a_line_past_the_limit_is_too_long_and_the_next_is_read() {
        let mut input = b"short\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', READ_BYTES * 3));
        input.extend_from_slice(b"\nafter\n0123456789\n0123456789a");
        let got = lines_of(&input, 10);
        assert_eq!(
            got,
            [
                kept(1, "short"),
                (2, None),
                kept(3, "after"),
                kept(4, "0123456789"),
                (5, None),
            ]
        );
    }

    #[test]
    fn results_are_in_input_order_with_many_jobs() {
        let input: Vec<u8> = (0..5000)
            .flat_map(|i| format!("{i}\n").into_bytes())
            .collect();
        let (text, count) = run(&input, Settings::jobs(4), |line, out| {
            out.extend_from_slice(line.text.expect("short"));
            out.push(b'\n');
            1u64
        });
        assert_eq!(count, 5000);
        assert!(text.as_bytes() == input, "out of order");
    }

    #[test]
    fn jobs_are_clamped() {
        let settings = Settings {
            jobs: 1_000_000,
            max_line: 10,
        };
        // Each line reports the threads of the pool it runs on.
        let (_, threads) = run(b"a\nb\n", settings, |_, _| rayon::current_num_threads());
        assert_eq!(threads, 2 * max_jobs());
    }
}
