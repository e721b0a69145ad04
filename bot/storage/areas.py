"""Communes and villages, kept in step with hocvuso.toml."""

from __future__ import annotations

import sqlalchemy as sa

from bot.config import Commune
from bot.content.natural import natural_key
from bot.core.messages import Village
from bot.storage.base import StoreBase, reads, writes
from bot.storage.schema import communes, villages


class AreaQueries(StoreBase):
    @writes
    def sync_areas(self, conn: sa.Connection, configured: list[Commune]) -> None:
        """Make the areas match the config; villages dropped from it become inactive."""
        wanted: set[tuple[int, str]] = set()
        for commune in configured:
            commune_id = conn.scalar(
                sa.select(communes.c.id).where(communes.c.name == commune.name)
            )
            office = {
                "office_hours": commune.office_hours,
                "office_address": commune.office_address,
            }
            if commune_id is None:
                inserted = conn.execute(communes.insert().values(name=commune.name, **office))
                commune_id = inserted.inserted_primary_key[0]  # type: ignore[index]
            else:
                conn.execute(communes.update().where(communes.c.id == commune_id).values(**office))
            for village in commune.villages:
                wanted.add((commune_id, village.name))
                values = {
                    "adults": village.adults,
                    "households": village.households,
                    "active": True,
                }
                found = conn.scalar(
                    sa.select(villages.c.id).where(
                        villages.c.commune_id == commune_id, villages.c.name == village.name
                    )
                )
                if found is None:
                    conn.execute(
                        villages.insert().values(commune_id=commune_id, name=village.name, **values)
                    )
                else:
                    conn.execute(villages.update().where(villages.c.id == found).values(**values))
        for row in conn.execute(sa.select(villages.c.id, villages.c.commune_id, villages.c.name)):
            if (row.commune_id, row.name) not in wanted:
                conn.execute(villages.update().where(villages.c.id == row.id).values(active=False))

    @reads
    def villages(self, conn: sa.Connection) -> list[Village]:
        """Active villages in natural order ("Thôn 2" before "Thôn 10"), as people read them."""
        query = (
            sa.select(villages.c.id, villages.c.name, communes.c.name.label("commune"))
            .join(communes)
            .where(villages.c.active)
        )
        found = [Village(row.id, row.name, row.commune) for row in conn.execute(query)]
        return sorted(found, key=lambda v: (natural_key(v.commune), natural_key(v.name)))
