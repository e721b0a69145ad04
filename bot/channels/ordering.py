"""One user's updates in order, different users concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class PerKeyLocks:
    """FIFO locks per key. An entry lives while anyone holds or waits for it, so a new
    update can never get a fresh lock while an older one for the same user still waits."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, _Entry] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        entry = self._entries.setdefault(key, _Entry())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]

    def busy(self, key: Hashable) -> bool:
        """Someone holds or waits for this key's lock right now."""
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)
