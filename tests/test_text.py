"""Pure helpers for channels without buttons."""

from __future__ import annotations

from bot.channels.text import fold, numbered, split
from bot.core.messages import Choice

CHOICES = (Choice("Tiếp ➡️", "next"), Choice("⬅️ Quay lại", "back"), Choice("Không bao giờ", "n"))


def test_fold_removes_accents_and_d_stroke() -> None:
    assert fold("Đồng Ý! Quên mật khẩu") == "dong y quen mat khau"


def test_numbered_lists_choices_with_a_hint() -> None:
    text = numbered("Chọn:", CHOICES[:2], "Gõ số.")
    assert text == "Chọn:\n\n1. Tiếp ➡️\n2. ⬅️ Quay lại\n\nGõ số."
    assert numbered("Chỉ chữ.", (), "Gõ số.") == "Chỉ chữ."


def test_a_link_choice_shows_its_address() -> None:
    link = Choice("Mở trang", "", url="https://binhdanhocvuso.gov.vn")
    text = numbered("Xem:", (link,), "Gõ số.")
    assert "1. Mở trang: https://binhdanhocvuso.gov.vn" in text


def test_split_keeps_pieces_under_the_limit_at_sentence_ends() -> None:
    text = "Câu một. " * 100 + "Một từ-rất-dài-" * 50
    pieces = split(text, 200)
    assert all(len(piece) <= 200 for piece in pieces)
    assert pieces[0].endswith(".")
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
    assert split("ngắn", 200) == ["ngắn"]
