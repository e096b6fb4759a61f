"""A single self-contained HTML report of an inventory, its indicators against targets and the
scenarios with their peak analysis (``carbonledger report``).

Everything is in the one file: styles inline, figures as base64 PNG, no script, no external
resource; every piece of text from data is escaped (:func:`html.escape`). Sections:

1. key numbers of the latest reporting year;
2. the inventory: the provincial summary (sector x gas), emissions by sector, gas shares, the
   energy mix and energy totals, methane by source, sinks, key categories (table and Pareto);
3. indicators (a table by year) and targets (:class:`carbonledger.indicators.TargetTrack`: where
   each stands, in words and as a figure);
4. scenarios: the comparison table (peak year, 2030 emissions, ``P(peak <= 2030)``, plateau),
   trajectories, fan charts and LMDI waterfalls;
5. the factor sources used and the manifest.

Examples
--------
>>> import pandas as pd, tempfile, pathlib, carbonledger as cl
>>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"], "activity": ["fuel_combustion"],
...                      "item": ["raw_coal"], "value": [1.0], "unit": ["wan_t"]})
>>> path = write_html_report(pathlib.Path(tempfile.mkdtemp()) / "report.html",
...                          inventory=cl.compute_inventory(rows))
>>> text = path.read_text(encoding="utf-8")
>>> text.startswith("<!DOCTYPE html>"), "<script" in text
(True, False)
"""

from __future__ import annotations

import base64
import html
import io
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..errors import CarbonLedgerError, DataQualityWarning  # noqa: E402
from ..output import atomic_write  # noqa: E402
from ..summaries import category_names  # noqa: E402
from . import charts, scenario_charts  # noqa: E402
from .figures import emissions_by_sector  # noqa: E402

__all__ = ["write_html_report", "render_html_report", "html_table"]

_CSS = """
body{font-family:"DejaVu Sans","Noto Sans CJK SC","WenQuanYi Zen Hei","Microsoft YaHei",
"PingFang SC",Arial,sans-serif;margin:0;color:#222;background:#f6f7f9;line-height:1.45}
main{max-width:1180px;margin:0 auto;padding:24px 28px 48px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:2px solid #4c72b0;
padding-bottom:4px;margin-top:36px}h3{font-size:16px;margin:22px 0 8px}
.sub{color:#555;margin:0 0 18px}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{flex:1 1 180px;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;
background:#fafbfc}.card .v{font-size:22px;font-weight:bold}.card .l{color:#555;font-size:13px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #d0d7de;padding:4px 8px}th{background:#e8eef7;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:nth-child(even) td{background:#f7f9fc}tr.total td{font-weight:bold}
figure{margin:12px 0 22px}figure img{max-width:100%;height:auto;border:1px solid #e1e4e8}
figcaption{color:#555;font-size:13px}.note{background:#fff8e1;border-left:4px solid #f0b400;
padding:6px 10px;font-size:13px}.ok{color:#1a7f37;font-weight:bold}
.bad{color:#c62828;font-weight:bold}.small{font-size:12px;color:#555}
.wide{overflow-x:auto}
"""


def _esc(value) -> str:
    return html.escape(str(value), quote=True)


