#!/usr/bin/env bash
# `batch --format jsonl|json` of two ipneeds binaries, byte for byte. From the repository root:
#
#     bash bench/json_identical.sh BASE NEW [ROWS]
#
# BASE and NEW are ipneeds binaries (say, a release build of main and of this branch). The
# inputs: the evaluation cases, every CSV, workbook and survey export under tests/data, and
# ROWS (default 20000) rows of the benchmark generator, structured and with free text. Each
# input is run with --format jsonl and json, --top 0, 3 and every program, --detail brief and
# full; the outputs (stdout, stderr and exit code) must be the same. Prints one line per
# difference and the counts; exits 1 when any differ.
set -uo pipefail

[ $# -ge 2 ] || { echo "usage: bash bench/json_identical.sh BASE NEW [ROWS]" >&2; exit 2; }
BASE=$1 NEW=$2 ROWS=${3:-20000}
cd "$(dirname "$0")/.." || exit 2
OUT=bench/out/json-identical
mkdir -p "$OUT"

synth() { # ROWS [--text] > FILE
    cargo run -q --release --locked --example synth -- "$@"
}
synth "$ROWS" > "$OUT/structured.csv" || { echo "generating rows failed" >&2; exit 2; }
synth "$ROWS" --text > "$OUT/text.csv" || { echo "generating rows failed" >&2; exit 2; }

inputs=("$OUT/structured.csv" "$OUT/text.csv")
while IFS= read -r file; do inputs+=("$file"); done < <(
    find tests/data -type f \( -name '*.csv' -o -name '*.xlsx' -o -name '*.ods' \) | sort)

same=0 differ=0 rows=0
for input in "${inputs[@]}"; do
    for format in jsonl json; do
        for top in 0 3 default; do
            for detail in brief full; do
                # (Both run today: the same date for prefill and `today`.)
                args=(batch "$input" --format "$format" --detail "$detail")
                [ "$top" = default ] || args+=(--top "$top")
                "$BASE" "${args[@]}" > "$OUT/base.out" 2> "$OUT/base.err"
                base_code=$?
                "$NEW" "${args[@]}" > "$OUT/new.out" 2> "$OUT/new.err"
                new_code=$?
                if [ "$base_code" = "$new_code" ] && cmp -s "$OUT/base.out" "$OUT/new.out" \
                    && cmp -s "$OUT/base.err" "$OUT/new.err"; then
                    same=$((same + 1))
                else
                    differ=$((differ + 1))
                    echo "DIFFERENT: ${args[*]} (exit $base_code vs $new_code)"
                fi
                if [ "$format" = jsonl ]; then
                    rows=$((rows + $(wc -l < "$OUT/new.out")))
                fi
            done
        done
    done
done
echo "${#inputs[@]} inputs, $((same + differ)) runs: $same identical, $differ different ($rows JSONL rows compared)"
[ "$differ" = 0 ]
