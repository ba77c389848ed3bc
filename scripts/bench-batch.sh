#!/usr/bin/env bash
# Whole-process throughput of `icprules check --batch`, side by side with two
# floors on the same file: parsing each line into a serde_json::Value, and
# into serde derive structs of the format (benches/floor/). Then the peak
# memory (max resident set size) of a batch for growing line counts.
#
#   scripts/bench-batch.sh [COUNT] [SEED]     # default: 100000 applications, seed 1
#   RSS_COUNTS="10000 1000000" scripts/bench-batch.sh
#
# Uses hyperfine when installed (apt-get install hyperfine), else `time`.
# Results go to stdout; the generated files to target/bench-batch/.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-100000}
seed=${2:-1}
rss_counts=${RSS_COUNTS:-"10000 1000000"}
jobs_all=$(nproc)

cargo build --release --quiet --bin icprules --example floor
icprules=target/release/icprules
floor=target/release/examples/floor
dir=target/bench-batch
mkdir -p "$dir"

# Generates (once) COUNT applications for SEED.
generated() {
  local file="$dir/gen-$seed-$1.jsonl"
  if [[ ! -s $file ]]; then
    "$icprules" gen --seed "$seed" --count "$1" >"$file" 2>/dev/null
  fi
  echo "$file"
}

file=$(generated "$count")
echo "# $count applications, $(du -h "$file" | cut -f1), $jobs_all cores"

if command -v hyperfine >/dev/null; then
  hyperfine -i --warmup 1 --runs "${RUNS:-5}" --style basic \
    --export-markdown "$dir/throughput.md" \
    -n "floor: serde_json::Value" "$floor value $file" \
    -n "floor: typed structs" "$floor typed $file" \
    -n "check --batch --jobs 1" "$icprules check --batch $file --jobs 1 >/dev/null 2>&1" \
    -n "check --batch --jobs $jobs_all" "$icprules check --batch $file --jobs $jobs_all >/dev/null 2>&1"
  cat "$dir/throughput.md"
else
  for run in "$floor value $file" "$floor typed $file" \
    "$icprules check --batch $file --jobs 1" "$icprules check --batch $file --jobs $jobs_all"; do
    echo "## $run"
    # shellcheck disable=SC2086
    ( time $run >/dev/null 2>&1 ) 2>&1
  done
fi

echo
echo "# peak memory (max resident set size) of check --batch --jobs $jobs_all"
for n in $rss_counts; do
  f=$(generated "$n")
  # check exits 1 when an application is rejected: not a failure here.
  kb=$( (/usr/bin/time -f %M "$icprules" check --batch "$f" --jobs "$jobs_all" 2>&1 >/dev/null || true) | tail -1)
  echo "$n lines ($(du -h "$f" | cut -f1)): $kb KiB"
done
