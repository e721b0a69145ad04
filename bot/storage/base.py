"""The plumbing every query module shares: the runner and the read/write decorators.

Each query is a plain method over a Connection; ``@reads`` / ``@writes`` hand it to the
runner (inline on SQLite, awaited on PostgreSQL) and make it awaitable for callers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from functools import update_wrapper
from typing import Any, Concatenate, ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.storage.runner import Runner

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound="StoreBase")
Query = Callable[Concatenate[S, sa.Connection, P], R]
Awaitable_ = Callable[Concatenate[S, P], Awaitable[R]]


def reads(
    method: Callable[Concatenate[S, sa.Connection, P], R],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, R]]:
    async def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self.runner.read(lambda conn: method(self, conn, *args, **kwargs))

    update_wrapper(run, method)  # keeps the name, the docstring and __wrapped__
    return run


def writes(
    method: Callable[Concatenate[S, sa.Connection, P], R],
) -> Callable[Concatenate[S, P], Coroutine[Any, Any, R]]:
    """One transaction: everything the method does is committed together or not at all."""

    async def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
        return await self.runner.write(lambda conn: method(self, conn, *args, **kwargs))

    update_wrapper(run, method)
    return run


class StoreBase:
    def __init__(self, runner: Runner):
        self.runner = runner
        self.postgres = runner.dialect == "postgresql"
        self._insert = postgresql.insert if self.postgres else sqlite.insert

    def _insert_ignore(self, table: sa.Table, **values: Any) -> Any:
        """INSERT that skips a row violating a unique key (rowcount 0), on either engine."""
        return self._insert(table).values(**values).on_conflict_do_nothing()
