#!/usr/bin/env python3
"""Make the broken-input corpus: each file is named after the diagnostic code kohyo must give
it (see README.md here and tests/broken.rs). Deterministic: run it again and nothing changes.
K005-damaged-sector-chain.xls is not made here: it is the fuzzer's crasher, kept as found.
Cases too big to commit (a 10 MB cell) or that are not files (a symlink loop, an empty draft
folder) are made by tests/broken.rs itself."""
import io
import pathlib
import random
import zipfile

here = pathlib.Path(__file__).parent
root = here.parent.parent
fixture = root / "tests/fixtures/excel/tomakomai/戦略.xlsx"


def write(name: str, data: bytes) -> None:
    (here / name).write_bytes(data)


# A workbook cut off part way, as a failed download or a full disk leaves it: no central directory.
write("K005-truncated.xlsx", fixture.read_bytes()[:6000])

# A zip archive that is not a workbook (someone zipped the folder and named it .xlsx).
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in [("戦略/メモ.txt", "骨子案のメモ\n"), ("戦略/README.txt", "draft\n")]:
        info = zipfile.ZipInfo(name, date_time=(2015, 8, 31, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, text)
write("K002-zip-not-workbook.xlsx", buf.getvalue())

# An "Excel file" that is the CMS's error page (a broken download link), in Shift_JIS.
write(
    "K013-html-page.xls",
    """<!DOCTYPE html>
<html lang="ja"><head><meta charset="Shift_JIS"><title>ページが見つかりません｜苫小牧市</title></head>
<body><div id="header"><a href="/">苫小牧市</a></div>
<h1>お探しのページは見つかりませんでした</h1>
<p>ページが移動または削除された可能性があります。</p>
</body></html>
""".encode("cp932"),
)

# Binary junk named .csv (an image renamed by mistake): a PNG signature and noise.
rng = random.Random(7)
write("K002-junk.csv", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000)))

# A CP932 CSV with one broken byte: 0x81 followed by a byte that cannot be its second half.
rows = [
    "基本目標,施策の基本的方向,具体的な施策,事業例",
    "基本目標１　安定した雇用を創出する,1-1 市内在住若者の雇用機会の拡大,①若者の就労支援,・企業説明会",
    "基本目標１　安定した雇用を創出する,1-1 市内在住若者の雇用機会の拡大,②企業誘致の推進,・立地補助",
]
body = ("\r\n".join(rows) + "\r\n").encode("cp932")
at = body.index("立地".encode("cp932"))
write("K003-broken-cp932.csv", body[:at] + b"\x81\x7f" + body[at:])

# A web page with prose and a layout table but no table of measures.
write(
    "K013-no-table.html",
    """<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>総合戦略の策定について｜苫小牧市</title></head>
<body><table class="layout"><tr><td><a href="/">トップ</a></td><td>くらし</td></tr></table>
<h1>総合戦略の策定について</h1>
<p>骨子案は近日公開します。</p>
</body></html>
""".encode(),
)

# The table without its 施策の基本的方向 column.
write(
    "K101-missing-columns.csv",
    (
        "\ufeff基本目標,具体的な施策,事業例\r\n"
        "基本目標１　安定した雇用を創出する,①若者の就労支援,・企業説明会\r\n"
    ).encode(),
)

# Two 事業例 columns (a column copied instead of moved).
write(
    "K116-duplicate-headers.csv",
    (
        "\ufeff基本目標,施策の基本的方向,具体的な施策,事業例,事業例\r\n"
        "基本目標１,1-1 若者の雇用,①若者の就労支援,・企業説明会,・企業説明会\r\n"
    ).encode(),
)

# An empty file (saved before anything was written).
write("K004-empty.csv", b"")

# kohyo.toml gone wrong (each case is the draft's kohyo.toml; the seed is the draft).
# A key that belongs at the top level, added at the end of the file: it lands in [period].
write(
    "K010-key-after-table.toml",
    'title = "苫小牧市総合戦略（骨子案）"\n\n[period]\nstart = 2015\nend = 2019\nlicense = "CC-BY-4.0"\n'.encode(),
)
# A misspelt key in a table.
write(
    "K010-unknown-key.toml",
    '[publisher]\nname = "苫小牧市"\ncontcat = "総合政策部"\n'.encode(),
)
# A year written as a string.
write(
    "K010-bad-value-type.toml",
    '[period]\nstart = "2015"\nend = 2019\n'.encode(),
)
# A date that does not exist.
write("K010-bad-date.toml", 'title = "苫小牧市総合戦略（骨子案）"\ndate = 2015-02-30\n'.encode())
# A string without its quotes.
write("K010-syntax-error.toml", 'title = 苫小牧市総合戦略（骨子案）\n'.encode())
