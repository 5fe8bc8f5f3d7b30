#!/usr/bin/env python3
"""nDCG@3 and MRR of three simple BM25 peers on a graded query set (default: the project's own,
tests/data/queries/queries.yaml), to set beside `bench/search_eval.py`'s number for `ipneeds
search`. From the repository root:

    python3 bench/search_peers.py --setup               # once: bench/.venv-peers + requirements
    python3 bench/search_peers.py [QUERIES.yaml] [-v]   # -v: each peer's ranking per query

Prints one line per peer: `NAME: nDCG@3 X, MRR Y, empty N` (the query count goes to stderr).

Each peer indexes ONE text per program of data/programs.yaml: title, beneficiaries, objectives,
activities and outcomes joined with spaces (no field boosts, no synonyms, no fuzzy matching):

- rank-bm25: rank_bm25.BM25Okapi (k1 1.5, b 0.75, epsilon 0.25); tokens: lower case, split on
  non-alphanumerics (Unicode), Lucene's 33 English stop words removed, Snowball English stemmer
  (PyStemmer).
- bm25s: bm25s.BM25() defaults (method "lucene", k1 1.5, b 0.75) over
  bm25s.tokenize(..., stopwords="en", stemmer=Stemmer.Stemmer("english")) (its default token
  pattern keeps words of 2+ characters; its "en" list is the same 33 words).
- tantivy: the `tantivy` package, one text field with the `en_stem` tokenizer (split on
  non-alphanumerics, lower case, English stemmer, no stop words), in-memory index, query from
  index.parse_query(q, ["text"]) (OR of the terms, BM25 k1 1.2, b 0.75). Characters other than
  letters, digits and spaces are replaced with spaces and the query is lower-cased (so that
  AND/OR/NOT and ' : - " are not operators); if that still fails to parse, the query's words
  joined with spaces are tried, and if that fails too, the query finds nothing.

A peer's ranking is the programs with a score above 0, highest first, ties by order in
data/programs.yaml. Same measures as bench/search_eval.py and `ipneeds eval` (src/eval.rs):
gain 2^grade - 1, discount log2(rank + 1), nDCG@3 against the ideal order of the query's grades;
MRR from the first program of grade 2 or more; a query with an empty ranking counts 0 in both.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

# The same measure as `ipneeds`'s (bench/search_eval.py, beside this file).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_eval import measure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "bench" / ".venv-peers"
REQUIREMENTS = ROOT / "bench" / "search-peers-requirements.txt"
CATALOG = ROOT / "data" / "programs.yaml"
DEFAULT_QUERIES = ROOT / "tests" / "data" / "queries" / "queries.yaml"
VENV_PY = VENV / "bin" / "python"


def setup():
    """Like bench/compare.sh: create the venv if it has no python, then pip install -r."""
    if not VENV_PY.exists():
        if subprocess.run([sys.executable, "-m", "venv", str(VENV)]).returncode != 0:
            sys.exit("search_peers.py: python3 -m venv failed (on Debian: apt-get install python3-venv)")
    # The venv is not in the repository's .gitignore: keep git from listing it.
    (VENV / ".gitignore").write_text("*\n", encoding="utf-8")
    if subprocess.run([str(VENV_PY), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                       "-r", str(REQUIREMENTS)]).returncode != 0:
        sys.exit(f"search_peers.py: pip could not install {REQUIREMENTS.relative_to(ROOT)}")


def in_venv():
    return Path(sys.prefix).resolve() == VENV.resolve()


argv = sys.argv[1:]
if "--setup" in argv:
    if not in_venv():
        setup()
    argv = [a for a in argv if a != "--setup"]
try:
    import yaml
    import Stemmer
    import bm25s
    import tantivy
    from rank_bm25 import BM25Okapi
except ImportError as e:
    if not in_venv() and VENV_PY.exists():  # run again inside bench/.venv-peers
        os.execv(str(VENV_PY), [str(VENV_PY), str(Path(__file__).resolve()), *argv])
    sys.exit(f"search_peers.py: {e}; run `python3 bench/search_peers.py --setup` first")

verbose = "-v" in argv
args = [a for a in argv if a != "-v"]
if len(args) > 1 or any(a.startswith("-") for a in args):
    sys.exit("usage: python3 bench/search_peers.py [--setup] [QUERIES.yaml] [-v]")
queries_path = Path(args[0]) if args else DEFAULT_QUERIES
queries = yaml.safe_load(open(queries_path, encoding="utf-8"))["queries"]

programs = yaml.safe_load(open(CATALOG, encoding="utf-8"))["programs"]
ids = [p["id"] for p in programs]
texts = [" ".join([p["title"], *p["beneficiaries"], *p["objectives"], *p["activities"], *p["outcomes"]])
         for p in programs]


def ranking_from_scores(scores):
    """Programs with a score above 0, highest first, ties by catalog order."""
    order = sorted(range(len(ids)), key=lambda i: (-float(scores[i]), i))
    return [ids[i] for i in order if float(scores[i]) > 0]


# --- 1. rank-bm25 ---------------------------------------------------------------------------------
LUCENE_STOP_WORDS = set(
    "a an and are as at be but by for if in into is it no not of on or such that the their then "
    "there these they this to was will with".split())
STEMMER = Stemmer.Stemmer("english")
NON_ALNUM = re.compile(r"[\W_]+")


def rank_bm25_tokens(text):
    words = [w for w in NON_ALNUM.split(text.lower()) if w and w not in LUCENE_STOP_WORDS]
    return STEMMER.stemWords(words)


okapi = BM25Okapi([rank_bm25_tokens(t) for t in texts])


def search_rank_bm25(query):
    tokens = rank_bm25_tokens(query)
    return ranking_from_scores(okapi.get_scores(tokens)) if tokens else []


# --- 2. bm25s -------------------------------------------------------------------------------------
bm25s_index = bm25s.BM25()
bm25s_index.index(bm25s.tokenize(texts, stopwords="en", stemmer=STEMMER, show_progress=False),
                  show_progress=False)


def search_bm25s(query):
    tokens = bm25s.tokenize(query, stopwords="en", stemmer=STEMMER, return_ids=False,
                            show_progress=False)[0]
    # get_scores drops words not in the index itself, but fails on an empty list.
    tokens = [t for t in tokens if t in bm25s_index.vocab_dict]
    return ranking_from_scores(bm25s_index.get_scores(tokens)) if tokens else []


# --- 3. tantivy -----------------------------------------------------------------------------------
schema_builder = tantivy.SchemaBuilder()
schema_builder.add_text_field("text", stored=False, tokenizer_name="en_stem")
schema_builder.add_integer_field("position", stored=True)
tantivy_index = tantivy.Index(schema_builder.build())  # in memory
writer = tantivy_index.writer()
for position, text in enumerate(texts):
    writer.add_document(tantivy.Document(text=text, position=position))
writer.commit()
writer.wait_merging_threads()
tantivy_index.reload()
searcher = tantivy_index.searcher()
tantivy_notes = []  # queries that needed the fallback or found nothing because they did not parse


def search_tantivy(query):
    cleaned = " ".join(NON_ALNUM.sub(" ", query).lower().split())
    attempts = [cleaned, " ".join(re.findall(r"\w+", query))]
    for n, text in enumerate(attempts):
        if not text:
            continue
        try:
            parsed = tantivy_index.parse_query(text, ["text"])
        except ValueError as e:
            tantivy_notes.append(f"{query!r}: {text!r} did not parse ({e})")
            continue
        if n:
            tantivy_notes.append(f"{query!r}: fell back to {text!r}")
        scores = [0.0] * len(ids)
        for score, address in searcher.search(parsed, len(ids)).hits:
            scores[searcher.doc(address)["position"][0]] = score
        return ranking_from_scores(scores)
    return []


# --- measures (as bench/search_eval.py) ----------------------------------------------------------
peers = [("rank-bm25", search_rank_bm25), ("bm25s", search_bm25s), ("tantivy", search_tantivy)]
summary = []
for name, search in peers:
    if verbose:
        print(f"== {name}")
    mean, mrr, empty = measure(queries, search, verbose)
    summary.append(f"{name}: nDCG@3 {mean:.3f}, MRR {mrr:.3f}, empty {empty}")
if verbose:
    print()
print(f"{len(queries)} queries from {queries_path}", file=sys.stderr)
for note in tantivy_notes:
    print(f"tantivy: {note}", file=sys.stderr)
print("\n".join(summary))
