"""The local portal world: synthetic Arabic ICT news portals served on loopback for tests and demos."""

from __future__ import annotations

from crawler.portalworld.data import AZERBAIJAN_RE, PortalWorldDataError, load_world_data
from crawler.portalworld.server import RequestRecord
from crawler.portalworld.world import ExpectedArticle, PortalWorld

__all__ = [
    "AZERBAIJAN_RE",
    "ExpectedArticle",
    "PortalWorld",
    "PortalWorldDataError",
    "RequestRecord",
    "load_world_data",
]
