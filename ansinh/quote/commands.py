"""``ansinh quote FILE``: answer one JSON case (``-`` reads standard input)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from ansinh.cli_support import handles_errors
from ansinh.core.errors import InvalidInput
from ansinh.quote.schemas import QuoteCase
from ansinh.quote.service import quote

MAX_CASE_BYTES = 1_000_000
"""A case is a person's history: far below a megabyte. Larger input is refused unread."""


def _read(source: str) -> str:
    if source == "-":
        text = sys.stdin.read(MAX_CASE_BYTES + 1)
    else:
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(f"{source} is not a readable file", code="quote.file", field="file",
                               rule="give a JSON file, or - for standard input")
        text = path.read_bytes()[: MAX_CASE_BYTES + 1].decode("utf-8", errors="replace")
    if len(text) > MAX_CASE_BYTES:
        raise InvalidInput("the case is larger than 1 MB", code="quote.too_large", field="file",
                           rule="a case is at most 1 MB of JSON")
    return text


def parse_case(text: str) -> QuoteCase:
    """The case in ``text``, or an error naming the first field that is wrong."""
    try:
        return QuoteCase.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first.get("loc", ())) or "case"
        raise InvalidInput(first.get("msg", "invalid case"), code="quote.invalid", field=field,
                           rule="the case must follow the quote contract (QUOTE.md)") from None


@handles_errors
def quote_command(
    file: Annotated[str, typer.Argument(help="A JSON case file, or - for standard input.")],
) -> None:
    """Answer one case under the law in force on its date, as JSON with its explanation."""
    result = quote(parse_case(_read(file)))
    typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
