"""Browser tests: the app served by uvicorn on a free local port, driven by Chromium.

The browser is the system's Chromium (Debian's package); Playwright never downloads one.
Without it the tests are skipped with the reason, except under ``CI=true``, where a missing
browser is a failure rather than a silent gap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import Engine

from ansinh.api.app import create_app
from ansinh.db import migrate
from ansinh.db.engine import make_engine
from ansinh.db.uow import UnitOfWork
from ansinh.org.service import load_admin_map, load_offices
from tests.databases import IN_CI
from tests.e2e.server import LiveServer, serve
from tests.signin import PASSWORD

CHROMIUM = Path(os.environ.get("ANSINH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
"""Screenshots for a person to look at; ignored by git."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives a real browser against a running server")


@pytest.fixture(scope="module")
def e2e_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated SQLite database of the module's own, with the administrative map loaded.

    A file rather than memory: the server thread and the test each open connections, and
    both must see the rows the test commits.
    """
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'ansinh.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    load_admin_map(uow=UnitOfWork(engine))
    load_offices(uow=UnitOfWork(engine), applied_by="tests")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def live_server(e2e_engine: Engine) -> Iterator[LiveServer]:
    """The app over the module's database, served on a free 127.0.0.1 port."""
    with serve(create_app(e2e_engine)) as server:
        yield server


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (install Debian's chromium or set ANSINH_CHROMIUM)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Browser]:
    """A headless Chromium driven by Playwright (the system's browser, never a download)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in Vietnamese at an office screen's size, its cookies its own."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def sign_in(page: Page, server: LiveServer, username: str, password: str = PASSWORD, path: str = "/") -> None:
    """Open ``path`` signed out, sign in on the page it sends us to, and come back to it."""
    page.goto(server.url + path)
    expect(page).to_have_url(re.compile(r"/signin\?next="))
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("form.form button[type=submit]").click()
    expect(page.get_by_test_id("signed-in-as")).to_be_visible()
