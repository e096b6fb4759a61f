"""The command line, end to end on the example city in a temporary folder."""

import pandas as pd
import pytest

from carbonledger.cli import main
from carbonledger.demo import example_dir


def test_demo_writes_tables_and_figures(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["--quiet", "demo", "--out", str(out), "--draws", "50"]) == 0
    for name in ("inventory.xlsx", "indicators.csv", "targets.csv", "emissions_by_sector.png",
                 "energy_intensity_vs_target.png", "co2_intensity_vs_target.svg",
                 "inventory/table.csv", "inventory/manifest.json", "scenarios/comparison.csv",
                 "scenarios/trajectories.png", "scenarios/peak_before_2030_fan.png",
                 "scenarios/scenarios_iamc.csv", "report.html", "key_categories.png"):
        assert (out / name).is_file(), name
    indicators = pd.read_csv(out / "indicators.csv").set_index("year")
    assert indicators.loc[2020, "energy_intensity_tce_per_wan_yuan"] > 0
    assert (out / "emissions_by_sector.png").stat().st_size > 10_000


def test_inventory_command(tmp_path, capsys):
    out = tmp_path / "inv"
    assert main(["--quiet", "inventory", str(example_dir() / "activity.csv"), "--out",
                 str(out)]) == 0
    printed = capsys.readouterr().out
    assert "646 rows read, 646 accounted, 0 rejected" in printed
    assert (out / "inventory.xlsx").is_file()


def test_factors_list_and_show(capsys):
    assert main(["factors", "list"]) == 0
    assert "gbt2589/2008" in capsys.readouterr().out
    assert main(["factors", "show", "gbt2589/2008"]) == 0
    assert "raw_coal|tce_coefficient" in capsys.readouterr().out


def test_user_error_exits_2_without_traceback(tmp_path, capsys):
    assert main(["factors", "show", "nonexistent"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("carbonledger: error:") and "Traceback" not in err


def test_scenario_compare_command(tmp_path, capsys):
    from carbonledger.demo import scenario_dir

    out = tmp_path / "sc"
    specs = [str(scenario_dir() / "baseline.toml"), str(scenario_dir() / "renewables.toml")]
    assert main(["--quiet", "scenario", "compare", *specs, "--draws", "20", "--out",
                 str(out)]) == 0
    table = pd.read_csv(out / "comparison.csv").set_index("scenario")
    assert table.loc["renewables", "co2_2030_mt"] < table.loc["baseline", "co2_2030_mt"]
    assert (out / "baseline_fan.png").is_file()


def test_check_command_reports_rejected_rows(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"year": [2022, 2022], "sector": ["steel", "steel"],
                  "activity": ["fuel_combustion"] * 2, "item": ["raw_coal", "coke"],
                  "value": [1.0, -1.0], "unit": ["t", "t"]}).to_csv(bad, index=False)
    assert main(["--quiet", "check", str(bad), "--out", str(tmp_path / "c")]) == 1
    printed = capsys.readouterr().out
    assert "1 can be accounted, 1 cannot" in printed
    assert "negative quantity" in printed


def test_report_command_writes_html(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["--quiet", "report", str(example_dir() / "activity.csv"),
                 str(example_dir() / "activity_sectors.csv"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "<table" in text and "data:image/png;base64" in text
    assert "Methane" in text


def test_enterprise_demo_and_compute(tmp_path, capsys):
    out = tmp_path / "ent"
    assert main(["--quiet", "enterprise", "demo", "--out", str(out)]) == 0
    assert "facilities" in capsys.readouterr().out
    emissions = pd.read_csv(out / "enterprise_facility_emissions.csv")
    assert len(emissions) > 100
    assert (out / "enterprise_allocation.csv").is_file()


def test_help_has_examples(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "carbonledger demo --out" in capsys.readouterr().out
