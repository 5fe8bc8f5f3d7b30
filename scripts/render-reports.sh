#!/usr/bin/env bash
# Renders HTML reports with headless Chromium to PNG, to look at them as a browser shows them.
#
#   scripts/render-reports.sh [--pdf] [FILE.html ...]
#
# Default files: docs/examples/country-report.html and docs/examples/regional-overview.html
# (write them with `cargo run --example render_examples`). Each FILE.html gives FILE.png beside
# it (and FILE.pdf with --pdf, as printed on A4). Fails when Chromium is missing or an output
# is empty. Chromium runs with a throw-away profile and no network features; the pages fetch
# nothing.
set -euo pipefail

pdf=0
files=()
for arg in "$@"; do
    case "$arg" in
        --pdf) pdf=1 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) files+=("$arg") ;;
    esac
done
if [ ${#files[@]} -eq 0 ]; then
    files=(docs/examples/country-report.html docs/examples/regional-overview.html)
fi

chromium=""
for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$candidate" >/dev/null 2>&1; then
        chromium="$candidate"
        break
    fi
done
if [ -z "$chromium" ]; then
    echo "render-reports: Chromium is not installed." >&2
    echo "  On Debian or Ubuntu: sudo apt-get update && sudo apt-get install -y chromium" >&2
    exit 2
fi

profile_dir="$(mktemp -d)"
trap 'rm -rf "$profile_dir"' EXIT

# Runs Chromium headless on one page with the given output option.
run_chromium() {
    local url="$1"
    shift
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --hide-scrollbars --user-data-dir="$profile_dir" \
        "$@" "$url" >/dev/null 2>&1
}

status=0
for file in "${files[@]}"; do
    if [ ! -s "$file" ]; then
        echo "render-reports: $file: missing or empty" >&2
        status=1
        continue
    fi
    absolute="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
    png="${absolute%.html}.png"
    rm -f "$png"
    run_chromium "file://$absolute" --screenshot="$png" --window-size=1200,2000 || true
    if [ ! -s "$png" ]; then
        echo "render-reports: $file: Chromium wrote no screenshot" >&2
        status=1
        continue
    fi
    echo "$png ($(wc -c <"$png") bytes)"
    if [ "$pdf" -eq 1 ]; then
        out_pdf="${absolute%.html}.pdf"
        rm -f "$out_pdf"
        run_chromium "file://$absolute" --print-to-pdf="$out_pdf" --no-pdf-header-footer || true
        if [ ! -s "$out_pdf" ]; then
            echo "render-reports: $file: Chromium wrote no PDF" >&2
            status=1
            continue
        fi
        echo "$out_pdf ($(wc -c <"$out_pdf") bytes)"
    fi
done
exit "$status"
