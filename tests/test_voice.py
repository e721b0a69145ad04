"""One voice: the learner is "bác", the assistant is "tôi"; never "bạn", never "bot".

Checked on everything a learner reads: the shipped lessons, FAQ, weekly and 10/10 messages,
the scam checker's texts, and the Vietnamese UI catalog. Quotations are exempt: scam
examples quote the crooks word for word.
"""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from bot.content import load_catalog
from bot.content.quality import learner_texts
from bot.content.voice import find_voice_problems, unquoted
from bot.resources import data_dir


@pytest.mark.parametrize(
    "text",
    [
        "Bạn hãy cài VNeID từ CH Play.",
        "Mã OTP của bạn là bí mật.",
        "Các bạn nhớ cập nhật ứng dụng.",
        "bạn đúng 3/4 câu",
        "Học bài với bot chỉ mất 5 phút.",
        "This bot never asks for your password.",
        "Bot này không hỏi mật khẩu.",
    ],
)
def test_the_wrong_voice_is_found(text: str) -> None:
    assert find_voice_problems(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bác hãy cài VNeID từ CH Play.",
        "Tôi không bao giờ hỏi mật khẩu của bác.",
        "Bạn bè của bác cũng nên biết.",
        "Gọi cho người bạn đó bằng số quen.",
        "Bạn của bác bị mất Zalo thì gọi hỏi thẳng.",
        "Bác có thể kết bạn với cán bộ xã trên Zalo.",
        "Bán hàng, bàn bạc, bớt giá: không phải “bạn” hay “bot”.",
        "Kẻ gian nhắn: “Chào bạn, tài khoản của bạn bị khóa, bấm link”.",
        'Tin nhắn "bot hỗ trợ khách hàng" là giả.',
        "Robots and a robotic voice are fine; so is a bottle.",
    ],
)
def test_the_right_voice_and_quotations_pass(text: str) -> None:
    assert find_voice_problems(text) == []


def test_quotations_are_removed_only_when_closed() -> None:
    assert unquoted("a “b” c").split() == ["a", "c"]
    assert unquoted('a "b" c').split() == ["a", "c"]
    assert find_voice_problems("Kẻ gian nói: “Bạn ơi") != []


def test_shipped_content_speaks_to_bac() -> None:
    catalog = load_catalog(data_dir("lessons"))
    found = [
        f"{rel}: {field}: {reason}"
        for rel, field, text in learner_texts(catalog)
        for reason in find_voice_problems(text)
    ]
    assert found == []


def test_vietnamese_ui_catalog_speaks_to_bac() -> None:
    path = data_dir("locales") / "vi" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            found.extend(f"{message.id!r}: {reason}" for reason in find_voice_problems(string))
    assert found == []
