"""Turn a :class:`~carbonledger.enterprise.ledger.Ledger`'s partial sums into result tables.

The dense value sums are multiplied by the per-unit coefficients of their proto once per
occupied cell, gap-filled where a facility-fuel-year has measured NCVs in other months, added to
the row-level sums of the kernel and inventory paths, and summed per entity-year(-month).

Examples
--------
>>> import pandas as pd, carbonledger as cl
>>> from carbonledger.enterprise.ledger import Chunk, Ledger
>>> ledger = Ledger(cl.load_factors())
>>> ledger.add(Chunk.from_frame(pd.DataFrame({"facility": ["F1"], "year": [2022],
...     "sector": ["steel"], "activity": ["purchased_energy"], "item": ["electricity"],
...     "value": [1000.0], "unit": ["MWh"]})))
>>> round(float(entity_table(ledger)["electricity_co2_t"].iloc[0]), 6)
570.3
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .ledger import proto_lookup

__all__ = ["entity_table", "RULES", "derive"]

#: Audit rules, in the order they are reported.
RULES = ("default", "conservative_default", "measured", "gap_filled")


def _cells(ledger):
    e_cap, y_cap, s_cap = ledger.caps
    shape = (e_cap, y_cap, ledger.Mcap, s_cap)
    cells = np.flatnonzero(ledger.N > 0)
    e, yi, m, s = np.unravel_index(cells, shape) if len(cells) else (cells,) * 4
    return shape, cells, e, yi, m, s


def _proto_ids(ledger, e, yi, s) -> np.ndarray:
    if len(e) == 0:
        return np.zeros(0, dtype=np.int64)
    sizes = (len(ledger.years), len(ledger.attr_reg["sector"].values),
             len(ledger.attr_reg["region"].values), len(ledger.slots))
    return proto_lookup(ledger, (yi, ledger.ent_attr["sector"][e], ledger.ent_attr["region"][e],
                                 s), sizes)


def _gap_multiplier(ledger, shape, cells, pid) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: multiplier of the value (measured mean NCV / default NCV) and a gap flag."""
    mult = np.ones(len(cells))
    gapped = np.zeros(len(cells), dtype=bool)
    if not ledger.gap or not len(cells):
        return mult, gapped
    gap = pd.concat(ledger.gap).groupby(["entity", "yi", "m", "slot"]).sum().reset_index()
    flat = np.ravel_multi_index((gap["entity"].to_numpy(), gap["yi"].to_numpy(),
                                 gap["m"].to_numpy(), gap["slot"].to_numpy()), shape)
    pos = np.minimum(np.searchsorted(cells, flat), len(cells) - 1)
    hit = cells[pos] == flat
    tj = np.array([r["tj_per_unit"] for r in ledger.protos.records])[pid[pos[hit]]]
    mean = (gap["mn"].to_numpy() / gap["mv"].to_numpy())[hit]
    ok = (tj > 0) & np.isfinite(mean)
    mult[pos[hit][ok]] = mean[ok] / tj[ok]
    gapped[pos[hit][ok]] = True
    return mult, gapped


