"""The documentation's code runs: every tutorial page is executed, every snippet compiles.

The tutorials (docs/guide/*.md, listed in docs/_tools/pagerun.py) are run block by block, in
order, in one namespace per page and a temporary working directory; their outputs and figures
are written to docs/assets/generated/<page>/, where the documentation build (docs/gen_pages.py)
takes them. A tutorial whose code fails, or whose page links a figure its code did not write,
fails here. The other pages' python snippets are fragments (they use an ``inv`` made elsewhere),
so they are compiled and every ``cl.<name>`` they use is resolved against the package.
"""

from __future__ import annotations

import importlib
import re
import sys
import warnings
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
sys.path.insert(0, str(DOCS / "_tools"))

import pagerun  # noqa: E402

import carbonledger as cl  # noqa: E402

_CL_NAME = re.compile(r"\bcl((?:\.[A-Za-z_]\w*)+)")
_MODULE_NAME = re.compile(r"\bfrom (carbonledger[\w.]*) import ([\w, ]+)")


@pytest.mark.parametrize("page", pagerun.TUTORIALS)
def test_tutorial_runs(page):
    """Run the page's code as a reader would; its figures and outputs are recorded."""
    if page.endswith("enterprise-analyst.md"):
        pytest.importorskip("carbonledger.enterprise")
    text = (DOCS / page).read_text(encoding="utf-8")
    python = [b for b in pagerun.extract_blocks(text) if b.kind == "python"]
    assert python, f"{page} has no python blocks"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cl.FactorFallbackWarning)
        record = pagerun.run_page(page)
    assert len(record["blocks"]) == len(python)
    linked = set(pagerun.figure_links(text, page))
    assert linked <= set(record["figures"]), f"figures linked but not written: {linked}"
    assert pagerun.cached(page) is not None, "the record must be reusable by the build"
    rendered = pagerun.render_outputs(text, record)
    assert rendered.count('class="cl-output"') >= len(python) // 2


def _snippets():
    for path in sorted(DOCS.rglob("*.md")):
        page = path.relative_to(DOCS).as_posix()
        for block in pagerun.extract_blocks(path.read_text(encoding="utf-8")):
            if block.kind == "python":
                yield page, block


def _resolve(dotted: str):
    obj = cl
    for part in dotted.strip(".").split("."):
        obj = getattr(obj, part)
    return obj


def test_every_snippet_compiles_and_its_names_exist():
    """A renamed or removed function makes a page wrong: find it here, not in a reader's hands."""
    checked = 0
    for page, block in _snippets():
        compile(block.code, f"{page}:{block.line}", "exec")
        for dotted in _CL_NAME.findall(block.code):
            try:
                _resolve(dotted)
            except AttributeError:
                pytest.fail(f"{page}:{block.line}: cl{dotted} does not exist")
            checked += 1
        for module, names in _MODULE_NAME.findall(block.code):
            imported = importlib.import_module(module)
            for name in (n.strip() for n in names.split(",")):
                assert hasattr(imported, name), f"{page}:{block.line}: {module}.{name} missing"
    assert checked > 20


def test_block_extraction_and_output_rendering():
    """The extractor takes python blocks, files with a title, and leaves shown blocks alone."""
    text = ("intro\n\n```python\nx = 1\nx + 1\n```\n\n```toml title=\"a/b.toml\"\nk = 1\n```\n\n"
            "```bash\necho no\n```\n")
    blocks = pagerun.extract_blocks(text)
    assert [b.kind for b in blocks] == ["python", "file", "shown"]
    assert blocks[1].filename == "a/b.toml" and blocks[1].code == "k = 1\n"
    record = {"page": "x.md", "blocks": [{"stdout": "<b>\n", "text": "2"}]}
    out = pagerun.render_outputs(text, record)
    assert "&lt;b&gt;" in out and "<pre>2</pre>" in out
    assert out.index("cl-output") < out.index("```toml")
