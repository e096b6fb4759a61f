"""Scenario specifications: declarative TOML files, inheritance and validation.

A scenario file (``scenarios/*.toml``) has these parts (every key is checked; an unknown key,
a share outside 0..1, years out of order or a lever on a path that does not exist raises
:class:`~carbonledger.errors.ScenarioSpecError` naming the file, the key and the fix)::

    name = "renewables"                      # short id (default: the file name)
    title = "Large PV and wind base with storage"
    base = "baseline.toml"                   # inherit everything from another scenario file

    [inventory]                              # the base: activity tables, as for the inventory
    activity = ["../examples/city/activity.csv", "../examples/city/activity_sectors.csv"]
    base_year = 2020                         # the reconciled year (= years.start)
    gwp = "AR5"

    [years]
    start = 2020
    end = 2060

    [peak]                                   # what "the peak" is measured on
    metric = "co2"                           # co2 | co2e | net_co2e
    by = 2030                                # P(peak <= by) is reported
    until = 2035                             # plateau test: stable then declining to here
    band = 0.05

    [macro.gdp]                              # a *path* table (see below)
    base = 281.6003
    unit = "yi_yuan"
    growth = {2021 = 0.051, 2030 = 0.045, 2060 = 0.02}

    [sectors.steel.activity]                 # LEAP's activity x intensity x fuel mix
    base = 820.0
    unit = "wan_t"
    values = {2023 = 860.0, 2025 = 840.0}
    driver = "gdp"
    elasticity = 0.2
    [sectors.steel.intensity]
    growth = -0.006
    [sectors.coking.activity]
    follows = "demand:coke"                  # endogenous: coke demand of the other sectors

    [power]                                  # power module (see projection.py)
    max_hours = 7000.0
    [power.thermal_capacity]
    base = 3350.0
    [power.tech.pv.capacity]
    base = 800.0
    values = {2025 = 3900.0}

    [sinks.forest_area]                      # forestry rows: area and growth
    growth = 0.02

    [[levers]]
    name = "pv_base"
    kind = "additions"
    path = "power.tech.pv.capacity"
    schedule = {2027 = 2000.0, 2030 = 3000.0}

    [correlations]                           # rank correlations between drawn parameters
    "macro.gdp.growth.2030" = {"sectors.steel.activity.elasticity" = 0.5}

Path tables
-----------
``base`` (level in the base year; indices default to 1, data-derived levels to the base data),
``unit``, ``what``, ``values`` (``{year: level}``), ``growth`` (a rate or ``{year: rate}``),
``driver`` (``gdp``, ``population``, ``urban_population``, ``households``) with
``elasticity``, ``follows`` (another sector's name, or ``demand:<item>``), ``note``,
``source``. Share paths (``urbanisation``, ``curtailment``) must stay within 0..1.

Numbers and distributions
-------------------------
Any number may be a distribution, written as an inline table in the format of
:mod:`carbonledger.scenario.sampling`: ``{dist = "normal", mean = 0.05, sd = 0.01}``. It is
named by its dotted address: ``macro.gdp.growth.2030``, ``power.tech.pv.curtailment.base``,
``levers.<lever name>.share``. A deterministic run uses each distribution's median.

Inheritance
-----------
``base = "other.toml"`` (relative to this file) loads the other scenario first; tables merge
key by key (this file wins); ``levers`` are appended, and a lever with the ``name`` of an
inherited lever updates that lever key by key (``{name = "x", enabled = false}`` switches it
off). ``base = ["a.toml", "b.toml"]`` merges several parents in order (a combined scenario
that takes the levers of several sector scenarios). Scenarios that add only levers to the baseline therefore reduce to the baseline when
their levers are switched off (:meth:`ScenarioSpec.without_levers`).

Examples
--------
>>> spec = load_spec({"name": "demo", "years": {"start": 2020, "end": 2030},
...                   "inventory": {"activity": [], "base_year": 2020},
...                   "levers": [{"name": "cut", "kind": "rate", "path": "sectors.steel.activity",
...                               "rate": {"dist": "uniform", "low": -0.03, "high": -0.01}}]})
>>> spec.name, [lever.name for lever in spec.levers]
('demo', ['cut'])
>>> sorted(spec.distributions)
['levers.cut.rate']
>>> from carbonledger.errors import ScenarioSpecError
>>> try:
...     load_spec({"name": "x", "yeras": {}})
... except ScenarioSpecError as err:
...     print(err.key)
yeras
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .schema import (
    DRIVERS,
    LEVER_KINDS,
    PEAK_METRICS,
    SCHEMA,
    _check_lever,
    _check_table,
    _check_years,
    _collect_distributions,
    _is_number,
    is_distribution,
    spec_error,
)

__all__ = ["ScenarioSpec", "Lever", "load_spec", "LEVER_KINDS", "DRIVERS", "PEAK_METRICS",
           "is_distribution", "spec_error"]

@dataclass(frozen=True)
class Lever:
    """One lever of a scenario (see :mod:`carbonledger.scenario.levers` for the kinds).

    Attributes
    ----------
    name : unique name (default ``lever<i>``); distributions are named ``levers.<name>.<key>``.
    kind : one of :data:`LEVER_KINDS`.
    fields : the lever's keys as written (numbers may be distribution tables).
    file : the file that last defined it.
    enabled : False switches it off.
    """

    name: str
    kind: str
    fields: dict
    file: str
    enabled: bool = True

    def get(self, key: str, default=None):
        """The value of ``key`` (or ``default``)."""
        return self.fields.get(key, default)


@dataclass(frozen=True)
class ScenarioSpec:
    """A loaded, merged and validated scenario (see the module docstring).

    Attributes
    ----------
    name : scenario name.
    data : the merged tables (read-only by convention), without ``levers``.
    levers : the levers in application order.
    file : the file loaded (None for a spec given as a dict).
    chain : files in inheritance order (the root ancestor first).
    origins : dotted key -> file that set it (for error messages).
    distributions : dotted address -> distribution table, for every drawn number.
    correlations : ``{(a, b): rho}`` between drawn numbers.
    """

    name: str
    data: dict = field(repr=False)
    levers: tuple[Lever, ...]
    file: Path | None = None
    chain: tuple[str, ...] = ()
    origins: dict = field(default_factory=dict, repr=False)
    distributions: dict = field(default_factory=dict, repr=False)
    correlations: dict = field(default_factory=dict, repr=False)

    @property
    def base_dir(self) -> Path:
        """Directory relative paths are resolved against."""
        return Path(self.data.get("_base_dir", ".")) if self.file is None else self.file.parent

    def origin(self, key: str) -> str:
        """The file that set ``key`` (or its closest parent table)."""
        parts = key.split(".")
        for n in range(len(parts), 0, -1):
            found = self.origins.get(".".join(parts[:n]))
            if found:
                return found
        return str(self.file) if self.file else "<spec>"

    def without_levers(self) -> ScenarioSpec:
        """The same scenario with every lever switched off.

        Examples
        --------
        >>> s = load_spec({"levers": [{"name": "a", "kind": "rate", "path": "macro.gdp",
        ...                            "rate": 0.01}]})
        >>> [lever.enabled for lever in s.without_levers().levers]
        [False]
        """
        levers = tuple(Lever(lv.name, lv.kind, lv.fields, lv.file, False) for lv in self.levers)
        dists = {k: v for k, v in self.distributions.items() if not k.startswith("levers.")}
        corr = {k: v for k, v in self.correlations.items()
                if k[0] in dists and k[1] in dists}
        return ScenarioSpec(f"{self.name} (levers off)", self.data, levers, self.file,
                            self.chain, self.origins, dists, corr)

    def fixed(self, values: Mapping[str, float]) -> ScenarioSpec:
        """The same scenario with some drawn numbers set to constants (``{address: value}``),
        as the one-at-a-time sensitivity does.

        Examples
        --------
        >>> s = load_spec({"macro": {"gdp": {"base": 1.0, "growth": {"dist": "uniform",
        ...                "low": 0.0, "high": 0.1}}}})
        >>> s.fixed({"macro.gdp.growth": 0.02}).data["macro"]["gdp"]["growth"]
        0.02
        """
        data = copy.deepcopy(self.data)
        levers = [Lever(lv.name, lv.kind, copy.deepcopy(lv.fields), lv.file, lv.enabled)
                  for lv in self.levers]
        by_name = {lv.name: lv for lv in levers}
        for address, value in values.items():
            parts = address.split(".")
            if parts[0] == "levers":
                target, keys = by_name[parts[1]].fields, parts[2:]
            else:
                target, keys = data, parts
            for key in keys[:-1]:
                target = target[key]
            target[keys[-1]] = float(value)
        dists = {k: v for k, v in self.distributions.items() if k not in values}
        corr = {k: v for k, v in self.correlations.items() if k[0] in dists and k[1] in dists}
        return ScenarioSpec(self.name, data, tuple(levers), self.file, self.chain,
                            self.origins, dists, corr)


# ----------------------------------------------------------------------------------------------
# loading and merging


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise spec_error(f"scenario file {path} does not exist", file=path, key="base",
                         fix="check the path (relative paths are relative to the file that "
                         "names them)") from exc
    except tomllib.TOMLDecodeError as exc:
        raise spec_error(f"is not valid TOML ({exc})", file=path, key="<file>",
                         fix="fix the TOML syntax at the position given") from exc


def _record_origins(data: Mapping, file: str, prefix: str, origins: dict) -> None:
    for key, value in data.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        origins[dotted] = file
        if isinstance(value, Mapping) and not is_distribution(value):
            _record_origins(value, file, dotted, origins)


def _merge(parent: dict, child: Mapping) -> dict:
    out = dict(parent)
    for key, value in child.items():
        if (key in out and isinstance(out[key], dict) and isinstance(value, Mapping)
                and not is_distribution(value) and not is_distribution(out[key])):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _load_raw(source, seen: tuple[str, ...]) -> tuple[dict, list[Lever], dict, tuple, dict]:
    """Merged data, levers, origins, chain and correlations of a file or dict (recursive)."""
    if isinstance(source, Mapping):
        raw, file, here = dict(source), "<spec>", Path(source.get("_base_dir", "."))
    else:
        path = Path(source).resolve()
        if str(path) in seen:
            raise spec_error(f"inheritance loops back to {path.name} ({' -> '.join(seen)})",
                             file=path, key="base", fix="remove the circular `base`")
        raw, file, here = _read_toml(path), str(path), path.parent
    _check_table(raw, SCHEMA, file=file, prefix="")
    data: dict = {}
    levers: list[Lever] = []
    origins: dict = {}
    chain: tuple = ()
    correlations: dict = {}
    parents = raw.get("base", [])
    for parent in [parents] if isinstance(parents, str) else parents:
        parent_path = (here / parent).resolve()
        p_data, p_levers, p_origins, p_chain, p_corr = _load_raw(parent_path, seen + (file,))
        for key in ("name", "title", "description"):
            p_data.pop(key, None)
        data = _merge(data, p_data)
        levers = _merge_levers(levers, p_levers)
        origins.update(p_origins)
        chain = chain + tuple(c for c in p_chain if c not in chain)
        correlations.update(p_corr)
    own = {k: v for k, v in raw.items() if k not in ("levers", "correlations", "base")}
    data = _merge(data, own)
    _record_origins(own, file, "", origins)
    if "inventory" in own and "activity" in own["inventory"]:
        files = own["inventory"]["activity"]
        files = files if isinstance(files, list) else [files]
        data["inventory"]["activity"] = [f if not isinstance(f, str) else str(here / f)
                                         for f in files]
    for position, table in enumerate(raw.get("levers", [])):
        if "kind" not in table and not any(lv.name == table.get("name") for lv in levers):
            raise spec_error("lever has no kind", file=file,
                             key=f"levers.{table.get('name', position)}",
                             fix=f"add kind = one of {', '.join(LEVER_KINDS)}")
        name = table.get("name", f"lever{len(levers) + 1}")
        levers = _merge_levers(levers, [Lever(name, table.get("kind", ""), dict(table), file,
                                              bool(table.get("enabled", True)))])
    for a, partners in raw.get("correlations", {}).items():
        for b, rho in partners.items():
            correlations[(str(a), str(b))] = rho
    return data, levers, origins, chain + (file,), correlations


def _merge_levers(levers: list[Lever], new: list[Lever]) -> list[Lever]:
    """Append ``new`` levers; one named like an existing lever updates it key by key."""
    out = list(levers)
    for lever in new:
        match = [i for i, lv in enumerate(out) if lv.name == lever.name]
        if match:
            old = out[match[0]]
            fields = {**old.fields, **lever.fields}
            out[match[0]] = Lever(old.name, fields.get("kind", old.kind), fields, lever.file,
                                  bool(fields.get("enabled", True)))
        else:
            out.append(lever)
    return out


def load_spec(source, *, overrides: Mapping | None = None) -> ScenarioSpec:
    """Load, merge (inheritance) and validate a scenario.

    Parameters
    ----------
    source : path of a TOML file, a mapping with the same structure (relative activity paths
        then resolve against its ``_base_dir`` key, default the working directory), or a
        ScenarioSpec (returned as is unless ``overrides`` are given).
    overrides : tables merged on top (same rules as a child file), e.g.
        ``{"years": {"end": 2040}}`` or ``{"levers": [{"name": "x", "enabled": False}]}``.

    Returns
    -------
    ScenarioSpec

    Raises
    ------
    ScenarioSpecError
        Unknown keys, wrong types, shares outside 0..1, bad distributions, years out of order,
        bad or incomplete levers, duplicate lever names, inheritance loops; the message names
        the file and the key.

    Examples
    --------
    >>> s = load_spec({"years": {"start": 2020, "end": 2040}}, overrides={"years": {"end": 2050}})
    >>> s.data["years"]["end"]
    2050
    >>> from carbonledger.errors import ScenarioSpecError
    >>> try:
    ...     load_spec({"years": {"start": 2030, "end": 2020}})
    ... except ScenarioSpecError as err:
    ...     print(err.key)
    years.end
    """
    if isinstance(source, ScenarioSpec):
        if not overrides:
            return source
        source_map = {**source.data, "levers": [dict(lv.fields, name=lv.name, kind=lv.kind,
                                                     enabled=lv.enabled)
                                                for lv in source.levers]}
        source_map["_base_dir"] = str(source.base_dir)
        source = source_map
    data, levers, origins, chain, correlations = _load_raw(source, ())
    if overrides:
        extra = dict(overrides)
        extra_levers = extra.pop("levers", [])
        _check_table(extra, SCHEMA, file="<overrides>", prefix="")
        data = _merge(data, extra)
        _record_origins(extra, "<overrides>", "", origins)
        levers = _merge_levers(levers, [
            Lever(t.get("name", f"lever{len(levers) + i + 1}"), t.get("kind", ""), dict(t),
                  "<overrides>", bool(t.get("enabled", True))) for i, t in enumerate(extra_levers)])
    file = None if isinstance(source, Mapping) else Path(source).resolve()
    name = data.get("name") or (file.stem if file else "scenario")
    for lever in levers:
        _check_lever(lever)
    names = [lv.name for lv in levers]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise spec_error(f"lever names {dup} are used twice", file=chain[-1] if chain else None,
                         key="levers", fix="give every lever its own name")
    _check_years(data, origins)
    dists = _collect_distributions(data, levers, origins)
    for (a, b), rho in correlations.items():
        for address in (a, b):
            if address not in dists:
                raise spec_error(f"correlation names {address!r}, which is not a drawn "
                                 "number of this scenario", file=chain[-1] if chain else None,
                                 key=f"correlations.{a}", fix="correlate addresses that are "
                                 f"distributions; known: {sorted(dists)[:8]}")
        if not _is_number(rho) or not -1.0 < float(rho) < 1.0:
            raise spec_error(f"correlation {rho!r} must be a number in (-1, 1)",
                             file=chain[-1] if chain else None, key=f"correlations.{a}.{b}",
                             fix="give a rank correlation such as 0.5")
    return ScenarioSpec(name=str(name), data=data, levers=tuple(levers), file=file,
                        chain=tuple(chain), origins=origins, distributions=dists,
                        correlations={k: float(v) for k, v in correlations.items()})
