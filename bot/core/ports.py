"""What the core needs from storage, as a Protocol; bot.storage implements it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.core.messages import Learner, Village


class LearnerStore(Protocol):
    async def claim_update(self, channel: str, update_id: str, now: datetime) -> bool:
        """True the first time an update is seen; False for a replay."""

    async def get_learner(self, channel: str, user_id: str) -> Learner | None: ...

    async def create_learner(
        self, *, channel: str, user_id: str, chat_id: str, language: str, now: datetime
    ) -> Learner: ...

    async def update_learner(self, learner: Learner, now: datetime) -> None:
        """Save language, village, group and conversation state."""

    async def delete_learner(self, learner_id: int, now: datetime) -> None: ...

    async def villages(self) -> list[Village]: ...

    async def record_answer(
        self,
        *,
        learner_id: int,
        lesson_id: str,
        version: int,
        question: int,
        option: int,
        correct: bool,
        now: datetime,
    ) -> None: ...

    async def record_attempt(
        self,
        *,
        learner_id: int,
        lesson_id: str,
        version: int,
        score: int,
        total: int,
        pass_mark: int,
        passed: bool,
        now: datetime,
    ) -> bool:
        """Store a finished quiz; a passing one records the completion once. True if new."""

    async def completed_lessons(self, learner_id: int) -> set[str]: ...

    async def attempts_by_lesson(self, learner_id: int) -> dict[str, int]: ...
