"""Two runs on one data folder never overlap."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import LockedError
from marsad.lock import run_lock


def test_second_lock_is_refused_then_released(tmp_path: Path) -> None:
    path = tmp_path / "marsad.lock"
    with run_lock(path), pytest.raises(LockedError, match="another marsad run"), run_lock(path):
        pass
    with run_lock(path):
        pass
