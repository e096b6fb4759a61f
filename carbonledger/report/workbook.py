"""The inventory workbook in the provincial guideline's layout (Excel, written with openpyxl).

Sheets, each with a title row, an English and a Chinese header row (frozen) and number
formats a person would use:

* ``Summary 汇总``: IPCC sector x gas (:meth:`Inventory.provincial_summary`) for every year,
  totals with and without LULUCF, scope-2 and biogenic-CO2 memo rows, and the total in 10^4 t;
* ``Totals 逐年总量``: scope 1, scope 2, each gas and the energy totals by year;
* one sheet per IPCC sector (energy, IPPU, agriculture, LULUCF, waste): every activity row with
  its activity data, the factor that produced it (value, unit, source id), the implied factor
  and the emissions of each gas and in CO2e; below it, every factor the sector used with its
  source, range and note;
* ``Sources 数据来源``: the factor files with their provenance, marked when used;
* ``Manifest 元数据``: version, GWP set, factor files and hashes, row counts;
* ``Rejected 未核算行`` when rows were rejected.

No cell from user text can start a formula (:func:`carbonledger.output.sanitize_cells`), the
file is written atomically, and a sector with more rows than Excel holds is summarised by year,
sector, activity, item, category, gas and factor (the row-level table is in ``to_csv``).

Examples
--------
>>> import pandas as pd, tempfile, pathlib, openpyxl, carbonledger as cl
>>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"], "activity": ["fuel_combustion"],
...                      "item": ["raw_coal"], "value": [1.0], "unit": ["wan_t"]})
>>> path = pathlib.Path(tempfile.mkdtemp()) / "inventory.xlsx"
>>> _ = write_workbook(cl.compute_inventory(rows), path)
>>> openpyxl.load_workbook(path).sheetnames[:3]
['Summary 汇总', 'Totals 逐年总量', 'Energy 能源活动']
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..output import atomic_write, sanitize_cells
from ..summaries import SECTOR_LABELS, category_names
from ..units import unit_scale

__all__ = ["write_workbook", "SHEETS", "EXCEL_MAX_ROWS", "UNIT_LABELS"]

#: Excel's last row; tables are kept below ``max_rows`` data rows.
EXCEL_MAX_ROWS = 1_048_576
#: Sheet name of each IPCC sector (31 characters at most, as Excel requires).
SHEETS = {"energy": "Energy 能源活动", "ippu": "IPPU 工业生产过程", "agriculture": "Agriculture 农业",
          "lulucf": "LULUCF 土地利用变化和林业", "waste": "Waste 废弃物处理"}
#: English and Chinese labels of the mass units ``write_workbook`` accepts.
UNIT_LABELS = {"t": ("t", "吨"), "wan_t": ("10^4 t", "万吨"), "kilotonne": ("kt", "千吨"),
               "Gg": ("Gg", "吉克"), "Mt": ("Mt", "百万吨"), "kg": ("kg", "千克")}
_STYLED_ROWS = 100_000          # larger tables get values without per-cell formats (speed)
_MAX_TEXT = 32_767              # Excel's limit of characters in a cell
_FORMATS = {"mass": "#,##0.00", "wan": "#,##0.00", "value": "#,##0.00##", "factor": "General",
            "year": "0", "share": "0.00%", "int": "#,##0", "text": "@"}
_TITLE = Font(bold=True, size=12)
_HEADER = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ZH_FILL = PatternFill("solid", fgColor="EEF5FB")
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class _Column:
    name: str          # column of the frame
    en: str
    zh: str
    kind: str = "text"  # a key of _FORMATS


def _unit(unit: str) -> tuple[float, str, str]:
    if unit not in UNIT_LABELS:
        raise ValueError(f"unit must be one of {sorted(UNIT_LABELS)}, not {unit!r}")
    en, zh = UNIT_LABELS[unit]
    return unit_scale("t", unit), en, zh


def _clean(value):
    """A cell value openpyxl accepts: None for NaN, plain Python numbers, short clean text."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:_MAX_TEXT]
    if value is pd.NA or value is pd.NaT:
        return None
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:_MAX_TEXT]


