"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.factors import factors_root


@pytest.fixture(scope="session")
def lib():
    return cl.load_factors()


@pytest.fixture()
def factor_copy(tmp_path) -> Path:
    """A writable copy of the bundled factor library."""
    target = tmp_path / "factors"
    shutil.copytree(factors_root(), target)
    return target


def rows(*records, **columns) -> pd.DataFrame:
    """Activity rows from tuples (year, sector, activity, item, value, unit)."""
    frame = pd.DataFrame(list(records), columns=["year", "sector", "activity", "item", "value",
                                                 "unit"])
    for name, values in columns.items():
        frame[name] = values
    return frame
