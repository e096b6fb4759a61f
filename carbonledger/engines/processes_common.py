"""Shared machinery of the process and fugitive engines: validation, factor look-up, overrides.

The kernels of :mod:`carbonledger.engines.processes`, :mod:`~carbonledger.engines.processes_metals`,
:mod:`~carbonledger.engines.processes_fluorinated` and :mod:`~carbonledger.engines.fugitive` are
pure numpy. Their ``compute`` functions share the steps collected here:

* :func:`check_nonnegative` / :func:`check_fraction` raise :class:`ActivityDataError` naming the
  offending elements (kernels: positions; ``compute``: row labels).
* :func:`lookup` fetches a default factor **once per distinct item** (not per row) and spreads it
  over the rows by integer codes.
* :func:`override` replaces the default where a Tier-2 column is present and not NaN, and marks
  the factor id ``measured:<column>``; :func:`default_or_override` does both steps at once.
* :func:`start` checks a kind's items and values; :func:`process_kind` declares a kind.
* :func:`result_frame` assembles the long result table of a kind.

Examples
--------
>>> import numpy as np
>>> check_fraction(np.array([0.2, 1.5]), "cullet_ratio")
Traceback (most recent call last):
...
carbonledger.errors.ActivityDataError: cullet_ratio must lie between 0 and 1 (row 1). Fix: give a share as a fraction, e.g. 0.25 for 25 %
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ..blocks import concat_results
from ..blocks import result_frame as single_gas_frame
from ..errors import ActivityDataError
from ..kinds import ActivityKind

__all__ = [
    "as_array",
    "check_nonnegative",
    "check_fraction",
    "check_items",
    "start",
    "item_codes",
    "item_in",
    "item_map",
    "column",
    "lookup",
    "override",
    "default_or_override",
    "join_ids",
    "pick",
    "result_frame",
    "process_kind",
    "C_TO_CO2",
    "CH4_TO_CO2",
]

#: Mass ratio of CO2 to carbon, 44/12 (molar masses 44.01 and 12.011 rounded as IPCC does).
C_TO_CO2 = 44.0 / 12.0
#: Mass ratio of CO2 formed to CH4 burned, 44/16.
CH4_TO_CO2 = 44.0 / 16.0


def as_array(values) -> np.ndarray:
    """Return ``values`` as a float64 array (scalars become 0-d arrays).

    Examples
    --------
    >>> as_array([1, 2]).dtype
    dtype('float64')
    """
    return np.asarray(values, dtype=np.float64)


def _labels(mask: np.ndarray, labels: Sequence | None) -> list:
    positions = np.flatnonzero(np.atleast_1d(mask))
    if labels is None:
        return positions.tolist()
    labels = list(labels)
    return [labels[i] for i in positions]


def _refuse(bad: np.ndarray, message: str, labels: Sequence | None, fix: str) -> None:
    if np.any(bad):
        raise ActivityDataError(message, rows=_labels(bad, labels), fix=fix)


def check_nonnegative(values, name: str, *, labels: Sequence | None = None) -> np.ndarray:
    """Raise :class:`ActivityDataError` where ``values`` is negative or not finite.

    NaN is refused too: a production that is not a number cannot be accounted.

    Examples
    --------
    >>> check_nonnegative([1.0, 0.0], "clinker_t").tolist()
    [1.0, 0.0]
    >>> check_nonnegative([1.0, -2.0], "clinker_t")
    Traceback (most recent call last):
    ...
    carbonledger.errors.ActivityDataError: clinker_t must be a finite number >= 0 (row 1). Fix: correct the sign or the missing value
    """
    array = as_array(values)
    bad = ~np.isfinite(array) | (array < 0)
    fix = "correct the sign or the missing value"
    _refuse(bad, f"{name} must be a finite number >= 0", labels, fix)
    return array


def check_fraction(
    values, name: str, *, labels: Sequence | None = None, allow_nan: bool = True
) -> np.ndarray:
    """Raise :class:`ActivityDataError` where a share lies outside 0..1.

    NaN is allowed by default because an optional column is NaN where the row does not use it;
    kernels pass ``allow_nan=False``.

    Examples
    --------
    >>> check_fraction([0.0, np.nan, 1.0], "carbide_slag_fraction").tolist()
    [0.0, nan, 1.0]
    """
    array = as_array(values)
    bad = (array < 0) | (array > 1) | np.isinf(array)
    if not allow_nan:
        bad = bad | np.isnan(array)
    fix = "give a share as a fraction, e.g. 0.25 for 25 %"
    _refuse(bad, f"{name} must lie between 0 and 1", labels, fix)
    return array


def item_codes(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``rows["item"]`` and the item names they index (no per-row strings).

    A missing item becomes the empty name ``""``.

    Examples
    --------
    >>> codes, names = item_codes(pd.DataFrame({"item": pd.Categorical(["b", "a", "b"])}))
    >>> codes.tolist(), names.tolist()
    ([1, 0, 1], ['a', 'b', ''])
    """
    series = rows["item"]
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy().astype(np.int64)
        names = [str(c) for c in series.cat.categories]
    else:
        codes, uniques = pd.factorize(series.to_numpy(dtype=object))
        names = [str(u) for u in uniques]
    names = np.asarray([*names, ""], dtype=object)
    codes = np.where(codes < 0, len(names) - 1, codes)
    return codes, names


