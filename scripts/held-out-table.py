#!/usr/bin/env python3
"""The held-out figures of the README's evaluation table, measured afresh.

    python3 scripts/held-out-table.py [path/to/ipneeds]     (default: target/release/ipneeds)

Runs `ipneeds eval` on every set still held out (tests/data/real/held-out-N/, not retired/),
against both graders (expected.csv and second-grader/grades-b.csv), then on all of them
together, and prints one markdown row per set: cases, nDCG@3 (second grader in brackets),
essentials in the top 3, and the no-gap profiles' highest score. The last lines give the
combined figure with its resampled interval and the programs that most often take a top-3 place
where they are graded 0. Run it once after a change decided on the tuning cases, never while
deciding one: reading these figures case by case would make the sets tuning cases.
The last line scores the second grader's own top three (top3-b.csv) against the first
grader's grades: how far a person reading the same documents gets. Python 3 standard library only.
"""
import csv
import json
import math
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SETS = ROOT / "tests" / "data" / "real"


def evaluate(binary, profiles, grades):
    """`ipneeds eval --format json` on the two files, as a dict."""
    out = subprocess.run(
        [binary, "eval", str(profiles), str(grades), "--format", "json"],
        capture_output=True, text=True, check=True,
    ).stdout
    return json.loads(out)


def merge(paths, target):
    """Concatenates CSV files with the same header into `target`."""
    header, rows = None, []
    for path in paths:
        with open(path, newline="", encoding="utf-8") as f:
            table = list(csv.reader(f))
        if header is None:
            header = table[0]
        elif table[0] != header:
            sys.exit(f"held-out-table: {path} has another header than the sets before it")
        rows += table[1:]
    with open(target, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([header] + rows)


def figures(result):
    graded = [c for c in result["cases"] if c["ndcg"] is not None]
    no_gap = [c["max_score"] for c in result["cases"] if c["ndcg"] is None and c["max_score"] is not None]
    return len(result["cases"]), len(graded), result["mean_ndcg"], result["essentials_share"], no_gap


def ndcg3(ranking, grades):
    """nDCG@3 as `ipneeds eval` computes it (gain 2^grade - 1), or None for a no-gap case."""
    def dcg(gains):
        return sum(g / math.log2(i + 2) for i, g in enumerate(gains[:3]))
    ideal = dcg(sorted((2 ** g - 1 for g in grades.values()), reverse=True))
    return dcg([2 ** grades.get(p, 0) - 1 for p in ranking]) / ideal if ideal else None


def reader_agreement(sets):
    """The second grader's own top three (top3-b.csv) scored against the first grader's
    grades: how far a person reading the same documents gets. Mean and number of cases."""
    scores = []
    for folder in sets:
        grades = {}
        with open(folder / "expected.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                grades.setdefault(row["id"], {})[row["program"]] = int(row["grade"])
        with open(folder / "second-grader" / "top3-b.csv", newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                score = ndcg3([row["first"], row["second"], row["third"]], grades.get(row["id"], {}))
                if score is not None:
                    scores.append(score)
    return sum(scores) / len(scores), len(scores)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "release" / "ipneeds")
    sets = sorted(
        (p for p in SETS.glob("held-out-*") if re.fullmatch(r"held-out-\d+", p.name)),
        key=lambda p: int(p.name.split("-")[-1]),
    )
    if not sets:
        sys.exit("held-out-table: no tests/data/real/held-out-N/ folder")
    print("| set | cases | nDCG@3 (second grader) | essentials in top 3 | no-gap highest score |")
    print("|---|---|---|---|---|")
    for folder in sets:
        first = evaluate(binary, folder / "profiles.csv", folder / "expected.csv")
        second = evaluate(binary, folder / "profiles.csv", folder / "second-grader" / "grades-b.csv")
        cases, graded, ndcg, essentials, no_gap = figures(first)
        highest = f"{max(no_gap):.1f}" if no_gap else "–"
        print(
            f"| `{folder.name}/` | {cases} ({graded} graded) | {ndcg:.3f} ({second['mean_ndcg']:.3f}) "
            f"| {essentials:.0%} ({second['essentials_share']:.0%}) | {highest} |"
        )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        merge([s / "profiles.csv" for s in sets], tmp / "profiles.csv")
        merge([s / "expected.csv" for s in sets], tmp / "expected.csv")
        merge([s / "second-grader" / "grades-b.csv" for s in sets], tmp / "grades-b.csv")
        first = evaluate(binary, tmp / "profiles.csv", tmp / "expected.csv")
        second = evaluate(binary, tmp / "profiles.csv", tmp / "grades-b.csv")
    cases, graded, ndcg, essentials, no_gap = figures(first)
    low, high = first.get("mean_ndcg_interval") or (float("nan"), float("nan"))
    highest = f"{max(no_gap):.1f} ({len(no_gap)} profiles)" if no_gap else "–"
    print(
        f"| **all {len(sets)} sets** | {cases} ({graded} graded) | **{ndcg:.3f}** ({second['mean_ndcg']:.3f}) "
        f"| **{essentials:.0%}** ({second['essentials_share']:.0%}) | {highest} |"
    )
    print(f"\nnDCG@3 {ndcg:.3f}: {low:.3f}–{high:.3f} in 95% of resamplings of the {graded} graded cases.")
    unneeded = sorted(first["programs"], key=lambda t: -t["top_but_not_needed"])[:3]
    print("In the top 3 where graded 0: " + ", ".join(
        f"{t['program']} {t['top_but_not_needed']} of {graded} ({t['top_but_not_needed'] / graded:.1%})"
        for t in unneeded
    ) + ".")
    agreement, count = reader_agreement(sets)
    print(f"The second grader's own top 3 against the first grader's grades: {agreement:.3f} ({count} cases).")


if __name__ == "__main__":
    main()
