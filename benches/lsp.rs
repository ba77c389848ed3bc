//! `cargo bench --bench lsp`: how long a policy editor waits, from a change
//! of a rule file to its diagnostics from `icprules lsp`, and beside it what
//! the stages alone take on the same rules.
//!
//! - `shipped`: the shipped rules (`rules/`, 35 files, about 5,400 lines);
//! - `x4`: the same with every province copied three times under other rule
//!   set names (about 16,000 lines), for how it grows.
//!
//! For each: `parse` (every file, the grammar alone), `analyze` (parse and
//! check every file, as `icprules lint` does) and `change_to_diagnostics`
//! (an edit of `provinces/beijing.icp` sent to the server, over an in-memory
//! connection, until the diagnostics of that version arrive: the server
//! reads the other files from disk, parses the changed file again and checks
//! the whole rule set). docs/editors.md has the figures.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::Bencher;
use icprules::source::{FileId, Sources};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::json;

fn main() {
    divan::main();
}

/// A copy of the shipped rules with each province three more times.
static X4: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy(Path::new("rules"), dir.path());
    let provinces = dir.path().join("provinces");
    for entry in std::fs::read_dir("rules/provinces").expect("rules/provinces") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("a rule file");
        let stem = path
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        for k in 2..=4 {
            let copy = text.replacen(
                &format!("ruleset {stem} "),
                &format!("ruleset {stem}_{k} "),
                1,
            );
            std::fs::write(provinces.join(format!("{stem}_{k}.icp")), copy).expect("write");
        }
    }
    dir
});

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("readable") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

fn root(set: &str) -> PathBuf {
    match set {
        "shipped" => std::fs::canonicalize("rules").expect("rules/"),
        _ => std::fs::canonicalize(X4.path()).expect("the copy"),
    }
}

fn sources(set: &str) -> Sources {
    let sources = icprules::rules::from_dir(&root(set)).expect("the rules");
    let lines: usize = sources.files.iter().map(|f| f.text.lines().count()).sum();
    eprintln!("{set}: {} files, {lines} lines", sources.files.len());
    sources
}

#[divan::bench(args = ["shipped", "x4"])]
fn parse(bencher: Bencher, set: &str) {
    let sources = sources(set);
    bencher.bench(|| {
        for (i, f) in sources.files.iter().enumerate() {
            divan::black_box(icprules::syntax::parse_file(&f.text, i as FileId));
        }
    });
}

#[divan::bench(args = ["shipped", "x4"])]
fn analyze(bencher: Bencher, set: &str) {
    let sources = sources(set);
    bencher.bench(|| divan::black_box(icprules::check::analyze(&sources)));
}

#[divan::bench(args = ["shipped", "x4"])]
fn change_to_diagnostics(bencher: Bencher, set: &str) {
    let (client, server) = Connection::memory();
    let thread = std::thread::spawn(move || icprules::lsp::run(server));
    let send = |m: Message| client.sender.send(m).expect("the server listens");
    send(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".into(),
        // As CI lints: the provinces are being translated.
        json!({"capabilities": {}, "initializationOptions": {"allow": ["missing-translation"]}}),
    )));
    loop {
        if let Message::Response(_) = client.receiver.recv().expect("an answer") {
            break;
        }
    }
    send(Message::Notification(Notification::new(
        "initialized".into(),
        json!({}),
    )));
    let path = root(set).join("provinces/beijing.icp");
    let uri = icprules::lsp::uri::from_path(&path);
    let text = std::fs::read_to_string(&path).expect("beijing.icp");
    // Each change gives a text of its own: a typo comes and goes.
    let typo = text.replacen(
        "subject_admin.is_legal_representative",
        "subject_admin.is_legal_represntative",
        1,
    );
    assert_ne!(typo, text);
    send(Message::Notification(Notification::new(
        "textDocument/didOpen".into(),
        json!({"textDocument": {"uri": uri, "languageId": "icp", "version": 0, "text": text}}),
    )));
    let mut version = 0;
    let wait_for = |version: i64| loop {
        match client.receiver.recv().expect("diagnostics") {
            Message::Notification(n)
                if n.method == "textDocument/publishDiagnostics"
                    && n.params["uri"] == uri
                    && n.params["version"] == version =>
            {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
            _ => {}
        }
    };
    wait_for(0);
    bencher.bench_local(|| {
        version += 1;
        let changed = if version % 2 == 1 { &typo } else { &text };
        client
            .sender
            .send(Message::Notification(Notification::new(
                "textDocument/didChange".into(),
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": changed}]}),
            )))
            .expect("the server listens");
        let found = wait_for(version);
        assert_eq!(found, (version % 2) as usize);
    });
    send(Message::Request(Request::new(
        RequestId::from(2),
        "shutdown".into(),
        json!(null),
    )));
    send(Message::Notification(Notification::new(
        "exit".into(),
        json!(null),
    )));
    thread
        .join()
        .expect("the server thread")
        .expect("a clean exit");
}
