"""When the index fails the server still answers: 503 with a readable Arabic page (JSON on /api),
for a corrupt SQLite file and for an Elasticsearch node that is down; `marsad serve` included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_support import fetch

from core.settings import Settings, load_settings
from indexer.web import WebServer
from marsad.sinks import free_port

ES_PASSWORD = "es-password-never-shown-0815"


def corrupt_settings(tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    (data / "articles.sqlite").write_bytes(b"this is not a database\x00" * 512)
    return load_settings(env={"MARSAD_DATA_DIR": str(data), "MARSAD_STORAGE_BACKEND": "sqlite"}, config_dir=tmp_path)


def es_down_settings(tmp_path: Path) -> Settings:
    return load_settings(env={"MARSAD_DATA_DIR": str(tmp_path / "data"),
                              "MARSAD_ES_URL": f"http://127.0.0.1:{free_port('127.0.0.1')}",
                              "MARSAD_ES_USER": "marsad", "MARSAD_ES_PASSWORD": ES_PASSWORD}, config_dir=tmp_path)


@pytest.fixture(params=["corrupt-sqlite", "elasticsearch-down"])
def failing(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WebServer]:
    settings = corrupt_settings(tmp_path) if request.param == "corrupt-sqlite" else es_down_settings(tmp_path)
    with WebServer(settings) as server:
        yield server


@pytest.mark.parametrize("path", ["/", "/?q=%D8%B7%D9%8A%D9%81", "/article/" + "a" * 40, "/alerts"])
def test_pages_answer_503_with_a_readable_page(failing: WebServer, path: str) -> None:
    answer = fetch(failing.url + path)
    assert answer.status == 503 and answer.headers["Content-Type"].startswith("text/html")
    assert 'dir="rtl"' in answer.text and "الفهرس غير متاح الآن" in answer.text
    assert ES_PASSWORD not in answer.text
    assert answer.headers["Content-Security-Policy"], "error pages carry the security headers too"


def test_api_answers_503_with_a_json_error(failing: WebServer) -> None:
    answer = fetch(failing.url + "/api/search?q=x")
    assert answer.status == 503 and answer.headers["Content-Type"] == "application/json"
    error = answer.json()["error"]
    assert error and ES_PASSWORD not in error


def test_pages_without_the_index_still_work(failing: WebServer) -> None:
    assert fetch(failing.url + "/help").status == 200
    assert fetch(failing.url + "/static/marsad.css").status == 200


def test_a_repaired_index_is_served_again(tmp_path: Path) -> None:
    settings = corrupt_settings(tmp_path)
    with WebServer(settings) as server:
        assert fetch(server.url + "/api/search?q=x").status == 503
        settings.sqlite_path.unlink()
        answer = fetch(server.url + "/api/search?q=x")
        assert answer.status == 200 and answer.json()["total"] == 0


def test_marsad_serve_answers_503_on_a_corrupt_index(tmp_path: Path) -> None:
    corrupt_settings(tmp_path)
    env = {**os.environ, "MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_STORAGE_BACKEND": "sqlite"}
    env.pop("MARSAD_WEB_TOKEN", None)
    command = [sys.executable, "-m", "marsad.cli", "--config-dir", str(tmp_path), "serve", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("Marsad web page on http://127.0.0.1:"), line
            url = line.split()[4].rstrip("/")
            answer = fetch(url + "/?q=x")
            assert answer.status == 503 and "الفهرس غير متاح الآن" in answer.text
            assert answer.headers["Server"] is None
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    assert process.returncode == 0


def test_marsad_serve_refuses_a_short_token(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "marsad.cli", "--config-dir", str(tmp_path), "serve",
                             "--port", "0", "--token", "short"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "MARSAD_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 2 and "at least 16 characters" in result.stderr
