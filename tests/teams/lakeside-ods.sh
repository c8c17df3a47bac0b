#!/usr/bin/env bash
# Writes scenarios/lakeside.ods: the example workbook scenarios/lakeside.xlsx opened and saved
# by LibreOffice as an OpenDocument spreadsheet, so that the example .ods is a file as a
# spreadsheet program writes one (styles, comments of the document, every row filled out to the
# last column and the sheet to the last row by repeats), not one written by the tests. Needs
# LibreOffice Calc (`apt-get install -y libreoffice-calc-nogui`). tests/spreadsheets.rs checks
# that it gives the same proposal as the team's TOML; after a change to the team, write
# scenarios/lakeside.xlsx anew (`SNAPSHOTS=overwrite cargo test --test spreadsheets`), then run
# this.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# A profile of its own, so that a LibreOffice already open or its settings play no part.
soffice "-env:UserInstallation=file://$out/profile" --headless \
  --convert-to ods --outdir "$out" scenarios/lakeside.xlsx >/dev/null
cp "$out/lakeside.ods" scenarios/lakeside.ods
echo "wrote scenarios/lakeside.ods"
