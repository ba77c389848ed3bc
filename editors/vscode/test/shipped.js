// The TextMate grammar against the language itself: every shipped rule file
// and fixture is tokenized by the grammar, as VS Code would, and by
// `icprules lsp` (its semantic tokens, which come from the real parser and
// checker); each token must get a grammar scope of its class (a keyword a
// keyword scope, a name a name scope...), and no file that parses may show
// an `invalid.illegal` scope.
//
// ICPRULES names the icprules binary (default: target/debug/icprules).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const repo = path.resolve(__dirname, '../../..');
const binary = process.env.ICPRULES || path.join(repo, 'target/debug/icprules');

// What the grammar must say of each class of the server's tokens.
const EXPECTED = {
  keyword: ['keyword.', 'storage.type', 'constant.language'],
  string: ['string.', 'punctuation.definition.string'],
  number: ['constant.numeric'],
  comment: ['comment.'],
  operator: ['keyword.operator'],
  name: ['variable.', 'entity.name.'],
};
const NAMES = ['variable', 'property', 'enumMember', 'function', 'parameter', 'type', 'namespace', 'method'];

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return entry.name.endsWith('.icp') ? [full] : [];
  });
}

async function grammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => {
      const file = path.join(__dirname, '../syntaxes/icp.tmLanguage.json');
      return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
    },
  });
  return registry.loadGrammar('source.icp');
}

// A minimal client of `icprules lsp`.
function server() {
  const child = spawn(binary, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = Buffer.alloc(0);
  let id = 0;
  const waiting = new Map();
  const diagnostics = new Map();
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const header = buffer.indexOf('\r\n\r\n');
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, header).toString())[1]);
      if (buffer.length < header + 4 + length) return;
      const message = JSON.parse(buffer.slice(header + 4, header + 4 + length).toString());
      buffer = buffer.slice(header + 4 + length);
      if (message.method === 'textDocument/publishDiagnostics') {
        diagnostics.set(message.params.uri, message.params.diagnostics);
      } else if (message.id !== undefined && waiting.has(message.id)) {
        waiting.get(message.id)(message);
        waiting.delete(message.id);
      }
    }
  });
  const send = (message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    child.stdin.write(body);
  };
  return {
    diagnostics,
    notify: (method, params) => send({ method, params }),
    request: (method, params) =>
      new Promise((resolve) => {
        id += 1;
        waiting.set(id, resolve);
        send({ id, method, params });
      }),
    stop: async function () {
      await this.request('shutdown', null);
      this.notify('exit', null);
    },
  };
}

function uri(file) {
  return 'file://' + file.split('/').map(encodeURIComponent).join('/');
}

async function main() {
  const tm = await grammar();
  const lsp = server();
  const init = await lsp.request('initialize', { processId: null, rootUri: null, capabilities: {} });
  const legend = init.result.capabilities.semanticTokensProvider.legend.tokenTypes;
  lsp.notify('initialized', {});
  const all = [...files(path.join(repo, 'rules')), ...files(path.join(repo, 'tests/fixtures'))];
  const problems = [];
  let compared = 0;
  for (const file of all) {
    const text = fs.readFileSync(file, 'utf8');
    lsp.notify('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'icp', version: 1, text } });
    const answer = await lsp.request('textDocument/semanticTokens/full', { textDocument: { uri: uri(file) } });
    const lines = text.split('\n');
    // The grammar's tokens, line by line.
    const scopes = [];
    let stack = vsctm.INITIAL;
    for (const line of lines) {
      const result = tm.tokenizeLine(line, stack);
      scopes.push(result.tokens);
      stack = result.ruleStack;
    }
    const scopeAt = (line, character) =>
      scopes[line].find((t) => t.startIndex <= character && character < t.endIndex).scopes;
    const shown = path.relative(repo, file);
    // The server's tokens, decoded.
    const data = answer.result.data;
    let line = 0;
    let start = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      start = data[i] === 0 ? start + data[i + 1] : data[i + 1];
      const type = legend[data[i + 3]];
      const kind = NAMES.includes(type) ? 'name' : type;
      const got = scopeAt(line, start);
      compared += 1;
      if (!EXPECTED[kind].some((prefix) => got.some((scope) => scope.startsWith(prefix)))) {
        const word = lines[line].slice(start, start + data[i + 2]);
        problems.push(`${shown}:${line + 1}:${start + 1}: \`${word}\` is a ${type}, the grammar says ${got.join(' ')}`);
      }
    }
    // A file that parses has nothing the grammar calls illegal. (The server
    // publishes a file's diagnostics before it answers the next request.)
    await lsp.request('textDocument/hover', { textDocument: { uri: uri(file) }, position: { line: 0, character: 0 } });
    const syntaxErrors = (lsp.diagnostics.get(uri(file)) || []).some((d) => d.code === 'syntax');
    if (!syntaxErrors) {
      scopes.forEach((tokens, l) =>
        tokens
          .filter((t) => t.scopes.some((s) => s.startsWith('invalid.')))
          .forEach((t) => problems.push(`${shown}:${l + 1}:${t.startIndex + 1}: the grammar calls \`${lines[l].slice(t.startIndex, t.endIndex)}\` invalid`)),
      );
    }
    lsp.notify('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }
  await lsp.stop();
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`${problems.length} disagreements between the grammar and icprules`);
    process.exit(1);
  }
  console.log(`${all.length} files, ${compared} tokens: the grammar agrees with icprules`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
