"""Units of Chinese energy statistics on one pint registry, and vectorized conversions.

The registry (``ureg``) adds ``kgce``/``tce``/``wan_tce`` (1 kgce = 29.3076 MJ, GB/T 2589-2020),
``wan_t``, ``kilotonne``, ``wan_kWh``, ``yi_kWh``, ``m3``, ``wan_m3``, ``yi_m3``, ``Nm3``, ``mu``
(1/15 ha), ``wan_mu``, ``yuan``, ``wan_yuan``, ``yi_yuan`` and ``head``. Chinese unit names
(万吨, 亿千瓦时, 万吨标准煤, ...) are accepted as aliases. ``kt`` is refused: stock pint reads it
as a knot.

:func:`convert` converts once per distinct unit (a scale gathered by codes), never a Quantity per
row. With ``item`` it converts across dimensions through the factor library: a mass or volume of a
fuel to energy by its net calorific value, to coal equivalent by its GB/T 2589 coefficient, and
electricity to coal equivalent by the calorific (0.1229 kgce/kWh) or coal-equivalent method.

Examples
--------
>>> import carbonledger as cl
>>> round(cl.Q_(1, "wan_tce").to("GJ").magnitude, 3)
293076.0
>>> float(cl.convert(1.0, "t", "tce", item="raw_coal"))
0.7143
>>> float(cl.convert(1.0, "万千瓦时", "kWh"))
10000.0
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import pint

from .errors import UnitConversionError
from .grouping import factorize_columns

__all__ = ["ureg", "Q_", "parse_unit", "unit_scale", "item_scale", "convert", "is_coal_equivalent", "UNIT_ALIASES"]

ureg = pint.UnitRegistry(on_redefinition="raise", cache_folder=None)
ureg.load_definitions(str(resources.files("carbonledger") / "data" / "units.txt"))

#: Chinese statistical unit names -> registry names.
UNIT_ALIASES = {
    "吨": "t",
    "万吨": "wan_t",
    "亿吨": "yi_t",
    "千克": "kg",
    "公斤": "kg",
    "吨标准煤": "tce",
    "吨标煤": "tce",
    "万吨标准煤": "wan_tce",
    "万吨标煤": "wan_tce",
    "千克标准煤": "kgce",
    "千瓦时": "kWh",
    "万千瓦时": "wan_kWh",
    "亿千瓦时": "yi_kWh",
    "立方米": "m3",
    "万立方米": "wan_m3",
    "亿立方米": "yi_m3",
    "标准立方米": "Nm3",
    "万标准立方米": "wan_Nm3",
    "吉焦": "GJ",
    "百万千焦": "GJ",
    "太焦": "TJ",
    "元": "yuan",
    "万元": "wan_yuan",
    "亿元": "yi_yuan",
    "亩": "mu",
    "万亩": "wan_mu",
    "公顷": "ha",
    "头": "head",
    "万头": "wan_head",
    "人": "person",
    "万人": "wan_person",
}

_COAL_EQUIVALENT = {"kilogram_coal_equivalent", "gram_coal_equivalent", "tonne_coal_equivalent",
                    "wan_tce", "yi_tce", "Mtce"}
_KNOT = re.compile(r"(?<![A-Za-z_])kt(?![A-Za-z_0-9])")


def _known_names() -> list[str]:
    return sorted(set(ureg._units.keys()) | set(UNIT_ALIASES))  # noqa: SLF001


@lru_cache(maxsize=4096)
def parse_unit(unit: str) -> pint.Unit:
    """Parse a unit string of the registry (or a Chinese alias) into a pint Unit.

    Raises
    ------
    UnitConversionError
        For ``kt`` (a knot in pint: write ``kilotonne``) and for unknown units, with near matches.

    Examples
    --------
    >>> parse_unit("万吨标准煤")
    <Unit('wan_tce')>
    >>> parse_unit("kt")
    Traceback (most recent call last):
    ...
    carbonledger.errors.UnitConversionError: unit 'kt' is refused: pint reads it as a knot (a speed). Fix: write 'kilotonne' (10^3 t) or 'wan_t' (10^4 t)
    """
    if not isinstance(unit, str):
        raise UnitConversionError(
            f"unit {unit!r} is not a string", fix="give units as strings such as 't' or 'wan_tce'"
        )
    text = UNIT_ALIASES.get(unit.strip(), unit.strip())
    if _KNOT.search(text):
        raise UnitConversionError(
            f"unit {unit!r} is refused: pint reads it as a knot (a speed)",
            fix="write 'kilotonne' (10^3 t) or 'wan_t' (10^4 t)",
            unit=unit,
        )
    if text in ("", "1", "fraction", "ratio"):
        return ureg.dimensionless
    try:
        return ureg.parse_units(text)
    except (pint.errors.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError,
            AttributeError, TypeError, AssertionError) as exc:
        near = difflib.get_close_matches(text, _known_names(), n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(repr(n) for n in near)}?" if near else (
            "use a registry unit such as t, wan_t, tce, wan_tce, kWh, yi_kWh, m3, wan_m3, GJ, ha, mu")
        raise UnitConversionError(f"unknown unit {unit!r}", fix=hint, unit=unit) from exc


def Q_(value, unit: str):  # noqa: N802 - pint's conventional name
    """A pint Quantity on the carbonledger registry (``kt`` refused, Chinese aliases accepted).

    Examples
    --------
    >>> Q_(1, "yi_kWh").to("GWh")
    <Quantity(100.0, 'gigawatt_hour')>
    """
    return ureg.Quantity(value, parse_unit(unit))


def is_coal_equivalent(unit: str) -> bool:
    """Whether ``unit`` is a coal-equivalent unit (kgce, tce, wan_tce, ...)."""
    parsed = parse_unit(unit)
    names = list(parsed._units.keys())  # noqa: SLF001
    return len(names) == 1 and names[0] in _COAL_EQUIVALENT


@lru_cache(maxsize=4096)
def unit_scale(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a value in ``from_unit`` to ``to_unit`` (same dimension).

    Examples
    --------
    >>> unit_scale("wan_mu", "ha")
    666.6666666666666
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        return float(ureg.Quantity(1.0, source).to(target).magnitude)
    except pint.errors.DimensionalityError as exc:
        raise UnitConversionError(
            f"cannot convert {from_unit!r} ({ureg.get_dimensionality(source)}) to {to_unit!r} "
            f"({ureg.get_dimensionality(target)})",
            fix="give the quantity in a unit of the same kind, or pass item= for a fuel-aware "
            "conversion",
            from_unit=from_unit,
            to_unit=to_unit,
        ) from exc


def _dimension(unit: str) -> str:
    dim = ureg.get_dimensionality(parse_unit(unit))
    if dim == ureg.get_dimensionality("kg"):
        return "mass"
    if dim == ureg.get_dimensionality("m**3"):
        return "volume"
    if dim == ureg.get_dimensionality("J"):
        return "energy"
    return str(dim)


def _item_scale(from_unit: str, to_unit: str, item: str, year, method: str, lib) -> float:
    """Scale for one (unit pair, item, year): the fuel-aware part of :func:`convert`."""
    from_ce, to_ce = is_coal_equivalent(from_unit), is_coal_equivalent(to_unit)
    from_dim, to_dim = _dimension(from_unit), _dimension(to_unit)
    if from_dim == to_dim and from_dim != "energy":
        return unit_scale(from_unit, to_unit)
    if from_dim == to_dim == "energy" and from_ce == to_ce:
        return unit_scale(from_unit, to_unit)
    if from_dim == "energy" and to_dim == "energy":
        # energy <-> coal equivalent: a published coefficient for secondary energy.
        if from_ce:
            return 1.0 / _item_scale(to_unit, from_unit, item, year, method, lib)
        coef = _coal_equivalent_coefficient(item, year, method, lib, from_unit)
        if coef is None:
            return unit_scale(from_unit, to_unit)
        value, per_unit = coef
        return unit_scale(from_unit, per_unit) * value * unit_scale("kgce", to_unit)
    if to_dim in ("mass", "volume") and from_dim == "energy":
        return 1.0 / _item_scale(to_unit, from_unit, item, year, method, lib)
    if from_dim in ("mass", "volume") and to_dim == "energy":
        parameter = "tce_coefficient" if to_ce else "ncv"
        factor = _physical_factor(item, parameter, from_dim, lib, from_unit, to_unit)
        if factor is None and not to_ce:
            factor = _physical_factor(item, "tce_coefficient", from_dim, lib, from_unit, to_unit)
        if factor is None and to_ce:
            factor = _physical_factor(item, "ncv", from_dim, lib, from_unit, to_unit)
        if factor is None:
            other = "volume" if from_dim == "mass" else "mass"
            raise UnitConversionError(
                f"cannot convert {item} from {from_unit!r} ({from_dim}) to {to_unit!r}: the factor "
                f"library has no calorific value or coal coefficient per unit of {from_dim} for "
                f"{item} and no density",
                fix=f"give {item} in a unit of {other} or energy, or add a per-{from_dim} calorific "
                f"value (or a density) for {item} to the factor library",
                item=item,
                from_unit=from_unit,
                to_unit=to_unit,
                missing=f"ncv per {from_dim} or density",
            )
        value, factor_unit = factor
        energy_per = ureg.Quantity(value, parse_unit(factor_unit))
        per_from = energy_per * ureg.Quantity(1.0, parse_unit(from_unit))
        return float(per_from.to(parse_unit(to_unit)).magnitude)
    raise UnitConversionError(
        f"cannot convert {item} from {from_unit!r} ({from_dim}) to {to_unit!r} ({to_dim})",
        fix="give the quantity as a mass, volume or energy the factor library can convert",
        item=item, from_unit=from_unit, to_unit=to_unit,
    )


def _physical_factor(item, parameter, from_dim, lib, from_unit, to_unit):
    """The item's NCV or coal coefficient whose denominator has dimension ``from_dim``."""
    candidates = lib.candidates(parameter, item)
    for value, unit in candidates:
        per = ureg.Quantity(1.0, parse_unit(unit)) * ureg.Quantity(1.0, parse_unit(from_unit))
        if _dimension(str(per.units)) == "energy":
            return value, unit
    return None


