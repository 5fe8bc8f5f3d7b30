#!/usr/bin/env python3
"""nDCG@3 and MRR of `ipneeds search` on a graded query set (default: the project's own,
tests/data/queries/queries.yaml). Usage: python3 bench/search_eval.py [IPNEEDS] [QUERIES.yaml] [-v]

Same gain and discount as `ipneeds eval` (2^grade - 1, log2(rank + 1)); a query that finds
nothing scores 0. Needs PyYAML. Reports, never gates: the floor is a cargo test.
`measure` is shared with bench/search_peers.py, so every engine is measured alike."""
import json, math, subprocess, sys


def ndcg(ranking, grades, depth=3):
    gain = lambda g: 2 ** g - 1
    dcg = sum(gain(grades.get(p, 0)) / math.log2(i + 2) for i, p in enumerate(ranking[:depth]))
    ideal = sorted(grades.values(), reverse=True)
    idcg = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(ideal[:depth]))
    return dcg / idcg if idcg else 0.0


def measure(queries, search, verbose=False):
    """Mean nDCG@3, MRR (first program graded 2 or more) and the count of empty rankings of
    `search(query) -> [program id, best first]` over `queries`."""
    total_ndcg = total_rr = empty = 0
    for q in queries:
        ranking = search(q["query"])
        grades = q["grades"]
        n = ndcg(ranking, grades)
        total_ndcg += n
        total_rr += next((1 / (i + 1) for i, p in enumerate(ranking) if grades.get(p, 0) >= 2), 0.0)
        empty += not ranking
        if verbose:
            print(f"{n:.2f}  {q['query']!r:45} -> {ranking[:3]}  want {grades}")
    return total_ndcg / len(queries), total_rr / len(queries), empty


def main():
    import yaml

    args = [a for a in sys.argv[1:] if a != "-v"]
    binary = args[0] if args else "target/debug/ipneeds"
    path = args[1] if len(args) > 1 else "tests/data/queries/queries.yaml"
    queries = yaml.safe_load(open(path, encoding="utf-8"))["queries"]

    def search(query):
        out = subprocess.run([binary, "search", "--format", "json", "-n", "12", "--", *query.split()],
                             capture_output=True, text=True)
        if out.returncode != 0 or not out.stdout.strip():
            return []
        return [hit["id"] for hit in json.loads(out.stdout)]

    mean, mrr, empty = measure(queries, search, "-v" in sys.argv)
    print(f"{len(queries)} queries: nDCG@3 {mean:.3f}, MRR {mrr:.3f}, empty {empty}")


if __name__ == "__main__":
    main()
