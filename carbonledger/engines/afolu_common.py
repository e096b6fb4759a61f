"""Helpers shared by the agriculture and land-use (AFOLU) engines.

Validation of activity rows (items from a factor table's vocabulary, non-negative values,
shares within 0..1), edition-consistent factor fetching (one look-up per distinct item, never
per row, with a :class:`~carbonledger.errors.FactorFallbackWarning` when one calculation uses
factors of more than one source), Tier 2 override columns and result-frame
assembly.

Text per row (items, climate zones, factor ids) travels as pandas Categoricals: integer codes
plus a few labels. Look-ups, masks and id joins work on the codes and touch each distinct
label (or combination of labels) once, so the cost per row is integer work only.

Examples
--------
>>> import pandas as pd
>>> from carbonledger.engines.afolu_common import result_frame
>>> float(result_frame(pd.Index([7]), "3.A.1", "CH4", [68.0], ["x"]).loc[0, "emissions_t"])
68.0
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..blocks import RESULT_COLUMNS, as_ids, concat_results, result_frame
from ..errors import ActivityDataError, FactorFallbackWarning, MissingFactorError
from ..grouping import category_isin, factorize_columns, gather_categorical

__all__ = [
    "N2ON_TO_N2O",
    "C_TO_CO2",
    "RESULT_COLUMNS",
    "FactorFetcher",
    "vocabulary",
    "check_items",
    "check_non_negative",
    "activity_value",
    "check_fraction",
    "column_or_nan",
    "text_column",
    "as_ids",
    "put_ids",
    "pick_ids",
    "first_appearance",
    "series_codes",
    "apply_override",
    "result_frame",
    "concat_results",
    "join_ids",
]

#: Mass ratio N2O / N2O-N (IPCC 2006 Vol. 4, Eq. 11.1 and 10.25).
N2ON_TO_N2O = 44.0 / 28.0
#: Mass ratio CO2 / C (IPCC 2006 Vol. 4, Eq. 2.x and 11.12).
C_TO_CO2 = 44.0 / 12.0
#: Above this many possible combinations, combination keys are compacted by sorting.
_KEY_LIMIT = 1 << 22


def _blank(value) -> bool:
    """A missing key or id: None, NaN or the empty string."""
    return value is None or value == "" or value != value


def first_appearance(codes, size: int) -> np.ndarray:
    """The codes ``0..size-1`` ordered by the first row where each appears (absent codes last).

    Examples
    --------
    >>> first_appearance([2, 0, 2, 1], 3).tolist()
    [2, 0, 1]
    """
    codes = np.asarray(codes, dtype=np.int64)
    first = np.full(size, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    return np.argsort(first, kind="stable")


def series_codes(frame: pd.DataFrame, columns) -> np.ndarray:
    """One int64 per row, equal for rows with equal ``columns`` values, numbered in order of
    first appearance (as ``pd.factorize`` numbers them); missing values form their own group.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": pd.Categorical(["y", "x", "y"]), "b": [1, 1, 1]})
    >>> series_codes(frame, ["a", "b"]).tolist()
    [0, 1, 0]
    """
    codes, uniques = factorize_columns(frame, list(columns))
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[first_appearance(codes, len(uniques))] = np.arange(len(uniques), dtype=np.int64)
    return rank[codes]


class FactorFetcher:
    """Fetch the factors of one ``compute`` call, and say so when their editions mix.

    Each factor comes from the first source in the library's preference order that has it.
    When one call ends up using factors from more than one source (say an EF4 from
    ``ipcc2006/2019r`` next to livestock factors that only ``ipcc2006/2006`` carries), a
    :class:`FactorFallbackWarning` names the factor and both sources, so editions never mix
    silently. Look-ups are cached by the library, so asking per distinct item is cheap.

    Parameters
    ----------
    lib : a :class:`carbonledger.factors.FactorLibrary`.
    table : restrict look-ups to this table name (optional).

    Examples
    --------
    >>> from carbonledger.engines.afolu_common import FactorFetcher
    >>> FactorFetcher(None).sources
    []
    """

    def __init__(self, lib, *, table: str | None = None):
        self.lib = lib
        self.table = table
        self.sources: list[str] = []

    def get(self, parameter: str, item: str, *, unit: str | None = None, **keys):
        """One factor (see :meth:`FactorLibrary.get`); warns when its source is new."""
        keys = {k: v for k, v in keys.items() if v is not None}
        factor = self.lib.get(parameter, item, unit=unit, table=self.table, **keys)
        if factor.source not in self.sources:
            if self.sources:
                warnings.warn(
                    f"factors from several sources in one calculation: {factor.factor_id} "
                    f"comes from {factor.source}, earlier factors from "
                    f"{', '.join(self.sources)}",
                    FactorFallbackWarning, stacklevel=3,
                )
            self.sources.append(factor.source)
        return factor

    def many(self, parameter: str, keys: pd.DataFrame, *, unit: str | None = None
             ) -> tuple[np.ndarray, pd.Categorical]:
        """Vectorized :meth:`get`: ``keys`` has an ``item`` column plus key columns (one row per
        activity row, categorical columns are read through their codes); each distinct
        combination is looked up once, in order of first appearance. Returns ``(values, ids)``
        with the ids as a Categorical. A missing or blank key is no constraint. A miss raises
        :class:`MissingFactorError` naming every affected row label."""
        columns = list(keys.columns)
        codes, combos = factorize_columns(keys, columns)
        values = np.empty(len(combos), dtype="float64")
        ids = np.empty(len(combos), dtype=object)
        data = {c: combos[c].to_numpy(dtype=object) for c in columns}
        for position in first_appearance(codes, len(combos)):
            combo = {c: values[position] for c, values in data.items()}
            item = combo.pop("item")
            scoped = {k: (None if _blank(v) else str(v)) for k, v in combo.items()}
            try:
                factor = self.get(parameter, "" if _blank(item) else str(item), unit=unit,
                                  **scoped)
            except MissingFactorError as exc:
                raise MissingFactorError(exc.message, rows=keys.index[codes == position].tolist(),
                                         fix=exc.fix, parameter=parameter) from None
            values[position] = factor.value
            ids[position] = factor.factor_id
        return values[codes], gather_categorical(ids, codes)


def vocabulary(lib, table: str, parameter: str) -> list[str]:
    """Sorted item ids that have ``parameter`` in factor table ``table`` (any source).

    Examples
    --------
    >>> from carbonledger.engines.afolu_common import vocabulary
    >>> callable(vocabulary)
    True
    """
    frame = lib.table(table)
    if frame.empty or "parameter" not in frame.columns:
        return []
    return sorted(frame.loc[frame["parameter"] == parameter, "item"].unique().tolist())


def check_items(values: pd.Series, valid: Iterable[str], *, what: str, kind: str) -> None:
    """Raise :class:`ActivityDataError` naming the rows whose value is not in ``valid``
    (checked once per category when ``values`` is categorical; missing values are invalid).

    Examples
    --------
    >>> import pandas as pd
    >>> check_items(pd.Series(["sheep"], index=[3]), ["sheep"], what="animal", kind="k")
    """
    valid = list(valid)
    if isinstance(values.dtype, pd.CategoricalDtype):
        bad = ~category_isin(values, valid)
    else:
        bad = ~values.astype(object).isin(valid).to_numpy()
    if bad.any():
        unknown = sorted({str(v) for v in values[bad]})
        raise ActivityDataError(
            f"{kind}: unknown {what} {', '.join(repr(u) for u in unknown[:5])}",
            rows=values.index[bad].tolist(),
            fix=f"use one of: {', '.join(valid)}",
        )


def check_non_negative(values, index: pd.Index, *, what: str, kind: str) -> np.ndarray:
    """Return ``values`` as float64, raising :class:`ActivityDataError` for negatives or NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> float(check_non_negative([1.0, 2.0], pd.Index([0, 1]), what="area", kind="k").sum())
    3.0
    """
    array = np.asarray(values, dtype="float64")
    bad = ~(array >= 0)
    if bad.any():
        raise ActivityDataError(f"{kind}: {what} must be a non-negative number",
                                rows=index[bad].tolist(), fix=f"give {what} >= 0")
    return array


def activity_value(rows: pd.DataFrame, *, what: str, kind: str) -> np.ndarray:
    """The rows' ``value`` as float64, refusing negatives, NaN and text (rows named).

    Examples
    --------
    >>> import pandas as pd
    >>> activity_value(pd.DataFrame({"value": [2.0, 3.0]}), what="value (ha)", kind="k").tolist()
    [2.0, 3.0]
    """
    return check_non_negative(pd.to_numeric(rows["value"], errors="coerce"), rows.index,
                              what=what, kind=kind)


def check_fraction(values, index: pd.Index, *, what: str, kind: str) -> np.ndarray:
    """Return ``values`` as float64 (NaN kept), raising for a value outside 0..1.

    Examples
    --------
    >>> import pandas as pd
    >>> float(check_fraction([0.5], pd.Index([4]), what="share", kind="k")[0])
    0.5
    """
    array = np.asarray(values, dtype="float64")
    bad = ~np.isnan(array) & ((array < 0) | (array > 1))
    if bad.any():
        raise ActivityDataError(f"{kind}: {what} must lie between 0 and 1",
                                rows=index[bad].tolist(), fix=f"give {what} as a fraction 0..1")
    return array


def column_or_nan(rows: pd.DataFrame, column: str) -> np.ndarray:
    """Float64 values of ``column`` (a writable copy), or NaN for every row when the column
    is absent.

    Examples
    --------
    >>> import pandas as pd
    >>> column_or_nan(pd.DataFrame({"a": [1]}), "b")
    array([nan])
    """
    if column not in rows.columns:
        return np.full(len(rows), np.nan)
    values = pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype="float64")
    return np.array(values, dtype="float64", copy=True)  # writable: pandas may hand out a view


def text_column(rows: pd.DataFrame, column: str, default: str) -> pd.Series:
    """Categorical Series of the string values of ``column`` (categorical or not), ``default``
    where missing or absent. Each distinct value is turned into text once.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"c": pd.Categorical(["a", None])})
    >>> text_column(rows, "c", "z").tolist(), text_column(rows, "d", "z").tolist()
    (['a', 'z'], ['z', 'z'])
    """
    if column not in rows.columns:
        return pd.Series(as_ids(default, len(rows)), index=rows.index)
    values = rows[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, categories = values.cat.codes.to_numpy(np.int64), values.cat.categories
    else:
        codes, categories = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    labels = [str(c) for c in categories] + [default]
    codes = np.where(codes >= 0, codes, len(labels) - 1)
    return pd.Series(gather_categorical(labels, codes), index=rows.index)


def _unify(parts: list[pd.Categorical]) -> tuple[list[np.ndarray], pd.Index]:
    """Codes of ``parts`` on one shared category index (-1 stays missing)."""
    first = parts[0].categories
    if all(p.categories is first or p.categories.equals(first) for p in parts[1:]):
        return [np.asarray(p.codes, dtype=np.int64) for p in parts], pd.Index(first, dtype=object)
    categories = pd.Index(np.concatenate([np.asarray(p.categories, dtype=object) for p in parts]),
                          dtype=object).unique()
    out = []
    for part in parts:
        mapping = np.append(categories.get_indexer(part.categories), -1).astype(np.int64)
        out.append(mapping[np.asarray(part.codes, dtype=np.int64)])
    return out, categories


def put_ids(ids, mask, values) -> pd.Categorical:
    """``ids`` with the rows of boolean ``mask`` replaced by ``values`` (a string, or one value
    per masked row), like ``ids[mask] = values`` on an array.

    Examples
    --------
    >>> import numpy as np
    >>> put_ids(["a", "b", "c"], np.array([True, False, True]), ["x", "y"]).tolist()
    ['x', 'b', 'y']
    """
    mask = np.asarray(mask, dtype=bool)
    base = as_ids(ids, len(mask))
    if not mask.any():
        return base
    (codes, sub_codes), categories = _unify([base, as_ids(values, int(mask.sum()))])
    codes = codes.copy()
    codes[mask] = sub_codes
    return pd.Categorical.from_codes(codes, categories, validate=False)


def pick_ids(condition, when_true, when_false) -> pd.Categorical:
    """``np.where(condition, when_true, when_false)`` for ids (strings broadcast).

    Examples
    --------
    >>> import numpy as np
    >>> pick_ids(np.array([True, False]), "m", ["a", "b"]).tolist()
    ['m', 'b']
    """
    condition = np.asarray(condition, dtype=bool)
    n = len(condition)
    (a, b), categories = _unify([as_ids(when_true, n), as_ids(when_false, n)])
    return pd.Categorical.from_codes(np.where(condition, a, b), categories, validate=False)


def apply_override(rows: pd.DataFrame, column: str, default: np.ndarray, ids
                   ) -> tuple[np.ndarray, pd.Categorical]:
    """Replace ``default`` by ``rows[column]`` where the column is present and not NaN; the
    factor id of those rows becomes ``measured:<column>`` (``ids`` may be a string).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> v, i = apply_override(pd.DataFrame({"ef": [np.nan, 2.0]}), "ef",
    ...                       np.array([1.0, 1.0]), np.array(["d", "d"], dtype=object))
    >>> v.tolist(), i.tolist()
    ([1.0, 2.0], ['d', 'measured:ef'])
    """
    values = np.asarray(default, dtype="float64").copy()
    given = column_or_nan(rows, column)
    use = ~np.isnan(given)
    values[use] = given[use]
    return values, put_ids(as_ids(ids, len(values)), use, f"measured:{column}")


def join_ids(*parts) -> pd.Categorical:
    """Join factor ids element-wise with ``+`` (strings broadcast; blanks dropped).

    Parts may be Categoricals (read through their codes), arrays or strings. Each distinct
    combination of codes is joined once, so the cost per row is integer work only.

    Examples
    --------
    >>> join_ids(["a", "b"], "c").tolist()
    ['a+c', 'b+c']
    >>> join_ids(["a", ""], ["", ""]).tolist()
    ['a', '']
    """
    n = max((len(p) for p in parts if not isinstance(p, str)), default=1)
    cats = [as_ids(p, n) for p in parts]
    codes_list = [np.asarray(c.codes, dtype=np.int64) for c in cats]
    key = np.zeros(n, dtype=np.int64)
    total = 1
    for codes, cat in zip(codes_list, cats, strict=True):
        size = len(cat.categories) + 1
        if total * size > _KEY_LIMIT:
            uniques, key = np.unique(key, return_inverse=True)
            total = len(uniques)
        key = key * size + (codes + 1)
        total *= size
    if total <= max(4 * n, 1024):
        present = np.bincount(key, minlength=total) > 0
        mapping = np.cumsum(present) - 1
        combo = mapping[key]
        k = int(present.sum())
    else:
        uniques, combo = np.unique(key, return_inverse=True)
        k = len(uniques)
    sample = np.empty(k, dtype=np.int64)
    sample[combo] = np.arange(n, dtype=np.int64)  # any row of each combination
    labels = [np.asarray(c.categories, dtype=object) for c in cats]
    joined = []
    for row in sample:
        texts = [lab[c[row]] for lab, c in zip(labels, codes_list, strict=True) if c[row] >= 0]
        joined.append("+".join(str(t) for t in texts if not _blank(t)))
    return gather_categorical(joined, combo)
