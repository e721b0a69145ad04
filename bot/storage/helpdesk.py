"""Help from a person: requests, who took them, and the messages relayed in between.

Every message for someone other than the person writing (the offer to the village's
helpers, the relayed lines, "taken", "ended") is a push through the outbox, queued in the
same transaction as the change it reports, so it is paced, retried and sent once. What was
asked and relayed is kept only while the conversation lives: closing it forgets the names,
the question and the context, and the sweep removes the relayed pushes once delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.core.ports import HelpRequest, Notice, Office
from bot.storage.base import StoreBase, reads, writes
from bot.storage.outbox import CLAIMED, PENDING, SENDING, Audience, OutboxQueries, as_utc
from bot.storage.schema import communes, help_requests, learners, outbox, pushes, roles, villages

WAITING, OPEN, CLOSED, EXPIRED = "waiting", "open", "closed", "expired"
ALIVE = (WAITING, OPEN)
HELP_KINDS = ("help", "live")  # pushes of help conversations ("live": sent in quiet hours)
FORGET = {"asker_name": "", "helper_name": "", "question": "", "context": ""}


def _at(moment: datetime) -> sa.BindParameter[datetime]:
    return sa.literal(moment, type_=help_requests.c.taken_at.type)


def _when(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _request(row: Any) -> HelpRequest:
    return HelpRequest(
        id=row.id,
        learner_id=row.learner_id,
        village_id=row.village_id,
        village=row.village,
        status=row.status,
        helper_id=row.helper_id,
        asker_name=row.asker_name,
        helper_name=row.helper_name,
        question=row.question,
        context=row.context,
        created_at=as_utc(row.created_at),
        waiting_since=as_utc(row.waiting_since),
        taken_at=_when(row.taken_at),
        escalated_at=_when(row.escalated_at),
        learner_wrote_at=_when(row.learner_wrote_at),
        helper_wrote_at=_when(row.helper_wrote_at),
        offers=row.offers,
        rating=row.rating,
    )


_SELECT = sa.select(help_requests, villages.c.name.label("village")).join(
    villages, villages.c.id == help_requests.c.village_id
)


def _get(conn: sa.Connection, request_id: int) -> HelpRequest | None:
    row = conn.execute(_SELECT.where(help_requests.c.id == request_id)).first()
    return _request(row) if row else None


class HelpQueries(StoreBase):
    def _queue(self, conn: sa.Connection, notices: list[Notice], now: datetime) -> int:
        """Each notice as a one-person (or few-person) push; a key already used is skipped."""
        create = OutboxQueries.create_push.__wrapped__  # type: ignore[attr-defined]
        queued = 0
        for notice in notices:
            if not notice.to:
                continue
            push_id = create(
                self, conn, key=notice.key, kind=notice.kind, content=notice.content,
                audience=Audience(learner_ids=notice.to), now=now, created_by="help",
            )  # fmt: skip
            queued += push_id is not None
        return queued

    @reads
    def help_request(self, conn: sa.Connection, request_id: int) -> HelpRequest | None:
        return _get(conn, request_id)

    @reads
    def helpers_for(self, conn: sa.Connection, village_id: int) -> list[int]:
        return _holders(conn, roles.c.role == "helper", roles.c.village_id == village_id)

    @reads
    def staff_for(self, conn: sa.Connection, village_id: int) -> list[int]:
        commune = sa.select(villages.c.commune_id).where(villages.c.id == village_id)
        return _holders(
            conn, roles.c.role == "staff", roles.c.commune_id == commune.scalar_subquery()
        )

    @reads
    def commune_office(self, conn: sa.Connection, village_id: int) -> Office | None:
        row = conn.execute(
            sa.select(communes.c.name, communes.c.office_hours, communes.c.office_address)
            .join(villages, villages.c.commune_id == communes.c.id)
            .where(villages.c.id == village_id)
        ).first()
        return Office(row.name, row.office_hours, row.office_address) if row else None

    @writes
    def create_help(
        self,
        conn: sa.Connection,
        *,
        learner_id: int,
        village_id: int,
        name: str,
        question: str,
        context: str,
        now: datetime,
        escalated: bool,
        make: Callable[[HelpRequest], list[Notice]],
    ) -> HelpRequest:
        inserted = conn.execute(
            help_requests.insert().values(
                learner_id=learner_id, village_id=village_id, status=WAITING,
                asker_name=name[:64], question=question[:400], context=context[:400],
                created_at=now, waiting_since=now, learner_wrote_at=now,
                escalated_at=now if escalated else None,
            )
        )  # fmt: skip
        request = _get(conn, int(inserted.inserted_primary_key[0]))  # type: ignore[index]
        assert request is not None
        notices = make(request)
        if notices:
            self._queue(conn, notices, now)
            conn.execute(
                help_requests.update().where(help_requests.c.id == request.id).values(offers=1)
            )
        return request

    @writes
    def take_help(
        self,
        conn: sa.Connection,
        request_id: int,
        helper_id: int,
        name: str,
        now: datetime,
        notices: list[Notice],
    ) -> HelpRequest | str:
        busy = conn.scalar(
            sa.select(help_requests.c.id).where(
                help_requests.c.helper_id == helper_id, help_requests.c.status == OPEN
            )
        )
        if busy is not None:
            return "busy"
        taken = conn.execute(
            help_requests.update()
            .where(help_requests.c.id == request_id, help_requests.c.status == WAITING)
            .values(
                status=OPEN, helper_id=helper_id, helper_name=name[:64], helper_wrote_at=now,
                taken_at=sa.func.coalesce(help_requests.c.taken_at, _at(now)),  # the first take
            )
        )  # fmt: skip
        if taken.rowcount != 1:
            status = conn.scalar(
                sa.select(help_requests.c.status).where(help_requests.c.id == request_id)
            )
            return "taken" if status == OPEN else "closed"
        self._queue(conn, notices, now)
        request = _get(conn, request_id)
        assert request is not None
        return request

    @writes
    def relay_help(
        self, conn: sa.Connection, request_id: int, sender_id: int, now: datetime, notice: Notice
    ) -> bool:
        request = _get(conn, request_id)
        if request is None or request.status != OPEN:
            return False
        if sender_id == request.learner_id:
            wrote = {"learner_wrote_at": now}
        elif sender_id == request.helper_id:
            wrote = {"helper_wrote_at": now}
        else:
            return False
        conn.execute(
            help_requests.update()
            .where(help_requests.c.id == request_id)
            .values(messages=help_requests.c.messages + 1, **wrote)
        )
        return self._queue(conn, [notice], now) == 1

    @writes
    def end_help(
        self,
        conn: sa.Connection,
        request_id: int,
        by_id: int,
        now: datetime,
        notices: list[Notice],
    ) -> HelpRequest | None:
        request = _get(conn, request_id)
        if request is None or request.status not in ALIVE:
            return None
        if by_id == request.learner_id:
            by, status = "learner", CLOSED if request.status == OPEN else "cancelled"
        elif by_id == request.helper_id and request.status == OPEN:
            by, status = "helper", CLOSED
        else:
            return None
        conn.execute(
            help_requests.update()
            .where(help_requests.c.id == request_id, help_requests.c.status == request.status)
            .values(status=status, closed_by=by, closed_at=now, **FORGET)
        )
        self._queue(conn, notices, now)
        return request

    @writes
    def hand_back_help(
        self,
        conn: sa.Connection,
        request_id: int,
        helper_id: int,
        now: datetime,
        notices: list[Notice],
    ) -> HelpRequest | None:
        given = conn.execute(
            help_requests.update()
            .where(
                help_requests.c.id == request_id,
                help_requests.c.status == OPEN,
                help_requests.c.helper_id == helper_id,
            )
            .values(
                status=WAITING, helper_id=None, helper_name="", helper_wrote_at=None,
                waiting_since=now, offers=help_requests.c.offers + 1,
            )
        )  # fmt: skip
        if given.rowcount != 1:
            return None
        self._queue(conn, notices, now)
        return _get(conn, request_id)

    @writes
    def rate_help(self, conn: sa.Connection, request_id: int, learner_id: int, rating: str) -> bool:
        rated = conn.execute(
            help_requests.update()
            .where(
                help_requests.c.id == request_id,
                help_requests.c.learner_id == learner_id,
                help_requests.c.status == CLOSED,
                help_requests.c.helper_id.is_not(None),
                help_requests.c.rating.is_(None),
            )
            .values(rating=rating)
        )
        return rated.rowcount == 1

    # -- the scheduler's side: nobody waits forever ----------------------------------------

    @reads
    def waiting_help(self, conn: sa.Connection, given_up_before: datetime) -> list[HelpRequest]:
        """Requests still waiting that may need the scheduler: not yet sent on to the staff,
        or asked before ``given_up_before`` (24 hours ago)."""
        query = _SELECT.where(
            help_requests.c.status == WAITING,
            sa.or_(
                help_requests.c.escalated_at.is_(None),
                help_requests.c.created_at <= given_up_before,
            ),
        ).order_by(help_requests.c.id)
        return [_request(row) for row in conn.execute(query)]

    @writes
    def escalate_help(
        self, conn: sa.Connection, request_id: int, now: datetime, notices: list[Notice]
    ) -> bool:
        """Mark a waiting request as sent on to the commune staff, once."""
        marked = conn.execute(
            help_requests.update()
            .where(
                help_requests.c.id == request_id,
                help_requests.c.status == WAITING,
                help_requests.c.escalated_at.is_(None),
            )
            .values(escalated_at=now)
        )
        if marked.rowcount != 1:
            return False
        self._queue(conn, notices, now)
        return True

    @writes
    def expire_help(
        self, conn: sa.Connection, request_id: int, now: datetime, notices: list[Notice]
    ) -> bool:
        """Nobody took it: the request ends, and the learner is told where else to go."""
        ended = conn.execute(
            help_requests.update()
            .where(help_requests.c.id == request_id, help_requests.c.status == WAITING)
            .values(status=EXPIRED, closed_by="nobody", closed_at=now, **FORGET)
        )
        if ended.rowcount != 1:
            return False
        self._queue(conn, notices, now)
        return True

    @writes
    def sweep_help(self, conn: sa.Connection, now: datetime) -> int:
        """Forget what ended conversations relayed: their pushes, once nothing of them is
        still waiting to go out (a line sent just before the end still arrives)."""
        ended = list(
            conn.scalars(
                sa.select(help_requests.c.id).where(
                    help_requests.c.status.not_in(ALIVE), help_requests.c.swept.is_(False)
                )
            )
        )
        swept = 0
        for request_id in ended:
            ids = _push_ids(request_id)
            waiting = conn.scalar(
                sa.select(sa.func.count())
                .select_from(outbox)
                .where(outbox.c.push_id.in_(ids), outbox.c.status.in_((PENDING, CLAIMED, SENDING)))
            )
            if waiting:
                continue
            _drop_pushes(conn, request_id)
            conn.execute(
                help_requests.update().where(help_requests.c.id == request_id).values(swept=True)
            )
            swept += 1
        return swept


def forget_learner_help(conn: sa.Connection, learner_id: int, now: datetime) -> None:
    """A learner deletes their data: their requests (asked or helped with) keep only the
    counts the report needs, and every push of those conversations goes, sent or not."""
    mine = conn.scalars(
        sa.select(help_requests.c.id).where(
            sa.or_(
                help_requests.c.learner_id == learner_id, help_requests.c.helper_id == learner_id
            )
        )
    )
    for request_id in list(mine):
        _drop_pushes(conn, request_id)
    conn.execute(
        help_requests.update()
        .where(help_requests.c.learner_id == learner_id, help_requests.c.status.in_(ALIVE))
        .values(status="cancelled", closed_by="deleted", closed_at=now)
    )
    conn.execute(
        help_requests.update()
        .where(help_requests.c.helper_id == learner_id, help_requests.c.status == OPEN)
        .values(status=CLOSED, closed_by="deleted", closed_at=now)
    )
    for column in (help_requests.c.learner_id, help_requests.c.helper_id):
        conn.execute(
            help_requests.update()
            .where(column == learner_id)
            .values({column.name: None, "swept": True, **FORGET})
        )


def _push_ids(request_id: int) -> sa.Select[tuple[int]]:
    return sa.select(pushes.c.id).where(pushes.c.key.like(f"help:{request_id}:%"))


def _drop_pushes(conn: sa.Connection, request_id: int) -> None:
    """Every push of one request and its outbox rows: what they said is gone."""
    conn.execute(outbox.delete().where(outbox.c.push_id.in_(_push_ids(request_id))))
    conn.execute(pushes.delete().where(pushes.c.id.in_(_push_ids(request_id))))


def _holders(conn: sa.Connection, *where: Any) -> list[int]:
    query = (
        sa.select(roles.c.learner_id)
        .join(learners, learners.c.id == roles.c.learner_id)
        .where(roles.c.revoked_at.is_(None), learners.c.blocked.is_(False), *where)
        .order_by(roles.c.learner_id)
        .distinct()
    )
    return list(conn.scalars(query))
