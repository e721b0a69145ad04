"""`hocvuso dashboard-link`: a one-time link to the web dashboard, for the operator to hand
to commune staff (or a village head) who cannot use /baocao in the chat."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli.common import database, pick
from bot.config import ConfigError, Settings
from bot.core.engine import utcnow
from bot.core.messages import Grant
from bot.core.roles import STAFF, VILLAGE_HEAD


def cmd_dashboard_link(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.dashboard:
        raise ConfigError("The dashboard is off (HOCVUSO_DASHBOARD=false); turn it on first.")

    async def work() -> int:
        from bot.app import public_address
        from bot.dashboard.links import LINK_MINUTES, DashboardLinks

        async with database(settings, areas=True, existing=True) as storage:
            commune = pick(await storage.commune_names(), args.commune, "commune", "--commune")
            commune_id = await storage.commune_id(commune)
            assert commune_id is not None
            grant = Grant(STAFF, commune_id=commune_id)
            place = commune
            if args.village:
                villages = {v.name: v.id for v in await storage.villages() if v.commune == commune}
                place = pick(list(villages), args.village, "village", "--village")
                grant = Grant(VILLAGE_HEAD, village_id=villages[place])
            links = DashboardLinks(storage, public_address(settings))
            url = await links.login_link(
                learner_id=None, grant=grant, language=args.lang, now=utcnow()
            )
        print(url)
        print(
            f"Opens the dashboard of {place} once, within {LINK_MINUTES} minutes; the session "
            "lasts 8 hours. Hand it over privately.",
            file=sys.stderr,
        )
        return 0

    return asyncio.run(work())
