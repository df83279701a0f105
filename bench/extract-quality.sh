#!/usr/bin/env bash
# Scores `thresh extract` against the extraction yardsticks in ../shared and prints one table:
# token F1 (mean per page) for article bodies, snippet F1 for the trafilatura set and its
# comments, F1 on the text-dump form of the pages, and pages per second (one process, one
# thread, batch input). Usage: [OUT=DIR] bench/extract-quality.sh [SHARED_DIR]
# With OUT, the harness's per-page JSON is kept there, for bench/extract-compare.py.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
harness="$shared/bench/eval_extract.py"
if [ ! -f "$harness" ]; then
    echo "extract-quality: $harness not found; the yardsticks live in ../shared beside the repository" >&2
    exit 0
fi
cargo build --release --quiet
batch='target/release/thresh extract --json --files-from {list}'
if [ -n "${OUT:-}" ]; then
    out=$OUT
    mkdir -p "$out"
else
    out=$(mktemp -d)
    trap 'rm -rf "$out"' EXIT
fi

run() { # name, harness args...
    local name=$1
    shift
    python3 "$harness" "$@" --batch-cmd "$batch" --name thresh --out "$out/$name.json" 2>/dev/null \
        | grep -oE '(^| )(F1|pages_per_s|n|errors)=[0-9.]+' | tr -d ' ' | tr '\n' ' '
    echo
}

row() { # label, result line, field
    local v
    v=$(echo "$2" | grep -oE "(^| )$3=[0-9.]+" | cut -d= -f2)
    printf '| %-44s | %8s |\n' "$1" "${v:--}"
}

sh=$(run scrapinghub --dataset scrapinghub)
tb=$(run trafilatura --dataset trafilatura)
tc=$(run trafilatura-comments --dataset trafilatura --mode comments)
td=$(run scrapinghub-text --dataset scrapinghub --input text)

printf '| %-44s | %8s |\n' yardstick thresh
printf '|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "$(printf -- '-%.0s' {1..10})"
row "scrapinghub, body (F1)" "$sh" F1
row "trafilatura set, body (F1)" "$tb" F1
row "trafilatura set, comments (F1)" "$tc" F1
row "scrapinghub as text dumps (F1)" "$td" F1
row "speed, scrapinghub pages, batch (pages/s)" "$sh" pages_per_s
