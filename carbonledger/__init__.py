"""carbonledger: carbon and energy accounting for inventories, targets and peak-carbon scenarios.

Examples
--------
>>> import carbonledger as cl
>>> round(cl.Q_(1, "wan_tce").to("GJ").magnitude)
293076
>>> cl.gwp("CH4", metric="AR5")
28.0
"""

__version__ = "0.1.0"

from . import enterprise, indicators, quality, scenario  # noqa: E402
from .activity import read_activity, validate_activity  # noqa: E402
from .balance import apparent_consumption, read_energy_balance  # noqa: E402
from .catalog import items, sectors  # noqa: E402
from .errors import (  # noqa: E402
    ActivityDataError,
    CarbonLedgerError,
    DataQualityWarning,
    FactorFallbackWarning,
    FactorFileError,
    MissingFactorError,
    ScenarioSpecError,
    UnitConversionError,
)
from .factors import FactorLibrary, load_factors  # noqa: E402
from .gwp import gwp, gwp_metrics, gwp_values  # noqa: E402
from .inventory import Inventory, compute_inventory  # noqa: E402
from .kinds import activity_kinds  # noqa: E402
from .scenario import (  # noqa: E402
    ScenarioResult,
    compare_scenarios,
    load_spec,
    monte_carlo,
    run_scenario,
)
from .units import Q_, convert, ureg  # noqa: E402

__all__ = [
    "__version__", "Q_", "ureg", "convert", "items", "sectors", "load_factors", "FactorLibrary",
    "gwp", "gwp_metrics", "gwp_values", "read_energy_balance", "apparent_consumption", "activity_kinds", "read_activity", "validate_activity",
    "compute_inventory", "Inventory", "indicators", "quality", "scenario", "run_scenario",
    "enterprise",
    "compare_scenarios", "monte_carlo", "load_spec", "ScenarioResult",
    "CarbonLedgerError", "ActivityDataError", "MissingFactorError", "UnitConversionError",
    "FactorFileError", "ScenarioSpecError", "FactorFallbackWarning", "DataQualityWarning",
]
