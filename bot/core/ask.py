"""Free text is a question: the best answer from the FAQ and the lesson cards, with a button
to the lesson it comes from and up to two other matches; or an honest "not found"."""

from __future__ import annotations

from bot.content.search import Hit
from bot.core.messages import Choice, Reply
from bot.core.turn import Turn, cancel_button, help_button, lessons_button, menu_button
from bot.i18n import _, current_language, use_locale

ASK_LIMIT = 3


def _label(hit: Hit, lang: str) -> str:
    text = hit.doc.title.get(lang) if hit.doc.kind == "faq" else hit.doc.text.get(lang)
    return text if len(text) <= 60 else text[:57].rstrip() + "…"


def _payload(hit: Hit) -> str:
    return f"faq:{hit.doc.id}" if hit.doc.kind == "faq" else f"card:{hit.doc.id}"


def answer_reply(turn: Turn, hit: Hit, others: list[Hit]) -> Reply:
    lang = current_language()
    doc = hit.doc
    if doc.kind == "faq":
        text = f"❓ {doc.title.get(lang)}\n\n{doc.text.get(lang)}"
    else:
        text = f"📘 {doc.title.get(lang)}\n\n{doc.text.get(lang)}"
    choices = [Choice(_("📖 Open the lesson"), f"open:{doc.lesson_id}")]
    choices += [Choice(f"🔎 {_label(other, lang)}", _payload(other)) for other in others]
    return Reply(text, (*choices, menu_button()), offer_resume=True)


async def begin(turn: Turn) -> list[Reply]:
    """Stores the step "waiting for a question"; asks for it."""
    turn.start_flow("ask")
    text = _("❓ Type your question, with or without accents. I will look for the answer.")
    return [Reply(text, (cancel_button(),))]


async def ask(turn: Turn, question: str) -> list[Reply]:
    """Stores a count for today. A question without an answer is kept in the learner's
    state until their next flow, only so that "Ask a person" can send it on."""
    assert turn.services is not None and turn.services.search is not None
    if turn.learner is not None and turn.flow.get("name") in ("ask", "asked"):
        await turn.end_flow()
    await turn.store.count_use("ask", turn.now)
    answer = turn.services.search.answer(question, limit=ASK_LIMIT)
    # A question asked in English is answered in English, whatever the learner's setting.
    with use_locale(answer.lang if answer.lang == "en" else current_language()):
        if not answer.confident:
            text = _(
                "I do not know the answer to that. Have a look at the lessons, or tap “Ask a "
                "person for help”: a member of your village's community digital technology "
                "team (Tổ công nghệ số cộng đồng) can answer."
            )
            lang = current_language()
            maybe = [  # not an answer: lessons that may help, named as such
                Choice(f"📖 {lesson.title.get(lang)}", f"open:{lesson.id}")
                for hit in answer.hits[:2]
                if (lesson := turn.catalog.lesson(hit.doc.lesson_id)) is not None
            ]
            check = Choice(_("🔍 Check a message I received"), "check")
            choices = (*maybe, help_button("ask"), lessons_button(), check, menu_button())
            if turn.learner is not None and not turn.flow:
                turn.start_flow("asked", q=question.strip()[:300])
            return [Reply(text, choices, offer_resume=True)]
        others = [hit for hit in answer.hits[1:] if hit.score >= answer.hits[0].score / 2]
        return [answer_reply(turn, answer.hits[0], others)]


async def show_faq(turn: Turn, faq_id: str) -> list[Reply] | None:
    """Stores nothing; one FAQ answer (a button from an earlier answer)."""
    item = next((item for item in turn.catalog.faq if item.id == faq_id), None)
    if item is None:
        return None
    lang = current_language()
    text = f"❓ {item.question.get(lang)}\n\n{item.answer.get(lang)}"
    return [Reply(text, (Choice(_("📖 Open the lesson"), f"open:{item.lesson}"), menu_button()))]
