"""`hocvuso invite`, `hocvuso roles list|revoke`."""

from __future__ import annotations

import argparse
import asyncio
import secrets
from datetime import timedelta

from bot.cli.common import database, pick
from bot.config import ConfigError, Settings
from bot.content.natural import natural_key
from bot.core.engine import utcnow
from bot.core.roles import VILLAGE_ROLES

# No 0/O or 1/I: a code is read aloud and typed on small phones.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(10))


async def _bot_username(settings: Settings) -> str | None:
    """Telegram's name for the bot, for a t.me deep link; None when it cannot be asked."""
    if settings.telegram_bot_token is None:
        return None
    import httpx

    token = settings.telegram_bot_token.get_secret_value().strip()
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(f"{settings.telegram_api_base_url}/bot{token}/getMe")
            return str(response.json()["result"]["username"])
    except (httpx.HTTPError, KeyError, ValueError, TypeError):
        return None


def cmd_invite(settings: Settings, args: argparse.Namespace) -> int:
    if args.role in VILLAGE_ROLES and not args.village:
        kind = "village head" if args.role == "village_head" else "helper"
        raise ConfigError(f"A {kind} invite needs --village.")
    if not 1 <= args.days <= 60:
        raise ConfigError("--days must be between 1 and 60.")

    async def work() -> int:
        async with database(settings, areas=True) as storage:
            commune = pick(await storage.commune_names(), args.commune, "commune", "--commune")
            commune_id = await storage.commune_id(commune)
            village_id, scope = None, commune
            if args.role in VILLAGE_ROLES:
                villages = {v.name: v.id for v in await storage.villages() if v.commune == commune}
                scope = pick(list(villages), args.village, "village", "--village")
                village_id = villages[scope]
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
        print(f"Invite for {args.role} of {scope}: {code} (works once, until {expires:%d/%m/%Y})")
        username = await _bot_username(settings)
        if username:
            print(f"Link: https://t.me/{username}?start={code}")
        print(f"Or, in the chat with the bot: /ma {code}")
        return 0

    return asyncio.run(work())


def cmd_roles_list(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> int:
        async with database(settings, existing=True) as storage:
            rows = await storage.role_rows(include_revoked=args.all)
        rows.sort(key=lambda row: (natural_key(row.scope), row.role, row.id))
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
        async with database(settings, existing=True) as storage:
            done = await storage.revoke_role(args.id, utcnow(), by="operator")
        if not done:
            raise ConfigError(f"No active role with id {args.id} (see hocvuso roles list).")
        print(f"Role {args.id} revoked.")
        return 0

    return asyncio.run(work())
