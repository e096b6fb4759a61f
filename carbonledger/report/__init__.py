"""Reports people read: the guideline-layout workbook, figures, a self-contained HTML report
and the IAMC export of scenarios."""

from .charts import energy_mix, gas_shares, key_category_pareto, reporting_years, target_progress
from .figures import emissions_by_sector, intensity_vs_target, save_figure
from .fonts import MissingFontWarning
from .html import render_html_report, write_html_report
from .iamc import from_iamc, to_iamc, write_iamc
from .scenario_charts import fan_chart, lmdi_waterfall, scenario_trajectories
from .workbook import write_workbook

__all__ = ["emissions_by_sector", "intensity_vs_target", "save_figure", "write_workbook",
           "write_html_report", "render_html_report", "gas_shares", "energy_mix",
           "key_category_pareto", "target_progress", "reporting_years", "fan_chart",
           "scenario_trajectories", "lmdi_waterfall", "to_iamc", "from_iamc", "write_iamc",
           "MissingFontWarning"]
