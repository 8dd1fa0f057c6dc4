"""The state store this installation uses: SQLite in the data folder, or Redis shared by hosts."""

from __future__ import annotations

from core.settings import Settings
from indexer.state.base import State


def open_state(settings: Settings) -> State:
    """Redis when ``MARSAD_REDIS_URL`` (or ``shared.redis_url``) is set, else ``data/state.sqlite``.

    Raises StateError when the store cannot be opened (a damaged file, Redis unreachable)."""
    if settings.redis_url:
        from indexer.state.redis_state import RedisState

        return RedisState(settings.redis_url, prefix=settings.redis_prefix)
    from indexer.state.store import StateStore

    return StateStore(settings.state_path)


def has_state(settings: Settings) -> bool:
    """Whether a state store exists to read (a page view must not create an empty SQLite file)."""
    return settings.shared or settings.state_path.exists()
