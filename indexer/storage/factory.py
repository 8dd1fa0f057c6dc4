"""Pick the storage backend the settings ask for."""

from __future__ import annotations

from core.settings import Settings
from indexer.storage.base import Storage


def open_storage(settings: Settings) -> Storage:
    if settings.backend == "elasticsearch":
        from indexer.storage.elastic import ElasticsearchStorage

        return ElasticsearchStorage.from_settings(settings)
    from indexer.storage.sqlite import SqliteStorage

    return SqliteStorage(settings.sqlite_path)
