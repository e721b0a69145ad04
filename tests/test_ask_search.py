"""The answer search, feature by feature, on the shipped content (the honest figures over
questions nobody here wrote are in tests/test_heldout.py)."""

from __future__ import annotations

import pytest

from bot.channels.text import fold as channel_fold
from bot.content import load_catalog
from bot.content.search import MIN_CONFIDENCE, SearchIndex, confident, is_english, normalise
from bot.content.textfold import fold
from bot.resources import data_dir

CATALOG = load_catalog(data_dir("lessons"))
INDEX = SearchIndex.build(CATALOG)


def first_lesson(question: str) -> str | None:
    answer = INDEX.answer(question)
    return answer.hits[0].doc.lesson_id if answer.confident else None


@pytest.mark.parametrize(
    "text", ["Đồng Ý! Quên mật khẩu", "ĐĂNG KÝ tài khoản VNeID?", "Căn cước gắn chip", "a_b 10/10"]
)
def test_fold_behaves_like_the_channels_fold(text: str) -> None:
    assert fold(text) == channel_fold(text)


def test_shorthand_teen_code_and_dialect_are_spelled_out() -> None:
    assert normalise("CK nhầm STK") == "chuyen khoan nham so tai khoan"
    assert normalise("quen mk vn eid") == "quen mat khau vneid"
    assert normalise("xai app nh") == "dung ung dung ngan hang"
    assert normalise("stkx ckk") == "stkx ckk"  # whole words only


def test_question_words_and_dialect_fillers_are_dropped() -> None:
    assert [t.folded for t in INDEX.terms("Cho tôi hỏi làm sao cài VNeID ở đâu ạ?")] == [
        "cai",
        "vneid",
    ]
    assert [t.folded for t in INDEX.terms("vneid cai o mo rua con")] == ["vneid", "cai"]
    assert next(t.folded for t in INDEX.terms("the bhyt")) == "the"  # "thẻ" stays
    assert [t.folded for t in INDEX.terms("can cuoc")] == ["can", "cuoc"]  # "căn" stays


def test_one_typo_in_a_word_is_forgiven_but_real_words_are_kept() -> None:
    assert [t.folded for t in INDEX.terms("vnied")] == ["vneid"]
    assert [t.folded for t in INDEX.terms("tai khoang ngan hang")][:2] == ["tai", "khoan"]
    assert "ngoai" in [t.folded for t in INDEX.terms("ban rau ngoai cho")]  # a word, no typo


def test_accents_typed_are_used_and_both_readings_weighed_without_them() -> None:
    assert first_lesson("Quên mật khẩu VNeID thì làm sao") == "vneid-co-ban"
    assert first_lesson("quen mat khau vneid thi lam sao") == "vneid-co-ban"
    lost = [first_lesson("mất điện thoại có app ngân hàng phải làm gì")]
    lost.append(first_lesson("mat dien thoai co app ngan hang phai lam gi"))
    assert lost == ["khi-bi-lua", "khi-bi-lua"]
    marked = INDEX.terms("mất điện thoại")[0]
    assert (marked.folded, marked.accented) == ("mat", "mất")


def test_english_questions_are_answered_in_english() -> None:
    answer = INDEX.answer("I gave my OTP code to a stranger, what should I do?")
    assert answer.lang == "en" and answer.confident
    assert answer.hits[0].doc.lesson_id == "khi-bi-lua"
    assert INDEX.answer("How do I install VNeID on my phone?").hits[0].doc.lesson_id == (
        "vneid-co-ban"
    )
    assert INDEX.answer("cai vneid o dau").lang == "vi"
    assert not is_english("the can cuoc het han")  # folded Vietnamese, not English


@pytest.mark.parametrize(
    "question",
    [
        "thoi tiet ngay mai the nao",
        "gia vang hom nay",
        "ket qua xo so mien bac",
        "Who won the cup?",
    ],
)
def test_out_of_scope_gets_no_confident_answer(question: str) -> None:
    assert not INDEX.answer(question).confident


def test_hits_are_one_per_lesson_with_a_score_between_0_and_1() -> None:
    hits = INDEX.search("vssid la gi")
    assert hits and confident(hits) and hits[0].doc.lesson_id == "vssid"
    assert len({hit.doc.lesson_id for hit in hits}) == len(hits)
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)
    assert 0.0 < MIN_CONFIDENCE < 1.0
    best = hits[0]
    assert best.doc.title.get("vi") != best.doc.title.get("en") and best.doc.text.get("en")


@pytest.mark.parametrize("query", ["", "   ", "???", "ạ", 'OR "NEAR( * ^ -', "cho toi hoi"])
def test_empty_or_odd_queries(query: str) -> None:
    hits = INDEX.search(query)
    assert isinstance(hits, list)
    assert not confident(hits)


def test_limit() -> None:
    assert len(INDEX.search("vneid", limit=5)) == 5
    assert INDEX.search("vneid", limit=0) == []


def test_no_test_question_is_among_the_examples() -> None:
    """The example questions come from the development parts only (issue 12)."""
    from tests.evaluation import load

    examples = {fold(example.text) for example in CATALOG.ask_examples}
    assert examples
    leaked = [row["id"] for row in load("questions_test.yaml") if fold(row["text"]) in examples]
    assert leaked == []
