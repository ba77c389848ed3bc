#!/usr/bin/env bash
# `icprules diff --apps` against what it replaces: `check --batch` run twice
# on the same applications, once under the old rules and once under the new,
# side by side in one run (hyperfine when installed, else `time`).
#
#   scripts/bench-diff.sh [COUNT] [SEED]     # default: 100000 applications, seed 1
#
# The old rules are rules/, the new a copy with one severity changed (what
# the change is does not matter to the time: both rule sets run in full on
# every application). Results go to stdout; the files to target/bench-diff/.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-100000}
seed=${2:-1}
jobs_all=$(nproc)

cargo build --release --quiet --bin icprules
icprules=target/release/icprules
dir=target/bench-diff
mkdir -p "$dir"

apps="$dir/gen-$seed-$count.jsonl"
if [[ ! -s $apps ]]; then
  "$icprules" gen --seed "$seed" --count "$count" >"$apps" 2>/dev/null
fi
rm -rf "$dir/old" "$dir/new"
cp -r rules "$dir/old"
cp -r rules "$dir/new"
sed -i '0,/severity warning/s//severity error/' "$dir/new/provinces/beijing.icp"
echo "# $count applications, $(du -h "$apps" | cut -f1), $jobs_all cores"

twice() {
  echo "$icprules check --batch $apps --rules $dir/old --jobs $1 >/dev/null 2>&1; \
$icprules check --batch $apps --rules $dir/new --jobs $1 >/dev/null 2>&1; true"
}
diff_apps() {
  echo "$icprules diff $dir/old $dir/new --apps $apps --jobs $1 >/dev/null"
}

if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "${RUNS:-5}" --style basic \
    --export-markdown "$dir/diff.md" --export-json "$dir/diff.json" \
    -n "check --batch twice, --jobs 1" "$(twice 1)" \
    -n "diff --apps, --jobs 1" "$(diff_apps 1)" \
    -n "check --batch twice, --jobs $jobs_all" "$(twice "$jobs_all")" \
    -n "diff --apps, --jobs $jobs_all" "$(diff_apps "$jobs_all")"
  cat "$dir/diff.md"
  # CPU time (user + system) as well: on a shared machine it moves less
  # than wall time.
  python3 - "$dir/diff.json" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
cpu = {r["command"]: r["user"] + r["system"] for r in runs}
print("\n| Command | CPU [s] |\n|:---|---:|")
for name, seconds in cpu.items():
    print(f"| `{name}` | {seconds:.3f} |")
names = list(cpu)
for twice, diff in zip(names[0::2], names[1::2]):
    print(f"\n{diff} / {twice}: wall {[r['mean'] for r in runs if r['command'] == diff][0] / [r['mean'] for r in runs if r['command'] == twice][0]:.2f}, CPU {cpu[diff] / cpu[twice]:.2f}")
PY
else
  for run in "$(twice 1)" "$(diff_apps 1)" "$(twice "$jobs_all")" "$(diff_apps "$jobs_all")"; do
    echo "## $run"
    ( time bash -c "$run" ) 2>&1
  done
fi

echo
echo "# peak memory (max resident set size) of diff --apps --jobs $jobs_all"
kb=$( (/usr/bin/time -f %M "$icprules" diff "$dir/old" "$dir/new" --apps "$apps" --jobs "$jobs_all" 2>&1 >/dev/null) | tail -1)
echo "$count lines ($(du -h "$apps" | cut -f1)): $kb KiB"
