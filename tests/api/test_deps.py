"""A change is committed before its response is sent, never after."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import Engine, event

from ansinh.api.app import create_app
from tests.signin import PASSWORD, staff


def test_sign_in_is_committed_before_the_response_starts(db: Engine) -> None:
    """The browser follows the sign-in redirect at once: the session must already be written."""
    name = staff(db)
    events: list[str] = []

    def committed(connection: object) -> None:
        events.append("commit")

    event.listen(db, "commit", committed)
    app = create_app(db)
    body = f"username={name}&password={PASSWORD.replace(' ', '+')}&next=/".encode()
    scope: dict[str, Any] = {
        "type": "http", "method": "POST", "path": "/signin", "raw_path": b"/signin", "query_string": b"",
        "headers": [(b"content-type", b"application/x-www-form-urlencoded"),
                    (b"content-length", str(len(body)).encode())],
        "http_version": "1.1", "scheme": "http", "server": ("testserver", 80), "client": ("c", 1),
        "root_path": "", "app": app}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            events.append(f"response {message['status']}")

    try:
        asyncio.run(app(scope, receive, send))
    finally:
        event.remove(db, "commit", committed)
    assert "response 303" in events
    assert "commit" in events[: events.index("response 303")], events
