"""Execute the tutorial pages of the documentation: the code a reader sees is the code that runs.

A tutorial is a Markdown page. Its fenced blocks are taken in order:

* a ```` ```python ```` block is executed; all blocks of a page share one namespace, and the page
  runs in a fresh temporary working directory (so relative paths in the tutorial are the
  reader's own working directory);
* a fenced block of any other language with a ``title="name"`` attribute (```` ```toml
  title="scenarios/my_pathway.toml" ````) is written to that file in the working directory
  before the next block runs, so a file shown on the page is the file the code reads;
* other blocks (``bash``, plain text) are shown only.

What each python block prints, and the value of its last line when that line is an expression
(as in a notebook), is recorded. Figures the page saves under ``figures/`` in the working
directory are copied to ``docs/assets/generated/<page>/`` where the page links them. Records,
figures and a stamp (sha256 of the page and of the package sources, factors, example data and
scenarios) are written there too: ``docs/gen_pages.py`` reuses them at build time when the stamp
still matches, and runs the page itself when it does not. ``tests/test_docs.py`` runs every
page through :func:`run_page`.

This module needs only the standard library and what the tutorials import.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import html
import io
import json
import math
import os
import re
import shutil
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
GENERATED = DOCS / "assets" / "generated"
FIGURES = "figures"

#: The executable tutorial pages, relative to docs/.
TUTORIALS = (
    "guide/inventory-analyst.md",
    "guide/peak-planner.md",
    "guide/enterprise-analyst.md",
)

#: What the stamp covers besides the page: everything a tutorial's output depends on.
STAMPED = (
    ("carbonledger", ("*.py", "*.csv", "*.txt")),
    ("factors", ("*.csv", "*.toml")),
    ("examples/city", ("*.csv", "*.xlsx")),
    ("scenarios", ("*.toml",)),
)

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)(?P<attrs>[^\n]*)\n"
    r"(?P<body>.*?)"
    r"^(?P=indent)(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_TITLE = re.compile(r"""title\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Block:
    """One fenced block of a page: ``kind`` is ``python``, ``file`` or ``shown``."""

    kind: str
    lang: str
    code: str
    line: int
    end: int          # character offset just after the closing fence
    filename: str | None = None


class PageError(RuntimeError):
    """A tutorial block failed: the message names the page, the block's line and the error."""


def extract_blocks(text: str) -> list[Block]:
    """Fenced blocks of ``text`` in order (see the module docstring for the kinds)."""
    blocks = []
    for match in _FENCE.finditer(text):
        lang = match["lang"].lower()
        indent = match["indent"]
        body = match["body"]
        if indent:
            body = "\n".join(line[len(indent):] if line.startswith(indent) else line
                             for line in body.split("\n"))
        line = text.count("\n", 0, match.start()) + 1
        title = _TITLE.search(match["attrs"])
        if lang in ("python", "py") and not title:
            kind = "python"
        elif title:
            kind = "file"
        else:
            kind = "shown"
        blocks.append(Block(kind, lang, body, line, match.end(),
                            title.group(1) if title else None))
    return blocks


def page_key(page: str) -> str:
    """Folder name of a page's generated files: ``guide/peak-planner.md`` -> ``peak-planner``."""
    return Path(page).stem


def stamp(page: str) -> str:
    """sha256 of the page and of every file its output depends on."""
    digest = hashlib.sha256((DOCS / page).read_bytes())
    digest.update(Path(__file__).read_bytes())   # a change of the runner changes the records
    for folder, patterns in STAMPED:
        base = ROOT / folder
        files = sorted({p for pattern in patterns for p in base.rglob(pattern)
                        if "__pycache__" not in p.parts})
        for path in files:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _number(value: float) -> str:
    if not isinstance(value, float) or not math.isfinite(value):
        return str(value)
    size = abs(value)
    if size >= 1000:
        return f"{value:,.0f}"
    if size >= 1 or value == 0:
        return f"{value:,.3f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return f"{value:.4g}"


