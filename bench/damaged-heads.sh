#!/usr/bin/env bash
# How extraction holds up when one tag in a page's <head> is damaged: for up to N HTML pages of
# the extraction yardsticks (../shared), one <meta>, <link> or <title> tag gets one splice (a
# double quote, a single quote, '<', '>', '<!--', '="', or 8 random bytes), and the body thresh
# extracts from the damaged copy is compared with the one from the original (token F1). Prints,
# per kind of damage, how many pages lost more than a tenth of their body.
#
# Usage: bench/damaged-heads.sh [N] [SEED]   (defaults 300 and 1)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300}
seed=${2:-1}
data=../shared/data/extraction
if [ ! -d "$data" ]; then
    echo "damaged-heads: $data not found; the yardsticks live in ../shared beside the repository" >&2
    exit 0
fi
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$(cd "$data" && pwd)" -type f \( -name '*.html' -o -path '*/cache/*' \) | sort > "$work/pages"
python3 - "$work" "$n" "$seed" <<'PY'
import random, re, sys
work, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(seed)
pages = [l.strip() for l in open(f"{work}/pages") if l.strip()]
random.shuffle(pages)
kinds = {"dq": b'"', "sq": b"'", "lt": b"<", "gt": b">", "cmt": b"<!--", "eq": b'="', "rnd": None}
damaged, originals = open(f"{work}/damaged", "w"), open(f"{work}/originals", "w")
done = 0
for page in pages:
    if done == n:
        break
    b = open(page, "rb").read()
    head_end = b.lower().find(b"</head")
    tags = list(re.finditer(rb"<(meta|link|title)\b[^>]*>", b[:max(head_end, 0)], re.I))
    if not tags:
        continue
    m = random.choice(tags)
    at = random.randint(m.start() + 2, m.end() - 1)
    for kind, splice in kinds.items():
        splice = splice or bytes(random.randrange(256) for _ in range(8))
        out = f"{work}/{done:04d}_{kind}.html"
        open(out, "wb").write(b[:at] + splice + b[at:])
        damaged.write(out + "\n")
        originals.write(page + "\n")
    done += 1
PY
target/release/thresh extract --json --files-from "$work/originals" > "$work/originals.jsonl" 2>/dev/null || true
target/release/thresh extract --json --files-from "$work/damaged" > "$work/damaged.jsonl" 2>/dev/null || true
python3 - "$work" <<'PY'
import collections, json, re, sys
work = sys.argv[1]
def bag(s):
    return collections.Counter(re.findall(r"\w+", s.lower()))
def f1(a, b):
    A, B = bag(a), bag(b)
    if not A and not B:
        return 1.0
    tp = sum((A & B).values())
    if not tp:
        return 0.0
    p, r = tp / sum(B.values()), tp / sum(A.values())
    return 2 * p * r / (p + r)
orig = [json.loads(l) for l in open(f"{work}/originals.jsonl")]
dmg = [json.loads(l) for l in open(f"{work}/damaged.jsonl")]
lost, total = collections.Counter(), collections.Counter()
for o, d in zip(orig, dmg):
    kind = d["path"].rsplit("_", 1)[1].split(".")[0]
    total[kind] += 1
    if f1(o.get("body", ""), d.get("body", "")) < 0.9:
        lost[kind] += 1
print(f"| damage | pages | lost >10% of the body |")
print(f"|---|---|---|")
for kind in total:
    print(f"| {kind} | {total[kind]} | {lost[kind]} |")
PY
