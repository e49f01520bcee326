"""The Starlette app behind `finsam-audit serve`: upload, audit, report, downloads, what-if.

Routes (all pages in Swedish):
  GET  /                                 the upload form
  POST /granska                          files in; the audit is kept (store.py) and the browser sent to its page
  GET  /granskning/KEY                   the result: messages, downloads, the what-if form, the report in a frame
  GET  /granskning/KEY/rapport           the HTML report itself (report/html.py), for the frame
  GET  /granskning/KEY/rapport.SUFFIX    the report to download: html, pdf, md, json
  POST /granskning/KEY/vad-om            a what-if on one of the audit's plans, shown on the result page

Every response forbids loading anything from elsewhere (Content-Security-Policy) and
caching; the app answers only to 127.0.0.1 and localhost as host names.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import cache

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finsam_audit.audit import AuditResult, audit_parse_results, dossiers
from finsam_audit.audit.catalog import Catalog, load_catalog
from finsam_audit.audit.config import AuditConfig
from finsam_audit.common.errors import InputError, InternalError
from finsam_audit.report.output import report_bytes
from finsam_audit.report.text import render
from finsam_audit.report.whatif import render_whatif
from finsam_audit.review.whatif import what_if
from finsam_audit.serve.page import DOWNLOADS, WhatIfView, gone_view, messages, page, result_view, upload_form
from finsam_audit.serve.store import Audited, Store
from finsam_audit.serve.uploads import (
    MAX_FILE_BYTES,
    MAX_FILES,
    MAX_REQUEST_BYTES,
    TOO_MUCH,
    Upload,
    read_uploads,
    upload_name,
)

HOSTS = ["127.0.0.1", "localhost"]
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
     b"img-src data:; frame-src 'self'; form-action 'self'; frame-ancestors 'self'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]
NO_FILES = "Välj en eller flera filer att granska."


class Refused(Exception):
    """An upload that is not read at all, with the Swedish reason."""


class _Headers:
    """Adds SECURITY_HEADERS to every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _limited(receive: Receive, limit: int) -> Receive:
    """The request body, refused as soon as it grows beyond `limit` bytes."""
    seen = 0

    async def receive_limited() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise Refused(TOO_MUCH)
        return message

    return receive_limited


async def _uploads(request: Request) -> list[Upload]:
    limited = Request(request.scope, _limited(request.receive, MAX_REQUEST_BYTES))
    try:
        async with limited.form(max_files=MAX_FILES, max_fields=10) as form:
            files = [item for item in form.getlist("filer") if isinstance(item, UploadFile)]
            taken: set[str] = set()
            # A size above the limit is enough to refuse the file: read no more than that.
            return [Upload(upload_name(item.filename, index, taken), await item.read(MAX_FILE_BYTES + 1))
                    for index, item in enumerate(files, start=1) if item.filename or item.size]
    except HTTPException:  # too many files, or a malformed upload
        raise Refused(TOO_MUCH) from None


@cache
def _catalog() -> Catalog:
    return load_catalog(AuditConfig().rules)


def _audit(uploads: list[Upload]) -> Audited:
    reading = read_uploads(uploads)
    result = audit_parse_results(reading.results, AuditConfig(), _catalog()) if reading.results else AuditResult()
    return Audited(
        result=result.with_unreadable(reading.failures),
        documents=[document for read in reading.results for document in read.documents],
    )


def _html(body: list[str], status: int = 200) -> HTMLResponse:
    return HTMLResponse(page(body), status_code=status)


async def start(request: Request) -> Response:
    return _html(upload_form())


async def audit(request: Request) -> Response:
    try:
        uploads = await _uploads(request)
    except Refused as refused:
        return _html(upload_form([str(refused)]), 413)
    if not uploads:
        return _html(upload_form([NO_FILES]), 400)
    audited = await run_in_threadpool(_audit, uploads)
    if not audited.documents:
        return _html(upload_form(audited.failure_messages), 422)
    return RedirectResponse(f"/granskning/{request.app.state.store.put(audited)}", status_code=303)


def _with_audit(
    handler: Callable[[Request, str, Audited], Awaitable[Response]],
) -> Callable[[Request], Awaitable[Response]]:
    """A route on one kept audit: the gone page when the key is unknown or expired."""

    async def endpoint(request: Request) -> Response:
        key = request.path_params["key"]
        audited = request.app.state.store.get(key)
        if audited is None:
            return _html(gone_view(), 404)
        return await handler(request, key, audited)

    return endpoint


