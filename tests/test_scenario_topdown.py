"""STIRPAT as a top-down check alongside the bottom-up scenarios."""

import warnings

import numpy as np
import pytest

import carbonledger as cl
from carbonledger.demo import scenario_dir


@pytest.fixture(scope="module")
def comparison():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cl.FactorFallbackWarning)
        return cl.compare_scenarios([scenario_dir() / "baseline.toml",
                                     scenario_dir() / "renewables.toml"])


def test_top_down_on_own_history_tracks_the_baseline(comparison):
    """Fitted on the baseline's own 2020-2035 path, STIRPAT projects the next five years under
    the baseline's drivers within 5 % of the bottom-up path (constant elasticities drift
    apart further out), and the lower-energy renewables pathway lands lower."""
    base = comparison.results[0]
    history = base.stirpat_drivers.loc[2020:2035].assign(C=base.series.loc[2020:2035])
    frame, model = comparison.top_down(history)
    assert frame["year"].min() == 2036
    own = frame[(frame["scenario"] == "baseline") & (frame["year"] <= 2040)]
    assert np.all(np.abs(own["top_down_over_bottom_up"] - 1) < 0.05)
    at_2040 = frame[frame["year"] == 2040].set_index("scenario")["top_down_t"]
    assert at_2040["renewables"] < at_2040["baseline"]
    assert model.alpha > 0
