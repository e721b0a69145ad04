"""The webhook server (Starlette on uvicorn): Telegram and Zalo post updates here.

Each webhook checks its secret header in constant time and answers 401 without reading
further when it is wrong. An update is handled before the answer, so a crash makes the
platform deliver it again; the processed-update table turns that second delivery into a
no-op. /healthz says the process is alive, /readyz that the database answers and its
schema is current. Lesson pictures are served under /img/ (Zalo sends pictures by URL), and
certificates too, drawn on request from an unguessable token. The web dashboard
(bot/dashboard), when it is on, is mounted under /dashboard.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.migrate import head_revision
from bot.storage import Storage

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes; a Telegram or Zalo update is a few kilobytes
TELEGRAM_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ZALO_HEADER = "X-Bot-Api-Secret-Token"
IMAGE_NAME = re.compile(r"^[a-z0-9_-]+\.(png|jpg)$")
CERTIFICATE_NAME = re.compile(r"^cert-([A-Za-z0-9_-]{16,32})\.png$")


def _authorized(request: Request, header: str, secret: str) -> bool:
    given = request.headers.get(header, "").encode()
    return hmac.compare_digest(given, secret.encode())


async def _json(request: Request) -> object | Response:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        return PlainTextResponse("too large", status_code=413)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return PlainTextResponse("too large", status_code=413)
    try:
        parsed: object = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return PlainTextResponse("not JSON", status_code=400)
    return parsed


def create_web_app(
    storage: Storage,
    *,
    secret: str,
    telegram: TelegramChannel | None = None,
    zalo: ZaloChannel | None = None,
    images: str | None = None,
    certificates: Callable[[str], Awaitable[Path | None]] | None = None,
    dashboard: ASGIApp | None = None,
) -> Starlette:
    async def telegram_webhook(request: Request) -> Response:
        if telegram is None or not _authorized(request, TELEGRAM_HEADER, secret):
            return PlainTextResponse("unauthorized", status_code=401)
        data = await _json(request)
        if isinstance(data, Response):
            return data
        if not await telegram.process(data):
            log.info("web: an unreadable Telegram update was dropped")
        return JSONResponse({"ok": True})

    async def zalo_webhook(request: Request) -> Response:
        if zalo is None or not _authorized(request, ZALO_HEADER, secret):
            return JSONResponse({"message": "Unauthorized"}, status_code=401)
        data = await _json(request)
        if isinstance(data, Response):
            return data
        if not await zalo.process(data):
            log.info("web: a Zalo update without a sender was dropped")
        return JSONResponse({"message": "Success"})

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    async def readyz(request: Request) -> Response:
        try:
            current = await storage.current_revision()
        except Exception as exc:  # any database failure means "not ready"
            return PlainTextResponse(f"database unreachable: {type(exc).__name__}", 503)
        if current != head_revision():
            return PlainTextResponse(f"database at {current}, code expects {head_revision()}", 503)
        return PlainTextResponse("ready")

    async def image(request: Request) -> Response:
        """Lesson pictures only (no other file of the folder), for Zalo's sendPhoto by URL;
        and certificates, drawn from the database by their unguessable token."""
        name = request.path_params["name"]
        certificate = CERTIFICATE_NAME.match(name)
        if certificate is not None and certificates is not None:
            drawn = await certificates(certificate.group(1))
            if drawn is None:
                return PlainTextResponse("not found", status_code=404)
            return FileResponse(drawn, headers={"Cache-Control": "private, no-store"})
        path = Path(images or "") / name
        if not images or not IMAGE_NAME.match(name) or not path.is_file():
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, headers={"Cache-Control": "public, max-age=86400"})

    routes: list[Route | Mount] = [
        Route("/telegram/webhook", telegram_webhook, methods=["POST"]),
        Route("/zalo/webhook", zalo_webhook, methods=["POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/img/{name}", image),
    ]
    if dashboard is not None:
        routes.append(Mount("/dashboard", app=dashboard))
    return Starlette(routes=routes)
