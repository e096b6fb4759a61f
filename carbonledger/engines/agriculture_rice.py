"""Rice cultivation CH4 (IPCC 2006 Vol. 4, Ch. 5.5, Eq. 5.1-5.3; category 3.C.7).

``CH4 = sum(EF_i x t_i x A_i)`` with the daily factor ``EF_i = EF_c x SF_w x SF_p x SF_o x
SF_s,r`` (Eq. 5.2) and ``SF_o = (1 + sum_i ROA_i x CFOA_i)^0.59`` (Eq. 5.3).

Activity kind ``rice_cultivation``: item = water regime during cultivation
(``continuously_flooded``, ``single_aeration``, ``multiple_aeration``, ``regular_rainfed``,
``drought_prone``, ``deep_water``, ``upland``), value = harvested area (ha; mu and wan_mu are
converted by the core), required ``cultivation_days``. Optional: ``preseason`` (water regime
before cultivation: ``non_flooded_short`` (<180 d, the default), ``non_flooded_long``,
``flooded_preseason``), organic amendment rates ``roa_straw_short_t_per_ha``,
``roa_straw_long_t_per_ha``, ``roa_compost_t_per_ha``, ``roa_farmyard_manure_t_per_ha``,
``roa_green_manure_t_per_ha`` (t/ha, dry weight for straw, fresh weight otherwise), and Tier 2
overrides ``ef_c_kg_per_ha_day``, ``sf_w``, ``sf_p``, ``sf_o``, ``sf_s``, ``sf_r``.

Examples
--------
>>> from carbonledger.engines.agriculture_rice import rice_ch4
>>> round(float(rice_ch4(1000.0, 120.0, ef_c_kg_per_ha_day=1.30, sf_w=0.60, sf_p=1.0)), 4)
93.6
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..kinds import ActivityKind
from .afolu_common import (
    FactorFetcher,
    activity_value,
    apply_override,
    as_ids,
    check_items,
    check_non_negative,
    column_or_nan,
    join_ids,
    pick_ids,
    put_ids,
    result_frame,
    text_column,
    vocabulary,
)

__all__ = ["ACTIVITY_KINDS", "AMENDMENTS", "rice_ch4", "rice_sf_o", "compute_rice"]

#: Organic amendment ids (Table 5.14) and their application-rate columns (t/ha).
AMENDMENTS = ("straw_short", "straw_long", "compost", "farmyard_manure", "green_manure")
_ROA_COLUMNS = tuple(f"roa_{a}_t_per_ha" for a in AMENDMENTS)
_OVERRIDES = ("ef_c_kg_per_ha_day", "sf_w", "sf_p", "sf_o", "sf_s", "sf_r")
_TABLE = "agriculture_rice"


def rice_sf_o(roa_t_per_ha, *, cfoa, exponent: float = 0.59) -> np.ndarray:
    """Scaling factor for organic amendments (Eq. 5.3): ``(1 + sum ROA_i x CFOA_i)^0.59``.

    Parameters
    ----------
    roa_t_per_ha : application rates, shape (n, k) or (k,), t/ha.
    cfoa : conversion factors per amendment, shape (k,) (Table 5.14).
    exponent : 0.59 by default (Eq. 5.3).

    Examples
    --------
    >>> round(float(rice_sf_o([[6.0, 0.0]], cfoa=[0.29, 1.0])[0]), 4)  # 6 t/ha straw, >30 d
    1.8125
    """
    roa = np.atleast_2d(np.asarray(roa_t_per_ha, dtype="float64"))
    return (1.0 + (roa * np.asarray(cfoa, dtype="float64")).sum(axis=-1)) ** exponent


def rice_ch4(area_ha, cultivation_days, *, ef_c_kg_per_ha_day, sf_w, sf_p, sf_o=1.0,
             sf_s=1.0, sf_r=1.0) -> np.ndarray:
    """Rice CH4 in tonnes (Eq. 5.1-5.2).

    Parameters
    ----------
    area_ha : annual harvested area, ha.
    cultivation_days : cultivation period, days.
    ef_c_kg_per_ha_day : baseline factor for continuously flooded fields without organic
        amendments (Table 5.11: 1.30 kg CH4/ha/day).
    sf_w, sf_p, sf_o, sf_s, sf_r : scaling factors for water regime during (Table 5.12) and
        before (Table 5.13) cultivation, organic amendments (Eq. 5.3), soil type and cultivar.

    Examples
    --------
    >>> round(float(rice_ch4(1.0, 100.0, ef_c_kg_per_ha_day=1.3, sf_w=1.0, sf_p=1.9)), 4)
    0.247
    """
    ef_kg_per_ha_day = (np.asarray(ef_c_kg_per_ha_day, dtype="float64") * np.asarray(sf_w)
                        * np.asarray(sf_p) * np.asarray(sf_o) * np.asarray(sf_s) * np.asarray(sf_r))
    return (np.asarray(area_ha, dtype="float64") * np.asarray(cultivation_days, dtype="float64")
            * ef_kg_per_ha_day / 1e3)


def compute_rice(rows: pd.DataFrame, lib) -> pd.DataFrame:
    """Rice cultivation CH4 (3.C.7) for ``rice_cultivation`` rows (see the module docstring).

    Examples
    --------
    1000 ha single-aeration rice over 120 days: 1000 x 120 x 1.30 kg/ha/day x SF_w 0.60
    (IPCC 2006 Vol.4 Eq. 5.1-5.2, Tables 5.11-5.12) = 93.6 t CH4.

    >>> import pandas as pd, carbonledger as cl
    >>> rows = pd.DataFrame({"year": [2020], "item": ["single_aeration"], "value": [1000.0],
    ...                      "cultivation_days": [120.0]})
    >>> round(float(compute_rice(rows, cl.load_factors())["emissions_t"].sum()), 1)
    93.6
    """
    kind = "rice_cultivation"
    index = rows.index
    area_ha = activity_value(rows, what="value (harvested area)", kind=kind)
    days = check_non_negative(column_or_nan(rows, "cultivation_days"), index,
                              what="cultivation_days", kind=kind)
    items = text_column(rows, "item", "nan")
    fetch = FactorFetcher(lib, table=_TABLE)
    given_sf_w = ~np.isnan(column_or_nan(rows, "sf_w"))
    check_items(items[~given_sf_w], vocabulary(lib, _TABLE, "sf_w"), what="water regime",
                kind=kind)
    for column in _OVERRIDES + _ROA_COLUMNS:
        values = column_or_nan(rows, column)
        check_non_negative(np.where(np.isnan(values), 0.0, values), index, what=column, kind=kind)

    base = fetch.get("ef_c", "rice", unit="kg/ha/day")
    ef_c, ef_ids = apply_override(rows, "ef_c_kg_per_ha_day", np.full(len(rows), base.value),
                                  base.factor_id)

    sf_w = np.ones(len(rows))
    w_ids = as_ids("", len(rows))
    if (~given_sf_w).any():
        sf_w[~given_sf_w], fids = fetch.many("sf_w", items[~given_sf_w].to_frame("item"))
        w_ids = put_ids(w_ids, ~given_sf_w, fids)
    sf_w, w_ids = apply_override(rows, "sf_w", sf_w, w_ids)

    preseason = text_column(rows, "preseason", "non_flooded_short")
    given_sf_p = ~np.isnan(column_or_nan(rows, "sf_p"))
    check_items(preseason[~given_sf_p], vocabulary(lib, _TABLE, "sf_p"),
                what="pre-season water regime", kind=kind)
    sf_p = np.ones(len(rows))
    p_ids = as_ids("", len(rows))
    if (~given_sf_p).any():
        sf_p[~given_sf_p], fids = fetch.many("sf_p", preseason[~given_sf_p].to_frame("item"))
        p_ids = put_ids(p_ids, ~given_sf_p, fids)
    sf_p, p_ids = apply_override(rows, "sf_p", sf_p, p_ids)

    roa = np.column_stack([np.nan_to_num(column_or_nan(rows, c)) for c in _ROA_COLUMNS])
    used = roa.any(axis=0)
    cfoa = np.zeros(len(AMENDMENTS))
    o_parts = []
    if used.any():
        exponent = fetch.get("sf_o_exponent", "rice")
        for j in np.flatnonzero(used):
            factor = fetch.get("cfoa", AMENDMENTS[j])
            cfoa[j] = factor.value
            o_parts.append(factor.factor_id)
        o_parts.append(exponent.factor_id)
        sf_o = rice_sf_o(roa, cfoa=cfoa, exponent=exponent.value)
    else:
        sf_o = np.ones(len(rows))
    o_ids = pick_ids(roa.any(axis=1), "+".join(o_parts), "")
    sf_o, o_ids = apply_override(rows, "sf_o", sf_o, o_ids)

    sf_s = np.nan_to_num(column_or_nan(rows, "sf_s"), nan=1.0)
    sf_r = np.nan_to_num(column_or_nan(rows, "sf_r"), nan=1.0)
    extra_ids = join_ids(pick_ids(~np.isnan(column_or_nan(rows, "sf_s")), "measured:sf_s", ""),
                         pick_ids(~np.isnan(column_or_nan(rows, "sf_r")), "measured:sf_r", ""))
    ch4_t = rice_ch4(area_ha, days, ef_c_kg_per_ha_day=ef_c, sf_w=sf_w, sf_p=sf_p, sf_o=sf_o,
                     sf_s=sf_s, sf_r=sf_r)
    return result_frame(index, "3.C.7", "CH4", ch4_t,
                        join_ids(ef_ids, w_ids, p_ids, o_ids, extra_ids))


ACTIVITY_KINDS = [
    ActivityKind(
        name="rice_cultivation", sector="agriculture", unit="ha", compute=compute_rice,
        required=("cultivation_days",),
        optional=("preseason", *_ROA_COLUMNS, *_OVERRIDES),
        description="Rice cultivation CH4 (3.C.7), IPCC 2006 Eq. 5.1-5.3 with scaling factors",
        extra={"key_columns": ("preseason",)},
    ),
]
