//! `icprules lsp` driven over standard input and output with JSON-RPC, as
//! an editor drives it: the handshake, a file with an error and its
//! diagnostic, hover, definition, completion, formatting, and shutdown.
//! The open file is one of the shipped rules; the rest of its rule set is
//! read from disk.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Messages read while waiting for others.
    pending: Vec<Value>,
    next_id: i64,
}

const WAIT: Duration = Duration::from_secs(30);

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("icprules lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().expect("a length");
                    }
                }
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let message: Value = serde_json::from_slice(&body).expect("JSON");
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            pending: Vec::new(),
            next_id: 0,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The first message (read now or before) that `matches`.
    fn wait(&mut self, matches: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&matches) {
            return self.pending.remove(i);
        }
        loop {
            let message = self
                .messages
                .recv_timeout(WAIT)
                .expect("the server answers in time");
            if matches(&message) {
                return message;
            }
            self.pending.push(message);
        }
    }

    /// The whole text of a document, as a new version.
    fn change(&mut self, uri: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let published = self.wait(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        published["params"]["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .clone()
    }

    /// The handshake. The shipped provinces are being translated: like CI's
    /// `lint`, the session does not report `missing-translation`.
    fn initialize(&mut self, capabilities: Value) -> Value {
        let answer = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": capabilities,
                "initializationOptions": {"allow": ["missing-translation"]},
            }),
        );
        self.notify("initialized", json!({}));
        answer
    }

    fn shutdown(mut self) {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().expect("the server exits");
        assert_eq!(status.code(), Some(0));
    }
}

fn beijing() -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/provinces/beijing.icp");
    let text = std::fs::read_to_string(&path).expect("the shipped rules");
    (path, text)
}

fn uri(path: &Path) -> String {
    icprules::lsp::uri::from_path(path)
}

/// The 0-based line and UTF-16 column of the first `part` in `text`, plus
/// `extra` columns.
fn position(text: &str, part: &str, extra: usize) -> Value {
    let offset = text
        .find(part)
        .unwrap_or_else(|| panic!("`{part}` in the text"));
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].encode_utf16().count() + extra;
    json!({"line": line, "character": column})
}

#[test]
fn an_editor_session() {
    let mut client = Client::start();
    let init = client.initialize(json!({}));
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    for provider in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "completionProvider",
        "codeActionProvider",
        "documentFormattingProvider",
        "documentSymbolProvider",
        "semanticTokensProvider",
        "codeLensProvider",
    ] {
        assert!(!capabilities[provider].is_null(), "{provider}");
    }

    let (path, text) = beijing();
    let uri = uri(&path);
    let broken = text.replacen(
        "require subject_admin.is_legal_representative",
        "require subject_admin.is_legal_represntative",
        1,
    );
    assert_ne!(broken, text);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "icp", "version": 1, "text": broken}}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "unknown-field");
    assert_eq!(d["severity"], 1);
    assert_eq!(
        d["message"],
        "unknown field `is_legal_represntative` in `Person`\nhelp: did you mean `is_legal_representative`?"
    );
    assert_eq!(
        d["range"]["start"],
        position(&broken, "is_legal_represntative", 0)
    );

    // The quick fix of the "did you mean".
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = &actions["result"][0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(
        fix["edit"]["changes"][&uri][0]["newText"],
        "is_legal_representative"
    );

    // Fixed in the editor: the diagnostic goes.
    client.change(&uri, 2, &text);
    assert_eq!(client.diagnostics(&uri, 2), Vec::<Value>::new());

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "enterprise_filing", 2)}),
    );
    let markdown = hover["result"]["contents"]["value"]
        .as_str()
        .expect("markdown");
    assert!(
        markdown.contains("def enterprise_filing: bool"),
        "{markdown}"
    );

    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "enterprise_filing", 2)}),
    );
    let target = &definition["result"];
    assert!(
        target["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/rules/common.icp")),
        "{target}"
    );
    let common =
        std::fs::read_to_string(path.parent().unwrap().join("../common.icp")).expect("common.icp");
    assert_eq!(
        target["range"]["start"],
        position(&common, "enterprise_filing =", 0)
    );

    // Half typed: `subject_admin.` and the fields of a `Person`.
    let typing = text.replacen(
        "require subject_admin.is_legal_representative",
        "require subject_admin.",
        1,
    );
    client.change(&uri, 3, &typing);
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(&typing, "require subject_admin.\n", 23)}),
    );
    let labels: Vec<&str> = completion["result"]["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"is_legal_representative"), "{labels:?}");
    assert!(labels.contains(&"name"), "{labels:?}");
    let diagnostics = client.diagnostics(&uri, 3);
    assert!(
        diagnostics.iter().all(|d| d["code"] == "syntax"),
        "{diagnostics:#?}"
    );

    // Formatting: a messy line comes back in the one layout.
    let messy = text.replacen(
        "  rule subject-admin-is-legal-representative {",
        "  rule   subject-admin-is-legal-representative{",
        1,
    );
    client.change(&uri, 4, &messy);
    let formatting = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edits = formatting["result"].as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{edits:#?}");
    assert_eq!(
        edits[0]["newText"],
        "  rule subject-admin-is-legal-representative {\n"
    );

    client.shutdown();
}

#[test]
fn positions_are_counted_in_the_encoding_agreed() {
    let mut client = Client::start();
    let init = client.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-8");
    let (path, text) = beijing();
    let uri = uri(&path);
    // A Chinese text before the error on its line: 6 bytes, 2 UTF-16 units.
    let line = "    require subject_admin.is_legal_representative and subject_admin.name != \"北京\" and subject_admin.nme != \"\"";
    let broken = text.replacen(
        "    require subject_admin.is_legal_representative\n",
        &format!("{line}\n"),
        1,
    );
    assert_ne!(broken, text);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "icp", "version": 1, "text": broken}}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    // In bytes: `北京` is 6 of them.
    let column = line.find("nme").expect("nme");
    assert_eq!(diagnostics[0]["range"]["start"]["character"], column);
    assert_eq!(diagnostics[0]["range"]["end"]["character"], column + 3);
    client.shutdown();
}