def _width(column: _Column, values: list) -> float:
    sample = [len(str(v)) for v in values[:200] if v is not None]
    numeric = column.kind not in ("text",)
    longest = max(sample, default=0) + (4 if numeric else 0)
    header = max(len(column.en), 2 * len(column.zh))
    return float(min(max(longest, header, 6) + 2, 60))


class _Sheet:
    """A write-only sheet built top-down: widths and freeze first, then rows."""

    def __init__(self, wb: Workbook, title: str, columns: Sequence[_Column],
                 values: dict[str, list], *, freeze: str = "A4"):
        self.ws = wb.create_sheet(title)
        self.ws.freeze_panes = freeze
        for position, column in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(position)].width = _width(
                column, values.get(column.name, []))

    def cell(self, value, *, font=None, fill=None, number_format=None, wrap=False):
        cell = WriteOnlyCell(self.ws, value=_clean(value))
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if number_format is not None:
            cell.number_format = number_format
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def title(self, text: str) -> None:
        self.ws.append([self.cell(text, font=_TITLE)])

    def note(self, text: str) -> None:
        self.ws.append([self.cell(text)])

    def blank(self) -> None:
        self.ws.append([])

    def table(self, columns: Sequence[_Column], values: dict[str, list], *,
              bold_rows: np.ndarray | None = None) -> None:
        self.ws.append([self.cell(c.en, font=_HEADER, fill=_HEADER_FILL) for c in columns])
        self.ws.append([self.cell(c.zh, font=_HEADER, fill=_ZH_FILL) for c in columns])
        lists = [values[c.name] for c in columns]
        n = len(lists[0]) if lists else 0
        styled = n <= _STYLED_ROWS
        formats = [_FORMATS[c.kind] if c.kind != "text" else None for c in columns]
        for i in range(n):
            if styled:
                bold = _BOLD if bold_rows is not None and bold_rows[i] else None
                self.ws.append([self.cell(col[i], number_format=fmt, font=bold)
                                for col, fmt in zip(lists, formats, strict=True)])
            else:
                self.ws.append([_clean(col[i]) for col in lists])


def _values(frame: pd.DataFrame) -> dict[str, list]:
    """Column lists of a sanitized copy of ``frame`` (text cannot start a formula)."""
    safe = sanitize_cells(frame.reset_index(drop=True))
    out = {}
    for name, series in safe.items():
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        out[name] = series.to_numpy(dtype=object).tolist()
    return out


# ---- summary and totals ------------------------------------------------------------------------
_SUMMARY_GASES = [("CO2", "CO2", "二氧化碳"), ("CH4", "CH4", "甲烷"), ("N2O", "N2O", "氧化亚氮"),
                  ("HFCs_co2e", "HFCs", "氢氟碳化物"), ("PFCs_co2e", "PFCs", "全氟化碳"),
                  ("SF6_co2e", "SF6", "六氟化硫"), ("NF3_co2e", "NF3", "三氟化氮")]


def _summary_sheet(wb: Workbook, inv, scale: float, unit_en: str, unit_zh: str) -> None:
    frame = inv.provincial_summary(unit="t").reset_index()
    columns = [_Column("year", "Year", "年份", "year"), _Column("row", "Sector", "部门")]
    for name, en, zh in _SUMMARY_GASES:
        co2e = name.endswith("_co2e")
        columns.append(_Column(name, f"{en} ({unit_en}{' CO2e' if co2e else ''})",
                               f"{zh}（{unit_zh}{'二氧化碳当量' if co2e else ''}）", "mass"))
        frame[name] = frame[name] * scale
    frame["total"] = frame["total_co2e"] * scale
    columns.append(_Column("total", f"Total ({unit_en} CO2e, GWP {inv.gwp})",
                           f"合计（{unit_zh}二氧化碳当量）", "mass"))
    if unit_en != "10^4 t":
        frame["total_wan"] = frame["total_co2e"] * unit_scale("t", "wan_t")
        columns.append(_Column("total_wan", "Total (10^4 t CO2e)", "合计（万吨二氧化碳当量）", "wan"))
    values = _values(frame)
    sheet = _Sheet(wb, "Summary 汇总", columns, values, freeze="C4")
    sheet.title(f"Greenhouse-gas inventory summary, IPCC sector x gas (GWP {inv.gwp}) "
                "温室气体清单汇总表（分部门、分气体）")
    bold = frame["row"].astype(str).str.startswith("Total").to_numpy()
    sheet.table(columns, values, bold_rows=bold)


