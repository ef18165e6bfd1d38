"""Write docs/law-catalogue.md: every legal parameter with its values, dates and sources.

Run ``.venv/bin/python scripts/law_catalogue.py``; the test suite fails when the page is out
of date, so the catalogue an officer or auditor reads is always the law the code applies.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ansinh.law import default_parameters
from ansinh.law.schemas import exact

PAGE = Path(__file__).resolve().parent.parent / "docs" / "law-catalogue.md"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render() -> str:
    """The catalogue page as Markdown."""
    parameters = default_parameters().parameters
    lines = [
        "# Catalogue of legal parameters",
        "",
        "Generated from `ansinh/law/parameters/` by `scripts/law_catalogue.py`; do not edit by hand.",
        f"{len(parameters)} parameters. Each row is a value and the day it takes effect; it applies",
        "until the next row. `ansinh law show KEY --at DATE` reads one on any date.",
        "",
    ]
    for key, parameter in sorted(parameters.items()):
        lines += [f"## `{key}`", "", f"{_cell(parameter.description)} (unit: `{parameter.unit}`)", "",
                  "| from | value | instrument | article | note |", "| --- | --- | --- | --- | --- |"]
        for dated in parameter.values:
            value = "repealed" if dated.value is None else exact(dated.value)
            lines.append(f"| {dated.starts.isoformat()} | {_cell(value)} | {_cell(dated.source.instrument)} | "
                         f"{_cell(dated.source.article)} | {_cell(dated.source.note or '')} |")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    PAGE.write_text(render(), encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
