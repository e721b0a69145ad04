"""Pure helpers for channels without buttons."""

from __future__ import annotations

from bot.channels.text import fold, numbered, pick, split
from bot.core.messages import Choice

CHOICES = (Choice("Tiếp ➡️", "next"), Choice("⬅️ Quay lại", "back"), Choice("Không bao giờ", "n"))


def test_fold_removes_accents_and_d_stroke() -> None:
    assert fold("Đồng Ý! Quên mật khẩu") == "dong y quen mat khau"


def test_pick_by_number_and_by_words() -> None:
    assert pick("1", CHOICES) == CHOICES[0]
    assert pick(" 3 ", CHOICES) == CHOICES[2]
    assert pick("tiep", CHOICES) == CHOICES[0]
    assert pick("QUAY LAI", CHOICES) == CHOICES[1]
    assert pick("khong bao gio", CHOICES) == CHOICES[2]
    assert pick("0", CHOICES) is None
    assert pick("4", CHOICES) is None
    assert pick("", CHOICES) is None
    assert pick("xin chao", CHOICES) is None


def test_numbered_lists_choices_with_a_hint() -> None:
    text = numbered("Chọn:", CHOICES[:2], "Gõ số.")
    assert text == "Chọn:\n\n1. Tiếp ➡️\n2. ⬅️ Quay lại\n\nGõ số."
    assert numbered("Chỉ chữ.", (), "Gõ số.") == "Chỉ chữ."


def test_split_keeps_pieces_under_the_limit_at_sentence_ends() -> None:
    text = "Câu một. " * 100 + "Một từ-rất-dài-" * 50
    pieces = split(text, 200)
    assert all(len(piece) <= 200 for piece in pieces)
    assert pieces[0].endswith(".")
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    assert split("ngắn", 200) == ["ngắn"]
