"""Inventory quality (IPCC 2006 Vol.1 Ch.3-6): uncertainty (Approach 1 error propagation and
Approach 2 Monte Carlo), key categories, time-series splicing, recalculations and QA/QC checks.

=================================  ===========================================================
function                           guideline
=================================  ===========================================================
:func:`uncertainty_approach1`      Vol.1 Ch.3 Eq. 3.1, 3.2, Table 3.2 (level and trend)
:func:`uncertainty_montecarlo`     Vol.1 Ch.3 Sec. 3.2.3.2 (Approach 2), correlated factors
:func:`key_categories`             Vol.1 Ch.4 Eq. 4.1-4.5 (level, trend; Approach 1 and 2)
:func:`splice`                     Vol.1 Ch.5 Sec. 5.3 (overlap, surrogate, interpolation,
                                   extrapolation), each filled value flagged
:func:`recalculation`              Vol.1 Ch.5 Sec. 5.2 (what changed and why)
:func:`qa_checks`                  Vol.1 Ch.6 Table 6.1, Vol.2 Ch.6 (reference approach)
=================================  ===========================================================

Examples
--------
>>> import pandas as pd, carbonledger as cl
>>> from carbonledger import quality
>>> rows = pd.DataFrame({"year": [2020, 2022], "sector": ["steel", "steel"],
...     "activity": ["fuel_combustion"] * 2, "item": ["raw_coal"] * 2,
...     "value": [100.0, 90.0], "unit": ["wan_t"] * 2})
>>> inv = cl.compute_inventory(rows)
>>> res = quality.uncertainty_approach1(inv)
>>> round(res.trend_pct, 1)
-10.0
>>> quality.qa_checks(inv).empty
True
"""

from ._inputs import (
    ACTIVITY_UNCERTAINTY_DEFAULTS,
    FACTOR_UNCERTAINTY_DEFAULTS,
    factor_uncertainty,
    split_factor_id,
)
from .checks import (
    CHECKS,
    FINDING_COLUMNS,
    check_completeness,
    check_implied_factors,
    check_jumps,
    check_reference_approach,
    check_sector_sums,
    qa_checks,
)
from .key_categories import key_categories
from .montecarlo import MonteCarloResult, uncertainty_montecarlo
from .recalculation import recalculation
from .timeseries import SPLICE_METHODS, splice
from .uncertainty import UncertaintyResult, uncertainty_approach1

__all__ = [
    "uncertainty_approach1", "uncertainty_montecarlo", "UncertaintyResult", "MonteCarloResult",
    "key_categories", "splice", "SPLICE_METHODS", "recalculation", "qa_checks", "CHECKS",
    "FINDING_COLUMNS", "check_implied_factors", "check_jumps", "check_completeness",
    "check_sector_sums", "check_reference_approach", "ACTIVITY_UNCERTAINTY_DEFAULTS",
    "FACTOR_UNCERTAINTY_DEFAULTS", "factor_uncertainty", "split_factor_id",
]
