#!/usr/bin/env bash
# What a pull request's rule change does, measured before it merges: compares
# rules/ as git has it at the base revision with rules/ in the working tree,
# over a corpus of applications, writes the Markdown report (to post as a
# pull-request comment) and exits as `icprules diff --fail-on` says: 0 pass,
# 1 the gate tripped, 2 the rules or the applications could not be used.
#
#   scripts/rules-diff.sh [BASE] [FAIL_ON]    # default: origin/main new-reject
#
# APPS      the applications, JSON Lines (default: 20000 made by `icprules
#           gen --seed 1`, a stand-in for recorded applications)
# AS_OF     check the applications on this day, YYYY-MM-DD (default: each
#           one's date, else today): the first day of a dated change
# OUT       where the report goes (default: target/rules-diff/report.md)
# ICPRULES  the binary (default: built from the working tree)
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:-origin/main}
fail_on=${2:-new-reject}
dir=target/rules-diff
mkdir -p "$dir"

if [[ -z ${ICPRULES:-} ]]; then
  cargo build --release --quiet --bin icprules
  ICPRULES=target/release/icprules
fi
apps=${APPS:-$dir/apps.jsonl}
if [[ -z ${APPS:-} ]]; then
  "$ICPRULES" gen --seed 1 --count 20000 >"$apps"
fi
out=${OUT:-$dir/report.md}

as_of=()
if [[ -n ${AS_OF:-} ]]; then
  as_of=(--as-of "$AS_OF")
fi

status=0
"$ICPRULES" diff --old-rev "$base" rules --apps "$apps" "${as_of[@]}" \
  --format markdown --fail-on "$fail_on" >"$out" || status=$?
cat "$out"
exit "$status"
