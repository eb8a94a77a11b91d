"""The weekly trend of each figure, one PNG per figure with its Chinese label, for the bureau's reports."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from domain.kpi.figures import FIGURES
from ground.plotting import use_cjk_font


def write_trends(weeks: pd.DataFrame, folder: Path) -> list[Path]:
    """A line per figure over the weeks (a week with no value is left as a gap); the files written."""
    use_cjk_font()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key, figure in FIGURES.items():
        values = pd.to_numeric(weeks[key], errors="coerce")
        fig, ax = plt.subplots(figsize=(7, 3.2), dpi=100)
        ax.plot([str(day) for day in weeks.index], values, marker="o")
        ax.set_title(f"{figure.label}：按周趋势")
        ax.set_xlabel("周（起始日）")
        ax.tick_params(axis="x", labelrotation=45, labelsize=7)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        path = folder / f"{key}.png"
        fig.savefig(path)
        plt.close(fig)
        written.append(path)
    return written
