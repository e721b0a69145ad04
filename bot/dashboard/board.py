"""What every dashboard page shares: templates, the session, and the scope check.

Every page and file checks the session and its scope here, on the server: the commune (and
village) in the address must be the session's, else the answer is 403, the same whether the
other commune exists or not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from bot.config import Settings
from bot.content import Catalog
from bot.dashboard import views
from bot.dashboard.links import LINK_MINUTES, PREFIX, TOKEN, DashboardLinks, digest
from bot.dashboard.security import COOKIE
from bot.figures import format_date, format_points, format_share
from bot.i18n import N_, _, format_number, pick_language, use_locale
from bot.reports import Report
from bot.services import ReportService
from bot.storage import Storage
from bot.storage.dashboard import DashboardSession

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Scoped:
    """A request for a page in scope: whose session, which commune and village."""

    session: DashboardSession
    commune_id: int
    village_id: int | None
    villages: dict[int, str]  # the active villages shown (one for a village)
    commune: str
    base: str  # this scope's address: /dashboard/c/3 or /dashboard/c/3/v/5
    here: str  # the page's own address, for the language form to come back to

    @property
    def place(self) -> str:
        if self.village_id is not None:
            return f"{self.villages[self.village_id]}, {self.commune}"
        return self.commune


@dataclass
class Dashboard:
    storage: Storage
    catalog: Catalog
    settings: Settings
    reports: ReportService
    links: DashboardLinks
    clock: Clock
    env: Environment = field(init=False)

    def __post_init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(_=_, prefix=PREFIX)
        self.env.filters.update(
            number=format_number, share=format_share, points=format_points, day=format_date
        )

    # -- rendering ---------------------------------------------------------------------------

    def page(self, template: str, *, status: int = 200, lang: str, **context: Any) -> HTMLResponse:
        with use_locale(lang):
            html = self.env.get_template(template).render(lang=lang, **context)
        return HTMLResponse(html, status_code=status)

    def message(
        self, request: Request, status: int, title: str, text: str, **values: object
    ) -> HTMLResponse:
        """A plain page saying what went wrong and what to do, in the browser's language
        (``title`` and ``text`` are marked with N_ and translated here)."""
        lang = browser_language(request)
        with use_locale(lang):
            return self.page(
                "message.html",
                status=status,
                lang=lang,
                title=_(title),
                text=_(text).format(**values),
            )

    # -- sessions ----------------------------------------------------------------------------

    async def session(self, request: Request) -> DashboardSession | None:
        token = request.cookies.get(COOKIE, "")
        if not TOKEN.match(token):
            return None
        return await self.storage.dashboard_session(digest(token), self.clock())

    def not_logged_in(self, request: Request) -> HTMLResponse:
        return self.message(
            request,
            401,
            N_("Please log in"),
            N_(
                "Open the dashboard with a new link: send /baocao to the chat assistant (or "
                "ask the operator for hocvuso dashboard-link). Each link works once, for "
                "{minutes} minutes."
            ),
            minutes=LINK_MINUTES,
        )

    async def scoped(self, request: Request) -> Scoped | Response:
        """The session and the scope the address asks for, checked; or the refusal."""
        session = await self.session(request)
        if session is None:
            return self.not_logged_in(request)
        commune_id = int(request.path_params["commune"])
        village_id = request.path_params.get("village")
        scope = session.scope
        allowed = commune_id == scope.commune_id and (
            scope.village_id is None or village_id == scope.village_id
        )
        villages = await self.storage.scope_villages(commune_id, village_id) if allowed else {}
        if not villages:
            log.info("dashboard: session %d refused %s", session.id, request.url.path)
            with use_locale(session.language):
                return self.page(
                    "message.html",
                    status=403,
                    lang=session.language,
                    title=_("Not your commune"),
                    text=_("This page is outside what your link opens. Go back to your own."),
                    home=home_of(session),
                )
        commune = await self.storage.commune_name(commune_id) or ""
        base = f"{PREFIX}/c/{commune_id}" + (f"/v/{village_id}" if village_id else "")
        return Scoped(session, commune_id, village_id, villages, commune, base, request.url.path)

    def frame(self, scoped: Scoped, current: str) -> dict[str, Any]:
        """What base.html needs: the place, the navigation, the forms' CSRF token."""
        session = scoped.session
        with use_locale(session.language):
            pages = {
                "overview": _("Overview"),
                "lessons": _("Lessons"),
                "pushes": _("Pushes"),
                "help": _("Help requests"),
            }
        paths = {"overview": "/", "lessons": "/lessons", "pushes": "/pushes", "help": "/help"}
        nav = [(scoped.base + paths[name], label, name == current) for name, label in pages.items()]
        whole = None
        if scoped.village_id is not None and session.scope.village_id is None:
            whole = f"{PREFIX}/c/{scoped.commune_id}/"  # staff looking at one village
        return {
            "title": f"{pages[current]} · {scoped.place}",
            "place": scoped.place,
            "nav": nav,
            "csrf": session.csrf,
            "here": scoped.here,
            "whole": whole,
            "base": scoped.base,
            "expires": views.moment(session.expires_at, self.settings.tz),
        }

    async def report(self, scoped: Scoped, *, per_lesson: bool = False) -> Report:
        """The scope's report; each lesson's passes only when asked (Excel, CSV)."""
        return await self.reports.report(
            scoped.commune_id,
            scoped.session.language,
            village_id=scoped.village_id,
            per_lesson=per_lesson,
        )


def home_of(session: DashboardSession) -> str:
    scope = session.scope
    village = f"/v/{scope.village_id}" if scope.village_id is not None else ""
    return f"{PREFIX}/c/{scope.commune_id}{village}/"


def browser_language(request: Request) -> str:
    first = request.headers.get("accept-language", "").split(",")[0].split(";")[0].strip()
    return pick_language(first or None)
