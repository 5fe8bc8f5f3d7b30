#!/usr/bin/env python3
"""How far two graders agree: the ceiling for any engine on a set of graded cases.

    python3 scripts/grader-agreement.py EXPECTED.csv SECOND_TOP3.csv

EXPECTED.csv is the first grader's `id,program,grade` (as `ipneeds eval` reads); SECOND_TOP3.csv
the second grader's ordered top three per case (`id,first,second,third`), written without seeing
the first grader's grades. Prints the second grader's top three scored as `ipneeds eval` scores
the engine's: nDCG@3 (gain 2^grade - 1) against the first grader's grades, and the share of the
first grader's essential programs (grade 3) in the second grader's top three. Cases without
grades (strong offices) count only for the share. The engine against the second grader's grades
is `ipneeds eval PROFILES.csv SECOND_GRADES.csv`. Python 3 standard library only.
"""
import csv
import math
import sys
from collections import defaultdict


def ndcg(ranking, grades):
    gain = lambda grade: 2**grade - 1
    dcg = sum(gain(grades.get(p, 0)) / math.log2(i + 2) for i, p in enumerate(ranking[:3]))
    ideal = sorted(grades.values(), reverse=True)[:3]
    idcg = sum(gain(g) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else None


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    grades = defaultdict(dict)
    with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            grades[row["id"]][row["program"]] = int(row["grade"])
    with open(sys.argv[2], encoding="utf-8-sig", newline="") as f:
        tops = {r["id"]: [p for p in (r["first"], r["second"], r["third"]) if p] for r in csv.DictReader(f)}
    unknown = sorted(set(grades) - set(tops))
    if unknown:
        sys.exit(f"graded cases missing from {sys.argv[2]}: {', '.join(unknown)}")
    values, essentials, found = [], 0, 0
    for case, top in sorted(tops.items()):
        value = ndcg(top, grades.get(case, {}))
        if value is not None:
            values.append(value)
        wanted = [p for p, g in grades.get(case, {}).items() if g == 3]
        essentials += len(wanted)
        found += sum(p in top for p in wanted)
    print(f"{len(tops)} cases, {len(values)} graded")
    print(f"second grader's top 3 against the first grader's grades: nDCG@3 {sum(values) / len(values):.3f}")
    print(f"first grader's essentials in the second grader's top 3: {found} of {essentials} ({found / essentials:.0%})")


if __name__ == "__main__":
    main()
