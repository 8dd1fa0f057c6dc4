"""What every answer goes through: security headers, the Host allow-list on loopback, the token
(bearer or login cookie), and the refusal to serve beyond loopback without one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from web_support import FakeStorage, fetch

from core.errors import UsageError
from core.settings import Settings, load_settings
from indexer.storage.base import SearchResult
from indexer.web import WebServer, create_app
from indexer.web.guard import CSP, local_path
from indexer.web.server import resolve_token

TOKEN = "correct-horse-battery-staple-42"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(env={"MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_STORAGE_BACKEND": "sqlite"},
                         config_dir=tmp_path)


@pytest.fixture
def server(settings: Settings) -> Iterator[WebServer]:
    with WebServer(settings, storage_factory=lambda: FakeStorage(SearchResult(total=0))) as running:
        yield running


@pytest.fixture
def guarded(settings: Settings) -> Iterator[WebServer]:
    with WebServer(settings, token=TOKEN, storage_factory=lambda: FakeStorage(SearchResult(total=0))) as running:
        yield running


@pytest.mark.parametrize("path", ["/", "/help", "/api/search", "/static/marsad.css", "/nope"])
def test_every_answer_has_the_security_headers_and_no_banner(server: WebServer, path: str) -> None:
    answer = fetch(server.url + path)
    assert answer.headers["Content-Security-Policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "frame-ancestors 'none'" in CSP and "script-src 'self'" in CSP
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Server"] is None, "no version banner"


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_names_with_the_port_are_served(server: WebServer, name: str) -> None:
    assert fetch(server.url + "/help", host=f"{name}:{server.port}").status == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1",
                                  "localhost.evil.example:{port}", ""])
def test_other_host_headers_get_400(server: WebServer, host: str) -> None:
    answer = fetch(server.url + "/api/search", host=host.format(port=server.port))
    assert answer.status == 400 and "Host header not allowed" in answer.text
    assert answer.headers["Content-Security-Policy"] == CSP


def test_beyond_loopback_a_token_is_required(settings: Settings) -> None:
    with pytest.raises(UsageError, match="token is required"):
        create_app(settings, host="0.0.0.0")
    with pytest.raises(UsageError, match="at least 16"):
        create_app(settings, host="0.0.0.0", token="short")
    create_app(settings, host="0.0.0.0", token=TOKEN)


def test_a_token_is_generated_beyond_loopback_and_taken_from_the_environment() -> None:
    token, generated = resolve_token("0.0.0.0", None, env={})
    assert generated and token is not None and len(token) >= 16
    assert resolve_token("0.0.0.0", None, env={"MARSAD_WEB_TOKEN": TOKEN}) == (TOKEN, False)
    assert resolve_token("127.0.0.1", None, env={}) == (None, False)
    assert resolve_token("::1", "given-token-1234567", env={"MARSAD_WEB_TOKEN": TOKEN}) == ("given-token-1234567",
                                                                                             False)


def test_without_the_token_pages_redirect_to_login_and_the_api_answers_401(guarded: WebServer) -> None:
    page = fetch(guarded.url + "/?q=" + quote("أذربيجان"))
    assert page.status == 303 and page.headers["Location"] == "/login?next=" + quote("/?q=" + quote("أذربيجان"), "")
    api = fetch(guarded.url + "/api/search")
    assert api.status == 401 and api.headers["WWW-Authenticate"] == "Bearer" and "token" in api.json()["error"]
    assert fetch(guarded.url + "/feeds/azerbaijan.atom").status == 401
    assert fetch(guarded.url + "/api/search", {"Authorization": "Bearer wrong-token-wrong-token"}).status == 401
    assert fetch(guarded.url + "/static/marsad.css").status == 200, "the login page needs its style"
    assert fetch(guarded.url + "/loginx").status == 303, "only the login form itself is open"
    login = fetch(guarded.url + "/login")
    assert login.status == 200 and 'type="password"' in login.text


def test_the_bearer_token_opens_the_api(guarded: WebServer) -> None:
    answer = fetch(guarded.url + "/api/search", {"Authorization": f"Bearer {TOKEN}"})
    assert answer.status == 200 and answer.json()["total"] == 0


def test_login_sets_an_httponly_cookie_that_opens_the_pages(guarded: WebServer) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    wrong = fetch(guarded.url + "/login", form, "POST", b"token=nope&next=%2Fhelp")
    assert wrong.status == 401 and "الرمز غير صحيح" in wrong.text and wrong.headers["Set-Cookie"] is None
    right = fetch(guarded.url + "/login", form, "POST", f"token={TOKEN}&next=%2Fhelp".encode())
    assert right.status == 303 and right.headers["Location"] == "/help"
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
    session = cookie.split(";")[0]
    assert fetch(guarded.url + "/help", {"Cookie": session}).status == 200
    assert fetch(guarded.url + "/api/search", {"Cookie": session}).status == 200
    assert fetch(guarded.url + "/help", {"Cookie": "marsad_session=forged"}).status == 303


def test_login_never_redirects_to_another_site(guarded: WebServer) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        answer = fetch(guarded.url + "/login", form, "POST", f"token={TOKEN}&next={quote(target, '')}".encode())
        assert answer.headers["Location"] == "/"
    assert local_path("/article/abc?x=1") == "/article/abc?x=1"


def test_no_login_form_without_a_token(server: WebServer) -> None:
    answer = fetch(server.url + "/login")
    assert answer.status == 303 and answer.headers["Location"] == "/"


def test_templates_hold_no_inline_script_style_or_handler() -> None:
    """What the CSP would block anyway is never written: scripts and styles come from /static."""
    import re

    templates = Path(__file__).resolve().parents[1] / "indexer" / "web" / "templates"
    for template in templates.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:", text, re.IGNORECASE), template.name
