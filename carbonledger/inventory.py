"""Assemble activity rows, factors and engines into an :class:`Inventory`.

:func:`compute_inventory` reads and validates the activity table, runs every activity kind
present through its engine (once per kind, vectorized over rows), and returns an Inventory:
a value holding per-row results, the energy table, the rejected rows and the provenance.

Examples
--------
>>> import pandas as pd, carbonledger as cl
>>> rows = pd.DataFrame({"year": [2022, 2022], "sector": ["steel", "steel"],
...     "activity": ["fuel_combustion", "purchased_energy"], "item": ["natural_gas", "electricity"],
...     "value": [100.0, 1000.0], "unit": ["wan_m3", "MWh"]})
>>> inv = cl.compute_inventory(rows, gwp="AR5")
>>> sorted(inv.table["gas"].unique().tolist())
['CH4', 'CO2', 'N2O']
>>> round(float(inv.totals().loc[2022, "scope2_co2e_t"]), 1)
536.6
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .activity import read_activity, validate_activity
from .catalog import items as item_table
from .engines.energy import ENERGY_ROLES, energy_balance_totals, energy_table
from .errors import CarbonLedgerError, FactorFallbackWarning, MissingFactorError
from .factors import FactorLibrary, load_factors
from .grouping import (
    concat_frames,
    factorize_columns,
    group_sum,
    map_categorical,
    map_flags,
)
from .gwp import gwp_values
from .kinds import get_kind
from .output import atomic_write, sanitize_cells
from .summaries import methane_inventory, provincial_summary, sink_table
from .units import item_scale, parse_unit, unit_scale

__all__ = ["Inventory", "compute_inventory"]

_ACTIVITY_KEYS = ("year", "region", "facility", "month", "sector", "activity", "item")
_NON_FOSSIL_SECTORS = ("agriculture", "lulucf", "waste")


@dataclass(frozen=True)
class Inventory:
    """The result of :func:`compute_inventory` (an immutable value).

    Attributes
    ----------
    activity : the validated activity rows (value in the unit given).
    results : one row per (activity row, gas): ``row`` (position in ``activity``), ``category``,
        ``gas``, ``emissions_t``, ``co2e_t``, ``factor_id``, ``scope``, ``ipcc_sector``.
    energy : energy of each energy-kind row (``energy_tj``, ``tce``, ``tce_coal_equivalent``,
        ``sign``) with its activity keys.
    rejected : rows not accounted, with a ``reason`` (empty unless ``on_error="collect"``).
    gwp : the GWP set used for CO2e.
    factors : the factor library used.
    input_rows : the number of rows read.
    """

    activity: pd.DataFrame
    results: pd.DataFrame
    energy: pd.DataFrame
    rejected: pd.DataFrame
    gwp: str
    factors: FactorLibrary = field(repr=False)
    input_rows: int = 0
    options: dict = field(default_factory=dict)

    def _keys(self) -> list[str]:
        return [c for c in _ACTIVITY_KEYS if c in self.activity.columns]

    def column(self, name: str) -> pd.Series:
        """One column of :attr:`table` without building the whole table."""
        if name in self.results.columns:
            return self.results[name]
        source = self.activity[name]
        taken = source.take(self.results["row"].to_numpy())
        return pd.Series(taken.to_numpy() if not isinstance(source.dtype, pd.CategoricalDtype)
                         else pd.Categorical.from_codes(source.cat.codes.to_numpy()[
                             self.results["row"].to_numpy()], source.cat.categories),
                         index=self.results.index, name=name)

    @cached_property
    def table(self) -> pd.DataFrame:
        """Result rows: activity keys, ``ipcc_sector``, ``category``, ``gas``, ``scope``,
        ``emissions_t`` (t of the gas; removals negative), ``co2e_t`` and ``factor_id``."""
        data = {name: self.column(name) for name in self._keys()}
        data["row"] = self.activity.index.to_numpy()[self.results["row"].to_numpy()]
        for name in ("ipcc_sector", "category", "gas", "scope", "emissions_t", "co2e_t",
                     "factor_id"):
            data[name] = self.results[name]
        return pd.DataFrame(data)

    def summary(self, by=("year", "sector", "gas"), *, value: str = "co2e_t",
                unit: str = "t", scope=None) -> pd.DataFrame:
        """Sum ``value`` (``co2e_t`` or ``emissions_t``) by result columns, in ``unit``.

        Examples
        --------
        >>> import pandas as pd, carbonledger as cl
        >>> rows = pd.DataFrame({"year": [2022], "sector": ["residential"],
        ...     "activity": ["fuel_combustion"], "item": ["raw_coal"], "value": [1.0],
        ...     "unit": ["wan_t"]})
        >>> cl.compute_inventory(rows).summary(by=["gas"], value="emissions_t", unit="wan_t"
        ...     ).round(4).to_dict()["emissions_t"]
        {'CH4': 0.0063, 'CO2': 1.9003, 'N2O': 0.0}
        """
        by = list(by)
        if value not in ("co2e_t", "emissions_t"):
            raise ValueError("value must be 'co2e_t' or 'emissions_t'")
        if value == "emissions_t" and "gas" not in by:
            raise CarbonLedgerError("emissions of different gases cannot be added",
                                    fix="group by 'gas', or sum value='co2e_t'")
        keep = np.ones(len(self.results), dtype=bool)
        if scope is not None:
            keep = np.isin(self.results["scope"].to_numpy(), np.atleast_1d(scope))
        columns = pd.DataFrame({name: self.column(name) for name in by})[keep]
        codes, uniques = factorize_columns(columns, by)
        sums = group_sum(codes, self.results[value].to_numpy()[keep], len(uniques))
        out = uniques.assign(**{value: sums * unit_scale("t", unit)})
        return out.set_index(by).sort_index()

    def totals(self) -> pd.DataFrame:
        """By year: scope 1, scope 2 and scope 1+2 in t CO2e, and scope-1 tonnes of each gas."""
        years = self.column("year").to_numpy()
        scope = self.results["scope"].to_numpy()
        co2e = self.results["co2e_t"].to_numpy()
        frame = pd.DataFrame({"year": years, "scope": scope, "co2e": co2e})
        out = pd.DataFrame(index=pd.Index(sorted(set(years.tolist())), name="year"))
        out["scope1_co2e_t"] = frame[frame.scope == 1].groupby("year")["co2e"].sum()
        out["scope2_co2e_t"] = frame[frame.scope == 2].groupby("year")["co2e"].sum()
        out = out.fillna(0.0)
        out["scope12_co2e_t"] = out["scope1_co2e_t"] + out["scope2_co2e_t"]
        gases = pd.DataFrame({"year": years, "gas": self.results["gas"].to_numpy(),
                              "t": self.results["emissions_t"].to_numpy()})[scope == 1]
        by_gas = gases.pivot_table(index="year", columns="gas", values="t", aggfunc="sum",
                                   observed=True)
        for gas in by_gas.columns:
            out[f"{gas}_t"] = by_gas[gas].reindex(out.index).fillna(0.0)
        return out

    def energy_totals(self, by=("year",), *, method: str = "calorific",
                      renewable_base_year: int | None = 2020) -> pd.DataFrame:
        """Total energy consumption (tce), feedstock and new-renewable deductions, coal and
        non-fossil shares; see :func:`carbonledger.engines.energy.energy_balance_totals`."""
        return energy_balance_totals(self.energy, by=by, method=method,
                                     renewable_base_year=renewable_base_year)

    def provincial_summary(self, *, year=None, unit: str = "t") -> pd.DataFrame:
        """The provincial guideline's summary table (IPCC sector x CO2, CH4, N2O, HFCs, PFCs,
        SF6, NF3; totals with and without LULUCF; scope-2 and biogenic-CO2 memo rows); see
        :func:`carbonledger.summaries.provincial_summary`."""
        return provincial_summary(self, year=year, unit=unit)

    def methane(self, *, year=None) -> pd.DataFrame:
        """Methane inventory by source with shares (for a methane control action plan)."""
        return methane_inventory(self, year=year)

    def sinks(self, *, year=None) -> pd.DataFrame:
        """Land-use emissions, removals and net by category (removals negative)."""
        return sink_table(self, year=year)

    def manifest(self) -> dict:
        """Package version, GWP set, source preference, factor ids and file sha256 used, and
        the input, accounted and rejected row counts."""
        ids = sorted(set(str(f) for f in self.results["factor_id"].astype(object).unique()))
        used = {part for fid in ids for part in fid.split("+")}
        files = self.factors.file_hashes(used)
        return {
            "package": "carbonledger",
            "version": __version__,
            "gwp": self.gwp,
            "source_preference": list(self.factors.prefer),
            "options": {k: v for k, v in self.options.items() if k != "fallbacks"},
            "fallbacks": list(self.options.get("fallbacks", [])),
            "input_rows": int(self.input_rows),
            "accounted_rows": int(len(self.activity)),
            "rejected_rows": int(len(self.rejected)),
            "rejected_row_labels": [int(r) if isinstance(r, (int, np.integer)) else str(r)
                                    for r in self.rejected.index[:1000]],
            "factor_ids": ids,
            "factor_files": files.to_dict("records"),
        }

    def to_csv(self, directory) -> Path:
        """Write table.csv, summary.csv, totals.csv, energy.csv, rejected.csv and
        manifest.json into ``directory`` (each file written atomically)."""
        directory = Path(directory)
        frames = {
            "table.csv": self.table,
            "summary.csv": self.summary().reset_index(),
            "provincial_summary.csv": self.provincial_summary().reset_index(),
            "totals.csv": self.totals().reset_index(),
            "energy.csv": self.energy,
            "energy_totals.csv": self.energy_totals().reset_index(),
            "rejected.csv": self.rejected,
        }
        for name, frame in frames.items():
            safe = sanitize_cells(frame)
            atomic_write(directory / name, lambda p, f=safe: f.to_csv(p, index=False))
        text = json.dumps(self.manifest(), indent=2, ensure_ascii=False)
        atomic_write(directory / "manifest.json", lambda p: p.write_text(text, encoding="utf-8"))
        return directory

    def to_excel(self, path, *, unit: str = "t", max_rows: int = 100_000) -> Path:
        """Write the workbook in the provincial guideline's layout (summary sheet, one sheet
        per IPCC sector with activity, factors and results, sources, manifest), atomically;
        see :func:`carbonledger.report.workbook.write_workbook`. A sector with more than
        ``max_rows`` rows is summed by year, sector, activity, item, category and gas (the
        row-level table is in :meth:`to_csv`)."""
        from .report.workbook import write_workbook

        return write_workbook(self, path, unit=unit, max_rows=max_rows)


def _library(factors) -> FactorLibrary:
    if factors is None:
        return load_factors()
    if isinstance(factors, FactorLibrary):
        return factors
    if isinstance(factors, str):
        return load_factors(prefer=[factors])
    return load_factors(prefer=list(factors))


def _convert_to_kind_unit(rows: pd.DataFrame, unit: str, lib) -> pd.DataFrame:
    codes, uniques = factorize_columns(rows, ["item", "unit"])
    scales = np.array([item_scale(str(u), unit, str(i), None, "calorific", lib)
                       for i, u in uniques.itertuples(index=False)])
    rows = rows.copy()
    rows["value"] = rows["value"].to_numpy() * scales[codes]
    rows["unit"] = pd.Categorical.from_codes(np.zeros(len(rows), dtype=np.int8), [unit])
    return rows


def _run_kind(name: str, rows: pd.DataFrame, lib, options: dict, labels: pd.Index
              ) -> pd.DataFrame:
    """Run one kind on rows indexed by position; errors name the caller's row labels."""
    kind = get_kind(name)
    try:
        if kind.unit is not None:
            parse_unit(kind.unit)
            rows = _convert_to_kind_unit(rows, kind.unit, lib)
        wanted = {k: v for k, v in options.items() if k in kind.extra.get("options", ())}
        result = kind.compute(rows, lib, **wanted)
    except CarbonLedgerError as exc:
        if not exc.rows:
            raise
        named = labels[np.asarray(exc.rows, dtype=np.int64)].tolist()
        raise type(exc)(exc.message, rows=named, fix=exc.fix, **exc.fields) from exc
    n = len(result)
    result["ipcc_sector"] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int64), [kind.sector])
    return result


