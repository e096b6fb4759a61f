"""Index decomposition analysis: LMDI-I (additive and multiplicative) and the Kaya identity.

An aggregate ``V = sum_i V_i`` is the sum over sub-categories ``i`` (sectors, fuels, regions) of
row products ``V_i = x_1,i * x_2,i * ... * x_n,i`` of factors (activity, structure share, energy
intensity, fuel-mix share, emission factor). LMDI-I attributes the change between period 0 and
period T to the factors (Ang 2005, Energy Policy 33:867-871, eqs. 2-5):

- additive:        ``dV_k = sum_i L(V_i^T, V_i^0) * ln(x_k,i^T / x_k,i^0)``,
  with ``sum_k dV_k = V^T - V^0`` **exactly** (no residual term, nothing rescaled);
- multiplicative:  ``D_k = exp(dV_k / L(V^T, V^0))``, with ``prod_k D_k = V^T / V^0``;

where ``L(a, b) = (a - b) / (ln a - ln b)`` is the logarithmic mean and ``L(a, a) = a``.

Zero values: the rules implemented
----------------------------------
LMDI needs logarithms, so a zero factor needs care. Ang & Liu (2007, "Handling zero values in
index decomposition analysis", Energy Policy 35:238-246) show that replacing each zero by a small
``delta`` (1e-10 .. 1e-20) and letting ``delta -> 0`` gives convergent results; Wood & Lenzen
(2006, Energy Policy 34:1326-1331) show that the small-value substitution itself can be
inaccurate and recommend the analytical limits instead. This module evaluates **the limits
exactly** (no ``delta`` is substituted); the cases follow Ang, Zhang & Choi (1998, Energy
23:489-495, Table 2). For one row with ``V^0 = prod_k x_k^0`` and ``V^T = prod_k x_k^T``:

1. all factors positive in both periods: the formula above, ``L`` evaluated stably as
   ``V^0 * expm1(s) / s`` with ``s = sum_k ln(x_k^T / x_k^0)`` (and ``V^0`` when ``s = 0``);
2. ``V^0 = 0 < V^T`` (the row appears): the ``m`` factors that are zero in period 0 share the
   whole change, ``V^T / m`` each; the factors positive in both periods get 0;
3. ``V^0 > 0 = V^T`` (the row disappears): the ``m`` factors that are zero in period T get
   ``-V^0 / m`` each; the others get 0;
4. ``V^0 = V^T = 0`` (zero in both periods, whatever factor is zero): every effect is 0.

Each rule is the ``delta -> 0`` limit of the delta-substituted formula (with ``m`` zeros,
``ln(x^T / delta) / (ln V^T - ln(c * delta^m)) -> 1 / m``; with ``V^0 = V^T = 0`` every term is
``O(delta ln delta) -> 0``), so the additive effects still sum exactly to the change. A row that
exists in only one period must be given in both tables with the factor that is absent set to 0
(for a new fuel: its fuel-mix share is 0 in period 0, the sector's activity is not), so that the
limit attributes the appearance to that factor. The multiplicative form needs a positive
aggregate in both periods (a ratio to 0 does not exist) and refuses otherwise.

Negative values are refused (``ActivityDataError`` naming the rows): LMDI factors are positive by
construction. Decompose gross emissions and removals separately instead of netting them.

Examples
--------
>>> import pandas as pd
>>> x0 = pd.DataFrame({"activity": [100.0, 100.0], "share": [0.6, 0.4],
...                    "intensity": [2.0, 1.0]}, index=["industry", "services"])
>>> xT = pd.DataFrame({"activity": [120.0, 120.0], "share": [0.5, 0.5],
...                    "intensity": [1.8, 1.0]}, index=["industry", "services"])
>>> effects = lmdi(x0, xT)
>>> effects.round(3).to_dict()
{'activity': 29.759, 'share': -9.759, 'intensity': -12.0}
>>> round(float(effects.sum()), 9)  # V^T - V^0 = 168 - 160
8.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from carbonledger.errors import ActivityDataError, ScenarioSpecError
from carbonledger.indicators import year_series

__all__ = ["log_mean", "lmdi", "decompose_change", "kaya", "KayaDecomposition", "KAYA_FACTORS"]

#: Kaya factors in order: population, affluence (GDP per person), energy intensity of GDP,
#: carbon intensity of energy. Their product is the CO2 aggregate.
KAYA_FACTORS = ("P", "A", "T1", "T2")
_KINDS = ("additive", "multiplicative")


def _expm1_over(s: np.ndarray) -> np.ndarray:
    """``expm1(s) / s`` with its limit 1 at ``s = 0`` (accurate for tiny ``s``)."""
    s = np.asarray(s, dtype="float64")
    out = np.ones_like(s)
    nonzero = s != 0
    out[nonzero] = np.expm1(s[nonzero]) / s[nonzero]
    return out


def log_mean(a, b) -> np.ndarray:
    """Logarithmic mean ``L(a, b) = (a - b) / (ln a - ln b)``, vectorized.

    ``L(a, a) = a`` and ``L(a, 0) = L(0, a) = 0`` (the limits). Evaluated as
    ``b * expm1(s) / s`` with ``s = ln(a / b)``, which stays accurate when ``a`` is close to
    ``b``.

    Parameters
    ----------
    a, b : array-like of non-negative numbers (broadcast together).

    Returns
    -------
    numpy.ndarray of float64 (a 0-d array for scalar input).

    Raises
    ------
    ActivityDataError
        If any value is negative or not finite.

    Examples
    --------
    >>> float(log_mean(2.0, 1.0)) == float(1 / np.log(2))
    True
    >>> log_mean([3.0, 0.0, 5.0], [3.0, 4.0, 5.0 + 1e-12]).round(6).tolist()
    [3.0, 0.0, 5.0]
    """
    a_arr, b_arr = np.broadcast_arrays(np.asarray(a, dtype="float64"),
                                       np.asarray(b, dtype="float64"))
    if not (np.isfinite(a_arr).all() and np.isfinite(b_arr).all()):
        raise ActivityDataError("log_mean needs finite numbers", fix="remove NaN and inf values")
    if (a_arr < 0).any() or (b_arr < 0).any():
        raise ActivityDataError("log_mean is defined for non-negative numbers only",
                                fix="decompose positive quantities")
    out = np.zeros(a_arr.shape, dtype="float64")
    pos = (a_arr > 0) & (b_arr > 0)
    s = np.log(a_arr[pos]) - np.log(b_arr[pos])
    out[pos] = b_arr[pos] * _expm1_over(s)
    return out


def _factor_arrays(x0: pd.DataFrame, xT: pd.DataFrame) -> tuple[pd.Index, pd.Index,
                                                                np.ndarray, np.ndarray]:
    """Validate and align the two factor tables; return rows, factors and float arrays."""
    for name, frame in (("x0", x0), ("xT", xT)):
        if not isinstance(frame, pd.DataFrame):
            raise ActivityDataError(
                f"{name} must be a DataFrame (rows: sub-categories, columns: factors), got "
                f"{type(frame).__name__}", fix="pass one DataFrame per period")
        if frame.shape[0] == 0 or frame.shape[1] == 0:
            raise ActivityDataError(f"{name} is empty",
                                    fix="give at least one row and one factor column")
        if frame.index.has_duplicates:
            dup = list(dict.fromkeys(frame.index[frame.index.duplicated()]))
            raise ActivityDataError(f"{name} repeats row labels", rows=dup,
                                    fix="give one row per sub-category (sum duplicates first)")
        if frame.columns.has_duplicates:
            dup = list(dict.fromkeys(frame.columns[frame.columns.duplicated()]))
            raise ActivityDataError(f"{name} repeats factor columns {dup}",
                                    fix="name each factor once")
    factors = x0.columns
    if set(factors) != set(xT.columns):
        only0 = [c for c in factors if c not in set(xT.columns)]
        onlyT = [c for c in xT.columns if c not in set(factors)]
        raise ActivityDataError(
            f"x0 and xT have different factor columns (only in x0: {only0}; only in xT: "
            f"{onlyT})", fix="give both periods the same factors")
    rows = x0.index
    if set(rows) != set(xT.index):
        only0 = [r for r in rows if r not in set(xT.index)]
        onlyT = [r for r in xT.index if r not in set(rows)]
        raise ActivityDataError(
            f"x0 and xT have different rows ({len(only0)} only in x0, {len(onlyT)} only in xT)",
            rows=only0 + onlyT,
            fix="give every row in both periods; a row that appears or disappears gets 0 for "
                "the factor that is absent (e.g. a fuel-mix share of 0), not a missing row")
    xT = xT.loc[rows, factors]
    arrays = []
    for name, frame in (("x0", x0), ("xT", xT)):
        try:
            values = frame.to_numpy(dtype="float64")
        except (TypeError, ValueError) as exc:
            raise ActivityDataError(f"{name} has non-numeric factor values",
                                    fix="give plain numbers in every factor column") from exc
        bad = ~np.isfinite(values).all(axis=1)
        if bad.any():
            raise ActivityDataError(f"{name} has missing or infinite factor values",
                                    rows=list(rows[bad]),
                                    fix="fill the gaps; a factor that is truly absent is 0")
        negative = (values < 0).any(axis=1)
        if negative.any():
            cols = [str(c) for c in factors[(values < 0).any(axis=0)]]
            raise ActivityDataError(
                f"{name} has negative factor values (in {cols}); LMDI needs non-negative "
                "factors", rows=list(rows[negative]),
                fix="decompose gross emissions and removals separately, or shift the factor "
                    "definition so every factor is positive")
        arrays.append(values)
    return rows, factors, arrays[0], arrays[1]


def _row_effects(x0: np.ndarray, xT: np.ndarray) -> np.ndarray:
    """Additive LMDI-I effects per row and factor (n_rows x n_factors), zero rules applied."""
    v0 = x0.prod(axis=1)
    vT = xT.prod(axis=1)
    zero0 = x0 == 0
    zeroT = xT == 0
    pos0 = ~zero0.any(axis=1)
    posT = ~zeroT.any(axis=1)
    effects = np.zeros(x0.shape, dtype="float64")

    both = pos0 & posT                       # rule 1
    d = np.log(xT[both]) - np.log(x0[both])
    weight = v0[both] * _expm1_over(d.sum(axis=1))     # L(V_T, V_0) of each row
    effects[both] = weight[:, None] * d

    appear = ~pos0 & posT                    # rule 2: V_0 = 0 < V_T
    z = zero0[appear]
    effects[appear] = vT[appear, None] * z / z.sum(axis=1, keepdims=True)

    vanish = pos0 & ~posT                    # rule 3: V_0 > 0 = V_T
    z = zeroT[vanish]
    effects[vanish] = -v0[vanish, None] * z / z.sum(axis=1, keepdims=True)
    return effects                           # rule 4: rows zero in both periods stay 0


def lmdi(x0: pd.DataFrame, xT: pd.DataFrame, *,
         kind: Literal["additive", "multiplicative"] = "additive",
         by_row: bool = False) -> pd.Series | pd.DataFrame:
    """LMDI-I decomposition of the change of ``sum_i prod_k x_k,i`` between two periods.

    Parameters
    ----------
    x0, xT : DataFrame
        Factor values in period 0 and period T. Rows are sub-categories (sectors, fuels, ...),
        columns are factors whose row product is the row's contribution to the aggregate (for
        CO2: activity, structure share, energy intensity, fuel-mix share, emission factor). Both
        tables must have the same rows and columns (order may differ; ``x0``'s order is used).
        Values must be finite and non-negative; zeros follow the rules in the module docstring.
    kind : {"additive", "multiplicative"}
        ``"additive"``: effects in the aggregate's unit that sum exactly to ``V^T - V^0``.
        ``"multiplicative"``: indices that multiply to ``V^T / V^0``.
    by_row : bool
        Return the effect of every factor in every row (a DataFrame, rows x factors) instead of
        the totals by factor. Additive rows sum to the row changes; multiplicative entries
        multiply (over all rows and factors) to the aggregate ratio.

    Returns
    -------
    Series (index: factors, name ``"effect"`` or ``"index"``), or DataFrame if ``by_row``.

    Raises
    ------
    ActivityDataError
        Negative, missing or non-numeric values (naming the rows); rows or columns that differ
        between ``x0`` and ``xT``; a multiplicative decomposition of an aggregate that is 0 in
        either period.
    ScenarioSpecError
        An unknown ``kind``.

    Notes
    -----
    Reproduces the "simple example" of the LMDIR R package (Heun & Brockway 2019, Applied
    Energy 251:112697, SI Section S3): effects 69.790066, -9.455126, 39.665060 and indices
    1.761118, 0.926191, 1.379410 (see ``tests/test_decompose.py``).

    Examples
    --------
    Two sectors, three factors (the LMDIR simple example, 1971 -> 1972):

    >>> import pandas as pd
    >>> x0 = pd.DataFrame([[1.0, 10.0, 2.0], [4.0, 5.0, 3.0]], index=["s1", "s2"],
    ...                   columns=["f1", "f2", "f3"])
    >>> xT = pd.DataFrame([[4.0, 5.0, 3.0], [5.0, 6.0, 4.0]], index=["s1", "s2"],
    ...                   columns=["f1", "f2", "f3"])
    >>> lmdi(x0, xT).round(4).tolist()
    [69.7901, -9.4551, 39.6651]
    >>> round(float(lmdi(x0, xT).sum()), 9)        # 180 - 80
    100.0
    >>> d = lmdi(x0, xT, kind="multiplicative")
    >>> d.round(4).tolist(), round(float(d.prod()), 9)   # 180 / 80
    ([1.7611, 0.9262, 1.3794], 2.25)
    >>> lmdi(x0, xT, by_row=True).round(2)
           f1     f2     f3
    s1  50.47 -25.24  14.76
    s2  19.32  15.78  24.90

    A row that appears (its first factor was 0) takes its whole value on that factor:

    >>> x0.loc["s1", "f1"] = 0.0
    >>> lmdi(x0, xT, by_row=True).loc["s1"].round(6).tolist()
    [60.0, 0.0, 0.0]
    """
    if kind not in _KINDS:
        raise ScenarioSpecError(f"unknown LMDI kind {kind!r}", fix=f"use one of {_KINDS}")
    rows, factors, a0, aT = _factor_arrays(x0, xT)
    effects = _row_effects(a0, aT)
    if kind == "additive":
        if by_row:
            return pd.DataFrame(effects, index=rows, columns=factors)
        return pd.Series(effects.sum(axis=0), index=factors, name="effect")
    total0 = float(a0.prod(axis=1).sum())
    totalT = float(aT.prod(axis=1).sum())
    if total0 <= 0 or totalT <= 0:
        raise ActivityDataError(
            f"a multiplicative decomposition needs a positive aggregate in both periods "
            f"(V0 = {total0:g}, VT = {totalT:g})", fix="use kind='additive'")
    weight = float(log_mean(totalT, total0))
    if by_row:
        return pd.DataFrame(np.exp(effects / weight), index=rows, columns=factors)
    return pd.Series(np.exp(effects.sum(axis=0) / weight), index=factors, name="index")


def decompose_change(frame0: pd.DataFrame, frameT: pd.DataFrame, *, factors: Sequence[str],
                     by: str | Sequence[str] | None = None,
                     kind: Literal["additive", "multiplicative"] = "additive",
                     by_row: bool = False,
                     missing: Literal["raise", "zero"] = "raise") -> pd.Series | pd.DataFrame:
    """Decompose the change between two states: two years, or two scenarios in one year.

    A thin front end to :func:`lmdi`: picks the ``factors`` columns of two wide tables (one row
    per sub-category, e.g. a scenario trajectory filtered to one year), aligns the rows and
    decomposes. For a year-on-year change pass the same scenario's rows for year 0 and year T;
    for a scenario comparison pass the baseline's and the alternative's rows for the same year
    (the effects then say how much of the gap each factor explains).

    Parameters
    ----------
    frame0, frameT : DataFrame
        The two states. Other columns than ``factors`` (and ``by``) are ignored.
    factors : sequence of str
        The factor columns, whose row product is each row's contribution.
    by : str or sequence of str, optional
        Key column(s) naming the sub-category; by default the index is the key.
    kind, by_row : see :func:`lmdi`.
    missing : {"raise", "zero"}
        A row present in only one state: ``"raise"`` (default) refuses it; ``"zero"`` adds it
        to the other state with every factor 0, so that (by the limit rule) its value is split
        equally over all factors. To attribute an appearing row to one factor instead, give the
        row in both states with only that factor set to 0.

    Returns
    -------
    Series or DataFrame, as :func:`lmdi`.

    Examples
    --------
    >>> import pandas as pd
    >>> base = pd.DataFrame({"sector": ["steel", "power"], "output": [10.0, 50.0],
    ...                      "ef": [2.0, 0.8]})
    >>> alt = pd.DataFrame({"sector": ["power", "steel"], "output": [55.0, 8.0],
    ...                     "ef": [0.6, 2.0]})
    >>> effects = decompose_change(base, alt, factors=["output", "ef"], by="sector")
    >>> effects.round(3).to_dict(), round(float(effects.sum()), 9)   # 49 - 60
    ({'output': -0.532, 'ef': -10.468}, -11.0)
    """
    factors = list(factors)
    if not factors:
        raise ScenarioSpecError("decompose_change needs at least one factor column",
                                fix="pass factors=[...] naming the factor columns")
    if missing not in ("raise", "zero"):
        raise ScenarioSpecError(f"unknown missing={missing!r}", fix="use 'raise' or 'zero'")
    tables = []
    for name, frame in (("frame0", frame0), ("frameT", frameT)):
        if not isinstance(frame, pd.DataFrame):
            raise ActivityDataError(f"{name} must be a DataFrame, got {type(frame).__name__}",
                                    fix="pass one wide table per state")
        if by is not None:
            keys = [by] if isinstance(by, str) else list(by)
            absent = [k for k in keys if k not in frame.columns]
            if absent:
                raise ActivityDataError(f"{name} has no key column(s) {absent}",
                                        fix="name existing columns in by=")
            frame = frame.set_index(keys)
        absent = [f for f in factors if f not in frame.columns]
        if absent:
            raise ActivityDataError(f"{name} has no factor column(s) {absent}",
                                    fix="compute every factor column in both states")
        tables.append(frame[factors])
    x0, xT = tables
    if missing == "zero":
        rows = x0.index.append(xT.index[~xT.index.isin(x0.index)])
        x0 = x0.reindex(rows, fill_value=0.0)
        xT = xT.reindex(rows, fill_value=0.0)
    return lmdi(x0, xT, kind=kind, by_row=by_row)


@dataclass(frozen=True)
class KayaDecomposition:
    """Kaya factors by year and their LMDI-I decomposition between two years.

    Attributes
    ----------
    factors : DataFrame indexed by year with columns ``P`` (population), ``A`` (GDP per
        person), ``T1`` (energy per unit of GDP), ``T2`` (CO2 per unit of energy) and ``C``
        (CO2, equal to ``P * A * T1 * T2``), in the caller's units.
    additive : Series by factor, in the unit of CO2; sums exactly to ``C[yearT] - C[year0]``.
    multiplicative : Series by factor; multiplies to ``C[yearT] / C[year0]``.
    year0, yearT : the two years compared.
    """

    factors: pd.DataFrame
    additive: pd.Series
    multiplicative: pd.Series
    year0: int
    yearT: int

    @property
    def change(self) -> float:
        """``C[yearT] - C[year0]`` (the sum of the additive effects)."""
        return float(self.factors.at[self.yearT, "C"] - self.factors.at[self.year0, "C"])


def kaya(population, gdp, energy, co2, *, year0: int | None = None,
         yearT: int | None = None) -> KayaDecomposition:
    """Kaya identity ``C = P * (GDP/P) * (E/GDP) * (C/E)`` and its LMDI-I decomposition.

    Parameters
    ----------
    population, gdp, energy, co2 : Series (or mappings) indexed by year
        Positive values over the same years, each in one unit of your choice (e.g. 10^4
        persons, 10^8 yuan at constant prices, 10^4 tce, Mt CO2); the factors carry the ratios
        of those units and the additive effects carry the unit of ``co2``. Use constant-price
        GDP, or the affluence effect includes inflation.
    year0, yearT : int, optional
        The years compared; default the first and the last year.

    Returns
    -------
    KayaDecomposition

    Raises
    ------
    ActivityDataError
        Non-positive, missing or non-numeric values (naming the years), series over different
        years, or a year0/yearT that is not in the series.

    Examples
    --------
    >>> k = kaya({2020: 100.0, 2025: 105.0}, {2020: 5000.0, 2025: 6600.0},
    ...          {2020: 2000.0, 2025: 2200.0}, {2020: 4000.0, 2025: 4180.0})
    >>> k.factors.loc[2025].round(4).to_dict()
    {'P': 105.0, 'A': 62.8571, 'T1': 0.3333, 'T2': 1.9, 'C': 4180.0}
    >>> k.additive.round(2).to_dict()
    {'P': 199.52, 'A': 935.81, 'T1': -745.57, 'T2': -209.76}
    >>> round(float(k.additive.sum()), 9), k.change
    (180.0, 180.0)
    >>> round(float(k.multiplicative.prod()), 12)   # 4180 / 4000
    1.045
    """
    names = ("population", "gdp", "energy", "co2")
    series = [year_series(s, what=n) for s, n in zip((population, gdp, energy, co2), names,
                                                       strict=True)]
    years = series[0].index
    for s, n in zip(series[1:], names[1:], strict=True):
        if not s.index.equals(years):
            diff = sorted(set(years).symmetric_difference(s.index))
            raise ActivityDataError(f"{n} covers other years than population", rows=diff,
                                    fix="give all four series for the same years")
    table = pd.concat(series, axis=1, keys=names)
    nonpositive = (table <= 0).any(axis=1)
    if nonpositive.any():
        raise ActivityDataError("the Kaya identity needs positive values in every series",
                                rows=list(table.index[nonpositive]),
                                fix="check those years; CO2 here is gross (before removals)")
    year0 = int(years[0]) if year0 is None else year0
    yearT = int(years[-1]) if yearT is None else yearT
    absent = [y for y in (year0, yearT) if y not in years]
    if absent:
        raise ActivityDataError("year0/yearT not in the series", rows=absent,
                                fix=f"pick years between {years[0]} and {years[-1]}")
    factors = pd.DataFrame({
        "P": table["population"],
        "A": table["gdp"] / table["population"],
        "T1": table["energy"] / table["gdp"],
        "T2": table["co2"] / table["energy"],
        "C": table["co2"],
    })
    x0 = factors.loc[[year0], list(KAYA_FACTORS)]
    xT = factors.loc[[yearT], list(KAYA_FACTORS)].set_axis(x0.index)
    return KayaDecomposition(factors=factors, additive=lmdi(x0, xT),
                             multiplicative=lmdi(x0, xT, kind="multiplicative"),
                             year0=year0, yearT=yearT)
