"""Figures of an inventory for reports: gas shares, energy mix, key-category Pareto and the
progress of an indicator to its target (scenario figures are in
:mod:`carbonledger.report.scenario_charts`).

Every function returns a matplotlib Figure (Agg backend, never shown); save it with
:func:`carbonledger.report.figures.save_figure`. Titles and axis labels are English and
Chinese when a CJK font is found (:mod:`carbonledger.report.fonts`), English otherwise.
Emission axes pick t, 10^4 t or Mt by the size of the numbers (:func:`mass_scale`).

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"year": [2020, 2020, 2021, 2021], "gas": ["CO2", "CH4"] * 2,
...                       "co2e_t": [9e6, 1e6, 9.5e6, 1.1e6]})
>>> fig = gas_shares(frame)
>>> fig.axes[1].get_xlabel().startswith("Year")
True
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from ..errors import ActivityDataError  # noqa: E402
from ..summaries import GAS_GROUPS, category_names  # noqa: E402
from .figures import intensity_vs_target  # noqa: E402
from .fonts import bilingual, font_context  # noqa: E402

__all__ = ["reporting_years", "gas_shares", "energy_mix", "key_category_pareto",
           "target_progress", "mass_scale", "outside_legend"]

_GAS_LABELS = {"CO2": ("CO2", "二氧化碳"), "CH4": ("CH4", "甲烷"), "N2O": ("N2O", "氧化亚氮"),
               "F-gases": ("F-gases", "含氟气体")}
_GAS_COLORS = {"CO2": "#4c72b0", "CH4": "#dd8452", "N2O": "#55a868", "F-gases": "#8172b3"}
_FUEL_LABELS = {"coal": ("coal", "煤炭"), "oil": ("oil", "石油"), "gas": ("natural gas", "天然气"),
                "electricity": ("electricity (net)", "电力（净）"),
                "heat": ("heat (net)", "热力（净）"), "renewable": ("renewables", "可再生能源"),
                "biomass": ("biomass", "生物质"), "other": ("other", "其他")}
_FUEL_COLORS = {"coal": "#4d4d4d", "oil": "#b5651d", "gas": "#4c9be8", "electricity": "#f2c12e",
                "heat": "#d9534f", "renewable": "#5cb85c", "biomass": "#8c6d31"}


def mass_scale(max_abs_t: float) -> tuple[float, str, str]:
    """Divisor and unit labels (English, Chinese) for showing tonnes of size ``max_abs_t``.

    Examples
    --------
    >>> mass_scale(3.8e7)
    (1000000.0, 'Mt', '百万吨')
    >>> mass_scale(5.0e4)[1:]
    ('10^4 t', '万吨')
    >>> mass_scale(12.0)[1]
    't'
    """
    if max_abs_t >= 1e6:
        return 1e6, "Mt", "百万吨"
    if max_abs_t >= 1e4:
        return 1e4, "10^4 t", "万吨"
    return 1.0, "t", "吨"


def outside_legend(ax, **kwargs) -> None:
    """A frameless legend to the right of the axes (it never covers the data).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2], label="a")
    >>> outside_legend(ax)
    >>> ax.get_legend() is not None
    True
    >>> plt.close(fig)
    """
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9, **kwargs)


def _gas_group(gases) -> np.ndarray:
    lookup = {gas: ("F-gases" if group not in ("CO2", "CH4", "N2O") else group)
              for group, members in GAS_GROUPS.items() for gas in members}
    return np.array([lookup.get(str(g), "") for g in gases], dtype=object)


def reporting_years(inv) -> list[int]:
    """The years an inventory reports in full: those in which at least half of the IPCC
    sectors present in its fullest year have results. Years that only carry history, such as
    the deposits a first-order-decay landfill model needs, are left out.

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020, 2021, 2021, 2021],
    ...     "sector": ["building_materials", "building_materials", "steel", "agriculture"],
    ...     "activity": ["clinker_production", "clinker_production", "fuel_combustion",
    ...                  "enteric_fermentation"],
    ...     "item": ["clinker", "clinker", "raw_coal", "sheep"], "value": [1.0, 1.0, 1.0, 100.0],
    ...     "unit": ["wan_t", "wan_t", "wan_t", "head"]})
    >>> reporting_years(cl.compute_inventory(rows))  # 2020 has 1 of 3 sectors
    [2021]
    """
    frame = pd.DataFrame({"year": inv.column("year").to_numpy(),
                          "sector": inv.results["ipcc_sector"].astype(object).to_numpy(),
                          "nonzero": inv.results["co2e_t"].to_numpy() != 0})
    counts = frame[frame["nonzero"]].groupby("year")["sector"].nunique()
    if counts.empty:
        return sorted(set(frame["year"].tolist()))
    return [int(y) for y in counts.index[counts >= counts.max() / 2.0]]


def _gas_table(data, years) -> pd.DataFrame:
    """Scope-1 CO2e (t) by year and gas group, LULUCF and biogenic CO2 left out."""
    if hasattr(data, "summary") and hasattr(data, "results"):
        frame = data.summary(by=["year", "ipcc_sector", "gas"], scope=1).reset_index()
        frame = frame[frame["ipcc_sector"].astype(object) != "lulucf"]
        years = reporting_years(data) if years is None else years
    else:
        frame = pd.DataFrame(data).reset_index()
        if "year" not in frame.columns:
            frame["year"] = 0
    missing = {"gas", "co2e_t"} - set(frame.columns)
    if missing:
        raise ActivityDataError(f"gas_shares needs columns gas and co2e_t; {sorted(missing)} "
                                "missing", fix="pass an Inventory or inv.summary(by=['year', "
                                "'gas']).reset_index()")
    if years is not None:
        frame = frame[np.isin(frame["year"], list(years))]
    frame = frame.assign(group=_gas_group(frame["gas"].astype(object)))
    frame = frame[frame["group"] != ""]
    table = frame.pivot_table(index="year", columns="group", values="co2e_t", aggfunc="sum",
                              observed=True).fillna(0.0)
    return table[[g for g in _GAS_LABELS if g in table.columns]]


def gas_shares(data, *, year: int | None = None, years=None,
               title: str | None = None) -> plt.Figure:
    """Shares of the gases in CO2e: a ring for ``year`` (default the latest) and, with several
    years, the non-CO2 gases over the years (stacked bars, CO2e). Scope 1, LULUCF left out
    (removals are not a gas share); HFCs, PFCs, SF6 and NF3 are shown together as F-gases.

    Parameters
    ----------
    data : an Inventory, or a DataFrame with ``gas`` and ``co2e_t`` (and ``year``).
    year : the year of the ring.
    years : the years drawn (default: all of a DataFrame's; an Inventory's
        :func:`reporting_years`).
    title : the figure title.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"year": [2020] * 3, "gas": ["CO2", "CH4", "SF6"],
    ...                       "co2e_t": [9e6, 8e5, 2e5]})
    >>> fig = gas_shares(frame)
    >>> fig.axes[0].get_title().startswith("2020")
    True
    """
    table = _gas_table(data, years)
    if table.empty or not np.isfinite(table.to_numpy()).all():
        raise ActivityDataError("no gas emissions to draw", fix="pass a non-empty inventory")
    table = table[(table.sum(axis=1) > 0)]
    year = int(table.index.max()) if year is None else int(year)
    if year not in table.index:
        raise ActivityDataError(f"no emissions in {year}", rows=[year],
                                fix=f"choose one of {table.index.tolist()}")
    others = table.drop(columns="CO2", errors="ignore")
    several = len(table) > 1 and not others.empty
    with font_context():
        fig, axes = plt.subplots(1, 2 if several else 1, figsize=(13 if several else 7.5, 5.2),
                                 layout="constrained", squeeze=False,
                                 gridspec_kw={"width_ratios": [1, 1.5]} if several else None)
        ax = axes[0, 0]
        row = table.loc[year]
        row = row[row > 0]
        total = float(row.sum())
        divisor, unit_en, _ = mass_scale(total)
        colors = [_GAS_COLORS[g] for g in row.index]
        labels = [f"{bilingual(*_GAS_LABELS[g])}: {v / divisor:,.2f} {unit_en} "
                  f"({v / total:.1%})" for g, v in row.items()]
        wedges, _ = ax.pie(row.to_numpy(), colors=colors, startangle=90, counterclock=False,
                           wedgeprops={"width": 0.42, "edgecolor": "white"})
        for wedge, share in zip(wedges, row.to_numpy() / total, strict=True):
            if share >= 0.04:
                angle = np.deg2rad((wedge.theta1 + wedge.theta2) / 2)
                ax.text(0.79 * np.cos(angle), 0.79 * np.sin(angle), f"{share:.0%}",
                        ha="center", va="center", fontsize=9, color="white", weight="bold")
        ax.text(0, 0, f"{total / divisor:,.2f}\n{unit_en} CO2e", ha="center", va="center",
                fontsize=11)
        ax.set_title(f"{year}: " + bilingual("share of each gas", "各气体占比"), fontsize=11)
        ax.legend(wedges, labels, loc="upper center", bbox_to_anchor=(0.5, 0.02), frameon=False,
                  fontsize=9, ncol=1)
        if several:
            bx = axes[0, 1]
            div2, unit2_en, unit2_zh = mass_scale(float(others.sum(axis=1).max()))
            bottom = np.zeros(len(others))
            years_drawn = others.index.to_numpy()
            for gas in others.columns:
                values = others[gas].to_numpy() / div2
                bx.bar(years_drawn, values, bottom=bottom, color=_GAS_COLORS[gas], width=0.75,
                       label=bilingual(*_GAS_LABELS[gas]))
                bottom += values
            bx.set_xlabel(bilingual("Year", "年份"))
            bx.set_ylabel(bilingual(f"{unit2_en} CO2e", f"{unit2_zh}二氧化碳当量"))
            bx.set_xticks(years_drawn)
            bx.tick_params(axis="x", labelrotation=45 if len(years_drawn) > 12 else 0)
            bx.set_title(bilingual("Non-CO2 gases over the years", "非二氧化碳气体逐年排放"),
                         fontsize=11)
            bx.grid(axis="y", alpha=0.3)
            handles, names = bx.get_legend_handles_labels()
            bx.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                      frameon=False, fontsize=9)
        fig.suptitle(title or bilingual("Emissions by gas (scope 1, excluding LULUCF)",
                                        "分气体排放（范围一，不含土地利用变化和林业）"))
    return fig


def _energy_table(data, method: str) -> tuple[pd.DataFrame, pd.Series | None]:
    column = "tce" if method == "calorific" else "tce_coal_equivalent"
    if method not in ("calorific", "coal_equivalent"):
        raise ValueError("method must be 'calorific' or 'coal_equivalent'")
    total = None
    if hasattr(data, "energy") and hasattr(data, "energy_totals"):
        energy = data.energy
        if len(energy):
            total = data.energy_totals(method=method)["total_tce"]
    else:
        energy = pd.DataFrame(data)
    missing = {"year", "group", column, "sign"} - set(energy.columns)
    if missing:
        raise ActivityDataError(f"energy_mix needs columns year, group, {column}, sign; "
                                f"{sorted(missing)} missing", fix="pass an Inventory or inv.energy")
    frame = pd.DataFrame({"year": energy["year"].to_numpy(),
                          "group": energy["group"].astype(object).fillna("other").to_numpy(),
                          "tce": energy[column].to_numpy() * energy["sign"].to_numpy()})
    table = frame.pivot_table(index="year", columns="group", values="tce", aggfunc="sum")
    table = table.fillna(0.0)
    table = table.loc[:, (table.abs() > 1e-6 * max(table.abs().to_numpy().max(), 1.0)).any()]
    order = table.abs().sum().sort_values(ascending=False).index
    return table[order], total


def energy_mix(data, *, method: str = "calorific", title: str | None = None) -> plt.Figure:
    """Total energy consumption by fuel group over the years (stacked bars, 10^4 tce), with the
    total line and each group's share of the latest year in the legend.

    Groups come from the item catalogue (coal, oil, gas, electricity, heat, ...); electricity
    and heat are net of local generation (imports), as in the energy balance, so they can be
    negative for an exporting region (drawn below zero).

    Parameters
    ----------
    data : an Inventory, or its ``energy`` table (``year, group, tce, tce_coal_equivalent,
        sign``).
    method : ``"calorific"`` (electricity at 0.1229 kgce/kWh) or ``"coal_equivalent"``.
    title : the figure title.

    Examples
    --------
    >>> import pandas as pd
    >>> energy = pd.DataFrame({"year": [2020, 2020, 2021], "group": ["coal", "gas", "coal"],
    ...                        "tce": [9e5, 1e5, 8e5], "sign": [1.0, 1.0, 1.0]})
    >>> fig = energy_mix(energy)
    >>> "10^4 tce" in fig.axes[0].get_ylabel()
    True
    """
    table, total = _energy_table(data, method)
    if table.empty:
        raise ActivityDataError("no energy rows to draw", fix="pass an inventory with energy use")
    wan = table / 1e4
    years = wan.index.to_numpy()
    latest = wan.iloc[-1]
    latest_total = float(latest.sum())
    with font_context():
        fig, ax = plt.subplots(figsize=(10, 5.2), layout="constrained")
        positive, negative = np.zeros(len(years)), np.zeros(len(years))
        for position, group in enumerate(wan.columns):
            values = wan[group].to_numpy()
            base = np.where(values >= 0, positive, negative)
            en, zh = _FUEL_LABELS.get(group, (str(group), ""))
            name = bilingual(en, zh) if zh else en
            share = latest[group] / latest_total if latest_total else np.nan
            ax.bar(years, values, bottom=base, width=0.75,
                   color=_FUEL_COLORS.get(group, plt.get_cmap("tab10").colors[position % 10]),
                   label=f"{name} ({share:.1%} in {years[-1]})")
            positive += np.where(values >= 0, values, 0.0)
            negative += np.where(values < 0, values, 0.0)
        line = (total.reindex(wan.index) / 1e4).to_numpy() if total is not None else \
            wan.sum(axis=1).to_numpy()
        ax.plot(years, line, color="black", marker="o", lw=1.5,
                label=bilingual("total", "能源消费总量"))
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xticks(years)
        ax.tick_params(axis="x", labelrotation=45 if len(years) > 12 else 0)
        ax.set_xlabel(bilingual("Year", "年份"))
        basis = "calorific" if method == "calorific" else "coal-equivalent"
        ax.set_ylabel(bilingual(f"Energy consumption (10^4 tce, {basis})", "能源消费量（万吨标准煤）"))
        ax.set_title(title or bilingual("Energy mix by fuel group", "分品种能源消费结构"))
        ax.grid(axis="y", alpha=0.3)
        handles, names = ax.get_legend_handles_labels()
        line = [i for i, h in enumerate(handles) if isinstance(h, Line2D)]
        order = line + [i for i in range(len(handles) - 1, -1, -1) if i not in line]
        ax.legend([handles[i] for i in order], [names[i] for i in order], loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    return fig


def key_category_pareto(table: pd.DataFrame, *, top: int = 15,
                        title: str | None = None) -> plt.Figure:
    """Pareto chart of a key-category level assessment: each category's share of the summed
    absolute emissions (bars, key categories dark), the cumulative share written at each bar,
    and the line where the key categories end.

    Parameters
    ----------
    table : the ranked DataFrame of :func:`carbonledger.quality.key_categories` (index
        ``category, gas``; columns ``level_share``, ``level_cumulative``, ``level_key``).
    top : the number of categories drawn (the rest are summarised in the subtitle).
    title : the figure title.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"level_share": [0.7, 0.26, 0.04], "level_cumulative": [0.7, 0.96, 1],
    ...     "level_key": [True, True, False]}, index=pd.MultiIndex.from_tuples(
    ...     [("1.A.1", "CO2"), ("2.A.1", "CO2"), ("3.A.1", "CH4")], names=["category", "gas"]))
    >>> fig = key_category_pareto(t)
    >>> "%" in fig.axes[0].get_xlabel()
    True
    """
    needed = {"level_share", "level_cumulative", "level_key"}
    if not needed <= set(table.columns):
        raise ActivityDataError(f"key_category_pareto needs columns {sorted(needed)}",
                                fix="pass the table of carbonledger.quality.key_categories")
    ranked = table.sort_values("level_share", ascending=False)
    shown = ranked.head(top)
    codes = [idx[0] if isinstance(idx, tuple) else idx for idx in shown.index]
    gases = [idx[1] if isinstance(idx, tuple) and len(idx) > 1 else "" for idx in shown.index]
    names = category_names(codes)["name"].tolist()
    labels = [f"{c} {g}  {n[:38] + '…' if len(n) > 39 else n}".replace("  ", " ", 1)
              if g else f"{c}  {n[:38]}" for c, g, n in zip(codes, gases, names, strict=True)]
    share = shown["level_share"].to_numpy() * 100
    cumulative = shown["level_cumulative"].to_numpy() * 100
    key = shown["level_key"].to_numpy(dtype=bool)
    n_key = int(ranked["level_key"].sum())
    approach2 = "uncertainty_pct" in table.columns
    threshold = 90 if approach2 else 95
    with font_context():
        height = max(3.5, 0.36 * len(shown) + 1.6)
        fig, ax = plt.subplots(figsize=(10.5, height), layout="constrained")
        y = np.arange(len(shown))[::-1]
        ax.barh(y, share, color=np.where(key, "#c44e52", "#b0b0b0"), height=0.7)
        for yy, s, c in zip(y, share, cumulative, strict=True):
            ax.text(s, yy, f"  {s:.1f} % (cum. {c:.1f} %)", va="center", fontsize=8)
        ax.set_yticks(y)
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_ylabel(bilingual("IPCC category and gas", "类别与气体"))
        if 0 < n_key < len(shown):
            ax.axhline(y[n_key - 1] - 0.5, color="#444444", ls="--", lw=1)
            ax.text(ax.get_xlim()[1] if share.size else 1, y[n_key - 1] - 0.5,
                    f"{threshold} % cumulative threshold ", ha="right", va="bottom", fontsize=8,
                    color="#444444")
        ax.set_xlim(0, max(share.max() * 1.45, 1.0))
        ax.set_xlabel(bilingual("Share of the level assessment (%, absolute emissions)",
                                "水平评估占比（%，排放绝对值）"))
        handles = [plt.Rectangle((0, 0), 1, 1, color="#c44e52"),
                   plt.Rectangle((0, 0), 1, 1, color="#b0b0b0")]
        ax.legend(handles, [bilingual("key category", "关键类别"),
                            bilingual("not key", "非关键类别")], loc="lower right", fontsize=9,
                  frameon=True, framealpha=0.9)
        more = len(ranked) - len(shown)
        sub = f"{n_key} of {len(ranked)} categories key by level" + (f"; {more} smaller not shown"
                                                             if more > 0 else "")
        ax.set_title((title or bilingual(f"Key categories, level assessment "
                                         f"(Approach {2 if approach2 else 1})",
                                         "关键类别（水平评估）")) + f"\n{sub}", fontsize=11)
        ax.grid(axis="x", alpha=0.3)
    return fig


def _track_series(track) -> pd.Series:
    """The indicator series from base year to latest year, rebuilt from the track's growth."""
    values = {track.base_year: track.base_value}
    for year, growth in track.annual_growth:
        if year - 1 in values:
            values[year] = values[year - 1] * (1.0 + growth)
    values[track.latest_year] = track.latest_value
    return pd.Series(values).sort_index()


