"""The end-to-end demo on the bundled example city (``carbonledger demo``).

It accounts the synthetic Jiayuguan-like city for 2015-2025, computes its energy totals (both
electricity methods), energy and CO2 intensity on constant 2020-price GDP, checks them against
the Gansu energy-intensity target (-12.5 % 2025 vs 2020, 甘政发〔2022〕41号) and the national
CO2-intensity target (-18 %, a placeholder: Gansu publishes no number), and writes tables (CSV
and XLSX) and figures (PNG and SVG).
"""

from __future__ import annotations

import warnings
from importlib import resources
from pathlib import Path

import pandas as pd

from . import indicators
from .cli import Progress
from .errors import FactorFallbackWarning
from .inventory import compute_inventory
from .output import atomic_write, write_csv
from .quality import key_categories
from .report import (
    emissions_by_sector,
    energy_mix,
    gas_shares,
    intensity_vs_target,
    key_category_pareto,
    save_figure,
    write_html_report,
)

__all__ = ["example_dir", "run_demo", "city_indicators"]


def example_dir() -> Path:
    """The example city's folder: inside the installed wheel, else the repository's."""
    packaged = Path(str(resources.files("carbonledger"))) / "examples" / "city"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "examples" / "city"


def city_indicators(inv, gdp: pd.DataFrame) -> pd.DataFrame:
    """Energy, emissions, GDP (constant 2020 prices) and intensities by year.

    CO2 intensity uses energy-related CO2 (fuel combustion and fugitive CO2, plus net scope 2
    of imported electricity), the basis of China's CO2-intensity targets; energy intensity uses
    total energy consumption (calorific electricity).
    """
    energy = inv.energy_totals()
    equivalent = inv.energy_totals(method="coal_equivalent")
    totals = inv.totals().reindex(energy.index)
    by_sector = inv.summary(by=["year", "ipcc_sector", "gas", "scope"], value="emissions_t")
    energy_co2 = by_sector.xs(("energy", "CO2"), level=("ipcc_sector", "gas"))[
        "emissions_t"].groupby(level="year").sum().reindex(energy.index)
    gdp = gdp.set_index("year")
    real = indicators.constant_price_gdp(gdp["gdp_nominal_yi_yuan"], gdp["real_growth_pct"],
                                         base_year=2020, growth="auto")
    frame = pd.DataFrame({
        "energy_wan_tce": energy["total_tce"] / 1e4,
        "energy_coal_equivalent_wan_tce": equivalent["total_tce"] / 1e4,
        "energy_under_control_wan_tce": energy["total_under_control_tce"] / 1e4,
        "coal_share": energy["coal_share"],
        "non_fossil_share_coal_equivalent": equivalent["non_fossil_share"],
        "scope1_co2e_wan_t": totals["scope1_co2e_t"] / 1e4,
        "scope2_co2e_wan_t": totals["scope2_co2e_t"] / 1e4,
        "energy_co2_wan_t": energy_co2 / 1e4,
        "gdp_2020_prices_yi_yuan": real,
    })
    frame["energy_intensity_tce_per_wan_yuan"] = indicators.intensity(
        frame["energy_wan_tce"], real, numerator_unit="wan_tce", gdp_unit="yi_yuan",
        out_unit="tce/wan_yuan")
    frame["co2_intensity_t_per_wan_yuan"] = indicators.intensity(
        frame["energy_co2_wan_t"], real, numerator_unit="wan_t",
        gdp_unit="yi_yuan", out_unit="t/wan_yuan")
    frame.index.name = "year"
    return frame


def scenario_dir() -> Path:
    """The shipped scenario files: inside the installed wheel, else the repository's."""
    packaged = Path(str(resources.files("carbonledger"))) / "scenarios"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "scenarios"


