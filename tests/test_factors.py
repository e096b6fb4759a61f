"""The factor library: provenance, integrity checks and lookups."""

import os
from pathlib import Path

import pytest

import carbonledger as cl
from carbonledger.errors import FactorFileError, MissingFactorError


def test_sources_list_provenance(lib):
    sources = lib.sources
    for column in ("source", "title", "edition", "publisher", "year", "license", "sha256"):
        assert column in sources.columns
    assert (sources["sha256"].str.len() == 64).all()
    ids = set(sources["source"])
    assert any(s.startswith("gbt2589/") for s in ids)
    assert "ipcc2006/2006" in ids
    assert any(s.startswith("china_provincial_2011/") for s in ids)


def test_every_table_has_a_sidecar_with_a_title(lib):
    assert (lib.sources["title"].str.len() > 10).all()


def test_factor_ids_name_source_edition_table_and_key(lib):
    factor = lib.get("ef", "natural_gas", gas="CH4", sector_group="energy_industries",
                     source="ipcc2006/2006")
    assert factor.factor_id.startswith("ipcc2006/2006:")
    assert factor.factor_id.count(":") == 2


def test_ipcc_defaults_with_ranges(lib):
    """IPCC 2006 Vol.2 Table 1.4: natural gas 56,100 kg CO2/TJ (54,300-58,300)."""
    factor = lib.get("ef", "natural_gas", gas="CO2", unit="kg/TJ", source="ipcc2006/2006")
    assert factor.value == 56100
    assert (factor.lower, factor.upper) == (54300, 58300)


def test_ch4_default_depends_on_the_sector(lib):
    """IPCC 2006 Vol.2 Tables 2.2 and 2.3: coal CH4 1 kg/TJ in energy industries, 10 in
    manufacturing industries and construction."""
    energy = lib.get("ef", "other_bituminous_coal", gas="CH4", sector_group="energy_industries")
    manufacturing = lib.get("ef", "other_bituminous_coal", gas="CH4",
                            sector_group="manufacturing_construction")
    assert (energy.value, manufacturing.value) == (1, 10)


def test_grid_factors_carry_their_purpose(lib):
    """MEE/NBS national average 2022: 0.5366 t CO2/MWh; ETS reporting factor 2022: 0.5703."""
    average = lib.get("grid_ef", "electricity", region="national", year=2022,
                      purpose="mee_nbs_average")
    ets = lib.get("grid_ef", "electricity", region="national", year=2022, purpose="ets")
    assert average.value == pytest.approx(0.5366)
    assert ets.value == pytest.approx(0.5703)


def test_ambiguous_lookup_asks_for_the_key(lib):
    with pytest.raises(MissingFactorError, match="purpose"):
        lib.get("grid_ef", "electricity", region="national", year=2022)


def test_missing_factor_lists_sources_searched(lib):
    with pytest.raises(MissingFactorError, match="sources searched: .*ipcc2006/2006"):
        lib.get("ncv", "unobtainium")


def test_gwp_sets():
    """IPCC SAR (1995) Table 2.9, AR4 WG1 Table 2.14, AR5 WG1 Table 8.A.1 (no cc feedback),
    AR6 WG1 Table 7.15."""
    assert cl.gwp("CH4", metric="SAR") == 21
    assert cl.gwp("N2O", metric="SAR") == 310
    assert cl.gwp("CH4", metric="AR4") == 25
    assert cl.gwp("SF6", metric="AR4") == 22800
    assert cl.gwp("CH4", metric="AR5") == 28
    assert cl.gwp("N2O", metric="AR5") == 265
    assert cl.gwp("CH4_fossil", metric="AR6") == pytest.approx(29.8)
    assert cl.gwp("CH4_non_fossil", metric="AR6") == pytest.approx(27.0)
    assert cl.gwp("N2O", metric="AR6") == 273


def test_unknown_gwp_set_lists_the_valid_ones():
    with pytest.raises(ValueError, match="AR4.*AR5.*AR6.*SAR"):
        cl.gwp("CH4", metric="AR7")


def test_edited_file_fails_its_checksum(factor_copy):
    path = next(factor_copy.glob("gbt2589/*/*.csv"))
    path.write_bytes(path.read_bytes().replace(b"0.7143", b"0.7144"))
    with pytest.raises(FactorFileError, match="sha256"):
        cl.load_factors(root=factor_copy)


def test_truncated_file_fails_its_checksum(factor_copy):
    path = next(factor_copy.glob("ipcc2006/2006/*.csv"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FactorFileError, match="edited or truncated"):
        cl.load_factors(root=factor_copy)


def _write_table(root: Path, text: str) -> Path:
    from carbonledger.factors import _rehash

    directory = root / "test_source" / "1"
    directory.mkdir(parents=True)
    csv = directory / "bad.csv"
    csv.write_text(text, encoding="utf-8")
    (directory / "bad.meta.toml").write_text(
        'title = "t"\npublisher = "p"\nyear = 2020\nedition = "1"\nlicense = "x"\nsha256 = ""\n',
        encoding="utf-8")
    _rehash([str(csv)])
    return csv


def test_non_number_names_file_line_and_column(tmp_path):
    _write_table(tmp_path, "item,parameter,value,unit\nraw_coal,ncv,20908,kJ/kg\n"
                 "coke,ncv,abc,kJ/kg\n")
    with pytest.raises(FactorFileError, match=r"bad.csv.*'value'.*line 3") as info:
        cl.load_factors(root=tmp_path)
    assert (info.value.line, info.value.column) == (3, "value")


def test_bad_unit_names_file_line_and_column(tmp_path):
    _write_table(tmp_path, "item,parameter,value,unit\nraw_coal,ncv,20908,kJ/kg\n"
                 "coke,ncv,1,kilojoules_per_kilogramm\n")
    with pytest.raises(FactorFileError, match=r"line 3: column 'unit'"):
        cl.load_factors(root=tmp_path)


def test_duplicate_keys_are_refused(tmp_path):
    _write_table(tmp_path, "item,parameter,value,unit\nraw_coal,ncv,1,kJ/kg\nraw_coal,ncv,2,kJ/kg\n")
    with pytest.raises(FactorFileError, match="duplicate"):
        cl.load_factors(root=tmp_path)


def test_source_ids_that_leave_the_library_are_refused():
    with pytest.raises(FactorFileError, match="leave"):
        cl.load_factors(prefer=["../../etc"])


def test_symlinked_file_outside_the_library_is_refused(tmp_path, factor_copy):
    outside = tmp_path / "outside.csv"
    outside.write_text("item,parameter,value,unit\nx,ncv,1,kJ/kg\n", encoding="utf-8")
    link_dir = factor_copy / "evil" / "1"
    link_dir.mkdir(parents=True)
    os.symlink(outside, link_dir / "stolen.csv")
    with pytest.raises(FactorFileError, match="leaves the factor directory"):
        cl.load_factors(root=factor_copy)


def test_preference_order_changes_the_winner(lib):
    ipcc_first = cl.load_factors(prefer=["ipcc2006/2006"])
    assert ipcc_first.prefer[0] == "ipcc2006/2006"
    assert ipcc_first.get("ef", "natural_gas", gas="CO2").source == "ipcc2006/2006"
