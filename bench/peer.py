#!/usr/bin/env python3
"""The peer: `ipneeds batch` written the way a Python user would (pandas + rank-bm25).

    python bench/peer.py PROFILES.csv > out.csv

Reads `data/programs.yaml` and `questionnaires/ip-office-profile.yaml` (paths relative to the
repository root, found from this file's location), scores every row of PROFILES.csv and prints
CSV: id, country, then rank1_program, rank1_score, ... for every program (no `top_reasons`).

Same model as the Rust engine (src/scoring.rs, src/profile.rs), written plainly:

- BM25 (rank_bm25.BM25Okapi, k1=1.5, b=0.75) over one document per program: title,
  beneficiaries, objectives, activities and outcomes, with the objectives repeated three times
  to approximate tantivy's x3 field boost (title and outcomes, boosted x1.5 in ipneeds, appear
  once). ipneeds scores each field separately (per-field statistics) and adds the boosted
  scores; this peer has one bag of words per program, so its relevances differ.
- Analyser: lower case, split on non-alphanumerics, ASCII folding, tokens of 40+ characters
  dropped, Lucene's 33 English stop words (the list tantivy uses), Snowball English (Porter2)
  stemmer from `snowballstemmer` (the algorithm tantivy's stemmer implements).
- A need's relevance: BM25 of its distinct terms; shares = (r / max r) ^ relevance_exponent,
  zero below min_relevance (YAML `scoring:`).
- Rules: `answer` + `is` / `is_not` / `at_least` / `at_most`, `ratio: [a, b]` (b = 0 and a > 0
  is infinite), a list of conditions must all hold, an unknown answer satisfies nothing. The
  strongest holding rule per subject (the set of questions a rule reads) counts; subjects add
  up strongest first, each further one times `further_evidence_factor`.
- Free text (`challenges`): a need of weight `catalog_match_weight`, relevance = BM25 of its
  distinct terms, computed per row.
- Per program: contributions strongest first with the same diminishing factor; score =
  100 * (1 - exp(-points / saturation)); ranked by points, ties by program number.

Not done: prefill from `country` (run it on data without that column, or with explicit
ldc_status / regional_system), validation and error reports (a value that does not parse is
treated as unknown), reasons and snippets.
"""

import math
import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import snowballstemmer
import yaml
from rank_bm25 import BM25Okapi

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "data" / "programs.yaml"
QUESTIONNAIRE = ROOT / "questionnaires" / "ip-office-profile.yaml"

# Lucene's English stop words, the list tantivy's StopWordFilter uses for English.
STOP_WORDS = {
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is",
    "it", "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there",
    "these", "they", "this", "to", "was", "will", "with",
}
OBJECTIVES_REPEAT = 3  # approximates the x3 boost of objectives

STEMMER = snowballstemmer.stemmer("english")
WORD = re.compile(r"[^\W_]+")


def analyse(text):
    """Lower case, split on non-alphanumerics, fold accents, drop stop words, stem."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    words = [w for w in WORD.findall(folded) if len(w) < 40 and w not in STOP_WORDS]
    return STEMMER.stemWords(words)


def distinct(terms):
    return list(dict.fromkeys(terms))


def as_list(x):
    if x is None:
        return None
    items = x if isinstance(x, list) else [x]
    return [yes_no(i) for i in items]


def yes_no(v):
    # YAML 1.1 reads unquoted yes/no as booleans.
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


# ---------------------------------------------------------------------------------------------
# Loading


def load():
    with open(CATALOG, encoding="utf-8") as f:
        catalog = yaml.safe_load(f)
    with open(QUESTIONNAIRE, encoding="utf-8") as f:
        questionnaire = yaml.safe_load(f)
    programs = sorted(catalog["programs"], key=lambda p: p["number"])
    questions = {}
    for section in questionnaire["sections"]:
        for q in section["questions"]:
            questions[q["id"]] = q
    return programs, questions, questionnaire["needs"], questionnaire["scoring"]


def program_document(p):
    lines = [p["title"]]
    lines += p.get("beneficiaries") or []
    lines += (p.get("objectives") or []) * OBJECTIVES_REPEAT
    lines += p.get("activities") or []
    lines += p.get("outcomes") or []
    return analyse(" ".join(lines))


def shares(relevance, scoring):
    best = max(relevance) if len(relevance) else 0.0
    if best <= 0:
        return [0.0] * len(relevance)
    out = []
    for r in relevance:
        rel = r / best
        out.append(0.0 if rel < scoring["min_relevance"] else rel ** scoring["relevance_exponent"])
    return out


def prepare_rules(need):
    """Each rule as (conditions, weight, subject)."""
    rules = []
    for rule in need["raised_by"]:
        when = rule["when"]
        conditions = when if isinstance(when, list) else [when]
        parsed = []
        fields = set()
        for c in conditions:
            cond = {
                "answer": c.get("answer"),
                "ratio": c.get("ratio"),
                "is": as_list(c.get("is")),
                "is_not": as_list(c.get("is_not")),
                "at_least": c.get("at_least"),
                "at_most": c.get("at_most"),
            }
            if cond["answer"]:
                fields.add(cond["answer"])
            if cond["ratio"]:
                fields.update(cond["ratio"])
            parsed.append(cond)
        rules.append((parsed, float(rule["weight"]), tuple(sorted(fields))))
    return rules


# ---------------------------------------------------------------------------------------------
# A row's answers

YES = {"yes", "true", "y", "1"}
NO = {"no", "false", "n", "0"}


def parse_value(question, raw):
    """The typed answer, or None when unknown (empty or unreadable)."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    text = str(raw).strip()
    if not text:
        return None
    kind = question["type"]
    lower = text.lower()
    if kind == "boolean":
        return "yes" if lower in YES else "no" if lower in NO else None
    if kind == "choice":
        return lower
    if kind == "multi_choice":
        return [p.strip() for p in re.split(r"[;|,]", lower) if p.strip()]
    if kind in ("integer", "scale", "number"):
        try:
            return float(text.replace(",", "").replace("_", "").replace(" ", ""))
        except ValueError:
            return None
    return text


