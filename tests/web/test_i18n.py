"""Languages of the pages: complete catalogues, formatting, and how a language is chosen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from ansinh.api.app import create_app
from ansinh.db.engine import make_engine
from ansinh.web import i18n
from ansinh.web.render import LANG_COOKIE

ROOT = Path(__file__).resolve().parents[2]
NBSP = "\u00a0"
MessageId = str | tuple[str, ...] | list[str]


def template_messages() -> set[str | tuple[str, ...]]:
    """Every translatable string in the templates, extracted as ``pybabel extract`` would."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, "babel.cfg")  # type: ignore[no-untyped-call]
    found: set[str | tuple[str, ...]] = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        found.add(message if isinstance(message, str) else tuple(m or "" for m in message))
    return found


def catalogue(locale: str) -> Catalog:
    with i18n.po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def key(message_id: MessageId) -> str:
    """The catalogue key of a message: its singular form."""
    return message_id if isinstance(message_id, str) else message_id[0]


def test_extraction_finds_the_templates_strings() -> None:
    messages = template_messages()
    assert "Find a person" in messages
    assert ("%(num)d month", "%(num)d months") in messages
    assert len(messages) > 50


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_catalogue_lists_exactly_the_templates_strings(locale: str) -> None:
    """A string missing from a catalogue is never translated; an extra one is dead weight."""
    in_templates = {key(m) for m in template_messages()}
    in_catalogue = {key(m.id) for m in catalogue(locale) if m.id}
    assert sorted(in_templates - in_catalogue) == [], "run pybabel extract and update (see babel.cfg)"
    assert sorted(in_catalogue - in_templates) == [], "obsolete entries: run pybabel update"


def test_every_string_has_a_vietnamese_translation() -> None:
    untranslated = [
        message.id for message in catalogue("vi")
        if message.id and (message.fuzzy or not all(
            message.string if isinstance(message.string, tuple) else (message.string,)
        ))
    ]
    assert untranslated == []


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_translations_keep_their_placeholders(locale: str) -> None:
    """Babel's checks: a translation uses the same %(name)s placeholders as its source."""
    problems = [(message.id, errors) for message, errors in catalogue(locale).check() if errors]
    assert problems == []


def test_vietnamese_translations_are_written_with_diacritics() -> None:
    translations = i18n.translations("vi")
    assert translations.gettext("Find a person") == "Tra cứu người tham gia"
    assert translations.gettext("Female") == "Nữ"
    assert translations.ngettext("%(num)d month", "%(num)d months", 5) == "%(num)d tháng"


def test_english_falls_back_to_the_source_strings() -> None:
    assert i18n.translations("en").gettext("Find a person") == "Find a person"


def test_an_unknown_locale_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported locale"):
        i18n.translations("fr")


@pytest.mark.parametrize(
    ("locale", "money", "day", "month", "month_name"),
    [
        ("vi", f"12.500.000{NBSP}₫", "07/03/1985", "03/2025", "Tháng 3"),
        ("en", f"12,500,000{NBSP}₫", "Mar 7, 1985", "Mar 2025", "March"),
    ],
)
def test_formats_follow_the_locale(
    locale: str, money: str, day: str, month: str, month_name: str
) -> None:
    assert i18n.format_money(12_500_000, locale) == money
    assert i18n.format_money(0, locale) == f"0{NBSP}₫"
    assert i18n.format_day(dt.date(1985, 3, 7), locale) == day
    assert i18n.format_month("2025-03", locale) == month
    assert i18n.format_month_name("2025-03", locale) == month_name
    assert i18n.format_day(None, locale) == ""
    assert i18n.format_money(None, locale) == ""


@pytest.fixture
def client() -> Iterator[TestClient]:
    """The app over an empty in-memory database: the sign-in form alone reads no table."""
    engine = make_engine("sqlite://")
    with TestClient(create_app(engine)) as client:
        yield client
    engine.dispose()


def test_vietnamese_is_the_default(client: TestClient) -> None:
    response = client.get("/signin", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="vi">' in response.text
    assert '<h1 id="signin-title">Đăng nhập</h1>' in response.text
    assert LANG_COOKIE not in response.cookies


def test_english_is_chosen_with_lang_and_remembered(client: TestClient) -> None:
    response = client.get("/signin", params={"lang": "en"})
    assert '<html lang="en">' in response.text
    assert '<h1 id="signin-title">Sign in</h1>' in response.text
    assert response.cookies.get(LANG_COOKIE) == "en"
    assert "HttpOnly" in response.headers["set-cookie"]

    remembered = client.get("/signin")
    assert '<html lang="en">' in remembered.text
    assert "set-cookie" not in remembered.headers

    back = client.get("/signin", params={"lang": "vi"})
    assert '<html lang="vi">' in back.text
    assert back.cookies.get(LANG_COOKIE) == "vi"
    assert '<html lang="vi">' in client.get("/signin").text


def test_an_unknown_language_falls_back_to_vietnamese(client: TestClient) -> None:
    response = client.get("/signin", params={"lang": "fr"})
    assert '<html lang="vi">' in response.text
    assert "set-cookie" not in response.headers


def test_language_asked_on_the_home_page_is_remembered(client: TestClient) -> None:
    response = client.get("/", params={"lang": "en"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.cookies.get(LANG_COOKIE) == "en"


def test_the_language_switch_keeps_the_page_and_its_query(client: TestClient) -> None:
    page = client.get("/officer/nowhere", params={"q": "Nguyễn An", "lang": "en"}).text
    assert '<nav class="lang-switch" aria-label="Language">' in page
    assert (
        '<a href="/officer/nowhere?q=Nguy%E1%BB%85n+An&amp;lang=vi" lang="vi" hreflang="vi">'
        "Tiếng Việt</a>"
    ) in page
    assert 'hreflang="en" aria-current="true">English</a>' in page
