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

import warnings
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .activity import read_activity, validate_activity
from .blocks import ResultBlock, Slot, block_sums, blocks_frame
from .catalog import items as item_table
from .engines.energy import ENERGY_ROLES, energy_arrays, energy_balance_totals
from .errors import CarbonLedgerError, FactorFallbackWarning, MissingFactorError
from .factors import FactorLibrary, load_factors
from .grouping import factorize_columns, group_sum, map_categorical, map_flags
from .gwp import gwp_values
from .kinds import get_kind
from .output import write_csv, write_json
from .summaries import methane_inventory, provincial_summary, sink_table
from .units import item_scale, parse_unit, unit_scale

__all__ = ["Inventory", "compute_inventory"]

_ACTIVITY_KEYS = ("year", "region", "facility", "month", "sector", "activity", "item")
_NON_FOSSIL_SECTORS = ("agriculture", "lulucf", "waste")


class _Lazy:
    """A dataclass field that is either given or built on first read from the inventory's
    result blocks (``results``) or energy arrays (``energy``), then kept."""

    def __init__(self, build):
        self.build = build

    def __set_name__(self, owner, name):
        self.slot = "_" + name

    def __get__(self, obj, owner=None):
        if obj is None:
            return None  # the field's default: built on demand
        value = obj.__dict__.get(self.slot)
        if value is None:
            value = self.build(obj)
            obj.__dict__[self.slot] = value
        return value

    def __set__(self, obj, value):
        obj.__dict__[self.slot] = value


def _results_of(inv) -> pd.DataFrame:
    return blocks_frame(list(inv.blocks))


def _energy_of(inv) -> pd.DataFrame:
    if inv.energy_arrays is None:  # no energy rows: the columns, no rows
        empty = np.zeros(0)
        positions, arrays = np.zeros(0, dtype=np.int64), {
            "energy_tj": empty, "tce": empty, "tce_coal_equivalent": empty, "sign": empty,
            "ncv_source": pd.Categorical.from_codes(np.zeros(0, np.int8),
                                                    ["default", "measured"])}
    else:
        positions, arrays = inv.energy_arrays
    rows = inv.activity if positions is None else inv.activity.iloc[positions]
    catalog = item_table()
    energy = rows[[c for c in _ACTIVITY_KEYS if c in rows.columns]].copy()
    for name, values in arrays.items():
        energy[name] = values
    energy["group"] = map_categorical(rows["item"], catalog["group"])
    energy["fossil"] = map_flags(rows["item"], catalog["fossil"], False)
    return energy