def _coal_equivalent_coefficient(item, year, method, lib, from_unit):
    """(kgce per unit, unit) for electricity/heat; ``None`` for a fuel given in energy units."""
    if method not in ("calorific", "coal_equivalent"):
        raise UnitConversionError(
            f"unknown electricity method {method!r}", fix="use 'calorific' or 'coal_equivalent'"
        )
    if item == "electricity" and method == "coal_equivalent":
        if year is None or (isinstance(year, float) and np.isnan(year)):
            raise UnitConversionError(
                "the coal-equivalent electricity method needs the year",
                fix="pass year= (the year's coal consumption of thermal power supply is used)",
                item=item,
            )
        factor = lib.get_nearest_year("coal_equivalent", "electricity", unit="kgce/kWh",
                                      year=int(year))
        return factor.value, "kWh"
    for value, unit in lib.candidates("tce_coefficient", item):
        per = ureg.Quantity(1.0, parse_unit(unit)) * ureg.Quantity(1.0, parse_unit(from_unit))
        if _dimension(str(per.units)) == "energy":
            # unit like kgce/kWh: express as (value in kgce per unit of its denominator)
            denominator = str((ureg.Quantity(1.0, parse_unit("kgce")) / ureg.Quantity(
                1.0, parse_unit(unit))).units)
            return value, denominator
    return None


