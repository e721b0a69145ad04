"""`hocvuso invite`, `hocvuso roles list|revoke`."""

from __future__ import annotations

import argparse
import asyncio
import secrets
from datetime import timedelta

import httpx

from bot.cli.common import database, pick
from bot.config import ConfigError, Settings
from bot.core.engine import utcnow
from bot.core.roles import STAFF, VILLAGE_HEAD

# No 0/O or 1/I: a code is read aloud and typed on small phones.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(10))


async def _bot_username(settings: Settings) -> str | None:
    """Telegram's name for the bot, for a t.me deep link; None when it cannot be asked."""
    if settings.telegram_bot_token is None:
        return None
    token = settings.telegram_bot_token.get_secret_value().strip()
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(f"{settings.telegram_api_base_url}/bot{token}/getMe")
            return str(response.json()["result"]["username"])
    except (httpx.HTTPError, KeyError, ValueError, TypeError):
        return None


def cmd_invite(settings: Settings, args: argparse.Namespace) -> int:
    if args.role == VILLAGE_HEAD and not args.village:
        raise ConfigError("A village head invite needs --village.")
    if not 1 <= args.days <= 60:
        raise ConfigError("--days must be between 1 and 60.")

    async def work() -> int:
        async with database(settings, areas=True) as storage:
            commune = pick(await storage.commune_names(), args.commune, "commune", "--commune")
            commune_id = await storage.commune_id(commune)
            village_id = None
            if args.role == VILLAGE_HEAD:
                villages = {v.name: v.id for v in await storage.villages() if v.commune == commune}
                village_id = villages[pick(list(villages), args.village, "village", "--village")]
            code = new_code()
            now = utcnow()
            await storage.create_invite(
                code=code,
                role=args.role,
                village_id=village_id,
                commune_id=None if village_id else commune_id,
                now=now,
                expires_at=now + timedelta(days=args.days),
            )
        expires = (now + timedelta(days=args.days)).astimezone(settings.tz)
        scope = args.village if village_id else commune
        print(f"Invite for {args.role} of {scope}: {code} (works once, until {expires:%d/%m/%Y})")
        username = await _bot_username(settings)
        if username:
            print(f"Link: https://t.me/{username}?start={code}")
        print(f"Or, in the chat with the bot: /ma {code}")
        return 0

    return asyncio.run(work())


def cmd_roles_list(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        async with database(settings) as storage:
            rows = await storage.role_rows(include_revoked=args.all)
        if not rows:
            print("No roles granted yet (hocvuso invite …).")
        for row in rows:
            granted = row.granted_at.astimezone(settings.tz)
            revoked = (
                f", revoked {row.revoked_at.astimezone(settings.tz):%d/%m/%Y}"
                if row.revoked_at
                else ""
            )
            print(
                f"{row.id:>4}  {row.role:<13} {row.scope:<20} {row.channel}:{row.user_id}  "
                f"since {granted:%d/%m/%Y}{revoked}"
            )
        return 0

    return asyncio.run(work())


def cmd_roles_revoke(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        async with database(settings) as storage:
            done = await storage.revoke_role(args.id, utcnow(), by="operator")
        if not done:
            raise ConfigError(f"No active role with id {args.id} (see hocvuso roles list).")
        print(f"Role {args.id} revoked.")
        return 0

    return asyncio.run(work())


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    invite = sub.add_parser(
        "invite", help="a one-time code that makes someone a village head or staff"
    )
    invite.add_argument("--role", required=True, choices=[VILLAGE_HEAD, STAFF])
    invite.add_argument("--village", help="the village (for a village head)")
    invite.add_argument("--commune", help="the commune (needed when several are configured)")
    invite.add_argument("--days", type=int, default=7, help="days the code works (7)")
    invite.set_defaults(func=cmd_invite)
    roles = sub.add_parser("roles", help="who holds which role")
    roles_sub = roles.add_subparsers(dest="roles_command", required=True, metavar="ACTION")
    listing = roles_sub.add_parser("list", help="active roles")
    listing.add_argument("--all", action="store_true", help="include revoked ones")
    listing.set_defaults(func=cmd_roles_list)
    revoke = roles_sub.add_parser("revoke", help="take a role back")
    revoke.add_argument("id", type=int, help="the id shown by 'hocvuso roles list'")
    revoke.set_defaults(func=cmd_roles_revoke)
