"""The login form for a server bound beyond loopback: the token, once, sets an HttpOnly cookie."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from indexer.web.context import WebContext
from indexer.web.guard import SESSION_COOKIE, local_path, same, session_value
from indexer.web.routes.common import context

MAX_FORM_BYTES = 4096
router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, ctx: Annotated[WebContext, Depends(context)], next: str = "/") -> Response:
    if ctx.token is None:
        return RedirectResponse("/", status_code=303)
    return ctx.page(request, "login.html", next=local_path(next), failed=False)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, ctx: Annotated[WebContext, Depends(context)]) -> Response:
    if ctx.token is None:
        return RedirectResponse("/", status_code=303)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return Response("form too large", status_code=413)
    form = parse_qs(body.decode("utf-8", "replace"))
    target = local_path((form.get("next") or ["/"])[0])
    if not same((form.get("token") or [""])[0].strip(), ctx.token):
        return ctx.page(request, "login.html", status=401, next=target, failed=True)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, session_value(ctx.token), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response
