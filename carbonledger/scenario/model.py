"""Compile a scenario spec against its base ledger into a :class:`Model` (no arithmetic on
draws here: see :mod:`carbonledger.scenario.projection` for the model and its evaluation).

Compiling checks everything that needs the base data: every sector, item and technology named
has base-year rows, every lever names an existing path, share shifts go to an item the sector
uses, ``follows`` does not loop; numbers written as distributions become :class:`Param`
placeholders, resolved at evaluation for all draws at once. Sectors are put in dependency order
(a sector that follows the coke or heat demand of others comes after them).

Examples
--------
>>> import pandas as pd
>>> from carbonledger.scenario.spec import load_spec
>>> rows = pd.DataFrame({"year": [2020], "sector": ["steel"], "activity": ["fuel_combustion"],
...                      "item": ["coke"], "value": [10.0], "unit": ["wan_t"]})
>>> model = compile_model(load_spec({"inventory": {"activity": rows, "base_year": 2020},
...                                  "years": {"start": 2020, "end": 2030}}))
>>> [s.name for s in model.sectors], model.years[[0, -1]].tolist()
(['steel'], [2020, 2030])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .base import ENERGY_INPUT_KINDS, BaseLedger, base_ledger
from .power import PowerModel, calibrate
from .spec import DRIVERS, Lever, ScenarioSpec, is_distribution, spec_error

__all__ = ["Param", "PathSpec", "SectorModel", "Model", "compile_model", "OUTPUTS"]

OUTPUTS = ("co2_s1", "co2e_s1", "lulucf_co2e", "co2_s2", "co2e_s2", "tce", "tce_ce",
           "coal_tce", "non_fossil_tce", "non_fossil_tce_ce", "feedstock_tce")


@dataclass(frozen=True)
class Param:
    """A drawn number of the spec, by its dotted address."""

    address: str


@dataclass(frozen=True)
class PathSpec:
    """A compiled path (see :func:`carbonledger.scenario.levers.build_path`)."""

    address: str
    base: object
    knots: tuple = ()
    values: tuple = ()
    growth: object = None
    growth_knots: tuple | None = None
    driver: str | None = None
    elasticity: object = 1.0
    share: bool = False
    levers: tuple = ()


@dataclass(frozen=True)
class SectorModel:
    name: str
    rows: np.ndarray
    energy_input: np.ndarray
    items: tuple
    item_of_row: np.ndarray
    item_energy_tce: np.ndarray
    activity: PathSpec
    intensity: PathSpec
    item_paths: dict
    shifts: tuple
    extra: PathSpec | None = None


@dataclass(frozen=True)
class Model:
    """A compiled scenario: base ledger, paths, sectors in order, power module, weights."""

    spec: ScenarioSpec
    ledger: BaseLedger
    years: np.ndarray
    macro: dict
    sectors: tuple
    power: PowerModel | None
    weights: np.ndarray = field(repr=False)
    elec_tj: np.ndarray = field(repr=False)
    demand_tj: dict = field(repr=False)
    distributions: dict = field(repr=False)
    power_mix: tuple = field(default=(), repr=False)


def _num(value, address: str):
    if is_distribution(value):
        return Param(address)
    return float(value)


class _Compiler:
    def __init__(self, spec: ScenarioSpec, years: np.ndarray):
        self.spec = spec
        self.years = years
        self.paths: dict[str, PathSpec] = {}
        self.power_shifts: tuple = ()

    def path(self, table, address: str, default_base, share: bool = False) -> PathSpec | None:
        if table is None and default_base is None:
            return None
        table = table or {}
        file = self.spec.origin(address)
        base = table.get("base", default_base)
        if base is None:
            raise spec_error("needs a base value", file=file, key=f"{address}.base",
                             fix="give base = the level in the base year")
        knots, values = [], []
        for key, value in table.get("values", {}).items():
            year = int(key)
            if year <= self.years[0]:
                raise spec_error(f"value for {year} is not after the base year "
                                 f"{self.years[0]}", file=file, key=f"{address}.values.{key}",
                                 fix="give later years (the base year takes `base`)")
            knots.append(year)
            values.append(_num(value, f"{address}.values.{key}"))
        growth, growth_knots = table.get("growth"), None
        if isinstance(growth, Mapping) and not is_distribution(growth):
            growth_knots = tuple(int(k) for k in growth)
            growth = tuple(_num(v, f"{address}.growth.{k}") for k, v in growth.items())
        elif growth is not None:
            growth = _num(growth, f"{address}.growth")
        driver = table.get("driver")
        follows = table.get("follows")
        if driver is not None and follows is not None:
            raise spec_error("give driver or follows, not both", file=file,
                             key=f"{address}.follows", fix="drop one of them")
        if driver is not None and driver not in DRIVERS:
            raise spec_error(f"unknown driver {driver!r}", file=file, key=f"{address}.driver",
                             fix=f"use one of {', '.join(DRIVERS)} (or follows = a sector)")
        if driver is not None:
            driver = f"macro:{driver}"
        if follows is not None:
            driver = follows if follows.startswith("demand:") else f"sector:{follows}"
        spec = PathSpec(address, _num(base, f"{address}.base"), tuple(knots), tuple(values),
                        growth, growth_knots, driver,
                        _num(table.get("elasticity", 1.0), f"{address}.elasticity"), share)
        self.paths[address] = spec
        return spec


def compile_model(spec: ScenarioSpec, *, ledger: BaseLedger | None = None) -> Model:
    """Bind a spec to its base ledger: check every path and lever, order the sectors.

    Raises
    ------
    ScenarioSpecError
        A sector or item without base-year rows, a lever on a path that does not exist, a
        share shift to an item the sector does not use, a dependency cycle, a power table
        without power rows; the message names the file and the key.
    """
    data = spec.data
    inventory = data.get("inventory", {})
    years_cfg = data.get("years", {})
    for key in ("activity", "base_year"):
        if key not in inventory:
            raise spec_error("is missing", file=spec.origin("inventory"),
                             key=f"inventory.{key}", fix="name the base data and its year")
    base_year = int(inventory["base_year"])
    end = int(years_cfg.get("end", base_year + 40))
    years = np.arange(base_year, end + 1)
    if ledger is None:
        ledger = base_ledger(inventory["activity"], base_year=base_year,
                             gwp=inventory.get("gwp", "AR5"), factors=inventory.get("factors"))
    comp = _Compiler(spec, years)
    macro = {}
    for name in ("gdp", "population", "urbanisation", "household_size"):
        if name in data.get("macro", {}):
            macro[name] = comp.path(data["macro"][name], f"macro.{name}", None,
                                    share=name == "urbanisation")
    rows = ledger.rows
    known = set(ledger.sectors())
    sector_cfg = dict(data.get("sectors", {}))
    for name in sector_cfg:
        if name not in known or name == "power":
            fix = ("the power sector is set in [power]" if name == "power" else
                   f"use a sector of the base data: {', '.join(sorted(known))}")
            raise spec_error(f"sector {name!r} has no base-year rows", file=spec.origin(
                f"sectors.{name}"), key=f"sectors.{name}", fix=fix)
    sinks = data.get("sinks", {})
    if sinks and "forestry" not in known:
        raise spec_error("[sinks] needs forestry rows in the base year", file=spec.origin(
            "sinks"), key="sinks", fix="add forest_stock/afforestation rows or drop [sinks]")
    if "forest_area" in sinks:
        if "activity" in sector_cfg.get("forestry", {}):
            raise spec_error("forest area is given twice", file=spec.origin("sinks"),
                             key="sinks.forest_area", fix="keep sinks.forest_area or "
                             "sectors.forestry.activity")
        sector_cfg["forestry"] = {**sector_cfg.get("forestry", {}),
                                  "activity": sinks["forest_area"]}
    sectors = {}
    for name in sorted(known - {"power"}):
        cfg = sector_cfg.get(name, {})
        sectors[name] = _compile_sector(comp, ledger, name, cfg, sinks)
    power = None
    if "power" in known:
        power = calibrate(rows, ledger.lines, data.get("power", {}),
                          file=spec.origin("power"), base_year=base_year,
                          compile_path=lambda t, a, d, s: comp.path(t, a, d, s), number=_num)
    elif data.get("power"):
        raise spec_error("[power] needs power-sector rows in the base year",
                         file=spec.origin("power"), key="power",
                         fix="add the power rows or drop [power]")
    _attach_levers(comp, spec, sectors, ledger)
    power_mix: tuple = ()
    if power is not None:
        power = PowerModel(**{**power.__dict__, "paths": {
            name: (comp.paths[p.address] if p is not None else None)
            for name, p in power.paths.items()}})
    if power is None and comp.power_shifts:
        raise spec_error("a share shift in 'power' needs power-sector rows", file=spec.origin(
            "levers"), key="levers", fix="drop the lever or add the power rows")
    if power is not None:
        fuel = power.fuel_rows
        items = tuple(sorted(set(rows["item"].to_numpy()[fuel].tolist())))
        idx = np.searchsorted(np.array(items), rows["item"].to_numpy()[fuel])
        energy = np.bincount(idx, weights=np.abs(rows["tce"].to_numpy()[fuel]),
                             minlength=len(items))
        power_sector = SectorModel("power", fuel, np.ones(len(fuel), bool), items, idx, energy,
                                   None, None, {}, comp.power_shifts)
        for shift in comp.power_shifts:
            _check_shift_items(shift, power_sector)
        power_mix = (items, energy, idx, comp.power_shifts)
    order = _order(sectors, ledger, spec)
    weights = _weights(ledger)
    kind = rows["activity"].to_numpy()
    elec = (rows["item"].to_numpy() == "electricity") & (rows["sector"].to_numpy() != "power") \
        & np.isin(kind, ["energy_consumption", "purchased_energy"])
    elec_tj = np.where(elec, rows["energy_tj"].to_numpy(), 0.0)
    demand_tj = {}
    for s in sectors.values():
        driver = s.activity.driver
        if driver and driver.startswith("demand:"):
            item = driver.split(":", 1)[1]
            mask = _consumers(ledger, item, exclude=s.name)
            demand_tj[item + "|" + s.name] = np.where(mask, rows["energy_tj"].to_numpy(), 0.0)
    macro = {k: comp.paths[f"macro.{k}"] for k in macro}
    return Model(spec=spec, ledger=ledger, years=years, macro=macro,
                 sectors=tuple(sectors[n] for n in order), power=power, weights=weights,
                 elec_tj=elec_tj, demand_tj=demand_tj,
                 distributions={a: t for a, t in spec.distributions.items()
                                if _used(a, spec)}, power_mix=power_mix)


def _used(address: str, spec: ScenarioSpec) -> bool:
    if address.startswith("levers."):
        name = address.split(".")[1]
        return any(lv.name == name and lv.enabled for lv in spec.levers)
    return True


def _compile_sector(comp: _Compiler, ledger: BaseLedger, name: str, cfg: Mapping,
                    sinks: Mapping) -> SectorModel:
    rows = ledger.rows
    positions = np.flatnonzero(rows["sector"].to_numpy() == name)
    sub = rows.iloc[positions]
    items = tuple(sorted(sub["item"].unique().tolist()))
    item_of_row = np.searchsorted(np.array(items), sub["item"].to_numpy())
    energy_input = np.isin(sub["activity"].to_numpy(), ENERGY_INPUT_KINDS)
    tce = np.abs(sub["tce"].to_numpy()) * energy_input
    item_energy = np.bincount(item_of_row, weights=tce, minlength=len(items))
    address = f"sectors.{name}"
    for item in cfg.get("items", {}):
        if item not in items:
            raise spec_error(f"sector {name!r} has no base-year rows of item {item!r}",
                             file=comp.spec.origin(f"{address}.items.{item}"),
                             key=f"{address}.items.{item}", fix=f"use one of {list(items)}")
    activity_address = "sinks.forest_area" if (name == "forestry" and "forest_area" in sinks) \
        else f"{address}.activity"
    activity = comp.path(cfg.get("activity"), activity_address, 1.0)
    if activity_address != f"{address}.activity":
        comp.paths[f"{address}.activity"] = activity
    intensity = comp.path(cfg.get("intensity"), f"{address}.intensity", 1.0)
    item_paths = {item: comp.path(cfg.get("items", {}).get(item), f"{address}.items.{item}",
                                  1.0) for item in items}
    extra = comp.path(sinks.get("growth"), "sinks.growth", 1.0) if name == "forestry" else None
    return SectorModel(name, positions, energy_input, items, item_of_row, item_energy,
                       activity, intensity, item_paths, (), extra)


def _attach_levers(comp: _Compiler, spec: ScenarioSpec, sectors: dict, ledger) -> None:
    by_path: dict[str, list] = {}
    shifts: dict[str, list] = {}
    for lever in spec.levers:
        if not lever.enabled:
            continue
        key = f"levers.{lever.name}"
        if lever.kind in ("share_shift", "stock_shift"):
            names = lever.get("sector")
            names = [names] if isinstance(names, str) else list(names)
            for sector in names:
                if sector not in sectors and not (sector == "power" and lever.kind ==
                                                  "share_shift"):
                    raise spec_error(f"sector {sector!r} has no base-year rows",
                                     file=lever.file, key=f"{key}.sector",
                                     fix=f"use one of {sorted(sectors)}")
                shifts.setdefault(sector, []).append(_compile_shift(lever, sector, ledger))
            continue
        path = lever.get("path")
        if path not in comp.paths or comp.paths[path] is None:
            close = sorted(p for p in comp.paths if comp.paths[p] is not None and (
                p.split(".")[-1] == path.split(".")[-1] or path.split(".")[0] in p))[:6]
            raise spec_error(f"lever on path {path!r}, which does not exist", file=lever.file,
                             key=f"{key}.path", fix="name an existing path, e.g. "
                             f"{', '.join(close) or 'sectors.<sector>.activity'}")
        target = comp.paths[path]
        value = lever.get("value")
        if lever.kind == "target" and target.share and value is not None and \
                not is_distribution(value) and not 0.0 <= float(value) <= 1.0:
            raise spec_error(f"target {value} of share path {path} is outside 0..1",
                             file=lever.file, key=f"{key}.value", fix="give a fraction")
        if lever.kind == "target" and "change" in lever.fields and not is_distribution(
                target.base) and float(target.base) == 0.0:
            raise spec_error(f"a change relative to the base of {path} (0) is undefined",
                             file=lever.file, key=f"{key}.change", fix="give value instead")
        by_path.setdefault(path, []).append(_compile_path_lever(lever, key))
    for address, levers in by_path.items():
        spec_obj = comp.paths[address]
        updated = PathSpec(**{**spec_obj.__dict__, "levers": tuple(levers)})
        for name, existing in list(comp.paths.items()):
            if existing is spec_obj:
                comp.paths[name] = updated
    for name, sector in list(sectors.items()):
        fields = dict(sector.__dict__)
        fields["activity"] = comp.paths[f"sectors.{name}.activity"]
        fields["intensity"] = comp.paths[f"sectors.{name}.intensity"]
        fields["item_paths"] = {i: comp.paths[f"sectors.{name}.items.{i}"] for i in sector.items}
        if sector.extra is not None:
            fields["extra"] = comp.paths["sinks.growth"]
        fields["shifts"] = tuple(shifts.get(name, ()))
        for shift in fields["shifts"]:
            _check_shift_items(shift, sector)
        sectors[name] = SectorModel(**fields)
    comp.power_shifts = tuple(shifts.get("power", ()))
    comp.shift_sectors = set(shifts)


def _compile_path_lever(lever: Lever, key: str) -> tuple:
    f = lever.fields
    num = {k: _num(v, f"{key}.{k}") for k, v in f.items()
           if k in ("rate", "start", "end", "year", "value", "change", "steepness", "ratio",
                    "share")}
    if lever.kind in ("additions", "retirement"):
        years = tuple(float(y) for y in f["schedule"])
        amounts = tuple(_num(v, f"{key}.schedule.{y}") for y, v in f["schedule"].items())
        return (lever.kind, {"years": years, "amounts": amounts})
    return (lever.kind, {**num, "shape": f.get("shape", "linear"),
                         "after": f.get("after", "hold")})


def _compile_shift(lever: Lever, sector: str, ledger) -> tuple:
    key = f"levers.{lever.name}"
    f = lever.fields
    params = {k: _num(v, f"{key}.{k}") for k, v in f.items()
              if k in ("share", "ratio", "start", "year", "steepness")}
    sources = f.get("from", [])
    sources = [sources] if isinstance(sources, str) else list(sources)
    return (lever.kind, {**params, "sector": sector, "from": tuple(sources),
                         "to": f.get("to"), "shape": f.get("shape", "linear"),
                         "file": lever.file, "key": key})


def _check_shift_items(shift: tuple, sector: SectorModel) -> None:
    kind, p = shift
    if kind != "share_shift":
        return
    for item in (*p["from"], p["to"]):
        if item not in sector.items:
            raise spec_error(f"sector {sector.name!r} has no base-year rows of {item!r}",
                             file=p["file"], key=f"{p['key']}.{'to' if item == p['to'] else 'from'}",
                             fix=f"use items of the sector: {list(sector.items)}")
    if sector.item_energy_tce[sector.items.index(p["to"])] <= 0:
        raise spec_error(f"item {p['to']!r} of {sector.name!r} uses no energy in the base year",
                         file=p["file"], key=f"{p['key']}.to",
                         fix="shift to a fuel the sector burns or consumes in the base year")


def _consumers(ledger: BaseLedger, item: str, *, exclude: str) -> np.ndarray:
    rows = ledger.rows
    return ((rows["item"].to_numpy() == item) & np.isin(rows["activity"].to_numpy(),
                                                         ENERGY_INPUT_KINDS)
            & (rows["sector"].to_numpy() != exclude) & (rows["sector"].to_numpy() != "power"))


def _order(sectors: dict, ledger: BaseLedger, spec: ScenarioSpec) -> list[str]:
    deps: dict[str, set] = {}
    for name, s in sectors.items():
        driver = s.activity.driver or ""
        need: set = set()
        if driver.startswith("sector:"):
            other = driver.split(":", 1)[1]
            if other not in sectors:
                raise spec_error(f"follows {other!r}, which has no base-year rows",
                                 file=spec.origin(f"sectors.{name}.activity"),
                                 key=f"sectors.{name}.activity.follows",
                                 fix=f"use a sector of the base data: {sorted(sectors)}")
            need.add(other)
        elif driver.startswith("demand:"):
            item = driver.split(":", 1)[1]
            mask = _consumers(ledger, item, exclude=name)
            if item == "electricity" or not mask.any():
                raise spec_error(f"no other sector consumes {item!r} in the base year",
                                 file=spec.origin(f"sectors.{name}.activity"),
                                 key=f"sectors.{name}.activity.follows",
                                 fix="follow an item other sectors burn or consume (electricity "
                                 "demand is the power module's)")
            need |= set(ledger.rows["sector"].to_numpy()[mask].tolist())
        deps[name] = need
    order: list[str] = []
    state: dict[str, int] = {}

    def visit(name: str, trail: tuple) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            raise spec_error(f"sectors follow each other in a cycle: {' -> '.join(trail)}",
                             file=spec.origin(f"sectors.{name}"), key=f"sectors.{name}.activity",
                             fix="break the cycle with a driver or growth rate")
        state[name] = 1
        for other in sorted(deps[name]):
            visit(other, trail + (other,))
        state[name] = 2
        order.append(name)

    for name in sorted(sectors):
        visit(name, (name,))
    return order


def _weights(ledger: BaseLedger) -> np.ndarray:
    rows, lines = ledger.rows, ledger.lines
    w = np.zeros((len(rows), len(OUTPUTS)))
    r = lines["row"].to_numpy()
    co2 = lines["gas"].to_numpy() == "CO2"
    s1, lulucf = lines["scope"].to_numpy() == 1, lines["lulucf"].to_numpy()
    t, e = lines["emissions_t"].to_numpy(), lines["co2e_t"].to_numpy()
    for column, values in (("co2_s1", np.where(co2 & s1 & ~lulucf, t, 0.0)),
                           ("co2e_s1", np.where(s1 & ~lulucf, e, 0.0)),
                           ("lulucf_co2e", np.where(lulucf, e, 0.0)),
                           ("co2_s2", np.where(co2 & ~s1, t, 0.0)),
                           ("co2e_s2", np.where(~s1, e, 0.0))):
        w[:, OUTPUTS.index(column)] = np.bincount(r, weights=values, minlength=len(rows))
    for column in ("tce", "tce_ce", "coal_tce", "non_fossil_tce", "non_fossil_tce_ce",
                   "feedstock_tce"):
        w[:, OUTPUTS.index(column)] = rows[column].to_numpy()
    return w
