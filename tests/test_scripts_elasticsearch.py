"""scripts/elasticsearch: idempotent start, status, credentials, stop, clear errors when Java or Maven is missing."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from es_nodes import EsNode

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "elasticsearch"
TOOLS = ("bash", "env", "dirname", "cat", "curl", "grep", "head", "mkdir", "rm", "seq", "sleep", "tail", "touch",
         "printf", "kill", "flock", "sed", "ls", "sort", "id", "base64", "tr", "chmod", "chown", "mv", "cp",
         "timeout", "setpriv", "useradd", "python3")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {name: value for name, value in os.environ.items() if name not in ("ES_JAVA_HOME", "JAVA21_HOME")}
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=600,
                          env={**base, **(env or {})})


def data_dir() -> Path:
    return Path(os.environ.get("MARSAD_DATA_DIR") or ROOT / "data")


@pytest.fixture(params=["es_node", "es9_node"], ids=["elasticsearch-8", "elasticsearch-9"])
def own_node(request: pytest.FixtureRequest) -> EsNode:
    node: EsNode = request.getfixturevalue(request.param)
    if node.label == "external":
        pytest.fail("this test checks the project's own node; unset MARSAD_ES_URL to run it", pytrace=False)
    return node


def test_start_is_idempotent_and_status_reports_the_url(own_node: EsNode) -> None:
    version = ["--version", own_node.label]
    again = run(*version, "start")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == own_node.url
    assert "resolving" not in again.stderr and "starting" not in again.stderr, "a running node must be reused"
    status = run(*version, "status")
    assert status.returncode == 0 and status.stdout.strip() == own_node.url
    by_env = run("status", env={"MARSAD_ES_VERSION": own_node.label})
    assert by_env.stdout.strip() == own_node.url
    assert run(*version, "password").stdout.strip() == own_node.password
    exports = run(*version, "env").stdout.splitlines()
    assert exports == [f"export MARSAD_ES_URL='{own_node.url}'", "export MARSAD_ES_USER='marsad'",
                       f"export MARSAD_ES_PASSWORD='{own_node.password}'"]


def test_the_node_never_runs_as_root_and_the_password_file_is_private(own_node: EsNode) -> None:
    node_dir = data_dir() / "elasticsearch" / f"node-{own_node.label}"
    password = node_dir / "password"
    assert stat.S_IMODE(password.stat().st_mode) == 0o600
    assert password.stat().st_uid == os.getuid()
    pid = (node_dir / "run" / "node.pid").read_text().strip()
    uid_line = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("Uid:"))
    uid = int(uid_line.split()[1])
    if os.getuid() == 0:
        assert uid != 0, "Elasticsearch must not run as root"
    else:
        assert uid == os.getuid(), "started by a user, the node runs as that user"


def test_the_node_needs_credentials_and_refuses_a_wrong_password(own_node: EsNode) -> None:
    health = f"{own_node.url}/_cluster/health"
    anonymous = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", health],
                               capture_output=True, text=True, timeout=30)
    assert anonymous.stdout == "401"
    wrong = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-K", "-", health],
                           input='user = "marsad:wrong"\n', capture_output=True, text=True, timeout=30)
    assert wrong.stdout == "401"
    right = subprocess.run(["curl", "-sS", "-K", "-", health], input=f'user = "marsad:{own_node.password}"\n',
                           capture_output=True, text=True, timeout=30)
    assert '"cluster_name":"marsad"' in right.stdout


@pytest.fixture
def reachable_data_dir() -> Iterator[Path]:
    """A data folder the node's system user can reach (pytest's tmp folders are private to root)."""
    folder = ROOT / "data" / f"test-es-{uuid.uuid4().hex[:8]}"
    folder.mkdir(parents=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_third_node_starts_with_its_own_password_and_stops(reachable_data_dir: Path, es_node: EsNode) -> None:
    """Beside the session's nodes (their ports are taken, so it finds another); small heap."""
    env = {"MARSAD_DATA_DIR": str(reachable_data_dir), "MARSAD_ES_HEAP": "384m"}
    started = run("start", env=env)
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip()
        assert url.startswith("http://127.0.0.1:") and url != es_node.url
        password = run("password", env=env).stdout.strip()
        assert len(password) >= 32 and password != es_node.password
        assert run("status", env=env).stdout.strip() == url
        options = reachable_data_dir / "elasticsearch" / "node-8" / "config" / "jvm.options.d" / "marsad.options"
        assert "-Xmx384m" in options.read_text()
    finally:
        stopped = run("stop", env=env)
    assert stopped.returncode == 0, stopped.stderr
    status = run("status", env=env)
    assert status.returncode == 1 and "no node running" in status.stderr
    assert run("status").stdout.strip() == es_node.url, "stopping one node leaves the others running"


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


def test_version_9_on_an_old_java_says_what_it_needs(tmp_path: Path) -> None:
    old_jdk = tmp_path / "jdk-17"
    (old_jdk / "bin").mkdir(parents=True)
    (old_jdk / "bin" / "java").write_text("#!/bin/sh\necho '    java.specification.version = 17' >&2\n")
    (old_jdk / "bin" / "java").chmod(0o755)
    env = {"JAVA21_HOME": str(old_jdk), "MARSAD_DATA_DIR": str(tmp_path / "data")}
    result = run("--version", "9", "start", env=env)
    assert result.returncode == 1
    assert "needs Java 21 or newer" in result.stderr and "JAVA21_HOME" in result.stderr


def test_status_without_a_node_exits_1(tmp_path: Path) -> None:
    for version in ("8", "9"):
        result = run("--version", version, "status", env={"MARSAD_DATA_DIR": str(tmp_path / "data")})
        assert result.returncode == 1
        assert "no node running" in result.stderr
    assert "no password yet" in run("password", env={"MARSAD_DATA_DIR": str(tmp_path / "data")}).stderr


def test_bad_port_version_and_command(tmp_path: Path) -> None:
    env = {"MARSAD_DATA_DIR": str(tmp_path)}
    assert run("start", env={**env, "MARSAD_ES_PORT": "80"}).returncode == 1
    assert run("start", env={**env, "MARSAD_ES_PORT": "92OO"}).returncode == 1
    bad_version = run("--version", "7", "start", env=env)
    assert bad_version.returncode == 1 and "must be 8 or 9" in bad_version.stderr
    assert run("frobnicate").returncode == 2
    assert run("--version").returncode == 2
