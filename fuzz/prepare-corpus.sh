#!/usr/bin/env bash
# Fills fuzz/corpus/TARGET/ (git-ignored) with seeds: the repository's own data files and
# fuzz/seeds/TARGET/. Run from anywhere; existing corpus files are kept.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/yaml_loaders corpus/csv_profiles corpus/search_query
cp "$root/data/programs.yaml" \
   "$root/questionnaires/ip-office-profile.yaml" \
   "$root/questionnaires/examples/example-answers.yaml" \
   "$root"/tests/data/fixtures/*.yaml corpus/yaml_loaders/
# csv_profiles reads its first byte as the delimiter choice: 'd' (100 % 8 = 4) means "detect",
# as the command does by default.
for file in "$root"/tests/data/cases/profiles.csv "$root"/tests/data/fixtures/*.csv; do
  { printf 'd'; cat "$file"; } > "corpus/csv_profiles/$(basename "$file")"
done
cp seeds/search_query/* corpus/search_query/
echo "corpus ready: $(ls corpus/yaml_loaders | wc -l) yaml, $(ls corpus/csv_profiles | wc -l) csv, $(ls corpus/search_query | wc -l) queries"
