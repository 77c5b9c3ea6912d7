#!/usr/bin/env bash
# Fill fuzz/corpus/<target>/ with the test fixtures each target starts from. Zip-based
# formats are also seeded re-packed without compression, so mutations reach the XML inside.
set -euo pipefail
cd "$(dirname "$0")"
root=..
fx=$root/tests/fixtures
seed=$root/../shared/seed/000_ebe3fcc3fed13691.txt
rm -rf corpus && mkdir -p corpus/{read_text,read_xlsx,read_xls,read_ods,read_html,read_csv,normalize}

cp "$root"/inputs/tomakomai/*.txt corpus/read_text/
[[ -f $seed ]] && cp "$seed" corpus/read_text/seed.txt
head -c 4000 "$root"/inputs/tomakomai/*.txt > corpus/read_text/head.txt

cp "$fx"/excel/tomakomai/戦略.xlsx corpus/read_xlsx/tomakomai.xlsx
cp "$fx"/excel/ruby/戦略.xlsx corpus/read_xlsx/ruby.xlsx
cp "$fx"/excel/xls/戦略.xls corpus/read_xls/biff8.xls
cp "$fx"/excel/ods/戦略.ods corpus/read_ods/ods.ods
python3 - <<'PY'
import zipfile, pathlib
for src in ["corpus/read_xlsx/tomakomai.xlsx", "corpus/read_xlsx/ruby.xlsx", "corpus/read_ods/ods.ods"]:
    p = pathlib.Path(src)
    out = p.with_name(p.stem + "-stored" + p.suffix)
    with zipfile.ZipFile(p) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename), compress_type=zipfile.ZIP_STORED)
PY

i=0
for f in "$fx"/html/*/*.html "$fx"/html/*/index.html; do
    i=$((i + 1)); cp "$f" "corpus/read_html/$i.html"
done
i=0
for f in "$fx"/csv/*/*.csv "$fx"/csv/*/*.txt; do
    i=$((i + 1)); cp "$f" "corpus/read_csv/$i.csv"
done

# The normalizer's grids are small programs (see src/lib.rs: grid_from_bytes): 0–3 are the
# four headers, 0xE8 ends a cell, 0xF8 a row, 0xD1 a two-row span, 0x0A ①, 0x0E ・.
python3 - <<'PY'
header = [0, 0xE8, 1, 0xE8, 2, 0xE8, 3, 0xF8]
row = [6, 0xE8, 7, 0xE8, 10, 0xE8, 14, 0x0B, 0x1D, 14, 0x0C, 0xF8]
merged = [0xD1, 6, 0xE8, 0xD1, 7, 0xE8, 10, 0xE8, 14, 0xF8, 11, 0xE8, 14, 0x12, 0xF8]
related = [0, 0xE8, 4, 0xE8, 0, 0xE8, 5, 0xF8, 6, 0xE8, 14, 0x12, 0xE8, 6, 0xE8, 15, 0xF8]
seeds = {
    "plain": header + row * 3,
    "merged": header + merged,
    "related": header + row + [0xF8, 20, 0xF8] + related,
    "note": header + row + [17, 0x1E],
}
for name, prog in seeds.items():
    open(f"corpus/normalize/{name}", "wb").write(bytes(prog))
PY
for d in corpus/*; do echo "$d: $(ls "$d" | wc -l) seeds"; done
