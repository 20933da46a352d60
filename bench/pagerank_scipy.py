"""PageRank by power iteration on scipy.sparse, the yardstick for bench/graph.ts.

Usage: pagerank_scipy.py EDGES RANKS_OUT [--both-directions] [--damping D] [--tolerance T]
                         [--max-iterations K] [--repeat R]

EDGES is a SNAP edge list of integer ids ('#' comments). The iteration follows NetworkX's
conventions, as src/graph/pagerank.ts does: weights normalised by out-weight, dangling rank and
teleport spread uniformly, start from uniform, stop when the L1 change of one step is below
n * tolerance. Each step is one CSR matrix-vector product with the normalised transpose, the
pull form the TypeScript code uses too.

The iteration runs R times (default 3) for a steadier time per step; load and build run once.
Prints one JSON object (seconds per phase, iterations) on stdout and writes the ranks to
RANKS_OUT as int64 ids followed by float64 ranks, both in node order.
"""

import argparse
import json
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp


def load(path, both_directions):
    """Integer edge pairs of the file, self-loops dropped, as dense indices."""
    with open(path, "rb") as handle:
        lines = [line for line in handle.read().split(b"\n") if line and not line.startswith(b"#")]
    pairs = np.array(b" ".join(lines).split(), dtype=np.int64).reshape(-1, 2)
    ids, dense = np.unique(pairs, return_inverse=True)
    dense = dense.reshape(-1, 2).astype(np.int32)
    src, dst = dense[:, 0], dense[:, 1]
    if both_directions:
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    keep = src != dst
    return ids, src[keep], dst[keep]


def normalised_transpose(n, src, dst):
    """Row v lists v's sources with the share of each source's out-weight; parallel edges summed."""
    adjacency = sp.csr_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    adjacency.sum_duplicates()
    out_weight = np.asarray(adjacency.sum(axis=1)).ravel()
    inverse = np.divide(1.0, out_weight, out=np.zeros(n), where=out_weight != 0)
    shares = sp.diags(inverse) @ adjacency
    return shares.T.tocsr(), np.flatnonzero(out_weight == 0), adjacency.nnz


def iterate(into, dangling, n, damping, tolerance, max_iterations):
    ranks = np.full(n, 1.0 / n)
    delta = float("inf")
    for iteration in range(1, max_iterations + 1):
        everyone = (damping * ranks[dangling].sum() + (1.0 - damping)) / n
        following = damping * (into @ ranks) + everyone
        delta = float(np.abs(following - ranks).sum())
        ranks = following
        if delta < n * tolerance:
            return ranks / ranks.sum(), iteration, delta
    raise RuntimeError(f"no convergence in {max_iterations} iterations, last change {delta}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("edges")
    parser.add_argument("ranks_out")
    parser.add_argument("--both-directions", action="store_true")
    parser.add_argument("--damping", type=float, default=0.85)
    parser.add_argument("--tolerance", type=float, default=1e-12)
    parser.add_argument("--max-iterations", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    ids, src, dst = load(args.edges, args.both_directions)
    n = len(ids)
    loaded = time.perf_counter()
    into, dangling, edges = normalised_transpose(n, src, dst)
    built = time.perf_counter()
    iterate_seconds = []
    for _ in range(max(1, args.repeat)):
        began = time.perf_counter()
        ranks, iterations, delta = iterate(
            into, dangling, n, args.damping, args.tolerance, args.max_iterations
        )
        iterate_seconds.append(time.perf_counter() - began)

    with open(args.ranks_out, "wb") as handle:
        handle.write(ids.astype(np.int64).tobytes())
        handle.write(ranks.astype(np.float64).tobytes())

    json.dump(
        {
            "scipy": scipy.__version__,
            "nodes": n,
            "edges": int(edges),
            "loadSeconds": loaded - started,
            "buildSeconds": built - loaded,
            "iterateSeconds": iterate_seconds[0],
            "iterateMedianSeconds": float(np.median(iterate_seconds)),
            "iterations": iterations,
            "delta": delta,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