def item_in(rows: pd.DataFrame, names) -> np.ndarray:
    """Boolean mask of rows whose item is one of ``names``.

    Examples
    --------
    >>> item_in(pd.DataFrame({"item": ["a", "b", "c"]}), ("a", "c")).tolist()
    [True, False, True]
    """
    codes, uniques = item_codes(rows)
    return np.isin(uniques, list(names))[codes]


def item_map(rows: pd.DataFrame, mapping, default=None) -> np.ndarray:
    """Per-row ``mapping[item]`` (a dict or a function), computed once per distinct item.

    Examples
    --------
    >>> item_map(pd.DataFrame({"item": ["cwpb", "vss"]}), {"cwpb": "prebake"}, "x").tolist()
    ['prebake', 'x']
    """
    codes, uniques = item_codes(rows)
    if callable(mapping):
        mapped = [mapping(u) for u in uniques]
    else:
        mapped = [mapping.get(u, default) for u in uniques]
    return np.asarray(mapped, dtype=object)[codes]


def check_items(rows: pd.DataFrame, allowed: Iterable[str], kind: str) -> None:
    """Raise :class:`ActivityDataError` for rows whose ``item`` is not one of ``allowed``.

    Examples
    --------
    >>> rows = pd.DataFrame({"item": ["cwpb", "pfpx"]}, index=[10, 11])
    >>> check_items(rows, ("cwpb", "swpb"), "aluminium_production")
    Traceback (most recent call last):
    ...
    carbonledger.errors.ActivityDataError: aluminium_production: unknown item 'pfpx' (row 11). Fix: use one of: cwpb, swpb
    """
    allowed = tuple(allowed)
    codes, names = item_codes(rows)
    bad = ~np.isin(names, list(allowed))[codes]
    if bad.any():
        unknown = sorted(set(names[np.unique(codes[bad])]))
        shown = ", ".join(repr(u) for u in unknown[:5])
        raise ActivityDataError(
            f"{kind}: unknown item {shown}",
            rows=list(rows.index[bad]),
            fix=f"use one of: {', '.join(allowed)}",
        )


def start(rows: pd.DataFrame, kind: str, items: Iterable[str]) -> np.ndarray:
    """Check a kind's ``item`` values and return its ``value`` column (finite, >= 0) as floats.

    Examples
    --------
    >>> start(pd.DataFrame({"item": ["cwpb"], "value": [2.0]}), "aluminium_production", ("cwpb",))
    array([2.])
    """
    check_items(rows, items, kind)
    return check_nonnegative(rows["value"], "value", labels=rows.index)