def stirpat_history(inv, gdp: pd.DataFrame) -> pd.DataFrame:
    """The city's history in the units of the scenarios' STIRPAT drivers: ``C`` CO2 (scope 1
    of all sectors except land use, plus net scope 2; t), ``P`` resident population (10^4),
    ``A`` GDP at 2020 prices per person (10^8 yuan per 10^4 persons), ``T`` energy per GDP
    (tce per 10^8 yuan)."""
    table = city_indicators(inv, gdp)
    population = gdp.set_index("year")["population_resident_wan"]
    co2 = inv.summary(by=["year", "ipcc_sector", "gas"], value="emissions_t")["emissions_t"]
    co2 = co2.xs("CO2", level="gas").drop("lulucf", level="ipcc_sector", errors="ignore")
    real_gdp = table["gdp_2020_prices_yi_yuan"]
    history = pd.DataFrame({"C": co2.groupby(level="year").sum(), "P": population,
                            "A": real_gdp / population,
                            "T": table["energy_wan_tce"] * 1e4 / real_gdp})
    return history.dropna()


def run_scenarios(out: Path, *, draws: int, seed: int = 1, history=None) -> tuple[object, dict]:
    """Run every shipped scenario with Monte Carlo draws; write the comparison, the IAMC
    export and the figures (trajectories, fan charts, LMDI waterfall, tornado)."""
    from .scenario import compare_scenarios
    from .scenario.explain import decompose
    from .scenario.figures import fan_chart, lmdi_waterfall, tornado_chart
    from .scenario.sensitivity import sensitivity

    files = sorted(scenario_dir().glob("*.toml"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FactorFallbackWarning)  # the inventory lists them
        comparison = compare_scenarios(files, draws=draws, seed=seed)
    written: dict[str, Path] = {}
    table = comparison.table
    written["scenario comparison"] = write_csv(out / "scenarios" / "comparison.csv",
                                               table.reset_index())
    iamc = comparison.to_iamc()
    written["IAMC export"] = atomic_write(out / "scenarios" / "scenarios_iamc.csv",
                                          lambda p: iamc.to_csv(p, index=False))
    written["trajectories figure"] = save_figure(comparison.figure(),
                                                 out / "scenarios" / "trajectories")[0]
    if history is not None:
        top_down, model = comparison.top_down(history)
        top_down.attrs["model"] = model.summary()
        written["STIRPAT top-down"] = write_csv(out / "scenarios" / "stirpat_top_down.csv",
                                                top_down)
        comparison.table["stirpat_2030_mt"] = (
            top_down[top_down["year"] == 2030].set_index("scenario")["top_down_t"] / 1e6)
    results = {r.name: r for r in comparison.results}
    for name in ("baseline", "peak_before_2030"):
        if name in results:
            written[f"{name} fan chart"] = save_figure(
                fan_chart(results[name]), out / "scenarios" / f"{name}_fan")[0]
    if {"baseline", "peak_before_2030"} <= set(results):
        effects = decompose(results["peak_before_2030"], against=results["baseline"],
                            year=2030)
        written["LMDI waterfall"] = save_figure(
            lmdi_waterfall(effects, title="2030: peak_before_2030 vs baseline (LMDI)"),
            out / "scenarios" / "lmdi_2030_vs_baseline")[0]
        sens = sensitivity(results["baseline"])
        written["tornado"] = save_figure(tornado_chart(sens), out / "scenarios" / "tornado")[0]
    return comparison, written


def run_demo(out, *, quiet: bool = False, scenario_draws: int = 500) -> dict[str, Path]:
    """Run the demo and write its outputs into ``out``; returns the written paths by name."""
    out = Path(out)
    source = example_dir()
    progress = Progress(8, quiet=quiet)
    progress(f"accounting the example city ({source}: activity.csv, activity_sectors.csv)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FactorFallbackWarning)  # listed below and in a file
        inv = compute_inventory([source / "activity.csv", source / "activity_sectors.csv"],
                                gwp="AR5")
    fallbacks = inv.manifest()["fallbacks"]
    gdp = pd.read_csv(source / "gdp.csv")
    progress("energy totals, intensities and targets")
    table = city_indicators(inv, gdp)
    tracks = {
        "energy intensity": indicators.track_target(
            table["energy_intensity_tce_per_wan_yuan"], base_year=2020, target_year=2025,
            target_change=-0.125, name="energy intensity (Gansu target, 甘政发〔2022〕41号)",
            unit="tce/10^4 yuan"),
        "CO2 intensity": indicators.track_target(
            table["co2_intensity_t_per_wan_yuan"], base_year=2020, target_year=2025,
            target_change=-0.18, name="CO2 intensity (national -18 %; placeholder, not Gansu)",
            unit="t/10^4 yuan"),
    }
    progress(f"writing tables to {out}")
    written: dict[str, Path] = {}
    inv.to_csv(out / "inventory")
    written["inventory tables"] = out / "inventory"
    text = "\n".join(fallbacks) + "\n"
    atomic_write(out / "inventory" / "fallbacks.txt", lambda p: p.write_text(text, "utf-8"))
    written["workbook"] = inv.to_excel(out / "inventory.xlsx")
    for name, frame in (("provincial_summary", inv.provincial_summary(unit="wan_t")),
                        ("methane", inv.methane()), ("sinks", inv.sinks())):
        written[name] = write_csv(out / f"{name}.csv", frame.reset_index())
    written["indicators"] = write_csv(out / "indicators.csv", table.reset_index())
    targets = pd.concat([t.to_frame().assign(indicator=k) for k, t in tracks.items()])
    written["targets"] = write_csv(out / "targets.csv", targets)
    progress("drawing figures")
    by_sector = inv.summary(by=["year", "sector"]).reset_index()
    by_sector = by_sector[by_sector["year"] >= 2015]
    figure = emissions_by_sector(by_sector, title="Example city: emissions by sector "
                                 "(all gases, scope 1 + net scope 2, AR5)")
    written["emissions figure"] = save_figure(figure, out / "emissions_by_sector")[0]
    for key, column, unit in (("energy intensity", "energy_intensity_tce_per_wan_yuan",
                               "tce per 10^4 yuan (2020 prices)"),
                              ("CO2 intensity", "co2_intensity_t_per_wan_yuan",
                               "t CO2 per 10^4 yuan (2020 prices)")):
        track = tracks[key]
        figure = intensity_vs_target(table[column], base_year=2020, target_year=2025,
                                     target_change=track.target_change, unit=unit,
                                     title=f"Example city: {key} vs target path")
        name = key.replace(" ", "_").lower() + "_vs_target"
        written[f"{key} figure"] = save_figure(figure, out / name)[0]
    latest = int(table.index.max())
    written["gas shares figure"] = save_figure(gas_shares(inv), out / "gas_shares")[0]
    written["energy mix figure"] = save_figure(energy_mix(inv), out / "energy_mix")[0]
    keys = key_categories(inv, year=latest, base_year=2015)
    written["key categories"] = write_csv(out / "key_categories.csv", keys)
    written["key-category figure"] = save_figure(key_category_pareto(keys),
                                                 out / "key_categories")[0]
    progress(f"running the {len(list(scenario_dir().glob('*.toml')))} shipped scenarios with "
             f"{scenario_draws} Monte Carlo draws each")
    comparison, scenario_written = run_scenarios(out, draws=scenario_draws,
                                                 history=stirpat_history(inv, gdp))
    written.update(scenario_written)
    progress("enterprise ledger: a synthetic province of 300 facilities")
    from . import enterprise

    section = enterprise.demo_section(out / "enterprise")
    for name, path in section["paths"].items():
        written[f"enterprise {name}"] = path
    progress("writing the HTML report")
    written["HTML report"] = write_html_report(
        out / "report.html", inventory=inv, indicators_table=table, targets=tracks,
        scenarios=comparison, title="Example city (synthetic): carbon and energy report "
        "示例城市碳排放与能源报告")
    progress("done")
    if not quiet:
        _print_report(inv, table, tracks, fallbacks, written)
        _print_scenarios(comparison.table, scenario_draws)
        print("\nEnterprise ledger (synthetic province):\n" + section["summary"])
    return written


def _print_scenarios(table: pd.DataFrame, draws: int) -> None:
    columns = {"peak_year": "peak year", "peak_mt": "peak Mt CO2", "co2_2030_mt": "2030 Mt",
               "co2_2035_mt": "2035 Mt", "stirpat_2030_mt": "2030 Mt (STIRPAT)",
               "cumulative_2020_2060_mt": "2020-60 Mt",
               "co2_intensity_change_2030": "CO2/GDP 2030 vs 2020",
               "p_peak_by_2030": "P(peak<=2030)", "p_plateau": "P(stable->decline 2035)"}
    shown = table[[c for c in columns if c in table.columns]].rename(columns=columns)
    print(f"\nScenarios (CO2, scope 1 + net scope 2; {draws} Monte Carlo draws each):")
    with pd.option_context("display.width", 200, "display.float_format", "{:,.2f}".format):
        print(shown.to_string())
    years = set(table["peak_year"]) if "peak_year" in table.columns else set()
    if len(years) == 1:
        print(f"Every pathway peaks in {years.pop()}; they differ in how fast emissions fall "
              "after the peak (see scenarios/trajectories.png).")


def _print_report(inv, table, tracks, fallbacks, written) -> None:
    print("\nExample city (synthetic, Jiayuguan-like; see examples/city/README.md)")
    print(f"{inv.input_rows} activity rows, {len(inv.activity)} accounted, "
          f"{len(inv.rejected)} rejected; GWP {inv.gwp}\n")
    shown = table[["energy_wan_tce", "scope1_co2e_wan_t", "scope2_co2e_wan_t",
                   "gdp_2020_prices_yi_yuan", "energy_intensity_tce_per_wan_yuan",
                   "co2_intensity_t_per_wan_yuan"]]
    shown.columns = ["energy 10^4 tce", "scope1 10^4 t CO2e", "scope2 10^4 t CO2e",
                     "GDP 10^8 yuan (2020)", "tce/10^4 yuan", "t CO2/10^4 yuan"]
    with pd.option_context("display.width", 140, "display.float_format", "{:,.2f}".format):
        print(shown.to_string())
    latest = int(table.index.max())
    summary = inv.provincial_summary(year=latest, unit="wan_t").loc[latest]
    print(f"\nGreenhouse-gas inventory {latest} (10^4 t of each gas; F-gases and totals in "
          "10^4 t CO2e):")
    with pd.option_context("display.width", 160, "display.float_format", "{:,.2f}".format):
        print(summary[["CO2", "CH4", "N2O", "PFCs_co2e", "SF6_co2e", "total_co2e"]]
              .to_string())
    methane = inv.methane(year=latest).droplevel("year")
    print(f"\nMethane {latest} by source (t CH4, share):")
    for (sector, source_name), row in methane.iterrows():
        print(f"  {source_name:32s} {sector:12s} {row['ch4_t']:>12,.0f}  {row['share']:6.1%}")
    sinks = inv.sinks(year=latest).droplevel("year")
    total = sinks.loc["3.B (total)"]
    print(f"\nLand use {latest} (t CO2): gross removals {total['removals_t_co2e']:,.0f}, gross "
          f"emissions {total['emissions_t_co2e']:,.0f}, net {total['net_t_co2e']:,.0f}")
    sources = sinks[(sinks["net_t_co2e"] > 0) & (sinks.index != "3.B (total)")]
    for category, row in sources.iterrows():
        print(f"  source: {category} {row['name']} (+{row['net_t_co2e']:,.0f} t CO2)")
    for track in tracks.values():
        print("\n" + str(track))
    if fallbacks:
        print(f"\nFactor fallbacks ({len(fallbacks)} years or regions without a published "
              "factor used the nearest published one), e.g.:")
        for message in fallbacks[:3]:
            print(f"  - {message}")
        print("  (all of them are listed in inventory/fallbacks.txt)")
    print("\nWritten:")
    for name, path in written.items():
        print(f"  {name:24s} {Path(path).resolve()}")
