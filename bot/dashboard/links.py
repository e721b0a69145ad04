"""One-time login links to the dashboard: made by /baocao in the chat and by
`hocvuso dashboard-link`, opened by bot/dashboard/app.py.

A link is a random token in the address; the database keeps only its SHA-256, so a copy of
the database (a backup) opens nothing. It works once, for ``LINK_MINUTES``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from bot.core.messages import Grant
from bot.core.roles import VILLAGE_HEAD
from bot.storage import Storage
from bot.storage.dashboard import DashboardScope

LINK_MINUTES = 15
PREFIX = "/dashboard"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,80}$")


def new_token() -> str:
    """256 bits, URL-safe: for links, sessions and CSRF tokens."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LinkError(Exception):
    """The grant names no place the dashboard can show (a village that is gone)."""


class DashboardLinks:
    """Implements bot.core.ports.DashboardLinks: the chat's /baocao asks it for a link."""

    minutes = LINK_MINUTES

    def __init__(self, storage: Storage, base_url: str):
        self.storage = storage
        self.base_url = base_url.rstrip("/")  # `serve` sets the --webhook address when given

    async def scope_of(self, grant: Grant) -> DashboardScope:
        if grant.role == VILLAGE_HEAD and grant.village_id is not None:
            commune_id = await self.storage.village_commune(grant.village_id)
            if commune_id is None:
                raise LinkError(f"village {grant.village_id} does not exist")
            return DashboardScope(grant.role, commune_id, grant.village_id)
        if grant.commune_id is None:
            raise LinkError("a staff grant without a commune")
        return DashboardScope(grant.role, grant.commune_id)

    async def login_link(
        self, *, learner_id: int | None, grant: Grant, language: str, now: datetime
    ) -> str:
        """A new link (audited) for the learner holding ``grant``, or for the operator
        (``learner_id`` None)."""
        token = new_token()
        await self.storage.create_dashboard_link(
            token_hash=digest(token),
            learner_id=learner_id,
            scope=await self.scope_of(grant),
            language=language,
            now=now,
            expires_at=now + timedelta(minutes=LINK_MINUTES),
        )
        return f"{self.base_url}{PREFIX}/login/{token}"
