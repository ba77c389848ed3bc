#!/usr/bin/env bash
# Takes docs/editors/nvim.png: Neovim in xterm on a virtual X display (Xvfb),
# with the language server's diagnostic and a hover (screenshot.lua sets the
# scene). Needs xvfb, xterm, imagemagick and fonts-noto-cjk.
set -euo pipefail
cd "$(dirname "$0")/../../.."
cargo build --quiet
export ICPRULES="$PWD/target/debug/icprules"
export READY=$(mktemp -u)
out=docs/editors/nvim.png
mkdir -p "$(dirname "$out")"
Xvfb :77 -screen 0 1500x700x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=:77 xterm -geometry 150x34+0+0 -fa 'DejaVu Sans Mono' -fs 11 -bg '#1d1f21' -fg '#d8d8d8' \
  -e nvim -n -u NONE -i NONE --cmd 'set rtp^=editors/nvim' -c 'filetype plugin on' -c 'syntax on' \
  -c 'set termguicolors' -c 'luafile editors/nvim/test/screenshot.lua' &
xterm=$!
for _ in $(seq 200); do
  [ -e "$READY" ] && break
  sleep 0.1
done
sleep 1
DISPLAY=:77 import -window root "$out"
# The screen around the terminal is black; the terminal's background is not.
convert "$out" -trim +repage "$out"
kill $xterm 2>/dev/null || true
rm -f "$READY"
echo "wrote $out"