def _num(value, digits: int | None = None) -> str:
    """A number as text: thousands separators, sensible decimals; '–' for missing."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value)}" if 1800 <= int(value) <= 2200 else f"{int(value):,}"
    if not isinstance(value, (float, np.floating)):
        return str(value)
    v = float(value)
    if digits is not None:
        return f"{v:,.{digits}f}"
    if v == 0:
        return "0"
    a = abs(v)
    return f"{v:,.0f}" if a >= 1000 else f"{v:,.2f}" if a >= 1 else f"{v:.4g}"


def html_table(frame: pd.DataFrame, *, index: bool = True, formats: Mapping | None = None,
               total_rows: Callable[[object], bool] | None = None) -> str:
    """An escaped HTML table of ``frame``; numbers right-aligned with thousands separators.

    ``formats`` maps a column to a number of decimals or a callable (value -> text);
    ``total_rows`` says which index labels are printed bold.

    Examples
    --------
    >>> import pandas as pd
    >>> page = html_table(pd.DataFrame({"a<b": [1234.25]}, index=["<x>"]))
    >>> "<th>a&lt;b</th>" in page, "<th>&lt;x&gt;</th>" in page, '<td class="n">1,234</td>' in page
    (True, True, True)
    """
    formats = dict(formats or {})
    names = [str(n) if n is not None else "" for n in frame.index.names] if index else []
    head = "".join(f"<th>{_esc(n)}</th>" for n in names) if index else ""
    if index and len(names) == 1:
        head = f"<th>{_esc(names[0])}</th>"
    head += "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    body = []
    columns = list(frame.columns)
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        cells = []
        if index:
            labels = label if isinstance(label, tuple) else (label,)
            cells += [f"<th>{_esc(_num(x) if isinstance(x, (int, np.integer)) else x)}</th>"
                      for x in labels]
        for column, value in zip(columns, row, strict=True):
            fmt = formats.get(column, _year if "year" in str(column).lower() else None)
            numeric = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
                value, (bool, np.bool_))
            text = fmt(value) if callable(fmt) else _num(value, fmt) if numeric else (
                "–" if value is None or (isinstance(value, float) and np.isnan(value))
                else _num(value))
            cells.append(f'<td class="n">{_esc(text)}</td>' if numeric
                         else f"<td>{_esc(text)}</td>")
        cls = ' class="total"' if total_rows is not None and total_rows(label) else ""
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return (f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _year(value) -> str:
    return "–" if not np.isfinite(value) else f"{value:.0f}"


def _figure(fig, caption: str) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_esc(caption)}">'
            f"<figcaption>{_esc(caption)}</figcaption></figure>")


def _safely(what: str, build: Callable[[], str]) -> str:
    """A section part, or a visible note (and a DataQualityWarning) when the data cannot give
    it; programming errors still raise."""
    try:
        return build()
    except (CarbonLedgerError, ValueError, KeyError) as exc:
        warnings.warn(f"report: {what} left out: {exc}", DataQualityWarning, stacklevel=3)
        return f'<p class="note">{_esc(what)} could not be produced: {_esc(exc)}</p>'


def _pct(value) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value * 100:+.2f} %"


def _rate(value) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value * 100:+.2f} %/yr"


# ---- inventory ---------------------------------------------------------------------------------
def _cards(inv, year: int, first: int) -> str:
    totals = inv.totals()
    summary = inv.provincial_summary(year=[first, year], unit="wan_t")
    total_in = summary.xs("Total including LULUCF 总量（含LULUCF）", level="row")["total_co2e"]
    total_ex = summary.xs("Total excluding LULUCF 总量（不含LULUCF）", level="row")["total_co2e"]
    items = [(f"{_num(float(total_ex.loc[year]), 1)}", "10^4 t CO2e excluding LULUCF 不含LULUCF"),
             (f"{_num(float(total_in.loc[year]), 1)}", "10^4 t CO2e including LULUCF 含LULUCF"),
             (f"{_num(float(totals.loc[year, 'scope2_co2e_t']) / 1e4, 1)}",
              "10^4 t CO2e scope 2 (memo) 调入电力热力间接排放")]
    if first != year and total_ex.loc[first]:
        change = float(total_ex.loc[year] / total_ex.loc[first] - 1)
        items.append((_pct(change), f"change {first}-{year} excl. LULUCF 排放变化"))
    if len(inv.energy):
        energy = inv.energy_totals()
        if year in energy.index:
            items.append((_num(float(energy.loc[year, "total_tce"]) / 1e4, 1),
                          "10^4 tce energy consumption 能源消费总量"))
            items.append((f"{energy.loc[year, 'coal_share']:.1%}", "coal share 煤炭占比"))
    cards = "".join(f'<div class="card"><div class="v">{_esc(v)}</div>'
                    f'<div class="l">{_esc(label)}</div></div>' for v, label in items)
    return f'<h3>{year} at a glance 年度概览</h3><div class="cards">{cards}</div>'


def _summary_table(inv, year: int) -> str:
    table = inv.provincial_summary(year=year, unit="wan_t").loc[year]
    out = pd.DataFrame({
        "CO2 (10^4 t)": table["CO2"], "CH4 (10^4 t)": table["CH4"], "N2O (10^4 t)": table["N2O"],
        "F-gases (10^4 t CO2e)": table[["HFCs_co2e", "PFCs_co2e", "SF6_co2e", "NF3_co2e"]].sum(
            axis=1),
        f"Total (10^4 t CO2e, {inv.gwp})": table["total_co2e"]})
    out.index.name = f"{year} 部门"
    digits = dict.fromkeys(out.columns, 2)
    return html_table(out, formats=digits, total_rows=lambda r: str(r).startswith("Total"))


def _energy_table(inv, years) -> str:
    energy = inv.energy_totals()
    energy = energy[energy.index.isin(years)]
    out = pd.DataFrame({
        "total (10^4 tce) 能源消费总量": energy["total_tce"] / 1e4,
        "under control (10^4 tce) 纳入控制": energy["total_under_control_tce"] / 1e4,
        "coal share 煤炭占比": energy["coal_share"],
        "non-fossil share 非化石占比": energy["non_fossil_share"]})
    share = lambda v: "–" if not np.isfinite(v) else f"{v:.1%}"  # noqa: E731
    return html_table(out, formats={out.columns[0]: 1, out.columns[1]: 1, out.columns[2]: share,
                                    out.columns[3]: share})


def _methane_table(inv, year: int) -> str:
    methane = inv.methane(year=year)
    if methane.empty:
        return "<p>No methane sources in this year. 本年度无甲烷排放源。</p>"
    m = methane.droplevel("year").reset_index()
    out = pd.DataFrame({"sector": m["ipcc_sector"].to_numpy(), "t CH4": m["ch4_t"].to_numpy(),
                        "10^4 t CO2e": m["co2e_t"].to_numpy() / 1e4,
                        "share": m["share"].to_numpy()}, index=pd.Index(m["source"], name="source"))
    return html_table(out, formats={"t CH4": 1, "10^4 t CO2e": 2,
                                    "share": lambda v: f"{v:.1%}"})


def _sinks_table(inv, year: int) -> str:
    sinks = inv.sinks(year=year)
    if sinks.empty:
        return "<p>No land-use rows in this year. 本年度无土地利用数据。</p>"
    s = sinks.droplevel("year")
    out = pd.DataFrame({"name": s["name"], "emissions (t CO2e)": s["emissions_t_co2e"],
                        "removals (t CO2e)": s["removals_t_co2e"], "net (t CO2e)": s["net_t_co2e"]})
    return html_table(out, formats=dict.fromkeys(out.columns[1:], 0),
                      total_rows=lambda r: "total" in str(r))


def _key_categories(inv, year: int, base_year: int | None) -> str:
    from ..quality import key_categories

    table = key_categories(inv, year=year, base_year=base_year)
    top = table.head(15)
    codes = [i[0] if isinstance(i, tuple) else i for i in top.index]
    out = pd.DataFrame({
        "name": category_names(codes)["name"].to_numpy(),
        "10^4 t CO2e": top["co2e_t"].to_numpy() / 1e4,
        "level share": top["level_share"].to_numpy(),
        "cumulative": top["level_cumulative"].to_numpy(),
        "key (criteria)": [c if k else "" for k, c in zip(top["key"], top["criteria"],
                                                          strict=True)]}, index=top.index)
    share = lambda v: f"{v:.1%}"  # noqa: E731
    trend = f" and trend {base_year}-{year}" if base_year is not None else ""
    return (f"<p>Approach 1 (IPCC 2006 Vol.1 Ch.4): level {year}{_esc(trend)}; "
            f"{int(table['key'].sum())} of {len(table)} categories are key. 关键类别分析。</p>"
            + html_table(out, formats={"10^4 t CO2e": 2, "level share": share,
                                       "cumulative": share})
            + _figure(charts.key_category_pareto(table), "Key-category Pareto 关键类别帕累托图"))


def _inventory_section(inv, year: int, years: list[int], base_year: int | None) -> str:
    first = years[0]
    parts = ['<h2>1. Greenhouse-gas inventory 温室气体清单</h2>',
             _safely("key numbers", lambda: _cards(inv, year, first)),
             f"<h3>Summary {year}, IPCC sector x gas 汇总表（分部门、分气体）</h3>",
             _safely("summary table", lambda: _summary_table(inv, year))]
    by_sector = inv.summary(by=["year", "sector"]).reset_index()
    by_sector = by_sector[by_sector["year"].isin(years)]
    parts.append(_safely("emissions by sector", lambda: _figure(
        emissions_by_sector(by_sector, title=f"Emissions by sector {first}-{year} (all gases, "
                            f"scope 1 + net scope 2, {inv.gwp})"),
        "Emissions by sector 分行业排放")))
    parts.append(_safely("gas shares", lambda: _figure(
        charts.gas_shares(inv, year=year, years=years), "Emissions by gas 分气体排放")))
    if len(inv.energy):
        parts += ["<h3>Energy 能源消费</h3>",
                  _safely("energy mix", lambda: _figure(charts.energy_mix(inv),
                                                        "Energy mix 能源消费结构")),
                  _safely("energy totals", lambda: _energy_table(inv, years))]
    parts += [f"<h3>Methane by source {year} 甲烷排放源</h3>",
              _safely("methane table", lambda: _methane_table(inv, year)),
              f"<h3>Carbon sinks (LULUCF) {year} 碳汇</h3>",
              _safely("sink table", lambda: _sinks_table(inv, year)),
              "<h3>Key categories 关键类别</h3>",
              _safely("key categories", lambda: _key_categories(inv, year, base_year))]
    return "".join(parts)


# ---- indicators and targets ---------------------------------------------------------------------
def _tracks(targets) -> list:
    if targets is None:
        return []
    if isinstance(targets, Mapping):
        return list(targets.values())
    if hasattr(targets, "indicator") and hasattr(targets, "target_year"):
        return [targets]
    return list(targets)


def _status(track) -> str:
    if track.met is not None:
        return '<span class="ok">met 已完成</span>' if track.met else \
            '<span class="bad">missed 未完成</span>'
    return '<span class="ok">on track 进度正常</span>' if track.on_track else \
        '<span class="bad">behind 进度滞后</span>'


def _indicator_section(indicators_table, targets) -> str:
    tracks = _tracks(targets)
    if indicators_table is None and not tracks:
        return ""
    parts = ["<h2>2. Indicators and targets 指标与目标</h2>"]
    if indicators_table is not None:
        frame = pd.DataFrame(indicators_table)
        if frame.shape[1] > 6 and frame.shape[0] <= 30:  # many indicators: one row each
            frame = frame.T
            frame.index.name = "indicator"
            frame.columns = [str(c) for c in frame.columns]
        parts += ['<h3>Indicators 指标</h3><div class="wide">', html_table(frame), "</div>"]
    if tracks:
        head = ("<tr><th>indicator</th><th>unit</th><th>base</th><th>target</th><th>latest</th>"
                "<th>change to date</th><th>required rate</th><th>status</th></tr>")
        rows = []
        for t in tracks:
            target = (f"{t.target_year}: {_num(t.target_value)} ({_pct(t.target_change)})"
                      if t.kind != "cap" else f"{t.target_year}: cap {_pct(t.annual_cap)}/yr")
            rows.append(
                f"<tr><td>{_esc(t.indicator)}</td><td>{_esc(t.unit or '')}</td>"
                f'<td class="n">{t.base_year}: {_esc(_num(t.base_value))}</td>'
                f'<td class="n">{_esc(target)}</td>'
                f'<td class="n">{t.latest_year}: {_esc(_num(t.latest_value))}</td>'
                f'<td class="n">{_esc(_pct(t.change_to_date))}</td>'
                f'<td class="n">{_esc(_rate(t.required_rate))}</td><td>{_status(t)}</td></tr>')
        parts.append(f"<h3>Targets 目标进展</h3><table><thead>{head}</thead><tbody>"
                     f"{''.join(rows)}</tbody></table>")
        for t in tracks:
            parts.append(f"<p>{_esc(str(t))}</p>")
            parts.append(_safely(f"figure of {t.indicator}", lambda t=t: _figure(
                charts.target_progress(t), f"{t.indicator}: progress to the target")))
    return "".join(parts)


# ---- scenarios ----------------------------------------------------------------------------------
def _scenario_inputs(scenarios) -> tuple[pd.DataFrame | None, list, pd.DataFrame | None, dict]:
    """(comparison table, ScenarioResults, trajectories year x scenario, bands by name)."""
    if isinstance(scenarios, pd.DataFrame):
        return None, [], scenarios, {}
    if isinstance(scenarios, Mapping):
        bands = scenarios.get("bands") or {}
        if isinstance(bands, pd.DataFrame):
            bands = {"scenario": bands}
        return scenarios.get("table"), [], scenarios.get("trajectories"), dict(bands)
    if hasattr(scenarios, "table") and hasattr(scenarios, "results"):
        return scenarios.table, list(scenarios.results), None, {}
    results = list(scenarios)
    from ..scenario import compare_scenarios

    return compare_scenarios(results).table, results, None, {}


def _peak_table(trajectories: pd.DataFrame, deadline: int) -> pd.DataFrame:
    from ..scenario.peak import peak

    rows = []
    for name in trajectories.columns:
        series = trajectories[name].dropna()
        pk = peak(series)
        rows.append({"scenario": name, "peak_year": pk.year, "peaked": pk.peaked,
                     "peak_mt": pk.value / 1e6,
                     f"value_{deadline}_mt": float(series.get(deadline, np.nan)) / 1e6})
    return pd.DataFrame(rows).set_index("scenario")


def _scenario_section(scenarios, deadline: int) -> str:
    if scenarios is None:
        return ""
    table, results, trajectories, bands = _scenario_inputs(scenarios)
    if table is None and trajectories is not None:
        table = _peak_table(trajectories, deadline)
    parts = ["<h2>3. Scenarios and the peak 情景与达峰分析</h2>"]
    if table is not None:
        shown = table.set_index("scenario") if "scenario" in table.columns else table
        shares = {c: (lambda v: "–" if not np.isfinite(v) else f"{v:.0%}")
                  for c in shown.columns if str(c).startswith(("p_peak", "p_plateau"))}
        parts += [f"<p>Peak year, emissions in {deadline}, probability of peaking by {deadline} "
                  "and the plateau test of each scenario. 各情景峰值年份、峰值和达峰概率。</p>",
                  '<div class="wide">', html_table(shown, formats=shares), "</div>"]
    if results:
        parts.append(_safely("trajectories", lambda: _figure(
            scenario_charts.scenario_trajectories(results, deadline=deadline),
            "Scenario trajectories 情景排放路径")))
        for res in [r for r in results if r.draws][:6]:
            parts.append(_safely(f"fan chart of {res.name}", lambda res=res: _figure(
                scenario_charts.fan_chart(res, deadline=deadline),
                f"{res.name}: Monte Carlo fan chart 蒙特卡洛区间")))
        parts.append(_safely("LMDI decomposition", lambda: _waterfalls(results, deadline)))
    elif trajectories is not None:
        parts.append(_safely("trajectories", lambda: _figure(
            scenario_charts.scenario_trajectories(trajectories, deadline=deadline),
            "Scenario trajectories 情景排放路径")))
    for name, band in list(bands.items())[:6]:
        parts.append(_safely(f"fan chart of {name}", lambda name=name, band=band: _figure(
            scenario_charts.fan_chart(band, deadline=deadline,
                                      title=f"{name}: Monte Carlo percentiles"),
            f"{name}: Monte Carlo fan chart")))
    return "".join(parts)


def _waterfalls(results: Sequence, deadline: int) -> str:
    from ..scenario.explain import decompose

    baseline = next((r for r in results if r.name == "baseline"), None)
    out = []
    for res in [r for r in results if r is not baseline][:6]:
        year = min(deadline, int(res.years[-1]))
        effects = (decompose(res, against=baseline, year=year) if baseline is not None
                   else decompose(res, year0=int(res.years[0]), yearT=year))
        out.append(_figure(scenario_charts.lmdi_waterfall(effects),
                           f"{res.name}: what changes the emissions (LMDI) 排放变化分解"))
    return "".join(out)


# ---- sources and the page ----------------------------------------------------------------------
def _sources_section(inv) -> str:
    manifest = inv.manifest()
    used = {(f["source"], f["table"]) for f in manifest["factor_files"]}
    sources = inv.factors.sources
    mask = [(s, t) in used for s, t in zip(sources["source"], sources["table"], strict=True)]
    shown = sources.loc[mask, ["source", "table", "title", "publisher", "year", "document",
                               "tag"]].set_index(["source", "table"])
    facts = pd.DataFrame({"value": [manifest["version"], manifest["gwp"],
                                    ", ".join(manifest["source_preference"]),
                                    manifest["input_rows"], manifest["accounted_rows"],
                                    manifest["rejected_rows"], len(manifest["fallbacks"])]},
                         index=pd.Index(["carbonledger version", "GWP set", "source preference",
                                         "input rows", "accounted rows", "rejected rows",
                                         "factor fallbacks"], name="manifest"))
    return ("<h2>Sources and manifest 数据来源与元数据</h2>"
            f"<p>{len(shown)} factor tables were used. 本报告使用的排放因子来源。</p>"
            f'<div class="wide">{html_table(shown)}</div>{html_table(facts)}')


def render_html_report(*, inventory, indicators_table=None, targets=None, scenarios=None,
                       title: str = "Carbon and energy report 碳排放与能源报告",
                       year: int | None = None, base_year: int | None = None,
                       deadline: int = 2030) -> str:
    """The report as an HTML string (see :func:`write_html_report`).

    Examples
    --------
    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "sector": ["<b>steel</b>"],
    ...     "activity": ["fuel_combustion"], "item": ["raw_coal"], "value": [1.0],
    ...     "unit": ["wan_t"], "sector_group": ["manufacturing_construction"],
    ...     "category": ["1.A.2.a"]})
    >>> page = render_html_report(inventory=cl.compute_inventory(rows), title="<x>")
    >>> "<title>&lt;x&gt;</title>" in page
    True
    """
    inv = inventory
    years = charts.reporting_years(inv)
    if not years:
        raise CarbonLedgerError("the inventory has no results to report",
                                fix="account some activity rows first")
    year = int(year) if year is not None else years[-1]
    if base_year is None and years[0] != year:
        base_year = years[0]
    manifest = inv.manifest()
    subtitle = (f"carbonledger {manifest['version']}, GWP {inv.gwp}; reporting years "
                f"{years[0]}-{years[-1]}; {manifest['accounted_rows']:,} activity rows accounted, "
                f"{manifest['rejected_rows']:,} rejected")
    body = [f"<h1>{_esc(title)}</h1>", f'<p class="sub">{_esc(subtitle)}</p>',
            _inventory_section(inv, year, years, base_year),
            _indicator_section(indicators_table, targets),
            _scenario_section(scenarios, deadline),
            _sources_section(inv)]
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_esc(title)}</title><style>{_CSS}</style></head>"
            f"<body><main>{''.join(body)}</main></body></html>\n")


def write_html_report(path, *, inventory, indicators_table=None, targets=None, scenarios=None,
                      title: str = "Carbon and energy report 碳排放与能源报告",
                      year: int | None = None, base_year: int | None = None,
                      deadline: int = 2030) -> Path:
    """Write the self-contained HTML report atomically to ``path``.

    Parameters
    ----------
    path : the ``.html`` file to write.
    inventory : an :class:`carbonledger.Inventory`.
    indicators_table : optional DataFrame of indicators by year (e.g.
        :func:`carbonledger.demo.city_indicators`).
    targets : optional TargetTrack, sequence of them, or mapping name -> TargetTrack.
    scenarios : optional ScenarioComparison, sequence of ScenarioResults, DataFrame of
        trajectories (year x scenario, t), or a mapping with ``table`` (comparison DataFrame),
        ``trajectories`` and ``bands`` (name -> percentile-band DataFrame).
    title : the page title.
    year : the year the tables show (default the latest reporting year, see
        :func:`carbonledger.report.charts.reporting_years`).
    base_year : the key-category trend base (default the first reporting year).
    deadline : the peak deadline drawn and tabulated (2030).

    Returns
    -------
    Path of the written file.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2021, 2022], "sector": ["steel"] * 2,
    ...     "activity": ["fuel_combustion"] * 2, "item": ["raw_coal"] * 2,
    ...     "value": [1.0, 1.1], "unit": ["wan_t"] * 2})
    >>> out = write_html_report(pathlib.Path(tempfile.mkdtemp()) / "r.html",
    ...     inventory=cl.compute_inventory(rows),
    ...     scenarios=pd.DataFrame({"baseline": [2e6, 3e6, 2.5e6]}, index=[2029, 2030, 2031]))
    >>> "peak_year" in out.read_text(encoding="utf-8")
    True
    """
    page = render_html_report(inventory=inventory, indicators_table=indicators_table,
                              targets=targets, scenarios=scenarios, title=title, year=year,
                              base_year=base_year, deadline=deadline)
    return atomic_write(path, lambda p: p.write_text(page, encoding="utf-8"))
