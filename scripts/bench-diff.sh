#!/usr/bin/env bash
# `icprules diff --apps` against what it replaces: `check --batch` run twice
# on the same applications, once under the old rules and once under the new,
# side by side in one run.
#
#   scripts/bench-diff.sh [COUNT] [SEED]     # default: 100000 applications, seed 1
#   RUNS=9 scripts/bench-diff.sh             # runs of each (default 5)
#
# The runs of the commands alternate (A B C D, A B C D, ...), so that a load
# that comes and goes on a shared machine falls on all of them alike; the
# medians of wall time and of CPU time (user + system) are reported, and
# their ratios. The old rules are rules/, the new a copy with one severity
# changed (what the change is does not matter to the time: both rule sets
# run in full on every application). The files go to target/bench-diff/.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-100000}
seed=${2:-1}
runs=${RUNS:-5}
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
echo "# $count applications, $(du -h "$apps" | cut -f1), $jobs_all cores, $runs runs each"

twice() {
  "$icprules" check --batch "$apps" --rules "$dir/old" --jobs "$1" >/dev/null 2>&1 || true
  "$icprules" check --batch "$apps" --rules "$dir/new" --jobs "$1" >/dev/null 2>&1 || true
}
diff_apps() {
  "$icprules" diff "$dir/old" "$dir/new" --apps "$apps" --jobs "$1" >/dev/null
}
export -f twice diff_apps
export icprules apps dir

times="$dir/times.txt"
: >"$times"
for ((run = 1; run <= runs; run++)); do
  for jobs in 1 "$jobs_all"; do
    for what in twice diff_apps; do
      # wall user system, in seconds
      /usr/bin/time -f "$what $jobs %e %U %S" -a -o "$times" bash -c "$what $jobs"
    done
  done
done

python3 - "$times" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    what, jobs, wall, user, system = line.split()
    rows.setdefault((what, int(jobs)), []).append((float(wall), float(user) + float(system)))
names = {"twice": "check --batch twice", "diff_apps": "diff --apps"}
print("| command | jobs | wall (median) | CPU (median) |")
print("|:---|---:|---:|---:|")
med = {}
for (what, jobs), xs in sorted(rows.items(), key=lambda kv: (kv[0][1], kv[0][0] != "twice")):
    wall = statistics.median(x[0] for x in xs)
    cpu = statistics.median(x[1] for x in xs)
    med[(what, jobs)] = (wall, cpu)
    print(f"| {names[what]} | {jobs} | {wall:.2f} s | {cpu:.2f} s |")
print()
for jobs in sorted({j for _, j in med}):
    (tw, tc), (dw, dc) = med[("twice", jobs)], med[("diff_apps", jobs)]
    print(f"--jobs {jobs}: diff --apps / check --batch twice = {dw / tw:.2f} (wall), {dc / tc:.2f} (CPU)")
PY

echo
echo "# peak memory (max resident set size) of diff --apps --jobs $jobs_all"
kb=$( (/usr/bin/time -f %M "$icprules" diff "$dir/old" "$dir/new" --apps "$apps" --jobs "$jobs_all" 2>&1 >/dev/null) | tail -1)
echo "$count lines ($(du -h "$apps" | cut -f1)): $kb KiB"
