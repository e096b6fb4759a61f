"""Build-time pages of the documentation (run by mkdocs-gen-files on every build).

Everything here is rendered from the package and its data, so a page cannot disagree with them:

* ``factors/``: one page per factor table (source, edition, license, tag, sha256, the sidecar's
  notes and every row) from ``carbonledger.load_factors()`` and ``lib.table(name)``, and an
  index of all tables;
* ``methodology/activity-kinds.md``: every activity kind with its unit, required and optional
  (Tier 2 override) columns, from ``carbonledger.activity_kinds()``;
* ``reference/*.md``: the API reference, one directive per public name (``__all__``) at its
  defining module, rendered by mkdocstrings from the NumPy docstrings;
* markers in hand-written pages (HTML comments ``<!-- gen:NAME args -->``) replaced by tables
  generated from code: ``kinds`` (activity kinds of an engine or named kinds), ``sectors``,
  ``items``, ``uncertainty-defaults``, ``benchmark-results``;
* the tutorials (``docs/_tools/pagerun.py``): their recorded outputs are inserted after each
  code block and their figures added to the site; when the record is missing or stale
  (the page, the package, the factors, the example data or the scenarios changed), the page is
  executed here first.
"""

from __future__ import annotations

import html
import inspect
import re
import sys
import tomllib
import warnings
from pathlib import Path

import mkdocs_gen_files

DOCS = Path(mkdocs_gen_files.config["docs_dir"]).resolve()
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_tools"))
sys.path.insert(0, str(ROOT))

import pagerun  # noqa: E402

import carbonledger as cl  # noqa: E402
from carbonledger.kinds import get_kind  # noqa: E402

warnings.simplefilter("ignore", cl.FactorFallbackWarning)
LIB = cl.load_factors()
TAGS = {
    "R1": "read in a retrieved copy of the source document or dataset",
    "R2": "read in a secondary source (a repost, an aggregator, peer code); original not seen",
    "D": "derived from R1/R2 values (the arithmetic is in the notes)",
    "M": "from memory, not verified against the document: check before relying on it",
    "assumption": "carbonledger's own assumption, stated in the notes",
}


