"""The vectorized projection model: a scenario spec and its base ledger -> energy and emissions.

Model (LEAP's activity x intensity x fuel mix, on the inventory's own rows)
--------------------------------------------------------------------------
Every base-year row group ``r`` of sector ``s`` and item ``i`` (see
:mod:`carbonledger.scenario.base`) is multiplied in year ``t`` by

    ``M_r(t) = A_s(t) * I_s(t)^[r is an energy input] * m_s,i(t)``

* ``A_s``: the sector's activity index (its ``activity`` path over its base level: steel t,
  floor area m2, vehicle-km, value added...; driven by GDP, population, urban population,
  households, another sector, or an endogenous demand such as ``demand:coke`` for coking and
  ``demand:heat`` for district heat);
* ``I_s``: its energy-intensity index, applied to energy inputs only (``fuel_combustion``,
  ``non_energy_use``, ``transformation_input``, ``energy_consumption``, ``purchased_energy``),
  not to outputs, losses or process rows; ``stock_shift`` levers scale it by ``1 - x (1 -
  ratio)`` (a share ``x`` of the stock moved to a standard using ``ratio`` of the energy);
* ``m_s,i``: the item's index (``sectors.<s>.items.<i>``, e.g. the clinker ratio), changed by
  ``share_shift`` levers: a share ``x`` of the energy of the ``from`` items (tce, calorific)
  leaves them (their rows, process rows included, scale by ``1 - x``) and ``ratio`` times that
  energy is added to the ``to`` item of the same sector, whose rows must exist in the base
  year. Several shifts apply in the order written.

Power-sector rows follow the power module (:mod:`carbonledger.scenario.power`); forestry rows
also follow ``sinks.growth``. The value, energy (tce by both electricity methods, coal,
non-fossil, feedstock) and emissions (by gas and scope) of each row are its base-year ones
times ``M_r``; scope-2 emissions also move with the grid-factor index. All of it is computed on
arrays ``(D, T, rows of one sector)`` and contracted with a weight matrix, so there is no
Python loop over years or draws; sectors are visited once each, in dependency order.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"year": [2020, 2020], "sector": ["steel", "residential"],
...     "activity": ["fuel_combustion"] * 2, "item": ["coke", "raw_coal"],
...     "value": [10.0, 1.0], "unit": ["wan_t", "wan_t"]})
>>> spec = {"inventory": {"activity": rows, "base_year": 2020},
...         "years": {"start": 2020, "end": 2023},
...         "sectors": {"steel": {"activity": {"base": 100.0, "growth": -0.5}}}}
>>> from carbonledger.scenario.spec import load_spec
>>> model = compile_model(load_spec(spec))
>>> out = evaluate(model, central_resolver(model))
>>> (out["outputs"][0, :, OUTPUTS.index("co2_s1")] / 1e4).round(2).tolist()
[30.5, 16.2, 9.05, 5.48]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .levers import (
    apply_rate,
    apply_schedule,
    apply_target,
    build_path,
    driver_log_ratio,
    ramp,
)
from .model import OUTPUTS, Model, Param, PathSpec, compile_model
from .power import evaluate_power
from .sampling import parse_spec
from .spec import spec_error

__all__ = ["Param", "PathSpec", "Model", "compile_model", "evaluate", "central_resolver",
           "Resolver", "OUTPUTS"]

_SCOPE2 = (OUTPUTS.index("co2_s2"), OUTPUTS.index("co2e_s2"))

class Resolver:
    """Turns spec numbers into arrays: floats stay floats, a :class:`Param` becomes ``(D, 1)``
    (or ``(D, T)`` for a per-year draw) from ``values``."""

    def __init__(self, values: Mapping[str, np.ndarray], draws: int):
        self.values = values
        self.draws = draws

    def __call__(self, x):
        if isinstance(x, Param):
            arr = np.asarray(self.values[x.address], dtype="float64")
            return arr[:, None] if arr.ndim == 1 else arr
        return x


def central_resolver(model: Model) -> Resolver:
    """Every drawn number at its distribution's median (a deterministic run)."""
    values = {a: parse_spec(t, name=a).ppf(np.array([0.5])) for a, t in
              model.distributions.items()}
    values = {a: (v if not model.distributions[a].get("per_year") else
                  np.full((1, model.years.size), v[0])) for a, v in values.items()}
    return Resolver(values, 1)


