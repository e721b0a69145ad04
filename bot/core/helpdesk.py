"""Asking a person for help ("Nhờ người giúp"): the learner's side.

From the main menu, a lesson card, a failed quiz or an answer the assistant did not have,
the learner writes what they need (or sends the context as it is); the village's helpers
get it through the outbox, and the learner is told when to expect an answer. A learner
with a request still waiting or in conversation sees that one instead of starting another.
"""

from __future__ import annotations

from bot.core import helptexts
from bot.core.conversation import reshow
from bot.core.messages import Choice, Reply
from bot.core.payloads import parse_id
from bot.core.ports import HelpRequest, Notice
from bot.core.turn import Turn, cancel_button, main_menu, menu_button
from bot.i18n import _

ALIVE = ("waiting", "open")


async def current(turn: Turn) -> HelpRequest | None:
    """The help conversation the learner is in (asking or helping), if still alive."""
    assert turn.learner is not None
    number = turn.talk
    if number is None:
        return None
    request = await turn.store.help_request(number)
    mine = request is not None and turn.learner.id in (request.learner_id, request.helper_id)
    if request is None or not mine or request.status not in ALIVE:
        turn.drop_talk()
        return None
    return request


def talk_choices(request: HelpRequest, *, as_helper: bool) -> tuple[Choice, ...]:
    if as_helper:
        return (
            Choice(_("✅ End the conversation"), f"helper:end:{request.id}"),
            Choice(_("↩️ Hand back to another helper"), f"helper:back:{request.id}"),
            menu_button(),
        )
    return (
        Choice(_("✅ End the conversation"), f"asker:end:{request.id}"),
        Choice(_("📞 Give the helper my phone number"), f"asker:phone:{request.id}"),
        menu_button(),
    )


def status(turn: Turn, request: HelpRequest) -> list[Reply]:
    """Stores nothing; where the learner's conversation stands, with what they can do."""
    assert turn.learner is not None
    if request.status == "waiting":
        text = _("⏳ Your request is waiting for a helper of {village}.").format(
            village=request.village
        )
        cancel = Choice(_("❌ Cancel my request"), f"asker:cancel:{request.id}")
        return [Reply(text, (cancel, menu_button()))]
    if turn.learner.id == request.helper_id:
        text = _("💬 You are helping {asker}. Type here and I will pass it on.")
        reply = text.format(asker=helptexts.asker(request))
        return [Reply(reply, talk_choices(request, as_helper=True))]
    text = _("💬 You are talking with {helper}. Type here and I will pass it on.")
    return [
        Reply(text.format(helper=helptexts.helper(request)), talk_choices(request, as_helper=False))
    ]


async def begin(turn: Turn, where: list[str]) -> list[Reply] | None:
    """Stores the step "waiting for what the learner needs" with the context; asks for it."""
    assert turn.learner is not None
    request = await current(turn)
    if request is not None:
        return status(turn, request)
    if where == ["ask"]:
        asked = turn.flow.get("q") if turn.flow.get("name") == "asked" else None
        context = f"ask:{asked}" if isinstance(asked, str) and asked else ""
    else:
        found = helptexts.context_key(turn.catalog, where, turn.position)
        if found is None:
            return None
        context = found
    village = turn.learner.village_id
    if village is None:
        return [main_menu(_("Choose your village in ⚙️ Settings first, so I know whom to ask."))]
    name = await turn.store.village_name(village)
    turn.start_flow("helpask", ctx=context)
    text = _(
        "🙋 Ask a person for help\n\nI will pass your request to the helpers of {village} "
        "(the community digital technology team). Type what you need help with."
    ).format(village=name)
    choices: list[Choice] = []
    if context:
        where_text = helptexts.context_text(turn.catalog, context)
        text += "\n\n" + _("Or tap “Send as it is” to send this along: {context}").format(
            context=where_text
        )
        choices.append(Choice(_("📨 Send as it is"), "helpme:send", means="yes"))
    return [Reply(text, (*choices, cancel_button()))]