_TOTAL_LABELS = {
    "scope1_co2e_t": ("Scope 1 (direct)", "直接排放（范围一）"),
    "scope2_co2e_t": ("Scope 2 (net imported electricity and heat)", "调入电力热力间接排放（范围二）"),
    "scope12_co2e_t": ("Scope 1 + 2", "范围一和范围二合计"),
}
_ENERGY_LABELS = {
    "total_tce": ("Total energy consumption (tce)", "能源消费总量（吨标准煤）", "int"),
    "feedstock_tce": ("Feedstock use (tce)", "原料用能（吨标准煤）", "int"),
    "new_renewable_tce": ("New renewables deducted (tce)", "新增可再生能源扣除（吨标准煤）", "int"),
    "total_under_control_tce": ("Energy under control (tce)", "纳入能耗控制的能源消费量（吨标准煤）",
                                "int"),
    "coal_tce": ("Coal (tce)", "煤炭（吨标准煤）", "int"),
    "non_fossil_tce": ("Non-fossil (tce)", "非化石能源（吨标准煤）", "int"),
    "coal_share": ("Coal share", "煤炭占比", "share"),
    "non_fossil_share": ("Non-fossil share", "非化石能源占比", "share"),
}


def _totals_sheet(wb: Workbook, inv, scale: float, unit_en: str, unit_zh: str) -> None:
    totals = inv.totals()
    columns = [_Column("year", "Year", "年份", "year")]
    frame = pd.DataFrame({"year": totals.index.to_numpy()})
    for name in totals.columns:
        if name in _TOTAL_LABELS:
            en, zh = _TOTAL_LABELS[name]
            columns.append(_Column(name, f"{en} ({unit_en} CO2e)", f"{zh}（{unit_zh}二氧化碳当量）",
                                   "mass"))
        else:
            gas = name.removesuffix("_t")
            columns.append(_Column(name, f"{gas}, scope 1 ({unit_en})", f"{gas}直接排放（{unit_zh}）",
                                   "mass"))
        frame[name] = totals[name].to_numpy() * scale
    if len(inv.energy):
        energy = inv.energy_totals().reindex(totals.index)
        for name, (en, zh, kind) in _ENERGY_LABELS.items():
            if name in energy.columns:
                frame[name] = energy[name].to_numpy()
                columns.append(_Column(name, en, zh, kind))
    values = _values(frame)
    sheet = _Sheet(wb, "Totals 逐年总量", columns, values, freeze="B4")
    sheet.title(f"Totals by year (GWP {inv.gwp}); energy on the calorific basis "
                "逐年排放与能源消费总量（电力按当量值）")
    sheet.table(columns, values)


# ---- sector sheets ----------------------------------------------------------------------------
def _factor_lookup(inv, factor_ids) -> tuple[dict, pd.DataFrame]:
    """Value and unit of each single-part factor id; the library rows of every part."""
    from ..quality import split_factor_id

    library = inv.factors.rows.drop_duplicates("factor_id").set_index("factor_id")
    direct, parts = {}, {}
    for fid in factor_ids:
        pieces = split_factor_id(fid).tolist()
        for piece in pieces:
            parts.setdefault(piece, None)
        if len(pieces) == 1 and pieces[0] in library.index:
            row = library.loc[pieces[0]]
            direct[fid] = (float(row["value"]), str(row["unit"]))
    keep = [p for p in parts if p in library.index]
    used = library.loc[keep].reset_index()
    missing = [p for p in parts if p not in library.index]
    if missing:
        extra = pd.DataFrame({"factor_id": missing, "note": [
            "not a library factor: a measured value (activity column) or a method marker"] *
            len(missing)})
        used = pd.concat([used, extra], ignore_index=True)
    return direct, used