@dataclass(frozen=True, kw_only=True, eq=False, repr=False)
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
    blocks, energy_arrays : what :func:`compute_inventory` computed, from which ``results``
        and ``energy`` are built when first read (give ``results``/``energy`` instead to make
        an inventory by hand; then the blocks are not used).
    """

    activity: pd.DataFrame
    results: pd.DataFrame = _Lazy(_results_of)
    energy: pd.DataFrame = _Lazy(_energy_of)
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)
    gwp: str = "AR5"
    factors: FactorLibrary | None = None
    input_rows: int = 0
    options: dict = field(default_factory=dict)
    blocks: tuple = ()
    energy_arrays: tuple | None = None

    def __post_init__(self):
        if self.__dict__.get("_results") is not None:  # given: the blocks no longer describe it
            object.__setattr__(self, "blocks", ())
        if self.__dict__.get("_energy") is not None:
            object.__setattr__(self, "energy_arrays", None)

    def __repr__(self) -> str:
        return (f"Inventory({len(self.activity):,} activity rows, {self.input_rows:,} read, "
                f"{len(self.rejected):,} rejected, gwp={self.gwp!r})")

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
        if self.blocks and "row" not in by:
            sums = block_sums(self.blocks, by, value, self.activity, scope=scope)
            if sums is not None:
                sums[value] = sums[value] * unit_scale("t", unit)
                return sums.set_index(by).sort_index()
        keep = np.ones(len(self.results), dtype=bool)
        if scope is not None:
            keep = np.isin(self.results["scope"].to_numpy(), np.atleast_1d(scope))
        columns = pd.DataFrame({name: self.column(name) for name in by})[keep]
        codes, uniques = factorize_columns(columns, by)
        sums = group_sum(codes, self.results[value].to_numpy()[keep], len(uniques))
        out = uniques.assign(**{value: sums * unit_scale("t", unit)})
        return out.set_index(by).sort_index()

    def totals(self) -> pd.DataFrame:
        """By year: scope 1, scope 2 and scope 1+2 in t CO2e, and scope-1 tonnes of each gas
        (sums of :meth:`summary`, so of the result blocks when there are any)."""
        scoped = self.summary(by=["year", "scope"]).reset_index()
        gases = self.summary(by=["year", "gas"], value="emissions_t", scope=1).reset_index()
        years = sorted({int(y) for y in scoped["year"]})
        out = pd.DataFrame(index=pd.Index(years, name="year", dtype="int64"))

        def column(frame, mask, value):
            picked = frame.loc[mask, ["year", value]]
            series = pd.Series(picked[value].to_numpy(),
                               index=picked["year"].to_numpy().astype("int64"))
            return series.reindex(out.index).fillna(0.0).to_numpy()

        scope = scoped["scope"].to_numpy()
        out["scope1_co2e_t"] = column(scoped, scope == 1, "co2e_t")
        out["scope2_co2e_t"] = column(scoped, scope == 2, "co2e_t")
        out["scope12_co2e_t"] = out["scope1_co2e_t"] + out["scope2_co2e_t"]
        for gas in sorted(set(gases["gas"])):
            out[f"{gas}_t"] = column(gases, (gases["gas"] == gas).to_numpy(), "emissions_t")
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
            write_csv(directory / name, frame)
        write_json(directory / "manifest.json", self.manifest())
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
              ) -> ResultBlock:
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
    if isinstance(result, ResultBlock):
        return result.with_sector(kind.sector)
    return ResultBlock.from_frame(result, kind.sector)


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
                blocks, energy_arrays = _compute(valid, lib, options)
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
    split = gwp == "AR6"
    blocks = tuple(_block_co2e(block, gwps, split_fossil_ch4=split) for block in blocks)
    return Inventory(activity=valid, rejected=rejected, gwp=gwp, factors=lib,
                     input_rows=input_rows, options=options, blocks=blocks,
                     energy_arrays=energy_arrays)


def _compute(valid: pd.DataFrame, lib, options) -> tuple[list[ResultBlock], tuple | None]:
    """Result blocks of every kind present, and (positions, arrays) of the energy rows."""
    labels = valid.index
    work = valid.reset_index(drop=True)  # kinds see positions; errors are mapped back to labels
    activity_codes = work["activity"].cat.codes.to_numpy()
    names = list(work["activity"].cat.categories)
    is_energy_kind = np.array([name in ENERGY_ROLES for name in names] + [False])
    energy_mask = is_energy_kind[activity_codes]
    all_energy = bool(energy_mask.all())
    energy_parts = None
    energy_tj = None
    if energy_mask.any():
        energy_rows = work if all_energy else work.loc[energy_mask]
        try:
            arrays = energy_arrays(energy_rows, lib)
        except CarbonLedgerError as exc:
            if not exc.rows:
                raise
            raise type(exc)(exc.message, rows=labels[np.asarray(exc.rows)].tolist(),
                            fix=exc.fix, **exc.fields) from exc
        if all_energy:
            energy_tj = arrays["energy_tj"]
        else:
            energy_tj = np.zeros(len(work))
            energy_tj[energy_mask] = arrays["energy_tj"]
        energy_parts = (None if all_energy else np.flatnonzero(energy_mask), arrays)
    blocks = []
    for code, name in enumerate(names):
        mask = None if len(names) == 1 else activity_codes == code
        if mask is not None and not mask.any():
            continue
        rows = work.copy(deep=False) if mask is None else work.loc[mask]
        if name in ENERGY_ROLES:
            rows["energy_tj"] = energy_tj if mask is None else energy_tj[mask]
        block = _run_kind(name, rows, lib, options, labels)
        if len(block):
            blocks.append(block)
    return blocks, energy_parts


def _gas_gwp(gas: pd.Categorical, non_fossil, gwps: dict, *, split_fossil_ch4: bool
             ) -> np.ndarray:
    """GWP of each row's gas; under AR6 CH4 of energy and IPPU takes the fossil value
    (AR6 WG1 Table 7.15: 29.8 fossil, 27.0 non-fossil). Biogenic CO2 is a memo item (0)."""
    per_gas = np.zeros(len(gas.categories))
    for position, name in enumerate(gas.categories):
        if name == "CO2_biogenic":
            continue
        if name not in gwps:
            raise MissingFactorError(f"the GWP set has no value for {name!r}",
                                     fix=f"choose a GWP set that lists {name}")
        per_gas[position] = gwps[name]
    if split_fossil_ch4 and "CH4" in list(gas.categories) and "CH4_fossil" in gwps:
        position = list(gas.categories).index("CH4")
        ch4 = np.where(non_fossil, gwps.get("CH4_non_fossil", gwps["CH4"]), gwps["CH4_fossil"])
        if np.ndim(ch4) == 0:
            per_gas[position] = ch4
        else:
            factors = per_gas[np.asarray(gas.codes)]
            return np.where(np.asarray(gas.codes) == position, ch4, factors)
    return per_gas[np.asarray(gas.codes)]


def _block_co2e(block: ResultBlock, gwps: dict, *, split_fossil_ch4: bool) -> ResultBlock:
    non_fossil = block.ipcc_sector in _NON_FOSSIL_SECTORS
    slots = []
    for slot in block.slots:
        if len(slot.gas.categories) == 1 and len(slot.gas):
            factor = _gas_gwp(slot.gas[:1], non_fossil, gwps, split_fossil_ch4=split_fossil_ch4)
            co2e = slot.emissions_t * factor[0]
        else:
            co2e = slot.emissions_t * _gas_gwp(slot.gas, non_fossil, gwps,
                                               split_fossil_ch4=split_fossil_ch4)
        slots.append(Slot(slot.gas, slot.emissions_t, slot.factor_id, slot.scope, co2e))
    return ResultBlock(block.rows, block.category, tuple(slots), block.ipcc_sector)


def _with_co2e(results: pd.DataFrame, gwps: dict, *, split_fossil_ch4: bool) -> pd.DataFrame:
    """A long result frame with ``co2e_t`` by the GWP set (see :func:`_gas_gwp`)."""
    sector = results["ipcc_sector"].cat
    non_fossil = np.isin(np.asarray(sector.categories, dtype=object),
                         _NON_FOSSIL_SECTORS)[sector.codes.to_numpy()]
    gas = results["gas"].array
    return results.assign(co2e_t=results["emissions_t"].to_numpy()
                          * _gas_gwp(gas, non_fossil, gwps, split_fossil_ch4=split_fossil_ch4))
