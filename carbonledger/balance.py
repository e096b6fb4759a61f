"""Read a Chinese energy balance table (能源平衡表) into carbonledger activity rows.

Layout read
-----------
Rows are flows, columns are fuels, as in the regional tables of the China Energy Statistical
Yearbook and in city yearbooks:

* **supply** -- 一次能源生产量 (production; ``其中：水电/风电/太阳能发电`` may split its electricity),
  回收能 (recovered energy), 调入/进口 (imports), 调出/出口 (exports, subtracted whatever sign is
  printed), 库存增(-)、减(+)量 (stock change, added as printed);
* **transformation** -- 火力发电, 供热, 洗选煤, 炼焦, 炼油及煤制油, 制气, ... with inputs negative and
  outputs positive;
* **losses** -- 损失量;
* **final consumption** -- 农、林、牧、渔业, 工业 (optionally with its sub-sector rows and
  ``其中：用作原料、材料``), 建筑业, 交通运输、仓储和邮政业, 批发和零售业、住宿和餐饮业, 其他,
  居民生活 (optionally 城镇/乡村);
* aggregate rows (可供本地区消费的能源量, 终端消费量, 平衡差额, 消费量合计) are ignored.

Row labels (Chinese or English, with or without enumerators such as ``一、``, ``1.``, ``(1)`` or
``其中：``) are mapped by the data table ``carbonledger/data/balance_rows.csv`` to a ``flow``, a
``sector`` and, for sub-rows, a ``parent``. Column names are mapped to fuel ids by the ``item``,
``name_zh``, ``aliases`` and ``description`` columns of ``carbonledger/data/items.csv``. A column's
unit comes from the header (``原煤(万吨)``), from a units row (first cell ``单位``/``计量单位``/
``unit``), or from the ``unit=`` keyword (e.g. a balance printed all in 万吨标准煤).

Flows become activity kinds as follows (values are written positive):

===============  ==========================================================================
flow             activity rows
===============  ==========================================================================
production       electricity column -> ``renewable_electricity`` (``technology`` from the
                 其中 row); other fuels are supply only (see :func:`apparent_consumption`)
recovery         ``transformation_output`` of the row's sector (steel): recovered gas and heat
                 are counted once, in the fuel they were recovered from
import / export  electricity column -> ``electricity_import`` / ``electricity_export`` with
                 ``region=`` as grid region; other fuels are supply only
transformation   input (negative) -> ``fuel_combustion`` in sectors power and heat_supply,
                 ``transformation_input`` elsewhere; output (positive) ->
                 ``transformation_output``
loss             ``losses`` (sector by fuel: electricity -> power, heat -> heat_supply,
                 coke-oven gas -> coking, other gas -> steel, else other_industry)
final            electricity and heat -> ``energy_consumption``; fuels -> ``fuel_combustion``
non_energy       ``non_energy_use``, carved out of the industry rows (chemicals first, then the
                 largest consumer of that fuel) so the feedstock is not counted twice
===============  ==========================================================================

Parent and sub-rows (工业 and its sub-sectors, 居民生活 and 城镇/乡村, production and its
其中 rows) never count the same energy twice: per fuel column the sub-rows are taken when any of
them has a value, else the parent. When a parent total exceeds the sum of its sub-rows by more
than ``rtol``, the remainder is booked to the parent's own sector (工业 -> other_industry) and a
:class:`~carbonledger.errors.DataQualityWarning` names the row and fuel; when the sub-rows exceed
the total, the sub-rows are kept and the same warning is issued.

Examples
--------
>>> import pandas as pd
>>> from carbonledger.balance import read_energy_balance
>>> table = pd.DataFrame(
...     {"原煤(万吨)": [120.0, -100.0, 20.0], "电力(亿千瓦时)": [5.0, 30.0, 33.0]},
...     index=pd.Index(["调入量", "火力发电", "工业"], name="项目"))
>>> rows = read_energy_balance(table, year=2020, region="northwest")
>>> print(rows[["activity", "sector", "item", "value", "unit"]].to_string(index=False))
             activity         sector        item  value   unit
      fuel_combustion other_industry    raw_coal   20.0  wan_t
      fuel_combustion          power    raw_coal  100.0  wan_t
transformation_output          power electricity   30.0 yi_kWh
   energy_consumption other_industry electricity   33.0 yi_kWh
   electricity_import          power electricity    5.0 yi_kWh
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from carbonledger.errors import ActivityDataError, DataQualityWarning, UnitConversionError

__all__ = [
    "read_energy_balance",
    "apparent_consumption",
    "parse_energy_balance",
    "balance_row_table",
    "UNIT_LABELS",
]

from carbonledger.balance_layout import (  # noqa: E402 - the layout vocabulary
    _ACTIVITY_ORDER,
    _BASIS_GROUPS,
    _EMPTY,
    _HEADER_SCAN_ROWS,
    _HEADER_UNIT,
    _UNIT_GROUP,
    _UNIT_ROW_KEYS,
    LOSS_SECTOR,
    SKIP_COLUMNS,
    UNIT_LABELS,
    _item_lookup,
    _key,
    _nfkc,
    _row_lookup,
    _unit_key,
    balance_row_table,
)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _load_grid(source, sheet) -> pd.DataFrame:
    """Return the table as a grid of strings (no header interpretation)."""
    if isinstance(source, pd.DataFrame):
        frame = source
        if not isinstance(frame.index, pd.RangeIndex):
            frame = frame.reset_index()
        if isinstance(frame.columns, pd.RangeIndex):
            grid = frame
        else:
            header = pd.DataFrame([list(frame.columns)], columns=frame.columns)
            grid = pd.concat([header, frame.astype(object)], ignore_index=True)
    else:
        path = Path(source)
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            grid = pd.read_excel(
                path,
                sheet_name=0 if sheet is None else sheet,
                header=None,
                dtype=object,
                engine="openpyxl",
            )
        elif suffix in (".csv", ".txt"):
            try:  # statistics CSVs come in UTF-8 or GB18030 (GBK)
                grid = pd.read_csv(
                    path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig"
                )
            except UnicodeDecodeError:
                grid = pd.read_csv(
                    path, header=None, dtype=str, keep_default_na=False, encoding="gb18030"
                )
        else:
            raise ActivityDataError(
                f"cannot read an energy balance from {path.name!r}",
                fix="give a .csv or .xlsx file, or a pandas DataFrame",
            )
    grid = grid.map(_cell)
    grid.columns = range(grid.shape[1])
    return grid


def _find_header(grid: pd.DataFrame, lookup: dict[str, str]) -> int:
    for i in range(min(_HEADER_SCAN_ROWS, len(grid))):
        names = [_HEADER_UNIT.sub(r"\g<name>", _nfkc(c)) for c in grid.iloc[i, 1:]]
        if any(_key(n) in lookup for n in names if n):
            return i
    first = [c for c in grid.iloc[0, 1:] if c] if len(grid) else []
    raise ActivityDataError(
        "no fuel column found in the energy balance; column names of the first row: "
        + (", ".join(first[:8]) or "(none)"),
        fix="name the fuel columns as in items.csv, or add the names to the `aliases` column of "
        "carbonledger/data/items.csv",
    )


def _column_units(grid, header_row, unit, lookup, basis):
    """Map columns to (item, unit, scale); return (columns, first data row)."""
    header = grid.iloc[header_row]
    first_data = header_row + 1
    unit_row = None
    if first_data < len(grid):
        cand = grid.iloc[first_data]
        if _key(cand.iloc[0]) in _UNIT_ROW_KEYS or (
            cand.iloc[0] == ""
            and all(_unit_key(c) in UNIT_LABELS for c in cand.iloc[1:] if c)
            and any(cand.iloc[1:])
        ):
            unit_row, first_data = cand, first_data + 1
    columns, unmapped, no_unit, bad_unit = {}, [], [], []
    for col in grid.columns[1:]:
        text = _nfkc(header[col])
        if not text:
            continue
        match = _HEADER_UNIT.match(text)
        name, unit_text = (match["name"], match["unit"]) if match else (text, "")
        if _key(name) in SKIP_COLUMNS or _key(text) in SKIP_COLUMNS:
            continue
        item = lookup.get(_key(name))
        if item is None:
            unmapped.append(header[col])
            continue
        if not unit_text and unit_row is not None:
            unit_text = unit_row[col]
        if not unit_text and unit is not None:
            unit_text = unit
        if not unit_text:
            no_unit.append(header[col])
            continue
        parsed = UNIT_LABELS.get(_unit_key(unit_text))
        if parsed is None or _UNIT_GROUP[parsed[0]] not in _BASIS_GROUPS[basis[item]]:
            bad_unit.append(f"{header[col]} [{unit_text}]")
            continue
        if item in [c[0] for c in columns.values()]:
            unmapped.append(f"{header[col]} (second column for {item})")
            continue
        columns[col] = (item, parsed[0], parsed[1])
    if unmapped:
        raise ActivityDataError(
            "energy-balance columns that are not fuels: " + ", ".join(unmapped),
            columns=unmapped,
            fix="add the column name to the `aliases` column of carbonledger/data/items.csv "
            "(or rename the column to a fuel name such as 原煤, 焦炭, 天然气, 电力)",
        )
    if no_unit:
        raise UnitConversionError(
            "energy-balance columns without a unit: " + ", ".join(no_unit),
            columns=no_unit,
            fix="write the unit in the header (原煤(万吨)), add a units row whose first cell is "
            "单位, or pass unit='万吨标准煤' when every column is in one unit",
        )
    if bad_unit:
        raise UnitConversionError(
            "energy-balance columns with an unknown unit or one that does not fit the fuel: "
            + ", ".join(bad_unit),
            columns=bad_unit,
            fix="use one of the unit labels of carbonledger.balance.UNIT_LABELS "
            "(万吨, 亿立方米, 亿千瓦时, 万百万千焦, 万吨标准煤, ...)",
        )
    return columns, first_data


def _row_ids(labels: pd.Series) -> pd.Series:
    by_key = _row_lookup()

    def lookup(label: str) -> str | None:
        found = by_key.get(_key(label))
        if found is None and re.search(r"[A-Za-z]", label) and re.search(r"[^\x00-\x7f]", label):
            cut = re.search(r"[A-Za-z]", label).start()
            found = by_key.get(_key(label[:cut])) or by_key.get(_key(label[cut:]))
        return found

    return labels.map(lookup)


def parse_energy_balance(path_or_frame, *, sheet=None, unit: str | None = None) -> pd.DataFrame:
    """Parse an energy balance into a long table of (row, fuel) cells, mapped but not resolved.

    Returns one row per non-empty cell with columns ``line`` (0-based row of the grid), ``label``,
    ``row_id``, ``flow``, ``sector``, ``parent``, ``technology``, ``item``, ``value`` (as printed,
    times the unit multiplier) and ``unit``. Aggregate rows are kept (``flow == "total"``).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"项目": ["1.一次能源生产量", "消费量合计"], "原煤(万吨)": ["80", "80"]})
    >>> parse_energy_balance(table)[["row_id", "item", "value", "unit"]].to_string(index=False)
    '           row_id     item  value  unit\\n       production raw_coal   80.0 wan_t\\ntotal_consumption raw_coal   80.0 wan_t'
    """
    grid = _load_grid(path_or_frame, sheet)
    lookup, basis = _item_lookup()
    header_row = _find_header(grid, lookup)
    columns, first_data = _column_units(grid, header_row, unit, lookup, basis)
    body = grid.iloc[first_data:]
    cols = list(columns)
    text = body[cols]
    empty = text.apply(lambda s: s.str.lower().isin(_EMPTY))
    numbers = text.apply(
        lambda s: pd.to_numeric(s.str.replace(",", "", regex=False), errors="coerce")
    )
    garbage = numbers.isna() & ~empty
    labels = body[0]
    row_ids = _row_ids(labels)
    has_numbers = (~empty).any(axis=1)
    unmapped = labels[row_ids.isna() & has_numbers]
    if not unmapped.empty:
        raise ActivityDataError(
            "energy-balance rows whose label is not a known flow",
            rows=list(unmapped),
            fix="add the label to the `aliases` column of carbonledger/data/balance_rows.csv "
            "(or rename the row to a yearbook label such as 火力发电, 工业, 居民生活)",
        )
    bad = garbage.loc[row_ids.notna()].stack()
    if bad.any():
        where = [f"{labels[r]!r}/{grid.iloc[header_row, c]}" for r, c in bad[bad].index]
        raise ActivityDataError(
            "energy-balance cells that are not numbers",
            rows=where,
            fix="write numbers, or leave the cell empty / '-'",
        )
    known = row_ids.notna()
    dup = row_ids[known & has_numbers & labels.map(_key).duplicated(keep=False)]
    if not dup.empty:
        raise ActivityDataError(
            "energy-balance rows that appear twice",
            rows=list(labels[dup.index].unique()),
            fix="merge the repeated rows, or rename them to distinct labels (see balance_rows.csv)",
        )
    scale = np.array([columns[c][2] for c in cols])
    values = numbers.loc[known].to_numpy(dtype=float) * scale
    meta = balance_row_table().set_index("row_id")
    wide = pd.DataFrame(values, index=body.index[known], columns=[columns[c][0] for c in cols])
    long = (
        wide.rename_axis("line")
        .reset_index()
        .melt(id_vars="line", var_name="item", value_name="value")
        .dropna(subset="value")
    )
    long["row_id"] = long["line"].map(row_ids)
    long["label"] = long["line"].map(labels)
    for field in ("flow", "sector", "parent", "technology"):
        long[field] = long["row_id"].map(meta[field])
    long["unit"] = long["item"].map({v[0]: v[1] for v in columns.values()})
    order = "line label row_id flow sector parent technology item value unit".split()
    return long[order].sort_values(["line", "item"], kind="stable").reset_index(drop=True)


def _resolve_parents(cells: pd.DataFrame, rtol: float) -> pd.DataFrame:
    """Per (parent, fuel): keep the sub-rows when present, else the parent; book any remainder."""
    meta_flow = balance_row_table().set_index("row_id")["flow"]
    cells = cells[cells["flow"] != "total"]
    is_sub = (cells["parent"] != "") & (cells["flow"] == cells["parent"].map(meta_flow))
    subs = cells[is_sub & (cells["value"] != 0)]
    sub_sum = subs.groupby(["parent", "item"])["value"].sum()
    pair = pd.MultiIndex.from_arrays([cells["row_id"], cells["item"]])
    replaced = pair.isin(sub_sum.index)
    if not replaced.any():
        return cells.reset_index(drop=True)
    parent_cells = cells[replaced]
    totals = parent_cells.groupby(["row_id", "item"])["value"].sum()
    gap = totals - sub_sum.reindex(totals.index)
    off = gap[np.abs(gap) > rtol * np.abs(totals) + 1e-9]
    book = off[off > 0]
    first = parent_cells.drop_duplicates(["row_id", "item"]).set_index(["row_id", "item"])
    residual = first.loc[book.index].reset_index()
    residual["value"] = book.to_numpy()
    labels = first["label"]
    for (row_id, item), amount in off.items():
        action = "the remainder goes to the total's sector" if amount > 0 else "sub-rows are kept"
        warnings.warn(
            f"energy balance: the sub-rows of {labels[(row_id, item)]!r} do not add up to it for "
            f"{item} (total minus sub-rows = {amount:.6g}); {action}",
            DataQualityWarning,
            stacklevel=3,
        )
    kept = cells[~replaced]
    return pd.concat([kept, residual[kept.columns]], ignore_index=True)


def _carve_non_energy(cells: pd.DataFrame) -> pd.DataFrame:
    """Move the 用作原料、材料 amounts out of the industry rows into non_energy rows per sector."""
    is_ne = cells["flow"] == "non_energy"
    if not is_ne.any():
        return cells
    base = cells[~is_ne].copy()
    moved_parts = []
    for (parent, item, sector), amount in (
        cells[is_ne].groupby(["parent", "item", "sector"])["value"].sum().items()
    ):
        pool = base[
            (base["flow"] == "final")
            & (base["item"] == item)
            & ((base["row_id"] == parent) | (base["parent"] == parent))
        ]
        rank = pool.assign(_later=pool["sector"] != sector).sort_values(
            ["_later", "value"], ascending=[True, False], kind="stable"
        )
        before = np.concatenate([[0.0], np.cumsum(rank["value"].to_numpy())[:-1]])
        taken = np.clip(amount - before, 0.0, rank["value"].to_numpy())
        if amount - taken.sum() > 1e-9 * max(abs(amount), 1.0):
            label = cells.loc[is_ne & (cells["item"] == item), "label"].iloc[0]
            raise ActivityDataError(
                f"non-energy use of {item} ({amount:.6g}) exceeds the industry consumption of it "
                f"({rank['value'].sum():.6g})",
                rows=[label],
                fix="check the 其中：用作原料、材料 row and the industry rows of this fuel",
            )
        base.loc[rank.index, "value"] = rank["value"].to_numpy() - taken
        moved = rank.drop(columns="_later").assign(value=taken, flow="non_energy")
        moved_parts.append(moved[moved["value"] > 0])
    return pd.concat([base, *moved_parts], ignore_index=True)


def _to_activities(cells: pd.DataFrame, year: int, region: str | None) -> pd.DataFrame:
    _, basis = _item_lookup()
    flow, item, value = cells["flow"], cells["item"], cells["value"]
    is_power = item == "electricity"
    carrier = item.map(basis).isin(["electricity", "heat"])
    burned = (value < 0) & cells["sector"].isin(["power", "heat_supply"]) & ~carrier
    rules = [  # (condition, activity kind); the first match wins
        ((flow == "production") & is_power, "renewable_electricity"),
        (flow == "recovery", "transformation_output"),
        ((flow == "import") & is_power, "electricity_import"),
        ((flow == "export") & is_power, "electricity_export"),
        ((flow == "transformation") & burned, "fuel_combustion"),
        ((flow == "transformation") & (value < 0), "transformation_input"),
        ((flow == "transformation") & (value > 0), "transformation_output"),
        (flow == "loss", "losses"),
        ((flow == "final") & carrier, "energy_consumption"),
        (flow == "final", "fuel_combustion"),
        (flow == "non_energy", "non_energy_use"),
    ]
    kinds = np.select([c for c, _ in rules], [k for _, k in rules], default="")
    activity = pd.Series(kinds, index=cells.index)
    negative = (
        flow.isin(["final", "non_energy", "loss"]) | (activity == "renewable_electricity")
    ) & (value < 0)
    if negative.any():
        bad = cells[negative]
        rows = [f"{lab!r}/{it}" for lab, it in zip(bad["label"], bad["item"], strict=True)]
        raise ActivityDataError(
            "negative consumption, losses or generation in the energy balance",
            rows=rows,
            fix="consumption and losses are printed positive",
        )
    rows = cells.assign(activity=activity, value=value.abs())
    rows = rows[(rows["activity"] != "") & (rows["value"] != 0)].copy()
    loss = rows["activity"] == "losses"
    rows.loc[loss, "sector"] = rows.loc[loss, "item"].map(LOSS_SECTOR).fillna("other_industry")
    trade = rows["activity"].isin(["electricity_import", "electricity_export"])
    rows["region"] = np.where(trade, region if region is not None else "", "")
    if trade.any() and region is None:
        warnings.warn(
            "energy balance: electricity imports/exports have no grid region; pass "
            "region='northwest' (or the grid of the territory)",
            DataQualityWarning,
            stacklevel=3,
        )
    rows["technology"] = np.where(
        rows["activity"] == "renewable_electricity", rows["technology"], ""
    )
    keys = ["activity", "sector", "item", "unit", "region", "technology"]
    out = rows.groupby(keys, sort=False)["value"].sum().reset_index()
    out = out[out["value"] != 0]
    out["year"] = int(year)
    out["_order"] = out["activity"].map({k: i for i, k in enumerate(_ACTIVITY_ORDER)})
    out = out.sort_values(["_order", "sector", "item", "technology"], kind="stable")
    out = out.replace({"region": {"": np.nan}, "technology": {"": np.nan}})
    columns = ["year", "sector", "activity", "item", "value", "unit", "region", "technology"]
    return out[columns].reset_index(drop=True)


def read_energy_balance(
    path_or_frame,
    *,
    year: int,
    region: str | None = None,
    sheet=None,
    unit: str | None = None,
    rtol: float = 1e-3,
) -> pd.DataFrame:
    """Read a 能源平衡表 (CSV, XLSX or DataFrame) into activity rows of one year.

    Parameters
    ----------
    path_or_frame : path of a ``.csv``/``.xlsx`` file, or a DataFrame laid out as the file
        (row labels in the first column or the index, fuels as columns).
    year : the balance year written into every row.
    region : grid region written on ``electricity_import``/``electricity_export`` rows
        (e.g. ``"northwest"``); rows of other kinds carry no region.
    sheet : XLSX sheet name or index (default: the first sheet).
    unit : unit of the columns whose unit is given neither in the header nor in a units row,
        e.g. ``"万吨标准煤"`` or ``"wan_tce"`` for a balance printed in standard coal.
    rtol : relative tolerance for "sub-rows add up to their total".

    Returns
    -------
    DataFrame with columns ``year, sector, activity, item, value, unit, region, technology``
    (values positive, in the unit of their column, one row per activity, sector, fuel and
    technology). See the module docstring for the flow -> activity rules.

    Raises
    ------
    ActivityDataError
        unmapped row labels or column names (named in the message, with the alias fix), cells
        that are not numbers, repeated rows, negative consumption.
    UnitConversionError
        a column without a unit or with a unit that does not fit its fuel.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({
    ...     "项目": ["工业", "黑色金属冶炼和压延加工业", "有色金属冶炼和压延加工业"],
    ...     "焦炭": [300.0, 290.0, 10.0]})
    >>> rows = read_energy_balance(table, year=2020, unit="万吨")
    >>> rows[["sector", "item", "value"]].to_string(index=False)
    '    sector item  value\\nnonferrous coke   10.0\\n     steel coke  290.0'
    """
    cells = parse_energy_balance(path_or_frame, sheet=sheet, unit=unit)
    cells = _carve_non_energy(_resolve_parents(cells, rtol))
    return _to_activities(cells, year, region)


def apparent_consumption(
    frame, *, sheet=None, unit: str | None = None, rtol: float = 1e-3
) -> pd.DataFrame:
    """Apparent consumption per fuel: production + recovery + imports - exports + stock change.

    Exports are subtracted whatever sign the table prints them with; the stock change is added as
    printed (库存增(-)、减(+)量: a stock build is negative).

    Parameters
    ----------
    frame : a balance as accepted by :func:`read_energy_balance`, or the output of
        :func:`parse_energy_balance`.
    sheet, unit, rtol : as in :func:`read_energy_balance`.

    Returns
    -------
    DataFrame indexed by ``item`` with columns ``production, recovery, imports, exports,
    stock_change, apparent_consumption, unit`` (exports as a positive quantity).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"项目": ["一次能源生产量", "调入量", "调出量(-)", "库存增(-)、减(+)量"],
    ...                       "原煤(万吨)": [100.0, 50.0, -20.0, -5.0]})
    >>> float(apparent_consumption(table).loc["raw_coal", "apparent_consumption"])
    125.0
    """
    if isinstance(frame, pd.DataFrame) and {"flow", "item", "value", "unit"} <= set(frame.columns):
        cells = frame
    else:
        cells = parse_energy_balance(frame, sheet=sheet, unit=unit)
    cells = _resolve_parents(cells, rtol)
    supply = cells[
        cells["flow"].isin(["production", "recovery", "import", "export", "stock_change"])
    ]
    values = supply["value"].where(supply["flow"] != "export", supply["value"].abs())
    table = values.groupby([supply["item"], supply["flow"]]).sum().unstack("flow")
    table = table.reindex(
        columns=["production", "recovery", "import", "export", "stock_change"], fill_value=0.0
    ).fillna(0.0)
    table.columns = ["production", "recovery", "imports", "exports", "stock_change"]
    table["apparent_consumption"] = table.to_numpy() @ np.array([1.0, 1.0, 1.0, -1.0, 1.0])
    table["unit"] = cells.drop_duplicates("item").set_index("item")["unit"].reindex(table.index)
    table.columns.name = None
    return table
