"""Time-series consistency (IPCC 2006 Vol.1 Ch.5, Sec. 5.3): splicing techniques that fill
gaps or join a method change, each filled value marked with the technique that made it.

=================  ==========================================================================
method             what it does
=================  ==========================================================================
``overlap``        Eq. 5.1: old-method values scaled by the mean ratio new/old over the years
                   both methods cover; fills years where only the old method has a value.
``surrogate``      Eq. 5.2: ``y_0 = y_t * s_0 / s_t`` with a surrogate series ``s`` (activity,
                   GDP, population); ``t`` is the nearest year with both values (or the mean
                   ratio over all such years with ``reference="mean"``).
``interpolation``  Sec. 5.3.3.3: linear between the nearest known years (interior gaps only).
``extrapolation``  Sec. 5.3.3.4: linear trend fitted by least squares to the ``window`` known
                   years nearest each end, carried before the first and after the last.
=================  ==========================================================================

Techniques compose: pass the returned frame back in and its audit trail is kept.

Examples
--------
>>> import pandas as pd
>>> s = pd.Series([10.0, None, 14.0, None], index=[2018, 2019, 2020, 2021])
>>> out = splice(splice(s, method="interpolation"), method="extrapolation", window=2)
>>> out["value"].round(9).tolist(), out["method"].tolist()
([10.0, 12.0, 14.0, 16.0], ['', 'interpolation', '', 'extrapolation'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["splice", "SPLICE_METHODS"]

SPLICE_METHODS = ("overlap", "surrogate", "interpolation", "extrapolation")


def _series(data, name: str) -> pd.Series:
    if isinstance(data, pd.DataFrame):
        frame = data.set_index("year") if "year" in data.columns else data
        if "value" not in frame.columns:
            raise ValueError(f"{name}: a DataFrame needs a 'value' column (and years as index "
                             "or a 'year' column)")
        data = frame["value"]
    series = pd.Series(data, dtype="float64")
    try:
        series.index = series.index.astype(np.int64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: the index must be years (integers)") from exc
    if series.index.has_duplicates:
        raise ValueError(f"{name}: duplicate years {series.index[series.index.duplicated()]}")
    return series.sort_index()


def _audit(data, values: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({"value": values})
    frame["flag"] = np.where(values.notna(), "reported", "missing")
    frame["method"] = ""
    frame["note"] = ""
    if isinstance(data, pd.DataFrame) and {"flag", "method"} <= set(data.columns):
        previous = data.set_index("year") if "year" in data.columns else data
        previous.index = previous.index.astype(np.int64)
        for column in ("flag", "method", "note"):
            if column in previous.columns:
                known = previous[column].reindex(frame.index)
                frame[column] = known.where(known.notna(), frame[column]).astype(object)
    return frame


def _mark(frame: pd.DataFrame, years, values, method: str, note: str) -> None:
    years = list(years)
    if not years:
        return
    frame.loc[years, "value"] = np.asarray(values, dtype="float64")
    frame.loc[years, "flag"] = "filled"
    frame.loc[years, "method"] = method
    frame.loc[years, "note"] = note


def _overlap(frame, previous: pd.Series) -> None:
    y = frame["value"]
    x = previous.reindex(frame.index)
    both = y.notna() & x.notna() & (x != 0)
    if not both.any():
        raise ValueError("overlap: the two series share no year with values (Eq. 5.1 needs "
                         "at least one overlapping year); use surrogate or extrapolation")
    ratios = (y[both] / x[both]).to_numpy()
    ratio = float(ratios.mean())
    span = both.index[both]
    note = (f"old method x {ratio:.6g} (mean new/old ratio over {span.min()}-{span.max()}, "
            "Eq. 5.1)")
    if len(ratios) > 1 and ratios.max() > 1.1 * ratios.min() > 0:
        note += f"; ratios vary {ratios.min():.4g}-{ratios.max():.4g}: check the overlap"
    fill = y.isna() & x.notna()
    _mark(frame, frame.index[fill], x[fill] * ratio, "overlap", note)


def _surrogate(frame, surrogate: pd.Series, reference: str) -> None:
    y = frame["value"]
    s = surrogate.reindex(frame.index)
    both = y.notna() & s.notna() & (s != 0)
    if not both.any():
        raise ValueError("surrogate: no year has both the series and the surrogate")
    fill = frame.index[y.isna() & s.notna()]
    anchors = both.index[both].to_numpy()
    if reference == "mean":
        ratio = float((y[both] / s[both]).mean())
        _mark(frame, fill, s[fill] * ratio, "surrogate",
              f"surrogate x {ratio:.6g} (mean ratio over {anchors.min()}-{anchors.max()}, "
              "Eq. 5.2)")
        return
    if reference != "nearest":
        raise ValueError("reference must be 'nearest' or 'mean'")
    for year in fill:
        distance = np.abs(anchors - year) * 2 + (anchors > year)
        t = int(anchors[np.argmin(distance)])
        _mark(frame, [year], [y[t] * s[year] / s[t]], "surrogate",
              f"y_{t} x s_{year} / s_{t} (Eq. 5.2)")


def _interpolate(frame) -> None:
    y = frame["value"]
    known = y.notna()
    if known.sum() < 2:
        return
    first, last = known.idxmax(), known[::-1].idxmax()
    inner = frame.index[(~known) & (frame.index > first) & (frame.index < last)]
    if len(inner):
        years = y.index[known].to_numpy(dtype="float64")
        values = np.interp(inner.to_numpy(dtype="float64"), years, y[known].to_numpy())
        _mark(frame, inner, values, "interpolation", "linear between the nearest known years")


def _extrapolate(frame, window: int) -> None:
    y = frame["value"]
    known = y.index[y.notna()]
    if len(known) == 0:
        return
    for side, outside in (("start", frame.index < known.min()), ("end", frame.index > known.max())):
        years = frame.index[outside]
        if not len(years):
            continue
        anchor = known[:window] if side == "start" else known[-window:]
        if len(anchor) == 1:
            values = np.full(len(years), y[anchor[0]])
            note = f"held at the {anchor[0]} value (one known year)"
        else:
            centre = float(anchor.to_numpy(dtype="float64").mean())
            slope, intercept = np.polyfit(anchor.to_numpy(dtype="float64") - centre,
                                          y[anchor].to_numpy(), 1)
            values = intercept + slope * (years.to_numpy(dtype="float64") - centre)
            note = f"linear trend of {anchor.min()}-{anchor.max()} ({slope:.6g} per year)"
        _mark(frame, years, values, "extrapolation", note)


def splice(series, *, method: str = "overlap", years=None, previous=None, surrogate=None,
           window: int = 3, reference: str = "nearest") -> pd.DataFrame:
    """Fill gaps or join a method change in an annual series, marking every filled value.

    Parameters
    ----------
    series : the annual series (a Series indexed by year with NaN for gaps, or a DataFrame with
        ``value`` and years as index or ``year`` column, e.g. a previous ``splice`` result,
        whose ``flag``/``method``/``note`` are kept). For ``overlap`` it is the new method.
    method : ``"overlap"``, ``"surrogate"``, ``"interpolation"`` or ``"extrapolation"``.
    years : further years wanted, added to the years of ``series`` (and of ``previous`` or
        ``surrogate`` for those methods); extrapolation fills years outside the known span.
    previous : the old-method series (``overlap``).
    surrogate : the surrogate series (``surrogate``).
    window : number of known years at each end the extrapolation trend is fitted to.
    reference : ``"nearest"`` or ``"mean"`` (``surrogate``, see the module table).

    Returns
    -------
    DataFrame indexed by ``year`` with ``value``, ``flag`` (``reported``, ``filled`` or
    ``missing``), ``method`` (the technique of a filled value, else empty) and ``note`` (the
    ratio, anchor years or trend used).

    Examples
    --------
    >>> import pandas as pd
    >>> new = pd.Series({2019: 110.0, 2020: 121.0})
    >>> old = pd.Series({2017: 90.0, 2018: 95.0, 2019: 100.0, 2020: 110.0})
    >>> out = splice(new, method="overlap", previous=old)
    >>> out["value"].round(2).tolist()
    [99.0, 104.5, 110.0, 121.0]
    >>> out.loc[2017, "flag"], out.loc[2017, "method"]
    ('filled', 'overlap')
    >>> gdp = pd.Series({2018: 50.0, 2019: 55.0, 2020: 60.0})
    >>> splice(pd.Series({2019: 11.0, 2020: None}), method="surrogate",
    ...        surrogate=gdp).loc[2020, "value"].item()
    12.0
    """
    if method not in SPLICE_METHODS:
        raise ValueError(f"method must be one of {SPLICE_METHODS}, not {method!r}")
    values = _series(series, "series")
    extra = {"overlap": previous, "surrogate": surrogate}.get(method)
    if method in ("overlap", "surrogate") and extra is None:
        raise ValueError(f"method={method!r} needs "
                         + ("previous= (the old-method series)" if method == "overlap"
                            else "surrogate= (the surrogate series)"))
    other = _series(extra, method) if extra is not None else None
    index = values.index if other is None else values.index.union(other.index)
    if years is not None:
        index = index.union(pd.Index(np.asarray(list(years), dtype=np.int64)))
    frame = _audit(series, values.reindex(index))
    frame.index.name = "year"
    if method == "overlap":
        _overlap(frame, other)
    elif method == "surrogate":
        _surrogate(frame, other, reference)
    elif method == "interpolation":
        _interpolate(frame)
    else:
        if int(window) < 1:
            raise ValueError("window must be at least 1")
        _extrapolate(frame, int(window))
    return frame
