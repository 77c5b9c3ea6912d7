#!/usr/bin/env python3
"""Strip TrueType hinting from BIZ UDGothic, reproducibly (see fonts/README.md).

usage: dehint.py SOURCE.ttf OUTPUT.ttf

Removes every glyph's instructions and the fpgm, prep, cvt, gasp, hdmx, LTSH and VDMX tables,
and nothing else: outlines, metrics, cmap, names and layout tables are kept as they are.
The head table's modified date is left as in the source, so the output bytes depend only
on the input bytes and the fontTools version (pinned in fonts/requirements.txt).
"""
import sys

from fontTools.ttLib import TTFont

HINTING_TABLES = ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX", "gasp")


def dehint(source: str, output: str) -> None:
    font = TTFont(source, recalcTimestamp=False)
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        glyf[name].removeHinting()
    for tag in HINTING_TABLES:
        if tag in font:
            del font[tag]
    maxp = font["maxp"]
    maxp.maxSizeOfInstructions = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxZones = 1
    font.save(output, reorderTables=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    dehint(sys.argv[1], sys.argv[2])
