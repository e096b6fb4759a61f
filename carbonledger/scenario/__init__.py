"""Scenario runner: project energy and emissions under alternative pathways and say whether,
when and how surely they peak.

* :func:`load_spec` reads a declarative scenario (TOML, with inheritance and validation);
* :func:`run_scenario` projects it (vectorized over years, sectors and Monte Carlo draws),
  reconciled exactly with the inventory of the base year, into a :class:`ScenarioResult`;
* :func:`compare_scenarios` tabulates peak years, 2030/2035 emissions, cumulative emissions,
  intensity changes and ``P(peak <= 2030)``; :func:`sensitivity` says which numbers move the
  peak most (tornado and standardized rank regression);
* :func:`peak`, :func:`plateau`, :func:`p_peak_by` answer the peak questions for any series;
  :func:`lmdi` and :func:`kaya` decompose changes; :func:`fit_stirpat` and
  :func:`project_stirpat` give the top-down STIRPAT projection alongside the bottom-up one.

Examples
--------
>>> import carbonledger.scenario as sc
>>> sc.peak({2028: 1.0, 2029: 3.0, 2030: 2.0}).year
2029
"""

from .compare import ScenarioComparison, compare_scenarios
from .decompose import kaya, lmdi
from .peak import p_peak_by, peak, plateau
from .runner import ScenarioResult, monte_carlo, run_scenario
from .sensitivity import Sensitivity, sensitivity
from .spec import ScenarioSpec, load_spec
from .stirpat import fit_stirpat, project_stirpat

__all__ = ["run_scenario", "ScenarioResult", "compare_scenarios", "ScenarioComparison",
           "load_spec", "ScenarioSpec", "peak", "plateau", "p_peak_by", "lmdi", "kaya",
           "fit_stirpat", "project_stirpat", "monte_carlo", "sensitivity", "Sensitivity"]
