"""Row-level paths of the ledger for rows that are not linear in their value.

* :func:`kernel_path` -- fuel rows with a measured NCV, carbon content or oxidation rate. They go
  through the inventory's :func:`~carbonledger.engines.energy.energy_table` (measured NCV) and
  the ``fuel_combustion`` kind of :mod:`carbonledger.engines.combustion` (the combustion
  kernel ``combustion_co2_t``), after the ETS rules fill a missing carbon content with the
  conservative high default (flagged) and a missing oxidation rate with the guideline default.
* :func:`inventory_path` -- rows of other kinds that carry parameters of their own (a measured
  carbonate content, a clinker CaO content, ...): :func:`carbonledger.compute_inventory` on them.

Both add per-entity-year sums to the ledger's ``extra`` frames.

Examples
--------
>>> import pandas as pd, carbonledger as cl
>>> from carbonledger.enterprise.ledger import Chunk, Ledger
>>> rows = pd.DataFrame({"facility": ["P1"], "year": [2022], "sector": ["power"],
...     "activity": ["fuel_combustion"], "item": ["raw_coal"], "value": [1000.0], "unit": ["t"],
...     "ncv": [20.0], "carbon_content": [float("nan")]})
>>> ledger = Ledger(cl.load_factors())
>>> ledger.add(Chunk.from_frame(rows))
>>> round(float(ledger.extra[0]["combustion_co2_t"].iloc[0]), 2)   # 20 TJ x 30.85 x 0.99 x 44/12
2239.71
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..engines.energy import energy_table
from ..errors import CarbonLedgerError
from ..inventory import _with_co2e, compute_inventory
from ..kinds import get_kind
from . import rules
from .protos import gas_column

__all__ = ["kernel_path", "inventory_path"]


def _frame(ledger, chunk, rows: np.ndarray, keys) -> pd.DataFrame:
    slot = keys[3][rows]
    slots = ledger.slots
    frame = pd.DataFrame({
        "year": chunk.year[rows].astype(np.int64),
        "sector": pd.Categorical(chunk.strings("sector", rows)),
        "activity": pd.Categorical(np.array([slots[s][0] for s in range(len(slots))],
                                            dtype=object)[slot]),
        "item": pd.Categorical(np.array([s[1] for s in slots], dtype=object)[slot]),
        "value": chunk.value[rows],
        "unit": pd.Categorical(np.array([s[2] for s in slots], dtype=object)[slot]),
    })
    for name, values in chunk.numbers.items():
        if name not in ("month",):
            frame[name] = values[rows]
    for name in chunk.text:
        if name not in frame.columns and name not in ("facility",):
            strings = chunk.strings(name, rows)
            frame[name] = pd.Series(strings, dtype=object).replace("", np.nan).to_numpy()
    region = "grid_region" if "grid_region" in chunk.text else "region"
    if region in chunk.text:
        frame["grid_region"] = frame[region]
    return frame


def _run(ledger, chunk, rows, call):
    """Run ``call(rows)``; on a row error raise with the caller's labels, or (collect) drop the
    named rows into the rejected table and retry."""
    while len(rows):
        try:
            return rows, call(rows)
        except CarbonLedgerError as exc:
            if not exc.rows:
                raise
            positions = np.asarray(exc.rows, dtype=np.int64)
            mask = np.zeros(chunk.n, dtype=bool)
            mask[rows[positions]] = True
            if ledger.on_error == "raise":
                raise type(exc)(exc.message, rows=chunk.labels(mask), fix=exc.fix,
                                **exc.fields) from exc
            ledger._refuse(chunk, mask, exc.message, type(exc))
            rows = np.delete(rows, positions)
    return rows, None


def _group_sum(ledger, keys, rows, columns: dict) -> pd.DataFrame:
    frame = pd.DataFrame({"entity": keys[0][rows], "yi": keys[1][rows], "m": keys[2][rows],
                          **columns})
    return frame.groupby(["entity", "yi", "m"], sort=False).sum().reset_index()


def kernel_path(ledger, chunk, rows: np.ndarray, keys, proto: np.ndarray) -> None:
    """Fuel rows with measured parameters, through the inventory's combustion kind."""
    lib = ledger.lib
    base = _frame(ledger, chunk, rows, keys)
    for name in ("ncv", "carbon_content", "oxidation"):
        if name not in base.columns:
            base[name] = np.nan
    conservative = np.zeros(len(base), dtype=bool)
    extra_ids = np.full(len(base), "", dtype=object)
    if ledger.purpose == "ets":
        rule = np.array([r["rule"] for r in ledger.protos.records], dtype=object)[proto[rows]]
        candidates = rule == "conservative_default"
        cc = base["carbon_content"].to_numpy(dtype="float64", copy=True)
        ox = base["oxidation"].to_numpy(dtype="float64", copy=True)
        pairs = base.loc[candidates, ["item", "sector"]].astype(str).drop_duplicates()
        for item, sector in pairs.itertuples(index=False):
            where = candidates & (base["item"].astype(str).to_numpy() == item) & (
                base["sector"].astype(str).to_numpy() == sector)
            high = rules.high_default(lib, item, sector)
            oxid = rules.ets_oxidation(lib, item, sector)
            fill = where & np.isnan(cc)
            if high is not None:
                cc[fill] = high[0]
                conservative |= fill
                extra_ids[fill] = "+" + high[1]
            if oxid is not None:
                ox[where & np.isnan(ox)] = oxid[0]
                extra_ids[where] = extra_ids[where] + "+" + oxid[1]
        base["carbon_content"], base["oxidation"] = cc, ox

    def call(keep):
        frame = base.iloc[np.searchsorted(rows, keep)].reset_index(drop=True)
        energy = energy_table(frame, lib)
        frame["energy_tj"] = energy["energy_tj"].to_numpy()
        result = get_kind("fuel_combustion").compute(frame, lib).with_sector("energy").to_frame()
        return frame, energy, _with_co2e(result, ledger.gwps,
                                         split_fossil_ch4=ledger.gwp == "AR6")

    kept, out = _run(ledger, chunk, rows, call)
    if out is None:
        return
    frame, energy, result = out
    position = np.searchsorted(rows, kept)
    k = len(kept)
    row = result["row"].to_numpy(dtype=np.int64)
    columns = {}
    for gas in result["gas"].cat.categories:
        mask = (result["gas"] == gas).to_numpy()
        if mask.any():
            columns[gas_column("combustion", str(gas))] = np.bincount(
                row[mask], weights=result["emissions_t"].to_numpy()[mask], minlength=k)
    columns["direct_co2e_t"] = np.bincount(row, weights=result["co2e_t"].to_numpy(), minlength=k)
    columns["energy_tce"] = energy["tce"].to_numpy() * energy["sign"].to_numpy()
    cons = conservative[position]
    columns["rows_conservative_default"] = cons.astype(float)
    columns["rows_measured"] = (~cons).astype(float)
    ledger.extra.append(_group_sum(ledger, keys, kept, columns))
    has_ncv = np.isfinite(frame["ncv"].to_numpy(dtype="float64"))
    if has_ncv.any():
        measured = kept[has_ncv]
        gap = pd.DataFrame({"entity": keys[0][measured], "yi": keys[1][measured],
                            "m": keys[2][measured], "slot": keys[3][measured],
                            "mv": frame["value"].to_numpy()[has_ncv],
                            "mn": frame["energy_tj"].to_numpy()[has_ncv]})
        ledger.gap.append(gap.groupby(["entity", "yi", "m", "slot"], sort=False).sum()
                          .reset_index())
    if ledger.audit:
        co2 = result[result["gas"].astype(str).isin(["CO2", "CO2_biogenic"])]
        fid = np.full(k, "", dtype=object)
        fid[co2["row"].to_numpy(dtype=np.int64)] = co2["factor_id"].astype(str).to_numpy()
        mask = np.zeros(chunk.n, dtype=bool)
        mask[kept] = True
        ledger.audit_rows.append(pd.DataFrame({
            "row": chunk.labels(mask), "facility": chunk.strings("facility", kept),
            "year": frame["year"].to_numpy(), "activity": "fuel_combustion",
            "item": frame["item"].astype(str).to_numpy(),
            "rule": pd.Categorical(np.where(cons, "conservative_default", "measured")),
            "factor_id": pd.Categorical(fid + extra_ids[position])}))


