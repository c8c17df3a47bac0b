#!/usr/bin/env bash
# OpenDocument spreadsheets: time and peak memory of `caseload check` on
#
#   - the example as LibreOffice saved it (scenarios/lakeside.ods);
#   - the same with a million empty rows, each filled out to the last column, after the header
#     of its Cases sheet (so its cases stand on rows 1,000,002 and below);
#   - the same with a filled cell repeated on 1,000 cells of each of 1,000 rows (refused at
#     its cell, exit 2);
#   - a generated team of CASES cases (default 100000) whose cases are in a CSV file, and the
#     same cases in a sheet `cases` that LibreOffice made from it, as .ods and as .xlsx.
#
#   benches/ods.sh                        (the release binary, built first)
#   BIN=target/debug/caseload benches/ods.sh
#
# Needs python3 (to edit the example's archive) and LibreOffice Calc for the generated team
# (`apt-get install -y libreoffice-calc-nogui`; left out when soffice is not found).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/caseload
fi
cases=${CASES:-100000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The example's content.xml with `insert` after the first row of its Cases sheet.
edited() { # NAME INSERT
  python3 - "$work/$1" "$2" <<'PY'
import sys, zipfile
out, insert = sys.argv[1], sys.argv[2]
with zipfile.ZipFile("scenarios/lakeside.ods") as src, zipfile.ZipFile(out, "w") as dst:
    for item in src.infolist():
        data = src.read(item.filename)
        if item.filename == "content.xml":
            text = data.decode()
            cases = text.index('table:name="Cases"')
            end = text.index("</table:table-row>", cases) + len("</table:table-row>")
            data = (text[:end] + insert + text[end:]).encode()
        dst.writestr(item, data)
PY
  printf 'name = "Lakeside Family Services"\nworkbook = "%s"\n' "$1" > "$work/${1%.ods}.toml"
}

run() { # LABEL SCENARIO
  local code=0
  /usr/bin/time -f "%e %M" -o "$work/time" "$BIN" check "$2" > /dev/null 2> "$work/err" || code=$?
  # The last line: time adds one before it when the command exits non-zero.
  tail -n 1 "$work/time" | awk -v label="$1" -v code="$code" \
    '{ printf "%-44s exit %d  %6.2f s  %7.1f MiB\n", label, code, $1, $2 / 1024 }'
}

cp scenarios/lakeside.ods "$work/"
cp scenarios/lakeside-libreoffice.toml "$work/example.toml"
edited gap.ods '<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
edited repeated.ods '<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row>'
run "example (LibreOffice)" "$work/example.toml"
run "example, 1,000,000 empty rows" "$work/gap.toml"
run "example, a cell repeated on 1,000,000 cells" "$work/repeated.toml"

if command -v soffice > /dev/null; then
  "$BIN" generate --staff $((cases / 500)) --cases "$cases" --seed 1 --csv --output "$work/team" > /dev/null
  for format in ods xlsx; do
    soffice "-env:UserInstallation=file://$work/profile" --headless --infilter=CSV:44,34,76 \
      --convert-to "$format" --outdir "$work/team" "$work/team/cases.csv" > /dev/null 2>&1
    sed "s/cases_csv = \"cases.csv\"/workbook = \"cases.$format\"/" "$work/team/scenario.toml" \
      > "$work/team/$format.toml"
  done
  run "$cases cases, CSV" "$work/team/scenario.toml"
  run "$cases cases, .ods ($(du -k "$work/team/cases.ods" | cut -f1) KB)" "$work/team/ods.toml"
  run "$cases cases, .xlsx ($(du -k "$work/team/cases.xlsx" | cut -f1) KB)" "$work/team/xlsx.toml"
fi
