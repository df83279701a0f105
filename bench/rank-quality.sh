#!/usr/bin/env bash
# Ranking yardstick: indexes a relevance collection's pages (default: Cranfield, 1,400 abstracts
# as HTML pages with the same nav, footer and cookie banner on each) and scores thresh's ranking
# of its natural-language queries with ../shared/bench/eval_rank.py: nDCG@10, MAP, R@100,
# P@10, MRR@10, and the whole-process latency of each search.
#
# Usage: bench/rank-quality.sh [COLLECTION_DIR]
#   COLLECTION_DIR holds pages/, queries.tsv and qrels.tsv (default ../shared/data/relevance/cranfield)
set -euo pipefail
cd "$(dirname "$0")/.."
harness=../shared/bench/eval_rank.py
data=${1:-../shared/data/relevance/cranfield}
if [ ! -f "$harness" ] || [ ! -d "$data/pages" ]; then
    echo "rank-quality: $harness or $data/pages not found; the yardsticks live in ../shared beside the repository" >&2
    exit 0
fi
cargo build --release --quiet
ix=$(mktemp -d "${TMPDIR:-/tmp}/thresh-rank.XXXXXX")
trap 'rm -rf "$ix"' EXIT
target/release/thresh index "$data/pages" --index "$ix" --quiet
python3 "$harness" --data "$data" --jobs 2 \
    --cmd "target/release/thresh search --index $ix --json -n {k} {query}"
