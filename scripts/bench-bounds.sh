#!/usr/bin/env bash
# Linear time on the inputs of issue 13, items 1 to 3: for each case, an
# application built at a size N and at 4N, checked by `icprules check` (as a
# whole process), and the two times side by side. Linear work gives a ratio
# near 4 (less, for the part that does not grow: loading the rules); the
# quadratic work of old gave near 16.
#
#   scripts/bench-bounds.sh            # the sizes of the issue (4N)
#   SCALE=4 scripts/bench-bounds.sh    # N and 4N divided by 4: quicker
#   ICPRULES=path/to/icprules scripts/bench-bounds.sh   # another build
#
# The inputs are written (by python3) to target/bench-bounds/. tests/bounds.rs
# checks the same cases by the evaluator's step count, which does not depend
# on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${SCALE:-1}
if [[ -z ${ICPRULES:-} ]]; then
  cargo build --release --quiet --bin icprules
  ICPRULES=target/release/icprules
fi
dir=target/bench-bounds
mkdir -p "$dir"

# make CASE N FILE: the application of CASE at size N.
make() {
  python3 - "$@" <<'EOF'
import json, sys
case, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def load(path):
    with open(path) as f:
        return json.load(f)
def websites(app, n, edit):
    base = app["websites"][0]
    sites = []
    for i in range(n):
        w = json.loads(json.dumps(base))
        w["name"] = f"Site {i}"
        w["domains"][0]["name"] = f"site-{i}.com"
        edit(w, i)
        sites.append(w)
    app["websites"] = sites
if case == "pre-approvals":
    app = load("tests/cases/national/accept-enterprise.json")
    # Each category is found at the end of the pre-approvals.
    cats = ["news", "publishing", "culture", "education"]
    app["websites"][0]["content"] = [cats[i % 4] for i in range(n)]
    app["websites"][0]["pre_approvals"] = ["other"] * (n - 4) + cats
elif case == "distinct":
    app = load("tests/cases/guangdong/accept-enterprise.json")
    app["subject"]["filed_domains"] = [f"filed-{i}.cn" for i in range(n)]
elif case == "service-ids":
    app = load("tests/cases/national/accept-enterprise.json")
    def edit(w, i):
        w["hosting"]["service_id"] = {"number": f"SN{i}", "previously_used": False}
    websites(app, n, edit)
elif case == "findings":
    app = load("tests/cases/national/accept-enterprise.json")
    def edit(w, i):
        w["domains"][0]["real_name_verified"] = False
    websites(app, n, edit)
elif case == "tianjin":
    app = load("tests/cases/tianjin/accept-enterprise.json")
    def edit(w, i):
        w["admin"]["mobile"]["number"] = f"139{i:08d}"
    websites(app, n, edit)
else:
    sys.exit(f"unknown case {case}")
with open(out, "w") as f:
    json.dump(app, f)
EOF
}

# seconds CMD...: the wall-clock time of a command, in seconds.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

printf '%-34s %8s %8s %9s %9s %6s\n' case N 4N "t(N) s" "t(4N) s" ratio
row() {
  local name=$1 case=$2 n=$3
  shift 3
  n=$((n / scale))
  local small="$dir/$case-$n.json" big="$dir/$case-$((4 * n)).json"
  [[ -s $small ]] || make "$case" "$n" "$small"
  [[ -s $big ]] || make "$case" "$((4 * n))" "$big"
  local a b
  a=$(seconds "$ICPRULES" check "$@" "$small")
  b=$(seconds "$ICPRULES" check "$@" "$big")
  printf '%-34s %8d %8d %9.3f %9.3f %6.1f\n' "$name" "$n" "$((4 * n))" "$a" "$b" \
    "$(echo "$b / $a" | bc -l)"
}

row "1 content in pre-approvals" pre-approvals 12500
row "1 distinct filed domains" distinct 16000
row "1 service number per website" service-ids 1000
row "2 findings, JSON" findings 4000 --format json
row "2 findings, human" findings 4000
row "2 tianjin websites, human" tianjin 2000

# Item 3: a definition that calls another twice, N levels deep. As written
# its work doubles with each level; the step budget stops the rule.
runaway() {
  local levels=$1 folder="$dir/runaway-$1"
  mkdir -p "$folder"
  cp tests/fixtures/schema.icp "$folder/"
  {
    echo 'def f0(x: int) = x'
    for ((i = 1; i <= levels; i++)); do
      echo "def f$i(x: int) = f$((i - 1))(x) + f$((i - 1))(x)"
    done
    echo 'ruleset runaway {'
    echo '  rule doubles {'
    echo '    source "1"'
    echo "    require f$levels(1) > 0"
    echo '    message zh "失败" en "failed"'
    echo '  }'
    echo '}'
  } >"$folder/runaway.icp"
  cat >"$dir/runaway.json" <<'EOF'
{"province": "beijing",
 "subject": {"type": "enterprise", "name": "Example Co", "legal_representative": null},
 "admins": [], "domains": [], "documents": []}
EOF
  seconds "$ICPRULES" check --rules "$folder" "$dir/runaway.json"
}
a=$(runaway 20)
b=$(runaway 40)
printf '%-34s %8s %8s %9.3f %9.3f %6.1f\n' "3 doubling definitions (levels)" 20 40 "$a" "$b" \
  "$(echo "$b / $a" | bc -l)"
