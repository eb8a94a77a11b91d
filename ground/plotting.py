"""Plots written to files for people to read: headless Matplotlib with a CJK font for the Chinese labels."""

from __future__ import annotations

import logging

import matplotlib

matplotlib.use("Agg")  # files only, never a window: the service runs headless

import matplotlib.pyplot as plt
from matplotlib import font_manager

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Serif CJK SC", "WenQuanYi Zen Hei"]
log = logging.getLogger(__name__)


def use_cjk_font() -> None:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    chosen = [name for name in CJK_FONTS if name in installed]
    if not chosen:
        log.warning("no CJK font installed (fonts-noto-cjk): Chinese labels in the plots will not render")
    plt.rcParams["font.sans-serif"] = [*chosen, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
