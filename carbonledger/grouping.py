"""Fast grouping on categorical codes: one int code per distinct key, and bincount sums.

These two functions are the whole "vectorized" trick of the engines: factors are looked up once
per distinct key combination and gathered back to rows by code; sums by group are ``bincount``.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"a": pd.Categorical(["x", "y", "x"]), "b": [1, 1, 1]})
>>> codes, uniques = factorize_columns(frame, ["a", "b"])
>>> codes.tolist(), uniques["a"].tolist()
([0, 1, 0], ['x', 'y'])
>>> group_sum(codes, [1.0, 2.0, 3.0], len(uniques)).tolist()
[4.0, 2.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["factorize_columns", "row_keys", "group_sum", "gather_categorical", "map_categorical", "map_flags", "category_isin",
           "drop_unused_categories",
           "concat_frames"]

_DENSE_LIMIT = 1 << 24


def _codes(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(np.int64), series.cat.categories
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return codes.astype(np.int64), pd.Index(uniques)


def factorize_columns(frame: pd.DataFrame, columns) -> tuple[np.ndarray, pd.DataFrame]:
    """Codes ``0..k-1`` for the distinct combinations of ``columns`` and those combinations.

    Missing values form their own group (shown as NaN in ``uniques``). Categorical columns are
    used through their codes, so the cost is O(rows) integer work.
    """
    columns = list(columns)
    n = len(frame)
    if not columns:
        return np.zeros(n, dtype=np.int64), pd.DataFrame(index=range(1 if n else 0))
    parts = [_codes(frame[c]) for c in columns]
    sizes = [len(cats) + 1 for _, cats in parts]
    if float(np.prod(np.asarray(sizes, dtype="float64"))) > 2**62:
        codes, uniques = pd.MultiIndex.from_frame(frame[columns]).factorize()
        return codes.astype(np.int64), uniques.to_frame(index=False)
    key = np.zeros(n, dtype=np.int64)
    total = 1
    for (codes, _), size in zip(parts, sizes, strict=True):
        key = key * size + (codes + 1)
        total *= size
    if total <= _DENSE_LIMIT:
        present = np.bincount(key, minlength=total) > 0
        keys_sorted = np.flatnonzero(present)
        mapping = np.full(total, -1, dtype=np.int64)
        mapping[keys_sorted] = np.arange(len(keys_sorted))
        codes = mapping[key]
    else:
        keys_sorted, codes = np.unique(key, return_inverse=True)
    uniques = {}
    remainder = keys_sorted.copy()
    for column, (_, cats), size in reversed(list(zip(columns, parts, sizes, strict=True))):
        digit = remainder % size - 1
        remainder = remainder // size
        values = np.asarray(cats, dtype=object)
        out = np.empty(len(digit), dtype=object)
        out[digit >= 0] = values[digit[digit >= 0]]
        out[digit < 0] = np.nan
        uniques[column] = out
    return codes.astype(np.int64), pd.DataFrame({c: uniques[c] for c in columns})


def row_keys(frame: pd.DataFrame, columns) -> np.ndarray:
    """One int64 per row, equal for equal ``columns`` (not compacted; for hashing, e.g.
    duplicate detection). Falls back to :func:`factorize_columns` when the key space is huge."""
    parts = [_codes(frame[c]) for c in columns]
    sizes = [len(cats) + 1 for _, cats in parts]
    if float(np.prod(np.asarray(sizes, dtype="float64"))) > 2**62:
        return factorize_columns(frame, columns)[0]
    key = np.zeros(len(frame), dtype=np.int64)
    for (codes, _), size in zip(parts, sizes, strict=True):
        key = key * size + (codes + 1)
    return key


def group_sum(codes, values, size: int) -> np.ndarray:
    """Sum ``values`` by ``codes`` into an array of length ``size`` (NaN-free input)."""
    return np.bincount(np.asarray(codes), weights=np.asarray(values, dtype="float64"),
                       minlength=size)


def gather_categorical(values, codes) -> pd.Categorical:
    """A Categorical whose row ``i`` is ``values[codes[i]]``, built without per-row strings.

    ``values`` holds one label per code (labels may repeat); a code of -1 gives NaN.

    Examples
    --------
    >>> gather_categorical(["a", "b", "a"], [0, 1, 2, -1]).tolist()
    ['a', 'b', 'a', nan]
    """
    inverse, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.int64)
    inverse = np.append(np.asarray(inverse, dtype=np.int64), -1)  # code -1 -> NaN
    mapped = inverse[np.where(codes >= 0, codes, len(inverse) - 1)]
    return pd.Categorical.from_codes(mapped, categories=pd.Index(uniques, dtype=object))


def map_categorical(series: pd.Series, mapping, default=np.nan) -> pd.Categorical:
    """Map the categories of a categorical Series (dict or Series mapping; unmapped ->
    ``default``; missing values stay NaN)."""
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    if isinstance(mapping, pd.Series):
        mapping = mapping.to_dict()
    mapped = [mapping.get(c, default) for c in series.cat.categories]
    return gather_categorical(mapped, series.cat.codes.to_numpy())


def map_flags(series: pd.Series, mapping, default: bool) -> np.ndarray:
    """Boolean array from a mapping of the categories of ``series`` (missing -> ``default``).

    Examples
    --------
    >>> map_flags(pd.Series(pd.Categorical(["coal", "pv", None])), {"coal": True}, False).tolist()
    [True, False, False]
    """
    if not isinstance(series.dtype, pd.CategoricalDtype):
        series = series.astype("category")
    if isinstance(mapping, pd.Series):
        mapping = mapping.to_dict()
    flags = np.array([bool(mapping.get(c, default)) for c in series.cat.categories] + [default],
                     dtype=bool)
    codes = series.cat.codes.to_numpy()
    return flags[np.where(codes >= 0, codes, len(flags) - 1)]


def category_isin(series: pd.Series, values) -> np.ndarray:
    """``series.isin(values)`` evaluated once per category (missing values give False).

    Examples
    --------
    >>> category_isin(pd.Series(pd.Categorical(["a", "b", None])), {"a"}).tolist()
    [True, False, False]
    """
    if not isinstance(series.dtype, pd.CategoricalDtype):
        return series.isin(list(values)).to_numpy()
    values = set(values)
    inside = np.array([c in values for c in series.cat.categories] + [False], dtype=bool)
    codes = series.cat.codes.to_numpy()
    return inside[np.where(codes >= 0, codes, len(inside) - 1)]


def drop_unused_categories(series: pd.Series) -> pd.Series:
    """``series.cat.remove_unused_categories()`` by counting codes (no sort).

    Examples
    --------
    >>> s = pd.Series(pd.Categorical(["b"], categories=["a", "b"]))
    >>> list(drop_unused_categories(s).cat.categories)
    ['b']
    """
    codes = series.cat.codes.to_numpy()
    categories = series.cat.categories
    used = np.bincount(codes + 1, minlength=len(categories) + 1)[1:] > 0
    if used.all():
        return series
    mapping = np.append(np.cumsum(used) - 1, -1)
    new_codes = np.where(codes >= 0, mapping[np.where(codes >= 0, codes, -1)], -1)
    return pd.Series(pd.Categorical.from_codes(new_codes, categories[used], validate=False),
                     index=series.index, name=series.name)


def union_codes(parts) -> pd.Categorical:
    """Concatenate Categoricals by remapping their codes onto the union of their categories
    (no per-row work beyond one integer gather per part)."""
    categories = pd.Index(np.concatenate([np.asarray(p.categories, dtype=object)
                                          for p in parts])).unique()
    codes = []
    for part in parts:
        mapping = np.append(categories.get_indexer(part.categories), -1).astype(np.int32)
        part_codes = np.asarray(part.codes)
        codes.append(mapping[np.where(part_codes >= 0, part_codes, len(mapping) - 1)])
    return pd.Categorical.from_codes(np.concatenate(codes), categories=categories,
                                     validate=False)


def concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames of the same columns, uniting categoricals without a detour through
    strings (pandas would turn categoricals with different categories into strings).

    Examples
    --------
    >>> a = pd.DataFrame({"gas": pd.Categorical(["CO2"]), "t": [1.0]})
    >>> b = pd.DataFrame({"gas": pd.Categorical(["CH4"]), "t": [2.0]})
    >>> concat_frames([a, b])["gas"].tolist()
    ['CO2', 'CH4']
    """
    columns = {}
    for column in frames[0].columns:
        parts = [frame[column] for frame in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            columns[column] = union_codes([p.array for p in parts])
        elif any(isinstance(p.dtype, pd.CategoricalDtype) for p in parts) or any(
                p.dtype == object for p in parts):
            columns[column] = union_codes([pd.Categorical(p) if not isinstance(
                p.dtype, pd.CategoricalDtype) else p.array for p in parts])
        else:
            columns[column] = np.concatenate([p.to_numpy() for p in parts])
    return pd.DataFrame(columns, copy=False)
