"""Bad input raises one typed error naming every offending row; nothing is written."""

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

import carbonledger as cl
from carbonledger.activity import read_activity
from carbonledger.errors import ActivityDataError, UnitConversionError
from tests.conftest import rows

GOOD = (2022, "steel", "fuel_combustion", "raw_coal", 10.0, "wan_t")


def test_chinese_item_names_are_accepted():
    inv = cl.compute_inventory(rows((2022, "steel", "fuel_combustion", "原煤", 1.0, "万吨")))
    assert inv.activity["item"].tolist() == ["raw_coal"]


def test_missing_column_is_named():
    frame = rows(GOOD).drop(columns="unit")
    with pytest.raises(ActivityDataError, match=r"lacks column\(s\) \['unit'\]"):
        cl.compute_inventory(frame)


def test_unknown_unit_names_rows_and_suggests():
    frame = rows(GOOD, (2022, "power", "fuel_combustion", "raw_coal", 1.0, "wan_tt"))
    with pytest.raises(UnitConversionError, match="did you mean 'wan_t'") as info:
        cl.compute_inventory(frame)
    assert info.value.rows == [1]


def test_unknown_fuel_names_rows_and_suggests():
    frame = rows(GOOD, (2022, "power", "fuel_combustion", "raw_cole", 1.0, "t"))
    with pytest.raises(ActivityDataError, match="'raw_cole' -> 'raw_coal'") as info:
        cl.compute_inventory(frame)
    assert info.value.rows == [1]


def test_negative_quantity_is_refused():
    frame = rows(GOOD, (2022, "power", "fuel_combustion", "coke", -5.0, "t"))
    with pytest.raises(ActivityDataError, match="negative quantity") as info:
        cl.compute_inventory(frame)
    assert info.value.rows == [1]


def test_nan_inf_and_text_are_listed_in_one_error():
    frame = rows(*[(2022, "steel", "fuel_combustion", f, 1.0, "t") for f in
                   ("raw_coal", "coke", "diesel", "gasoline", "fuel_oil", "lpg", "crude_oil")])
    frame["value"] = pd.Series([1.0, np.nan, "12 t", np.inf, 2.0, "n/a", -np.inf], dtype=object)
    with pytest.raises(ActivityDataError, match="text, NaN or infinity") as info:
        cl.compute_inventory(frame)
    assert info.value.rows == [1, 2, 3, 5, 6]
    assert "rows 1, 2, 3, 5, 6" in str(info.value)


def test_duplicate_rows_are_refused():
    frame = rows(GOOD, GOOD)
    with pytest.raises(ActivityDataError, match="duplicate rows") as info:
        cl.compute_inventory(frame)
    assert info.value.rows == [0, 1]


def test_mixed_units_in_one_item_are_refused():
    frame = rows(GOOD, (2022, "power", "fuel_combustion", "raw_coal", 1.0, "t"))
    with pytest.raises(ActivityDataError, match="mixed units.*raw_coal in wan_t.*raw_coal in t"):
        cl.compute_inventory(frame)
    inv = cl.compute_inventory(frame, allow_mixed_units=True)
    assert len(inv.activity) == 2


def test_coal_in_cubic_metres_is_refused():
    frame = rows((2022, "steel", "fuel_combustion", "raw_coal", 1.0, "m3"))
    with pytest.raises(UnitConversionError, match="raw_coal.*density"):
        cl.compute_inventory(frame)


def test_unknown_gwp_set_lists_valid_sets():
    with pytest.raises(ValueError, match="unknown GWP set 'AR9'.*AR5"):
        cl.compute_inventory(rows(GOOD), gwp="AR9")


def test_collect_mode_keeps_every_row():
    frame = rows(GOOD, (2022, "power", "fuel_combustion", "raw_cole", 1.0, "t"),
                 (2022, "power", "fuel_combustion", "coke", -1.0, "t"))
    inv = cl.compute_inventory(frame, on_error="collect")
    assert sorted(inv.activity.index.tolist() + inv.rejected.index.tolist()) == [0, 1, 2]
    assert inv.rejected["reason"].str.contains("unknown item").sum() == 1
    assert inv.manifest()["rejected_rows"] == 2


def test_csv_rows_are_named_by_file_line(tmp_path):
    path = tmp_path / "activity.csv"
    rows(GOOD, (2022, "power", "fuel_combustion", "coke", -1.0, "t")).to_csv(path, index=False)
    with pytest.raises(ActivityDataError, match="row 3"):
        cl.compute_inventory(path)


def _workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["year", "sector", "activity", "item", "value", "unit"])
    ws.append([2022, "steel", "fuel_combustion", "raw_coal", 10, "t"])
    ws.append([2022, "steel", "fuel_combustion", "coke", "=B2*2", "t"])
    wb.save(path)


def test_xlsx_formula_without_cached_value_is_refused(tmp_path):
    """openpyxl writes no cached value for a formula; pandas would silently read NaN."""
    path = tmp_path / "activity.xlsx"
    _workbook(path)
    with pytest.raises(ActivityDataError, match=r"formula cells without a cached value.*E3"):
        read_activity(path)


def test_xlsx_reads_plain_values(tmp_path):
    path = tmp_path / "activity.xlsx"
    rows(GOOD).to_excel(path, index=False)
    frame = read_activity(path)
    assert frame["value"].tolist() == [10.0]
    assert frame.index.tolist() == [2]


def test_xlsx_with_entity_declarations_is_refused(tmp_path):
    """A 'billion laughs' workbook: defusedxml (installed with carbonledger) refuses it."""
    good = tmp_path / "good.xlsx"
    rows(GOOD).to_excel(good, index=False)
    evil = tmp_path / "evil.xlsx"
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(evil, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                text = bomb + text[text.index("?>") + 2:] if text.startswith("<?xml") else \
                    bomb + text
                data = text.encode("utf-8")
            target.writestr(info, data)
    with pytest.raises(ActivityDataError, match="declares XML entities"):
        read_activity(evil)


def test_xlsx_zip_bomb_is_refused_before_parsing(tmp_path):

    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 5_000_000 + b"</a>")
    with pytest.raises(ActivityDataError, match="zip bomb"):
        read_activity(path)


def test_bad_input_writes_nothing(tmp_path):
    from carbonledger.cli import main

    source = tmp_path / "bad.csv"
    rows(GOOD, (2022, "power", "fuel_combustion", "coke", float("nan"), "t")).to_csv(
        source, index=False)
    out = tmp_path / "out"
    assert main(["--quiet", "inventory", str(source), "--out", str(out)]) == 2
    assert not out.exists() or not any(out.iterdir())
