"""Free-text questions answered from the shipped FAQ and lesson cards."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
import yaml

from bot.channels.text import fold as channel_fold
from bot.content import load_catalog
from bot.content.search import SearchIndex, confident, normalise, query_terms
from bot.content.textfold import fold
from bot.resources import data_dir

DATA = Path(__file__).parent / "data"
CATALOG = load_catalog(data_dir("lessons"))
INDEX = SearchIndex.build(CATALOG)
QUESTIONS = yaml.safe_load((DATA / "ask_questions.yaml").read_text(encoding="utf-8"))["questions"]
ON_TOPIC = [q for q in QUESTIONS if q["lesson"]]
OFF_TOPIC = [q for q in QUESTIONS if not q["lesson"]]


def test_expected_lesson_in_the_top_three() -> None:
    assert len(ON_TOPIC) >= 36 and len(OFF_TOPIC) >= 5
    lessons = {lesson.id for lesson in CATALOG.lessons}
    assert {q["lesson"] for q in ON_TOPIC} == lessons
    missed = []
    for item in ON_TOPIC:
        hits = INDEX.search(item["q"])
        if item["lesson"] not in [hit.doc.lesson_id for hit in hits]:
            missed.append(item["q"])
    found = len(ON_TOPIC) - len(missed)
    print(f"\nexpected lesson in the top 3: {found}/{len(ON_TOPIC)} ({found / len(ON_TOPIC):.0%})")
    assert found / len(ON_TOPIC) >= 0.9, missed


def test_off_topic_questions_are_not_confident() -> None:
    sure = [q["q"] for q in OFF_TOPIC if confident(INDEX.search(q["q"]))]
    assert not sure


def test_most_on_topic_questions_are_confident() -> None:
    # The threshold must not be so strict that the bot never answers.
    sure = [q for q in ON_TOPIC if confident(INDEX.search(q["q"]))]
    print(f"\nconfident on covered questions: {len(sure)}/{len(ON_TOPIC)}")
    assert len(sure) / len(ON_TOPIC) >= 0.8


@pytest.mark.parametrize(
    "text",
    [
        "Đồng Ý! Quên mật khẩu",
        "ĐĂNG KÝ tài khoản VNeID?",
        "Căn cước gắn chip (CCCD)",
        "a_b-c 10/10",
    ],
)
def test_fold_behaves_like_the_channels_fold(text: str) -> None:
    assert fold(text) == channel_fold(text)


def test_shorthand_is_spelled_out() -> None:
    assert normalise("CK nhầm STK") == "chuyen khoan nham so tai khoan"
    assert normalise("tra cuu BHXH, BHYT") == "tra cuu bao hiem xa hoi bao hiem y te"
    assert normalise("quen mk vn-eid") == "quen mat khau vneid"
    assert normalise("ko dc") == normalise("k dc") == "khong duoc"
    assert normalise("dang nhap dvc bang cccd") == ("dang nhap dich vu cong bang can cuoc cong dan")
    assert normalise("stkx ckk") == "stkx ckk"  # whole words only


def test_question_words_are_dropped() -> None:
    assert query_terms("Cho tôi hỏi làm sao cài VNeID ở đâu ạ?") == ["cai", "vneid"]
    assert query_terms("the bhyt") == ["the", "bao", "hiem", "y", "te"]  # "thẻ" stays
    assert query_terms("can cuoc") == ["can", "cuoc"]  # "căn" stays


def test_accents_do_not_change_the_answer() -> None:
    with_accents = INDEX.search("Quên mật khẩu VNeID")
    without = INDEX.search("quen mat khau vneid")
    assert with_accents[0].doc.id == without[0].doc.id == "vneid-quen-mat-khau"
    assert [h.doc.id for h in with_accents] == [h.doc.id for h in without]
    assert (
        INDEX.search("CK NHẦM STK")[0].doc.id
        == INDEX.search("chuyen khoan nham so tai khoan")[0].doc.id
    )


def test_hits_carry_both_languages_and_a_lesson() -> None:
    hits = INDEX.search("vssid la gi")
    assert hits and confident(hits)
    best = hits[0]
    assert best.doc.kind == "faq" and best.doc.lesson_id == "vssid"
    assert best.doc.title.get("vi") != best.doc.title.get("en")
    assert best.doc.text.get("en")
    assert hits == sorted(hits, key=lambda hit: -hit.score)
    cards = [
        h for h in INDEX.search("ma qr nhan tien dan o quay", limit=10) if h.doc.kind == "card"
    ]
    assert cards and cards[0].doc.id.startswith(f"{cards[0].doc.lesson_id}:")


@pytest.mark.parametrize("query", ["", "   ", "???", "ạ", 'OR "NEAR( * ^ -', "cho toi hoi"])
def test_empty_or_odd_queries(query: str) -> None:
    hits = INDEX.search(query)
    assert isinstance(hits, list)
    assert not confident(hits)


def test_limit() -> None:
    assert len(INDEX.search("vneid", limit=5)) == 5
    assert INDEX.search("vneid", limit=0) == []


def test_fast_enough() -> None:
    timings = []
    for _ in range(20):
        for item in QUESTIONS:
            started = time.perf_counter()
            INDEX.search(item["q"])
            timings.append(time.perf_counter() - started)
    assert statistics.median(timings) < 0.002
