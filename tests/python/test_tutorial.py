"""Runs every ```python snippet of docs/python.md, in order, in one namespace (as a reader would in one
session), in a scratch folder; the figures it draws are kept in build/tests/python-figures/."""

import re
import shutil

import pytest

from conftest import CONNOR_STEVENS_BIN, SOURCE_DIR

SNIPPET = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_every_snippet_runs(tmp_path, monkeypatch, figure_path):
    text = (SOURCE_DIR / "docs" / "python.md").read_text()
    snippets = SNIPPET.findall(text)
    assert len(snippets) >= 8
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "tutorial"}
    for number, code in enumerate(snippets):
        if "ionode_connor_stevens" in code and CONNOR_STEVENS_BIN is None:
            continue  # the examples were not built
        try:
            exec(compile(code, f"docs/python.md snippet {number}", "exec"), namespace)
        except Exception as error:
            pytest.fail(f"snippet {number} failed: {error!r}\n{code}")
    for figure in tmp_path.glob("*.png"):
        shutil.copy(figure, figure_path(f"tutorial_{figure.name}"))
    assert (tmp_path / "hh_ten.png").exists() and (tmp_path / "gna_sweep.png").exists()
