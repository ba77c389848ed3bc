// Starts `icprules lsp` for .icp files. The server does the work; this only
// says how to start it.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const config = vscode.workspace.getConfiguration('icprules');
  const option = (name) => config.get(name) || undefined;
  client = new LanguageClient(
    'icprules',
    'icprules',
    { command: option('path') || 'icprules', args: ['lsp'] },
    {
      documentSelector: [{ scheme: 'file', language: 'icp' }],
      initializationOptions: {
        cases: option('cases'),
        coverage: option('coverage'),
        allow: config.get('allow') || [],
      },
    },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
