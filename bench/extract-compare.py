#!/usr/bin/env python3
"""Compares two runs of bench/extract-quality.sh page by page.

Usage: bench/extract-compare.py BEFORE_DIR AFTER_DIR [--show N]

Each DIR is an OUT= folder of bench/extract-quality.sh (the harness's JSON per yardstick). For
each yardstick: pages whose F1 went up and down, the mean change per page, and the N largest
moves each way, so that a change that helps one set of pages and hurts another shows.
"""
import argparse
import json
import os


def page_f1(score):
    if not score:
        return None
    counts = score.get("snip") or score.get("tok")
    if counts is None:
        return None
    tp, fp, fn = counts[:3]
    if tp + fp + fn == 0:
        return 1.0
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--show", type=int, default=5)
    a = ap.parse_args()
    for name in sorted(os.listdir(a.before)):
        other = os.path.join(a.after, name)
        if not name.endswith(".json") or not os.path.exists(other):
            continue
        before = {p["id"]: page_f1(p["score"]) for p in json.load(open(os.path.join(a.before, name)))["pages"]}
        after = {p["id"]: page_f1(p["score"]) for p in json.load(open(other))["pages"]}
        moves = sorted(
            (after[k] - v, k, v, after[k])
            for k, v in before.items()
            if v is not None and after.get(k) is not None and abs(after[k] - v) > 1e-9
        )
        up = sum(1 for m in moves if m[0] > 0)
        mean = sum(m[0] for m in moves) / max(1, len(before))
        print(f"{name[:-5]}: {up} pages up, {len(moves) - up} down, mean change per page {mean:+.4f}")
        shown = [m for m in moves if m[0] < 0][: a.show] + [m for m in moves if m[0] > 0][::-1][: a.show]
        for d, k, v, w in shown:
            print(f"  {d:+.3f}  {v:.3f} -> {w:.3f}  {k}")


if __name__ == "__main__":
    main()
