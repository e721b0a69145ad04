"""Issue 13, must-show 4: the FAQ answers the questions the content review found without an
answer (a lost phone, an ID card about to expire, renewing household health insurance, the
address after the 2025 merger), and `hocvuso ask` answers each from its own entry, typed
with accents or without, through the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.content import load_catalog
from bot.resources import data_dir

QUESTIONS = [
    ("Mất điện thoại thì làm sao?", "kbl-mat-dien-thoai"),
    ("mat dien thoai thi lam sao", "kbl-mat-dien-thoai"),
    ("Thẻ căn cước sắp hết hạn thì làm sao?", "vneid-can-cuoc-het-han"),
    ("the can cuoc sap het han thi lam sao", "vneid-can-cuoc-het-han"),
    ("Gia hạn bảo hiểm y tế hộ gia đình ở đâu?", "vs-gia-han-bhyt"),
    ("gia han bhyt ho gia dinh", "vs-gia-han-bhyt"),
    ("Sáp nhập xã rồi có phải sửa địa chỉ trên VNeID không?", "vneid-dia-chi-sap-nhap"),
    ("sap nhap xa roi co phai sua dia chi tren vneid khong", "vneid-dia-chi-sap-nhap"),
]


def test_the_entries_exist_in_the_faq() -> None:
    ids = {item.id for item in load_catalog(data_dir("lessons")).faq}
    assert {entry for _question, entry in QUESTIONS} <= ids


@pytest.mark.parametrize(("question", "entry"), QUESTIONS)
def test_hocvuso_ask_answers_from_the_entry(question: str, entry: str) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", question, "--json"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    answer = json.loads(done.stdout)
    assert answer["confident"], answer
    assert answer["matches"][0]["id"] == entry, answer