def _sector_frame(inv, sector: str) -> pd.DataFrame:
    results = inv.results
    mask = (results["ipcc_sector"].astype(object) == sector).to_numpy()
    position = results["row"].to_numpy()[mask]
    activity = inv.activity
    frame = pd.DataFrame(index=np.arange(int(mask.sum())))
    for name in ("year", "region", "facility", "month", "sector", "activity", "item", "value",
                 "unit"):
        if name in activity.columns:
            column = activity[name]
            taken = column.to_numpy(dtype=object if isinstance(
                column.dtype, pd.CategoricalDtype) else None)[position]
            if name in ("region", "facility", "month") and pd.isna(taken).all():
                continue
            frame[name] = taken
    for name in ("category", "gas", "factor_id"):
        frame[name] = results[name].astype(object).to_numpy()[mask]
    for name in ("emissions_t", "co2e_t"):
        frame[name] = results[name].to_numpy()[mask]
    frame["scope"] = results["scope"].to_numpy()[mask].astype(np.int64)
    order = [c for c in ("year", "category", "sector", "activity", "item", "gas")
             if c in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def _summarise(frame: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("year", "region", "sector", "activity", "item", "unit", "category", "gas",
                        "factor_id", "scope") if c in frame.columns]
    out = frame.groupby(keys, dropna=False, sort=True)[["value", "emissions_t", "co2e_t"]].sum()
    return out.reset_index()


def _sector_sheet(wb: Workbook, inv, sector: str, scale: float, unit_en: str, unit_zh: str,
                  max_rows: int) -> None:
    frame = _sector_frame(inv, sector)
    notes = []
    if len(frame) > max_rows:
        notes.append(f"{len(frame):,} result rows exceed the {max_rows:,} rows written here: "
                     "summarised by year, region, sector, activity, item, category, gas and "
                     "factor (the row-level table is in Inventory.to_csv) 行数超过Excel上限，已汇总")
        frame = _summarise(frame)
        if len(frame) > max_rows:
            notes.append(f"still {len(frame):,} rows after summarising: the first {max_rows:,} "
                         "are shown 仍超过上限，仅列出前部")
            frame = frame.head(max_rows)
    names = category_names(pd.unique(frame["category"])).reindex(
        columns=["category", "name", "name_zh"]).set_index("category")
    frame["category_name"] = frame["category"].map(names["name"]).fillna("")
    frame["category_name_zh"] = frame["category"].map(names["name_zh"]).fillna("")
    direct, used = _factor_lookup(inv, pd.unique(frame["factor_id"]))
    frame["factor_value"] = frame["factor_id"].map({k: v[0] for k, v in direct.items()})
    frame["factor_unit"] = frame["factor_id"].map({k: v[1] for k, v in direct.items()}).astype(
        object).fillna("")
    with np.errstate(divide="ignore", invalid="ignore"):
        implied = frame["emissions_t"].to_numpy() / frame["value"].to_numpy(dtype="float64")
    frame["implied_factor"] = np.where(np.isfinite(implied), implied, np.nan)
    frame["emissions"] = frame["emissions_t"] * scale
    frame["co2e"] = frame["co2e_t"] * scale
    columns = [_Column("year", "Year", "年份", "year")]
    for name, en, zh in (("region", "Region", "地区"), ("facility", "Facility", "设施"),
                         ("month", "Month", "月份")):
        if name in frame.columns:
            columns.append(_Column(name, en, zh))
    columns += [
        _Column("sector", "Sector", "行业"), _Column("activity", "Activity", "活动类型"),
        _Column("item", "Item (fuel, material, animal, land)", "品种"),
        _Column("value", "Activity data", "活动水平", "value"), _Column("unit", "Unit", "单位"),
        _Column("category", "IPCC category", "IPCC类别"),
        _Column("category_name", "Category name", "类别名称"),
        _Column("category_name_zh", "Category name (Chinese)", "类别中文名称"),
        _Column("gas", "Gas", "气体"),
        _Column("factor_value", "Emission factor (value)", "排放因子", "factor"),
        _Column("factor_unit", "Factor unit", "因子单位"),
        _Column("factor_id", "Factor source id (see below)", "因子来源编号（见下表）"),
        _Column("implied_factor", "Implied factor (t of gas per unit of activity)",
                "隐含排放因子（吨/活动水平单位）", "factor"),
        _Column("emissions", f"Emissions ({unit_en} of gas)", f"排放量（{unit_zh}）", "mass"),
        _Column("co2e", f"Emissions ({unit_en} CO2e, GWP {inv.gwp})", f"二氧化碳当量（{unit_zh}）",
                "mass"),
    ]
    if unit_en != "10^4 t":
        frame["co2e_wan"] = frame["co2e_t"] * unit_scale("t", "wan_t")
        columns.append(_Column("co2e_wan", "Emissions (10^4 t CO2e)", "二氧化碳当量（万吨）", "wan"))
    columns.append(_Column("scope", "Scope (1 direct, 2 purchased energy)", "范围", "year"))
    values = _values(frame)
    sheet = _Sheet(wb, SHEETS[sector], columns, values)
    label = SECTOR_LABELS[sector]
    sheet.title(f"{label}: activity data, emission factors and emissions "
                f"活动水平、排放因子和排放量 (GWP {inv.gwp})"
                + (" (summarised: see the note below the table 已汇总，见表下说明)" if notes else ""))
    sheet.table(columns, values)
    sheet.blank()
    if frame.empty:
        sheet.note("NO: no activity in this sector (not occurring) 本部门无活动数据")
    for text in notes:
        sheet.note(text)
    if frame.empty or notes:
        sheet.blank()
    sheet.title("Emission factors used in this sector 本部门所用排放因子及来源")
    factor_columns = [
        _Column("factor_id", "Factor source id", "因子来源编号"), _Column("source", "Source", "来源"),
        _Column("table", "Table", "表"), _Column("item", "Item", "品种"),
        _Column("parameter", "Parameter", "参数"), _Column("value", "Value", "数值", "factor"),
        _Column("unit", "Unit", "单位"), _Column("lower", "Lower (95 %)", "下限", "factor"),
        _Column("upper", "Upper (95 %)", "上限", "factor"), _Column("note", "Note", "说明")]
    used = used.reindex(columns=[c.name for c in factor_columns])
    sheet.table(factor_columns, _values(used))


# ---- sources, manifest, rejected --------------------------------------------------------------
_SOURCE_LABELS = {"source": "来源", "table": "表", "title": "标题", "edition": "版本",
                  "publisher": "发布机构", "year": "年份", "document": "文号", "url": "网址",
                  "license": "许可", "tag": "可信度标记", "sha256": "文件校验值", "file": "文件",
                  "used": "本清单使用"}


def _sources_sheet(wb: Workbook, inv, manifest: dict) -> None:
    sources = inv.factors.sources.copy()
    used = {(f["source"], f["table"]) for f in manifest.get("factor_files", [])}
    sources["used"] = [(s, t) in used for s, t in zip(sources["source"], sources["table"],
                                                       strict=True)]
    columns = [_Column(name, name.capitalize(), _SOURCE_LABELS.get(name, ""))
               for name in sources.columns]
    values = _values(sources)
    sheet = _Sheet(wb, "Sources 数据来源", columns, values, freeze="B4")
    sheet.title("Factor sources (each table file with its provenance) 排放因子数据来源")
    sheet.table(columns, values)


def _manifest_rows(manifest: dict) -> pd.DataFrame:
    rows = []
    for key, value in manifest.items():
        if isinstance(value, list):
            if not value:
                rows.append((key, ""))
            for item in value:
                rows.append((key, item if isinstance(item, str) else json.dumps(
                    item, ensure_ascii=False)))
        elif isinstance(value, dict):
            rows.append((key, json.dumps(value, ensure_ascii=False)))
        else:
            rows.append((key, value))
    return pd.DataFrame(rows, columns=["key", "value"])


def _manifest_sheet(wb: Workbook, manifest: dict) -> None:
    frame = _manifest_rows(manifest)
    columns = [_Column("key", "Key", "项目"), _Column("value", "Value", "内容")]
    values = _values(frame)
    sheet = _Sheet(wb, "Manifest 元数据", columns, values)
    sheet.title("Manifest: what produced this workbook 元数据（版本、因子文件、行数）")
    sheet.table(columns, values)


def _rejected_sheet(wb: Workbook, inv, max_rows: int) -> None:
    frame = inv.rejected.reset_index(names="row_label")
    note = None
    if len(frame) > max_rows:
        note = f"{len(frame):,} rejected rows; the first {max_rows:,} are shown"
        frame = frame.head(max_rows)
    columns = [_Column(str(c), str(c), "原因" if c == "reason" else "",
                       "value" if pd.api.types.is_float_dtype(frame[c]) else "text")
               for c in frame.columns]
    frame.columns = [str(c) for c in frame.columns]
    values = _values(frame)
    sheet = _Sheet(wb, "Rejected 未核算行", columns, values)
    sheet.title("Rows not accounted, with the reason 未核算的活动数据行及原因")
    sheet.table(columns, values)
    if note:
        sheet.note(note)


def write_workbook(inv, path, *, unit: str = "t", max_rows: int = 1_000_000) -> Path:
    """Write the inventory workbook (see the module docstring) atomically to ``path``.

    Parameters
    ----------
    inv : an :class:`carbonledger.Inventory`.
    path : the ``.xlsx`` file to write (its folder is created).
    unit : mass unit of the emission columns: ``t`` (default), ``wan_t`` (10^4 t),
        ``kilotonne``, ``Gg``, ``Mt`` or ``kg``. A 10^4 t CO2e column is added unless the unit
        is already ``wan_t``.
    max_rows : data rows per sector sheet; a sector with more result rows is summarised
        (Excel holds 1,048,576 rows in a sheet).

    Returns
    -------
    Path of the written file.

    Raises
    ------
    ValueError
        An unknown ``unit`` or a ``max_rows`` outside 1 .. 1,048,000.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib, openpyxl, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2022], "sector": ["steel"],
    ...     "activity": ["fuel_combustion"], "item": ["natural_gas"], "value": [10.0],
    ...     "unit": ["wan_m3"]})
    >>> inv = cl.compute_inventory(rows)
    >>> path = write_workbook(inv, pathlib.Path(tempfile.mkdtemp()) / "inv.xlsx")
    >>> sheet = openpyxl.load_workbook(path)["Energy 能源活动"]
    >>> sheet["A2"].value, sheet["A3"].value, sheet.freeze_panes
    ('Year', '年份', 'A4')
    """
    scale, unit_en, unit_zh = _unit(unit)
    if not 1 <= int(max_rows) <= EXCEL_MAX_ROWS - 1000:
        raise ValueError(f"max_rows must be in 1 .. {EXCEL_MAX_ROWS - 1000:,}")
    manifest = {k: v for k, v in inv.manifest().items()}

    def write(tmp: Path) -> None:
        wb = Workbook(write_only=True)
        _summary_sheet(wb, inv, scale, unit_en, unit_zh)
        _totals_sheet(wb, inv, scale, unit_en, unit_zh)
        for sector in SHEETS:
            _sector_sheet(wb, inv, sector, scale, unit_en, unit_zh, int(max_rows))
        _sources_sheet(wb, inv, manifest)
        _manifest_sheet(wb, manifest)
        if len(inv.rejected):
            _rejected_sheet(wb, inv, int(max_rows))
        wb.save(tmp)

    return atomic_write(path, write)
