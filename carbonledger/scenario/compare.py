"""Compare scenarios: one table of peak years, emissions, intensities and probabilities.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"year": [2020], "sector": ["steel"], "activity":
...     ["fuel_combustion"], "item": ["coke"], "value": [10.0], "unit": ["wan_t"]})
>>> base = {"inventory": {"activity": rows, "base_year": 2020},
...         "years": {"start": 2020, "end": 2040}, "name": "flat"}
>>> cut = {**base, "name": "cut", "levers": [{"name": "c", "kind": "rate",
...        "path": "sectors.steel.activity", "rate": -0.03, "start": 2026}]}
>>> table = compare_scenarios([base, cut]).table
>>> table["co2_2030_mt"].round(2).to_dict()
{'flat': 0.29, 'cut': 0.25}
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ScenarioSpecError
from .runner import ScenarioResult, run_scenario

__all__ = ["ScenarioComparison", "compare_scenarios"]


@dataclass(frozen=True)
class ScenarioComparison:
    """Several scenarios side by side (returned by :func:`compare_scenarios`).

    Attributes
    ----------
    table : one row per scenario: peak year, whether it peaked, peak value, emissions in the
        ``by`` and ``until`` years, cumulative emissions, intensity changes vs the base year,
        the plateau verdict and, with draws, ``p_peak_by_<by>`` and the peak-year percentiles.
    results : the ScenarioResults in the same order.
    """

    table: pd.DataFrame
    results: tuple

    def figure(self, **kwargs):
        """Trajectories of all scenarios (see :func:`carbonledger.scenario.figures.trajectories`)."""
        from .figures import trajectories

        return trajectories(self.results, **kwargs)

    def to_iamc(self, **kwargs) -> pd.DataFrame:
        """All scenarios in the IAMC long format."""
        return pd.concat([r.to_iamc(**kwargs) for r in self.results], ignore_index=True)


def compare_scenarios(items, *, draws: int = 0, seed: int | None = None,
                      by: int | None = None) -> ScenarioComparison:
    """Run (where needed) and compare scenarios.

    Parameters
    ----------
    items : ScenarioResults, spec paths, mappings or specs (mixed is fine).
    draws, seed : Monte Carlo settings for the items that are not results yet (every
        scenario gets the same seed, so shared uncertain numbers draw the same values).
    by : the deadline year for ``p_peak_by`` and the emissions column (default the spec's
        ``[peak] by``, 2030).

    Returns
    -------
    ScenarioComparison (``.table``, ``.figure()``, ``.to_iamc()``)
    """
    if seed is None and draws:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    results = tuple(item if isinstance(item, ScenarioResult)
                    else run_scenario(item, draws=draws, seed=seed) for item in items)
    if not results:
        raise ScenarioSpecError("compare_scenarios needs at least one scenario", key="items",
                                fix="pass a list of scenario files or results")
    table = pd.DataFrame([r.summary(by=by) for r in results]).set_index("scenario")
    return ScenarioComparison(table=table, results=results)
