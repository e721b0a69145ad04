"""Who may do what, decided here and nowhere else (never by which buttons are shown)."""

from __future__ import annotations

from bot.core.messages import Grant

VILLAGE_HEAD = "village_head"
STAFF = "staff"
HELPER = "helper"  # a member of the village's community digital technology team
ROLES = (VILLAGE_HEAD, STAFF, HELPER)
VILLAGE_ROLES = (VILLAGE_HEAD, HELPER)  # granted for one village; staff for a commune


def announcer(grants: list[Grant]) -> Grant | None:
    """The village a learner may announce to, if any (a village head's own village)."""
    return next((g for g in grants if g.role == VILLAGE_HEAD and g.village_id), None)


def staff_of(grants: list[Grant]) -> Grant | None:
    """The commune a learner reports on as staff, if any."""
    return next((g for g in grants if g.role == STAFF and g.commune_id), None)


def may_stop(grants: list[Grant], learner_id: int, creator_id: int | None) -> bool:
    """Only the village head who sent an announcement may stop it."""
    return announcer(grants) is not None and creator_id == learner_id


def may_take(
    grants: list[Grant], village_id: int, commune_id: int | None, *, escalated: bool
) -> bool:
    """A help request is for the helpers of its village; once nobody took it in time, for
    the staff of its commune too."""
    if any(g.role == HELPER and g.village_id == village_id for g in grants):
        return True
    return escalated and any(g.role == STAFF and g.commune_id == commune_id for g in grants)
