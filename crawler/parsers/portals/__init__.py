"""Per-portal parsers. Each module registers its versions with :func:`crawler.parsers.registry.register`."""

from __future__ import annotations
