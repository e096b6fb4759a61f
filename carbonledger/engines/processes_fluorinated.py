"""Fluorinated gases: HFC-23 from HCFC-22 production (2.B.9) and SF6 in electrical equipment (2.G.1).

HCFC-22 follows IPCC 2006 Vol. 3 Ch. 3 section 3.10 (Tier 1 Eq. 3.30, default 0.04 kg HFC-23 per
kg HCFC-22; a destroyed share reduces it as in the Tier 2 "fraction released untreated"). SF6 in
electrical equipment follows Vol. 3 Ch. 8: the facility mass balance (inventory decrease +
acquisitions - disbursements - net increase of nameplate capacity) or an installed bank times a
plant leak rate (no default leak rate is carried).

Examples
--------
>>> float(hfc23_from_hcfc22(10_000.0))
400.0
>>> round(float(sf6_mass_balance(2.0, inventory_decrease_t=0.5, disbursed_t=0.3,
...                              capacity_increase_t=1.0)), 6)
1.2
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ActivityDataError
from .processes_common import (
    check_fraction,
    check_nonnegative,
    column,
    default_or_override,
    item_in,
    join_ids,
    pick,
    process_kind,
    result_frame,
    start,
)

__all__ = ["ACTIVITY_KINDS", "hfc23_from_hcfc22", "sf6_mass_balance", "sf6_bank_leakage"]

FLUORO = "ippu_fluorochemicals"
SF6_ITEMS = ("mass_balance", "installed_bank")


def hfc23_from_hcfc22(hcfc22_t, *, ef_t_per_t=0.04, destruction_fraction=0.0) -> np.ndarray:
    """HFC-23 by-product of HCFC-22 production, t (Vol. 3 Ch. 3, Eq. 3.30 Tier 1).

    ``HFC-23 = hcfc22_t x ef_t_per_t x (1 - destruction_fraction)``, where the destroyed share is
    the HFC-23 generated that was thermally destroyed instead of released.

    Examples
    --------
    >>> float(hfc23_from_hcfc22(1000.0, destruction_fraction=0.75))
    10.0
    """
    hcfc22_t = check_nonnegative(hcfc22_t, "hcfc22_t")
    ef = check_nonnegative(ef_t_per_t, "ef_t_per_t")
    destroyed = check_fraction(destruction_fraction, "destruction_fraction", allow_nan=False)
    return hcfc22_t * ef * (1.0 - destroyed)


def sf6_mass_balance(
    acquired_t, *, inventory_decrease_t=0.0, disbursed_t=0.0, capacity_increase_t=0.0
) -> np.ndarray:
    """SF6 emitted from electrical equipment by facility mass balance, t (Vol. 3 Ch. 8).

    ``emissions = inventory_decrease + acquisitions - disbursements - net capacity increase``.
    ``inventory_decrease_t`` may be negative (stock built up); a negative result is refused.

    Examples
    --------
    >>> round(float(sf6_mass_balance(1.0, capacity_increase_t=0.8)), 6)
    0.2
    """
    acquired_t = check_nonnegative(acquired_t, "acquired_t")
    disbursed_t = check_nonnegative(disbursed_t, "disbursed_t")
    inventory = np.asarray(inventory_decrease_t, dtype=np.float64)
    capacity = np.asarray(capacity_increase_t, dtype=np.float64)
    emitted = inventory + acquired_t - disbursed_t - capacity
    bad = np.atleast_1d(~np.isfinite(emitted) | (emitted < -1e-12))
    if bad.any():
        raise ActivityDataError(
            "SF6 mass balance is negative or not a number",
            rows=np.flatnonzero(bad).tolist(),
            fix="check acquisitions, disbursements, inventory change and capacity change",
        )
    return np.maximum(emitted, 0.0)


def sf6_bank_leakage(bank_t, *, leak_rate) -> np.ndarray:
    """SF6 emitted from an installed bank at a plant leak rate per year, t (Vol. 3 Ch. 8).

    Examples
    --------
    >>> float(sf6_bank_leakage(10.0, leak_rate=0.005))
    0.05
    """
    bank_t = check_nonnegative(bank_t, "bank_t")
    return bank_t * check_fraction(leak_rate, "leak_rate", allow_nan=False)


def _compute_hcfc22(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    hcfc22_t = start(rows, "hcfc22_production", ("hcfc22",))
    destroyed = check_fraction(
        column(rows, "destruction_fraction"), "destruction_fraction", labels=labels
    )
    ef, ef_ids = default_or_override(
        rows, lib, "ef", "ef_t_per_t", "t/t", table=FLUORO, gas="HFC-23"
    )
    hfc23_t = hfc23_from_hcfc22(
        hcfc22_t, ef_t_per_t=ef, destruction_fraction=np.nan_to_num(destroyed)
    )
    ids = join_ids(ef_ids, pick(np.isnan(destroyed), "", "measured:destruction_fraction"))
    return result_frame(rows, [(None, "2.B.9.a", "HFC-23", hfc23_t, ids)])


def _compute_sf6(rows: pd.DataFrame, lib) -> pd.DataFrame:
    labels = rows.index
    value_t = start(rows, "sf6_equipment", SF6_ITEMS)
    bank = item_in(rows, ("installed_bank",))
    leak = check_fraction(column(rows, "leak_rate"), "leak_rate", labels=labels)
    missing = bank & np.isnan(leak)
    if missing.any():
        raise ActivityDataError(
            "sf6_equipment: an installed_bank row needs leak_rate (fraction of the bank per year)",
            rows=list(labels[missing]),
            fix="add column leak_rate from the operator's records, or report by mass_balance",
        )
    disbursed = check_nonnegative(
        np.nan_to_num(column(rows, "disbursed_t")), "disbursed_t", labels=labels
    )
    inventory = np.nan_to_num(column(rows, "inventory_decrease_t"))
    capacity = np.nan_to_num(column(rows, "capacity_increase_t"))
    balance = inventory + value_t - disbursed - capacity
    negative = ~bank & (balance < -1e-12)
    if negative.any():
        raise ActivityDataError(
            "sf6_equipment: the SF6 mass balance is negative",
            rows=list(labels[negative]),
            fix="check acquisitions (value), disbursed_t, inventory_decrease_t, capacity_increase_t",
        )
    sf6_t = np.where(bank, value_t * np.nan_to_num(leak), np.maximum(balance, 0.0))
    ids = pick(bank, "measured:leak_rate", "measured:mass_balance")
    return result_frame(rows, [(None, "2.G.1", "SF6", sf6_t, ids)])


ACTIVITY_KINDS = [
    process_kind(
        "hcfc22_production",
        _compute_hcfc22,
        optional=("ef_t_per_t", "destruction_fraction"),
        items=("hcfc22",),
        description="HCFC-22 produced (t); HFC-23 by-product, Vol.3 Eq. 3.30 Tier 1 (2.B.9.a)",
    ),
    process_kind(
        "sf6_equipment",
        _compute_sf6,
        optional=("inventory_decrease_t", "disbursed_t", "capacity_increase_t", "leak_rate"),
        items=SF6_ITEMS,
        description="SF6 in electrical equipment (t SF6): mass_balance (value = acquisitions) or "
        "installed_bank x leak_rate; Vol.3 Ch.8 (2.G.1)",
    ),
]
