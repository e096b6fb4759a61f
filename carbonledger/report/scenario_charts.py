"""Scenario figures for reports: Monte Carlo fan chart, trajectories by scenario, LMDI
waterfall, for plain tables as well as for ScenarioResults.

They reuse :mod:`carbonledger.scenario.figures` rather than redraw it: given ScenarioResults,
:func:`fan_chart` and :func:`scenario_trajectories` hand over to it (adding whole-year ticks and
the CJK font); given tables (a percentile-band DataFrame as
:func:`carbonledger.scenario.peak.percentile_bands` returns, a year x scenario DataFrame) they
draw the same picture here; :func:`lmdi_waterfall` turns the Series of
:func:`carbonledger.scenario.decompose.lmdi` into the waterfall of
:func:`carbonledger.scenario.figures.lmdi_waterfall` with every bar in view.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"baseline": [10e6, 11e6, 12e6], "green": [10e6, 10.5e6, 10.2e6]},
...                      index=pd.Index([2029, 2030, 2031], name="year"))
>>> fig = scenario_trajectories(frame)
>>> fig.axes[0].get_xlabel().startswith("Year")
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..errors import ActivityDataError  # noqa: E402
from .charts import mass_scale, outside_legend  # noqa: E402
from .fonts import bilingual, font_context  # noqa: E402

__all__ = ["fan_chart", "scenario_trajectories", "lmdi_waterfall"]


def _year_ticks() -> matplotlib.ticker.MaxNLocator:
    """Whole years at round steps (2020, 2025, 2030, ...)."""
    return matplotlib.ticker.MaxNLocator(integer=True, steps=[1, 2, 5, 10])


def lmdi_waterfall(effects: pd.Series, *, start_t: float | None = None,
                   end_t: float | None = None, start_label: str | None = None,
                   end_label: str | None = None, unit: str = "Mt CO2",
                   title: str | None = None) -> plt.Figure:
    """Waterfall of additive LMDI effects from the start value to the end value.

    A thin adapter over :func:`carbonledger.scenario.figures.lmdi_waterfall`: it accepts the
    plain Series of :func:`carbonledger.scenario.decompose.lmdi` (effects in t) with the start
    value given here, or the Series of :func:`carbonledger.scenario.explain.decompose`, which
    carries its start and end in ``attrs``.

    Parameters
    ----------
    effects : additive effects in t (index: factors).
    start_t : the aggregate in period 0 (t); required unless ``effects.attrs`` has it.
    end_t : the aggregate in period T (default ``start_t + effects.sum()``).
    start_label, end_label : bar labels (default "start", "end").
    unit : the axis label (values are drawn in millions of the effects' unit).

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.Series({"activity": 3e6, "intensity": -2e6, "fuel mix": -0.5e6})
    >>> fig = lmdi_waterfall(e, start_t=30e6, start_label="2020", end_label="2030")
    >>> fig.axes[0].get_ylabel()
    'Mt CO2'
    """
    from ..scenario.figures import lmdi_waterfall as scenario_waterfall

    series = pd.Series(effects, dtype="float64").copy()
    attrs = dict(getattr(effects, "attrs", {}) or {})
    if start_t is not None:
        attrs["start_t"] = float(start_t)
    if "start_t" not in attrs:
        raise ActivityDataError("the waterfall needs the start value",
                                fix="pass start_t= (the aggregate in period 0, in t)")
    attrs["end_t"] = float(end_t) if end_t is not None else attrs.get(
        "end_t", attrs["start_t"] + float(series.sum()))
    attrs["start_label"] = start_label or attrs.get("start_label", "start")
    attrs["end_label"] = end_label or attrs.get("end_label", "end")
    series.attrs = attrs
    with font_context():
        fig = scenario_waterfall(series, unit=unit, title=title)
    running = (attrs["start_t"] + np.cumsum(series.to_numpy())) / 1e6
    levels = np.concatenate([[attrs["start_t"] / 1e6, attrs["end_t"] / 1e6], running])
    low, high = min(0.0, float(levels.min())), float(levels.max())
    fig.axes[0].set_ylim(low * 1.12, high * 1.12 if high > 0 else 1.0)  # every bar in view
    return fig


def _deadline(ax, year: int) -> None:
    ax.xaxis.set_major_locator(_year_ticks())
    ax.axvline(year, color="#444444", ls="--", lw=1.0, zorder=1)
    ax.annotate(bilingual(f"{year}", "达峰期限"), xy=(year, 1.0),
                xycoords=("data", "axes fraction"), xytext=(3, -12), textcoords="offset points",
                fontsize=9, color="#444444")


def fan_chart(bands, *, deadline: int = 2030, unit: str = "CO2", central=None,
              p_peak: float | None = None, title: str | None = None, **kwargs) -> plt.Figure:
    """Monte Carlo fan chart: nested percentile bands, the median, the deadline line.

    Parameters
    ----------
    bands : DataFrame indexed by year with percentile columns ``p2.5, p25, p50, p75, p97.5``
        (as :func:`carbonledger.scenario.peak.percentile_bands` returns), values in t; or a
        ScenarioResult with draws, handed to :func:`carbonledger.scenario.figures.fan_chart`
        (with ``kwargs``).
    deadline : the year drawn as a dashed line (the 2030 peak deadline).
    unit : the gas or basis in the axis label (``CO2``, ``CO2e``).
    central : optional Series (year -> t) of the central run, drawn dotted.
    p_peak : optional probability of peaking by the deadline, written in the corner.
    title : the figure title.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> years = np.arange(2020, 2036)
    >>> draws = 30e6 + np.random.default_rng(1).normal(0, 1e6, (200, years.size)).cumsum(1)
    >>> from carbonledger.scenario.peak import percentile_bands
    >>> fig = fan_chart(percentile_bands(draws, years), p_peak=0.4)
    >>> fig.axes[0].get_ylabel().startswith("Mt CO2")
    True
    """
    if hasattr(bands, "bands") and hasattr(bands, "peak_draws"):
        from ..scenario.figures import fan_chart as scenario_fan

        with font_context():
            fig = scenario_fan(bands, deadline=deadline, title=title, **kwargs)
        fig.axes[0].xaxis.set_major_locator(_year_ticks())
        return fig
    frame = pd.DataFrame(bands).sort_index()
    cols = sorted(frame.columns, key=lambda c: float(str(c).lstrip("p")))
    if len(cols) < 2:
        raise ActivityDataError("a fan chart needs at least two percentile columns (p2.5, ...)",
                                fix="pass carbonledger.scenario.peak.percentile_bands(...)")
    divisor, unit_en, unit_zh = mass_scale(float(np.nanmax(np.abs(frame.to_numpy()))))
    years = frame.index.to_numpy()
    with font_context():
        fig, ax = plt.subplots(figsize=(10, 5.2), layout="constrained")
        color = "#1f77b4"
        n = len(cols)
        for k in range(n // 2):
            lo, hi = cols[k], cols[n - 1 - k]
            ax.fill_between(years, frame[lo] / divisor, frame[hi] / divisor, color=color,
                            alpha=0.15 + 0.15 * k, lw=0, label=f"{lo[1:]}-{hi[1:]} %")
        if n % 2:
            ax.plot(years, frame[cols[n // 2]] / divisor, color=color, lw=2,
                    label=bilingual(f"median ({cols[n // 2]})", "中位数"))
        if central is not None:
            c = pd.Series(central).sort_index()
            ax.plot(c.index, c.to_numpy() / divisor, color="black", lw=1, ls=":",
                    label=bilingual("central run", "基准运行"))
        _deadline(ax, deadline)
        if p_peak is not None:
            ax.text(0.99, 0.03, f"P(peak <= {deadline}) = {p_peak:.0%}", transform=ax.transAxes,
                    ha="right", va="bottom", fontsize=9,
                    bbox={"boxstyle": "round", "fc": "white", "ec": "#999999"})
        ax.set_xlabel(bilingual("Year", "年份"))
        ax.set_ylabel(bilingual(f"{unit_en} {unit} per year", f"{unit_zh}/年"))
        ax.set_ylim(bottom=0)
        ax.set_title(title or bilingual(f"Monte Carlo percentiles of {unit} emissions",
                                        "蒙特卡洛模拟排放区间"))
        ax.grid(alpha=0.3)
        outside_legend(ax)
    return fig


def scenario_trajectories(data, *, deadline: int = 2030, unit: str = "CO2",
                          title: str | None = None, **kwargs) -> plt.Figure:
    """Emission trajectories of several scenarios with each peak marked and the deadline.

    Parameters
    ----------
    data : DataFrame indexed by year, one column per scenario (values in t); or a sequence of
        ScenarioResults (or a ScenarioComparison), handed to
        :func:`carbonledger.scenario.figures.trajectories` (with ``kwargs``).
    deadline : the year drawn as a dashed line.
    unit : the gas or basis in the axis label.
    title : the figure title.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"baseline": [1e6, 2e6, 1.5e6]}, index=[2029, 2030, 2031])
    >>> fig = scenario_trajectories(frame)
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()
    'baseline (peak 2030)'
    """
    from ..scenario.peak import peak

    if hasattr(data, "results") and not isinstance(data, pd.DataFrame):
        data = data.results
    if not isinstance(data, (pd.DataFrame, Mapping)) and isinstance(data, Sequence):
        from ..scenario.figures import trajectories

        with font_context():
            fig = trajectories(list(data), deadline=deadline, title=title, **kwargs)
        fig.axes[0].xaxis.set_major_locator(_year_ticks())
        return fig
    frame = pd.DataFrame(data).sort_index()
    if frame.empty:
        raise ActivityDataError("no scenario to draw", fix="pass a year x scenario DataFrame")
    divisor, unit_en, unit_zh = mass_scale(float(np.nanmax(np.abs(frame.to_numpy()))))
    colors = plt.get_cmap("tab10").colors
    with font_context():
        fig, ax = plt.subplots(figsize=(10, 5.2), layout="constrained")
        for i, name in enumerate(frame.columns):
            series = frame[name].dropna()
            color, style = colors[i % len(colors)], {"lw": 1.8, "ls": "-"}
            if str(name) == "baseline":
                color, style = "black", {"lw": 2.2, "ls": "--"}
            pk = peak(series)
            label = f"{str(name).replace('_', ' ')} " + (f"(peak {pk.year})" if pk.peaked
                                                          else "(no peak by horizon)")
            ax.plot(series.index, series.to_numpy() / divisor, color=color, label=label, **style)
            ax.plot([pk.year], [pk.value / divisor], "o", color=color, ms=6)
        _deadline(ax, deadline)
        ax.set_xlabel(bilingual("Year", "年份"))
        ax.set_ylabel(bilingual(f"{unit_en} {unit} per year", f"{unit_zh}/年"))
        ax.set_ylim(bottom=min(0.0, float(np.nanmin(frame.to_numpy())) / divisor * 1.1))
        ax.set_title(title or bilingual("Emission trajectories by scenario", "各情景排放路径"))
        ax.grid(alpha=0.3)
        outside_legend(ax, title=bilingual("scenario (dot: peak)", "情景（圆点：峰值）"),
                        title_fontsize=9)
    return fig