def column(rows: pd.DataFrame, name: str) -> np.ndarray:
    """Return parameter column ``name`` as floats, or all-NaN when the column is absent.

    Examples
    --------
    >>> column(pd.DataFrame({"a": [1, None]}), "a").tolist()
    [1.0, nan]
    >>> column(pd.DataFrame({"a": [1]}), "b").tolist()
    [nan]
    """
    if name not in rows.columns:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=np.float64)


def lookup(
    lib,
    rows: pd.DataFrame,
    parameter: str,
    unit: str,
    *,
    items=None,
    need=None,
    table: str | None = None,
    **keys,
) -> tuple[np.ndarray, np.ndarray]:
    """Fetch a default factor once per distinct item and spread it over the rows.

    Parameters
    ----------
    lib : the factor library (``lib.get(parameter, item, unit=..., table=..., **keys)``).
    rows : the kind's rows.
    parameter, unit : what to fetch and the unit to convert it to.
    items : optional per-row item names to look up instead of ``rows["item"]`` (e.g. the
        anode class ``prebake`` of a ``cwpb`` row).
    need : optional boolean mask; items whose rows all have ``need == False`` (an override
        replaces the default everywhere) are not looked up.
    table, keys : passed to ``lib.get`` (``gas="CF4"``...).

    Returns
    -------
    values : float array (NaN where no factor was needed), factor ids (object array).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> class Lib:
    ...     def get(self, parameter, item, *, unit=None, table=None, **keys):
    ...         return SimpleNamespace(value={"a": 1.0, "b": 2.0}[item], factor_id=f"x:{item}")
    >>> vals, ids = lookup(Lib(), pd.DataFrame({"item": ["a", "b", "a"]}), "ef", "t/t")
    >>> vals.tolist(), ids.tolist()
    ([1.0, 2.0, 1.0], ['x:a', 'x:b', 'x:a'])
    """
    if items is None:
        codes, uniques = item_codes(rows)
    else:
        codes, uniques = pd.factorize(np.asarray(items, dtype=object))
    used = codes if need is None else codes[np.asarray(need, dtype=bool)]
    wanted = np.bincount(used, minlength=len(uniques)) > 0
    values = np.full(len(uniques), np.nan)
    ids = np.full(len(uniques), "", dtype=object)
    for code, item in enumerate(uniques):
        if not wanted[code]:
            continue
        factor = lib.get(parameter, item, unit=unit, table=table, **keys)
        values[code] = factor.value
        ids[code] = factor.factor_id
    return values[codes], ids[codes]


