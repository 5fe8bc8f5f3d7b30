#!/usr/bin/env bash
# ipneeds against its floors and a Python peer. From the repository root:
#
#     bash bench/compare.sh [ROWS]        # ROWS defaults to 200000
#
# Builds, generates data in bench/out/, sets up bench/.venv for the peer, measures (medians),
# prints one table and writes it to bench/out/results.md. It reports; it does not gate: the exit
# code is 0 even when a target is missed (non-zero only when it cannot build or generate data).
# Progress goes to stderr, the report to stdout. See bench/README.md for the caveats.
set -uo pipefail

ROWS="${1:-200000}"
case "$ROWS" in '' | *[!0-9]*) echo "usage: bash bench/compare.sh [ROWS]" >&2; exit 2 ;; esac
[ "$ROWS" -ge 1 ] || { echo "ROWS must be at least 1" >&2; exit 2; }

cd "$(dirname "$0")/.." || exit 2
OUT=bench/out
VENV=bench/.venv
BIN=target/release/ipneeds
FLOOR=target/release/examples/csv_floor
PEER_ROWS=20000         # the peer is timed on this many rows and scaled when ROWS is larger
MEM_SMALL=20000
MEM_LARGE=${BENCH_MEM_LARGE:-2000000}
RUNS=${BENCH_RUNS:-5}           # runs per measurement (medians)
# Rounds of batch and its floor: more than RUNS, as the shared host's load comes in bursts of
# seconds (a burst takes a second core from the 2-thread batch, not from the 1-thread floor).
PAIR_RUNS=${BENCH_PAIR_RUNS:-15}
FAST_RUNS=${BENCH_FAST_RUNS:-51} # for the commands that take milliseconds
mkdir -p "$OUT"
# ipneeds keeps its cache (index, parsed YAML) here for this run: the one-shot rows measure
# warm runs (hyperfine's warm-up runs fill it) and, separately, cold ones (IPNEEDS_NO_CACHE=1).
export IPNEEDS_CACHE_DIR="$PWD/$OUT/cache"
rm -rf "$IPNEEDS_CACHE_DIR"

say() { printf '%s\n' "$*" >&2; }
die() { say "compare.sh: $*"; exit 1; }
command -v python3 >/dev/null || die "python3 is needed (data preparation and timing)"
command -v cargo >/dev/null || die "cargo is needed (Rust 1.89 or later)"

LARGE_FILE="$OUT/structured-${MEM_LARGE}.csv"
trap 'rm -f "$LARGE_FILE"' EXIT

# ----------------------------------------------------------------------------------------------
say "== build"
cargo build --release --locked --bin ipneeds --example synth --example csv_floor >&2 || die "cargo build failed"

# ----------------------------------------------------------------------------------------------
# Data. The synthetic generator leaves ldc_status and regional_system empty when it gives a
# country (ipneeds then fills them from data/countries.csv) and gives them otherwise. The peer
# does no such prefill, so every file here is rewritten with those two answers made explicit
# (from data/countries.csv, LDC status as of $AS_OF) and without the `country` column: both tools
# then read the same answers. A row's `country` output cell is therefore empty on both sides.
AS_OF=2026-01-01
cat > "$OUT/explicit_country.py" <<'PY'
"""synth CSV on stdin -> the same rows with ldc_status and regional_system explicit, no country."""
import csv, sys

as_of = sys.argv[1]
countries = {}
with open("data/countries.csv", encoding="utf-8") as f:
    for c in csv.DictReader(f):
        listing, year, grad = c["ldc_listing"], c["ldc_inclusion_year"], c["ldc_graduation_date"]
        # Country::ldc_status_as_of (src/countries.rs)
        if not listing or (year and as_of < f"{int(year):04d}-01-01"):
            ldc = "no"
        elif listing in ("ldc", "ldc_graduation_deferred"):
            ldc = "ldc"
        elif grad:
            ldc = "graduating" if as_of < grad else "graduated"
        else:
            ldc = "ldc" if listing == "ldc_scheduled_graduation" else "graduated"
        countries[c["iso3"]] = (ldc, c["regional_systems"].replace("|", ";") or "none")