#[test]
fn broken_input_never_stops_the_server() {
    let mut client = Client::start();
    client.initialize(json!({}));
    let (path, text) = beijing();
    let uri = uri(&path);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "icp", "version": 1, "text": text}}),
    );
    // Half the file, cut at a character boundary (the rules hold Chinese text).
    let cut = (0..=text.len() / 2)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .expect("a boundary");
    let mut version = 1;
    for garbage in [
        &text[..cut],
        "ruleset {{{{ ((( \"unterminated",
        "\u{feff}北京 ruleset x when when { rule - { for in in } }",
        "",
        &"(".repeat(10_000),
    ] {
        version += 1;
        client.change(&uri, version, garbage);
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/definition",
        ] {
            let answer = client.request(
                method,
                json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 3}}),
            );
            assert!(answer.get("error").is_none(), "{method}: {answer}");
        }
        client.diagnostics(&uri, version);
    }
    // A position past the end, a range that is no range, a request about a
    // file that does not exist, and a method the server does not know.
    let past = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 99999, "character": 99999}}),
    );
    assert!(past.get("error").is_none(), "{past}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 99}, "contentChanges": [
            {"range": {"start": {"line": 500, "character": 9}, "end": {"line": 2, "character": 0}}, "text": "x"}
        ]}),
    );
    client.diagnostics(&uri, 99);
    let missing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere/at/all.icp"}, "position": {"line": 0, "character": 0}}),
    );
    assert!(missing.get("error").is_none(), "{missing}");
    let unknown = client.request("textDocument/unheardOf", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    client.shutdown();
}

/// Runs the server on messages all queued before it reads the first, so
/// that it takes them as one batch; returns what it sent back.
fn batch(messages: Vec<lsp_server::Message>) -> Vec<Value> {
    let (client, server) = lsp_server::Connection::memory();
    for message in messages {
        client.sender.send(message).expect("queued");
    }
    let thread = std::thread::spawn(move || icprules::lsp::run(server));
    let outcome = thread.join().expect("the server thread");
    assert_eq!(outcome, Ok(()));
    client
        .receiver
        .try_iter()
        .map(|m| serde_json::to_value(m).expect("JSON"))
        .collect()
}

fn request(id: i32, method: &str, params: Value) -> lsp_server::Message {
    lsp_server::Message::Request(lsp_server::Request::new(id.into(), method.into(), params))
}

fn notification(method: &str, params: Value) -> lsp_server::Message {
    lsp_server::Message::Notification(lsp_server::Notification::new(method.into(), params))
}

#[test]
fn requests_are_answered_on_their_text_or_cancelled() {
    let (path, text) = beijing();
    let uri = uri(&path);
    let changed = format!("\n\n\n{text}");
    let at = position(&text, "enterprise_filing", 2);
    let sent = batch(vec![
        request(
            1,
            "initialize",
            json!({"capabilities": {}, "initializationOptions": {"allow": ["missing-translation"]}}),
        ),
        notification("initialized", json!({})),
        notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "icp", "version": 1, "text": text}}),
        ),
        // Asked of version 1, before the edit that moves every line down.
        request(
            2,
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at}),
        ),
        notification(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]}),
        ),
        request(
            3,
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at}),
        ),
        notification("$/cancelRequest", json!({"id": 3})),
        request(4, "shutdown", Value::Null),
        notification("exit", Value::Null),
    ]);
    let answer = |id: i32| {
        sent.iter()
            .find(|m| m["id"] == id)
            .unwrap_or_else(|| panic!("an answer to {id}: {sent:#?}"))
            .clone()
    };
    let hover = answer(2);
    let markdown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default();
    assert!(markdown.contains("def enterprise_filing"), "{hover}");
    assert_eq!(hover["result"]["range"]["start"]["line"], at["line"]);
    assert_eq!(answer(3)["error"]["code"], -32800);
    assert_eq!(answer(4)["result"], Value::Null);
    // Version 1 was analysed for the first hover; version 2 was not needed
    // before `shutdown`, after which nothing is published.
    let versions: Vec<&Value> = sent
        .iter()
        .filter(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        .map(|m| &m["params"]["version"])
        .collect();
    assert_eq!(versions, [&json!(1)]);
}

/// A client that goes away, or sends what is not the protocol, ends the
/// server with status 1 and the reason, not the channel's "disconnected".
#[test]
fn a_connection_that_ends_badly_says_why() {
    let run = |input: &[u8]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_icprules"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("icprules lsp starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("written");
        let out = child.wait_with_output().expect("the server exits");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = run(b"");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("closed the connection before `initialize`"),
        "{err}"
    );
    let (code, err) = run(b"hello\r\n\r\n");
    assert_eq!(code, Some(1));
    assert!(err.contains("malformed header: \"hello\""), "{err}");
    let (code, err) = run(b"Content-Length: 5\r\n\r\nhello");
    assert_eq!(code, Some(1));
    assert!(err.contains("malformed LSP payload"), "{err}");
}
