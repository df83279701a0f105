#!/usr/bin/env python3
"""HTTP latency of `thresh serve`: p50/p95/max per query over one kept-alive connection, for the
JSON API and the HTML search page, beside the whole-process latency of `thresh search` on the
same queries (the figure a reader of the command line sees), and the server's peak RSS.

Usage: bench/serve-latency.py [--index DIR] [--corpus DIR] [--rounds N] [--thresh BIN]
Without --index, the Rust documentation the toolchain ships is indexed into a temporary folder
first. Not a test: timings never gate anything.
"""
import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def line(name, ms):
    return f"{name:<32} p50 {pct(ms, 50):7.2f} ms   p95 {pct(ms, 95):7.2f} ms   max {max(ms):7.2f} ms   (n={len(ms)})"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", help="an index to serve (default: build one of the Rust docs)")
    ap.add_argument("--corpus", help="corpus to index when --index is not given")
    ap.add_argument("--rounds", type=int, default=5, help="passes over the query list")
    ap.add_argument("--thresh", default=os.path.join(REPO, "target/release/thresh"))
    ap.add_argument("--queries", default=os.path.join(HERE, "queries-rustdoc.txt"))
    a = ap.parse_args()

    queries = [q.strip() for q in open(a.queries, encoding="utf-8") if q.strip()]
    work = None
    index = a.index
    if not index:
        corpus = a.corpus or os.path.join(
            subprocess.check_output(["rustc", "--print", "sysroot"], text=True).strip(),
            "share/doc/rust/html",
        )
        work = tempfile.mkdtemp(prefix="thresh-serve-bench.")
        index = os.path.join(work, "index")
        t = time.time()
        subprocess.run([a.thresh, "index", corpus, "--index", index, "-q"], check=True)
        print(f"indexed {corpus} in {time.time() - t:.1f} s", file=sys.stderr)

    server = subprocess.Popen(
        [a.thresh, "serve", "--index", index, "--addr", "127.0.0.1:0"],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        port = None
        for l in server.stderr:
            m = re.search(r"serving http://[^:]+:(\d+)/", l)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            sys.exit("serve did not start")
        conn = http.client.HTTPConnection("127.0.0.1", port)

        def timed(path):
            t = time.perf_counter()
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                sys.exit(f"{path}: HTTP {r.status}")
            return (time.perf_counter() - t) * 1000

        api, page = [], []
        for q in queries:  # warm the caches once
            timed("/api/search?q=" + urllib.parse.quote(q))
        for _ in range(a.rounds):
            for q in queries:
                enc = urllib.parse.quote(q)
                api.append(timed("/api/search?q=" + enc))
                page.append(timed("/?q=" + enc))
        rss = None
        with open(f"/proc/{server.pid}/status") as f:
            for l in f:
                if l.startswith("VmHWM:"):
                    rss = int(l.split()[1]) // 1024

        cli = []
        for q in queries:
            t = time.perf_counter()
            subprocess.run([a.thresh, "search", "--index", index, "--json", q],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            cli.append((time.perf_counter() - t) * 1000)

        print(line("serve, GET /api/search", api))
        print(line("serve, GET / (HTML page)", page))
        print(line("thresh search, whole process", cli))
        print(f"serve peak RSS: {rss} MB")
        print(f"ratio of p50s, process / HTTP API: {pct(cli, 50) / pct(api, 50):.1f}")
    finally:
        server.terminate()
        server.wait()
        if work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
