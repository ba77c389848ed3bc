//! The protocol loop: decode a message, ask the engine, encode the answer.
//!
//! Messages are taken in batches: everything that has arrived by the time
//! the server is free, in order. The edits of a batch are applied as they
//! come and the rule set is analysed once, before the next request that
//! needs it or at the end of the batch, so a fast typist costs one analysis
//! per batch, not one per keystroke. A request is answered from the text its
//! positions are about, even when an edit of its document follows it in the
//! batch (the protocol asks for that answer rather than `ContentModified`);
//! a request cancelled before it is answered gets `RequestCancelled`. A
//! panic while answering is caught: the request gets an error and the
//! server goes on.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde_json::{Value, json};

use super::convert;
use super::engine;
use super::files::{Settings, Workspace};
use super::log;
use super::uri;
use crate::source::Columns;

/// The command a test lens runs: arguments, the rule set's root (URI) and
/// the rule set's name.
pub const RUN_TESTS: &str = "icprules.runTests";

/// Serves the protocol on standard input and output until the client exits.
pub fn serve_stdio() -> Result<(), String> {
    let (connection, threads) = Connection::stdio();
    let served = run(connection);
    // `run` ends only once the reader has stopped (the client went away, or
    // sent `exit`), so the threads are done; a message that could not be
    // read is why the connection ended, and is said rather than its effect.
    match (served, threads.join()) {
        (_, Err(e)) => Err(format!("the connection to the client failed: {e}")),
        (served, Ok(())) => served,
    }
}

/// Serves the protocol on a connection: the handshake, then messages until
/// `shutdown` and `exit`.
pub fn run(connection: Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| {
        if e.channel_is_disconnected() {
            "the client closed the connection before `initialize`".to_string()
        } else {
            e.to_string()
        }
    })?;
    let init: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let offered = init
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_deref());
    let (columns, encoding) = convert::negotiate(offered);
    let mut workspace = Workspace::new(settings(init.initialization_options.as_ref()));
    let result = json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "icprules", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server {
        connection: &connection,
        workspace: &mut workspace,
        columns,
        shut_down: false,
    };
    server.serve()
}

fn settings(options: Option<&Value>) -> Settings {
    let path = |key: &str| {
        options
            .and_then(|o| o.get(key))
            .and_then(Value::as_str)
            .map(PathBuf::from)
    };
    let allow = options
        .and_then(|o| o.get("allow"))
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    Settings {
        cases: path("cases"),
        coverage: path("coverage"),
        allow,
    }
}

fn capabilities(encoding: lsp::PositionEncodingKind) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(encoding),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..lsp::TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![".".into(), "\"".into()]),
            ..lsp::CompletionOptions::default()
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..lsp::CodeActionOptions::default()
            },
        )),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        semantic_tokens_provider: Some(
            lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp::SemanticTokensOptions {
                    legend: lsp::SemanticTokensLegend {
                        token_types: engine::TOKEN_KINDS
                            .iter()
                            .map(|k| lsp::SemanticTokenType::new(k))
                            .collect(),
                        token_modifiers: vec![lsp::SemanticTokenModifier::DECLARATION],
                    },
                    full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                    ..lsp::SemanticTokensOptions::default()
                },
            ),
        ),
        code_lens_provider: Some(lsp::CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![RUN_TESTS.into()],
            ..lsp::ExecuteCommandOptions::default()
        }),
        ..lsp::ServerCapabilities::default()
    }
}

/// The requests about a document that the server answers.
const DOCUMENT_REQUESTS: &[&str] = &[
    "textDocument/hover",
    "textDocument/definition",
    "textDocument/references",
    "textDocument/completion",
    "textDocument/codeAction",
    "textDocument/formatting",
    "textDocument/documentSymbol",
    "textDocument/semanticTokens/full",
    "textDocument/codeLens",
];

struct Server<'c> {
    connection: &'c Connection,
    workspace: &'c mut Workspace,
    columns: Columns,
    /// `shutdown` was asked: only `exit` is expected now.
    shut_down: bool,
}

/// What a request handler answers: a result, or an error code and message.
type Answer = Result<Value, (ErrorCode, String)>;

