"""Typed answers read against the choices just shown (issue 11): numbers in every form, the
words of a choice with or without accents, yes/no words, and nothing else."""

from __future__ import annotations

import pytest

from bot.core.messages import Choice
from bot.core.typed import NoMatch, OutOfRange, Picked, read

CONSENT = (
    Choice("✅ Tôi đồng ý", "consent:yes", means="yes"),
    Choice("❌ Không đồng ý", "consent:no", means="no"),
)
VILLAGES = tuple(Choice(f"Thôn {n}", f"village:{n}") for n in (1, 2, 3, 10, 11))
CARD = (
    Choice("Tiếp ➡️", "next", means="next"),
    Choice("⬅️ Quay lại", "back", means="back"),
    Choice("🏠 Menu chính", "menu", means="menu"),
)
QUIZ = (
    Choice("Đọc mã OTP cho người gọi", "a"),
    Choice("Gọi lại số ngân hàng in trên thẻ", "b"),
    Choice("Chuyển tiền ngay cho họ", "c"),
)


@pytest.mark.parametrize(
    ("typed", "index"),
    [("1", 0), ("1.", 0), (" 2 ", 1), ("2)", 1), ("số 2", 1), ("so 2", 1), ("#2", 1),
     ("２", 1), ("hai", 1), ("số một", 0), ("cau 2", 1)],
)  # fmt: skip
def test_numbers_in_every_form(typed: str, index: int) -> None:
    assert read(typed, CONSENT) == Picked(index)


@pytest.mark.parametrize("typed", ["3", "0", "99", "so 4", "bốn"])
def test_a_number_not_on_the_menu_is_out_of_range(typed: str) -> None:
    assert isinstance(read(typed, CONSENT), OutOfRange)


@pytest.mark.parametrize(
    ("typed", "index"),
    [("dong y", 0), ("Đồng ý", 0), ("co", 0), ("Có ạ", 0), ("ok", 0), ("yes", 0),
     ("ko", 1), ("không", 1), ("khong", 1), ("k", 1), ("khong dong y", 1),
     ("Không đồng ý", 1), ("toi khong dong y", 1), ("chua", 1), ("no", 1)],
)  # fmt: skip
def test_yes_and_no_words_pick_exactly_one_choice(typed: str, index: int) -> None:
    assert read(typed, CONSENT) == Picked(index)


@pytest.mark.parametrize(
    ("typed", "index"),
    [("thon 1", 0), ("Thôn 1", 0), ("thon 2", 1), ("THON 10", 3), ("toi o thon 11", 4)],
)
def test_village_names_match_whole_words_never_a_prefix(typed: str, index: int) -> None:
    assert read(typed, VILLAGES) == Picked(index)


def test_words_that_fit_no_choice_or_several_do_not_pick() -> None:
    assert read("thon", VILLAGES) == NoMatch()
    assert read("thon 7", VILLAGES) == NoMatch()
    assert read("xin chao", CARD) == NoMatch()
    assert read("", CARD) == NoMatch()
    assert read("1", ()) == NoMatch()


@pytest.mark.parametrize(("typed", "index"), [("tiep", 0), ("Tiếp tục", 0), ("quay lai", 1)])
def test_navigation_words(typed: str, index: int) -> None:
    assert read(typed, CARD) == Picked(index)


@pytest.mark.parametrize(
    ("typed", "index"),
    [("goi lai ngan hang", 1), ("doc ma otp", 0), ("chuyen tien ngay", 2),
     ("goi lai so ngan hang in tren the nhe", 1), ("chuyenn tien ngay", 2)],
)  # fmt: skip
def test_the_words_of_a_quiz_answer_without_accents(typed: str, index: int) -> None:
    assert read(typed, QUIZ) == Picked(index)


def test_an_option_whose_words_are_numbers_is_read_by_its_label() -> None:
    options = (Choice("Hai", "a"), Choice("Ba", "b"), Choice("Bốn", "c"))
    assert read("ba", options) == Picked(1)
    assert read("2", options) == Picked(1)  # a digit is always the position shown
