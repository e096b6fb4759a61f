"""Figures of scenario results: matplotlib Figure objects (Agg backend; never shown).

* :func:`trajectories`: the peak metric of several scenarios, with each peak marked and the
  2030 deadline drawn;
* :func:`fan_chart`: percentile bands of one scenario's Monte Carlo draws, the 2030 line,
  ``P(peak <= 2030)``, and the distribution of peak years;
* :func:`lmdi_waterfall`: the LMDI effects of :func:`carbonledger.scenario.explain.decompose`
  as a waterfall from the start to the end value;
* :func:`tornado_chart`: the one-at-a-time swings of :mod:`carbonledger.scenario.sensitivity`;
* :func:`sector_stack`: emissions by sector of one scenario (stacked areas).

Save them with :func:`carbonledger.report.figures.save_figure`.

Examples
--------
>>> import pandas as pd
>>> from carbonledger.scenario.runner import run_scenario
>>> rows = pd.DataFrame({"year": [2020], "sector": ["steel"], "activity":
...     ["fuel_combustion"], "item": ["coke"], "value": [10.0], "unit": ["wan_t"]})
>>> res = run_scenario({"inventory": {"activity": rows, "base_year": 2020},
...     "years": {"start": 2020, "end": 2035},
...     "sectors": {"steel": {"activity": {"growth": {"2021": 0.04, "2035": -0.04}}}}})
>>> fig = trajectories([res])
>>> fig.axes[0].get_ylabel()
'Mt CO2 per year'
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

__all__ = ["trajectories", "fan_chart", "lmdi_waterfall", "tornado_chart", "sector_stack"]

_LABELS = {"co2": "CO2", "co2e": "CO2e (all gases)", "net_co2e": "net CO2e (with sinks)"}
_UNITS = {"co2": "Mt CO2 per year", "co2e": "Mt CO2e per year",
          "net_co2e": "Mt CO2e per year"}
_COLUMNS = {"co2": "co2_t", "co2e": "co2e_t", "net_co2e": "net_co2e_t"}


def _deadline(ax, year: int) -> None:
    ax.axvline(year, color="#444444", ls="--", lw=1.0, zorder=1)
    ax.annotate(f"{year}", xy=(year, 1.0), xycoords=("data", "axes fraction"),
                xytext=(3, -12), textcoords="offset points", fontsize=9, color="#444444")


def trajectories(results: Sequence, *, metric: str | None = None, deadline: int = 2030,
                 bands: bool = True, title: str | None = None) -> plt.Figure:
    """The peak metric of each scenario (Mt per year), peaks marked, the deadline drawn.

    With Monte Carlo draws, the 2.5-97.5 % band of each scenario is shaded lightly.
    """
    results = list(results)
    metric = metric or results[0].metric
    fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
    colors = plt.get_cmap("tab10").colors
    for i, res in enumerate(results):
        color = colors[i % len(colors)]
        style = {"lw": 1.8, "ls": "-", "zorder": 2}
        if res.name == "baseline":
            color, style = "black", {"lw": 2.2, "ls": "--", "zorder": 4}
        series = res.emissions[_COLUMNS[metric]] / 1e6
        pk = res.peak if metric == res.metric else None
        label = res.name.replace("_", " ")
        if pk is not None:
            label += f" (peak {pk.year})" if pk.peaked else " (no peak by horizon)"
        ax.plot(series.index, series.to_numpy(), color=color, label=label, **style)
        if pk is not None:
            ax.plot([pk.year], [pk.value / 1e6], "o", color=color, ms=6, zorder=3)
        if bands and res.draws:
            b = res.bands(metric, q=(2.5, 97.5)) / 1e6
            ax.fill_between(b.index, b["p2.5"], b["p97.5"], color=color, alpha=0.12, lw=0)
    _deadline(ax, deadline)
    ax.set_xlabel("Year")
    ax.set_ylabel(_UNITS[metric])
    ax.set_ylim(bottom=0)
    ax.set_title(title or f"Emission trajectories: {_LABELS[metric]} (scope 1 + net scope 2)")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9,
              title="scenario (dot: peak)", title_fontsize=9)
    return fig


def fan_chart(result, *, metric: str | None = None, q=(2.5, 25.0, 50.0, 75.0, 97.5),
              deadline: int = 2030, title: str | None = None) -> plt.Figure:
    """Percentile bands of the Monte Carlo draws, the central run, the deadline line with
    ``P(peak <= deadline)``, and (right panel) the distribution of peak years.

    Raises
    ------
    ScenarioSpecError
        The result has no draws.
    """
    metric = metric or result.metric
    b = result.bands(metric, q=q) / 1e6
    cols = list(b.columns)
    fig, (ax, hx) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained",
                                 gridspec_kw={"width_ratios": [2.2, 1]})
    color = "#1f77b4"
    n = len(cols)
    for k in range(n // 2):
        lo, hi = cols[k], cols[n - 1 - k]
        ax.fill_between(b.index, b[lo], b[hi], color=color, alpha=0.15 + 0.15 * k, lw=0,
                        label=f"{lo[1:]}-{hi[1:]} %")
    if n % 2:
        ax.plot(b.index, b[cols[n // 2]], color=color, lw=2, label=f"median ({cols[n // 2]})")
    central = result.emissions[_COLUMNS[metric]] / 1e6
    ax.plot(central.index, central.to_numpy(), color="black", lw=1, ls=":",
            label="central run (medians)")
    _deadline(ax, deadline)
    p = result.p_peak_by(deadline) if metric == result.metric else None
    if p is not None:
        ax.text(0.99, 0.03, f"P(peak <= {deadline}) = {p:.0%}\n{result.draws:,} draws, "
                f"seed {result.seed}", transform=ax.transAxes, ha="right", va="bottom",
                fontsize=9, bbox={"boxstyle": "round", "fc": "white", "ec": "#999999"})
    ax.set_xlabel("Year")
    ax.set_ylabel(_UNITS[metric])
    ax.set_ylim(bottom=0)
    ax.set_title(title or f"{result.name.replace('_', ' ')}: {_LABELS[metric]}, "
                 "Monte Carlo percentiles")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", frameon=True, fontsize=8, framealpha=0.9)
    d = result.peak_draws
    years, counts = np.unique(np.where(d.peaked, d.year, result.years[-1] + 1),
                              return_counts=True)
    share = counts / counts.sum()
    bar_colors = ["#2ca02c" if y <= deadline else ("#d62728" if y > result.years[-1]
                                                    else "#ff7f0e") for y in years]
    hx.bar(years, share * 100, color=bar_colors, width=0.8)
    if (years > result.years[-1]).any():
        hx.annotate("no peak\nby horizon", xy=(result.years[-1] + 1, 0), xytext=(0, -28),
                    textcoords="offset points", ha="center", fontsize=8)
    hx.axvline(deadline + 0.5, color="#444444", ls="--", lw=1.0)
    hx.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True, nbins=6))
    hx.set_xlabel("Peak year")
    hx.set_ylabel("Share of draws (%)")
    hx.set_title("Distribution of the peak year")
    hx.grid(axis="y", alpha=0.3)
    return fig


def lmdi_waterfall(effects: pd.Series, *, unit: str = "Mt CO2",
                   title: str | None = None) -> plt.Figure:
    """Waterfall from the start value through each effect to the end value.

    ``effects`` is the Series of :func:`carbonledger.scenario.explain.decompose` (in t; its
    attrs give the start and end values and labels).
    """
    start = effects.attrs.get("start_t", 0.0) / 1e6
    end = effects.attrs.get("end_t", start * 1e6 + effects.sum()) / 1e6
    values = effects.to_numpy() / 1e6
    labels = [effects.attrs.get("start_label", "start"), *effects.index,
              effects.attrs.get("end_label", "end")]
    fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
    ax.bar(0, start, color="#7f7f7f", width=0.6)
    level = start
    top = max(start, end)
    for i, v in enumerate(values, start=1):
        top = max(top, level + max(v, 0.0))
        color = "#2ca02c" if v < 0 else "#d62728"
        ax.bar(i, v, bottom=level, color=color, width=0.6)
        ax.annotate(f"{v:+.2f}", xy=(i, level + max(v, 0)), xytext=(0, 3),
                    textcoords="offset points", ha="center", fontsize=9)
        ax.plot([i - 0.7, i + 0.3], [level, level], color="#999999", lw=0.8)
        level += v
    ax.bar(len(values) + 1, end, color="#1f77b4", width=0.6)
    for x, v in ((0, start), (len(values) + 1, end)):
        ax.annotate(f"{v:.2f}", xy=(x, v), xytext=(0, 3), textcoords="offset points",
                    ha="center", fontsize=9)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels([str(x).replace(" (", "\n(") for x in labels], fontsize=9)
    ax.set_ylabel(unit)
    ax.set_ylim(0, top * 1.12)  # the running maximum: no bar or label is clipped
    ax.set_title(title or f"What changes the emissions: {labels[0]} -> {labels[-1]} "
                 "(LMDI-I, additive)")
    ax.grid(axis="y", alpha=0.3)
    return fig


def tornado_chart(sens, *, top: int = 10, what: str = "value") -> plt.Figure:
    """Horizontal bars of the peak value (``what="value"``, Mt), the peak year (``"year"``)
    or the emissions in the deadline year (``"by"``, Mt) at each parameter's low and high,
    around the central run; the largest swing on top."""
    t = sens.tornado
    by = t.attrs.get("by", 2030)
    key = {"value": "swing_value_t", "year": "swing_year", "by": "swing_by_t"}[what]
    t = t.sort_values(key, ascending=False).head(top).iloc[::-1]
    if what == "value":
        low, high = t["peak_value_low_t"] / 1e6, t["peak_value_high_t"] / 1e6
        centre, unit = sens.central_peak_value / 1e6, "Peak value (Mt CO2)"
    elif what == "by":
        low, high = t["by_value_low_t"] / 1e6, t["by_value_high_t"] / 1e6
        centre, unit = t.attrs["central_by_value"] / 1e6, f"Emissions in {by} (Mt CO2)"
    else:
        low, high = t["peak_year_low"], t["peak_year_high"]
        centre, unit = sens.central_peak_year, "Peak year"
    q = t.attrs.get("q", (5, 95)) if t.attrs else (5, 95)
    height = max(3.0, 0.45 * len(t) + 1.5)
    fig, ax = plt.subplots(figsize=(10, height), layout="constrained")
    y = np.arange(len(t))
    ax.barh(y, low - centre, left=centre, color="#1f77b4", label=f"parameter at p{q[0]:g}")
    ax.barh(y, high - centre, left=centre, color="#ff7f0e", alpha=0.85,
            label=f"parameter at p{q[1]:g}")
    ax.axvline(centre, color="black", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels([str(i) for i in t.index], fontsize=8)
    ax.set_xlabel(unit)
    subject = {"value": "the peak value", "year": "the peak year",
               "by": f"the emissions in {by}"}[what]
    ax.set_title(f"{sens.scenario.replace('_', ' ')}: one-at-a-time sensitivity of {subject}")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    return fig


def sector_stack(result, *, top: int = 8, title: str | None = None) -> plt.Figure:
    """Scope-1 CO2 by sector (stacked areas, Mt) with the scope-2 term and the total line."""
    co2 = result.sectors["co2_t"].unstack("sector").fillna(0.0) / 1e6
    order = co2.abs().sum().sort_values(ascending=False).index
    co2 = co2[order]
    if co2.shape[1] > top:
        keep = list(order[: top - 1])
        co2 = co2[keep].assign(other=co2.drop(columns=keep).sum(axis=1))
    fig, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
    colors = plt.get_cmap("tab10").colors
    ax.stackplot(co2.index, co2.T.to_numpy(), labels=[c.replace("_", " ") for c in co2.columns],
                 colors=[colors[i % len(colors)] for i in range(co2.shape[1])], alpha=0.85)
    s2 = result.emissions["co2_scope2_t"] / 1e6
    ax.fill_between(s2.index, 0, np.minimum(s2, 0), color="#bbbbbb", label="scope 2 (net "
                    "export credit)")
    total = result.emissions["co2_t"] / 1e6
    ax.plot(total.index, total.to_numpy(), color="black", lw=1.5, label="total (scope 1 + 2)")
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xlabel("Year")
    ax.set_ylabel("Mt CO2 per year")
    ax.set_title(title or f"{result.name.replace('_', ' ')}: CO2 by sector")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    return fig
