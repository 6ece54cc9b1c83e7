"""Outputs of protected figures: a compact table for a message, CSV, JSON and a PNG chart.
Hidden figures read "< 11" (the threshold) everywhere; nothing else distinguishes them."""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable

from bot.stats.figures import Figures

Label = Callable[[int, str], str]  # (dimension index, id) -> label


def shown(value: int | None, threshold: int) -> str:
    """A figure as published."""
    return f"< {threshold}" if value is None else str(value)


def table_text(figures: Figures, label: Label, title: str, total_label: str) -> str:
    """A monospace table for Telegram (HTML), at most ~40 lines."""
    rows = [
        (" / ".join(label(i, k) for i, k in enumerate(c.key)), shown(c.value, figures.threshold))
        for c in figures.cells
    ]
    if figures.total is not None:
        rows.append((total_label, shown(figures.total.value, figures.threshold)))
    if figures.column_totals:
        rows += [
            (f"{total_label} {label(1, c.key[0])}", shown(c.value, figures.threshold))
            for c in figures.column_totals
        ]
    rows = rows[:40]
    width = min(34, max((len(name) for name, _ in rows), default=10))
    lines = [f"{name[:width]:<{width}} {value:>6}" for name, value in rows]
    return f"<b>{html.escape(title)}</b>\n<pre>{html.escape(chr(10).join(lines) or '—')}</pre>"


def csv_bytes(figures: Figures, label: Label) -> bytes:
    """CSV (UTF-8 with BOM, for spreadsheet software), one row per published figure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    two = len(figures.cells[0].key) == 2 if figures.cells else False
    header = ["period", "dimension", "id", "label"] + (["id2", "label2"] if two else []) + ["count"]
    writer.writerow(header)
    period = figures.period
    for cell in figures.cells:
        row = [period, figures.breakdown.value]
        for index, key in enumerate(cell.key):
            row += [key, label(index, key)]
        writer.writerow([*row, shown(cell.value, figures.threshold)])
    for cell in figures.column_totals:
        pad = ["total", "total"] if two else []
        writer.writerow(
            [
                period,
                figures.breakdown.value,
                *pad,
                cell.key[0],
                label(1, cell.key[0]),
                shown(cell.value, figures.threshold),
            ]
        )
    if figures.total is not None:
        writer.writerow(
            [
                period,
                figures.breakdown.value,
                "total",
                "total",
                *(["", ""] if two else []),
                shown(figures.total.value, figures.threshold),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def json_text(figures: Figures, label: Label) -> str:
    """JSON for scripts: hidden figures are null, with the threshold stated."""
    return json.dumps(
        {
            "breakdown": figures.breakdown.value,
            "period": figures.period,
            "months": list(figures.months),
            "protected": not figures.raw,
            "threshold": None if figures.raw else figures.threshold,
            "cells": [
                {
                    "key": list(c.key),
                    "label": [label(i, k) for i, k in enumerate(c.key)],
                    "count": c.value,
                }
                for c in figures.cells
            ],
            "column_totals": [
                {"key": list(c.key), "count": c.value} for c in figures.column_totals
            ],
            "total": figures.total.value if figures.total else None,
        },
        ensure_ascii=False,
        indent=2,
    )


def chart_png(figures: Figures, label: Label, title: str, hidden_note: str) -> bytes:
    """A horizontal bar chart of the figures; hidden ones are grey bars marked "< 11".

    Uses matplotlib's object API with the Agg canvas (no pyplot, no global state), so it
    can run in a worker thread while the bot keeps answering.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: PLC0415 - heavy
    from matplotlib.figure import Figure  # noqa: PLC0415

    cells = figures.column_totals or figures.cells
    dimension = 1 if figures.column_totals else 0
    names = [" / ".join(label(i + dimension, k) for i, k in enumerate(c.key)) for c in cells]
    values = [c.value or 0 for c in cells]
    height = 0.45 * max(3, len(cells)) + 1.2
    figure = Figure(figsize=(8, height), dpi=110)
    # Fixed margins (a layout engine warns on tiny tables): labels get the left 40 %.
    figure.subplots_adjust(left=0.4, right=0.96, top=1 - 0.5 / height, bottom=0.6 / height)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(names[::-1], values[::-1], color="#2f5597")
    for bar, cell in zip(bars, cells[::-1], strict=True):
        if cell.value is None:
            bar.set_color("#cccccc")
            middle = bar.get_y() + bar.get_height() / 2
            axes.text(0.2, middle, f"< {figures.threshold}", va="center", fontsize=8)
    axes.set_title(title, fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    if figures.hidden:
        figure.text(0.01, 0.1 / height, hidden_note, fontsize=7, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
