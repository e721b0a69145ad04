"""Roles, one-time invite codes, the audit log, and what announcements need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from bot.core.messages import Grant
from bot.storage.base import StoreBase, reads, writes
from bot.storage.outbox import NOTICE, Audience, OutboxQueries, as_utc
from bot.storage.schema import (
    audit_log,
    communes,
    invites,
    learners,
    pushes,
    roles,
    usage_counts,
    villages,
)


@dataclass(frozen=True)
class RoleRow:
    id: int
    role: str
    channel: str
    user_id: str
    scope: str
    granted_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class Watched:
    """An announcement still to be reported on, and where its sender is."""

    push_id: int
    creator_id: int
    language: str


def _audit(conn: sa.Connection, now: datetime, actor: str, action: str, detail: str) -> None:
    conn.execute(audit_log.insert().values(at=now, actor=actor, action=action, detail=detail[:500]))


class RoleQueries(StoreBase):
    @writes
    def create_invite(
        self,
        conn: sa.Connection,
        *,
        code: str,
        role: str,
        village_id: int | None,
        commune_id: int | None,
        now: datetime,
        expires_at: datetime,
    ) -> None:
        conn.execute(
            invites.insert().values(
                code=code,
                role=role,
                village_id=village_id,
                commune_id=commune_id,
                created_at=now,
                expires_at=expires_at,
            )
        )
        scope = f"village {village_id}" if village_id else f"commune {commune_id}"
        _audit(conn, now, "operator", "invite_created", f"{role} for {scope}")

    @writes
    def redeem_invite(
        self, conn: sa.Connection, code: str, learner_id: int, now: datetime
    ) -> Grant | str:
        """The role granted, or why not: "unknown", "used" or "expired"."""
        row = conn.execute(sa.select(invites).where(invites.c.code == code)).first()
        if row is None:
            return "unknown"
        if row.used_at is not None:
            return "used"
        if as_utc(row.expires_at) <= now:
            return "expired"
        taken = conn.execute(
            invites.update()
            .where(invites.c.id == row.id, invites.c.used_at.is_(None))
            .values(used_at=now, used_by=learner_id)
        )
        if taken.rowcount != 1:
            return "used"
        conn.execute(
            roles.insert().values(
                learner_id=learner_id,
                role=row.role,
                village_id=row.village_id,
                commune_id=row.commune_id,
                granted_at=now,
                granted_by=f"invite {row.id}",
            )
        )
        _audit(conn, now, f"learner {learner_id}", "role_granted", f"{row.role} by invite {row.id}")
        return Grant(row.role, row.village_id, row.commune_id)

    @reads
    def grants_of(self, conn: sa.Connection, learner_id: int) -> list[Grant]:
        query = sa.select(roles.c.role, roles.c.village_id, roles.c.commune_id).where(
            roles.c.learner_id == learner_id, roles.c.revoked_at.is_(None)
        )
        return [Grant(row.role, row.village_id, row.commune_id) for row in conn.execute(query)]

    @reads
    def role_rows(self, conn: sa.Connection, include_revoked: bool = False) -> list[RoleRow]:
        scope = sa.func.coalesce(villages.c.name, communes.c.name, "")
        query = (
            sa.select(
                roles.c.id,
                roles.c.role,
                learners.c.channel,
                learners.c.user_id,
                scope.label("scope"),
                roles.c.granted_at,
                roles.c.revoked_at,
            )
            .select_from(
                roles.join(learners, learners.c.id == roles.c.learner_id)
                .outerjoin(villages, villages.c.id == roles.c.village_id)
                .outerjoin(communes, communes.c.id == roles.c.commune_id)
            )
            .order_by(roles.c.id)
        )
        if not include_revoked:
            query = query.where(roles.c.revoked_at.is_(None))
        return [
            RoleRow(
                r.id, r.role, r.channel, r.user_id, r.scope, as_utc(r.granted_at),
                as_utc(r.revoked_at) if r.revoked_at else None,
            )
            for r in conn.execute(query)
        ]  # fmt: skip

    @writes
    def revoke_role(self, conn: sa.Connection, role_id: int, now: datetime, by: str) -> bool:
        result = conn.execute(
            roles.update()
            .where(roles.c.id == role_id, roles.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        if result.rowcount == 1:
            _audit(conn, now, by, "role_revoked", f"role {role_id}")
        return result.rowcount == 1

    @writes
    def audit(
        self, conn: sa.Connection, *, actor: str, action: str, detail: str, now: datetime
    ) -> None:
        _audit(conn, now, actor, action, detail)

    @writes
    def count_use(self, conn: sa.Connection, kind: str, now: datetime) -> None:
        """One more question or check today (UTC day); the text itself is never stored."""
        day = now.strftime("%Y-%m-%d")
        statement = self._insert(usage_counts).values(day=day, kind=kind, count=1)
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "kind"], set_={"count": usage_counts.c.count + 1}
            )
        )

    @reads
    def usage(self, conn: sa.Connection, days: int = 14) -> list[tuple[str, str, int]]:
        query = sa.select(usage_counts).order_by(usage_counts.c.day.desc()).limit(days * 4)
        return [(row.day, row.kind, int(row[2])) for row in conn.execute(query)]

    @reads
    def audit_entries(self, conn: sa.Connection, limit: int = 100) -> list[AuditEntry]:
        query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        return [
            AuditEntry(as_utc(row.at), row.actor, row.action, row.detail)
            for row in conn.execute(query)
        ]

    # -- what announcements need ---------------------------------------------------------

    @reads
    def village_name(self, conn: sa.Connection, village_id: int) -> str | None:
        return conn.scalar(sa.select(villages.c.name).where(villages.c.id == village_id))

    @reads
    def reachable_in_village(self, conn: sa.Connection, village_id: int) -> int:
        query = sa.select(sa.func.count()).where(*Audience(village_ids=(village_id,)).where())
        return int(conn.scalar(query) or 0)

    @reads
    def announcements_since(self, conn: sa.Connection, creator_id: int, since: datetime) -> int:
        query = sa.select(sa.func.count()).where(
            pushes.c.creator_id == creator_id,
            pushes.c.kind == "announcement",
            pushes.c.created_at >= since,
        )
        return int(conn.scalar(query) or 0)

    @reads
    def push_creator(self, conn: sa.Connection, push_id: int) -> int | None:
        return conn.scalar(sa.select(pushes.c.creator_id).where(pushes.c.id == push_id))

    @reads
    def announcements_to_watch(self, conn: sa.Connection) -> list[Watched]:
        query = (
            sa.select(pushes.c.id, pushes.c.creator_id, learners.c.language)
            .join(learners, learners.c.id == pushes.c.creator_id)
            .where(pushes.c.kind == "announcement", pushes.c.summarized.is_(False))
        )
        return [Watched(*row) for row in conn.execute(query)]

    @writes
    def queue_notice(
        self,
        conn: sa.Connection,
        *,
        about: int,
        step: str,
        to: int,
        text: str,
        language: str,
        now: datetime,
        final: bool = False,
    ) -> bool:
        """A message to the sender of announcement ``about``, once per ``step``, through the
        outbox like every push: paced with the channel, retried, never sent twice. It is due
        just before the announcement's own rows, so it overtakes those still waiting. The
        final one marks the announcement summarized in the same transaction."""
        created_at = conn.scalar(sa.select(pushes.c.created_at).where(pushes.c.id == about))
        if created_at is None:
            return False
        create = OutboxQueries.create_push.__wrapped__  # type: ignore[attr-defined]
        push_id = create(
            self,
            conn,
            key=f"notice:{about}:{step}",
            kind=NOTICE,
            content={"text": {"vi": text, language: text}},
            audience=Audience(learner_ids=(to,)),
            now=now,
            created_by="announcements",
            due=as_utc(created_at) - timedelta(seconds=1),
            direct=True,
        )
        if final:
            conn.execute(pushes.update().where(pushes.c.id == about).values(summarized=True))
        return push_id is not None
