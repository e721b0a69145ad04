"""The dashboard's pages and files, one handler each. Each one starts from
``board.scoped`` (session and scope checked) or, for the forms, from the session and its
CSRF token; nothing is shown before that check.

Logging in: the link's GET only shows a page whose form uses the link (its script submits
the form at once; without scripts it is one tap). Chat apps fetch a link to draw a preview,
and that fetch must not use up the staff member's one-time link.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.community import build_community
from bot.dashboard import views
from bot.dashboard.board import Dashboard, Scoped, browser_language, home_of
from bot.dashboard.links import LINK_MINUTES, PREFIX, TOKEN, digest, new_token
from bot.dashboard.security import (
    SESSION_HOURS,
    clear_session_cookie,
    csrf_ok,
    read_form,
    secure_request,
    set_session_cookie,
)
from bot.exports import write_csv, write_png, write_progress_png, write_xlsx
from bot.i18n import LANGUAGES, N_, _, use_locale
from bot.reports import Report, kept_note, pace_note
from scheduler.calendar import week_key
from scheduler.jobs import Jobs
from scheduler.runner import next_runs

Handler = Callable[[Request], Awaitable[Response]]

REFUSED = {
    "unknown": (
        404,
        N_("This link does not work"),
        N_(
            "Check that the whole address was copied, or ask for a new link: send /baocao "
            "to the chat assistant."
        ),
    ),
    "used": (
        410,
        N_("This link was already used"),
        N_("Each link opens the dashboard once. Send /baocao to the chat assistant for a new one."),
    ),
    "expired": (
        410,
        N_("This link has expired"),
        N_("A link works for {minutes} minutes. Send /baocao to the chat assistant for a new one."),
    ),
    "role_ended": (
        403,
        N_("Your role has ended"),
        N_("This link was made for a role you no longer hold; the dashboard is not open to you."),
    ),
}
FILES = {
    ("baocao", "xlsx"): (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        write_xlsx,
    ),
    ("baocao", "csv"): ("text/csv; charset=utf-8", write_csv),
    ("bieudo", "png"): ("image/png", write_png),
    ("tiendo", "png"): ("image/png", write_progress_png),
}
SAFE_NEXT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789/")


def refused(board: Dashboard, request: Request, reason: str) -> Response:
    status, title, text = REFUSED.get(reason, REFUSED["unknown"])
    return board.message(request, status, title, text, minutes=LINK_MINUTES)


def not_found(board: Dashboard, request: Request) -> Response:
    return board.message(
        request, 404, N_("Not found"), N_("There is no such page or file on the dashboard.")
    )


def home(board: Dashboard) -> Handler:
    async def handle(request: Request) -> Response:
        session = await board.session(request)
        if session is None:
            return board.not_logged_in(request)
        return RedirectResponse(home_of(session), status_code=303)

    return handle


def login_page(board: Dashboard) -> Handler:
    """GET of a link: says whether it works, and if so offers (and auto-submits) the form
    that uses it. Nothing is written."""

    async def handle(request: Request) -> Response:
        token = request.path_params["token"]
        if not TOKEN.match(token):
            return refused(board, request, "unknown")
        status = await board.storage.dashboard_link_status(digest(token), board.clock())
        if status != "ok":
            return refused(board, request, status)
        lang = browser_language(request)
        with use_locale(lang):
            return board.page("login.html", lang=lang, token=token, title=_("Open the dashboard"))

    return handle


def login(board: Dashboard) -> Handler:
    """POST of the link's form: uses the link once, opens an 8-hour session (audited)."""

    async def handle(request: Request) -> Response:
        form = await read_form(request)
        token = (form or {}).get("token", "")
        if not TOKEN.match(token):
            return refused(board, request, "unknown")
        session_token = new_token()
        opened = await board.storage.open_dashboard_session(
            link_hash=digest(token),
            session_hash=digest(session_token),
            csrf=new_token(),
            now=board.clock(),
            lasts=timedelta(hours=SESSION_HOURS),
        )
        if isinstance(opened, str):
            return refused(board, request, opened)
        response = RedirectResponse(home_of(opened), status_code=303)
        secure = secure_request(request, board.links.base_url)
        set_session_cookie(response, session_token, secure=secure)
        return response

    return handle


def _form_refused(board: Dashboard, request: Request) -> Response:
    return board.message(
        request,
        403,
        N_("This form has expired"),
        N_("Reload the page and try again."),
    )


def _safe_next(path: str | None, fallback: str) -> str:
    """Back to a dashboard page only (never another site, never a scheme)."""
    if (
        path
        and path.startswith(PREFIX + "/")
        and "//" not in path
        and set(path) <= SAFE_NEXT | set("-_.")
    ):
        return path
    return fallback


def language(board: Dashboard) -> Handler:
    async def handle(request: Request) -> Response:
        session = await board.session(request)
        if session is None:
            return board.not_logged_in(request)
        form = await read_form(request)
        if not csrf_ok(form, session.csrf) or form is None:
            return _form_refused(board, request)
        lang = form.get("lang", "")
        if lang in LANGUAGES:
            await board.storage.set_dashboard_language(session.id, lang)
        target = _safe_next(form.get("next"), home_of(session))
        return RedirectResponse(target, status_code=303)

    return handle


def logout(board: Dashboard) -> Handler:
    async def handle(request: Request) -> Response:
        session = await board.session(request)
        if session is None:
            return board.not_logged_in(request)
        form = await read_form(request)
        if not csrf_ok(form, session.csrf):
            return _form_refused(board, request)
        await board.storage.end_dashboard_session(session.id, board.clock())
        with use_locale(session.language):
            response = board.page(
                "message.html",
                lang=session.language,
                title=_("You are logged out"),
                text=_("Send /baocao to the chat assistant when you want to look again."),
            )
        clear_session_cookie(response, secure=secure_request(request, board.links.base_url))
        return response

    return handle


