"""Composition root: settings → storage → content → engine → channels."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import time

import uvicorn
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette

from bot.certificates import CertificateService
from bot.channels.base import Channel, ChannelError
from bot.channels.console import Inbox
from bot.channels.ordering import SharedOrder
from bot.config import ConfigError, Settings, load_areas
from bot.content import Catalog, ContentError, load_catalog
from bot.content.search import SearchIndex
from bot.core.engine import Engine, utcnow
from bot.core.messages import Reply
from bot.core.ports import Services
from bot.core.scamcheck import ScamChecker
from bot.core.turn import Options
from bot.dashboard.links import DashboardLinks
from bot.delivery import Dispatcher, Pace, pushed_step, reply_for
from bot.pacing import Budget, budget_for
from bot.resources import data_dir
from bot.services import AnnouncementWatcher, ReportService, StaffService
from bot.storage import Storage
from bot.storage.leader import LeaderLock
from bot.web import create_web_app
from scheduler.jobs import Jobs
from scheduler.runner import Leadership, SchedulerRunner

log = logging.getLogger(__name__)


class Doorbell:
    """Rung when something was queued, so the dispatcher looks at once (it is built later)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def ring(self) -> None:
        for listener in self._listeners:
            listener()

    def listen(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)


@dataclass
class App:
    settings: Settings
    storage: Storage
    catalog: Catalog
    engine: Engine
    doorbell: Doorbell
    reports: ReportService
    links: DashboardLinks | None  # None when the dashboard is off
    certificates: CertificateService | None = None
    _budgets: dict[str, Budget] = field(default_factory=dict)

    def budget(self, channel: str) -> Budget:
        """The one send budget of a channel, shared by its replies and the outbox (and, on
        PostgreSQL, by every process)."""
        if channel not in self._budgets:
            rates = {
                "telegram": self.settings.telegram_send_rate,
                "zalo": self.settings.zalo_send_rate,
            }
            self._budgets[channel] = budget_for(self.storage, channel, rates.get(channel, 5.0))
        return self._budgets[channel]

    def order(self, channel: str) -> SharedOrder | None:
        """Several processes may receive one user's updates (PostgreSQL): keep them in order."""
        return SharedOrder(self.storage, channel) if self.storage.postgres else None

    async def close(self) -> None:
        if self.certificates is not None:
            self.certificates.close()
        await self.storage.close()


def load_content(settings: Settings) -> Catalog:
    return load_catalog(settings.lessons_dir or data_dir("lessons"))


async def open_storage(settings: Settings) -> Storage:
    """Open the database and bring its schema to the current revision."""
    storage: Storage | None = None
    try:
        storage = Storage.open(settings.database_url)
        await storage.upgrade()
    except ModuleNotFoundError as exc:
        message = (
            f"The database driver {exc.name} is not installed (pip install 'hocvuso[postgres]')."
        )
        raise ConfigError(message) from None
    except (SQLAlchemyError, OSError) as exc:
        if storage is not None:
            await storage.close()
        reason = getattr(exc, "orig", None) or exc
        message = f"Cannot open the database ({reason}); check HOCVUSO_DATABASE_URL."
        raise ConfigError(message) from None
    return storage


async def build_app(settings: Settings) -> App:
    """Everything the bot needs, validated before any channel starts."""
    try:
        catalog = load_content(settings)
    except ContentError as exc:
        raise ConfigError(str(exc)) from None
    areas = load_areas(settings.config_file)
    storage = await open_storage(settings)
    if areas is not None:
        await storage.sync_areas(areas)
    doorbell = Doorbell()
    slot = settings.slot
    options = Options(
        tz=settings.tz,
        announce_limit=settings.announce_daily_limit,
        on_push=doorbell.ring,
        quiet=settings.quiet,
        weekly_slot=(slot.weekday, slot.hour, slot.minute),
        push_hours=tuple(h for h in Options.push_hours if not settings.quiet.covers(time(h))),
    )
    certificates = CertificateService(storage, catalog, settings.tz)
    reports = ReportService(storage, catalog, settings, utcnow)
    links = DashboardLinks(storage, public_address(settings)) if settings.dashboard else None
    services = Services(
        reports=reports,
        staff=StaffService(storage, settings),
        search=SearchIndex.build(catalog),
        checker=ScamChecker(catalog.scam_rules) if catalog.scam_rules else None,
        certificates=certificates,
        dashboard=links,
    )
    engine = Engine(storage, catalog, options=options, services=services)
    return App(
        settings, storage, catalog, engine, doorbell, reports, links, certificates=certificates
    )


