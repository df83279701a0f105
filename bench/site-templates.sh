#!/usr/bin/env bash
# Site templates measured two ways. Not a test: nothing here gates anything.
#  1. The extraction yardsticks' pages as one flat corpus (sites by the host each page names,
#     which is how a user's folder of saved pages looks): indexed, then each yardstick scored
#     with plain `extract` and with `extract --index`, and compared page by page
#     (bench/extract-compare.py).
#  2. The Rust documentation (every page one generator's template, sites by folder): indexed,
#     then a sample of pages extracted both ways; prints the share of body text cut, the pages
#     it touched and the lines cut most often.
#
# Usage: bench/site-templates.sh [SHARED_DIR] [SAMPLE_PAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
sample=${2:-2000}
harness="$shared/bench/eval_extract.py"
work=$(mktemp -d "${TMPDIR:-/tmp}/thresh-templates.XXXXXX")
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
thresh="$(pwd)/target/release/thresh"

if [ -f "$harness" ]; then
    corpus="$work/dev"
    mkdir -p "$corpus"
    # Links, not copies: the pages stay where the yardsticks keep them.
    for f in "$shared"/data/extraction/scrapinghub/html/*.html; do
        ln -s "$(realpath "$f")" "$corpus/sh-$(basename "$f")"
    done
    for f in "$shared"/data/extraction/trafilatura/cache/*.html; do
        ln -s "$(realpath "$f")" "$corpus/tr-$(basename "$f")"
    done
    "$thresh" index "$corpus" --index "$work/dev-index" --quiet
    python3 - "$work/dev-index" <<'EOF'
import glob, json, sys
m = json.load(open(sorted(glob.glob(sys.argv[1] + "/manifest-*.json"))[-1]))
t = m.get("templates", {})
print(f"dev pages: {len(t)} sites of two pages or more, {sum(1 for v in t.values() if v['lines'])} with a template")
EOF
    mkdir -p "$work/plain" "$work/templates"
    for ds in scrapinghub trafilatura; do
        for how in plain templates; do
            cmd="$thresh extract --json --files-from {list}"
            [ "$how" = templates ] && cmd="$thresh extract --index $work/dev-index --json --files-from {list}"
            python3 "$harness" --dataset "$ds" --batch-cmd "$cmd" --name thresh \
                --out "$work/$how/$ds.json" 2>/dev/null | grep -oE '(^| )(F1|n)=[0-9.]+' | tr '\n' ' '
            echo " $ds $how"
        done
    done
    python3 bench/extract-compare.py "$work/plain" "$work/templates"
fi

docs="$(rustc --print sysroot)/share/doc/rust/html"
if [ -d "$docs" ]; then
    "$thresh" index "$docs" --index "$work/docs-index" --quiet
    find "$docs" -name '*.html' | sort | awk -v n="$sample" 'NR % int(48000 / n + 1) == 0' >"$work/sample.txt"
    "$thresh" extract --json --files-from "$work/sample.txt" 2>/dev/null >"$work/plain.jsonl" || true
    "$thresh" extract --index "$work/docs-index" --json --files-from "$work/sample.txt" 2>/dev/null \
        >"$work/templates.jsonl" || true
    python3 - "$work/plain.jsonl" "$work/templates.jsonl" <<'EOF'
import collections, json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
before = sum(len(x.get("body", "")) for x in a)
after = sum(len(x.get("body", "")) for x in b)
touched = sum(1 for x, y in zip(a, b) if x.get("body") != y.get("body"))
print(f"rust docs: {len(a)} pages, {touched} touched, {100 * (before - after) / max(1, before):.1f}% of body text cut")
cut = collections.Counter()
for x, y in zip(a, b):
    kept = set(y.get("body", "").split("\n"))
    for line in set(x.get("body", "").split("\n")):
        if line.strip() and line not in kept:
            cut[line[:60]] += 1
for line, n in cut.most_common(15):
    print(f"  {n:5d}  {line!r}")
EOF
fi
