"""Shared fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.factors import factors_root
from carbonledger.kinds import get_kind


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


def run_kind(kind: str, items, values, lib, *, sector: str, unit: str = "t", index=None,
             **columns) -> pd.DataFrame:
    """Call one kind's ``compute`` on rows already in the kind's unit (as the inventory does):
    one row per item, ``year`` 2020, the given ``sector``; extra ``columns`` by name."""
    frame = pd.DataFrame(
        {
            "year": 2020,
            "sector": sector,
            "activity": kind,
            "item": pd.Categorical(items),
            "value": np.asarray(values, dtype=float),
            "unit": unit,
        },
        index=index if index is not None else range(len(items)),
    )
    for name, column in columns.items():
        frame[name] = column
    return get_kind(kind).compute(frame, lib)


def gas_t(result: pd.DataFrame, name: str) -> np.ndarray:
    """The ``emissions_t`` of one gas in a kind's long result frame."""
    return result.loc[result["gas"] == name, "emissions_t"].to_numpy()

