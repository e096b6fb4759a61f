"""Peak year, plateau test and their vectorized versions over Monte Carlo draws.

The seed plans ask that carbon emissions "peak before 2030" and, after the peak, be "stable then
declining" (达峰后稳中有降) to 2035 (seed 000). This module answers both questions for one
year-indexed series (:func:`peak`, :func:`plateau`) and for a matrix of draws x years without a
Python loop over draws (:func:`peak_years`, :func:`p_peak_by`, :func:`plateau_mask`,
:func:`percentile_bands`).

Peak rule (the same in the scalar and the vectorized functions)
----------------------------------------------------------------
* A year is *at the maximum* when its value is ``>= max - tolerance * |max|`` (``tolerance`` is
  a relative tie tolerance; 0 means exactly equal to the maximum).
* The series has *peaked* when its last year is **not** at the maximum, i.e. it has come down
  from its maximum by the end of the horizon. The peak year is then the first year at the
  maximum (ties go to the first year).
* Otherwise (still rising at the end, or flat at the maximum until the end) ``peaked`` is False
  and the reported year is the first year of the final run of years at the maximum: the last
  year for a series still rising at the end, the first year for a flat series.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from carbonledger.errors import ActivityDataError
from carbonledger.indicators import year_series

__all__ = ["PeakResult", "PlateauResult", "PeakDraws", "PLATEAU_RULES", "peak", "plateau",
           "peak_years", "p_peak_by", "plateau_mask", "percentile_bands"]

#: Clauses each plateau rule requires (see :func:`plateau`).
PLATEAU_RULES: dict[str, tuple[str, ...]] = {
    "stable_then_declining": ("peaked_before_until", "no_exceedance", "stable", "declining"),
    "monotone_decline": ("peaked_before_until", "no_exceedance", "monotone", "declining"),
}


@dataclass(frozen=True)
class PeakResult:
    """Peak of one year-indexed series (see the module docstring for the rule).

    Attributes
    ----------
    year : peak year; when ``peaked`` is False, the first year of the final run at the maximum
        (the last year for a series still rising at the end).
    value : value of the series in ``year``.
    peaked : False when the series is still at its maximum in its last year.
    horizon_end : last year of the series.
    """

    year: int
    value: float
    peaked: bool
    horizon_end: int


@dataclass(frozen=True)
class PlateauResult:
    """Outcome of the "stable then declining after the peak" test of :func:`plateau`.

    Attributes
    ----------
    passed : every clause the rule requires holds.
    rule : name of the rule (a key of :data:`PLATEAU_RULES`).
    peak_year, peak_value : the peak tested from.
    until : last year checked.
    value_at_until : value of the series in ``until``.
    peaked_before_until : ``peak_year < until``.
    no_exceedance : no year in ``(peak_year, until]`` is above ``peak_value``.
    stable : the largest rebound after the peak is at most ``band * |peak_value|``.
    declining : ``value_at_until < peak_value``.
    monotone : no year-on-year increase in ``[peak_year, until]``.
    max_rebound : largest rise of a year in ``(peak_year, until]`` above the lowest value since
        the peak, in the unit of the series (0 when it never rises).
    rebound_year : year of that largest rebound, or None when there is none.
    change_at_until : ``(value_at_until - peak_value) / |peak_value|`` (signed fraction).
    band : the band used.
    explanation : the verdict in words, clause by clause.
    """

    passed: bool
    rule: str
    peak_year: int
    peak_value: float
    until: int
    value_at_until: float
    peaked_before_until: bool
    no_exceedance: bool
    stable: bool
    declining: bool
    monotone: bool
    max_rebound: float
    rebound_year: int | None
    change_at_until: float
    band: float
    explanation: str


class PeakDraws(NamedTuple):
    """Peak of every draw: arrays of length ``draws`` (returned by :func:`peak_years`)."""

    year: np.ndarray
    value: np.ndarray
    peaked: np.ndarray


def _check_tolerance(tolerance: float, *, name: str = "tolerance") -> float:
    tolerance = float(tolerance)
    if not 0.0 <= tolerance < 1.0:
        raise ActivityDataError(f"{name} must be a fraction in [0, 1), got {tolerance}",
                                fix=f"give {name} as a relative fraction such as 0.001")
    return tolerance


def _draw_matrix(values, years) -> tuple[np.ndarray, np.ndarray]:
    """values as float (draws x years) and years as int, checked for shape, order and NaN."""
    matrix = np.asarray(values, dtype="float64")
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    year_arr = np.asarray(years)
    if matrix.ndim != 2 or year_arr.ndim != 1 or matrix.shape[1] != year_arr.size:
        raise ActivityDataError(
            f"values must be a draws x years matrix with one column per year; got shape "
            f"{matrix.shape} for {year_arr.size} years",
            fix="pass values of shape (draws, len(years))")
    if matrix.shape[0] == 0 or matrix.shape[1] == 0:
        raise ActivityDataError("values has no draws or no years",
                                fix="give at least one draw and one year")
    if not np.all(np.mod(year_arr, 1) == 0):
        raise ActivityDataError("years must be integers", fix="pass years such as 2020..2060")
    year_arr = year_arr.astype("int64")
    if np.any(np.diff(year_arr) <= 0):
        raise ActivityDataError("years must be strictly increasing",
                                fix="sort the columns by year and drop repeated years")
    bad = ~np.isfinite(matrix)
    if bad.any():
        draws_bad = np.flatnonzero(bad.any(axis=1)).tolist()
        years_bad = year_arr[bad.any(axis=0)].tolist()
        raise ActivityDataError(
            f"values are missing or infinite in years {years_bad[:5]}", rows=draws_bad,
            fix="check the projection of those draws (a NaN parameter, a division by zero)")
    return matrix, year_arr


def _peak_index(matrix: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """Column index of the peak and the ``peaked`` flag of every row (module rule)."""
    top = matrix.max(axis=1, keepdims=True)
    at_max = matrix >= top - tolerance * np.abs(top)
    n_years = matrix.shape[1]
    first = np.argmax(at_max, axis=1)
    peaked = ~at_max[:, -1]
    below_rev = ~at_max[:, ::-1]
    # first column of the final run at the maximum: just after the last column below it
    run_start = np.where(below_rev.any(axis=1), n_years - np.argmax(below_rev, axis=1), 0)
    return np.where(peaked, first, run_start), peaked


def peak(series, *, tolerance: float = 0.0) -> PeakResult:
    """Peak year and value of a year-indexed series.

    Parameters
    ----------
    series : pandas Series (or mapping) indexed by year; sorted here if unsorted.
    tolerance : relative tie tolerance; years within ``tolerance * |max|`` of the maximum count
        as at the maximum (damps numerical noise on a plateau). 0 means exact.

    Returns
    -------
    PeakResult
        See the module docstring for the rule; ``peaked`` is False, explicitly, when the series
        is still at its maximum in its last year (still rising at the end of the horizon).

    Raises
    ------
    ActivityDataError
        Missing (NaN) or non-numeric values, naming the years; labels that are not years;
        repeated years; ``tolerance`` outside [0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> peak(pd.Series({2025: 98.0, 2026: 100.0, 2027: 101.5, 2028: 99.0}))
    PeakResult(year=2027, value=101.5, peaked=True, horizon_end=2028)
    >>> peak({2030: 1.0, 2031: 2.0, 2032: 3.0}).peaked
    False
    >>> peak({2030: 5.0, 2031: 5.0, 2032: 5.0})
    PeakResult(year=2030, value=5.0, peaked=False, horizon_end=2032)
    >>> peak({2028: 100.0, 2029: 100.02, 2030: 99.0}, tolerance=0.001).year
    2028
    """
    tolerance = _check_tolerance(tolerance)
    clean = year_series(series, what="series")
    matrix = clean.to_numpy()[None, :]
    idx, peaked = _peak_index(matrix, tolerance)
    i = int(idx[0])
    return PeakResult(year=int(clean.index[i]), value=float(matrix[0, i]),
                      peaked=bool(peaked[0]), horizon_end=int(clean.index[-1]))


def _plateau_kernel(matrix: np.ndarray, years: np.ndarray, peak_idx: np.ndarray,
                    until_idx: int, band: float) -> dict[str, np.ndarray]:
    """Every plateau clause for every row; ``years`` consecutive, ``until_idx`` its column."""
    rows = np.arange(matrix.shape[0])
    cols = np.arange(matrix.shape[1])[None, :]
    peak_value = matrix[rows, peak_idx]
    after = cols > peak_idx[:, None]
    window = after & (cols <= until_idx)
    since_peak = np.where(cols >= peak_idx[:, None], matrix, np.inf)
    low_so_far = np.minimum.accumulate(since_peak, axis=1)
    rebound = np.where(window, matrix - low_so_far, 0.0)
    max_rebound = rebound.max(axis=1)
    rise = np.diff(matrix, axis=1) > 0
    monotone = ~np.any(rise & window[:, 1:], axis=1)
    value_at_until = matrix[:, until_idx]
    return {
        "peak_value": peak_value,
        "value_at_until": value_at_until,
        "peaked_before_until": peak_idx < until_idx,
        "no_exceedance": ~np.any(window & (matrix > peak_value[:, None]), axis=1),
        "stable": max_rebound <= band * np.abs(peak_value),
        "declining": value_at_until < peak_value,
        "monotone": monotone,
        "max_rebound": max_rebound,
        "rebound_idx": np.argmax(rebound, axis=1),
    }


def _check_rule(rule: str, band: float) -> tuple[str, ...]:
    if rule not in PLATEAU_RULES:
        raise ActivityDataError(f"unknown plateau rule {rule!r}",
                                fix=f"use one of {sorted(PLATEAU_RULES)}")
    if not 0.0 <= float(band) < 1.0:
        raise ActivityDataError(f"band must be a fraction in [0, 1), got {band}",
                                fix="give band as a fraction of the peak, e.g. 0.05")
    return PLATEAU_RULES[rule]


def _explain(rule: str, c: dict, band: float, passed: bool, exceed_years: list[int],
             rebound_year: int | None) -> str:
    pv, until = c["peak_value"], c["until"]
    if not c["peaked_before_until"]:
        return (f"peak in {c['peak_year']} ({pv:g}) is not before {until}: no years after the "
                f"peak to test; fails ({rule})")
    parts = [f"peak {c['peak_year']} ({pv:g})"]
    parts.append("never above the peak to " + str(until) if c["no_exceedance"]
                 else f"above the peak in {exceed_years[:5]}")
    share = c["max_rebound"] / abs(pv) if pv != 0 else (np.inf if c["max_rebound"] > 0 else 0.0)
    if rebound_year is None:
        parts.append("no rebound after the peak")
    else:
        verdict = "stable" if c["stable"] else "not stable"
        parts.append(f"largest rebound {share:.1%} of the peak in {rebound_year} "
                     f"(band {band:.1%}): {verdict}")
    if rule == "monotone_decline":
        parts.append("no year-on-year increase" if c["monotone"] else "rises in some year")
    change = c["change_at_until"]
    parts.append(f"{until} is {abs(change):.1%} {'below' if change < 0 else 'above'} the peak"
                 if change != 0 else f"{until} equals the peak")
    parts.append(("passes" if passed else "fails") + f" ({rule})")
    return "; ".join(parts)


def plateau(series, *, peak_year: int | None = None, until: int = 2035, band: float = 0.05,
            rule: str = "stable_then_declining") -> PlateauResult:
    """Test "stable then declining after the peak, to ``until``" (seed 000: 达峰后稳中有降).

    Clauses (each is returned as a boolean; ``rule`` decides which are required):

    * ``peaked_before_until``: the peak year is before ``until``.
    * ``no_exceedance``: no year in ``(peak_year, until]`` is above the peak value.
    * ``stable``: no rebound larger than ``band`` of the peak: for every year ``t`` in
      ``(peak_year, until]``, ``value[t] - min(value[peak_year..t]) <= band * |peak_value|``.
      A steady or fast decline is stable; a fall followed by a climb back is not, even if the
      climb stays below the peak.
    * ``declining``: ``value[until] < peak_value`` (lower overall at ``until``).
    * ``monotone``: no year-on-year increase in ``[peak_year, until]``.

    Rules: ``"stable_then_declining"`` (default) requires peaked_before_until, no_exceedance,
    stable and declining; ``"monotone_decline"`` requires peaked_before_until, no_exceedance,
    monotone and declining (``band`` is then only reported).

    Parameters
    ----------
    series : pandas Series (or mapping) indexed by year; every year from the peak to ``until``
        must be present.
    peak_year : peak to test from; default the peak of the whole series (:func:`peak`, exact
        ties to the first year). Give it to test a planned peak year.
    until : last year checked (2035 in seed 000).
    band : allowed rebound, as a fraction of ``|peak_value|``.
    rule : a key of :data:`PLATEAU_RULES`.

    Returns
    -------
    PlateauResult

    Raises
    ------
    ActivityDataError
        Bad values or years; ``until``, ``peak_year`` or a year between them missing; unknown
        rule; ``band`` outside [0, 1).

    Examples
    --------
    >>> s = {2026: 96.0, 2028: 100.0, 2029: 99.5, 2030: 99.0, 2031: 98.0, 2032: 97.0,
    ...      2033: 96.5, 2034: 96.0, 2035: 95.0}
    >>> r = plateau(s, until=2035)
    >>> r.passed, r.peak_year, round(r.change_at_until, 3)
    (True, 2028, -0.05)
    >>> rebound = {**s, 2031: 90.0, 2032: 97.0}
    >>> r = plateau(rebound)
    >>> r.passed, r.stable, r.declining
    (False, False, True)
    >>> r.explanation.split("; ")[2]
    'largest rebound 7.0% of the peak in 2032 (band 5.0%): not stable'
    """
    required = _check_rule(rule, band)
    band = float(band)
    clean = year_series(series, what="series")
    years = clean.index.to_numpy()
    until = int(until)
    if peak_year is None:
        start = int(peak(clean).year)
    else:
        start = int(peak_year)
        if start not in clean.index:
            raise ActivityDataError(f"peak year {start} is not in the series", rows=[start],
                                    fix="give a peak_year that the series covers")
    wanted = np.arange(start, until + 1) if start < until else np.array([until])
    missing = [int(y) for y in np.setdiff1d(wanted, years)]
    if missing:
        raise ActivityDataError(f"series is missing years {missing} needed to test the plateau "
                                f"from {start} to {until}", rows=missing,
                                fix="give every year from the peak to `until`")
    window = clean.loc[min(start, until):max(start, until)]
    matrix = window.to_numpy()[None, :]
    win_years = window.index.to_numpy()
    peak_idx = np.array([int(np.searchsorted(win_years, start))])
    until_idx = int(np.searchsorted(win_years, until))
    k = _plateau_kernel(matrix, win_years, peak_idx, until_idx, band)
    c = {name: (bool(v[0]) if v.dtype == bool else float(v[0])) for name, v in k.items()
         if name != "rebound_idx"}
    pv = c["peak_value"]
    c.update(peak_year=start, until=until,
             change_at_until=(c["value_at_until"] - pv) / abs(pv) if pv != 0 else
             float(np.sign(c["value_at_until"] - pv)))
    rebound_year = (int(win_years[int(k["rebound_idx"][0])]) if c["max_rebound"] > 0
                    else None)
    exceed = [int(y) for y in win_years[(win_years > start) & (win_years <= until)
                                        & (matrix[0] > pv)]]
    passed = all(c[name] for name in required)
    return PlateauResult(
        passed=passed, rule=rule, peak_year=start, peak_value=pv, until=until,
        value_at_until=c["value_at_until"], peaked_before_until=c["peaked_before_until"],
        no_exceedance=c["no_exceedance"], stable=c["stable"], declining=c["declining"],
        monotone=c["monotone"], max_rebound=c["max_rebound"], rebound_year=rebound_year,
        change_at_until=c["change_at_until"], band=band,
        explanation=_explain(rule, c, band, passed, exceed, rebound_year))


def peak_years(values, years, *, tolerance: float = 0.0) -> PeakDraws:
    """Peak year, value and ``peaked`` flag of every draw, without a loop over draws.

    Parameters
    ----------
    values : array (draws x years); a 1-D array is one draw.
    years : the years of the columns, strictly increasing integers.
    tolerance : relative tie tolerance, as in :func:`peak`.

    Returns
    -------
    PeakDraws
        ``(year, value, peaked)``: int64 years, float64 values and a boolean mask; ``peaked``
        False marks "no peak within the horizon" (the year is then that of :func:`peak`: the
        last year for a draw still rising at the end). Row ``i`` equals ``peak`` of draw ``i``.

    Raises
    ------
    ActivityDataError
        Shape mismatch, years not increasing integers, NaN or infinite values (naming draws).

    Examples
    --------
    >>> import numpy as np
    >>> v = np.array([[1.0, 3.0, 2.0], [1.0, 2.0, 3.0], [2.0, 2.0, 1.0]])
    >>> year, value, peaked = peak_years(v, [2029, 2030, 2031])
    >>> year.tolist(), value.tolist(), peaked.tolist()
    ([2030, 2031, 2029], [3.0, 3.0, 2.0], [True, False, True])
    """
    tolerance = _check_tolerance(tolerance)
    matrix, year_arr = _draw_matrix(values, years)
    idx, peaked = _peak_index(matrix, tolerance)
    return PeakDraws(year=year_arr[idx], value=matrix[np.arange(matrix.shape[0]), idx],
                     peaked=peaked)


def p_peak_by(peak_year_per_draw, peaked_mask, year: int) -> float:
    """Probability that the peak happens at or before ``year``.

    A draw counts when it peaked (``peaked_mask``) and its peak year is ``<= year``; a draw
    with no peak within the horizon counts as not peaked.

    Parameters
    ----------
    peak_year_per_draw : int array, one peak year per draw (``peak_years(...).year``).
    peaked_mask : bool array of the same length (``peak_years(...).peaked``).
    year : the deadline, e.g. 2030 for "peak before 2030" read as "by 2030".

    Returns
    -------
    float in [0, 1]: the share of draws that peaked by ``year``.

    Examples
    --------
    >>> p_peak_by([2028, 2031, 2030, 2060], [True, True, True, False], 2030)
    0.5
    """
    years_arr = np.asarray(peak_year_per_draw)
    mask = np.asarray(peaked_mask)
    if years_arr.ndim != 1 or mask.shape != years_arr.shape or years_arr.size == 0:
        raise ActivityDataError(
            f"peak years ({years_arr.shape}) and peaked mask ({mask.shape}) must be 1-D arrays "
            "of the same, non-zero length", fix="pass the .year and .peaked of peak_years()")
    if mask.dtype != bool:
        raise ActivityDataError("peaked_mask must be boolean",
                                fix="pass peak_years(...).peaked")
    return float(np.mean(mask & (years_arr <= int(year))))


def plateau_mask(values, years, *, until: int = 2035, band: float = 0.05,
                 rule: str = "stable_then_declining") -> np.ndarray:
    """:func:`plateau` for every draw at once: True where the draw passes ``rule``.

    The peak of each draw is its :func:`peak_years` peak (exact ties to the first year); the
    clauses are those of :func:`plateau`. ``years`` must be consecutive and include ``until``.

    Examples
    --------
    >>> import numpy as np
    >>> years = np.arange(2028, 2036)
    >>> v = np.array([[100, 99, 98, 97, 96, 95, 94, 93],     # stable then declining
    ...               [100, 95, 90, 96, 99, 97, 96, 95],     # rebound of 9 % of the peak
    ...               [90, 91, 92, 93, 94, 95, 96, 97]])     # still rising
    >>> plateau_mask(v, years).tolist()
    [True, False, False]
    """
    required = _check_rule(rule, band)
    matrix, year_arr = _draw_matrix(values, years)
    if np.any(np.diff(year_arr) != 1):
        raise ActivityDataError("years must be consecutive for the plateau test",
                                fix="give one column per year")
    if int(until) not in year_arr:
        raise ActivityDataError(f"until={until} is not among the years "
                                f"{year_arr[0]}..{year_arr[-1]}", rows=[int(until)],
                                fix="project to `until` or test an earlier year")
    idx, _ = _peak_index(matrix, 0.0)
    k = _plateau_kernel(matrix, year_arr, idx, int(np.searchsorted(year_arr, int(until))),
                        float(band))
    return np.logical_and.reduce([k[name] for name in required])


def percentile_bands(values, years, q: Sequence[float] = (2.5, 25, 50, 75, 97.5)
                     ) -> pd.DataFrame:
    """Percentiles of the draws in every year (fan-chart bands).

    Parameters
    ----------
    values : array (draws x years).
    years : the years of the columns.
    q : percentiles in [0, 100].

    Returns
    -------
    DataFrame indexed by ``year``, one column per percentile named ``p<q>`` (``p2.5``, ``p50``,
    ...), linear interpolation between draws (numpy's default).

    Examples
    --------
    >>> import numpy as np
    >>> v = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    >>> bands = percentile_bands(v, [2030, 2031], q=(0, 50, 100))
    >>> list(bands.columns), bands.loc[2031].tolist()
    (['p0', 'p50', 'p100'], [10.0, 20.0, 30.0])
    """
    matrix, year_arr = _draw_matrix(values, years)
    q_arr = np.asarray(q, dtype="float64").ravel()
    if q_arr.size == 0 or np.any((q_arr < 0) | (q_arr > 100)) or not np.isfinite(q_arr).all():
        raise ActivityDataError(f"percentiles must be in [0, 100], got {list(q)}",
                                fix="give q such as (2.5, 25, 50, 75, 97.5)")
    bands = np.percentile(matrix, q_arr, axis=0)
    return pd.DataFrame(bands.T, index=pd.Index(year_arr, name="year"),
                        columns=[f"p{x:g}" for x in q_arr])
