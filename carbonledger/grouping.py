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

__all__ = ["factorize_columns", "group_sum"]

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


def group_sum(codes, values, size: int) -> np.ndarray:
    """Sum ``values`` by ``codes`` into an array of length ``size`` (NaN-free input)."""
    return np.bincount(np.asarray(codes), weights=np.asarray(values, dtype="float64"),
                       minlength=size)