def console_inbox(app: App) -> Inbox:
    """What is queued for a terminal user, taken from the outbox (quiet hours respected:
    then only a live help conversation's lines)."""

    async def take(user_id: str) -> list[Reply]:
        now = utcnow()
        quiet = app.settings.quiet.until(now, app.settings.tz) is not None
        replies = []
        for learner_id, content, language in await app.storage.take_chat_messages(
            "console", user_id, now, quiet
        ):
            reply = reply_for(content, language, "console")
            step = pushed_step(content, language, reply)
            if step is not None:
                await app.storage.show_step(learner_id, step)
            replies.append(reply)
        return replies

    return take


def public_address(settings: Settings, webhook: str | None = None) -> str:
    """Where people open the web server: HOCVUSO_PUBLIC_URL, else the --webhook address,
    else HOCVUSO_LISTEN itself (reachable from that machine, or the commune's network when
    it listens there)."""
    return settings.public_url or webhook or f"http://{settings.listen}"


def web_app(
    app: App,
    *,
    secret: str,
    telegram: Channel | None = None,
    zalo: Channel | None = None,
) -> Starlette:
    """The web server: webhooks, health, lesson pictures and, when on, the dashboard."""
    dashboard = None
    if app.links is not None:
        from bot.dashboard import create_dashboard

        dashboard = create_dashboard(
            app.storage, app.catalog, app.settings, app.reports, app.links, utcnow
        )
    return create_web_app(
        app.storage,
        secret=secret,
        telegram=telegram,  # type: ignore[arg-type]
        zalo=zalo,  # type: ignore[arg-type]
        images=str(app.catalog.root / "img"),
        certificates=app.certificates.by_token if app.certificates else None,
        dashboard=dashboard,
    )


def listen_socket(listen: str) -> socket.socket:
    """HOCVUSO_LISTEN bound before anything starts: a port in use is one sentence, not a
    server that dies later."""
    host, _sep, port = listen.rpartition(":")
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, int(port)))
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"Cannot listen on {listen} ({exc.strerror or exc}); set HOCVUSO_LISTEN to a free "
            "address, or HOCVUSO_DASHBOARD=false when polling without the dashboard."
        ) from None
    return sock


def telegram_channel(app: App) -> Channel | None:
    token = app.settings.telegram_bot_token
    if token is None:
        return None
    from bot.channels.telegram import TelegramChannel

    return TelegramChannel(
        app.engine,
        token=token.get_secret_value().strip(),
        base_url=app.settings.telegram_api_base_url,
        budget=app.budget("telegram"),
        order=app.order("telegram"),
    )


def zalo_channel(app: App) -> Channel | None:
    token = app.settings.zalo_bot_token
    if token is None:
        return None
    from bot.channels.zalo import ZaloChannel, ZaloClient

    client = ZaloClient(token.get_secret_value().strip(), base_url=app.settings.zalo_api_base_url)
    return ZaloChannel(
        app.engine,
        client,
        image_base_url=app.settings.image_base_url,
        budget=app.budget("zalo"),
        order=app.order("zalo"),
    )


def configured_channels(app: App) -> list[Channel]:
    """Every channel with a token; empty means the console."""
    return [c for c in (telegram_channel(app), zalo_channel(app)) if c is not None]