def _as_array(values):
    if isinstance(values, pd.Series):
        return values.to_numpy(dtype="float64"), values.index
    return np.asarray(values, dtype="float64"), None


def convert(values, from_unit, to_unit: str, *, item=None, year=None, method: str = "calorific",
            factors=None):
    """Convert values between units, vectorized; fuel-aware with ``item``.

    Parameters
    ----------
    values : scalar, numpy array or pandas Series.
    from_unit : a unit string, or an array/Series of unit strings (one per value); each distinct
        unit is converted once.
    to_unit : the target unit string.
    item : fuel/item id (or array of ids) for conversions across dimensions (mass or volume to
        energy or coal equivalent, electricity to coal equivalent).
    year : year (or array) for year-dependent coefficients (coal-equivalent electricity).
    method : ``"calorific"`` (当量值, 0.1229 kgce/kWh) or ``"coal_equivalent"`` (等价值, the
        year's average coal consumption of thermal power supply).
    factors : a :class:`~carbonledger.factors.FactorLibrary` (default: the bundled library).

    Returns
    -------
    float for a scalar input, a numpy array, or a Series with the input's index.

    Raises
    ------
    UnitConversionError
        Unknown unit (near matches suggested), ``kt``, or a conversion needing a property the
        library lacks (a volume of coal, which has no density).

    Examples
    --------
    >>> float(convert(2.0, "wan_tce", "tce"))
    20000.0
    >>> convert([1.0, 1.0], ["t", "kg"], "tce", item="raw_coal").round(7).tolist()
    [0.7143, 0.0007143]
    >>> float(convert(1e4, "kWh", "tce", item="electricity"))
    1.229
    >>> convert(1.0, "m3", "GJ", item="raw_coal")
    Traceback (most recent call last):
    ...
    carbonledger.errors.UnitConversionError: cannot convert raw_coal from 'm3' (volume) to 'GJ': the factor library has no calorific value or coal coefficient per unit of volume for raw_coal and no density. Fix: give raw_coal in a unit of mass or energy, or add a per-volume calorific value (or a density) for raw_coal to the factor library
    """
    scalar = np.ndim(values) == 0 and not isinstance(values, pd.Series)
    array, index = _as_array(values)
    array = np.atleast_1d(array)
    n = array.shape[0]
    lib = None
    if item is not None:
        from .factors import load_factors

        lib = factors if factors is not None else load_factors()
    keys = {"unit": _broadcast(from_unit, n)}
    if item is not None:
        from .catalog import item_aliases

        aliases = item_aliases()
        keys["item"] = np.array([aliases.get(i, i) if isinstance(i, str) else i
                                 for i in _broadcast(item, n)], dtype=object)
    if year is not None:
        keys["year"] = _broadcast(year, n)
    frame = pd.DataFrame(keys)
    codes, uniques = factorize_columns(frame, list(frame.columns))
    scales = np.empty(len(uniques), dtype="float64")
    for position, combo in enumerate(uniques.itertuples(index=False)):
        row = combo._asdict()
        if item is None:
            scales[position] = unit_scale(row["unit"], to_unit)
        else:
            scales[position] = _item_scale(
                row["unit"], to_unit, row["item"], row.get("year"), method, lib
            )
    result = array * scales[codes]
    if scalar:
        return float(result[0])
    if index is not None:
        return pd.Series(result, index=index, name=getattr(values, "name", None))
    return result


def _broadcast(value, n: int) -> np.ndarray:
    if isinstance(value, pd.Series):
        value = value.to_numpy()
    if np.ndim(value) == 0:
        return np.full(n, value, dtype=object)
    array = np.asarray(value, dtype=object)
    if array.shape[0] != n:
        raise UnitConversionError(
            f"got {array.shape[0]} units/items/years for {n} values",
            fix="give one per value, or a single one for all",
        )
    return array


@lru_cache(maxsize=65536)
def item_scale(from_unit: str, to_unit: str, item: str, year=None, method: str = "calorific",
               factors=None) -> float:
    """Cached multiplier of :func:`convert` for one unit, item and year (engines gather these
    by code instead of converting per row)."""
    if factors is None:
        from .factors import load_factors

        factors = load_factors()
    return _item_scale(from_unit, to_unit, item, year, method, factors)