def compute_inventory(activity, *, factors=None, gwp: str = "AR5", on_error: str = "raise",
                      grid_purpose: str = "mee_nbs_average",
                      allow_mixed_units: bool = False) -> Inventory:
    """Account an activity table into an :class:`Inventory`.

    Parameters
    ----------
    activity : DataFrame or path (CSV, XLSX, Parquet) of activity rows.
    factors : a FactorLibrary, or a source id / list of source ids to prefer (default: the
        bundled library, China-specific sources first).
    gwp : GWP set for CO2e: ``SAR``, ``AR4``, ``AR5`` or ``AR6``.
    on_error : ``"raise"`` or ``"collect"`` (offending rows go to ``inv.rejected``).
    grid_purpose : which published grid factor series scope 2 uses: ``mee_nbs_average``
        (inventories) or ``ets`` (enterprise ETS reporting).
    allow_mixed_units : accept one item of one kind in several units.

    Raises
    ------
    ActivityDataError, UnitConversionError, MissingFactorError
        Bad rows (named), unknown units or items, a factor not found.
    """
    lib = _library(factors)
    gwps = gwp_values(gwp, lib)
    frame = read_activity(activity)
    input_rows = len(frame)
    valid, rejected = validate_activity(frame, on_error=on_error,
                                        allow_mixed_units=allow_mixed_units)
    options = {"grid_purpose": grid_purpose}
    while True:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", FactorFallbackWarning)
                results, energy = _compute(valid, lib, options)
            break
        except CarbonLedgerError as exc:
            if on_error != "collect" or not exc.rows:
                raise
            bad = valid.index.isin(exc.rows)
            if not bad.any():
                raise
            moved = valid.loc[bad].assign(reason=str(exc))
            rejected = pd.concat([rejected, moved])
            valid = valid.loc[~bad]
    fallbacks = sorted({str(w.message) for w in caught
                        if issubclass(w.category, FactorFallbackWarning)})
    for other in caught:
        if not issubclass(other.category, FactorFallbackWarning):
            warnings.warn_explicit(other.message, other.category, other.filename, other.lineno)
    if fallbacks:
        more = f" (and {len(fallbacks) - 3} more; see inv.manifest()['fallbacks'])" if len(
            fallbacks) > 3 else ""
        warnings.warn(f"{len(fallbacks)} factor fallback(s): " + "; ".join(fallbacks[:3]) + more,
                      FactorFallbackWarning, stacklevel=2)
    options["fallbacks"] = fallbacks
    results = _with_co2e(results, gwps, split_fossil_ch4=(gwp == "AR6"))
    return Inventory(activity=valid, results=results, energy=energy, rejected=rejected, gwp=gwp,
                     factors=lib, input_rows=input_rows, options=options)