async def question(turn: Turn, text: str) -> list[Reply]:
    """The learner's words for the helpers: the request is made."""
    return await send(turn, text.strip()[: helptexts.MAX_QUESTION])


async def send(turn: Turn, question: str) -> list[Reply]:
    """Stores the request and queues it for the village's helpers (or, when the village
    has none, the commune staff); says when to expect an answer."""
    assert turn.learner is not None and turn.learner.village_id is not None
    context = str(turn.flow.get("ctx", "")) if turn.flow.get("name") == "helpask" else ""
    await turn.end_flow()
    if not question and not context:
        return [main_menu(_("Please write what you need help with."))]
    village_id = turn.learner.village_id
    helpers = [i for i in await turn.store.helpers_for(village_id) if i != turn.learner.id]
    staff = [] if helpers else await turn.store.staff_for(village_id)
    to = tuple(helpers or [i for i in staff if i != turn.learner.id])
    catalog = turn.catalog

    def make(request: HelpRequest) -> list[Notice]:
        late = not helpers
        return [helptexts.offer(catalog, request, to, late=late, why="none")] if to else []

    name = turn.learner.name or turn.inbound.name or ""
    request = await turn.store.create_help(
        learner_id=turn.learner.id, village_id=village_id, name=name[:64], question=question,
        context=context[:400], now=turn.now, escalated=not helpers, make=make,
    )  # fmt: skip
    await turn.store.count_use("help", turn.now)
    if not to:
        office = helptexts.office_text(await turn.store.commune_office(village_id))
        await turn.store.end_help(request.id, turn.learner.id, turn.now, [])
        text = _(
            "😔 {village} has no helpers or commune staff with me yet, so I cannot pass your "
            "request on. You can ask in person at {office}"
        )
        return [main_menu(text.format(village=request.village, office=office))]
    turn.options.on_push()
    turn.set_talk(request.id)
    until = turn.options.quiet.until(turn.now, turn.options.tz)
    if helpers:
        text = _("✅ I have passed your request to the helpers of {village}.")
    else:
        text = _(
            "✅ {village} has no helpers yet, so I have passed your request to the commune staff."
        )
    text = (
        text.format(village=request.village)
        + " "
        + helptexts.expected(until.astimezone(turn.options.tz) if until else None)
    )
    cancel = Choice(_("❌ Cancel my request"), f"asker:cancel:{request.id}")
    return [Reply(text, (cancel, menu_button()))]


async def send_as_is(turn: Turn) -> list[Reply] | None:
    """ "Send as it is": the context alone, no words typed."""
    if turn.flow.get("name") != "helpask" or not turn.flow.get("ctx"):
        return reshow(turn.state, _("That request was already sent or cancelled."))
    return await send(turn, "")


async def _mine(turn: Turn, number: str) -> HelpRequest | None:
    """The learner's own request by the id in a button; None for anyone else's."""
    assert turn.learner is not None
    request_id = parse_id(number)
    request = await turn.store.help_request(request_id) if request_id is not None else None
    return request if request is not None and request.learner_id == turn.learner.id else None


async def cancel(turn: Turn, number: str) -> list[Reply]:
    """Cancels a request nobody has taken yet."""
    assert turn.learner is not None
    request = await _mine(turn, number)
    if request is None:
        return reshow(turn.state, _("That is not a request of yours."))
    if request.status != "waiting":
        return reshow(turn.state, _("That request is no longer waiting."))
    await turn.store.end_help(request.id, turn.learner.id, turn.now, [])
    turn.drop_talk()
    return [main_menu(_("Your request is cancelled."))]


async def rate(turn: Turn, number: str, rating: str) -> list[Reply]:
    """Stores 👍 or 👎 for a finished conversation, once."""
    assert turn.learner is not None
    request = await _mine(turn, number)
    if rating not in ("up", "down"):
        return reshow(turn.state, _("I could not read that button."))
    if request is None:
        return reshow(turn.state, _("That is not a request of yours."))
    if not await turn.store.rate_help(request.id, turn.learner.id, rating):
        return reshow(turn.state, _("That conversation has already been rated."))
    return [main_menu(_("🙏 Thank you! Your answer helps the village team."))]
