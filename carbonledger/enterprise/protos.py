"""Per-unit coefficients of every distinct row "shape", computed by the inventory itself.

A *proto* is one distinct ``(year, sector, region, activity, item, unit)`` of the facility rows.
Its coefficients -- tonnes of each gas by source, CO2e, tce and TJ **per unit of value** -- are
obtained by running :func:`carbonledger.compute_inventory` on one row per proto with value 1
(plus the ETS rule parameters of :mod:`carbonledger.enterprise.rules`). Every linear row of the
ledger is then ``value x coefficient[proto]``: the same factors, units, engines and GWP handling
as the inventory, evaluated once per proto instead of once per row. A proto the inventory refuses
(unknown fuel, impossible unit, missing factor) is kept with the typed error, so the rows of that
shape can be named and refused.

Examples
--------
>>> import carbonledger as cl
>>> table = ProtoTable(cl.load_factors(), gwp="AR5", purpose="ets")
>>> ids = table.ensure([(2022, "steel", "", "fuel_combustion", "natural_gas", "wan_m3")])
>>> round(float(table.record(ids[0])["coef"]["combustion_co2_t"]), 3)
21.622
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ActivityDataError, CarbonLedgerError, UnitConversionError
from ..inventory import compute_inventory
from ..units import parse_unit, unit_scale, ureg
from . import rules

__all__ = ["ProtoTable", "gas_column", "shared_protos"]

_SHARED: dict = {}


def shared_protos(lib, *, gwp: str, purpose: str) -> ProtoTable:
    """One :class:`ProtoTable` per (library, GWP set, purpose) in this process: protos depend
    only on those, so repeated :func:`~carbonledger.enterprise.compute` calls reuse them."""
    key = (id(lib), gwp, purpose)
    table = _SHARED.get(key)
    if table is None or table.lib is not lib:
        table = ProtoTable(lib, gwp=gwp, purpose=purpose)
        _SHARED[key] = table
    return table


def gas_column(source: str, gas: str) -> str:
    """Result column name of a source and gas, e.g. ``combustion_co2_t``."""
    return f"{source}_{gas.lower().replace('-', '_')}_t"


def _output_unit(unit: str, item: str) -> str:
    """Canonical unit of production rows: t for masses, MWh for electricity, GJ for heat."""
    dim = ureg.get_dimensionality(parse_unit(unit))
    if dim == ureg.get_dimensionality("t"):
        return "t"
    if dim == ureg.get_dimensionality("J"):
        return "MWh" if item == "electricity" else "GJ"
    return unit


class ProtoTable:
    """Registry of protos and their per-unit coefficients (grows as new shapes appear).

    Parameters
    ----------
    lib : the factor library.
    gwp : GWP set passed to the inventory.
    purpose : grid-factor purpose (``"ets"`` or ``"mee_nbs_average"``); with ``"ets"`` the ETS
        rules (conservative default, ETS oxidation, desulfurisation factors) apply.
    """

    def __init__(self, lib, *, gwp: str, purpose: str):
        self.lib = lib
        self.gwp = gwp
        self.purpose = purpose
        self.ids: dict[tuple, int] = {}
        self.records: list[dict] = []
        self.columns: list[str] = []

    def __len__(self) -> int:
        return len(self.records)

    def record(self, proto_id: int) -> dict:
        """The record of one proto (key, valid, error, rule, factor_id, coef, ...)."""
        return self.records[proto_id]

    def ensure(self, keys) -> np.ndarray:
        """Proto ids of ``keys`` (tuples ``(year, sector, region, activity, item, unit)``),
        computing the coefficients of new ones in one inventory run."""
        new = [k for k in dict.fromkeys(keys) if k not in self.ids]
        if new:
            self._compute(new)
        return np.array([self.ids[k] for k in keys], dtype=np.int64)

    def matrix(self) -> tuple[np.ndarray, list[str]]:
        """(P x K coefficient matrix, column names)."""
        out = np.zeros((len(self.records), len(self.columns)))
        position = {c: i for i, c in enumerate(self.columns)}
        for row, rec in enumerate(self.records):
            for name, value in rec["coef"].items():
                out[row, position[name]] = value
        return out, list(self.columns)

    def frame(self) -> pd.DataFrame:
        """One row per proto: key, source, rule, factor ids, validity and coefficients."""
        matrix, columns = self.matrix()
        keys = ["year", "sector", "region", "activity", "item", "unit"]
        base = pd.DataFrame([dict(zip(keys, r["key"], strict=True), source=r["source"],
                                  rule=r["rule"], factor_id=r["factor_id"], valid=r["valid"],
                                  reason=r["reason"]) for r in self.records])
        return pd.concat([base, pd.DataFrame(matrix, columns=[f"{c}_per_unit" for c in columns])],
                         axis=1)

    # ------------------------------------------------------------------ internals

    def _add(self, key, **fields) -> None:
        self.ids[key] = len(self.records)
        record = {"key": key, "valid": True, "error": None, "reason": "", "rule": "default",
                  "factor_id": "", "coef": {}, "tj_per_unit": 0.0, "source": "",
                  "output_unit": ""}
        record.update(fields)
        for name in record["coef"]:
            if name not in self.columns:
                self.columns.append(name)
        self.records.append(record)

    def _compute(self, keys: list[tuple]) -> None:
        rows, meta = [], []
        for key in keys:
            year, sector, region, activity, item, unit = key
            if not rules.is_known_activity(activity):
                self._add(key, valid=False, error=ActivityDataError,
                          reason=f"unknown activity kind {activity!r}")
                continue
            try:
                parse_unit(unit)
            except UnitConversionError as exc:
                self._add(key, valid=False, error=UnitConversionError, reason=str(exc))
                continue
            if activity == "production":
                target = _output_unit(unit, item)
                self._add(key, source="output", rule="output", output_unit=target,
                          coef={"output": unit_scale(unit, target)})
                continue
            row = {"year": year, "sector": sector, "activity": activity, "item": item,
                   "value": 1.0, "unit": unit, "grid_region": region or np.nan,
                   "carbon_content": np.nan, "oxidation": np.nan, "ef_t_per_t": np.nan}
            info = {"key": key, "rule": "default", "extra_ids": [],
                    "source": "desulfurisation" if activity == "desulfurisation" else ""}
            if activity == "desulfurisation":
                try:
                    ef, fraction, ids = rules.sorbent_factors(self.lib, item)
                except CarbonLedgerError as exc:
                    self._add(key, valid=False, error=type(exc), reason=str(exc))
                    continue
                row.update(activity="carbonate_use", item=rules.resolve_sorbent(item),
                           value=fraction, ef_t_per_t=ef)
                info["extra_ids"].append(ids)
            elif activity == "fuel_combustion" and self.purpose == "ets":
                high = rules.high_default(self.lib, item, sector)
                if high is not None:
                    row["carbon_content"] = high[0]
                    info["rule"] = "conservative_default"
                    info["extra_ids"].append(high[1])
                    ox = rules.ets_oxidation(self.lib, item, sector)
                    if ox is not None:
                        row["oxidation"] = ox[0]
                        info["extra_ids"].append(ox[1])
            rows.append(row)
            meta.append(info)
        if rows:
            frame = pd.DataFrame(rows)
            frame["facility"] = [f"proto{i}" for i in range(len(frame))]  # rows are distinct
            self._run(frame, meta)

    def _run(self, frame: pd.DataFrame, meta: list[dict]) -> None:
        if frame["grid_region"].isna().all():
            frame = frame.drop(columns="grid_region")
        for column in ("carbon_content", "oxidation", "ef_t_per_t"):
            if frame[column].isna().all():
                frame = frame.drop(columns=column)
        failed: dict[int, CarbonLedgerError] = {}
        pending = frame
        inv = None
        while len(pending):
            try:
                inv = compute_inventory(pending, factors=self.lib, gwp=self.gwp,
                                        grid_purpose=self.purpose, allow_mixed_units=True)
                break
            except CarbonLedgerError as exc:
                bad = pending.index.isin(exc.rows) if exc.rows else np.ones(len(pending), bool)
                for label in pending.index[bad]:
                    failed[int(label)] = exc
                pending = pending.loc[~bad]
        sums: dict[int, dict] = {int(i): {} for i in pending.index}
        ids: dict[int, list] = {int(i): [] for i in pending.index}
        tj: dict[int, float] = {}
        if inv is not None and len(pending):
            table = inv.table
            for position in pending.index:
                ids[int(position)] = []
            activity = table["activity"].astype(str).to_numpy()
            item = table["item"].astype(str).to_numpy()
            gas = table["gas"].astype(str).to_numpy()
            scope = table["scope"].to_numpy()
            for label, act, itm, g, sc, t, e, fid in zip(
                    table["row"].to_numpy(), activity, item, gas, scope,
                    table["emissions_t"].to_numpy(), table["co2e_t"].to_numpy(),
                    table["factor_id"].astype(str).to_numpy(), strict=True):
                source = meta[int(label)]["source"] or rules.source_of(act, itm)
                coef = sums[int(label)]
                name = gas_column(source, g)
                coef[name] = coef.get(name, 0.0) + t
                co2e = "indirect_co2e_t" if sc == 2 else "direct_co2e_t"
                coef[co2e] = coef.get(co2e, 0.0) + e
                if fid not in ids[int(label)]:
                    ids[int(label)].append(fid)
            energy = inv.energy
            if len(energy):
                signed_tce = energy["tce"].to_numpy() * energy["sign"].to_numpy()
                signed_tj = energy["energy_tj"].to_numpy() * energy["sign"].to_numpy()
                for label, tce_value, tj_value in zip(energy.index, signed_tce, signed_tj,
                                                      strict=True):
                    coef = sums[int(label)]
                    coef["energy_tce"] = coef.get("energy_tce", 0.0) + tce_value
                    tj[int(label)] = tj_value
        for position, info in enumerate(meta):
            key = info["key"]
            if position in failed:
                exc = failed[position]
                self._add(key, valid=False, error=type(exc), reason=exc.message)
                continue
            source = info["source"] or rules.source_of(key[3], key[4])
            factor_ids = "+".join(ids.get(position, []) + info["extra_ids"])
            self._add(key, source=source, rule=info["rule"], factor_id=factor_ids,
                      coef=sums.get(position, {}), tj_per_unit=tj.get(position, 0.0))
