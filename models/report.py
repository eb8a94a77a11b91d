"""The evaluation report (HTML with plots, and JSON) and the model card (Markdown) written with each model.

Plots are PNGs embedded in the page: the report opens on an intranet PC with no network and no other files.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, never a window: the service runs headless

import matplotlib.pyplot as plt
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ground.plotting import use_cjk_font
from models.config import Wording

TEMPLATES = Path(__file__).parent / "templates"
log = logging.getLogger(__name__)

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    # Both files show a registry's text (a township's name) and both render inline HTML, the page and the Markdown
    # card alike, so every value is escaped: select_autoescape(["html"]) never matched the names `*.html.j2`.
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.filters["pct"] = lambda v: "—" if v is None else f"{100 * v:.1f}%"
environment.filters["num"] = lambda v, digits=3: "—" if v is None else f"{v:.{digits}f}"


def write_reports(folder: Path, metadata: dict[str, Any]) -> None:
    """report.json, report.html and model_card.md beside the model."""
    (folder / "report.json").write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    words = Wording.model_validate(metadata["label"].get("wording", {}))  # a model trained before wording: defaults
    plots = _plots(metadata["evaluation"]["test"], words)
    html = environment.get_template("report.html.j2").render(meta=metadata, plots=plots, words=words)
    (folder / "report.html").write_text(html, encoding="utf-8")
    card = environment.get_template("model_card.md.j2").render(meta=metadata, words=words)
    (folder / "model_card.md").write_text(card, encoding="utf-8")


def _plots(test: dict[str, Any], words: Wording) -> dict[str, str]:
    use_cjk_font()
    return {"calibration": _calibration_plot(test, words), "groups": _groups_plot(test)}


def _calibration_plot(test: dict[str, Any], words: Wording) -> str:
    figure, axes = plt.subplots(figsize=(5, 4.2))
    curve = test["calibration"]
    axes.plot([0, 1], [0, 1], linestyle="--", color="#999", label="完全校准")
    axes.plot(curve["predicted"], curve["observed"], marker="o", color="#1d70b8", label="模型")
    axes.set_xlabel(f"预测的{words.positive}概率")
    axes.set_ylabel(f"实际{words.positive}比例")
    axes.set_title("校准曲线（最新时段）")
    axes.legend(loc="upper left")
    return _png(figure)


def _groups_plot(test: dict[str, Any]) -> str:
    rows = [row for group in test["groups"].values() for row in group if row.get("roc_auc") is not None]
    figure, axes = plt.subplots(figsize=(6.5, 0.32 * len(rows) + 1.2))
    labels = [row["group"] for row in rows]
    axes.barh(labels, [row["roc_auc"] for row in rows], color="#1d70b8")
    overall = test["model"]["roc_auc"]
    if overall is not None:
        axes.axvline(overall, color="#d4351c", linestyle="--", label=f"总体 {overall:.3f}")
        axes.legend(loc="lower right")
    axes.set_xlim(0.5, 1.0)
    axes.invert_yaxis()
    axes.set_xlabel("ROC AUC")
    axes.set_title("各分组的区分能力")
    return _png(figure)


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()
