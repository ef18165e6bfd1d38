"""The published catalogue of parameters is the law the code applies."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "law_catalogue.py"


def test_docs_catalogue_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location("law_catalogue", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PAGE.read_text(encoding="utf-8") == module.render(), (
        "docs/law-catalogue.md is out of date: run .venv/bin/python scripts/law_catalogue.py"
    )