# ----------------------------------------------------------------------------------------------
# evaluation


def _eval_path(p: PathSpec, years: np.ndarray, resolve, drivers: dict) -> np.ndarray:
    driver = drivers[p.driver] if p.driver else None
    log_ratio = None
    if driver is not None:
        anchor = p.knots[-1] if p.knots else int(years[0])
        key = ("log", p.driver, anchor, id(driver))
        if key not in drivers:
            drivers[key] = driver_log_ratio(driver, years, anchor)
        log_ratio = drivers[key]
    growth = p.growth
    if isinstance(growth, tuple):
        growth = [resolve(g) for g in growth]
    elif growth is not None:
        growth = resolve(growth)
    level = build_path(years, base=resolve(p.base), knots=p.knots,
                       values=[resolve(v) for v in p.values], growth=growth,
                       growth_knots=p.growth_knots, driver=driver,
                       elasticity=resolve(p.elasticity), log_ratio=log_ratio)
    for kind, q in p.levers:
        if kind == "rate":
            level = apply_rate(level, years, rate=resolve(q["rate"]),
                               start=resolve(q.get("start", float(years[0] + 1))),
                               end=resolve(q["end"]) if "end" in q else None)
        elif kind == "target":
            value = resolve(q["value"]) if "value" in q else resolve(p.base) * (
                1.0 + resolve(q["change"]))
            level = apply_target(level, years, value=value, year=resolve(q["year"]),
                                 start=resolve(q["start"]) if "start" in q else None,
                                 shape=q["shape"], steepness=resolve(q.get("steepness", 10.0)),
                                 after=q["after"])
        else:
            level = apply_schedule(level, years, schedule_years=q["years"],
                                   amounts=[resolve(a) for a in q["amounts"]],
                                   sign=1.0 if kind == "additions" else -1.0)
    if p.share:
        level = np.clip(level, 0.0, 1.0)
    return level


