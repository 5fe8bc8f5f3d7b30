#!/usr/bin/env bash
# Renders a results workbook with LibreOffice headless, to look at it as a spreadsheet shows it:
# every sheet to PDF, then each page of the PDF to PNG.
#
#   scripts/render-workbook.sh [FILE.xlsx]
#
# Without a file, writes target/workbook/results.xlsx first (`ipneeds batch --format xlsx` of
# tests/data/cases/profiles.csv, with the binary in target/debug or target/release). FILE.xlsx
# gives FILE.pdf and FILE-1.png, FILE-2.png, … beside it. Needs LibreOffice Calc and pdftoppm:
#   sudo apt-get update && sudo apt-get install -y libreoffice-calc-nogui poppler-utils
# LibreOffice runs with a throw-away profile; the workbook fetches nothing.
set -euo pipefail

case "${1:-}" in
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
cd "$(dirname "$0")/.."

soffice=""
for candidate in soffice libreoffice; do
    if command -v "$candidate" >/dev/null 2>&1; then
        soffice="$candidate"
        break
    fi
done
if [ -z "$soffice" ] || ! command -v pdftoppm >/dev/null 2>&1; then
    echo "render-workbook: LibreOffice (soffice) and pdftoppm are needed." >&2
    echo "  On Debian or Ubuntu: sudo apt-get update && sudo apt-get install -y libreoffice-calc-nogui poppler-utils" >&2
    exit 2
fi

file="${1:-}"
if [ -z "$file" ]; then
    binary=""
    for candidate in target/release/ipneeds target/debug/ipneeds; do
        [ -x "$candidate" ] && { binary="$candidate"; break; }
    done
    if [ -z "$binary" ]; then
        echo "render-workbook: build ipneeds first (cargo build), or give a workbook" >&2
        exit 2
    fi
    mkdir -p target/workbook
    file=target/workbook/results.xlsx
    "$binary" batch tests/data/cases/profiles.csv --format xlsx -o "$file"
fi
if [ ! -s "$file" ]; then
    echo "render-workbook: $file: missing or empty" >&2
    exit 1
fi

directory="$(cd "$(dirname "$file")" && pwd)"
base="$(basename "${file%.xlsx}")"
profile_dir="$(mktemp -d)"
trap 'rm -rf "$profile_dir"' EXIT
rm -f "$directory/$base.pdf" "$directory/$base"-*.png
"$soffice" -env:UserInstallation="file://$profile_dir" --headless --norestore \
    --convert-to pdf --outdir "$directory" "$file" >/dev/null 2>&1 || true
if [ ! -s "$directory/$base.pdf" ]; then
    echo "render-workbook: LibreOffice wrote no PDF for $file" >&2
    exit 1
fi
echo "$directory/$base.pdf ($(wc -c <"$directory/$base.pdf") bytes)"
pdftoppm -png -r 110 "$directory/$base.pdf" "$directory/$base"
ls "$directory/$base"-*.png
