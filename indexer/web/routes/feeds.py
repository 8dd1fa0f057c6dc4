"""Each rule's Atom feed (``/feeds/<rule>.atom``), read from ``data/feeds``; only names a rule
can have are looked up, so no path leaves that folder."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response

from indexer.delivery.feeds import feed_path
from indexer.web.context import WebContext
from indexer.web.routes.common import context

FEED_NAME = re.compile(r"^[^\W_][\w.-]*$")  # the rule-name pattern: no "/", no leading "."
router = APIRouter(include_in_schema=False)


@router.get("/feeds/{name}")
def feed(name: str, ctx: Annotated[WebContext, Depends(context)]) -> Response:
    rule = name.removesuffix(".atom")
    if not name.endswith(".atom") or not FEED_NAME.match(rule):
        raise HTTPException(404, "no feed for this rule")
    path = feed_path(ctx.settings.feeds_dir, rule)
    if not path.is_file():
        raise HTTPException(404, "no feed for this rule")
    return Response(path.read_bytes(), media_type="application/atom+xml; charset=utf-8")
