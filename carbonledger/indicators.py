"""Intensities on constant-price GDP, and tracking of any indicator against a plan target.

Chinese plans set targets as a cumulative change from a base year (energy intensity -12.5 %
2025 vs 2020), as a level (water use <= 51 m3 per 10^4 yuan of GDP) or as a cap on annual growth
(total energy growth <= 2.6 %/yr). :func:`track_target` handles all three for any year-indexed
series and answers the questions an "attainability analysis" asks: how far along, what rate is
still required, is the target met, and where do the recent linear and log-linear trends land.

Conventions: changes and rates are signed fractions (-0.125 is a 12.5 % cut, -0.0264 a fall of
2.64 %/yr); years are integers; series are pandas Series indexed by year (or mappings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .errors import ActivityDataError
from .units import convert, parse_unit

__all__ = ["constant_price_gdp", "intensity", "change_vs_base", "average_annual_rate",
           "required_annual_rate", "trend_projection", "TrendProjection", "track_target",
           "TargetTrack", "year_series"]

#: Real-growth values at or above this are read as an index (previous year = 100) by
#: ``growth="auto"``; below it as percent growth. Real GDP growth outside -50 %..+50 % a year does
#: not occur in city or provincial statistics, so the two readings never overlap.
INDEX_THRESHOLD = 50.0
_KINDS = ("decrease", "increase", "cap")
_RTOL = 1e-9


def year_series(data, *, what: str) -> pd.Series:
    """A float Series indexed by int ``year`` (sorted), or ActivityDataError naming bad years.

    Shared by every function that takes "a year-indexed series" (indicators, peak analysis,
    decomposition), so they all accept the same inputs and refuse them the same way.

    Examples
    --------
    >>> year_series({2021: 2.0, 2020: 1.0}, what="energy").tolist()
    [1.0, 2.0]
    """
    if isinstance(data, pd.DataFrame) and data.shape[1] == 1:
        data = data.iloc[:, 0]
    if isinstance(data, Mapping):
        data = pd.Series(dict(data), dtype=object)
    if not isinstance(data, pd.Series):
        raise ActivityDataError(
            f"{what} must be a pandas Series or a mapping indexed by year, got "
            f"{type(data).__name__}", fix="pass one column indexed by year, e.g. "
            "pd.Series({2020: 281.6, 2021: 326.5})")
    if data.empty:
        raise ActivityDataError(f"{what} is empty", fix="give at least one year with a value")
    index = data.index
    years = (pd.Series(index.year, dtype="float64")
             if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex))
             else pd.to_numeric(pd.Series(index.to_numpy(dtype=object)), errors="coerce"))
    bad_year = years.isna().to_numpy() | (years.fillna(0) % 1 != 0).to_numpy()
    if bad_year.any():
        labels = list(index[bad_year])
        raise ActivityDataError(
            f"{what} has labels that are not years: {labels[:5]}", rows=labels,
            fix="index the series by integer years such as 2020")
    years = years.astype("int64").to_numpy()
    if len(set(years)) != len(years):
        dup = sorted({int(y) for y in years[pd.Series(years).duplicated().to_numpy()]})
        raise ActivityDataError(f"{what} repeats years {dup}", rows=dup,
                                fix="give one value per year (sum or pick before tracking)")
    values = pd.to_numeric(pd.Series(data.to_numpy(dtype=object)), errors="coerce")
    missing = pd.isna(data.to_numpy(dtype=object))
    non_numeric = values.isna().to_numpy() & ~missing
    if non_numeric.any():
        bad = sorted(int(y) for y in years[non_numeric])
        raise ActivityDataError(
            f"{what} has non-numeric values in years {bad}", rows=bad,
            fix="give plain numbers (no thousands separators, units or notes in the cells)")
    finite = np.isfinite(values.fillna(0).to_numpy(dtype="float64"))
    if missing.any() or not finite.all():
        bad = sorted(int(y) for y in years[missing | ~finite])
        raise ActivityDataError(
            f"{what} has missing values in years {bad}", rows=bad,
            fix="fill those years from the statistical yearbook or drop them from the series")
    return pd.Series(values.to_numpy(dtype="float64"), index=pd.Index(years, name="year"),
                     name=data.name).sort_index()


def _unit_text(unit: str) -> str:
    """A registry-parsable unit string; 'num/den' parts are parsed one by one (Chinese aliases)."""
    parts = unit.split("/")
    if len(parts) == 2:
        return f"({parse_unit(parts[0])})/({parse_unit(parts[1])})"
    return str(parse_unit(unit))


def _require_years(series: pd.Series, years: np.ndarray, *, what: str, fix: str) -> None:
    missing = [int(y) for y in np.setdiff1d(years, series.index.to_numpy())]
    if missing:
        raise ActivityDataError(f"{what} is missing years {missing}", rows=missing, fix=fix)


def constant_price_gdp(nominal, real_growth, *, base_year: int = 2020,
                       growth: str = "percent") -> pd.Series:
    """Nominal GDP to constant prices of ``base_year`` by chaining real growth rates.

    The base year keeps its nominal value; every other year moves with the real growth between
    it and the base: ``gdp_t = nominal_base * prod(1 + g_k)`` for base < k <= t (divided for years
    before the base). Real growth of each year after the first year of ``nominal`` is needed.

    Parameters
    ----------
    nominal : Series or mapping, year -> nominal GDP (any unit; the result has the same unit).
    real_growth : Series or mapping, year -> real growth of that year over the previous year.
    base_year : year whose prices the result is in; must be in ``nominal``.
    growth : how ``real_growth`` is written. ``"percent"`` (5.1 = +5.1 %), ``"index"`` (105.1,
        previous year = 100) or ``"auto"``: each value >= 50 (:data:`INDEX_THRESHOLD`) is read
        as an index and each value below 50 as percent, for series that mix both (CSMAR stores
        Jiayuguan 2015-2020 as percent and 2021 as 105.1). ``"percent"`` refuses values >= 50
        and ``"index"`` values < 50, naming the years, so a wrong reading cannot pass silently.

    Returns
    -------
    pd.Series indexed by the years of ``nominal``, named ``gdp_constant_<base_year>``.

    Raises
    ------
    ActivityDataError
        Bad values, base year not in ``nominal`` (or GDP <= 0 there), real growth missing for a
        year or not fitting ``growth``.

    Examples
    --------
    >>> gdp = constant_price_gdp({2019: 283.41, 2020: 281.60, 2021: 326.51},
    ...                          {2020: 4.3, 2021: 105.1}, base_year=2020, growth="auto")
    >>> gdp.round(2).tolist()
    [269.99, 281.6, 295.96]
    """
    nominal_s = year_series(nominal, what="nominal GDP")
    growth_s = year_series(real_growth, what="real GDP growth")
    if growth not in ("percent", "index", "auto"):
        raise ActivityDataError(f"unknown growth reading {growth!r}",
                                fix="use growth='percent', 'index' or 'auto'")
    base_year = int(base_year)
    base_nominal = _positive_base(nominal_s, base_year, what="nominal GDP")
    years = np.arange(nominal_s.index.min(), nominal_s.index.max() + 1)
    chained = years[1:]
    _require_years(growth_s, chained, what="real GDP growth",
                   fix=f"give real growth for every year {years[0] + 1}-{years[-1]}")
    g = growth_s.reindex(chained).to_numpy()
    is_index = g >= INDEX_THRESHOLD if growth == "auto" else np.full(g.shape, growth == "index")
    wrong = (is_index & (g < INDEX_THRESHOLD)) | (~is_index & (g >= INDEX_THRESHOLD))
    if wrong.any():
        bad = [int(y) for y in chained[wrong]]
        other = "percent growth" if growth == "index" else "an index (previous year = 100)"
        raise ActivityDataError(
            f"real growth in years {bad} looks like {other}, not growth={growth!r}", rows=bad,
            fix="pass growth='auto' for a series that mixes percent and index values, or "
            "rewrite those years")
    factor = np.where(is_index, g / 100.0, 1.0 + g / 100.0)
    if (factor <= 0).any():
        bad = [int(y) for y in chained[factor <= 0]]
        raise ActivityDataError(f"real growth in years {bad} is -100 % or below", rows=bad,
                                fix="check the growth values")
    chain = np.concatenate([[1.0], np.cumprod(factor)])
    real = base_nominal * chain / chain[base_year - years[0]]
    return pd.Series(real, index=pd.Index(years, name="year"),
                     name=f"gdp_constant_{base_year}").reindex(nominal_s.index)


def intensity(numerator, gdp, *, numerator_unit: str = "tce", gdp_unit: str = "wan_yuan",
              out_unit: str | None = None) -> pd.Series:
    """Numerator per unit of GDP by year (energy intensity, CO2 intensity, water per GDP, ...).

    Parameters
    ----------
    numerator : Series or mapping, year -> energy, emissions, water, land... in ``numerator_unit``.
    gdp : Series or mapping, year -> GDP (constant prices, see :func:`constant_price_gdp`).
        GDP years without a numerator are ignored; numerator years without GDP are an error.
    numerator_unit, gdp_unit : units of the inputs (registry names or Chinese aliases:
        ``"wan_tce"``, ``"Mt"``, ``"万吨标准煤"``, ``"yi_yuan"``, ``"亿元"``...).
    out_unit : unit of the result, e.g. ``"tce/wan_yuan"``, ``"t/wan_yuan"``, ``"m3/wan_yuan"``;
        default ``numerator_unit/gdp_unit``. Scaled by :func:`carbonledger.units.convert`.

    Returns
    -------
    pd.Series indexed by year, with ``attrs["unit"] = out_unit``.

    Raises
    ------
    ActivityDataError
        Bad values or years, GDP missing for a numerator year, GDP zero or negative.
    UnitConversionError
        Unknown units, or an ``out_unit`` of another kind (CO2 tonnes to tce per 10^4 yuan).

    Examples
    --------
    Chongqing 2020: 8,874.54 10^4 tce over GDP 25,002.79 10^8 yuan (see tests for the source).

    >>> s = intensity({2020: 8874.54}, {2020: 25002.79}, numerator_unit="万吨标准煤",
    ...               gdp_unit="亿元", out_unit="tce/wan_yuan")
    >>> round(float(s[2020]), 3), s.attrs["unit"]
    (0.355, 'tce/wan_yuan')
    """
    num = year_series(numerator, what="numerator")
    den = year_series(gdp, what="GDP")
    _require_years(den, num.index.to_numpy(), what="GDP",
                   fix="give GDP for every year of the numerator, or drop those years")
    den = den.reindex(num.index)
    if (den <= 0).any():
        bad = [int(y) for y in den.index[den <= 0]]
        raise ActivityDataError(f"GDP is zero or negative in years {bad}", rows=bad,
                                fix="give positive GDP values")
    out_unit = out_unit or f"{numerator_unit}/{gdp_unit}"
    from_unit = f"({_unit_text(numerator_unit)})/({_unit_text(gdp_unit)})"
    ratio = convert(num / den, from_unit, _unit_text(out_unit))
    ratio.name = num.name if num.name is not None else "intensity"
    ratio.attrs["unit"] = out_unit
    return ratio


def _positive_base(series: pd.Series, base_year: int, *, what: str) -> float:
    if base_year not in series.index:
        raise ActivityDataError(
            f"base year {base_year} is not in {what} (years {series.index.min()}-"
            f"{series.index.max()})", rows=[base_year],
            fix="add the base-year value, or choose base_year among the series' years")
    base = float(series.loc[base_year])
    if base <= 0:
        raise ActivityDataError(
            f"{what} is {base} in base year {base_year}: a change relative to it is undefined",
            rows=[base_year], fix="choose a base year with a positive value, or track levels "
            "with target_value instead of a change")
    return base


def change_vs_base(series, *, base_year: int) -> pd.Series:
    """Change of every year relative to ``base_year``, as a fraction (value / base - 1).

    Raises
    ------
    ActivityDataError
        Base year not in the series, or a base value of zero or below.

    Examples
    --------
    >>> change_vs_base({2020: 0.80, 2021: 0.78, 2022: 0.76}, base_year=2020).round(4).tolist()
    [0.0, -0.025, -0.05]
    """
    s = year_series(series, what="series")
    return (s / _positive_base(s, int(base_year), what="series") - 1.0).rename(
        f"change_vs_{int(base_year)}")


def average_annual_rate(start_value, end_value, years):
    """Average annual rate taking ``start_value`` to ``end_value`` in ``years`` (fraction/yr).

    ``(end / start) ** (1 / years) - 1``; numpy arrays are computed element-wise.

    Examples
    --------
    >>> round(float(average_annual_rate(100.0, 87.5, 5)), 5)
    -0.02635
    """
    start, end, n = (np.asarray(v, dtype="float64") for v in (start_value, end_value, years))
    if (n <= 0).any() or (start <= 0).any() or (end <= 0).any():
        raise ActivityDataError(
            "an average annual rate needs positive start and end values and years > 0",
            fix="check the values (zero or negative?) and that the end year is after the start")
    rate = (end / start) ** (1.0 / n) - 1.0
    return float(rate) if rate.ndim == 0 else rate


def required_annual_rate(target_change, years):
    """Average annual rate that accumulates to ``target_change`` over ``years``.

    ``(1 + target_change) ** (1 / years) - 1``. The Gansu 14th-FYP cut of energy intensity,
    -12.5 % 2025 vs 2020 (甘政发〔2022〕41号, which states "-2.6 %/yr"), needs -2.635 %/yr.

    Examples
    --------
    >>> round(required_annual_rate(-0.125, 5) * 100, 3)
    -2.635
    >>> round((1 + required_annual_rate(-0.125, 5)) ** 5, 6)
    0.875
    """
    change = np.asarray(target_change, dtype="float64")
    if (change <= -1).any():
        raise ActivityDataError(f"target change {target_change} is -100 % or below",
                                fix="give the change as a fraction, e.g. -0.125 for -12.5 %")
    return average_annual_rate(1.0, 1.0 + change, years)


@dataclass(frozen=True)
class TrendProjection:
    """Linear and log-linear fits over recent years, evaluated at a target year."""

    first_year: int
    last_year: int
    target_year: int
    linear: float
    log_linear: float
    linear_slope: float
    log_linear_rate: float


def trend_projection(series, *, target_year: int, window: int = 5) -> TrendProjection:
    """Extrapolate the recent trend to ``target_year`` by a linear and a log-linear fit.

    Both are least-squares fits over the ``window`` most recent years with data: ``value = a + b
    * year`` and ``log(value) = a + b * year`` (constant percent change, ``log_linear_rate =
    exp(b) - 1`` per year). The log-linear fit is NaN if a value in the window is not positive.
    With fewer than two years both projections are NaN.

    Examples
    --------
    Ten percent growth a year from 100 in 2016: the log-linear fit is exact, the linear one
    lags (hand-worked in tests/test_indicators.py).

    >>> p = trend_projection({2016: 100, 2017: 110, 2018: 121, 2019: 133.1, 2020: 146.41},
    ...                      target_year=2025)
    >>> round(p.linear, 3), round(p.log_linear, 3), round(p.log_linear_rate, 6)
    (203.246, 235.795, 0.1)
    """
    s = year_series(series, what="series")
    if int(window) < 2:
        raise ActivityDataError(f"window={window} is too short for a trend",
                                fix="use window >= 2 (5 recent years is usual)")
    recent = s.iloc[-int(window):]
    years = recent.index.to_numpy(dtype="float64")
    values = recent.to_numpy()
    linear = log_linear = slope = rate = float("nan")
    if len(recent) >= 2:
        x = years - years[-1]
        slope, intercept = np.polyfit(x, values, 1)
        linear = float(intercept + slope * (target_year - years[-1]))
        if (values > 0).all():
            b, a = np.polyfit(x, np.log(values), 1)
            log_linear = float(np.exp(a + b * (target_year - years[-1])))
            rate = float(np.expm1(b))
    return TrendProjection(int(years[0]), int(years[-1]), int(target_year), linear, log_linear,
                           float(slope), rate)


@dataclass(frozen=True)
class TargetTrack:
    """Where an indicator stands against a target; see :func:`track_target`.

    Changes and rates are fractions (per year for rates). Gaps are projection minus target, in
    the indicator's unit. ``met`` is None until the data reach the target year; the projections
    are NaN (and ``*_meets`` None) once they do. ``annual_growth`` holds (year, growth) for each
    year after the base whose previous year has data; ``cap_breaches`` the years over
    ``annual_cap``. ``table()`` is for reports, ``to_frame()`` stacks tracks into one frame.

    Examples
    --------
    >>> tr = track_target({2020: 100.0, 2021: 103.0}, base_year=2020, target_year=2025,
    ...                   annual_cap=0.026, kind="cap", name="total energy", unit="10^4 tce")
    >>> tr.cap_breaches, tr.on_track, round(tr.table().loc["target value", "value"], 2)
    ((2021,), False, 113.69)
    >>> float(tr.to_frame().loc["total energy", "latest_value"])
    103.0
    """

    indicator: str
    unit: str | None
    kind: str
    base_year: int
    target_year: int
    base_value: float
    target_value: float
    target_change: float
    annual_cap: float | None
    planned_rate: float
    latest_year: int
    latest_value: float
    change_to_date: float
    achieved_rate: float
    required_rate: float
    met: bool | None
    on_track: bool
    trend_years: tuple[int, int] | None
    linear_projection: float
    linear_gap: float
    linear_meets: bool | None
    log_linear_projection: float
    log_linear_gap: float
    log_linear_meets: bool | None
    annual_growth: tuple[tuple[int, float], ...] = ()
    cap_breaches: tuple[int, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """One row (index = indicator) with every field, fractions as fractions."""
        row = dict(asdict(self), annual_growth=dict(self.annual_growth))
        return pd.DataFrame([row]).set_index("indicator")

    def table(self) -> pd.DataFrame:
        """A report table (``value``, ``unit`` by quantity) with changes and rates in percent."""
        u, p = self.unit or "", 100.0
        cap = np.nan if self.annual_cap is None else self.annual_cap * p
        rows = [
            ("kind", self.kind, ""), ("base year", self.base_year, "year"),
            ("base value", self.base_value, u), ("target year", self.target_year, "year"),
            ("target value", self.target_value, u),
            ("target change vs base", self.target_change * p, "%"),
            ("annual growth cap", cap, "%/yr"),
            ("planned average rate", self.planned_rate * p, "%/yr"),
            ("latest year", self.latest_year, "year"), ("latest value", self.latest_value, u),
            ("change to date", self.change_to_date * p, "%"),
            ("achieved average rate", self.achieved_rate * p, "%/yr"),
            ("required average rate from latest year", self.required_rate * p, "%/yr"),
            ("met", self.met, ""), ("on track", self.on_track, ""),
            ("years over the annual cap", ", ".join(map(str, self.cap_breaches)), "year"),
            ("linear projection to target year", self.linear_projection, u),
            ("linear gap to target", self.linear_gap, u),
            ("log-linear projection to target year", self.log_linear_projection, u),
            ("log-linear gap to target", self.log_linear_gap, u),
        ]
        frame = pd.DataFrame(rows, columns=[self.indicator, "value", "unit"])
        return frame.set_index(self.indicator)

    def __str__(self) -> str:
        u = f" {self.unit}" if self.unit else ""
        b, t, lat = self.base_year, self.target_year, self.latest_year
        if self.kind == "cap":
            goal = (f"growth capped at {_pct(self.annual_cap)}/yr from {b} to {t} (at most "
                    f"{_num(self.target_value)}{u} in {t}, from {_num(self.base_value)}{u})")
        else:
            word = "at most" if self.kind == "decrease" else "at least"
            goal = (f"target {_pct(self.target_change)} from {b} to {t}, i.e. {word} "
                    f"{_num(self.target_value)}{u} (from {_num(self.base_value)}{u}; "
                    f"{_pct(self.planned_rate)}/yr on average)")
        parts = [f"{self.indicator}: {goal}."]
        if lat > b:
            parts.append(f"Latest {lat}: {_num(self.latest_value)}{u}, "
                         f"{_pct(self.change_to_date)} vs {b} ({_pct(self.achieved_rate)}/yr).")
        else:
            parts.append(f"The data end in the base year {b}.")
        if self.met is not None:
            parts.append(f"The target is {'met' if self.met else 'missed'} in {t}.")
        else:
            need = "Staying within it allows at most" if self.kind == "cap" else "Reaching it needs"
            pace = (f"; progress is {'on' if self.on_track else 'behind'} the time-proportional "
                    "path" if lat > b else "")
            parts.append(f"{need} {_pct(self.required_rate)}/yr from {lat} to {t}{pace}.")
            if self.trend_years is not None:
                f, last = self.trend_years
                lin = _landing(self.linear_projection, self.linear_gap, self.linear_meets, u)
                log = _landing(self.log_linear_projection, self.log_linear_gap,
                               self.log_linear_meets, u)
                parts.append(f"The {f}-{last} trend lands in {t} at {lin} on a linear fit and "
                             f"{log} on a log-linear fit.")
        if self.cap_breaches:
            parts.append(f"Annual growth exceeded the cap of {_pct(self.annual_cap)}/yr in "
                         f"{', '.join(map(str, self.cap_breaches))}.")
        return " ".join(parts)


def _pct(fraction) -> str:
    return "n/a" if fraction is None or not np.isfinite(fraction) else f"{fraction * 100:+.2f} %"


def _num(value: float) -> str:
    return "n/a" if not np.isfinite(value) else f"{value:.4g}"


def _landing(value: float, gap: float, meets: bool | None, unit: str) -> str:
    verdict = "meets" if meets else "misses"
    return "n/a" if meets is None else f"{_num(value)}{unit} (gap {gap:+.3g}: {verdict})"


def _satisfies(value, target: float, kind: str):
    tol = _RTOL * max(abs(target), 1.0)
    return value >= target - tol if kind == "increase" else value <= target + tol


def track_target(series, *, base_year: int, target_year: int, target_change: float | None = None,
                 target_value: float | None = None, annual_cap: float | None = None,
                 kind: str = "decrease", window: int = 5, name: str | None = None,
                 unit: str | None = None) -> TargetTrack:
    """Track any indicator (ratio or total) against a plan target.

    Parameters
    ----------
    series : Series or mapping, year -> indicator value. Data after ``target_year`` are ignored.
    base_year, target_year : the plan's base and target years; ``base_year`` must be in the data.
    target_change : target as a fraction of the base value (-0.125 for -12.5 %). It must be
        <= 0 for ``kind="decrease"`` and >= 0 for ``"increase"`` (a ceiling above the base is
        given as ``target_value``).
    target_value : target as a level in the series' unit (e.g. 51 m3 per 10^4 yuan).
        Exactly one of ``target_change`` / ``target_value`` for "decrease" and "increase".
    annual_cap : cap on each year's growth as a fraction (0.026 for "<= 2.6 %/yr"). Required for
        ``kind="cap"``, where the target-year ceiling is ``base * (1 + cap) ** (target - base)``
        and ``met`` means average growth within the cap; every year's growth is also checked and
        the years over it reported in ``cap_breaches``. Allowed with "decrease" as an extra
        annual check (e.g. -0.026 for "-2.6 %/yr"). Needs data for every year base..latest.
    kind : ``"decrease"`` (the target is a ceiling), ``"increase"`` (a floor) or ``"cap"``.
    window : number of most recent years with data used for the trend projections.
    name, unit : indicator name and unit for the summary (default: the series' name).

    Returns
    -------
    TargetTrack
        ``on_track`` compares the latest value with the time-proportional path, the geometric
        path from the base value to the target value (it equals ``met`` once the data reach the
        target year). ``required_rate`` is the average rate from the latest year to the target.

    Raises
    ------
    ActivityDataError
        Bad values or year labels, base year not in the data, target year not after it, a base
        value <= 0, inconsistent targets, or (with ``annual_cap``) years missing since the base.

    Examples
    --------
    Gansu energy intensity, -12.5 % 2025 vs 2020 (甘政发〔2022〕41号), illustrative data:

    >>> tr = track_target({2018: 0.84, 2019: 0.82, 2020: 0.80, 2021: 0.79, 2022: 0.77},
    ...                   base_year=2020, target_year=2025, target_change=-0.125,
    ...                   name="energy intensity", unit="tce/10^4 yuan")
    >>> round(tr.target_value, 3), round(tr.required_rate, 4), tr.met, tr.on_track
    (0.7, -0.0313, None, False)
    >>> round(tr.linear_projection, 4), tr.linear_meets, tr.log_linear_meets
    (0.719, False, False)
    >>> print(tr)  # doctest: +NORMALIZE_WHITESPACE
    energy intensity: target -12.50 % from 2020 to 2025, i.e. at most 0.7 tce/10^4 yuan (from
    0.8 tce/10^4 yuan; -2.64 %/yr on average). Latest 2022: 0.77 tce/10^4 yuan, -3.75 % vs 2020
    (-1.89 %/yr). Reaching it needs -3.13 %/yr from 2022 to 2025; progress is behind the
    time-proportional path. The 2018-2022 trend lands in 2025 at 0.719 tce/10^4 yuan (gap
    +0.019: misses) on a linear fit and 0.7231 tce/10^4 yuan (gap +0.0231: misses) on a
    log-linear fit.
    """
    s = year_series(series, what=name or "series")
    label = name or (str(s.name) if s.name is not None else "indicator")
    if kind not in _KINDS:
        raise ActivityDataError(f"unknown kind {kind!r}", fix="use 'decrease', 'increase' or 'cap'")
    base_year, target_year = int(base_year), int(target_year)
    if target_year <= base_year:
        raise ActivityDataError(
            f"target year {target_year} is not after base year {base_year}",
            rows=[base_year, target_year], fix="give a target year later than the base year")
    base = _positive_base(s, base_year, what=label)
    horizon = target_year - base_year
    if kind == "cap":
        if annual_cap is None or target_change is not None or target_value is not None:
            raise ActivityDataError(
                "kind='cap' takes annual_cap (e.g. 0.026 for <= 2.6 %/yr) and no target_change "
                "or target_value", fix="pass annual_cap only, or use kind='decrease'")
        target_change = (1.0 + annual_cap) ** horizon - 1.0
        target_value = base * (1.0 + target_change)
    else:
        if (target_change is None) == (target_value is None):
            raise ActivityDataError(
                f"kind={kind!r} needs exactly one of target_change and target_value",
                fix="give target_change=-0.125 for -12.5 %, or target_value=51 for a level")
        if annual_cap is not None and kind == "increase":
            raise ActivityDataError("annual_cap caps growth; it does not apply to kind='increase'",
                                    fix="drop annual_cap, or use kind='cap' or 'decrease'")
        if target_change is not None:
            wrong = target_change > 0 if kind == "decrease" else target_change < 0
            if wrong or target_change <= -1:
                raise ActivityDataError(
                    f"target_change={target_change} does not fit kind={kind!r}",
                    fix="give a cut as a negative fraction (-0.125 for -12.5 %) with 'decrease', "
                    "a rise as a positive one with 'increase', or a ceiling as target_value")
            target_value = base * (1.0 + target_change)
        else:
            if target_value <= 0:
                raise ActivityDataError(f"target_value={target_value} is not positive",
                                        fix="give the target level in the series' unit")
            target_change = target_value / base - 1.0
    planned = required_annual_rate(target_change, horizon)

    period = s.loc[base_year:target_year]
    latest_year = int(period.index[-1])
    latest = float(period.iloc[-1])
    elapsed = latest_year - base_year
    nan = float("nan")
    achieved = average_annual_rate(base, latest, elapsed) if elapsed and latest > 0 else nan
    remaining = target_year - latest_year
    required = (average_annual_rate(latest, target_value, remaining) if remaining and latest > 0
                else nan)
    met = bool(_satisfies(latest, target_value, kind)) if remaining == 0 else None
    on_track = met if met is not None else bool(
        _satisfies(latest, base * (1.0 + planned) ** elapsed, kind))

    previous = s.reindex(period.index - 1).to_numpy()
    growth = pd.Series(period.to_numpy() / previous - 1.0, index=period.index).iloc[1:].dropna()
    breaches: tuple[int, ...] = ()
    if annual_cap is not None:
        _require_years(period, np.arange(base_year, latest_year + 1), what=label,
                       fix="fill the missing years: an annual cap is checked year by year")
        over = growth > annual_cap + _RTOL * max(abs(annual_cap), 1.0)
        breaches = tuple(int(y) for y in growth.index[over])

    trend, lin, log, lin_meets, log_meets = None, nan, nan, None, None
    if met is None and s.loc[:latest_year].size >= 2:
        proj = trend_projection(s.loc[:latest_year], target_year=target_year, window=window)
        trend = (proj.first_year, proj.last_year)
        lin, log = proj.linear, proj.log_linear
        lin_meets = bool(_satisfies(lin, target_value, kind)) if np.isfinite(lin) else None
        log_meets = bool(_satisfies(log, target_value, kind)) if np.isfinite(log) else None
    return TargetTrack(
        indicator=label, unit=unit, kind=kind, base_year=base_year, target_year=target_year,
        base_value=base, target_value=float(target_value), target_change=float(target_change),
        annual_cap=annual_cap, planned_rate=float(planned), latest_year=latest_year,
        latest_value=latest, change_to_date=latest / base - 1.0, achieved_rate=achieved,
        required_rate=required, met=met, on_track=on_track, trend_years=trend,
        linear_projection=lin, linear_gap=lin - target_value, linear_meets=lin_meets,
        log_linear_projection=log, log_linear_gap=log - target_value, log_linear_meets=log_meets,
        annual_growth=tuple((int(y), float(g)) for y, g in growth.items()),
        cap_breaches=breaches,
    )
