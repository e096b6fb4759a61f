"""Explain a change of the peak metric with LMDI: between two years or between two scenarios.

Each sector's scope-1 CO2 is written as ``C_s = A_s x (E_s / A_s) x (C_s / E_s)``: activity
(its ``activity`` level; for power, local generation), energy intensity (gross energy input
per unit of activity, tce) and carbon intensity (CO2 per tce of energy input, process CO2
included). :func:`carbonledger.scenario.decompose.lmdi` (additive LMDI-I) attributes the change
of the sectors whose three factors are positive in both states; the change of the other
sectors (no energy input, such as waste, or LULUCF-free process-only rows) and of the scope-2
term (net electricity trade at the grid factor) are reported as their own items, not
decomposed. The items add up exactly to the change of the metric ``co2`` (no residual).

Examples
--------
>>> import pandas as pd
>>> from carbonledger.scenario.runner import run_scenario
>>> rows = pd.DataFrame({"year": [2020, 2020], "sector": ["steel", "residential"],
...     "activity": ["fuel_combustion"] * 2, "item": ["coke", "raw_coal"],
...     "value": [10.0, 1.0], "unit": ["wan_t", "wan_t"]})
>>> res = run_scenario({"inventory": {"activity": rows, "base_year": 2020},
...     "years": {"start": 2020, "end": 2030},
...     "sectors": {"steel": {"activity": {"growth": 0.03}, "intensity": {"growth": -0.02}}}})
>>> effects = decompose(res, year0=2020, yearT=2030)
>>> [round(x / effects.attrs["start_t"], 4) for x in effects]   # steel: +3 %/yr, -2 %/yr
[0.2906, -0.1986, 0.0, 0.0, 0.0]
>>> bool(abs(effects.sum() - effects.attrs["change_t"]) < 1e-6)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .decompose import lmdi
from .runner import ScenarioResult

__all__ = ["sector_factors", "decompose", "FACTORS", "ITEMS"]

FACTORS = ("activity", "energy intensity", "carbon intensity")
ITEMS = FACTORS + ("electricity trade (scope 2)", "other sectors")


def sector_factors(result: ScenarioResult, year: int) -> pd.DataFrame:
    """Per sector in ``year``: ``activity``, ``energy``, ``co2`` and the three LMDI factors.

    Examples
    --------
    >>> import pandas as pd
    >>> from carbonledger.scenario.runner import run_scenario
    >>> rows = pd.DataFrame({"year": [2020], "sector": ["steel"], "activity":
    ...     ["fuel_combustion"], "item": ["coke"], "value": [10.0], "unit": ["wan_t"]})
    >>> res = run_scenario({"inventory": {"activity": rows, "base_year": 2020},
    ...                     "years": {"start": 2020, "end": 2022}})
    >>> round(float(sector_factors(res, 2020).loc["steel", "carbon intensity"]), 1)  # t/tce
    2.9
    """
    table = result.sectors.xs(year, level="year")
    activity = table["activity_level"].astype(float).copy()
    if result.central["power"] is not None and "power" in activity.index:
        p = result.power.loc[year]
        generated = p["thermal_yi_kwh"] + sum(p[c] for c in p.index if
                                              c.startswith("renewable_"))
        activity.loc["power"] = generated
    frame = pd.DataFrame({"activity": activity, "energy": table["energy_tce"],
                          "co2": table["co2_t"]})
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["energy intensity"] = frame["energy"] / frame["activity"]
        frame["carbon intensity"] = frame["co2"] / frame["energy"]
    return frame


def decompose(result: ScenarioResult, *, year0: int | None = None, yearT: int | None = None,
              against: ScenarioResult | None = None, year: int | None = None) -> pd.Series:
    """LMDI effects on the ``co2`` metric (t): between ``year0`` and ``yearT`` of one scenario,
    or between ``against`` (state 0) and ``result`` (state T) in ``year``.

    Returns
    -------
    Series indexed by :data:`ITEMS`, summing exactly to the change; ``attrs`` holds
    ``start_t``, ``end_t``, ``change_t``, ``start_label`` and ``end_label``.
    """
    if against is None:
        year0 = int(result.years[0]) if year0 is None else int(year0)
        yearT = int(result.years[-1]) if yearT is None else int(yearT)
        states = ((result, year0), (result, yearT))
        labels = (str(year0), str(yearT))
    else:
        year = int(year if year is not None else (yearT or result.years[-1]))
        states = ((against, year), (result, year))
        labels = (f"{against.name} {year}", f"{result.name} {year}")
    f0, fT = (sector_factors(r, y) for r, y in states)
    sectors = f0.index.union(fT.index)
    f0, fT = f0.reindex(sectors), fT.reindex(sectors)
    cols = list(FACTORS)
    ok = ((f0[["activity", "energy", "co2"]] > 0).all(axis=1)
          & (fT[["activity", "energy", "co2"]] > 0).all(axis=1))
    effects = lmdi(f0.loc[ok, cols], fT.loc[ok, cols]) if ok.any() else pd.Series(
        0.0, index=cols)
    other = float(fT.loc[~ok, "co2"].fillna(0).sum() - f0.loc[~ok, "co2"].fillna(0).sum())
    s2 = [float(r.emissions.loc[y, "co2_scope2_t"]) for r, y in states]
    out = pd.Series([*effects.reindex(cols).to_numpy(), s2[1] - s2[0], other],
                    index=list(ITEMS), name="effect_t")
    start = float(states[0][0].emissions.loc[states[0][1], "co2_t"])
    end = float(states[1][0].emissions.loc[states[1][1], "co2_t"])
    out.attrs.update(start_t=start, end_t=end, change_t=end - start, start_label=labels[0],
                     end_label=labels[1])
    return out
