"""The web dashboard's one-time login links and the sessions they open (its figures are
in dashboard_figures.py).

Links and sessions are kept by the SHA-256 of their tokens, never the tokens. Opening a
link is one transaction: it is marked used only if it was unused and unexpired, the session
is created and the login audited together, so two clicks on one link open one session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.storage.base import StoreBase, reads, writes
from bot.storage.outbox import as_utc
from bot.storage.roles import _audit
from bot.storage.schema import dashboard_links, dashboard_sessions, roles

KEEP_ENDED = timedelta(days=1)  # expired links and sessions are pruned a day later


@dataclass(frozen=True)
class DashboardScope:
    """What a link or a session may see: a commune, or one village of it."""

    role: str
    commune_id: int
    village_id: int | None = None


@dataclass(frozen=True)
class DashboardSession:
    id: int
    learner_id: int | None  # None: opened by the operator (`hocvuso dashboard-link`)
    scope: DashboardScope
    language: str
    csrf: str
    expires_at: datetime


def _role_held(learner_id: int, scope: DashboardScope) -> sa.ColumnElement[bool]:
    """The learner still holds the role the link or session was made for."""
    same_place = (
        roles.c.village_id == scope.village_id
        if scope.village_id is not None
        else roles.c.commune_id == scope.commune_id
    )
    return sa.exists().where(
        roles.c.learner_id == learner_id,
        roles.c.role == scope.role,
        roles.c.revoked_at.is_(None),
        same_place,
    )


class DashboardQueries(StoreBase):
    # -- links and sessions ----------------------------------------------------------------

    @writes
    def create_dashboard_link(
        self,
        conn: sa.Connection,
        *,
        token_hash: str,
        learner_id: int | None,
        scope: DashboardScope,
        language: str,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        """Store the link (audited); links and sessions ended a day ago go at the same time."""
        old = now - KEEP_ENDED
        conn.execute(dashboard_links.delete().where(dashboard_links.c.expires_at < old))
        conn.execute(dashboard_sessions.delete().where(dashboard_sessions.c.expires_at < old))
        conn.execute(
            dashboard_links.insert().values(
                token_hash=token_hash, learner_id=learner_id, role=scope.role,
                commune_id=scope.commune_id, village_id=scope.village_id, language=language,
                created_at=now, expires_at=expires_at,
            )
        )  # fmt: skip
        _audit(conn, now, _actor(learner_id), "dashboard_link", _scope_text(scope))

    @reads
    def dashboard_link_status(self, conn: sa.Connection, token_hash: str, now: datetime) -> str:
        """ "ok", "used", "expired" or "unknown", without using the link."""
        row = conn.execute(
            sa.select(dashboard_links.c.used_at, dashboard_links.c.expires_at).where(
                dashboard_links.c.token_hash == token_hash
            )
        ).first()
        return _link_problem(row, now) or "ok"

    @writes
    def open_dashboard_session(
        self,
        conn: sa.Connection,
        *,
        link_hash: str,
        session_hash: str,
        csrf: str,
        now: datetime,
        lasts: timedelta,
    ) -> DashboardSession | str:
        """Use the link once and open its session, audited; or why not: "unknown", "used",
        "expired" or "role_ended" (the learner no longer holds the role)."""
        row = conn.execute(
            sa.select(dashboard_links).where(dashboard_links.c.token_hash == link_hash)
        ).first()
        problem = _link_problem(row, now)
        if problem is not None:
            if row is not None:
                _audit(conn, now, _actor(row.learner_id), "dashboard_refused", f"{problem} link")
            return problem
        assert row is not None
        scope = DashboardScope(row.role, row.commune_id, row.village_id)
        if row.learner_id is not None and not conn.scalar(
            sa.select(_role_held(row.learner_id, scope))
        ):
            _audit(conn, now, _actor(row.learner_id), "dashboard_refused", "role ended")
            return "role_ended"
        taken = conn.execute(
            dashboard_links.update()
            .where(dashboard_links.c.id == row.id, dashboard_links.c.used_at.is_(None))
            .values(used_at=now)
        )
        if taken.rowcount != 1:
            return "used"
        expires_at = now + lasts
        inserted = conn.execute(
            dashboard_sessions.insert().values(
                token_hash=session_hash, csrf=csrf, learner_id=row.learner_id, role=row.role,
                commune_id=row.commune_id, village_id=row.village_id, language=row.language,
                created_at=now, expires_at=expires_at,
            )
        )  # fmt: skip
        session_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        _audit(conn, now, _actor(row.learner_id), "dashboard_login", _scope_text(scope))
        return DashboardSession(session_id, row.learner_id, scope, row.language, csrf, expires_at)

    @reads
    def dashboard_session(
        self, conn: sa.Connection, session_hash: str, now: datetime
    ) -> DashboardSession | None:
        """The open session with this token; None when unknown, ended, expired, or when its
        learner no longer holds the role (a revoked role ends the session at once)."""
        row = conn.execute(
            sa.select(dashboard_sessions).where(
                dashboard_sessions.c.token_hash == session_hash,
                dashboard_sessions.c.ended_at.is_(None),
                dashboard_sessions.c.expires_at > now,
            )
        ).first()
        if row is None:
            return None
        scope = DashboardScope(row.role, row.commune_id, row.village_id)
        if row.learner_id is not None and not conn.scalar(
            sa.select(_role_held(row.learner_id, scope))
        ):
            return None
        return DashboardSession(
            row.id, row.learner_id, scope, row.language, row.csrf, as_utc(row.expires_at)
        )

    @writes
    def set_dashboard_language(self, conn: sa.Connection, session_id: int, language: str) -> None:
        conn.execute(
            dashboard_sessions.update()
            .where(dashboard_sessions.c.id == session_id)
            .values(language=language)
        )

    @writes
    def end_dashboard_session(self, conn: sa.Connection, session_id: int, now: datetime) -> None:
        row = conn.execute(
            dashboard_sessions.update()
            .where(dashboard_sessions.c.id == session_id, dashboard_sessions.c.ended_at.is_(None))
            .values(ended_at=now)
            .returning(dashboard_sessions.c.learner_id)
        ).first()
        if row is not None:
            _audit(conn, now, _actor(row.learner_id), "dashboard_logout", f"session {session_id}")


def _actor(learner_id: int | None) -> str:
    return f"learner {learner_id}" if learner_id is not None else "operator"


def _scope_text(scope: DashboardScope) -> str:
    where = (
        f"village {scope.village_id}"
        if scope.village_id is not None
        else f"commune {scope.commune_id}"
    )
    return f"{scope.role} {where}"


def _link_problem(row: Any, now: datetime) -> str | None:
    """Why a link row (None: no such link) cannot be used now; None when it can."""
    if row is None:
        return "unknown"
    if row.used_at is not None:
        return "used"
    if as_utc(row.expires_at) <= now:
        return "expired"
    return None
