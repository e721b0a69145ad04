"""Who may do what, decided here and nowhere else (never by which buttons are shown)."""

from __future__ import annotations

from bot.core.messages import Grant

VILLAGE_HEAD = "village_head"
STAFF = "staff"
ROLES = (VILLAGE_HEAD, STAFF)


def announcer(grants: list[Grant]) -> Grant | None:
    """The village a learner may announce to, if any (a village head's own village)."""
    return next((g for g in grants if g.role == VILLAGE_HEAD and g.village_id), None)


def staff_of(grants: list[Grant]) -> Grant | None:
    """The commune a learner reports on as staff, if any."""
    return next((g for g in grants if g.role == STAFF and g.commune_id), None)


def may_stop(grants: list[Grant], learner_id: int, creator_id: int | None) -> bool:
    """Only the village head who sent an announcement may stop it."""
    return announcer(grants) is not None and creator_id == learner_id
