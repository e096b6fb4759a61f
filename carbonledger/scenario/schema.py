"""The schema of scenario files and its checks (used by :mod:`carbonledger.scenario.spec`).

Every table and key a scenario file may contain is listed in :data:`SCHEMA` (``"*"`` stands for
any name: a sector, an item, a technology) and :data:`LEVER_SCHEMA`; leaves are typed (text,
number or distribution, share in 0..1, year, year-keyed numbers, growth). A check failure raises
:class:`~carbonledger.errors.ScenarioSpecError` through :func:`spec_error`, whose message names
the file and the dotted key, with a fix (for an unknown key, the closest allowed one).

Examples
--------
>>> _check_table({"years": {"start": 2020}}, SCHEMA, file="a.toml", prefix="")
>>> try:
...     _check_table({"years": {"strat": 2020}}, SCHEMA, file="a.toml", prefix="")
... except ScenarioSpecError as err:
...     print(err.key, "|", err.fix)
years.strat | did you mean 'start'? allowed keys here: basis, end, note, source, start
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping

from ..errors import ScenarioSpecError
from .sampling import parse_spec

__all__ = ["SCHEMA", "LEVER_SCHEMA", "LEVER_KINDS", "DRIVERS", "PEAK_METRICS", "spec_error",
           "is_distribution"]

LEVER_KINDS = ("rate", "target", "additions", "retirement", "share_shift", "stock_shift")
DRIVERS = ("gdp", "population", "urban_population", "households")
PEAK_METRICS = ("co2", "co2e", "net_co2e")
_AFTER = ("hold", "follow")

# Leaf types of the schema.
NUM, SHARE, YEAR, TEXT, TEXTS, FLAG = "number", "share", "year", "text", "texts", "flag"
YEAR_NUMS, YEAR_SHARES, GROWTH = "year_numbers", "year_shares", "growth"
_TEXT_KEYS = {"note": TEXT, "source": TEXT, "basis": TEXT}


def _path_schema(share: bool = False) -> dict:
    return {"base": SHARE if share else NUM, "unit": TEXT, "what": TEXT,
            "values": YEAR_SHARES if share else YEAR_NUMS, "growth": GROWTH, "driver": TEXT,
            "elasticity": NUM, "follows": TEXT, **_TEXT_KEYS}


_SECTOR = {"activity": _path_schema(), "intensity": _path_schema(),
           "items": {"*": _path_schema()}, **_TEXT_KEYS}
_TECH = {"capacity": _path_schema(), "hours": _path_schema(),
         "curtailment": _path_schema(share=True), **_TEXT_KEYS}
SCHEMA: dict = {
    "name": TEXT, "title": TEXT, "description": TEXT, "base": TEXTS,
    "inventory": {"activity": TEXTS, "base_year": YEAR, "gwp": TEXT, "factors": TEXTS,
                  **_TEXT_KEYS},
    "years": {"start": YEAR, "end": YEAR, **_TEXT_KEYS},
    "peak": {"metric": TEXT, "by": YEAR, "until": YEAR, "band": SHARE, "tolerance": SHARE,
             "rule": TEXT, **_TEXT_KEYS},
    "macro": {"gdp": _path_schema(), "population": _path_schema(),
              "urbanisation": _path_schema(share=True), "household_size": _path_schema(),
              **_TEXT_KEYS},
    "sectors": {"*": _SECTOR},
    "power": {"thermal_capacity": _path_schema(), "max_hours": NUM, "heat_rate": _path_schema(),
              "loss_rate": _path_schema(), "imports": _path_schema(),
              "exports": _path_schema(), "export_share_of_new_renewables": SHARE,
              "grid_factor": _path_schema(), "storage": _path_schema(),
              "storage_cycles": NUM, "storage_efficiency": SHARE,
              "tech": {"*": _TECH}, **_TEXT_KEYS},
    "sinks": {"forest_area": _path_schema(), "growth": _path_schema(), **_TEXT_KEYS},
    "levers": "levers",
    "correlations": "correlations",
}
LEVER_SCHEMA = {"name": TEXT, "kind": TEXT, "enabled": FLAG, "path": TEXT, "rate": NUM,
                "start": NUM, "end": NUM, "year": NUM, "value": NUM, "change": NUM,
                "shape": TEXT, "steepness": NUM, "after": TEXT, "schedule": YEAR_NUMS,
                "sector": TEXTS, "from": TEXTS, "to": TEXT, "share": SHARE, "ratio": NUM,
                **_TEXT_KEYS}
_REQUIRED = {
    "rate": (("path", "rate"), ("start", "end")),
    "target": (("path", "year"), ("value", "change", "start", "shape", "steepness", "after")),
    "additions": (("path", "schedule"), ()),
    "retirement": (("path", "schedule"), ()),
    "share_shift": (("sector", "from", "to", "share", "year"),
                    ("start", "shape", "steepness", "ratio")),
    "stock_shift": (("sector", "share", "ratio", "year"), ("start", "shape", "steepness")),
}
_COMMON = ("name", "kind", "enabled", "note", "source", "basis")


def spec_error(problem: str, *, file, key: str, fix: str, **fields) -> ScenarioSpecError:
    """A ScenarioSpecError whose message names the file and the key.

    Examples
    --------
    >>> str(spec_error("share 1.5 is outside 0..1", file="a.toml", key="levers.x.share",
    ...                fix="give a fraction"))
    'a.toml: levers.x.share: share 1.5 is outside 0..1. Fix: give a fraction'
    """
    where = f"{file}: " if file else ""
    return ScenarioSpecError(f"{where}{key}: {problem}", fix=fix, file=str(file) if file
                             else None, key=key, **fields)


def is_distribution(value) -> bool:
    """True for a distribution table (a mapping with a ``dist`` key).

    Examples
    --------
    >>> is_distribution({"dist": "normal", "mean": 1.0, "sd": 0.1}), is_distribution(1.0)
    (True, False)
    """
    return isinstance(value, Mapping) and "dist" in value


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ----------------------------------------------------------------------------------------------
# validation


def _check_table(table: Mapping, schema: Mapping, *, file: str, prefix: str) -> None:
    if not isinstance(table, Mapping):
        raise spec_error(f"must be a table, got {type(table).__name__}", file=file,
                         key=prefix or "<top>", fix="write it as a [table]")
    for key, value in table.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if prefix == "" and key == "_base_dir":
            continue
        rule = schema.get(key, schema.get("*"))
        if rule is None:
            allowed = sorted(k for k in schema if k != "*")
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.75)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise spec_error(f"unknown key {key!r}", file=file, key=dotted,
                             fix=f"{hint}allowed keys here: {', '.join(allowed)}")
        if isinstance(rule, dict):
            _check_table(value, rule, file=file, prefix=dotted)
        elif rule == "levers":
            if not isinstance(value, list):
                raise spec_error("levers must be an array of tables", file=file, key=dotted,
                                 fix="write each lever as a [[levers]] table")
            for i, lever in enumerate(value):
                label = f"levers.{lever.get('name', i)}" if isinstance(lever, Mapping) else \
                    f"levers[{i}]"
                _check_table(lever, LEVER_SCHEMA, file=file, prefix=label)
        elif rule == "correlations":
            if not isinstance(value, Mapping) or not all(isinstance(v, Mapping)
                                                         for v in value.values()):
                raise spec_error("correlations must map a parameter to {parameter = rho}",
                                 file=file, key=dotted, fix='write "a" = {"b" = 0.5}')
        else:
            _check_leaf(value, rule, file=file, key=dotted)


def _check_number(value, *, share: bool, file: str, key: str) -> None:
    if is_distribution(value):
        try:
            dist = parse_spec(value, name=key)
        except ScenarioSpecError as exc:
            raise spec_error(f"bad distribution: {exc.message}", file=file, key=key,
                             fix=exc.fix or "see carbonledger.scenario.sampling") from exc
        low, high = (dist.loc, dist.loc) if dist.dist == "fixed" else (dist.low, dist.high)
        if share and (low < 0 or high > 1):
            raise spec_error("a share's distribution must be bounded within 0..1",
                             file=file, key=key, fix="add low/high within 0..1 (or use "
                             "uniform/triangular bounds in 0..1)")
        return
    if not _is_number(value) or not math.isfinite(float(value)):
        raise spec_error(f"must be a number, got {value!r}", file=file, key=key,
                         fix="write a plain number (or a {dist = ...} table)")
    if share and not 0.0 <= float(value) <= 1.0:
        raise spec_error(f"share {value} is outside 0..1", file=file, key=key,
                         fix="give a fraction between 0 and 1 (0.25 for 25 %)")


def _check_year_key(key, *, file: str, dotted: str) -> int:
    try:
        year = int(str(key))
    except ValueError as exc:
        raise spec_error(f"{key!r} is not a year", file=file, key=dotted,
                         fix="key the table by years, e.g. {2025 = 1.0, 2030 = 2.0}") from exc
    if not 1900 <= year <= 2200:
        raise spec_error(f"year {year} is out of range", file=file, key=dotted,
                         fix="give years between 1900 and 2200")
    return year


def _check_leaf(value, rule: str, *, file: str, key: str) -> None:
    if rule == TEXT:
        if not isinstance(value, str):
            raise spec_error(f"must be text, got {value!r}", file=file, key=key,
                             fix='write it in quotes, e.g. "gdp"')
    elif rule == TEXTS:
        items = value if isinstance(value, list) else [value]
        tables_ok = key == "inventory.activity"
        if not all(isinstance(v, str) or (tables_ok and hasattr(v, "columns")) for v in items):
            raise spec_error(f"must be text or a list of text, got {value!r}", file=file,
                             key=key, fix='write "a" or ["a", "b"]')
    elif rule == FLAG:
        if not isinstance(value, bool):
            raise spec_error(f"must be true or false, got {value!r}", file=file, key=key,
                             fix="write true or false")
    elif rule == YEAR:
        if isinstance(value, bool) or not isinstance(value, int):
            raise spec_error(f"must be a year (an integer), got {value!r}", file=file, key=key,
                             fix="write e.g. 2030")
        _check_year_key(value, file=file, dotted=key)
    elif rule in (NUM, SHARE):
        _check_number(value, share=rule == SHARE, file=file, key=key)
    elif rule in (YEAR_NUMS, YEAR_SHARES, GROWTH):
        if rule == GROWTH and (not isinstance(value, Mapping) or is_distribution(value)):
            _check_number(value, share=False, file=file, key=key)
            return
        if not isinstance(value, Mapping) or not value:
            raise spec_error(f"must be a table of year = number, got {value!r}", file=file,
                             key=key, fix="write e.g. {2025 = 1.0, 2030 = 2.0}")
        years = [_check_year_key(k, file=file, dotted=f"{key}.{k}") for k in value]
        if years != sorted(years) or len(set(years)) != len(years):
            raise spec_error(f"years {years} are out of order", file=file, key=key,
                             fix="list the years in increasing order, each once")
        for k, v in value.items():
            _check_number(v, share=rule == YEAR_SHARES, file=file, key=f"{key}.{k}")


def _check_lever(lever) -> None:
    key = f"levers.{lever.name}"
    if lever.kind not in LEVER_KINDS:
        raise spec_error(f"unknown lever kind {lever.kind!r}", file=lever.file,
                         key=f"{key}.kind", fix=f"use one of {', '.join(LEVER_KINDS)}")
    _check_table(lever.fields, LEVER_SCHEMA, file=lever.file, prefix=key)
    required, optional = _REQUIRED[lever.kind]
    for name in required:
        if name not in lever.fields:
            raise spec_error(f"a {lever.kind} lever needs {name!r}", file=lever.file,
                             key=f"{key}.{name}", fix=f"add {name} (a {lever.kind} lever takes "
                             f"{', '.join(required)}; optional {', '.join(optional) or '-'})")
    for name in lever.fields:
        if name not in required and name not in optional and name not in _COMMON:
            raise spec_error(f"{name!r} has no meaning for a {lever.kind} lever",
                             file=lever.file, key=f"{key}.{name}",
                             fix=f"a {lever.kind} lever takes {', '.join(required)}; "
                             f"optional {', '.join(optional) or '-'}")
    if lever.kind == "target" and ("value" in lever.fields) == ("change" in lever.fields):
        raise spec_error("a target lever needs exactly one of 'value' and 'change'",
                         file=lever.file, key=f"{key}.value",
                         fix="give value (a level) or change (a fraction vs the base year)")
    if lever.get("shape", "linear") not in ("linear", "s_curve"):
        raise spec_error(f"unknown shape {lever.get('shape')!r}", file=lever.file,
                         key=f"{key}.shape", fix='use "linear" or "s_curve"')
    if lever.get("after", "hold") not in _AFTER:
        raise spec_error(f"unknown after {lever.get('after')!r}", file=lever.file,
                         key=f"{key}.after", fix='use "hold" or "follow"')
    start, year = lever.get("start"), lever.get("year", lever.get("end"))
    if _is_number(start) and _is_number(year) and float(year) < float(start):
        raise spec_error(f"year {year} is before start {start}", file=lever.file,
                         key=f"{key}.start", fix="put start before the target year")


def _check_years(data: Mapping, origins: Mapping) -> None:
    years = data.get("years", {})
    start, end = years.get("start"), years.get("end")
    if start is not None and end is not None and end <= start:
        raise spec_error(f"end {end} is not after start {start}",
                         file=origins.get("years.end"), key="years.end",
                         fix="give years.end later than years.start")
    inventory = data.get("inventory", {})
    base_year = inventory.get("base_year")
    if base_year is not None and start is not None and base_year != start:
        raise spec_error(f"years.start {start} differs from inventory.base_year {base_year}",
                         file=origins.get("years.start"), key="years.start",
                         fix="start the projection in the base year (the reconciled year)")
    peak = data.get("peak", {})
    if peak.get("metric", "co2") not in PEAK_METRICS:
        raise spec_error(f"unknown peak metric {peak.get('metric')!r}",
                         file=origins.get("peak.metric"), key="peak.metric",
                         fix=f"use one of {', '.join(PEAK_METRICS)}")


def _collect_distributions(data: Mapping, levers, origins) -> dict:
    found: dict = {}

    def walk(node, prefix):
        if is_distribution(node):
            found[prefix] = dict(node)
        elif isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else str(key))

    walk({k: v for k, v in data.items() if not k.startswith("_")}, "")
    for lever in levers:
        walk(lever.fields, f"levers.{lever.name}")
    for address, table in found.items():
        if table.get("per_year") and ".growth" not in address:
            raise spec_error("per_year draws are only allowed for growth rates",
                             file=origins.get(address, None), key=address,
                             fix="remove per_year, or put the distribution on a growth rate")
    return found
