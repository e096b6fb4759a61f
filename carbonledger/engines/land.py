"""Land use, land-use change and forestry engine (IPCC 2006 Vol. 4, Ch. 2 and 4): forest land.

Removals are negative ``emissions_t`` of CO2. This module holds forest carbon (stock-difference
and gain-loss methods, afforestation), the helper :func:`gross_net` that splits any result table
into gross emissions, gross removals and net, and declares every LULUCF activity kind; land-use
conversion and soil carbon of cropland / grassland management live in
:mod:`carbonledger.engines.land_conversion`.

Forest carbon per m3 of growing stock: ``C = V x BCEF x (1 + R) x CF`` with ``BCEF = D x BEF``
(Eq. 2.8; Tables 4.3-4.5, 4.14).

Activity kinds
--------------
``forest_stock`` (3.B.1.a, stock-difference, Eq. 2.8)
    item = forest type (``temperate_hardwood``, ``temperate_pine``, ``temperate_other_conifer``
    have defaults; any other type needs measured factors), value = standing stock volume (m3;
    wan_m3 converted by the core) at the end of ``year``. The carbon stock change of a row is
    taken against ``stock_m3_start`` if that column is given (over ``period_years``, default 1),
    else against the previous observation of the same series (same ``region``, ``facility`` and
    ``item``) divided by the years between them. The earliest observation of a series without
    ``stock_m3_start`` is the baseline and reports 0 (factor id ``...+stock_difference:baseline``).
    Both stocks of a row are converted with that row's factors, so changing a factor between
    years does not create a spurious flux. Overrides: ``bcef`` (t/m3), or ``wood_density``
    (t/m3) with ``bef``; ``root_shoot``; ``carbon_fraction``.
``forest_growth`` (3.B.1.a, gain-loss, Eq. 2.7, 2.9-2.14)
    value = forest area (ha), with ``increment_m3_per_ha`` (net annual increment of growing
    stock, converted with the type's BCEF) or ``growth_t_dm_per_ha`` (above-ground biomass
    growth); losses ``harvest_m3``, ``fuelwood_m3`` (converted with BCEF) and
    ``disturbance_t_dm`` (above-ground biomass lost). One net CO2 row per input row.
``afforestation`` (3.B.1.b, land converted to forest)
    value = area of new forest (ha or wan_mu) with ``increment_m3_per_ha`` or
    ``growth_t_dm_per_ha``. The biomass and soil change of the conversion itself is the
    ``land_conversion`` kind (``cropland_to_forest``...).

Examples
--------
>>> from carbonledger.engines.land import forest_carbon_t
>>> round(float(forest_carbon_t(1000.0, bcef_t_per_m3=0.75, root_shoot=0.29,
...                             carbon_fraction=0.47)), 3)
454.725
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ActivityDataError
from ..grouping import category_isin
from ..kinds import ActivityKind
from . import land_conversion
from .afolu_common import (
    C_TO_CO2,
    FactorFetcher,
    activity_value,
    apply_override,
    as_ids,
    check_non_negative,
    column_or_nan,
    join_ids,
    pick_ids,
    put_ids,
    result_frame,
    series_codes,
    text_column,
    vocabulary,
)

__all__ = [
    "ACTIVITY_KINDS",
    "forest_carbon_t",
    "stock_difference_co2",
    "biomass_growth_c",
    "wood_loss_c",
    "gain_loss_co2",
    "compute_forest_stock",
    "compute_forest_growth",
    "compute_afforestation",
    "gross_net",
]

_TABLE = "land_forest"


# --------------------------------------------------------------------------- kernels
def forest_carbon_t(volume_m3, *, bcef_t_per_m3, root_shoot, carbon_fraction) -> np.ndarray:
    """Carbon in living biomass, t C, of a growing-stock volume (Eq. 2.8).

    ``C = V x BCEF x (1 + R) x CF``; pass ``bcef_t_per_m3 = wood_density x BEF`` when the
    inventory gives basic wood density and a biomass expansion factor.

    Examples
    --------
    >>> float(forest_carbon_t(100.0, bcef_t_per_m3=0.5 * 1.4, root_shoot=0.0,
    ...                       carbon_fraction=0.5))
    35.0
    """
    return (np.asarray(volume_m3, dtype="float64") * np.asarray(bcef_t_per_m3, dtype="float64")
            * (1.0 + np.asarray(root_shoot, dtype="float64"))
            * np.asarray(carbon_fraction, dtype="float64"))


def stock_difference_co2(carbon_start_t, carbon_end_t, *, period_years=1.0) -> np.ndarray:
    """CO2 flux (t per year; removals negative) from two carbon stocks (Eq. 2.8).

    Examples
    --------
    >>> round(float(stock_difference_co2(100.0, 112.0, period_years=2.0)), 4)
    -22.0
    """
    change_t_c = (np.asarray(carbon_end_t, dtype="float64")
                  - np.asarray(carbon_start_t, dtype="float64")) / np.asarray(period_years)
    return -change_t_c * C_TO_CO2


def biomass_growth_c(area_ha, *, growth_t_dm_per_ha, root_shoot, carbon_fraction) -> np.ndarray:
    """Annual carbon gain in living biomass, t C (Eq. 2.9-2.10).

    ``dC_G = A x G_W x (1 + R) x CF``.

    Examples
    --------
    >>> round(float(biomass_growth_c(100.0, growth_t_dm_per_ha=4.0, root_shoot=0.29,
    ...                              carbon_fraction=0.47)), 3)
    242.52
    """
    return (np.asarray(area_ha, dtype="float64") * np.asarray(growth_t_dm_per_ha, dtype="float64")
            * (1.0 + np.asarray(root_shoot, dtype="float64"))
            * np.asarray(carbon_fraction, dtype="float64"))


def wood_loss_c(volume_m3, *, bcef_t_per_m3, root_shoot, carbon_fraction) -> np.ndarray:
    """Annual carbon loss, t C, from wood removals or fuelwood (Eq. 2.12-2.13).

    Examples
    --------
    >>> float(wood_loss_c(10.0, bcef_t_per_m3=1.0, root_shoot=0.0, carbon_fraction=0.5))
    5.0
    """
    return forest_carbon_t(volume_m3, bcef_t_per_m3=bcef_t_per_m3, root_shoot=root_shoot,
                           carbon_fraction=carbon_fraction)


def gain_loss_co2(gain_t_c, loss_t_c) -> np.ndarray:
    """CO2 (t; removals negative) from carbon gains and losses (Eq. 2.7).

    Examples
    --------
    >>> round(float(gain_loss_co2(10.0, 4.0)), 3)
    -22.0
    """
    return -(np.asarray(gain_t_c, dtype="float64") - np.asarray(loss_t_c, dtype="float64")) * C_TO_CO2


# --------------------------------------------------------------------------- factors
def _forest_factors(rows: pd.DataFrame, lib, kind: str):
    """BCEF, R and CF per row: defaults by forest type, overridden by measured columns."""
    n = len(rows)
    index = rows.index
    for column in ("bcef", "wood_density", "bef", "root_shoot", "carbon_fraction"):
        values = column_or_nan(rows, column)
        check_non_negative(np.where(np.isnan(values), 0.0, values), index, what=column, kind=kind)
    density, bef = column_or_nan(rows, "wood_density"), column_or_nan(rows, "bef")
    half = np.isnan(density) != np.isnan(bef)
    if half.any():
        raise ActivityDataError(f"{kind}: wood_density and bef must be given together",
                                rows=index[half].tolist(),
                                fix="give both (BCEF = wood_density x bef), or give bcef")
    measured_bcef = column_or_nan(rows, "bcef")
    from_density = np.isnan(measured_bcef) & ~np.isnan(density)
    measured_bcef[from_density] = density[from_density] * bef[from_density]
    bcef_ids = pick_ids(from_density, "measured:wood_density+measured:bef", "measured:bcef")
    measured_r = column_or_nan(rows, "root_shoot")
    need = np.isnan(measured_bcef) | np.isnan(measured_r)
    items = text_column(rows, "item", "nan")
    known = vocabulary(lib, _TABLE, "bcef_s") if need.any() else []
    unknown = need & ~category_isin(items, known)
    if unknown.any():
        raise ActivityDataError(
            f"{kind}: unknown forest type {', '.join(sorted(set(items[unknown])))[:200]!r} "
            "without measured bcef (or wood_density and bef) and root_shoot",
            rows=index[unknown].tolist(),
            fix=f"use one of: {', '.join(known)}; or give bcef and root_shoot")
    fetch = FactorFetcher(lib, table=_TABLE)
    bcef = measured_bcef.copy()
    root = measured_r.copy()
    root_ids = as_ids("measured:root_shoot", n)
    want_b, want_r = np.isnan(measured_bcef), np.isnan(measured_r)
    if want_b.any():
        bcef[want_b], fids = fetch.many("bcef_s", items[want_b].to_frame("item"), unit="t/m3")
        bcef_ids = put_ids(bcef_ids, want_b, fids)
    if want_r.any():
        root[want_r], fids = fetch.many("root_shoot", items[want_r].to_frame("item"))
        root_ids = put_ids(root_ids, want_r, fids)
    cf = fetch.get("carbon_fraction", "forest")
    carbon_fraction, cf_ids = apply_override(rows, "carbon_fraction", np.full(n, cf.value),
                                             cf.factor_id)
    return bcef, root, carbon_fraction, join_ids(bcef_ids, root_ids, cf_ids)


def _series_keys(rows: pd.DataFrame) -> pd.Series:
    columns = [c for c in ("region", "facility", "item") if c in rows.columns]
    return pd.Series(series_codes(rows, columns), index=rows.index)


# --------------------------------------------------------------------------- computes
def compute_forest_stock(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Forest land remaining forest land (3.B.1.a) by the stock-difference method.

    See the module docstring for how consecutive years of a series are paired.

    Examples
    --------
    Temperate pine stock rising by 50,000 m3 (BCEF 0.75 t/m3, R 0.29, CF 0.47; IPCC 2006
    Vol.4 Tables 4.5, 4.4, 4.3) removes 50,000 x 0.75 x 1.29 x 0.47 x 44/12 t CO2; the first
    year of a series is the baseline (0).

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2019, 2020], "item": ["temperate_pine"] * 2,
    ...                      "value": [1.00e6, 1.05e6]})
    >>> compute_forest_stock(rows, cl.load_factors())["emissions_t"].round(2).tolist()
    [0.0, -83366.25]
    """
    kind = "forest_stock"
    index = rows.index
    stock = activity_value(rows, what="value (stock volume)", kind=kind)
    year = pd.to_numeric(rows["year"], errors="coerce").to_numpy(dtype="float64")
    series = _series_keys(rows).to_numpy()
    order = np.lexsort((year, series))
    s_series, s_year = series[order], year[order]
    dup = np.zeros(len(rows), dtype=bool)
    same = (s_series[1:] == s_series[:-1]) & (s_year[1:] == s_year[:-1])
    dup[order[1:][same]] = True
    dup[order[:-1][same]] = True
    if dup.any():
        raise ActivityDataError(f"{kind}: two stock volumes for the same series and year",
                                rows=index[dup].tolist(),
                                fix="give one row per region, facility, forest type and year")
    previous_stock = np.full(len(rows), np.nan)
    period = np.full(len(rows), np.nan)
    has_previous = np.zeros(len(rows), dtype=bool)
    has_previous[1:] = s_series[1:] == s_series[:-1]
    prev_positions = order[:-1][has_previous[1:]]
    here = order[1:][has_previous[1:]]
    previous_stock[here] = stock[prev_positions]
    period[here] = year[here] - year[prev_positions]

    start = column_or_nan(rows, "stock_m3_start")
    given_start = ~np.isnan(start)
    check_non_negative(np.where(given_start, start, 0.0), index, what="stock_m3_start", kind=kind)
    years_given = column_or_nan(rows, "period_years")
    bad_period = ~np.isnan(years_given) & ~(years_given > 0)
    if bad_period.any():
        raise ActivityDataError(f"{kind}: period_years must be positive",
                                rows=index[bad_period].tolist(), fix="give period_years > 0")
    start_m3 = np.where(given_start, start, previous_stock)
    period = np.where(given_start, np.nan_to_num(years_given, nan=1.0), period)
    baseline = np.isnan(start_m3)

    bcef, root, cf, ids = _forest_factors(rows, lib, kind)
    carbon_end = forest_carbon_t(stock, bcef_t_per_m3=bcef, root_shoot=root, carbon_fraction=cf)
    carbon_start = forest_carbon_t(np.where(baseline, stock, start_m3), bcef_t_per_m3=bcef,
                                   root_shoot=root, carbon_fraction=cf)
    co2 = stock_difference_co2(carbon_start, carbon_end, period_years=np.where(baseline, 1.0, period))
    method = pick_ids(baseline, "stock_difference:baseline",
                      pick_ids(given_start, "stock_difference:stock_m3_start",
                               "stock_difference:previous_year"))
    return result_frame(index, "3.B.1.a", "CO2", np.where(baseline, 0.0, co2),
                        join_ids(ids, method))


