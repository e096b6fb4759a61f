"""Out-of-core (Parquet/CSV batches) and dask paths give the in-memory result (1e-9)."""

import warnings

import numpy as np
import pytest

import carbonledger as cl
from carbonledger import enterprise
from carbonledger.enterprise import synthetic

NUMERIC = ["total_co2e_t", "direct_co2e_t", "indirect_co2e_t", "energy_tce", "output",
           "combustion_co2_t", "rows", "rows_conservative_default", "rows_measured",
           "rows_gap_filled"]


@pytest.fixture(scope="module")
def data():
    rows = synthetic.facility_rows(12_000, seed=11, years=(2021, 2022), measured_share=0.5)
    return rows.sample(frac=1.0, random_state=3).reset_index(drop=True)  # any row order


@pytest.fixture(scope="module")
def expected(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cl.FactorFallbackWarning)
        return enterprise.compute(data).table


def same(result, expected):
    assert len(result) == len(expected)
    result = result.sort_values(["facility", "year"]).reset_index(drop=True)
    expected = expected.sort_values(["facility", "year"]).reset_index(drop=True)
    assert result["facility"].tolist() == expected["facility"].tolist()
    for column in NUMERIC:
        np.testing.assert_allclose(result[column].fillna(0), expected[column].fillna(0),
                                   rtol=1e-9, atol=1e-9, err_msg=column)


def test_parquet_folder_in_small_batches_equals_in_memory(data, expected, tmp_path):
    half = len(data) // 2
    synthetic.write_parquet(data.iloc[:half], tmp_path / "a.parquet", row_group_rows=1000)
    synthetic.write_parquet(data.iloc[half:], tmp_path / "b.parquet", row_group_rows=1000)
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cl.FactorFallbackWarning)
        result = enterprise.compute(tmp_path, chunk_rows=2500,
                                    progress=lambda done, total: seen.append(done))
    same(result.table, expected)
    assert seen[-1] == len(data) and len(seen) >= 4
    assert result.input_rows == len(data)


def test_csv_file_equals_in_memory(data, expected, tmp_path):
    path = tmp_path / "rows.csv"
    data.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cl.FactorFallbackWarning)
        result = enterprise.compute(path, chunk_rows=5000)
    same(result.table, expected)


def test_parquet_rejected_rows_are_named_by_file_and_row(tmp_path):
    rows = synthetic.facility_rows(300, seed=2)
    rows["item"] = rows["item"].cat.add_categories(["unobtainium"])
    rows.loc[5, "item"] = "unobtainium"
    synthetic.write_parquet(rows, tmp_path / "x.parquet")
    res = enterprise.compute(tmp_path / "x.parquet", on_error="collect")
    assert res.rejected["row"].tolist() == ["x.parquet:5"]


def test_dask_local_cluster_equals_in_memory():
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    data = synthetic.facility_rows(2500, seed=4, years=(2022,), measured_share=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cl.FactorFallbackWarning)
        expected = enterprise.compute(data).table
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster):
            result = enterprise.compute(dd.from_pandas(data, npartitions=2))
    same(result.table, expected)
    assert result.input_rows == len(data)