def target_progress(track, *, title: str | None = None) -> plt.Figure:
    """An indicator's data against the straight-rate path to its target (a
    :class:`carbonledger.indicators.TargetTrack`), with the trend projections to the target
    year when the data stop before it.

    Examples
    --------
    >>> from carbonledger.indicators import track_target
    >>> tr = track_target({2020: 0.8, 2021: 0.79, 2022: 0.77}, base_year=2020, target_year=2025,
    ...                   target_change=-0.125, name="energy intensity", unit="tce/10^4 yuan")
    >>> fig = target_progress(tr)
    >>> fig.axes[0].get_ylabel()
    'tce/10^4 yuan'
    """
    series = _track_series(track)
    with font_context():
        fig = intensity_vs_target(series, base_year=track.base_year,
                                  target_year=track.target_year,
                                  target_change=track.target_change, unit=track.unit or "value",
                                  title=title or f"{track.indicator}: " + bilingual(
                                      f"progress to the {track.target_year} target",
                                      "目标进度"))
        ax = fig.axes[0]
        fig.set_size_inches(10.5, 4.8)
        ax.annotate(f"target {track.target_value:.4g}", xy=(track.target_year, track.target_value),
                    xytext=(-8, -6), textcoords="offset points", ha="right", va="top", fontsize=9,
                    color="#d62728")
        for value, marker, label in ((track.linear_projection, "^", "linear trend"),
                                     (track.log_linear_projection, "v", "log-linear trend")):
            if np.isfinite(value):
                ax.scatter([track.target_year], [value], marker=marker, color="#7f7f7f",
                           zorder=3, label=f"{label} to {track.target_year}")
        verdict = ("met" if track.met else "missed") if track.met is not None else (
            "on track" if track.on_track else "behind the path")
        ax.text(0.01, 0.03, f"{track.latest_year}: {track.change_to_date:+.1%} vs "
                f"{track.base_year} ({verdict})", transform=ax.transAxes, fontsize=9,
                bbox={"boxstyle": "round", "fc": "white", "ec": "#999999"})
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
        ax.set_xticks(np.arange(int(series.index.min()), track.target_year + 1))
        ax.set_xlabel(bilingual("Year", "年份"))
    return fig
