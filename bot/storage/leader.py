"""Exactly one process runs the scheduler: a PostgreSQL advisory lock, held on a connection
of its own for as long as the process lives. When the holder dies its connection closes,
the server drops the lock and the next process to ask gets it. A SQLite database has one
bot process, which always leads."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.runner import AsyncRunner, Runner

SCHEDULER_LOCK = (7211, 1)  # (namespace, id); every hocvuso process uses the same
WORKER_NAMESPACE = 7212  # (namespace, worker number): "this dispatcher is alive"


class LeaderLock:
    """A session-level advisory lock; the scheduler's, or a dispatcher's "I am alive"."""

    def __init__(self, runner: Runner, key: tuple[int, int] = SCHEDULER_LOCK):
        self.runner = runner
        self.key = key
        self._conn: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        if not isinstance(self.runner, AsyncRunner):
            return True
        conn = await self.runner.engine.connect()
        try:
            got = await conn.scalar(sa.select(sa.func.pg_try_advisory_lock(*self.key)))
            await conn.commit()  # the lock is the session's; leave no transaction open
        except Exception:
            await conn.close()
            raise
        if got:
            self._conn = conn
            return True
        await conn.close()
        return False

    async def still_held(self) -> bool:
        if not isinstance(self.runner, AsyncRunner):
            return True
        if self._conn is None:
            return False
        try:
            await self._conn.execute(sa.text("SELECT 1"))
            await self._conn.commit()
            return True
        except Exception:
            await self.release()
            return False

    async def release(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        try:
            await conn.execute(sa.select(sa.func.pg_advisory_unlock(*self.key)))
            await conn.commit()
        except Exception:
            pass  # a broken connection has released the lock already
        finally:
            await conn.close()
