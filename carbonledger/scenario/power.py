"""The power module of a projection: electricity balance, dispatch and the grid factor.

The base year's power rows are calibrated into a balance (all in TJ of electricity)::

    thermal G_th + renewables G_re + imports I  =  final demand D + losses L + own use U
                                                   + exports X + statistical difference

* ``G_th``: ``transformation_output`` electricity (captive coal units plus recovered-gas
  generation, whose fuel rows are the power sector's ``fuel_combustion`` rows);
* ``G_re``: ``renewable_electricity`` rows, one per ``technology`` (pv, wind, ...);
* ``D``: electricity consumed by every other sector (their rows move with those sectors'
  activity, intensity and fuel-mix paths); ``L = l D`` with the base loss rate ``l``; ``U = u
  G_th`` with the base own-use rate ``u``.

In a projected year, for each technology, generation = base generation x capacity index x
full-load-hours index x (1 - curtailment) / (1 - base curtailment). Storage (MWh, cycled
``storage_cycles`` times a year at ``storage_efficiency``) recovers curtailed energy up to its
throughput; the change against the base year's recovery is added to the technologies in
proportion to their curtailment. Exports are the base exports times the ``exports`` index plus
``export_share_of_new_renewables`` of the renewable generation above the base year's.
Imports follow the ``imports`` index. Local thermal generation balances the rest::

    G_th = (D (1 + l) + X - G_re - I - statistical difference) / (1 - u)

capped at ``thermal_capacity x max_hours`` (the shortfall is imported) and floored at 0 (the
surplus is exported). In the base year this gives back ``G_th`` exactly. Power-sector fuel rows
move with ``G_th`` times the ``heat_rate`` index (and any fuel share shift in ``power``);
output and own-use rows with ``G_th``; loss rows with ``l D``; import and export rows with
``I`` and ``X``, their scope-2 emissions also with the ``grid_factor`` index (imports and
exports are valued at the regional grid factor, as in the inventory); other power rows (SF6
banks) with total local generation. The local grid factor reported is (power-sector CO2 +
imports x grid factor) / (local generation + imports).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .spec import spec_error

__all__ = ["PowerModel", "TJ_PER_MWH", "TJ_PER_YI_KWH", "evaluate_power"]

TJ_PER_MWH = 3.6e-3
TJ_PER_YI_KWH = 360.0
_DEFAULT_MAX_HOURS = 8000.0


@dataclass(frozen=True)
class PowerModel:
    """Calibrated base-year power balance and the compiled power paths (see module doc)."""

    techs: tuple[str, ...]
    tech_rows: dict          # tech -> row positions of its renewable rows
    tech_g0_tj: dict         # tech -> base generation (TJ)
    fuel_rows: np.ndarray    # power fuel_combustion rows
    output_rows: np.ndarray  # transformation_output electricity (+ own use) rows
    loss_rows: np.ndarray
    import_rows: np.ndarray
    export_rows: np.ndarray
    other_rows: np.ndarray
    g_th0_tj: float
    d0_tj: float
    loss0_tj: float
    import0_tj: float
    export0_tj: float
    own_rate: float
    stat_diff_tj: float
    grid_factor0_t_per_mwh: float
    paths: dict              # name -> PathSpec (see projection.py)
    max_hours: object
    export_share: object
    storage_cycles: object
    storage_efficiency: object


def calibrate(rows, lines, cfg: dict, *, file, compile_path, number, base_year) -> PowerModel:
    """Build the PowerModel from the ledger rows of sector ``power`` and the ``[power]`` table.

    ``compile_path(table, address, default_base, share)`` compiles a path table;
    ``number(value, address)`` turns a spec number (or distribution) into a model parameter.
    """
    sector = rows["sector"].to_numpy()
    kind = rows["activity"].to_numpy()
    item = rows["item"].to_numpy()
    tj = rows["energy_tj"].to_numpy()
    power = sector == "power"
    elec = item == "electricity"

    def pick(mask) -> np.ndarray:
        return np.flatnonzero(mask)

    renewable = pick(power & (kind == "renewable_electricity"))
    techs: dict[str, list[int]] = {}
    for position in renewable:
        tech = rows["technology"].iat[position] or "renewable"
        techs.setdefault(tech, []).append(int(position))
    fuel_rows = pick(power & (kind == "fuel_combustion"))
    output_rows = pick(power & elec & np.isin(kind, ["transformation_output",
                                                     "energy_consumption"]))
    loss_rows = pick(elec & (kind == "losses"))
    import_rows = pick(kind == "electricity_import")
    export_rows = pick(kind == "electricity_export")
    used = set(renewable) | set(fuel_rows) | set(output_rows) | set(loss_rows) | \
        set(import_rows) | set(export_rows)
    other_rows = np.array([p for p in pick(power) if p not in used], dtype=np.int64)
    g_th0 = float(tj[pick(power & elec & (kind == "transformation_output"))].sum())
    own0 = float(tj[pick(power & elec & (kind == "energy_consumption"))].sum())
    d0 = float(tj[pick(~power & elec & np.isin(kind, ["energy_consumption",
                                                      "purchased_energy"]))].sum())
    loss0 = float(tj[loss_rows].sum())
    imp0, exp0 = float(tj[import_rows].sum()), float(tj[export_rows].sum())
    g_re0 = {t: float(tj[p].sum()) for t, p in techs.items()}
    problems = [(name, what) for name, what, v in (
        ("thermal generation", "transformation_output electricity rows in power", g_th0),
        ("final electricity demand", "energy_consumption electricity rows", d0),
        ("imports", "an electricity_import row", imp0)) if v <= 0]
    if problems:
        name, what = problems[0]
        raise spec_error(f"the base year has no {name}, which the power module calibrates on",
                         file=file, key="power", fix=f"add {what} to the base-year activity, "
                         "or remove the [power] table and the power rows")
    if exp0 <= 0 and cfg.get("export_share_of_new_renewables", 0.0) not in (0, 0.0):
        raise spec_error("exports of new renewables need a base-year electricity_export row",
                         file=file, key="power.export_share_of_new_renewables",
                         fix="add an electricity_export row (the base exports) or set 0")
    import_co2 = lines.loc[lines["row"].isin(import_rows) & (lines["scope"] == 2),
                           "emissions_t"].sum()
    gf0 = float(import_co2 / (imp0 / TJ_PER_MWH))
    paths = {
        "thermal_capacity": compile_path(cfg.get("thermal_capacity"), "power.thermal_capacity",
                                         None, False),
        "heat_rate": compile_path(cfg.get("heat_rate"), "power.heat_rate", 1.0, False),
        "loss_rate": compile_path(cfg.get("loss_rate"), "power.loss_rate", 1.0, False),
        "imports": compile_path(cfg.get("imports"), "power.imports", 1.0, False),
        "exports": compile_path(cfg.get("exports"), "power.exports", 1.0, False),
        "grid_factor": compile_path(cfg.get("grid_factor"), "power.grid_factor", gf0, False),
        "storage": compile_path(cfg.get("storage"), "power.storage", 0.0, False),
    }
    tech_cfg = cfg.get("tech", {})
    unknown = sorted(set(tech_cfg) - set(techs))
    if unknown:
        raise spec_error(f"technology {unknown[0]!r} has no renewable_electricity row in the "
                         "base year", file=file, key=f"power.tech.{unknown[0]}",
                         fix=f"use one of {sorted(techs)} (the base rows' technology column)")
    for tech in techs:
        table = tech_cfg.get(tech, {})
        for name, default, share in (("capacity", 1.0, False), ("hours", 1.0, False),
                                     ("curtailment", 0.0, True)):
            paths[f"tech.{tech}.{name}"] = compile_path(table.get(name),
                                                        f"power.tech.{tech}.{name}", default,
                                                        share)
    max_hours = number(cfg.get("max_hours", _DEFAULT_MAX_HOURS), "power.max_hours")
    cap = paths["thermal_capacity"]
    if cap is not None and isinstance(cap.base, float) and isinstance(max_hours, (int, float)):
        hours0 = g_th0 / TJ_PER_MWH / cap.base if cap.base > 0 else np.inf
        if hours0 > max_hours:
            raise spec_error(f"base-year thermal generation needs {hours0:,.0f} full-load hours "
                             f"of {cap.base:g} MW, more than max_hours = {max_hours:g}",
                             file=file, key="power.max_hours",
                             fix="raise power.max_hours or the thermal_capacity base")
    return PowerModel(
        techs=tuple(techs), tech_rows={t: np.array(p) for t, p in techs.items()},
        tech_g0_tj=g_re0, fuel_rows=fuel_rows, output_rows=output_rows, loss_rows=loss_rows,
        import_rows=import_rows, export_rows=export_rows, other_rows=other_rows,
        g_th0_tj=g_th0, d0_tj=d0, loss0_tj=loss0, import0_tj=imp0, export0_tj=exp0,
        own_rate=own0 / g_th0,
        stat_diff_tj=(d0 + loss0 + own0 + exp0) - (sum(g_re0.values()) + imp0 + g_th0),
        grid_factor0_t_per_mwh=gf0, paths=paths, max_hours=max_hours,
        export_share=number(cfg.get("export_share_of_new_renewables", 0.0),
                            "power.export_share_of_new_renewables"),
        storage_cycles=number(cfg.get("storage_cycles", 300.0), "power.storage_cycles"),
        storage_efficiency=number(cfg.get("storage_efficiency", 0.85),
                                  "power.storage_efficiency"))


def evaluate_power(pm: PowerModel, demand_tj: np.ndarray, path, resolve, n_rows: int,
                   fuel_mix) -> tuple[dict, dict]:
    """Row multipliers of the power rows and the power balance by year.

    Parameters
    ----------
    pm : the calibrated model.
    demand_tj : final electricity demand of the other sectors ``(D, T)``.
    path : ``path(name) -> (D, T)`` level of a compiled power path.
    resolve : parameter resolver.
    n_rows : number of ledger rows (unused rows are not returned).
    fuel_mix : ``fuel_mix(rows) -> (D, T, len(rows))`` item multipliers of the power rows.

    Returns
    -------
    (multipliers, balance): ``{row: (D, T)}`` for every power row and the scope-2 ``grid``
    index, and the balance series in TJ (``thermal, renewable_<tech>, imports, exports,
    demand, losses, own_use``) plus ``grid_factor`` in t/MWh.
    """
    share = resolve(pm.export_share)
    cycles, efficiency = resolve(pm.storage_cycles), resolve(pm.storage_efficiency)
    available, curtailed = {}, {}
    for tech in pm.techs:
        cap = path(f"tech.{tech}.capacity")
        hours = path(f"tech.{tech}.hours")
        c = np.clip(path(f"tech.{tech}.curtailment"), 0.0, 1.0)
        c0 = c[:, :1]
        gross0 = pm.tech_g0_tj[tech] / np.maximum(1.0 - c0, 1e-12)
        gross = gross0 * _ratio(cap) * _ratio(hours)
        available[tech] = gross * (1.0 - c)
        curtailed[tech] = gross * c
    storage_tj = np.maximum(path("storage"), 0.0) * cycles * TJ_PER_MWH
    total_curtailed = sum(curtailed.values()) if curtailed else 0.0
    recovered = efficiency * np.minimum(total_curtailed, storage_tj)
    delta = recovered - (recovered[:, :1] if np.ndim(recovered) == 2 else 0.0)
    generation = {}
    for tech in pm.techs:
        with np.errstate(divide="ignore", invalid="ignore"):
            part = np.where(total_curtailed > 0, curtailed[tech] / np.where(
                total_curtailed > 0, total_curtailed, 1.0), 1.0 / len(pm.techs))
        generation[tech] = available[tech] + delta * part
    g_re = sum(generation.values()) if generation else np.zeros((1, 1))
    g_re0 = sum(pm.tech_g0_tj.values())
    loss_rate = pm.loss0_tj / pm.d0_tj * path("loss_rate")
    exports = np.maximum(pm.export0_tj * path("exports") + share * (g_re - g_re0), 0.0)
    imports = pm.import0_tj * path("imports")
    u = pm.own_rate
    need = (demand_tj * (1.0 + loss_rate) + exports - g_re - imports - pm.stat_diff_tj) / (1 - u)
    cap = pm.paths["thermal_capacity"]
    limit = np.inf if cap is None else path("thermal_capacity") * resolve(pm.max_hours) * \
        TJ_PER_MWH
    thermal = np.clip(need, 0.0, limit)
    imports = imports + np.maximum(need - limit, 0.0) * (1 - u)
    exports = exports + np.maximum(-need, 0.0) * (1 - u)
    losses = loss_rate * demand_tj
    grid = _ratio(path("grid_factor"))
    th = thermal / pm.g_th0_tj
    multipliers: dict = {}
    if len(pm.fuel_rows):
        mix = fuel_mix(pm.fuel_rows)
        heat_rate = path("heat_rate")
        for j, row in enumerate(pm.fuel_rows):
            multipliers[int(row)] = th * heat_rate * mix[..., j]
    for row in pm.output_rows:
        multipliers[int(row)] = th
    for row in pm.loss_rows:
        multipliers[int(row)] = losses / pm.loss0_tj
    for tech, rows in pm.tech_rows.items():
        for row in rows:
            multipliers[int(row)] = generation[tech] / pm.tech_g0_tj[tech]
    for row in pm.import_rows:
        multipliers[int(row)] = imports / pm.import0_tj
    for row in pm.export_rows:
        multipliers[int(row)] = exports / pm.export0_tj if pm.export0_tj > 0 else \
            np.zeros_like(exports)
    local = (thermal + g_re) / (pm.g_th0_tj + g_re0)
    for row in pm.other_rows:
        multipliers[int(row)] = local
    balance = {"thermal": thermal, "imports": imports, "exports": exports,
               "demand": demand_tj, "losses": losses, "own_use": u * thermal,
               "storage_recovered": recovered, "grid": grid,
               "grid_factor": pm.grid_factor0_t_per_mwh * grid}
    for tech in pm.techs:
        balance[f"renewable_{tech}"] = generation[tech]
        balance[f"curtailed_{tech}"] = curtailed[tech]
    return multipliers, balance


def _ratio(level: np.ndarray) -> np.ndarray:
    """Level relative to its base-year value (1 where the base is 0)."""
    base = level[:, :1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(base != 0, level / np.where(base != 0, base, 1.0), 1.0)