async def result(request: Request, key: str, audited: Audited) -> Response:
    return _html(result_view(key, audited))


async def report(request: Request, key: str, audited: Audited) -> Response:
    return HTMLResponse(await run_in_threadpool(render, audited.result, "html"))


async def download(request: Request, key: str, audited: Audited) -> Response:
    suffix = request.path_params["suffix"]
    if suffix not in DOWNLOADS:
        return _html(messages("Sidan finns inte", [f"Rapporten finns inte som .{suffix}."]), 404)
    name = f"granskning.{suffix}"
    try:
        content = await run_in_threadpool(report_bytes, audited.result, DOWNLOADS[suffix].fmt, name)
    except InputError as error:  # the PDF without WeasyPrint's libraries
        return _html(messages("Rapporten kunde inte skapas", [str(error)]), 500)
    return Response(content, media_type=DOWNLOADS[suffix].media_type,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def _form_problem(values: dict[str, str], plans: int) -> str | None:
    """What the what-if form lacks before anything is tried; None when it is complete."""
    name, amount, year, drop = (values.get(k, "") for k in ("namn", "belopp", "ar", "avsluta"))
    index = values.get("plan", "")
    if not index.isdigit() or int(index) >= plans:
        return "Välj en av planerna."
    if bool(name) != bool(amount):
        return "Ett nytt bidrag behöver både insatsens namn och ett belopp."
    if year and not re.fullmatch(r"\d{4}", year):
        return "Året skrivs med fyra siffror, till exempel 2026 (tomt: varje planår)."
    if not name and not drop:
        return "Ange ett nytt bidrag eller välj en insats som avslutas."
    return None


def _what_if(audited: Audited, values: dict[str, str]) -> WhatIfView:
    """The what-if the form asks for, as report/whatif.py shows it, or the reason it cannot be made."""
    problem = _form_problem(values, len(audited.plans))
    if problem is not None:
        return WhatIfView(values=values, error=problem)
    plan = audited.plans[int(values["plan"])]
    name, amount, year, drop = (values.get(k, "") for k in ("namn", "belopp", "ar", "avsluta"))
    grants = [f"{name}:{values.get('typ', 'individ')}:{amount}" + (f":{year}" if year else "")] if name else []
    group = next(g for g in dossiers(audited.documents) if any(d is plan for d in g))
    related = [d for d in group if d is not plan]  # the dossier's protocols and earlier plans
    try:
        outcome = what_if(plan, grants, [drop] if drop else [], related=related, catalog=_catalog())
    except InputError as error:  # the CLI's message for the same --grant or --drop, as a sentence
        return WhatIfView(values=values, error=error.message[:1].upper() + error.message[1:] + ".")
    return WhatIfView(values=values, result_html=render_whatif(outcome, "html"))


async def whatif(request: Request, key: str, audited: Audited) -> Response:
    async with request.form(max_files=0, max_fields=20, max_part_size=10_000) as form:
        values = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    view = await run_in_threadpool(_what_if, audited, values)
    return _html(result_view(key, audited, view), 200 if view.error is None else 422)


async def _not_found(request: Request, exc: Exception) -> Response:
    return _html(messages("Sidan finns inte", ["Adressen finns inte här."]) + upload_form(), 404)


async def _internal_error(request: Request, exc: Exception) -> Response:
    said = f": {exc}" if isinstance(exc, InternalError) else f" ({type(exc).__name__})"  # the file it met, if known
    return _html(messages("Något gick fel", [
        f"Ett internt fel inträffade{said}. Filerna har inte sparats; försök igen eller använd "
        "kommandot finsam-audit audit."]), 500)


def create_app(store: Store | None = None) -> Starlette:
    app = Starlette(
        routes=[
            Route("/", start),
            Route("/granska", audit, methods=["POST"]),
            Route("/granskning/{key}", _with_audit(result)),
            Route("/granskning/{key}/rapport", _with_audit(report)),
            Route("/granskning/{key}/rapport.{suffix}", _with_audit(download)),
            Route("/granskning/{key}/vad-om", _with_audit(whatif), methods=["POST"]),
        ],
        middleware=[Middleware(_Headers), Middleware(TrustedHostMiddleware, allowed_hosts=HOSTS)],
        exception_handlers={404: _not_found, 500: _internal_error},
    )
    app.state.store = store or Store()
    return app
