"""Families: personal invite codes, who brought whom, and several learners on one phone.

A household member who learns on someone else's phone gets a learner row of their own (own
progress, own village, counted in the reports like anyone), tied to the chat's first
learner by ``owner_id``. The platform user id stays with that first learner; a profile's
user id is a private one ("profile:<owner>:<n>"), so the chat's messages keep arriving at
the owner's row, which says in ``active_id`` whose turn it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from bot.core.messages import Learner
from bot.storage.base import StoreBase, reads, writes
from bot.storage.schema import learners

MAX_PROFILES = 6  # the owner and five household members


class FamilyQueries(StoreBase):
    @writes
    def referral_code(self, conn: sa.Connection, learner_id: int, make: Callable[[], str]) -> str:
        """The learner's own invite code, made the first time it is asked for."""
        code = conn.scalar(sa.select(learners.c.ref_code).where(learners.c.id == learner_id))
        if code:
            return str(code)
        while True:
            code = make()
            taken = conn.scalar(sa.select(learners.c.id).where(learners.c.ref_code == code))
            if taken is None:
                break
        conn.execute(learners.update().where(learners.c.id == learner_id).values(ref_code=code))
        return code

    @reads
    def referral_known(self, conn: sa.Connection, code: str) -> bool:
        return conn.scalar(sa.select(learners.c.id).where(learners.c.ref_code == code)) is not None

    @writes
    def credit_referral(self, conn: sa.Connection, learner_id: int, code: str) -> bool:
        referrer = conn.scalar(sa.select(learners.c.id).where(learners.c.ref_code == code))
        if referrer is None or referrer == learner_id:
            return False
        credited = conn.execute(
            learners.update()
            .where(
                learners.c.id == learner_id,
                learners.c.joined_via.is_(None),
                learners.c.owner_id.is_(None),
            )
            .values(referred_by=referrer, joined_via="link")
        )
        return credited.rowcount == 1

    @writes
    def add_profile(
        self, conn: sa.Connection, owner_id: int, name: str, by: int, now: datetime
    ) -> Learner:
        owner = conn.execute(sa.select(learners).where(learners.c.id == owner_id)).one()
        number = conn.scalar(sa.select(sa.func.count()).where(learners.c.owner_id == owner_id)) or 0
        user_id = f"profile:{owner_id}:{number + 2}"
        while conn.scalar(
            sa.select(learners.c.id).where(
                learners.c.channel == owner.channel, learners.c.user_id == user_id
            )
        ):
            number += 1
            user_id = f"profile:{owner_id}:{number + 2}"
        inserted = conn.execute(
            learners.insert().values(
                channel=owner.channel, user_id=user_id, chat_id=owner.chat_id,
                language=owner.language, village_id=owner.village_id, group="citizen",
                state={}, consent_at=now, last_active_at=now, weekly=owner.weekly,
                owner_id=owner_id, profile_name=name[:40], referred_by=by, joined_via="family",
            )
        )  # fmt: skip
        profile_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        conn.execute(
            learners.update().where(learners.c.id == owner_id).values(active_id=profile_id)
        )
        return Learner(
            id=profile_id, channel=owner.channel, user_id=user_id, chat_id=owner.chat_id,
            language=owner.language, village_id=owner.village_id, group="citizen",
            weekly=owner.weekly, owner_id=owner_id, name=name[:40], shared=True,
        )  # fmt: skip

    @reads
    def profiles(self, conn: sa.Connection, owner_id: int) -> list[tuple[int, str | None]]:
        query = (
            sa.select(learners.c.id, learners.c.profile_name)
            .where(sa.or_(learners.c.id == owner_id, learners.c.owner_id == owner_id))
            .order_by(learners.c.owner_id.is_not(None), learners.c.id)
        )
        return [(row.id, row.profile_name) for row in conn.execute(query)]

    @writes
    def set_active_profile(self, conn: sa.Connection, owner_id: int, profile_id: int) -> bool:
        mine = sa.or_(learners.c.id == owner_id, learners.c.owner_id == owner_id)
        found = conn.scalar(sa.select(learners.c.id).where(learners.c.id == profile_id, mine))
        if found is None:
            return False
        conn.execute(
            learners.update().where(learners.c.id == owner_id).values(active_id=profile_id)
        )
        return True


def leave_household(
    conn: sa.Connection, learner_id: int, owner_id: int | None, user_id: str
) -> None:
    """Delete one learner row and keep the chat's other profiles working: a profile leaving
    sends the chat back to its owner; an owner leaving hands the chat (its user id) to the
    oldest profile, which becomes the owner of the rest."""
    household = owner_id or learner_id
    others = list(
        conn.scalars(
            sa.select(learners.c.id)
            .where(learners.c.owner_id == household, learners.c.id != learner_id)
            .order_by(learners.c.id)
        )
    )
    conn.execute(learners.delete().where(learners.c.id == learner_id))
    if owner_id is not None:  # a profile left: the owner speaks again (or still shares)
        active = owner_id if others else None
        conn.execute(learners.update().where(learners.c.id == owner_id).values(active_id=active))
        return
    if not others:
        return
    heir, rest = others[0], others[1:]
    conn.execute(
        learners.update()
        .where(learners.c.id == heir)
        .values(user_id=user_id, owner_id=None, active_id=heir if rest else None)
    )
    if rest:
        conn.execute(learners.update().where(learners.c.id.in_(rest)).values(owner_id=heir))
