#!/usr/bin/env python3
"""How soon `thresh watch` makes a change searchable, and how it batches a burst.

1. A corpus of --base pages of the Rust documentation is watched. One page at a time is
   added, edited and removed (--rounds times each); each time, `thresh search --json` is polled
   every 20 ms until it shows the change: the seconds from the write to the first search that
   sees it.
2. A burst: --burst more pages are copied in at once; the script counts the runs the watcher
   reports and the seconds until `thresh stats` counts them all.

Usage: bench/watch-latency.py [--thresh BIN] [--base N] [--burst N] [--rounds N]
Not a test: timings never gate anything.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def docs_pages(n, skip=0):
    root = os.path.join(
        subprocess.check_output(["rustc", "--print", "sysroot"], text=True).strip(),
        "share/doc/rust/html",
    )
    out = []
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            # Real pages, not the redirect stubs.
            if f.endswith(".html") and os.path.getsize(p) > 4000:
                out.append(p)
    return out[skip:skip + n]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--thresh", default=os.path.join(REPO, "target/release/thresh"))
    ap.add_argument("--base", type=int, default=2000)
    ap.add_argument("--burst", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="thresh-watch-bench.")
    corpus = os.path.join(work, "corpus")
    index = os.path.join(work, "index")
    os.makedirs(corpus)
    pages = docs_pages(a.base + a.burst)
    for i, p in enumerate(pages[: a.base]):
        shutil.copy(p, os.path.join(corpus, f"p{i:05}.html"))
    runs = []
    watching = threading.Event()
    w = subprocess.Popen([a.thresh, "watch", corpus, "--index", index],
                         stderr=subprocess.PIPE, text=True)

    def read():
        for line in w.stderr:
            if "watching" in line:
                watching.set()
            elif re.match(r"^(indexed|\d+ )", line) or "added" in line or "updated" in line:
                runs.append((time.time(), line.strip()))

    threading.Thread(target=read, daemon=True).start()
    try:
        t = time.time()
        watching.wait()
        print(f"first run over {a.base} pages: {time.time() - t:.1f} s")

        def search(word):
            r = subprocess.run([a.thresh, "search", "--index", index, "--json", word],
                               capture_output=True, text=True)
            return [json.loads(l) for l in r.stdout.splitlines() if l.strip()]

        def until(pred):
            start = time.time()
            while not pred():
                if time.time() - start > 60:
                    sys.exit("a change was not seen within 60 s")
                time.sleep(0.02)
            return time.time() - start

        lat = {"added": [], "edited": [], "removed": []}
        for r in range(a.rounds):
            word = f"zqxwatch{r}"
            path = os.path.join(corpus, f"new{r}.txt")
            t0 = time.time()
            with open(path, "w") as f:
                f.write(f"Watch bench {r}\n\nThe word {word} is on this page.\n")
            until(lambda: len(search(word)) == 1)
            lat["added"].append(time.time() - t0)
            t0 = time.time()
            with open(path, "w") as f:
                f.write(f"Watch bench {r}\n\nThe word {word}edit is on this page now.\n")
            until(lambda: len(search(word + "edit")) == 1)
            lat["edited"].append(time.time() - t0)
            t0 = time.time()
            os.remove(path)
            until(lambda: len(search(word + "edit")) == 0)
            lat["removed"].append(time.time() - t0)
        for k, v in lat.items():
            print(f"{k:<8} searchable after: median {statistics.median(v):.2f} s, max {max(v):.2f} s (n={len(v)})")

        before = len(runs)
        t0 = time.time()
        for i, p in enumerate(pages[a.base:]):
            shutil.copy(p, os.path.join(corpus, f"burst{i:05}.html"))
        copied = time.time() - t0
        want = a.base + len(pages[a.base:])

        def count():
            r = subprocess.run([a.thresh, "stats", "--index", index, "--json"],
                               capture_output=True, text=True)
            try:
                return json.loads(r.stdout)["pages"]
            except (ValueError, KeyError):
                return 0

        # Done when the page count has not moved for two seconds (a few documentation pages
        # are skipped as redirects, so the count may stay below `want`).
        last, since = count(), time.time()
        while time.time() - since < 2:
            time.sleep(0.1)
            n = count()
            if n != last:
                last, since = n, time.time()
            if time.time() - t0 > 300:
                break
        done = since - t0
        print(f"burst of {len(pages[a.base:])} pages (copied in {copied:.1f} s): {last - a.base} "
              f"of them searchable {done:.1f} s after the copy began, in {len(runs) - before} "
              f"runs (pages counted: {last} of {want} files)")
    finally:
        w.terminate()
        w.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
