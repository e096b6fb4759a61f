"""Vectorized path kernels: how a scenario path is built and how each lever changes it.

A *path* is a quantity by year (GDP, a sector's activity level, an energy-intensity index, a PV
capacity, a curtailment share...). Every kernel here works on arrays of shape ``(D, T)``: ``D``
draws (1 for a deterministic run) by ``T`` consecutive years. A parameter is a plain float, an
array ``(D, 1)`` (one draw per Monte Carlo run) or, for growth rates only, ``(D, T)`` (an
independent draw per year); numpy broadcasting does the rest, so nothing loops over years or
draws. A path that no drawn parameter touches stays ``(1, T)``.

Path construction (:func:`build_path`)
--------------------------------------
``level(t)`` is the base value in the base year, then:

* ``values``: planned or known points ``{year: level}``, linearly interpolated from the base
  year to the last point;
* after the last point (or the base year when there is none) the level moves with the
  product of a *driver ratio* ``(driver(t) / driver(t_last)) ** elasticity`` (GDP, population,
  another sector's activity, an endogenous demand) and the cumulative *growth*
  ``prod_{t_last < k <= t} (1 + r_k)``, where ``r`` is one rate or rates by year (linear
  between the given years, held outside them).

Levers (applied in the order written; each one to the path as it stands)
------------------------------------------------------------------------
``rate``        multiply by ``(1 + rate) ** n``, ``n`` the years from ``start`` (inclusive) to
                ``end`` (default: the horizon): ``start = 2025, rate = -0.02`` makes 2025 2 %
                below what it was.
``target``      reach ``value`` in ``year``, interpolating from the path's own value in
                ``start`` (linear, or S-shaped: a logistic curve rescaled to run exactly from
                0 at ``start`` to 1 at ``year``); after ``year`` hold the target
                (``after = "hold"``) or keep the path's own relative change
                (``after = "follow"``).
``additions``   add ``schedule = {year: amount}`` cumulatively from each year (capacity built).
``retirement``  subtract it (capacity retired). Levels never go below zero.
``share_shift`` move a share of a sector's service from fuels to another fuel (see
                :mod:`carbonledger.scenario.projection`); the share follows :func:`ramp`.
``stock_shift`` move a share of a sector's stock to a standard with a relative intensity
                (green buildings, public transport); the share follows :func:`ramp`.

Examples
--------
>>> import numpy as np
>>> years = np.arange(2020, 2026)
>>> p = build_path(years, base=100.0, growth=0.10)
>>> p.round(1).tolist()
[[100.0, 110.0, 121.0, 133.1, 146.4, 161.1]]
>>> apply_target(p, years, value=100.0, year=2025, start=2022).round(1).tolist()
[[100.0, 110.0, 121.0, 114.0, 107.0, 100.0]]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["ramp", "interpolate_points", "build_path", "driver_log_ratio", "apply_rate", "apply_target",
           "apply_schedule", "value_at", "SHAPES", "DEFAULT_STEEPNESS"]

#: Interpolation shapes of ``target``, ``share_shift`` and ``stock_shift`` levers.
SHAPES = ("linear", "s_curve")
#: Logistic steepness over the normalised span [0, 1]: 10 makes the curve rise from about 1 %
#: to 99 % of the way between start and target year (then rescaled to exactly 0..1).
DEFAULT_STEEPNESS = 10.0


def _row(years) -> np.ndarray:
    return np.asarray(years, dtype="float64")[None, :]


def ramp(years, start, end, *, shape: str = "linear",
         steepness: float = DEFAULT_STEEPNESS) -> np.ndarray:
    """Weight rising from 0 at ``start`` to 1 at ``end`` (0 before, 1 after).

    ``shape="s_curve"`` uses ``L(u) = 1 / (1 + exp(-k (u - 1/2)))`` on ``u = (t - start) /
    (end - start)`` rescaled to ``(L(u) - L(0)) / (L(1) - L(0))``, so the ends are exact.
    ``start`` and ``end`` may be arrays ``(D, 1)`` (drawn years).

    Examples
    --------
    >>> import numpy as np
    >>> ramp(np.arange(2020, 2025), 2020, 2024).tolist()
    [[0.0, 0.25, 0.5, 0.75, 1.0]]
    >>> w = ramp(np.arange(2020, 2025), 2020, 2024, shape="s_curve")
    >>> w.round(2).tolist()
    [[0.0, 0.07, 0.5, 0.93, 1.0]]
    """
    t = _row(years)
    span = np.maximum(np.asarray(end, dtype="float64") - start, 1e-12)
    u = np.clip((t - start) / span, 0.0, 1.0)
    if shape == "linear":
        return u
    k = float(steepness)
    low, high = 1.0 / (1.0 + np.exp(k / 2.0)), 1.0 / (1.0 + np.exp(-k / 2.0))
    return (1.0 / (1.0 + np.exp(-k * (u - 0.5))) - low) / (high - low)


def interpolate_points(years, knots: Sequence[float], values: Sequence) -> np.ndarray:
    """Piecewise-linear path through ``(knots[i], values[i])``, held flat outside the knots.

    Each value may be a float or an array ``(D, 1)``; the result is ``sum_i values[i] *
    hat_i(t)`` with fixed hat functions, so drawn values stay vectorized.

    Examples
    --------
    >>> import numpy as np
    >>> interpolate_points(np.arange(2020, 2026), [2020, 2022, 2024], [1.0, 3.0, 2.0]).tolist()
    [[1.0, 2.0, 3.0, 2.5, 2.0, 2.0]]
    """
    t = np.asarray(years, dtype="float64")
    knots = np.asarray(knots, dtype="float64")
    out = np.zeros((1, t.size))
    eye = np.eye(knots.size)
    for i, value in enumerate(values):
        out = out + np.asarray(value, dtype="float64") * np.interp(t, knots, eye[i])[None, :]
    return out


def value_at(path: np.ndarray, years, year) -> np.ndarray:
    """The path's value in ``year`` (a float year or an array ``(D, 1)`` of years), ``(D, 1)``.

    Examples
    --------
    >>> import numpy as np
    >>> value_at(np.array([[1.0, 2.0, 3.0]]), np.arange(2020, 2023), 2021).tolist()
    [[2.0]]
    """
    first = int(np.asarray(years)[0])
    idx = np.clip(np.rint(np.asarray(year, dtype="float64")) - first, 0, path.shape[1] - 1)
    idx = np.broadcast_to(idx.astype(np.int64).reshape(-1, 1), (max(path.shape[0],
                                                                     np.size(idx)), 1))
    wide = np.broadcast_to(path, (idx.shape[0], path.shape[1]))
    return np.take_along_axis(wide, idx, axis=1)


def build_path(years, *, base=1.0, knots: Sequence[float] = (), values: Sequence = (),
               growth=None, growth_knots: Sequence[float] | None = None,
               driver: np.ndarray | None = None, elasticity=1.0,
               log_ratio: np.ndarray | None = None) -> np.ndarray:
    """A path from its base value, known points, driver and growth (module docstring).

    Parameters
    ----------
    years : consecutive years; ``years[0]`` is the base year.
    base : level in the base year.
    knots, values : years after the base year and the levels there.
    growth : annual rate after the last point: a float/array, or a sequence of rates at
        ``growth_knots`` (linear between them, held outside).
    driver : a path ``(D, T)`` (or ``(1, T)``) whose ratio to its value in the last point's
        year, raised to ``elasticity``, multiplies the level after that year.
    log_ratio : ``driver_log_ratio(driver, years, last)``, when the caller has it already
        (several paths on one driver share it).

    Examples
    --------
    >>> import numpy as np
    >>> years = np.arange(2020, 2025)
    >>> gdp = build_path(years, base=100.0, growth=0.05)
    >>> build_path(years, base=10.0, knots=[2021], values=[12.0], driver=gdp,
    ...            elasticity=0.5).round(3).tolist()
    [[10.0, 12.0, 12.296, 12.6, 12.911]]
    """
    years = np.asarray(years)
    t = _row(years)
    first = float(years[0])
    knot_years = [first, *[float(k) for k in knots]]
    level = interpolate_points(years, knot_years, [base, *values])
    last = knot_years[-1]
    after = t > last
    factor = np.ones((1, years.size))
    if growth is not None:
        if growth_knots is not None:
            rate = interpolate_points(years, growth_knots, growth)
        else:
            rate = np.asarray(growth, dtype="float64")
        factor = np.cumprod(np.where(after, 1.0 + rate, 1.0) * np.ones_like(t), axis=1)
    if driver is not None:
        if log_ratio is None:
            log_ratio = driver_log_ratio(driver, years, last)
        if isinstance(elasticity, float) and elasticity == 1.0:
            moved = np.exp(log_ratio)
        else:
            moved = np.exp(np.asarray(elasticity, dtype="float64") * log_ratio)
        factor = factor * np.where(after, moved, 1.0)
    if growth is None and driver is None:
        return level
    return np.where(after, value_at(level, years, last) * factor, level)


def driver_log_ratio(driver: np.ndarray, years, anchor_year) -> np.ndarray:
    """``log(driver / driver[anchor_year])`` (0 where the anchor is not positive).

    Examples
    --------
    >>> import numpy as np
    >>> driver_log_ratio(np.array([[1.0, np.e]]), np.arange(2020, 2022), 2020).tolist()
    [[0.0, 1.0]]
    """
    anchor = value_at(driver, years, anchor_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(anchor > 0, driver / np.where(anchor > 0, anchor, 1.0), 1.0)
        return np.log(np.where(ratio > 0, ratio, 1.0)) + np.where(ratio > 0, 0.0, -np.inf)


def apply_rate(path: np.ndarray, years, *, rate, start, end=None) -> np.ndarray:
    """Multiply by ``(1 + rate) ** n``, ``n`` = years from ``start`` (inclusive) to ``end``.

    Examples
    --------
    >>> import numpy as np
    >>> apply_rate(np.ones((1, 5)), np.arange(2020, 2025), rate=-0.1, start=2022,
    ...            end=2023).round(3).tolist()
    [[1.0, 1.0, 0.9, 0.81, 0.81]]
    """
    t = _row(years)
    stop = t[0, -1] if end is None else end
    n = np.clip(t - start + 1.0, 0.0, np.maximum(np.asarray(stop, dtype="float64") - start + 1.0,
                                                  0.0))
    return path * np.power(1.0 + np.asarray(rate, dtype="float64"), n)


def apply_target(path: np.ndarray, years, *, value, year, start=None, shape: str = "linear",
                 steepness: float = DEFAULT_STEEPNESS, after: str = "hold") -> np.ndarray:
    """Reach ``value`` in ``year`` from the path's own value in ``start`` (default: base year).

    Examples
    --------
    >>> import numpy as np
    >>> years = np.arange(2020, 2026)
    >>> apply_target(np.full((1, 6), 10.0), years, value=0.0, year=2024).tolist()
    [[10.0, 7.5, 5.0, 2.5, 0.0, 0.0]]
    >>> rising = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])
    >>> apply_target(rising, years, value=2.0, year=2022, start=2021, after="follow").tolist()
    [[1.0, 2.0, 2.0, 2.6666666666666665, 3.333333333333333, 4.0]]
    """
    t = _row(years)
    start = float(np.asarray(years)[0]) if start is None else start
    from_value = value_at(path, years, start)
    weight = ramp(years, start, year, shape=shape, steepness=steepness)
    moving = from_value + (np.asarray(value, dtype="float64") - from_value) * weight
    if after == "follow":
        own = value_at(path, years, year)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(own != 0, np.asarray(value, dtype="float64") / np.where(
                own != 0, own, 1.0), 1.0)
        later = np.where(own != 0, path * scale, value)
    else:
        later = np.asarray(value, dtype="float64") * np.ones_like(path)
    return np.where(t <= start, path, np.where(t <= year, moving, later))


def apply_schedule(path: np.ndarray, years, *, schedule_years: Sequence[float],
                   amounts: Sequence, sign: float = 1.0) -> np.ndarray:
    """Add (``sign=1``) or retire (``sign=-1``) amounts cumulatively from their years; the
    result is clipped at zero.

    Examples
    --------
    >>> import numpy as np
    >>> apply_schedule(np.full((1, 4), 100.0), np.arange(2020, 2024), schedule_years=[2021,
    ...                2023], amounts=[50.0, 30.0], sign=-1.0).tolist()
    [[100.0, 50.0, 50.0, 20.0]]
    """
    t = _row(years)
    out = path
    for year, amount in zip(schedule_years, amounts, strict=True):
        out = out + sign * np.asarray(amount, dtype="float64") * (t >= year)
    return np.maximum(out, 0.0)
