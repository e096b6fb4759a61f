"""Run scenarios: ``run_scenario`` -> :class:`ScenarioResult`, Monte Carlo, comparison, IAMC.

* A deterministic run takes every drawn number at its distribution's median and keeps the full
  row-level trajectory (every base-year row group, year and gas).
* ``draws > 0`` adds a Monte Carlo run: every number written as a distribution in the spec is
  drawn once per draw (seeded, with the spec's rank correlations; see
  :mod:`carbonledger.scenario.sampling`), with common random numbers: a number draws the same
  values in every scenario that has it, under the same seed, so that the difference between
  two scenarios is not sampling noise. The whole model is evaluated for all draws at once
  (arrays of draws x years x rows; no loop over draws or years). The draws keep the totals
  (emissions, energy, GDP by year), from which come the distribution of the peak year and
  value, ``p_peak_by(year)`` and percentile bands.

The peak is measured on ``[peak] metric`` of the spec: ``co2`` (default: CO2 of energy,
industrial processes, agriculture and waste, scope 1, plus the net scope-2 CO2 of imported
minus exported electricity at the grid factor, as the inventory books it), ``co2e`` (all
gases, same scopes) or ``net_co2e`` (``co2e`` plus LULUCF, removals negative). The peak rule
and the plateau rule ("stable then declining after the peak, to 2035") are those of
:mod:`carbonledger.scenario.peak`.

Examples
--------
>>> import pandas as pd
>>> rows = pd.DataFrame({"year": [2020, 2020], "sector": ["steel", "residential"],
...     "activity": ["fuel_combustion"] * 2, "item": ["coke", "raw_coal"],
...     "value": [10.0, 1.0], "unit": ["wan_t", "wan_t"]})
>>> spec = {"inventory": {"activity": rows, "base_year": 2020},
...         "years": {"start": 2020, "end": 2040},
...         "macro": {"gdp": {"base": 100.0, "growth": 0.05}},
...         "sectors": {"steel": {"activity": {"driver": "gdp", "elasticity": 1.0}}},
...         "levers": [{"name": "cut", "kind": "rate", "path": "sectors.steel.intensity",
...                     "start": 2021, "rate": {"dist": "uniform", "low": -0.12, "high": -0.02}}]}
>>> res = run_scenario(spec, draws=1000, seed=7)
>>> res.peak_year, res.peak.peaked
(2020, True)
>>> res.p_peak_by(2030)   # exact: P(rate < 1/1.05 - 1) = 0.724; sampling error ~0.014
0.729
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .. import indicators
from ..errors import ScenarioSpecError
from .decompose import kaya
from .peak import (
    PeakDraws,
    PeakResult,
    PlateauResult,
    p_peak_by,
    peak,
    peak_years,
    percentile_bands,
    plateau,
    plateau_mask,
)
from .power import TJ_PER_YI_KWH
from .projection import OUTPUTS, Model, Resolver, central_resolver, compile_model, evaluate
from .sampling import draw
from .spec import ScenarioSpec, load_spec

__all__ = ["ScenarioResult", "run_scenario", "monte_carlo", "METRICS"]

#: Emission series a peak can be measured on (``[peak] metric``).
METRICS = ("co2", "co2e", "net_co2e")
_Q = (2.5, 25.0, 50.0, 75.0, 97.5)


def _metric_matrix(outputs: np.ndarray, metric: str) -> np.ndarray:
    o = {name: outputs[..., i] for i, name in enumerate(OUTPUTS)}
    if metric == "co2":
        return o["co2_s1"] + o["co2_s2"]
    if metric == "co2e":
        return o["co2e_s1"] + o["co2e_s2"]
    return o["co2e_s1"] + o["co2e_s2"] + o["lulucf_co2e"]


@dataclass(frozen=True)
class ScenarioResult:
    """The projection of one scenario (returned by :func:`run_scenario`).

    Attributes
    ----------
    name : scenario name.
    spec : the loaded spec.
    model : the compiled model (base ledger, paths).
    central : the deterministic run (every drawn number at its median), with row detail.
    draws : number of Monte Carlo draws (0: none).
    seed : the seed of the draws (None without draws).
    samples : outputs of the draws, ``(draws, years, len(OUTPUTS))`` in t and tce, or None.
    gdp_samples : GDP of the draws ``(draws, years)`` (10^8 yuan) or None.
    parameters : the drawn numbers, one column per spec address (draws x parameters).
    """

    name: str
    spec: ScenarioSpec = field(repr=False)
    model: Model = field(repr=False)
    central: dict = field(repr=False)
    draws: int = 0
    seed: int | None = None
    samples: np.ndarray | None = field(default=None, repr=False)
    gdp_samples: np.ndarray | None = field(default=None, repr=False)
    parameters: pd.DataFrame | None = field(default=None, repr=False)

    # ---- basic series -------------------------------------------------------------------------
    @property
    def years(self) -> np.ndarray:
        """Projection years (base year first)."""
        return self.model.years

    @property
    def base_year(self) -> int:
        """The reconciled base year."""
        return int(self.model.years[0])

    @property
    def metric(self) -> str:
        """Series the peak is measured on (``co2``, ``co2e`` or ``net_co2e``)."""
        return str(self.spec.data.get("peak", {}).get("metric", "co2"))

    def _peak_cfg(self, key: str, default):
        return self.spec.data.get("peak", {}).get(key, default)

    def _series(self, values: np.ndarray, name: str) -> pd.Series:
        return pd.Series(np.asarray(values, dtype="float64").reshape(-1)[:self.years.size],
                         index=pd.Index(self.years, name="year"), name=name)

    @cached_property
    def emissions(self) -> pd.DataFrame:
        """Emissions by year (t): ``co2_t`` (scope 1 + net scope 2, excl. LULUCF: the default
        peak metric), ``co2_scope1_t``, ``co2_scope2_t``, ``co2e_t`` (all gases, scopes 1+2,
        excl. LULUCF), ``lulucf_co2e_t`` (removals negative) and ``net_co2e_t``."""
        o = {n: self.central["outputs"][0, :, i] for i, n in enumerate(OUTPUTS)}
        frame = pd.DataFrame({
            "co2_t": o["co2_s1"] + o["co2_s2"], "co2_scope1_t": o["co2_s1"],
            "co2_scope2_t": o["co2_s2"], "co2e_t": o["co2e_s1"] + o["co2e_s2"],
            "lulucf_co2e_t": o["lulucf_co2e"],
            "net_co2e_t": o["co2e_s1"] + o["co2e_s2"] + o["lulucf_co2e"]},
            index=pd.Index(self.years, name="year"))
        frame.attrs["unit"] = "t"
        frame.attrs["gwp"] = self.model.spec.data.get("inventory", {}).get("gwp", "AR5")
        return frame

    @property
    def series(self) -> pd.Series:
        """The peak metric by year (t)."""
        return self.emissions[{"co2": "co2_t", "co2e": "co2e_t",
                               "net_co2e": "net_co2e_t"}[self.metric]]

    @cached_property
    def energy(self) -> pd.DataFrame:
        """Total energy consumption by year (tce), both electricity methods.

        Columns: ``total_tce`` (calorific equivalent, 当量值), ``total_tce_coal_equivalent``
        (等价值), ``coal_tce``, ``non_fossil_tce``, ``non_fossil_tce_coal_equivalent``,
        ``feedstock_tce``, ``new_renewable_tce`` (above the base year), ``total_under_control_tce``
        (total - feedstock - new renewables, the 2022 rule), ``coal_share`` and
        ``non_fossil_share`` (coal-equivalent method), as the inventory's
        ``energy_totals`` computes them.
        """
        o = {n: self.central["outputs"][0, :, i] for i, n in enumerate(OUTPUTS)}
        new = np.maximum(o["non_fossil_tce"] - o["non_fossil_tce"][0], 0.0)
        frame = pd.DataFrame({
            "total_tce": o["tce"], "total_tce_coal_equivalent": o["tce_ce"],
            "coal_tce": o["coal_tce"], "non_fossil_tce": o["non_fossil_tce"],
            "non_fossil_tce_coal_equivalent": o["non_fossil_tce_ce"],
            "feedstock_tce": o["feedstock_tce"], "new_renewable_tce": new,
            "total_under_control_tce": o["tce"] - o["feedstock_tce"] - new},
            index=pd.Index(self.years, name="year"))
        frame["coal_share"] = frame["coal_tce"] / frame["total_tce"]
        frame["non_fossil_share"] = (frame["non_fossil_tce_coal_equivalent"]
                                     / frame["total_tce_coal_equivalent"])
        return frame

    @property
    def gdp(self) -> pd.Series:
        """GDP at constant base-year prices (``[macro.gdp]`` unit, e.g. 10^8 yuan)."""
        if self.central["gdp"] is None:
            raise ScenarioSpecError("the scenario has no [macro.gdp] path", key="macro.gdp",
                                    fix="add [macro.gdp] with base and growth")
        return self._series(self.central["gdp"][0], "gdp")

    @cached_property
    def intensity(self) -> pd.DataFrame:
        """Energy and CO2 intensity per 10^4 yuan of constant-price GDP, and their change vs
        the base year (via :mod:`carbonledger.indicators`)."""
        unit = self.spec.data["macro"]["gdp"].get("unit", "yi_yuan")
        energy = indicators.intensity(self.energy["total_tce"], self.gdp, numerator_unit="tce",
                                      gdp_unit=unit, out_unit="tce/wan_yuan")
        energy_ce = indicators.intensity(self.energy["total_tce_coal_equivalent"], self.gdp,
                                         numerator_unit="tce", gdp_unit=unit,
                                         out_unit="tce/wan_yuan")
        co2 = indicators.intensity(self.series, self.gdp, numerator_unit="t", gdp_unit=unit,
                                   out_unit="t/wan_yuan")
        frame = pd.DataFrame({"energy_intensity_tce_per_wan_yuan": energy,
                              "energy_intensity_coal_equivalent_tce_per_wan_yuan": energy_ce,
                              "co2_intensity_t_per_wan_yuan": co2})
        for column, name in (("energy_intensity_tce_per_wan_yuan", "energy_intensity"),
                             ("energy_intensity_coal_equivalent_tce_per_wan_yuan",
                              "energy_intensity_coal_equivalent"),
                             ("co2_intensity_t_per_wan_yuan", "co2_intensity")):
            frame[f"{name}_change_vs_base"] = indicators.change_vs_base(
                frame[column], base_year=self.base_year)
        return frame

    # ---- peak ---------------------------------------------------------------------------------
    @cached_property
    def peak(self) -> PeakResult:
        """Peak of the metric series (year, value, peaked, horizon_end)."""
        return peak(self.series, tolerance=float(self._peak_cfg("tolerance", 0.0)))

    @property
    def peak_year(self) -> int:
        """Year of the peak (the last year when still rising: see ``peak.peaked``)."""
        return self.peak.year

    @property
    def peak_value(self) -> float:
        """Value of the metric in the peak year (t)."""
        return self.peak.value

    @cached_property
    def plateau(self) -> PlateauResult:
        """The "stable then declining after the peak" test to ``[peak] until`` (default 2035),
        rebound band ``[peak] band`` (default 5 % of the peak); see
        :func:`carbonledger.scenario.peak.plateau` for the rule."""
        return plateau(self.series, until=int(self._peak_cfg("until", 2035)),
                       band=float(self._peak_cfg("band", 0.05)),
                       rule=str(self._peak_cfg("rule", "stable_then_declining")))

    # ---- Monte Carlo --------------------------------------------------------------------------
    def _need_draws(self) -> None:
        if not self.draws:
            raise ScenarioSpecError("this result has no Monte Carlo draws", key="draws",
                                    fix="run_scenario(..., draws=1000, seed=1)")

    def metric_samples(self, metric: str | None = None) -> np.ndarray:
        """The draws of an emission metric (draws x years, t)."""
        self._need_draws()
        return _metric_matrix(self.samples, metric or self.metric)

    @cached_property
    def peak_draws(self) -> PeakDraws:
        """Peak year, value and ``peaked`` flag of every draw."""
        return peak_years(self.metric_samples(), self.years,
                          tolerance=float(self._peak_cfg("tolerance", 0.0)))

    def p_peak_by(self, year: int) -> float:
        """Share of draws that peaked at or before ``year`` (no peak within the horizon
        counts as not peaked)."""
        d = self.peak_draws
        return p_peak_by(d.year, d.peaked, year)

    @property
    def peak_distribution(self) -> pd.DataFrame:
        """One row per draw: ``peak_year``, ``peak_value_t``, ``peaked``."""
        d = self.peak_draws
        return pd.DataFrame({"peak_year": d.year, "peak_value_t": d.value, "peaked": d.peaked},
                            index=pd.RangeIndex(len(d.year), name="draw"))

    def p_plateau(self) -> float:
        """Share of draws passing the plateau test."""
        mask = plateau_mask(self.metric_samples(), self.years,
                            until=int(self._peak_cfg("until", 2035)),
                            band=float(self._peak_cfg("band", 0.05)),
                            rule=str(self._peak_cfg("rule", "stable_then_declining")))
        return float(mask.mean())

    def bands(self, variable: str | None = None, q: Sequence[float] = _Q) -> pd.DataFrame:
        """Percentile bands by year of an emission metric (``co2``, ``co2e``, ``net_co2e``)
        or an output column (``tce``, ``tce_ce``, ... of ``OUTPUTS``) over the draws."""
        self._need_draws()
        variable = variable or self.metric
        values = (self.metric_samples(variable) if variable in METRICS
                  else self.samples[..., OUTPUTS.index(variable)])
        return percentile_bands(values, self.years, q=q)

    # ---- detail -------------------------------------------------------------------------------
    @cached_property
    def trajectory(self) -> pd.DataFrame:
        """Long table of every base-year row group by year: ``year, sector, activity, item,
        technology, gas, scope, variable, value, unit``. Variables: ``activity`` (the row's
        quantity in its unit), ``energy`` and ``energy_coal_equivalent`` (tce, signed by the
        row's role in the total), ``emissions`` (t of the gas) and ``co2e`` (t)."""
        rows, lines = self.model.ledger.rows, self.model.ledger.lines
        m = self.central["rows"][0]                      # (T, R)
        grid = np.broadcast_to(self.central["grid"][0], (self.years.size,))
        t = self.years.size
        keys = rows[["sector", "activity", "item", "technology"]]
        parts = []
        for variable, column, unit in (("activity", "value", None), ("energy", "tce", "tce"),
                                       ("energy_coal_equivalent", "tce_ce", "tce")):
            base = rows[column].to_numpy()
            keep = np.flatnonzero(base != 0) if variable != "activity" else np.arange(len(rows))
            frame = keys.iloc[np.tile(keep, t)].reset_index(drop=True)
            frame.insert(0, "year", np.repeat(self.years, keep.size))
            frame["gas"] = ""
            frame["scope"] = 0
            frame["variable"] = variable
            frame["value"] = (m[:, keep] * base[keep]).reshape(-1)
            frame["unit"] = rows["unit"].to_numpy()[np.tile(keep, t)] if unit is None else unit
            parts.append(frame)
        r = lines["row"].to_numpy()
        factor = np.where(lines["scope"].to_numpy()[None, :] == 2, grid[:, None], 1.0)
        for variable, column in (("emissions", "emissions_t"), ("co2e", "co2e_t")):
            frame = keys.iloc[np.tile(r, t)].reset_index(drop=True)
            frame.insert(0, "year", np.repeat(self.years, r.size))
            frame["gas"] = np.tile(lines["gas"].to_numpy(), t)
            frame["scope"] = np.tile(lines["scope"].to_numpy(), t)
            frame["variable"] = variable
            frame["value"] = (m[:, r] * factor * lines[column].to_numpy()).reshape(-1)
            frame["unit"] = "t"
            parts.append(frame)
        out = pd.concat(parts, ignore_index=True)
        for column in ("sector", "activity", "item", "technology", "gas", "variable", "unit"):
            out[column] = out[column].astype("category")
        return out

    @cached_property
    def sectors(self) -> pd.DataFrame:
        """By year and sector: activity level (in the unit of ``[sectors.<s>.activity]``),
        gross energy input (tce), energy intensity (tce per unit of activity) and CO2 (t,
        scope 1, excl. LULUCF)."""
        rows = self.model.ledger.rows
        m = self.central["rows"][0]
        w = self.model.weights
        inputs = np.isin(rows["activity"].to_numpy(), ("fuel_combustion", "non_energy_use",
                                                       "transformation_input",
                                                       "energy_consumption",
                                                       "purchased_energy"))
        gross = np.where(inputs, np.abs(rows["tce"].to_numpy()), 0.0)
        sector_codes, names = pd.factorize(rows["sector"])
        onehot = np.eye(len(names))[sector_codes]
        energy = (m * gross) @ onehot
        co2 = (m * w[:, OUTPUTS.index("co2_s1")]) @ onehot
        levels = {}
        for s in self.model.sectors:
            base = s.activity.base if isinstance(s.activity.base, float) else 1.0
            levels[s.name] = self.central["activity"][s.name][0] * base
        level = np.column_stack([levels.get(n, np.full(self.years.size, np.nan))
                                 for n in names])
        frame = pd.DataFrame({
            "year": np.repeat(self.years, len(names)), "sector": np.tile(names, self.years.size),
            "activity_level": level.reshape(-1), "energy_tce": energy.reshape(-1),
            "co2_t": co2.reshape(-1)})
        frame["energy_intensity"] = frame["energy_tce"] / frame["activity_level"]
        units = {s.name: self.spec.data.get("sectors", {}).get(s.name, {}).get(
            "activity", {}).get("unit", "index") for s in self.model.sectors}
        frame["activity_unit"] = frame["sector"].map(units).fillna("")
        return frame.set_index(["year", "sector"])

    @cached_property
    def power(self) -> pd.DataFrame:
        """The power balance by year in 10^8 kWh (thermal, renewables by technology,
        curtailed, imports, exports, demand, losses, own use) and ``grid_factor_t_per_mwh``
        (the regional factor used for scope 2) and ``local_grid_factor_t_per_mwh``."""
        balance = self.central["power"]
        if balance is None:
            return pd.DataFrame(index=pd.Index(self.years, name="year"))
        frame = pd.DataFrame({k: np.broadcast_to(v[0], (self.years.size,))
                              for k, v in balance.items() if k not in ("grid", "grid_factor")},
                             index=pd.Index(self.years, name="year")) / TJ_PER_YI_KWH
        frame.columns = [f"{c}_yi_kwh" for c in frame.columns]
        gf = np.broadcast_to(balance["grid_factor"][0], (self.years.size,))
        frame["grid_factor_t_per_mwh"] = gf
        power_rows = self.model.ledger.rows["sector"].to_numpy() == "power"
        w = self.model.weights[:, OUTPUTS.index("co2_s1")] * power_rows
        power_co2 = self.central["rows"][0] @ w
        renewable = sum(frame[c] for c in frame.columns if c.startswith("renewable_"))
        supply_mwh = (frame["thermal_yi_kwh"] + renewable + frame["imports_yi_kwh"]) * 1e5
        frame["local_grid_factor_t_per_mwh"] = (power_co2 + frame["imports_yi_kwh"] * 1e5 * gf
                                                ) / supply_mwh
        return frame

    # ---- top-down views -----------------------------------------------------------------------
    @property
    def stirpat_drivers(self) -> pd.DataFrame:
        """The scenario's STIRPAT drivers by year: ``P`` (population, as in ``[macro.population]``),
        ``A`` (GDP per person) and ``T`` (energy per unit of GDP, tce per unit of
        ``[macro.gdp]``), for :func:`carbonledger.scenario.stirpat.project_stirpat` with a model
        fitted on history in the same units (the top-down check on the bottom-up projection)."""
        if self.central["population"] is None:
            raise ScenarioSpecError("STIRPAT drivers need [macro.population] and [macro.gdp]",
                                    key="macro.population", fix="add both macro paths")
        pop = self._series(self.central["population"][0], "P")
        frame = pd.DataFrame({"P": pop, "A": self.gdp / pop,
                              "T": self.energy["total_tce"] / self.gdp})
        return frame

    def kaya(self, *, year0: int | None = None, yearT: int | None = None):
        """Kaya identity of the scenario (population, GDP, energy, the peak metric) and its LMDI
        decomposition between two years (:func:`carbonledger.scenario.decompose.kaya`)."""
        d = self.stirpat_drivers
        return kaya(d["P"], self.gdp, self.energy["total_tce"], self.series,
                    year0=year0, yearT=yearT)

    # ---- export -------------------------------------------------------------------------------
    def summary(self, *, by: int | None = None) -> dict:
        """The comparison row of this scenario (see :func:`compare_scenarios`)."""
        by = int(by or self._peak_cfg("by", 2030))
        s = self.series
        inten = self.intensity if self.central["gdp"] is not None else None
        row = {"scenario": self.name, "peak_year": self.peak_year,
               "peaked": self.peak.peaked, "peak_mt": self.peak_value / 1e6}
        for year in (by, int(self._peak_cfg("until", 2035))):
            row[f"{self.metric}_{year}_mt"] = float(s.get(year, np.nan)) / 1e6
        row[f"cumulative_{self.years[0]}_{self.years[-1]}_mt"] = float(s.sum()) / 1e6
        if inten is not None:
            for year in sorted({2025, by}):
                if year in inten.index:
                    row[f"energy_intensity_change_{year}"] = float(
                        inten.loc[year, "energy_intensity_change_vs_base"])
                    row[f"co2_intensity_change_{year}"] = float(
                        inten.loc[year, "co2_intensity_change_vs_base"])
        row[f"plateau_to_{int(self._peak_cfg('until', 2035))}"] = self.plateau.passed
        if self.draws:
            row[f"p_peak_by_{by}"] = self.p_peak_by(by)
            row["peak_year_p5"], row["peak_year_p50"], row["peak_year_p95"] = (
                float(v) for v in np.percentile(self.peak_draws.year, [5, 50, 95]))
            row["p_plateau"] = self.p_plateau()
        return row

    def to_iamc(self, *, model: str = "carbonledger", region: str | None = None,
                quantiles: Sequence[float] = ()) -> pd.DataFrame:
        """The trajectory in the IAMC long format: ``model, scenario, region, variable, unit,
        year, value``. Emissions in Mt CO2/yr (or Mt CO2-equiv/yr), energy in Mtce/yr,
        electricity in TWh/yr, GDP in billion CNY_<base year>/yr, population in million.
        ``quantiles`` (percent, with draws) adds ``<variable>|Quantile <q>`` rows of the
        peak metric."""
        region = region or self.spec.data.get("inventory", {}).get("region", "example city")
        e, en = self.emissions, self.energy
        series = {("Emissions|CO2", "Mt CO2/yr"): e["co2_t"] / 1e6,
                  ("Emissions|CO2|Direct", "Mt CO2/yr"): e["co2_scope1_t"] / 1e6,
                  ("Emissions|CO2|Indirect|Electricity Trade", "Mt CO2/yr"):
                      e["co2_scope2_t"] / 1e6,
                  ("Emissions|Kyoto Gases", "Mt CO2-equiv/yr"): e["co2e_t"] / 1e6,
                  ("Emissions|Kyoto Gases|LULUCF", "Mt CO2-equiv/yr"): e["lulucf_co2e_t"] / 1e6,
                  ("Final Energy|Total|Calorific", "Mtce/yr"): en["total_tce"] / 1e6,
                  ("Primary Energy|Coal Equivalent", "Mtce/yr"):
                      en["total_tce_coal_equivalent"] / 1e6,
                  ("Primary Energy|Coal", "Mtce/yr"): en["coal_tce"] / 1e6}
        by_sector = self.sectors["co2_t"].unstack("sector")
        for sector in by_sector.columns:
            series[(f"Emissions|CO2|Direct|{sector}", "Mt CO2/yr")] = by_sector[sector] / 1e6
        if self.central["power"] is not None:
            p = self.power
            for column in p.columns:
                if column.startswith("renewable_"):
                    tech = column.split("_")[1]
                    series[(f"Secondary Energy|Electricity|{tech}", "TWh/yr")] = p[column] / 10
            series[("Secondary Energy|Electricity|Thermal", "TWh/yr")] = p["thermal_yi_kwh"] / 10
        if self.central["gdp"] is not None:
            series[(f"GDP|Constant Prices {self.base_year}", f"billion CNY_{self.base_year}/yr")
                   ] = self.gdp / 10
        if self.central["population"] is not None:
            series[("Population", "million")] = self._series(self.central["population"][0],
                                                             "population") / 100
        if quantiles:
            bands = self.bands(q=quantiles)
            for q, column in zip(quantiles, bands.columns, strict=True):
                series[(f"Emissions|{self.metric.upper()}|Quantile {q:g}", "Mt CO2/yr")] = \
                    bands[column] / 1e6
        parts = [pd.DataFrame({"model": model, "scenario": self.name, "region": region,
                               "variable": v, "unit": u, "year": s.index.to_numpy(),
                               "value": s.to_numpy()}) for (v, u), s in series.items()]
        return pd.concat(parts, ignore_index=True)


def _resolve_spec(spec_or_path, overrides) -> ScenarioSpec:
    if isinstance(spec_or_path, (str, Path)) and not Path(spec_or_path).exists():
        raise ScenarioSpecError(f"scenario file {spec_or_path} does not exist",
                                key="<file>", file=str(spec_or_path),
                                fix="give the path of a scenario TOML (e.g. scenarios/"
                                "baseline.toml)")
    return load_spec(spec_or_path, overrides=overrides)


def _stable_key(names) -> list[int]:
    digest = hashlib.sha256("|".join(sorted(names)).encode("utf-8")).digest()
    return [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]


def _draw_values(model: Model, draws: int, seed: int) -> dict:
    """Draw every uncertain number with common random numbers.

    The numbers are split into groups linked by correlations; each group is drawn with its own
    stream ``SeedSequence([seed, *hash(group names)])``. So a number (or a correlated group)
    draws the same values in every scenario that has it under the same seed, and differences
    between scenarios are not sampling noise.
    """
    dists = model.distributions
    if not dists:
        return {}
    corr = {k: v for k, v in model.spec.correlations.items() if k[0] in dists and k[1] in dists}
    group = {name: {name} for name in dists}
    for a, b in corr:
        merged = group[a] | group[b]
        for name in merged:
            group[name] = merged
    values: dict = {}
    for members in {frozenset(g) for g in group.values()}:
        names = sorted(members)
        stream = np.random.SeedSequence([int(seed), *_stable_key(names)])
        pairs = {k: v for k, v in corr.items() if k[0] in members}
        values.update(draw({n: dists[n] for n in names}, draws, seed=stream,
                           correlations=pairs or None, years=model.years.size))
    return {name: values[name] for name in sorted(dists)}


def run_scenario(spec_or_path, *, draws: int = 0, seed: int | None = None,
                 overrides=None) -> ScenarioResult:
    """Project a scenario; with ``draws > 0`` also a seeded Monte Carlo run.

    Parameters
    ----------
    spec_or_path : path of a scenario TOML file, a mapping with the same structure, or a
        :class:`~carbonledger.scenario.spec.ScenarioSpec`.
    draws : number of Monte Carlo draws (0: the deterministic run only).
    seed : seed of the draws (an int >= 0). None draws a fresh seed and records it in
        ``result.seed``, so that the run can be repeated.
    overrides : tables merged on top of the spec (see :func:`load_spec`).

    Returns
    -------
    ScenarioResult

    Raises
    ------
    ScenarioSpecError
        A malformed spec (the message names the file, the key and the fix).
    """
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 0:
        raise ScenarioSpecError(f"draws must be an integer >= 0, got {draws!r}", key="draws",
                                fix="pass draws=0 (deterministic) or e.g. draws=1000")
    spec = _resolve_spec(spec_or_path, overrides)
    model = compile_model(spec)
    central = evaluate(model, central_resolver(model), keep_rows=True)
    if not draws:
        return ScenarioResult(spec.name, spec, model, central)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    values = _draw_values(model, int(draws), seed)
    if values:
        out = evaluate(model, Resolver(values, int(draws)))
        samples = out["outputs"]
        gdp = out["gdp"]
    else:
        samples = np.broadcast_to(central["outputs"], (int(draws),) + central["outputs"].shape[1:])
        gdp = central["gdp"]
    params = pd.DataFrame({a: (v if v.ndim == 1 else v.mean(axis=1)) for a, v in values.items()},
                          index=pd.RangeIndex(int(draws), name="draw"))
    if gdp is not None:
        gdp = np.broadcast_to(gdp, (int(draws), model.years.size))
    return ScenarioResult(spec.name, spec, model, central, int(draws), int(seed),
                          np.asarray(samples), gdp, params)


def monte_carlo(spec_or_path, *, draws: int = 1000, seed: int | None = None,
                overrides=None) -> ScenarioResult:
    """:func:`run_scenario` with Monte Carlo draws (default 1,000).

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"year": [2020], "sector": ["steel"], "activity":
    ...     ["fuel_combustion"], "item": ["coke"], "value": [10.0], "unit": ["wan_t"]})
    >>> spec = {"inventory": {"activity": rows, "base_year": 2020},
    ...         "years": {"start": 2020, "end": 2030},
    ...         "sectors": {"steel": {"activity": {"growth": {"dist": "normal", "mean": 0.0,
    ...                                                       "sd": 0.02}}}}}
    >>> a = monte_carlo(spec, draws=200, seed=3)
    >>> b = monte_carlo(spec, draws=200, seed=3)
    >>> bool((a.samples == b.samples).all()), a.draws
    (True, 200)
    """
    return run_scenario(spec_or_path, draws=draws, seed=seed, overrides=overrides)
