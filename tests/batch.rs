//! `icprules check --batch` and `icprules gen`: results in input order
//! whatever the number of jobs, invalid lines, standard input, and generated
//! applications that are valid, deterministic and of both verdicts.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

fn icprules(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        // English, whatever the locale of the machine running the tests.
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("icprules runs");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.map(<[u8]>::to_vec);
    // Written from another thread: the child writes results while it reads.
    let writer = std::thread::spawn(move || {
        if let Some(bytes) = stdin {
            input.write_all(&bytes).expect("write stdin");
        }
    });
    let out = child.wait_with_output().expect("icprules finishes");
    writer.join().expect("stdin written");
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn results(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(o.stdout.clone())
        .expect("UTF-8 results")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON result a line"))
        .collect()
}

fn gen_lines(seed: u64, count: u64) -> Vec<u8> {
    let out = icprules(
        &[
            "gen",
            "--seed",
            &seed.to_string(),
            "--count",
            &count.to_string(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    out.stdout
}

/// 1,000 generated applications (several chunks of the batch reader) with
/// invalid lines and blank lines among them; made once for all tests.
fn mixed_batch() -> &'static (PathBuf, Vec<u8>) {
    static BATCH: OnceLock<(PathBuf, Vec<u8>)> = OnceLock::new();
    BATCH.get_or_init(|| {
        let generated = gen_lines(7, 1000);
        let mut text = Vec::new();
        for (i, line) in generated.split_inclusive(|b| *b == b'\n').enumerate() {
            match i {
                3 => text.extend_from_slice(b"{\"province\": \"nowhere\"}\n"),
                400 => text.extend_from_slice(b"\n"),
                700 => text.extend_from_slice(b"not json\n"),
                999 => text.extend_from_slice(b"{\"province\": \"beijing\", \"acton\": 1}\n"),
                _ => {}
            }
            text.extend_from_slice(line);
        }
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mixed-batch.jsonl");
        std::fs::write(&path, &text).expect("write batch");
        (path, text)
    })
}

#[test]
fn results_are_in_input_order_whatever_the_jobs() {
    let (path, _) = mixed_batch();
    let path = path.to_str().expect("path");
    let one = icprules(&["check", "--batch", path, "--jobs", "1"], None);
    let four = icprules(&["check", "--batch", path, "--jobs", "4"], None);
    assert_eq!(one.status.code(), Some(2), "{}", stderr(&one));
    assert_eq!(four.status.code(), Some(2), "{}", stderr(&four));
    assert!(one.stdout == four.stdout, "--jobs 1 and --jobs 4 differ");
    // One result a non-blank line: 1,000 applications and 3 invalid lines.
    let results = results(&one);
    assert_eq!(results.len(), 1003);
    let invalid: Vec<u64> = results
        .iter()
        .filter(|r| r["verdict"] == "invalid")
        .map(|r| r["error"]["line"].as_u64().expect("line"))
        .collect();
    // Line numbers count every input line, blank ones too.
    assert_eq!(invalid, [4, 703, 1003]);
}

#[test]
fn each_result_is_the_result_of_its_line() {
    let (_, text) = mixed_batch();
    let lines: Vec<&[u8]> = text
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let out = icprules(&["check", "--batch", "-", "--jobs", "2"], Some(text));
    let results = results(&out);
    // The echoed fields of each result match its own line.
    for (line, result) in lines.iter().zip(&results) {
        let Ok(application) = serde_json::from_slice::<serde_json::Value>(line) else {
            assert_eq!(result["verdict"], "invalid");
            continue;
        };
        if result["verdict"] != "invalid" {
            assert_eq!(result["province"], application["province"]);
            assert_eq!(result["action"], application["action"]);
        }
    }
    assert_eq!(lines.len(), results.len());
}

#[test]
fn standard_input_gives_the_same_results_as_the_file() {
    let (path, text) = mixed_batch();
    let from_file = icprules(&["check", "--batch", path.to_str().expect("path")], None);
    let from_stdin = icprules(&["check", "--batch", "-"], Some(text));
    assert_eq!(from_stdin.status.code(), Some(2));
    assert!(
        from_file.stdout == from_stdin.stdout,
        "stdin and file differ"
    );
}

#[test]
fn invalid_lines_say_where_what_was_expected_and_what_was_found() {
    let input = b"{\"province\": \"nowhere\"}\n\xff\n{\"province\": \"beijing\", \"action\": 1}\n";
    let out = icprules(&["check", "--batch", "-"], Some(input));
    assert_eq!(out.status.code(), Some(2));
    let results = results(&out);
    assert_eq!(results.len(), 3);
    let error = &results[0]["error"];
    let mut keys: Vec<&str> = error
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "column",
            "end_column",
            "end_line",
            "expected",
            "found",
            "help",
            "line",
            "message",
            "path"
        ]
    );
    assert_eq!(error["path"], "province");
    assert_eq!(error["expected"], "a `ProvinceId` value");
    assert_eq!(error["found"], "the text \"nowhere\"");
    assert_eq!(results[1]["error"]["line"], 2);
    assert_eq!(
        results[1]["error"]["message"],
        "expected UTF-8 text, found the byte `0xff`"
    );
    let error = &results[2]["error"];
    assert_eq!(error["path"], "action");
    assert_eq!(error["expected"], "an `Action` value");
    assert_eq!(error["found"], "the number `1`");
    assert_eq!(error["line"], 3);
}

#[test]
fn the_summary_counts_each_verdict() {
    let input = gen_lines(3, 40);
    let out = icprules(&["check", "--batch", "-"], Some(&input));
    let results = results(&out);
    let count = |v: &str| results.iter().filter(|r| r["verdict"] == v).count();
    let expected = format!(
        "{} accepted, {} rejected, 0 invalid",
        count("accept"),
        count("reject")
    );
    let err = stderr(&out);
    assert!(err.contains("checked 40 applications in "), "{err}");
    assert!(err.contains(&expected), "{err}");
}

#[test]
fn gen_is_deterministic_for_a_seed() {
    let a = gen_lines(42, 200);
    assert!(
        a == gen_lines(42, 200),
        "the same seed gave other applications"
    );
    assert!(
        a != gen_lines(43, 200),
        "another seed gave the same applications"
    );
    assert_eq!(a.iter().filter(|b| **b == b'\n').count(), 200);
}

#[test]
fn generated_applications_are_valid_and_of_both_verdicts() {
    let input = gen_lines(11, 400);
    let out = icprules(&["check", "--batch", "-"], Some(&input));
    let results = results(&out);
    assert_eq!(results.len(), 400);
    let verdicts: Vec<&str> = results
        .iter()
        .map(|r| r["verdict"].as_str().expect("verdict"))
        .collect();
    assert!(
        !verdicts.contains(&"invalid"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(verdicts.contains(&"accept") && verdicts.contains(&"reject"));
    // Generated from a corpus of several actions, they keep several.
    let actions: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| r["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
}

#[test]
fn gen_without_a_corpus_says_how_to_give_one() {
    let empty = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("empty-corpus");
    std::fs::create_dir_all(&empty).expect("temp dir");
    let out = icprules(&["gen", "--corpus", empty.to_str().expect("path")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no valid application to start from"));
    std::fs::remove_dir_all(&empty).ok();
}

/// `--batch` and `--format json` explain findings by their path only; the
/// paths must be those of the full explanation, for every shipped case.
#[test]
fn findings_explained_by_path_only_have_the_same_paths() {
    use icprules::eval::{Detail, evaluate, evaluate_with, read};
    let program = icprules::check::check(&icprules::rules::embedded())
        .expect("the built-in rules check")
        .program;
    let mut findings = 0;
    let paths = icprules::testing::discover(&["tests/cases".into(), "examples".into()])
        .expect("readable folders");
    // The invariant cases break the format: they have no findings.
    for path in paths
        .iter()
        .filter(|p| !p.starts_with("tests/cases/invariant"))
    {
        let text = std::fs::read_to_string(path).expect("case");
        let application = read(&program, &text).expect("a valid case");
        let full = evaluate(&program, &application);
        let brief = evaluate_with(&program, &application, Detail::Path);
        let strip = |o: &icprules::eval::Outcome| {
            o.findings
                .iter()
                .map(|f| (f.rule, f.message.clone(), f.path.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&full), strip(&brief), "{}", path.display());
        assert_eq!(full.documents, brief.documents, "{}", path.display());
        assert!(brief.findings.iter().all(|f| f.facts.is_empty()));
        findings += full.findings.len();
    }
    assert!(findings > 100, "the cases have findings to compare");
}

/// One application on one line, from the examples.
fn example_line() -> Vec<u8> {
    let text = std::fs::read("examples/zhejiang-enterprise.json").expect("example");
    let value: serde_json::Value = serde_json::from_slice(&text).expect("JSON");
    let mut line = serde_json::to_vec(&value).expect("JSON");
    line.push(b'\n');
    line
}

#[test]
fn every_result_carries_its_input_line_counting_blank_lines() {
    let app = example_line();
    let mut input = Vec::new();
    input.extend_from_slice(b"\n");
    input.extend_from_slice(&app);
    input.extend_from_slice(b"   \r\n\t\n");
    // A byte order mark alone (as a file saved with one and no text) is
    // blank too.
    input.extend_from_slice("\u{feff}\n".as_bytes());
    input.extend_from_slice(b"not json\n");
    input.extend_from_slice(&app);
    for jobs in ["1", "2"] {
        let out = icprules(&["check", "--batch", "-", "--jobs", jobs], Some(&input));
        let results = results(&out);
        let lines: Vec<u64> = results
            .iter()
            .map(|r| r["line"].as_u64().expect("line"))
            .collect();
        assert_eq!(lines, [2, 6, 7], "--jobs {jobs}");
        assert_eq!(results[1]["verdict"], "invalid");
        assert_eq!(results[1]["error"]["line"], 6);
    }
}

#[test]
fn a_vertical_tab_line_and_a_form_feed_line_are_alike() {
    // Neither is JSON whitespace, so neither line is blank: both invalid.
    let out = icprules(&["check", "--batch", "-"], Some(b"\x0b\n\x0c\n"));
    let results = results(&out);
    assert_eq!(results.len(), 2);
    for (result, line) in results.iter().zip([1, 2]) {
        assert_eq!(result["verdict"], "invalid");
        assert_eq!(result["line"], line);
    }
    assert_eq!(
        results[0]["error"]["message"],
        results[1]["error"]["message"]
    );
}

#[test]
fn a_line_over_the_limit_is_one_invalid_result_and_the_run_goes_on() {
    let app = example_line();
    let mut input = app.clone();
    // 17 MiB of a JSON string, past the 16 MiB limit.
    input.extend_from_slice(b"{\"province\": \"");
    input.extend(std::iter::repeat_n(b'a', 17 << 20));
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(&app);
    let out = icprules(&["check", "--batch", "-", "--jobs", "2"], Some(&input));
    let results = results(&out);
    assert_eq!(results.len(), 3, "{}", stderr(&out));
    assert_eq!(results[1]["line"], 2);
    assert_eq!(results[1]["verdict"], "invalid");
    assert_eq!(
        results[1]["error"]["message"],
        "the line is longer than 16 MiB, the most a line of a batch may hold"
    );
    assert_eq!(results[2]["line"], 3);
    assert_eq!(results[2]["verdict"], results[0]["verdict"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The resident memory of a running process, in KiB.
fn resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[test]
fn an_endless_line_keeps_memory_flat() {
    if !std::path::Path::new("/dev/zero").exists() {
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        .args(["check", "--batch", "/dev/zero", "--jobs", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("icprules runs");
    // Long enough to read gigabytes of zeros.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let still_running = child.try_wait().expect("status").is_none();
    let rss = resident_kib(child.id());
    child.kill().ok();
    let out = child.wait_with_output().expect("stopped");
    assert!(still_running, "it stopped: {}", stderr(&out));
    if let Some(kib) = rss {
        assert!(kib < 100 * 1024, "{kib} KiB resident");
    }
}

#[test]
fn results_flow_while_the_input_stalls() {
    use std::io::{BufRead, BufReader};
    use std::time::{Duration, Instant};
    let app = example_line();
    let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
        .env_remove("LC_ALL")
        .env_remove("LANG")
        .args(["check", "--batch", "-", "--jobs", "2"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("icprules runs");
    let mut input = child.stdin.take().expect("stdin");
    let output = child.stdout.take().expect("stdout");
    let pause = Duration::from_secs(20);
    // Three lines, then a long pause before the end of the input.
    let writer = std::thread::spawn(move || {
        for _ in 0..3 {
            input.write_all(&app).expect("write");
        }
        input.flush().expect("flush");
        std::thread::sleep(pause);
        drop(input);
    });
    let start = Instant::now();
    let mut lines = BufReader::new(output).lines();
    for n in 1..=3 {
        let line = lines.next().expect("a result").expect("UTF-8");
        let result: serde_json::Value = serde_json::from_str(&line).expect("JSON");
        assert_eq!(result["line"], n);
    }
    let waited = start.elapsed();
    // Well before the pause ends (the program starts and loads its rules in
    // that time too).
    assert!(waited < pause / 2, "the results took {waited:?}");
    child.kill().ok();
    child.wait().ok();
    drop(writer);
}

#[test]
fn jobs_past_the_cap_are_lowered_with_a_note() {
    let app = example_line();
    let out = icprules(&["check", "--batch", "-", "--jobs", "100000"], Some(&app));
    let err = stderr(&out);
    assert!(
        err.contains("note: `--jobs 100000` is more than ") && err.contains(" per core on "),
        "{err}"
    );
    assert_eq!(results(&out).len(), 1);
}

#[test]
fn a_line_longer_than_the_read_ahead_is_checked_and_the_run_goes_on() {
    // Longer than the 4 MiB read ahead, shorter than the 16 MiB limit: it is
    // kept whole and checked (it waited for ever on the read-ahead budget,
    // held by the bytes read before its end).
    let app = example_line();
    let mut input = b"{\"province\": \"".to_vec();
    input.extend(std::iter::repeat_n(b'a', 6 << 20));
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(&app);
    input.extend_from_slice(&app);
    let temp = tempfile::tempdir().expect("temp dir");
    let path = temp.path().join("long.jsonl");
    std::fs::write(&path, &input).expect("write");
    for jobs in ["1", "2"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
            .args(["check", "--batch"])
            .arg(&path)
            .args(["--jobs", jobs])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("icprules runs");
        let start = std::time::Instant::now();
        while child.try_wait().expect("status").is_none() {
            if start.elapsed() > std::time::Duration::from_secs(60) {
                child.kill().ok();
                panic!("`check --batch` of a 6 MiB line did not finish (--jobs {jobs})");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let out = child.wait_with_output().expect("output");
        let results = results(&out);
        assert_eq!(results.len(), 3, "{}", stderr(&out));
        assert_eq!(results[0]["line"], 1);
        assert_eq!(results[0]["verdict"], "invalid");
        assert_eq!(results[0]["error"]["path"], "province", "{}", results[0]);
        assert_eq!(results[2]["line"], 3);
        assert_eq!(results[2]["verdict"], results[1]["verdict"]);
    }
}

#[test]
fn a_folder_given_as_the_batch_is_named_in_the_error() {
    let temp = tempfile::tempdir().expect("temp dir");
    let folder = temp.path().to_str().expect("UTF-8 path");
    let out = icprules(&["check", "--batch", folder], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!("error: cannot read `{folder}`: it is a folder")),
        "{}",
        stderr(&out)
    );
}
