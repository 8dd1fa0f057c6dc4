"""Settings: Elasticsearch URL and credentials from settings.yaml and MARSAD_ES_*; secrets only from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from es_nodes import EsNode

from core.errors import ConfigError
from core.settings import load_settings, split_credentials
from marsad.cli import main


def config(tmp_path: Path, settings: str = "") -> Path:
    folder = tmp_path / "config"
    folder.mkdir(parents=True)
    (folder / "settings.yaml").write_text(settings, encoding="utf-8")
    return folder


def test_credentials_come_from_the_environment_and_stay_out_of_the_repr(tmp_path: Path) -> None:
    env = {"MARSAD_ES_URL": "https://es.example.org:9243", "MARSAD_ES_USER": "marsad",
           "MARSAD_ES_PASSWORD": "s3cret-value", "MARSAD_ES_API_KEY": "a2V5LWlkOmtleQ=="}
    settings = load_settings(env=env, config_dir=config(tmp_path))
    assert settings.backend == "elasticsearch" and settings.es_url == "https://es.example.org:9243"
    assert (settings.es_user, settings.es_password, settings.es_api_key) == ("marsad", "s3cret-value",
                                                                           "a2V5LWlkOmtleQ==")
    assert "s3cret-value" not in repr(settings) and "a2V5LWlkOmtleQ==" not in repr(settings)


def test_settings_file_names_the_user_and_the_environment_the_password(tmp_path: Path) -> None:
    folder = config(tmp_path, "storage:\n  backend: elasticsearch\n  elasticsearch:\n    user: reader\n")
    settings = load_settings(env={"MARSAD_ES_PASSWORD": "pw-from-env"}, config_dir=folder)
    assert (settings.es_user, settings.es_password) == ("reader", "pw-from-env")
    with pytest.raises(ConfigError, match="user 'reader' is set but MARSAD_ES_PASSWORD is not"):
        load_settings(env={}, config_dir=folder)


@pytest.mark.parametrize("key", ["password", "api_key"])
def test_a_secret_in_the_settings_file_is_refused_with_the_key(tmp_path: Path, key: str) -> None:
    folder = config(tmp_path, f"storage:\n  elasticsearch:\n    {key}: hunter2\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(env={}, config_dir=folder)
    assert f"storage.elasticsearch.{key}: secrets are read from the environment only" in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_userinfo_in_the_url_becomes_credentials(tmp_path: Path) -> None:
    settings = load_settings(env={"MARSAD_ES_URL": "http://ops:p%40ss@127.0.0.1:9200"}, config_dir=config(tmp_path))
    assert settings.es_url == "http://127.0.0.1:9200"
    assert (settings.es_user, settings.es_password) == ("ops", "p@ss")
    assert split_credentials("http://127.0.0.1:9200/") == ("http://127.0.0.1:9200/", None, None)
    folder = config(tmp_path / "file", "storage:\n  elasticsearch:\n    url: http://ops:pw@127.0.0.1:9200\n")
    with pytest.raises(ConfigError, match="a password in the URL"):
        load_settings(env={}, config_dir=folder)


def test_a_password_without_a_user_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no Elasticsearch user"):
        load_settings(env={"MARSAD_ES_URL": "http://127.0.0.1:9200", "MARSAD_ES_PASSWORD": "x"},
                      config_dir=config(tmp_path))


def test_cli_with_a_wrong_password_names_the_url_and_not_the_password(
    es_node: EsNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in {**es_node.env, "MARSAD_ES_USER": "marsad", "MARSAD_ES_PASSWORD": "wrong-pass-42",
                        "MARSAD_DATA_DIR": str(tmp_path / "data")}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("MARSAD_ES_API_KEY", raising=False)
    assert main(["--config-dir", str(config(tmp_path)), "search", "أذربيجان"]) == 1
    err = capsys.readouterr().err
    assert f"Elasticsearch at {es_node.url} refused the credentials of user 'marsad'" in err
    assert "wrong-pass-42" not in err and (not es_node.password or es_node.password not in err)


def test_the_user_agent_carries_the_contact_url(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("crawl:\n  contact_url: https://example.org/marsad\n", encoding="utf-8")
    crawl = load_settings(env={}, config_dir=tmp_path).crawl
    assert crawl.full_user_agent() == "Marsad/0.1 (Arabic ICT news monitor; +https://example.org/marsad)"
    assert crawl.concurrent_requests_per_domain == 2 and crawl.conditional_get


def test_a_bad_contact_url_names_the_key(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("crawl:\n  contact_url: call me\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"crawl\.contact_url"):
        load_settings(env={}, config_dir=tmp_path)


def test_health_thresholds_are_read_and_validated(tmp_path: Path) -> None:
    folder = config(tmp_path, "health: {min_silence_hours: 72, failure_jump: 0.5}\n")
    settings = load_settings(env={}, config_dir=folder)
    assert settings.health.min_silence_hours == 72 and settings.health.failure_jump == 0.5
    assert settings.health.cadence_days == 30, "the rest keep their defaults"
    with pytest.raises(ConfigError, match=r"settings.yaml.*health.*silence_factor"):
        load_settings(env={}, config_dir=config(tmp_path / "bad", "health: {silence_factor: 0.5}\n"))
    with pytest.raises(ConfigError, match=r"settings.yaml.*keep_days"):
        load_settings(env={}, config_dir=config(tmp_path / "short", "health: {keep_days: 3}\n"))


def test_redis_url_comes_from_the_environment_and_is_never_shown(tmp_path: Path) -> None:
    settings = load_settings(env={"MARSAD_REDIS_URL": "redis://:s3cret-77@127.0.0.1:6390/0"}, config_dir=tmp_path)
    assert settings.shared and settings.redis_prefix == "marsad"
    assert "s3cret-77" not in repr(settings)
    assert not load_settings(env={}, config_dir=tmp_path).shared
    with pytest.raises(ConfigError, match="MARSAD_REDIS_URL"):
        load_settings(env={"MARSAD_REDIS_URL": "http://127.0.0.1:6390"}, config_dir=tmp_path)
    (tmp_path / "settings.yaml").write_text("shared:\n  redis_url: redis://:pw@127.0.0.1:6390/0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"shared\.redis_url.*MARSAD_REDIS_URL"):
        load_settings(env={}, config_dir=tmp_path)