reader = csv.reader(sys.stdin)
writer = csv.writer(sys.stdout, lineterminator="\n")
header = next(reader)
ci, li, ri = header.index("country"), header.index("ldc_status"), header.index("regional_system")
writer.writerow([h for i, h in enumerate(header) if i != ci])
for row in reader:
    if row[ci]:
        ldc, regional = countries[row[ci]]
        row[li] = row[li] or ldc
        row[ri] = row[ri] or regional
    del row[ci]
    writer.writerow(row)
PY

synth() { # ROWS [--text] > FILE
    cargo run -q --release --locked --example synth -- "$@" | python3 "$OUT/explicit_country.py" "$AS_OF"
}
say "== data: $ROWS structured rows, $ROWS with free text, $MEM_SMALL and $MEM_LARGE for memory"
synth "$ROWS" > "$OUT/structured.csv" || die "generating structured.csv failed"
synth "$ROWS" --text > "$OUT/text.csv" || die "generating text.csv failed"
synth "$MEM_SMALL" > "$OUT/structured-${MEM_SMALL}.csv" || die "generating the $MEM_SMALL-row file failed"
synth "$MEM_LARGE" > "$LARGE_FILE" || die "generating the $MEM_LARGE-row file failed"
PEER_FILE="$OUT/structured.csv"
if [ "$ROWS" -gt "$PEER_ROWS" ]; then
    PEER_FILE="$OUT/structured-${PEER_ROWS}.csv"
    if [ "$PEER_ROWS" != "$MEM_SMALL" ]; then
        synth "$PEER_ROWS" > "$PEER_FILE" || die "generating the $PEER_ROWS-row file failed"
    fi
fi
head -n 2 "$PEER_FILE" > "$OUT/structured-1.csv"
# The evaluation cases without their country column (v09 then has no LDC / regional answers).
python3 - tests/data/cases/profiles.csv "$OUT/cases-no-country.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f))
fields = [c for c in rows[0] if c != "country"]
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
PY

for file in "$OUT/structured.csv" "$OUT/text.csv" "$OUT/structured-${MEM_SMALL}.csv"; do
    "$BIN" batch "$file" > /dev/null 2> "$OUT/batch-check.log" \
        || die "ipneeds batch rejected rows of $file (see $OUT/batch-check.log)"
done

# ----------------------------------------------------------------------------------------------
say "== Python peer: $VENV"
PEER_OK=1
PEER_NOTE=""
if [ ! -x "$VENV/bin/python" ] && ! python3 -m venv "$VENV" >&2; then
    PEER_OK=0
    PEER_NOTE="python3 -m venv failed (on Debian: apt-get install python3-venv)"
fi
if [ "$PEER_OK" = 1 ] && ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
    -r bench/requirements.txt >&2; then
    PEER_OK=0
    PEER_NOTE="pip could not install bench/requirements.txt"
fi
[ "$PEER_OK" = 1 ] || say "SKIPPING the peer rows: $PEER_NOTE"

