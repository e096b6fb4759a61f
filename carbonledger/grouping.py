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

__all__ = ["factorize_columns", "row_keys", "decode_keys", "group_sum", "gather_categorical",
           "map_categorical", "map_flags", "category_isin", "drop_unused_categories",
           "compact_categories", "combine_codes",
           "union_codes", "concat_frames", "column_codes", "small_code_dtype"]

_DENSE_LIMIT = 1 << 24
_RANGE_LIMIT = 1 << 16


def column_codes(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes and categories of one key column (categorical codes; a narrow integer column by
    offset from its minimum, which needs no hashing; anything else by ``pd.factorize``).

    Examples
    --------
    >>> codes, categories = column_codes(pd.Series([2022, 2020, 2022]))
    >>> codes.tolist(), categories.tolist()
    ([2, 0, 2], [2020, 2021, 2022])
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(), series.cat.categories
    if series.dtype.kind in "iu" and len(series):
        values = series.to_numpy()
        low, high = int(values.min()), int(values.max())
        if high - low < _RANGE_LIMIT:
            return (values - low).astype(np.int64, copy=False), pd.Index(
                np.arange(low, high + 1, dtype=values.dtype))
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
    parts = [column_codes(frame[c]) for c in columns]
    sizes = [len(cats) + 1 for _, cats in parts]
    if float(np.prod(np.asarray(sizes, dtype="float64"))) > 2**62:
        codes, uniques = pd.MultiIndex.from_frame(frame[columns]).factorize()
        return codes.astype(np.int64), uniques.to_frame(index=False)
    key = combine_codes(parts, n)
    total = int(np.prod(np.asarray(sizes, dtype=np.int64)))
    if total <= _DENSE_LIMIT:
        present = np.bincount(key, minlength=total) > 0
        keys_sorted = np.flatnonzero(present)
        mapping = np.full(total, -1, dtype=np.int64)
        mapping[keys_sorted] = np.arange(len(keys_sorted))
        codes = mapping[key]
    else:
        keys_sorted, codes = np.unique(key, return_inverse=True)
    return codes.astype(np.int64), decode_keys(keys_sorted, columns,
                                               [cats for _, cats in parts])


def decode_keys(keys, columns, categories) -> pd.DataFrame:
    """The column values of mixed-radix keys built from codes over ``categories`` (one
    Index per column, digit 0 meaning missing), as a frame of ``columns``.

    Examples
    --------
    >>> decode_keys([8], ["a", "b"], [pd.Index(["x", "y"]), pd.Index([10, 20])]).values.tolist()
    [['y', 20]]
    """
    uniques = {}
    remainder = np.array(keys, dtype=np.int64)
    for column, cats in reversed(list(zip(columns, categories, strict=True))):
        size = len(cats) + 1
        digit = remainder % size - 1
        remainder = remainder // size
        values = np.asarray(cats, dtype=object)
        out = np.empty(len(digit), dtype=object)
        out[digit >= 0] = values[digit[digit >= 0]]
        out[digit < 0] = np.nan
        uniques[column] = out
    return pd.DataFrame({c: uniques[c] for c in columns})


def row_keys(frame: pd.DataFrame, columns) -> np.ndarray:
    """One int64 per row, equal for equal ``columns`` (not compacted; for hashing, e.g.
    duplicate detection). Falls back to :func:`factorize_columns` when the key space is huge."""
    parts = [column_codes(frame[c]) for c in columns]
    sizes = [len(cats) + 1 for _, cats in parts]
    if float(np.prod(np.asarray(sizes, dtype="float64"))) > 2**62:
        return factorize_columns(frame, columns)[0]
    return combine_codes(parts, len(frame))


def combine_codes(parts, n: int) -> np.ndarray:
    """Mixed-radix int64 key of per-column ``(codes, categories)`` (code -1, missing, becomes
    digit 0; column ``i`` has ``len(categories) + 1`` digits), built in place: one int64 array
    however many columns. :func:`decode_keys` reads the columns back.

    Examples
    --------
    >>> combine_codes([(np.array([1, -1]), pd.Index(["x", "y"])),
    ...                (np.array([1, 0]), pd.Index([10, 20]))], 2).tolist()
    [8, 1]
    """
    key = np.zeros(n, dtype=np.int64)
    for codes, categories in parts:
        key *= len(categories) + 1
        key += codes
        key += 1
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
    lookup = np.append(inverse, -1).astype(small_code_dtype(len(uniques)))  # code -1 -> NaN
    return pd.Categorical.from_codes(lookup[np.asarray(codes)],
                                     categories=pd.Index(uniques, dtype=object), validate=False)


def small_code_dtype(n_categories: int):
    """The integer dtype pandas keeps categorical codes in for ``n_categories``.

    Examples
    --------
    >>> small_code_dtype(20), small_code_dtype(1000)
    (<class 'numpy.int8'>, <class 'numpy.int16'>)
    """
    for dtype in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(dtype).max:
            return dtype
    return np.int64


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
    return flags[series.cat.codes.to_numpy()]  # code -1 takes the last entry, the default


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
    return inside[series.cat.codes.to_numpy()]  # code -1 takes the last entry, False


def drop_unused_categories(series: pd.Series) -> pd.Series:
    """``series.cat.remove_unused_categories()`` by counting codes (no sort).

    Examples
    --------
    >>> s = pd.Series(pd.Categorical(["b"], categories=["a", "b"]))
    >>> list(drop_unused_categories(s).cat.categories)
    ['b']
    """
    compact = compact_categories(series.array)
    if compact is series.array:
        return series
    return pd.Series(compact, index=series.index, name=series.name)


def compact_categories(values: pd.Categorical) -> pd.Categorical:
    """``values`` without the categories no row uses (by counting codes, no sort); ``values``
    itself when every category is used.

    Examples
    --------
    >>> compact_categories(pd.Categorical(["b", None], categories=["a", "b"])).categories.tolist()
    ['b']
    """
    codes = np.asarray(values.codes)
    # pandas keeps codes in the smallest dtype that holds them, so codes + 1 cannot overflow
    used = np.bincount(codes + 1, minlength=len(values.categories) + 1)[1:] > 0
    if used.all():
        return values
    mapping = np.append(np.cumsum(used) - 1, -1)  # code -1 takes the last entry, -1
    return pd.Categorical.from_codes(mapping[codes], values.categories[used], validate=False)


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
