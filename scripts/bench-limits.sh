#!/usr/bin/env bash
# Bounded resources (issue 13 items 4 to 6, and lint): each case at a size N
# and at 4N, side by side in one run, with the time and the peak memory
# (max resident set size). Linear work shows a ratio near 4 (or near 1 when
# the size must not matter at all). The time is CPU time (user + system, all
# threads): on a shared machine it varies far less than the wall clock.
#
#   scripts/bench-limits.sh            # release build; files in target/bench-limits/
#
# Cases:
#   4. a rule folder with N symbolic-link loops (`lint`), and a case folder
#      with N cases and a loop (`test`): links are not followed, so the work
#      is the files, once each.
#   5. `check --batch --jobs J` for J = 1000 and 4000 (both lowered to 4 per
#      core): the time does not grow with the number asked for.
#   6. `check --batch` over N and 4N lines; over one line of 20 MB and of
#      80 MB (each past the 16 MiB limit: dropped as read, memory flat).
#   lint over a rule set with N and 4N extra rules.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin icprules
icprules=$PWD/target/release/icprules
dir=$PWD/target/bench-limits
rm -rf "$dir"
mkdir -p "$dir"

# Prints `CPU-SECONDS KIB` for a command (its exit status does not matter).
measure() {
  /usr/bin/time -f "%U %S %M" "$@" 2>&1 >/dev/null | tail -1 | awk '{ print $1 + $2, $3 }'
}

# Prints a row: case, N's figures, 4N's, and the ratio of the times.
row() {
  local name=$1 small=$2 large=$3
  read -r t1 m1 <<<"$small"
  read -r t4 m4 <<<"$large"
  awk -v n="$name" -v t1="$t1" -v m1="$m1" -v t4="$t4" -v m4="$m4" 'BEGIN {
    r = (t1 > 0) ? t4 / t1 : 0
    printf "| %s | %.2f s, %d MiB | %.2f s, %d MiB | %.1fx |\n", n, t1, m1 / 1024, t4, m4 / 1024, r
  }'
}

echo "| case | N: CPU time, peak memory | 4N | CPU time 4N / N |"
echo "|---|---|---|---|"

# 4. Symbolic-link loops in a rule folder.
loops() {
  local n=$1 to="$dir/loops-$1"
  cp -r rules "$to"
  for i in $(seq 1 "$n"); do ln -s .. "$to/provinces/loop$i"; done
  echo "$to"
}
row "4. lint, rule folder with 100 / 400 link loops" \
  "$(measure "$icprules" lint "$(loops 100)")" "$(measure "$icprules" lint "$(loops 400)")"

# 4. A case folder with N cases and a loop.
cases() {
  local n=$1 to="$dir/cases-$1"
  mkdir -p "$to"
  for i in $(seq 1 "$n"); do
    cp tests/cases/national/accept-enterprise.json "$to/accept-$i.json"
  done
  ln -s .. "$to/loop"
  echo "$to"
}
row "4. test, 200 / 800 cases and a link loop" \
  "$(measure "$icprules" test "$(cases 200)")" "$(measure "$icprules" test "$(cases 800)")"

# 6 (and 5). Batches of generated applications.
"$icprules" gen --seed 1 --count 20000 >"$dir/n.jsonl" 2>/dev/null
for _ in 1 2 3 4; do cat "$dir/n.jsonl"; done >"$dir/4n.jsonl"
row "5. check --batch 20,000 lines, --jobs 1000 / 4000" \
  "$(measure "$icprules" check --batch "$dir/n.jsonl" --jobs 1000)" \
  "$(measure "$icprules" check --batch "$dir/n.jsonl" --jobs 4000)"
row "6. check --batch, 20,000 / 80,000 lines" \
  "$(measure "$icprules" check --batch "$dir/n.jsonl")" \
  "$(measure "$icprules" check --batch "$dir/4n.jsonl")"

long_line() {
  local mb=$1 to="$dir/long-$1.jsonl"
  head -c $((mb * 1000 * 1000)) /dev/zero | tr '\0' 'x' >"$to"
  echo >>"$to"
  head -1 "$dir/n.jsonl" >>"$to"
  echo "$to"
}
row "6. check --batch, one line of 20 MB / 80 MB (past the limit)" \
  "$(measure "$icprules" check --batch "$(long_line 20)")" \
  "$(measure "$icprules" check --batch "$(long_line 80)")"

# lint: extra rules, each a rule of its own (no duplicate).
many_rules() {
  local n=$1 to="$dir/rules-$1"
  cp -r rules "$to"
  awk -v n="$n" 'BEGIN {
    print "ruleset many when province == beijing {"
    for (i = 0; i < n; i++) {
      printf "  rule r%d {\n    source \"1\"\n    require len(subject.name) != %d\n", i, i
      printf "    message zh \"名称长度不能为 %d\" en \"the name must not be %d characters long\"\n  }\n\n", i, i
    }
    print "}"
  }' >"$to/many.icp"
  echo "$to"
}
row "lint, 5,000 / 20,000 extra rules" \
  "$(measure "$icprules" lint "$(many_rules 5000)")" \
  "$(measure "$icprules" lint "$(many_rules 20000)")"