def _index(level: np.ndarray) -> np.ndarray:
    base = level[:, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(base != 0, level / np.where(base != 0, base, 1.0), 0.0)


def _apply_shifts(shifts, items: tuple, item_energy: np.ndarray, mix: list, intensity,
                  years, resolve):
    for kind, p in shifts:
        x = resolve(p["share"]) * ramp(years, resolve(p.get("start", float(years[0]))),
                                       resolve(p["year"]), shape=p["shape"],
                                       steepness=resolve(p.get("steepness", 10.0)))
        ratio = resolve(p.get("ratio", 1.0))
        if kind == "stock_shift":
            intensity = intensity * (1.0 - x * (1.0 - ratio))
            continue
        removed = 0.0
        for item in p["from"]:
            j = items.index(item)
            removed = removed + item_energy[j] * mix[j] * x
            mix[j] = mix[j] * (1.0 - x)
        k = items.index(p["to"])
        mix[k] = mix[k] + ratio * removed / item_energy[k]
    return mix, intensity


def _combine(mix: list, weights: np.ndarray):
    """``sum_i mix[i] * weights[i]``: items that no draw touches are ``(1, T)`` and summed
    first, so only the drawn items cost a full ``(D, T)`` operation."""
    fixed = 0.0
    varying = 0.0
    for values, weight in zip(mix, weights, strict=True):
        if weight == 0.0:
            continue
        if values.shape[0] == 1:
            fixed = fixed + values * weight
        else:
            varying = varying + values * weight
    return fixed + varying


def evaluate(model: Model, resolve: Resolver, *, keep_rows: bool = False) -> dict:
    """Project a compiled model for the draws of ``resolve`` (shape ``D``).

    Returns
    -------
    dict with ``outputs`` (D, T, len(OUTPUTS)), ``gdp`` and ``population`` (D, T) or None,
    ``activity`` {sector: index (D, T)}, ``power`` (balance series) and, with ``keep_rows``,
    ``rows`` (D, T, rows) value multipliers and ``grid`` (scope-2 emission index).
    """
    years = model.years
    n_years = years.size
    drivers: dict = {}
    macro = {name: _eval_path(p, years, resolve, drivers) for name, p in model.macro.items()}
    if "gdp" in macro:
        drivers["macro:gdp"] = macro["gdp"]
    if "population" in macro:
        pop = macro["population"]
        drivers["macro:population"] = pop
        if "urbanisation" in macro:
            drivers["macro:urban_population"] = pop * macro["urbanisation"]
        if "household_size" in macro:
            drivers["macro:households"] = pop / macro["household_size"]
    ledger_rows = len(model.ledger.rows)
    draws = resolve.draws
    keys = list(model.demand_tj)
    k_out = len(OUTPUTS)
    # one weight matrix per row: the outputs, the electricity demand (TJ) and each followed
    # demand (TJ); accumulated as (columns, draws, years)
    ext = np.column_stack([model.weights, model.elec_tj,
                           *[model.demand_tj[k] for k in keys]])
    acc = np.zeros((ext.shape[1], draws, n_years))
    kept = np.ones((draws if keep_rows else 1, n_years, ledger_rows if keep_rows else 1))
    activity = {}
    for s in model.sectors:
        if s.activity.driver and s.activity.driver.startswith("demand:"):
            key = s.activity.driver.split(":", 1)[1] + "|" + s.name
            drivers[s.activity.driver] = acc[k_out + 1 + keys.index(key)] / \
                model.demand_tj[key].sum()
        try:
            level = _eval_path(s.activity, years, resolve, drivers)
        except KeyError as exc:
            raise spec_error(f"driver {exc.args[0]!r} is not defined", file=model.spec.origin(
                f"sectors.{s.name}.activity"), key=f"sectors.{s.name}.activity.driver",
                fix="define the macro path it needs ([macro.gdp], [macro.population], ...)"
            ) from exc
        a = _index(level)
        activity[s.name] = a
        drivers[f"sector:{s.name}"] = a
        intensity = _eval_path(s.intensity, years, resolve, drivers)
        mix = [_eval_path(s.item_paths[i], years, resolve, drivers) for i in s.items]
        mix, intensity = _apply_shifts(s.shifts, s.items, s.item_energy_tce, mix, intensity,
                                       years, resolve)
        if s.extra is not None:
            a = a * _eval_path(s.extra, years, resolve, drivers)
        a_energy = a * intensity
        # sum_r M_r w_r = a I (mix @ W_energy) + a (mix @ W_other), per item, per column
        n_items = len(s.items)
        w_energy = np.zeros((n_items, ext.shape[1]))
        w_other = np.zeros((n_items, ext.shape[1]))
        np.add.at(w_energy, s.item_of_row[s.energy_input], ext[s.rows[s.energy_input]])
        np.add.at(w_other, s.item_of_row[~s.energy_input], ext[s.rows[~s.energy_input]])
        for column in np.flatnonzero(np.abs(w_energy).sum(axis=0) > 0):
            acc[column] += a_energy * _combine(mix, w_energy[:, column])
        for column in np.flatnonzero(np.abs(w_other).sum(axis=0) > 0):
            acc[column] += a * _combine(mix, w_other[:, column])
        if keep_rows:
            mix_arr = np.stack(np.broadcast_arrays(*mix), axis=-1)
            kept[..., s.rows] = mix_arr[..., s.item_of_row] * np.where(
                s.energy_input, a_energy[..., None], a[..., None])
    outputs = np.moveaxis(acc[:k_out], 0, -1)
    elec = acc[k_out]
    balance = None
    if model.power is not None:
        pm = model.power

        def path(name):
            return _eval_path(pm.paths[name], years, resolve, drivers)

        def fuel_mix(rows):
            items, energy, idx, shifts = model.power_mix
            mix = [np.ones((1, n_years)) for _ in items]
            mix, _ = _apply_shifts(shifts, items, energy, mix, 1.0, years, resolve)
            return np.stack(np.broadcast_arrays(*mix), axis=-1)[..., idx]

        multipliers, balance = evaluate_power(pm, elec, path, resolve, ledger_rows, fuel_mix)
        rows = np.array(sorted(multipliers))
        m = np.stack(np.broadcast_arrays(*[multipliers[r] for r in rows],
                                         np.empty((draws, n_years))), axis=-1)[..., :-1]
        outputs = outputs + m @ model.weights[rows]
        if keep_rows:
            kept[..., rows] = m
        outputs[..., _SCOPE2] *= balance["grid"][..., None]
    result = {"outputs": outputs, "gdp": macro.get("gdp"), "population": macro.get(
        "population"), "activity": activity, "power": balance}
    if keep_rows:
        result["rows"] = kept
        result["grid"] = balance["grid"] if balance is not None else np.ones((1, n_years))
    return result
