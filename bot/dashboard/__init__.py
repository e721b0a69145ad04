"""The web dashboard for commune staff and village heads (issue 18): server-rendered pages
on the web server, opened by one-time links from /baocao or `hocvuso dashboard-link`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.config import Settings
from bot.content import Catalog
from bot.dashboard import pages
from bot.dashboard.board import HERE, Dashboard
from bot.dashboard.links import LINK_MINUTES, PREFIX, DashboardLinks, LinkError
from bot.dashboard.security import SecurityHeaders
from bot.services import ReportService
from bot.storage import Storage


def create_dashboard(
    storage: Storage,
    catalog: Catalog,
    settings: Settings,
    reports: ReportService,
    links: DashboardLinks,
    clock: Callable[[], datetime],
) -> Starlette:
    """The app to mount at PREFIX; every response carries the security headers."""
    board = Dashboard(storage, catalog, settings, reports, links, clock)
    routes: list[Route | Mount] = [
        Route("/", pages.home(board)),
        Route("/login/{token}", pages.login_page(board)),
        Route("/login", pages.login(board), methods=["POST"]),
        Route("/language", pages.language(board), methods=["POST"]),
        Route("/logout", pages.logout(board), methods=["POST"]),
    ]
    for scope in ("/c/{commune:int}", "/c/{commune:int}/v/{village:int}"):
        routes += [
            Route(f"{scope}/", pages.overview(board)),
            Route(f"{scope}/lessons", pages.lessons(board)),
            Route(f"{scope}/pushes", pages.pushes(board)),
            Route(f"{scope}/help", pages.help_page(board)),
            Route(scope + "/{name:str}.{ext:str}", pages.download(board)),
        ]
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))

    async def not_found(request: Request, exc: Exception) -> Response:
        return pages.not_found(board, request)

    return Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={404: not_found, 405: not_found},
    )


__all__ = ["LINK_MINUTES", "PREFIX", "DashboardLinks", "LinkError", "create_dashboard"]
