"""How storage functions meet the database: inline on SQLite, awaited on PostgreSQL.

Every query is written once, as a plain function over a SQLAlchemy ``Connection``. On
SQLite it runs inline on the event loop: a query on a local file takes tens of
microseconds, less than one round trip to aiosqlite's worker thread (about 120 µs measured
on our 2-core machines, and SQLAlchemy's aiosqlite adapter makes up to four per statement).
On PostgreSQL it runs through ``AsyncConnection.run_sync`` on asyncpg, so waiting on the
network never blocks the loop. Long read-only work (reports) can go to a thread instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

P = ParamSpec("P")
R = TypeVar("R")
Work = Callable[Concatenate[sa.Connection, P], R]

BUSY_TIMEOUT_MS = 5000


class Runner(Protocol):
    dialect: str

    async def read(self, fn: Work[P, R], *args: P.args, **kwargs: P.kwargs) -> R: ...

    async def write(self, fn: Work[P, R], *args: P.args, **kwargs: P.kwargs) -> R: ...

    async def read_in_thread(self, fn: Work[P, R], *args: P.args, **kwargs: P.kwargs) -> R: ...

    async def dispose(self) -> None: ...


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: durable across app crashes
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class SqliteRunner:
    dialect = "sqlite"

    def __init__(self, url: sa.URL):
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(
            url.set(drivername="sqlite"),
            connect_args={"check_same_thread": False},
            # Connections are always released by a context manager that already ended
            # the transaction; the pool's extra rollback would be wasted work.
            pool_reset_on_return=None,
        )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        self._conn: sa.Connection | None = None

    def _inline(self) -> sa.Connection:
        """One connection kept for the queries run inline on the event loop: they never
        overlap (nothing awaits inside them), and taking a pooled connection for each one
        cost about a fifth of a message's time (bench/engine.py). Reports in threads still
        take their own from the pool."""
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self._conn = self.engine.connect()
        return self._conn

    async def read(self, fn: Work[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        conn = self._inline()
        try:
            return fn(conn, *args, **kwargs)
        finally:
            conn.rollback()  # ends the read transaction: the next read sees new writes

    async def write(self, fn: Work[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        conn = self._inline()
        with conn.begin():
            return fn(conn, *args, **kwargs)

    async def read_in_thread(self, fn: Work[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        def work() -> R:
            with self.engine.connect() as conn:
                return fn(conn, *args, **kwargs)

        return await asyncio.to_thread(work)

    async def dispose(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self.engine.dispose()


class AsyncRunner:
    dialect = "postgresql"

    def __init__(self, url: sa.URL):
        self.engine: AsyncEngine = create_async_engine(url, pool_pre_ping=True)

    async def read(self, fn: Work[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        async with self.engine.connect() as conn:
            return await conn.run_sync(fn, *args, **kwargs)

    async def write(self, fn: Work[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        async with self.engine.begin() as conn:
            return await conn.run_sync(fn, *args, **kwargs)

    async def read_in_thread(self, fn: Work[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        return await self.read(fn, *args, **kwargs)  # asyncpg never blocks the loop

    async def dispose(self) -> None:
        await self.engine.dispose()


def open_runner(url: str) -> Runner:
    """The runner for a database URL; nothing is connected until the first query."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return SqliteRunner(parsed)
    return AsyncRunner(parsed)