# --------------------------------------------------------------------------- helpers
def cell(value) -> str:
    """A Markdown table cell: escaped, pipes and newlines neutralised, NaN empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:.6g}"
    text = str(value)
    if text in ("nan", "None", "<NA>"):
        return ""
    return html.escape(text).replace("|", "&#124;").replace("\n", " ")


def table(headers, rows) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def code_list(values) -> str:
    return ", ".join(f"`{v}`" for v in values)


def slug(source: str) -> str:
    return source.replace("/", "-")


def factor_page(source: str, name: str) -> str:
    """Path (relative to docs/) of the page of table ``name`` of ``source``."""
    return f"factors/{slug(source)}/{name}.md"


# --------------------------------------------------------------------------- factor tables
def sidecar(file: str) -> dict:
    path = Path(LIB.root) / file
    with path.with_suffix("").with_suffix(".meta.toml").open("rb") as handle:
        return tomllib.load(handle)


def factor_pages() -> None:
    sources = LIB.sources.sort_values(["source", "table"]).reset_index(drop=True)
    index = ["# Factor library\n",
             "Every factor carbonledger uses, rendered **at build time** from the files in "
             "`factors/` by `docs/gen_pages.py` (nothing on these pages is typed by hand). "
             "A result row's `factor_id` (`source/edition:table:key`) names the table and row "
             "here; `measured:<column>` means the activity row's own Tier 2 value was used. "
             "The format of the files is described in `factors/README.md`; the loader checks "
             "each file's sha256 against its sidecar before use.\n",
             "Lookups search sources in this order, first match wins (change it with "
             "`cl.load_factors(prefer=[...])`): "
             + " → ".join(f"`{s}`" for s in LIB.prefer) + ".\n",
             "## Provenance tags\n",
             "Each table carries the tag of how its values were obtained "
             "(the convention of the project's reference notes):\n",
             table(["tag", "meaning"], TAGS.items()),
             f"## Tables ({len(sources)})\n"]
    rows = []
    for record in sources.itertuples(index=False):
        page = factor_page(record.source, record.table)
        rows.append((f"[{record.source}]({slug(record.source)}/{record.table}.md)",
                     f"`{record.table}`", record.title, record.tag, record.license))
        write_factor_table(record, page)
    lines = ["| source | table | title | tag | license |", "|---|---|---|---|---|"]
    for link, tbl, title, tag, lic in rows:
        lines.append(f"| {link} | {tbl} | {cell(title)} | {cell(tag)} | {cell(lic)} |")
    index.append("\n".join(lines) + "\n")
    with mkdocs_gen_files.open("factors/index.md", "w") as handle:
        handle.write("\n".join(index))


def write_factor_table(record, page: str) -> None:
    meta = sidecar(record.file)
    rows = LIB.table(record.table)
    rows = rows[rows["source"] == record.source]
    base = ["item", "parameter"]
    values = ["value", "unit", "lower", "upper"]
    tail = ["note", "factor_id"]
    keys = [c for c in rows.columns
            if c not in (*base, *values, *tail, "source", "table") and rows[c].notna().any()
            and (rows[c].astype(str) != "").any()]
    headers = [c for c in base + keys + values + tail if c in rows.columns]
    body = rows[headers].itertuples(index=False)
    meta_rows = [
        ("title", record.title), ("publisher", record.publisher), ("year", record.year),
        ("edition", record.edition), ("document", record.document),
        ("url", record.url), ("license", record.license),
        ("tag", f"{record.tag}: {TAGS.get(str(record.tag), 'see notes')}"),
        ("sha256 (checked at load)", f"{record.sha256}"), ("file", f"factors/{record.file}"),
    ]
    text = [f"# `{record.source}` · `{record.table}`\n",
            f"{cell(record.title)}\n",
            table(["field", "value"], meta_rows)]
    notes = str(meta.get("notes", "")).strip()
    if notes:
        text.append('!!! note "Notes of the sidecar (what a reviewer must know)"\n\n    '
                    + cell(notes) + "\n")
    text.append(f"## Rows ({len(rows)})\n")
    text.append("`lower`/`upper` are the source's 95 % range in `unit` where it gives one. "
                "Blank key columns apply to all.\n")
    text.append('<div class="cl-factors" markdown>\n')
    text.append(table([f"`{h}`" for h in headers], body))
    text.append("</div>\n")
    text.append("\n[All factor tables](../index.md)\n")
    with mkdocs_gen_files.open(page, "w") as handle:
        handle.write("\n".join(text))


# --------------------------------------------------------------------------- activity kinds
def kind_rows(names) -> list[tuple]:
    out = []
    for name in names:
        kind = get_kind(name)
        if kind.items:
            items = code_list(kind.items)
        elif kind.extra.get("fuel_items"):
            items = ("any fuel of [`cl.items()`]"
                     "(chinese-energy-statistics.md#fuel-ids-and-chinese-names)")
        else:
            items = "see the engine section"
        unit = kind.unit or "per item"
        out.append((f"`{name}`", unit, code_list(kind.required) or "–",
                    code_list(kind.optional) or "–", items, kind.description))
    return out


def kinds_table(names) -> str:
    headers = ["activity", "`value` in", "required columns", "optional columns (Tier 2 "
               "overrides, options)", "items", "description"]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in kind_rows(names):
        lines.append("| " + " | ".join(str(v).replace("|", "&#124;") for v in row) + " |")
    return "\n".join(lines) + "\n"


def kinds_for(tokens) -> list[str]:
    table_ = cl.activity_kinds()
    names = []
    for token in tokens:
        if "." in token:
            names += sorted(table_.index[table_["engine"] == token])
        else:
            get_kind(token)  # a typo fails the build
            names.append(token)
    return names


def activity_kinds_page() -> None:
    table_ = cl.activity_kinds()
    text = ["# Activity kinds\n",
            "Generated at build time from `carbonledger.activity_kinds()`. Every activity row "
            "has the base columns `year, sector, activity, item, value, unit` (and optionally "
            "`region`, `facility`, `month`); `activity` names the kind below. A **required** "
            "column must be present on every row of the kind; an **optional** column, where "
            "present and not empty for a row, replaces the default factor of that row "
            "(Tier 2) and the row's `factor_id` then reads `measured:<column>`. `value` is "
            "converted to the unit shown before the engine runs (mu and 10^4 mu to ha, "
            "10^4 t to t, ...).\n"]
    for engine, group in table_.groupby("engine", sort=False):
        page = ENGINE_PAGES.get(engine)
        link = f" ([method]({page}))" if page else ""
        text.append(f"## `{engine}`{link}\n")
        text.append(kinds_table(list(group.index)))
    with mkdocs_gen_files.open("methodology/activity-kinds.md", "w") as handle:
        handle.write("\n".join(text))


ENGINE_PAGES = {
    "carbonledger.engines.combustion": "energy.md",
    "carbonledger.engines.fugitive": "fugitive.md",
    "carbonledger.engines.processes": "ippu.md",
    "carbonledger.engines.agriculture": "agriculture.md",
    "carbonledger.engines.land": "lulucf.md",
    "carbonledger.engines.waste": "waste.md",
}


# --------------------------------------------------------------------------- markers
def gen_sectors(_args) -> str:
    frame = cl.sectors().reset_index()
    return table(["sector", "中文", "IPCC 2006 category", "combustion group (CH4/N2O factors)",
                  "description"],
                 frame[["sector", "name_zh", "ipcc_category", "combustion_group",
                        "description"]].itertuples(index=False))


def gen_items(args) -> str:
    frame = cl.items().reset_index()
    if args:
        frame = frame[frame["group"].isin(args)]
    return table(["item", "中文", "aliases", "group", "fossil", "IPCC fuel (Tier 1)", "basis"],
                 frame[["item", "name_zh", "aliases", "group", "fossil", "ipcc_fuel",
                        "basis"]].itertuples(index=False))


def gen_uncertainty_defaults(_args) -> str:
    from carbonledger.quality import ACTIVITY_UNCERTAINTY_DEFAULTS, FACTOR_UNCERTAINTY_DEFAULTS

    def rows(mapping):
        return [(f"`{k}`", f"±{v[0] * 100:g} %", v[1]) for k, v in mapping.items()]

    return ("**Activity data** (`ACTIVITY_UNCERTAINTY_DEFAULTS`; by activity kind, then IPCC "
            "sector, `*` for the rest):\n\n"
            + table(["kind or sector", "95 % half-width", "basis"],
                    rows(ACTIVITY_UNCERTAINTY_DEFAULTS))
            + "\n**Factors without a published range** (`FACTOR_UNCERTAINTY_DEFAULTS`; by "
            "parameter or `table:parameter`):\n\n"
            + table(["parameter", "95 % half-width", "basis"],
                    rows(FACTOR_UNCERTAINTY_DEFAULTS)))


def gen_benchmark_results(_args) -> str:
    folder = ROOT / "benchmarks" / "results"
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        return ('!!! info "No local measurements at build time"\n\n'
                "    `benchmarks/results/` is not committed (it is machine-specific); run the "
                "commands above to create it, and the next build lists its lines here.\n")
    text = ['??? info "Lines of `benchmarks/results/*.txt` on the machine that built this '
            'site"\n']
    for path in files:
        text.append(f"    **{path.name}**\n")
        text.append("    ```text")
        for line in path.read_text(encoding="utf-8").splitlines():
            text.append("    " + line)
        text.append("    ```\n")
    return "\n".join(text) + "\n"


def gen_energy_roles(_args) -> str:
    from carbonledger.engines.energy import ENERGY_ROLES

    rows = [(f"`{name}`", f"{sign:+g}" if sign else "0", get_kind(name).description)
            for name, sign in ENERGY_ROLES.items()]
    return table(["activity", "sign in the total", "meaning"], rows)


MARKERS = {
    "energy-roles": gen_energy_roles,
    "kinds": lambda args: kinds_table(kinds_for(args)),
    "sectors": gen_sectors,
    "items": gen_items,
    "uncertainty-defaults": gen_uncertainty_defaults,
    "benchmark-results": gen_benchmark_results,
}
_MARKER = re.compile(r"^<!--\s*gen:(?P<name>[\w-]+)(?P<args>[^>]*?)\s*-->\s*$", re.MULTILINE)


def expand_markers(text: str, page: str) -> str:
    def replace(match):
        name = match["name"]
        if name not in MARKERS:
            raise ValueError(f"{page}: unknown marker gen:{name}")
        return MARKERS[name](match["args"].split())

    return _MARKER.sub(replace, text)


# --------------------------------------------------------------------------- API reference
API = (
    ("reference/carbonledger.md", "carbonledger", ()),
    ("reference/indicators.md", "carbonledger.indicators", ()),
    ("reference/quality.md", "carbonledger.quality", ()),
    ("reference/scenario.md", "carbonledger.scenario",
     ("carbonledger.scenario.explain", "carbonledger.scenario.figures")),
    ("reference/enterprise.md", "carbonledger.enterprise", ("carbonledger.enterprise.synthetic",)),
    ("reference/extending.md", "carbonledger.kinds",
     ("carbonledger.blocks", "carbonledger.grouping")),
    ("reference/report.md", "carbonledger.report",
     ("carbonledger.report.charts", "carbonledger.report.iamc", "carbonledger.report.html",
      "carbonledger.report.workbook")),
)
_SKIP = {"__version__"}


def api_entries(module_name: str) -> list[tuple[str, str, str]]:
    """(group, display name, griffe path) of each public name of a module."""
    import importlib

    module = importlib.import_module(module_name)
    entries = []
    for name in getattr(module, "__all__", ()):
        if name in _SKIP:
            continue
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            continue
        if inspect.isclass(obj):
            group = "Errors and warnings" if issubclass(obj, BaseException) else "Classes"
            entries.append((group, name, f"{obj.__module__}.{obj.__qualname__}"))
        elif inspect.isfunction(obj):
            entries.append(("Functions", name, f"{obj.__module__}.{obj.__qualname__}"))
        elif callable(obj) and getattr(obj, "__module__", "").startswith("carbonledger"):
            entries.append(("Functions", name, f"{obj.__module__}.{obj.__qualname__}"))
        else:
            entries.append(("Data", name, f"{module_name}.{name}"))
    return entries


def api_pages() -> None:
    intro = (ROOT / "docs" / "reference" / "_intro.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\S+)\n(.*?)(?=^## |\Z)", intro, re.MULTILINE | re.DOTALL))
    elsewhere = tuple(name for _, name, _ in API if name != "carbonledger")
    for page, module_name, extra in API:
        text = [f"# `{module_name}`\n", sections.get(module_name, "").strip() + "\n"]
        for mod in (module_name, *extra):
            entries = api_entries(mod)
            if mod == "carbonledger":
                moved = [e for e in entries if e[2].startswith(elsewhere)]
                entries = [e for e in entries if not e[2].startswith(elsewhere)]
                if moved:
                    text.append("Also at the top level, documented with their namespace: "
                                + ", ".join(f"[`cl.{name}`][{path}]" for _, name, path in moved)
                                + ".\n")
            if mod != module_name:
                text.append(f"## `{mod}`\n")
                text.append(sections.get(mod, "").strip() + "\n")
            level = 2 if mod == module_name else 3
            for group in ("Functions", "Classes", "Data", "Errors and warnings"):
                chosen = [e for e in entries if e[0] == group]
                if not chosen:
                    continue
                text.append(f"{'#' * level} {group}\n")
                for _, _, path in chosen:
                    text.append(f"::: {path}\n    options:\n      heading_level: {level + 1}\n")
        with mkdocs_gen_files.open(page, "w") as handle:
            handle.write("\n".join(text))


# --------------------------------------------------------------------------- tutorials
def tutorials() -> None:
    for page in pagerun.TUTORIALS:
        record = pagerun.cached(page)
        if record is None:
            print(f"gen_pages: running {page} (no current record of it)", file=sys.stderr)
            record = pagerun.run_page(page)
        text = (DOCS / page).read_text(encoding="utf-8")
        missing = set(pagerun.figure_links(text, page)) - set(record["figures"])
        if missing:
            raise RuntimeError(f"{page} links figures its code did not write: {sorted(missing)}")
        text = expand_markers(pagerun.render_outputs(text, record), page)
        with mkdocs_gen_files.open(page, "w") as handle:
            handle.write(text)
        folder = pagerun.GENERATED / pagerun.page_key(page)
        for name in record["figures"]:
            target = f"assets/generated/{pagerun.page_key(page)}/{name}"
            with mkdocs_gen_files.open(target, "wb") as handle:
                handle.write((folder / name).read_bytes())


def marker_pages() -> None:
    skip = set(pagerun.TUTORIALS)
    for path in sorted(DOCS.rglob("*.md")):
        page = path.relative_to(DOCS).as_posix()
        if page in skip or page.startswith(("_", "assets/")) or "/_" in page:
            continue
        text = path.read_text(encoding="utf-8")
        if _MARKER.search(text):
            with mkdocs_gen_files.open(page, "w") as handle:
                handle.write(expand_markers(text, page))


factor_pages()
activity_kinds_page()
api_pages()
marker_pages()
tutorials()
