"""Personal IDs (12 digits) and SI numbers (10 digits) never reach a log line in clear."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from ansinh.core.errors import Conflict
from ansinh.core.logging import MaskingFilter, configure_logging, mask

CITIZEN_ID = "001085012345"
SI_NUMBER = "0123456789"


@pytest.fixture
def masked_log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through a handler with the masking filter into a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("tests.core.masked")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, buffer
    logger.removeHandler(handler)


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """Undo what configure_logging does to the process."""
    factory = logging.getLogRecordFactory()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    logging.setLogRecordFactory(factory)
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"person {CITIZEN_ID} registered", "person *********345 registered"),
        (f"SI {SI_NUMBER}.", "SI *******789."),
        (f"{CITIZEN_ID},{SI_NUMBER}", "*********345,*******789"),
        ("/api/v1/people/001085012345/file", "/api/v1/people/*********345/file"),
        ("tax 0100233488-001", "tax *******488-001"),
        # not identifiers: other lengths, or digits inside a longer number
        ("12345678901 and 1234567890123 and 2026-11-23", "12345678901 and 1234567890123 and 2026-11-23"),
        ("no digits", "no digits"),
    ],
)
def test_mask_keeps_the_last_three_digits(text: str, expected: str) -> None:
    assert mask(text) == expected


def test_a_citizen_id_in_the_message_or_in_percent_args_is_masked(
    masked_log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, buffer = masked_log
    logger.info(f"registered {CITIZEN_ID}")
    logger.info("looked up %s and %s", CITIZEN_ID, SI_NUMBER)
    logger.info("by mapping %(key)s", {"key": CITIZEN_ID})
    logger.info("status %d for %s", 404, CITIZEN_ID)
    assert buffer.getvalue().splitlines() == [
        "registered *********345",
        "looked up *********345 and *******789",
        "by mapping *********345",
        "status 404 for *********345",
    ]


def test_an_id_passed_as_a_number_is_masked_and_percent_d_still_works(
    masked_log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, buffer = masked_log
    logger.info("SI %d", 1234567890)
    assert buffer.getvalue() == "SI *******890\n"


def test_an_exception_s_message_is_masked_as_an_argument_and_in_its_traceback(
    masked_log: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, buffer = masked_log
    error = Conflict(f"citizen ID {CITIZEN_ID} is already registered", field="citizen_id")
    logger.warning("refused: %s", error)
    try:
        raise error
    except Conflict:
        logger.exception("registration of %s failed", CITIZEN_ID)
    output = buffer.getvalue()
    assert CITIZEN_ID not in output
    assert "refused: citizen_id: citizen ID *********345 is already registered" in output
    assert "registration of *********345 failed" in output
    assert "Traceback" in output
    assert "Conflict: citizen_id: citizen ID *********345 is already registered" in output


def test_a_record_whose_arguments_do_not_fit_is_still_logged_masked(
    masked_log: tuple[logging.Logger, io.StringIO],
) -> None:
    """An ID passed as a number is masked by formatting the message; if that fails the
    message is kept without its arguments rather than logged in clear or not at all."""
    logger, buffer = masked_log
    logger.info("two %d %d", 1234567890)  # noqa: PLE1206 - the mistake is the point
    assert buffer.getvalue() == "two %d %d\n"


def test_configure_logging_masks_every_logger_even_through_other_handlers(
    restored_logging: None, caplog: pytest.LogCaptureFixture,
) -> None:
    """Handlers added later (uvicorn's, pytest's) see masked records too."""
    configure_logging()
    configure_logging()  # twice is harmless
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1", "GET",
                                                 f"/officer/people/{CITIZEN_ID}", "1.1", 200)
    assert caplog.messages == ['127.0.0.1 - "GET /officer/people/*********345 HTTP/1.1" 200']
    assert caplog.records[0].args == ("127.0.0.1", "GET", "/officer/people/*********345", "1.1", 200)


def test_configure_logging_gives_the_root_logger_one_masking_handler(restored_logging: None) -> None:
    root = logging.getLogger()
    root.handlers[:] = []
    configure_logging()
    configure_logging()
    assert len(root.handlers) == 1
    assert any(isinstance(f, MaskingFilter) for f in root.handlers[0].filters)
