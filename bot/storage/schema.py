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
)
villages = sa.Table(
    "villages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("commune_id", sa.ForeignKey("communes.id"), nullable=False),
    sa.Column("name", sa.String(60), nullable=False),
    sa.Column("adults", sa.Integer, nullable=False, server_default="0"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
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
    sa.UniqueConstraint("channel", "user_id"),
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