def _compute(valid: pd.DataFrame, lib, options) -> tuple[pd.DataFrame, pd.DataFrame]:
    labels = valid.index
    work = valid.reset_index(drop=True)  # kinds see positions; errors are mapped back to labels
    activity_codes = work["activity"].cat.codes.to_numpy()
    names = list(work["activity"].cat.categories)
    energy_mask = work["activity"].isin(list(ENERGY_ROLES)).to_numpy()
    energy = pd.DataFrame()
    energy_tj = np.zeros(len(work))
    if energy_mask.any():
        energy_rows = work if energy_mask.all() else work.loc[energy_mask]
        try:
            energy = energy_table(energy_rows, lib)
        except CarbonLedgerError as exc:
            if not exc.rows:
                raise
            raise type(exc)(exc.message, rows=labels[np.asarray(exc.rows)].tolist(),
                            fix=exc.fix, **exc.fields) from exc
        energy_tj[energy_mask] = energy["energy_tj"].to_numpy()
        keys = [c for c in _ACTIVITY_KEYS if c in work.columns]
        catalog = item_table()
        energy = pd.concat([energy_rows[keys], energy], axis=1)
        energy["group"] = map_categorical(energy_rows["item"], catalog["group"])
        energy["fossil"] = map_flags(energy_rows["item"], catalog["fossil"], False)
        energy.index = labels[energy_mask]
    pieces = []
    for code, name in enumerate(names):
        mask = activity_codes == code
        if not mask.any():
            continue
        rows = work.copy(deep=False) if mask.all() else work.loc[mask]
        if name in ENERGY_ROLES:
            rows["energy_tj"] = energy_tj[mask]
        result = _run_kind(name, rows, lib, options, labels)
        if len(result):
            pieces.append(result)
    if pieces:
        results = pieces[0] if len(pieces) == 1 else concat_frames(pieces)
    else:
        results = pd.DataFrame({"row": [], "category": [], "gas": [], "emissions_t": [],
                                "factor_id": [], "scope": [], "ipcc_sector": []})
    results["row"] = results["row"].astype(np.int64)
    for column in ("category", "gas", "factor_id", "ipcc_sector"):
        if not isinstance(results[column].dtype, pd.CategoricalDtype):
            results[column] = results[column].astype("category")
    results["scope"] = results["scope"].astype(np.int8)
    results["emissions_t"] = results["emissions_t"].astype("float64")
    return results, energy


