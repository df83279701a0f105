#!/usr/bin/env bash
# Bounded cost for hostile pages: each one is indexed beside the user's two seed pages, and
# the table gives wall time and peak memory of `thresh index` and of `thresh extract` on it,
# whether the good pages were indexed, and what was reported for the hostile one. A page
# must cost well under 5 s and 300 MB, or be reported; the rest of the corpus is indexed.
# Not a test: timings never gate anything.
#
# Usage: bench/hostile.sh
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
cargo build --release --quiet
thresh="$repo/target/release/thresh"
work=$(mktemp -d "${TMPDIR:-/tmp}/thresh-hostile.XXXXXX")
trap 'rm -rf "$work"' EXIT
gen="$work/gen"
mkdir -p "$gen"

# The hostile pages, one folder each (a name can itself be the attack).
python3 - "$gen" <<'PY'
import os, sys
g = sys.argv[1]
def put(case, name, data):
    d = os.path.join(g, case)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d.encode(), name if isinstance(name, bytes) else name.encode()), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
MB = 1024 * 1024
put("100MB-one-line-text", "huge.txt", b"word " * (20 * MB))
put("100MB-one-line-html", "huge.html", b"<p>" + b"word " * (20 * MB) + b"</p>")
put("100k-nested-tags", "deep.html", b"<div>" * 100_000 + b"<p>deep words here</p>" + b"</div>" * 100_000)
put("1M-attributes", "attrs.html", b"<div " + b" ".join(b"a%d=x" % i for i in range(1_000_000)) + b"><p>after the attributes</p></div>")
rows = b"".join(b"<tr><td>cell %d</td><td>more text in the cell</td></tr>" % i for i in range(300_000))
put("16MiB-table", "table.html", (b"<table>" + rows)[: 16 * MB] + b"</table>")
comments = "".join(f'<li class="comment" id="comment-{i}"><cite class="fn">user{i}</cite> <time datetime="2018-03-08T12:00:00Z">x</time><p>comment number {i} says something</p></li>' for i in range(100_000))
put("100k-comments-html", "thread.html", f"<html><body><article><p>The article about the harbour, long enough to be the body of a page.</p></article><ol class=\"commentlist\">{comments}</ol></body></html>")
lines = ["A title for this dump", "", "Some article body text that goes on for long enough to be the article, with words.", ""]
for i in range(100_000):
    lines += [f"user{i} · {i % 50 + 1} hours ago", f"comment number {i} says something"]
put("100k-comments-text", "dump.txt", "\n".join(lines))
put("20k-comment-headings", "headings.html", "<html><body><p>An article about the harbour, long enough to be a page body.</p>" + "<h2>Comments</h2><div></div>" * 20_000 + "</body></html>")
dump = ["  A title for this dump", "    by someone", ""]
for i in range(24_000):
    dump.append(f"The council approved harbour plan number {i} on Tuesday after a long debate, and the work starts soon.")
    dump += [f"short line {i} {j}" for j in range(9)]
put("24k-blocks-no-blank-lines", "blocks.txt", "\n".join(dump))
put("200k-bylines-without-dates", "bylines.txt", "A title\n\n" + "Posted by Ann Lee on the pier by the old mill on Sunday\n" * 200_000)
put("50k-summary-words-gallery", "gallery.html", '<html><head><title>A headline for the page</title><meta name="description" content="' + "summary words here again " * 2_000 + '"></head><body><div>' + '<div class="g"><p>Photo: dancers, drummers, stilt walkers and a band crowd the square, in the late light.</p></div>' * 50_000 + '</div><div><ul>' + '<li><a href="/s">Section</a></li>' * 5_000 + '</ul></div><div><h1>A headline for the page</h1><div><p>' + "A short article holding summary words, here and again. " * 20 + '</p></div></div></body></html>')
put("NUL-bytes", "nul.html", b"<p>text\x00with\x00nuls</p>" * 1000)
put("UTF-16-without-BOM", "utf16.html", "<html><body><p>Sixteen bits a character, and no byte-order mark to say so.</p></body></html>".encode("utf-16-le"))
put("invalid-bytes-under-UTF-8", "bad.html", b"<meta charset=utf-8><p>valid \xff\xfe\xc3 then more valid text in a paragraph.</p>" * 200)
put("name-with-newline", "two\nlines.html", "<p>a file whose name holds a newline, with words enough.</p>")
put("name-not-UTF-8", b"caf\xe9.html", "<p>a file whose name is Latin-1, with words enough for a page.</p>")
put("name-with-escapes", "\x1b]0;owned\x07\x1b[2J.html", "<p>a file whose name holds escape sequences, with words enough.</p>")
PY
mkdir -p "$gen/FIFO-named-x.html" "$gen/directory-named-x.html/x.html"
mkfifo "$gen/FIFO-named-x.html/x.html"

printf '%-28s %9s %9s %9s %9s  %-6s %s\n' case index_s index_MB extract_s extract_MB good reported
for case_dir in "$gen"/*/; do
    case=$(basename "$case_dir")
    corpus="$work/corpus-$case"
    rm -rf "$corpus" "$work/ix"
    mkdir -p "$corpus"
    cp "$repo"/corpus/*.txt "$corpus"/
    cp -a "$case_dir". "$corpus"/
    /usr/bin/time -f '%e %M' -o "$work/t" timeout 60 "$thresh" index "$corpus" --index "$work/ix" --quiet --json \
        >"$work/summary.json" 2>"$work/err"
    read -r isec ikb < <(tail -n 1 "$work/t")
    good=no
    "$thresh" search --index "$work/ix" -n 1 billboard >/dev/null 2>&1 && good=yes
    reported=$(python3 - "$work/summary.json" <<'PY' 2>/dev/null || echo "index failed: $(head -c 120 "$work/err")"
import json, sys
d = json.load(open(sys.argv[1]))
failed = "; ".join(f["error"] for f in d["failed"])
print(failed or "%d pages, %d skipped" % (d["pages"], d["skipped"]))
PY
)
    # Extract on the hostile file itself (the first file of the case that is not a seed).
    target=$(find "$case_dir" -mindepth 1 -maxdepth 1 | head -1)
    /usr/bin/time -f '%e %M' -o "$work/t" timeout 60 "$thresh" extract --json "$target" >/dev/null 2>"$work/xerr"
    read -r xsec xkb < <(tail -n 1 "$work/t")
    printf '%-28s %9s %9d %9s %9d  %-6s %s\n' "$case" "$isec" $((ikb / 1024)) "$xsec" $((xkb / 1024)) "$good" "$reported"
done
