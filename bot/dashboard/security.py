"""The dashboard's guards: security headers on every response, the session cookie, forms
read without a multipart parser, and the CSRF check every POST passes.

The pages load only their own stylesheet and scripts (CSP without inline code), are never
framed, never send a Referer (a login link must not leak through one), and are not cached.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "hocvuso_dashboard"
COOKIE_PATH = "/dashboard"
SESSION_HOURS = 8
MAX_FORM = 4096  # bytes: the dashboard's forms carry a few short fields

HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeaders:
    """Adds HEADERS to every response of the app it wraps (pages, files, errors); pages and
    files are private to a session, so nothing may keep a copy (static files may)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = "/static/" in scope.get("path", "")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if not static:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


async def read_form(request: Request) -> dict[str, str] | None:
    """A small urlencoded form (first value of each field); None when it is not one."""
    if request.headers.get("content-type", "").split(";")[0].strip() != (
        "application/x-www-form-urlencoded"
    ):
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return None
    try:
        fields = parse_qs(body.decode("ascii"), max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        return None
    return {name: values[0] for name, values in fields.items()}


def csrf_ok(form: dict[str, str] | None, expected: str) -> bool:
    given = (form or {}).get("csrf", "")
    return bool(given) and hmac.compare_digest(given.encode(), expected.encode())


def secure_request(request: Request, public_url: str) -> bool:
    """Served over https: directly, through a proxy that says so (uvicorn reads
    X-Forwarded-Proto from the proxy it trusts), or by the public address's own word."""
    return request.url.scheme == "https" or public_url.startswith("https://")


def set_session_cookie(response: Response, token: str, *, secure: bool) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=SESSION_HOURS * 3600,
        path=COOKIE_PATH,
        secure=secure,
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response, *, secure: bool) -> None:
    response.delete_cookie(
        COOKIE, path=COOKIE_PATH, secure=secure, httponly=True, samesite="strict"
    )
