#!/usr/bin/env bash
# Checks the questionnaire's XLSForm with pyxform, the converter KoboToolbox and ODK use: the
# form `ipneeds template --format xlsform` writes (and its markdown twin) must convert to an
# XForm, and the XForm must hold every question of the questionnaire. Run by .ci/run.
#
#   scripts/check-xlsform.sh [path/to/ipneeds]      (default: target/debug/ipneeds)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/ipneeds}
VENV=${XLSFORM_VENV:-target/xlsform-venv}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

[ -x "$BIN" ] || { echo "check-xlsform: no ipneeds at $BIN (cargo build first)" >&2; exit 2; }
if [ ! -x "$VENV/bin/xls2xform" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r scripts/xlsform-requirements.txt
fi

"$BIN" template --format xlsform -o "$OUT/form.xlsx"
"$BIN" template --format xlsform-md -o "$OUT/form.md"
"$BIN" template --format csv -o "$OUT/template.csv"
for form in form.xlsx form.md; do
    # Validation by ODK Validate needs Java: pyxform's own checks (references in `relevant`,
    # choice lists, names) still run.
    "$VENV/bin/xls2xform" --skip_validate "$OUT/$form" "$OUT/$form.xml" >/dev/null
    "$VENV/bin/python" - "$OUT/$form.xml" "$OUT/template.csv" <<'PY'
import csv, sys, xml.etree.ElementTree as ET
xform, template = sys.argv[1], sys.argv[2]
with open(template, newline="", encoding="utf-8") as f:
    questions = [name for name in next(csv.reader(f)) if name != "id"]
binds = {b.get("nodeset", "").rsplit("/", 1)[-1]
         for b in ET.parse(xform).iter("{http://www.w3.org/2002/xforms}bind")}
missing = [q for q in questions if q not in binds]
if missing:
    sys.exit(f"check-xlsform: the XForm ({xform}) lacks the questions {', '.join(missing)}")
print(f"check-xlsform: {xform.rsplit('/', 1)[-1]}: {len(questions)} questions, every one in the XForm")
PY
done