def inventory_path(ledger, chunk, rows: np.ndarray, keys) -> None:
    """Rows of other kinds with their own parameters, through compute_inventory."""
    lib = ledger.lib
    base = _frame(ledger, chunk, rows, keys)
    original = base["activity"].astype(str).to_numpy()
    desulf = original == "desulfurisation"
    if desulf.any():
        activity = original.copy()
        item = base["item"].astype(str).to_numpy().copy()
        value = base["value"].to_numpy(copy=True)
        ef = (base["ef_t_per_t"].to_numpy(dtype="float64", copy=True)
              if "ef_t_per_t" in base.columns else np.full(len(base), np.nan))
        fraction = (base["carbonate_fraction"].to_numpy(dtype="float64")
                    if "carbonate_fraction" in base.columns else np.full(len(base), np.nan))
        for position in np.flatnonzero(desulf):
            guide_ef, guide_fraction, _ = rules.sorbent_factors(lib, item[position])
            share = fraction[position] if np.isfinite(fraction[position]) else guide_fraction
            value[position] *= share
            ef[position] = ef[position] if np.isfinite(ef[position]) else guide_ef
            item[position] = rules.resolve_sorbent(item[position])
            activity[position] = "carbonate_use"
        base["activity"] = pd.Categorical(activity)
        base["item"] = pd.Categorical(item)
        base["value"] = value
        base["ef_t_per_t"] = ef
    base["facility"] = [f"r{i}" for i in range(len(base))]  # rows are distinct by design

    def call(keep):
        frame = base.iloc[np.searchsorted(rows, keep)].reset_index(drop=True)
        return compute_inventory(frame, factors=lib, gwp=ledger.gwp, grid_purpose=ledger.purpose,
                                 allow_mixed_units=True)

    kept, inv = _run(ledger, chunk, rows, call)
    if inv is None:
        return
    k = len(kept)
    table = inv.table
    position = table["row"].to_numpy(dtype=np.int64)
    source_by_position = np.array([
        rules.source_of(original[np.searchsorted(rows, r)], str(i)) for r, i in zip(
            kept, base["item"].astype(str).to_numpy()[np.searchsorted(rows, kept)],
            strict=True)], dtype=object)
    columns: dict = {}
    names = np.array([gas_column(s, str(g)) for s, g in zip(
        source_by_position[position], table["gas"].astype(str).to_numpy(), strict=True)],
        dtype=object)
    for name in pd.unique(names):
        mask = names == name
        columns[name] = np.bincount(position[mask], weights=table["emissions_t"].to_numpy()[mask],
                                    minlength=k)
    scope = table["scope"].to_numpy()
    co2e = table["co2e_t"].to_numpy()
    columns["direct_co2e_t"] = np.bincount(position, weights=np.where(scope == 1, co2e, 0.0),
                                           minlength=k)
    columns["indirect_co2e_t"] = np.bincount(position, weights=np.where(scope == 2, co2e, 0.0),
                                             minlength=k)
    if len(inv.energy):
        tce = np.zeros(k)
        tce[inv.energy.index.to_numpy(dtype=np.int64)] = (inv.energy["tce"].to_numpy()
                                                           * inv.energy["sign"].to_numpy())
        columns["energy_tce"] = tce
    columns["rows_measured"] = np.ones(k)
    ledger.extra.append(_group_sum(ledger, keys, kept, columns))
