"""Application logs without personal identifiers.

A log line must not carry a citizen's personal ID (12 digits) or SI number (10 digits):
logs are read by more people, kept longer and copied further than the registry. Every
run of 12 or 10 ASCII digits standing alone is masked to its last three digits
(``001085012345`` -> ``*********345``), wherever it appears: in the message, in its
``%``-arguments (strings, exceptions, any object's text) and in the text of a logged
exception's traceback. Ten-digit tax codes and phone numbers are masked too; a log loses
nothing it needs by that.

:func:`configure_logging` (called by the command line and by the web app) installs the
masking for every record of every logger, including handlers that libraries such as
uvicorn add later, and gives the root logger a stderr handler when it has none.
:class:`MaskingFilter` is the same masking as a filter to put on a handler of one's own.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["MaskingFilter", "configure_logging", "mask", "mask_record"]

KEEP = 3
"""Trailing digits left visible, enough to tell two records apart in a log."""
_IDENTIFIER = re.compile(r"(?<![0-9])(?:[0-9]{12}|[0-9]{10})(?![0-9])")
_MASKED = "_ansinh_masked"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def mask(text: str) -> str:
    """``text`` with every standalone 12- or 10-digit number masked but its last 3 digits."""
    return _IDENTIFIER.sub(lambda m: "*" * (len(m.group()) - KEEP) + m.group()[-KEEP:], text)


def _masked_arg(value: object) -> object:
    """A ``%``-argument with identifiers masked; other values are left as they are."""
    if isinstance(value, str):
        return mask(value)
    if value is None or isinstance(value, int | float):
        return value  # numbers stay numbers, so that %d still works (see _holds_number_id)
    text = str(value)
    masked = mask(text)
    return value if masked == text else masked


def _values(args: Any) -> list[object]:
    if isinstance(args, Mapping):
        return list(args.values())
    return list(args) if isinstance(args, tuple) else []


def _holds_number_id(args: Any) -> bool:
    """Whether an argument is an integer that reads as an identifier (it cannot be masked as a number)."""
    return any(isinstance(v, int) and _IDENTIFIER.search(str(v)) for v in _values(args))


def _mask_message(record: logging.LogRecord) -> None:
    if _holds_number_id(record.args):
        record.msg, record.args = mask(record.getMessage()), ()
        return
    record.msg = mask(record.msg) if isinstance(record.msg, str) else _masked_arg(record.msg)
    if isinstance(record.args, Mapping):
        record.args = {key: _masked_arg(value) for key, value in record.args.items()}
    elif isinstance(record.args, tuple):
        record.args = tuple(_masked_arg(value) for value in record.args)


def _mask_traceback(record: logging.LogRecord) -> None:
    if record.exc_info and record.exc_info[0] is not None:
        # Formatters print exc_text as it is when it is set; the live exception (whose
        # message may hold an ID) is dropped so that no handler formats it again unmasked.
        record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)


def _fallback(message: object) -> str:
    try:
        return mask(str(message))
    except Exception:  # an object without text
        return "(a log message that could not be turned into text)"


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask ``record`` in place (once): message, arguments, exception and stack text.

    Never raises: logging must not break the code that logs. A record whose arguments do
    not fit its message, or whose objects cannot be turned into text, keeps its (masked)
    message without the arguments.
    """
    if getattr(record, _MASKED, False):
        return record
    try:
        _mask_message(record)
    except Exception:  # a broken record is still logged, without its arguments
        record.msg, record.args = _fallback(record.msg), ()
    try:
        _mask_traceback(record)
    except Exception:  # an exception whose text cannot be made is logged without it
        record.exc_info, record.exc_text = None, "(the exception could not be formatted)"
    setattr(record, _MASKED, True)
    return record


class MaskingFilter(logging.Filter):
    """Masks personal IDs and SI numbers in every record it sees; drops none."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def _masking_factory(make: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(make(*args, **kwargs))

    setattr(factory, _MASKED, True)
    return factory


def configure_logging(level: int | str = logging.WARNING) -> None:
    """Mask identifiers in every log record from now on; log to stderr if nothing else does.

    Safe to call more than once (the command line and the web app both call it).
    """
    current = logging.getLogRecordFactory()
    if not getattr(current, _MASKED, False):
        logging.setLogRecordFactory(_masking_factory(current))
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(MaskingFilter())
        root.addHandler(handler)
        root.setLevel(level)
