#!/usr/bin/env bash
# Crash safety, measured (not a test: it takes minutes and needs root for the disk-full part).
#
# On a 5,000-page part of the Rust documentation: 20 runs killed with SIGKILL at random moments
# (first build, rebuild, incremental) and 5 with SIGINT. After each: `stats` and a search must
# work on the last commit (or, before the first commit, say so in one line), searches looping
# meanwhile must never fail, and the next run must end with exactly the counts and top-10 hits
# of a clean build for a fixed query list. Then a disk that fills up (a small tmpfs): a one-line
# error, the last commit intact, and the next run with room completes.
#
# Usage: bench/crash-safety.sh [KILLS] [INTERRUPTS]   (default 20 and 5; SEED=n fixes the moments)
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
kills=${1:-20}
interrupts=${2:-5}
RANDOM=${SEED:-7}
src="$(rustc --print sysroot)/share/doc/rust/html"
work=$(mktemp -d "${TMPDIR:-/tmp}/thresh-crash.XXXXXX")
cleanup() {
    mountpoint -q "$work/small" 2>/dev/null && umount "$work/small"
    rm -rf "$work"
}
trap cleanup EXIT
cargo build --release --quiet
thresh="$repo/target/release/thresh"

corpus="$work/corpus"
mkdir -p "$corpus"
# Every ninth page, so that the part spans the whole documentation's kinds of page.
(cd "$src" && find . -name '*.html' | sort | awk 'NR % 9 == 0' | head -5000 |
    cpio -pdm --quiet "$corpus")
echo "corpus: $(find "$corpus" -name '*.html' | wc -l) pages from $src"
queries=$(head -n 20 "$repo/bench/queries-rustdoc.txt")

# What a clean build gives: the counts and each query's top ten (page and comment position).
fingerprint() { # index dir
    "$thresh" stats --json --index "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["pages"], d["articles"], d["comments"])'
    while IFS= read -r q; do
        [ -z "$q" ] && continue
        "$thresh" search --json -n 10 --index "$1" -- "$q" 2>/dev/null |
            python3 -c 'import json,sys; print(" ".join(h["page"] + "#" + str(h["comment"]) for h in map(json.loads, sys.stdin)))'
    done <<<"$queries"
}

