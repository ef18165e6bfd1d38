"""Serve an app with uvicorn in a background thread, for a browser to reach."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

START_SECONDS = 10.0
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class LiveServer:
    """A running server; ``url`` has no trailing slash."""

    url: str


@contextmanager
def serve(app: FastAPI) -> Iterator[LiveServer]:
    """Run ``app`` on a free 127.0.0.1 port until the block ends.

    The socket is bound here and handed to uvicorn, so no other process can take the
    port between choosing it and listening on it.
    """
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", ws="none", http="h11")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        for _ in range(int(START_SECONDS / POLL_SECONDS)):
            if server.started or not thread.is_alive():
                break
            time.sleep(POLL_SECONDS)
        if not server.started:
            raise RuntimeError(f"uvicorn did not start within {START_SECONDS}s")
        yield LiveServer(url=f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=START_SECONDS)
        listener.close()
