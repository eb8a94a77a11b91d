"""Where things sit on the printed sheet: A4, folded in three into a DL window envelope.

The envelope is a DL (220 × 110 mm, one of the GB/T 1416 sizes) with its window in the ISO/DIN 680 position used
by window envelopes in China as elsewhere: 90 × 45 mm, 20 mm from the envelope's left edge and 15 mm from its bottom
edge. The A4 sheet is folded at 105 mm and 210 mm from the top (DIN 5008 form B fold marks) so the top panel is
105 mm high; sitting in a 110 mm envelope it shows, through the window, the sheet's area 45–90 mm from its top and
20–110 mm from its left: the DIN 5008 form B address field (85 × 45 mm at 20 mm / 45 mm). The sheet can slide about
5 mm each way inside the envelope, so the address text keeps an inset from the field's edges.

The template draws from these numbers and the address check measures against them: one geometry for both.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from math import floor

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Layout:
    page_width_mm: float = 210.0
    page_height_mm: float = 297.0
    # Page margins: the body on every page; the first page's blocks are placed from the margin box's corner.
    margin_top_mm: float = 15.0
    margin_right_mm: float = 20.0
    margin_bottom_mm: float = 28.0  # the verification footer is drawn in this margin on every page
    margin_left_mm: float = 20.0
    page_number_mm: float = 7.0  # the one real page margin, at the foot: "第 1 页，共 2 页" (page counters live there)
    # The address field behind the envelope window (DIN 5008 form B), in page coordinates.
    window_left_mm: float = 20.0
    window_top_mm: float = 45.0
    window_width_mm: float = 85.0
    window_height_mm: float = 45.0
    window_inset_x_mm: float = 5.0  # the sheet's play inside the 220 mm envelope (210 mm sheet)
    window_inset_y_mm: float = 4.0  # the play of a 105 mm panel in a 110 mm envelope, less a little
    address_font_pt: float = 10.5  # 五号: readable by a person and by the post office's sorting
    address_line_height: float = 1.3
    fold_marks_mm: tuple[float, float] = (105.0, 210.0)
    body_font_pt: float = 12.0  # 小四
    qr_size_mm: float = 20.0

    @property
    def address_font_mm(self) -> float:
        return self.address_font_pt * MM_PER_PT

    @property
    def window_line_em(self) -> int:
        """How many full-width characters one address line may hold inside the window's inset."""
        usable = self.window_width_mm - 2 * self.window_inset_x_mm
        return floor(usable / self.address_font_mm)

    @property
    def window_lines(self) -> int:
        """How many address lines fit one under the other inside the window's inset."""
        usable = self.window_height_mm - 2 * self.window_inset_y_mm
        return floor(usable / (self.address_font_mm * self.address_line_height))


LAYOUT = Layout()


def text_width_em(text: str) -> float:
    """The printed width of `text` in ems of the CJK font: Chinese characters and full-width forms are 1 em; Latin
    letters and digits are narrower in Noto Sans CJK (about 0.55 em), counted as 0.6 to stay on the safe side."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 0.6 for ch in text)