clean="$work/clean"
t0=${EPOCHREALTIME//[.,]/}
"$thresh" index "$corpus" --index "$clean" --quiet
t1=${EPOCHREALTIME//[.,]/}
build_ms=$(((t1 - t0) / 1000))
fingerprint "$clean" >"$work/clean.txt"
echo "clean build: ${build_ms} ms; $(head -1 "$work/clean.txt") (pages articles comments)"

ix="$work/index"
same_order=0
lists=0
# True when every query's top ten shares at least nine hits with the other file's.
overlap() {
    python3 - "$1" "$2" <<'PY'
import sys
a = open(sys.argv[1]).read().splitlines()[1:]
b = open(sys.argv[2]).read().splitlines()[1:]
sys.exit(0 if len(a) == len(b) and all(len(set(x.split()) & set(y.split())) >= min(9, len(x.split())) for x, y in zip(a, b)) else 1)
PY
}
# Each page's record in the manifest of the last commit, without its size and mtime.
records() {
    python3 - "$1" <<'PY'
import json, os, sys
d = sys.argv[1]
payload = json.loads(json.load(open(os.path.join(d, "meta.json")))["payload"])
files = json.load(open(os.path.join(d, payload["manifest"])))["files"]
for k in sorted(files):
    e = files[k]
    print(k, e["hash"], e["status"], e["comments"])
PY
}
pass=0
fail=0
search_failures=0
# Some pages to edit before an incremental run and put back after it.
mapfile -t edits < <(find "$corpus" -name '*.html' | sort | awk 'NR % 50 == 0')

# A search loop beside a run: it must never fail while an index exists (exit 0 or 1).
search_loop() { # stops when the file $work/stop exists
    while [ ! -e "$work/stop" ]; do
        if [ -e "$ix/meta.json" ]; then
            "$thresh" search --index "$ix" -n 3 vec >/dev/null 2>"$work/loop.err"
            code=$?
            if [ $code -ne 0 ] && [ $code -ne 1 ] && ! grep -q "no complete build" "$work/loop.err"; then
                echo "search failed during a run ($code): $(cat "$work/loop.err")" >>"$work/loop.log"
            fi
        fi
    done
}

one_round() { # signal, index
    local sig=$1 n=$2 mode
    case $((RANDOM % 3)) in
        0) mode=first; rm -rf "$ix" ;;
        1) mode=rebuild; [ -e "$ix/meta.json" ] || "$thresh" index "$corpus" --index "$ix" --quiet ;;
        2) mode=incremental
           [ -e "$ix/meta.json" ] || "$thresh" index "$corpus" --index "$ix" --quiet
           for f in "${edits[@]}"; do cp "$f" "$f.orig"; echo "<p>edited page $n</p>" >>"$f"; done ;;
    esac
    local args=(index "$corpus" --index "$ix" --quiet)
    [ "$mode" = rebuild ] && args+=(--rebuild)
    rm -f "$work/stop" "$work/loop.log"
    search_loop &
    local loop=$!
    "$thresh" "${args[@]}" &
    local pid=$!
    # A moment anywhere in the run (its usual length is about the clean build's).
    local wait_ms=$((RANDOM % (build_ms + build_ms / 2 + 1)))
    sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    local code=$?
    touch "$work/stop"
    wait "$loop"
    local ok=1 why=""
    if [ "$sig" = INT ] && [ $code -ne 130 ] && [ $code -ne 0 ]; then ok=0; why="exit $code after SIGINT"; fi
    # On the last commit: stats and a search work, or say in one line there is none yet.
    if [ -e "$ix/meta.json" ]; then
        "$thresh" stats --index "$ix" >/dev/null 2>"$work/err"
        local sc=$?
        if [ $sc -ne 0 ] && ! grep -q "no complete build" "$work/err"; then ok=0; why="stats: $(cat "$work/err")"; fi
        "$thresh" search --index "$ix" vec >/dev/null 2>"$work/err"
        sc=$?
        if [ $sc -gt 1 ] && ! grep -q "no complete build" "$work/err"; then ok=0; why="search: $(cat "$work/err")"; fi
    fi
    if [ -s "$work/loop.log" ]; then ok=0; search_failures=$((search_failures + 1)); why="$(head -1 "$work/loop.log")"; fi
    # Put edited pages back, then the next run must give the clean build's answers.
    if [ "$mode" = incremental ]; then
        for f in "${edits[@]}"; do mv "$f.orig" "$f"; done
    fi
    "$thresh" index "$corpus" --index "$ix" --quiet 2>"$work/err"
    local rc=$?
    fingerprint "$ix" >"$work/after.txt"
    if [ $rc -ne 0 ]; then ok=0; why="next run exit $rc: $(cat "$work/err")"; fi
    # Every page's record (content hash, status, comment count) as a clean build has it.
    if ! cmp -s <(records "$clean") <(records "$ix"); then
        ok=0; why="page records differ from a clean build"
    fi
    # Against a clean build: the counts and each query's top ten exactly, when the index was
    # built afresh. Pages deleted and added again (an incremental round, now or in an earlier
    # round whose index this one kept) still count in the index library's term statistics until
    # their segment is merged, which can swap near-tied hits at the tenth place; there the top
    # ten must share nine of ten hits with the clean build's, and how many lists keep its exact
    # order is counted apart.
    if [ "$mode" = first ] && ! cmp -s "$work/clean.txt" "$work/after.txt"; then
        ok=0; why="differs from a clean build: $(diff "$work/clean.txt" "$work/after.txt" | head -3 | tr '\n' ' ')"
    elif [ "$(head -1 "$work/clean.txt")" != "$(head -1 "$work/after.txt")" ]; then
        ok=0; why="counts differ from a clean build"
    elif ! overlap "$work/clean.txt" "$work/after.txt"; then
        ok=0; why="top tens share fewer than nine hits with a clean build's"
    fi
    same_order=$((same_order + $(paste -d'|' "$work/clean.txt" "$work/after.txt" | awk -F'|' '$1 == $2' | wc -l) - 1))
    lists=$((lists + $(wc -l <"$work/clean.txt") - 1))
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
    printf '%-3s %-5s %-12s at %5d ms: exit %3d  %s\n' "$n" "$sig" "$mode" "$wait_ms" "$code" "${why:-ok}"
}

n=0
for _ in $(seq "$kills"); do n=$((n + 1)); one_round KILL $n; done
for _ in $(seq "$interrupts"); do n=$((n + 1)); one_round INT $n; done
echo "killed and interrupted runs: $pass of $n recovered the clean build's counts and top tens; $same_order of $lists top tens in the very same order; searches failing during a run: $search_failures"

# Disk full: an index on a small tmpfs holds a small corpus; the whole corpus does not fit.
if [ "$(id -u)" = 0 ]; then
    small="$work/small"
    mkdir -p "$small" "$work/part"
    (cd "$corpus" && find . -name '*.html' | sort | head -300 | cpio -pdm --quiet "$work/part")
    mount -t tmpfs -o size=200m tmpfs "$small"
    "$thresh" index "$work/part" --index "$small/ix" --quiet
    # Room for the small index and a little more, far less than the whole corpus needs.
    used_kb=$(du -sk "$small" | cut -f1)
    mount -o remount,size=$((used_kb + 1024))k "$small"
    counts() { "$thresh" stats --json --index "$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["pages"], d["comments"], d["updated"])'; }
    before=$(counts "$small/ix")
    cp -r "$corpus"/. "$work/part"/
    "$thresh" index "$work/part" --index "$small/ix" --quiet 2>"$work/err"
    code=$?
    lines=$(wc -l <"$work/err")
    after=$(counts "$small/ix")
    "$thresh" search --index "$small/ix" vec >/dev/null 2>&1
    searched=$?
    mount -o remount,size=400m "$small"
    "$thresh" index "$work/part" --index "$small/ix" --quiet 2>/dev/null
    again=$?
    final=$("$thresh" stats --json --index "$small/ix" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pages"])')
    echo "disk full: exit $code, $lines line(s): $(head -c 300 "$work/err")"
    echo "  last commit intact: $([ "$before" = "$after" ] && echo yes || echo no), search on it exit $searched"
    echo "  with room: exit $again, $final pages (a clean build has $(head -1 "$work/clean.txt" | cut -d' ' -f1))"
else
    echo "disk full: skipped (needs root to mount a tmpfs)"
fi
[ $fail = 0 ]
