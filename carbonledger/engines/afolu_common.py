"""Helpers shared by the agriculture and land-use (AFOLU) engines.

Validation of activity rows (items from a factor table's vocabulary, non-negative values,
shares within 0..1), edition-consistent factor fetching (one look-up per distinct item, never
per row, with a :class:`~carbonledger.errors.FactorFallbackWarning` when one calculation uses
factors of more than one source), Tier 2 override columns and result-frame
assembly.

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
from pandas.api.types import union_categoricals

from ..errors import ActivityDataError, FactorFallbackWarning, MissingFactorError

__all__ = [
    "N2ON_TO_N2O",
    "C_TO_CO2",
    "RESULT_COLUMNS",
    "FactorFetcher",
    "vocabulary",
    "check_items",
    "check_non_negative",
    "check_fraction",
    "column_or_nan",
    "text_column",
    "apply_override",
    "result_frame",
    "concat_results",
    "join_ids",
]

#: Mass ratio N2O / N2O-N (IPCC 2006 Vol. 4, Eq. 11.1 and 10.25).
N2ON_TO_N2O = 44.0 / 28.0
#: Mass ratio CO2 / C (IPCC 2006 Vol. 4, Eq. 2.x and 11.12).
C_TO_CO2 = 44.0 / 12.0
RESULT_COLUMNS = ["row", "category", "gas", "emissions_t", "factor_id", "scope"]


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
             ) -> tuple[np.ndarray, np.ndarray]:
        """Vectorized :meth:`get`: ``keys`` has an ``item`` column plus key columns (one row per
        activity row); each distinct combination is looked up once. Returns ``(values, ids)``.
        A miss raises :class:`MissingFactorError` naming every affected row label."""
        frame = keys.astype(object).where(keys.notna(), "")
        codes, uniques = pd.MultiIndex.from_frame(frame).factorize()
        combos = uniques.to_frame(index=False)
        combos.columns = list(frame.columns)
        values = np.empty(len(combos), dtype="float64")
        ids = np.empty(len(combos), dtype=object)
        for position, combo in enumerate(combos.to_dict("records")):
            item = combo.pop("item")
            scoped = {k: (None if v == "" else str(v)) for k, v in combo.items()}
            try:
                factor = self.get(parameter, str(item), unit=unit, **scoped)
            except MissingFactorError as exc:
                raise MissingFactorError(exc.message, rows=keys.index[codes == position].tolist(),
                                         fix=exc.fix, parameter=parameter) from None
            values[position] = factor.value
            ids[position] = factor.factor_id
        return values[codes], ids[codes]


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
    """Raise :class:`ActivityDataError` naming the rows whose value is not in ``valid``.

    Examples
    --------
    >>> import pandas as pd
    >>> check_items(pd.Series(["sheep"], index=[3]), ["sheep"], what="animal", kind="k")
    """
    valid = list(valid)
    bad = ~values.astype(object).isin(valid)
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
    """Float64 values of ``column``, or NaN for every row when the column is absent.

    Examples
    --------
    >>> import pandas as pd
    >>> column_or_nan(pd.DataFrame({"a": [1]}), "b")
    array([nan])
    """
    if column not in rows.columns:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[column], errors="coerce").to_numpy(dtype="float64")


def text_column(rows: pd.DataFrame, column: str, default: str) -> pd.Series:
    """String values of ``column`` (categorical or not), ``default`` where missing or absent.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"c": pd.Categorical(["a", None])})
    >>> text_column(rows, "c", "z").tolist(), text_column(rows, "d", "z").tolist()
    (['a', 'z'], ['z', 'z'])
    """
    if column not in rows.columns:
        return pd.Series(default, index=rows.index, dtype=object)
    values = rows[column].astype(object)
    return values.where(values.notna(), default).astype(str).astype(object)


def apply_override(rows: pd.DataFrame, column: str, default: np.ndarray, ids: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Replace ``default`` by ``rows[column]`` where the column is present and not NaN; the
    factor id of those rows becomes ``measured:<column>``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> v, i = apply_override(pd.DataFrame({"ef": [np.nan, 2.0]}), "ef",
    ...                       np.array([1.0, 1.0]), np.array(["d", "d"], dtype=object))
    >>> v.tolist(), i.tolist()
    ([1.0, 2.0], ['d', 'measured:ef'])
    """
    values = np.asarray(default, dtype="float64").copy()
    ids = np.asarray(ids, dtype=object).copy()
    given = column_or_nan(rows, column)
    use = ~np.isnan(given)
    values[use] = given[use]
    ids[use] = f"measured:{column}"
    return values, ids


def join_ids(*parts) -> np.ndarray:
    """Join factor-id arrays element-wise with ``+`` (scalars broadcast; blanks dropped).

    Each distinct combination is joined once (rows share few combinations), so this stays
    vectorized on millions of rows.

    Examples
    --------
    >>> join_ids(["a", "b"], "c").tolist()
    ['a+c', 'b+c']
    >>> join_ids(["a", ""], ["", ""]).tolist()
    ['a', '']
    """
    n = max((len(p) for p in parts if not isinstance(p, str)), default=1)
    key = np.zeros(n, dtype=np.int64)
    labels: list[np.ndarray] = []
    codes_list: list[np.ndarray] = []
    for part in parts:
        if isinstance(part, str):
            codes, uniques = np.zeros(n, dtype=np.int64), np.array([part], dtype=object)
        else:
            codes, uniques = pd.factorize(np.asarray(part, dtype=object), use_na_sentinel=False)
        key = key * (len(uniques) + 1) + codes
        labels.append(np.asarray(uniques, dtype=object))
        codes_list.append(codes)
        key = np.unique(key, return_inverse=True)[1].astype(np.int64)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    joined = np.array(["+".join(str(lab[c[i]]) for lab, c in zip(labels, codes_list, strict=True)
                                if lab[c[i]] not in ("", None) and lab[c[i]] == lab[c[i]])
                       for i in first], dtype=object)
    return joined[inverse]


def result_frame(index: pd.Index, category, gas: str, emissions_t, factor_id, *, scope: int = 1
                 ) -> pd.DataFrame:
    """One result row per input row for one gas (and category).

    Examples
    --------
    >>> import pandas as pd
    >>> result_frame(pd.Index(["a"]), "3.C.2", "CO2", [1.5], "id").columns.tolist()
    ['row', 'category', 'gas', 'emissions_t', 'factor_id', 'scope']
    """
    n = len(index)
    return pd.DataFrame({
        "row": index.to_numpy(),
        "category": np.broadcast_to(np.asarray(category, dtype=object), (n,)),
        "gas": gas,
        "emissions_t": np.asarray(emissions_t, dtype="float64"),
        "factor_id": pd.Categorical(np.broadcast_to(np.asarray(factor_id, dtype=object), (n,))),
        "scope": np.int64(scope),
    })


def concat_results(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate result frames (an empty frame with the result columns if none).

    Examples
    --------
    >>> concat_results([]).columns.tolist()
    ['row', 'category', 'gas', 'emissions_t', 'factor_id', 'scope']
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "emissions_t" else object)
                             for c in RESULT_COLUMNS})
    factor_ids = union_categoricals([pd.Categorical(f["factor_id"]) for f in frames],
                                    ignore_order=True)
    out = pd.concat([f.drop(columns="factor_id") for f in frames], ignore_index=True)
    out["factor_id"] = factor_ids
    return out[RESULT_COLUMNS]
