"""Figures of an inventory: matplotlib Figure objects, saved as PNG and SVG (never shown).

Examples
--------
>>> import pandas as pd
>>> from carbonledger.report.figures import emissions_by_sector
>>> table = pd.DataFrame({"year": [2020, 2020, 2021], "sector": ["steel", "power", "steel"],
...                       "co2e_t": [1e6, 2e6, 1.1e6]})
>>> fig = emissions_by_sector(table)
>>> fig.axes[0].get_ylabel()
'Emissions (Mt CO2e)'
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from ..output import atomic_write  # noqa: E402
from .fonts import font_context  # noqa: E402

__all__ = ["emissions_by_sector", "intensity_vs_target", "save_figure"]


def emissions_by_sector(summary: pd.DataFrame, *, value: str = "co2e_t", top: int = 8,
                        title: str = "Emissions by sector") -> plt.Figure:
    """Stacked bars of emissions by sector over years (Mt CO2e); small sectors grouped.

    ``summary`` has columns (or index levels) ``year``, ``sector`` and ``value``; scope-2
    credits (negative) are drawn below zero.
    """
    frame = summary.reset_index() if "year" not in getattr(summary, "columns", []) else summary
    pivot = frame.pivot_table(index="year", columns="sector", values=value, aggfunc="sum",
                              observed=True).fillna(0.0) / 1e6
    order = pivot.abs().sum().sort_values(ascending=False).index
    pivot = pivot[order]
    if pivot.shape[1] > top:
        keep = list(order[: top - 1])
        other = pivot.drop(columns=keep).sum(axis=1)
        pivot = pivot[keep].assign(other=other)
    with font_context():  # sector names may be Chinese
        return _stacked_sectors(pivot, title)


def _stacked_sectors(pivot: pd.DataFrame, title: str) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
    years = pivot.index.to_numpy()
    colors = plt.get_cmap("tab10").colors
    positive = np.zeros(len(years))
    negative = np.zeros(len(years))
    for position, sector in enumerate(pivot.columns):
        values = pivot[sector].to_numpy()
        base = np.where(values >= 0, positive, negative)
        ax.bar(years, values, bottom=base, label=str(sector).replace("_", " "),
               color=colors[position % len(colors)], width=0.75)
        positive += np.where(values >= 0, values, 0)
        negative += np.where(values < 0, values, 0)
    ax.plot(years, pivot.sum(axis=1).to_numpy(), color="black", marker="o", lw=1.5,
            label="net total")
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xlabel("Year")
    ax.set_ylabel("Emissions (Mt CO2e)")
    ax.set_title(title)
    ax.set_xticks(years)
    handles, labels = ax.get_legend_handles_labels()
    line = [i for i, h in enumerate(handles) if isinstance(h, Line2D)]
    order = line + [i for i in range(len(handles) - 1, -1, -1) if i not in line]  # stack order
    ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left",
              bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    return fig


def intensity_vs_target(series: pd.Series, *, base_year: int, target_year: int,
                        target_change: float, unit: str, title: str) -> plt.Figure:
    """An intensity series against the straight-rate path to its target.

    The target path falls at the constant annual rate that reaches ``target_change`` (e.g.
    -0.125) from ``base_year`` to ``target_year``.
    """
    series = series.sort_index()
    base = float(series.loc[base_year])
    years = np.arange(base_year, target_year + 1)
    rate = (1.0 + target_change) ** (1.0 / (target_year - base_year)) - 1.0
    path = base * (1.0 + rate) ** (years - base_year)
    with font_context():
        fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
        ax.plot(series.index, series.to_numpy(), marker="o", color="#1f77b4", label="actual")
        ax.plot(years, path, ls="--", color="#d62728",
                label=f"target path ({target_change:+.1%} by {target_year}, {rate:+.2%}/yr)")
        ax.scatter([target_year], [base * (1 + target_change)], color="#d62728", zorder=3)
        ax.set_xlabel("Year")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.legend(frameon=False)
    return fig


def save_figure(fig: plt.Figure, path, *, formats=("png", "svg"), dpi: int = 150) -> list[Path]:
    """Save ``fig`` as PNG and SVG next to ``path`` (atomically) and close it."""
    path = Path(path)
    written = []
    for fmt in formats:
        target = path.with_suffix("." + fmt)
        atomic_write(target, lambda p, f=fmt: fig.savefig(p, format=f, dpi=dpi))
        written.append(target)
    plt.close(fig)
    return written
