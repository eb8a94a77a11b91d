"""The PDF's text layer made to say what the page shows.

Chromium (Skia) embeds Noto CJK, whose outlines are CFF, as Type 3 fonts and builds each font's ToUnicode map from
the font's cmap, taking the lowest code point that reaches a glyph. Noto CJK SC draws 月 (U+6708) and the Kangxi
radical ⽉ (U+2F49) with one glyph, so the text layer says ⽉: the printout is right, but copying, searching or
reading the text (a screen reader, pypdf) gives radicals, and 户 comes out as ⼾, which NFKC would even turn into 戶.
Each such entry is pointed back at the ideograph the font draws with that glyph; the mapping is read from the
installed fonts themselves, so it is the one the page was drawn with.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]  # (via matplotlib; no stubs)
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, StreamObject

FONT_FILES = (
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
FAMILY_SUFFIX = " SC"  # the collections hold JP, KR, TC, HK too; the letters use the SC faces
RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
IDEOGRAPHS = (range(0x3400, 0xA000), range(0x20000, 0x40000))  # unified ideographs, extension A and beyond
BLOCK = re.compile(rb"\d+ begin(bfchar|bfrange)\s(.*?)end\1", re.S)
HEX = re.compile(rb"<([0-9A-Fa-f]+)>")
PER_BLOCK = 100  # the CMap format allows at most 100 entries between begin and end


@cache
def radical_map() -> dict[int, int]:
    """Radical → the unified ideograph drawn with the same glyph in the SC faces; empty if the fonts are absent."""
    mapping: dict[int, int] = {}
    for path in FONT_FILES:
        if path.exists():
            for font in TTCollection(str(path), lazy=True).fonts:
                if str(font["name"].getDebugName(1)).endswith(FAMILY_SUFFIX):
                    mapping |= _same_glyph(font.getBestCmap())
    return mapping


def _same_glyph(cmap: dict[int, str]) -> dict[int, int]:
    ideograph_of: dict[str, int] = {}
    for code, glyph in sorted(cmap.items(), reverse=True):  # the lowest ideograph wins where several share a glyph
        if any(code in block for block in IDEOGRAPHS):
            ideograph_of[glyph] = code
    return {code: ideograph_of[cmap[code]] for code in RADICALS if cmap.get(code) in ideograph_of}


def fix_text_layer(pdf: bytes) -> bytes:
    """One PDF with its text layer repaired (for a letter written out on its own; a batch uses `fix_fonts`)."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    if not fix_fonts(writer.pages):
        return pdf
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def fix_fonts(pages: Iterable[PageObject]) -> int:
    """Repair, in place, the ToUnicode map of every font on `pages`; how many maps changed."""
    mapping, seen, changed = radical_map(), set(), 0
    for page in pages:
        fonts = page.get("/Resources", DictionaryObject()).get_object().get("/Font", DictionaryObject())
        for font in fonts.get_object().values():
            unicode_map = font.get_object().get("/ToUnicode")
            if unicode_map is not None and id(unicode_map.get_object()) not in seen:
                seen.add(id(unicode_map.get_object()))
                changed += _fix_stream(unicode_map.get_object(), mapping)
    return changed


def _fix_stream(stream: StreamObject, mapping: dict[int, int]) -> bool:
    text = stream.get_data()
    fixed = fix_cmap(text, mapping)
    if fixed == text:
        return False
    stream.set_data(fixed)
    return True


def fix_cmap(cmap: bytes, mapping: dict[int, int]) -> bytes:
    """A ToUnicode CMap with its radical targets replaced; its mappings rewritten as bfchar entries if any were."""
    entries = _entries(cmap)
    fixed = [(source, "".join(chr(mapping.get(ord(ch), ord(ch))) for ch in target)) for source, target in entries]
    if fixed == entries:
        return cmap
    blocks = [fixed[i : i + PER_BLOCK] for i in range(0, len(fixed), PER_BLOCK)]
    body = b"".join(_bfchar(block) for block in blocks)
    first, last = BLOCK.search(cmap), list(BLOCK.finditer(cmap))[-1]
    assert first is not None
    return cmap[: first.start()] + body + cmap[last.end() :]


def _entries(cmap: bytes) -> list[tuple[bytes, str]]:
    """(source code as hex, target text) for every code the CMap maps, bfrange entries expanded."""
    entries: list[tuple[bytes, str]] = []
    for block in BLOCK.finditer(cmap):
        for line in block.group(2).splitlines():
            values = HEX.findall(line)
            if block.group(1) == b"bfchar" and len(values) == 2:
                entries.append((values[0], _text(values[1])))
            elif block.group(1) == b"bfrange" and len(values) >= 3:
                entries.extend(_range(values, array=b"[" in line))
    return entries


def _range(values: list[bytes], array: bool) -> list[tuple[bytes, str]]:
    low, high, width = int(values[0], 16), int(values[1], 16), len(values[0])
    codes = [f"{code:0{width}X}".encode() for code in range(low, high + 1)]
    if array:
        return list(zip(codes, (_text(value) for value in values[2:]), strict=False))
    start = _text(values[2])
    return [(code, start[:-1] + chr(ord(start[-1]) + offset)) for offset, code in enumerate(codes)]


def _text(hex_utf16: bytes) -> str:
    return bytes.fromhex(hex_utf16.decode()).decode("utf-16-be")


def _bfchar(entries: list[tuple[bytes, str]]) -> bytes:
    lines = [b"<%s> <%s>" % (source, target.encode("utf-16-be").hex().upper().encode()) for source, target in entries]
    return b"%d beginbfchar\n%s\nendbfchar\n" % (len(entries), b"\n".join(lines))
