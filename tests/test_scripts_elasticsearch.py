"""scripts/elasticsearch: idempotent start, status, clear errors when Java or Maven is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "elasticsearch"
TOOLS = ("bash", "env", "dirname", "cat", "curl", "grep", "head", "mkdir", "rm", "seq", "sleep", "tail", "touch",
         "printf", "kill", "setsid")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


def test_start_is_idempotent_and_status_reports_the_url(es_url: str) -> None:
    if os.environ.get("MARSAD_ES_URL"):
        pytest.fail("this test checks the project's own node; unset MARSAD_ES_URL to run it", pytrace=False)
    again = run("start")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == es_url
    assert "resolving" not in again.stderr, "a running node must be reused, not fetched again"
    status = run("status")
    assert status.returncode == 0 and status.stdout.strip() == es_url


def path_without(tmp_path: Path, missing: set[str]) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in (*TOOLS, "java", "mvn"):
        found = shutil.which(tool)
        if tool not in missing and found:
            (bin_dir / tool).symlink_to(found)
    return str(bin_dir)


@pytest.mark.parametrize(("missing", "message"), [({"java", "mvn"}, "Java is missing"), ({"mvn"}, "Maven is missing")])
def test_missing_tool_gives_a_clear_message(tmp_path: Path, missing: set[str], message: str) -> None:
    result = run("start", env={"PATH": path_without(tmp_path, missing), "MARSAD_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 1
    assert message in result.stderr


def test_status_without_a_node_exits_1(tmp_path: Path) -> None:
    result = run("status", env={"MARSAD_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 1
    assert "no node running" in result.stderr


def test_bad_port_and_bad_command(tmp_path: Path) -> None:
    assert run("start", env={"MARSAD_ES_PORT": "80", "MARSAD_DATA_DIR": str(tmp_path)}).returncode == 1
    assert run("frobnicate").returncode == 2
