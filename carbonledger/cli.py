"""The ``carbonledger`` command line: a thin layer over the public functions.

User errors (bad input, unknown unit, missing factor) print one clear message and exit with
code 2, without a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from .errors import CarbonLedgerError

EPILOG = """examples:
  carbonledger demo --out demo-output
  carbonledger inventory examples/city/activity.csv --out results --gwp AR5
  carbonledger scenario compare scenarios/ --draws 1000 --out scenario-results
  carbonledger report examples/city/activity.csv --out report.html
  carbonledger enterprise demo --out enterprise-demo
  carbonledger check examples/city/activity.csv
  carbonledger factors list
  carbonledger factors show gbt2589
"""


class Progress:
    """Step-by-step progress on stderr: '[2/5] computing inventory ... 0.4 s'."""

    def __init__(self, total: int, *, quiet: bool = False):
        self.total, self.step, self.quiet = total, 0, quiet
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        self.step += 1
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            print(f"[{self.step}/{self.total}] {message} ({elapsed:.1f} s)", file=sys.stderr,
                  flush=True)


def _cmd_inventory(args) -> int:
    from .inventory import compute_inventory

    progress = Progress(3, quiet=args.quiet)
    progress(f"reading and accounting {args.input}")
    inv = compute_inventory(args.input, gwp=args.gwp, factors=args.factors or None,
                            on_error="collect" if args.collect else "raise",
                            grid_purpose=args.grid_purpose)
    progress(f"writing tables to {args.out}")
    out = Path(args.out)
    inv.to_csv(out)
    inv.to_excel(out / "inventory.xlsx")
    progress("done")
    totals = inv.totals()
    print(f"{inv.input_rows} rows read, {len(inv.activity)} accounted, {len(inv.rejected)} "
          f"rejected; GWP {inv.gwp}")
    print((totals[["scope1_co2e_t", "scope2_co2e_t", "scope12_co2e_t"]] / 1e4).round(2)
          .rename(columns=lambda c: c.replace("_t", " (10^4 t)")).to_string())
    print(f"written: {out.resolve()}")
    return 0


def _cmd_factors(args) -> int:
    import pandas as pd

    from .factors import load_factors

    lib = load_factors()
    if args.action == "list":
        with pd.option_context("display.width", 160, "display.max_colwidth", 60):
            print(lib.sources[["source", "table", "tag", "title"]].to_string(index=False))
        return 0
    rows = lib.rows[(lib.rows["source"] == args.id) | (lib.rows["source"].str.startswith(
        args.id + "/")) | (lib.rows["factor_id"] == args.id) | (lib.rows["table"] == args.id)]
    if rows.empty:
        raise CarbonLedgerError(f"no factor source, table or id {args.id!r}",
                                fix="run 'carbonledger factors list' for the ids")
    columns = [c for c in ("factor_id", "value", "unit", "lower", "upper") if c in rows.columns]
    with pd.option_context("display.width", 200, "display.max_colwidth", 90,
                           "display.max_rows", 500):
        print(rows[columns].to_string(index=False))
    return 0


def _cmd_check(args) -> int:
    import pandas as pd

    from .inventory import compute_inventory
    from .quality import qa_checks

    progress = Progress(2, quiet=args.quiet)
    progress(f"reading and accounting {args.input} (bad rows collected, not fatal)")
    inv = compute_inventory(args.input, on_error="collect")
    progress("running QA/QC checks")
    findings = qa_checks(inv)
    rejected = inv.rejected
    print(f"{inv.input_rows} rows read: {len(inv.activity)} can be accounted, {len(rejected)} "
          "cannot")
    if len(rejected):
        with pd.option_context("display.width", 160, "display.max_colwidth", 100):
            print(rejected[["reason"]].groupby("reason").size().rename("rows").to_string())
    print(f"\n{len(findings)} QA/QC finding(s)")
    if len(findings):
        with pd.option_context("display.width", 200, "display.max_colwidth", 110,
                               "display.max_rows", 60):
            print(findings.head(50).to_string(index=False))
    if args.out:
        out = Path(args.out)
        from .output import write_csv

        write_csv(out / "findings.csv", findings)
        write_csv(out / "rejected.csv", rejected, index=True)
        print(f"written: {out.resolve()}")
    return 1 if len(rejected) else 0


def _scenario_files(specs) -> list[Path]:
    files = []
    for spec in specs:
        path = Path(spec)
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    if not files:
        raise CarbonLedgerError("no scenario files given",
                                fix="name .toml files or a folder of them (e.g. scenarios/)")
    return files


def _cmd_scenario(args) -> int:
    import pandas as pd

    from .output import atomic_write, write_csv
    from .report.figures import save_figure
    from .scenario import compare_scenarios
    from .scenario.figures import fan_chart

    files = _scenario_files(args.specs)
    progress = Progress(3, quiet=args.quiet)
    progress(f"running {len(files)} scenario(s)" + (f" with {args.draws} draws" if args.draws
                                                     else ""))
    comparison = compare_scenarios(files, draws=args.draws, seed=args.seed)
    progress("tables")
    columns = [c for c in ("peak_year", "peaked", "peak_mt", "co2_2030_mt", "co2_2035_mt",
                           "cumulative_2020_2060_mt", "energy_intensity_change_2030",
                           "co2_intensity_change_2030", "p_peak_by_2030", "p_plateau")
               if c in comparison.table.columns]
    with pd.option_context("display.width", 200, "display.float_format", "{:,.3f}".format):
        print(comparison.table[columns].to_string())
    if args.out:
        out = Path(args.out)
        write_csv(out / "comparison.csv", comparison.table.reset_index())
        iamc = comparison.to_iamc()
        atomic_write(out / "scenarios_iamc.csv", lambda p: iamc.to_csv(p, index=False))
        for result in comparison.results:
            write_csv(out / f"{result.name}_trajectory.csv", result.trajectory)
        progress("figures")
        save_figure(comparison.figure(), out / "scenario_trajectories")
        if args.draws:
            for result in comparison.results:
                save_figure(fan_chart(result), out / f"{result.name}_fan")
        print(f"written: {out.resolve()}")
    return 0


def _cmd_report(args) -> int:
    import pandas as pd

    from .inventory import compute_inventory
    from .report import write_html_report

    progress = Progress(3, quiet=args.quiet)
    progress(f"accounting {', '.join(args.inputs)}")
    inv = compute_inventory(args.inputs if len(args.inputs) > 1 else args.inputs[0],
                            gwp=args.gwp)
    table = tracks = None
    if args.gdp:
        from .demo import city_indicators

        table = city_indicators(inv, pd.read_csv(args.gdp))
    comparison = None
    if args.scenarios:
        from .scenario import compare_scenarios

        progress(f"running scenarios ({args.draws} draws)")
        comparison = compare_scenarios(_scenario_files(args.scenarios), draws=args.draws,
                                       seed=args.seed)
    progress(f"writing {args.out}")
    path = write_html_report(args.out, inventory=inv, indicators_table=table, targets=tracks,
                             scenarios=comparison)
    print(f"written: {Path(path).resolve()}")
    return 0


def _cmd_enterprise(args) -> int:
    import pandas as pd

    from . import enterprise
    from .output import write_csv

    out = Path(args.out) if getattr(args, "out", None) else None
    if args.action == "compute":
        progress = Progress(2, quiet=args.quiet)
        progress(f"accounting facilities in {args.input}")
        result = enterprise.compute(args.input, by=tuple(args.by.split(",")),
                                    monthly=args.monthly,
                                    on_error="collect" if args.collect else "raise",
                                    progress=not args.quiet)
        progress(f"writing {out}")
        result.to_csv(out)
        print(f"{len(result.table)} result rows, {len(result.rejected)} rejected rows; "
              f"written: {out.resolve()}")
        return 0
    if args.action == "check":
        findings = enterprise.check(args.input)
        with pd.option_context("display.width", 200, "display.max_colwidth", 100):
            print(findings.to_string(index=False) if len(findings) else "no findings")
        if out:
            write_csv(out / "findings.csv", findings)
        return 1 if len(findings) and (findings["severity"] == "error").any() else 0
    if args.action == "benchmark":
        result = enterprise.benchmark(pd.read_csv(args.input), edition=args.edition)
        with pd.option_context("display.width", 200):
            print(result.products.to_string())
        if out:
            for name in ("plants", "products"):
                write_csv(out / f"benchmark_{name}.csv", getattr(result, name))
        return 0
    section = enterprise.demo_section(out or Path("enterprise-demo"))
    print(section["summary"])
    return 0


def _cmd_demo(args) -> int:
    from .demo import run_demo

    run_demo(args.out, quiet=args.quiet, scenario_draws=args.draws)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carbonledger",
        description="Carbon and energy accounting: inventories, intensity targets and factors "
        "with provenance.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quiet", action="store_true", help="no progress messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="run the end-to-end demo on the bundled example city",
                          description="Account the example city 2015-2025, check its targets "
                          "and write tables (CSV, XLSX) and figures (PNG).")
    demo.add_argument("--out", default="carbonledger-demo", help="output folder (default: "
                      "%(default)s)")
    demo.add_argument("--draws", type=int, default=500,
                      help="Monte Carlo draws per scenario (default: %(default)s)")
    demo.set_defaults(func=_cmd_demo)

    inventory = sub.add_parser("inventory", help="account an activity table into an inventory",
                               description="Read activity rows (CSV, XLSX or Parquet), account "
                               "them and write tables, a workbook and a manifest.")
    inventory.add_argument("input", help="activity file (.csv, .xlsx, .parquet)")
    inventory.add_argument("--out", required=True, help="output folder")
    inventory.add_argument("--gwp", default="AR5", help="GWP set: SAR, AR4, AR5, AR6 "
                           "(default: %(default)s)")
    inventory.add_argument("--factors", nargs="*", metavar="SOURCE",
                           help="factor sources to prefer, e.g. ipcc2006/2019r")
    inventory.add_argument("--grid-purpose", default="mee_nbs_average",
                           choices=["mee_nbs_average", "ets"],
                           help="grid-factor series for scope 2 (default: %(default)s)")
    inventory.add_argument("--collect", action="store_true",
                           help="put bad rows in rejected.csv instead of stopping")
    inventory.set_defaults(func=_cmd_inventory)

    scenario = sub.add_parser("scenario", help="run or compare peak-carbon scenarios",
                              description="Project energy and emissions under scenario files "
                              "(TOML) and report peak year, plateau test and P(peak <= 2030).")
    scenario_sub = scenario.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, text in (("run", "run scenario files and print their peak analysis"),
                         ("compare", "compare scenario files side by side")):
        one = scenario_sub.add_parser(action, help=text)
        one.add_argument("specs", nargs="+", metavar="SPEC",
                         help="scenario .toml files or folders of them (e.g. scenarios/)")
        one.add_argument("--draws", type=int, default=0, help="Monte Carlo draws (default 0)")
        one.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        one.add_argument("--out", help="folder for tables (CSV, IAMC) and figures")
        one.set_defaults(func=_cmd_scenario)

    ent = sub.add_parser("enterprise", help="facility MRV, data checks, efficiency benchmarking",
                         description="The enterprise ledger: facility x fuel x month rows "
                         "(CSV, Parquet file or folder) accounted by the ETS rules.")
    ent_sub = ent.add_subparsers(dest="action", required=True, metavar="ACTION")
    one = ent_sub.add_parser("compute", help="emissions per facility-year with an audit trail")
    one.add_argument("input", help="CSV/Parquet file or folder of Parquet files")
    one.add_argument("--out", required=True, help="output folder")
    one.add_argument("--by", default="facility,year", help="grouping (default: %(default)s)")
    one.add_argument("--monthly", action="store_true", help="also per facility-month")
    one.add_argument("--collect", action="store_true", help="reject bad rows instead of "
                     "stopping")
    one.set_defaults(func=_cmd_enterprise)
    one = ent_sub.add_parser("check", help="data-quality findings (never stops)")
    one.add_argument("input", help="CSV/Parquet file or folder")
    one.add_argument("--out", help="folder for findings.csv")
    one.set_defaults(func=_cmd_enterprise)
    one = ent_sub.add_parser("benchmark", help="plants against the benchmark/baseline levels")
    one.add_argument("input", help="plants CSV (facility, product, specific energy, capacity)")
    one.add_argument("--edition", default="2023", choices=["2021", "2023"])
    one.add_argument("--out", help="output folder")
    one.set_defaults(func=_cmd_enterprise)
    one = ent_sub.add_parser("demo", help="a synthetic province end to end")
    one.add_argument("--out", default="enterprise-demo", help="output folder")
    one.set_defaults(func=_cmd_enterprise)

    report = sub.add_parser("report", help="write a self-contained HTML report",
                            description="Account INPUT(s) and write one HTML file (figures "
                            "embedded) with the inventory, methane, sinks, key categories and, "
                            "optionally, indicators and scenarios.")
    report.add_argument("inputs", nargs="+", metavar="INPUT", help="activity file(s)")
    report.add_argument("--out", default="report.html", help="HTML file (default: %(default)s)")
    report.add_argument("--gwp", default="AR5", help="GWP set (default: %(default)s)")
    report.add_argument("--gdp", help="GDP CSV (year, gdp_nominal_yi_yuan, real_growth_pct) "
                        "for intensity indicators")
    report.add_argument("--scenarios", nargs="*", metavar="SPEC",
                        help="scenario files or folders to compare in the report")
    report.add_argument("--draws", type=int, default=200, help="Monte Carlo draws per "
                        "scenario (default: %(default)s)")
    report.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    report.set_defaults(func=_cmd_report)

    check = sub.add_parser("check", help="find bad rows and QA/QC issues without stopping",
                           description="Account INPUT collecting bad rows, then run the QA/QC "
                           "checks (implied factors, jumps, completeness, sums). Exit code 1 "
                           "when rows cannot be accounted.")
    check.add_argument("input", help="activity file (.csv, .xlsx, .parquet)")
    check.add_argument("--out", help="folder for findings.csv and rejected.csv")
    check.set_defaults(func=_cmd_check)

    factors = sub.add_parser("factors", help="list factor sources or show a table's values")
    factors_sub = factors.add_subparsers(dest="action", required=True, metavar="ACTION")
    factors_sub.add_parser("list", help="every factor table with its source and tag")
    show = factors_sub.add_parser("show", help="the values of a source, table or factor id")
    show.add_argument("id", help="source id (gbt2589/2020), table name or factor id")
    factors.set_defaults(func=_cmd_factors)
    return parser


def _short_warning(message, category, filename, lineno, line=None) -> str:
    return f"carbonledger: {category.__name__}: {message}\n"


def main(argv=None) -> int:
    """Entry point of the ``carbonledger`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    warnings.formatwarning = _short_warning
    try:
        return args.func(args)
    except CarbonLedgerError as exc:
        print(f"carbonledger: error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"carbonledger: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
