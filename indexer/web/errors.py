"""Errors as answers: a readable Arabic page, or ``{"error": ...}`` under /api.

503 when the index (or the state store) is unavailable: a corrupt SQLite file, Elasticsearch
down or refusing the credentials; 400 for a query that does not parse or a bad parameter; 404
and 405 as usual; 500 for anything else (logged, the page says no more than that).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from core.errors import StateError, StorageError, UsageError
from indexer.web.context import WebContext
from indexer.web.guard import SECURITY_HEADERS

logger = logging.getLogger(__name__)

TITLES = {
    400: "لا يمكن تنفيذ هذا البحث",
    401: "الدخول مطلوب",
    404: "الصفحة غير موجودة",
    405: "طريقة الطلب غير مسموحة",
    500: "حدث خطأ غير متوقع",
    503: "الفهرس غير متاح الآن",
}
EXPLANATIONS = {
    400: "راجع صيغة الاستعلام أو قيم المرشحات ثم أعد المحاولة.",
    404: "لم نجد ما طلبته. ربما حُذف المقال من الفهرس أو أن الرابط غير صحيح.",
    500: "سُجّل الخطأ في سجل الخادم. أعد المحاولة بعد قليل.",
    503: "تعذّر الوصول إلى فهرس المقالات (قد يكون خادم البحث متوقفاً أو ملف الفهرس تالفاً). "
         "أعد المحاولة بعد قليل، وراجع سجل الخادم إن استمرت المشكلة.",
}


def install(app: FastAPI) -> None:
    async def unavailable(request: Request, exc: Exception) -> Response:
        logger.warning("index unavailable for %s: %s", request.url.path, exc)
        return error_answer(request, 503, str(exc))

    async def bad_request(request: Request, exc: Exception) -> Response:
        return error_answer(request, 400, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_answer(request, exc.status_code, str(exc.detail), exc.headers)

    async def unexpected(request: Request, exc: Exception) -> Response:
        logger.error("error answering %s", request.url.path, exc_info=exc)
        response = error_answer(request, 500, "internal error")
        response.headers.update({name.decode(): value.decode() for name, value in SECURITY_HEADERS})
        return response

    app.add_exception_handler(StorageError, unavailable)
    app.add_exception_handler(StateError, unavailable)
    app.add_exception_handler(UsageError, bad_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


def error_answer(request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None) -> Response:
    ctx: WebContext = request.app.state.ctx
    detail = ctx.scrub(detail)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": detail}, status_code=status, headers=dict(headers or {}))
    response = ctx.page(
        request, "error.html", status=status,
        status_code=status,
        title=TITLES.get(status, "خطأ"),
        explanation=EXPLANATIONS.get(status, ""),
        detail=detail if status in (400, 503) else None,
        query=request.query_params.get("q", "") if status == 400 else "",
    )
    if headers:
        response.headers.update(headers)
    return response