def _growth_t_dm(rows: pd.DataFrame, area_ha: np.ndarray, bcef: np.ndarray, kind: str):
    increment = column_or_nan(rows, "increment_m3_per_ha")
    growth = column_or_nan(rows, "growth_t_dm_per_ha")
    missing = np.isnan(increment) & np.isnan(growth)
    if missing.any():
        raise ActivityDataError(
            f"{kind}: no growth rate (this library carries no default growth rates)",
            rows=rows.index[missing].tolist(),
            fix="give increment_m3_per_ha (net annual increment of growing stock) or "
                "growth_t_dm_per_ha (above-ground biomass growth, IPCC Tables 4.9-4.12)")
    for column, values in (("increment_m3_per_ha", increment), ("growth_t_dm_per_ha", growth)):
        check_non_negative(np.where(np.isnan(values), 0.0, values), rows.index, what=column,
                           kind=kind)
    per_ha = np.where(np.isnan(growth), increment * bcef, growth)
    ids = pick_ids(np.isnan(growth), "measured:increment_m3_per_ha",
                   "measured:growth_t_dm_per_ha")
    return per_ha, ids


def compute_forest_growth(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Forest land remaining forest land (3.B.1.a) by the gain-loss method (Eq. 2.7, 2.9-2.14).

    Examples
    --------
    1000 ha of temperate hardwood growing 5 m3/ha/yr minus a 1000 m3 harvest (BCEF 1.4,
    R 0.23, CF 0.47): -(5000 - 1000) x 1.4 x 1.23 x 0.47 x 44/12 t CO2.

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["temperate_hardwood"], "value": [1000.0],
    ...                      "increment_m3_per_ha": [5.0], "harvest_m3": [1000.0]})
    >>> round(float(compute_forest_growth(rows, cl.load_factors())["emissions_t"].iloc[0]), 2)
    -11870.32
    """
    kind = "forest_growth"
    area_ha = activity_value(rows, what="value (area)", kind=kind)
    bcef, root, cf, ids = _forest_factors(rows, lib, kind)
    growth, growth_ids = _growth_t_dm(rows, area_ha, bcef, kind)
    gain = biomass_growth_c(area_ha, growth_t_dm_per_ha=growth, root_shoot=root, carbon_fraction=cf)
    losses = {}
    for column in ("harvest_m3", "fuelwood_m3", "disturbance_t_dm"):
        values = np.nan_to_num(column_or_nan(rows, column))
        losses[column] = check_non_negative(values, rows.index, what=column, kind=kind)
    wood_m3 = losses["harvest_m3"] + losses["fuelwood_m3"]
    loss = (wood_loss_c(wood_m3, bcef_t_per_m3=bcef, root_shoot=root, carbon_fraction=cf)
            + losses["disturbance_t_dm"] * (1.0 + root) * cf)
    return result_frame(rows.index, "3.B.1.a", "CO2", gain_loss_co2(gain, loss),
                        join_ids(growth_ids, ids, "gain_loss"))


def compute_afforestation(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Biomass growth on land converted to forest (3.B.1.b): a removal (negative CO2).

    Examples
    --------
    100 ha of new pine growing 4 t d.m./ha/yr (R 0.29, CF 0.47): -100 x 4 x 1.29 x 0.47 x
    44/12 t CO2.

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["temperate_pine"], "value": [100.0],
    ...                      "growth_t_dm_per_ha": [4.0]})
    >>> round(float(compute_afforestation(rows, cl.load_factors())["emissions_t"].iloc[0]), 2)
    -889.24
    """
    kind = "afforestation"
    area_ha = activity_value(rows, what="value (area)", kind=kind)
    bcef, root, cf, ids = _forest_factors(rows, lib, kind)
    growth, growth_ids = _growth_t_dm(rows, area_ha, bcef, kind)
    gain = biomass_growth_c(area_ha, growth_t_dm_per_ha=growth, root_shoot=root, carbon_fraction=cf)
    return result_frame(rows.index, "3.B.1.b", "CO2", gain_loss_co2(gain, 0.0),
                        join_ids(growth_ids, ids))


