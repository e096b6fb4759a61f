"""The base of a scenario: the inventory of the base year, as the projection's starting point.

A projection uses the same factors and the same accounting as the inventory, so that its base
year reconciles exactly with the inventory of that year. :func:`base_ledger` does it this way:

1. read every activity table the scenario names (the same reader as the inventory) and keep the
   rows up to the base year (earlier years matter: first-order-decay landfill methane and forest
   stock change need their history);
2. run :func:`carbonledger.compute_inventory` once on them, with the scenario's GWP set and
   factor preference;
3. keep the base-year rows, grouped by ``sector, activity, item, technology, unit`` (rows with
   the same key always move together in a projection, so a facility x month table becomes a
   few hundred groups), with their value, their energy (TJ; tce by the calorific and the
   coal-equivalent method, signed by the row's role in the total; coal, non-fossil and feedstock
   parts) and their emission *lines* (one per gas and scope, in t and t CO2e).

A projected year then multiplies each group's value, energy and emissions by the same index
(its driver and lever path; see :mod:`carbonledger.scenario.projection`). Every index is 1 in
the base year, so the base year is the inventory's, to rounding. The implied factors (t of a gas
per unit of activity, tce per unit) are thereby held at their base-year values; in particular
landfill methane is taken proportional to the waste deposited and forest removals to the
stock (a steady-state reading of the first-order-decay and stock-change methods).

The result is cached per process by the files' paths, sizes and modification times, the base
year, the GWP set and the factor preference, so the scenarios of one study share one inventory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..activity import read_activity
from ..errors import ScenarioSpecError
from ..inventory import Inventory, compute_inventory

__all__ = ["BaseLedger", "base_ledger", "ROW_KEYS", "ENERGY_INPUT_KINDS"]

ROW_KEYS = ("sector", "activity", "item", "technology", "unit")
#: Energy kinds whose quantity scales with a sector's energy intensity (inputs); outputs,
#: losses, trade and renewable generation scale with activity only.
ENERGY_INPUT_KINDS = ("fuel_combustion", "non_energy_use", "transformation_input",
                      "energy_consumption", "purchased_energy")
_LULUCF = "lulucf"


@dataclass(frozen=True)
class BaseLedger:
    """Base-year rows and emission lines of a scenario (see the module docstring).

    Attributes
    ----------
    base_year : the reconciled year.
    rows : one row per group: ``sector, activity, item, technology, unit, value, energy_tj,
        tce, tce_ce, coal_tce, non_fossil_tce, non_fossil_tce_ce, feedstock_tce`` (the ``tce``
        columns signed by the row's role in the total energy consumption).
    lines : one row per (group, gas, scope, ipcc_sector): ``row`` (position in ``rows``),
        ``gas, scope, ipcc_sector, emissions_t, co2e_t``.
    inventory : the inventory of every year up to the base year.
    """

    base_year: int
    rows: pd.DataFrame
    lines: pd.DataFrame
    inventory: Inventory = field(repr=False)

    def sectors(self) -> list[str]:
        """Sectors with base-year rows."""
        return sorted(self.rows["sector"].unique().tolist())

    def items(self, sector: str) -> list[str]:
        """Items a sector has base-year rows of."""
        return sorted(self.rows.loc[self.rows["sector"] == sector, "item"].unique().tolist())


def _sources(activity) -> list:
    if isinstance(activity, (str, Path, pd.DataFrame)):
        return [activity]
    return list(activity)


def _key(activity, base_year: int, gwp: str, factors) -> tuple:
    parts = []
    for source in _sources(activity):
        if isinstance(source, pd.DataFrame):
            digest = int(pd.util.hash_pandas_object(source, index=True).sum())
            parts.append(("frame", digest, len(source)))
        else:
            path = Path(source)
            if not path.is_file():
                raise ScenarioSpecError(f"inventory.activity: file {path} does not exist",
                                        key="inventory.activity", file=str(path),
                                        fix="check the path (relative to the scenario file)")
            stat = path.stat()
            parts.append((str(path.resolve()), stat.st_size, stat.st_mtime_ns))
    pref = tuple(factors) if isinstance(factors, (list, tuple)) else factors
    return tuple(parts), int(base_year), str(gwp), pref


_CACHE: dict = {}
_CACHE_SIZE = 16


def base_ledger(activity, *, base_year: int, gwp: str = "AR5", factors=None) -> BaseLedger:
    """The base ledger of activity tables (cached; see the module docstring).

    Parameters
    ----------
    activity : a path, a DataFrame, or a list of them (rows of every kind and year).
    base_year : the year to reconcile.
    gwp : GWP set for CO2e.
    factors : factor-source preference (as for :func:`carbonledger.compute_inventory`).

    Raises
    ------
    ScenarioSpecError
        A file that does not exist, or no activity rows in the base year.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"year": [2020], "sector": ["residential"],
    ...     "activity": ["fuel_combustion"], "item": ["raw_coal"], "value": [1.0],
    ...     "unit": ["wan_t"]})
    >>> ledger = base_ledger(rows, base_year=2020)
    >>> ledger.lines.groupby("gas")["emissions_t"].sum().round(1).to_dict()
    {'CH4': 62.7, 'CO2': 19003.0, 'N2O': 0.3}
    """
    key = _key(activity, base_year, gwp, factors)
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = _build(_sources(activity), int(base_year), str(gwp), factors)
    return _CACHE[key]


def _build(sources: list, base_year: int, gwp: str, factors) -> BaseLedger:
    frames = []
    for number, source in enumerate(sources):
        frame = read_activity(source).copy()
        label = f"table{number + 1}" if isinstance(source, pd.DataFrame) else Path(source).name
        frame.index = pd.Index([f"{label}:{i}" for i in frame.index])
        frames.append(frame)
    frame = pd.concat(frames) if len(frames) > 1 else frames[0].copy()
    if not len(frame):
        raise ScenarioSpecError("inventory.activity names no rows", key="inventory.activity",
                                fix="name the base-year activity table(s)")
    years = pd.to_numeric(frame["year"], errors="coerce")
    if not (years == base_year).any():
        found = sorted(set(years.dropna().astype(int).tolist()))
        raise ScenarioSpecError(
            f"inventory.base_year {base_year} has no activity rows (years found: "
            f"{found[:3]}...{found[-3:]})", key="inventory.base_year",
            fix="choose a base year that the activity tables cover")
    frame = frame.loc[(years <= base_year).to_numpy()]
    inv = compute_inventory(frame, gwp=gwp, factors=factors)
    return _ledger(inv, base_year)


def _ledger(inv: Inventory, base_year: int) -> BaseLedger:
    act = inv.activity
    in_year = (pd.to_numeric(act["year"]).to_numpy() == base_year)
    keys = pd.DataFrame({k: (act[k].astype(object).where(act[k].notna(), "").astype(str)
                             if k in act.columns else "") for k in ROW_KEYS}, index=act.index)
    keys = keys.loc[in_year]
    group = keys.groupby(list(ROW_KEYS), sort=True, observed=True).ngroup()
    rows = keys.assign(group=group.to_numpy()).drop_duplicates("group").sort_values("group")
    rows = rows.set_index("group")[list(ROW_KEYS)]
    n = len(rows)
    codes = group.to_numpy()
    value = np.bincount(codes, weights=act.loc[in_year, "value"].to_numpy(dtype="float64"),
                        minlength=n)
    columns = {"value": value}
    energy = inv.energy
    names = ("energy_tj", "tce", "tce_ce", "coal_tce", "non_fossil_tce", "non_fossil_tce_ce",
             "feedstock_tce")
    sums = {name: np.zeros(n) for name in names}
    if len(energy):
        label_pos = pd.Series(codes, index=keys.index)
        e = energy.loc[energy.index.isin(keys.index)]
        where = label_pos.reindex(e.index).to_numpy()
        sign = e["sign"].to_numpy()
        tce, tce_ce = e["tce"].to_numpy(), e["tce_coal_equivalent"].to_numpy()
        kind = e["activity"].astype(object).to_numpy()
        coal = e["group"].astype(object).to_numpy() == "coal"
        renewable = kind == "renewable_electricity"
        parts = {"energy_tj": e["energy_tj"].to_numpy(), "tce": tce * sign,
                 "tce_ce": tce_ce * sign, "coal_tce": np.where(coal, tce * sign, 0.0),
                 "non_fossil_tce": np.where(renewable, tce, 0.0),
                 "non_fossil_tce_ce": np.where(renewable, tce_ce, 0.0),
                 "feedstock_tce": np.where(kind == "non_energy_use", tce, 0.0)}
        for name, values in parts.items():
            sums[name] = np.bincount(where, weights=values, minlength=n)
    columns.update(sums)
    rows = rows.assign(**columns).reset_index(drop=True)
    res = inv.results
    res_rows = res["row"].to_numpy()
    keep = in_year[res_rows]
    pos = np.full(len(act), -1)
    pos[np.flatnonzero(in_year)] = codes
    gas = res["gas"].astype(object).to_numpy()[keep]
    line_keys = pd.DataFrame({
        "row": pos[res_rows[keep]], "gas": gas,
        "scope": res["scope"].to_numpy()[keep].astype(np.int64),
        "ipcc_sector": res["ipcc_sector"].astype(object).to_numpy()[keep],
        "emissions_t": res["emissions_t"].to_numpy()[keep],
        "co2e_t": res["co2e_t"].to_numpy()[keep]})
    lines = line_keys.groupby(["row", "gas", "scope", "ipcc_sector"], sort=True,
                              as_index=False)[["emissions_t", "co2e_t"]].sum()
    lines["lulucf"] = lines["ipcc_sector"].to_numpy() == _LULUCF
    return BaseLedger(base_year=base_year, rows=rows, lines=lines, inventory=inv)