def _with_co2e(results: pd.DataFrame, gwps: dict, *, split_fossil_ch4: bool) -> pd.DataFrame:
    """CO2e by the GWP set; under AR6 CH4 of energy and IPPU takes the fossil value
    (AR6 WG1 Table 7.15: 29.8 fossil, 27.0 non-fossil). Biogenic CO2 is a memo item (0)."""
    gas = results["gas"].cat
    sector = results["ipcc_sector"].cat
    non_fossil_sector = np.isin(np.asarray(sector.categories, dtype=object),
                                _NON_FOSSIL_SECTORS)[sector.codes.to_numpy()]
    per_gas = np.zeros(len(gas.categories))
    for position, name in enumerate(gas.categories):
        if name == "CO2_biogenic":
            continue
        if name not in gwps:
            raise MissingFactorError(f"the GWP set has no value for {name!r}",
                                     fix=f"choose a GWP set that lists {name}")
        per_gas[position] = gwps[name]
    factors = per_gas[gas.codes.to_numpy()]
    if split_fossil_ch4 and "CH4" in list(gas.categories) and "CH4_fossil" in gwps:
        is_ch4 = gas.codes.to_numpy() == list(gas.categories).index("CH4")
        factors = np.where(is_ch4 & ~non_fossil_sector, gwps["CH4_fossil"], factors)
        factors = np.where(is_ch4 & non_fossil_sector,
                           gwps.get("CH4_non_fossil", gwps["CH4"]), factors)
    return results.assign(co2e_t=results["emissions_t"].to_numpy() * factors)
