#!/usr/bin/env bash
# How well thresh tells copies of one story from distinct stories (index::story): every pair of
# distinct pages of the yardsticks (scrapinghub and trafilatura dev pages: all distinct stories)
# must stay apart, and each of 100 scrapinghub pages saved twice must collapse: as its HTML and
# its text dump, and as its HTML and an MHTML archive written from it here. Prints, per
# threshold of estimated containment, the wrong and the right collapses.
#
# Usage: bench/duplicates.sh [SHARED]   (default: ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${1:-../shared}
data="$shared/data/extraction"
work=$(mktemp -d "${TMPDIR:-/tmp}/thresh-dups.XXXXXX")
trap 'rm -rf "$work"' EXIT

find "$data/scrapinghub/html" "$data/trafilatura/cache" -type f | sort > "$work/distinct.txt"
: > "$work/pairs.txt"
n=0
for html in $(find "$data/scrapinghub/html" -name '*.html' | sort | head -100); do
    base=$(basename "$html" .html)
    dump="$data/scrapinghub/textdump/$base.txt"
    [ -f "$dump" ] && printf '%s\t%s\n' "$html" "$dump" >> "$work/pairs.txt"
    # The page as Chromium saves it: a MIME archive, the page quoted-printable.
    python3 - "$html" "$work/$base.mhtml" <<'PY'
import quopri, sys
html = open(sys.argv[1], 'rb').read()
body = quopri.encodestring(html).replace(b'\n', b'\r\n')
b = b'----MultipartBoundary--bench----'
out = (b'From: <Saved by Blink>\r\nSubject: page\r\nDate: Wed, 18 Nov 2020 16:05:09 -0000\r\n'
       b'MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n'
       b'\tboundary="' + b + b'"\r\n\r\n\r\n--' + b + b'\r\nContent-Type: text/html\r\n'
       b'Content-Transfer-Encoding: quoted-printable\r\n\r\n' + body + b'\r\n--' + b + b'--\r\n')
open(sys.argv[2], 'wb').write(out)
PY
    printf '%s\t%s\n' "$html" "$work/$base.mhtml" >> "$work/pairs.txt"
    n=$((n + 1))
done
cargo run --release --quiet --example stories -- "$work/distinct.txt" "$work/pairs.txt"
