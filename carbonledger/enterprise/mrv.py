"""Facility accounting for carbon-market reporting (MRV): :func:`compute`.

Emissions per facility-year the way the national ETS accounting guidelines prescribe, on the
inventory's own factors, units and engines:

* fuel combustion -- ``fuel x NCV x carbon content x oxidation x 44/12``; measured NCV, carbon
  content and oxidation rate where given (columns ``ncv`` in GJ per ``ncv_unit``,
  ``carbon_content`` in t C/TJ, ``oxidation`` as a fraction), else the library defaults; with
  ``grid_purpose="ets"`` coal burned in a power facility whose carbon content is not measured
  takes the power guideline's conservative high default (0.03085 tC/GJ) and is flagged;
* process emissions -- desulfurisation ``sorbent x carbonate content x EF`` (power) and every
  process kind of the inventory (clinker, lime, iron and steel, aluminium incl. PFCs, ...);
* purchased electricity and heat -- scope 2 at the year's grid factor for ``grid_purpose``
  (``"ets"`` by default: the national factor MEE prescribes for enterprise reports);
* ``production`` rows give the output used for intensities.

Direct (scope 1) and indirect (scope 2) emissions are kept apart.

Examples
--------
>>> import pandas as pd
>>> from carbonledger import enterprise
>>> rows = pd.DataFrame({
...     "facility": ["P1", "P1", "P1"], "year": [2022] * 3, "sector": ["power"] * 3,
...     "activity": ["fuel_combustion", "purchased_energy", "production"],
...     "item": ["raw_coal", "electricity", "electricity"], "value": [1000.0, 100.0, 2500.0],
...     "unit": ["t", "MWh", "MWh"]})
>>> res = enterprise.compute(rows)
>>> row = res.table.iloc[0]
>>> round(float(row["combustion_co2_t"]), 1), round(float(row["electricity_co2_t"]), 2), row["audit"]
(2341.4, 57.03, 'default:1;conservative_default:1')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..inventory import _library
from ..output import write_csv, write_json
from .ledger import Ledger
from .results import RULES, derive, entity_table
from .scale import ingest_cells, is_dask, iter_chunks, partition_cells

__all__ = ["compute", "EnterpriseResult"]

_KEYS = ("facility", "year", "month")


@dataclass(frozen=True)
class EnterpriseResult:
    """Result of :func:`compute`.

    Attributes
    ----------
    table : one row per ``by`` group: emissions by source and gas (``<source>_<gas>_t``),
        ``direct_co2e_t`` (scope 1), ``indirect_co2e_t`` (scope 2), ``total_co2e_t``,
        ``energy_tce``, ``output``/``output_unit``, ``intensity_co2e_t_per_unit``,
        ``energy_tce_per_unit``, row counts per rule (``rows_default``,
        ``rows_conservative_default``, ``rows_measured``, ``rows_gap_filled``) and ``audit``.
    rejected : rows not accounted, with the reason (``on_error="collect"``).
    factors : one row per distinct row shape (proto): key, rule, factor ids, per-unit values.
    audit : one row per input row (row, facility, year, activity, item, rule, factor_id) when
        asked with ``audit=True``, else ``None``.
    """

    table: pd.DataFrame
    rejected: pd.DataFrame
    factors: pd.DataFrame
    audit: pd.DataFrame | None
    input_rows: int
    options: dict = field(default_factory=dict)

    def manifest(self) -> dict:
        """Version, options, row counts and the factor ids used."""
        ids = sorted({part for fid in self.factors.get("factor_id", pd.Series(dtype=str))
                      for part in str(fid).split("+") if part})
        return {"package": "carbonledger", "version": __version__, "options": self.options,
                "input_rows": int(self.input_rows), "rejected_rows": int(len(self.rejected)),
                "groups": int(len(self.table)), "factor_ids": ids}

    def to_csv(self, directory) -> Path:
        """Write table.csv, rejected.csv, factors.csv (and audit.csv) plus manifest.json."""
        directory = Path(directory)
        frames = {"table.csv": self.table, "rejected.csv": self.rejected,
                  "factors.csv": self.factors}
        if self.audit is not None:
            frames["audit.csv"] = self.audit
        for name, frame in frames.items():
            write_csv(directory / name, frame)
        write_json(directory / "manifest.json", self.manifest())
        return directory


def compute(rows, *, factors=None, gwp: str = "AR5", by=("facility", "year"),
            on_error: str = "raise", monthly: bool = False, audit: bool = False,
            grid_purpose: str = "ets", chunk_rows: int = 1 << 20, progress=False
            ) -> EnterpriseResult:
    """Account facility rows into per-facility-year (or per-month) emissions and energy.

    Parameters
    ----------
    rows : pandas DataFrame, path to a Parquet/CSV file or a folder of them, or a dask
        DataFrame. Columns ``facility, year, sector, activity, item, value, unit`` (+ ``month``
        for monthly results), optional measured ``ncv``/``ncv_unit``, ``carbon_content``,
        ``oxidation``, ``carbonate_fraction``, a ``grid_region``/``region`` and attributes.
    factors : FactorLibrary or source preference (default: the bundled library).
    gwp : GWP set for CO2e.
    by : grouping columns of the result (``facility``, ``year``, ``month`` or any attribute
        column such as ``province`` or ``industry``).
    on_error : ``"raise"`` (typed error naming the rows) or ``"collect"`` (``.rejected``).
    monthly : results per facility-month (implied by ``"month"`` in ``by``).
    audit : also return one audit row per input row (costs memory).
    grid_purpose : ``"ets"`` (ETS rules and the ETS grid factor) or ``"mee_nbs_average"``.
    chunk_rows : rows per batch (memory bound of the out-of-core path).
    progress : ``True`` prints rows done to stderr; a callable receives ``(done, total)``.

    Returns
    -------
    EnterpriseResult

    Raises
    ------
    ActivityDataError, UnitConversionError, MissingFactorError
        Rows that cannot be accounted (named), unless ``on_error="collect"``.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"facility": ["C1"] * 2, "year": [2023] * 2,
    ...     "sector": ["building_materials"] * 2,
    ...     "activity": ["clinker_production", "production"], "item": ["clinker"] * 2,
    ...     "value": [1.0, 1.0], "unit": ["wan_t"] * 2})
    >>> t = compute(rows).table
    >>> round(float(t["process_co2_t"].iloc[0])), float(t["output"].iloc[0])
    (5202, 10000.0)
    """
    lib = _library(factors)
    by = [by] if isinstance(by, str) else list(by)
    monthly = monthly or "month" in by
    if monthly and "month" not in by:
        by.append("month")
    attrs = [c for c in by if c not in _KEYS]
    options = {"gwp": gwp, "by": by, "monthly": monthly, "grid_purpose": grid_purpose,
               "on_error": on_error, "audit": audit}
    ledger = Ledger(lib, gwp=gwp, purpose=grid_purpose, monthly=monthly, attrs=attrs,
                    audit=audit, on_error=on_error)
    if is_dask(rows):
        import dask

        settings = {"prefer": list(lib.prefer), "gwp": gwp, "purpose": grid_purpose,
                    "monthly": monthly, "attrs": attrs, "audit": audit, "on_error": on_error,
                    "chunk_rows": chunk_rows}
        parts = dask.compute(*[dask.delayed(partition_cells)(part, settings)
                               for part in rows.to_delayed()])
        for part in parts:
            ingest_cells(ledger, part)
    else:
        for chunk in iter_chunks(rows, chunk_rows=chunk_rows, attrs=attrs, progress=progress,
                                 monthly=monthly):
            ledger.add(chunk)
    unique = (len(ledger.ent_fac) == len(ledger.facilities.values)
              and {"facility", "year"} <= set(by))
    table = _group(entity_table(ledger), by, unique=unique)
    rejected = (pd.concat(ledger.rejected, ignore_index=True) if ledger.rejected else
                pd.DataFrame(columns=["row", "facility", "year", "activity", "item", "unit",
                                      "value", "reason"]))
    audit_rows = None
    if audit:
        audit_rows = (pd.concat(ledger.audit_rows, ignore_index=True) if ledger.audit_rows
                      else pd.DataFrame(columns=["row", "facility", "year", "activity", "item",
                                                 "rule", "factor_id"]))
    return EnterpriseResult(table=table, rejected=rejected, factors=ledger.protos.frame(),
                            audit=audit_rows, input_rows=ledger.rows_in, options=options)


def _group(frame: pd.DataFrame, by: list[str], *, unique: bool = False) -> pd.DataFrame:
    """Sum entity rows into ``by`` groups; text attributes kept when unique, else 'mixed'."""
    numeric = [c for c in frame.columns if c not in by and pd.api.types.is_numeric_dtype(
        frame[c]) and c not in ("intensity_co2e_t_per_unit", "energy_tce_per_unit", "output")]
    text = [c for c in ("sector", "region", "output_unit") if c in frame.columns and c not in by]
    if frame.empty or unique or not frame.duplicated(by).any():
        out = frame.sort_values(by, kind="stable").reset_index(drop=True)
        out = out.drop(columns=[c for c in frame.columns if c not in by and c not in numeric
                                and c not in text and c != "output"])
        return _order(derive(out), by)
    grouped = frame.groupby(by, sort=True, dropna=False)
    out = grouped[numeric].sum()
    for column in text:
        first = grouped[column].first()
        out[column] = first.where(grouped[column].nunique() <= 1, "mixed")
    out["output"] = grouped["output"].sum(min_count=1)
    out.loc[out["output_unit"] == "mixed", "output"] = np.nan
    return _order(derive(out.reset_index()), by)


def _order(out: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    if "region" in out.columns and "region" not in by and (out["region"] == "").all():
        out = out.drop(columns="region")
    ordered = [*by, *[c for c in ("sector", "region") if c in out.columns and c not in by]]
    rules_first = [f"rows_{r}" for r in RULES]
    rest = [c for c in out.columns if c not in ordered and c not in rules_first
            and c not in ("rows", "audit")]
    return out[[*ordered, *rest, "rows", *rules_first, "audit"]]
