#!/usr/bin/env bash
# Ranking yardstick: indexes each relevance collection's pages (Cranfield, NFCorpus and CISI
# from ../shared/data/relevance: abstracts as HTML pages with the same nav, footer and cookie
# banner on each), scores thresh's ranking of their queries with ../shared/bench/eval_rank.py,
# and prints one table: nDCG@10, MAP, R@100, queries that failed, and whole-process search
# latency.
#
# Usage: bench/rank-quality.sh [COLLECTION_DIR...]
#   default: every collection under ../shared/data/relevance
#   OUT=DIR       keep each collection's per-query scores as DIR/NAME.json (default: a temp dir)
#   BASELINE=DIR  also compare query by query with the NAME.json files of an earlier run
#                 (bench/rank-compare.py: paired sign test and bootstrap interval)
#   THRESH=PATH   the binary to measure (default: a release build of this tree)
set -euo pipefail
cd "$(dirname "$0")/.."
harness=../shared/bench/eval_rank.py
if [ "$#" -eq 0 ]; then
    set -- ../shared/data/relevance/*/
fi
if [ ! -f "$harness" ] || [ ! -d "$1" ]; then
    echo "rank-quality: $harness or $1 not found; the yardsticks live in ../shared beside the repository" >&2
    exit 0
fi
if [ -z "${THRESH:-}" ]; then
    cargo build --release --quiet
    THRESH=target/release/thresh
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/thresh-rank.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=${OUT:-$work/runs}
mkdir -p "$out"
names=()
for data in "$@"; do
    data=${data%/}
    name=$(basename "$data")
    names+=("$name")
    "$THRESH" index "$data/pages" --index "$work/ix-$name" --quiet
    python3 "$harness" --data "$data" --jobs 2 --json-out "$out/$name.json" \
        --cmd "$THRESH search --index $work/ix-$name --json --all-copies -n {k} {query}" >/dev/null
done
python3 - "$out" "${names[@]}" <<'PY'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
print(f"{'collection':<11} {'queries':>7} {'nDCG@10':>8} {'MAP':>7} {'R@100':>7} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7}")
for n in names:
    s = json.load(open(f"{out}/{n}.json"))["summary"]
    print(f"{n:<11} {s['queries']:>7} {s['ndcg@10']:>8.4f} {s['map']:>7.4f} {s['recall@100']:>7.4f} "
          f"{s['errors']:>6} {s['cmd_latency_p50_ms']:>7.1f} {s['cmd_latency_p95_ms']:>7.1f}")
PY
if [ -n "${BASELINE:-}" ]; then
    args=()
    for n in "${names[@]}"; do
        args+=("$n" "$BASELINE/$n.json" "$out/$n.json")
    done
    echo
    python3 bench/rank-compare.py "${args[@]}"
fi