def dispatcher(app: App, channels: list[Channel]) -> Dispatcher:
    settings = app.settings
    paces = {
        "telegram": Pace(rate=settings.telegram_send_rate),
        "zalo": Pace(rate=settings.zalo_send_rate),
    }
    return Dispatcher(
        app.storage,
        {c.name: c for c in channels},
        paces,
        tz=settings.tz,
        quiet=settings.quiet,
        shared=app.storage.postgres,  # PostgreSQL: several processes may drain together
        budgets={c.name: app.budget(c.name) for c in channels},
    )


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: `serve` owns SIGINT / SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def _start_channel(channel: Channel, webhook: str | None, secret: str) -> None:
    try:
        if webhook is None:
            await channel.start()
        else:
            await channel.start_webhook(f"{webhook}/{channel.name}/webhook", secret)
    except ChannelError as exc:
        raise ConfigError(str(exc)) from None


async def serve(app: App, channels: list[Channel], *, webhook: str | None = None) -> None:
    """Start the channels (polling, or a webhook server when ``webhook`` is the public URL),
    the outbox dispatcher and, in the one process that leads, the scheduler. The web server
    runs on HOCVUSO_LISTEN with webhooks, and with polling too when the dashboard is on. On
    SIGINT / SIGTERM: stop taking updates, finish those under way, then stop everything
    cleanly."""
    settings = app.settings
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    secret = (
        settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else secrets.token_urlsafe(32)
    )
    by_name = {c.name: c for c in channels}
    delivery = dispatcher(app, channels)
    app.doorbell.listen(delivery.wake)
    watcher = AnnouncementWatcher(app.storage, on_queue=delivery.wake)
    jobs = Jobs(
        app.storage, app.catalog, tz=settings.tz, weekly_slot=settings.slot,
        on_push=delivery.wake, quiet=settings.quiet,
    )  # fmt: skip
    runner = SchedulerRunner(jobs, tz=settings.tz, weekly_slot=settings.slot)
    leadership = Leadership(LeaderLock(app.storage.runner), runner)
    started: list[Channel] = []
    server: _Server | None = None
    sock = listen_socket(settings.listen) if webhook or app.links else None
    if app.links is not None and not settings.public_url:
        app.links.base_url = public_address(settings, webhook)
    try:
        for channel in channels:
            await _start_channel(channel, webhook, secret)
            started.append(channel)
            username = getattr(channel, "username", None)  # deep links (personal invites)
            if username:
                app.engine.options.links[channel.name] = username
        await delivery.start()
        await watcher.start()
        if settings.scheduler:
            await leadership.start()
        names = ", ".join(c.name for c in started)
        mode = "polling" if webhook is None else "webhook"
        if sock is None:
            log.info("hocvuso is running (%s, polling); Ctrl-C stops it", names)
            await stop.wait()
        else:
            web = web_app(
                app, secret=secret, telegram=by_name.get("telegram"), zalo=by_name.get("zalo")
            )
            # Idle connections are kept longer than a proxy's or the platform's own idle
            # timeout (nginx: 60 s), so the client closes them: a server that closes one
            # just as the client reuses it fails that request, and the update comes late
            # (bench/webhook.py hit it with uvicorn's default of 5 s).
            config = uvicorn.Config(
                web,
                log_config=None,
                lifespan="off",
                timeout_graceful_shutdown=20,
                timeout_keep_alive=75,
            )
            server = _Server(config)
            serving = asyncio.create_task(server.serve(sockets=[sock]))
            dashboard = f", dashboard at {app.links.base_url}/dashboard/" if app.links else ""
            log.info("hocvuso is running (%s, %s on %s%s)", names, mode, settings.listen, dashboard)
            await stop.wait()
            server.should_exit = True  # finishes the requests in flight, then returns
            await serving
    finally:
        await leadership.stop()
        await watcher.stop()
        await delivery.stop()
        for channel in reversed(started):
            await channel.stop()
        if sock is not None:
            sock.close()