def override(
    rows: pd.DataFrame, name: str, default: np.ndarray, default_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Replace ``default`` by column ``name`` where it is present and not NaN.

    Examples
    --------
    >>> rows = pd.DataFrame({"ef_t_per_t": [np.nan, 0.6]})
    >>> vals, ids = override(rows, "ef_t_per_t", np.array([0.5, 0.5]), np.array(["d", "d"], dtype=object))
    >>> vals.tolist(), ids.tolist()
    ([0.5, 0.6], ['d', 'measured:ef_t_per_t'])
    """
    given = column(rows, name)
    mask = ~np.isnan(given)
    if not mask.any():
        return default, default_ids
    values = np.where(mask, given, default)
    ids = pick(mask, f"measured:{name}", default_ids)
    return values, ids


def default_or_override(
    rows: pd.DataFrame,
    lib,
    parameter: str,
    name: str,
    unit: str,
    *,
    where=None,
    items=None,
    table: str | None = None,
    **keys,
) -> tuple[np.ndarray, np.ndarray]:
    """The default factor (:func:`lookup`) replaced by column ``name`` where given (:func:`override`).

    The default is looked up only for rows where column ``name`` is NaN or absent and, when
    ``where`` is given, ``where`` is true (e.g. only the Tier 1 rows of a kind).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> class Lib:
    ...     def get(self, parameter, item, *, unit=None, table=None, **keys):
    ...         return SimpleNamespace(value=0.5, factor_id=f"x:{item}")
    >>> rows = pd.DataFrame({"item": ["a", "b"], "ef_t_per_t": [np.nan, 0.6]})
    >>> vals, ids = default_or_override(rows, Lib(), "ef", "ef_t_per_t", "t/t")
    >>> vals.tolist(), ids.tolist()
    ([0.5, 0.6], ['x:a', 'measured:ef_t_per_t'])
    """
    need = np.isnan(column(rows, name))
    if where is not None:
        need = need & where
    values, ids = lookup(lib, rows, parameter, unit, items=items, need=need, table=table, **keys)
    return override(rows, name, values, ids)


def pick(mask, when_true, when_false) -> np.ndarray:
    """``np.where`` for factor ids: an object array, no fixed-width string copies.

    Examples
    --------
    >>> pick(np.array([True, False]), "measured:x", np.array(["d", "d"], dtype=object)).tolist()
    ['measured:x', 'd']
    """
    return np.where(
        mask, np.asarray(when_true, dtype=object), np.asarray(when_false, dtype=object)
    ).astype(object)


def join_ids(*parts) -> np.ndarray:
    """Join per-row factor ids with ``" + "``, skipping empty parts (once per distinct combination).

    Examples
    --------
    >>> join_ids(np.array(["a", "a"], dtype=object), np.array(["b", ""], dtype=object)).tolist()
    ['a + b', 'a']
    """
    arrays = np.broadcast_arrays(*[np.asarray(p, dtype=object) for p in parts])
    shape = arrays[0].shape
    codes, uniques = [], []
    for array in arrays:
        code, unique = pd.factorize(array.ravel())
        codes.append(code)
        uniques.append(unique)
    key = np.zeros(codes[0].shape, dtype=np.int64)
    for code, unique in zip(codes, uniques, strict=True):
        key = key * (len(unique) + 1) + code
    inverse, keys = pd.factorize(key)
    joined = []
    for combined in keys:
        names = []
        for unique in reversed(uniques):
            combined, code = divmod(int(combined), len(unique) + 1)
            names.append(str(unique[code]))
        joined.append(" + ".join(n for n in reversed(names) if n))
    return np.asarray(joined, dtype=object)[inverse].reshape(shape)


def process_kind(
    name: str,
    compute,
    *,
    items: tuple[str, ...],
    optional: tuple[str, ...] = (),
    description: str,
    sector: str = "ippu",
    unit: str = "t",
) -> ActivityKind:
    """Declare a process or fugitive kind (by default: IPPU, ``value`` in t).

    Examples
    --------
    >>> kind = process_kind("x_production", len, items=("x",), description="X produced (t)")
    >>> kind.sector, kind.unit, kind.items
    ('ippu', 't', ('x',))
    """
    return ActivityKind(
        name=name,
        sector=sector,
        unit=unit,
        compute=compute,
        optional=optional,
        items=items,
        description=description,
    )


def result_frame(
    rows: pd.DataFrame,
    pieces: Sequence[tuple],
) -> pd.DataFrame:
    """Assemble a kind's result: one row per (input row, gas).

    Parameters
    ----------
    rows : the kind's rows (their index labels become ``row``).
    pieces : tuples ``(mask, category, gas, emissions_t, factor_id)``; ``mask`` selects the input
        rows the piece applies to (``None``: all), ``category`` is a string or per-row array.

    Examples
    --------
    >>> rows = pd.DataFrame({"item": ["a", "b"]}, index=[7, 9])
    >>> out = result_frame(rows, [(None, "2.A.1", "CO2", np.array([1.0, 2.0]), "f")])
    >>> out[["row", "gas", "emissions_t"]].values.tolist()
    [[7, 'CO2', 1.0], [9, 'CO2', 2.0]]
    """
    n = len(rows)
    frames = []
    for mask, category, gas, emissions_t, factor_id in pieces:
        select = np.ones(n, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
        if not select.any():
            continue
        emissions = np.broadcast_to(as_array(emissions_t), (n,))
        cat = np.broadcast_to(np.asarray(category, dtype=object), (n,))
        ids = np.broadcast_to(np.asarray(factor_id, dtype=object), (n,))
        frames.append(single_gas_frame(rows.index[select], cat[select], gas, emissions[select],
                                       ids[select]))
    return concat_results(frames)
