#!/usr/bin/env python3
"""nDCG@3 and MRR of `ipneeds search` on a graded query set (default: the project's own,
tests/data/queries/queries.yaml). Usage: python3 bench/search_eval.py [IPNEEDS] [QUERIES.yaml] [-v]

Same gain and discount as `ipneeds eval` (2^grade - 1, log2(rank + 1)); a query that finds
nothing scores 0. Needs PyYAML. Reports, never gates: the floor is a cargo test."""
import json, math, subprocess, sys
import yaml

args = [a for a in sys.argv[1:] if a != "-v"]
verbose = "-v" in sys.argv
binary = args[0] if args else "target/debug/ipneeds"
path = args[1] if len(args) > 1 else "tests/data/queries/queries.yaml"
queries = yaml.safe_load(open(path, encoding="utf-8"))["queries"]

def ndcg(ranking, grades, depth=3):
    gain = lambda g: 2 ** g - 1
    dcg = sum(gain(grades.get(p, 0)) / math.log2(i + 2) for i, p in enumerate(ranking[:depth]))
    ideal = sorted(grades.values(), reverse=True)
    idcg = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(ideal[:depth]))
    return dcg / idcg if idcg else 0.0

total_ndcg = total_rr = empty = 0
for q in queries:
    out = subprocess.run([binary, "search", "--format", "json", "-n", "12", "--", *q["query"].split()],
                         capture_output=True, text=True)
    ranking = [hit["id"] for hit in json.loads(out.stdout)] if out.returncode == 0 and out.stdout.strip() else []
    grades = q["grades"]
    n = ndcg(ranking, grades)
    rr = next((1 / (i + 1) for i, p in enumerate(ranking) if grades.get(p, 0) >= 2), 0.0)
    empty += not ranking
    total_ndcg += n
    total_rr += rr
    if verbose:
        print(f"{n:.2f}  {q['query']!r:45} -> {ranking[:3]}  want {grades}")
print(f"{len(queries)} queries: nDCG@3 {total_ndcg / len(queries):.3f}, MRR {total_rr / len(queries):.3f}, empty {empty}")
