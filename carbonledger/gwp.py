"""Global warming potentials (100-year) of the SAR, AR4, AR5 and AR6 sets, from the factor
library (``factors/ipcc_gwp``).

Gases are only added up in CO2e, with a named GWP set.

Examples
--------
>>> import carbonledger as cl
>>> cl.gwp("CH4", metric="AR5")
28.0
>>> cl.gwp("N2O", metric="AR4")
298.0
"""

from __future__ import annotations

from .errors import CarbonLedgerError, MissingFactorError

__all__ = ["gwp", "gwp_values", "gwp_metrics"]


class UnknownGWPError(CarbonLedgerError, ValueError):
    """A GWP set that the library does not carry."""


def gwp_metrics(factors=None) -> list[str]:
    """The GWP sets in the factor library (e.g. ``['AR4', 'AR5', 'AR6', 'SAR']``)."""
    lib = _lib(factors)
    rows = lib.rows[lib.rows["parameter"] == "gwp"]
    return sorted(set(rows["metric"])) if "metric" in rows.columns else []


def _lib(factors):
    if factors is None:
        from .factors import load_factors

        return load_factors()
    return factors


def gwp_values(metric: str = "AR5", factors=None) -> dict[str, float]:
    """Every gas's GWP in one set, as a dict (``{"CO2": 1.0, "CH4": 28.0, ...}``)."""
    lib = _lib(factors)
    metrics = gwp_metrics(lib)
    if metric not in metrics:
        raise UnknownGWPError(f"unknown GWP set {metric!r}",
                              fix=f"use one of {', '.join(metrics)}", metric=metric)
    rows = lib.rows[(lib.rows["parameter"] == "gwp") & (lib.rows["metric"] == metric)]
    values: dict[str, float] = {}
    for gas, value in zip(rows["item"], rows["value"], strict=True):
        values.setdefault(gas, float(value))
    return values


def gwp(gas: str, metric: str = "AR5", *, factors=None) -> float:
    """The 100-year GWP of ``gas`` in set ``metric`` (SAR, AR4, AR5, AR6).

    Raises
    ------
    UnknownGWPError
        For a set the library does not carry (the valid ones are listed).
    MissingFactorError
        For a gas the set does not list.
    """
    values = gwp_values(metric, factors)
    if gas not in values:
        raise MissingFactorError(f"no {metric} GWP for {gas!r}",
                                 fix=f"gases in {metric}: {', '.join(sorted(values))}")
    return values[gas]
