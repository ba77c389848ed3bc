#!/usr/bin/env bash
# The language server in a real editor: headless Neovim opens a shipped rule
# file with `icprules lsp` and checks the diagnostics, a hover, a go to
# definition and the test lens that its built-in client gets. Fails (never
# skips) when Neovim is missing: `.ci/install-editors` installs it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
if ! command -v nvim >/dev/null; then
  echo "error: nvim is not installed (run .ci/install-editors)" >&2
  exit 1
fi
bin=${ICPRULES:-target/debug/icprules}
if [ -z "${ICPRULES:-}" ]; then
  cargo build --quiet
fi
ICPRULES=$(realpath "$bin") timeout 180 nvim --headless -n -u NONE -i NONE \
  --cmd 'set rtp^=editors/nvim' -c 'filetype plugin on' -c 'syntax on' \
  -c 'luafile editors/nvim/test/e2e.lua'
echo "neovim $(nvim --version | head -1 | cut -d' ' -f2): the end-to-end test passed"