def gross_net(table: pd.DataFrame, *, by=None, value: str = "emissions_t") -> pd.DataFrame:
    """Split results into gross emissions (sum of positive values), gross removals (sum of
    negative values, reported negative) and net.

    Parameters
    ----------
    table : result rows (an Inventory table or a ``compute`` result) with column ``value``.
    by : column name(s) to group by (``None``: one total row).
    value : the column to split (``emissions_t`` or ``co2e_t``).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"gas": ["CO2"] * 3, "emissions_t": [5.0, -8.0, 1.0]})
    >>> gross_net(t).to_dict("records")
    [{'gross_emissions_t': 6.0, 'gross_removals_t': -8.0, 'net_t': -2.0}]
    """
    values = pd.to_numeric(table[value], errors="coerce").fillna(0.0)
    frame = pd.DataFrame({"gross_emissions_t": values.clip(lower=0.0),
                          "gross_removals_t": values.clip(upper=0.0), "net_t": values},
                         index=table.index)
    if by is None:
        return frame.sum().to_frame().T.reset_index(drop=True)
    keys = [by] if isinstance(by, str) else list(by)
    frame[keys] = table[keys]
    return frame.groupby(keys, observed=True, sort=True)[
        ["gross_emissions_t", "gross_removals_t", "net_t"]].sum().reset_index()


_FOREST_OVERRIDES = ("bcef", "wood_density", "bef", "root_shoot", "carbon_fraction")
_GROWTH = ("increment_m3_per_ha", "growth_t_dm_per_ha")

ACTIVITY_KINDS = [
    ActivityKind(
        name="forest_stock", sector="lulucf", unit="m3", compute=compute_forest_stock,
        optional=("stock_m3_start", "period_years", *_FOREST_OVERRIDES),
        description="Forest remaining forest (3.B.1.a), stock-difference on stock volume (m3)",
    ),
    ActivityKind(
        name="forest_growth", sector="lulucf", unit="ha", compute=compute_forest_growth,
        optional=(*_GROWTH, "harvest_m3", "fuelwood_m3", "disturbance_t_dm", *_FOREST_OVERRIDES),
        description="Forest remaining forest (3.B.1.a), gain-loss: area x increment minus losses",
    ),
    ActivityKind(
        name="afforestation", sector="lulucf", unit="ha", compute=compute_afforestation,
        optional=(*_GROWTH, *_FOREST_OVERRIDES),
        description="Growth on land converted to forest (3.B.1.b), area x growth rate",
    ),
    *land_conversion.ACTIVITY_KINDS,
]