def entity_table(ledger) -> pd.DataFrame:
    """Results per entity-year (-month): emissions by source and gas, CO2e, energy, output and
    rule counts, with the entity's facility and attributes decoded."""
    shape, cells, e, yi, m, s = _cells(ledger)
    pid = _proto_ids(ledger, e, yi, s)
    coef, columns = ledger.protos.matrix()
    mult, gapped = _gap_multiplier(ledger, shape, cells, pid)
    value = ledger.V[cells] * mult
    count = ledger.N[cells].astype(np.float64)
    y_cap, months = shape[1], shape[2]
    g_cells = (e * y_cap + yi) * months + m
    extra = (pd.concat(ledger.extra).groupby(["entity", "yi", "m"]).sum().reset_index()
             if ledger.extra else pd.DataFrame(columns=["entity", "yi", "m"]))
    g_extra = ((extra["entity"].to_numpy(np.int64) * y_cap + extra["yi"].to_numpy(np.int64))
               * months + extra["m"].to_numpy(np.int64))
    g_all = np.concatenate([g_cells, g_extra]).astype(np.int64)
    span = shape[0] * y_cap * months
    if span <= (1 << 26):
        groups = np.flatnonzero(np.bincount(g_all, minlength=span))
        lookup = np.zeros(span, dtype=np.int64)
        lookup[groups] = np.arange(len(groups))
        inverse = lookup[g_all]
    else:
        groups, inverse = np.unique(g_all, return_inverse=True)
        inverse = inverse.ravel()
    gi_cells, gi_extra = inverse[:len(g_cells)], inverse[len(g_cells):]
    size = len(groups)
    out: dict[str, np.ndarray] = {}
    records = ledger.protos.records
    for k, name in enumerate(columns):
        if name == "output":
            continue
        weights = value * coef[pid, k] if len(pid) else value
        out[name] = np.bincount(gi_cells, weights=weights, minlength=size)
    rule_names = ["default", "conservative_default", "output"]
    rule_code = np.array([rule_names.index(r["rule"]) for r in records] + [0], dtype=np.int8)
    unit_names = sorted({r["output_unit"] for r in records if r["output_unit"]})
    unit_code = np.array([unit_names.index(r["output_unit"]) if r["output_unit"] else -1
                          for r in records] + [-1], dtype=np.int64)
    take = pid if len(pid) else np.zeros(0, np.int64)
    rule = rule_code[take]
    out_unit = unit_code[take]
    is_output = rule == 2
    counts = {r: np.zeros(size) for r in RULES}
    counts["default"] = np.bincount(gi_cells, weights=count * ((rule == 0) & ~gapped),
                                    minlength=size)
    counts["conservative_default"] = np.bincount(
        gi_cells, weights=count * ((rule == 1) & ~gapped), minlength=size)
    counts["gap_filled"] = np.bincount(gi_cells, weights=count * gapped, minlength=size)
    out["rows"] = np.bincount(gi_cells, weights=count, minlength=size)
    for name in extra.columns:
        if name in ("entity", "yi", "m"):
            continue
        summed = np.bincount(gi_extra, weights=extra[name].to_numpy(dtype="float64"),
                             minlength=size)
        rule_name = name.removeprefix("rows_")
        if name.startswith("rows_"):
            counts[rule_name] = counts.get(rule_name, np.zeros(size)) + summed
            out["rows"] = out["rows"] + summed
        else:
            out[name] = out.get(name, np.zeros(size)) + summed
    output = np.full(size, np.nan)
    output_unit = np.full(size, "", dtype=object)
    if is_output.any():
        k = columns.index("output")
        rows = np.flatnonzero(is_output)
        flat = gi_cells[rows] * len(unit_names) + out_unit[rows]
        cells_size = size * len(unit_names)
        amount = np.bincount(flat, weights=(value * coef[pid, k])[rows],
                             minlength=cells_size).reshape(size, len(unit_names))
        present = np.bincount(flat, minlength=cells_size).reshape(size, len(unit_names)) > 0
        n_units = present.sum(axis=1)
        only = n_units == 1
        which = present.argmax(axis=1)
        output[only] = amount[only, which[only]]
        output_unit[only] = np.asarray(unit_names, dtype=object)[which[only]]
        output_unit[n_units > 1] = "mixed"
    for r in RULES:
        out[f"rows_{r}"] = counts[r]
    e_grp, rest = np.divmod(groups, y_cap * months)
    y_grp, m_grp = np.divmod(rest, months)
    keys = {"facility": np.asarray(ledger.facilities.values, dtype=object)[ledger.ent_fac[e_grp]]
            if size else np.zeros(0, dtype=object)}
    for a in ledger.attrs:
        values = np.asarray(ledger.attr_reg[a].values, dtype=object)
        keys[a] = values[ledger.ent_attr[a][e_grp]] if size else np.zeros(0, dtype=object)
    keys["year"] = np.asarray(ledger.years, dtype=np.int64)[y_grp] if size else np.zeros(0, int)
    if ledger.monthly:
        keys["month"] = m_grp.astype(np.int64)
    return pd.DataFrame({**keys, **out, "output": output, "output_unit": output_unit})


def derive(frame: pd.DataFrame) -> pd.DataFrame:
    """Add total CO2e, intensities and the audit summary (rules and their row counts)."""
    frame = frame.copy()
    for name in ("direct_co2e_t", "indirect_co2e_t", "energy_tce"):
        if name not in frame.columns:
            frame[name] = 0.0
    frame["total_co2e_t"] = frame["direct_co2e_t"] + frame["indirect_co2e_t"]
    with np.errstate(divide="ignore", invalid="ignore"):
        output = frame["output"].to_numpy(dtype="float64")
        usable = np.isfinite(output) & (output > 0)
        frame["intensity_co2e_t_per_unit"] = np.where(
            usable, frame["total_co2e_t"].to_numpy() / np.where(usable, output, 1.0), np.nan)
        frame["energy_tce_per_unit"] = np.where(
            usable, frame["energy_tce"].to_numpy() / np.where(usable, output, 1.0), np.nan)
    counts = np.rint(np.column_stack([frame[f"rows_{r}"].to_numpy(dtype="float64")
                                      for r in RULES])).astype(np.int64) if len(frame) else (
        np.zeros((0, len(RULES)), dtype=np.int64))
    if len(counts) and counts.max() < (1 << 15) and counts.min() >= 0:
        packed = np.zeros(len(counts), dtype=np.int64)
        for column in range(counts.shape[1]):
            packed = (packed << 15) + counts[:, column]
        keys, first, inverse = np.unique(packed, return_index=True, return_inverse=True)
        uniques = counts[first]
    else:
        uniques, inverse = np.unique(counts, axis=0, return_inverse=True)
    texts = np.array([";".join(f"{r}:{c}" for r, c in zip(RULES, row, strict=True) if c > 0)
                      for row in uniques.tolist()] + [""], dtype=object)
    frame["audit"] = texts[inverse.ravel()] if len(frame) else texts[:0]
    return frame
