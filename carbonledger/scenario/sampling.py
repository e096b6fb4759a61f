"""Seeded, vectorized random draws of uncertain scenario parameters (Monte Carlo inputs).

A parameter is specified as in a scenario TOML file, by a table with a ``dist`` key::

    steel_growth = {dist = "normal", mean = -0.02, sd = 0.01, low = -0.06, high = 0.02}
    pv_capacity_factor = {dist = "triangular", low = 0.14, mode = 0.17, high = 0.19}
    coal_ef = {dist = "lognormal", mean = 2.66, sd = 0.08}
    nev_share_2030 = {dist = "uniform", low = 0.3, high = 0.5}
    gdp_growth = 0.05                      # a plain number (or dist = "fixed"): not drawn

Distributions and their keys
----------------------------
``normal``      ``mean``, ``sd`` (> 0) of the parent normal; optional bounds ``low``/``high``.
``lognormal``   either ``mean``, ``sd`` (> 0) of the variable itself, converted by
                ``sigma**2 = ln(1 + (sd/mean)**2)``, ``mu = ln(mean) - sigma**2/2``; or ``mu``,
                ``sigma`` (> 0) of ``ln(x)``. Not both. Optional bounds ``low``/``high``.
``triangular``  ``low`` <= ``mode`` <= ``high``, ``low < high``.
``uniform``     ``low < high``.
``fixed``       ``value``: a constant (so is a plain number).

Every spec may also carry ``per_year`` (bool: an independent draw for every projection year,
shape draws x years), and the text keys ``source``, ``note``, ``unit`` (provenance; not used in
drawing). Any other key is refused, so a typo (``stdev``) cannot pass silently.

Bounds truncate by the inverse CDF on the truncated range: ``x = F^-1(F(low) + u (F(high) -
F(low)))``, computed on the lower tail (reflected when both bounds lie above the mean) so that
far-tail bounds keep their precision. ``mean``/``sd`` of a truncated distribution are those of
the parent: the draws' own mean moves towards the kept range.

Correlations use a Gaussian copula: one standard-normal matrix (draws x varying parameters) is
multiplied by the Cholesky factor of the correlation matrix, and each column is mapped through
its distribution's inverse CDF. A given correlation is the **Spearman rank correlation** of the
drawn values (whatever their distributions): it is set on the normal scale as
``2 sin(pi rho / 6)``, which gives exactly that rank correlation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from carbonledger.errors import ScenarioSpecError

__all__ = ["DISTRIBUTIONS", "Distribution", "parse_spec", "correlation_matrix", "draw"]

#: Required keys of each distribution (lognormal: one of the two sets).
DISTRIBUTIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "normal": (("mean", "sd"),),
    "lognormal": (("mean", "sd"), ("mu", "sigma")),
    "triangular": (("low", "mode", "high"),),
    "uniform": (("low", "high"),),
    "fixed": (("value",),),
}
_BOUNDED = ("normal", "lognormal")  # distributions that take optional low/high truncation
_TEXT_KEYS = ("source", "note", "unit")


@dataclass(frozen=True)
class Distribution:
    """A validated parameter distribution (build it with :func:`parse_spec`).

    Attributes
    ----------
    dist : ``normal``, ``lognormal``, ``triangular``, ``uniform`` or ``fixed``.
    loc, scale : normal: mean and sd; lognormal: ``mu`` and ``sigma`` of ``ln(x)``; fixed: the
        value and 0; unused otherwise.
    low, high : bounds (truncation of normal/lognormal; the support of triangular/uniform).
    mode : mode of a triangular distribution.
    per_year : draw independently for every projection year.
    """

    dist: str
    loc: float = 0.0
    scale: float = 0.0
    low: float = -math.inf
    high: float = math.inf
    mode: float = math.nan
    per_year: bool = False

    @property
    def varies(self) -> bool:
        """False for a constant (``fixed``), which is never drawn."""
        return self.dist != "fixed"

    @property
    def median(self) -> float:
        """Median (of the truncated range); the value itself for a constant.

        Examples
        --------
        >>> parse_spec({"dist": "lognormal", "mu": 0.0, "sigma": 0.5}).median
        1.0
        >>> parse_spec({"dist": "uniform", "low": 2.0, "high": 4.0}).median
        3.0
        """
        return float(self.ppf(np.array([0.5]))[0])

    def _z_bounds(self) -> tuple[float, float]:
        """Truncation bounds on the standard-normal scale (normal and lognormal)."""
        if self.dist == "normal":
            return (self.low - self.loc) / self.scale, (self.high - self.loc) / self.scale
        za = (math.log(self.low) - self.loc) / self.scale if self.low > 0 else -math.inf
        zb = (math.log(self.high) - self.loc) / self.scale if self.high < math.inf else math.inf
        return za, zb

    def from_normal(self, z) -> np.ndarray:
        """Map standard-normal scores ``z`` to draws of this distribution (``F^-1(Phi(z))``).

        Examples
        --------
        >>> d = parse_spec({"dist": "uniform", "low": 2.0, "high": 4.0})
        >>> d.from_normal([0.0]).tolist()
        [3.0]
        """
        z = np.asarray(z, dtype="float64")
        return self._transform(ndtr(z), ndtr(-z), z)

    def ppf(self, u) -> np.ndarray:
        """Inverse CDF on the (truncated) range, for probabilities ``u`` in [0, 1].

        Examples
        --------
        >>> d = parse_spec({"dist": "triangular", "low": 0.0, "mode": 1.0, "high": 2.0})
        >>> d.ppf([0.0, 0.5, 1.0]).tolist()
        [0.0, 1.0, 2.0]
        >>> d = parse_spec({"dist": "normal", "mean": 0.0, "sd": 1.0, "low": 0.0})
        >>> round(float(d.ppf([0.5])[0]), 4)   # median of a half-normal
        0.6745
        """
        u = np.asarray(u, dtype="float64")
        return self._transform(u, 1.0 - u, None)

    def _transform(self, u: np.ndarray, v: np.ndarray, z: np.ndarray | None) -> np.ndarray:
        """Draws from probabilities ``u`` and ``v = 1 - u`` (and the scores ``z`` if known)."""
        if self.dist == "fixed":
            return np.full(u.shape, self.loc)
        if self.dist == "uniform":
            return np.clip(self.low + u * (self.high - self.low), self.low, self.high)
        if self.dist == "triangular":
            width = self.high - self.low
            left = self.low + np.sqrt(u * width * (self.mode - self.low))
            right = self.high - np.sqrt(v * width * (self.high - self.mode))
            split = (self.mode - self.low) / width
            return np.clip(np.where(u < split, left, right), self.low, self.high)
        za, zb = self._z_bounds()
        if za == -math.inf and zb == math.inf:
            std = z if z is not None else ndtri(u)
        elif za > 0:  # both bounds above the mean: work on the mirrored lower tail
            pa, pb = ndtr(-zb), ndtr(-za)
            std = np.clip(-ndtri(pa + v * (pb - pa)), za, zb)
        else:
            pa, pb = ndtr(za), ndtr(zb)
            std = np.clip(ndtri(pa + u * (pb - pa)), za, zb)
        x = self.loc + self.scale * std
        if self.dist == "lognormal":
            x = np.exp(x)
        return np.clip(x, self.low, self.high)


def _fail(message: str, *, name: str, key: str, fix: str) -> ScenarioSpecError:
    return ScenarioSpecError(f"parameter {name!r}: {message}", fix=fix,
                             key=f"{name}.{key}" if key else name, parameter=name)


def _number(spec: Mapping, key: str, *, name: str) -> float:
    value = spec[key]
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise _fail(f"{key} must be a number, got {value!r}", name=name, key=key,
                    fix=f"write {key} as a plain number, e.g. {key} = 0.05")
    value = float(value)
    if not math.isfinite(value):
        raise _fail(f"{key} must be finite, got {value}", name=name, key=key,
                    fix=f"give a finite {key}")
    return value


def _positive(spec: Mapping, key: str, *, name: str) -> float:
    value = _number(spec, key, name=name)
    if value <= 0:
        raise _fail(f"{key} must be > 0, got {value:g}", name=name, key=key,
                    fix=f"give a positive {key}; a constant is written as a plain number")
    return value


def parse_spec(spec, *, name: str = "parameter") -> Distribution:
    """Validate one parameter spec (a TOML table or a plain number) into a Distribution.

    Parameters
    ----------
    spec : mapping with a ``dist`` key and that distribution's keys (module docstring), or a
        plain number (a constant).
    name : parameter name, used in error messages and in the error's ``key`` (``name.key``).

    Returns
    -------
    Distribution

    Raises
    ------
    ScenarioSpecError
        Unknown ``dist``; missing, unknown or invalid keys (``err.key`` names ``name.key``).

    Examples
    --------
    >>> d = parse_spec({"dist": "lognormal", "mean": 1.0, "sd": 0.5}, name="ef")
    >>> round(d.scale, 4), round(d.loc, 4)
    (0.4724, -0.1116)
    >>> parse_spec(0.05).varies
    False
    >>> try:
    ...     parse_spec({"dist": "normal", "mean": 1.0}, name="growth")
    ... except ScenarioSpecError as err:
    ...     print(err.key)
    growth.sd
    """
    if isinstance(spec, (int, float, np.integer, np.floating)) and not isinstance(spec, bool):
        spec = {"dist": "fixed", "value": spec}
    if not isinstance(spec, Mapping):
        raise _fail(f"spec must be a number or a table with a 'dist' key, got "
                    f"{type(spec).__name__}", name=name, key="",
                    fix='write e.g. {dist = "normal", mean = 1.0, sd = 0.1}')
    if "dist" not in spec:
        raise _fail("missing key 'dist'", name=name, key="dist",
                    fix=f"add dist = one of {sorted(DISTRIBUTIONS)}")
    dist = spec["dist"]
    if dist not in DISTRIBUTIONS:
        raise _fail(f"unknown dist {dist!r}", name=name, key="dist",
                    fix=f"use one of {sorted(DISTRIBUTIONS)}")
    key_sets = DISTRIBUTIONS[dist]
    given = [keys for keys in key_sets if any(k in spec for k in keys)]
    if len(given) > 1:
        raise _fail(f"give either {' and '.join(key_sets[0])} or {' and '.join(key_sets[1])}, "
                    "not both", name=name, key=key_sets[1][0],
                    fix="keep one pair (mean/sd of the variable, or mu/sigma of its log)")
    required = given[0] if given else key_sets[0]
    for key in required:
        if key not in spec:
            raise _fail(f"missing key {key!r} for dist {dist!r}", name=name, key=key,
                        fix=f"{dist} needs {', '.join(required)}")
    allowed = {"dist", "per_year", *required, *_TEXT_KEYS}
    if dist in _BOUNDED:
        allowed |= {"low", "high"}
    for key in spec:
        if key not in allowed:
            raise _fail(f"unknown key {key!r} for dist {dist!r}", name=name, key=str(key),
                        fix=f"allowed keys: {', '.join(sorted(allowed))}")
    per_year = spec.get("per_year", False)
    if not isinstance(per_year, bool):
        raise _fail(f"per_year must be true or false, got {per_year!r}", name=name,
                    key="per_year", fix="write per_year = true")
    if dist == "fixed":
        return Distribution("fixed", loc=_number(spec, "value", name=name), per_year=per_year)
    low = _number(spec, "low", name=name) if "low" in spec else -math.inf
    high = _number(spec, "high", name=name) if "high" in spec else math.inf
    if low >= high:
        raise _fail(f"low ({low:g}) must be below high ({high:g})", name=name, key="high",
                    fix="swap or widen the bounds")
    if dist == "uniform":
        return Distribution("uniform", low=low, high=high, per_year=per_year)
    if dist == "triangular":
        mode = _number(spec, "mode", name=name)
        if not low <= mode <= high:
            raise _fail(f"mode ({mode:g}) must lie in [low, high] = [{low:g}, {high:g}]",
                        name=name, key="mode", fix="put the mode between low and high")
        return Distribution("triangular", low=low, high=high, mode=mode, per_year=per_year)
    if dist == "normal":
        loc, scale = _number(spec, "mean", name=name), _positive(spec, "sd", name=name)
    elif "mu" in required:
        loc, scale = _number(spec, "mu", name=name), _positive(spec, "sigma", name=name)
    else:
        mean, sd = _positive(spec, "mean", name=name), _positive(spec, "sd", name=name)
        scale = math.sqrt(math.log1p((sd / mean) ** 2))
        loc = math.log(mean) - scale**2 / 2
    if dist == "lognormal" and high <= 0:
        raise _fail(f"high ({high:g}) must be > 0 for a lognormal", name=name, key="high",
                    fix="a lognormal is positive: give a positive upper bound")
    result = Distribution(dist, loc=loc, scale=scale, low=low, high=high, per_year=per_year)
    za, zb = result._z_bounds()
    mass = ndtr(-za) - ndtr(-zb) if za > 0 else ndtr(zb) - ndtr(za)
    if not mass > 0:
        raise _fail(f"bounds [{low:g}, {high:g}] keep no probability of the distribution",
                    name=name, key="low", fix="move the bounds towards the mean")
    return result


def _pairs(correlations) -> dict[tuple[str, str], float]:
    """Correlations (mapping of pairs or a labelled DataFrame) as {(a, b): rho}, a != b."""
    if isinstance(correlations, pd.DataFrame):
        frame = correlations
        items = {}
        for a in frame.index:
            for b in frame.columns:
                value = frame.loc[a, b]
                if not pd.isna(value):
                    items[(a, b)] = value
    elif isinstance(correlations, Mapping):
        items = dict(correlations)
    else:
        raise ScenarioSpecError(
            f"correlations must be a mapping of (name_a, name_b) -> rho or a DataFrame, got "
            f"{type(correlations).__name__}", key="correlations",
            fix="pass e.g. {('steel_growth', 'cement_growth'): 0.6}")
    pairs: dict[tuple[str, str], float] = {}
    for key, value in items.items():
        if not (isinstance(key, (tuple, list)) and len(key) == 2):
            raise ScenarioSpecError(f"correlation key {key!r} is not a pair of names",
                                    key="correlations", fix="key by (name_a, name_b)")
        a, b = (str(k) for k in key)
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer,
                                                             np.floating)):
            raise ScenarioSpecError(f"correlation of {(a, b)} is not a number: {value!r}",
                                    key="correlations", pairs=[(a, b)], fix="give rho in [-1, 1]")
        rho = float(value)
        if a == b:
            if rho != 1.0:
                raise ScenarioSpecError(f"correlation of {a!r} with itself must be 1, got {rho}",
                                        key="correlations", pairs=[(a, b)],
                                        fix="leave the diagonal at 1")
            continue
        if not -1.0 <= rho <= 1.0:
            raise ScenarioSpecError(f"correlation of {(a, b)} is {rho}, outside [-1, 1]",
                                    key="correlations", pairs=[(a, b)], fix="give rho in [-1, 1]")
        pair = (a, b) if a < b else (b, a)
        if pair in pairs and pairs[pair] != rho:
            raise ScenarioSpecError(f"correlation of {pair} is given twice ({pairs[pair]} and "
                                    f"{rho})", key="correlations", pairs=[pair],
                                    fix="give each pair once (or the same value both ways)")
        pairs[pair] = rho
    return pairs


def correlation_matrix(correlations, names: Sequence[str]) -> np.ndarray:
    """Normal-scale correlation matrix of ``names`` from rank correlations, checked.

    Each given rank (Spearman) correlation ``rho`` becomes ``2 sin(pi rho / 6)`` on the normal
    scale of the Gaussian copula; pairs not given are uncorrelated.

    Parameters
    ----------
    correlations : ``{(name_a, name_b): rho}``, a DataFrame labelled by names on both axes (NaN
        = not given; the two halves must agree), or None.
    names : the varying per-draw parameters, in matrix order.

    Returns
    -------
    ndarray (k x k), symmetric positive definite.

    Raises
    ------
    ScenarioSpecError
        A name that is not a varying per-draw parameter, rho outside [-1, 1], conflicting
        values, or a matrix that is not positive definite (``err.pairs`` names the pairs).

    Examples
    --------
    >>> correlation_matrix({("a", "b"): 0.5}, ["a", "b"]).round(4).tolist()
    [[1.0, 0.5176], [0.5176, 1.0]]
    >>> try:
    ...     correlation_matrix({("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): -0.9},
    ...                        ["a", "b", "c"])
    ... except ScenarioSpecError as err:
    ...     print(err.pairs)
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    names = [str(n) for n in names]
    position = {n: i for i, n in enumerate(names)}
    matrix = np.eye(len(names))
    if correlations is None:
        return matrix
    pairs = _pairs(correlations)
    for (a, b), rho in pairs.items():
        unknown = [n for n in (a, b) if n not in position]
        if unknown:
            raise ScenarioSpecError(
                f"correlation {(a, b)} names {unknown}, not a varying per-draw parameter",
                key="correlations", pairs=[(a, b)],
                fix=f"correlate only drawn parameters that are not per_year: {names}")
        i, j = position[a], position[b]
        matrix[i, j] = matrix[j, i] = 2.0 * math.sin(math.pi * rho / 6.0)
    eigval, eigvec = np.linalg.eigh(matrix)
    bad = eigval <= 1e-10
    if bad.any():
        weight = np.abs(eigvec[:, bad]).max(axis=1)
        involved = {names[i] for i in np.flatnonzero(weight >= 0.25 * weight.max())}
        culprits = sorted(p for p in pairs if p[0] in involved and p[1] in involved)
        raise ScenarioSpecError(
            f"correlation matrix is not positive definite (smallest eigenvalue "
            f"{eigval.min():.3g}); the conflicting pairs are {culprits}", key="correlations",
            pairs=culprits, fix="make these correlations mutually consistent (e.g. weaken one); "
            "a correlation of exactly +-1 is refused: derive one parameter from the other instead")
    return matrix


def draw(specs: Mapping, n: int, *, seed, correlations=None,
         years: int | Sequence[int] | None = None) -> dict[str, np.ndarray]:
    """Draw ``n`` values of every parameter, seeded, reproducible and vectorized.

    Only varying parameters are drawn, once: one standard-normal matrix of ``n`` x (varying
    per-draw parameters + per-year parameters x years), from ``numpy.random.Generator(PCG64(
    seed))``. Columns are in sorted name order, so the order of ``specs`` does not change the
    draws. Correlated parameters go through the Gaussian copula (module docstring).

    Parameters
    ----------
    specs : ``{name: spec}``, each spec as accepted by :func:`parse_spec`.
    n : number of draws.
    seed : int >= 0 or ``numpy.random.SeedSequence``; required (record it with the results).
    correlations : rank correlations between varying per-draw parameters, see
        :func:`correlation_matrix`; None for independent draws.
    years : number of projection years, or the years themselves; required when a spec has
        ``per_year = true``.

    Returns
    -------
    dict ``name -> ndarray`` in the order of ``specs``: shape ``(n,)``, or ``(n, years)`` for a
    per-year parameter. Constants are returned as full arrays (not drawn).

    Raises
    ------
    ScenarioSpecError
        Invalid specs, ``n``, ``seed``, ``years`` or correlations.

    Examples
    --------
    >>> specs = {"growth": {"dist": "normal", "mean": 0.05, "sd": 0.01, "low": 0.0},
    ...          "ef": {"dist": "triangular", "low": 2.4, "mode": 2.6, "high": 2.7},
    ...          "share": 0.3}
    >>> x = draw(specs, 10_000, seed=42, correlations={("growth", "ef"): 0.5})
    >>> list(x), x["growth"].shape, bool(x["growth"].min() >= 0.0), float(x["share"][0])
    (['growth', 'ef', 'share'], (10000,), True, 0.3)
    >>> y = draw(specs, 10_000, seed=42, correlations={("growth", "ef"): 0.5})
    >>> bool(np.array_equal(x["ef"], y["ef"]))
    True
    """
    if not isinstance(specs, Mapping) or not specs:
        raise ScenarioSpecError("specs must be a non-empty mapping of name -> spec",
                                key="specs", fix="give at least one parameter")
    dists = {str(name): parse_spec(spec, name=str(name)) for name, spec in specs.items()}
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ScenarioSpecError(f"n must be a positive integer, got {n!r}", key="n",
                                fix="give the number of draws, e.g. n=10000")
    n = int(n)
    if isinstance(seed, np.random.SeedSequence):
        seed_arg = seed
    elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        seed_arg = int(seed)
    else:
        raise ScenarioSpecError(f"seed must be an integer >= 0, got {seed!r}", key="seed",
                                fix="pass seed=an integer and record it with the results")
    scalar = sorted(k for k, d in dists.items() if d.varies and not d.per_year)
    yearly = sorted(k for k, d in dists.items() if d.varies and d.per_year)
    n_years = 1
    if any(d.per_year for d in dists.values()):
        if years is None:
            first = next(k for k, d in dists.items() if d.per_year)
            raise ScenarioSpecError(f"parameter {first!r} is per_year but no years were given",
                                    key=f"{first}.per_year",
                                    fix="pass years=the projection years (or their number)")
        n_years = int(years) if isinstance(years, (int, np.integer)) else len(years)
        if n_years < 1:
            raise ScenarioSpecError("years is empty", key="years", fix="give at least one year")
    corr = correlation_matrix(correlations, scalar)
    rng = np.random.Generator(np.random.PCG64(seed_arg))
    normal = rng.standard_normal((n, len(scalar) + len(yearly) * n_years))
    k = len(scalar)
    if correlations is not None and k > 1:
        normal[:, :k] = normal[:, :k] @ np.linalg.cholesky(corr).T
    column = {name: normal[:, i] for i, name in enumerate(scalar)}
    for j, name in enumerate(yearly):
        column[name] = normal[:, k + j * n_years: k + (j + 1) * n_years]
    out: dict[str, np.ndarray] = {}
    for name, dist in dists.items():
        if dist.varies:
            out[name] = dist.from_normal(column[name])
        else:
            out[name] = np.full((n, n_years) if dist.per_year else (n,), dist.loc)
    return out
