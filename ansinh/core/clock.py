"""The only place that reads the clock.

Rules, services and repositories take ``as_of`` from their caller so that every decision
can be reproduced for any date; only the CLI and the web layer call these functions.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> dt.datetime:
    """The current time in Vietnam (UTC+7), timezone-aware."""
    return dt.datetime.now(tz=VIETNAM)


def today() -> dt.date:
    """Today's date in Vietnam, the date an office works on."""
    return now().date()
