"""The text layer repair on ToUnicode CMaps as Chromium writes them (pure: no browser)."""

from __future__ import annotations

from notifications.letters.text_layer import fix_cmap, radical_map

HEAD = b"/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
TAIL = b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
MAPPING = {0x2F49: 0x6708, 0x2F3E: 0x6237}  # ⽉ → 月, ⼾ → 户


def cmap(*blocks: bytes) -> bytes:
    return HEAD + b"".join(blocks) + TAIL


def test_the_installed_sc_fonts_map_radicals_to_the_ideographs_they_draw() -> None:
    mapping = radical_map()
    assert (mapping[0x2F49], mapping[0x2F3E], mapping[0x2EDD]) == (0x6708, 0x6237, 0x98DF)  # 月 户 食


def test_a_radical_in_a_bfchar_entry_becomes_its_ideograph() -> None:
    fixed = fix_cmap(cmap(b"2 beginbfchar\n<01> <2F49>\n<02> <4E00>\nendbfchar\n"), MAPPING)
    assert b"<01> <6708>" in fixed and b"<02> <4E00>" in fixed
    assert fixed.startswith(HEAD) and fixed.endswith(TAIL)


def test_a_range_reaching_a_radical_is_written_out_entry_by_entry() -> None:
    fixed = fix_cmap(cmap(b"1 beginbfrange\n<10> <12> <2F3D>\nendbfrange\n"), MAPPING)
    assert b"bfrange" not in fixed
    assert b"3 beginbfchar\n<10> <2F3D>\n<11> <6237>\n<12> <2F3F>\nendbfchar\n" in fixed


def test_a_range_written_as_an_array_is_fixed_too() -> None:
    fixed = fix_cmap(cmap(b"1 beginbfrange\n<20> <21> [<2F49> <FF0C>]\nendbfrange\n"), MAPPING)
    assert b"<20> <6708>\n<21> <FF0C>" in fixed


def test_a_cmap_without_radicals_is_left_exactly_as_it_was() -> None:
    untouched = cmap(b"1 beginbfchar\n<37> <FF0C>\nendbfchar\n", b"1 beginbfrange\n<33> <34> <FF08>\nendbfrange\n")
    assert fix_cmap(untouched, MAPPING) is untouched
