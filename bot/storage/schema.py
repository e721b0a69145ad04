"""The tables. Alembic revisions under bot/migrations must produce exactly this."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
UtcDateTime = sa.DateTime(timezone=True)

communes = sa.Table(
    "communes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    # Where a learner nobody could help is sent (from the config; shown after 24 hours).
    sa.Column("office_hours", sa.String(200), nullable=True),
    sa.Column("office_address", sa.String(200), nullable=True),
)
villages = sa.Table(
    "villages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("commune_id", sa.ForeignKey("communes.id"), nullable=False),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("adults", sa.Integer, nullable=False, server_default="0"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    # "Gia đình số" counts households: the village's number from the config, when given.
    sa.Column("households", sa.Integer, nullable=True),
    sa.UniqueConstraint("commune_id", "name"),
)
learners = sa.Table(
    "learners",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("chat_id", sa.String(64), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("village_id", sa.ForeignKey("villages.id"), nullable=True, index=True),
    sa.Column("group", sa.String(16), nullable=True),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("consent_at", UtcDateTime, nullable=False),
    sa.Column("last_active_at", UtcDateTime, nullable=False),
    # Pushes: weekly messages and reminders only while `weekly`; never while `blocked`
    # (the platform said the chat is gone); a nudge at most once a week.
    sa.Column("weekly", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("blocked", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("last_nudged_at", UtcDateTime, nullable=True),
    # Several learners on one phone: a household member's profile names the chat's first
    # learner as its owner (and has a user id of its own, "<user id>~2"); the owner row
    # says which profile speaks now (NULL: the chat has no other profile).
    sa.Column("owner_id", sa.Integer, nullable=True, index=True),
    sa.Column("profile_name", sa.String(40), nullable=True),
    sa.Column("active_id", sa.Integer, nullable=True),
    # Bring your family: the learner's own invite code, and who brought them in ("link":
    # a personal link or code; "family": a profile added on the same phone).
    sa.Column("ref_code", sa.String(8), nullable=True, unique=True),
    sa.Column("referred_by", sa.Integer, nullable=True, index=True),
    sa.Column("joined_via", sa.String(8), nullable=True),
    # The weekday (0 = Monday) and hour the learner chose for their pushes; NULL: the
    # commune's weekly slot (and nudges at the usual hour).
    sa.Column("push_day", sa.Integer, nullable=True),
    sa.Column("push_hour", sa.Integer, nullable=True),
    # Nudges and review invitations since the learner last wrote: at 3 they stop.
    sa.Column("ignored_pushes", sa.Integer, nullable=False, server_default="0"),
    # The slot of the last review invitation (at most one a week) and the ISO week whose
    # weekly message they got (once a week, whichever slot they move to).
    sa.Column("last_review_push", UtcDateTime, nullable=True),
    sa.Column("weekly_week", sa.String(10), nullable=True),
    # When they said they registered on the national platform (binhdanhocvuso.gov.vn).
    sa.Column("national_at", UtcDateTime, nullable=True),
    sa.UniqueConstraint("channel", "user_id"),
    sa.Index("ix_learners_push_slot", "push_day", "push_hour"),
)
# The few who said they registered nationally, by village: the report counts them without
# reading every learner's row.
_registered = sa.text("national_at IS NOT NULL")
sa.Index(
    "ix_learners_national",
    learners.c.village_id,
    sqlite_where=_registered,
    postgresql_where=_registered,
)
quiz_answers = sa.Table(
    "quiz_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=False, index=True),
    sa.Column("lesson_id", sa.String(48), nullable=False),
    sa.Column("lesson_version", sa.Integer, nullable=False),
    sa.Column("question", sa.Integer, nullable=False),
    sa.Column("option", sa.Integer, nullable=False),
    sa.Column("correct", sa.Boolean, nullable=False),
    sa.Column("answered_at", UtcDateTime, nullable=False),
)
quiz_attempts = sa.Table(
    "quiz_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=False, index=True),
    sa.Column("lesson_id", sa.String(48), nullable=False),
    sa.Column("lesson_version", sa.Integer, nullable=False),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("finished_at", UtcDateTime, nullable=False),
)
# One row per learner and lesson version: the unique key is what makes "completed once"
# hold however often a button is tapped. No foreign key into content (lessons are files).
completions = sa.Table(
    "completions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=False),
    sa.Column("lesson_id", sa.String(48), nullable=False),
    sa.Column("lesson_version", sa.Integer, nullable=False),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("pass_mark", sa.Integer, nullable=False),
    sa.Column("completed_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("learner_id", "lesson_id", "lesson_version"),
    sa.Index("ix_completions_lesson", "lesson_id"),
)
processed_updates = sa.Table(
    "processed_updates",
    metadata,
    sa.Column("channel", sa.String(16), primary_key=True),
    sa.Column("update_id", sa.String(64), primary_key=True),
    sa.Column("processed_at", UtcDateTime, nullable=False, index=True),
)
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("detail", sa.String(500), nullable=False, server_default=""),
)

# A push is one message to many learners; its key makes a scheduled run happen once.
pushes = sa.Table(
    "pushes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(120), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("content", sa.JSON, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False, server_default="scheduler"),
    sa.Column("total", sa.Integer, nullable=False, server_default="0"),
    sa.Column("cancelled", sa.Boolean, nullable=False, server_default=sa.false()),
    # Announcements: who sent it (progress and the summary go back to them) and where to.
    sa.Column("creator_id", sa.Integer, nullable=True, index=True),
    sa.Column("village_id", sa.Integer, nullable=True),
    sa.Column("summarized", sa.Boolean, nullable=False, server_default=sa.false()),
)
# One row per push and recipient. status: pending → claimed → sending → sent, or back to
# pending with next_attempt_at (retry), failed, unreachable, cancelled.
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("push_id", sa.ForeignKey("pushes.id"), nullable=False),
    sa.Column("learner_id", sa.Integer, nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("chat_id", sa.String(64), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("next_attempt_at", UtcDateTime, nullable=False),
    sa.Column("claimed_by", sa.String(40), nullable=True),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Column("error", sa.String(200), nullable=True),
    # A message to one person outside the broadcasts (a village head's progress line): it
    # keeps its own order in the chat instead of waiting behind the broadcasts' rows.
    sa.Column("direct", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("push_id", "learner_id"),
    sa.Index("ix_outbox_due", "channel", "status", "next_attempt_at", "id"),
    sa.Index("ix_outbox_push_status", "push_id", "status"),
    sa.Index("ix_outbox_chat_status", "channel", "chat_id", "status"),
)
# The 10/10 "Ngày hội toàn dân học tập số" details per commune and year.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("commune_id", sa.ForeignKey("communes.id"), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("place", sa.String(200), nullable=False),
    sa.Column("starts_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("commune_id", "year"),
)
# Messages staff queued for one week's slot, sent beside the rotation's message.
weekly_queue = sa.Table(
    "weekly_queue",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("week", sa.String(10), nullable=False, index=True),
    sa.Column("text", sa.String(600), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
)

# Roles beside "citizen": a village head for one village, staff for one commune.
roles = sa.Table(
    "roles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=False, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("village_id", sa.ForeignKey("villages.id"), nullable=True),
    sa.Column("commune_id", sa.ForeignKey("communes.id"), nullable=True),
    sa.Column("granted_at", UtcDateTime, nullable=False),
    sa.Column("granted_by", sa.String(64), nullable=False),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
)
# One-time codes that grant a role; they expire and work once.
invites = sa.Table(
    "invites",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("village_id", sa.ForeignKey("villages.id"), nullable=True),
    sa.Column("commune_id", sa.ForeignKey("communes.id"), nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("used_at", UtcDateTime, nullable=True),
    sa.Column("used_by", sa.Integer, nullable=True),
)

# What people ask and paste is not kept: only how many questions and checks per day.
usage_counts = sa.Table(
    "usage_counts",
    metadata,
    sa.Column("day", sa.String(10), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

# The commune's progress, village by village, once per week (ISO week in local time): the
# pace of "on track?" comes from these rows, not from an estimate. Unique per week and
# village, so the scheduler, a report and a second process can all try and one row stays.
progress_snapshots = sa.Table(
    "progress_snapshots",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("week", sa.String(10), nullable=False),
    sa.Column("taken_at", UtcDateTime, nullable=False),
    sa.Column("village_id", sa.ForeignKey("villages.id"), nullable=False, index=True),
    sa.Column("adults", sa.Integer, nullable=False),
    sa.Column("learners", sa.Integer, nullable=False),
    sa.Column("core_done", sa.Integer, nullable=False),
    sa.UniqueConstraint("week", "village_id"),
)

# Before consent nothing about a person is kept but the step their chat is at (the choices
# last shown), so that a typed "1" or "dong y" is understood; dropped on yes, on no, and
# after a day.
pending_chats = sa.Table(
    "pending_chats",
    metadata,
    sa.Column("channel", sa.String(16), primary_key=True),
    sa.Column("user_id", sa.String(64), primary_key=True),
    sa.Column("state", sa.JSON, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False, index=True),
)
# The send budget of each channel, shared by every process on one database (issue 15): the
# earliest time of the next send slot and the end of any flood wait, in seconds since the
# epoch on the database's clock.
send_budgets = sa.Table(
    "send_budgets",
    metadata,
    sa.Column("channel", sa.String(16), primary_key=True),
    sa.Column("next_at", sa.Float, nullable=False),
    sa.Column("paused_until", sa.Float, nullable=False),
)
# Updates being handled, one row each while it is handled: a user's next update waits for
# the ones that arrived before it, whichever process has them (issue 15).
user_turns = sa.Table(
    "user_turns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("user_id", sa.String(64), nullable=False),
    # The platform's order of the update (Telegram's update_id, Zalo's message date).
    sa.Column("seq", sa.BigInteger, nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False),
    sa.Index("ix_user_turns_user", "channel", "user_id", "seq"),
)

# A learner asking a person from their village for help. What was asked, the names and the
# context are kept only while the request is alive; the times, the outcome and the rating
# stay for the report. Deleting a learner leaves the row without their id.
# status: waiting → open (taken) → closed; or cancelled, or expired (nobody took it in 24 h).
help_requests = sa.Table(
    "help_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("learner_id", sa.Integer, nullable=True, index=True),
    sa.Column("village_id", sa.ForeignKey("villages.id"), nullable=False, index=True),
    sa.Column("helper_id", sa.Integer, nullable=True, index=True),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("asker_name", sa.String(64), nullable=False, server_default=""),
    sa.Column("helper_name", sa.String(64), nullable=False, server_default=""),
    sa.Column("question", sa.String(400), nullable=False, server_default=""),
    sa.Column("context", sa.String(400), nullable=False, server_default=""),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("waiting_since", UtcDateTime, nullable=False),
    sa.Column("taken_at", UtcDateTime, nullable=True),
    sa.Column("closed_at", UtcDateTime, nullable=True),
    sa.Column("escalated_at", UtcDateTime, nullable=True),
    sa.Column("closed_by", sa.String(8), nullable=True),
    sa.Column("rating", sa.String(4), nullable=True),
    sa.Column("offers", sa.Integer, nullable=False, server_default="0"),
    sa.Column("messages", sa.Integer, nullable=False, server_default="0"),
    # The last time each side wrote: a live conversation is not held back by quiet hours.
    sa.Column("learner_wrote_at", UtcDateTime, nullable=True),
    sa.Column("helper_wrote_at", UtcDateTime, nullable=True),
    sa.Column("swept", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_help_requests_status", "status"),
)

# Spaced review: every question a learner got wrong, and every question of the core path,
# with its Leitner box (how far along the intervals it is) and when it is due again.
review_items = sa.Table(
    "review_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=False),
    sa.Column("lesson_id", sa.String(48), nullable=False),
    sa.Column("question", sa.Integer, nullable=False),
    sa.Column("box", sa.Integer, nullable=False, server_default="0"),
    sa.Column("due_at", UtcDateTime, nullable=False),
    sa.Column("added_at", UtcDateTime, nullable=False),
    sa.Column("reviewed_at", UtcDateTime, nullable=True),
    sa.Column("lapses", sa.Integer, nullable=False, server_default="0"),
    sa.UniqueConstraint("learner_id", "lesson_id", "question"),
    sa.Index("ix_review_items_learner_due", "learner_id", "due_at"),
)

# The commune's acknowledgement of a finished core path: the name the learner chose (or
# none) and an unguessable token that names its picture (Zalo fetches pictures by URL).
certificates = sa.Table(
    "certificates",
    metadata,
    sa.Column("learner_id", sa.ForeignKey("learners.id"), primary_key=True),
    sa.Column("token", sa.String(32), nullable=False, unique=True),
    sa.Column("name", sa.String(60), nullable=True),
    sa.Column("finished_at", UtcDateTime, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
)

# The web dashboard (bot/dashboard): one-time login links, and the sessions they open. Only
# hashes of the link and session tokens are kept, so a copy of the database opens nothing.
# A session holds its scope (a commune, or one village for a village head); a learner's
# session lasts only while they hold the role it was opened for.
dashboard_links = sa.Table(
    "dashboard_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=True, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("commune_id", sa.ForeignKey("communes.id"), nullable=False),
    sa.Column("village_id", sa.ForeignKey("villages.id"), nullable=True),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False, index=True),
    sa.Column("used_at", UtcDateTime, nullable=True),
)
dashboard_sessions = sa.Table(
    "dashboard_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("learner_id", sa.ForeignKey("learners.id"), nullable=True, index=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("commune_id", sa.ForeignKey("communes.id"), nullable=False),
    sa.Column("village_id", sa.ForeignKey("villages.id"), nullable=True),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False, index=True),
    sa.Column("ended_at", UtcDateTime, nullable=True),
)