def _display(value) -> dict:
    """A notebook-like display of a value: an HTML table for pandas objects, else its repr."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - the tutorials need pandas anyway
        pd = None
    if pd is not None and isinstance(value, (pd.DataFrame, pd.Series)):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        with pd.option_context("display.max_rows", 40, "display.max_columns", 30,
                               "display.max_colwidth", 80):
            table = frame.to_html(float_format=_number, max_rows=40, max_cols=30,
                                  border=0, classes="cl-table")
        return {"html": table}
    return {"text": repr(value)}


def _run_block(code: str, namespace: dict, name: str) -> dict:
    tree = ast.parse(code, filename=name)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    out = io.StringIO()
    record: dict = {}
    with contextlib.redirect_stdout(out):
        exec(compile(tree, name, "exec"), namespace)  # noqa: S102 - the page is the program
        if last is not None:
            value = eval(compile(last, name, "eval"), namespace)  # noqa: S307
            if value is not None:
                record.update(_display(value))
    record["stdout"] = out.getvalue()
    return record


def run_page(page: str, *, out_dir: Path | None = None) -> dict:
    """Run the python blocks of ``docs/<page>`` in order; write records, figures and stamp.

    Returns ``{"page", "stamp", "blocks": [record per python block], "figures": [names]}``.
    Raises :class:`PageError` naming the page and block line when a block fails.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    text = (DOCS / page).read_text(encoding="utf-8")
    out_dir = Path(out_dir) if out_dir is not None else GENERATED / page_key(page)
    records: list[dict] = []
    namespace: dict = {"__name__": "__docs__"}
    previous = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="cl-docs-") as workdir:
        os.chdir(workdir)
        try:
            for block in extract_blocks(text):
                if block.kind == "file":
                    target = Path(workdir) / block.filename
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(block.code, encoding="utf-8")
                    continue
                if block.kind != "python":
                    continue
                try:
                    records.append(_run_block(block.code, namespace,
                                              f"{page}:{block.line}"))
                except Exception as exc:  # noqa: BLE001 - re-raised with the page and line
                    raise PageError(f"{page}, block at line {block.line} failed: "
                                    f"{type(exc).__name__}: {exc}\n--- block ---\n{block.code}"
                                    f"--- traceback ---\n{traceback.format_exc()}") from exc
            figures = sorted((Path(workdir) / FIGURES).glob("*.png"))
            if out_dir.exists():
                shutil.rmtree(out_dir)
            out_dir.mkdir(parents=True)
            for figure in figures:
                shutil.copy2(figure, out_dir / figure.name)
        finally:
            os.chdir(previous)
            try:
                import matplotlib.pyplot as plt

                plt.close("all")
            except ImportError:  # pragma: no cover
                pass
    result = {"page": page, "stamp": stamp(page), "blocks": records,
              "figures": [f.name for f in figures]}
    (out_dir / "outputs.json").write_text(json.dumps(result, ensure_ascii=False, indent=1),
                                          encoding="utf-8")
    return result


def cached(page: str) -> dict | None:
    """The recorded run of ``page`` when its stamp still matches, else None."""
    path = GENERATED / page_key(page) / "outputs.json"
    if not path.exists():
        return None
    record = json.loads(path.read_text(encoding="utf-8"))
    if record.get("stamp") != stamp(page):
        return None
    if not all((path.parent / name).exists() for name in record.get("figures", [])):
        return None
    return record


def figure_links(text: str, page: str) -> list[str]:
    """Names of the generated figures a page links (``assets/generated/<page>/<name>``)."""
    key = re.escape(page_key(page))
    return re.findall(rf"assets/generated/{key}/([\w.-]+\.png)", text)


def render_outputs(text: str, record: dict) -> str:
    """The page with each python block's recorded output inserted after the block."""
    blocks = [b for b in extract_blocks(text) if b.kind == "python"]
    if len(blocks) != len(record["blocks"]):
        raise PageError(f"{record['page']}: {len(blocks)} python blocks but "
                        f"{len(record['blocks'])} recorded outputs; run the page again")
    pieces, start = [], 0
    for block, output in zip(blocks, record["blocks"], strict=True):
        pieces.append(text[start:block.end])
        start = block.end
        parts = []
        if output.get("stdout", "").strip():
            parts.append(f"<pre>{html.escape(output['stdout'].rstrip())}</pre>")
        if output.get("text"):
            parts.append(f"<pre>{html.escape(output['text'])}</pre>")
        if output.get("html"):
            parts.append(f'<div class="cl-scroll">\n{output["html"]}\n</div>')
        if parts:
            body = "\n".join(parts)
            pieces.append(f'\n\n<div class="cl-output" title="output of the block above">\n'
                          f"{body}\n</div>\n")
    pieces.append(text[start:])
    return "".join(pieces)
