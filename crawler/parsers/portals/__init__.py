"""Per-portal parsers: one module per portal, one class per layout version, newest registered first.

Each module registers its classes with :func:`crawler.parsers.registry.register`; a redesign adds
a new class (``VERSION = "<portal>-2"``) with its own fixture instead of ``if`` branches.
"""

from __future__ import annotations

from crawler.parsers.portals import shamtech

__all__ = ["shamtech"]