def number(value):
    return value if isinstance(value, float) else None


def matches(value, wanted):
    if isinstance(value, list):
        return any(item in wanted for item in value)
    if isinstance(value, float):
        return any(_float(w) == value for w in wanted)
    return value in wanted


def _float(w):
    try:
        return float(w)
    except ValueError:
        return None


def satisfies(profile, cond):
    """Profile::satisfies: an unknown answer never satisfies a condition."""
    numeric = None
    if cond["answer"]:
        v = profile.get(cond["answer"])
        numeric = number(v)
    elif cond["ratio"]:
        a = number(profile.get(cond["ratio"][0]))
        b = number(profile.get(cond["ratio"][1]))
        if a is None or b is None:
            return False
        if b > 0:
            numeric = a / b
        elif a > 0:
            numeric = math.inf
    if cond["at_least"] is not None or cond["at_most"] is not None:
        if numeric is None:
            return False
        if cond["at_least"] is not None and numeric < cond["at_least"]:
            return False
        if cond["at_most"] is not None and numeric > cond["at_most"]:
            return False
    if not cond["answer"]:
        return cond["is"] is None and cond["is_not"] is None
    value = profile.get(cond["answer"])
    if value is None:
        return False
    if cond["is"] is not None and not matches(value, cond["is"]):
        return False
    if cond["is_not"] is not None and matches(value, cond["is_not"]):
        return False
    return True


def diminishing(values, factor):
    total, scale = 0.0, 1.0
    for v in values:
        total += v * scale
        scale *= factor
    return total


# ---------------------------------------------------------------------------------------------


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python bench/peer.py PROFILES.csv > out.csv")
    programs, questions, needs, scoring = load()
    factor = scoring["further_evidence_factor"]
    saturation = scoring["saturation"]

    bm25 = BM25Okapi([program_document(p) for p in programs])
    need_shares = [
        shares(bm25.get_scores(distinct(analyse(n["text"]))), scoring) for n in needs
    ]
    need_rules = [prepare_rules(n) for n in needs]
    text_questions = [
        (qid, q["catalog_match_weight"]) for qid, q in questions.items() if "catalog_match_weight" in q
    ]

    df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
    df.columns = [c.strip().lower() for c in df.columns]
    fields = [c for c in df.columns if c in questions]

    def score_row(row):
        profile = {}
        for field in fields:
            value = parse_value(questions[field], row[field])
            if value is not None:
                profile[field] = value

        # Needs raised: strongest rule per subject, subjects with diminishing returns.
        raised = []  # (weight, shares)
        for rules, share in zip(need_rules, need_shares):
            best = {}
            for conditions, weight, subject in rules:
                if all(satisfies(profile, c) for c in conditions):
                    if subject not in best or weight > best[subject]:
                        best[subject] = weight
            if best:
                raised.append((diminishing(sorted(best.values(), reverse=True), factor), share))
        for qid, weight in text_questions:
            text = profile.get(qid)
            if isinstance(text, str):
                terms = distinct(analyse(text))
                if terms:
                    raised.append((weight, shares(bm25.get_scores(terms), scoring)))

        # Points per program: strongest contribution in full, then diminishing.
        results = []
        for i, p in enumerate(programs):
            contributions = sorted(
                (w * s[i] for w, s in raised if s[i] > 0), reverse=True
            )
            points = diminishing(contributions, factor)
            results.append((points, p["number"], p["id"]))
        results.sort(key=lambda r: (-r[0], r[1]))

        out = {"id": row.get("id", ""), "country": row.get("country", "")}
        for rank, (points, _, pid) in enumerate(results, start=1):
            out[f"rank{rank}_program"] = pid
            out[f"rank{rank}_score"] = f"{100 * (1 - math.exp(-points / saturation)):.1f}"
        return out

    rows = [score_row(row) for _, row in df.iterrows()]
    columns = ["id", "country"]
    for rank in range(1, len(programs) + 1):
        columns += [f"rank{rank}_program", f"rank{rank}_score"]
    pd.DataFrame(rows, columns=columns).to_csv(sys.stdout, index=False)


if __name__ == "__main__":
    main()
