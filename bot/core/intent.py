"""What free text is, once it matched no choice (pure): a message someone received and
pasted, a question for the assistant, a greeting or thanks, or something else.

People paste the SMS they got rather than forward it (real SMS cannot be forwarded into
Telegram, and Zalo does not mark forwards), so a pasted message must reach the scam check
without a command. It is recognised by its shape: links, phone or account numbers with
money, codes, the openings banks, police, delivery firms and "relatives in trouble" use,
and a voice that addresses the reader ("quý khách", "bạn", "mẹ ơi") rather than the
assistant. A question asks; a message tells or demands.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.content.textfold import fold
from bot.core.typed import phrases

Intent = Literal["message", "question", "chat", "other"]

_LINK = re.compile(
    r"(?:https?://|hxxps?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|info|xyz|top|vip"
    r"|site|online|shop|cc|me|io|app|link|click|club|live|asia|icu|tk|pw|ly|co|store|cloud|one"
    r"|mobi|bank|support|help|services|website|tech|fun|pro)\b(?:/\S*)?",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[\s.-]?\d){7,18}(?!\d)")
_MONEY = re.compile(
    r"\b\d[\d.,]*\s*(?:k|d|vnd|dong|tr|trieu|nghin|ngan|ty|usd|usdt)\b|\b(?:trieu|nghin|ty) dong\b"
)
_TAG = re.compile(r"^\s*(?:\[[^\]]{2,30}\]|[A-Z][A-Za-z0-9&.\- ]{1,20}:)")

# Folded phrases typical of received messages (openings, demands, the reader addressed).
_MESSAGE_PHRASES = (
    "quy khach", "kinh gui", "thong bao", "tb ", "ban da", "tai khoan cua ban", "tk cua ban",
    "tai khoan cua quy khach", "chuc mung", "trung thuong", "trung giai", "qua tang",
    "me oi", "bo oi", "ba oi", "ma oi", "anh oi", "chi oi", "em oi", "con dang", "cap cuu",
    "chuyen khoan", "chuyen tien", "ck gap", "ck giup", "chuyen gap", "chuyen giup",
    "muon tam", "cho muon", "vay gap", "ma otp", "ma xac nhan", "ma xac thuc", "ma kich hoat",
    "truy cap", "bam vao", "nhan vao", "click", "lien he", "dang nhap", "cap nhat",
    "bi khoa", "tam khoa", "se bi", "xac minh", "kich hoat", "hoan tien", "hoan thue",
    "don hang", "buu pham", "kien hang", "giao hang", "phi ", "nop phat", "lenh bat",
    "cong an", "vien kiem sat", "toa an", "dieu tra", "trong vong 24", "ngay hom nay",
    "dear customer", "your account", "click here", "verify", "congratulations",
)  # fmt: skip
_QUESTION_WORDS = (
    "sao", "gi", "nao", "dau", "khong", "ko", "k", "chua", "the nao", "lam sao", "bao nhieu",
    "co phai", "co duoc", "o dau", "khi nao", "bao gio", "tai sao", "vi sao", "the nao",
    "chi", "rua", "rang", "mo", "how", "what", "where", "why", "when", "which", "can", "is",
    "should", "do", "does",
)  # fmt: skip
_QUESTION_STARTS = (
    "cach ", "lam sao", "lam the nao", "huong dan", "giup ", "toi muon", "cho hoi", "hoi ",
    "xin hoi", "muon ", "sao ", "tai sao", "vi sao", "the nao", "co phai", "how ", "what ",
    "where ", "why ", "can ", "is ", "should ", "do ", "does ", "help ",
)  # fmt: skip
_CHAT = phrases(
    "xin chao|chao|chao ban|chao bot|alo|hello|hi|hey|cam on|cam on nhe|cam on nha|cam on a"
    "|thank|thanks|thank you|tot qua|hay qua|tuyet|bye|tam biet|chuc ngu ngon|ok|oke|vang|da"
    "|u|uh|hi hi|haha|hihi"
)


def classify(text: str, *, scam_level: str | None = None) -> Intent:
    """``scam_level`` is the checker's verdict ("high", "medium", "low") when it ran."""
    folded = fold(text)
    words = folded.split()
    if not words:
        return "other"
    if folded in _CHAT:
        return "chat"
    signals = message_signals(text, folded)
    question = _asks(text, folded, words)
    if scam_level in {"high", "medium"} and (len(words) >= 6 or signals >= 1):
        return "message"
    if signals >= 2 and not (question and len(words) <= 12 and signals < 3):
        return "message"
    if question or len(words) >= 4:
        return "question"
    return "other"


def message_signals(text: str, folded: str | None = None) -> int:
    """How many signs say this text was received rather than written to us."""
    folded = fold(text) if folded is None else folded
    signals = 0
    if _LINK.search(text):
        signals += 2
    if _PHONE.search(text) or _LONG_NUMBER.search(text):
        signals += 1
    if _MONEY.search(folded):
        signals += 1
    if _TAG.match(text):
        signals += 1
    padded = f" {folded} "
    phrases = sum(1 for phrase in _MESSAGE_PHRASES if f" {phrase}" in padded)
    signals += min(phrases, 3)
    if len(folded.split()) >= 25:
        signals += 1
    return signals


def _asks(text: str, folded: str, words: list[str]) -> bool:
    if text.rstrip().endswith("?"):
        return True
    if any(folded.startswith(start) for start in _QUESTION_STARTS):
        return True
    tail = " ".join(words[-2:])
    return words[-1] in _QUESTION_WORDS or tail in _QUESTION_WORDS
