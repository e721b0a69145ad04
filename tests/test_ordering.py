"""A user's updates keep their order in one process while it counts the processes alive
(bot/channels/ordering.py), with an in-memory line in place of the database's rows."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.channels.ordering import SharedOrder


class Line:
    """The turn rows and the process count the order reads, kept in memory. Each count
    takes the next of ``delays`` (seconds) and returns the next of ``counts``."""

    def __init__(self, counts: list[int], delays: list[float] | None = None):
        self.counts = counts
        self.delays = delays or []
        self.asked = 0
        self.gate: asyncio.Event | None = None  # when set: counts wait for it
        self.rows: dict[int, tuple[str, int]] = {}  # open turns: number -> (user, seq)

    async def live_processes(self) -> int:
        index = min(self.asked, len(self.counts) - 1)
        delay = self.delays[self.asked] if self.asked < len(self.delays) else 0.0
        self.asked += 1
        if self.gate is not None:
            await self.gate.wait()
        await asyncio.sleep(delay)
        return self.counts[index]

    async def start_turn(self, channel: str, user_id: str, seq: int, now: datetime) -> int:
        number = len(self.rows) + 1000 + seq
        self.rows[number] = (user_id, seq)
        return number

    async def turns_before(self, channel: str, user_id: str, seq: int, since: datetime) -> int:
        return sum(1 for user, other in self.rows.values() if user == user_id and other < seq)

    async def end_turn(self, turn: int, now: datetime) -> None:
        self.rows.pop(turn, None)


async def handled(order: SharedOrder, user: str, seq: int, log: list[int], hold: float) -> None:
    async with order.turn(user, seq):
        log.append(seq)
        await asyncio.sleep(hold)


async def test_updates_waiting_for_the_first_count_go_on_in_the_order_they_came() -> None:
    # The first count is slow and the second quick: were each update to count for itself,
    # the second update would find its answer first and overtake the first.
    line = Line(counts=[1], delays=[0.2, 0.01])
    order = SharedOrder(line, "telegram")
    log: list[int] = []
    first = asyncio.create_task(handled(order, "u", 1, log, 0))
    await asyncio.sleep(0.02)
    second = asyncio.create_task(handled(order, "u", 2, log, 0))
    await asyncio.gather(first, second)
    assert log == [1, 2]
    assert line.asked == 1  # one count for both


async def test_a_stale_count_is_refreshed_in_the_background() -> None:
    line = Line(counts=[1])
    order = SharedOrder(line, "telegram")
    order.RECOUNT = 0.0  # every update finds the count stale
    log: list[int] = []
    await handled(order, "u", 1, log, 0)  # the first count, answered at once
    line.gate = asyncio.Event()  # the next counts hang until the gate opens
    await asyncio.wait_for(handled(order, "u", 2, log, 0), 10)  # fails, never hangs
    await asyncio.wait_for(handled(order, "u", 3, log, 0), 10)
    assert log == [1, 2, 3]  # nobody waited for the hanging count
    assert line.asked == 2  # and one recount at a time
    line.gate.set()
    await asyncio.sleep(0)


async def test_an_update_in_line_keeps_its_place_when_the_process_becomes_alone() -> None:
    # Two processes alive at first: update 1 is written down and waits SETTLE. Meanwhile the
    # other process ends; update 2 of the same user must not skip the line past update 1.
    line = Line(counts=[2, 1])
    order = SharedOrder(line, "telegram")
    order.SETTLE = 0.1
    order.RECOUNT = 0.0
    log: list[int] = []
    first = asyncio.create_task(handled(order, "u", 1, log, 0.05))
    await asyncio.sleep(0.02)  # counted "2 alive"; update 1 settles
    assert line.asked == 1
    second = asyncio.create_task(handled(order, "u", 2, log, 0))
    await asyncio.sleep(0.02)  # the recount says "alone" by now
    third = asyncio.create_task(handled(order, "v", 1, log, 0))  # another user: no line
    await asyncio.gather(first, second, third)
    assert log.index(1) < log.index(2)
    assert line.rows == {}  # every turn written down was ended
    assert not order._written
