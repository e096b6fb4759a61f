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

    def top_down(self, history: pd.DataFrame | None = None, *,
                 drivers=("P", "A", "T")) -> tuple[pd.DataFrame, object]:
        """STIRPAT as a second, top-down method alongside the bottom-up projection.

        One ridge model ``ln C = a + b ln P + c ln A + d ln T`` is fitted (penalty chosen by
        leave-one-year-out cross-validation) on ``history`` (year-indexed columns ``C`` and the
        drivers, in the units of :attr:`ScenarioResult.stirpat_drivers`; e.g. the inventory's
        historical years) or, without it, on the years up to the first scenario's base year.
        It is then projected under each scenario's own drivers (population, GDP per person,
        energy per GDP) for the years after the history.

        Returns
        -------
        (frame, model): ``frame`` has one row per scenario and projected year with
        ``bottom_up_t``, ``top_down_t`` and their ratio; ``model`` is the fitted
        :class:`~carbonledger.scenario.stirpat.StirpatModel` (its penalty and elasticities).
        """
        from .stirpat import fit_stirpat, project_stirpat

        first = self.results[0]
        if history is None:
            base = first.base_year
            history = first.stirpat_drivers.loc[:base].assign(C=first.series.loc[:base])
        base = int(history.index.max())
        model = fit_stirpat(history, target="C", drivers=list(drivers))
        rows = []
        for result in self.results:
            future = result.stirpat_drivers.loc[base + 1:]
            projected = project_stirpat(model, future[list(drivers)])
            rows.append(pd.DataFrame({
                "scenario": result.name, "year": projected.index,
                "bottom_up_t": result.series.reindex(projected.index).to_numpy(),
                "top_down_t": projected.to_numpy()}))
        frame = pd.concat(rows, ignore_index=True)
        frame["top_down_over_bottom_up"] = frame["top_down_t"] / frame["bottom_up_t"]
        return frame, model

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
