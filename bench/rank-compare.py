#!/usr/bin/env python3
"""Paired comparison of two ranking runs, query by query.

Each argument pair is a summary written by eval_rank.py --json-out (one per collection):

    rank-compare.py NAME BEFORE.json AFTER.json [NAME BEFORE.json AFTER.json ...]

For each collection and metric it prints the two means, their difference, how many queries
went up and down, a two-sided sign test over the queries that changed, and a 95% paired
bootstrap interval of the mean difference (10,000 resamples, fixed seed). A difference counts
as real when the interval leaves out zero; a change that lowers one collection beyond that is
not a gain, whatever the others say.
"""
import json
import math
import random
import sys

METRICS = ["ndcg@10", "map", "recall@100"]
RESAMPLES = 10_000


def sign_test(up, down):
    """Two-sided exact binomial p-value for up vs down (ties left out)."""
    n = up + down
    if n == 0:
        return 1.0
    k = min(up, down)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def bootstrap(diffs, rng):
    n = len(diffs)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(RESAMPLES))
    return means[int(0.025 * RESAMPLES)], means[int(0.975 * RESAMPLES) - 1]


def main(argv):
    if len(argv) < 3 or len(argv) % 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rng = random.Random(17)
    print(f"{'collection':<11} {'metric':<10} {'before':>7} {'after':>7} {'diff':>7} "
          f"{'up':>4} {'down':>4} {'sign p':>7}  95% bootstrap")
    for i in range(0, len(argv), 3):
        name, a_path, b_path = argv[i:i + 3]
        a = json.load(open(a_path))["per_query"]
        b = json.load(open(b_path))["per_query"]
        qids = sorted(set(a) | set(b))
        for m in METRICS:
            xs = [a.get(q, {}).get(m, 0.0) for q in qids]
            ys = [b.get(q, {}).get(m, 0.0) for q in qids]
            diffs = [y - x for x, y in zip(xs, ys)]
            up = sum(d > 1e-9 for d in diffs)
            down = sum(d < -1e-9 for d in diffs)
            lo, hi = bootstrap(diffs, rng)
            mean_a, mean_b = sum(xs) / len(xs), sum(ys) / len(ys)
            mark = "" if lo <= 0 <= hi else (" +" if lo > 0 else " -")
            print(f"{name:<11} {m:<10} {mean_a:7.4f} {mean_b:7.4f} {mean_b - mean_a:+7.4f} "
                  f"{up:4d} {down:4d} {sign_test(up, down):7.3f}  [{lo:+.4f}, {hi:+.4f}]{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