# ----------------------------------------------------------------------------------------------
# Timing: the median wall time in seconds of RUNS runs of a command (output discarded), after
# WARMUP runs. hyperfine when installed (without a shell, -N), else a perf_counter loop.
median_time() { # RUNS WARMUP COMMAND...
    local runs=$1 warmup=$2
    shift 2
    if command -v hyperfine >/dev/null; then
        local json="$OUT/hyperfine.json"
        hyperfine -N --style none --warmup "$warmup" --runs "$runs" --export-json "$json" \
            -- "$*" > /dev/null 2>&1 || { echo "nan"; return; }
        python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$json"
    else
        python3 - "$runs" "$warmup" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, warmup, cmd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
times = []
for i in range(warmup + runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    if i >= warmup:
        times.append(time.perf_counter() - start)
print(statistics.median(times))
PY
    fi
}
# Median peak resident memory (KiB) of RUNS runs.
median_peak_kib() { # RUNS COMMAND...
    local runs=$1 i
    shift
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f %M -o "$OUT/time.txt" "$@" > /dev/null 2>&1
        tail -n 1 "$OUT/time.txt"
    done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
ratio() { python3 -c 'import sys; a, b = map(float, sys.argv[1:]); print(f"{a / b:.1f}" if b > 0 else "nan")' "$1" "$2"; }
le() { python3 -c 'import sys; a, b = map(float, sys.argv[1:]); print("yes" if a <= b else "no")' "$1" "$2"; }
secs() { python3 -c 'import sys; t = float(sys.argv[1]); print(f"{t:.3f} s" if t >= 0.1 else f"{t * 1000:.1f} ms")' "$1"; }
mib() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1024:.1f} MiB")' "$1"; }
thousands() { python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$1"; }

ROWS_T=$(thousands "$ROWS")
TIMER=$(command -v hyperfine >/dev/null && echo "hyperfine $(hyperfine --version | awk '{print $2}') (-N)" || echo "python perf_counter loop")

# The floor and batch in turn (bench/ab.py), so that the drifting load of other work on the
# machine weighs on both alike: medians of RUNS rounds after one warm-up round.
median_pair() { # RUNS "COMMAND A" "COMMAND B" -> "seconds_a seconds_b"
    local times
    times=$(python3 bench/ab.py --seconds "$@" 2> /dev/null | tr '\n' ' ')
    [ "$(wc -w <<< "$times")" -eq 2 ] && echo "$times" || echo "nan nan"
}
say "== batch vs csv_floor, structured ($PAIR_RUNS rounds, interleaved)"
read -r t_floor t_batch <<< "$(median_pair "$PAIR_RUNS" "$FLOOR $OUT/structured.csv" "$BIN batch $OUT/structured.csv")"
r_batch=$(ratio "$t_batch" "$t_floor")

say "== batch vs csv_floor, free text"
read -r t_floor_text t_batch_text <<< "$(median_pair "$PAIR_RUNS" "$FLOOR $OUT/text.csv" "$BIN batch $OUT/text.csv")"
r_batch_text=$(ratio "$t_batch_text" "$t_floor_text")

# JSONL and JSON against CSV: the same rows, the same --top (every program), in turn.
say "== batch CSV, JSONL and JSON, structured ($RUNS rounds, interleaved)"
read -r t_csv3 t_jsonl t_json <<< "$(python3 bench/ab.py --seconds "$RUNS" "$BIN batch $OUT/structured.csv" \
    "$BIN batch $OUT/structured.csv --format jsonl" "$BIN batch $OUT/structured.csv --format json" 2> /dev/null | tr '\n' ' ')"
t_csv3=${t_csv3:-nan} t_jsonl=${t_jsonl:-nan} t_json=${t_json:-nan}
r_jsonl=$(ratio "$t_jsonl" "$t_csv3")
r_json=$(ratio "$t_json" "$t_csv3")
jsonl_size=$("$BIN" batch "$OUT/structured-1.csv" --format jsonl 2> /dev/null | wc -c)

say "== peak memory ($RUNS runs each at $MEM_SMALL rows; JSONL, JSON and HTML once at $MEM_LARGE: they take a while)"
m_small=$(median_peak_kib "$RUNS" "$BIN" batch "$OUT/structured-${MEM_SMALL}.csv")
m_large=$(median_peak_kib "$RUNS" "$BIN" batch "$LARGE_FILE")
m_growth=$(python3 -c 'import sys; print(f"{int(sys.argv[2]) / int(sys.argv[1]):.2f}")' "$m_small" "$m_large")
m_small_ok=$(le "$m_small" 65536)
m_large_ok=$( [ "$(le "$m_large" 65536)" = yes ] && [ "$(le "$m_growth" 1.25)" = yes ] && echo yes || echo no)
# The other streamed formats, to standard output (discarded): the HTML page's scratch files then
# go to the temporary directory.
declare -A mf_small mf_large mf_growth mf_ok
for format in jsonl json html; do
    mf_small[$format]=$(median_peak_kib "$RUNS" "$BIN" batch "$OUT/structured-${MEM_SMALL}.csv" --format "$format")
    mf_large[$format]=$(median_peak_kib 1 "$BIN" batch "$LARGE_FILE" --format "$format")
    mf_growth[$format]=$(python3 -c 'import sys; print(f"{int(sys.argv[2]) / int(sys.argv[1]):.2f}")' "${mf_small[$format]}" "${mf_large[$format]}")
    mf_ok[$format]=$( [ "$(le "${mf_large[$format]}" 65536)" = yes ] && [ "$(le "${mf_growth[$format]}" 1.25)" = yes ] && echo yes || echo no)
done
rm -f "$LARGE_FILE"

# The results workbook goes through the reference path (reasons and catalog lines for every
# program) and rust_xlsxwriter's constant-memory sheets; the file is removed after (tens of MB).
XLSX_OUT="$OUT/results.xlsx"
say "== batch --format xlsx ($RUNS runs each: time on $ROWS rows, peak memory on $MEM_SMALL and $ROWS)"
t_xlsx=$(median_time "$RUNS" 1 "$BIN" batch "$OUT/structured.csv" --format xlsx --top 3 -o "$XLSX_OUT")
xlsx_size=$(python3 -c 'import os, sys; print(f"{os.path.getsize(sys.argv[1]) / 1048576:.0f} MiB")' "$XLSX_OUT" 2>/dev/null || echo "?")
mx_small=$(median_peak_kib "$RUNS" "$BIN" batch "$OUT/structured-${MEM_SMALL}.csv" --format xlsx --top 3 -o "$XLSX_OUT")
mx_large=$(median_peak_kib "$RUNS" "$BIN" batch "$OUT/structured.csv" --format xlsx --top 3 -o "$XLSX_OUT")
mx_growth=$(python3 -c 'import sys; print(f"{int(sys.argv[2]) / int(sys.argv[1]):.2f}")' "$mx_small" "$mx_large")
mx_ok=$( [ "$(le "$mx_large" 65536)" = yes ] && [ "$(le "$mx_growth" 1.25)" = yes ] && echo yes || echo no)
rm -f "$XLSX_OUT"

say "== search, score and grep ($FAST_RUNS runs each)"
t_grep=$(median_time "$FAST_RUNS" 5 grep -ri examiner data/programs.yaml)
t_search=$(median_time "$FAST_RUNS" 5 "$BIN" search examiner)
t_score=$(median_time "$FAST_RUNS" 5 "$BIN" score questionnaires/examples/example-answers.yaml)
r_search=$(ratio "$t_search" "$t_grep")
r_score=$(ratio "$t_score" "$t_grep")
t_search_cold=$(IPNEEDS_NO_CACHE=1 median_time "$FAST_RUNS" 5 "$BIN" search examiner)
t_score_cold=$(IPNEEDS_NO_CACHE=1 median_time "$FAST_RUNS" 5 "$BIN" score questionnaires/examples/example-answers.yaml)

peer_row="| peer (pandas + rank-bm25) vs \`batch\`, $ROWS_T structured rows | skipped: $PEER_NOTE | ipneeds ≥ 50× faster | – |"
agreement_cases="skipped: $PEER_NOTE"
agreement_synth=""
if [ "$PEER_OK" = 1 ]; then
    say "== peer on $(thousands $(($(wc -l < "$PEER_FILE") - 1))) rows ($RUNS runs)"
    PY="$VENV/bin/python"
    t_peer_rows=$(median_time "$RUNS" 1 "$PY" bench/peer.py "$PEER_FILE")
    if [ "$PEER_FILE" = "$OUT/structured.csv" ]; then
        t_peer=$t_peer_rows
        peer_how="$(secs "$t_peer") on the same file"
    else
        # Linear in rows once started: start-up (imports, YAML, BM25 index; timed on a 1-row
        # file) + ROWS / PEER_ROWS x (the PEER_ROWS-row time - start-up).
        t_peer_start=$(median_time "$RUNS" 1 "$PY" bench/peer.py "$OUT/structured-1.csv")
        t_peer=$(python3 -c 'import sys; s, t, n, m = map(float, sys.argv[1:]); print(s + n / m * (t - s))' \
            "$t_peer_start" "$t_peer_rows" "$ROWS" "$PEER_ROWS")
        peer_how="$(secs "$t_peer") **scaled** from $(thousands "$PEER_ROWS") rows: $(secs "$t_peer_start") start-up + $(python3 -c 'import sys; print(f"{int(sys.argv[1]) / int(sys.argv[2]):g}")' "$ROWS" "$PEER_ROWS")× ($(secs "$t_peer_rows") − start-up)"
    fi
    r_peer=$(ratio "$t_peer" "$t_batch")
    peer_ok=$(le 50 "$r_peer")
    peer_row="| peer (pandas \`iterrows\` + rank-bm25) vs \`batch\`, $ROWS_T structured rows | peer $peer_how; batch $(secs "$t_batch"): ipneeds **×$r_peer** faster | ipneeds ≥ 50× faster | $peer_ok |"

    say "== agreement of the peer's top 3 with ipneeds"
    agree() { # PEER_CSV IPNEEDS_CSV
        python3 - "$1" "$2" <<'PY'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
b = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
assert [r["id"] for r in a] == [r["id"] for r in b], "rows differ"
n = len(a)
top = lambda r: [r[f"rank{i}_program"] for i in (1, 2, 3)]
shared = sum(len(set(top(x)) & set(top(y))) for x, y in zip(a, b))
first = sum(top(x)[0] == top(y)[0] for x, y in zip(a, b))
same = sum(top(x) == top(y) for x, y in zip(a, b))
print(f"{shared}/{3 * n} top-3 places shared ({shared / (3 * n):.1%}), same #1 in {first}/{n} "
      f"({first / n:.1%}), identical top 3 in order in {same}/{n} ({same / n:.1%})")
PY
    }
    "$PY" bench/peer.py "$OUT/cases-no-country.csv" > "$OUT/peer-cases.csv"
    "$BIN" batch "$OUT/cases-no-country.csv" > "$OUT/ipneeds-cases.csv" 2> /dev/null
    agreement_cases=$(agree "$OUT/peer-cases.csv" "$OUT/ipneeds-cases.csv")
    "$PY" bench/peer.py "$PEER_FILE" > "$OUT/peer-synth.csv"
    "$BIN" batch "$PEER_FILE" > "$OUT/ipneeds-synth.csv" 2> /dev/null
    agreement_synth=$(agree "$OUT/peer-synth.csv" "$OUT/ipneeds-synth.csv")
fi

# ----------------------------------------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
{
    echo "# ipneeds benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) cores, ${cpu:-unknown CPU}, $mem memory; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- commit: $(git describe --always --dirty 2>/dev/null || echo unknown); $(rustc --version 2>/dev/null); $("${VENV}/bin/python" --version 2>/dev/null || echo 'no peer venv')"
    echo "- timing: batch and its floor interleaved (bench/ab.py), median of $PAIR_RUNS rounds; the others $TIMER, median of $FAST_RUNS runs; whole processes, output discarded; data: \`synth\` rows with ldc_status/regional_system explicit and no country column (see bench/README.md)"
    echo
    echo "| what | measured | target | met? |"
    echo "|---|---|---|---|"
    echo "| \`batch\` $ROWS_T structured rows, CSV out, vs \`csv_floor\` | $(secs "$t_batch") vs $(secs "$t_floor"): **×$r_batch** | ≤ ×3 | $(le "$r_batch" 3) |"
    echo "| \`batch\` $ROWS_T rows with free text (\`--text\`), vs \`csv_floor\` | $(secs "$t_batch_text") vs $(secs "$t_floor_text"): **×$r_batch_text** | ≤ ×5 | $(le "$r_batch_text" 5) |"
    echo "| peak memory of \`batch\`, $(thousands $MEM_SMALL) rows | $m_small KiB ($(mib "$m_small")) | ≤ 64 MiB | $m_small_ok |"
    echo "| peak memory of \`batch\`, $(thousands $MEM_LARGE) rows | $m_large KiB ($(mib "$m_large")), ×$m_growth the $(thousands $MEM_SMALL)-row peak | ≤ 64 MiB and about the same (≤ ×1.25) | $m_large_ok |"
    echo "| \`batch --format jsonl\` vs \`batch\` (CSV), $ROWS_T structured rows, every program (in turn, median of $RUNS rounds; $jsonl_size bytes a row) | $(secs "$t_jsonl") vs $(secs "$t_csv3"): **×$r_jsonl** | ≤ ×3 | $(le "$r_jsonl" 3) |"
    echo "| \`batch --format json\` vs \`batch\` (CSV), the same rounds | $(secs "$t_json") vs $(secs "$t_csv3"): **×$r_json** | (as JSONL) | $(le "$r_json" 3) |"
    for format in jsonl json html; do
        echo "| peak memory of \`batch --format $format\`, $(thousands $MEM_SMALL) and $(thousands $MEM_LARGE) rows | $(mib "${mf_small[$format]}") and $(mib "${mf_large[$format]}"): ×${mf_growth[$format]} | ≤ 64 MiB and about the same (≤ ×1.25) | ${mf_ok[$format]} |"
    done
    echo "| \`batch --format xlsx --top 3\`, $ROWS_T structured rows (a $xlsx_size workbook) | $(secs "$t_xlsx"); peak memory $(mib "$mx_small") at $(thousands $MEM_SMALL) rows, $(mib "$mx_large") at $ROWS_T: ×$mx_growth | flat memory (≤ 64 MiB, ≤ ×1.25) | $mx_ok |"
    echo "| \`ipneeds search examiner\` vs \`grep -ri examiner data/programs.yaml\` | $(secs "$t_search") vs $(secs "$t_grep"): **×$r_search** | ≤ ×3 | $(le "$r_search" 3) |"
    echo "| \`ipneeds score questionnaires/examples/example-answers.yaml\` vs that grep | $(secs "$t_score") vs $(secs "$t_grep"): **×$r_score** | ≤ ×5 | $(le "$r_score" 5) |"
    echo "| the same two without the cache (\`IPNEEDS_NO_CACHE=1\`: index built, YAML parsed, as on a first run) | search $(secs "$t_search_cold") (×$(ratio "$t_search_cold" "$t_grep")), score $(secs "$t_score_cold") (×$(ratio "$t_score_cold" "$t_grep")) | (information) | – |"
    echo "$peer_row"
    echo
    echo "Peer's top 3 vs ipneeds's, the 12 evaluation cases (tests/data/cases/profiles.csv without its country column): $agreement_cases."
    if [ -n "$agreement_synth" ]; then
        echo "On the $(thousands $(($(wc -l < "$PEER_FILE") - 1)))-row synthetic file: $agreement_synth."
    fi
} > "$OUT/results.md"
cat "$OUT/results.md"
say "(written to $OUT/results.md)"
exit 0