Render = Callable[[Scoped, Request], Awaitable[Response]]


def scoped_page(board: Dashboard, render: Render) -> Handler:
    """``render`` runs only after the session and the scope passed, in the session's
    language."""

    async def handle(request: Request) -> Response:
        scoped = await board.scoped(request)
        if isinstance(scoped, Response):
            return scoped
        with use_locale(scoped.session.language):
            return await render(scoped, request)

    return handle


def overview(board: Dashboard) -> Handler:
    async def render(scoped: Scoped, request: Request) -> Response:
        report = await board.report(scoped)
        view = views.overview(report, one_village=scoped.village_id is not None)
        links = {
            line.village_id: f"{PREFIX}/c/{scoped.commune_id}/v/{line.village_id}/lessons"
            for line in view.lines
            if scoped.village_id is None and line.village_id is not None
        }
        return board.page(
            "overview.html",
            lang=scoped.session.language,
            view=view,
            links=links,
            pace_note=pace_note(report),
            kept_note=kept_note(),
            **board.frame(scoped, "overview"),
        )

    return scoped_page(board, render)


def lessons(board: Dashboard) -> Handler:
    async def render(scoped: Scoped, request: Request) -> Response:
        figures = await board.storage.lesson_figures(list(scoped.villages))
        return board.page(
            "lessons.html",
            lang=scoped.session.language,
            lessons=views.lessons(board.catalog, figures),
            **board.frame(scoped, "lessons"),
        )

    return scoped_page(board, render)


def pushes(board: Dashboard) -> Handler:
    async def render(scoped: Scoped, request: Request) -> Response:
        settings = board.settings
        tz = settings.tz
        now = board.clock().astimezone(tz)
        found = await board.storage.push_figures(
            scoped.commune_id, list(scoped.villages), whole_commune=scoped.village_id is None
        )
        jobs = Jobs(board.storage, board.catalog, tz=tz, weekly_slot=settings.slot)
        schedule = []
        for name, at in next_runs(settings.slot, tz, now):
            detail = ""
            if name == "weekly":
                content = jobs.weekly_content(at)
                texts = content.get("text", {}) if content else {}
                detail = views.excerpt(texts.get(scoped.session.language, "") if texts else "")
            elif name.startswith("10/10"):
                events = [
                    event
                    for event in await board.storage.events_for(at.year)
                    if event.commune_id == scoped.commune_id
                ]
                detail = (
                    f"{events[0].place}, {views.moment(events[0].starts_at, tz)}"
                    if events
                    else _("no place and time set yet (/sukien in the chat)")
                )
            schedule.append(views.schedule_line(name, at, detail, tz))
        queued = views.queued_lines(await board.storage.queued_weekly(week_key(now.date())))
        return board.page(
            "pushes.html",
            lang=scoped.session.language,
            schedule=schedule,
            queued=queued,
            pushes=views.push_lines(found, tz),
            **board.frame(scoped, "pushes"),
        )

    return scoped_page(board, render)


def help_page(board: Dashboard) -> Handler:
    """Help from people and families, per village of the scope: only counts and times."""

    async def render(scoped: Scoped, request: Request) -> Response:
        found = await build_community(board.storage, board.catalog, commune_id=scoped.commune_id)
        rows = [row for row in found.rows if row.village_id in scoped.villages]
        with use_locale(scoped.session.language):
            lines = views.help_lines(rows, found.totals if scoped.village_id is None else None)
        return board.page(
            "help.html",
            lang=scoped.session.language,
            lines=lines,
            **board.frame(scoped, "help"),
        )

    return scoped_page(board, render)


def download(board: Dashboard) -> Handler:
    """Excel, CSV and the two charts, for the scope; attachments are audited (the charts
    shown on the overview are not: they are the page)."""

    async def render(scoped: Scoped, request: Request) -> Response:
        key = (request.path_params["name"], request.path_params["ext"])
        found = FILES.get(key)
        if found is None:
            return not_found(board, request)
        media, write = found
        report = await board.report(scoped, per_lesson=key[1] != "png")
        stamp = report.today.isoformat() if report.today else str(report.year)
        name = f"{key[0]}-{stamp}.{key[1]}"
        content = await asyncio.to_thread(_write, write, report, name)
        attach = key[1] != "png" or "download" in request.query_params
        disposition = "attachment" if attach else "inline"
        headers = {"Content-Disposition": f'{disposition}; filename="{name}"'}
        if attach:
            where = f"commune {scoped.commune_id}"
            if scoped.village_id is not None:
                where += f" village {scoped.village_id}"
            await board.storage.audit(
                actor=_actor(scoped),
                action="report_exported",
                detail=f"{key[1]} {where} on the dashboard",
                now=board.clock(),
            )
        return Response(content, media_type=media, headers=headers)

    return scoped_page(board, render)


def _actor(scoped: Scoped) -> str:
    learner = scoped.session.learner_id
    return f"learner {learner}" if learner is not None else "operator"


def _write(write: Callable[[Report, Path], Path], report: Report, name: str) -> bytes:
    """In a worker thread (Excel and charts take a moment); the locale is the caller's, as
    asyncio.to_thread copies the context."""
    with tempfile.TemporaryDirectory(prefix="hocvuso-dashboard-") as folder:
        return write(report, Path(folder) / name).read_bytes()
