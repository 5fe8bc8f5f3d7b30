#!/usr/bin/env python3
"""How far two graders agree: the ceiling for any engine on a set of graded cases.

    python3 scripts/grader-agreement.py EXPECTED.csv [EXPECTED.csv ...] SECOND_TOP3.csv

EXPECTED.csv is the first grader's `id,program,grade` (as `ipneeds eval` reads; several files
are pooled); SECOND_TOP3.csv another reading's ordered top three per case (`id,first,second,
third`: the second grader's, or the profile reader's of tests/data/real/profile-reader), written
without seeing the first grader's grades. Prints that top three scored as `ipneeds eval` scores
the engine's: nDCG@3 (gain 2^grade - 1) against the first grader's grades, and the share of the
first grader's essential programs (grade 3) in that top three. Cases without
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
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    *expected, top3 = sys.argv[1:]
    grades = defaultdict(dict)
    for path in expected:
        with open(path, encoding="utf-8-sig", newline="") as f:
            for row in csv.DictReader(f):
                grades[row["id"]][row["program"]] = int(row["grade"])
    with open(top3, encoding="utf-8-sig", newline="") as f:
        tops = {r["id"]: [p for p in (r["first"], r["second"], r["third"]) if p] for r in csv.DictReader(f)}
    unknown = sorted(set(grades) - set(tops))
    if unknown:
        sys.exit(f"graded cases missing from {top3}: {', '.join(unknown)}")
    # Only the graded cases count: a reading may cover more (the profile reader, every set).
    tops = {case: top for case, top in tops.items() if case in grades}
    values, essentials, found = [], 0, 0
    for case, top in sorted(tops.items()):
        value = ndcg(top, grades.get(case, {}))
        if value is not None:
            values.append(value)
        wanted = [p for p, g in grades.get(case, {}).items() if g == 3]
        essentials += len(wanted)
        found += sum(p in top for p in wanted)
    print(f"{len(tops)} cases, {len(values)} graded")
    print(f"the top 3 of {top3} against the grades: nDCG@3 {sum(values) / len(values):.3f}")
    print(f"essentials (grade 3) in that top 3: {found} of {essentials} ({found / essentials:.0%})")


if __name__ == "__main__":
    main()