impl Server<'_> {
    fn serve(&mut self) -> Result<(), String> {
        loop {
            let Ok(first) = self.connection.receiver.recv() else {
                // The client went away without `shutdown`.
                return Err("the client closed the connection".into());
            };
            let mut batch = vec![first];
            batch.extend(self.connection.receiver.try_iter());
            let cancelled: HashSet<RequestId> = batch
                .iter()
                .filter_map(|m| match m {
                    Message::Notification(n) if n.method == "$/cancelRequest" => {
                        let id = n.params.get("id")?;
                        serde_json::from_value(id.clone()).ok()
                    }
                    _ => None,
                })
                .collect();
            for message in &batch {
                match message {
                    Message::Request(request) => {
                        let answer = if self.shut_down {
                            Err((ErrorCode::InvalidRequest, "the server is shut down".into()))
                        } else if request.method == "shutdown" {
                            self.shut_down = true;
                            Ok(Value::Null)
                        } else if cancelled.contains(&request.id) {
                            Err((ErrorCode::RequestCanceled, "cancelled".into()))
                        } else {
                            self.publish();
                            self.answer(request)
                        };
                        self.respond(request.id.clone(), answer);
                    }
                    Message::Notification(n) if n.method == "exit" => {
                        return if self.shut_down {
                            Ok(())
                        } else {
                            Err("`exit` before `shutdown`".into())
                        };
                    }
                    Message::Notification(n) => self.notified(n),
                    Message::Response(_) => {}
                }
            }
            if !self.shut_down {
                self.publish();
            }
        }
    }

    fn send(&self, message: Message) {
        // The client is gone when this fails; `recv` then ends the loop.
        let _ = self.connection.sender.send(message);
    }

    fn respond(&self, id: RequestId, answer: Answer) {
        let response = match answer {
            Ok(result) => Response::new_ok(id, result),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(Message::Response(response));
    }

    /// Analyses what changed and publishes the diagnostics that did.
    fn publish(&mut self) {
        let columns = self.columns;
        let publications = match catch_unwind(AssertUnwindSafe(|| self.workspace.refresh())) {
            Ok(p) => p,
            Err(_) => {
                log("the analysis failed; the last one is kept");
                return;
            }
        };
        for p in publications {
            let diagnostics = match (p.file, self.workspace.snapshot(&p.root)) {
                (Some(file), Some(snapshot)) => snapshot
                    .diagnostics(file)
                    .into_iter()
                    .map(|d| convert::diagnostic(snapshot, d, columns))
                    .collect(),
                _ => Vec::new(),
            };
            let params = lsp::PublishDiagnosticsParams {
                uri: convert::uri(&p.path),
                diagnostics,
                version: p.version,
            };
            self.send(Message::Notification(Notification::new(
                "textDocument/publishDiagnostics".into(),
                params,
            )));
        }
    }

    fn notified(&mut self, n: &Notification) {
        let outcome = catch_unwind(AssertUnwindSafe(|| self.notification(n)));
        if outcome.is_err() {
            log(&format!("`{}` failed", n.method));
        }
    }

    fn notification(&mut self, n: &Notification) {
        let params = &n.params;
        let path = || document_path(params);
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Some(path) = path() else { return };
                let text = params["textDocument"]["text"].as_str().unwrap_or_default();
                let version = params["textDocument"]["version"].as_i64().unwrap_or(0) as i32;
                self.workspace.open(path, Arc::from(text), version);
            }
            "textDocument/didChange" => {
                let Some(path) = path() else { return };
                let Ok(change) =
                    serde_json::from_value::<lsp::DidChangeTextDocumentParams>(params.clone())
                else {
                    return;
                };
                let Some(old) = self.workspace.text(&path) else {
                    return;
                };
                let mut text = old.to_string();
                for edit in change.content_changes {
                    match edit.range {
                        Some(range) => {
                            let start = convert::offset_in(&text, range.start, self.columns);
                            let end = convert::offset_in(&text, range.end, self.columns).max(start);
                            text.replace_range(start..end, &edit.text);
                        }
                        None => text = edit.text,
                    }
                }
                self.workspace
                    .change(path, Arc::from(text), change.text_document.version);
            }
            "textDocument/didClose" => {
                if let Some(path) = path() {
                    self.workspace.close(&path);
                }
            }
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => {
                self.workspace.disk_changed()
            }
            _ => {}
        }
    }

    fn answer(&mut self, request: &Request) -> Answer {
        let columns = self.columns;
        let method = request.method.as_str();
        let outcome = catch_unwind(AssertUnwindSafe(|| self.request(request, columns)));
        match outcome {
            Ok(answer) => answer,
            Err(_) => {
                log(&format!("`{method}` failed"));
                Err((
                    ErrorCode::InternalError,
                    format!("icprules failed to answer `{method}`"),
                ))
            }
        }
    }

    fn request(&mut self, request: &Request, columns: Columns) -> Answer {
        let params = &request.params;
        if request.method == "workspace/executeCommand" {
            return self.execute(params);
        }
        if !DOCUMENT_REQUESTS.contains(&request.method.as_str()) {
            return Err((
                ErrorCode::MethodNotFound,
                format!("icprules does not answer `{}`", request.method),
            ));
        }
        let Some(path) = document_path(params) else {
            return Err((
                ErrorCode::InvalidParams,
                "expected `textDocument.uri`, a `file:` URI".into(),
            ));
        };
        let Some((snapshot, file)) = self.workspace.snapshot_for(&path) else {
            return Ok(Value::Null);
        };
        let at = params
            .get("position")
            .and_then(|p| serde_json::from_value::<lsp::Position>(p.clone()).ok())
            .map(|p| convert::offset(snapshot, file, p, columns));
        let need = |at: Option<usize>| {
            at.ok_or((ErrorCode::InvalidParams, "expected `position`".to_string()))
        };
        let value = match request.method.as_str() {
            "textDocument/hover" => engine::hover(snapshot, file, need(at)?)
                .map(|h| json!(convert::hover(snapshot, h, columns))),
            "textDocument/definition" => engine::definition(snapshot, file, need(at)?)
                .map(|span| json!(convert::location(snapshot, span, columns))),
            "textDocument/references" => {
                let declaration = params["context"]["includeDeclaration"]
                    .as_bool()
                    .unwrap_or(true);
                let spans = engine::references(snapshot, file, need(at)?, declaration);
                let locations: Vec<lsp::Location> = spans
                    .into_iter()
                    .map(|s| convert::location(snapshot, s, columns))
                    .collect();
                Some(json!(locations))
            }
            "textDocument/completion" => engine::complete(snapshot, file, need(at)?)
                .map(|c| json!(convert::completions(snapshot, c, columns))),
            "textDocument/codeAction" => {
                let range: lsp::Range = serde_json::from_value(params["range"].clone())
                    .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
                let start = convert::offset(snapshot, file, range.start, columns);
                let end = convert::offset(snapshot, file, range.end, columns);
                let actions: Vec<lsp::CodeActionOrCommand> =
                    engine::actions(snapshot, file, start, end)
                        .into_iter()
                        .map(|a| convert::action(snapshot, file, a, columns))
                        .collect();
                Some(json!(actions))
            }
            "textDocument/formatting" => match engine::format(snapshot, file) {
                Ok(edits) => Some(json!(convert::edits(snapshot, edits, columns))),
                Err(why) => return Err((ErrorCode::RequestFailed, why)),
            },
            "textDocument/documentSymbol" => {
                let outline = engine::outline(snapshot, file);
                Some(json!(convert::outline(snapshot, outline, columns)))
            }
            "textDocument/semanticTokens/full" => {
                let tokens = engine::tokens(snapshot, file);
                Some(json!(convert::tokens(snapshot, file, tokens, columns)))
            }
            "textDocument/codeLens" => {
                let lenses: Vec<lsp::CodeLens> = engine::lenses(snapshot, file)
                    .into_iter()
                    .map(|l| convert::lens(snapshot, l, columns))
                    .collect();
                Some(json!(lenses))
            }
            _ => None,
        };
        Ok(value.unwrap_or(Value::Null))
    }

    /// `icprules.runTests ROOT RULESET`: runs the tests and says how they
    /// went, in a message and as the result.
    fn execute(&mut self, params: &Value) -> Answer {
        let bad = || {
            (
                ErrorCode::InvalidParams,
                format!("`{RUN_TESTS}` takes the rule set's root (a URI) and its name"),
            )
        };
        if params["command"].as_str() != Some(RUN_TESTS) {
            return Err((
                ErrorCode::InvalidParams,
                format!("icprules has no command `{}`", params["command"]),
            ));
        }
        let arguments = params["arguments"].as_array().ok_or_else(bad)?;
        let root = arguments
            .first()
            .and_then(Value::as_str)
            .and_then(uri::to_path)
            .ok_or_else(bad)?;
        let ruleset = arguments.get(1).and_then(Value::as_str).ok_or_else(bad)?;
        let Some(snapshot) = self.workspace.project(&root) else {
            return Err((ErrorCode::InvalidParams, "no such rule set".into()));
        };
        let (kind, text) = match engine::run_tests(snapshot, ruleset) {
            Ok(run) if run.failures.is_empty() => (lsp::MessageType::INFO, run.report()),
            Ok(run) => (lsp::MessageType::WARNING, run.report()),
            Err(why) => (lsp::MessageType::WARNING, why),
        };
        self.send(Message::Notification(Notification::new(
            "window/showMessage".into(),
            lsp::ShowMessageParams {
                typ: kind,
                message: text.clone(),
            },
        )));
        Ok(Value::String(text))
    }
}

/// The path of `textDocument.uri` in a message's parameters.
fn document_path(params: &Value) -> Option<PathBuf> {
    uri::to_path(params.get("textDocument")?.get("uri")?.as_str()?)
}
