"""The single entry point: one Inbound in, the replies out.

It loads the learner, sets the locale, routes to one step of one flow, and nothing else:
every flow module owns its steps and what they store.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from bot.content import Catalog
from bot.core import ask, broadcast, check, home, lessons, onboarding, preferences, quiz, staff
from bot.core.messages import Inbound, Kind, Reply
from bot.core.ports import LearnerStore, Services
from bot.core.turn import Options, Turn, main_menu
from bot.i18n import LANGUAGES, _, pick_language, use_locale

MAX_TEXT = 2000

# Telegram commands are latin only: each has a Vietnamese name and an English alias.
COMMANDS: dict[str, str] = {
    "start": "start",
    "menu": "menu",
    "dung": "weekly:off",
    "stop": "weekly:off",
    "batdau": "weekly:on",
    "resume": "weekly:on",
    "hoc": "lessons",
    "lessons": "lessons",
    "tiendo": "progress",
    "progress": "progress",
    "caidat": "settings",
    "settings": "settings",
    "ngonngu": "setlang",
    "language": "setlang",
    "xoadulieu": "delete",
    "deletedata": "delete",
    "trogiup": "help",
    "help": "help",
    "ma": "code",
    "code": "code",
    "thongbao": "announce",
    "announce": "announce",
    "thongke": "stats",
    "stats": "stats",
    "baocao": "report",
    "report": "report",
    "sukien": "event",
    "event": "event",
    "tinmoi": "queue",
    "weekly": "queue",
    "kiemtra": "check",
    "check": "check",
}
INVITE_CODE = re.compile(r"^[A-Z0-9]{8,16}$")

Step = Callable[[Turn, list[str]], Awaitable[list[Reply] | None]]


def utcnow() -> datetime:
    """The one clock of the app (UTC); tests and benchmarks pass their own."""
    return datetime.now(UTC)


class Engine:
    def __init__(
        self,
        store: LearnerStore,
        catalog: Catalog,
        *,
        clock: Callable[[], datetime] = utcnow,
        options: Options | None = None,
        services: Services | None = None,
    ):
        self.store = store
        self.catalog = catalog
        self.clock = clock
        self.options = options or Options()
        self.services = services
        self._steps: dict[str, Step] = {
            "menu": self._menu,
            "start": self._menu,
            "help": self._help,
            "lessons": self._lessons,
            "open": self._open,
            "card": self._card,
            "quiz": self._quiz,
            "ans": self._answer,
            "progress": self._progress,
            "settings": self._settings,
            "setlang": self._setlang,
            "delete": self._delete,
            "weekly": self._weekly,
            "code": self._code,
            "announce": self._announce,
            "ann": self._ann,
            "stats": self._stats,
            "report": self._report,
            "event": self._event,
            "queue": self._queue,
            "flow": self._flow,
            "check": self._check,
            "faq": self._faq,
        }

    async def handle(self, inbound: Inbound) -> list[Reply]:
        now = self.clock()
        if inbound.update_id is not None and not await self.store.claim_update(
            inbound.channel, inbound.update_id, now
        ):
            return []  # a replayed update: already answered once
        learner = await self.store.get_learner(inbound.channel, inbound.user_id)
        turn = Turn(inbound, learner, self.store, self.catalog, now, self.options, self.services)
        language = learner.language if learner else pick_language(inbound.language_code)
        with use_locale(language):
            if learner is None:
                return (
                    self._stranger(turn) if not _is_consent(inbound) else await self._consent(turn)
                )
            return await self._learner(turn)

    # -- before consent: nothing is stored ---------------------------------------------

    def _stranger(self, turn: Turn) -> list[Reply]:
        inbound = turn.inbound
        if inbound.kind is Kind.CHOICE and inbound.text.startswith("lang:"):
            lang, _sep, code = inbound.text.removeprefix("lang:").partition(":")
            if lang in LANGUAGES:
                return onboarding.ask_consent(lang, _code(code))
        if inbound.kind is Kind.MEDIA:
            return home.media_not_read(registered=False)
        deep_link = inbound.args if inbound.kind is Kind.COMMAND else ""
        return onboarding.welcome(_code(deep_link))

    async def _consent(self, turn: Turn) -> list[Reply]:
        _, answer, lang, *code = turn.inbound.text.split(":")
        if answer != "yes":
            return onboarding.declined(lang)
        replies = await onboarding.accept(turn, lang)
        invite = _code(code[0] if code else "")
        if invite:
            with use_locale(lang):
                replies = [*(await onboarding.redeem(turn, invite)), *replies]
        return replies

    # -- a learner -----------------------------------------------------------------------

    async def _learner(self, turn: Turn) -> list[Reply]:
        inbound = turn.inbound
        if inbound.kind is Kind.MEDIA:
            state = turn.state
            if inbound.photo and state.get("flow") == "announce" and state.get("step") == "text":
                return await broadcast.receive_text(
                    turn, inbound.text, photo={inbound.channel: inbound.photo}
                )
            return home.media_not_read(registered=True)
        if inbound.kind is Kind.TEXT:
            checking = inbound.forwarded or turn.state.get("flow") == "check"
            limit = check.MAX_TEXT if checking else MAX_TEXT
            return home.too_long() if len(inbound.text) > limit else await self._text(turn)
        if inbound.kind is Kind.COMMAND:
            name = COMMANDS.get(inbound.text.lower())
            if name is None:
                return home.unknown_command()
            action, *args = name.split(":")
        else:
            action, *args = inbound.text.split(":")
        if onboarding.needs_onboarding(turn) and action not in {"village", "group", "delete"}:
            if action in {"help"}:
                return [home.help_reply()]
            return await onboarding.next_step(turn)
        if action == "village" and len(args) == 1:
            replies = await onboarding.choose_village(turn, args[0])
        elif action == "group" and len(args) == 1:
            replies = await onboarding.choose_group(turn, args[0])
        elif action in self._steps:
            replies = await self._steps[action](turn, args)
        else:
            replies = None
        return replies if replies is not None else home.unknown_button()

    async def _text(self, turn: Turn) -> list[Reply]:
        if onboarding.needs_onboarding(turn):
            return await onboarding.next_step(turn)
        flow, step = turn.state.get("flow"), turn.state.get("step")
        if flow == "announce" and step == "text":
            return await broadcast.receive_text(turn, turn.inbound.text)
        if flow == "event":
            return await staff.event_text(turn, turn.inbound.text)
        if flow == "weekly":
            return await staff.weekly_text(turn, turn.inbound.text)
        services = self.services
        if (flow == "check" or turn.inbound.forwarded) and services and services.checker:
            return await check.verdict(turn, turn.inbound.text)
        if services is not None and services.search is not None:
            return await ask.ask(turn, turn.inbound.text)
        return home.not_understood()

    # -- steps: each returns None when its arguments are not valid ----------------------

    async def _menu(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        code = _code(turn.inbound.args) if turn.inbound.kind is Kind.COMMAND else None
        if code is not None:
            return await onboarding.redeem(turn, code)  # /start CODE from a deep link
        return [main_menu()] if not args else None

    async def _code(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        code = _code(turn.inbound.args)
        if code is None:
            return [main_menu(_("Send the code after the command, like this: /ma ABCD2345"))]
        return await onboarding.redeem(turn, code)

    async def _announce(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await broadcast.begin(turn) if not args else None

    async def _ann(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        match args:
            case ["send", nonce]:
                return await broadcast.confirm(turn, nonce)
            case ["cancel"]:
                return await broadcast.cancel(turn)
            case ["status", push_id]:
                return await broadcast.status(turn, push_id)
            case ["stop", push_id]:
                return await broadcast.stop(turn, push_id)
        return None

    async def _stats(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await staff.village_stats(turn) if not args and self.services else None

    async def _report(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await staff.report(turn) if not args and self.services else None

    async def _event(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await staff.event_begin(turn) if not args and self.services else None

    async def _queue(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await staff.weekly_begin(turn) if not args and self.services else None

    async def _check(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        if args or self.services is None or self.services.checker is None:
            return None
        if turn.inbound.kind is Kind.COMMAND and turn.inbound.args:
            return await check.verdict(turn, turn.inbound.args)  # /kiemtra <message>
        return await check.begin(turn)

    async def _faq(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await ask.show_faq(turn, args[0]) if len(args) == 1 else None

    async def _flow(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await staff.cancel(turn) if args == ["cancel"] else None

    async def _help(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return [home.help_reply()] if not args else None

    async def _progress(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await home.progress(turn) if not args else None

    async def _lessons(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await lessons.show_list(turn) if not args else None

    async def _open(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        lesson = self.catalog.lesson(args[0]) if len(args) == 1 else None
        return await lessons.open_lesson(turn, lesson) if lesson else None

    async def _card(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        lesson = self.catalog.lesson(args[0]) if len(args) == 2 else None
        index = _index(args[1]) if lesson else None
        if lesson is None or index is None or index >= len(lesson.cards):
            return None
        return await lessons.show_card(turn, lesson, index)

    async def _quiz(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        lesson = self.catalog.lesson(args[0]) if len(args) == 1 else None
        return await quiz.start(turn, lesson) if lesson else None

    async def _answer(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        if len(args) != 3:
            return None
        lesson = self.catalog.lesson(args[0])
        question, option = _index(args[1]), _index(args[2])
        if lesson is None or question is None or option is None:
            return None
        if question >= len(lesson.quiz) or option >= len(lesson.quiz[question].options):
            return None
        state = turn.state
        if state.get("lesson") != lesson.id or state.get("q") != question:
            return self._stale(turn)
        return await quiz.answer(turn, lesson, question, option)

    def _stale(self, turn: Turn) -> list[Reply]:
        """A button from an older message: say so and show where the learner is now."""
        note = _("That button is from an earlier message; it is already answered.")
        state = turn.state
        lesson = self.catalog.lesson(str(state.get("lesson", "")))
        if lesson is not None and isinstance(state.get("q"), int):
            index = int(state["q"])  # type: ignore[call-overload]
            if index < len(lesson.quiz):
                return [Reply(note), quiz.question_reply(lesson, index)]
        return [main_menu(note)]

    async def _settings(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        return await preferences.show(turn) if not args else None

    async def _setlang(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        if not args:
            return await preferences.ask_language(turn)
        return await preferences.set_language(turn, args[0]) if len(args) == 1 else None

    async def _weekly(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        if args not in (["on"], ["off"]):
            return None
        return await preferences.set_weekly(turn, on=args == ["on"])

    async def _delete(self, turn: Turn, args: list[str]) -> list[Reply] | None:
        if not args:
            return await preferences.ask_delete(turn)
        return await preferences.delete(turn) if args == ["yes"] else None


def _is_consent(inbound: Inbound) -> bool:
    if inbound.kind is not Kind.CHOICE:
        return False
    parts = inbound.text.split(":")
    return (
        len(parts) in (3, 4)
        and parts[0] == "consent"
        and parts[1] in {"yes", "no"}
        and (parts[2] in LANGUAGES)
    )


def _index(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 4 else None


def _code(text: str) -> str | None:
    """An invite code as typed or deep-linked, or None when it cannot be one."""
    code = text.strip().upper()
    return code if INVITE_CODE.match(code) else None
