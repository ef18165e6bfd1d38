"""Who the command line acts as, for the audit log."""

from __future__ import annotations

import getpass

from ansinh.core.actor import Actor

CLI_PREFIX = "cli:"
USERNAME_LENGTH = 64
"""Length of the audit log's actor column."""


def cli_actor() -> Actor:
    """The operating-system user running ``ansinh``, acting as the system.

    The command line is an operator's tool on the server itself: it has no sign-in, so
    the audit log names the login that ran it (``cli:<user>``).
    """
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no password-database entry (some containers)
        user = "unknown"
    return Actor(username=f"{CLI_PREFIX}{user}"[:USERNAME_LENGTH], role="system")
